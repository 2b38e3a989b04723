/* reader.c — a source reader thread. It takes splits (its own first, then
 * shared ones), pulls batches from the plugin, runs them through the
 * chained transforms in this same thread, and pushes the results into the
 * inboxes of the sinks it reaches. When its splits are done it sends the
 * final barrier and end-of-stream down every link. */
#include "engine_int.h"

#include <string.h>

static int route(cv_reader_rt *rt, cv_pnode *from, cv_batch *b, cv_err *err);

static int to_sink(cv_reader_rt *rt, cv_pnode *sink, cv_batch *b, cv_err *err)
{
    cv_link *l = &rt->links[sink->id];
    cv_batch_ref(b);
    cv_msg m = {.kind = CV_MSG_DATA, .batch = b};
    int rc = cv__inbox_push(&l->writer->inbox, l->ch, m);
    if (rc < 0) {
        cv_batch_free(b);
        if (rc == CV_EINTERNAL) return cv_err_set(err, rc, "the inbox of %s overflowed", sink->label);
    }
    return rc;
}

static int to_transform(cv_reader_rt *rt, cv_pnode *t, cv_batch *b, cv_err *err)
{
    cv_emit *e = &rt->emits[t->id];
    int rc = t->plugin->tr_process(&t->u.tr, rt->inst[t->id], b, e, err);
    if (rc == 0) cv__emit_flush(e);
    if (rc == 0 && e->err) rc = cv_err_set(err, e->err, "out of memory in %s", t->label);
    if (rc < 0) {
        cv_err_where(err, "%s", t->label);
        return rc;
    }
    /* take the ready list first: routing may re-enter this emitter only
     * through a cycle, which the plan rejects, but be safe anyway */
    size_t n = e->ready.n;
    cv_batch **v = e->ready.v;
    e->ready.v = NULL;
    e->ready.n = e->ready.cap = 0;
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            rc = cv_batch_check(v[i], err);
            if (rc < 0) cv_err_where(err, "%s", t->label);
        }
        if (rc == 0) rc = route(rt, t, v[i], err);
        cv_batch_free(v[i]);
    }
    cv_free(v);
    return rc;
}

static int route(cv_reader_rt *rt, cv_pnode *from, cv_batch *b, cv_err *err)
{
    if (b->nrows == 0) return 0;
    for (uint32_t i = 0; i < from->ndowns; i++) {
        cv_pnode *d = from->downs[i];
        int rc = d->kind == CV_PLUGIN_SINK ? to_sink(rt, d, b, err) : to_transform(rt, d, b, err);
        if (rc < 0) return rc;
    }
    return 0;
}

static void throttle(cv_reader_rt *rt, int64_t start_ns)
{
    const cv_env *env = &rt->job->plan->env;
    double wait_s = 0;
    if (env->read_limit_rows > 0) wait_s = (double)atomic_load(&rt->rows) / (double)env->read_limit_rows;
    if (env->read_limit_bytes > 0)
        wait_s = CV_MAX(wait_s, (double)atomic_load(&rt->bytes) / (double)env->read_limit_bytes);
    int64_t due = start_ns + (int64_t)(wait_s * 1e9);
    int64_t now = cv_mono_ns();
    while (due > now && !cv_ctx_cancelled(&rt->job->plan->ctx)) {
        cv_sleep_ms(CV_MIN((due - now) / 1000000 + 1, 100));
        now = cv_mono_ns();
    }
}

static int drain_emit(cv_reader_rt *rt, cv_emit *e, cv_err *err)
{
    cv_pnode *src = rt->src->node;
    cv__emit_flush(e);
    int rc = e->err ? cv_err_set(err, e->err, "out of memory in %s", src->label) : 0;
    size_t n = e->ready.n;
    for (size_t i = 0; i < n; i++) {
        cv_batch *b = e->ready.v[i];
        if (rc == 0) {
            rc = cv_batch_check(b, err);
            if (rc < 0) cv_err_where(err, "%s", src->label);
        }
        if (rc == 0) {
            atomic_fetch_add_explicit(&rt->rows, b->nrows, memory_order_relaxed);
            atomic_fetch_add_explicit(&rt->bytes, b->bytes, memory_order_relaxed);
            atomic_fetch_add_explicit(&rt->batches, 1, memory_order_relaxed);
            uint32_t t = cv__table_index(src->u.src.tables, src->u.src.ntables, b->table, &rt->tlast);
            if (t < src->u.src.ntables) atomic_fetch_add_explicit(&rt->trows[t], b->nrows, memory_order_relaxed);
            rc = route(rt, src, b, err);
        }
        cv_batch_free(b);
    }
    e->ready.n = 0;
    return rc;
}

static bool next_split(cv_reader_rt *rt, size_t *own_pos, const cv_split **out)
{
    cv_split_list *l = &rt->src->splits;
    while (*own_pos < l->n) {
        const cv_split *s = &l->v[(*own_pos)++];
        if (s->owner == rt->r.index) {
            *out = s;
            return true;
        }
    }
    size_t k = atomic_fetch_add(&rt->src->next_shared, 1);
    if (k < rt->src->nshared) {
        *out = &l->v[rt->src->shared[k]];
        return true;
    }
    return false;
}

static int read_all(cv_reader_rt *rt, cv_err *err)
{
    cv_pnode *src = rt->src->node;
    const cv_plugin *pl = src->plugin;
    const cv_ctx *ctx = &rt->job->plan->ctx;
    if (pl->reader_open) {
        int rc = pl->reader_open(&rt->r, err);
        if (rc < 0) return rc;
    }
    rt->opened = true;
    cv_emit e;
    cv__emit_init(&e, rt->job->opts.batch_rows);
    int64_t start = cv_mono_ns();
    bool limited = rt->job->plan->env.read_limit_rows > 0 || rt->job->plan->env.read_limit_bytes > 0;
    size_t own = 0;
    const cv_split *sp;
    int rc = 0;
    while (rc == 0 && !cv_ctx_cancelled(ctx) && next_split(rt, &own, &sp)) {
        if (pl->reader_start) rc = pl->reader_start(&rt->r, sp, err);
        while (rc == 0) {
            if (cv_ctx_cancelled(ctx)) break;
            int more = pl->reader_next(&rt->r, &e, err);
            if (more < 0) {
                rc = more;
                break;
            }
            rc = drain_emit(rt, &e, err);
            if (rc == 0 && limited) throttle(rt, start);
            if (more == CV_DONE) break;
        }
    }
    cv__emit_free(&e);
    return rc;
}

/* Final barrier, then end-of-stream, on every link of this reader. Pushes
 * of control messages only fail once the job is already stopping. */
static void finish_links(cv_reader_rt *rt, bool ok)
{
    cv_plan *p = rt->job->plan;
    for (uint32_t i = 0; i < p->nnodes; i++) {
        cv_link *l = &rt->links[i];
        if (!l->writer) continue;
        if (ok) {
            cv_msg b = {.kind = CV_MSG_BARRIER, .checkpoint = rt->job->final_checkpoint, .final = true};
            cv__inbox_push(&l->writer->inbox, l->ch, b);
        }
        cv_msg eos = {.kind = CV_MSG_EOS};
        cv__inbox_push(&l->writer->inbox, l->ch, eos);
    }
}

void *cv__reader_main(void *arg)
{
    cv_reader_rt *rt = arg;
    cv_job *j = rt->job;
    cv_plan *p = j->plan;
    cv_err err;
    cv_err_clear(&err);
    int rc = 0;
    /* per-thread transform instances for everything downstream */
    for (uint32_t i = 0; i < p->nnodes && rc == 0; i++) {
        cv_pnode *n = p->nodes[i];
        if (n->kind != CV_PLUGIN_TRANSFORM || !rt->emits) continue;
        cv__emit_init(&rt->emits[i], j->opts.batch_rows);
        if (n->plugin->tr_inst_open && rt->reach[i]) {
            rc = n->plugin->tr_inst_open(&n->u.tr, &rt->inst[i], &err);
            if (rc < 0) cv_err_where(&err, "%s", n->label);
        }
    }
    if (rc == 0) {
        rc = read_all(rt, &err);
        if (rc < 0 && rc != CV_ECANCELLED) cv_err_where(&err, "%s", rt->src->node->label);
    }
    if (rc < 0 && !(rc == CV_ECANCELLED && cv_ctx_cancelled(&p->ctx))) cv__job_fail(j, &err);
    finish_links(rt, rc == 0 && !cv_ctx_cancelled(&p->ctx));
    for (uint32_t i = 0; i < p->nnodes; i++) {
        cv_pnode *n = p->nodes[i];
        if (n->kind != CV_PLUGIN_TRANSFORM || !rt->emits) continue;
        if (rt->inst[i] && n->plugin->tr_inst_close) n->plugin->tr_inst_close(&n->u.tr, rt->inst[i]);
        rt->inst[i] = NULL;
        cv__emit_free(&rt->emits[i]);
    }
    if (rt->opened && rt->src->node->plugin->reader_close) rt->src->node->plugin->reader_close(&rt->r);
    rt->opened = false;
    pthread_mutex_lock(&j->mu);
    j->readers_done++;
    pthread_cond_broadcast(&j->cond);
    pthread_mutex_unlock(&j->mu);
    return NULL;
}
