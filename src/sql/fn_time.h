/*
 * fn_time.h — what the date/time functions (fn_datetime.c, fn_datefmt.c)
 * share: unit constants, the argument kinds they accept, messages. Internal
 * to src/sql; everything here is static inline.
 */
#ifndef CV_SQL_FN_TIME_H
#define CV_SQL_FN_TIME_H

#include "func.h"

#define US_SEC 1000000LL
#define US_DAY 86400000000LL
#define NS_SEC 1000000000LL
#define NS_DAY 86400000000000LL
/* |year| that keeps int32 days (and cv_days_from_civil) in range */
static inline int64_t fmod64(int64_t a, int64_t b) { return a - cv_floor_div(a, b) * b; }

#define tname(t) cv_type_str((t), (char[64]){0}, 64)

/* Argument text at row r for messages (in x->scratch). */
static inline const char *arg_text(sql_ctx *x, const sql_vec *v, uint32_t r)
{
    cv_buf_reset(&x->scratch);
    cv_value_format(v->col, sql_ix(v, r), CV_FMT_JAVA, &x->scratch);
    return x->scratch.data ? x->scratch.data : "";
}

enum { K_DATE = 1, K_TIME = 2, K_TS = 4 };

static inline unsigned kind_of(const cv_type *t)
{
    switch (t->id) {
    case CV_T_DATE: return K_DATE;
    case CV_T_TIME: return K_TIME;
    case CV_T_TIMESTAMP: return K_TS;
    default: return 0;
    }
}

static inline const char *kinds_text(unsigned mask)
{
    switch (mask) {
    case K_DATE | K_TS: return "a date or timestamp";
    case K_TIME | K_TS: return "a time or timestamp";
    case K_TS: return "a timestamp";
    case K_DATE: return "a date";
    case K_TIME: return "a time";
    default: return "a date, time or timestamp";
    }
}

/* Argument i must be one of the kinds in mask. */
static inline int need_kind(sql_call *c, cv_err *err, uint32_t i, unsigned mask, const char *what)
{
    const cv_type *t = c->argt[i];
    if (kind_of(t) & mask) return 0;
    if (t->id == CV_T_TIMESTAMP_TZ)
        return sql_bind_fail(c, err, "%s needs %s; timestamp_tz is not supported here (CAST it AS TIMESTAMP)",
                             what ? what : c->fn->name, kinds_text(mask));
    return sql_bind_fail(c, err, "%s needs %s, got %s", what ? what : c->fn->name, kinds_text(mask), tname(t));
}

static inline bool ts_from(int64_t days, int64_t tod_us, int64_t *out)
{
    return !__builtin_mul_overflow(days, US_DAY, out) && !__builtin_add_overflow(*out, tod_us, out);
}

#endif
