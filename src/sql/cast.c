/* cast.c — CAST between culvert types, one column at a time, by
 * SeaTunnel's rules (SystemFunction.castAs): text goes through the strict
 * parser of the target type; a number becomes an integer only when it has
 * no fraction and fits; DECIMAL(p, s) rounds toward positive infinity
 * (SeaTunnel's CEILING) and fails when the digits do not fit; a bigint
 * becomes a TIMESTAMP as epoch milliseconds in the local zone, an int a
 * DATE as yyyyMMdd or a TIME as HHmmss. A value that cannot be cast fails
 * the row (TRY_CAST makes it NULL). */
#include "sql_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const cv_i128 cv__sql_p10[39] = {
#define P(n) ((cv_i128)(n))
    P(1),
    P(10),
    P(100),
    P(1000),
    P(10000),
    P(100000),
    P(1000000),
    P(10000000),
    P(100000000),
    P(1000000000),
    P(10000000000),
    P(100000000000),
    P(1000000000000),
    P(10000000000000),
    P(100000000000000),
    P(1000000000000000),
    P(10000000000000000),
    P(100000000000000000),
    P(1000000000000000000),
    P(1000000000000000000) * 10,
    P(1000000000000000000) * 100,
    P(1000000000000000000) * 1000,
    P(1000000000000000000) * 10000,
    P(1000000000000000000) * 100000,
    P(1000000000000000000) * 1000000,
    P(1000000000000000000) * 10000000,
    P(1000000000000000000) * 100000000,
    P(1000000000000000000) * 1000000000,
    P(1000000000000000000) * 10000000000,
    P(1000000000000000000) * 100000000000,
    P(1000000000000000000) * 1000000000000,
    P(1000000000000000000) * 10000000000000,
    P(1000000000000000000) * 100000000000000,
    P(1000000000000000000) * 1000000000000000,
    P(1000000000000000000) * 10000000000000000,
    P(1000000000000000000) * 100000000000000000,
    P(1000000000000000000) * 1000000000000000000,
    P(1000000000000000000) * 1000000000000000000 * 10,
    P(1000000000000000000) * 1000000000000000000 * 100,
#undef P
};

/* "00" … "99": integers print two digits per division */
static const char digit_pairs[] = "0001020304050607080910111213141516171819"
                                  "2021222324252627282930313233343536373839"
                                  "4041424344454647484950515253545556575859"
                                  "6061626364656667686970717273747576777879"
                                  "8081828384858687888990919293949596979899";

static bool is_int_id(cv_type_id id) { return id >= CV_T_I8 && id <= CV_T_I64; }
static bool is_num_id(cv_type_id id) { return id >= CV_T_I8 && id <= CV_T_DECIMAL; }
static bool is_temporal_id(cv_type_id id) { return id >= CV_T_DATE && id <= CV_T_TIMESTAMP_TZ; }
static bool is_composite(cv_type_id id) { return id == CV_T_ARRAY || id == CV_T_MAP || id == CV_T_ROW; }

bool cv__sql_castable(const cv_type *from, const cv_type *to)
{
    cv_type_id f = from->id, t = to->id;
    if (f == CV_T_NULL || cv_type_equal(from, to)) return true;
    if (t == CV_T_STRING) return true;
    if (is_composite(f) || is_composite(t)) return false;
    if (f == CV_T_STRING) return true;
    if (is_num_id(f) && is_num_id(t)) return true;
    if (is_temporal_id(f) && is_temporal_id(t)) return true;
    if (is_int_id(f) && (t == CV_T_TIMESTAMP || t == CV_T_DATE || t == CV_T_TIME)) return true;
    if (f == CV_T_BYTES && t == CV_T_STRING) return true;
    return false;
}

/* ---- helpers --------------------------------------------------------------- */

static int bad(sql_ctx *x, const sql_call *site, uint32_t r, bool try_cast, cv_col *out, const char *why,
               const cv_type *to)
{
    if (try_cast) {
        cv_col_append_null(out);
        return 0;
    }
    char tn[96];
    return sql_fail(site, x, r, "%s as %s", why, cv_type_str(to, tn, sizeof tn));
}

/* Round an unscaled value from scale `from` to scale `to` toward +∞. */
static cv_i128 rescale_ceiling(cv_i128 v, int from, int to)
{
    if (to >= from) return v * cv__sql_p10[to - from];
    cv_i128 d = cv__sql_p10[from - to], q = v / d;
    if (v % d != 0 && v > 0) q++;
    return q;
}

static bool fits(cv_i128 v, unsigned precision)
{
    cv_i128 lim = cv__sql_p10[precision];
    return v < lim && v > -lim;
}

/* Text to an unscaled decimal of scale `scale` rounded toward +∞; false
 * when the text is not a number or does not fit 38 digits. */
static bool text_to_decimal(const char *s, size_t n, unsigned scale, cv_i128 *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    cv_i128 v = 0;
    int digits = 0, frac = 0;
    bool point = false, any = false, rest_nonzero = false;
    long exp = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            any = true;
            if (point && frac >= (int)scale + 1) {
                if (c != '0') rest_nonzero = true;
                continue;
            }
            if (digits >= 38 && (v != 0 || c != '0')) return false;
            v = v * 10 + (c - '0');
            if (v) digits++;
            if (point) frac++;
        } else if (c == '.' && !point) {
            point = true;
        } else if ((c == 'e' || c == 'E') && any) {
            char *end;
            char tmp[32];
            size_t k = CV_MIN(n - i - 1, sizeof tmp - 1);
            memcpy(tmp, s + i + 1, k);
            tmp[k] = '\0';
            exp = strtol(tmp, &end, 10);
            if (*end || k == 0 || exp > 38 || exp < -76) return false;
            break;
        } else {
            return false;
        }
    }
    if (!any) return false;
    /* value = v · 10^(exp − frac) */
    int shift = (int)scale - (frac - (int)exp);
    if (shift >= 0) {
        if (shift > 38 || digits + shift > 38) return false;
        v *= cv__sql_p10[shift];
        if (neg) v = -v;
    } else {
        if (-shift > 38) {
            v = 0;
            rest_nonzero = true;
        } else {
            cv_i128 d = cv__sql_p10[-shift];
            if (v % d) rest_nonzero = true;
            v /= d;
        }
        if (neg)
            v = -v;
        else if (rest_nonzero)
            v++;
        rest_nonzero = false;
    }
    if (rest_nonzero && !neg) v++;
    *out = v;
    return true;
}

/* The local zone's offset from UTC at UTC instant `secs` (0 when unknown). */
static int64_t local_offset_s(int64_t secs)
{
    int32_t off = 0;
    return cv_local_offset_s(secs, &off) ? off : 0;
}

/* ---- the cast ---------------------------------------------------------------- */

int cv__sql_cast(sql_ctx *x, const sql_call *site, const sql_vec *v, const cv_type *from, const cv_type *to,
                 bool try_cast, cv_col *out)
{
    uint32_t rows = v->konst ? 1 : x->n;
    const cv_col *c = v->col;
    cv_type_id f = from->id, t = to->id;
    if (f == CV_T_NULL) {
        for (uint32_t r = 0; r < rows; r++) cv_col_append_null(out);
        return 0;
    }
    if (cv_type_equal(from, to)) {
        cv_col_append_range(out, c, 0, rows);
        return 0;
    }
    cv_buf *buf = &x->scratch;
    if (t == CV_T_STRING && is_int_id(f)) {
        /* integers print the same in Java and C: a tight loop */
        if (!cv_col_reserve_str(out, rows, (size_t)rows * 20)) return cv_err_set(x->err, CV_ENOMEM, "out of memory");
        for (uint32_t r = 0; r < rows; r++) {
            if (cv_col_is_null(c, r) || (!v->konst && x->active && !x->active[r])) {
                cv_col_append_null(out);
                continue;
            }
            int64_t iv = cv_col_get_int(c, r);
            char tmp[24], *e = tmp + sizeof tmp, *p = e;
            uint64_t u = iv < 0 ? 0 - (uint64_t)iv : (uint64_t)iv;
            while (u >= 100) {
                unsigned k = (unsigned)(u % 100) * 2;
                u /= 100;
                *--p = digit_pairs[k + 1];
                *--p = digit_pairs[k];
            }
            if (u >= 10) {
                *--p = digit_pairs[u * 2 + 1];
                *--p = digit_pairs[u * 2];
            } else {
                *--p = (char)('0' + u);
            }
            if (iv < 0) *--p = '-';
            cv_col_put_str(out, p, (uint32_t)(e - p));
        }
        return 0;
    }
    for (uint32_t r = 0; r < rows; r++) {
        if (cv_col_is_null(c, r) || (!v->konst && x->active && !x->active[r])) {
            cv_col_append_null(out);
            continue;
        }
        if (t == CV_T_STRING) {
            if (f == CV_T_BYTES) {
                uint32_t n;
                const char *s = cv_col_str(c, r, &n);
                cv_col_append_str(out, s, n);
                continue;
            }
            cv_buf_reset(buf);
            cv_value_format(c, r, CV_FMT_JAVA, buf);
            cv_col_append_str(out, buf->data ? buf->data : "", buf->len);
            continue;
        }
        if (f == CV_T_STRING || f == CV_T_BYTES) {
            uint32_t n;
            const char *s = cv_col_str(c, r, &n);
            if (t == CV_T_BYTES) {
                cv_col_append_str(out, s, n);
            } else if (t == CV_T_DECIMAL) {
                cv_i128 d;
                if (!text_to_decimal(s, n, to->scale, &d) || !fits(d, to->precision))
                    CV_TRY(bad(x, site, r, try_cast, out, "cannot cast this text", to));
                else
                    cv_col_append_dec(out, d);
            } else if (t == CV_T_BOOL) {
                if ((n == 4 && strncasecmp(s, "true", 4) == 0) || (n == 1 && s[0] == '1'))
                    cv_col_append_bool(out, 1);
                else if ((n == 5 && strncasecmp(s, "false", 5) == 0) || (n == 1 && s[0] == '0'))
                    cv_col_append_bool(out, 0);
                else
                    CV_TRY(bad(x, site, r, try_cast, out, "only 'true', 'false', 1 and 0 cast", to));
            } else {
                cv_err e;
                cv_err_clear(&e);
                if (cv_value_parse(out, s, n, &e) < 0) { /* appends nothing when it fails */
                    if (try_cast) {
                        cv_col_append_null(out);
                    } else {
                        char tn[96];
                        return sql_fail(site, x, r, "cannot cast '%.*s' as %s: %s", (int)CV_MIN(n, 64u), s,
                                        cv_type_str(to, tn, sizeof tn), e.msg);
                    }
                }
            }
            continue;
        }
        if (is_num_id(f) && is_num_id(t)) {
            if (is_int_id(t)) {
                int64_t iv;
                if (is_int_id(f)) {
                    iv = cv_col_get_int(c, r);
                } else if (f == CV_T_DECIMAL) {
                    cv_i128 d = ((const cv_i128 *)c->data)[r], p = cv__sql_p10[from->scale];
                    if (d % p != 0) {
                        CV_TRY(bad(x, site, r, try_cast, out, "a number with a fraction does not cast", to));
                        continue;
                    }
                    d /= p;
                    if (d > INT64_MAX || d < INT64_MIN) {
                        CV_TRY(bad(x, site, r, try_cast, out, "the number is out of range", to));
                        continue;
                    }
                    iv = (int64_t)d;
                } else {
                    double dv = cv_col_get_f64(c, r);
                    if (dv != floor(dv) || !(dv >= -9223372036854775808.0 && dv < 9223372036854775808.0)) {
                        CV_TRY(bad(x, site, r, try_cast, out,
                                   isnan(dv) || dv != floor(dv) ? "a number with a fraction does not cast"
                                                                : "the number is out of range",
                                   to));
                        continue;
                    }
                    iv = (int64_t)dv;
                }
                int64_t lo = t == CV_T_I8    ? INT8_MIN
                             : t == CV_T_I16 ? INT16_MIN
                             : t == CV_T_I32 ? INT32_MIN
                                             : INT64_MIN;
                int64_t hi = t == CV_T_I8    ? INT8_MAX
                             : t == CV_T_I16 ? INT16_MAX
                             : t == CV_T_I32 ? INT32_MAX
                                             : INT64_MAX;
                if (iv < lo || iv > hi) {
                    if (try_cast) {
                        cv_col_append_null(out);
                        continue;
                    }
                    char tn[96];
                    return sql_fail(site, x, r, "%lld is out of range for %s", (long long)iv,
                                    cv_type_str(to, tn, sizeof tn));
                }
                cv_col_append_int_any(out, iv);
            } else if (t == CV_T_F64 || t == CV_T_F32) {
                double dv;
                if (f == CV_T_DECIMAL) {
                    cv_buf_reset(buf);
                    cv_decimal_format(((const cv_i128 *)c->data)[r], from->scale, buf);
                    dv = strtod(buf->data, NULL);
                } else {
                    dv = cv_col_get_f64(c, r);
                }
                if (t == CV_T_F32)
                    cv_col_append_f32(out, (float)dv);
                else
                    cv_col_append_f64(out, dv);
            } else { /* to decimal */
                cv_i128 d;
                bool ok = true;
                if (is_int_id(f)) {
                    d = (cv_i128)cv_col_get_int(c, r) * cv__sql_p10[to->scale];
                } else if (f == CV_T_DECIMAL) {
                    d = rescale_ceiling(((const cv_i128 *)c->data)[r], from->scale, to->scale);
                } else {
                    double dv = cv_col_get_f64(c, r);
                    cv_buf_reset(buf);
                    cv_f64_format_java(dv, f == CV_T_F32, buf);
                    ok = isfinite(dv) && text_to_decimal(buf->data, buf->len, to->scale, &d);
                }
                if (!ok || !fits(d, to->precision))
                    CV_TRY(bad(x, site, r, try_cast, out, "the number does not fit", to));
                else
                    cv_col_append_dec(out, d);
            }
            continue;
        }
        /* temporal targets */
        int64_t iv = cv_col_get_int(c, r);
        int64_t day_us = 86400000000LL;
        switch (t) {
        case CV_T_DATE:
            if (f == CV_T_TIMESTAMP)
                cv_col_append_i32(out, (int32_t)cv_floor_div(iv, day_us));
            else if (f == CV_T_TIMESTAMP_TZ)
                cv_col_append_i32(
                    out, (int32_t)cv_floor_div(iv + local_offset_s(cv_floor_div(iv, 1000000)) * 1000000, day_us));
            else if (f == CV_T_TIME)
                cv_col_append_i32(out, (int32_t)cv_floor_div(x->now_us, day_us));
            else if (is_int_id(f)) {
                int64_t y = iv / 10000, m = (iv / 100) % 100, d = iv % 100;
                int32_t days = cv_days_from_civil(y, (unsigned)m, (unsigned)d);
                int64_t yy;
                unsigned mm, dd;
                cv_civil_from_days(days, &yy, &mm, &dd);
                if (iv < 0 || yy != y || mm != m || dd != d)
                    CV_TRY(bad(x, site, r, try_cast, out, "the number is not a yyyyMMdd date", to));
                else
                    cv_col_append_i32(out, days);
            }
            break;
        case CV_T_TIME:
            if (f == CV_T_TIMESTAMP)
                cv_col_append_i64(out, (iv - cv_floor_div(iv, day_us) * day_us) * 1000);
            else if (f == CV_T_TIMESTAMP_TZ) {
                int64_t w = iv + local_offset_s(cv_floor_div(iv, 1000000)) * 1000000;
                cv_col_append_i64(out, (w - cv_floor_div(w, day_us) * day_us) * 1000);
            } else if (f == CV_T_DATE)
                cv_col_append_i64(out, 0);
            else if (is_int_id(f)) {
                int64_t h = iv / 10000, m = (iv / 100) % 100, s = iv % 100;
                if (iv < 0 || h > 23 || m > 59 || s > 59)
                    CV_TRY(bad(x, site, r, try_cast, out, "the number is not an HHmmss time", to));
                else
                    cv_col_append_i64(out, ((h * 60 + m) * 60 + s) * 1000000000LL);
            }
            break;
        case CV_T_TIMESTAMP:
            if (f == CV_T_DATE)
                cv_col_append_i64(out, iv * day_us);
            else if (f == CV_T_TIME)
                cv_col_append_i64(out, cv_floor_div(x->now_us, day_us) * day_us + iv / 1000);
            else if (f == CV_T_TIMESTAMP_TZ)
                cv_col_append_i64(out, iv + local_offset_s(cv_floor_div(iv, 1000000)) * 1000000);
            else if (is_int_id(f)) {
                /* epoch milliseconds, shown in the local zone */
                if (iv > INT64_MAX / 1000 || iv < INT64_MIN / 1000) {
                    CV_TRY(bad(x, site, r, try_cast, out, "the number is out of range", to));
                    break;
                }
                int64_t us = iv * 1000;
                cv_col_append_i64(out, us + local_offset_s(cv_floor_div(us, 1000000)) * 1000000);
            }
            break;
        case CV_T_TIMESTAMP_TZ: {
            int64_t wall = f == CV_T_DATE   ? iv * day_us
                           : f == CV_T_TIME ? cv_floor_div(x->now_us, day_us) * day_us + iv / 1000
                                            : iv;
            /* the instant whose local wall time is `wall` (offset taken near it) */
            int64_t off = local_offset_s(cv_floor_div(wall, 1000000));
            cv_col_append_i64(out, wall - off * 1000000);
            break;
        }
        default: {
            char a[96], b[96];
            return sql_fail(site, x, r, "cannot cast %s as %s", cv_type_str(from, a, sizeof a),
                            cv_type_str(to, b, sizeof b));
        }
        }
    }
    return 0;
}
