/* test_sqlite.c — the SQLite dialect through its vtable and the shared
 * connection layer: declared types → culvert types, values written and
 * read back, batches undone by their savepoint, connections shared per
 * file and job, and locks held by another connection. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static cv_arena A;
static cv_err E;
static cv_ctx CTX;
static char dir[64];

static void setup(void)
{
    cv_arena_init(&A, 0);
    cv_err_clear(&E);
    memset(&CTX, 0, sizeof CTX);
    snprintf(dir, sizeof dir, "/tmp/cv_jdbc_XXXXXX");
    REQUIRE(mkdtemp(dir) != NULL);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK_INT(system(cmd), 0);
    cv_arena_free(&A);
}

static jdbc_url url_of(const char *file)
{
    jdbc_url u;
    char *s = cv_arena_printf(&A, "jdbc:sqlite:%s%s%s", file[0] == ':' ? "" : dir, file[0] == ':' ? "" : "/", file);
    REQUIRE_INT(jdbc_url_parse(&A, s, NULL, &u, &E), 0);
    return u;
}

static jdbc_conn *connect(const jdbc_url *u, bool read_only)
{
    jdbc_connect_opts o = {.url = u, .timeout_ms = 200, .read_only = read_only, .ctx = &CTX};
    jdbc_conn *c = NULL;
    if (jdbc_sqlite.connect(&o, &c, &E) < 0) {
        unit__fail(__FILE__, __LINE__, "connect: %s", E.msg);
        unit__abort();
    }
    return c;
}

static const char *tstr(const cv_type *t)
{
    static char out[64];
    return cv_type_str(t, out, sizeof out);
}

TEST(sqlite_declared_types)
{
    setup();
    jdbc_url u = url_of(":memory:");
    jdbc_conn *c = connect(&u, false);
    REQUIRE_INT(jdbc_sqlite.exec(c,
                                 "CREATE TABLE t (a INTEGER PRIMARY KEY, b INT, c TINYINT, d SMALLINT, e BIGINT, "
                                 "f FLOAT, g DOUBLE PRECISION, h REAL, i DECIMAL(12,3), j NUMERIC, k DECIMAL_TEXT(5), "
                                 "l VARCHAR(40) NOT NULL, m TEXT, n CHAR(2), o BLOB, p BOOLEAN, q DATE, r TIME, "
                                 "s DATETIME, t2 TIMESTAMP, u TIMESTAMPTZ, v MEDIUMINT UNSIGNED, w DECIMAL(60,2), "
                                 "x SOMETHING_INTISH, y MYCHARS, z WHATEVER, z2)",
                                 &E),
                0);
    jdbc_result_col *cols;
    uint32_t n;
    REQUIRE_INT(jdbc_sqlite.describe(c, "SELECT *, 1 + 1 AS two, 'x' AS ex FROM t", &A, &cols, &n, &E), 0);
    static const char *want[] = {"bigint",    "int",       "tinyint",       "smallint",       "bigint",       "float",
                                 "double",    "double",    "decimal(12,3)", "decimal(38,18)", "decimal(5,0)", "string",
                                 "string",    "string",    "bytes",         "boolean",        "date",         "time",
                                 "timestamp", "timestamp", "timestamp_tz",  "bigint",         "string",       "bigint",
                                 "string",    "string",    "string",        "string",         "string"};
    REQUIRE_UINT(n, sizeof want / sizeof *want);
    for (uint32_t i = 0; i < n; i++) {
        unit_context("column %s", cols[i].name);
        CHECK_STR(tstr(cols[i].type), want[i]);
    }
    unit_context_clear();
    CHECK(!cols[0].nullable); /* INTEGER PRIMARY KEY is the rowid */
    CHECK(!cols[11].nullable);
    CHECK_INT(cols[11].length, 40);
    CHECK(cols[1].nullable);
    CHECK_STR(cols[0].origin_table, "t");
    CHECK_STR(cols[0].origin_db, "main");
    CHECK(cols[27].origin_table == NULL);
    /* expressions with a first row take its storage classes */
    REQUIRE_INT(jdbc_sqlite.exec(c, "INSERT INTO t (a, l) VALUES (1, 'x')", &E), 0);
    REQUIRE_INT(jdbc_sqlite.describe(c, "SELECT 1 + 1 AS i, 0.5 AS r, x'00' AS b, 'x' AS s, NULL AS z FROM t", &A,
                                     &cols, &n, &E),
                0);
    CHECK_STR(tstr(cols[0].type), "bigint");
    CHECK_STR(tstr(cols[1].type), "double");
    CHECK_STR(tstr(cols[2].type), "bytes");
    CHECK_STR(tstr(cols[3].type), "string");
    CHECK_STR(tstr(cols[4].type), "string");
    jdbc_sqlite.disconnect(c);
    teardown();
}

TEST(sqlite_write_read_round_trip)
{
    setup();
    static const char *names[] = {"id", "d", "f", "dec", "ts", "b", "s"};
    static const char *types[] = {"bigint", "double", "float", "decimal(20,4)", "timestamp", "bytes", "string"};
    cv_table *t = table_of(&A, "rt", names, types, 7);
    jdbc_url u = url_of("rt.db");
    jdbc_conn *c = connect(&u, false);
    REQUIRE_INT(jdbc_sqlite.exec(c,
                                 "CREATE TABLE rt (id BIGINT, d DOUBLE, f FLOAT, dec DECIMAL_TEXT(20,4), "
                                 "ts TIMESTAMP, b BLOB, s TEXT)",
                                 &E),
                0);
    cv_batch *in = cv_batch_new(t, 4);
    REQUIRE(in != NULL);
    const char *rows[3][7] = {
        {"1", "0.1", "1.5", "1234567890123456.1234", "2024-01-02T03:04:05.000006", "", ""},
        {"-9223372036854775808", "-2.5", "-3.4028235E38", "-0.0001", "0001-01-01T00:00", "x", "ü"},
        {NULL, NULL, NULL, NULL, NULL, NULL, NULL}};
    for (int r = 0; r < 3; r++) {
        for (int k = 0; k < 7; k++)
            if (rows[r][k])
                REQUIRE_INT(cv_value_parse(&in->cols[k], rows[r][k], strlen(rows[r][k]), &E), 0);
            else
                cv_col_append_null(&in->cols[k]);
        cv_batch_end_row(in, CV_ROW_INSERT);
    }
    uint32_t all[] = {0, 1, 2, 3, 4, 5, 6}, which[] = {0, 1, 2};
    jdbc_stmt *st;
    REQUIRE_INT(jdbc_sqlite.prepare(c, "INSERT INTO rt VALUES (?, ?, ?, ?, ?, ?, ?)", t, all, 7, &st, &E), 0);
    CHECK_INT(jdbc_sqlite.param_count(st), 7);
    REQUIRE_INT(jdbc_sqlite.exec_rows(st, in, which, 3, &E), 0);
    jdbc_sqlite.finalize(st);
    jdbc_cursor *cur;
    REQUIRE_INT(jdbc_sqlite.cursor_open(c, "SELECT * FROM rt", t, "rt_0", &cur, &E), 0);
    cv_batch *out = cv_batch_new(t, 8);
    bool done = false;
    REQUIRE_INT(jdbc_sqlite.cursor_fetch(cur, out, &done, &E), 0);
    CHECK(done);
    REQUIRE_UINT(out->nrows, 3);
    for (uint32_t r = 0; r < 3; r++)
        for (uint32_t k = 0; k < 7; k++) {
            unit_context("row %u column %s", r, names[k]);
            CHECK_INT(cv_value_compare(&in->cols[k], r, &out->cols[k], r), 0);
            CHECK_INT(cv_col_is_null(&out->cols[k], r), cv_col_is_null(&in->cols[k], r));
        }
    unit_context_clear();
    /* empty blob and empty string are values, not NULL */
    uint32_t n;
    cv_col_str(&out->cols[5], 0, &n);
    CHECK(!cv_col_is_null(&out->cols[5], 0) && n == 0);
    CHECK(!cv_col_is_null(&out->cols[6], 0));
    jdbc_sqlite.cursor_close(cur);
    cv_batch_free(in);
    cv_batch_free(out);
    jdbc_sqlite.disconnect(c);
    teardown();
}

TEST(sqlite_nan_is_refused)
{
    setup();
    static const char *names[] = {"d"};
    static const char *types[] = {"double"};
    cv_table *t = table_of(&A, "nan", names, types, 1);
    jdbc_url u = url_of(":memory:");
    jdbc_conn *c = connect(&u, false);
    REQUIRE_INT(jdbc_sqlite.exec(c, "CREATE TABLE nan (d DOUBLE)", &E), 0);
    cv_batch *b = cv_batch_new(t, 1);
    cv_col_append_f64(&b->cols[0], NAN);
    cv_batch_end_row(b, CV_ROW_INSERT);
    uint32_t col = 0, row = 0;
    jdbc_stmt *st;
    REQUIRE_INT(jdbc_sqlite.prepare(c, "INSERT INTO nan VALUES (?)", t, &col, 1, &st, &E), 0);
    CHECK_INT(jdbc_sqlite.exec_rows(st, b, &row, 1, &E), CV_EDATA);
    CHECK_CONTAINS(E.msg, "table nan, column d, row 1: NaN cannot be stored");
    jdbc_sqlite.finalize(st);
    cv_batch_free(b);
    jdbc_sqlite.disconnect(c);
    teardown();
}

/* -0 would come back as 0 from a REAL column: refused like NaN. A REAL
 * read into a FLOAT column's float, or an integer into a double, must be
 * exact: SQLite's FLOAT is a double, and a value written there by another
 * program may have no float. */
TEST(sqlite_refuses_what_it_would_change)
{
    setup();
    static const char *names[] = {"d"};
    static const char *types[] = {"double"};
    cv_table *t = table_of(&A, "nz", names, types, 1);
    jdbc_url u = url_of(":memory:");
    jdbc_conn *c = connect(&u, false);
    REQUIRE_INT(jdbc_sqlite.exec(c, "CREATE TABLE nz (d DOUBLE)", &E), 0);
    cv_batch *b = cv_batch_new(t, 1);
    cv_col_append_f64(&b->cols[0], -0.0);
    cv_batch_end_row(b, CV_ROW_INSERT);
    uint32_t col = 0, row = 0;
    jdbc_stmt *st;
    REQUIRE_INT(jdbc_sqlite.prepare(c, "INSERT INTO nz VALUES (?)", t, &col, 1, &st, &E), 0);
    CHECK_INT(jdbc_sqlite.exec_rows(st, b, &row, 1, &E), CV_EDATA);
    CHECK_CONTAINS(E.msg, "table nz, column d, row 1: -0 (negative zero) cannot be stored in SQLite");
    jdbc_sqlite.finalize(st);
    cv_batch_free(b);
    REQUIRE_INT(jdbc_sqlite.exec(c,
                                 "CREATE TABLE fl (f FLOAT, d BIGINT); INSERT INTO fl VALUES (0.5, 9007199254740992), "
                                 "(0.1, 1), (0.5, 9007199254740993)",
                                 &E),
                0);
    static const char *fn[] = {"f", "d"};
    static const char *ft[] = {"float", "double"};
    cv_table *ftab = table_of(&A, "fl", fn, ft, 2);
    static const char *queries[] = {"SELECT f, d FROM fl LIMIT 1", "SELECT f, d FROM fl LIMIT 1 OFFSET 1",
                                    "SELECT f, d FROM fl LIMIT 1 OFFSET 2"};
    static const char *why[] = {NULL, "column f, row 1: 0.10000000000000001 is not exact as a float",
                                "column d, row 1: 9007199254740993 is not exact as a double"};
    for (int k = 0; k < 3; k++) {
        unit_context("%s", queries[k]);
        jdbc_cursor *cur;
        REQUIRE_INT(jdbc_sqlite.cursor_open(c, queries[k], ftab, "0", &cur, &E), 0);
        cv_batch *out = cv_batch_new(ftab, 4);
        bool done = false;
        cv_err_clear(&E);
        int rc = jdbc_sqlite.cursor_fetch(cur, out, &done, &E);
        CHECK_INT(rc, why[k] ? CV_EDATA : 0);
        if (why[k]) CHECK_CONTAINS(E.msg, why[k]);
        jdbc_sqlite.cursor_close(cur);
        cv_batch_free(out);
    }
    unit_context_clear();
    jdbc_sqlite.disconnect(c);
    teardown();
}

TEST(sqlite_shared_connections)
{
    setup();
    cv_ctx other;
    memset(&other, 0, sizeof other);
    jdbc_url a = url_of("s.db"), mem = url_of(":memory:");
    char *rel = cv_arena_printf(&A, "jdbc:sqlite:%s/./s.db", dir);
    jdbc_url b;
    REQUIRE_INT(jdbc_url_parse(&A, rel, NULL, &b, &E), 0);
    jdbc_connect_opts oa = {.url = &a, .timeout_ms = 100, .ctx = &CTX}, ob = oa, oc = oa, om = oa, ro = oa;
    ob.url = &b;
    oc.ctx = &other;
    om.url = &mem;
    ro.read_only = true;
    jdbc_db *d1, *d2, *d3, *d4, *d5, *d6;
    REQUIRE_INT(jdbc_db_open(&oa, true, &d1, &E), 0);
    REQUIRE_INT(jdbc_db_open(&ob, true, &d2, &E), 0);
    REQUIRE_INT(jdbc_db_open(&oc, true, &d3, &E), 0);
    REQUIRE_INT(jdbc_db_open(&om, true, &d4, &E), 0);
    REQUIRE_INT(jdbc_db_open(&om, true, &d5, &E), 0);
    REQUIRE_INT(jdbc_db_open(&ro, true, &d6, &E), 0);
    CHECK(d1 == d2); /* one file, however spelled */
    CHECK(d1 != d3); /* another job */
    CHECK(d4 == d5 && d4 != d1);
    CHECK(d6 != d1); /* readers never share */
    /* what one writer does through the share, the other sees */
    jdbc_db_lock(d4);
    REQUIRE_INT(jdbc_sqlite.exec(jdbc_db_conn(d4), "CREATE TABLE m (x INT)", &E), 0);
    jdbc_db_unlock(d4);
    jdbc_db_close(d4);
    int64_t v;
    bool isnull;
    REQUIRE_INT(jdbc_sqlite.query_i64(jdbc_db_conn(d5), "SELECT count(*) FROM m", &v, &isnull, &E), 0);
    CHECK(!isnull && v == 0);
    jdbc_db_close(d5);
    jdbc_db_close(d1);
    jdbc_db_close(d2);
    jdbc_db_close(d3);
    jdbc_db_close(d6);
    jdbc_db_close(NULL);
    teardown();
}

TEST(sqlite_batches_and_locks)
{
    setup();
    jdbc_url u = url_of("l.db");
    jdbc_connect_opts o = {.url = &u, .timeout_ms = 100, .ctx = &CTX};
    jdbc_db *db;
    REQUIRE_INT(jdbc_db_open(&o, true, &db, &E), 0);
    jdbc_conn *c = jdbc_db_conn(db);
    REQUIRE_INT(jdbc_sqlite.exec(c, "CREATE TABLE l (x INT)", &E), 0);
    jdbc_db_lock(db);
    /* a batch that fails is undone; the transaction goes on */
    REQUIRE_INT(jdbc_db_batch_begin(db, &E), 0);
    REQUIRE_INT(jdbc_sqlite.exec(c, "INSERT INTO l VALUES (1)", &E), 0);
    REQUIRE_INT(jdbc_db_batch_end(db, true, &E), 0);
    REQUIRE_INT(jdbc_db_batch_begin(db, &E), 0);
    REQUIRE_INT(jdbc_sqlite.exec(c, "INSERT INTO l VALUES (2)", &E), 0);
    REQUIRE_INT(jdbc_db_batch_end(db, false, &E), 0);
    REQUIRE_INT(jdbc_db_commit(db, &E), 0);
    REQUIRE_INT(jdbc_db_commit(db, &E), 0); /* nothing open: nothing to do */
    int64_t v;
    bool isnull;
    REQUIRE_INT(jdbc_sqlite.query_i64(c, "SELECT sum(x) FROM l", &v, &isnull, &E), 0);
    CHECK_INT(v, 1);
    /* another connection's write lock: waited for, then a transient error */
    jdbc_conn *other = connect(&u, false);
    REQUIRE_INT(jdbc_sqlite.exec(other, "BEGIN IMMEDIATE", &E), 0);
    int64_t t0 = cv_mono_ns();
    CHECK_INT(jdbc_db_batch_begin(db, &E), CV_ERETRY);
    CHECK((cv_mono_ns() - t0) / 1000000 >= 90);
    CHECK_CONTAINS(E.msg, "database is locked");
    cv_err_clear(&E);
    REQUIRE_INT(jdbc_sqlite.exec(other, "ROLLBACK", &E), 0);
    REQUIRE_INT(jdbc_db_batch_begin(db, &E), 0);
    REQUIRE_INT(jdbc_db_batch_end(db, true, &E), 0);
    jdbc_db_rollback(db);
    jdbc_db_unlock(db);
    jdbc_sqlite.disconnect(other);
    jdbc_db_close(db);
    teardown();
}

TEST(sqlite_cancel_stops_waiting)
{
    setup();
    int cancelled = 1;
    CTX.cancelled = &cancelled;
    jdbc_url u = url_of("c.db");
    jdbc_connect_opts o = {.url = &u, .timeout_ms = 60000, .ctx = &CTX};
    jdbc_conn *a = NULL, *b = NULL;
    REQUIRE_INT(jdbc_sqlite.connect(&o, &a, &E), 0);
    REQUIRE_INT(jdbc_sqlite.connect(&o, &b, &E), 0);
    REQUIRE_INT(jdbc_sqlite.exec(a, "BEGIN IMMEDIATE", &E), 0);
    int64_t t0 = cv_mono_ns();
    CHECK_INT(jdbc_sqlite.exec(b, "BEGIN IMMEDIATE", &E), CV_ERETRY);
    CHECK((cv_mono_ns() - t0) / 1000000 < 1000);
    jdbc_sqlite.disconnect(a);
    jdbc_sqlite.disconnect(b);
    teardown();
}

TEST(sqlite_open_errors)
{
    setup();
    jdbc_url u = url_of("missing.db");
    jdbc_connect_opts o = {.url = &u, .timeout_ms = 100, .read_only = true, .ctx = &CTX};
    jdbc_conn *c = NULL;
    CHECK_INT(jdbc_sqlite.connect(&o, &c, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "missing.db for reading: unable to open database file");
    CHECK(access(cv_arena_printf(&A, "%s/missing.db", dir), F_OK) != 0); /* not created */
    /* not a database */
    FILE *f = fopen(cv_arena_printf(&A, "%s/junk.db", dir), "w");
    REQUIRE(f != NULL);
    fputs("this is not an SQLite database, not at all, really not", f);
    fclose(f);
    jdbc_url j = url_of("junk.db");
    o.url = &j;
    o.read_only = false;
    cv_err_clear(&E);
    CHECK_INT(jdbc_sqlite.connect(&o, &c, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "file is not a database");
    teardown();
}
