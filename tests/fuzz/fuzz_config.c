/* fuzz_config.c — the HOCON/JSON job-file parser and the substitution pass.
 * Beyond "no crash, no leak, no hang", every input checks:
 *  - a failure carries a code, a message and a sane position;
 *  - a success renders as strictly valid JSON, every scalar converts
 *    without crashing, and re-reading that JSON gives the same JSON. */
#include "config/config.h"
#include "fuzz.h"

#include <string.h>

static const char *const var_names[] = {"x", "n", "list", "obj", "empty", "ref", "table_suffix"};
static const char *const var_values[] = {"1", "42", "[a, b, \"c\"]", "{k = v, n = 1}", "", "${x}", "_v2"};

static void walk(const cv_node *n, int depth)
{
    FUZZ_ASSERT(n->kind <= CV_NODE_OBJECT, "an unresolved node (kind %d) survived resolution", n->kind);
    FUZZ_ASSERT(n->line >= 1 && n->col >= 1, "node without a position");
    int64_t i;
    double d;
    bool b;
    switch (n->kind) {
    case CV_NODE_OBJECT:
        for (uint32_t k = 0; k < n->u.obj.n; k++) {
            FUZZ_ASSERT(n->u.obj.m[k].key != NULL, "member without a key");
            FUZZ_ASSERT(cv_node_get(n, n->u.obj.m[k].key) != NULL, "cv_node_get misses a key");
            walk(n->u.obj.m[k].val, depth + 1);
        }
        break;
    case CV_NODE_ARRAY:
        for (uint32_t k = 0; k < n->u.arr.n; k++) walk(n->u.arr.v[k], depth + 1);
        break;
    case CV_NODE_NULL: break;
    default:
        FUZZ_ASSERT(n->text != NULL, "scalar without text");
        FUZZ_ASSERT(strlen(n->text) <= n->len, "scalar text longer than its length");
        cv_node_i64(n, &i);
        cv_node_f64(n, &d);
        cv_node_bool(n, &b);
        FUZZ_ASSERT(cv_node_str(n) == n->text, "cv_node_str of a scalar");
        if (n->kind == CV_NODE_NUMBER)
            FUZZ_ASSERT(cv_node_f64(n, &d), "a NUMBER node that is not a number: %s", n->text);
    }
}

static uint32_t count_lines(const char *s, size_t n)
{
    uint32_t lines = 1;
    for (size_t i = 0; i < n; i++) lines += s[i] == '\n';
    return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16) return 0;
    const char *text = (const char *)data;
    cv_vars vars = {(const char **)var_names, (const char **)var_values, CV_ARRAY_LEN(var_names), .no_env = true};
    cv_doc doc;
    cv_err err;
    cv_err_clear(&err);
    int rc = cv_config_parse(&doc, "fuzz.conf", text, size, &vars, &err);
    if (rc < 0) {
        FUZZ_ASSERT(err.code == rc, "returned %d but recorded %d", rc, err.code);
        FUZZ_ASSERT(err.msg[0] != '\0', "an error without a message");
        /* errors inside a -i variable's text are positioned in that text */
        if (err.line && strcmp(err.file, "fuzz.conf") == 0)
            FUZZ_ASSERT(err.line <= count_lines(text, size) && err.col >= 1,
                        "error position %u:%u outside the input (%s)", err.line, err.col, err.msg);
        cv_doc_free(&doc);
        return 0;
    }
    FUZZ_ASSERT(err.code == 0, "success with an error recorded: %s", err.msg);
    FUZZ_ASSERT(doc.root && doc.root->kind == CV_NODE_OBJECT, "root is not an object");
    walk(doc.root, 0);
    cv_node_path(doc.root, "env.parallelism");
    cv_node_path(doc.root, "source.FakeSource.schema.fields");

    cv_buf js;
    cv_buf_init(&js);
    cv_node_to_json(doc.root, &js);
    FUZZ_ASSERT(!js.oom, "out of memory rendering JSON");
    FUZZ_ASSERT(js.data && strlen(js.data) == js.len, "JSON output with a NUL byte");
    FUZZ_ASSERT(fuzz_json_valid(js.data), "invalid JSON rendered: %s", js.data);

    /* JSON is HOCON: reading our own rendering back must give the same tree.
     * Strings that look like ${…} would be substituted on the second read,
     * so those inputs are skipped, as are huge expansions (for speed). */
    if (js.len < (1u << 18) && !memmem(js.data, js.len, "${", 2)) {
        cv_doc again;
        cv_err err2;
        cv_err_clear(&err2);
        int rc2 = cv_config_parse(&again, "again.json", js.data, js.len, NULL, &err2);
        if (rc2 == 0) {
            cv_buf js2;
            cv_buf_init(&js2);
            cv_node_to_json(again.root, &js2);
            FUZZ_ASSERT(js2.len == js.len && memcmp(js.data, js2.data, js.len) == 0, "JSON round trip differs:\n%s\n%s",
                        js.data, js2.data);
            cv_buf_free(&js2);
        } else {
            /* dotted keys nest deeper than braces: the JSON form may exceed
             * the parser's depth bound, nothing else may fail */
            FUZZ_ASSERT(strstr(err2.msg, "too deep"), "our JSON does not parse: %s at %u:%u\n%s", err2.msg, err2.line,
                        err2.col, js.data);
        }
        cv_doc_free(&again);
    }
    cv_buf_free(&js);
    cv_doc_free(&doc);
    return 0;
}
