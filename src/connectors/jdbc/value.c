/* value.c — values that cross to a database as text, for every dialect
 * that binds them so (SQLite always; text protocols later): the canonical
 * forms round-trip exactly through culvert's strict parsers. Also the one
 * way to report a value that does not fit its column, and the splitting
 * of declared type names that every type mapper starts with. */
#include "jdbc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void jdbc_value_text(const cv_col *c, uint32_t i, cv_buf *out)
{
    switch (c->type->id) {
    case CV_T_ARRAY:
    case CV_T_MAP:
    case CV_T_ROW: cv_value_format(c, i, CV_FMT_JSON, out); break;
    /* decimals plainly with every scale digit, dates and times in ISO
     * form with seconds always, timestamps with a space (SQL's form) */
    default: cv_value_format(c, i, CV_FMT_TEXT, out); break;
    }
}

/* The digits of |v| (no leading zeros; "" for 0), and the power of ten
 * of the first: v = d.ddd × 10^e10 at scale s. */
static int dec_digits(cv_i128 v, unsigned scale, char *dig, int *e10)
{
    char rev[48];
    int n = 0;
    unsigned __int128 u = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
    for (; u; u /= 10) rev[n++] = (char)('0' + (int)(u % 10));
    for (int k = 0; k < n; k++) dig[k] = rev[n - 1 - k];
    *e10 = n - 1 - (int)scale;
    while (n > 0 && dig[n - 1] == '0') n--;
    return n;
}

bool jdbc_real_exact(const cv_col *c, uint32_t i, bool to_float, double *out)
{
    switch (c->type->id) {
    case CV_T_F32: *out = cv_col_get_f64(c, i); return true;
    case CV_T_F64: {
        double d = cv_col_get_f64(c, i);
        *out = to_float && !isnan(d) ? (double)(float)d : d;
        return *out == d || isnan(d);
    }
    case CV_T_DECIMAL: {
        cv_i128 v = ((const cv_i128 *)c->data)[i];
        char dig[48], sd[32];
        int e10, se10, n = dec_digits(v, c->type->scale, dig, &e10);
        if (n == 0) {
            *out = 0;
            return true;
        }
        cv_buf txt;
        cv_buf_init(&txt);
        cv_decimal_format(v, c->type->scale, &txt);
        double d = 0;
        bool ok = !txt.oom && cv_parse_f64(txt.data, txt.len, &d);
        cv_buf_free(&txt);
        if (to_float) d = (double)(float)d;
        *out = d;
        if (!ok || !isfinite(d) || d == 0) return false;
        /* the real's shortest digits are the decimal's: reading it back gives the decimal */
        int sn = cv__shortest_digits(fabs(d), to_float, sd, &se10);
        return sn == n && se10 == e10 && memcmp(sd, dig, (size_t)n) == 0;
    }
    default: {
        int64_t v = cv_col_get_int(c, i);
        double d = to_float ? (double)(float)v : (double)v;
        *out = d;
        return fabs(d) < 9223372036854775808.0 && (int64_t)d == v;
    }
    }
}

int jdbc_value_error(cv_err *err, const char *table, const char *column, uint64_t row, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return cv_err_set(err, CV_EDATA, "table %s, column %s, row %llu: %s", table, column, (unsigned long long)row, why);
}

void jdbc_decl_split(const char *decl, char *name, size_t cap, int64_t args[2], int *nargs)
{
    size_t n = 0;
    *nargs = 0;
    args[0] = args[1] = 0;
    const char *p = decl ? decl : "";
    bool space = false;
    for (; *p && *p != '('; p++) {
        if (isspace((unsigned char)*p)) {
            space = n > 0;
            continue;
        }
        if (space && n + 1 < cap) name[n++] = ' ';
        space = false;
        if (n + 1 < cap) name[n++] = (char)toupper((unsigned char)*p);
    }
    name[n] = '\0';
    if (*p != '(') return;
    p++;
    while (*nargs < 2) {
        while (isspace((unsigned char)*p)) p++;
        bool neg = *p == '-';
        if (*p == '-' || *p == '+') p++;
        if (!isdigit((unsigned char)*p)) return;
        int64_t v = 0;
        while (isdigit((unsigned char)*p) && v < 1000000000) v = v * 10 + (*p++ - '0');
        args[(*nargs)++] = neg ? -v : v;
        while (isspace((unsigned char)*p)) p++;
        if (*p != ',') return;
        p++;
    }
}
