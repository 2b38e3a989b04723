/* arena.c — bump allocation in chunks; everything is released at once.
 * Used for lifetimes with a clear end: a parsed config, a plan, a batch.
 * Large requests get a chunk of their own so they waste nothing. */
#include "base.h"

#include <stdio.h>
#include <string.h>

struct cv_arena_chunk {
    cv_arena_chunk *next;
    size_t used, size;
    _Alignas(16) unsigned char mem[];
};

void cv_arena_init(cv_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 8192;
    a->total = 0;
}

void *cv_arena_alloc(cv_arena *a, size_t n)
{
    if (!a->chunk_size) a->chunk_size = 8192;
    /* rounding up and the chunk header must not wrap around */
    if (n > SIZE_MAX / 2) return NULL;
    n = (n + 15) & ~(size_t)15;
    cv_arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t sz = n > a->chunk_size / 4 ? n : a->chunk_size;
        c = cv_malloc(sizeof *c + sz);
        if (!c) return NULL;
        c->size = sz;
        c->used = 0;
        if (sz == n && a->head) {
            /* a dedicated chunk goes behind the head so the head's free
             * space stays usable */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = c->mem + c->used;
    c->used += n;
    a->total += n;
    return p;
}

void *cv_arena_zalloc(cv_arena *a, size_t n)
{
    void *p = cv_arena_alloc(a, n);
    if (p) memset(p, 0, n);
    return p;
}

void *cv_arena_memdup(cv_arena *a, const void *p, size_t n)
{
    void *d = cv_arena_alloc(a, n);
    if (d && n) memcpy(d, p, n);
    return d;
}

char *cv_arena_strndup(cv_arena *a, const char *s, size_t n)
{
    char *d = cv_arena_alloc(a, n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *cv_arena_strdup(cv_arena *a, const char *s) { return s ? cv_arena_strndup(a, s, strlen(s)) : NULL; }

char *cv_arena_printf(cv_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *d = n < 0 ? NULL : cv_arena_alloc(a, (size_t)n + 1);
    if (d) vsnprintf(d, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return d;
}

void cv_arena_reset(cv_arena *a)
{
    cv_arena_chunk *c = a->head;
    if (!c) return;
    cv_arena_chunk *rest = c->next;
    while (rest) {
        cv_arena_chunk *n = rest->next;
        cv_free(rest);
        rest = n;
    }
    c->next = NULL;
    c->used = 0;
    a->total = 0;
}

void cv_arena_free(cv_arena *a)
{
    cv_arena_chunk *c = a->head;
    while (c) {
        cv_arena_chunk *n = c->next;
        cv_free(c);
        c = n;
    }
    a->head = NULL;
    a->total = 0;
}
