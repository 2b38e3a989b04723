/* bind.c — resolves a parsed query against its input table: names to
 * columns and fields, functions to the library, every node's type and
 * nullability by SeaTunnel's rules (ZetaSQLType), casts inserted where an
 * operator or a function parameter needs another type, constant sub-trees
 * folded. Type errors are plan-time errors with the query position. */
#include "sql_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    cv_arena *a;
    cv_sql_query *q;
    cv_err *err;
} binder;

static int nomem(binder *b) { return cv_err_set(b->err, CV_ENOMEM, "out of memory"); }

static int fail(binder *b, const sql_node *n, const char *fmt, ...) CV_PRINTF(3, 4);
static int fail(binder *b, const sql_node *n, const char *fmt, ...)
{
    char msg[CV_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cv__sql_err_at(b->q->text, n->off, b->err, CV_ECONFIG, "%s", msg);
}

static const char *tname(binder *b, const cv_type *t)
{
    if (t->id == CV_T_NULL) return "NULL";
    char buf[128];
    return cv_arena_strdup(b->a, cv_type_str(t, buf, sizeof buf));
}

/* The expression as written, for messages and output names. */
static const char *src_text(binder *b, const sql_node *n)
{
    return cv_arena_strndup(b->a, b->q->text + n->off, n->end > n->off ? n->end - n->off : 0);
}

static const cv_type *T(cv_type_id id) { return cv_type_prim(id); }

static bool is_num(const cv_type *t) { return cv_type_is_numeric(t); }
static bool is_int(const cv_type *t) { return cv_type_is_integer(t); }
static bool is_temporal(const cv_type *t)
{
    return t->id == CV_T_DATE || t->id == CV_T_TIME || t->id == CV_T_TIMESTAMP || t->id == CV_T_TIMESTAMP_TZ;
}
static bool is_null(const cv_type *t) { return t->id == CV_T_NULL; }

static sql_node *new_node(binder *b, sql_kind k, const sql_node *like)
{
    sql_node *n = cv_arena_zalloc(b->a, sizeof *n);
    if (!n) return NULL;
    n->kind = k;
    n->off = like->off;
    n->end = like->end;
    n->col = -1;
    n->id = b->q->nnodes++;
    return n;
}

/* A call record for a node that can fail at run time (its name and position). */
static int site(binder *b, sql_node *n, const char *name)
{
    sql_call *c = cv_arena_zalloc(b->a, sizeof *c);
    if (!c) return nomem(b);
    c->name = name;
    cv__sql_linecol(b->q->text, n->off, &c->line, &c->col);
    c->ret = n->type;
    n->call = c;
    return 0;
}

/* ---- constants -------------------------------------------------------------- */

static cv_col *konst_col(binder *b, const cv_type *t) { return cv__sql_konst_col(b->a, b->q, t); }

/* A constant's column is free-standing: an append that cannot grow it
 * leaves it empty without an error to read, so look at its length. */
static int konst_filled(binder *b, const sql_node *n) { return n->kval->len == 1 ? 0 : nomem(b); }

static int bind_literal(binder *b, sql_node *n)
{
    n->konst = true;
    switch (n->op[0]) {
    case '0':
        n->type = T(CV_T_NULL);
        n->nullable = true;
        if (!(n->kval = konst_col(b, n->type))) return nomem(b);
        cv_col_append_null(n->kval);
        return konst_filled(b, n);
    case 'b':
        n->type = T(CV_T_BOOL);
        if (!(n->kval = konst_col(b, n->type))) return nomem(b);
        cv_col_append_bool(n->kval, strcasecmp(n->name, "TRUE") == 0);
        return konst_filled(b, n);
    case 's':
        n->type = T(CV_T_STRING);
        if (!(n->kval = konst_col(b, n->type))) return nomem(b);
        cv_col_append_str(n->kval, n->name, n->field);
        return konst_filled(b, n);
    case 'i': {
        errno = 0;
        char *end;
        long long v = strtoll(n->name, &end, 10);
        if (errno == 0 && *end == '\0') {
            bool small = v >= INT32_MIN && v <= INT32_MAX;
            n->type = T(small ? CV_T_I32 : CV_T_I64);
            if (!(n->kval = konst_col(b, n->type))) return nomem(b);
            if (small)
                cv_col_append_i32(n->kval, (int32_t)v);
            else
                cv_col_append_i64(n->kval, v);
            return konst_filled(b, n);
        }
        /* beyond bigint: an exact decimal */
        size_t digits = strlen(n->name) - (n->name[0] == '-');
        if (digits > CV_DECIMAL_MAX_PRECISION) return fail(b, n, "the number %s has more than 38 digits", n->name);
        n->type = cv_type_decimal(b->a, (unsigned)digits, 0);
        cv_i128 d;
        const char *why;
        if (!n->type || !(n->kval = konst_col(b, n->type))) return nomem(b);
        if (cv_decimal_parse(n->name, strlen(n->name), (unsigned)digits, 0, &d, &why) < 0)
            return fail(b, n, "bad number %s: %s", n->name, why);
        cv_col_append_dec(n->kval, d);
        return konst_filled(b, n);
    }
    case 'n': {
        char *end;
        double v = strtod(n->name, &end);
        n->type = T(CV_T_F64);
        if (!(n->kval = konst_col(b, n->type))) return nomem(b);
        cv_col_append_f64(n->kval, v);
        return konst_filled(b, n);
    }
    }
    return cv_err_set(b->err, CV_EINTERNAL, "literal kind %c", n->op[0]);
}

/* ---- casts --------------------------------------------------------------------- */

/* Make *slot of type `to`: a NULL literal simply takes the type; a value of
 * another type gets a cast node (folded when constant). */
static int coerce(binder *b, sql_node **slot, const cv_type *to)
{
    sql_node *k = *slot;
    if (cv_type_equal(k->type, to)) return 0;
    if (is_null(k->type)) {
        if (!(k->kval = konst_col(b, to))) return nomem(b);
        cv_col_append_null(k->kval);
        k->type = to;
        return konst_filled(b, k);
    }
    if (!cv__sql_castable(k->type, to))
        return fail(b, k, "%s is %s and cannot be converted to %s", src_text(b, k), tname(b, k->type), tname(b, to));
    sql_node *c = new_node(b, N_CAST, k);
    if (!c) return nomem(b);
    c->kids = cv_arena_alloc(b->a, sizeof *c->kids);
    if (!c->kids) return nomem(b);
    c->kids[0] = k;
    c->nkids = 1;
    c->cast_to = to;
    c->type = to;
    c->nullable = k->nullable;
    CV_TRY(site(b, c, "CAST"));
    if (k->konst) CV_TRY(cv__sql_fold(b->a, b->q, c, b->err));
    *slot = c;
    return 0;
}

/* ---- names ------------------------------------------------------------------------ */

static int find_col(const cv_table *t, const char *name)
{
    int c = cv_table_find_col(t, name);
    if (c >= 0) return c;
    int found = -1;
    for (uint32_t i = 0; i < t->ncols; i++)
        if (strcasecmp(t->cols[i].name, name) == 0) {
            if (found >= 0) return -1; /* ambiguous without exact case */
            found = (int)i;
        }
    return found;
}

static int unknown_column(binder *b, const sql_node *n, const char *name)
{
    const cv_table *t = b->q->in;
    const char *names[512] = {0};
    uint32_t k;
    for (k = 0; k < t->ncols && k < CV_ARRAY_LEN(names); k++) names[k] = t->cols[k].name;
    const char *dym = cv_did_you_mean(name, names, k);
    cv_buf all;
    cv_buf_init(&all);
    for (uint32_t i = 0; i < k && i < 30; i++) cv_buf_printf(&all, "%s%s", i ? ", " : "", names[i]);
    if (k > 30) cv_buf_puts(&all, ", …");
    int rc;
    if (dym)
        rc = fail(b, n, "unknown column \"%s\" (did you mean \"%s\"?)", name, dym);
    else
        rc = fail(b, n, "unknown column \"%s\"; %s has: %s", name, t->full_name, all.data ? all.data : "no columns");
    cv_buf_free(&all);
    return rc;
}

static int field_of(const cv_type *row, const char *name)
{
    for (uint32_t i = 0; i < row->nfields; i++)
        if (strcmp(row->fields[i].name, name) == 0) return (int)i;
    for (uint32_t i = 0; i < row->nfields; i++)
        if (strcasecmp(row->fields[i].name, name) == 0) return (int)i;
    return -1;
}

static int bind_name(binder *b, sql_node *n)
{
    const cv_table *in = b->q->in;
    uint32_t first = 0;
    int c = find_col(in, n->parts[0]);
    if (c < 0 && n->nparts >= 3 && in->database && strcasecmp(n->parts[0], in->database) == 0 && in->name &&
        strcasecmp(n->parts[1], in->name) == 0) {
        /* database.table.column */
        first = 2;
        c = find_col(in, n->parts[2]);
    }
    if (c < 0 && first == 0 && n->nparts >= 2) {
        /* table.column: the FROM name or the table's own name */
        bool is_table = (b->q->from && strcasecmp(n->parts[0], b->q->from) == 0) ||
                        (in->name && strcasecmp(n->parts[0], in->name) == 0) ||
                        strcasecmp(n->parts[0], in->full_name) == 0;
        if (is_table) {
            first = 1;
            c = find_col(in, n->parts[1]);
        }
    }
    if (c < 0) return unknown_column(b, n, n->parts[first]);
    const char **parts = n->parts;
    uint32_t nparts = n->nparts;
    n->kind = N_COL;
    n->col = c;
    n->type = in->cols[c].type;
    n->nullable = in->cols[c].nullable;
    /* the rest walks into rows and maps */
    for (uint32_t i = first + 1; i < nparts; i++) {
        const char *part = parts[i];
        sql_node *inner = cv_arena_alloc(b->a, sizeof *inner);
        if (!inner) return nomem(b);
        *inner = *n; /* what we have so far becomes the child */
        sql_node *outer = n;
        memset(outer, 0, sizeof *outer);
        outer->off = inner->off;
        outer->end = inner->end;
        outer->col = -1;
        outer->name = part;
        outer->id = b->q->nnodes++;
        outer->kids = cv_arena_alloc(b->a, 2 * sizeof *outer->kids);
        if (!outer->kids) return nomem(b);
        outer->kids[0] = inner;
        outer->nkids = 1;
        outer->nullable = true;
        if (inner->type->id == CV_T_ROW) {
            int f = field_of(inner->type, part);
            if (f < 0) return fail(b, outer, "%s has no field \"%s\"", tname(b, inner->type), part);
            outer->kind = N_FIELD;
            outer->field = (uint32_t)f;
            outer->type = inner->type->fields[f].type;
        } else if (inner->type->id == CV_T_MAP) {
            sql_node key = {.kind = N_LIT, .off = outer->off, .end = outer->end, .name = part};
            key.op[0] = 's';
            key.field = (uint32_t)strlen(part);
            sql_node *kn = cv_arena_memdup(b->a, &key, sizeof key);
            if (!kn) return nomem(b);
            kn->id = b->q->nnodes++;
            CV_TRY(bind_literal(b, kn));
            outer->kids[1] = kn;
            outer->nkids = 2;
            outer->kind = N_MAPGET;
            CV_TRY(coerce(b, &outer->kids[1], inner->type->elem));
            outer->type = inner->type->value;
        } else {
            return fail(b, outer, "\"%s\" is %s, which has no field \"%s\"", src_text(b, inner), tname(b, inner->type),
                        part);
        }
    }
    n->name = parts[nparts - 1];
    return 0;
}

/* ---- expressions ------------------------------------------------------------------- */

static int bind(binder *b, sql_node *n);

static bool all_konst(const sql_node *n)
{
    for (uint32_t i = 0; i < n->nkids; i++)
        if (!n->kids[i]->konst) return false;
    return true;
}

static int fold_if_konst(binder *b, sql_node *n)
{
    if (!all_konst(n)) return 0;
    return cv__sql_fold(b->a, b->q, n, b->err);
}

/* SeaTunnel's result type of arithmetic on l and r. */
static const cv_type *arith_type(binder *b, const cv_type *l, const cv_type *r)
{
    bool li = is_int(l) && l->id != CV_T_I64, ri = is_int(r) && r->id != CV_T_I64;
    if (li && ri) return T(CV_T_I32);
    if (is_int(l) && is_int(r)) return T(CV_T_I64);
    if (l->id == CV_T_DECIMAL || r->id == CV_T_DECIMAL) {
        unsigned p = 0, s = 0;
        if (l->id == CV_T_DECIMAL) p = l->precision, s = l->scale;
        if (r->id == CV_T_DECIMAL) p = CV_MAX(p, r->precision), s = CV_MAX(s, r->scale);
        return cv_type_decimal(b->a, p, s);
    }
    return T(CV_T_F64);
}

static int bind_arith(binder *b, sql_node *n)
{
    sql_node *l = n->kids[0], *r = n->kids[1];
    const cv_type *lt = is_null(l->type) ? r->type : l->type, *rt = is_null(r->type) ? l->type : r->type;
    if (is_null(lt)) lt = rt = T(CV_T_I32);
    if (!is_num(lt) || !is_num(rt))
        return fail(b, n, "'%s' needs numbers, but %s is %s%s%s", n->op, src_text(b, is_num(lt) ? r : l),
                    tname(b, is_num(lt) ? rt : lt),
                    (lt->id == CV_T_STRING || rt->id == CV_T_STRING) && n->op[0] == '+'
                        ? " (use || or CONCAT to join strings)"
                        : "",
                    "");
    n->type = arith_type(b, lt, rt);
    if (!n->type) return nomem(b);
    n->nullable = l->nullable || r->nullable;
    if (n->type->id == CV_T_DECIMAL) {
        /* operands keep their own scale; integers and doubles become decimals */
        for (int i = 0; i < 2; i++) {
            const cv_type *t = n->kids[i]->type;
            if (t->id == CV_T_DECIMAL) continue;
            const cv_type *to =
                is_int(t) || is_null(t) ? cv_type_decimal(b->a, 19, 0) : cv_type_decimal(b->a, 38, n->type->scale);
            if (!to) return nomem(b);
            CV_TRY(coerce(b, &n->kids[i], to));
        }
    } else {
        CV_TRY(coerce(b, &n->kids[0], n->type));
        CV_TRY(coerce(b, &n->kids[1], n->type));
    }
    CV_TRY(site(b, n, n->op));
    return fold_if_konst(b, n);
}

/* The type two values are compared in, or NULL when they cannot be. A
 * string constant meets a date/time value as that type. */
static const cv_type *cmp_type(binder *b, sql_node **l, sql_node **r)
{
    const cv_type *lt = (*l)->type, *rt = (*r)->type;
    if (is_null(lt)) return is_null(rt) ? T(CV_T_STRING) : rt;
    if (is_null(rt)) return lt;
    if (is_num(lt) && is_num(rt)) {
        /* a constant meets a column in the column's own type when it fits,
         * so the column is compared as it is, not cast row by row */
        for (int side = 0; side < 2; side++) {
            sql_node *k = side ? *l : *r, *c = side ? *r : *l;
            if (!k->konst || c->konst || cv_col_is_null(k->kval, 0)) continue;
            const cv_type *ct = c->type, *kt = k->type;
            if (is_int(ct) && is_int(kt)) {
                int64_t v = cv_col_get_int(k->kval, 0);
                int64_t lo = ct->id == CV_T_I8    ? INT8_MIN
                             : ct->id == CV_T_I16 ? INT16_MIN
                             : ct->id == CV_T_I32 ? INT32_MIN
                                                  : INT64_MIN;
                int64_t hi = ct->id == CV_T_I8    ? INT8_MAX
                             : ct->id == CV_T_I16 ? INT16_MAX
                             : ct->id == CV_T_I32 ? INT32_MAX
                                                  : INT64_MAX;
                if (v >= lo && v <= hi && (ct->id == CV_T_I32 || ct->id == CV_T_I64)) return ct;
            }
            if ((ct->id == CV_T_F64) && (is_int(kt) || kt->id == CV_T_F32)) return ct;
        }
        if (lt->id == CV_T_F64 || lt->id == CV_T_F32 || rt->id == CV_T_F64 || rt->id == CV_T_F32) return T(CV_T_F64);
        if (lt->id == CV_T_DECIMAL || rt->id == CV_T_DECIMAL) {
            unsigned s = CV_MAX(lt->id == CV_T_DECIMAL ? lt->scale : 0, rt->id == CV_T_DECIMAL ? rt->scale : 0);
            return cv_type_decimal(b->a, 38, s);
        }
        return T(CV_T_I64);
    }
    if (cv_type_equal(lt, rt)) return lt;
    if (is_temporal(lt) && rt->id == CV_T_STRING && (*r)->konst) return lt;
    if (is_temporal(rt) && lt->id == CV_T_STRING && (*l)->konst) return rt;
    if ((lt->id == CV_T_DATE && rt->id == CV_T_TIMESTAMP) || (lt->id == CV_T_TIMESTAMP && rt->id == CV_T_DATE))
        return T(CV_T_TIMESTAMP);
    if (lt->id == CV_T_STRING && rt->id == CV_T_STRING) return lt;
    return NULL;
}

static int bind_cmp(binder *b, sql_node *n, sql_node **l, sql_node **r, const char *op)
{
    const cv_type *t = cmp_type(b, l, r);
    if (!t)
        return fail(b, n, "cannot compare %s (%s) with %s (%s)", src_text(b, *l), tname(b, (*l)->type), src_text(b, *r),
                    tname(b, (*r)->type));
    if (op && strcmp(op, "=") != 0 && strcmp(op, "<>") != 0 &&
        (t->id == CV_T_BOOL || t->id == CV_T_ARRAY || t->id == CV_T_MAP || t->id == CV_T_ROW || t->id == CV_T_BYTES))
        return fail(b, n, "%s values can only be compared with = and <>", tname(b, t));
    CV_TRY(coerce(b, l, t));
    CV_TRY(coerce(b, r, t));
    return 0;
}

static int need_bool(binder *b, sql_node **slot, const char *what)
{
    sql_node *k = *slot;
    if (k->type->id == CV_T_BOOL) return 0;
    if (is_null(k->type)) return coerce(b, slot, T(CV_T_BOOL));
    return fail(b, k, "%s needs a condition (a boolean), but %s is %s", what, src_text(b, k), tname(b, k->type));
}

/* SeaTunnel's widest type of CASE results (getMaxType). */
static const cv_type *max_type(binder *b, const cv_type *x, const cv_type *y, bool *ok)
{
    if (is_null(x)) return y;
    if (is_null(y)) return x;
    if (cv_type_equal(x, y)) return x;
    if (is_num(x) && is_num(y)) {
        if (x->id == CV_T_DECIMAL || y->id == CV_T_DECIMAL) {
            unsigned p = 0, s = 0;
            if (x->id == CV_T_DECIMAL) p = x->precision, s = x->scale;
            if (y->id == CV_T_DECIMAL) p = CV_MAX(p, y->precision), s = CV_MAX(s, y->scale);
            return cv_type_decimal(b->a, p, s);
        }
        return x->id >= y->id ? x : y;
    }
    *ok = false;
    return x;
}

static int bind_case(binder *b, sql_node *n)
{
    uint32_t w0 = n->has_operand ? 1 : 0, wend = n->nkids - (n->has_else ? 1 : 0);
    /* CASE x WHEN v … becomes CASE WHEN x = v … */
    if (n->has_operand) {
        for (uint32_t i = w0; i < wend; i += 2) {
            sql_node *eq = new_node(b, N_CMP, n->kids[i]);
            if (!eq || !(eq->kids = cv_arena_alloc(b->a, 2 * sizeof *eq->kids))) return nomem(b);
            eq->op[0] = '=';
            eq->kids[0] = n->kids[0];
            eq->kids[1] = n->kids[i];
            eq->nkids = 2;
            eq->type = T(CV_T_BOOL);
            CV_TRY(bind_cmp(b, eq, &eq->kids[0], &eq->kids[1], "="));
            CV_TRY(fold_if_konst(b, eq));
            n->kids[i] = eq;
        }
        /* the operand now lives in the comparisons */
        memmove(n->kids, n->kids + 1, (n->nkids - 1) * sizeof *n->kids);
        n->nkids--;
        n->has_operand = false;
        w0 = 0;
        wend--;
    }
    const cv_type *t = T(CV_T_NULL);
    n->nullable = !n->has_else;
    for (uint32_t i = w0; i < n->nkids; i++) {
        bool is_then = n->has_else && i == n->nkids - 1 ? true : ((i - w0) % 2 == 1);
        if (!is_then) {
            CV_TRY(need_bool(b, &n->kids[i], "WHEN"));
            continue;
        }
        bool ok = true;
        const cv_type *nt = max_type(b, t, n->kids[i]->type, &ok);
        if (!nt) return nomem(b);
        if (!ok)
            return fail(b, n->kids[i], "CASE results must have one type: %s is %s, an earlier result is %s",
                        src_text(b, n->kids[i]), tname(b, n->kids[i]->type), tname(b, t));
        t = nt;
        n->nullable |= n->kids[i]->nullable;
    }
    if (is_null(t)) t = T(CV_T_STRING);
    n->type = t;
    for (uint32_t i = w0; i < n->nkids; i++) {
        bool is_then = n->has_else && i == n->nkids - 1 ? true : ((i - w0) % 2 == 1);
        if (is_then) CV_TRY(coerce(b, &n->kids[i], t));
    }
    return 0;
}

static int bind_call(binder *b, sql_node *n)
{
    const sql_func *f = cv__sql_func_find(n->name);
    if (!f) {
        size_t nn;
        const char *const *names = cv_sql_function_names(&nn);
        char up[64];
        size_t i;
        for (i = 0; n->name[i] && i + 1 < sizeof up; i++)
            up[i] = (char)(n->name[i] >= 'a' && n->name[i] <= 'z' ? n->name[i] - 32 : n->name[i]);
        up[i] = '\0';
        const char *dym = nn ? cv_did_you_mean(up, names, nn) : NULL;
        return fail(b, n, "unknown function %s%s%s%s", n->name, dym ? " (did you mean " : "", dym ? dym : "",
                    dym ? "?)" : "; see docs/sql.md for the function list");
    }
    if ((int)n->nkids < f->min_args || (f->max_args >= 0 && (int)n->nkids > f->max_args)) {
        if (f->min_args == f->max_args)
            return fail(b, n, "%s takes %d argument%s, not %u", f->name, f->min_args, f->min_args == 1 ? "" : "s",
                        n->nkids);
        if (f->max_args < 0)
            return fail(b, n, "%s takes at least %d arguments, not %u", f->name, f->min_args, n->nkids);
        return fail(b, n, "%s takes %d to %d arguments, not %u", f->name, f->min_args, f->max_args, n->nkids);
    }
    sql_call *c = cv_arena_zalloc(b->a, sizeof *c);
    const cv_type **argt = cv_arena_alloc(b->a, (n->nkids + 1) * sizeof *argt);
    if (!c || !argt) return nomem(b);
    c->fn = f;
    c->name = f->name;
    cv__sql_linecol(b->q->text, n->off, &c->line, &c->col);
    size_t np = f->params ? strlen(f->params) : 0;
    for (uint32_t i = 0; i < n->nkids; i++) {
        char kind = np ? f->params[i < np ? i : np - 1] : 'A';
        sql_node **slot = &n->kids[i];
        const cv_type *t = (*slot)->type;
        const cv_type *to = NULL;
        const char *want = NULL;
        switch (kind) {
        case 'S':
            if (t->id == CV_T_ARRAY || t->id == CV_T_MAP || t->id == CV_T_ROW) want = "a string";
            to = T(CV_T_STRING);
            break;
        case 'I':
            if (!is_int(t) && !is_null(t)) want = "an integer";
            to = T(CV_T_I32);
            break;
        case 'L':
            if (!is_int(t) && !is_null(t)) want = "an integer";
            to = T(CV_T_I64);
            break;
        case 'D':
            if (!is_num(t) && !is_null(t)) want = "a number";
            to = T(CV_T_F64);
            break;
        case 'N':
            if (!is_num(t) && !is_null(t)) want = "a number";
            to = is_null(t) ? T(CV_T_F64) : t;
            break;
        case 'T':
            if (is_temporal(t) || is_null(t))
                to = is_null(t) ? T(CV_T_TIMESTAMP) : t;
            else if (t->id == CV_T_STRING && (*slot)->konst)
                to = T(CV_T_TIMESTAMP);
            else
                want = "a date, time or timestamp";
            break;
        case 'B':
            if (t->id != CV_T_BOOL && !is_null(t)) want = "a boolean";
            to = T(CV_T_BOOL);
            break;
        default: to = t; break;
        }
        if (want)
            return fail(b, *slot, "argument %u of %s must be %s, but %s is %s", i + 1, f->name, want,
                        src_text(b, *slot), tname(b, t));
        if (kind != 'A') CV_TRY(coerce(b, slot, to));
        argt[i] = (*slot)->type;
    }
    c->nargs = n->nkids;
    c->argt = argt;
    switch (f->ret) {
    case 'S': c->ret = T(CV_T_STRING); break;
    case 'I': c->ret = T(CV_T_I32); break;
    case 'L': c->ret = T(CV_T_I64); break;
    case 'D': c->ret = T(CV_T_F64); break;
    case 'B': c->ret = T(CV_T_BOOL); break;
    case 'd': c->ret = T(CV_T_DATE); break;
    case 't': c->ret = T(CV_T_TIME); break;
    case 'T': c->ret = T(CV_T_TIMESTAMP); break;
    case 'X': c->ret = T(CV_T_BYTES); break;
    default:
        if (f->ret >= '0' && f->ret <= '9' && (uint32_t)(f->ret - '0') < n->nkids) c->ret = argt[f->ret - '0'];
        break;
    }
    if (f->bind) {
        sql_vec *kargs = cv_arena_zalloc(b->a, (n->nkids + 1) * sizeof *kargs);
        if (!kargs) return nomem(b);
        for (uint32_t i = 0; i < n->nkids; i++)
            if (n->kids[i]->konst) kargs[i] = (sql_vec){n->kids[i]->kval, true};
        CV_TRY(f->bind(c, b->a, kargs, b->err));
    }
    if (!c->ret) return cv_err_set(b->err, CV_EINTERNAL, "function %s has no result type", f->name);
    if (is_null(c->ret)) c->ret = T(CV_T_STRING);
    n->call = c;
    n->type = c->ret;
    n->nullable = true;
    if (f->flags & SQL_F_VOLATILE) {
        b->q->volatile_now = true;
        return 0;
    }
    return fold_if_konst(b, n);
}

static int bind_kids(binder *b, sql_node *n)
{
    for (uint32_t i = 0; i < n->nkids; i++) CV_TRY(bind(b, n->kids[i]));
    return 0;
}

static int bind(binder *b, sql_node *n)
{
    n->id = b->q->nnodes++;
    switch (n->kind) {
    case N_LIT: return bind_literal(b, n);
    case N_NAME: return bind_name(b, n);
    case N_CALL: CV_TRY(bind_kids(b, n)); return bind_call(b, n);
    case N_NEG:
        CV_TRY(bind_kids(b, n));
        if (!is_num(n->kids[0]->type) && !is_null(n->kids[0]->type))
            return fail(b, n, "'-' needs a number, but %s is %s", src_text(b, n->kids[0]), tname(b, n->kids[0]->type));
        n->type = is_null(n->kids[0]->type) ? T(CV_T_I32) : n->kids[0]->type;
        if (n->type->id == CV_T_I8 || n->type->id == CV_T_I16) n->type = T(CV_T_I32);
        CV_TRY(coerce(b, &n->kids[0], n->type));
        n->nullable = n->kids[0]->nullable;
        CV_TRY(site(b, n, "-"));
        return fold_if_konst(b, n);
    case N_ARITH: CV_TRY(bind_kids(b, n)); return bind_arith(b, n);
    case N_CONCAT:
        /* a || b is CONCAT(a, b), as in SeaTunnel */
        CV_TRY(bind_kids(b, n));
        n->kind = N_CALL;
        n->name = "CONCAT";
        return bind_call(b, n);
    case N_CMP:
        CV_TRY(bind_kids(b, n));
        n->type = T(CV_T_BOOL);
        CV_TRY(bind_cmp(b, n, &n->kids[0], &n->kids[1], n->op));
        return fold_if_konst(b, n);
    case N_AND:
    case N_OR:
    case N_NOT:
        CV_TRY(bind_kids(b, n));
        for (uint32_t i = 0; i < n->nkids; i++) {
            CV_TRY(need_bool(b, &n->kids[i], n->kind == N_AND ? "AND" : n->kind == N_OR ? "OR" : "NOT"));
            n->nullable |= n->kids[i]->nullable;
        }
        n->type = T(CV_T_BOOL);
        return fold_if_konst(b, n);
    case N_ISNULL:
        CV_TRY(bind_kids(b, n));
        n->type = T(CV_T_BOOL);
        return fold_if_konst(b, n);
    case N_IN: {
        CV_TRY(bind_kids(b, n));
        n->type = T(CV_T_BOOL);
        /* one comparison type for the value and every item */
        const cv_type *t = n->kids[0]->type;
        for (uint32_t i = 1; i < n->nkids; i++) {
            sql_node *l = n->kids[0];
            const cv_type *ct = cmp_type(b, &l, &n->kids[i]);
            if (!ct)
                return fail(b, n->kids[i], "IN list item %s is %s, which cannot be compared with %s (%s)",
                            src_text(b, n->kids[i]), tname(b, n->kids[i]->type), src_text(b, n->kids[0]),
                            tname(b, n->kids[0]->type));
            if (is_null(t) || (is_num(ct) && !cv_type_equal(ct, t) && is_num(t)))
                t = is_num(t) && is_num(ct) ? (ct->id == CV_T_F64 || t->id == CV_T_F64 ? T(CV_T_F64) : ct) : ct;
        }
        if (is_null(t)) t = T(CV_T_STRING);
        for (uint32_t i = 0; i < n->nkids; i++) CV_TRY(coerce(b, &n->kids[i], t));
        return fold_if_konst(b, n);
    }
    case N_LIKE:
        CV_TRY(bind_kids(b, n));
        n->type = T(CV_T_BOOL);
        for (uint32_t i = 0; i < 2; i++) {
            const cv_type *t = n->kids[i]->type;
            if (t->id == CV_T_ARRAY || t->id == CV_T_MAP || t->id == CV_T_ROW)
                return fail(b, n->kids[i], "LIKE needs strings, but %s is %s", src_text(b, n->kids[i]), tname(b, t));
            CV_TRY(coerce(b, &n->kids[i], T(CV_T_STRING)));
        }
        return fold_if_konst(b, n);
    case N_BETWEEN: {
        /* x BETWEEN lo AND hi → x >= lo AND x <= hi */
        CV_TRY(bind_kids(b, n));
        sql_node *ge = new_node(b, N_CMP, n), *le = new_node(b, N_CMP, n);
        if (!ge || !le || !(ge->kids = cv_arena_alloc(b->a, 2 * sizeof(sql_node *))) ||
            !(le->kids = cv_arena_alloc(b->a, 2 * sizeof(sql_node *))))
            return nomem(b);
        memcpy(ge->op, ">=", 2);
        memcpy(le->op, "<=", 2);
        ge->kids[0] = n->kids[0];
        ge->kids[1] = n->kids[1];
        le->kids[0] = n->kids[0];
        le->kids[1] = n->kids[2];
        ge->nkids = le->nkids = 2;
        ge->type = le->type = T(CV_T_BOOL);
        CV_TRY(bind_cmp(b, ge, &ge->kids[0], &ge->kids[1], ">="));
        CV_TRY(bind_cmp(b, le, &le->kids[0], &le->kids[1], "<="));
        n->kind = N_AND;
        n->kids[0] = ge;
        n->kids[1] = le;
        n->nkids = 2;
        n->type = T(CV_T_BOOL);
        if (n->negated) {
            /* NOT BETWEEN: wrap the AND */
            sql_node *and = new_node(b, N_AND, n);
            if (!and) return nomem(b);
            *and = *n;
            and->id = b->q->nnodes++;
            and->negated = false;
            n->kind = N_NOT;
            n->kids = cv_arena_alloc(b->a, sizeof *n->kids);
            if (!n->kids) return nomem(b);
            n->kids[0] = and;
            n->nkids = 1;
        }
        return fold_if_konst(b, n);
    }
    case N_CASE:
        CV_TRY(bind_kids(b, n));
        CV_TRY(bind_case(b, n));
        return fold_if_konst(b, n);
    case N_CAST:
        CV_TRY(bind_kids(b, n));
        if (!cv__sql_castable(n->kids[0]->type, n->cast_to) && !is_null(n->kids[0]->type))
            return fail(b, n, "cannot CAST %s (%s) AS %s", src_text(b, n->kids[0]), tname(b, n->kids[0]->type),
                        tname(b, n->cast_to));
        n->type = n->cast_to;
        n->nullable = n->kids[0]->nullable || n->try_cast;
        if (is_null(n->kids[0]->type)) CV_TRY(coerce(b, &n->kids[0], n->cast_to));
        CV_TRY(site(b, n, n->try_cast ? "TRY_CAST" : "CAST"));
        return fold_if_konst(b, n);
    case N_INDEX: {
        CV_TRY(bind_kids(b, n));
        const cv_type *t = n->kids[0]->type;
        n->nullable = true;
        if (t->id == CV_T_ARRAY) {
            if (!is_int(n->kids[1]->type) && !is_null(n->kids[1]->type))
                return fail(b, n->kids[1], "an array index must be an integer, but %s is %s", src_text(b, n->kids[1]),
                            tname(b, n->kids[1]->type));
            CV_TRY(coerce(b, &n->kids[1], T(CV_T_I64)));
            n->type = t->elem;
        } else if (t->id == CV_T_MAP) {
            n->kind = N_MAPGET;
            CV_TRY(coerce(b, &n->kids[1], t->elem));
            n->type = t->value;
        } else {
            return fail(b, n, "%s is %s: only arrays and maps take [ ]", src_text(b, n->kids[0]), tname(b, t));
        }
        return site(b, n, "[]");
    }
    case N_STAR: return fail(b, n, "* may only stand alone in the select list%s", "");
    case N_COL:
    case N_FIELD:
    case N_MAPGET: return 0;
    }
    return cv_err_set(b->err, CV_EINTERNAL, "unbound node kind %d", n->kind);
}

/* ---- the select list ------------------------------------------------------------------ */

/* Which input columns the select list reads. */
static void mark_uses(cv_sql_query *q, const sql_node *n)
{
    if (n->kind == N_COL) q->uses[n->col] = true;
    for (uint32_t i = 0; i < n->nkids; i++) mark_uses(q, n->kids[i]);
}

typedef CV_VEC(cv_column) col_vec;
typedef CV_VEC(sql_node *) node_vec;

static int add_out(binder *b, col_vec *cols, node_vec *outs, cv_column c, sql_node *e, const sql_item *it)
{
    for (size_t i = 0; i < cols->n; i++)
        if (strcmp(cols->v[i].name, c.name) == 0)
            return cv__sql_err_at(b->q->text, it->off, b->err, CV_ECONFIG,
                                  "two output columns are named \"%s\": give one an alias (AS name)", c.name);
    if (cv_vec_push(cols, c) < 0 || cv_vec_push(outs, e) < 0) return nomem(b);
    return 0;
}

int cv__sql_bind(cv_arena *a, cv_sql_query *q, cv_err *err)
{
    binder b = {a, q, err};
    col_vec cols = {0};
    node_vec outs = {0};
    int rc = 0;
    for (uint32_t i = 0; rc == 0 && i < q->nitems; i++) {
        sql_item *it = &q->items[i];
        if (!it->expr) {
            for (uint32_t c = 0; rc == 0 && c < q->in->ncols; c++) {
                sql_node *e = cv_arena_zalloc(a, sizeof *e);
                if (!e) {
                    rc = nomem(&b);
                    break;
                }
                e->kind = N_COL;
                e->col = (int)c;
                e->type = q->in->cols[c].type;
                e->nullable = q->in->cols[c].nullable;
                e->off = it->off;
                e->end = it->end;
                e->id = q->nnodes++;
                rc = add_out(&b, &cols, &outs, q->in->cols[c], e, it);
            }
            continue;
        }
        bool plain = it->expr->kind == N_NAME;
        rc = bind(&b, it->expr);
        if (rc < 0) break;
        sql_node *e = it->expr;
        if (is_null(e->type)) rc = coerce(&b, &it->expr, T(CV_T_STRING));
        if (rc < 0) break;
        e = it->expr;
        cv_column c = {0};
        if (e->kind == N_COL) c = q->in->cols[e->col]; /* a column passes through with its metadata */
        c.type = e->type;
        c.nullable = e->nullable;
        if (it->alias)
            c.name = it->alias;
        else if (plain)
            c.name = e->kind == N_COL ? q->in->cols[e->col].name : e->name;
        else
            c.name = src_text(&b, e);
        if (!c.name) {
            rc = nomem(&b);
            break;
        }
        rc = add_out(&b, &cols, &outs, c, e, it);
    }
    if (rc == 0 && !(q->uses = cv_arena_zalloc(a, (q->in->ncols + 1) * sizeof *q->uses))) rc = nomem(&b);
    /* columns passed through as they are go straight from the input */
    for (size_t i = 0; rc == 0 && i < outs.n; i++)
        if (outs.v[i]->kind != N_COL) mark_uses(q, outs.v[i]);
    if (rc == 0 && q->where) {
        rc = bind(&b, q->where);
        if (rc == 0) rc = need_bool(&b, &q->where, "WHERE");
    }
    if (rc == 0) {
        cv_table *out;
        rc = cv_table_derive(a, q->in, cols.v, (uint32_t)cols.n, &out, err);
        if (rc == 0) {
            /* a key survives only when its columns pass through unchanged */
            for (uint32_t k = 0; k < out->npk; k++) {
                int oc = cv_table_find_col(out, out->pk_cols[k]);
                int ic = cv_table_find_col(q->in, out->pk_cols[k]);
                if (oc < 0 || ic < 0 || outs.v[oc]->kind != N_COL || outs.v[oc]->col != ic) {
                    out->npk = 0;
                    out->pk_cols = NULL;
                    out->pk_name = NULL;
                    break;
                }
            }
            q->out = out;
            q->outs = cv_arena_memdup(a, outs.v, outs.n * sizeof *outs.v);
            q->nouts = (uint32_t)outs.n;
            if (!q->outs && outs.n) rc = nomem(&b);
        }
    }
    cv_vec_free(&cols);
    cv_vec_free(&outs);
    return rc;
}
