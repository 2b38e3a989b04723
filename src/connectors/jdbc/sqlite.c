/* sqlite.c — the SQLite dialect: `url = "jdbc:sqlite:PATH"` with PATH a
 * file, ":memory:", "" (a private temporary database) or a "file:" URI;
 * "?key=value&…" after a plain path and `properties { … }` set pragmas.
 *
 * Types. SQLite stores INTEGER, REAL, TEXT and BLOB whatever a column
 * declares, so the mapping is about declared names and storage:
 *   - tables the sink creates declare names that map back to the same
 *     culvert type (INT, BIGINT, DOUBLE, DATE, …), so data round-trips;
 *   - decimals are declared DECIMAL_TEXT(p,s): TEXT affinity, so the
 *     canonical text is kept digit for digit (a DECIMAL column has
 *     NUMERIC affinity and SQLite would turn "0.10" into a 15-digit REAL);
 *   - dates, times and timestamps are ISO text (SQLite's date functions
 *     read it); composites are JSON text;
 *   - reading, a declared name maps by the table in docs/connectors/
 *     Jdbc.md, falling back on SQLite's own affinity rules; a column
 *     without one (an expression) takes the storage class of its first
 *     value; every value is then converted strictly into its column's type.
 *
 * Locks: a busy handler waits for locks held by other connections, up to
 * connection_check_timeout_sec (or the busy_timeout property), and stops
 * waiting when the job is cancelled; writers within a job share one
 * connection (db.c) and never wait on each other. */
#include "jdbc.h"

#include <sqlite3.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jdbc_conn {
    sqlite3 *db;
    const char *path; /* for messages */
    int64_t timeout_ms;
    int64_t busy_since; /* mono ns of the first retry of the current wait */
    bool committing;    /* in sq_commit: wait for readers */
    const cv_ctx *ctx;
    uint64_t acked; /* rows written since take_acked */
};

struct jdbc_stmt {
    jdbc_conn *c;
    sqlite3_stmt *st;
    const cv_table *t;
    uint32_t *cols, ncols;
    cv_buf text;   /* scratch for values bound as text */
    bool *numeric; /* per parameter: its column converts numeric text (NULL: unknown) */
};

struct jdbc_cursor {
    jdbc_conn *c;
    sqlite3_stmt *st;
    const cv_table *t;
    char where[160]; /* "<table> (split <id>)" for messages */
    uint64_t row;
};

static int fail(cv_err *err, sqlite3 *db, int rc, const char *what)
{
    int code = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ? CV_ERETRY
               : (rc & 0xff) == SQLITE_NOMEM                              ? CV_ENOMEM
                                                                          : CV_EIO;
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return cv_err_set(err, code, "SQLite: %s: %s", what, msg);
}

/* ---- connections ---------------------------------------------------------------- */

static int on_busy(void *arg, int count)
{
    jdbc_conn *c = arg;
    /* Inside a write transaction the only lock left to take is the
     * exclusive one: for COMMIT (wait) or to spill a full page cache to
     * the file while readers hold it. A spill may simply not happen — the
     * cache grows and spills later — and waiting for it could wait on a
     * reader that is itself waiting for this writer (a job reading and
     * writing one file). */
    if (!c->committing && !sqlite3_get_autocommit(c->db)) return 0;
    int64_t now = cv_mono_ns();
    if (count == 0) c->busy_since = now;
    if (c->ctx && cv_ctx_cancelled(c->ctx)) return 0;
    if ((now - c->busy_since) / 1000000 >= c->timeout_ms) return 0;
    cv_sleep_ms(count < 10 ? 1 : count < 50 ? 5 : 20);
    return 1;
}

/* Pragmas that `properties` and url parameters may set. Unknown names are
 * JDBC driver properties (SeaTunnel passes them to the driver): ignored
 * with a warning. writer: only on connections that write. */
static const struct {
    const char *name;
    bool writer;
} pragmas[] = {
    {"journal_mode", true},  {"synchronous", false},        {"foreign_keys", false},
    {"cache_size", false},   {"temp_store", false},         {"locking_mode", true},
    {"mmap_size", false},    {"recursive_triggers", false}, {"case_sensitive_like", false},
    {"secure_delete", true}, {"cache_spill", false},        {"auto_vacuum", true},
    {"page_size", true},     {"wal_autocheckpoint", true},
};

static int set_property(jdbc_conn *c, const char *key, const char *val, bool read_only, cv_err *err)
{
    if (strcmp(key, "busy_timeout") == 0) {
        int64_t ms;
        if (!cv_parse_i64(val, strlen(val), &ms) || ms < 0)
            return cv_err_set(err, CV_ECONFIG, "SQLite property busy_timeout must be milliseconds, not \"%s\"", val);
        c->timeout_ms = ms;
        return 0;
    }
    for (size_t i = 0; i < CV_ARRAY_LEN(pragmas); i++) {
        if (strcmp(pragmas[i].name, key) != 0) continue;
        if (pragmas[i].writer && read_only) return 0;
        for (const char *p = val; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
                  *p == '_'))
                return cv_err_set(err, CV_ECONFIG, "SQLite property %s: \"%s\" is not a pragma value", key, val);
        char sql[160];
        snprintf(sql, sizeof sql, "PRAGMA %s = %s", key, val);
        char *msg = NULL;
        int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
        sqlite3_free(msg);
        return rc == SQLITE_OK ? 0 : fail(err, c->db, rc, sql);
    }
    cv_warn("Jdbc: property \"%s\" is not an SQLite pragma culvert sets; ignored", key);
    return 0;
}

static void sq_disconnect(jdbc_conn *c)
{
    if (!c) return;
    sqlite3_close_v2(c->db);
    cv_free(c);
}

static int sq_connect(const jdbc_connect_opts *o, jdbc_conn **out, cv_err *err)
{
    const char *path = o->url->target;
    jdbc_conn *c = cv_calloc(1, sizeof *c);
    if (!c) return jdbc_nomem(err);
    c->path = path[0] ? path : "(temporary database)";
    c->timeout_ms = o->timeout_ms;
    c->ctx = o->ctx;
    int flags = o->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    /* one thread at a time uses a connection (dialect.h): SQLite need
     * not lock every call */
    flags |= SQLITE_OPEN_NOMUTEX;
    if (strncmp(path, "file:", 5) == 0) flags |= SQLITE_OPEN_URI;
    int rc = sqlite3_open_v2(path, &c->db, flags, NULL);
    if (rc != SQLITE_OK) {
        char what[300];
        snprintf(what, sizeof what, "cannot open %s%s", c->path, o->read_only ? " for reading" : "");
        int res = fail(err, c->db, rc, what);
        sq_disconnect(c);
        return res;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_handler(c->db, on_busy, c);
    int res = 0;
    for (uint32_t i = 0; res == 0 && i < o->url->nparams; i++)
        res = set_property(c, o->url->params[i].key, o->url->params[i].value, o->read_only, err);
    if (o->properties)
        for (uint32_t i = 0; res == 0 && i < o->properties->u.obj.n; i++) {
            const cv_member *m = &o->properties->u.obj.m[i];
            const char *v = cv_node_str(m->val);
            if (!v) {
                cv_pos p = cv_member_pos(o->properties, m);
                res = cv_err_at(err, CV_ECONFIG, &p, "property %s must be a plain value", m->key);
            } else {
                res = set_property(c, m->key, v, o->read_only, err);
                if (res < 0) {
                    cv_pos p = cv_node_pos(m->val);
                    cv_err_locate(err, &p);
                }
            }
        }
    if (res == 0 && !o->read_only) {
        /* a file that is not a database shows only at first touch, and
         * one we may not write opens read-only without a word */
        char *msg = NULL;
        int q = sqlite3_exec(c->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, &msg);
        sqlite3_free(msg);
        char what[300];
        snprintf(what, sizeof what, "cannot open %s", c->path);
        if (q != SQLITE_OK)
            res = fail(err, c->db, q, what);
        else if (sqlite3_db_readonly(c->db, "main") == 1)
            res = cv_err_set(err, CV_EIO, "SQLite: %s for writing: the file is read-only", what);
    }
    if (res < 0) {
        sq_disconnect(c);
        return res;
    }
    *out = c;
    return 0;
}

static int sq_share_key(const jdbc_url *u, cv_buf *out)
{
    const char *p = u->target;
    if (!p[0] || strcmp(p, ":memory:") == 0 || strncmp(p, "file:", 5) == 0) {
        cv_buf_puts(out, p[0] ? p : ":temporary:");
        return 0;
    }
    /* the directory's real path and the file name: the same file however
     * it is spelled, whether or not it exists yet */
    const char *slash = strrchr(p, '/');
    char dir[PATH_MAX];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == p)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - p), p);
    char real[PATH_MAX];
    if (realpath(dir, real)) {
        size_t n = strlen(real);
        cv_buf_printf(out, "%s%s%s", real, n && real[n - 1] == '/' ? "" : "/", slash ? slash + 1 : p);
    } else {
        cv_buf_puts(out, p);
    }
    return 0;
}

static const char *sq_describe_target(const jdbc_url *u) { return u->target[0] ? u->target : "(temporary)"; }

static bool sq_ephemeral(const jdbc_url *u)
{
    const char *p = u->target;
    return !p[0] || strcmp(p, ":memory:") == 0 || strstr(p, "mode=memory") != NULL;
}

/* ---- types ------------------------------------------------------------------------ */

static int sq_ddl_type(const cv_column *col, cv_buf *out, cv_err *err)
{
    const cv_type *t = col->type;
    switch (t->id) {
    case CV_T_NULL: cv_buf_puts(out, "TEXT"); break;
    case CV_T_BOOL: cv_buf_puts(out, "BOOLEAN"); break;
    case CV_T_I8: cv_buf_puts(out, "TINYINT"); break;
    case CV_T_I16: cv_buf_puts(out, "SMALLINT"); break;
    case CV_T_I32: cv_buf_puts(out, "INT"); break;
    case CV_T_I64: cv_buf_puts(out, "BIGINT"); break;
    case CV_T_F32: cv_buf_puts(out, "FLOAT"); break;
    case CV_T_F64: cv_buf_puts(out, "DOUBLE"); break;
    case CV_T_DECIMAL: cv_buf_printf(out, "DECIMAL_TEXT(%u,%u)", t->precision, t->scale); break;
    case CV_T_STRING:
        if (col->length > 0)
            cv_buf_printf(out, "VARCHAR(%lld)", (long long)col->length);
        else
            cv_buf_puts(out, "TEXT");
        break;
    case CV_T_BYTES: cv_buf_puts(out, "BLOB"); break;
    case CV_T_DATE: cv_buf_puts(out, "DATE"); break;
    case CV_T_TIME: cv_buf_puts(out, "TIME"); break;
    case CV_T_TIMESTAMP: cv_buf_puts(out, "TIMESTAMP"); break;
    case CV_T_TIMESTAMP_TZ: cv_buf_puts(out, "TIMESTAMPTZ"); break;
    case CV_T_ARRAY:
    case CV_T_MAP:
    case CV_T_ROW: cv_buf_puts(out, "JSON"); break;
    default: return cv_err_set(err, CV_EUNSUPPORTED, "column %s: no SQLite type for it", col->name);
    }
    return 0;
}

/* Declared type names → culvert types (docs/connectors/Jdbc.md lists them). */
static const struct {
    const char *name;
    cv_type_id id;
} sq_names[] = {
    {"BOOLEAN", CV_T_BOOL},
    {"BOOL", CV_T_BOOL},
    {"BIT", CV_T_BOOL},
    {"TINYINT", CV_T_I8},
    {"SMALLINT", CV_T_I16},
    {"INT2", CV_T_I16},
    {"TINYINT UNSIGNED", CV_T_I16},
    {"MEDIUMINT", CV_T_I32},
    {"INT", CV_T_I32},
    {"INT4", CV_T_I32},
    {"SMALLINT UNSIGNED", CV_T_I32},
    {"INTEGER", CV_T_I64},
    {"BIGINT", CV_T_I64},
    {"INT8", CV_T_I64},
    {"LONG", CV_T_I64},
    {"UNSIGNED BIG INT", CV_T_I64},
    {"INT UNSIGNED", CV_T_I64},
    {"INTEGER UNSIGNED", CV_T_I64},
    {"MEDIUMINT UNSIGNED", CV_T_I64},
    {"BIGINT UNSIGNED", CV_T_DECIMAL}, /* 0 … 2^64-1 */
    {"FLOAT", CV_T_F32},
    {"FLOAT4", CV_T_F32},
    {"REAL", CV_T_F64},
    {"DOUBLE", CV_T_F64},
    {"DOUBLE PRECISION", CV_T_F64},
    {"FLOAT8", CV_T_F64},
    {"DECIMAL", CV_T_DECIMAL},
    {"NUMERIC", CV_T_DECIMAL},
    {"DECIMAL_TEXT", CV_T_DECIMAL},
    {"NUMBER", CV_T_DECIMAL},
    {"TEXT", CV_T_STRING},
    {"CHAR", CV_T_STRING},
    {"VARCHAR", CV_T_STRING},
    {"CHARACTER", CV_T_STRING},
    {"VARYING CHARACTER", CV_T_STRING},
    {"CHARACTER VARYING", CV_T_STRING},
    {"NCHAR", CV_T_STRING},
    {"NATIVE CHARACTER", CV_T_STRING},
    {"NVARCHAR", CV_T_STRING},
    {"CLOB", CV_T_STRING},
    {"STRING", CV_T_STRING},
    {"LONGVARCHAR", CV_T_STRING},
    {"TINYTEXT", CV_T_STRING},
    {"MEDIUMTEXT", CV_T_STRING},
    {"LONGTEXT", CV_T_STRING},
    {"JSON", CV_T_STRING},
    {"UUID", CV_T_STRING},
    {"BLOB", CV_T_BYTES},
    {"BINARY", CV_T_BYTES},
    {"VARBINARY", CV_T_BYTES},
    {"LONGVARBINARY", CV_T_BYTES},
    {"TINYBLOB", CV_T_BYTES},
    {"MEDIUMBLOB", CV_T_BYTES},
    {"LONGBLOB", CV_T_BYTES},
    {"BYTEA", CV_T_BYTES},
    {"DATE", CV_T_DATE},
    {"TIME", CV_T_TIME},
    {"DATETIME", CV_T_TIMESTAMP},
    {"TIMESTAMP", CV_T_TIMESTAMP},
    {"TIMESTAMP WITHOUT TIME ZONE", CV_T_TIMESTAMP},
    {"TIMESTAMPTZ", CV_T_TIMESTAMP_TZ},
    {"TIMESTAMP WITH TIME ZONE", CV_T_TIMESTAMP_TZ},
    {"DATETIMEOFFSET", CV_T_TIMESTAMP_TZ},
};

/* A declared type → culvert type; never fails but for memory. */
static int map_decl(cv_arena *a, const char *decl, const cv_type **out, int64_t *length)
{
    char name[64];
    int64_t args[2];
    int nargs;
    jdbc_decl_split(decl, name, sizeof name, args, &nargs);
    *length = 0;
    cv_type_id id = CV_T__COUNT;
    for (size_t i = 0; i < CV_ARRAY_LEN(sq_names); i++)
        if (strcmp(sq_names[i].name, name) == 0) {
            id = sq_names[i].id;
            break;
        }
    if (id == CV_T__COUNT) {
        /* SQLite's affinity rules, in its order */
        id = strstr(name, "INT")                                                    ? CV_T_I64
             : strstr(name, "CHAR") || strstr(name, "CLOB") || strstr(name, "TEXT") ? CV_T_STRING
             : strstr(name, "BLOB")                                                 ? CV_T_BYTES
             : strstr(name, "REAL") || strstr(name, "FLOA") || strstr(name, "DOUB") ? CV_T_F64
                                                                                    : CV_T_STRING;
    }
    if (id == CV_T_DECIMAL) {
        bool u64 = strcmp(name, "BIGINT UNSIGNED") == 0;
        int64_t p = u64 ? 20 : nargs ? args[0] : 38, s = u64 ? 0 : nargs > 1 ? args[1] : nargs ? 0 : 18;
        if (p < 1 || p > CV_DECIMAL_MAX_PRECISION || s < 0 || s > p) {
            *out = cv_type_prim(CV_T_STRING); /* wider than culvert's decimals: exact as text */
            return 0;
        }
        *out = cv_type_decimal(a, (unsigned)p, (unsigned)s);
        return *out ? 0 : CV_ENOMEM;
    }
    if ((id == CV_T_STRING || id == CV_T_BYTES) && nargs) *length = args[0];
    *out = cv_type_prim(id);
    return 0;
}

static void sq_upsert_clause(cv_buf *sql, const char *const *keys, uint32_t nkeys, const char *const *others,
                             uint32_t nothers)
{
    cv_buf_puts(sql, " ON CONFLICT (");
    for (uint32_t k = 0; k < nkeys; k++) cv_buf_printf(sql, "%s%s", k ? ", " : "", keys[k]);
    if (!nothers) {
        cv_buf_puts(sql, ") DO NOTHING");
        return;
    }
    cv_buf_puts(sql, ") DO UPDATE SET ");
    for (uint32_t k = 0; k < nothers; k++)
        cv_buf_printf(sql, "%s%s = excluded.%s", k ? ", " : "", others[k], others[k]);
}

/* ---- plain statements --------------------------------------------------------------- */

static int sq_exec(jdbc_conn *c, const char *sql, cv_err *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK) return 0;
    int code = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ? CV_ERETRY : CV_EIO;
    cv_err_set(err, code, "SQLite: %s: %s", sql, msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return code;
}

static int sq_commit(jdbc_conn *c, cv_err *err)
{
    c->committing = true;
    int rc = sq_exec(c, "COMMIT", err);
    c->committing = false;
    return rc;
}

static int prepare_raw(jdbc_conn *c, const char *sql, sqlite3_stmt **st, cv_err *err)
{
    int rc = sqlite3_prepare_v2(c->db, sql, -1, st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(*st);
        *st = NULL;
        return cv_err_set(err, (rc & 0xff) == SQLITE_BUSY ? CV_ERETRY : CV_EIO, "SQLite: %s: %s", sqlite3_errmsg(c->db),
                          sql);
    }
    return 0;
}

static int sq_query_i64(jdbc_conn *c, const char *sql, int64_t *out, bool *isnull, cv_err *err)
{
    sqlite3_stmt *st;
    CV_TRY(prepare_raw(c, sql, &st, err));
    int rc = sqlite3_step(st), res = 0;
    *isnull = true;
    *out = 0;
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *isnull = false;
        *out = sqlite3_column_int64(st, 0);
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        res = fail(err, c->db, rc, sql);
    }
    sqlite3_finalize(st);
    return res;
}

static int sq_table_keys(jdbc_conn *c, cv_arena *a, const char *schema, const char *table, jdbc_table_keys *out,
                         cv_err *err)
{
    memset(out, 0, sizeof *out);
    cv_buf sql;
    cv_buf_init(&sql);
    cv_buf_puts(&sql, "SELECT name FROM ");
    jdbc_quote(&jdbc_sqlite, schema ? schema : "main", &sql);
    cv_buf_puts(&sql, ".sqlite_master WHERE type IN ('table', 'view') AND name = ?1 COLLATE NOCASE");
    sqlite3_stmt *st = NULL;
    int res = sql.oom ? jdbc_nomem(err) : prepare_raw(c, sql.data, &st, err);
    cv_buf_free(&sql);
    if (res < 0) return res;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    out->exists = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) res = fail(err, c->db, rc, "looking the table up");
    sqlite3_finalize(st);
    if (res < 0 || !out->exists) return res;
    CV_TRY(prepare_raw(c, "SELECT name FROM pragma_table_info(?1, ?2) WHERE pk > 0 ORDER BY pk", &st, err));
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, schema ? schema : "main", -1, SQLITE_STATIC);
    CV_VEC(const char *) pk = {0};
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = cv_arena_strdup(a, (const char *)sqlite3_column_text(st, 0));
        if (!name || cv_vec_push(&pk, name) < 0) {
            res = jdbc_nomem(err);
            break;
        }
    }
    if (res == 0 && rc != SQLITE_DONE) res = fail(err, c->db, rc, "reading the primary key");
    sqlite3_finalize(st);
    if (res == 0 && pk.n) {
        out->pk = cv_arena_memdup(a, pk.v, pk.n * sizeof *pk.v);
        out->npk = (uint32_t)pk.n;
        if (!out->pk) res = jdbc_nomem(err);
    }
    cv_vec_free(&pk);
    return res;
}

/* ---- prepared statements over batches ------------------------------------------------- */

static void sq_finalize(jdbc_stmt *s)
{
    if (!s) return;
    sqlite3_finalize(s->st);
    cv_buf_free(&s->text);
    cv_free(s->cols);
    cv_free(s->numeric);
    cv_free(s);
}

static int sq_prepare(jdbc_conn *c, const char *sql, const cv_table *t, const uint32_t *cols, uint32_t ncols,
                      jdbc_stmt **out, cv_err *err)
{
    jdbc_stmt *s = cv_calloc(1, sizeof *s);
    if (!s) return jdbc_nomem(err);
    s->c = c;
    s->t = t;
    s->ncols = ncols;
    cv_buf_init(&s->text);
    s->cols = cv_malloc((ncols ? ncols : 1) * sizeof *s->cols);
    if (!s->cols) {
        sq_finalize(s);
        return jdbc_nomem(err);
    }
    if (ncols) memcpy(s->cols, cols, ncols * sizeof *cols);
    int rc = prepare_raw(c, sql, &s->st, err);
    if (rc < 0) {
        sq_finalize(s);
        return rc;
    }
    *out = s;
    return 0;
}

static int sq_param_count(const jdbc_stmt *s) { return sqlite3_bind_parameter_count(s->st); }

/* SQLite's affinity of a declared type (its rules, in its order): every
 * affinity but TEXT and BLOB turns text that reads as a number into one —
 * an INTEGER when it is an integer that fits, else a REAL of 15 digits. */
static bool converts_numbers(const char *decl)
{
    if (!decl || !*decl) return false; /* BLOB: stored as given */
    char up[128];
    size_t n = 0;
    for (; decl[n] && n < sizeof up - 1; n++)
        up[n] = (char)((decl[n] >= 'a' && decl[n] <= 'z') ? decl[n] - 32 : decl[n]);
    up[n] = '\0';
    if (strstr(up, "INT")) return true;
    if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT")) return false;
    if (strstr(up, "BLOB")) return false;
    return true; /* REAL or NUMERIC */
}

static int sq_param_columns(jdbc_stmt *s, const char *schema, const char *table, const char *const *cols, uint32_t n,
                            cv_err *err)
{
    if (n != s->ncols) return 0;
    s->numeric = cv_calloc(n ? n : 1, sizeof *s->numeric);
    if (!s->numeric) return jdbc_nomem(err);
    for (uint32_t k = 0; k < n; k++) {
        const char *decl = NULL;
        /* a column SQLite cannot find (a view, a temp name) stays unknown */
        if (sqlite3_table_column_metadata(s->c->db, schema, table, cols[k], &decl, NULL, NULL, NULL, NULL) == SQLITE_OK)
            s->numeric[k] = converts_numbers(decl);
    }
    return 0;
}

/* Would a column that converts numbers change this text? SQLite keeps an
 * integer literal that fits 64 bits exactly and any other number to 15
 * significant digits; text that is not a number stays text. */
static bool loses_digits(const char *p, size_t n)
{
    size_t i = 0, digits = 0, lead = 0, zeros = 0;
    bool dot = false, any = false, exp = false, seen_nonzero = false;
    if (i < n && (p[i] == '+' || p[i] == '-')) i++;
    for (; i < n; i++) {
        char ch = p[i];
        if (ch >= '0' && ch <= '9') {
            any = true;
            if (ch == '0' && !seen_nonzero) {
                lead++;
                continue;
            }
            seen_nonzero = true;
            digits++;
            zeros = ch == '0' ? zeros + 1 : 0;
        } else if (ch == '.' && !dot) {
            dot = true;
        } else if ((ch == 'e' || ch == 'E') && any) {
            exp = true;
            size_t j = i + 1;
            if (j < n && (p[j] == '+' || p[j] == '-')) j++;
            if (j == n) return false;
            for (; j < n; j++)
                if (p[j] < '0' || p[j] > '9') return false;
            break;
        } else {
            return false; /* not a number: stored as text */
        }
    }
    (void)lead;
    if (!any) return false;
    double d;
    if (exp && (!cv_parse_f64(p, n, &d) || !isfinite(d))) return true; /* 1e400 would be Inf */
    if (!dot && !exp) {
        int64_t v;
        if (cv_parse_i64(p, n, &v)) return false; /* an INTEGER, exactly */
    }
    return digits - zeros > 15;
}

/* A number the column would keep to 15 digits: refused, never rounded. */
static int lossy(const jdbc_stmt *s, int idx, uint32_t row, const char *p, size_t n, cv_err *err)
{
    return jdbc_value_error(err, s->t->full_name, s->t->cols[s->cols[idx - 1]].name, row + 1,
                            "%.*s has more than 15 significant digits (or no finite value), which SQLite keeps only "
                            "as text: the column's declared type makes SQLite convert numbers (NUMERIC affinity); "
                            "declare it DECIMAL_TEXT(p,s) or TEXT to keep every digit",
                            (int)CV_MIN(n, (size_t)60), p);
}

static int bind_value(jdbc_stmt *s, int idx, const cv_col *col, uint32_t r, uint32_t row_in_batch, cv_err *err)
{
    sqlite3_stmt *st = s->st;
    if (cv_col_is_null(col, r) || col->type->id == CV_T_NULL) return sqlite3_bind_null(st, idx);
    switch (col->type->id) {
    case CV_T_BOOL: return sqlite3_bind_int(st, idx, col->data[r] != 0);
    case CV_T_I8:
    case CV_T_I16:
    case CV_T_I32:
    case CV_T_I64: return sqlite3_bind_int64(st, idx, cv_col_get_int(col, r));
    case CV_T_F32:
    case CV_T_F64: {
        double d = cv_col_get_f64(col, r);
        if (isnan(d)) {
            /* SQLite would store NULL: refuse rather than change the value */
            return jdbc_value_error(err, s->t->full_name, s->t->cols[s->cols[idx - 1]].name, row_in_batch + 1,
                                    "NaN cannot be stored in SQLite (it would become NULL)");
        }
        if (d == 0 && signbit(d)) /* a REAL column stores an integral real as an integer */
            return jdbc_value_error(err, s->t->full_name, s->t->cols[s->cols[idx - 1]].name, row_in_batch + 1,
                                    "-0 (negative zero) cannot be stored in SQLite (a REAL column keeps it as 0)");
        return sqlite3_bind_double(st, idx, d);
    }
    case CV_T_STRING: {
        uint32_t n;
        const char *p = cv_col_str(col, r, &n);
        if (s->numeric && s->numeric[idx - 1] && loses_digits(p, n)) return lossy(s, idx, row_in_batch, p, n, err);
        return sqlite3_bind_text(st, idx, p, (int)n, SQLITE_STATIC);
    }
    case CV_T_BYTES: {
        uint32_t n;
        const char *p = cv_col_str(col, r, &n);
        return sqlite3_bind_blob(st, idx, p, (int)n, SQLITE_STATIC); /* p is never NULL: "" is an empty blob */
    }
    default:
        cv_buf_reset(&s->text);
        jdbc_value_text(col, r, &s->text);
        if (s->text.oom) return jdbc_nomem(err);
        if (col->type->id == CV_T_DECIMAL && s->numeric && s->numeric[idx - 1] &&
            loses_digits(s->text.data, s->text.len))
            return lossy(s, idx, row_in_batch, s->text.data, s->text.len, err);
        return sqlite3_bind_text(st, idx, s->text.data ? s->text.data : "", (int)s->text.len, SQLITE_TRANSIENT);
    }
}

/* Bind row r; 0, a negative culvert code, or a positive SQLite code. */
static int bind_row(jdbc_stmt *s, const cv_batch *b, uint32_t r, cv_err *err)
{
    for (uint32_t k = 0; k < s->ncols; k++) {
        int rc = bind_value(s, (int)k + 1, &b->cols[s->cols[k]], r, r, err);
        if (rc != 0) return rc;
    }
    return 0;
}

static int row_fail(jdbc_stmt *s, const cv_batch *b, uint32_t r, int rc, cv_err *err)
{
    if (rc < 0) return rc;
    char what[200];
    snprintf(what, sizeof what, "writing row %u of a batch of %s (%s)", r + 1, s->t->full_name,
             cv_row_kind_short((cv_row_kind)b->kinds[r]));
    return fail(err, s->c->db, rc, what);
}

static int sq_exec_rows(jdbc_stmt *s, const cv_batch *b, const uint32_t *rows, uint32_t n, cv_err *err)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = rows[i];
        int rc = bind_row(s, b, r, err);
        if (rc == 0) {
            while ((rc = sqlite3_step(s->st)) == SQLITE_ROW) continue;
            if (rc == SQLITE_DONE) rc = 0;
            /* changes() keeps the last write's count across reads */
            if (rc == 0 && !sqlite3_stmt_readonly(s->st)) s->c->acked += (uint64_t)sqlite3_changes64(s->c->db);
        }
        if (rc != 0) {
            int res = row_fail(s, b, r, rc, err);
            sqlite3_reset(s->st);
            return res;
        }
        sqlite3_reset(s->st);
    }
    return 0;
}

static uint64_t sq_take_acked(jdbc_conn *c)
{
    uint64_t n = c->acked;
    c->acked = 0;
    return n;
}

static int sq_exists_row(jdbc_stmt *s, const cv_batch *b, uint32_t row, bool *found, cv_err *err)
{
    int rc = bind_row(s, b, row, err);
    if (rc == 0) {
        rc = sqlite3_step(s->st);
        *found = rc == SQLITE_ROW;
        if (rc == SQLITE_ROW || rc == SQLITE_DONE) rc = 0;
    }
    int res = rc ? row_fail(s, b, row, rc, err) : 0;
    sqlite3_reset(s->st);
    return res;
}

/* ---- reading ---------------------------------------------------------------------------- */

static int sq_describe(jdbc_conn *c, const char *sql, cv_arena *a, jdbc_result_col **cols, uint32_t *ncols, cv_err *err)
{
    sqlite3_stmt *st;
    CV_TRY(prepare_raw(c, sql, &st, err));
    int n = sqlite3_column_count(st), res = 0;
    if (n == 0 || !sqlite3_stmt_readonly(st)) {
        bool writes = !sqlite3_stmt_readonly(st);
        sqlite3_finalize(st);
        return cv_err_set(err, CV_ECONFIG, "%s",
                          writes ? "a source query must only read; this one writes" : "the query returns no columns");
    }
    jdbc_result_col *v = cv_arena_zalloc(a, (size_t)n * sizeof *v);
    if (!v) res = jdbc_nomem(err);
    bool peek = false;
    for (int i = 0; res == 0 && i < n; i++) {
        jdbc_result_col *col = &v[i];
        const char *name = sqlite3_column_name(st, i), *decl = sqlite3_column_decltype(st, i);
        const char *tab = sqlite3_column_table_name(st, i), *dbn = sqlite3_column_database_name(st, i);
        const char *origin = sqlite3_column_origin_name(st, i);
        col->name = cv_arena_strdup(a, name ? name : "");
        col->decl = decl ? cv_arena_strdup(a, decl) : NULL;
        col->origin_table = tab ? cv_arena_strdup(a, tab) : NULL;
        col->origin_db = dbn ? cv_arena_strdup(a, dbn) : NULL;
        if (!col->name || (decl && !col->decl) || (tab && !col->origin_table) || (dbn && !col->origin_db)) {
            res = jdbc_nomem(err);
            break;
        }
        col->nullable = true;
        if (tab && origin) {
            int notnull = 0, pk = 0, autoinc = 0;
            if (sqlite3_table_column_metadata(c->db, dbn, tab, origin, NULL, NULL, &notnull, &pk, &autoinc) ==
                SQLITE_OK)
                col->nullable = !notnull && !(pk && decl && cv_streq_nocase(decl, "INTEGER")); /* rowid */
        }
        if (decl) {
            if (map_decl(a, decl, &col->type, &col->length) < 0) res = jdbc_nomem(err);
        } else {
            peek = true;
        }
    }
    if (res == 0 && peek) {
        /* expressions declare nothing: their first value's storage class
         * decides (no rows: text, which reads anything) */
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) res = fail(err, c->db, rc, "reading the first row");
        for (int i = 0; res == 0 && i < n; i++) {
            if (v[i].type) continue;
            int sc = rc == SQLITE_ROW ? sqlite3_column_type(st, i) : SQLITE_NULL;
            v[i].type = cv_type_prim(sc == SQLITE_INTEGER ? CV_T_I64
                                     : sc == SQLITE_FLOAT ? CV_T_F64
                                     : sc == SQLITE_BLOB  ? CV_T_BYTES
                                                          : CV_T_STRING);
        }
    }
    sqlite3_finalize(st);
    if (res < 0) return res;
    *cols = v;
    *ncols = (uint32_t)n;
    return 0;
}

static void sq_cursor_close(jdbc_cursor *cur)
{
    if (!cur) return;
    sqlite3_finalize(cur->st);
    cv_free(cur);
}

static int sq_cursor_open(jdbc_conn *c, const char *sql, const cv_table *t, const char *label, jdbc_cursor **out,
                          cv_err *err)
{
    jdbc_cursor *cur = cv_calloc(1, sizeof *cur);
    if (!cur) return jdbc_nomem(err);
    cur->c = c;
    cur->t = t;
    snprintf(cur->where, sizeof cur->where, "%s (split %s)", t->full_name, label);
    int rc = prepare_raw(c, sql, &cur->st, err);
    if (rc == 0 && (uint32_t)sqlite3_column_count(cur->st) != t->ncols)
        rc = cv_err_set(err, CV_EIO, "the query for %s now returns %d columns, not %u: did the table change?",
                        t->full_name, sqlite3_column_count(cur->st), t->ncols);
    if (rc < 0) {
        sq_cursor_close(cur);
        return rc;
    }
    *out = cur;
    return 0;
}

static const char *storage_name(int sc)
{
    return sc == SQLITE_INTEGER ? "an integer" : sc == SQLITE_FLOAT ? "a real" : sc == SQLITE_BLOB ? "a blob" : "text";
}

/* Text of the value, parsed strictly with the column's type. */
static int parse_text(jdbc_cursor *cur, uint32_t i, cv_col *col, cv_err *err)
{
    const char *s = (const char *)sqlite3_column_text(cur->st, (int)i);
    int n = sqlite3_column_bytes(cur->st, (int)i);
    if (!s) return jdbc_nomem(err);
    cv_err e;
    cv_err_clear(&e);
    if (cv_value_parse(col, s, (size_t)n, &e) == 0) return 0;
    return jdbc_value_error(err, cur->where, cur->t->cols[i].name, cur->row, "%s", e.msg);
}

static int read_value(jdbc_cursor *cur, uint32_t i, cv_col *col, cv_err *err)
{
    sqlite3_stmt *st = cur->st;
    int sc = sqlite3_column_type(st, (int)i);
    const char *cname = cur->t->cols[i].name;
    char tn[64];
    if (sc == SQLITE_NULL) {
        cv_col_append_null(col);
        return 0;
    }
    cv_type_id id = col->type->id;
    switch (id) {
    case CV_T_BOOL:
        if (sc == SQLITE_INTEGER) {
            int64_t v = sqlite3_column_int64(st, (int)i);
            if (v != 0 && v != 1)
                return jdbc_value_error(err, cur->where, cname, cur->row, "%lld is not a boolean (0 or 1)",
                                        (long long)v);
            cv_col_append_bool(col, (uint8_t)v);
            return 0;
        }
        if (sc == SQLITE_TEXT) {
            const char *s = (const char *)sqlite3_column_text(st, (int)i);
            if (s && (strcmp(s, "1") == 0 || strcmp(s, "0") == 0)) {
                cv_col_append_bool(col, s[0] == '1');
                return 0;
            }
            return parse_text(cur, i, col, err);
        }
        break;
    case CV_T_I8:
    case CV_T_I16:
    case CV_T_I32:
    case CV_T_I64: {
        int64_t v;
        if (sc == SQLITE_TEXT) return parse_text(cur, i, col, err);
        if (sc == SQLITE_FLOAT) {
            double d = sqlite3_column_double(st, (int)i);
            if (!(d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0))
                return jdbc_value_error(err, cur->where, cname, cur->row, "%.17g is not an integer (%s)", d,
                                        cv_type_str(col->type, tn, sizeof tn));
            v = (int64_t)d;
        } else if (sc == SQLITE_INTEGER) {
            v = sqlite3_column_int64(st, (int)i);
        } else {
            break;
        }
        int64_t lo = id == CV_T_I8 ? INT8_MIN : id == CV_T_I16 ? INT16_MIN : id == CV_T_I32 ? INT32_MIN : INT64_MIN;
        int64_t hi = id == CV_T_I8 ? INT8_MAX : id == CV_T_I16 ? INT16_MAX : id == CV_T_I32 ? INT32_MAX : INT64_MAX;
        if (v < lo || v > hi)
            return jdbc_value_error(err, cur->where, cname, cur->row, "%lld does not fit %s", (long long)v,
                                    cv_type_str(col->type, tn, sizeof tn));
        cv_col_append_int_any(col, v);
        return 0;
    }
    case CV_T_F32:
    case CV_T_F64: {
        if (sc == SQLITE_TEXT) return parse_text(cur, i, col, err);
        if (sc == SQLITE_BLOB) break;
        double d = sqlite3_column_double(st, (int)i);
        if (sc == SQLITE_INTEGER) {
            int64_t v = sqlite3_column_int64(st, (int)i);
            d = (double)v;
            if (!(fabs(d) < 9223372036854775808.0 && (int64_t)d == v))
                return jdbc_value_error(err, cur->where, cname, cur->row, "%lld is not exact as a double",
                                        (long long)v);
        }
        if (id == CV_T_F32) {
            if (isfinite(d) && fabs(d) >= 0x1.ffffffp127)
                return jdbc_value_error(err, cur->where, cname, cur->row, "%.17g does not fit float", d);
            /* SQLite's FLOAT is a double: one that has no float is not read as another number */
            if ((double)(float)d != d && !isnan(d))
                return jdbc_value_error(err, cur->where, cname, cur->row,
                                        "%.17g is not exact as a float (the column is declared FLOAT; declare it "
                                        "DOUBLE or REAL to read it as a double)",
                                        d);
            cv_col_append_f32(col, (float)d);
        } else {
            cv_col_append_f64(col, d);
        }
        return 0;
    }
    case CV_T_DECIMAL:
        if (sc == SQLITE_BLOB) break;
        return parse_text(cur, i, col, err); /* SQLite renders integers and reals as text */
    case CV_T_STRING:
    case CV_T_BYTES: {
        const void *p = sc == SQLITE_BLOB ? sqlite3_column_blob(st, (int)i) : sqlite3_column_text(st, (int)i);
        int n = sqlite3_column_bytes(st, (int)i);
        if (!p && n > 0) return jdbc_nomem(err);
        cv_col_append_str(col, p ? (const char *)p : "", (size_t)n);
        return 0;
    }
    case CV_T_DATE:
    case CV_T_TIME:
        if (sc == SQLITE_TEXT) return parse_text(cur, i, col, err);
        break;
    case CV_T_TIMESTAMP:
    case CV_T_TIMESTAMP_TZ:
        if (sc == SQLITE_TEXT) return parse_text(cur, i, col, err);
        if (sc == SQLITE_INTEGER) {
            /* SQLite's other convention: Unix time in seconds */
            int64_t s = sqlite3_column_int64(st, (int)i), us;
            if (__builtin_mul_overflow(s, 1000000, &us))
                return jdbc_value_error(err, cur->where, cname, cur->row, "%lld seconds is out of range", (long long)s);
            cv_col_append_i64(col, us);
            return 0;
        }
        break;
    default: break;
    }
    return jdbc_value_error(err, cur->where, cname, cur->row, "%s cannot be read as %s", storage_name(sc),
                            cv_type_str(col->type, tn, sizeof tn));
}

static int sq_cursor_fetch(jdbc_cursor *cur, cv_batch *b, bool *done, cv_err *err)
{
    *done = false;
    while (!cv_batch_full(b)) {
        int rc = sqlite3_step(cur->st);
        if (rc == SQLITE_DONE) {
            *done = true;
            sqlite3_reset(cur->st); /* release the read lock now */
            break;
        }
        if (rc != SQLITE_ROW) {
            char what[200];
            snprintf(what, sizeof what, "reading %s", cur->where);
            return fail(err, cur->c->db, rc, what);
        }
        cur->row++;
        for (uint32_t i = 0; i < b->ncols; i++) CV_TRY(read_value(cur, i, &b->cols[i], err));
        cv_batch_end_row(b, CV_ROW_INSERT);
    }
    return cv_batch_check(b, err);
}

const jdbc_dialect jdbc_sqlite = {
    .name = "SQLite",
    .begin_sql = "BEGIN IMMEDIATE",
    .quote = "\"",
    .one_writer = true,
    .schema_qualifies = true,
    .has_truncate = false,
    .index_in_schema = true,
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .share_key = sq_share_key,
    .describe_target = sq_describe_target,
    .ephemeral = sq_ephemeral,
    .ddl_type = sq_ddl_type,
    .upsert_clause = sq_upsert_clause,
    .commit = sq_commit,
    .exec = sq_exec,
    .query_i64 = sq_query_i64,
    .table_keys = sq_table_keys,
    .prepare = sq_prepare,
    .param_count = sq_param_count,
    .param_columns = sq_param_columns,
    .exec_rows = sq_exec_rows,
    .take_acked = sq_take_acked,
    .exists_row = sq_exists_row,
    .finalize = sq_finalize,
    .describe = sq_describe,
    .cursor_open = sq_cursor_open,
    .cursor_fetch = sq_cursor_fetch,
    .cursor_close = sq_cursor_close,
};
