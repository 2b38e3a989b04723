/* job.c — building the runtime for a plan and driving it: splits are
 * enumerated, producers are mapped onto sink writers (producer k of a sink
 * feeds writer k mod W on its own channel), threads start, the calling
 * thread coordinates (progress ticks, cancellation, the final checkpoint),
 * then everything is joined and the sinks commit or abort. */
#include "engine_int.h"

#include <string.h>

void cv__job_fail(cv_job *j, const cv_err *e)
{
    pthread_mutex_lock(&j->mu);
    bool first = !j->failed;
    if (first) {
        j->failed = true;
        j->err = *e;
        if (!j->err.code) j->err.code = CV_EINTERNAL;
    }
    pthread_cond_broadcast(&j->cond);
    pthread_mutex_unlock(&j->mu);
    if (!first) return;
    __atomic_store_n(&j->plan->cancelled, 1, __ATOMIC_SEQ_CST);
    for (uint32_t s = 0; s < j->nsinks; s++)
        for (uint32_t w = 0; w < j->sinks[s].nwriters; w++) cv__inbox_close(&j->sinks[s].writers[w].inbox);
}

void cv__job_ack(cv_job *j)
{
    pthread_mutex_lock(&j->mu);
    j->acks++;
    pthread_cond_broadcast(&j->cond);
    pthread_mutex_unlock(&j->mu);
}

void cv_job_cancel(cv_plan *p) { __atomic_store_n(&p->cancelled, 1, __ATOMIC_SEQ_CST); }

static void reach(cv_pnode *n, bool *seen)
{
    if (seen[n->id]) return;
    seen[n->id] = true;
    for (uint32_t i = 0; i < n->ndowns; i++) reach(n->downs[i], seen);
}

static int setup_sources(cv_job *j, cv_err *err)
{
    cv_plan *p = j->plan;
    j->srcs = cv_calloc(p->nsources, sizeof *j->srcs);
    if (!j->srcs) return cv_err_set(err, CV_ENOMEM, "out of memory");
    uint32_t nreaders = 0;
    for (uint32_t i = 0; i < p->nsources; i++) {
        cv_src_rt *s = &j->srcs[i];
        s->node = p->nodes[i];
        const cv_plugin *pl = s->node->plugin;
        if (pl->src_splits) {
            int rc = pl->src_splits(&s->node->u.src, &s->splits, err);
            if (rc < 0) {
                cv_err_where(err, "%s", s->node->label);
                return rc;
            }
        } else if (cv_splits_add(&s->splits, "all", -1, NULL, 0) < 0) {
            return cv_err_set(err, CV_ENOMEM, "out of memory");
        }
        s->shared = cv_calloc(s->splits.n + 1, sizeof *s->shared);
        if (!s->shared) return cv_err_set(err, CV_ENOMEM, "out of memory");
        for (size_t k = 0; k < s->splits.n; k++) {
            int owner = s->splits.v[k].owner;
            if (owner < 0 || owner >= s->node->parallelism) {
                if (owner >= s->node->parallelism)
                    return cv_err_set(err, CV_EINTERNAL, "%s assigned split %s to reader %d of %d", s->node->label,
                                      s->splits.v[k].id, owner, s->node->parallelism);
                s->shared[s->nshared++] = k;
            }
        }
        nreaders += (uint32_t)s->node->parallelism;
    }
    j->readers = cv_calloc(nreaders ? nreaders : 1, sizeof *j->readers);
    if (!j->readers) return cv_err_set(err, CV_ENOMEM, "out of memory");
    j->nreaders = nreaders;
    uint32_t r = 0;
    for (uint32_t i = 0; i < p->nsources; i++)
        for (int k = 0; k < j->srcs[i].node->parallelism; k++, r++) {
            cv_reader_rt *rt = &j->readers[r];
            rt->job = j;
            rt->src = &j->srcs[i];
            rt->r.src = &j->srcs[i].node->u.src;
            rt->r.index = k;
            rt->links = cv_calloc(p->nnodes, sizeof *rt->links);
            rt->reach = cv_calloc(p->nnodes, sizeof *rt->reach);
            rt->inst = cv_calloc(p->nnodes, sizeof *rt->inst);
            rt->emits = cv_calloc(p->nnodes, sizeof *rt->emits);
            if (!rt->links || !rt->reach || !rt->inst || !rt->emits) return cv_err_set(err, CV_ENOMEM, "out of memory");
            reach(rt->src->node, rt->reach);
        }
    return 0;
}

static int setup_sinks(cv_job *j, cv_err *err)
{
    cv_plan *p = j->plan;
    j->sinks = cv_calloc(p->nsinks, sizeof *j->sinks);
    if (!j->sinks) return cv_err_set(err, CV_ENOMEM, "out of memory");
    j->nsinks = p->nsinks;
    for (uint32_t i = 0; i < p->nsinks; i++) {
        cv_sink_rt *s = &j->sinks[i];
        s->node = p->nodes[p->nsources + p->ntransforms + i];
        s->job = j;
        s->nwriters = (uint32_t)s->node->parallelism;
        /* producers: every reader thread whose source reaches this sink */
        for (uint32_t r = 0; r < j->nreaders; r++) s->nproducers += j->readers[r].reach[s->node->id];
        if (s->nwriters > s->nproducers) s->nwriters = s->nproducers; /* idle writers would only wait */
        s->writers = cv_calloc(s->nwriters, sizeof *s->writers);
        s->infos = cv_calloc(s->nwriters + 1, sizeof *s->infos);
        if (!s->writers || !s->infos) {
            s->nwriters = 0;
            return cv_err_set(err, CV_ENOMEM, "out of memory");
        }
        for (uint32_t w = 0; w < s->nwriters; w++) {
            s->writers[w].sink = s;
            s->writers[w].w.sink = &s->node->u.sink;
            s->writers[w].w.index = (int)w;
            s->writers[w].nproducers = s->nproducers / s->nwriters + (w < s->nproducers % s->nwriters);
            cv_buf_init(&s->writers[w].info);
            if (cv__inbox_init(&s->writers[w].inbox, s->writers[w].nproducers, j->opts.queue_batches) < 0)
                return cv_err_set(err, CV_ENOMEM, "out of memory");
        }
        j->nwriters_total += s->nwriters;
        uint32_t k = 0, *next_ch = cv_calloc(s->nwriters, sizeof *next_ch);
        if (!next_ch) return cv_err_set(err, CV_ENOMEM, "out of memory");
        for (uint32_t r = 0; r < j->nreaders; r++) {
            if (!j->readers[r].reach[s->node->id]) continue;
            uint32_t w = k++ % s->nwriters;
            j->readers[r].links[s->node->id] = (cv_link){&s->writers[w], next_ch[w]++};
        }
        cv_free(next_ch);
    }
    return 0;
}

/* The name's entry in the table stats, added when new. */
static uint32_t stat_of(cv_job_stats *st, const char *name)
{
    for (uint32_t i = 0; i < st->ntables; i++)
        if (strcmp(st->tables[i].name, name) == 0) return i;
    st->tables[st->ntables].name = name;
    return st->ntables++;
}

/* Per-table counters for every reader and writer, and where each table's
 * counts go in st->tables. Names live in the plan's arena. */
static int setup_table_stats(cv_job *j, cv_job_stats *st, cv_err *err)
{
    cv_plan *p = j->plan;
    size_t cap = 0;
    for (uint32_t i = 0; i < p->nsources; i++) cap += j->srcs[i].node->u.src.ntables;
    for (uint32_t i = 0; i < j->nsinks; i++) cap += j->sinks[i].node->u.sink.ntables;
    st->tables = cv_calloc(cap + 1, sizeof *st->tables);
    if (!st->tables) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < p->nsources; i++) {
        const cv_source *src = &j->srcs[i].node->u.src;
        if (!(j->srcs[i].tstat = cv_calloc(src->ntables + 1, sizeof *j->srcs[i].tstat)))
            return cv_err_set(err, CV_ENOMEM, "out of memory");
        for (uint32_t t = 0; t < src->ntables; t++) j->srcs[i].tstat[t] = stat_of(st, src->tables[t]->full_name);
    }
    for (uint32_t i = 0; i < j->nsinks; i++) {
        const cv_sink *sk = &j->sinks[i].node->u.sink;
        if (!(j->sinks[i].tstat = cv_calloc(sk->ntables + 1, sizeof *j->sinks[i].tstat)))
            return cv_err_set(err, CV_ENOMEM, "out of memory");
        for (uint32_t t = 0; t < sk->ntables; t++) j->sinks[i].tstat[t] = stat_of(st, sk->tables[t]->full_name);
        for (uint32_t w = 0; w < j->sinks[i].nwriters; w++)
            if (!(j->sinks[i].writers[w].trows = cv_calloc(sk->ntables + 1, sizeof(_Atomic uint64_t))))
                return cv_err_set(err, CV_ENOMEM, "out of memory");
    }
    for (uint32_t r = 0; r < j->nreaders; r++)
        if (!(j->readers[r].trows = cv_calloc(j->readers[r].src->node->u.src.ntables + 1, sizeof(_Atomic uint64_t))))
            return cv_err_set(err, CV_ENOMEM, "out of memory");
    return 0;
}

void cv_job_stats_free(cv_job_stats *st)
{
    cv_free(st->tables);
    st->tables = NULL;
    st->ntables = 0;
}

static void teardown(cv_job *j)
{
    cv_plan *p = j->plan;
    if (j->srcs)
        for (uint32_t i = 0; i < p->nsources; i++) {
            cv_free(j->srcs[i].splits.v);
            cv_free(j->srcs[i].shared);
            cv_free(j->srcs[i].tstat);
        }
    if (j->readers)
        for (uint32_t r = 0; r < j->nreaders; r++) {
            cv_free((void *)j->readers[r].trows);
            cv_free(j->readers[r].links);
            cv_free(j->readers[r].reach);
            cv_free(j->readers[r].inst);
            cv_free(j->readers[r].emits);
        }
    if (j->sinks)
        for (uint32_t i = 0; i < j->nsinks; i++) {
            for (uint32_t w = 0; w < j->sinks[i].nwriters; w++) {
                cv__inbox_destroy(&j->sinks[i].writers[w].inbox);
                cv_buf_free(&j->sinks[i].writers[w].info);
                cv_free((void *)j->sinks[i].writers[w].trows);
            }
            cv_free(j->sinks[i].writers);
            cv_free(j->sinks[i].infos);
            cv_free(j->sinks[i].tstat);
        }
    cv_free(j->srcs);
    cv_free(j->readers);
    cv_free(j->sinks);
    pthread_mutex_destroy(&j->mu);
    pthread_cond_destroy(&j->cond);
}

static void snapshot(cv_job *j, cv_job_stats *st)
{
    uint64_t rr = 0, rb = 0, wr = 0, nb = 0;
    st->failed_rows = 0;
    for (uint32_t r = 0; r < j->nreaders; r++) {
        rr += atomic_load_explicit(&j->readers[r].rows, memory_order_relaxed);
        rb += atomic_load_explicit(&j->readers[r].bytes, memory_order_relaxed);
        nb += atomic_load_explicit(&j->readers[r].batches, memory_order_relaxed);
        st->failed_rows += __atomic_load_n(&j->readers[r].r.rejected, __ATOMIC_RELAXED);
    }
    for (uint32_t s = 0; s < j->nsinks; s++)
        for (uint32_t w = 0; w < j->sinks[s].nwriters; w++)
            wr += atomic_load_explicit(&j->sinks[s].writers[w].rows, memory_order_relaxed);
    st->read_rows = rr;
    st->read_bytes = rb;
    st->write_rows = wr;
    st->batches = nb;
    if (!st->tables) return;
    for (uint32_t t = 0; t < st->ntables; t++) st->tables[t].read_rows = st->tables[t].write_rows = 0;
    for (uint32_t r = 0; r < j->nreaders; r++) {
        const cv_reader_rt *rt = &j->readers[r];
        for (uint32_t t = 0; rt->trows && t < rt->src->node->u.src.ntables; t++)
            st->tables[rt->src->tstat[t]].read_rows += atomic_load_explicit(&rt->trows[t], memory_order_relaxed);
    }
    for (uint32_t s = 0; s < j->nsinks; s++)
        for (uint32_t w = 0; w < j->sinks[s].nwriters; w++) {
            const cv_writer_rt *wt = &j->sinks[s].writers[w];
            for (uint32_t t = 0; wt->trows && t < j->sinks[s].node->u.sink.ntables; t++)
                st->tables[j->sinks[s].tstat[t]].write_rows +=
                    atomic_load_explicit(&wt->trows[t], memory_order_relaxed);
        }
}

static int start_threads(cv_job *j, cv_err *err)
{
    for (uint32_t s = 0; s < j->nsinks; s++)
        for (uint32_t w = 0; w < j->sinks[s].nwriters; w++) {
            cv_writer_rt *wr = &j->sinks[s].writers[w];
            if (pthread_create(&wr->th, NULL, cv__writer_main, wr) != 0)
                return cv_err_set(err, CV_EIO, "cannot start a writer thread");
            wr->started = true;
        }
    for (uint32_t r = 0; r < j->nreaders; r++) {
        if (pthread_create(&j->readers[r].th, NULL, cv__reader_main, &j->readers[r]) != 0)
            return cv_err_set(err, CV_EIO, "cannot start a reader thread");
        j->readers[r].started = true;
    }
    return 0;
}

static void coordinate(cv_job *j, cv_job_stats *st)
{
    int tick = j->opts.tick_ms > 0 ? j->opts.tick_ms : 200;
    pthread_mutex_lock(&j->mu);
    while (!j->failed && j->acks < j->nwriters_total) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += (long)tick * 1000000L;
        ts.tv_sec += ts.tv_nsec / 1000000000L;
        ts.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&j->cond, &j->mu, &ts);
        if (j->failed || j->acks >= j->nwriters_total) break;
        bool cancelled = __atomic_load_n(&j->plan->cancelled, __ATOMIC_SEQ_CST);
        pthread_mutex_unlock(&j->mu);
        if (cancelled) {
            cv_err e;
            cv_err_clear(&e);
            cv_err_set(&e, CV_ECANCELLED, "the job was cancelled");
            cv__job_fail(j, &e);
        } else if (j->opts.on_tick) {
            snapshot(j, st);
            j->opts.on_tick(st, j->opts.user);
        }
        pthread_mutex_lock(&j->mu);
    }
    pthread_mutex_unlock(&j->mu);
}

/* The prepared writers' commit infos, in the slots set up for them: a sink
 * that ran is always committed or aborted, even out of memory (an abort
 * that cannot see the infos would leave staged work behind). */
static size_t collect_infos(cv_sink_rt *s)
{
    size_t n = 0;
    for (uint32_t w = 0; s->infos && w < s->nwriters; w++) {
        cv_writer_rt *wr = &s->writers[w];
        if (!wr->prepared) continue;
        s->infos[n++] = (cv_commit_info){(int)w, s->job->final_checkpoint, wr->info.data, wr->info.len};
    }
    return n;
}

static int finish_sinks(cv_job *j, bool ok, cv_err *err)
{
    int rc = 0;
    for (uint32_t i = 0; i < j->nsinks; i++) {
        cv_sink_rt *s = &j->sinks[i];
        if (!s->node) continue; /* setup failed before reaching it: it never ran */
        const cv_plugin *pl = s->node->plugin;
        size_t n = collect_infos(s);
        const cv_commit_info *infos = s->infos;
        if (ok && pl->sink_commit) {
            rc = pl->sink_commit(&s->node->u.sink, infos, n, err);
            if (rc < 0) {
                cv_err_where(err, "%s (commit)", s->node->label);
                ok = false;
            }
        } else if (!ok && pl->sink_abort) {
            pl->sink_abort(&s->node->u.sink, infos, n);
        }
    }
    for (uint32_t i = 0; ok && i < j->nsinks; i++) {
        cv_sink_rt *s = &j->sinks[i];
        if (s->node->plugin->sink_finish) {
            rc = s->node->plugin->sink_finish(&s->node->u.sink, err);
            if (rc < 0) {
                cv_err_where(err, "%s", s->node->label);
                ok = false;
            }
        }
    }
    return rc;
}

/* Before anything else runs, so it walks the plan's sinks: the runtime
 * ones (j->sinks) do not exist yet. */
static int run_save_modes(cv_job *j, cv_err *err)
{
    cv_plan *p = j->plan;
    for (uint32_t i = 0; i < p->nsinks; i++) {
        cv_pnode *n = p->nodes[p->nsources + p->ntransforms + i];
        if (!n->plugin->sink_save_mode) continue;
        int rc = n->plugin->sink_save_mode(&n->u.sink, err);
        if (rc < 0) {
            cv_err_where(err, "%s (save mode)", n->label);
            return rc;
        }
    }
    return 0;
}

int cv_job_run(cv_plan *p, const cv_run_opts *o, cv_job_stats *st, cv_err *err)
{
    cv_job j;
    memset(&j, 0, sizeof j);
    memset(st, 0, sizeof *st);
    st->start_us = cv_wall_us();
    j.plan = p;
    if (o) j.opts = *o;
    if (!j.opts.batch_rows) j.opts.batch_rows = CV_BATCH_ROWS;
    if (!j.opts.queue_batches) j.opts.queue_batches = 8;
    j.final_checkpoint = 1;
    pthread_mutex_init(&j.mu, NULL);
    pthread_cond_init(&j.cond, NULL);
    int rc = setup_sources(&j, err);
    if (rc == 0) rc = setup_sinks(&j, err);
    if (rc == 0) rc = setup_table_stats(&j, st, err);
    /* after setup_sinks (it fills j.sinks), before any row moves */
    if (rc == 0) rc = run_save_modes(&j, err);
    if (rc == 0) rc = start_threads(&j, err);
    if (rc < 0) {
        cv_err e = *err;
        cv__job_fail(&j, &e);
    } else {
        coordinate(&j, st);
    }
    for (uint32_t r = 0; r < j.nreaders; r++)
        if (j.readers[r].started) pthread_join(j.readers[r].th, NULL);
    for (uint32_t s = 0; s < j.nsinks; s++)
        for (uint32_t w = 0; w < j.sinks[s].nwriters; w++)
            if (j.sinks[s].writers[w].started) pthread_join(j.sinks[s].writers[w].th, NULL);
    bool ok = !j.failed;
    if (!ok && rc == 0) {
        cv_err_move(err, &j.err);
        rc = j.err.code;
    }
    int frc = finish_sinks(&j, ok, err);
    if (ok && frc < 0) rc = frc;
    snapshot(&j, st);
    st->end_us = cv_wall_us();
    st->status = rc == 0 ? "FINISHED" : rc == CV_ECANCELLED ? "CANCELED" : "FAILED";
    teardown(&j);
    return rc;
}
