/* sink.c — the Jdbc sink.
 *
 * Targets: every upstream table gets one, fixed at plan time: the `table`
 * option (default ${table_name}) with its placeholders filled from that
 * table, or a custom `query` whose ? parameters take the columns in order.
 * The key is primary_keys, else the upstream primary key, else its first
 * unique key (SeaTunnel's JdbcSinkFactory).
 *
 * Rows: with a key, +I and +U upsert (the dialect's clause, or a lookup
 * then UPDATE/INSERT when enable_upsert = false or
 * support_upsert_by_query_primary_key_exist), -D deletes by key and -U is
 * skipped; without one, and for a custom query, every row runs the
 * statement. Rows keep their order; consecutive rows with the same
 * operation go to the dialect together, batch_size at a time.
 *
 * Bulk: where the dialect writes in bulk (PostgreSQL COPY, MySQL
 * multi-row INSERT), runs of inserts go that way, and so do upserts: by
 * the dialect's bulk upsert, else optimistically as a bulk INSERT that
 * falls back to the upsert statement when a key is already there (the
 * bulk attempt is undone by savepoint, and the writer keeps to statements
 * for that table for a while, doubling the while on each conflict). A key
 * met by plain inserts fails the job: no fallback may skip a row, and
 * every fallback undoes exactly what it writes again (docs/jdbc/
 * integrity.md walks through each path).
 *
 * Counts: what the database acknowledged for each write is compared with
 * what was sent and reported to the engine (cv_writer_acked) when the
 * batch's savepoint is released; db.c takes it back on rollback.
 *
 * Transactions (db.c): a batch runs in a savepoint of the open
 * transaction and a writer's checkpoint commits, so a failed job leaves
 * only what earlier checkpoints committed. With is_exactly_once the
 * checkpoint prepares instead (PostgreSQL PREPARE TRANSACTION, MySQL XA
 * PREPARE), the prepared names are the commit infos and the sink's commit
 * finishes them: nothing is visible before every writer has prepared. */
#include "jdbc.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* The rows of a prepared two-phase transaction, counted as written until
 * the sink's abort takes them back. */
typedef struct {
    char gid[80];
    jdbc_acks acks;
} xa_rows;

typedef struct {
    jdbc_url url; /* the sink's database: the url's, or `database` */
    jdbc_connect_opts copts;
    jdbc_db *db; /* run: shared with the writers; check: NULL */
    jdbc_target *targets;
    uint32_t ntargets;
    const char *dbname;
    bool custom;
    char xa_prefix[40];    /* "culvert-<job name hash>-": names of this job's prepared transactions */
    pthread_mutex_t xa_mu; /* guards prepared */
    bool xa_mu_ready;
    CV_VEC(xa_rows) prepared;
} sink_priv;

static int target_key(cv_sink *s, jdbc_target *t, cv_err *err)
{
    cv_arena *a = s->ctx->arena;
    const jdbc_sink_cfg *cfg = s->settings;
    const cv_table *in = t->in;
    cv_strlist names = {0};
    if (cfg->primary_keys.n) {
        if (cv_placeholder_expand_list(a, &cfg->primary_keys, in, &names) < 0) return jdbc_nomem(err);
    } else if (in->npk) {
        names.v = in->pk_cols;
        names.n = in->npk;
    } else {
        for (uint32_t k = 0; k < in->nkeys && !names.n; k++) {
            const cv_constraint *c = &in->keys[k];
            if (!c->kind || strcmp(c->kind, "UNIQUE_KEY") != 0 || !c->ncols) continue;
            names.v = cv_arena_alloc(a, c->ncols * sizeof *names.v);
            if (!names.v) return jdbc_nomem(err);
            for (uint32_t i = 0; i < c->ncols; i++) names.v[i] = c->cols[i].name;
            names.n = c->ncols;
        }
    }
    t->key = cv_arena_alloc(a, (names.n + 1) * sizeof *t->key);
    t->other = cv_arena_alloc(a, (in->ncols + 1) * sizeof *t->other);
    if (!t->key || !t->other) return jdbc_nomem(err);
    for (size_t k = 0; k < names.n; k++) {
        int c = cv_table_find_col(in, names.v[k]);
        if (c < 0) {
            cv_buf cols;
            cv_buf_init(&cols);
            for (uint32_t i = 0; i < in->ncols; i++) cv_buf_printf(&cols, "%s%s", i ? ", " : "", in->cols[i].name);
            cv_pos p = jdbc_opt_pos(s->given, s->config, "primary_keys");
            int rc = cv_err_at(err, CV_ECONFIG, &p, "primary_keys: \"%s\" is not a column of %s (columns: %s)",
                               names.v[k], in->full_name, cols.data ? cols.data : "");
            cv_buf_free(&cols);
            return rc;
        }
        for (uint32_t j = 0; j < t->nkey; j++)
            if (t->key[j] == (uint32_t)c) {
                cv_pos p = jdbc_opt_pos(s->given, s->config, "primary_keys");
                return cv_err_at(err, CV_ECONFIG, &p, "primary_keys names \"%s\" twice", names.v[k]);
            }
        t->key[t->nkey++] = (uint32_t)c;
    }
    for (uint32_t i = 0; i < in->ncols; i++) {
        bool key = false;
        for (uint32_t k = 0; k < t->nkey; k++) key |= t->key[k] == i;
        if (!key) t->other[t->nother++] = i;
    }
    return 0;
}

static int make_target(cv_sink *s, sink_priv *js, uint32_t i, cv_err *err)
{
    cv_arena *a = s->ctx->arena;
    const jdbc_sink_cfg *cfg = s->settings;
    const jdbc_dialect *d = js->url.dialect;
    jdbc_target *t = &js->targets[i];
    const cv_table *in = s->tables[i];
    t->in = in;
    t->same_as = -1;
    t->all = cv_arena_alloc(a, (in->ncols + 1) * sizeof *t->all);
    t->cols = cv_arena_alloc(a, (in->ncols + 1) * sizeof *t->cols);
    if (!t->all || !t->cols) return jdbc_nomem(err);
    for (uint32_t c = 0; c < in->ncols; c++) {
        t->all[c] = c;
        if (!(t->cols[c] = jdbc_ident_case(a, in->cols[c].name, cfg->field_ide))) return jdbc_nomem(err);
    }
    if (cv_placeholder_expand(a, cfg->custom_sql, in, &t->custom_sql) < 0) return jdbc_nomem(err);
    if (js->custom) {
        if (cv_placeholder_expand(a, cfg->query, in, &t->custom) < 0) return jdbc_nomem(err);
        t->display = in->full_name;
        return 0;
    }
    CV_TRY(target_key(s, t, err));
    const char *name;
    if (cv_placeholder_expand(a, cfg->table, in, &name) < 0) return jdbc_nomem(err);
    /* "schema.table": the last part is the table (SeaTunnel splits on '.') */
    const char *dot = strrchr(name, '.');
    if (dot && d->schema_qualifies && dot > name) {
        const char *prev = dot;
        while (prev > name && prev[-1] != '.') prev--;
        if (!(t->schema = cv_arena_strndup(a, prev, (size_t)(dot - prev)))) return jdbc_nomem(err);
    }
    t->name = dot ? dot + 1 : name;
    if (!t->schema && cfg->database && d->schema_is_database && !(dot && d->schema_qualifies))
        t->schema = cfg->database;
    if (!t->name[0]) {
        cv_pos p = jdbc_opt_pos(s->given, s->config, "table");
        return cv_err_at(err, CV_ECONFIG, &p, "table \"%s\" gives an empty table name for upstream table %s",
                         cfg->table, in->full_name);
    }
    /* field_ide re-cases the table (and the columns), never the schema or
     * database: SeaTunnel's dialects apply it to the last part of a table
     * path only (quoteIdentifier; quoteDatabaseIdentifier leaves it) */
    t->name = jdbc_ident_case(a, t->name, cfg->field_ide);
    t->display = t->schema ? cv_arena_printf(a, "%s.%s", t->schema, t->name) : t->name;
    cv_buf q;
    cv_buf_init(&q);
    jdbc_quote_path(d, t->schema, t->name, &q);
    t->qualified = q.oom ? NULL : cv_arena_strdup(a, q.data);
    cv_buf_free(&q);
    if (!t->name || !t->display || !t->qualified) return jdbc_nomem(err);
    for (uint32_t k = 0; k < i; k++) {
        const jdbc_target *o = &js->targets[k];
        if (o->same_as < 0 && cv_streq_nocase(o->name, t->name) &&
            ((!o->schema && !t->schema) || (o->schema && t->schema && cv_streq_nocase(o->schema, t->schema)))) {
            t->same_as = (int)k;
            break;
        }
    }
    return jdbc_sql_build(a, d, t, cfg->pk_updated, err);
}

/* A custom query must take exactly the upstream columns. */
static int check_custom(cv_sink *s, sink_priv *js, jdbc_conn *c, cv_err *err)
{
    const jdbc_dialect *d = js->url.dialect;
    for (uint32_t i = 0; i < js->ntargets; i++) {
        const jdbc_target *t = &js->targets[i];
        jdbc_stmt *st;
        cv_pos p = jdbc_opt_pos(s->given, s->config, "query");
        int rc = d->prepare(c, t->custom, t->in, t->all, t->in->ncols, &st, err);
        if (rc < 0) {
            cv_err_locate(err, &p);
            return rc;
        }
        int np = d->param_count(st);
        d->finalize(st);
        if ((uint32_t)np != t->in->ncols)
            return cv_err_at(err, CV_ECONFIG, &p,
                             "query has %d parameter%s but %s has %u column%s (the ? take the columns in order)", np,
                             np == 1 ? "" : "s", t->in->full_name, t->in->ncols, t->in->ncols == 1 ? "" : "s");
    }
    return 0;
}

static int sink_open(cv_sink *s, cv_err *err)
{
    cv_arena *a = s->ctx->arena;
    const jdbc_sink_cfg *cfg = s->settings;
    sink_priv *js = cv_arena_zalloc(a, sizeof *js);
    if (!js) return jdbc_nomem(err);
    s->priv = js;
    if (cv_optvals_given(s->given, "max_retries")) s->max_retries = (int)cfg->max_retries;
    pthread_mutex_init(&js->xa_mu, NULL);
    js->xa_mu_ready = true;
    CV_TRY(jdbc_url_parse(a, cfg->c.url, cv_optvals_given(s->given, "url"), &js->url, err));
    const jdbc_dialect *d = js->url.dialect;
    if (cfg->c.driver) cv_debug("%s: driver %s is ignored: the url picks the native client", s->label, cfg->c.driver);
    if (cfg->database && !d->schema_is_database) {
        if (js->url.host)
            js->url.database = cfg->database; /* the database to connect to */
        else
            cv_debug("%s: database %s is ignored: the %s file is the database", s->label, cfg->database, d->name);
    }
    js->dbname = d->describe_target(&js->url);
    if (cfg->exactly_once && !d->xa_begin) {
        cv_pos p = jdbc_opt_pos(s->given, s->config, "is_exactly_once");
        return cv_err_at(err, CV_EUNSUPPORTED, &p,
                         "is_exactly_once needs two-phase commit, which %s does not have; without it culvert commits "
                         "%s once per checkpoint (at-least-once)",
                         d->name, d->name);
    }
    if (cfg->exactly_once && cfg->xa_class)
        cv_debug("%s: xa_data_source_class_name %s is ignored: %s's own two-phase commit is used", s->label,
                 cfg->xa_class, d->name);
    if (cfg->use_copy && !d->bulk) {
        cv_pos p = jdbc_opt_pos(s->given, s->config, "use_copy_statement");
        return cv_err_at(err, CV_EUNSUPPORTED, &p, "use_copy_statement is PostgreSQL's COPY; %s has none", d->name);
    }
    /* one name per job, so that a later run can find what a killed run left prepared */
    uint32_t h = 2166136261u;
    for (const char *p = s->ctx->job_name ? s->ctx->job_name : ""; *p; p++) h = (h ^ (uint8_t)*p) * 16777619u;
    snprintf(js->xa_prefix, sizeof js->xa_prefix, "culvert-%08x-", h);
    if (cfg->data_mode == JDBC_DATA_CUSTOM && !cfg->custom_sql) {
        cv_pos p = jdbc_opt_pos(s->given, s->config, "data_save_mode");
        return cv_err_at(err, CV_ECONFIG, &p, "data_save_mode = CUSTOM_PROCESSING needs custom_sql%s", "");
    }
    js->custom = cfg->query != NULL;
    if (!js->custom && !cfg->generate_sink_sql) {
        cv_pos p = cv_node_pos(s->config);
        return cv_err_at(err, CV_ECONFIG, &p,
                         "the Jdbc sink needs `query` (a statement with ? parameters) or `generate_sink_sql = true` "
                         "with `table`%s",
                         "");
    }
    js->ntargets = s->ntables;
    js->targets = cv_arena_zalloc(a, (s->ntables + 1) * sizeof *js->targets);
    if (!js->targets) return jdbc_nomem(err);
    for (uint32_t i = 0; i < s->ntables; i++) CV_TRY(make_target(s, js, i, err));
    if (!s->ctx->check_only) {
        jdbc_connect_opts_init(&js->copts, &js->url, &cfg->c, s->ctx, false);
        int rc = jdbc_db_open(&js->copts, true, &js->db, err);
        if (rc < 0) {
            cv_pos p = jdbc_opt_pos(s->given, s->config, "url");
            cv_err_locate(err, &p);
            return rc;
        }
        if (!js->custom) return 0;
        jdbc_db_lock(js->db);
        rc = check_custom(s, js, jdbc_db_conn(js->db), err);
        jdbc_db_unlock(js->db);
        return rc;
    }
    /* check: touch nothing; validate a custom query against an existing
     * database opened read-only (an in-memory one has no tables yet) */
    if (!js->custom || d->ephemeral(&js->url)) return 0;
    jdbc_connect_opts ro;
    jdbc_connect_opts_init(&ro, &js->url, &cfg->c, s->ctx, true);
    jdbc_conn *c;
    cv_err e;
    cv_err_clear(&e);
    if (d->connect(&ro, &c, &e) < 0) {
        cv_debug("%s: the query is not checked: %s", s->label, e.msg);
        return 0;
    }
    int rc = check_custom(s, js, c, err);
    d->disconnect(c);
    return rc;
}

/* The statements writers will use, prepared once to fail before any row
 * flows: a missing table or column, an upsert without a matching key. */
static int check_targets(sink_priv *js, const jdbc_sink_cfg *cfg, cv_err *err)
{
    const jdbc_dialect *d = js->url.dialect;
    jdbc_conn *c = jdbc_db_conn(js->db);
    bool clause = cfg->enable_upsert && !cfg->upsert_by_query && !cfg->insert_only;
    for (uint32_t i = 0; i < js->ntargets; i++) {
        const jdbc_target *t = &js->targets[i];
        if (t->same_as >= 0) continue;
        const char *sql[5] = {t->insert, t->del, clause ? t->upsert : NULL, clause ? NULL : t->exists,
                              clause ? NULL : t->update};
        for (int k = 0; k < 5; k++) {
            if (!sql[k] || (k > 0 && !t->nkey)) continue;
            jdbc_stmt *st;
            cv_err e;
            cv_err_clear(&e);
            int rc = d->prepare(c, sql[k], t->in, t->all, t->in->ncols, &st, &e);
            if (rc < 0)
                return cv_err_set(err, rc, "table %s: %s%s", t->display, e.msg,
                                  k == 2 ? " (an upsert needs a primary key or unique index on the key columns; "
                                           "enable_upsert = false upserts by lookup instead)"
                                         : "");
            d->finalize(st);
        }
    }
    return 0;
}

/* Prepared transactions a run of this job left behind when it died
 * between prepare and commit: they hold their locks until someone
 * finishes them, and a run that starts over cannot commit them (culvert
 * does not restore checkpoints across runs yet), so they are rolled back
 * — but only those of runs that are gone: every run holds a lock named
 * after it on the sink's connection for as long as it lives. */
static void run_lock_name(const char *job_id, size_t n, char *out, size_t cap)
{
    snprintf(out, cap, "culvert-run-%.*s", (int)CV_MIN(n, 40u), job_id);
}

static int clear_stale(cv_sink *s, sink_priv *js, cv_err *err)
{
    const jdbc_dialect *d = js->url.dialect;
    jdbc_conn *c = jdbc_db_conn(js->db);
    if (!d->xa_pending || !d->run_lock || !d->run_alive) return 0;
    const char *me = s->ctx->job_id ? s->ctx->job_id : "";
    char name[80];
    run_lock_name(me, strlen(me), name, sizeof name);
    CV_TRY(d->run_lock(c, name, err));
    const char **gids;
    uint32_t n;
    CV_TRY(d->xa_pending(c, js->xa_prefix, s->ctx->arena, &gids, &n, err));
    size_t plen = strlen(js->xa_prefix);
    for (uint32_t i = 0; i < n; i++) {
        /* <prefix><run id>-<sink>-<writer>-<sequence> */
        const char *run = gids[i] + plen, *dash = strchr(run, '-');
        size_t rl = dash ? (size_t)(dash - run) : strlen(run);
        if (rl == strlen(me) && strncmp(run, me, rl) == 0) continue;
        bool alive;
        run_lock_name(run, rl, name, sizeof name);
        CV_TRY(d->run_alive(c, name, &alive, err));
        if (alive) continue;
        cv_warn("%s: rolling back prepared transaction %s, left uncommitted by an earlier run of job \"%s\" that "
                "ended before committing it",
                s->label, gids[i], s->ctx->job_name ? s->ctx->job_name : "");
        CV_TRY(d->xa_rollback(c, gids[i], err));
    }
    return 0;
}

static int sink_save_mode(cv_sink *s, cv_err *err)
{
    sink_priv *js = s->priv;
    const jdbc_sink_cfg *cfg = s->settings;
    if (cfg->exactly_once) {
        jdbc_db_lock(js->db);
        int rc = clear_stale(s, js, err);
        jdbc_db_unlock(js->db);
        CV_TRY(rc);
    }
    if (js->custom) {
        cv_debug("%s: save modes do not apply to a custom query", s->label);
        return 0;
    }
    CV_TRY(jdbc_save_modes(js->db, s->ctx->arena, cfg, js->dbname, js->targets, js->ntargets, err));
    jdbc_db_lock(js->db);
    int rc = check_targets(js, cfg, err);
    jdbc_db_unlock(js->db);
    return rc;
}

/* ---- writers ------------------------------------------------------------------------ */

enum { ST_MAIN, ST_UPSERT, ST_DELETE, ST_UPDATE, ST_EXISTS, ST__N };

/* A writer's memory of bulk writes per target. */
typedef struct {
    bool no_bulk;        /* the dialect declined the target in bulk */
    bool no_bulk_upsert; /* the dialect declined a bulk upsert */
    bool no_stream;      /* the dialect declined a bulk stream */
    uint32_t skip;       /* batches to write by statement after a key conflict */
    uint32_t backoff;    /* the last skip; doubles on each conflict */
} bulk_state;

/* Whole batches of inserts held back to go out in one bulk write: a
 * PostgreSQL COPY costs a round trip and a plan to start, so one per
 * engine batch would cost a third of a copy's time. */
typedef struct {
    cv_batch **v;
    uint32_t n, cap;
    uint64_t rows;
    size_t bytes;
    uint32_t ti;           /* their target */
    uint64_t first;        /* the writer's row number (from 0) of v[0]'s first row */
    uint64_t stream_first; /* … and of the open stream's */
    bool upsert;           /* upserts (keyed target) or plain inserts */
    bool streaming;        /* they are in an open bulk stream already (bulk_start) */
    /* the open stream also holds batches no longer kept here: a plain
     * insert stream outlives the pending bound (ending a COPY drains the
     * pipeline), so if it fails it cannot be replayed and the failure is
     * final */
    bool partial;
} pending;

#define PENDING_MAX_ROWS 65536
#define PENDING_MAX_BYTES ((size_t)16 << 20)

typedef struct {
    jdbc_db *db;
    jdbc_stmt *(*st)[ST__N]; /* per target, prepared on first use */
    bulk_state *bulk;        /* per target */
    pending pend;
    jdbc_rows *parts; /* scratch for pend */
    uint32_t *ident;  /* 0, 1, 2, …: every row of a batch */
    uint32_t nident;
    uint32_t *rows;
    uint32_t cap;
    uint32_t last;        /* target of the previous batch */
    uint32_t cur;         /* target being written, for messages */
    int index;            /* the writer's, for messages */
    cv_writer *w;         /* for cv_writer_acked */
    int64_t sp_acked;     /* rows the database acknowledged in the open batch savepoint */
    uint64_t stream_rows; /* rows sent into the open stream */
    uint64_t received;    /* rows of the batches the writer took */
    uint64_t batch_first; /* the writer's row number of the batch being written */
    bool dirty;           /* the current batch has written something */
    int64_t xa_seq;       /* two-phase commit: number of the next transaction */
} jdbc_writer;

static void writer_close(cv_writer *w);

/* The name of a writer's next two-phase transaction: the job's prefix,
 * the run, the sink, the writer and a sequence number; under 64 bytes. */
static void next_xa(cv_writer *w, jdbc_writer *jw)
{
    const sink_priv *js = w->sink->priv;
    uint32_t h = 2166136261u;
    for (const char *p = w->sink->label ? w->sink->label : ""; *p; p++) h = (h ^ (uint8_t)*p) * 16777619u;
    char gid[72];
    snprintf(gid, sizeof gid, "%s%.20s-%04x-%d-%lld", js->xa_prefix, w->sink->ctx->job_id ? w->sink->ctx->job_id : "",
             h & 0xffff, w->index, (long long)++jw->xa_seq);
    jdbc_db_set_xa(jw->db, gid);
}

static int writer_open(cv_writer *w, cv_err *err)
{
    sink_priv *js = w->sink->priv;
    const jdbc_sink_cfg *cfg = w->sink->settings;
    jdbc_writer *jw = cv_calloc(1, sizeof *jw);
    if (!jw) return jdbc_nomem(err);
    w->priv = jw;
    jw->index = w->index;
    jw->w = w;
    jw->st = cv_calloc(js->ntargets + 1, sizeof *jw->st);
    jw->bulk = cv_calloc(js->ntargets + 1, sizeof *jw->bulk);
    int rc = jw->st && jw->bulk ? jdbc_db_open(&js->copts, true, &jw->db, err) : jdbc_nomem(err);
    if (rc < 0) {
        writer_close(w); /* the engine closes only what opened */
        return rc;
    }
    if (cfg->exactly_once) next_xa(w, jw);
    return 0;
}

static void writer_close(cv_writer *w)
{
    sink_priv *js = w->sink->priv;
    jdbc_writer *jw = w->priv;
    if (!jw) return;
    if (jw->db) {
        jdbc_db_lock(jw->db);
        if (jw->pend.streaming) {
            /* a failed job's stream: stop it, the transaction is undone */
            cv_err e;
            cv_err_clear(&e);
            js->url.dialect->bulk_end(jdbc_db_conn(jw->db), true, &e);
        }
        for (uint32_t i = 0; jw->st && i < js->ntargets; i++)
            for (int k = 0; k < ST__N; k++) js->url.dialect->finalize(jw->st[i][k]);
        jdbc_db_unlock(jw->db);
        jdbc_db_close(jw->db);
    }
    for (uint32_t i = 0; i < jw->pend.n; i++) cv_batch_free(jw->pend.v[i]); /* a failed job's */
    cv_free(jw->pend.v);
    cv_free(jw->parts);
    cv_free(jw->ident);
    cv_free(jw->st);
    cv_free(jw->bulk);
    cv_free(jw->rows);
    cv_free(jw);
    w->priv = NULL;
}

static int stmt(jdbc_writer *jw, const sink_priv *js, uint32_t ti, int which, jdbc_stmt **out, cv_err *err)
{
    const jdbc_target *t = &js->targets[ti];
    if (!jw->st[ti][which]) {
        const char *sql = which == ST_MAIN     ? (t->custom ? t->custom : t->insert)
                          : which == ST_UPSERT ? t->upsert
                          : which == ST_DELETE ? t->del
                          : which == ST_UPDATE ? t->update
                                               : t->exists;
        const uint32_t *cols = which == ST_DELETE || which == ST_EXISTS ? t->key : which == ST_UPDATE ? t->upd : t->all;
        uint32_t n = which == ST_DELETE || which == ST_EXISTS ? t->nkey : which == ST_UPDATE ? t->nupd : t->in->ncols;
        /* the statement's text in the message names the table */
        CV_TRY(js->url.dialect->prepare(jdbc_db_conn(jw->db), sql, t->in, cols, n, &jw->st[ti][which], err));
        bool stores = which == ST_UPSERT || which == ST_UPDATE || (which == ST_MAIN && !t->custom);
        if (stores && js->url.dialect->param_columns) {
            /* which column each parameter lands in, for dialects that check */
            const char **names = cv_calloc(n ? n : 1, sizeof *names);
            if (!names) return jdbc_nomem(err);
            for (uint32_t k = 0; k < n; k++) names[k] = t->cols[cols[k]];
            int rc = js->url.dialect->param_columns(jw->st[ti][which], t->schema, t->name, names, n, err);
            cv_free(names);
            CV_TRY(rc);
        }
    }
    *out = jw->st[ti][which];
    return 0;
}

/* How the rows a write acknowledges compare with the rows it sent: an
 * INSERT stores each (and so does an upsert that has columns to update);
 * an upsert of key columns only may find its row there; a DELETE may find
 * none, a custom statement may touch any number. */
enum { ACK_EXACT, ACK_AT_MOST, ACK_ANY };

static int ack_mode(const jdbc_target *t, int which)
{
    if (which == ST_MAIN) return t->custom ? ACK_ANY : ACK_EXACT;
    if (which == ST_UPSERT) return t->nother ? ACK_EXACT : ACK_AT_MOST;
    return ACK_ANY;
}

/* What the database acknowledged for the `sent` rows just written, added
 * to the open batch's count. Culvert reports only what the database
 * confirmed, so a write that did not store every row it should have is an
 * error with both numbers. */
static int take_acked(jdbc_writer *jw, const sink_priv *js, uint32_t ti, uint64_t sent, int mode, cv_err *err)
{
    uint64_t got = js->url.dialect->take_acked(jdbc_db_conn(jw->db));
    if ((mode == ACK_EXACT && got != sent) || (mode == ACK_AT_MOST && got > sent))
        return cv_err_set(err, CV_EIO,
                          "table %s: the database acknowledged %llu row%s for the %llu it was sent; culvert counts "
                          "only what the database confirms",
                          js->targets[ti].display, (unsigned long long)got, got == 1 ? "" : "s",
                          (unsigned long long)sent);
    jw->sp_acked += (int64_t)got;
    return 0;
}

/* A batch savepoint begins: nothing counted yet (and nothing left over
 * from writes that failed). */
static void ack_begin(jdbc_writer *jw, const sink_priv *js)
{
    (void)js->url.dialect->take_acked(jdbc_db_conn(jw->db));
    jw->sp_acked = 0;
}

/* The savepoint was released: its rows are in the transaction. */
static int ack_settle(jdbc_writer *jw, const sink_priv *js, uint32_t ti, cv_err *err)
{
    int64_t n = jw->sp_acked;
    jw->sp_acked = 0;
    return jdbc_db_acked(jw->db, jw->w, js->targets[ti].in, n, err);
}

/* Run `which` over rows in pieces of batch_size. */
static int run(jdbc_writer *jw, const sink_priv *js, uint32_t ti, int which, const cv_batch *b, const uint32_t *rows,
               uint32_t n, int64_t batch_size, cv_err *err)
{
    if (n == 0) return 0;
    jdbc_stmt *st;
    CV_TRY(stmt(jw, js, ti, which, &st, err));
    for (uint32_t at = 0; at < n; at += (uint32_t)batch_size) {
        uint32_t k = (uint32_t)CV_MIN((int64_t)(n - at), batch_size);
        CV_TRY(js->url.dialect->exec_rows(st, b, rows + at, k, err));
        CV_TRY(take_acked(jw, js, ti, k, ack_mode(&js->targets[ti], which), err));
    }
    return 0;
}

/* A key conflict undid a bulk insert: statements for a while. */
static void backoff(jdbc_writer *jw, const sink_priv *js, uint32_t ti, uint32_t undone)
{
    bulk_state *bs = &jw->bulk[ti];
    bs->backoff = bs->backoff ? CV_MIN(bs->backoff * 2, 256u) : 1;
    bs->skip = bs->backoff + undone; /* the undone batches go by statement too */
    cv_debug("Jdbc: %s: a bulk insert met an existing key; writing by statement for %u batch%s",
             js->targets[ti].display, bs->skip, bs->skip == 1 ? "" : "es");
}

/* A key met by plain inserts fails the job: statements would meet it
 * too, and a fallback that skipped the row would lose data. err holds the
 * server's message (it names the key); add the row where the server said
 * which, counted over what the writer received: parts[0]'s batch begins
 * at the writer's row `first` (from 0), the others follow it. */
static int key_conflict(const jdbc_writer *jw, const sink_priv *js, const jdbc_rows *parts, uint32_t nparts,
                        uint64_t first, cv_err *err)
{
    const jdbc_dialect *d = js->url.dialect;
    uint64_t k = d->bulk_bad_row ? d->bulk_bad_row(jdbc_db_conn(jw->db)) : 0, row = 0;
    for (uint32_t p = 0; k && p < nparts; p++) {
        if (k <= parts[p].n) {
            row = first + parts[p].rows[k - 1] + 1;
            break;
        }
        k -= parts[p].n;
        first += parts[p].b->nrows;
    }
    if (!nparts && k) row = first + k; /* a stream: its batches are gone */
    char msg[CV_ERR_MSG_MAX], where[96] = "";
    snprintf(msg, sizeof msg, "%s", err->msg);
    if (row)
        snprintf(where, sizeof where, "; that is row %llu of what writer %d received", (unsigned long long)row,
                 jw->index);
    cv_err_clear(err);
    return cv_err_set(err, CV_EDATA,
                      "%.800s%s (plain inserts never replace a row; to upsert, give the table a key "
                      "with primary_keys)",
                      msg, where);
}

/* Rows in bulk where the dialect can: *done tells whether they were
 * written; when not, nothing of them is left and statements must (a
 * dialect that declines the target, or upserts whose optimistic bulk
 * INSERT met a key). parts[0]'s batch begins at the writer's row `first`. */
static int bulk_parts(jdbc_writer *jw, const sink_priv *js, uint32_t ti, bool upsert, const jdbc_rows *parts,
                      uint32_t nparts, uint64_t first, bool *done, cv_err *err)
{
    const jdbc_dialect *d = js->url.dialect;
    const jdbc_target *t = &js->targets[ti];
    jdbc_conn *c = jdbc_db_conn(jw->db);
    bulk_state *bs = &jw->bulk[ti];
    *done = false;
    if (!d->bulk || t->custom || bs->no_bulk) return 0;
    uint64_t sent = 0;
    for (uint32_t p = 0; p < nparts; p++) sent += parts[p].n;
    if (upsert && !bs->no_bulk_upsert) {
        int rc = d->bulk(c, t, JDBC_BULK_UPSERT, parts, nparts, err);
        if (rc == JDBC_BULK_CONFLICT) return cv_err_set(err, CV_EINTERNAL, "%s: a bulk upsert met a key", d->name);
        if (rc != JDBC_BULK_DECLINED) {
            *done = rc == 0;
            return rc < 0 ? rc : take_acked(jw, js, ti, sent, ack_mode(t, ST_UPSERT), err);
        }
        bs->no_bulk_upsert = true;
    }
    if (bs->skip) {
        bs->skip--;
        return 0;
    }
    /* an insert may meet a key: be ready to undo it alone */
    bool nested = jw->dirty;
    if (nested) CV_TRY(d->exec(c, "SAVEPOINT cv_bulk", err));
    int rc = d->bulk(c, t, JDBC_BULK_INSERT, parts, nparts, err);
    if (rc < 0) return rc;
    if (rc == 0) CV_TRY(take_acked(jw, js, ti, sent, ACK_EXACT, err));
    if (rc == 0 || rc == JDBC_BULK_DECLINED) {
        /* written, or nothing done and never in bulk for this target */
        if (rc == 0) bs->backoff = 0;
        bs->no_bulk |= rc == JDBC_BULK_DECLINED;
        *done = rc == 0;
        return nested ? d->exec(c, "RELEASE SAVEPOINT cv_bulk", err) : 0;
    }
    if (!upsert) return key_conflict(jw, js, parts, nparts, first, err);
    /* upserts: a key is already there (or in the rows twice); undo
     * exactly these rows, which the upsert statement then writes */
    cv_err_clear(err);
    (void)d->take_acked(c); /* what the undone part acknowledged */
    if (nested) {
        CV_TRY(d->exec(c, "ROLLBACK TO SAVEPOINT cv_bulk", err));
        CV_TRY(d->exec(c, "RELEASE SAVEPOINT cv_bulk", err));
    } else {
        CV_TRY(jdbc_db_batch_undo(jw->db, err));
    }
    backoff(jw, js, ti, 0);
    return 0;
}

/* Upsert without the dialect's clause: look the key up, then UPDATE or
 * INSERT, row by row. */
static int upsert_by_query(jdbc_writer *jw, const sink_priv *js, uint32_t ti, const cv_batch *b, const uint32_t *rows,
                           uint32_t n, cv_err *err)
{
    const jdbc_dialect *d = js->url.dialect;
    const jdbc_target *t = &js->targets[ti];
    jdbc_stmt *ex, *ins, *upd = NULL;
    CV_TRY(stmt(jw, js, ti, ST_EXISTS, &ex, err));
    CV_TRY(stmt(jw, js, ti, ST_MAIN, &ins, err));
    if (t->update) CV_TRY(stmt(jw, js, ti, ST_UPDATE, &upd, err));
    for (uint32_t i = 0; i < n; i++) {
        bool found;
        CV_TRY(d->exists_row(ex, b, rows[i], &found, err));
        if (found && !upd) continue; /* every column is key: nothing to update */
        CV_TRY(d->exec_rows(found ? upd : ins, b, &rows[i], 1, err));
        CV_TRY(take_acked(jw, js, ti, 1, found ? ACK_ANY : ACK_EXACT, err));
    }
    return 0;
}

/* One run of rows with the same operation. */
static int write_run(jdbc_writer *jw, const sink_priv *js, const jdbc_sink_cfg *cfg, uint32_t ti, int op,
                     const cv_batch *b, const uint32_t *rows, uint32_t n, cv_err *err)
{
    bool by_query = !cfg->enable_upsert || cfg->upsert_by_query;
    if (op == ST_UPSERT && by_query) {
        CV_TRY(upsert_by_query(jw, js, ti, b, rows, n, err));
    } else {
        bool done = false;
        jdbc_rows part = {b, rows, n};
        if (op == ST_MAIN || op == ST_UPSERT)
            CV_TRY(bulk_parts(jw, js, ti, op == ST_UPSERT, &part, 1, jw->batch_first, &done, err));
        if (!done) CV_TRY(run(jw, js, ti, op, b, rows, n, cfg->batch_size, err));
    }
    jw->dirty = true;
    return 0;
}

static int write_keyed(jdbc_writer *jw, const sink_priv *js, const jdbc_sink_cfg *cfg, uint32_t ti, const cv_batch *b,
                       cv_err *err)
{
    /* consecutive rows with one operation go together; order is kept */
    uint32_t n = 0;
    int op = -1;
    for (uint32_t r = 0; r <= b->nrows; r++) {
        int next = -1;
        if (r < b->nrows) {
            cv_row_kind k = (cv_row_kind)b->kinds[r];
            if (k == CV_ROW_UPDATE_BEFORE) continue;
            next = k == CV_ROW_DELETE ? ST_DELETE : cfg->insert_only ? ST_MAIN : ST_UPSERT;
        }
        if (next != op && n) {
            CV_TRY(write_run(jw, js, cfg, ti, op, b, jw->rows, n, err));
            n = 0;
        }
        op = next;
        if (r < b->nrows) jw->rows[n++] = r;
    }
    return 0;
}

static int ensure_rows(uint32_t **v, uint32_t *cap, uint32_t n, cv_err *err)
{
    if (*cap >= n) return 0;
    uint32_t *p = cv_realloc(*v, n * sizeof *p);
    if (!p) return jdbc_nomem(err);
    *v = p;
    *cap = n;
    return 0;
}

/* Write one batch in its own savepoint; it begins at the writer's row
 * `first` (from 0). */
static int write_batch(jdbc_writer *jw, const sink_priv *js, const jdbc_sink_cfg *cfg, uint32_t ti, const cv_batch *b,
                       uint64_t first, cv_err *err)
{
    const jdbc_target *t = &js->targets[ti];
    jw->cur = ti;
    jw->batch_first = first;
    CV_TRY(ensure_rows(&jw->rows, &jw->cap, b->nrows, err));
    jdbc_db_lock(jw->db);
    jw->dirty = false;
    int rc = jdbc_db_batch_begin(jw->db, err);
    ack_begin(jw, js);
    if (rc == 0) {
        if (t->custom || t->nkey == 0) {
            /* every row runs the statement, whatever its kind (SeaTunnel) */
            for (uint32_t r = 0; r < b->nrows; r++) jw->rows[r] = r;
            rc = write_run(jw, js, cfg, ti, ST_MAIN, b, jw->rows, b->nrows, err);
        } else {
            rc = write_keyed(jw, js, cfg, ti, b, err);
        }
        /* a batch that cannot be undone took the transaction with it:
         * redelivering it alone would lose the rows before it */
        int end = jdbc_db_batch_end(jw->db, rc == 0, err);
        if (end < 0) rc = rc == 0 ? end : CV_EIO;
        if (rc == 0) rc = ack_settle(jw, js, ti, err);
    }
    jdbc_db_unlock(jw->db);
    return rc;
}

/* Whether b can wait in pend for one bulk write with others: its rows all
 * insert (or, with a key, upsert), the dialect writes in bulk, and the
 * target is not writing by statement after a key conflict. */
static bool can_pend(const jdbc_writer *jw, const sink_priv *js, const jdbc_sink_cfg *cfg, uint32_t ti,
                     const cv_batch *b, bool *upsert)
{
    const jdbc_target *t = &js->targets[ti];
    if (!js->url.dialect->bulk || t->custom || jw->bulk[ti].skip || jw->bulk[ti].no_bulk) return false;
    *upsert = false;
    if (t->nkey == 0) return true;
    if (!cfg->insert_only && (!cfg->enable_upsert || cfg->upsert_by_query)) return false;
    for (uint32_t r = 0; r < b->nrows; r++)
        if (b->kinds[r] != CV_ROW_INSERT && b->kinds[r] != CV_ROW_UPDATE_AFTER) return false;
    *upsert = !cfg->insert_only;
    return true;
}

/* After the pending batches are written: let them go. */
static void pend_done(pending *pd)
{
    for (uint32_t i = 0; i < pd->n; i++) cv_batch_free(pd->v[i]);
    pd->n = 0;
    pd->rows = 0;
    pd->bytes = 0;
}

/* A transient failure of a stream that held batches the writer has let go
 * of: those rows are gone from the transaction and cannot be sent again, so
 * the job must fail (the transaction rolls back) instead of retrying. */
static int unreplayable(cv_err *err)
{
    char msg[CV_ERR_MSG_MAX];
    size_t n = CV_MIN(strlen(err->msg), sizeof msg - 1);
    memcpy(msg, err->msg, n);
    msg[n] = '\0';
    cv_err_clear(err);
    return cv_err_set(err, CV_EIO, "%.900s (the bulk stream cannot be replayed: failing instead of retrying)", msg);
}

/* Write the pending batches by statement, in order, each in its own
 * savepoint, letting each go once written: after a failure the rest stays
 * pending, so that a redelivery never writes a batch twice. */
static int pend_by_statement(jdbc_writer *jw, const sink_priv *js, const jdbc_sink_cfg *cfg, cv_err *err)
{
    pending *pd = &jw->pend;
    uint32_t i = 0;
    int rc = 0;
    for (; i < pd->n; i++) {
        cv_batch *b = pd->v[i];
        if ((rc = write_batch(jw, js, cfg, pd->ti, b, pd->first, err)) < 0) break;
        pd->first += b->nrows;
        pd->rows -= b->nrows;
        pd->bytes -= b->bytes;
        cv_batch_free(b);
    }
    memmove(pd->v, pd->v + i, (pd->n - i) * sizeof *pd->v);
    pd->n -= i;
    return rc;
}

/* End the open stream. A key it met fails plain inserts; upserts (whose
 * streams never outlive their pending batches) are undone and written
 * again by statement. */
static int end_stream(jdbc_writer *jw, const sink_priv *js, const jdbc_sink_cfg *cfg, cv_err *err)
{
    pending *pd = &jw->pend;
    const jdbc_dialect *d = js->url.dialect;
    jdbc_db_lock(jw->db);
    int rc = d->bulk_end(jdbc_db_conn(jw->db), false, err);
    if (rc == 0) rc = take_acked(jw, js, pd->ti, jw->stream_rows, ACK_EXACT, err);
    int end = jdbc_db_batch_end(jw->db, rc == 0, err);
    if (end < 0 && rc >= 0) rc = end;
    if (rc == 0) rc = ack_settle(jw, js, pd->ti, err);
    jdbc_db_unlock(jw->db);
    pd->streaming = false;
    bool partial = pd->partial;
    pd->partial = false;
    if (rc == CV_ERETRY && partial) rc = unreplayable(err);
    if (rc == JDBC_BULK_CONFLICT && (!pd->upsert || partial)) rc = key_conflict(jw, js, NULL, 0, pd->stream_first, err);
    if (rc == JDBC_BULK_CONFLICT) {
        cv_err_clear(err);
        backoff(jw, js, pd->ti, pd->n);
        CV_TRY(pend_by_statement(jw, js, cfg, err));
        rc = 0;
    }
    if (rc < 0) return rc;
    pend_done(pd);
    return 0;
}

static int flush(jdbc_writer *jw, const sink_priv *js, const jdbc_sink_cfg *cfg, cv_err *err)
{
    pending *pd = &jw->pend;
    jw->cur = pd->ti;
    if (pd->streaming) return end_stream(jw, js, cfg, err);
    if (!pd->n) return 0;
    uint32_t most = 0;
    for (uint32_t i = 0; i < pd->n; i++) most = CV_MAX(most, pd->v[i]->nrows);
    if (jw->nident < most) {
        uint32_t had = jw->nident;
        CV_TRY(ensure_rows(&jw->ident, &jw->nident, most, err));
        for (uint32_t r = had; r < most; r++) jw->ident[r] = r;
    }
    jdbc_rows *parts = cv_realloc(jw->parts, pd->n * sizeof *parts);
    if (!parts) return jdbc_nomem(err);
    jw->parts = parts;
    for (uint32_t i = 0; i < pd->n; i++) parts[i] = (jdbc_rows){pd->v[i], jw->ident, pd->v[i]->nrows};
    bool done = false;
    jdbc_db_lock(jw->db);
    jw->dirty = false;
    int rc = jdbc_db_batch_begin(jw->db, err);
    ack_begin(jw, js);
    if (rc == 0) {
        rc = bulk_parts(jw, js, pd->ti, pd->upsert, parts, pd->n, pd->first, &done, err);
        int end = jdbc_db_batch_end(jw->db, rc == 0, err);
        if (end < 0) rc = rc == 0 ? end : CV_EIO;
        if (rc == 0) rc = ack_settle(jw, js, pd->ti, err);
    }
    jdbc_db_unlock(jw->db);
    /* not in bulk (declined, or a key met by upserts): by statement */
    if (rc == 0 && !done) rc = pend_by_statement(jw, js, cfg, err);
    if (rc < 0) return rc;
    pend_done(pd);
    return 0;
}

/* Open a bulk stream for the first pending batch, where the dialect has
 * streams: 0 with pd->streaming set, 0 without (not streaming), or an
 * error. The stream runs in the batch savepoint. */
static int start_stream(jdbc_writer *jw, const sink_priv *js, uint32_t ti, cv_err *err)
{
    const jdbc_dialect *d = js->url.dialect;
    if (!d->bulk_start || jw->bulk[ti].no_stream) return 0;
    jdbc_db_lock(jw->db);
    jw->dirty = false;
    int rc = jdbc_db_batch_begin(jw->db, err);
    ack_begin(jw, js);
    jw->stream_rows = 0;
    if (rc == 0) {
        rc = d->bulk_start(jdbc_db_conn(jw->db), &js->targets[ti], JDBC_BULK_INSERT, err);
        if (rc == JDBC_BULK_DECLINED) jw->bulk[ti].no_stream = true;
        if (rc == 0) jw->pend.stream_first = jw->received;
        if (rc != 0) {
            cv_err e;
            cv_err_clear(&e);
            jdbc_db_batch_end(jw->db, false, &e);
        }
    }
    jdbc_db_unlock(jw->db);
    jw->pend.streaming = rc == 0;
    return rc < 0 ? rc : 0;
}

/* Send b into the open stream; a failure stops the stream and undoes it. */
static int stream_add(jdbc_writer *jw, const sink_priv *js, const cv_batch *b, cv_err *err)
{
    if (jw->nident < b->nrows) {
        uint32_t had = jw->nident;
        CV_TRY(ensure_rows(&jw->ident, &jw->nident, b->nrows, err));
        for (uint32_t r = had; r < b->nrows; r++) jw->ident[r] = r;
    }
    jdbc_rows part = {b, jw->ident, b->nrows};
    jdbc_db_lock(jw->db);
    int rc = js->url.dialect->bulk_add(jdbc_db_conn(jw->db), &part, err);
    if (rc == 0) jw->stream_rows += part.n;
    if (rc < 0) {
        cv_err e;
        cv_err_clear(&e);
        jdbc_db_batch_end(jw->db, false, &e);
        jw->pend.streaming = false;
        if (rc == CV_ERETRY && jw->pend.partial) rc = unreplayable(err);
        jw->pend.partial = false;
    }
    jdbc_db_unlock(jw->db);
    return rc;
}

/* A failed write names its target table (the upstream one is in the
 * batch, not in the database's message) and points at the option that
 * chose it. */
static int blame(const cv_writer *w, int rc, cv_err *err)
{
    const sink_priv *js = w->sink->priv;
    const jdbc_writer *jw = w->priv;
    if (rc >= 0 || rc == CV_ERETRY || rc == CV_ENOMEM || jw->cur >= js->ntargets) return rc;
    const jdbc_target *t = &js->targets[jw->cur];
    if (!strstr(err->msg, t->display)) {
        char msg[2 * CV_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "table %s: %s", t->display, err->msg);
        size_t n = CV_MIN(strlen(msg), sizeof err->msg - 1);
        memcpy(err->msg, msg, n);
        err->msg[n] = '\0';
    }
    cv_pos p = jdbc_opt_pos(w->sink->given, w->sink->config, t->custom ? "query" : "table");
    cv_err_locate(err, &p);
    return rc;
}

static int write_one(cv_writer *w, cv_batch *b, cv_err *err);

static int writer_write(cv_writer *w, cv_batch *b, cv_err *err)
{
    jdbc_writer *jw = w->priv;
    int rc = blame(w, write_one(w, b, err), err);
    if (rc == 0) jw->received += b->nrows; /* a redelivered batch counts once */
    return rc;
}

static int write_one(cv_writer *w, cv_batch *b, cv_err *err)
{
    sink_priv *js = w->sink->priv;
    const jdbc_sink_cfg *cfg = w->sink->settings;
    jdbc_writer *jw = w->priv;
    pending *pd = &jw->pend;
    if (b->nrows == 0) return 0;
    uint32_t ti = jw->last;
    if (ti >= js->ntargets || js->targets[ti].in != b->table)
        for (ti = 0; ti < js->ntargets && js->targets[ti].in != b->table; ti++) continue;
    if (ti == js->ntargets) return cv_err_set(err, CV_EINTERNAL, "a batch of unknown table %s", b->table->full_name);
    jw->last = ti;
    jw->cur = ti;
    bool upsert;
    if (!can_pend(jw, js, cfg, ti, b, &upsert)) {
        /* rows keep their order: what waits goes first */
        CV_TRY(flush(jw, js, cfg, err));
        return write_batch(jw, js, cfg, ti, b, jw->received, err);
    }
    if ((pd->n || pd->streaming) && (pd->ti != ti || pd->upsert != upsert)) CV_TRY(flush(jw, js, cfg, err));
    if (pd->n == pd->cap) {
        uint32_t cap = pd->cap ? pd->cap * 2 : 16;
        cv_batch **v = cv_realloc(pd->v, cap * sizeof *v);
        if (!v) return jdbc_nomem(err);
        pd->v = v;
        pd->cap = cap;
    }
    if (pd->n == 0 && !pd->streaming) CV_TRY(start_stream(jw, js, ti, err));
    int rc = pd->streaming ? stream_add(jw, js, b, err) : 0;
    if (rc < 0) return rc; /* the stream is undone; what it held stays pending */
    cv_batch_ref(b);       /* the engine frees its reference when we return */
    if (pd->n == 0) pd->first = jw->received;
    pd->v[pd->n++] = b;
    pd->ti = ti;
    pd->upsert = upsert;
    pd->rows += b->nrows;
    pd->bytes += b->bytes;
    uint64_t limit = CV_MAX((uint64_t)cfg->batch_size, (uint64_t)PENDING_MAX_ROWS);
    if (pd->rows < limit && pd->bytes < PENDING_MAX_BYTES) return 0;
    if (pd->streaming && !pd->upsert) {
        /* plain inserts: keep the stream open, let the batches go */
        pend_done(pd);
        pd->partial = true;
        return 0;
    }
    rc = flush(jw, js, cfg, err);
    if (rc < 0) {
        /* the engine may deliver this batch again: it must not be here twice */
        cv_batch_free(pd->v[--pd->n]);
        pd->rows -= b->nrows;
        pd->bytes -= b->bytes;
    }
    return rc;
}

/* The rows of a transaction just prepared stay counted until the sink's
 * commit or abort settles them (by name). */
static int keep_prepared(sink_priv *js, const cv_buf *gid, jdbc_acks *acks, int rc, cv_err *err)
{
    xa_rows x = {.acks = *acks};
    if (rc == 0 && gid->len && gid->len < sizeof x.gid) {
        memcpy(x.gid, gid->data, gid->len);
        pthread_mutex_lock(&js->xa_mu);
        int pushed = cv_vec_push(&js->prepared, x);
        pthread_mutex_unlock(&js->xa_mu);
        if (pushed == 0) {
            acks->v = NULL; /* kept */
            acks->n = 0;
            return 0;
        }
        rc = jdbc_nomem(err);
    }
    /* not kept: the abort that follows a failed prepare cannot find them */
    for (size_t i = 0; i < acks->n; i++) cv_writer_acked(acks->v[i].w, acks->v[i].t, -acks->v[i].n);
    return rc;
}

/* Settle the prepared rows of gid: committed (keep the count) or not
 * (take it back). */
static void settle_prepared(sink_priv *js, const char *gid, bool committed)
{
    pthread_mutex_lock(&js->xa_mu);
    for (size_t i = 0; i < js->prepared.n; i++) {
        xa_rows *x = &js->prepared.v[i];
        if (strcmp(x->gid, gid) != 0) continue;
        for (size_t k = 0; !committed && k < x->acks.n; k++)
            cv_writer_acked(x->acks.v[k].w, x->acks.v[k].t, -x->acks.v[k].n);
        cv_free(x->acks.v);
        js->prepared.v[i] = js->prepared.v[--js->prepared.n];
        break;
    }
    pthread_mutex_unlock(&js->xa_mu);
}

static int writer_prepare(cv_writer *w, int64_t ckpt, cv_buf *info, cv_err *err)
{
    (void)ckpt;
    const jdbc_sink_cfg *cfg = w->sink->settings;
    jdbc_writer *jw = w->priv;
    CV_TRY(blame(w, flush(jw, w->sink->priv, cfg, err), err));
    jdbc_db_lock(jw->db);
    /* exactly-once: prepare, and the sink's commit finishes (info is the
     * transaction's name); else commit here and hand nothing on */
    jdbc_acks acks = {0};
    int rc = cfg->exactly_once ? jdbc_db_prepare(jw->db, info, &acks, err) : jdbc_db_commit(jw->db, err);
    if (rc == 0 && cfg->exactly_once) next_xa(w, jw);
    jdbc_db_unlock(jw->db);
    if (acks.n) rc = keep_prepared(w->sink->priv, info, &acks, rc, err);
    cv_free(acks.v);
    return rc;
}

/* The name in a commit info. */
static bool info_gid(const cv_commit_info *ci, char *gid, size_t cap)
{
    if (!ci->len || ci->len >= cap) return false;
    memcpy(gid, ci->data, ci->len);
    gid[ci->len] = '\0';
    return true;
}

/* Commit one prepared transaction. A database may still tie it to the
 * writer connection that prepared it for a moment after that connection
 * closed (MySQL finishes a session asynchronously): such transient
 * failures are retried for a while. */
static int commit_one(sink_priv *js, const char *gid, cv_err *err)
{
    const jdbc_dialect *d = js->url.dialect;
    int64_t wait_ms = 10;
    for (int attempt = 0;; attempt++) {
        cv_err_clear(err);
        int rc = d->xa_commit(jdbc_db_conn(js->db), gid, err);
        if (rc != CV_ERETRY || attempt >= 20) return rc;
        cv_sleep_ms(wait_ms);
        wait_ms = CV_MIN(wait_ms * 2, 1000);
    }
}

static int sink_commit(cv_sink *s, const cv_commit_info *infos, size_t n, cv_err *err)
{
    sink_priv *js = s->priv;
    int rc = 0;
    jdbc_db_lock(js->db);
    for (size_t i = 0; i < n; i++) {
        char gid[128];
        if (!info_gid(&infos[i], gid, sizeof gid)) continue;
        /* after a failure, what is not committed is not counted (the next
         * run rolls such transactions back: clear_stale) */
        if (rc == 0) rc = commit_one(js, gid, err);
        settle_prepared(js, gid, rc == 0);
    }
    jdbc_db_unlock(js->db);
    return rc;
}

static void sink_abort(cv_sink *s, const cv_commit_info *infos, size_t n)
{
    sink_priv *js = s->priv;
    if (!js || !js->db) return;
    const jdbc_dialect *d = js->url.dialect;
    jdbc_db_lock(js->db);
    jdbc_db_rollback(js->db);
    for (size_t i = 0; i < n; i++) {
        char gid[128];
        cv_err e;
        cv_err_clear(&e);
        if (!info_gid(&infos[i], gid, sizeof gid)) continue;
        if (d->xa_rollback(jdbc_db_conn(js->db), gid, &e) < 0)
            cv_warn("%s: prepared transaction %s could not be rolled back: %s", s->label, gid, e.msg);
        settle_prepared(js, gid, false);
    }
    jdbc_db_unlock(js->db);
}

static void sink_close(cv_sink *s)
{
    sink_priv *js = s->priv;
    if (!js) return;
    jdbc_db_close(js->db);
    js->db = NULL;
    /* unsettled only when the job never reached commit or abort */
    for (size_t i = 0; i < js->prepared.n; i++) cv_free(js->prepared.v[i].acks.v);
    cv_vec_free(&js->prepared);
    if (js->xa_mu_ready) pthread_mutex_destroy(&js->xa_mu);
    s->priv = NULL;
}

const cv_plugin jdbc_sink = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_SINK,
    .name = "Jdbc",
    .summary = "write rows to a database table (PostgreSQL, MySQL/MariaDB, SQLite)",
    .options = jdbc_sink_options,
    .settings_size = sizeof(jdbc_sink_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_PARALLEL | CV_CAP_MULTI_TABLE | CV_CAP_CDC | CV_CAP_EXACTLY_ONCE |
            CV_CAP_ACKED_COUNTS,
    .example = "    url = \"jdbc:sqlite::memory:\"\n"
               "    generate_sink_sql = true\n"
               "    table = \"people\"\n",
    .sink_open = sink_open,
    .sink_save_mode = sink_save_mode,
    .writer_open = writer_open,
    .writer_write = writer_write,
    .writer_prepare = writer_prepare,
    .writer_close = writer_close,
    .sink_commit = sink_commit,
    .sink_abort = sink_abort,
    .sink_close = sink_close,
};

extern const cv_plugin jdbc_source;
const cv_plugin *const cv_plugins_connectors_jdbc[] = {&jdbc_source, &jdbc_sink, NULL};
