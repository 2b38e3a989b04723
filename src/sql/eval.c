/* eval.c — the vectorised evaluator of expression nodes. Each node
 * computes all rows of a batch into its own scratch column (children
 * first), so the tree is walked once per batch, not once per row; inner
 * loops are per operator and per type. Constants are one-value columns.
 * (exec.c drives it: WHERE first, then the select list over the kept
 * rows.) CASE narrows the rows a branch computes with an `active` mask, so
 * a branch that is not taken cannot fail (CASE WHEN b = 0 THEN 0 ELSE a / b
 * END).
 *
 * Semantics follow SeaTunnel's Zeta engine: comparisons are never NULL (a
 * NULL operand makes =, <, > … false and <> true when only one side is
 * NULL); AND / OR / NOT use SQL's three-valued logic on boolean columns and
 * WHERE keeps only true rows. Integer and decimal arithmetic is exact:
 * overflow and division by zero fail the row instead of wrapping. */
#include "sql_int.h"

#include <math.h>
#include <string.h>

/* ---- scratch columns ---------------------------------------------------------- */

static cv_col *scratch(cv_sql_exec *e, const sql_node *n)
{
    cv_col *c = &e->cols[n->id];
    if (!e->col_ready[n->id]) {
        if (cv_col_init(c, n->type) < 0) return NULL;
        e->col_ready[n->id] = true;
    } else {
        cv_col_reset(c);
    }
    return c;
}

static int col_check(cv_sql_exec *e, const cv_col *c)
{
    if (c->owner && c->owner->err)
        return cv_err_set(e->x.err, c->owner->err, "%s while evaluating the query", cv_strerror(c->owner->err));
    return 0;
}

static uint8_t *mask_buf(cv_sql_exec *e, uint32_t id, uint32_t which)
{
    /* two masks per node id, grown with the batch size */
    if (e->mask_cap < e->x.n) {
        for (uint32_t i = 0; i < e->nmasks; i++) {
            cv_free(e->masks[i]);
            e->masks[i] = NULL;
        }
        e->mask_cap = e->x.n;
    }
    uint32_t k = id * 2 + which;
    if (!e->masks[k]) e->masks[k] = cv_malloc(e->mask_cap ? e->mask_cap : 1);
    return e->masks[k];
}

static bool live(const sql_ctx *x, const uint8_t *active, uint32_t r)
{
    (void)x;
    return !active || active[r];
}

/* ---- arithmetic ------------------------------------------------------------------ */

static int div_zero(cv_sql_exec *e, const sql_node *n, uint32_t r)
{
    return sql_fail(n->call, &e->x, r, "division by zero");
}

static int overflow(cv_sql_exec *e, const sql_node *n, uint32_t r)
{
    char tn[96];
    return sql_fail(n->call, &e->x, r, "the result overflows %s", cv_type_str(n->type, tn, sizeof tn));
}

/* Round q = a / d (d > 0 is a power of ten) half up. */
static cv_i128 div_half_up(cv_i128 a, cv_i128 d)
{
    cv_i128 q = a / d, rem = a % d;
    if (rem < 0) rem = -rem;
    if (rem * 2 >= d) q += a < 0 ? -1 : 1;
    return q;
}

static int arith_dec(cv_sql_exec *e, const sql_node *n, const sql_vec *l, const sql_vec *r, const uint8_t *active,
                     cv_col *out)
{
    const cv_type *lt = n->kids[0]->type, *rt = n->kids[1]->type;
    int ls = lt->scale, rs = rt->scale, s = n->type->scale;
    cv_i128 lim = cv__sql_p10[n->type->precision];
    char op = n->op[0];
    for (uint32_t i = 0; i < e->x.n; i++) {
        if (!live(&e->x, active, i) || sql_null(l, i) || sql_null(r, i)) {
            cv_col_append_null(out);
            continue;
        }
        cv_i128 a = ((const cv_i128 *)l->col->data)[sql_ix(l, i)], b = ((const cv_i128 *)r->col->data)[sql_ix(r, i)];
        cv_i128 v = 0;
        bool ovf = false;
        switch (op) {
        case '+':
        case '-':
        case '%': {
            /* align both on the larger scale (= the result's) */
            int m = CV_MAX(ls, rs);
            ovf = __builtin_mul_overflow(a, cv__sql_p10[m - ls], &a) ||
                  __builtin_mul_overflow(b, cv__sql_p10[m - rs], &b);
            if (op == '+')
                ovf = ovf || __builtin_add_overflow(a, b, &v);
            else if (op == '-')
                ovf = ovf || __builtin_sub_overflow(a, b, &v);
            else {
                if (b == 0) return div_zero(e, n, i);
                v = a % b;
            }
            if (!ovf && m != s) v = div_half_up(v, cv__sql_p10[m - s]);
            break;
        }
        case '*': {
            /* product has scale ls + rs; round half up to s */
            ovf = __builtin_mul_overflow(a, b, &v);
            int ps = ls + rs;
            if (!ovf) {
                if (ps > s)
                    v = div_half_up(v, cv__sql_p10[ps - s]);
                else
                    ovf = __builtin_mul_overflow(v, cv__sql_p10[s - ps], &v);
            }
            break;
        }
        case '/': {
            /* a/b at scale s, rounded away from zero (SeaTunnel: RoundingMode.UP) */
            if (b == 0) return div_zero(e, n, i);
            int shift = s + rs - ls; /* a·10^shift / b has scale s */
            if (shift >= 0) {
                if (shift > 38 || __builtin_mul_overflow(a, cv__sql_p10[shift], &a)) {
                    ovf = true;
                    break;
                }
            } else {
                b *= cv__sql_p10[-shift];
            }
            v = a / b;
            if (a % b != 0) v += (a < 0) != (b < 0) ? -1 : 1;
            break;
        }
        }
        if (ovf || v >= lim || v <= -lim) return overflow(e, n, i);
        cv_col_append_dec(out, v);
    }
    return 0;
}

#define ARITH_INT(T, APPEND, MIN)                                                                      \
    for (uint32_t i = 0; i < e->x.n; i++) {                                                            \
        if (!live(&e->x, active, i) || sql_null(l, i) || sql_null(r, i)) {                             \
            cv_col_append_null(out);                                                                   \
            continue;                                                                                  \
        }                                                                                              \
        T a = ((const T *)l->col->data)[sql_ix(l, i)], b = ((const T *)r->col->data)[sql_ix(r, i)], v; \
        bool ovf = false;                                                                              \
        switch (op) {                                                                                  \
        case '+': ovf = __builtin_add_overflow(a, b, &v); break;                                       \
        case '-': ovf = __builtin_sub_overflow(a, b, &v); break;                                       \
        case '*': ovf = __builtin_mul_overflow(a, b, &v); break;                                       \
        case '/':                                                                                      \
            if (b == 0) return div_zero(e, n, i);                                                      \
            ovf = a == MIN && b == -1;                                                                 \
            v = ovf ? 0 : a / b;                                                                       \
            break;                                                                                     \
        default:                                                                                       \
            if (b == 0) return div_zero(e, n, i);                                                      \
            v = b == -1 ? 0 : a % b;                                                                   \
            break;                                                                                     \
        }                                                                                              \
        if (ovf) return overflow(e, n, i);                                                             \
        APPEND(out, v);                                                                                \
    }

/* Integer arithmetic without NULLs: one tight loop per operator; the
 * first overflow or zero divisor is looked for only when one occurred. */
#define ARITH_FAST(T, MIN)                                                                                            \
    do {                                                                                                              \
        const T *a = (const T *)l->col->data, *b = (const T *)r->col->data;                                           \
        size_t ls = l->konst ? 0 : 1, rs = r->konst ? 0 : 1;                                                          \
        T *o = cv_col_extend(out, e->x.n);                                                                            \
        if (!o) return col_check(e, out);                                                                             \
        bool bad = false;                                                                                             \
        switch (op) {                                                                                                 \
        case '+':                                                                                                     \
            for (uint32_t i = 0; i < e->x.n; i++) bad |= __builtin_add_overflow(a[i * ls], b[i * rs], &o[i]);         \
            break;                                                                                                    \
        case '-':                                                                                                     \
            for (uint32_t i = 0; i < e->x.n; i++) bad |= __builtin_sub_overflow(a[i * ls], b[i * rs], &o[i]);         \
            break;                                                                                                    \
        case '*':                                                                                                     \
            for (uint32_t i = 0; i < e->x.n; i++) bad |= __builtin_mul_overflow(a[i * ls], b[i * rs], &o[i]);         \
            break;                                                                                                    \
        default:                                                                                                      \
            for (uint32_t i = 0; i < e->x.n; i++) {                                                                   \
                T x = a[i * ls], y = b[i * rs];                                                                       \
                if (y == 0 || (x == MIN && y == -1)) {                                                                \
                    o[i] = 0;                                                                                         \
                    bad = true;                                                                                       \
                    continue;                                                                                         \
                }                                                                                                     \
                o[i] = op == '/' ? x / y : x % y;                                                                     \
            }                                                                                                         \
            break;                                                                                                    \
        }                                                                                                             \
        if (!bad) return 0;                                                                                           \
        for (uint32_t i = 0; i < e->x.n; i++) {                                                                       \
            if (!live(&e->x, active, i)) continue;                                                                    \
            T x = a[i * ls], y = b[i * rs], v;                                                                        \
            if ((op == '/' || op == '%') && y == 0) return div_zero(e, n, i);                                         \
            if ((op == '+' && __builtin_add_overflow(x, y, &v)) || (op == '-' && __builtin_sub_overflow(x, y, &v)) || \
                (op == '*' && __builtin_mul_overflow(x, y, &v)) || (op == '/' && x == MIN && y == -1))                \
                return overflow(e, n, i);                                                                             \
        }                                                                                                             \
        if (op == '%') return 0; /* MIN % -1 is 0 */                                                                  \
        return 0;                                                                                                     \
    } while (0)

static int eval_arith(cv_sql_exec *e, const sql_node *n, const sql_vec *l, const sql_vec *r, const uint8_t *active,
                      cv_col *out)
{
    char op = n->op[0];
    if (!l->col->validity && !r->col->validity) {
        if (n->type->id == CV_T_I32) ARITH_FAST(int32_t, INT32_MIN);
        if (n->type->id == CV_T_I64) ARITH_FAST(int64_t, INT64_MIN);
    }
    switch (n->type->id) {
    case CV_T_I32: ARITH_INT(int32_t, cv_col_append_i32, INT32_MIN) return 0;
    case CV_T_I64: ARITH_INT(int64_t, cv_col_append_i64, INT64_MIN) return 0;
    case CV_T_F64: {
        const double *a = (const double *)l->col->data, *b = (const double *)r->col->data;
        if (l->col->validity || r->col->validity) {
            for (uint32_t i = 0; i < e->x.n; i++) {
                if (sql_null(l, i) || sql_null(r, i)) {
                    cv_col_append_null(out);
                    continue;
                }
                double x = a[sql_ix(l, i)], y = b[sql_ix(r, i)];
                cv_col_append_f64(out, op == '+'   ? x + y
                                       : op == '-' ? x - y
                                       : op == '*' ? x * y
                                       : op == '/' ? x / y
                                                   : fmod(x, y));
            }
            return 0;
        }
        double *o = cv_col_extend(out, e->x.n);
        if (!o) return col_check(e, out);
        for (uint32_t i = 0; i < e->x.n; i++) {
            double x = a[sql_ix(l, i)], y = b[sql_ix(r, i)];
            o[i] = op == '+' ? x + y : op == '-' ? x - y : op == '*' ? x * y : op == '/' ? x / y : fmod(x, y);
        }
        return 0;
    }
    case CV_T_DECIMAL: return arith_dec(e, n, l, r, active, out);
    default: return cv_err_set(e->x.err, CV_EINTERNAL, "arithmetic on %s", cv_type_name(n->type->id));
    }
}

static int eval_neg(cv_sql_exec *e, const sql_node *n, const sql_vec *v, const uint8_t *active, cv_col *out)
{
    for (uint32_t i = 0; i < e->x.n; i++) {
        if (!live(&e->x, active, i) || sql_null(v, i)) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t k = sql_ix(v, i);
        switch (n->type->id) {
        case CV_T_I32: {
            int32_t a = ((const int32_t *)v->col->data)[k];
            if (a == INT32_MIN) return overflow(e, n, i);
            cv_col_append_i32(out, -a);
            break;
        }
        case CV_T_I64: {
            int64_t a = ((const int64_t *)v->col->data)[k];
            if (a == INT64_MIN) return overflow(e, n, i);
            cv_col_append_i64(out, -a);
            break;
        }
        case CV_T_F32: cv_col_append_f32(out, -((const float *)v->col->data)[k]); break;
        case CV_T_F64: cv_col_append_f64(out, -((const double *)v->col->data)[k]); break;
        case CV_T_DECIMAL: cv_col_append_dec(out, -((const cv_i128 *)v->col->data)[k]); break;
        default: return cv_err_set(e->x.err, CV_EINTERNAL, "negation of %s", cv_type_name(n->type->id));
        }
    }
    return 0;
}

/* ---- comparisons ---------------------------------------------------------------- */

/* a <op> b for c = a <=> b (-1, 0, 1). */
static bool cmp_holds(const char *op, int c)
{
    switch (op[0]) {
    case '=': return c == 0;
    case '<': return op[1] == '>' ? c != 0 : op[1] == '=' ? c <= 0 : c < 0;
    case '>': return op[1] == '=' ? c >= 0 : c > 0;
    }
    return false;
}

static int cmp_values(const cv_col *a, uint32_t i, const cv_col *b, uint32_t j)
{
    switch (a->type->id) {
    case CV_T_I64:
    case CV_T_TIME:
    case CV_T_TIMESTAMP:
    case CV_T_TIMESTAMP_TZ: {
        int64_t x = ((const int64_t *)a->data)[i], y = ((const int64_t *)b->data)[j];
        return (x > y) - (x < y);
    }
    case CV_T_DATE:
    case CV_T_I32: {
        int32_t x = ((const int32_t *)a->data)[i], y = ((const int32_t *)b->data)[j];
        return (x > y) - (x < y);
    }
    case CV_T_F64: {
        double x = ((const double *)a->data)[i], y = ((const double *)b->data)[j];
        return (x > y) - (x < y);
    }
    case CV_T_DECIMAL: {
        cv_i128 x = ((const cv_i128 *)a->data)[i], y = ((const cv_i128 *)b->data)[j];
        return (x > y) - (x < y);
    }
    case CV_T_STRING:
    case CV_T_BYTES: {
        uint32_t an, bn;
        const char *x = cv_col_str(a, i, &an), *y = cv_col_str(b, j, &bn);
        int c = memcmp(x, y, CV_MIN(an, bn));
        return c ? (c > 0) - (c < 0) : (an > bn) - (an < bn);
    }
    case CV_T_BOOL: return (int)a->data[i] - (int)b->data[j];
    default: return cv_value_compare(a, i, b, j);
    }
}

/* SeaTunnel's two-valued comparison of row i. */
static bool cmp_row(const char *op, const sql_vec *l, const sql_vec *r, uint32_t i)
{
    bool ln = sql_null(l, i), rn = sql_null(r, i);
    if (ln || rn) return op[0] == '<' && op[1] == '>' ? ln != rn : false;
    return cmp_holds(op, cmp_values(l->col, sql_ix(l, i), r->col, sql_ix(r, i)));
}

static int eval_cmp(cv_sql_exec *e, const sql_node *n, const sql_vec *l, const sql_vec *r, cv_col *out)
{
    uint8_t *o = cv_col_extend(out, e->x.n);
    if (!o) return col_check(e, out);
    const char *op = n->op;
    bool nulls = l->col->validity || r->col->validity;
    /* the common cases get tight loops: a column against a constant or a column */
    if (!nulls && !l->konst) {
#define CMP_LOOP(T)                                                                                             \
    do {                                                                                                        \
        const T *a = (const T *)l->col->data, *b = (const T *)r->col->data;                                     \
        if (r->konst) {                                                                                         \
            T y = b[0];                                                                                         \
            for (uint32_t i = 0; i < e->x.n; i++) o[i] = (uint8_t)cmp_holds(op, (a[i] > y) - (a[i] < y));       \
        } else {                                                                                                \
            for (uint32_t i = 0; i < e->x.n; i++) o[i] = (uint8_t)cmp_holds(op, (a[i] > b[i]) - (a[i] < b[i])); \
        }                                                                                                       \
        return 0;                                                                                               \
    } while (0)
        switch (l->col->type->id) {
        case CV_T_I64:
        case CV_T_TIME:
        case CV_T_TIMESTAMP:
        case CV_T_TIMESTAMP_TZ: CMP_LOOP(int64_t);
        case CV_T_I32:
        case CV_T_DATE: CMP_LOOP(int32_t);
        case CV_T_F64: CMP_LOOP(double);
        default: break;
        }
#undef CMP_LOOP
    }
    for (uint32_t i = 0; i < e->x.n; i++) o[i] = (uint8_t)cmp_row(op, l, r, i);
    return 0;
}

/* ---- logic ------------------------------------------------------------------------ */

/* Three-valued: 0 false, 1 true, 2 unknown. */
static int tv(const sql_vec *v, uint32_t i) { return sql_null(v, i) ? 2 : sql_bool(v, i); }

static void put_tv(cv_col *out, int v)
{
    if (v == 2)
        cv_col_append_null(out);
    else
        cv_col_append_bool(out, (uint8_t)v);
}

static int eval_logic(cv_sql_exec *e, const sql_node *n, const sql_vec *v, cv_col *out)
{
    bool nulls = v[0].col->validity || (n->kind != N_NOT && v[1].col->validity);
    if (!nulls && !v[0].konst && (n->kind == N_NOT || !v[1].konst)) {
        /* no unknowns: plain byte logic */
        uint8_t *o = cv_col_extend(out, e->x.n);
        if (!o) return col_check(e, out);
        const uint8_t *a = v[0].col->data, *b = n->kind == N_NOT ? NULL : v[1].col->data;
        if (n->kind == N_NOT)
            for (uint32_t i = 0; i < e->x.n; i++) o[i] = !a[i];
        else if (n->kind == N_AND)
            for (uint32_t i = 0; i < e->x.n; i++) o[i] = a[i] & b[i];
        else
            for (uint32_t i = 0; i < e->x.n; i++) o[i] = a[i] | b[i];
        return 0;
    }
    for (uint32_t i = 0; i < e->x.n; i++) {
        int a = tv(&v[0], i);
        if (n->kind == N_NOT) {
            put_tv(out, a == 2 ? 2 : !a);
            continue;
        }
        int b = tv(&v[1], i);
        if (n->kind == N_AND)
            put_tv(out, a == 0 || b == 0 ? 0 : a == 2 || b == 2 ? 2 : 1);
        else
            put_tv(out, a == 1 || b == 1 ? 1 : a == 2 || b == 2 ? 2 : 0);
    }
    return 0;
}

/* SeaTunnel's IN: a NULL value is IN when the list holds a NULL. */
static int eval_in(cv_sql_exec *e, const sql_node *n, const sql_vec *v, cv_col *out)
{
    for (uint32_t i = 0; i < e->x.n; i++) {
        bool res = n->negated, done = false;
        bool ln = sql_null(&v[0], i);
        for (uint32_t k = 1; k < n->nkids && !done; k++) {
            bool rn = sql_null(&v[k], i);
            if (ln) {
                res = rn;
                done = rn;
                continue;
            }
            if (!rn && cmp_values(v[0].col, sql_ix(&v[0], i), v[k].col, sql_ix(&v[k], i)) == 0) {
                res = !n->negated;
                done = true;
            }
        }
        if (ln && !done) res = false;
        cv_col_append_bool(out, res);
    }
    return 0;
}

/* SQL LIKE: % any run, _ one character (UTF-8 aware), the rest literal. */
static const char *utf8_next(const char *s, const char *end)
{
    s++;
    while (s < end && ((unsigned char)*s & 0xC0) == 0x80) s++;
    return s;
}

static bool like(const char *s, uint32_t sn, const char *p, uint32_t pn)
{
    const char *se = s + sn, *pe = p + pn, *star_p = NULL, *star_s = NULL;
    while (s < se) {
        if (p < pe && *p == '%') {
            while (p < pe && *p == '%') p++;
            if (p == pe) return true;
            star_p = p;
            star_s = s;
            continue;
        }
        if (p < pe && *p == '_') {
            s = utf8_next(s, se);
            p++;
            continue;
        }
        if (p < pe && *p == *s) {
            s++;
            p++;
            continue;
        }
        if (!star_p) return false;
        star_s = utf8_next(star_s, se);
        s = star_s;
        p = star_p;
    }
    while (p < pe && *p == '%') p++;
    return p == pe;
}

static int eval_like(cv_sql_exec *e, const sql_node *n, const sql_vec *v, cv_col *out)
{
    for (uint32_t i = 0; i < e->x.n; i++) {
        if (sql_null(&v[0], i) || sql_null(&v[1], i)) {
            cv_col_append_bool(out, 0); /* SeaTunnel: NULL is neither LIKE nor NOT LIKE */
            continue;
        }
        uint32_t sn, pn;
        const char *s = sql_str(&v[0], i, &sn), *p = sql_str(&v[1], i, &pn);
        cv_col_append_bool(out, like(s, sn, p, pn) != n->negated);
    }
    return 0;
}

/* ---- CASE ---------------------------------------------------------------------------- */

static int eval_case(cv_sql_exec *e, const sql_node *n, const cv_batch *in, const uint8_t *active, cv_col *out)
{
    uint32_t w0 = 0, wend = n->nkids - (n->has_else ? 1 : 0), nb = (wend - w0) / 2 + 1;
    uint8_t *left = mask_buf(e, n->id, 0), *take = mask_buf(e, n->id, 1);
    uint16_t *branch;
    if (!left || !take) return cv_err_set(e->x.err, CV_ENOMEM, "out of memory");
    if (nb > UINT16_MAX) return cv_err_set(e->x.err, CV_EUNSUPPORTED, "CASE has too many branches");
    /* which branch each row takes; 0xFFFF: none (NULL) */
    if (e->branch_cap < e->x.n * (n->id + 1)) {
        uint16_t *bv = cv_realloc(e->branch, (size_t)e->x.n * e->q->nnodes * sizeof *bv);
        if (!bv) return cv_err_set(e->x.err, CV_ENOMEM, "out of memory");
        e->branch = bv;
        e->branch_cap = e->x.n * e->q->nnodes;
    }
    branch = e->branch + (size_t)n->id * e->x.n;
    for (uint32_t i = 0; i < e->x.n; i++) {
        left[i] = live(&e->x, active, i);
        branch[i] = UINT16_MAX;
    }
    sql_vec res[64];
    sql_vec *results = nb <= 64 ? res : cv_malloc(nb * sizeof *results);
    if (!results) return cv_err_set(e->x.err, CV_ENOMEM, "out of memory");
    memset(results, 0, nb * sizeof *results);
    int rc = 0;
    uint32_t b = 0;
    for (uint32_t k = w0; rc == 0 && k < wend; k += 2, b++) {
        sql_vec c;
        rc = cv__sql_eval(e, n->kids[k], in, left, &c);
        if (rc < 0) break;
        bool anyrow = false;
        if (!c.konst && !c.col->validity) {
            /* branch-free: the common case of a comparison's result */
            const uint8_t *cv = c.col->data;
            uint8_t any = 0;
            for (uint32_t i = 0; i < e->x.n; i++) {
                uint8_t t = left[i] & cv[i];
                take[i] = t;
                left[i] ^= t;
                branch[i] = t ? (uint16_t)b : branch[i];
                any |= t;
            }
            anyrow = any;
        } else {
            for (uint32_t i = 0; i < e->x.n; i++) {
                take[i] = left[i] && !sql_null(&c, i) && sql_bool(&c, i);
                if (take[i]) {
                    left[i] = 0;
                    branch[i] = (uint16_t)b;
                    anyrow = true;
                }
            }
        }
        results[b].col = NULL;
        if (anyrow) rc = cv__sql_eval(e, n->kids[k + 1], in, take, &results[b]);
    }
    if (rc == 0 && n->has_else) {
        bool anyrow = false;
        for (uint32_t i = 0; i < e->x.n; i++)
            if (left[i]) {
                branch[i] = (uint16_t)b;
                anyrow = true;
            }
        results[b].col = NULL;
        if (anyrow) rc = cv__sql_eval(e, n->kids[n->nkids - 1], in, left, &results[b]);
    }
    bool str = n->type->id == CV_T_STRING || n->type->id == CV_T_BYTES;
    size_t w = cv_type_width(n->type->id);
    if (rc == 0 && str && nb <= 64 && n->has_else && !active) {
        /* every row takes a branch: constant labels are the common case */
        const char *ps[64];
        uint32_t ls[64], cnt[64] = {0};
        bool konst = true;
        for (uint32_t k = 0; k < nb && konst; k++) {
            ps[k] = "";
            ls[k] = 0;
            if (!results[k].col) continue; /* no row took it */
            konst = results[k].konst && !cv_col_is_null(results[k].col, 0);
            if (konst) ps[k] = sql_str(&results[k], 0, &ls[k]);
        }
        if (konst) {
            for (uint32_t i = 0; i < e->x.n; i++) cnt[branch[i]]++;
            size_t bytes = 0;
            for (uint32_t k = 0; k < nb; k++) bytes += (size_t)cnt[k] * ls[k];
            if (!cv_col_reserve_str(out, e->x.n, bytes)) rc = col_check(e, out);
            for (uint32_t i = 0; rc == 0 && i < e->x.n; i++) cv_col_put_str(out, ps[branch[i]], ls[branch[i]]);
            if (results != res) cv_free(results);
            return rc;
        }
    }
    if (rc == 0 && str && nb <= 64) {
        /* labels and other strings without NULLs: size once, then copy */
        bool nulls = false;
        for (uint32_t k = 0; k < nb; k++) nulls |= results[k].col && results[k].col->validity;
        size_t bytes = 0;
        for (uint32_t i = 0; !nulls && i < e->x.n; i++) {
            if (branch[i] == UINT16_MAX) {
                nulls = true;
                break;
            }
            uint32_t len;
            (void)sql_str(&results[branch[i]], i, &len);
            bytes += len;
        }
        if (!nulls) {
            if (!cv_col_reserve_str(out, e->x.n, bytes)) rc = col_check(e, out);
            for (uint32_t i = 0; rc == 0 && i < e->x.n; i++) {
                uint32_t len;
                const char *p = sql_str(&results[branch[i]], i, &len);
                cv_col_put_str(out, p, len);
            }
            if (results != res) cv_free(results);
            return rc;
        }
    }
    for (uint32_t i = 0; rc == 0 && i < e->x.n; i++) {
        if (branch[i] == UINT16_MAX) {
            cv_col_append_null(out);
            continue;
        }
        const sql_vec *v = &results[branch[i]];
        uint32_t k = sql_ix(v, i);
        if (cv_col_is_null(v->col, k)) {
            cv_col_append_null(out);
        } else if (str) {
            uint32_t len;
            const char *p = cv_col_str(v->col, k, &len);
            cv_col_append_str(out, p, len);
        } else if (w && n->type->id != CV_T_NULL) {
            void *o = cv_col_extend(out, 1);
            if (o) memcpy(o, v->col->data + (size_t)k * w, w);
        } else {
            cv_col_copy_value(out, v->col, k);
        }
    }
    if (results != res) cv_free(results);
    return rc;
}

/* ---- nested values ---------------------------------------------------------------- */

static int eval_field(cv_sql_exec *e, const sql_node *n, const sql_vec *v, cv_col *out)
{
    const cv_col *child = &v->col->child[n->field];
    for (uint32_t i = 0; i < e->x.n; i++) {
        uint32_t k = sql_ix(v, i);
        if (cv_col_is_null(v->col, k))
            cv_col_append_null(out);
        else
            cv_col_copy_value(out, child, k);
    }
    return 0;
}

static int eval_index(cv_sql_exec *e, const sql_node *n, const sql_vec *v, const uint8_t *active, cv_col *out)
{
    const sql_vec *ix = &v[1];
    const cv_col *list = v[0].col;
    const int32_t *off = cv_col_offsets(list);
    for (uint32_t i = 0; i < e->x.n; i++) {
        uint32_t k = sql_ix(&v[0], i);
        if (!live(&e->x, active, i) || cv_col_is_null(list, k) || sql_null(ix, i)) {
            cv_col_append_null(out);
            continue;
        }
        int32_t lo = off[k], hi = off[k + 1];
        if (n->kind == N_INDEX) {
            int64_t at = sql_i64(ix, i);
            if (at < 0 || at >= hi - lo)
                cv_col_append_null(out); /* out of bounds reads NULL */
            else
                cv_col_copy_value(out, &list->child[0], (uint32_t)(lo + at));
        } else {
            bool found = false;
            for (int32_t j = lo; j < hi && !found; j++)
                if (!cv_col_is_null(&list->child[0], (uint32_t)j) &&
                    cmp_values(&list->child[0], (uint32_t)j, ix->col, sql_ix(ix, i)) == 0) {
                    cv_col_copy_value(out, &list->child[1], (uint32_t)j);
                    found = true;
                }
            if (!found) cv_col_append_null(out);
        }
    }
    return 0;
}

/* ---- the walk ------------------------------------------------------------------------ */

int cv__sql_eval(cv_sql_exec *e, const sql_node *n, const cv_batch *in, const uint8_t *active, sql_vec *out)
{
    return cv__sql_eval_into(e, n, in, active, NULL, out);
}

int cv__sql_eval_into(cv_sql_exec *e, const sql_node *n, const cv_batch *in, const uint8_t *active, cv_col *into,
                      sql_vec *out)
{
    if (n->konst) {
        *out = (sql_vec){n->kval, true};
        return 0;
    }
    if (n->kind == N_COL) {
        *out = (sql_vec){&((cv_batch *)in)->cols[n->col], false};
        return 0;
    }
    sql_vec kv[8];
    sql_vec *kids = n->nkids <= 8 ? kv : cv_malloc(n->nkids * sizeof *kids);
    if (!kids) return cv_err_set(e->x.err, CV_ENOMEM, "out of memory");
    int rc = 0;
    if (n->kind != N_CASE)
        for (uint32_t i = 0; rc == 0 && i < n->nkids; i++) rc = cv__sql_eval(e, n->kids[i], in, active, &kids[i]);
    cv_col *o = rc == 0 ? (into ? into : scratch(e, n)) : NULL;
    uint32_t base = o ? o->len : 0;
    if (rc == 0 && !o) rc = cv_err_set(e->x.err, CV_ENOMEM, "out of memory");
    if (rc == 0) {
        const uint8_t *saved = e->x.active;
        e->x.active = active;
        switch (n->kind) {
        case N_ARITH: rc = eval_arith(e, n, &kids[0], &kids[1], active, o); break;
        case N_NEG: rc = eval_neg(e, n, &kids[0], active, o); break;
        case N_CMP: rc = eval_cmp(e, n, &kids[0], &kids[1], o); break;
        case N_AND:
        case N_OR:
        case N_NOT: rc = eval_logic(e, n, kids, o); break;
        case N_ISNULL:
            for (uint32_t i = 0; i < e->x.n; i++) cv_col_append_bool(o, sql_null(&kids[0], i) != n->negated);
            break;
        case N_IN: rc = eval_in(e, n, kids, o); break;
        case N_LIKE: rc = eval_like(e, n, kids, o); break;
        case N_CASE: rc = eval_case(e, n, in, active, o); break;
        case N_CAST: rc = cv__sql_cast(&e->x, n->call, &kids[0], n->kids[0]->type, n->type, n->try_cast, o); break;
        case N_FIELD: rc = eval_field(e, n, &kids[0], o); break;
        case N_INDEX:
        case N_MAPGET: rc = eval_index(e, n, kids, active, o); break;
        case N_CALL: rc = n->call->fn->eval(n->call, &e->x, kids, o); break;
        default: rc = cv_err_set(e->x.err, CV_EINTERNAL, "cannot evaluate node kind %d", n->kind); break;
        }
        e->x.active = saved;
    }
    if (kids != kv) cv_free(kids);
    if (rc < 0) return rc;
    CV_TRY(col_check(e, o));
    if (o->len - base != e->x.n)
        return cv_err_set(e->x.err, CV_EINTERNAL, "%s produced %u values for %u rows",
                          n->kind == N_CALL ? n->call->name : "an operator", o->len - base, e->x.n);
    *out = (sql_vec){o, false};
    return 0;
}
