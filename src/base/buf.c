/* buf.c — a growable, always NUL-terminated byte buffer. Appends never
 * return errors: a failed growth sets the sticky `oom` flag, which the
 * owner checks once at the end (the pattern keeps formatting code flat). */
#include "base.h"

#include <stdio.h>
#include <string.h>

void cv_buf_init(cv_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}

void cv_buf_free(cv_buf *b)
{
    cv_free(b->data);
    cv_buf_init(b);
}

void cv_buf_reset(cv_buf *b)
{
    b->len = 0;
    b->oom = false;
    if (b->data) b->data[0] = '\0';
}

int cv_buf_reserve(cv_buf *b, size_t extra)
{
    if (b->oom) return CV_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return 0;
    size_t nc = b->cap ? b->cap : 64;
    while (nc < need) nc *= 2;
    char *d = cv_realloc(b->data, nc);
    if (!d) {
        b->oom = true;
        return CV_ENOMEM;
    }
    b->data = d;
    b->cap = nc;
    return 0;
}

void cv_buf_put(cv_buf *b, const void *p, size_t n)
{
    if (cv_buf_reserve(b, n) < 0) return;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void cv_buf_puts(cv_buf *b, const char *s) { cv_buf_put(b, s, strlen(s)); }

void cv_buf_putc(cv_buf *b, char c) { cv_buf_put(b, &c, 1); }

void cv_buf_vprintf(cv_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t)n < sizeof tmp) {
        cv_buf_put(b, tmp, (size_t)n);
    } else if (cv_buf_reserve(b, (size_t)n) == 0) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

void cv_buf_printf(cv_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cv_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* Digits without printf: formatting numbers is the hot path of every file
 * written. */
void cv_buf_put_u64w(cv_buf *b, uint64_t v, int width)
{
    char tmp[24];
    int i = (int)sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while ((int)sizeof tmp - i < width && i > 0) tmp[--i] = '0';
    cv_buf_put(b, tmp + i, sizeof tmp - (size_t)i);
}

void cv_buf_put_i64(cv_buf *b, int64_t v)
{
    if (v < 0) {
        cv_buf_putc(b, '-');
        cv_buf_put_u64w(b, (uint64_t)0 - (uint64_t)v, 1);
    } else {
        cv_buf_put_u64w(b, (uint64_t)v, 1);
    }
}

void cv_buf_json_str(cv_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    cv_buf_putc(b, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        cv_buf_put(b, s + start, i - start);
        start = i + 1;
        switch (c) {
        case '"': cv_buf_puts(b, "\\\""); break;
        case '\\': cv_buf_puts(b, "\\\\"); break;
        case '\n': cv_buf_puts(b, "\\n"); break;
        case '\r': cv_buf_puts(b, "\\r"); break;
        case '\t': cv_buf_puts(b, "\\t"); break;
        case '\b': cv_buf_puts(b, "\\b"); break;
        case '\f': cv_buf_puts(b, "\\f"); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            cv_buf_put(b, u, 6);
        }
        }
    }
    cv_buf_put(b, s + start, n - start);
    cv_buf_putc(b, '"');
}

char *cv_buf_steal(cv_buf *b)
{
    char *d = b->data;
    if (!d) d = cv_strdup("");
    cv_buf_init(b);
    return d;
}
