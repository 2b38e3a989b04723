/* test_torture.c — every allocation of a parse, a substitution pass and an
 * option validation is made to fail in turn: each failure must come back
 * as CV_ENOMEM with the error recorded, and (under ASan) without a leak. */
#include "helpers.h"

#include <stddef.h>

static const char job[] =
    "env {\n  parallelism = 2\n  job.mode = \"BATCH\"\n}\n"
    "source {\n"
    "  FakeSource {\n    plugin_output = \"fake\"\n    row.num = ${rows}\n"
    "    schema = { fields { id = bigint, name = \"string\", m = \"map<string, int>\" } }\n"
    "    tags = ${list}\n    note = \"\"\"long\ntext\"\"\"\n    q = \"select * from \"${tbl}\" where x = '\\u00e9'\"\n "
    " }\n"
    "  FakeSource { row.num = 1, opt = ${?missing}, ref = ${env.parallelism}, dflt = ${nope:7} }\n"
    "}\n"
    "sink {\n  Console { path = \"/tmp/${table_name}/${now}\", a.b.c = [1, 2, {x = y}] }\n}\n";

static int parse_once(void)
{
    const char *names[] = {"rows", "list", "tbl"};
    const char *values[] = {"100", "[a, b, {c = d}]", "t1"};
    cv_vars v = {names, values, 3, true};
    cv_doc d;
    cv_err e;
    cv_err_clear(&e);
    int rc = cv_config_parse(&d, "job.conf", job, sizeof job - 1, &v, &e);
    if (rc < 0 && e.code != rc) rc = CV_EINTERNAL; /* the error must be recorded */
    if (rc < 0 && rc == CV_ENOMEM && !strstr(e.msg, "out of memory")) rc = CV_EINTERNAL;
    cv_doc_free(&d);
    return rc;
}

TEST(torture_parse_and_resolve)
{
    REQUIRE_INT(parse_once(), 0);
    int failures = 0;
    for (uint64_t n = 1;; n++) {
        cv_alloc_fail_after(n);
        int rc = parse_once();
        uint64_t made = cv_alloc_fail_after(0);
        if (made < n) {
            CHECK_INT(rc, 0);
            break;
        }
        unit_context("allocation %llu", (unsigned long long)n);
        if (!CHECK_INT(rc, CV_ENOMEM)) break;
        failures++;
    }
    unit_context_clear();
    CHECK(failures > 10);
}

typedef struct {
    int64_t n;
    const char *s;
    cv_strlist l;
    int e;
} small;

static const cv_option small_opts[] = {
    {"n", CV_OPT_INT, "1", "", offsetof(small, n), 0, NULL, "legacy_n"},
    {"s", CV_OPT_STRING, "x", "", offsetof(small, s)},
    {"l", CV_OPT_STRLIST, "a,b,c", "", offsetof(small, l)},
    {"e", CV_OPT_ENUM, "A", "", offsetof(small, e), 0, CV_ENUMS("A", "B")},
    {"nested.k", CV_OPT_INT, NULL, "", CV_NO_FIELD},
    {NULL},
};

static int apply_once(const cv_node *root, bool want_error)
{
    cv_arena a;
    cv_arena_init(&a, 64);
    small s;
    cv_optset set = {small_opts, &s};
    cv_optvals vals;
    cv_err e;
    cv_err_clear(&e);
    int rc = cv_options_apply(&a, root, &set, 1, "T", &vals, &e);
    if (rc == 0) cv_optvals_free(&vals);
    if (rc < 0 && e.code != rc) rc = CV_EINTERNAL;
    cv_arena_free(&a);
    if (want_error && rc == CV_ECONFIG) rc = 0;
    return rc;
}

TEST(torture_options)
{
    static const char *texts[] = {
        "n = 5\ns = hello\nl = \"p, q, r\"\ne = b\nnested { k = 1 }\nlegacy_n = 3",
        "n = 5\nbogus_option = 1", /* the unknown-option message allocates too */
        "e = C",                   /* so does the enum message */
    };
    for (size_t t = 0; t < CV_ARRAY_LEN(texts); t++) {
        REQUIRE_INT(cfg_parse(texts[t]), 0);
        REQUIRE_INT(apply_once(cfg_doc.root, t > 0), 0);
        for (uint64_t n = 1;; n++) {
            cv_alloc_fail_after(n);
            int rc = apply_once(cfg_doc.root, t > 0);
            uint64_t made = cv_alloc_fail_after(0);
            if (made < n) {
                CHECK_INT(rc, 0);
                break;
            }
            unit_context("text %zu, allocation %llu", t, (unsigned long long)n);
            /* a message that could not be built may still report the
             * original error; anything else must be out of memory */
            if (!CHECK(rc == CV_ENOMEM || (t > 0 && rc == 0))) break;
        }
        unit_context_clear();
    }
    cfg_done();
}
