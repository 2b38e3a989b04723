/* test_job.c — whole jobs through cv_job_run, the engine's concurrent
 * paths: many readers feeding fewer writers of several sinks (exact counts),
 * a sink failing while readers still push, cancellation from another thread,
 * progress snapshots taken while the threads count, and every allocation
 * failing in turn (out of memory, never a crash). These are the tests the
 * ThreadSanitizer build (`make tsan`) runs against the engine. */
#include "unit.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"

typedef struct {
    cv_doc doc;
    cv_plan plan;
    cv_err err;
    cv_job_stats st;
    int rc;
    bool built;
} fixture;

static int build(fixture *f, const char *text)
{
    memset(f, 0, sizeof *f);
    cv_err_clear(&f->err);
    cv_plan_opts po = {0};
    f->rc = cv_config_parse(&f->doc, "job.conf", text, strlen(text), NULL, &f->err);
    if (f->rc == 0) f->rc = cv_plan_build(&f->plan, &f->doc, &po, &f->err);
    f->built = f->rc == 0;
    return f->rc;
}

static int run(fixture *f, const cv_run_opts *o)
{
    f->rc = cv_job_run(&f->plan, o, &f->st, &f->err);
    return f->rc;
}

static void done(fixture *f)
{
    cv_job_stats_free(&f->st);
    cv_plan_close(&f->plan);
    cv_doc_free(&f->doc);
}

/* 6 readers × 1000 rows into two sinks of 3 and 2 writers; small batches
 * and queues, so that writers block and readers wait on backpressure. */
static const char fan_out[] =
    "env { job.mode = BATCH, parallelism = 6 }\n"
    "source { FakeSource { plugin_output = f, row.num = 1000, schema = { fields { id = bigint, s = string } } } }\n"
    "sink {\n"
    "  Assert { plugin_input = f, parallelism = 3,\n"
    "    rules { row_rules = [ { rule_type = MIN_ROW, rule_value = 6000 }, { rule_type = MAX_ROW, rule_value = 6000 } "
    "] } }\n"
    "  TemplateSink { plugin_input = f, parallelism = 2 }\n"
    "}\n";

static void ticked(const cv_job_stats *s, void *user)
{
    uint64_t *last = user;
    /* the counters only grow while the job runs */
    if (s->read_rows < *last)
        unit__fail(__FILE__, __LINE__, "read rows went back from %llu to %llu", (unsigned long long)*last,
                   (unsigned long long)s->read_rows);
    *last = s->read_rows;
}

TEST(job_fan_out_counts_exactly)
{
    fixture f;
    REQUIRE_INT(build(&f, fan_out), 0);
    uint64_t last = 0;
    cv_run_opts o = {.on_tick = ticked, .user = &last, .tick_ms = 1, .batch_rows = 64, .queue_batches = 1};
    CHECK_INT(run(&f, &o), 0);
    CHECK_STR(f.err.msg, "");
    CHECK_UINT(f.st.read_rows, 6000);
    CHECK_UINT(f.st.write_rows, 12000); /* both sinks */
    CHECK_STR(f.st.status, "FINISHED");
    done(&f);
}

TEST(job_sink_failure_stops_the_readers)
{
    fixture f;
    REQUIRE_INT(
        build(&f, "env { job.mode = BATCH, parallelism = 4 }\n"
                  "source { FakeSource { row.num = 100000, schema = { fields { s = string } } } }\n"
                  "sink { Assert { parallelism = 2, rules { field_rules = [ { field_name = s, field_type = string,\n"
                  "  field_value = [ { rule_type = MAX_LENGTH, rule_value = 0 } ] } ] } } }\n"),
        0);
    cv_run_opts o = {.batch_rows = 16, .queue_batches = 1};
    CHECK_INT(run(&f, &o), CV_EASSERT);
    CHECK_CONTAINS(f.err.msg, "MAX_LENGTH");
    CHECK_STR(f.st.status, "FAILED");
    CHECK(f.st.read_rows < 400000); /* the readers stopped early */
    done(&f);
}

typedef struct {
    fixture *f;
    int rc;
} runner;

static void *run_thread(void *arg)
{
    runner *r = arg;
    r->rc = run(r->f, NULL);
    return NULL;
}

TEST(job_cancel_from_another_thread)
{
    fixture f;
    REQUIRE_INT(build(&f, "env { job.mode = STREAMING, parallelism = 3 }\n"
                          "source { FakeSource { row.num = 1000000000, split.read-interval = 1, schema = { fields { id "
                          "= bigint } } } }\n"
                          "sink { Console { parallelism = 2, log.print.data = false } }\n"),
                0);
    runner r = {&f, 1};
    pthread_t th;
    REQUIRE_INT(pthread_create(&th, NULL, run_thread, &r), 0);
    cv_sleep_ms(200);
    int64_t t0 = cv_mono_ns();
    cv_job_cancel(&f.plan);
    pthread_join(th, NULL);
    CHECK(cv_mono_ns() - t0 < 5000000000LL);
    CHECK_INT(r.rc, CV_ECANCELLED);
    CHECK_STR(f.st.status, "CANCELED");
    done(&f);
}

/* Every allocation of building and running a two-sink job fails in turn:
 * each run ends with "out of memory" recorded, or succeeds; ASan watches
 * for leaks and bad frees. */
TEST(job_torture_two_sinks)
{
    static const char text[] =
        "env { job.mode = BATCH, parallelism = 2 }\n"
        "source { FakeSource { plugin_output = f, row.num = 20, schema = { fields { id = bigint, s = string } } } }\n"
        "sink { TemplateSink { plugin_input = f }\n"
        "       Assert { plugin_input = f, rules { row_rules = [ { rule_type = MIN_ROW, rule_value = 40 } ] } } }\n";
    fixture f;
    REQUIRE_INT(build(&f, text), 0);
    REQUIRE_INT(run(&f, NULL), 0);
    done(&f);
    int failures = 0;
    for (uint64_t n = 1;; n++) {
        cv_alloc_fail_after(n);
        if (build(&f, text) == 0) run(&f, NULL);
        done(&f);
        uint64_t made = cv_alloc_fail_after(0);
        if (made < n) {
            CHECK_INT(f.rc, 0);
            break;
        }
        unit_context("allocation %llu: %s", (unsigned long long)n, f.err.msg);
        if (!CHECK(f.rc == 0 || (f.rc == CV_ENOMEM && f.err.code == CV_ENOMEM))) break;
        failures += f.rc == CV_ENOMEM;
    }
    unit_context_clear();
    CHECK(failures > 10);
}
