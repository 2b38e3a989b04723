/* log.c — leveled, thread-safe logging to stderr. One fprintf per line
 * under the stdio lock, so lines from reader and writer threads never
 * interleave. The CLI installs hooks to park its progress line. */
#include "base.h"

#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static _Atomic int level = CV_LOG_INFO;
static void (*hook_before)(void);
static void (*hook_after)(void);

void cv_log_set_level(cv_log_level l) { atomic_store(&level, (int)l); }
cv_log_level cv_log_get_level(void) { return (cv_log_level)atomic_load(&level); }

void cv_log_set_hook(void (*before)(void), void (*after)(void))
{
    hook_before = before;
    hook_after = after;
}

/* One line: masked unless it is data the job asked to print. */
static void emit(cv_log_level l, bool mask, const char *fmt, va_list ap) CV_PRINTF(3, 0);
static void emit(cv_log_level l, bool mask, const char *fmt, va_list ap)
{
    static const char *names[] = {"ERROR", "WARN ", "INFO ", "DEBUG"};
    char stackbuf[1024], maskbuf[1024 + 64 * 6 + 1];
    char *msg = stackbuf, *owned = NULL;
    const char *shown = stackbuf;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(stackbuf, sizeof stackbuf, fmt, ap);
    /* long lines (wide rows in Console) are printed whole, never cut */
    if (n >= (int)sizeof stackbuf) {
        char *big = cv_malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, ap2);
            shown = msg = big;
        } else {
            n = (int)sizeof stackbuf - 1;
        }
    }
    va_end(ap2);
    if (mask && n > 0) {
        size_t cap = (size_t)n + 64 * 6 + 1;
        char *to = cap <= sizeof maskbuf ? maskbuf : (owned = cv_malloc(cap));
        if (to) {
            cv_secret_mask(msg, (size_t)n, false, to, cap, NULL);
            shown = to;
        } else {
            shown = "(log line withheld: out of memory while masking secrets)";
        }
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    localtime_r(&ts.tv_sec, &tm);
    flockfile(stderr);
    if (hook_before) hook_before();
    fprintf(stderr, "%04d-%02d-%02d %02d:%02d:%02d.%03ld %s %s\n", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
            tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, names[l], shown);
    if (hook_after) hook_after();
    funlockfile(stderr);
    cv_free(owned);
    if (msg != stackbuf) cv_free(msg);
}

void cv_log(cv_log_level l, const char *fmt, ...)
{
    if ((int)l > atomic_load(&level)) return;
    va_list ap;
    va_start(ap, fmt);
    emit(l, true, fmt, ap);
    va_end(ap);
}

void cv_log_data(cv_log_level l, const char *fmt, ...)
{
    if ((int)l > atomic_load(&level)) return;
    va_list ap;
    va_start(ap, fmt);
    emit(l, false, fmt, ap);
    va_end(ap);
}
