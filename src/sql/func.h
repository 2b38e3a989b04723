/*
 * func.h — the contract between the SQL evaluator and its function
 * library (internal to src/sql).
 *
 * A function is a const sql_func in a table (fn_string.c, fn_numeric.c,
 * fn_datetime.c, fn_system.c). The binder checks the argument count,
 * coerces every argument to its parameter kind (inserting casts), derives
 * the result type and, when every argument is a constant and the function
 * is not SQL_F_VOLATILE, evaluates it once at plan time.
 *
 * Parameter kinds (one letter per argument in sql_func.params; when there
 * are more arguments than letters the last letter repeats):
 *   S string — any scalar is accepted and converted to its text (as CAST
 *     AS STRING: numbers as Java prints them, ISO dates)
 *   I int (int32): tinyint/smallint/int as is; bigint is range-checked
 *     per row; other types are a plan-time error
 *   L bigint (int64): any integer type
 *   D double: any numeric type (decimal and integers converted)
 *   N any numeric, passed as it is (look at c->argt[i])
 *   T date, time, timestamp or timestamp_tz, passed as it is
 *   B boolean
 *   A anything, passed as it is
 * Result kinds (sql_func.ret): S string, I int, L bigint, D double,
 *   B boolean, d date, t time, T timestamp, X bytes, '0'..'9' the type of
 *   that argument (after coercion); or set c->ret in bind.
 *
 * Evaluation: eval appends exactly x->n values to `out` (a column of type
 * c->ret), one per row. The value of argument i at row r is at index
 * sql_ix(&args[i], r) of args[i].col (constants are one-value columns).
 * Unless SQL_F_NULLS is set, a row with a NULL argument must produce NULL:
 * sql_skip(x, args, nargs, r) says so (and is true for inactive rows, see
 * below), so the usual loop is
 *
 *     for (uint32_t r = 0; r < x->n; r++) {
 *         if (sql_skip(x, args, c->nargs, r)) { cv_col_append_null(out); continue; }
 *         ... compute, append ...
 *     }
 *
 * Rows whose x->active[r] is 0 are not needed (a CASE branch not taken):
 * append anything (NULL) and never fail for them. A row that cannot be
 * computed fails the whole call: return sql_fail(x, c, r, "why %s", …),
 * which records the function, its position in the query and the row.
 * Evaluation must not allocate per row except for growing `out` and
 * scratch kept in c->state / x->scratch.
 */
#ifndef CV_SQL_FUNC_H
#define CV_SQL_FUNC_H

#include "sql.h"

/* An evaluated argument: a column of values, or one constant value. */
typedef struct sql_vec {
    cv_col *col;
    bool konst; /* one value that holds for every row */
} sql_vec;

static inline uint32_t sql_ix(const sql_vec *v, uint32_t r) { return v->konst ? 0 : r; }
static inline bool sql_null(const sql_vec *v, uint32_t r) { return cv_col_is_null(v->col, sql_ix(v, r)); }

typedef struct sql_func sql_func;

/* One call site of a function in a query. */
typedef struct sql_call {
    const sql_func *fn;
    const char *name;   /* as written */
    uint32_t line, col; /* of the name in the query */
    uint32_t nargs;
    const cv_type **argt; /* argument types after coercion */
    const cv_type *ret;   /* result type */
    void *state;          /* bind may hang plan-time state here (arena) */
} sql_call;

/* The evaluation of one batch. */
typedef struct sql_ctx {
    uint32_t n;            /* rows in the batch */
    const uint8_t *active; /* NULL: every row; else 1 for rows that count */
    int64_t now_us;        /* CURRENT_TIMESTAMP of this batch, µs since the epoch, local wall clock */
    cv_err *err;
    int64_t err_row; /* the row sql_fail named, -1 when none */
    cv_buf scratch;  /* free for a function's temporary text; reset it before use */
} sql_ctx;

enum {
    SQL_F_VOLATILE = 1u << 0, /* never folded at plan time (RAND, UUID, NOW) */
    SQL_F_NULLS = 1u << 1,    /* eval handles NULL arguments itself (COALESCE, CONCAT) */
};

struct sql_func {
    const char *name;          /* upper case */
    int8_t min_args, max_args; /* max_args -1: any number */
    const char *params;
    char ret;
    unsigned flags;
    /* Optional, at plan time: check constant arguments (kargs[i].col is
     * NULL when argument i is not a constant), set c->ret for a result
     * that depends on them, build c->state in arena a. Errors name the
     * call: use sql_bind_fail. */
    int (*bind)(sql_call *c, cv_arena *a, const sql_vec *kargs, cv_err *err);
    int (*eval)(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out);
};

/* True when row r produces no value of its own: inactive, or (for a
 * function without SQL_F_NULLS) an argument is NULL. */
static inline bool sql_skip(const sql_ctx *x, const sql_vec *args, uint32_t nargs, uint32_t r)
{
    if (x->active && !x->active[r]) return true;
    for (uint32_t i = 0; i < nargs; i++)
        if (sql_null(&args[i], r)) return true;
    return false;
}

/* Fail the call at row r. Returns CV_EDATA. */
int cv__sql_fail(const sql_call *c, sql_ctx *x, uint32_t r, const char *fmt, ...) CV_PRINTF(4, 5);
#define sql_fail cv__sql_fail
/* Fail at plan time, naming the call. Returns CV_ECONFIG. */
int cv__sql_bind_fail(const sql_call *c, cv_err *err, const char *fmt, ...) CV_PRINTF(3, 4);
#define sql_bind_fail cv__sql_bind_fail

/* Value accessors for the common kinds. */
static inline const char *sql_str(const sql_vec *v, uint32_t r, uint32_t *n)
{
    return cv_col_str(v->col, sql_ix(v, r), n);
}
static inline int32_t sql_i32(const sql_vec *v, uint32_t r) { return ((const int32_t *)v->col->data)[sql_ix(v, r)]; }
static inline int64_t sql_i64(const sql_vec *v, uint32_t r) { return ((const int64_t *)v->col->data)[sql_ix(v, r)]; }
static inline double sql_f64(const sql_vec *v, uint32_t r) { return ((const double *)v->col->data)[sql_ix(v, r)]; }
static inline bool sql_bool(const sql_vec *v, uint32_t r) { return ((const uint8_t *)v->col->data)[sql_ix(v, r)] != 0; }
/* Any temporal value (T params): date days, time ns, timestamps µs. */
static inline int64_t sql_temporal(const sql_vec *v, uint32_t r) { return cv_col_get_int(v->col, sql_ix(v, r)); }

/* The function tables, each terminated by {NULL}. */
extern const sql_func cv__sql_fn_string[];
extern const sql_func cv__sql_fn_numeric[];
extern const sql_func cv__sql_fn_datetime[];
extern const sql_func cv__sql_fn_system[];
extern const sql_func cv__sql_fn_udf[];
extern const sql_func cv__sql_fn_regexp[];
extern const sql_func cv__sql_fn_pieces[];
extern const sql_func cv__sql_fn_datefmt[];

#endif
