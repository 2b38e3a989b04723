/* engine_int.h — the engine's runtime structures, shared by its files. */
#ifndef CV_ENGINE_INT_H
#define CV_ENGINE_INT_H

#include "engine.h"

#include <pthread.h>
#include <stdatomic.h>

#include "../plugin/emit_int.h"

/* ---- inbox: one per writer, one channel per producer --------------------- */

typedef enum { CV_MSG_DATA, CV_MSG_BARRIER, CV_MSG_EOS } cv_msg_kind;

typedef struct cv_msg {
    cv_msg_kind kind;
    cv_batch *batch;    /* DATA */
    int64_t checkpoint; /* BARRIER */
    bool final;         /* BARRIER: the job's last one */
} cv_msg;

typedef struct cv_chan {
    cv_msg *ring;
    uint32_t head, len, cap;
    uint32_t data; /* DATA messages queued */
    bool blocked;  /* delivered a barrier; waits for alignment */
} cv_chan;

#define CV_INBOX_CONTROL_SLOTS 4

typedef struct cv_inbox {
    pthread_mutex_t mu;
    pthread_cond_t readable, writable;
    cv_chan *ch;
    uint32_t nch;
    uint32_t data_cap; /* DATA messages per channel before producers block */
    uint32_t rr;
    bool closed;
} cv_inbox;

int cv__inbox_init(cv_inbox *ib, uint32_t nch, uint32_t data_cap);
void cv__inbox_destroy(cv_inbox *ib);
/* Data waits for room; control messages never wait on capacity. Returns
 * CV_ECANCELLED once the inbox is closed (the message is not queued). */
int cv__inbox_push(cv_inbox *ib, uint32_t ch, cv_msg m);
/* Next message from a channel that is not blocked; CV_ECANCELLED if closed. */
int cv__inbox_pop(cv_inbox *ib, cv_msg *m, uint32_t *from);
void cv__inbox_block(cv_inbox *ib, uint32_t ch);
void cv__inbox_unblock_all(cv_inbox *ib);
void cv__inbox_close(cv_inbox *ib);

/* ---- runtime ------------------------------------------------------------------ */

typedef struct cv_job cv_job;
typedef struct cv_sink_rt cv_sink_rt;

typedef struct cv_writer_rt {
    cv_sink_rt *sink;
    cv_writer w;
    cv_inbox inbox;
    uint32_t nproducers;
    pthread_t th;
    bool started, opened;
    cv_buf info; /* commit info from the last prepare */
    bool prepared;
    _Atomic uint64_t rows, bytes;
    _Atomic uint64_t *trows; /* per sink table */
    uint32_t tlast;          /* table of the last batch */
} cv_writer_rt;

struct cv_sink_rt {
    cv_pnode *node;
    cv_job *job;
    cv_writer_rt *writers;
    uint32_t nwriters;
    uint32_t nproducers;
    bool save_mode_done;
    uint32_t *tstat;       /* sink table → index in the job's table stats */
    cv_commit_info *infos; /* nwriters slots, allocated at setup: committing or
                            * aborting must not need memory */
};

typedef struct cv_link {
    cv_writer_rt *writer;
    uint32_t ch;
} cv_link;

typedef struct cv_src_rt {
    cv_pnode *node;
    cv_split_list splits;
    size_t *shared; /* indices of splits any reader may take */
    size_t nshared;
    _Atomic size_t next_shared;
    uint32_t *tstat; /* source table → index in the job's table stats */
} cv_src_rt;

typedef struct cv_reader_rt {
    cv_job *job;
    cv_src_rt *src;
    cv_reader r;
    bool opened;
    pthread_t th;
    bool started;
    cv_link *links; /* indexed by node id; writer == NULL when unreachable */
    bool *reach;    /* node id → downstream of this reader's source */
    void **inst;    /* transform instances, indexed by node id */
    cv_emit *emits; /* one emitter per transform node id */
    _Atomic uint64_t rows, bytes, batches;
    _Atomic uint64_t *trows; /* per source table */
    uint32_t tlast;
} cv_reader_rt;

struct cv_job {
    cv_plan *plan;
    cv_run_opts opts;
    cv_src_rt *srcs;
    cv_reader_rt *readers;
    uint32_t nreaders;
    cv_sink_rt *sinks;
    uint32_t nsinks;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool failed;
    cv_err err;    /* first failure */
    uint32_t acks; /* writers that prepared the final checkpoint */
    uint32_t nwriters_total;
    uint32_t readers_done;
    int64_t final_checkpoint;
};

void cv__job_fail(cv_job *j, const cv_err *e);
/* Index of t in v[0..n) (pointer identity), trying *last first; n when absent. */
static inline uint32_t cv__table_index(const cv_table *const *v, uint32_t n, const cv_table *t, uint32_t *last)
{
    if (*last < n && v[*last] == t) return *last;
    for (uint32_t i = 0; i < n; i++)
        if (v[i] == t) return *last = i;
    return n;
}
void cv__job_ack(cv_job *j);
void *cv__reader_main(void *arg);
void *cv__writer_main(void *arg);

#endif
