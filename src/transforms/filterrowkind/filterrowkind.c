/* filterrowkind.c — FilterRowKind: keep or drop rows by change kind
 * (include_kinds or exclude_kinds, e.g. ["INSERT"]). A batch whose rows
 * all survive is passed on untouched; otherwise the survivors are copied. */
#include "plugin/plugin.h"

#include <stddef.h>

typedef struct {
    cv_strlist include, exclude;
} frk_cfg;

static const cv_option options[] = {
    {"include_kinds", CV_OPT_STRLIST, NULL,
     "keep only rows of these kinds (INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE)", offsetof(frk_cfg, include)},
    {"exclude_kinds", CV_OPT_STRLIST, NULL, "drop rows of these kinds", offsetof(frk_cfg, exclude)},
    {NULL},
};

static int tr_open(cv_transform *t, cv_err *err)
{
    const frk_cfg *cfg = t->settings;
    const cv_node *inc = cv_optvals_given(t->given, "include_kinds");
    const cv_node *exc = cv_optvals_given(t->given, "exclude_kinds");
    cv_pos p = cv_node_pos(t->config);
    if (!inc == !exc)
        return cv_err_at(err, CV_ECONFIG, &p, "FilterRowKind needs exactly one of include_kinds and exclude_kinds%s",
                         "");
    const cv_strlist *l = inc ? &cfg->include : &cfg->exclude;
    bool *keep = cv_arena_alloc(t->ctx->arena, 4 * sizeof *keep);
    if (!keep) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (int k = 0; k < 4; k++) keep[k] = !inc;
    for (size_t i = 0; i < l->n; i++) {
        cv_row_kind k;
        if (cv_row_kind_parse(l->v[i], &k) < 0) {
            cv_pos vp = cv_node_pos(inc ? inc : exc);
            return cv_err_at(err, CV_ECONFIG, &vp,
                             "\"%s\" is not a row kind; use INSERT, UPDATE_BEFORE, UPDATE_AFTER or DELETE", l->v[i]);
        }
        keep[k] = inc != NULL;
    }
    t->priv = keep;
    t->out = t->in; /* rows are filtered, tables stay as they are */
    t->nout = t->nin;
    return 0;
}

static int tr_process(cv_transform *t, void *inst, cv_batch *in, cv_emit *out, cv_err *err)
{
    (void)inst;
    const bool *keep = t->priv;
    uint32_t kept = 0;
    for (uint32_t r = 0; r < in->nrows; r++) kept += keep[in->kinds[r] & 3];
    if (kept == in->nrows) return cv_emit_forward(out, in) < 0 ? cv_err_set(err, CV_ENOMEM, "out of memory") : 0;
    if (kept == 0) return 0;
    cv_batch *b = cv_emit_batch(out, in->table);
    if (!b) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (uint32_t r = 0; r < in->nrows; r++)
        if (keep[in->kinds[r] & 3]) cv_batch_copy_row(b, in, r);
    return 0;
}

static const cv_plugin filterrowkind = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_TRANSFORM,
    .name = "FilterRowKind",
    .summary = "keep or drop rows by change kind (+I, -U, +U, -D)",
    .options = options,
    .settings_size = sizeof(frk_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_MULTI_TABLE | CV_CAP_CDC,
    .example = "    include_kinds = [\"INSERT\"]\n",
    .tr_open = tr_open,
    .tr_process = tr_process,
};

const cv_plugin *const cv_plugins_transforms_filterrowkind[] = {&filterrowkind, NULL};
