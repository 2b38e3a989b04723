/* unit.c — the runner behind unit.h: the registered test list, failure
 * reporting with typed operands, and a main() that runs all tests (each in a
 * forked child with a timeout) or the named ones in-process. */
#include "unit.h"

#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TESTS 1024

typedef struct {
    const char *name;
    unit_fn fn;
    const char *file;
    int line;
} entry;

static entry tests[MAX_TESTS];
static size_t ntests;
static int cur_failures;
static jmp_buf cur_jmp;
static bool in_test;
static char context[512];

void unit__register(const char *name, unit_fn fn, const char *file, int line)
{
    if (ntests == MAX_TESTS) {
        fprintf(stderr, "unit: more than %d tests; raise MAX_TESTS\n", MAX_TESTS);
        abort();
    }
    tests[ntests++] = (entry){name, fn, file, line};
}

void unit_context(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(context, sizeof context, fmt, ap);
    va_end(ap);
}

void unit_context_clear(void) { context[0] = '\0'; }

void unit__fail(const char *file, int line, const char *fmt, ...)
{
    cur_failures++;
    fprintf(stdout, "  %s:%d: ", file, line);
    if (context[0]) fprintf(stdout, "[%s] ", context);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
}

void unit_skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("SKIPPED: ", stdout);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
    _exit(77); /* no exit handlers: a skipped test's setup is not torn down */
}

void unit__abort(void)
{
    if (in_test) longjmp(cur_jmp, 1);
    abort();
}

bool unit__int(const char *file, int line, const char *ea, const char *eb, int64_t a, int64_t b)
{
    if (a == b) return true;
    unit__fail(file, line, "CHECK_INT(%s, %s) failed: %lld != %lld", ea, eb, (long long)a, (long long)b);
    return false;
}

bool unit__uint(const char *file, int line, const char *ea, const char *eb, uint64_t a, uint64_t b)
{
    if (a == b) return true;
    unit__fail(file, line, "CHECK_UINT(%s, %s) failed: %llu != %llu", ea, eb, (unsigned long long)a,
               (unsigned long long)b);
    return false;
}

/* Print a string with control characters made visible. */
static void quote(char *out, size_t cap, const char *s)
{
    if (!s) {
        snprintf(out, cap, "NULL");
        return;
    }
    size_t o = 0;
    out[o++] = '"';
    for (; *s && o + 8 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    if (*s) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '"';
    out[o] = '\0';
}

bool unit__str(const char *file, int line, const char *ea, const char *eb, const char *a, const char *b)
{
    if (a == b || (a && b && strcmp(a, b) == 0)) return true;
    char qa[1200], qb[1200];
    quote(qa, sizeof qa, a);
    quote(qb, sizeof qb, b);
    unit__fail(file, line, "CHECK_STR(%s, %s) failed:\n      got      %s\n      expected %s", ea, eb, qa, qb);
    return false;
}

bool unit__dbl(const char *file, int line, const char *ea, const char *eb, double a, double b, double eps)
{
    if (isnan(a) && isnan(b)) return true;
    if (eps == 0 ? (a == b && signbit(a) == signbit(b)) : fabs(a - b) <= eps) return true;
    unit__fail(file, line, "CHECK_%s(%s, %s) failed: %.17g != %.17g", eps == 0 ? "DBL" : "NEAR", ea, eb, a, b);
    return false;
}

bool unit__contains(const char *file, int line, const char *ea, const char *eb, const char *hay, const char *needle)
{
    if (hay && needle && strstr(hay, needle)) return true;
    char qa[1200], qb[1200];
    quote(qa, sizeof qa, hay);
    quote(qb, sizeof qb, needle);
    unit__fail(file, line, "CHECK_CONTAINS(%s, %s) failed:\n      text   %s\n      lacks  %s", ea, eb, qa, qb);
    return false;
}

bool unit__mem(const char *file, int line, const char *ea, const char *eb, const void *a, const void *b, size_t n)
{
    if (n == 0 || (a && b && memcmp(a, b, n) == 0)) return true;
    char ha[200] = "", hb[200] = "";
    const unsigned char *pa = a, *pb = b;
    for (size_t i = 0, o = 0; pa && i < n && o + 4 < sizeof ha; i++)
        o += (size_t)snprintf(ha + o, sizeof ha - o, "%02x ", pa[i]);
    for (size_t i = 0, o = 0; pb && i < n && o + 4 < sizeof hb; i++)
        o += (size_t)snprintf(hb + o, sizeof hb - o, "%02x ", pb[i]);
    unit__fail(file, line, "CHECK_MEM(%s, %s, %zu) failed:\n      got      %s\n      expected %s", ea, eb, n, ha, hb);
    return false;
}

static int by_position(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    int c = strcmp(a->file, b->file);
    return c ? c : (a->line > b->line) - (a->line < b->line);
}

/* Run one test in this process; returns true when it passed. */
static bool run_here(const entry *t)
{
    cur_failures = 0;
    context[0] = '\0';
    in_test = true;
    if (setjmp(cur_jmp) == 0) t->fn();
    in_test = false;
    context[0] = '\0';
    fflush(stdout);
    return cur_failures == 0;
}

/* Run one test in a child process so that a crash or hang fails only it. */
static bool run_forked(const entry *t, unsigned timeout)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return run_here(t);
    }
    if (pid == 0) {
        alarm(timeout);
        exit(run_here(t) ? 0 : 1);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0) {}
    if (WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 77)) return true;
    if (WIFSIGNALED(st))
        printf("  %s: killed by signal %d%s\n", t->name, WTERMSIG(st), WTERMSIG(st) == SIGALRM ? " (timeout)" : "");
    else if (WEXITSTATUS(st) != 1)
        printf("  %s: exit status %d (sanitizer report?)\n", t->name, WEXITSTATUS(st));
    return false;
}

static const entry *find(const char *name)
{
    for (size_t i = 0; i < ntests; i++)
        if (strcmp(tests[i].name, name) == 0) return &tests[i];
    return NULL;
}

int main(int argc, char **argv)
{
    qsort(tests, ntests, sizeof *tests, by_position);
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (size_t i = 0; i + 1 < ntests; i++)
        for (size_t k = i + 1; k < ntests; k++)
            if (strcmp(tests[i].name, tests[k].name) == 0) {
                fprintf(stderr, "unit: test %s is defined twice\n", tests[i].name);
                return 2;
            }
    int passed = 0, failed = 0;
    if (argc >= 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < ntests; i++) printf("%s\n", tests[i].name);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--expect") == 0) {
        long want = strtol(argv[2], NULL, 10);
        if ((size_t)want != ntests) {
            printf("the build found %ld TEST()s in the sources but the binary has %zu\n", want, ntests);
            printf("0 passed, 1 failed\n");
            return 1;
        }
        printf("%zu tests registered\n1 passed, 0 failed\n", ntests);
        return 0;
    }
    if (argc >= 2) {
        for (int i = 1; i < argc; i++) {
            const entry *t = find(argv[i]);
            if (!t) {
                printf("no test named %s (try --list)\n", argv[i]);
                failed++;
                continue;
            }
            bool ok = run_here(t);
            printf("%s %s\n", ok ? "ok  " : "FAIL", t->name);
            ok ? passed++ : failed++;
        }
    } else {
        const char *to = getenv("UNIT_TIMEOUT");
        unsigned timeout = to ? (unsigned)strtoul(to, NULL, 10) : 60;
        for (size_t i = 0; i < ntests; i++) {
            bool ok = run_forked(&tests[i], timeout ? timeout : 60);
            printf("%s %s\n", ok ? "ok  " : "FAIL", tests[i].name);
            ok ? passed++ : failed++;
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
