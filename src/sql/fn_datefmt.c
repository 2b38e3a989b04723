/* fn_datefmt.c — SeaTunnel's date functions that read or write text with
 * java.time patterns (formats/datefmt.c): FORMATDATETIME, PARSEDATETIME /
 * TO_DATE, IS_DATE and FROM_UNIXTIME. A constant pattern is compiled at
 * plan time; one that varies per row is compiled with a one-entry cache. */
#include "../formats/formats.h"
#include "fn_time.h"

#include <string.h>

/* ---- patterns: FORMATDATETIME, PARSEDATETIME, TO_DATE, IS_DATE, FROM_UNIXTIME -------------------------- */

/* A compiled constant pattern, or the last one compiled for a row. */
typedef struct pattern_state {
    cv_datefmt fmt;
    bool valid;          /* compiled fine */
    const char *why;     /* else why not */
    int32_t zone_offset; /* FROM_UNIXTIME: seconds east of UTC */
    bool zone_fixed;     /* zone_offset holds (else the row's or the system's) */
} pattern_state;

static int new_pattern_state(sql_call *c, cv_arena *a, pattern_state **out)
{
    pattern_state *st = cv_arena_zalloc(a, sizeof *st);
    if (!st) return CV_ENOMEM;
    c->state = st;
    *out = st;
    return 0;
}

/* Compile the pattern of argument i at row r unless `cache` already holds it. */
static bool row_pattern(const sql_vec *v, uint32_t r, pattern_state *cache, bool *have)
{
    uint32_t n;
    const char *s = sql_str(v, r, &n);
    if (*have && n < sizeof cache->fmt.pattern && strlen(cache->fmt.pattern) == n &&
        memcmp(cache->fmt.pattern, s, n) == 0)
        return cache->valid;
    char buf[512];
    if (n >= sizeof buf) {
        cache->valid = false;
        cache->why = "pattern too long";
        *have = false;
        return false;
    }
    memcpy(buf, s, n);
    buf[n] = 0;
    cache->valid = cv_datefmt_compile(buf, &cache->fmt, &cache->why) == 0;
    *have = n < sizeof cache->fmt.pattern;
    return cache->valid;
}

/* FORMATDATETIME needs a pattern whose fields the value has. */
static const char *format_mismatch(unsigned kind, const cv_datefmt *f)
{
    if (kind == K_DATE && f->has_time) return "the pattern has time fields (H, m, s, S) but the value is a date";
    if (kind == K_TIME && f->has_date) return "the pattern has date fields (y, M, d) but the value is a time";
    return NULL;
}

static int bind_formatdatetime(sql_call *c, cv_arena *a, const sql_vec *kargs, cv_err *err)
{
    CV_TRY(need_kind(c, err, 0, K_DATE | K_TIME | K_TS, NULL));
    if (!kargs[1].col || sql_null(&kargs[1], 0)) return 0;
    pattern_state *st;
    CV_TRY(new_pattern_state(c, a, &st));
    bool have = false;
    uint32_t n;
    const char *s = sql_str(&kargs[1], 0, &n);
    if (!row_pattern(&kargs[1], 0, st, &have)) return sql_bind_fail(c, err, "pattern '%.*s': %s", (int)n, s, st->why);
    const char *why = format_mismatch(kind_of(c->argt[0]), &st->fmt);
    if (why) return sql_bind_fail(c, err, "pattern '%.*s': %s", (int)n, s, why);
    return 0;
}

/* The value as µs since the epoch for the pattern code. */
static bool micros_of(unsigned kind, int64_t v, int64_t *us)
{
    if (kind == K_TIME) {
        *us = v / 1000;
        return true;
    }
    if (kind == K_DATE) return ts_from(v, 0, us);
    *us = v;
    return true;
}

static int fn_formatdatetime(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    unsigned kind = kind_of(c->argt[0]);
    pattern_state row;
    bool have = false;
    const pattern_state *st = c->state;
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, args, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        const cv_datefmt *f = st ? &st->fmt : &row.fmt;
        if (!st) {
            uint32_t n;
            const char *s = sql_str(&args[1], r, &n);
            if (!row_pattern(&args[1], r, &row, &have))
                return sql_fail(c, x, r, "pattern '%.*s': %s", (int)n, s, row.why);
            const char *why = format_mismatch(kind, f);
            if (why) return sql_fail(c, x, r, "pattern '%.*s': %s", (int)n, s, why);
        }
        int64_t us;
        if (!micros_of(kind, sql_temporal(&args[0], r), &us))
            return sql_fail(c, x, r, "%s is outside the timestamp range", arg_text(x, &args[0], r));
        cv_buf_reset(&x->scratch);
        cv_datefmt_format(f, us, &x->scratch);
        cv_col_append_str(out, x->scratch.data ? x->scratch.data : "", x->scratch.len);
    }
    return 0;
}

/* SeaTunnel picks the result of PARSEDATETIME by looking at the pattern
 * text: "yy" and "mm" → timestamp, "yy" → date, "mm" → time. */
static cv_type_id parse_result(const char *s, size_t n)
{
    bool yy = false, mm = false;
    for (size_t i = 0; i + 1 < n; i++) {
        yy |= s[i] == 'y' && s[i + 1] == 'y';
        mm |= s[i] == 'm' && s[i + 1] == 'm';
    }
    return yy && mm ? CV_T_TIMESTAMP : yy ? CV_T_DATE : mm ? CV_T_TIME : CV_T_NULL;
}

static int bind_parsedatetime(sql_call *c, cv_arena *a, const sql_vec *kargs, cv_err *err)
{
    if (!kargs[1].col || sql_null(&kargs[1], 0))
        return sql_bind_fail(c, err, "the pattern must be a constant string (it decides the result type)");
    uint32_t n;
    const char *s = sql_str(&kargs[1], 0, &n);
    cv_type_id id = parse_result(s, n);
    if (id == CV_T_NULL)
        return sql_bind_fail(c, err,
                             "pattern '%.*s' has neither \"yy\" nor \"mm\": SeaTunnel cannot tell a date from a time",
                             (int)n, s);
    pattern_state *st;
    CV_TRY(new_pattern_state(c, a, &st));
    bool have = false;
    if (!row_pattern(&kargs[1], 0, st, &have)) return sql_bind_fail(c, err, "pattern '%.*s': %s", (int)n, s, st->why);
    c->ret = cv_type_prim(id);
    return 0;
}

static void append_parsed(cv_col *out, int64_t us)
{
    switch (out->type->id) {
    case CV_T_DATE: cv_col_append_i32(out, (int32_t)cv_floor_div(us, US_DAY)); break;
    case CV_T_TIME: cv_col_append_i64(out, fmod64(us, US_DAY) * 1000); break;
    default: cv_col_append_i64(out, us); break;
    }
}

static int fn_parsedatetime(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    const pattern_state *st = c->state;
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, args, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t n;
        const char *s = sql_str(&args[0], r, &n);
        int64_t us;
        /* parsed values stay within ±292277 years, so a date always fits */
        if (!cv_datefmt_parse(&st->fmt, s, n, &us))
            return sql_fail(c, x, r, "'%.*s' does not match the pattern '%s'", (int)n, s, st->fmt.pattern);
        append_parsed(out, us);
    }
    return 0;
}

static int bind_is_date(sql_call *c, cv_arena *a, const sql_vec *kargs, cv_err *err)
{
    CV_UNUSED(err);
    if (!kargs[1].col || sql_null(&kargs[1], 0)) return 0;
    pattern_state *st;
    CV_TRY(new_pattern_state(c, a, &st));
    bool have = false;
    uint32_t n;
    const char *s = sql_str(&kargs[1], 0, &n);
    /* a pattern SeaTunnel cannot use makes every value "not a date" */
    if (row_pattern(&kargs[1], 0, st, &have) && parse_result(s, n) == CV_T_NULL) st->valid = false;
    return 0;
}

static int fn_is_date(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    pattern_state row;
    bool have = false;
    const pattern_state *st = c->state;
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, args, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        const pattern_state *p = st;
        if (!p) {
            uint32_t pn;
            const char *ps = sql_str(&args[1], r, &pn);
            if (row_pattern(&args[1], r, &row, &have) && parse_result(ps, pn) == CV_T_NULL) row.valid = false;
            p = &row;
        }
        uint32_t n;
        const char *s = sql_str(&args[0], r, &n);
        int64_t us;
        cv_col_append_bool(out, p->valid && cv_datefmt_parse(&p->fmt, s, n, &us));
    }
    return 0;
}

/* A fixed zone as java.time.ZoneId.of reads one: Z, UTC, GMT, UT, or an
 * offset (+h, +hh, +hh:mm, +hhmm, +hh:mm:ss, +hhmmss) alone or after one of
 * those prefixes, within ±18:00. Region names (Asia/Shanghai) are not
 * supported. */
static bool zone_parse(const char *s, size_t n, int32_t *off)
{
    *off = 0;
    if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) return true;
    static const char *const prefixes[] = {"UTC", "GMT", "UT"};
    for (size_t i = 0; i < CV_ARRAY_LEN(prefixes); i++) {
        size_t pl = strlen(prefixes[i]);
        if (n >= pl && cv_strneq_nocase(s, prefixes[i], pl) && (n == pl || s[pl] == '+' || s[pl] == '-')) {
            s += pl;
            n -= pl;
            break;
        }
    }
    if (n == 0) return true;
    if (s[0] != '+' && s[0] != '-') return false;
    int sign = s[0] == '-' ? -1 : 1;
    s++;
    n--;
    int part[3] = {0, 0, 0}, np = 0, digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ':') {
            if (digits != 2 || np >= 2) return false;
            np++;
            digits = 0;
            continue;
        }
        if (s[i] < '0' || s[i] > '9') return false;
        if (digits == 2) { /* compact +hhmm / +hhmmss */
            if (np >= 2 || (i >= 1 && s[i - 1] == ':')) return false;
            np++;
            digits = 0;
        }
        part[np] = part[np] * 10 + (s[i] - '0');
        digits++;
    }
    if (digits == 0 || (np > 0 && digits != 2)) return false;
    if (part[0] > 18 || part[1] > 59 || part[2] > 59) return false;
    int32_t secs = part[0] * 3600 + part[1] * 60 + part[2];
    if (secs > 18 * 3600) return false;
    *off = sign * secs;
    return true;
}

static int bind_from_unixtime(sql_call *c, cv_arena *a, const sql_vec *kargs, cv_err *err)
{
    pattern_state *st;
    CV_TRY(new_pattern_state(c, a, &st));
    bool have = false;
    if (!kargs[1].col || sql_null(&kargs[1], 0)) return sql_bind_fail(c, err, "the pattern must be a constant string");
    uint32_t n;
    const char *s = sql_str(&kargs[1], 0, &n);
    if (!row_pattern(&kargs[1], 0, st, &have)) return sql_bind_fail(c, err, "pattern '%.*s': %s", (int)n, s, st->why);
    if (c->nargs == 3) {
        if (!kargs[2].col) return 0; /* per row */
        if (sql_null(&kargs[2], 0)) return 0;
        s = sql_str(&kargs[2], 0, &n);
        if (!zone_parse(s, n, &st->zone_offset))
            return sql_bind_fail(c, err,
                                 "unsupported time zone '%.*s' (use an offset: 'UTC', 'UTC+8', 'GMT-05:30', '+08:00')",
                                 (int)n, s);
        st->zone_fixed = true;
    }
    return 0;
}

static int fn_from_unixtime(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    const pattern_state *st = c->state;
    for (uint32_t r = 0; r < x->n; r++) {
        if (sql_skip(x, args, c->nargs, r)) {
            cv_col_append_null(out);
            continue;
        }
        int64_t secs = sql_i64(&args[0], r), us;
        int32_t off = st->zone_offset;
        if (!st->zone_fixed) {
            if (c->nargs == 3) {
                uint32_t n;
                const char *s = sql_str(&args[2], r, &n);
                if (!zone_parse(s, n, &off))
                    return sql_fail(c, x, r, "unsupported time zone '%.*s' (use an offset such as 'UTC+8')", (int)n, s);
            } else {
                /* the system's zone, as ZoneId.systemDefault() */
                if (!cv_local_offset_s(secs, &off))
                    return sql_fail(c, x, r, "%lld is outside the time range", (long long)secs);
            }
        }
        if (__builtin_add_overflow(secs, off, &secs) || __builtin_mul_overflow(secs, US_SEC, &us))
            return sql_fail(c, x, r, "%lld is outside the timestamp range", (long long)sql_i64(&args[0], r));
        cv_buf_reset(&x->scratch);
        cv_datefmt_format(&st->fmt, us, &x->scratch);
        cv_col_append_str(out, x->scratch.data ? x->scratch.data : "", x->scratch.len);
    }
    return 0;
}

/* ---- the table -------------------------------------------------------------------------------------------- */

const sql_func cv__sql_fn_datefmt[] = {
    {.name = "FORMATDATETIME",
     .min_args = 2,
     .max_args = 2,
     .params = "TS",
     .ret = 'S',
     .bind = bind_formatdatetime,
     .eval = fn_formatdatetime},
    {.name = "IS_DATE",
     .min_args = 2,
     .max_args = 2,
     .params = "S",
     .ret = 'B',
     .bind = bind_is_date,
     .eval = fn_is_date},
    {.name = "PARSEDATETIME",
     .min_args = 2,
     .max_args = 2,
     .params = "S",
     .ret = 'T',
     .bind = bind_parsedatetime,
     .eval = fn_parsedatetime},
    {.name = "TO_DATE",
     .min_args = 2,
     .max_args = 2,
     .params = "S",
     .ret = 'T',
     .bind = bind_parsedatetime,
     .eval = fn_parsedatetime},
    {.name = "FROM_UNIXTIME",
     .min_args = 2,
     .max_args = 3,
     .params = "LS",
     .ret = 'S',
     .bind = bind_from_unixtime,
     .eval = fn_from_unixtime},
    {NULL},
};
