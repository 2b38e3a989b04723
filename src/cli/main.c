/* main.c — entry point: picks the subcommand. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "culvert — runs Apache SeaTunnel job files, natively\n"
               "\n"
               "usage:\n"
               "  culvert run -c FILE [-i name=value]... [-n NAME] [-m local] [-Dkey=value]... [--json]\n"
               "  culvert check FILE [-i name=value]... [--json]     parse, plan and validate; move no data\n"
               "  culvert plan FILE [-i name=value]... [--json]      draw the job graph\n"
               "  culvert connectors [NAME] [--json]                 list plugins, or one plugin's options\n"
               "  culvert version\n"
               "\n"
               "flags:\n"
               "  -c, --config FILE     job file (.conf HOCON or .json)\n"
               "  -i, --variable k=v    fills ${k} in the job file (repeatable; k1=a,k2=b works too)\n"
               "  -n, --name NAME       job name (overrides env.job.name)\n"
               "  -m, --master MODE     local (cluster is accepted and also runs in-process)\n"
               "  -Dkey=value           a property passed to plugins and event handlers\n"
               "  --json                machine-readable output on stdout\n"
               "  --lenient             unknown options are warnings, not errors (SeaTunnel ignores them)\n"
               "  --progress / --no-progress   live progress line (default: on a terminal)\n"
               "  -q, --quiet / -v, --verbose  log level\n"
               "\n"
               "exit codes: 0 success, 1 the job failed, 2 bad job file or usage\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CV_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return CV_EXIT_OK;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("culvert %s\n", CV_VERSION);
        return CV_EXIT_OK;
    }
    int first = 2;
    enum { RUN, CHECK, PLAN, CONNECTORS } which;
    if (!strcmp(cmd, "run"))
        which = RUN;
    else if (!strcmp(cmd, "check"))
        which = CHECK;
    else if (!strcmp(cmd, "plan"))
        which = PLAN;
    else if (!strcmp(cmd, "connectors"))
        which = CONNECTORS;
    else if (cmd[0] == '-') {
        /* SeaTunnel style: culvert -c job.conf [--check] */
        which = RUN;
        first = 1;
    } else {
        fprintf(stderr, "error: unknown command \"%s\" (see culvert --help)\n", cmd);
        return CV_EXIT_USAGE;
    }
    cv_cli c;
    cv_err err;
    cv_err_clear(&err);
    if (cv_cli_parse(&c, argc, argv, first, &err) < 0) {
        fprintf(stderr, "error: %s\n", err.msg);
        cv_cli_free(&c);
        return CV_EXIT_USAGE;
    }
    int rc;
    if (which == RUN && c.check) which = CHECK;
    switch (which) {
    case RUN: rc = cv_cmd_run(&c); break;
    case CHECK: rc = cv_cmd_check(&c, false); break;
    case PLAN: rc = cv_cmd_check(&c, true); break;
    default: rc = cv_cmd_connectors(&c); break;
    }
    cv_cli_free(&c);
    return rc;
}
