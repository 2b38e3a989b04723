/*
 * fn_numeric.c — SeaTunnel's numeric functions for the Sql transform (see
 * func.h for the contract every function here follows).
 *
 * Exactness. SeaTunnel computes MOD, ROUND, TRUNC, CEIL and FLOOR through
 * java.math.BigDecimal built from a double's shortest decimal text
 * (BigDecimal.valueOf), so ROUND(0.285, 2) is 0.29 and MOD(13, 5.4) is 2.2,
 * not the binary neighbours that fmod()/round() would give. We do the same:
 * a double becomes its shortest digits (cv__shortest_digits) as an int128
 * with a power-of-ten exponent, the arithmetic is exact on that, and the
 * result is read back with strtod (correctly rounded, like
 * BigDecimal.doubleValue). Decimal arguments are handled on their int128
 * unscaled value directly — never through a double, which is where we are
 * more exact than SeaTunnel.
 *
 * Overflow is an error, never a wrap: ABS of the smallest integer, a CEIL
 * that does not fit the int SeaTunnel declares, a ROUND that leaves the
 * decimal's precision all fail the row with the value in the message.
 *
 * RAND/RANDOM without a seed use a per-thread generator (the compiled query
 * is shared between threads); with a seed they reproduce java.util.Random's
 * first nextDouble() for that seed, as SeaTunnel creates a new Random per
 * call.
 */
#include "func.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI_D 3.14159265358979323846
#define E_D 2.71828182845904523536

/* ---- exact helpers ------------------------------------------------------- */

#define E9 ((cv_i128)1000000000)
#define E18 (E9 * E9)
static const cv_i128 P10[39] = {
    1,
    10,
    100,
    1000,
    10000,
    100000,
    1000000,
    10000000,
    100000000,
    E9,
    E9 * 10,
    E9 * 100,
    E9 * 1000,
    E9 * 10000,
    E9 * 100000,
    E9 * 1000000,
    E9 * 10000000,
    E9 * 100000000,
    E18,
    E18 * 10,
    E18 * 100,
    E18 * 1000,
    E18 * 10000,
    E18 * 100000,
    E18 * 1000000,
    E18 * 10000000,
    E18 * 100000000,
    E18 *E9,
    E18 *E9 * 10,
    E18 *E9 * 100,
    E18 *E9 * 1000,
    E18 *E9 * 10000,
    E18 *E9 * 100000,
    E18 *E9 * 1000000,
    E18 *E9 * 10000000,
    E18 *E9 * 100000000,
    E18 *E18,
    E18 *E18 * 10,
    E18 *E18 * 100,
};

typedef enum { R_HALF_UP, R_DOWN, R_CEIL, R_FLOOR } rmode;

/* u / 10^k rounded by mode (k >= 1). |u| < 10^38 always holds here. */
static cv_i128 div_round(cv_i128 u, int k, rmode mode)
{
    if (u == 0) return 0;
    if (k > 38) { /* |u| < 10^38 <= 10^k / 10: the quotient is 0 */
        if (mode == R_CEIL && u > 0) return 1;
        if (mode == R_FLOOR && u < 0) return -1;
        return 0;
    }
    cv_i128 d = P10[k], q = u / d, rem = u % d;
    if (rem == 0) return q;
    switch (mode) {
    case R_HALF_UP: {
        cv_i128 ar = rem < 0 ? -rem : rem;
        if (ar >= d - ar) q += u < 0 ? -1 : 1;
        break;
    }
    case R_DOWN: break;
    case R_CEIL:
        if (u > 0) q++;
        break;
    case R_FLOOR:
        if (u < 0) q--;
        break;
    }
    return q;
}

/* *out = u * 10^k (k >= 0); false on overflow of 10^38. */
static bool mul_p10(cv_i128 u, int k, cv_i128 *out)
{
    if (u == 0) {
        *out = 0;
        return true;
    }
    if (k > 38 || __builtin_mul_overflow(u, P10[k], out)) return false;
    return *out < P10[38] && *out > -P10[38];
}

/* Round an unscaled u of scale s to n fractional digits (n may be
 * negative), keeping scale s. False when the result leaves 10^38. */
static bool dec_round(cv_i128 u, int s, int64_t n, rmode mode, cv_i128 *out)
{
    if (n >= s) {
        *out = u;
        return true;
    }
    int64_t k = s - n;
    if (k > 80) k = 80;
    return mul_p10(div_round(u, (int)k, mode), (int)k, out);
}

static void i128_text(cv_i128 v, char *buf, size_t n)
{
    char tmp[48];
    size_t i = sizeof tmp;
    bool neg = v < 0;
    unsigned __int128 m = neg ? -(unsigned __int128)v : (unsigned __int128)v;
    tmp[--i] = 0;
    do {
        tmp[--i] = (char)('0' + (int)(m % 10));
        m /= 10;
    } while (m);
    if (neg) tmp[--i] = '-';
    snprintf(buf, n, "%s", tmp + i);
}

/* u * 10^-scale as the nearest double (or float), like BigDecimal.doubleValue. */
static double dec_to_double(cv_i128 u, int64_t scale, bool is_float)
{
    if (u == 0) return 0.0;
    char buf[80];
    i128_text(u, buf, sizeof buf);
    size_t len = strlen(buf);
    snprintf(buf + len, sizeof buf - len, "e%lld", (long long)-scale);
    return is_float ? (double)strtof(buf, NULL) : strtod(buf, NULL);
}

/* The shortest decimal digits of a finite v as D * 10^q (Double.toString's
 * digits, which BigDecimal.valueOf uses). */
static void dbl_digits(double v, bool is_float, cv_i128 *D, int *q)
{
    if (v == 0) {
        *D = 0;
        *q = 0;
        return;
    }
    char dig[40];
    int e;
    int nd = cv__shortest_digits(fabs(v), is_float, dig, &e);
    cv_i128 x = 0;
    for (int i = 0; i < nd; i++) x = x * 10 + (dig[i] - '0');
    *D = v < 0 ? -x : x;
    *q = e - nd + 1;
}

/* SeaTunnel's BigDecimal.valueOf(v).setScale(n, mode).doubleValue(). */
static double dbl_round(double v, bool is_float, int64_t n, rmode mode)
{
    if (!isfinite(v) || v == 0) return v;
    if (n > 400) return v; /* no double has that many fraction digits */
    if (n < -400) n = -400;
    cv_i128 D;
    int q;
    dbl_digits(v, is_float, &D, &q);
    if (q >= -n) return v;
    int64_t k = -n - q;
    return dec_to_double(div_round(D, k > 80 ? 80 : (int)k, mode), n, is_float);
}

/* ---- value access ---------------------------------------------------------- */

static cv_i128 sql_dec(const sql_vec *v, uint32_t r) { return ((const cv_i128 *)v->col->data)[sql_ix(v, r)]; }

/* Any numeric argument as a double (Number.doubleValue()). */
static double num_f64(const sql_vec *v, const cv_type *t, uint32_t r)
{
    uint32_t i = sql_ix(v, r);
    switch (t->id) {
    case CV_T_F32: return ((const float *)v->col->data)[i];
    case CV_T_F64: return ((const double *)v->col->data)[i];
    case CV_T_DECIMAL: return dec_to_double(((const cv_i128 *)v->col->data)[i], t->scale, false);
    default: return (double)cv_col_get_int(v->col, i);
    }
}

static bool is_int_id(cv_type_id id) { return id == CV_T_I8 || id == CV_T_I16 || id == CV_T_I32 || id == CV_T_I64; }
static bool is_flt_id(cv_type_id id) { return id == CV_T_F32 || id == CV_T_F64; }

static bool int_fits(cv_type_id id, cv_i128 v)
{
    switch (id) {
    case CV_T_I8: return v >= INT8_MIN && v <= INT8_MAX;
    case CV_T_I16: return v >= INT16_MIN && v <= INT16_MAX;
    case CV_T_I32: return v >= INT32_MIN && v <= INT32_MAX;
    default: return v >= INT64_MIN && v <= INT64_MAX;
    }
}

static void append_int(cv_col *out, int64_t v)
{
    switch (out->type->id) {
    case CV_T_I8: cv_col_append_i8(out, (int8_t)v); break;
    case CV_T_I16: cv_col_append_i16(out, (int16_t)v); break;
    case CV_T_I32: cv_col_append_i32(out, (int32_t)v); break;
    default: cv_col_append_i64(out, v); break;
    }
}

/* Text of argument i at row r for messages (in x->scratch). */
static const char *arg_text(sql_ctx *x, const sql_vec *v, uint32_t r)
{
    cv_buf_reset(&x->scratch);
    cv_value_format(v->col, sql_ix(v, r), CV_FMT_JAVA, &x->scratch);
    return x->scratch.data ? x->scratch.data : "";
}

/* A type's name for a message, in a buffer that lives to the end of the
 * enclosing full expression's block. */
#define tname(t) cv_type_str((t), (char[64]){0}, 64)

/* The usual row loop of func.h: rows to skip get NULL, the statement that
 * follows the macro runs for the others. */
#define FOR_ROWS(r)                           \
    for (uint32_t r = 0; r < x->n; r++)       \
        if (sql_skip(x, args, c->nargs, r)) { \
            cv_col_append_null(out);          \
            continue;                         \
        } else

/* ---- ABS, SIGN --------------------------------------------------------------- */

static int fn_abs(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    const cv_type *t = c->argt[0];
    FOR_ROWS(r)
    {
        switch (t->id) {
        case CV_T_F32: cv_col_append_f32(out, fabsf(((const float *)args[0].col->data)[sql_ix(&args[0], r)])); break;
        case CV_T_F64: cv_col_append_f64(out, fabs(sql_f64(&args[0], r))); break;
        case CV_T_DECIMAL: {
            cv_i128 u = sql_dec(&args[0], r);
            cv_col_append_dec(out, u < 0 ? -u : u);
            break;
        }
        default: {
            int64_t v = cv_col_get_int(args[0].col, sql_ix(&args[0], r));
            if (v < 0 && !int_fits(t->id, -(cv_i128)v))
                return sql_fail(c, x, r, "ABS(%lld) does not fit %s (cast the argument to a wider type)", (long long)v,
                                tname(t));
            append_int(out, v < 0 ? -v : v);
        }
        }
    }
    return 0;
}

static int fn_sign(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    const cv_type *t = c->argt[0];
    FOR_ROWS(r)
    {
        int s;
        if (t->id == CV_T_DECIMAL) {
            cv_i128 u = sql_dec(&args[0], r);
            s = (u > 0) - (u < 0);
        } else if (is_flt_id(t->id)) {
            double d = num_f64(&args[0], t, r);
            s = (d > 0) - (d < 0); /* NaN: 0 */
        } else {
            int64_t v = cv_col_get_int(args[0].col, sql_ix(&args[0], r));
            s = (v > 0) - (v < 0);
        }
        cv_col_append_i32(out, s);
    }
    return 0;
}

/* ---- double functions --------------------------------------------------------- */

#define UNARY_D(name, expr)                                                          \
    static int name(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out) \
    {                                                                                \
        FOR_ROWS(r)                                                                  \
        {                                                                            \
            double a = sql_f64(&args[0], r);                                         \
            cv_col_append_f64(out, (expr));                                          \
        }                                                                            \
        return 0;                                                                    \
    }

UNARY_D(fn_acos, acos(a))
UNARY_D(fn_asin, asin(a))
UNARY_D(fn_atan, atan(a))
UNARY_D(fn_cos, cos(a))
UNARY_D(fn_cosh, cosh(a))
UNARY_D(fn_sin, sin(a))
UNARY_D(fn_sinh, sinh(a))
UNARY_D(fn_tan, tan(a))
UNARY_D(fn_tanh, tanh(a))
UNARY_D(fn_exp, exp(a))
UNARY_D(fn_radians, a / 180.0 * PI_D)
UNARY_D(fn_sqrt, sqrt(a))

static int fn_atan2(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    FOR_ROWS(r) cv_col_append_f64(out, atan2(sql_f64(&args[0], r), sql_f64(&args[1], r)));
    return 0;
}

static int fn_power(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    FOR_ROWS(r) cv_col_append_f64(out, pow(sql_f64(&args[0], r), sql_f64(&args[1], r)));
    return 0;
}

static int fn_cot(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    FOR_ROWS(r)
    {
        double t = tan(sql_f64(&args[0], r));
        if (t == 0) return sql_fail(c, x, r, "division by zero (TAN(%s) is 0)", arg_text(x, &args[0], r));
        cv_col_append_f64(out, 1.0 / t);
    }
    return 0;
}

/* LN, LOG10: the argument must be positive (SeaTunnel refuses the rest). */
static int log_common(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out, bool ten)
{
    FOR_ROWS(r)
    {
        double a = sql_f64(&args[0], r);
        if (!(a > 0)) return sql_fail(c, x, r, "the argument must be positive, got %s", arg_text(x, &args[0], r));
        cv_col_append_f64(out, ten ? log10(a) : log(a));
    }
    return 0;
}
static int fn_ln(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    return log_common(c, x, args, out, false);
}
static int fn_log10(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    return log_common(c, x, args, out, true);
}

static int fn_log(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    FOR_ROWS(r)
    {
        double b = sql_f64(&args[0], r), a = sql_f64(&args[1], r);
        if (!(b > 0)) return sql_fail(c, x, r, "the base must be positive, got %s", arg_text(x, &args[0], r));
        if (!(a > 0)) return sql_fail(c, x, r, "the argument must be positive, got %s", arg_text(x, &args[1], r));
        cv_col_append_f64(out, b == E_D ? log(a) : b == 10.0 ? log10(a) : log(a) / log(b));
    }
    return 0;
}

static int fn_pi(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    CV_UNUSED(args);
    CV_UNUSED(c);
    for (uint32_t r = 0; r < x->n; r++) cv_col_append_f64(out, PI_D);
    return 0;
}

/* ---- RAND ------------------------------------------------------------------------ */

/* java.util.Random(seed).nextDouble() */
static double java_random_first(int64_t seed)
{
    const uint64_t mult = 0x5DEECE66DULL, mask = (1ULL << 48) - 1;
    uint64_t s = ((uint64_t)seed ^ mult) & mask;
    s = (s * mult + 0xB) & mask;
    uint64_t hi = s >> (48 - 26);
    s = (s * mult + 0xB) & mask;
    uint64_t lo = s >> (48 - 27);
    return (double)((hi << 27) + lo) * 0x1.0p-53;
}

/* Number.intValue() of any numeric: integers keep their low 32 bits,
 * doubles saturate (NaN is 0), decimals drop the fraction first. */
static int32_t java_int_value(const sql_vec *v, const cv_type *t, uint32_t r)
{
    if (is_int_id(t->id)) return (int32_t)(uint32_t)(uint64_t)cv_col_get_int(v->col, sql_ix(v, r));
    if (t->id == CV_T_DECIMAL) {
        cv_i128 u = sql_dec(v, r);
        if (t->scale) u /= P10[t->scale];
        return (int32_t)(uint32_t)(unsigned __int128)u;
    }
    double d = num_f64(v, t, r);
    if (d != d) return 0;
    if (d >= 2147483647.0) return INT32_MAX;
    if (d <= -2147483648.0) return INT32_MIN;
    return (int32_t)d;
}

static _Thread_local uint64_t rng_state;

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double thread_random(void)
{
    if (!rng_state)
        rng_state = (uint64_t)cv_mono_ns() ^ ((uint64_t)(uintptr_t)&rng_state << 17) ^ (uint64_t)cv_wall_us();
    return (double)(splitmix64(&rng_state) >> 11) * 0x1.0p-53;
}

static int fn_rand(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (x->active && !x->active[r]) {
            cv_col_append_null(out);
            continue;
        }
        /* a NULL seed is no seed, as in SeaTunnel */
        if (c->nargs > 0 && !sql_null(&args[0], r))
            cv_col_append_f64(out, java_random_first(java_int_value(&args[0], c->argt[0], r)));
        else
            cv_col_append_f64(out, thread_random());
    }
    return 0;
}

/* ---- ROUND, TRUNC, CEIL, FLOOR ------------------------------------------------------ */

static int64_t digits_arg(const sql_call *c, const sql_vec *args, uint32_t r)
{
    return c->nargs >= 2 ? sql_i32(&args[1], r) : 0;
}

/* The rounded value of argument 0 in its own type, appended to out (whose
 * type is argument 0's). */
static int round_same(const sql_call *c, sql_ctx *x, const sql_vec *args, uint32_t r, rmode mode, cv_col *out)
{
    const cv_type *t = c->argt[0];
    int64_t n = digits_arg(c, args, r);
    switch (t->id) {
    case CV_T_F32:
    case CV_T_F64: {
        bool fl = t->id == CV_T_F32;
        double d = num_f64(&args[0], t, r), v;
        if (n == 0 && mode != R_HALF_UP)
            v = mode == R_CEIL ? ceil(d) : mode == R_FLOOR ? floor(d) : d < 0 ? ceil(d) : floor(d);
        else
            v = dbl_round(d, fl, n, mode);
        if (fl)
            cv_col_append_f32(out, (float)v);
        else
            cv_col_append_f64(out, v);
        return 0;
    }
    case CV_T_DECIMAL: {
        cv_i128 v;
        if (!dec_round(sql_dec(&args[0], r), t->scale, n, mode, &v) || v >= P10[t->precision] ||
            v <= -P10[t->precision])
            return sql_fail(c, x, r, "the rounded value of %s does not fit %s", arg_text(x, &args[0], r), tname(t));
        cv_col_append_dec(out, v);
        return 0;
    }
    default: {
        int64_t a = cv_col_get_int(args[0].col, sql_ix(&args[0], r));
        cv_i128 v;
        if (!dec_round(a, 0, n, mode, &v) || !int_fits(t->id, v))
            return sql_fail(c, x, r, "the rounded value of %lld does not fit %s", (long long)a, tname(t));
        append_int(out, (int64_t)v);
        return 0;
    }
    }
}

static int fn_round(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    FOR_ROWS(r) CV_TRY(round_same(c, x, args, r, R_HALF_UP, out));
    return 0;
}

/* TRUNC/TRUNCATE: SeaTunnel declares the result double. */
static int fn_trunc(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    const cv_type *t = c->argt[0];
    FOR_ROWS(r)
    {
        int64_t n = digits_arg(c, args, r);
        double v;
        if (is_flt_id(t->id)) {
            double d = num_f64(&args[0], t, r);
            v = n == 0 ? (d < 0 ? ceil(d) : floor(d)) : dbl_round(d, t->id == CV_T_F32, n, R_DOWN);
        } else {
            cv_i128 u = t->id == CV_T_DECIMAL ? sql_dec(&args[0], r) : cv_col_get_int(args[0].col, sql_ix(&args[0], r));
            int s = t->id == CV_T_DECIMAL ? t->scale : 0;
            cv_i128 q;
            dec_round(u, s, n, R_DOWN, &q); /* truncation never grows |u| */
            v = dec_to_double(q, s, false);
        }
        cv_col_append_f64(out, v);
    }
    return 0;
}

/* CEIL/FLOOR: SeaTunnel rounds (to the optional digits) and returns the int
 * value; a result outside int fails instead of wrapping. */
static int ceil_floor(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out, rmode mode)
{
    const cv_type *t = c->argt[0];
    FOR_ROWS(r)
    {
        int64_t n = digits_arg(c, args, r);
        cv_i128 v;
        bool ok = true;
        if (is_flt_id(t->id)) {
            double d = num_f64(&args[0], t, r);
            d = n == 0 ? (mode == R_CEIL ? ceil(d) : floor(d)) : dbl_round(d, t->id == CV_T_F32, n, mode);
            ok = d > -2147483649.0 && d < 2147483648.0; /* false for NaN */
            v = ok ? (cv_i128)d : 0;
        } else {
            cv_i128 u = t->id == CV_T_DECIMAL ? sql_dec(&args[0], r) : cv_col_get_int(args[0].col, sql_ix(&args[0], r));
            int s = t->id == CV_T_DECIMAL ? t->scale : 0;
            ok = dec_round(u, s, n, mode, &v);
            if (ok && s) v /= P10[s];
        }
        if (!ok || !int_fits(CV_T_I32, v))
            return sql_fail(c, x, r, "%s of %s does not fit int", c->fn->name, arg_text(x, &args[0], r));
        cv_col_append_i32(out, (int32_t)v);
    }
    return 0;
}
static int fn_ceil(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    return ceil_floor(c, x, args, out, R_CEIL);
}
static int fn_floor(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    return ceil_floor(c, x, args, out, R_FLOOR);
}

/* ---- MOD ------------------------------------------------------------------------------ */

/* Append the exact remainder R * 10^-s to out, in the divisor's type. */
static int mod_put(const sql_call *c, sql_ctx *x, uint32_t r, cv_i128 R, int s, cv_col *out)
{
    const cv_type *t = out->type;
    switch (t->id) {
    case CV_T_F64: cv_col_append_f64(out, dec_to_double(R, s, false)); return 0;
    case CV_T_F32: cv_col_append_f32(out, (float)dec_to_double(R, s, true)); return 0;
    case CV_T_DECIMAL: {
        cv_i128 v = R;
        if (s > t->scale)
            v = div_round(R, s - t->scale, R_HALF_UP);
        else if (s < t->scale && !mul_p10(R, t->scale - s, &v))
            return sql_fail(c, x, r, "the remainder does not fit %s", tname(t));
        if (v >= P10[t->precision] || v <= -P10[t->precision])
            return sql_fail(c, x, r, "the remainder does not fit %s", tname(t));
        cv_col_append_dec(out, v);
        return 0;
    }
    default: {
        /* Number.intValue()/longValue(): the fraction is dropped */
        cv_i128 v = R;
        if (s > 0)
            v = s > 38 ? 0 : R / P10[s];
        else if (s < 0 && !mul_p10(R, -s, &v))
            return sql_fail(c, x, r, "the remainder does not fit %s", tname(t));
        if (!int_fits(t->id, v)) return sql_fail(c, x, r, "the remainder does not fit %s", tname(t));
        append_int(out, (int64_t)v);
        return 0;
    }
    }
}

static int fn_mod(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    const cv_type *ta = c->argt[0], *tb = c->argt[1];
    bool ints = is_int_id(ta->id) && is_int_id(tb->id);
    bool flts = is_flt_id(ta->id) || is_flt_id(tb->id);
    FOR_ROWS(r)
    {
        if (ints) {
            int64_t a = cv_col_get_int(args[0].col, sql_ix(&args[0], r));
            int64_t b = cv_col_get_int(args[1].col, sql_ix(&args[1], r));
            if (b == 0) return sql_fail(c, x, r, "division by zero (MOD(%lld, 0))", (long long)a);
            append_int(out, b == -1 ? 0 : a % b);
            continue;
        }
        cv_i128 A, B;
        int s;
        if (flts) {
            /* SeaTunnel: BigDecimal.valueOf(a.doubleValue()) % BigDecimal.valueOf(b.doubleValue()) */
            double a = num_f64(&args[0], ta, r), b = num_f64(&args[1], tb, r);
            if (b == 0) return sql_fail(c, x, r, "division by zero (the divisor is 0)");
            if (!isfinite(a) || !isfinite(b)) {
                double m = fmod(a, b);
                if (out->type->id == CV_T_F64 || out->type->id == CV_T_F32) {
                    if (out->type->id == CV_T_F64)
                        cv_col_append_f64(out, m);
                    else
                        cv_col_append_f32(out, (float)m);
                    continue;
                }
                return sql_fail(c, x, r, "MOD of a non-finite value has no %s result", tname(out->type));
            }
            int qa, qb;
            dbl_digits(a, false, &A, &qa);
            dbl_digits(b, false, &B, &qb);
            int m = qa < qb ? qa : qb;
            if (qb - m > 21) {
                /* |a| < 10^(qa+17) <= |b|: the remainder is a itself */
                s = -qa;
                CV_TRY(mod_put(c, x, r, A, s, out));
                continue;
            }
            if (qa - m > 21) {
                /* a = Da * 10^k with k large: Da * (10^k mod Db) mod Db, all below 2^114 */
                unsigned __int128 db = (unsigned __int128)(B < 0 ? -B : B), p = 1, base = 10 % db;
                for (int k = qa - qb; k > 0; k >>= 1, base = base * base % db)
                    if (k & 1) p = p * base % db;
                cv_i128 rem = (cv_i128)((unsigned __int128)(A < 0 ? -A : A) % db * p % db);
                CV_TRY(mod_put(c, x, r, A < 0 ? -rem : rem, -qb, out));
                continue;
            }
            A *= P10[qa - m];
            B *= P10[qb - m];
            s = -m;
        } else {
            /* exact: decimals (and integers) on a common scale */
            int sa = ta->id == CV_T_DECIMAL ? ta->scale : 0, sb = tb->id == CV_T_DECIMAL ? tb->scale : 0;
            A = ta->id == CV_T_DECIMAL ? sql_dec(&args[0], r) : cv_col_get_int(args[0].col, sql_ix(&args[0], r));
            B = tb->id == CV_T_DECIMAL ? sql_dec(&args[1], r) : cv_col_get_int(args[1].col, sql_ix(&args[1], r));
            if (B == 0) return sql_fail(c, x, r, "division by zero (the divisor is %s)", arg_text(x, &args[1], r));
            s = sa > sb ? sa : sb;
            if (!mul_p10(A, s - sa, &A) || !mul_p10(B, s - sb, &B))
                return sql_fail(c, x, r, "MOD operands too large to align their scales");
        }
        CV_TRY(mod_put(c, x, r, A % B, s, out));
    }
    return 0;
}

/* ---- ARRAY_MAX, ARRAY_MIN --------------------------------------------------------------- */

static int bind_array_minmax(sql_call *c, cv_arena *a, const sql_vec *kargs, cv_err *err)
{
    CV_UNUSED(a);
    CV_UNUSED(kargs);
    const cv_type *t = c->argt[0];
    if (t->id != CV_T_ARRAY) return sql_bind_fail(c, err, "needs an array, got %s", tname(t));
    cv_type_id e = t->elem->id;
    if (e == CV_T_ARRAY || e == CV_T_MAP || e == CV_T_ROW || e == CV_T_NULL)
        return sql_bind_fail(c, err, "cannot compare elements of type %s", tname(t->elem));
    c->ret = t->elem;
    return 0;
}

static int array_minmax(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out, int sign)
{
    const cv_col *el = &args[0].col->child[0];
    FOR_ROWS(r)
    {
        uint32_t i = sql_ix(&args[0], r);
        const int32_t *off = cv_col_offsets(args[0].col);
        int64_t best = -1;
        for (int32_t k = off[i]; k < off[i + 1]; k++) {
            if (cv_col_is_null(el, (uint32_t)k)) continue; /* NULL elements are ignored */
            if (best < 0 || sign * cv_value_compare(el, (uint32_t)k, el, (uint32_t)best) > 0) best = k;
        }
        if (best < 0)
            cv_col_append_null(out);
        else
            cv_col_copy_value(out, el, (uint32_t)best);
    }
    return 0;
}
static int fn_array_max(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    return array_minmax(c, x, args, out, 1);
}
static int fn_array_min(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    return array_minmax(c, x, args, out, -1);
}

/* ---- the table ------------------------------------------------------------------------ */

#define D1(nm, fn)                                                                      \
    {                                                                                   \
        .name = nm, .min_args = 1, .max_args = 1, .params = "D", .ret = 'D', .eval = fn \
    }

const sql_func cv__sql_fn_numeric[] = {
    {.name = "ABS", .min_args = 1, .max_args = 1, .params = "N", .ret = '0', .eval = fn_abs},
    D1("ACOS", fn_acos),
    D1("ASIN", fn_asin),
    D1("ATAN", fn_atan),
    {.name = "ATAN2", .min_args = 2, .max_args = 2, .params = "D", .ret = 'D', .eval = fn_atan2},
    D1("COS", fn_cos),
    D1("COSH", fn_cosh),
    D1("COT", fn_cot),
    D1("SIN", fn_sin),
    D1("SINH", fn_sinh),
    D1("TAN", fn_tan),
    D1("TANH", fn_tanh),
    {.name = "MOD", .min_args = 2, .max_args = 2, .params = "N", .ret = '1', .eval = fn_mod},
    {.name = "CEIL", .min_args = 1, .max_args = 2, .params = "NI", .ret = 'I', .eval = fn_ceil},
    {.name = "CEILING", .min_args = 1, .max_args = 2, .params = "NI", .ret = 'I', .eval = fn_ceil},
    D1("EXP", fn_exp),
    {.name = "FLOOR", .min_args = 1, .max_args = 2, .params = "NI", .ret = 'I', .eval = fn_floor},
    D1("LN", fn_ln),
    {.name = "LOG", .min_args = 2, .max_args = 2, .params = "D", .ret = 'D', .eval = fn_log},
    D1("LOG10", fn_log10),
    D1("RADIANS", fn_radians),
    D1("SQRT", fn_sqrt),
    {.name = "PI", .min_args = 0, .max_args = 0, .params = "", .ret = 'D', .eval = fn_pi},
    {.name = "POWER", .min_args = 2, .max_args = 2, .params = "D", .ret = 'D', .eval = fn_power},
    {.name = "RAND",
     .min_args = 0,
     .max_args = 1,
     .params = "N",
     .ret = 'D',
     .flags = SQL_F_VOLATILE | SQL_F_NULLS,
     .eval = fn_rand},
    {.name = "RANDOM",
     .min_args = 0,
     .max_args = 1,
     .params = "N",
     .ret = 'D',
     .flags = SQL_F_VOLATILE | SQL_F_NULLS,
     .eval = fn_rand},
    {.name = "ROUND", .min_args = 1, .max_args = 2, .params = "NI", .ret = '0', .eval = fn_round},
    {.name = "SIGN", .min_args = 1, .max_args = 1, .params = "N", .ret = 'I', .eval = fn_sign},
    {.name = "TRUNC", .min_args = 1, .max_args = 2, .params = "NI", .ret = 'D', .eval = fn_trunc},
    {.name = "TRUNCATE", .min_args = 1, .max_args = 2, .params = "NI", .ret = 'D', .eval = fn_trunc},
    {.name = "ARRAY_MAX",
     .min_args = 1,
     .max_args = 1,
     .params = "A",
     .ret = '0',
     .bind = bind_array_minmax,
     .eval = fn_array_max},
    {.name = "ARRAY_MIN",
     .min_args = 1,
     .max_args = 1,
     .params = "A",
     .ret = '0',
     .bind = bind_array_minmax,
     .eval = fn_array_min},
    {NULL},
};
