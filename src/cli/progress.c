/* progress.c — a live status line on stderr for terminals: rows read and
 * written and the read rate, redrawn in place. It appears only after a
 * second so short jobs print nothing extra, and it steps aside (via the
 * logger hook) whenever a log line is written. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static bool enabled, shown;
static int64_t started_ns, last_ns;
static uint64_t last_rows;
static char line[160];

static void clear_line(void)
{
    if (shown) fputs("\r\033[K", stderr);
}

static void redraw(void)
{
    if (shown) fputs(line, stderr);
}

void cv_progress_start(bool on)
{
    enabled = on;
    shown = false;
    started_ns = last_ns = cv_mono_ns();
    last_rows = 0;
    line[0] = '\0';
    if (on) cv_log_set_hook(clear_line, redraw);
}

static void human(double v, char *out, size_t n)
{
    if (v >= 1e9)
        snprintf(out, n, "%.2fG", v / 1e9);
    else if (v >= 1e6)
        snprintf(out, n, "%.2fM", v / 1e6);
    else if (v >= 1e4)
        snprintf(out, n, "%.1fk", v / 1e3);
    else
        snprintf(out, n, "%.0f", v);
}

void cv_progress_tick(const cv_job_stats *s, void *user)
{
    (void)user;
    if (!enabled) return;
    int64_t now = cv_mono_ns();
    if (now - started_ns < 1000000000LL) return;
    double dt = (double)(now - last_ns) / 1e9;
    double rate = dt > 0 ? (double)(s->read_rows - last_rows) / dt : 0;
    last_ns = now;
    last_rows = s->read_rows;
    char r[32], w[32], rs[32];
    human((double)s->read_rows, r, sizeof r);
    human((double)s->write_rows, w, sizeof w);
    human(rate, rs, sizeof rs);
    long secs = (long)((now - started_ns) / 1000000000LL);
    flockfile(stderr);
    clear_line();
    snprintf(line, sizeof line, "  %02ld:%02ld  read %s rows  written %s  %s rows/s", secs / 60, secs % 60, r, w, rs);
    shown = true;
    fputs(line, stderr);
    fflush(stderr);
    funlockfile(stderr);
}

void cv_progress_stop(void)
{
    if (!enabled) return;
    flockfile(stderr);
    if (shown) fputs("\r\033[K", stderr);
    shown = false;
    funlockfile(stderr);
    cv_log_set_hook(NULL, NULL);
    enabled = false;
}
