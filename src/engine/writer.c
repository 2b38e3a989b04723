/* writer.c — a sink writer thread. It pops batches from its inbox and
 * writes them, retrying transient failures with backoff (plugins never
 * retry themselves). Barriers are aligned across its producers; at the
 * final barrier it runs prepare_commit and acknowledges to the
 * coordinator, which commits once every writer of every sink is ready. */
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

/* The plugin's reason stays first; the engine says how long it tried. */
static int give_up(cv_err *e, int rc, int attempts, bool cancelled)
{
    if (rc != CV_ERETRY) return rc;
    size_t n = strlen(e->msg);
    if (!n) n = (size_t)snprintf(e->msg, sizeof e->msg, "transient failure");
    if (n < sizeof e->msg)
        snprintf(e->msg + n, sizeof e->msg - n,
                 cancelled ? " (the job was cancelled while retrying, after %d %s)" : " (still failing after %d %s)",
                 attempts, attempts == 1 ? "retry" : "retries");
    e->code = CV_EIO; /* no longer transient for whoever reads it */
    return CV_EIO;
}

static int write_batch(cv_writer_rt *wr, cv_batch *b, cv_err *err)
{
    cv_sink_rt *s = wr->sink;
    const cv_plugin *pl = s->node->plugin;
    const cv_ctx *ctx = &s->job->plan->ctx;
    const int max = s->node->u.sink.max_retries;
    int64_t backoff = 50;
    for (int attempt = 0;; attempt++) {
        cv_err e;
        cv_err_clear(&e);
        int rc = pl->writer_write(&wr->w, b, &e);
        if (rc == 0 && (pl->caps & CV_CAP_ACKED_COUNTS)) {
            atomic_fetch_add_explicit(&wr->bytes, b->bytes, memory_order_relaxed);
            return 0; /* rows: the sink reports them (cv_writer_acked) */
        }
        if (rc == 0) {
            const cv_sink *sk = &s->node->u.sink;
            uint32_t t = cv__table_index(sk->tables, sk->ntables, b->table, &wr->tlast);
            if (t < sk->ntables) atomic_fetch_add_explicit(&wr->trows[t], b->nrows, memory_order_relaxed);
            atomic_fetch_add_explicit(&wr->rows, b->nrows, memory_order_relaxed);
            atomic_fetch_add_explicit(&wr->bytes, b->bytes, memory_order_relaxed);
            return 0;
        }
        if (rc != CV_ERETRY || attempt >= max || cv_ctx_cancelled(ctx)) {
            if (rc == CV_ERETRY && e.code == 0) e.code = rc; /* a plugin that said nothing */
            rc = give_up(&e, rc, attempt, cv_ctx_cancelled(ctx));
            cv_err_move(err, &e);
            return rc;
        }
        cv_warn("%s: writer %d: %s; retrying in %lld ms (attempt %d of %d)", s->node->label, wr->w.index,
                e.msg[0] ? e.msg : "transient failure", (long long)backoff, attempt + 1, max);
        for (int64_t slept = 0; slept < backoff && !cv_ctx_cancelled(ctx); slept += 50) cv_sleep_ms(50);
        backoff = CV_MIN(backoff * 2, 5000);
    }
}

void cv_writer_acked(cv_writer *w, const cv_table *t, int64_t n)
{
    cv_writer_rt *wr = w->engine;
    if (!wr) return;
    const cv_sink *sk = w->sink;
    uint32_t hint = 0; /* not wr->tlast: this may run beside the writer's thread */
    uint32_t i = cv__table_index(sk->tables, sk->ntables, t, &hint);
    /* unsigned wrap-around makes a negative n subtract */
    if (i < sk->ntables && wr->trows) atomic_fetch_add_explicit(&wr->trows[i], (uint64_t)n, memory_order_relaxed);
    atomic_fetch_add_explicit(&wr->rows, (uint64_t)n, memory_order_relaxed);
}

static int prepare(cv_writer_rt *wr, int64_t ckpt, cv_err *err)
{
    const cv_plugin *pl = wr->sink->node->plugin;
    cv_buf_reset(&wr->info);
    int rc = pl->writer_prepare ? pl->writer_prepare(&wr->w, ckpt, &wr->info, err) : 0;
    if (rc == 0 && wr->info.oom) rc = cv_err_set(err, CV_ENOMEM, "out of memory preparing a commit");
    if (rc == 0) wr->prepared = true;
    return rc;
}

static int run(cv_writer_rt *wr, cv_err *err)
{
    cv_sink_rt *s = wr->sink;
    const cv_plugin *pl = s->node->plugin;
    wr->w.engine = wr;
    if (pl->writer_open) CV_TRY(pl->writer_open(&wr->w, err));
    wr->opened = true;
    uint32_t eos = 0, aligned = 0;
    while (eos < wr->nproducers) {
        cv_msg m;
        uint32_t from;
        CV_TRY(cv__inbox_pop(&wr->inbox, &m, &from));
        switch (m.kind) {
        case CV_MSG_DATA: {
            int rc = write_batch(wr, m.batch, err);
            cv_batch_free(m.batch);
            if (rc < 0) return rc;
            break;
        }
        case CV_MSG_BARRIER:
            cv__inbox_block(&wr->inbox, from);
            /* every producer sends a barrier before its end-of-stream, so
             * live producers = all minus those that ended */
            if (++aligned == wr->nproducers - eos) {
                CV_TRY(prepare(wr, m.checkpoint, err));
                aligned = 0;
                if (m.final) cv__job_ack(s->job);
                cv__inbox_unblock_all(&wr->inbox);
            }
            break;
        case CV_MSG_EOS: eos++; break;
        }
    }
    return 0;
}

void *cv__writer_main(void *arg)
{
    cv_writer_rt *wr = arg;
    cv_job *j = wr->sink->job;
    cv_err err;
    cv_err_clear(&err);
    int rc = run(wr, &err);
    if (rc < 0 && !(rc == CV_ECANCELLED && cv_ctx_cancelled(&j->plan->ctx))) {
        cv_err_where(&err, "%s, writer %d", wr->sink->node->label, wr->w.index);
        cv__job_fail(j, &err);
    }
    if (wr->opened && wr->sink->node->plugin->writer_close) wr->sink->node->plugin->writer_close(&wr->w);
    wr->opened = false;
    return NULL;
}
