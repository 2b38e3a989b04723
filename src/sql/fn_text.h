/*
 * fn_text.h — what the text functions (fn_string.c, fn_regexp.c) share:
 * limits, argument access, scratch output and UTF-8 stepping. Internal to
 * src/sql; everything here is static inline.
 */
#ifndef CV_SQL_FN_TEXT_H
#define CV_SQL_FN_TEXT_H

#include "func.h"

#define STR_MAX ((size_t)256 << 20)
#define ARG_NONE UINT32_MAX
/* how much of a value an error message quotes */
#define QUOTE(n) ((int)CV_MIN((n), 60u))

/* ---- small helpers ------------------------------------------------------------------ */

static inline bool inactive(const sql_ctx *x, uint32_t r) { return x->active && !x->active[r]; }

/* NULL also when the argument's type is the NULL type (A parameters). */
static inline bool arg_null(const sql_call *c, const sql_vec *a, uint32_t i, uint32_t r)
{
    return c->argt[i]->id == CV_T_NULL || sql_null(&a[i], r);
}

/* Optional string argument i: NULL when absent or NULL. */
static inline const char *opt_str(const sql_call *c, const sql_vec *a, uint32_t i, uint32_t r, uint32_t *n)
{
    *n = 0;
    if (i >= c->nargs || sql_null(&a[i], r)) return NULL;
    return sql_str(&a[i], r, n);
}

static inline int no_memory(sql_ctx *x) { return cv_err_set(x->err, CV_ENOMEM, "out of memory in a string function"); }

/* The row's value is what was built in x->scratch. */
static inline int put_scratch(sql_ctx *x, cv_col *out)
{
    if (x->scratch.oom) return no_memory(x);
    cv_col_append_str(out, x->scratch.len ? x->scratch.data : "", x->scratch.len);
    return 0;
}

/* ---- UTF-8 ---------------------------------------------------------------------------- */

static inline bool is_cont(char b) { return ((unsigned char)b & 0xC0) == 0x80; }
static inline bool at_char(const char *s, size_t n, size_t i) { return i == 0 || i >= n || !is_cont(s[i]); }

static inline size_t nchars(const char *s, size_t n)
{
    size_t k = n && is_cont(s[0]);
    for (size_t i = 0; i < n; i++) k += !is_cont(s[i]);
    return k;
}

/* Byte offset k characters after offset i (n when the string ends first). */
static inline size_t skip(const char *s, size_t n, size_t i, int64_t k)
{
    for (; k > 0 && i < n; k--) {
        i++;
        while (i < n && is_cont(s[i])) i++;
    }
    return i;
}

static inline int too_long(const sql_call *c, sql_ctx *x, uint32_t r, double bytes)
{
    return sql_fail(c, x, r, "the result would be %.0f bytes, more than the %zu MiB a string may have", bytes,
                    STR_MAX >> 20);
}

/* The code point at s[*i], moving *i past it; a malformed byte is U+FFFD
 * and moves one byte. */
static inline uint32_t next_cp(const char *s, size_t n, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = n - *i;
    uint32_t cp, min;
    size_t len;
    if (p[0] < 0x80) {
        *i += 1;
        return p[0];
    }
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        len = 2, cp = p[0] & 0x1Fu, min = 0x80;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        len = 3, cp = p[0] & 0x0Fu, min = 0x800;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        len = 4, cp = p[0] & 0x07u, min = 0x10000;
    } else {
        goto bad;
    }
    if (len > left) goto bad;
    for (size_t j = 1; j < len; j++) {
        if ((p[j] & 0xC0) != 0x80) goto bad;
        cp = cp << 6 | (p[j] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) goto bad;
    *i += len;
    return cp;
bad:
    *i += 1;
    return 0xFFFD;
}

#endif
