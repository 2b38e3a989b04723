/* url.c — `url = "jdbc:<scheme>:…"` → a dialect. One table lists every
 * scheme culvert knows: SQLite, PostgreSQL over libpq and MySQL/MariaDB
 * over libmariadb, and the products that speak their protocols. A build
 * without a client library (CV_HAVE_LIBPQ / CV_HAVE_MARIADB unset) rejects
 * its schemes naming the package to install. Adding a database is one
 * line here plus its dialect file.
 *
 * Network urls are jdbc:<scheme>://host[:port][,host[:port]…][/database]
 * [?key=value&…]; parameters are %-decoded and read by the dialect. */
#include "jdbc.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#ifdef CV_HAVE_LIBPQ
#define PG_DIALECT &jdbc_postgres
#else
#define PG_DIALECT NULL
#endif
#ifdef CV_HAVE_MARIADB
#define MY_DIALECT &jdbc_mysql
#else
#define MY_DIALECT NULL
#endif

/* X(scheme, dialect or NULL, what it is, client library package) */
#define JDBC_SCHEMES(X)                                                          \
    X("sqlite", &jdbc_sqlite, "SQLite", "libsqlite3-dev")                        \
    X("postgresql", PG_DIALECT, "PostgreSQL", "libpq-dev")                       \
    X("opengauss", PG_DIALECT, "openGauss (PostgreSQL-compatible)", "libpq-dev") \
    X("kingbase8", PG_DIALECT, "Kingbase (PostgreSQL-compatible)", "libpq-dev")  \
    X("highgo", PG_DIALECT, "HighGo (PostgreSQL-compatible)", "libpq-dev")       \
    X("redshift", PG_DIALECT, "Redshift (PostgreSQL-compatible)", "libpq-dev")   \
    X("mysql", MY_DIALECT, "MySQL", "libmariadb-dev")                            \
    X("mariadb", MY_DIALECT, "MariaDB", "libmariadb-dev")                        \
    X("oceanbase", MY_DIALECT, "OceanBase (MySQL-compatible)", "libmariadb-dev")

typedef struct {
    const char *scheme;
    const jdbc_dialect *dialect;
    const char *what, *client;
} scheme_entry;

static const scheme_entry schemes[] = {
#define X(s, d, w, c) {s, d, w, c},
    JDBC_SCHEMES(X)
#undef X
};

void jdbc_url_supported(char *buf, size_t cap)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < CV_ARRAY_LEN(schemes); i++)
        if (schemes[i].dialect) {
            int w = snprintf(buf + at, cap - at, "%sjdbc:%s:", at ? ", " : "", schemes[i].scheme);
            if (w < 0 || (size_t)w >= cap - at) {
                buf[at] = '\0'; /* whole names only */
                break;
            }
            at += (size_t)w;
        }
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* A copy of s[0..n) with %XX decoded (network urls are URIs). */
static char *decode(cv_arena *a, const char *s, size_t n, bool pct)
{
    char *out = cv_arena_alloc(a, n + 1);
    if (!out) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int h, l;
        if (pct && s[i] == '%' && i + 2 < n && (h = hexval(s[i + 1])) >= 0 && (l = hexval(s[i + 2])) >= 0) {
            out[k++] = (char)(h * 16 + l);
            i += 2;
        } else {
            out[k++] = s[i];
        }
    }
    out[k] = '\0';
    return out;
}

static int parse_params(cv_arena *a, const char *q, bool pct, jdbc_url *out, cv_err *err)
{
    size_t cnt = 1;
    for (const char *p = q; *p; p++) cnt += *p == '&';
    out->params = cv_arena_zalloc(a, cnt * sizeof *out->params);
    if (!out->params) return jdbc_nomem(err);
    const char *p = q;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t n = amp ? (size_t)(amp - p) : strlen(p);
        if (n) {
            const char *eq = memchr(p, '=', n);
            jdbc_param *pr = &out->params[out->nparams++];
            pr->key = decode(a, p, eq ? (size_t)(eq - p) : n, pct);
            pr->value = eq ? decode(a, eq + 1, n - (size_t)(eq - p) - 1, pct) : cv_arena_strdup(a, "");
            if (!pr->key || !pr->value) return jdbc_nomem(err);
            /* ?password=… : masked in every message from here on */
            if (cv_secret_key(pr->key, strlen(pr->key)) && cv_secret_add(pr->value, strlen(pr->value)) < 0)
                return jdbc_nomem(err);
        }
        if (!amp) break;
        p = amp + 1;
    }
    return 0;
}

const char *jdbc_url_param(const jdbc_url *u, const char *key)
{
    for (uint32_t i = 0; i < u->nparams; i++)
        if (cv_streq_nocase(u->params[i].key, key)) return u->params[i].value;
    return NULL;
}

/* "//h1[:p1][,h2[:p2]…][/database]" → host, port, database. IPv6 hosts
 * are written in brackets. */
static int parse_authority(cv_arena *a, const char *rest, const cv_pos *pos, jdbc_url *out, cv_err *err)
{
    const char *p = rest + 2, *end = p + strcspn(p, "/");
    cv_buf hosts, ports;
    cv_buf_init(&hosts);
    cv_buf_init(&ports);
    bool any_port = false;
    int rc = 0;
    while (p < end && rc == 0) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *e = comma ? comma : end, *h = p, *he, *colon;
        if (*p == '[') {
            he = memchr(p, ']', (size_t)(e - p));
            if (!he) {
                rc = cv_err_at(err, CV_ECONFIG, pos, "jdbc:%s url: an IPv6 host needs its closing ']'", out->scheme);
                break;
            }
            h = p + 1;
            colon = he + 1 < e && he[1] == ':' ? he + 1 : NULL;
        } else {
            colon = memchr(p, ':', (size_t)(e - p));
            he = colon ? colon : e;
        }
        /* an empty host would drop out of the host list but not the port
         * list, pairing the following hosts with the wrong ports */
        if (he == h) {
            rc = cv_err_at(err, CV_ECONFIG, pos, "jdbc:%s url: an empty host in the host list", out->scheme);
            break;
        }
        if (colon) {
            for (const char *d = colon + 1; d < e; d++)
                if (*d < '0' || *d > '9') {
                    /* the text after ':' is not printed: in user:password@host,
                     * or with a '/' inside the password, it is the password */
                    rc = cv_err_at(err, CV_ECONFIG, pos,
                                   "jdbc:%s url: a port (after a host and ':') is not a number; user:password@ does "
                                   "not belong in a Jdbc url: give them as the user and password options",
                                   out->scheme);
                    break;
                }
            any_port |= e > colon + 1;
        }
        cv_buf_printf(&hosts, "%s%.*s", hosts.len ? "," : "", (int)(he - h), h);
        cv_buf_printf(&ports, "%s%.*s", p == rest + 2 ? "" : ",", colon ? (int)(e - colon - 1) : 0,
                      colon ? colon + 1 : "");
        p = comma ? comma + 1 : end;
    }
    if (rc == 0 && hosts.len) out->host = cv_arena_strdup(a, hosts.data);
    if (rc == 0 && any_port) out->port = cv_arena_strdup(a, ports.data);
    if (rc == 0 && *end == '/' && end[1]) out->database = decode(a, end + 1, strlen(end + 1), true);
    if (rc == 0 && (hosts.oom || ports.oom || (hosts.len && !out->host) || (any_port && !out->port) ||
                    (*end == '/' && end[1] && !out->database)))
        rc = jdbc_nomem(err);
    cv_buf_free(&hosts);
    cv_buf_free(&ports);
    return rc;
}

int jdbc_url_parse(cv_arena *a, const char *url, const cv_node *at, jdbc_url *out, cv_err *err)
{
    memset(out, 0, sizeof *out);
    cv_pos pos = cv_node_pos(at);
    char supported[256];
    jdbc_url_supported(supported, sizeof supported);
    if (strncmp(url, "jdbc:", 5) != 0)
        return cv_err_at(err, CV_ECONFIG, &pos, "a Jdbc url starts with jdbc:<scheme>:, e.g. jdbc:sqlite:/path/to.db%s",
                         "");
    const char *s = url + 5;
    size_t n = strcspn(s, ":");
    for (size_t i = 0; i < CV_ARRAY_LEN(schemes); i++) {
        const scheme_entry *e = &schemes[i];
        if (strlen(e->scheme) != n || !cv_strneq_nocase(s, e->scheme, n)) continue;
        if (!e->dialect)
            return cv_err_at(err, CV_EUNSUPPORTED, &pos,
                             "jdbc:%s: urls (%s) need a culvert built with its client library "
                             "(apt-get install %s, then rebuild); supported by this build: %s",
                             e->scheme, e->what, e->client, supported);
        if (s[n] != ':')
            return cv_err_at(err, CV_ECONFIG, &pos, "a jdbc:%s url needs a ':' after the scheme", e->scheme);
        out->dialect = e->dialect;
        out->scheme = e->scheme;
        const char *rest = s + n + 1;
        /* SQLite "file:" URIs keep their own ?query (SQLite parses it) */
        const char *q = strncmp(rest, "file:", 5) == 0 ? NULL : strchr(rest, '?');
        out->target = q ? cv_arena_strndup(a, rest, (size_t)(q - rest)) : cv_arena_strdup(a, rest);
        if (!out->target) return jdbc_nomem(err);
        bool net = strncmp(out->target, "//", 2) == 0;
        if (net) CV_TRY(parse_authority(a, out->target, &pos, out, err));
        return q ? parse_params(a, q + 1, net, out, err) : 0;
    }
    /* print the scheme name only: without its ':' the rest of the url
     * (host, ?password=…) would follow it into the message */
    size_t name = 0;
    while (name < n && (isalnum((unsigned char)s[name]) || strchr("+-._", s[name]))) name++;
    char scheme[40];
    snprintf(scheme, sizeof scheme, "%.*s", (int)CV_MIN(name, sizeof scheme - 1), s);
    if (name < n || !s[n])
        return cv_err_at(err, CV_ECONFIG, &pos, "a Jdbc url is jdbc:<scheme>:<target>; no ':' follows \"jdbc:%s\"",
                         scheme);
    return cv_err_at(err, CV_EUNSUPPORTED, &pos, "jdbc:%s: urls are not supported; supported schemes: %s", scheme,
                     supported);
}
