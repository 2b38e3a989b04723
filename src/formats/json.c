/* json.c — JSON lines: one object per line into one row of a batch, and a
 * row back into one object. No DOM: values are parsed straight into their
 * columns (numbers from their text, so decimals stay exact), keys are
 * looked up by name, and a half-parsed row is cut back off the batch. */
#include "formats.h"

#include <string.h>

typedef struct {
    const char *p, *e;
    const cv_textfmt *f;
    const char *why;
    cv_buf tmp;
    int depth;
} jp;

static void ws(jp *j)
{
    while (j->p < j->e && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n')) j->p++;
}

static int fail(jp *j, const char *why)
{
    if (!j->why) j->why = why;
    return CV_EDATA;
}

static int hexd(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static void utf8(cv_buf *b, uint32_t cp)
{
    char t[4];
    size_t n;
    if (cp < 0x80)
        t[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        t[0] = (char)(0xC0 | (cp >> 6)), t[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    else if (cp < 0x10000)
        t[0] = (char)(0xE0 | (cp >> 12)), t[1] = (char)(0x80 | ((cp >> 6) & 0x3F)), t[2] = (char)(0x80 | (cp & 0x3F)),
        n = 3;
    else
        t[0] = (char)(0xF0 | (cp >> 18)), t[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), t[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    cv_buf_put(b, t, n);
}

/* A string at j->p (after the opening quote): the text, unescaped into
 * j->tmp only when it has escapes. */
static int string(jp *j, const char **s, size_t *n)
{
    const char *st = j->p;
    const char *q = st;
    while (q < j->e && *q != '"' && *q != '\\') q++;
    if (q < j->e && *q == '"') {
        *s = st;
        *n = (size_t)(q - st);
        j->p = q + 1;
        return 0;
    }
    cv_buf_reset(&j->tmp);
    cv_buf_put(&j->tmp, st, (size_t)(q - st));
    j->p = q;
    while (j->p < j->e && *j->p != '"') {
        if (*j->p != '\\') {
            const char *r = j->p;
            while (j->p < j->e && *j->p != '"' && *j->p != '\\') j->p++;
            cv_buf_put(&j->tmp, r, (size_t)(j->p - r));
            continue;
        }
        if (++j->p >= j->e) break;
        char c = *j->p++;
        switch (c) {
        case '"': cv_buf_putc(&j->tmp, '"'); break;
        case '\\': cv_buf_putc(&j->tmp, '\\'); break;
        case '/': cv_buf_putc(&j->tmp, '/'); break;
        case 'b': cv_buf_putc(&j->tmp, '\b'); break;
        case 'f': cv_buf_putc(&j->tmp, '\f'); break;
        case 'n': cv_buf_putc(&j->tmp, '\n'); break;
        case 'r': cv_buf_putc(&j->tmp, '\r'); break;
        case 't': cv_buf_putc(&j->tmp, '\t'); break;
        case 'u': {
            uint32_t cp = 0;
            for (int k = 0; k < 4; k++) {
                int d = j->p < j->e ? hexd(*j->p++) : -1;
                if (d < 0) return fail(j, "bad \\u escape");
                cp = cp * 16 + (uint32_t)d;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF && j->e - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u') {
                uint32_t lo = 0;
                for (int k = 2; k < 6; k++) {
                    int d = hexd(j->p[k]);
                    if (d < 0) return fail(j, "bad \\u escape");
                    lo = lo * 16 + (uint32_t)d;
                }
                if (lo < 0xDC00 || lo > 0xDFFF) return fail(j, "bad surrogate pair");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                j->p += 6;
            } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                return fail(j, "lone surrogate in \\u escape");
            }
            utf8(&j->tmp, cp);
            break;
        }
        default: return fail(j, "bad escape in a string");
        }
    }
    if (j->p >= j->e) return fail(j, "unterminated string");
    j->p++;
    if (j->tmp.oom) return fail(j, "out of memory");
    *s = j->tmp.data ? j->tmp.data : "";
    *n = j->tmp.len;
    return 0;
}

static int number_text(jp *j, const char **s, size_t *n)
{
    const char *st = j->p;
    if (j->p < j->e && *j->p == '-') j->p++;
    while (j->p < j->e && ((*j->p >= '0' && *j->p <= '9') || *j->p == '.' || *j->p == 'e' || *j->p == 'E' ||
                           *j->p == '+' || *j->p == '-'))
        j->p++;
    if (j->p == st) return fail(j, "unexpected character");
    *s = st;
    *n = (size_t)(j->p - st);
    return 0;
}

static bool word(jp *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->e - j->p) < n || memcmp(j->p, w, n) != 0) return false;
    j->p += n;
    return true;
}

static int skip_value(jp *j);

static int value_into(jp *j, cv_col *c);

static int container_into(jp *j, cv_col *c)
{
    const cv_type *t = c->type;
    char open = *j->p++;
    if (open == '[' && (t->id == CV_T_ARRAY || t->id == CV_T_ROW)) {
        uint32_t count = 0;
        ws(j);
        if (j->p < j->e && *j->p == ']') {
            j->p++;
        } else {
            for (;;) {
                cv_col *target = t->id == CV_T_ARRAY ? &c->child[0] : count < c->nchild ? &c->child[count] : NULL;
                if (!target) return fail(j, "a nested row has more values than fields");
                CV_TRY(value_into(j, target));
                count++;
                ws(j);
                if (j->p < j->e && *j->p == ',') {
                    j->p++;
                    continue;
                }
                if (j->p < j->e && *j->p == ']') {
                    j->p++;
                    break;
                }
                return fail(j, "expected ',' or ']'");
            }
        }
        if (t->id == CV_T_ARRAY) {
            cv_col_append_list(c, count);
        } else {
            for (uint32_t k = count; k < c->nchild; k++) cv_col_append_null(&c->child[k]);
            cv_col_append_struct(c);
        }
        return 0;
    }
    if (open == '{' && (t->id == CV_T_MAP || t->id == CV_T_ROW)) {
        uint32_t count = 0;
        uint8_t seen[256] = {0};
        if (t->id == CV_T_ROW && c->nchild > 256) return fail(j, "nested rows of more than 256 fields");
        ws(j);
        if (j->p < j->e && *j->p == '}')
            j->p++;
        else
            for (;;) {
                ws(j);
                if (j->p >= j->e || *j->p != '"') return fail(j, "expected a key");
                j->p++;
                const char *k;
                size_t kn;
                CV_TRY(string(j, &k, &kn));
                ws(j);
                if (j->p >= j->e || *j->p != ':') return fail(j, "expected ':' after a key");
                j->p++;
                if (t->id == CV_T_MAP) {
                    const char *why = NULL;
                    /* keys are text: parse them with the key type */
                    if (cv_text_to_col(j->f, &c->child[0], k, kn, 99, &why) < 0) return fail(j, why);
                    CV_TRY(value_into(j, &c->child[1]));
                    count++;
                } else {
                    uint32_t fi = 0;
                    while (fi < t->nfields && !(strlen(t->fields[fi].name) == kn && !memcmp(t->fields[fi].name, k, kn)))
                        fi++;
                    if (fi == t->nfields) {
                        CV_TRY(skip_value(j));
                    } else {
                        if (seen[fi]) return fail(j, "a key appears twice in a nested row");
                        seen[fi] = 1;
                        CV_TRY(value_into(j, &c->child[fi]));
                    }
                }
                ws(j);
                if (j->p < j->e && *j->p == ',') {
                    j->p++;
                    continue;
                }
                if (j->p < j->e && *j->p == '}') {
                    j->p++;
                    break;
                }
                return fail(j, "expected ',' or '}'");
            }
        if (t->id == CV_T_MAP) {
            cv_col_append_list(c, count);
        } else {
            /* each field is a column of its own, so key order does not
             * matter; missing fields become NULL */
            uint32_t len = c->len;
            for (uint32_t k = 0; k < c->nchild; k++) {
                if (!seen[k]) cv_col_append_null(&c->child[k]);
                if (c->child[k].len != len + 1) return fail(j, "nested row fields out of order");
            }
            cv_col_append_struct(c);
        }
        return 0;
    }
    return fail(j, t->id == CV_T_ARRAY ? "expected an array"
                   : t->id == CV_T_MAP ? "expected an object"
                                       : "unexpected array or object");
}

static int skip_value(jp *j)
{
    if (++j->depth > 64) return fail(j, "nesting too deep");
    ws(j);
    if (j->p >= j->e) return fail(j, "expected a value");
    int rc = 0;
    char c = *j->p;
    if (c == '"') {
        j->p++;
        const char *s;
        size_t n;
        rc = string(j, &s, &n);
    } else if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        j->p++;
        ws(j);
        if (j->p < j->e && *j->p == close) {
            j->p++;
        } else {
            for (;;) {
                if (c == '{') {
                    ws(j);
                    if (j->p >= j->e || *j->p != '"') return fail(j, "expected a key");
                    j->p++;
                    const char *s;
                    size_t n;
                    CV_TRY(string(j, &s, &n));
                    ws(j);
                    if (j->p >= j->e || *j->p++ != ':') return fail(j, "expected ':'");
                }
                CV_TRY(skip_value(j));
                ws(j);
                if (j->p < j->e && *j->p == ',') {
                    j->p++;
                    continue;
                }
                if (j->p < j->e && *j->p == close) {
                    j->p++;
                    break;
                }
                return fail(j, "unbalanced brackets");
            }
        }
    } else if (word(j, "true") || word(j, "false") || word(j, "null")) {
        rc = 0;
    } else {
        const char *s;
        size_t n;
        rc = number_text(j, &s, &n);
    }
    j->depth--;
    return rc;
}

static int value_into(jp *j, cv_col *c)
{
    if (++j->depth > 64) return fail(j, "nesting too deep");
    ws(j);
    if (j->p >= j->e) return fail(j, "expected a value");
    cv_type_id id = c->type->id;
    const char *why = NULL;
    int rc = 0;
    char ch = *j->p;
    if (ch == 'n' && word(j, "null")) {
        cv_col_append_null(c);
    } else if (ch == '{' || ch == '[') {
        rc = container_into(j, c);
    } else if (id == CV_T_ARRAY || id == CV_T_MAP || id == CV_T_ROW) {
        rc = fail(j, "expected an array or object");
    } else if (ch == 't' || ch == 'f') {
        bool v = ch == 't';
        if (!word(j, v ? "true" : "false"))
            rc = fail(j, "unexpected word");
        else if (id == CV_T_BOOL)
            cv_col_append_bool(c, v);
        else if (id == CV_T_STRING)
            cv_col_append_str(c, v ? "true" : "false", v ? 4 : 5);
        else
            rc = fail(j, "a boolean where the column needs another type");
    } else if (ch == '"') {
        j->p++;
        const char *s;
        size_t n;
        rc = string(j, &s, &n);
        if (rc == 0) {
            if (id == CV_T_BYTES) {
                cv_buf b;
                cv_buf_init(&b);
                if (cv_base64_decode(s, n, &b) < 0)
                    rc = fail(j, "bytes must be base64");
                else
                    cv_col_append_str(c, b.data ? b.data : "", b.len);
                cv_buf_free(&b);
            } else if (n == 0 && id != CV_T_STRING) {
                cv_col_append_null(c);
            } else if (cv_text_to_col(j->f, c, s, n, 99, &why) < 0) {
                rc = fail(j, why);
            }
        }
    } else {
        const char *s;
        size_t n;
        rc = number_text(j, &s, &n);
        if (rc == 0) {
            if (id == CV_T_STRING) {
                cv_col_append_str(c, s, n);
            } else if (id == CV_T_BOOL || id == CV_T_BYTES || id == CV_T_DATE || id == CV_T_TIME ||
                       id == CV_T_TIMESTAMP || id == CV_T_TIMESTAMP_TZ) {
                rc = fail(j, "a number where the column needs another type");
            } else if (cv_text_to_col(j->f, c, s, n, 99, &why) < 0) {
                rc = fail(j, why);
            }
        }
    }
    j->depth--;
    return rc;
}

int cv_json_row(cv_batch *b, const char *s, size_t n, const cv_textfmt *f, const char **why, int *column)
{
    jp j = {s, s + n, f, NULL, {0}, 0};
    cv_buf_init(&j.tmp);
    const cv_table *t = b->table;
    uint32_t row = b->nrows;
    uint8_t stackseen[64];
    uint8_t *seen = t->ncols <= sizeof stackseen ? stackseen : cv_calloc(t->ncols, 1);
    *column = -1;
    int rc = 0;
    if (!seen) {
        *why = "out of memory";
        return CV_ENOMEM;
    }
    memset(seen, 0, CV_MIN((size_t)t->ncols, sizeof stackseen));
    ws(&j);
    if (j.p >= j.e || *j.p != '{') {
        rc = fail(&j, "a line must be a JSON object");
        goto out;
    }
    j.p++;
    ws(&j);
    if (j.p < j.e && *j.p == '}') {
        j.p++;
    } else {
        for (;;) {
            ws(&j);
            if (j.p >= j.e || *j.p != '"') {
                rc = fail(&j, "expected a key");
                goto out;
            }
            j.p++;
            const char *k;
            size_t kn;
            if ((rc = string(&j, &k, &kn)) < 0) goto out;
            ws(&j);
            if (j.p >= j.e || *j.p != ':') {
                rc = fail(&j, "expected ':' after a key");
                goto out;
            }
            j.p++;
            uint32_t ci = 0;
            while (ci < t->ncols && !(strlen(t->cols[ci].name) == kn && !memcmp(t->cols[ci].name, k, kn))) ci++;
            if (ci == t->ncols) {
                rc = skip_value(&j); /* keys the schema lacks are ignored, as SeaTunnel does */
            } else if (seen[ci]) {
                *column = (int)ci;
                rc = fail(&j, "the key appears twice");
            } else {
                seen[ci] = 1;
                *column = (int)ci;
                rc = value_into(&j, &b->cols[ci]);
            }
            if (rc < 0) goto out;
            *column = -1;
            ws(&j);
            if (j.p < j.e && *j.p == ',') {
                j.p++;
                continue;
            }
            if (j.p < j.e && *j.p == '}') {
                j.p++;
                break;
            }
            rc = fail(&j, "expected ',' or '}'");
            goto out;
        }
    }
    ws(&j);
    if (j.p != j.e) {
        rc = fail(&j, "text after the object");
        goto out;
    }
    /* columns arrive in key order: rows are complete only once every
     * column has exactly one more value */
    for (uint32_t c = 0; c < t->ncols; c++)
        if (!seen[c]) cv_col_append_null(&b->cols[c]);
    cv_batch_end_row(b, CV_ROW_INSERT);
out:
    if (rc < 0) {
        *why = j.why ? j.why : "malformed JSON";
        cv_batch_truncate(b, row);
    }
    if (seen != stackseen) cv_free(seen);
    cv_buf_free(&j.tmp);
    return rc;
}

void cv_json_write_row(const cv_batch *b, uint32_t r, const uint32_t *cols, uint32_t ncols, cv_buf *out)
{
    const cv_table *t = b->table;
    uint32_t n = cols ? ncols : b->ncols;
    cv_buf_putc(out, '{');
    for (uint32_t k = 0; k < n; k++) {
        uint32_t c = cols ? cols[k] : k;
        if (k) cv_buf_putc(out, ',');
        cv_buf_json_str(out, t->cols[c].name, strlen(t->cols[c].name));
        cv_buf_putc(out, ':');
        cv_value_format(&b->cols[c], r, CV_FMT_JSON, out);
    }
    cv_buf_putc(out, '}');
}
