/* test_mysql.c — the MySQL dialect against a real server
 * (CULVERT_MYSQL_URL, CULVERT_DB_USER, CULVERT_DB_PASSWORD from
 * scripts/services.sh; skipped when they are unset), through its vtable
 * and the shared connection layer: connecting and its errors, every MySQL
 * type read with NULLs and extremes, every culvert type written by
 * statements and in bulk and read back identically, values MySQL would
 * silently change, duplicate keys and savepoints, upserts and deletes, XA,
 * killed and abandoned streams, lock waits. Each test makes its own tables
 * (cvt_<pid>_…) and drops them. */
#include "helpers.h"

#include "config/config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static cv_arena A;
static cv_err E;
static cv_ctx CTX;
#ifdef CV_HAVE_MARIADB
static const jdbc_dialect *D = &jdbc_mysql;
#else
static const jdbc_dialect *D = NULL; /* every test skips */
#endif
static char P[32]; /* table name prefix */

static const char *env(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v) unit_skip("%s is not set (scripts/services.sh start DIR; . DIR/env)", name);
    return v;
}

static void setup(void)
{
    if (!D) unit_skip("culvert was built without libmariadb");
    env("CULVERT_MYSQL_URL");
    cv_arena_init(&A, 0);
    cv_err_clear(&E);
    memset(&CTX, 0, sizeof CTX);
    snprintf(P, sizeof P, "cvt_%d", (int)getpid());
}

static void teardown(void) { cv_arena_free(&A); }

static jdbc_url url_of(const char *s)
{
    jdbc_url u;
    if (jdbc_url_parse(&A, s, NULL, &u, &E) < 0) {
        unit__fail(__FILE__, __LINE__, "url %s: %s", s, E.msg);
        unit__abort();
    }
    return u;
}

/* The server's url with its path and parameters replaced: "/db?k=v". */
static const char *url_with(const char *tail)
{
    const char *u = env("CULVERT_MYSQL_URL");
    const char *slash = strchr(u + strlen("jdbc:mysql://"), '/');
    size_t n = slash ? (size_t)(slash - u) : strlen(u);
    return cv_arena_printf(&A, "%.*s%s", (int)n, u, tail);
}

static jdbc_connect_opts opts_of(const jdbc_url *u)
{
    jdbc_connect_opts o = {.url = u,
                           .user = env("CULVERT_DB_USER"),
                           .password = env("CULVERT_DB_PASSWORD"),
                           .timeout_ms = 5000,
                           .ctx = &CTX};
    return o;
}

static jdbc_conn *connect_url(const char *s)
{
    jdbc_url *u = cv_arena_zalloc(&A, sizeof *u);
    *u = url_of(s);
    jdbc_connect_opts o = opts_of(u);
    jdbc_conn *c = NULL;
    if (D->connect(&o, &c, &E) < 0) {
        unit__fail(__FILE__, __LINE__, "connect: %s", E.msg);
        unit__abort();
    }
    return c;
}

static jdbc_conn *conn(void) { return connect_url(env("CULVERT_MYSQL_URL")); }

static void run(jdbc_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void run(jdbc_conn *c, const char *fmt, ...)
{
    cv_buf b;
    cv_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    cv_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    cv_err e;
    cv_err_clear(&e);
    if (D->exec(c, b.data, &e) < 0) {
        unit__fail(__FILE__, __LINE__, "%s: %s", b.data, e.msg);
        cv_buf_free(&b);
        unit__abort();
    }
    cv_buf_free(&b);
}

static int64_t q64(jdbc_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int64_t q64(jdbc_conn *c, const char *fmt, ...)
{
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    int64_t v = 0;
    bool isnull;
    cv_err e;
    cv_err_clear(&e);
    if (D->query_i64(c, sql, &v, &isnull, &e) < 0) {
        unit__fail(__FILE__, __LINE__, "%s: %s", sql, e.msg);
        unit__abort();
    }
    return isnull ? INT64_MIN : v;
}

/* The table a query describes, as source.c builds it. */
static cv_table *described(jdbc_conn *c, const char *sql, jdbc_result_col **rc)
{
    uint32_t n;
    if (D->describe(c, sql, &A, rc, &n, &E) < 0) {
        unit__fail(__FILE__, __LINE__, "describe %s: %s", sql, E.msg);
        unit__abort();
    }
    cv_table *t = cv_arena_zalloc(&A, sizeof *t);
    cv_column *cols = cv_arena_zalloc(&A, n * sizeof *cols);
    REQUIRE(t && cols);
    for (uint32_t i = 0; i < n; i++) {
        cols[i].name = (*rc)[i].name;
        cols[i].type = (*rc)[i].type;
        cols[i].nullable = (*rc)[i].nullable;
        cols[i].length = (*rc)[i].length;
    }
    t->cols = cols;
    t->ncols = n;
    REQUIRE_INT(cv_table_set_path(&A, t, "q", false, &E), 0);
    REQUIRE_INT(cv_table_finish(&A, t, &E), 0);
    return t;
}

/* Every row of a query, or NULL with E set. */
static cv_batch *read_all(jdbc_conn *c, const char *sql, const cv_table *t)
{
    jdbc_cursor *cur;
    if (D->cursor_open(c, sql, t, "0", &cur, &E) < 0) return NULL;
    cv_batch *b = cv_batch_new(t, 1 << 16);
    REQUIRE(b != NULL);
    b->byte_limit = SIZE_MAX;
    bool done = false;
    int rc = 0;
    while (rc == 0 && !done) rc = D->cursor_fetch(cur, b, &done, &E);
    D->cursor_close(cur);
    if (rc < 0) {
        cv_batch_free(b);
        return NULL;
    }
    return b;
}

static cv_batch *query(jdbc_conn *c, const char *sql, cv_table **t)
{
    jdbc_result_col *rc;
    *t = described(c, sql, &rc);
    cv_batch *b = read_all(c, sql, *t);
    if (!b) {
        unit__fail(__FILE__, __LINE__, "%s: %s", sql, E.msg);
        unit__abort();
    }
    return b;
}

/* A value as text: NULL, x'hex' for bytes, else the plain text form. */
static const char *val(const cv_batch *b, uint32_t col, uint32_t row)
{
    static char ring[8][512];
    static int k;
    char *out = ring[k++ & 7];
    const cv_col *c = &b->cols[col];
    if (cv_col_is_null(c, row)) return "NULL";
    cv_buf t;
    cv_buf_init(&t);
    if (c->type->id == CV_T_BYTES) {
        uint32_t n;
        const char *p = cv_col_str(c, row, &n);
        cv_buf_puts(&t, "x'");
        for (uint32_t i = 0; i < n; i++) cv_buf_printf(&t, "%02x", (unsigned char)p[i]);
        cv_buf_putc(&t, '\'');
    } else {
        cv_value_format(c, row, CV_FMT_TEXT, &t);
    }
    snprintf(out, 512, "%s", t.data ? t.data : "");
    cv_buf_free(&t);
    return out;
}

static const char *tstr(const cv_type *t)
{
    static char ring[4][64];
    static int k;
    return cv_type_str(t, ring[k++ & 3], 64);
}

/* ---- connecting -------------------------------------------------------------------- */

TEST(mysql_connect_errors)
{
    setup();
    jdbc_conn *c = NULL;
    /* a wrong password: the server's message, never the password */
    jdbc_url u = url_of(env("CULVERT_MYSQL_URL"));
    jdbc_connect_opts o = opts_of(&u);
    o.password = "not-the-password-42";
    CHECK_INT(D->connect(&o, &c, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "MySQL: cannot connect to 127.0.0.1:");
    CHECK_CONTAINS(E.msg, "/culvert as culvert: Access denied for user 'culvert'");
    CHECK_CONTAINS(E.msg, "(errno 1045)");
    CHECK(strstr(E.msg, "not-the-password-42") == NULL);
    /* the options win over url parameters */
    cv_err_clear(&E);
    jdbc_url up = url_of(cv_arena_printf(&A, "%s?user=nobody&password=wrong", env("CULVERT_MYSQL_URL")));
    o = opts_of(&up);
    REQUIRE_INT(D->connect(&o, &c, &E), 0);
    D->disconnect(c);
    /* nothing listens on the port */
    cv_err_clear(&E);
    jdbc_url closed = url_of("jdbc:mysql://127.0.0.1:1/culvert");
    o = opts_of(&closed);
    CHECK_INT(D->connect(&o, &c, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "MySQL: cannot connect to 127.0.0.1:1/culvert as culvert: ");
    CHECK_CONTAINS(E.msg, "(errno 2002)");
    /* a database that does not exist */
    cv_err_clear(&E);
    jdbc_url nodb = url_of(url_with("/no_such_db_here"));
    o = opts_of(&nodb);
    CHECK_INT(D->connect(&o, &c, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "Unknown database 'no_such_db_here' (errno 1049)");
    /* TLS required by a server without it */
    cv_err_clear(&E);
    jdbc_url tls = url_of(url_with("/culvert?sslMode=REQUIRED"));
    o = opts_of(&tls);
    CHECK_INT(D->connect(&o, &c, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "MySQL: cannot connect to");
    /* parameters with wrong values are config errors */
    cv_err_clear(&E);
    jdbc_url bad = url_of(url_with("/culvert?useSSL=maybe"));
    o = opts_of(&bad);
    CHECK_INT(D->connect(&o, &c, &E), CV_ECONFIG);
    CHECK_CONTAINS(E.msg, "useSSL must be true or false, not \"maybe\"");
    cv_err_clear(&E);
    jdbc_url bulk = url_of(url_with("/culvert?culvert.bulk=copy"));
    o = opts_of(&bulk);
    CHECK_INT(D->connect(&o, &c, &E), CV_ECONFIG);
    CHECK_CONTAINS(E.msg, "culvert.bulk: \"copy\" is not load_data or insert");
    teardown();
}

TEST(mysql_connect_params_and_properties)
{
    setup();
    /* JDBC-only parameters are ignored; sessionVariables are set */
    jdbc_conn *c = connect_url(url_with("/culvert?useUnicode=true&characterEncoding=UTF-8&serverTimezone=Asia/Shanghai"
                                        "&rewriteBatchedStatements=true&cachePrepStmts=true&useSSL=false"
                                        "&sessionVariables=sql_select_limit=7,group_concat_max_len=4096"));
    CHECK_INT(q64(c, "SELECT @@session.sql_select_limit"), 7);
    CHECK_INT(q64(c, "SELECT @@session.group_concat_max_len"), 4096);
    /* every session: UTC, strict, utf8mb4 */
    CHECK_INT(q64(c, "SELECT @@session.time_zone = '+00:00'"), 1);
    CHECK_INT(q64(c, "SELECT FIND_IN_SET('STRICT_ALL_TABLES', @@session.sql_mode) > 0"), 1);
    CHECK_INT(q64(c, "SELECT FIND_IN_SET('NO_AUTO_VALUE_ON_ZERO', @@session.sql_mode) > 0"), 1);
    CHECK_INT(q64(c, "SELECT @@character_set_connection = 'utf8mb4'"), 1);
    CHECK_INT(q64(c, "SELECT @@session.net_write_timeout"), 86400);
    CHECK_INT(q64(c, "SELECT @@session.innodb_lock_wait_timeout"), 5);
    D->disconnect(c);
    /* properties: parameters, else session variables */
    cv_doc doc;
    const char *text = "p { sql_select_limit = 3, tinyInt1isBit = false, wait_timeout = \"1234\" }";
    REQUIRE_INT(cv_config_parse(&doc, "t", text, strlen(text), NULL, &E), 0);
    jdbc_url u = url_of(env("CULVERT_MYSQL_URL"));
    jdbc_connect_opts o = opts_of(&u);
    o.properties = cv_node_get(doc.root, "p");
    REQUIRE(o.properties != NULL);
    REQUIRE_INT(D->connect(&o, &c, &E), 0);
    CHECK_INT(q64(c, "SELECT @@session.sql_select_limit"), 3);
    CHECK_INT(q64(c, "SELECT @@session.wait_timeout"), 1234);
    jdbc_result_col *rc;
    run(c, "CREATE TABLE %s_p (b TINYINT(1))", P);
    described(c, cv_arena_printf(&A, "SELECT * FROM %s_p", P), &rc);
    CHECK_STR(tstr(rc[0].type), "tinyint"); /* tinyInt1isBit = false */
    run(c, "DROP TABLE %s_p", P);
    D->disconnect(c);
    cv_doc_free(&doc);
    /* an unknown session variable is the server's config error */
    text = "p { no_such_variable_x = 1 }";
    REQUIRE_INT(cv_config_parse(&doc, "t", text, strlen(text), NULL, &E), 0);
    o.properties = cv_node_get(doc.root, "p");
    CHECK_INT(D->connect(&o, &c, &E), CV_ECONFIG);
    CHECK_CONTAINS(E.msg, "Unknown system variable 'no_such_variable_x'");
    cv_doc_free(&doc);
    /* read-only sessions cannot write */
    cv_err_clear(&E);
    o.properties = NULL;
    o.read_only = true;
    REQUIRE_INT(D->connect(&o, &c, &E), 0);
    CHECK_INT(D->exec(c, "INSERT INTO mysql.user (Host) VALUES ('x')", &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "READ ONLY transaction (errno 1792");
    D->disconnect(c);
    teardown();
}

TEST(mysql_no_database_url)
{
    setup();
    const char *desc = D->describe_target(&(jdbc_url){.host = "127.0.0.1", .port = "3306", .database = "culvert"});
    CHECK_STR(desc, "MySQL database culvert at 127.0.0.1:3306");
    CHECK(desc == D->describe_target(&(jdbc_url){.host = "127.0.0.1", .port = "3306", .database = "culvert"}));
    CHECK_STR(D->describe_target(&(jdbc_url){.host = "h1,h2", .port = ",5"}), "MySQL server at h1:3306");
    jdbc_conn *c = connect_url(url_with("/"));
    run(c, "CREATE TABLE culvert.%s_nd (id INT PRIMARY KEY, s VARCHAR(10))", P);
    jdbc_table_keys k;
    REQUIRE_INT(D->table_keys(c, &A, "culvert", cv_arena_printf(&A, "%s_nd", P), &k, &E), 0);
    CHECK(k.exists);
    REQUIRE_UINT(k.npk, 1);
    CHECK_STR(k.pk[0], "id");
    /* no current database: nothing is found without a schema */
    REQUIRE_INT(D->table_keys(c, &A, NULL, cv_arena_printf(&A, "%s_nd", P), &k, &E), 0);
    CHECK(!k.exists);
    run(c, "INSERT INTO culvert.%s_nd VALUES (1, 'a')", P);
    CHECK_INT(q64(c, "SELECT COUNT(*) FROM culvert.%s_nd", P), 1);
    run(c, "DROP TABLE culvert.%s_nd", P);
    D->disconnect(c);
    teardown();
}

/* ---- reading ------------------------------------------------------------------------ */

TEST(mysql_describe_types)
{
    setup();
    jdbc_conn *c = conn();
    run(c,
        "CREATE TABLE %s_dt (a TINYINT(1) NOT NULL, b BOOLEAN, c TINYINT, d TINYINT UNSIGNED, e SMALLINT, "
        "f SMALLINT UNSIGNED, g MEDIUMINT, h MEDIUMINT UNSIGNED, i INT, j INT UNSIGNED, k BIGINT, l BIGINT UNSIGNED, "
        "m BIT(1), n BIT(10), o FLOAT, p DOUBLE, q DECIMAL(38,10), r DECIMAL(10,2) UNSIGNED, s DECIMAL(65,30), "
        "t CHAR(3), u VARCHAR(40), v TINYTEXT, w TEXT, x MEDIUMTEXT, y LONGTEXT, z ENUM('x','yy'), "
        "aa SET('a','b'), ab JSON, ac BINARY(4), ad VARBINARY(10), ae TINYBLOB, af BLOB, ag LONGBLOB, ah DATE, "
        "ai TIME(3), aj DATETIME(6), ak TIMESTAMP(2) NULL, al YEAR, am GEOMETRY, an CHAR(5) CHARACTER SET latin1, "
        "ao DOUBLE UNSIGNED, ap FLOAT(10,3), aq INT(8) ZEROFILL)",
        P);
    jdbc_result_col *rc;
    cv_table *t = described(c, cv_arena_printf(&A, "SELECT * FROM %s_dt", P), &rc);
    static const struct {
        const char *type;
        int64_t length;
    } want[] = {
        {"boolean", 0},
        {"boolean", 0},
        {"tinyint", 0},
        {"smallint", 0},
        {"smallint", 0},
        {"int", 0},
        {"int", 0},
        {"int", 0},
        {"int", 0},
        {"bigint", 0},
        {"bigint", 0},
        {"decimal(20,0)", 0},
        {"boolean", 0},
        {"bytes", 2},
        {"float", 0},
        {"double", 0},
        {"decimal(38,10)", 0},
        {"decimal(10,2)", 0},
        {"string", 67},
        {"string", 3},
        {"string", 40},
        {"string", 255},
        {"string", 65535},
        {"string", 16777215},
        {"string", 1073741823},
        {"string", 2},
        {"string", 3},
        {"string", 1073741823},
        {"bytes", 4},
        {"bytes", 10},
        {"bytes", 255},
        {"bytes", 65535},
        {"bytes", 4294967295},
        {"date", 0},
        {"time", 0},
        {"timestamp", 0},
        {"timestamp", 0},
        {"int", 0},
        {"bytes", 0},
        {"string", 5},
        {"double", 0},
        {"float", 0},
        {"bigint", 0}, /* ZEROFILL is UNSIGNED */
    };
    REQUIRE_UINT(t->ncols, sizeof want / sizeof *want);
    for (uint32_t i = 0; i < t->ncols; i++) {
        unit_context("column %s (%s)", rc[i].name, rc[i].decl ? rc[i].decl : "?");
        CHECK_STR(tstr(rc[i].type), want[i].type);
        CHECK_INT(rc[i].length, want[i].length);
        CHECK_STR(rc[i].origin_table, cv_arena_printf(&A, "%s_dt", P));
        CHECK_STR(rc[i].origin_db, "culvert");
    }
    unit_context_clear();
    CHECK(!rc[0].nullable);
    CHECK(rc[1].nullable);
    CHECK_STR(rc[20].decl, "VARCHAR(40)");
    CHECK_STR(rc[11].decl, "BIGINT UNSIGNED");
    CHECK_STR(rc[16].decl, "DECIMAL(38,10)");
    CHECK_STR(rc[35].decl, "DATETIME(6)");
    /* expressions: types from the server, no origin */
    t = described(c, "SELECT 1 AS i, 1.5 AS d, 'x' AS s, NOW(6) AS ts, NULL AS n, CAST(1 AS UNSIGNED) AS u", &rc);
    CHECK_STR(tstr(rc[0].type), "int");
    CHECK_STR(tstr(rc[1].type), "decimal(2,1)");
    CHECK_STR(tstr(rc[2].type), "string");
    CHECK_STR(tstr(rc[3].type), "timestamp");
    CHECK_STR(tstr(rc[4].type), "null");
    CHECK(rc[0].origin_table == NULL && rc[0].decl == NULL);
    /* statements that return nothing are not queries; nothing runs */
    jdbc_result_col *none;
    uint32_t n;
    CHECK_INT(D->describe(c, cv_arena_printf(&A, "DELETE FROM %s_dt", P), &A, &none, &n, &E), CV_ECONFIG);
    CHECK_CONTAINS(E.msg, "a source query must return rows");
    cv_err_clear(&E);
    CHECK_INT(D->describe(c, "SELECT nope FROM nowhere_at_all", &A, &none, &n, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "doesn't exist (errno 1146, SQLSTATE 42S02)");
    run(c, "DROP TABLE %s_dt", P);
    D->disconnect(c);
    teardown();
}

TEST(mysql_read_values)
{
    setup();
    jdbc_conn *c = conn();
    run(c,
        "CREATE TABLE %s_rv (id INT PRIMARY KEY, b BOOLEAN, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, "
        "su SMALLINT UNSIGNED, mi MEDIUMINT, mu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, "
        "bu BIGINT UNSIGNED, b1 BIT(1), b10 BIT(10), f FLOAT, d DOUBLE, dm DECIMAL(38,10), du DECIMAL(5,2) UNSIGNED, "
        "dw DECIMAL(65,30), s VARCHAR(20), t TEXT, e ENUM('x','yy'), st SET('a','b'), j JSON, bin BINARY(3), "
        "vb VARBINARY(8), bl BLOB, dt DATE, tm TIME(6), dtm DATETIME(6), ts TIMESTAMP(6) NULL, y YEAR, "
        "z INT(6) ZEROFILL)",
        P);
    run(c,
        "INSERT INTO %s_rv VALUES (1, 1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, "
        "-9223372036854775808, 18446744073709551615, b'1', b'1010101010', 3.4028234663852886e38, "
        "1.7976931348623157e308, 9999999999999999999999999999.9999999999, 999.99, "
        "12345678901234567890123456789012345.123456789012345678901234567890, 'Grüße 🌍 €', '', 'yy', 'a,b', "
        "'{\"k\": [1, 2]}', X'000102', X'00FF00', X'00000000', '1000-01-01', '23:59:59.999999', "
        "'1000-01-01 00:00:00.000000', '1970-01-01 00:00:01', 1901, 42),"
        "(2, 0, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0, b'0', b'0', -1.17549435e-38, "
        "4.9e-324, -9999999999999999999999999999.9999999999, 0, -0.000000000000000000000000000001, '', NULL, 'x', "
        "'', 'null', X'000000', X'', X'', '9999-12-31', '00:00:00', '9999-12-31 23:59:59.999999', "
        "'2038-01-19 03:14:07.999999', 2155, 0),"
        "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
        "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
        P);
    cv_table *t;
    cv_batch *b = query(c, cv_arena_printf(&A, "SELECT * FROM %s_rv ORDER BY id", P), &t);
    REQUIRE_UINT(b->nrows, 3);
    static const char *want[2][33] = {
        {"1",
         "true",
         "-128",
         "255",
         "-32768",
         "65535",
         "-8388608",
         "16777215",
         "-2147483648",
         "4294967295",
         "-9223372036854775808",
         "18446744073709551615",
         "true",
         "x'02aa'",
         "3.4028235E38",
         "1.7976931348623157E308",
         "9999999999999999999999999999.9999999999",
         "999.99",
         "12345678901234567890123456789012345.123456789012345678901234567890",
         "Grüße 🌍 €",
         "",
         "yy",
         "a,b",
         "{\"k\": [1, 2]}",
         "x'000102'",
         "x'00ff00'",
         "x'00000000'",
         "1000-01-01",
         "23:59:59.999999",
         "1000-01-01 00:00:00",
         "1970-01-01 00:00:01",
         "1901",
         "42"},
        {"2",
         "false",
         "127",
         "0",
         "32767",
         "0",
         "8388607",
         "0",
         "2147483647",
         "0",
         "9223372036854775807",
         "0",
         "false",
         "x'0000'",
         "-1.1754944E-38",
         "4.9E-324",
         "-9999999999999999999999999999.9999999999",
         "0.00",
         "-0.000000000000000000000000000001",
         "",
         "NULL",
         "x",
         "",
         "null",
         "x'000000'",
         "x''",
         "x''",
         "9999-12-31",
         "00:00:00",
         "9999-12-31 23:59:59.999999",
         "2038-01-19 03:14:07.999999",
         "2155",
         "0"},
    };
    for (uint32_t r = 0; r < 2; r++)
        for (uint32_t k = 0; k < 33; k++) {
            unit_context("row %u column %s", r + 1, t->cols[k].name);
            CHECK_STR(val(b, k, r), want[r][k]);
        }
    for (uint32_t k = 1; k < 33; k++) {
        unit_context("row 3 column %s", t->cols[k].name);
        CHECK(cv_col_is_null(&b->cols[k], 2));
    }
    unit_context_clear();
    /* FLOAT is read in the binary protocol: every bit of it */
    CHECK(((float *)b->cols[14].data)[0] == 3.4028234663852886e38f);
    /* the empty string is a value, NULL is not */
    CHECK(!cv_col_is_null(&b->cols[19], 1));
    cv_batch_free(b);
    /* the same without a FLOAT column goes through the text protocol */
    b = query(c, cv_arena_printf(&A, "SELECT id, d, dm, dtm, bl, s FROM %s_rv ORDER BY id", P), &t);
    CHECK_STR(val(b, 1, 0), "1.7976931348623157E308");
    CHECK_STR(val(b, 2, 1), "-9999999999999999999999999999.9999999999");
    CHECK_STR(val(b, 3, 1), "9999-12-31 23:59:59.999999");
    CHECK_STR(val(b, 4, 0), "x'00000000'");
    CHECK_STR(val(b, 5, 0), "Grüße 🌍 €");
    cv_batch_free(b);
    run(c, "DROP TABLE %s_rv", P);
    D->disconnect(c);
    teardown();
}

TEST(mysql_read_refuses_what_does_not_fit)
{
    setup();
    jdbc_conn *c = conn();
    run(c, "SET SESSION sql_mode = ''");
    run(c, "CREATE TABLE %s_rf (id INT, t TIME, d DATE, dt DATETIME, b TINYINT(1))", P);
    run(c, "INSERT INTO %s_rf VALUES (1, '-01:00:00', NULL, NULL, NULL), (2, '25:00:00', NULL, NULL, NULL)", P);
    run(c, "INSERT INTO %s_rf VALUES (3, NULL, '0000-00-00', '0000-00-00 00:00:00', NULL), (4, NULL, NULL, NULL, 5)",
        P);
    cv_table *t;
    jdbc_result_col *rc;
    const char *sql = cv_arena_printf(&A, "SELECT t FROM %s_rf WHERE id = 1", P);
    t = described(c, sql, &rc);
    CHECK(read_all(c, sql, t) == NULL);
    CHECK_CONTAINS(E.msg, "column t, row 1: MySQL TIME -01:00:00 is not a time of day");
    cv_err_clear(&E);
    sql = cv_arena_printf(&A, "SELECT t FROM %s_rf WHERE id = 2", P);
    CHECK(read_all(c, sql, t) == NULL);
    CHECK_CONTAINS(E.msg, "MySQL TIME 25:00:00 is not a time of day");
    cv_err_clear(&E);
    /* zero dates: an error unless zeroDateTimeBehavior says otherwise */
    sql = cv_arena_printf(&A, "SELECT d, dt FROM %s_rf WHERE id = 3", P);
    t = described(c, sql, &rc);
    CHECK(read_all(c, sql, t) == NULL);
    CHECK_CONTAINS(E.msg, "0000-00-00 is not a date (MySQL's zero date; zeroDateTimeBehavior=CONVERT_TO_NULL");
    cv_err_clear(&E);
    jdbc_conn *cn = connect_url(url_with("/culvert?zeroDateTimeBehavior=CONVERT_TO_NULL"));
    cv_batch *b = read_all(cn, sql, t);
    REQUIRE(b != NULL);
    CHECK_STR(val(b, 0, 0), "NULL");
    CHECK_STR(val(b, 1, 0), "NULL");
    cv_batch_free(b);
    D->disconnect(cn);
    cn = connect_url(url_with("/culvert?zeroDateTimeBehavior=round"));
    b = read_all(cn, sql, t);
    REQUIRE(b != NULL);
    CHECK_STR(val(b, 0, 0), "0001-01-01");
    CHECK_STR(val(b, 1, 0), "0001-01-01 00:00:00");
    cv_batch_free(b);
    D->disconnect(cn);
    /* TINYINT(1) holding something else than 0 or 1 */
    sql = cv_arena_printf(&A, "SELECT b FROM %s_rf WHERE id = 4", P);
    t = described(c, sql, &rc);
    CHECK(read_all(c, sql, t) == NULL);
    CHECK_CONTAINS(E.msg, "5 is not a boolean");
    run(c, "DROP TABLE %s_rf", P);
    D->disconnect(c);
    teardown();
}

/* A FLOAT column switches the cursor to the binary protocol, where values
 * longer than their buffer are fetched again: two of them in one row must
 * both arrive intact (re-binding after the first once broke the second). */
TEST(mysql_read_long_values_binary_protocol)
{
    setup();
    jdbc_conn *c = conn();
    run(c, "CREATE TABLE %s_lv (id INT, f FLOAT, a MEDIUMTEXT, d DECIMAL(38,10), b BLOB, t TEXT)", P);
    run(c,
        "INSERT INTO %s_lv VALUES (1, 1.5, 'short', 1, 'x', 'y'), "
        "(2, 2.5, REPEAT('long ', 2000), 9999999999999999999999999999.9999999999, REPEAT('ab', 3000), "
        "REPEAT('z', 5000))",
        P);
    cv_table *t;
    cv_batch *b = query(c, cv_arena_printf(&A, "SELECT * FROM %s_lv ORDER BY id", P), &t);
    REQUIRE_UINT(b->nrows, 2);
    uint32_t n;
    const char *p = cv_col_str(&b->cols[2], 1, &n);
    CHECK_UINT(n, 10000);
    CHECK(n == 10000 && strspn(p, "long ") == 10000);
    p = cv_col_str(&b->cols[4], 1, &n);
    CHECK_UINT(n, 6000);
    CHECK(n == 6000 && strspn(p, "ab") == 6000);
    p = cv_col_str(&b->cols[5], 1, &n);
    CHECK(n == 5000 && strspn(p, "z") == 5000);
    CHECK_STR(val(b, 3, 1), "9999999999999999999999999999.9999999999");
    CHECK_STR(val(b, 2, 0), "short");
    cv_batch_free(b);
    run(c, "DROP TABLE %s_lv", P);
    D->disconnect(c);
    teardown();
}

TEST(mysql_table_keys)
{
    setup();
    jdbc_conn *c = conn();
    run(c, "CREATE TABLE %s_k (a INT, b VARCHAR(5), c INT, PRIMARY KEY (b, a))", P);
    run(c, "CREATE VIEW %s_kv AS SELECT a FROM %s_k", P, P);
    jdbc_table_keys k;
    REQUIRE_INT(D->table_keys(c, &A, NULL, cv_arena_printf(&A, "%s_k", P), &k, &E), 0);
    CHECK(k.exists);
    REQUIRE_UINT(k.npk, 2);
    CHECK_STR(k.pk[0], "b");
    CHECK_STR(k.pk[1], "a");
    REQUIRE_INT(D->table_keys(c, &A, "culvert", cv_arena_printf(&A, "%s_kv", P), &k, &E), 0);
    CHECK(k.exists && k.npk == 0);
    REQUIRE_INT(D->table_keys(c, &A, NULL, cv_arena_printf(&A, "%s_K", P), &k, &E), 0);
    CHECK(!k.exists); /* names are case-sensitive on this server (lower_case_table_names = 0) */
    REQUIRE_INT(D->table_keys(c, &A, "no_such_db", "t", &k, &E), 0);
    CHECK(!k.exists);
    run(c, "DROP VIEW %s_kv", P);
    run(c, "DROP TABLE %s_k", P);
    D->disconnect(c);
    teardown();
}

/* ---- writing ------------------------------------------------------------------------ */

/* A sink target for table `name` (created from in's types), as sink.c
 * builds one, with its generated statements. */
static jdbc_target *target_of(const cv_table *in, const char *name, const uint32_t *key, uint32_t nkey)
{
    jdbc_target *t = cv_arena_zalloc(&A, sizeof *t);
    REQUIRE(t != NULL);
    t->in = in;
    t->name = name;
    t->display = name;
    t->same_as = -1;
    cv_buf q;
    cv_buf_init(&q);
    jdbc_quote_path(D, NULL, name, &q);
    t->qualified = cv_arena_strdup(&A, q.data);
    cv_buf_free(&q);
    t->cols = cv_arena_alloc(&A, (in->ncols + 1) * sizeof *t->cols);
    t->all = cv_arena_alloc(&A, (in->ncols + 1) * sizeof *t->all);
    t->key = cv_arena_alloc(&A, (nkey + 1) * sizeof *t->key);
    t->other = cv_arena_alloc(&A, (in->ncols + 1) * sizeof *t->other);
    for (uint32_t i = 0; i < in->ncols; i++) {
        t->cols[i] = in->cols[i].name;
        t->all[i] = i;
        bool k = false;
        for (uint32_t j = 0; j < nkey; j++) k |= key[j] == i;
        if (!k) t->other[t->nother++] = i;
    }
    for (uint32_t j = 0; j < nkey; j++) t->key[t->nkey++] = key[j];
    REQUIRE_INT(jdbc_sql_build(&A, D, t, false, &E), 0);
    return t;
}

static void create(jdbc_conn *c, const jdbc_target *t)
{
    cv_buf sql;
    cv_buf_init(&sql);
    REQUIRE_INT(jdbc_sql_create_table(D, t, &sql, &E), 0);
    run(c, "DROP TABLE IF EXISTS %s", t->qualified);
    run(c, "%s", sql.data);
    cv_buf_free(&sql);
}

/* Rows from text values (NULL for SQL NULL), composites from JSON. */
static cv_batch *rows_of(const cv_table *t, const char *const *v, uint32_t nrows)
{
    cv_batch *b = cv_batch_new(t, nrows + 1);
    REQUIRE(b != NULL);
    for (uint32_t r = 0; r < nrows; r++) {
        for (uint32_t k = 0; k < t->ncols; k++) {
            const char *s = v[r * t->ncols + k];
            cv_col *col = &b->cols[k];
            if (!s) {
                cv_col_append_null(col);
                continue;
            }
            if (col->type->id == CV_T_ARRAY) { /* "1,2,3" */
                uint32_t n = 0;
                for (const char *p = s; *p; n++) {
                    size_t len = strcspn(p, ",");
                    REQUIRE_INT(cv_value_parse(&col->child[0], p, len, &E), 0);
                    p += len + (p[len] == ',');
                }
                cv_col_append_list(col, n);
                continue;
            }
            if (col->type->id == CV_T_ROW) { /* "x|y" */
                size_t len = strcspn(s, "|");
                REQUIRE_INT(cv_value_parse(&col->child[0], s, len, &E), 0);
                REQUIRE_INT(cv_value_parse(&col->child[1], s + len + 1, strlen(s + len + 1), &E), 0);
                cv_col_append_struct(col);
                continue;
            }
            if (col->type->id == CV_T_BYTES && strncmp(s, "hex:", 4) == 0) {
                char buf[512];
                size_t n = strlen(s + 4) / 2;
                for (size_t i = 0; i < n; i++) {
                    unsigned x;
                    sscanf(s + 4 + 2 * i, "%2x", &x);
                    buf[i] = (char)x;
                }
                cv_col_append_str(col, buf, n);
                continue;
            }
            if (cv_value_parse(col, s, strlen(s), &E) < 0) {
                unit__fail(__FILE__, __LINE__, "row %u column %s: %s", r, t->cols[k].name, E.msg);
                unit__abort();
            }
        }
        cv_batch_end_row(b, CV_ROW_INSERT);
    }
    REQUIRE_INT(cv_batch_check(b, &E), 0);
    return b;
}

static const char *const RT_NAMES[] = {"id", "b",   "i8", "i16", "i32", "i64", "f32", "f64", "d38", "d10",
                                       "s",  "s20", "by", "dt",  "tm",  "ts",  "tz",  "arr", "rw",  "nul"};
static const char *const RT_TYPES[] = {"int",
                                       "boolean",
                                       "tinyint",
                                       "smallint",
                                       "int",
                                       "bigint",
                                       "float",
                                       "double",
                                       "decimal(38,10)",
                                       "decimal(10,2)",
                                       "string",
                                       "string",
                                       "bytes",
                                       "date",
                                       "time",
                                       "timestamp",
                                       "timestamp_tz",
                                       "array<int>",
                                       "row<x int, y string>",
                                       "null"};
enum { RT_N = 20 };
static const char *const RT_ROWS[][RT_N] = {
    {"1",
     "true",
     "1",
     "2",
     "3",
     "4",
     "1.5",
     "0.1",
     "1.5",
     "12.30",
     "hello",
     "x",
     "hex:00",
     "2024-02-29",
     "12:34:56.789",
     "2024-02-29T12:34:56.123456",
     "2024-02-29T12:34:56.123456Z",
     "1,2,3",
     "7|seven",
     NULL},
    {"2",
     "false",
     "-128",
     "-32768",
     "-2147483648",
     "-9223372036854775808",
     "3.4028235E38",
     "1.7976931348623157E308",
     "9999999999999999999999999999.9999999999",
     "-99999999.99",
     "it's \"q\" \\ back\\slash\ttab\nline 🌍 Grüße",
     "🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍",
     "hex:000102035c0927220a0d1a5cff80e05c74f00a",
     "0000-01-01",
     "00:00:00",
     "0000-01-01T00:00:00",
     "1970-01-01T00:00:00Z",
     "",
     "-1|",
     NULL},
    {"3",
     "true",
     "127",
     "32767",
     "2147483647",
     "9223372036854775807",
     "1.4E-45",
     "4.9E-324",
     "-0.0000000001",
     "0.00",
     "",
     "",
     "",
     "9999-12-31",
     "23:59:59.999999",
     "9999-12-31T23:59:59.999999",
     "9999-12-31T23:59:59.999999Z",
     "0",
     "0|\\N",
     NULL},
    {"4",  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

/* Write RT_ROWS with `how` and read them back: every value identical
 * (composites as their JSON, timestamp_tz as its UTC wall time). */
static void round_trip(const char *url, const char *suffix, int how)
{
    jdbc_conn *c = connect_url(url);
    cv_table *in = table_of(&A, "rt", RT_NAMES, RT_TYPES, RT_N);
    in->cols[11].length = 20;
    uint32_t key = 0;
    jdbc_target *t = target_of(in, cv_arena_printf(&A, "%s_rt_%s", P, suffix), &key, 1);
    create(c, t);
    uint32_t nrows = sizeof RT_ROWS / sizeof *RT_ROWS, rows[] = {0, 1, 2, 3};
    cv_batch *b = rows_of(in, &RT_ROWS[0][0], nrows);
    if (how == 0) { /* statements */
        jdbc_stmt *st;
        REQUIRE_INT(D->prepare(c, t->insert, in, t->all, in->ncols, &st, &E), 0);
        CHECK_INT(D->param_count(st), RT_N);
        int rc = D->exec_rows(st, b, rows, nrows, &E);
        if (rc < 0) unit__fail(__FILE__, __LINE__, "exec_rows: %s", E.msg);
        D->finalize(st);
    } else { /* bulk */
        int rc = jdbc_bulk1(D, c, t, how == 1 ? JDBC_BULK_INSERT : JDBC_BULK_UPSERT, b, rows, nrows, &E);
        if (rc != 0) unit__fail(__FILE__, __LINE__, "bulk: %d %s", rc, E.msg);
    }
    cv_table *out;
    cv_batch *got = query(c, cv_arena_printf(&A, "SELECT * FROM %s ORDER BY id", t->qualified), &out);
    REQUIRE_UINT(got->nrows, nrows);
    static const char *back[] = {"int",    "boolean",        "tinyint",       "smallint", "int",    "bigint", "float",
                                 "double", "decimal(38,10)", "decimal(10,2)", "string",   "string", "bytes",  "date",
                                 "time",   "timestamp",      "timestamp",     "string",   "string", "string"};
    for (uint32_t k = 0; k < RT_N; k++) {
        unit_context("%s: column %s", suffix, RT_NAMES[k]);
        CHECK_STR(tstr(out->cols[k].type), back[k]);
        for (uint32_t r = 0; r < nrows; r++) {
            unit_context("%s: row %u column %s", suffix, r + 1, RT_NAMES[k]);
            const cv_col *w = &b->cols[k], *g = &got->cols[k];
            CHECK_INT(cv_col_is_null(g, r), cv_col_is_null(w, r) || w->type->id == CV_T_NULL);
            if (cv_col_is_null(w, r) || cv_col_is_null(g, r)) continue;
            if (w->type->id == g->type->id) {
                CHECK_INT(cv_value_compare(w, r, g, r), 0);
                if (w->type->id == CV_T_F32 || w->type->id == CV_T_F64) CHECK_STR(val(got, k, r), val(b, k, r));
            } else if (w->type->id == CV_T_TIMESTAMP_TZ) {
                CHECK_INT(cv_col_i64(g, r), cv_col_i64(w, r));
            } else {
                cv_buf j;
                cv_buf_init(&j);
                cv_value_format(w, r, CV_FMT_JSON, &j);
                CHECK_STR(val(got, k, r), j.data);
                cv_buf_free(&j);
            }
        }
    }
    unit_context_clear();
    cv_batch_free(got);
    cv_batch_free(b);
    run(c, "DROP TABLE %s", t->qualified);
    D->disconnect(c);
}

TEST(mysql_round_trip_statements)
{
    setup();
    round_trip(env("CULVERT_MYSQL_URL"), "st", 0);
    teardown();
}

TEST(mysql_round_trip_load_data)
{
    setup();
    round_trip(env("CULVERT_MYSQL_URL"), "ld", 1);
    teardown();
}

/* With NO_BACKSLASH_ESCAPES a backslash in a literal is itself: escaping
 * and placeholder scanning follow the session's mode. */
TEST(mysql_round_trip_no_backslash_escapes)
{
    setup();
    const char *nb = "/culvert?sessionVariables=sql_mode=NO_BACKSLASH_ESCAPES";
    round_trip(url_with(nb), "nbst", 0);
    round_trip(url_with(nb), "nbld", 1);
    round_trip(url_with(cv_arena_printf(&A, "%s&culvert.bulk=insert", nb)), "nbin", 1);
    jdbc_conn *c = connect_url(url_with(nb));
    CHECK_INT(q64(c, "SELECT FIND_IN_SET('NO_BACKSLASH_ESCAPES', @@sql_mode) > 0"), 1);
    CHECK_INT(q64(c, "SELECT FIND_IN_SET('STRICT_ALL_TABLES', @@sql_mode) > 0"), 1);
    CHECK_INT(q64(c, "SELECT LENGTH('a\\')"), 2); /* the backslash is itself */
    static const char *n1[] = {"v"}, *t1[] = {"string"}, *v1[] = {"b\\'"};
    cv_table *in = table_of(&A, "nb", n1, t1, 1);
    cv_batch *b = rows_of(in, v1, 1);
    jdbc_stmt *st;
    uint32_t col = 0;
    /* 'a\' is a whole literal here; b\' arrives as the value */
    REQUIRE_INT(D->prepare(c, "SELECT 1 FROM DUAL WHERE CONCAT('a\\', ?) = 'a\\b\\'''", in, &col, 1, &st, &E), 0);
    CHECK_INT(D->param_count(st), 1);
    bool found = false;
    REQUIRE_INT(D->exists_row(st, b, 0, &found, &E), 0);
    CHECK(found);
    D->finalize(st);
    cv_batch_free(b);
    D->disconnect(c);
    teardown();
}

TEST(mysql_round_trip_insert)
{
    setup();
    round_trip(url_with("/culvert?culvert.bulk=insert"), "in", 1);
    round_trip(url_with("/culvert?culvert.bulk=insert"), "up", 2);
    teardown();
}

static jdbc_db *db_open(const char *url)
{
    jdbc_url *u = cv_arena_zalloc(&A, sizeof *u);
    *u = url_of(url);
    jdbc_connect_opts *o = cv_arena_zalloc(&A, sizeof *o);
    *o = opts_of(u);
    jdbc_db *db = NULL;
    REQUIRE_INT(jdbc_db_open(o, true, &db, &E), 0);
    return db;
}

/* A duplicate key declines a bulk insert; the batch's savepoint undoes
 * what it wrote, the batches before stay. */
static void duplicate_declined(const char *url)
{
    static const char *names[] = {"id", "s"}, *types[] = {"int", "string"};
    cv_table *in = table_of(&A, "dup", names, types, 2);
    uint32_t key = 0;
    jdbc_target *t = target_of(in, cv_arena_printf(&A, "%s_dup", P), &key, 1);
    jdbc_db *db = db_open(url);
    jdbc_conn *c = jdbc_db_conn(db);
    create(c, t);
    static const char *v1[] = {"1", "a", "2", "b"}, *v2[] = {"3", "c", "1", "again", "4", "d"};
    cv_batch *b1 = rows_of(in, v1, 2), *b2 = rows_of(in, v2, 3);
    uint32_t rows[] = {0, 1, 2};
    jdbc_db_lock(db);
    REQUIRE_INT(jdbc_db_batch_begin(db, &E), 0);
    REQUIRE_INT(jdbc_bulk1(D, c, t, JDBC_BULK_INSERT, b1, rows, 2, &E), 0);
    REQUIRE_INT(jdbc_db_batch_end(db, true, &E), 0);
    REQUIRE_INT(jdbc_db_batch_begin(db, &E), 0);
    CHECK_INT(jdbc_bulk1(D, c, t, JDBC_BULK_INSERT, b2, rows, 3, &E), JDBC_BULK_CONFLICT);
    CHECK(strstr(E.msg, "Duplicate entry '1'") != NULL); /* the message names the key */
    (void)D->take_acked(c);
    REQUIRE_INT(jdbc_db_batch_end(db, false, &E), 0);
    CHECK_INT(q64(c, "SELECT COUNT(*) FROM %s", t->qualified), 2);
    /* the sink then upserts in bulk: the key's row is replaced */
    REQUIRE_INT(jdbc_db_batch_begin(db, &E), 0);
    REQUIRE_INT(jdbc_bulk1(D, c, t, JDBC_BULK_UPSERT, b2, rows, 3, &E), 0);
    REQUIRE_INT(jdbc_db_batch_end(db, true, &E), 0);
    REQUIRE_INT(jdbc_db_commit(db, &E), 0);
    jdbc_db_unlock(db);
    CHECK_INT(q64(c, "SELECT COUNT(*) FROM %s", t->qualified), 4);
    CHECK_INT(q64(c, "SELECT COUNT(*) FROM %s WHERE id = 1 AND s = 'again'", t->qualified), 1);
    run(c, "DROP TABLE %s", t->qualified);
    cv_batch_free(b1);
    cv_batch_free(b2);
    jdbc_db_close(db);
}

TEST(mysql_bulk_duplicate_declined)
{
    setup();
    duplicate_declined(env("CULVERT_MYSQL_URL"));
    duplicate_declined(url_with("/culvert?culvert.bulk=insert"));
    teardown();
}

/* Upserts, deletes, updates and lookups by the statements sink.c makes. */
TEST(mysql_statements_upsert_delete)
{
    setup();
    static const char *names[] = {"k1", "k2", "v", "w"}, *types[] = {"int", "string", "decimal(10,2)", "timestamp"};
    cv_table *in = table_of(&A, "up", names, types, 4);
    in->cols[1].length = 10;
    uint32_t key[] = {0, 1};
    jdbc_target *t = target_of(in, cv_arena_printf(&A, "%s_up", P), key, 2);
    jdbc_conn *c = conn();
    create(c, t);
    static const char *v[] = {
        "1", "a", "1.00", "2024-01-01T00:00:00",  "1", "b", "2.00", "2024-01-02T00:00:00", "2", "a", "3.00", NULL,
        "1", "a", "4.50", "2024-01-04T10:00:00.5"};
    cv_batch *b = rows_of(in, v, 4);
    uint32_t rows[] = {0, 1, 2, 3};
    jdbc_stmt *ups, *del, *ex, *upd;
    REQUIRE_INT(D->prepare(c, t->upsert, in, t->all, 4, &ups, &E), 0);
    CHECK_CONTAINS(t->upsert, " ON DUPLICATE KEY UPDATE `v` = VALUES(`v`), `w` = VALUES(`w`)");
    REQUIRE_INT(D->exec_rows(ups, b, rows, 4, &E), 0);
    CHECK_INT(q64(c, "SELECT COUNT(*) FROM %s", t->qualified), 3);
    CHECK_INT(q64(c, "SELECT v * 100 FROM %s WHERE k1 = 1 AND k2 = 'a'", t->qualified), 450);
    CHECK_INT(q64(c, "SELECT MICROSECOND(w) FROM %s WHERE k1 = 1 AND k2 = 'a'", t->qualified), 500000);
    /* lookups and updates by key */
    REQUIRE_INT(D->prepare(c, t->exists, in, t->key, 2, &ex, &E), 0);
    bool found;
    REQUIRE_INT(D->exists_row(ex, b, 1, &found, &E), 0);
    CHECK(found);
    REQUIRE_INT(D->prepare(c, t->update, in, t->upd, t->nupd, &upd, &E), 0);
    CHECK_INT(D->param_count(upd), 4);
    REQUIRE_INT(D->exec_rows(upd, b, rows, 1, &E), 0);
    CHECK_INT(q64(c, "SELECT v * 100 FROM %s WHERE k1 = 1 AND k2 = 'a'", t->qualified), 100);
    /* deletes by key, several in one go */
    REQUIRE_INT(D->prepare(c, t->del, in, t->key, 2, &del, &E), 0);
    REQUIRE_INT(D->exec_rows(del, b, rows, 3, &E), 0);
    CHECK_INT(q64(c, "SELECT COUNT(*) FROM %s", t->qualified), 0);
    REQUIRE_INT(D->exists_row(ex, b, 1, &found, &E), 0);
    CHECK(!found);
    /* a key column written twice in one upsert batch: the last one wins */
    static const char *nk[] = {"k1", "k2"};
    cv_table *kin = table_of(&A, "keys", nk, types, 2);
    jdbc_target *kt = target_of(kin, cv_arena_printf(&A, "%s_keys", P), key, 2);
    create(c, kt);
    static const char *kv[] = {"1", "x", "1", "x", "2", "y"};
    cv_batch *kb = rows_of(kin, kv, 3);
    jdbc_stmt *kups;
    REQUIRE_INT(D->prepare(c, kt->upsert, kin, kt->all, 2, &kups, &E), 0);
    CHECK_CONTAINS(kt->upsert, " ON DUPLICATE KEY UPDATE `k1` = `k1`");
    REQUIRE_INT(D->exec_rows(kups, kb, rows, 3, &E), 0);
    CHECK_INT(q64(c, "SELECT COUNT(*) FROM %s", kt->qualified), 2);
    D->finalize(kups);
    D->finalize(ups);
    D->finalize(del);
    D->finalize(ex);
    D->finalize(upd);
    cv_batch_free(b);
    cv_batch_free(kb);
    run(c, "DROP TABLE %s; DROP TABLE %s", t->qualified, kt->qualified);
    D->disconnect(c);
    teardown();
}

/* Errors name the row; a statement the server cannot run fails when
 * prepared. */
TEST(mysql_statement_errors)
{
    setup();
    jdbc_conn *c = conn();
    static const char *names[] = {"id", "s"}, *types[] = {"int", "string"};
    cv_table *in = table_of(&A, "err", names, types, 2);
    run(c, "CREATE TABLE %s_err (id INT PRIMARY KEY, s VARCHAR(3) NOT NULL)", P);
    jdbc_stmt *st;
    uint32_t all[] = {0, 1}, rows[] = {0, 1, 2, 3};
    CHECK_INT(D->prepare(c, cv_arena_printf(&A, "INSERT INTO %s_err (id, nope) VALUES (?, ?)", P), in, all, 2, &st, &E),
              CV_EIO);
    CHECK_CONTAINS(E.msg, "Unknown column 'nope' in 'INSERT INTO'");
    cv_err_clear(&E);
    static const char *v[] = {"1", "a", "2", "b", "3", "long", "4", "d"};
    cv_batch *b = rows_of(in, v, 4);
    /* multi-row INSERT: the server's message with the rows */
    REQUIRE_INT(D->prepare(c, cv_arena_printf(&A, "INSERT INTO %s_err (id, s) VALUES (?, ?)", P), in, all, 2, &st, &E),
                0);
    CHECK_INT(D->exec_rows(st, b, rows, 4, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "writing 4 rows of a batch of err (rows 1 to 4): Data too long for column 's' at row 3");
    D->finalize(st);
    cv_err_clear(&E);
    /* statements one by one in a multi-statement: the failing row */
    REQUIRE_INT(D->prepare(c, cv_arena_printf(&A, "REPLACE INTO %s_err SELECT ?, ? ; \n", P), in, all, 2, &st, &E), 0);
    CHECK_INT(D->exec_rows(st, b, rows, 4, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "writing row 3 of a batch of err (+I): Data too long for column 's' at row 1");
    CHECK_INT(q64(c, "SELECT COUNT(*) FROM %s_err", P), 2);
    D->finalize(st);
    cv_err_clear(&E);
    /* placeholders among quotes and comments */
    REQUIRE_INT(D->prepare(c,
                           cv_arena_printf(&A,
                                           "UPDATE %s_err /* ? */ SET s = CONCAT('?', \"?\", ?) -- ?\n"
                                           "WHERE id = ? # ?",
                                           P),
                           in, (uint32_t[]){1, 0}, 2, &st, &E),
                0);
    CHECK_INT(D->param_count(st), 2);
    REQUIRE_INT(D->exec_rows(st, b, rows, 1, &E), 0);
    CHECK_INT(q64(c, "SELECT COUNT(*) FROM %s_err WHERE s = '??a'", P), 1);
    D->finalize(st);
    cv_batch_free(b);
    run(c, "DROP TABLE %s_err", P);
    D->disconnect(c);
    teardown();
}

/* Values the target column would silently change are refused: with the
 * column, the row and why. */
TEST(mysql_refuses_silent_changes)
{
    setup();
    jdbc_conn *c = conn();
    static const char *names[] = {"ts", "t", "d", "x", "i", "f", "day"},
                      *types[] = {"timestamp", "time", "decimal(10,4)", "double", "decimal(5,1)", "float", "timestamp"};
    cv_table *in = table_of(&A, "sc", names, types, 7);
    run(c,
        "CREATE TABLE %s_sc (ts DATETIME(0), t TIME(3), d DECIMAL(10,2), x DECIMAL(10,1), i INT, f DOUBLE, "
        "day DATE)",
        P);
    uint32_t key = 0;
    jdbc_target *t = target_of(in, cv_arena_printf(&A, "%s_sc", P), &key, 0);
    static const char *ok[] = {"2024-01-01T10:00:00", "10:00:00.123", "1.2300", "0.5", "12.0", "1.5",
                               "2024-01-02T00:00:00"};
    static const char *const bad[][7] = {
        {"2024-01-01T10:00:00.5", "10:00:00", "1.00", "0.5", "1.0", "1", "2024-01-02T00:00:00"},
        {"2024-01-01T10:00:00", "10:00:00.1234", "1.00", "0.5", "1.0", "1", "2024-01-02T00:00:00"},
        {"2024-01-01T10:00:00", "10:00:00", "1.2345", "0.5", "1.0", "1", "2024-01-02T00:00:00"},
        {"2024-01-01T10:00:00", "10:00:00", "1.00", "0.25", "1.0", "1", "2024-01-02T00:00:00"},
        {"2024-01-01T10:00:00", "10:00:00", "1.00", "0.5", "1.5", "1", "2024-01-02T00:00:00"},
        {"2024-01-01T10:00:00", "10:00:00", "1.00", "0.5", "1.0", "1", "2024-01-02T00:00:01"},
        {"2024-01-01T10:00:00", "10:00:00.000000001", "1.00", "0.5", "1.0", "1", "2024-01-02T00:00:00"},
    };
    static const char *why[] = {
        "column ts, row 1: the timestamp has more than the 0 fractional digits column ts keeps",
        "column t, row 1: the time has more than the 3 fractional digits column t keeps",
        "column d, row 1: 1.2345 has more than the 2 fractional digits column d keeps",
        "column x, row 1: 0.25 has more than the 1 fractional digits column x keeps",
        "column i, row 1: 1.5 has more than the 0 fractional digits column i keeps",
        "column day, row 1: the timestamp has a time of day, which DATE column day would drop",
        "column t, row 1: the time has nanoseconds; MySQL keeps microseconds at most",
    };
    uint32_t row = 0;
    for (int how = 0; how < 3; how++) {
        jdbc_conn *w = how == 2 ? connect_url(url_with("/culvert?culvert.bulk=insert")) : c;
        for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
            unit_context("%s, case %zu", how == 0 ? "statement" : how == 1 ? "LOAD DATA" : "INSERT", k);
            cv_batch *b = rows_of(in, bad[k], 1);
            cv_err_clear(&E);
            if (how == 0) {
                jdbc_stmt *st;
                REQUIRE_INT(D->prepare(w, t->insert, in, t->all, 7, &st, &E), 0);
                CHECK_INT(D->exec_rows(st, b, &row, 1, &E), CV_EDATA);
                D->finalize(st);
            } else {
                CHECK_INT(jdbc_bulk1(D, w, t, JDBC_BULK_INSERT, b, &row, 1, &E), CV_EDATA);
            }
            CHECK_CONTAINS(E.msg, why[k]);
            cv_batch_free(b);
        }
        unit_context_clear();
        cv_batch *b = rows_of(in, ok, 1);
        CHECK_INT(jdbc_bulk1(D, w, t, JDBC_BULK_INSERT, b, &row, 1, &E), 0);
        cv_batch_free(b);
        if (w != c) D->disconnect(w);
    }
    CHECK_INT(q64(c, "SELECT COUNT(*) FROM %s_sc", P), 3);
    /* NaN and infinities have no MySQL value */
    static const char *nan[] = {NULL, NULL, NULL, "NaN", NULL, NULL, NULL};
    cv_batch *b = rows_of(in, nan, 1);
    cv_err_clear(&E);
    CHECK_INT(jdbc_bulk1(D, c, t, JDBC_BULK_INSERT, b, &row, 1, &E), CV_EDATA);
    CHECK_CONTAINS(E.msg, "column x, row 1: NaN cannot be stored in MySQL");
    cv_batch_free(b);
    /* what the server warns about is refused too (LOAD DATA would store it) */
    run(c, "CREATE TABLE %s_w (s VARCHAR(2), n TINYINT)", P);
    static const char *wn[] = {"s", "n"}, *wt[] = {"string", "int"};
    cv_table *win = table_of(&A, "w", wn, wt, 2);
    jdbc_target *wtg = target_of(win, cv_arena_printf(&A, "%s_w", P), &key, 0);
    static const char *wv[] = {"ab", "1", "abc", "2"};
    cv_batch *wb = rows_of(win, wv, 2);
    uint32_t rows[] = {0, 1};
    cv_err_clear(&E);
    CHECK_INT(jdbc_bulk1(D, c, wtg, JDBC_BULK_INSERT, wb, rows, 2, &E), CV_EDATA);
    CHECK_CONTAINS(E.msg, "MySQL: writing to ");
    CHECK_CONTAINS(E.msg, "Data truncated for column 's' at row 2 (row 2 of the batch) (warning 1265)");
    static const char *wv2[] = {"ab", "1", "a", "300"};
    cv_batch *wb2 = rows_of(win, wv2, 2);
    cv_err_clear(&E);
    CHECK_INT(jdbc_bulk1(D, c, wtg, JDBC_BULK_INSERT, wb2, rows, 2, &E), CV_EDATA);
    CHECK_CONTAINS(E.msg, "Out of range value for column 'n' at row 2");
    cv_batch_free(wb);
    cv_batch_free(wb2);
    run(c, "DROP TABLE %s_sc; DROP TABLE %s_w", P, P);
    D->disconnect(c);
    teardown();
}

/* A value MySQL would read as another one — a YEAR's short forms, a
 * number into a date or an ENUM, a real a FLOAT column rounds, a
 * negative zero, a negative number into BIT — is refused on every path
 * (statement, LOAD DATA, multi-row INSERT) with its column and row; what
 * the column keeps is stored as written on every path alike. */
TEST(mysql_refuses_reinterpretation)
{
    setup();
    jdbc_conn *c = conn(), *ins = connect_url(url_with("/culvert?culvert.bulk=insert"));
    static const struct {
        const char *ddl, *type, *value;
        const char *stored; /* CAST(x AS CHAR) afterwards, or NULL: refused */
        const char *why;
    } cases[] = {
        {"YEAR", "int", "0", "0000", NULL},
        {"YEAR", "decimal(4,0)", "0", "0000", NULL},
        {"YEAR", "string", "1999", "1999", NULL},
        {"YEAR", "int", "5", NULL, "5 is not a year YEAR column x holds (0000, 1901 to 2155): MySQL would store"},
        {"YEAR", "int", "1900", NULL, "1900 is not a year YEAR column x holds"},
        {"YEAR", "string", "0", NULL, "\"0\" is not a four-digit year, which YEAR column x needs"},
        {"FLOAT", "double", "0.5", "0.5", NULL},
        {"FLOAT", "double", "0.1", NULL, "0.10000000000000001 is not exact in FLOAT column x"},
        {"DOUBLE", "bigint", "9007199254740992", "9.007199254740992e15", NULL},
        {"DOUBLE", "bigint", "9007199254740993", NULL, "9007199254740993 is not exact in DOUBLE column x"},
        {"DOUBLE", "decimal(10,2)", "0.10", "0.1", NULL},
        {"DOUBLE", "decimal(30,20)", "0.10000000000000000001", NULL, "is not exact in DOUBLE column x"},
        {"DOUBLE", "double", "-0.0", NULL, "-0 (negative zero): MySQL stores it as 0"},
        {"DOUBLE", "int", "-0", "0", NULL},
        {"BIT(64)", "bigint", "-1", NULL, "-1 is negative: BIT column x would store its two's complement"},
        {"BIT(8)", "int", "5", "\x05", NULL},
        {"BIT(8)", "string", "1", NULL, "a value of type string cannot be written to BIT column x"},
        {"ENUM('a','b')", "int", "2", NULL, "a value of type int cannot be written to ENUM/SET column x"},
        {"DATE", "int", "20240102", NULL, "a value of type int cannot be written to DATE column x"},
        {"INT", "date", "2024-01-02", NULL, "a value of type date cannot be written to integer column x"},
        {"DATETIME(6)", "time", "10:00:00", NULL, "a value of type time cannot be written to DATETIME column x"},
        {"TIME(6)", "date", "2024-01-02", NULL, "a value of type date cannot be written to TIME column x"},
        {"VARCHAR(40)", "double", "1.5", "1.5", NULL},
        {"VARCHAR(40)", "float", "1.0E30", "1.0E30", NULL},
    };
    static const char *names[] = {"id", "x"};
    uint32_t key = 0;
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const char *types[] = {"int", cases[k].type};
        cv_table *in = table_of(&A, "ri", names, types, 2);
        jdbc_target *t = target_of(in, cv_arena_printf(&A, "%s_ri", P), &key, 0);
        run(c, "DROP TABLE IF EXISTS %s_ri; CREATE TABLE %s_ri (id INT, x %s)", P, P, cases[k].ddl);
        const char *v[] = {"1", cases[k].value};
        cv_batch *b = rows_of(in, v, 1);
        uint32_t row = 0;
        for (int how = 0; how < 3; how++) {
            unit_context("%s into %s, %s", cases[k].value, cases[k].ddl,
                         how == 0   ? "statement"
                         : how == 1 ? "LOAD DATA"
                                    : "INSERT");
            run(c, "DELETE FROM %s_ri", P);
            cv_err_clear(&E);
            int rc;
            if (how == 0) {
                jdbc_stmt *st;
                REQUIRE_INT(D->prepare(c, t->insert, in, t->all, 2, &st, &E), 0);
                rc = D->exec_rows(st, b, &row, 1, &E);
                D->finalize(st);
            } else {
                rc = jdbc_bulk1(D, how == 1 ? c : ins, t, JDBC_BULK_INSERT, b, &row, 1, &E);
            }
            if (!cases[k].stored) {
                CHECK_INT(rc, CV_EDATA);
                CHECK_CONTAINS(E.msg, "column x, row 1: ");
                CHECK_CONTAINS(E.msg, cases[k].why);
                CHECK_INT(q64(c, "SELECT COUNT(*) FROM %s_ri", P), 0);
                continue;
            }
            CHECK_INT(rc, 0);
            cv_table *rt;
            cv_batch *got = query(c, cv_arena_printf(&A, "SELECT CAST(x AS CHAR) FROM %s_ri", P), &rt);
            CHECK_INT(got->nrows, 1);
            if (got->nrows == 1) CHECK_STR(val(got, 0, 0), cases[k].stored);
            cv_batch_free(got);
        }
        unit_context_clear();
        cv_batch_free(b);
    }
    run(c, "DROP TABLE %s_ri", P);
    D->disconnect(ins);
    D->disconnect(c);
    teardown();
}

/* ---- transactions ------------------------------------------------------------------- */

TEST(mysql_xa)
{
    setup();
    jdbc_conn *c = conn();
    run(c, "CREATE TABLE %s_xa (id INT PRIMARY KEY)", P);
    char g1[64], g2[64];
    snprintf(g1, sizeof g1, "cvxa-%d-1", (int)getpid());
    snprintf(g2, sizeof g2, "cvxa-%d-2", (int)getpid());
    /* prepared, then the connection goes away: the transaction stays */
    REQUIRE_INT(D->xa_begin(c, g1, &E), 0);
    run(c, "SAVEPOINT cv_batch");
    run(c, "INSERT INTO %s_xa VALUES (1)", P);
    run(c, "RELEASE SAVEPOINT cv_batch");
    REQUIRE_INT(D->xa_prepare(c, g1, &E), 0);
    D->disconnect(c);
    c = conn();
    REQUIRE_INT(D->xa_begin(c, g2, &E), 0);
    run(c, "INSERT INTO %s_xa VALUES (2)", P);
    REQUIRE_INT(D->xa_prepare(c, g2, &E), 0);
    jdbc_conn *other = conn();
    CHECK_INT(q64(other, "SELECT COUNT(*) FROM %s_xa", P), 0);
    const char **gids;
    uint32_t n;
    char prefix[32];
    snprintf(prefix, sizeof prefix, "cvxa-%d-", (int)getpid());
    REQUIRE_INT(D->xa_pending(other, prefix, &A, &gids, &n, &E), 0);
    REQUIRE_UINT(n, 2);
    CHECK(strcmp(gids[0], g1) == 0 || strcmp(gids[1], g1) == 0);
    /* finished from any connection; twice is harmless */
    REQUIRE_INT(D->xa_commit(other, g1, &E), 0);
    REQUIRE_INT(D->xa_commit(other, g1, &E), 0);
    /* g2's connection is still open: only it can finish g2 now */
    CHECK_INT(D->xa_commit(other, g2, &E), CV_ERETRY);
    CHECK_CONTAINS(E.msg, "the transaction is prepared but still held by the connection that prepared it");
    cv_err_clear(&E);
    REQUIRE_INT(D->xa_rollback(c, g2, &E), 0);
    REQUIRE_INT(D->xa_rollback(other, g2, &E), 0);
    CHECK_INT(q64(other, "SELECT COUNT(*) FROM %s_xa", P), 1);
    REQUIRE_INT(D->xa_pending(other, prefix, &A, &gids, &n, &E), 0);
    CHECK_UINT(n, 0);
    /* rolling back one still open on this connection ends it first */
    REQUIRE_INT(D->xa_begin(c, g1, &E), 0);
    run(c, "INSERT INTO %s_xa VALUES (3)", P);
    REQUIRE_INT(D->xa_rollback(c, g1, &E), 0);
    CHECK_INT(q64(c, "SELECT COUNT(*) FROM %s_xa", P), 1);
    CHECK_INT(D->xa_begin(c, "no spaces allowed", &E), CV_EINVAL);
    run(c, "DROP TABLE %s_xa", P);
    D->disconnect(other);
    D->disconnect(c);
    teardown();
}

/* A row locked elsewhere: the lock wait ends in a transient error. */
TEST(mysql_lock_wait_is_transient)
{
    setup();
    jdbc_conn *a = conn();
    run(a, "CREATE TABLE %s_lk (id INT PRIMARY KEY, v INT)", P);
    run(a, "INSERT INTO %s_lk VALUES (1, 0)", P);
    run(a, "START TRANSACTION");
    run(a, "UPDATE %s_lk SET v = 1 WHERE id = 1", P);
    jdbc_url u = url_of(env("CULVERT_MYSQL_URL"));
    jdbc_connect_opts o = opts_of(&u);
    o.timeout_ms = 1000;
    jdbc_conn *b;
    REQUIRE_INT(D->connect(&o, &b, &E), 0);
    int64_t t0 = cv_mono_ns();
    CHECK_INT(D->exec(b, cv_arena_printf(&A, "UPDATE %s_lk SET v = 2 WHERE id = 1", P), &E), CV_ERETRY);
    CHECK_CONTAINS(E.msg, "Lock wait timeout exceeded");
    CHECK_CONTAINS(E.msg, "(errno 1205, SQLSTATE HY000)");
    CHECK((cv_mono_ns() - t0) / 1000000 >= 900);
    run(a, "ROLLBACK");
    run(a, "DROP TABLE %s_lk", P);
    D->disconnect(b);
    D->disconnect(a);
    teardown();
}

/* A key column of an unbounded string cannot be a MySQL key as LONGTEXT:
 * the table is created with VARCHAR(255) for it. */
TEST(mysql_create_table_string_key)
{
    setup();
    jdbc_conn *c = conn();
    static const char *names[] = {"k", "b", "v"}, *types[] = {"string", "bytes", "string"};
    cv_table *in = table_of(&A, "sk", names, types, 3);
    uint32_t key[] = {0, 1};
    jdbc_target *t = target_of(in, cv_arena_printf(&A, "%s_sk`x", P), key, 2);
    create(c, t);
    jdbc_result_col *rc;
    described(c, cv_arena_printf(&A, "SELECT * FROM %s", t->qualified), &rc);
    CHECK_STR(rc[0].decl, "VARCHAR(255)");
    CHECK_STR(rc[1].decl, "VARBINARY(255)");
    CHECK_STR(rc[2].decl, "LONGTEXT");
    CHECK(!rc[0].nullable);
    jdbc_table_keys k;
    REQUIRE_INT(D->table_keys(c, &A, NULL, t->name, &k, &E), 0);
    CHECK(k.exists && k.npk == 2);
    run(c, "DROP TABLE %s", t->qualified);
    D->disconnect(c);
    teardown();
}

/* ---- streams that end early ------------------------------------------------------------ */

static cv_table *seq_table(jdbc_conn *c, const char *sql)
{
    jdbc_result_col *rc;
    return described(c, sql, &rc);
}

/* Closing a cursor in the middle of a huge result returns at once, and
 * the connection goes on. */
TEST(mysql_cursor_close_early)
{
    setup();
    jdbc_conn *c = conn();
    const char *sql = "SELECT seq, REPEAT('x', 100) AS s FROM seq_1_to_100000000";
    cv_table *t = seq_table(c, sql);
    jdbc_cursor *cur;
    REQUIRE_INT(D->cursor_open(c, sql, t, "0", &cur, &E), 0);
    cv_batch *b = cv_batch_new(t, 1000);
    bool done;
    REQUIRE_INT(D->cursor_fetch(cur, b, &done, &E), 0);
    CHECK(!done && b->nrows == 1000);
    int64_t t0 = cv_mono_ns();
    D->cursor_close(cur);
    CHECK((cv_mono_ns() - t0) / 1000000 < 2000);
    CHECK_INT(q64(c, "SELECT 41 + 1"), 42);
    /* the same in the binary protocol (a FLOAT column) */
    sql = "SELECT seq, CAST(seq AS FLOAT) AS f FROM seq_1_to_100000000";
    t = seq_table(c, sql);
    REQUIRE_INT(D->cursor_open(c, sql, t, "0", &cur, &E), 0);
    cv_batch_free(b);
    b = cv_batch_new(t, 1000);
    REQUIRE_INT(D->cursor_fetch(cur, b, &done, &E), 0);
    CHECK(!done && b->nrows == 1000);
    CHECK_STR(val(b, 1, 999), "1000.0");
    t0 = cv_mono_ns();
    D->cursor_close(cur);
    CHECK((cv_mono_ns() - t0) / 1000000 < 2000);
    CHECK_INT(q64(c, "SELECT 40 + 2"), 42);
    cv_batch_free(b);
    D->disconnect(c);
    teardown();
}

/* The connection killed while rows stream: a clean error; a new cursor on
 * the same reader connects again. */
TEST(mysql_killed_mid_stream)
{
    setup();
    jdbc_conn *c = conn(), *killer = conn();
    int64_t id = q64(c, "SELECT CONNECTION_ID()");
    const char *sql = "SELECT seq FROM seq_1_to_100000000";
    cv_table *t = seq_table(c, sql);
    jdbc_cursor *cur;
    REQUIRE_INT(D->cursor_open(c, sql, t, "0", &cur, &E), 0);
    cv_batch *b = cv_batch_new(t, 1000);
    bool done;
    REQUIRE_INT(D->cursor_fetch(cur, b, &done, &E), 0);
    run(killer, "KILL %lld", (long long)id);
    int rc = 0;
    for (int i = 0; i < 100000 && rc == 0 && !done; i++) {
        cv_batch_clear(b);
        rc = D->cursor_fetch(cur, b, &done, &E);
    }
    CHECK_INT(rc, CV_EIO);
    CHECK_CONTAINS(E.msg, "MySQL: q (split 0): ");
    CHECK(strstr(E.msg, "the connection to the server was lost") || strstr(E.msg, "Connection was killed"));
    D->cursor_close(cur);
    cv_err_clear(&E);
    REQUIRE_INT(D->cursor_open(c, "SELECT seq FROM seq_1_to_3", t, "1", &cur, &E), 0);
    cv_batch_clear(b);
    REQUIRE_INT(D->cursor_fetch(cur, b, &done, &E), 0);
    CHECK(done && b->nrows == 3);
    D->cursor_close(cur);
    cv_batch_free(b);
    D->disconnect(killer);
    D->disconnect(c);
    teardown();
}

/* ---- measuring ------------------------------------------------------------------------ */

/* The bulk comparison in docs/jdbc/mysql.md: rows of 10 columns into a
 * new InnoDB table, in batches as the sink writes them (a transaction,
 * a savepoint per batch, one commit), by LOAD DATA, by multi-row INSERT
 * and by the INSERT statement through exec_rows. 20000 rows by default;
 * CULVERT_MYSQL_BENCH_ROWS=1000000 in a Release build measures. */
TEST(mysql_bulk_benchmark)
{
    setup();
    const char *nrows = getenv("CULVERT_MYSQL_BENCH_ROWS");
    long total = nrows ? strtol(nrows, NULL, 10) : 20000;
    uint32_t per = getenv("CULVERT_MYSQL_BENCH_BATCH") ? (uint32_t)strtol(getenv("CULVERT_MYSQL_BENCH_BATCH"), NULL, 10)
                                                       : CV_BATCH_ROWS;
    static const char *names[] = {"id", "i", "bi", "d", "dc", "s", "dt", "dd", "b", "t"};
    static const char *types[] = {"bigint", "int",       "bigint", "double",  "decimal(12,2)",
                                  "string", "timestamp", "date",   "boolean", "string"};
    cv_table *in = table_of(&A, "bench", names, types, 10);
    in->cols[5].length = 64;
    in->cols[9].length = 200;
    uint32_t key = 0, *rows = cv_arena_alloc(&A, per * sizeof *rows);
    for (uint32_t r = 0; r < per; r++) rows[r] = r;
    static const char *modes[] = {"load_data", "insert", "statement"};
    for (int mode = 0; mode < 3; mode++) {
        jdbc_db *db = db_open(url_with(mode == 1 ? "/culvert?culvert.bulk=insert" : "/culvert"));
        jdbc_conn *c = jdbc_db_conn(db);
        jdbc_target *t = target_of(in, cv_arena_printf(&A, "%s_bench_%d", P, mode), &key, 1);
        create(c, t);
        jdbc_stmt *st = NULL;
        if (mode == 2) REQUIRE_INT(D->prepare(c, t->insert, in, t->all, 10, &st, &E), 0);
        cv_batch *b = cv_batch_new(in, per);
        b->byte_limit = SIZE_MAX;
        int64_t spent = 0, t0;
        char s[256];
        for (long id = 1; id <= total;) {
            cv_batch_clear(b);
            for (uint32_t r = 0; r < per && id <= total; r++, id++) {
                cv_col_append_i64(&b->cols[0], id);
                cv_col_append_i32(&b->cols[1], (int32_t)(id % 100000));
                cv_col_append_i64(&b->cols[2], id * 1000003);
                cv_col_append_f64(&b->cols[3], (double)id / 7);
                cv_col_append_dec(&b->cols[4], (cv_i128)(id % 1000000));
                int n = snprintf(s, sizeof s, "name-%ld", id);
                cv_col_append_str(&b->cols[5], s, (size_t)n);
                cv_col_append_i64(&b->cols[6], 1577836800000000LL + id * 1000001);
                cv_col_append_i32(&b->cols[7], 10957 + (int32_t)(id % 10000));
                cv_col_append_bool(&b->cols[8], id % 2);
                n = (int)(id % 20) * 3;
                memset(s, 'a', (size_t)n);
                cv_col_append_str(&b->cols[9], s, (size_t)n);
                cv_batch_end_row(b, CV_ROW_INSERT);
            }
            t0 = cv_mono_ns();
            jdbc_db_lock(db);
            REQUIRE_INT(jdbc_db_batch_begin(db, &E), 0);
            int rc = mode == 2 ? D->exec_rows(st, b, rows, b->nrows, &E)
                               : jdbc_bulk1(D, c, t, JDBC_BULK_INSERT, b, rows, b->nrows, &E);
            if (rc != 0) unit__fail(__FILE__, __LINE__, "%s: %d %s", modes[mode], rc, E.msg);
            REQUIRE_INT(jdbc_db_batch_end(db, rc == 0, &E), 0);
            jdbc_db_unlock(db);
            spent += cv_mono_ns() - t0;
        }
        t0 = cv_mono_ns();
        jdbc_db_lock(db);
        REQUIRE_INT(jdbc_db_commit(db, &E), 0);
        jdbc_db_unlock(db);
        spent += cv_mono_ns() - t0;
        CHECK_INT(q64(c, "SELECT COUNT(*) FROM %s", t->qualified), total);
        fprintf(stderr, "bench: %-9s %ld rows in batches of %u: %.2f s, %.0f rows/s\n", modes[mode], total, per,
                (double)spent / 1e9, (double)total / ((double)spent / 1e9));
        run(c, "DROP TABLE %s", t->qualified);
        D->finalize(st);
        cv_batch_free(b);
        jdbc_db_close(db);
    }
    teardown();
}

/* A server that does not allow LOAD DATA LOCAL: culvert inserts instead. */
TEST(mysql_bulk_without_local_infile)
{
    setup();
    jdbc_conn *admin = conn();
    bool on = q64(admin, "SELECT @@global.local_infile") == 1;
    static const char *names[] = {"id", "s"}, *types[] = {"int", "string"};
    cv_table *in = table_of(&A, "nli", names, types, 2);
    uint32_t key = 0, rows[] = {0, 1};
    jdbc_target *t = target_of(in, cv_arena_printf(&A, "%s_nli", P), &key, 1);
    create(admin, t);
    if (on) run(admin, "SET GLOBAL local_infile = 0"); /* scripts/test.sh runs tests one at a time */
    jdbc_conn *c = conn();
    static const char *v[] = {"1", "a", "2", "b\tc"};
    cv_batch *b = rows_of(in, v, 2);
    int rc = jdbc_bulk1(D, c, t, JDBC_BULK_INSERT, b, rows, 2, &E);
    if (on) run(admin, "SET GLOBAL local_infile = 1");
    if (!CHECK_INT(rc, 0)) unit__fail(__FILE__, __LINE__, "%s", E.msg);
    CHECK_INT(q64(c, "SELECT COUNT(*) FROM %s WHERE s = 'b\\tc'", t->qualified), 1);
    /* and goes on inserting, without asking again */
    static const char *v2[] = {"3", "c", "1", "dup"};
    cv_batch *b2 = rows_of(in, v2, 2);
    CHECK_INT(jdbc_bulk1(D, c, t, JDBC_BULK_INSERT, b2, rows, 2, &E), JDBC_BULK_CONFLICT);
    cv_batch_free(b);
    cv_batch_free(b2);
    run(admin, "DROP TABLE %s", t->qualified);
    D->disconnect(c);
    D->disconnect(admin);
    teardown();
}
