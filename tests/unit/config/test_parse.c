/* test_parse.c — the HOCON parser: syntax, strings and escapes, numbers,
 * comments, separators, dotted keys, merging, the plugin-section rule,
 * concatenation, and JSON input. Documents are compared as JSON. */
#include "helpers.h"

TEST(parse_objects_and_separators)
{
    CHECK_STR(cfg_json(""), "{}");
    CHECK_STR(cfg_json("   \n\n  "), "{}");
    CHECK_STR(cfg_json("a = 1"), "{\"a\":1}");
    CHECK_STR(cfg_json("a : 1"), "{\"a\":1}");
    CHECK_STR(cfg_json("a=1,b=2"), "{\"a\":1,\"b\":2}");
    CHECK_STR(cfg_json("a { b = 1 }"), "{\"a\":{\"b\":1}}");
    CHECK_STR(cfg_json("a{b=1}"), "{\"a\":{\"b\":1}}");
    CHECK_STR(cfg_json("a = { b = 1 }"), "{\"a\":{\"b\":1}}");
    CHECK_STR(cfg_json("a : { }"), "{\"a\":{}}");
    CHECK_STR(cfg_json("{ a = 1 }"), "{\"a\":1}");
    CHECK_STR(cfg_json("{}"), "{}");
    CHECK_STR(cfg_json("a = 1\nb = 2\n"), "{\"a\":1,\"b\":2}");
    CHECK_STR(cfg_json("a { x = 1\n y = 2 }"), "{\"a\":{\"x\":1,\"y\":2}}");
    CHECK_STR(cfg_json("a { x = 1, y = 2, }"), "{\"a\":{\"x\":1,\"y\":2}}");
    CHECK_STR(cfg_json("a = 1,\nb = 2,"), "{\"a\":1,\"b\":2}");
    CHECK_STR(cfg_json("a =\n  1"), "{\"a\":1}");
    CHECK_STR(cfg_json("a {\n\n}\n"), "{\"a\":{}}");
    CHECK_STR(cfg_json("a\n{ b = 1 }"), "ERROR 1:2: expected '=', ':' or '{' after the key \"a\"");
    cfg_done();
}

TEST(parse_arrays)
{
    CHECK_STR(cfg_json("a = []"), "{\"a\":[]}");
    CHECK_STR(cfg_json("a = [1, 2, 3]"), "{\"a\":[1,2,3]}");
    CHECK_STR(cfg_json("a = [1, 2, 3,]"), "{\"a\":[1,2,3]}");
    CHECK_STR(cfg_json("a = [\n 1\n 2\n\n 3\n]"), "{\"a\":[1,2,3]}");
    CHECK_STR(cfg_json("a = [1,\n 2]"), "{\"a\":[1,2]}");
    CHECK_STR(cfg_json("a = [[1], [], [[\"x\"]]]"), "{\"a\":[[1],[],[[\"x\"]]]}");
    CHECK_STR(cfg_json("a = [{b = 1}, {c = [true, null]}]"), "{\"a\":[{\"b\":1},{\"c\":[true,null]}]}");
    CHECK_STR(cfg_json("a = [a b, c]"), "{\"a\":[\"a b\",\"c\"]}");
    CHECK_STR(cfg_json("a = [1] [2, 3]"), "{\"a\":[1,2,3]}"); /* arrays concatenate */
    CHECK_STR(cfg_json("a = [1 2]"), "{\"a\":[\"1 2\"]}");
    CHECK_STR(cfg_json("a = [1,,2]"), "ERROR 1:8: expected a value but found ','");
    cfg_done();
}

TEST(parse_strings)
{
    CHECK_STR(cfg_json("a = \"hello world\""), "{\"a\":\"hello world\"}");
    CHECK_STR(cfg_json("a = hello world"), "{\"a\":\"hello world\"}");
    CHECK_STR(cfg_json("a = hello   world  "), "{\"a\":\"hello   world\"}");
    CHECK_STR(cfg_json("a = /tmp/x.csv"), "{\"a\":\"/tmp/x.csv\"}");
    CHECK_STR(cfg_json("a = \"\""), "{\"a\":\"\"}");
    CHECK_STR(cfg_json("a = \"#not a comment\""), "{\"a\":\"#not a comment\"}");
    CHECK_STR(cfg_json("a = \"//not a comment\""), "{\"a\":\"//not a comment\"}");
    CHECK_STR(cfg_json("a = \"\"\"multi\nline \"quoted\" \\n raw\"\"\""),
              "{\"a\":\"multi\\nline \\\"quoted\\\" \\\\n raw\"}");
    CHECK_STR(cfg_json("a = \"\"\"\"x\"\"\"\""), "{\"a\":\"\\\"x\\\"\"}"); /* extra quotes belong to it */
    CHECK_STR(cfg_json("a = \"\"\"\"\"\""), "{\"a\":\"\"}");
    CHECK_STR(cfg_json("a = \"a\" \"b\""), "{\"a\":\"a b\"}");
    CHECK_STR(cfg_json("a = \"a\"\"b\""), "{\"a\":\"ab\"}");
    CHECK_STR(cfg_json("a = 'single'"), "{\"a\":\"'single'\"}");
    CHECK_STR(cfg_json("a = caf\xc3\xa9"), "{\"a\":\"caf\xc3\xa9\"}");
    REQUIRE_INT(cfg_parse("a = \"q\"\nb = q"), 0);
    CHECK(cv_node_get(cfg_doc.root, "a")->quoted);
    CHECK(!cv_node_get(cfg_doc.root, "b")->quoted);
    cfg_done();
}

TEST(parse_escapes)
{
    CHECK_STR(cfg_json("a = \"\\\"\\\\\\/\\b\\f\\n\\r\\t\""), "{\"a\":\"\\\"\\\\/\\b\\f\\n\\r\\t\"}");
    CHECK_STR(cfg_json("a = \"\\u00e9\\u20AC\""), "{\"a\":\"\xc3\xa9\xe2\x82\xac\"}");
    CHECK_STR(cfg_json("a = \"\\u0041\""), "{\"a\":\"A\"}");
    CHECK_STR(cfg_json("a = \"\\ud83d\\ude00\""), "{\"a\":\"\xf0\x9f\x98\x80\"}");
    CHECK_STR(cfg_json("a = \"\\uDBFF\\uDFFF\""), "{\"a\":\"\xf4\x8f\xbf\xbf\"}");
    CHECK_STR(cfg_json("a = \"x\\u0000y\""), "{\"a\":\"x\\u0000y\"}");
    REQUIRE_INT(cfg_parse("a = \"x\\u0000y\""), 0);
    CHECK_UINT(cv_node_get(cfg_doc.root, "a")->len, 3);
    CHECK_STR(cfg_json("a = \"\\q\""), "ERROR 1:6: bad escape sequence in string");
    CHECK_STR(cfg_json("a = \"\\u12\""), "ERROR 1:10: bad \\u escape: expected four hex digits");
    CHECK_STR(cfg_json("a = \"\\u12G4\""), "ERROR 1:10: bad \\u escape: expected four hex digits");
    CHECK_STR(cfg_json("a = \"\\ud83d\""), "ERROR 1:6: lone surrogate in \\u escape");
    CHECK_STR(cfg_json("a = \"\\ude00\""), "ERROR 1:6: lone surrogate in \\u escape");
    CHECK_STR(cfg_json("a = \"\\ud83d\\u0041\""), "ERROR 1:12: bad surrogate pair in \\u escape");
    CHECK_STR(cfg_json("a = \"abc\\"), "ERROR 1:9: bad escape sequence in string");
    cfg_done();
}

TEST(parse_numbers_booleans_null)
{
    REQUIRE_INT(cfg_parse("i = 42\nn = -7\nf = 1.5\ne = 1e5\nE = -2.5E-3\nz = 0\nt = true\nfa = false\n"
                          "nu = null\ns = 1.2.3\nx = 12abc\ny = .5\nyes = yes\nT = True\n"),
                0);
    static const struct {
        const char *key;
        cv_node_kind kind;
        const char *text;
    } cases[] = {
        {"i", CV_NODE_NUMBER, "42"},    {"n", CV_NODE_NUMBER, "-7"},      {"f", CV_NODE_NUMBER, "1.5"},
        {"e", CV_NODE_NUMBER, "1e5"},   {"E", CV_NODE_NUMBER, "-2.5E-3"}, {"z", CV_NODE_NUMBER, "0"},
        {"t", CV_NODE_BOOL, "true"},    {"fa", CV_NODE_BOOL, "false"},    {"nu", CV_NODE_NULL, "null"},
        {"s", CV_NODE_STRING, "1.2.3"}, {"x", CV_NODE_STRING, "12abc"},   {"y", CV_NODE_NUMBER, ".5"},
        {"yes", CV_NODE_STRING, "yes"}, {"T", CV_NODE_STRING, "True"},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        unit_context("%s", cases[i].key);
        const cv_node *n = cv_node_get(cfg_doc.root, cases[i].key);
        REQUIRE(n != NULL);
        CHECK_INT(n->kind, cases[i].kind);
        CHECK_STR(n->text, cases[i].text);
    }
    unit_context_clear();
    /* numbers keep their text; JSON output stays valid JSON */
    CHECK_STR(cfg_json("a = 1.50\nb = .5\nc = 5.\ne = 01\nf = 2.e3\ng = -0\nh = 1E+5"),
              "{\"a\":1.50,\"b\":\".5\",\"c\":\"5.\",\"e\":\"01\",\"f\":\"2.e3\",\"g\":-0,\"h\":1E+5}");
    /* '+' cannot start a HOCON value; a -i value "+1" is a number though */
    CHECK_STR(cfg_json("d = +1"), "ERROR 1:5: expected a value but found '+'");
    REQUIRE_INT(cfg_parse_vars("d = ${v}", false, (const char *[]){"v", "+1", NULL}), 0);
    CHECK_STR(node_json(cfg_doc.root), "{\"d\":\"+1\"}");
    CHECK_INT(cv_node_get(cfg_doc.root, "d")->kind, CV_NODE_NUMBER);
    cfg_done();
}

TEST(parse_comments)
{
    CHECK_STR(cfg_json("# a comment\na = 1 # trailing\n// another\nb = 2 // trailing\n"), "{\"a\":1,\"b\":2}");
    CHECK_STR(cfg_json("a { # in an object\n b = [1, # in an array\n 2 // too\n ] }"), "{\"a\":{\"b\":[1,2]}}");
    CHECK_STR(cfg_json("a = x//y"), "{\"a\":\"x\"}");
    CHECK_STR(cfg_json("a = x/y"), "{\"a\":\"x/y\"}");
    CHECK_STR(cfg_json("# only a comment"), "{}");
    CHECK_STR(cfg_json("a = 1 #"), "{\"a\":1}");
    CHECK_STR(cfg_json("\xef\xbb\xbf"
                       "a = 1\r\nb = 2\r\n"),
              "{\"a\":1,\"b\":2}");
    cfg_done();
}

TEST(parse_dotted_keys)
{
    CHECK_STR(cfg_json("a.b.c = 1"), "{\"a\":{\"b\":{\"c\":1}}}");
    CHECK_STR(cfg_json("a.b = 1\na.c = 2"), "{\"a\":{\"b\":1,\"c\":2}}");
    CHECK_STR(cfg_json("a.b = 1\na { c = 2 }"), "{\"a\":{\"b\":1,\"c\":2}}");
    CHECK_STR(cfg_json("a { c = 2 }\na.b = 1"), "{\"a\":{\"c\":2,\"b\":1}}");
    CHECK_STR(cfg_json("a { b.c = 1, b.d = 2 }"), "{\"a\":{\"b\":{\"c\":1,\"d\":2}}}");
    CHECK_STR(cfg_json("\"a.b\" = 1"), "{\"a.b\":1}");
    CHECK_STR(cfg_json("a.\"b.c\".d = 1"), "{\"a\":{\"b.c\":{\"d\":1}}}");
    CHECK_STR(cfg_json("\"a\".\"b\" = 1"), "{\"a\":{\"b\":1}}");
    CHECK_STR(cfg_json("\"\" = 1"), "{\"\":1}");
    CHECK_STR(cfg_json("a-b_c = 1"), "{\"a-b_c\":1}");
    CHECK_STR(cfg_json("a$ = 1"), "ERROR 1:2: expected '=', ':' or '{' after the key \"a\"");
    CHECK_STR(cfg_json("row.num = 10\nrow.num = 20"), "{\"row\":{\"num\":20}}");
    CHECK_STR(cfg_json("a.b = 1\na.b.c = 2"), "{\"a\":{\"b\":{\"c\":2}}}");
    CHECK_STR(cfg_json("a.b.c = 2\na.b = 1"), "{\"a\":{\"b\":1}}");
    CHECK_STR(cfg_json(".a = 1"), "ERROR 1:1: empty segment in key");
    CHECK_STR(cfg_json("a..b = 1"), "ERROR 1:3: empty segment in key");
    CHECK_STR(cfg_json("a. = 1"), "ERROR 1:3: key ends with '.'");
    CHECK_STR(cfg_json("\"\"\"a\"\"\" = 1"), "ERROR 1:1: a key cannot be a \"\"\" string");
    cv_buf b;
    cv_buf_init(&b);
    for (int i = 0; i < 33; i++) cv_buf_puts(&b, i ? ".k" : "k");
    cv_buf_puts(&b, " = 1");
    CHECK_STR(cfg_json(b.data), "ERROR 1:1: key has too many segments");
    cv_buf_free(&b);
    cfg_done();
}

TEST(parse_duplicate_keys_merge)
{
    CHECK_STR(cfg_json("a = 1\na = 2"), "{\"a\":2}");
    CHECK_STR(cfg_json("a { x = 1, y = 1 }\na { y = 2, z = 3 }"), "{\"a\":{\"x\":1,\"y\":2,\"z\":3}}");
    CHECK_STR(cfg_json("a { x { p = 1 } }\na { x { q = 2 } }"), "{\"a\":{\"x\":{\"p\":1,\"q\":2}}}");
    CHECK_STR(cfg_json("a { x = 1 }\na = 5"), "{\"a\":5}");
    CHECK_STR(cfg_json("a = 5\na { x = 1 }"), "{\"a\":{\"x\":1}}");
    CHECK_STR(cfg_json("a = [1]\na = [2]"), "{\"a\":[2]}");
    CHECK_STR(cfg_json("a { x = 1 } { y = 2 }"), "{\"a\":{\"x\":1,\"y\":2}}"); /* objects concatenate */
    CHECK_STR(cfg_json("env { parallelism = 1 }\nenv { job.mode = BATCH }"),
              "{\"env\":{\"parallelism\":1,\"job\":{\"mode\":\"BATCH\"}}}");
    cfg_done();
}

TEST(parse_plugin_sections_keep_duplicates)
{
    /* directly inside root source/transform/sink every block is an entry */
    CHECK_STR(cfg_json("source { A { x = 1 }\nA { y = 2 } }"), "{\"source\":{\"A\":{\"x\":1},\"A\":{\"y\":2}}}");
    CHECK_STR(cfg_json("sink { B {}\nA {}\nB { n = 1 } }"), "{\"sink\":{\"B\":{},\"A\":{},\"B\":{\"n\":1}}}");
    CHECK_STR(cfg_json("transform {\n Sql { q = 1 }\n Sql { q = 2 }\n}"),
              "{\"transform\":{\"Sql\":{\"q\":1},\"Sql\":{\"q\":2}}}");
    /* a second source block adds its entries after the first's */
    CHECK_STR(cfg_json("source { A {} }\nsource { A {}, B {} }"), "{\"source\":{\"A\":{},\"A\":{},\"B\":{}}}");
    CHECK_STR(cfg_json("source = { A {}, A {} }"), "{\"source\":{\"A\":{},\"A\":{}}}");
    /* like Typesafe Config: blocks on one line need a comma between them */
    CHECK_STR(cfg_json("sink { A {} A {} }"), "ERROR 1:10: cannot concatenate an object or array with text");
    /* inside a plugin block, and anywhere else, duplicates merge */
    CHECK_STR(cfg_json("source { A { x = 1\nx = 2 } }"), "{\"source\":{\"A\":{\"x\":2}}}");
    CHECK_STR(cfg_json("env { source { A { x = 1 }, A { y = 2 } } }"),
              "{\"env\":{\"source\":{\"A\":{\"x\":1,\"y\":2}}}}");
    CHECK_STR(cfg_json("x { sink { A {}\n A {} } }"), "{\"x\":{\"sink\":{\"A\":{}}}}");
    /* cv_node_get finds the last of duplicates */
    REQUIRE_INT(cfg_parse("sink { A { n = 1 }, A { n = 2 } }"), 0);
    const cv_node *sink = cv_node_get(cfg_doc.root, "sink");
    REQUIRE(sink != NULL);
    CHECK_UINT(sink->u.obj.n, 2);
    CHECK_STR(node_json(cv_node_get(sink, "A")), "{\"n\":2}");
    cfg_done();
}

TEST(parse_concatenation)
{
    CHECK_STR(cfg_json("a = foo bar baz"), "{\"a\":\"foo bar baz\"}");
    CHECK_STR(cfg_json("a = \"select * from \"t\" where x = 1\""), "{\"a\":\"select * from t where x = 1\"}");
    CHECK_STR(cfg_json("a = 1 2"), "{\"a\":\"1 2\"}");
    CHECK_STR(cfg_json("a = true \"x\""), "{\"a\":\"true x\"}");
    CHECK_STR(cfg_json("a = x null"), "{\"a\":\"x null\"}");
    CHECK_STR(cfg_json("a = \"x\"   \"y\""), "{\"a\":\"x   y\"}");
    CHECK_STR(cfg_json("a = x {b = 1}"), "ERROR 1:5: cannot concatenate an object or array with text");
    CHECK_STR(cfg_json("a = [1] x"), "ERROR 1:5: cannot concatenate an object or array with text");
    CHECK_STR(cfg_json("a = {x = 1} [2]"), "ERROR 1:5: cannot concatenate an object or array with text");
    cfg_done();
}

TEST(parse_json_input)
{
    const char *json = "{\n"
                       "  \"env\": {\"parallelism\": 2, \"job.mode\": \"BATCH\"},\n"
                       "  \"source\": [{\"plugin_name\": \"FakeSource\", \"row.num\": 10, \"rate\": 1.5e2,\n"
                       "              \"flag\": false, \"none\": null, \"list\": [1, \"two\", {\"k\": \"v\"}]}],\n"
                       "  \"sink\": [{\"plugin_name\": \"Console\"}]\n"
                       "}\n";
    const char *want =
        "{\"env\":{\"parallelism\":2,\"job.mode\":\"BATCH\"},\"source\":[{\"plugin_name\":\"FakeSource\","
        "\"row.num\":10,\"rate\":1.5e2,\"flag\":false,\"none\":null,\"list\":[1,\"two\",{\"k\":\"v\"}]}],"
        "\"sink\":[{\"plugin_name\":\"Console\"}]}";
    CHECK_STR(cfg_json(json), want);
    /* the same document in HOCON */
    const char *hocon = "env { parallelism = 2, \"job.mode\" = BATCH }\n"
                        "source = [{plugin_name = FakeSource, \"row.num\" = 10, rate = 1.5e2\n"
                        "  flag = false, none = null, list = [1, two, {k = v}]}]\n"
                        "sink = [{plugin_name = Console}]\n";
    CHECK_STR(cfg_json(hocon), want);
    /* our JSON output parses back to itself */
    char first[8192];
    snprintf(first, sizeof first, "%s", cfg_json(json));
    CHECK_STR(cfg_json(first), first);
    /* exponents with a sign are JSON numbers too */
    CHECK_STR(cfg_json("{\"a\": 1E+5, \"b\": -2e+0, \"c\": 1e-5}"), "{\"a\":1E+5,\"b\":-2e+0,\"c\":1e-5}");
    REQUIRE_INT(cfg_parse("a = 1e+5"), 0);
    CHECK_INT(cv_node_get(cfg_doc.root, "a")->kind, CV_NODE_NUMBER);
    CHECK_STR(cfg_json("a = x+1"), "ERROR 1:6: expected a newline or ',' after a value, found '+'");
    CHECK_STR(cfg_json("[1, 2]"), "ERROR 1:1: a job file must be an object, not an array");
    CHECK_STR(cfg_json("{\"a\": 1} x"), "ERROR 1:10: unexpected text after the closing '}'");
    cfg_done();
}

TEST(parse_positions)
{
    REQUIRE_INT(cfg_parse("env {\n  parallelism = 2\n}\nsink {\n  Console {\n    x = \"\"\"a\nb\"\"\"\n"
                          "    y = [\n      1\n    ]\n  }\n}\n"),
                0);
    const cv_node *env = cv_node_get(cfg_doc.root, "env");
    CHECK_UINT(env->line, 1);
    CHECK_UINT(env->col, 5);
    CHECK_UINT(env->u.obj.m[0].line, 2);
    CHECK_UINT(env->u.obj.m[0].col, 3);
    const cv_node *p = cv_node_get(env, "parallelism");
    CHECK_UINT(p->line, 2);
    CHECK_UINT(p->col, 17);
    const cv_node *console = cv_node_path(cfg_doc.root, "sink.Console");
    REQUIRE(console != NULL);
    const cv_node *x = cv_node_get(console, "x");
    CHECK_UINT(x->line, 6);
    CHECK_UINT(x->col, 9);
    const cv_node *y = cv_node_get(console, "y");
    CHECK_UINT(y->line, 8);
    CHECK_UINT(y->u.arr.v[0]->line, 9);
    CHECK_UINT(y->u.arr.v[0]->col, 7);
    cv_pos pos = cv_node_pos(p);
    CHECK_STR(pos.file, "job.conf");
    CHECK_UINT(pos.line, 2);
    pos = cv_member_pos(env, &env->u.obj.m[0]);
    CHECK_UINT(pos.col, 3);
    pos = cv_node_pos(NULL);
    CHECK_UINT(pos.line, 0);
    cfg_done();
}

TEST(parse_load_file)
{
    char path[] = "/tmp/cv_unit_cfg_XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    const char *text = "a = 1\nb = [x]\n";
    REQUIRE(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    cv_doc d;
    cv_err e;
    cv_err_clear(&e);
    CHECK_INT(cv_config_load(&d, path, NULL, &e), 0);
    CHECK_STR(node_json(d.root), "{\"a\":1,\"b\":[\"x\"]}");
    CHECK_STR(d.src.file, path);
    cv_doc_free(&d);
    unlink(path);
    cv_err_clear(&e);
    CHECK_INT(cv_config_load(&d, "/nonexistent/x.conf", NULL, &e), CV_EIO);
    CHECK_CONTAINS(e.msg, "cannot open /nonexistent/x.conf");
    cv_doc_free(&d);
}
