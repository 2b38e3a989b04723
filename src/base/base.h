/*
 * base — the bottom layer: allocation, errors, arenas, growable buffers,
 * vectors, a string map, logging, time math and small string helpers.
 *
 * Contract:
 *  - All heap memory in culvert goes through cv_malloc & co. A debug hook
 *    (cv_alloc_fail_after) makes the Nth allocation fail so that tests can
 *    walk every out-of-memory path.
 *  - Errors are values: functions return 0 (CV_OK) or a negative CV_E* code
 *    and describe the failure in a caller-owned cv_err. The first failure
 *    recorded in a cv_err wins; later ones are ignored.
 *  - An arena owns every block it hands out; cv_arena_free releases all of
 *    them at once. Arenas are not thread-safe; each has one owner.
 *  - cv_log is thread-safe and writes to stderr only. Nothing in the library
 *    writes to stdout.
 */
#ifndef CV_BASE_H
#define CV_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CV_API __attribute__((visibility("default")))
#define CV_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define CV_UNUSED(x) ((void)(x))
#define CV_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define CV_MIN(a, b) ((a) < (b) ? (a) : (b))
#define CV_MAX(a, b) ((a) > (b) ? (a) : (b))
#define CV_LIKELY(x) __builtin_expect(!!(x), 1)
#define CV_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* ---- errors ------------------------------------------------------------ */

/* X-macro: name, message. Codes are negative; 0 is success. */
#define CV_ERRNO_MAP(X)                \
    X(NOMEM, "out of memory")          \
    X(INVAL, "invalid argument")       \
    X(SYNTAX, "syntax error")          \
    X(CONFIG, "invalid configuration") \
    X(PLAN, "invalid job graph")       \
    X(IO, "input/output error")        \
    X(DATA, "bad data")                \
    X(ASSERT, "assertion failed")      \
    X(PLUGIN, "plugin failure")        \
    X(RETRY, "transient failure")      \
    X(CANCELLED, "cancelled")          \
    X(UNSUPPORTED, "unsupported")      \
    X(RANGE, "value out of range")     \
    X(INTERNAL, "internal error")

enum {
    CV_OK = 0,
    CV__ERR_FIRST = -100,
#define CV__E(name, msg) CV_E##name,
    CV_ERRNO_MAP(CV__E)
#undef CV__E
};

/* A source position: 1-based line and column in a named file. */
typedef struct cv_pos {
    const char *file; /* borrowed; may be NULL */
    const char *text; /* whole source text, borrowed; may be NULL */
    uint32_t line, col;
} cv_pos;

#define CV_ERR_MSG_MAX 1024

typedef struct cv_err {
    int code;                 /* 0 while no error is recorded */
    uint32_t line, col;       /* 0 when unknown */
    char file[256];           /* copied so the error outlives the config */
    char srcline[256];        /* the offending source line (secrets masked, long lines cut around the column) */
    uint32_t srccol;          /* 1-based column of the caret within srcline */
    char where[160];          /* e.g. "sink Assert (#1)", "option row.num" */
    char msg[CV_ERR_MSG_MAX]; /* human-readable, no trailing newline */
} cv_err;

CV_API const char *cv_strerror(int code);
CV_API const char *cv_errname(int code);
CV_API void cv_err_clear(cv_err *e);
/* Record an error unless one is already recorded. Returns code. */
CV_API int cv_err_set(cv_err *e, int code, const char *fmt, ...) CV_PRINTF(3, 4);
CV_API int cv_err_vset(cv_err *e, int code, const char *fmt, va_list ap) CV_PRINTF(3, 0);
/* Same, attaching a source position (copies file name and the line). */
CV_API int cv_err_at(cv_err *e, int code, const cv_pos *pos, const char *fmt, ...) CV_PRINTF(4, 5);
/* Attach a position to an error that has none yet. */
CV_API void cv_err_locate(cv_err *e, const cv_pos *pos);
/* Prefix context ("sink Console (#1)") if none is set yet. */
CV_API void cv_err_where(cv_err *e, const char *fmt, ...) CV_PRINTF(2, 3);
/* Copy src into dst unless dst already holds an error. */
CV_API void cv_err_move(cv_err *dst, const cv_err *src);

/* Propagate a failing call: `CV_TRY(f(x));` returns its code. */
#define CV_TRY(expr)                                \
    do {                                            \
        int cv__rc = (expr);                        \
        if (CV_UNLIKELY(cv__rc < 0)) return cv__rc; \
    } while (0)

/* ---- allocation --------------------------------------------------------- */

CV_API void *cv_malloc(size_t n);
CV_API void *cv_calloc(size_t n, size_t size);
CV_API void *cv_realloc(void *p, size_t n);
CV_API void cv_free(void *p);
CV_API char *cv_strdup(const char *s);
CV_API char *cv_strndup(const char *s, size_t n);
/* Debug: make allocation number n (1-based, counted from now) and every
 * later one fail. 0 turns failure injection off. Returns allocations made
 * since the last call, so a torture loop knows when to stop. */
CV_API uint64_t cv_alloc_fail_after(uint64_t n);

/* ---- arena: a bump allocator whose blocks are freed together ------------ */

typedef struct cv_arena_chunk cv_arena_chunk;
typedef struct cv_arena {
    cv_arena_chunk *head;
    size_t chunk_size; /* size of ordinary chunks; 0 → 8 KiB */
    size_t total;      /* bytes handed out, for accounting */
} cv_arena;

CV_API void cv_arena_init(cv_arena *a, size_t chunk_size);
CV_API void *cv_arena_alloc(cv_arena *a, size_t n); /* 16-aligned, NULL on OOM */
CV_API void *cv_arena_zalloc(cv_arena *a, size_t n);
CV_API char *cv_arena_strdup(cv_arena *a, const char *s);
CV_API char *cv_arena_strndup(cv_arena *a, const char *s, size_t n);
CV_API char *cv_arena_printf(cv_arena *a, const char *fmt, ...) CV_PRINTF(2, 3);
CV_API void *cv_arena_memdup(cv_arena *a, const void *p, size_t n);
CV_API void cv_arena_reset(cv_arena *a); /* keep the first chunk, drop the rest */
CV_API void cv_arena_free(cv_arena *a);

/* ---- growable byte buffer (always NUL-terminated) ---------------------- */

typedef struct cv_buf {
    char *data;
    size_t len, cap;
    bool oom; /* sticky: an append failed; contents are truncated */
} cv_buf;

CV_API void cv_buf_init(cv_buf *b);
CV_API void cv_buf_free(cv_buf *b);
CV_API void cv_buf_reset(cv_buf *b);
CV_API int cv_buf_reserve(cv_buf *b, size_t extra);
CV_API void cv_buf_put(cv_buf *b, const void *p, size_t n);
CV_API void cv_buf_puts(cv_buf *b, const char *s);
CV_API void cv_buf_putc(cv_buf *b, char c);
CV_API void cv_buf_printf(cv_buf *b, const char *fmt, ...) CV_PRINTF(2, 3);
CV_API void cv_buf_vprintf(cv_buf *b, const char *fmt, va_list ap) CV_PRINTF(2, 0);
/* Append an integer in decimal; digits zero-padded to at least width. */
CV_API void cv_buf_put_i64(cv_buf *b, int64_t v);
CV_API void cv_buf_put_u64w(cv_buf *b, uint64_t v, int width);
/* Append s as a JSON string literal (with quotes). */
CV_API void cv_buf_json_str(cv_buf *b, const char *s, size_t n);
/* Take ownership of the contents (caller frees with cv_free); b is reset. */
CV_API char *cv_buf_steal(cv_buf *b);

/* ---- vector: a typed growable array ------------------------------------ */

#define CV_VEC(T)      \
    struct {           \
        T *v;          \
        size_t n, cap; \
    }

CV_API int cv__vec_grow(void **v, size_t *cap, size_t need, size_t elem);

/* Evaluates to 0 or CV_ENOMEM. */
#define cv_vec_push(vec, val)                                                                                       \
    (((vec)->n < (vec)->cap || cv__vec_grow((void **)&(vec)->v, &(vec)->cap, (vec)->n + 1, sizeof(*(vec)->v)) == 0) \
         ? ((vec)->v[(vec)->n++] = (val), 0)                                                                        \
         : CV_ENOMEM)
#define cv_vec_reserve(vec, need) \
    ((need) <= (vec)->cap ? 0 : cv__vec_grow((void **)&(vec)->v, &(vec)->cap, (need), sizeof(*(vec)->v)))
#define cv_vec_free(vec)           \
    do {                           \
        cv_free((vec)->v);         \
        (vec)->v = NULL;           \
        (vec)->n = (vec)->cap = 0; \
    } while (0)

/* ---- string map: open addressing, keys borrowed, insertion order kept --- */

typedef struct cv_map_slot {
    const char *key;
    void *val;
    uint32_t hash;
    uint32_t order;
} cv_map_slot;

typedef struct cv_map {
    cv_map_slot *slots;
    uint32_t cap, n;
    bool nocase; /* ASCII case-insensitive keys */
} cv_map;

CV_API void cv_map_init(cv_map *m, bool nocase);
CV_API void cv_map_free(cv_map *m);
/* Insert or replace. Keys are not copied. */
CV_API int cv_map_put(cv_map *m, const char *key, void *val);
CV_API void *cv_map_get(const cv_map *m, const char *key);
CV_API bool cv_map_has(const cv_map *m, const char *key);

/* ---- logging ------------------------------------------------------------ */

typedef enum { CV_LOG_ERROR, CV_LOG_WARN, CV_LOG_INFO, CV_LOG_DEBUG } cv_log_level;

CV_API void cv_log_set_level(cv_log_level l);
CV_API cv_log_level cv_log_get_level(void);
/* Secrets are masked in every line (cv_secret_mask)... */
CV_API void cv_log(cv_log_level l, const char *fmt, ...) CV_PRINTF(2, 3);
/* ...except in rows of data a job asked to print (the Console sink). */
CV_API void cv_log_data(cv_log_level l, const char *fmt, ...) CV_PRINTF(2, 3);
#define cv_error(...) cv_log(CV_LOG_ERROR, __VA_ARGS__)
#define cv_warn(...) cv_log(CV_LOG_WARN, __VA_ARGS__)
#define cv_info(...) cv_log(CV_LOG_INFO, __VA_ARGS__)
#define cv_debug(...)                                                              \
    do {                                                                           \
        if (cv_log_get_level() >= CV_LOG_DEBUG) cv_log(CV_LOG_DEBUG, __VA_ARGS__); \
    } while (0)
/* Hook used by the CLI to clear a progress line before a log line. */
CV_API void cv_log_set_hook(void (*before)(void), void (*after)(void));

/* ---- secrets: values that never reach any output ------------------------ */

/* Register a value to mask wherever it would be shown (process-wide,
 * thread-safe; values are copied). Errors (cv_err_*) and log lines are
 * masked when built; job-file excerpts are masked by syntax as well. */
CV_API int cv_secret_add(const char *s, size_t n);
CV_API void cv_secret_clear(void); /* forget every value (tests) */
/* Does an option or parameter name hold a secret (password, token, …)? */
CV_API bool cv_secret_key(const char *key, size_t n);
/* Copy in[0..n) to out (cap bytes, NUL-terminated, cut on a character
 * boundary) with secrets replaced by "******": registered values, url
 * credentials, key=value pairs naming a secret and, for job_file text,
 * `key = value` / `"key": value` too. A 1-based column *col into in is
 * moved to the same place in out (col may be NULL). Returns out's length. */
CV_API size_t cv_secret_mask(const char *in, size_t n, bool job_file, char *out, size_t cap, uint32_t *col);
/* Mask a NUL-terminated message in place (cap = its buffer's size). */
CV_API void cv_secret_redact(char *s, size_t cap);

/* ---- time --------------------------------------------------------------- */

CV_API int64_t cv_mono_ns(void); /* monotonic clock */
CV_API int64_t cv_wall_us(void); /* microseconds since the Unix epoch, UTC */
CV_API void cv_sleep_ms(int64_t ms);
/* Proleptic Gregorian calendar, days since 1970-01-01. */
CV_API int32_t cv_days_from_civil(int64_t y, unsigned m, unsigned d);
CV_API void cv_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
CV_API bool cv_valid_date(int64_t y, unsigned m, unsigned d);
/* "YYYY-MM-DD HH:MM:SS" in local time, for human summaries. */
CV_API void cv_format_local_time(int64_t wall_us, char out[64]);
/* The local zone's offset from UTC, in seconds, at UTC instant utc_secs;
 * false when the instant is outside what the system can convert. */
CV_API bool cv_local_offset_s(int64_t utc_secs, int32_t *offset);
/* Division rounding toward −∞ (b > 0): days of a negative timestamp. */
static inline int64_t cv_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* ---- strings ------------------------------------------------------------ */

CV_API bool cv_streq_nocase(const char *a, const char *b);
CV_API bool cv_strneq_nocase(const char *a, const char *b, size_t n);
CV_API bool cv_str_endswith(const char *s, const char *suffix);
/* Levenshtein distance, case-insensitive, capped at cap+1. */
CV_API size_t cv_edit_distance(const char *a, const char *b, size_t cap);
/* Return the candidate closest to word, or NULL if none is close enough. */
CV_API const char *cv_did_you_mean(const char *word, const char *const *cands, size_t n);
/* Parse a whole string as a number; false if there is anything else in it. */
CV_API bool cv_parse_i64(const char *s, size_t n, int64_t *out);
CV_API bool cv_parse_f64(const char *s, size_t n, double *out);
/* base64 (standard alphabet, padded); decode also accepts URL-safe
 * characters. Decode returns CV_EINVAL on bad input. */
CV_API void cv_base64_encode(const void *p, size_t n, cv_buf *out);
CV_API int cv_base64_decode(const char *s, size_t n, cv_buf *out);
/* Count valid UTF-8 code points; returns -1 on invalid UTF-8. */
CV_API int64_t cv_utf8_len(const char *s, size_t n);
/* Length of the longest valid UTF-8 prefix (n when all of it is valid). */
CV_API size_t cv_utf8_prefix(const char *s, size_t n);

#endif
