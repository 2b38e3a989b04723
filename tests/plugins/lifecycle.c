/* lifecycle.c — the callback recorder and the order checker (lifecycle.h).
 *
 * The rules, from plugin/plugin.h:
 *  - every object: its open comes first and once; its close comes last and
 *    exactly once (the plugin-level close runs even when open failed: plan
 *    nodes close whatever they started; a reader, writer or transform
 *    instance is closed exactly when its open succeeded); nothing is called
 *    on an object that is not open, or after its close;
 *  - source: splits once, after a successful open, before any reader opens;
 *    reader_start on an open reader; reader_next only inside a started
 *    split (after reader_start succeeded, until next returns CV_DONE or an
 *    error); every reader closed before the source;
 *  - transform: instances open after the transform opened; process runs on
 *    an open instance; every instance closed before the transform;
 *  - sink: save mode once, after open, before any writer; write and
 *    prepare on an open writer, no write after a prepare in BATCH mode;
 *    every writer closed before commit/abort; a run that started calls
 *    exactly one of commit and abort; commit only with infos from
 *    successful prepares, never after one of the sink's calls failed;
 *    finish only after a successful commit; a job that succeeded committed.
 * Violations noticed while recording (commit infos) are kept as text. */
#include "lifecycle.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    EV_SRC_OPEN,
    EV_SPLITS,
    EV_RD_OPEN,
    EV_RD_START,
    EV_RD_NEXT,
    EV_RD_CLOSE,
    EV_SRC_CLOSE,
    EV_TR_OPEN,
    EV_INST_OPEN,
    EV_PROCESS,
    EV_INST_CLOSE,
    EV_TR_CLOSE,
    EV_SINK_OPEN,
    EV_SAVE_MODE,
    EV_WR_OPEN,
    EV_WRITE,
    EV_PREPARE,
    EV_WR_CLOSE,
    EV_COMMIT,
    EV_ABORT,
    EV_FINISH,
    EV_SINK_CLOSE,
} ev_kind;

static const char *const ev_names[] = {
    "src_open",    "src_splits", "reader_open",  "reader_start", "reader_next",    "reader_close",
    "src_close",   "tr_open",    "tr_inst_open", "tr_process",   "tr_inst_close",  "tr_close",
    "sink_open",   "save_mode",  "writer_open",  "writer_write", "writer_prepare", "writer_close",
    "sink_commit", "sink_abort", "sink_finish",  "sink_close",
};

typedef struct {
    ev_kind kind;
    const void *obj; /* reader, writer, instance; the node itself otherwise */
    int rc;
    int index;    /* reader/writer index */
    int64_t ckpt; /* prepare: checkpoint; commit/abort: number of infos */
} event;

#define MAX_EVENTS 32768
static event events[MAX_EVENTS];
static size_t nevents;
static bool overflow;
static char noted[512]; /* a violation seen while recording */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static const cv_plugin *real; /* the plugin watched last (lc_check reads it) */
static bool watching;         /* the registry look-up hands out the shim */
static cv_plugin shim;

static size_t ev_begin(ev_kind k, const void *obj, int index, int64_t ckpt)
{
    pthread_mutex_lock(&mu);
    size_t i = nevents;
    if (i < MAX_EVENTS) {
        events[i] = (event){k, obj, 0, index, ckpt};
        nevents++;
    } else {
        overflow = true;
    }
    pthread_mutex_unlock(&mu);
    return i;
}

static int ev_end(size_t i, int rc)
{
    if (i >= MAX_EVENTS) return rc;
    pthread_mutex_lock(&mu);
    events[i].rc = rc;
    pthread_mutex_unlock(&mu);
    return rc;
}

static void note(const char *fmt, ...) CV_PRINTF(1, 2);
static void note(const char *fmt, ...)
{
    pthread_mutex_lock(&mu);
    if (!noted[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(noted, sizeof noted, fmt, ap);
        va_end(ap);
    }
    pthread_mutex_unlock(&mu);
}

/* ---- the wrappers: log, then call the real callback ---- */

static int w_src_open(cv_source *s, cv_err *err)
{
    return ev_end(ev_begin(EV_SRC_OPEN, s, 0, 0), real->src_open(s, err));
}
static int w_src_splits(cv_source *s, cv_split_list *out, cv_err *err)
{
    return ev_end(ev_begin(EV_SPLITS, s, 0, 0), real->src_splits(s, out, err));
}
static int w_reader_open(cv_reader *r, cv_err *err)
{
    return ev_end(ev_begin(EV_RD_OPEN, r, r->index, 0), real->reader_open(r, err));
}
static int w_reader_start(cv_reader *r, const cv_split *sp, cv_err *err)
{
    return ev_end(ev_begin(EV_RD_START, r, r->index, 0), real->reader_start(r, sp, err));
}
static int w_reader_next(cv_reader *r, cv_emit *out, cv_err *err)
{
    return ev_end(ev_begin(EV_RD_NEXT, r, r->index, 0), real->reader_next(r, out, err));
}
static void w_reader_close(cv_reader *r)
{
    ev_begin(EV_RD_CLOSE, r, r->index, 0);
    real->reader_close(r);
}
static void w_src_close(cv_source *s)
{
    ev_begin(EV_SRC_CLOSE, s, 0, 0);
    real->src_close(s);
}
static int w_tr_open(cv_transform *t, cv_err *err)
{
    return ev_end(ev_begin(EV_TR_OPEN, t, 0, 0), real->tr_open(t, err));
}
static int w_tr_inst_open(cv_transform *t, void **inst, cv_err *err)
{
    size_t i = ev_begin(EV_INST_OPEN, NULL, 0, 0);
    int rc = real->tr_inst_open(t, inst, err);
    if (i < MAX_EVENTS) {
        pthread_mutex_lock(&mu);
        events[i].obj = *inst;
        pthread_mutex_unlock(&mu);
    }
    return ev_end(i, rc);
}
static int w_tr_process(cv_transform *t, void *inst, cv_batch *in, cv_emit *out, cv_err *err)
{
    return ev_end(ev_begin(EV_PROCESS, inst, 0, 0), real->tr_process(t, inst, in, out, err));
}
static void w_tr_inst_close(cv_transform *t, void *inst)
{
    ev_begin(EV_INST_CLOSE, inst, 0, 0);
    real->tr_inst_close(t, inst);
}
static void w_tr_close(cv_transform *t)
{
    ev_begin(EV_TR_CLOSE, t, 0, 0);
    real->tr_close(t);
}
static int w_sink_open(cv_sink *s, cv_err *err)
{
    return ev_end(ev_begin(EV_SINK_OPEN, s, 0, 0), real->sink_open(s, err));
}
static int w_sink_save_mode(cv_sink *s, cv_err *err)
{
    return ev_end(ev_begin(EV_SAVE_MODE, s, 0, 0), real->sink_save_mode(s, err));
}
static int w_writer_open(cv_writer *w, cv_err *err)
{
    return ev_end(ev_begin(EV_WR_OPEN, w, w->index, 0), real->writer_open(w, err));
}
static int w_writer_write(cv_writer *w, cv_batch *b, cv_err *err)
{
    return ev_end(ev_begin(EV_WRITE, w, w->index, 0), real->writer_write(w, b, err));
}
static int w_writer_prepare(cv_writer *w, int64_t checkpoint, cv_buf *info, cv_err *err)
{
    return ev_end(ev_begin(EV_PREPARE, w, w->index, checkpoint), real->writer_prepare(w, checkpoint, info, err));
}
static void w_writer_close(cv_writer *w)
{
    ev_begin(EV_WR_CLOSE, w, w->index, 0);
    real->writer_close(w);
}

/* Every info handed to commit or abort comes from a successful prepare of
 * that writer for that checkpoint (and a writer gives at most one). */
static void check_infos(const char *what, const cv_commit_info *infos, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        bool found = false;
        pthread_mutex_lock(&mu);
        for (size_t i = 0; i < nevents && !found; i++)
            found = events[i].kind == EV_PREPARE && events[i].rc == 0 && events[i].index == infos[k].writer &&
                    events[i].ckpt == infos[k].checkpoint;
        pthread_mutex_unlock(&mu);
        if (!found)
            note("%s got an info of writer %d for checkpoint %lld that no successful prepare gave", what,
                 infos[k].writer, (long long)infos[k].checkpoint);
        for (size_t q = 0; q < k; q++)
            if (infos[q].writer == infos[k].writer) note("%s got two infos of writer %d", what, infos[k].writer);
    }
}
static int w_sink_commit(cv_sink *s, const cv_commit_info *infos, size_t n, cv_err *err)
{
    size_t i = ev_begin(EV_COMMIT, s, 0, (int64_t)n);
    check_infos("commit", infos, n);
    return ev_end(i, real->sink_commit(s, infos, n, err));
}
static void w_sink_abort(cv_sink *s, const cv_commit_info *infos, size_t n)
{
    ev_begin(EV_ABORT, s, 0, (int64_t)n);
    check_infos("abort", infos, n);
    real->sink_abort(s, infos, n);
}
static int w_sink_finish(cv_sink *s, cv_err *err)
{
    return ev_end(ev_begin(EV_FINISH, s, 0, 0), real->sink_finish(s, err));
}
static void w_sink_close(cv_sink *s)
{
    ev_begin(EV_SINK_CLOSE, s, 0, 0);
    real->sink_close(s);
}

void lc_watch(const cv_plugin *p)
{
    pthread_mutex_lock(&mu);
    nevents = 0;
    overflow = false;
    noted[0] = '\0';
    real = p;
    watching = true;
    shim = *p;
#define WRAP(f) shim.f = p->f ? w_##f : NULL
    WRAP(src_open);
    WRAP(src_splits);
    WRAP(reader_open);
    WRAP(reader_start);
    WRAP(reader_next);
    WRAP(reader_close);
    WRAP(src_close);
    WRAP(tr_open);
    WRAP(tr_inst_open);
    WRAP(tr_process);
    WRAP(tr_inst_close);
    WRAP(tr_close);
    WRAP(sink_open);
    WRAP(sink_save_mode);
    WRAP(writer_open);
    WRAP(writer_write);
    WRAP(writer_prepare);
    WRAP(writer_close);
    WRAP(sink_commit);
    WRAP(sink_abort);
    WRAP(sink_finish);
    WRAP(sink_close);
#undef WRAP
    pthread_mutex_unlock(&mu);
}

void lc_unwatch(void)
{
    pthread_mutex_lock(&mu);
    watching = false;
    pthread_mutex_unlock(&mu);
}

const cv_plugin *__real_cv_plugin_find(cv_plugin_kind kind, const char *name);
const cv_plugin *__wrap_cv_plugin_find(cv_plugin_kind kind, const char *name);
const cv_plugin *__wrap_cv_plugin_find(cv_plugin_kind kind, const char *name)
{
    const cv_plugin *p = __real_cv_plugin_find(kind, name);
    pthread_mutex_lock(&mu);
    const cv_plugin *r = watching && p && p == real ? &shim : p;
    pthread_mutex_unlock(&mu);
    return r;
}

/* ---- the checker ---- */

typedef struct {
    char *msg;
    size_t cap, len;
    int count;
} report;

static void bad(report *r, size_t at, const char *fmt, ...) CV_PRINTF(3, 4);
static void bad(report *r, size_t at, const char *fmt, ...)
{
    if (r->count++ >= 4 || r->len + 1 >= r->cap) return;
    int n = snprintf(r->msg + r->len, r->cap - r->len, "  event %zu (%s): ", at,
                     at < nevents ? ev_names[events[at].kind] : "end");
    if (n > 0) r->len = CV_MIN(r->len + (size_t)n, r->cap - 1);
    va_list ap;
    va_start(ap, fmt);
    n = vsnprintf(r->msg + r->len, r->cap - r->len, fmt, ap);
    va_end(ap);
    if (n > 0) r->len = CV_MIN(r->len + (size_t)n, r->cap - 1);
    if (r->len + 1 < r->cap) r->msg[r->len++] = '\n';
    r->msg[r->len] = '\0';
}

/* The state of one reader, writer or transform instance. */
typedef struct {
    const void *obj;
    bool opened, closed, in_split, prepared;
} objst;

#define MAX_OBJS 512

/* The latest object at this address; an open after its close is a new
 * object (the allocator may hand the memory of a closed instance to the
 * next one opened). */
static objst *find(objst *v, size_t *n, const void *obj, bool opening)
{
    for (size_t i = *n; i-- > 0;)
        if (v[i].obj == obj) {
            if (opening && v[i].closed) break;
            return &v[i];
        }
    if (*n == MAX_OBJS) return NULL;
    v[*n] = (objst){.obj = obj};
    return &v[(*n)++];
}

static bool is_open_kind(ev_kind k) { return k == EV_SRC_OPEN || k == EV_TR_OPEN || k == EV_SINK_OPEN; }
static bool is_close_kind(ev_kind k) { return k == EV_SRC_CLOSE || k == EV_TR_CLOSE || k == EV_SINK_CLOSE; }

int lc_check(const lc_run *run, char *msg, size_t cap)
{
    report r = {msg, cap, 0, 0};
    msg[0] = '\0';
    if (getenv("LC_TRACE")) /* LC_TRACE=1 plugin_generic NAME prints every call */
        for (size_t i = 0; i < nevents; i++)
            fprintf(stderr, "  %zu %s #%d %p rc %d\n", i, ev_names[events[i].kind], events[i].index, events[i].obj,
                    events[i].rc);
    static objst objs[MAX_OBJS];
    size_t nobjs = 0;
    if (overflow) bad(&r, nevents, "more than %d calls: the log overflowed", MAX_EVENTS);
    if (noted[0]) bad(&r, nevents, "%s", noted);
    if (nevents == 0) {
        /* the plan never reached this plugin (an earlier node failed) */
        if (run->rc == 0) bad(&r, 0, "the job succeeded without calling the plugin");
        return r.count;
    }
    /* node level: open first, close last, each once (when it has them) */
    bool has_open = real->src_open || real->tr_open || real->sink_open;
    bool has_close = real->src_close || real->tr_close || real->sink_close;
    if (has_open && !is_open_kind(events[0].kind)) bad(&r, 0, "the first call is not the plugin's open");
    if (has_close && !is_close_kind(events[nevents - 1].kind))
        bad(&r, nevents - 1, "the last call is not the plugin's close");
    bool node_ok = !has_open || events[0].rc == 0, splits_ok = !real->src_splits, saved = false, committed = false,
         aborted = false, failed = false, any_writer = false;
    int opens = 0, closes = 0;
    for (size_t i = 0; i < nevents; i++) {
        const event *e = &events[i];
        opens += is_open_kind(e->kind);
        closes += is_close_kind(e->kind);
        if (closes && !is_close_kind(e->kind)) bad(&r, i, "called after the plugin's close");
        if (!is_open_kind(e->kind) && !is_close_kind(e->kind) && !node_ok)
            bad(&r, i, "called although the plugin's open failed");
        objst *o = NULL;
        switch (e->kind) {
        case EV_SRC_OPEN:
        case EV_TR_OPEN:
        case EV_SINK_OPEN:
        case EV_SRC_CLOSE:
        case EV_TR_CLOSE:
        case EV_SINK_CLOSE: break;
        case EV_SPLITS:
            if (splits_ok) bad(&r, i, "splits enumerated twice");
            splits_ok = e->rc == 0;
            break;
        case EV_RD_OPEN:
        case EV_WR_OPEN:
        case EV_INST_OPEN:
            if (e->kind == EV_RD_OPEN && !splits_ok) bad(&r, i, "a reader opened before the splits were enumerated");
            if (e->kind == EV_WR_OPEN && real->sink_save_mode && !saved)
                bad(&r, i, "a writer opened before the save mode ran");
            if (e->kind == EV_WR_OPEN) any_writer = true;
            if (e->kind == EV_INST_OPEN && !e->obj) break; /* no instance: nothing to track */
            o = find(objs, &nobjs, e->obj, true);
            if (!o) break;
            if (o->opened || o->closed) bad(&r, i, "opened twice (index %d)", e->index);
            /* an instance handed out is the engine's to close, even when
             * its open failed half way (reader.c closes every non-NULL one) */
            o->opened = e->rc == 0 || e->kind == EV_INST_OPEN;
            break;
        case EV_RD_START:
        case EV_RD_NEXT:
        case EV_PROCESS:
        case EV_WRITE:
        case EV_PREPARE:
            if (e->kind == EV_PROCESS && !e->obj) break; /* a transform without instances */
            o = find(objs, &nobjs, e->obj, false);
            if (!o) break;
            if (!o->opened || o->closed) {
                bad(&r, i, "called on %s object (index %d)", o->closed ? "a closed" : "an unopened", e->index);
                break;
            }
            if (e->kind == EV_RD_START) {
                if (o->in_split) bad(&r, i, "a split started while the previous one had not ended");
                o->in_split = e->rc == 0;
            }
            if (e->kind == EV_RD_NEXT) {
                if (real->reader_start && !o->in_split) bad(&r, i, "reader_next outside a started split");
                if (e->rc != CV_MORE) o->in_split = false;
            }
            if (e->kind == EV_WRITE && run->batch && o->prepared) bad(&r, i, "a write after prepare (BATCH)");
            if (e->kind == EV_PREPARE && e->rc == 0) o->prepared = true;
            break;
        case EV_RD_CLOSE:
        case EV_WR_CLOSE:
        case EV_INST_CLOSE:
            o = find(objs, &nobjs, e->obj, false);
            if (!o) break;
            if (!o->opened)
                bad(&r, i, "closed an object whose open %s (index %d)",
                    o->closed ? "it closed already" : "failed or never ran", e->index);
            if (o->closed) bad(&r, i, "closed twice (index %d)", e->index);
            o->closed = true;
            break;
        case EV_SAVE_MODE:
            if (saved) bad(&r, i, "save mode ran twice");
            saved = true;
            break;
        case EV_COMMIT:
        case EV_ABORT:
            if (committed || aborted) bad(&r, i, "the sink was committed or aborted already");
            for (size_t k = 0; k < nobjs; k++)
                if (objs[k].opened && !objs[k].closed) bad(&r, i, "a writer was still open");
            if (e->kind == EV_COMMIT && failed) bad(&r, i, "commit after one of the sink's calls failed");
            committed = e->kind == EV_COMMIT && e->rc == 0;
            aborted = e->kind == EV_ABORT || (e->kind == EV_COMMIT && e->rc < 0);
            break;
        case EV_FINISH:
            if (real->sink_commit && !committed) bad(&r, i, "finish without a successful commit");
            break;
        }
        if (e->rc < 0 && !is_open_kind(e->kind) && e->kind != EV_COMMIT) failed = true;
    }
    if (opens != has_open) bad(&r, nevents, "the plugin was opened %d times", opens);
    if (closes != has_close) bad(&r, nevents, "the plugin was closed %d times", closes);
    for (size_t k = 0; k < nobjs; k++)
        if (objs[k].opened && !objs[k].closed) bad(&r, nevents, "an object opened but never closed");
    if (real->kind == CV_PLUGIN_SINK && run->ran && node_ok) {
        if (run->rc == 0 && real->sink_commit && !committed) bad(&r, nevents, "the job succeeded without a commit");
        /* (a job whose runtime could not even be set up never reached the
         * sink: nothing to abort) */
        if (run->rc != 0 && real->sink_abort && !committed && !aborted && (any_writer || saved))
            bad(&r, nevents, "the job failed after the sink %s, but the sink was not aborted",
                any_writer ? "opened writers" : "ran its save mode");
    }
    return r.count;
}
