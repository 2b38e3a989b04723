/*
 * unit.h — culvert's unit-test framework: a test list, typed checks, and a
 * runner (unit.c) shared by one executable per layer.
 *
 * A test is a function written with TEST(name) { … }. It registers itself
 * at start-up (a constructor), so a file adds tests just by defining them;
 * CMake scans the sources for TEST(name) to give each its own ctest entry,
 * and `--expect N` checks that the scan and the binary agree.
 *
 * Checks print both operands, typed, with file:line:
 *   CHECK(cond)              CHECK_INT(a, b)     (as int64)
 *   CHECK_UINT(a, b)         CHECK_STR(a, b)     (NULL-safe)
 *   CHECK_DBL(a, b)          (exact, NaN == NaN) CHECK_NEAR(a, b, eps)
 *   CHECK_CONTAINS(hay, needle)                  CHECK_MEM(a, b, n)
 * A failed CHECK_* records the failure and the test goes on; REQUIRE_*
 * (REQUIRE, REQUIRE_INT, …) abandon the test at once, e.g. before a NULL
 * would be dereferenced.
 *
 * Running: `unit_base` runs every test, each in a forked child with a
 * timeout (UNIT_TIMEOUT seconds, default 60); `unit_base NAME…` runs the
 * named tests in this process (ctest's way: one process per test);
 * `--list` prints the names. The output ends with "N passed, N failed" and
 * the exit status is non-zero when anything failed.
 */
#ifndef CV_UNIT_H
#define CV_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*unit_fn)(void);

void unit__register(const char *name, unit_fn fn, const char *file, int line);
void unit__fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void unit__abort(void) __attribute__((noreturn));
bool unit__int(const char *file, int line, const char *ea, const char *eb, int64_t a, int64_t b);
bool unit__uint(const char *file, int line, const char *ea, const char *eb, uint64_t a, uint64_t b);
bool unit__str(const char *file, int line, const char *ea, const char *eb, const char *a, const char *b);
bool unit__dbl(const char *file, int line, const char *ea, const char *eb, double a, double b, double eps);
bool unit__contains(const char *file, int line, const char *ea, const char *eb, const char *hay, const char *needle);
bool unit__mem(const char *file, int line, const char *ea, const char *eb, const void *a, const void *b, size_t n);

#define TEST(name)                                                   \
    static void unit_test_##name(void);                              \
    __attribute__((constructor)) static void unit_reg_##name(void)   \
    {                                                                \
        unit__register(#name, unit_test_##name, __FILE__, __LINE__); \
    }                                                                \
    static void unit_test_##name(void)

#define CHECK(cond) ((cond) ? true : (unit__fail(__FILE__, __LINE__, "CHECK(%s) failed", #cond), false))
#define CHECK_INT(a, b) unit__int(__FILE__, __LINE__, #a, #b, (int64_t)(a), (int64_t)(b))
#define CHECK_UINT(a, b) unit__uint(__FILE__, __LINE__, #a, #b, (uint64_t)(a), (uint64_t)(b))
#define CHECK_STR(a, b) unit__str(__FILE__, __LINE__, #a, #b, (a), (b))
#define CHECK_DBL(a, b) unit__dbl(__FILE__, __LINE__, #a, #b, (double)(a), (double)(b), 0)
#define CHECK_NEAR(a, b, eps) unit__dbl(__FILE__, __LINE__, #a, #b, (double)(a), (double)(b), (double)(eps))
#define CHECK_CONTAINS(hay, needle) unit__contains(__FILE__, __LINE__, #hay, #needle, (hay), (needle))
#define CHECK_MEM(a, b, n) unit__mem(__FILE__, __LINE__, #a, #b, (a), (b), (n))

#define UNIT__REQ(x)             \
    do {                         \
        if (!(x)) unit__abort(); \
    } while (0)
#define REQUIRE(cond) UNIT__REQ(CHECK(cond))
#define REQUIRE_INT(a, b) UNIT__REQ(CHECK_INT(a, b))
#define REQUIRE_UINT(a, b) UNIT__REQ(CHECK_UINT(a, b))
#define REQUIRE_STR(a, b) UNIT__REQ(CHECK_STR(a, b))
#define REQUIRE_CONTAINS(hay, needle) UNIT__REQ(CHECK_CONTAINS(hay, needle))

/* End the test as skipped (exit status 77, which ctest reports as
 * "Not Run"): for tests that need something absent, such as a database
 * server when CULVERT_PG_URL is unset. `make test` always provides them. */
void unit_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Prefix failure messages with context (e.g. the input of a table-driven
 * case) until unit_context_clear() or the end of the test. */
void unit_context(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void unit_context_clear(void);

#endif
