/* table.c — catalog tables: a path (database.schema.table), columns,
 * keys. Built once per job in the job's arena and never changed while the
 * job runs, so batches can point at them without reference counts. */
#include "data.h"

#include <stdio.h>
#include <string.h>

int cv_table_set_path(cv_arena *a, cv_table *t, const char *path, bool schema_first, cv_err *err)
{
    const char *parts[4];
    size_t lens[4];
    int n = 0;
    const char *p = path;
    for (;;) {
        const char *dot = strchr(p, '.');
        if (n == 3) return cv_err_set(err, CV_ECONFIG, "table path \"%s\" has more than three parts", path);
        parts[n] = p;
        lens[n] = dot ? (size_t)(dot - p) : strlen(p);
        if (lens[n] == 0) return cv_err_set(err, CV_ECONFIG, "table path \"%s\" has an empty part", path);
        n++;
        if (!dot) break;
        p = dot + 1;
    }
    char *s[3] = {0};
    for (int i = 0; i < n; i++)
        if (!(s[i] = cv_arena_strndup(a, parts[i], lens[i]))) return cv_err_set(err, CV_ENOMEM, "out of memory");
    t->database = t->schema = t->name = NULL;
    if (n == 1) {
        t->name = s[0];
    } else if (n == 2) {
        if (schema_first)
            t->schema = s[0];
        else
            t->database = s[0];
        t->name = s[1];
    } else {
        t->database = s[0];
        t->schema = s[1];
        t->name = s[2];
    }
    return 0;
}

int cv_table_finish(cv_arena *a, cv_table *t, cv_err *err)
{
    cv_buf b;
    cv_buf_init(&b);
    const char *parts[3] = {t->database, t->schema, t->name};
    for (int i = 0; i < 3; i++) {
        if (!parts[i]) continue;
        if (b.len) cv_buf_putc(&b, '.');
        cv_buf_puts(&b, parts[i]);
    }
    t->full_name = cv_arena_strdup(a, b.data ? b.data : "");
    cv_buf_free(&b);
    cv_field *fs = t->ncols ? cv_arena_alloc(a, t->ncols * sizeof *fs) : NULL;
    if (!t->full_name || (t->ncols && !fs)) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < t->ncols; i++) {
        for (uint32_t k = 0; k < i; k++)
            if (strcmp(t->cols[k].name, t->cols[i].name) == 0)
                return cv_err_set(err, CV_ECONFIG, "table %s has two columns named \"%s\"", t->full_name,
                                  t->cols[i].name);
        fs[i].name = t->cols[i].name;
        fs[i].type = t->cols[i].type;
    }
    if (t->ncols) {
        t->row_type = cv_type_row(a, fs, t->ncols);
        if (!t->row_type) return cv_err_set(err, CV_ENOMEM, "out of memory");
    }
    for (uint32_t k = 0; k < t->npk; k++)
        if (cv_table_find_col(t, t->pk_cols[k]) < 0)
            return cv_err_set(err, CV_ECONFIG, "primary key column \"%s\" is not a column of %s", t->pk_cols[k],
                              t->full_name);
    return 0;
}

int cv_table_find_col(const cv_table *t, const char *name)
{
    for (uint32_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0) return (int)i;
    return -1;
}

bool cv_table_compatible(const cv_table *a, const cv_table *b, char *why, size_t n)
{
    if (a->ncols != b->ncols) {
        snprintf(why, n, "%s has %u columns but %s has %u", a->full_name, a->ncols, b->full_name, b->ncols);
        return false;
    }
    for (uint32_t i = 0; i < a->ncols; i++) {
        if (strcmp(a->cols[i].name, b->cols[i].name) != 0) {
            snprintf(why, n, "column %u is \"%s\" in %s but \"%s\" in %s", i + 1, a->cols[i].name, a->full_name,
                     b->cols[i].name, b->full_name);
            return false;
        }
        if (!cv_type_equal(a->cols[i].type, b->cols[i].type)) {
            char ta[64], tb[64];
            snprintf(why, n, "column \"%s\" is %s in %s but %s in %s", a->cols[i].name,
                     cv_type_str(a->cols[i].type, ta, sizeof ta), a->full_name,
                     cv_type_str(b->cols[i].type, tb, sizeof tb), b->full_name);
            return false;
        }
    }
    return true;
}

int cv_table_derive(cv_arena *a, const cv_table *in, const cv_column *cols, uint32_t n, cv_table **out, cv_err *err)
{
    cv_table *t = cv_arena_zalloc(a, sizeof *t);
    cv_column *c = cv_arena_memdup(a, cols, (n ? n : 1) * sizeof *c);
    if (!t || !c) return cv_err_set(err, CV_ENOMEM, "out of memory");
    t->database = in->database;
    t->schema = in->schema;
    t->name = in->name;
    t->comment = in->comment;
    t->cols = c;
    t->ncols = n;
    bool pk_ok = in->npk > 0;
    for (uint32_t k = 0; k < in->npk; k++) {
        bool found = false;
        for (uint32_t i = 0; i < n; i++) found |= strcmp(cols[i].name, in->pk_cols[k]) == 0;
        pk_ok &= found;
    }
    if (pk_ok) {
        t->pk_name = in->pk_name;
        t->pk_cols = in->pk_cols;
        t->npk = in->npk;
    }
    *out = t;
    return cv_table_finish(a, t, err);
}
