/* check.c — field rules against the rows of a batch. A batch is scanned
 * column by column (rule outer, rows inner); each rule only looks at rows
 * before the earliest failure found so far, so the report is the same as
 * a row-by-row scan would give — the first failing row, and within it the
 * first failing rule in config order — without per-row dispatch over all
 * rules. Messages are built only on failure.
 *
 * Semantics (see docs/connectors/Assert.md): field_type is checked first;
 * a NULL value matches only field_type "null", as in SeaTunnel. Then the
 * field_value entries in order; an entry fails when its rule_type fails
 * or, when equals_to is set, the value differs from it. */
#include "assert_int.h"

#include <string.h>

#define FIELD_OK (-1)
#define FIELD_TYPE_FAILED (-2)
#define MSG_VALUE_MAX 200

typedef enum { TM_OK, TM_NULL, TM_NESTED_NULL, TM_NOT_NULL, TM_NESTED_NOT_NULL, TM_TYPE, TM_PRECISION } type_verdict;

static inline bool is_null(const cv_col *c, uint32_t i) { return c->type->id == CV_T_NULL || cv_col_is_null(c, i); }

static unsigned decimal_digits(cv_i128 v)
{
    unsigned n = 1;
    if (v < 0) v = -v;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

/* Does value i of c match the declared type? Structure is compared by
 * position (row field names are ignored), decimals need the same scale and
 * at most the declared number of digits, and NULLs match only "null". */
static type_verdict type_match(const cv_type *decl, const cv_col *c, uint32_t i, bool top)
{
    if (is_null(c, i)) return decl->id == CV_T_NULL ? TM_OK : top ? TM_NULL : TM_NESTED_NULL;
    if (decl->id == CV_T_NULL) return top ? TM_NOT_NULL : TM_NESTED_NOT_NULL;
    if (decl->id != c->type->id) return TM_TYPE;
    switch (decl->id) {
    case CV_T_DECIMAL:
        if (decl->scale != c->type->scale) return TM_TYPE;
        return decimal_digits(((const cv_i128 *)c->data)[i]) <= decl->precision ? TM_OK : TM_PRECISION;
    case CV_T_ARRAY:
    case CV_T_MAP: {
        const int32_t *o = cv_col_offsets(c);
        for (int32_t k = o[i]; k < o[i + 1]; k++) {
            type_verdict v = type_match(decl->elem, &c->child[0], (uint32_t)k, false);
            if (v == TM_OK && decl->id == CV_T_MAP) v = type_match(decl->value, &c->child[1], (uint32_t)k, false);
            if (v != TM_OK) return v;
        }
        return TM_OK;
    }
    case CV_T_ROW:
        if (decl->nfields != c->nchild) return TM_TYPE;
        for (uint32_t k = 0; k < decl->nfields; k++) {
            type_verdict v = type_match(decl->fields[k].type, &c->child[k], i, false);
            if (v != TM_OK) return v;
        }
        return TM_OK;
    default: return TM_OK;
    }
}

bool assert_value_equal(const cv_col *a, uint32_t i, const cv_col *b, uint32_t j)
{
    bool na = is_null(a, i), nb = is_null(b, j);
    if (na || nb) return na && nb;
    switch (a->type->id) {
    case CV_T_ARRAY: {
        const int32_t *oa = cv_col_offsets(a), *ob = cv_col_offsets(b);
        if (oa[i + 1] - oa[i] != ob[j + 1] - ob[j]) return false;
        for (int32_t k = 0; k < oa[i + 1] - oa[i]; k++)
            if (!assert_value_equal(&a->child[0], (uint32_t)(oa[i] + k), &b->child[0], (uint32_t)(ob[j] + k)))
                return false;
        return true;
    }
    case CV_T_MAP: {
        /* entry order is not part of a map's value */
        const int32_t *oa = cv_col_offsets(a), *ob = cv_col_offsets(b);
        if (oa[i + 1] - oa[i] != ob[j + 1] - ob[j]) return false;
        for (int32_t kb = ob[j]; kb < ob[j + 1]; kb++) {
            bool found = false;
            for (int32_t ka = oa[i]; ka < oa[i + 1] && !found; ka++)
                found = assert_value_equal(&a->child[0], (uint32_t)ka, &b->child[0], (uint32_t)kb) &&
                        assert_value_equal(&a->child[1], (uint32_t)ka, &b->child[1], (uint32_t)kb);
            if (!found) return false;
        }
        return true;
    }
    case CV_T_ROW:
        if (a->nchild != b->nchild) return false;
        for (uint32_t k = 0; k < a->nchild; k++)
            if (!assert_value_equal(&a->child[k], i, &b->child[k], j)) return false;
        return true;
    default: return cv_value_compare(a, i, b, j) == 0;
    }
}

/* Length in UTF-16 code units, as Java's String.length() counts. */
static int64_t utf16_len(const char *p, size_t n)
{
    int64_t len = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char ch = (unsigned char)p[k];
        if ((ch & 0xC0) != 0x80) len += ch >= 0xF0 ? 2 : 1;
    }
    return len;
}

/* MIN_LENGTH/MAX_LENGTH: strings in UTF-16 units, bytes in bytes, other
 * types by the length of their text as Console prints them. */
static int64_t value_length(const cv_col *c, uint32_t i, assert_scratch *sc)
{
    uint32_t n;
    if (c->type->id == CV_T_STRING) {
        const char *p = cv_col_str(c, i, &n);
        return utf16_len(p, n);
    }
    if (c->type->id == CV_T_BYTES) {
        cv_col_str(c, i, &n);
        return n;
    }
    cv_buf_reset(&sc->text);
    cv_value_format(c, i, CV_FMT_JAVA, &sc->text);
    return utf16_len(sc->text.data ? sc->text.data : "", sc->text.len);
}

static bool min_ok(const assert_value_rule *v, const cv_col *c, uint32_t i)
{
    if (v->integral && cv_type_is_integer(c->type)) return cv_col_get_int(c, i) >= v->ilimit;
    return cv_col_get_f64(c, i) >= v->dlimit; /* NaN fails */
}

static bool max_ok(const assert_value_rule *v, const cv_col *c, uint32_t i)
{
    if (v->integral && cv_type_is_integer(c->type)) return cv_col_get_int(c, i) <= v->ilimit;
    return cv_col_get_f64(c, i) <= v->dlimit;
}

/* 0: passes; 1: the rule_type part fails; 2: equals_to fails. */
static int value_rule_eval(const assert_value_rule *v, const cv_col *expect, const cv_col *c, uint32_t i,
                           assert_scratch *sc)
{
    bool null = is_null(c, i);
    switch (v->type) {
    case AR_NULL:
        if (!null) return 1;
        break;
    case AR_NOT_NULL:
        if (null) return 1;
        break;
    case AR_MIN:
        if (null || !min_ok(v, c, i)) return 1;
        break;
    case AR_MAX:
        if (null || !max_ok(v, c, i)) return 1;
        break;
    case AR_MIN_LENGTH:
        if ((double)(null ? 0 : value_length(c, i, sc)) < v->dlimit) return 1;
        break;
    case AR_MAX_LENGTH:
        if ((double)(null ? 0 : value_length(c, i, sc)) > v->dlimit) return 1;
        break;
    default: break;
    }
    return expect && !assert_value_equal(c, i, expect, 0) ? 2 : 0;
}

/* FIELD_OK, FIELD_TYPE_FAILED, or the index of the failing value rule
 * (with *part set as value_rule_eval returns it). */
static int field_eval(const assert_bound *b, const cv_col *c, uint32_t i, assert_scratch *sc, int *part)
{
    const assert_field_rule *f = b->rule;
    if (f->type && type_match(f->type, c, i, true) != TM_OK) return FIELD_TYPE_FAILED;
    for (uint32_t k = 0; k < f->nvalues; k++) {
        int r = value_rule_eval(&f->values[k], b->expect[k], c, i, sc);
        if (r) {
            *part = r;
            return (int)k;
        }
    }
    return FIELD_OK;
}

void assert_value_text(const cv_col *c, uint32_t i, size_t max, cv_buf *out)
{
    size_t start = out->len;
    /* JSON style quotes strings and dates; floats print as Java does so
     * that NaN and Infinity do not show as null */
    bool flt = c->type->id == CV_T_F32 || c->type->id == CV_T_F64;
    cv_value_format(c, i, flt && !is_null(c, i) ? CV_FMT_JAVA : CV_FMT_JSON, out);
    if (out->len - start <= max || !out->data) return;
    size_t cut = start + max;
    while (cut > start && ((unsigned char)out->data[cut] & 0xC0) == 0x80) cut--;
    out->len = cut;
    out->data[cut] = '\0';
    cv_buf_puts(out, "…");
}

static void describe_type_failure(const assert_bound *b, const cv_col *c, uint32_t i, cv_buf *why)
{
    const cv_type *decl = b->rule->type;
    char tn[128];
    type_verdict v = type_match(decl, c, i, true);
    if (v == TM_NULL) {
        cv_buf_puts(why, "value is null, and only field_type \"null\" matches null");
        return;
    }
    cv_buf_puts(why, "value ");
    assert_value_text(c, i, MSG_VALUE_MAX, why);
    switch (v) {
    case TM_NESTED_NULL: cv_buf_puts(why, " holds a null, which only a \"null\" type matches"); break;
    case TM_NOT_NULL: cv_buf_puts(why, " is not null"); break;
    case TM_NESTED_NOT_NULL: cv_buf_puts(why, " holds a value where field_type has \"null\""); break;
    case TM_PRECISION: cv_buf_printf(why, " has more than %u digits", decl->precision); break;
    default: cv_buf_printf(why, " is of type %s", cv_type_str(c->type, tn, sizeof tn)); break;
    }
}

static void describe_value_failure(const assert_value_rule *v, const cv_col *expect, const cv_col *c, uint32_t i,
                                   int part, assert_scratch *sc, cv_buf *rule, cv_buf *why)
{
    if (part == 2) {
        cv_buf_puts(rule, "equals_to ");
        assert_value_text(expect, 0, MSG_VALUE_MAX, rule);
        cv_buf_puts(why, "value is ");
        assert_value_text(c, i, MSG_VALUE_MAX, why);
        return;
    }
    const char *limit = v->limit ? cv_node_str(v->limit) : NULL;
    cv_buf_printf(rule, "%s%s%s", assert_value_types[v->type], limit ? " " : "", limit ? limit : "");
    if (is_null(c, i) && v->type != AR_MIN_LENGTH && v->type != AR_MAX_LENGTH) {
        cv_buf_puts(why, "value is null");
        return;
    }
    cv_buf_puts(why, "value ");
    assert_value_text(c, i, MSG_VALUE_MAX, why);
    switch (v->type) {
    case AR_NULL: cv_buf_puts(why, " is not null"); break;
    case AR_MIN: cv_buf_printf(why, " is less than %s", limit); break;
    case AR_MAX: cv_buf_printf(why, " is greater than %s", limit); break;
    default: cv_buf_printf(why, " has length %lld", (long long)(is_null(c, i) ? 0 : value_length(c, i, sc))); break;
    }
}

static int report(const assert_table *at, const assert_bound *b, const cv_col *c, uint32_t i, uint64_t rowno, int which,
                  int part, assert_scratch *sc, cv_err *err)
{
    cv_buf rule, why;
    cv_buf_init(&rule);
    cv_buf_init(&why);
    if (which == FIELD_TYPE_FAILED) {
        cv_buf_puts(&rule, "field_type ");
        cv_type_format(b->rule->type, &rule);
        describe_type_failure(b, c, i, &why);
    } else {
        describe_value_failure(&b->rule->values[which], b->expect[which], c, i, part, sc, &rule, &why);
    }
    int rc;
    if (rule.oom || why.oom)
        rc = cv_err_set(err, CV_EASSERT, "a rule failed for field %s of table %s at row %llu", b->rule->name,
                        at->table->full_name, (unsigned long long)rowno);
    else
        rc = cv_err_set(err, CV_EASSERT, "rule %s failed for field %s of table %s at row %llu: %s", rule.data,
                        b->rule->name, at->table->full_name, (unsigned long long)rowno, why.data);
    cv_buf_free(&rule);
    cv_buf_free(&why);
    return rc;
}

int assert_check_batch(const assert_table *at, const cv_batch *b, uint64_t first_row, assert_scratch *sc, cv_err *err)
{
    uint32_t best = b->nrows;
    const assert_bound *best_rule = NULL;
    int best_which = FIELD_OK, best_part = 0;
    for (uint32_t f = 0; f < at->nbound; f++) {
        const assert_bound *bd = &at->bound[f];
        const cv_col *c = &b->cols[bd->col];
        for (uint32_t r = 0; r < best; r++) {
            int part = 0;
            int which = field_eval(bd, c, r, sc, &part);
            if (which == FIELD_OK) continue;
            best = r;
            best_rule = bd;
            best_which = which;
            best_part = part;
            break;
        }
    }
    if (!best_rule) return 0;
    return report(at, best_rule, &b->cols[best_rule->col], best, first_row + best, best_which, best_part, sc, err);
}
