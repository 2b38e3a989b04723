/* fuzz_regex.c — Java regular expressions on PCRE2 (formats/regex.c): the
 * pattern translation and compile, and Matcher-like find, split and
 * replaceAll/replaceFirst with Java replacement strings.
 * Input: one control byte (bits 0-2: CV_RE_* flags, bit 3: compile into
 * an arena, bit 4: replace only the first match, bits 5-7: split limit
 * 1-8), then the pattern, a newline, the subject, a newline, the
 * replacement. Invariants: a pattern compiles or says why; find always
 * moves forward and reports groups inside the subject; split gives at
 * most `limit` ordered parts inside the subject; a replacement that the
 * plan-time check accepts never fails at run time. */
#include "formats/formats.h"
#include "fuzz.h"

static const char *line(const char **p, const char *e, size_t *n)
{
    const char *s = *p, *nl = memchr(s, '\n', (size_t)(e - s));
    *n = nl ? (size_t)(nl - s) : (size_t)(e - s);
    *p = nl ? nl + 1 : e;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 2048) return 0;
    uint8_t ctl = data[0];
    const char *p = (const char *)data + 1, *e = (const char *)data + size;
    size_t plen, slen, rlen;
    const char *pat = line(&p, e, &plen), *subj = line(&p, e, &slen), *rep = line(&p, e, &rlen);
    /* exact-size copies so that reads past the end are caught */
    char *pattern = cv_malloc(plen ? plen : 1), *s = cv_malloc(slen ? slen : 1);
    char *repl = cv_strndup(rep, rlen);
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_regex *re = NULL;
    cv_rematch *m = NULL;
    if (!pattern || !s || !repl) goto out;
    memcpy(pattern, pat, plen);
    memcpy(s, subj, slen);

    char why[256] = "";
    int rc = cv_regex_compile_n(pattern, plen, ctl & 7u, ctl & 8u ? &a : NULL, &re, why, sizeof why);
    if (rc < 0) {
        FUZZ_ASSERT(rc == CV_ECONFIG || rc == CV_ENOMEM, "compile returned %d", rc);
        FUZZ_ASSERT(rc != CV_ECONFIG || why[0], "a pattern was rejected without a reason");
        re = NULL;
        goto out;
    }
    uint32_t groups = cv_regex_groups(re);
    m = cv_rematch_new(re);
    if (!m) goto out;

    /* find: forward only, groups inside the subject */
    size_t from = 0, last = 0;
    int found = 0;
    for (int r; (r = cv_regex_find(re, m, s, slen, &from)) == 1; found++) {
        FUZZ_ASSERT(from > last || (found == 0 && from >= last), "find went from %zu back to %zu", last, from);
        FUZZ_ASSERT(found <= (int)slen + 1, "more matches than positions");
        last = from;
        for (uint32_t g = 0; g <= groups; g++) {
            size_t gs, ge;
            if (cv_rematch_group(m, g, &gs, &ge))
                FUZZ_ASSERT(gs <= ge && ge <= slen, "group %u at [%zu, %zu) of %zu bytes", g, gs, ge, slen);
        }
    }
    (void)cv_regex_full_match(re, m, s, slen);

    /* split: 1 … limit ordered parts inside the subject */
    uint32_t limit = (uint32_t)(ctl >> 5) + 1, st[8], ln[8];
    int k = cv_regex_split(re, m, s, slen, limit, st, ln);
    if (k >= 0) {
        FUZZ_ASSERT(k >= 1 && (uint32_t)k <= limit, "split gave %d parts for limit %u", k, limit);
        size_t end = 0;
        for (int i = 0; i < k; i++) {
            FUZZ_ASSERT(st[i] >= end && (size_t)st[i] + ln[i] <= slen, "part %d [%u, +%u) out of order or bounds", i,
                        st[i], ln[i]);
            end = (size_t)st[i] + ln[i];
        }
    }

    /* replace: what the plan-time check accepts cannot fail later */
    cv_err err;
    cv_err_clear(&err);
    bool accepted = cv_regex_check_replacement(re, repl, &err) == 0;
    FUZZ_ASSERT(accepted || err.msg[0], "a replacement was rejected without a reason");
    cv_buf out;
    cv_buf_init(&out);
    char rwhy[256] = "";
    int n = cv_regex_replace(re, m, s, slen, repl, strlen(repl), ctl & 16u, &out, rwhy, sizeof rwhy);
    if (accepted) FUZZ_ASSERT(n != CV_ECONFIG, "an accepted replacement failed: %s", rwhy);
    if (n >= 0) FUZZ_ASSERT(n <= found, "%d replacements for %d matches", n, found);
    cv_buf_free(&out);
out:
    cv_rematch_free(m);
    if (!(ctl & 8u)) cv_regex_free(re);
    cv_arena_free(&a);
    cv_free(repl);
    cv_free(s);
    cv_free(pattern);
    return 0;
}
