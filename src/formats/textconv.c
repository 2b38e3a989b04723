/* textconv.c — values as text, for csv and SeaTunnel's text format. Nested
 * values use SeaTunnel's separator levels: inside a top-level field (level
 * 1) array elements and map entries are split by \002 and map keys from
 * values by \003; each level of nesting adds one. Numbers are parsed by
 * hand (the hot path of every file read); dates and times follow the
 * configured java.time patterns, with ISO forms as the fallback. */
#include "formats.h"

#include <string.h>

void cv_textfmt_init(cv_textfmt *f) { memset(f, 0, sizeof *f); }

bool cv_utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ULL) break;
        i += 8;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return cv_utf8_len(s + i, n - i) >= 0;
    return true;
}

static bool parse_int(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *out)
{
    if (n == 0) return false; /* no length limit: leading zeros are fine, overflow is checked */
    size_t i = 0;
    bool neg = false;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        if (++i == n) return false;
    }
    uint64_t v = 0;
    for (; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (d > 9) return false;
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1) return false;
        int64_t x = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
        if (x < lo) return false;
        *out = x;
    } else {
        if (v > (uint64_t)hi) return false;
        *out = (int64_t)v;
    }
    return true;
}

/* Split s at separator sep; calls fn for each piece. */
typedef int (*piece_fn)(void *ctx, const char *p, size_t n);

static int split(const char *s, size_t n, char sep, piece_fn fn, void *ctx)
{
    const char *p = s, *e = s + n;
    for (;;) {
        const char *q = memchr(p, sep, (size_t)(e - p));
        const char *end = q ? q : e;
        CV_TRY(fn(ctx, p, (size_t)(end - p)));
        if (!q) return 0;
        p = q + 1;
    }
}

typedef struct {
    const cv_textfmt *f;
    cv_col *c;
    int level;
    const char **why;
    uint32_t count;
    int field;
} nest_ctx;

static int elem_fn(void *vc, const char *p, size_t n)
{
    nest_ctx *x = vc;
    x->count++;
    return cv_text_to_col(x->f, &x->c->child[0], p, n, x->level + 1, x->why);
}

static int entry_fn(void *vc, const char *p, size_t n)
{
    nest_ctx *x = vc;
    char ksep = (char)(x->level + 2);
    const char *kv = memchr(p, ksep, n);
    if (!kv) {
        *x->why = "a map entry has no key/value separator";
        return CV_EDATA;
    }
    CV_TRY(cv_text_to_col(x->f, &x->c->child[0], p, (size_t)(kv - p), x->level + 2, x->why));
    CV_TRY(cv_text_to_col(x->f, &x->c->child[1], kv + 1, n - (size_t)(kv - p) - 1, x->level + 2, x->why));
    x->count++;
    return 0;
}

static int row_fn(void *vc, const char *p, size_t n)
{
    nest_ctx *x = vc;
    if ((uint32_t)x->field >= x->c->nchild) {
        *x->why = "a nested row has more fields than its type";
        return CV_EDATA;
    }
    return cv_text_to_col(x->f, &x->c->child[x->field++], p, n, x->level + 1, x->why);
}

static int parse_temporal(const cv_textfmt *f, cv_col *c, const char *s, size_t n, const char **why)
{
    int64_t us;
    switch (c->type->id) {
    case CV_T_DATE: {
        int32_t days;
        if (f->custom_date && cv_datefmt_parse(&f->date, s, n, &us)) {
            /* floor: a pattern with a time part must not round toward 1970 */
            int64_t d = us / 86400000000LL - (us % 86400000000LL < 0);
            cv_col_append_i32(c, (int32_t)d);
            return 0;
        }
        if (cv_date_parse(s, n, &days)) {
            cv_col_append_i32(c, days);
            return 0;
        }
        *why = f->custom_date ? "not a date in the date_format" : "not a date (yyyy-MM-dd)";
        return CV_EDATA;
    }
    case CV_T_TIME: {
        int64_t ns;
        /* a pattern with date letters must still give a time of day */
        if (f->custom_time && cv_datefmt_parse(&f->time, s, n, &us) && us >= 0 && us < 86400000000LL) {
            cv_col_append_i64(c, us * 1000);
            return 0;
        }
        if (cv_time_parse(s, n, &ns)) {
            cv_col_append_i64(c, ns);
            return 0;
        }
        *why = f->custom_time ? "not a time in the time_format" : "not a time (HH:mm:ss)";
        return CV_EDATA;
    }
    default: {
        int tz;
        bool with_tz = c->type->id == CV_T_TIMESTAMP_TZ;
        if (f->custom_datetime && cv_datefmt_parse(&f->datetime, s, n, &us)) {
            cv_col_append_i64(c, us);
            return 0;
        }
        if (cv_timestamp_parse(s, n, &us, with_tz ? &tz : NULL)) {
            cv_col_append_i64(c, us);
            return 0;
        }
        *why = f->custom_datetime ? "not a timestamp in the datetime_format" : "not a timestamp (yyyy-MM-dd HH:mm:ss)";
        return CV_EDATA;
    }
    }
}

int cv_text_to_col(const cv_textfmt *f, cv_col *c, const char *s, size_t n, int level, const char **why)
{
    if (f->null_format && n == f->null_len && memcmp(s, f->null_format, n) == 0) {
        cv_col_append_null(c);
        return 0;
    }
    cv_type_id id = c->type->id;
    if (id == CV_T_STRING) {
        if (!cv_utf8_valid(s, n)) {
            *why = "invalid UTF-8";
            return CV_EDATA;
        }
        cv_col_append_str(c, s, n);
        return 0;
    }
    if (id == CV_T_BYTES) {
        cv_col_append_str(c, s, n);
        return 0;
    }
    if (n == 0 || id == CV_T_NULL) { /* an empty non-string field is NULL */
        if (n && id == CV_T_NULL) {
            *why = "a null column holds only empty fields";
            return CV_EDATA;
        }
        cv_col_append_null(c);
        return 0;
    }
    int64_t v;
    switch (id) {
    case CV_T_BOOL:
        if (n == 4 && cv_strneq_nocase(s, "true", 4))
            cv_col_append_bool(c, 1);
        else if (n == 5 && cv_strneq_nocase(s, "false", 5))
            cv_col_append_bool(c, 0);
        else {
            *why = "not a boolean (true or false)";
            return CV_EDATA;
        }
        return 0;
    case CV_T_I8:
        if (!parse_int(s, n, INT8_MIN, INT8_MAX, &v)) break;
        cv_col_append_i8(c, (int8_t)v);
        return 0;
    case CV_T_I16:
        if (!parse_int(s, n, INT16_MIN, INT16_MAX, &v)) break;
        cv_col_append_i16(c, (int16_t)v);
        return 0;
    case CV_T_I32:
        if (!parse_int(s, n, INT32_MIN, INT32_MAX, &v)) break;
        cv_col_append_i32(c, (int32_t)v);
        return 0;
    case CV_T_I64:
        if (!parse_int(s, n, INT64_MIN, INT64_MAX, &v)) break;
        cv_col_append_i64(c, v);
        return 0;
    case CV_T_F32:
    case CV_T_F64:
    case CV_T_DECIMAL: {
        cv_err e;
        cv_err_clear(&e);
        if (cv_value_parse(c, s, n, &e) < 0) {
            *why = id == CV_T_DECIMAL ? "not a decimal that fits the column's precision and scale" : "not a number";
            return CV_EDATA;
        }
        return 0;
    }
    case CV_T_DATE:
    case CV_T_TIME:
    case CV_T_TIMESTAMP:
    case CV_T_TIMESTAMP_TZ: return parse_temporal(f, c, s, n, why);
    case CV_T_ARRAY: {
        nest_ctx x = {f, c, level, why, 0, 0};
        CV_TRY(split(s, n, (char)(level + 1), elem_fn, &x));
        cv_col_append_list(c, x.count);
        return 0;
    }
    case CV_T_MAP: {
        nest_ctx x = {f, c, level, why, 0, 0};
        CV_TRY(split(s, n, (char)(level + 1), entry_fn, &x));
        cv_col_append_list(c, x.count);
        return 0;
    }
    case CV_T_ROW: {
        nest_ctx x = {f, c, level, why, 0, 0};
        CV_TRY(split(s, n, (char)(level + 1), row_fn, &x));
        for (; (uint32_t)x.field < c->nchild; x.field++) cv_col_append_null(&c->child[x.field]);
        cv_col_append_struct(c);
        return 0;
    }
    default: break;
    }
    /* integers: say whether it was the range or the spelling */
    size_t sign = s[0] == '-' || s[0] == '+';
    bool digits = n > sign;
    for (size_t i = sign; i < n; i++) digits &= s[i] >= '0' && s[i] <= '9';
    *why = digits ? "out of range for the column type" : "not an integer";
    return CV_EDATA;
}

void cv_col_to_text(const cv_textfmt *f, const cv_col *c, uint32_t i, int level, cv_buf *out)
{
    if (cv_col_is_null(c, i) || c->type->id == CV_T_NULL) {
        if (f->null_format) cv_buf_put(out, f->null_format, f->null_len);
        return;
    }
    switch (c->type->id) {
    case CV_T_DATE: {
        /* ISO dates reach ±999999 years, microseconds only ±292277 */
        int64_t us;
        if (f->custom_date && !__builtin_mul_overflow((int64_t)cv_col_i32(c, i), 86400000000LL, &us))
            cv_datefmt_format(&f->date, us, out);
        else
            cv_value_format(c, i, CV_FMT_TEXT, out);
        return;
    }
    case CV_T_TIME:
        if (f->custom_time)
            cv_datefmt_format(&f->time, cv_col_i64(c, i) / 1000, out);
        else
            cv_value_format(c, i, CV_FMT_TEXT, out);
        return;
    case CV_T_TIMESTAMP:
    case CV_T_TIMESTAMP_TZ:
        if (f->custom_datetime)
            cv_datefmt_format(&f->datetime, cv_col_i64(c, i), out);
        else
            cv_value_format(c, i, CV_FMT_TEXT, out);
        return;
    case CV_T_ARRAY:
    case CV_T_MAP: {
        const int32_t *o = cv_col_offsets(c);
        for (int32_t k = o[i]; k < o[i + 1]; k++) {
            if (k > o[i]) cv_buf_putc(out, (char)(level + 1));
            cv_col_to_text(f, &c->child[0], (uint32_t)k, level + (c->type->id == CV_T_MAP ? 2 : 1), out);
            if (c->type->id == CV_T_MAP) {
                cv_buf_putc(out, (char)(level + 2));
                cv_col_to_text(f, &c->child[1], (uint32_t)k, level + 2, out);
            }
        }
        return;
    }
    case CV_T_ROW:
        for (uint32_t k = 0; k < c->nchild; k++) {
            if (k) cv_buf_putc(out, (char)(level + 1));
            cv_col_to_text(f, &c->child[k], i, level + 1, out);
        }
        return;
    default: cv_value_format(c, i, CV_FMT_TEXT, out); return;
    }
}
