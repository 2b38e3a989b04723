/* test_json.c — JSON lines (json.c): objects into rows by key, every
 * value type, string escapes and surrogate pairs, nested arrays, maps and
 * rows (by name or by position), missing, unknown and duplicate keys, and
 * every error: with its reason and column, and with the batch exactly as
 * it was before the line. Rows written back as JSON read back equal. */
#include "helpers.h"

static const char *const names[] = {"id", "s", "f", "dec", "d", "ts", "by", "arr", "m", "r"};
static const char *const types[] = {
    "bigint",
    "string",
    "double",
    "decimal(10, 2)",
    "date",
    "timestamp",
    "bytes",
    "array<int>",
    "map<int, string>",
    "row<a int, b array<string>, c map<string, row<x boolean>>>",
};
#define NCOLS 10

typedef struct {
    cv_arena a;
    cv_table *t;
    cv_batch *b;
    cv_textfmt f;
} fixture;

static void setup(fixture *x)
{
    cv_arena_init(&x->a, 0);
    x->t = table_of(&x->a, names, types, NCOLS);
    x->b = cv_batch_new(x->t, 0);
    REQUIRE(x->b != NULL);
    cv_textfmt_init(&x->f);
}

static void teardown(fixture *x)
{
    cv_batch_free(x->b);
    cv_arena_free(&x->a);
}

/* The whole batch as JSON lines (static buffer). */
static const char *dump(const cv_batch *b)
{
    static char out[16384];
    cv_buf o;
    cv_buf_init(&o);
    for (uint32_t r = 0; r < b->nrows; r++) {
        cv_json_write_row(b, r, NULL, 0, &o);
        cv_buf_putc(&o, '\n');
    }
    snprintf(out, sizeof out, "%s", o.data ? o.data : "");
    cv_buf_free(&o);
    return out;
}

/* Parse one line; returns "" on success or "<column>: <why>". */
static const char *row(fixture *x, const char *line)
{
    static char out[256];
    const char *why = NULL;
    int col = -7;
    int rc = cv_json_row(x->b, line, strlen(line), &x->f, &why, &col);
    if (rc == 0) {
        CHECK_INT(col, -1);
        return "";
    }
    CHECK_INT(rc, CV_EDATA);
    snprintf(out, sizeof out, "%s: %s", col >= 0 ? names[col] : "-", why ? why : "(no reason)");
    return out;
}

TEST(json_every_type)
{
    fixture x;
    setup(&x);
    CHECK_STR(row(&x, "{\"id\": 1, \"s\": \"a\", \"f\": 1.5e3, \"dec\": \"12.3\", \"d\": \"2024-02-29\","
                      " \"ts\": \"2024-01-02 03:04:05.25\", \"by\": \"AP8=\", \"arr\": [1, null, 3],"
                      " \"m\": {\"1\": \"one\", \"2\": null},"
                      " \"r\": {\"a\": 5, \"b\": [\"p\"], \"c\": {\"k\": {\"x\": true}}}}"),
              "");
    CHECK_STR(row(&x, "{}"), "");
    CHECK_STR(row(&x, " { \"dec\" : 7 , \"id\" : -9223372036854775808 } "), "");
    CHECK_STR(dump(x.b), "{\"id\":1,\"s\":\"a\",\"f\":1500.0,\"dec\":12.30,\"d\":\"2024-02-29\","
                         "\"ts\":\"2024-01-02T03:04:05.250\",\"by\":\"AP8=\",\"arr\":[1,null,3],"
                         "\"m\":{\"1\":\"one\",\"2\":null},\"r\":{\"a\":5,\"b\":[\"p\"],\"c\":{\"k\":{\"x\":true}}}}\n"
                         "{\"id\":null,\"s\":null,\"f\":null,\"dec\":null,\"d\":null,\"ts\":null,\"by\":null,"
                         "\"arr\":null,\"m\":null,\"r\":null}\n"
                         "{\"id\":-9223372036854775808,\"s\":null,\"f\":null,\"dec\":7.00,\"d\":null,\"ts\":null,"
                         "\"by\":null,\"arr\":null,\"m\":null,\"r\":null}\n");
    teardown(&x);
}

TEST(json_strings_and_escapes)
{
    fixture x;
    setup(&x);
    CHECK_STR(row(&x, "{\"s\": \"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t\"}"), "");
    CHECK_STR(row(&x, "{\"s\": \"\\u00e9\\u4e2d\\ud83d\\ude00\"}"), "");
    CHECK_STR(row(&x, "{\"s\": \"\"}"), "");
    CHECK_STR(row(&x, "{\"s\": 12.5}"), ""); /* numbers and booleans into strings keep their text */
    CHECK_STR(row(&x, "{\"s\": true}"), "");
    CHECK_STR(row(&x, "{\"s\": \"h\xc3\xa9\"}"), "");
    const cv_col *s = &x.b->cols[1];
    uint32_t n;
    const char *p = cv_col_str(s, 0, &n);
    CHECK(n == 14 && memcmp(p, "q\" b\\ s/ \b\f\n\r\t", 14) == 0);
    p = cv_col_str(s, 1, &n);
    CHECK(n == 9 && memcmp(p, "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80", 9) == 0);
    CHECK_STR(jsonv(s, 2), "\"\"");
    CHECK_STR(jsonv(s, 3), "\"12.5\"");
    CHECK_STR(jsonv(s, 4), "\"true\"");
    CHECK_STR(jsonv(s, 5), "\"h\xc3\xa9\"");
    /* key escapes are unescaped before lookup */
    CHECK_STR(row(&x, "{\"\\u0069d\": 5}"), "");
    CHECK_STR(jsonv(&x.b->cols[0], 6), "5");
    teardown(&x);
}

TEST(json_nested_values)
{
    fixture x;
    setup(&x);
    /* rows by position, with fewer values than fields */
    CHECK_STR(row(&x, "{\"r\": [1, [\"a\", \"b\"]]}"), "");
    /* rows by name in any order; missing fields are NULL */
    CHECK_STR(row(&x, "{\"r\": {\"c\": {}, \"a\": 2}}"), "");
    CHECK_STR(row(&x, "{\"r\": null, \"arr\": [], \"m\": {}}"), "");
    /* unknown keys inside a nested row are skipped, whatever they hold */
    CHECK_STR(row(&x, "{\"r\": {\"zz\": [{\"q\": [1, {\"w\": null}]}], \"a\": 3}}"), "");
    CHECK_STR(row(&x, "{\"m\": {\"-5\": \"neg\"}, \"r\": {\"c\": {\"k\": null, \"j\": {}}}}"), "");
    CHECK_STR(jsonv(&x.b->cols[9], 0), "{\"a\":1,\"b\":[\"a\",\"b\"],\"c\":null}");
    CHECK_STR(jsonv(&x.b->cols[9], 1), "{\"a\":2,\"b\":null,\"c\":{}}");
    CHECK_STR(jsonv(&x.b->cols[9], 2), "null");
    CHECK_STR(jsonv(&x.b->cols[7], 2), "[]");
    CHECK_STR(jsonv(&x.b->cols[8], 2), "{}");
    CHECK_STR(jsonv(&x.b->cols[9], 3), "{\"a\":3,\"b\":null,\"c\":null}");
    CHECK_STR(jsonv(&x.b->cols[8], 4), "{\"-5\":\"neg\"}");
    CHECK_STR(jsonv(&x.b->cols[9], 4), "{\"a\":null,\"b\":null,\"c\":{\"k\":null,\"j\":{\"x\":null}}}");
    cv_err e;
    cv_err_clear(&e);
    CHECK_INT(cv_batch_check(x.b, &e), 0);
    teardown(&x);
}

TEST(json_keys)
{
    fixture x;
    setup(&x);
    /* unknown keys are ignored, as SeaTunnel does */
    CHECK_STR(row(&x, "{\"zz\": {\"deep\": [1, 2, {\"x\": \"y\"}]}, \"id\": 4, \"yy\": \"\\\"\"}"), "");
    CHECK_STR(jsonv(&x.b->cols[0], 0), "4");
    /* a key given twice is an error: which one would be meant? */
    CHECK_STR(row(&x, "{\"id\": 1, \"id\": 2}"), "id: the key appears twice");
    CHECK_STR(row(&x, "{\"r\": {\"a\": 1, \"a\": 2}}"), "r: a key appears twice in a nested row");
    /* keys are case-sensitive */
    CHECK_STR(row(&x, "{\"ID\": 1}"), "");
    CHECK_STR(jsonv(&x.b->cols[0], 1), "null");
    CHECK_UINT(x.b->nrows, 2);
    teardown(&x);
}

TEST(json_errors_name_the_reason_and_column)
{
    static const struct {
        const char *line, *want;
    } bad[] = {
        {"", "-: a line must be a JSON object"},
        {"[1]", "-: a line must be a JSON object"},
        {"\"id\"", "-: a line must be a JSON object"},
        {"{\"id\": 1", "-: expected ',' or '}'"},
        {"{\"id\": 1,", "-: expected a key"},
        {"{\"id\" 1}", "-: expected ':' after a key"},
        {"{id: 1}", "-: expected a key"},
        {"{\"id\": 1} x", "-: text after the object"},
        {"{\"id\": 1}{}", "-: text after the object"},
        {"{\"id\": }", "id: unexpected character"},
        {"{\"id\": tru}", "id: unexpected word"},
        {"{\"id\": true}", "id: a boolean where the column needs another type"},
        {"{\"id\": \"abc\"}", "id: not an integer"},
        {"{\"id\": 1.5}", "id: not an integer"},
        {"{\"id\": 99999999999999999999}", "id: out of range for the column type"},
        {"{\"id\": [1]}", "id: unexpected array or object"},
        {"{\"d\": 20240101}", "d: a number where the column needs another type"},
        {"{\"d\": \"2024-13-01\"}", "d: not a date (yyyy-MM-dd)"},
        {"{\"ts\": \"yesterday\"}", "ts: not a timestamp (yyyy-MM-dd HH:mm:ss)"},
        {"{\"dec\": 123456789.5}", "dec: not a decimal that fits the column's precision and scale"},
        {"{\"by\": \"***\"}", "by: bytes must be base64"},
        {"{\"s\": \"abc}", "s: unterminated string"},
        {"{\"s\": \"a\\x\"}", "s: bad escape in a string"},
        {"{\"s\": \"\\u12g4\"}", "s: bad \\u escape"},
        {"{\"s\": \"\\u12\"}", "s: bad \\u escape"},
        {"{\"s\": \"\\ud83d\"}", "s: lone surrogate in \\u escape"},
        {"{\"s\": \"\\ude00\"}", "s: lone surrogate in \\u escape"},
        {"{\"s\": \"\\ud83d\\u0041\"}", "s: bad surrogate pair"},
        {"{\"s\": \"\\ud83d\\uzzzz\"}", "s: bad \\u escape"},
        {"{\"s\": \"bad \xff\"}", "s: invalid UTF-8"},
        {"{\"arr\": 5}", "arr: expected an array or object"},
        {"{\"arr\": {\"a\": 1}}", "arr: expected an array"},
        {"{\"arr\": [1, \"x\"]}", "arr: not an integer"},
        {"{\"arr\": [1 2]}", "arr: expected ',' or ']'"},
        {"{\"m\": [1]}", "m: expected an object"},
        {"{\"m\": {\"k\": \"v\"}}", "m: not an integer"},
        {"{\"m\": {\"1\": 2,}}", "m: expected a key"},
        {"{\"r\": [1, [\"a\"], {}, 4]}", "r: a nested row has more values than fields"},
        {"{\"r\": {\"a\": 1, \"c\": {\"k\": {\"x\": 3}}}}", "r: a number where the column needs another type"},
        {"{\"r\": {\"a\" 1}}", "r: expected ':' after a key"},
        {"{\"zz\": [1, 2}", "-: unbalanced brackets"},
        {"{\"zz\": {\"a\" 1}}", "-: expected ':'"},
        {"{\"zz\": \"open}", "-: unterminated string"},
    };
    fixture x;
    setup(&x);
    CHECK_STR(row(&x, "{\"id\": 1, \"arr\": [1], \"m\": {\"1\": \"a\"}, \"r\": {\"a\": 1, \"b\": [\"x\"]}}"), "");
    char before[16384];
    snprintf(before, sizeof before, "%s", dump(x.b));
    for (size_t i = 0; i < CV_ARRAY_LEN(bad); i++) {
        unit_context("%s", bad[i].line);
        CHECK_STR(row(&x, bad[i].line), bad[i].want);
        /* nothing was added, not even to a nested column */
        CHECK_UINT(x.b->nrows, 1);
        cv_err e;
        cv_err_clear(&e);
        CHECK_INT(cv_batch_check(x.b, &e), 0);
        CHECK_STR(dump(x.b), before);
    }
    unit_context_clear();
    teardown(&x);
}

TEST(json_failure_after_nested_appends_leaves_the_batch_unchanged)
{
    fixture x;
    setup(&x);
    CHECK_STR(row(&x, "{\"id\": 1, \"arr\": [1, 2], \"m\": {\"1\": \"a\"}, \"r\": [1, [\"x\"], {\"k\": [true]}]}"), "");
    const char *fails[] = {
        /* the row is complete but for a later column */
        "{\"arr\": [5, 6, 7], \"m\": {\"3\": \"c\", \"4\": \"d\"}, \"r\": [2, [\"y\", \"z\"]], \"id\": \"x\"}",
        /* half way through a nested map inside a nested row */
        "{\"r\": {\"a\": 3, \"b\": [\"q\"], \"c\": {\"k\": {\"x\": true}, \"j\": {\"x\": 1}}}}",
        /* half way through an array */
        "{\"arr\": [1, 2, 3, \"four\"]}",
        /* an entry that parses, then a key that does not */
        "{\"m\": {\"9\": \"nine\", \"x\": \"8\"}}",
        /* the end of the line */
        "{\"arr\": [1], \"m\": {\"1\": \"a\"}, \"r\": [1, [\"x\"]], \"id\": 2",
    };
    char before[16384];
    snprintf(before, sizeof before, "%s", dump(x.b));
    uint32_t child_lens[4] = {x.b->cols[7].child[0].len, x.b->cols[8].child[0].len, x.b->cols[9].child[1].child[0].len,
                              x.b->cols[9].child[2].child[1].len};
    for (size_t i = 0; i < CV_ARRAY_LEN(fails); i++) {
        unit_context("%s", fails[i]);
        const char *got = row(&x, fails[i]);
        CHECK(got[0] != '\0');
        CHECK_UINT(x.b->nrows, 1);
        CHECK_STR(dump(x.b), before);
        CHECK_UINT(x.b->cols[7].child[0].len, child_lens[0]);
        CHECK_UINT(x.b->cols[8].child[0].len, child_lens[1]);
        CHECK_UINT(x.b->cols[9].child[1].child[0].len, child_lens[2]);
        CHECK_UINT(x.b->cols[9].child[2].child[1].len, child_lens[3]);
    }
    unit_context_clear();
    /* and the next good row is appended correctly */
    CHECK_STR(row(&x, "{\"id\": 2, \"arr\": [9], \"r\": {\"b\": [\"w\"]}}"), "");
    CHECK_STR(jsonv(&x.b->cols[7], 1), "[9]");
    CHECK_STR(jsonv(&x.b->cols[9], 1), "{\"a\":null,\"b\":[\"w\"],\"c\":null}");
    cv_err e;
    cv_err_clear(&e);
    CHECK_INT(cv_batch_check(x.b, &e), 0);
    teardown(&x);
}

TEST(json_nesting_limit)
{
    fixture x;
    setup(&x);
    cv_buf line;
    cv_buf_init(&line);
    cv_buf_puts(&line, "{\"zz\": ");
    for (int i = 0; i < 200; i++) cv_buf_putc(&line, '[');
    for (int i = 0; i < 200; i++) cv_buf_putc(&line, ']');
    cv_buf_putc(&line, '}');
    CHECK_STR(row(&x, line.data), "-: nesting too deep");
    cv_buf_reset(&line);
    cv_buf_puts(&line, "{\"zz\": ");
    for (int i = 0; i < 60; i++) cv_buf_putc(&line, '[');
    for (int i = 0; i < 60; i++) cv_buf_putc(&line, ']');
    cv_buf_putc(&line, '}');
    CHECK_STR(row(&x, line.data), "");
    cv_buf_free(&line);
    teardown(&x);
}

TEST(json_empty_strings_and_formats)
{
    fixture x;
    setup(&x);
    /* "" is NULL for non-string columns, an empty string for strings */
    CHECK_STR(row(&x, "{\"id\": \"\", \"s\": \"\", \"d\": \"\", \"arr\": [\"\"]}"), "");
    CHECK_STR(jsonv(&x.b->cols[0], 0), "null");
    CHECK_STR(jsonv(&x.b->cols[1], 0), "\"\"");
    CHECK_STR(jsonv(&x.b->cols[4], 0), "null");
    CHECK_STR(jsonv(&x.b->cols[7], 0), "[null]");
    /* custom date patterns apply to JSON strings too */
    const char *why;
    REQUIRE_INT(cv_datefmt_compile("dd.MM.yyyy", &x.f.date, &why), 0);
    x.f.custom_date = true;
    CHECK_STR(row(&x, "{\"d\": \"29.02.2024\"}"), "");
    CHECK_STR(jsonv(&x.b->cols[4], 1), "\"2024-02-29\"");
    teardown(&x);
}

TEST(json_written_rows_read_back_equal)
{
    fixture x;
    setup(&x);
    const char *lines[] = {
        "{\"id\": 1, \"s\": \"tab\\there \\\"q\\\" \\u0001 \xe4\xb8\xad\", \"f\": -0.0, \"dec\": \"-99999999.99\","
        " \"d\": \"0001-01-01\", \"ts\": \"1969-12-31T23:59:59.999999\", \"by\": \"AAEC/w==\","
        " \"arr\": [null, -1], \"m\": {\"0\": \"\"}, \"r\": [0, [\"\"], {\"\": {\"x\": false}}]}",
        "{\"f\": 1e-300, \"s\": \"\\ud83d\\ude00\"}",
        "{}",
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(lines); i++) REQUIRE_STR(row(&x, lines[i]), "");
    cv_batch *back = cv_batch_new(x.t, 0);
    REQUIRE(back != NULL);
    for (uint32_t r = 0; r < x.b->nrows; r++) {
        cv_buf o;
        cv_buf_init(&o);
        cv_json_write_row(x.b, r, NULL, 0, &o);
        const char *why = NULL;
        int col;
        unit_context("%s", o.data);
        REQUIRE_INT(cv_json_row(back, o.data, o.len, &x.f, &why, &col), 0);
        for (uint32_t c = 0; c < NCOLS; c++) CHECK(cv_value_compare(&x.b->cols[c], r, &back->cols[c], r) == 0);
        cv_buf_free(&o);
    }
    unit_context_clear();
    /* a column subset, in a different order */
    uint32_t cols[] = {4, 0};
    cv_buf o;
    cv_buf_init(&o);
    cv_json_write_row(x.b, 0, cols, 2, &o);
    CHECK_STR(o.data, "{\"d\":\"0001-01-01\",\"id\":1}");
    cv_buf_free(&o);
    cv_batch_free(back);
    teardown(&x);
}
