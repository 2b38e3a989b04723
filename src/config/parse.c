/* parse.c — a HOCON parser with positions. Recursive descent over the raw
 * text: objects, arrays, quoted/triple-quoted/unquoted strings, numbers,
 * booleans, null, comments, dotted keys, value concatenation and ${…}
 * substitutions (resolved afterwards by vars.c). JSON is a subset.
 * Depth is bounded so hostile input cannot overflow the stack. */
#include "config_int.h"

#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 128

typedef struct {
    cv_doc *doc;
    const char *s, *p, *end;
    uint32_t line;
    const char *line_start;
    cv_err *err;
    int depth;
    /* the first '{' whose '}' is indented less than the line that opened
     * it: the likely culprit when the file ends with a brace still open */
    const char *suspect_open, *suspect_close;
} parser;

static cv_pos pos_at(parser *ps, const char *at)
{
    /* count lines from the current line start; `at` is never far away */
    uint32_t line = ps->line;
    const char *ls = ps->line_start;
    if (at < ls) { /* rare: error points back; recount from the start */
        line = 1;
        ls = ps->s;
        for (const char *q = ps->s; q < at; q++)
            if (*q == '\n') {
                line++;
                ls = q + 1;
            }
    }
    cv_pos p = {ps->doc->src.file, ps->doc->src.text, line, (uint32_t)(at - ls) + 1};
    return p;
}

static int syntax(parser *ps, const char *at, const char *fmt, ...) CV_PRINTF(3, 4);
static int syntax(parser *ps, const char *at, const char *fmt, ...)
{
    if (ps->err->code) return CV_ESYNTAX;
    cv_pos p = pos_at(ps, at);
    va_list ap;
    va_start(ap, fmt);
    cv_err_vset(ps->err, CV_ESYNTAX, fmt, ap);
    va_end(ap);
    cv_err_locate(ps->err, &p);
    return CV_ESYNTAX;
}

static int nomem(parser *ps) { return cv_err_set(ps->err, CV_ENOMEM, "out of memory"); }

static cv_node *new_node(parser *ps, cv_node_kind k, const char *at)
{
    cv_node *n = cv_arena_zalloc(&ps->doc->arena, sizeof *n);
    if (!n) return NULL;
    n->kind = k;
    n->src = &ps->doc->src;
    n->line = ps->line;
    n->col = (uint32_t)(at - ps->line_start) + 1;
    return n;
}

static void advance(parser *ps)
{
    if (*ps->p == '\n') {
        ps->line++;
        ps->line_start = ps->p + 1;
    }
    ps->p++;
}

static bool at_end(parser *ps) { return ps->p >= ps->end; }
static char peek(parser *ps) { return ps->p < ps->end ? *ps->p : '\0'; }
static char peek2(parser *ps) { return ps->p + 1 < ps->end ? ps->p[1] : '\0'; }

static bool at_comment(parser *ps) { return peek(ps) == '#' || (peek(ps) == '/' && peek2(ps) == '/'); }

static void skip_comment(parser *ps)
{
    while (!at_end(ps) && *ps->p != '\n') ps->p++;
}

/* Spaces and comments, not newlines. */
static void skip_inline(parser *ps)
{
    for (;;) {
        char c = peek(ps);
        if (c == ' ' || c == '\t' || c == '\r' || (unsigned char)c == 0xEF) {
            if ((unsigned char)c == 0xEF) { /* UTF-8 BOM */
                if (ps->end - ps->p >= 3 && (unsigned char)ps->p[1] == 0xBB && (unsigned char)ps->p[2] == 0xBF) {
                    ps->p += 3;
                    continue;
                }
                return;
            }
            ps->p++;
        } else if (at_comment(ps)) {
            skip_comment(ps);
        } else {
            return;
        }
    }
}

/* Spaces, newlines and comments. Returns true if a newline was crossed. */
static bool skip_all(parser *ps)
{
    bool nl = false;
    for (;;) {
        skip_inline(ps);
        if (peek(ps) == '\n') {
            nl = true;
            advance(ps);
        } else {
            return nl;
        }
    }
}

static bool forbidden(char c)
{
    return strchr("$\"{}[]:=,+#`^?!@*&\\", c) != NULL || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0';
}

static int node_add_item(parser *ps, cv_node *arr, cv_node *item)
{
    if (arr->u.arr.n == arr->u.arr.cap) {
        uint32_t nc = arr->u.arr.cap ? arr->u.arr.cap * 2 : 4;
        cv_node **nv = cv_arena_alloc(&ps->doc->arena, nc * sizeof *nv);
        if (!nv) return nomem(ps);
        if (arr->u.arr.n) memcpy(nv, arr->u.arr.v, arr->u.arr.n * sizeof *nv);
        arr->u.arr.v = nv;
        arr->u.arr.cap = nc;
    }
    arr->u.arr.v[arr->u.arr.n++] = item;
    return 0;
}

int cv__obj_append(cv_arena *a, cv_node *obj, const char *key, uint32_t line, uint32_t col, cv_node *val)
{
    if (obj->u.obj.n == obj->u.obj.cap) {
        uint32_t nc = obj->u.obj.cap ? obj->u.obj.cap * 2 : 4;
        cv_member *nm = cv_arena_alloc(a, nc * sizeof *nm);
        if (!nm) return CV_ENOMEM;
        if (obj->u.obj.n) memcpy(nm, obj->u.obj.m, obj->u.obj.n * sizeof *nm);
        obj->u.obj.m = nm;
        obj->u.obj.cap = nc;
    }
    cv_member *m = &obj->u.obj.m[obj->u.obj.n++];
    m->key = key;
    m->line = line;
    m->col = col;
    m->val = val;
    return 0;
}

/* HOCON merge: objects merge recursively, anything else replaces. */
int cv__obj_set(cv_arena *a, cv_node *obj, const char *key, uint32_t line, uint32_t col, cv_node *val)
{
    if (!obj->keep_dups) {
        for (uint32_t i = 0; i < obj->u.obj.n; i++) {
            cv_member *m = &obj->u.obj.m[i];
            if (strcmp(m->key, key) != 0) continue;
            if (m->val->kind == CV_NODE_OBJECT && val->kind == CV_NODE_OBJECT) {
                for (uint32_t k = 0; k < val->u.obj.n; k++) {
                    cv_member *vm = &val->u.obj.m[k];
                    CV_TRY(cv__obj_set(a, m->val, vm->key, vm->line, vm->col, vm->val));
                }
                return 0;
            }
            m->val = val;
            m->line = line;
            m->col = col;
            return 0;
        }
    }
    return cv__obj_append(a, obj, key, line, col, val);
}

/* ---- strings ------------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void put_utf8(cv_buf *b, uint32_t cp)
{
    char t[4];
    if (cp < 0x80) {
        t[0] = (char)cp;
        cv_buf_put(b, t, 1);
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        cv_buf_put(b, t, 2);
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        cv_buf_put(b, t, 3);
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        cv_buf_put(b, t, 4);
    }
}

static int read_hex4(parser *ps, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int h = ps->p < ps->end ? hexval(*ps->p) : -1;
        if (h < 0) return syntax(ps, ps->p, "bad \\u escape: expected four hex digits");
        v = v * 16 + (uint32_t)h;
        ps->p++;
    }
    *out = v;
    return 0;
}

/* "…" with JSON escapes. The opening quote is at ps->p. */
static int quoted_string(parser *ps, cv_buf *out)
{
    const char *open = ps->p;
    ps->p++;
    for (;;) {
        if (at_end(ps) || *ps->p == '\n')
            return syntax(ps, open,
                          "unterminated string (a quoted string ends on its line; use \"\"\" for several lines)");
        char c = *ps->p;
        if (c == '"') {
            ps->p++;
            return out->oom ? nomem(ps) : 0;
        }
        if (c != '\\') {
            const char *st = ps->p;
            while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' && *ps->p != '\n') ps->p++;
            cv_buf_put(out, st, (size_t)(ps->p - st));
            continue;
        }
        ps->p++;
        char e = peek(ps);
        ps->p++;
        switch (e) {
        case '"': cv_buf_putc(out, '"'); break;
        case '\\': cv_buf_putc(out, '\\'); break;
        case '/': cv_buf_putc(out, '/'); break;
        case 'b': cv_buf_putc(out, '\b'); break;
        case 'f': cv_buf_putc(out, '\f'); break;
        case 'n': cv_buf_putc(out, '\n'); break;
        case 'r': cv_buf_putc(out, '\r'); break;
        case 't': cv_buf_putc(out, '\t'); break;
        case 'u': {
            uint32_t cp = 0;
            CV_TRY(read_hex4(ps, &cp));
            if (cp >= 0xD800 && cp <= 0xDBFF && peek(ps) == '\\' && peek2(ps) == 'u') {
                uint32_t lo = 0;
                ps->p += 2;
                CV_TRY(read_hex4(ps, &lo));
                if (lo >= 0xDC00 && lo <= 0xDFFF)
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                else
                    return syntax(ps, ps->p - 6, "bad surrogate pair in \\u escape");
            } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                return syntax(ps, ps->p - 6, "lone surrogate in \\u escape");
            }
            put_utf8(out, cp);
            break;
        }
        default: return syntax(ps, ps->p - 2, "bad escape sequence in string");
        }
    }
}

static bool at_triple(parser *ps)
{
    return ps->end - ps->p >= 3 && ps->p[0] == '"' && ps->p[1] == '"' && ps->p[2] == '"';
}

/* """…""": raw, may span lines; extra quotes before the closing three belong
 * to the string (HOCON). */
static int triple_string(parser *ps, cv_buf *out)
{
    const char *open = ps->p;
    ps->p += 3;
    const char *st = ps->p;
    for (;;) {
        if (at_end(ps)) return syntax(ps, open, "unterminated \"\"\" string");
        if (at_triple(ps)) {
            while (ps->end - ps->p > 3 && ps->p[3] == '"') ps->p++;
            cv_buf_put(out, st, (size_t)(ps->p - st));
            ps->p += 3;
            return out->oom ? nomem(ps) : 0;
        }
        advance(ps);
    }
}

/* ---- keys ------------------------------------------------------------------------ */

#define MAX_PATH 32

typedef struct {
    const char *seg[MAX_PATH];
    int n;
    const char *at;
} keypath;

/* A key: dot-separated segments of unquoted text and quoted strings. */
static int parse_key(parser *ps, keypath *kp)
{
    kp->n = 0;
    kp->at = ps->p;
    cv_buf seg;
    cv_buf_init(&seg);
    int rc = 0;
    bool have = false;
    for (;;) {
        char c = peek(ps);
        if (c == '"') {
            if (at_triple(ps)) {
                rc = syntax(ps, ps->p, "a key cannot be a \"\"\" string");
                break;
            }
            if ((rc = quoted_string(ps, &seg)) < 0) break;
            have = true;
        } else if (c == '.') {
            if (!have) {
                rc = syntax(ps, ps->p, "empty segment in key");
                break;
            }
            if (kp->n == MAX_PATH) {
                rc = syntax(ps, kp->at, "key has too many segments");
                break;
            }
            if (!(kp->seg[kp->n++] = cv_arena_strndup(&ps->doc->arena, seg.data ? seg.data : "", seg.len))) {
                rc = nomem(ps);
                break;
            }
            cv_buf_reset(&seg);
            have = false;
            ps->p++;
        } else if (!forbidden(c) && !(c == '/' && peek2(ps) == '/')) {
            const char *st = ps->p;
            while (!at_end(ps) && !forbidden(*ps->p) && *ps->p != '.' && !(*ps->p == '/' && peek2(ps) == '/')) ps->p++;
            cv_buf_put(&seg, st, (size_t)(ps->p - st));
            have = true;
        } else {
            break;
        }
    }
    if (rc == 0) {
        if (!have) {
            rc = kp->n ? syntax(ps, ps->p, "key ends with '.'") : syntax(ps, ps->p, "expected a key");
        } else if (kp->n == MAX_PATH) {
            rc = syntax(ps, kp->at, "key has too many segments");
        } else if (!(kp->seg[kp->n++] = cv_arena_strndup(&ps->doc->arena, seg.data ? seg.data : "", seg.len))) {
            rc = nomem(ps);
        }
    }
    if (rc == 0 && seg.oom) rc = nomem(ps);
    cv_buf_free(&seg);
    return rc;
}

/* ---- values ------------------------------------------------------------------------ */

static int parse_value(parser *ps, cv_node **out, bool keep_dups);
static int parse_object_body(parser *ps, cv_node *obj, char close, const char *open, bool root);

static cv_node *scalar_from_unquoted(parser *ps, const char *st, size_t n, const char *at)
{
    cv_node *nd = new_node(ps, CV_NODE_STRING, at);
    if (!nd) return NULL;
    int64_t iv;
    double dv;
    if (n == 4 && memcmp(st, "true", 4) == 0)
        nd->kind = CV_NODE_BOOL;
    else if (n == 5 && memcmp(st, "false", 5) == 0)
        nd->kind = CV_NODE_BOOL;
    else if (n == 4 && memcmp(st, "null", 4) == 0)
        nd->kind = CV_NODE_NULL;
    else if (cv_parse_i64(st, n, &iv) || (cv__looks_numeric(st, n) && cv_parse_f64(st, n, &dv)))
        nd->kind = CV_NODE_NUMBER;
    nd->text = cv_arena_strndup(&ps->doc->arena, st, n);
    nd->len = n;
    return nd->text ? nd : NULL;
}

/* ${path}, ${?path}, ${name:default} */
static int parse_subst(parser *ps, cv_node **out)
{
    const char *open = ps->p;
    cv_node *nd = new_node(ps, CV__NODE_SUBST, open);
    if (!nd) return nomem(ps);
    ps->p += 2;
    const char *st = ps->p;
    while (!at_end(ps) && *ps->p != '}' && *ps->p != '\n') ps->p++;
    if (peek(ps) != '}') return syntax(ps, open, "unterminated ${ substitution");
    nd->text = cv_arena_strndup(&ps->doc->arena, st, (size_t)(ps->p - st));
    if (!nd->text) return nomem(ps);
    nd->len = (size_t)(ps->p - st);
    ps->p++;
    if (nd->len == 0 || (nd->len == 1 && nd->text[0] == '?')) return syntax(ps, open, "empty ${} substitution");
    *out = nd;
    return 0;
}

static int parse_array(parser *ps, cv_node **out)
{
    const char *open = ps->p;
    cv_node *arr = new_node(ps, CV_NODE_ARRAY, open);
    if (!arr) return nomem(ps);
    ps->p++;
    for (;;) {
        skip_all(ps);
        if (at_end(ps)) return syntax(ps, open, "this '[' is never closed (missing ']' before the end of the file)");
        if (peek(ps) == ']') {
            ps->p++;
            break;
        }
        cv_node *item;
        CV_TRY(parse_value(ps, &item, false));
        CV_TRY(node_add_item(ps, arr, item));
        bool nl = skip_all(ps);
        if (peek(ps) == ',') {
            ps->p++;
        } else if (peek(ps) != ']' && !nl && !at_end(ps)) {
            return syntax(ps, ps->p, "expected ',' or ']' in array");
        }
    }
    *out = arr;
    return 0;
}

/* '+' is forbidden in unquoted text but belongs to a JSON number's
 * exponent: 1e+5 */
static bool exponent_sign(const char *st, const char *p)
{
    return *p == '+' && p > st && (p[-1] == 'e' || p[-1] == 'E') && cv__looks_numeric(st, (size_t)(p - st));
}

static bool starts_value(parser *ps)
{
    char c = peek(ps);
    if (c == '{' || c == '[' || c == '"') return true;
    if (c == '$') return peek2(ps) == '{';
    return !forbidden(c) && !(c == '/' && peek2(ps) == '/');
}

/* One value, possibly a concatenation of several pieces on one line. */
static int parse_value(parser *ps, cv_node **out, bool keep_dups)
{
    if (++ps->depth > MAX_DEPTH) return syntax(ps, ps->p, "nesting is too deep");
    cv_node *pieces[64];
    const char *gaps[64];
    size_t gapn[64];
    int np = 0;
    const char *first = ps->p;
    cv_buf sbuf;
    cv_buf_init(&sbuf);
    int rc = 0;
    for (;;) {
        if (!starts_value(ps)) {
            if (np == 0) {
                char tmp[2] = {peek(ps), 0};
                rc = at_end(ps) ? syntax(ps, ps->p, "expected a value")
                                : syntax(ps, ps->p, "expected a value but found '%s'", tmp);
            }
            break;
        }
        if (np == (int)CV_ARRAY_LEN(pieces)) {
            rc = syntax(ps, first, "too many pieces in one value");
            break;
        }
        const char *at = ps->p;
        cv_node *piece = NULL;
        char c = peek(ps);
        if (c == '{') {
            piece = new_node(ps, CV_NODE_OBJECT, at);
            if (!piece) {
                rc = nomem(ps);
                break;
            }
            piece->keep_dups = keep_dups;
            ps->p++;
            rc = parse_object_body(ps, piece, '}', at, false);
        } else if (c == '[') {
            rc = parse_array(ps, &piece);
        } else if (c == '"') {
            cv_buf_reset(&sbuf);
            bool triple = at_triple(ps);
            rc = triple ? triple_string(ps, &sbuf) : quoted_string(ps, &sbuf);
            if (rc == 0) {
                piece = new_node(ps, CV_NODE_STRING, at);
                if (triple) { /* the node starts where the string started */
                    cv_pos p = pos_at(ps, at);
                    if (piece) {
                        piece->line = p.line;
                        piece->col = p.col;
                    }
                }
                if (piece) {
                    piece->quoted = true;
                    piece->text = cv_arena_strndup(&ps->doc->arena, sbuf.data ? sbuf.data : "", sbuf.len);
                    piece->len = sbuf.len;
                }
                if (!piece || !piece->text) rc = nomem(ps);
            }
        } else if (c == '$') {
            rc = parse_subst(ps, &piece);
        } else {
            const char *st = ps->p;
            while (!at_end(ps) && !(*ps->p == '/' && peek2(ps) == '/') &&
                   (!forbidden(*ps->p) || exponent_sign(st, ps->p)))
                ps->p++;
            piece = scalar_from_unquoted(ps, st, (size_t)(ps->p - st), at);
            if (!piece) rc = nomem(ps);
        }
        if (rc < 0) break;
        pieces[np++] = piece;
        /* whitespace between pieces on one line belongs to a concatenation */
        const char *ws = ps->p;
        while (peek(ps) == ' ' || peek(ps) == '\t') ps->p++;
        gaps[np - 1] = ws;
        gapn[np - 1] = (size_t)(ps->p - ws);
        if (!starts_value(ps)) {
            ps->p = ws;
            break;
        }
    }
    cv_buf_free(&sbuf);
    ps->depth--;
    if (rc < 0) return rc;
    if (np == 1) {
        *out = pieces[0];
        return 0;
    }
    /* objects concatenate by merging, arrays by appending, the rest as text */
    bool all_obj = true, all_arr = true, any_comp = false;
    for (int i = 0; i < np; i++) {
        all_obj &= pieces[i]->kind == CV_NODE_OBJECT;
        all_arr &= pieces[i]->kind == CV_NODE_ARRAY;
        any_comp |= pieces[i]->kind == CV_NODE_OBJECT || pieces[i]->kind == CV_NODE_ARRAY;
    }
    if (all_obj) {
        for (int i = 1; i < np; i++)
            for (uint32_t k = 0; k < pieces[i]->u.obj.n; k++) {
                cv_member *m = &pieces[i]->u.obj.m[k];
                if (cv__obj_set(&ps->doc->arena, pieces[0], m->key, m->line, m->col, m->val) < 0) return nomem(ps);
            }
        *out = pieces[0];
        return 0;
    }
    if (all_arr) {
        for (int i = 1; i < np; i++)
            for (uint32_t k = 0; k < pieces[i]->u.arr.n; k++)
                CV_TRY(node_add_item(ps, pieces[0], pieces[i]->u.arr.v[k]));
        *out = pieces[0];
        return 0;
    }
    if (any_comp) return syntax(ps, first, "cannot concatenate an object or array with text");
    cv_node *cat = new_node(ps, CV__NODE_CONCAT, first);
    if (!cat) return nomem(ps);
    cat->line = pieces[0]->line;
    cat->col = pieces[0]->col;
    for (int i = 0; i < np; i++) {
        CV_TRY(node_add_item(ps, cat, pieces[i]));
        if (i + 1 < np && gapn[i]) {
            cv_node *g = new_node(ps, CV_NODE_STRING, gaps[i]);
            if (!g || !(g->text = cv_arena_strndup(&ps->doc->arena, gaps[i], gapn[i]))) return nomem(ps);
            g->len = gapn[i];
            g->quoted = true;
            CV_TRY(node_add_item(ps, cat, g));
        }
    }
    *out = cat;
    return 0;
}

static bool is_plugin_section(const char *k)
{
    return strcmp(k, "source") == 0 || strcmp(k, "transform") == 0 || strcmp(k, "sink") == 0;
}

/* Insert value at a dotted key path under obj. */
static int insert_path(parser *ps, cv_node *obj, keypath *kp, uint32_t line, uint32_t col, cv_node *val)
{
    cv_node *cur = obj;
    for (int i = 0; i + 1 < kp->n; i++) {
        cv_node *next = NULL;
        if (!cur->keep_dups)
            for (uint32_t k = 0; k < cur->u.obj.n; k++)
                if (strcmp(cur->u.obj.m[k].key, kp->seg[i]) == 0 && cur->u.obj.m[k].val->kind == CV_NODE_OBJECT)
                    next = cur->u.obj.m[k].val;
        if (!next) {
            next = new_node(ps, CV_NODE_OBJECT, kp->at);
            if (!next) return nomem(ps);
            next->line = line;
            next->col = col;
            next->dotted = true;
            if (cv__obj_set(&ps->doc->arena, cur, kp->seg[i], line, col, next) < 0) return nomem(ps);
        }
        cur = next;
    }
    if (cv__obj_set(&ps->doc->arena, cur, kp->seg[kp->n - 1], line, col, val) < 0) return nomem(ps);
    return 0;
}

static size_t indent_of_line(parser *ps, const char *at, bool *first)
{
    const char *ls = at;
    while (ls > ps->s && ls[-1] != '\n') ls--;
    const char *q = ls;
    while (q < at && (*q == ' ' || *q == '\t')) q++;
    *first = q == at;
    size_t n = 0;
    for (const char *c = ls; c < ps->end && (*c == ' ' || *c == '\t'); c++) n += *c == '\t' ? 4 : 1;
    return n;
}

static void check_indent(parser *ps, const char *open, const char *close_at)
{
    bool open_first, close_first;
    size_t oi = indent_of_line(ps, open, &open_first);
    size_t ci = indent_of_line(ps, close_at, &close_first);
    if (close_first && ci < oi && !ps->suspect_open) {
        ps->suspect_open = open;
        ps->suspect_close = close_at;
    }
}

static int parse_object_body(parser *ps, cv_node *obj, char close, const char *open, bool root)
{
    if (++ps->depth > MAX_DEPTH) return syntax(ps, ps->p, "nesting is too deep");
    for (;;) {
        skip_all(ps);
        if (at_end(ps)) {
            if (close && ps->suspect_open) {
                cv_pos c = pos_at(ps, ps->suspect_close);
                return syntax(ps, ps->suspect_open,
                              "this '{' seems to lack its '}': the '}' at line %u is indented like an outer "
                              "block, and the file ends with a '{' still open",
                              c.line);
            }
            if (close) return syntax(ps, open, "this '{' is never closed (missing '}' before the end of the file)");
            break;
        }
        if (peek(ps) == close && close) {
            check_indent(ps, open, ps->p);
            ps->p++;
            break;
        }
        if (peek(ps) == '}' || peek(ps) == ']')
            return syntax(ps, ps->p, close ? "unexpected '%s'" : "unexpected '%s' (no object or array is open here)",
                          peek(ps) == '}' ? "}" : "]");
        if (ps->end - ps->p >= 7 && memcmp(ps->p, "include", 7) == 0 && (ps->p[7] == ' ' || ps->p[7] == '"'))
            return syntax(ps, ps->p, "include is not supported in job files");
        keypath kp;
        uint32_t kline = ps->line, kcol = (uint32_t)(ps->p - ps->line_start) + 1;
        CV_TRY(parse_key(ps, &kp));
        skip_inline(ps);
        cv_node *val;
        bool dups = root && kp.n == 1 && is_plugin_section(kp.seg[0]);
        char c = peek(ps);
        if (c == '{') {
            CV_TRY(parse_value(ps, &val, dups));
        } else if (c == '=' || c == ':') {
            ps->p++;
            skip_all(ps);
            CV_TRY(parse_value(ps, &val, dups));
        } else if (c == '+' && peek2(ps) == '=') {
            return syntax(ps, ps->p, "'+=' is not supported in job files");
        } else {
            const char *k = kp.seg[kp.n - 1];
            return syntax(ps, ps->p, "expected '=', ':' or '{' after the key \"%s\"", k);
        }
        if (dups && val->kind == CV_NODE_ARRAY) {
            /* JSON form: "source": [ {plugin_name = …}, … ] is fine as is */
        }
        CV_TRY(insert_path(ps, obj, &kp, kline, kcol, val));
        /* after a field: newline, comma, or the closing brace */
        bool nl = skip_all(ps);
        if (peek(ps) == ',') {
            ps->p++;
        } else if (!nl && !at_end(ps) && !(close && peek(ps) == close)) {
            char tmp[2] = {peek(ps), 0};
            return syntax(ps, ps->p, "expected a newline or ',' after a value, found '%s'", tmp);
        }
    }
    ps->depth--;
    return 0;
}

/* Job files are UTF-8: a byte that is not is an error at its position,
 * before it can reach a string value (and a target) changed. */
static int check_utf8(parser *ps)
{
    size_t ok = cv_utf8_prefix(ps->s, (size_t)(ps->end - ps->s));
    if (ps->s + ok == ps->end) return 0;
    const char *bad = ps->s + ok;
    for (const char *q = ps->s; q < bad; q++)
        if (*q == '\n') {
            ps->line++;
            ps->line_start = q + 1;
        }
    return syntax(ps, bad,
                  "invalid UTF-8 (byte 0x%02X): job files are read as UTF-8; convert this one "
                  "(e.g. iconv -f latin1 -t utf-8)",
                  (unsigned char)*bad);
}

int cv__parse_text(cv_doc *doc, size_t len, cv_err *err)
{
    parser ps = {.doc = doc,
                 .s = doc->text,
                 .p = doc->text,
                 .end = doc->text + len,
                 .line = 1,
                 .line_start = doc->text,
                 .err = err};
    doc->root = new_node(&ps, CV_NODE_OBJECT, ps.p);
    if (!doc->root) return nomem(&ps);
    CV_TRY(check_utf8(&ps));
    skip_all(&ps);
    if (peek(&ps) == '{') {
        const char *open = ps.p;
        ps.p++;
        CV_TRY(parse_object_body(&ps, doc->root, '}', open, true));
        skip_all(&ps);
        if (!at_end(&ps)) return syntax(&ps, ps.p, "unexpected text after the closing '}'");
    } else if (peek(&ps) == '[') {
        return syntax(&ps, ps.p, "a job file must be an object, not an array");
    } else {
        CV_TRY(parse_object_body(&ps, doc->root, 0, ps.p, true));
    }
    return 0;
}

/* Parse a standalone value (a variable's text) into doc's arena; nodes are
 * positioned in `src`, a pseudo-file naming the variable. */
int cv__parse_value_text(cv_doc *doc, const cv_src *src, size_t len, cv_node **out, cv_err *err)
{
    parser ps = {.doc = doc,
                 .s = src->text,
                 .p = src->text,
                 .end = src->text + len,
                 .line = 1,
                 .line_start = src->text,
                 .err = err};
    /* positions and errors must name the variable, not the job file */
    cv_src saved = doc->src;
    doc->src = *src;
    int rc = check_utf8(&ps);
    if (rc == 0) {
        skip_all(&ps);
        rc = parse_value(&ps, out, false);
    }
    if (rc == 0) {
        skip_all(&ps);
        if (!at_end(&ps)) rc = syntax(&ps, ps.p, "unexpected text after the value");
    }
    /* nodes point at doc->src; give them a stable copy of the pseudo-file */
    cv_src *keep = cv_arena_memdup(&doc->arena, src, sizeof *src);
    doc->src = saved;
    if (!keep) return cv_err_set(err, CV_ENOMEM, "out of memory");
    if (rc == 0) cv__repoint(*out, &doc->src, keep);
    return rc;
}
