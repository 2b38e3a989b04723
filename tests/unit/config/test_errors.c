/* test_errors.c — syntax errors name the exact line:col, the file and the
 * source line, with a message that says what is wrong. */
#include "helpers.h"

typedef struct {
    const char *text;
    uint32_t line, col;
    const char *msg;
} err_case;

TEST(errors_exact_positions)
{
    static const err_case cases[] = {
        {"a = \"abc\nb = 1\n", 1, 5, "unterminated string"},
        {"x = 1\n  y = \"never closed", 2, 7, "unterminated string"},
        {"a = \"\"\"abc\n", 1, 5, "unterminated \"\"\" string"},
        {"a {\n  b = 1\n", 1, 3, "this '{' is never closed"},
        {"env {\n  a {\n    b = 1\n  }\n", 1, 5, "this '{' is never closed"},
        /* a '}' indented like an outer block is the likely culprit */
        {"source {\n  Fake {\n    x = 1\n\n}\nsink { C {} }\n", 2, 8,
         "this '{' seems to lack its '}': the '}' at line 5"},
        {"a = 1\n]\n", 2, 1, "unexpected ']' (no object or array is open here)"},
        {"a = 1\n}\n", 2, 1, "unexpected '}'"},
        {"a { b = 1 ]", 1, 11, "expected a newline or ',' after a value, found ']'"},
        {"a = [1, 2", 1, 5, "this '[' is never closed"},
        {"a = [1, 2 }", 1, 11, "expected ',' or ']' in array"},
        {"a 1", 1, 3, "expected '=', ':' or '{' after the key \"a\""},
        {"source {\n  Fake\n}", 2, 7, "expected '=', ':' or '{' after the key \"Fake\""},
        {"a = 1 b = 2", 1, 9, "expected a newline or ',' after a value, found '='"},
        {"a =", 1, 4, "expected a value"},
        {"a = ", 1, 5, "expected a value"},
        {"a = ,", 1, 5, "expected a value but found ','"},
        {"a = }", 1, 5, "expected a value but found '}'"},
        {"include \"other.conf\"\n", 1, 1, "include is not supported in job files"},
        {"env {\n  include \"x\"\n}", 2, 3, "include is not supported"},
        {"a += 1", 1, 3, "'+=' is not supported in job files"},
        {"a = ${x", 1, 5, "unterminated ${ substitution"},
        {"a = ${x\n}", 1, 5, "unterminated ${ substitution"},
        {"a = ${}", 1, 5, "empty ${} substitution"},
        {"a = ${?}", 1, 5, "empty ${} substitution"},
        {"a = \"\\x\"", 1, 6, "bad escape sequence in string"},
        {"= 1", 1, 1, "expected a key"},
        {"{ a = 1 } b", 1, 11, "unexpected text after the closing '}'"},
        {"[]", 1, 1, "a job file must be an object, not an array"},
        {"a = x {b = 1}", 1, 5, "cannot concatenate an object or array with text"},
        {"a = 1\n\n\n   b c", 4, 6, "expected '=', ':' or '{' after the key \"b\""},
        {"a = \"\\ud800x\"", 1, 6, "lone surrogate in \\u escape"},
        {"\xef\xbb\xbf"
         "a = [",
         1, 8, "missing ']'"},
        /* job files are UTF-8: a Latin-1 byte is an error where it stands */
        {"a = 1\nname = \"caf\xe9\"\n", 2, 12, "invalid UTF-8 (byte 0xE9)"},
        {"# a comment with \xff\na = 1\n", 1, 18, "invalid UTF-8 (byte 0xFF)"},
        {"a = \"\xc0\xaf\"", 1, 6, "invalid UTF-8 (byte 0xC0)"},      /* overlong */
        {"a = \"\xed\xa0\x80\"", 1, 6, "invalid UTF-8 (byte 0xED)"}, /* surrogate */
        {"a = \"ok \xe2\x82\"", 1, 9, "invalid UTF-8 (byte 0xE2)"},  /* cut short */
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        unit_context("case %zu: %s", i, cases[i].text);
        CHECK_INT(cfg_parse(cases[i].text), CV_ESYNTAX);
        CHECK_INT(cfg_err.code, CV_ESYNTAX);
        CHECK_UINT(cfg_err.line, cases[i].line);
        CHECK_UINT(cfg_err.col, cases[i].col);
        CHECK_CONTAINS(cfg_err.msg, cases[i].msg);
        CHECK_STR(cfg_err.file, "job.conf");
    }
    unit_context_clear();
    cfg_done();
}

TEST(errors_carry_source_line)
{
    CHECK_INT(cfg_parse("env {\n  parallelism = 1\n  job.mode \"BATCH\"\n}\n"), CV_ESYNTAX);
    CHECK_UINT(cfg_err.line, 3);
    CHECK_UINT(cfg_err.col, 12);
    CHECK_STR(cfg_err.srcline, "  job.mode \"BATCH\"");
    CHECK_CONTAINS(cfg_err.msg, "after the key \"mode\"");
    cfg_done();
}

TEST(errors_nesting_too_deep)
{
    cv_buf b;
    cv_buf_init(&b);
    for (int i = 0; i < 300; i++) cv_buf_puts(&b, "a { ");
    CHECK_INT(cfg_parse(b.data), CV_ESYNTAX);
    CHECK_CONTAINS(cfg_err.msg, "nesting is too deep");
    CHECK_UINT(cfg_err.line, 1);
    cv_buf_reset(&b);
    cv_buf_puts(&b, "a = ");
    for (int i = 0; i < 100000; i++) cv_buf_putc(&b, '[');
    CHECK_INT(cfg_parse(b.data), CV_ESYNTAX);
    CHECK_CONTAINS(cfg_err.msg, "nesting is too deep");
    /* 60 levels are fine */
    cv_buf_reset(&b);
    for (int i = 0; i < 60; i++) cv_buf_puts(&b, "a { ");
    for (int i = 0; i < 60; i++) cv_buf_puts(&b, "} ");
    CHECK_INT(cfg_parse(b.data), 0);
    cv_buf_free(&b);
    cfg_done();
}

TEST(errors_first_error_wins_and_doc_is_freeable)
{
    /* a document that failed is still safe to free, and the error is the
     * first one found */
    cv_doc d;
    cv_err e;
    cv_err_clear(&e);
    CHECK_INT(cv_config_parse(&d, NULL, "a = \"x\nb = [", 12, NULL, &e), CV_ESYNTAX);
    CHECK_UINT(e.line, 1);
    CHECK_STR(e.file, "<config>");
    cv_doc_free(&d);
    cv_doc_free(&d);
    /* text need not be NUL-terminated: only len bytes are read */
    char buf[] = {'a', ' ', '=', ' ', '1', '2', 'X'};
    cv_err_clear(&e);
    CHECK_INT(cv_config_parse(&d, "t", buf, 6, NULL, &e), 0);
    CHECK_STR(node_json(d.root), "{\"a\":12}");
    cv_doc_free(&d);
    /* NUL bytes inside the text are not values */
    cv_err_clear(&e);
    CHECK_INT(cv_config_parse(&d, "t", "a = 1\0b = 2", 11, NULL, &e), CV_ESYNTAX);
    cv_doc_free(&d);
}

TEST(errors_invalid_utf8_in_variables)
{
    static const char *const bad[] = {"name", "caf\xe9", NULL};
    CHECK_INT(cfg_parse_vars("a = 1\nb = ${name}\n", false, bad), CV_ECONFIG);
    CHECK_UINT(cfg_err.line, 2);
    CHECK_UINT(cfg_err.col, 5);
    CHECK_CONTAINS(cfg_err.msg, "variable ${name} (from -i) is not valid UTF-8: byte 0xE9 at offset 3");
    /* inside a string, the column is the ${ */
    CHECK_INT(cfg_parse_vars("b = \"x ${name}\"\n", false, bad), CV_ECONFIG);
    CHECK_UINT(cfg_err.col, 8);
    static const char *const good[] = {"name", "caf\xc3\xa9", NULL};
    CHECK_INT(cfg_parse_vars("b = \"x ${name}\"\n", false, good), 0);
    cfg_done();
}

TEST(errors_secret_values_are_registered)
{
    cv_secret_clear();
    static const char *const vars[] = {"PGPASSWORD", "VarPw123", NULL};
    CHECK_INT(cfg_parse_vars("sink { Jdbc { password = \"Pw1234\", properties { sslpassword = \"Ssl123\" },"
                             " kafka.config { sasl.jaas.config = \"Jaas123\" }, p2 = ${PGPASSWORD}, user = bob } }",
                             false, vars),
              0);
    char msg[256] = "Pw1234 Ssl123 Jaas123 VarPw123 bob";
    cv_secret_redact(msg, sizeof msg);
    CHECK_STR(msg, "****** ****** ****** ****** bob");
    /* dumps mask them too */
    cv_buf b;
    cv_buf_init(&b);
    cv_node_to_json(cfg_doc.root, &b);
    CHECK(strstr(b.data, "Pw1234") == NULL && strstr(b.data, "Jaas123") == NULL);
    CHECK_CONTAINS(b.data, "\"password\":\"******\"");
    CHECK_CONTAINS(b.data, "\"user\":\"bob\"");
    cv_buf_free(&b);
    cv_secret_clear();
    cfg_done();
}
