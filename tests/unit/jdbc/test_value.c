/* test_value.c — the canonical text values cross as, the split of declared
 * type names, and value errors. */
#include "data/data.h"
#include "helpers.h"

#include <stdio.h>

static cv_arena A;

static const char *text_of(const char *type, const char *value)
{
    static char out[256];
    cv_err e;
    cv_err_clear(&e);
    const cv_type *t;
    REQUIRE_INT(cv_type_parse(&A, type, &t, &e), 0);
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, t), 0);
    REQUIRE_INT(cv_value_parse(&c, value, strlen(value), &e), 0);
    cv_buf b;
    cv_buf_init(&b);
    jdbc_value_text(&c, 0, &b);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    cv_buf_free(&b);
    cv_col_destroy(&c);
    return out;
}

TEST(value_text_canonical)
{
    cv_arena_init(&A, 0);
    CHECK_STR(text_of("decimal(10,2)", "1.5"), "1.50");
    CHECK_STR(text_of("decimal(38,18)", "-0.000000000000000001"), "-0.000000000000000001");
    CHECK_STR(text_of("decimal(5,0)", "-0"), "0");
    CHECK_STR(text_of("date", "0001-01-01"), "0001-01-01");
    CHECK_STR(text_of("date", "+10000-01-01"), "+10000-01-01");
    CHECK_STR(text_of("time", "12:00"), "12:00:00");
    CHECK_STR(text_of("time", "23:59:59.000000001"), "23:59:59.000000001");
    CHECK_STR(text_of("timestamp", "2024-02-29T12:00"), "2024-02-29 12:00:00");
    CHECK_STR(text_of("timestamp", "1969-12-31T23:59:59.999999"), "1969-12-31 23:59:59.999999");
    CHECK_STR(text_of("timestamp_tz", "2024-01-01T01:00:00+02:00"), "2023-12-31 23:00:00Z");
    CHECK_STR(text_of("boolean", "true"), "true");
    cv_arena_free(&A);
}

TEST(value_text_composites_are_json)
{
    cv_arena_init(&A, 0);
    cv_err e;
    cv_err_clear(&e);
    const cv_type *t;
    REQUIRE_INT(cv_type_parse(&A, "array<string>", &t, &e), 0);
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, t), 0);
    cv_col_append_str(&c.child[0], "a\"b", 3);
    cv_col_append_null(&c.child[0]);
    cv_col_append_list(&c, 2);
    cv_buf b;
    cv_buf_init(&b);
    jdbc_value_text(&c, 0, &b);
    CHECK_STR(b.data, "[\"a\\\"b\",null]");
    cv_buf_free(&b);
    cv_col_destroy(&c);
    cv_arena_free(&A);
}

static void split(const char *decl, const char *name, int nargs, int64_t a0, int64_t a1)
{
    char got[64];
    int64_t args[2];
    int n;
    unit_context("%s", decl ? decl : "(null)");
    jdbc_decl_split(decl, got, sizeof got, args, &n);
    CHECK_STR(got, name);
    CHECK_INT(n, nargs);
    if (n > 0) CHECK_INT(args[0], a0);
    if (n > 1) CHECK_INT(args[1], a1);
}

TEST(value_decl_split)
{
    split("decimal(10, 2)", "DECIMAL", 2, 10, 2);
    split("  double   precision ", "DOUBLE PRECISION", 0, 0, 0);
    split("VARCHAR( 255 )", "VARCHAR", 1, 255, 0);
    split("unsigned big int", "UNSIGNED BIG INT", 0, 0, 0);
    split("NUMERIC(-1,x)", "NUMERIC", 1, -1, 0);
    split("TEXT(", "TEXT", 0, 0, 0);
    split("", "", 0, 0, 0);
    split(NULL, "", 0, 0, 0);
}

TEST(value_error_message)
{
    cv_err e;
    cv_err_clear(&e);
    CHECK_INT(jdbc_value_error(&e, "t", "c", 7, "%d is odd", 3), CV_EDATA);
    CHECK_STR(e.msg, "table t, column c, row 7: 3 is odd");
}
