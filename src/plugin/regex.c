/* regex.c — Java regular expressions (java.util.regex) on PCRE2, for the
 * transforms whose SeaTunnel options are Java regexes (Replace, Split,
 * TableRename, TableFilter).
 *
 * PCRE2 reads Java's syntax nearly unchanged; what differs is the driving
 * loop, so the loops here follow Java's Matcher: after an empty match the
 * next search starts one character later (Matcher.find), replacements
 * understand `$n`, `${name}` and `\x` (Matcher.appendReplacement), and
 * splitting follows Pattern.split(input, limit) — no empty leading part for
 * a zero-width match at the start, trailing empty parts kept. Line
 * terminators are Java's set (PCRE2_NEWLINE_ANY), and invalid UTF-8 in a
 * subject never matches instead of failing (PCRE2_MATCH_INVALID_UTF).
 *
 * PCRE2 allocates through cv_malloc (a general context), so allocation
 * failure tests reach it too. A compiled cv_regex is read-only and shared
 * by threads; each thread matches with its own cv_rematch. */
#include "plugin.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

struct cv_regex {
    pcre2_general_context *gctx;
    pcre2_code *code;
    uint32_t ngroups;
};

struct cv_rematch {
    pcre2_match_data *md;
};

static void *re_malloc(PCRE2_SIZE n, void *ud)
{
    (void)ud;
    return cv_malloc(n);
}

static void re_free(void *p, void *ud)
{
    (void)ud;
    cv_free(p);
}

int cv_regex_compile(const char *pattern, cv_regex **out, cv_err *err)
{
    *out = NULL;
    cv_regex *re = cv_calloc(1, sizeof *re);
    if (!re || !(re->gctx = pcre2_general_context_create(re_malloc, re_free, NULL))) {
        cv_free(re);
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    }
    pcre2_compile_context *cctx = pcre2_compile_context_create(re->gctx);
    if (!cctx) {
        cv_regex_free(re);
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    }
    pcre2_set_newline(cctx, PCRE2_NEWLINE_ANY);
    int ec;
    PCRE2_SIZE off;
    re->code =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec, &off, cctx);
    pcre2_compile_context_free(cctx);
    if (!re->code) {
        cv_regex_free(re);
        if (ec == PCRE2_ERROR_NOMEMORY) return cv_err_set(err, CV_ENOMEM, "out of memory");
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(ec, msg, sizeof msg);
        return cv_err_set(err, CV_ECONFIG, "bad regular expression \"%s\": %s at offset %zu", pattern, (char *)msg,
                          (size_t)off);
    }
    (void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE); /* optional: interpreted when it fails */
    pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &re->ngroups);
    *out = re;
    return 0;
}

void cv_regex_free(cv_regex *re)
{
    if (!re) return;
    pcre2_code_free(re->code);
    pcre2_general_context_free(re->gctx);
    cv_free(re);
}

cv_rematch *cv_rematch_new(const cv_regex *re)
{
    cv_rematch *m = cv_calloc(1, sizeof *m);
    if (!m) return NULL;
    m->md = pcre2_match_data_create_from_pattern(re->code, re->gctx);
    if (!m->md) {
        cv_free(m);
        return NULL;
    }
    return m;
}

void cv_rematch_free(cv_rematch *m)
{
    if (!m) return;
    pcre2_match_data_free(m->md);
    cv_free(m);
}

/* Byte length of the UTF-8 character at s[i] (1 for stray bytes). */
static size_t char_len(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return i + k <= n ? k : n - i;
}

/* Java's Matcher.find from `from`: 1 with [*ms, *me), 0 at the end, or a
 * negative code (match limit, out of memory). */
static int find(const cv_regex *re, cv_rematch *m, const char *s, size_t n, size_t from, size_t *ms, size_t *me)
{
    if (from > n) return 0;
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, from, 0, m->md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    if (rc < 0) return rc == PCRE2_ERROR_NOMEMORY ? CV_ENOMEM : CV_EDATA;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
    *ms = ov[0];
    *me = ov[1];
    return 1;
}

/* Where Matcher.find continues after the match [ms, me). */
static size_t next_from(const char *s, size_t n, size_t ms, size_t me)
{
    return me == ms ? (me < n ? me + char_len(s, n, me) : n + 1) : me;
}

bool cv_regex_full_match(const cv_regex *re, cv_rematch *m, const char *s, size_t n)
{
    return pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, PCRE2_ANCHORED | PCRE2_ENDANCHORED, m->md, NULL) >= 0;
}

/* Walk a Java replacement string. With m == NULL only check it against the
 * pattern's groups; otherwise append the expansion for the current match. */
static int expand(const cv_regex *re, const cv_rematch *m, const char *s, const char *repl, cv_buf *out,
                  const char **why, char *name, size_t namecap)
{
    PCRE2_SIZE *ov = m ? pcre2_get_ovector_pointer(m->md) : NULL;
    for (const char *p = repl; *p;) {
        if (*p == '\\') {
            if (!p[1]) return *why = "character to be escaped is missing", CV_ECONFIG;
            if (out) cv_buf_putc(out, p[1]);
            p += 2;
            continue;
        }
        if (*p != '$') {
            const char *q = p;
            while (*q && *q != '\\' && *q != '$') q++;
            if (out) cv_buf_put(out, p, (size_t)(q - p));
            p = q;
            continue;
        }
        p++;
        uint32_t g;
        if (*p == '{') {
            const char *e = strchr(p, '}');
            size_t len = e ? (size_t)(e - p - 1) : 0;
            if (!e || len == 0 || len >= namecap)
                return *why = "named capturing group is missing trailing '}'", CV_ECONFIG;
            memcpy(name, p + 1, len);
            name[len] = '\0';
            int num = pcre2_substring_number_from_name(re->code, (PCRE2_SPTR)name);
            if (num < 0) return *why = "no group with this name", CV_ECONFIG;
            g = (uint32_t)num;
            p = e + 1;
        } else if (*p >= '0' && *p <= '9') {
            /* the first digit always counts; later ones while the group exists */
            g = (uint32_t)(*p++ - '0');
            while (*p >= '0' && *p <= '9' && g * 10 + (uint32_t)(*p - '0') <= re->ngroups)
                g = g * 10 + (uint32_t)(*p++ - '0');
            if (g > re->ngroups) {
                snprintf(name, namecap, "%u", g);
                return *why = "no group", CV_ECONFIG;
            }
        } else {
            return *why = "illegal group reference ('$' must be followed by a group number or {name}; write \\$ for a "
                          "literal '$')",
                   CV_ECONFIG;
        }
        if (out && ov[2 * g] != PCRE2_UNSET) cv_buf_put(out, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
    }
    return 0;
}

int cv_regex_check_replacement(const cv_regex *re, const char *repl, cv_err *err)
{
    const char *why = NULL;
    char name[64] = "";
    if (expand(re, NULL, NULL, repl, NULL, &why, name, sizeof name) < 0)
        return cv_err_set(err, CV_ECONFIG, "bad replacement \"%s\": %s%s%s", repl, why, name[0] ? " " : "", name);
    return 0;
}

int cv_regex_replace(const cv_regex *re, cv_rematch *m, const char *s, size_t n, const char *repl, bool first,
                     cv_buf *out)
{
    size_t from = 0, tail = 0, ms, me;
    int count = 0, rc;
    const char *why;
    char name[64];
    while ((rc = find(re, m, s, n, from, &ms, &me)) == 1) {
        cv_buf_put(out, s + tail, ms - tail);
        /* the replacement was checked at plan time: expansion cannot fail */
        (void)expand(re, m, s, repl, out, &why, name, sizeof name);
        tail = me;
        count++;
        if (first) break;
        from = next_from(s, n, ms, me);
    }
    if (rc < 0) return rc;
    cv_buf_put(out, s + tail, n - tail);
    return count;
}

int cv_regex_split(const cv_regex *re, cv_rematch *m, const char *s, size_t n, uint32_t limit, uint32_t *start,
                   uint32_t *len)
{
    uint32_t k = 0;
    size_t index = 0, from = 0, ms, me;
    int rc = 0;
    while (k < limit && (rc = find(re, m, s, n, from, &ms, &me)) == 1) {
        from = next_from(s, n, ms, me);
        if (k + 1 < limit) {
            /* a zero-width match at the very start yields no empty first part */
            if (index == 0 && ms == 0 && me == 0) continue;
            start[k] = (uint32_t)index;
            len[k++] = (uint32_t)(ms - index);
            index = me;
        } else {
            start[k] = (uint32_t)index;
            len[k++] = (uint32_t)(n - index);
            index = me;
            return (int)k;
        }
    }
    if (k < limit && rc < 0) return rc;
    if (index == 0) k = 0; /* no separator: the whole input is the one part */
    start[k] = (uint32_t)index;
    len[k++] = (uint32_t)(n - index);
    return (int)k;
}
