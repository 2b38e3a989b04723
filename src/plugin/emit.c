/* emit.c — the emitter: keeps one open batch per table so a reader can
 * interleave tables (CDC does) while every batch stays single-table. Full
 * batches queue up in `ready`; the engine drains them after each call. */
#include "emit_int.h"

void cv__emit_init(cv_emit *e, uint32_t batch_rows)
{
    e->batch_rows = batch_rows ? batch_rows : CV_BATCH_ROWS;
    e->open.v = NULL;
    e->open.n = e->open.cap = 0;
    e->ready.v = NULL;
    e->ready.n = e->ready.cap = 0;
    e->err = 0;
}

static int push_ready(cv_emit *e, cv_batch *b)
{
    if (cv_vec_push(&e->ready, b) < 0) {
        e->err = CV_ENOMEM;
        cv_batch_free(b);
        return CV_ENOMEM;
    }
    return 0;
}

cv_batch *cv_emit_batch(cv_emit *e, const cv_table *t)
{
    cv_emit_open *o = NULL;
    for (size_t i = 0; i < e->open.n; i++)
        if (e->open.v[i].table == t) {
            o = &e->open.v[i];
            break;
        }
    if (!o) {
        cv_emit_open no = {t, NULL};
        if (cv_vec_push(&e->open, no) < 0) {
            e->err = CV_ENOMEM;
            return NULL;
        }
        o = &e->open.v[e->open.n - 1];
    }
    if (o->batch && cv_batch_full(o->batch)) {
        cv_batch *full = o->batch;
        o->batch = NULL;
        if (push_ready(e, full) < 0) return NULL;
    }
    if (!o->batch) {
        o->batch = cv_batch_new(t, e->batch_rows);
        if (!o->batch) {
            e->err = CV_ENOMEM;
            return NULL;
        }
    }
    return o->batch;
}

int cv_emit_forward(cv_emit *e, cv_batch *b)
{
    /* keep order: whatever was being built for this table goes first */
    for (size_t i = 0; i < e->open.n; i++)
        if (e->open.v[i].table == b->table && e->open.v[i].batch && e->open.v[i].batch->nrows) {
            cv_batch *ob = e->open.v[i].batch;
            e->open.v[i].batch = NULL;
            CV_TRY(push_ready(e, ob));
        }
    cv_batch_ref(b);
    return push_ready(e, b);
}

void cv__emit_flush(cv_emit *e)
{
    for (size_t i = 0; i < e->open.n; i++) {
        cv_batch *b = e->open.v[i].batch;
        /* a batch that failed while being filled goes on even when empty
         * (a row-kind array that could not grow leaves 0 rows): the
         * engine's cv_batch_check reports its error; skipped, its rows
         * would vanish from a job that then succeeds */
        if (b && (b->nrows || b->err)) {
            e->open.v[i].batch = NULL;
            push_ready(e, b);
        }
    }
}

void cv__emit_free(cv_emit *e)
{
    for (size_t i = 0; i < e->open.n; i++) cv_batch_free(e->open.v[i].batch);
    for (size_t i = 0; i < e->ready.n; i++) cv_batch_free(e->ready.v[i]);
    cv_vec_free(&e->open);
    cv_vec_free(&e->ready);
}
