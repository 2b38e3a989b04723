/* jsonpath.c — JsonPath: extract values from a JSON field into new typed
 * fields (`columns = [ {src_field, path, dest_field, dest_type,
 * column_error_handle_way} ]`). The source is JSON text (string or bytes),
 * or an array, map or row, which is turned into JSON first (a row as the
 * array of its field values, as SeaTunnel does, so `$[0]` is its first
 * field). Each source value is parsed once per row, however many columns
 * read it; the values land in per-thread scratch columns, and the output
 * batch is assembled in bulk, skipping the rows an error handler dropped.
 *
 * Errors (bad JSON, no value at a definite path, a value that does not
 * convert to dest_type) follow the column's column_error_handle_way: FAIL
 * stops the job, SKIP makes the value NULL, SKIP_ROW drops the row; a
 * column without one follows row_error_handle_way (FAIL or SKIP the row). */
#include "jsonpath_int.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum { WAY_FAIL, WAY_SKIP, WAY_SKIP_ROW };

typedef struct {
    const cv_node *columns;
    int row_way;
} jp_cfg;

static const cv_option options[] = {
    {"columns", CV_OPT_LIST, NULL,
     "what to extract: [{src_field, path, dest_field, dest_type = string, column_error_handle_way}]",
     offsetof(jp_cfg, columns), CV_OPT_REQUIRED},
    {"row_error_handle_way", CV_OPT_ENUM, "FAIL",
     "on an error in a column without column_error_handle_way: FAIL the job or SKIP the row", offsetof(jp_cfg, row_way),
     0, CV_ENUMS("FAIL", "SKIP")},
    {NULL},
};

typedef struct {
    const char *src_field, *path, *dest_field, *dest_type;
    int way;
} col_cfg;

static const cv_option col_options[] = {
    {"src_field", CV_OPT_STRING, NULL, "the JSON field", offsetof(col_cfg, src_field), CV_OPT_REQUIRED},
    {"path", CV_OPT_STRING, NULL, "JSONPath of the value", offsetof(col_cfg, path), CV_OPT_REQUIRED},
    {"dest_field", CV_OPT_STRING, NULL, "the new field", offsetof(col_cfg, dest_field), CV_OPT_REQUIRED},
    {"dest_type", CV_OPT_STRING, "string", "its type", offsetof(col_cfg, dest_type)},
    {"column_error_handle_way", CV_OPT_ENUM, NULL, "FAIL, SKIP (NULL) or SKIP_ROW", offsetof(col_cfg, way), 0,
     CV_ENUMS("FAIL", "SKIP", "SKIP_ROW")},
    {NULL},
};

typedef struct {
    col_cfg cfg;
    const cv_type *type;
    cv__jpath *path;
    int way;    /* effective: WAY_* */
    cv_pos pos; /* the column's entry, for data errors */
    cv_pos path_pos;
} jp_col;

typedef struct {
    cv_colplan plan;
    uint32_t *src; /* per column: input column */
    uint32_t *doc; /* per column: which distinct source it reads */
    uint32_t ndoc;
    uint32_t *doc_col; /* per distinct source: input column */
} jp_table;

typedef struct {
    jp_col *cols;
    uint32_t n;
    jp_table *tables;
} jp_priv;

typedef struct {
    cv_arena arena;     /* one row's trees; reset per row */
    cv_col *vals;       /* scratch output column per configured column */
    cv_col *stage;      /* composite types: one value, copied on success */
    const cv_col **add; /* &vals[j] */
    uint32_t n;
    cv_buf text, tmp;
    uint8_t *keep;
    uint32_t keep_cap;
    cv__jnode **docs; /* per distinct source: parsed tree this row */
    const char **doc_why;
    uint8_t *doc_state; /* 0 not parsed, 1 parsed, 2 failed */
    uint32_t ndocs;
} jp_inst;

static int tr_open(cv_transform *t, cv_err *err)
{
    const jp_cfg *cfg = t->settings;
    cv_arena *a = t->ctx->arena;
    const cv_node *list = cfg->columns;
    cv_pos lp = cv_node_pos(list);
    uint32_t n = list->u.arr.n;
    if (n == 0) return cv_err_at(err, CV_ECONFIG, &lp, "columns is empty%s", "");
    jp_priv *pv = cv_arena_zalloc(a, sizeof *pv);
    cv_column *add = cv_arena_zalloc(a, n * sizeof *add);
    t->out = cv_arena_alloc(a, t->nin * sizeof *t->out);
    if (!pv || !add || !t->out || !(pv->cols = cv_arena_zalloc(a, n * sizeof *pv->cols)) ||
        !(pv->tables = cv_arena_zalloc(a, t->nin * sizeof *pv->tables)))
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    pv->n = n;
    t->priv = pv;
    for (uint32_t j = 0; j < n; j++) {
        const cv_node *e = list->u.arr.v[j];
        jp_col *c = &pv->cols[j];
        c->pos = cv_node_pos(e);
        if (e->kind != CV_NODE_OBJECT)
            return cv_err_at(err, CV_ECONFIG, &c->pos, "columns[%u] must be an object {src_field, path, dest_field}",
                             j);
        char what[64];
        snprintf(what, sizeof what, "JsonPath columns[%u]", j);
        cv_optset set = {col_options, &c->cfg};
        cv_optvals given;
        CV_TRY(cv_options_apply(a, e, &set, 1, what, &given, err));
        const cv_node *pn = cv_optvals_given(&given, "path");
        const cv_node *tn = cv_optvals_given(&given, "dest_type");
        const cv_node *wn = cv_optvals_given(&given, "column_error_handle_way");
        cv_optvals_free(&given);
        c->path_pos = cv_node_pos(pn);
        if (!c->cfg.src_field[0] || !c->cfg.dest_field[0] || !c->cfg.path[0])
            return cv_err_at(err, CV_ECONFIG, &c->pos, "%s: src_field, path and dest_field must not be empty", what);
        const char *why;
        size_t at;
        int rc = cv__jpath_compile(a, c->cfg.path, &c->path, &why, &at);
        if (rc < 0) {
            if (rc == CV_ENOMEM) return cv_err_set(err, rc, "out of memory");
            return cv_err_at(err, CV_ECONFIG, &c->path_pos, "path \"%s\": %s (at offset %zu)", c->cfg.path, why, at);
        }
        rc = cv_type_parse(a, c->cfg.dest_type, &c->type, err);
        if (rc < 0) {
            cv_pos tp = tn ? cv_node_pos(tn) : c->pos;
            cv_err_locate(err, &tp);
            return rc;
        }
        c->way = wn ? c->cfg.way : cfg->row_way == 0 ? WAY_FAIL : WAY_SKIP_ROW;
        add[j] = (cv_column){.name = c->cfg.dest_field, .type = c->type, .nullable = true, .length = 200};
    }
    for (uint32_t ti = 0; ti < t->nin; ti++) {
        const cv_table *in = t->in[ti];
        jp_table *tb = &pv->tables[ti];
        tb->src = cv_arena_alloc(a, n * sizeof *tb->src);
        tb->doc = cv_arena_alloc(a, n * sizeof *tb->doc);
        tb->doc_col = cv_arena_alloc(a, n * sizeof *tb->doc_col);
        if (!tb->src || !tb->doc || !tb->doc_col) return cv_err_set(err, CV_ENOMEM, "out of memory");
        for (uint32_t j = 0; j < n; j++) {
            jp_col *c = &pv->cols[j];
            int k = cv_table_col_at(in, c->cfg.src_field, &c->pos, "src_field", err);
            if (k < 0) return k;
            cv_type_id id = in->cols[k].type->id;
            if (id != CV_T_STRING && id != CV_T_BYTES && id != CV_T_ARRAY && id != CV_T_MAP && id != CV_T_ROW) {
                char tn[64];
                return cv_err_at(err, CV_ECONFIG, &c->pos,
                                 "src_field: \"%s\" of %s is %s; JsonPath reads string, bytes, array, map or row",
                                 c->cfg.src_field, in->full_name, cv_type_str(in->cols[k].type, tn, sizeof tn));
            }
            tb->src[j] = (uint32_t)k;
            uint32_t d = 0;
            while (d < tb->ndoc && tb->doc_col[d] != (uint32_t)k) d++;
            if (d == tb->ndoc) tb->doc_col[tb->ndoc++] = (uint32_t)k;
            tb->doc[j] = d;
        }
        int rc = cv_colplan_build(a, in, add, n, &tb->plan, err);
        if (rc < 0) {
            cv_err_locate(err, &lp);
            return rc;
        }
        t->out[ti] = tb->plan.out;
    }
    t->nout = t->nin;
    return 0;
}

static void tr_inst_close(cv_transform *t, void *inst)
{
    (void)t;
    jp_inst *st = inst;
    if (!st) return;
    for (uint32_t j = 0; j < st->n; j++) {
        if (st->vals && st->vals[j].owner) cv_col_destroy(&st->vals[j]);
        if (st->stage && st->stage[j].owner) cv_col_destroy(&st->stage[j]);
    }
    cv_free(st->vals);
    cv_free(st->stage);
    cv_free(st->add);
    cv_free(st->keep);
    cv_free(st->docs);
    cv_free(st->doc_why);
    cv_free(st->doc_state);
    cv_buf_free(&st->text);
    cv_buf_free(&st->tmp);
    cv_arena_free(&st->arena);
    cv_free(st);
}

static int tr_inst_open(cv_transform *t, void **inst, cv_err *err)
{
    const jp_priv *pv = t->priv;
    jp_inst *st = cv_calloc(1, sizeof *st);
    *inst = NULL;
    if (!st) return cv_err_set(err, CV_ENOMEM, "out of memory");
    cv_arena_init(&st->arena, 64 << 10);
    cv_buf_init(&st->text);
    cv_buf_init(&st->tmp);
    st->n = pv->n;
    st->vals = cv_calloc(pv->n, sizeof *st->vals);
    st->stage = cv_calloc(pv->n, sizeof *st->stage);
    st->add = cv_calloc(pv->n, sizeof *st->add);
    st->ndocs = pv->n; /* at most one distinct source per column */
    st->docs = cv_calloc(pv->n, sizeof *st->docs);
    st->doc_why = cv_calloc(pv->n, sizeof *st->doc_why);
    st->doc_state = cv_calloc(pv->n, 1);
    bool ok = st->vals && st->stage && st->add && st->docs && st->doc_why && st->doc_state;
    for (uint32_t j = 0; ok && j < pv->n; j++) {
        cv_type_id id = pv->cols[j].type->id;
        ok = cv_col_init(&st->vals[j], pv->cols[j].type) == 0 &&
             ((id != CV_T_ARRAY && id != CV_T_MAP && id != CV_T_ROW) ||
              cv_col_init(&st->stage[j], pv->cols[j].type) == 0);
        st->add[j] = &st->vals[j];
    }
    if (!ok) {
        tr_inst_close(t, st);
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    }
    *inst = st;
    return 0;
}

static const char *kind_name(cv__jkind k)
{
    switch (k) {
    case CV__J_ARR: return "an array";
    case CV__J_OBJ: return "an object";
    default: return "a scalar";
    }
}

/* Append the JSON value v to c (any type). On failure nothing usable was
 * appended to a scalar column; composite columns are staged by the caller. */
static int convert(cv_col *c, const cv__jnode *v, cv_buf *tmp, cv_err *e)
{
    if (v->kind == CV__J_NULL) {
        cv_col_append_null(c);
        return 0;
    }
    char tn[64];
    switch (c->type->id) {
    case CV_T_STRING:
        if (v->kind == CV__J_ARR || v->kind == CV__J_OBJ) {
            cv_buf_reset(tmp);
            cv__jdom_write(v, tmp);
            if (tmp->oom) return cv_err_set(e, CV_ENOMEM, "out of memory");
            cv_col_append_str(c, tmp->data, tmp->len);
        } else {
            cv_col_append_str(c, v->text, v->len);
        }
        return 0;
    case CV_T_ARRAY:
        if (v->kind != CV__J_ARR)
            return cv_err_set(e, CV_EDATA, "expected an array for %s, got %s", cv_type_str(c->type, tn, sizeof tn),
                              kind_name(v->kind));
        for (const cv__jnode *x = v->child; x; x = x->next) CV_TRY(convert(&c->child[0], x, tmp, e));
        cv_col_append_list(c, v->len);
        return 0;
    case CV_T_MAP:
        if (v->kind != CV__J_OBJ)
            return cv_err_set(e, CV_EDATA, "expected an object for %s, got %s", cv_type_str(c->type, tn, sizeof tn),
                              kind_name(v->kind));
        for (const cv__jnode *x = v->child; x; x = x->next) {
            CV_TRY(cv_value_parse(&c->child[0], x->key, x->keylen, e));
            CV_TRY(convert(&c->child[1], x, tmp, e));
        }
        cv_col_append_list(c, v->len);
        return 0;
    case CV_T_ROW:
        if (v->kind != CV__J_OBJ)
            return cv_err_set(e, CV_EDATA, "expected an object for %s, got %s", cv_type_str(c->type, tn, sizeof tn),
                              kind_name(v->kind));
        for (uint32_t f = 0; f < c->nchild; f++) {
            const char *name = c->type->fields[f].name;
            size_t nl = strlen(name);
            const cv__jnode *x = v->child;
            while (x && !(x->keylen == nl && memcmp(x->key, name, nl) == 0)) x = x->next;
            if (x)
                CV_TRY(convert(&c->child[f], x, tmp, e));
            else
                cv_col_append_null(&c->child[f]);
        }
        cv_col_append_struct(c);
        return 0;
    case CV_T_BYTES:
        if (v->kind != CV__J_STR) break;
        cv_buf_reset(tmp);
        if (cv_base64_decode(v->text, v->len, tmp) < 0)
            return cv_err_set(e, CV_EDATA, "\"%.*s\" is not base64 for bytes", (int)CV_MIN(v->len, 100), v->text);
        cv_col_append_str(c, tmp->data ? tmp->data : "", tmp->len);
        return 0;
    default:
        if (v->kind == CV__J_ARR || v->kind == CV__J_OBJ) break;
        return cv_value_parse(c, v->text, v->len, e);
    }
    return cv_err_set(e, CV_EDATA, "expected a value for %s, got %s", cv_type_str(c->type, tn, sizeof tn),
                      kind_name(v->kind));
}

/* The JSON text of source value r of column c. */
static void source_text(const cv_col *c, uint32_t r, cv_buf *out, const char **s, size_t *n)
{
    if (c->type->id == CV_T_STRING || c->type->id == CV_T_BYTES) {
        uint32_t len;
        *s = cv_col_str(c, r, &len);
        *n = len;
        return;
    }
    cv_buf_reset(out);
    if (c->type->id == CV_T_ROW) {
        /* SeaTunnel serialises a row as the array of its field values */
        cv_buf_putc(out, '[');
        for (uint32_t f = 0; f < c->nchild; f++) {
            if (f) cv_buf_putc(out, ',');
            cv_value_format(&c->child[f], r, CV_FMT_JSON, out);
        }
        cv_buf_putc(out, ']');
    } else {
        cv_value_format(c, r, CV_FMT_JSON, out);
    }
    *s = out->data ? out->data : "";
    *n = out->len;
}

static int tr_process(cv_transform *t, void *inst, cv_batch *in, cv_emit *out, cv_err *err)
{
    const jp_priv *pv = t->priv;
    jp_inst *st = inst;
    uint32_t ti = 0;
    while (ti < t->nin && t->in[ti] != in->table) ti++;
    if (ti == t->nin)
        return cv_err_set(err, CV_EINTERNAL, "JsonPath got a batch of unknown table %s", in->table->full_name);
    const jp_table *tb = &pv->tables[ti];
    if (in->nrows > st->keep_cap) {
        uint8_t *k = cv_realloc(st->keep, in->nrows);
        if (!k) return cv_err_set(err, CV_ENOMEM, "out of memory");
        st->keep = k;
        st->keep_cap = in->nrows;
    }
    for (uint32_t j = 0; j < st->n; j++) cv_col_reset(&st->vals[j]);
    uint32_t kept = 0;
    for (uint32_t r = 0; r < in->nrows; r++) {
        cv_arena_reset(&st->arena);
        memset(st->doc_state, 0, tb->ndoc);
        bool drop = false;
        for (uint32_t j = 0; j < st->n; j++) {
            const jp_col *c = &pv->cols[j];
            const cv_col *src = &in->cols[tb->src[j]];
            cv_col *dst = &st->vals[j];
            if (cv_col_is_null(src, r)) {
                cv_col_append_null(dst);
                continue;
            }
            uint32_t d = tb->doc[j];
            if (st->doc_state[d] == 0) {
                const char *s;
                size_t n;
                source_text(src, r, &st->text, &s, &n);
                if (st->text.oom) return cv_err_set(err, CV_ENOMEM, "out of memory");
                st->docs[d] = cv__jdom_parse(&st->arena, s, n, &st->doc_why[d]);
                st->doc_state[d] = st->docs[d] ? 1 : 2;
            }
            cv_err e;
            cv_err_clear(&e);
            const char *why = st->doc_state[d] == 2 ? st->doc_why[d] : NULL;
            const cv__jnode *v = NULL;
            if (!why) v = cv__jpath_eval(&st->arena, c->path, st->docs[d], &why);
            if (!why) {
                if (st->stage[j].owner) {
                    cv_col_reset(&st->stage[j]);
                    if (convert(&st->stage[j], v, &st->tmp, &e) == 0 && !st->stage[j].owner->err)
                        cv_col_append_range(dst, &st->stage[j], 0, 1);
                } else {
                    uint32_t before = dst->len;
                    if (convert(dst, v, &st->tmp, &e) == 0 && dst->len == before)
                        cv_err_set(&e, CV_ENOMEM, "out of memory");
                }
                if (e.code) why = e.msg;
            }
            if (!why) continue;
            if (strcmp(why, "out of memory") == 0) return cv_err_set(err, CV_ENOMEM, "out of memory");
            if (c->way == WAY_FAIL) {
                uint32_t n;
                const char *s = src->type->id == CV_T_STRING ? cv_col_str(src, r, &n) : (n = 0, "");
                cv_err_at(err, CV_EDATA, &c->path_pos, "JsonPath: %s, row %u: %s = %s: %s%s%.*s%s",
                          in->table->full_name, r + 1, c->cfg.dest_field, c->cfg.path, why, n ? " (in " : "",
                          (int)CV_MIN(n, 120), s, n ? ")" : "");
                return CV_EDATA;
            }
            cv_col_append_null(dst);
            if (c->way == WAY_SKIP_ROW) drop = true;
        }
        st->keep[r] = !drop;
        kept += !drop;
    }
    for (uint32_t j = 0; j < st->n; j++)
        if (st->vals[j].owner->err) return cv_err_set(err, CV_ENOMEM, "out of memory");
    if (kept == 0) return 0;
    cv_batch *b = cv_emit_batch(out, t->out[ti]);
    if (!b) return cv_err_set(err, CV_ENOMEM, "out of memory");
    /* copy each run of kept rows in bulk */
    for (uint32_t r = 0; r < in->nrows;) {
        if (!st->keep[r]) {
            r++;
            continue;
        }
        uint32_t e = r;
        while (e < in->nrows && st->keep[e]) e++;
        cv_colplan_append(&tb->plan, b, in, r, st->add, r, e - r);
        r = e;
    }
    return 0;
}

static const cv_plugin jsonpath = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_TRANSFORM,
    .name = "JsonPath",
    .summary = "extract values from JSON fields with JSONPath",
    .options = options,
    .settings_size = sizeof(jp_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_MULTI_TABLE | CV_CAP_CDC,
    .example = "    row_error_handle_way = SKIP\n"
               "    columns = [ { src_field = c_string, path = \"$.a\", dest_field = a, dest_type = int } ]\n",
    .tr_open = tr_open,
    .tr_inst_open = tr_inst_open,
    .tr_process = tr_process,
    .tr_inst_close = tr_inst_close,
};

const cv_plugin *const cv_plugins_transforms_jsonpath[] = {&jsonpath, NULL};
