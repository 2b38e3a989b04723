/* test_regex.c — Java regex semantics on PCRE2: replaceAll/replaceFirst
 * with group references and empty matches, String.split(regex, limit),
 * full matches, and the plan-time checks of replacements. */
#include "unit.h"

#include "formats/formats.h"

#include <stdio.h>
#include <string.h>

static char out[512];

static const char *repl(const char *pat, const char *s, const char *rep, bool first)
{
    cv_regex *re;
    cv_err err;
    cv_err_clear(&err);
    if (cv_regex_compile(pat, &re, &err) < 0) return "<compile>";
    cv_rematch *m = cv_rematch_new(re);
    cv_buf b;
    cv_buf_init(&b);
    char why[200];
    int rc = cv_regex_replace(re, m, s, strlen(s), rep, strlen(rep), first, &b, why, sizeof why);
    snprintf(out, sizeof out, "%s", rc < 0 ? "<error>" : b.data ? b.data : "");
    cv_buf_free(&b);
    cv_rematch_free(m);
    cv_regex_free(re);
    return out;
}

/* The parts joined by '|', NULL-free: "a|b|". */
static const char *split(const char *pat, const char *s, uint32_t limit)
{
    cv_regex *re;
    cv_err err;
    cv_err_clear(&err);
    if (cv_regex_compile(pat, &re, &err) < 0) return "<compile>";
    cv_rematch *m = cv_rematch_new(re);
    uint32_t st[16], len[16];
    int n = cv_regex_split(re, m, s, strlen(s), limit, st, len);
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(out + o, sizeof out - o, "%s%.*s", i ? "|" : "", (int)len[i], s + st[i]);
    snprintf(out + o, sizeof out - o, "#%d", n);
    cv_rematch_free(m);
    cv_regex_free(re);
    return out;
}

TEST(regex_replace_java)
{
    CHECK_STR(repl("(\\w)(\\w*)", "hello world", "$2$1ay", false), "ellohay orldway");
    CHECK_STR(repl("o", "foo boo", "0", true), "f0o boo");
    CHECK_STR(repl("x*", "abc", "-", false), "-a-b-c-"); /* empty matches, Java's stepping */
    CHECK_STR(repl("(\\d+)", "a1b22", "\\$$1", false), "a$1b$22");
    CHECK_STR(repl("(?<y>\\d{4})-(\\d\\d)", "2024-05", "$2/${y}", false), "05/2024");
    CHECK_STR(repl("(a)", "a", "$11", false), "a1"); /* $1 then a literal 1: there is no group 11 */
    CHECK_STR(repl("é", "café crème", "e", false), "cafe crème");
    CHECK_STR(repl("$", "line\n", "!", false), "line!\n!"); /* Java: before the final terminator and at the end */
}

TEST(regex_replacement_checked)
{
    cv_regex *re;
    cv_err err;
    cv_err_clear(&err);
    REQUIRE_INT(cv_regex_compile("(a)(b)", &re, &err), 0);
    CHECK_INT(cv_regex_check_replacement(re, "$1$2", &err), 0);
    CHECK_INT(cv_regex_check_replacement(re, "$3", &err), CV_ECONFIG);
    CHECK_CONTAINS(err.msg, "no group 3");
    cv_err_clear(&err);
    CHECK_INT(cv_regex_check_replacement(re, "x$", &err), CV_ECONFIG);
    cv_err_clear(&err);
    CHECK_INT(cv_regex_check_replacement(re, "x\\", &err), CV_ECONFIG);
    cv_err_clear(&err);
    CHECK_INT(cv_regex_check_replacement(re, "${nope}", &err), CV_ECONFIG);
    cv_regex_free(re);
    cv_err_clear(&err);
    CHECK_INT(cv_regex_compile("(a", &re, &err), CV_ECONFIG);
    CHECK_CONTAINS(err.msg, "missing closing parenthesis at character 3");
}

TEST(regex_split_java)
{
    CHECK_STR(split(",", "a,b,c", 2), "a|b,c#2");
    CHECK_STR(split(",", "a,b", 4), "a|b#2");
    CHECK_STR(split(",", ",x,", 3), "|x|#3"); /* leading and trailing empty parts kept */
    CHECK_STR(split(",", "abc", 3), "abc#1");
    CHECK_STR(split(",", "", 3), "#1");
    CHECK_STR(split("", "abc", 5), "a|b|c|#4"); /* no empty first part at 0; the empty tail is kept */
    CHECK_STR(split("\\s*;\\s*", "a ; b;c", 3), "a|b|c#3");
    CHECK_STR(split(",", "a,b,c", 1), "a,b,c#1");
}

TEST(regex_full_match)
{
    cv_regex *re;
    cv_err err;
    cv_err_clear(&err);
    REQUIRE_INT(cv_regex_compile("db_[0-9]+", &re, &err), 0);
    cv_rematch *m = cv_rematch_new(re);
    CHECK(cv_regex_full_match(re, m, "db_12", 5));
    CHECK(!cv_regex_full_match(re, m, "db_12x", 6));
    CHECK(!cv_regex_full_match(re, m, "xdb_1", 5));
    cv_rematch_free(m);
    cv_regex_free(re);
}

/* Every allocation of a compile fails in turn: each failure is "out of
 * memory" (or none, for an optional one), never a complaint about the pattern (PCRE2 reports its own
 * allocation failures as a compile error, "failed to allocate heap memory"). */
TEST(regex_compile_out_of_memory)
{
    static const char *const pats[] = {"([a-z]+)\\d{2,}", " ", "(?<name>x)|\\x{41}"};
    for (size_t p = 0; p < sizeof pats / sizeof *pats; p++) {
        int failures = 0;
        for (uint64_t n = 1;; n++) {
            cv_regex *re = NULL;
            cv_err err;
            cv_err_clear(&err);
            cv_alloc_fail_after(n);
            int rc = cv_regex_compile(pats[p], &re, &err);
            uint64_t made = cv_alloc_fail_after(0);
            cv_regex_free(re);
            if (made < n) {
                CHECK_INT(rc, 0);
                break;
            }
            unit_context("pattern %s, allocation %llu: %s", pats[p], (unsigned long long)n, err.msg);
            /* (the JIT compile is optional: without it the pattern runs
             * interpreted, so its failing allocations leave rc 0) */
            if (!CHECK(rc == CV_ENOMEM || rc == 0)) break;
            failures += rc == CV_ENOMEM;
        }
        unit_context_clear();
        CHECK(failures > 0);
    }
}
