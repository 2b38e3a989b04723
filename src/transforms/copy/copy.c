/* copy.c — Copy: duplicate fields under new names (`fields { new = src }`,
 * or the older single `src_field` + `dest_field`). Copies are appended
 * with the source column's type and attributes; a new name that already
 * exists overwrites that column in place, as in SeaTunnel. Values are deep
 * copies (columns are appended in bulk, nested types included). */
#include "plugin/plugin.h"

#include <stddef.h>
#include <string.h>

typedef struct {
    const cv_node *fields;
    const char *src_field, *dest_field;
} cp_cfg;

static const cv_option options[] = {
    {"fields", CV_OPT_OBJECT, NULL, "new field = source field, in output order", offsetof(cp_cfg, fields)},
    {"src_field", CV_OPT_STRING, NULL, "the field to copy (with dest_field; older form of fields)",
     offsetof(cp_cfg, src_field), CV_OPT_DEPRECATED, .note = "fields { dest = src }"},
    {"dest_field", CV_OPT_STRING, NULL, "the name of the copy (with src_field)", offsetof(cp_cfg, dest_field),
     CV_OPT_DEPRECATED, .note = "fields { dest = src }"},
    {NULL},
};

typedef struct {
    cv_colplan plan;
    uint32_t *src; /* per copy: the input column */
} cp_map;

typedef struct {
    uint32_t n;
    const char **dest, **src;
    cv_pos *pos;
} cp_list;

static int collect(cv_transform *t, cp_list *l, cv_err *err)
{
    const cp_cfg *cfg = t->settings;
    cv_arena *a = t->ctx->arena;
    const cv_node *f = cfg->fields;
    const cv_node *sf = cv_optvals_given(t->given, "src_field");
    const cv_node *df = cv_optvals_given(t->given, "dest_field");
    if (!f && !sf && !df) {
        cv_pos p = cv_node_pos(t->config);
        return cv_err_at(err, CV_ECONFIG, &p, "Copy needs fields { new = source } (or src_field and %s)", "dest_field");
    }
    if (!f && (!sf || !df)) {
        cv_pos p = cv_node_pos(sf ? sf : df);
        return cv_err_at(err, CV_ECONFIG, &p, "src_field and dest_field go together; %s is missing",
                         sf ? "dest_field" : "src_field");
    }
    if (f && (sf || df)) {
        cv_pos p = cv_node_pos(sf ? sf : df);
        cv_warn("%s:%u:%u: Copy: %s is ignored because fields is set", p.file ? p.file : "", p.line, p.col,
                sf ? "src_field" : "dest_field");
    }
    l->n = f ? f->u.obj.n : 1;
    l->dest = cv_arena_alloc(a, (l->n ? l->n : 1) * sizeof *l->dest);
    l->src = cv_arena_alloc(a, (l->n ? l->n : 1) * sizeof *l->src);
    l->pos = cv_arena_alloc(a, (l->n ? l->n : 1) * sizeof *l->pos);
    if (!l->dest || !l->src || !l->pos) return cv_err_set(err, CV_ENOMEM, "out of memory");
    if (!f) {
        l->dest[0] = cfg->dest_field;
        l->src[0] = cfg->src_field;
        l->pos[0] = cv_node_pos(sf);
        return 0;
    }
    if (l->n == 0) {
        cv_pos p = cv_node_pos(f);
        return cv_err_at(err, CV_ECONFIG, &p, "fields is empty%s", "");
    }
    for (uint32_t i = 0; i < l->n; i++) {
        const cv_member *m = &f->u.obj.m[i];
        l->dest[i] = m->key;
        l->src[i] = cv_node_str(m->val);
        l->pos[i] = cv_node_pos(m->val);
        if (!l->src[i] || m->val->kind != CV_NODE_STRING)
            return cv_err_at(err, CV_ECONFIG, &l->pos[i], "fields: the source of %s must be a field name", m->key);
    }
    return 0;
}

static int tr_open(cv_transform *t, cv_err *err)
{
    cv_arena *a = t->ctx->arena;
    cp_list l = {0};
    CV_TRY(collect(t, &l, err));
    cp_map *maps = cv_arena_zalloc(a, t->nin * sizeof *maps);
    cv_column *add = cv_arena_alloc(a, l.n * sizeof *add);
    t->out = cv_arena_alloc(a, t->nin * sizeof *t->out);
    if (!maps || !add || !t->out) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (uint32_t ti = 0; ti < t->nin; ti++) {
        const cv_table *in = t->in[ti];
        cp_map *m = &maps[ti];
        if (!(m->src = cv_arena_alloc(a, l.n * sizeof *m->src))) return cv_err_set(err, CV_ENOMEM, "out of memory");
        for (uint32_t i = 0; i < l.n; i++) {
            int c = cv_table_col_at(in, l.src[i], &l.pos[i], "Copy", err);
            if (c < 0) return c;
            m->src[i] = (uint32_t)c;
            add[i] = in->cols[c];
            add[i].name = l.dest[i];
        }
        int rc = cv_colplan_build(a, in, add, l.n, &m->plan, err);
        if (rc < 0) {
            cv_err_locate(err, &l.pos[0]);
            return rc;
        }
        t->out[ti] = m->plan.out;
    }
    t->nout = t->nin;
    t->priv = maps;
    return 0;
}

static int tr_process(cv_transform *t, void *inst, cv_batch *in, cv_emit *out, cv_err *err)
{
    (void)inst;
    const cp_map *maps = t->priv;
    uint32_t ti = 0;
    while (ti < t->nin && t->in[ti] != in->table) ti++;
    if (ti == t->nin)
        return cv_err_set(err, CV_EINTERNAL, "Copy got a batch of unknown table %s", in->table->full_name);
    const cp_map *m = &maps[ti];
    const cv_col *srcs[64];
    const cv_col **add = m->plan.nadd <= 64 ? srcs : cv_malloc(m->plan.nadd * sizeof *add);
    if (!add) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (uint32_t j = 0; j < m->plan.nadd; j++) add[j] = &in->cols[m->src[j]];
    cv_batch *b = cv_emit_batch(out, t->out[ti]);
    if (b) cv_colplan_append(&m->plan, b, in, 0, add, 0, in->nrows);
    if (add != srcs) cv_free(add);
    return b ? 0 : cv_err_set(err, CV_ENOMEM, "out of memory");
}

static const cv_plugin copy = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_TRANSFORM,
    .name = "Copy",
    .summary = "copy fields to new fields",
    .options = options,
    .settings_size = sizeof(cp_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_MULTI_TABLE | CV_CAP_CDC,
    .example = "    fields = { id_copy = id, name2 = name }\n",
    .tr_open = tr_open,
    .tr_process = tr_process,
};

const cv_plugin *const cv_plugins_transforms_copy[] = {&copy, NULL};
