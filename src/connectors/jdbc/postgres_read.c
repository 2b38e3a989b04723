/* postgres_read.c — the PostgreSQL dialect's reading side: a query's
 * result columns mapped to culvert types, rows streamed by COPY … TO
 * STDOUT (FORMAT binary) and decoded value by value, strictly (a value
 * that does not fit its column is an error naming table, column and row),
 * and the SQL-text scanning the source needs. postgres.c's opening comment
 * has the whole design. */
#include "jdbc.h"

#ifdef CV_HAVE_LIBPQ

#include "postgres_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- types, read side --------------------------------------------------------------- */

/* numeric(p,s) → the culvert decimal that holds every value of it: a
 * negative scale (PostgreSQL 15) means integral values with |s| more
 * digits, a scale above the precision leading fractional zeros. 0 when no
 * culvert decimal holds it (more than 38 digits). */
bool jdbc__pg_numeric_fit(int32_t mod, unsigned *p, unsigned *s)
{
    if (mod < VARHDRSZ) {
        *p = 38; /* no typmod: SeaTunnel's decimal(38, 18) */
        *s = 18;
        return true;
    }
    int32_t tp = ((mod - VARHDRSZ) >> 16) & 0xffff;
    int32_t ts = (((mod - VARHDRSZ) & 0x7ff) ^ 1024) - 1024;
    int32_t ints = CV_MAX(tp - ts, 0), frac = CV_MAX(ts, 0);
    if (ints + frac < 1 || ints + frac > CV_DECIMAL_MAX_PRECISION) return false;
    *p = (unsigned)(ints + frac);
    *s = (unsigned)frac;
    return true;
}

/* A scalar type (domains resolved) whose binary form culvert decodes. */
static bool map_scalar(cv_arena *a, Oid oid, int32_t mod, const cv_type **type, int64_t *length, uint8_t *dk)
{
    cv_type_id id;
    *length = 0;
    switch (oid) {
    case OID_BOOL: id = CV_T_BOOL, *dk = RD_BOOL; break;
    case OID_INT2: id = CV_T_I16, *dk = RD_INT2; break;
    case OID_INT4: id = CV_T_I32, *dk = RD_INT4; break;
    case OID_INT8: id = CV_T_I64, *dk = RD_INT8; break;
    case OID_OID: id = CV_T_I64, *dk = RD_OID; break;
    case OID_FLOAT4: id = CV_T_F32, *dk = RD_FLOAT4; break;
    case OID_FLOAT8: id = CV_T_F64, *dk = RD_FLOAT8; break;
    case OID_NUMERIC: {
        unsigned p, s;
        if (!jdbc__pg_numeric_fit(mod, &p, &s)) return false;
        *type = cv_type_decimal(a, p, s);
        *dk = RD_NUMERIC;
        return true;
    }
    case OID_VARCHAR:
    case OID_BPCHAR:
        if (mod >= VARHDRSZ) *length = mod - VARHDRSZ;
        id = CV_T_STRING, *dk = RD_TEXT;
        break;
    case OID_TEXT:
    case OID_NAME:
    case OID_JSON:
    case OID_XML:
    case OID_UNKNOWN: id = CV_T_STRING, *dk = RD_TEXT; break;
    case OID_JSONB: id = CV_T_STRING, *dk = RD_JSONB; break;
    case OID_UUID: id = CV_T_STRING, *dk = RD_UUID; break;
    case OID_BYTEA: id = CV_T_BYTES, *dk = RD_BYTEA; break;
    case OID_DATE: id = CV_T_DATE, *dk = RD_DATE; break;
    case OID_TIME: id = CV_T_TIME, *dk = RD_TIME; break;
    case OID_TIMESTAMP: id = CV_T_TIMESTAMP, *dk = RD_TIMESTAMP; break;
    case OID_TIMESTAMPTZ: id = CV_T_TIMESTAMP_TZ, *dk = RD_TIMESTAMP; break;
    default: return false;
    }
    *type = cv_type_prim(id);
    return true;
}

/* A result column's type → culvert type, length and how to read it. */
static int map_type(jdbc_conn *c, cv_arena *a, Oid oid, int32_t mod, const cv_type **type, int64_t *length, rd_col *rd,
                    cv_err *err)
{
    const pg_typinfo *info;
    memset(rd, 0, sizeof *rd);
    CV_TRY(jdbc__pg_typ_base(c, &oid, &mod, &info, err));
    *type = NULL;
    if (map_scalar(a, oid, mod, type, length, &rd->dk)) return *type ? 0 : jdbc_nomem(err);
    *length = 0;
    if (jdbc__pg_is_array(info)) {
        /* an array column's typmod is its elements' */
        Oid eoid = info->elem;
        int32_t emod = mod;
        const pg_typinfo *einfo;
        const cv_type *et = NULL;
        int64_t elen;
        CV_TRY(jdbc__pg_typ_base(c, &eoid, &emod, &einfo, err));
        rd->dk = RD_ARRAY;
        if (!map_scalar(a, eoid, emod, &et, &elen, &rd->edk)) {
            et = cv_type_prim(CV_T_STRING); /* elements as text: uuid[]… are binary, inet[] are not */
            rd->edk = RD_TEXT;
            rd->cast = eoid == OID_INET ? CAST_INET_ARRAY : CAST_TEXT_ARRAY;
        }
        *type = et ? cv_type_array(a, et) : NULL;
        return *type ? 0 : jdbc_nomem(err);
    }
    if (info && info->typtype == 'e') {
        rd->dk = RD_TEXT; /* an enum's binary form is its label */
    } else {
        rd->dk = RD_TEXT; /* everything else reads as its text form */
        rd->cast = oid == OID_INET ? CAST_INET : CAST_TEXT;
    }
    *type = cv_type_prim(CV_T_STRING);
    return 0;
}

/* "{a,b,c}" of unsigned or signed integers, for array parameters. */
static void int_list(cv_buf *b, const void *v, uint32_t n, bool is_signed, size_t width)
{
    cv_buf_putc(b, '{');
    for (uint32_t i = 0; i < n; i++) {
        int64_t x;
        if (width == 2)
            x = ((const int16_t *)v)[i];
        else if (is_signed)
            x = ((const int32_t *)v)[i];
        else
            x = ((const Oid *)v)[i];
        cv_buf_printf(b, "%s%lld", i ? "," : "", (long long)x);
    }
    cv_buf_putc(b, '}');
}

/* Prepare sql as the unnamed statement and describe its result. */
static int prepare_describe(jdbc_conn *c, const char *sql, PGresult **out, cv_err *err)
{
    PGresult *res = PQprepare(c->pg, "", sql, 0, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        int rc = jdbc__pg_res_fail(c, res, "preparing the query", false, err);
        PQclear(res);
        return rc;
    }
    PQclear(res);
    PGresult *d = PQdescribePrepared(c->pg, "");
    if (PQresultStatus(d) != PGRES_COMMAND_OK) {
        int rc = jdbc__pg_res_fail(c, d, "describing the query", false, err);
        PQclear(d);
        return rc;
    }
    if (PQnfields(d) == 0) {
        PQclear(d);
        return cv_err_set(err, CV_ECONFIG, "the query returns no columns%s", "");
    }
    *out = d;
    return 0;
}

int jdbc__pg_describe(jdbc_conn *c, const char *sql, cv_arena *a, jdbc_result_col **cols, uint32_t *ncols, cv_err *err)
{
    PGresult *d;
    CV_TRY(prepare_describe(c, sql, &d, err));
    int n = PQnfields(d);
    Oid *oids = cv_malloc((size_t)n * sizeof *oids), *rels = cv_malloc((size_t)n * sizeof *rels);
    int32_t *mods = cv_malloc((size_t)n * sizeof *mods);
    int16_t *nums = cv_malloc((size_t)n * sizeof *nums);
    jdbc_result_col *v = cv_arena_zalloc(a, (size_t)n * sizeof *v);
    int rc = oids && rels && mods && nums && v ? 0 : jdbc_nomem(err);
    for (int i = 0; rc == 0 && i < n; i++) {
        oids[i] = PQftype(d, i);
        mods[i] = PQfmod(d, i);
        rels[i] = PQftable(d, i);
        nums[i] = (int16_t)PQftablecol(d, i);
        if (!(v[i].name = cv_arena_strdup(a, PQfname(d, i)))) rc = jdbc_nomem(err);
    }
    PQclear(d);
    if (rc == 0) rc = jdbc__pg_typ_load(c, oids, (uint32_t)n, err);
    /* declared type names, NOT NULL and the tables the columns come from */
    cv_buf lists[4];
    for (int k = 0; k < 4; k++) cv_buf_init(&lists[k]);
    if (rc == 0) {
        int_list(&lists[0], oids, (uint32_t)n, false, 4);
        int_list(&lists[1], mods, (uint32_t)n, true, 4);
        int_list(&lists[2], rels, (uint32_t)n, false, 4);
        int_list(&lists[3], nums, (uint32_t)n, true, 2);
        if (lists[0].oom || lists[1].oom || lists[2].oom || lists[3].oom) rc = jdbc_nomem(err);
    }
    PGresult *cat = NULL;
    if (rc == 0) {
        const char *vals[4] = {lists[0].data, lists[1].data, lists[2].data, lists[3].data};
        rc = jdbc__pg_run_params(c,
                                 "SELECT format_type(coalesce(a.atttypid, k.typ), coalesce(a.atttypmod, k.mod)), "
                                 "a.attnotnull, c.relname, n.nspname "
                                 "FROM unnest($1::oid[], $2::int4[], $3::oid[], $4::int2[]) WITH ORDINALITY AS "
                                 "k(typ, mod, rel, num, i) "
                                 "LEFT JOIN pg_attribute a ON a.attrelid = k.rel AND a.attnum = k.num AND k.num > 0 "
                                 "LEFT JOIN pg_class c ON c.oid = k.rel "
                                 "LEFT JOIN pg_namespace n ON n.oid = c.relnamespace ORDER BY k.i",
                                 4, vals, PGRES_TUPLES_OK, &cat, err);
    }
    for (int k = 0; k < 4; k++) cv_buf_free(&lists[k]);
    const char *dbname = PQdb(c->pg);
    for (int i = 0; rc == 0 && i < n; i++) {
        jdbc_result_col *col = &v[i];
        rd_col rd;
        rc = map_type(c, a, oids[i], mods[i], &col->type, &col->length, &rd, err);
        if (rc < 0) break;
        cv_type_id id = col->type->id;
        if ((id == CV_T_TIME || id == CV_T_TIMESTAMP || id == CV_T_TIMESTAMP_TZ) && mods[i] >= 0 && mods[i] <= 6)
            col->scale = mods[i]; /* time(p), timestamp(p): copied tables keep p */
        col->nullable = true;
        if (i >= PQntuples(cat)) continue;
        if (!PQgetisnull(cat, i, 0) && !(col->decl = cv_arena_strdup(a, PQgetvalue(cat, i, 0)))) rc = jdbc_nomem(err);
        if (!PQgetisnull(cat, i, 1)) col->nullable = PQgetvalue(cat, i, 1)[0] != 't';
        if (!PQgetisnull(cat, i, 2) && !PQgetisnull(cat, i, 3)) {
            /* database.schema, so that a query's table is named
             * database.schema.table as SeaTunnel names it */
            col->origin_table = cv_arena_strdup(a, PQgetvalue(cat, i, 2));
            col->origin_db = cv_arena_printf(a, "%s.%s", dbname, PQgetvalue(cat, i, 3));
            if (!col->origin_table || !col->origin_db) rc = jdbc_nomem(err);
        }
    }
    PQclear(cat);
    cv_free(oids);
    cv_free(rels);
    cv_free(mods);
    cv_free(nums);
    if (rc < 0) return rc;
    *cols = v;
    *ncols = (uint32_t)n;
    return 0;
}

/* ---- cursors: COPY … TO STDOUT (FORMAT binary) -------------------------------------------- */

static int cur_fail(jdbc_cursor *cur, const PGresult *res, cv_err *err)
{
    char what[300];
    snprintf(what, sizeof what, "reading %s after %llu rows", cur->where, (unsigned long long)cur->row);
    return jdbc__pg_res_fail(cur->c, res, what, false, err);
}

static int malformed(jdbc_cursor *cur, const char *why, cv_err *err)
{
    return cv_err_set(err, CV_EIO, "PostgreSQL: reading %s, row %llu: malformed COPY data (%s)", cur->where,
                      (unsigned long long)cur->row, why);
}

static int bad_value(jdbc_cursor *cur, uint32_t ci, cv_err *err, const char *fmt, ...) CV_PRINTF(4, 5);
static int bad_value(jdbc_cursor *cur, uint32_t ci, cv_err *err, const char *fmt, ...)
{
    char why[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return jdbc_value_error(err, cur->where, cur->t->cols[ci].name, cur->row, "%s", why);
}

/* A numeric's base-10000 digits → the unscaled value at the column's
 * scale, exactly; digits the scale cannot hold are an error. */
static int dec_numeric(jdbc_cursor *cur, uint32_t ci, cv_col *col, const char *p, int32_t len, cv_err *err)
{
    if (len < 8) return malformed(cur, "short numeric", err);
    int ndig = (int16_t)get16(p), weight = (int16_t)get16(p + 2);
    uint16_t sign = get16(p + 4);
    if (ndig < 0 || len != 8 + 2 * ndig) return malformed(cur, "numeric length", err);
    if (sign != NUMERIC_POS && sign != NUMERIC_NEG)
        return bad_value(cur, ci, err, "%s is not a number a decimal column can hold",
                         sign == 0xC000   ? "NaN"
                         : sign == 0xD000 ? "Infinity"
                                          : "-Infinity");
    int scale = col->type->scale, prec = col->type->precision;
    cv_i128 acc = 0, term;
    char tn[64];
    for (int i = 0; i < ndig; i++) {
        int d = get16(p + 8 + 2 * i);
        if (d == 0) continue;
        if (d >= 10000) return malformed(cur, "numeric digit", err);
        int x = 4 * (weight - i) + scale; /* the digit's power of ten, unscaled */
        if (x < 0) {
            if (x <= -4 || d % (int)jdbc__pg_p10[-x] != 0)
                return bad_value(cur, ci, err, "the value has more decimal places than %s holds (it would be rounded)",
                                 cv_type_str(col->type, tn, sizeof tn));
            acc += d / (int)jdbc__pg_p10[-x];
        } else if (x > CV_DECIMAL_MAX_PRECISION || __builtin_mul_overflow(jdbc__pg_p10[x], (cv_i128)d, &term) ||
                   __builtin_add_overflow(acc, term, &acc) || acc >= jdbc__pg_p10[prec]) {
            return bad_value(cur, ci, err, "the value does not fit %s", cv_type_str(col->type, tn, sizeof tn));
        }
    }
    if (acc >= jdbc__pg_p10[prec])
        return bad_value(cur, ci, err, "the value does not fit %s", cv_type_str(col->type, tn, sizeof tn));
    cv_col_append_dec(col, sign == NUMERIC_NEG ? -acc : acc);
    return 0;
}

static void put_uuid(cv_col *col, const unsigned char *u)
{
    static const char hex[] = "0123456789abcdef";
    char s[36];
    int k = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s[k++] = '-';
        s[k++] = hex[u[i] >> 4];
        s[k++] = hex[u[i] & 15];
    }
    cv_col_append_str(col, s, 36);
}

static int dec_value(jdbc_cursor *cur, uint32_t ci, uint8_t dk, uint8_t edk, cv_col *col, const char *p, int32_t len,
                     cv_err *err);

/* A one-dimensional array; lower bounds other than 1 are not kept. */
static int dec_array(jdbc_cursor *cur, uint32_t ci, uint8_t edk, cv_col *col, const char *p, int32_t len, cv_err *err)
{
    if (len < 12) return malformed(cur, "short array", err);
    int32_t ndim = (int32_t)get32(p);
    if (ndim == 0) {
        cv_col_append_list(col, 0);
        return 0;
    }
    if (ndim != 1)
        return bad_value(cur, ci, err, "a %d-dimensional array cannot be read as culvert's array type (one dimension)",
                         (int)ndim);
    if (len < 20) return malformed(cur, "short array", err);
    int32_t count = (int32_t)get32(p + 12);
    const char *q = p + 20, *end = p + len;
    cv_col *child = &col->child[0];
    for (int32_t k = 0; k < count; k++) {
        if (end - q < 4) return malformed(cur, "array element", err);
        int32_t elen = (int32_t)get32(q);
        q += 4;
        if (elen < 0) {
            cv_col_append_null(child);
            continue;
        }
        if (end - q < elen) return malformed(cur, "array element", err);
        CV_TRY(dec_value(cur, ci, edk, 0, child, q, elen, err));
        q += elen;
    }
    cv_col_append_list(col, (uint32_t)count);
    return 0;
}

/* One non-NULL value in its binary form → one value appended to col. */
static int dec_value(jdbc_cursor *cur, uint32_t ci, uint8_t dk, uint8_t edk, cv_col *col, const char *p, int32_t len,
                     cv_err *err)
{
    static const int8_t width[] = {
        [RD_BOOL] = 1,   [RD_INT2] = 2,  [RD_INT4] = 4, [RD_INT8] = 8, [RD_OID] = 4,      [RD_FLOAT4] = 4,
        [RD_FLOAT8] = 8, [RD_UUID] = 16, [RD_DATE] = 4, [RD_TIME] = 8, [RD_TIMESTAMP] = 8};
    if (dk < CV_ARRAY_LEN(width) && width[dk] && len != width[dk]) return malformed(cur, "value length", err);
    switch (dk) {
    case RD_BOOL: cv_col_append_bool(col, p[0] != 0); return 0;
    case RD_INT2: cv_col_append_i16(col, (int16_t)get16(p)); return 0;
    case RD_INT4: cv_col_append_i32(col, (int32_t)get32(p)); return 0;
    case RD_INT8: cv_col_append_i64(col, (int64_t)get64(p)); return 0;
    case RD_OID: cv_col_append_i64(col, (int64_t)get32(p)); return 0;
    case RD_FLOAT4: {
        uint32_t u = get32(p);
        float f;
        memcpy(&f, &u, 4);
        cv_col_append_f32(col, f);
        return 0;
    }
    case RD_FLOAT8: {
        uint64_t u = get64(p);
        double d;
        memcpy(&d, &u, 8);
        cv_col_append_f64(col, d);
        return 0;
    }
    case RD_NUMERIC: return dec_numeric(cur, ci, col, p, len, err);
    case RD_TEXT:
    case RD_BYTEA: cv_col_append_str(col, p, (size_t)len); return 0;
    case RD_JSONB:
        if (len < 1 || p[0] != 1) return malformed(cur, "jsonb version", err);
        cv_col_append_str(col, p + 1, (size_t)len - 1);
        return 0;
    case RD_UUID: put_uuid(col, (const unsigned char *)p); return 0;
    case RD_DATE: {
        int32_t d = (int32_t)get32(p);
        if (d == INT32_MAX || d == INT32_MIN)
            return bad_value(cur, ci, err, "%s cannot be read as a date", d > 0 ? "infinity" : "-infinity");
        cv_col_append_i32(col, d + PG_EPOCH_DAYS);
        return 0;
    }
    case RD_TIME: {
        int64_t us = (int64_t)get64(p);
        if (us >= 86400000000LL) return bad_value(cur, ci, err, "%s is not a time of day culvert holds", "24:00:00");
        cv_col_append_i64(col, us * 1000);
        return 0;
    }
    case RD_TIMESTAMP: {
        int64_t us = (int64_t)get64(p), v;
        if (us == INT64_MAX || us == INT64_MIN)
            return bad_value(cur, ci, err, "%s cannot be read as a timestamp", us > 0 ? "infinity" : "-infinity");
        if (__builtin_add_overflow(us, PG_EPOCH_US, &v))
            return bad_value(cur, ci, err, "%s", "the timestamp is beyond culvert's range");
        cv_col_append_i64(col, v);
        return 0;
    }
    case RD_ARRAY: return dec_array(cur, ci, edk, col, p, len, err);
    default: return malformed(cur, "decoder", err);
    }
}

enum { TUPLE_OK, TUPLE_SHORT, TUPLE_END };

/* Decode one tuple from p[0..n): TUPLE_OK (*used bytes), TUPLE_SHORT when
 * the bytes end inside it, TUPLE_END at the trailer, or an error. */
static int dec_tuple(jdbc_cursor *cur, cv_batch *b, const char *p, size_t n, size_t *used, cv_err *err)
{
    if (n < 2) return TUPLE_SHORT;
    int16_t nf = (int16_t)get16(p);
    if (nf == -1) {
        *used = 2;
        return TUPLE_END;
    }
    if ((uint32_t)nf != b->ncols) return malformed(cur, "field count", err);
    const char *q = p + 2, *end = p + n;
    cur->row++;
    for (uint32_t i = 0; i < b->ncols; i++) {
        if (end - q < 4) return TUPLE_SHORT;
        int32_t len = (int32_t)get32(q);
        q += 4;
        if (len < 0) {
            cv_col_append_null(&b->cols[i]);
            continue;
        }
        if (end - q < len) return TUPLE_SHORT;
        CV_TRY(dec_value(cur, i, cur->rd[i].dk, cur->rd[i].edk, &b->cols[i], q, len, err));
        q += len;
    }
    cv_batch_end_row(b, CV_ROW_INSERT);
    *used = (size_t)(q - p);
    return TUPLE_OK;
}

static void cur_release_msg(jdbc_cursor *cur)
{
    if (cur->msg) PQfreemem(cur->msg);
    cur->msg = NULL;
}

/* The next CopyData message: 0, 1 at the end of the COPY, or an error. */
static int cur_next_msg(jdbc_cursor *cur, cv_err *err)
{
    cur_release_msg(cur);
    char *buf;
    int len = PQgetCopyData(cur->c->pg, &buf, 0);
    if (len > 0) {
        cur->msg = buf;
        if (cur->carry.len) {
            cv_buf_put(&cur->carry, buf, (size_t)len);
            cur_release_msg(cur);
            if (cur->carry.oom) return jdbc_nomem(err);
            cur->p = cur->carry.data;
            cur->n = cur->carry.len;
        } else {
            cur->p = buf;
            cur->n = (size_t)len;
        }
        return 0;
    }
    cur->copying = false;
    PGresult *res = PQgetResult(cur->c->pg);
    int rc = len == -1 && PQresultStatus(res) == PGRES_COMMAND_OK ? 1 : cur_fail(cur, res, err);
    PQclear(res);
    while ((res = PQgetResult(cur->c->pg)) != NULL) PQclear(res);
    return rc;
}

static int cur_header(jdbc_cursor *cur, cv_err *err)
{
    if (cur->n < 19 || memcmp(cur->p, COPY_SIGNATURE, 11) != 0) return malformed(cur, "header", err);
    uint32_t flags = get32(cur->p + 11), ext = get32(cur->p + 15);
    if (flags & (1u << 16)) return malformed(cur, "rows with OIDs", err);
    if (cur->n - 19 < ext) return malformed(cur, "header extension", err);
    cur->p += 19 + ext;
    cur->n -= 19 + ext;
    cur->header = true;
    return 0;
}

int jdbc__pg_cursor_fetch(jdbc_cursor *cur, cv_batch *b, bool *done, cv_err *err)
{
    *done = false;
    while (!cv_batch_full(b)) {
        if (!cur->copying && !cur->n) {
            *done = true;
            break;
        }
        if (!cur->n) {
            cv_buf_reset(&cur->carry);
            int rc = cur_next_msg(cur, err);
            if (rc < 0) return rc;
            if (rc == 1) {
                *done = true;
                break;
            }
            if (!cur->header) CV_TRY(cur_header(cur, err));
            continue;
        }
        uint32_t before = b->nrows;
        size_t used = 0;
        int rc = dec_tuple(cur, b, cur->p, cur->n, &used, err);
        if (rc < 0) {
            cv_batch_truncate(b, before);
            return rc;
        }
        if (rc == TUPLE_SHORT) {
            /* PostgreSQL sends a tuple per message; others may split one */
            cv_batch_truncate(b, before);
            cur->row--;
            if (!cur->copying) return malformed(cur, "the data ends inside a row", err);
            if (cur->carry.len && cur->p >= cur->carry.data && cur->p < cur->carry.data + cur->carry.len) {
                memmove(cur->carry.data, cur->p, cur->n);
                cur->carry.len = cur->n;
            } else {
                cv_buf_reset(&cur->carry);
                cv_buf_put(&cur->carry, cur->p, cur->n);
                if (cur->carry.oom) return jdbc_nomem(err);
            }
            rc = cur_next_msg(cur, err);
            if (rc < 0) return rc;
            if (rc == 1) return malformed(cur, "the data ends inside a row", err);
            continue;
        }
        cur->p += used;
        cur->n -= used;
        if (rc == TUPLE_END) {
            cur->n = 0;
            if (cur->copying) {
                int end = cur_next_msg(cur, err); /* -1 and the COPY's result */
                if (end < 0) return end;
                if (end == 0) return malformed(cur, "data after the trailer", err);
            }
            *done = true;
            break;
        }
    }
    return cv_batch_check(b, err);
}

/* Stop a COPY that is still sending: cancel it and read what is in flight,
 * so that the connection can run the next statement. */
static void cur_stop(jdbc_cursor *cur)
{
    if (!cur->copying) return;
    cur_release_msg(cur);
    PGconn *pg = cur->c->pg;
    if (PQstatus(pg) == CONNECTION_OK) {
        char why[256];
        PGcancel *cn = PQgetCancel(pg);
        if (cn) {
            PQcancel(cn, why, sizeof why);
            PQfreeCancel(cn);
        }
        char *buf;
        int len;
        while ((len = PQgetCopyData(pg, &buf, 0)) > 0) PQfreemem(buf);
    }
    PGresult *res = NULL;
    while ((res = PQgetResult(pg)) != NULL) PQclear(res);
    cur->copying = false;
}

void jdbc__pg_cursor_close(jdbc_cursor *cur)
{
    if (!cur) return;
    cur_stop(cur);
    cv_buf_free(&cur->carry);
    cv_free(cur->rd);
    cv_free(cur);
}

/* ---- SQL text ---- */

static bool ident_char(char ch)
{
    return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           (unsigned char)ch >= 0x80;
}

/* The end of the token at p: a quoted string or identifier ('…', E'…',
 * "…", $tag$…$tag$), a comment (-- …, nested block comments), a blank,
 * or one other character. */
const char *jdbc__pg_sql_token(const char *sql, const char *p, int *kind)
{
    *kind = TOK_QUOTED;
    if (*p == '\'' || *p == '"') {
        char q = *p;
        bool esc = q == '\'' && p > sql && (p[-1] == 'E' || p[-1] == 'e') && (p - 1 == sql || !ident_char(p[-2]));
        for (p++; *p; p++) {
            if (esc && *p == '\\' && p[1])
                p++;
            else if (*p == q && p[1] == q)
                p++;
            else if (*p == q)
                return p + 1;
        }
        return p;
    }
    if (*p == '$' && (p == sql || !ident_char(p[-1])) && !(p[1] >= '0' && p[1] <= '9')) {
        const char *e = p + 1;
        while (ident_char(*e)) e++;
        if (*e == '$') {
            size_t tl = (size_t)(e - p + 1);
            const char *close = e + 1;
            while (*close && strncmp(close, p, tl) != 0) close++;
            return *close ? close + tl : close;
        }
    }
    *kind = TOK_COMMENT;
    if (p[0] == '-' && p[1] == '-') {
        while (*p && *p != '\n') p++;
        return p;
    }
    if (p[0] == '/' && p[1] == '*') {
        int depth = 0;
        do {
            if (p[0] == '/' && p[1] == '*')
                depth++, p += 2;
            else if (p[0] == '*' && p[1] == '/')
                depth--, p += 2;
            else
                p++;
        } while (*p && depth > 0);
        return p;
    }
    *kind = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' ? TOK_SPACE : TOK_CHAR;
    return p + 1;
}

/* The length of sql without what may trail a statement but not a
 * subquery: blanks, comments and semicolons. */
static size_t sql_trimmed_len(const char *sql)
{
    size_t len = 0;
    for (const char *p = sql; *p;) {
        int kind;
        const char *e = jdbc__pg_sql_token(sql, p, &kind);
        if (kind == TOK_QUOTED || (kind == TOK_CHAR && *p != ';')) len = (size_t)(e - sql);
        p = e;
    }
    return len;
}

/* Column i of the wrapped query, cast to text the way psql and PgJDBC
 * show it (the type's output function). inet is the one type whose cast
 * to text differs from its output (the cast keeps a /32 netmask); abbrev
 * gives the output's form. */
static void cast_col(cv_buf *out, uint32_t i, uint8_t cast)
{
    switch (cast) {
    case CAST_TEXT: cv_buf_printf(out, "t.c%u::text", i); break;
    case CAST_TEXT_ARRAY: cv_buf_printf(out, "t.c%u::text[]", i); break;
    case CAST_INET: cv_buf_printf(out, "abbrev(t.c%u)", i); break;
    case CAST_INET_ARRAY:
        cv_buf_printf(out,
                      "CASE WHEN t.c%u IS NULL THEN NULL ELSE ARRAY(SELECT abbrev(e) FROM unnest(t.c%u) "
                      "WITH ORDINALITY AS u(e, o) ORDER BY o) END",
                      i, i);
        break;
    default: cv_buf_printf(out, "t.c%u", i); break;
    }
}

/* The COPY for a query: wrapped when a column reads as text. */
void jdbc__pg_copy_sql(const char *sql, const rd_col *rd, uint32_t n, cv_buf *out)
{
    size_t len = sql_trimmed_len(sql);
    bool cast = false;
    for (uint32_t i = 0; i < n; i++) cast |= rd[i].cast != CAST_NONE;
    cv_buf_puts(out, "COPY (");
    if (cast) {
        /* the column alias list names the columns by position: the query's
         * own names may repeat or need quoting */
        cv_buf_puts(out, "SELECT ");
        for (uint32_t i = 0; i < n; i++) {
            if (i) cv_buf_puts(out, ", ");
            cast_col(out, i, rd[i].cast);
        }
        cv_buf_puts(out, " FROM (");
    }
    cv_buf_put(out, sql, len);
    if (cast) {
        cv_buf_puts(out, ") AS t(");
        for (uint32_t i = 0; i < n; i++) cv_buf_printf(out, "%sc%u", i ? ", " : "", i);
        cv_buf_putc(out, ')');
    }
    cv_buf_puts(out, ") TO STDOUT (FORMAT binary)");
}

int jdbc__pg_cursor_open(jdbc_conn *c, const char *sql, const cv_table *t, const char *label, jdbc_cursor **out,
                         cv_err *err)
{
    jdbc_cursor *cur = cv_calloc(1, sizeof *cur);
    if (!cur) return jdbc_nomem(err);
    cur->c = c;
    cur->t = t;
    cv_buf_init(&cur->carry);
    snprintf(cur->where, sizeof cur->where, "%s (split %s)", t->full_name, label);
    cv_arena_reset(&c->arena);
    PGresult *d = NULL;
    int rc = prepare_describe(c, sql, &d, err);
    uint32_t n = rc == 0 ? (uint32_t)PQnfields(d) : 0;
    if (rc == 0 && n != t->ncols)
        rc = cv_err_set(err, CV_EIO, "the query for %s now returns %u columns, not %u: did the table change?",
                        t->full_name, n, t->ncols);
    if (rc == 0 && !(cur->rd = cv_calloc(n, sizeof *cur->rd))) rc = jdbc_nomem(err);
    /* the decoders follow the OIDs the server sends now; they must give the
     * types the plan was made with */
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        const cv_type *ty;
        int64_t len;
        rc = map_type(c, &c->arena, PQftype(d, (int)i), PQfmod(d, (int)i), &ty, &len, &cur->rd[i], err);
        if (rc == 0 && !cv_type_equal(ty, t->cols[i].type)) {
            char a[64], b[64];
            rc = cv_err_set(err, CV_EIO, "column %s of %s is now %s, not %s: did the table change?", t->cols[i].name,
                            t->full_name, cv_type_str(ty, a, sizeof a), cv_type_str(t->cols[i].type, b, sizeof b));
        }
    }
    PQclear(d);
    cv_buf q;
    cv_buf_init(&q);
    if (rc == 0) {
        jdbc__pg_copy_sql(sql, cur->rd, n, &q);
        if (q.oom) rc = jdbc_nomem(err);
    }
    if (rc == 0) {
        PGresult *res = PQexec(c->pg, q.data);
        if (PQresultStatus(res) == PGRES_COPY_OUT)
            cur->copying = true;
        else
            rc = cur_fail(cur, res, err);
        PQclear(res);
    }
    cv_buf_free(&q);
    if (rc < 0) {
        jdbc__pg_cursor_close(cur);
        return rc;
    }
    *out = cur;
    return 0;
}

#endif /* CV_HAVE_LIBPQ */
