/* test_buf.c — the growable buffer and the typed vector: growth, printf
 * beyond the stack scratch, JSON string escaping, sticky out-of-memory. */
#include "base/base.h"
#include "unit.h"

#include <string.h>

TEST(buf_put_and_terminate)
{
    cv_buf b;
    cv_buf_init(&b);
    CHECK(b.data == NULL);
    cv_buf_puts(&b, "abc");
    cv_buf_putc(&b, 'd');
    cv_buf_put(&b, "efgh", 2);
    cv_buf_put(&b, NULL, 0);
    CHECK_STR(b.data, "abcdef");
    CHECK_UINT(b.len, 6);
    CHECK(b.cap > b.len);
    cv_buf_reset(&b);
    CHECK_STR(b.data, "");
    CHECK_UINT(b.len, 0);
    cv_buf_puts(&b, "x");
    CHECK_STR(b.data, "x");
    cv_buf_free(&b);
    CHECK(b.data == NULL);
    cv_buf_reset(&b); /* reset of an empty buffer */
    cv_buf_free(&b);
}

TEST(buf_growth_many_appends)
{
    cv_buf b;
    cv_buf_init(&b);
    for (int i = 0; i < 100000; i++) cv_buf_putc(&b, (char)('a' + i % 26));
    REQUIRE_UINT(b.len, 100000);
    CHECK(!b.oom);
    for (int i = 0; i < 100000; i++)
        if (!CHECK_INT(b.data[i], 'a' + i % 26)) break;
    CHECK_INT(b.data[b.len], 0);
    cv_buf_free(&b);
}

TEST(buf_printf_small_and_large)
{
    cv_buf b;
    cv_buf_init(&b);
    cv_buf_printf(&b, "%d:%s", 7, "seven");
    CHECK_STR(b.data, "7:seven");
    char big[3000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    /* longer than the 256-byte scratch: formatted straight into the buffer */
    cv_buf_printf(&b, "[%s]", big);
    CHECK_UINT(b.len, 7 + 2 + 2999);
    CHECK_INT(b.data[7], '[');
    CHECK_INT(b.data[b.len - 1], ']');
    CHECK_INT(b.data[b.len], 0);
    /* exactly 255 and 256 characters, around the scratch size */
    cv_buf_reset(&b);
    cv_buf_printf(&b, "%.*s", 255, big);
    CHECK_UINT(b.len, 255);
    cv_buf_reset(&b);
    cv_buf_printf(&b, "%.*s", 256, big);
    CHECK_UINT(b.len, 256);
    CHECK_UINT(strlen(b.data), 256);
    cv_buf_free(&b);
}

TEST(buf_steal)
{
    cv_buf b;
    cv_buf_init(&b);
    char *s = cv_buf_steal(&b);
    CHECK_STR(s, "");
    cv_free(s);
    cv_buf_puts(&b, "owned");
    s = cv_buf_steal(&b);
    CHECK_STR(s, "owned");
    CHECK(b.data == NULL);
    CHECK_UINT(b.len, 0);
    cv_free(s);
}

static const char *json(cv_buf *b, const char *s, size_t n)
{
    cv_buf_reset(b);
    cv_buf_json_str(b, s, n);
    return b->data;
}

TEST(buf_json_str_escaping)
{
    cv_buf b;
    cv_buf_init(&b);
    CHECK_STR(json(&b, "", 0), "\"\"");
    CHECK_STR(json(&b, "plain", 5), "\"plain\"");
    CHECK_STR(json(&b, "a\"b\\c", 5), "\"a\\\"b\\\\c\"");
    CHECK_STR(json(&b, "\n\r\t\b\f", 5), "\"\\n\\r\\t\\b\\f\"");
    CHECK_STR(json(&b, "\x01\x1f", 2), "\"\\u0001\\u001f\"");
    CHECK_STR(json(&b, "a\0b", 3), "\"a\\u0000b\"");
    CHECK_STR(json(&b, "/", 1), "\"/\""); /* no need to escape a slash */
    CHECK_STR(json(&b, "\x7f", 1), "\"\x7f\"");
    CHECK_STR(json(&b, "h\xc3\xa9llo \xf0\x9f\x98\x80", 11), "\"h\xc3\xa9llo \xf0\x9f\x98\x80\"");
    CHECK_STR(json(&b, "ab", 1), "\"a\""); /* only n bytes */
    /* every control character */
    for (int c = 1; c < 0x20; c++) {
        char in[1] = {(char)c};
        json(&b, in, 1);
        CHECK(b.len == 4 || b.len == 8);
        CHECK_INT(b.data[1], '\\');
    }
    cv_buf_free(&b);
}

TEST(buf_oom_is_sticky)
{
    cv_buf b;
    cv_buf_init(&b);
    cv_buf_puts(&b, "abc");
    char big[1000];
    memset(big, 'x', sizeof big);
    cv_alloc_fail_after(1);
    cv_buf_put(&b, big, sizeof big);
    CHECK(b.oom);
    CHECK_INT(cv_buf_reserve(&b, 1), CV_ENOMEM);
    cv_alloc_fail_after(0);
    /* still failing: the flag is sticky until reset */
    cv_buf_puts(&b, "more");
    CHECK_STR(b.data, "abc");
    CHECK_INT(cv_buf_reserve(&b, 1), CV_ENOMEM);
    cv_buf_reset(&b);
    CHECK(!b.oom);
    cv_buf_puts(&b, "ok");
    CHECK_STR(b.data, "ok");
    /* printf into a failing buffer */
    cv_buf_free(&b);
    cv_alloc_fail_after(1);
    cv_buf_printf(&b, "%s", "x");
    cv_buf_printf(&b, "%3000d", 1);
    cv_alloc_fail_after(0);
    CHECK(b.oom);
    CHECK(b.data == NULL);
    cv_buf_free(&b);
}

TEST(vec_push_reserve_free)
{
    CV_VEC(int) v = {0};
    for (int i = 0; i < 10000; i++) REQUIRE_INT(cv_vec_push(&v, i * 3), 0);
    REQUIRE_UINT(v.n, 10000);
    CHECK(v.cap >= v.n);
    for (int i = 0; i < 10000; i++)
        if (!CHECK_INT(v.v[i], i * 3)) break;
    CHECK_INT(cv_vec_reserve(&v, 5), 0);
    CHECK_INT(cv_vec_reserve(&v, 50000), 0);
    CHECK(v.cap >= 50000);
    cv_vec_free(&v);
    CHECK(v.v == NULL);
    CHECK_UINT(v.n, 0);
    CHECK_UINT(v.cap, 0);

    struct big {
        char x[100];
    };
    CV_VEC(struct big) w = {0};
    struct big e = {{7}};
    for (int i = 0; i < 100; i++) REQUIRE_INT(cv_vec_push(&w, e), 0);
    CHECK_INT(w.v[99].x[0], 7);
    cv_vec_free(&w);
}

TEST(vec_oom_keeps_contents)
{
    CV_VEC(long) v = {0};
    for (long i = 0; i < 8; i++) REQUIRE_INT(cv_vec_push(&v, i), 0);
    cv_alloc_fail_after(1);
    CHECK_INT(cv_vec_push(&v, 8L), CV_ENOMEM);
    CHECK_INT(cv_vec_reserve(&v, 100), CV_ENOMEM);
    cv_alloc_fail_after(0);
    CHECK_UINT(v.n, 8);
    CHECK_INT(v.v[7], 7);
    CHECK_INT(cv_vec_push(&v, 8L), 0);
    CHECK_INT(v.v[8], 8);
    /* a size that would overflow is refused, not wrapped */
    size_t cap = v.cap;
    void *p = v.v;
    CHECK_INT(cv__vec_grow(&p, &cap, SIZE_MAX / 4, 64), CV_ENOMEM);
    v.v = p;
    cv_vec_free(&v);
}
