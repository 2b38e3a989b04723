/*
 * fn_datetime.c — SeaTunnel's date and time functions for the Sql transform
 * (see func.h for the contract every function here follows).
 *
 * Values: date = int32 days since 1970-01-01, time = int64 ns of the day,
 * timestamp = int64 µs since the epoch read as a wall-clock value (Java's
 * LocalDateTime). All calendar math is proleptic Gregorian with floor
 * division, so instants before 1970 split into the right day and time.
 *
 * Units and fields ('DAY', 'HOUR' …) are one list (UNIT_MAP); each function
 * takes a subset. A constant unit is checked at plan time, together with
 * the argument type: SeaTunnel silently returns the value unchanged or NULL
 * (or throws a NullPointerException) for combinations such as
 * DATEADD(date, 1, 'HOUR') or HOUR(date); we refuse them when the query is
 * compiled, naming what would work. A unit that is not a constant is
 * checked the same way per row.
 *
 * Results follow SeaTunnel's Java even where it is odd, because jobs written
 * for it depend on them: WEEK() is WeekFields.ISO.weekOfYear() + 1,
 * DATEDIFF(…, 'MONTH') is Period.getMonths() (the months part, 0..11), and
 * DATEDIFF's time units use Duration's floor-then-truncate arithmetic.
 *
 * Timestamps with a time zone (timestamp_tz) are refused: SeaTunnel's SQL
 * functions have no such type; cast to timestamp first.
 *
 * The functions that read or write text with java.time patterns are in
 * fn_datefmt.c; what both files use is in fn_time.h.
 */
#include "fn_time.h"

#include "../formats/formats.h"

#include <stdio.h>
#include <string.h>

#define YEAR_LIMIT 5000000

/* ---- units -------------------------------------------------------------------- */

#define UNIT_MAP(X) \
    X(YEAR)         \
    X(MONTH)        \
    X(WEEK)         \
    X(DAY)          \
    X(DAYTIME)      \
    X(HOUR)         \
    X(MINUTE)       \
    X(SECOND)       \
    X(MILLISECOND)  \
    X(CENTURY)      \
    X(DECADE)       \
    X(DOW)          \
    X(DOY)          \
    X(EPOCH)        \
    X(ISODOW)       \
    X(ISOYEAR)      \
    X(MICROSECONDS) \
    X(MILLENNIUM)   \
    X(MILLISECONDS) \
    X(QUARTER)      \
    X(DAYOFWEEK)    \
    X(DAYOFYEAR)    \
    X(SEATUNNEL_WEEK)

typedef enum {
#define X_(u) U_##u,
    UNIT_MAP(X_)
#undef X_
        U__COUNT
} unit;

static const char *const unit_names[] = {
#define X_(u) #u,
    UNIT_MAP(X_)
#undef X_
};

#define B(u) (1u << U_##u)
/* units that read the calendar date; the rest read the clock (EPOCH both) */
#define DATE_UNITS                                                                                               \
    (B(YEAR) | B(MONTH) | B(WEEK) | B(DAY) | B(CENTURY) | B(DECADE) | B(DOW) | B(DOY) | B(ISODOW) | B(ISOYEAR) | \
     B(MILLENNIUM) | B(QUARTER) | B(DAYOFWEEK) | B(DAYOFYEAR) | B(SEATUNNEL_WEEK))
#define TIME_UNITS (B(HOUR) | B(MINUTE) | B(SECOND) | B(MILLISECOND) | B(MILLISECONDS) | B(MICROSECONDS))

#define DATEADD_UNITS (B(YEAR) | B(MONTH) | B(WEEK) | B(DAY) | B(HOUR) | B(MINUTE) | B(SECOND) | B(MILLISECOND))
#define DATEDIFF_UNITS (DATEADD_UNITS | B(DAYTIME))
#define TRUNC_UNITS (B(YEAR) | B(MONTH) | B(DAY) | B(HOUR) | B(MINUTE) | B(SECOND))
#define EXTRACT_UNITS ((DATE_UNITS | TIME_UNITS | B(EPOCH)) & ~B(SEATUNNEL_WEEK))

/* The unit named s (any case) among `allowed`; -1 when none. */
static int unit_find(const char *s, size_t n, uint32_t allowed)
{
    for (int u = 0; u < U__COUNT; u++)
        if ((allowed & (1u << u)) && strlen(unit_names[u]) == n && cv_strneq_nocase(s, unit_names[u], n)) return u;
    return -1;
}

/* "YEAR, MONTH, …" for messages. */
static const char *unit_list(uint32_t allowed, char *buf, size_t n)
{
    size_t k = 0;
    buf[0] = 0;
    for (int u = 0; u < U__COUNT && k < n; u++)
        if (allowed & (1u << u)) k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? ", " : "", unit_names[u]);
    return buf;
}

/* ---- argument kinds ---------------------------------------------------------------- */

/* Which kinds unit u can be applied to. */
static unsigned unit_kinds(unit u)
{
    if (u == U_EPOCH) return K_DATE | K_TIME | K_TS;
    if ((1u << u) & DATE_UNITS) return K_DATE | K_TS;
    return K_TIME | K_TS;
}

static int64_t days_of(unsigned kind, int64_t v) { return kind == K_DATE ? v : cv_floor_div(v, US_DAY); }
static int64_t nanos_of(unsigned kind, int64_t v) { return kind == K_TIME ? v : fmod64(v, US_DAY) * 1000; }

/* Plan-time state of a call whose unit is a constant argument. */
typedef struct unit_state {
    int unit;
} unit_state;

static int set_unit(sql_call *c, cv_arena *a, int u)
{
    unit_state *st = cv_arena_zalloc(a, sizeof *st);
    if (!st) return CV_ENOMEM;
    st->unit = u;
    c->state = st;
    return 0;
}

/* Look up a constant unit argument at bind: -1 when it is not a constant
 * (or NULL); fails the bind when it is unknown. */
static int bind_unit(sql_call *c, const sql_vec *kargs, uint32_t i, uint32_t allowed, cv_err *err, int *u)
{
    *u = -1;
    if (i >= c->nargs || !kargs[i].col || sql_null(&kargs[i], 0)) return 0;
    uint32_t n;
    const char *s = sql_str(&kargs[i], 0, &n);
    *u = unit_find(s, n, allowed);
    if (*u < 0) {
        char list[256];
        return sql_bind_fail(c, err, "unknown unit '%.*s' (valid: %s)", (int)n, s,
                             unit_list(allowed, list, sizeof list));
    }
    return 0;
}

/* The unit at row r: the constant's, the default, or the row's text. */
static int row_unit(const sql_call *c, sql_ctx *x, const sql_vec *args, uint32_t i, uint32_t r, uint32_t allowed,
                    int dflt, int *u)
{
    if (c->state) {
        *u = ((const unit_state *)c->state)->unit;
        return 0;
    }
    if (i >= c->nargs) {
        *u = dflt;
        return 0;
    }
    uint32_t n;
    const char *s = sql_str(&args[i], r, &n);
    *u = unit_find(s, n, allowed);
    if (*u < 0) {
        char list[256];
        return sql_fail(c, x, r, "unknown unit '%.*s' (valid: %s)", (int)n, s, unit_list(allowed, list, sizeof list));
    }
    return 0;
}

/* ---- calendar helpers -------------------------------------------------------------------- */

static unsigned month_len(int64_t y, unsigned m)
{
    static const unsigned len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : len[m - 1];
}

/* LocalDate.plusMonths: the day is clamped to the new month's length. */
static bool add_months(int64_t days, int64_t n, int64_t *out)
{
    int64_t y, total;
    unsigned m, d;
    cv_civil_from_days(days, &y, &m, &d);
    if (__builtin_mul_overflow(y, 12, &total) || __builtin_add_overflow(total, (int64_t)m - 1, &total) ||
        __builtin_add_overflow(total, n, &total))
        return false;
    int64_t ny = cv_floor_div(total, 12);
    unsigned nm = (unsigned)fmod64(total, 12) + 1;
    if (ny > YEAR_LIMIT || ny < -YEAR_LIMIT) return false;
    unsigned ml = month_len(ny, nm);
    *out = cv_days_from_civil(ny, nm, d < ml ? d : ml);
    return true;
}

static bool add_days(int64_t days, int64_t n, int64_t mult, int64_t *out)
{
    return !__builtin_mul_overflow(n, mult, &n) && !__builtin_add_overflow(days, n, out);
}

/* ISO day of week, Monday 1 … Sunday 7 (1970-01-01 was a Thursday). */
static int isodow(int64_t days) { return (int)fmod64(days + 3, 7) + 1; }

static int64_t year_of(int64_t days)
{
    int64_t y;
    unsigned m, d;
    cv_civil_from_days(days, &y, &m, &d);
    return y;
}

/* The value of field u of a temporal value of the given kind. */
static int64_t field_value(unit u, unsigned kind, int64_t v)
{
    if (u == U_EPOCH) return kind == K_DATE ? v * 86400 : kind == K_TIME ? v / NS_SEC : cv_floor_div(v, US_SEC);
    if ((1u << u) & TIME_UNITS) {
        int64_t ns = nanos_of(kind, v), sec_ns = ns % (60 * NS_SEC);
        switch (u) {
        case U_HOUR: return ns / (3600 * NS_SEC);
        case U_MINUTE: return ns / (60 * NS_SEC) % 60;
        case U_SECOND: return sec_ns / NS_SEC;
        case U_MILLISECOND: return ns % NS_SEC / 1000000;
        case U_MILLISECONDS: return sec_ns / 1000000;
        default: return sec_ns / 1000; /* MICROSECONDS */
        }
    }
    int64_t days = days_of(kind, v), y;
    unsigned m, d;
    if (u == U_YEAR) {
        /* the year alone: the civil-from-days steps up to the day of the
         * (March-based) year, without month and day */
        int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
        unsigned doe = (unsigned)(z - era * 146097);
        unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        return (int64_t)yoe + era * 400 + (doy >= 306); /* March-based days 306+ are January and February */
    }
    cv_civil_from_days(days, &y, &m, &d);
    /* the common fields need nothing more */
    switch (u) {
    case U_YEAR: return y;
    case U_MONTH: return m;
    case U_DAY: return d;
    case U_QUARTER: return (m - 1) / 3 + 1;
    default: break;
    }
    int64_t doy = days - cv_days_from_civil(y, 1, 1) + 1;
    int dow = isodow(days);
    switch (u) {
    case U_YEAR: return y;
    case U_MONTH: return m;
    case U_DAY: return d;
    case U_QUARTER: return (m - 1) / 3 + 1;
    case U_DOY:
    case U_DAYOFYEAR: return doy;
    case U_ISODOW:
    case U_DAYOFWEEK: return dow;
    case U_DOW: return dow % 7; /* Sunday 0 */
    case U_DECADE: return cv_floor_div(y, 10);
    case U_CENTURY: return y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100);
    case U_MILLENNIUM: return y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000);
    case U_ISOYEAR:
    case U_WEEK: {
        /* the ISO week is the one holding this week's Thursday */
        int64_t thu = days - (dow - 1) + 3, iy = year_of(thu);
        return u == U_ISOYEAR ? iy : (thu - cv_days_from_civil(iy, 1, 1)) / 7 + 1;
    }
    case U_SEATUNNEL_WEEK: {
        /* WeekFields.ISO.weekOfYear() (0..53), plus the 1 SeaTunnel adds */
        int64_t week_start = fmod64(doy - dow, 7), offset = week_start + 1 > 4 ? 7 - week_start : -week_start;
        return (7 + offset + (doy - 1)) / 7 + 1;
    }
    default: return 0;
    }
}

/* ---- CURRENT_DATE, CURRENT_TIME, CURRENT_TIMESTAMP, NOW --------------------------------------- */

static int fn_now(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    CV_UNUSED(args);
    for (uint32_t r = 0; r < x->n; r++) {
        switch (c->ret->id) {
        case CV_T_DATE: cv_col_append_i32(out, (int32_t)cv_floor_div(x->now_us, US_DAY)); break;
        case CV_T_TIME: cv_col_append_i64(out, fmod64(x->now_us, US_DAY) * 1000); break;
        default: cv_col_append_i64(out, x->now_us); break;
        }
    }
    return 0;
}

/* ---- DATEADD, TIMESTAMPADD ---------------------------------------------------------------------- */

static const char *dateadd_mismatch(unsigned kind, int u)
{
    if (kind == K_DATE && !((1u << u) & (B(YEAR) | B(MONTH) | B(WEEK) | B(DAY))))
        return "a date takes YEAR, MONTH, WEEK or DAY (CAST it AS TIMESTAMP to add time units)";
    if (kind == K_TIME && !((1u << u) & (B(HOUR) | B(MINUTE) | B(SECOND) | B(MILLISECOND))))
        return "a time takes HOUR, MINUTE, SECOND or MILLISECOND";
    return NULL;
}

static int bind_dateadd(sql_call *c, cv_arena *a, const sql_vec *kargs, cv_err *err)
{
    CV_TRY(need_kind(c, err, 0, K_DATE | K_TIME | K_TS, NULL));
    int u;
    CV_TRY(bind_unit(c, kargs, 2, DATEADD_UNITS, err, &u));
    if (c->nargs < 3) u = U_DAY;
    if (u < 0) return 0;
    const char *why = dateadd_mismatch(kind_of(c->argt[0]), u);
    if (why) return sql_bind_fail(c, err, "cannot add %s to a %s: %s", unit_names[u], tname(c->argt[0]), why);
    return set_unit(c, a, u);
}

static int fn_dateadd(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    unsigned kind = kind_of(c->argt[0]);
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, args, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        int64_t v = sql_temporal(&args[0], r), n = sql_i64(&args[1], r), res = 0;
        int u;
        CV_TRY(row_unit(c, x, args, 2, r, DATEADD_UNITS, U_DAY, &u));
        const char *why = dateadd_mismatch(kind, u);
        if (why) return sql_fail(c, x, r, "cannot add %s to a %s: %s", unit_names[u], tname(c->argt[0]), why);
        bool ok = true;
        if (kind == K_TIME) {
            /* LocalTime arithmetic wraps around midnight */
            int64_t step = u == U_HOUR ? 3600 * NS_SEC : u == U_MINUTE ? 60 * NS_SEC : u == U_SECOND ? NS_SEC : 1000000;
            res = fmod64(v + (n % (NS_DAY / step)) * step, NS_DAY);
            cv_col_append_i64(out, res);
            continue;
        }
        int64_t days = days_of(kind, v), tod = kind == K_TS ? v - days * US_DAY : 0;
        switch (u) {
        case U_YEAR: ok = !__builtin_mul_overflow(n, 12, &n) && add_months(days, n, &days); break;
        case U_MONTH: ok = add_months(days, n, &days); break;
        case U_WEEK: ok = add_days(days, n, 7, &days); break;
        case U_DAY: ok = add_days(days, n, 1, &days); break;
        default: {
            int64_t step = u == U_HOUR ? 3600 * US_SEC : u == U_MINUTE ? 60 * US_SEC : u == U_SECOND ? US_SEC : 1000;
            ok = !__builtin_mul_overflow(n, step, &n) && !__builtin_add_overflow(v, n, &res);
        }
        }
        if (ok && u <= U_DAY) {
            if (kind == K_DATE) {
                ok = days >= INT32_MIN && days <= INT32_MAX;
                res = days;
            } else {
                ok = ts_from(days, tod, &res);
            }
        }
        if (!ok)
            return sql_fail(c, x, r, "adding %lld %s to %s leaves the %s range", (long long)sql_i64(&args[1], r),
                            unit_names[u], arg_text(x, &args[0], r), tname(c->argt[0]));
        if (kind == K_DATE)
            cv_col_append_i32(out, (int32_t)res);
        else
            cv_col_append_i64(out, res);
    }
    return 0;
}

/* ---- DATEDIFF ------------------------------------------------------------------------------------ */

/* Which argument kinds unit u works on: the calendar units compare dates
 * (of dates or timestamps); the others a Duration of two timestamps or
 * two times. */
static const char *datediff_mismatch(unsigned ka, unsigned kb, int u)
{
    if (u == U_YEAR || u == U_MONTH || u == U_DAY) {
        if (ka == K_TIME || kb == K_TIME) return "YEAR, MONTH and DAY compare dates or timestamps";
        return NULL;
    }
    if (ka != kb || ka == K_DATE)
        return "time units (WEEK, DAYTIME, HOUR, MINUTE, SECOND, MILLISECOND) need two timestamps or two times";
    return NULL;
}

static int bind_datediff(sql_call *c, cv_arena *a, const sql_vec *kargs, cv_err *err)
{
    CV_TRY(need_kind(c, err, 0, K_DATE | K_TIME | K_TS, NULL));
    CV_TRY(need_kind(c, err, 1, K_DATE | K_TIME | K_TS, NULL));
    int u;
    CV_TRY(bind_unit(c, kargs, 2, DATEDIFF_UNITS, err, &u));
    if (c->nargs < 3) u = U_DAY;
    if (u < 0) return 0;
    const char *why = datediff_mismatch(kind_of(c->argt[0]), kind_of(c->argt[1]), u);
    if (why)
        return sql_bind_fail(c, err, "DATEDIFF in %s of %s and %s: %s", unit_names[u], tname(c->argt[0]),
                             tname(c->argt[1]), why);
    return set_unit(c, a, u);
}

static int fn_datediff(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    unsigned ka = kind_of(c->argt[0]), kb = kind_of(c->argt[1]);
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, args, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        int u;
        CV_TRY(row_unit(c, x, args, 2, r, DATEDIFF_UNITS, U_DAY, &u));
        const char *why = datediff_mismatch(ka, kb, u);
        if (why) return sql_fail(c, x, r, "DATEDIFF in %s: %s", unit_names[u], why);
        int64_t a = sql_temporal(&args[0], r), b = sql_temporal(&args[1], r), res;
        if (u == U_YEAR || u == U_MONTH || u == U_DAY) {
            int64_t da = days_of(ka, a), db = days_of(kb, b);
            if (u == U_DAY) {
                res = db - da;
            } else {
                /* Period.between(da, db): whole months, then years and the months left */
                int64_t ya, yb;
                unsigned ma, mb, dda, ddb;
                cv_civil_from_days(da, &ya, &ma, &dda);
                cv_civil_from_days(db, &yb, &mb, &ddb);
                int64_t total = (yb * 12 + mb) - (ya * 12 + ma), days = (int64_t)ddb - dda;
                if (total > 0 && days < 0)
                    total--;
                else if (total < 0 && days > 0)
                    total++;
                res = u == U_YEAR ? total / 12 : total % 12;
            }
        } else {
            /* java.time.Duration: whole seconds by floor, then truncating division */
            int64_t per_sec = ka == K_TIME ? NS_SEC : US_SEC, diff;
            if (__builtin_sub_overflow(b, a, &diff)) return sql_fail(c, x, r, "the difference overflows");
            int64_t secs = cv_floor_div(diff, per_sec), ms = cv_floor_div(diff, per_sec / 1000);
            switch (u) {
            case U_WEEK: res = secs / 86400 / 7; break;
            case U_DAYTIME: res = secs / 86400; break;
            case U_HOUR: res = secs / 3600; break;
            case U_MINUTE: res = secs / 60; break;
            case U_SECOND: res = ms / 1000; break;
            default: res = ms; break;
            }
        }
        cv_col_append_i64(out, res);
    }
    return 0;
}

/* ---- DATE_TRUNC --------------------------------------------------------------------------------- */

static int bind_date_trunc(sql_call *c, cv_arena *a, const sql_vec *kargs, cv_err *err)
{
    CV_TRY(need_kind(c, err, 0, K_DATE | K_TS, NULL));
    int u;
    CV_TRY(bind_unit(c, kargs, 1, TRUNC_UNITS, err, &u));
    return u < 0 ? 0 : set_unit(c, a, u);
}

static int fn_date_trunc(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    unsigned kind = kind_of(c->argt[0]);
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, args, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        int u;
        CV_TRY(row_unit(c, x, args, 1, r, TRUNC_UNITS, U_DAY, &u));
        int64_t v = sql_temporal(&args[0], r), days = days_of(kind, v), tod = kind == K_TS ? v - days * US_DAY : 0;
        int64_t y;
        unsigned m, d;
        switch (u) {
        case U_YEAR:
        case U_MONTH:
            cv_civil_from_days(days, &y, &m, &d);
            days = cv_days_from_civil(y, u == U_YEAR ? 1 : m, 1);
            tod = 0;
            break;
        case U_DAY: tod = 0; break;
        case U_HOUR: tod -= tod % (3600 * US_SEC); break;
        case U_MINUTE: tod -= tod % (60 * US_SEC); break;
        default: tod -= tod % US_SEC; break; /* SECOND: SeaTunnel drops the fraction */
        }
        int64_t res;
        if (!ts_from(days, tod, &res))
            return sql_fail(c, x, r, "%s is outside the timestamp range", arg_text(x, &args[0], r));
        cv_col_append_i64(out, res);
    }
    return 0;
}

/* ---- fields: EXTRACT, YEAR, HOUR, DAYNAME … ---------------------------------------------------------- */

static const struct {
    const char *fn;
    unit u;
} field_fns[] = {
    {"DAYNAME", U_ISODOW},  {"DAY_OF_MONTH", U_DAY}, {"DAY_OF_WEEK", U_ISODOW},  {"DAY_OF_YEAR", U_DOY},
    {"HOUR", U_HOUR},       {"MINUTE", U_MINUTE},    {"MONTH", U_MONTH},         {"MONTHNAME", U_MONTH},
    {"QUARTER", U_QUARTER}, {"SECOND", U_SECOND},    {"WEEK", U_SEATUNNEL_WEEK}, {"YEAR", U_YEAR},
};

static int bind_field(sql_call *c, cv_arena *a, const sql_vec *kargs, cv_err *err)
{
    int u = -1;
    if (c->nargs == 2) {
        /* EXTRACT(x, 'FIELD'): the field decides the type, so it must be known now */
        if (!kargs[1].col) return sql_bind_fail(c, err, "the field must be a constant such as 'YEAR'");
        CV_TRY(bind_unit(c, kargs, 1, EXTRACT_UNITS, err, &u));
        if (u < 0) return sql_bind_fail(c, err, "the field is NULL");
        if (u == U_EPOCH) c->ret = cv_type_prim(CV_T_I64);
    } else {
        for (size_t i = 0; i < CV_ARRAY_LEN(field_fns); i++)
            if (strcmp(c->fn->name, field_fns[i].fn) == 0) u = (int)field_fns[i].u;
        if (u < 0) return sql_bind_fail(c, err, "internal: no field for this function");
    }
    char what[64];
    if (c->nargs == 2)
        snprintf(what, sizeof what, "EXTRACT(%s)", unit_names[u]);
    else
        snprintf(what, sizeof what, "%s", c->fn->name);
    CV_TRY(need_kind(c, err, 0, unit_kinds((unit)u), what));
    return set_unit(c, a, u);
}

static int fn_field(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    unsigned kind = kind_of(c->argt[0]);
    unit u = (unit)((const unit_state *)c->state)->unit;
    bool wide = c->ret->id == CV_T_I64;
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, args, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        int64_t v = field_value(u, kind, sql_temporal(&args[0], r));
        if (wide)
            cv_col_append_i64(out, v);
        else
            cv_col_append_i32(out, (int32_t)v);
    }
    return 0;
}

static const char *const day_names[7] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
static const char *const month_names[12] = {"January", "February", "March",     "April",   "May",      "June",
                                            "July",    "August",   "September", "October", "November", "December"};

static int fn_name(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    unsigned kind = kind_of(c->argt[0]);
    unit u = (unit)((const unit_state *)c->state)->unit;
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, args, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        int64_t v = field_value(u, kind, sql_temporal(&args[0], r));
        cv_col_append_str(out, u == U_MONTH ? month_names[v - 1] : day_names[v - 1],
                          strlen(u == U_MONTH ? month_names[v - 1] : day_names[v - 1]));
    }
    return 0;
}

/* ---- the table -------------------------------------------------------------------------------------------- */

#define NOW(nm, r)                                                                                                \
    {                                                                                                             \
        .name = nm, .min_args = 0, .max_args = 0, .params = "", .ret = r, .flags = SQL_F_VOLATILE, .eval = fn_now \
    }
#define FIELD(nm, r, fn)                                                                                  \
    {                                                                                                     \
        .name = nm, .min_args = 1, .max_args = 1, .params = "T", .ret = r, .bind = bind_field, .eval = fn \
    }

const sql_func cv__sql_fn_datetime[] = {
    NOW("CURRENT_DATE", 'd'),
    NOW("CURRENT_TIME", 't'),
    NOW("CURRENT_TIMESTAMP", 'T'),
    NOW("NOW", 'T'),
    {.name = "DATEADD",
     .min_args = 2,
     .max_args = 3,
     .params = "TLS",
     .ret = '0',
     .bind = bind_dateadd,
     .eval = fn_dateadd},
    {.name = "TIMESTAMPADD",
     .min_args = 2,
     .max_args = 3,
     .params = "TLS",
     .ret = '0',
     .bind = bind_dateadd,
     .eval = fn_dateadd},
    {.name = "DATEDIFF",
     .min_args = 2,
     .max_args = 3,
     .params = "TTS",
     .ret = 'L',
     .bind = bind_datediff,
     .eval = fn_datediff},
    {.name = "DATE_TRUNC",
     .min_args = 1,
     .max_args = 2,
     .params = "TS",
     .ret = 'T',
     .bind = bind_date_trunc,
     .eval = fn_date_trunc},
    FIELD("DAYNAME", 'S', fn_name),
    FIELD("DAY_OF_MONTH", 'I', fn_field),
    FIELD("DAY_OF_WEEK", 'I', fn_field),
    FIELD("DAY_OF_YEAR", 'I', fn_field),
    {.name = "EXTRACT", .min_args = 2, .max_args = 2, .params = "TS", .ret = 'I', .bind = bind_field, .eval = fn_field},
    FIELD("HOUR", 'I', fn_field),
    FIELD("MINUTE", 'I', fn_field),
    FIELD("MONTH", 'I', fn_field),
    FIELD("MONTHNAME", 'S', fn_name),
    FIELD("QUARTER", 'I', fn_field),
    FIELD("SECOND", 'I', fn_field),
    FIELD("WEEK", 'I', fn_field),
    FIELD("YEAR", 'I', fn_field),
    {NULL},
};
