/* source.c — the Jdbc source: `query`, `table_path` or `table_list`, each
 * read as one catalog table whose columns come from the result's declared
 * types (the dialect maps them), filtered by `where_condition`.
 *
 * Tables (SeaTunnel's JdbcCatalogUtils): a table_path names the table
 * (and must exist unless a query is given too); a query alone is named
 * after the table its first column comes from, else default.default.default.
 * The primary key comes from table_path's table when the result keeps
 * all of its columns.
 *
 * Splits: a table is read in ranges of an integer split column —
 * partition_column, else a single-column integer primary key — when it
 * holds more than split.size rows (or partition_num asks): ranges are even
 * over [partition_lower_bound, partition_upper_bound], which default to
 * MIN and MAX; without explicit bounds the first and last ranges are open
 * and the first also takes NULLs, so no row is missed. Every reader has
 * its own read-only connection; any reader takes any split. */
#include "jdbc.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    cv_table *table;
    const char *sql; /* what the table's splits read: the query, filtered */
    const jdbc_table_cfg *cfg;
    const cv_node *block; /* the config object, for positions */
    int split_col;        /* -1: one split */
} src_table;

typedef struct {
    jdbc_url url;
    jdbc_connect_opts copts;
    jdbc_conn *conn; /* plan-time connection: catalog and splits */
    src_table *tables;
    uint32_t ntables;
} src_priv;

typedef struct {
    uint32_t table;
    const char *sql;
} src_split;

static const char *DEFAULT_PATH = "default.default.default";

static cv_pos pos_in(const cv_node *block, const char *key)
{
    const cv_node *n = cv_node_path(block, key);
    return cv_node_pos(n ? n : block);
}

/* Split "a.b.c" into (schema, table) for SQL: the last part is the
 * table, the one before it the schema (SQLite: an attached database). */
static int sql_path(cv_arena *a, const char *path, const char **schema, const char **table)
{
    const char *dot = strrchr(path, '.');
    *table = dot ? dot + 1 : path;
    *schema = NULL;
    if (dot) {
        const char *prev = dot;
        while (prev > path && prev[-1] != '.') prev--;
        if (!(*schema = cv_arena_strndup(a, prev, (size_t)(dot - prev)))) return CV_ENOMEM;
    }
    return 0;
}

static bool is_integer(const cv_type *t) { return t->id >= CV_T_I8 && t->id <= CV_T_I64; }

static int open_table(cv_source *s, src_priv *js, src_table *st, cv_err *err)
{
    cv_arena *a = s->ctx->arena;
    const jdbc_src_cfg *cfg = s->settings;
    const jdbc_dialect *d = js->url.dialect;
    const jdbc_table_cfg *tc = st->cfg;
    const char *qschema = NULL, *qtable = NULL;
    jdbc_table_keys keys = {0};
    cv_buf sql;
    cv_buf_init(&sql);
    if (tc->table_path) {
        if (sql_path(a, tc->table_path, &qschema, &qtable) < 0) return jdbc_nomem(err);
        int rc = d->table_keys(js->conn, a, qschema, qtable, &keys, err);
        if (rc < 0 && !tc->query) {
            cv_pos p = pos_in(st->block, "table_path");
            cv_err_locate(err, &p);
            return rc;
        }
        cv_err_clear(err);
        if (!keys.exists && !tc->query) {
            cv_pos p = pos_in(st->block, "table_path");
            return cv_err_at(err, CV_EIO, &p,
                             "ErrorCode:[API-05], ErrorDescription:[Table not existed] - table %s does not exist in %s",
                             tc->table_path, d->describe_target(&js->url));
        }
    }
    if (tc->query) {
        cv_buf_puts(&sql, tc->query);
    } else {
        cv_buf_puts(&sql, "SELECT * FROM ");
        jdbc_quote_path(d, qschema, qtable, &sql);
    }
    if (sql.oom) {
        cv_buf_free(&sql);
        return jdbc_nomem(err);
    }
    /* the schema comes from the query as written, as in SeaTunnel */
    jdbc_result_col *rcols;
    uint32_t n;
    int rc = d->describe(js->conn, sql.data, a, &rcols, &n, err);
    if (rc < 0) {
        cv_buf_free(&sql);
        cv_pos p = pos_in(st->block, tc->query ? "query" : "table_path");
        cv_err_locate(err, &p);
        return rc;
    }
    if (cfg->where) {
        char *base = cv_buf_steal(&sql);
        cv_buf_printf(&sql, "SELECT * FROM (%s) tmp %s", base ? base : "", cfg->where);
        cv_free(base);
    }
    st->sql = sql.oom ? NULL : cv_arena_strdup(a, sql.data);
    cv_buf_free(&sql);
    cv_table *t = cv_arena_zalloc(a, sizeof *t);
    cv_column *cols = cv_arena_zalloc(a, n * sizeof *cols);
    if (!st->sql || !t || !cols) return jdbc_nomem(err);
    for (uint32_t i = 0; i < n; i++) {
        cols[i].name = rcols[i].name;
        cols[i].type = rcols[i].type;
        cols[i].nullable = rcols[i].nullable;
        cols[i].length = rcols[i].length;
        cols[i].scale = rcols[i].scale;
    }
    t->cols = cols;
    t->ncols = n;
    const char *path = tc->table_path;
    if (!path && rcols[0].origin_table) {
        /* named after the first column's table, like SeaTunnel's driver
         * metadata; SQLite's "main" database is not part of the name */
        const char *db = rcols[0].origin_db;
        path = db && strcmp(db, "main") != 0 ? cv_arena_printf(a, "%s.%s", db, rcols[0].origin_table)
                                             : rcols[0].origin_table;
        if (!path) return jdbc_nomem(err);
    }
    if (!path) path = DEFAULT_PATH;
    rc = cv_table_set_path(a, t, path, false, err);
    if (rc < 0) {
        cv_pos p = pos_in(st->block, "table_path");
        cv_err_locate(err, &p);
        return rc;
    }
    if (keys.npk) {
        bool all = true;
        for (uint32_t k = 0; k < keys.npk; k++) all &= cv_table_find_col(t, keys.pk[k]) >= 0;
        if (all) {
            t->pk_cols = keys.pk;
            t->npk = keys.npk;
            t->pk_name = cv_arena_printf(a, "pk_%s", t->name);
            if (!t->pk_name) return jdbc_nomem(err);
        }
    }
    CV_TRY(cv_table_finish(a, t, err));
    st->table = t;
    st->split_col = -1;
    if (tc->partition_column) {
        int c = cv_table_find_col(t, tc->partition_column);
        cv_pos p = pos_in(st->block, "partition_column");
        char tn[64];
        if (c < 0)
            return cv_err_at(err, CV_ECONFIG, &p, "partition_column \"%s\" is not a column of %s", tc->partition_column,
                             t->full_name);
        if (!is_integer(t->cols[c].type))
            return cv_err_at(err, CV_EUNSUPPORTED, &p,
                             "partition_column \"%s\" is %s; culvert splits on integer columns only",
                             tc->partition_column, cv_type_str(t->cols[c].type, tn, sizeof tn));
        st->split_col = c;
    } else if (t->npk == 1) {
        int c = cv_table_find_col(t, t->pk_cols[0]);
        if (c >= 0 && is_integer(t->cols[c].type)) st->split_col = c;
    }
    return 0;
}

static int add_config(cv_source *s, src_priv *js, const jdbc_table_cfg *tc, const cv_node *block, cv_err *err)
{
    if (!tc->table_path && !tc->query) {
        cv_pos p = cv_node_pos(block);
        return cv_err_at(err, CV_ECONFIG, &p,
                         "Either table path or query must be specified in source configuration "
                         "(set table_path, query or table_list)%s",
                         "");
    }
    src_table *st = &js->tables[js->ntables++];
    st->cfg = tc;
    st->block = block;
    CV_TRY(open_table(s, js, st, err));
    for (uint32_t i = 0; i + 1 < js->ntables; i++)
        if (strcmp(js->tables[i].table->full_name, st->table->full_name) == 0) {
            cv_pos p = cv_node_pos(block);
            return cv_err_at(err, CV_ECONFIG, &p,
                             "two tables of this source are named %s; give each a unique table_path",
                             st->table->full_name);
        }
    return 0;
}

static int src_open(cv_source *s, cv_err *err)
{
    cv_arena *a = s->ctx->arena;
    const jdbc_src_cfg *cfg = s->settings;
    src_priv *js = cv_arena_zalloc(a, sizeof *js);
    if (!js) return jdbc_nomem(err);
    s->priv = js;
    CV_TRY(jdbc_url_parse(a, cfg->c.url, cv_optvals_given(s->given, "url"), &js->url, err));
    if (cfg->c.driver) cv_debug("%s: driver %s is ignored: the url picks the native client", s->label, cfg->c.driver);
    if (cfg->where && !cv_strneq_nocase(cfg->where, "where", 5)) {
        cv_pos p = jdbc_opt_pos(s->given, s->config, "where_condition");
        return cv_err_at(err, CV_ECONFIG, &p, "where_condition must start with `where`, e.g. \"where id > 100\"%s", "");
    }
    uint32_t n = 1;
    if (cfg->table_list) {
        if (cfg->t.query || cfg->t.table_path) {
            cv_pos p = jdbc_opt_pos(s->given, s->config, "table_list");
            return cv_err_at(err, CV_ECONFIG, &p,
                             "Please configure either `table_list` or `table_path`/`query`, not both%s", "");
        }
        n = cfg->table_list->u.arr.n;
        if (n == 0) {
            cv_pos p = jdbc_opt_pos(s->given, s->config, "table_list");
            return cv_err_at(err, CV_ECONFIG, &p, "table_list is empty%s", "");
        }
    }
    js->tables = cv_arena_zalloc(a, n * sizeof *js->tables);
    if (!js->tables) return jdbc_nomem(err);
    jdbc_connect_opts_init(&js->copts, &js->url, &cfg->c, s->ctx, true);
    int rc = js->url.dialect->connect(&js->copts, &js->conn, err);
    if (rc < 0) {
        cv_pos p = jdbc_opt_pos(s->given, s->config, "url");
        cv_err_locate(err, &p);
        return rc;
    }
    if (!cfg->table_list) CV_TRY(add_config(s, js, &cfg->t, s->config, err));
    for (uint32_t i = 0; cfg->table_list && i < n; i++) {
        const cv_node *item = cfg->table_list->u.arr.v[i];
        jdbc_table_cfg *tc = cv_arena_zalloc(a, sizeof *tc);
        if (!tc) return jdbc_nomem(err);
        cv_optset set = {jdbc_table_list_options, tc};
        CV_TRY(cv_options_apply(a, item, &set, 1, "Jdbc table_list item", NULL, err));
        tc->use_select_count |= cfg->t.use_select_count;
        CV_TRY(add_config(s, js, tc, item, err));
    }
    s->tables = cv_arena_alloc(a, js->ntables * sizeof *s->tables);
    if (!s->tables) return jdbc_nomem(err);
    for (uint32_t i = 0; i < js->ntables; i++) s->tables[i] = js->tables[i].table;
    s->ntables = js->ntables;
    return 0;
}

/* A bound given as text (SeaTunnel reads a BigDecimal). */
static int bound(const src_table *st, const char *key, const char *text, int64_t *v, cv_err *err)
{
    if (cv_parse_i64(text, strlen(text), v)) return 0;
    cv_pos p = pos_in(st->block, key);
    return cv_err_at(err, CV_ECONFIG, &p, "%s must be an integer, not \"%s\"", key, text);
}

static int add_split(cv_source *s, uint32_t ti, uint32_t k, const char *sql, cv_split_list *out, cv_err *err)
{
    src_priv *js = s->priv;
    src_split *sp = cv_arena_zalloc(s->ctx->arena, sizeof *sp);
    if (!sp || !sql) return jdbc_nomem(err);
    sp->table = ti;
    sp->sql = sql;
    char id[64];
    snprintf(id, sizeof id, "%.48s_%u", js->tables[ti].table->full_name, k);
    return cv_splits_add(out, id, -1, sp, sizeof *sp) < 0 ? jdbc_nomem(err) : 0;
}

static int table_splits(cv_source *s, uint32_t ti, cv_split_list *out, cv_err *err)
{
    src_priv *js = s->priv;
    const jdbc_src_cfg *cfg = s->settings;
    const jdbc_dialect *d = js->url.dialect;
    cv_arena *a = s->ctx->arena;
    src_table *st = &js->tables[ti];
    const jdbc_table_cfg *tc = st->cfg;
    if (st->split_col < 0) return add_split(s, ti, 0, st->sql, out, err);
    cv_buf col;
    cv_buf_init(&col);
    jdbc_quote(d, st->table->cols[st->split_col].name, &col);
    if (col.oom) return jdbc_nomem(err);
    const char *c = cv_arena_strdup(a, col.data);
    cv_buf_free(&col);
    if (!c) return jdbc_nomem(err);
    int64_t lo, hi, rows = 0;
    bool none_lo = false, none_hi = false, fixed_lo = tc->lower != NULL, fixed_hi = tc->upper != NULL;
    const char *q;
    /* one partition without bounds is the whole query: no MIN/MAX scans */
    if (tc->partition_num == 1 && !fixed_lo && !fixed_hi) return add_split(s, ti, 0, st->sql, out, err);
    if (fixed_lo) {
        CV_TRY(bound(st, "partition_lower_bound", tc->lower, &lo, err));
    } else {
        if (!(q = cv_arena_printf(a, "SELECT MIN(%s) FROM (%s) tmp", c, st->sql))) return jdbc_nomem(err);
        CV_TRY(d->query_i64(js->conn, q, &lo, &none_lo, err));
    }
    if (fixed_hi) {
        CV_TRY(bound(st, "partition_upper_bound", tc->upper, &hi, err));
    } else {
        if (!(q = cv_arena_printf(a, "SELECT MAX(%s) FROM (%s) tmp", c, st->sql))) return jdbc_nomem(err);
        CV_TRY(d->query_i64(js->conn, q, &hi, &none_hi, err));
    }
    if (none_lo || none_hi || lo > hi) {
        if (fixed_lo || fixed_hi) {
            /* explicit bounds limit the scan even when nothing is in them */
            if (!(q = cv_arena_printf(a, "SELECT * FROM (%s) tmp WHERE %s >= %lld AND %s <= %lld", st->sql, c,
                                      (long long)lo, c, (long long)hi)))
                return jdbc_nomem(err);
            return add_split(s, ti, 0, q, out, err);
        }
        return add_split(s, ti, 0, st->sql, out, err);
    }
    int64_t nsplits = tc->partition_num;
    if (nsplits <= 0) {
        bool null;
        if (!(q = cv_arena_printf(a, "SELECT COUNT(*) FROM (%s) tmp", st->sql))) return jdbc_nomem(err);
        CV_TRY(d->query_i64(js->conn, q, &rows, &null, err));
        nsplits = (rows + cfg->split_size - 1) / cfg->split_size;
    }
    __int128 span = (__int128)hi - lo + 1;
    if (nsplits < 1) nsplits = 1;
    if ((__int128)nsplits > span) nsplits = (int64_t)span;
    if (nsplits == 1 && !fixed_lo && !fixed_hi) return add_split(s, ti, 0, st->sql, out, err);
    __int128 step = (span + nsplits - 1) / nsplits;
    cv_debug("%s: %s in %lld splits on %s from %lld to %lld", s->label, st->table->full_name, (long long)nsplits, c,
             (long long)lo, (long long)hi);
    for (int64_t k = 0; k < nsplits; k++) {
        __int128 from = lo + step * k, to = from + step; /* [from, to) */
        bool first = k == 0, last = k == nsplits - 1 || to > hi;
        cv_buf w;
        cv_buf_init(&w);
        cv_buf_printf(&w, "SELECT * FROM (%s) tmp WHERE ", st->sql);
        bool nulls = first && !fixed_lo && !fixed_hi; /* NULL keys go to the first split */
        bool has_lo = !(first && !fixed_lo), has_hi = !(last && !fixed_hi);
        if (nulls) cv_buf_putc(&w, '(');
        if (has_lo) cv_buf_printf(&w, "%s >= %lld", c, (long long)from);
        if (has_lo && has_hi) cv_buf_puts(&w, " AND ");
        if (has_hi) cv_buf_printf(&w, last ? "%s <= %lld" : "%s < %lld", c, (long long)(last ? hi : to));
        if (nulls) cv_buf_printf(&w, " OR %s IS NULL)", c);
        const char *sql = w.oom ? NULL : cv_arena_strdup(a, w.data);
        cv_buf_free(&w);
        CV_TRY(add_split(s, ti, (uint32_t)k, sql, out, err));
        if (last) break;
    }
    return 0;
}

static int src_splits(cv_source *s, cv_split_list *out, cv_err *err)
{
    src_priv *js = s->priv;
    for (uint32_t i = 0; i < js->ntables; i++) CV_TRY(table_splits(s, i, out, err));
    return 0;
}

static void src_close(cv_source *s)
{
    src_priv *js = s->priv;
    if (!js) return;
    if (js->conn) js->url.dialect->disconnect(js->conn);
    js->conn = NULL;
    s->priv = NULL;
}

typedef struct {
    jdbc_conn *conn;
    jdbc_cursor *cur;
    const cv_table *table;
} src_reader;

static void reader_close(cv_reader *r);

static int reader_open(cv_reader *r, cv_err *err)
{
    src_priv *js = r->src->priv;
    src_reader *sr = cv_calloc(1, sizeof *sr);
    if (!sr) return jdbc_nomem(err);
    r->priv = sr;
    int rc = js->url.dialect->connect(&js->copts, &sr->conn, err);
    if (rc < 0) reader_close(r); /* the engine closes only what opened */
    return rc;
}

static int reader_start(cv_reader *r, const cv_split *split, cv_err *err)
{
    src_priv *js = r->src->priv;
    src_reader *sr = r->priv;
    const src_split *sp = split->data;
    sr->table = js->tables[sp->table].table;
    return js->url.dialect->cursor_open(sr->conn, sp->sql, sr->table, split->id, &sr->cur, err);
}

static int reader_next(cv_reader *r, cv_emit *out, cv_err *err)
{
    src_priv *js = r->src->priv;
    src_reader *sr = r->priv;
    cv_batch *b = cv_emit_batch(out, sr->table);
    if (!b) return jdbc_nomem(err);
    bool done;
    CV_TRY(js->url.dialect->cursor_fetch(sr->cur, b, &done, err));
    if (!done) return CV_MORE;
    js->url.dialect->cursor_close(sr->cur);
    sr->cur = NULL;
    return CV_DONE;
}

static void reader_close(cv_reader *r)
{
    src_priv *js = r->src->priv;
    src_reader *sr = r->priv;
    if (!sr) return;
    if (sr->cur) js->url.dialect->cursor_close(sr->cur);
    if (sr->conn) js->url.dialect->disconnect(sr->conn);
    cv_free(sr);
    r->priv = NULL;
}

const cv_plugin jdbc_source = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_SOURCE,
    .name = "Jdbc",
    .summary = "read tables or queries from a database (PostgreSQL, MySQL/MariaDB, SQLite)",
    .options = jdbc_source_options,
    .settings_size = sizeof(jdbc_src_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_PARALLEL | CV_CAP_MULTI_TABLE | CV_CAP_SPLITS_FIXED,
    .example = "    url = \"jdbc:sqlite::memory:\"\n"
               "    query = \"WITH RECURSIVE n(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM n WHERE id < 100) "
               "SELECT id, 'row ' || id AS name FROM n\"\n",
    .src_open = src_open,
    .src_splits = src_splits,
    .reader_open = reader_open,
    .reader_start = reader_start,
    .reader_next = reader_next,
    .reader_close = reader_close,
    .src_close = src_close,
};
