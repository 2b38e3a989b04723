/*
 * fn_string.c — SeaTunnel's string functions for the Sql transform (see
 * func.h for the contract every function here follows).
 *
 * Characters. culvert strings are UTF-8. Lengths and positions count
 * Unicode code points, where SeaTunnel (Java) counts UTF-16 code units: the
 * two agree except for characters outside the Basic Multilingual Plane
 * (emoji, rare CJK), which Java counts as two. Invalid UTF-8 never makes a
 * function fail: a "character" is a byte that is not a continuation byte
 * together with the continuation bytes after it.
 *
 * Case mapping is libunistring's full Unicode mapping (ß → SS, final
 * sigma), which is what Java's toUpperCase/toLowerCase do outside the
 * Turkish and Lithuanian locales.
 *
 * Regular expressions are Java's, from formats/regex.c (PCRE2 driven like
 * java.util.regex.Matcher, shared with the Replace and Split transforms).
 * A constant pattern is compiled at plan
 * time into the query's arena (c->state, read-only afterwards, so threads
 * can share it); a pattern that varies per row is compiled during eval and
 * kept while the next rows use the same one (a one-entry cache that lives
 * for one batch). Match data belongs to one eval call.
 *
 * A result longer than STR_MAX bytes fails the row instead of exhausting
 * memory (REPEAT, SPACE, LPAD, RPAD are the ones that can get there).
 */
#include "func.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../formats/formats.h"
#include <unicase.h>

#include "../formats/formats.h"

#define STR_MAX ((size_t)256 << 20)
#define ARG_NONE UINT32_MAX
/* how much of a value an error message quotes */
#define QUOTE(n) ((int)CV_MIN((n), 60u))

/* ---- small helpers ------------------------------------------------------------------ */

static inline bool inactive(const sql_ctx *x, uint32_t r) { return x->active && !x->active[r]; }

/* NULL also when the argument's type is the NULL type (A parameters). */
static bool arg_null(const sql_call *c, const sql_vec *a, uint32_t i, uint32_t r)
{
    return c->argt[i]->id == CV_T_NULL || sql_null(&a[i], r);
}

/* Optional string argument i: NULL when absent or NULL. */
static const char *opt_str(const sql_call *c, const sql_vec *a, uint32_t i, uint32_t r, uint32_t *n)
{
    *n = 0;
    if (i >= c->nargs || sql_null(&a[i], r)) return NULL;
    return sql_str(&a[i], r, n);
}

static int no_memory(sql_ctx *x) { return cv_err_set(x->err, CV_ENOMEM, "out of memory in a string function"); }

/* The row's value is what was built in x->scratch. */
static int put_scratch(sql_ctx *x, cv_col *out)
{
    if (x->scratch.oom) return no_memory(x);
    cv_col_append_str(out, x->scratch.len ? x->scratch.data : "", x->scratch.len);
    return 0;
}

static int too_long(const sql_call *c, sql_ctx *x, uint32_t r, double bytes)
{
    return sql_fail(c, x, r, "the result would be %.0f bytes, more than the %zu MiB a string may have", bytes,
                    STR_MAX >> 20);
}

/* Any value as text: strings and bytes as they are, other values as Java's
 * toString prints them (what SeaTunnel's StringBuilder.append does). */
static void any_text(const cv_col *col, uint32_t i, cv_buf *out)
{
    if (col->type->id == CV_T_STRING || col->type->id == CV_T_BYTES) {
        uint32_t n;
        const char *p = cv_col_str(col, i, &n);
        cv_buf_put(out, p, n);
    } else {
        cv_value_format(col, i, CV_FMT_JAVA, out);
    }
}

/* ---- UTF-8 ---------------------------------------------------------------------------- */

static inline bool is_cont(char b) { return ((unsigned char)b & 0xC0) == 0x80; }
static inline bool at_char(const char *s, size_t n, size_t i) { return i == 0 || i >= n || !is_cont(s[i]); }

static size_t nchars(const char *s, size_t n)
{
    size_t k = n && is_cont(s[0]);
    for (size_t i = 0; i < n; i++) k += !is_cont(s[i]);
    return k;
}

static bool is_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

/* Byte offset k characters after offset i (n when the string ends first). */
static size_t skip(const char *s, size_t n, size_t i, int64_t k)
{
    for (; k > 0 && i < n; k--) {
        i++;
        while (i < n && is_cont(s[i])) i++;
    }
    return i;
}

/* Byte offset of the k-th character from the end (0 when there are fewer). */
static size_t skip_back(const char *s, size_t n, int64_t k)
{
    size_t i = n;
    for (; k > 0 && i > 0; k--) {
        i--;
        while (i > 0 && is_cont(s[i])) i--;
    }
    return i;
}

/* The code point at s[*i], moving *i past it; a malformed byte is U+FFFD
 * and moves one byte. */
static uint32_t next_cp(const char *s, size_t n, size_t *i)
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

static size_t encode_cp(uint32_t cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- lengths ---------------------------------------------------------------------------- */

static int fn_ascii(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        uint32_t n;
        const char *s;
        /* Java fails on '' (charAt(0)); we answer NULL */
        if (sql_skip(x, a, c->nargs, r) || (s = sql_str(&a[0], r, &n), n == 0)) {
            cv_col_append_null(out);
            continue;
        }
        size_t i = 0;
        cv_col_append_i32(out, (int32_t)next_cp(s, n, &i));
    }
    return 0;
}

enum { LEN_CHARS, LEN_BYTES, LEN_BITS };

static int lengths(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out, int what)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, a, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t n;
        const char *s = sql_str(&a[0], r, &n);
        int64_t v = what == LEN_CHARS ? (int64_t)nchars(s, n) : what == LEN_BYTES ? (int64_t)n : (int64_t)n * 8;
        cv_col_append_i64(out, v);
    }
    return 0;
}

static int fn_char_length(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    return lengths(c, x, a, out, LEN_CHARS);
}

static int fn_octet_length(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    return lengths(c, x, a, out, LEN_BYTES);
}

static int fn_bit_length(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    return lengths(c, x, a, out, LEN_BITS);
}

/* ---- building strings ------------------------------------------------------------------- */

static int fn_chr(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, a, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        int32_t v = sql_i32(&a[0], r);
        if (v < 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            return sql_fail(c, x, r, "%d is not a Unicode code point (0 to 1114111, without surrogates)", v);
        char o[4];
        cv_col_append_str(out, o, encode_cp((uint32_t)v, o));
    }
    return 0;
}

static int fn_concat(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (inactive(x, r)) {
            cv_col_append_null(out);
            continue;
        }
        cv_buf_reset(&x->scratch);
        for (uint32_t i = 0; i < c->nargs; i++) {
            uint32_t n;
            const char *s = opt_str(c, a, i, r, &n);
            if (s) cv_buf_put(&x->scratch, s, n);
        }
        CV_TRY(put_scratch(x, out));
    }
    return 0;
}

/* CONCAT_WS(sep, v…): NULL values are left out; an array contributes its
 * non-NULL elements joined by sep (newer SeaTunnel); a NULL sep joins with
 * nothing. */
static int fn_concat_ws(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (inactive(x, r)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t sn;
        const char *sep = opt_str(c, a, 0, r, &sn);
        bool first = true;
        cv_buf_reset(&x->scratch);
        for (uint32_t i = 1; i < c->nargs; i++) {
            if (arg_null(c, a, i, r)) continue;
            if (!first && sep) cv_buf_put(&x->scratch, sep, sn);
            first = false;
            const cv_col *col = a[i].col;
            uint32_t ix = sql_ix(&a[i], r);
            if (col->type->id != CV_T_ARRAY) {
                any_text(col, ix, &x->scratch);
                continue;
            }
            const int32_t *off = cv_col_offsets(col);
            bool efirst = true;
            for (int32_t e = off[ix]; e < off[ix + 1]; e++) {
                if (cv_col_is_null(&col->child[0], (uint32_t)e)) continue;
                if (!efirst && sep) cv_buf_put(&x->scratch, sep, sn);
                efirst = false;
                any_text(&col->child[0], (uint32_t)e, &x->scratch);
            }
        }
        CV_TRY(put_scratch(x, out));
    }
    return 0;
}

static int hex_digit(char h)
{
    if (h >= '0' && h <= '9') return h - '0';
    if (h >= 'a' && h <= 'f') return h - 'a' + 10;
    if (h >= 'A' && h <= 'F') return h - 'A' + 10;
    return -1;
}

/* The UTF-16 unit spelled by 4 hex digits, or -1. */
static int32_t hex_unit(const char *p)
{
    int32_t v = 0;
    for (int k = 0; k < 4; k++) {
        int d = hex_digit(p[k]);
        if (d < 0) return -1;
        v = v << 4 | d;
    }
    return v;
}

/* HEXTORAW: 4 hex digits per UTF-16 unit; surrogate pairs make one character. */
static int fn_hextoraw(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, a, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t n;
        const char *s = sql_str(&a[0], r, &n);
        if (n % 4)
            return sql_fail(c, x, r,
                            "'%.*s' is not hex text: it takes 4 hex digits per character, and %u is no multiple of 4",
                            QUOTE(n), s, n);
        cv_buf_reset(&x->scratch);
        for (uint32_t i = 0; i < n; i += 4) {
            int32_t u = hex_unit(s + i);
            if (u < 0) return sql_fail(c, x, r, "'%.4s' in '%.*s' is not 4 hex digits", s + i, QUOTE(n), s);
            uint32_t cp = (uint32_t)u;
            if (u >= 0xD800 && u <= 0xDFFF) {
                int32_t lo = i + 8 <= n && u <= 0xDBFF ? hex_unit(s + i + 4) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return sql_fail(c, x, r, "'%.4s' in '%.*s' is half of a surrogate pair without its other half",
                                    s + i, QUOTE(n), s);
                cp = 0x10000 + (((uint32_t)u - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                i += 4;
            }
            char o[4];
            cv_buf_put(&x->scratch, o, encode_cp(cp, o));
        }
        CV_TRY(put_scratch(x, out));
    }
    return 0;
}

/* RAWTOHEX: bytes as 2 hex digits each; text (any other value as its text)
 * as 4 hex digits per UTF-16 unit, like Java. */
static int rawtohex_rows(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out, cv_buf *tmp)
{
    static const char hex[] = "0123456789abcdef";
    const cv_col *col = a[0].col;
    for (uint32_t r = 0; r < x->n; r++) {
        if (inactive(x, r) || arg_null(c, a, 0, r)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t ix = sql_ix(&a[0], r), n;
        cv_buf_reset(&x->scratch);
        if (col->type->id == CV_T_BYTES) {
            const char *p = cv_col_str(col, ix, &n);
            for (uint32_t i = 0; i < n; i++) {
                char o[2] = {hex[(unsigned char)p[i] >> 4], hex[p[i] & 0xF]};
                cv_buf_put(&x->scratch, o, 2);
            }
            CV_TRY(put_scratch(x, out));
            continue;
        }
        const char *s;
        size_t sn;
        if (col->type->id == CV_T_STRING) {
            s = cv_col_str(col, ix, &n);
            sn = n;
        } else {
            cv_buf_reset(tmp);
            any_text(col, ix, tmp);
            if (tmp->oom) return no_memory(x);
            s = tmp->len ? tmp->data : "";
            sn = tmp->len;
        }
        for (size_t i = 0; i < sn;) {
            uint32_t cp = next_cp(s, sn, &i);
            uint32_t units[2] = {cp, 0};
            int nu = 1;
            if (cp >= 0x10000) {
                units[0] = 0xD800 + ((cp - 0x10000) >> 10);
                units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
                nu = 2;
            }
            for (int k = 0; k < nu; k++) {
                char o[4] = {hex[units[k] >> 12], hex[units[k] >> 8 & 0xF], hex[units[k] >> 4 & 0xF],
                             hex[units[k] & 0xF]};
                cv_buf_put(&x->scratch, o, 4);
            }
        }
        CV_TRY(put_scratch(x, out));
    }
    return 0;
}

static int fn_rawtohex(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    cv_buf tmp;
    cv_buf_init(&tmp);
    int rc = rawtohex_rows(c, x, a, out, &tmp);
    cv_buf_free(&tmp);
    return rc;
}

/* INSERT(s, start, length, add): a NULL s gives add, a NULL add gives s. */
static int fn_insert(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    CV_UNUSED(c);
    for (uint32_t r = 0; r < x->n; r++) {
        /* Java fails on a NULL start or length; we answer NULL */
        if (inactive(x, r) || sql_null(&a[1], r) || sql_null(&a[2], r) || (sql_null(&a[0], r) && sql_null(&a[3], r))) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t n1 = 0, n2 = 0;
        const char *s1 = sql_null(&a[0], r) ? NULL : sql_str(&a[0], r, &n1);
        const char *s2 = sql_null(&a[3], r) ? NULL : sql_str(&a[3], r, &n2);
        if (!s1 || !s2) {
            if (s1)
                cv_col_append_str(out, s1, n1);
            else
                cv_col_append_str(out, s2, n2);
            continue;
        }
        int64_t start = (int64_t)sql_i32(&a[1], r) - 1, len = sql_i32(&a[2], r);
        int64_t len1 = (int64_t)nchars(s1, n1);
        if (start < 0 || len <= 0 || n2 == 0 || start > len1) {
            cv_col_append_str(out, s1, n1);
            continue;
        }
        size_t b0 = skip(s1, n1, 0, start), b1 = skip(s1, n1, b0, len);
        cv_buf_reset(&x->scratch);
        cv_buf_put(&x->scratch, s1, b0);
        cv_buf_put(&x->scratch, s2, n2);
        cv_buf_put(&x->scratch, s1 + b1, n1 - b1);
        CV_TRY(put_scratch(x, out));
    }
    return 0;
}

/* ---- case ---------------------------------------------------------------------------------- */

static void ascii_case(const char *s, size_t n, bool upper, cv_buf *b)
{
    if (cv_buf_reserve(b, n) < 0) return;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (upper && ch >= 'a' && ch <= 'z') ch = (char)(ch - 32);
        if (!upper && ch >= 'A' && ch <= 'Z') ch = (char)(ch + 32);
        b->data[b->len + i] = ch;
    }
    b->len += n;
    b->data[b->len] = '\0';
}

static int change_case(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out, bool upper)
{
    if (!a[0].konst && !x->active && a[0].col->len == x->n) {
        /* a whole column of ASCII: copy it in bulk and map the bytes in place
         * (lengths do not change, so the offsets are the input's) */
        const cv_col *in = a[0].col;
        const int32_t *o = cv_col_offsets(in);
        const char *p = in->var ? (const char *)in->var + o[0] : "";
        size_t len = (size_t)(o[x->n] - o[0]);
        unsigned char any = 0;
        for (size_t i = 0; i < len; i++) any |= (unsigned char)p[i];
        if (any < 0x80) {
            uint32_t before = out->var_len;
            cv_col_append_range(out, in, 0, x->n);
            if (out->var_len != before + len) return no_memory(x);
            char *d = (char *)out->var + before;
            unsigned char lo = upper ? 'a' : 'A';
            for (size_t i = 0; i < len; i++) d[i] = (char)(d[i] ^ (((unsigned char)(d[i] - lo) < 26) << 5));
            return 0;
        }
    }
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, a, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t n;
        const char *s = sql_str(&a[0], r, &n);
        cv_buf_reset(&x->scratch);
        if (is_ascii(s, n)) {
            /* map in place, in the column: one copy */
            uint32_t before = out->var_len;
            cv_col_append_str(out, s, n);
            if (out->var_len == before + n) {
                char *d = (char *)out->var + before;
                unsigned char lo = upper ? 'a' : 'A';
                for (uint32_t i = 0; i < n; i++)
                    if ((unsigned char)(d[i] - lo) < 26) d[i] ^= 0x20;
            }
            continue;
        }
        /* room for the longest expansion (ΐ → Ϊ́ triples its bytes), so that
         * libunistring writes into scratch and does not allocate */
        if (cv_buf_reserve(&x->scratch, (size_t)n * 3 + 16) < 0) return no_memory(x);
        size_t len = x->scratch.cap - 1;
        uint8_t *buf = (uint8_t *)x->scratch.data;
        uint8_t *res = upper ? u8_toupper((const uint8_t *)s, n, NULL, NULL, buf, &len)
                             : u8_tolower((const uint8_t *)s, n, NULL, NULL, buf, &len);
        if (!res && errno == ENOMEM) return no_memory(x);
        if (!res) {
            /* invalid UTF-8: map what is ASCII, keep the rest */
            ascii_case(s, n, upper, &x->scratch);
            CV_TRY(put_scratch(x, out));
            continue;
        }
        cv_col_append_str(out, (const char *)res, len);
        /* a result that did not fit was allocated by libunistring's malloc */
        if (res != buf) cv_free(res);
    }
    return 0;
}

static int fn_lower(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    return change_case(c, x, a, out, false);
}

static int fn_upper(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    return change_case(c, x, a, out, true);
}

/* ---- pieces -------------------------------------------------------------------------------- */

/* LEFT/RIGHT with a negative count give '' (Java fails). */
static int fn_left(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, a, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t n;
        const char *s = sql_str(&a[0], r, &n);
        cv_col_append_str(out, s, skip(s, n, 0, sql_i32(&a[1], r)));
    }
    return 0;
}

static int fn_right(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, a, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t n;
        const char *s = sql_str(&a[0], r, &n);
        size_t b = skip_back(s, n, sql_i32(&a[1], r));
        cv_col_append_str(out, s + b, n - b);
    }
    return 0;
}

/* SUBSTRING(s, start[, length]), H2's rules as SeaTunnel keeps them: start 0
 * is 1, a negative start counts from the end, a NULL length means "to the
 * end", and an empty or out-of-range piece is NULL. */
static int fn_substring(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (inactive(x, r) || sql_null(&a[0], r) || sql_null(&a[1], r)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t n;
        const char *s = sql_str(&a[0], r, &n);
        int64_t sl = (int64_t)nchars(s, n), start = sql_i32(&a[1], r);
        if (start == 0)
            start = 1;
        else if (start < 0)
            start = sl + start + 1;
        bool has_len = c->nargs > 2 && !sql_null(&a[2], r);
        int64_t end = has_len ? start + sql_i32(&a[2], r) : CV_MAX(sl + 1, start);
        start = CV_MAX(start, 1);
        end = CV_MIN(end, sl + 1);
        if (start > sl || end <= start) {
            cv_col_append_null(out);
            continue;
        }
        size_t b0 = skip(s, n, 0, start - 1), b1 = skip(s, n, b0, end - start);
        cv_col_append_str(out, s + b0, b1 - b0);
    }
    return 0;
}

/* Java's indexOf (start >= 0: from character start-1) and lastIndexOf
 * (start < 0: the last match at or before character len+start), 1-based;
 * 0 when not found. */
static int32_t locate(const char *s, size_t n, const char *f, size_t m, int64_t start)
{
    if (start < 0) {
        int64_t from = (int64_t)nchars(s, n) + start;
        if (from < 0 || m > n) return 0;
        size_t p = CV_MIN(skip(s, n, 0, from), n - m);
        for (;; p--) {
            if (at_char(s, n, p) && memcmp(s + p, f, m) == 0) return (int32_t)nchars(s, p) + 1;
            if (p == 0) return 0;
        }
    }
    size_t off = skip(s, n, 0, start == 0 ? 0 : start - 1);
    for (;;) {
        const char *hit = m ? memmem(s + off, n - off, f, m) : s + off;
        if (!hit) return 0;
        size_t p = (size_t)(hit - s);
        if (at_char(s, n, p)) return (int32_t)nchars(s, p) + 1;
        off = p + 1;
    }
}

/* LOCATE(search, s[, start]) / POSITION(search, s) / INSTR(s, search[, start]):
 * a NULL s gives 0, as in SeaTunnel; a NULL search or start gives NULL
 * (Java fails). */
static int find_rows(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out, uint32_t is, uint32_t isearch)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (inactive(x, r)) {
            cv_col_append_null(out);
            continue;
        }
        if (sql_null(&a[is], r)) {
            cv_col_append_i32(out, 0);
            continue;
        }
        if (sql_null(&a[isearch], r) || (c->nargs > 2 && sql_null(&a[2], r))) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t n, m;
        const char *s = sql_str(&a[is], r, &n), *f = sql_str(&a[isearch], r, &m);
        cv_col_append_i32(out, locate(s, n, f, m, c->nargs > 2 ? sql_i32(&a[2], r) : 1));
    }
    return 0;
}

static int fn_locate(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    return find_rows(c, x, a, out, 1, 0);
}

static int fn_instr(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    return find_rows(c, x, a, out, 0, 1);
}

/* The first character of an optional argument as bytes, else ' '. */
static size_t first_char(const sql_call *c, const sql_vec *a, uint32_t i, uint32_t r, char *o)
{
    uint32_t n;
    const char *p = opt_str(c, a, i, r, &n);
    if (!p || !n) {
        o[0] = ' ';
        return 1;
    }
    size_t k = 0;
    next_cp(p, n, &k);
    memcpy(o, p, k);
    return k;
}

/* LPAD/RPAD(s, n[, pad]): SeaTunnel pads with the first character of pad
 * only (space when pad is NULL or ''); a longer s is cut to n characters. */
static int pad_rows(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out, bool right)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (inactive(x, r) || sql_null(&a[0], r) || sql_null(&a[1], r)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t n;
        const char *s = sql_str(&a[0], r, &n);
        int64_t want = CV_MAX(sql_i32(&a[1], r), 0), len = (int64_t)nchars(s, n);
        if (want <= len) {
            cv_col_append_str(out, s, skip(s, n, 0, want));
            continue;
        }
        char pc[4];
        size_t pl = first_char(c, a, 2, r, pc);
        size_t count = (size_t)(want - len);
        if (count * pl + n > STR_MAX) return too_long(c, x, r, (double)count * (double)pl + n);
        cv_buf_reset(&x->scratch);
        if (cv_buf_reserve(&x->scratch, count * pl + n) < 0) return no_memory(x);
        if (right) cv_buf_put(&x->scratch, s, n);
        for (size_t k = 0; k < count; k++) cv_buf_put(&x->scratch, pc, pl);
        if (!right) cv_buf_put(&x->scratch, s, n);
        CV_TRY(put_scratch(x, out));
    }
    return 0;
}

static int fn_lpad(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    return pad_rows(c, x, a, out, false);
}

static int fn_rpad(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    return pad_rows(c, x, a, out, true);
}

/* TRIM/LTRIM/RTRIM(s[, chars]): SeaTunnel removes the first character of
 * chars only (space when chars is NULL or ''). */
static int trim_rows(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out, bool lead, bool trail)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (inactive(x, r) || sql_null(&a[0], r)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t n;
        const char *s = sql_str(&a[0], r, &n);
        char tc[4];
        size_t tl = first_char(c, a, 1, r, tc), b = 0, e = n;
        if (lead)
            while (e - b >= tl && memcmp(s + b, tc, tl) == 0) b += tl;
        if (trail)
            while (e - b >= tl && memcmp(s + e - tl, tc, tl) == 0) e -= tl;
        cv_col_append_str(out, s + b, e - b);
    }
    return 0;
}

static int fn_trim(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    return trim_rows(c, x, a, out, true, true);
}

static int fn_ltrim(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    return trim_rows(c, x, a, out, true, false);
}

static int fn_rtrim(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    return trim_rows(c, x, a, out, false, true);
}

/* REPEAT(s, n): n <= 0 gives ''. */
static int fn_repeat(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, a, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t n;
        const char *s = sql_str(&a[0], r, &n);
        int32_t k = sql_i32(&a[1], r);
        if (k <= 0 || n == 0) {
            cv_col_append_str(out, "", 0);
            continue;
        }
        if ((size_t)k * n > STR_MAX) return too_long(c, x, r, (double)k * n);
        cv_buf_reset(&x->scratch);
        if (cv_buf_reserve(&x->scratch, (size_t)k * n) < 0) return no_memory(x);
        for (int32_t i = 0; i < k; i++) cv_buf_put(&x->scratch, s, n);
        CV_TRY(put_scratch(x, out));
    }
    return 0;
}

/* SPACE(n): n <= 0 gives ''. */
static int fn_space(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, a, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        int32_t k = sql_i32(&a[0], r);
        if (k <= 0) {
            cv_col_append_str(out, "", 0);
            continue;
        }
        if ((size_t)k > STR_MAX) return too_long(c, x, r, k);
        cv_buf_reset(&x->scratch);
        if (cv_buf_reserve(&x->scratch, (size_t)k) < 0) return no_memory(x);
        memset(x->scratch.data, ' ', (size_t)k);
        x->scratch.len = (size_t)k;
        x->scratch.data[k] = '\0';
        CV_TRY(put_scratch(x, out));
    }
    return 0;
}

/* REPLACE(s, search[, replacement]): every occurrence, left to right; a
 * missing or NULL replacement removes them, an empty search changes nothing. */
static int fn_replace(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (inactive(x, r) || sql_null(&a[0], r) || sql_null(&a[1], r)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t n, m, rn;
        const char *s = sql_str(&a[0], r, &n), *f = sql_str(&a[1], r, &m);
        const char *rep = opt_str(c, a, 2, r, &rn);
        const char *hit = m ? memmem(s, n, f, m) : NULL;
        if (!hit) {
            cv_col_append_str(out, s, n);
            continue;
        }
        cv_buf_reset(&x->scratch);
        size_t from = 0;
        while (hit) {
            size_t p = (size_t)(hit - s);
            cv_buf_put(&x->scratch, s + from, p - from);
            if (rep) cv_buf_put(&x->scratch, rep, rn);
            from = p + m;
            hit = memmem(s + from, n - from, f, m);
        }
        cv_buf_put(&x->scratch, s + from, n - from);
        CV_TRY(put_scratch(x, out));
    }
    return 0;
}

/* Byte range of character k of s, or false when s is shorter. */
static bool char_at(const char *s, size_t n, size_t k, size_t *b, size_t *e)
{
    size_t i = 0;
    for (;; k--) {
        if (i >= n) return false;
        size_t j = i;
        next_cp(s, n, &j);
        if (k == 0) {
            *b = i, *e = j;
            return true;
        }
        i = j;
    }
}

/* TRANSLATE(s, from, to): each character of s found in `from` becomes the
 * character at the same place in `to`. As in SeaTunnel, one whose place is
 * past the end of `to` (or a NULL `to`) stays as it is. */
static int fn_translate(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (inactive(x, r) || sql_null(&a[0], r) || sql_null(&a[1], r)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t n, fn, tn;
        const char *s = sql_str(&a[0], r, &n), *f = sql_str(&a[1], r, &fn);
        const char *t = opt_str(c, a, 2, r, &tn);
        cv_buf_reset(&x->scratch);
        for (size_t i = 0; i < n;) {
            size_t j = i;
            next_cp(s, n, &j);
            /* the place of this character in `from` */
            size_t idx = 0, fi = 0;
            bool found = false;
            while (fi < fn) {
                size_t fj = fi;
                next_cp(f, fn, &fj);
                if (fj - fi == j - i && memcmp(f + fi, s + i, j - i) == 0) {
                    found = true;
                    break;
                }
                fi = fj;
                idx++;
            }
            size_t tb, te;
            if (found && t && char_at(t, tn, idx, &tb, &te))
                cv_buf_put(&x->scratch, t + tb, te - tb);
            else
                cv_buf_put(&x->scratch, s + i, j - i);
            i = j;
        }
        CV_TRY(put_scratch(x, out));
    }
    return 0;
}

/* SOUNDEX as SeaTunnel computes it: ASCII letters only, H and W do not
 * separate equal codes, vowels do. */
static int fn_soundex(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    /* code of A..Z: 1-6 consonant groups, 7 vowel (and Y), 8 H and W */
    static const char code[] = "71237128722455712623718272";
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, a, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t n;
        const char *s = sql_str(&a[0], r, &n);
        char o[4] = {'0', '0', '0', '0'}, last = '0';
        for (uint32_t i = 0, j = 0; i < n && j < 4; i++) {
            char ch = s[i];
            if (ch >= 'a' && ch <= 'z') ch = (char)(ch - 32);
            if (ch < 'A' || ch > 'Z') continue;
            char d = code[ch - 'A'];
            if (j == 0) {
                o[j++] = ch;
                last = d;
            } else if (d <= '6') {
                if (d != last) o[j++] = last = d;
            } else if (d == '7') {
                last = d;
            }
        }
        cv_col_append_str(out, o, 4);
    }
    return 0;
}

/* ---- TO_CHAR ----------------------------------------------------------------------------- */

typedef struct tochar_plan {
    bool known; /* the pattern was constant and is compiled in fmt */
    cv_datefmt fmt;
} tochar_plan;

static bool is_temporal(const cv_type *t)
{
    return t->id == CV_T_DATE || t->id == CV_T_TIME || t->id == CV_T_TIMESTAMP || t->id == CV_T_TIMESTAMP_TZ;
}

/* Compile a date pattern for values of type t; NULL or why not. */
static const char *tochar_compile(const cv_type *t, const char *p, size_t n, cv_datefmt *f)
{
    char z[sizeof f->pattern];
    const char *why = NULL;
    if (n >= sizeof z) return "the pattern is too long";
    memcpy(z, p, n);
    z[n] = '\0';
    if (cv_datefmt_compile(z, f, &why) < 0) return why;
    if (t->id == CV_T_DATE && f->has_time) return "a date has no time fields (H, h, m, s, S)";
    if (t->id == CV_T_TIME && f->has_date) return "a time has no date fields (y, M, d)";
    return NULL;
}

static int bind_to_char(sql_call *c, cv_arena *a, const sql_vec *k, cv_err *err)
{
    if (c->nargs < 2 || !is_temporal(c->argt[0]) || !k[1].col || sql_null(&k[1], 0)) return 0;
    tochar_plan *p = cv_arena_zalloc(a, sizeof *p);
    if (!p) return cv_err_set(err, CV_ENOMEM, "out of memory");
    uint32_t n;
    const char *s = sql_str(&k[1], 0, &n);
    const char *why = tochar_compile(c->argt[0], s, n, &p->fmt);
    if (why) return sql_bind_fail(c, err, "bad date pattern '%.*s': %s", QUOTE(n), s, why);
    p->known = true;
    c->state = p;
    return 0;
}

static int64_t temporal_micros(const cv_type *t, const sql_vec *v, uint32_t r)
{
    int64_t raw = sql_temporal(v, r);
    if (t->id == CV_T_DATE) return raw * 86400000000LL;
    if (t->id == CV_T_TIME) return raw / 1000;
    return raw;
}

/* TO_CHAR(v[, pattern]): dates and times formatted with a Java date
 * pattern; everything else (and temporals without a pattern) as its text. */
static int fn_to_char(const sql_call *c, sql_ctx *x, const sql_vec *a, cv_col *out)
{
    const tochar_plan *plan = c->state;
    const cv_type *t = c->argt[0];
    bool temporal = is_temporal(t) && c->nargs > 1;
    cv_datefmt row_fmt; /* the last pattern compiled per row */
    bool have_row_fmt = false;
    for (uint32_t r = 0; r < x->n; r++) {
        if (inactive(x, r) || arg_null(c, a, 0, r) || (temporal && sql_null(&a[1], r))) {
            cv_col_append_null(out);
            continue;
        }
        cv_buf_reset(&x->scratch);
        if (!temporal) {
            any_text(a[0].col, sql_ix(&a[0], r), &x->scratch);
            CV_TRY(put_scratch(x, out));
            continue;
        }
        const cv_datefmt *f = plan && plan->known ? &plan->fmt : NULL;
        if (!f) {
            uint32_t n;
            const char *p = sql_str(&a[1], r, &n);
            if (!have_row_fmt || strlen(row_fmt.pattern) != n || memcmp(row_fmt.pattern, p, n) != 0) {
                const char *why = tochar_compile(t, p, n, &row_fmt);
                have_row_fmt = !why;
                if (why) return sql_fail(c, x, r, "bad date pattern '%.*s': %s", QUOTE(n), p, why);
            }
            f = &row_fmt;
        }
        cv_datefmt_format(f, temporal_micros(t, &a[0], r), &x->scratch);
        CV_TRY(put_scratch(x, out));
    }
    return 0;
}

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

/* ---- the table ---------------------------------------------------------------------------- */

/* Parameter and result letters: see func.h. Functions with SQL_F_NULLS have
 * arguments whose NULL does not make the result NULL (SeaTunnel's rules,
 * noted at each function). */
const sql_func cv__sql_fn_string[] = {
    {"ASCII", 1, 1, "S", 'I', 0, NULL, fn_ascii},
    {"BIT_LENGTH", 1, 1, "S", 'L', 0, NULL, fn_bit_length},
    {"CHAR_LENGTH", 1, 1, "S", 'L', 0, NULL, fn_char_length},
    {"LENGTH", 1, 1, "S", 'L', 0, NULL, fn_char_length},
    {"OCTET_LENGTH", 1, 1, "S", 'L', 0, NULL, fn_octet_length},
    {"CHAR", 1, 1, "I", 'S', 0, NULL, fn_chr},
    {"CHR", 1, 1, "I", 'S', 0, NULL, fn_chr},
    {"CONCAT", 1, -1, "S", 'S', SQL_F_NULLS, NULL, fn_concat},
    {"CONCAT_WS", 1, -1, "SA", 'S', SQL_F_NULLS, NULL, fn_concat_ws},
    {"HEXTORAW", 1, 1, "S", 'S', 0, NULL, fn_hextoraw},
    {"RAWTOHEX", 1, 1, "A", 'S', 0, NULL, fn_rawtohex},
    {"INSERT", 4, 4, "SIIS", 'S', SQL_F_NULLS, NULL, fn_insert},
    {"LOWER", 1, 1, "S", 'S', 0, NULL, fn_lower},
    {"LCASE", 1, 1, "S", 'S', 0, NULL, fn_lower},
    {"UPPER", 1, 1, "S", 'S', 0, NULL, fn_upper},
    {"UCASE", 1, 1, "S", 'S', 0, NULL, fn_upper},
    {"LEFT", 2, 2, "SI", 'S', 0, NULL, fn_left},
    {"RIGHT", 2, 2, "SI", 'S', 0, NULL, fn_right},
    {"LOCATE", 2, 3, "SSI", 'I', SQL_F_NULLS, NULL, fn_locate},
    {"POSITION", 2, 2, "SS", 'I', SQL_F_NULLS, NULL, fn_locate},
    {"INSTR", 2, 3, "SSI", 'I', SQL_F_NULLS, NULL, fn_instr},
    {"LPAD", 2, 3, "SIS", 'S', SQL_F_NULLS, NULL, fn_lpad},
    {"RPAD", 2, 3, "SIS", 'S', SQL_F_NULLS, NULL, fn_rpad},
    {"LTRIM", 1, 2, "S", 'S', SQL_F_NULLS, NULL, fn_ltrim},
    {"RTRIM", 1, 2, "S", 'S', SQL_F_NULLS, NULL, fn_rtrim},
    {"TRIM", 1, 2, "S", 'S', SQL_F_NULLS, NULL, fn_trim},
    {"REGEXP_REPLACE", 3, 4, "S", 'S', SQL_F_NULLS, bind_regexp_replace, fn_regexp_replace},
    {"REGEXP_LIKE", 2, 3, "S", 'B', SQL_F_NULLS, bind_regexp_like, fn_regexp_like},
    {"REGEXP_SUBSTR", 2, 6, "SSIISI", 'S', SQL_F_NULLS, bind_regexp_substr, fn_regexp_substr},
    {"REPEAT", 2, 2, "SI", 'S', 0, NULL, fn_repeat},
    {"REPLACE", 2, 3, "S", 'S', SQL_F_NULLS, NULL, fn_replace},
    {"SOUNDEX", 1, 1, "S", 'S', 0, NULL, fn_soundex},
    {"SPACE", 1, 1, "I", 'S', 0, NULL, fn_space},
    {"SPLIT", 1, 2, "S", 'S', SQL_F_NULLS, bind_split, fn_split},
    {"SUBSTRING", 2, 3, "SII", 'S', SQL_F_NULLS, NULL, fn_substring},
    {"SUBSTR", 2, 3, "SII", 'S', SQL_F_NULLS, NULL, fn_substring},
    {"TO_CHAR", 1, 2, "AS", 'S', SQL_F_NULLS, bind_to_char, fn_to_char},
    {"TRANSLATE", 3, 3, "S", 'S', SQL_F_NULLS, NULL, fn_translate},
    {NULL},
};
