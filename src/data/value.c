/* value.c — one value of a column as text, and text as one value: the
 * strict parser used for literals in configs and files, the printers for
 * Console (Java style), JSON and plain text, and a total order for
 * comparisons (NULL first). */
#include "data.h"

#include <float.h>
#include <math.h>
#include <string.h>

static int bad(cv_err *err, const cv_col *c, const char *s, size_t n, const char *why)
{
    char tn[96];
    return cv_err_set(err, CV_EDATA, "\"%.*s\" is not a valid %s%s%s", (int)CV_MIN(n, 200), s,
                      cv_type_str(c->type, tn, sizeof tn), why ? ": " : "", why ? why : "");
}

int cv_value_parse(cv_col *c, const char *s, size_t n, cv_err *err)
{
    int64_t i;
    double d;
    switch (c->type->id) {
    case CV_T_NULL: return bad(err, c, s, n, "only null is allowed");
    case CV_T_STRING:
    case CV_T_BYTES: cv_col_append_str(c, s, n); return 0;
    case CV_T_BOOL:
        if (n == 4 && cv_strneq_nocase(s, "true", 4))
            cv_col_append_bool(c, 1);
        else if (n == 5 && cv_strneq_nocase(s, "false", 5))
            cv_col_append_bool(c, 0);
        else
            return bad(err, c, s, n, "expected true or false");
        return 0;
    case CV_T_I8:
    case CV_T_I16:
    case CV_T_I32:
    case CV_T_I64: {
        if (!cv_parse_i64(s, n, &i)) {
            /* accept integral decimals like "5.0" is risky; be strict */
            return bad(err, c, s, n, NULL);
        }
        int64_t lo = c->type->id == CV_T_I8    ? INT8_MIN
                     : c->type->id == CV_T_I16 ? INT16_MIN
                     : c->type->id == CV_T_I32 ? INT32_MIN
                                               : INT64_MIN;
        int64_t hi = c->type->id == CV_T_I8    ? INT8_MAX
                     : c->type->id == CV_T_I16 ? INT16_MAX
                     : c->type->id == CV_T_I32 ? INT32_MAX
                                               : INT64_MAX;
        if (i < lo || i > hi) return bad(err, c, s, n, "out of range");
        cv_col_append_int_any(c, i);
        return 0;
    }
    case CV_T_F32:
    case CV_T_F64:
        if (!cv_parse_f64(s, n, &d)) {
            if (n == 3 && memcmp(s, "NaN", 3) == 0)
                d = NAN;
            else if (n == 8 && memcmp(s, "Infinity", 8) == 0)
                d = INFINITY;
            else if (n == 9 && memcmp(s, "-Infinity", 9) == 0)
                d = -INFINITY;
            else
                return bad(err, c, s, n, NULL);
        }
        if (c->type->id == CV_T_F32) {
            /* out of range means rounding to infinity, i.e. at least FLT_MAX
             * plus half an ulp: "3.4028235E38", which is how FLT_MAX prints,
             * is a little above FLT_MAX as a double and must be accepted */
            if (isfinite(d) && fabs(d) >= 0x1.ffffffp127) return bad(err, c, s, n, "out of range");
            cv_col_append_f32(c, (float)d);
        } else {
            cv_col_append_f64(c, d);
        }
        return 0;
    case CV_T_DECIMAL: {
        cv_i128 v;
        const char *why;
        if (cv_decimal_parse(s, n, c->type->precision, c->type->scale, &v, &why) < 0) return bad(err, c, s, n, why);
        cv_col_append_dec(c, v);
        return 0;
    }
    case CV_T_DATE: {
        int32_t days;
        if (!cv_date_parse(s, n, &days)) return bad(err, c, s, n, "expected yyyy-MM-dd");
        cv_col_append_i32(c, days);
        return 0;
    }
    case CV_T_TIME: {
        int64_t ns;
        if (!cv_time_parse(s, n, &ns)) return bad(err, c, s, n, "expected HH:mm[:ss[.fff]]");
        cv_col_append_i64(c, ns);
        return 0;
    }
    case CV_T_TIMESTAMP:
    case CV_T_TIMESTAMP_TZ: {
        int64_t us;
        int tz;
        bool with_tz = c->type->id == CV_T_TIMESTAMP_TZ;
        if (!cv_timestamp_parse(s, n, &us, with_tz ? &tz : NULL))
            return bad(err, c, s, n,
                       with_tz ? "expected yyyy-MM-ddTHH:mm:ss[.ffffff][Z|+HH:MM]"
                               : "expected yyyy-MM-ddTHH:mm:ss[.ffffff]");
        cv_col_append_i64(c, us);
        return 0;
    }
    default: return bad(err, c, s, n, "composite values cannot be written as text");
    }
}

/* ---- formatting ------------------------------------------------------------------ */

static void fmt_value(const cv_col *c, uint32_t i, cv_fmt_style st, bool nested, cv_buf *out);

static void fmt_time_text(int64_t nanos, cv_buf *out) { cv_time_format(nanos, false, out); }

static void fmt_ts_text(int64_t us, char sep, cv_buf *out)
{
    int64_t days = us / 86400000000LL;
    int64_t rest = us % 86400000000LL;
    if (rest < 0) {
        rest += 86400000000LL;
        days--;
    }
    cv_date_format((int32_t)days, out);
    cv_buf_putc(out, sep);
    fmt_time_text(rest * 1000, out);
}

static void fmt_list(const cv_col *c, uint32_t i, cv_fmt_style st, cv_buf *out)
{
    const int32_t *o = cv_col_offsets(c);
    cv_buf_putc(out, '[');
    for (int32_t k = o[i]; k < o[i + 1]; k++) {
        if (k > o[i]) cv_buf_puts(out, st == CV_FMT_JSON ? "," : ", ");
        fmt_value(&c->child[0], (uint32_t)k, st, true, out);
    }
    cv_buf_putc(out, ']');
}

static void fmt_map(const cv_col *c, uint32_t i, cv_fmt_style st, cv_buf *out)
{
    const int32_t *o = cv_col_offsets(c);
    (void)st; /* maps print as JSON in every style, as Jackson does */
    cv_buf key;
    cv_buf_init(&key);
    cv_buf_putc(out, '{');
    for (int32_t k = o[i]; k < o[i + 1]; k++) {
        if (k > o[i]) cv_buf_putc(out, ',');
        cv_buf_reset(&key);
        if (cv_col_is_null(&c->child[0], (uint32_t)k))
            cv_buf_puts(&key, "null");
        else
            fmt_value(&c->child[0], (uint32_t)k, CV_FMT_TEXT, true, &key);
        cv_buf_json_str(out, key.data ? key.data : "", key.len);
        cv_buf_putc(out, ':');
        /* map values are JSON in every style, as Jackson prints them */
        fmt_value(&c->child[1], (uint32_t)k, CV_FMT_JSON, true, out);
    }
    cv_buf_putc(out, '}');
    cv_buf_free(&key);
}

static void fmt_row(const cv_col *c, uint32_t i, cv_fmt_style st, cv_buf *out)
{
    const cv_type *t = c->type;
    cv_buf_putc(out, st == CV_FMT_JSON ? '{' : '[');
    for (uint32_t k = 0; k < c->nchild; k++) {
        if (k) cv_buf_puts(out, st == CV_FMT_JSON ? "," : ", ");
        if (st == CV_FMT_JSON) {
            cv_buf_json_str(out, t->fields[k].name, strlen(t->fields[k].name));
            cv_buf_putc(out, ':');
        }
        fmt_value(&c->child[k], i, st, true, out);
    }
    cv_buf_putc(out, st == CV_FMT_JSON ? '}' : ']');
}

static void fmt_value(const cv_col *c, uint32_t i, cv_fmt_style st, bool nested, cv_buf *out)
{
    if (cv_col_is_null(c, i) || c->type->id == CV_T_NULL) {
        if (st == CV_FMT_JSON || (nested && st == CV_FMT_JAVA)) cv_buf_puts(out, "null");
        return;
    }
    switch (c->type->id) {
    case CV_T_BOOL: cv_buf_puts(out, c->data[i] ? "true" : "false"); break;
    case CV_T_I8:
    case CV_T_I16:
    case CV_T_I32:
    case CV_T_I64: cv_buf_put_i64(out, cv_col_get_int(c, i)); break;
    case CV_T_F32:
    case CV_T_F64: {
        double d = cv_col_get_f64(c, i);
        if (st == CV_FMT_JSON && !isfinite(d))
            cv_buf_puts(out, "null");
        else
            cv_f64_format_java(d, c->type->id == CV_T_F32, out);
        break;
    }
    case CV_T_DECIMAL: {
        cv_i128 v = ((const cv_i128 *)c->data)[i];
        cv_decimal_format(v, c->type->scale, out);
        break;
    }
    case CV_T_STRING: {
        uint32_t n;
        const char *p = cv_col_str(c, i, &n);
        if (st == CV_FMT_JSON)
            cv_buf_json_str(out, p, n);
        else
            cv_buf_put(out, p, n);
        break;
    }
    case CV_T_BYTES: {
        uint32_t n;
        const char *p = cv_col_str(c, i, &n);
        if (st == CV_FMT_JSON) {
            cv_buf_putc(out, '"');
            cv_base64_encode(p, n, out);
            cv_buf_putc(out, '"');
        } else if (st == CV_FMT_JAVA) {
            cv_buf_putc(out, '[');
            for (uint32_t k = 0; k < n; k++) cv_buf_printf(out, k ? ", %d" : "%d", (int)(int8_t)p[k]);
            cv_buf_putc(out, ']');
        } else {
            cv_buf_put(out, p, n);
        }
        break;
    }
    case CV_T_DATE:
        if (st == CV_FMT_JSON) cv_buf_putc(out, '"');
        cv_date_format(cv_col_i32(c, i), out);
        if (st == CV_FMT_JSON) cv_buf_putc(out, '"');
        break;
    case CV_T_TIME:
        if (st == CV_FMT_JAVA) {
            cv_time_format_java(cv_col_i64(c, i), out);
        } else {
            if (st == CV_FMT_JSON) cv_buf_putc(out, '"');
            fmt_time_text(cv_col_i64(c, i), out);
            if (st == CV_FMT_JSON) cv_buf_putc(out, '"');
        }
        break;
    case CV_T_TIMESTAMP:
    case CV_T_TIMESTAMP_TZ: {
        bool tz = c->type->id == CV_T_TIMESTAMP_TZ;
        if (st == CV_FMT_JAVA) {
            cv_timestamp_format_java(cv_col_i64(c, i), 'T', out);
        } else {
            if (st == CV_FMT_JSON) cv_buf_putc(out, '"');
            fmt_ts_text(cv_col_i64(c, i), st == CV_FMT_JSON ? 'T' : ' ', out);
        }
        if (tz) cv_buf_putc(out, 'Z');
        if (st == CV_FMT_JSON) cv_buf_putc(out, '"');
        break;
    }
    case CV_T_ARRAY: fmt_list(c, i, st, out); break;
    case CV_T_MAP: fmt_map(c, i, st, out); break;
    case CV_T_ROW: fmt_row(c, i, st, out); break;
    default: break;
    }
}

void cv_value_format(const cv_col *c, uint32_t i, cv_fmt_style st, cv_buf *out) { fmt_value(c, i, st, false, out); }

/* ---- comparison ------------------------------------------------------------------- */

static int cmp_i(int64_t a, int64_t b) { return (a > b) - (a < b); }

int cv_value_compare(const cv_col *a, uint32_t i, const cv_col *b, uint32_t j)
{
    bool na = cv_col_is_null(a, i) || a->type->id == CV_T_NULL;
    bool nb = cv_col_is_null(b, j) || b->type->id == CV_T_NULL;
    if (na || nb) return na && nb ? 0 : na ? -1 : 1;
    switch (a->type->id) {
    case CV_T_F32:
    case CV_T_F64: {
        double x = cv_col_get_f64(a, i), y = cv_col_get_f64(b, j);
        if (a->type->id == CV_T_F32) {
            x = (float)x;
            y = (float)y;
        }
        /* NaN sorts after everything and equals itself (Java's
         * Double.compare), or sorting would see no total order */
        if (isnan(x) || isnan(y)) return (isnan(x) != 0) - (isnan(y) != 0);
        return (x > y) - (x < y);
    }
    case CV_T_DECIMAL: {
        cv_i128 x = ((const cv_i128 *)a->data)[i], y = ((const cv_i128 *)b->data)[j];
        return (x > y) - (x < y);
    }
    case CV_T_STRING:
    case CV_T_BYTES: {
        uint32_t la, lb;
        const char *pa = cv_col_str(a, i, &la), *pb = cv_col_str(b, j, &lb);
        int r = memcmp(pa, pb, CV_MIN(la, lb));
        return r ? (r > 0) - (r < 0) : cmp_i(la, lb);
    }
    case CV_T_ARRAY:
    case CV_T_MAP: {
        const int32_t *oa = cv_col_offsets(a), *ob = cv_col_offsets(b);
        int32_t la = oa[i + 1] - oa[i], lb = ob[j + 1] - ob[j];
        for (int32_t k = 0; k < la && k < lb; k++) {
            for (uint32_t ch = 0; ch < a->nchild; ch++) {
                int r = cv_value_compare(&a->child[ch], (uint32_t)(oa[i] + k), &b->child[ch], (uint32_t)(ob[j] + k));
                if (r) return r;
            }
        }
        return cmp_i(la, lb);
    }
    case CV_T_ROW:
        for (uint32_t ch = 0; ch < a->nchild && ch < b->nchild; ch++) {
            int r = cv_value_compare(&a->child[ch], i, &b->child[ch], j);
            if (r) return r;
        }
        return cmp_i(a->nchild, b->nchild);
    default: return cmp_i(cv_col_get_int(a, i), cv_col_get_int(b, j));
    }
}
