/* postgres.c — the PostgreSQL dialect over libpq: `url =
 * "jdbc:postgresql://host[:port][,host[:port]…]/database?k=v&…"` (also
 * openGauss, Kingbase, HighGo and Redshift urls, which speak the same
 * protocol). docs/jdbc/postgresql.md is the user's view of this file.
 *
 * Connections. PgJDBC's url parameters that have a libpq meaning map to
 * libpq keywords (sslmode, connectTimeout, ApplicationName, currentSchema,
 * targetServerType, options, …); every other parameter or `properties`
 * key is tried as a server setting (set_config: statement_timeout,
 * work_mem, …) and, when the server does not know it either, is a JDBC
 * driver knob culvert warns about once and ignores. Every session runs
 * with client_encoding UTF8, DateStyle ISO, TimeZone UTC,
 * extra_float_digits 3, IntervalStyle iso_8601 and lock_timeout =
 * connection_check_timeout_sec, so a lock held elsewhere fails the batch
 * with SQLSTATE 55P03, which is transient (CV_ERETRY), like 40001/40P01.
 *
 * Reading. describe prepares the query and maps the result's type OIDs
 * and typmods (domains resolve to their base type); cursors run
 * `COPY (query) TO STDOUT (FORMAT binary)` and decode each tuple straight
 * into the batch's columns. Types culvert has no binary decoder for are
 * cast to text in a wrapping SELECT (`t.c2::text`) and read as strings,
 * so every type can be read and none is guessed at.
 *
 * Writing. bulk runs `COPY t (cols) FROM STDIN (FORMAT binary)` and
 * encodes each value for the target column's real type (looked up once
 * per table and connection): a culvert string goes into text, varchar,
 * json, jsonb, xml, enum or uuid columns; a target with a column COPY
 * cannot be fed in binary (inet, interval, …) declines, and the sink
 * writes it by statement. Statements are prepared once with the types the
 * server infers; their parameters go in binary when culvert has the exact
 * encoding and as text otherwise (the server then parses them), and
 * exec_rows sends a whole batch in one pipeline (one round trip).
 *
 * Values are never changed on the way: a value the target column would
 * round (numeric(10,2) given 1.005, timestamp(0) given a fraction of a
 * second) or that does not fit is an error naming table, column and row;
 * on the way in, numerics are decoded digit for digit and a value beyond
 * the column's decimal type is an error, never rounded.
 *
 * Files: this one holds connections, the type catalog, writing (encoders,
 * COPY FROM, statements) and two-phase commit; postgres_read.c the reading
 * side (result types, COPY … TO STDOUT cursors, value decoding, SQL text
 * scanning); postgres_int.h what they share. */
#include "jdbc.h"

#ifdef CV_HAVE_LIBPQ

#include "postgres_int.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers --------------------------------------------------------------- */

cv_i128 jdbc__pg_p10[39]; /* 10^0 … 10^38 */
static pthread_once_t p10_once = PTHREAD_ONCE_INIT;

static void p10_init(void)
{
    jdbc__pg_p10[0] = 1;
    for (int i = 1; i < 39; i++) jdbc__pg_p10[i] = jdbc__pg_p10[i - 1] * 10;
}

/* Room for n more bytes in b (plus the NUL cv_buf keeps), or NULL. */
static inline char *room(cv_buf *b, size_t n)
{
    if (CV_UNLIKELY(b->len + n + 1 > b->cap) && cv_buf_reserve(b, n) < 0) return NULL;
    return b->data + b->len;
}
static inline void put16(cv_buf *b, uint16_t v)
{
    char *p = room(b, 2);
    if (!p) return;
    v = __builtin_bswap16(v);
    memcpy(p, &v, 2);
    b->len += 2;
}
static inline void put32(cv_buf *b, uint32_t v)
{
    char *p = room(b, 4);
    if (!p) return;
    v = __builtin_bswap32(v);
    memcpy(p, &v, 4);
    b->len += 4;
}
static inline void put64(cv_buf *b, uint64_t v)
{
    char *p = room(b, 8);
    if (!p) return;
    v = __builtin_bswap64(v);
    memcpy(p, &v, 8);
    b->len += 8;
}
static inline void patch32(cv_buf *b, size_t at, uint32_t v)
{
    v = __builtin_bswap32(v);
    memcpy(b->data + at, &v, 4);
}

/* libpq's messages end in a newline and may hold several lines: one line. */
static void one_line(const char *msg, char *out, size_t cap)
{
    size_t k = 0;
    bool space = false;
    for (const char *p = msg ? msg : ""; *p && k + 1 < cap; p++) {
        if (*p == '\n' || *p == '\t' || *p == '\r') {
            space = k > 0;
            continue;
        }
        if (space && k + 2 < cap) out[k++] = ' ';
        space = false;
        out[k++] = *p;
    }
    out[k] = '\0';
}

static bool transient(const char *state)
{
    /* serialization failure, deadlock, lock_timeout */
    return state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0);
}

static bool state_is(const PGresult *res, const char *state)
{
    const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return s && strcmp(s, state) == 0;
}

static int lost(jdbc_conn *c, const char *what, cv_err *err)
{
    char msg[600];
    one_line(PQerrorMessage(c->pg), msg, sizeof msg);
    return cv_err_set(err, CV_EIO, "PostgreSQL: %s: the connection to the server was lost%s%s", what,
                      msg[0] ? ": " : "", msg);
}

/* A FATAL error ends the session (a terminated backend, a shutdown) before
 * libpq sees the socket close; class 08 is the connection failing. */
static bool ends_session(const PGresult *res, const char *state)
{
    const char *sev = res ? PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED) : NULL;
    return (sev && (strcmp(sev, "FATAL") == 0 || strcmp(sev, "PANIC") == 0)) || (state && strncmp(state, "08", 2) == 0);
}

/* An error result (or none) as a culvert error: the server's message,
 * its SQLSTATE, and the detail that names the offending key or value. */
int jdbc__pg_res_fail(jdbc_conn *c, const PGresult *res, const char *what, bool context, cv_err *err)
{
    if (PQstatus(c->pg) == CONNECTION_BAD) return lost(c, what, err);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *prim = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    const char *where = res && context ? PQresultErrorField(res, PG_DIAG_CONTEXT) : NULL;
    char msg[600];
    if (!prim) {
        one_line(res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg), msg, sizeof msg);
        prim = msg[0] ? msg : "no result from the server";
    }
    int code = transient(state) ? CV_ERETRY : CV_EIO;
    return cv_err_set(err, code, "PostgreSQL: %s: %s%s%s%s%s%s%s%s%s", what,
                      ends_session(res, state) ? "the connection to the server was lost: " : "", prim,
                      state ? " (SQLSTATE " : "", state ? state : "", state ? ")" : "", detail ? "; " : "",
                      detail ? detail : "", where ? "; " : "", where ? where : "");
}

/* A write's acknowledgement: the row count of its command tag
 * ("INSERT 0 5", "COPY 5", "DELETE 1"; none for other commands). */
static void ack(jdbc_conn *c, const PGresult *res)
{
    uint64_t n = 0;
    for (const char *p = PQcmdTuples((PGresult *)res); *p >= '0' && *p <= '9'; p++) n = n * 10 + (uint64_t)(*p - '0');
    c->acked += n;
}

static uint64_t pg_take_acked(jdbc_conn *c)
{
    uint64_t n = c->acked;
    c->acked = 0;
    return n;
}

/* "what" for statements we run: the SQL, shortened. */
static const char *sql_what(const char *sql, char *buf, size_t cap)
{
    one_line(sql, buf, cap);
    if (strlen(buf) + 1 >= cap && cap > 4) memcpy(buf + cap - 4, "...", 4);
    return buf;
}

/* Run sql; 0 with *out the result of the expected status, or an error. */
static int run(jdbc_conn *c, const char *sql, ExecStatusType want, PGresult **out, cv_err *err)
{
    PGresult *res = PQexec(c->pg, sql);
    if (PQresultStatus(res) == want) {
        if (out)
            *out = res;
        else
            PQclear(res);
        return 0;
    }
    char what[240];
    int rc = jdbc__pg_res_fail(c, res, sql_what(sql, what, sizeof what), false, err);
    PQclear(res);
    return rc;
}

/* Run sql with text parameters; same contract as run. */
int jdbc__pg_run_params(jdbc_conn *c, const char *sql, int n, const char *const *vals, ExecStatusType want,
                        PGresult **out, cv_err *err)
{
    PGresult *res = PQexecParams(c->pg, sql, n, NULL, vals, NULL, NULL, 0);
    if (PQresultStatus(res) == want) {
        *out = res;
        return 0;
    }
    char what[240];
    int rc = jdbc__pg_res_fail(c, res, sql_what(sql, what, sizeof what), false, err);
    PQclear(res);
    return rc;
}

/* ---- connections ----------------------------------------------------------------- */

/* JDBC driver parameters are warned about once per process, not once per
 * reader and writer. */
static pthread_mutex_t warn_mu = PTHREAD_MUTEX_INITIALIZER;
static char warned[32][64];
static int nwarned;

static void warn_once(const char *key, const char *why)
{
    pthread_mutex_lock(&warn_mu);
    bool seen = false;
    for (int i = 0; i < nwarned && !seen; i++) seen = cv_streq_nocase(warned[i], key);
    if (!seen && nwarned < (int)CV_ARRAY_LEN(warned)) snprintf(warned[nwarned++], sizeof warned[0], "%s", key);
    pthread_mutex_unlock(&warn_mu);
    if (!seen) cv_warn("Jdbc: PostgreSQL %s \"%s\" %s; ignored", "parameter", key, why);
}

/* Connection settings gathered from url parameters, then `properties`. */
typedef struct pg_settings {
    const char *user, *password, *sslmode, *sslcert, *sslkey, *sslrootcert, *sslpassword, *appname;
    const char *search_path, *options, *target, *keepalives, *gssencmode, *timeout;
    bool ssl, read_only;
    /* the rest: server settings or JDBC knobs, told apart after connecting */
    const char *gkey[32], *gval[32];
    cv_pos gpos[32];
    bool gpos_set[32];
    int ng;
} pg_settings;

static bool truthy(const char *v)
{
    return cv_streq_nocase(v, "true") || strcmp(v, "1") == 0 || cv_streq_nocase(v, "on");
}

/* PgJDBC's targetServerType → libpq's target_session_attrs. */
static const char *target_attrs(const char *v)
{
    static const char *const map[][2] = {
        {"any", "any"},
        {"primary", "primary"},
        {"master", "primary"},
        {"secondary", "standby"},
        {"slave", "standby"},
        {"preferSecondary", "prefer-standby"},
        {"preferSlave", "prefer-standby"},
        {"preferPrimary", "any"},
        {"read-write", "read-write"},
        {"read-only", "read-only"},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(map); i++)
        if (cv_streq_nocase(map[i][0], v)) return map[i][1];
    return NULL;
}

/* One url parameter or property. */
static int setting(pg_settings *s, const char *key, const char *val, const cv_pos *pos, cv_err *err)
{
    struct {
        const char *name;
        const char **slot;
    } direct[] = {
        {"user", &s->user},
        {"password", &s->password},
        {"sslmode", &s->sslmode},
        {"sslcert", &s->sslcert},
        {"sslkey", &s->sslkey},
        {"sslrootcert", &s->sslrootcert},
        {"sslpassword", &s->sslpassword},
        {"ApplicationName", &s->appname},
        {"application_name", &s->appname},
        {"currentSchema", &s->search_path},
        {"options", &s->options},
        {"gssEncMode", &s->gssencmode},
        {"connectTimeout", &s->timeout},
        {"loginTimeout", &s->timeout},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(direct); i++)
        if (cv_streq_nocase(direct[i].name, key)) {
            *direct[i].slot = val;
            return 0;
        }
    if (cv_streq_nocase(key, "ssl")) {
        s->ssl = truthy(val);
    } else if (cv_streq_nocase(key, "readOnly")) {
        s->read_only |= truthy(val);
    } else if (cv_streq_nocase(key, "tcpKeepAlive")) {
        s->keepalives = truthy(val) ? "1" : "0";
    } else if (cv_streq_nocase(key, "targetServerType")) {
        if (!(s->target = target_attrs(val)))
            return cv_err_at(err, CV_ECONFIG, pos,
                             "PostgreSQL targetServerType \"%s\" is not one of any, primary, secondary, "
                             "preferSecondary",
                             val);
    } else if (s->ng == (int)CV_ARRAY_LEN(s->gkey)) {
        return cv_err_at(err, CV_ECONFIG, pos,
                         "PostgreSQL: at most %d url parameters and properties are server "
                         "settings; %s is one too many",
                         (int)CV_ARRAY_LEN(s->gkey), key);
    } else {
        s->gkey[s->ng] = key;
        s->gval[s->ng] = val;
        s->gpos_set[s->ng] = pos != NULL;
        if (pos) s->gpos[s->ng] = *pos;
        s->ng++;
    }
    return 0;
}

static int gather(const jdbc_connect_opts *o, pg_settings *s, cv_err *err)
{
    memset(s, 0, sizeof *s);
    for (uint32_t i = 0; i < o->url->nparams; i++)
        CV_TRY(setting(s, o->url->params[i].key, o->url->params[i].value, NULL, err));
    if (o->properties)
        for (uint32_t i = 0; i < o->properties->u.obj.n; i++) {
            const cv_member *m = &o->properties->u.obj.m[i];
            const char *v = cv_node_str(m->val);
            cv_pos p = cv_member_pos(o->properties, m);
            if (!v) return cv_err_at(err, CV_ECONFIG, &p, "property %s must be a plain value", m->key);
            CV_TRY(setting(s, m->key, v, &p, err));
        }
    /* the user and password options win over the url's */
    if (o->user) s->user = o->user;
    if (o->password) s->password = o->password;
    if (s->ssl && !s->sslmode) s->sslmode = "require";
    return 0;
}

static void on_notice(void *arg, const char *msg)
{
    (void)arg;
    char line[600];
    one_line(msg, line, sizeof line);
    cv_debug("PostgreSQL: %s", line);
}

/* "host:port[,host2:port2…]" of a url, for messages. */
static void describe_hosts(const jdbc_url *u, char *out, size_t cap)
{
    bool net = strncmp(u->target, "//", 2) == 0;
    const char *h = net && u->host ? u->host : "localhost", *p = u->port ? u->port : "";
    size_t k = 0;
    out[0] = '\0';
    while (k + 1 < cap) {
        size_t hn = strcspn(h, ","), pn = strcspn(p, ",");
        int w = snprintf(out + k, cap - k, "%s%.*s:%.*s", k ? "," : "", (int)hn, h, pn ? (int)pn : 4, pn ? p : "5432");
        if (w < 0 || (size_t)w >= cap - k) break;
        k += (size_t)w;
        if (!h[hn]) break;
        h += hn + 1;
        p += pn + (p[pn] == ',');
    }
}

static void forget_tables(jdbc_conn *c);

static void pg_disconnect(jdbc_conn *c)
{
    if (!c) return;
    PQfinish(c->pg);
    forget_tables(c);
    cv_vec_free(&c->rels);
    cv_vec_free(&c->plans);
    cv_vec_free(&c->types);
    cv_buf_free(&c->out);
    cv_arena_free(&c->arena);
    cv_free(c);
}

/* Settings that are not libpq keywords: server settings when the server
 * knows them, JDBC driver knobs (warned about, ignored) when it does not. */
static int apply_server_settings(jdbc_conn *c, const pg_settings *s, cv_err *err)
{
    for (int i = 0; i < s->ng; i++) {
        const char *vals[2] = {s->gkey[i], s->gval[i]};
        PGresult *res = PQexecParams(c->pg, "SELECT set_config($1, $2, false)", 2, NULL, vals, NULL, NULL, 0);
        int rc = 0;
        if (PQresultStatus(res) == PGRES_TUPLES_OK) {
            /* a server setting */
        } else if (state_is(res, "42704") || state_is(res, "42602")) {
            warn_once(s->gkey[i], "is neither a libpq nor a server setting (a JDBC driver option)");
        } else if (PQstatus(c->pg) == CONNECTION_BAD) {
            rc = lost(c, "applying the connection's settings", err);
        } else {
            /* the server knows the setting and refuses the value */
            const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
            const cv_pos *pos = s->gpos_set[i] ? &s->gpos[i] : NULL;
            rc = cv_err_at(err, CV_ECONFIG, pos, "PostgreSQL setting %s = \"%s\": %s", s->gkey[i], s->gval[i],
                           msg ? msg : "refused");
        }
        PQclear(res);
        CV_TRY(rc);
    }
    return 0;
}

/* The `options` connection parameter: settings every culvert session
 * relies on (binary values aside, the text forms are ISO), the lock wait
 * bound, read-only sessions, and the user's own options last so that they
 * win. */
static void session_options(const jdbc_connect_opts *o, const pg_settings *s, cv_buf *opts)
{
    cv_buf_puts(opts, "-c DateStyle=ISO -c TimeZone=UTC -c extra_float_digits=3 -c IntervalStyle=iso_8601");
    if (o->timeout_ms > 0) cv_buf_printf(opts, " -c lock_timeout=%lld", (long long)o->timeout_ms);
    if (o->read_only || s->read_only) cv_buf_puts(opts, " -c default_transaction_read_only=on");
    if (s->options) cv_buf_printf(opts, " %s", s->options);
}

/* libpq's keywords and values (NULL-terminated, at most 24). */
static void keywords(const jdbc_url *u, const pg_settings *s, const char *dbname, const char *timeout, const char *opts,
                     const char **kw, const char **val)
{
    /* jdbc:postgresql:database (no "//") is PgJDBC's short form for localhost */
    bool net = strncmp(u->target, "//", 2) == 0;
    const char *pairs[][2] = {
        {"host", net && u->host ? u->host : "localhost"},
        {"port", u->port},
        {"dbname", dbname},
        {"user", s->user},
        {"password", s->password},
        {"connect_timeout", timeout[0] ? timeout : NULL},
        {"sslmode", s->sslmode},
        {"sslcert", s->sslcert},
        {"sslkey", s->sslkey},
        {"sslrootcert", s->sslrootcert},
        {"sslpassword", s->sslpassword},
        {"gssencmode", s->gssencmode},
        {"keepalives", s->keepalives},
        {"target_session_attrs", s->target},
        {"application_name", s->appname},
        {"fallback_application_name", "culvert"},
        {"client_encoding", "UTF8"},
        {"options", opts},
    };
    int n = 0;
    for (size_t i = 0; i < CV_ARRAY_LEN(pairs); i++)
        if (pairs[i][1]) {
            kw[n] = pairs[i][0];
            val[n++] = pairs[i][1];
        }
    kw[n] = val[n] = NULL;
}

static int pg_connect(const jdbc_connect_opts *o, jdbc_conn **out, cv_err *err)
{
    pthread_once(&p10_once, p10_init);
    const jdbc_url *u = o->url;
    pg_settings s;
    CV_TRY(gather(o, &s, err));
    bool net = strncmp(u->target, "//", 2) == 0;
    const char *dbname = net ? u->database : (u->target[0] ? u->target : NULL);
    char timeout[24] = "";
    if (s.timeout)
        snprintf(timeout, sizeof timeout, "%s", s.timeout);
    else if (o->timeout_ms > 0) /* libpq's least timeout is 2 s */
        snprintf(timeout, sizeof timeout, "%lld", (long long)CV_MAX((o->timeout_ms + 999) / 1000, 2));
    cv_buf opts;
    cv_buf_init(&opts);
    session_options(o, &s, &opts);
    if (opts.oom) {
        cv_buf_free(&opts);
        return jdbc_nomem(err);
    }
    const char *kw[24], *val[24];
    keywords(u, &s, dbname, timeout, opts.data, kw, val);

    jdbc_conn *c = cv_calloc(1, sizeof *c);
    if (!c) {
        cv_buf_free(&opts);
        return jdbc_nomem(err);
    }
    cv_arena_init(&c->arena, 0);
    cv_buf_init(&c->out);
    c->pg = PQconnectdbParams(kw, val, 0);
    cv_buf_free(&opts);
    if (!c->pg) {
        cv_free(c);
        return jdbc_nomem(err);
    }
    if (PQstatus(c->pg) != CONNECTION_OK) {
        char hosts[200], msg[700];
        describe_hosts(u, hosts, sizeof hosts);
        one_line(PQerrorMessage(c->pg), msg, sizeof msg);
        const char *who = s.user ? s.user : PQuser(c->pg);
        const char *db = dbname ? dbname : PQdb(c->pg);
        int rc = cv_err_set(err, CV_EIO, "PostgreSQL: cannot connect to %s/%s as %s: %s", hosts, db ? db : "",
                            who ? who : "(default)", msg);
        pg_disconnect(c);
        return rc;
    }
    PQsetNoticeProcessor(c->pg, on_notice, NULL);
    int rc = 0;
    if (s.search_path) {
        const char *vals[1] = {s.search_path};
        PGresult *res = NULL;
        rc = jdbc__pg_run_params(c, "SELECT set_config('search_path', $1, false)", 1, vals, PGRES_TUPLES_OK, &res, err);
        if (rc == 0) PQclear(res);
    }
    if (rc == 0) rc = apply_server_settings(c, &s, err);
    if (rc < 0) {
        pg_disconnect(c);
        return rc;
    }
    *out = c;
    return 0;
}

static int pg_share_key(const jdbc_url *u, cv_buf *out)
{
    cv_buf_printf(out, "%s|%s|%s", u->host ? u->host : "", u->port ? u->port : "",
                  u->database ? u->database : u->target);
    return out->oom ? CV_ENOMEM : 0;
}

/* describe_target returns a string that must live as long as the job, and
 * the contract gives no arena: names are kept once per process, reachable
 * from this list (CONTRACT: describe_target could take an arena). */
typedef struct interned {
    struct interned *next;
    char s[];
} interned;
static interned *interned_head;
static pthread_mutex_t interned_mu = PTHREAD_MUTEX_INITIALIZER;

static const char *intern(const char *s)
{
    pthread_mutex_lock(&interned_mu);
    interned *it = interned_head;
    while (it && strcmp(it->s, s) != 0) it = it->next;
    if (!it) {
        size_t n = strlen(s);
        it = cv_malloc(sizeof *it + n + 1);
        if (it) {
            memcpy(it->s, s, n + 1);
            it->next = interned_head;
            interned_head = it;
        }
    }
    pthread_mutex_unlock(&interned_mu);
    return it ? it->s : "PostgreSQL database";
}

static const char *pg_describe_target(const jdbc_url *u)
{
    bool net = strncmp(u->target, "//", 2) == 0;
    const char *db = net ? u->database : (u->target[0] ? u->target : NULL);
    char hosts[200], buf[320];
    describe_hosts(u, hosts, sizeof hosts);
    if (db)
        snprintf(buf, sizeof buf, "PostgreSQL database %s at %s", db, hosts);
    else
        snprintf(buf, sizeof buf, "the user's PostgreSQL database at %s", hosts);
    return intern(buf);
}

static bool pg_ephemeral(const jdbc_url *u)
{
    (void)u;
    return false;
}

/* ---- plain statements ------------------------------------------------------------- */

/* DDL through this connection may change the tables whose column types are
 * cached: forget them. */
static bool is_ddl(const char *sql)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '\r') sql++;
    return cv_strneq_nocase(sql, "CREATE", 6) || cv_strneq_nocase(sql, "DROP", 4) || cv_strneq_nocase(sql, "ALTER", 5);
}

static int pg_exec(jdbc_conn *c, const char *sql, cv_err *err)
{
    if (is_ddl(sql)) forget_tables(c);
    PGresult *res = PQexec(c->pg, sql);
    ExecStatusType st = PQresultStatus(res);
    int rc = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
        char what[240];
        if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT) {
            rc = cv_err_set(err, CV_EINVAL, "PostgreSQL: %s: COPY cannot run here", sql_what(sql, what, sizeof what));
            PQclear(res);
            while ((res = PQgetResult(c->pg)) != NULL) PQclear(res);
            return rc;
        }
        rc = jdbc__pg_res_fail(c, res, sql_what(sql, what, sizeof what), false, err);
    }
    PQclear(res);
    return rc;
}

/* COMMIT of a transaction that had failed answers ROLLBACK, not an error:
 * that must not pass for a commit. */
static int pg_commit(jdbc_conn *c, cv_err *err)
{
    PGresult *res = NULL;
    CV_TRY(run(c, "COMMIT", PGRES_COMMAND_OK, &res, err));
    bool rolled = strcmp(PQcmdStatus(res), "ROLLBACK") == 0;
    PQclear(res);
    if (rolled)
        return cv_err_set(err, CV_EIO, "PostgreSQL: COMMIT: the transaction had failed; the server rolled it back%s",
                          "");
    return 0;
}

static int pg_query_i64(jdbc_conn *c, const char *sql, int64_t *out, bool *isnull, cv_err *err)
{
    PGresult *res = NULL;
    CV_TRY(run(c, sql, PGRES_TUPLES_OK, &res, err));
    *isnull = true;
    *out = 0;
    int rc = 0;
    if (PQntuples(res) > 0 && PQnfields(res) > 0 && !PQgetisnull(res, 0, 0)) {
        const char *v = PQgetvalue(res, 0, 0);
        if (cv_parse_i64(v, strlen(v), out))
            *isnull = false;
        else
            rc = cv_err_set(err, CV_EDATA, "PostgreSQL: \"%s\" is not an integer (from %s)", v, sql);
    }
    PQclear(res);
    return rc;
}

/* Existence and primary key of schema.table; schema NULL resolves as
 * PostgreSQL resolves an unqualified name (search_path). */
static int pg_table_keys(jdbc_conn *c, cv_arena *a, const char *schema, const char *table, jdbc_table_keys *out,
                         cv_err *err)
{
    memset(out, 0, sizeof *out);
    cv_buf q;
    cv_buf_init(&q);
    jdbc_quote_path(&jdbc_postgres, schema, table, &q);
    if (q.oom) return jdbc_nomem(err);
    const char *vals[1] = {q.data};
    PGresult *res = NULL;
    int rc =
        jdbc__pg_run_params(c,
                            "SELECT a.attname FROM pg_class c "
                            "LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary "
                            "LEFT JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(num, pos) ON true "
                            "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.num "
                            "WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'v', 'm', 'p', 'f') ORDER BY k.pos",
                            1, vals, PGRES_TUPLES_OK, &res, err);
    cv_buf_free(&q);
    if (rc < 0) return rc;
    int n = PQntuples(res);
    out->exists = n > 0;
    if (n > 0 && !PQgetisnull(res, 0, 0)) {
        out->pk = cv_arena_alloc(a, (size_t)n * sizeof *out->pk);
        for (int i = 0; out->pk && i < n; i++)
            if (!(out->pk[i] = cv_arena_strdup(a, PQgetvalue(res, i, 0)))) out->pk = NULL;
        if (!out->pk) rc = jdbc_nomem(err);
        out->npk = (uint32_t)n;
    }
    PQclear(res);
    return rc;
}

/* ---- the type catalog ------------------------------------------------------------- */

static bool builtin(Oid oid)
{
    switch (oid) {
    case OID_BOOL:
    case OID_BYTEA:
    case OID_CHAR:
    case OID_NAME:
    case OID_INT8:
    case OID_INT2:
    case OID_INT4:
    case OID_TEXT:
    case OID_OID:
    case OID_JSON:
    case OID_XML:
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_UNKNOWN:
    case OID_BPCHAR:
    case OID_VARCHAR:
    case OID_DATE:
    case OID_TIME:
    case OID_TIMESTAMP:
    case OID_TIMESTAMPTZ:
    case OID_NUMERIC:
    case OID_UUID:
    case OID_JSONB: return true;
    default: return false;
    }
}

static const pg_typinfo *typ_find(const jdbc_conn *c, Oid oid)
{
    for (size_t i = 0; i < c->types.n; i++)
        if (c->types.v[i].oid == oid) return &c->types.v[i];
    return NULL;
}

/* Load the catalog rows of the types in oids[0..n) not known yet. */
int jdbc__pg_typ_load(jdbc_conn *c, const Oid *oids, uint32_t n, cv_err *err)
{
    cv_buf list;
    cv_buf_init(&list);
    for (uint32_t i = 0; i < n; i++)
        if (!builtin(oids[i]) && !typ_find(c, oids[i])) cv_buf_printf(&list, "%s%u", list.len ? "," : "{", oids[i]);
    if (!list.len) return 0;
    cv_buf_putc(&list, '}');
    if (list.oom) return jdbc_nomem(err);
    const char *vals[1] = {list.data};
    PGresult *res = NULL;
    int rc = jdbc__pg_run_params(c,
                                 "SELECT oid, typtype, typcategory, typelem, typbasetype, typtypmod FROM pg_type "
                                 "WHERE oid = ANY ($1::oid[])",
                                 1, vals, PGRES_TUPLES_OK, &res, err);
    cv_buf_free(&list);
    if (rc < 0) return rc;
    for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
        pg_typinfo t = {
            .oid = (Oid)strtoul(PQgetvalue(res, i, 0), NULL, 10),
            .typtype = PQgetvalue(res, i, 1)[0],
            .category = PQgetvalue(res, i, 2)[0],
            .elem = (Oid)strtoul(PQgetvalue(res, i, 3), NULL, 10),
            .base = (Oid)strtoul(PQgetvalue(res, i, 4), NULL, 10),
            .basemod = (int32_t)strtol(PQgetvalue(res, i, 5), NULL, 10),
        };
        if (cv_vec_push(&c->types, t) < 0) rc = jdbc_nomem(err);
    }
    PQclear(res);
    return rc;
}

/* The catalog row of a type that is not built in (NULL: unknown OID). */
static int typ_get(jdbc_conn *c, Oid oid, const pg_typinfo **out, cv_err *err)
{
    *out = NULL;
    if (builtin(oid)) return 0;
    if (!typ_find(c, oid)) CV_TRY(jdbc__pg_typ_load(c, &oid, 1, err));
    *out = typ_find(c, oid);
    return 0;
}

/* Domains are their base type with the domain's typmod. */
int jdbc__pg_typ_base(jdbc_conn *c, Oid *oid, int32_t *mod, const pg_typinfo **info, cv_err *err)
{
    for (int depth = 0; depth < 32; depth++) {
        CV_TRY(typ_get(c, *oid, info, err));
        if (!*info || (*info)->typtype != 'd') return 0;
        if (*mod < 0) *mod = (*info)->basemod;
        *oid = (*info)->base;
    }
    return 0;
}

/* ---- types, write side ------------------------------------------------------------------ */

static int pg_ddl_type(const cv_column *col, cv_buf *out, cv_err *err);

static int ddl_scalar(const cv_type *t, const cv_column *col, cv_buf *out)
{
    int64_t scale = col ? col->scale : 0;
    switch (t->id) {
    case CV_T_NULL: cv_buf_puts(out, "text"); break;
    case CV_T_BOOL: cv_buf_puts(out, "boolean"); break;
    case CV_T_I8:
    case CV_T_I16: cv_buf_puts(out, "smallint"); break;
    case CV_T_I32: cv_buf_puts(out, "integer"); break;
    case CV_T_I64: cv_buf_puts(out, "bigint"); break;
    case CV_T_F32: cv_buf_puts(out, "real"); break;
    case CV_T_F64: cv_buf_puts(out, "double precision"); break;
    case CV_T_DECIMAL: cv_buf_printf(out, "numeric(%u,%u)", t->precision, t->scale); break;
    case CV_T_STRING:
        /* PostgreSQL's varchar limit; longer declared lengths are text */
        if (col && col->length > 0 && col->length <= 10485760)
            cv_buf_printf(out, "varchar(%lld)", (long long)col->length);
        else
            cv_buf_puts(out, "text");
        break;
    case CV_T_BYTES: cv_buf_puts(out, "bytea"); break;
    case CV_T_DATE: cv_buf_puts(out, "date"); break;
    case CV_T_TIME:
        /* time(p) only narrows: without a known scale, microseconds */
        if (scale > 0 && scale < 6)
            cv_buf_printf(out, "time(%lld)", (long long)scale);
        else
            cv_buf_puts(out, "time");
        break;
    case CV_T_TIMESTAMP:
    case CV_T_TIMESTAMP_TZ:
        cv_buf_puts(out, t->id == CV_T_TIMESTAMP ? "timestamp" : "timestamptz");
        if (scale > 0 && scale < 6) cv_buf_printf(out, "(%lld)", (long long)scale);
        break;
    default: return -1;
    }
    return 0;
}

static int pg_ddl_type(const cv_column *col, cv_buf *out, cv_err *err)
{
    const cv_type *t = col->type;
    if (t->id == CV_T_MAP || t->id == CV_T_ROW) {
        cv_buf_puts(out, "jsonb");
        return 0;
    }
    if (t->id == CV_T_ARRAY) {
        /* arrays of scalars are PostgreSQL arrays; nested ones are JSON */
        if (t->elem->id == CV_T_ARRAY || t->elem->id == CV_T_MAP || t->elem->id == CV_T_ROW ||
            t->elem->id == CV_T_NULL) {
            cv_buf_puts(out, "jsonb");
            return 0;
        }
        if (ddl_scalar(t->elem, NULL, out) < 0) goto unsupported;
        cv_buf_puts(out, "[]");
        return 0;
    }
    if (ddl_scalar(t, col, out) == 0) return 0;
unsupported:
    return cv_err_set(err, CV_EUNSUPPORTED, "column %s: no PostgreSQL type for it", col->name);
}

static void pg_upsert_clause(cv_buf *sql, const char *const *keys, uint32_t nkeys, const char *const *others,
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
        cv_buf_printf(sql, "%s%s = EXCLUDED.%s", k ? ", " : "", others[k], others[k]);
}

/* Encoders: a culvert value in the binary form of a PostgreSQL type. */
enum {
    EN_NULL, /* the null type: always NULL */
    EN_BOOL, /* boolean → bool */
    EN_INT2, /* any integer → int2, int4, int8 (range checked) */
    EN_INT4,
    EN_INT8,
    EN_FLOAT4,    /* float or double → float4 (a double must be exact) */
    EN_FLOAT8,    /* … → float8 */
    EN_NUMERIC,   /* decimal or integer → numeric */
    EN_STR,       /* string or bytes → text, varchar, bpchar, name, json, xml, enum */
    EN_JSONB,     /* string → jsonb */
    EN_FMT,       /* any value → its canonical text (jdbc_value_text) in a text-like column */
    EN_FMT_JSONB, /* … → jsonb */
    EN_UUID,      /* string → uuid */
    EN_BYTEA,     /* bytes → bytea */
    EN_DATE,      /* date → date */
    EN_TIME,      /* time → time */
    EN_TS,        /* timestamp, timestamp_tz → timestamp, timestamptz */
    EN_ARRAY,     /* array → array of one of the above */
    EN_TS_DATE,   /* timestamp at midnight → date */
    EN_REFUSE,    /* a value the server would read by a rule of its own (20240102 as a date): an error */
    EN_TEXT,      /* statements only: the value as text, parsed by the server */
};

static bool text_like(Oid oid, const pg_typinfo *info)
{
    return oid == OID_TEXT || oid == OID_VARCHAR || oid == OID_BPCHAR || oid == OID_NAME || oid == OID_JSON ||
           oid == OID_XML || oid == OID_UNKNOWN || (info && info->typtype == 'e');
}

/* A scalar encoder for culvert type ct into base type oid (typmod mod);
 * EN_TEXT when there is no binary one. */
static uint8_t enc_scalar(const cv_type *ct, Oid oid, const pg_typinfo *info, int32_t mod, enc_col *e)
{
    cv_type_id id = ct->id;
    bool text = text_like(oid, info);
    if (id == CV_T_NULL) return EN_NULL;
    if (text && (oid == OID_VARCHAR || oid == OID_BPCHAR) && mod > VARHDRSZ) {
        e->limit = mod - VARHDRSZ;
        e->check = true;
    }
    switch (id) {
    case CV_T_BOOL:
        if (oid == OID_BOOL) return EN_BOOL;
        break;
    case CV_T_I8:
    case CV_T_I16:
    case CV_T_I32:
    case CV_T_I64:
        if (oid == OID_FLOAT4 || oid == OID_FLOAT8) {
            e->check = true; /* 2^53 + 1 has no double */
            return oid == OID_FLOAT4 ? EN_FLOAT4 : EN_FLOAT8;
        }
        if (oid == OID_INT2 || oid == OID_INT4 || oid == OID_INT8) {
            e->check = (oid == OID_INT2 && id > CV_T_I16) || (oid == OID_INT4 && id > CV_T_I32);
            return oid == OID_INT2 ? EN_INT2 : oid == OID_INT4 ? EN_INT4 : EN_INT8;
        }
        if (oid == OID_NUMERIC) {
            unsigned p, s;
            e->check = mod >= VARHDRSZ;
            if (e->check && jdbc__pg_numeric_fit(mod, &p, &s))
                e->check = p - s < 19; /* fewer integer digits than int64 */
            e->prec = mod >= VARHDRSZ ? ((mod - VARHDRSZ) >> 16) & 0xffff : 0;
            e->limit = mod >= VARHDRSZ ? (((mod - VARHDRSZ) & 0x7ff) ^ 1024) - 1024 : 0;
            return EN_NUMERIC;
        }
        break;
    case CV_T_F32:
    case CV_T_F64:
        if (oid == OID_FLOAT8) return EN_FLOAT8;
        if (oid == OID_FLOAT4) {
            e->check = id == CV_T_F64;
            return EN_FLOAT4;
        }
        if (oid == OID_NUMERIC) {
            /* the shortest digits of the real, checked against the typmod */
            e->check = mod >= VARHDRSZ;
            e->prec = e->check ? ((mod - VARHDRSZ) >> 16) & 0xffff : 0;
            e->limit = e->check ? (((mod - VARHDRSZ) & 0x7ff) ^ 1024) - 1024 : 0;
            return EN_NUMERIC;
        }
        break;
    case CV_T_DECIMAL:
        if (oid == OID_FLOAT4 || oid == OID_FLOAT8) {
            e->check = true; /* only digits a real has */
            return oid == OID_FLOAT4 ? EN_FLOAT4 : EN_FLOAT8;
        }
        if (oid == OID_NUMERIC) {
            /* the server rounds to the column's scale: check what it would do */
            e->check = mod >= VARHDRSZ;
            e->prec = e->check ? ((mod - VARHDRSZ) >> 16) & 0xffff : 0;
            e->limit = e->check ? (((mod - VARHDRSZ) & 0x7ff) ^ 1024) - 1024 : 0;
            if (e->check && e->limit >= (int32_t)ct->scale &&
                e->prec - e->limit >= (int32_t)(ct->precision - ct->scale))
                e->check = false; /* every value of the type fits */
            return EN_NUMERIC;
        }
        break;
    case CV_T_STRING:
    case CV_T_BYTES:
        if (id == CV_T_BYTES && oid == OID_BYTEA) return EN_BYTEA;
        if (text) return EN_STR;
        if (oid == OID_JSONB) return EN_JSONB;
        if (oid == OID_UUID && id == CV_T_STRING) return EN_UUID;
        break;
    case CV_T_DATE:
        if (oid == OID_DATE) return EN_DATE;
        break;
    case CV_T_TIME:
        if (oid == OID_TIME) {
            e->limit = mod >= 0 ? mod : 6;
            e->check = true; /* nanoseconds: the server keeps microseconds */
            return EN_TIME;
        }
        break;
    case CV_T_TIMESTAMP:
    case CV_T_TIMESTAMP_TZ:
        /* with TimeZone UTC, either kind of timestamp is the same instant */
        if (oid == OID_TIMESTAMP || oid == OID_TIMESTAMPTZ) {
            e->limit = mod >= 0 ? mod : 6;
            e->check = e->limit < 6;
            return EN_TS;
        }
        if (oid == OID_DATE) return EN_TS_DATE; /* the server would drop the time of day */
        if (oid == OID_TIME) return EN_REFUSE;  /* … or the date */
        break;
    default: break;
    }
    /* a number into a date or time the server would read as 20240102 or hhmmss */
    if (id >= CV_T_BOOL && id <= CV_T_DECIMAL &&
        (oid == OID_DATE || oid == OID_TIME || oid == OID_TIMESTAMP || oid == OID_TIMESTAMPTZ))
        return EN_REFUSE;
    if (text) return EN_FMT;
    if (oid == OID_JSONB && (id == CV_T_ARRAY || id == CV_T_MAP || id == CV_T_ROW)) return EN_FMT_JSONB;
    return EN_TEXT;
}

/* How culvert type ct goes into a value of type oid (typmod mod). */
static int enc_choose(jdbc_conn *c, const cv_type *ct, Oid oid, int32_t mod, enc_col *e, cv_err *err)
{
    memset(e, 0, sizeof *e);
    const pg_typinfo *info;
    CV_TRY(jdbc__pg_typ_base(c, &oid, &mod, &info, err));
    if (ct->id == CV_T_ARRAY && jdbc__pg_is_array(info)) {
        Oid eoid = info->elem;
        int32_t emod = mod;
        const pg_typinfo *einfo;
        e->elem = eoid; /* the header names the declared element type */
        CV_TRY(jdbc__pg_typ_base(c, &eoid, &emod, &einfo, err));
        enc_col ee;
        memset(&ee, 0, sizeof ee);
        uint8_t k = enc_scalar(ct->elem, eoid, einfo, emod, &ee);
        if (k != EN_TEXT && k != EN_NULL && ct->elem->id != CV_T_ARRAY) {
            e->kind = EN_ARRAY;
            e->ekind = k;
            e->check = ee.check;
            e->prec = ee.prec;
            e->limit = ee.limit;
            return 0;
        }
        e->kind = EN_TEXT;
        return 0;
    }
    e->kind = enc_scalar(ct, oid, info, mod, e);
    return 0;
}

/* ---- encoding values ------------------------------------------------------------------------ */

typedef struct enc_ctx {
    const char *table, *column; /* for messages */
    uint64_t row;
    cv_err *err;
} enc_ctx;

static int enc_error(const enc_ctx *x, const char *fmt, ...) CV_PRINTF(2, 3);
static int enc_error(const enc_ctx *x, const char *fmt, ...)
{
    char why[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return jdbc_value_error(x->err, x->table, x->column, x->row, "%s", why);
}

/* unscaled v with scale s → numeric's binary form. */
static void put_numeric(cv_buf *b, cv_i128 v, unsigned scale)
{
    uint16_t g[16]; /* base-10000 groups, least significant first */
    int n = 0;
    unsigned __int128 u = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
    unsigned pad = (4 - scale % 4) % 4, first = 4 - pad; /* align the groups on the decimal point */
    if (u) {
        g[n++] = (uint16_t)((u % (unsigned)jdbc__pg_p10[first]) * (unsigned)jdbc__pg_p10[pad]);
        u /= (unsigned)jdbc__pg_p10[first];
        while (u > UINT64_MAX) {
            g[n++] = (uint16_t)(u % 10000);
            u /= 10000;
        }
        for (uint64_t w = (uint64_t)u; w; w /= 10000) g[n++] = (uint16_t)(w % 10000);
    }
    int lo = 0;
    while (lo < n && g[lo] == 0) lo++;
    int frac = (int)(scale + pad) / 4;
    int ndig = n - lo;
    put16(b, (uint16_t)ndig);
    put16(b, (uint16_t)(ndig ? n - 1 - frac : 0));
    put16(b, v < 0 ? NUMERIC_NEG : NUMERIC_POS);
    put16(b, (uint16_t)scale);
    for (int k = n - 1; k >= lo; k--) put16(b, g[k]);
}

/* Would numeric(prec, tscale) store unscaled v of scale s unchanged? */
static int check_numeric(const enc_ctx *x, const enc_col *e, cv_i128 v, unsigned s)
{
    int d = (int)s - e->limit;
    if (d > 0) {
        if (d > CV_DECIMAL_MAX_PRECISION || v % jdbc__pg_p10[d] != 0)
            return enc_error(x, "the column keeps %d decimal place%s: the value would be rounded", e->limit,
                             e->limit == 1 ? "" : "s");
        v /= jdbc__pg_p10[d];
        d = 0;
    }
    /* |v| · 10^-d < 10^prec  ⇔  |v| < 10^(prec + d) */
    int room_digits = e->prec + d;
    cv_i128 a = v < 0 ? -v : v;
    if (room_digits > CV_DECIMAL_MAX_PRECISION) return 0;
    if (room_digits <= 0 ? a != 0 : a >= jdbc__pg_p10[room_digits])
        return enc_error(x, "the value does not fit the column's numeric(%d,%d)", e->prec, e->limit);
    return 0;
}

static int check_length(const enc_ctx *x, const enc_col *e, const char *p, uint32_t n)
{
    if (n <= (uint32_t)e->limit) return 0;
    int64_t chars = cv_utf8_len(p, n);
    if (chars >= 0 && chars <= e->limit) return 0;
    return enc_error(x, "the text is longer than the column's %d characters", e->limit);
}

/* PostgreSQL's uuid input: 32 hex digits, hyphens after any group of four,
 * optionally in braces. */
static bool parse_uuid(const char *s, uint32_t n, unsigned char out[16])
{
    if (n >= 2 && s[0] == '{' && s[n - 1] == '}') {
        s++;
        n -= 2;
    }
    int k = 0;
    for (uint32_t i = 0; i < n; i++) {
        char ch = s[i];
        int h = ch >= '0' && ch <= '9'   ? ch - '0'
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                         : -1;
        if (h < 0) {
            if (ch != '-' || k == 0 || k % 4 != 0 || k == 32 || (i + 1 < n && s[i + 1] == '-')) return false;
            continue;
        }
        if (k >= 32) return false;
        if (k % 2 == 0)
            out[k / 2] = (unsigned char)(h << 4);
        else
            out[k / 2] |= (unsigned char)h;
        k++;
    }
    return k == 32;
}

/* A float or double → numeric's binary form, digit for digit its shortest
 * decimal (what it prints as), checked against the column's typmod: the
 * server would round 1.005 into numeric(10,2). NaN and the infinities are
 * numeric's own (the infinities since PostgreSQL 14). */
static int enc_real_numeric(const enc_ctx *x, const enc_col *e, const cv_col *col, uint32_t r, cv_buf *b)
{
    double d = cv_col_get_f64(col, r);
    if (!isfinite(d)) {
        if (e->check && !isnan(d))
            return enc_error(x, "%s does not fit the column's numeric(%d,%d)", d > 0 ? "Infinity" : "-Infinity",
                             e->prec, e->limit);
        put16(b, 0);
        put16(b, 0);
        put16(b, isnan(d) ? 0xC000 : d > 0 ? 0xD000 : 0xF000);
        put16(b, 0);
        return 0;
    }
    if (d == 0) {
        for (int k = 0; k < 4; k++) put16(b, 0); /* no digits, weight 0, positive, scale 0 */
        return 0;
    }
    char dig[32];
    int e10, n = cv__shortest_digits(fabs(d), col->type->id == CV_T_F32, dig, &e10);
    int low = e10 - (n - 1); /* the power of ten of the last digit */
    if (e->check) {
        if (low < -e->limit)
            return enc_error(x, "the column keeps %d decimal place%s: %.17g would be rounded", e->limit,
                             e->limit == 1 ? "" : "s", d);
        if (e10 >= e->prec - e->limit)
            return enc_error(x, "%.17g does not fit the column's numeric(%d,%d)", d, e->prec, e->limit);
    }
    /* base-10000 groups: group g holds the powers 4g … 4g + 3 */
    int top = e10 >= 0 ? e10 / 4 : -((-e10 + 3) / 4), bottom = low >= 0 ? low / 4 : -((-low + 3) / 4);
    uint16_t g[16] = {0};
    for (int i = 0; i < n; i++) {
        int pw = e10 - i, gi = pw >= 0 ? pw / 4 : -((-pw + 3) / 4);
        g[top - gi] = (uint16_t)(g[top - gi] + (dig[i] - '0') * (int)jdbc__pg_p10[pw - 4 * gi]);
    }
    put16(b, (uint16_t)(top - bottom + 1));
    put16(b, (uint16_t)(int16_t)top);
    put16(b, d < 0 ? NUMERIC_NEG : NUMERIC_POS);
    put16(b, (uint16_t)(low < 0 ? -low : 0));
    for (int k = 0; k <= top - bottom; k++) put16(b, g[k]);
    return 0;
}

static int enc_value(const enc_ctx *x, uint8_t kind, const enc_col *e, const cv_col *col, uint32_t r, cv_buf *b);

/* PostgreSQL's text types cannot hold a NUL byte (and libpq ends text
 * parameters at one): the row is refused before it is sent or counted,
 * never stripped. bytea holds any byte. */
static int nul_check(const enc_ctx *x, const char *p, size_t n)
{
    if (!n || !memchr(p, 0, n)) return 0;
    return enc_error(x, "the text holds a NUL byte (0x00), which PostgreSQL cannot store in text; culvert refuses the "
                        "row rather than strip it");
}

/* One-dimensional array: header, then each element with its length. */
static int enc_array(const enc_ctx *x, const enc_col *e, const cv_col *col, uint32_t r, cv_buf *b)
{
    const int32_t *o = cv_col_offsets(col);
    const cv_col *child = &col->child[0];
    int32_t from = o[r], count = o[r + 1] - o[r];
    bool nulls = false;
    for (int32_t k = from; k < from + count; k++) nulls |= cv_col_is_null(child, (uint32_t)k);
    put32(b, count ? 1 : 0);
    put32(b, nulls);
    put32(b, e->elem);
    if (count) {
        put32(b, (uint32_t)count);
        put32(b, 1);
    }
    for (int32_t k = from; k < from + count; k++) {
        if (cv_col_is_null(child, (uint32_t)k)) {
            put32(b, UINT32_MAX);
            continue;
        }
        size_t at = b->len;
        put32(b, 0);
        CV_TRY(enc_value(x, e->ekind, e, child, (uint32_t)k, b));
        if (!b->oom) patch32(b, at, (uint32_t)(b->len - at - 4));
    }
    return 0;
}

/* Value r of col (not NULL) in the binary form `kind` gives. */
static int enc_value(const enc_ctx *x, uint8_t kind, const enc_col *e, const cv_col *col, uint32_t r, cv_buf *b)
{
    switch (kind) {
    case EN_BOOL: {
        char *p = room(b, 1);
        if (p) {
            *p = (char)(col->data[r] != 0);
            b->len++;
        }
        return 0;
    }
    case EN_INT2:
    case EN_INT4:
    case EN_INT8: {
        int64_t v = cv_col_get_int(col, r);
        if (e->check && (kind == EN_INT2 ? v != (int16_t)v : v != (int32_t)v))
            return enc_error(x, "%lld does not fit the column's %s", (long long)v,
                             kind == EN_INT2 ? "smallint" : "integer");
        if (kind == EN_INT2)
            put16(b, (uint16_t)v);
        else if (kind == EN_INT4)
            put32(b, (uint32_t)v);
        else
            put64(b, (uint64_t)v);
        return 0;
    }
    case EN_FLOAT4:
    case EN_FLOAT8: {
        double d = cv_col_get_f64(col, r);
        if (e->check && !jdbc_real_exact(col, r, kind == EN_FLOAT4, &d)) {
            cv_buf txt;
            cv_buf_init(&txt);
            if (col->type->id == CV_T_F64)
                cv_buf_printf(&txt, "%.17g", cv_col_get_f64(col, r));
            else
                jdbc_value_text(col, r, &txt);
            int rc = enc_error(x, "%s is not exact as the column's %s", txt.data ? txt.data : "?",
                               kind == EN_FLOAT4 ? "real (float4)" : "double precision (float8)");
            cv_buf_free(&txt);
            return rc;
        }
        if (kind == EN_FLOAT8) {
            uint64_t u;
            memcpy(&u, &d, 8);
            put64(b, u);
        } else {
            float f = (float)d;
            uint32_t u;
            memcpy(&u, &f, 4);
            put32(b, u);
        }
        return 0;
    }
    case EN_NUMERIC: {
        if (col->type->id == CV_T_F32 || col->type->id == CV_T_F64) return enc_real_numeric(x, e, col, r, b);
        bool dec = col->type->id == CV_T_DECIMAL;
        cv_i128 v = dec ? ((const cv_i128 *)col->data)[r] : cv_col_get_int(col, r);
        unsigned s = dec ? col->type->scale : 0;
        if (e->check) CV_TRY(check_numeric(x, e, v, s));
        put_numeric(b, v, s);
        return 0;
    }
    case EN_STR:
    case EN_BYTEA:
    case EN_JSONB: {
        uint32_t n;
        const char *p = cv_col_str(col, r, &n);
        if (e->check && kind == EN_STR) CV_TRY(check_length(x, e, p, n));
        if (kind != EN_BYTEA) CV_TRY(nul_check(x, p, n));
        if (kind == EN_JSONB) cv_buf_putc(b, 1);
        cv_buf_put(b, p, n);
        return 0;
    }
    case EN_FMT:
    case EN_FMT_JSONB: {
        if (kind == EN_FMT_JSONB) cv_buf_putc(b, 1);
        size_t at = b->len;
        jdbc_value_text(col, r, b);
        if (e->check && !b->oom) CV_TRY(check_length(x, e, b->data + at, (uint32_t)(b->len - at)));
        return 0;
    }
    case EN_UUID: {
        uint32_t n;
        const char *p = cv_col_str(col, r, &n);
        unsigned char u[16];
        if (!parse_uuid(p, n, u)) return enc_error(x, "\"%.*s\" is not a uuid", (int)CV_MIN(n, 40), p);
        cv_buf_put(b, u, 16);
        return 0;
    }
    case EN_DATE: {
        int32_t d;
        /* INT32_MIN and INT32_MAX are -infinity and infinity there */
        if (__builtin_sub_overflow(cv_col_i32(col, r), PG_EPOCH_DAYS, &d) || d == INT32_MIN || d == INT32_MAX)
            return enc_error(x, "%s", "the date is beyond PostgreSQL's range");
        put32(b, (uint32_t)d);
        return 0;
    }
    case EN_TS_DATE: {
        int64_t us = cv_col_i64(col, r), day = 86400000000LL;
        if (us % day != 0)
            return enc_error(x, "the timestamp has a time of day, which date column %s would drop", x->column);
        put32(b, (uint32_t)(int32_t)(us / day - PG_EPOCH_DAYS)); /* |us / day| < 2^28: no overflow */
        return 0;
    }
    case EN_REFUSE: {
        char tn[64];
        return enc_error(x,
                         "a value of type %s cannot be written to column %s: PostgreSQL would convert it by a rule "
                         "of its own (a number as yyyymmdd, a timestamp without its date)",
                         cv_type_str(col->type, tn, sizeof tn), x->column);
    }
    case EN_TIME:
    case EN_TS: {
        int64_t v = cv_col_i64(col, r);
        if (kind == EN_TIME) {
            if (v % 1000) return enc_error(x, "%s", "the time has nanoseconds; PostgreSQL keeps microseconds");
            v /= 1000;
        }
        if (e->check && e->limit < 6 && v % (int64_t)jdbc__pg_p10[6 - e->limit])
            return enc_error(x, "the column keeps %d fractional digit%s of a second: the value would be rounded",
                             e->limit, e->limit == 1 ? "" : "s");
        if (kind == EN_TS && (__builtin_sub_overflow(v, PG_EPOCH_US, &v) || v == INT64_MIN))
            return enc_error(x, "%s", "the timestamp is beyond PostgreSQL's range"); /* INT64_MIN: -infinity */
        put64(b, (uint64_t)v);
        return 0;
    }
    case EN_ARRAY: return enc_array(x, e, col, r, b);
    default: return cv_err_set(x->err, CV_EINTERNAL, "PostgreSQL: encoder %d", kind);
    }
}

/* Statements: a value the server parses from text, in its input syntax.
 * Arrays are array literals ({"a","b"}), composites JSON. */
static void text_value(const cv_col *col, uint32_t r, cv_buf *b)
{
    if (col->type->id != CV_T_ARRAY) {
        jdbc_value_text(col, r, b);
        return;
    }
    const int32_t *o = cv_col_offsets(col);
    const cv_col *child = &col->child[0];
    cv_buf one;
    cv_buf_init(&one);
    cv_buf_putc(b, '{');
    for (int32_t k = o[r]; k < o[r + 1]; k++) {
        if (k > o[r]) cv_buf_putc(b, ',');
        if (cv_col_is_null(child, (uint32_t)k)) {
            cv_buf_puts(b, "NULL");
            continue;
        }
        cv_buf_reset(&one);
        text_value(child, (uint32_t)k, &one);
        cv_buf_putc(b, '"');
        for (size_t i = 0; i < one.len; i++) {
            if (one.data[i] == '"' || one.data[i] == '\\') cv_buf_putc(b, '\\');
            cv_buf_putc(b, one.data[i]);
        }
        cv_buf_putc(b, '"');
    }
    cv_buf_putc(b, '}');
    if (one.oom) b->oom = true;
    cv_buf_free(&one);
}

/* ---- the columns of target tables --------------------------------------------------------------- */

static void rel_free(pg_rel *r)
{
    for (uint32_t k = 0; k < r->n; k++) cv_free(r->names[k]);
    cv_free(r->names);
    cv_free(r->oids);
    cv_free(r->mods);
    cv_free(r->qualified);
}

static void forget_tables(jdbc_conn *c)
{
    for (size_t i = 0; i < c->rels.n; i++) rel_free(&c->rels.v[i]);
    for (size_t i = 0; i < c->plans.n; i++) {
        cv_free(c->plans.v[i].key);
        cv_free(c->plans.v[i].copy_sql);
        cv_free(c->plans.v[i].enc);
    }
    c->rels.n = 0;
    c->plans.n = 0;
}

/* The columns of table `qualified` (quoted, as in SQL); *out NULL when
 * there is no such table. */
static int rel_get(jdbc_conn *c, const char *qualified, const pg_rel **out, cv_err *err)
{
    *out = NULL;
    for (size_t i = 0; i < c->rels.n; i++)
        if (strcmp(c->rels.v[i].qualified, qualified) == 0) {
            *out = &c->rels.v[i];
            return 0;
        }
    const char *vals[1] = {qualified};
    PGresult *res = NULL;
    CV_TRY(jdbc__pg_run_params(c,
                               "SELECT attname, atttypid, atttypmod FROM pg_attribute WHERE attrelid = to_regclass($1) "
                               "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                               1, vals, PGRES_TUPLES_OK, &res, err));
    uint32_t n = (uint32_t)PQntuples(res);
    if (n == 0) {
        /* not cached: another connection may create it */
        PQclear(res);
        return 0;
    }
    pg_rel r = {.qualified = cv_strdup(qualified), .n = n};
    r.names = cv_calloc(n + 1, sizeof *r.names);
    r.oids = cv_calloc(n + 1, sizeof *r.oids);
    r.mods = cv_calloc(n + 1, sizeof *r.mods);
    int rc = r.qualified && r.names && r.oids && r.mods ? 0 : jdbc_nomem(err);
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        if (!(r.names[i] = cv_strdup(PQgetvalue(res, (int)i, 0)))) rc = jdbc_nomem(err);
        r.oids[i] = (Oid)strtoul(PQgetvalue(res, (int)i, 1), NULL, 10);
        r.mods[i] = (int32_t)strtol(PQgetvalue(res, (int)i, 2), NULL, 10);
    }
    PQclear(res);
    if (rc == 0 && cv_vec_push(&c->rels, r) < 0) rc = jdbc_nomem(err);
    if (rc < 0) {
        rel_free(&r);
        return rc;
    }
    *out = &c->rels.v[c->rels.n - 1];
    return 0;
}

static int rel_col(const pg_rel *r, const char *name)
{
    for (uint32_t i = 0; r && i < r->n; i++)
        if (strcmp(r->names[i], name) == 0) return (int)i;
    return -1;
}

/* ---- bulk: COPY … FROM STDIN (FORMAT binary) ------------------------------------------------------ */

static int plan_get(jdbc_conn *c, const jdbc_target *t, pg_bulkplan **out, cv_err *err)
{
    cv_buf key;
    cv_buf_init(&key);
    cv_buf_puts(&key, t->qualified);
    for (uint32_t i = 0; i < t->in->ncols; i++) {
        char tn[96];
        cv_buf_printf(&key, "\x1f%s %s", t->cols[i], cv_type_str(t->in->cols[i].type, tn, sizeof tn));
    }
    if (key.oom) return jdbc_nomem(err);
    for (size_t i = 0; i < c->plans.n; i++)
        if (strcmp(c->plans.v[i].key, key.data) == 0) {
            cv_buf_free(&key);
            *out = &c->plans.v[i];
            return 0;
        }
    const pg_rel *r = NULL;
    int rc = rel_get(c, t->qualified, &r, err);
    if (rc == 0 && !r) {
        /* no such table (yet): statements will say so */
        cv_buf_free(&key);
        *out = NULL;
        return 0;
    }
    pg_bulkplan p = {.key = cv_buf_steal(&key), .n = t->in->ncols};
    p.enc = cv_calloc(p.n + 1, sizeof *p.enc);
    if (rc == 0 && (!p.key || !p.enc)) rc = jdbc_nomem(err);
    /* a column the table lacks, a value COPY cannot carry in binary:
     * statements will do it (and say what is wrong) */
    for (uint32_t i = 0; rc == 0 && !p.declined && i < p.n; i++) {
        int k = rel_col(r, t->cols[i]);
        if (k < 0) {
            p.declined = true;
            break;
        }
        rc = enc_choose(c, t->in->cols[i].type, r->oids[k], r->mods[k], &p.enc[i], err);
        p.declined |= p.enc[i].kind == EN_TEXT;
    }
    if (rc == 0 && !p.declined) {
        cv_buf sql;
        cv_buf_init(&sql);
        cv_buf_printf(&sql, "COPY %s (", t->qualified);
        for (uint32_t i = 0; i < p.n; i++) {
            if (i) cv_buf_puts(&sql, ", ");
            jdbc_quote(&jdbc_postgres, t->cols[i], &sql);
        }
        cv_buf_puts(&sql, ") FROM STDIN (FORMAT binary)");
        p.copy_sql = cv_buf_steal(&sql);
        if (!p.copy_sql) rc = jdbc_nomem(err);
    }
    if (rc == 0 && cv_vec_push(&c->plans, p) < 0) rc = jdbc_nomem(err);
    if (rc < 0) {
        cv_free(p.key);
        cv_free(p.enc);
        cv_free(p.copy_sql);
        return rc;
    }
    *out = &c->plans.v[c->plans.n - 1];
    return 0;
}

static int copy_flush(jdbc_conn *c, cv_buf *b)
{
    if (!b->len) return 0;
    int ok = PQputCopyData(c->pg, b->data, (int)b->len);
    cv_buf_reset(b);
    return ok == 1 ? 0 : -1;
}

/* The row a failed COPY stopped at: its context reads "COPY t, line N". */
static uint64_t copy_line(const PGresult *res)
{
    const char *ctx = res ? PQresultErrorField(res, PG_DIAG_CONTEXT) : NULL;
    const char *at = ctx && strncmp(ctx, "COPY ", 5) == 0 ? strstr(ctx, ", line ") : NULL;
    uint64_t n = 0;
    for (const char *p = at ? at + 7 : ""; *p >= '0' && *p <= '9' && n < UINT64_MAX / 10; p++)
        n = n * 10 + (uint64_t)(*p - '0');
    return n;
}

/* End the COPY (abort it with a reason, or finish it) and take its
 * result; *unique when a unique key refused a row (err holds the
 * server's message, which names the key). */
static int copy_end(jdbc_conn *c, const jdbc_target *t, const char *abort_why, bool *unique, cv_err *err)
{
    char what[300];
    snprintf(what, sizeof what, "COPY into %s", t->display);
    int sent = PQputCopyEnd(c->pg, abort_why);
    PGresult *res = PQgetResult(c->pg);
    int rc = 0;
    *unique = false;
    if (abort_why) {
        rc = -1; /* the caller holds the reason; the server's answer repeats it */
    } else if (PQresultStatus(res) == PGRES_COMMAND_OK && sent == 1) {
        ack(c, res);
    } else {
        *unique = state_is(res, "23505");
        c->bad_row = copy_line(res);
        rc = jdbc__pg_res_fail(c, res, what, true, err);
    }
    PQclear(res);
    while ((res = PQgetResult(c->pg)) != NULL) PQclear(res);
    return rc;
}

/* A COPY left open across calls (bulk_start … bulk_end): the sink streams
 * batches into it as they arrive, so the reading and the writing backend
 * work at once, as in a `COPY TO | COPY FROM` pipe. */
static int pg_bulk_start(jdbc_conn *c, const struct jdbc_target *t, int op, cv_err *err)
{
    if (op != JDBC_BULK_INSERT) return JDBC_BULK_DECLINED; /* COPY has no ON CONFLICT */
    pg_bulkplan *plan = NULL;
    CV_TRY(plan_get(c, t, &plan, err));
    if (!plan || plan->declined) return JDBC_BULK_DECLINED;
    PGresult *res = PQexec(c->pg, plan->copy_sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        char what[300];
        snprintf(what, sizeof what, "COPY into %s", t->display);
        int rc = jdbc__pg_res_fail(c, res, what, false, err);
        PQclear(res);
        forget_tables(c);
        return rc;
    }
    PQclear(res);
    c->bad_row = 0;
    cv_buf *out = &c->out;
    cv_buf_reset(out);
    cv_buf_put(out, COPY_SIGNATURE, sizeof COPY_SIGNATURE);
    put32(out, 0);
    put32(out, 0);
    c->copy_t = t;
    c->copy_plan = plan;
    return 0;
}

/* Abort the open COPY with the reason in err (or a generic one). */
static void copy_abort(jdbc_conn *c, const cv_err *why)
{
    cv_err ignore;
    cv_err_clear(&ignore);
    bool unique;
    copy_end(c, c->copy_t, why && why->msg[0] ? why->msg : "culvert stopped the COPY", &unique, &ignore);
    cv_buf_reset(&c->out);
    c->copy_t = NULL;
    c->copy_plan = NULL;
}

static int pg_bulk_add(jdbc_conn *c, const jdbc_rows *part, cv_err *err)
{
    const jdbc_target *t = c->copy_t;
    const pg_bulkplan *plan = c->copy_plan;
    if (!t) return cv_err_set(err, CV_EINTERNAL, "PostgreSQL: no COPY is open%s", "");
    cv_buf *out = &c->out;
    enc_ctx x = {.table = t->display, .err = err};
    const cv_batch *b = part->b;
    int rc = 0;
    for (uint32_t i = 0; rc == 0 && i < part->n; i++) {
        uint32_t r = part->rows[i];
        x.row = r + 1;
        put16(out, (uint16_t)plan->n);
        for (uint32_t k = 0; rc == 0 && k < plan->n; k++) {
            const cv_col *col = &b->cols[k];
            if (cv_col_is_null(col, r) || plan->enc[k].kind == EN_NULL) {
                put32(out, UINT32_MAX);
                continue;
            }
            size_t at = out->len;
            put32(out, 0);
            x.column = t->cols[k];
            rc = enc_value(&x, plan->enc[k].kind, &plan->enc[k], col, r, out);
            if (rc == 0 && !out->oom) patch32(out, at, (uint32_t)(out->len - at - 4));
        }
        if (rc == 0 && out->oom) rc = jdbc_nomem(err);
        if (rc == 0 && out->len >= COPY_CHUNK && copy_flush(c, out) < 0) rc = lost(c, "COPY", err);
    }
    /* a value that does not fit: abort the COPY, keep that error */
    if (rc < 0) copy_abort(c, err);
    return rc;
}

static int pg_bulk_end(jdbc_conn *c, bool abort, cv_err *err)
{
    if (!c->copy_t) return 0;
    if (abort) {
        copy_abort(c, NULL);
        return 0;
    }
    const jdbc_target *t = c->copy_t;
    cv_buf *out = &c->out;
    put16(out, UINT16_MAX); /* the trailer */
    if (copy_flush(c, out) < 0) {
        int rc = lost(c, "COPY", err);
        copy_abort(c, err);
        return rc;
    }
    bool unique = false;
    int rc = copy_end(c, t, NULL, &unique, err);
    c->copy_t = NULL;
    c->copy_plan = NULL;
    if (rc < 0) forget_tables(c);          /* the table may have changed under the cached plan */
    if (unique) return JDBC_BULK_CONFLICT; /* the caller rolls back to its savepoint */
    return rc;
}

static int pg_bulk(jdbc_conn *c, const struct jdbc_target *t, int op, const jdbc_rows *parts, uint32_t nparts,
                   cv_err *err)
{
    uint64_t total = 0;
    for (uint32_t p = 0; p < nparts; p++) total += parts[p].n;
    if (op != JDBC_BULK_INSERT) return JDBC_BULK_DECLINED;
    if (total == 0) return 0;
    /* one COPY for every part: its start costs a round trip and a plan */
    int rc = pg_bulk_start(c, t, op, err);
    for (uint32_t p = 0; rc == 0 && p < nparts; p++) rc = pg_bulk_add(c, &parts[p], err);
    return rc == 0 ? pg_bulk_end(c, false, err) : rc;
}

static uint64_t pg_bulk_bad_row(const jdbc_conn *c) { return c->bad_row; }

/* ---- statements -------------------------------------------------------------------------------- */

/* `?` → `$1`, `$2`, … outside quotes, identifiers, dollar quotes and
 * comments; `??` is a literal `?` (PgJDBC's escape for the jsonb
 * operators). Returns the number of parameters. */
static int rewrite_params(const char *sql, cv_buf *out)
{
    int n = 0;
    const char *p = sql;
    while (*p) {
        int kind;
        const char *e = jdbc__pg_sql_token(sql, p, &kind);
        if (kind == TOK_CHAR && *p == '?' && p[1] == '?') {
            cv_buf_putc(out, '?');
            e = p + 2;
        } else if (kind == TOK_CHAR && *p == '?') {
            cv_buf_printf(out, "$%d", ++n);
        } else {
            cv_buf_put(out, p, (size_t)(e - p));
        }
        p = e;
    }
    return n;
}

/* ---- which column a parameter goes into ---- */

typedef struct lexer {
    const char *p;
} lexer;

static void lx_space(lexer *l)
{
    for (;;) {
        while (*l->p == ' ' || *l->p == '\n' || *l->p == '\t' || *l->p == '\r') l->p++;
        if (l->p[0] == '-' && l->p[1] == '-') {
            while (*l->p && *l->p != '\n') l->p++;
        } else if (l->p[0] == '/' && l->p[1] == '*') {
            const char *e = strstr(l->p + 2, "*/");
            l->p = e ? e + 2 : l->p + strlen(l->p);
        } else {
            return;
        }
    }
}

static bool lx_word(lexer *l, const char *w)
{
    lx_space(l);
    size_t n = strlen(w);
    if (!cv_strneq_nocase(l->p, w, n)) return false;
    char next = l->p[n];
    if (next == '_' || (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || (next >= '0' && next <= '9'))
        return false;
    l->p += n;
    return true;
}

static bool lx_char(lexer *l, char ch)
{
    lx_space(l);
    if (*l->p != ch) return false;
    l->p++;
    return true;
}

/* An identifier as the server folds it, into out. */
static bool lx_ident(lexer *l, cv_buf *out)
{
    lx_space(l);
    cv_buf_reset(out);
    if (*l->p == '"') {
        for (l->p++; *l->p; l->p++) {
            if (*l->p == '"' && l->p[1] != '"') break;
            if (*l->p == '"') l->p++;
            cv_buf_putc(out, *l->p);
        }
        if (*l->p != '"') return false;
        l->p++;
        return out->len > 0;
    }
    while (*l->p == '_' || (*l->p >= 'a' && *l->p <= 'z') || (*l->p >= 'A' && *l->p <= 'Z') ||
           (*l->p >= '0' && *l->p <= '9') || (unsigned char)*l->p >= 0x80) {
        char ch = *l->p++;
        cv_buf_putc(out, ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch);
    }
    return out->len > 0;
}

/* [schema.]table, quoted, into rel. */
static bool lx_table(lexer *l, cv_buf *rel)
{
    cv_buf id;
    cv_buf_init(&id);
    bool ok = lx_ident(l, &id);
    cv_buf_reset(rel);
    if (ok) jdbc_quote(&jdbc_postgres, id.data, rel);
    if (ok && lx_char(l, '.')) {
        ok = lx_ident(l, &id);
        if (ok) {
            cv_buf_putc(rel, '.');
            jdbc_quote(&jdbc_postgres, id.data, rel);
        }
    }
    cv_buf_free(&id);
    return ok && !rel->oom;
}

static int lx_param(lexer *l)
{
    lx_space(l);
    if (*l->p != '$') return 0;
    char *end;
    long v = strtol(l->p + 1, &end, 10);
    if (end == l->p + 1 || v < 1 || v > 65535) return 0;
    l->p = end;
    return (int)v;
}

/* For the statements the sink generates (INSERT INTO t (c, …) VALUES ($1,
 * …) and UPDATE t SET c = $1, …): the table and the column each
 * parameter goes into, so that values can be checked against the
 * column's typmod, which the server applies by rounding.
 * CONTRACT: prepare could take the jdbc_target instead of parsing SQL. */
static void param_columns(const char *sql, cv_buf *rel, char **cols, int nparams)
{
    lexer l = {sql};
    cv_buf id;
    cv_buf_init(&id);
    CV_VEC(char *) names = {0};
    if (lx_word(&l, "INSERT") && lx_word(&l, "INTO") && lx_table(&l, rel) && lx_char(&l, '(')) {
        do {
            if (!lx_ident(&l, &id)) goto done;
            char *s = cv_strdup(id.data);
            if (!s || cv_vec_push(&names, s) < 0) {
                cv_free(s);
                goto done;
            }
        } while (lx_char(&l, ','));
        if (!lx_char(&l, ')') || !lx_word(&l, "VALUES") || !lx_char(&l, '(')) goto done;
        for (size_t k = 0; k < names.n; k++) {
            if (k && !lx_char(&l, ',')) goto done;
            int pn = lx_param(&l);
            if (pn < 1 || pn > nparams) goto done;
            if (!cols[pn - 1]) {
                cols[pn - 1] = names.v[k];
                names.v[k] = NULL;
            }
        }
    } else if ((l.p = sql, lx_word(&l, "UPDATE")) && lx_table(&l, rel) && lx_word(&l, "SET")) {
        do {
            if (!lx_ident(&l, &id) || !lx_char(&l, '=')) goto done;
            int pn = lx_param(&l);
            if (pn < 1 || pn > nparams) goto done;
            if (!cols[pn - 1]) cols[pn - 1] = cv_strdup(id.data);
        } while (lx_char(&l, ','));
    } else {
        cv_buf_reset(rel);
    }
done:
    for (size_t k = 0; k < names.n; k++) cv_free(names.v[k]);
    cv_vec_free(&names);
    cv_buf_free(&id);
}

static Oid prim_oid(const cv_type *t)
{
    switch (t->id) {
    case CV_T_BOOL: return OID_BOOL;
    case CV_T_I8:
    case CV_T_I16: return OID_INT2;
    case CV_T_I32: return OID_INT4;
    case CV_T_I64: return OID_INT8;
    case CV_T_F32: return OID_FLOAT4;
    case CV_T_F64: return OID_FLOAT8;
    case CV_T_DECIMAL: return OID_NUMERIC;
    case CV_T_BYTES: return OID_BYTEA;
    case CV_T_DATE: return OID_DATE;
    case CV_T_TIME: return OID_TIME;
    case CV_T_TIMESTAMP: return OID_TIMESTAMP;
    case CV_T_TIMESTAMP_TZ: return OID_TIMESTAMPTZ;
    default: return OID_TEXT;
    }
}

static void pg_finalize(jdbc_stmt *s)
{
    if (!s) return;
    if (s->name[0] && PQstatus(s->c->pg) == CONNECTION_OK) {
        /* fails inside an aborted transaction; the name is never reused */
        char sql[64];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
        PQclear(PQexec(s->c->pg, sql));
    }
    cv_buf_free(&s->scratch);
    cv_free(s->cols);
    cv_free(s->enc);
    cv_free(s->vals);
    cv_free(s->lens);
    cv_free(s->fmts);
    cv_free(s->offs);
    cv_free(s);
}

/* Parameter encoders from the types the server inferred, with the target
 * columns' typmods where the statement names them. */
static int stmt_encoders(jdbc_stmt *s, const char *sql, const PGresult *d, cv_err *err)
{
    int n = s->nparams;
    char **cols = cv_calloc((size_t)n + 1, sizeof *cols);
    cv_buf rel;
    cv_buf_init(&rel);
    if (!cols) return jdbc_nomem(err);
    param_columns(sql, &rel, cols, n);
    const pg_rel *r = NULL;
    int rc = rel.len && !rel.oom ? rel_get(s->c, rel.data, &r, err) : 0;
    for (int i = 0; rc == 0 && i < n && (uint32_t)i < s->ncols; i++) {
        Oid oid = PQparamtype(d, i);
        int32_t mod = -1;
        int k = cols[i] ? rel_col(r, cols[i]) : -1;
        if (k >= 0 && r->oids[k] == oid) mod = r->mods[k];
        rc = enc_choose(s->c, s->t->cols[s->cols[i]].type, oid, mod, &s->enc[i], err);
        s->fmts[i] = s->enc[i].kind != EN_TEXT;
    }
    for (int i = 0; i < n; i++) cv_free(cols[i]);
    cv_free(cols);
    cv_buf_free(&rel);
    return rc;
}

static int pg_prepare(jdbc_conn *c, const char *sql, const cv_table *t, const uint32_t *cols, uint32_t ncols,
                      jdbc_stmt **out, cv_err *err)
{
    jdbc_stmt *s = cv_calloc(1, sizeof *s);
    if (!s) return jdbc_nomem(err);
    s->c = c;
    s->t = t;
    s->ncols = ncols;
    cv_buf_init(&s->scratch);
    s->cols = cv_malloc((ncols + 1) * sizeof *s->cols);
    if (!s->cols) {
        pg_finalize(s);
        return jdbc_nomem(err);
    }
    if (ncols) memcpy(s->cols, cols, ncols * sizeof *cols);
    cv_buf q;
    cv_buf_init(&q);
    int nq = rewrite_params(sql, &q);
    if (q.oom) {
        cv_buf_free(&q);
        pg_finalize(s);
        return jdbc_nomem(err);
    }
    snprintf(s->name, sizeof s->name, "cv_%llu", (unsigned long long)++c->next_stmt);
    PGresult *res = PQprepare(c->pg, s->name, q.data, 0, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && state_is(res, "42P18") && (uint32_t)nq == ncols) {
        /* a parameter the server cannot type from its place (SELECT ?):
         * give it the culvert column's type */
        Oid *types = cv_calloc(ncols + 1, sizeof *types);
        for (uint32_t i = 0; types && i < ncols; i++) types[i] = prim_oid(t->cols[cols[i]].type);
        if (types) {
            PQclear(res);
            res = PQprepare(c->pg, s->name, q.data, (int)ncols, types);
        }
        cv_free(types);
    }
    int rc = 0;
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        char what[240];
        rc = jdbc__pg_res_fail(c, res, sql_what(sql, what, sizeof what), false, err);
        s->name[0] = '\0';
    }
    PQclear(res);
    PGresult *d = rc == 0 ? PQdescribePrepared(c->pg, s->name) : NULL;
    if (rc == 0 && PQresultStatus(d) != PGRES_COMMAND_OK)
        rc = jdbc__pg_res_fail(c, d, "describing a statement", false, err);
    if (rc == 0) {
        s->nparams = PQnparams(d);
        size_t n = (size_t)s->nparams + 1;
        s->enc = cv_calloc(n, sizeof *s->enc);
        s->vals = cv_calloc(n, sizeof *s->vals);
        s->lens = cv_calloc(n, sizeof *s->lens);
        s->fmts = cv_calloc(n, sizeof *s->fmts);
        s->offs = cv_calloc(n, sizeof *s->offs);
        if (!s->enc || !s->vals || !s->lens || !s->fmts || !s->offs) rc = jdbc_nomem(err);
    }
    if (rc == 0) rc = stmt_encoders(s, q.data, d, err);
    PQclear(d);
    cv_buf_free(&q);
    if (rc < 0) {
        pg_finalize(s);
        return rc;
    }
    *out = s;
    return 0;
}

static int pg_param_count(const jdbc_stmt *s) { return s->nparams; }

/* Row r's parameters into s->vals / lens / fmts. */
static int bind_row(jdbc_stmt *s, const cv_batch *b, uint32_t r, cv_err *err)
{
    if ((uint32_t)s->nparams != s->ncols)
        return cv_err_set(err, CV_ECONFIG, "PostgreSQL: the statement has %d parameters for %u columns", s->nparams,
                          s->ncols);
    cv_buf *sb = &s->scratch;
    cv_buf_reset(sb);
    enc_ctx x = {.table = s->t->full_name, .row = r + 1, .err = err};
    for (int i = 0; i < s->nparams; i++) {
        const cv_col *col = &b->cols[s->cols[i]];
        const enc_col *e = &s->enc[i];
        s->offs[i] = SIZE_MAX;
        if (cv_col_is_null(col, r) || e->kind == EN_NULL) continue;
        s->offs[i] = sb->len;
        x.column = s->t->cols[s->cols[i]].name;
        if (e->kind == EN_TEXT) {
            text_value(col, r, sb);
            /* a text parameter ends at its first NUL: the server would read less */
            s->lens[i] = (int)(sb->len - s->offs[i]);
            if (!sb->oom) CV_TRY(nul_check(&x, sb->data + s->offs[i], (size_t)s->lens[i]));
            cv_buf_putc(sb, '\0'); /* text parameters end in NUL */
        } else {
            CV_TRY(enc_value(&x, e->kind, e, col, r, sb));
            s->lens[i] = (int)(sb->len - s->offs[i]);
        }
    }
    if (sb->oom) return jdbc_nomem(err);
    for (int i = 0; i < s->nparams; i++) s->vals[i] = s->offs[i] == SIZE_MAX ? NULL : sb->data + s->offs[i];
    return 0;
}

static int row_fail(jdbc_stmt *s, const cv_batch *b, uint32_t r, const PGresult *res, cv_err *err)
{
    char what[300];
    snprintf(what, sizeof what, "writing row %u of a batch of %s (%s)", r + 1, s->t->full_name,
             cv_row_kind_short((cv_row_kind)b->kinds[r]));
    return jdbc__pg_res_fail(s->c, res, what, false, err);
}

static int exec_one(jdbc_stmt *s, const cv_batch *b, uint32_t r, PGresult **out, cv_err *err)
{
    CV_TRY(bind_row(s, b, r, err));
    PGresult *res = PQexecPrepared(s->c->pg, s->name, s->nparams, s->vals, s->lens, s->fmts, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        int rc = row_fail(s, b, r, res, err);
        PQclear(res);
        return rc;
    }
    if (out) {
        *out = res; /* a lookup (exists_row): no write to acknowledge */
    } else {
        ack(s->c, res);
        PQclear(res);
    }
    return 0;
}

#ifdef LIBPQ_HAS_PIPELINING
/* Rows rows[0..n) in one pipeline: all sent, one sync, then the results.
 * After a failed row the server skips the rest (PIPELINE_ABORTED). */
static int pipeline_chunk(jdbc_stmt *s, const cv_batch *b, const uint32_t *rows, uint32_t n, cv_err *err)
{
    PGconn *pg = s->c->pg;
    uint32_t sent = 0;
    int rc = 0;
    for (; sent < n; sent++) {
        if ((rc = bind_row(s, b, rows[sent], err)) < 0) break;
        if (!PQsendQueryPrepared(pg, s->name, s->nparams, s->vals, s->lens, s->fmts, 0)) {
            rc = lost(s->c, "sending a statement", err);
            break;
        }
    }
    if (sent && !PQpipelineSync(pg) && rc == 0) rc = lost(s->c, "sending a statement", err);
    for (uint32_t i = 0; sent && i < sent; i++) {
        PGresult *res = NULL;
        while ((res = PQgetResult(pg)) != NULL) {
            ExecStatusType st = PQresultStatus(res);
            if (st == PGRES_FATAL_ERROR && rc == 0) rc = row_fail(s, b, rows[i], res, err);
            if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ack(s->c, res);
            PQclear(res);
        }
    }
    if (sent) {
        PGresult *res = PQgetResult(pg);
        bool synced = PQresultStatus(res) == PGRES_PIPELINE_SYNC;
        PQclear(res);
        if (!synced && rc == 0) rc = lost(s->c, "reading the results of a batch", err);
    }
    return rc;
}
#endif

static int pg_exec_rows(jdbc_stmt *s, const cv_batch *b, const uint32_t *rows, uint32_t n, cv_err *err)
{
#ifdef LIBPQ_HAS_PIPELINING
    if (n > 1) {
        if (!PQenterPipelineMode(s->c->pg)) return lost(s->c, "starting a pipeline", err);
        int rc = 0;
        for (uint32_t at = 0; rc == 0 && at < n; at += PIPELINE_ROWS)
            rc = pipeline_chunk(s, b, rows + at, CV_MIN(n - at, (uint32_t)PIPELINE_ROWS), err);
        if (!PQexitPipelineMode(s->c->pg) && rc == 0) rc = lost(s->c, "ending a pipeline", err);
        return rc;
    }
#endif
    for (uint32_t i = 0; i < n; i++) CV_TRY(exec_one(s, b, rows[i], NULL, err));
    return 0;
}

static int pg_exists_row(jdbc_stmt *s, const cv_batch *b, uint32_t row, bool *found, cv_err *err)
{
    PGresult *res = NULL;
    CV_TRY(exec_one(s, b, row, &res, err));
    *found = PQntuples(res) > 0;
    PQclear(res);
    return 0;
}

/* ---- two-phase commit -------------------------------------------------------------------------- */

static int gid_check(const char *gid, cv_err *err)
{
    size_t n = strlen(gid);
    bool ok = n > 0 && n <= 64;
    for (const char *p = gid; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-';
    return ok ? 0 : cv_err_set(err, CV_EINVAL, "PostgreSQL: \"%s\" is not a transaction id culvert makes", gid);
}

static int pg_xa_begin(jdbc_conn *c, const char *gid, cv_err *err)
{
    CV_TRY(gid_check(gid, err));
    return pg_exec(c, "BEGIN", err);
}

/* PREPARE TRANSACTION of a failed transaction, or of none, answers
 * ROLLBACK without an error: that is no prepared transaction. */
static int pg_xa_prepare(jdbc_conn *c, const char *gid, cv_err *err)
{
    CV_TRY(gid_check(gid, err));
    char sql[128];
    snprintf(sql, sizeof sql, "PREPARE TRANSACTION '%s'", gid);
    PGresult *res = NULL;
    CV_TRY(run(c, sql, PGRES_COMMAND_OK, &res, err));
    bool ok = strcmp(PQcmdStatus(res), "PREPARE TRANSACTION") == 0;
    PQclear(res);
    return ok ? 0
              : cv_err_set(err, CV_EIO,
                           "PostgreSQL: %s: the transaction had failed or was not open; nothing is prepared", sql);
}

/* COMMIT / ROLLBACK PREPARED; a gid that is not pending any more (42704)
 * was finished before: success. */
static int xa_finish(jdbc_conn *c, const char *verb, const char *gid, cv_err *err)
{
    CV_TRY(gid_check(gid, err));
    char sql[128];
    snprintf(sql, sizeof sql, "%s PREPARED '%s'", verb, gid);
    PGresult *res = PQexec(c->pg, sql);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_COMMAND_OK && !state_is(res, "42704"))
        rc = jdbc__pg_res_fail(c, res, sql, false, err);
    PQclear(res);
    return rc;
}

static int pg_xa_commit(jdbc_conn *c, const char *gid, cv_err *err) { return xa_finish(c, "COMMIT", gid, err); }
static int pg_xa_rollback(jdbc_conn *c, const char *gid, cv_err *err) { return xa_finish(c, "ROLLBACK", gid, err); }

static int pg_xa_pending(jdbc_conn *c, const char *prefix, cv_arena *a, const char ***gids, uint32_t *n, cv_err *err)
{
    /* a prefix compare, not LIKE: '_' in culvert's ids is a LIKE wildcard */
    const char *vals[1] = {prefix};
    PGresult *res = NULL;
    CV_TRY(jdbc__pg_run_params(c,
                               "SELECT gid FROM pg_prepared_xacts WHERE left(gid, length($1)) = $1 "
                               "AND database = current_database() ORDER BY prepared",
                               1, vals, PGRES_TUPLES_OK, &res, err));
    int k = PQntuples(res), rc = 0;
    *n = 0;
    *gids = cv_arena_alloc(a, ((size_t)k + 1) * sizeof **gids);
    if (!*gids) rc = jdbc_nomem(err);
    for (int i = 0; rc == 0 && i < k; i++)
        if (!((*gids)[(*n)++] = cv_arena_strdup(a, PQgetvalue(res, i, 0)))) rc = jdbc_nomem(err);
    PQclear(res);
    return rc;
}

/* Run liveness: a session-level advisory lock keyed by the name's hash,
 * held until the connection closes. */
static int pg_run_lock(jdbc_conn *c, const char *name, cv_err *err)
{
    const char *vals[1] = {name};
    PGresult *res = NULL;
    CV_TRY(jdbc__pg_run_params(c, "SELECT pg_try_advisory_lock(hashtextextended($1, 0))", 1, vals, PGRES_TUPLES_OK,
                               &res, err));
    bool got = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return got ? 0 : cv_err_set(err, CV_EIO, "PostgreSQL: the lock %s is held by another session", name);
}

static int pg_run_alive(jdbc_conn *c, const char *name, bool *alive, cv_err *err)
{
    const char *vals[1] = {name};
    PGresult *res = NULL;
    /* free when this session can take it; then give it back at once */
    CV_TRY(jdbc__pg_run_params(c,
                               "SELECT CASE WHEN pg_try_advisory_lock(hashtextextended($1, 0)) "
                               "THEN NOT pg_advisory_unlock(hashtextextended($1, 0)) ELSE true END",
                               1, vals, PGRES_TUPLES_OK, &res, err));
    *alive = PQntuples(res) != 1 || PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return 0;
}

const jdbc_dialect jdbc_postgres = {
    .name = "PostgreSQL",
    .begin_sql = "BEGIN",
    .quote = "\"",
    .one_writer = false,
    .schema_qualifies = true,
    .has_truncate = true,
    .index_in_schema = false,
    .create_schema = "CREATE SCHEMA IF NOT EXISTS ",
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .share_key = pg_share_key,
    .describe_target = pg_describe_target,
    .ephemeral = pg_ephemeral,
    .ddl_type = pg_ddl_type,
    .upsert_clause = pg_upsert_clause,
    .commit = pg_commit,
    .exec = pg_exec,
    .query_i64 = pg_query_i64,
    .table_keys = pg_table_keys,
    .prepare = pg_prepare,
    .param_count = pg_param_count,
    .exec_rows = pg_exec_rows,
    .take_acked = pg_take_acked,
    .exists_row = pg_exists_row,
    .finalize = pg_finalize,
    .describe = jdbc__pg_describe,
    .cursor_open = jdbc__pg_cursor_open,
    .cursor_fetch = jdbc__pg_cursor_fetch,
    .cursor_close = jdbc__pg_cursor_close,
    .bulk = pg_bulk,
    .bulk_start = pg_bulk_start,
    .bulk_add = pg_bulk_add,
    .bulk_end = pg_bulk_end,
    .bulk_bad_row = pg_bulk_bad_row,
    .xa_begin = pg_xa_begin,
    .xa_prepare = pg_xa_prepare,
    .xa_commit = pg_xa_commit,
    .xa_rollback = pg_xa_rollback,
    .xa_pending = pg_xa_pending,
    .run_lock = pg_run_lock,
    .run_alive = pg_run_alive,
};

#endif /* CV_HAVE_LIBPQ */
