/* test_value.c — value text: strict parsing and ranges for every type, and
 * printing in the JAVA (SeaTunnel's Console), JSON and TEXT styles. */
#include "helpers.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

typedef struct {
    const char *type, *in, *java, *json, *text;
} ok_case;

/* Parse `in` as `type`; check the three printed forms (NULL: don't check). */
static void ok_cases(const ok_case *cs, size_t n)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    for (size_t i = 0; i < n; i++) {
        unit_context("%s \"%s\"", cs[i].type, cs[i].in);
        cv_col c;
        REQUIRE_INT(cv_col_init(&c, ty(&a, cs[i].type)), 0);
        cv_err e;
        if (CHECK_INT(vparse(&c, cs[i].in, &e), 0) && CHECK_UINT(c.len, 1)) {
            if (cs[i].java) CHECK_STR(fmtv(&c, 0, CV_FMT_JAVA), cs[i].java);
            if (cs[i].json) CHECK_STR(fmtv(&c, 0, CV_FMT_JSON), cs[i].json);
            if (cs[i].text) CHECK_STR(fmtv(&c, 0, CV_FMT_TEXT), cs[i].text);
        } else {
            unit__fail(__FILE__, __LINE__, "error: %s", e.msg);
        }
        cv_col_destroy(&c);
    }
    unit_context_clear();
    cv_arena_free(&a);
}

typedef struct {
    const char *type, *in, *why;
} bad_case;

static void bad_cases(const bad_case *cs, size_t n)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    for (size_t i = 0; i < n; i++) {
        unit_context("%s \"%s\"", cs[i].type, cs[i].in);
        cv_col c;
        REQUIRE_INT(cv_col_init(&c, ty(&a, cs[i].type)), 0);
        cv_err e;
        CHECK_INT(vparse(&c, cs[i].in, &e), CV_EDATA);
        CHECK_UINT(c.len, 0);
        CHECK_CONTAINS(e.msg, "is not a valid");
        if (cs[i].why) CHECK_CONTAINS(e.msg, cs[i].why);
        cv_col_destroy(&c);
    }
    unit_context_clear();
    cv_arena_free(&a);
}

TEST(value_parse_integers)
{
    static const ok_case oks[] = {
        {"tinyint", "127", "127", "127", "127"},
        {"tinyint", "-128", "-128", "-128", "-128"},
        {"tinyint", "+5", "5", "5", "5"},
        {"tinyint", "007", "7", "7", "7"},
        {"smallint", "32767", "32767", NULL, NULL},
        {"smallint", "-32768", "-32768", NULL, NULL},
        {"int", "2147483647", "2147483647", NULL, NULL},
        {"int", "-2147483648", "-2147483648", NULL, NULL},
        {"bigint", "9223372036854775807", "9223372036854775807", "9223372036854775807", NULL},
        {"bigint", "-9223372036854775808", "-9223372036854775808", NULL, NULL},
        {"bigint", "0", "0", "0", "0"},
    };
    ok_cases(oks, CV_ARRAY_LEN(oks));
    static const bad_case bads[] = {
        {"tinyint", "128", "out of range"},
        {"tinyint", "-129", "out of range"},
        {"smallint", "32768", "out of range"},
        {"smallint", "-32769", "out of range"},
        {"int", "2147483648", "out of range"},
        {"int", "-2147483649", "out of range"},
        {"bigint", "9223372036854775808", NULL},
        {"bigint", "-9223372036854775809", NULL},
        {"int", "", NULL},
        {"int", " 1", NULL},
        {"int", "1 ", NULL},
        {"int", "12a", NULL},
        {"int", "1.0", NULL},
        {"int", "1e3", NULL},
        {"int", "0x10", NULL},
        {"int", "-", NULL},
        {"int", "null", NULL},
        {"bigint", "1_000", NULL},
    };
    bad_cases(bads, CV_ARRAY_LEN(bads));
}

TEST(value_parse_booleans)
{
    static const ok_case oks[] = {
        {"boolean", "true", "true", "true", "true"},
        {"boolean", "FALSE", "false", "false", "false"},
        {"boolean", "True", "true", NULL, NULL},
    };
    ok_cases(oks, CV_ARRAY_LEN(oks));
    static const bad_case bads[] = {
        {"boolean", "1", "expected true or false"},
        {"boolean", "yes", NULL},
        {"boolean", "", NULL},
        {"boolean", "truee", NULL},
        {"boolean", " true", NULL},
        {"null", "null", "only null is allowed"},
    };
    bad_cases(bads, CV_ARRAY_LEN(bads));
}

TEST(value_parse_floats)
{
    static const ok_case oks[] = {
        {"double", "3.1", "3.1", "3.1", "3.1"},
        {"double", "1e7", "1.0E7", "1.0E7", "1.0E7"},
        {"double", "10000000", "1.0E7", NULL, NULL},
        {"double", "9999999", "9999999.0", NULL, NULL},
        {"double", "0.001", "0.001", NULL, NULL},
        {"double", "0.0001", "1.0E-4", NULL, NULL},
        {"double", "-0.0", "-0.0", "-0.0", NULL},
        {"double", "0", "0.0", NULL, NULL},
        {"double", "100", "100.0", NULL, NULL},
        {"double", "123456789", "1.23456789E8", NULL, NULL},
        {"double", "0.30000000000000004", "0.30000000000000004", NULL, NULL},
        {"double", "1.7976931348623157E308", "1.7976931348623157E308", NULL, NULL},
        {"double", "4.9E-324", "4.9E-324", NULL, NULL},
        {"double", "2.2250738585072014E-308", "2.2250738585072014E-308", NULL, NULL},
        {"double", "1e21", "1.0E21", NULL, NULL},
        {"double", "1e23", "1.0E23", NULL, NULL},
        {"double", "-12.5e-10", "-1.25E-9", NULL, NULL},
        {"double", "NaN", "NaN", "null", "NaN"},
        {"double", "Infinity", "Infinity", "null", "Infinity"},
        {"double", "-Infinity", "-Infinity", "null", NULL},
        {"float", "3.1", "3.1", "3.1", "3.1"},
        {"float", "1.0E7", "1.0E7", NULL, NULL},
        {"float", "1.0E-4", "1.0E-4", NULL, NULL},
        {"float", "0.1", "0.1", NULL, NULL},
        {"float", "16777216", "1.6777216E7", NULL, NULL},
        {"float", "1234567", "1234567.0", NULL, NULL},
        {"float", "3.4028235E38", "3.4028235E38", NULL, NULL},
        {"float", "-3.4028235E38", "-3.4028235E38", NULL, NULL},
        {"float", "1.4E-45", "1.4E-45", NULL, NULL},
        {"float", "1.17549435E-38", "1.1754944E-38", NULL, NULL},
        {"float", "-0.0", "-0.0", NULL, NULL},
        {"float", "NaN", "NaN", "null", NULL},
        {"float", "0.33333334", "0.33333334", NULL, NULL},
    };
    ok_cases(oks, CV_ARRAY_LEN(oks));
    static const bad_case bads[] = {
        {"float", "3.5e38", "out of range"},
        {"float", "-1e39", "out of range"},
        {"double", "1e309", NULL},
        {"double", "nan", NULL},
        {"double", "inf", NULL},
        {"double", "", NULL},
        {"double", "1.5f", NULL},
        {"double", "0x1p3", NULL},
        {"double", " 1", NULL},
        {"double", "1,5", NULL},
    };
    bad_cases(bads, CV_ARRAY_LEN(bads));
}

TEST(value_parse_decimals)
{
    static const ok_case oks[] = {
        {"decimal(10,2)", "123.45", "123.45", "123.45", "123.45"},
        {"decimal(10,2)", "-123.45", "-123.45", "-123.45", "-123.45"},
        {"decimal(10,2)", "7", "7.00", "7.00", "7.00"},
        {"decimal(10,2)", "007.5", "7.50", NULL, NULL},
        {"decimal(10,2)", "0.05", "0.05", NULL, NULL},
        {"decimal(10,2)", "-0.05", "-0.05", "-0.05", NULL},
        {"decimal(10,2)", "-0", "0.00", NULL, NULL},
        {"decimal(10,2)", ".5", "0.50", NULL, NULL},
        {"decimal(10,2)", "5.", "5.00", NULL, NULL},
        {"decimal(10,2)", "+1.10", "1.10", NULL, NULL},
        {"decimal(10,2)", "1.2300", "1.23", NULL, NULL}, /* trailing zeros are not digits lost */
        {"decimal(10,2)", "12345678.99", "12345678.99", NULL, NULL},
        {"decimal(10,2)", "1.5e3", "1500.00", NULL, NULL},
        {"decimal(10,2)", "15E-1", "1.50", NULL, NULL},
        {"decimal(10,2)", "0.000", "0.00", NULL, NULL},
        {"decimal(5,0)", "99999", "99999", NULL, NULL},
        {"decimal(5,5)", "0.12345", "0.12345", NULL, NULL},
        {"decimal(5,5)", "-0.00001", "-0.00001", NULL, NULL},
        {"decimal(38,0)", "99999999999999999999999999999999999999", "99999999999999999999999999999999999999", NULL,
         NULL},
        {"decimal(38,0)", "-99999999999999999999999999999999999999", "-99999999999999999999999999999999999999", NULL,
         NULL},
        {"decimal(38,38)", "0.99999999999999999999999999999999999999", "0.99999999999999999999999999999999999999", NULL,
         NULL},
        {"decimal(38,18)", "12345678901234567890.123456789012345678", "12345678901234567890.123456789012345678", NULL,
         NULL},
        {"decimal", "1", "1.000000000000000000", NULL, NULL},
    };
    ok_cases(oks, CV_ARRAY_LEN(oks));
    static const bad_case bads[] = {
        {"decimal(10,2)", "1.234", "more fractional digits than the scale allows"},
        {"decimal(10,2)", "0.001", "more fractional digits"},
        {"decimal(10,2)", "123456789", "more digits than the precision allows"},
        {"decimal(10,2)", "1e9", "more digits than the precision allows"},
        {"decimal(5,5)", "1", "more digits than the precision allows"},
        {"decimal(38,0)", "100000000000000000000000000000000000000", "precision"},
        {"decimal(10,2)", "", NULL},
        {"decimal(10,2)", "abc", NULL},
        {"decimal(10,2)", "1.2.3", NULL},
        {"decimal(10,2)", "--1", NULL},
        {"decimal(10,2)", "1e", NULL},
        {"decimal(10,2)", "1e5000", NULL},
        {"decimal(10,2)", " 1", NULL},
        {"decimal(10,2)", "1 ", NULL},
        {"decimal(10,2)", ".", NULL},
        {"decimal(10,2)", "NaN", NULL},
    };
    bad_cases(bads, CV_ARRAY_LEN(bads));
}

TEST(value_parse_strings_and_bytes)
{
    static const ok_case oks[] = {
        {"string", "", "", "\"\"", ""},
        {"string", "h\xc3\xa9llo \"q\"\n", "h\xc3\xa9llo \"q\"\n", "\"h\xc3\xa9llo \\\"q\\\"\\n\"", NULL},
        {"bytes", "AB", "[65, 66]", "\"QUI=\"", "AB"},
        {"bytes", "\x80\xff", "[-128, -1]", "\"gP8=\"", NULL},
        {"bytes", "abc", NULL, "\"YWJj\"", NULL},
        {"bytes", "abcd", NULL, "\"YWJjZA==\"", NULL},
        {"bytes", "", "[]", "\"\"", ""},
    };
    ok_cases(oks, CV_ARRAY_LEN(oks));
}

TEST(value_parse_dates)
{
    static const ok_case oks[] = {
        {"date", "2024-02-29", "2024-02-29", "\"2024-02-29\"", "2024-02-29"},
        {"date", "1970-01-01", "1970-01-01", NULL, NULL},
        {"date", "0001-01-01", "0001-01-01", NULL, NULL},
        {"date", "9999-12-31", "9999-12-31", NULL, NULL},
        {"date", "-0001-12-31", "-0001-12-31", NULL, NULL},
        {"date", "+10000-01-01", "+10000-01-01", NULL, NULL},
        {"date", "2000-02-29", NULL, NULL, "2000-02-29"},
    };
    ok_cases(oks, CV_ARRAY_LEN(oks));
    static const bad_case bads[] = {
        {"date", "2023-02-29", "expected yyyy-MM-dd"},
        {"date", "1900-02-29", NULL},
        {"date", "2023-04-31", NULL},
        {"date", "2023-13-01", NULL},
        {"date", "2023-00-10", NULL},
        {"date", "2023-01-00", NULL},
        {"date", "2023-1-01", NULL},
        {"date", "23-01-01", NULL},
        {"date", "2023/01/01", NULL},
        {"date", "2023-01-01T00:00", NULL},
        {"date", "2023-01-01 ", NULL},
        {"date", "", NULL},
        {"date", "1234567-01-01", NULL},
    };
    bad_cases(bads, CV_ARRAY_LEN(bads));
}

TEST(value_parse_times)
{
    static const ok_case oks[] = {
        {"time", "12:30", "12:30", "\"12:30:00\"", "12:30:00"},
        {"time", "12:30:00", "12:30", NULL, "12:30:00"},
        {"time", "12:30:05", "12:30:05", NULL, NULL},
        {"time", "00:00:00", "00:00", NULL, "00:00:00"},
        {"time", "23:59:59.999999999", "23:59:59.999999999", NULL, "23:59:59.999999999"},
        {"time", "01:02:03.5", "01:02:03.500", NULL, "01:02:03.500"},
        {"time", "01:02:03.123456", "01:02:03.123456", "\"01:02:03.123456\"", NULL},
        {"time", "01:02:00.000", "01:02", NULL, NULL},
        {"time", "01:02:00.001", "01:02:00.001", NULL, NULL},
    };
    ok_cases(oks, CV_ARRAY_LEN(oks));
    static const bad_case bads[] = {
        {"time", "24:00", "expected HH:mm"},
        {"time", "12:60", NULL},
        {"time", "12:30:60", NULL},
        {"time", "1:30", NULL},
        {"time", "12:30:", NULL},
        {"time", "12:30:00.", NULL},
        {"time", "12:30:00.1234567890", NULL},
        {"time", "12", NULL},
        {"time", "12:3", NULL},
        {"time", "", NULL},
        {"time", "12:30 ", NULL},
        {"time", "12-30", NULL},
    };
    bad_cases(bads, CV_ARRAY_LEN(bads));
}

TEST(value_parse_timestamps)
{
    static const ok_case oks[] = {
        {"timestamp", "2023-01-02T03:04:05", "2023-01-02T03:04:05", "\"2023-01-02T03:04:05\"", "2023-01-02 03:04:05"},
        {"timestamp", "2023-01-02 03:04:05", "2023-01-02T03:04:05", NULL, NULL},
        {"timestamp", "2023-01-02T03:04", "2023-01-02T03:04", NULL, "2023-01-02 03:04:00"},
        {"timestamp", "2023-01-02T00:00:00", "2023-01-02T00:00", NULL, NULL},
        {"timestamp", "2023-01-02", "2023-01-02T00:00", NULL, NULL},
        {"timestamp", "2023-01-02T03:04:05.123", "2023-01-02T03:04:05.123", NULL, "2023-01-02 03:04:05.123"},
        {"timestamp", "2023-01-02T03:04:05.123456", "2023-01-02T03:04:05.123456", NULL, NULL},
        {"timestamp", "2023-01-02T03:04:05.123456000", "2023-01-02T03:04:05.123456", NULL, NULL},
        {"timestamp", "1969-12-31T23:59:59.999999", "1969-12-31T23:59:59.999999", "\"1969-12-31T23:59:59.999999\"",
         "1969-12-31 23:59:59.999999"},
        {"timestamp", "0001-01-01T00:00:00", "0001-01-01T00:00", NULL, NULL},
        {"timestamp", "-0100-03-01T12:00:00", "-0100-03-01T12:00", NULL, "-0100-03-01 12:00:00"},
        {"timestamp", "+100000-01-01T00:00", "+100000-01-01T00:00", NULL, NULL},
        {"timestamp_tz", "2023-01-02T03:04:05Z", "2023-01-02T03:04:05Z", "\"2023-01-02T03:04:05Z\"",
         "2023-01-02 03:04:05Z"},
        {"timestamp_tz", "2023-01-02T03:04:05+05:30", "2023-01-01T21:34:05Z", NULL, NULL},
        {"timestamp_tz", "2023-01-02T03:04:05-0100", "2023-01-02T04:04:05Z", NULL, NULL},
        {"timestamp_tz", "2023-01-02T03:04:05+01", "2023-01-02T02:04:05Z", NULL, NULL},
        {"timestamp_tz", "2023-01-02 03:04:05.5z", "2023-01-02T03:04:05.500Z", NULL, NULL},
        {"timestamp_tz", "2023-01-02T03:04:05", "2023-01-02T03:04:05Z", NULL, NULL},
        {"timestamp_tz", "2023-01-02T00:30+18:00", "2023-01-01T06:30Z", NULL, NULL},
    };
    ok_cases(oks, CV_ARRAY_LEN(oks));
    static const bad_case bads[] = {
        {"timestamp", "2023-01-02T03:04:05Z", "expected yyyy-MM-ddTHH:mm:ss"},
        {"timestamp", "2023-01-02T03:04:05+01:00", NULL},
        {"timestamp", "2023-02-29T00:00:00", NULL},
        {"timestamp", "2023-01-02T24:00:00", NULL},
        {"timestamp", "2023-01-02T", NULL},
        {"timestamp", "2023-01-02 ", NULL},
        {"timestamp", "2023-01-02X03:04:05", NULL},
        {"timestamp", "2023-01-02T03:04:05.1234567", NULL}, /* beyond microseconds */
        {"timestamp", "2023-01-02T03:04:05.", NULL},
        {"timestamp", "", NULL},
        {"timestamp", "03:04:05", NULL},
        {"timestamp", "999999-12-31T23:59:59", NULL}, /* beyond int64 microseconds */
        {"timestamp", "-999999-01-01T00:00:00", NULL},
        {"timestamp_tz", "2023-01-02T03:04:05+19:00", "Z|+HH:MM"},
        {"timestamp_tz", "2023-01-02T03:04:05+05:60", NULL},
        {"timestamp_tz", "2023-01-02T03:04:05+05:", NULL},
        {"timestamp_tz", "2023-01-02T03:04:05+5", NULL},
        {"timestamp_tz", "2023-01-02T03:04:05+05:3", NULL},
        {"timestamp_tz", "2023-01-02T03:04:05ZZ", NULL},
        {"timestamp_tz", "2023-01-02T03:04:05 +05:00", NULL},
        {"array<int>", "[1]", "composite values cannot be written as text"},
    };
    bad_cases(bads, CV_ARRAY_LEN(bads));
}

TEST(value_timestamp_range_edges)
{
    /* the largest and smallest representable instants print and re-read */
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, ty(&a, "timestamp")), 0);
    cv_col_append_i64(&c, INT64_MAX);
    cv_col_append_i64(&c, INT64_MIN);
    CHECK_STR(fmtv(&c, 0, CV_FMT_JAVA), "+294247-01-10T04:00:54.775807");
    CHECK_STR(fmtv(&c, 1, CV_FMT_JAVA), "-290308-12-21T19:59:05.224192");
    CHECK_STR(fmtv(&c, 1, CV_FMT_TEXT), "-290308-12-21 19:59:05.224192");
    cv_err e;
    CHECK_INT(vparse(&c, "+294247-01-10T04:00:54.775807", &e), 0);
    CHECK_INT(vparse(&c, "-290308-12-21T19:59:05.224192", &e), 0);
    REQUIRE_UINT(c.len, 4);
    CHECK_INT(cv_col_i64(&c, 2), INT64_MAX);
    CHECK_INT(cv_col_i64(&c, 3), INT64_MIN);
    CHECK_INT(vparse(&c, "+294247-01-10T04:00:54.775808", &e), CV_EDATA);
    CHECK_INT(vparse(&c, "-290308-12-21T19:59:05.224191", &e), CV_EDATA);
    cv_col_destroy(&c);
    REQUIRE_INT(cv_col_init(&c, ty(&a, "timestamp_tz")), 0);
    /* the offset may push an in-range local time out of range */
    CHECK_INT(vparse(&c, "-290308-12-21T19:59:05.224192+01:00", &e), CV_EDATA);
    CHECK_INT(vparse(&c, "+294247-01-10T04:00:54.775807-01:00", &e), CV_EDATA);
    CHECK_INT(vparse(&c, "+294247-01-10T04:00:54.775807+01:00", &e), 0);
    cv_col_destroy(&c);
    cv_arena_free(&a);
}

TEST(value_format_nulls)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    static const char *const types[] = {"int", "string", "date", "array<int>", "null", "decimal(5,2)"};
    for (size_t i = 0; i < CV_ARRAY_LEN(types); i++) {
        unit_context("%s", types[i]);
        cv_col c;
        REQUIRE_INT(cv_col_init(&c, ty(&a, types[i])), 0);
        cv_col_append_null(&c);
        CHECK_STR(fmtv(&c, 0, CV_FMT_JAVA), "");
        CHECK_STR(fmtv(&c, 0, CV_FMT_TEXT), "");
        CHECK_STR(fmtv(&c, 0, CV_FMT_JSON), "null");
        cv_col_destroy(&c);
    }
    unit_context_clear();
    cv_arena_free(&a);
}

TEST(value_format_java_floats)
{
    static const struct {
        double v;
        bool is_float;
        const char *out;
    } cases[] = {
        {3.1, false, "3.1"},
        {3.1f, true, "3.1"},
        {1e7, false, "1.0E7"},
        {1e7f, true, "1.0E7"},
        {1e-4, false, "1.0E-4"},
        {1e-3, false, "0.001"},
        {FLT_MAX, true, "3.4028235E38"},
        {FLT_MIN, true, "1.1754944E-38"}, /* JDK 19+: shortest */
        {2e-323, false, "2.0E-323"},
        {1e23, false, "1.0E23"},
        {9.5e-322, false, "9.5E-322"},
        {1.4e-45f, true, "1.4E-45"},
        {DBL_MAX, false, "1.7976931348623157E308"},
        {4.9e-324, false, "4.9E-324"},
        {-0.0, false, "-0.0"},
        {0.0, true, "0.0"},
        {NAN, false, "NaN"},
        {INFINITY, true, "Infinity"},
        {-INFINITY, false, "-Infinity"},
        {1.0, false, "1.0"},
        {-1.5, false, "-1.5"},
        {9999999.0, false, "9999999.0"},
        {9999999.5, false, "9999999.5"},
        {12345.678, false, "12345.678"},
        {0.1f, true, "0.1"},
        {0.1f, false, "0.10000000149011612"}, /* a float seen as a double */
        {100.0, false, "100.0"},
        {1e100, false, "1.0E100"},
        {1.2345e-5, false, "1.2345E-5"},
        {123456789012.0, false, "1.23456789012E11"},
        {5e-324 * 3, false, "1.5E-323"},
        {0.5, false, "0.5"},
        {2e-3, false, "0.002"},
    };
    cv_buf b;
    cv_buf_init(&b);
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        unit_context("%.17g as %s", cases[i].v, cases[i].is_float ? "float" : "double");
        cv_buf_reset(&b);
        cv_f64_format_java(cases[i].v, cases[i].is_float, &b);
        CHECK_STR(b.data, cases[i].out);
    }
    unit_context_clear();
    cv_buf_free(&b);
}

TEST(value_format_round_trip_many_doubles)
{
    /* printed doubles read back to the same bits (shortest round trip) */
    cv_buf b;
    cv_buf_init(&b);
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double d;
        memcpy(&d, &x, sizeof d);
        if (!isfinite(d)) continue;
        cv_buf_reset(&b);
        cv_f64_format_java(d, false, &b);
        double back = strtod(b.data, NULL);
        if (!CHECK(memcmp(&back, &d, sizeof d) == 0)) {
            unit__fail(__FILE__, __LINE__, "%a printed as %s", d, b.data);
            break;
        }
        float f = (float)d;
        if (!isfinite(f)) continue;
        cv_buf_reset(&b);
        cv_f64_format_java(f, true, &b);
        float fb = strtof(b.data, NULL);
        if (!CHECK(memcmp(&fb, &f, sizeof f) == 0)) {
            unit__fail(__FILE__, __LINE__, "float %a printed as %s", (double)f, b.data);
            break;
        }
    }
    cv_buf_free(&b);
}

TEST(value_format_styles_by_type)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, ty(&a, "timestamp_tz")), 0);
    cv_col_append_i64(&c, 0);
    CHECK_STR(fmtv(&c, 0, CV_FMT_JAVA), "1970-01-01T00:00Z");
    CHECK_STR(fmtv(&c, 0, CV_FMT_JSON), "\"1970-01-01T00:00:00Z\"");
    CHECK_STR(fmtv(&c, 0, CV_FMT_TEXT), "1970-01-01 00:00:00Z");
    cv_col_destroy(&c);
    REQUIRE_INT(cv_col_init(&c, ty(&a, "timestamp")), 0);
    cv_col_append_i64(&c, -1);
    CHECK_STR(fmtv(&c, 0, CV_FMT_JAVA), "1969-12-31T23:59:59.999999");
    cv_col_append_i64(&c, 1000);
    CHECK_STR(fmtv(&c, 1, CV_FMT_JAVA), "1970-01-01T00:00:00.001");
    cv_col_destroy(&c);
    REQUIRE_INT(cv_col_init(&c, ty(&a, "time")), 0);
    cv_col_append_i64(&c, 1);
    CHECK_STR(fmtv(&c, 0, CV_FMT_JAVA), "00:00:00.000000001");
    cv_col_destroy(&c);
    REQUIRE_INT(cv_col_init(&c, ty(&a, "boolean")), 0);
    cv_col_append_bool(&c, 1);
    CHECK_STR(fmtv(&c, 0, CV_FMT_JSON), "true");
    cv_col_destroy(&c);
    REQUIRE_INT(cv_col_init(&c, ty(&a, "decimal(38,0)")), 0);
    cv_i128 min = -(cv_i128)(((unsigned __int128)1 << 127) - 1) - 1; /* INT128_MIN */
    cv_col_append_dec(&c, min);
    CHECK_STR(fmtv(&c, 0, CV_FMT_TEXT), "-170141183460469231731687303715884105728");
    cv_col_destroy(&c);
    cv_arena_free(&a);
}
