/*
 * engine — runs a plan: reader threads per source, transforms chained into
 * the readers' threads, bounded inboxes in front of sink writers, barriers
 * and the commit protocol.
 *
 * Contract:
 *  - cv_job_run blocks until the job ends. BATCH jobs end when every split
 *    is read and the final checkpoint commits: every writer sees the final
 *    barrier from all of its producers, runs prepare_commit, and once all
 *    writers of all sinks have prepared, the coordinator calls each sink's
 *    commit with the writers' commit infos, then finish. On any failure the
 *    job stops promptly, every thread is joined, sinks abort what they
 *    prepared, and the first cause is returned in err.
 *  - cv_job_cancel may be called from a signal handler or another thread.
 *  - Statistics are read lock-free; on_tick runs on the calling thread.
 */
#ifndef CV_ENGINE_H
#define CV_ENGINE_H

#include "../plan/plan.h"

/* Rows per table, by the table's full name: read counts what sources
 * produced, write what sinks took (a transform that renames tables makes
 * two entries). */
typedef struct cv_table_stat {
    const char *name;
    uint64_t read_rows, write_rows;
} cv_table_stat;

typedef struct cv_job_stats {
    int64_t start_us, end_us;
    uint64_t read_rows, read_bytes;
    uint64_t write_rows;
    uint64_t failed_rows;
    uint64_t batches;
    const char *status;    /* FINISHED, FAILED, CANCELED */
    cv_table_stat *tables; /* in plan order; freed by cv_job_stats_free */
    uint32_t ntables;
} cv_job_stats;

typedef struct cv_run_opts {
    void (*on_tick)(const cv_job_stats *s, void *user);
    void *user;
    int tick_ms;            /* default 200 */
    uint32_t batch_rows;    /* default CV_BATCH_ROWS */
    uint32_t queue_batches; /* per producer→writer channel; default 8 */
} cv_run_opts;

CV_API int cv_job_run(cv_plan *p, const cv_run_opts *o, cv_job_stats *st, cv_err *err);
CV_API void cv_job_cancel(cv_plan *p);
/* Free what cv_job_run allocated in st (the table list). */
CV_API void cv_job_stats_free(cv_job_stats *st);

#endif
