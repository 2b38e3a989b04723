/*
 * cli — the `culvert` command: argument parsing, subcommands, error and
 * summary rendering, the progress line. The only layer that writes to
 * stdout; it owns exit codes: 0 success, 1 the job failed, 2 bad config
 * or usage.
 */
#ifndef CV_CLI_H
#define CV_CLI_H

#include "../engine/engine.h"

#include <stdio.h>

enum { CV_EXIT_OK = 0, CV_EXIT_JOB = 1, CV_EXIT_USAGE = 2 };

typedef struct cv_cli {
    const char *config; /* -c FILE (or positional) */
    CV_VEC(const char *) var_names;
    CV_VEC(const char *) var_values;
    const char *job_name; /* -n */
    const char *master;   /* -m */
    bool json;
    bool markdown;          /* connectors --markdown */
    bool check;             /* --check (wrapper) */
    int progress;           /* -1 auto, 0 off, 1 on */
    cv_map props;           /* -Dkey=value */
    CV_VEC(char *) owned;   /* strings to free */
    const char *positional; /* connectors NAME */
} cv_cli;

int cv_cli_parse(cv_cli *c, int argc, char **argv, int first, cv_err *err);
void cv_cli_free(cv_cli *c);

int cv_cmd_run(cv_cli *c);
int cv_cmd_check(cv_cli *c, bool plan_picture);
int cv_cmd_connectors(cv_cli *c);

/* file:line:col: error: message, the source line and a caret (stderr). */
void cv_report_error(const cv_err *e);
void cv_report_error_json(const cv_err *e, cv_buf *out);
void cv_report_summary(const cv_job_stats *st, FILE *f);
void cv_report_summary_json(const cv_job_stats *st, const cv_err *e, cv_buf *out);
int cv_exit_code_for(int rc);

/* Progress line on stderr, for terminals. */
void cv_progress_start(bool enabled);
void cv_progress_tick(const cv_job_stats *s, void *user);
void cv_progress_stop(void);

#endif
