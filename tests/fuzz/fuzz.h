/* fuzz.h — what the fuzz targets share: the libFuzzer entry point, a strict
 * JSON checker (to prove that what culvert renders as JSON really is JSON)
 * and an abort-with-message for broken invariants. */
#ifndef CV_FUZZ_H
#define CV_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a crash as far as the fuzzer is concerned. */
#define FUZZ_ASSERT(cond, ...)                                                           \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                                \
            fputc('\n', stderr);                                                         \
            abort();                                                                     \
        }                                                                                \
    } while (0)

/* Strict RFC 8259 check of a NUL-terminated text; true when valid. */
static inline const char *fuzz__json_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

static inline const char *fuzz__json_value(const char *p, int depth);

static inline const char *fuzz__json_string(const char *p)
{
    if (*p != '"') return NULL;
    for (p++;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"') return p + 1;
        if (c < 0x20) return NULL;
        if (c == '\\') {
            p++;
            if (*p == 'u') {
                for (int i = 1; i <= 4; i++) {
                    char h = p[i];
                    if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) return NULL;
                }
                p += 4;
            } else if (!*p || !strchr("\"\\/bfnrt", *p)) {
                return NULL;
            }
        }
    }
}

static inline const char *fuzz__json_number(const char *p)
{
    if (*p == '-') p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9') p++;
    else
        return NULL;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9')) return NULL;
        while (*p >= '0' && *p <= '9') p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return NULL;
        while (*p >= '0' && *p <= '9') p++;
    }
    return p;
}

static inline const char *fuzz__json_value(const char *p, int depth)
{
    if (depth > 5000) return NULL;
    p = fuzz__json_ws(p);
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        bool obj = *p == '{';
        p = fuzz__json_ws(p + 1);
        if (*p == close) return p + 1;
        for (;;) {
            if (obj) {
                p = fuzz__json_string(fuzz__json_ws(p));
                if (!p) return NULL;
                p = fuzz__json_ws(p);
                if (*p++ != ':') return NULL;
            }
            p = fuzz__json_value(p, depth + 1);
            if (!p) return NULL;
            p = fuzz__json_ws(p);
            if (*p == ',') {
                p++;
                continue;
            }
            if (*p == close) return p + 1;
            return NULL;
        }
    }
    if (*p == '"') return fuzz__json_string(p);
    if (!strncmp(p, "true", 4)) return p + 4;
    if (!strncmp(p, "false", 5)) return p + 5;
    if (!strncmp(p, "null", 4)) return p + 4;
    return fuzz__json_number(p);
}

static inline bool fuzz_json_valid(const char *s)
{
    const char *p = fuzz__json_value(s, 0);
    return p && *fuzz__json_ws(p) == '\0';
}

#endif
