/*
 * sql_int.h — what the parts of src/sql share: tokens, the syntax tree
 * that the parser builds and the binder annotates, and the compiled query.
 *
 * Life of a query: lexer.c cuts the text into tokens; parser.c builds a
 * tree of sql_node (positions are byte offsets into the text); bind.c
 * resolves names against the input table, derives every node's type,
 * inserts casts where a function or operator needs them and folds
 * constant sub-trees; eval.c computes nodes over batches. Everything lives
 * in the compile arena and is read-only after binding.
 */
#ifndef CV_SQL_INT_H
#define CV_SQL_INT_H

#include "func.h"

#include <stdio.h>

/* ---- tokens ------------------------------------------------------------- */

typedef enum {
    TK_END,
    TK_IDENT,  /* name; quoted (`x` or "x") when tok.quoted */
    TK_INT,    /* integer literal */
    TK_NUMBER, /* literal with a point or exponent */
    TK_STRING, /* 'text' */
    TK_OP,     /* punctuation / operator: text in tok.op */
} sql_tok_kind;

typedef struct sql_tok {
    sql_tok_kind kind;
    uint32_t off, len; /* in the query text */
    char op[3];        /* TK_OP: "+", "<=", "||", "(" … */
    bool quoted;
} sql_tok;

typedef struct sql_lexer {
    const char *text;
    size_t len, pos;
} sql_lexer;

/* Next token; CV_ESYNTAX on a stray character or an unclosed quote. */
int cv__sql_lex(sql_lexer *lx, sql_tok *t, cv_err *err);

/* ---- the tree ------------------------------------------------------------ */

typedef enum {
    N_LIT,     /* constant (kval) */
    N_COL,     /* input column `col` */
    N_NAME,    /* dotted name before binding (name, parts) */
    N_FIELD,   /* row field `field` of kids[0] */
    N_MAPGET,  /* map kids[0] at key kids[1] */
    N_INDEX,   /* array kids[0] at 0-based index kids[1] */
    N_CALL,    /* function call */
    N_NEG,     /* -kids[0] */
    N_NOT,     /* NOT kids[0] */
    N_ARITH,   /* kids[0] op kids[1], op one of + - * / % */
    N_CONCAT,  /* kids[0] || kids[1] */
    N_CMP,     /* kids[0] op kids[1], op one of = <> < <= > >= */
    N_AND,     /* kids[0] AND kids[1] */
    N_OR,      /* kids[0] OR kids[1] */
    N_ISNULL,  /* kids[0] IS [NOT] NULL */
    N_IN,      /* kids[0] [NOT] IN (kids[1…]) */
    N_LIKE,    /* kids[0] [NOT] LIKE kids[1] */
    N_BETWEEN, /* kids[0] [NOT] BETWEEN kids[1] AND kids[2] */
    N_CASE,    /* [operand] (when, then)… [else]: see has_operand, has_else */
    N_CAST,    /* CAST / TRY_CAST(kids[0] AS cast_to) */
    N_STAR,    /* * in the select list */
} sql_kind;

typedef struct sql_node sql_node;
struct sql_node {
    sql_kind kind;
    char op[3];
    uint32_t off, end; /* source span [off, end) */
    sql_node **kids;
    uint32_t nkids;
    const char *name;   /* N_NAME, N_CALL: as written (unquoted) */
    const char **parts; /* N_NAME: dotted parts */
    uint32_t nparts;
    bool negated;     /* NOT IN / NOT LIKE / IS NOT NULL / NOT BETWEEN */
    bool has_operand; /* CASE x WHEN … */
    bool has_else;
    bool try_cast;
    const cv_type *cast_to; /* N_CAST */
    /* set by the binder */
    const cv_type *type;
    bool nullable;
    bool konst; /* value known at plan time: kval holds it (one row) */
    cv_col *kval;
    int col; /* N_COL */
    uint32_t field;
    sql_call *call;
    uint32_t id;     /* index of this node's scratch column in an executor */
    const void *aux; /* node-specific plan data (LIKE matcher …) */
};

typedef struct sql_item {
    sql_node *expr; /* NULL for * */
    const char *alias;
    uint32_t off, end;
} sql_item;

struct cv_sql_query {
    const char *text;
    const cv_table *in;
    const cv_table *out;
    sql_item *items;
    uint32_t nitems;
    sql_node **outs; /* per output column: its expression (bound) */
    uint32_t nouts;
    sql_node *where; /* NULL when absent */
    const char *from;
    uint32_t nnodes; /* node ids handed out */
    cv_col **konst;  /* constant values (freed by cv_sql_free) */
    uint32_t nkonst;
    bool volatile_now; /* uses the current time */
    bool *uses;        /* per input column: read by a computed select item */
};

/* Parse text into q->items / q->where / q->from (unbound). */
int cv__sql_parse(cv_arena *a, cv_sql_query *q, cv_err *err);
/* Bind the parsed query to q->in: types, names, casts, constant folding. */
int cv__sql_bind(cv_arena *a, cv_sql_query *q, cv_err *err);

/* Fail at byte offset off of the query text (computes line:col). */
int cv__sql_err_at(const char *text, uint32_t off, cv_err *err, int code, const char *fmt, ...) CV_PRINTF(5, 6);
/* Line and column (1-based) of byte offset off. */
void cv__sql_linecol(const char *text, uint32_t off, uint32_t *line, uint32_t *col);

/* ---- evaluation ------------------------------------------------------------ */

/* The evaluator's per-thread state. */
struct cv_sql_exec {
    const cv_sql_query *q;
    cv_col *cols; /* scratch column per node id (initialised lazily) */
    bool *col_ready;
    uint8_t *sel; /* WHERE result per row */
    uint32_t sel_cap;
    uint8_t **masks; /* two row masks per node id (CASE) */
    uint32_t nmasks, mask_cap;
    cv_batch *kept;   /* the rows WHERE kept, compacted (used columns only) */
    uint16_t *branch; /* CASE: the branch each row takes, per node id */
    uint32_t branch_cap;
    sql_ctx x;
};

/* Compute node n over batch in (rows x->n) into *out. */
int cv__sql_eval(cv_sql_exec *e, const sql_node *n, const cv_batch *in, const uint8_t *active, sql_vec *out);
/* The same, appending to `into` (a column of n's type) instead of n's
 * scratch column when n computes anything (constants and input columns
 * come back as they are: out->col != into). */
int cv__sql_eval_into(cv_sql_exec *e, const sql_node *n, const cv_batch *in, const uint8_t *active, cv_col *into,
                      sql_vec *out);
/* Evaluate a sub-tree of constants once and make n a constant (folding). */
int cv__sql_fold(cv_arena *a, cv_sql_query *q, sql_node *n, cv_err *err);
/* A one-value column registered with q, freed by cv_sql_free. */
cv_col *cv__sql_konst_col(cv_arena *a, cv_sql_query *q, const cv_type *t);

/* Cast the values of v (type from) into out (type to): x->n rows, or one
 * when v is a constant. Failures name the row. try_cast makes a value that
 * cannot be cast NULL instead. */
int cv__sql_cast(sql_ctx *x, const sql_call *site, const sql_vec *v, const cv_type *from, const cv_type *to,
                 bool try_cast, cv_col *out);
/* Can from be cast to `to` at all (plan time)? */
bool cv__sql_castable(const cv_type *from, const cv_type *to);

/* The local wall-clock time in µs (CURRENT_TIMESTAMP). */
int64_t cv__sql_now_us(void);

/* Find a built-in function by name (case-insensitive). */
const sql_func *cv__sql_func_find(const char *name);

/* Decimal helpers shared by operators and casts. */
extern const cv_i128 cv__sql_p10[39];

#endif
