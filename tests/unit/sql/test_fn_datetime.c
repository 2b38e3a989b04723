/* test_fn_datetime.c — SeaTunnel's date/time SQL functions through the
 * whole pipeline (sqlt.h). Expected values come from SeaTunnel's e2e job
 * func_datetime.conf (c1 = 2021-04-15T13:34:45, c2 = 2022-01-23T12:34:56,
 * c3 = 2021-04-15T13:34:45.235, c4 = 2021-04-08T13:34:45.235) where it
 * has one, else from java.time. Table t: dt 2024-02-29 / 1970-01-01, tm
 * 13:45:30 / 00:00:00, ts 2024-02-29T13:45:30.123456 / 1969-12-31T23:59:59. */
#include "unit.h"
#include "sqlt.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EQ(expr, want) CHECK_STR(sqlt_eval(expr), want)
#define EQ_AT(expr, row, want) CHECK_STR(sqlt_eval_at(expr, row), want)
#define TYPE(expr, want) CHECK_STR(sqlt_type(expr), want)
#define FAILS(expr, why)                  \
    do {                                  \
        const char *v_ = sqlt_eval(expr); \
        CHECK_CONTAINS(v_, "ERROR");      \
        CHECK_CONTAINS(v_, why);          \
    } while (0)

#define C1 "CAST('2021-04-15 13:34:45' AS TIMESTAMP)"
#define C2 "CAST('2022-01-23 12:34:56' AS TIMESTAMP)"
#define C3 "CAST('2021-04-15 13:34:45.235' AS TIMESTAMP)"
#define C4 "CAST('2021-04-08 13:34:45.235' AS TIMESTAMP)"
#define DATE(s) "CAST('" s "' AS DATE)"
#define TS(s) "CAST('" s "' AS TIMESTAMP)"
#define TIME(s) "CAST('" s "' AS TIME)"

static bool is_value(const char *v) { return strcmp(v, "NULL") != 0 && strncmp(v, "ERROR", 5) != 0; }

TEST(fn_current)
{
    CHECK(is_value(sqlt_eval("CURRENT_DATE()")));
    CHECK(is_value(sqlt_eval("CURRENT_TIME()")));
    CHECK(is_value(sqlt_eval("CURRENT_TIMESTAMP()")));
    CHECK(is_value(sqlt_eval_at("NOW()", 2)));
    TYPE("CURRENT_DATE()", "date");
    TYPE("CURRENT_TIME()", "time");
    TYPE("CURRENT_TIMESTAMP()", "timestamp");
    TYPE("NOW()", "timestamp");
    /* one instant per batch: the date, time and timestamp agree */
    EQ("DATEDIFF(CURRENT_DATE(), NOW(), 'DAY')", "0");
    EQ("DATEDIFF(CURRENT_TIME(), CAST(FORMATDATETIME(NOW(), 'HH:mm:ss.SSSSSS') AS TIME), 'MILLISECOND')", "0");
    CHECK(strtol(sqlt_eval("YEAR(CURRENT_DATE())"), NULL, 10) >= 2024);
    CHECK_CONTAINS(sqlt_type("NOW(1)"), "ERROR");
}

TEST(fn_dateadd)
{
    EQ("DATEADD(" C1 ", 1)", "2021-04-16T13:34:45"); /* func_datetime.conf */
    EQ("DATEADD(" C1 ", 40, 'DAY')", "2021-05-25T13:34:45");
    EQ("DATEADD(" C1 ", 2, 'YEAR')", "2023-04-15T13:34:45");
    EQ("DATEADD(" C1 ", 10, 'MONTH')", "2022-02-15T13:34:45");
    EQ("DATEADD(" C1 ", 13, 'HOUR')", "2021-04-16T02:34:45");
    EQ("DATEADD(" C1 ", 40, 'MINUTE')", "2021-04-15T14:14:45");
    EQ("DATEADD(" C1 ", 30, 'SECOND')", "2021-04-15T13:35:15");
    EQ("DATEADD(ts, 1)", "2024-03-01T13:45:30.123456");
    EQ("DATEADD(ts, 1, 'MILLISECOND')", "2024-02-29T13:45:30.124456");
    EQ("DATEADD(ts, -2, 'WEEK')", "2024-02-15T13:45:30.123456");
    EQ_AT("DATEADD(ts, 1, 'SECOND')", 1, "1970-01-01T00:00");
    EQ_AT("DATEADD(ts, -1, 'YEAR')", 1, "1968-12-31T23:59:59");
    EQ("TIMESTAMPADD(ts, 1, 'day')", "2024-03-01T13:45:30.123456"); /* any case */
    /* leap days: the day is clamped to the month */
    EQ("DATEADD(dt, 1, 'YEAR')", "2025-02-28");
    EQ("DATEADD(dt, 4, 'YEAR')", "2028-02-29");
    EQ("DATEADD(dt, 1, 'MONTH')", "2024-03-29");
    EQ("DATEADD(" DATE("2024-01-31") ", 1, 'MONTH')", "2024-02-29");
    EQ("DATEADD(" DATE("2023-01-31") ", 1, 'MONTH')", "2023-02-28");
    EQ("DATEADD(" DATE("2024-03-31") ", -1, 'MONTH')", "2024-02-29");
    EQ_AT("DATEADD(dt, -1, 'DAY')", 1, "1969-12-31");
    /* times wrap around midnight (LocalTime) */
    EQ("DATEADD(tm, 11, 'HOUR')", "00:45:30");
    EQ_AT("DATEADD(tm, -1, 'MINUTE')", 1, "23:59");
    EQ_AT("DATEADD(tm, -1, 'MILLISECOND')", 1, "23:59:59.999");
    EQ("DATEADD(tm, 86400, 'SECOND')", "13:45:30");
    EQ_AT("DATEADD(ts, 1, 'DAY')", 2, "NULL");
    EQ_AT("DATEADD(dt, i, 'DAY')", 2, "NULL");
    EQ("DATEADD(dt, i, 'DAY')", "2024-03-07");
    TYPE("DATEADD(dt, 1, 'DAY')", "date");
    TYPE("DATEADD(tm, 1, 'HOUR')", "time");
    TYPE("TIMESTAMPADD(ts, 1, 'HOUR')", "timestamp");
}

TEST(fn_dateadd_refuses)
{
    FAILS("DATEADD(dt, 1, 'HOUR')", "cannot add HOUR to a date");
    FAILS("DATEADD(tm, 1, 'DAY')", "cannot add DAY to a time");
    FAILS("DATEADD(ts, 1, 'FORTNIGHT')", "valid: YEAR, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND");
    CHECK_CONTAINS(sqlt_type("DATEADD(ts, 1, 'FORTNIGHT')"), "1:8");
    FAILS("DATEADD(dt, 9223372036854775807, 'DAY')", "range");
    FAILS("DATEADD(dt, 2147483647, 'DAY')", "range");
    FAILS("DATEADD(dt, l, 'DAY')", "range");
    FAILS("DATEADD(ts, 300000, 'YEAR')", "range");
    FAILS("DATEADD(ts, 9223372036854775807, 'MILLISECOND')", "range");
    /* a unit that is not a constant is checked per row */
    FAILS("DATEADD(ts, 1, s)", "unknown unit 'hello'");
    CHECK_CONTAINS(sqlt_type("DATEADD(s, 1, 'DAY')"), "ERROR");
}

TEST(fn_datediff)
{
    EQ("DATEDIFF(" C1 ", " C2 ")", "283"); /* func_datetime.conf */
    EQ("DATEDIFF(" C1 ", " C2 ", 'DAY')", "283");
    EQ("DATEDIFF(" C1 ", " C2 ", 'YEAR')", "0");
    EQ("DATEDIFF(" C1 ", " C2 ", 'MONTH')", "9");
    EQ("DATEDIFF(" C1 ", " C2 ", 'HOUR')", "6791");
    EQ("DATEDIFF(" C1 ", " C2 ", 'MINUTE')", "407460");
    EQ("DATEDIFF(" C1 ", " C2 ", 'SECOND')", "24447611");
    EQ("DATEDIFF(" C1 ", " C2 ", 'WEEK')", "40");
    EQ("DATEDIFF(" C1 ", " C2 ", 'DAYTIME')", "282");
    EQ("DATEDIFF(" C2 ", " C1 ", 'MILLISECOND')", "-24447611000");
    /* Period.between: whole months; MONTH is the months part (0..11) */
    EQ("DATEDIFF(" DATE("2020-01-31") ", " DATE("2021-03-01") ", 'MONTH')", "1");
    EQ("DATEDIFF(" DATE("2020-01-31") ", " DATE("2021-03-01") ", 'YEAR')", "1");
    EQ("DATEDIFF(" DATE("2021-03-01") ", " DATE("2020-01-31") ", 'MONTH')", "-1");
    EQ("DATEDIFF(" DATE("2020-02-29") ", " DATE("2021-02-28") ", 'YEAR')", "0");
    EQ("DATEDIFF(" DATE("2020-02-29") ", " DATE("2024-02-29") ", 'YEAR')", "4");
    EQ("DATEDIFF(dt, ts, 'DAY')", "0");
    EQ_AT("DATEDIFF(dt, ts, 'DAY')", 1, "-1");
    /* Duration: whole seconds by floor, then truncation */
    EQ("DATEDIFF(" TS("1970-01-01 00:00:00") ", " TS("1969-12-31 23:00:00.5") ", 'HOUR')", "-1");
    EQ("DATEDIFF(" TS("1970-01-01 00:00:00") ", " TS("1969-12-31 23:59:59.9995") ", 'MILLISECOND')", "-1");
    EQ("DATEDIFF(" TS("1970-01-01 00:00:00") ", " TS("1969-12-31 23:59:59.5") ", 'SECOND')", "0");
    EQ("DATEDIFF(tm, " TIME("14:00:00") ", 'MINUTE')", "14");
    EQ_AT("DATEDIFF(tm, " TIME("14:00:00") ", 'HOUR')", 1, "14");
    EQ_AT("DATEDIFF(ts, ts, 'DAY')", 2, "NULL");
    EQ_AT("DATEDIFF(dt, " DATE("2000-01-01") ", 'DAY')", 2, "NULL");
    TYPE("DATEDIFF(dt, dt, 'DAY')", "bigint");
}

TEST(fn_datediff_refuses)
{
    FAILS("DATEDIFF(tm, tm, 'DAY')", "dates or timestamps");
    FAILS("DATEDIFF(dt, dt, 'HOUR')", "two timestamps or two times");
    FAILS("DATEDIFF(dt, ts, 'WEEK')", "two timestamps or two times");
    FAILS("DATEDIFF(tm, ts, 'SECOND')", "two timestamps or two times");
    FAILS("DATEDIFF(ts, ts, 'QUARTER')", "unknown unit 'QUARTER'");
}

TEST(fn_date_trunc)
{
    EQ("DATE_TRUNC(" C3 ", 'YEAR')", "2021-01-01T00:00"); /* func_datetime.conf */
    EQ("DATE_TRUNC(" C3 ", 'MONTH')", "2021-04-01T00:00");
    EQ("DATE_TRUNC(" C3 ", 'DAY')", "2021-04-15T00:00");
    EQ("DATE_TRUNC(" C3 ", 'HOUR')", "2021-04-15T13:00");
    EQ("DATE_TRUNC(" C3 ", 'MINUTE')", "2021-04-15T13:34");
    EQ("DATE_TRUNC(" C3 ", 'SECOND')", "2021-04-15T13:34:45");
    EQ("DATE_TRUNC(ts, 'MONTH')", "2024-02-01T00:00");
    EQ_AT("DATE_TRUNC(ts, 'HOUR')", 1, "1969-12-31T23:00");
    EQ_AT("DATE_TRUNC(ts, 'YEAR')", 1, "1969-01-01T00:00");
    EQ("DATE_TRUNC(dt, 'MONTH')", "2024-02-01T00:00");
    EQ("DATE_TRUNC(dt, 'day')", "2024-02-29T00:00");
    EQ_AT("DATE_TRUNC(ts, 'DAY')", 2, "NULL");
    TYPE("DATE_TRUNC(dt, 'YEAR')", "timestamp");
    FAILS("DATE_TRUNC(tm, 'HOUR')", "needs a date or timestamp");
    FAILS("DATE_TRUNC(ts, 'WEEK')", "valid: YEAR, MONTH, DAY, HOUR, MINUTE, SECOND");
}

TEST(fn_day_functions)
{
    EQ("DAYNAME(" C3 ")", "Thursday"); /* func_datetime.conf */
    EQ("DAY_OF_WEEK(" C3 ")", "4");
    EQ("DAY_OF_YEAR(" C3 ")", "105");
    EQ("DAYNAME(dt)", "Thursday");
    EQ_AT("DAYNAME(ts)", 1, "Wednesday");
    EQ("DAYNAME(" DATE("2024-03-03") ")", "Sunday");
    EQ("DAY_OF_WEEK(" DATE("2024-03-03") ")", "7");
    EQ("DAY_OF_WEEK(" DATE("2024-03-04") ")", "1");
    EQ_AT("DAY_OF_WEEK(ts)", 1, "3");
    EQ("DAY_OF_MONTH(dt)", "29");
    EQ_AT("DAY_OF_MONTH(ts)", 1, "31");
    EQ("DAY_OF_YEAR(dt)", "60");
    EQ("DAY_OF_YEAR(" DATE("2024-12-31") ")", "366");
    EQ("DAY_OF_YEAR(" DATE("2023-12-31") ")", "365");
    EQ_AT("DAYNAME(dt)", 2, "NULL");
    EQ_AT("DAY_OF_MONTH(dt)", 2, "NULL");
    EQ_AT("DAY_OF_WEEK(dt)", 2, "NULL");
    EQ_AT("DAY_OF_YEAR(dt)", 2, "NULL");
    TYPE("DAYNAME(dt)", "string");
    TYPE("DAY_OF_WEEK(ts)", "int");
    FAILS("DAYNAME(tm)", "needs a date or timestamp, got time");
    FAILS("DAY_OF_YEAR(tm)", "needs a date or timestamp");
}

TEST(fn_time_fields)
{
    EQ("HOUR(" C4 ")", "13"); /* func_datetime.conf */
    EQ("MINUTE(" C4 ")", "34");
    EQ("SECOND(" C4 ")", "45");
    EQ("HOUR(tm)", "13");
    EQ("MINUTE(tm)", "45");
    EQ("SECOND(tm)", "30");
    EQ_AT("HOUR(ts)", 1, "23");
    EQ_AT("MINUTE(ts)", 1, "59");
    EQ_AT("SECOND(ts)", 1, "59");
    EQ_AT("HOUR(tm)", 1, "0");
    EQ_AT("HOUR(tm)", 2, "NULL");
    EQ_AT("MINUTE(ts)", 2, "NULL");
    EQ_AT("SECOND(tm)", 2, "NULL");
    TYPE("HOUR(ts)", "int");
    /* SeaTunnel throws a NullPointerException for these; we refuse at plan time */
    FAILS("HOUR(dt)", "HOUR needs a time or timestamp, got date");
    FAILS("MINUTE(dt)", "needs a time or timestamp");
    FAILS("SECOND(dt)", "needs a time or timestamp");
}

TEST(fn_date_fields)
{
    EQ("MONTH(" C4 ")", "4"); /* func_datetime.conf */
    EQ("MONTHNAME(" C4 ")", "April");
    EQ("QUARTER(" C4 ")", "2");
    EQ("WEEK(" C4 ")", "15");
    EQ("YEAR(" C4 ")", "2021");
    EQ("MONTH(dt)", "2");
    EQ("MONTHNAME(dt)", "February");
    EQ_AT("MONTHNAME(ts)", 1, "December");
    EQ("QUARTER(dt)", "1");
    EQ_AT("QUARTER(ts)", 1, "4");
    EQ("YEAR(dt)", "2024");
    EQ_AT("YEAR(ts)", 1, "1969");
    EQ_AT("YEAR(dt)", 1, "1970");
    EQ("YEAR(" DATE("0001-01-01") ")", "1");
    /* WeekFields.ISO.weekOfYear() + 1, as SeaTunnel: a year that starts on
     * Monday to Thursday has its first days in week 2 */
    EQ("WEEK(" DATE("2024-01-01") ")", "2");
    EQ("WEEK(" DATE("2021-01-01") ")", "1");
    EQ("WEEK(" DATE("2021-01-04") ")", "2");
    EQ("WEEK(dt)", "10");
    EQ_AT("WEEK(dt)", 1, "2"); /* 1970-01-01, a Thursday: ISO week 1, plus 1 */
    EQ_AT("MONTH(dt)", 2, "NULL");
    EQ_AT("MONTHNAME(dt)", 2, "NULL");
    EQ_AT("QUARTER(dt)", 2, "NULL");
    EQ_AT("WEEK(dt)", 2, "NULL");
    EQ_AT("YEAR(dt)", 2, "NULL");
    TYPE("MONTHNAME(dt)", "string");
    TYPE("YEAR(dt)", "int");
    FAILS("YEAR(tm)", "needs a date or timestamp");
    FAILS("MONTH(tm)", "needs a date or timestamp");
    FAILS("WEEK(tm)", "needs a date or timestamp");
}

TEST(fn_extract)
{
    EQ("EXTRACT(YEAR FROM " C3 ")", "2021"); /* func_datetime.conf */
    EQ("EXTRACT(MONTH FROM " C3 ")", "4");
    EQ("EXTRACT(DAY FROM " C3 ")", "15");
    EQ("EXTRACT(HOUR FROM " C3 ")", "13");
    EQ("EXTRACT(MINUTE FROM " C3 ")", "34");
    EQ("EXTRACT(SECOND FROM " C3 ")", "45");
    EQ("EXTRACT(MILLISECOND FROM " C3 ")", "235");
    EQ("EXTRACT(DAYOFWEEK FROM " C3 ")", "4");
    EQ("EXTRACT(DAYOFYEAR FROM " C3 ")", "105");
    /* PostgreSQL's fields */
    EQ("EXTRACT(CENTURY FROM ts)", "21");
    EQ("EXTRACT(CENTURY FROM " DATE("2000-12-31") ")", "20");
    EQ("EXTRACT(CENTURY FROM " DATE("2001-01-01") ")", "21");
    EQ("EXTRACT(MILLENNIUM FROM ts)", "3");
    EQ("EXTRACT(MILLENNIUM FROM " DATE("2000-12-31") ")", "2");
    EQ("EXTRACT(DECADE FROM ts)", "202");
    EQ("EXTRACT(DOW FROM ts)", "4");
    EQ("EXTRACT(DOW FROM " DATE("2024-03-03") ")", "0");
    EQ("EXTRACT(ISODOW FROM " DATE("2024-03-03") ")", "7");
    EQ("EXTRACT(DOY FROM ts)", "60");
    EQ("EXTRACT(QUARTER FROM ts)", "1");
    EQ("EXTRACT(WEEK FROM ts)", "9"); /* the ISO week */
    EQ("EXTRACT(WEEK FROM " DATE("2021-01-01") ")", "53");
    EQ("EXTRACT(ISOYEAR FROM " DATE("2021-01-01") ")", "2020");
    EQ("EXTRACT(ISOYEAR FROM " DATE("2024-12-30") ")", "2025");
    EQ("EXTRACT(WEEK FROM " DATE("2024-12-30") ")", "1");
    EQ("EXTRACT(MICROSECONDS FROM ts)", "30123456");
    EQ("EXTRACT(MILLISECONDS FROM ts)", "30123");
    EQ("EXTRACT(MILLISECOND FROM ts)", "123");
    EQ("EXTRACT(EPOCH FROM ts)", "1709214330");
    EQ_AT("EXTRACT(EPOCH FROM ts)", 1, "-1");
    EQ_AT("EXTRACT(EPOCH FROM dt)", 1, "0");
    EQ("EXTRACT(EPOCH FROM dt)", "1709164800");
    EQ("EXTRACT(EPOCH FROM tm)", "49530");
    EQ("EXTRACT(HOUR FROM tm)", "13");
    EQ_AT("EXTRACT(YEAR FROM ts)", 1, "1969");
    EQ_AT("EXTRACT(YEAR FROM ts)", 2, "NULL");
    TYPE("EXTRACT(YEAR FROM ts)", "int");
    TYPE("EXTRACT(EPOCH FROM ts)", "bigint");
}

TEST(fn_extract_refuses)
{
    FAILS("EXTRACT(HOUR FROM dt)", "EXTRACT(HOUR) needs a time or timestamp, got date");
    FAILS("EXTRACT(YEAR FROM tm)", "EXTRACT(YEAR) needs a date or timestamp, got time");
    FAILS("EXTRACT(FORTNIGHT FROM ts)", "unknown unit 'FORTNIGHT'");
}

TEST(fn_formatdatetime)
{
    EQ("FORMATDATETIME(" C4 ", 'yyyy-MM-dd HH:mm:ss.S')", "2021-04-08 13:34:45.2"); /* func_datetime.conf */
    EQ("FORMATDATETIME(" C4 ", 'yyyy-MM-dd')", "2021-04-08");
    EQ("FORMATDATETIME(" C4 ", 'HH:mm:ss.SSS')", "13:34:45.235");
    EQ("FORMATDATETIME(dt, 'dd/MM/yyyy')", "29/02/2024");
    EQ("FORMATDATETIME(tm, 'HH:mm')", "13:45");
    EQ("FORMATDATETIME(tm, 'hh:mm a')", "01:45 PM");
    EQ("FORMATDATETIME(ts, 'yyyyMMdd''T''HHmmss.SSSSSS')", "20240229T134530.123456");
    EQ_AT("FORMATDATETIME(ts, 'yyyy-MM-dd HH:mm:ss')", 1, "1969-12-31 23:59:59");
    EQ_AT("FORMATDATETIME(ts, 'yyyy')", 2, "NULL");
    EQ_AT("FORMATDATETIME(dt, s)", 2, "NULL");
    TYPE("FORMATDATETIME(ts, 'yyyy')", "string");
    FAILS("FORMATDATETIME(dt, 'yyyy HH')", "the value is a date");
    FAILS("FORMATDATETIME(tm, 'yyyy')", "the value is a time");
    FAILS("FORMATDATETIME(ts, 'EEE')", "unsupported pattern letter");
}

TEST(fn_parsedatetime)
{
    EQ("PARSEDATETIME('2021-04-08 13:34:45.235', 'yyyy-MM-dd HH:mm:ss.SSS')", "2021-04-08T13:34:45.235");
    EQ("TO_DATE('2021-04-08', 'yyyy-MM-dd')", "2021-04-08"); /* func_datetime.conf */
    EQ("TO_DATE('29/02/2024', 'dd/MM/yyyy')", "2024-02-29");
    EQ("TO_DATE('13:45', 'HH:mm')", "13:45");
    EQ("PARSEDATETIME('1969-12-31 23:59:59', 'yyyy-MM-dd HH:mm:ss')", "1969-12-31T23:59:59");
    EQ("TO_DATE('1969-12-31', 'yyyy-MM-dd')", "1969-12-31");
    EQ_AT("TO_DATE(n, 'yyyy-MM-dd')", 0, "NULL");
    TYPE("TO_DATE(s, 'yyyy-MM-dd HH:mm:ss')", "timestamp");
    TYPE("TO_DATE(s, 'yyyy-MM-dd')", "date");
    TYPE("PARSEDATETIME(s, 'HH:mm')", "time");
}

TEST(fn_parsedatetime_refuses)
{
    FAILS("TO_DATE('2023-02-29', 'yyyy-MM-dd')", "does not match the pattern 'yyyy-MM-dd'");
    FAILS("TO_DATE(s, 'yyyy-MM-dd')", "'hello' does not match");
    FAILS("TO_DATE('01', 'dd')", "neither \"yy\" nor \"mm\"");
    FAILS("TO_DATE('2024', s)", "must be a constant");
    FAILS("TO_DATE('2024', 'yyyy EEE')", "unsupported pattern letter");
}

TEST(fn_is_date)
{
    EQ("IS_DATE('2021-04-08 13:34:45.235', 'yyyy-MM-dd HH:mm:ss.SSS')", "true");
    EQ("IS_DATE('2024-02-29', 'yyyy-MM-dd')", "true");
    EQ("IS_DATE('2023-02-29', 'yyyy-MM-dd')", "false");
    EQ("IS_DATE(s, 'yyyy-MM-dd')", "false");
    EQ("IS_DATE('01', 'dd')", "false"); /* a pattern SeaTunnel cannot use */
    EQ("IS_DATE('x', 'EEE')", "false"); /* or that does not compile */
    EQ("IS_DATE('2024', s)", "false");  /* a pattern per row */
    EQ_AT("IS_DATE(n, 'yyyy')", 0, "NULL");
    TYPE("IS_DATE(s, 'yyyy')", "boolean");
}

TEST(fn_from_unixtime)
{
    /* SeaTunnel's DateTimeFunctionTest and func_from_unixtime.conf */
    EQ("FROM_UNIXTIME(1672545600, 'yyyy-MM-dd HH:mm:ss', 'UTC+6')", "2023-01-01 10:00:00");
    EQ("FROM_UNIXTIME(1672502400, 'yyyy-MM-dd HH:mm:ss', 'UTC+8')", "2023-01-01 00:00:00");
    EQ("FROM_UNIXTIME(0, 'yyyy-MM-dd HH:mm:ss', 'UTC')", "1970-01-01 00:00:00");
    EQ("FROM_UNIXTIME(-1, 'yyyy-MM-dd HH:mm:ss', 'Z')", "1969-12-31 23:59:59");
    EQ("FROM_UNIXTIME(0, 'yyyy-MM-dd HH:mm', 'GMT-05:30')", "1969-12-31 18:30");
    EQ("FROM_UNIXTIME(0, 'HH:mm', '+0845')", "08:45");
    EQ("FROM_UNIXTIME(l, 'yyyy-MM-dd', 'UTC')", "2286-11-20");
    EQ("FROM_UNIXTIME(i, 'ss', 'UTC')", "07");
    EQ_AT("FROM_UNIXTIME(l, 'yyyy', 'UTC')", 2, "NULL");
    TYPE("FROM_UNIXTIME(l, 'yyyy')", "string");
    FAILS("FROM_UNIXTIME(0, 'yyyy', 'Asia/Shanghai')", "unsupported time zone");
    FAILS("FROM_UNIXTIME(0, 'yyyy', 'UTC+19')", "unsupported time zone");
    FAILS("FROM_UNIXTIME(0, 'yyyy', s)", "unsupported time zone 'hello'");
}

TEST(fn_from_unixtime_system_zone)
{
    /* without a zone: the system's, as ZoneId.systemDefault() */
    setenv("TZ", "<+03>-3", 1);
    tzset();
    EQ("FROM_UNIXTIME(0, 'yyyy-MM-dd HH:mm')", "1970-01-01 03:00");
    setenv("TZ", "UTC", 1);
    tzset();
    EQ("FROM_UNIXTIME(0, 'yyyy-MM-dd HH:mm')", "1970-01-01 00:00");
}

TEST(fn_datetime_timestamp_tz_refused)
{
    CHECK_CONTAINS(sqlt_type("YEAR(CAST(ts AS TIMESTAMP_TZ))"), "timestamp_tz");
    CHECK_CONTAINS(sqlt_type("DATEADD(CAST(ts AS TIMESTAMP_TZ), 1, 'DAY')"), "timestamp_tz");
}
