/* cmd_run.c — `culvert run` and `culvert check|plan`: load the job file
 * with variables, build the plan, then either describe it or run it. */
#include "cli.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static cv_plan *running;
static volatile sig_atomic_t interrupts;

static void on_signal(int sig)
{
    (void)sig;
    if (++interrupts > 1) _exit(130); /* a second Ctrl-C means now */
    if (running) cv_job_cancel(running);
}

static int load(cv_cli *c, cv_doc *doc, cv_err *err)
{
    /* one job file: a second one would be silently ignored */
    if (c->config && c->positional && strcmp(c->config, c->positional) != 0)
        return cv_err_set(err, CV_EINVAL, "two job files given (%s and %s); run one at a time", c->config,
                          c->positional);
    if (!c->config) c->config = c->positional;
    if (!c->config) return cv_err_set(err, CV_EINVAL, "no job file given (use -c FILE)");
    cv_vars vars = {c->var_names.v, c->var_values.v, c->var_names.n, false};
    return cv_config_load(doc, c->config, &vars, err);
}

/* Plan-time errors that point into the job file mean a bad job file (exit
 * 2) — unless they are failed assertions or I/O, which are the job's. */
static bool bad_file(const cv_err *e)
{
    switch (e->code) {
    case CV_EASSERT:
    case CV_EIO:
    case CV_ERETRY: /* a database locked or busy while the plan opened */
    case CV_ENOMEM:
    case CV_ECANCELLED:
    case CV_EINTERNAL: return false;
    default: return e->line != 0;
    }
}

static void emit_json(cv_buf *b)
{
    fwrite(b->data ? b->data : "", 1, b->len, stdout);
    fputc('\n', stdout);
    fflush(stdout);
}

int cv_cmd_check(cv_cli *c, bool picture)
{
    cv_err err;
    cv_err_clear(&err);
    cv_doc doc = {0};
    cv_plan plan;
    memset(&plan, 0, sizeof plan);
    cv_plan_opts po = {c->job_name, true, &c->props};
    int rc = load(c, &doc, &err);
    bool load_failed = rc < 0;
    if (rc == 0) rc = cv_plan_build(&plan, &doc, &po, &err);
    cv_buf out;
    cv_buf_init(&out);
    if (c->json) {
        cv_buf_printf(&out, "{\"ok\":%s,\"file\":", rc == 0 ? "true" : "false");
        cv_buf_json_str(&out, c->config ? c->config : "", c->config ? strlen(c->config) : 0);
        if (rc == 0) {
            cv_buf_puts(&out, ",\"plan\":");
            cv_plan_render_json(&plan, &out);
        } else {
            cv_buf_puts(&out, ",\"errors\":[");
            cv_report_error_json(&err, &out);
            cv_buf_putc(&out, ']');
        }
        cv_buf_putc(&out, '}');
        emit_json(&out);
    } else if (rc == 0) {
        if (picture) {
            cv_plan_render_text(&plan, &out);
            fputs(out.data ? out.data : "", stdout);
        } else {
            printf("%s: OK (%u sources, %u transforms, %u sinks)\n", c->config, plan.nsources, plan.ntransforms,
                   plan.nsinks);
        }
    } else {
        cv_report_error(&err);
    }
    cv_buf_free(&out);
    cv_plan_close(&plan);
    cv_doc_free(&doc);
    /* a failure that points into the job file is a bad job file */
    return load_failed || (rc < 0 && bad_file(&err)) ? CV_EXIT_USAGE : cv_exit_code_for(rc);
}

int cv_cmd_run(cv_cli *c)
{
    cv_err err;
    cv_err_clear(&err);
    cv_doc doc = {0};
    cv_plan plan;
    memset(&plan, 0, sizeof plan);
    cv_plan_opts po = {c->job_name, false, &c->props};
    if (c->master && strcmp(c->master, "cluster") == 0)
        cv_info("-m cluster: culvert runs the job in this process (there is no cluster to submit to)");
    int rc = load(c, &doc, &err);
    bool load_failed = rc < 0;
    if (rc == 0) rc = cv_plan_build(&plan, &doc, &po, &err);
    if (rc < 0) {
        if (c->json) {
            cv_buf out;
            cv_buf_init(&out);
            cv_job_stats st = {.status = "FAILED"};
            cv_report_summary_json(&st, &err, &out);
            emit_json(&out);
            cv_buf_free(&out);
        } else {
            cv_report_error(&err);
        }
        cv_plan_close(&plan);
        cv_doc_free(&doc);
        return load_failed || bad_file(&err) ? CV_EXIT_USAGE : cv_exit_code_for(rc);
    }
    cv_info("job \"%s\" starting (%s, %u sources, %u transforms, %u sinks)", plan.env.job_name,
            plan.env.mode == CV_MODE_BATCH ? "BATCH" : "STREAMING", plan.nsources, plan.ntransforms, plan.nsinks);
    bool progress = c->progress == 1 || (c->progress == -1 && isatty(2) && !c->json);
    cv_progress_start(progress);
    running = &plan;
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    cv_run_opts ro = {.on_tick = cv_progress_tick};
    cv_job_stats st;
    rc = cv_job_run(&plan, &ro, &st, &err);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    running = NULL;
    cv_progress_stop();
    if (c->json) {
        cv_buf out;
        cv_buf_init(&out);
        cv_report_summary_json(&st, rc < 0 ? &err : NULL, &out);
        emit_json(&out);
        cv_buf_free(&out);
    } else {
        /* a failed run shows what it did too: rows read, written (what the
         * sinks took), failed — then the cause */
        cv_report_summary(&st, stdout);
        fflush(stdout);
        if (rc < 0) cv_report_error(&err);
    }
    cv_job_stats_free(&st);
    cv_plan_close(&plan);
    cv_doc_free(&doc);
    /* configuration problems found while running are still the job's failure */
    return rc == 0 ? CV_EXIT_OK : CV_EXIT_JOB;
}
