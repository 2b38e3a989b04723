/* test_type.c — SeaTunnel type spellings: parsing, printing, equality,
 * and the errors for malformed types. Also row kinds. */
#include "helpers.h"

static const char *tfmt(cv_arena *a, const char *s)
{
    static char out[512];
    const cv_type *t = ty(a, s);
    return cv_type_str(t, out, sizeof out);
}

TEST(type_primitive_spellings)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"string", "string"},
        {"varchar", "string"},
        {"text", "string"},
        {"STRING", "string"},
        {"boolean", "boolean"},
        {"bool", "boolean"},
        {"tinyint", "tinyint"},
        {"byte", "tinyint"},
        {"smallint", "smallint"},
        {"short", "smallint"},
        {"int", "int"},
        {"integer", "int"},
        {"Int", "int"},
        {"bigint", "bigint"},
        {"long", "bigint"},
        {"float", "float"},
        {"double", "double"},
        {"bytes", "bytes"},
        {"binary", "bytes"},
        {"date", "date"},
        {"time", "time"},
        {"timestamp", "timestamp"},
        {"datetime", "timestamp"},
        {"timestamp_tz", "timestamp_tz"},
        {"null", "null"},
        {"  int  ", "int"},
        {"\tbigint\n", "bigint"},
    };
    cv_arena a;
    cv_arena_init(&a, 0);
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        unit_context("\"%s\"", cases[i].in);
        CHECK_STR(tfmt(&a, cases[i].in), cases[i].out);
    }
    unit_context_clear();
    /* primitives are singletons */
    CHECK(ty(&a, "int") == cv_type_prim(CV_T_I32));
    CHECK(ty(&a, "long") == cv_type_prim(CV_T_I64));
    CHECK(cv_type_prim(CV_T_DECIMAL) == NULL);
    CHECK(cv_type_prim(CV_T_ROW) == NULL);
    cv_arena_free(&a);
}

TEST(type_composite_spellings)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"decimal(10, 2)", "decimal(10,2)"},
        {"decimal(10,2)", "decimal(10,2)"},
        {"DECIMAL ( 5 , 0 )", "decimal(5,0)"},
        {"decimal(38, 38)", "decimal(38,38)"},
        {"decimal(1,0)", "decimal(1,0)"},
        {"decimal", "decimal(38,18)"},
        {"array<int>", "array<int>"},
        {"ARRAY < string >", "array<string>"},
        {"map<string, bigint>", "map<string, bigint>"},
        {"map<int,decimal(5,1)>", "map<int, decimal(5,1)>"},
        {"map<string, {c_int = int, c_string = string}>", "map<string, row<c_int int, c_string string>>"},
        {"row<a int, b string>", "row<a int, b string>"},
        {"row<a: int, b = string>", "row<a int, b string>"},
        {"{a = int, b : string}", "row<a int, b string>"},
        {"{a = int\n b = string}", "row<a int, b string>"},
        {"{a = int; b = string;}", "row<a int, b string>"},
        {"{a = \"decimal(10, 2)\", b = \"array<int>\"}", "row<a decimal(10,2), b array<int>>"},
        {"{`a b` = int, \"c.d\" = string, 'e' = date}", "row<a b int, c.d string, e date>"},
        {"array<array<map<string, row<x timestamp, y array<time>>>>>",
         "array<array<map<string, row<x timestamp, y array<time>>>>>"},
        {"{outer = {inner = {leaf = bigint}}}", "row<outer row<inner row<leaf bigint>>>"},
        {"map<decimal(5,2), null>", "map<decimal(5,2), null>"},
    };
    cv_arena a;
    cv_arena_init(&a, 0);
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        unit_context("\"%s\"", cases[i].in);
        CHECK_STR(tfmt(&a, cases[i].in), cases[i].out);
    }
    unit_context_clear();
    const cv_type *t = ty(&a, "map<string, {c_int = int, c_string = string}>");
    CHECK_INT(t->id, CV_T_MAP);
    CHECK_INT(t->elem->id, CV_T_STRING);
    REQUIRE_INT(t->value->id, CV_T_ROW);
    REQUIRE_UINT(t->value->nfields, 2);
    CHECK_STR(t->value->fields[1].name, "c_string");
    t = ty(&a, "decimal(10, 2)");
    CHECK_UINT(t->precision, 10);
    CHECK_UINT(t->scale, 2);
    cv_arena_free(&a);
}

TEST(type_deep_nesting)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_buf b;
    cv_buf_init(&b);
    for (int i = 0; i < 31; i++) cv_buf_puts(&b, "array<");
    cv_buf_puts(&b, "int");
    for (int i = 0; i < 31; i++) cv_buf_putc(&b, '>');
    const cv_type *t = ty(&a, b.data);
    int depth = 0;
    while (t->id == CV_T_ARRAY) {
        t = t->elem;
        depth++;
    }
    CHECK_INT(depth, 31);
    /* far deeper is refused, not a stack overflow */
    cv_buf_reset(&b);
    for (int i = 0; i < 5000; i++) cv_buf_puts(&b, "array<");
    cv_err e;
    cv_err_clear(&e);
    CHECK_INT(cv_type_parse(&a, b.data, &t, &e), CV_ECONFIG);
    CHECK_CONTAINS(e.msg, "nesting too deep");
    cv_buf_reset(&b);
    for (int i = 0; i < 5000; i++) cv_buf_puts(&b, "{a = ");
    cv_err_clear(&e);
    CHECK_INT(cv_type_parse(&a, b.data, &t, &e), CV_ECONFIG);
    CHECK_CONTAINS(e.msg, "nesting too deep");
    cv_buf_free(&b);
    cv_arena_free(&a);
}

TEST(type_errors)
{
    static const struct {
        const char *in, *msg;
    } cases[] = {
        {"", "expected a type name"},
        {"   ", "expected a type name"},
        {"decimal(x)", "expected precision"},
        {"decimal(10)", "expected ',' between precision and scale"},
        {"decimal(10 2)", "expected ',' between precision and scale"},
        {"decimal(10,)", "expected scale"},
        {"decimal(10,2", "expected ')'"},
        {"decimal(40,2)", "decimal precision 40 is outside 1..38"},
        {"decimal(0,0)", "decimal precision 0 is outside 1..38"},
        {"decimal(99999999999,2)", "expected precision"},
        {"decimal(5,6)", "decimal scale 6 exceeds precision 5"},
        {"decimal(10,2) x", "unexpected text after the type"},
        {"array<>", "expected a type name"},
        {"array<int", "expected '>'"},
        {"array int", "expected '<' after array"},
        {"map<int>", "expected ',' between map key and value types"},
        {"map<array<int>,int>", "map keys must be a basic type"},
        {"map<map<int,int>,int>", "map keys must be a basic type"},
        {"map<{a = int},int>", "map keys must be a basic type"},
        {"map<null,int>", "map keys must be a basic type"},
        {"row<>", "a row needs at least one field"},
        {"{}", "a row needs at least one field"},
        {"row<a int b string>", "expected ',' or '>'"},
        {"{a int}", "expected '=' after field name"},
        {"{a = int, a = string}", "duplicate field \"a\""},
        {"{a = int", "expected ',' or '}'"},
        {"{\"a = int}", "unterminated field name"},
        {"{a = \"int}", "unterminated quoted type"},
        {"{a = \"int x\"}", "unexpected text after type"},
        {"{ = int}", "expected a field name"},
        {"int int", "unexpected text after the type"},
        {"int>", "unexpected text after the type"},
        {"strng", "unknown type \"strng\" (did you mean \"string\"?)"},
        {"intt", "unknown type \"intt\" (did you mean \"int\"?)"},
        {"decimall", "unknown type \"decimall\" (did you mean \"decimal\"?)"},
        {"arary<int>", "did you mean \"array\"?"},
        {"completely_unknown", "unknown type \"completely_unknown\""},
        {"(", "expected a type name"},
    };
    cv_arena a;
    cv_arena_init(&a, 0);
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        unit_context("\"%s\"", cases[i].in);
        const cv_type *t = (const cv_type *)&a;
        cv_err e;
        cv_err_clear(&e);
        CHECK_INT(cv_type_parse(&a, cases[i].in, &t, &e), CV_ECONFIG);
        CHECK_INT(e.code, CV_ECONFIG);
        CHECK_CONTAINS(e.msg, cases[i].msg);
    }
    unit_context_clear();
    /* no suggestion when nothing is close */
    cv_err e;
    cv_err_clear(&e);
    const cv_type *t;
    cv_type_parse(&a, "completely_unknown", &t, &e);
    CHECK(strstr(e.msg, "did you mean") == NULL);
    /* offsets name the place */
    cv_err_clear(&e);
    cv_type_parse(&a, "array<int", &t, &e);
    CHECK_CONTAINS(e.msg, "at offset 9");
    cv_arena_free(&a);
}

TEST(type_equal)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    CHECK(cv_type_equal(ty(&a, "int"), ty(&a, "integer")));
    CHECK(!cv_type_equal(ty(&a, "int"), ty(&a, "bigint")));
    CHECK(cv_type_equal(ty(&a, "decimal(10,2)"), ty(&a, "decimal(10, 2)")));
    CHECK(!cv_type_equal(ty(&a, "decimal(10,2)"), ty(&a, "decimal(10,3)")));
    CHECK(!cv_type_equal(ty(&a, "decimal(10,2)"), ty(&a, "decimal(11,2)")));
    CHECK(cv_type_equal(ty(&a, "array<int>"), ty(&a, "array<integer>")));
    CHECK(!cv_type_equal(ty(&a, "array<int>"), ty(&a, "array<bigint>")));
    CHECK(!cv_type_equal(ty(&a, "array<int>"), ty(&a, "int")));
    CHECK(cv_type_equal(ty(&a, "map<string,int>"), ty(&a, "map<varchar, int>")));
    CHECK(!cv_type_equal(ty(&a, "map<string,int>"), ty(&a, "map<string,bigint>")));
    CHECK(!cv_type_equal(ty(&a, "map<string,int>"), ty(&a, "map<int,int>")));
    CHECK(cv_type_equal(ty(&a, "row<a int, b string>"), ty(&a, "{a = int, b = string}")));
    CHECK(!cv_type_equal(ty(&a, "row<a int, b string>"), ty(&a, "row<a int, c string>")));
    CHECK(!cv_type_equal(ty(&a, "row<a int, b string>"), ty(&a, "row<a int>")));
    CHECK(!cv_type_equal(ty(&a, "row<a int, b string>"), ty(&a, "row<a int, b bytes>")));
    CHECK(!cv_type_equal(ty(&a, "row<a int, b string>"), ty(&a, "row<b string, a int>")));
    CHECK(cv_type_equal(ty(&a, "map<string, {x = array<decimal(5,1)>}>"),
                        ty(&a, "map<string, row<x array<decimal(5, 1)>>>")));
    CHECK(cv_type_equal(NULL, NULL));
    CHECK(!cv_type_equal(ty(&a, "int"), NULL));
    CHECK(!cv_type_equal(NULL, ty(&a, "int")));
    cv_arena_free(&a);
}

TEST(type_builders_and_info)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    const cv_type *d = cv_type_decimal(&a, 12, 4);
    const cv_type *arr = cv_type_array(&a, d);
    const cv_type *m = cv_type_map(&a, cv_type_prim(CV_T_STRING), arr);
    cv_field fs[2] = {{"k", m}, {"v", cv_type_prim(CV_T_BOOL)}};
    const cv_type *r = cv_type_row(&a, fs, 2);
    fs[0].name = "changed"; /* the row copied its fields */
    char out[128];
    CHECK_STR(cv_type_str(r, out, sizeof out), "row<k map<string, array<decimal(12,4)>>, v boolean>");
    CHECK_STR(cv_type_str(r, out, 10), "row<k map"); /* truncated, terminated */
    CHECK(cv_type_is_integer(cv_type_prim(CV_T_I8)));
    CHECK(!cv_type_is_integer(cv_type_prim(CV_T_F32)));
    CHECK(cv_type_is_numeric(d));
    CHECK(cv_type_is_numeric(cv_type_prim(CV_T_F64)));
    CHECK(!cv_type_is_numeric(cv_type_prim(CV_T_DATE)));
    CHECK(cv_type_is_var(cv_type_prim(CV_T_BYTES)));
    CHECK(!cv_type_is_var(arr));
    CHECK_STR(cv_type_name(CV_T_TIMESTAMP_TZ), "timestamp_tz");
    CHECK_STR(cv_type_name(CV_T__COUNT), "?");
    CHECK_UINT(cv_type_width(CV_T_DECIMAL), 16);
    CHECK_UINT(cv_type_width(CV_T_DATE), 4);
    CHECK_UINT(cv_type_width(CV_T_STRING), 0);
    CHECK_UINT(cv_type_width(CV_T__COUNT), 0);
    cv_alloc_fail_after(1);
    CHECK(cv_type_decimal(&a, 1, 0) == NULL || a.head != NULL);
    cv_alloc_fail_after(0);
    cv_arena_free(&a);
}

TEST(type_parse_out_of_memory)
{
    static const char *types[] = {
        "map<string, {c_int = int, c_string = \"decimal(10, 2)\", c_arr = array<row<a int>>}>",
        "row<a int, b string, c array<array<bigint>>>",
    };
    for (size_t k = 0; k < CV_ARRAY_LEN(types); k++) {
        for (uint64_t n = 1;; n++) {
            cv_arena a;
            cv_arena_init(&a, 64);
            cv_err e;
            cv_err_clear(&e);
            const cv_type *t;
            cv_alloc_fail_after(n);
            int rc = cv_type_parse(&a, types[k], &t, &e);
            uint64_t made = cv_alloc_fail_after(0);
            cv_arena_free(&a);
            if (made < n) {
                CHECK_INT(rc, 0);
                break;
            }
            unit_context("%s, allocation %llu", types[k], (unsigned long long)n);
            if (!CHECK_INT(rc, CV_ENOMEM) || !CHECK_INT(e.code, CV_ENOMEM)) break;
        }
        unit_context_clear();
    }
}

TEST(row_kinds)
{
    cv_row_kind k;
    static const char *longs[] = {"INSERT", "UPDATE_BEFORE", "UPDATE_AFTER", "DELETE"};
    static const char *shorts[] = {"+I", "-U", "+U", "-D"};
    for (int i = 0; i < 4; i++) {
        CHECK_STR(cv_row_kind_name((cv_row_kind)i), longs[i]);
        CHECK_STR(cv_row_kind_short((cv_row_kind)i), shorts[i]);
        k = (cv_row_kind)-1;
        CHECK_INT(cv_row_kind_parse(longs[i], &k), 0);
        CHECK_INT(k, i);
        k = (cv_row_kind)-1;
        CHECK_INT(cv_row_kind_parse(shorts[i], &k), 0);
        CHECK_INT(k, i);
    }
    CHECK_INT(cv_row_kind_parse("insert", &k), 0);
    CHECK_INT(k, CV_ROW_INSERT);
    CHECK_INT(cv_row_kind_parse("+i", &k), CV_EINVAL);
    CHECK_INT(cv_row_kind_parse("UPSERT", &k), CV_EINVAL);
    CHECK_INT(cv_row_kind_parse("", &k), CV_EINVAL);
    CHECK_STR(cv_row_kind_name((cv_row_kind)9), "?");
    CHECK_STR(cv_row_kind_short((cv_row_kind)-1), "?");
}
