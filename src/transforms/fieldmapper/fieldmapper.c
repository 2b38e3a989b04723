/* fieldmapper.c — FieldMapper: keep only the listed fields, in the listed
 * order, renamed (`field_mapper { src = dst }`). Columns are copied in
 * bulk; the table keeps its path, and its primary key when every key
 * column survives under the same name. */
#include "plugin/plugin.h"

#include <stddef.h>
#include <string.h>

typedef struct {
    const cv_node *mapper;
} fm_cfg;

static const cv_option options[] = {
    {"field_mapper", CV_OPT_OBJECT, NULL, "source field = output field, in output order", offsetof(fm_cfg, mapper),
     CV_OPT_REQUIRED},
    {NULL},
};

typedef struct {
    uint32_t n;
    uint32_t *src; /* per output column: input column index */
} fm_map;

typedef struct {
    fm_map *maps; /* per input table */
} fm_priv;

static int tr_open(cv_transform *t, cv_err *err)
{
    const fm_cfg *cfg = t->settings;
    cv_arena *a = t->ctx->arena;
    const cv_node *m = cfg->mapper;
    if (m->u.obj.n == 0) {
        cv_pos p = cv_node_pos(m);
        return cv_err_at(err, CV_ECONFIG, &p, "field_mapper is empty%s", "");
    }
    fm_priv *pv = cv_arena_zalloc(a, sizeof *pv);
    t->out = cv_arena_alloc(a, t->nin * sizeof *t->out);
    if (!pv || !t->out || !(pv->maps = cv_arena_zalloc(a, t->nin * sizeof *pv->maps)))
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (uint32_t ti = 0; ti < t->nin; ti++) {
        const cv_table *in = t->in[ti];
        uint32_t n = m->u.obj.n;
        cv_column *cols = cv_arena_zalloc(a, n * sizeof *cols);
        fm_map *map = &pv->maps[ti];
        map->n = n;
        map->src = cv_arena_alloc(a, n * sizeof *map->src);
        if (!cols || !map->src) return cv_err_set(err, CV_ENOMEM, "out of memory");
        for (uint32_t i = 0; i < n; i++) {
            const cv_member *mem = &m->u.obj.m[i];
            cv_pos p = cv_member_pos(m, mem);
            const char *dst = cv_node_str(mem->val);
            if (!dst) {
                cv_pos vp = cv_node_pos(mem->val);
                return cv_err_at(err, CV_ECONFIG, &vp, "field_mapper: the new name of %s must be a string", mem->key);
            }
            int c = cv_table_find_col(in, mem->key);
            if (c < 0) {
                const char *names[256];
                uint32_t k;
                for (k = 0; k < in->ncols && k < 256; k++) names[k] = in->cols[k].name;
                const char *dym = cv_did_you_mean(mem->key, names, k);
                return cv_err_at(err, CV_ECONFIG, &p, "field_mapper: %s has no field \"%s\"%s%s%s", in->full_name,
                                 mem->key, dym ? " (did you mean \"" : "", dym ? dym : "", dym ? "\"?)" : "");
            }
            map->src[i] = (uint32_t)c;
            cols[i] = in->cols[c];
            cols[i].name = dst;
            for (uint32_t k = 0; k < i; k++)
                if (strcmp(cols[k].name, dst) == 0)
                    return cv_err_at(err, CV_ECONFIG, &p, "field_mapper: two fields are mapped to \"%s\"", dst);
        }
        cv_table *out;
        CV_TRY(cv_table_derive(a, in, cols, n, &out, err));
        t->out[ti] = out;
    }
    t->nout = t->nin;
    t->priv = pv;
    return 0;
}

static int tr_process(cv_transform *t, void *inst, cv_batch *in, cv_emit *out, cv_err *err)
{
    (void)inst;
    fm_priv *pv = t->priv;
    uint32_t ti = 0;
    while (ti < t->nin && t->in[ti] != in->table) ti++;
    if (ti == t->nin)
        return cv_err_set(err, CV_EINTERNAL, "FieldMapper got a batch of unknown table %s", in->table->full_name);
    const fm_map *map = &pv->maps[ti];
    /* the output gets a batch of its own: copy each kept column in bulk */
    cv_batch *b = cv_emit_batch(out, t->out[ti]);
    if (!b) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < map->n; i++) cv_col_append_range(&b->cols[i], &in->cols[map->src[i]], 0, in->nrows);
    for (uint32_t r = 0; r < in->nrows; r++) cv_batch_end_row(b, (cv_row_kind)in->kinds[r]);
    return 0;
}

static const cv_plugin fieldmapper = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_TRANSFORM,
    .name = "FieldMapper",
    .summary = "keep, reorder and rename fields",
    .options = options,
    .settings_size = sizeof(fm_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_MULTI_TABLE | CV_CAP_CDC,
    .example = "    field_mapper = { id = id, name = new_name }\n",
    .tr_open = tr_open,
    .tr_process = tr_process,
};

const cv_plugin *const cv_plugins_transforms_fieldmapper[] = {&fieldmapper, NULL};
