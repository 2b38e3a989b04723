/* gen.c — FakeSource's random values, column at a time: each generator
 * fills n values of one column in a tight loop, so fixed-width columns cost
 * a few nanoseconds per value. Semantics follow SeaTunnel: a non-empty
 * template always wins; integer ranges are [min, max); strings and bytes
 * are ASCII letters; dates fall in the current year on days 1..28 unless
 * the date/time templates say otherwise; random data has no NULLs. */
#include "fake.h"

#include <string.h>

static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

void fake_rng_seed(fake_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) { /* splitmix64 */
        uint64_t z = (seed += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        r->s[i] = z ^ (z >> 31);
    }
}

static int64_t range_int(fake_rng *r, int64_t min, int64_t max)
{
    if (max <= min) return min;
    return min + (int64_t)fake_rng_below(r, (uint64_t)max - (uint64_t)min);
}

static int64_t pick_i64(fake_rng *r, const i64_list *l) { return l->v[fake_rng_below(r, l->n)]; }

static void gen_ints(const fake_table *ft, fake_rng *r, cv_col *c, uint32_t n)
{
    const fake_cfg *g = ft->cfg;
    int k;
    int64_t lo, hi;
    switch (c->type->id) {
    case CV_T_I8: k = 0, lo = g->ti_min, hi = g->ti_max; break;
    case CV_T_I16: k = 1, lo = g->si_min, hi = g->si_max; break;
    case CV_T_I32: k = 2, lo = g->i_min, hi = g->i_max; break;
    default: k = 3, lo = g->bi_min, hi = g->bi_max; break;
    }
    const i64_list *tpl = ft->int_tpl[k].n ? &ft->int_tpl[k] : NULL;
    void *p = cv_col_extend(c, n);
    if (!p) return;
    /* one loop per width keeps the stores simple for the compiler */
    switch (c->type->id) {
    case CV_T_I8:
        for (uint32_t i = 0; i < n; i++) ((int8_t *)p)[i] = (int8_t)(tpl ? pick_i64(r, tpl) : range_int(r, lo, hi));
        break;
    case CV_T_I16:
        for (uint32_t i = 0; i < n; i++) ((int16_t *)p)[i] = (int16_t)(tpl ? pick_i64(r, tpl) : range_int(r, lo, hi));
        break;
    case CV_T_I32:
        if (tpl)
            for (uint32_t i = 0; i < n; i++) ((int32_t *)p)[i] = (int32_t)pick_i64(r, tpl);
        else
            for (uint32_t i = 0; i < n; i++) ((int32_t *)p)[i] = (int32_t)range_int(r, lo, hi);
        break;
    default:
        if (tpl)
            for (uint32_t i = 0; i < n; i++) ((int64_t *)p)[i] = pick_i64(r, tpl);
        else
            for (uint32_t i = 0; i < n; i++) ((int64_t *)p)[i] = range_int(r, lo, hi);
        break;
    }
}

static double unit(fake_rng *r) { return (double)(fake_rng_next(r) >> 11) * 0x1.0p-53; }

static void gen_floats(const fake_table *ft, fake_rng *r, cv_col *c, uint32_t n)
{
    bool is_f = c->type->id == CV_T_F32;
    const fake_cfg *g = ft->cfg;
    const f64_list *tpl = &ft->flt_tpl[is_f ? 0 : 1];
    double lo = is_f ? g->f_min : g->d_min, hi = is_f ? g->f_max : g->d_max;
    void *p = cv_col_extend(c, n);
    if (!p) return;
    for (uint32_t i = 0; i < n; i++) {
        double v = tpl->n ? tpl->v[fake_rng_below(r, tpl->n)] : lo + (hi - lo) * unit(r);
        if (is_f)
            ((float *)p)[i] = (float)v;
        else
            ((double *)p)[i] = v;
    }
}

static void gen_decimal(fake_rng *r, cv_col *c, uint32_t n)
{
    /* SeaTunnel writes p-s random digits, a point and s random digits: the
     * unscaled value is uniform over [0, 10^p) */
    unsigned p = c->type->precision;
    cv_i128 *d = cv_col_extend(c, n);
    if (!d) return;
    uint64_t lo_mod = 1, hi_mod = 1;
    for (unsigned k = 0; k < CV_MIN(p, 18u); k++) lo_mod *= 10;
    for (unsigned k = 18; k < p; k++) hi_mod *= 10;
    for (uint32_t i = 0; i < n; i++) {
        cv_i128 v = fake_rng_below(r, lo_mod);
        if (p > 18) v += (cv_i128)fake_rng_below(r, hi_mod) * (cv_i128)1000000000000000000LL;
        d[i] = v;
    }
}

static void gen_text(const fake_table *ft, fake_rng *r, cv_col *c, uint32_t n, int64_t col_length)
{
    bool bytes = c->type->id == CV_T_BYTES;
    const fake_cfg *g = ft->cfg;
    if (!bytes && ft->nstr_tpl) {
        for (uint32_t i = 0; i < n; i++) {
            size_t k = fake_rng_below(r, ft->nstr_tpl);
            cv_col_append_str(c, ft->str_tpl[k], ft->str_tpl_len[k]);
        }
        return;
    }
    int64_t len = bytes ? g->bytes_length : (col_length > 0 ? col_length : g->string_length);
    char stackbuf[256];
    char *tmp = len <= (int64_t)sizeof stackbuf ? stackbuf : cv_malloc((size_t)len);
    if (!tmp) {
        cv__col_fail(c, CV_ENOMEM);
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        int64_t k = 0;
        while (k < len) {
            uint64_t x = fake_rng_next(r);
            /* ten letters per 64 random bits: 6 bits each, mapped onto 52 */
            for (int b = 0; b < 10 && k < len; b++, x >>= 6) tmp[k++] = letters[((x & 63) * 52) >> 6];
        }
        cv_col_append_str(c, tmp, (size_t)len);
    }
    if (tmp != stackbuf) cv_free(tmp);
}

static int64_t comp(fake_rng *r, const i64_list *tpl, int64_t lo, int64_t hi_incl)
{
    return tpl->n ? pick_i64(r, tpl) : range_int(r, lo, hi_incl + 1);
}

static void gen_temporal(const fake_table *ft, fake_rng *r, cv_col *c, uint32_t n)
{
    void *p = cv_col_extend(c, n);
    if (!p) return;
    /* the calendar conversion is the costly part: without a year template
     * every date falls in one year, so the month starts are computed once */
    int32_t month_start[12];
    bool fixed_year = ft->date_tpl[0].n == 0;
    if (fixed_year)
        for (unsigned m = 1; m <= 12; m++) month_start[m - 1] = cv_days_from_civil(ft->this_year, m, 1);
    for (uint32_t i = 0; i < n; i++) {
        int64_t days = 0, ns = 0;
        if (c->type->id != CV_T_TIME) {
            int64_t m = comp(r, &ft->date_tpl[1], 1, 12);
            int64_t d = comp(r, &ft->date_tpl[2], 1, 28);
            if (fixed_year) {
                days = month_start[m - 1] + d - 1;
            } else {
                int64_t y = pick_i64(r, &ft->date_tpl[0]);
                days = cv_days_from_civil(y, (unsigned)m, (unsigned)d);
            }
        }
        if (c->type->id != CV_T_DATE) {
            int64_t h = comp(r, &ft->time_tpl[0], 0, 23);
            int64_t mi = comp(r, &ft->time_tpl[1], 0, 59);
            int64_t s = comp(r, &ft->time_tpl[2], 0, 59);
            ns = ((h * 60 + mi) * 60 + s) * 1000000000LL;
        }
        switch (c->type->id) {
        case CV_T_DATE: ((int32_t *)p)[i] = (int32_t)days; break;
        case CV_T_TIME: ((int64_t *)p)[i] = ns; break;
        default: ((int64_t *)p)[i] = days * 86400000000LL + ns / 1000; break;
        }
    }
}

static void gen_map(const fake_table *ft, fake_rng *r, cv_col *c, uint32_t n)
{
    /* draw map.size candidate entries per row; duplicate keys collapse, as
     * they do in SeaTunnel's HashMap */
    uint32_t size = (uint32_t)ft->cfg->map_size;
    cv_col keys, vals;
    if (cv_col_init(&keys, c->type->elem) < 0 || cv_col_init(&vals, c->type->value) < 0) {
        cv__col_fail(c, CV_ENOMEM);
        return;
    }
    for (uint32_t row = 0; row < n; row++) {
        cv_col_reset(&keys);
        cv_col_reset(&vals);
        fake_gen(ft, r, &keys, size, 0);
        fake_gen(ft, r, &vals, size, 0);
        uint32_t kept = 0;
        for (uint32_t k = 0; k < size && k < keys.len; k++) {
            bool dup = false;
            for (uint32_t j = k + 1; j < size && !dup; j++) dup = cv_value_compare(&keys, k, &keys, j) == 0;
            if (dup) continue; /* the later entry wins, like put() */
            cv_col_copy_value(&c->child[0], &keys, k);
            cv_col_copy_value(&c->child[1], &vals, k);
            kept++;
        }
        cv_col_append_list(c, kept);
    }
    cv_col_destroy(&keys);
    cv_col_destroy(&vals);
}

void fake_gen(const fake_table *ft, fake_rng *r, cv_col *c, uint32_t n, int64_t col_length)
{
    switch (c->type->id) {
    case CV_T_NULL:
        for (uint32_t i = 0; i < n; i++) cv_col_append_null(c);
        break;
    case CV_T_BOOL: {
        uint8_t *p = cv_col_extend(c, n);
        if (!p) return;
        uint64_t bits = 0;
        for (uint32_t i = 0; i < n; i++) {
            if ((i & 63) == 0) bits = fake_rng_next(r);
            p[i] = (uint8_t)((bits >> (i & 63)) & 1);
        }
        break;
    }
    case CV_T_I8:
    case CV_T_I16:
    case CV_T_I32:
    case CV_T_I64: gen_ints(ft, r, c, n); break;
    case CV_T_F32:
    case CV_T_F64: gen_floats(ft, r, c, n); break;
    case CV_T_DECIMAL: gen_decimal(r, c, n); break;
    case CV_T_STRING:
    case CV_T_BYTES: gen_text(ft, r, c, n, col_length); break;
    case CV_T_DATE:
    case CV_T_TIME:
    case CV_T_TIMESTAMP:
    case CV_T_TIMESTAMP_TZ: gen_temporal(ft, r, c, n); break;
    case CV_T_ARRAY: {
        uint32_t size = (uint32_t)ft->cfg->array_size;
        fake_gen(ft, r, &c->child[0], n * size, 0);
        for (uint32_t i = 0; i < n; i++) cv_col_append_list(c, size);
        break;
    }
    case CV_T_MAP: gen_map(ft, r, c, n); break;
    case CV_T_ROW:
        for (uint32_t k = 0; k < c->nchild; k++) fake_gen(ft, r, &c->child[k], n, 0);
        for (uint32_t i = 0; i < n; i++) cv_col_append_struct(c);
        break;
    default: break;
    }
}
