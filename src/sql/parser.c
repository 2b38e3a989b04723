/* parser.c — recursive descent over SeaTunnel's query form
 *     SELECT item [, item]… FROM name [WHERE condition]
 * Precedence, loosest first: OR; AND; NOT; comparisons, IS [NOT] NULL,
 * [NOT] IN, [NOT] LIKE, [NOT] BETWEEN; + - ||; * / %; unary minus; postfix
 * [index] and .field. What SeaTunnel rejects (joins, GROUP BY, ORDER BY,
 * LIMIT, sub-queries, table aliases, schema-qualified tables) is rejected
 * here with the position and the reason. */
#include "sql_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    cv_arena *a;
    const char *text;
    sql_lexer lx;
    sql_tok tok; /* current */
    cv_err *err;
    int depth;
} parser;

#define MAX_DEPTH 200

static int nomem(parser *p) { return cv_err_set(p->err, CV_ENOMEM, "out of memory"); }

static int fail(parser *p, uint32_t off, const char *fmt, ...) CV_PRINTF(3, 4);
static int fail(parser *p, uint32_t off, const char *fmt, ...)
{
    char msg[CV_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cv__sql_err_at(p->text, off, p->err, CV_ESYNTAX, "%s", msg);
}

static int next(parser *p) { return cv__sql_lex(&p->lx, &p->tok, p->err); }

static bool is_op(const parser *p, const char *op) { return p->tok.kind == TK_OP && strcmp(p->tok.op, op) == 0; }

static bool is_kw(const parser *p, const char *kw)
{
    return p->tok.kind == TK_IDENT && !p->tok.quoted && p->tok.len == strlen(kw) &&
           strncasecmp(p->text + p->tok.off, kw, p->tok.len) == 0;
}

static const char *const keywords[] = {"SELECT",  "FROM",  "WHERE", "AS",    "AND",  "OR",    "NOT",    "IN",
                                       "IS",      "NULL",  "LIKE",  "CASE",  "WHEN", "THEN",  "ELSE",   "END",
                                       "BETWEEN", "GROUP", "ORDER", "LIMIT", "JOIN", "UNION", "HAVING", "OFFSET"};

static bool is_reserved(const parser *p)
{
    for (size_t i = 0; i < CV_ARRAY_LEN(keywords); i++)
        if (is_kw(p, keywords[i])) return true;
    return false;
}

/* Current token's text as a description for messages. */
static const char *tok_desc(parser *p)
{
    if (p->tok.kind == TK_END) return "the end of the query";
    return cv_arena_printf(p->a, "'%.*s'", (int)CV_MIN(p->tok.len, 40u), p->text + p->tok.off);
}

static int expect_op(parser *p, const char *op)
{
    if (!is_op(p, op)) return fail(p, p->tok.off, "expected '%s'", op);
    return next(p);
}

static int expect_kw(parser *p, const char *kw)
{
    if (!is_kw(p, kw)) return fail(p, p->tok.off, "expected %s", kw);
    return next(p);
}

static sql_node *node(parser *p, sql_kind k, uint32_t off)
{
    sql_node *n = cv_arena_zalloc(p->a, sizeof *n);
    if (n) {
        n->kind = k;
        n->off = off;
        n->end = off;
        n->col = -1;
    }
    return n;
}

static int add_kid(parser *p, sql_node *n, sql_node *k)
{
    sql_node **v = cv_arena_alloc(p->a, (n->nkids + 1) * sizeof *v);
    if (!v) return nomem(p);
    if (n->nkids) memcpy(v, n->kids, n->nkids * sizeof *v);
    v[n->nkids++] = k;
    n->kids = v;
    if (k->end > n->end) n->end = k->end;
    return 0;
}

static char *tok_str(parser *p) { return cv_arena_strndup(p->a, p->text + p->tok.off, p->tok.len); }

static int parse_expr(parser *p, sql_node **out);

static int binary(parser *p, sql_kind k, const char *op, sql_node *l, sql_node *r, sql_node **out)
{
    sql_node *n = node(p, k, l->off);
    if (!n) return nomem(p);
    if (op) memcpy(n->op, op, strlen(op));
    CV_TRY(add_kid(p, n, l));
    CV_TRY(add_kid(p, n, r));
    *out = n;
    return 0;
}

/* A type name after AS in CAST. */
static int parse_type(parser *p, const cv_type **out)
{
    if (p->tok.kind != TK_IDENT) return fail(p, p->tok.off, "expected a type name, found %s", tok_desc(p));
    uint32_t off = p->tok.off;
    char *name = tok_str(p);
    if (!name) return nomem(p);
    CV_TRY(next(p));
    long args[2] = {-1, -1};
    int nargs = 0;
    if (is_op(p, "(")) {
        CV_TRY(next(p));
        for (;;) {
            if (p->tok.kind != TK_INT || nargs == 2) return fail(p, p->tok.off, "expected a number in %s(…)", name);
            args[nargs++] = strtol(p->text + p->tok.off, NULL, 10);
            CV_TRY(next(p));
            if (is_op(p, ",")) {
                CV_TRY(next(p));
                continue;
            }
            CV_TRY(expect_op(p, ")"));
            break;
        }
    }
    static const struct {
        const char *name;
        cv_type_id id;
    } names[] = {
        {"STRING", CV_T_STRING},
        {"VARCHAR", CV_T_STRING},
        {"CHAR", CV_T_STRING},
        {"TEXT", CV_T_STRING},
        {"INT", CV_T_I32},
        {"INTEGER", CV_T_I32},
        {"BIGINT", CV_T_I64},
        {"LONG", CV_T_I64},
        {"BYTE", CV_T_I8},
        {"TINYINT", CV_T_I8},
        {"SMALLINT", CV_T_I16},
        {"BYTES", CV_T_BYTES},
        {"BINARY", CV_T_BYTES},
        {"VARBINARY", CV_T_BYTES},
        {"DOUBLE", CV_T_F64},
        {"FLOAT", CV_T_F32},
        {"REAL", CV_T_F32},
        {"TIMESTAMP", CV_T_TIMESTAMP},
        {"DATETIME", CV_T_TIMESTAMP},
        {"DATE", CV_T_DATE},
        {"TIME", CV_T_TIME},
        {"BOOLEAN", CV_T_BOOL},
        {"BOOL", CV_T_BOOL},
        {"DECIMAL", CV_T_DECIMAL},
        {"NUMERIC", CV_T_DECIMAL},
        {"TIMESTAMP_TZ", CV_T_TIMESTAMP_TZ},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(names); i++) {
        if (strcasecmp(name, names[i].name) != 0) continue;
        if (names[i].id == CV_T_DECIMAL) {
            long prec = nargs >= 1 ? args[0] : 38, scale = nargs >= 2 ? args[1] : 0;
            if (prec < 1 || prec > CV_DECIMAL_MAX_PRECISION || scale < 0 || scale > prec)
                return cv__sql_err_at(p->text, off, p->err, CV_ESYNTAX,
                                      "DECIMAL(%ld, %ld) is out of range (1 ≤ precision ≤ 38, 0 ≤ scale ≤ precision)",
                                      prec, scale);
            *out = cv_type_decimal(p->a, (unsigned)prec, (unsigned)scale);
            return *out ? 0 : nomem(p);
        }
        if (nargs && names[i].id != CV_T_STRING && names[i].id != CV_T_BYTES && names[i].id != CV_T_TIMESTAMP &&
            names[i].id != CV_T_TIME)
            return fail(p, off, "%s takes no length or precision", name);
        *out = cv_type_prim(names[i].id);
        return 0;
    }
    return fail(p, off,
                "Unsupported CAST AS type: %s (STRING, VARCHAR, INT, BIGINT, TINYINT, SMALLINT, BYTES, "
                "DOUBLE, FLOAT, DECIMAL(p, s), TIMESTAMP, DATETIME, DATE, TIME, BOOLEAN)",
                name);
}

static int parse_args(parser *p, sql_node *call)
{
    CV_TRY(expect_op(p, "("));
    if (is_op(p, ")")) {
        call->end = p->tok.off + 1;
        return next(p);
    }
    for (;;) {
        sql_node *arg;
        CV_TRY(parse_expr(p, &arg));
        CV_TRY(add_kid(p, call, arg));
        if (is_op(p, ",")) {
            CV_TRY(next(p));
            continue;
        }
        if (!is_op(p, ")")) return fail(p, p->tok.off, "expected ',' or ')' in the arguments, found %s", tok_desc(p));
        call->end = p->tok.off + 1;
        return next(p);
    }
}

static int literal(parser *p, char kind, sql_node **out)
{
    sql_node *n = node(p, N_LIT, p->tok.off);
    if (!n) return nomem(p);
    n->op[0] = kind;
    n->end = p->tok.off + p->tok.len;
    if (kind == 's') {
        /* the text between the quotes, '' → ' */
        const char *s = p->text + p->tok.off + 1;
        uint32_t len = p->tok.len - 2;
        char *v = cv_arena_alloc(p->a, len + 1);
        if (!v) return nomem(p);
        uint32_t k = 0;
        for (uint32_t i = 0; i < len; i++) {
            v[k++] = s[i];
            if (s[i] == '\'') i++;
        }
        v[k] = '\0';
        n->name = v;
        n->field = k; /* byte length */
    } else {
        n->name = tok_str(p);
        if (!n->name) return nomem(p);
    }
    *out = n;
    return next(p);
}

static int parse_case(parser *p, sql_node **out)
{
    sql_node *n = node(p, N_CASE, p->tok.off);
    if (!n) return nomem(p);
    CV_TRY(next(p));
    if (!is_kw(p, "WHEN")) {
        sql_node *operand;
        CV_TRY(parse_expr(p, &operand));
        CV_TRY(add_kid(p, n, operand));
        n->has_operand = true;
    }
    if (!is_kw(p, "WHEN")) return fail(p, p->tok.off, "expected WHEN in CASE, found %s", tok_desc(p));
    while (is_kw(p, "WHEN")) {
        sql_node *w, *t;
        CV_TRY(next(p));
        CV_TRY(parse_expr(p, &w));
        CV_TRY(expect_kw(p, "THEN"));
        CV_TRY(parse_expr(p, &t));
        CV_TRY(add_kid(p, n, w));
        CV_TRY(add_kid(p, n, t));
    }
    if (is_kw(p, "ELSE")) {
        sql_node *e;
        CV_TRY(next(p));
        CV_TRY(parse_expr(p, &e));
        CV_TRY(add_kid(p, n, e));
        n->has_else = true;
    }
    if (!is_kw(p, "END")) return fail(p, p->tok.off, "expected END to close CASE, found %s", tok_desc(p));
    n->end = p->tok.off + p->tok.len;
    *out = n;
    return next(p);
}

/* CURRENT_DATE and friends without parentheses are calls. */
static bool is_time_keyword(const char *s)
{
    return strcasecmp(s, "CURRENT_DATE") == 0 || strcasecmp(s, "CURRENT_TIME") == 0 ||
           strcasecmp(s, "CURRENT_TIMESTAMP") == 0;
}

static int parse_primary(parser *p, sql_node **out)
{
    uint32_t off = p->tok.off;
    switch (p->tok.kind) {
    case TK_INT: return literal(p, 'i', out);
    case TK_NUMBER: return literal(p, 'n', out);
    case TK_STRING: return literal(p, 's', out);
    case TK_END: return fail(p, off, "the query ends where an expression should be%s", "");
    case TK_OP:
        if (is_op(p, "(")) {
            CV_TRY(next(p));
            if (is_kw(p, "SELECT")) return fail(p, p->tok.off, "sub-queries are not supported%s", "");
            sql_node *e;
            CV_TRY(parse_expr(p, &e));
            if (!is_op(p, ")")) return fail(p, p->tok.off, "expected ')', found %s", tok_desc(p));
            e->off = off;
            e->end = p->tok.off + 1;
            *out = e;
            return next(p);
        }
        return fail(p, off, "expected an expression, found %s", tok_desc(p));
    case TK_IDENT: break;
    }
    if (!p->tok.quoted) {
        if (is_kw(p, "NULL")) return literal(p, '0', out);
        if (is_kw(p, "TRUE") || is_kw(p, "FALSE")) return literal(p, 'b', out);
        if (is_kw(p, "CASE")) return parse_case(p, out);
        if (is_kw(p, "CAST") || is_kw(p, "TRY_CAST")) {
            sql_node *n = node(p, N_CAST, off);
            if (!n) return nomem(p);
            n->try_cast = is_kw(p, "TRY_CAST");
            CV_TRY(next(p));
            CV_TRY(expect_op(p, "("));
            sql_node *e;
            CV_TRY(parse_expr(p, &e));
            CV_TRY(add_kid(p, n, e));
            CV_TRY(expect_kw(p, "AS"));
            CV_TRY(parse_type(p, &n->cast_to));
            if (!is_op(p, ")")) return fail(p, p->tok.off, "expected ')' to close CAST, found %s", tok_desc(p));
            n->end = p->tok.off + 1;
            *out = n;
            return next(p);
        }
        if (is_kw(p, "EXTRACT")) {
            /* EXTRACT(field FROM x) → EXTRACT(x, 'FIELD') */
            sql_node *n = node(p, N_CALL, off);
            if (!n) return nomem(p);
            n->name = "EXTRACT";
            CV_TRY(next(p));
            CV_TRY(expect_op(p, "("));
            if (p->tok.kind != TK_IDENT && p->tok.kind != TK_STRING)
                return fail(p, p->tok.off, "expected a field name (YEAR, MONTH, DAY …) in EXTRACT, found %s",
                            tok_desc(p));
            sql_node *field = node(p, N_LIT, p->tok.off);
            if (!field) return nomem(p);
            field->op[0] = 's';
            field->name = p->tok.kind == TK_STRING ? cv_arena_strndup(p->a, p->text + p->tok.off + 1, p->tok.len - 2)
                                                   : tok_str(p);
            if (!field->name) return nomem(p);
            field->field = (uint32_t)strlen(field->name);
            field->end = p->tok.off + p->tok.len;
            CV_TRY(next(p));
            CV_TRY(expect_kw(p, "FROM"));
            sql_node *e;
            CV_TRY(parse_expr(p, &e));
            CV_TRY(add_kid(p, n, e));
            CV_TRY(add_kid(p, n, field));
            if (!is_op(p, ")")) return fail(p, p->tok.off, "expected ')' to close EXTRACT, found %s", tok_desc(p));
            n->end = p->tok.off + 1;
            *out = n;
            return next(p);
        }
        if (is_reserved(p)) return fail(p, off, "expected an expression, found the keyword %s", tok_desc(p));
    }
    char *name = tok_str(p);
    if (!name) return nomem(p);
    bool quoted = p->tok.quoted;
    uint32_t end = p->tok.off + p->tok.len + (quoted ? 1 : 0);
    CV_TRY(next(p));
    if (!quoted && is_op(p, "(")) {
        sql_node *n = node(p, N_CALL, off);
        if (!n) return nomem(p);
        n->name = name;
        CV_TRY(parse_args(p, n));
        *out = n;
        return 0;
    }
    if (!quoted && is_time_keyword(name)) {
        sql_node *n = node(p, N_CALL, off);
        if (!n) return nomem(p);
        n->name = name;
        n->end = end;
        *out = n;
        return 0;
    }
    /* a dotted name: column, table.column, row.field, map.key */
    sql_node *n = node(p, N_NAME, quoted ? off - 1 : off);
    if (!n) return nomem(p);
    const char *parts[16];
    uint32_t np = 0;
    parts[np++] = name;
    while (is_op(p, ".")) {
        CV_TRY(next(p));
        if (p->tok.kind != TK_IDENT)
            return fail(p, p->tok.off, "expected a field name after '.', found %s", tok_desc(p));
        if (np == CV_ARRAY_LEN(parts)) return fail(p, p->tok.off, "a name has more than 16 parts%s", "");
        if (!(parts[np++] = tok_str(p))) return nomem(p);
        end = p->tok.off + p->tok.len + (p->tok.quoted ? 1 : 0);
        CV_TRY(next(p));
    }
    n->parts = cv_arena_memdup(p->a, parts, np * sizeof *parts);
    if (!n->parts) return nomem(p);
    n->nparts = np;
    n->name = name;
    n->end = end;
    *out = n;
    return 0;
}

static int parse_postfix(parser *p, sql_node **out)
{
    sql_node *e;
    CV_TRY(parse_primary(p, &e));
    while (is_op(p, "[")) {
        CV_TRY(next(p));
        sql_node *ix, *n = node(p, N_INDEX, e->off);
        if (!n) return nomem(p);
        CV_TRY(parse_expr(p, &ix));
        CV_TRY(add_kid(p, n, e));
        CV_TRY(add_kid(p, n, ix));
        if (!is_op(p, "]")) return fail(p, p->tok.off, "expected ']', found %s", tok_desc(p));
        n->end = p->tok.off + 1;
        CV_TRY(next(p));
        e = n;
    }
    *out = e;
    return 0;
}

static int parse_unary(parser *p, sql_node **out)
{
    if (is_op(p, "-") || is_op(p, "+")) {
        bool neg = is_op(p, "-");
        uint32_t off = p->tok.off;
        CV_TRY(next(p));
        if (++p->depth > MAX_DEPTH) return fail(p, off, "the expression nests too deeply%s", "");
        sql_node *e;
        int rc = parse_unary(p, &e);
        p->depth--;
        CV_TRY(rc);
        if (!neg) {
            *out = e;
            return 0;
        }
        /* -literal stays a literal so that -2147483648 is an int */
        if (e->kind == N_LIT && (e->op[0] == 'i' || e->op[0] == 'n') && e->name[0] != '-') {
            e->name = cv_arena_printf(p->a, "-%s", e->name);
            if (!e->name) return nomem(p);
            e->off = off;
            *out = e;
            return 0;
        }
        sql_node *n = node(p, N_NEG, off);
        if (!n) return nomem(p);
        CV_TRY(add_kid(p, n, e));
        *out = n;
        return 0;
    }
    return parse_postfix(p, out);
}

static int parse_mul(parser *p, sql_node **out)
{
    sql_node *l;
    CV_TRY(parse_unary(p, &l));
    while (is_op(p, "*") || is_op(p, "/") || is_op(p, "%")) {
        char op[3] = {p->tok.op[0], 0, 0};
        CV_TRY(next(p));
        sql_node *r;
        CV_TRY(parse_unary(p, &r));
        CV_TRY(binary(p, N_ARITH, op, l, r, &l));
    }
    *out = l;
    return 0;
}

static int parse_add(parser *p, sql_node **out)
{
    sql_node *l;
    CV_TRY(parse_mul(p, &l));
    while (is_op(p, "+") || is_op(p, "-") || is_op(p, "||")) {
        bool cat = is_op(p, "||");
        char op[3] = {p->tok.op[0], 0, 0};
        CV_TRY(next(p));
        sql_node *r;
        CV_TRY(parse_mul(p, &r));
        CV_TRY(binary(p, cat ? N_CONCAT : N_ARITH, cat ? "||" : op, l, r, &l));
    }
    *out = l;
    return 0;
}

static int parse_predicate(parser *p, sql_node **out)
{
    sql_node *l;
    CV_TRY(parse_add(p, &l));
    static const char *const cmps[] = {"=", "==", "<>", "!=", "<", "<=", ">", ">="};
    for (size_t i = 0; i < CV_ARRAY_LEN(cmps); i++) {
        if (!is_op(p, cmps[i])) continue;
        const char *op = i == 1 ? "=" : i == 3 ? "<>" : cmps[i];
        CV_TRY(next(p));
        sql_node *r;
        CV_TRY(parse_add(p, &r));
        CV_TRY(binary(p, N_CMP, op, l, r, out));
        return 0;
    }
    if (is_kw(p, "IS")) {
        CV_TRY(next(p));
        sql_node *n = node(p, N_ISNULL, l->off);
        if (!n) return nomem(p);
        if (is_kw(p, "NOT")) {
            n->negated = true;
            CV_TRY(next(p));
        }
        if (!is_kw(p, "NULL")) return fail(p, p->tok.off, "expected NULL after IS, found %s", tok_desc(p));
        CV_TRY(add_kid(p, n, l));
        n->end = p->tok.off + p->tok.len;
        CV_TRY(next(p));
        *out = n;
        return 0;
    }
    bool negated = false;
    if (is_kw(p, "NOT")) {
        negated = true;
        CV_TRY(next(p));
        if (!is_kw(p, "IN") && !is_kw(p, "LIKE") && !is_kw(p, "BETWEEN"))
            return fail(p, p->tok.off, "expected IN, LIKE or BETWEEN after NOT, found %s", tok_desc(p));
    }
    if (is_kw(p, "IN")) {
        sql_node *n = node(p, N_IN, l->off);
        if (!n) return nomem(p);
        n->negated = negated;
        CV_TRY(add_kid(p, n, l));
        CV_TRY(next(p));
        if (!is_op(p, "(")) return fail(p, p->tok.off, "expected '(' after IN, found %s", tok_desc(p));
        CV_TRY(next(p));
        if (is_kw(p, "SELECT")) return fail(p, p->tok.off, "sub-queries are not supported%s", "");
        for (;;) {
            sql_node *e;
            CV_TRY(parse_expr(p, &e));
            CV_TRY(add_kid(p, n, e));
            if (is_op(p, ",")) {
                CV_TRY(next(p));
                continue;
            }
            if (!is_op(p, ")")) return fail(p, p->tok.off, "expected ',' or ')' in the IN list, found %s", tok_desc(p));
            n->end = p->tok.off + 1;
            CV_TRY(next(p));
            break;
        }
        *out = n;
        return 0;
    }
    if (is_kw(p, "LIKE")) {
        CV_TRY(next(p));
        sql_node *r;
        CV_TRY(parse_add(p, &r));
        CV_TRY(binary(p, N_LIKE, NULL, l, r, out));
        (*out)->negated = negated;
        return 0;
    }
    if (is_kw(p, "BETWEEN")) {
        CV_TRY(next(p));
        sql_node *lo, *hi, *n = node(p, N_BETWEEN, l->off);
        if (!n) return nomem(p);
        n->negated = negated;
        CV_TRY(parse_add(p, &lo));
        CV_TRY(expect_kw(p, "AND"));
        CV_TRY(parse_add(p, &hi));
        CV_TRY(add_kid(p, n, l));
        CV_TRY(add_kid(p, n, lo));
        CV_TRY(add_kid(p, n, hi));
        *out = n;
        return 0;
    }
    *out = l;
    return 0;
}

static int parse_not(parser *p, sql_node **out)
{
    if (is_kw(p, "NOT")) {
        uint32_t off = p->tok.off;
        CV_TRY(next(p));
        if (++p->depth > MAX_DEPTH) return fail(p, off, "the expression nests too deeply%s", "");
        sql_node *e;
        int rc = parse_not(p, &e);
        p->depth--;
        CV_TRY(rc);
        sql_node *n = node(p, N_NOT, off);
        if (!n) return nomem(p);
        CV_TRY(add_kid(p, n, e));
        *out = n;
        return 0;
    }
    return parse_predicate(p, out);
}

static int parse_and(parser *p, sql_node **out)
{
    sql_node *l;
    CV_TRY(parse_not(p, &l));
    while (is_kw(p, "AND")) {
        CV_TRY(next(p));
        sql_node *r;
        CV_TRY(parse_not(p, &r));
        CV_TRY(binary(p, N_AND, NULL, l, r, &l));
    }
    *out = l;
    return 0;
}

static int parse_expr(parser *p, sql_node **out)
{
    if (++p->depth > MAX_DEPTH) return fail(p, p->tok.off, "the expression nests too deeply%s", "");
    sql_node *l;
    int rc = parse_and(p, &l);
    while (rc == 0 && is_kw(p, "OR")) {
        sql_node *r;
        rc = next(p);
        if (rc == 0) rc = parse_and(p, &r);
        if (rc == 0) rc = binary(p, N_OR, NULL, l, r, &l);
    }
    p->depth--;
    CV_TRY(rc);
    *out = l;
    return 0;
}

static int parse_item(parser *p, sql_item *it)
{
    it->off = p->tok.off;
    if (is_op(p, "*")) {
        it->end = p->tok.off + 1;
        return next(p);
    }
    CV_TRY(parse_expr(p, &it->expr));
    it->end = it->expr->end;
    bool as = false;
    if (is_kw(p, "AS")) {
        as = true;
        CV_TRY(next(p));
    }
    if (p->tok.kind == TK_IDENT && (p->tok.quoted || !is_reserved(p))) {
        if (!(it->alias = tok_str(p))) return nomem(p);
        return next(p);
    }
    if (p->tok.kind == TK_STRING && as) {
        if (!(it->alias = cv_arena_strndup(p->a, p->text + p->tok.off + 1, p->tok.len - 2))) return nomem(p);
        return next(p);
    }
    if (as) return fail(p, p->tok.off, "expected a name after AS, found %s", tok_desc(p));
    return 0;
}

/* Clauses SeaTunnel's Sql transform does not run, with why. */
static int unsupported_clause(parser *p)
{
    static const struct {
        const char *kw, *why;
    } no[] = {
        {"JOIN", "joins are not supported: the Sql transform reads one input table"},
        {"INNER", "joins are not supported: the Sql transform reads one input table"},
        {"LEFT", "joins are not supported: the Sql transform reads one input table"},
        {"RIGHT", "joins are not supported: the Sql transform reads one input table"},
        {"FULL", "joins are not supported: the Sql transform reads one input table"},
        {"CROSS", "joins are not supported: the Sql transform reads one input table"},
        {"GROUP", "GROUP BY is not supported: the Sql transform maps each row on its own"},
        {"HAVING", "HAVING is not supported: the Sql transform maps each row on its own"},
        {"ORDER", "ORDER BY is not supported: rows keep their order"},
        {"LIMIT", "LIMIT and OFFSET are not supported"},
        {"OFFSET", "LIMIT and OFFSET are not supported"},
        {"UNION", "UNION is not supported: one SELECT per Sql transform"},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(no); i++)
        if (is_kw(p, no[i].kw)) return fail(p, p->tok.off, "%s", no[i].why);
    return 0;
}

int cv__sql_parse(cv_arena *a, cv_sql_query *q, cv_err *err)
{
    parser p = {.a = a, .text = q->text, .err = err};
    p.lx.text = q->text;
    p.lx.len = strlen(q->text);
    CV_TRY(next(&p));
    if (!is_kw(&p, "SELECT"))
        return fail(&p, p.tok.off, "only SELECT queries are supported: expected SELECT, found %s", tok_desc(&p));
    CV_TRY(next(&p));
    CV_VEC(sql_item) items = {0};
    for (;;) {
        sql_item it = {0};
        int rc = parse_item(&p, &it);
        if (rc == 0 && cv_vec_push(&items, it) < 0) rc = nomem(&p);
        if (rc < 0) {
            cv_vec_free(&items);
            return rc;
        }
        if (!is_op(&p, ",")) break;
        rc = next(&p);
        if (rc < 0) {
            cv_vec_free(&items);
            return rc;
        }
    }
    q->items = cv_arena_memdup(a, items.v, items.n * sizeof *items.v);
    q->nitems = (uint32_t)items.n;
    cv_vec_free(&items);
    if (!q->items) return nomem(&p);
    if (!is_kw(&p, "FROM"))
        return fail(&p, p.tok.off, "expected ',' or FROM after the select list, found %s", tok_desc(&p));
    CV_TRY(next(&p));
    if (is_op(&p, "(")) return fail(&p, p.tok.off, "sub-queries are not supported%s", "");
    if (p.tok.kind != TK_IDENT)
        return fail(&p, p.tok.off, "expected the input table's name after FROM, found %s", tok_desc(&p));
    if (!(q->from = tok_str(&p))) return nomem(&p);
    CV_TRY(next(&p));
    if (is_op(&p, "."))
        return fail(&p, p.tok.off, "schema-qualified table names are not supported: name the input table only%s", "");
    if (is_op(&p, ","))
        return fail(&p, p.tok.off, "joins are not supported: the Sql transform reads one input table%s", "");
    CV_TRY(unsupported_clause(&p));
    if (is_kw(&p, "AS") || (p.tok.kind == TK_IDENT && !is_reserved(&p)))
        return fail(&p, p.tok.off, "table aliases are not supported%s", "");
    if (is_kw(&p, "WHERE")) {
        CV_TRY(next(&p));
        CV_TRY(parse_expr(&p, &q->where));
    }
    CV_TRY(unsupported_clause(&p));
    if (is_op(&p, ";")) CV_TRY(next(&p));
    if (p.tok.kind != TK_END) return fail(&p, p.tok.off, "unexpected %s after the query", tok_desc(&p));
    return 0;
}
