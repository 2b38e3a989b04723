/* query.c — the public face of src/sql: compile a query against an input
 * table (parse, then bind), hand out its output table, free it. */
#include "sql_int.h"

#include <string.h>

int cv_sql_compile(cv_arena *a, const char *text, const cv_table *in, cv_sql_query **out, cv_err *err)
{
    cv_sql_query *q = cv_arena_zalloc(a, sizeof *q);
    if (!q) return cv_err_set(err, CV_ENOMEM, "out of memory");
    q->text = cv_arena_strdup(a, text);
    if (!q->text) return cv_err_set(err, CV_ENOMEM, "out of memory");
    q->in = in;
    int rc = cv__sql_parse(a, q, err);
    if (rc == 0) rc = cv__sql_bind(a, q, err);
    if (rc < 0) {
        cv_sql_free(q);
        return rc;
    }
    *out = q;
    return 0;
}

void cv_sql_free(cv_sql_query *q)
{
    if (!q) return;
    for (uint32_t i = 0; i < q->nkonst; i++) cv_col_destroy(q->konst[i]);
    q->nkonst = 0;
}

const cv_table *cv_sql_output(const cv_sql_query *q) { return q->out; }
const char *cv_sql_from(const cv_sql_query *q) { return q->from; }
