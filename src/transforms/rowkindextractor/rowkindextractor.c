/* rowkindextractor.c — RowKindExtractor: append the row's change kind as a
 * string field (SHORT: +I -U +U -D; FULL: INSERT UPDATE_BEFORE
 * UPDATE_AFTER DELETE) and turn every row into an INSERT, so that a CDC
 * stream can be written as plain rows. Input columns are copied in bulk;
 * the kind column is filled per row from four constant strings. */
#include "plugin/plugin.h"

#include <stddef.h>
#include <string.h>

enum { RK_SHORT, RK_FULL };

typedef struct {
    const char *field;
    int type;
} rk_cfg;

static const cv_option options[] = {
    {"custom_field_name", CV_OPT_STRING, "row_kind", "name of the new field (must not exist yet)",
     offsetof(rk_cfg, field)},
    {"transform_type", CV_OPT_ENUM, "SHORT", "SHORT (+I, -U, +U, -D) or FULL (INSERT, UPDATE_BEFORE, ...)",
     offsetof(rk_cfg, type), 0, CV_ENUMS("SHORT", "FULL")},
    {NULL},
};

static int tr_open(cv_transform *t, cv_err *err)
{
    const rk_cfg *cfg = t->settings;
    cv_arena *a = t->ctx->arena;
    const cv_node *fn = cv_optvals_given(t->given, "custom_field_name");
    cv_pos p = cv_node_pos(fn ? fn : t->config);
    if (!cfg->field[0]) return cv_err_at(err, CV_ECONFIG, &p, "custom_field_name is empty%s", "");
    t->out = cv_arena_alloc(a, t->nin * sizeof *t->out);
    if (!t->out) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (uint32_t ti = 0; ti < t->nin; ti++) {
        const cv_table *in = t->in[ti];
        if (cv_table_find_col(in, cfg->field) >= 0)
            return cv_err_at(err, CV_ECONFIG, &p,
                             "%s already has a field \"%s\"; choose another custom_field_name (default row_kind)",
                             in->full_name, cfg->field);
        cv_column *cols = cv_arena_alloc(a, (in->ncols + 1) * sizeof *cols);
        if (!cols) return cv_err_set(err, CV_ENOMEM, "out of memory");
        memcpy(cols, in->cols, in->ncols * sizeof *cols);
        /* the column as SeaTunnel declares it */
        cols[in->ncols] = (cv_column){.name = cfg->field,
                                      .type = cv_type_prim(CV_T_STRING),
                                      .nullable = false,
                                      .default_value = "+I",
                                      .comment = "Output column of RowKind",
                                      .length = 13};
        cv_table *out;
        CV_TRY(cv_table_derive(a, in, cols, in->ncols + 1, &out, err));
        t->out[ti] = out;
    }
    t->nout = t->nin;
    return 0;
}

static int tr_process(cv_transform *t, void *inst, cv_batch *in, cv_emit *out, cv_err *err)
{
    (void)inst;
    const rk_cfg *cfg = t->settings;
    uint32_t ti = 0;
    while (ti < t->nin && t->in[ti] != in->table) ti++;
    if (ti == t->nin)
        return cv_err_set(err, CV_EINTERNAL, "RowKindExtractor got a batch of unknown table %s", in->table->full_name);
    cv_batch *b = cv_emit_batch(out, t->out[ti]);
    if (!b) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < in->ncols; i++) cv_col_append_range(&b->cols[i], &in->cols[i], 0, in->nrows);
    cv_col *k = &b->cols[in->ncols];
    for (uint32_t r = 0; r < in->nrows; r++) {
        const char *s = cfg->type == RK_FULL ? cv_row_kind_name((cv_row_kind)in->kinds[r])
                                             : cv_row_kind_short((cv_row_kind)in->kinds[r]);
        cv_col_append_str(k, s, strlen(s));
    }
    cv_batch_end_rows(b, in->nrows, CV_ROW_INSERT);
    return 0;
}

static const cv_plugin rowkindextractor = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_TRANSFORM,
    .name = "RowKindExtractor",
    .summary = "append the row kind as a field and make every row an INSERT",
    .options = options,
    .settings_size = sizeof(rk_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_MULTI_TABLE | CV_CAP_CDC,
    .example = "    custom_field_name = \"op\"\n    transform_type = FULL\n",
    .tr_open = tr_open,
    .tr_process = tr_process,
};

const cv_plugin *const cv_plugins_transforms_rowkindextractor[] = {&rowkindextractor, NULL};
