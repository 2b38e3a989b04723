/* fake.c — FakeSource: SeaTunnel's generator of test data. Options, the
 * tables it produces (one, `tables_configs` items, or `table-names`
 * copies), its splits (row.num rows per reader, divided by split.num) and
 * the reader. See gen.c for the values. Differences from SeaTunnel, all
 * deliberate: no fixed 1 s sleep per split (split.read-interval is the
 * pause between splits), STREAMING readers idle until the job stops,
 * `seed` makes the data reproducible, and ranges may be negative. */
#include "fake.h"

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define O(f) offsetof(fake_cfg, f)
#define MODES CV_ENUMS("RANGE", "TEMPLATE")

static const cv_option options[] = {
    {"schema", CV_OPT_OBJECT, NULL, "table schema: fields { name = type } or columns [...], table, primaryKey",
     O(schema)},
    {"tables_configs", CV_OPT_LIST, NULL, "several tables, each a complete FakeSource config", O(tables_configs)},
    {"rows", CV_OPT_LIST, NULL, "fixed rows [{kind = INSERT, fields = [...]}], emitted once per split", O(rows)},
    {"table-names", CV_OPT_STRLIST, NULL, "emit the same schema under each of these table names", O(table_names)},
    {"row.num", CV_OPT_INT, "5", "rows per parallel reader", O(row_num), 0, NULL, NULL, 0, INT64_MAX},
    {"split.num", CV_OPT_INT, "1", "splits per reader (row.num is divided among them)", O(split_num), 0, NULL, NULL, 0,
     1000000},
    {"split.read-interval", CV_OPT_INT, "1", "minimum ms between two splits of one reader", O(split_interval), 0, NULL,
     NULL, 0, INT64_MAX},
    {"map.size", CV_OPT_INT, "5", "entries per random map", O(map_size), 0, NULL, NULL, 0, 100000},
    {"array.size", CV_OPT_INT, "5", "elements per random array", O(array_size), 0, NULL, NULL, 0, 100000},
    {"bytes.length", CV_OPT_INT, "5", "length of random bytes", O(bytes_length), 0, NULL, NULL, 0, 100000000},
    {"string.length", CV_OPT_INT, "5", "length of random strings", O(string_length), 0, NULL, NULL, 0, 100000000},
    {"string.template", CV_OPT_ANY, NULL, "strings to pick from", O(tpl[TPL_STRING])},
    {"tinyint.template", CV_OPT_ANY, NULL, "tinyint values to pick from", O(tpl[TPL_TINYINT])},
    {"smallint.template", CV_OPT_ANY, NULL, "smallint values to pick from", O(tpl[TPL_SMALLINT])},
    {"int.template", CV_OPT_ANY, NULL, "int values to pick from", O(tpl[TPL_INT])},
    {"bigint.template", CV_OPT_ANY, NULL, "bigint values to pick from", O(tpl[TPL_BIGINT])},
    {"float.template", CV_OPT_ANY, NULL, "float values to pick from", O(tpl[TPL_FLOAT])},
    {"double.template", CV_OPT_ANY, NULL, "double values to pick from", O(tpl[TPL_DOUBLE])},
    {"string.fake.mode", CV_OPT_ENUM, "RANGE", "TEMPLATE requires string.template", O(mode[TPL_STRING]), 0, MODES},
    {"tinyint.fake.mode", CV_OPT_ENUM, "RANGE", "TEMPLATE requires tinyint.template", O(mode[TPL_TINYINT]), 0, MODES},
    {"smallint.fake.mode", CV_OPT_ENUM, "RANGE", "TEMPLATE requires smallint.template", O(mode[TPL_SMALLINT]), 0,
     MODES},
    {"int.fake.mode", CV_OPT_ENUM, "RANGE", "TEMPLATE requires int.template", O(mode[TPL_INT]), 0, MODES},
    {"bigint.fake.mode", CV_OPT_ENUM, "RANGE", "TEMPLATE requires bigint.template", O(mode[TPL_BIGINT]), 0, MODES},
    {"float.fake.mode", CV_OPT_ENUM, "RANGE", "TEMPLATE requires float.template", O(mode[TPL_FLOAT]), 0, MODES},
    {"double.fake.mode", CV_OPT_ENUM, "RANGE", "TEMPLATE requires double.template", O(mode[TPL_DOUBLE]), 0, MODES},
    {"tinyint.min", CV_OPT_INT, "0", "smallest random tinyint", O(ti_min), 0, NULL, NULL, INT8_MIN, INT8_MAX},
    {"tinyint.max", CV_OPT_INT, "127", "random tinyints stay below this", O(ti_max), 0, NULL, NULL, INT8_MIN, INT8_MAX},
    {"smallint.min", CV_OPT_INT, "0", "smallest random smallint", O(si_min), 0, NULL, NULL, INT16_MIN, INT16_MAX},
    {"smallint.max", CV_OPT_INT, "32767", "random smallints stay below this", O(si_max), 0, NULL, NULL, INT16_MIN,
     INT16_MAX},
    {"int.min", CV_OPT_INT, "0", "smallest random int", O(i_min), 0, NULL, NULL, INT32_MIN, INT32_MAX},
    {"int.max", CV_OPT_INT, "2147483647", "random ints stay below this", O(i_max), 0, NULL, NULL, INT32_MIN, INT32_MAX},
    {"bigint.min", CV_OPT_INT, "0", "smallest random bigint", O(bi_min)},
    {"bigint.max", CV_OPT_INT, "9223372036854775807", "random bigints stay below this", O(bi_max)},
    {"float.min", CV_OPT_DOUBLE, "0", "smallest random float", O(f_min)},
    {"float.max", CV_OPT_DOUBLE, "3.4028235E38", "largest random float", O(f_max)},
    {"double.min", CV_OPT_DOUBLE, "0", "smallest random double", O(d_min)},
    {"double.max", CV_OPT_DOUBLE, "1.7976931348623157E308", "largest random double", O(d_max)},
    {"date.year.template", CV_OPT_ANY, NULL, "years for dates and timestamps", O(date_tpl[0])},
    {"date.month.template", CV_OPT_ANY, NULL, "months (1-12)", O(date_tpl[1])},
    {"date.day.template", CV_OPT_ANY, NULL, "days of the month", O(date_tpl[2])},
    {"time.hour.template", CV_OPT_ANY, NULL, "hours (0-23)", O(time_tpl[0])},
    {"time.minute.template", CV_OPT_ANY, NULL, "minutes (0-59)", O(time_tpl[1])},
    {"time.second.template", CV_OPT_ANY, NULL, "seconds (0-59)", O(time_tpl[2])},
    {"vector.dimension", CV_OPT_INT, "4", "vector length (vector types are not supported yet)", O(vec_dim)},
    {"binary.vector.dimension", CV_OPT_INT, "8", "binary vector bits (not supported yet)", O(bin_vec_dim)},
    {"vector.float.min", CV_OPT_DOUBLE, "0", "vector element minimum (not supported yet)", O(vec_min)},
    {"vector.float.max", CV_OPT_DOUBLE, "3.4028235E38", "vector element maximum (not supported yet)", O(vec_max)},
    {"seed", CV_OPT_INT, NULL, "culvert: random seed, for reproducible data (default: random)", O(seed)},
    {NULL},
};

typedef struct {
    fake_table *tables;
    uint32_t ntables;
    uint64_t seed;
} fake_src;

typedef struct {
    uint32_t table;
    uint32_t index; /* split number within the table */
    int64_t rows;
} fake_split;

static const char *tpl_names[] = {"string.template", "tinyint.template", "smallint.template", "int.template",
                                  "bigint.template", "float.template",   "double.template"};
static const char *date_names[] = {"date.year.template", "date.month.template", "date.day.template"};
static const char *time_names[] = {"time.hour.template", "time.minute.template", "time.second.template"};

static int nomem(cv_err *err) { return cv_err_set(err, CV_ENOMEM, "out of memory"); }

/* A template: a list [a, b] or a comma-separated string. */
static int tpl_items(cv_arena *a, const cv_node *n, const char *key, const cv_node ***items, size_t *cnt, cv_err *err)
{
    *items = NULL;
    *cnt = 0;
    if (!n) return 0;
    cv_pos p = cv_node_pos(n);
    if (n->kind == CV_NODE_ARRAY) {
        *items = (const cv_node **)n->u.arr.v;
        *cnt = n->u.arr.n;
        for (size_t i = 0; i < *cnt; i++)
            if (!cv_node_is_scalar((*items)[i])) {
                cv_pos ip = cv_node_pos((*items)[i]);
                return cv_err_at(err, CV_ECONFIG, &ip, "%s: items must be plain values", key);
            }
    } else if (cv_node_is_scalar(n)) {
        cv_strlist l;
        if (cv_strlist_from_text(a, n->text, &l) < 0) return nomem(err);
        cv_node **v = cv_arena_alloc(a, (l.n + 1) * sizeof *v);
        if (!v) return nomem(err);
        for (size_t i = 0; i < l.n; i++) {
            v[i] = cv_arena_zalloc(a, sizeof **v);
            if (!v[i]) return nomem(err);
            *v[i] = *n;
            v[i]->kind = CV_NODE_STRING;
            v[i]->text = l.v[i];
            v[i]->len = strlen(l.v[i]);
        }
        *items = (const cv_node **)v;
        *cnt = l.n;
    } else {
        return cv_err_at(err, CV_ECONFIG, &p, "%s must be a list of values", key);
    }
    if (*cnt == 0) return cv_err_at(err, CV_ECONFIG, &p, "%s is empty", key);
    return 0;
}

static int int_tpl(cv_arena *a, const cv_node *n, const char *key, int64_t lo, int64_t hi, i64_list *out, cv_err *err)
{
    const cv_node **items;
    size_t cnt;
    CV_TRY(tpl_items(a, n, key, &items, &cnt, err));
    out->n = cnt;
    out->v = cnt ? cv_arena_alloc(a, cnt * sizeof *out->v) : NULL;
    if (cnt && !out->v) return nomem(err);
    for (size_t i = 0; i < cnt; i++) {
        cv_pos p = cv_node_pos(items[i]);
        if (!cv_node_i64(items[i], &out->v[i]))
            return cv_err_at(err, CV_ECONFIG, &p, "%s: \"%s\" is not an integer", key, items[i]->text);
        if (out->v[i] < lo || out->v[i] > hi)
            return cv_err_at(err, CV_ECONFIG, &p, "%s: %lld is outside %lld..%lld", key, (long long)out->v[i],
                             (long long)lo, (long long)hi);
    }
    return 0;
}

static int flt_tpl(cv_arena *a, const cv_node *n, const char *key, f64_list *out, cv_err *err)
{
    const cv_node **items;
    size_t cnt;
    CV_TRY(tpl_items(a, n, key, &items, &cnt, err));
    out->n = cnt;
    out->v = cnt ? cv_arena_alloc(a, cnt * sizeof *out->v) : NULL;
    if (cnt && !out->v) return nomem(err);
    for (size_t i = 0; i < cnt; i++)
        if (!cv_node_f64(items[i], &out->v[i])) {
            cv_pos p = cv_node_pos(items[i]);
            return cv_err_at(err, CV_ECONFIG, &p, "%s: \"%s\" is not a number", key, items[i]->text);
        }
    return 0;
}

static int check_range(const cv_source *s, const cv_node *block, const char *what, double lo, double hi, cv_err *err)
{
    if (lo <= hi) return 0;
    char key[64];
    snprintf(key, sizeof key, "%s.min", what);
    const cv_node *n = cv_node_path(block, key);
    cv_pos p = n ? cv_node_pos(n) : cv_node_pos(block);
    (void)s;
    return cv_err_at(err, CV_ECONFIG, &p, "%s.min (%g) is larger than %s.max (%g)", what, lo, what, hi);
}

/* Templates, ranges and fixed rows of one table config. */
static int prepare_table(cv_source *s, fake_table *ft, const cv_node *block, cv_err *err)
{
    cv_arena *a = s->ctx->arena;
    const fake_cfg *g = ft->cfg;
    CV_TRY(check_range(s, block, "tinyint", (double)g->ti_min, (double)g->ti_max, err));
    CV_TRY(check_range(s, block, "smallint", (double)g->si_min, (double)g->si_max, err));
    CV_TRY(check_range(s, block, "int", (double)g->i_min, (double)g->i_max, err));
    CV_TRY(check_range(s, block, "bigint", (double)g->bi_min, (double)g->bi_max, err));
    CV_TRY(check_range(s, block, "float", g->f_min, g->f_max, err));
    CV_TRY(check_range(s, block, "double", g->d_min, g->d_max, err));
    if (isinf((float)g->f_min) || isinf((float)g->f_max)) {
        cv_pos p = cv_node_pos(block);
        return cv_err_at(err, CV_ECONFIG, &p, "float.min/float.max must be within the float range%s", "");
    }
    for (int k = 0; k < 7; k++)
        if (g->mode[k] == 1 && !g->tpl[k]) {
            char key[40];
            snprintf(key, sizeof key, "%s", tpl_names[k]);
            char *dot = strchr(key, '.');
            if (dot) *dot = '\0';
            cv_pos p = cv_node_pos(block);
            return cv_err_at(err, CV_ECONFIG, &p, "%s.fake.mode = TEMPLATE needs %s", key, tpl_names[k]);
        }
    const cv_node **items;
    size_t cnt;
    CV_TRY(tpl_items(a, g->tpl[TPL_STRING], tpl_names[TPL_STRING], &items, &cnt, err));
    ft->nstr_tpl = cnt;
    if (cnt) {
        ft->str_tpl = cv_arena_alloc(a, cnt * sizeof *ft->str_tpl);
        ft->str_tpl_len = cv_arena_alloc(a, cnt * sizeof *ft->str_tpl_len);
        if (!ft->str_tpl || !ft->str_tpl_len) return nomem(err);
        for (size_t i = 0; i < cnt; i++) {
            ft->str_tpl[i] = items[i]->text;
            ft->str_tpl_len[i] = (uint32_t)items[i]->len;
        }
    }
    static const int64_t lo[4] = {INT8_MIN, INT16_MIN, INT32_MIN, INT64_MIN};
    static const int64_t hi[4] = {INT8_MAX, INT16_MAX, INT32_MAX, INT64_MAX};
    for (int k = 0; k < 4; k++)
        CV_TRY(int_tpl(a, g->tpl[TPL_TINYINT + k], tpl_names[TPL_TINYINT + k], lo[k], hi[k], &ft->int_tpl[k], err));
    for (int k = 0; k < 2; k++)
        CV_TRY(flt_tpl(a, g->tpl[TPL_FLOAT + k], tpl_names[TPL_FLOAT + k], &ft->flt_tpl[k], err));
    static const int64_t dlo[3] = {-9999, 1, 1}, dhi[3] = {9999, 12, 28};
    static const int64_t tlo[3] = {0, 0, 0}, thi[3] = {23, 59, 59};
    for (int k = 0; k < 3; k++) {
        CV_TRY(int_tpl(a, g->date_tpl[k], date_names[k], dlo[k], dhi[k], &ft->date_tpl[k], err));
        CV_TRY(int_tpl(a, g->time_tpl[k], time_names[k], tlo[k], thi[k], &ft->time_tpl[k], err));
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    ft->this_year = tm.tm_year + 1900;
    if (g->rows) {
        ft->rows = cv_batch_new(ft->table, g->rows->u.arr.n ? g->rows->u.arr.n : 1);
        if (!ft->rows) return nomem(err);
        ft->rows->byte_limit = SIZE_MAX;
        for (uint32_t i = 0; i < g->rows->u.arr.n; i++) {
            const cv_node *row = g->rows->u.arr.v[i];
            cv_pos rp = cv_node_pos(row);
            if (row->kind != CV_NODE_OBJECT)
                return cv_err_at(err, CV_ECONFIG, &rp, "rows: each row is {kind = INSERT, fields = [...]}%s", "");
            const cv_node *kind = cv_node_get(row, "kind"), *fields = cv_node_get(row, "fields");
            for (uint32_t m = 0; m < row->u.obj.n; m++)
                if (strcmp(row->u.obj.m[m].key, "kind") && strcmp(row->u.obj.m[m].key, "fields")) {
                    cv_pos mp = cv_member_pos(row, &row->u.obj.m[m]);
                    return cv_err_at(err, CV_ECONFIG, &mp, "rows: unknown key \"%s\" (a row has kind and fields)",
                                     row->u.obj.m[m].key);
                }
            cv_row_kind rk = CV_ROW_INSERT;
            if (!kind || !cv_node_str(kind) || cv_row_kind_parse(cv_node_str(kind), &rk) < 0) {
                cv_pos kp = kind ? cv_node_pos(kind) : rp;
                return cv_err_at(err, CV_ECONFIG, &kp,
                                 "rows: kind must be INSERT, UPDATE_BEFORE, UPDATE_AFTER or DELETE%s", "");
            }
            if (!fields || (fields->kind != CV_NODE_ARRAY && fields->kind != CV_NODE_OBJECT))
                return cv_err_at(err, CV_ECONFIG, &rp, "rows: fields must be a list [...] or an object {...}%s", "");
            if (fields->kind == CV_NODE_ARRAY && fields->u.arr.n != ft->table->ncols) {
                cv_pos fp = cv_node_pos(fields);
                return cv_err_at(err, CV_ECONFIG, &fp, "rows: %u values given but table %s has %u columns",
                                 fields->u.arr.n, ft->table->full_name, ft->table->ncols);
            }
            for (uint32_t c = 0; c < ft->table->ncols; c++) {
                const cv_node *v;
                if (fields->kind == CV_NODE_ARRAY) {
                    v = fields->u.arr.v[c];
                } else {
                    v = cv_node_get(fields, ft->table->cols[c].name);
                }
                if (!v)
                    cv_col_append_null(&ft->rows->cols[c]);
                else
                    CV_TRY(cv_append_node(&ft->rows->cols[c], v, err));
            }
            if (fields->kind == CV_NODE_OBJECT)
                for (uint32_t m = 0; m < fields->u.obj.n; m++)
                    if (cv_table_find_col(ft->table, fields->u.obj.m[m].key) < 0) {
                        cv_pos mp = cv_member_pos(fields, &fields->u.obj.m[m]);
                        return cv_err_at(err, CV_ECONFIG, &mp, "rows: \"%s\" is not a column of %s",
                                         fields->u.obj.m[m].key, ft->table->full_name);
                    }
            cv_batch_end_row(ft->rows, rk);
        }
        CV_TRY(cv_batch_check(ft->rows, err));
    }
    return 0;
}

static int add_table(cv_source *s, fake_src *fs, const fake_cfg *g, const cv_node *block, const char *default_path,
                     cv_err *err)
{
    cv_arena *a = s->ctx->arena;
    if (!g->schema) {
        cv_pos p = cv_node_pos(block);
        return cv_err_at(err, CV_ECONFIG, &p, "FakeSource needs schema { fields { … } } (or tables_configs)%s", "");
    }
    cv_table *base;
    CV_TRY(cv_schema_from_config(a, g->schema, default_path, &base, err));
    size_t copies = g->table_names.n ? g->table_names.n : 1;
    fake_table *nt = cv_arena_alloc(a, (fs->ntables + copies) * sizeof *nt);
    if (!nt) return nomem(err);
    if (fs->ntables) memcpy(nt, fs->tables, fs->ntables * sizeof *nt);
    fs->tables = nt;
    for (size_t k = 0; k < copies; k++) {
        fake_table *ft = &fs->tables[fs->ntables];
        memset(ft, 0, sizeof *ft);
        ft->cfg = g;
        if (g->table_names.n) {
            cv_table *t = cv_arena_memdup(a, base, sizeof *t);
            if (!t) return nomem(err);
            CV_TRY(cv_table_set_path(a, t, g->table_names.v[k], false, err));
            CV_TRY(cv_table_finish(a, t, err));
            ft->table = t;
        } else {
            ft->table = base;
        }
        for (uint32_t i = 0; i < fs->ntables; i++)
            if (strcmp(fs->tables[i].table->full_name, ft->table->full_name) == 0) {
                cv_pos p = cv_node_pos(block);
                return cv_err_at(err, CV_ECONFIG, &p,
                                 "two FakeSource tables are named \"%s\"; set schema.table so names are unique",
                                 ft->table->full_name);
            }
        fs->ntables++; /* counted first, so src_close frees a half-prepared table */
        CV_TRY(prepare_table(s, ft, block, err));
    }
    return 0;
}

static int src_open(cv_source *s, cv_err *err)
{
    cv_arena *a = s->ctx->arena;
    const fake_cfg *top = s->settings;
    fake_src *fs = cv_arena_zalloc(a, sizeof *fs);
    if (!fs) return nomem(err);
    s->priv = fs;
    fs->seed =
        cv_optvals_given(s->given, "seed") ? (uint64_t)top->seed : (uint64_t)cv_wall_us() ^ (uint64_t)(uintptr_t)fs;
    if (top->tables_configs) {
        const cv_node *list = top->tables_configs;
        if (list->u.arr.n == 0) {
            cv_pos p = cv_node_pos(list);
            return cv_err_at(err, CV_ECONFIG, &p, "tables_configs is empty%s", "");
        }
        for (uint32_t i = 0; i < list->u.arr.n; i++) {
            const cv_node *item = list->u.arr.v[i];
            fake_cfg *g = cv_arena_zalloc(a, sizeof *g);
            if (!g) return nomem(err);
            cv_optset set = {options, g};
            CV_TRY(cv_options_apply(a, item, &set, 1, "FakeSource tables_configs item", NULL, err));
            if (g->tables_configs) {
                cv_pos p = cv_node_pos(g->tables_configs);
                return cv_err_at(err, CV_ECONFIG, &p, "tables_configs cannot be nested%s", "");
            }
            if (!cv_node_path(item, "seed")) g->seed = top->seed;
            CV_TRY(add_table(s, fs, g, item, NULL, err));
        }
    } else {
        const cv_node *out = cv_optvals_given(s->given, "plugin_output");
        CV_TRY(add_table(s, fs, top, s->config, out ? cv_node_str(out) : NULL, err));
    }
    s->ntables = fs->ntables;
    s->tables = cv_arena_alloc(a, fs->ntables * sizeof *s->tables);
    if (!s->tables) return nomem(err);
    for (uint32_t i = 0; i < fs->ntables; i++) s->tables[i] = fs->tables[i].table;
    return 0;
}

/* row.num rows per reader, split into ceil(row.num / split.num)-row
 * pieces; reader i owns split numbers i, i+P, i+2P … (SeaTunnel's layout).
 * STREAMING adds one idle split per reader: the source never ends. */
static int src_splits(cv_source *s, cv_split_list *out, cv_err *err)
{
    fake_src *fs = s->priv;
    cv_arena *a = s->ctx->arena;
    int P = s->parallelism;
    for (uint32_t t = 0; t < fs->ntables; t++) {
        const fake_cfg *g = fs->tables[t].cfg;
        int64_t R = g->row_num, S = g->split_num ? g->split_num : 1;
        int64_t per = (R + S - 1) / S;
        if (per <= 0) per = 1;
        for (int i = 0; i < P; i++) {
            uint32_t idx = (uint32_t)i;
            for (int64_t num = 0; num < R; num += per, idx += (uint32_t)P) {
                fake_split *sp = cv_arena_zalloc(a, sizeof *sp);
                if (!sp) return nomem(err);
                sp->table = t;
                sp->index = idx;
                sp->rows = CV_MIN(per, R - num);
                char id[64];
                snprintf(id, sizeof id, "%.40s_%u", fs->tables[t].table->full_name, idx);
                if (cv_splits_add(out, id, i, sp, sizeof *sp) < 0) return nomem(err);
            }
        }
    }
    if (s->ctx->mode == CV_MODE_STREAMING)
        for (int i = 0; i < P; i++)
            if (cv_splits_add(out, "idle", i, NULL, 0) < 0) return nomem(err);
    return 0;
}

typedef struct {
    const fake_split *sp;
    const fake_table *ft;
    int64_t left;      /* random rows still to emit, or fixed rows */
    uint32_t next_row; /* rows mode: next row of ft->rows */
    fake_rng rng;
    int64_t last_start_ns;
    bool idle;
} fake_reader;

static int reader_open(cv_reader *r, cv_err *err)
{
    fake_reader *fr = cv_calloc(1, sizeof *fr);
    if (!fr) return nomem(err);
    fr->last_start_ns = INT64_MIN / 2;
    r->priv = fr;
    return 0;
}

static int reader_start(cv_reader *r, const cv_split *split, cv_err *err)
{
    (void)err;
    fake_reader *fr = r->priv;
    fake_src *fs = r->src->priv;
    fr->idle = split->data == NULL;
    if (fr->idle) return 0;
    fr->sp = split->data;
    fr->ft = &fs->tables[fr->sp->table];
    int64_t interval_ns = fr->ft->cfg->split_interval * 1000000LL;
    int64_t due = fr->last_start_ns + interval_ns;
    while (cv_mono_ns() < due && !cv_ctx_cancelled(r->src->ctx))
        cv_sleep_ms(CV_MIN((due - cv_mono_ns()) / 1000000 + 1, 100));
    fr->last_start_ns = cv_mono_ns();
    fr->left = fr->ft->rows ? fr->ft->rows->nrows : fr->sp->rows;
    fr->next_row = 0;
    /* one stream per (table, split): data does not depend on thread timing */
    fake_rng_seed(&fr->rng,
                  fs->seed ^ ((uint64_t)fr->sp->table << 40) ^ ((uint64_t)fr->sp->index * 0x9E3779B97F4A7C15ULL));
    return 0;
}

static int reader_next(cv_reader *r, cv_emit *out, cv_err *err)
{
    fake_reader *fr = r->priv;
    if (fr->idle) {
        cv_sleep_ms(100);
        return cv_ctx_cancelled(r->src->ctx) ? CV_DONE : CV_MORE;
    }
    if (fr->left <= 0) return CV_DONE;
    const fake_table *ft = fr->ft;
    cv_batch *b = cv_emit_batch(out, ft->table);
    if (!b) return nomem(err);
    uint32_t room = b->cap - b->nrows;
    uint32_t n = (uint32_t)CV_MIN((int64_t)room, fr->left);
    if (ft->rows) {
        for (uint32_t i = 0; i < n; i++) cv_batch_copy_row(b, ft->rows, fr->next_row++);
    } else {
        for (uint32_t c = 0; c < b->ncols; c++) fake_gen(ft, &fr->rng, &b->cols[c], n, ft->table->cols[c].length);
        cv_batch_end_rows(b, n, CV_ROW_INSERT);
    }
    fr->left -= n;
    return fr->left > 0 ? CV_MORE : CV_DONE;
}

static void reader_close(cv_reader *r)
{
    cv_free(r->priv);
    r->priv = NULL;
}

static void src_close(cv_source *s)
{
    fake_src *fs = s->priv;
    if (!fs) return;
    for (uint32_t i = 0; i < fs->ntables; i++) cv_batch_free(fs->tables[i].rows);
    s->priv = NULL;
}

static const cv_plugin fake_source = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_SOURCE,
    .name = "FakeSource",
    .summary = "generate test rows: random by type, from templates, or given explicitly",
    .options = options,
    .settings_size = sizeof(fake_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_PARALLEL | CV_CAP_MULTI_TABLE | CV_CAP_CDC,
    .example = "    row.num = 16\n    schema = { fields { name = string, age = int } }\n",
    .src_open = src_open,
    .src_splits = src_splits,
    .reader_open = reader_open,
    .reader_start = reader_start,
    .reader_next = reader_next,
    .reader_close = reader_close,
    .src_close = src_close,
};

const cv_plugin *const cv_plugins_connectors_fake[] = {&fake_source, NULL};
