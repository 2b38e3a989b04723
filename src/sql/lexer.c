/* lexer.c — cuts a query into tokens: names (bare, `back-quoted` or
 * "double-quoted"), integer and decimal literals, 'strings' ('' is a quote),
 * and operators. Comments (-- to the end of the line, block comments) are
 * skipped. Positions are byte offsets so errors can point into the text. */
#include "sql_int.h"

#include <string.h>

void cv__sql_linecol(const char *text, uint32_t off, uint32_t *line, uint32_t *col)
{
    uint32_t l = 1, c = 1;
    for (uint32_t i = 0; i < off && text[i]; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

int cv__sql_err_at(const char *text, uint32_t off, cv_err *err, int code, const char *fmt, ...)
{
    if (err->code) return err->code;
    uint32_t line, col;
    cv__sql_linecol(text, off, &line, &col);
    char msg[CV_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* the line of the query with a caret under the position */
    const char *ls = text;
    for (uint32_t l = 1; l < line; l++) ls = strchr(ls, '\n') + 1;
    const char *le = strchr(ls, '\n');
    int n = le ? (int)(le - ls) : (int)strlen(ls);
    if (n > 200) n = 200;
    return cv_err_set(err, code, "query %u:%u: %s\n    %.*s\n    %*s^", line, col, msg, n, ls, (int)col - 1, "");
}

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_ident_start(unsigned char c) { return c == '_' || c >= 0x80 || ((c | 32) >= 'a' && (c | 32) <= 'z'); }
static bool is_ident(unsigned char c) { return is_ident_start(c) || is_digit(c) || c == '$'; }

int cv__sql_lex(sql_lexer *lx, sql_tok *t, cv_err *err)
{
    const char *s = lx->text;
    size_t n = lx->len, i = lx->pos;
    for (;;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
        if (i + 1 < n && s[i] == '-' && s[i + 1] == '-') {
            while (i < n && s[i] != '\n') i++;
            continue;
        }
        if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
            size_t start = i;
            i += 2;
            while (i + 1 < n && !(s[i] == '*' && s[i + 1] == '/')) i++;
            if (i + 1 >= n) return cv__sql_err_at(s, (uint32_t)start, err, CV_ESYNTAX, "unclosed comment");
            i += 2;
            continue;
        }
        break;
    }
    memset(t, 0, sizeof *t);
    t->off = (uint32_t)i;
    if (i >= n) {
        t->kind = TK_END;
        lx->pos = i;
        return 0;
    }
    unsigned char c = (unsigned char)s[i];
    if (is_ident_start(c)) {
        while (i < n && is_ident((unsigned char)s[i])) i++;
        t->kind = TK_IDENT;
    } else if (c == '`' || c == '"') {
        size_t j = i + 1;
        while (j < n && s[j] != (char)c) j++;
        if (j >= n) return cv__sql_err_at(s, (uint32_t)i, err, CV_ESYNTAX, "unclosed %c-quoted name", c);
        t->kind = TK_IDENT;
        t->quoted = true;
        t->off = (uint32_t)i + 1;
        t->len = (uint32_t)(j - i - 1);
        lx->pos = j + 1;
        return 0;
    } else if (c == '\'') {
        size_t j = i + 1;
        for (;;) {
            if (j >= n) return cv__sql_err_at(s, (uint32_t)i, err, CV_ESYNTAX, "unclosed string literal");
            if (s[j] == '\'') {
                if (j + 1 < n && s[j + 1] == '\'') {
                    j += 2;
                    continue;
                }
                break;
            }
            j++;
        }
        t->kind = TK_STRING;
        t->len = (uint32_t)(j + 1 - i);
        lx->pos = j + 1;
        return 0;
    } else if (is_digit(c) || (c == '.' && i + 1 < n && is_digit((unsigned char)s[i + 1]))) {
        bool real = false;
        while (i < n && is_digit((unsigned char)s[i])) i++;
        if (i < n && s[i] == '.') {
            real = true;
            i++;
            while (i < n && is_digit((unsigned char)s[i])) i++;
        }
        if (i < n && (s[i] == 'e' || s[i] == 'E')) {
            size_t j = i + 1;
            if (j < n && (s[j] == '+' || s[j] == '-')) j++;
            if (j < n && is_digit((unsigned char)s[j])) {
                real = true;
                i = j;
                while (i < n && is_digit((unsigned char)s[i])) i++;
            }
        }
        if (i < n && is_ident_start((unsigned char)s[i]))
            return cv__sql_err_at(s, (uint32_t)i, err, CV_ESYNTAX, "a number runs into a name");
        t->kind = real ? TK_NUMBER : TK_INT;
    } else {
        static const char *const two[] = {"<=", ">=", "<>", "!=", "||", "=="};
        t->kind = TK_OP;
        for (size_t k = 0; k < CV_ARRAY_LEN(two); k++)
            if (i + 1 < n && s[i] == two[k][0] && s[i + 1] == two[k][1]) {
                memcpy(t->op, two[k], 2);
                t->len = 2;
                lx->pos = i + 2;
                return 0;
            }
        if (!strchr("+-*/%(),.=<>[];", c) || c == 0)
            return cv__sql_err_at(s, (uint32_t)i, err, CV_ESYNTAX, "unexpected character '%c'", c);
        t->op[0] = (char)c;
        i++;
    }
    t->len = (uint32_t)(i - t->off);
    lx->pos = i;
    return 0;
}
