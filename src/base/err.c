/* err.c — error values: codes with names and messages, and the bounded
 * cv_err record. The first error recorded wins so that the root cause is
 * what the user sees, not the cascade of failures it set off. */
#include "base.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name, *msg;
} errs[] = {
#define CV__E(name, msg) {"E" #name, msg},
    CV_ERRNO_MAP(CV__E)
#undef CV__E
};

static int err_index(int code)
{
    int i = code - CV__ERR_FIRST - 1;
    return (i >= 0 && i < (int)CV_ARRAY_LEN(errs)) ? i : -1;
}

const char *cv_strerror(int code)
{
    if (code == 0) return "success";
    int i = err_index(code);
    return i < 0 ? "unknown error" : errs[i].msg;
}

const char *cv_errname(int code)
{
    if (code == 0) return "OK";
    int i = err_index(code);
    return i < 0 ? "EUNKNOWN" : errs[i].name;
}

void cv_err_clear(cv_err *e)
{
    e->code = 0;
    e->line = e->col = e->srccol = 0;
    e->file[0] = e->srcline[0] = e->where[0] = e->msg[0] = '\0';
}

int cv_err_vset(cv_err *e, int code, const char *fmt, va_list ap)
{
    if (!e || e->code != 0) return code;
    e->code = code ? code : CV_EINTERNAL;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    cv_secret_redact(e->msg, sizeof e->msg); /* drivers echo urls and connection strings */
    return code;
}

int cv_err_set(cv_err *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cv_err_vset(e, code, fmt, ap);
    va_end(ap);
    return code;
}

/* The excerpt shown under an error: the line with its secrets masked,
 * cut to a window around the column when it is long (a one-line job
 * file), "…" marking what was cut. */
static void excerpt(cv_err *e, const char *line, size_t n, uint32_t col)
{
    enum { WIDE = 160, BEFORE = 60 };
    size_t cap = n + 64 * 6 + 1; /* room for every mask */
    char *m = cv_malloc(cap);
    if (!m) return; /* no excerpt rather than an unmasked one */
    uint32_t c = col ? col : 1;
    size_t mn = cv_secret_mask(line, n, true, m, cap, &c);
    size_t from = 0, to = mn;
    if (mn > WIDE) {
        from = c > BEFORE ? c - 1 - BEFORE : 0;
        /* start at a word when one is near, not inside a value or mask */
        for (size_t k = from; from > 0 && k < from + 20 && k + 1 < c; k++)
            if (m[k] == ' ') {
                from = k + 1;
                break;
            }
        while (from > 0 && ((unsigned char)m[from] & 0xC0) == 0x80) from--;
        to = CV_MIN(mn, from + WIDE);
        while (to < mn && ((unsigned char)m[to] & 0xC0) == 0x80) to--;
    }
    const char *dots = "\xe2\x80\xa6"; /* … */
    snprintf(e->srcline, sizeof e->srcline, "%s%.*s%s", from ? dots : "", (int)(to - from), m + from,
             to < mn ? dots : "");
    /* a byte column into srcline: the caret skips "…" and c's own bytes */
    e->srccol = (uint32_t)(c > from ? c - from : 1) + (from ? 3u : 0u);
    cv_free(m);
}

void cv_err_locate(cv_err *e, const cv_pos *pos)
{
    if (!e || !pos || e->line != 0 || pos->line == 0) return;
    e->line = pos->line;
    e->col = pos->col;
    snprintf(e->file, sizeof e->file, "%s", pos->file ? pos->file : "");
    e->srcline[0] = '\0';
    e->srccol = 0;
    if (!pos->text) return;
    const char *p = pos->text;
    for (uint32_t l = 1; l < pos->line && *p; p++)
        if (*p == '\n') l++;
    excerpt(e, p, strcspn(p, "\r\n"), pos->col);
}

int cv_err_at(cv_err *e, int code, const cv_pos *pos, const char *fmt, ...)
{
    if (!e || e->code != 0) return code;
    va_list ap;
    va_start(ap, fmt);
    cv_err_vset(e, code, fmt, ap);
    va_end(ap);
    cv_err_locate(e, pos);
    return code;
}

void cv_err_where(cv_err *e, const char *fmt, ...)
{
    if (!e || e->where[0]) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->where, sizeof e->where, fmt, ap);
    va_end(ap);
    cv_secret_redact(e->where, sizeof e->where);
}

void cv_err_move(cv_err *dst, const cv_err *src)
{
    if (!dst || dst->code != 0 || !src || src->code == 0) return;
    *dst = *src;
}
