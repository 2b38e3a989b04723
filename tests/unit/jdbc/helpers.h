/* helpers.h — small conveniences shared by the Jdbc connector's tests. */
#ifndef CV_UNIT_JDBC_HELPERS_H
#define CV_UNIT_JDBC_HELPERS_H

#include "connectors/jdbc/jdbc.h"
#include "unit.h"

#include <string.h>

/* A table from a type list: "id bigint, name string, price decimal(10,2)". */
static inline cv_table *table_of(cv_arena *a, const char *path, const char *const *names, const char *const *types,
                                 uint32_t n)
{
    cv_err e;
    cv_err_clear(&e);
    cv_table *t = cv_arena_zalloc(a, sizeof *t);
    cv_column *cols = cv_arena_zalloc(a, n * sizeof *cols);
    REQUIRE(t && cols);
    for (uint32_t i = 0; i < n; i++) {
        cols[i].name = names[i];
        cols[i].nullable = true;
        if (cv_type_parse(a, types[i], &cols[i].type, &e) < 0) {
            unit__fail(__FILE__, __LINE__, "type %s: %s", types[i], e.msg);
            unit__abort();
        }
    }
    t->cols = cols;
    t->ncols = n;
    REQUIRE_INT(cv_table_set_path(a, t, path, false, &e), 0);
    REQUIRE_INT(cv_table_finish(a, t, &e), 0);
    return t;
}

/* A bulk write of rows[0..n) of one batch. */
static inline int jdbc_bulk1(const jdbc_dialect *d, jdbc_conn *c, const jdbc_target *t, int op, const cv_batch *b,
                             const uint32_t *rows, uint32_t n, cv_err *e)
{
    jdbc_rows part = {b, rows, n};
    return d->bulk(c, t, op, &part, 1, e);
}

#endif
