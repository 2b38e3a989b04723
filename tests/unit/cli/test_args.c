/* test_args.c — the command line's parser: SeaTunnel's flags, -i lists,
 * -D properties, and every allocation failing in turn without a double
 * free or a leak (ASan and LSan watch), secrets from -i/-D registered. */
#include "cli/cli.h"
#include "unit.h"

#include <string.h>

static char *argv_[] = {"culvert", "run",        "-c",     "job.conf", "-i", "a=1,b=[x,y],DB_PASSWORD=Hunter2Pw",
                        "-Dk=v",   "-Dtoken=Tok3nValue", "-n", "named", "--json", NULL};
enum { ARGC = 11 };

TEST(args_parse_flags_vars_props)
{
    cv_cli c;
    cv_err e;
    cv_err_clear(&e);
    cv_secret_clear();
    REQUIRE_INT(cv_cli_parse(&c, ARGC, argv_, 2, &e), 0);
    CHECK_STR(c.config, "job.conf");
    CHECK_STR(c.job_name, "named");
    CHECK(c.json);
    REQUIRE_UINT(c.var_names.n, 3);
    CHECK_STR(c.var_names.v[1], "b");
    CHECK_STR(c.var_values.v[1], "[x,y]");
    CHECK_STR(cv_map_get(&c.props, "k"), "v");
    /* values of secret-named variables and properties are masked from now on */
    char msg[128] = "connect with Hunter2Pw / Tok3nValue";
    cv_secret_redact(msg, sizeof msg);
    CHECK_STR(msg, "connect with ****** / ******");
    cv_cli_free(&c);
    cv_secret_clear();
}

TEST(args_torture_no_double_free)
{
    int failures = 0;
    for (uint64_t n = 1;; n++) {
        cv_secret_clear(); /* so registration allocates every time */
        cv_cli c;
        cv_err e;
        cv_err_clear(&e);
        cv_alloc_fail_after(n);
        int rc = cv_cli_parse(&c, ARGC, argv_, 2, &e);
        cv_cli_free(&c);
        uint64_t made = cv_alloc_fail_after(0);
        if (made < n) {
            CHECK_INT(rc, 0);
            break;
        }
        unit_context("allocation %llu", (unsigned long long)n);
        if (!CHECK_INT(rc, CV_ENOMEM) || !CHECK_STR(e.msg, "out of memory")) break;
        failures++;
    }
    unit_context_clear();
    cv_secret_clear();
    CHECK(failures >= 10);
}
