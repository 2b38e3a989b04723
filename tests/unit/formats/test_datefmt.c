/* test_datefmt.c — Java-style date patterns (datefmt.c): what each
 * pattern prints, that printing then parsing gives the instant back,
 * strictness on invalid dates and times, 12-hour clocks, and patterns the
 * compiler must refuse (including ones whose fields would overflow). */
#include "helpers.h"

static cv_datefmt compile_ok(const char *pattern)
{
    cv_datefmt f;
    const char *why = NULL;
    if (cv_datefmt_compile(pattern, &f, &why) < 0) {
        unit__fail(__FILE__, __LINE__, "pattern \"%s\" does not compile: %s", pattern, why);
        unit__abort();
    }
    return f;
}

static const char *fmt(const char *pattern, int64_t micros)
{
    static char out[128];
    cv_datefmt f = compile_ok(pattern);
    cv_buf b;
    cv_buf_init(&b);
    cv_datefmt_format(&f, micros, &b);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    cv_buf_free(&b);
    return out;
}

static bool parse(const char *pattern, const char *text, int64_t *us)
{
    cv_datefmt f = compile_ok(pattern);
    return cv_datefmt_parse(&f, text, strlen(text), us);
}

#define US(days, h, m, s, frac) (((int64_t)(days)*86400 + (h)*3600 + (m)*60 + (s)) * 1000000LL + (frac))
/* 2023-11-14 is day 19675 */
static const int64_t t1 = US(19675, 22, 13, 20, 123456);

TEST(datefmt_formats)
{
    CHECK_STR(fmt("yyyy-MM-dd", t1), "2023-11-14");
    CHECK_STR(fmt("yyyy/MM/dd", t1), "2023/11/14");
    CHECK_STR(fmt("dd.MM.yyyy", t1), "14.11.2023");
    CHECK_STR(fmt("yyyyMMddHHmmss", t1), "20231114221320");
    CHECK_STR(fmt("yyyy-MM-dd HH:mm:ss.SSS", t1), "2023-11-14 22:13:20.123");
    CHECK_STR(fmt("yyyy-MM-dd'T'HH:mm:ss.SSSSSS", t1), "2023-11-14T22:13:20.123456");
    CHECK_STR(fmt("HH:mm:ss.SSSSSSSSS", t1), "22:13:20.123456000");
    CHECK_STR(fmt("hh:mm a", t1), "10:13 PM");
    CHECK_STR(fmt("h:mm a", US(0, 0, 5, 0, 0)), "12:05 AM");
    CHECK_STR(fmt("h:mm a", US(0, 12, 5, 0, 0)), "12:05 PM");
    CHECK_STR(fmt("yy-M-d", t1), "23-11-14");
    CHECK_STR(fmt("yy-M-d", US(0, 0, 0, 0, 0)), "70-1-1");
    CHECK_STR(fmt("'at' HH 'o''clock'", t1), "at 22 o'clock");
    CHECK_STR(fmt("''yyyy''", t1), "'2023'");
    /* before the epoch: days and time of day are floored */
    CHECK_STR(fmt("yyyy-MM-dd HH:mm:ss.SSSSSS", -1), "1969-12-31 23:59:59.999999");
    CHECK_STR(fmt("yyyy-MM-dd", US(-719528, 0, 0, 0, 0)), "0000-01-01");
    CHECK_STR(fmt("yyyy-MM-dd HH:mm:ss", US(2932896, 23, 59, 59, 999999)), "9999-12-31 23:59:59");
}

TEST(datefmt_round_trips)
{
    static const char *const patterns[] = {
        "yyyy-MM-dd HH:mm:ss.SSSSSS",   "yyyyMMddHHmmssSSSSSS",  "dd/MM/yyyy hh:mm:ss.SSSSSS a",
        "yyyy.MM.dd'T'HH:mm:ss.SSSSSS", "yyyy-M-d H:m:s.SSSSSS",
    };
    static const int64_t values[] = {
        0,
        1,
        -1,
        t1,
        US(-1, 0, 0, 0, 0),
        US(-365, 12, 0, 0, 0),
        US(2932896, 23, 59, 59, 999999),
        US(-719528, 0, 0, 0, 0),
        US(11016, 0, 0, 0, 500000),
        US(19000, 11, 59, 59, 0),
        US(19000, 12, 0, 0, 0),
    };
    for (size_t p = 0; p < CV_ARRAY_LEN(patterns); p++)
        for (size_t v = 0; v < CV_ARRAY_LEN(values); v++) {
            const char *text = fmt(patterns[p], values[v]);
            unit_context("%s: %lld printed as %s", patterns[p], (long long)values[v], text);
            int64_t back = 42;
            CHECK(parse(patterns[p], text, &back));
            CHECK_INT(back, values[v]);
        }
    unit_context_clear();
}

TEST(datefmt_parses)
{
    int64_t us;
    REQUIRE(parse("yyyy-MM-dd", "2023-11-14", &us));
    CHECK_INT(us, US(19675, 0, 0, 0, 0));
    /* fields a pattern lacks default to 1970-01-01 00:00:00 */
    REQUIRE(parse("HH:mm", "22:13", &us));
    CHECK_INT(us, US(0, 22, 13, 0, 0));
    CHECK(!parse("HH:mm:ss.SSS", "22:13:20.5", &us)); /* SSS: three digits */
    REQUIRE(parse("HH:mm:ss.SSS", "22:13:20.500", &us));
    CHECK_INT(us, US(0, 22, 13, 20, 500000));
    /* one-letter fields take one or two digits */
    REQUIRE(parse("yyyy-M-d", "2023-1-5", &us));
    CHECK_INT(us, US(19362, 0, 0, 0, 0));
    REQUIRE(parse("yyyy-M-d", "2023-01-05", &us));
    CHECK_INT(us, US(19362, 0, 0, 0, 0));
    REQUIRE(parse("hh:mm a", "12:30 am", &us));
    CHECK_INT(us, US(0, 0, 30, 0, 0));
    REQUIRE(parse("hh:mm a", "01:30 PM", &us));
    CHECK_INT(us, US(0, 13, 30, 0, 0));
    REQUIRE(parse("yy-MM-dd", "99-12-31", &us));
    CHECK_INT(us, US(47481, 0, 0, 0, 0)); /* 2099: yy is 20yy */
}

TEST(datefmt_rejects_invalid_text)
{
    static const struct {
        const char *pattern, *text;
    } bad[] = {
        {"yyyy-MM-dd", "2023-02-29"},
        {"yyyy-MM-dd", "2024-13-01"},
        {"yyyy-MM-dd", "2024-00-10"},
        {"yyyy-MM-dd", "2024-1-5"}, /* MM needs two digits */
        {"yyyy-MM-dd", "2024-01-05 "},
        {"yyyy-MM-dd", "2024-01-0"},
        {"yyyy-MM-dd", ""},
        {"yyyy-MM-dd", "24-01-05"},
        {"yyyy-MM-dd", "2024/01/05"},
        {"HH:mm:ss", "24:00:00"},
        {"HH:mm:ss", "23:60:00"},
        {"HH:mm:ss", "23:59:60"},
        {"HH:mm:ss", "ab:cd:ef"},
        {"hh:mm a", "13:00 PM"},
        {"hh:mm a", "00:00 AM"},
        {"hh:mm a", "10:00 XM"},
        {"hh:mm a", "10:00 "},
        {"yyyyMMdd", "2024015"},
        {"'T'HH", "X10"},
        /* years whose instants do not fit in 64-bit microseconds */
        {"yyyy-MM-dd", "999999-01-01"},
        {"yyyy-MM-dd HH:mm:ss", "300000-12-31 23:59:59"},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(bad); i++) {
        int64_t us = 7;
        unit_context("\"%s\" as %s", bad[i].text, bad[i].pattern);
        CHECK(!parse(bad[i].pattern, bad[i].text, &us));
        CHECK_INT(us, 7);
    }
    unit_context_clear();
    /* the largest year that fits still parses */
    int64_t us;
    CHECK(parse("yyyy-MM-dd", "292277-01-01", &us));
}

TEST(datefmt_refuses_bad_patterns)
{
    static const struct {
        const char *pattern, *why;
    } bad[] = {
        {"yyyy-MMM-dd", "month names (MMM) are not supported"},
        {"HH:mm:ss.SSSSSSSSSS", "at most 9 fraction digits (S)"},
        {"yyyy-MM-dd Q", "unsupported pattern letter"},
        {"EEE yyyy", "unsupported pattern letter"},
        {"yyyy 'unterminated", "unterminated quote"},
        {"yyyy-MM-dd 'with a literal that is far too long'", "pattern too long"},
        /* Java allows at most two of these letters; more would print
         * fields wider than any value */
        {"HHHHHHHHHHHHHHHHHHHHHHHHHHHHHH", "too many pattern letters"},
        {"ddd", "too many pattern letters"},
        {"mmm", "too many pattern letters"},
        {"sss", "too many pattern letters"},
        {"hhh", "too many pattern letters"},
        {"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", "too many pattern letters"},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(bad); i++) {
        cv_datefmt f;
        const char *why = NULL;
        unit_context("%s", bad[i].pattern);
        CHECK_INT(cv_datefmt_compile(bad[i].pattern, &f, &why), CV_EINVAL);
        CHECK_CONTAINS(why, bad[i].why);
    }
    unit_context_clear();
}

TEST(datefmt_wide_fields_stay_in_bounds)
{
    /* the widest patterns that compile print and parse without overrun;
     * years pad to the number of letters, as in Java */
    CHECK_STR(fmt("yyyyyyyyy-MM-dd", t1), "000002023-11-14");
    CHECK_STR(fmt("yyyyy", t1), "02023");
    CHECK_STR(fmt("y", t1), "2023");
    int64_t us;
    CHECK(!parse("yyyyyyyyyMMdd", "99999999999999999999991114", &us));
    CHECK(parse("SSSSSSSSS", "123456789", &us));
    CHECK_INT(us, 123456);
}

/* Found by fuzz_datefmt: a number followed by a digit literal read the
 * literal as one of its own digits ("yyyyy5m" printed 1969 as "019695…"
 * and read it back as year 19695). Such a field takes its exact width, as
 * when a number follows; and then a y or yyy year takes four digits, not
 * one ("y0d" read 2000-01-29 back as year 2). */
TEST(datefmt_digit_literal_ends_a_field)
{
    int64_t us = 0;
    CHECK_STR(fmt("yyyy0MM", t1), "2023011");
    REQUIRE(parse("yyyy0MM", "2023011", &us));
    CHECK_STR(fmt("yyyy-MM-dd", us), "2023-11-01");
    CHECK_STR(fmt("yyyyy5mm", -1), "01969559");
    REQUIRE(parse("yyyyy5mm", "01969559", &us));
    CHECK_STR(fmt("yyyyy5mm", us), "01969559");
    /* y (the whole year) next to digits reads four, not one */
    REQUIRE(parse("y0d", "2000029", &us));
    CHECK_STR(fmt("yyyy-MM-dd", us), "2000-01-29");
    REQUIRE(parse("yMMdd", "20230422", &us));
    CHECK_STR(fmt("yyyy-MM-dd", us), "2023-04-22");
}
