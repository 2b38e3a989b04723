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
    e->line = e->col = 0;
    e->file[0] = e->srcline[0] = e->where[0] = e->msg[0] = '\0';
}

int cv_err_vset(cv_err *e, int code, const char *fmt, va_list ap)
{
    if (!e || e->code != 0) return code;
    e->code = code ? code : CV_EINTERNAL;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
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

void cv_err_locate(cv_err *e, const cv_pos *pos)
{
    if (!e || !pos || e->line != 0 || pos->line == 0) return;
    e->line = pos->line;
    e->col = pos->col;
    snprintf(e->file, sizeof e->file, "%s", pos->file ? pos->file : "");
    e->srcline[0] = '\0';
    if (!pos->text) return;
    const char *p = pos->text;
    for (uint32_t l = 1; l < pos->line && *p; p++)
        if (*p == '\n') l++;
    size_t n = strcspn(p, "\r\n");
    if (n >= sizeof e->srcline) n = sizeof e->srcline - 1;
    memcpy(e->srcline, p, n);
    e->srcline[n] = '\0';
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
}

void cv_err_move(cv_err *dst, const cv_err *src)
{
    if (!dst || dst->code != 0 || !src || src->code == 0) return;
    *dst = *src;
}
