/* test_sql_core.c — the SQL core: parsing (with error positions), binding
 * (names, types by SeaTunnel's rules), operators, CASE, casts, nested
 * values, WHERE, and run-time failures that name the row. */
#include "sqlt.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>

/* ---- parsing ---------------------------------------------------------------------- */

TEST(parse_errors_have_positions)
{
    CHECK_CONTAINS(sqlt_query("SELEC i FROM t"), "query 1:1: only SELECT queries are supported");
    CHECK_CONTAINS(sqlt_query("SELECT i FROM t WHERE"), "query 1:22: the query ends where an expression should be");
    CHECK_CONTAINS(sqlt_query("SELECT i, FROM t"), "query 1:11: expected an expression, found the keyword 'FROM'");
    CHECK_CONTAINS(sqlt_query("SELECT (i + 1 FROM t"), "query 1:15: expected ')'");
    CHECK_CONTAINS(sqlt_query("SELECT 'abc FROM t"), "query 1:8: unclosed string literal");
    CHECK_CONTAINS(sqlt_query("SELECT i FROM t\nWHERE i > 1 ORDER BY i"), "query 2:13: ORDER BY is not supported");
    CHECK_CONTAINS(sqlt_query("SELECT i FROM t GROUP BY i"), "GROUP BY is not supported");
    CHECK_CONTAINS(sqlt_query("SELECT i FROM t LIMIT 1"), "LIMIT and OFFSET are not supported");
    CHECK_CONTAINS(sqlt_query("SELECT i FROM t JOIN u"), "joins are not supported");
    CHECK_CONTAINS(sqlt_query("SELECT i FROM t x"), "table aliases are not supported");
    CHECK_CONTAINS(sqlt_query("SELECT i FROM db.t"), "schema-qualified table names are not supported");
    CHECK_CONTAINS(sqlt_query("SELECT i FROM (SELECT 1)"), "sub-queries are not supported");
    CHECK_CONTAINS(sqlt_query("SELECT i FROM t WHERE i # 2"), "query 1:25: unexpected character '#'");
    CHECK_CONTAINS(sqlt_query("SELECT CAST(i AS WIDGET) FROM t"), "Unsupported CAST AS type: WIDGET");
    CHECK_CONTAINS(sqlt_query("SELECT i FROM t; SELECT 1"), "unexpected 'SELECT' after the query");
}

TEST(parse_comments_quotes_and_case)
{
    CHECK_STR(sqlt_query("select `i` as \"the i\" -- comment\n from t /* block */ where I = 7"), "+I|7\n");
    CHECK_STR(sqlt_type("'it''s'"), "string");
    CHECK_STR(sqlt_eval("'it''s'"), "it's");
    CHECK_STR(sqlt_query("SELECT t.i, db.t.l FROM t WHERE i = 7"), "+I|7|10000000000\n");
    CHECK_STR(sqlt_query("SELECT t.i, qq.l FROM t WHERE i = 7"),
              "ERROR: query 1:13: unknown column \"qq\"; db.t has: i, l, f, d, dec, s, b, dt, tm, ts, by, n, arr, m, "
              "r\n    SELECT t.i, qq.l FROM t WHERE i = 7\n                ^");
}

TEST(select_star_and_names)
{
    CHECK_CONTAINS(sqlt_query("SELECT *, i + 1 AS j FROM t WHERE i = 7"),
                   "+I|7|10000000000|1.5|2.5|12.34|hello|true|2024-02-29|13:45:30|2024-02-29T13:45:30.123456|");
    CHECK_CONTAINS(sqlt_query("SELECT i, i FROM t"), "two output columns are named \"i\"");
    CHECK_STR(sqlt_query("SELECT i, i + 1 FROM t WHERE i = 7"), "+I|7|8\n");
}

/* ---- names ----------------------------------------------------------------------- */

TEST(unknown_names_suggest)
{
    CHECK_CONTAINS(sqlt_eval("dte"), "unknown column \"dte\" (did you mean \"dt\"?)");
    CHECK_CONTAINS(sqlt_eval("UPPPER(s)"), "unknown function UPPPER (did you mean UPPER?)");
    CHECK_CONTAINS(sqlt_eval("r.z"), "row<x int, y string> has no field \"z\"");
    CHECK_CONTAINS(sqlt_eval("i.z"), "\"i.z\" is int, which has no field \"z\"");
}

TEST(nested_access)
{
    CHECK_STR(sqlt_eval("r.x"), "1");
    CHECK_STR(sqlt_eval("r.y"), "a");
    CHECK_STR(sqlt_eval_at("r.x", 1), "NULL");
    CHECK_STR(sqlt_eval_at("r.x", 2), "NULL");
    CHECK_STR(sqlt_eval("arr[0]"), "1");
    CHECK_STR(sqlt_eval("arr[2]"), "3");
    CHECK_STR(sqlt_eval("arr[3]"), "NULL");
    CHECK_STR(sqlt_eval("arr[-1]"), "NULL");
    CHECK_STR(sqlt_eval("m['k']"), "5");
    CHECK_STR(sqlt_eval("m.k"), "5");
    CHECK_STR(sqlt_eval("m['nope']"), "NULL");
    CHECK_STR(sqlt_type("r.x"), "int");
    CHECK_STR(sqlt_type("m['k']"), "int");
    CHECK_CONTAINS(sqlt_eval("i[0]"), "only arrays and maps take [ ]");
}

/* ---- types --------------------------------------------------------------------------- */

TEST(arithmetic_types_follow_seatunnel)
{
    CHECK_STR(sqlt_type("i + 1"), "int");
    CHECK_STR(sqlt_type("i + l"), "bigint");
    CHECK_STR(sqlt_type("i + 3000000000"), "bigint");
    CHECK_STR(sqlt_type("i * 1.5"), "double");
    CHECK_STR(sqlt_type("f + i"), "double");
    CHECK_STR(sqlt_type("dec + i"), "decimal(10,2)");
    CHECK_STR(sqlt_type("dec * d"), "decimal(10,2)");
    CHECK_STR(sqlt_type("-i"), "int");
    CHECK_STR(sqlt_type("i > 1"), "boolean");
    CHECK_STR(sqlt_type("s || i"), "string");
    CHECK_STR(sqlt_type("CASE WHEN i > 1 THEN i ELSE l END"), "bigint");
    CHECK_STR(sqlt_type("CASE WHEN i > 1 THEN dec ELSE 1 END"), "decimal(10,2)");
    CHECK_STR(sqlt_type("CAST(i AS DECIMAL(12, 3))"), "decimal(12,3)");
    CHECK_STR(sqlt_type("NULL"), "string");
}

TEST(type_errors_at_plan_time)
{
    CHECK_CONTAINS(sqlt_eval("'a' + 1"),
                   "query 1:8: '+' needs numbers, but 'a' is string (use || or CONCAT to join strings)");
    CHECK_CONTAINS(sqlt_eval("s * 2"), "'*' needs numbers, but s is string");
    CHECK_CONTAINS(sqlt_eval("dt > 1"), "cannot compare dt (date) with 1 (int)");
    CHECK_CONTAINS(sqlt_eval("s = 1"), "cannot compare s (string) with 1 (int)");
    CHECK_CONTAINS(sqlt_eval("b > true"), "boolean values can only be compared with = and <>");
    CHECK_CONTAINS(sqlt_eval("CASE WHEN i > 1 THEN 'x' ELSE 2 END"), "CASE results must have one type");
    CHECK_CONTAINS(sqlt_eval("CASE WHEN i THEN 1 END"), "WHEN needs a condition (a boolean), but i is int");
    CHECK_CONTAINS(sqlt_query("SELECT i FROM t WHERE s"), "WHERE needs a condition (a boolean), but s is string");
    CHECK_CONTAINS(sqlt_eval("CAST(arr AS INT)"), "cannot CAST arr (array<int>) AS int");
    CHECK_CONTAINS(sqlt_eval("1 / 0"), "query 1:8: /: division by zero");
}

/* ---- arithmetic ------------------------------------------------------------------------ */

TEST(integer_arithmetic_is_exact)
{
    CHECK_STR(sqlt_eval("i + 1"), "8");
    CHECK_STR(sqlt_eval("i - 10"), "-3");
    CHECK_STR(sqlt_eval("i * 3"), "21");
    CHECK_STR(sqlt_eval("i / 2"), "3");
    CHECK_STR(sqlt_eval_at("i / 2", 1), "-1");
    CHECK_STR(sqlt_eval("i % 4"), "3");
    CHECK_STR(sqlt_eval_at("i % 2", 1), "-1");
    CHECK_STR(sqlt_eval("l * 2"), "20000000000");
    CHECK_STR(sqlt_eval("-i"), "-7");
    CHECK_STR(sqlt_eval("-2147483648"), "-2147483648");
    CHECK_STR(sqlt_type("-2147483648"), "int");
    CHECK_STR(sqlt_eval_at("i + 1", 2), "NULL");
    CHECK_CONTAINS(sqlt_eval("i * 2147483647"), "query 1:8: *: the result overflows int");
    CHECK_CONTAINS(sqlt_eval("i * 2147483647"), "the row: {i=7, l=10000000000");
    CHECK_CONTAINS(sqlt_eval("l * l"), "the result overflows bigint");
    CHECK_CONTAINS(sqlt_eval("i / (i - 7)"), "/: division by zero; the row: {i=7");
    CHECK_CONTAINS(sqlt_eval("i % (i - 7)"), "division by zero");
    CHECK_CONTAINS(sqlt_eval("-(i - 7 - 2147483647 - 1)"), "overflows int");
}

TEST(double_arithmetic_follows_ieee)
{
    CHECK_STR(sqlt_eval("d + 1"), "3.5");
    CHECK_STR(sqlt_eval("d / 0"), "Infinity");
    CHECK_STR(sqlt_eval("d * f"), "3.75");
    CHECK_STR(sqlt_eval("0.1 + 0.2"), "0.30000000000000004");
    CHECK_STR(sqlt_eval("d % 2"), "0.5");
    CHECK_STR(sqlt_eval_at("d * 1e10", 1), "-Infinity");
    CHECK_STR(sqlt_eval_at("d + 1", 2), "NULL");
}

TEST(decimal_arithmetic_is_exact)
{
    CHECK_STR(sqlt_eval("dec + 1"), "13.34");
    CHECK_STR(sqlt_eval("dec - 0.01"), "12.33");
    CHECK_STR(sqlt_eval("dec * 2"), "24.68");
    CHECK_STR(sqlt_eval("dec * 1.5"), "18.51");
    CHECK_STR(sqlt_eval("dec / 3"), "4.12");
    CHECK_STR(sqlt_eval_at("dec / 3", 1), "-0.01");
    CHECK_STR(sqlt_eval("dec % 5"), "2.34");
    CHECK_STR(sqlt_eval_at("-dec", 1), "0.01");
    CHECK_CONTAINS(sqlt_eval("dec / 0"), "division by zero");
    CHECK_CONTAINS(sqlt_eval("dec * 100000000"), "the result overflows decimal(10,2)");
    CHECK_STR(sqlt_eval("CAST(dec AS DECIMAL(20, 4)) + CAST(1.23456 AS DECIMAL(20, 5))"), "13.57456");
}

/* ---- comparisons and logic ---------------------------------------------------------------- */

TEST(comparisons_are_two_valued_like_seatunnel)
{
    CHECK_STR(sqlt_eval("i = 7"), "true");
    CHECK_STR(sqlt_eval("i <> 7"), "false");
    CHECK_STR(sqlt_eval("i != 8"), "true");
    CHECK_STR(sqlt_eval("i >= 7.0"), "true");
    CHECK_STR(sqlt_eval("l > i"), "true");
    CHECK_STR(sqlt_eval("dec = 12.34"), "true");
    CHECK_STR(sqlt_eval("dec < 13"), "true");
    CHECK_STR(sqlt_eval("s < 'world'"), "true");
    CHECK_STR(sqlt_eval("dt = '2024-02-29'"), "true");
    CHECK_STR(sqlt_eval("ts > '2024-02-29 13:00:00'"), "true");
    CHECK_STR(sqlt_eval("dt < ts"), "true");
    CHECK_STR(sqlt_eval("b = true"), "true");
    /* NULL: false, except <> with one side NULL */
    CHECK_STR(sqlt_eval_at("i = 7", 2), "false");
    CHECK_STR(sqlt_eval_at("i <> 7", 2), "true");
    CHECK_STR(sqlt_eval_at("i < 7", 2), "false");
    CHECK_STR(sqlt_eval("n = NULL"), "false");
    CHECK_STR(sqlt_eval("n <> NULL"), "false");
}

TEST(logic_is_three_valued)
{
    CHECK_STR(sqlt_eval("i = 7 AND s = 'hello'"), "true");
    CHECK_STR(sqlt_eval("i = 7 AND s = 'x'"), "false");
    CHECK_STR(sqlt_eval("i = 8 OR s = 'hello'"), "true");
    CHECK_STR(sqlt_eval("NOT i = 8"), "true");
    CHECK_STR(sqlt_eval_at("b AND true", 2), "NULL");
    CHECK_STR(sqlt_eval_at("b AND false", 2), "false");
    CHECK_STR(sqlt_eval_at("b OR true", 2), "true");
    CHECK_STR(sqlt_eval_at("NOT b", 2), "NULL");
    CHECK_STR(sqlt_query("SELECT i FROM t WHERE b"), "+I|7\n");
    CHECK_STR(sqlt_query("SELECT i FROM t WHERE NOT b"), "+I|-3\n");
}

TEST(is_null_in_like_between)
{
    CHECK_STR(sqlt_eval("n IS NULL"), "true");
    CHECK_STR(sqlt_eval("s IS NOT NULL"), "true");
    CHECK_STR(sqlt_eval("i IN (1, 7, 9)"), "true");
    CHECK_STR(sqlt_eval("i IN (1.5, 7.0)"), "true");
    CHECK_STR(sqlt_eval("i NOT IN (1, 2)"), "true");
    CHECK_STR(sqlt_eval("s IN ('x', 'hello')"), "true");
    CHECK_STR(sqlt_eval_at("i IN (1, NULL)", 2), "true");
    CHECK_STR(sqlt_eval_at("i IN (1, 2)", 2), "false");
    CHECK_STR(sqlt_eval_at("i NOT IN (1, 2)", 2), "false");
    CHECK_STR(sqlt_eval("s LIKE 'he%'"), "true");
    CHECK_STR(sqlt_eval("s LIKE '%ll%'"), "true");
    CHECK_STR(sqlt_eval("s LIKE 'h_llo'"), "true");
    CHECK_STR(sqlt_eval("s LIKE 'h.llo'"), "false");
    CHECK_STR(sqlt_eval("s NOT LIKE '%z%'"), "true");
    CHECK_STR(sqlt_eval_at("s LIKE '_nïcødé _'", 1), "true");
    CHECK_STR(sqlt_eval_at("s LIKE '%'", 2), "false");
    CHECK_STR(sqlt_eval_at("s NOT LIKE '%'", 2), "false");
    CHECK_STR(sqlt_eval("i BETWEEN 1 AND 7"), "true");
    CHECK_STR(sqlt_eval("i NOT BETWEEN 1 AND 7"), "false");
    CHECK_STR(sqlt_eval("dt BETWEEN '2024-01-01' AND '2024-12-31'"), "true");
}

/* ---- CASE -------------------------------------------------------------------------------------- */

TEST(case_takes_the_first_true_branch)
{
    CHECK_STR(sqlt_eval("CASE WHEN i > 5 THEN 'big' WHEN i > 0 THEN 'small' ELSE 'neg' END"), "big");
    CHECK_STR(sqlt_eval_at("CASE WHEN i > 5 THEN 'big' WHEN i > 0 THEN 'small' ELSE 'neg' END", 1), "neg");
    CHECK_STR(sqlt_eval_at("CASE WHEN i > 5 THEN 'big' END", 1), "NULL");
    CHECK_STR(sqlt_eval("CASE i WHEN 1 THEN 'one' WHEN 7 THEN 'seven' END"), "seven");
    CHECK_STR(sqlt_eval_at("CASE WHEN b THEN 1 ELSE 2 END", 2), "2");
    /* a branch not taken cannot fail */
    CHECK_STR(sqlt_eval("CASE WHEN i = 7 THEN 0 ELSE 10 / (i - 7) END"), "0");
    CHECK_CONTAINS(sqlt_eval("CASE WHEN i = 7 THEN 10 / (i - 7) ELSE 0 END"), "division by zero");
    CHECK_STR(sqlt_eval("CASE WHEN i > 1 THEN dec ELSE 1 END"), "12.34");
    CHECK_STR(sqlt_eval_at("CASE WHEN i > 1 THEN dec ELSE 1 END", 1), "1.00");
}

/* ---- CAST ---------------------------------------------------------------------------------------- */

TEST(cast_between_types)
{
    CHECK_STR(sqlt_eval("CAST(i AS STRING)"), "7");
    CHECK_STR(sqlt_eval_at("CAST(l AS STRING)", 1), "-1");
    CHECK_STR(sqlt_eval("CAST(-9223372036854775807 - 1 AS STRING)"), "-9223372036854775808");
    CHECK_STR(sqlt_eval("CAST(9223372036854775807 AS STRING)"), "9223372036854775807");
    CHECK_STR(sqlt_eval("CAST(100 AS STRING) || CAST(99 AS STRING) || CAST(0 AS STRING) || CAST(-10 AS STRING)"),
              "100990-10");
    CHECK_STR(sqlt_eval("YEAR(CAST('0001-03-01' AS DATE)) || '/' || YEAR(CAST('2000-02-29' AS DATE)) || '/' || "
                        "YEAR(CAST('1969-12-31 23:59:59' AS TIMESTAMP))"),
              "1/2000/1969");
    CHECK_STR(sqlt_eval("CAST(d AS VARCHAR)"), "2.5");
    CHECK_STR(sqlt_eval("CAST(ts AS STRING)"), "2024-02-29T13:45:30.123456");
    CHECK_STR(sqlt_eval("CAST('42' AS INT)"), "42");
    CHECK_STR(sqlt_eval("CAST('42' AS BIGINT)"), "42");
    CHECK_STR(sqlt_eval("CAST(i AS DOUBLE)"), "7.0");
    CHECK_STR(sqlt_eval("CAST(2.0 AS INT)"), "2");
    CHECK_CONTAINS(sqlt_eval("CAST(2.5 AS INT)"), "a number with a fraction does not cast as int");
    CHECK_CONTAINS(sqlt_eval("CAST('x1' AS INT)"), "cannot cast 'x1' as int");
    CHECK_CONTAINS(sqlt_eval("CAST(l AS INT)"), "10000000000 is out of range for int");
    CHECK_STR(sqlt_eval("TRY_CAST(l AS INT)"), "NULL");
    CHECK_STR(sqlt_eval("TRY_CAST('x' AS INT)"), "NULL");
    CHECK_STR(sqlt_eval("CAST(dec AS DECIMAL(10, 1))"), "12.4");
    CHECK_STR(sqlt_eval_at("CAST(dec AS DECIMAL(10, 1))", 1), "0.0");
    CHECK_STR(sqlt_eval("CAST('1.2345' AS DECIMAL(5, 2))"), "1.24");
    CHECK_STR(sqlt_eval("CAST(2.5 AS DECIMAL(5, 2))"), "2.50");
    CHECK_STR(sqlt_eval("TRY_CAST(d AS DECIMAL(5, 2))"), "2.50");
    CHECK_CONTAINS(sqlt_eval("CAST(l AS DECIMAL(5, 2))"), "the number does not fit as decimal(5,2)");
    CHECK_STR(sqlt_eval("CAST(ts AS DATE)"), "2024-02-29");
    CHECK_STR(sqlt_eval("CAST(ts AS TIME)"), "13:45:30.123456");
    CHECK_STR(sqlt_eval_at("CAST(ts AS DATE)", 1), "1969-12-31");
    CHECK_STR(sqlt_eval("CAST(dt AS TIMESTAMP)"), "2024-02-29T00:00");
    CHECK_STR(sqlt_eval("CAST('2024-01-02 03:04:05' AS TIMESTAMP)"), "2024-01-02T03:04:05");
    CHECK_STR(sqlt_eval("CAST(20240131 AS DATE)"), "2024-01-31");
    CHECK_CONTAINS(sqlt_eval("CAST(20240231 AS DATE)"), "not a yyyyMMdd date");
    CHECK_STR(sqlt_eval("CAST(134501 AS TIME)"), "13:45:01");
    CHECK_STR(sqlt_eval("CAST('true' AS BOOLEAN)"), "true");
    CHECK_STR(sqlt_eval("CAST('0' AS BOOLEAN)"), "false");
    CHECK_CONTAINS(sqlt_eval("CAST('yes' AS BOOLEAN)"), "only 'true', 'false', 1 and 0 cast");
    CHECK_STR(sqlt_eval("CAST(s AS BYTES)"), "[104, 101, 108, 108, 111]");
    CHECK_STR(sqlt_eval("CAST(i AS TINYINT)"), "7");
    CHECK_STR(sqlt_eval_at("CAST(n AS INT)", 0), "NULL");
    CHECK_STR(sqlt_eval("CAST(NULL AS INT)"), "NULL");
    CHECK_STR(sqlt_type("CAST(NULL AS INT)"), "int");
}

/* ---- WHERE and row kinds --------------------------------------------------------------------------- */

TEST(where_keeps_rows_and_kinds)
{
    CHECK_STR(sqlt_query("SELECT i, s FROM t WHERE i > 0"), "+I|7|hello\n");
    CHECK_STR(sqlt_query("SELECT i FROM t WHERE i IS NULL OR i < 0"), "+I|-3\n+I|NULL\n");
    CHECK_STR(sqlt_query("SELECT i FROM t WHERE 1 = 0"), "");
    CHECK_STR(sqlt_query("SELECT 'k' AS k, i FROM t WHERE i = 7 OR i = -3"), "+I|k|7\n+I|k|-3\n");
}

TEST(system_functions)
{
    CHECK_STR(sqlt_eval("COALESCE(n, s)"), "hello");
    CHECK_STR(sqlt_eval_at("COALESCE(i, 0)", 2), "0");
    CHECK_STR(sqlt_eval_at("COALESCE(dec, 1)", 2), "1.00");
    CHECK_STR(sqlt_eval_at("IFNULL(s, 'none')", 2), "none");
    CHECK_STR(sqlt_eval("NULLIF(i, 7)"), "NULL");
    CHECK_STR(sqlt_eval("NULLIF(i, 8)"), "7");
    CHECK_STR(sqlt_type("COALESCE(i, l)"), "int");
    CHECK_CONTAINS(sqlt_eval("COALESCE(i, 'x')"), "argument 2 is string, but the result is int");
    CHECK_CONTAINS(sqlt_eval("IFNULL(i)"), "IFNULL takes 2 arguments, not 1");
    CHECK_INT(strlen(sqlt_eval("UUID()")), 36);
    char first[64];
    snprintf(first, sizeof first, "%s", sqlt_eval("UUID()"));
    CHECK(strcmp(first, sqlt_eval("UUID()")) != 0);
}
