/* template.c — the transform a new one starts from. Copy this folder to
 * src/transforms/<name>/, rename the descriptor symbol to
 * cv_plugins_transforms_<name>, and fill in the option table and the three
 * callbacks. It is registered (hidden, as "Template") so that the generic
 * plugin checks exercise it.
 *
 * What it does: passes every batch on unchanged and counts rows per
 * thread — enough to show the lifecycle:
 *   tr_open      once, on the planning thread: validate settings, map input
 *                tables to output tables (here: unchanged)
 *   tr_inst_open once per producer thread: per-thread scratch state
 *   tr_process   per batch, on that thread: read `in`, emit into `out`
 *   tr_inst_close, tr_close: release what open allocated */
#include "plugin/plugin.h"

#include <stddef.h>

typedef struct {
    const char *note; /* an example option */
} tpl_cfg;

static const cv_option options[] = {
    {"note", CV_OPT_STRING, "", "free text, logged at open (an example option)", offsetof(tpl_cfg, note)},
    {NULL},
};

typedef struct {
    uint64_t rows;
} tpl_inst;

static int tr_open(cv_transform *t, cv_err *err)
{
    (void)err;
    const tpl_cfg *cfg = t->settings;
    if (cfg->note[0]) cv_info("%s: %s", t->label, cfg->note);
    t->out = t->in;
    t->nout = t->nin;
    return 0;
}

static int tr_inst_open(cv_transform *t, void **inst, cv_err *err)
{
    (void)t;
    *inst = cv_calloc(1, sizeof(tpl_inst));
    return *inst ? 0 : cv_err_set(err, CV_ENOMEM, "out of memory");
}

static int tr_process(cv_transform *t, void *inst, cv_batch *in, cv_emit *out, cv_err *err)
{
    (void)t;
    ((tpl_inst *)inst)->rows += in->nrows;
    return cv_emit_forward(out, in) < 0 ? cv_err_set(err, CV_ENOMEM, "out of memory") : 0;
}

static void tr_inst_close(cv_transform *t, void *inst)
{
    cv_debug("%s: %llu rows on this thread", t->label, (unsigned long long)((tpl_inst *)inst)->rows);
    cv_free(inst);
}

static const cv_plugin template_transform = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_TRANSFORM,
    .name = "Template",
    .summary = "pass-through transform that new transforms start from",
    .options = options,
    .settings_size = sizeof(tpl_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_MULTI_TABLE | CV_CAP_CDC | CV_CAP_HIDDEN,
    .example = "    note = \"hello\"\n",
    .tr_open = tr_open,
    .tr_inst_open = tr_inst_open,
    .tr_process = tr_process,
    .tr_inst_close = tr_inst_close,
};

const cv_plugin *const cv_plugins_transforms_template[] = {&template_transform, NULL};
