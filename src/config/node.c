/* node.c — reading a parsed tree: lookups by key and dotted path, scalar
 * conversions with HOCON's leniency (numbers and booleans may be written as
 * strings), JSON rendering, and loading a file into a document. */
#include "config_int.h"

#include <errno.h>
#include <string.h>

cv_pos cv_node_pos(const cv_node *n)
{
    cv_pos p = {0};
    if (!n) return p;
    p.file = n->src ? n->src->file : NULL;
    p.text = n->src ? n->src->text : NULL;
    p.line = n->line;
    p.col = n->col;
    return p;
}

cv_pos cv_member_pos(const cv_node *obj, const cv_member *m)
{
    cv_pos p = cv_node_pos(obj);
    p.line = m->line;
    p.col = m->col;
    return p;
}

const char *cv_node_kind_name(cv_node_kind k)
{
    switch (k) {
    case CV_NODE_NULL: return "null";
    case CV_NODE_BOOL: return "boolean";
    case CV_NODE_NUMBER: return "number";
    case CV_NODE_STRING: return "string";
    case CV_NODE_ARRAY: return "array";
    case CV_NODE_OBJECT: return "object";
    default: return "unresolved value";
    }
}

const cv_node *cv_node_get(const cv_node *obj, const char *key)
{
    if (!obj || obj->kind != CV_NODE_OBJECT) return NULL;
    for (uint32_t i = obj->u.obj.n; i-- > 0;)
        if (strcmp(obj->u.obj.m[i].key, key) == 0) return obj->u.obj.m[i].val;
    return NULL;
}

const cv_node *cv_node_path(const cv_node *obj, const char *path)
{
    if (!obj || obj->kind != CV_NODE_OBJECT) return NULL;
    const cv_node *n = cv_node_get(obj, path);
    if (n) return n;
    for (const char *dot = strchr(path, '.'); dot; dot = strchr(dot + 1, '.')) {
        size_t k = (size_t)(dot - path);
        for (uint32_t i = obj->u.obj.n; i-- > 0;) {
            const cv_member *m = &obj->u.obj.m[i];
            if (strlen(m->key) == k && memcmp(m->key, path, k) == 0 && m->val->kind == CV_NODE_OBJECT) {
                const cv_node *r = cv_node_path(m->val, dot + 1);
                if (r) return r;
            }
        }
    }
    return NULL;
}

bool cv_node_i64(const cv_node *n, int64_t *out)
{
    if (!n || (n->kind != CV_NODE_NUMBER && n->kind != CV_NODE_STRING)) return false;
    const char *t = n->text;
    size_t len = n->len;
    while (len && (*t == ' ')) t++, len--;
    while (len && t[len - 1] == ' ') len--;
    if (cv_parse_i64(t, len, out)) return true;
    /* 1e3 or 5.0: integral values written as decimals */
    double d;
    /* range first: converting an out-of-range double is undefined */
    if (cv__looks_numeric(t, len) && cv_parse_f64(t, len, &d) && d > -9.2e18 && d < 9.2e18 && d == (double)(int64_t)d) {
        *out = (int64_t)d;
        return true;
    }
    return false;
}

bool cv_node_f64(const cv_node *n, double *out)
{
    if (!n || (n->kind != CV_NODE_NUMBER && n->kind != CV_NODE_STRING)) return false;
    const char *t = n->text;
    size_t len = n->len;
    while (len && *t == ' ') t++, len--;
    while (len && t[len - 1] == ' ') len--;
    return cv_parse_f64(t, len, out);
}

bool cv_node_bool(const cv_node *n, bool *out)
{
    if (!n || (n->kind != CV_NODE_BOOL && n->kind != CV_NODE_STRING)) return false;
    static const char *yes[] = {"true", "yes", "on"}, *no[] = {"false", "no", "off"};
    for (int i = 0; i < 3; i++) {
        if (cv_streq_nocase(n->text, yes[i])) {
            *out = true;
            return true;
        }
        if (cv_streq_nocase(n->text, no[i])) {
            *out = false;
            return true;
        }
    }
    return false;
}

const char *cv_node_str(const cv_node *n) { return n && cv_node_is_scalar(n) ? n->text : NULL; }

/* HOCON numbers are looser than JSON's (".5", "5.", "+1", "01", "2.e3"). */
static bool json_number(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-') i++;
    if (i < n && s[i] == '0')
        i++;
    else if (i < n && s[i] >= '1' && s[i] <= '9')
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    else
        return false;
    if (i < n && s[i] == '.') {
        if (++i >= n || s[i] < '0' || s[i] > '9') return false;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        if (i >= n || s[i] < '0' || s[i] > '9') return false;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    }
    return i == n;
}

/* Every value under a key that names a secret (password, token, …, at
 * any depth: properties { password = … }, kafka.config { sasl.jaas.config
 * = … }) is masked in all output from now on. */
static int register_secrets(const cv_node *n, bool secret, cv_err *err)
{
    if (secret && cv_node_is_scalar(n) && cv_secret_add(n->text, n->len) < 0)
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    if (n->kind == CV_NODE_OBJECT)
        for (uint32_t i = 0; i < n->u.obj.n; i++) {
            const cv_member *m = &n->u.obj.m[i];
            CV_TRY(register_secrets(m->val, secret || cv_secret_key(m->key, strlen(m->key)), err));
        }
    else if (n->kind == CV_NODE_ARRAY)
        for (uint32_t i = 0; i < n->u.arr.n; i++) CV_TRY(register_secrets(n->u.arr.v[i], secret, err));
    return 0;
}

static void to_json(const cv_node *n, bool secret, cv_buf *out);

void cv_node_to_json(const cv_node *n, cv_buf *out) { to_json(n, false, out); }

/* Values under secret keys print as "******". */
static void to_json(const cv_node *n, bool secret, cv_buf *out)
{
    if (secret && cv_node_is_scalar(n)) {
        cv_buf_puts(out, "\"******\"");
        return;
    }
    switch (n->kind) {
    case CV_NODE_NULL: cv_buf_puts(out, "null"); break;
    case CV_NODE_BOOL:
    case CV_NODE_NUMBER:
        if (n->kind == CV_NODE_NUMBER && !json_number(n->text, n->len))
            cv_buf_json_str(out, n->text, n->len); /* not valid JSON as a number */
        else
            cv_buf_put(out, n->text, n->len);
        break;
    case CV_NODE_STRING: cv_buf_json_str(out, n->text, n->len); break;
    case CV_NODE_ARRAY:
        cv_buf_putc(out, '[');
        for (uint32_t i = 0; i < n->u.arr.n; i++) {
            if (i) cv_buf_putc(out, ',');
            to_json(n->u.arr.v[i], secret, out);
        }
        cv_buf_putc(out, ']');
        break;
    case CV_NODE_OBJECT:
        cv_buf_putc(out, '{');
        for (uint32_t i = 0; i < n->u.obj.n; i++) {
            if (i) cv_buf_putc(out, ',');
            const char *k = n->u.obj.m[i].key;
            cv_buf_json_str(out, k, strlen(k));
            cv_buf_putc(out, ':');
            to_json(n->u.obj.m[i].val, secret || cv_secret_key(k, strlen(k)), out);
        }
        cv_buf_putc(out, '}');
        break;
    default: cv_buf_puts(out, "null"); break;
    }
}

void cv__repoint(cv_node *n, const cv_src *from, const cv_src *to)
{
    if (n->src == from) n->src = to;
    if (n->kind == CV_NODE_OBJECT)
        for (uint32_t i = 0; i < n->u.obj.n; i++) cv__repoint(n->u.obj.m[i].val, from, to);
    else if (n->kind == CV_NODE_ARRAY || n->kind == CV__NODE_CONCAT)
        for (uint32_t i = 0; i < n->u.arr.n; i++) cv__repoint(n->u.arr.v[i], from, to);
}

int cv_config_parse(cv_doc *doc, const char *file, const char *text, size_t len, const cv_vars *vars, cv_err *err)
{
    memset(doc, 0, sizeof *doc);
    cv_arena_init(&doc->arena, 16384);
    doc->text = cv_arena_strndup(&doc->arena, text, len);
    doc->src.file = cv_arena_strdup(&doc->arena, file ? file : "<config>");
    if (!doc->text || !doc->src.file) return cv_err_set(err, CV_ENOMEM, "out of memory");
    doc->src.text = doc->text;
    CV_TRY(cv__parse_text(doc, len, err));
    CV_TRY(cv__resolve(doc, vars, err));
    return register_secrets(doc->root, false, err);
}

int cv_config_load(cv_doc *doc, const char *path, const cv_vars *vars, cv_err *err)
{
    memset(doc, 0, sizeof *doc);
    FILE *f = fopen(path, "rb");
    if (!f) return cv_err_set(err, CV_EIO, "cannot open %s: %s", path, strerror(errno));
    cv_buf b;
    cv_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        cv_buf_put(&b, chunk, n);
        if (b.len > (64u << 20)) break;
    }
    bool bad = ferror(f);
    fclose(f);
    int rc;
    if (bad)
        rc = cv_err_set(err, CV_EIO, "cannot read %s", path);
    else if (b.oom)
        rc = cv_err_set(err, CV_ENOMEM, "out of memory reading %s", path);
    else if (b.len > (64u << 20))
        rc = cv_err_set(err, CV_EIO, "%s is larger than 64 MiB", path);
    else
        rc = cv_config_parse(doc, path, b.data ? b.data : "", b.len, vars, err);
    cv_buf_free(&b);
    return rc;
}

void cv_doc_free(cv_doc *doc)
{
    cv_arena_free(&doc->arena);
    doc->root = NULL;
    doc->text = NULL;
}
