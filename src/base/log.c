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

void cv_log(cv_log_level l, const char *fmt, ...)
{
    if ((int)l > atomic_load(&level)) return;
    static const char *names[] = {"ERROR", "WARN ", "INFO ", "DEBUG"};
    char stackbuf[1024];
    char *msg = stackbuf;
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(stackbuf, sizeof stackbuf, fmt, ap);
    va_end(ap);
    /* long lines (wide rows in Console) are printed whole, never cut */
    if (n >= (int)sizeof stackbuf) {
        char *big = cv_malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, ap2);
            msg = big;
        }
    }
    va_end(ap2);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    localtime_r(&ts.tv_sec, &tm);
    flockfile(stderr);
    if (hook_before) hook_before();
    fprintf(stderr, "%04d-%02d-%02d %02d:%02d:%02d.%03ld %s %s\n", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
            tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, names[l], msg);
    if (hook_after) hook_after();
    funlockfile(stderr);
    if (msg != stackbuf) cv_free(msg);
}
