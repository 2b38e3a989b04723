/* fuzz_options.c — option validation and the config → data helpers on
 * parsed job files: every plugin block is checked against its plugin's
 * option table (as the planner does), every object against a table with
 * one option of each type, every `schema` block becomes a catalog table,
 * and FakeSource-style `rows` are appended to a batch of that table. */
#include "config/config.h"
#include "data/data.h"
#include "fuzz.h"
#include "plugin/plugin.h"

#include <stddef.h>
#include <string.h>

typedef struct {
    bool b;
    int64_t i, bounded;
    double d;
    const char *s;
    int e;
    cv_strlist l;
    const cv_node *obj, *list, *any;
} all_settings;

#define O(f) offsetof(all_settings, f)
static const cv_option all_opts[] = {
    {"b", CV_OPT_BOOL, "false", "a bool", O(b)},
    {"i", CV_OPT_INT, "5", "an int", O(i), 0, NULL, "legacy_i,old.i"},
    {"row.num", CV_OPT_INT, "1", "bounded", O(bounded), 0, NULL, NULL, -10, 1000},
    {"d", CV_OPT_DOUBLE, "0.5", "a double", O(d)},
    {"s", CV_OPT_STRING, NULL, "a string", O(s), CV_OPT_SECRET},
    {"mode", CV_OPT_ENUM, "RANGE", "an enum", O(e), 0, CV_ENUMS("RANGE", "TEMPLATE", "x")},
    {"tags", CV_OPT_STRLIST, "a,b", "a list", O(l)},
    {"schema", CV_OPT_OBJECT, NULL, "an object", O(obj)},
    {"rows", CV_OPT_LIST, NULL, "a list", O(list)},
    {"plugin_name", CV_OPT_ANY, NULL, "anything", O(any)},
    {"spark.", CV_OPT_ANY, NULL, "prefix", CV_NO_FIELD, CV_OPT_PREFIX | CV_OPT_IGNORED},
    {"old", CV_OPT_INT, NULL, "deprecated", CV_NO_FIELD, CV_OPT_DEPRECATED, NULL, NULL, 0, 0, "i"},
    {NULL},
};

/* stands in for the planner's common options so blocks get past them */
static const cv_option common_opts[] = {
    {"plugin_output", CV_OPT_STRING, NULL, "", CV_NO_FIELD, 0, NULL, "result_table_name"},
    {"plugin_input", CV_OPT_STRLIST, NULL, "", CV_NO_FIELD, 0, NULL, "source_table_name"},
    {"parallelism", CV_OPT_INT, NULL, "", CV_NO_FIELD, 0, NULL, NULL, 1, 1024},
    {NULL},
};

static void check_err(int rc, const cv_err *err)
{
    FUZZ_ASSERT(rc == 0 || (err->code == rc && err->msg[0]), "error %d without a message", rc);
}

static void rows_into(const cv_table *t, const cv_node *rows)
{
    cv_batch *b = cv_batch_new(t, 0);
    if (!b) return;
    for (uint32_t r = 0; r < rows->u.arr.n && r < 64; r++) {
        const cv_node *row = rows->u.arr.v[r];
        const cv_node *fields = cv_node_get(row, "fields");
        if (!fields || fields->kind != CV_NODE_ARRAY || fields->u.arr.n != t->ncols) continue;
        cv_batch *one = cv_batch_new(t, 0);
        if (!one) break;
        cv_err err;
        cv_err_clear(&err);
        int rc = 0;
        for (uint32_t c = 0; c < t->ncols && rc == 0; c++) rc = cv_append_node(&one->cols[c], fields->u.arr.v[c], &err);
        check_err(rc, &err);
        cv_row_kind kind = CV_ROW_INSERT;
        const char *ks = cv_node_str(cv_node_get(row, "kind"));
        if (ks) cv_row_kind_parse(ks, &kind);
        if (rc == 0) {
            cv_batch_end_row(one, kind);
            cv_err_clear(&err);
            if (cv_batch_check(one, &err) == 0) {
                cv_batch_copy_row(b, one, 0);
                cv_buf out;
                cv_buf_init(&out);
                for (uint32_t c = 0; c < t->ncols; c++) {
                    for (int st = 0; st < 3; st++) cv_value_format(&one->cols[c], 0, (cv_fmt_style)st, &out);
                    FUZZ_ASSERT(cv_value_compare(&one->cols[c], 0, &b->cols[c], b->nrows - 1) == 0,
                                "a copied row differs in column %u", c);
                }
                cv_buf_free(&out);
            }
        }
        cv_batch_free(one);
    }
    cv_err err;
    cv_err_clear(&err);
    cv_batch_check(b, &err);
    cv_batch_free(b);
}

/* References may make the tree a DAG that is huge when walked as a tree;
 * the product bounds that (config/vars.c), the harness bounds its walk. */
static unsigned visits;

static void visit(cv_arena *a, const cv_node *n, int depth)
{
    if (depth > 64 || ++visits > 20000) return;
    if (n->kind == CV_NODE_ARRAY) {
        for (uint32_t i = 0; i < n->u.arr.n; i++) visit(a, n->u.arr.v[i], depth + 1);
        return;
    }
    if (n->kind != CV_NODE_OBJECT) return;
    all_settings s;
    memset(&s, 0, sizeof s);
    cv_optset set = {all_opts, &s};
    cv_optvals vals;
    cv_err err;
    cv_err_clear(&err);
    int rc = cv_options_apply(a, n, &set, 1, "fuzz block", &vals, &err);
    check_err(rc, &err);
    if (rc == 0) {
        cv_optvals_given(&vals, "i");
        cv_optvals_given(&vals, "nope");
        cv_optvals_free(&vals);
    }
    for (uint32_t i = 0; i < n->u.obj.n; i++) {
        const cv_member *m = &n->u.obj.m[i];
        if (strcmp(m->key, "schema") == 0 && m->val->kind == CV_NODE_OBJECT) {
            cv_table *t = NULL;
            cv_err_clear(&err);
            rc = cv_schema_from_config(a, m->val, "fuzz.default", &t, &err);
            check_err(rc, &err);
            const cv_node *rows = cv_node_get(n, "rows");
            if (rc == 0 && rows && rows->kind == CV_NODE_ARRAY) rows_into(t, rows);
        }
        visit(a, m->val, depth + 1);
    }
}

static void plugins(cv_arena *a, const cv_node *root)
{
    static const char *const sections[] = {"source", "transform", "sink"};
    for (int k = 0; k < 3; k++) {
        const cv_node *sec = cv_node_get(root, sections[k]);
        if (!sec || sec->kind != CV_NODE_OBJECT) continue;
        for (uint32_t i = 0; i < sec->u.obj.n; i++) {
            const cv_member *m = &sec->u.obj.m[i];
            const cv_plugin *p = cv_plugin_find((cv_plugin_kind)k, m->key);
            if (!p) {
                cv_plugin_suggest((cv_plugin_kind)k, m->key);
                continue;
            }
            void *settings = cv_calloc(1, p->settings_size ? p->settings_size : 1);
            if (!settings) continue;
            cv_optset sets[2] = {{p->options, settings}, {common_opts, NULL}};
            cv_err err;
            cv_err_clear(&err);
            int rc = cv_options_apply(a, m->val, sets, 2, p->name, NULL, &err);
            check_err(rc, &err);
            cv_free(settings);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16) return 0;
    cv_log_set_level(CV_LOG_ERROR); /* deprecation warnings are noise here */
    cv_vars vars = {NULL, NULL, 0, .no_env = true};
    cv_doc doc;
    cv_err err;
    cv_err_clear(&err);
    if (cv_config_parse(&doc, "fuzz.conf", (const char *)data, size, &vars, &err) == 0) {
        cv_arena a;
        cv_arena_init(&a, 0);
        plugins(&a, doc.root);
        visits = 0;
        visit(&a, doc.root, 0);
        cv_arena_free(&a);
    }
    cv_doc_free(&doc);
    return 0;
}
