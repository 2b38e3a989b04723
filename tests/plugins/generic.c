/* generic.c — the check every plugin passes, whatever it does:
 *  1. its option table is sound (unique keys, defaults that convert, enum
 *     values, a doc line for every option);
 *  2. its example config is valid, and adding an unknown option is
 *     rejected with "did you mean" context and the list of valid options;
 *  3. lifecycle: a job using it runs to completion, and runs again with
 *     allocation failures injected at many points: each run either succeeds
 *     or fails with CV_ENOMEM and "out of memory" recorded in the error
 *     (ASan/LSan watch for leaks and bad frees); in every run, the order of
 *     the engine's calls into the plugin is recorded and checked against
 *     the contract (lifecycle.c: open first, close last and once, nothing
 *     on an object that is not open, prepare before commit, …);
 *  4. drain on stop: in STREAMING mode a job using it stops promptly and
 *     cleanly when cancelled, with its calls in order too.
 * Sources are paired with TemplateSink; transforms and sinks are fed by a
 * FakeSource whose schema covers the columns their examples name. */
#include "engine/engine.h"
#include "lifecycle.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static int failures, checks;
static int shown; /* failures printed for the current plugin: the first few tell */

#define EXPECT(cond, ...)                                                   \
    do {                                                                    \
        checks++;                                                           \
        if (!(cond)) {                                                      \
            failures++;                                                     \
            if (shown++ < 6) {                                              \
                fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);        \
                fprintf(stderr, __VA_ARGS__);                               \
                fputc('\n', stderr);                                        \
            } else if (shown == 7) {                                        \
                fprintf(stderr, "(more failures of this plugin hidden)\n"); \
            }                                                               \
        }                                                                   \
    } while (0)

static const char *feeder =
    "  FakeSource { plugin_output = in, row.num = 50, seed = 7,\n"
    "    schema = { fields { id = bigint, name = string, age = int, c_string = string, c_int = int,\n"
    "                        card = int, score = double, kind = string } } }\n";

static void job_text(const cv_plugin *p, const char *extra, bool streaming, cv_buf *b)
{
    cv_buf_printf(b, "env { parallelism = 2, job.mode = %s }\n", streaming ? "STREAMING" : "BATCH");
    const char *body = p->example ? p->example : "";
    switch (p->kind) {
    case CV_PLUGIN_SOURCE:
        cv_buf_printf(b, "source {\n  %s {\n%s%s  }\n}\nsink { TemplateSink {} }\n", p->name, body, extra);
        break;
    case CV_PLUGIN_TRANSFORM:
        cv_buf_printf(b,
                      "source {\n%s}\ntransform {\n  %s {\n    plugin_input = in\n%s%s  }\n}\n"
                      "sink { TemplateSink {} }\n",
                      feeder, p->name, body, extra);
        break;
    case CV_PLUGIN_SINK:
        cv_buf_printf(b, "source {\n%s}\nsink {\n  %s {\n    plugin_input = in\n%s%s  }\n}\n", feeder, p->name, body,
                      extra);
        break;
    }
}

typedef struct {
    cv_doc doc;
    cv_plan plan;
    cv_err err;
    int rc;
} job;

static int build(job *j, const cv_plugin *p, const char *extra, bool streaming)
{
    memset(j, 0, sizeof *j);
    cv_err_clear(&j->err);
    cv_buf text;
    cv_buf_init(&text);
    job_text(p, extra, streaming, &text);
    cv_plan_opts po = {0};
    int rc = text.oom ? cv_err_set(&j->err, CV_ENOMEM, "out of memory")
                      : cv_config_parse(&j->doc, "generic.conf", text.data, text.len, NULL, &j->err);
    if (rc == 0) rc = cv_plan_build(&j->plan, &j->doc, &po, &j->err);
    cv_buf_free(&text);
    return j->rc = rc;
}

static void done(job *j)
{
    cv_plan_close(&j->plan);
    cv_doc_free(&j->doc);
}

static void check_options(const cv_plugin *p)
{
    for (const cv_option *o = p->options; o && o->key; o++) {
        EXPECT(o->doc && o->doc[0], "%s: option %s has no doc line", p->name, o->key);
        EXPECT(o->type != CV_OPT_ENUM || (o->enums && o->enums[0]), "%s: enum option %s has no values", p->name,
               o->key);
        for (const cv_option *q = p->options; q != o; q++)
            EXPECT(strcmp(q->key, o->key) != 0, "%s: option %s is listed twice", p->name, o->key);
        if (o->def && o->offset == CV_NO_FIELD) continue;
        if (o->def) {
            char scratch[64] = {0};
            cv_arena a;
            cv_arena_init(&a, 0);
            cv_err err;
            cv_err_clear(&err);
            cv_node n = {.kind = CV_NODE_STRING, .text = o->def, .len = strlen(o->def)};
            EXPECT(cv_option_convert(&a, o, &n, scratch, &err) == 0, "%s: default \"%s\" of %s does not convert: %s",
                   p->name, o->def, o->key, err.msg);
            cv_arena_free(&a);
        }
    }
    EXPECT(p->abi == CV_PLUGIN_ABI, "%s: ABI %d", p->name, p->abi);
    EXPECT(p->summary && p->summary[0], "%s: no summary", p->name);
    EXPECT(p->example != NULL, "%s: no example", p->name);
}

static void check_unknown_option(const cv_plugin *p)
{
    job j;
    int rc = build(&j, p, "    culvert_no_such_option = 1\n", false);
    EXPECT(rc == CV_ECONFIG, "%s: an unknown option gave %s, not ECONFIG", p->name, cv_errname(rc));
    EXPECT(strstr(j.err.msg, "unknown option \"culvert_no_such_option\"") && strstr(j.err.msg, "valid options:"),
           "%s: unknown option message: %s", p->name, j.err.msg);
    EXPECT(j.err.line > 0, "%s: unknown option error has no position", p->name);
    done(&j);
}

static uint64_t last_allocs;

/* The recorded calls of the last run are in order; EXPECT otherwise. */
static void check_order(const cv_plugin *p, const char *when, bool ran, int rc, bool batch)
{
    char why[2048];
    lc_run run = {ran, rc, batch};
    int n = lc_check(&run, why, sizeof why);
    EXPECT(n == 0, "%s: %d lifecycle violation%s %s (job: %s):\n%s", p->name, n, n == 1 ? "" : "s", when,
           cv_errname(rc), why);
}

static int run_once(const cv_plugin *p, uint64_t fail_at, cv_err *err)
{
    job j;
    bool ran = false;
    lc_watch(p);
    cv_alloc_fail_after(fail_at);
    int rc = build(&j, p, "", false);
    if (rc == 0) {
        cv_job_stats st;
        rc = cv_job_run(&j.plan, NULL, &st, &j.err);
        cv_job_stats_free(&st);
        ran = true;
    }
    done(&j);
    last_allocs = cv_alloc_fail_after(0);
    lc_unwatch();
    char when[64];
    snprintf(when, sizeof when, fail_at ? "with allocation %llu failing" : "in a clean run",
             (unsigned long long)fail_at);
    check_order(p, when, ran, rc, true);
    *err = j.err;
    return rc;
}

static void check_lifecycle(const cv_plugin *p)
{
    cv_err err;
    int rc = run_once(p, 0, &err);
    EXPECT(rc == 0, "%s: the example job failed: %s", p->name, err.msg);
    /* how many allocations a clean run makes, then fail at spread points */
    uint64_t total = last_allocs;
    uint64_t step = total / 200 + 1; /* every allocation, for today's examples */
    int failed_runs = 0;
    for (uint64_t n = 1; n <= total; n += step) {
        int r = run_once(p, n, &err);
        /* as tests/unit/config/test_torture.c demands: out of memory is
         * reported as such, with the error recorded, or the job succeeds
         * (an allocation it could do without) */
        EXPECT(r == 0 || (r == CV_ENOMEM && err.code == r && strstr(err.msg, "out of memory")),
               "%s: with allocation %llu failing: %s (code %s): %s", p->name, (unsigned long long)n, cv_errname(r),
               cv_errname(err.code), err.msg);
        failed_runs += r < 0;
    }
    EXPECT(failed_runs > 0, "%s: injected allocation failures never surfaced", p->name);
}

typedef struct {
    cv_plan *plan;
    int rc;
} runner;

static void *run_thread(void *arg)
{
    runner *r = arg;
    cv_job_stats st;
    cv_err err;
    cv_err_clear(&err);
    r->rc = cv_job_run(r->plan, NULL, &st, &err);
    cv_job_stats_free(&st);
    return NULL;
}

static void check_drain(const cv_plugin *p)
{
    if (!(p->caps & CV_CAP_STREAMING)) return;
    job j;
    lc_watch(p);
    if (build(&j, p, "", true) != 0) {
        EXPECT(0, "%s: streaming job does not build: %s", p->name, j.err.msg);
        done(&j);
        lc_unwatch();
        return;
    }
    runner r = {&j.plan, 1};
    pthread_t th;
    pthread_create(&th, NULL, run_thread, &r);
    cv_sleep_ms(300);
    int64_t t0 = cv_mono_ns();
    cv_job_cancel(&j.plan);
    pthread_join(th, NULL);
    double secs = (double)(cv_mono_ns() - t0) / 1e9;
    /* a streaming job whose source ends on its own may finish first */
    EXPECT(r.rc == CV_ECANCELLED || r.rc == 0, "%s: cancel returned %s", p->name, cv_errname(r.rc));
    EXPECT(secs < 5.0, "%s: took %.1f s to stop after cancel", p->name, secs);
    done(&j);
    lc_unwatch();
    check_order(p, "when cancelled", true, r.rc, false);
}

int main(int argc, char **argv)
{
    cv_log_set_level(CV_LOG_ERROR);
    size_t n;
    const cv_plugin *const *all = cv_plugin_all(&n);
    int tested = 0;
    for (size_t i = 0; i < n; i++) {
        const cv_plugin *p = all[i];
        if (argc > 1 && !cv_streq_nocase(argv[1], p->name)) continue;
        int before = failures;
        shown = 0;
        check_options(p);
        check_unknown_option(p);
        check_lifecycle(p);
        check_drain(p);
        printf("%-4s %s %s\n", failures == before ? "ok" : "FAIL", cv_plugin_kind_name(p->kind), p->name);
        tested++;
    }
    printf("plugins: %d checked, %d checks, %d passed, %d failed\n", tested, checks, checks - failures, failures);
    return failures ? 1 : 0;
}
