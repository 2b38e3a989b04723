/* url.c — `url = "jdbc:<scheme>:…"` → a dialect. One table lists every
 * scheme culvert knows: those with a dialect, and databases whose dialect
 * is planned (PostgreSQL over libpq, MySQL/MariaDB over libmariadb, and
 * the products that speak their protocols), which are rejected with a
 * "not supported yet" naming the client they will use. Adding a database
 * is one line here plus its dialect file. */
#include "jdbc.h"

#include <stdio.h>
#include <string.h>

/* X(scheme, dialect or NULL, what it is, planned client) */
#define JDBC_SCHEMES(X)                                                \
    X("sqlite", &jdbc_sqlite, "SQLite", NULL)                          \
    X("postgresql", NULL, "PostgreSQL", "libpq")                       \
    X("opengauss", NULL, "openGauss (PostgreSQL-compatible)", "libpq") \
    X("kingbase8", NULL, "Kingbase (PostgreSQL-compatible)", "libpq")  \
    X("redshift", NULL, "Redshift (PostgreSQL-compatible)", "libpq")   \
    X("mysql", NULL, "MySQL", "libmariadb")                            \
    X("mariadb", NULL, "MariaDB", "libmariadb")                        \
    X("oceanbase", NULL, "OceanBase (MySQL-compatible)", "libmariadb")

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

static int parse_params(cv_arena *a, const char *q, jdbc_url *out, cv_err *err)
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
            pr->key = cv_arena_strndup(a, p, eq ? (size_t)(eq - p) : n);
            pr->value = eq ? cv_arena_strndup(a, eq + 1, n - (size_t)(eq - p) - 1) : cv_arena_strdup(a, "");
            if (!pr->key || !pr->value) return jdbc_nomem(err);
        }
        if (!amp) break;
        p = amp + 1;
    }
    return 0;
}

int jdbc_url_parse(cv_arena *a, const char *url, const cv_node *at, jdbc_url *out, cv_err *err)
{
    memset(out, 0, sizeof *out);
    cv_pos pos = cv_node_pos(at);
    char supported[128];
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
                             "jdbc:%s: urls (%s) are not supported yet: that dialect will use %s; "
                             "supported now: %s",
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
        return q ? parse_params(a, q + 1, out, err) : 0;
    }
    char scheme[40];
    snprintf(scheme, sizeof scheme, "%.*s", (int)CV_MIN(n, sizeof scheme - 1), s);
    return cv_err_at(err, CV_EUNSUPPORTED, &pos,
                     "jdbc:%s: urls are not supported; supported schemes: %s (planned: jdbc:postgresql:, "
                     "jdbc:mysql:, jdbc:mariadb:)",
                     scheme, supported);
}
