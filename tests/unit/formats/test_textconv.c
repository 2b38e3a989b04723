/* test_textconv.c — text to values and back (textconv.c): every type with
 * its limits and the exact reason for each refusal, null markers, custom
 * date patterns with ISO fallbacks, SeaTunnel's nested separators (\002,
 * \003 … one more per level) for arrays, maps and rows nested in each
 * other, and a value → text → value round trip of every type. */
#include "helpers.h"

/* Parse text into a fresh column of type `type`; returns the JSON of the
 * value, or "ERR <why>". */
static const char *conv(const cv_textfmt *f, const char *type, const char *s, size_t n)
{
    static char out[4096];
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, ty(&a, type)), 0);
    const char *why = NULL;
    int rc = cv_text_to_col(f, &c, s, n, 1, &why);
    if (rc < 0) {
        snprintf(out, sizeof out, "ERR %s", why ? why : "(no reason)");
        CHECK_INT(rc, CV_EDATA);
    } else {
        CHECK_UINT(c.len, 1);
        snprintf(out, sizeof out, "%s", jsonv(&c, 0));
    }
    cv_col_destroy(&c);
    cv_arena_free(&a);
    return out;
}

static cv_textfmt plain(void)
{
    cv_textfmt f;
    cv_textfmt_init(&f);
    return f;
}

#define CONV(type, text, expected)                                           \
    do {                                                                     \
        cv_textfmt f__ = plain();                                            \
        CHECK_STR(conv(&f__, (type), (text), sizeof(text) - 1), (expected)); \
    } while (0)

TEST(textconv_booleans_and_integers)
{
    CONV("boolean", "true", "true");
    CONV("boolean", "FALSE", "false");
    CONV("boolean", "True", "true");
    CONV("boolean", "yes", "ERR not a boolean (true or false)");
    CONV("boolean", "", "null");
    CONV("tinyint", "127", "127");
    CONV("tinyint", "-128", "-128");
    CONV("tinyint", "+7", "7");
    CONV("tinyint", "300", "ERR out of range for the column type");
    CONV("tinyint", "-129", "ERR out of range for the column type");
    CONV("tinyint", "1.5", "ERR not an integer");
    CONV("tinyint", " 1", "ERR not an integer");
    CONV("tinyint", "-", "ERR not an integer");
    CONV("tinyint", "+", "ERR not an integer");
    CONV("smallint", "32767", "32767");
    CONV("smallint", "32768", "ERR out of range for the column type");
    CONV("int", "-2147483648", "-2147483648");
    CONV("int", "2147483648", "ERR out of range for the column type");
    CONV("bigint", "9223372036854775807", "9223372036854775807");
    CONV("bigint", "-9223372036854775808", "-9223372036854775808");
    CONV("bigint", "9223372036854775808", "ERR out of range for the column type");
    CONV("bigint", "99999999999999999999999", "ERR out of range for the column type");
    /* leading zeros do not make a value longer than it is */
    CONV("bigint", "000000000000000000000000042", "42");
    CONV("int", "0x10", "ERR not an integer");
    CONV("int", "", "null");
}

TEST(textconv_floats_decimals_strings_bytes)
{
    CONV("double", "1.5", "1.5");
    CONV("double", "-1e10", "-1.0E10");
    CONV("double", "abc", "ERR not a number");
    CONV("float", "3.25", "3.25");
    CONV("float", "1e40", "ERR not a number");
    CONV("decimal(5, 2)", "123.45", "123.45");
    CONV("decimal(5, 2)", "-0.5", "-0.50");
    CONV("decimal(5, 2)", "1234.5", "ERR not a decimal that fits the column's precision and scale");
    CONV("decimal(5, 2)", "x", "ERR not a decimal that fits the column's precision and scale");
    CONV("string", "héllo", "\"héllo\"");
    CONV("string", "", "\"\""); /* an empty string, not NULL */
    CONV("string", "a\xff", "ERR invalid UTF-8");
    CONV("string", "\xe4\xb8", "ERR invalid UTF-8");
    CONV("bytes", "\xff\x00", "\"/wA=\"");
    CONV("null", "", "null");
    CONV("null", "x", "ERR a null column holds only empty fields");
}

TEST(textconv_dates_and_times)
{
    CONV("date", "2024-02-29", "\"2024-02-29\"");
    CONV("date", "2023-02-29", "ERR not a date (yyyy-MM-dd)");
    CONV("date", "2024/02/29", "ERR not a date (yyyy-MM-dd)");
    CONV("time", "12:34:56", "\"12:34:56\"");
    CONV("time", "12:34:56.789", "\"12:34:56.789\"");
    CONV("time", "25:00:00", "ERR not a time (HH:mm:ss)");
    CONV("timestamp", "2024-01-02 03:04:05", "\"2024-01-02T03:04:05\"");
    CONV("timestamp", "2024-01-02T03:04:05.123456", "\"2024-01-02T03:04:05.123456\"");
    CONV("timestamp", "2024-01-02 03:04:61", "ERR not a timestamp (yyyy-MM-dd HH:mm:ss)");
    CONV("timestamp_tz", "2024-01-02T03:04:05+02:00", "\"2024-01-02T01:04:05Z\"");
}

static cv_textfmt custom(const char *date, const char *datetime, const char *time)
{
    cv_textfmt f = plain();
    const char *why;
    if (date) {
        REQUIRE_INT(cv_datefmt_compile(date, &f.date, &why), 0);
        f.custom_date = true;
    }
    if (datetime) {
        REQUIRE_INT(cv_datefmt_compile(datetime, &f.datetime, &why), 0);
        f.custom_datetime = true;
    }
    if (time) {
        REQUIRE_INT(cv_datefmt_compile(time, &f.time, &why), 0);
        f.custom_time = true;
    }
    return f;
}

#define CONVF(f, type, text, expected) CHECK_STR(conv(&(f), (type), (text), sizeof(text) - 1), (expected))

TEST(textconv_custom_date_patterns)
{
    cv_textfmt f = custom("dd/MM/yyyy", "yyyy.MM.dd HH:mm:ss", "HH.mm.ss");
    CONVF(f, "date", "29/02/2024", "\"2024-02-29\"");
    CONVF(f, "date", "2024-02-29", "\"2024-02-29\""); /* ISO still works */
    CONVF(f, "date", "31/04/2024", "ERR not a date in the date_format");
    CONVF(f, "timestamp", "2024.01.02 03:04:05", "\"2024-01-02T03:04:05\"");
    CONVF(f, "timestamp", "2024-01-02 03:04:05", "\"2024-01-02T03:04:05\"");
    CONVF(f, "timestamp", "2024.01.02", "ERR not a timestamp in the datetime_format");
    CONVF(f, "time", "03.04.05", "\"03:04:05\"");
    CONVF(f, "time", "03:04:05", "\"03:04:05\"");
    CONVF(f, "time", "3h", "ERR not a time in the time_format");
    /* a date pattern with a time part: before 1970 the day is still the
     * calendar day (floored, not truncated toward 1970) */
    cv_textfmt g = custom("yyyy-MM-dd HH", NULL, NULL);
    CONVF(g, "date", "1969-12-31 05", "\"1969-12-31\"");
    CONVF(g, "date", "1970-01-01 05", "\"1970-01-01\"");
    /* a time pattern with a date part is not a time of day */
    cv_textfmt h = custom(NULL, NULL, "yyyy-MM-dd HH:mm");
    CONVF(h, "time", "1970-01-01 10:30", "\"10:30:00\"");
    CONVF(h, "time", "292277-01-01 10:30", "ERR not a time in the time_format");
    CONVF(h, "time", "2024-01-01 10:30", "ERR not a time in the time_format");
}

TEST(textconv_null_format)
{
    cv_textfmt f = plain();
    f.null_format = "\\N";
    f.null_len = 2;
    CONVF(f, "string", "\\N", "null");
    CONVF(f, "int", "\\N", "null");
    CONVF(f, "array<int>", "\\N", "null");
    CONVF(f, "string", "\\NN", "\"\\\\NN\"");
    CONVF(f, "string", "", "\"\"");
    /* inside nested values too */
    CONVF(f, "array<string>", "a\002\\N\002", "[\"a\",null,\"\"]");
    CONVF(f, "map<string, int>", "k\003\\N", "{\"k\":null}");
}

TEST(textconv_nested_levels)
{
    CONV("array<int>", "1\0022\0023", "[1,2,3]");
    CONV("array<int>", "7", "[7]");
    CONV("array<int>", "1\002x", "ERR not an integer");
    CONV("array<string>", "a\002\002b", "[\"a\",\"\",\"b\"]");
    CONV("array<int>", "", "null");
    CONV("map<string, int>", "a\0031\002b\0032", "{\"a\":1,\"b\":2}");
    CONV("map<string, int>", "a1", "ERR a map entry has no key/value separator");
    CONV("map<string, int>", "a\003x", "ERR not an integer");
    CONV("row<a int, b string>", "1\002x", "{\"a\":1,\"b\":\"x\"}");
    CONV("row<a int, b string>", "1", "{\"a\":1,\"b\":null}"); /* missing fields are NULL */
    CONV("row<a int, b string>", "1\002x\002y", "ERR a nested row has more fields than its type");
    /* one more separator level per nesting */
    CONV("array<array<int>>", "1\0032\0023\0034", "[[1,2],[3,4]]");
    CONV("map<string, array<int>>", "k\0031\0042\002j\0033", "{\"k\":[1,2],\"j\":[3]}");
    CONV("row<m map<string, int>, a array<string>>", "x\0041\003y\0042\002p\003q",
         "{\"m\":{\"x\":1,\"y\":2},\"a\":[\"p\",\"q\"]}");
    CONV("array<row<a int, b array<int>>>", "1\0035\0046\0022\0037", "[{\"a\":1,\"b\":[5,6]},{\"a\":2,\"b\":[7]}]");
    CONV("map<int, row<s string>>", "1\003one\0022\003two", "{\"1\":{\"s\":\"one\"},\"2\":{\"s\":\"two\"}}");
}

TEST(textconv_failed_nested_value_is_cut_off_with_the_row)
{
    /* a value that fails half way has appended to the child columns; the
     * reader cuts the row off the batch, which must leave it consistent */
    cv_arena a;
    cv_arena_init(&a, 0);
    const char *names[] = {"a", "m"};
    const char *types[] = {"array<int>", "map<string, array<int>>"};
    cv_table *t = table_of(&a, names, types, 2);
    cv_batch *b = cv_batch_new(t, 0);
    REQUIRE(b != NULL);
    cv_textfmt f = plain();
    const char *why;
    REQUIRE_INT(cv_text_to_col(&f, &b->cols[0], "1\0022", 3, 1, &why), 0);
    REQUIRE_INT(cv_text_to_col(&f, &b->cols[1], "k\0031", 3, 1, &why), 0);
    cv_batch_end_row(b, CV_ROW_INSERT);
    /* second row: column a parses, m fails inside its second entry */
    REQUIRE_INT(cv_text_to_col(&f, &b->cols[0], "3\0024\0025", 5, 1, &why), 0);
    CHECK_INT(cv_text_to_col(&f, &b->cols[1], "k\0037\002j\003x", 7, 1, &why), CV_EDATA);
    cv_batch_truncate(b, 1);
    cv_err e;
    cv_err_clear(&e);
    CHECK_INT(cv_batch_check(b, &e), 0);
    CHECK_UINT(b->nrows, 1);
    CHECK_UINT(b->cols[0].child[0].len, 2);
    CHECK_UINT(b->cols[1].child[0].len, 1);
    CHECK_UINT(b->cols[1].child[1].len, 1);
    CHECK_UINT(b->cols[1].child[1].child[0].len, 1);
    /* and the next row lands where it should */
    REQUIRE_INT(cv_text_to_col(&f, &b->cols[0], "9", 1, 1, &why), 0);
    REQUIRE_INT(cv_text_to_col(&f, &b->cols[1], "z\0038", 3, 1, &why), 0);
    cv_batch_end_row(b, CV_ROW_INSERT);
    CHECK_STR(jsonv(&b->cols[0], 1), "[9]");
    CHECK_STR(jsonv(&b->cols[1], 1), "{\"z\":[8]}");
    CHECK_STR(jsonv(&b->cols[1], 0), "{\"k\":[1]}");
    cv_batch_free(b);
    cv_arena_free(&a);
}

/* ---- values to text ------------------------------------------------------------ */

static const char *const rt_names[] = {"b",  "i8", "i16", "i32", "i64", "f",   "d",   "dec", "s",
                                       "by", "dt", "tm",  "ts",  "tz",  "arr", "map", "row"};
static const char *const rt_types[] = {
    "boolean",
    "tinyint",
    "smallint",
    "int",
    "bigint",
    "float",
    "double",
    "decimal(20, 4)",
    "string",
    "bytes",
    "date",
    "time",
    "timestamp",
    "timestamp_tz",
    "array<array<int>>",
    "map<string, row<x int, y array<string>>>",
    "row<p date, q map<int, string>, r timestamp>",
};

/* Rows of text, one field per column; \\N marks NULL. */
static const char *const rt_rows[][17] = {
    {"true", "-128", "32767", "-2147483648", "9223372036854775807", "3.25", "-1.0E-5", "12345678.9012", "a,\"b\"", "x",
     "2024-02-29", "23:59:59.999999", "2024-01-02 03:04:05.5", "2024-01-02 03:04:05", "1\0032\002\0023",
     "k\0031\004a\005b\002m\0032\004c", "1999-12-31\0021\004one\0032\004two\0021970-01-01 00:00:00"},
    {"false", "0", "0", "0", "0", "0.0", "1.0E300", "-0.0001", "", "", "1900-01-01", "00:00:00",
     "1969-12-31 23:59:59.999999", "1970-01-01 00:00:00", "", "", "\\N"},
    {"\\N", "\\N", "\\N", "\\N", "\\N", "\\N", "\\N", "\\N", "\\N", "\\N", "\\N", "\\N", "\\N", "\\N", "\\N", "\\N",
     "\\N"},
};

static void round_trip(const cv_textfmt *f)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_table *t = table_of(&a, rt_names, rt_types, 17);
    cv_batch *b = cv_batch_new(t, 0);
    cv_batch *back = cv_batch_new(t, 0);
    REQUIRE(b && back);
    for (size_t r = 0; r < CV_ARRAY_LEN(rt_rows); r++) {
        for (uint32_t c = 0; c < 17; c++) {
            const char *s = rt_rows[r][c];
            const char *why = NULL;
            /* "1999-12-31" etc. are ISO: the fallback reads them whatever the pattern */
            unit_context("row %zu column %s: \"%s\"", r, rt_names[c], s);
            int rc = cv_text_to_col(f, &b->cols[c], s, strlen(s), 1, &why);
            REQUIRE_INT(rc, 0);
        }
        cv_batch_end_row(b, CV_ROW_INSERT);
    }
    for (uint32_t r = 0; r < b->nrows; r++) {
        for (uint32_t c = 0; c < 17; c++) {
            cv_buf text;
            cv_buf_init(&text);
            cv_col_to_text(f, &b->cols[c], r, 1, &text);
            const char *why = NULL;
            unit_context("row %u column %s printed as \"%s\"", r, rt_names[c], text.data ? text.data : "");
            int rc = cv_text_to_col(f, &back->cols[c], text.data ? text.data : "", text.len, 1, &why);
            if (CHECK_INT(rc, 0))
                CHECK(cv_value_compare(&b->cols[c], r, &back->cols[c], r) == 0);
            else
                unit__fail(__FILE__, __LINE__, "why: %s", why);
            cv_buf_free(&text);
        }
        cv_batch_end_row(back, CV_ROW_INSERT);
    }
    unit_context_clear();
    cv_batch_free(b);
    cv_batch_free(back);
    cv_arena_free(&a);
}

TEST(textconv_round_trip_every_type)
{
    cv_textfmt f = plain();
    f.null_format = "\\N";
    f.null_len = 2;
    round_trip(&f);
    cv_textfmt g = custom("dd.MM.yyyy", "yyyyMMddHHmmss.SSSSSS", "hh:mm:ss.SSSSSS a");
    g.null_format = "\\N";
    g.null_len = 2;
    round_trip(&g);
}

TEST(textconv_prints)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_textfmt f = custom("yyyy/MM/dd", "yyyy/MM/dd HH:mm", "HH-mm");
    const struct {
        const char *type, *in, *out;
    } cases[] = {
        {"date", "2024-05-06", "2024/05/06"},
        {"timestamp", "2024-05-06 07:08:09", "2024/05/06 07:08"},
        {"time", "07:08:09", "07-08"},
        {"double", "1e21", "1.0E21"},
        {"decimal(10, 3)", "1.5", "1.500"},
        {"boolean", "TRUE", "true"},
        {"array<int>", "1\0022", "1\0022"},
        {"map<string, int>", "a\0031", "a\0031"},
        {"row<a int, b array<int>>", "1\0022\0033", "1\0022\0033"},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        cv_col c;
        REQUIRE_INT(cv_col_init(&c, ty(&a, cases[i].type)), 0);
        const char *why;
        unit_context("%s %s", cases[i].type, cases[i].in);
        REQUIRE_INT(cv_text_to_col(&f, &c, cases[i].in, strlen(cases[i].in), 1, &why), 0);
        cv_col_append_null(&c);
        cv_buf out;
        cv_buf_init(&out);
        cv_col_to_text(&f, &c, 0, 1, &out);
        CHECK_STR(out.data, cases[i].out);
        /* NULL prints as nothing without a null_format */
        cv_buf_reset(&out);
        cv_col_to_text(&f, &c, 1, 1, &out);
        CHECK_UINT(out.len, 0);
        cv_buf_free(&out);
        cv_col_destroy(&c);
    }
    unit_context_clear();
    cv_arena_free(&a);
}

TEST(textconv_prints_far_dates)
{
    /* ISO dates may have six-digit years: far beyond what a custom
     * pattern's microseconds reach; they print without overflowing */
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_textfmt f = custom("yyyy-MM-dd", NULL, NULL);
    f.custom_date = true;
    cv_col c;
    REQUIRE_INT(cv_col_init(&c, ty(&a, "date")), 0);
    const char *why;
    REQUIRE_INT(cv_text_to_col(&f, &c, "999999-12-31", 12, 1, &why), 0);
    REQUIRE_INT(cv_text_to_col(&f, &c, "-99999-01-01", 12, 1, &why), 0);
    cv_buf out;
    cv_buf_init(&out);
    cv_col_to_text(&f, &c, 0, 1, &out);
    CHECK_STR(out.data, "+999999-12-31"); /* Java: a sign beyond four digits */
    cv_buf_reset(&out);
    cv_col_to_text(&f, &c, 1, 1, &out);
    CHECK_CONTAINS(out.data, "99999-01-01");
    cv_buf_free(&out);
    cv_col_destroy(&c);
    cv_arena_free(&a);
}
