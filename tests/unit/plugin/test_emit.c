/* test_emit.c — the emitter between a reader and the engine: a batch that
 * failed while being filled is never dropped on the quiet. */
#include "config/config.h"
#include "plugin/emit_int.h"
#include "unit.h"

#include <string.h>

/* A reader fills a batch and ends its rows, but recording the row kinds
 * runs out of memory: the batch keeps 0 rows and its error. The flush
 * must hand it on (where cv_batch_check reports the error) instead of
 * skipping it as empty, or the rows vanish and the job succeeds. */
TEST(emit_flush_keeps_a_failed_empty_batch)
{
    static const char text[] = "schema { fields { id = int } }";
    cv_doc doc;
    cv_err err;
    cv_err_clear(&err);
    cv_vars v = {NULL, NULL, 0, true};
    REQUIRE_INT(cv_config_parse(&doc, "job.conf", text, sizeof text - 1, &v, &err), 0);
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_table *t = NULL;
    REQUIRE_INT(cv_schema_from_config(&a, cv_node_get(doc.root, "schema"), "t", &t, &err), 0);
    cv_emit e;
    cv__emit_init(&e, 16);
    cv_batch *b = cv_emit_batch(&e, t);
    REQUIRE(b != NULL);
    cv_col_append_i32(&b->cols[0], 7);
    cv_alloc_fail_after(1); /* the row-kind array cannot be allocated */
    cv_batch_end_rows(b, 1, CV_ROW_INSERT);
    cv_alloc_fail_after(0);
    CHECK_UINT(b->nrows, 0);
    CHECK_INT(b->err, CV_ENOMEM);
    cv__emit_flush(&e);
    /* the failure reaches the engine: as a ready batch it will check, or
     * as the emitter's own error */
    bool reported = e.err == CV_ENOMEM;
    for (size_t i = 0; i < e.ready.n; i++) reported |= cv_batch_check(e.ready.v[i], &err) == CV_ENOMEM;
    CHECK(reported);
    cv__emit_free(&e);
    cv_arena_free(&a);
    cv_doc_free(&doc);
}
