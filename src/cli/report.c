/* report.c — what the user reads: errors as file:line:col with the source
 * line and a caret (like a compiler), the "Job Statistic Information"
 * block SeaTunnel users know, and JSON forms of both for agents. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cv_exit_code_for(int rc)
{
    switch (rc) {
    case 0: return CV_EXIT_OK;
    case CV_ESYNTAX:
    case CV_ECONFIG:
    case CV_EPLAN:
    case CV_EINVAL: return CV_EXIT_USAGE;
    default: return CV_EXIT_JOB;
    }
}

void cv_report_error(const cv_err *e)
{
    bool color = isatty(2) && !getenv("NO_COLOR");
    const char *red = color ? "\033[1;31m" : "", *bold = color ? "\033[1m" : "", *green = color ? "\033[1;32m" : "",
               *off = color ? "\033[0m" : "";
    if (e->line) fprintf(stderr, "%s%s:%u:%u:%s ", bold, e->file, e->line, e->col, off);
    fprintf(stderr, "%serror:%s ", red, off);
    if (e->where[0]) fprintf(stderr, "%s: ", e->where);
    fprintf(stderr, "%s\n", e->msg[0] ? e->msg : cv_strerror(e->code));
    if (e->line && e->srcline[0]) {
        fprintf(stderr, "  %5u | %s\n        | ", e->line, e->srcline);
        /* keep tabs so the caret lines up under tabbed source; one column
         * per character, not per byte of UTF-8 */
        uint32_t col = e->srccol ? e->srccol : e->col;
        for (uint32_t i = 1; i < col && e->srcline[i - 1]; i++) {
            unsigned char ch = (unsigned char)e->srcline[i - 1];
            if ((ch & 0xC0) != 0x80) fputc(ch == '\t' ? '\t' : ' ', stderr);
        }
        fprintf(stderr, "%s^%s\n", green, off);
    }
}

void cv_report_error_json(const cv_err *e, cv_buf *out)
{
    cv_buf_printf(out, "{\"code\":\"%s\",\"message\":", cv_errname(e->code));
    cv_buf_json_str(out, e->msg, strlen(e->msg));
    if (e->where[0]) {
        cv_buf_puts(out, ",\"where\":");
        cv_buf_json_str(out, e->where, strlen(e->where));
    }
    if (e->line) {
        cv_buf_puts(out, ",\"file\":");
        cv_buf_json_str(out, e->file, strlen(e->file));
        cv_buf_printf(out, ",\"line\":%u,\"col\":%u", e->line, e->col);
    }
    cv_buf_putc(out, '}');
}

void cv_report_summary(const cv_job_stats *st, FILE *f)
{
    char start[64], end[64];
    cv_format_local_time(st->start_us, start);
    cv_format_local_time(st->end_us, end);
    long long secs = (long long)((st->end_us - st->start_us) / 1000000);
    const char *rule = "***********************************************";
    fprintf(f, "%s\n           Job Statistic Information\n%s\n", rule, rule);
    /* SeaTunnel's block has no status line; a run that did not finish
     * says so, so that its counts are not read as a success */
    if (st->status && strcmp(st->status, "FINISHED") != 0) fprintf(f, "%-26s: %19s\n", "Job Status", st->status);
    fprintf(f, "%-26s: %19s\n", "Start Time", start);
    fprintf(f, "%-26s: %19s\n", "End Time", end);
    fprintf(f, "%-26s: %19lld\n", "Total Time(s)", secs);
    fprintf(f, "%-26s: %19llu\n", "Total Read Count", (unsigned long long)st->read_rows);
    fprintf(f, "%-26s: %19llu\n", "Total Write Count", (unsigned long long)st->write_rows);
    fprintf(f, "%-26s: %19llu\n", "Total Failed Count", (unsigned long long)st->failed_rows);
    fprintf(f, "%s\n", rule);
    if (st->ntables < 2) return;
    /* several tables: each one's counts, so a table that lost rows shows */
    size_t w = 5;
    for (uint32_t i = 0; i < st->ntables; i++) w = CV_MAX(w, strlen(st->tables[i].name));
    w = CV_MIN(w, 60);
    fprintf(f, "%-*s  %15s  %15s\n", (int)w, "Table", "Read Count", "Write Count");
    for (uint32_t i = 0; i < st->ntables; i++)
        fprintf(f, "%-*s  %15llu  %15llu\n", (int)w, st->tables[i].name, (unsigned long long)st->tables[i].read_rows,
                (unsigned long long)st->tables[i].write_rows);
    fprintf(f, "%s\n", rule);
}

void cv_report_summary_json(const cv_job_stats *st, const cv_err *e, cv_buf *out)
{
    double secs = (double)(st->end_us - st->start_us) / 1e6;
    cv_buf_printf(out,
                  "{\"status\":\"%s\",\"start_us\":%lld,\"end_us\":%lld,\"seconds\":%.3f,"
                  "\"read_rows\":%llu,\"read_bytes\":%llu,\"write_rows\":%llu,\"failed_rows\":%llu,"
                  "\"rows_per_second\":%.0f",
                  st->status ? st->status : "FAILED", (long long)st->start_us, (long long)st->end_us, secs,
                  (unsigned long long)st->read_rows, (unsigned long long)st->read_bytes,
                  (unsigned long long)st->write_rows, (unsigned long long)st->failed_rows,
                  secs > 0 ? (double)st->read_rows / secs : 0.0);
    if (st->ntables) {
        cv_buf_puts(out, ",\"tables\":[");
        for (uint32_t i = 0; i < st->ntables; i++) {
            cv_buf_puts(out, i ? ",{\"name\":" : "{\"name\":");
            cv_buf_json_str(out, st->tables[i].name, strlen(st->tables[i].name));
            cv_buf_printf(out, ",\"read_rows\":%llu,\"write_rows\":%llu}", (unsigned long long)st->tables[i].read_rows,
                          (unsigned long long)st->tables[i].write_rows);
        }
        cv_buf_putc(out, ']');
    }
    if (e && e->code) {
        cv_buf_puts(out, ",\"error\":");
        cv_report_error_json(e, out);
    }
    cv_buf_putc(out, '}');
}
