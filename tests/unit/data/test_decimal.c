/* test_decimal.c — int128 decimals: parse/format round trips up to 38
 * digits, the INT128 edges, and the ordering of values of every type. */
#include "helpers.h"

#include <math.h>

static cv_i128 i128_min(void) { return -(cv_i128)(((unsigned __int128)1 << 127) - 1) - 1; }
static cv_i128 i128_max(void) { return (cv_i128)(((unsigned __int128)1 << 127) - 1); }

static const char *dec_str(cv_i128 v, unsigned scale)
{
    static char out[128];
    cv_buf b;
    cv_buf_init(&b);
    cv_decimal_format(v, scale, &b);
    snprintf(out, sizeof out, "%s", b.data);
    cv_buf_free(&b);
    return out;
}

static const char *i128_str(cv_i128 v)
{
    static char out[128];
    cv_buf b;
    cv_buf_init(&b);
    cv_i128_format(v, &b);
    snprintf(out, sizeof out, "%s", b.data);
    cv_buf_free(&b);
    return out;
}

TEST(decimal_format)
{
    CHECK_STR(dec_str(0, 0), "0");
    CHECK_STR(dec_str(0, 2), "0.00");
    CHECK_STR(dec_str(5, 2), "0.05");
    CHECK_STR(dec_str(-5, 2), "-0.05");
    CHECK_STR(dec_str(12345, 2), "123.45");
    CHECK_STR(dec_str(-12345, 2), "-123.45");
    CHECK_STR(dec_str(100, 2), "1.00");
    CHECK_STR(dec_str(7, 0), "7");
    CHECK_STR(dec_str(1, 38), "0.00000000000000000000000000000000000001");
    CHECK_STR(dec_str(i128_min(), 0), "-170141183460469231731687303715884105728");
    CHECK_STR(dec_str(i128_max(), 0), "170141183460469231731687303715884105727");
    CHECK_STR(dec_str(i128_min(), 38), "-1.70141183460469231731687303715884105728");
    CHECK_STR(dec_str(i128_max(), 39), "0.170141183460469231731687303715884105727");
    CHECK_STR(i128_str(0), "0");
    CHECK_STR(i128_str(-1), "-1");
    CHECK_STR(i128_str(i128_min()), "-170141183460469231731687303715884105728");
    CHECK_STR(i128_str(i128_max()), "170141183460469231731687303715884105727");
}

TEST(decimal_parse_reasons)
{
    cv_i128 v = 0;
    const char *why = NULL;
    CHECK_INT(cv_decimal_parse("1.234", 5, 10, 2, &v, &why), CV_ERANGE);
    CHECK_STR(why, "has more fractional digits than the scale allows");
    CHECK_INT(cv_decimal_parse("123456789", 9, 10, 2, &v, &why), CV_ERANGE);
    CHECK_STR(why, "has more digits than the precision allows");
    CHECK_INT(cv_decimal_parse("x", 1, 10, 2, &v, &why), CV_EINVAL);
    CHECK_STR(why, "not a decimal number");
    char many[100];
    memset(many, '7', sizeof many);
    CHECK_INT(cv_decimal_parse(many, sizeof many, 38, 0, &v, &why), CV_ERANGE);
    CHECK_STR(why, "too many digits");
    /* leading zeros are not significant, even many of them */
    char zeros[120];
    memset(zeros, '0', sizeof zeros);
    zeros[sizeof zeros - 1] = '5';
    CHECK_INT(cv_decimal_parse(zeros, sizeof zeros, 1, 0, &v, &why), 0);
    CHECK(v == 5);
    /* trailing zeros beyond the scale are not lost digits */
    CHECK_INT(cv_decimal_parse("2.50000000000000000000000000000000000000000000", 46, 2, 1, &v, &why), 0);
    CHECK(v == 25);
    /* only n bytes count */
    CHECK_INT(cv_decimal_parse("12.34", 2, 5, 0, &v, &why), 0);
    CHECK(v == 12);
    CHECK_INT(cv_decimal_parse("", 0, 5, 0, &v, &why), CV_EINVAL);
}

TEST(decimal_round_trips_38_digits)
{
    /* every precision/scale pair, with the largest and smallest values and
     * a pseudo-random one, through format and parse */
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (unsigned p = 1; p <= 38; p++) {
        cv_i128 lim = 1;
        for (unsigned k = 0; k < p; k++) lim *= 10;
        for (unsigned s = 0; s <= p; s++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cv_i128 r = (cv_i128)(((unsigned __int128)x << 63) | (x * 0x2545F4914F6CDD1DULL));
            r %= lim;
            cv_i128 vals[] = {lim - 1, -(lim - 1), 0, 1, -1, r, -r};
            for (size_t i = 0; i < CV_ARRAY_LEN(vals); i++) {
                char text[128];
                snprintf(text, sizeof text, "%s", dec_str(vals[i], s));
                cv_i128 back = 7;
                const char *why = NULL;
                unit_context("decimal(%u,%u) %s", p, s, text);
                if (!CHECK_INT(cv_decimal_parse(text, strlen(text), p, s, &back, &why), 0)) return;
                if (!CHECK(back == vals[i])) return;
            }
            /* one more digit does not fit */
            char over[128];
            cv_i128 back;
            const char *why;
            snprintf(over, sizeof over, "%s", dec_str(lim, s));
            unit_context("decimal(%u,%u) %s", p, s, over);
            CHECK_INT(cv_decimal_parse(over, strlen(over), p, s, &back, &why), CV_ERANGE);
        }
    }
    unit_context_clear();
}

TEST(decimal_exponents)
{
    cv_i128 v;
    const char *why;
    CHECK_INT(cv_decimal_parse("1e37", 4, 38, 0, &v, &why), 0);
    CHECK_INT(cv_decimal_parse("1e38", 4, 38, 0, &v, &why), CV_ERANGE);
    CHECK_INT(cv_decimal_parse("1e-38", 5, 38, 38, &v, &why), 0);
    CHECK(v == 1);
    CHECK_INT(cv_decimal_parse("1e-39", 5, 38, 38, &v, &why), CV_ERANGE);
    CHECK_INT(cv_decimal_parse("0e999", 5, 5, 0, &v, &why), 0);
    CHECK(v == 0);
    CHECK_INT(cv_decimal_parse("1.e2", 4, 5, 0, &v, &why), 0);
    CHECK(v == 100);
    CHECK_INT(cv_decimal_parse("1e1001", 6, 38, 0, &v, &why), CV_EINVAL);
    CHECK_INT(cv_decimal_parse("1e+2", 4, 5, 0, &v, &why), 0);
    CHECK(v == 100);
    CHECK_INT(cv_decimal_parse("-1.5E-1", 7, 5, 2, &v, &why), 0);
    CHECK(v == -15);
}

/* value_compare: NULL first, then by value, for every type */
static int cmp_text(cv_arena *a, const char *type, const char *x, const char *y)
{
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, ty(a, type)), 0);
    cv_err e;
    if (x)
        REQUIRE_INT(vparse(&c, x, &e), 0);
    else
        cv_col_append_null(&c);
    if (y)
        REQUIRE_INT(vparse(&c, y, &e), 0);
    else
        cv_col_append_null(&c);
    int r = cv_value_compare(&c, 0, &c, 1);
    int back = cv_value_compare(&c, 1, &c, 0);
    CHECK_INT(back, -r); /* antisymmetric */
    cv_col_destroy(&c);
    return r;
}

TEST(value_compare_ordering)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    static const struct {
        const char *type, *lo, *hi;
    } lt[] = {
        {"int", NULL, "-5"},
        {"int", "-5", "3"},
        {"bigint", "-9223372036854775808", "0"},
        {"tinyint", "-1", "1"},
        {"boolean", "false", "true"},
        {"boolean", NULL, "false"},
        {"double", "-Infinity", "-1e300"},
        {"double", "1e300", "Infinity"},
        {"double", "Infinity", "NaN"},
        {"double", "-1", "NaN"},
        {"float", "1.5", "2.5"},
        {"double", NULL, "NaN"},
        {"decimal(10,2)", "-0.01", "0"},
        {"decimal(38,0)", "-99999999999999999999999999999999999999", "1"},
        {"string", "", "a"},
        {"string", "a", "ab"},
        {"string", "ab", "b"},
        {"string", "Z", "a"},
        {"string", "a", "\xc3\xa9"},
        {"bytes", "\x01", "\xff"},
        {"date", "1969-12-31", "1970-01-01"},
        {"time", "00:00", "00:00:00.000000001"},
        {"timestamp", "1969-12-31T23:59:59.999999", "1970-01-01T00:00"},
        {"timestamp_tz", "2023-01-01T10:00+01:00", "2023-01-01T09:30Z"},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(lt); i++) {
        unit_context("%s %s < %s", lt[i].type, lt[i].lo ? lt[i].lo : "NULL", lt[i].hi);
        CHECK(cmp_text(&a, lt[i].type, lt[i].lo, lt[i].hi) < 0);
    }
    static const struct {
        const char *type, *x, *y;
    } eq[] = {
        {"int", "7", "7"},
        {"double", "NaN", "NaN"},
        {"double", "0", "-0"},
        {"string", "", ""},
        {"decimal(10,2)", "1.5", "1.50"},
        {"int", NULL, NULL},
        {"timestamp_tz", "2023-01-01T10:00+01:00", "2023-01-01T09:00Z"},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(eq); i++) {
        unit_context("%s %s == %s", eq[i].type, eq[i].x ? eq[i].x : "NULL", eq[i].y ? eq[i].y : "NULL");
        CHECK_INT(cmp_text(&a, eq[i].type, eq[i].x, eq[i].y), 0);
    }
    unit_context_clear();
    cv_arena_free(&a);
}

TEST(value_compare_nested)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, ty(&a, "array<int>")), 0);
    /* [1, 2], [1, 2, 0], [1, 3], [], [null] */
    int32_t rows[][3] = {{1, 2, 0}, {1, 2, 0}, {1, 3, 0}};
    uint32_t lens[] = {2, 3, 2};
    for (int r = 0; r < 3; r++) {
        for (uint32_t k = 0; k < lens[r]; k++) cv_col_append_i32(&c.child[0], rows[r][k]);
        cv_col_append_list(&c, lens[r]);
    }
    cv_col_append_list(&c, 0);
    cv_col_append_null(&c.child[0]);
    cv_col_append_list(&c, 1);
    CHECK(cv_value_compare(&c, 0, &c, 1) < 0); /* prefix first */
    CHECK(cv_value_compare(&c, 1, &c, 2) < 0);
    CHECK(cv_value_compare(&c, 3, &c, 0) < 0); /* empty first */
    CHECK(cv_value_compare(&c, 4, &c, 0) < 0); /* a NULL element sorts first */
    CHECK_INT(cv_value_compare(&c, 2, &c, 2), 0);
    cv_col_destroy(&c);

    REQUIRE_INT(cv_col_init(&c, ty(&a, "row<a int, b string>")), 0);
    cv_col_append_i32(&c.child[0], 1);
    cv_col_append_str(&c.child[1], "b", 1);
    cv_col_append_struct(&c);
    cv_col_append_i32(&c.child[0], 1);
    cv_col_append_str(&c.child[1], "c", 1);
    cv_col_append_struct(&c);
    cv_col_append_null(&c);
    CHECK(cv_value_compare(&c, 0, &c, 1) < 0);
    CHECK(cv_value_compare(&c, 2, &c, 0) < 0);
    CHECK(cv_value_compare(&c, 1, &c, 2) > 0);
    cv_col_destroy(&c);

    REQUIRE_INT(cv_col_init(&c, ty(&a, "map<string, int>")), 0);
    cv_col_append_str(&c.child[0], "k", 1);
    cv_col_append_i32(&c.child[1], 1);
    cv_col_append_list(&c, 1);
    cv_col_append_str(&c.child[0], "k", 1);
    cv_col_append_i32(&c.child[1], 2);
    cv_col_append_list(&c, 1);
    CHECK(cv_value_compare(&c, 0, &c, 1) < 0);
    cv_col_destroy(&c);
    cv_arena_free(&a);
}
