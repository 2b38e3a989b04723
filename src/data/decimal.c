/* decimal.c — exact decimals as int128 unscaled values, and floating-point
 * text that matches what Java prints (SeaTunnel's Console shows Java's
 * toString, and users compare our output with theirs). */
#include "data.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cv_i128_format(cv_i128 v, cv_buf *out)
{
    char tmp[48];
    int i = (int)sizeof tmp;
    bool neg = v < 0;
    /* work on the negative side so INT128_MIN does not overflow */
    if (!neg) v = -v;
    do {
        tmp[--i] = (char)('0' - (int)(v % 10));
        v /= 10;
    } while (v);
    if (neg) tmp[--i] = '-';
    cv_buf_put(out, tmp + i, sizeof tmp - (size_t)i);
}

void cv_decimal_format(cv_i128 v, unsigned scale, cv_buf *out)
{
    if (v >= -(cv_i128)INT64_MAX && v <= (cv_i128)INT64_MAX) {
        /* most decimals fit 64 bits, where division is cheap */
        int64_t x = (int64_t)v;
        uint64_t u = x < 0 ? (uint64_t)-x : (uint64_t)x;
        char d[24];
        int n = 0;
        do {
            d[n++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (x < 0) cv_buf_putc(out, '-');
        char t[48];
        int k = 0;
        if ((unsigned)n <= scale) {
            t[k++] = '0';
            if (scale) t[k++] = '.';
            for (unsigned z = (unsigned)n; z < scale; z++) t[k++] = '0';
            while (n) t[k++] = d[--n];
        } else {
            while (n) {
                if ((unsigned)n == scale) t[k++] = '.';
                t[k++] = d[--n];
            }
        }
        cv_buf_put(out, t, (size_t)k);
        return;
    }
    char tmp[48];
    int i = (int)sizeof tmp;
    bool neg = v < 0;
    if (!neg) v = -v;
    unsigned digits = 0;
    do {
        tmp[--i] = (char)('0' - (int)(v % 10));
        v /= 10;
        digits++;
    } while (v);
    if (neg) cv_buf_putc(out, '-');
    const char *d = tmp + i;
    if (scale == 0) {
        cv_buf_put(out, d, digits);
    } else if (digits > scale) {
        cv_buf_put(out, d, digits - scale);
        cv_buf_putc(out, '.');
        cv_buf_put(out, d + digits - scale, scale);
    } else {
        cv_buf_puts(out, "0.");
        for (unsigned k = digits; k < scale; k++) cv_buf_putc(out, '0');
        cv_buf_put(out, d, digits);
    }
}

int cv_decimal_parse(const char *s, size_t n, unsigned precision, unsigned scale, cv_i128 *out, const char **why)
{
    size_t i = 0;
    bool neg = false;
    *why = "not a decimal number";
    if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    /* collect significant digits and the position of the point */
    char dig[80];
    size_t nd = 0;
    long point = -1, exp10 = 0;
    bool any = false;
    for (; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            any = true;
            if (nd == 0 && c == '0') {
                if (point >= 0) exp10--; /* leading zeros after the point */
                continue;
            }
            if (nd >= sizeof dig) {
                *why = "too many digits";
                return CV_ERANGE;
            }
            dig[nd++] = c;
            if (point >= 0) exp10--;
        } else if (c == '.' && point < 0) {
            point = (long)i;
        } else {
            break;
        }
    }
    if (!any) return CV_EINVAL;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        int64_t e;
        if (!cv_parse_i64(s + i + 1, n - i - 1, &e) || e > 1000 || e < -1000) return CV_EINVAL;
        exp10 += (long)e;
        i = n;
    }
    if (i != n) return CV_EINVAL;
    /* value = dig * 10^exp10; we need dig * 10^(exp10 + scale) as integer */
    long shift = exp10 + (long)scale;
    while (shift < 0 && nd > 0 && dig[nd - 1] == '0') {
        nd--;
        shift++;
    }
    if (shift < 0 && nd > 0) {
        *why = "has more fractional digits than the scale allows";
        return CV_ERANGE;
    }
    if (nd == 0) {
        *out = 0;
        return 0;
    }
    if ((long)nd + shift > (long)precision) {
        *why = "has more digits than the precision allows";
        return CV_ERANGE;
    }
    cv_i128 v = 0;
    for (size_t k = 0; k < nd; k++) v = v * 10 + (dig[k] - '0');
    for (long k = 0; k < shift; k++) v *= 10;
    *out = neg ? -v : v;
    return 0;
}

/* Java's Double.toString / Float.toString (JDK 19+): shortest digits that
 * read back to the same value; plain notation for 1e-3 <= |v| < 1e7, otherwise
 * "d.dddE±n"; always at least one fractional digit. */
void cv_f64_format_java(double v, bool is_float, cv_buf *out)
{
    if (isnan(v)) {
        cv_buf_puts(out, "NaN");
        return;
    }
    if (isinf(v)) {
        cv_buf_puts(out, v < 0 ? "-Infinity" : "Infinity");
        return;
    }
    if (v == 0) {
        cv_buf_puts(out, signbit(v) ? "-0.0" : "0.0");
        return;
    }
    char digits[24];
    bool neg = v < 0;
    int e;
    int nd = cv__shortest_digits(fabs(v), is_float, digits, &e);
    if (neg) cv_buf_putc(out, '-');
    double a = fabs(v);
    if (a >= 1e-3 && a < 1e7) {
        if (e >= 0) {
            for (int k = 0; k <= e; k++) cv_buf_putc(out, k < nd ? digits[k] : '0');
            cv_buf_putc(out, '.');
            if (nd > e + 1)
                cv_buf_put(out, digits + e + 1, (size_t)(nd - e - 1));
            else
                cv_buf_putc(out, '0');
        } else {
            cv_buf_puts(out, "0.");
            for (int k = -1; k > e; k--) cv_buf_putc(out, '0');
            cv_buf_put(out, digits, (size_t)nd);
        }
    } else {
        cv_buf_putc(out, digits[0]);
        cv_buf_putc(out, '.');
        if (nd > 1)
            cv_buf_put(out, digits + 1, (size_t)(nd - 1));
        else
            cv_buf_putc(out, '0');
        cv_buf_printf(out, "E%d", e);
    }
}
