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
 * The regular-expression functions live in fn_regexp.c; the helpers both
 * files use in fn_text.h.
 *
 * A result longer than STR_MAX bytes fails the row instead of exhausting
 * memory (REPEAT, SPACE, LPAD, RPAD are the ones that can get there).
 */
#include "func.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../formats/formats.h"
#include "fn_text.h"
#include <unicase.h>

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

static bool is_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
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
    {"TO_CHAR", 1, 2, "AS", 'S', SQL_F_NULLS, bind_to_char, fn_to_char},
    {NULL},
};
