/* secret.c — secrets never reach any output.
 *
 * Three nets, because a secret can reach a message three ways:
 *  1. by value: passwords and tokens the job gave are registered
 *     (cv_secret_add: options flagged secret, keys that name a secret,
 *     credentials inside urls) and masked wherever they occur;
 *  2. by shape: credentials inside urls (scheme://user:PASS@host) and
 *     `key=value` pairs whose key names a secret (password=…, in jdbc
 *     urls or libpq connection strings) are masked even when nothing was
 *     registered — a driver may echo a url before we could read it;
 *  3. by syntax, in job-file excerpts: `password = "…"`, `"token": …`
 *     are masked by their key, so an error on a one-line Jdbc block shows
 *     the line without the secret even before options were read.
 * Every span found is replaced by "******" (the length of a secret is not
 * shown). Values shorter than MIN_VALUE are masked by shape and syntax
 * only: masking every "ab" of a message would garble it.
 *
 * The registry is process-wide and guarded by a mutex: errors are built
 * on worker threads while a server may be reading a new job. Masking runs
 * only on error and log paths, never per row of data. */
#include "base.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MASK "******"
#define MASK_LEN 6
#define MIN_VALUE 3
#define MAX_SPANS 64

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static CV_VEC(char *) values;

int cv_secret_add(const char *s, size_t n)
{
    if (!s || n == 0) return 0;
    int rc = 0;
    pthread_mutex_lock(&mu);
    bool seen = false;
    for (size_t i = 0; i < values.n && !seen; i++) seen = strlen(values.v[i]) == n && memcmp(values.v[i], s, n) == 0;
    if (!seen) {
        char *copy = cv_strndup(s, n);
        if (!copy || cv_vec_push(&values, copy) != 0) {
            cv_free(copy);
            rc = CV_ENOMEM;
        }
    }
    pthread_mutex_unlock(&mu);
    return rc;
}

void cv_secret_clear(void)
{
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < values.n; i++) cv_free(values.v[i]);
    cv_vec_free(&values);
    pthread_mutex_unlock(&mu);
}

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Does lowercase `word` occur in k[0..n)? */
static bool has(const char *k, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++) {
        size_t j = 0;
        while (j < w && lower((unsigned char)k[i + j]) == word[j]) j++;
        if (j == w) return true;
    }
    return false;
}

/* Is k[0..n) (a whole segment of a dotted key) exactly `word`? */
static bool has_segment(const char *k, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++) {
        bool start = i == 0 || k[i - 1] == '.' || k[i - 1] == '_' || k[i - 1] == '-';
        bool end = i + w == n || k[i + w] == '.' || k[i + w] == '_' || k[i + w] == '-';
        if (start && end && cv_strneq_nocase(k + i, word, w)) return true;
    }
    return false;
}

bool cv_secret_key(const char *k, size_t n)
{
    /* generous on purpose: a misspelt "pasword" still hides its value */
    static const char *const words[] = {"passw",   "pasw",       "passwd",     "pwd",         "passphrase",  "secret",
                                        "token",   "credential", "privatekey", "private_key", "private-key", "apikey",
                                        "api_key", "api-key",    "accesskey",  "access_key",  "access.key",  "jaas"};
    for (size_t i = 0; i < CV_ARRAY_LEN(words); i++)
        if (has(k, n, words[i])) return true;
    return has_segment(k, n, "auth") || has_segment(k, n, "pass");
}

typedef struct {
    size_t s, e;
} span;

typedef struct {
    span v[MAX_SPANS];
    size_t n;
    bool overflow; /* too many to track: mask everything */
} spans;

static void add(spans *sp, size_t s, size_t e)
{
    if (e <= s) return;
    if (sp->n == MAX_SPANS) {
        sp->overflow = true;
        return;
    }
    sp->v[sp->n++] = (span){s, e};
}

static bool key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
}

static bool space(char c) { return c == ' ' || c == '\t'; }

/* The value starting at in[i]: a quoted string (inside the quotes) or a
 * bare word up to a delimiter. */
static void value_at(const char *in, size_t n, size_t i, bool cfg, spans *sp)
{
    if (i >= n) return;
    char q = in[i];
    if (q == '"' || q == '\'') {
        size_t j = i + 1;
        while (j < n && in[j] != q) j += in[j] == '\\' && j + 1 < n ? 2 : 1;
        add(sp, i + 1, j); /* an unterminated string: the rest of the text */
        return;
    }
    size_t j = i;
    while (j < n) {
        if (in[j] == '$' && j + 1 < n && in[j + 1] == '{') { /* ${VAR:default} may hold one */
            const char *close = memchr(in + j, '}', n - j);
            j = close ? (size_t)(close - in) + 1 : n;
            continue;
        }
        if (space(in[j]) || strchr(cfg ? ",}]#\"'\r\n" : "&;,)}]\"'\r\n", in[j])) break;
        j++;
    }
    add(sp, i, j);
}

/* `key=value` (and in job files `key = value`, `key: value`, `"key": …`)
 * whose key names a secret. */
static void by_key(const char *in, size_t n, bool cfg, spans *sp)
{
    for (size_t i = 0; i < n; i++) {
        if (in[i] != '=' && !(cfg && in[i] == ':')) continue;
        size_t e = i;
        if (cfg)
            while (e > 0 && space(in[e - 1])) e--;
        if (cfg && e > 0 && (in[e - 1] == '"' || in[e - 1] == '\'')) e--;
        size_t s = e;
        while (s > 0 && key_char(in[s - 1])) s--;
        if (s == e || !cv_secret_key(in + s, e - s)) continue;
        size_t v = i + 1;
        if (cfg)
            while (v < n && space(in[v])) v++;
        value_at(in, n, v, cfg, sp);
    }
}

/* scheme://user:PASSWORD@host */
static void by_url(const char *in, size_t n, spans *sp)
{
    for (size_t i = 0; i + 3 <= n; i++) {
        if (memcmp(in + i, "://", 3) != 0) continue;
        size_t a = i + 3, j = a, colon = 0;
        while (j < n && !strchr("/?#@ \t\"'\r\n", in[j])) {
            if (in[j] == ':' && !colon) colon = j;
            j++;
        }
        if (j < n && in[j] == '@' && colon) add(sp, colon + 1, j);
    }
}

static void by_value(const char *in, size_t n, spans *sp)
{
    pthread_mutex_lock(&mu);
    for (size_t k = 0; k < values.n; k++) {
        const char *v = values.v[k];
        size_t vn = strlen(v);
        if (vn < MIN_VALUE) continue;
        for (const char *p = in; (p = memmem(p, n - (size_t)(p - in), v, vn)) != NULL; p += vn)
            add(sp, (size_t)(p - in), (size_t)(p - in) + vn);
    }
    pthread_mutex_unlock(&mu);
}

static int by_start(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return x->s < y->s ? -1 : x->s > y->s;
}

/* Sorted, non-overlapping spans of in[0..n) to mask. */
static void find(const char *in, size_t n, bool cfg, spans *sp)
{
    sp->n = 0;
    sp->overflow = false;
    by_value(in, n, sp);
    by_url(in, n, sp);
    by_key(in, n, cfg, sp);
    qsort(sp->v, sp->n, sizeof sp->v[0], by_start);
    size_t m = 0;
    for (size_t i = 0; i < sp->n; i++) {
        if (m && sp->v[i].s <= sp->v[m - 1].e) {
            sp->v[m - 1].e = CV_MAX(sp->v[m - 1].e, sp->v[i].e);
        } else {
            sp->v[m++] = sp->v[i];
        }
    }
    sp->n = m;
}

/* Back up to the start of a UTF-8 character so a cut never splits one. */
static size_t char_start(const char *s, size_t at)
{
    while (at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80) at--;
    return at;
}

size_t cv_secret_mask(const char *in, size_t n, bool job_file, char *out, size_t cap, uint32_t *col)
{
    if (cap == 0) return 0;
    spans sp;
    find(in, n, job_file, &sp);
    if (sp.overflow) {
        /* nothing of it can be shown safely */
        snprintf(out, cap, "%s", MASK);
        if (col) *col = 1;
        return strlen(out);
    }
    size_t o = 0, at = 0, want = col && *col ? *col - 1 : (size_t)-1;
    uint32_t newcol = 0;
    for (size_t k = 0; k <= sp.n; k++) {
        size_t s = k < sp.n ? sp.v[k].s : n;
        /* plain text up to the span */
        if (want >= at && want < s && !newcol) newcol = (uint32_t)(o + (want - at) + 1);
        size_t take = s - at;
        if (o + take >= cap) take = char_start(in + at, cap - 1 - o);
        memcpy(out + o, in + at, take);
        o += take;
        if (take < s - at || k == sp.n) break;
        /* the caret inside a secret points at its mask */
        if (want >= s && want < sp.v[k].e && !newcol) newcol = (uint32_t)(o + 1);
        if (o + MASK_LEN >= cap) break;
        memcpy(out + o, MASK, MASK_LEN);
        o += MASK_LEN;
        at = sp.v[k].e;
    }
    out[o] = '\0';
    if (col && *col) *col = newcol ? newcol : (uint32_t)(o + 1);
    return o;
}

void cv_secret_redact(char *s, size_t cap)
{
    size_t n = strlen(s);
    spans sp;
    find(s, n, false, &sp);
    if (sp.n == 0 && !sp.overflow) return;
    char tmp[CV_ERR_MSG_MAX];
    char *buf = cap <= sizeof tmp ? tmp : cv_malloc(cap);
    if (!buf) {
        snprintf(s, cap, "%s", "(message withheld: out of memory while masking secrets)");
        return;
    }
    cv_secret_mask(s, n, false, buf, cap, NULL);
    memcpy(s, buf, strlen(buf) + 1);
    if (buf != tmp) cv_free(buf);
}
