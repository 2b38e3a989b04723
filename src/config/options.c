/* options.c — option tables: the single description of a plugin's settings
 * that validates configs, fills settings structs, supplies defaults and
 * renders documentation. Dotted option keys ("row.num") match both the
 * nested form (row { num = 1 }) and a literal quoted key ("row.num" = 1). */
#include "config_int.h"

#include <stdatomic.h>
#include <string.h>

const char *cv_opt_type_name(cv_opt_type t)
{
    switch (t) {
    case CV_OPT_BOOL: return "boolean";
    case CV_OPT_INT: return "int";
    case CV_OPT_DOUBLE: return "double";
    case CV_OPT_STRING: return "string";
    case CV_OPT_ENUM: return "enum";
    case CV_OPT_STRLIST: return "list<string>";
    case CV_OPT_OBJECT: return "object";
    case CV_OPT_LIST: return "list";
    case CV_OPT_ANY: return "any";
    }
    return "?";
}

static bool alias_match(const char *aliases, const char *key)
{
    if (!aliases) return false;
    size_t kl = strlen(key);
    for (const char *p = aliases; *p;) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        if (n == kl && memcmp(p, key, n) == 0) return true;
        if (!c) break;
        p = c + 1;
    }
    return false;
}

static bool opt_matches(const cv_option *o, const char *key, bool *via_alias)
{
    *via_alias = false;
    if (o->flags & CV_OPT_PREFIX) return strncmp(key, o->key, strlen(o->key)) == 0;
    if (strcmp(o->key, key) == 0) return true;
    if (alias_match(o->aliases, key)) {
        *via_alias = true;
        return true;
    }
    return false;
}

const cv_option *cv_option_find(const cv_option *opts, const char *key)
{
    bool al;
    for (const cv_option *o = opts; o->key; o++)
        if (opt_matches(o, key, &al)) return o;
    return NULL;
}

int cv_strlist_from_text(cv_arena *a, const char *s, cv_strlist *out)
{
    out->v = NULL;
    out->n = 0;
    size_t len = strlen(s);
    while (len && (*s == ' ')) s++, len--;
    while (len && s[len - 1] == ' ') len--;
    if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
        s++;
        len -= 2;
    }
    if (len == 0) return 0;
    size_t cnt = 1;
    for (size_t i = 0; i < len; i++) cnt += s[i] == ',';
    out->v = cv_arena_alloc(a, cnt * sizeof *out->v);
    if (!out->v) return CV_ENOMEM;
    const char *p = s, *e = s + len;
    while (p <= e) {
        const char *c = memchr(p, ',', (size_t)(e - p));
        const char *q = c ? c : e;
        const char *a0 = p, *a1 = q;
        while (a0 < a1 && *a0 == ' ') a0++;
        while (a1 > a0 && a1[-1] == ' ') a1--;
        if (a1 - a0 >= 2 && ((*a0 == '"' && a1[-1] == '"') || (*a0 == '\'' && a1[-1] == '\''))) {
            a0++;
            a1--;
        }
        if (!(out->v[out->n++] = cv_arena_strndup(a, a0, (size_t)(a1 - a0)))) return CV_ENOMEM;
        if (!c) break;
        p = c + 1;
    }
    return 0;
}

static int type_error(cv_err *err, const cv_option *o, const cv_node *n, const char *expects)
{
    cv_pos p = cv_node_pos(n);
    const char *txt = cv_node_str(n);
    if (txt)
        return cv_err_at(err, CV_ECONFIG, &p, "option %s expects %s, but got %s\"%s\"", o->key, expects,
                         n->kind == CV_NODE_STRING ? "the string " : "", txt);
    return cv_err_at(err, CV_ECONFIG, &p, "option %s expects %s, but got %s %s", o->key, expects,
                     n->kind == CV_NODE_ARRAY || n->kind == CV_NODE_OBJECT ? "an" : "", cv_node_kind_name(n->kind));
}

int cv_option_convert(cv_arena *a, const cv_option *o, const cv_node *n, void *dst, cv_err *err)
{
    switch (o->type) {
    case CV_OPT_BOOL: {
        bool b;
        if (!cv_node_bool(n, &b)) return type_error(err, o, n, "true or false");
        if (dst) *(bool *)dst = b;
        return 0;
    }
    case CV_OPT_INT: {
        int64_t v;
        if (!cv_node_i64(n, &v)) return type_error(err, o, n, "an integer");
        if (o->min < o->max && (v < o->min || v > o->max)) {
            cv_pos p = cv_node_pos(n);
            return cv_err_at(err, CV_ECONFIG, &p, "option %s must be between %lld and %lld, but is %lld", o->key,
                             (long long)o->min, (long long)o->max, (long long)v);
        }
        if (dst) *(int64_t *)dst = v;
        return 0;
    }
    case CV_OPT_DOUBLE: {
        double v;
        if (!cv_node_f64(n, &v)) return type_error(err, o, n, "a number");
        if (dst) *(double *)dst = v;
        return 0;
    }
    case CV_OPT_STRING:
        if (!cv_node_is_scalar(n)) return type_error(err, o, n, "a string");
        if (dst) *(const char **)dst = n->text;
        return 0;
    case CV_OPT_ENUM: {
        if (!cv_node_is_scalar(n)) return type_error(err, o, n, "one of its allowed values");
        for (int i = 0; o->enums && o->enums[i]; i++)
            if (cv_streq_nocase(o->enums[i], n->text)) {
                if (dst) *(int *)dst = i;
                return 0;
            }
        cv_buf allowed;
        cv_buf_init(&allowed);
        size_t cnt = 0;
        for (int i = 0; o->enums && o->enums[i]; i++, cnt++)
            cv_buf_printf(&allowed, "%s%s", i ? ", " : "", o->enums[i]);
        const char *dym = cv_did_you_mean(n->text, (const char *const *)o->enums, cnt);
        cv_pos p = cv_node_pos(n);
        int rc =
            cv_err_at(err, CV_ECONFIG, &p, "option %s: \"%s\" is not allowed%s%s%s; use one of: %s", o->key, n->text,
                      dym ? " (did you mean " : "", dym ? dym : "", dym ? "?)" : "", allowed.data ? allowed.data : "");
        cv_buf_free(&allowed);
        return rc;
    }
    case CV_OPT_STRLIST: {
        cv_strlist l = {0};
        if (n->kind == CV_NODE_ARRAY) {
            l.v = cv_arena_alloc(a, (n->u.arr.n + 1) * sizeof *l.v);
            if (!l.v) return cv_err_set(err, CV_ENOMEM, "out of memory");
            for (uint32_t i = 0; i < n->u.arr.n; i++) {
                const cv_node *it = n->u.arr.v[i];
                if (!cv_node_is_scalar(it)) return type_error(err, o, it, "a list of strings");
                l.v[l.n++] = it->text;
            }
        } else if (cv_node_is_scalar(n)) {
            if (cv_strlist_from_text(a, n->text, &l) < 0) return cv_err_set(err, CV_ENOMEM, "out of memory");
        } else {
            return type_error(err, o, n, "a list of strings");
        }
        if (dst) *(cv_strlist *)dst = l;
        return 0;
    }
    case CV_OPT_OBJECT:
        if (n->kind != CV_NODE_OBJECT) return type_error(err, o, n, "an object { … }");
        if (dst) *(const cv_node **)dst = n;
        return 0;
    case CV_OPT_LIST:
        if (n->kind != CV_NODE_ARRAY) return type_error(err, o, n, "a list [ … ]");
        if (dst) *(const cv_node **)dst = n;
        return 0;
    case CV_OPT_ANY:
        if (dst) *(const cv_node **)dst = n;
        return 0;
    }
    return 0;
}

static void *field(const cv_optset *s, const cv_option *o)
{
    return s->settings && o->offset != CV_NO_FIELD ? (char *)s->settings + o->offset : NULL;
}

static int apply_default(cv_arena *a, const cv_optset *s, const cv_option *o, cv_err *err)
{
    void *dst = field(s, o);
    if (!dst) return 0;
    if (!o->def) {
        /* unset without a default: NULL, empty, 0 — or -1 for enums */
        switch (o->type) {
        case CV_OPT_BOOL: *(bool *)dst = false; break;
        case CV_OPT_INT: *(int64_t *)dst = 0; break;
        case CV_OPT_DOUBLE: *(double *)dst = 0; break;
        case CV_OPT_ENUM: *(int *)dst = -1; break;
        case CV_OPT_STRLIST: *(cv_strlist *)dst = (cv_strlist){0}; break;
        case CV_OPT_STRING: *(const char **)dst = NULL; break;
        default: *(const cv_node **)dst = NULL; break;
        }
        return 0;
    }
    cv_node tmp = {.kind = CV_NODE_STRING, .text = o->def, .len = strlen(o->def)};
    /* a bad default is the table's fault, not the user's: report it as
     * such rather than as a type error without a position */
    cv_err why;
    cv_err_clear(&why);
    int rc = cv_option_convert(a, o, &tmp, dst, &why);
    if (rc < 0)
        return cv_err_set(err, rc == CV_ENOMEM ? rc : CV_EINTERNAL, "bad default \"%s\" for option %s: %s", o->def,
                          o->key, why.msg);
    return 0;
}

typedef struct {
    cv_arena *a;
    const cv_optset *sets;
    size_t nsets;
    const char *what;
    const cv_node **given;
    bool *by_alias;
    size_t *offsets;
    cv_err *err;
} applier;

static bool any_prefix(applier *ap, const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t s = 0; s < ap->nsets; s++)
        for (const cv_option *o = ap->sets[s].opts; o->key; o++) {
            if (strncmp(o->key, prefix, n) == 0 && o->key[n] == '.') return true;
            if (o->aliases) {
                /* aliases with dots count too */
                const char *p = o->aliases;
                while (p) {
                    if (strncmp(p, prefix, n) == 0 && p[n] == '.') return true;
                    p = strchr(p, ',');
                    if (p) p++;
                }
            }
        }
    return false;
}

static int unknown(applier *ap, const cv_node *obj, const cv_member *m, const char *key)
{
    CV_VEC(const char *) cands = {0};
    cv_buf valid;
    cv_buf_init(&valid);
    for (size_t s = 0; s < ap->nsets; s++)
        for (const cv_option *o = ap->sets[s].opts; o->key; o++) {
            if (o->flags & CV_OPT_IGNORED) continue;
            if (cv_vec_push(&cands, o->key) < 0) break;
            cv_buf_printf(&valid, "%s%s", valid.len ? ", " : "", o->key);
        }
    const char *dym = cv_did_you_mean(key, cands.v, cands.n);
    cv_pos p = cv_member_pos(obj, m);
    int rc = cv_err_at(ap->err, CV_ECONFIG, &p, "unknown option \"%s\" for %s%s%s%s; valid options: %s", key, ap->what,
                       dym ? " (did you mean \"" : "", dym ? dym : "", dym ? "\"?)" : "",
                       valid.data ? valid.data : "(none)");
    cv_vec_free(&cands);
    cv_buf_free(&valid);
    return rc;
}

static _Atomic bool lenient;

void cv_options_set_lenient(bool on) { atomic_store(&lenient, on); }

static int walk(applier *ap, const cv_node *obj, const char *prefix)
{
    cv_err *real_err = ap->err;
    for (uint32_t i = 0; i < obj->u.obj.n; i++) {
        const cv_member *m = &obj->u.obj.m[i];
        char key[256];
        int kn = snprintf(key, sizeof key, "%s%s", prefix, m->key);
        if (kn < 0 || (size_t)kn >= sizeof key) {
            cv_pos p = cv_member_pos(obj, m);
            return cv_err_at(ap->err, CV_ECONFIG, &p, "option name is too long%s", "");
        }
        bool found = false;
        for (size_t s = 0; s < ap->nsets && !found; s++) {
            size_t idx = ap->offsets[s];
            for (const cv_option *o = ap->sets[s].opts; o->key; o++, idx++) {
                bool via_alias;
                if (!opt_matches(o, key, &via_alias)) continue;
                found = true;
                /* the current name wins over its legacy alias */
                if (ap->given[idx] && via_alias && !ap->by_alias[idx]) break;
                CV_TRY(cv_option_convert(ap->a, o, m->val, field(&ap->sets[s], o), ap->err));
                if ((o->flags & CV_OPT_SECRET) && cv_node_is_scalar(m->val) &&
                    cv_secret_add(m->val->text, m->val->len) < 0)
                    return cv_err_set(ap->err, CV_ENOMEM, "out of memory");
                ap->given[idx] = m->val;
                ap->by_alias[idx] = via_alias;
                if (o->flags & CV_OPT_DEPRECATED)
                    cv_warn("%s:%u:%u: option %s of %s is deprecated%s%s", obj->src ? obj->src->file : "", m->line,
                            m->col, key, ap->what, o->note ? "; use " : "", o->note ? o->note : "");
                if (o->flags & CV_OPT_IGNORED)
                    cv_debug("option %s of %s is ignored%s%s", key, ap->what, o->note ? ": " : "",
                             o->note ? o->note : "");
                break;
            }
        }
        if (found) continue;
        if (m->val->kind == CV_NODE_OBJECT && any_prefix(ap, key)) {
            char sub[260];
            snprintf(sub, sizeof sub, "%s.", key);
            CV_TRY(walk(ap, m->val, sub));
            continue;
        }
        /* a dotted key (a.b.c = 1) nests objects: name the whole path */
        const cv_node *v = m->val;
        size_t kl = strlen(key);
        while (v->kind == CV_NODE_OBJECT && v->dotted && v->u.obj.n == 1) {
            int w = snprintf(key + kl, sizeof key - kl, ".%s", v->u.obj.m[0].key);
            if (w < 0 || (size_t)w >= sizeof key - kl) {
                key[kl] = '\0';
                break;
            }
            kl += (size_t)w;
            v = v->u.obj.m[0].val;
        }
        if (atomic_load(&lenient)) {
            cv_err tmp;
            cv_err_clear(&tmp);
            ap->err = &tmp;
            unknown(ap, obj, m, key);
            cv_warn("%s:%u:%u: %s (ignored: --lenient)", tmp.file, tmp.line, tmp.col, tmp.msg);
            ap->err = real_err;
            continue;
        }
        return unknown(ap, obj, m, key);
    }
    return 0;
}

int cv_options_apply(cv_arena *a, const cv_node *obj, const cv_optset *sets, size_t nsets, const char *what,
                     cv_optvals *vals, cv_err *err)
{
    if (vals) memset(vals, 0, sizeof *vals);
    if (!obj || obj->kind != CV_NODE_OBJECT) {
        cv_pos p = cv_node_pos(obj);
        return cv_err_at(err, CV_ECONFIG, &p, "%s must be configured with an object { … }", what);
    }
    size_t total = 0;
    size_t *offsets = cv_calloc(nsets + 1, sizeof *offsets);
    if (!offsets) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (size_t s = 0; s < nsets; s++) {
        offsets[s] = total;
        for (const cv_option *o = sets[s].opts; o->key; o++) total++;
    }
    const cv_node **given = cv_calloc(total + 1, sizeof *given);
    bool *by_alias = cv_calloc(total + 1, sizeof *by_alias);
    int rc = 0;
    if (!given || !by_alias) rc = cv_err_set(err, CV_ENOMEM, "out of memory");
    for (size_t s = 0; s < nsets && rc == 0; s++)
        for (const cv_option *o = sets[s].opts; o->key && rc == 0; o++) rc = apply_default(a, &sets[s], o, err);
    applier ap = {a, sets, nsets, what, given, by_alias, offsets, err};
    if (rc == 0) rc = walk(&ap, obj, "");
    for (size_t s = 0; s < nsets && rc == 0; s++) {
        size_t idx = offsets[s];
        for (const cv_option *o = sets[s].opts; o->key; o++, idx++)
            if ((o->flags & CV_OPT_REQUIRED) && !given[idx]) {
                cv_pos p = cv_node_pos(obj);
                rc = cv_err_at(err, CV_ECONFIG, &p, "%s is missing the required option \"%s\" (%s)", what, o->key,
                               o->doc ? o->doc : cv_opt_type_name(o->type));
                break;
            }
    }
    cv_free(by_alias);
    cv_optset *sets_copy = NULL;
    if (rc == 0 && vals) {
        /* callers often pass a stack array; keep our own copy */
        sets_copy = cv_malloc(nsets * sizeof *sets_copy);
        if (!sets_copy)
            rc = cv_err_set(err, CV_ENOMEM, "out of memory");
        else
            memcpy(sets_copy, sets, nsets * sizeof *sets_copy);
    }
    if (rc == 0 && vals) {
        vals->sets = sets_copy;
        vals->nsets = nsets;
        vals->given = given;
        vals->offsets = offsets;
    } else {
        cv_free(given);
        cv_free(offsets);
    }
    return rc;
}

void cv_optvals_free(cv_optvals *v)
{
    cv_free((void *)v->sets);
    cv_free(v->given);
    cv_free(v->offsets);
    memset(v, 0, sizeof *v);
}

const cv_node *cv_optvals_given(const cv_optvals *v, const char *key)
{
    for (size_t s = 0; s < v->nsets; s++) {
        size_t idx = v->offsets[s];
        for (const cv_option *o = v->sets[s].opts; o->key; o++, idx++)
            if (strcmp(o->key, key) == 0) return v->given[idx];
    }
    return NULL;
}
