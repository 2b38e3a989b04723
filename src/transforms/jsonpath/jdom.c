/* jdom.c — a JSON document tree for JsonPath, parsed as leniently as
 * SeaTunnel's json-smart (permissive mode): besides standard JSON it takes
 * 'single-quoted' strings, unquoted keys and unquoted values (a bare token
 * that is not a number, true, false or null is a string, trimmed), and a
 * trailing comma. SeaTunnel's own e2e jobs rely on this. Nodes are linked
 * lists in an arena, so parsing allocates nothing per value beyond the
 * arena's bump pointer. */
#include "jsonpath_int.h"

#include <string.h>

#define MAX_DEPTH 512

typedef struct {
    cv_arena *a;
    const char *p, *e;
    const char *why;
    int depth;
} jp;

static void ws(jp *j)
{
    while (j->p < j->e && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) j->p++;
}

static cv__jnode *fail(jp *j, const char *why)
{
    if (!j->why) j->why = why;
    return NULL;
}

static cv__jnode *node(jp *j, cv__jkind k)
{
    cv__jnode *v = cv_arena_zalloc(j->a, sizeof *v);
    if (!v) return fail(j, "out of memory");
    v->kind = k;
    return v;
}

static int hexd(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool hex4(const char *p, const char *e, uint32_t *out)
{
    if (e - p < 4) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hexd(p[i]);
        if (d < 0) return false;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return true;
}

static char *put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | cp >> 6);
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | cp >> 12);
        *o++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | cp >> 18);
        *o++ = (char)(0x80 | (cp >> 12 & 0x3F));
        *o++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/* A quoted string at j->p (either quote); s and n receive the text. */
static bool string(jp *j, const char **s, uint32_t *n)
{
    char q = *j->p++;
    const char *start = j->p;
    bool esc = false;
    while (j->p < j->e && *j->p != q) {
        if (*j->p == '\\') {
            esc = true;
            if (++j->p == j->e) break;
        }
        j->p++;
    }
    if (j->p >= j->e) return fail(j, "unterminated string"), false;
    const char *end = j->p++;
    if (!esc) {
        *s = start;
        *n = (uint32_t)(end - start);
        return true;
    }
    /* unescaped text is never longer than the escaped one */
    char *buf = cv_arena_alloc(j->a, (size_t)(end - start) + 1), *o = buf;
    if (!buf) return fail(j, "out of memory"), false;
    for (const char *p = start; p < end; p++) {
        if (*p != '\\') {
            *o++ = *p;
            continue;
        }
        p++;
        switch (*p) {
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            uint32_t cp, lo;
            if (!hex4(p + 1, end, &cp)) return fail(j, "bad \\u escape"), false;
            p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && end - p > 6 && p[1] == '\\' && p[2] == 'u' && hex4(p + 3, end, &lo) &&
                lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            }
            o = put_utf8(o, cp);
            break;
        }
        default: *o++ = *p; break; /* \" \' \\ \/ and, leniently, anything else */
        }
    }
    *o = '\0';
    *s = buf;
    *n = (uint32_t)(o - buf);
    return true;
}

static bool is_number(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-') i++;
    size_t d = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    if (i == d) return false;
    if (i < n && s[i] == '.') {
        size_t f = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
        if (i == f) return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        size_t x = i;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
        if (i == x) return false;
    }
    return i == n;
}

/* A bare token up to one of the stop characters, trimmed. */
static bool bare(jp *j, const char *stops, const char **s, uint32_t *n)
{
    const char *start = j->p;
    while (j->p < j->e && !strchr(stops, *j->p)) j->p++;
    const char *end = j->p;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r')) end--;
    *s = start;
    *n = (uint32_t)(end - start);
    return *n > 0;
}

static cv__jnode *value(jp *j, const char *stops);

static cv__jnode *container(jp *j, bool obj)
{
    if (++j->depth > MAX_DEPTH) return fail(j, "nested too deeply");
    cv__jnode *v = node(j, obj ? CV__J_OBJ : CV__J_ARR), **tail;
    if (!v) return NULL;
    tail = &v->child;
    char close = obj ? '}' : ']';
    j->p++;
    for (;;) {
        ws(j);
        if (j->p >= j->e) return fail(j, obj ? "unterminated object" : "unterminated array");
        if (*j->p == close) break; /* also after a trailing comma, leniently */
        const char *key = NULL;
        uint32_t keylen = 0;
        if (obj) {
            if (*j->p == '"' || *j->p == '\'') {
                if (!string(j, &key, &keylen)) return NULL;
            } else if (!bare(j, ":,}", &key, &keylen)) {
                return fail(j, "expected a key");
            }
            ws(j);
            if (j->p >= j->e || *j->p != ':') return fail(j, "expected ':' after a key");
            j->p++;
        }
        cv__jnode *c = value(j, obj ? ",}" : ",]");
        if (!c) return NULL;
        c->key = key;
        c->keylen = keylen;
        *tail = c;
        tail = &c->next;
        v->len++;
        ws(j);
        if (j->p < j->e && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->e && *j->p == close) break;
        return fail(j, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
    j->p++;
    j->depth--;
    return v;
}

static cv__jnode *value(jp *j, const char *stops)
{
    ws(j);
    if (j->p >= j->e) return fail(j, "unexpected end of input");
    char c = *j->p;
    if (c == '{' || c == '[') return container(j, c == '{');
    cv__jnode *v;
    if (c == '"' || c == '\'') {
        if (!(v = node(j, CV__J_STR)) || !string(j, &v->text, &v->len)) return NULL;
        return v;
    }
    const char *s;
    uint32_t n;
    if (!bare(j, stops, &s, &n)) return fail(j, "expected a value");
    cv__jkind k = CV__J_STR;
    if ((n == 4 && memcmp(s, "true", 4) == 0) || (n == 5 && memcmp(s, "false", 5) == 0))
        k = CV__J_BOOL;
    else if (n == 4 && memcmp(s, "null", 4) == 0)
        k = CV__J_NULL;
    else if (is_number(s, n))
        k = CV__J_NUM;
    if (!(v = node(j, k))) return NULL;
    v->text = s;
    v->len = n;
    return v;
}

cv__jnode *cv__jdom_parse(cv_arena *a, const char *s, size_t n, const char **why)
{
    jp j = {.a = a, .p = s, .e = s + n};
    cv__jnode *v = value(&j, "");
    if (v) {
        ws(&j);
        if (j.p < j.e) v = fail(&j, "unexpected text after the value");
    }
    *why = j.why;
    return v;
}

void cv__jdom_write(const cv__jnode *v, cv_buf *out)
{
    switch (v->kind) {
    case CV__J_NULL: cv_buf_puts(out, "null"); break;
    case CV__J_BOOL:
    case CV__J_NUM: cv_buf_put(out, v->text, v->len); break;
    case CV__J_STR: cv_buf_json_str(out, v->text, v->len); break;
    case CV__J_ARR:
    case CV__J_OBJ: {
        bool obj = v->kind == CV__J_OBJ;
        cv_buf_putc(out, obj ? '{' : '[');
        for (const cv__jnode *c = v->child; c; c = c->next) {
            if (c != v->child) cv_buf_putc(out, ',');
            if (obj) {
                cv_buf_json_str(out, c->key, c->keylen);
                cv_buf_putc(out, ':');
            }
            cv__jdom_write(c, out);
        }
        cv_buf_putc(out, obj ? '}' : ']');
        break;
    }
    }
}
