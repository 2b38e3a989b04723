/* fuzz_jsonl.c — JSON lines (json.c): each line of the input is parsed
 * into one row of a batch with a nested schema. Checks:
 *  - a failed line leaves the batch exactly as it was (row count, every
 *    nested column's length, the rows' JSON), with a reason, and a column
 *    index that is -1 or a real column;
 *  - a parsed row is complete (cv_batch_check), prints as valid JSON, and
 *    that JSON parses back into an equal row;
 *  - byte 0 picks custom date patterns (text → date conversions inside
 *    JSON strings). */
#include "data/data.h"
#include "formats/formats.h"
#include "fuzz.h"

#include <string.h>

static const char *const col_names[] = {"id", "s", "f", "dec", "d", "ts", "b", "by", "arr", "m", "r", "t", "tz", "i8"};
static const char *const col_types[] = {
    "bigint",
    "string",
    "double",
    "decimal(12, 3)",
    "date",
    "timestamp",
    "boolean",
    "bytes",
    "array<int>",
    "map<string, array<string>>",
    "row<a int, n row<x string, y array<double>>, mm map<int, row<z boolean>>>",
    "time",
    "timestamp_tz",
    "tinyint",
};
#define NCOLS (sizeof col_types / sizeof col_types[0])

static cv_arena arena;
static cv_table *table;

static void setup(void)
{
    if (table) return;
    cv_arena_init(&arena, 0);
    table = cv_arena_zalloc(&arena, sizeof *table);
    table->cols = cv_arena_zalloc(&arena, NCOLS * sizeof *table->cols);
    table->ncols = NCOLS;
    for (uint32_t i = 0; i < NCOLS; i++) {
        cv_err e;
        cv_err_clear(&e);
        table->cols[i].name = col_names[i];
        FUZZ_ASSERT(cv_type_parse(&arena, col_types[i], &table->cols[i].type, &e) == 0, "type %s", col_types[i]);
        table->cols[i].nullable = true;
    }
    cv_err e;
    cv_err_clear(&e);
    FUZZ_ASSERT(cv_table_set_path(&arena, table, "fuzz.jsonl", false, &e) == 0, "path");
    FUZZ_ASSERT(cv_table_finish(&arena, table, &e) == 0, "finish");
}

/* Every column's length, children included, as a fingerprint. */
static void lengths(const cv_col *c, cv_buf *out)
{
    cv_buf_printf(out, "%u/%u.", c->len, c->var_len);
    for (uint32_t k = 0; k < c->nchild; k++) lengths(&c->child[k], out);
}

static void fingerprint(const cv_batch *b, cv_buf *out)
{
    cv_buf_reset(out);
    cv_buf_printf(out, "%u:", b->nrows);
    for (uint32_t c = 0; c < b->ncols; c++) lengths(&b->cols[c], out);
    for (uint32_t r = 0; r < b->nrows; r++) {
        cv_buf_putc(out, '\n');
        cv_json_write_row(b, r, NULL, 0, out);
    }
}

static void check_row(const cv_batch *b, uint32_t r, const cv_textfmt *fmt)
{
    cv_buf j;
    cv_buf_init(&j);
    cv_json_write_row(b, r, NULL, 0, &j);
    FUZZ_ASSERT(!j.oom && j.data, "oom");
    FUZZ_ASSERT(fuzz_json_valid(j.data), "row printed as invalid JSON: %s", j.data);
    cv_batch *back = cv_batch_new(b->table, 0);
    FUZZ_ASSERT(back != NULL, "oom");
    const char *why = NULL;
    int col = 0;
    int rc = cv_json_row(back, j.data, j.len, fmt, &why, &col);
    FUZZ_ASSERT(rc == 0, "printed row does not parse back (%s, column %d): %s", why, col, j.data);
    for (uint32_t c = 0; c < b->ncols; c++)
        FUZZ_ASSERT(cv_value_compare(&b->cols[c], r, &back->cols[c], 0) == 0, "column %s reads back different: %s",
                    col_names[c], j.data);
    cv_batch_free(back);
    cv_buf_free(&j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 16)) return 0;
    setup();
    cv_textfmt fmt;
    cv_textfmt_init(&fmt);
    if (data[0] & 1) {
        const char *why;
        fmt.custom_date = cv_datefmt_compile("dd.MM.yyyy", &fmt.date, &why) == 0;
        fmt.custom_datetime = cv_datefmt_compile("yyyy/MM/dd HH:mm:ss.SSSSSS", &fmt.datetime, &why) == 0;
        fmt.custom_time = cv_datefmt_compile("HH-mm-ss", &fmt.time, &why) == 0;
    }
    const char *p = (const char *)data + 1, *e = (const char *)data + size;
    cv_batch *b = cv_batch_new(table, 4);
    FUZZ_ASSERT(b != NULL, "oom");
    cv_buf before, after;
    cv_buf_init(&before);
    cv_buf_init(&after);
    while (p < e) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        const char *end = nl ? nl : e;
        if (cv_batch_full(b)) cv_batch_clear(b);
        fingerprint(b, &before);
        uint32_t rows = b->nrows;
        const char *why = NULL;
        int col = -2;
        int rc = cv_json_row(b, p, (size_t)(end - p), &fmt, &why, &col);
        cv_err be;
        cv_err_clear(&be);
        FUZZ_ASSERT(cv_batch_check(b, &be) == 0, "batch after a %s line: %s", rc == 0 ? "good" : "bad", be.msg);
        if (rc < 0) {
            FUZZ_ASSERT(rc == CV_EDATA || rc == CV_ENOMEM, "code %d", rc);
            FUZZ_ASSERT(why && why[0], "a failure without a reason");
            FUZZ_ASSERT(col >= -1 && col < (int)NCOLS, "column %d", col);
            FUZZ_ASSERT(b->nrows == rows, "a failed line changed the row count");
            fingerprint(b, &after);
            FUZZ_ASSERT(before.len == after.len && memcmp(before.data, after.data, before.len) == 0,
                        "a failed line (%s) changed the batch:\n%s\n---\n%s", why, before.data, after.data);
        } else {
            FUZZ_ASSERT(col == -1, "column %d after success", col);
            FUZZ_ASSERT(b->nrows == rows + 1, "a parsed line added %u rows", b->nrows - rows);
            check_row(b, rows, &fmt);
        }
        p = end + (nl != NULL);
    }
    cv_buf_free(&before);
    cv_buf_free(&after);
    cv_batch_free(b);
    return 0;
}
