/* split.c — Split: cut one field into N new string fields with a Java
 * regex separator, as String.split(separator, N) does: at most N parts,
 * the last one keeps the rest of the text, missing parts are NULL and a
 * NULL input gives N NULLs. Non-string scalars are split by their text.
 * The parts go into per-thread scratch columns, then every column of the
 * output batch is appended in bulk. */
#include "plugin/plugin.h"

#include <stddef.h>
#include <string.h>

typedef struct {
    const char *separator, *field;
    cv_strlist outputs;
} sp_cfg;

static const cv_option options[] = {
    {"separator", CV_OPT_STRING, NULL, "Java regular expression between the parts (\",\", \"\\\\|\", \"\\\\s+\")",
     offsetof(sp_cfg, separator), CV_OPT_REQUIRED},
    {"split_field", CV_OPT_STRING, NULL, "the field to split", offsetof(sp_cfg, field), CV_OPT_REQUIRED},
    {"output_fields", CV_OPT_STRLIST, NULL, "names of the new string fields, one per part", offsetof(sp_cfg, outputs),
     CV_OPT_REQUIRED},
    {NULL},
};

typedef struct {
    cv_regex *re;
    cv_colplan *plans; /* per input table */
    uint32_t *field;   /* per input table: the split column */
} sp_priv;

typedef struct {
    cv_rematch *m;
    uint32_t *start, *len;
    cv_col *parts;      /* one scratch column per output field */
    const cv_col **add; /* pointers to them */
    uint32_t n;
    cv_buf text;
} sp_inst;

static int tr_open(cv_transform *t, cv_err *err)
{
    const sp_cfg *cfg = t->settings;
    cv_arena *a = t->ctx->arena;
    uint32_t n = (uint32_t)cfg->outputs.n;
    const cv_node *on = cv_optvals_given(t->given, "output_fields");
    cv_pos op = cv_node_pos(on);
    if (n == 0) return cv_err_at(err, CV_ECONFIG, &op, "output_fields is empty%s", "");
    sp_priv *pv = cv_arena_zalloc(a, sizeof *pv);
    cv_column *add = cv_arena_zalloc(a, n * sizeof *add);
    t->out = cv_arena_alloc(a, t->nin * sizeof *t->out);
    if (!pv || !add || !t->out || !(pv->plans = cv_arena_zalloc(a, t->nin * sizeof *pv->plans)) ||
        !(pv->field = cv_arena_alloc(a, t->nin * sizeof *pv->field)))
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    t->priv = pv;
    for (uint32_t j = 0; j < n; j++) {
        add[j].name = cfg->outputs.v[j];
        add[j].type = cv_type_prim(CV_T_STRING);
        add[j].nullable = true;
        add[j].length = 200; /* what SeaTunnel declares */
    }
    cv_pos fp = cv_node_pos(cv_optvals_given(t->given, "split_field"));
    for (uint32_t ti = 0; ti < t->nin; ti++) {
        const cv_table *in = t->in[ti];
        int c = cv_table_col_at(in, cfg->field, &fp, "split_field", err);
        if (c < 0) return c;
        cv_type_id id = in->cols[c].type->id;
        if (id == CV_T_ARRAY || id == CV_T_MAP || id == CV_T_ROW || id == CV_T_BYTES) {
            char tb[64];
            return cv_err_at(err, CV_ECONFIG, &fp, "split_field: \"%s\" of %s is %s; Split needs a string", cfg->field,
                             in->full_name, cv_type_str(in->cols[c].type, tb, sizeof tb));
        }
        pv->field[ti] = (uint32_t)c;
        int rc = cv_colplan_build(a, in, add, n, &pv->plans[ti], err);
        if (rc < 0) {
            cv_err_locate(err, &op);
            return rc;
        }
        t->out[ti] = pv->plans[ti].out;
    }
    t->nout = t->nin;
    cv_pos sp = cv_node_pos(cv_optvals_given(t->given, "separator"));
    int rc = cv_regex_compile(cfg->separator, &pv->re, err);
    if (rc < 0) cv_err_locate(err, &sp);
    return rc;
}

static void tr_inst_close(cv_transform *t, void *inst)
{
    (void)t;
    sp_inst *st = inst;
    if (!st) return;
    cv_rematch_free(st->m);
    for (uint32_t j = 0; st->parts && j < st->n; j++)
        if (st->parts[j].owner) cv_col_destroy(&st->parts[j]);
    cv_free(st->parts);
    cv_free(st->add);
    cv_free(st->start);
    cv_free(st->len);
    cv_buf_free(&st->text);
    cv_free(st);
}

static int tr_inst_open(cv_transform *t, void **inst, cv_err *err)
{
    const sp_cfg *cfg = t->settings;
    const sp_priv *pv = t->priv;
    uint32_t n = (uint32_t)cfg->outputs.n;
    sp_inst *st = cv_calloc(1, sizeof *st);
    *inst = NULL;
    if (!st) return cv_err_set(err, CV_ENOMEM, "out of memory");
    cv_buf_init(&st->text);
    st->n = n;
    st->m = cv_rematch_new(pv->re);
    st->parts = cv_calloc(n, sizeof *st->parts);
    st->add = cv_calloc(n, sizeof *st->add);
    st->start = cv_calloc(n, sizeof *st->start);
    st->len = cv_calloc(n, sizeof *st->len);
    bool ok = st->m && st->parts && st->add && st->start && st->len;
    for (uint32_t j = 0; ok && j < n; j++) {
        ok = cv_col_init(&st->parts[j], cv_type_prim(CV_T_STRING)) == 0;
        st->add[j] = &st->parts[j];
    }
    if (!ok) {
        tr_inst_close(t, st);
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    }
    *inst = st;
    return 0;
}

static int tr_process(cv_transform *t, void *inst, cv_batch *in, cv_emit *out, cv_err *err)
{
    const sp_priv *pv = t->priv;
    sp_inst *st = inst;
    uint32_t ti = 0;
    while (ti < t->nin && t->in[ti] != in->table) ti++;
    if (ti == t->nin)
        return cv_err_set(err, CV_EINTERNAL, "Split got a batch of unknown table %s", in->table->full_name);
    const cv_col *src = &in->cols[pv->field[ti]];
    bool is_str = src->type->id == CV_T_STRING;
    for (uint32_t j = 0; j < st->n; j++) cv_col_reset(&st->parts[j]);
    for (uint32_t r = 0; r < in->nrows; r++) {
        uint32_t k = 0;
        const char *s = NULL;
        if (!cv_col_is_null(src, r)) {
            uint32_t sn;
            if (is_str) {
                s = cv_col_str(src, r, &sn);
            } else {
                cv_buf_reset(&st->text);
                cv_value_format(src, r, CV_FMT_JAVA, &st->text);
                if (st->text.oom) return cv_err_set(err, CV_ENOMEM, "out of memory");
                s = st->text.data ? st->text.data : "";
                sn = (uint32_t)st->text.len;
            }
            int rc = cv_regex_split(pv->re, st->m, s, sn, st->n, st->start, st->len);
            if (rc < 0) return cv_err_set(err, rc, "Split: matching the separator failed on row %u", r + 1);
            k = (uint32_t)rc;
        }
        for (uint32_t j = 0; j < st->n; j++)
            if (j < k)
                cv_col_append_str(&st->parts[j], s + st->start[j], st->len[j]);
            else
                cv_col_append_null(&st->parts[j]);
    }
    for (uint32_t j = 0; j < st->n; j++)
        if (st->parts[j].owner->err) return cv_err_set(err, CV_ENOMEM, "out of memory");
    cv_batch *b = cv_emit_batch(out, t->out[ti]);
    if (!b) return cv_err_set(err, CV_ENOMEM, "out of memory");
    cv_colplan_append(&pv->plans[ti], b, in, 0, st->add, 0, in->nrows);
    return 0;
}

static void tr_close(cv_transform *t)
{
    sp_priv *pv = t->priv;
    if (pv) cv_regex_free(pv->re);
}

static const cv_plugin split = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_TRANSFORM,
    .name = "Split",
    .summary = "split a field into several string fields by a regex separator",
    .options = options,
    .settings_size = sizeof(sp_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_MULTI_TABLE | CV_CAP_CDC,
    .example = "    separator = \" \"\n    split_field = \"name\"\n    output_fields = [first_name, second_name]\n",
    .tr_open = tr_open,
    .tr_inst_open = tr_inst_open,
    .tr_process = tr_process,
    .tr_inst_close = tr_inst_close,
    .tr_close = tr_close,
};

const cv_plugin *const cv_plugins_transforms_split[] = {&split, NULL};
