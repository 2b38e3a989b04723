/* emit_int.h — the emitter's insides, for the engine. Plugins see only
 * cv_emit_batch / cv_emit_forward from plugin.h. */
#ifndef CV_EMIT_INT_H
#define CV_EMIT_INT_H

#include "plugin.h"

typedef struct cv_emit_open {
    const cv_table *table;
    cv_batch *batch;
} cv_emit_open;

struct cv_emit {
    uint32_t batch_rows;       /* capacity of new batches */
    CV_VEC(cv_emit_open) open; /* one batch being filled per table */
    CV_VEC(cv_batch *) ready;  /* finished batches, in emission order */
    int err;                   /* sticky CV_ENOMEM */
};

void cv__emit_init(cv_emit *e, uint32_t batch_rows);
/* Move every non-empty open batch, and every one that failed, to `ready`. */
void cv__emit_flush(cv_emit *e);
/* Drop everything (on failure). */
void cv__emit_free(cv_emit *e);

#endif
