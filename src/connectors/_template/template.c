/* template.c — the source and sink a new connector starts from. Copy this
 * folder to src/connectors/<name>/, rename the export to
 * cv_plugins_connectors_<name>, and replace the bodies. Both plugins are
 * registered hidden ("TemplateSource", "TemplateSink") so the generic
 * plugin checks exercise the whole lifecycle.
 *
 * TemplateSource emits `row.count` rows (id bigint) per split across
 * `split.count` splits that any reader may take; in STREAMING mode it
 * keeps emitting until the job stops. TemplateSink counts rows per writer,
 * reports the count as its commit info and checks the total at commit. */
#include "plugin/plugin.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- source ------------------------------------------------------------------ */

typedef struct {
    int64_t rows, splits;
} src_cfg;

static const cv_option src_options[] = {
    {"row.count", CV_OPT_INT, "10", "rows per split", offsetof(src_cfg, rows), 0, NULL, NULL, 0, INT64_MAX},
    {"split.count", CV_OPT_INT, "1", "number of splits", offsetof(src_cfg, splits), 0, NULL, NULL, 1, 100000},
    {NULL},
};

static int src_open(cv_source *s, cv_err *err)
{
    cv_arena *a = s->ctx->arena;
    /* the catalog table this source produces */
    cv_table *t = cv_arena_zalloc(a, sizeof *t);
    cv_column *c = cv_arena_zalloc(a, sizeof *c);
    const cv_table **list = cv_arena_alloc(a, sizeof *list);
    if (!t || !c || !list) return cv_err_set(err, CV_ENOMEM, "out of memory");
    c->name = "id";
    c->type = cv_type_prim(CV_T_I64);
    t->cols = c;
    t->ncols = 1;
    CV_TRY(cv_table_set_path(a, t, "template", false, err));
    CV_TRY(cv_table_finish(a, t, err));
    list[0] = t;
    s->tables = list;
    s->ntables = 1;
    return 0;
}

static int src_splits(cv_source *s, cv_split_list *out, cv_err *err)
{
    const src_cfg *cfg = s->settings;
    for (int64_t i = 0; i < cfg->splits; i++) {
        int64_t *start = cv_arena_alloc(s->ctx->arena, sizeof *start);
        if (!start) return cv_err_set(err, CV_ENOMEM, "out of memory");
        *start = i * cfg->rows;
        char id[32];
        snprintf(id, sizeof id, "split-%lld", (long long)i);
        if (cv_splits_add(out, id, -1, start, sizeof *start) < 0) return cv_err_set(err, CV_ENOMEM, "out of memory");
    }
    return 0;
}

typedef struct {
    int64_t next, end;
} tpl_reader;

static int reader_open(cv_reader *r, cv_err *err)
{
    r->priv = cv_calloc(1, sizeof(tpl_reader));
    return r->priv ? 0 : cv_err_set(err, CV_ENOMEM, "out of memory");
}

static int reader_start(cv_reader *r, const cv_split *sp, cv_err *err)
{
    (void)err;
    tpl_reader *tr = r->priv;
    const src_cfg *cfg = r->src->settings;
    tr->next = *(const int64_t *)sp->data;
    tr->end = r->src->ctx->mode == CV_MODE_STREAMING ? INT64_MAX : tr->next + cfg->rows;
    return 0;
}

static int reader_next(cv_reader *r, cv_emit *out, cv_err *err)
{
    tpl_reader *tr = r->priv;
    cv_batch *b = cv_emit_batch(out, r->src->tables[0]);
    if (!b) return cv_err_set(err, CV_ENOMEM, "out of memory");
    while (tr->next < tr->end && !cv_batch_full(b)) {
        cv_col_append_i64(&b->cols[0], tr->next++);
        cv_batch_end_row(b, CV_ROW_INSERT);
    }
    if (r->src->ctx->mode == CV_MODE_STREAMING) cv_sleep_ms(1); /* a trickle, not a flood */
    return tr->next < tr->end ? CV_MORE : CV_DONE;
}

static void reader_close(cv_reader *r)
{
    cv_free(r->priv);
    r->priv = NULL;
}

/* ---- sink ---------------------------------------------------------------------- */

typedef struct {
    int64_t expect; /* -1: any */
} sink_cfg;

static const cv_option sink_options[] = {
    {"expect.rows", CV_OPT_INT, "-1", "fail at commit unless exactly this many rows arrived (-1: any)",
     offsetof(sink_cfg, expect)},
    {NULL},
};

typedef struct {
    uint64_t rows;
} tpl_writer;

static int writer_open(cv_writer *w, cv_err *err)
{
    w->priv = cv_calloc(1, sizeof(tpl_writer));
    return w->priv ? 0 : cv_err_set(err, CV_ENOMEM, "out of memory");
}

static int writer_write(cv_writer *w, cv_batch *b, cv_err *err)
{
    (void)err;
    ((tpl_writer *)w->priv)->rows += b->nrows;
    return 0;
}

static int writer_prepare(cv_writer *w, int64_t ckpt, cv_buf *info, cv_err *err)
{
    (void)ckpt;
    (void)err;
    /* commit infos are opaque bytes the engine stores and hands back */
    cv_buf_printf(info, "%llu", (unsigned long long)((tpl_writer *)w->priv)->rows);
    return 0;
}

static void writer_close(cv_writer *w)
{
    cv_free(w->priv);
    w->priv = NULL;
}

static int sink_commit(cv_sink *s, const cv_commit_info *infos, size_t n, cv_err *err)
{
    const sink_cfg *cfg = s->settings;
    unsigned long long total = 0;
    for (size_t i = 0; i < n; i++) total += strtoull(infos[i].data ? infos[i].data : "0", NULL, 10);
    if (cfg->expect >= 0 && total != (unsigned long long)cfg->expect)
        return cv_err_set(err, CV_EASSERT, "expected %lld rows, got %llu", (long long)cfg->expect, total);
    cv_debug("%s committed %llu rows from %zu writers", s->label, total, n);
    return 0;
}

static const cv_plugin template_source = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_SOURCE,
    .name = "TemplateSource",
    .summary = "minimal source that new connectors start from",
    .options = src_options,
    .settings_size = sizeof(src_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_PARALLEL | CV_CAP_HIDDEN,
    .example = "    row.count = 100\n",
    .src_open = src_open,
    .src_splits = src_splits,
    .reader_open = reader_open,
    .reader_start = reader_start,
    .reader_next = reader_next,
    .reader_close = reader_close,
};

static const cv_plugin template_sink = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_SINK,
    .name = "TemplateSink",
    .summary = "minimal sink that new connectors start from",
    .options = sink_options,
    .settings_size = sizeof(sink_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_PARALLEL | CV_CAP_MULTI_TABLE | CV_CAP_HIDDEN,
    .example = "    expect.rows = -1\n",
    .writer_open = writer_open,
    .writer_write = writer_write,
    .writer_prepare = writer_prepare,
    .writer_close = writer_close,
    .sink_commit = sink_commit,
};

const cv_plugin *const cv_plugins_connectors_template[] = {&template_source, &template_sink, NULL};
