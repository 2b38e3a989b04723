/* test_alloc.c — the allocation gateway and its failure injection, the
 * basis of every out-of-memory ("torture") test in the other layers. */
#include "base/base.h"
#include "unit.h"

#include <string.h>

TEST(alloc_basics)
{
    void *p = cv_malloc(0); /* never NULL for zero bytes */
    CHECK(p != NULL);
    cv_free(p);
    int *z = cv_calloc(0, 0);
    CHECK(z != NULL);
    cv_free(z);
    z = cv_calloc(10, sizeof *z);
    REQUIRE(z != NULL);
    for (int i = 0; i < 10; i++) CHECK_INT(z[i], 0);
    z = cv_realloc(z, 0);
    CHECK(z != NULL);
    cv_free(z);
    cv_free(NULL);
    char *s = cv_strdup("abc");
    CHECK_STR(s, "abc");
    cv_free(s);
    CHECK(cv_strdup(NULL) == NULL);
    s = cv_strndup("abcdef", 2);
    CHECK_STR(s, "ab");
    cv_free(s);
}

TEST(alloc_fail_after_counts_and_fails)
{
    cv_alloc_fail_after(0); /* resets the counter */
    void *a = cv_malloc(1), *b = cv_calloc(1, 1);
    void *c = cv_realloc(NULL, 1);
    CHECK_UINT(cv_alloc_fail_after(3), 3); /* three made since the reset */
    void *d = cv_malloc(1);                /* #1 */
    void *e = cv_malloc(1);                /* #2 */
    void *f = cv_malloc(1);                /* #3 fails */
    void *g = cv_calloc(1, 1);             /* and every later one */
    void *h = cv_realloc(a, 100);
    char *s = cv_strdup("x");
    CHECK(d && e);
    CHECK(f == NULL);
    CHECK(g == NULL);
    CHECK(h == NULL); /* a failed realloc keeps the old block */
    CHECK(s == NULL);
    CHECK_UINT(cv_alloc_fail_after(0), 6);
    void *i = cv_malloc(1);
    CHECK(i != NULL);
    cv_free(a);
    cv_free(b);
    cv_free(c);
    cv_free(d);
    cv_free(e);
    cv_free(i);
}

TEST(alloc_fail_first)
{
    cv_alloc_fail_after(1);
    void *p = cv_malloc(8);
    cv_alloc_fail_after(0);
    CHECK(p == NULL);
}

/* A torture walk: fail the 1st, 2nd, … allocation of a piece of work and
 * check that each failure is reported, until the work needs fewer
 * allocations than N. ASan's leak check proves every path cleaned up. */
static int build_stuff(void)
{
    cv_arena a;
    cv_arena_init(&a, 128);
    cv_map m;
    cv_map_init(&m, false);
    cv_buf b;
    cv_buf_init(&b);
    CV_VEC(char *) v = {0};
    int rc = 0;
    for (int i = 0; i < 50 && rc == 0; i++) {
        char *k = cv_arena_printf(&a, "k%d", i);
        if (!k)
            rc = CV_ENOMEM;
        else if (cv_map_put(&m, k, k) < 0)
            rc = CV_ENOMEM;
        else if (cv_vec_push(&v, k) < 0)
            rc = CV_ENOMEM;
        cv_buf_printf(&b, "%s,", k ? k : "?");
    }
    if (rc == 0 && b.oom) rc = CV_ENOMEM;
    if (rc == 0 && (m.n != 50 || v.n != 50 || strncmp(b.data, "k0,k1,", 6) != 0)) rc = CV_EINTERNAL;
    cv_vec_free(&v);
    cv_buf_free(&b);
    cv_map_free(&m);
    cv_arena_free(&a);
    return rc;
}

TEST(alloc_torture_walk_base)
{
    int failures = 0;
    for (uint64_t n = 1;; n++) {
        cv_alloc_fail_after(n);
        int rc = build_stuff();
        uint64_t made = cv_alloc_fail_after(0);
        if (made < n) { /* no allocation failed: done */
            CHECK_INT(rc, 0);
            break;
        }
        if (!CHECK_INT(rc, CV_ENOMEM)) break;
        failures++;
        if (!CHECK(n < 10000)) break;
    }
    CHECK(failures > 5);
}
