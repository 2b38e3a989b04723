/*
 * data — culvert's data model: SeaTunnel's types, catalog tables, and
 * columnar batches with row kinds.
 *
 * Contract:
 *  - Types are immutable. Primitive types are static singletons; composite
 *    types (decimal, array, map, row) live in the arena passed to the
 *    function that built them, normally the job's arena, so they outlive
 *    every batch of the job.
 *  - A batch holds up to `cap` rows of ONE table. Each column keeps its
 *    values in an Arrow-like layout: fixed-width values in one buffer, a
 *    validity bitmap (allocated on the first NULL; NULL pointer = all
 *    valid), strings/bytes/lists as int32 offsets plus a payload or child
 *    column. The batch owns every buffer; cv_batch_free releases all of
 *    them in one call. Batches move between threads by pointer and are
 *    reference counted only so that a fan-out can share one batch.
 *  - Appends never return errors; a failed growth sets the batch's sticky
 *    `err`, which producers check once per batch (cv_batch_check).
 *  - Values: date = int32 days since 1970-01-01; time = int64 ns of day;
 *    timestamp = int64 µs since the epoch (UTC for timestamp_tz);
 *    decimal = int128 unscaled with (precision, scale) in the type; boolean
 *    = one byte.
 *  - Nothing here is thread-safe except the batch reference count.
 */
#ifndef CV_DATA_H
#define CV_DATA_H

#include "../base/base.h"

/* ---- types -------------------------------------------------------------- */

#define CV_TYPE_MAP(X)                 \
    X(NULL, "null", 0)                 \
    X(BOOL, "boolean", 1)              \
    X(I8, "tinyint", 1)                \
    X(I16, "smallint", 2)              \
    X(I32, "int", 4)                   \
    X(I64, "bigint", 8)                \
    X(F32, "float", 4)                 \
    X(F64, "double", 8)                \
    X(DECIMAL, "decimal", 16)          \
    X(STRING, "string", 0)             \
    X(BYTES, "bytes", 0)               \
    X(DATE, "date", 4)                 \
    X(TIME, "time", 8)                 \
    X(TIMESTAMP, "timestamp", 8)       \
    X(TIMESTAMP_TZ, "timestamp_tz", 8) \
    X(ARRAY, "array", 0)               \
    X(MAP, "map", 0)                   \
    X(ROW, "row", 0)

typedef enum {
#define CV__T(id, name, width) CV_T_##id,
    CV_TYPE_MAP(CV__T)
#undef CV__T
        CV_T__COUNT
} cv_type_id;

typedef __int128 cv_i128;
#define CV_DECIMAL_MAX_PRECISION 38

typedef struct cv_type cv_type;
typedef struct cv_field {
    const char *name;
    const cv_type *type;
} cv_field;

struct cv_type {
    cv_type_id id;
    uint8_t precision, scale; /* decimal */
    const cv_type *elem;      /* array element; map key */
    const cv_type *value;     /* map value */
    uint32_t nfields;         /* row */
    const cv_field *fields;   /* row */
};

CV_API const cv_type *cv_type_prim(cv_type_id id); /* NULL for composites */
CV_API const cv_type *cv_type_decimal(cv_arena *a, unsigned precision, unsigned scale);
CV_API const cv_type *cv_type_array(cv_arena *a, const cv_type *elem);
CV_API const cv_type *cv_type_map(cv_arena *a, const cv_type *key, const cv_type *value);
CV_API const cv_type *cv_type_row(cv_arena *a, const cv_field *fields, uint32_t n);
CV_API const char *cv_type_name(cv_type_id id);
CV_API size_t cv_type_width(cv_type_id id); /* bytes per fixed-width value; 0 otherwise */
CV_API bool cv_type_is_numeric(const cv_type *t);
CV_API bool cv_type_is_integer(const cv_type *t);
CV_API bool cv_type_is_var(const cv_type *t); /* string or bytes */
CV_API bool cv_type_equal(const cv_type *a, const cv_type *b);
/* Parse SeaTunnel's spelling: "int", "decimal(10, 2)", "array<int>",
 * "map<string, bigint>", "{a = int, b = string}", "row<a int>". Errors name
 * the offending character offset in the message. */
CV_API int cv_type_parse(cv_arena *a, const char *s, const cv_type **out, cv_err *err);
/* Print in SeaTunnel's spelling: decimal(10,2), array<int>, map<string, bigint>,
 * row<a int, b string>. */
CV_API void cv_type_format(const cv_type *t, cv_buf *out);
/* Same, into a buffer-less static-size string for messages. */
CV_API const char *cv_type_str(const cv_type *t, char *buf, size_t n);

/* ---- row kinds ------------------------------------------------------------ */

typedef enum {
    CV_ROW_INSERT = 0,        /* +I */
    CV_ROW_UPDATE_BEFORE = 1, /* -U */
    CV_ROW_UPDATE_AFTER = 2,  /* +U */
    CV_ROW_DELETE = 3,        /* -D */
} cv_row_kind;

CV_API const char *cv_row_kind_short(cv_row_kind k); /* "+I" */
CV_API const char *cv_row_kind_name(cv_row_kind k);  /* "INSERT" */
/* Accepts INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE and +I, -U, +U, -D. */
CV_API int cv_row_kind_parse(const char *s, cv_row_kind *out);

/* ---- catalog tables -------------------------------------------------------- */

typedef struct cv_column {
    const char *name;
    const cv_type *type;
    bool nullable;
    const char *default_value; /* text, NULL when none */
    const char *comment;
    int64_t length; /* columnLength, 0 when unknown */
    int64_t scale;  /* columnScale */
} cv_column;

typedef struct cv_key_col {
    const char *name;
    bool desc;
} cv_key_col;

typedef struct cv_constraint {
    const char *name;
    const char *kind; /* UNIQUE_KEY, INDEX_KEY, ... */
    cv_key_col *cols;
    uint32_t ncols;
} cv_constraint;

typedef struct cv_table {
    const char *database, *schema, *name; /* any part may be NULL */
    const char *full_name;                /* non-NULL parts joined by '.' */
    const char *comment;
    cv_column *cols;
    uint32_t ncols;
    const char *pk_name;
    const char **pk_cols;
    uint32_t npk;
    cv_constraint *keys;
    uint32_t nkeys;
    const cv_type *row_type; /* the columns as a row type */
} cv_table;

/* Build the table path from "db.schema.table" / "db.table" / "table";
 * schema_first makes a two-part path schema.table. */
CV_API int cv_table_set_path(cv_arena *a, cv_table *t, const char *path, bool schema_first, cv_err *err);
/* Fill full_name and row_type after the columns are set. */
CV_API int cv_table_finish(cv_arena *a, cv_table *t, cv_err *err);
CV_API int cv_table_find_col(const cv_table *t, const char *name); /* -1 if absent */
/* A new table with in's path and comment and the given columns; keys whose
 * columns all survive (by name) are kept. For transforms. */
CV_API int cv_table_derive(cv_arena *a, const cv_table *in, const cv_column *cols, uint32_t n, cv_table **out,
                           cv_err *err);
/* True when batches of `a` can be appended to a stream of `b` (same column
 * names and types, in order). Fills why otherwise. */
CV_API bool cv_table_compatible(const cv_table *a, const cv_table *b, char *why, size_t n);

/* ---- columns and batches ---------------------------------------------------- */

typedef struct cv_batch cv_batch;
typedef struct cv_col cv_col;

struct cv_col {
    const cv_type *type;
    uint32_t len, cap; /* values present / allocated */
    uint32_t null_count;
    uint8_t *validity; /* bit i set = value i valid; NULL = all valid */
    uint8_t *data;     /* fixed values or int32 offsets[cap + 1] */
    uint8_t *var;      /* string/bytes payload */
    uint32_t var_len, var_cap;
    cv_col *child; /* array: [elem]; map: [keys, values]; row: fields */
    uint32_t nchild;
    cv_batch *owner;
};

struct cv_batch {
    const cv_table *table;
    uint32_t nrows, cap; /* cap: soft row limit, see cv_batch_full */
    uint8_t *kinds;      /* cv_row_kind per row */
    uint32_t kinds_cap;
    cv_col *cols;
    uint32_t ncols;
    int err;      /* sticky CV_ENOMEM / CV_ERANGE from an append */
    size_t bytes; /* approximate payload bytes, for the byte limit */
    size_t byte_limit;
    int refs; /* atomic; 1 when created */
};

#define CV_BATCH_ROWS 4096
#define CV_BATCH_BYTES (4u << 20)

CV_API cv_batch *cv_batch_new(const cv_table *t, uint32_t cap_rows);
CV_API void cv_batch_ref(cv_batch *b);
/* Drop a reference; the last one frees every buffer. NULL is ignored. */
CV_API void cv_batch_free(cv_batch *b);
/* Reuse a batch for the same table (only when refs == 1). */
CV_API void cv_batch_clear(cv_batch *b);
static inline bool cv_batch_full(const cv_batch *b) { return b->nrows >= b->cap || b->bytes >= b->byte_limit; }
/* Finish a row whose values were appended to every column. */
CV_API void cv_batch_end_row(cv_batch *b, cv_row_kind kind);
/* Finish n rows appended column by column. */
CV_API void cv_batch_end_rows(cv_batch *b, uint32_t n, cv_row_kind kind);
/* Returns b->err with a message, or 0. Also verifies column lengths. */
CV_API int cv_batch_check(const cv_batch *b, cv_err *err);
/* Drop every row from nrows on (undo a half-appended row). */
CV_API void cv_batch_truncate(cv_batch *b, uint32_t nrows);
/* Deep copy of one row into dst (same table). */
CV_API void cv_batch_copy_row(cv_batch *dst, const cv_batch *src, uint32_t row);

CV_API int cv__col_grow(cv_col *c, uint32_t need);
CV_API int cv__col_var_grow(cv_col *c, size_t extra);
CV_API void cv__col_fail(cv_col *c, int code);

static inline bool cv_col_is_null(const cv_col *c, uint32_t i)
{
    return c->validity && !(c->validity[i >> 3] & (1u << (i & 7)));
}

#define CV__COL_RESERVE(c)                                                                \
    if (CV_UNLIKELY((c)->len >= (c)->cap) && cv__col_grow((c), (c)->len + 1) < 0) return; \
    if ((c)->validity) (c)->validity[(c)->len >> 3] |= (uint8_t)(1u << ((c)->len & 7))

#define CV__COL_APPEND_FIXED(fn, T)       \
    static inline void fn(cv_col *c, T v) \
    {                                     \
        CV__COL_RESERVE(c);               \
        ((T *)c->data)[c->len++] = v;     \
    }
CV__COL_APPEND_FIXED(cv_col_append_bool, uint8_t)
CV__COL_APPEND_FIXED(cv_col_append_i8, int8_t)
CV__COL_APPEND_FIXED(cv_col_append_i16, int16_t)
CV__COL_APPEND_FIXED(cv_col_append_i32, int32_t)
CV__COL_APPEND_FIXED(cv_col_append_i64, int64_t)
CV__COL_APPEND_FIXED(cv_col_append_f32, float)
CV__COL_APPEND_FIXED(cv_col_append_f64, double)
CV__COL_APPEND_FIXED(cv_col_append_dec, cv_i128)
#undef CV__COL_APPEND_FIXED

/* Make room for n more fixed-width values and return a pointer to the
 * first; the values count as valid. NULL on failure (batch error set). */
CV_API void *cv_col_extend(cv_col *c, uint32_t n);
/* A free-standing column (not in a batch), e.g. scratch space. */
CV_API int cv_col_init(cv_col *c, const cv_type *t);
CV_API void cv_col_destroy(cv_col *c);
CV_API void cv_col_reset(cv_col *c);
/* Append values [from, from+n) of src (same type), in bulk where the
 * layout allows. */
CV_API void cv_col_append_range(cv_col *dst, const cv_col *src, uint32_t from, uint32_t n);
/* Append a deep copy of value i of src (same type). */
CV_API void cv_col_copy_value(cv_col *dst, const cv_col *src, uint32_t i);
/* Append a string or bytes value. */
CV_API void cv_col_append_str(cv_col *c, const char *p, size_t n);
/* Bulk string appends: reserve room for n more values with `bytes` of
 * payload in all (false on failure, with the batch error set), then put
 * each with cv_col_put_str, which checks nothing. For loops that append
 * many short strings. */
CV_API bool cv_col_reserve_str(cv_col *c, uint32_t n, size_t bytes);
static inline void cv_col_put_str(cv_col *c, const char *p, uint32_t n)
{
    if (c->validity) c->validity[c->len >> 3] |= (uint8_t)(1u << (c->len & 7));
    char *d = (char *)c->var + c->var_len;
    for (uint32_t i = 0; i < n; i++) d[i] = p[i]; /* short: cheaper than a call */
    c->var_len += n;
    ((int32_t *)c->data)[++c->len] = (int32_t)c->var_len;
    if (c->owner) c->owner->bytes += n;
}
/* Append NULL (every type). */
CV_API void cv_col_append_null(cv_col *c);
/* Arrays and maps: append the elements to c->child[0] (and the map values
 * to c->child[1]) first, then close the value with the element count. */
CV_API void cv_col_append_list(cv_col *c, uint32_t count);
/* Rows: append one value to every child, then mark the row value valid. */
CV_API void cv_col_append_struct(cv_col *c);
/* Append an integer to any integer, float, decimal or temporal column,
 * with a range check; out of range sets the batch error to CV_ERANGE. */
CV_API void cv_col_append_int_any(cv_col *c, int64_t v);

static inline int64_t cv_col_i64(const cv_col *c, uint32_t i) { return ((const int64_t *)c->data)[i]; }
static inline int32_t cv_col_i32(const cv_col *c, uint32_t i) { return ((const int32_t *)c->data)[i]; }
static inline const int32_t *cv_col_offsets(const cv_col *c) { return (const int32_t *)c->data; }
static inline const char *cv_col_str(const cv_col *c, uint32_t i, uint32_t *n)
{
    const int32_t *o = (const int32_t *)c->data;
    *n = (uint32_t)(o[i + 1] - o[i]);
    /* a column of empty strings never allocates its payload */
    return c->var ? (const char *)c->var + o[i] : "";
}
/* Read any integer-like fixed value (bool..i64, date, time, timestamps). */
CV_API int64_t cv_col_get_int(const cv_col *c, uint32_t i);
CV_API double cv_col_get_f64(const cv_col *c, uint32_t i); /* any numeric */

/* ---- value text ------------------------------------------------------------- */

/* Parse text into one appended value. Strict: the whole text must be a
 * valid value of the type, in range, without losing digits. Composite
 * types are not parsed here (the plugin layer converts config trees). */
CV_API int cv_value_parse(cv_col *c, const char *s, size_t n, cv_err *err);

typedef enum {
    CV_FMT_JAVA, /* like Java's toString: what SeaTunnel's Console prints */
    CV_FMT_JSON, /* JSON literal */
    CV_FMT_TEXT, /* plain text: ISO dates with 'T', NULL as empty */
} cv_fmt_style;

/* Format value i of column c. JAVA/TEXT print NULL as nothing; JSON as null. */
CV_API void cv_value_format(const cv_col *c, uint32_t i, cv_fmt_style st, cv_buf *out);
/* Compare value i of a with value j of b (same type): <0, 0, >0; NULL first. */
CV_API int cv_value_compare(const cv_col *a, uint32_t i, const cv_col *b, uint32_t j);

/* Decimal helpers. */
CV_API int cv_decimal_parse(const char *s, size_t n, unsigned precision, unsigned scale, cv_i128 *out,
                            const char **why);
CV_API void cv_decimal_format(cv_i128 v, unsigned scale, cv_buf *out);
CV_API void cv_i128_format(cv_i128 v, cv_buf *out);
/* The shortest, closest digits (Schubfach) of |v| > 0; returns their count, *exp10 is
 * the decimal exponent of the first digit. Internal to the printers. */
CV_API int cv__shortest_digits(double v, bool is_float, char *buf, int *exp10);
/* Floats the way Java prints them (shortest round-trip, ".0", E notation). */
CV_API void cv_f64_format_java(double v, bool is_float, cv_buf *out);

/* Temporal parse/format (ISO forms). */
CV_API bool cv_date_parse(const char *s, size_t n, int32_t *days);
CV_API bool cv_time_parse(const char *s, size_t n, int64_t *nanos);
/* Accepts "YYYY-MM-DD[T| ]HH:MM[:SS[.f…]]" and, when tz is non-NULL, an
 * optional "Z" or "±HH:MM" offset (stored in *tz minutes; 0 when absent). */
CV_API bool cv_timestamp_parse(const char *s, size_t n, int64_t *micros, int *tz_minutes);
CV_API void cv_date_format(int32_t days, cv_buf *out);
CV_API void cv_time_format_java(int64_t nanos, cv_buf *out);
/* HH:mm:ss[.fff|.ffffff|.fffffffff]; java=true drops ":00" seconds. */
CV_API void cv_time_format(int64_t nanos, bool java, cv_buf *out);
CV_API void cv_timestamp_format_java(int64_t micros, char sep, cv_buf *out);

#endif
