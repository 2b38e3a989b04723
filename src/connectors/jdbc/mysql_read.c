/* mysql_read.c — the MySQL dialect's reading side: a query is described by
 * preparing it (nothing runs), then its rows stream into batches, in the
 * text protocol, or in the binary one when a FLOAT column would lose bits
 * as text; every value is parsed strictly by its column's MySQL type.
 * mysql.c's opening comment has the whole design. */
#ifdef CV_HAVE_MARIADB

#include "mysql_int.h"

#include <errmsg.h>
#include <mysqld_error.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading ------------------------------------------------------------------------ */

int jdbc__my_describe(jdbc_conn *c, const char *sql, cv_arena *a, jdbc_result_col **cols, uint32_t *ncols, cv_err *err)
{
    char what[240];
    MYSQL_STMT *st = mysql_stmt_init(c->m);
    if (!st) return jdbc_nomem(err);
    /* prepared, never run: the server describes the result */
    if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
        int rc = jdbc__my_stmt_fail(c, st, jdbc__my_sql_what(sql, what, sizeof what), err);
        mysql_stmt_close(st);
        return rc;
    }
    MYSQL_RES *md = mysql_stmt_result_metadata(st);
    unsigned n = md ? mysql_num_fields(md) : 0;
    int rc = 0;
    if (n == 0) rc = cv_err_set(err, CV_ECONFIG, "a source query must return rows; this one returns none%s", "");
    jdbc_result_col *v = n ? cv_arena_zalloc(a, n * sizeof *v) : NULL;
    if (rc == 0 && !v) rc = jdbc_nomem(err);
    for (unsigned i = 0; rc == 0 && i < n; i++) {
        const MYSQL_FIELD *f = mysql_fetch_field_direct(md, i);
        jdbc_result_col *col = &v[i];
        fmap m;
        rc = jdbc__my_map_field(c, f, &m, err);
        if (rc < 0) break;
        bool from_table = f->org_table && f->org_table[0];
        col->name = cv_arena_strdup(a, f->name);
        col->type = jdbc__my_fmap_type(a, &m);
        col->length = m.length;
        col->nullable = !(f->flags & NOT_NULL_FLAG);
        col->decl = from_table ? jdbc__my_field_decl(a, f, &m) : NULL;
        col->origin_table = from_table ? cv_arena_strdup(a, f->org_table) : NULL;
        col->origin_db = from_table && f->db && f->db[0] ? cv_arena_strdup(a, f->db) : NULL;
        /* DATETIME(p) / TIME(p) / TIMESTAMP(p): copied tables keep p */
        cv_type_id tid = col->type ? col->type->id : CV_T_NULL;
        if ((tid == CV_T_TIME || tid == CV_T_TIMESTAMP || tid == CV_T_TIMESTAMP_TZ) && f->decimals <= 6)
            col->scale = f->decimals;
        if (!col->name || !col->type || (from_table && (!col->decl || !col->origin_table))) rc = jdbc_nomem(err);
    }
    if (md) mysql_free_result(md);
    mysql_stmt_close(st);
    if (rc < 0) return rc;
    *cols = v;
    *ncols = n;
    return 0;
}

/* ---- reading: values ---- */

static int zero_date(jdbc_cursor *cur, uint32_t i, cv_col *col, const char *p, size_t n, cv_err *err)
{
    switch (cur->c->p.zero_dates) {
    case ZD_NULL: cv_col_append_null(col); return 0;
    case ZD_ROUND:
        if (n >= 10 && memcmp(p, "0000-00-00", 10) == 0) {
            /* 0001-01-01 (00:00:00), as Connector/J's ROUND */
            cv_col_append_int_any(col, col->type->id == CV_T_DATE ? -719162 : -719162LL * 86400000000LL);
            return 0;
        }
        break;
    default: break;
    }
    return jdbc_value_error(err, cur->where, cur->t->cols[i].name, cur->row,
                            "%.*s is not a date (MySQL's zero date; zeroDateTimeBehavior=CONVERT_TO_NULL reads it as "
                            "NULL)",
                            (int)n, p);
}

static bool digits(const char *p, int n, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < n; k++) {
        unsigned d = (unsigned)(p[k] - '0');
        if (d > 9) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* yyyy-MM-dd → y, m, d (unchecked calendar). */
static bool parse_ymd(const char *p, size_t n, unsigned *y, unsigned *m, unsigned *d)
{
    return n >= 10 && p[4] == '-' && p[7] == '-' && digits(p, 4, y) && digits(p + 5, 2, m) && digits(p + 8, 2, d);
}

/* [.f{1,6}] → microseconds; false when anything else follows. */
static bool parse_frac(const char *p, const char *e, int64_t *us)
{
    *us = 0;
    if (p == e) return true;
    if (*p != '.' || e - p < 2 || e - p > 7) return false;
    unsigned v;
    int k = (int)(e - p - 1);
    if (!digits(p + 1, k, &v)) return false;
    *us = (int64_t)v * P10[6 - k];
    return true;
}

/* HH:mm:ss[.f] with HH up to 838 and an optional sign (MySQL's TIME). */
static bool parse_hms(const char *p, const char *e, bool *neg, int64_t *us)
{
    *neg = p < e && *p == '-';
    if (*neg) p++;
    const char *c1 = memchr(p, ':', (size_t)(e - p));
    unsigned h, mi, s;
    if (!c1 || c1 - p < 2 || c1 - p > 3 || e - c1 < 6 || c1[3] != ':' || !digits(p, (int)(c1 - p), &h) ||
        !digits(c1 + 1, 2, &mi) || !digits(c1 + 4, 2, &s) || mi > 59 || s > 59)
        return false;
    int64_t f;
    if (!parse_frac(c1 + 6, e, &f)) return false;
    *us = ((int64_t)h * 3600 + mi * 60 + s) * 1000000 + f;
    return true;
}

static int bad_text(jdbc_cursor *cur, uint32_t i, const char *p, size_t n, const char *what, cv_err *err)
{
    return jdbc_value_error(err, cur->where, cur->t->cols[i].name, cur->row, "\"%.*s\" is not %s", (int)CV_MIN(n, 80),
                            p, what);
}

static int read_temporal(jdbc_cursor *cur, uint32_t i, cv_col *col, rkind rk, const char *p, size_t n, cv_err *err)
{
    const char *e = p + n;
    unsigned y, m, d;
    if (rk == RK_TIME) {
        bool neg;
        int64_t us;
        if (!parse_hms(p, e, &neg, &us)) return bad_text(cur, i, p, n, "a MySQL TIME", err);
        if (neg || us >= 86400000000LL)
            return jdbc_value_error(err, cur->where, cur->t->cols[i].name, cur->row,
                                    "MySQL TIME %.*s is not a time of day (culvert's time runs from 00:00:00 to "
                                    "23:59:59.999999999)",
                                    (int)n, p);
        cv_col_append_i64(col, us * 1000);
        return 0;
    }
    if (!parse_ymd(p, n, &y, &m, &d)) return bad_text(cur, i, p, n, "a MySQL date", err);
    if (m == 0 || d == 0) return zero_date(cur, i, col, p, n, err);
    if (!cv_valid_date(y, m, d)) return bad_text(cur, i, p, n, "a valid date", err);
    int64_t days = cv_days_from_civil(y, m, d);
    if (rk == RK_DATE) {
        if (n != 10) return bad_text(cur, i, p, n, "a MySQL DATE", err);
        cv_col_append_i32(col, (int32_t)days);
        return 0;
    }
    bool neg;
    int64_t us;
    if (n < 19 || p[10] != ' ' || !parse_hms(p + 11, e, &neg, &us) || neg || us >= 86400000000LL)
        return bad_text(cur, i, p, n, "a MySQL DATETIME", err);
    cv_col_append_i64(col, days * 86400000000LL + us);
    return 0;
}

/* DECIMAL text → the column's unscaled integer, strictly. */
static int read_decimal(jdbc_cursor *cur, uint32_t i, cv_col *col, const char *p, size_t n, cv_err *err)
{
    const char *s = p, *e = p + n;
    bool neg = s < e && *s == '-';
    s += neg;
    cv_i128 v = 0;
    unsigned nd = 0, frac = 0, scale = col->type->scale;
    bool point = false, any = false;
    for (; s < e; s++) {
        unsigned dd = (unsigned)(*s - '0');
        if (dd <= 9) {
            any = true;
            if (point) {
                if (frac == scale) {
                    if (dd) return bad_text(cur, i, p, n, "a decimal of the column's scale", err);
                    continue;
                }
                frac++;
            }
            if (v || dd) nd++;
            v = v * 10 + dd;
        } else if (*s == '.' && !point) {
            point = true;
        } else {
            return bad_text(cur, i, p, n, "a decimal", err);
        }
    }
    if (!any) return bad_text(cur, i, p, n, "a decimal", err);
    for (; frac < scale; frac++, nd += v != 0) v *= 10;
    if (nd > col->type->precision) return bad_text(cur, i, p, n, "within the column's precision", err);
    cv_col_append_dec(col, neg ? -v : v);
    return 0;
}

static int int_range(jdbc_cursor *cur, uint32_t i, cv_col *col, int64_t v, cv_err *err)
{
    cv_type_id id = col->type->id;
    int64_t lo = id == CV_T_I8 ? INT8_MIN : id == CV_T_I16 ? INT16_MIN : id == CV_T_I32 ? INT32_MIN : INT64_MIN;
    int64_t hi = id == CV_T_I8 ? INT8_MAX : id == CV_T_I16 ? INT16_MAX : id == CV_T_I32 ? INT32_MAX : INT64_MAX;
    if (v < lo || v > hi) {
        char tn[32];
        return jdbc_value_error(err, cur->where, cur->t->cols[i].name, cur->row, "%lld does not fit %s", (long long)v,
                                cv_type_str(col->type, tn, sizeof tn));
    }
    switch (id) {
    case CV_T_I8: cv_col_append_i8(col, (int8_t)v); break;
    case CV_T_I16: cv_col_append_i16(col, (int16_t)v); break;
    case CV_T_I32: cv_col_append_i32(col, (int32_t)v); break;
    default: cv_col_append_i64(col, v); break;
    }
    return 0;
}

static int read_bool(jdbc_cursor *cur, uint32_t i, cv_col *col, int64_t v, cv_err *err)
{
    if (v != 0 && v != 1)
        return jdbc_value_error(err, cur->where, cur->t->cols[i].name, cur->row,
                                "%lld is not a boolean (TINYINT(1) is read as boolean; tinyInt1isBit=false reads it "
                                "as tinyint)",
                                (long long)v);
    cv_col_append_bool(col, (uint8_t)v);
    return 0;
}

/* Clinger's fast path: a short mantissa and a small power of ten are
 * exact doubles, and one IEEE operation rounds correctly. */
static bool fast_double(const char *p, const char *e, double *out)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    bool neg = p < e && *p == '-';
    p += neg;
    uint64_t m = 0;
    int nd = 0, exp = 0;
    bool point = false;
    for (; p < e; p++) {
        if (*p >= '0' && *p <= '9') {
            if (++nd > 15) return false;
            m = m * 10 + (uint64_t)(*p - '0');
            exp -= point;
        } else if (*p == '.' && !point) {
            point = true;
        } else {
            return false; /* exponents and the rest: strtod */
        }
    }
    if (!nd || exp < -22) return false;
    double v = exp ? (double)m / p10[-exp] : (double)m;
    *out = neg ? -v : v;
    return true;
}

/* A text value of column i (NUL-terminated at p[n]). */
static int read_text(jdbc_cursor *cur, uint32_t i, cv_col *col, const char *p, size_t n, cv_err *err)
{
    rkind rk = cur->rk[i];
    int64_t v;
    switch (rk) {
    case RK_NULL: return bad_text(cur, i, p, n, "NULL", err);
    case RK_BOOL:
        if (!jdbc__my_parse_i64(p, n, &v)) return bad_text(cur, i, p, n, "an integer", err);
        return read_bool(cur, i, col, v, err);
    case RK_BIT1:
        if (n != 1) return bad_text(cur, i, p, n, "a BIT(1) value", err);
        cv_col_append_bool(col, p[0] != 0);
        return 0;
    case RK_INT:
        if (!jdbc__my_parse_i64(p, n, &v)) return bad_text(cur, i, p, n, "an integer", err);
        return int_range(cur, i, col, v, err);
    case RK_U64: {
        uint64_t u;
        if (!jdbc__my_parse_u64(p, p + n, &u)) return bad_text(cur, i, p, n, "an unsigned integer", err);
        cv_col_append_dec(col, (cv_i128)u);
        return 0;
    }
    case RK_F32:
    case RK_F64: {
        double d;
        if (!fast_double(p, p + n, &d)) {
            char *end;
            d = strtod(p, &end);
            if (end != p + n || n == 0) return bad_text(cur, i, p, n, "a number", err);
        }
        if (rk == RK_F32)
            cv_col_append_f32(col, (float)d);
        else
            cv_col_append_f64(col, d);
        return 0;
    }
    case RK_DEC: return read_decimal(cur, i, col, p, n, err);
    case RK_TEXT:
    case RK_BYTES: cv_col_append_str(col, p, n); return 0;
    case RK_DATE:
    case RK_TIME:
    case RK_DATETIME: return read_temporal(cur, i, col, rk, p, n, err);
    }
    return 0;
}

/* ---- reading: cursors ---- */

static void kill_query(jdbc_conn *c)
{
    cv_err e;
    cv_err_clear(&e);
    MYSQL *k = jdbc__my_open_session(&c->p, NULL, NULL, c->where, &e);
    char sql[64];
    snprintf(sql, sizeof sql, "KILL QUERY %lu", mysql_thread_id(c->m));
    if (k && mysql_query(k, sql) == 0) {
        mysql_close(k);
        return;
    }
    /* no second session: cut this one off instead; it is lost */
    cv_debug("Jdbc: %s: %s; closing the connection", sql, k ? mysql_error(k) : e.msg);
    if (k) mysql_close(k);
    mariadb_cancel(c->m);
    c->broken = true;
}

void jdbc__my_cursor_close(jdbc_cursor *cur)
{
    if (!cur) return;
    jdbc_conn *c = cur->c;
    /* the rest of an unfinished result would be read to the end: stop
     * the query first */
    if (cur->streaming && !cur->done && !c->broken) kill_query(c);
    if (cur->res) mysql_free_result(cur->res);
    if (cur->st) mysql_stmt_close(cur->st);
    for (uint32_t i = 0; cur->buf && i < cur->t->ncols; i++) cv_free(cur->buf[i]);
    cv_free(cur->buf);
    cv_free(cur->bind);
    cv_free(cur->len);
    cv_free(cur->cap);
    cv_free(cur->isnull);
    cv_free(cur->trunc);
    cv_free(cur->num);
    cv_free(cur->rk);
    cv_free(cur);
}

/* The result's columns must still be the ones the table was described
 * with. */
static int check_fields(jdbc_cursor *cur, MYSQL_RES *md, cv_err *err)
{
    const cv_table *t = cur->t;
    unsigned n = mysql_num_fields(md);
    if (n != t->ncols)
        return cv_err_set(err, CV_EIO, "the query for %s now returns %u columns, not %u: did the table change?",
                          t->full_name, n, t->ncols);
    for (unsigned i = 0; i < n; i++) {
        fmap m;
        CV_TRY(jdbc__my_map_field(cur->c, mysql_fetch_field_direct(md, i), &m, err));
        if (!jdbc__my_fmap_matches(&m, t->cols[i].type)) {
            char tn[64];
            return cv_err_set(err, CV_EIO, "column %s of %s is no longer %s: did the table change?", t->cols[i].name,
                              t->full_name, cv_type_str(t->cols[i].type, tn, sizeof tn));
        }
        cur->rk[i] = m.rk;
    }
    return 0;
}

/* Binary protocol: numbers bound as numbers, everything else as text. */
static int bind_results(jdbc_cursor *cur, cv_err *err)
{
    uint32_t n = cur->t->ncols;
    cur->bind = cv_calloc(n, sizeof *cur->bind);
    cur->buf = cv_calloc(n, sizeof *cur->buf);
    cur->len = cv_calloc(n, sizeof *cur->len);
    cur->cap = cv_calloc(n, sizeof *cur->cap);
    cur->isnull = cv_calloc(n, sizeof *cur->isnull);
    cur->trunc = cv_calloc(n, sizeof *cur->trunc);
    cur->num = cv_calloc(n, sizeof *cur->num);
    if (!cur->bind || !cur->buf || !cur->len || !cur->cap || !cur->isnull || !cur->trunc || !cur->num)
        return jdbc_nomem(err);
    for (uint32_t i = 0; i < n; i++) {
        MYSQL_BIND *b = &cur->bind[i];
        b->length = &cur->len[i];
        b->is_null = &cur->isnull[i];
        b->error = &cur->trunc[i];
        switch (cur->rk[i]) {
        case RK_F32: b->buffer_type = MYSQL_TYPE_FLOAT, b->buffer = &cur->num[i].f; break;
        case RK_F64: b->buffer_type = MYSQL_TYPE_DOUBLE, b->buffer = &cur->num[i].d; break;
        case RK_BOOL:
        case RK_INT: b->buffer_type = MYSQL_TYPE_LONGLONG, b->buffer = &cur->num[i].i; break;
        default:
            cur->cap[i] = 64;
            if (!(cur->buf[i] = cv_malloc(cur->cap[i]))) return jdbc_nomem(err);
            b->buffer_type = MYSQL_TYPE_STRING;
            b->buffer = cur->buf[i];
            b->buffer_length = cur->cap[i] - 1; /* room for a terminator */
        }
    }
    return mysql_stmt_bind_result(cur->st, cur->bind) ? jdbc__my_stmt_fail(cur->c, cur->st, cur->where, err) : 0;
}

static int open_binary(jdbc_cursor *cur, const char *sql, cv_err *err)
{
    jdbc_conn *c = cur->c;
    char what[240];
    if (!(cur->st = mysql_stmt_init(c->m))) return jdbc_nomem(err);
    if (mysql_stmt_prepare(cur->st, sql, strlen(sql)) != 0)
        return jdbc__my_stmt_fail(c, cur->st, jdbc__my_sql_what(sql, what, sizeof what), err);
    MYSQL_RES *md = mysql_stmt_result_metadata(cur->st);
    if (!md) return cv_err_set(err, CV_EIO, "the query for %s returns no rows any more", cur->t->full_name);
    int rc = check_fields(cur, md, err);
    mysql_free_result(md);
    CV_TRY(rc);
    /* rows stream: nothing is stored client-side */
    if (mysql_stmt_execute(cur->st) != 0)
        return jdbc__my_stmt_fail(c, cur->st, jdbc__my_sql_what(sql, what, sizeof what), err);
    cur->streaming = true;
    return bind_results(cur, err);
}

static int open_text(jdbc_cursor *cur, const char *sql, cv_err *err)
{
    jdbc_conn *c = cur->c;
    char what[240];
    if (mysql_real_query(c->m, sql, strlen(sql)) != 0)
        return jdbc__my_fail(c, jdbc__my_sql_what(sql, what, sizeof what), err);
    if (!(cur->res = mysql_use_result(c->m))) {
        if (mysql_field_count(c->m)) return jdbc__my_fail(c, jdbc__my_sql_what(sql, what, sizeof what), err);
        return cv_err_set(err, CV_EIO, "the query for %s returns no rows any more", cur->t->full_name);
    }
    cur->streaming = true;
    return check_fields(cur, cur->res, err);
}

int jdbc__my_cursor_open(jdbc_conn *c, const char *sql, const cv_table *t, const char *label, jdbc_cursor **out,
                         cv_err *err)
{
    if (c->broken) {
        /* a reader's connection holds no transaction: open it again */
        cv_err e;
        cv_err_clear(&e);
        MYSQL *m = jdbc__my_open_session(&c->p, c->p.database, c, c->where, &e);
        if (!m) return cv_err_set(err, e.code, "%s", e.msg);
        mysql_close(c->m);
        c->m = m;
        c->broken = false;
        jdbc_connect_opts o = {.timeout_ms = c->timeout_ms, .read_only = c->read_only};
        CV_TRY(jdbc__my_session_setup(c, &o, err));
    }
    jdbc_cursor *cur = cv_calloc(1, sizeof *cur);
    if (!cur) return jdbc_nomem(err);
    cur->c = c;
    cur->t = t;
    snprintf(cur->where, sizeof cur->where, "%s (split %s)", t->full_name, label);
    bool floats = false;
    for (uint32_t i = 0; i < t->ncols; i++) floats |= t->cols[i].type->id == CV_T_F32;
    int rc = (cur->rk = cv_calloc(t->ncols + 1, sizeof *cur->rk)) ? 0 : jdbc_nomem(err);
    /* FLOAT columns print with 6 digits in the text protocol */
    if (rc == 0) rc = floats ? open_binary(cur, sql, err) : open_text(cur, sql, err);
    if (rc < 0) {
        jdbc__my_cursor_close(cur);
        return rc;
    }
    *out = cur;
    return 0;
}

static int fetch_text(jdbc_cursor *cur, cv_batch *b, bool *done, cv_err *err)
{
    uint32_t n = b->ncols;
    while (!cv_batch_full(b)) {
        MYSQL_ROW row = mysql_fetch_row(cur->res);
        if (!row) {
            if (mysql_errno(cur->c->m)) return jdbc__my_fail(cur->c, cur->where, err);
            *done = cur->done = true;
            break;
        }
        unsigned long *len = mysql_fetch_lengths(cur->res);
        cur->row++;
        for (uint32_t i = 0; i < n; i++) {
            if (!row[i])
                cv_col_append_null(&b->cols[i]);
            else
                CV_TRY(read_text(cur, i, &b->cols[i], row[i], len[i], err));
        }
        cv_batch_end_row(b, CV_ROW_INSERT);
    }
    return 0;
}

/* A value longer than its buffer: a bigger buffer, kept for the rows to
 * come, and the value fetched again. */
/* A value longer than its buffer: grow the buffer and fetch the value
 * again. The new buffer is bound only after the whole row is read
 * (rebind): binding resets libmariadb's pointers into the current row, so
 * a second long value of the same row would be fetched from garbage. */
static int refetch(jdbc_cursor *cur, uint32_t i, cv_err *err)
{
    unsigned long need = cur->len[i] + 1;
    char *p = cv_realloc(cur->buf[i], need);
    if (!p) return jdbc_nomem(err);
    cur->buf[i] = p;
    cur->cap[i] = need;
    cur->bind[i].buffer = p;
    cur->bind[i].buffer_length = need - 1;
    return mysql_stmt_fetch_column(cur->st, &cur->bind[i], i, 0) != 0
               ? jdbc__my_stmt_fail(cur->c, cur->st, cur->where, err)
               : 0;
}

static int rebind(jdbc_cursor *cur, cv_err *err)
{
    return mysql_stmt_bind_result(cur->st, cur->bind) ? jdbc__my_stmt_fail(cur->c, cur->st, cur->where, err) : 0;
}

static int fetch_binary(jdbc_cursor *cur, cv_batch *b, bool *done, cv_err *err)
{
    uint32_t n = b->ncols;
    while (!cv_batch_full(b)) {
        int rc = mysql_stmt_fetch(cur->st);
        if (rc == MYSQL_NO_DATA) {
            *done = cur->done = true;
            break;
        }
        if (rc == 1) return jdbc__my_stmt_fail(cur->c, cur->st, cur->where, err);
        cur->row++;
        bool grown = false;
        for (uint32_t i = 0; i < n; i++) {
            cv_col *col = &b->cols[i];
            if (cur->isnull[i]) {
                cv_col_append_null(col);
                continue;
            }
            switch (cur->rk[i]) {
            case RK_F32: cv_col_append_f32(col, cur->num[i].f); break;
            case RK_F64: cv_col_append_f64(col, cur->num[i].d); break;
            case RK_BOOL: CV_TRY(read_bool(cur, i, col, cur->num[i].i, err)); break;
            case RK_INT: CV_TRY(int_range(cur, i, col, cur->num[i].i, err)); break;
            default:
                if (cur->trunc[i]) {
                    CV_TRY(refetch(cur, i, err));
                    grown = true;
                }
                cur->buf[i][cur->len[i]] = '\0';
                CV_TRY(read_text(cur, i, col, cur->buf[i], cur->len[i], err));
            }
        }
        if (grown) CV_TRY(rebind(cur, err));
        cv_batch_end_row(b, CV_ROW_INSERT);
    }
    return 0;
}

int jdbc__my_cursor_fetch(jdbc_cursor *cur, cv_batch *b, bool *done, cv_err *err)
{
    *done = cur->done;
    if (cur->done) return 0;
    CV_TRY(cur->st ? fetch_binary(cur, b, done, err) : fetch_text(cur, b, done, err));
    return cv_batch_check(b, err);
}

#endif /* CV_HAVE_MARIADB */
