/* test_batch.c — columnar batches: appending every type with NULLs in
 * between, strings, nested arrays, maps and rows (including NULL rows),
 * copying rows, bulk extension, reference counts, sticky errors. */
#include "helpers.h"

#include <math.h>

/* A table with one column per given type string. */
static cv_table *table_of(cv_arena *a, const char *const *types, uint32_t n)
{
    cv_table *t = cv_arena_zalloc(a, sizeof *t);
    REQUIRE(t != NULL);
    t->cols = cv_arena_zalloc(a, n * sizeof *t->cols);
    t->ncols = n;
    for (uint32_t i = 0; i < n; i++) {
        t->cols[i].name = cv_arena_printf(a, "c%u", i);
        t->cols[i].type = ty(a, types[i]);
        t->cols[i].nullable = true;
    }
    cv_err e;
    cv_err_clear(&e);
    REQUIRE(cv_table_set_path(a, t, "db.tbl", false, &e) == 0);
    REQUIRE(cv_table_finish(a, t, &e) == 0);
    return t;
}

static const char *const all_types[] = {
    "boolean", "tinyint", "smallint", "int",  "bigint",    "float",        "double", "decimal(10,2)",
    "string",  "bytes",   "date",     "time", "timestamp", "timestamp_tz", "null",
};

TEST(batch_append_every_type_with_nulls)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_table *t = table_of(&a, all_types, CV_ARRAY_LEN(all_types));
    cv_batch *b = cv_batch_new(t, 0);
    REQUIRE(b != NULL);
    CHECK_UINT(b->cap, CV_BATCH_ROWS);
    enum { ROWS = 300 };
    for (uint32_t r = 0; r < ROWS; r++) {
        bool null = r % 3 == 1;
        for (uint32_t c = 0; c < b->ncols; c++) {
            cv_col *col = &b->cols[c];
            if (null || col->type->id == CV_T_NULL) {
                cv_col_append_null(col);
                continue;
            }
            switch (col->type->id) {
            case CV_T_BOOL: cv_col_append_bool(col, r & 1); break;
            case CV_T_I8: cv_col_append_i8(col, (int8_t)(r - 100)); break;
            case CV_T_I16: cv_col_append_i16(col, (int16_t)(r * 100)); break;
            case CV_T_I32: cv_col_append_i32(col, (int32_t)r * 100000); break;
            case CV_T_I64: cv_col_append_i64(col, (int64_t)r << 40); break;
            case CV_T_F32: cv_col_append_f32(col, (float)r / 4); break;
            case CV_T_F64: cv_col_append_f64(col, r * 0.5); break;
            case CV_T_DECIMAL: cv_col_append_dec(col, (cv_i128)r * 101); break;
            case CV_T_STRING: {
                char s[32];
                int n = snprintf(s, sizeof s, "s%u", r);
                cv_col_append_str(col, s, (size_t)n);
                break;
            }
            case CV_T_BYTES: cv_col_append_str(col, "\x00\xff", r % 3); break;
            case CV_T_DATE: cv_col_append_i32(col, (int32_t)r); break;
            case CV_T_TIME: cv_col_append_i64(col, (int64_t)r * 1000000000); break;
            default: cv_col_append_i64(col, (int64_t)r * 1000000); break;
            }
        }
        cv_batch_end_row(b, (cv_row_kind)(r % 4));
    }
    cv_err e;
    cv_err_clear(&e);
    REQUIRE_INT(cv_batch_check(b, &e), 0);
    CHECK_UINT(b->nrows, ROWS);
    for (uint32_t r = 0; r < ROWS; r++) {
        bool null = r % 3 == 1;
        CHECK_INT(b->kinds[r], r % 4);
        for (uint32_t c = 0; c < b->ncols; c++) {
            const cv_col *col = &b->cols[c];
            unit_context("row %u column %s", r, cv_type_name(col->type->id));
            CHECK(cv_col_is_null(col, r) == (null || col->type->id == CV_T_NULL));
            if (null || col->type->id == CV_T_NULL) continue;
            switch (col->type->id) {
            case CV_T_BOOL: CHECK_INT(cv_col_get_int(col, r), r & 1); break;
            case CV_T_I8: CHECK_INT(cv_col_get_int(col, r), (int8_t)(r - 100)); break;
            case CV_T_I16: CHECK_INT(cv_col_get_int(col, r), (int16_t)(r * 100)); break;
            case CV_T_I32: CHECK_INT(cv_col_i32(col, r), (int32_t)r * 100000); break;
            case CV_T_I64: CHECK_INT(cv_col_i64(col, r), (int64_t)r << 40); break;
            case CV_T_F32: CHECK_DBL(cv_col_get_f64(col, r), (float)r / 4); break;
            case CV_T_F64: CHECK_DBL(cv_col_get_f64(col, r), r * 0.5); break;
            case CV_T_DECIMAL: CHECK_DBL(cv_col_get_f64(col, r), (double)(r * 101) / 100); break;
            case CV_T_STRING: {
                char s[32];
                snprintf(s, sizeof s, "s%u", r);
                CHECK_STR(fmtv(col, r, CV_FMT_TEXT), s);
                break;
            }
            case CV_T_BYTES: {
                uint32_t n;
                const char *p = cv_col_str(col, r, &n);
                CHECK_UINT(n, r % 3);
                CHECK_MEM(p, "\x00\xff", n);
                break;
            }
            case CV_T_DATE: CHECK_INT(cv_col_get_int(col, r), r); break;
            case CV_T_TIME: CHECK_INT(cv_col_get_int(col, r), (int64_t)r * 1000000000); break;
            default: CHECK_INT(cv_col_get_int(col, r), (int64_t)r * 1000000); break;
            }
        }
    }
    unit_context_clear();
    CHECK_UINT(b->cols[0].null_count, ROWS / 3);
    CHECK_UINT(b->cols[14].null_count, ROWS);
    CHECK(b->bytes > 0);
    cv_batch_free(b);
    cv_arena_free(&a);
}

TEST(batch_first_null_after_many_values)
{
    /* the validity bitmap appears with the first NULL and must mark every
     * earlier value valid, across byte boundaries */
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, ty(&a, "int")), 0);
    for (int n = 0; n < 77; n++) cv_col_append_i32(&c, n);
    CHECK(c.validity == NULL);
    cv_col_append_null(&c);
    for (int n = 0; n < 200; n++) cv_col_append_i32(&c, n); /* grows the bitmap */
    cv_col_append_null(&c);
    REQUIRE_UINT(c.len, 279);
    for (uint32_t i = 0; i < c.len; i++)
        if (!CHECK(cv_col_is_null(&c, i) == (i == 77 || i == 278))) break;
    CHECK_UINT(c.null_count, 2);
    CHECK_INT(cv_col_i32(&c, 76), 76);
    CHECK_INT(cv_col_i32(&c, 78), 0);
    CHECK_INT(cv_col_i32(&c, 77), 0); /* a NULL's slot is zeroed */
    cv_col_destroy(&c);
    cv_arena_free(&a);
}

TEST(batch_strings)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, ty(&a, "string")), 0);
    cv_col_append_str(&c, "", 0);
    cv_col_append_null(&c);
    cv_col_append_str(&c, "hello", 5);
    cv_col_append_str(&c, "a\0b", 3);
    char big[10000];
    memset(big, 'x', sizeof big);
    for (int i = 0; i < 50; i++) cv_col_append_str(&c, big, sizeof big);
    cv_col_append_str(&c, "", 0);
    REQUIRE_UINT(c.len, 55);
    CHECK(c.owner->err == 0);
    uint32_t n;
    const char *p = cv_col_str(&c, 0, &n);
    CHECK_UINT(n, 0);
    CHECK(p != NULL);
    CHECK(cv_col_is_null(&c, 1));
    cv_col_str(&c, 1, &n);
    CHECK_UINT(n, 0);
    p = cv_col_str(&c, 2, &n);
    CHECK_UINT(n, 5);
    CHECK_MEM(p, "hello", 5);
    p = cv_col_str(&c, 3, &n);
    CHECK_UINT(n, 3);
    CHECK_MEM(p, "a\0b", 3);
    p = cv_col_str(&c, 30, &n);
    CHECK_UINT(n, sizeof big);
    CHECK_MEM(p, big, sizeof big);
    CHECK_UINT(c.var_len, 8 + 50 * sizeof big);
    cv_col_str(&c, 54, &n);
    CHECK_UINT(n, 0);
    /* a column holding only empty strings has no payload buffer */
    cv_col e;
    REQUIRE_INT(cv_col_init(&e, ty(&a, "string")), 0);
    cv_col_append_str(&e, "", 0);
    p = cv_col_str(&e, 0, &n);
    CHECK(p != NULL);
    CHECK_UINT(n, 0);
    CHECK_STR(fmtv(&e, 0, CV_FMT_JSON), "\"\"");
    CHECK_STR(fmtv(&e, 0, CV_FMT_JAVA), "");
    cv_col_destroy(&e);
    cv_col_destroy(&c);
    cv_arena_free(&a);
}

TEST(batch_arrays_of_arrays)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, ty(&a, "array<array<int>>")), 0);
    cv_col *inner = &c.child[0], *leaf = &c.child[0].child[0];
    /* [[1, 2], [], null, [3]] */
    cv_col_append_i32(leaf, 1);
    cv_col_append_i32(leaf, 2);
    cv_col_append_list(inner, 2);
    cv_col_append_list(inner, 0);
    cv_col_append_null(inner);
    cv_col_append_i32(leaf, 3);
    cv_col_append_list(inner, 1);
    cv_col_append_list(&c, 4);
    /* NULL */
    cv_col_append_null(&c);
    /* [] */
    cv_col_append_list(&c, 0);
    /* [[null]] */
    cv_col_append_null(leaf);
    cv_col_append_list(inner, 1);
    cv_col_append_list(&c, 1);
    REQUIRE_UINT(c.len, 4);
    CHECK_STR(fmtv(&c, 0, CV_FMT_JAVA), "[[1, 2], [], null, [3]]");
    CHECK_STR(fmtv(&c, 0, CV_FMT_JSON), "[[1,2],[],null,[3]]");
    CHECK_STR(fmtv(&c, 1, CV_FMT_JAVA), "");
    CHECK_STR(fmtv(&c, 1, CV_FMT_JSON), "null");
    CHECK_STR(fmtv(&c, 2, CV_FMT_JSON), "[]");
    CHECK_STR(fmtv(&c, 3, CV_FMT_JAVA), "[[null]]");
    CHECK_STR(fmtv(&c, 3, CV_FMT_JSON), "[[null]]");
    const int32_t *o = cv_col_offsets(&c);
    CHECK_INT(o[0], 0);
    CHECK_INT(o[1], 4);
    CHECK_INT(o[2], 4);
    CHECK_INT(o[3], 4);
    CHECK_INT(o[4], 5);
    cv_col_destroy(&c);
    cv_arena_free(&a);
}

TEST(batch_maps)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, ty(&a, "map<string, bigint>")), 0);
    cv_col_append_str(&c.child[0], "a", 1);
    cv_col_append_i64(&c.child[1], 1);
    cv_col_append_str(&c.child[0], "b\"q", 3);
    cv_col_append_null(&c.child[1]);
    cv_col_append_list(&c, 2);
    cv_col_append_list(&c, 0);
    cv_col_append_null(&c);
    CHECK_STR(fmtv(&c, 0, CV_FMT_JSON), "{\"a\":1,\"b\\\"q\":null}");
    CHECK_STR(fmtv(&c, 0, CV_FMT_JAVA), "{\"a\":1,\"b\\\"q\":null}");
    CHECK_STR(fmtv(&c, 1, CV_FMT_JSON), "{}");
    CHECK_STR(fmtv(&c, 2, CV_FMT_JSON), "null");
    cv_col m2;
    REQUIRE_INT(cv_col_init(&m2, ty(&a, "map<int, array<string>>")), 0);
    cv_col_append_i32(&m2.child[0], 7);
    cv_col_append_str(&m2.child[1].child[0], "x", 1);
    cv_col_append_list(&m2.child[1], 1);
    cv_col_append_list(&m2, 1);
    CHECK_STR(fmtv(&m2, 0, CV_FMT_TEXT), "{\"7\":[\"x\"]}");
    cv_col_destroy(&m2);
    cv_col_destroy(&c);
    cv_arena_free(&a);
}

TEST(batch_rows_with_null_rows)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, ty(&a, "row<a int, b string, r row<x double>>")), 0);
    REQUIRE_UINT(c.nchild, 3);
    /* {1, "one", {0.5}} */
    cv_col_append_i32(&c.child[0], 1);
    cv_col_append_str(&c.child[1], "one", 3);
    cv_col_append_f64(&c.child[2].child[0], 0.5);
    cv_col_append_struct(&c.child[2]);
    cv_col_append_struct(&c);
    /* NULL row: every child gets a NULL so they stay aligned */
    cv_col_append_null(&c);
    /* {null, "three", null} */
    cv_col_append_null(&c.child[0]);
    cv_col_append_str(&c.child[1], "three", 5);
    cv_col_append_null(&c.child[2]);
    cv_col_append_struct(&c);
    REQUIRE_UINT(c.len, 3);
    for (uint32_t k = 0; k < 3; k++) CHECK_UINT(c.child[k].len, 3);
    CHECK_UINT(c.child[2].child[0].len, 3);
    CHECK(cv_col_is_null(&c, 1));
    CHECK(cv_col_is_null(&c.child[0], 1));
    CHECK(cv_col_is_null(&c.child[2].child[0], 1));
    CHECK(!cv_col_is_null(&c, 2));
    CHECK_STR(fmtv(&c, 0, CV_FMT_JAVA), "[1, one, [0.5]]");
    CHECK_STR(fmtv(&c, 0, CV_FMT_JSON), "{\"a\":1,\"b\":\"one\",\"r\":{\"x\":0.5}}");
    CHECK_STR(fmtv(&c, 1, CV_FMT_JSON), "null");
    CHECK_STR(fmtv(&c, 2, CV_FMT_JAVA), "[null, three, null]");
    CHECK_STR(fmtv(&c, 2, CV_FMT_JSON), "{\"a\":null,\"b\":\"three\",\"r\":null}");
    cv_col_destroy(&c);
    cv_arena_free(&a);
}

TEST(batch_copy_row_deep)
{
    static const char *const types[] = {
        "int",
        "string",
        "array<array<int>>",
        "map<string, row<x int, y array<string>>>",
        "row<a bigint, b row<c string>>",
        "decimal(20,4)",
        "bytes",
    };
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_table *t = table_of(&a, types, CV_ARRAY_LEN(types));
    cv_batch *src = cv_batch_new(t, 0);
    REQUIRE(src != NULL);
    for (uint32_t r = 0; r < 10; r++) {
        if (r % 4 == 3) {
            for (uint32_t c = 0; c < src->ncols; c++) cv_col_append_null(&src->cols[c]);
            cv_batch_end_row(src, CV_ROW_DELETE);
            continue;
        }
        char s[16];
        int sn = snprintf(s, sizeof s, "v%u", r);
        cv_col_append_i32(&src->cols[0], (int32_t)r);
        cv_col_append_str(&src->cols[1], s, (size_t)sn);
        cv_col *arr = &src->cols[2];
        for (uint32_t k = 0; k < r % 3; k++) {
            for (uint32_t j = 0; j <= k; j++) cv_col_append_i32(&arr->child[0].child[0], (int32_t)(r + j));
            cv_col_append_list(&arr->child[0], k + 1);
        }
        cv_col_append_list(arr, r % 3);
        cv_col *m = &src->cols[3];
        cv_col_append_str(&m->child[0], s, (size_t)sn);
        cv_col_append_i32(&m->child[1].child[0], (int32_t)r);
        cv_col_append_str(&m->child[1].child[1].child[0], s, (size_t)sn);
        cv_col_append_list(&m->child[1].child[1], 1);
        cv_col_append_struct(&m->child[1]);
        cv_col_append_list(m, 1);
        cv_col *row = &src->cols[4];
        cv_col_append_i64(&row->child[0], r * 1000);
        if (r % 2)
            cv_col_append_null(&row->child[1]);
        else {
            cv_col_append_str(&row->child[1].child[0], s, (size_t)sn);
            cv_col_append_struct(&row->child[1]);
        }
        cv_col_append_struct(row);
        cv_col_append_dec(&src->cols[5], (cv_i128)r * 12345);
        cv_col_append_str(&src->cols[6], s, (size_t)sn);
        cv_batch_end_row(src, CV_ROW_INSERT);
    }
    cv_err e;
    cv_err_clear(&e);
    REQUIRE_INT(cv_batch_check(src, &e), 0);
    cv_batch *dst = cv_batch_new(t, 0);
    REQUIRE(dst != NULL);
    for (uint32_t r = src->nrows; r-- > 0;) cv_batch_copy_row(dst, src, r); /* reversed */
    REQUIRE_INT(cv_batch_check(dst, &e), 0);
    REQUIRE_UINT(dst->nrows, src->nrows);
    for (uint32_t r = 0; r < src->nrows; r++) {
        uint32_t d = src->nrows - 1 - r;
        CHECK_INT(dst->kinds[d], src->kinds[r]);
        for (uint32_t c = 0; c < src->ncols; c++) {
            unit_context("row %u column %u", r, c);
            CHECK_INT(cv_value_compare(&src->cols[c], r, &dst->cols[c], d), 0);
            char want[4096];
            snprintf(want, sizeof want, "%s", fmtv(&src->cols[c], r, CV_FMT_JSON));
            CHECK_STR(fmtv(&dst->cols[c], d, CV_FMT_JSON), want);
        }
    }
    unit_context_clear();
    CHECK_STR(fmtv(&src->cols[3], 2, CV_FMT_JSON), "{\"v2\":{\"x\":2,\"y\":[\"v2\"]}}");
    CHECK_STR(fmtv(&src->cols[4], 1, CV_FMT_JAVA), "[1000, null]");
    CHECK_STR(fmtv(&src->cols[2], 2, CV_FMT_JAVA), "[[2], [2, 3]]");
    cv_batch_free(dst);
    cv_batch_free(src);
    cv_arena_free(&a);
}

TEST(batch_col_extend)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, ty(&a, "bigint")), 0);
    int64_t *p = cv_col_extend(&c, 1000);
    REQUIRE(p != NULL);
    for (int i = 0; i < 1000; i++) p[i] = i * 7;
    CHECK_UINT(c.len, 1000);
    cv_col_append_null(&c);
    p = cv_col_extend(&c, 13); /* after a NULL: the new values are valid */
    REQUIRE(p != NULL);
    for (int i = 0; i < 13; i++) p[i] = -i;
    CHECK_UINT(c.len, 1014);
    CHECK_INT(cv_col_i64(&c, 999), 999 * 7);
    CHECK(cv_col_is_null(&c, 1000));
    for (uint32_t i = 1001; i < 1014; i++) CHECK(!cv_col_is_null(&c, i));
    CHECK_INT(cv_col_i64(&c, 1013), -12);
    CHECK(cv_col_extend(&c, 0) != NULL);
    CHECK_UINT(c.len, 1014);
    cv_col_reset(&c);
    CHECK_UINT(c.len, 0);
    CHECK(c.validity == NULL);
    p = cv_col_extend(&c, 3);
    REQUIRE(p != NULL);
    p[0] = 5;
    CHECK_INT(cv_col_i64(&c, 0), 5);
    cv_col_destroy(&c);
    cv_arena_free(&a);
}

TEST(batch_refcount_clear_full)
{
    static const char *const types[] = {"int", "string"};
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_table *t = table_of(&a, types, 2);
    cv_batch *b = cv_batch_new(t, 3);
    REQUIRE(b != NULL);
    CHECK_INT(b->refs, 1);
    for (int r = 0; r < 3; r++) {
        CHECK(!cv_batch_full(b));
        cv_col_append_i32(&b->cols[0], r);
        cv_col_append_str(&b->cols[1], "x", 1);
        cv_batch_end_row(b, CV_ROW_INSERT);
    }
    CHECK(cv_batch_full(b));
    cv_batch_ref(b);
    cv_batch_ref(b);
    CHECK_INT(b->refs, 3);
    cv_batch_free(b);
    cv_batch_free(b);
    CHECK_INT(b->refs, 1); /* still alive: ASan would object otherwise */
    cv_batch_clear(b);
    CHECK_UINT(b->nrows, 0);
    CHECK_UINT(b->cols[0].len, 0);
    CHECK_UINT(b->bytes, 0);
    cv_col_append_i32(&b->cols[0], 9);
    cv_col_append_str(&b->cols[1], "y", 1);
    cv_batch_end_rows(b, 1, CV_ROW_UPDATE_AFTER);
    CHECK_INT(cv_col_i32(&b->cols[0], 0), 9);
    CHECK_INT(b->kinds[0], CV_ROW_UPDATE_AFTER);
    /* the byte limit makes a batch full too */
    b->byte_limit = 1;
    CHECK(cv_batch_full(b));
    cv_batch_free(b);
    cv_batch_free(NULL);
    cv_arena_free(&a);
}

TEST(batch_end_rows_and_check)
{
    static const char *const types[] = {"int", "double"};
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_table *t = table_of(&a, types, 2);
    cv_batch *b = cv_batch_new(t, 0);
    REQUIRE(b != NULL);
    int32_t *x = cv_col_extend(&b->cols[0], 500);
    double *y = cv_col_extend(&b->cols[1], 500);
    REQUIRE(x && y);
    for (int i = 0; i < 500; i++) x[i] = i, y[i] = i / 2.0;
    cv_batch_end_rows(b, 500, CV_ROW_INSERT);
    cv_err e;
    cv_err_clear(&e);
    CHECK_INT(cv_batch_check(b, &e), 0);
    CHECK_UINT(b->nrows, 500);
    /* a column left behind is an internal error naming it */
    cv_col_append_i32(&b->cols[0], 1);
    cv_batch_end_row(b, CV_ROW_INSERT);
    CHECK_INT(cv_batch_check(b, &e), CV_EINTERNAL);
    CHECK_CONTAINS(e.msg, "column \"c1\" has 500 values but the batch has 501 rows");
    cv_batch_free(b);
    cv_arena_free(&a);
}

TEST(batch_append_int_any_ranges)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    static const struct {
        const char *type;
        int64_t ok, bad;
    } cases[] = {
        {"tinyint", -128, 128},          {"tinyint", 127, -129},
        {"smallint", 32767, 32768},      {"int", INT32_MIN, (int64_t)INT32_MIN - 1},
        {"date", 19000, INT64_MAX},      {"decimal(5,2)", 999, 1000},
        {"decimal(5,2)", -999, -1000},   {"decimal(38,30)", 99999999, 100000000},
        {"decimal(38,0)", INT64_MIN, 0}, /* every int64 fits decimal(38,0) */
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        unit_context("%s", cases[i].type);
        cv_col c;
        REQUIRE_INT(cv_col_init(&c, ty(&a, cases[i].type)), 0);
        cv_col_append_int_any(&c, cases[i].ok);
        CHECK_INT(c.owner->err, 0);
        CHECK_UINT(c.len, 1);
        if (cases[i].bad) {
            cv_col_append_int_any(&c, cases[i].bad);
            CHECK_INT(c.owner->err, CV_ERANGE);
            CHECK_UINT(c.len, 1);
        }
        cv_col_destroy(&c);
    }
    unit_context_clear();
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, ty(&a, "decimal(10,3)")), 0);
    cv_col_append_int_any(&c, -42);
    CHECK_STR(fmtv(&c, 0, CV_FMT_TEXT), "-42.000");
    cv_col_destroy(&c);
    REQUIRE_INT(cv_col_init(&c, ty(&a, "double")), 0);
    cv_col_append_int_any(&c, 3);
    CHECK_DBL(cv_col_get_f64(&c, 0), 3);
    cv_col_destroy(&c);
    REQUIRE_INT(cv_col_init(&c, ty(&a, "boolean")), 0);
    cv_col_append_int_any(&c, 5);
    CHECK_INT(cv_col_get_int(&c, 0), 1);
    cv_col_destroy(&c);
    REQUIRE_INT(cv_col_init(&c, ty(&a, "string")), 0);
    cv_col_append_int_any(&c, 5);
    CHECK_INT(c.owner->err, CV_ERANGE);
    cv_col_destroy(&c);
    /* a batch reports the range error once, as a value */
    static const char *const types[] = {"tinyint"};
    cv_table *t = table_of(&a, types, 1);
    cv_batch *b = cv_batch_new(t, 0);
    REQUIRE(b != NULL);
    cv_col_append_int_any(&b->cols[0], 1000);
    cv_err e;
    cv_err_clear(&e);
    CHECK_INT(cv_batch_check(b, &e), CV_ERANGE);
    CHECK_CONTAINS(e.msg, "out of range");
    cv_batch_free(b);
    cv_arena_free(&a);
}

TEST(batch_get_numbers)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, ty(&a, "decimal(10,3)")), 0);
    cv_col_append_dec(&c, -12345);
    CHECK_DBL(cv_col_get_f64(&c, 0), -12.345);
    cv_col_destroy(&c);
    REQUIRE_INT(cv_col_init(&c, ty(&a, "float")), 0);
    cv_col_append_f32(&c, 2.75f);
    CHECK_INT(cv_col_get_int(&c, 0), 2);
    cv_col_destroy(&c);
    REQUIRE_INT(cv_col_init(&c, ty(&a, "smallint")), 0);
    cv_col_append_i16(&c, -7);
    CHECK_DBL(cv_col_get_f64(&c, 0), -7);
    cv_col_destroy(&c);
    REQUIRE_INT(cv_col_init(&c, ty(&a, "string")), 0);
    cv_col_append_str(&c, "x", 1);
    CHECK_INT(cv_col_get_int(&c, 0), 0);
    cv_col_destroy(&c);
    cv_arena_free(&a);
}

/* Build a batch of nested values; every allocation failure must end up in
 * the batch's sticky error (or cv_batch_new returning NULL), never a crash
 * or a leak. */
static int build_batch(const cv_table *t)
{
    cv_batch *b = cv_batch_new(t, 0);
    if (!b) return CV_ENOMEM;
    for (int r = 0; r < 200; r++) {
        cv_col_append_i32(&b->cols[0], r);
        cv_col_append_str(&b->cols[1], "some text", 9);
        cv_col *m = &b->cols[2];
        cv_col_append_str(&m->child[0], "k", 1);
        cv_col_append_i32(&m->child[1].child[0], r);
        cv_col_append_list(&m->child[1], 1);
        cv_col_append_list(m, 1);
        if (r % 7 == 0)
            cv_col_append_null(&b->cols[3]);
        else {
            cv_col_append_f64(&b->cols[3].child[0], r);
            cv_col_append_struct(&b->cols[3]);
        }
        cv_batch_end_row(b, CV_ROW_INSERT);
    }
    cv_batch *copy = cv_batch_new(t, 0);
    if (copy) {
        for (uint32_t r = 0; r < b->nrows && b->err == 0; r++) cv_batch_copy_row(copy, b, r);
    }
    cv_err e;
    cv_err_clear(&e);
    int rc = cv_batch_check(b, &e);
    if (!copy)
        rc = CV_ENOMEM;
    else if (rc == 0)
        rc = cv_batch_check(copy, &e);
    cv_batch_free(copy);
    cv_batch_free(b);
    return rc;
}

TEST(batch_out_of_memory)
{
    static const char *const types[] = {"int", "string", "map<string, array<int>>", "row<x double>"};
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_table *t = table_of(&a, types, CV_ARRAY_LEN(types));
    int failures = 0;
    for (uint64_t n = 1;; n++) {
        cv_alloc_fail_after(n);
        int rc = build_batch(t);
        uint64_t made = cv_alloc_fail_after(0);
        if (made < n) {
            CHECK_INT(rc, 0);
            break;
        }
        unit_context("allocation %llu", (unsigned long long)n);
        if (!CHECK_INT(rc, CV_ENOMEM)) break;
        failures++;
    }
    unit_context_clear();
    CHECK(failures > 10);
    /* a free-standing column that cannot be created */
    cv_col c;
    cv_alloc_fail_after(1);
    CHECK_INT(cv_col_init(&c, t->cols[2].type), CV_ENOMEM);
    cv_alloc_fail_after(2);
    CHECK_INT(cv_col_init(&c, t->cols[2].type), CV_ENOMEM);
    cv_alloc_fail_after(0);
    cv_arena_free(&a);
}
