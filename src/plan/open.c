/* open.c — instantiating the plugins of a wired plan in topological order:
 * sources announce their catalog tables, transforms map input tables to
 * output tables, sinks learn every table that can reach them. Merges are
 * checked here, at plan time, so a schema mismatch never starts a job. */
#include "plan_int.h"

#include <string.h>
#include <unistd.h>

static int collect_inputs(cv_plan *p, cv_pnode *n, const cv_table ***out, uint32_t *nout, cv_err *err)
{
    uint32_t total = 0;
    for (uint32_t i = 0; i < n->nups; i++) total += n->ups[i]->ntables;
    const cv_table **v = cv_arena_alloc(&p->arena, (total ? total : 1) * sizeof *v);
    if (!v) return cv_err_set(err, CV_ENOMEM, "out of memory");
    uint32_t k = 0;
    for (uint32_t i = 0; i < n->nups; i++)
        for (uint32_t j = 0; j < n->ups[i]->ntables; j++) {
            const cv_table *t = n->ups[i]->tables[j];
            bool dup = false;
            for (uint32_t q = 0; q < k; q++) dup |= v[q] == t;
            if (!dup) v[k++] = t;
        }
    /* a merge of single-table streams appends rows: the schemas must agree */
    if (n->nups > 1) {
        bool all_single = true;
        for (uint32_t i = 0; i < n->nups; i++) all_single &= n->ups[i]->ntables == 1;
        for (uint32_t i = 1; all_single && i < n->nups; i++) {
            char why[512];
            const cv_table *a = n->ups[0]->tables[0], *b = n->ups[i]->tables[0];
            if (!cv_table_compatible(b, a, why, sizeof why))
                return cv_err_at(err, CV_EPLAN, &n->pos, "merges the streams of %s and %s, whose schemas differ: %s",
                                 n->ups[0]->label, n->ups[i]->label, why);
        }
    }
    *out = v;
    *nout = k;
    return 0;
}

static int open_node(cv_plan *p, cv_pnode *n, cv_err *err)
{
    const cv_plugin *pl = n->plugin;
    int rc = 0;
    switch (n->kind) {
    case CV_PLUGIN_SOURCE: {
        cv_source *s = &n->u.src;
        n->parallelism = (int)(n->common.parallelism ? n->common.parallelism : p->env.parallelism);
        *s = (cv_source){.plugin = pl,
                         .label = n->label,
                         .settings = n->settings,
                         .given = &n->vals,
                         .config = n->cfg,
                         .ctx = &p->ctx,
                         .parallelism = n->parallelism};
        rc = pl->src_open ? pl->src_open(s, err) : 0;
        if (rc == 0 && s->ntables == 0) rc = cv_err_set(err, CV_EINTERNAL, "%s produced no table", n->label);
        if (rc == 0 && s->ntables > 1 && (pl->caps & CV_CAP_SPLITS_FIXED) && !n->common.parallelism &&
            !p->env.parallelism_set) {
            /* several tables and no parallelism asked for: read (and,
             * downstream, write) tables at once rather than one by one */
            long cpus = sysconf(_SC_NPROCESSORS_ONLN);
            int64_t cap = CV_MIN(CV_MAX(cpus, 2L), 8L);
            n->parallelism = s->parallelism = (int)CV_MIN((int64_t)s->ntables, cap);
        }
        n->tables = s->tables;
        n->ntables = s->ntables;
        break;
    }
    case CV_PLUGIN_TRANSFORM: {
        cv_transform *t = &n->u.tr;
        n->parallelism = n->ups[0]->parallelism;
        *t = (cv_transform){.plugin = pl,
                            .label = n->label,
                            .settings = n->settings,
                            .given = &n->vals,
                            .config = n->cfg,
                            .ctx = &p->ctx};
        rc = collect_inputs(p, n, &t->in, &t->nin, err);
        if (rc == 0 && pl->tr_open) rc = pl->tr_open(t, err);
        if (rc == 0) {
            /* drop duplicates: two inputs may map to one output table */
            const cv_table **v = cv_arena_alloc(&p->arena, (t->nout ? t->nout : 1) * sizeof *v);
            uint32_t k = 0;
            if (!v) rc = cv_err_set(err, CV_ENOMEM, "out of memory");
            for (uint32_t i = 0; rc == 0 && i < t->nout; i++) {
                bool dup = !t->out[i];
                for (uint32_t q = 0; q < k && !dup; q++) dup = v[q] == t->out[i];
                if (!dup) v[k++] = t->out[i];
            }
            n->tables = v;
            n->ntables = k;
        }
        break;
    }
    case CV_PLUGIN_SINK: {
        cv_sink *s = &n->u.sink;
        n->parallelism = (int)(n->common.parallelism ? n->common.parallelism : n->ups[0]->parallelism);
        *s = (cv_sink){.plugin = pl,
                       .label = n->label,
                       .settings = n->settings,
                       .given = &n->vals,
                       .config = n->cfg,
                       .ctx = &p->ctx,
                       .parallelism = n->parallelism,
                       .max_retries = CV_SINK_MAX_RETRIES};
        rc = collect_inputs(p, n, &s->tables, &s->ntables, err);
        n->tables = s->tables;
        n->ntables = s->ntables;
        if (rc == 0 && pl->sink_open) rc = pl->sink_open(s, err);
        break;
    }
    }
    /* close runs even when open failed half way: plugins release whatever
     * they had set up (the contract: close always runs) */
    n->opened = true;
    if (rc < 0) {
        cv_err_where(err, "%s", n->label);
        /* errors without a position point at the plugin block */
        cv_err_locate(err, &n->pos);
        return rc;
    }
    return 0;
}

int cv__plan_open(cv_plan *p, cv_err *err)
{
    for (uint32_t i = 0; i < p->nnodes; i++) CV_TRY(open_node(p, p->order[i], err));
    return 0;
}

static void close_node(cv_pnode *n)
{
    if (!n->opened) return;
    n->opened = false;
    const cv_plugin *pl = n->plugin;
    if (n->kind == CV_PLUGIN_SOURCE && pl->src_close) pl->src_close(&n->u.src);
    if (n->kind == CV_PLUGIN_TRANSFORM && pl->tr_close) pl->tr_close(&n->u.tr);
    if (n->kind == CV_PLUGIN_SINK && pl->sink_close) pl->sink_close(&n->u.sink);
}

int cv_plan_build(cv_plan *p, const cv_doc *doc, const cv_plan_opts *o, cv_err *err)
{
    memset(p, 0, sizeof *p);
    cv_arena_init(&p->arena, 16384);
    p->doc = doc;
    if (!doc->root || doc->root->kind != CV_NODE_OBJECT) return cv_err_set(err, CV_ECONFIG, "the job file is empty");
    CV_TRY(cv__plan_collect(p, err));
    if (o && o->job_name) p->env.job_name = o->job_name;
    /* a numeric job id like SeaTunnel's: milliseconds and some randomness */
    uint64_t r = (uint64_t)cv_mono_ns() ^ ((uint64_t)(uintptr_t)p << 7);
    const char *job_id =
        cv_arena_printf(&p->arena, "%llu", (unsigned long long)((uint64_t)(cv_wall_us() / 1000) << 16 | (r & 0xffff)));
    if (!job_id) return cv_err_set(err, CV_ENOMEM, "out of memory");
    p->ctx = (cv_ctx){.mode = (cv_job_mode)p->env.mode,
                      .job_name = p->env.job_name,
                      .job_id = job_id,
                      .check_only = o && o->check_only,
                      .arena = &p->arena,
                      .props = o ? o->props : NULL,
                      .cancelled = &p->cancelled};
    CV_TRY(cv__plan_wire(p, err));
    return cv__plan_open(p, err);
}

void cv_plan_close(cv_plan *p)
{
    if (p->order)
        for (uint32_t i = p->nnodes; i-- > 0;)
            if (p->order[i]) close_node(p->order[i]);
    for (uint32_t i = 0; i < p->nnodes; i++) cv_optvals_free(&p->nodes[i]->vals);
    cv_arena_free(&p->arena);
    memset(p, 0, sizeof *p);
}
