/* fuzz_jsonpath.c — the JsonPath transform's two parsers: JSONPath
 * expressions (jpath.c) and the lenient JSON document tree (jdom.c).
 * Input: the path, a newline, then the document. A document that parses
 * writes out as JSON that parses back and writes the same (strict JSON
 * unless it keeps a lenient number such as 007 as written); a path either
 * compiles or says why and where; evaluating it yields nodes that write
 * out the same way. */
#include "fuzz.h"
#include "transforms/jsonpath/jsonpath_int.h"

/* Numbers are written as they were read: only leading zeros (which the
 * lenient reader takes) keep the text from being strict JSON. */
static bool strict_numbers(const cv__jnode *v)
{
    if (v->kind == CV__J_NUM) {
        const char *p = v->text + (v->text[0] == '-');
        return !(p[0] == '0' && v->len > (uint32_t)(p - v->text) + 1 && p[1] >= '0' && p[1] <= '9');
    }
    for (const cv__jnode *c = v->child; c; c = c->next)
        if (!strict_numbers(c)) return false;
    return true;
}

/* v written, parsed back and written again: the same text. */
static void round_trip(cv_arena *a, const cv__jnode *v, const char *what)
{
    cv_buf w1, w2;
    cv_buf_init(&w1);
    cv_buf_init(&w2);
    cv__jdom_write(v, &w1);
    if (w1.oom) goto out;
    FUZZ_ASSERT(w1.data && w1.len, "%s wrote nothing", what);
    const char *why = NULL;
    cv__jnode *back = cv__jdom_parse(a, w1.data, w1.len, &why);
    FUZZ_ASSERT(back, "%s written as %s does not parse back: %s", what, w1.data, why ? why : "?");
    cv__jdom_write(back, &w2);
    if (w2.oom) goto out;
    FUZZ_ASSERT(w1.len == w2.len && memcmp(w1.data, w2.data, w1.len) == 0, "%s: writing is not stable: %s vs %s", what,
                w1.data, w2.data);
    /* strings and keys are escaped: no NUL inside, and strict JSON apart
     * from lenient numbers */
    FUZZ_ASSERT(strlen(w1.data) == w1.len, "%s: a raw NUL in the written JSON", what);
    if (strict_numbers(v)) FUZZ_ASSERT(fuzz_json_valid(w1.data), "%s: not JSON: %s", what, w1.data);
out:
    cv_buf_free(&w1);
    cv_buf_free(&w2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192) return 0;
    const char *nl = memchr(data, '\n', size);
    size_t plen = nl ? (size_t)(nl - (const char *)data) : size;
    char *path = cv_strndup((const char *)data, plen);
    /* the document as an exact-size copy, so reads past it are caught */
    size_t dlen = nl ? size - plen - 1 : 0;
    char *doc = cv_malloc(dlen ? dlen : 1);
    if (!path || !doc) goto out0;
    if (dlen) memcpy(doc, nl + 1, dlen);

    cv_arena a;
    cv_arena_init(&a, 0);
    cv__jpath *p = NULL;
    const char *why = NULL;
    size_t at = 0;
    int rc = cv__jpath_compile(&a, path, &p, &why, &at);
    if (rc < 0) {
        FUZZ_ASSERT(why && why[0], "path \"%s\" rejected (%d) without a reason", path, rc);
        FUZZ_ASSERT(at <= strlen(path), "path \"%s\": error position %zu past its end", path, at);
    } else {
        FUZZ_ASSERT(p != NULL, "path \"%s\" compiled to nothing", path);
    }

    const char *dwhy = NULL;
    cv__jnode *root = cv__jdom_parse(&a, doc, dlen, &dwhy);
    if (!root) {
        FUZZ_ASSERT(dwhy && dwhy[0], "a document was rejected without a reason");
    } else {
        round_trip(&a, root, "the document");
        if (p) {
            const char *ewhy = NULL;
            cv__jnode *r = cv__jpath_eval(&a, p, root, &ewhy);
            if (r) {
                round_trip(&a, r, "the result");
                if (!cv__jpath_definite(p)) FUZZ_ASSERT(r->kind == CV__J_ARR, "an indefinite path gave no list");
            }
        }
    }
    cv_arena_free(&a);
out0:
    cv_free(doc);
    cv_free(path);
    return 0;
}
