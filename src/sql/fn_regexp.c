/* fn_regexp.c — SeaTunnel's regular-expression functions for the Sql
 * transform: REGEXP_REPLACE, REGEXP_LIKE, REGEXP_SUBSTR and SPLIT, on the
 * Java-regex module (formats/regex.c). A constant pattern is compiled at
 * plan time into the query's arena (c->state, read-only afterwards, so
 * threads can share it); a pattern that varies per row is compiled during
 * eval and kept while the next rows use the same one (a one-entry cache
 * that lives for one batch). Match data belongs to one eval call. */
#include "../formats/formats.h"
#include "fn_text.h"

#include <string.h>

/* ---- regular expressions ------------------------------------------------------------------- */

typedef struct rx_plan {
    uint32_t ipat, iflags; /* argument indexes; ipat past nargs: the pattern is ''; iflags ARG_NONE: none */
    bool flags_known;      /* flags constant or absent; flags holds them */
    unsigned flags;        /* CV_RE_* */
    const cv_regex *re;    /* compiled at plan time (in the query's arena), or NULL */
} rx_plan;

/* Java's flag letters: i ignore case, c respect case, n dot matches newline,
 * m multi-line. */
static bool rx_flags(const char *f, size_t n, unsigned *flags)
{
    for (size_t i = 0; i < n; i++) {
        switch (f[i]) {
        case 'i': *flags |= CV_RE_CASELESS; break;
        case 'c': *flags &= ~(unsigned)CV_RE_CASELESS; break;
        case 'n': *flags |= CV_RE_DOTALL; break;
        case 'm': *flags |= CV_RE_MULTILINE; break;
        default: return false;
        }
    }
    return true;
}

static int rx_bind(sql_call *c, cv_arena *a, const sql_vec *k, cv_err *err, uint32_t ipat, uint32_t iflags)
{
    rx_plan *p = cv_arena_zalloc(a, sizeof *p);
    if (!p) return cv_err_set(err, CV_ENOMEM, "out of memory");
    p->ipat = ipat;
    p->iflags = iflags < c->nargs ? iflags : ARG_NONE;
    p->flags_known = p->iflags == ARG_NONE || k[iflags].col;
    if (p->iflags != ARG_NONE && k[iflags].col && !sql_null(&k[iflags], 0)) {
        uint32_t n;
        const char *f = sql_str(&k[iflags], 0, &n);
        if (!rx_flags(f, n, &p->flags))
            return sql_bind_fail(c, err, "unsupported regexp flags '%.*s' (use i, c, n and m)", QUOTE(n), f);
    }
    c->state = p;
    bool pat_const = ipat >= c->nargs || k[ipat].col;
    if (!p->flags_known || !pat_const || (ipat < c->nargs && sql_null(&k[ipat], 0))) return 0;
    uint32_t n = 0;
    const char *pat = ipat < c->nargs ? sql_str(&k[ipat], 0, &n) : "";
    char why[256];
    cv_regex *re;
    int rc = cv_regex_compile_n(pat, n, p->flags, a, &re, why, sizeof why);
    if (rc == CV_ENOMEM) return cv_err_set(err, CV_ENOMEM, "out of memory");
    if (rc < 0) return sql_bind_fail(c, err, "invalid regular expression '%.*s': %s", QUOTE(n), pat, why);
    p->re = re;
    return 0;
}

static int bind_regexp_replace(sql_call *c, cv_arena *a, const sql_vec *k, cv_err *err)
{
    return rx_bind(c, a, k, err, 1, 3);
}

static int bind_regexp_like(sql_call *c, cv_arena *a, const sql_vec *k, cv_err *err)
{
    return rx_bind(c, a, k, err, 1, 2);
}

static int bind_regexp_substr(sql_call *c, cv_arena *a, const sql_vec *k, cv_err *err)
{
    return rx_bind(c, a, k, err, 1, 4);
}

static int bind_split(sql_call *c, cv_arena *a, const sql_vec *k, cv_err *err)
{
    c->ret = cv_type_array(a, cv_type_prim(CV_T_STRING));
    if (!c->ret) return cv_err_set(err, CV_ENOMEM, "out of memory");
    return rx_bind(c, a, k, err, 1, ARG_NONE);
}

/* The regex side of one eval call. */
typedef struct rx_run {
    const rx_plan *plan;
    cv_regex *own;      /* compiled for the current rows' pattern */
    cv_buf key;         /* that pattern */
    unsigned key_flags; /* and its flags */
    const cv_regex *re; /* the pattern in use */
    cv_rematch *m;      /* its match data */
} rx_run;

static int rx_open(rx_run *rr, const sql_call *c, sql_ctx *x)
{
    memset(rr, 0, sizeof *rr);
    cv_buf_init(&rr->key);
    rr->plan = c->state;
    if (!rr->plan) return cv_err_set(x->err, CV_EINTERNAL, "%s was not bound", c->name);
    if (rr->plan->re) {
        rr->re = rr->plan->re;
        if (!(rr->m = cv_rematch_new(rr->re))) return no_memory(x);
    }
    return 0;
}

static void rx_close(rx_run *rr)
{
    cv_rematch_free(rr->m);
    cv_regex_free(rr->own);
    cv_buf_free(&rr->key);
}

/* Make the pattern of row r current: 1, or 0 when the pattern is NULL (the
 * result is NULL), or an error. */
static int rx_row(rx_run *rr, const sql_call *c, sql_ctx *x, const sql_vec *a, uint32_t r)
{
    const rx_plan *p = rr->plan;
    if (p->re) return 1;
    if (sql_null(&a[p->ipat], r)) return 0;
    unsigned flags = p->flags;
    uint32_t n, fn;
    if (!p->flags_known && !sql_null(&a[p->iflags], r)) {
        const char *f = sql_str(&a[p->iflags], r, &fn);
        if (!rx_flags(f, fn, &flags))
            return sql_fail(c, x, r, "unsupported regexp flags '%.*s' (use i, c, n and m)", QUOTE(fn), f);
    }
    const char *pat = sql_str(&a[p->ipat], r, &n);
    if (rr->own && rr->key_flags == flags && rr->key.len == n && memcmp(rr->key.data, pat, n) == 0) return 1;
    cv_rematch_free(rr->m);
    cv_regex_free(rr->own);
    rr->m = NULL;
    rr->own = NULL;
    rr->re = NULL;
    char why[256];
    int rc = cv_regex_compile_n(pat, n, flags, NULL, &rr->own, why, sizeof why);
    if (rc == CV_ENOMEM) return no_memory(x);
    if (rc < 0) return sql_fail(c, x, r, "invalid regular expression '%.*s': %s", QUOTE(n), pat, why);
    rr->m = cv_rematch_new(rr->own);
    cv_buf_reset(&rr->key);
    cv_buf_put(&rr->key, pat, n);
    if (!rr->m || rr->key.oom) {
        cv_regex_free(rr->own);
        rr->own = NULL;
        return no_memory(x);
    }
    rr->key_flags = flags;
    rr->re = rr->own;
    return 1;
}

/* Java's Matcher.find() from byte offset *from: 1 with the match in rr->m,
 * 0 when there is none, <0 an error. */
static int rx_find(rx_run *rr, const char *s, size_t n, size_t *from)
{
    return cv_regex_find(rr->re, rr->m, s, n, from);
}

static int rx_match_fail(const sql_call *c, sql_ctx *x, uint32_t r, int rc)
{
    if (rc == CV_ENOMEM) return no_memory(x);
    return sql_fail(c, x, r, "regular expression match failed (the match limit was reached)");
}

/* REGEXP_REPLACE(s, pattern, replacement[, flags]): every match, replacement
 * written as for Java's String.replaceAll. */
static int replace_rows(rx_run *rr, const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        int rc = 0;
        if (inactive(x, r) || sql_null(&a[0], r) || sql_null(&a[2], r) || (rc = rx_row(rr, c, x, a, r)) == 0) {
            cv_col_append_null(out);
            continue;
        }
        if (rc < 0) return rc;
        uint32_t n, m;
        const char *s = sql_str(&a[0], r, &n), *rep = sql_str(&a[2], r, &m);
        cv_buf_reset(&x->scratch);
        char why[200];
        rc = cv_regex_replace(rr->re, rr->m, s, n, rep, m, false, &x->scratch, why, sizeof why);
        if (rc == CV_ECONFIG) return sql_fail(c, x, r, "bad replacement '%.*s': %s", QUOTE(m), rep, why);
        if (rc < 0) return rx_match_fail(c, x, r, rc);
        CV_TRY(put_scratch(x, out));
    }
    return 0;
}

/* REGEXP_LIKE(s, pattern[, flags]): whether the pattern matches anywhere. */
static int like_rows(rx_run *rr, const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        int rc = 0;
        if (inactive(x, r) || sql_null(&a[0], r) || (rc = rx_row(rr, c, x, a, r)) == 0) {
            cv_col_append_null(out);
            continue;
        }
        if (rc < 0) return rc;
        uint32_t n;
        const char *s = sql_str(&a[0], r, &n);
        size_t from = 0;
        rc = rx_find(rr, s, n, &from);
        if (rc < 0) return rx_match_fail(c, x, r, rc);
        cv_col_append_bool(out, rc > 0);
    }
    return 0;
}

/* REGEXP_SUBSTR(s, pattern[, position[, occurrence[, flags[, group]]]]): the
 * group (0: the whole match) of the occurrence-th match at or after the
 * 1-based position; NULL when there is none. NULL optional arguments take
 * their defaults. */
static int substr_rows(rx_run *rr, const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        int rc = 0;
        if (inactive(x, r) || sql_null(&a[0], r) || (rc = rx_row(rr, c, x, a, r)) == 0) {
            cv_col_append_null(out);
            continue;
        }
        if (rc < 0) return rc;
        uint32_t n;
        const char *s = sql_str(&a[0], r, &n);
        int64_t pos = c->nargs > 2 && !sql_null(&a[2], r) ? (int64_t)sql_i32(&a[2], r) - 1 : 0;
        int64_t occ = c->nargs > 3 && !sql_null(&a[3], r) ? sql_i32(&a[3], r) : 1;
        int64_t grp = c->nargs > 5 && !sql_null(&a[5], r) ? sql_i32(&a[5], r) : 0;
        size_t len = nchars(s, n);
        if (pos < 0 || pos > (int64_t)len)
            return sql_fail(c, x, r, "position %lld is outside the string (1 to %zu)", (long long)pos + 1, len + 1);
        size_t from = skip(s, n, 0, pos);
        rc = rx_find(rr, s, n, &from);
        for (int64_t k = 1; k < occ && rc > 0; k++) rc = rx_find(rr, s, n, &from);
        if (rc < 0) return rx_match_fail(c, x, r, rc);
        if (rc == 0) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t ng = cv_regex_groups(rr->re);
        if (grp < 0 || grp > ng)
            return sql_fail(c, x, r, "there is no group %lld: the pattern has %u", (long long)grp, ng);
        size_t gs, ge;
        if (!cv_rematch_group(rr->m, (uint32_t)grp, &gs, &ge))
            cv_col_append_null(out);
        else
            cv_col_append_str(out, s + gs, ge - gs);
    }
    return 0;
}

typedef CV_VEC(size_t) size_vec;

/* SPLIT(s[, delimiter]) → array<string>, Java's String.split: the delimiter
 * is a regular expression ('' splits between characters), trailing empty
 * pieces are dropped, and a NULL or '' s gives NULL. */
static int split_rows(rx_run *rr, const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out, size_vec *pcs)
{
    cv_col *elems = &out->child[0];
    for (uint32_t r = 0; r < x->n; r++) {
        int rc = 0;
        uint32_t n = 0;
        if (inactive(x, r) || sql_null(&a[0], r) || (sql_str(&a[0], r, &n), n == 0) ||
            (rc = rx_row(rr, c, x, a, r)) == 0) {
            cv_col_append_null(out);
            continue;
        }
        if (rc < 0) return rc;
        const char *s = sql_str(&a[0], r, &n);
        size_t from = 0, index = 0;
        pcs->n = 0;
        while ((rc = rx_find(rr, s, n, &from)) > 0) {
            size_t ms = 0, me = 0;
            cv_rematch_group(rr->m, 0, &ms, &me);
            /* an empty match at the start makes no empty first piece */
            if (index == 0 && ms == 0 && me == 0) continue;
            if (cv_vec_push(pcs, index) < 0 || cv_vec_push(pcs, ms) < 0) return no_memory(x);
            index = me;
        }
        if (rc < 0) return rx_match_fail(c, x, r, rc);
        if (cv_vec_push(pcs, index) < 0 || cv_vec_push(pcs, n) < 0) return no_memory(x);
        while (pcs->n && pcs->v[pcs->n - 1] == pcs->v[pcs->n - 2]) pcs->n -= 2;
        for (size_t k = 0; k < pcs->n; k += 2) cv_col_append_str(elems, s + pcs->v[k], pcs->v[k + 1] - pcs->v[k]);
        cv_col_append_list(out, (uint32_t)(pcs->n / 2));
    }
    return 0;
}

static int fn_regexp_replace(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    rx_run rr;
    int rc = rx_open(&rr, c, x);
    if (rc == 0) rc = replace_rows(&rr, c, x, a, out);
    rx_close(&rr);
    return rc;
}

static int fn_regexp_like(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    rx_run rr;
    int rc = rx_open(&rr, c, x);
    if (rc == 0) rc = like_rows(&rr, c, x, a, out);
    rx_close(&rr);
    return rc;
}

static int fn_regexp_substr(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    rx_run rr;
    int rc = rx_open(&rr, c, x);
    if (rc == 0) rc = substr_rows(&rr, c, x, a, out);
    rx_close(&rr);
    return rc;
}

static int fn_split(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    rx_run rr;
    size_vec pcs = {0};
    int rc = rx_open(&rr, c, x);
    if (rc == 0) rc = split_rows(&rr, c, x, a, out, &pcs);
    rx_close(&rr);
    cv_vec_free(&pcs);
    return rc;
}

/* ---- the table ------------------------------------------------------------------------------ */

const sql_func cv__sql_fn_regexp[] = {
    {"REGEXP_REPLACE", 3, 4, "S", 'S', SQL_F_NULLS, bind_regexp_replace, fn_regexp_replace},
    {"REGEXP_LIKE", 2, 3, "S", 'B', SQL_F_NULLS, bind_regexp_like, fn_regexp_like},
    {"REGEXP_SUBSTR", 2, 6, "SSIISI", 'S', SQL_F_NULLS, bind_regexp_substr, fn_regexp_substr},
    {"SPLIT", 1, 2, "S", 'S', SQL_F_NULLS, bind_split, fn_split},
    {NULL},
};
