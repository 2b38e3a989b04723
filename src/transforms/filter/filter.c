/* filter.c — Filter: column projection (not a row filter). Either keep the
 * fields of include_fields, in that order, or drop those of exclude_fields
 * and keep the rest in table order. Columns are copied in bulk; the table
 * keeps its path and the keys whose columns all survive. */
#include "plugin/plugin.h"

#include <stddef.h>
#include <string.h>

typedef struct {
    cv_strlist include, exclude;
} flt_cfg;

static const cv_option options[] = {
    {"include_fields", CV_OPT_STRLIST, NULL, "fields to keep, in output order (SeaTunnel before 2.3.6: `fields`)",
     offsetof(flt_cfg, include), .aliases = "fields"},
    {"exclude_fields", CV_OPT_STRLIST, NULL, "fields to drop; the others are kept in table order",
     offsetof(flt_cfg, exclude)},
    {NULL},
};

typedef struct {
    uint32_t n;
    uint32_t *src; /* per output column: input column index */
} flt_map;

static int tr_open(cv_transform *t, cv_err *err)
{
    const flt_cfg *cfg = t->settings;
    cv_arena *a = t->ctx->arena;
    const cv_node *inc = cv_optvals_given(t->given, "include_fields");
    const cv_node *exc = cv_optvals_given(t->given, "exclude_fields");
    if (!inc == !exc) {
        cv_pos p = cv_node_pos(inc ? inc : t->config);
        return cv_err_at(err, CV_ECONFIG, &p, "Filter needs exactly one of include_fields (or fields) and %s",
                         "exclude_fields");
    }
    const cv_strlist *l = inc ? &cfg->include : &cfg->exclude;
    cv_pos lp = cv_node_pos(inc ? inc : exc);
    flt_map *maps = cv_arena_zalloc(a, t->nin * sizeof *maps);
    t->out = cv_arena_alloc(a, t->nin * sizeof *t->out);
    if (!maps || !t->out) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (uint32_t ti = 0; ti < t->nin; ti++) {
        const cv_table *in = t->in[ti];
        bool *listed = cv_arena_zalloc(a, in->ncols + 1);
        cv_column *cols = cv_arena_alloc(a, (in->ncols + 1) * sizeof *cols);
        flt_map *map = &maps[ti];
        map->src = cv_arena_alloc(a, (in->ncols + 1) * sizeof *map->src);
        if (!listed || !cols || !map->src) return cv_err_set(err, CV_ENOMEM, "out of memory");
        for (size_t i = 0; i < l->n; i++) {
            /* list elements keep no position of their own: point at the element when we can */
            const cv_node *ln = inc ? inc : exc;
            cv_pos ep = ln->kind == CV_NODE_ARRAY && i < ln->u.arr.n ? cv_node_pos(ln->u.arr.v[i]) : lp;
            int c = cv_table_col_at(in, l->v[i], &ep, inc ? "include_fields" : "exclude_fields", err);
            if (c < 0) return c;
            if (listed[c]) return cv_err_at(err, CV_ECONFIG, &ep, "field \"%s\" is listed twice", l->v[i]);
            listed[c] = true;
            if (inc) map->src[map->n++] = (uint32_t)c;
        }
        if (!inc)
            for (uint32_t c = 0; c < in->ncols; c++)
                if (!listed[c]) map->src[map->n++] = c;
        if (map->n == 0) return cv_err_at(err, CV_ECONFIG, &lp, "Filter would drop every field of %s", in->full_name);
        for (uint32_t i = 0; i < map->n; i++) cols[i] = in->cols[map->src[i]];
        cv_table *out;
        CV_TRY(cv_table_derive(a, in, cols, map->n, &out, err));
        t->out[ti] = out;
    }
    t->nout = t->nin;
    t->priv = maps;
    return 0;
}

static int tr_process(cv_transform *t, void *inst, cv_batch *in, cv_emit *out, cv_err *err)
{
    (void)inst;
    const flt_map *maps = t->priv;
    uint32_t ti = 0;
    while (ti < t->nin && t->in[ti] != in->table) ti++;
    if (ti == t->nin)
        return cv_err_set(err, CV_EINTERNAL, "Filter got a batch of unknown table %s", in->table->full_name);
    const flt_map *map = &maps[ti];
    cv_batch *b = cv_emit_batch(out, t->out[ti]);
    if (!b) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < map->n; i++) cv_col_append_range(&b->cols[i], &in->cols[map->src[i]], 0, in->nrows);
    for (uint32_t r = 0; r < in->nrows; r++) cv_batch_end_row(b, (cv_row_kind)in->kinds[r]);
    return 0;
}

static const cv_plugin filter = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_TRANSFORM,
    .name = "Filter",
    .summary = "keep or drop fields (column projection)",
    .options = options,
    .settings_size = sizeof(flt_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_MULTI_TABLE | CV_CAP_CDC,
    .example = "    include_fields = [\"id\", \"name\"]\n",
    .tr_open = tr_open,
    .tr_process = tr_process,
};

const cv_plugin *const cv_plugins_transforms_filter[] = {&filter, NULL};
