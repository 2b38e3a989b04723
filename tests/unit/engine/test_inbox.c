/* test_inbox.c — the queue in front of a sink writer: order within a
 * channel, backpressure on data only, control messages past a full queue,
 * blocked channels during barrier alignment, and close waking everyone. */
#include "unit.h"

#include <pthread.h>
#include <string.h>

#include "engine/engine_int.h"

static cv_msg data_msg(int64_t tag)
{
    cv_msg m = {.kind = CV_MSG_DATA};
    m.checkpoint = tag; /* a data message's checkpoint field is unused: tag it */
    return m;
}

TEST(order_within_a_channel)
{
    cv_inbox ib;
    REQUIRE_INT(cv__inbox_init(&ib, 1, 4), 0);
    for (int i = 0; i < 4; i++) CHECK_INT(cv__inbox_push(&ib, 0, data_msg(i)), 0);
    for (int i = 0; i < 4; i++) {
        cv_msg m;
        uint32_t from;
        REQUIRE_INT(cv__inbox_pop(&ib, &m, &from), 0);
        CHECK_INT(m.checkpoint, i);
        CHECK_UINT(from, 0);
    }
    cv__inbox_destroy(&ib);
}

TEST(control_messages_pass_a_full_queue)
{
    cv_inbox ib;
    REQUIRE_INT(cv__inbox_init(&ib, 1, 2), 0);
    CHECK_INT(cv__inbox_push(&ib, 0, data_msg(1)), 0);
    CHECK_INT(cv__inbox_push(&ib, 0, data_msg(2)), 0);
    /* the data queue is full, yet a barrier and end-of-stream go in */
    cv_msg b = {.kind = CV_MSG_BARRIER, .checkpoint = 7, .final = true};
    CHECK_INT(cv__inbox_push(&ib, 0, b), 0);
    cv_msg e = {.kind = CV_MSG_EOS};
    CHECK_INT(cv__inbox_push(&ib, 0, e), 0);
    cv_msg m;
    uint32_t from;
    cv__inbox_pop(&ib, &m, &from);
    cv__inbox_pop(&ib, &m, &from);
    CHECK_INT(cv__inbox_pop(&ib, &m, &from), 0);
    CHECK_INT(m.kind, CV_MSG_BARRIER); /* after the data, in order */
    CHECK_INT(m.checkpoint, 7);
    CHECK_INT(cv__inbox_pop(&ib, &m, &from), 0);
    CHECK_INT(m.kind, CV_MSG_EOS);
    cv__inbox_destroy(&ib);
}

typedef struct {
    cv_inbox *ib;
    int pushed;
    int rc;
} pusher;

static void *push_three(void *arg)
{
    pusher *p = arg;
    for (int i = 0; i < 3; i++) {
        p->rc = cv__inbox_push(p->ib, 0, data_msg(i));
        if (p->rc < 0) break;
        __atomic_add_fetch(&p->pushed, 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

TEST(backpressure_and_close)
{
    cv_inbox ib;
    REQUIRE_INT(cv__inbox_init(&ib, 1, 1), 0);
    pusher p = {&ib, 0, 0};
    pthread_t th;
    pthread_create(&th, NULL, push_three, &p);
    cv_sleep_ms(100);
    /* one batch fits; the producer waits for room */
    CHECK_INT(__atomic_load_n(&p.pushed, __ATOMIC_SEQ_CST), 1);
    cv_msg m;
    uint32_t from;
    CHECK_INT(cv__inbox_pop(&ib, &m, &from), 0);
    cv_sleep_ms(100);
    CHECK_INT(__atomic_load_n(&p.pushed, __ATOMIC_SEQ_CST), 2);
    /* closing wakes the blocked producer with CV_ECANCELLED */
    cv__inbox_close(&ib);
    pthread_join(th, NULL);
    CHECK_INT(p.rc, CV_ECANCELLED);
    CHECK_INT(cv__inbox_pop(&ib, &m, &from), CV_ECANCELLED);
    cv__inbox_destroy(&ib);
}

TEST(blocked_channels_wait_for_alignment)
{
    cv_inbox ib;
    REQUIRE_INT(cv__inbox_init(&ib, 2, 4), 0);
    cv_msg b = {.kind = CV_MSG_BARRIER, .checkpoint = 1};
    CHECK_INT(cv__inbox_push(&ib, 0, b), 0);
    CHECK_INT(cv__inbox_push(&ib, 0, data_msg(100)), 0); /* after the barrier on channel 0 */
    CHECK_INT(cv__inbox_push(&ib, 1, data_msg(200)), 0);
    cv_msg m;
    uint32_t from;
    REQUIRE_INT(cv__inbox_pop(&ib, &m, &from), 0);
    CHECK_INT(m.kind, CV_MSG_BARRIER);
    CHECK_UINT(from, 0);
    cv__inbox_block(&ib, 0);
    /* channel 0 is blocked: its data waits while channel 1 flows */
    REQUIRE_INT(cv__inbox_pop(&ib, &m, &from), 0);
    CHECK_UINT(from, 1);
    CHECK_INT(m.checkpoint, 200);
    cv__inbox_unblock_all(&ib);
    REQUIRE_INT(cv__inbox_pop(&ib, &m, &from), 0);
    CHECK_UINT(from, 0);
    CHECK_INT(m.checkpoint, 100);
    cv__inbox_destroy(&ib);
}

TEST(destroy_frees_queued_batches)
{
    static cv_column col = {.name = "x"};
    col.type = cv_type_prim(CV_T_I32);
    cv_table t = {.name = "t", .full_name = "t", .cols = &col, .ncols = 1};
    cv_inbox ib;
    REQUIRE_INT(cv__inbox_init(&ib, 1, 4), 0);
    cv_msg m = {.kind = CV_MSG_DATA, .batch = cv_batch_new(&t, 16)};
    REQUIRE(m.batch != NULL);
    CHECK_INT(cv__inbox_push(&ib, 0, m), 0);
    cv__inbox_destroy(&ib); /* LeakSanitizer checks the batch was freed */
}
