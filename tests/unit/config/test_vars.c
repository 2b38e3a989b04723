/* test_vars.c — substitution: -i variables, defaults, the environment,
 * optional ${?x}, references to config paths, placeholders that sinks
 * fill in, and unresolved variables as positioned errors. */
#include "helpers.h"

#include <stdlib.h>

static const char *vjson(const char *text, const char *const *pairs)
{
    static char out[16384];
    if (cfg_parse_vars(text, false, pairs) < 0) {
        snprintf(out, sizeof out, "ERROR %u:%u: %s", cfg_err.line, cfg_err.col, cfg_err.msg);
        return out;
    }
    snprintf(out, sizeof out, "%s", node_json(cfg_doc.root));
    return out;
}

#define VARS(...) ((const char *const[]){__VA_ARGS__, NULL})

TEST(vars_unquoted_and_quoted)
{
    const char *const *v = VARS("x", "hello", "n", "42", "f", "1.5", "b", "true", "s", "a b");
    CHECK_STR(vjson("a = ${x}", v), "{\"a\":\"hello\"}");
    CHECK_STR(vjson("a = ${n}", v), "{\"a\":42}");
    CHECK_STR(vjson("a = ${f}", v), "{\"a\":1.5}");
    CHECK_STR(vjson("a = ${b}", v), "{\"a\":true}");
    CHECK_STR(vjson("a = ${s}", v), "{\"a\":\"a b\"}");
    CHECK_STR(vjson("a = \"${x}\"", v), "{\"a\":\"hello\"}");
    CHECK_STR(vjson("a = \"pre ${x} post ${n}\"", v), "{\"a\":\"pre hello post 42\"}");
    CHECK_STR(vjson("a = \"select * from \"${x}\" where n = \"${n}", v),
              "{\"a\":\"select * from hello where n = 42\"}");
    CHECK_STR(vjson("a = ${x} world", v), "{\"a\":\"hello world\"}");
    CHECK_STR(vjson("a = ${x}${n}", v), "{\"a\":\"hello42\"}");
    CHECK_STR(vjson("a = [${x}, ${n}]", v), "{\"a\":[\"hello\",42]}");
    CHECK_STR(vjson("a { b = ${x} }", v), "{\"a\":{\"b\":\"hello\"}}");
    /* the kind of a variable's value survives */
    REQUIRE_INT(cfg_parse_vars("a = ${n}\nb = \"${n}\"", false, v), 0);
    CHECK_INT(cv_node_get(cfg_doc.root, "a")->kind, CV_NODE_NUMBER);
    CHECK_INT(cv_node_get(cfg_doc.root, "b")->kind, CV_NODE_STRING);
    /* the last -i of a name wins */
    CHECK_STR(vjson("a = ${x}", VARS("x", "1", "x", "2")), "{\"a\":2}");
    /* text that merely looks like a variable stays */
    CHECK_STR(vjson("a = \"cost: $5 {x} ${ x\"", v), "{\"a\":\"cost: $5 {x} ${ x\"}");
    CHECK_STR(vjson("a = \"${\"", v), "{\"a\":\"${\"}");
    cfg_done();
}

TEST(vars_defaults)
{
    CHECK_STR(vjson("a = ${x:fallback}", NULL), "{\"a\":\"fallback\"}");
    CHECK_STR(vjson("a = ${x:10}", NULL), "{\"a\":10}");
    CHECK_STR(vjson("a = ${x:}", NULL), "{\"a\":\"\"}");
    CHECK_STR(vjson("a = \"${x:fallback}!\"", NULL), "{\"a\":\"fallback!\"}");
    CHECK_STR(vjson("a = ${x:fallback}", VARS("x", "given")), "{\"a\":\"given\"}");
    CHECK_STR(vjson("a = \"${x:fallback}\"", VARS("x", "given")), "{\"a\":\"given\"}");
    CHECK_STR(vjson("a = ${x:with spaces and: colons}", NULL), "{\"a\":\"with spaces and: colons\"}");
    CHECK_STR(vjson("a = ${x:[1, 2]}", NULL), "{\"a\":[1,2]}");
    cfg_done();
}

TEST(vars_environment)
{
    setenv("CV_UNIT_ENV_VAR", "from-env", 1);
    unsetenv("CV_UNIT_ENV_UNSET");
    CHECK_INT(cfg_parse_vars("a = ${CV_UNIT_ENV_VAR}\nb = \"x${CV_UNIT_ENV_VAR}\"", true, NULL), 0);
    CHECK_STR(node_json(cfg_doc.root), "{\"a\":\"from-env\",\"b\":\"xfrom-env\"}");
    /* -i wins over the environment */
    CHECK_INT(cfg_parse_vars("a = ${CV_UNIT_ENV_VAR}", true, VARS("CV_UNIT_ENV_VAR", "from-i")), 0);
    CHECK_STR(node_json(cfg_doc.root), "{\"a\":\"from-i\"}");
    /* no_env keeps the environment out */
    CHECK_INT(cfg_parse_vars("a = ${CV_UNIT_ENV_VAR}", false, NULL), CV_ECONFIG);
    CHECK_INT(cfg_parse_vars("a = ${CV_UNIT_ENV_UNSET}", true, NULL), CV_ECONFIG);
    /* NULL vars: the environment is consulted */
    cv_doc d;
    cv_err e;
    cv_err_clear(&e);
    CHECK_INT(cv_config_parse(&d, "t", "a = ${CV_UNIT_ENV_VAR}", 22, NULL, &e), 0);
    CHECK_STR(node_json(d.root), "{\"a\":\"from-env\"}");
    cv_doc_free(&d);
    /* placeholders are never taken from the environment */
    setenv("table_name", "oops", 1);
    setenv("now", "oops", 1);
    CHECK_INT(cfg_parse_vars("a = ${table_name}\nb = \"${now}\"", true, NULL), 0);
    CHECK_STR(node_json(cfg_doc.root), "{\"a\":\"${table_name}\",\"b\":\"${now}\"}");
    unsetenv("table_name");
    unsetenv("now");
    unsetenv("CV_UNIT_ENV_VAR");
    cfg_done();
}

TEST(vars_optional)
{
    CHECK_STR(vjson("a = ${?x}\nb = 1", NULL), "{\"b\":1}");
    CHECK_STR(vjson("a = [1, ${?x}, 2]", NULL), "{\"a\":[1,2]}");
    CHECK_STR(vjson("a = pre${?x}post", NULL), "{\"a\":\"prepost\"}");
    CHECK_STR(vjson("a = ${?x}", VARS("x", "set")), "{\"a\":\"set\"}");
    CHECK_STR(vjson("a { b = ${?x} }", NULL), "{\"a\":{}}");
    CHECK_STR(vjson("a = 1\na = ${?x}", NULL), "{}");
    cfg_done();
}

TEST(vars_config_paths)
{
    CHECK_STR(vjson("a = 1\nb = ${a}", NULL), "{\"a\":1,\"b\":1}");
    CHECK_STR(vjson("b = ${a}\na = 1", NULL), "{\"b\":1,\"a\":1}"); /* forward reference */
    CHECK_STR(vjson("env { p = 4 }\nx = ${env.p}", NULL), "{\"env\":{\"p\":4},\"x\":4}");
    CHECK_STR(vjson("o { k = v }\nc = ${o}", NULL), "{\"o\":{\"k\":\"v\"},\"c\":{\"k\":\"v\"}}");
    CHECK_STR(vjson("bar { foo = 42, baz = ${bar.foo} }", NULL), "{\"bar\":{\"foo\":42,\"baz\":42}}");
    CHECK_STR(vjson("a = x\nb = ${a}\nc = ${b}", NULL), "{\"a\":\"x\",\"b\":\"x\",\"c\":\"x\"}");
    CHECK_STR(vjson("a = \"x ${n}\"\nb = ${a}", VARS("n", "1")), "{\"a\":\"x 1\",\"b\":\"x 1\"}");
    CHECK_STR(vjson("a = 1\nb = ${a} ${a}", NULL), "{\"a\":1,\"b\":\"1 1\"}");
    CHECK_STR(vjson("\"a.b\" = 5\nc = ${a.b}", NULL), "{\"a.b\":5,\"c\":5}");
    /* a -i variable wins over a path of the same name */
    CHECK_STR(vjson("a = 1\nb = ${a}", VARS("a", "2")), "{\"a\":1,\"b\":2}");
    /* a path that holds an optional nothing is absent */
    CHECK_STR(vjson("a = ${?nope}\nb = ${a:dflt}", NULL), "{\"b\":\"dflt\"}");
    /* cycles are errors, not hangs */
    CHECK_STR(vjson("a = ${b}\nb = ${a}", NULL), "ERROR 1:5: variable ${b} refers to itself");
    CHECK_INT(cfg_parse("a = ${a}"), CV_ECONFIG);
    CHECK_CONTAINS(cfg_err.msg, "unresolved variable ${a}");
    CHECK_INT(cfg_parse("a { b = ${a} }"), CV_ECONFIG);
    cfg_done();
}

TEST(vars_unresolved_positions)
{
    CHECK_INT(cfg_parse("x = 1\n  a = ${nope}\n"), CV_ECONFIG);
    CHECK_UINT(cfg_err.line, 2);
    CHECK_UINT(cfg_err.col, 7);
    CHECK_CONTAINS(cfg_err.msg, "unresolved variable ${nope}: pass -i nope=VALUE");
    CHECK_STR(cfg_err.srcline, "  a = ${nope}");
    CHECK_INT(cfg_parse("a = \"x ${nope}\""), CV_ECONFIG);
    CHECK_UINT(cfg_err.line, 1);
    CHECK_UINT(cfg_err.col, 8);
    CHECK_INT(cfg_parse("a = foo ${nope}"), CV_ECONFIG);
    CHECK_UINT(cfg_err.col, 9);
    CHECK_INT(cfg_parse("a = [1,\n  2, ${nope}]"), CV_ECONFIG);
    CHECK_UINT(cfg_err.line, 2);
    CHECK_UINT(cfg_err.col, 6);
    CHECK_INT(cfg_parse("a = ${ }"), CV_ESYNTAX);
    CHECK_CONTAINS(cfg_err.msg, "empty variable name");
    cfg_done();
}

TEST(vars_reserved_placeholders_kept)
{
    static const char *const texts[][2] = {
        {"a = ${table_name}", "{\"a\":\"${table_name}\"}"},
        {"a = \"${table_name}\"", "{\"a\":\"${table_name}\"}"},
        {"a = \"/tmp/${database_name}/${table_name}.csv\"", "{\"a\":\"/tmp/${database_name}/${table_name}.csv\"}"},
        {"a = ${database_name:x}", "{\"a\":\"${database_name:x}\"}"},
        {"a = \"${database_name:x}\"", "{\"a\":\"${database_name:x}\"}"},
        {"a = ${transactionId}", "{\"a\":\"${transactionId}\"}"},
        {"a = \"${now}\"", "{\"a\":\"${now}\"}"},
        {"a = ${k0}_${v12}", "{\"a\":\"${k0}_${v12}\"}"},
        {"a = ${schema_name}", "{\"a\":\"${schema_name}\"}"},
        {"a = ${primary_key}", "{\"a\":\"${primary_key}\"}"},
        {"a = ${uuid}", "{\"a\":\"${uuid}\"}"},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(texts); i++) {
        unit_context("%s", texts[i][0]);
        CHECK_STR(vjson(texts[i][0], NULL), texts[i][1]);
    }
    unit_context_clear();
    /* runtime names that are not reserved may still be set with -i */
    CHECK_STR(vjson("a = ${now}", VARS("now", "2024")), "{\"a\":2024}");
    /* ${k} alone or ${kx} are ordinary variables */
    CHECK_INT(cfg_parse("a = ${k}"), CV_ECONFIG);
    CHECK_INT(cfg_parse("a = ${k0x}"), CV_ECONFIG);
    CHECK(cv_config_is_placeholder("k0", 2));
    CHECK(cv_config_is_placeholder("v123", 4));
    CHECK(!cv_config_is_placeholder("k", 1));
    CHECK(cv_config_is_placeholder("table_name", 10));
    CHECK(!cv_config_is_placeholder("table_names", 11));
    CHECK(cv_config_is_reserved_var("table_name"));
    CHECK(!cv_config_is_reserved_var("now"));
    cfg_done();
}

TEST(vars_reserved_names_rejected_for_i)
{
    CHECK_INT(cfg_parse_vars("a = 1", false, VARS("table_name", "t")), CV_ECONFIG);
    CHECK_CONTAINS(cfg_err.msg, "-i table_name=");
    CHECK_CONTAINS(cfg_err.msg, "is a placeholder that sinks fill in per table");
    CHECK_INT(cfg_parse_vars("a = 1", false, VARS("ok", "1", "database_name", "d")), CV_ECONFIG);
    cfg_done();
}

TEST(vars_structured_values)
{
    CHECK_STR(vjson("a = ${l}", VARS("l", "[a,b]")), "{\"a\":[\"a\",\"b\"]}");
    CHECK_STR(vjson("a = ${l}", VARS("l", "[1, \"two\", {k = v}]")), "{\"a\":[1,\"two\",{\"k\":\"v\"}]}");
    CHECK_STR(vjson("a = ${o}", VARS("o", "{k = v, n = 1}")), "{\"a\":{\"k\":\"v\",\"n\":1}}");
    CHECK_STR(vjson("a = ${l}", VARS("l", "  [x]")), "{\"a\":[\"x\"]}");
    /* in a string a list is just its text */
    CHECK_STR(vjson("a = \"${l}\"", VARS("l", "[a,b]")), "{\"a\":\"[a,b]\"}");
    /* a broken list names the variable, not the job file */
    CHECK_INT(cfg_parse_vars("a = ${l}", false, VARS("l", "[a,")), CV_ESYNTAX);
    CHECK_STR(cfg_err.file, "variable l");
    CHECK_CONTAINS(cfg_err.msg, "missing ']'");
    CHECK_INT(cfg_parse_vars("a = ${l}", false, VARS("l", "[a]\n]")), CV_ESYNTAX);
    CHECK_CONTAINS(cfg_err.msg, "unexpected text after the value");
    /* a structured value inside text cannot be joined */
    CHECK_INT(cfg_parse_vars("a = x ${l}", false, VARS("l", "[1]")), CV_ECONFIG);
    CHECK_CONTAINS(cfg_err.msg, "cannot join an array with text");
    /* the node of a parsed value is positioned at the ${ } */
    REQUIRE_INT(cfg_parse_vars("\n  a = ${l}", false, VARS("l", "[1]")), 0);
    const cv_node *a = cv_node_get(cfg_doc.root, "a");
    CHECK_UINT(a->line, 2);
    CHECK_UINT(a->col, 7);
    CHECK_STR(a->src->file, "job.conf");
    cfg_done();
}

TEST(vars_null_in_concatenation)
{
    /* HOCON: a literal null joins as "null", a null substitution as "" */
    CHECK_STR(vjson("a = x null", NULL), "{\"a\":\"x null\"}");
    CHECK_STR(vjson("n = null\na = x${n}y", NULL), "{\"n\":null,\"a\":\"xy\"}");
    CHECK_STR(vjson("a = null", NULL), "{\"a\":null}");
    cfg_done();
}

TEST(vars_exponential_expansion_is_refused)
{
    /* each line doubles the one before: 2^40 values from 40 lines */
    cv_buf b;
    cv_buf_init(&b);
    cv_buf_puts(&b, "a0 { k = x }\n");
    for (int i = 1; i <= 40; i++) cv_buf_printf(&b, "a%d { p = ${a%d}, q = ${a%d} }\n", i, i - 1, i - 1);
    int64_t t0 = cv_mono_ns();
    CHECK_INT(cfg_parse(b.data), CV_ECONFIG);
    CHECK(cv_mono_ns() - t0 < 10 * 1000000000LL);
    CHECK_CONTAINS(cfg_err.msg, "substitutions expand the config beyond");
    CHECK(cfg_err.line > 1);
    cv_buf_reset(&b);
    cv_buf_puts(&b, "s0 = x\n");
    for (int i = 1; i <= 40; i++) cv_buf_printf(&b, "s%d = ${s%d}${s%d}\n", i, i - 1, i - 1);
    CHECK_INT(cfg_parse(b.data), CV_ECONFIG);
    CHECK_CONTAINS(cfg_err.msg, "substitutions expand the config beyond");
    /* a large document without references is not limited */
    cv_buf_reset(&b);
    cv_buf_puts(&b, "rows = [");
    for (int i = 0; i < 400000; i++) cv_buf_puts(&b, "[1, 2, 3],\n");
    cv_buf_puts(&b, "]\nx = \"${k0}\"\n");
    CHECK_INT(cfg_parse(b.data), 0);
    /* a dozen doublings are fine */
    cv_buf_reset(&b);
    cv_buf_puts(&b, "a0 { k = x }\n");
    for (int i = 1; i <= 12; i++) cv_buf_printf(&b, "a%d { p = ${a%d}, q = ${a%d} }\n", i, i - 1, i - 1);
    CHECK_INT(cfg_parse(b.data), 0);
    cv_buf_free(&b);
    cfg_done();
}
