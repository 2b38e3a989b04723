/* test_arena.c — the bump allocator: alignment, chunking, dedicated chunks
 * for big requests, reset and free, and failure when the heap says no. */
#include "base/base.h"
#include "unit.h"

#include <stdint.h>
#include <string.h>

TEST(arena_alignment)
{
    cv_arena a;
    cv_arena_init(&a, 256);
    for (size_t n = 0; n < 300; n++) {
        unsigned char *p = cv_arena_alloc(&a, n);
        REQUIRE(p != NULL);
        CHECK_UINT((uintptr_t)p % 16, 0);
        memset(p, 0xAB, n); /* ASan: the whole request is addressable */
    }
    cv_arena_free(&a);
}

TEST(arena_default_chunk_size)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    CHECK_UINT(a.chunk_size, 8192);
    cv_arena z = {0}; /* a zeroed arena works too */
    CHECK(cv_arena_alloc(&z, 10) != NULL);
    CHECK_UINT(z.chunk_size, 8192);
    cv_arena_free(&z);
    cv_arena_free(&a);
}

TEST(arena_total_counts_rounded_bytes)
{
    cv_arena a;
    cv_arena_init(&a, 1024);
    cv_arena_alloc(&a, 1);
    CHECK_UINT(a.total, 16);
    cv_arena_alloc(&a, 17);
    CHECK_UINT(a.total, 48);
    cv_arena_free(&a);
    CHECK_UINT(a.total, 0);
    CHECK(a.head == NULL);
}

TEST(arena_allocations_do_not_overlap)
{
    cv_arena a;
    cv_arena_init(&a, 512);
    unsigned char *ptrs[200];
    for (int i = 0; i < 200; i++) {
        ptrs[i] = cv_arena_alloc(&a, 40);
        REQUIRE(ptrs[i] != NULL);
        memset(ptrs[i], i, 40);
    }
    for (int i = 0; i < 200; i++)
        for (int k = 0; k < 40; k++)
            if (!CHECK_INT(ptrs[i][k], i)) return;
    cv_arena_free(&a);
}

TEST(arena_big_block_keeps_head_usable)
{
    cv_arena a;
    cv_arena_init(&a, 1024);
    char *small1 = cv_arena_alloc(&a, 16);
    REQUIRE(small1 != NULL);
    cv_arena_chunk *head = a.head;
    /* more than a quarter of a chunk: a dedicated chunk behind the head */
    char *big = cv_arena_alloc(&a, 100000);
    REQUIRE(big != NULL);
    memset(big, 1, 100000);
    CHECK(a.head == head);
    char *small2 = cv_arena_alloc(&a, 16);
    REQUIRE(small2 != NULL);
    CHECK(small2 == small1 + 16); /* same chunk, right after the first */
    /* the first allocation ever may itself be big */
    cv_arena b;
    cv_arena_init(&b, 1024);
    char *p = cv_arena_alloc(&b, 5000);
    REQUIRE(p != NULL);
    memset(p, 2, 5000);
    CHECK(cv_arena_alloc(&b, 8) != NULL);
    cv_arena_free(&b);
    cv_arena_free(&a);
}

TEST(arena_huge_request_fails_cleanly)
{
    cv_arena a;
    cv_arena_init(&a, 1024);
    CHECK(cv_arena_alloc(&a, SIZE_MAX) == NULL);
    CHECK(cv_arena_alloc(&a, SIZE_MAX - 8) == NULL);
    CHECK(cv_arena_alloc(&a, SIZE_MAX / 2 + 1) == NULL);
    CHECK(cv_arena_alloc(&a, 32) != NULL);
    cv_arena_free(&a);
}

TEST(arena_reset_keeps_first_chunk)
{
    cv_arena a;
    cv_arena_init(&a, 1024);
    for (int i = 0; i < 100; i++) REQUIRE(cv_arena_alloc(&a, 200) != NULL);
    cv_arena_alloc(&a, 50000);
    cv_arena_chunk *head = a.head;
    cv_arena_reset(&a);
    CHECK(a.head == head);
    CHECK_UINT(a.total, 0);
    char *p = cv_arena_alloc(&a, 100);
    REQUIRE(p != NULL);
    memset(p, 0, 100);
    cv_arena_reset(&a);
    cv_arena_reset(&a); /* twice is fine */
    cv_arena empty;
    cv_arena_init(&empty, 0);
    cv_arena_reset(&empty); /* an arena that never allocated */
    CHECK(empty.head == NULL);
    cv_arena_free(&a);
    cv_arena_free(&a); /* freeing a freed arena is a no-op */
}

TEST(arena_string_helpers)
{
    cv_arena a;
    cv_arena_init(&a, 0);
    CHECK_STR(cv_arena_strdup(&a, "hello"), "hello");
    CHECK(cv_arena_strdup(&a, NULL) == NULL);
    CHECK_STR(cv_arena_strndup(&a, "hello", 3), "hel");
    CHECK_STR(cv_arena_strndup(&a, "", 0), "");
    CHECK_STR(cv_arena_printf(&a, "%d-%s", 42, "x"), "42-x");
    char big[5000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_STR(cv_arena_printf(&a, "%s", big), big);
    int v[4] = {1, 2, 3, 4};
    int *d = cv_arena_memdup(&a, v, sizeof v);
    REQUIRE(d != NULL);
    CHECK_MEM(d, v, sizeof v);
    CHECK(cv_arena_memdup(&a, NULL, 0) != NULL);
    unsigned char *z = cv_arena_zalloc(&a, 64);
    REQUIRE(z != NULL);
    for (int i = 0; i < 64; i++) CHECK_INT(z[i], 0);
    cv_arena_free(&a);
}

TEST(arena_out_of_memory)
{
    cv_arena a;
    cv_arena_init(&a, 1024);
    cv_alloc_fail_after(1);
    CHECK(cv_arena_alloc(&a, 8) == NULL);
    CHECK(cv_arena_strdup(&a, "x") == NULL);
    CHECK(cv_arena_printf(&a, "%d", 1) == NULL);
    CHECK(cv_arena_zalloc(&a, 8) == NULL);
    cv_alloc_fail_after(0);
    char *p = cv_arena_alloc(&a, 8);
    CHECK(p != NULL);
    /* a failure after the first chunk leaves earlier data intact */
    memcpy(p, "keep", 5);
    cv_alloc_fail_after(1);
    CHECK(cv_arena_alloc(&a, 4096) == NULL);
    cv_alloc_fail_after(0);
    CHECK_STR(p, "keep");
    cv_arena_free(&a);
}
