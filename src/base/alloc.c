/* alloc.c — the one gateway to the heap. Keeping every allocation behind
 * these calls lets a debug run fail the Nth allocation and prove that each
 * out-of-memory path unwinds cleanly ("torture" runs, as curl does). */
#include "base.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static _Atomic uint64_t fail_at; /* 0 = never fail */
static _Atomic uint64_t counter;

uint64_t cv_alloc_fail_after(uint64_t n)
{
    uint64_t made = atomic_exchange(&counter, 0);
    atomic_store(&fail_at, n);
    return made;
}

static bool should_fail(void)
{
    uint64_t f = atomic_load_explicit(&fail_at, memory_order_relaxed);
    uint64_t c = atomic_fetch_add_explicit(&counter, 1, memory_order_relaxed) + 1;
    return f != 0 && c >= f;
}

void *cv_malloc(size_t n)
{
    if (should_fail()) return NULL;
    return malloc(n ? n : 1);
}

void *cv_calloc(size_t n, size_t size)
{
    if (should_fail()) return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *cv_realloc(void *p, size_t n)
{
    if (should_fail()) return NULL;
    return realloc(p, n ? n : 1);
}

void cv_free(void *p) { free(p); }

char *cv_strndup(const char *s, size_t n)
{
    char *d = cv_malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *cv_strdup(const char *s) { return s ? cv_strndup(s, strlen(s)) : NULL; }

int cv__vec_grow(void **v, size_t *cap, size_t need, size_t elem)
{
    size_t nc = *cap ? *cap : 8;
    while (nc < need) {
        if (nc > SIZE_MAX / 2 / elem) return CV_ENOMEM;
        nc *= 2;
    }
    void *nv = cv_realloc(*v, nc * elem);
    if (!nv) return CV_ENOMEM;
    *v = nv;
    *cap = nc;
    return 0;
}
