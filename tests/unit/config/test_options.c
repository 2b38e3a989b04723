/* test_options.c — option tables: defaults, aliases, dotted keys, unknown
 * options with suggestions, type and enum errors, bounds, required
 * options, string lists, and the record of what was given. */
#include "helpers.h"

#include <stddef.h>

typedef struct {
    bool flag;
    int64_t num, split, bounded;
    double ratio;
    const char *name, *secret;
    int mode, nodef;
    cv_strlist tags;
    const cv_node *schema, *rows, *any;
} settings;

#define O(f) offsetof(settings, f)
static const cv_option opts[] = {
    {"flag", CV_OPT_BOOL, "false", "a flag", O(flag)},
    {"row.num", CV_OPT_INT, "5", "rows", O(num), 0, NULL, "rowcount,legacy.num"},
    {"split.num", CV_OPT_INT, "1", "splits", O(split)},
    {"bounded", CV_OPT_INT, "10", "bounded int", O(bounded), 0, NULL, NULL, 1, 100},
    {"ratio", CV_OPT_DOUBLE, "0.5", "a double", O(ratio)},
    {"name", CV_OPT_STRING, NULL, "a name", O(name)},
    {"password", CV_OPT_STRING, "hunter2", "secret", O(secret), CV_OPT_SECRET},
    {"mode", CV_OPT_ENUM, "RANGE", "mode", O(mode), 0, CV_ENUMS("RANGE", "TEMPLATE")},
    {"nodef", CV_OPT_ENUM, NULL, "enum without default", O(nodef), 0, CV_ENUMS("A", "B")},
    {"tags", CV_OPT_STRLIST, "a,b", "tags", O(tags)},
    {"schema", CV_OPT_OBJECT, NULL, "schema", O(schema)},
    {"rows", CV_OPT_LIST, NULL, "rows", O(rows)},
    {"anything", CV_OPT_ANY, NULL, "any", O(any)},
    {"spark.", CV_OPT_ANY, NULL, "spark settings", CV_NO_FIELD, CV_OPT_PREFIX | CV_OPT_IGNORED},
    {"old_name", CV_OPT_INT, NULL, "deprecated", CV_NO_FIELD, CV_OPT_DEPRECATED, NULL, NULL, 0, 0, "row.num"},
    {NULL},
};

static const cv_option required_opts[] = {
    {"path", CV_OPT_STRING, NULL, "where files go", CV_NO_FIELD, CV_OPT_REQUIRED},
    {NULL},
};

static settings S;
static cv_arena A;

/* Parse text and apply the table to the root object. */
static int apply(const char *text)
{
    memset(&S, 0xAB, sizeof S);
    if (cfg_parse(text) < 0) return -1000;
    cv_arena_free(&A);
    cv_arena_init(&A, 0);
    cv_optset set = {opts, &S};
    cv_err_clear(&cfg_err);
    return cv_options_apply(&A, cfg_doc.root, &set, 1, "TestPlugin", NULL, &cfg_err);
}

static void done(void)
{
    cfg_done();
    cv_arena_free(&A);
}

TEST(options_defaults)
{
    REQUIRE_INT(apply(""), 0);
    CHECK(!S.flag);
    CHECK_INT(S.num, 5);
    CHECK_INT(S.split, 1);
    CHECK_INT(S.bounded, 10);
    CHECK_DBL(S.ratio, 0.5);
    CHECK(S.name == NULL); /* no default: NULL, not left as it was */
    CHECK_STR(S.secret, "hunter2");
    CHECK_INT(S.mode, 0);
    CHECK_INT(S.nodef, -1);
    REQUIRE_UINT(S.tags.n, 2);
    CHECK_STR(S.tags.v[0], "a");
    CHECK_STR(S.tags.v[1], "b");
    CHECK(S.schema == NULL);
    CHECK(S.rows == NULL);
    CHECK(S.any == NULL);
    done();
}

TEST(options_values_of_every_type)
{
    REQUIRE_INT(apply("flag = yes\nrow.num = 20\nbounded = \"50\"\nratio = 1e-3\nname = Bob\n"
                      "mode = template\nnodef = b\ntags = [x, \"y z\"]\nschema { a = int }\n"
                      "rows = [1]\nanything = [1, {}]\n"),
                0);
    CHECK(S.flag);
    CHECK_INT(S.num, 20);
    CHECK_INT(S.bounded, 50);
    CHECK_DBL(S.ratio, 1e-3);
    CHECK_STR(S.name, "Bob");
    CHECK_INT(S.mode, 1);
    CHECK_INT(S.nodef, 1);
    REQUIRE_UINT(S.tags.n, 2);
    CHECK_STR(S.tags.v[1], "y z");
    CHECK_STR(node_json(S.schema), "{\"a\":\"int\"}");
    CHECK_STR(node_json(S.rows), "[1]");
    CHECK_STR(node_json(S.any), "[1,{}]");
    /* numbers written as strings or as integral decimals */
    REQUIRE_INT(apply("row.num = \" 7 \"\nsplit.num = 1e3\nbounded = 5.0\nratio = \"2\""), 0);
    CHECK_INT(S.num, 7);
    CHECK_INT(S.split, 1000);
    CHECK_INT(S.bounded, 5);
    CHECK_DBL(S.ratio, 2);
    REQUIRE_INT(apply("name = 12\nflag = off"), 0);
    CHECK_STR(S.name, "12");
    CHECK(!S.flag);
    done();
}

TEST(options_dotted_keys_nested_and_quoted)
{
    REQUIRE_INT(apply("row { num = 3 }"), 0);
    CHECK_INT(S.num, 3);
    REQUIRE_INT(apply("\"row.num\" = 4"), 0);
    CHECK_INT(S.num, 4);
    REQUIRE_INT(apply("row.num = 6\nsplit { num = 2 }"), 0);
    CHECK_INT(S.num, 6);
    CHECK_INT(S.split, 2);
    REQUIRE_INT(apply("spark { executor.memory = 1g, cores = 2 }\n\"spark.x\" = 1"), 0);
    /* an unknown key inside a nested prefix names the full dotted key */
    CHECK_INT(apply("row { nmu = 3 }"), CV_ECONFIG);
    CHECK_CONTAINS(cfg_err.msg, "unknown option \"row.nmu\"");
    CHECK_CONTAINS(cfg_err.msg, "did you mean \"row.num\"?");
    CHECK_UINT(cfg_err.line, 1);
    CHECK_UINT(cfg_err.col, 7);
    done();
}

TEST(options_aliases_lose_to_new_names)
{
    REQUIRE_INT(apply("rowcount = 8"), 0);
    CHECK_INT(S.num, 8);
    REQUIRE_INT(apply("legacy.num = 8"), 0);
    CHECK_INT(S.num, 8);
    REQUIRE_INT(apply("row.num = 1\nlegacy.num = 8"), 0);
    CHECK_INT(S.num, 1);
    REQUIRE_INT(apply("legacy.num = 8\nrow.num = 1"), 0);
    CHECK_INT(S.num, 1);
    REQUIRE_INT(apply("legacy { num = 9 }\nrow { num = 2 }"), 0);
    CHECK_INT(S.num, 2);
    REQUIRE_INT(apply("rowcount = 7\nlegacy.num = 8"), 0);
    CHECK_INT(S.num, 8); /* between aliases the later one wins */
    done();
}

TEST(options_unknown_option)
{
    CHECK_INT(apply("env = 1\nrow.nmu = 3"), CV_ECONFIG);
    CHECK_CONTAINS(cfg_err.msg, "unknown option \"env\" for TestPlugin");
    CHECK_CONTAINS(cfg_err.msg, "valid options: flag, row.num, split.num, bounded, ratio, name, password, "
                                "mode, nodef, tags, schema, rows, anything, old_name");
    CHECK(strstr(cfg_err.msg, "spark.") == NULL); /* ignored options are not advertised */
    CHECK_UINT(cfg_err.line, 1);
    CHECK_UINT(cfg_err.col, 1);
    CHECK_INT(apply("x = 1\n  paswsord = 1"), CV_ECONFIG);
    CHECK_CONTAINS(cfg_err.msg, "unknown option \"x\"");
    CHECK_INT(apply("  paswsord = 1"), CV_ECONFIG);
    CHECK_CONTAINS(cfg_err.msg, "unknown option \"paswsord\" for TestPlugin (did you mean \"password\"?)");
    CHECK_UINT(cfg_err.col, 3);
    CHECK_INT(apply("zzzzzzzz = 1"), CV_ECONFIG);
    CHECK(strstr(cfg_err.msg, "did you mean") == NULL);
    /* a table with no options says so */
    static const cv_option none[] = {{NULL}};
    cv_optset set = {none, NULL};
    REQUIRE_INT(cfg_parse("a = 1"), 0);
    cv_err_clear(&cfg_err);
    CHECK_INT(cv_options_apply(&A, cfg_doc.root, &set, 1, "Empty", NULL, &cfg_err), CV_ECONFIG);
    CHECK_CONTAINS(cfg_err.msg, "valid options: (none)");
    done();
}

TEST(options_type_errors)
{
    static const struct {
        const char *text, *msg;
        uint32_t col;
    } cases[] = {
        {"row.num = \"abc\"", "option row.num expects an integer, but got the string \"abc\"", 11},
        {"row.num = 1.5", "option row.num expects an integer, but got \"1.5\"", 11},
        {"row.num = 1e30", "option row.num expects an integer", 11},
        {"row.num = [1]", "option row.num expects an integer, but got an array", 11},
        {"flag = maybe", "option flag expects true or false, but got the string \"maybe\"", 8},
        {"flag = 1", "option flag expects true or false, but got \"1\"", 8},
        {"ratio = fast", "option ratio expects a number", 9},
        {"name = {a = 1}", "option name expects a string, but got an object", 8},
        {"name = null", "option name expects a string, but got  null", 8},
        {"schema = 5", "option schema expects an object { … }, but got \"5\"", 10},
        {"rows = {}", "option rows expects a list [ … ], but got an object", 8},
        {"tags = {}", "option tags expects a list of strings, but got an object", 8},
        {"tags = [a, [b]]", "option tags expects a list of strings, but got an array", 12},
        {"mode = [RANGE]", "option mode expects one of its allowed values", 8},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        unit_context("%s", cases[i].text);
        CHECK_INT(apply(cases[i].text), CV_ECONFIG);
        CHECK_CONTAINS(cfg_err.msg, cases[i].msg);
        CHECK_UINT(cfg_err.line, 1);
        CHECK_UINT(cfg_err.col, cases[i].col);
    }
    unit_context_clear();
    done();
}

TEST(options_enum_errors)
{
    CHECK_INT(apply("mode = RANGEE"), CV_ECONFIG);
    CHECK_STR(cfg_err.msg, "option mode: \"RANGEE\" is not allowed (did you mean RANGE?); use one of: RANGE, TEMPLATE");
    CHECK_INT(apply("mode = xyz"), CV_ECONFIG);
    CHECK_STR(cfg_err.msg, "option mode: \"xyz\" is not allowed; use one of: RANGE, TEMPLATE");
    REQUIRE_INT(apply("mode = Template"), 0); /* case-insensitive */
    CHECK_INT(S.mode, 1);
    done();
}

TEST(options_int_bounds)
{
    REQUIRE_INT(apply("bounded = 1"), 0);
    REQUIRE_INT(apply("bounded = 100"), 0);
    CHECK_INT(apply("bounded = 0"), CV_ECONFIG);
    CHECK_STR(cfg_err.msg, "option bounded must be between 1 and 100, but is 0");
    CHECK_INT(apply("bounded = 101"), CV_ECONFIG);
    CHECK_INT(apply("bounded = -9223372036854775808"), CV_ECONFIG);
    /* min == max means unbounded */
    REQUIRE_INT(apply("row.num = -9223372036854775808"), 0);
    CHECK_INT(S.num, INT64_MIN);
    done();
}

TEST(options_required)
{
    REQUIRE_INT(cfg_parse("  other = 1"), 0);
    cv_optset sets[2] = {{required_opts, NULL}, {opts, NULL}};
    cv_err_clear(&cfg_err);
    CHECK_INT(cv_options_apply(&A, cfg_doc.root, sets, 2, "LocalFile", NULL, &cfg_err), CV_ECONFIG);
    CHECK_CONTAINS(cfg_err.msg, "unknown option \"other\"");
    REQUIRE_INT(cfg_parse("flag = true"), 0);
    cv_err_clear(&cfg_err);
    CHECK_INT(cv_options_apply(&A, cfg_doc.root, sets, 2, "LocalFile", NULL, &cfg_err), CV_ECONFIG);
    CHECK_STR(cfg_err.msg, "LocalFile is missing the required option \"path\" (where files go)");
    REQUIRE_INT(cfg_parse("path = /tmp\nflag = true"), 0);
    cv_err_clear(&cfg_err);
    CHECK_INT(cv_options_apply(&A, cfg_doc.root, sets, 2, "LocalFile", NULL, &cfg_err), 0);
    done();
}

TEST(options_not_an_object)
{
    REQUIRE_INT(cfg_parse("a = [1]"), 0);
    cv_optset set = {opts, NULL};
    cv_err_clear(&cfg_err);
    CHECK_INT(cv_options_apply(&A, cv_node_get(cfg_doc.root, "a"), &set, 1, "Console", NULL, &cfg_err), CV_ECONFIG);
    CHECK_STR(cfg_err.msg, "Console must be configured with an object { … }");
    CHECK_UINT(cfg_err.col, 5);
    cv_err_clear(&cfg_err);
    CHECK_INT(cv_options_apply(&A, NULL, &set, 1, "Console", NULL, &cfg_err), CV_ECONFIG);
    done();
}

TEST(options_given_values)
{
    REQUIRE_INT(cfg_parse("row.num = 3\nlegacy.num = 4\nflag = true"), 0);
    cv_optset set = {opts, NULL}; /* validate only */
    cv_optvals vals;
    cv_err_clear(&cfg_err);
    REQUIRE_INT(cv_options_apply(&A, cfg_doc.root, &set, 1, "T", &vals, &cfg_err), 0);
    const cv_node *g = cv_optvals_given(&vals, "row.num");
    REQUIRE(g != NULL);
    CHECK_STR(g->text, "3");
    CHECK(cv_optvals_given(&vals, "flag") != NULL);
    CHECK(cv_optvals_given(&vals, "ratio") == NULL);
    CHECK(cv_optvals_given(&vals, "nonexistent") == NULL);
    cv_optvals_free(&vals);
    CHECK(vals.given == NULL);
    /* on failure vals holds nothing to free */
    REQUIRE_INT(cfg_parse("bad = 1"), 0);
    cv_err_clear(&cfg_err);
    CHECK_INT(cv_options_apply(&A, cfg_doc.root, &set, 1, "T", &vals, &cfg_err), CV_ECONFIG);
    CHECK(vals.given == NULL);
    cv_optvals_free(&vals);
    done();
}

TEST(options_strlist_forms)
{
    static const struct {
        const char *in;
        size_t n;
        const char *items[4];
    } cases[] = {
        {"a,b", 2, {"a", "b"}},
        {"[a, b]", 2, {"a", "b"}},
        {" a , b ,c ", 3, {"a", "b", "c"}},
        {"[\"a\", 'b']", 2, {"a", "b"}},
        {"single", 1, {"single"}},
        {"", 0, {NULL}},
        {"  ", 0, {NULL}},
        {"[]", 0, {NULL}},
        {"a,", 2, {"a", ""}},
        {",", 2, {"", ""}},
        {"[a]", 1, {"a"}},
        {"\"x,y\"", 2, {"\"x", "y\""}},
    };
    cv_arena a;
    cv_arena_init(&a, 0);
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        unit_context("\"%s\"", cases[i].in);
        cv_strlist l;
        REQUIRE_INT(cv_strlist_from_text(&a, cases[i].in, &l), 0);
        if (!CHECK_UINT(l.n, cases[i].n)) continue;
        for (size_t k = 0; k < l.n; k++) CHECK_STR(l.v[k], cases[i].items[k]);
    }
    unit_context_clear();
    cv_arena_free(&a);
    REQUIRE_INT(apply("tags = \"p, q\""), 0);
    REQUIRE_UINT(S.tags.n, 2);
    CHECK_STR(S.tags.v[1], "q");
    REQUIRE_INT(apply("tags = [1, true]"), 0);
    REQUIRE_UINT(S.tags.n, 2);
    CHECK_STR(S.tags.v[0], "1");
    CHECK_STR(S.tags.v[1], "true");
    REQUIRE_INT(apply("tags = []"), 0);
    CHECK_UINT(S.tags.n, 0);
    done();
}

TEST(options_find_and_names)
{
    CHECK(cv_option_find(opts, "row.num") == &opts[1]);
    CHECK(cv_option_find(opts, "legacy.num") == &opts[1]);
    CHECK(cv_option_find(opts, "spark.anything.at.all") == &opts[13]);
    CHECK(cv_option_find(opts, "nope") == NULL);
    CHECK_STR(cv_opt_type_name(CV_OPT_STRLIST), "list<string>");
    CHECK_STR(cv_opt_type_name(CV_OPT_ENUM), "enum");
    CHECK_STR(cv_opt_type_name((cv_opt_type)99), "?");
}

TEST(options_bad_default_is_internal)
{
    static const cv_option bad[] = {
        {"n", CV_OPT_INT, "five", "broken default", 0},
        {NULL},
    };
    int64_t n;
    cv_optset set = {bad, &n};
    REQUIRE_INT(cfg_parse(""), 0);
    cv_err_clear(&cfg_err);
    cv_arena a;
    cv_arena_init(&a, 0);
    CHECK(cv_options_apply(&a, cfg_doc.root, &set, 1, "T", NULL, &cfg_err) < 0);
    CHECK_INT(cfg_err.code, CV_EINTERNAL);
    CHECK_CONTAINS(cfg_err.msg, "bad default \"five\" for option n");
    cv_arena_free(&a);
    cfg_done();
}

TEST(options_node_conversions)
{
    REQUIRE_INT(cfg_parse("a = 1e30\nb = -1e19\nc = \"9.3e18\"\nd = 9e18\ne = yes\nf = ON\ng = nah\n"
                          "h = 0.5\ni = [1]\nj = null"),
                0);
    int64_t v;
    double d;
    bool b;
    const cv_node *r = cfg_doc.root;
    CHECK(!cv_node_i64(cv_node_get(r, "a"), &v)); /* out of range: no conversion */
    CHECK(!cv_node_i64(cv_node_get(r, "b"), &v));
    CHECK(!cv_node_i64(cv_node_get(r, "c"), &v));
    CHECK(cv_node_i64(cv_node_get(r, "d"), &v) && v == 9000000000000000000LL);
    CHECK(cv_node_bool(cv_node_get(r, "e"), &b) && b);
    CHECK(cv_node_bool(cv_node_get(r, "f"), &b) && b);
    CHECK(!cv_node_bool(cv_node_get(r, "g"), &b));
    CHECK(!cv_node_i64(cv_node_get(r, "h"), &v));
    CHECK(cv_node_f64(cv_node_get(r, "h"), &d) && d == 0.5);
    CHECK(!cv_node_f64(cv_node_get(r, "i"), &d));
    CHECK(!cv_node_i64(cv_node_get(r, "j"), &v));
    CHECK(!cv_node_bool(NULL, &b));
    CHECK(cv_node_str(cv_node_get(r, "i")) == NULL);
    CHECK(cv_node_str(cv_node_get(r, "j")) == NULL);
    CHECK_STR(cv_node_kind_name(CV_NODE_ARRAY), "array");
    CHECK_STR(cv_node_kind_name(CV__NODE_SUBST), "unresolved value");
    /* paths: nested objects and literal dotted keys */
    REQUIRE_INT(cfg_parse("a { b { c = 1 } }\n\"x.y\" = 2\nx { z = 3 }"), 0);
    CHECK_STR(node_json(cv_node_path(cfg_doc.root, "a.b.c")), "1");
    CHECK_STR(node_json(cv_node_path(cfg_doc.root, "x.y")), "2");
    CHECK_STR(node_json(cv_node_path(cfg_doc.root, "x.z")), "3");
    CHECK(cv_node_path(cfg_doc.root, "a.b.d") == NULL);
    CHECK(cv_node_path(NULL, "a") == NULL);
    CHECK(cv_node_get(cv_node_path(cfg_doc.root, "a.b.c"), "x") == NULL);
    cfg_done();
}
