/* fuzz_secret.c — secret masking (base/secret.c) over any text: the first
 * byte picks message or job-file mode and a caret column, the rest is the
 * text. A registered marker never survives, the output is bounded and
 * NUL-terminated, valid UTF-8 stays valid, and the caret stays inside the
 * output. */
#include "base/base.h"
#include "fuzz.h"

#define MARKER "Zq9Secret"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096) return 0;
    static bool ready;
    if (!ready) {
        cv_secret_add(MARKER, strlen(MARKER));
        ready = true;
    }
    bool job_file = data[0] & 1;
    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    uint32_t col = (uint32_t)(data[0] >> 1) % (uint32_t)(n + 2); /* 0: none */
    size_t cap = n + 64 * 6 + 1;
    char *out = cv_malloc(cap), *again = cv_malloc(cap);
    if (!out || !again) {
        cv_free(out);
        cv_free(again);
        return 0;
    }
    uint32_t c = col;
    size_t len = cv_secret_mask(in, n, job_file, out, cap, col ? &c : NULL);
    FUZZ_ASSERT(len < cap && out[len] == '\0', "output of %zu bytes not NUL-terminated within %zu", len, cap);
    FUZZ_ASSERT(!memmem(out, len, MARKER, strlen(MARKER)), "the registered secret survived: %s", out);
    if (cv_utf8_prefix(in, n) == n && !memchr(in, '\0', n))
        FUZZ_ASSERT(cv_utf8_prefix(out, len) == len, "masking broke UTF-8: %s", out);
    if (col) FUZZ_ASSERT(c >= 1 && c <= len + 1, "caret %u outside the %zu-byte output", c, len);
    /* masking the output again may mask more (overlapping secrets can
     * swallow a quote) but never shows anything the first pass hid: the
     * marker stays out, the result stays bounded */
    if (!memchr(in, '\0', n)) {
        size_t len2 = cv_secret_mask(out, len, job_file, again, cap, NULL);
        FUZZ_ASSERT(len2 < cap && !memmem(again, len2, MARKER, strlen(MARKER)), "a second pass showed the secret");
    }
    cv_free(out);
    cv_free(again);
    return 0;
}
