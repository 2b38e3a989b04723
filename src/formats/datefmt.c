/* datefmt.c — the subset of java.time pattern letters that SeaTunnel's
 * date_format, datetime_format, time_format and filename_time_format use:
 * y, M, d, H, h, m, s, S (fraction), a; quoted text and other characters
 * are literal. Compiled once into a small op list; parse and format walk
 * it without allocating. */
#include "formats.h"

#include <stdio.h>
#include <string.h>

enum { OP_LIT, OP_YEAR, OP_YEAR2, OP_MONTH, OP_DAY, OP_HOUR, OP_HOUR12, OP_MIN, OP_SEC, OP_FRAC, OP_AMPM };

static int add(cv_datefmt *f, uint8_t op, uint8_t width, char lit)
{
    if (f->n >= CV_DATEFMT_MAX_OPS) return CV_EINVAL;
    f->op[f->n] = op;
    f->width[f->n] = width;
    f->lit[f->n] = lit;
    f->n++;
    return 0;
}

int cv_datefmt_compile(const char *pattern, cv_datefmt *out, const char **why)
{
    memset(out, 0, sizeof *out);
    snprintf(out->pattern, sizeof out->pattern, "%s", pattern);
    *why = "pattern too long";
    for (const char *p = pattern; *p;) {
        char c = *p;
        size_t run = 1;
        while (p[run] == c) run++;
        int rc = 0;
        /* Java's limits; they also keep every field within 9 digits */
        if (((c == 'd' || c == 'H' || c == 'h' || c == 'm' || c == 's') && run > 2) ||
            ((c == 'y' || c == 'u') && run > 9)) {
            *why = "too many pattern letters (d, H, h, m and s take at most 2, y at most 9)";
            return CV_EINVAL;
        }
        switch (c) {
        case 'y':
        case 'u':
            rc = add(out, run == 2 ? OP_YEAR2 : OP_YEAR, (uint8_t)run, 0);
            out->has_date = true;
            break;
        case 'M':
            if (run > 2) {
                *why = "month names (MMM) are not supported";
                return CV_EINVAL;
            }
            rc = add(out, OP_MONTH, (uint8_t)run, 0);
            out->has_date = true;
            break;
        case 'd':
            rc = add(out, OP_DAY, (uint8_t)run, 0);
            out->has_date = true;
            break;
        case 'H':
            rc = add(out, OP_HOUR, (uint8_t)run, 0);
            out->has_time = true;
            break;
        case 'h':
            rc = add(out, OP_HOUR12, (uint8_t)run, 0);
            out->has_time = true;
            break;
        case 'm':
            rc = add(out, OP_MIN, (uint8_t)run, 0);
            out->has_time = true;
            break;
        case 's':
            rc = add(out, OP_SEC, (uint8_t)run, 0);
            out->has_time = true;
            break;
        case 'S':
            if (run > 9) {
                *why = "at most 9 fraction digits (S)";
                return CV_EINVAL;
            }
            rc = add(out, OP_FRAC, (uint8_t)run, 0);
            out->has_time = true;
            break;
        case 'a': rc = add(out, OP_AMPM, 1, 0); break;
        case '\'': {
            /* quoted literal; '' is a single quote */
            p++;
            if (*p == '\'') {
                rc = add(out, OP_LIT, 1, '\'');
                p++;
                continue;
            }
            for (; *p && rc == 0; p++) {
                if (*p == '\'') {
                    if (p[1] != '\'') break;
                    p++; /* '' inside quotes is a quote too */
                }
                rc = add(out, OP_LIT, 1, *p);
            }
            if (rc < 0) return rc;
            if (*p != '\'') {
                *why = "unterminated quote";
                return CV_EINVAL;
            }
            p++;
            continue;
        }
        default:
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                *why = "unsupported pattern letter (supported: y M d H h m s S a)";
                return CV_EINVAL;
            }
            for (size_t k = 0; k < run && rc == 0; k++) rc = add(out, OP_LIT, 1, c);
        }
        if (rc < 0) return rc;
        p += run;
    }
    return 0;
}

static bool num(const char *s, size_t n, size_t *i, int minw, int maxw, int64_t *v)
{
    int64_t x = 0;
    int k = 0;
    while (*i < n && k < maxw && s[*i] >= '0' && s[*i] <= '9') {
        x = x * 10 + (s[(*i)++] - '0');
        k++;
    }
    *v = x;
    return k >= minw;
}

bool cv_datefmt_parse(const cv_datefmt *f, const char *s, size_t n, int64_t *micros)
{
    int64_t y = 1970, mo = 1, d = 1, h = 0, mi = 0, se = 0, frac_ns = 0;
    int pm = -1;
    bool h12 = false;
    size_t i = 0;
    for (uint8_t k = 0; k < f->n; k++) {
        int64_t v;
        uint8_t w = f->width[k];
        /* a field followed directly by another number, or by a digit
         * literal, needs its exact width (else it would take their digits) */
        bool fixed = k + 1 < f->n && (f->op[k + 1] != OP_LIT || (f->lit[k + 1] >= '0' && f->lit[k + 1] <= '9'));
        int maxw = fixed ? w : 9;
        switch (f->op[k]) {
        case OP_LIT:
            if (i >= n || s[i] != f->lit[k]) return false;
            i++;
            continue;
        case OP_YEAR:
            /* y and yyy print the whole year: next to other digits they
             * take four (Java's adjacent parsing gives a 4-digit year too) */
            if (!num(s, n, &i, w >= 4 ? 4 : 1, fixed ? CV_MAX(w, 4) : 6, &y)) return false;
            continue;
        case OP_YEAR2:
            if (!num(s, n, &i, 2, 2, &v)) return false;
            y = 2000 + v;
            continue;
        case OP_MONTH:
            if (!num(s, n, &i, w, CV_MAX(maxw, 2), &mo)) return false;
            continue;
        case OP_DAY:
            if (!num(s, n, &i, w, CV_MAX(maxw, 2), &d)) return false;
            continue;
        case OP_HOUR:
        case OP_HOUR12:
            if (!num(s, n, &i, w, CV_MAX(maxw, 2), &h)) return false;
            h12 = f->op[k] == OP_HOUR12;
            continue;
        case OP_MIN:
            if (!num(s, n, &i, w, CV_MAX(maxw, 2), &mi)) return false;
            continue;
        case OP_SEC:
            if (!num(s, n, &i, w, CV_MAX(maxw, 2), &se)) return false;
            continue;
        case OP_FRAC: {
            size_t st = i;
            if (!num(s, n, &i, w, fixed ? w : 9, &v)) return false;
            for (size_t dgt = i - st; dgt < 9; dgt++) v *= 10;
            frac_ns = v;
            continue;
        }
        case OP_AMPM:
            if (i + 2 > n) return false;
            if (cv_strneq_nocase(s + i, "AM", 2))
                pm = 0;
            else if (cv_strneq_nocase(s + i, "PM", 2))
                pm = 1;
            else
                return false;
            i += 2;
            continue;
        }
    }
    if (i != n) return false;
    if (h12) {
        if (h < 1 || h > 12) return false;
        h = h % 12 + (pm == 1 ? 12 : 0);
    }
    if (!cv_valid_date(y, (unsigned)mo, (unsigned)d) || h > 23 || mi > 59 || se > 59) return false;
    /* six-digit years reach beyond int64 microseconds (±292277 years) */
    int64_t us = cv_days_from_civil(y, (unsigned)mo, (unsigned)d);
    if (__builtin_mul_overflow(us, 86400000000LL, &us) ||
        __builtin_add_overflow(us, ((h * 60 + mi) * 60 + se) * 1000000LL + frac_ns / 1000, &us))
        return false;
    *micros = us;
    return true;
}

static void pad(cv_buf *out, int64_t v, int w)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%0*lld", w, (long long)v);
    cv_buf_put(out, tmp, (size_t)n);
}

void cv_datefmt_format(const cv_datefmt *f, int64_t micros, cv_buf *out)
{
    int64_t days = micros / 86400000000LL, rest = micros % 86400000000LL;
    if (rest < 0) {
        rest += 86400000000LL;
        days--;
    }
    int64_t y;
    unsigned mo, d;
    cv_civil_from_days(days, &y, &mo, &d);
    int64_t secs = rest / 1000000, frac_us = rest % 1000000;
    int64_t h = secs / 3600, mi = secs / 60 % 60, se = secs % 60;
    for (uint8_t k = 0; k < f->n; k++) {
        int w = f->width[k];
        switch (f->op[k]) {
        case OP_LIT: cv_buf_putc(out, f->lit[k]); break;
        case OP_YEAR: pad(out, y, w); break; /* Java pads to the letter count */
        case OP_YEAR2: pad(out, ((y % 100) + 100) % 100, 2); break;
        case OP_MONTH: pad(out, mo, w); break;
        case OP_DAY: pad(out, d, w); break;
        case OP_HOUR: pad(out, h, w); break;
        case OP_HOUR12: pad(out, h % 12 == 0 ? 12 : h % 12, w); break;
        case OP_MIN: pad(out, mi, w); break;
        case OP_SEC: pad(out, se, w); break;
        case OP_FRAC: {
            int64_t v = frac_us * 1000; /* nanoseconds, then the first w digits */
            for (int dgt = 9; dgt > w; dgt--) v /= 10;
            pad(out, v, w);
            break;
        }
        case OP_AMPM: cv_buf_puts(out, h < 12 ? "AM" : "PM"); break;
        }
    }
}
