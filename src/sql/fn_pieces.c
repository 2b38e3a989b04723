/* fn_pieces.c — SeaTunnel's functions that cut, search and pad strings:
 * LEFT, RIGHT, SUBSTRING/SUBSTR, LOCATE/POSITION/INSTR, LPAD/RPAD,
 * TRIM/LTRIM/RTRIM, REPEAT, SPACE, REPLACE, TRANSLATE, SOUNDEX. Positions
 * and lengths count Unicode code points (see fn_string.c). */
#include "fn_text.h"

#include <string.h>

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

/* ---- the table ------------------------------------------------------------------------------ */

const sql_func cv__sql_fn_pieces[] = {
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
    {"REPEAT", 2, 2, "SI", 'S', 0, NULL, fn_repeat},
    {"REPLACE", 2, 3, "S", 'S', SQL_F_NULLS, NULL, fn_replace},
    {"SOUNDEX", 1, 1, "S", 'S', 0, NULL, fn_soundex},
    {"SPACE", 1, 1, "I", 'S', 0, NULL, fn_space},
    {"SUBSTRING", 2, 3, "SII", 'S', SQL_F_NULLS, NULL, fn_substring},
    {"SUBSTR", 2, 3, "SII", 'S', SQL_F_NULLS, NULL, fn_substring},
    {"TRANSLATE", 3, 3, "S", 'S', SQL_F_NULLS, NULL, fn_translate},
    {NULL},
};
