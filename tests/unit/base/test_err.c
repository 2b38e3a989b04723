/* test_err.c — error values: names and messages for every code, the first
 * error winning, positions copied with their source line. */
#include "base/base.h"
#include "unit.h"

#include <string.h>

TEST(err_names_and_messages)
{
    CHECK_STR(cv_strerror(0), "success");
    CHECK_STR(cv_errname(0), "OK");
    CHECK_STR(cv_strerror(CV_ENOMEM), "out of memory");
    CHECK_STR(cv_errname(CV_ENOMEM), "ENOMEM");
    CHECK_STR(cv_errname(CV_EINTERNAL), "EINTERNAL");
    CHECK_STR(cv_strerror(CV_ESYNTAX), "syntax error");
    CHECK_STR(cv_strerror(-1), "unknown error");
    CHECK_STR(cv_errname(-1), "EUNKNOWN");
    CHECK_STR(cv_errname(5), "EUNKNOWN");
    CHECK_STR(cv_errname(CV__ERR_FIRST), "EUNKNOWN");
    CHECK_STR(cv_errname(CV_EINTERNAL + 1), "EUNKNOWN");
    /* every code has a distinct name starting with E */
    for (int c = CV_ENOMEM; c <= CV_EINTERNAL; c++) {
        CHECK(cv_errname(c)[0] == 'E');
        CHECK(strcmp(cv_strerror(c), "unknown error") != 0);
        for (int d = c + 1; d <= CV_EINTERNAL; d++) CHECK(strcmp(cv_errname(c), cv_errname(d)) != 0);
    }
}

TEST(err_first_error_wins)
{
    cv_err e;
    cv_err_clear(&e);
    CHECK_INT(e.code, 0);
    CHECK_INT(cv_err_set(&e, CV_EIO, "first %d", 1), CV_EIO);
    CHECK_INT(cv_err_set(&e, CV_ECONFIG, "second"), CV_ECONFIG); /* returns its code… */
    CHECK_INT(e.code, CV_EIO);                                   /* …but records nothing */
    CHECK_STR(e.msg, "first 1");
    cv_pos p = {"f.conf", "x", 1, 1};
    cv_err_at(&e, CV_ESYNTAX, &p, "third");
    CHECK_STR(e.msg, "first 1");
    CHECK_INT(e.line, 0);
    cv_err_clear(&e);
    CHECK_INT(e.code, 0);
    CHECK_STR(e.msg, "");
    /* NULL err is allowed */
    CHECK_INT(cv_err_set(NULL, CV_EIO, "x"), CV_EIO);
    CHECK_INT(cv_err_at(NULL, CV_EIO, &p, "x"), CV_EIO);
    cv_err_where(NULL, "x");
    cv_err_locate(NULL, &p);
}

TEST(err_code_zero_becomes_internal)
{
    cv_err e;
    cv_err_clear(&e);
    cv_err_set(&e, 0, "oops");
    CHECK_INT(e.code, CV_EINTERNAL);
}

TEST(err_message_is_bounded)
{
    cv_err e;
    cv_err_clear(&e);
    char big[4000];
    memset(big, 'm', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cv_err_set(&e, CV_EDATA, "%s", big);
    CHECK_UINT(strlen(e.msg), CV_ERR_MSG_MAX - 1);
}

TEST(err_at_copies_position_and_line)
{
    cv_err e;
    cv_err_clear(&e);
    char file[] = "job.conf";
    char text[] = "env {\n  parallelism = x\r\n}\n";
    cv_pos p = {file, text, 2, 17};
    cv_err_at(&e, CV_ECONFIG, &p, "bad %s", "value");
    /* the error outlives the config: scribble over the originals */
    memset(file, 0, sizeof file);
    memset(text, 0, sizeof text);
    CHECK_INT(e.code, CV_ECONFIG);
    CHECK_STR(e.msg, "bad value");
    CHECK_STR(e.file, "job.conf");
    CHECK_UINT(e.line, 2);
    CHECK_UINT(e.col, 17);
    CHECK_STR(e.srcline, "  parallelism = x"); /* without \r\n */
}

TEST(err_locate_edge_cases)
{
    cv_err e;
    cv_err_clear(&e);
    cv_err_set(&e, CV_ECONFIG, "m");
    cv_pos none = {0};
    cv_err_locate(&e, &none); /* line 0: unknown, ignored */
    CHECK_UINT(e.line, 0);
    cv_pos nofile = {NULL, NULL, 3, 4};
    cv_err_locate(&e, &nofile);
    CHECK_UINT(e.line, 3);
    CHECK_STR(e.file, "");
    CHECK_STR(e.srcline, "");
    cv_pos other = {"b", "x\ny\nz", 2, 1};
    cv_err_locate(&e, &other); /* already located: kept */
    CHECK_UINT(e.line, 3);

    /* a line past the end of the text leaves the source line empty */
    cv_err_clear(&e);
    cv_err_set(&e, CV_ECONFIG, "m");
    cv_pos past = {"f", "one\ntwo", 9, 1};
    cv_err_locate(&e, &past);
    CHECK_UINT(e.line, 9);
    CHECK_STR(e.srcline, "");

    /* the last line without a newline; a very long line is cut */
    cv_err_clear(&e);
    cv_err_set(&e, CV_ECONFIG, "m");
    cv_pos last = {"f", "one\ntwo", 2, 1};
    cv_err_locate(&e, &last);
    CHECK_STR(e.srcline, "two");
    char longline[1000];
    memset(longline, 'L', sizeof longline - 1);
    longline[sizeof longline - 1] = '\0';
    cv_err_clear(&e);
    cv_err_set(&e, CV_ECONFIG, "m");
    cv_pos lp = {"f", longline, 1, 1};
    cv_err_locate(&e, &lp);
    CHECK_UINT(strlen(e.srcline), 160 + 3); /* a window and "…" */
    CHECK_UINT(e.srccol, 1);
    /* far into a long line: the window follows the column */
    longline[700] = 'X';
    cv_err_clear(&e);
    cv_err_set(&e, CV_ECONFIG, "m");
    cv_pos far = {"f", longline, 1, 701};
    cv_err_locate(&e, &far);
    CHECK(strncmp(e.srcline, "\xe2\x80\xa6", 3) == 0);
    CHECK(e.srccol > 3 && e.srccol < strlen(e.srcline));
    CHECK_INT(e.srcline[e.srccol - 1], 'X');
    CHECK_UINT(e.col, 701); /* the position itself is the file's */

    char longname[600];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    cv_err_clear(&e);
    cv_pos ln = {longname, "x", 1, 1};
    cv_err_at(&e, CV_EIO, &ln, "m");
    CHECK_UINT(strlen(e.file), sizeof e.file - 1);
}

TEST(err_where_and_move)
{
    cv_err e;
    cv_err_clear(&e);
    cv_err_set(&e, CV_EPLUGIN, "boom");
    cv_err_where(&e, "sink %s (#%d)", "Console", 1);
    cv_err_where(&e, "outer");
    CHECK_STR(e.where, "sink Console (#1)");

    cv_err d;
    cv_err_clear(&d);
    cv_err_move(&d, &e);
    CHECK_INT(d.code, CV_EPLUGIN);
    CHECK_STR(d.msg, "boom");
    CHECK_STR(d.where, "sink Console (#1)");
    cv_err other;
    cv_err_clear(&other);
    cv_err_set(&other, CV_EIO, "later");
    cv_err_move(&d, &other); /* d already holds an error */
    CHECK_STR(d.msg, "boom");
    cv_err empty;
    cv_err_clear(&empty);
    cv_err_clear(&d);
    cv_err_move(&d, &empty); /* nothing to move */
    CHECK_INT(d.code, 0);
    cv_err_move(&d, NULL);
    cv_err_move(NULL, &e);
}

static int fails(int code) { return code; }
static int tries(int code, int *reached)
{
    CV_TRY(fails(code));
    *reached = 1;
    return 7;
}

TEST(err_try_macro)
{
    int reached = 0;
    CHECK_INT(tries(CV_EIO, &reached), CV_EIO);
    CHECK_INT(reached, 0);
    CHECK_INT(tries(0, &reached), 7);
    CHECK_INT(reached, 1);
    CHECK_INT(tries(5, &reached), 7); /* positive values are not errors */
}
