/* fuzz_jdbc_url.c — Jdbc `url` strings (connectors/jdbc/url.c):
 * jdbc:<scheme>:<target>[?key=value&…], network targets //host[:port]
 * [,host[:port]…][/database]. A url parses into a dialect, a target and
 * parameters that can be looked up, or fails with a recorded error that
 * never repeats a credential: the seeds carry the marker S3cret as a
 * password (in ?password=, in user:password@ and in a mistyped scheme),
 * and no error may print it when it sits in a parameter or user info. */
#include "connectors/jdbc/jdbc.h"
#include "fuzz.h"

#include <stdio.h>

/* The marker sits where a credential goes (after the '?' or before an
 * '@'), and not in the scheme name, which errors may print. */
static bool secret_in_credentials(const char *url)
{
    const char *m = strstr(url, "S3cret");
    if (!m) return false;
    if (strncmp(url, "jdbc:", 5) == 0) {
        size_t name = strspn(url + 5, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-._");
        char scheme[64];
        snprintf(scheme, sizeof scheme, "%.*s", (int)(name < 63 ? name : 63), url + 5);
        if (strstr(scheme, "S3cret")) return false;
    }
    const char *q = strchr(url, '?'), *at = strchr(m, '@');
    return (q && q < m) || at;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2048) return 0;
    char *url = cv_strndup((const char *)data, size);
    if (!url) return 0;
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_err err;
    cv_err_clear(&err);
    jdbc_url u;
    int rc = jdbc_url_parse(&a, url, NULL, &u, &err);
    if (rc < 0) {
        FUZZ_ASSERT(err.code == rc && err.msg[0], "error %d without a message", rc);
        FUZZ_ASSERT(!secret_in_credentials(url) || !strstr(err.msg, "S3cret"),
                    "the error repeats a credential of the url: %s", err.msg);
    } else {
        FUZZ_ASSERT(rc == 0 && u.dialect && u.scheme && u.target, "a parsed url lacks its dialect, scheme or target");
        FUZZ_ASSERT(strncmp(url, "jdbc:", 5) == 0, "\"%s\" parsed without jdbc:", url);
        for (uint32_t i = 0; i < u.nparams; i++) {
            FUZZ_ASSERT(u.params[i].key && u.params[i].value, "parameter %u lacks its key or value", i);
            /* the first parameter of a name is the one looked up */
            const char *v = jdbc_url_param(&u, u.params[i].key);
            FUZZ_ASSERT(v != NULL, "parameter %s cannot be looked up", u.params[i].key);
            bool earlier = false;
            for (uint32_t k = 0; k < i; k++) earlier |= cv_streq_nocase(u.params[k].key, u.params[i].key);
            if (!earlier) FUZZ_ASSERT(v == u.params[i].value, "parameter %s: another value found", u.params[i].key);
        }
        if (u.port) FUZZ_ASSERT(u.host, "a port without a host");
        if (u.port)
            for (const char *p = u.port; *p; p++)
                FUZZ_ASSERT((*p >= '0' && *p <= '9') || *p == ',', "port list \"%s\"", u.port);
    }
    cv_arena_free(&a);
    cv_free(url);
    return 0;
}
