/* regex.c — Java regular expressions (java.util.regex) on PCRE2, for every
 * place SeaTunnel takes a Java regex: the Replace and Split transforms and
 * the Sql functions REGEXP_REPLACE, REGEXP_LIKE, REGEXP_SUBSTR and SPLIT.
 *
 * PCRE2 reads Java's syntax nearly unchanged: \uhhhh needs PCRE2_ALT_BSUX
 * (and \x{h…} is then spelled \u{h…}, rewritten here), Java's line
 * terminators are PCRE2_NEWLINE_ANY, and invalid UTF-8 in a subject simply
 * does not match (PCRE2_MATCH_INVALID_UTF). What differs is the driving
 * loop, so the loops follow Java's Matcher: after an empty match the next
 * search starts one character later (find), replacements understand `$n`,
 * `${name}` and `\x` (appendReplacement), and splitting follows
 * Pattern.split(input, limit).
 *
 * Memory: a pattern compiled into an arena lives as long as the arena (the
 * Sql transform's plan-time constants); otherwise PCRE2 allocates through
 * cv_malloc, so allocation-failure tests reach it, and the code is JIT
 * compiled when the platform allows. A compiled cv_regex is read-only and
 * may be shared by threads; each thread matches with its own cv_rematch. */
#include "formats.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

struct cv_regex {
    pcre2_general_context *gctx;
    pcre2_code *code;
    uint32_t ngroups;
    bool in_arena;
};

struct cv_rematch {
    pcre2_match_data *md;
};

static void *re_malloc(PCRE2_SIZE n, void *arena) { return arena ? cv_arena_alloc(arena, n) : cv_malloc(n); }

static void re_free(void *p, void *arena)
{
    if (!arena) cv_free(p);
}

/* Byte length of the UTF-8 character at s[i] (1 for stray bytes). */
static size_t char_len(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return i + k <= n ? k : n - i;
}

static size_t nchars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Java spells a code point \x{h…h}; under PCRE2_ALT_BSUX (which Java's
 * \uhhhh needs) PCRE2 spells it \u{h…h}. Same length, so offsets hold. */
static void java_escapes(const char *p, size_t n, cv_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '\\' || i + 1 >= n) {
            cv_buf_putc(out, p[i]);
            continue;
        }
        if (p[i + 1] == 'Q') { /* quoted up to \E: nothing to rewrite */
            const char *e = memmem(p + i + 2, n - i - 2, "\\E", 2);
            size_t end = e ? (size_t)(e - p) + 2 : n;
            cv_buf_put(out, p + i, end - i);
            i = end - 1;
            continue;
        }
        if (p[i + 1] == 'x' && i + 2 < n && p[i + 2] == '{')
            cv_buf_put(out, "\\u", 2);
        else
            cv_buf_put(out, p + i, 2);
        i++;
    }
}

int cv_regex_compile_n(const char *pattern, size_t n, unsigned flags, cv_arena *arena, cv_regex **out, char *why,
                       size_t whyn)
{
    *out = NULL;
    if (whyn) why[0] = '\0';
    cv_regex *re = arena ? cv_arena_zalloc(arena, sizeof *re) : cv_calloc(1, sizeof *re);
    if (!re) return CV_ENOMEM;
    re->in_arena = arena != NULL;
    re->gctx = pcre2_general_context_create(re_malloc, re_free, arena);
    pcre2_compile_context *cctx = re->gctx ? pcre2_compile_context_create(re->gctx) : NULL;
    if (!cctx) {
        cv_regex_free(re);
        return CV_ENOMEM;
    }
    pcre2_set_newline(cctx, PCRE2_NEWLINE_ANY);
    pcre2_set_compile_extra_options(cctx, PCRE2_EXTRA_ALT_BSUX);
    uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ALT_BSUX;
    if (flags & CV_RE_CASELESS) opts |= PCRE2_CASELESS;
    if (flags & CV_RE_DOTALL) opts |= PCRE2_DOTALL;
    if (flags & CV_RE_MULTILINE) opts |= PCRE2_MULTILINE;
    cv_buf fixed;
    cv_buf_init(&fixed);
    const char *src = n ? pattern : "";
    if (n && memmem(pattern, n, "\\x{", 3)) {
        java_escapes(pattern, n, &fixed);
        src = fixed.data;
    }
    int ec = PCRE2_ERROR_NOMEMORY;
    PCRE2_SIZE off = 0;
    if (!fixed.oom) re->code = pcre2_compile((PCRE2_SPTR)src, n, opts, &ec, &off, cctx);
    cv_buf_free(&fixed);
    pcre2_compile_context_free(cctx);
    if (!re->code) {
        cv_regex_free(re);
        /* PCRE2 reports its own allocation failures as a compile error */
        if (ec == PCRE2_ERROR_NOMEMORY || ec == PCRE2_ERROR_HEAP_FAILED) return CV_ENOMEM;
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(ec, msg, sizeof msg);
        snprintf(why, whyn, "%s at character %zu", (char *)msg, nchars(pattern, CV_MIN((size_t)off, n)) + 1);
        return CV_ECONFIG;
    }
    /* JIT code cannot live in an arena; arena patterns run interpreted */
    if (!arena) (void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
    pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &re->ngroups);
    *out = re;
    return 0;
}

int cv_regex_compile(const char *pattern, cv_regex **out, cv_err *err)
{
    char why[256];
    int rc = cv_regex_compile_n(pattern, strlen(pattern), 0, NULL, out, why, sizeof why);
    if (rc == CV_ENOMEM) return cv_err_set(err, CV_ENOMEM, "out of memory");
    if (rc < 0) return cv_err_set(err, CV_ECONFIG, "bad regular expression \"%s\": %s", pattern, why);
    return 0;
}

void cv_regex_free(cv_regex *re)
{
    if (!re) return;
    pcre2_code_free(re->code);
    pcre2_general_context_free(re->gctx);
    if (!re->in_arena) cv_free(re);
}

uint32_t cv_regex_groups(const cv_regex *re) { return re->ngroups; }

cv_rematch *cv_rematch_new(const cv_regex *re)
{
    cv_rematch *m = cv_calloc(1, sizeof *m);
    if (!m) return NULL;
    /* match data on the heap even for arena patterns: it is per thread */
    pcre2_general_context *g = pcre2_general_context_create(re_malloc, re_free, NULL);
    m->md = g ? pcre2_match_data_create_from_pattern(re->code, g) : NULL;
    pcre2_general_context_free(g);
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

bool cv_rematch_group(const cv_rematch *m, uint32_t g, size_t *start, size_t *end)
{
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
    if (g >= pcre2_get_ovector_count(m->md) || ov[2 * g] == PCRE2_UNSET) return false;
    *start = ov[2 * g];
    *end = ov[2 * g + 1];
    return true;
}

int cv_regex_find(const cv_regex *re, cv_rematch *m, const char *s, size_t n, size_t *from)
{
    if (*from > n) return 0;
    int rc = pcre2_match(re->code, (PCRE2_SPTR)(n ? s : ""), n, *from, 0, m->md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH) {
        *from = n + 1;
        return 0;
    }
    if (rc < 0) return rc == PCRE2_ERROR_NOMEMORY ? CV_ENOMEM : CV_EDATA;
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
    /* Matcher.find continues at the match's end; after an empty match one
     * character further */
    *from = ov[1] > ov[0] ? ov[1] : ov[1] < n ? ov[1] + char_len(s, n, ov[1]) : n + 1;
    return 1;
}

bool cv_regex_full_match(const cv_regex *re, cv_rematch *m, const char *s, size_t n)
{
    return pcre2_match(re->code, (PCRE2_SPTR)(n ? s : ""), n, 0, PCRE2_ANCHORED | PCRE2_ENDANCHORED, m->md, NULL) >= 0;
}

static bool is_alnum(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* Walk a Java replacement string (Matcher.appendReplacement). With m ==
 * NULL only check it against the pattern's groups; otherwise append the
 * expansion for the current match of s. */
static int expand(const cv_regex *re, const cv_rematch *m, const char *s, const char *rep, size_t len, cv_buf *out,
                  char *why, size_t whyn)
{
    const PCRE2_SIZE *ov = m ? pcre2_get_ovector_pointer(m->md) : NULL;
    for (size_t i = 0; i < len;) {
        size_t run = i;
        while (run < len && rep[run] != '\\' && rep[run] != '$') run++;
        if (out) cv_buf_put(out, rep + i, run - i);
        if ((i = run) >= len) break;
        if (rep[i++] == '\\') {
            if (i >= len)
                return snprintf(why, whyn, "character to be escaped is missing (a lone \\ at the end)"), CV_ECONFIG;
            size_t k = char_len(rep, len, i);
            if (out) cv_buf_put(out, rep + i, k);
            i += k;
            continue;
        }
        uint32_t g;
        if (i < len && rep[i] == '{') {
            size_t b = ++i;
            while (i < len && is_alnum(rep[i])) i++;
            char name[40];
            if (i == b || i >= len || rep[i] != '}' || (rep[b] >= '0' && rep[b] <= '9'))
                return snprintf(why, whyn, "a group name after ${ must be letters and digits, closed by }"), CV_ECONFIG;
            if (i - b >= sizeof name) return snprintf(why, whyn, "no group with this name"), CV_ECONFIG;
            memcpy(name, rep + b, i - b);
            name[i - b] = '\0';
            int num = pcre2_substring_number_from_name(re->code, (PCRE2_SPTR)name);
            if (num < 0) return snprintf(why, whyn, "no group named %s", name), CV_ECONFIG;
            g = (uint32_t)num;
            i++;
        } else if (i < len && rep[i] >= '0' && rep[i] <= '9') {
            /* the first digit always counts; later ones while the group exists */
            g = (uint32_t)(rep[i++] - '0');
            while (i < len && rep[i] >= '0' && rep[i] <= '9' && g * 10 + (uint32_t)(rep[i] - '0') <= re->ngroups)
                g = g * 10 + (uint32_t)(rep[i++] - '0');
            if (g > re->ngroups)
                return snprintf(why, whyn, "no group %u (the pattern has %u)", g, re->ngroups), CV_ECONFIG;
        } else {
            return snprintf(why, whyn,
                            "illegal group reference ('$' must be followed by a group number or {name}; write \\$ for "
                            "a literal '$')"),
                   CV_ECONFIG;
        }
        if (out && ov[2 * g] != PCRE2_UNSET) cv_buf_put(out, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
    }
    return 0;
}

int cv_regex_expand(const cv_regex *re, const cv_rematch *m, const char *s, const char *rep, size_t len, cv_buf *out,
                    char *why, size_t whyn)
{
    return expand(re, m, s, rep, len, out, why, whyn);
}

int cv_regex_check_replacement(const cv_regex *re, const char *repl, cv_err *err)
{
    char why[200];
    if (expand(re, NULL, NULL, repl, strlen(repl), NULL, why, sizeof why) < 0)
        return cv_err_set(err, CV_ECONFIG, "bad replacement \"%s\": %s", repl, why);
    return 0;
}

int cv_regex_replace(const cv_regex *re, cv_rematch *m, const char *s, size_t n, const char *repl, size_t rlen,
                     bool first, cv_buf *out, char *why, size_t whyn)
{
    size_t from = 0, tail = 0, ms = 0, me = 0;
    int count = 0, rc;
    while ((rc = cv_regex_find(re, m, s, n, &from)) == 1) {
        cv_rematch_group(m, 0, &ms, &me);
        if (ms >= tail) cv_buf_put(out, s + tail, ms - tail);
        CV_TRY(expand(re, m, s, repl, rlen, out, why, whyn));
        tail = CV_MAX(tail, me);
        count++;
        if (first) break;
    }
    if (rc < 0) return rc;
    cv_buf_put(out, s + tail, n - tail);
    return count;
}

int cv_regex_split(const cv_regex *re, cv_rematch *m, const char *s, size_t n, uint32_t limit, uint32_t *start,
                   uint32_t *len)
{
    uint32_t k = 0;
    size_t index = 0, from = 0, ms = 0, me = 0;
    int rc = 0;
    while (k < limit && (rc = cv_regex_find(re, m, s, n, &from)) == 1) {
        cv_rematch_group(m, 0, &ms, &me);
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
