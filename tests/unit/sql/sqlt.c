/* sqlt.c — see sqlt.h: the fixed input table and one-expression queries. */
#include "sqlt.h"

#include "plugin/plugin.h"
#include "sql/sql.h"

#include <stdio.h>
#include <string.h>

static const char *schema_text =
    "{ i = int, l = bigint, f = float, d = double, dec = \"decimal(10, 2)\", s = string, b = boolean, dt = date,"
    " tm = time, ts = timestamp, by = bytes, n = string, arr = \"array<int>\", m = \"map<string, int>\","
    " r = { x = int, y = string } }";

static char result[8192];

/* Build t and its three rows in arena a. */
static int make_input(cv_arena *a, const cv_table **tout, cv_batch **bout, cv_err *err)
{
    cv_table *t = cv_arena_zalloc(a, sizeof *t);
    const char *names[] = {"i", "l", "f", "d", "dec", "s", "b", "dt", "tm", "ts", "by", "n", "arr", "m", "r"};
    const char *types[] = {"int",
                           "bigint",
                           "float",
                           "double",
                           "decimal(10, 2)",
                           "string",
                           "boolean",
                           "date",
                           "time",
                           "timestamp",
                           "bytes",
                           "string",
                           "array<int>",
                           "map<string, int>",
                           "row<x int, y string>"};
    (void)schema_text;
    size_t nc = sizeof names / sizeof *names;
    cv_column *cols = cv_arena_zalloc(a, nc * sizeof *cols);
    if (!t || !cols) return cv_err_set(err, CV_ENOMEM, "oom");
    for (size_t i = 0; i < nc; i++) {
        cols[i].name = names[i];
        cols[i].nullable = true;
        if (cv_type_parse(a, types[i], &cols[i].type, err) < 0) return err->code;
    }
    t->cols = cols;
    t->ncols = (uint32_t)nc;
    if (cv_table_set_path(a, t, "db.t", false, err) < 0 || cv_table_finish(a, t, err) < 0) return err->code;
    cv_batch *b = cv_batch_new(t, 8);
    if (!b) return cv_err_set(err, CV_ENOMEM, "oom");
    static const char *const rows[2][12] = {
        {"7", "10000000000", "1.5", "2.5", "12.34", "hello", "true", "2024-02-29", "13:45:30",
         "2024-02-29T13:45:30.123456", "abc", NULL},
        {"-3", "-1", "-0.25", "-1e300", "-0.01", "Ünïcødé ✓", "false", "1970-01-01", "00:00:00", "1969-12-31T23:59:59",
         "", NULL},
    };
    for (int r = 0; r < 2; r++) {
        for (int c = 0; c < 12; c++) {
            if (!rows[r][c])
                cv_col_append_null(&b->cols[c]);
            else if (cv_value_parse(&b->cols[c], rows[r][c], strlen(rows[r][c]), err) < 0)
                return err->code;
        }
        /* arr, m, r */
        cv_col *arr = &b->cols[12], *m = &b->cols[13], *rw = &b->cols[14];
        if (r == 0) {
            for (int k = 1; k <= 3; k++) cv_col_append_i32(&arr->child[0], k);
            cv_col_append_list(arr, 3);
            cv_col_append_str(&m->child[0], "k", 1);
            cv_col_append_i32(&m->child[1], 5);
            cv_col_append_list(m, 1);
            cv_col_append_i32(&rw->child[0], 1);
            cv_col_append_str(&rw->child[1], "a", 1);
            cv_col_append_struct(rw);
        } else {
            cv_col_append_list(arr, 0);
            cv_col_append_list(m, 0);
            cv_col_append_null(&rw->child[0]);
            cv_col_append_null(&rw->child[1]);
            cv_col_append_struct(rw);
        }
        cv_batch_end_row(b, CV_ROW_INSERT);
    }
    for (uint32_t c = 0; c < b->ncols; c++) cv_col_append_null(&b->cols[c]);
    cv_batch_end_row(b, CV_ROW_INSERT);
    if (cv_batch_check(b, err) < 0) {
        cv_batch_free(b);
        return err->code;
    }
    *tout = t;
    *bout = b;
    return 0;
}

/* Run query over t; on success *out is the output batch. */
/* row < 0: all three rows; else only that one (so other rows cannot fail) */
static int run(cv_arena *a, const char *query, int row, cv_batch **out, const cv_sql_query **qout, cv_err *err)
{
    const cv_table *t;
    cv_batch *in;
    *out = NULL;
    if (make_input(a, &t, &in, err) < 0) return err->code;
    if (row >= 0) {
        cv_batch *one = cv_batch_new(t, 1);
        if (!one) {
            cv_batch_free(in);
            return cv_err_set(err, CV_ENOMEM, "oom");
        }
        if ((uint32_t)row < in->nrows) cv_batch_copy_row(one, in, (uint32_t)row);
        cv_batch_free(in);
        in = one;
    }
    cv_sql_query *q;
    int rc = cv_sql_compile(a, query, t, &q, err);
    if (rc < 0) {
        cv_batch_free(in);
        return rc;
    }
    *qout = q;
    cv_sql_exec *x;
    rc = cv_sql_exec_new(q, &x, err);
    cv_batch *b = rc == 0 ? cv_batch_new(cv_sql_output(q), 8) : NULL;
    if (rc == 0 && !b) rc = cv_err_set(err, CV_ENOMEM, "oom");
    if (rc == 0) rc = cv_sql_exec_run(x, in, b, err);
    cv_sql_exec_free(x);
    cv_batch_free(in);
    if (rc < 0) {
        cv_batch_free(b);
        cv_sql_free(q);
        return rc;
    }
    *out = b;
    return 0;
}

static const char *error_text(const cv_err *err)
{
    snprintf(result, sizeof result, "ERROR: %s", err->msg);
    return result;
}

const char *sqlt_eval_at(const char *expr, uint32_t row)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_err err;
    cv_err_clear(&err);
    char query[4096];
    snprintf(query, sizeof query, "SELECT %s AS v FROM t", expr);
    cv_batch *b;
    const cv_sql_query *q = NULL;
    if (run(&a, query, (int)row, &b, &q, &err) < 0) {
        cv_arena_free(&a);
        return error_text(&err);
    }
    cv_buf out;
    cv_buf_init(&out);
    row = 0;
    if (row >= b->nrows)
        cv_buf_puts(&out, "NO ROW");
    else if (cv_col_is_null(&b->cols[0], row))
        cv_buf_puts(&out, "NULL");
    else
        cv_value_format(&b->cols[0], row, CV_FMT_JAVA, &out);
    snprintf(result, sizeof result, "%s", out.data ? out.data : "");
    cv_buf_free(&out);
    cv_batch_free(b);
    cv_sql_free((cv_sql_query *)q);
    cv_arena_free(&a);
    return result;
}

const char *sqlt_type(const char *expr)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_err err;
    cv_err_clear(&err);
    char query[4096];
    snprintf(query, sizeof query, "SELECT %s AS v FROM t", expr);
    const cv_table *t;
    cv_batch *in;
    if (make_input(&a, &t, &in, &err) < 0) {
        cv_arena_free(&a);
        return error_text(&err);
    }
    cv_batch_free(in);
    cv_sql_query *q;
    if (cv_sql_compile(&a, query, t, &q, &err) < 0) {
        cv_arena_free(&a);
        return error_text(&err);
    }
    char buf[256];
    snprintf(result, sizeof result, "%s", cv_type_str(cv_sql_output(q)->cols[0].type, buf, sizeof buf));
    cv_sql_free(q);
    cv_arena_free(&a);
    return result;
}

const char *sqlt_query(const char *query)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_err err;
    cv_err_clear(&err);
    cv_batch *b;
    const cv_sql_query *q = NULL;
    if (run(&a, query, -1, &b, &q, &err) < 0) {
        cv_arena_free(&a);
        return error_text(&err);
    }
    cv_buf out;
    cv_buf_init(&out);
    for (uint32_t r = 0; r < b->nrows; r++) {
        cv_buf_puts(&out, cv_row_kind_short((cv_row_kind)b->kinds[r]));
        for (uint32_t c = 0; c < b->ncols; c++) {
            cv_buf_putc(&out, '|');
            if (cv_col_is_null(&b->cols[c], r))
                cv_buf_puts(&out, "NULL");
            else
                cv_value_format(&b->cols[c], r, CV_FMT_JAVA, &out);
        }
        cv_buf_putc(&out, '\n');
    }
    snprintf(result, sizeof result, "%s", out.data ? out.data : "");
    cv_buf_free(&out);
    cv_batch_free(b);
    cv_sql_free((cv_sql_query *)q);
    cv_arena_free(&a);
    return result;
}
