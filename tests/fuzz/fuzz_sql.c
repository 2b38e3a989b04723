/* fuzz_sql.c — the Sql transform's query compiler and evaluator. Each input
 * is a query compiled against a fixed table of every kind of column and,
 * when it compiles, run over three rows (values, extremes, NULLs).
 * Beyond "no crash, no leak, no hang", every input checks:
 *  - a compile failure carries a code and a message naming "query L:C";
 *  - a compiled query has an output table whose columns match the batch it
 *    fills, and a run failure is a data error with a message. */
#include "fuzz.h"
#include "sql/sql.h"

static const char *const names[] = {"i", "l", "d", "dec", "s", "b", "dt", "ts", "arr", "m", "r"};
static const char *const types[] = {
    "int",       "bigint",     "double",           "decimal(10, 2)",      "string", "boolean", "date",
    "timestamp", "array<int>", "map<string, int>", "row<x int, y string>"};
static const char *const row0[] = {"7",     "10000000000", "2.5",        "12.34",
                                   "hello", "true",        "2024-02-29", "2024-02-29T13:45:30.123456"};
static const char *const row1[] = {"-2147483648", "-9223372036854775808", "-1e300", "-99999999.99", "", "false",
                                   "1970-01-01",  "1969-12-31T23:59:59"};

static cv_batch *input(cv_arena *a, const cv_table **tout)
{
    size_t nc = sizeof names / sizeof *names;
    cv_table *t = cv_arena_zalloc(a, sizeof *t);
    cv_column *cols = cv_arena_zalloc(a, nc * sizeof *cols);
    cv_err err;
    cv_err_clear(&err);
    FUZZ_ASSERT(t && cols, "out of memory");
    for (size_t i = 0; i < nc; i++) {
        cols[i].name = names[i];
        cols[i].nullable = true;
        FUZZ_ASSERT(cv_type_parse(a, types[i], &cols[i].type, &err) == 0, "type %s", types[i]);
    }
    t->cols = cols;
    t->ncols = (uint32_t)nc;
    FUZZ_ASSERT(cv_table_set_path(a, t, "db.t", false, &err) == 0 && cv_table_finish(a, t, &err) == 0, "table");
    cv_batch *b = cv_batch_new(t, 4);
    FUZZ_ASSERT(b, "out of memory");
    const char *const *rows[2] = {row0, row1};
    for (int r = 0; r < 2; r++) {
        for (int c = 0; c < 8; c++)
            FUZZ_ASSERT(cv_value_parse(&b->cols[c], rows[r][c], strlen(rows[r][c]), &err) == 0, "value %s", rows[r][c]);
        cv_col_append_i32(&b->cols[8].child[0], r);
        cv_col_append_list(&b->cols[8], 1);
        cv_col_append_str(&b->cols[9].child[0], "k", 1);
        cv_col_append_i32(&b->cols[9].child[1], r);
        cv_col_append_list(&b->cols[9], 1);
        cv_col_append_i32(&b->cols[10].child[0], r);
        cv_col_append_str(&b->cols[10].child[1], "y", 1);
        cv_col_append_struct(&b->cols[10]);
        cv_batch_end_row(b, r ? CV_ROW_DELETE : CV_ROW_INSERT);
    }
    for (uint32_t c = 0; c < b->ncols; c++) cv_col_append_null(&b->cols[c]);
    cv_batch_end_row(b, CV_ROW_UPDATE_AFTER);
    FUZZ_ASSERT(cv_batch_check(b, &err) == 0, "input batch: %s", err.msg);
    *tout = t;
    return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    cv_arena a;
    cv_arena_init(&a, 0);
    const cv_table *t;
    cv_batch *in = input(&a, &t);
    cv_err err;
    cv_err_clear(&err);
    cv_sql_query *q = NULL;
    int rc = cv_sql_compile(&a, text, t, &q, &err);
    if (rc < 0) {
        FUZZ_ASSERT(err.code == rc && err.msg[0], "a failure without a message (rc %d)", rc);
        FUZZ_ASSERT(rc == CV_ENOMEM || strstr(err.msg, "query ") != NULL, "no query position in: %s", err.msg);
    } else {
        const cv_table *o = cv_sql_output(q);
        FUZZ_ASSERT(o && o->row_type, "no output table");
        cv_sql_exec *x = NULL;
        FUZZ_ASSERT(cv_sql_exec_new(q, &x, &err) == 0, "exec: %s", err.msg);
        cv_batch *b = cv_batch_new(o, 4);
        FUZZ_ASSERT(b, "out of memory");
        rc = cv_sql_exec_run(x, in, b, &err);
        if (rc < 0) {
            FUZZ_ASSERT(err.msg[0], "a run failure without a message");
        } else {
            FUZZ_ASSERT(b->nrows <= in->nrows, "more rows out (%u) than in", b->nrows);
            for (uint32_t c = 0; c < b->ncols; c++)
                FUZZ_ASSERT(b->cols[c].len == b->nrows, "column %u has %u values for %u rows", c, b->cols[c].len,
                            b->nrows);
            cv_buf s;
            cv_buf_init(&s);
            for (uint32_t r = 0; r < b->nrows; r++)
                for (uint32_t c = 0; c < b->ncols; c++) cv_value_format(&b->cols[c], r, CV_FMT_JSON, &s);
            cv_buf_free(&s);
        }
        cv_batch_free(b);
        cv_sql_exec_free(x);
        cv_sql_free(q);
    }
    cv_batch_free(in);
    cv_arena_free(&a);
    free(text);
    return 0;
}
