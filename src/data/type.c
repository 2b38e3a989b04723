/* type.c — SeaTunnel's data types: singletons for primitives, arena-built
 * composites, and a parser/printer for the spellings job files use
 * ("decimal(10, 2)", "array<int>", "map<string, {a = int}>"). */
#include "data.h"

#include <stdio.h>
#include <string.h>

static const cv_type prims[CV_T__COUNT] = {
#define CV__T(tid, name, width) [CV_T_##tid] = {.id = CV_T_##tid},
    CV_TYPE_MAP(CV__T)
#undef CV__T
};

static const struct {
    const char *name;
    size_t width;
} info[CV_T__COUNT] = {
#define CV__T(id, name, width) [CV_T_##id] = {name, width},
    CV_TYPE_MAP(CV__T)
#undef CV__T
};

const cv_type *cv_type_prim(cv_type_id id)
{
    if (id == CV_T_DECIMAL || id == CV_T_ARRAY || id == CV_T_MAP || id == CV_T_ROW) return NULL;
    return &prims[id];
}

const char *cv_type_name(cv_type_id id) { return id < CV_T__COUNT ? info[id].name : "?"; }
size_t cv_type_width(cv_type_id id) { return id < CV_T__COUNT ? info[id].width : 0; }

const cv_type *cv_type_decimal(cv_arena *a, unsigned precision, unsigned scale)
{
    cv_type *t = cv_arena_zalloc(a, sizeof *t);
    if (!t) return NULL;
    t->id = CV_T_DECIMAL;
    t->precision = (uint8_t)precision;
    t->scale = (uint8_t)scale;
    return t;
}

const cv_type *cv_type_array(cv_arena *a, const cv_type *elem)
{
    cv_type *t = cv_arena_zalloc(a, sizeof *t);
    if (!t) return NULL;
    t->id = CV_T_ARRAY;
    t->elem = elem;
    return t;
}

const cv_type *cv_type_map(cv_arena *a, const cv_type *key, const cv_type *value)
{
    cv_type *t = cv_arena_zalloc(a, sizeof *t);
    if (!t) return NULL;
    t->id = CV_T_MAP;
    t->elem = key;
    t->value = value;
    return t;
}

const cv_type *cv_type_row(cv_arena *a, const cv_field *fields, uint32_t n)
{
    cv_type *t = cv_arena_zalloc(a, sizeof *t);
    cv_field *f = cv_arena_memdup(a, fields, n * sizeof *fields);
    if (!t || (n && !f)) return NULL;
    t->id = CV_T_ROW;
    t->nfields = n;
    t->fields = f;
    return t;
}

bool cv_type_is_integer(const cv_type *t)
{
    return t->id == CV_T_I8 || t->id == CV_T_I16 || t->id == CV_T_I32 || t->id == CV_T_I64;
}

bool cv_type_is_numeric(const cv_type *t)
{
    return cv_type_is_integer(t) || t->id == CV_T_F32 || t->id == CV_T_F64 || t->id == CV_T_DECIMAL;
}

bool cv_type_is_var(const cv_type *t) { return t->id == CV_T_STRING || t->id == CV_T_BYTES; }

bool cv_type_equal(const cv_type *a, const cv_type *b)
{
    if (a == b) return true;
    if (!a || !b || a->id != b->id) return false;
    switch (a->id) {
    case CV_T_DECIMAL: return a->precision == b->precision && a->scale == b->scale;
    case CV_T_ARRAY: return cv_type_equal(a->elem, b->elem);
    case CV_T_MAP: return cv_type_equal(a->elem, b->elem) && cv_type_equal(a->value, b->value);
    case CV_T_ROW:
        if (a->nfields != b->nfields) return false;
        for (uint32_t i = 0; i < a->nfields; i++)
            if (strcmp(a->fields[i].name, b->fields[i].name) != 0 ||
                !cv_type_equal(a->fields[i].type, b->fields[i].type))
                return false;
        return true;
    default: return true;
    }
}

/* ---- parser ---------------------------------------------------------------- */

typedef struct {
    const char *s, *p;
    cv_arena *a;
    cv_err *err;
    int depth;
} tparser;

static void skip_ws(tparser *tp)
{
    while (*tp->p == ' ' || *tp->p == '\t' || *tp->p == '\n' || *tp->p == '\r') tp->p++;
}

/* Long type strings are cut in messages so that the reason stays visible. */
#define SHOWN(tp) (int)CV_MIN(strlen((tp)->s), 120), (tp)->s, strlen((tp)->s) > 120 ? "…" : ""

static int fail(tparser *tp, const char *what)
{
    return cv_err_set(tp->err, CV_ECONFIG, "bad type \"%.*s%s\": %s at offset %d", SHOWN(tp), what,
                      (int)(tp->p - tp->s));
}

static bool is_ident(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
           c == '-';
}

static size_t ident(tparser *tp, const char **start)
{
    *start = tp->p;
    while (is_ident(*tp->p)) tp->p++;
    return (size_t)(tp->p - *start);
}

static bool expect(tparser *tp, char c)
{
    skip_ws(tp);
    if (*tp->p != c) return false;
    tp->p++;
    return true;
}

static int parse_type(tparser *tp, const cv_type **out);

static bool read_uint(tparser *tp, unsigned *v)
{
    skip_ws(tp);
    if (*tp->p < '0' || *tp->p > '9') return false;
    unsigned x = 0;
    while (*tp->p >= '0' && *tp->p <= '9') {
        x = x * 10 + (unsigned)(*tp->p++ - '0');
        if (x > 1000) return false;
    }
    *v = x;
    return true;
}

/* A field name in a row: identifier, or a quoted/backticked string. */
static int field_name(tparser *tp, const char **name)
{
    skip_ws(tp);
    char q = *tp->p;
    if (q == '"' || q == '`' || q == '\'') {
        const char *st = ++tp->p;
        while (*tp->p && *tp->p != q) tp->p++;
        if (*tp->p != q) return fail(tp, "unterminated field name");
        *name = cv_arena_strndup(tp->a, st, (size_t)(tp->p - st));
        tp->p++;
    } else {
        const char *st;
        size_t n = ident(tp, &st);
        if (!n) return fail(tp, "expected a field name");
        *name = cv_arena_strndup(tp->a, st, n);
    }
    return *name ? 0 : cv_err_set(tp->err, CV_ENOMEM, "out of memory");
}

/* Row bodies: "{a = int, b : string}" or "row<a int, b string>". A field
 * type may be quoted ("decimal(10, 2)"). */
static int parse_fields(tparser *tp, char close, bool need_sep, const cv_type **out)
{
    CV_VEC(cv_field) fs = {0};
    int rc = 0;
    for (;;) {
        skip_ws(tp);
        if (*tp->p == close) {
            tp->p++;
            break;
        }
        cv_field f;
        if ((rc = field_name(tp, &f.name)) < 0) break;
        skip_ws(tp);
        if (*tp->p == '=' || *tp->p == ':')
            tp->p++;
        else if (need_sep) {
            rc = fail(tp, "expected '=' after field name");
            break;
        }
        skip_ws(tp);
        if (*tp->p == '"') {
            const char *st = ++tp->p;
            while (*tp->p && *tp->p != '"') tp->p++;
            if (*tp->p != '"') {
                rc = fail(tp, "unterminated quoted type");
                break;
            }
            char *inner = cv_arena_strndup(tp->a, st, (size_t)(tp->p - st));
            tp->p++;
            tparser sub = {inner, inner, tp->a, tp->err, tp->depth + 1};
            if (!inner) {
                rc = cv_err_set(tp->err, CV_ENOMEM, "out of memory");
                break;
            }
            if ((rc = parse_type(&sub, &f.type)) < 0) break;
            skip_ws(&sub);
            if (*sub.p) {
                rc = fail(&sub, "unexpected text after type");
                break;
            }
        } else if ((rc = parse_type(tp, &f.type)) < 0) {
            break;
        }
        for (size_t i = 0; i < fs.n; i++)
            if (strcmp(fs.v[i].name, f.name) == 0) {
                rc = cv_err_set(tp->err, CV_ECONFIG, "bad type \"%.*s%s\": duplicate field \"%s\"", SHOWN(tp), f.name);
                goto done;
            }
        if ((rc = cv_vec_push(&fs, f)) < 0) {
            cv_err_set(tp->err, rc, "out of memory");
            break;
        }
        skip_ws(tp);
        if (*tp->p == ',' || *tp->p == ';') {
            tp->p++;
        } else if (*tp->p != close && (close != '}' || !*tp->p)) {
            /* braces allow newline-separated fields, like HOCON */
            rc = fail(tp, close == '}' ? "expected ',' or '}'" : "expected ',' or '>'");
            break;
        }
    }
done:
    if (rc == 0) {
        if (fs.n == 0)
            rc = fail(tp, "a row needs at least one field");
        else if (!(*out = cv_type_row(tp->a, fs.v, (uint32_t)fs.n)))
            rc = cv_err_set(tp->err, CV_ENOMEM, "out of memory");
    }
    cv_vec_free(&fs);
    return rc;
}

static const struct {
    const char *name;
    cv_type_id id;
} names[] = {
    {"string", CV_T_STRING},
    {"varchar", CV_T_STRING},
    {"text", CV_T_STRING},
    {"boolean", CV_T_BOOL},
    {"bool", CV_T_BOOL},
    {"tinyint", CV_T_I8},
    {"byte", CV_T_I8},
    {"smallint", CV_T_I16},
    {"short", CV_T_I16},
    {"int", CV_T_I32},
    {"integer", CV_T_I32},
    {"bigint", CV_T_I64},
    {"long", CV_T_I64},
    {"float", CV_T_F32},
    {"double", CV_T_F64},
    {"bytes", CV_T_BYTES},
    {"binary", CV_T_BYTES},
    {"date", CV_T_DATE},
    {"time", CV_T_TIME},
    {"timestamp", CV_T_TIMESTAMP},
    {"datetime", CV_T_TIMESTAMP},
    {"timestamp_tz", CV_T_TIMESTAMP_TZ},
    {"null", CV_T_NULL},
};

static int parse_type(tparser *tp, const cv_type **out)
{
    if (++tp->depth > 32) return fail(tp, "nesting too deep");
    skip_ws(tp);
    if (*tp->p == '{') {
        tp->p++;
        int rc = parse_fields(tp, '}', true, out);
        tp->depth--;
        return rc;
    }
    const char *st;
    size_t n = ident(tp, &st);
    if (!n) return fail(tp, "expected a type name");
    int rc = 0;
    if (n == 7 && cv_strneq_nocase(st, "decimal", 7)) {
        unsigned p = 38, s = 18; /* SeaTunnel's default for a bare decimal */
        skip_ws(tp);
        if (*tp->p == '(') {
            tp->p++;
            if (!read_uint(tp, &p)) return fail(tp, "expected precision");
            if (!expect(tp, ',')) return fail(tp, "expected ',' between precision and scale");
            if (!read_uint(tp, &s)) return fail(tp, "expected scale");
            if (!expect(tp, ')')) return fail(tp, "expected ')'");
        }
        if (p < 1 || p > CV_DECIMAL_MAX_PRECISION)
            return cv_err_set(tp->err, CV_ECONFIG, "bad type \"%.*s%s\": decimal precision %u is outside 1..38",
                              SHOWN(tp), p);
        if (s > p)
            return cv_err_set(tp->err, CV_ECONFIG, "bad type \"%.*s%s\": decimal scale %u exceeds precision %u",
                              SHOWN(tp), s, p);
        *out = cv_type_decimal(tp->a, p, s);
    } else if (n == 5 && cv_strneq_nocase(st, "array", 5)) {
        const cv_type *e;
        if (!expect(tp, '<')) return fail(tp, "expected '<' after array");
        CV_TRY(parse_type(tp, &e));
        if (!expect(tp, '>')) return fail(tp, "expected '>'");
        *out = cv_type_array(tp->a, e);
    } else if (n == 3 && cv_strneq_nocase(st, "map", 3)) {
        const cv_type *k, *v;
        if (!expect(tp, '<')) return fail(tp, "expected '<' after map");
        CV_TRY(parse_type(tp, &k));
        if (!expect(tp, ',')) return fail(tp, "expected ',' between map key and value types");
        CV_TRY(parse_type(tp, &v));
        if (!expect(tp, '>')) return fail(tp, "expected '>'");
        if (k->id == CV_T_ARRAY || k->id == CV_T_MAP || k->id == CV_T_ROW || k->id == CV_T_NULL)
            return cv_err_set(tp->err, CV_ECONFIG, "bad type \"%.*s%s\": map keys must be a basic type", SHOWN(tp));
        *out = cv_type_map(tp->a, k, v);
    } else if (n == 3 && cv_strneq_nocase(st, "row", 3)) {
        if (!expect(tp, '<')) return fail(tp, "expected '<' after row");
        rc = parse_fields(tp, '>', false, out);
    } else {
        *out = NULL;
        for (size_t i = 0; i < CV_ARRAY_LEN(names); i++)
            if (strlen(names[i].name) == n && cv_strneq_nocase(st, names[i].name, n)) {
                *out = cv_type_prim(names[i].id);
                tp->depth--;
                return 0;
            }
        if (!*out) {
            char word[64];
            snprintf(word, sizeof word, "%.*s", (int)CV_MIN(n, 63), st);
            const char *cands[CV_ARRAY_LEN(names) + 3];
            for (size_t i = 0; i < CV_ARRAY_LEN(names); i++) cands[i] = names[i].name;
            cands[CV_ARRAY_LEN(names)] = "decimal";
            cands[CV_ARRAY_LEN(names) + 1] = "array";
            cands[CV_ARRAY_LEN(names) + 2] = "map";
            const char *dym = cv_did_you_mean(word, cands, CV_ARRAY_LEN(cands));
            return cv_err_set(tp->err, CV_ECONFIG, "unknown type \"%s\"%s%s%s", word, dym ? " (did you mean \"" : "",
                              dym ? dym : "", dym ? "\"?)" : "");
        }
    }
    tp->depth--;
    if (rc == 0 && !*out) return cv_err_set(tp->err, CV_ENOMEM, "out of memory");
    return rc;
}

int cv_type_parse(cv_arena *a, const char *s, const cv_type **out, cv_err *err)
{
    tparser tp = {s, s, a, err, 0};
    *out = NULL;
    CV_TRY(parse_type(&tp, out));
    skip_ws(&tp);
    if (*tp.p) return fail(&tp, "unexpected text after the type");
    return 0;
}

/* ---- printer ---------------------------------------------------------------- */

void cv_type_format(const cv_type *t, cv_buf *out)
{
    switch (t->id) {
    case CV_T_DECIMAL: cv_buf_printf(out, "decimal(%u,%u)", t->precision, t->scale); break;
    case CV_T_ARRAY:
        cv_buf_puts(out, "array<");
        cv_type_format(t->elem, out);
        cv_buf_putc(out, '>');
        break;
    case CV_T_MAP:
        cv_buf_puts(out, "map<");
        cv_type_format(t->elem, out);
        cv_buf_puts(out, ", ");
        cv_type_format(t->value, out);
        cv_buf_putc(out, '>');
        break;
    case CV_T_ROW:
        cv_buf_puts(out, "row<");
        for (uint32_t i = 0; i < t->nfields; i++) {
            if (i) cv_buf_puts(out, ", ");
            cv_buf_printf(out, "%s ", t->fields[i].name);
            cv_type_format(t->fields[i].type, out);
        }
        cv_buf_putc(out, '>');
        break;
    default: cv_buf_puts(out, info[t->id].name);
    }
}

const char *cv_type_str(const cv_type *t, char *buf, size_t n)
{
    cv_buf b;
    cv_buf_init(&b);
    cv_type_format(t, &b);
    snprintf(buf, n, "%s", b.data ? b.data : "?");
    cv_buf_free(&b);
    return buf;
}

/* ---- row kinds ---------------------------------------------------------------- */

static const char *kind_short[] = {"+I", "-U", "+U", "-D"};
static const char *kind_long[] = {"INSERT", "UPDATE_BEFORE", "UPDATE_AFTER", "DELETE"};

const char *cv_row_kind_short(cv_row_kind k) { return (unsigned)k < 4 ? kind_short[k] : "?"; }
const char *cv_row_kind_name(cv_row_kind k) { return (unsigned)k < 4 ? kind_long[k] : "?"; }

int cv_row_kind_parse(const char *s, cv_row_kind *out)
{
    for (int i = 0; i < 4; i++)
        if (cv_streq_nocase(s, kind_long[i]) || strcmp(s, kind_short[i]) == 0) {
            *out = (cv_row_kind)i;
            return 0;
        }
    return CV_EINVAL;
}
