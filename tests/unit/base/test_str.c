/* test_str.c — string helpers: case-insensitive compares, edit distance and
 * "did you mean", strict number parsing, UTF-8 validation. */
#include "base/base.h"
#include "unit.h"

#include <math.h>
#include <string.h>

TEST(str_compare_nocase)
{
    CHECK(cv_streq_nocase("Sink", "sINK"));
    CHECK(!cv_streq_nocase("Sink", "Sinks"));
    CHECK(!cv_streq_nocase("Sinks", "Sink"));
    CHECK(cv_streq_nocase("", ""));
    CHECK(!cv_streq_nocase("\xc3\xa9", "\xc3\x89")); /* ASCII only */
    CHECK(cv_strneq_nocase("abcX", "ABCy", 3));
    CHECK(!cv_strneq_nocase("abcX", "ABCy", 4));
    CHECK(cv_strneq_nocase("ab", "AB", 10)); /* stops at the terminator */
    CHECK(!cv_strneq_nocase("ab", "ABC", 10));
    CHECK(cv_strneq_nocase("x", "y", 0));
    CHECK(cv_str_endswith("job.conf", ".conf"));
    CHECK(cv_str_endswith("job.conf", ""));
    CHECK(!cv_str_endswith("f", ".conf"));
    CHECK(!cv_str_endswith("job.CONF", ".conf"));
}

TEST(str_edit_distance)
{
    CHECK_UINT(cv_edit_distance("kitten", "sitting", 10), 3);
    CHECK_UINT(cv_edit_distance("", "", 3), 0);
    CHECK_UINT(cv_edit_distance("", "abc", 5), 3);
    CHECK_UINT(cv_edit_distance("abc", "", 5), 3);
    CHECK_UINT(cv_edit_distance("Parallelism", "PARALLELISM", 3), 0);
    CHECK_UINT(cv_edit_distance("row.num", "row.nums", 3), 1);
    CHECK_UINT(cv_edit_distance("flaw", "lawn", 5), 2);
    /* capped: anything beyond cap reports cap + 1 */
    CHECK_UINT(cv_edit_distance("kitten", "sitting", 2), 3);
    CHECK_UINT(cv_edit_distance("a", "abcdefgh", 2), 3);
    CHECK_UINT(cv_edit_distance("abcdef", "uvwxyz", 1), 2);
    char longa[200], longb[200];
    memset(longa, 'a', sizeof longa - 1);
    longa[sizeof longa - 1] = '\0';
    memcpy(longb, longa, sizeof longb);
    CHECK_UINT(cv_edit_distance(longa, longb, 3), 4); /* too long to bother */
    longa[128] = '\0';
    longb[128] = '\0';
    CHECK_UINT(cv_edit_distance(longa, longb, 3), 0);
}

TEST(str_did_you_mean)
{
    const char *opts[] = {"row.num", "split.num", "parallelism", "schema", NULL, "string.length"};
    size_t n = CV_ARRAY_LEN(opts);
    CHECK_STR(cv_did_you_mean("row.nmu", opts, n), "row.num");
    CHECK_STR(cv_did_you_mean("paralelism", opts, n), "parallelism");
    CHECK_STR(cv_did_you_mean("SCHEMA", opts, n), "schema");
    CHECK_STR(cv_did_you_mean("shema", opts, n), "schema");
    CHECK(cv_did_you_mean("completely_else", opts, n) == NULL);
    CHECK(cv_did_you_mean("ab", opts, n) == NULL);
    CHECK(cv_did_you_mean("x", opts, 0) == NULL);
    /* short words allow one edit only */
    const char *types[] = {"int", "map", "date"};
    CHECK_STR(cv_did_you_mean("itn", types, 3), NULL);
    CHECK_STR(cv_did_you_mean("in", types, 3), "int");
    CHECK_STR(cv_did_you_mean("dat", types, 3), "date");
    /* the first of equally close candidates wins */
    const char *tie[] = {"abcd", "abce"};
    CHECK_STR(cv_did_you_mean("abcf", tie, 2), "abcd");
}

static bool i64(const char *s, int64_t *v) { return cv_parse_i64(s, strlen(s), v); }
static bool f64(const char *s, double *v) { return cv_parse_f64(s, strlen(s), v); }

TEST(str_parse_i64)
{
    int64_t v = -1;
    CHECK(i64("0", &v) && v == 0);
    CHECK(i64("12", &v) && v == 12);
    CHECK(i64("-12", &v) && v == -12);
    CHECK(i64("+12", &v) && v == 12);
    CHECK(i64("007", &v) && v == 7);
    CHECK(i64("9223372036854775807", &v) && v == INT64_MAX);
    CHECK(i64("-9223372036854775808", &v) && v == INT64_MIN);
    v = 99;
    static const char *bad[] = {
        "",
        "12a",
        "a12",
        " 1",
        "1 ",
        "\t1",
        "\n1",
        "\r1",
        "\v1",
        "\f1",
        "1\n",
        "-",
        "+",
        "--1",
        "1e5",
        "1.0",
        "0x10",
        "9223372036854775808",
        "-9223372036854775809",
        "99999999999999999999999",
        "1_000",
        "\xef\xbc\x91",
        "000000000000000000000000000000000000001", /* too long to be sensible */
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(bad); i++) {
        unit_context("input \"%s\"", bad[i]);
        CHECK(!i64(bad[i], &v));
    }
    unit_context_clear();
    CHECK_INT(v, 99); /* untouched on failure */
    /* only n bytes are read */
    CHECK(cv_parse_i64("123456", 3, &v) && v == 123);
    CHECK(cv_parse_i64("1x", 1, &v) && v == 1);
    CHECK(!cv_parse_i64("12", 0, &v));
    char nul[] = {'1', '\0', '2'};
    CHECK(!cv_parse_i64(nul, 3, &v));
}

TEST(str_parse_f64)
{
    double d = 0;
    CHECK(f64("1.5", &d) && d == 1.5);
    CHECK(f64("-0.25", &d) && d == -0.25);
    CHECK(f64("+2", &d) && d == 2);
    CHECK(f64("1e5", &d) && d == 1e5);
    CHECK(f64("1E-3", &d) && d == 1e-3);
    CHECK(f64("2.5e+2", &d) && d == 250);
    CHECK(f64(".5", &d) && d == 0.5);
    CHECK(f64("5.", &d) && d == 5);
    CHECK(f64("-0", &d) && d == 0 && signbit(d));
    CHECK(f64("1.7976931348623157e308", &d) && d == 1.7976931348623157e308);
    CHECK(f64("1e-400", &d) && d == 0); /* underflow reads as zero */
    d = 42;
    static const char *bad[] = {
        "",      " 1",  "1 ",  "\t1", "12a",      "e5",   "1e",   "1e+",   ".",     "-",      "+",   "--1", "1..2",
        "1.2.3", "nan", "NaN", "inf", "Infinity", "-inf", "0x10", "0x1p3", "1e400", "-1e400", "1,5", "1_0",
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(bad); i++) {
        unit_context("input \"%s\"", bad[i]);
        CHECK(!f64(bad[i], &d));
    }
    unit_context_clear();
    CHECK_DBL(d, 42);
    CHECK(cv_parse_f64("1.25xyz", 4, &d) && d == 1.25);
    char longnum[200];
    memset(longnum, '1', sizeof longnum - 1);
    longnum[sizeof longnum - 1] = '\0';
    CHECK(!f64(longnum, &d));
}

static int64_t u8(const char *s) { return cv_utf8_len(s, strlen(s)); }

TEST(str_utf8_len)
{
    CHECK_INT(u8(""), 0);
    CHECK_INT(u8("hello"), 5);
    CHECK_INT(u8("h\xc3\xa9llo"), 5);      /* é */
    CHECK_INT(u8("\xe2\x82\xac"), 1);      /* € */
    CHECK_INT(u8("\xf0\x9f\x98\x80!"), 2); /* 😀! */
    CHECK_INT(u8("\xf4\x8f\xbf\xbf"), 1);  /* U+10FFFF */
    CHECK_INT(u8("\xed\x9f\xbf"), 1);      /* U+D7FF */
    CHECK_INT(u8("\xee\x80\x80"), 1);      /* U+E000 */
    CHECK_INT(u8("\xc2\x80"), 1);          /* smallest two-byte */
    CHECK_INT(u8("\xe0\xa0\x80"), 1);      /* smallest three-byte */
    CHECK_INT(u8("\xf0\x90\x80\x80"), 1);  /* smallest four-byte */
    CHECK_INT(cv_utf8_len("a\0b", 3), 3);  /* NUL is a code point */
    static const char *bad[] = {
        "\x80",                 /* lone continuation */
        "\xbf",                 /* lone continuation */
        "\xc3",                 /* truncated */
        "\xe2\x82",             /* truncated */
        "\xf0\x9f\x98",         /* truncated */
        "\xc3\x28",             /* bad continuation */
        "\xe2\x28\xa1",         /* bad continuation */
        "\xc0\x80",             /* overlong NUL */
        "\xc1\xbf",             /* overlong */
        "\xe0\x80\x80",         /* overlong */
        "\xe0\x9f\xbf",         /* overlong */
        "\xf0\x80\x80\x80",     /* overlong */
        "\xf0\x8f\xbf\xbf",     /* overlong */
        "\xed\xa0\x80",         /* surrogate D800 */
        "\xed\xbf\xbf",         /* surrogate DFFF */
        "\xf4\x90\x80\x80",     /* beyond U+10FFFF */
        "\xf5\x80\x80\x80",     /* beyond U+10FFFF */
        "\xf8\x88\x80\x80\x80", /* five-byte form */
        "\xfe",
        "\xff",
        "ok\xc3", /* truncated at the end */
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(bad); i++) {
        unit_context("case %zu", i);
        CHECK_INT(u8(bad[i]), -1);
    }
    unit_context_clear();
    /* n bounds the scan: a sequence cut by n is invalid */
    CHECK_INT(cv_utf8_len("\xc3\xa9", 1), -1);
    CHECK_INT(cv_utf8_len("ab", 1), 1);
}
