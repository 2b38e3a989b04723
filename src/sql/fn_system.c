/* fn_system.c — SeaTunnel's system functions: COALESCE, IFNULL, NULLIF,
 * UUID, and the function registry the binder looks names up in. */
#include "sql_int.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

/* COALESCE / IFNULL: the first non-NULL argument; the result has the first
 * argument's type (SeaTunnel), so the others are cast to it. */
static int coalesce_bind(sql_call *c, cv_arena *a, const sql_vec *kargs, cv_err *err)
{
    (void)a;
    (void)kargs;
    const cv_type *t = NULL;
    for (uint32_t i = 0; i < c->nargs; i++)
        if (c->argt[i]->id != CV_T_NULL) {
            t = c->argt[i];
            break;
        }
    if (!t) t = cv_type_prim(CV_T_STRING);
    for (uint32_t i = 0; i < c->nargs; i++) {
        const cv_type *u = c->argt[i];
        if (u->id == CV_T_NULL || cv_type_equal(u, t)) continue;
        bool num = cv_type_is_numeric(u) && cv_type_is_numeric(t);
        if (!num || !cv__sql_castable(u, t)) {
            char a1[96], a2[96];
            return sql_bind_fail(c, err, "argument %u is %s, but the result is %s (the first argument's type)", i + 1,
                                 cv_type_str(u, a1, sizeof a1), cv_type_str(t, a2, sizeof a2));
        }
    }
    c->ret = t;
    return 0;
}

static int coalesce_eval(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    for (uint32_t r = 0; r < x->n; r++) {
        if (x->active && !x->active[r]) {
            cv_col_append_null(out);
            continue;
        }
        uint32_t i = 0;
        while (i < c->nargs && sql_null(&args[i], r)) i++;
        if (i == c->nargs) {
            cv_col_append_null(out);
        } else if (cv_type_equal(c->argt[i], c->ret)) {
            cv_col_copy_value(out, args[i].col, sql_ix(&args[i], r));
        } else {
            /* a number of another type: cast this one value */
            sql_ctx one = *x;
            one.n = 1;
            one.active = NULL;
            sql_vec v = {args[i].col, true};
            cv_col tmp;
            if (cv_col_init(&tmp, args[i].col->type) < 0) return cv_err_set(x->err, CV_ENOMEM, "out of memory");
            cv_col_copy_value(&tmp, args[i].col, sql_ix(&args[i], r));
            v.col = &tmp;
            int rc = cv__sql_cast(&one, c, &v, c->argt[i], c->ret, false, out);
            cv_col_destroy(&tmp);
            x->scratch = one.scratch;
            if (rc < 0) {
                x->err_row = (int64_t)r;
                return rc;
            }
        }
    }
    return 0;
}

/* NULLIF(a, b): NULL when a equals b, else a. */
static int nullif_eval(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    (void)c;
    for (uint32_t r = 0; r < x->n; r++) {
        if ((x->active && !x->active[r]) || sql_null(&args[0], r)) {
            cv_col_append_null(out);
            continue;
        }
        if (!sql_null(&args[1], r) && args[0].col->type->id == args[1].col->type->id &&
            cv_value_compare(args[0].col, sql_ix(&args[0], r), args[1].col, sql_ix(&args[1], r)) == 0)
            cv_col_append_null(out);
        else
            cv_col_copy_value(out, args[0].col, sql_ix(&args[0], r));
    }
    return 0;
}

static int nullif_bind(sql_call *c, cv_arena *a, const sql_vec *kargs, cv_err *err)
{
    (void)a;
    (void)kargs;
    if (c->argt[0]->id != CV_T_NULL && c->argt[1]->id != CV_T_NULL && !cv_type_equal(c->argt[0], c->argt[1])) {
        char a1[96], a2[96];
        return sql_bind_fail(c, err, "compares %s with %s: give both arguments one type (CAST)",
                             cv_type_str(c->argt[0], a1, sizeof a1), cv_type_str(c->argt[1], a2, sizeof a2));
    }
    c->ret = c->argt[0];
    return 0;
}

/* UUID(): a random (version 4) UUID. */
static int uuid_eval(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    (void)c;
    (void)args;
    for (uint32_t r = 0; r < x->n; r++) {
        unsigned char u[16];
        if (getrandom(u, sizeof u, 0) != (ssize_t)sizeof u) return sql_fail(c, x, r, "no random bytes");
        u[6] = (unsigned char)((u[6] & 0x0F) | 0x40);
        u[8] = (unsigned char)((u[8] & 0x3F) | 0x80);
        char s[37];
        snprintf(s, sizeof s, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2],
                 u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
        cv_col_append_str(out, s, 36);
    }
    return 0;
}

const sql_func cv__sql_fn_system[] = {
    {"COALESCE", 1, -1, "A", 0, SQL_F_NULLS, coalesce_bind, coalesce_eval},
    {"IFNULL", 2, 2, "A", 0, SQL_F_NULLS, coalesce_bind, coalesce_eval},
    {"NULLIF", 2, 2, "A", 0, SQL_F_NULLS, nullif_bind, nullif_eval},
    {"UUID", 0, 0, "", 'S', SQL_F_VOLATILE, NULL, uuid_eval},
    {NULL},
};

/* ---- the registry ------------------------------------------------------------------ */

static const sql_func *const tables[] = {cv__sql_fn_system, cv__sql_fn_string,  cv__sql_fn_numeric, cv__sql_fn_datetime,
                                         cv__sql_fn_pieces, cv__sql_fn_datefmt, cv__sql_fn_regexp,  cv__sql_fn_udf};

const sql_func *cv__sql_func_find(const char *name)
{
    for (size_t t = 0; t < CV_ARRAY_LEN(tables); t++)
        for (const sql_func *f = tables[t]; f->name; f++)
            if (strcasecmp(f->name, name) == 0) return f;
    return NULL;
}

static const char *names[512];
static size_t nnames;
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static void fill_names(void)
{
    size_t k = 0;
    for (size_t t = 0; t < CV_ARRAY_LEN(tables); t++)
        for (const sql_func *f = tables[t]; f->name && k + 1 < CV_ARRAY_LEN(names); f++) names[k++] = f->name;
    names[k] = NULL;
    nnames = k;
}

const char *const *cv_sql_function_names(size_t *n)
{
    pthread_once(&names_once, fill_names);
    *n = nnames;
    return names;
}
