/* value.c — values that cross to a database as text, for every dialect
 * that binds them so (SQLite always; text protocols later): the canonical
 * forms round-trip exactly through culvert's strict parsers. Also the one
 * way to report a value that does not fit its column, and the splitting
 * of declared type names that every type mapper starts with. */
#include "jdbc.h"

#include <ctype.h>
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
