/* mysql.c — the MySQL dialect over libmariadb: jdbc:mysql:, jdbc:mariadb:
 * and jdbc:oceanbase: urls (docs/jdbc/mysql.md is the user's view).
 *
 * Connections. The url's first host and port (TCP, as JDBC drivers do, even
 * for "localhost"), its database (optional: tables may be written db.table)
 * and its parameters: those that mean something to libmariadb act (TLS,
 * timeouts, compression, sessionVariables, zeroDateTimeBehavior,
 * tinyInt1isBit), JDBC-only ones are ignored with one warning, and
 * `properties { }` entries that are not parameters become session
 * variables. Every session runs in UTC (time_zone '+00:00'), utf8mb4, with
 * STRICT_ALL_TABLES and NO_AUTO_VALUE_ON_ZERO added to the server's
 * sql_mode, and with large net_*_timeouts so that a reader paused by a slow
 * sink is not disconnected by the server.
 *
 * Reading. A query is described by preparing it (nothing runs) and mapping
 * each MYSQL_FIELD as SeaTunnel's MySqlTypeConverter does where that is
 * exact (the tables are in the docs). Rows stream with mysql_use_result in
 * the text protocol and every value is parsed strictly, by the column's
 * MySQL type, straight into the batch. The text protocol prints FLOAT
 * columns with 6 significant digits, which loses bits, so a result with a
 * FLOAT column is read in the binary protocol instead (unbuffered
 * mysql_stmt_fetch; numbers arrive binary, the rest as the same text).
 * Closing a cursor early kills its query from a second connection, so that
 * draining the rest of a huge result takes no time.
 *
 * Writing. Statements with ? parameters are checked by the server when
 * prepared, then run with the values substituted client-side as escaped
 * literals (what Connector/J does with rewriteBatchedStatements, which
 * SeaTunnel sets): an INSERT … VALUES (?, …) becomes one multi-row INSERT
 * per max_allowed_packet, anything else a multi-statement batch, so no
 * batch costs a round trip per row. Bulk inserts stream the rows from
 * memory with LOAD DATA LOCAL INFILE (the default: see the measurements in
 * the docs) or use the multi-row INSERT (url parameter culvert.bulk);
 * upserts use INSERT … ON DUPLICATE KEY UPDATE. MySQL would silently round
 * some values a target column cannot hold exactly (fractional seconds,
 * decimal digits, a fraction into an integer column) and LOAD DATA LOCAL
 * turns every data error into a warning, so writers look the target's
 * columns up once and refuse such values, and any warning a write leaves
 * becomes the error.
 *
 * Two-phase commit uses XA (MariaDB keeps XA PREPAREd transactions across
 * disconnects since 10.5).
 *
 * Files: this one holds connections, types, writing and XA; mysql_read.c
 * the reading side (describe, cursors, value parsing); mysql_int.h what
 * they share. */
#ifdef CV_HAVE_MARIADB

#include "mysql_int.h"

#include <errmsg.h>
#include <mysqld_error.h>

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int my_exec(jdbc_conn *c, const char *sql, cv_err *err);

/* ---- errors ------------------------------------------------------------------------ */

static bool is_lost(unsigned e)
{
    return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST || e == CR_SERVER_LOST_EXTENDED ||
           e == ER_CONNECTION_KILLED || e == 4031 /* MySQL 8: disconnected for inactivity */;
}

static int fail_with(jdbc_conn *c, unsigned e, const char *state, const char *msg, const char *what, cv_err *err)
{
    if (is_lost(e)) {
        if (c) c->broken = true;
        return cv_err_set(err, CV_EIO, "MySQL: %s: the connection to the server was lost: %s (errno %u)", what, msg, e);
    }
    int code = e == ER_LOCK_DEADLOCK || e == ER_LOCK_WAIT_TIMEOUT ? CV_ERETRY
               : e == CR_OUT_OF_MEMORY                            ? CV_ENOMEM
                                                                  : CV_EIO;
    return cv_err_set(err, code, "MySQL: %s: %s (errno %u, SQLSTATE %s)", what, msg, e, state);
}

int jdbc__my_fail(jdbc_conn *c, const char *what, cv_err *err)
{
    return fail_with(c, mysql_errno(c->m), mysql_sqlstate(c->m), mysql_error(c->m), what, err);
}

int jdbc__my_stmt_fail(jdbc_conn *c, MYSQL_STMT *st, const char *what, cv_err *err)
{
    return fail_with(c, mysql_stmt_errno(st), mysql_stmt_sqlstate(st), mysql_stmt_error(st), what, err);
}

/* The start of a statement, for messages: multi-row statements are long. */
const char *jdbc__my_sql_what(const char *sql, char *buf, size_t cap)
{
    size_t n = strlen(sql);
    if (n < cap) return sql;
    snprintf(buf, cap, "%.*s…", (int)(cap - 8), sql);
    return buf;
}

/* ---- parameters ------------------------------------------------------------------- */

typedef enum {
    P_USER,
    P_PASSWORD,
    P_USESSL,
    P_REQUIRESSL,
    P_VERIFYCERT,
    P_TRUSTCERT,
    P_SSLMODE,
    P_SSLCA,
    P_TLSVERSION,
    P_CONNECT_TIMEOUT,
    P_SOCKET_TIMEOUT,
    P_ENCODING,
    P_ZERODATE,
    P_TINY1,
    P_COMPRESS,
    P_SESSIONVARS,
    P_SOCKET,
    P_BULK,
    P_SAME, /* what culvert does anyway */
    P_JDBC, /* a JDBC driver setting without meaning here: warned about once */
} pkind;

static const struct {
    const char *name;
    pkind kind;
    const char *why; /* P_JDBC: what culvert does instead */
} known[] = {
    {"user", P_USER, NULL},
    {"password", P_PASSWORD, NULL},
    {"useSSL", P_USESSL, NULL},
    {"requireSSL", P_REQUIRESSL, NULL},
    {"verifyServerCertificate", P_VERIFYCERT, NULL},
    {"trustServerCertificate", P_TRUSTCERT, NULL},
    {"sslMode", P_SSLMODE, NULL},
    {"serverSslCert", P_SSLCA, NULL},
    {"sslCa", P_SSLCA, NULL},
    {"enabledTLSProtocols", P_TLSVERSION, NULL},
    {"connectTimeout", P_CONNECT_TIMEOUT, NULL},
    {"socketTimeout", P_SOCKET_TIMEOUT, NULL},
    {"characterEncoding", P_ENCODING, NULL},
    {"zeroDateTimeBehavior", P_ZERODATE, NULL},
    {"tinyInt1isBit", P_TINY1, NULL},
    {"useCompression", P_COMPRESS, NULL},
    {"sessionVariables", P_SESSIONVARS, NULL},
    {"localSocket", P_SOCKET, NULL},
    {"culvert.bulk", P_BULK, NULL},
    {"useUnicode", P_SAME, NULL},
    {"rewriteBatchedStatements", P_SAME, NULL},
    {"allowLoadLocalInfile", P_SAME, NULL},
    {"allowLocalInfile", P_SAME, NULL},
    {"allowPublicKeyRetrieval", P_SAME, NULL},
    {"allowMultiQueries", P_SAME, NULL},
    {"serverTimezone", P_JDBC, "culvert's sessions use time_zone '+00:00'"},
    {"connectionTimeZone", P_JDBC, "culvert's sessions use time_zone '+00:00'"},
    {"forceConnectionTimeZoneToSession", P_JDBC, "culvert's sessions use time_zone '+00:00'"},
    {"useLegacyDatetimeCode", P_JDBC, "culvert's sessions use time_zone '+00:00'"},
    {"autoReconnect", P_JDBC, "a lost connection fails the batch, and the engine retries it"},
    {"failOverReadOnly", P_JDBC, "only the url's first host is used"},
    {"maxReconnects", P_JDBC, "a lost connection fails the batch, and the engine retries it"},
    {"useServerPrepStmts", P_JDBC, "statements are checked by the server and batched client-side"},
    {"cachePrepStmts", P_JDBC, NULL},
    {"prepStmtCacheSize", P_JDBC, NULL},
    {"prepStmtCacheSqlLimit", P_JDBC, NULL},
    {"useCursorFetch", P_JDBC, "reads always stream"},
    {"defaultFetchSize", P_JDBC, "reads always stream"},
    {"useLocalSessionState", P_JDBC, NULL},
    {"useLocalTransactionState", P_JDBC, NULL},
    {"elideSetAutoCommits", P_JDBC, NULL},
    {"maintainTimeStats", P_JDBC, NULL},
    {"cacheResultSetMetadata", P_JDBC, NULL},
    {"cacheServerConfiguration", P_JDBC, NULL},
    {"useInformationSchema", P_JDBC, NULL},
    {"nullCatalogMeansCurrent", P_JDBC, NULL},
    {"nullDatabaseMeansCurrent", P_JDBC, NULL},
    {"transformedBitIsBoolean", P_JDBC, NULL},
    {"yearIsDateType", P_JDBC, "YEAR is read as int, as SeaTunnel does"},
    {"useOldAliasMetadataBehavior", P_JDBC, NULL},
    {"trustCertificateKeyStoreUrl", P_JDBC, "give a PEM CA file with serverSslCert"},
    {"trustCertificateKeyStorePassword", P_JDBC, NULL},
    {"clientCertificateKeyStoreUrl", P_JDBC, NULL},
    {"clientCertificateKeyStorePassword", P_JDBC, NULL},
    {"serverRsaPublicKeyFile", P_JDBC, NULL},
};

static int param_warned[CV_ARRAY_LEN(known)];
static pthread_mutex_t warn_mu = PTHREAD_MUTEX_INITIALIZER;
static char *warned_unknown[32];

/* One warning per process for each parameter culvert ignores: every
 * reader and writer connects with the same url. */
static void warn_ignored(size_t k, const char *key)
{
    if (k < CV_ARRAY_LEN(known)) {
        if (__atomic_exchange_n(&param_warned[k], 1, __ATOMIC_RELAXED)) return;
        cv_warn("Jdbc: url parameter %s is a JDBC driver setting that does not apply to culvert's MySQL client%s%s; "
                "ignored",
                known[k].name, known[k].why ? ": " : "", known[k].why ? known[k].why : "");
        return;
    }
    pthread_mutex_lock(&warn_mu);
    size_t i = 0;
    while (i < CV_ARRAY_LEN(warned_unknown) && warned_unknown[i] && !cv_streq_nocase(warned_unknown[i], key)) i++;
    bool first = i < CV_ARRAY_LEN(warned_unknown) && !warned_unknown[i];
    if (first) warned_unknown[i] = cv_strdup(key);
    pthread_mutex_unlock(&warn_mu);
    if (first || i == CV_ARRAY_LEN(warned_unknown))
        cv_warn("Jdbc: url parameter %s is not one culvert's MySQL client knows; ignored", key);
}

__attribute__((destructor)) static void free_warned(void)
{
    for (size_t i = 0; i < CV_ARRAY_LEN(warned_unknown); i++) cv_free(warned_unknown[i]);
}

static int set_str(char **dst, const char *v, cv_err *err)
{
    char *s = cv_strdup(v);
    if (!s) return jdbc_nomem(err);
    cv_free(*dst);
    *dst = s;
    return 0;
}

static int parse_bool(const char *key, const char *v, bool *out, cv_err *err)
{
    if (cv_streq_nocase(v, "true") || strcmp(v, "1") == 0 || cv_streq_nocase(v, "yes")) {
        *out = true;
        return 0;
    }
    if (cv_streq_nocase(v, "false") || strcmp(v, "0") == 0 || cv_streq_nocase(v, "no")) {
        *out = false;
        return 0;
    }
    return cv_err_set(err, CV_ECONFIG, "MySQL parameter %s must be true or false, not \"%s\"", key, v);
}

/* Milliseconds (JDBC's unit) → whole seconds (libmariadb's), rounded up. */
static int parse_ms(const char *key, const char *v, unsigned *out, cv_err *err)
{
    int64_t ms;
    if (!cv_parse_i64(v, strlen(v), &ms) || ms < 0 || ms > INT32_MAX)
        return cv_err_set(err, CV_ECONFIG, "MySQL parameter %s must be milliseconds, not \"%s\"", key, v);
    *out = (unsigned)((ms + 999) / 1000);
    return 0;
}

static bool plain_name(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static bool plain_number(const char *s)
{
    if (*s == '-') s++;
    if (!(*s >= '0' && *s <= '9')) return false;
    while (*s >= '0' && *s <= '9') s++;
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9')) return false;
        while (*s >= '0' && *s <= '9') s++;
    }
    return *s == '\0';
}

/* A session variable for SET SESSION: numbers and ON/OFF as they are,
 * anything else as a string literal. */
static int add_session_var(my_params *p, const char *name, const char *val, cv_err *err)
{
    if (!plain_name(name)) return cv_err_set(err, CV_ECONFIG, "\"%s\" is not a MySQL session variable name", name);
    cv_buf_printf(&p->session, "%s`%s` = ", p->session.len ? ", " : "", name);
    if (plain_number(val) || cv_streq_nocase(val, "ON") || cv_streq_nocase(val, "OFF") ||
        cv_streq_nocase(val, "DEFAULT")) {
        cv_buf_puts(&p->session, val);
    } else {
        cv_buf_putc(&p->session, '\'');
        for (const char *s = val; *s; s++) {
            if (*s == '\'' || *s == '\\') cv_buf_putc(&p->session, *s == '\'' ? '\'' : '\\');
            cv_buf_putc(&p->session, *s);
        }
        cv_buf_putc(&p->session, '\'');
    }
    return p->session.oom ? jdbc_nomem(err) : 0;
}

/* sessionVariables=a=1,b='x' (Connector/J's form). */
static int session_vars(my_params *p, const char *list, cv_err *err)
{
    char name[128], val[512];
    const char *s = list;
    while (*s) {
        size_t n = strcspn(s, ",");
        const char *eq = memchr(s, '=', n);
        if (!eq) return cv_err_set(err, CV_ECONFIG, "sessionVariables: \"%.*s\" is not name=value", (int)n, s);
        snprintf(name, sizeof name, "%.*s", (int)(eq - s), s);
        snprintf(val, sizeof val, "%.*s", (int)(n - (size_t)(eq - s) - 1), eq + 1);
        size_t vl = strlen(val);
        if (vl >= 2 && (val[0] == '\'' || val[0] == '"') && val[vl - 1] == val[0]) {
            memmove(val, val + 1, vl - 2);
            val[vl - 2] = '\0';
        }
        CV_TRY(add_session_var(p, name, val, err));
        s += n;
        if (*s == ',') s++;
    }
    return 0;
}

/* Apply one url parameter or property; *known_out false when it is none
 * culvert knows. */
static int apply_param(my_params *p, const char *key, const char *v, bool *known_out, cv_err *err)
{
    size_t k = 0;
    while (k < CV_ARRAY_LEN(known) && !cv_streq_nocase(known[k].name, key)) k++;
    *known_out = k < CV_ARRAY_LEN(known);
    if (!*known_out) return 0;
    bool b;
    switch (known[k].kind) {
    case P_USER: return set_str(&p->user, v, err);
    case P_PASSWORD: return set_str(&p->password, v, err);
    case P_USESSL:
    case P_REQUIRESSL:
        CV_TRY(parse_bool(key, v, &b, err));
        if (known[k].kind == P_USESSL || b) p->use_ssl = b;
        return 0;
    case P_VERIFYCERT:
    case P_TRUSTCERT:
        CV_TRY(parse_bool(key, v, &b, err));
        p->verify_cert = known[k].kind == P_VERIFYCERT ? b : !b;
        return 0;
    case P_SSLMODE:
        p->tls_mode_given = true;
        if (cv_streq_nocase(v, "DISABLED") || cv_streq_nocase(v, "disable"))
            p->tls = TLS_OFF;
        else if (cv_streq_nocase(v, "PREFERRED"))
            p->tls = TLS_PREFERRED;
        else if (cv_streq_nocase(v, "REQUIRED") || cv_streq_nocase(v, "trust"))
            p->tls = TLS_REQUIRED;
        else if (cv_streq_nocase(v, "VERIFY_CA") || cv_streq_nocase(v, "VERIFY_IDENTITY") ||
                 cv_streq_nocase(v, "verify-ca") || cv_streq_nocase(v, "verify-full"))
            p->tls = TLS_VERIFY;
        else
            return cv_err_set(err, CV_ECONFIG,
                              "MySQL parameter sslMode: \"%s\" is not DISABLED, PREFERRED, REQUIRED, VERIFY_CA or "
                              "VERIFY_IDENTITY",
                              v);
        return 0;
    case P_SSLCA: return set_str(&p->tls_ca, v, err);
    case P_TLSVERSION: return set_str(&p->tls_version, v, err);
    case P_CONNECT_TIMEOUT: return parse_ms(key, v, &p->connect_timeout, err);
    case P_SOCKET_TIMEOUT: return parse_ms(key, v, &p->rw_timeout, err);
    case P_ENCODING:
        if (!cv_streq_nocase(v, "utf8") && !cv_streq_nocase(v, "utf-8") && !cv_streq_nocase(v, "utf8mb4"))
            cv_warn("Jdbc: characterEncoding=%s is ignored: culvert's MySQL sessions always use utf8mb4", v);
        return 0;
    case P_ZERODATE:
        if (cv_streq_nocase(v, "EXCEPTION"))
            p->zero_dates = ZD_ERROR;
        else if (cv_streq_nocase(v, "CONVERT_TO_NULL") || cv_streq_nocase(v, "convertToNull"))
            p->zero_dates = ZD_NULL;
        else if (cv_streq_nocase(v, "ROUND"))
            p->zero_dates = ZD_ROUND;
        else
            return cv_err_set(err, CV_ECONFIG,
                              "MySQL parameter zeroDateTimeBehavior: \"%s\" is not EXCEPTION, CONVERT_TO_NULL or ROUND",
                              v);
        return 0;
    case P_TINY1: return parse_bool(key, v, &p->tiny1_bool, err);
    case P_COMPRESS: return parse_bool(key, v, &p->compress, err);
    case P_SESSIONVARS: return session_vars(p, v, err);
    case P_SOCKET: return set_str(&p->socket, v, err);
    case P_BULK:
        if (cv_streq_nocase(v, "load_data"))
            p->bulk = BULK_LOAD_DATA;
        else if (cv_streq_nocase(v, "insert"))
            p->bulk = BULK_INSERT;
        else
            return cv_err_set(err, CV_ECONFIG, "MySQL parameter culvert.bulk: \"%s\" is not load_data or insert", v);
        return 0;
    case P_SAME: cv_debug("Jdbc: MySQL parameter %s=%s: culvert does that anyway", known[k].name, v); return 0;
    case P_JDBC: warn_ignored(k, key); return 0;
    }
    return 0;
}

static void params_free(my_params *p)
{
    cv_free(p->host);
    cv_free(p->socket);
    cv_free(p->user);
    cv_free(p->password);
    cv_free(p->database);
    cv_free(p->tls_ca);
    cv_free(p->tls_version);
    cv_buf_free(&p->session);
    memset(p, 0, sizeof *p);
}

/* The url, then `properties` (parameters, else session variables), then
 * the user and password options: later ones win. */
static int params_init(my_params *p, const jdbc_connect_opts *o, cv_err *err)
{
    const jdbc_url *u = o->url;
    memset(p, 0, sizeof *p);
    cv_buf_init(&p->session);
    p->use_ssl = p->verify_cert = -1;
    p->tiny1_bool = true;
    p->bulk = BULK_LOAD_DATA;
    size_t hn = u->host ? strcspn(u->host, ",") : 0;
    p->host = hn ? cv_strndup(u->host, hn) : cv_strdup("localhost");
    p->port = 3306;
    if (u->port && u->port[0] && u->port[0] != ',') {
        int64_t port;
        if (!cv_parse_i64(u->port, strcspn(u->port, ","), &port) || port < 1 || port > 65535)
            return cv_err_set(err, CV_ECONFIG, "jdbc:%s url: port %.*s is out of range", u->scheme,
                              (int)strcspn(u->port, ","), u->port);
        p->port = (unsigned)port;
    }
    if (u->host && u->host[hn] == ',')
        cv_debug("Jdbc: the url names several hosts; culvert connects to the first, %s (no failover)", p->host);
    if (u->database && !(p->database = cv_strdup(u->database))) return jdbc_nomem(err);
    if (!p->host) return jdbc_nomem(err);
    if (o->timeout_ms > 0) p->connect_timeout = (unsigned)CV_MIN((o->timeout_ms + 999) / 1000, INT32_MAX);
    for (uint32_t i = 0; i < u->nparams; i++) {
        bool k;
        CV_TRY(apply_param(p, u->params[i].key, u->params[i].value, &k, err));
        if (!k) warn_ignored(SIZE_MAX, u->params[i].key);
    }
    for (uint32_t i = 0; o->properties && i < o->properties->u.obj.n; i++) {
        const cv_member *m = &o->properties->u.obj.m[i];
        const char *v = cv_node_str(m->val);
        if (!v) {
            cv_pos pos = cv_member_pos(o->properties, m);
            return cv_err_at(err, CV_ECONFIG, &pos, "property %s must be a plain value", m->key);
        }
        bool k;
        int rc = apply_param(p, m->key, v, &k, err);
        if (rc == 0 && !k) rc = add_session_var(p, m->key, v, err);
        if (rc < 0) {
            cv_pos pos = cv_node_pos(m->val);
            cv_err_locate(err, &pos);
            return rc;
        }
    }
    if (o->user) CV_TRY(set_str(&p->user, o->user, err));
    if (o->password) CV_TRY(set_str(&p->password, o->password, err));
    if (!p->tls_mode_given) /* Connector/J 8: useSSL=false disables, true requires; default: preferred */
        p->tls = p->use_ssl == 0   ? TLS_OFF
                 : p->use_ssl == 1 ? (p->verify_cert == 1 ? TLS_VERIFY : TLS_REQUIRED)
                                   : TLS_PREFERRED;
    return 0;
}

/* ---- connections ------------------------------------------------------------------ */

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static void lib_init(void) { mysql_library_init(0, NULL, NULL); }

static int ld_init(void **ptr, const char *file, void *conn);
static int ld_read(void *ptr, char *buf, unsigned int n);
static void ld_end(void *ptr);
static int ld_error(void *ptr, char *msg, unsigned int n);

/* A session with p's settings; NULL with err set. */
MYSQL *jdbc__my_open_session(const my_params *p, const char *db, jdbc_conn *owner, const char *where, cv_err *err)
{
    pthread_once(&lib_once, lib_init);
    MYSQL *m = mysql_init(NULL);
    if (!m) {
        jdbc_nomem(err);
        return NULL;
    }
    unsigned proto = p->socket ? MYSQL_PROTOCOL_SOCKET : MYSQL_PROTOCOL_TCP, on = 1;
    my_bool no = 0, yes = 1;
    mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_options(m, MYSQL_OPT_PROTOCOL, &proto);
    mysql_options(m, MYSQL_OPT_RECONNECT, &no); /* a silent reconnect would lose the transaction */
    /* LOAD DATA LOCAL only where culvert's own handler answers it */
    if (owner) mysql_options(m, MYSQL_OPT_LOCAL_INFILE, &on);
    if (p->connect_timeout) mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &p->connect_timeout);
    if (p->rw_timeout) {
        mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &p->rw_timeout);
        mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &p->rw_timeout);
    }
    if (p->compress) mysql_options(m, MYSQL_OPT_COMPRESS, NULL);
    if (p->tls != TLS_OFF) {
        mysql_ssl_set(m, NULL, NULL, p->tls_ca, NULL, NULL);
        if (p->tls >= TLS_REQUIRED) mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &yes);
        mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, p->tls == TLS_VERIFY ? &yes : &no);
        if (p->tls_version) mysql_options(m, MARIADB_OPT_TLS_VERSION, p->tls_version);
    }
    /* found rows, as Connector/J reports them: an UPDATE that leaves a row
     * as it was still acknowledges it */
    if (!mysql_real_connect(m, p->host, p->user, p->password, db, p->port, p->socket,
                            CLIENT_MULTI_STATEMENTS | CLIENT_FOUND_ROWS)) {
        cv_err_set(err, CV_EIO, "MySQL: cannot connect to %s as %s: %s (errno %u)", where,
                   p->user ? p->user : "(no user)", mysql_error(m), mysql_errno(m));
        mysql_close(m);
        return NULL;
    }
    if (p->tls >= TLS_REQUIRED && !mysql_get_ssl_cipher(m)) {
        /* libmariadb goes on in the clear when the server has no TLS */
        cv_err_set(err, CV_EIO,
                   "MySQL: cannot connect to %s as %s: the server does not offer TLS, which sslMode "
                   "(or useSSL=true) requires",
                   where, p->user ? p->user : "(no user)");
        mysql_close(m);
        return NULL;
    }
    if (owner) mysql_set_local_infile_handler(m, ld_init, ld_read, ld_end, ld_error, owner);
    return m;
}

static void tinfo_free(tinfo *ti)
{
    if (!ti) return;
    for (uint32_t i = 0; i < ti->ncols; i++) cv_free(ti->cols[i].name);
    cv_free(ti->cols);
    cv_free(ti->chk);
    cv_free(ti->qualified);
    cv_free(ti->insert_head);
    cv_free(ti->upsert_tail);
    cv_free(ti->load_sql);
    cv_free(ti);
}

/* The tables may have changed: look them up again when next written.
 * Prepared statements keep pointing into the old descriptions, which live
 * as long as the connection. */
static void forget_tables(jdbc_conn *c)
{
    if (cv_vec_reserve(&c->stale, c->stale.n + c->tables.n) < 0) {
        for (size_t i = 0; i < c->tables.n; i++) c->tables.v[i]->qualified[0] = '\0'; /* never found again */
        return;
    }
    for (size_t i = 0; i < c->tables.n; i++) c->stale.v[c->stale.n++] = c->tables.v[i];
    c->tables.n = 0;
}

static void my_disconnect(jdbc_conn *c)
{
    if (!c) return;
    if (c->m) mysql_close(c->m);
    for (size_t i = 0; i < c->tables.n; i++) tinfo_free(c->tables.v[i]);
    for (size_t i = 0; i < c->stale.n; i++) tinfo_free(c->stale.v[i]);
    cv_vec_free(&c->tables);
    cv_vec_free(&c->stale);
    cv_buf_free(&c->text);
    cv_buf_free(&c->json);
    params_free(&c->p);
    cv_free(c);
}

/* One row of text values from a query, for the session's settings. */
static int query_row(jdbc_conn *c, const char *sql, char **vals, unsigned n, size_t cap, cv_err *err)
{
    if (mysql_query(c->m, sql) != 0) return jdbc__my_fail(c, sql, err);
    MYSQL_RES *r = mysql_store_result(c->m);
    if (!r) return jdbc__my_fail(c, sql, err);
    MYSQL_ROW row = mysql_fetch_row(r);
    for (unsigned i = 0; i < n; i++)
        snprintf(vals[i], cap, "%s", row && i < mysql_num_fields(r) && row[i] ? row[i] : "");
    mysql_free_result(r);
    return 0;
}

int jdbc__my_session_setup(jdbc_conn *c, const jdbc_connect_opts *o, cv_err *err)
{
    if (o->timeout_ms > 0) {
        /* lock waits end with a transient error (1205) the engine retries */
        char sql[160];
        int64_t s = CV_MAX((o->timeout_ms + 999) / 1000, 1);
        snprintf(sql, sizeof sql, "SET SESSION innodb_lock_wait_timeout = %lld, lock_wait_timeout = %lld", (long long)s,
                 (long long)s);
        cv_err e;
        cv_err_clear(&e);
        if (my_exec(c, sql, &e) < 0) cv_debug("Jdbc: lock timeouts not set: %s", e.msg);
    }
    if (c->p.session.len) {
        cv_buf sql;
        cv_buf_init(&sql);
        cv_buf_printf(&sql, "SET SESSION %s", c->p.session.data);
        cv_err e;
        cv_err_clear(&e);
        int rc = sql.oom ? jdbc_nomem(err) : my_exec(c, sql.data, &e);
        cv_buf_free(&sql);
        /* the server's word on a variable it does not know is a config error */
        if (rc < 0) return cv_err_set(err, rc == CV_ENOMEM ? rc : CV_ECONFIG, "%s", e.msg);
    }
    CV_TRY(my_exec(c, SESSION_SQL, err));
    if (o->read_only) CV_TRY(my_exec(c, "SET SESSION TRANSACTION READ ONLY", err));
    char v0[32], v1[32];
    char *vals[] = {v0, v1};
    CV_TRY(query_row(c, "SELECT @@max_allowed_packet, @@lower_case_table_names", vals, 2, sizeof v0, err));
    int64_t packet, lower;
    c->max_packet = cv_parse_i64(v0, strlen(v0), &packet) && packet > 0 ? packet : 1 << 20;
    c->exact_names = cv_parse_i64(v1, strlen(v1), &lower) && lower == 0;
    return 0;
}

static int my_connect(const jdbc_connect_opts *o, jdbc_conn **out, cv_err *err)
{
    jdbc_conn *c = cv_calloc(1, sizeof *c);
    if (!c) return jdbc_nomem(err);
    int rc = params_init(&c->p, o, err);
    if (rc == 0) {
        if (c->p.socket)
            snprintf(c->where, sizeof c->where, "%s/%s", c->p.socket, c->p.database ? c->p.database : "");
        else
            snprintf(c->where, sizeof c->where, "%s:%u/%s", c->p.host, c->p.port, c->p.database ? c->p.database : "");
        c->m = jdbc__my_open_session(&c->p, c->p.database, c, c->where, err);
        if (!c->m) rc = err->code ? err->code : CV_EIO;
    }
    c->timeout_ms = o->timeout_ms;
    c->read_only = o->read_only;
    if (rc == 0) rc = jdbc__my_session_setup(c, o, err);
    if (rc < 0) {
        my_disconnect(c);
        return rc;
    }
    *out = c;
    return 0;
}

static int my_share_key(const jdbc_url *u, cv_buf *out)
{
    cv_buf_printf(out, "mysql:%s", u->target);
    return out->oom ? CV_ENOMEM : 0;
}

/* describe_target's strings live as long as the process: the contract
 * gives no arena, and a job keeps the pointer. One per distinct url. */
/* CONTRACT: describe_target should take an arena (cv_arena *a) so that its
 * text can live in the job's arena instead of this process-wide table. */
static pthread_mutex_t names_mu = PTHREAD_MUTEX_INITIALIZER;
static char *target_names[64];

__attribute__((destructor)) static void free_names(void)
{
    for (size_t i = 0; i < CV_ARRAY_LEN(target_names); i++) cv_free(target_names[i]);
}

static const char *my_describe_target(const jdbc_url *u)
{
    char buf[400];
    size_t hn = u->host ? strcspn(u->host, ",") : 0, pn = u->port ? strcspn(u->port, ",") : 0;
    snprintf(buf, sizeof buf, "MySQL %s%s%sat %.*s:%.*s", u->database ? "database " : "server",
             u->database ? u->database : "", u->database ? " " : " ", (int)(hn ? hn : 9), hn ? u->host : "localhost",
             (int)(pn ? pn : 4), pn ? u->port : "3306");
    pthread_mutex_lock(&names_mu);
    const char *res = "MySQL";
    for (size_t i = 0; i < CV_ARRAY_LEN(target_names); i++) {
        if (!target_names[i]) target_names[i] = cv_strdup(buf);
        if (target_names[i] && strcmp(target_names[i], buf) == 0) {
            res = target_names[i];
            break;
        }
    }
    pthread_mutex_unlock(&names_mu);
    return res;
}

static bool my_ephemeral(const jdbc_url *u)
{
    (void)u;
    return false;
}

/* ---- types ------------------------------------------------------------------------ */

/* A result column → culvert type and how to read it (docs/jdbc/mysql.md
 * has the table). */
int jdbc__my_map_field(const jdbc_conn *c, const MYSQL_FIELD *f, fmap *out, cv_err *err)
{
    bool uns = (f->flags & UNSIGNED_FLAG) != 0, bin = f->charsetnr == 63;
    memset(out, 0, sizeof *out);
    out->rk = RK_INT;
    switch (f->type) {
    case MYSQL_TYPE_NULL: out->id = CV_T_NULL, out->rk = RK_NULL; break;
    case MYSQL_TYPE_TINY:
        if (f->length == 1 && !uns && c->p.tiny1_bool)
            out->id = CV_T_BOOL, out->rk = RK_BOOL;
        else
            out->id = uns ? CV_T_I16 : CV_T_I8;
        break;
    case MYSQL_TYPE_SHORT: out->id = uns ? CV_T_I32 : CV_T_I16; break;
    case MYSQL_TYPE_INT24: out->id = CV_T_I32; break;
    case MYSQL_TYPE_LONG: out->id = uns ? CV_T_I64 : CV_T_I32; break;
    case MYSQL_TYPE_YEAR: out->id = CV_T_I32; break;
    case MYSQL_TYPE_LONGLONG:
        if (uns)
            out->id = CV_T_DECIMAL, out->precision = 20, out->rk = RK_U64;
        else
            out->id = CV_T_I64;
        break;
    case MYSQL_TYPE_BIT:
        if (f->length == 1)
            out->id = CV_T_BOOL, out->rk = RK_BIT1;
        else
            out->id = CV_T_BYTES, out->rk = RK_BYTES, out->length = (int64_t)(f->length + 7) / 8;
        break;
    case MYSQL_TYPE_FLOAT: out->id = CV_T_F32, out->rk = RK_F32; break;
    case MYSQL_TYPE_DOUBLE: out->id = CV_T_F64, out->rk = RK_F64; break;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL: {
        /* the display length counts the point and, when signed, the sign */
        long p = (long)f->length - (f->decimals > 0) - !uns;
        if (p < 1) p = 1;
        if (p > CV_DECIMAL_MAX_PRECISION) {
            /* wider than culvert's decimals: exactly, as text */
            out->id = CV_T_STRING, out->rk = RK_TEXT, out->length = (int64_t)f->length;
        } else {
            out->id = CV_T_DECIMAL, out->rk = RK_DEC, out->precision = (unsigned)p, out->scale = f->decimals;
        }
        break;
    }
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE: out->id = CV_T_DATE, out->rk = RK_DATE; break;
    case MYSQL_TYPE_TIME:
    case MYSQL_TYPE_TIME2: out->id = CV_T_TIME, out->rk = RK_TIME; break;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_DATETIME2:
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_TIMESTAMP2: out->id = CV_T_TIMESTAMP, out->rk = RK_DATETIME; break;
    case MYSQL_TYPE_JSON:
    case MYSQL_TYPE_ENUM:
    case MYSQL_TYPE_SET: out->id = CV_T_STRING, out->rk = RK_TEXT; break;
    case MYSQL_TYPE_GEOMETRY: out->id = CV_T_BYTES, out->rk = RK_BYTES; break;
    case MYSQL_TYPE_VARCHAR:
    case MYSQL_TYPE_VAR_STRING:
    case MYSQL_TYPE_STRING:
    case MYSQL_TYPE_TINY_BLOB:
    case MYSQL_TYPE_MEDIUM_BLOB:
    case MYSQL_TYPE_LONG_BLOB:
    case MYSQL_TYPE_BLOB:
        if (bin && !(f->flags & (ENUM_FLAG | SET_FLAG))) {
            out->id = CV_T_BYTES, out->rk = RK_BYTES, out->length = (int64_t)f->length;
        } else {
            /* the display length is in bytes of the result's charset */
            const MARIADB_CHARSET_INFO *cs = mariadb_get_charset_by_nr(f->charsetnr);
            unsigned mb = cs && cs->char_maxlen ? cs->char_maxlen : 1;
            out->id = CV_T_STRING, out->rk = RK_TEXT, out->length = (int64_t)(f->length / mb);
        }
        break;
    default:
        return cv_err_set(err, CV_EUNSUPPORTED, "column %s has MySQL type %d, which culvert cannot read", f->name,
                          (int)f->type);
    }
    return 0;
}

const cv_type *jdbc__my_fmap_type(cv_arena *a, const fmap *m)
{
    return m->id == CV_T_DECIMAL ? cv_type_decimal(a, m->precision, m->scale) : cv_type_prim(m->id);
}

bool jdbc__my_fmap_matches(const fmap *m, const cv_type *t)
{
    return m->id == t->id && (m->id != CV_T_DECIMAL || (m->precision == t->precision && m->scale == t->scale));
}

/* The column's type as a CREATE TABLE would declare it (table columns
 * only): "VARCHAR(40)", "BIGINT UNSIGNED", "DECIMAL(10,2)". */
const char *jdbc__my_field_decl(cv_arena *a, const MYSQL_FIELD *f, const fmap *m)
{
    const char *u = f->flags & UNSIGNED_FLAG ? " UNSIGNED" : "";
    switch (f->type) {
    case MYSQL_TYPE_TINY: return cv_arena_printf(a, "TINYINT(%lu)%s", f->length, u);
    case MYSQL_TYPE_SHORT: return cv_arena_printf(a, "SMALLINT%s", u);
    case MYSQL_TYPE_INT24: return cv_arena_printf(a, "MEDIUMINT%s", u);
    case MYSQL_TYPE_LONG: return cv_arena_printf(a, "INT%s", u);
    case MYSQL_TYPE_LONGLONG: return cv_arena_printf(a, "BIGINT%s", u);
    case MYSQL_TYPE_YEAR: return "YEAR";
    case MYSQL_TYPE_BIT: return cv_arena_printf(a, "BIT(%lu)", f->length);
    case MYSQL_TYPE_FLOAT: return cv_arena_printf(a, "FLOAT%s", u);
    case MYSQL_TYPE_DOUBLE: return cv_arena_printf(a, "DOUBLE%s", u);
    case MYSQL_TYPE_NEWDECIMAL:
    case MYSQL_TYPE_DECIMAL:
        return cv_arena_printf(a, "DECIMAL(%ld,%u)%s",
                               (long)f->length - (f->decimals > 0) - !(f->flags & UNSIGNED_FLAG), f->decimals, u);
    case MYSQL_TYPE_DATE: return "DATE";
    case MYSQL_TYPE_TIME: return f->decimals ? cv_arena_printf(a, "TIME(%u)", f->decimals) : "TIME";
    case MYSQL_TYPE_DATETIME: return f->decimals ? cv_arena_printf(a, "DATETIME(%u)", f->decimals) : "DATETIME";
    case MYSQL_TYPE_TIMESTAMP: return f->decimals ? cv_arena_printf(a, "TIMESTAMP(%u)", f->decimals) : "TIMESTAMP";
    case MYSQL_TYPE_JSON: return "JSON";
    case MYSQL_TYPE_GEOMETRY: return "GEOMETRY";
    default: break;
    }
    if (f->flags & ENUM_FLAG) return "ENUM";
    if (f->flags & SET_FLAG) return "SET";
    bool bin = m->id == CV_T_BYTES;
    switch (f->type) {
    case MYSQL_TYPE_STRING: return cv_arena_printf(a, "%s(%lld)", bin ? "BINARY" : "CHAR", (long long)m->length);
    case MYSQL_TYPE_VAR_STRING:
    case MYSQL_TYPE_VARCHAR: return cv_arena_printf(a, "%s(%lld)", bin ? "VARBINARY" : "VARCHAR", (long long)m->length);
    default: {
        /* the text and blob types differ only in their length */
        static const char *text[] = {"TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT"};
        static const char *blob[] = {"TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB"};
        int64_t n = m->length;
        int k = n <= 255 ? 0 : n <= 65535 ? 1 : n <= 16777215 ? 2 : 3;
        return bin ? blob[k] : text[k];
    }
    }
}

/* Fractional-second digits a new column gets: the upstream scale when it
 * says, else microseconds (MySQL's finest), so that nothing is rounded. */
static int fsp_of(const cv_column *col) { return col->scale > 0 && col->scale < 6 ? (int)col->scale : 6; }

static int my_ddl_type(const cv_column *col, cv_buf *out, cv_err *err)
{
    const cv_type *t = col->type;
    int64_t n = col->length;
    switch (t->id) {
    case CV_T_NULL: cv_buf_puts(out, "CHAR(0)"); break; /* MySQL's column for NULL (and '') only */
    case CV_T_BOOL: cv_buf_puts(out, "BOOLEAN"); break;
    case CV_T_I8: cv_buf_puts(out, "TINYINT"); break;
    case CV_T_I16: cv_buf_puts(out, "SMALLINT"); break;
    case CV_T_I32: cv_buf_puts(out, "INT"); break;
    case CV_T_I64: cv_buf_puts(out, "BIGINT"); break;
    case CV_T_F32: cv_buf_puts(out, "FLOAT"); break;
    case CV_T_F64: cv_buf_puts(out, "DOUBLE"); break;
    case CV_T_DECIMAL: cv_buf_printf(out, "DECIMAL(%u,%u)", t->precision, t->scale); break;
    /* CONTRACT: ddl_type cannot tell a key column (no jdbc_target): an
     * unbounded string or bytes key becomes LONGTEXT/LONGBLOB, which MySQL
     * cannot index; my_exec retries such a CREATE TABLE with VARCHAR(255) /
     * VARBINARY(255) keys. ddl_type(col, bool is_key, …) would do it here. */
    case CV_T_STRING:
        /* lengths are characters; utf8mb4 takes up to 4 bytes each */
        if (n > 0 && n <= 16383)
            cv_buf_printf(out, "VARCHAR(%lld)", (long long)n);
        else if (n > 0 && n < (1 << 22))
            cv_buf_puts(out, "MEDIUMTEXT");
        else
            cv_buf_puts(out, "LONGTEXT");
        break;
    case CV_T_BYTES:
        if (n > 0 && n <= 65532)
            cv_buf_printf(out, "VARBINARY(%lld)", (long long)n);
        else if (n > 0 && n < (1 << 24))
            cv_buf_puts(out, "MEDIUMBLOB");
        else
            cv_buf_puts(out, "LONGBLOB");
        break;
    case CV_T_DATE: cv_buf_puts(out, "DATE"); break;
    case CV_T_TIME: cv_buf_printf(out, "TIME(%d)", fsp_of(col)); break;
    /* MySQL's TIMESTAMP ends in 2038: an instant is kept as its UTC wall
     * time in a DATETIME, which is what a UTC session reads back */
    case CV_T_TIMESTAMP:
    case CV_T_TIMESTAMP_TZ: cv_buf_printf(out, "DATETIME(%d)", fsp_of(col)); break;
    case CV_T_ARRAY:
    case CV_T_MAP:
    case CV_T_ROW: cv_buf_puts(out, "JSON"); break;
    default: return cv_err_set(err, CV_EUNSUPPORTED, "column %s: no MySQL type for it", col->name);
    }
    return out->oom ? jdbc_nomem(err) : 0;
}

static void my_upsert_clause(cv_buf *sql, const char *const *keys, uint32_t nkeys, const char *const *others,
                             uint32_t nothers)
{
    cv_buf_puts(sql, " ON DUPLICATE KEY UPDATE ");
    if (!nothers) {
        /* nothing to update: the row stays as it is */
        if (nkeys) cv_buf_printf(sql, "%s = %s", keys[0], keys[0]);
        return;
    }
    for (uint32_t k = 0; k < nothers; k++) cv_buf_printf(sql, "%s%s = VALUES(%s)", k ? ", " : "", others[k], others[k]);
}

/* ---- plain statements ------------------------------------------------------------- */

/* What a write statement just read acknowledged: its affected rows; for
 * upserts the rows it took, inserted or updated ("Records: N" of a
 * multi-row INSERT; a single row's 1 or 2 is one row). */
static uint64_t write_ack(jdbc_conn *c)
{
    my_ulonglong a = mysql_affected_rows(c->m);
    if (a == (my_ulonglong)-1) return 0;
    if (!c->ack_upsert) return a;
    const char *info = mysql_info(c->m);
    if (info && strncmp(info, "Records: ", 9) == 0) return strtoull(info + 9, NULL, 10);
    return a > 0;
}

/* Read every result of the statements just sent, up to the first error
 * (then 1, with the error pending in c->m). *nok counts the statements
 * that succeeded, *warned is the first that left warnings (-1: none);
 * c->drained what they acknowledged (write_ack). */
static int drain(jdbc_conn *c, uint32_t *nok, int64_t *warned)
{
    uint32_t k = 0;
    if (warned) *warned = -1;
    c->drained = 0;
    for (;;) {
        MYSQL_RES *r = mysql_store_result(c->m);
        if (r)
            mysql_free_result(r);
        else if (mysql_field_count(c->m) != 0)
            break;
        else
            c->drained += write_ack(c);
        if (warned && *warned < 0 && mysql_warning_count(c->m) > 0) *warned = k;
        k++;
        int s = mysql_next_result(c->m);
        if (s != 0) {
            if (nok) *nok = k;
            return s > 0;
        }
    }
    if (nok) *nok = k;
    return 1;
}

/* After reading one result: the rest of a multi-statement's. 1 when one
 * of them failed (the error pending in c->m). */
static int drain_rest(jdbc_conn *c)
{
    while (mysql_more_results(c->m)) {
        int s = mysql_next_result(c->m);
        if (s > 0) return 1;
        if (s < 0) break;
        MYSQL_RES *r = mysql_store_result(c->m);
        if (r)
            mysql_free_result(r);
        else if (mysql_field_count(c->m))
            return 1;
    }
    return 0;
}

/* CREATE TABLE … PRIMARY KEY on a LONGTEXT or LONGBLOB column (a key
 * string without a length: see my_ddl_type) is retried with the column
 * bounded; 1 when sql was rewritten. */
static int bound_key_column(jdbc_conn *c, cv_buf *sql)
{
    const char *msg = mysql_error(c->m), *q1 = strchr(msg, '\''), *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
    if (!q2 || strncmp(sql->data, "CREATE TABLE", 12) != 0) return 0;
    char pat[300];
    static const char *from[] = {"LONGTEXT", "LONGBLOB"}, *to[] = {"VARCHAR(255)", "VARBINARY(255)"};
    for (int k = 0; k < 2; k++) {
        /* the name as jdbc_quote wrote it: backquotes doubled */
        cv_buf name;
        cv_buf_init(&name);
        for (const char *p = q1 + 1; p < q2; p++) cv_buf_put(&name, p, *p == '`' ? 2 : 1);
        snprintf(pat, sizeof pat, "`%s` %s", name.data ? name.data : "", from[k]);
        cv_buf_free(&name);
        char *at = strstr(sql->data, pat);
        if (!at) continue;
        size_t off = (size_t)(at - sql->data) + strlen(pat) - strlen(from[k]);
        char *tail = cv_strdup(sql->data + off + strlen(from[k]));
        if (!tail) return 0;
        sql->len = off;
        cv_buf_puts(sql, to[k]);
        cv_buf_puts(sql, tail);
        cv_free(tail);
        cv_info("Jdbc: key column %.*s is %s without a length, which MySQL cannot index; created as %s",
                (int)(q2 - q1 - 1), q1 + 1, k ? "bytes" : "a string", to[k]);
        return !sql->oom;
    }
    return 0;
}

/* Transaction control and session settings leave the tables as they are;
 * anything else run by exec (DDL, custom_sql) may change them. */
static bool keeps_tables(const char *sql)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t') sql++;
    static const char *kw[] = {"START ", "BEGIN", "SAVEPOINT ", "RELEASE ", "ROLLBACK", "COMMIT", "SET ", "XA "};
    for (size_t i = 0; i < CV_ARRAY_LEN(kw); i++)
        if (cv_strneq_nocase(sql, kw[i], strlen(kw[i]))) return true;
    return false;
}

static int my_exec(jdbc_conn *c, const char *sql, cv_err *err)
{
    char what[240];
    if (!keeps_tables(sql)) forget_tables(c);
    if (mysql_real_query(c->m, sql, strlen(sql)) == 0)
        return drain(c, NULL, NULL) ? jdbc__my_fail(c, jdbc__my_sql_what(sql, what, sizeof what), err) : 0;
    if (mysql_errno(c->m) != ER_BLOB_KEY_WITHOUT_LENGTH)
        return jdbc__my_fail(c, jdbc__my_sql_what(sql, what, sizeof what), err);
    cv_buf again;
    cv_buf_init(&again);
    cv_buf_puts(&again, sql);
    int rc = 1;
    while (rc > 0 && mysql_errno(c->m) == ER_BLOB_KEY_WITHOUT_LENGTH && bound_key_column(c, &again))
        rc = mysql_real_query(c->m, again.data, again.len) == 0 ? 0 : 1;
    if (rc == 0) rc = drain(c, NULL, NULL);
    if (rc) rc = jdbc__my_fail(c, jdbc__my_sql_what(sql, what, sizeof what), err);
    cv_buf_free(&again);
    return rc;
}

static int my_commit(jdbc_conn *c, cv_err *err) { return my_exec(c, "COMMIT", err); }

/* Strict integers: [-]digits (ZEROFILL's leading zeros too), no overflow. */
bool jdbc__my_parse_u64(const char *p, const char *e, uint64_t *out)
{
    if (p == e) return false;
    while (e - p > 1 && *p == '0') p++;
    if (e - p > 20) return false;
    uint64_t v = 0;
    for (; p < e; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (d > 9 || __builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, d, &v)) return false;
    }
    *out = v;
    return true;
}

bool jdbc__my_parse_i64(const char *p, size_t n, int64_t *out)
{
    bool neg = n && *p == '-';
    uint64_t v;
    if (!jdbc__my_parse_u64(p + neg, p + n, &v) || v > (uint64_t)INT64_MAX + neg) return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

static int my_query_i64(jdbc_conn *c, const char *sql, int64_t *out, bool *isnull, cv_err *err)
{
    char what[240];
    *isnull = true;
    *out = 0;
    if (mysql_real_query(c->m, sql, strlen(sql)) != 0)
        return jdbc__my_fail(c, jdbc__my_sql_what(sql, what, sizeof what), err);
    MYSQL_RES *r = mysql_store_result(c->m);
    if (!r)
        return mysql_field_count(c->m) || drain(c, NULL, NULL)
                   ? jdbc__my_fail(c, jdbc__my_sql_what(sql, what, sizeof what), err)
                   : 0;
    MYSQL_ROW row = mysql_fetch_row(r);
    unsigned long *len = row ? mysql_fetch_lengths(r) : NULL;
    int rc = 0;
    if (row && row[0]) {
        /* an integral DECIMAL (SUM, MAX of a decimal key) is an integer too */
        size_t n = len[0], dot = strcspn(row[0], ".");
        if (dot < n && strspn(row[0] + dot + 1, "0") == n - dot - 1) n = dot;
        if (jdbc__my_parse_i64(row[0], n, out))
            *isnull = false;
        else
            rc = cv_err_set(err, CV_EIO, "MySQL: %s: \"%.*s\" is not an integer",
                            jdbc__my_sql_what(sql, what, sizeof what), (int)CV_MIN(len[0], 60), row[0]);
    }
    mysql_free_result(r);
    if (drain_rest(c) && rc == 0) rc = jdbc__my_fail(c, jdbc__my_sql_what(sql, what, sizeof what), err);
    return rc;
}

/* Append s as a string literal. */
static void put_literal(jdbc_conn *c, const char *s, size_t n, cv_buf *out)
{
    if (cv_buf_reserve(out, 2 * n + 3) < 0) return;
    out->data[out->len++] = '\'';
    out->len += mysql_real_escape_string(c->m, out->data + out->len, s, (unsigned long)n);
    out->data[out->len++] = '\'';
    out->data[out->len] = '\0';
}

/* A name compared as the server compares table names. */
static void put_name_match(jdbc_conn *c, const char *col, const char *v, cv_buf *sql)
{
    cv_buf_printf(sql, c->exact_names ? "BINARY %s = " : "%s = ", col);
    put_literal(c, v, strlen(v), sql);
}

static int my_table_keys(jdbc_conn *c, cv_arena *a, const char *schema, const char *table, jdbc_table_keys *out,
                         cv_err *err)
{
    memset(out, 0, sizeof *out);
    cv_buf sql;
    cv_buf_init(&sql);
    cv_buf_puts(&sql, "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE ");
    if (schema)
        put_name_match(c, "TABLE_SCHEMA", schema, &sql);
    else
        cv_buf_puts(&sql, "TABLE_SCHEMA = DATABASE()");
    cv_buf_puts(&sql, " AND ");
    put_name_match(c, "TABLE_NAME", table, &sql);
    if (sql.oom) {
        cv_buf_free(&sql);
        return jdbc_nomem(err);
    }
    int rc = 0;
    MYSQL_RES *r = NULL;
    if (mysql_real_query(c->m, sql.data, sql.len) != 0 || !(r = mysql_store_result(c->m)))
        rc = jdbc__my_fail(c, "looking the table up", err);
    MYSQL_ROW row = r ? mysql_fetch_row(r) : NULL;
    out->exists = row != NULL;
    cv_buf_reset(&sql);
    if (row) {
        /* the key of the very table found, named as the server has it */
        cv_buf_puts(&sql, "SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ");
        put_literal(c, row[0], strlen(row[0]), &sql);
        cv_buf_puts(&sql, " AND TABLE_NAME = ");
        put_literal(c, row[1], strlen(row[1]), &sql);
        cv_buf_puts(&sql, " AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX");
    }
    if (r) mysql_free_result(r);
    if (rc == 0 && out->exists) {
        r = NULL;
        if (sql.oom)
            rc = jdbc_nomem(err);
        else if (mysql_real_query(c->m, sql.data, sql.len) != 0 || !(r = mysql_store_result(c->m)))
            rc = jdbc__my_fail(c, "reading the primary key", err);
        uint32_t n = r ? (uint32_t)mysql_num_rows(r) : 0;
        if (rc == 0 && n) {
            out->pk = cv_arena_alloc(a, n * sizeof *out->pk);
            if (!out->pk) rc = jdbc_nomem(err);
            while (rc == 0 && (row = mysql_fetch_row(r)) != NULL) {
                if (!(out->pk[out->npk++] = cv_arena_strdup(a, row[0]))) rc = jdbc_nomem(err);
            }
        }
        if (r) mysql_free_result(r);
    }
    cv_buf_free(&sql);
    return rc;
}

/* ---- values as MySQL reads them ------------------------------------------------------ */

static cv_i128 pow10_128(unsigned k)
{
    cv_i128 v = 1;
    while (k--) v *= 10;
    return v;
}

/* Where a value goes, for messages: "table t, column c, row n". */
typedef struct wctx {
    jdbc_conn *c;
    const char *table;
    const char *col; /* the upstream column */
    uint32_t row;    /* in the batch, from 0 */
} wctx;

#define VALUE_ERROR(x, ...) jdbc_value_error(err, (x)->table, (x)->col, (uint64_t)(x)->row + 1, __VA_ARGS__)

/* Room for n more bytes at the end of b; NULL when out of memory. */

static void done_at(cv_buf *b, char *end)
{
    b->len = (size_t)(end - b->data);
    b->data[b->len] = '\0';
}

static char *put_digits2(char *w, unsigned v)
{
    w[0] = (char)('0' + v / 10);
    w[1] = (char)('0' + v % 10);
    return w + 2;
}

/* yyyy-MM-dd; NULL when the year is outside MySQL's 0000-9999. */
static char *put_date(char *w, int64_t days)
{
    int64_t y;
    unsigned m, d;
    cv_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) return NULL;
    w = put_digits2(w, (unsigned)(y / 100));
    w = put_digits2(w, (unsigned)(y % 100));
    *w++ = '-';
    w = put_digits2(w, m);
    *w++ = '-';
    return put_digits2(w, d);
}

/* HH:mm:ss[.ffffff] of microseconds of the day. */
static char *put_tod(char *w, int64_t us)
{
    int64_t s = us / 1000000, f = us % 1000000;
    w = put_digits2(w, (unsigned)(s / 3600));
    *w++ = ':';
    w = put_digits2(w, (unsigned)(s / 60 % 60));
    *w++ = ':';
    w = put_digits2(w, (unsigned)(s % 60));
    if (f) {
        *w++ = '.';
        for (int k = 5; k >= 0; k--) w[5 - k] = (char)('0' + f / P10[k] % 10);
        w += 6;
    }
    return w;
}

/* LOAD DATA's escapes (ESCAPED BY '\'): the field and line terminators,
 * the escape itself and NUL; everything else is bytes as they are. */
static void put_escaped(cv_buf *b, const char *s, size_t n)
{
    char *w = room(b, 2 * n);
    if (!w) return;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        switch (ch) {
        case '\\': *w++ = '\\', *w++ = '\\'; break;
        case '\t': *w++ = '\\', *w++ = 't'; break;
        case '\n': *w++ = '\\', *w++ = 'n'; break;
        case '\0': *w++ = '\\', *w++ = '0'; break;
        default: *w++ = ch;
        }
    }
    done_at(b, w);
}

static void put_hex(cv_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    char *w = room(b, 2 * n + 3);
    if (!w) return;
    *w++ = 'X', *w++ = '\'';
    for (size_t i = 0; i < n; i++) {
        *w++ = hex[(unsigned char)s[i] >> 4];
        *w++ = hex[(unsigned char)s[i] & 15];
    }
    *w++ = '\'';
    done_at(b, w);
}

/* Shortest digits that read back as v (floats: as the float), as
 * d.ddde±x; *frac gets the digits after the point in plain notation. */
static void put_real(cv_buf *b, double v, bool is_float, int *frac)
{
    char dig[32];
    *frac = 0;
    if (v == 0) {
        cv_buf_puts(b, signbit(v) ? "-0e0" : "0");
        return;
    }
    int e10, n = cv__shortest_digits(fabs(v), is_float, dig, &e10);
    *frac = n - 1 - e10 > 0 ? n - 1 - e10 : 0;
    char *w = room(b, (size_t)n + 16);
    if (!w) return;
    if (v < 0) *w++ = '-';
    *w++ = dig[0];
    if (n > 1) {
        *w++ = '.';
        memcpy(w, dig + 1, (size_t)n - 1);
        w += n - 1;
    }
    w += snprintf(w, 16, "e%d", e10);
    done_at(b, w);
}

/* A value for a YEAR column, as four digits. MySQL reads a YEAR's one- and
 * two-digit forms as years of this century or the last (and a string "0"
 * as 2000, but a number 0 as 0000: LOAD DATA's fields are strings), so
 * the four digits are the one form every path stores as written; a year
 * the column does not hold is an error, never another year. */
static int put_year(const wctx *x, const cv_col *col, uint32_t r, const wcheck *chk, cv_buf *b, cv_err *err)
{
    int64_t y = 0;
    switch (col->type->id) {
    case CV_T_DECIMAL: {
        cv_i128 v = ((const cv_i128 *)col->data)[r], one = pow10_128(col->type->scale);
        if (v % one != 0 || v / one < -1000000 || v / one > 1000000) {
            cv_buf txt;
            cv_buf_init(&txt);
            cv_decimal_format(v, col->type->scale, &txt);
            int rc = VALUE_ERROR(x, "%s is not a year YEAR column %s holds (0000, 1901 to 2155)",
                                 txt.data ? txt.data : "?", chk->col);
            cv_buf_free(&txt);
            return rc;
        }
        y = (int64_t)(v / one);
        break;
    }
    case CV_T_F32:
    case CV_T_F64: {
        double d = cv_col_get_f64(col, r);
        if (!(d == floor(d) && fabs(d) <= 1e6))
            return VALUE_ERROR(x, "%.17g is not a year YEAR column %s holds (0000, 1901 to 2155)", d, chk->col);
        y = (int64_t)d;
        break;
    }
    case CV_T_STRING: {
        uint32_t n;
        const char *p = cv_col_str(col, r, &n);
        bool four = n == 4;
        for (uint32_t k = 0; four && k < 4; k++) four = p[k] >= '0' && p[k] <= '9';
        if (!four)
            return VALUE_ERROR(x,
                               "\"%.*s\" is not a four-digit year, which YEAR column %s needs (MySQL would read "
                               "\"0\" to \"99\" as years 2000 to 2069 and 1970 to 1999)",
                               (int)CV_MIN(n, 40), p, chk->col);
        y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
        break;
    }
    default: y = cv_col_get_int(col, r); break;
    }
    if (y != 0 && (y < 1901 || y > 2155))
        return VALUE_ERROR(x, "%lld is not a year YEAR column %s holds (0000, 1901 to 2155)%s", (long long)y, chk->col,
                           y > 0 && y < 100 ? ": MySQL would store it as a year 19xx or 20xx" : "");
    char *w = room(b, 4);
    if (!w) return 0;
    w = put_digits2(w, (unsigned)(y / 100));
    done_at(b, put_digits2(w, (unsigned)(y % 100)));
    return 0;
}

#define NEG_ZERO "-0 (negative zero): MySQL stores it as 0"

/* A number for a FLOAT or DOUBLE column: only if the column keeps it
 * exactly (MySQL would round 0.1 into a FLOAT, 2^53 + 1 into a DOUBLE,
 * and drop the sign of -0), in the shortest digits of the real it is. */
static int put_real_value(const wctx *x, const cv_col *col, uint32_t r, const wcheck *chk, cv_buf *b, cv_err *err)
{
    bool to_float = chk->arg == 4;
    const char *name = to_float ? "FLOAT" : "DOUBLE";
    double d;
    if (!jdbc_real_exact(col, r, to_float, &d)) {
        cv_buf txt;
        cv_buf_init(&txt);
        if (col->type->id == CV_T_F32 || col->type->id == CV_T_F64)
            cv_buf_printf(&txt, "%.17g", cv_col_get_f64(col, r));
        else
            jdbc_value_text(col, r, &txt);
        int rc = VALUE_ERROR(x, "%s is not exact in %s column %s: it would be stored as %.*g",
                             txt.data ? txt.data : "?", name, chk->col, to_float ? 9 : 17, d);
        cv_buf_free(&txt);
        return rc;
    }
    if (!isfinite(d)) return VALUE_ERROR(x, "%s cannot be stored in MySQL", isnan(d) ? "NaN" : "Infinity");
    if (d == 0 && signbit(d)) return VALUE_ERROR(x, "%s", NEG_ZERO);
    int frac;
    /* FLT_MAX's shortest digits read as a double exceed FLT_MAX, which
     * MySQL refuses for a FLOAT column: its exact digits do not */
    put_real(b, d, to_float && fabs(d) != (double)FLT_MAX, &frac);
    return 0;
}

/* Value r of col as an SQL literal (ld false) or a LOAD DATA field (ld
 * true), after checking that the target column keeps it unchanged. */
/* Text culvert made (a real's digits, JSON), as a LOAD DATA field or a literal. */
static int put_text(const wctx *x, const cv_buf *j, bool ld, cv_buf *b, cv_err *err)
{
    if (j->oom) return jdbc_nomem(err);
    if (ld)
        put_escaped(b, j->data, j->len);
    else
        put_literal(x->c, j->data, j->len, b);
    return 0;
}

static int put_value(const wctx *x, const cv_col *col, uint32_t r, const wcheck *chk, bool ld, cv_buf *b, cv_err *err)
{
    cv_type_id id = col->type->id;
    int kind = chk ? chk->kind : WC_NONE, frac;
    if (id == CV_T_NULL || cv_col_is_null(col, r)) {
        cv_buf_puts(b, ld ? "\\N" : "NULL");
        return 0;
    }
    if (kind == WC_YEAR) return put_year(x, col, r, chk, b, err);
    if (kind == WC_REFUSE) {
        char tn[64];
        return VALUE_ERROR(
            x, "a value of type %s cannot be written to %s column %s: MySQL would convert it by a rule of its own",
            cv_type_str(col->type, tn, sizeof tn), chk->what, chk->col);
    }
    if (kind == WC_BIT && id != CV_T_BOOL &&
        (id == CV_T_DECIMAL ? ((const cv_i128 *)col->data)[r] < 0 : cv_col_get_int(col, r) < 0)) {
        cv_buf txt;
        cv_buf_init(&txt);
        jdbc_value_text(col, r, &txt);
        int rc = VALUE_ERROR(x, "%s is negative: BIT column %s would store its two's complement",
                             txt.data ? txt.data : "?", chk->col);
        cv_buf_free(&txt);
        return rc;
    }
    if (kind == WC_REAL && id != CV_T_BOOL) return put_real_value(x, col, r, chk, b, err);
    if (kind == WC_TEXT && (id == CV_T_F32 || id == CV_T_F64)) {
        /* as text, the same on every path (a LOAD DATA field would keep put_real's exponent form) */
        cv_buf *j = &x->c->json;
        cv_buf_reset(j);
        jdbc_value_text(col, r, j);
        return put_text(x, j, ld, b, err);
    }
    switch (id) {
    case CV_T_BOOL: cv_buf_putc(b, col->data[r] ? '1' : '0'); return 0;
    case CV_T_I8:
    case CV_T_I16:
    case CV_T_I32:
    case CV_T_I64: cv_buf_put_i64(b, cv_col_get_int(col, r)); return 0;
    case CV_T_F32:
    case CV_T_F64: {
        double d = cv_col_get_f64(col, r);
        if (!isfinite(d)) return VALUE_ERROR(x, "%s cannot be stored in MySQL", isnan(d) ? "NaN" : "Infinity");
        if (d == 0 && signbit(d) && kind == WC_NONE) return VALUE_ERROR(x, "%s", NEG_ZERO);
        /* FLT_MAX's shortest digits read as a double exceed FLT_MAX, which
         * MySQL refuses for a FLOAT column: its exact digits do not */
        bool f32 = id == CV_T_F32 && fabs(d) != (double)FLT_MAX;
        put_real(b, d, f32, &frac);
        if (kind == WC_INTEGRAL && frac)
            return VALUE_ERROR(x, "%.17g is not an integer, which column %s needs", d, chk->col);
        if (kind == WC_SCALE && frac > chk->arg)
            return VALUE_ERROR(x, "%.17g has more than the %u fractional digits column %s keeps", d, chk->arg,
                               chk->col);
        return 0;
    }
    case CV_T_DECIMAL: {
        cv_i128 v = ((const cv_i128 *)col->data)[r];
        unsigned s = col->type->scale;
        unsigned keep = kind == WC_INTEGRAL ? 0 : kind == WC_SCALE ? chk->arg : s;
        if (keep < s && v % pow10_128(s - keep) != 0) {
            cv_buf txt;
            cv_buf_init(&txt);
            cv_decimal_format(v, s, &txt);
            int rc = VALUE_ERROR(x, "%s has more than the %u fractional digits column %s keeps",
                                 txt.data ? txt.data : "?", keep, chk->col);
            cv_buf_free(&txt);
            return rc;
        }
        cv_decimal_format(v, s, b);
        return 0;
    }
    case CV_T_STRING:
    case CV_T_BYTES: {
        uint32_t n;
        const char *p = cv_col_str(col, r, &n);
        if (ld)
            put_escaped(b, p, n);
        else if (id == CV_T_BYTES)
            put_hex(b, p, n);
        else
            put_literal(x->c, p, n, b);
        return 0;
    }
    case CV_T_DATE: {
        char *w = room(b, 12);
        if (!w) return 0;
        char *start = w;
        if (!ld) *w++ = '\'';
        if (!(w = put_date(w, cv_col_i32(col, r)))) {
            done_at(b, start);
            return VALUE_ERROR(x, "the date is outside MySQL's years 0000 to 9999");
        }
        if (!ld) *w++ = '\'';
        done_at(b, w);
        return 0;
    }
    case CV_T_TIME: {
        int64_t ns = cv_col_i64(col, r), us = ns / 1000;
        if (ns % 1000) return VALUE_ERROR(x, "the time has nanoseconds; MySQL keeps microseconds at most");
        if (kind == WC_FSP && us % P10[6 - chk->arg])
            return VALUE_ERROR(x, "the time has more than the %u fractional digits column %s keeps", chk->arg,
                               chk->col);
        char *w = room(b, 20);
        if (!w) return 0;
        if (!ld) *w++ = '\'';
        w = put_tod(w, us);
        if (!ld) *w++ = '\'';
        done_at(b, w);
        return 0;
    }
    case CV_T_TIMESTAMP:
    case CV_T_TIMESTAMP_TZ: {
        int64_t us = cv_col_i64(col, r), day = 86400000000LL;
        int64_t days = us / day, tod = us % day;
        if (tod < 0) tod += day, days--;
        if (kind == WC_FSP && us % P10[6 - chk->arg])
            return VALUE_ERROR(x, "the timestamp has more than the %u fractional digits column %s keeps", chk->arg,
                               chk->col);
        if (kind == WC_DATE_ONLY && tod)
            return VALUE_ERROR(x, "the timestamp has a time of day, which DATE column %s would drop", chk->col);
        char *w = room(b, 32);
        if (!w) return 0;
        char *start = w;
        if (!ld) *w++ = '\'';
        if (!(w = put_date(w, days))) {
            done_at(b, start);
            return VALUE_ERROR(x, "the timestamp is outside MySQL's years 0000 to 9999");
        }
        *w++ = ' ';
        w = put_tod(w, tod);
        if (!ld) *w++ = '\'';
        done_at(b, w);
        return 0;
    }
    case CV_T_ARRAY:
    case CV_T_MAP:
    case CV_T_ROW: {
        cv_buf *j = &x->c->json;
        cv_buf_reset(j);
        cv_value_format(col, r, CV_FMT_JSON, j);
        return put_text(x, j, ld, b, err);
    }
    default: return VALUE_ERROR(x, "culvert cannot write this type to MySQL");
    }
}

/* ---- target tables ------------------------------------------------------------------ */

/* What a value of type src needs to be stored unchanged in column tc. */
static wcheck check_for(const tcol *tc, const cv_type *src)
{
    wcheck w = {WC_NONE, 0, tc->name, NULL};
    cv_type_id id = src->id;
    bool real = id == CV_T_F32 || id == CV_T_F64, ts = id == CV_T_TIMESTAMP || id == CV_T_TIMESTAMP_TZ,
         number = id >= CV_T_BOOL && id <= CV_T_DECIMAL, temporal = id >= CV_T_DATE && id <= CV_T_TIMESTAMP_TZ;
    switch (tc->type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
        if (temporal) /* a date would be the number 20240102 */
            w.kind = WC_REFUSE, w.what = "integer";
        else if (real || (id == CV_T_DECIMAL && src->scale > 0))
            w.kind = WC_INTEGRAL;
        break;
    case MYSQL_TYPE_YEAR:
        if (number || id == CV_T_STRING)
            w.kind = WC_YEAR;
        else if (temporal)
            w.kind = WC_REFUSE, w.what = "YEAR";
        break;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
        if (temporal) {
            w.kind = WC_REFUSE, w.what = "DECIMAL";
            break;
        }
        if (real || (id == CV_T_DECIMAL && src->scale > tc->decimals)) w.kind = WC_SCALE;
        w.arg = (uint8_t)tc->decimals;
        break;
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
        if (temporal)
            w.kind = WC_REFUSE, w.what = tc->type == MYSQL_TYPE_FLOAT ? "FLOAT" : "DOUBLE";
        else if (number)
            w.kind = WC_REAL, w.arg = tc->type == MYSQL_TYPE_FLOAT ? 4 : 8;
        break;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
        /* a number would be read as yyyymmddhhmmss, a time of day as a date */
        if (number || id == CV_T_TIME)
            w.kind = WC_REFUSE, w.what = tc->type == MYSQL_TYPE_DATETIME ? "DATETIME" : "TIMESTAMP";
        else if (ts && tc->decimals < 6)
            w.kind = WC_FSP, w.arg = (uint8_t)tc->decimals;
        break;
    case MYSQL_TYPE_TIME:
        /* a number would be read as hhmmss, a date as hh:mm:ss */
        if (number || id == CV_T_DATE || ts)
            w.kind = WC_REFUSE, w.what = "TIME";
        else if (id == CV_T_TIME && tc->decimals < 6)
            w.kind = WC_FSP, w.arg = (uint8_t)tc->decimals;
        break;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE:
        if (number || id == CV_T_TIME)
            w.kind = WC_REFUSE, w.what = "DATE";
        else if (ts)
            w.kind = WC_DATE_ONLY;
        break;
    case MYSQL_TYPE_BIT:
        /* bytes are the bits; integers their value; anything else MySQL
         * would take as the bytes of its text */
        if (id == CV_T_BOOL || (number && !real && (id != CV_T_DECIMAL || src->scale == 0)))
            w.kind = WC_BIT;
        else if (id != CV_T_BYTES)
            w.kind = WC_REFUSE, w.what = "BIT";
        break;
    case MYSQL_TYPE_STRING:
    case MYSQL_TYPE_VAR_STRING:
    case MYSQL_TYPE_VARCHAR:
    case MYSQL_TYPE_TINY_BLOB:
    case MYSQL_TYPE_MEDIUM_BLOB:
    case MYSQL_TYPE_LONG_BLOB:
    case MYSQL_TYPE_BLOB:
    case MYSQL_TYPE_JSON:
        if ((tc->flags & (ENUM_FLAG | SET_FLAG)) && number) /* a number is an ENUM's index, a SET's bits */
            w.kind = WC_REFUSE, w.what = "ENUM/SET";
        else if (real)
            w.kind = WC_TEXT;
        break;
    default: break;
    }
    return w;
}

static const tcol *find_tcol(const tinfo *ti, const char *name, size_t n)
{
    for (uint32_t i = 0; i < ti->ncols; i++)
        if (strlen(ti->cols[i].name) == n && cv_strneq_nocase(ti->cols[i].name, name, n)) return &ti->cols[i];
    return NULL;
}

/* The columns of a table, as a zero-row SELECT shows them; cached per
 * connection and target (DDL through my_exec forgets them). */
static int table_info(jdbc_conn *c, const char *qualified, size_t qn, const jdbc_target *t, tinfo **out, cv_err *err)
{
    for (size_t i = 0; i < c->tables.n; i++) {
        tinfo *ti = c->tables.v[i];
        if (ti->target == t && strlen(ti->qualified) == qn && memcmp(ti->qualified, qualified, qn) == 0) {
            *out = ti;
            return 0;
        }
    }
    tinfo *ti = cv_calloc(1, sizeof *ti);
    if (!ti || !(ti->qualified = cv_strndup(qualified, qn)) || cv_vec_push(&c->tables, ti) < 0) {
        tinfo_free(ti);
        return jdbc_nomem(err);
    }
    ti->target = t;
    cv_buf sql;
    cv_buf_init(&sql);
    cv_buf_printf(&sql, "SELECT * FROM %s LIMIT 0", ti->qualified);
    MYSQL_RES *r = NULL;
    int rc = 0;
    if (sql.oom)
        rc = jdbc_nomem(err);
    else if (mysql_real_query(c->m, sql.data, sql.len) != 0 || !(r = mysql_store_result(c->m)))
        rc = jdbc__my_fail(c, sql.data, err);
    cv_buf_free(&sql);
    unsigned n = r ? mysql_num_fields(r) : 0;
    if (rc == 0 && !(ti->cols = cv_calloc(n + 1, sizeof *ti->cols))) rc = jdbc_nomem(err);
    for (unsigned i = 0; rc == 0 && i < n; i++) {
        const MYSQL_FIELD *f = mysql_fetch_field_direct(r, i);
        tcol *tc = &ti->cols[ti->ncols++];
        tc->type = f->type;
        tc->decimals = f->decimals;
        tc->flags = f->flags;
        if (!(tc->name = cv_strdup(f->name))) rc = jdbc_nomem(err);
    }
    if (r) mysql_free_result(r);
    *out = ti;
    return rc;
}

/* A bulk target: its columns' checks and the statements around the rows. */
static int target_info(jdbc_conn *c, const jdbc_target *t, tinfo **out, cv_err *err)
{
    tinfo *ti;
    CV_TRY(table_info(c, t->qualified, strlen(t->qualified), t, &ti, err));
    *out = ti;
    if (ti->chk) return 0;
    const cv_table *in = t->in;
    ti->chk = cv_calloc(in->ncols + 1, sizeof *ti->chk);
    if (!ti->chk) return jdbc_nomem(err);
    cv_buf sql, load;
    cv_buf_init(&sql);
    cv_buf_init(&load);
    cv_buf_printf(&sql, "INSERT INTO %s (", t->qualified);
    cv_buf_printf(&load,
                  "LOAD DATA LOCAL INFILE 'culvert-rows' INTO TABLE %s CHARACTER SET utf8mb4 "
                  "FIELDS TERMINATED BY X'09' ESCAPED BY X'5C' LINES TERMINATED BY X'0A' (",
                  t->qualified);
    cv_buf set;
    cv_buf_init(&set);
    for (uint32_t i = 0; i < in->ncols; i++) {
        const tcol *tc = find_tcol(ti, t->cols[i], strlen(t->cols[i]));
        ti->chk[i] = tc ? check_for(tc, in->cols[i].type) : (wcheck){WC_NONE, 0, t->cols[i]};
        cv_buf_puts(&sql, i ? ", " : "");
        jdbc_quote(&jdbc_mysql, t->cols[i], &sql);
        cv_buf_puts(&load, i ? ", " : "");
        if (ti->chk[i].kind == WC_BIT) {
            /* LOAD DATA stores a field's text in a BIT column as bytes */
            cv_buf_printf(&load, "@v%u", i);
            cv_buf_puts(&set, set.len ? ", " : " SET ");
            jdbc_quote(&jdbc_mysql, t->cols[i], &set);
            cv_buf_printf(&set, " = CAST(@v%u AS UNSIGNED)", i);
        } else {
            jdbc_quote(&jdbc_mysql, t->cols[i], &load);
        }
    }
    cv_buf_puts(&sql, ") VALUES ");
    cv_buf_putc(&load, ')');
    if (set.len) cv_buf_puts(&load, set.data);
    ti->insert_head = sql.oom ? NULL : cv_strdup(sql.data);
    ti->load_sql = load.oom ? NULL : cv_strdup(load.data);
    cv_buf_reset(&sql);
    cv_buf_free(&set);
    cv_buf_free(&load);
    int rc = ti->insert_head && ti->load_sql ? 0 : jdbc_nomem(err);
    if (rc == 0 && t->nkey) {
        /* the upsert_clause over the target's key and other columns */
        const char **names = cv_calloc(in->ncols + 1, sizeof *names);
        cv_buf q;
        cv_buf_init(&q);
        for (uint32_t i = 0; names && i < in->ncols; i++) {
            jdbc_quote(&jdbc_mysql, t->cols[i], &q);
            cv_buf_putc(&q, '\0');
        }
        const char *at = q.data;
        for (uint32_t i = 0; names && !q.oom && i < in->ncols; i++) {
            names[i] = at;
            at += strlen(at) + 1;
        }
        const char **keys = cv_calloc(t->nkey + 1, sizeof *keys), **others = cv_calloc(t->nother + 1, sizeof *others);
        if (names && keys && others && !q.oom) {
            for (uint32_t k = 0; k < t->nkey; k++) keys[k] = names[t->key[k]];
            for (uint32_t k = 0; k < t->nother; k++) others[k] = names[t->other[k]];
            my_upsert_clause(&sql, keys, t->nkey, others, t->nother);
            ti->upsert_tail = sql.oom ? NULL : cv_strdup(sql.data);
        }
        if (!ti->upsert_tail) rc = jdbc_nomem(err);
        cv_free(names);
        cv_free(keys);
        cv_free(others);
        cv_buf_free(&q);
    }
    cv_buf_free(&sql);
    return rc;
}

/* Warnings of the statement just run: MySQL changed or skipped a value
 * (LOAD DATA LOCAL turns every data error into one). The first becomes
 * the error; duplicate keys set *dup instead when dup is given. rows maps
 * the statement's "row N" to the batch. */
static int check_warnings(jdbc_conn *c, const char *what, const uint32_t *rows, uint32_t n, bool *dup, cv_err *err)
{
    if (mysql_query(c->m, "SHOW WARNINGS") != 0) return jdbc__my_fail(c, "SHOW WARNINGS", err);
    MYSQL_RES *r = mysql_store_result(c->m);
    if (!r) return jdbc__my_fail(c, "SHOW WARNINGS", err);
    MYSQL_ROW row;
    int rc = 0;
    while (rc == 0 && (row = mysql_fetch_row(r)) != NULL) {
        int64_t code = 0;
        if (!row[1] || !jdbc__my_parse_i64(row[1], strlen(row[1]), &code)) code = 0;
        if (code == ER_WARN_DEPRECATED_SYNTAX || code == ER_BINLOG_UNSAFE_STATEMENT) continue;
        if (code == ER_DUP_ENTRY && dup) {
            /* the first one names the key */
            if (!*dup)
                cv_err_set(err, CV_EDATA, "MySQL: %s: %s (warning %lld)", what, row[2] ? row[2] : "", (long long)code);
            *dup = true;
            continue;
        }
        const char *msg = row[2] ? row[2] : "", *at = strstr(msg, "row ");
        if (!at) at = strstr(msg, "Row ");
        int64_t k = 0;
        char where[64] = "";
        if (at && jdbc__my_parse_i64(at + 4, strspn(at + 4, "0123456789"), &k) && k >= 1 && (uint64_t)k <= n)
            snprintf(where, sizeof where, " (row %u of the batch)", rows[k - 1] + 1);
        rc = cv_err_set(err, CV_EDATA,
                        "MySQL: %s: %s%s (warning %lld): the server would have changed or skipped a value, which "
                        "culvert does not allow",
                        what, msg, where, (long long)code);
    }
    mysql_free_result(r);
    return rc;
}

/* How long one statement may be: under max_allowed_packet, and short
 * enough that the server works while the next one is built. */
static size_t statement_limit(const jdbc_conn *c)
{
    int64_t lim = c->max_packet - 4096;
    return (size_t)CV_MAX(CV_MIN(lim, (int64_t)MAX_STATEMENT), 4096);
}

/* ---- statements with ? parameters ----------------------------------------------------- */

/* Tokens of a statement: enough to find its placeholders, its table and
 * which column each placeholder writes. kind: 'w' word, 'q' `name`,
 * 's' string, '?' placeholder, else the punctuation character. */
typedef struct tok {
    uint32_t at, len;
    char kind;
    uint16_t depth;
} tok;
typedef CV_VEC(tok) tokvec;

/* 0, or -1 for an unterminated quote or comment. */
static int tokenize(const char *sql, bool backslash, tokvec *out)
{
    const char *p = sql;
    uint16_t depth = 0;
    while (*p) {
        const char *s = p;
        char ch = *p, kind = ch;
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f') {
            p++;
            continue;
        }
        if (ch == '#' || (ch == '-' && p[1] == '-' && (p[2] == ' ' || p[2] == '\t' || p[2] == '\n' || !p[2]))) {
            p += strcspn(p, "\n");
            continue;
        }
        if (ch == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            if (!e) return -1;
            p = e + 2;
            continue;
        }
        if (ch == '\'' || ch == '"' || ch == '`') {
            p++;
            for (;;) {
                if (!*p) return -1;
                if (*p == '\\' && backslash && ch != '`' && p[1]) {
                    p += 2;
                } else if (*p == ch) {
                    p++;
                    if (*p != ch) break;
                    p++;
                } else {
                    p++;
                }
            }
            kind = ch == '`' ? 'q' : 's';
        } else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                   ch == '$' || (unsigned char)ch >= 0x80) {
            while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
                   *p == '$' || (unsigned char)*p >= 0x80)
                p++;
            kind = 'w';
        } else {
            p++;
            if (ch == ')' && depth) depth--;
        }
        tok t = {(uint32_t)(s - sql), (uint32_t)(p - s), kind, depth};
        if (cv_vec_push(out, t) < 0) return CV_ENOMEM;
        if (ch == '(') depth++;
    }
    return 0;
}

static bool tok_is(const char *sql, const tok *t, const char *word)
{
    return t->kind == 'w' && strlen(word) == t->len && cv_strneq_nocase(sql + t->at, word, t->len);
}

/* A column or table name: a word or a `quoted` name. */
static bool tok_name(const tok *t) { return t->kind == 'w' || t->kind == 'q'; }

/* What prepare learns from the text: the table written, and for each
 * placeholder the column it is stored in (a name token, or -1). */
typedef struct shape {
    uint32_t table_at, table_len; /* 0 length: not known */
    int32_t *name;                /* per placeholder: token index of its column, or -1 */
    int32_t *pos;                 /* per placeholder: position in a VALUES list without columns, or -1 */
} shape;

/* [db.]table at tokens i…; the index after it, or -1. */
static int table_at(const tok *v, size_t n, size_t i, shape *sh)
{
    if (i >= n || !tok_name(&v[i])) return -1;
    size_t e = i;
    if (e + 2 < n && v[e + 1].kind == '.' && tok_name(&v[e + 2])) e += 2;
    sh->table_at = v[i].at;
    sh->table_len = v[e].at + v[e].len - v[i].at;
    return (int)e + 1;
}

/* INSERT/REPLACE … [(cols)] VALUES (…): the row group, and which column
 * each placeholder of the group fills. */
static void shape_insert(jdbc_stmt *s, const tok *v, size_t n, shape *sh)
{
    const char *sql = s->sql;
    size_t i = 1;
    while (i < n && (tok_is(sql, &v[i], "LOW_PRIORITY") || tok_is(sql, &v[i], "DELAYED") ||
                     tok_is(sql, &v[i], "HIGH_PRIORITY") || tok_is(sql, &v[i], "IGNORE") || tok_is(sql, &v[i], "INTO")))
        i++;
    int e = table_at(v, n, i, sh);
    if (e < 0) return;
    i = (size_t)e;
    size_t cols = 0, ncols = 0;
    if (i < n && v[i].kind == '(') {
        cols = i + 1;
        while (i < n && !(v[i].kind == ')' && v[i].depth == v[cols - 1].depth)) i++;
        ncols = (i - cols + 1) / 2;
        i++;
    }
    if (i + 1 >= n || !(tok_is(sql, &v[i], "VALUES") || tok_is(sql, &v[i], "VALUE")) || v[i + 1].kind != '(') return;
    size_t open = i + 1, close = open + 1;
    while (close < n && !(v[close].kind == ')' && v[close].depth == v[open].depth)) close++;
    if (close >= n) return;
    /* the group's elements, split at its own commas */
    uint32_t k = 0, ph = 0, elem = 0;
    size_t start = open + 1;
    for (size_t j = 0; j < n && v[j].at < v[open].at; j++) ph += v[j].kind == '?';
    for (size_t j = open + 1; j <= close; j++) {
        bool end = j == close || (v[j].kind == ',' && v[j].depth == v[open].depth + 1);
        if (!end) continue;
        if (j == start + 1 && v[start].kind == '?') {
            k = ph;
            if (cols && elem < ncols && tok_name(&v[cols + 2 * elem]))
                sh->name[k] = (int32_t)(cols + 2 * elem);
            else if (!cols)
                sh->pos[k] = (int32_t)elem;
        }
        for (size_t t = start; t < j; t++) ph += v[t].kind == '?';
        elem++;
        start = j + 1;
    }
    /* one row group, nothing after it but placeholder-free clauses */
    bool multirow = true;
    for (size_t j = close + 1; j < n; j++)
        if (v[j].kind == '?' || v[j].kind == ';' || (v[j].kind == ',' && j == close + 1)) multirow = false;
    for (size_t j = 0; j < open; j++)
        if (v[j].kind == '?') multirow = false;
    if (multirow) {
        s->multirow = true;
        s->group = v[open].at;
        s->group_end = v[close].at + 1;
    }
}

/* `col` = ? outside a WHERE: the placeholder is stored in col. */
static void shape_assignments(const char *sql, const tok *v, size_t n, shape *sh)
{
    uint32_t ph = 0;
    for (size_t j = 0; j < n; j++) {
        if (tok_is(sql, &v[j], "WHERE") && v[j].depth == 0) return;
        if (v[j].kind != '?') continue;
        if (j >= 2 && v[j - 1].kind == '=' && tok_name(&v[j - 2]) && sh->name[ph] < 0 && sh->pos[ph] < 0)
            sh->name[ph] = (int32_t)(j - 2);
        ph++;
    }
}

/* A column name token → the name (backquotes removed). */
static void tok_text(const char *sql, const tok *t, char *buf, size_t cap)
{
    if (t->kind != 'q') {
        snprintf(buf, cap, "%.*s", (int)t->len, sql + t->at);
        return;
    }
    size_t k = 0;
    for (uint32_t i = 1; i + 1 < t->len && k + 1 < cap; i++) {
        buf[k++] = sql[t->at + i];
        if (sql[t->at + i] == '`') i++;
    }
    buf[k] = '\0';
}

/* Checks for each placeholder whose target column the text shows. */
static int stmt_checks(jdbc_stmt *s, const tok *v, const shape *sh, cv_err *err)
{
    s->chk = cv_calloc(s->nph + 1, sizeof *s->chk);
    if (!s->chk) return jdbc_nomem(err);
    if (!sh->table_len) return 0;
    tinfo *ti;
    cv_err e;
    cv_err_clear(&e);
    if (table_info(s->c, s->sql + sh->table_at, sh->table_len, NULL, &ti, &e) < 0) {
        cv_debug("Jdbc: values are not checked against the target's columns: %s", e.msg);
        return e.code == CV_ENOMEM ? jdbc_nomem(err) : 0;
    }
    for (uint32_t k = 0; k < s->nph && k < s->ncols; k++) {
        const tcol *tc = NULL;
        if (sh->name[k] >= 0) {
            char name[200];
            tok_text(s->sql, &v[sh->name[k]], name, sizeof name);
            tc = find_tcol(ti, name, strlen(name));
        } else if (sh->pos[k] >= 0 && (uint32_t)sh->pos[k] < ti->ncols) {
            tc = &ti->cols[sh->pos[k]];
        }
        if (tc) s->chk[k] = check_for(tc, s->t->cols[s->cols[k]].type);
    }
    return 0;
}

static void my_finalize(jdbc_stmt *s)
{
    if (!s) return;
    cv_free(s->cols);
    cv_free(s->sql);
    cv_free(s->ph);
    cv_free(s->chk);
    cv_buf_free(&s->text);
    cv_free(s);
}

/* The server checks the statement (a missing table or column fails here,
 * before any row); culvert then finds its placeholders and its shape. */
static int analyse(jdbc_stmt *s, cv_err *err)
{
    jdbc_conn *c = s->c;
    char what[240];
    MYSQL_STMT *st = mysql_stmt_init(c->m);
    if (!st) return jdbc_nomem(err);
    if (mysql_stmt_prepare(st, s->sql, strlen(s->sql)) != 0) {
        int rc = jdbc__my_stmt_fail(c, st, jdbc__my_sql_what(s->sql, what, sizeof what), err);
        mysql_stmt_close(st);
        return rc;
    }
    unsigned long server_count = mysql_stmt_param_count(st);
    mysql_stmt_close(st);
    tokvec v = {0};
    int rc = tokenize(s->sql, !(c->m->server_status & SERVER_STATUS_NO_BACKSLASH_ESCAPES), &v);
    if (rc == CV_ENOMEM) {
        cv_vec_free(&v);
        return jdbc_nomem(err);
    }
    uint32_t n = 0;
    for (size_t i = 0; rc == 0 && i < v.n; i++) n += v.v[i].kind == '?';
    if (rc < 0 || n != server_count) {
        cv_vec_free(&v);
        return cv_err_set(err, CV_EUNSUPPORTED,
                          "MySQL: %s: culvert cannot place the statement's parameters (the server counts %lu, culvert "
                          "%u)",
                          jdbc__my_sql_what(s->sql, what, sizeof what), server_count, n);
    }
    s->nph = n;
    s->ph = cv_calloc(n + 1, sizeof *s->ph);
    shape sh = {0, 0, cv_calloc(n + 1, sizeof *sh.name), cv_calloc(n + 1, sizeof *sh.pos)};
    if (!s->ph || !sh.name || !sh.pos) rc = jdbc_nomem(err);
    for (size_t i = 0, k = 0; rc == 0 && i < v.n; i++)
        if (v.v[i].kind == '?') s->ph[k++] = v.v[i].at;
    for (uint32_t k = 0; rc == 0 && k < n; k++) sh.name[k] = sh.pos[k] = -1;
    if (rc == 0 && v.n) {
        if (tok_is(s->sql, &v.v[0], "INSERT") || tok_is(s->sql, &v.v[0], "REPLACE")) {
            shape_insert(s, v.v, v.n, &sh);
        } else if (tok_is(s->sql, &v.v[0], "UPDATE")) {
            size_t i = 1;
            while (i < v.n && (tok_is(s->sql, &v.v[i], "LOW_PRIORITY") || tok_is(s->sql, &v.v[i], "IGNORE"))) i++;
            table_at(v.v, v.n, i, &sh);
        }
        shape_assignments(s->sql, v.v, v.n, &sh);
        for (size_t i = 0; i + 1 < v.n; i++)
            s->upsert |= v.v[i].depth == 0 && tok_is(s->sql, &v.v[i], "ON") && tok_is(s->sql, &v.v[i + 1], "DUPLICATE");
        rc = stmt_checks(s, v.v, &sh, err);
    }
    cv_free(sh.name);
    cv_free(sh.pos);
    cv_vec_free(&v);
    return rc;
}

static int my_prepare(jdbc_conn *c, const char *sql, const cv_table *t, const uint32_t *cols, uint32_t ncols,
                      jdbc_stmt **out, cv_err *err)
{
    jdbc_stmt *s = cv_calloc(1, sizeof *s);
    if (!s) return jdbc_nomem(err);
    s->c = c;
    s->t = t;
    s->ncols = ncols;
    cv_buf_init(&s->text);
    s->cols = cv_malloc((ncols ? ncols : 1) * sizeof *s->cols);
    s->sql = cv_strdup(sql);
    int rc = s->cols && s->sql ? 0 : jdbc_nomem(err);
    if (rc == 0 && ncols) memcpy(s->cols, cols, ncols * sizeof *cols);
    /* a trailing ';' would make every batched copy an empty statement */
    for (size_t n = rc == 0 ? strlen(s->sql) : 0; n && strchr(" \t\r\n;", s->sql[n - 1]); n--) s->sql[n - 1] = '\0';
    if (rc == 0) rc = analyse(s, err);
    if (rc < 0) {
        my_finalize(s);
        return rc;
    }
    *out = s;
    return 0;
}

static int my_param_count(const jdbc_stmt *s) { return (int)s->nph; }

/* sql[from..to) with its placeholders replaced by row r's values. */
static int put_row(jdbc_stmt *s, const cv_batch *b, uint32_t r, uint32_t from, uint32_t to, cv_buf *q, cv_err *err)
{
    wctx x = {s->c, s->t->full_name, NULL, r};
    uint32_t at = from;
    for (uint32_t k = 0; k < s->nph; k++) {
        uint32_t p = s->ph[k];
        if (p < from || p >= to) continue;
        cv_buf_put(q, s->sql + at, p - at);
        x.col = s->t->cols[s->cols[k]].name;
        CV_TRY(put_value(&x, &b->cols[s->cols[k]], r, &s->chk[k], false, q, err));
        at = p + 1;
    }
    cv_buf_put(q, s->sql + at, to - at);
    return q->oom ? jdbc_nomem(err) : 0;
}

static int rows_fail(jdbc_stmt *s, const cv_batch *b, const uint32_t *rows, uint32_t n, cv_err *err)
{
    char what[200];
    if (n == 1)
        snprintf(what, sizeof what, "writing row %u of a batch of %s (%s)", rows[0] + 1, s->t->full_name,
                 cv_row_kind_short((cv_row_kind)b->kinds[rows[0]]));
    else
        snprintf(what, sizeof what, "writing %u rows of a batch of %s (rows %u to %u)", n, s->t->full_name, rows[0] + 1,
                 rows[n - 1] + 1);
    return jdbc__my_fail(s->c, what, err);
}

static int rows_warned(jdbc_stmt *s, const uint32_t *rows, uint32_t n, cv_err *err)
{
    char what[200];
    snprintf(what, sizeof what, "writing %s", s->t->full_name);
    return check_warnings(s->c, what, rows, n, NULL, err);
}

/* One INSERT with a row group per row, per statement_limit bytes. */
static int exec_multirow(jdbc_stmt *s, const cv_batch *b, const uint32_t *rows, uint32_t n, cv_err *err)
{
    cv_buf *q = &s->text;
    size_t limit = statement_limit(s->c), tail = strlen(s->sql + s->group_end);
    uint32_t i = 0;
    while (i < n) {
        uint32_t from = i;
        cv_buf_reset(q);
        cv_buf_put(q, s->sql, s->group);
        for (; i < n; i++) {
            size_t mark = q->len;
            if (i > from) cv_buf_putc(q, ',');
            CV_TRY(put_row(s, b, rows[i], s->group, s->group_end, q, err));
            if (q->len + tail > limit && i > from) {
                q->len = mark;
                break;
            }
        }
        cv_buf_puts(q, s->sql + s->group_end);
        if (q->oom) return jdbc_nomem(err);
        s->c->ack_upsert = s->upsert;
        if (mysql_real_query(s->c->m, q->data, q->len) != 0 || drain(s->c, NULL, NULL))
            return rows_fail(s, b, rows + from, i - from, err);
        if (mysql_warning_count(s->c->m)) CV_TRY(rows_warned(s, rows + from, i - from, err));
        s->c->acked += s->c->drained;
    }
    return 0;
}

/* Any other statement: one per row, sent together as a multi-statement. */
static int exec_multistmt(jdbc_stmt *s, const cv_batch *b, const uint32_t *rows, uint32_t n, cv_err *err)
{
    cv_buf *q = &s->text;
    size_t limit = statement_limit(s->c);
    uint32_t len = (uint32_t)strlen(s->sql), i = 0;
    while (i < n) {
        uint32_t from = i;
        cv_buf_reset(q);
        for (; i < n; i++) {
            size_t mark = q->len;
            if (i > from) cv_buf_putc(q, ';');
            CV_TRY(put_row(s, b, rows[i], 0, len, q, err));
            if (q->len > limit && i > from) {
                q->len = mark;
                break;
            }
        }
        if (q->oom) return jdbc_nomem(err);
        uint32_t nok = 0;
        int64_t warned;
        s->c->ack_upsert = s->upsert;
        if (mysql_real_query(s->c->m, q->data, q->len) != 0) return rows_fail(s, b, rows + from, 1, err);
        if (drain(s->c, &nok, &warned)) return rows_fail(s, b, rows + from + nok, 1, err);
        if (warned >= 0 && warned + 1 == (int64_t)(i - from)) {
            CV_TRY(rows_warned(s, rows + from + warned, 1, err));
        } else if (warned >= 0) {
            return cv_err_set(err, CV_EDATA,
                              "MySQL: writing row %u of a batch of %s: the server warned that it changed or skipped "
                              "a value, which culvert does not allow",
                              rows[from + (uint32_t)warned] + 1, s->t->full_name);
        }
        s->c->acked += s->c->drained;
    }
    return 0;
}

static int my_exec_rows(jdbc_stmt *s, const cv_batch *b, const uint32_t *rows, uint32_t n, cv_err *err)
{
    if (s->nph > s->ncols)
        return cv_err_set(err, CV_EINTERNAL, "MySQL: the statement has %u parameters for %u columns", s->nph, s->ncols);
    if (n == 0) return 0;
    return s->multirow ? exec_multirow(s, b, rows, n, err) : exec_multistmt(s, b, rows, n, err);
}

static uint64_t my_take_acked(jdbc_conn *c)
{
    uint64_t n = c->acked;
    c->acked = 0;
    return n;
}

static int my_exists_row(jdbc_stmt *s, const cv_batch *b, uint32_t row, bool *found, cv_err *err)
{
    cv_buf *q = &s->text;
    cv_buf_reset(q);
    *found = false;
    CV_TRY(put_row(s, b, row, 0, (uint32_t)strlen(s->sql), q, err));
    if (mysql_real_query(s->c->m, q->data, q->len) != 0) return rows_fail(s, b, &row, 1, err);
    MYSQL_RES *r = mysql_store_result(s->c->m);
    if (!r) return rows_fail(s, b, &row, 1, err);
    *found = mysql_num_rows(r) > 0;
    mysql_free_result(r);
    return drain_rest(s->c) ? rows_fail(s, b, &row, 1, err) : 0;
}

/* ---- bulk writes ---------------------------------------------------------------------- */

/* LOAD DATA LOCAL reads "the file" through these, from memory. */
struct ld_state {
    const char *p;
    size_t n, at;
};

static int ld_init(void **ptr, const char *file, void *conn)
{
    (void)file;
    jdbc_conn *c = conn;
    *ptr = c->ld;
    /* a server asking for a file outside a bulk write gets none */
    return c->ld ? 0 : 1;
}

static int ld_read(void *ptr, char *buf, unsigned int n)
{
    ld_state *s = ptr;
    size_t k = CV_MIN((size_t)n, s->n - s->at);
    memcpy(buf, s->p + s->at, k);
    s->at += k;
    return (int)k;
}

static void ld_end(void *ptr) { (void)ptr; }

static int ld_error(void *ptr, char *msg, unsigned int n)
{
    snprintf(msg, n, "%s", ptr ? "culvert could not send the rows" : "culvert sends no files but its own rows");
    return CR_UNKNOWN_ERROR;
}

/* Rows rows[0..n) of b as text: LOAD DATA fields (ld) or row groups. */
static int rows_text(jdbc_conn *c, const tinfo *ti, const cv_batch *b, const uint32_t *rows, uint32_t n, bool ld,
                     cv_buf *q, cv_err *err)
{
    const jdbc_target *t = ti->target;
    wctx x = {c, t->display, NULL, 0};
    for (uint32_t i = 0; i < n; i++) {
        x.row = rows[i];
        if (!ld) cv_buf_putc(q, '(');
        for (uint32_t k = 0; k < t->in->ncols; k++) {
            if (k) cv_buf_putc(q, ld ? '\t' : ',');
            x.col = t->in->cols[k].name;
            CV_TRY(put_value(&x, &b->cols[k], rows[i], &ti->chk[k], ld, q, err));
        }
        cv_buf_putc(q, ld ? '\n' : ')');
    }
    return q->oom ? jdbc_nomem(err) : 0;
}

static int bulk_fail(jdbc_conn *c, const jdbc_target *t, const uint32_t *rows, uint32_t n, cv_err *err)
{
    char what[200];
    snprintf(what, sizeof what, "writing %u rows of a batch to %s (rows %u to %u)", n, t->display, rows[0] + 1,
             rows[n - 1] + 1);
    return jdbc__my_fail(c, what, err);
}

static int bulk_warned(jdbc_conn *c, const jdbc_target *t, const uint32_t *rows, uint32_t n, bool *dup, cv_err *err)
{
    char what[200];
    snprintf(what, sizeof what, "writing to %s", t->display);
    return check_warnings(c, what, rows, n, dup, err);
}

/* Multi-row INSERT [… ON DUPLICATE KEY UPDATE], statement_limit bytes at
 * a time. */
static int bulk_insert(jdbc_conn *c, const tinfo *ti, bool upsert, const cv_batch *b, const uint32_t *rows, uint32_t n,
                       cv_err *err)
{
    const jdbc_target *t = ti->target;
    const char *tail = upsert ? ti->upsert_tail : "";
    size_t limit = statement_limit(c), tail_len = strlen(tail);
    cv_buf *q = &c->text;
    uint32_t i = 0;
    while (i < n) {
        uint32_t from = i;
        cv_buf_reset(q);
        cv_buf_puts(q, ti->insert_head);
        for (; i < n; i++) {
            size_t mark = q->len;
            if (i > from) cv_buf_putc(q, ',');
            CV_TRY(rows_text(c, ti, b, rows + i, 1, false, q, err));
            if (q->len + tail_len > limit && i > from) {
                q->len = mark;
                break;
            }
        }
        cv_buf_puts(q, tail);
        if (q->oom) return jdbc_nomem(err);
        c->ack_upsert = upsert;
        if (mysql_real_query(c->m, q->data, q->len) != 0 || drain(c, NULL, NULL)) {
            bool dup = !upsert && mysql_errno(c->m) == ER_DUP_ENTRY;
            int rc = bulk_fail(c, t, rows + from, i - from, err);
            return dup ? JDBC_BULK_CONFLICT : rc;
        }
        if (mysql_warning_count(c->m)) CV_TRY(bulk_warned(c, t, rows + from, i - from, NULL, err));
        c->acked += c->drained;
    }
    return 0;
}

enum { LD_REFUSED = 3 }; /* beside JDBC_BULK_DECLINED and JDBC_BULK_CONFLICT */

/* LOAD DATA LOCAL INFILE from memory. LD_REFUSED when the server does not allow
 * it (then the caller inserts). LOCAL makes the server skip rows with
 * duplicate keys and store what it can of bad values, with warnings: a
 * duplicate is a JDBC_BULK_CONFLICT, anything else fails the write. */
static int load_data(jdbc_conn *c, const tinfo *ti, const cv_batch *b, const uint32_t *rows, uint32_t n, cv_err *err)
{
    const jdbc_target *t = ti->target;
    cv_buf *q = &c->text;
    cv_buf_reset(q);
    CV_TRY(rows_text(c, ti, b, rows, n, true, q, err));
    ld_state st = {q->data ? q->data : "", q->len, 0};
    c->ld = &st;
    c->ack_upsert = false;
    int rc = mysql_real_query(c->m, ti->load_sql, strlen(ti->load_sql)) != 0 || drain(c, NULL, NULL);
    c->ld = NULL;
    if (rc) {
        unsigned e = mysql_errno(c->m);
        if (e == ER_NOT_ALLOWED_COMMAND || e == 4166 /* MariaDB 10.5+: local infile disabled */ ||
            e == 3948 /* MySQL 8: local_infile off */ || e == 2068 /* CR_LOAD_DATA_LOCAL_INFILE_REJECTED */) {
            cv_info("Jdbc: %s does not allow LOAD DATA LOCAL (%s); culvert writes with multi-row INSERTs instead",
                    c->where, mysql_error(c->m));
            c->no_local_infile = true;
            return LD_REFUSED;
        }
        return bulk_fail(c, t, rows, n, err);
    }
    bool dup = false;
    uint64_t loaded = c->drained; /* before SHOW WARNINGS */
    if (mysql_warning_count(c->m)) CV_TRY(bulk_warned(c, t, rows, n, &dup, err));
    if (!dup) c->acked += loaded;
    return dup ? JDBC_BULK_CONFLICT : 0;
}

static int bulk_part(jdbc_conn *c, tinfo *ti, int op, const cv_batch *b, const uint32_t *rows, uint32_t n, cv_err *err)
{
    if (n == 0) return 0;
    /* LOAD DATA has REPLACE, not an upsert: REPLACE deletes the old row,
     * firing ON DELETE cascades; upserts go by INSERT … ON DUPLICATE KEY */
    if (op == JDBC_BULK_INSERT && c->p.bulk == BULK_LOAD_DATA && !c->no_local_infile) {
        int rc = load_data(c, ti, b, rows, n, err);
        if (rc != LD_REFUSED) return rc;
    }
    return bulk_insert(c, ti, op == JDBC_BULK_UPSERT, b, rows, n, err);
}

/* One statement per part: MySQL's statements are cheap next to its
 * inserts, unlike a PostgreSQL COPY's start. */
static int my_bulk(jdbc_conn *c, const jdbc_target *t, int op, const jdbc_rows *parts, uint32_t nparts, cv_err *err)
{
    if (op == JDBC_BULK_UPSERT && !t->nkey) return JDBC_BULK_DECLINED;
    tinfo *ti;
    CV_TRY(target_info(c, t, &ti, err));
    for (uint32_t i = 0; i < nparts; i++) {
        int rc = bulk_part(c, ti, op, parts[i].b, parts[i].rows, parts[i].n, err);
        if (rc != 0) return rc;
    }
    return 0;
}
/* ---- two-phase commit ------------------------------------------------------------------- */

/* Whether XA RECOVER lists gid. */
static int xa_listed(jdbc_conn *c, const char *gid, bool *listed, cv_err *err)
{
    *listed = false;
    if (mysql_query(c->m, "XA RECOVER") != 0) return jdbc__my_fail(c, "XA RECOVER", err);
    MYSQL_RES *r = mysql_store_result(c->m);
    if (!r) return jdbc__my_fail(c, "XA RECOVER", err);
    MYSQL_ROW row;
    size_t n = strlen(gid);
    while (!*listed && (row = mysql_fetch_row(r)) != NULL) {
        unsigned long *len = mysql_fetch_lengths(r);
        *listed = row[1] && row[3] && strtoul(row[1], NULL, 10) == n && len[3] >= n && memcmp(row[3], gid, n) == 0;
    }
    mysql_free_result(r);
    return 0;
}

/* "<verb> 'gid'[; <then> 'gid']" */
static int xa_run(jdbc_conn *c, const char *verb, const char *then, const char *gid, bool nota_ok, cv_err *err)
{
    size_t n = strlen(gid);
    if (n == 0 || n > 64 || strspn(gid, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != n)
        return cv_err_set(err, CV_EINVAL, "MySQL: \"%s\" is not a transaction id culvert makes", gid);
    char sql[160];
    int k = snprintf(sql, sizeof sql, "%s '%s'", verb, gid);
    if (then) snprintf(sql + k, sizeof sql - (size_t)k, "; %s '%s'", then, gid);
    if (mysql_real_query(c->m, sql, strlen(sql)) == 0 && !drain(c, NULL, NULL)) return 0;
    if (!nota_ok || mysql_errno(c->m) != ER_XAER_NOTA) return jdbc__my_fail(c, sql, err);
    /* XAER_NOTA: finished already, unless another connection that is
     * still open holds it prepared (MariaDB lets others finish it only
     * once that one has gone) */
    bool pending;
    CV_TRY(xa_listed(c, gid, &pending, err));
    if (!pending) return 0;
    return cv_err_set(err, CV_ERETRY,
                      "MySQL: %s: the transaction is prepared but still held by the connection that prepared it; it "
                      "can be finished there, or here once that connection has closed",
                      sql);
}

static int my_xa_begin(jdbc_conn *c, const char *gid, cv_err *err)
{
    return xa_run(c, "XA START", NULL, gid, false, err);
}

static int my_xa_prepare(jdbc_conn *c, const char *gid, cv_err *err)
{
    return xa_run(c, "XA END", "XA PREPARE", gid, false, err);
}

static int my_xa_commit(jdbc_conn *c, const char *gid, cv_err *err)
{
    return xa_run(c, "XA COMMIT", NULL, gid, true, err);
}

static int my_xa_rollback(jdbc_conn *c, const char *gid, cv_err *err)
{
    cv_err e;
    cv_err_clear(&e);
    int rc = xa_run(c, "XA ROLLBACK", NULL, gid, true, &e);
    /* still open on this connection (ACTIVE): end it first */
    if (rc < 0 && mysql_errno(c->m) == ER_XAER_RMFAIL && xa_run(c, "XA END", NULL, gid, false, &e) == 0) {
        cv_err_clear(&e);
        rc = xa_run(c, "XA ROLLBACK", NULL, gid, true, &e);
    }
    if (rc < 0) cv_err_move(err, &e);
    return rc;
}

static int my_xa_pending(jdbc_conn *c, const char *prefix, cv_arena *a, const char ***gids, uint32_t *n, cv_err *err)
{
    *gids = NULL;
    *n = 0;
    if (mysql_query(c->m, "XA RECOVER") != 0) return jdbc__my_fail(c, "XA RECOVER", err);
    MYSQL_RES *r = mysql_store_result(c->m);
    if (!r) return jdbc__my_fail(c, "XA RECOVER", err);
    size_t np = strlen(prefix);
    const char **v = cv_arena_alloc(a, (mysql_num_rows(r) + 1) * sizeof *v);
    int rc = v ? 0 : jdbc_nomem(err);
    MYSQL_ROW row;
    /* formatID, gtrid_length, bqual_length, data (gtrid then bqual) */
    while (rc == 0 && (row = mysql_fetch_row(r)) != NULL) {
        unsigned long *len = mysql_fetch_lengths(r);
        int64_t gl;
        if (!row[1] || !row[3] || !jdbc__my_parse_i64(row[1], len[1], &gl) || gl < 0 || (uint64_t)gl > len[3]) continue;
        if ((size_t)gl < np || memcmp(row[3], prefix, np) != 0) continue;
        if (!(v[*n] = cv_arena_strndup(a, row[3], (size_t)gl))) rc = jdbc_nomem(err);
        (*n)++;
    }
    mysql_free_result(r);
    if (rc == 0) *gids = v;
    return rc;
}

/* Run liveness: a named lock, held by this session until it closes. */
static int my_run_lock(jdbc_conn *c, const char *name, cv_err *err)
{
    cv_buf sql;
    cv_buf_init(&sql);
    cv_buf_puts(&sql, "SELECT GET_LOCK(");
    put_literal(c, name, strlen(name), &sql);
    cv_buf_puts(&sql, ", 0)");
    int64_t got = 0;
    bool null = true;
    int rc = sql.oom ? jdbc_nomem(err) : my_query_i64(c, sql.data, &got, &null, err);
    cv_buf_free(&sql);
    if (rc == 0 && (null || got != 1))
        rc = cv_err_set(err, CV_EIO, "MySQL: the lock %s is held by another session", name);
    return rc;
}

static int my_run_alive(jdbc_conn *c, const char *name, bool *alive, cv_err *err)
{
    cv_buf sql;
    cv_buf_init(&sql);
    cv_buf_puts(&sql, "SELECT IS_USED_LOCK(");
    put_literal(c, name, strlen(name), &sql);
    cv_buf_putc(&sql, ')');
    int64_t owner = 0;
    bool null = true;
    int rc = sql.oom ? jdbc_nomem(err) : my_query_i64(c, sql.data, &owner, &null, err);
    cv_buf_free(&sql);
    *alive = !null; /* the id of the session that holds it, or NULL */
    return rc;
}

const jdbc_dialect jdbc_mysql = {
    .name = "MySQL",
    .begin_sql = "START TRANSACTION",
    .quote = "`",
    .one_writer = false,
    .schema_qualifies = true,
    .has_truncate = true,
    .index_in_schema = false,
    .create_schema = "CREATE DATABASE IF NOT EXISTS ",
    .schema_is_database = true,
    .key_string_length = 255, /* 1020 bytes of utf8mb4, under InnoDB's 3072-byte key limit */
    .connect = my_connect,
    .disconnect = my_disconnect,
    .share_key = my_share_key,
    .describe_target = my_describe_target,
    .ephemeral = my_ephemeral,
    .ddl_type = my_ddl_type,
    .upsert_clause = my_upsert_clause,
    .commit = my_commit,
    .exec = my_exec,
    .query_i64 = my_query_i64,
    .table_keys = my_table_keys,
    .prepare = my_prepare,
    .param_count = my_param_count,
    .exec_rows = my_exec_rows,
    .take_acked = my_take_acked,
    .exists_row = my_exists_row,
    .finalize = my_finalize,
    .describe = jdbc__my_describe,
    .cursor_open = jdbc__my_cursor_open,
    .cursor_fetch = jdbc__my_cursor_fetch,
    .cursor_close = jdbc__my_cursor_close,
    .bulk = my_bulk,
    .xa_begin = my_xa_begin,
    .xa_prepare = my_xa_prepare,
    .xa_commit = my_xa_commit,
    .xa_rollback = my_xa_rollback,
    .xa_pending = my_xa_pending,
    .run_lock = my_run_lock,
    .run_alive = my_run_alive,
};

#endif /* CV_HAVE_MARIADB */
