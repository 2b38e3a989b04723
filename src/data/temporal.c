/* temporal.c — ISO-8601 dates, times and timestamps: strict parsing and
 * the printing Java's java.time types use (SeaTunnel prints them with
 * toString, which drops ":00" seconds and trims fractions to 3/6/9). */
#include "data.h"

#include <stdio.h>

static bool digits(const char *s, size_t n, size_t at, size_t count, int64_t *v)
{
    if (at + count > n) return false;
    int64_t x = 0;
    for (size_t i = 0; i < count; i++) {
        char c = s[at + i];
        if (c < '0' || c > '9') return false;
        x = x * 10 + (c - '0');
    }
    *v = x;
    return true;
}

/* Parses YYYY-MM-DD at s[0..]; returns bytes used or 0. */
static size_t date_prefix(const char *s, size_t n, int32_t *days)
{
    int64_t y, m, d;
    size_t i = 0;
    bool neg = false;
    if (n > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    size_t ys = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    if (i - ys < 4 || i - ys > 6) return 0;
    if (!digits(s, n, ys, i - ys, &y)) return 0;
    if (neg) y = -y;
    if (i >= n || s[i] != '-' || !digits(s, n, i + 1, 2, &m)) return 0;
    i += 3;
    if (i >= n || s[i] != '-' || !digits(s, n, i + 1, 2, &d)) return 0;
    i += 3;
    if (!cv_valid_date(y, (unsigned)m, (unsigned)d)) return 0;
    *days = cv_days_from_civil(y, (unsigned)m, (unsigned)d);
    return i;
}

static size_t time_prefix(const char *s, size_t n, int64_t *nanos)
{
    int64_t h, mi, se = 0, frac = 0;
    if (!digits(s, n, 0, 2, &h) || n < 5 || s[2] != ':' || !digits(s, n, 3, 2, &mi)) return 0;
    size_t i = 5;
    if (i < n && s[i] == ':') {
        if (!digits(s, n, i + 1, 2, &se)) return 0;
        i += 3;
        if (i < n && s[i] == '.') {
            size_t st = ++i;
            while (i < n && s[i] >= '0' && s[i] <= '9') i++;
            size_t nd = i - st;
            if (nd == 0 || nd > 9) return 0;
            digits(s, n, st, nd, &frac);
            for (size_t k = nd; k < 9; k++) frac *= 10;
        }
    }
    if (h > 23 || mi > 59 || se > 59) return 0;
    *nanos = ((h * 60 + mi) * 60 + se) * 1000000000 + frac;
    return i;
}

bool cv_date_parse(const char *s, size_t n, int32_t *days) { return n > 0 && date_prefix(s, n, days) == n; }

bool cv_time_parse(const char *s, size_t n, int64_t *nanos) { return n > 0 && time_prefix(s, n, nanos) == n; }

bool cv_timestamp_parse(const char *s, size_t n, int64_t *micros, int *tz_minutes)
{
    int32_t days;
    size_t i = date_prefix(s, n, &days);
    if (!i) return false;
    int64_t nanos = 0;
    if (i < n && (s[i] == 'T' || s[i] == ' ')) {
        size_t k = time_prefix(s + i + 1, n - i - 1, &nanos);
        if (!k) return false;
        i += 1 + k;
    }
    int off = 0;
    if (i < n && tz_minutes) {
        if (s[i] == 'Z' || s[i] == 'z') {
            i++;
        } else if (s[i] == '+' || s[i] == '-') {
            int64_t hh, mm = 0;
            int sign = s[i] == '-' ? -1 : 1;
            if (!digits(s, n, i + 1, 2, &hh)) return false;
            i += 3;
            bool colon = i < n && s[i] == ':';
            if (colon) i++;
            if (i < n || colon) { /* "+05:" needs its minutes */
                if (!digits(s, n, i, 2, &mm)) return false;
                i += 2;
            }
            if (hh > 18 || mm > 59) return false;
            off = sign * (int)(hh * 60 + mm);
        }
    }
    if (i != n) return false;
    if (nanos % 1000 != 0) return false; /* timestamps keep microseconds */
    /* six-digit years reach beyond int64 microseconds (±292277 years);
     * before 1970 count from the next midnight back, so that the earliest
     * instants do not overflow on the way */
    int64_t d = days, tod = nanos / 1000, us;
    if (d < 0) {
        d++;
        tod -= 86400000000LL;
    }
    if (__builtin_mul_overflow(d, 86400000000LL, &us) || __builtin_add_overflow(us, tod, &us) ||
        __builtin_sub_overflow(us, (int64_t)off * 60000000LL, &us))
        return false;
    *micros = us;
    if (tz_minutes) *tz_minutes = off;
    return true;
}

void cv_date_format(int32_t days, cv_buf *out)
{
    int64_t y;
    unsigned m, d;
    cv_civil_from_days(days, &y, &m, &d);
    if (y >= 0 && y <= 9999) {
        char t[10] = {(char)('0' + y / 1000),
                      (char)('0' + y / 100 % 10),
                      (char)('0' + y / 10 % 10),
                      (char)('0' + y % 10),
                      '-',
                      (char)('0' + m / 10),
                      (char)('0' + m % 10),
                      '-',
                      (char)('0' + d / 10),
                      (char)('0' + d % 10)};
        cv_buf_put(out, t, 10);
    } else
        cv_buf_printf(out, "%+05lld-%02u-%02u", (long long)y, m, d);
}

void cv_time_format(int64_t nanos, bool java, cv_buf *out)
{
    int64_t s = nanos / 1000000000, f = nanos % 1000000000;
    int h = (int)(s / 3600), mi = (int)(s / 60 % 60), se = (int)(s % 60);
    char hm[5] = {(char)('0' + h / 10), (char)('0' + h % 10), ':', (char)('0' + mi / 10), (char)('0' + mi % 10)};
    cv_buf_put(out, hm, 5);
    /* Java's LocalTime.toString drops zero seconds; text forms keep them */
    if (java && se == 0 && f == 0) return;
    char sec[3] = {':', (char)('0' + se / 10), (char)('0' + se % 10)};
    cv_buf_put(out, sec, 3);
    if (f == 0) return;
    /* fractions in groups of three digits, as java.time prints them */
    if (f % 1000000 == 0)
        cv_buf_putc(out, '.'), cv_buf_put_u64w(out, (uint64_t)(f / 1000000), 3);
    else if (f % 1000 == 0)
        cv_buf_putc(out, '.'), cv_buf_put_u64w(out, (uint64_t)(f / 1000), 6);
    else
        cv_buf_putc(out, '.'), cv_buf_put_u64w(out, (uint64_t)f, 9);
}

void cv_time_format_java(int64_t nanos, cv_buf *out) { cv_time_format(nanos, true, out); }

void cv_timestamp_format_java(int64_t micros, char sep, cv_buf *out)
{
    int64_t days = cv_floor_div(micros, 86400000000LL);
    int64_t rest = micros % 86400000000LL; /* days * 86400000000 may overflow */
    if (rest < 0) rest += 86400000000LL;
    cv_date_format((int32_t)days, out);
    cv_buf_putc(out, sep);
    cv_time_format_java(rest * 1000, out);
}
