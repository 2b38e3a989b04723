/* jpath.c — the JSONPath subset SeaTunnel jobs use, compiled once at plan
 * time and evaluated on jdom trees: $, .name, ['name'], [n], [-n], [n,m],
 * [a:b], [*], .* and the deep scan .. before any of them. Evaluation keeps
 * the set of current nodes in the row's arena. As in Jayway JsonPath, a
 * definite path (one value at most) reports a missing value, while an
 * indefinite one yields a list, possibly empty. */
#include "jsonpath_int.h"

#include <stdlib.h>
#include <string.h>

typedef enum { ST_PROP, ST_INDEX, ST_SLICE, ST_WILD } st_kind;

typedef struct {
    st_kind kind;
    bool deep;        /* preceded by .. */
    const char *name; /* PROP */
    uint32_t namelen;
    int64_t *idx; /* INDEX */
    uint32_t nidx;
    int64_t from, to; /* SLICE */
    bool has_from, has_to;
} step;

struct cv__jpath {
    step *st;
    uint32_t n;
    bool definite;
};

typedef struct {
    cv_arena *a;
    const char *s, *p;
    const char *why;
} pc;

static bool perr(pc *c, const char *why)
{
    if (!c->why) c->why = why;
    return false;
}

static bool parse_int(pc *c, int64_t *out)
{
    const char *q = c->p;
    if (*q == '-') q++;
    if (*q < '0' || *q > '9') return perr(c, "expected a number");
    while (*q >= '0' && *q <= '9') q++;
    if (!cv_parse_i64(c->p, (size_t)(q - c->p), out)) return perr(c, "number out of range");
    c->p = q;
    return true;
}

static void spaces(pc *c)
{
    while (*c->p == ' ') c->p++;
}

/* '[' … ']' at c->p into st. */
static bool bracket(pc *c, step *st)
{
    c->p++;
    spaces(c);
    if (*c->p == '*') {
        c->p++;
        st->kind = ST_WILD;
    } else if (*c->p == '\'' || *c->p == '"') {
        char q = *c->p++;
        const char *start = c->p;
        while (*c->p && *c->p != q) c->p += (*c->p == '\\' && c->p[1]) ? 2 : 1;
        if (!*c->p) return perr(c, "unterminated name");
        st->kind = ST_PROP;
        st->namelen = (uint32_t)(c->p - start);
        char *name = cv_arena_strndup(c->a, start, st->namelen), *o = name;
        if (!name) return perr(c, "out of memory");
        for (const char *i = name; *i; i++) *o++ = *i == '\\' && i[1] ? *++i : *i; /* \' and \\ */
        *o = '\0';
        st->name = name;
        st->namelen = (uint32_t)(o - name);
        c->p++;
        spaces(c);
        if (*c->p == ',') return perr(c, "several names in one bracket are not supported");
    } else if (*c->p == '?') {
        return perr(c, "filter expressions [?(...)] are not supported");
    } else if (*c->p == '(') {
        return perr(c, "script expressions [(...)] are not supported");
    } else {
        int64_t first = 0;
        bool has_first = *c->p != ':';
        if (has_first && !parse_int(c, &first)) return false;
        spaces(c);
        if (*c->p == ':') {
            c->p++;
            spaces(c);
            st->kind = ST_SLICE;
            st->from = first;
            st->has_from = has_first;
            if (*c->p != ']') {
                if (!parse_int(c, &st->to)) return false;
                st->has_to = true;
                spaces(c);
            }
            if (*c->p == ':') return perr(c, "slice steps are not supported");
        } else {
            int64_t tmp[64];
            uint32_t n = 0;
            tmp[n++] = first;
            while (*c->p == ',') {
                c->p++;
                spaces(c);
                if (n == 64) return perr(c, "too many indexes");
                if (!parse_int(c, &tmp[n++])) return false;
                spaces(c);
            }
            st->kind = ST_INDEX;
            st->nidx = n;
            if (!(st->idx = cv_arena_memdup(c->a, tmp, n * sizeof *tmp))) return perr(c, "out of memory");
        }
    }
    spaces(c);
    if (*c->p != ']') return perr(c, "expected ']'");
    c->p++;
    return true;
}

int cv__jpath_compile(cv_arena *a, const char *path, cv__jpath **out, const char **why, size_t *at)
{
    pc c = {.a = a, .s = path, .p = path};
    step st[64];
    uint32_t n = 0;
    bool definite = true;
    const char *p0 = path;
    /* like Jayway, a path without the root starts at it */
    bool implicit = *path != '$';
    if (!implicit) c.p++;
    while (*c.p || implicit) {
        if (n == 64) {
            perr(&c, "path too long");
            break;
        }
        step *s = &st[n];
        memset(s, 0, sizeof *s);
        if (implicit) {
            implicit = false;
        } else if (*c.p == '.') {
            c.p++;
            if (*c.p == '.') {
                c.p++;
                s->deep = true;
            }
        } else if (*c.p != '[') {
            perr(&c, "expected '.' or '['");
            break;
        }
        if (*c.p == '[') {
            if (!bracket(&c, s)) break;
        } else if (*c.p == '*') {
            c.p++;
            s->kind = ST_WILD;
        } else {
            const char *start = c.p;
            while (*c.p && *c.p != '.' && *c.p != '[') c.p++;
            if (c.p == start) {
                perr(&c, "expected a name");
                break;
            }
            if (c.p[-1] == ')') {
                perr(&c, "functions such as length() are not supported");
                break;
            }
            s->kind = ST_PROP;
            s->namelen = (uint32_t)(c.p - start);
            if (!(s->name = cv_arena_strndup(a, start, s->namelen))) {
                perr(&c, "out of memory");
                break;
            }
        }
        if (s->deep || s->kind == ST_WILD || s->kind == ST_SLICE || (s->kind == ST_INDEX && s->nidx > 1))
            definite = false;
        n++;
    }
    if (c.why) {
        *why = c.why;
        *at = (size_t)(c.p - p0);
        return CV_ECONFIG;
    }
    cv__jpath *jp = cv_arena_zalloc(a, sizeof *jp);
    if (!jp || (n && !(jp->st = cv_arena_memdup(a, st, n * sizeof *st)))) {
        *why = "out of memory";
        return CV_ENOMEM;
    }
    jp->n = n;
    jp->definite = definite;
    *out = jp;
    return 0;
}

bool cv__jpath_definite(const cv__jpath *p) { return p->definite; }

/* ---- evaluation ---------------------------------------------------------- */

typedef struct {
    cv_arena *a;
    cv__jnode **v;
    uint32_t n, cap;
    bool oom;
} nlist;

static void push(nlist *l, cv__jnode *x)
{
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 8;
        cv__jnode **v = cv_arena_alloc(l->a, cap * sizeof *v);
        if (!v) {
            l->oom = true;
            return;
        }
        if (l->n) memcpy(v, l->v, l->n * sizeof *v);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = x;
}

static void apply(const step *s, cv__jnode *x, nlist *out)
{
    switch (s->kind) {
    case ST_PROP:
        if (x->kind == CV__J_OBJ)
            for (cv__jnode *c = x->child; c; c = c->next)
                if (c->keylen == s->namelen && memcmp(c->key, s->name, s->namelen) == 0) {
                    push(out, c);
                    break;
                }
        break;
    case ST_WILD:
        if (x->kind == CV__J_OBJ || x->kind == CV__J_ARR)
            for (cv__jnode *c = x->child; c; c = c->next) push(out, c);
        break;
    case ST_INDEX:
        if (x->kind != CV__J_ARR) break;
        for (uint32_t k = 0; k < s->nidx; k++) {
            int64_t i = s->idx[k] < 0 ? (int64_t)x->len + s->idx[k] : s->idx[k];
            if (i < 0 || i >= (int64_t)x->len) continue;
            cv__jnode *c = x->child;
            while (i-- > 0) c = c->next;
            push(out, c);
        }
        break;
    case ST_SLICE: {
        if (x->kind != CV__J_ARR) break;
        int64_t len = x->len;
        int64_t from = s->has_from ? (s->from < 0 ? len + s->from : s->from) : 0;
        int64_t to = s->has_to ? (s->to < 0 ? len + s->to : s->to) : len;
        from = from < 0 ? 0 : from;
        to = to > len ? len : to;
        int64_t i = 0;
        for (cv__jnode *c = x->child; c && i < to; c = c->next, i++)
            if (i >= from) push(out, c);
        break;
    }
    }
}

static void scan(const step *s, cv__jnode *x, nlist *out)
{
    apply(s, x, out);
    if (x->kind == CV__J_OBJ || x->kind == CV__J_ARR)
        for (cv__jnode *c = x->child; c; c = c->next) scan(s, c, out);
}

cv__jnode *cv__jpath_eval(cv_arena *a, const cv__jpath *p, cv__jnode *root, const char **why)
{
    nlist cur = {.a = a}, nxt = {.a = a};
    push(&cur, root);
    for (uint32_t k = 0; k < p->n && !cur.oom; k++) {
        nxt.n = 0;
        for (uint32_t i = 0; i < cur.n; i++) (p->st[k].deep ? scan : apply)(&p->st[k], cur.v[i], &nxt);
        nlist t = cur;
        cur = nxt;
        nxt = t;
        cur.oom |= nxt.oom;
    }
    *why = NULL;
    if (cur.oom) {
        *why = "out of memory";
        return NULL;
    }
    if (p->definite) {
        if (cur.n == 0) *why = "no value at this path";
        return cur.n ? cur.v[0] : NULL;
    }
    /* a list of the matches: shallow copies, since the originals stay linked in their parents */
    cv__jnode *arr = cv_arena_zalloc(a, sizeof *arr), **tail;
    if (!arr) return *why = "out of memory", NULL;
    arr->kind = CV__J_ARR;
    tail = &arr->child;
    for (uint32_t i = 0; i < cur.n; i++) {
        cv__jnode *c = cv_arena_memdup(a, cur.v[i], sizeof *c);
        if (!c) return *why = "out of memory", NULL;
        c->next = NULL;
        *tail = c;
        tail = &c->next;
        arr->len++;
    }
    return arr;
}
