/* test_fn_numeric.c — SeaTunnel's numeric SQL functions through the whole
 * pipeline (sqlt.h: parse, bind, vectorised evaluation over table t).
 * Expected values come from SeaTunnel's e2e job func_numeric.conf where it
 * has one, else from Java's Math/BigDecimal semantics. */
#include "unit.h"
#include "sqlt.h"

#include <stdlib.h>
#include <string.h>

#define EQ(expr, want) CHECK_STR(sqlt_eval(expr), want)
#define EQ_AT(expr, row, want) CHECK_STR(sqlt_eval_at(expr, row), want)
#define TYPE(expr, want) CHECK_STR(sqlt_type(expr), want)
#define FAILS(expr, why)                  \
    do {                                  \
        const char *v_ = sqlt_eval(expr); \
        CHECK_CONTAINS(v_, "ERROR");      \
        CHECK_CONTAINS(v_, why);          \
    } while (0)

TEST(fn_abs)
{
    EQ("ABS(i)", "7");
    EQ_AT("ABS(i)", 1, "3");
    EQ_AT("ABS(i)", 2, "NULL");
    EQ_AT("ABS(l)", 1, "1");
    EQ_AT("ABS(f)", 1, "0.25");
    EQ_AT("ABS(d)", 1, "1.0E300");
    EQ_AT("ABS(dec)", 1, "0.01");
    EQ("ABS(dec)", "12.34");
    EQ("ABS(-10.3)", "10.3");
    TYPE("ABS(i)", "int");
    TYPE("ABS(l)", "bigint");
    TYPE("ABS(f)", "float");
    TYPE("ABS(d)", "double");
    TYPE("ABS(dec)", "decimal(10,2)");
}

TEST(fn_abs_overflow_fails)
{
    /* Java's Math.abs(Integer.MIN_VALUE) wraps; we refuse */
    FAILS("ABS(CAST('-2147483648' AS INT))", "does not fit int");
    FAILS("ABS(l - l - 9223372036854775807 - 1)", "does not fit bigint");
    EQ("ABS(CAST('-2147483647' AS INT))", "2147483647");
    EQ("ABS(CAST('-2147483648' AS BIGINT))", "2147483648");
}

TEST(fn_trig)
{
    EQ("ACOS(1)", "0.0");
    EQ("ACOS(0.5)", "1.0471975511965979");
    EQ("ACOS(2)", "NaN");
    EQ("ASIN(1)", "1.5707963267948966");
    EQ("ATAN(1)", "0.7853981633974483");
    EQ("ATAN2(1, 1)", "0.7853981633974483");
    EQ("ATAN2(0, -1)", "3.141592653589793");
    EQ("COS(0)", "1.0");
    EQ("COSH(1)", "1.5430806348152437");
    EQ("COT(1)", "0.6420926159343306");
    EQ("SIN(0)", "0.0");
    EQ("SINH(1)", "1.1752011936438014");
    EQ("TAN(3.1415926 / 4)", "0.9999999732051038"); /* func_numeric.conf */
    EQ("TANH(1)", "0.7615941559557649");
    EQ("SIN(i - i)", "0.0"); /* integers are converted */
    EQ("COS(dec - dec)", "1.0");
    TYPE("SIN(i)", "double");
    TYPE("ATAN2(i, l)", "double");
    EQ_AT("SIN(d)", 2, "NULL");
    EQ_AT("ATAN2(d, 1)", 2, "NULL");
    EQ_AT("ATAN2(1, d)", 2, "NULL");
    EQ_AT("COT(d)", 2, "NULL");
}

TEST(fn_cot_zero_fails) { FAILS("COT(0)", "division by zero"); }

TEST(fn_mod)
{
    EQ("MOD(i, 5)", "2");
    EQ_AT("MOD(i, 5)", 1, "-3"); /* the dividend's sign */
    EQ_AT("MOD(i, 5)", 2, "NULL");
    EQ_AT("MOD(5, i)", 2, "NULL");
    EQ("MOD(-7, -2)", "-1");
    EQ("MOD(i, -1)", "0");
    EQ("MOD(l - l - 9223372036854775807 - 1, -1)", "0");
    EQ("MOD(l, 3)", "1");
    TYPE("MOD(l, 3)", "int"); /* the divisor's type */
    TYPE("MOD(i, l)", "bigint");
    /* doubles go through their shortest decimal text, as BigDecimal.valueOf */
    EQ("MOD(13, 5.4)", "2.2");
    TYPE("MOD(13, 5.4)", "double");
    EQ("MOD(d, 1.5)", "1.0");
    EQ("MOD(5.5, 0.1)", "0.0");
    EQ("MOD(5.5, 2)", "1");          /* an int divisor: intValue() of 1.5 */
    EQ_AT("MOD(d, 7.0)", 1, "-1.0"); /* -10^300 mod 7, exactly */
    EQ("MOD(2.5, 1.0E30)", "2.5");
    /* decimals are exact */
    EQ("MOD(dec, 5)", "2");
    EQ("MOD(dec, CAST(5 AS DECIMAL(10,2)))", "2.34");
    EQ_AT("MOD(dec, CAST(5 AS DECIMAL(10,2)))", 1, "-0.01");
    EQ("MOD(CAST('12345678901234567890123.45' AS DECIMAL(30,2)), CAST(10 AS DECIMAL(4,1)))", "3.5");
    TYPE("MOD(i, dec)", "decimal(10,2)");
}

TEST(fn_mod_by_zero_fails)
{
    FAILS("MOD(i, 0)", "division by zero");
    FAILS("MOD(l, i - 7)", "division by zero");
    FAILS("MOD(dec, CAST(0 AS DECIMAL(4,2)))", "division by zero");
    /* SeaTunnel refuses a zero divisor of every type, doubles included */
    FAILS("MOD(d, 0.0)", "division by zero");
}

TEST(fn_ceil_floor)
{
    EQ("CEIL(d)", "3");
    EQ("FLOOR(d)", "2");
    EQ("CEILING(d)", "3");
    EQ_AT("CEIL(f)", 1, "0");
    EQ_AT("FLOOR(f)", 1, "-1");
    EQ("CEIL(13.2)", "14"); /* func_numeric.conf */
    EQ("FLOOR(13.2)", "13");
    EQ("CEIL(dec)", "13");
    EQ("FLOOR(dec)", "12");
    EQ_AT("CEIL(dec)", 1, "0");
    EQ_AT("FLOOR(dec)", 1, "-1");
    EQ("CEIL(i)", "7");
    EQ_AT("FLOOR(i)", 1, "-3");
    EQ_AT("CEIL(d)", 2, "NULL");
    EQ_AT("FLOOR(dec)", 2, "NULL");
    EQ("CEIL(CAST('12345678901234567890.5' AS DECIMAL(38,1)) - CAST('12345678901234567000' AS DECIMAL(38,0)))", "891");
    TYPE("CEIL(d)", "int");
    TYPE("FLOOR(dec)", "int");
    TYPE("CEIL(l)", "int");
}

TEST(fn_ceil_floor_out_of_int_fails)
{
    /* SeaTunnel returns intValue(), which wraps; we refuse */
    FAILS("CEIL(l)", "does not fit int");
    CHECK_CONTAINS(sqlt_eval_at("FLOOR(d)", 1), "does not fit int");
    FAILS("CEIL(SQRT(-1))", "does not fit int");
    EQ("FLOOR(2147483647.5)", "2147483647");
    FAILS("CEIL(2147483647.5)", "does not fit int");
}

TEST(fn_exp_ln_log)
{
    EQ("EXP(2)", "7.38905609893065"); /* func_numeric.conf */
    EQ("EXP(0)", "1.0");
    EQ("LN(13.2)", "2.580216829592325");
    EQ("LN(1)", "0.0");
    EQ("LOG(10, 13.2)", "1.1205739312058498");
    EQ("LOG(2, 8)", "3.0");
    EQ("LOG10(1324.252)", "3.1219706375172507");
    EQ("LOG10(1000)", "3.0");
    EQ_AT("LN(d)", 2, "NULL");
    EQ_AT("LOG(2, d)", 2, "NULL");
    EQ_AT("LOG(d, 2)", 2, "NULL");
    EQ_AT("LOG10(d)", 2, "NULL");
    TYPE("LN(i)", "double");
    TYPE("LOG(i, i)", "double");
}

TEST(fn_log_domain_fails)
{
    FAILS("LN(0)", "positive");
    FAILS("LN(-1)", "positive");
    FAILS("LOG10(0)", "positive");
    FAILS("LOG(0, 5)", "base must be positive");
    FAILS("LOG(2, -5)", "argument must be positive");
    CHECK_CONTAINS(sqlt_eval_at("LN(d)", 1), "positive");
}

TEST(fn_radians_sqrt_pi_power)
{
    EQ("RADIANS(180)", "3.141592653589793");
    EQ("RADIANS(0)", "0.0");
    EQ("SQRT(10.24)", "3.2");
    EQ("SQRT(-1)", "NaN");
    EQ("SQRT(0)", "0.0");
    EQ("PI()", "3.141592653589793");
    EQ("POWER(13.2, 2)", "174.23999999999998");
    EQ("POWER(2, -1)", "0.5");
    EQ("POWER(i, 2)", "49.0");
    EQ_AT("POWER(d, 2)", 2, "NULL");
    EQ_AT("POWER(2, d)", 2, "NULL");
    EQ_AT("RADIANS(d)", 2, "NULL");
    EQ_AT("SQRT(d)", 2, "NULL");
    EQ_AT("PI()", 2, "3.141592653589793");
    TYPE("PI()", "double");
    TYPE("POWER(i, i)", "double");
}

TEST(fn_rand)
{
    for (uint32_t row = 0; row < 3; row++) {
        const char *v = sqlt_eval_at("RAND()", row);
        REQUIRE(strncmp(v, "ERROR", 5) != 0);
        double x = strtod(v, NULL);
        CHECK(x >= 0 && x < 1);
    }
    TYPE("RANDOM()", "double");
    /* a seed gives java.util.Random(seed).nextDouble() */
    EQ("RAND(42)", "0.7275636800328681");
    EQ("RANDOM(0)", "0.730967787376657");
    EQ_AT("RAND(i - i + 42)", 1, "0.7275636800328681");
    /* a NULL seed is no seed: a number, not NULL */
    const char *v = sqlt_eval_at("RAND(i)", 2);
    CHECK(strcmp(v, "NULL") != 0 && strncmp(v, "ERROR", 5) != 0);
    /* volatile: not one folded value for every row */
    const char *q = sqlt_query("SELECT RAND() AS a, RAND() AS b FROM t");
    REQUIRE(strncmp(q, "ERROR", 5) != 0);
    char first[64] = {0};
    const char *bar = strchr(q, '|');
    REQUIRE(bar != NULL);
    size_t n = strcspn(bar + 1, "|\n");
    memcpy(first, bar + 1, n < sizeof first - 1 ? n : sizeof first - 1);
    CHECK(strstr(bar + 1 + n, first) == NULL);
}

TEST(fn_round)
{
    EQ("ROUND(d)", "3.0"); /* HALF_UP */
    EQ("ROUND(-2.5)", "-3.0");
    EQ("ROUND(120.72124, 2)", "120.72"); /* func_numeric.conf */
    EQ("ROUND(0.285, 2)", "0.29");       /* the decimal text, not the binary 0.28499… */
    EQ("ROUND(1.005, 2)", "1.01");
    EQ_AT("ROUND(d)", 1, "-1.0E300");
    EQ("ROUND(1234.5, -2)", "1200.0");
    EQ("ROUND(f)", "2.0");
    EQ_AT("ROUND(f, 1)", 1, "-0.3");
    EQ("ROUND(i, -1)", "10");
    EQ_AT("ROUND(i, -1)", 1, "0");
    EQ("ROUND(15, -1)", "20");
    EQ("ROUND(-15, -1)", "-20");
    EQ("ROUND(l, -10)", "10000000000");
    EQ("ROUND(i, 2)", "7");
    EQ("ROUND(dec, 1)", "12.30");
    EQ("ROUND(dec)", "12.00");
    EQ_AT("ROUND(dec)", 1, "0.00");
    EQ_AT("ROUND(dec, 1)", 1, "0.00");
    EQ("ROUND(CAST('12.345' AS DECIMAL(5,3)), 2)", "12.350");
    EQ("ROUND(CAST('-12.345' AS DECIMAL(5,3)), 2)", "-12.350");
    EQ("ROUND(CAST('12345678901234567890.125' AS DECIMAL(38,3)), 2)", "12345678901234567890.130");
    EQ("ROUND(dec, -1)", "10.00");
    EQ_AT("ROUND(d)", 2, "NULL");
    EQ_AT("ROUND(dec, 1)", 2, "NULL");
    EQ_AT("ROUND(1.5, i)", 2, "NULL");
    TYPE("ROUND(d)", "double");
    TYPE("ROUND(f, 1)", "float");
    TYPE("ROUND(i, -1)", "int");
    TYPE("ROUND(dec, 1)", "decimal(10,2)");
}

TEST(fn_round_overflow_fails)
{
    FAILS("ROUND(2147483647, -1)", "does not fit int");
    FAILS("ROUND(CAST('99.99' AS DECIMAL(4,2)))", "does not fit decimal(4,2)");
    FAILS("ROUND(CAST('99.95' AS DECIMAL(4,2)), 1)", "does not fit decimal(4,2)");
    EQ("ROUND(CAST('99.94' AS DECIMAL(4,2)), 1)", "99.90");
}

TEST(fn_sign)
{
    EQ("SIGN(i)", "1");
    EQ_AT("SIGN(i)", 1, "-1");
    EQ("SIGN(0)", "0");
    EQ_AT("SIGN(l)", 1, "-1");
    EQ_AT("SIGN(f)", 1, "-1");
    EQ_AT("SIGN(d)", 1, "-1");
    EQ_AT("SIGN(dec)", 1, "-1");
    EQ("SIGN(dec - dec)", "0");
    EQ("SIGN(SQRT(-1))", "0");
    EQ_AT("SIGN(i)", 2, "NULL");
    TYPE("SIGN(d)", "int");
}

TEST(fn_trunc)
{
    EQ("TRUNC(120.72124, 2)", "120.72"); /* func_numeric.conf */
    EQ("TRUNC(d)", "2.0");
    EQ("TRUNC(-2.7)", "-2.0");
    EQ("TRUNC(-0.5)", "-0.0"); /* Math.ceil(-0.5), as SeaTunnel */
    EQ("TRUNC(0.299, 2)", "0.29");
    EQ("TRUNCATE(-0.299, 2)", "-0.29");
    EQ_AT("TRUNC(d)", 1, "-1.0E300");
    EQ("TRUNC(dec, 1)", "12.3");
    EQ_AT("TRUNC(dec, 1)", 1, "0.0");
    EQ("TRUNC(i)", "7.0");
    EQ("TRUNCATE(i, -1)", "0.0");
    EQ("TRUNC(l, -3)", "1.0E10");
    EQ("TRUNC(1234.5, -2)", "1200.0");
    EQ_AT("TRUNC(d)", 2, "NULL");
    TYPE("TRUNC(i)", "double");
    TYPE("TRUNCATE(dec, 1)", "double");
}

TEST(fn_array_max_min)
{
    EQ("ARRAY_MAX(arr)", "3");
    EQ("ARRAY_MIN(arr)", "1");
    EQ_AT("ARRAY_MAX(arr)", 1, "NULL"); /* empty */
    EQ_AT("ARRAY_MIN(arr)", 2, "NULL");
    TYPE("ARRAY_MAX(arr)", "int");
    FAILS("ARRAY_MAX(i)", "needs an array");
}

TEST(fn_numeric_wrong_types_fail_at_plan)
{
    CHECK_CONTAINS(sqlt_type("ABS(s)"), "ERROR");
    CHECK_CONTAINS(sqlt_type("SQRT(dt)"), "ERROR");
    CHECK_CONTAINS(sqlt_type("MOD(i)"), "ERROR");
    CHECK_CONTAINS(sqlt_type("PI(1)"), "ERROR");
}
