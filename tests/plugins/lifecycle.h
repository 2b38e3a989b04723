/* lifecycle.h — records every callback the engine makes into one plugin
 * and checks their order against the contract in plugin/plugin.h.
 *
 * How: the test binary is linked with -Wl,--wrap=cv_plugin_find, so the
 * plan builder's look-up of the plugin under test returns a copy of its
 * descriptor whose callbacks log an event (kind, object, result) and call
 * the real ones. The log is a static array (recording must not allocate:
 * the allocator is the one failing on purpose). */
#ifndef CV_TEST_LIFECYCLE_H
#define CV_TEST_LIFECYCLE_H

#include "engine/engine.h"

#include <stdbool.h>

/* Start recording calls into p (and no other plugin); clears the log. */
void lc_watch(const cv_plugin *p);
/* Stop recording; the plan builder gets the real descriptors again. */
void lc_unwatch(void);

/* What the run did, so the checker knows what must have happened. */
typedef struct {
    bool ran;   /* cv_job_run was called (the plan was built) */
    int rc;     /* what the job (or the plan build) returned */
    bool batch; /* BATCH mode: one checkpoint, no write after prepare */
} lc_run;

/* Check the recorded log; returns the number of violations found and
 * writes the first few into msg (one per line). */
int lc_check(const lc_run *run, char *msg, size_t cap);

#endif
