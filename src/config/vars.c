/* vars.c — the substitution pass. After parsing, every ${…} is replaced:
 * unquoted ones by a value (a -i variable, an environment variable, a
 * config path, or the default), quoted ones by interpolating text.
 * Placeholders that sinks fill per table (${table_name}, ${now}, …) stay
 * as written. Unlike SeaTunnel, any other unresolved variable is an error
 * at its position: a silently kept "${x}" only fails later and obscurely. */
#include "config_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_RESOLVE_DEPTH 32
/* References copy values, so a few lines can describe an exponentially
 * large document (b = ${a}${a}, c = ${b}${b}, …). Every value visited
 * while resolving a reference counts; past this budget resolution stops
 * with an error instead of running for hours. Real job files stay orders
 * of magnitude below it. */
#define MAX_RESOLVE_STEPS (1u << 18)
/* Likewise for text built by substitution: SQL and paths need kilobytes;
 * 16 MiB leaves room for huge -i values and stops runaway doubling. */
#define MAX_RESOLVE_BYTES ((size_t)16 << 20)

typedef struct {
    cv_doc *doc;
    const cv_vars *vars;
    cv_err *err;
    int depth;
    uint32_t steps;
    size_t bytes;         /* text built by interpolation and concatenation */
    const cv_node *outer; /* the outermost ${path} being resolved */
} resolver;

static int too_big(resolver *r, const cv_node *nd, const char *what, size_t limit)
{
    cv_pos p = cv_node_pos(r->outer ? r->outer : nd);
    return cv_err_at(r->err, CV_ECONFIG, &p,
                     "substitutions expand the config beyond %zu %s (references that copy "
                     "references, doubling at each step?)",
                     limit, what);
}

static const char *const reserved[] = {
    "database_name",   "schema_name", "table_name", "schema_full_name",
    "table_full_name", "primary_key", "unique_key", "field_names",
};

/* Filled by sinks/writers at run time; -i may still set the non-reserved. */
static const char *const runtime[] = {
    "transactionId",
    "now",
    "uuid",
    "database",
    "table",
    "rowtype_fields",
    "rowtype_primary_key",
    "rowtype_unique_key",
    "rowtype_duplicate_key",
    "comment",
};

bool cv_config_is_reserved_var(const char *name)
{
    for (size_t i = 0; i < CV_ARRAY_LEN(reserved); i++)
        if (strcmp(name, reserved[i]) == 0) return true;
    return false;
}

static bool name_is(const char *name, size_t n, const char *const *list, size_t cnt)
{
    for (size_t i = 0; i < cnt; i++)
        if (strlen(list[i]) == n && memcmp(list[i], name, n) == 0) return true;
    return false;
}

bool cv_config_is_placeholder(const char *name, size_t n)
{
    if (name_is(name, n, reserved, CV_ARRAY_LEN(reserved))) return true;
    if (name_is(name, n, runtime, CV_ARRAY_LEN(runtime))) return true;
    /* partition keys and values: ${k0}, ${v0}, … */
    if (n >= 2 && (name[0] == 'k' || name[0] == 'v')) {
        for (size_t i = 1; i < n; i++)
            if (name[i] < '0' || name[i] > '9') return false;
        return true;
    }
    return false;
}

static bool reserved_name(const char *name, size_t n) { return name_is(name, n, reserved, CV_ARRAY_LEN(reserved)); }

/* Look a variable up in -i values, then the environment. */
static const char *lookup(resolver *r, const char *name, size_t n, const char **from)
{
    const cv_vars *v = r->vars;
    if (v)
        for (size_t i = v->n; i-- > 0;)
            if (strlen(v->names[i]) == n && memcmp(v->names[i], name, n) == 0) {
                *from = "-i";
                return v->values[i];
            }
    if (v && v->no_env) return NULL;
    if (cv_config_is_placeholder(name, n)) return NULL;
    char tmp[256];
    if (n >= sizeof tmp) return NULL;
    memcpy(tmp, name, n);
    tmp[n] = '\0';
    const char *e = getenv(tmp);
    if (e) *from = "environment";
    return e;
}

/* A variable's value on its way into the job: UTF-8 like the file, and
 * masked in every output when its name says it is a secret. */
static int check_value(resolver *r, const cv_node *at, uint32_t coloff, const char *name, size_t n, const char *val,
                       const char *from)
{
    size_t len = strlen(val), ok = cv_utf8_prefix(val, len);
    if (ok < len) {
        cv_pos p = cv_node_pos(at);
        p.col += coloff;
        return cv_err_at(r->err, CV_ECONFIG, &p,
                         "variable ${%.*s} (from %s) is not valid UTF-8: byte 0x%02X at offset %zu", (int)n, name,
                         from ? from : "-i", (unsigned char)val[ok], ok);
    }
    if (cv_secret_key(name, n) && cv_secret_add(val, len) < 0) return cv_err_set(r->err, CV_ENOMEM, "out of memory");
    return 0;
}

static cv_node *make_string(resolver *r, const cv_node *like, const char *s, size_t n, bool quoted)
{
    cv_node *nd = cv_arena_zalloc(&r->doc->arena, sizeof *nd);
    if (!nd) return NULL;
    nd->kind = CV_NODE_STRING;
    nd->quoted = quoted;
    nd->src = like->src;
    nd->line = like->line;
    nd->col = like->col;
    nd->text = cv_arena_strndup(&r->doc->arena, s, n);
    nd->len = n;
    return nd->text ? nd : NULL;
}

/* A variable's text becomes a value: lists/objects are parsed as HOCON
 * (-i tags=[a,b] gives a list), numbers and booleans keep their kind. */
static int value_from_text(resolver *r, const cv_node *at, const char *name, size_t nlen, const char *text,
                           cv_node **out)
{
    size_t n = strlen(text);
    const char *t = text;
    while (*t == ' ' || *t == '\t') t++;
    if (*t == '[' || *t == '{') {
        cv_src *src = cv_arena_zalloc(&r->doc->arena, sizeof *src);
        if (!src) return cv_err_set(r->err, CV_ENOMEM, "out of memory");
        src->file = cv_arena_printf(&r->doc->arena, "variable %.*s", (int)nlen, name);
        src->text = cv_arena_strndup(&r->doc->arena, text, n);
        if (!src->file || !src->text) return cv_err_set(r->err, CV_ENOMEM, "out of memory");
        CV_TRY(cv__parse_value_text(r->doc, src, n, out, r->err));
        (*out)->line = at->line;
        (*out)->col = at->col;
        (*out)->src = at->src;
        return 0;
    }
    cv_node *nd = make_string(r, at, text, n, false);
    if (!nd) return cv_err_set(r->err, CV_ENOMEM, "out of memory");
    int64_t iv;
    double dv;
    if (n == 4 && memcmp(text, "true", 4) == 0)
        nd->kind = CV_NODE_BOOL;
    else if (n == 5 && memcmp(text, "false", 5) == 0)
        nd->kind = CV_NODE_BOOL;
    else if (cv_parse_i64(text, n, &iv) || (cv__looks_numeric(text, n) && cv_parse_f64(text, n, &dv)))
        nd->kind = CV_NODE_NUMBER;
    *out = nd;
    return 0;
}

static int unresolved(resolver *r, const cv_node *at, uint32_t coloff, const char *name, size_t n)
{
    cv_pos p = cv_node_pos(at);
    p.col += coloff;
    if (reserved_name(name, n)) /* cannot happen: kept verbatim */
        return 0;
    return cv_err_at(r->err, CV_ECONFIG, &p,
                     "unresolved variable ${%.*s}: pass -i %.*s=VALUE or set the environment "
                     "variable, or give a default as ${%.*s:default}",
                     (int)n, name, (int)n, name, (int)n, name);
}

static int resolve(resolver *r, cv_node **slot, bool *absent);

/* ${…} written unquoted: the node becomes the variable's value. */
static int resolve_subst(resolver *r, cv_node **slot, bool *absent)
{
    cv_node *nd = *slot;
    const char *t = nd->text;
    size_t n = nd->len;
    bool optional = false;
    if (n && t[0] == '?') {
        optional = true;
        t++;
        n--;
    }
    const char *colon = memchr(t, ':', n);
    size_t nlen = colon ? (size_t)(colon - t) : n;
    while (nlen && t[nlen - 1] == ' ') nlen--;
    if (nlen == 0) {
        cv_pos p = cv_node_pos(nd);
        return cv_err_at(r->err, CV_ESYNTAX, &p, "empty variable name in ${%.*s}", (int)nd->len, nd->text);
    }
    if (reserved_name(t, nlen)) {
        cv_node *s = cv_arena_zalloc(&r->doc->arena, sizeof *s);
        if (!s) return cv_err_set(r->err, CV_ENOMEM, "out of memory");
        *s = *nd;
        s->kind = CV_NODE_STRING;
        s->text = cv_arena_printf(&r->doc->arena, "${%s}", nd->text);
        if (!s->text) return cv_err_set(r->err, CV_ENOMEM, "out of memory");
        s->len = strlen(s->text);
        *slot = s;
        return 0;
    }
    const char *from = NULL;
    const char *val = lookup(r, t, nlen, &from);
    if (val) {
        CV_TRY(check_value(r, nd, 0, t, nlen, val, from));
        return value_from_text(r, nd, t, nlen, val, slot);
    }
    /* a HOCON path in this very document */
    char path[256];
    if (nlen < sizeof path && !cv_config_is_placeholder(t, nlen)) {
        memcpy(path, t, nlen);
        path[nlen] = '\0';
        const cv_node *target = cv_node_path(r->doc->root, path);
        if (target && target != nd) {
            if (++r->depth > MAX_RESOLVE_DEPTH) {
                cv_pos p = cv_node_pos(nd);
                return cv_err_at(r->err, CV_ECONFIG, &p, "variable ${%s} refers to itself", path);
            }
            cv_node *copy = (cv_node *)target;
            bool ab = false;
            if (r->depth == 1) r->outer = nd;
            int rc = resolve(r, &copy, &ab);
            if (r->depth == 1) r->outer = NULL;
            r->depth--;
            if (rc < 0) return rc;
            if (!ab) {
                *slot = copy;
                return 0;
            }
        }
    }
    if (colon) {
        const char *d = colon + 1;
        size_t dn = n - (size_t)(d - t);
        char *dt = cv_arena_strndup(&r->doc->arena, d, dn);
        if (!dt) return cv_err_set(r->err, CV_ENOMEM, "out of memory");
        return value_from_text(r, nd, t, nlen, dt, slot);
    }
    if (cv_config_is_placeholder(t, nlen)) {
        cv_node *s = make_string(r, nd, "", 0, false);
        if (!s) return cv_err_set(r->err, CV_ENOMEM, "out of memory");
        s->text = cv_arena_printf(&r->doc->arena, "${%s}", nd->text);
        if (!s->text) return cv_err_set(r->err, CV_ENOMEM, "out of memory");
        s->len = strlen(s->text);
        *slot = s;
        return 0;
    }
    if (optional) {
        *absent = true;
        return 0;
    }
    return unresolved(r, nd, 0, t, nlen);
}

/* "…${name}…" inside a string: interpolate, keeping placeholders. */
static int interpolate(resolver *r, cv_node **slot)
{
    cv_node *nd = *slot;
    const char *s = nd->text, *e = s + nd->len;
    if (!memmem(s, nd->len, "${", 2)) return 0;
    cv_buf out;
    cv_buf_init(&out);
    const char *p = s;
    int rc = 0;
    while (p < e) {
        const char *d = memmem(p, (size_t)(e - p), "${", 2);
        if (!d) {
            cv_buf_put(&out, p, (size_t)(e - p));
            break;
        }
        cv_buf_put(&out, p, (size_t)(d - p));
        const char *close = memchr(d + 2, '}', (size_t)(e - d - 2));
        const char *inner = d + 2;
        size_t in = close ? (size_t)(close - inner) : 0;
        const char *colon = close ? memchr(inner, ':', in) : NULL;
        size_t nlen = colon ? (size_t)(colon - inner) : in;
        bool ok_name = close && nlen > 0 && !memchr(inner, '{', nlen);
        if (!ok_name) { /* not a variable reference: keep the text */
            cv_buf_put(&out, d, 2);
            p = d + 2;
            continue;
        }
        const char *from = NULL;
        const char *val = reserved_name(inner, nlen) ? NULL : lookup(r, inner, nlen, &from);
        uint32_t off = nd->quoted && memchr(s, '\n', (size_t)(d - s)) == NULL ? (uint32_t)(d - s) + 1 : 0;
        if (val) {
            if ((rc = check_value(r, nd, off, inner, nlen, val, from)) < 0) break;
            cv_buf_puts(&out, val);
        } else if (cv_config_is_placeholder(inner, nlen)) {
            cv_buf_put(&out, d, (size_t)(close + 1 - d));
        } else if (colon) {
            cv_buf_put(&out, colon + 1, (size_t)(close - colon - 1));
        } else {
            rc = unresolved(r, nd, off, inner, nlen);
            break;
        }
        p = close + 1;
    }
    if (rc == 0 && (r->bytes += out.len) > MAX_RESOLVE_BYTES) rc = too_big(r, nd, "bytes of text", MAX_RESOLVE_BYTES);
    if (rc == 0) {
        if (out.oom)
            rc = cv_err_set(r->err, CV_ENOMEM, "out of memory");
        else {
            cv_node *ns = make_string(r, nd, out.data ? out.data : "", out.len, nd->quoted);
            if (!ns)
                rc = cv_err_set(r->err, CV_ENOMEM, "out of memory");
            else
                *slot = ns;
        }
    }
    cv_buf_free(&out);
    return rc;
}

static int resolve_concat(resolver *r, cv_node **slot)
{
    cv_node *nd = *slot;
    cv_buf out;
    cv_buf_init(&out);
    int rc = 0;
    bool quoted = false;
    for (uint32_t i = 0; i < nd->u.arr.n && rc == 0; i++) {
        cv_node *piece = nd->u.arr.v[i];
        /* HOCON: a literal null joins as "null", a substitution that is
         * null as nothing */
        bool literal = piece->kind != CV__NODE_SUBST;
        bool absent = false;
        if ((rc = resolve(r, &piece, &absent)) < 0) break;
        if (absent) continue; /* ${?x} without a value contributes nothing */
        if (!cv_node_is_scalar(piece) && piece->kind != CV_NODE_NULL) {
            cv_pos p = cv_node_pos(piece);
            rc = cv_err_at(r->err, CV_ECONFIG, &p, "cannot join an %s with text", cv_node_kind_name(piece->kind));
            break;
        }
        quoted |= piece->quoted;
        if (r->bytes + out.len + piece->len > MAX_RESOLVE_BYTES) {
            rc = too_big(r, nd, "bytes of text", MAX_RESOLVE_BYTES);
            break;
        }
        if (piece->kind != CV_NODE_NULL || literal) cv_buf_put(&out, piece->text, piece->len);
    }
    r->bytes += out.len;
    if (rc == 0) {
        cv_node *ns = out.oom ? NULL : make_string(r, nd, out.data ? out.data : "", out.len, quoted);
        if (!ns)
            rc = cv_err_set(r->err, CV_ENOMEM, "out of memory");
        else
            *slot = ns;
    }
    cv_buf_free(&out);
    return rc;
}

static int resolve(resolver *r, cv_node **slot, bool *absent)
{
    cv_node *nd = *slot;
    /* the document itself is linear to walk; only copies made through
     * references count */
    if (r->depth > 0 && ++r->steps > MAX_RESOLVE_STEPS) return too_big(r, nd, "values", MAX_RESOLVE_STEPS);
    switch (nd->kind) {
    case CV_NODE_STRING: return interpolate(r, slot);
    case CV__NODE_SUBST: return resolve_subst(r, slot, absent);
    case CV__NODE_CONCAT: return resolve_concat(r, slot);
    case CV_NODE_OBJECT: {
        uint32_t w = 0;
        for (uint32_t i = 0; i < nd->u.obj.n; i++) {
            bool ab = false;
            CV_TRY(resolve(r, &nd->u.obj.m[i].val, &ab));
            if (!ab) nd->u.obj.m[w++] = nd->u.obj.m[i];
        }
        nd->u.obj.n = w;
        return 0;
    }
    case CV_NODE_ARRAY: {
        uint32_t w = 0;
        for (uint32_t i = 0; i < nd->u.arr.n; i++) {
            bool ab = false;
            CV_TRY(resolve(r, &nd->u.arr.v[i], &ab));
            if (!ab) nd->u.arr.v[w++] = nd->u.arr.v[i];
        }
        nd->u.arr.n = w;
        return 0;
    }
    default: return 0;
    }
}

int cv__resolve(cv_doc *doc, const cv_vars *vars, cv_err *err)
{
    if (vars)
        for (size_t i = 0; i < vars->n; i++)
            if (cv_config_is_reserved_var(vars->names[i]))
                return cv_err_set(err, CV_ECONFIG,
                                  "-i %s=…: \"%s\" is a placeholder that sinks fill in per "
                                  "table; it cannot be set as a variable",
                                  vars->names[i], vars->names[i]);
    resolver r = {doc, vars, err, 0, 0, 0, NULL};
    bool absent = false;
    return resolve(&r, &doc->root, &absent);
}
