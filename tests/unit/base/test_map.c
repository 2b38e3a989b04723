/* test_map.c — the string map: many keys through several growths,
 * case-insensitive keys, replacement, and insertion order. */
#include "base/base.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>

TEST(map_empty)
{
    cv_map m;
    cv_map_init(&m, false);
    CHECK(cv_map_get(&m, "x") == NULL);
    CHECK(!cv_map_has(&m, "x"));
    cv_map_free(&m);
    cv_map_free(&m);
}

TEST(map_many_keys)
{
    enum { N = 20000 };
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_map m;
    cv_map_init(&m, false);
    for (int i = 0; i < N; i++) {
        char *k = cv_arena_printf(&a, "key-%d", i);
        REQUIRE(k != NULL);
        REQUIRE_INT(cv_map_put(&m, k, (void *)(intptr_t)(i + 1)), 0);
    }
    CHECK_UINT(m.n, N);
    CHECK(m.cap >= N);
    /* load factor stays below 3/4 */
    CHECK(m.n * 4 < m.cap * 3);
    for (int i = 0; i < N; i++) {
        char k[32];
        snprintf(k, sizeof k, "key-%d", i);
        if (!CHECK_INT((intptr_t)cv_map_get(&m, k), i + 1)) break;
    }
    CHECK(cv_map_get(&m, "key-20000") == NULL);
    CHECK(cv_map_get(&m, "KEY-1") == NULL); /* case matters */
    CHECK(cv_map_get(&m, "") == NULL);
    /* insertion order is kept in the slots */
    uint32_t seen = 0;
    for (uint32_t s = 0; s < m.cap; s++)
        if (m.slots[s].key) {
            int idx;
            sscanf(m.slots[s].key, "key-%d", &idx);
            CHECK_UINT(m.slots[s].order, (uint32_t)idx);
            seen++;
        }
    CHECK_UINT(seen, N);
    cv_map_free(&m);
    cv_arena_free(&a);
}

TEST(map_nocase)
{
    cv_map m;
    cv_map_init(&m, true);
    int v1 = 1, v2 = 2;
    CHECK_INT(cv_map_put(&m, "FakeSource", &v1), 0);
    CHECK(cv_map_get(&m, "fakesource") == &v1);
    CHECK(cv_map_get(&m, "FAKESOURCE") == &v1);
    CHECK(cv_map_has(&m, "fAkEsOuRcE"));
    CHECK_INT(cv_map_put(&m, "FAKESOURCE", &v2), 0); /* same key: replaced */
    CHECK_UINT(m.n, 1);
    CHECK(cv_map_get(&m, "FakeSource") == &v2);
    CHECK(cv_map_get(&m, "FakeSourc") == NULL);
    cv_map_free(&m);
}

TEST(map_replace_keeps_order_and_count)
{
    cv_map m;
    cv_map_init(&m, false);
    int vals[3] = {1, 2, 3};
    cv_map_put(&m, "a", &vals[0]);
    cv_map_put(&m, "b", &vals[1]);
    cv_map_put(&m, "a", &vals[2]);
    CHECK_UINT(m.n, 2);
    CHECK(cv_map_get(&m, "a") == &vals[2]);
    CHECK(cv_map_get(&m, "b") == &vals[1]);
    for (uint32_t s = 0; s < m.cap; s++)
        if (m.slots[s].key && strcmp(m.slots[s].key, "a") == 0) CHECK_UINT(m.slots[s].order, 0);
    /* NULL values are stored, has() tells them apart from absence */
    cv_map_put(&m, "n", NULL);
    CHECK(cv_map_has(&m, "n"));
    CHECK(cv_map_get(&m, "n") == NULL);
    cv_map_free(&m);
}

TEST(map_oom)
{
    cv_map m;
    cv_map_init(&m, false);
    cv_alloc_fail_after(1);
    CHECK_INT(cv_map_put(&m, "a", NULL), CV_ENOMEM);
    cv_alloc_fail_after(0);
    CHECK(!cv_map_has(&m, "a"));
    /* fill to the growth point, then fail the growth */
    static char keys[64][8];
    int i = 0;
    for (; i < 11; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        REQUIRE_INT(cv_map_put(&m, keys[i], NULL), 0);
    }
    uint32_t cap = m.cap;
    snprintf(keys[i], sizeof keys[i], "k%d", i);
    cv_alloc_fail_after(1);
    int rc = cv_map_put(&m, keys[i], NULL);
    cv_alloc_fail_after(0);
    CHECK_INT(rc, CV_ENOMEM);
    CHECK_UINT(m.cap, cap);
    for (int k = 0; k < 11; k++) CHECK(cv_map_has(&m, keys[k]));
    CHECK(!cv_map_has(&m, keys[11]));
    cv_map_free(&m);
}
