/* test_append.c — config values into columns (FakeSource rows, Assert
 * expectations): every type, NULLs, nesting, errors, and base64. */
#include "config/config.h"
#include "plugin/plugin.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>

static cv_doc doc;
static cv_arena A;
static cv_err E;
static cv_col C;

/* Append the value of `v = …` in text to a fresh column of type. */
static int append(const char *type, const char *value)
{
    cv_doc_free(&doc);
    if (C.owner) cv_col_destroy(&C);
    cv_arena_free(&A);
    cv_arena_init(&A, 0);
    cv_err_clear(&E);
    char text[2048];
    snprintf(text, sizeof text, "v = %s", value);
    cv_vars vars = {NULL, NULL, 0, true};
    if (cv_config_parse(&doc, "job.conf", text, strlen(text), &vars, &E) < 0) {
        unit__fail(__FILE__, __LINE__, "config does not parse: %s", E.msg);
        unit__abort();
    }
    const cv_type *t;
    if (cv_type_parse(&A, type, &t, &E) < 0) {
        unit__fail(__FILE__, __LINE__, "type does not parse: %s", E.msg);
        unit__abort();
    }
    REQUIRE_INT(cv_col_init(&C, t), 0);
    return cv_append_node(&C, cv_node_get(doc.root, "v"), &E);
}

static const char *out(cv_fmt_style st)
{
    static char s[2048];
    cv_buf b;
    cv_buf_init(&b);
    cv_value_format(&C, 0, st, &b);
    snprintf(s, sizeof s, "%s", b.data ? b.data : "");
    cv_buf_free(&b);
    return s;
}

static void done(void)
{
    if (C.owner) cv_col_destroy(&C);
    cv_doc_free(&doc);
    cv_arena_free(&A);
}

TEST(append_every_type)
{
    static const struct {
        const char *type, *value, *json;
    } cases[] = {
        {"boolean", "true", "true"},
        {"boolean", "\"false\"", "false"},
        {"tinyint", "-128", "-128"},
        {"smallint", "\"300\"", "300"},
        {"int", "2147483647", "2147483647"},
        {"bigint", "-9223372036854775808", "-9223372036854775808"},
        {"float", "1.5", "1.5"},
        {"double", "1e-7", "1.0E-7"},
        {"decimal(10,2)", "\"12.5\"", "12.50"},
        {"decimal(10,2)", "12.5", "12.50"},
        {"string", "hello world", "\"hello world\""},
        {"string", "42", "\"42\""},
        {"string", "true", "\"true\""},
        {"bytes", "\"aGVsbG8=\"", "\"aGVsbG8=\""},
        {"bytes", "\"\"", "\"\""},
        {"date", "\"2024-02-29\"", "\"2024-02-29\""},
        {"time", "\"12:30:05\"", "\"12:30:05\""},
        {"timestamp", "\"2024-01-02T03:04:05\"", "\"2024-01-02T03:04:05\""},
        {"timestamp_tz", "\"2024-01-02T03:04:05+01:00\"", "\"2024-01-02T02:04:05Z\""},
        {"int", "null", "null"},
        {"string", "null", "null"},
        {"null", "null", "null"},
        {"array<int>", "[1, 2, null]", "[1,2,null]"},
        {"array<int>", "[]", "[]"},
        {"array<array<string>>", "[[a], [], [b, c]]", "[[\"a\"],[],[\"b\",\"c\"]]"},
        {"map<string, int>", "{k1 = 1, k2 = null}", "{\"k1\":1,\"k2\":null}"},
        {"map<int, array<boolean>>", "{\"7\" = [true]}", "{\"7\":[true]}"},
        {"map<string, int>", "{}", "{}"},
        {"row<a int, b string>", "[1, x]", "{\"a\":1,\"b\":\"x\"}"},
        {"row<a int, b string>", "{b = y}", "{\"a\":null,\"b\":\"y\"}"},
        {"row<a int, r row<x double>>", "{a = 1, r = {x = 2.5}}", "{\"a\":1,\"r\":{\"x\":2.5}}"},
        {"row<a int, r row<x double>>", "[1, null]", "{\"a\":1,\"r\":null}"},
        {"array<row<n string>>", "[{n = p}, [q], null]", "[{\"n\":\"p\"},{\"n\":\"q\"},null]"},
        {"array<bytes>", "[\"AAE=\"]", "[\"AAE=\"]"},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        unit_context("%s = %s", cases[i].type, cases[i].value);
        if (!CHECK_INT(append(cases[i].type, cases[i].value), 0)) {
            unit__fail(__FILE__, __LINE__, "error: %s", E.msg);
            continue;
        }
        CHECK_UINT(C.len, 1);
        CHECK_INT(C.owner->err, 0);
        CHECK_STR(out(CV_FMT_JSON), cases[i].json);
    }
    unit_context_clear();
    REQUIRE_INT(append("bytes", "\"AP8=\""), 0);
    CHECK_STR(out(CV_FMT_JAVA), "[0, -1]");
    done();
}

TEST(append_errors)
{
    static const struct {
        const char *type, *value, *msg;
        int code;
        uint32_t col;
    } cases[] = {
        {"int", "abc", "\"abc\" is not a valid int", CV_EDATA, 5},
        {"tinyint", "200", "\"200\" is not a valid tinyint: out of range", CV_EDATA, 5},
        {"int", "[1]", "expected a int value, got array", CV_ECONFIG, 5},
        {"string", "{a = 1}", "expected a string value, got object", CV_ECONFIG, 5},
        {"array<int>", "5", "expected a list [ … ] for array<int>", CV_ECONFIG, 5},
        {"array<int>", "[1, x]", "\"x\" is not a valid int", CV_EDATA, 9},
        {"map<string, int>", "[1]", "expected an object { key = value } for map<string, int>", CV_ECONFIG, 5},
        {"map<int, int>", "{k = 1}", "\"k\" is not a valid int", CV_EDATA, 6},
        {"map<string, int>", "{k = x}", "\"x\" is not a valid int", CV_EDATA, 10},
        {"row<a int, b string>", "[1]", "a row<a int, b string> value needs 2 fields, got 1", CV_ECONFIG, 5},
        {"row<a int, b string>", "{c = 1}", "\"c\" is not a field of row<a int, b string>", CV_ECONFIG, 6},
        {"row<a int>", "5", "expected a list or object for row<a int>", CV_ECONFIG, 5},
        {"bytes", "\"a$==\"", "\"a$==\" is not valid base64 for a bytes value", CV_ECONFIG, 5},
        {"bytes", "[1]", "expected a base64 string for bytes, got array", CV_ECONFIG, 5},
        {"date", "\"2023-02-29\"", "is not a valid date", CV_EDATA, 5},
        {"decimal(3,1)", "12.34", "more fractional digits than the scale allows", CV_EDATA, 5},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        unit_context("%s = %s", cases[i].type, cases[i].value);
        CHECK_INT(append(cases[i].type, cases[i].value), cases[i].code);
        CHECK_CONTAINS(E.msg, cases[i].msg);
        CHECK_UINT(E.line, 1);
        CHECK_UINT(E.col, cases[i].col);
        CHECK_STR(E.file, "job.conf");
    }
    unit_context_clear();
    done();
}

static const char *b64(const char *in, int *rc)
{
    static char s[256];
    cv_buf b;
    cv_buf_init(&b);
    *rc = cv_base64_decode(in, strlen(in), &b);
    size_t n = 0;
    for (size_t i = 0; i < b.len && n + 4 < sizeof s; i++)
        n += (size_t)snprintf(s + n, sizeof s - n,
                              (unsigned char)b.data[i] >= 0x20 && (unsigned char)b.data[i] < 0x7f ? "%c" : "\\x%02x",
                              (unsigned char)b.data[i]);
    s[n] = '\0';
    cv_buf_free(&b);
    return s;
}

TEST(base64_decode)
{
    int rc;
    CHECK_STR(b64("", &rc), "");
    CHECK_INT(rc, 0);
    CHECK_STR(b64("aGVsbG8=", &rc), "hello");
    CHECK_INT(rc, 0);
    CHECK_STR(b64("aGVsbG8", &rc), "hello"); /* padding optional */
    CHECK_INT(rc, 0);
    CHECK_STR(b64("aGVsbA==", &rc), "hell");
    CHECK_INT(rc, 0);
    CHECK_STR(b64("aGVs", &rc), "hel");
    CHECK_INT(rc, 0);
    CHECK_STR(b64("AP8A", &rc), "\\x00\\xff\\x00");
    CHECK_INT(rc, 0);
    CHECK_STR(b64("-_-_", &rc), "\\xfb\\xff\\xbf"); /* URL-safe alphabet */
    CHECK_INT(rc, 0);
    CHECK_STR(b64("+/+/", &rc), "\\xfb\\xff\\xbf");
    CHECK_INT(rc, 0);
    static const char *bad[] = {"a", "aGVsbG8=x", "aG=Vs", "a===", "aGVsbG8===", "a b", "aGVs\n", "a$"};
    for (size_t i = 0; i < CV_ARRAY_LEN(bad); i++) {
        unit_context("\"%s\"", bad[i]);
        b64(bad[i], &rc);
        CHECK_INT(rc, CV_EINVAL);
    }
    unit_context_clear();
    cv_buf b;
    cv_buf_init(&b);
    cv_alloc_fail_after(1);
    rc = cv_base64_decode("aGVsbG8=", 8, &b);
    cv_alloc_fail_after(0);
    CHECK_INT(rc, CV_ENOMEM);
    cv_buf_free(&b);
}
