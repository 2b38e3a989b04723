/* batch.c — columnar batches. Columns grow by doubling with cv_realloc;
 * the batch owns every buffer and frees them in one call. Growth failures
 * are recorded in the batch's sticky error instead of being returned from
 * each append, which keeps producers' hot loops free of error plumbing. */
#include "data.h"

#include <stdatomic.h>
#include <string.h>

#define REFS(b) ((_Atomic int *)&(b)->refs)

static bool has_offsets(const cv_type *t)
{
    return t->id == CV_T_STRING || t->id == CV_T_BYTES || t->id == CV_T_ARRAY || t->id == CV_T_MAP;
}

static void col_init(cv_col *c, const cv_type *t, cv_batch *owner)
{
    memset(c, 0, sizeof *c);
    c->type = t;
    c->owner = owner;
    switch (t->id) {
    case CV_T_ARRAY: c->nchild = 1; break;
    case CV_T_MAP: c->nchild = 2; break;
    case CV_T_ROW: c->nchild = t->nfields; break;
    default: break;
    }
    if (c->nchild) {
        c->child = cv_calloc(c->nchild, sizeof *c->child);
        if (!c->child) {
            c->nchild = 0;
            owner->err = CV_ENOMEM;
            return;
        }
        if (t->id == CV_T_ARRAY)
            col_init(&c->child[0], t->elem, owner);
        else if (t->id == CV_T_MAP) {
            col_init(&c->child[0], t->elem, owner);
            col_init(&c->child[1], t->value, owner);
        } else
            for (uint32_t i = 0; i < t->nfields; i++) col_init(&c->child[i], t->fields[i].type, owner);
    }
}

static void col_free(cv_col *c)
{
    for (uint32_t i = 0; i < c->nchild; i++) col_free(&c->child[i]);
    cv_free(c->child);
    cv_free(c->validity);
    cv_free(c->data);
    cv_free(c->var);
}

static void col_clear(cv_col *c)
{
    c->len = 0;
    c->null_count = 0;
    c->var_len = 0;
    cv_free(c->validity);
    c->validity = NULL;
    for (uint32_t i = 0; i < c->nchild; i++) col_clear(&c->child[i]);
}

void cv__col_fail(cv_col *c, int code)
{
    if (c->owner && c->owner->err == 0) c->owner->err = code;
}

int cv__col_grow(cv_col *c, uint32_t need)
{
    uint32_t nc = c->cap ? c->cap : 64;
    while (nc < need) {
        if (nc > (1u << 30)) {
            cv__col_fail(c, CV_ERANGE);
            return CV_ERANGE;
        }
        nc *= 2;
    }
    size_t w = has_offsets(c->type) ? 4 : cv_type_width(c->type->id);
    if (w || has_offsets(c->type)) {
        size_t sz = has_offsets(c->type) ? ((size_t)nc + 1) * 4 : (size_t)nc * w;
        uint8_t *d = cv_realloc(c->data, sz);
        if (!d) {
            cv__col_fail(c, CV_ENOMEM);
            return CV_ENOMEM;
        }
        if (!c->data && has_offsets(c->type)) ((int32_t *)d)[0] = 0;
        c->data = d;
    }
    if (c->validity) {
        uint8_t *v = cv_realloc(c->validity, (nc + 7) / 8);
        if (!v) {
            cv__col_fail(c, CV_ENOMEM);
            return CV_ENOMEM;
        }
        memset(v + (c->cap + 7) / 8, 0, (nc + 7) / 8 - (c->cap + 7) / 8);
        c->validity = v;
    }
    if (c->owner) c->owner->bytes += (size_t)(nc - c->cap) * (w ? w : 4);
    c->cap = nc;
    return 0;
}

int cv__col_var_grow(cv_col *c, size_t extra)
{
    size_t need = (size_t)c->var_len + extra;
    if (need > INT32_MAX) {
        cv__col_fail(c, CV_ERANGE);
        return CV_ERANGE;
    }
    if (need <= c->var_cap) return 0;
    size_t nc = c->var_cap ? c->var_cap : 256;
    while (nc < need) nc *= 2;
    if (nc > INT32_MAX) nc = INT32_MAX;
    uint8_t *v = cv_realloc(c->var, nc);
    if (!v) {
        cv__col_fail(c, CV_ENOMEM);
        return CV_ENOMEM;
    }
    c->var = v;
    c->var_cap = (uint32_t)nc;
    return 0;
}

void *cv_col_extend(cv_col *c, uint32_t n)
{
    size_t w = cv_type_width(c->type->id);
    if (c->len + n > c->cap && cv__col_grow(c, c->len + n) < 0) return NULL;
    if (c->validity)
        for (uint32_t i = c->len; i < c->len + n; i++) c->validity[i >> 3] |= (uint8_t)(1u << (i & 7));
    void *p = c->data + (size_t)c->len * w;
    c->len += n;
    return p;
}

int cv_col_init(cv_col *c, const cv_type *t)
{
    /* a private owner records growth failures like a batch would */
    cv_batch *owner = cv_calloc(1, sizeof *owner);
    if (!owner) return CV_ENOMEM;
    col_init(c, t, owner);
    if (owner->err) {
        col_free(c);
        cv_free(owner);
        c->owner = NULL;
        return CV_ENOMEM;
    }
    return 0;
}

void cv_col_destroy(cv_col *c)
{
    cv_batch *owner = c->owner;
    col_free(c);
    cv_free(owner);
    memset(c, 0, sizeof *c);
}

void cv_col_reset(cv_col *c)
{
    col_clear(c);
    if (c->owner) c->owner->err = 0;
}

bool cv_col_reserve_str(cv_col *c, uint32_t n, size_t bytes)
{
    if (c->len + n > c->cap && cv__col_grow(c, c->len + n) < 0) return false;
    if (c->var_len + bytes > c->var_cap && cv__col_var_grow(c, bytes) < 0) return false;
    return true;
}

void cv_col_append_str(cv_col *c, const char *p, size_t n)
{
    CV__COL_RESERVE(c);
    if (CV_UNLIKELY(c->var_len + n > c->var_cap) && cv__col_var_grow(c, n) < 0) return;
    if (n) memcpy(c->var + c->var_len, p, n);
    c->var_len += (uint32_t)n;
    ((int32_t *)c->data)[++c->len] = (int32_t)c->var_len;
    if (c->owner) c->owner->bytes += n;
}

static int ensure_validity(cv_col *c)
{
    if (c->validity) return 0;
    size_t nb = ((size_t)c->cap + 8) / 8;
    c->validity = cv_malloc(nb);
    if (!c->validity) {
        cv__col_fail(c, CV_ENOMEM);
        return CV_ENOMEM;
    }
    memset(c->validity, 0, nb);
    /* everything appended so far was valid */
    memset(c->validity, 0xff, c->len / 8);
    for (uint32_t i = c->len & ~7u; i < c->len; i++) c->validity[i >> 3] |= (uint8_t)(1u << (i & 7));
    return 0;
}

void cv_col_append_null(cv_col *c)
{
    if (CV_UNLIKELY(c->len >= c->cap) && cv__col_grow(c, c->len + 1) < 0) return;
    if (ensure_validity(c) < 0) return;
    c->validity[c->len >> 3] &= (uint8_t) ~(1u << (c->len & 7));
    c->null_count++;
    if (has_offsets(c->type)) {
        int32_t *o = (int32_t *)c->data;
        o[c->len + 1] = o[c->len];
    } else if (c->type->id == CV_T_ROW) {
        /* keep children aligned: a NULL row has NULL fields */
        for (uint32_t i = 0; i < c->nchild; i++) cv_col_append_null(&c->child[i]);
    } else {
        size_t w = cv_type_width(c->type->id);
        if (w) memset(c->data + (size_t)c->len * w, 0, w);
    }
    c->len++;
}

void cv_col_append_list(cv_col *c, uint32_t count)
{
    CV__COL_RESERVE(c);
    int32_t *o = (int32_t *)c->data;
    o[c->len + 1] = o[c->len] + (int32_t)count;
    c->len++;
}

void cv_col_append_struct(cv_col *c)
{
    CV__COL_RESERVE(c);
    c->len++;
}

void cv_col_append_int_any(cv_col *c, int64_t v)
{
    switch (c->type->id) {
    case CV_T_BOOL: cv_col_append_bool(c, v != 0); return;
    case CV_T_I8:
        if (v < INT8_MIN || v > INT8_MAX) break;
        cv_col_append_i8(c, (int8_t)v);
        return;
    case CV_T_I16:
        if (v < INT16_MIN || v > INT16_MAX) break;
        cv_col_append_i16(c, (int16_t)v);
        return;
    case CV_T_I32:
    case CV_T_DATE:
        if (v < INT32_MIN || v > INT32_MAX) break;
        cv_col_append_i32(c, (int32_t)v);
        return;
    case CV_T_I64:
    case CV_T_TIME:
    case CV_T_TIMESTAMP:
    case CV_T_TIMESTAMP_TZ: cv_col_append_i64(c, v); return;
    case CV_T_F32: cv_col_append_f32(c, (float)v); return;
    case CV_T_F64: cv_col_append_f64(c, (double)v); return;
    case CV_T_DECIMAL: {
        /* |v| < 10^(precision - scale), so v * 10^scale cannot overflow */
        cv_i128 lim = 1, x = v;
        for (unsigned i = c->type->scale; i < c->type->precision; i++) lim *= 10;
        if (x >= lim || x <= -lim) break;
        for (unsigned i = 0; i < c->type->scale; i++) x *= 10;
        cv_col_append_dec(c, x);
        return;
    }
    default: break;
    }
    cv__col_fail(c, CV_ERANGE);
}

int64_t cv_col_get_int(const cv_col *c, uint32_t i)
{
    switch (c->type->id) {
    case CV_T_BOOL: return c->data[i];
    case CV_T_I8: return ((const int8_t *)c->data)[i];
    case CV_T_I16: return ((const int16_t *)c->data)[i];
    case CV_T_I32:
    case CV_T_DATE: return ((const int32_t *)c->data)[i];
    case CV_T_I64:
    case CV_T_TIME:
    case CV_T_TIMESTAMP:
    case CV_T_TIMESTAMP_TZ: return ((const int64_t *)c->data)[i];
    case CV_T_F32: return (int64_t)((const float *)c->data)[i];
    case CV_T_F64: return (int64_t)((const double *)c->data)[i];
    default: return 0;
    }
}

double cv_col_get_f64(const cv_col *c, uint32_t i)
{
    switch (c->type->id) {
    case CV_T_F32: return ((const float *)c->data)[i];
    case CV_T_F64: return ((const double *)c->data)[i];
    case CV_T_DECIMAL: {
        /* one division by an exact power of ten rounds correctly (as
         * BigDecimal.doubleValue does); dividing by 10 repeatedly drifts */
        cv_i128 v = ((const cv_i128 *)c->data)[i];
        double d = (double)v;
        unsigned s = c->type->scale;
        for (; s > 22; s -= 22) d /= 1e22;
        static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                     1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        return d / p10[s];
    }
    default: return (double)cv_col_get_int(c, i);
    }
}

/* ---- batches -------------------------------------------------------------------- */

cv_batch *cv_batch_new(const cv_table *t, uint32_t cap_rows)
{
    cv_batch *b = cv_calloc(1, sizeof *b);
    if (!b) return NULL;
    b->table = t;
    b->cap = cap_rows ? cap_rows : CV_BATCH_ROWS;
    b->byte_limit = CV_BATCH_BYTES;
    b->refs = 1;
    b->ncols = t->ncols;
    b->cols = cv_calloc(t->ncols ? t->ncols : 1, sizeof *b->cols);
    if (!b->cols) {
        cv_free(b);
        return NULL;
    }
    for (uint32_t i = 0; i < t->ncols; i++) col_init(&b->cols[i], t->cols[i].type, b);
    if (b->err) {
        b->refs = 1;
        cv_batch_free(b);
        return NULL;
    }
    return b;
}

void cv_batch_ref(cv_batch *b) { atomic_fetch_add_explicit(REFS(b), 1, memory_order_relaxed); }

void cv_batch_free(cv_batch *b)
{
    if (!b) return;
    if (atomic_fetch_sub_explicit(REFS(b), 1, memory_order_acq_rel) != 1) return;
    for (uint32_t i = 0; i < b->ncols; i++) col_free(&b->cols[i]);
    cv_free(b->cols);
    cv_free(b->kinds);
    cv_free(b);
}

void cv_batch_clear(cv_batch *b)
{
    for (uint32_t i = 0; i < b->ncols; i++) col_clear(&b->cols[i]);
    b->nrows = 0;
    b->err = 0;
    b->bytes = 0;
}

static bool kinds_reserve(cv_batch *b, uint32_t need)
{
    if (need <= b->kinds_cap) return true;
    uint32_t nc = b->kinds_cap ? b->kinds_cap : 64;
    while (nc < need) nc *= 2;
    uint8_t *k = cv_realloc(b->kinds, nc);
    if (!k) {
        if (!b->err) b->err = CV_ENOMEM;
        return false;
    }
    b->kinds = k;
    b->kinds_cap = nc;
    return true;
}

void cv_batch_end_row(cv_batch *b, cv_row_kind kind)
{
    if (CV_UNLIKELY(b->nrows >= b->kinds_cap) && !kinds_reserve(b, b->nrows + 1)) return;
    b->kinds[b->nrows++] = (uint8_t)kind;
}

void cv_batch_end_rows(cv_batch *b, uint32_t n, cv_row_kind kind)
{
    if (!kinds_reserve(b, b->nrows + n)) return;
    memset(b->kinds + b->nrows, (int)kind, n);
    b->nrows += n;
}

int cv_batch_check(const cv_batch *b, cv_err *err)
{
    if (b->err == CV_ERANGE) return cv_err_set(err, CV_ERANGE, "a value is out of range for its column type");
    if (b->err) return cv_err_set(err, b->err, "%s while filling a batch", cv_strerror(b->err));
    for (uint32_t i = 0; i < b->ncols; i++)
        if (b->cols[i].len != b->nrows)
            return cv_err_set(err, CV_EINTERNAL, "column \"%s\" has %u values but the batch has %u rows",
                              b->table->cols[i].name, b->cols[i].len, b->nrows);
    return 0;
}

void cv_col_copy_value(cv_col *d, const cv_col *s, uint32_t i)
{
    if (cv_col_is_null(s, i)) {
        cv_col_append_null(d);
        return;
    }
    switch (s->type->id) {
    case CV_T_NULL: cv_col_append_null(d); return;
    case CV_T_STRING:
    case CV_T_BYTES: {
        uint32_t n;
        const char *p = cv_col_str(s, i, &n);
        cv_col_append_str(d, p, n);
        return;
    }
    case CV_T_ARRAY:
    case CV_T_MAP: {
        const int32_t *o = cv_col_offsets(s);
        for (int32_t k = o[i]; k < o[i + 1]; k++) {
            cv_col_copy_value(&d->child[0], &s->child[0], (uint32_t)k);
            if (s->type->id == CV_T_MAP) cv_col_copy_value(&d->child[1], &s->child[1], (uint32_t)k);
        }
        cv_col_append_list(d, (uint32_t)(o[i + 1] - o[i]));
        return;
    }
    case CV_T_ROW:
        for (uint32_t k = 0; k < s->nchild; k++) cv_col_copy_value(&d->child[k], &s->child[k], i);
        cv_col_append_struct(d);
        return;
    default: {
        size_t w = cv_type_width(s->type->id);
        CV__COL_RESERVE(d);
        memcpy(d->data + (size_t)d->len * w, s->data + (size_t)i * w, w);
        d->len++;
    }
    }
}

void cv_col_append_range(cv_col *d, const cv_col *s, uint32_t from, uint32_t n)
{
    cv_type_id id = s->type->id;
    size_t w = cv_type_width(id);
    bool var = id == CV_T_STRING || id == CV_T_BYTES;
    if (!(w || var)) { /* nested or null: value by value */
        for (uint32_t i = 0; i < n; i++) cv_col_copy_value(d, s, from + i);
        return;
    }
    if (d->len + n > d->cap && cv__col_grow(d, d->len + n) < 0) return;
    uint32_t base = d->len;
    if (var) {
        const int32_t *so = cv_col_offsets(s);
        uint32_t bytes = (uint32_t)(so[from + n] - so[from]);
        if (d->var_len + bytes > d->var_cap && cv__col_var_grow(d, bytes) < 0) return;
        if (bytes) memcpy(d->var + d->var_len, s->var + so[from], bytes); /* an all-empty column has no payload */
        int32_t *dof = (int32_t *)d->data;
        int32_t shift = (int32_t)d->var_len - so[from];
        for (uint32_t i = 1; i <= n; i++) dof[base + i] = so[from + i] + shift;
        d->var_len += bytes;
        if (d->owner) d->owner->bytes += bytes;
    } else {
        memcpy(d->data + (size_t)base * w, s->data + (size_t)from * w, (size_t)n * w);
    }
    d->len += n;
    if (s->validity || d->validity) {
        if (!d->validity) {
            /* materialise the bitmap: everything before was valid */
            size_t nb = ((size_t)d->cap + 8) / 8;
            d->validity = cv_malloc(nb);
            if (!d->validity) {
                cv__col_fail(d, CV_ENOMEM);
                return;
            }
            memset(d->validity, 0xff, nb);
        }
        for (uint32_t i = 0; i < n; i++) {
            uint32_t k = base + i;
            bool valid = !cv_col_is_null(s, from + i);
            if (valid)
                d->validity[k >> 3] |= (uint8_t)(1u << (k & 7));
            else {
                d->validity[k >> 3] &= (uint8_t) ~(1u << (k & 7));
                d->null_count++;
            }
        }
    }
}

/* Children may hold values of a parent value that was never finished, so
 * they are cut to the parent's length even when the parent is not. */
static void col_truncate(cv_col *c, uint32_t len)
{
    if (len > c->len) len = c->len;
    cv_type_id id = c->type->id;
    /* no offsets yet: nothing was ever appended here (a nested child of a
     * value that failed half way may still have elements to cut) */
    uint32_t end = c->data && has_offsets(c->type) ? (uint32_t)cv_col_offsets(c)[len] : 0;
    if (id == CV_T_STRING || id == CV_T_BYTES) {
        c->var_len = end;
    } else if (id == CV_T_ARRAY || id == CV_T_MAP) {
        uint32_t n = end;
        for (uint32_t k = 0; k < c->nchild; k++) col_truncate(&c->child[k], n);
    } else if (id == CV_T_ROW) {
        for (uint32_t k = 0; k < c->nchild; k++) col_truncate(&c->child[k], len);
    }
    c->len = len;
}

void cv_batch_truncate(cv_batch *b, uint32_t nrows)
{
    for (uint32_t i = 0; i < b->ncols; i++) col_truncate(&b->cols[i], nrows);
    if (nrows < b->nrows) b->nrows = nrows;
}

void cv_batch_copy_row(cv_batch *dst, const cv_batch *src, uint32_t row)
{
    for (uint32_t c = 0; c < src->ncols && c < dst->ncols; c++) cv_col_copy_value(&dst->cols[c], &src->cols[c], row);
    cv_batch_end_row(dst, (cv_row_kind)src->kinds[row]);
}
