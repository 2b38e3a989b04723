/* fake.h — FakeSource internals shared by its files: the option struct
 * (one per table: the top-level block or each tables_configs item), the
 * per-table runtime with parsed templates, and the value generators. */
#ifndef CV_FAKE_H
#define CV_FAKE_H

#include "plugin/plugin.h"

typedef struct fake_cfg {
    const cv_node *schema, *rows, *tables_configs;
    cv_strlist table_names;
    int64_t row_num, split_num, split_interval;
    int64_t map_size, array_size, bytes_length, string_length;
    int64_t ti_min, ti_max, si_min, si_max, i_min, i_max, bi_min, bi_max;
    double f_min, f_max, d_min, d_max;
    const cv_node *tpl[7]; /* string, tinyint, smallint, int, bigint, float, double */
    int mode[7];
    const cv_node *date_tpl[3], *time_tpl[3]; /* year, month, day / hour, minute, second */
    int64_t seed;
    int64_t vec_dim, bin_vec_dim;
    double vec_min, vec_max;
} fake_cfg;

enum { TPL_STRING, TPL_TINYINT, TPL_SMALLINT, TPL_INT, TPL_BIGINT, TPL_FLOAT, TPL_DOUBLE };

typedef struct {
    int64_t *v;
    size_t n;
} i64_list;

typedef struct {
    double *v;
    size_t n;
} f64_list;

typedef struct fake_table {
    cv_table *table;
    const fake_cfg *cfg;
    const char **str_tpl;
    uint32_t *str_tpl_len;
    size_t nstr_tpl;
    i64_list int_tpl[4]; /* tinyint, smallint, int, bigint */
    f64_list flt_tpl[2]; /* float, double */
    i64_list date_tpl[3], time_tpl[3];
    int64_t this_year;
    cv_batch *rows; /* the `rows` option, parsed once at open */
} fake_table;

typedef struct fake_rng {
    uint64_t s[4];
} fake_rng;

void fake_rng_seed(fake_rng *r, uint64_t seed);
static inline uint64_t fake_rng_next(fake_rng *r)
{
    /* xoshiro256** */
    uint64_t *s = r->s;
    uint64_t x = s[1] * 5;
    uint64_t res = ((x << 7) | (x >> 57)) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return res;
}
/* Uniform in [0, n) (n > 0), by multiply-high. */
static inline uint64_t fake_rng_below(fake_rng *r, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)fake_rng_next(r) * n) >> 64);
}

/* Append n random values of the column's type. */
void fake_gen(const fake_table *ft, fake_rng *r, cv_col *c, uint32_t n, int64_t col_length);

#endif
