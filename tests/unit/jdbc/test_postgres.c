/* test_postgres.c — the PostgreSQL dialect against a real server (the url
 * in CULVERT_PG_URL, with CULVERT_DB_USER / CULVERT_DB_PASSWORD; skipped
 * when unset): connection errors, every type read through describe and a
 * binary COPY, every culvert type written by COPY and by statements and
 * read back, typmod checks that refuse to round, a bulk insert refused by
 * a unique key and undone by the batch's savepoint, upserts and deletes in
 * one pipeline, two-phase commit, and a backend killed mid-COPY. Every
 * test makes its own tables, suffixed with the process id, and drops
 * them. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static cv_arena A;
static cv_err E;
static cv_ctx CTX;
static jdbc_url U;
static const char *USER, *PASSWORD;
/* The dialect as the url gives it: a build without libpq has no
 * jdbc_postgres, and its url parse says so (the tests then skip). */
#define PG (*U.dialect)

static void setup(void)
{
    const char *url = getenv("CULVERT_PG_URL");
    if (!url || !url[0]) unit_skip("CULVERT_PG_URL is not set");
    USER = getenv("CULVERT_DB_USER");
    PASSWORD = getenv("CULVERT_DB_PASSWORD");
    cv_arena_init(&A, 0);
    cv_err_clear(&E);
    memset(&CTX, 0, sizeof CTX);
    if (jdbc_url_parse(&A, url, NULL, &U, &E) < 0) {
        cv_arena_free(&A);
        unit_skip("%s", E.msg);
    }
    REQUIRE_STR(U.dialect->name, "PostgreSQL");
}

static jdbc_conn *connect_to(const jdbc_url *u, bool read_only)
{
    jdbc_connect_opts o = {
        .url = u, .user = USER, .password = PASSWORD, .timeout_ms = 5000, .read_only = read_only, .ctx = &CTX};
    jdbc_conn *c = NULL;
    if (PG.connect(&o, &c, &E) < 0) {
        unit__fail(__FILE__, __LINE__, "connect: %s", E.msg);
        unit__abort();
    }
    return c;
}

static jdbc_conn *connect_pg(void) { return connect_to(&U, false); }

/* A name unique to this process: tests run in parallel. */
static const char *uniq(const char *base) { return cv_arena_printf(&A, "cvt_%s_%d", base, (int)getpid()); }

static void sql(jdbc_conn *c, const char *s)
{
    cv_err e;
    cv_err_clear(&e);
    if (PG.exec(c, s, &e) < 0) {
        unit__fail(__FILE__, __LINE__, "%s: %s", s, e.msg);
        unit__abort();
    }
}

/* fmt with one %s: the name */
static void sqlf(jdbc_conn *c, const char *fmt, const char *name)
{
    const char *at = strstr(fmt, "%s");
    REQUIRE(at != NULL);
    sql(c, cv_arena_printf(&A, "%.*s%s%s", (int)(at - fmt), fmt, name, at + 2));
}

static int64_t query(jdbc_conn *c, const char *s)
{
    int64_t v = 0;
    bool isnull;
    REQUIRE_INT(PG.query_i64(c, s, &v, &isnull, &E), 0);
    return isnull ? INT64_MIN : v;
}

static const char *tstr(const cv_type *t)
{
    static char out[4][96];
    static int k;
    k = (k + 1) % 4;
    return cv_type_str(t, out[k], sizeof out[k]);
}

/* The table a source would make of a query: describe's columns. */
static cv_table *table_from(jdbc_conn *c, const char *q, jdbc_result_col **cols_out)
{
    jdbc_result_col *rc;
    uint32_t n;
    cv_err_clear(&E);
    if (PG.describe(c, q, &A, &rc, &n, &E) < 0) {
        unit__fail(__FILE__, __LINE__, "describe %s: %s", q, E.msg);
        unit__abort();
    }
    cv_table *t = cv_arena_zalloc(&A, sizeof *t);
    cv_column *cols = cv_arena_zalloc(&A, n * sizeof *cols);
    REQUIRE(t && cols);
    for (uint32_t i = 0; i < n; i++) {
        cols[i].name = rc[i].name;
        cols[i].type = rc[i].type;
        cols[i].nullable = rc[i].nullable;
        cols[i].length = rc[i].length;
    }
    t->cols = cols;
    t->ncols = n;
    REQUIRE_INT(cv_table_set_path(&A, t, "q", false, &E), 0);
    REQUIRE_INT(cv_table_finish(&A, t, &E), 0);
    if (cols_out) *cols_out = rc;
    return t;
}

/* Every row of q, through a cursor; NULL (and E) when reading fails. */
static cv_batch *read_all(jdbc_conn *c, const char *q, const cv_table *t)
{
    jdbc_cursor *cur;
    cv_err_clear(&E);
    if (PG.cursor_open(c, q, t, "0", &cur, &E) < 0) return NULL;
    cv_batch *b = cv_batch_new(t, 1u << 20);
    REQUIRE(b != NULL);
    b->byte_limit = SIZE_MAX;
    bool done = false;
    int rc = 0;
    while (!done && rc == 0) rc = PG.cursor_fetch(cur, b, &done, &E);
    PG.cursor_close(cur);
    if (rc < 0) {
        cv_batch_free(b);
        return NULL;
    }
    return b;
}

/* Value r of column c as text: NULL, arrays Java-style, bytes base64,
 * everything else plain. */
static const char *val(const cv_batch *b, uint32_t col, uint32_t r)
{
    static cv_buf out[2];
    static int k;
    k ^= 1;
    cv_buf_free(&out[k]);
    cv_buf_init(&out[k]);
    const cv_col *c = &b->cols[col];
    if (cv_col_is_null(c, r)) return "NULL";
    cv_fmt_style st = c->type->id == CV_T_ARRAY ? CV_FMT_JAVA : c->type->id == CV_T_BYTES ? CV_FMT_JSON : CV_FMT_TEXT;
    cv_value_format(c, r, st, &out[k]);
    return out[k].data ? out[k].data : "";
}

/* A target for table `name` written from t, keyed by its first nkey columns. */
static jdbc_target *target_of(const cv_table *t, const char *name, uint32_t nkey)
{
    jdbc_target *tg = cv_arena_zalloc(&A, sizeof *tg);
    REQUIRE(tg != NULL);
    tg->in = t;
    tg->name = name;
    tg->display = name;
    tg->same_as = -1;
    cv_buf q;
    cv_buf_init(&q);
    jdbc_quote_path(&PG, NULL, name, &q);
    tg->qualified = cv_arena_strdup(&A, q.data);
    cv_buf_free(&q);
    tg->cols = cv_arena_alloc(&A, (t->ncols + 1) * sizeof *tg->cols);
    tg->all = cv_arena_alloc(&A, (t->ncols + 1) * sizeof *tg->all);
    tg->key = cv_arena_alloc(&A, (nkey + 1) * sizeof *tg->key);
    tg->other = cv_arena_alloc(&A, (t->ncols + 1) * sizeof *tg->other);
    for (uint32_t i = 0; i < t->ncols; i++) {
        tg->cols[i] = t->cols[i].name;
        tg->all[i] = i;
        if (i < nkey)
            tg->key[tg->nkey++] = i;
        else
            tg->other[tg->nother++] = i;
    }
    REQUIRE_INT(jdbc_sql_build(&A, &PG, tg, false, &E), 0);
    return tg;
}

static void create_target(jdbc_conn *c, const jdbc_target *tg)
{
    cv_buf q;
    cv_buf_init(&q);
    REQUIRE_INT(jdbc_sql_create_table(&PG, tg, &q, &E), 0);
    sql(c, q.data);
    cv_buf_free(&q);
}

static void all_rows(const cv_batch *b, uint32_t *rows)
{
    for (uint32_t r = 0; r < b->nrows; r++) rows[r] = r;
}

/* ---- connections ------------------------------------------------------------------------------ */

TEST(pg_connect_errors)
{
    setup();
    /* the server's message, never the password */
    jdbc_connect_opts o = {.url = &U, .user = "no_such_role", .password = "secret-pw", .timeout_ms = 5000, .ctx = &CTX};
    jdbc_conn *c = NULL;
    CHECK_INT(PG.connect(&o, &c, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, cv_arena_printf(&A, "PostgreSQL: cannot connect to %s:%s/%s as no_such_role: ", U.host,
                                          U.port, U.database));
    /* trusting servers say the role is unknown; checking ones do not tell */
    CHECK(strstr(E.msg, "role \"no_such_role\" does not exist") ||
          strstr(E.msg, "password authentication failed for user \"no_such_role\""));
    CHECK(strstr(E.msg, "secret-pw") == NULL);
    /* a wrong password (scripts/services.sh checks passwords on loopback) */
    cv_err_clear(&E);
    o.user = USER;
    o.password = "wrong-password";
    CHECK_INT(PG.connect(&o, &c, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "password authentication failed");
    CHECK(strstr(E.msg, "wrong-password") == NULL);
    /* a port nothing listens on */
    jdbc_url down;
    cv_err_clear(&E);
    REQUIRE_INT(jdbc_url_parse(&A, "jdbc:postgresql://127.0.0.1:1/culvert", NULL, &down, &E), 0);
    o.url = &down;
    o.password = PASSWORD;
    CHECK_INT(PG.connect(&o, &c, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "cannot connect to 127.0.0.1:1/culvert as");
    CHECK_CONTAINS(E.msg, "Connection refused");
    /* a database that does not exist */
    jdbc_url nodb;
    cv_err_clear(&E);
    char *u = cv_arena_printf(&A, "jdbc:postgresql://%s:%s/no_such_db_%d", U.host, U.port, (int)getpid());
    REQUIRE_INT(jdbc_url_parse(&A, u, NULL, &nodb, &E), 0);
    o.url = &nodb;
    CHECK_INT(PG.connect(&o, &c, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, cv_arena_printf(&A, "database \"no_such_db_%d\" does not exist", (int)getpid()));
    CHECK_STR(PG.describe_target(&U),
              cv_arena_printf(&A, "PostgreSQL database %s at %s:%s", U.database, U.host, U.port));
    cv_arena_free(&A);
}

TEST(pg_connect_parameters)
{
    setup();
    /* user and password options win over the url's; JDBC-only parameters
     * are ignored; server settings and currentSchema apply */
    char *u = cv_arena_printf(&A,
                              "jdbc:postgresql://%s:%s/%s?user=nobody&password=nothing&reWriteBatchedInserts=true&"
                              "ApplicationName=cv%%20test&currentSchema=cvs_%d,public&statement_timeout=1234",
                              U.host, U.port, U.database, (int)getpid());
    jdbc_url pu;
    REQUIRE_INT(jdbc_url_parse(&A, u, NULL, &pu, &E), 0);
    jdbc_conn *c = connect_to(&pu, true);
    cv_table *t = table_from(c,
                             "SELECT current_setting('statement_timeout') AS a, current_setting('application_name') "
                             "AS b, current_setting('search_path') AS c, current_setting('TimeZone') AS d, "
                             "current_setting('transaction_read_only') AS e, current_user::text AS f",
                             NULL);
    cv_batch *b = read_all(c,
                           "SELECT current_setting('statement_timeout') AS a, current_setting('application_name') "
                           "AS b, current_setting('search_path') AS c, current_setting('TimeZone') AS d, "
                           "current_setting('transaction_read_only') AS e, current_user::text AS f",
                           t);
    REQUIRE(b != NULL);
    CHECK_STR(val(b, 0, 0), "1234ms");
    CHECK_STR(val(b, 1, 0), "cv test");
    CHECK_STR(val(b, 2, 0), cv_arena_printf(&A, "cvs_%d,public", (int)getpid()));
    CHECK_STR(val(b, 3, 0), "UTC");
    CHECK_STR(val(b, 4, 0), "on");
    CHECK_STR(val(b, 5, 0), USER);
    cv_batch_free(b);
    PG.disconnect(c);
    /* a value the server refuses is a configuration error */
    u = cv_arena_printf(&A, "jdbc:postgresql://%s:%s/%s?statement_timeout=soon", U.host, U.port, U.database);
    REQUIRE_INT(jdbc_url_parse(&A, u, NULL, &pu, &E), 0);
    jdbc_connect_opts o = {.url = &pu, .user = USER, .password = PASSWORD, .timeout_ms = 5000, .ctx = &CTX};
    CHECK_INT(PG.connect(&o, &c, &E), CV_ECONFIG);
    CHECK_CONTAINS(E.msg, "PostgreSQL setting statement_timeout = \"soon\": invalid value for parameter");
    cv_arena_free(&A);
}

/* A list of hosts: libpq tries them in order (the first refuses). */
TEST(pg_connect_host_list)
{
    setup();
    char *u =
        cv_arena_printf(&A, "jdbc:postgresql://127.0.0.1:1,%s:%s/%s?connectTimeout=5", U.host, U.port, U.database);
    jdbc_url pu;
    REQUIRE_INT(jdbc_url_parse(&A, u, NULL, &pu, &E), 0);
    jdbc_conn *c = connect_to(&pu, false);
    CHECK_INT(query(c, "SELECT 5"), 5);
    PG.disconnect(c);
    CHECK_STR(PG.describe_target(&pu),
              cv_arena_printf(&A, "PostgreSQL database %s at 127.0.0.1:1,%s:%s", U.database, U.host, U.port));
    /* PgJDBC's short form jdbc:postgresql:database means localhost:5432 */
    REQUIRE_INT(jdbc_url_parse(&A, "jdbc:postgresql:somedb", NULL, &pu, &E), 0);
    CHECK_STR(PG.describe_target(&pu), "PostgreSQL database somedb at localhost:5432");
    cv_arena_free(&A);
}

/* `properties { … }`: a value the server refuses is an error at the
 * property; an unknown name is a JDBC option (warned about, ignored). */
TEST(pg_connect_properties)
{
    setup();
    const char *text = "properties {\n  lock_timeout = \"1s\"\n  defaultRowFetchSize = 100\n"
                       "  work_mem = \"lots\"\n}\n";
    cv_doc doc;
    memset(&doc, 0, sizeof doc);
    REQUIRE_INT(cv_config_parse(&doc, "job.conf", text, strlen(text), NULL, &E), 0);
    const cv_node *props = cv_node_get(doc.root, "properties");
    REQUIRE(props != NULL);
    jdbc_connect_opts o = {
        .url = &U, .user = USER, .password = PASSWORD, .properties = props, .timeout_ms = 5000, .ctx = &CTX};
    jdbc_conn *c = NULL;
    CHECK_INT(PG.connect(&o, &c, &E), CV_ECONFIG);
    CHECK_CONTAINS(E.msg, "PostgreSQL setting work_mem = \"lots\": invalid value for parameter \"work_mem\"");
    CHECK_UINT(E.line, 4);
    cv_doc_free(&doc);
    cv_arena_free(&A);
}

/* ---- reading ------------------------------------------------------------------------------------ */

TEST(pg_read_every_type)
{
    setup();
    jdbc_conn *c = connect_pg();
    const char *t = uniq("types"), *mood = uniq("mood"), *pos = uniq("posint");
    sqlf(c, "CREATE TYPE %s AS ENUM ('sad', 'happy')", mood);
    sqlf(c, "CREATE DOMAIN %s AS integer CHECK (VALUE > 0)", pos);
    sql(c, cv_arena_printf(
               &A,
               "CREATE TABLE %s (id int PRIMARY KEY, b bool, i2 int2, i4 int4 NOT NULL, i8 int8, f4 float4, "
               "f8 float8, n numeric(38,10), nn numeric, n52 numeric(5,2), t text, vc varchar(10), bc char(3), "
               "nm name, u uuid, j json, jb jsonb, x xml, ip inet, ci cidr, mac macaddr, iv interval, m money, "
               "bits bit(4), vb varbit, e %s, dom %s, by bytea, d date, tm time, ttz timetz, ts timestamp, "
               "ts3 timestamp(3), tstz timestamptz, ai int4[], at text[], an numeric(10,2)[], ab bool[], ad date[], "
               "ats timestamp[], au uuid[], ainet inet[], ai8 int8[], af8 float8[], oi oid, ch \"char\")",
               t, mood, pos));
    sql(c, cv_arena_printf(
               &A,
               "INSERT INTO %s VALUES "
               "(1, true, 12, 34, 56, 1.5, 2.25, 123.456, 0.1, 123.45, 'hello', 'varchar', 'ab', 'nm', "
               "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"a\": 1}', '{\"b\":[1,2]}', '<x>1</x>', '192.168.0.1/24', "
               "'10.0.0.0/8', '08:00:2b:01:02:03', '1 year 2 months 3 days 04:05:06.5', 12.34, B'1010', B'101', "
               "'happy', 7, '\\x0001ff', '2024-02-29', '12:34:56.789', '12:34:56+02', '2024-02-29 12:34:56.123456', "
               "'2024-02-29 12:34:56.123', '2024-02-29 12:34:56.123456+02', '{1,2,3}', '{a,\"b c\"}', "
               "'{1.50,2.25}', '{t,f}', '{2024-01-01}', '{\"2024-01-01 00:00:00\"}', "
               "'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', '{127.0.0.1}', '{1,-9223372036854775808}', "
               "'{0.5,Infinity}', 4000000000, 'x'),"
               "(2, false, -32768, 2147483647, -9223372036854775808, 'Infinity', '-Infinity', "
               "9999999999999999999999999999.9999999999, -12345678901234567890.123456789012345678, -999.99, '', "
               "'Grüße 🌍', '', '', '00000000-0000-0000-0000-000000000000', '[]', 'null', '', '::1', '::/0', "
               "'ff:ff:ff:ff:ff:ff', '-1 second', -0.01, B'0000', B'', 'sad', 1, '', '0001-01-01', '23:59:59.999999', "
               "'00:00:00-15:59', '0001-01-01 00:00:00', '9999-12-31 23:59:59.999', "
               "'9999-12-31 23:59:59.999999+00', '{}', '{NULL,\"\",\"NULL\"}', '{NULL}', '{}', '{}', '{}', '{}', "
               "'{}', '{9223372036854775807,NULL}', '{NaN,-0}', 0, ' '),"
               "(3, NULL, NULL, 0, NULL, 'NaN', 'NaN', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
               "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '4713-01-01 BC', NULL, NULL, "
               "'1969-12-31 23:59:59.999999', NULL, '1970-01-01 00:00:00+00', NULL, NULL, NULL, NULL, NULL, NULL, "
               "NULL, NULL, NULL, NULL, NULL, NULL)",
               t));
    const char *q = cv_arena_printf(&A, "SELECT * FROM %s ORDER BY id", t);
    jdbc_result_col *rc;
    cv_table *tab = table_from(c, q, &rc);
    static const char *want[] = {"int",
                                 "boolean",
                                 "smallint",
                                 "int",
                                 "bigint",
                                 "float",
                                 "double",
                                 "decimal(38,10)",
                                 "decimal(38,18)",
                                 "decimal(5,2)",
                                 "string",
                                 "string",
                                 "string",
                                 "string",
                                 "string",
                                 "string",
                                 "string",
                                 "string",
                                 "string",
                                 "string",
                                 "string",
                                 "string",
                                 "string",
                                 "string",
                                 "string",
                                 "string",
                                 "int",
                                 "bytes",
                                 "date",
                                 "time",
                                 "string",
                                 "timestamp",
                                 "timestamp",
                                 "timestamp_tz",
                                 "array<int>",
                                 "array<string>",
                                 "array<decimal(10,2)>",
                                 "array<boolean>",
                                 "array<date>",
                                 "array<timestamp>",
                                 "array<string>",
                                 "array<string>",
                                 "array<bigint>",
                                 "array<double>",
                                 "bigint",
                                 "string"};
    REQUIRE_UINT(tab->ncols, sizeof want / sizeof *want);
    for (uint32_t i = 0; i < tab->ncols; i++) {
        unit_context("column %s", tab->cols[i].name);
        CHECK_STR(tstr(tab->cols[i].type), want[i]);
        CHECK_STR(rc[i].origin_table, t);
        CHECK_STR(rc[i].origin_db, cv_arena_printf(&A, "%s.public", U.database));
    }
    unit_context_clear();
    CHECK(!rc[0].nullable && !rc[3].nullable && rc[1].nullable);
    CHECK_INT(rc[11].length, 10);
    CHECK_INT(rc[12].length, 3);
    CHECK_STR(rc[11].decl, "character varying(10)");
    CHECK_STR(rc[32].decl, "timestamp(3) without time zone");
    CHECK_STR(rc[26].decl, pos);

    cv_batch *b = read_all(c, q, tab);
    if (!b) unit__fail(__FILE__, __LINE__, "read: %s", E.msg);
    REQUIRE(b != NULL);
    REQUIRE_UINT(b->nrows, 3);
    static const char *rows[3][46] = {
        {"1",
         "true",
         "12",
         "34",
         "56",
         "1.5",
         "2.25",
         "123.4560000000",
         "0.100000000000000000",
         "123.45",
         "hello",
         "varchar",
         "ab ",
         "nm",
         "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
         "{\"a\": 1}",
         "{\"b\": [1, 2]}",
         "<x>1</x>",
         "192.168.0.1/24",
         "10.0.0.0/8",
         "08:00:2b:01:02:03",
         "P1Y2M3DT4H5M6.5S",
         "$12.34",
         "1010",
         "101",
         "happy",
         "7",
         "\"AAH/\"",
         "2024-02-29",
         "12:34:56.789",
         "12:34:56+02",
         "2024-02-29 12:34:56.123456",
         "2024-02-29 12:34:56.123",
         "2024-02-29 10:34:56.123456Z",
         "[1, 2, 3]",
         "[a, b c]",
         "[1.50, 2.25]",
         "[true, false]",
         "[2024-01-01]",
         "[2024-01-01T00:00]",
         "[a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11]",
         "[127.0.0.1]",
         "[1, -9223372036854775808]",
         "[0.5, Infinity]",
         "4000000000",
         "x"},
        {"2",
         "false",
         "-32768",
         "2147483647",
         "-9223372036854775808",
         "Infinity",
         "-Infinity",
         "9999999999999999999999999999.9999999999",
         "-12345678901234567890.123456789012345678",
         "-999.99",
         "",
         "Grüße 🌍",
         "   ",
         "",
         "00000000-0000-0000-0000-000000000000",
         "[]",
         "null",
         "",
         "::1",
         "::/0",
         "ff:ff:ff:ff:ff:ff",
         "PT-1S",
         "-$0.01",
         "0000",
         "",
         "sad",
         "1",
         "\"\"",
         "0001-01-01",
         "23:59:59.999999",
         "00:00:00-15:59",
         "0001-01-01 00:00:00",
         "9999-12-31 23:59:59.999",
         "9999-12-31 23:59:59.999999Z",
         "[]",
         "[null, , NULL]",
         "[null]",
         "[]",
         "[]",
         "[]",
         "[]",
         "[]",
         "[9223372036854775807, null]",
         "[NaN, -0.0]",
         "0",
         " "},
        {"3",           "NULL",
         "NULL",        "0",
         "NULL",        "NaN",
         "NaN",         "NULL",
         "NULL",        "NULL",
         "NULL",        "NULL",
         "NULL",        "NULL",
         "NULL",        "NULL",
         "NULL",        "NULL",
         "NULL",        "NULL",
         "NULL",        "NULL",
         "NULL",        "NULL",
         "NULL",        "NULL",
         "NULL",        "NULL",
         "-4712-01-01", "NULL",
         "NULL",        "1969-12-31 23:59:59.999999",
         "NULL",        "1970-01-01 00:00:00Z",
         "NULL",        "NULL",
         "NULL",        "NULL",
         "NULL",        "NULL",
         "NULL",        "NULL",
         "NULL",        "NULL",
         "NULL",        "NULL"},
    };
    for (uint32_t r = 0; r < 3; r++)
        for (uint32_t k = 0; k < tab->ncols; k++) {
            unit_context("row %u column %s", r + 1, tab->cols[k].name);
            CHECK_STR(val(b, k, r), rows[r][k]);
        }
    unit_context_clear();
    /* empty text is not NULL; zero bytes are bytes */
    CHECK(!cv_col_is_null(&b->cols[10], 1) && cv_col_is_null(&b->cols[10], 2));
    uint32_t blen;
    const char *by = cv_col_str(&b->cols[27], 0, &blen);
    CHECK_UINT(blen, 3);
    CHECK_MEM(by, "\x00\x01\xff", 3);
    cv_batch_free(b);
    sqlf(c, "DROP TABLE %s", t);
    sqlf(c, "DROP TYPE %s", mood);
    sqlf(c, "DROP DOMAIN %s", pos);
    PG.disconnect(c);
    cv_arena_free(&A);
}

/* Values no culvert column can hold are errors naming table, column and
 * row; nothing is rounded or clamped. */
TEST(pg_read_values_that_do_not_fit)
{
    setup();
    jdbc_conn *c = connect_pg();
    static const struct {
        const char *query, *msg;
    } cases[] = {
        {"SELECT x FROM (VALUES (1::numeric), (0.1234567890123456789)) v(x)",
         "column x, row 2: the value has more decimal places than decimal(38,18) holds (it would be rounded)"},
        {"SELECT x FROM (VALUES (123456789012345678901::numeric)) v(x)",
         "row 1: the value does not fit decimal(38,18)"},
        {"SELECT 'NaN'::numeric(10,2) AS x", "row 1: NaN is not a number a decimal column can hold"},
        {"SELECT 'infinity'::timestamp AS x", "infinity cannot be read as a timestamp"},
        {"SELECT '-infinity'::date AS x", "-infinity cannot be read as a date"},
        {"SELECT '24:00:00'::time AS x", "24:00:00 is not a time of day culvert holds"},
        {"SELECT '{{1,2},{3,4}}'::int[] AS x", "a 2-dimensional array cannot be read as culvert's array type"},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        unit_context("%s", cases[i].query);
        cv_table *t = table_from(c, cases[i].query, NULL);
        cv_err_clear(&E);
        cv_batch *b = read_all(c, cases[i].query, t);
        CHECK(b == NULL);
        CHECK_INT(E.code, CV_EDATA);
        CHECK_CONTAINS(E.msg, cases[i].msg);
        cv_batch_free(b);
        /* the connection is usable after the stopped COPY */
        CHECK_INT(query(c, "SELECT 42"), 42);
    }
    unit_context_clear();
    /* numeric(50,2) is wider than culvert's decimals: exact text */
    cv_table *t = table_from(c, "SELECT 123456789012345678901234567890123456789012.25::numeric(50,2) AS x", NULL);
    CHECK_STR(tstr(t->cols[0].type), "string");
    cv_batch *b = read_all(c, "SELECT 123456789012345678901234567890123456789012.25::numeric(50,2) AS x", t);
    REQUIRE(b != NULL);
    CHECK_STR(val(b, 0, 0), "123456789012345678901234567890123456789012.25");
    cv_batch_free(b);
    PG.disconnect(c);
    cv_arena_free(&A);
}

TEST(pg_describe_errors_and_names)
{
    setup();
    jdbc_conn *c = connect_pg();
    jdbc_result_col *cols;
    uint32_t n;
    CHECK_INT(PG.describe(c, "SELECT * FROM no_such_table_at_all", &A, &cols, &n, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "relation \"no_such_table_at_all\" does not exist (SQLSTATE 42P01)");
    cv_err_clear(&E);
    CHECK_INT(PG.describe(c, "SELEC 1", &A, &cols, &n, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "syntax error");
    /* expressions have no table; repeated names and trailing ; -- are fine */
    const char *q = "SELECT 1 AS \"a b\", '10.0.0.1'::inet AS x, '{10.0.0.1/8,NULL}'::inet[] AS y, "
                    "NULL::inet[] AS z; -- trailing comment";
    cv_table *t = table_from(c, q, &cols);
    CHECK(cols[0].origin_table == NULL && cols[0].nullable);
    CHECK_STR(tstr(t->cols[1].type), "string");
    CHECK_STR(tstr(t->cols[2].type), "array<string>");
    cv_batch *b = read_all(c, q, t);
    if (!b) unit__fail(__FILE__, __LINE__, "read: %s", E.msg);
    REQUIRE(b != NULL);
    CHECK_STR(val(b, 0, 0), "1");
    CHECK_STR(val(b, 1, 0), "10.0.0.1");
    CHECK_STR(val(b, 2, 0), "[10.0.0.1/8, null]");
    CHECK_STR(val(b, 3, 0), "NULL");
    cv_batch_free(b);
    /* a view's columns come from its table */
    const char *tb = uniq("vbase"), *vw = uniq("view");
    sqlf(c, "CREATE TABLE %s (a int NOT NULL, b inet)", tb);
    sql(c, cv_arena_printf(&A, "CREATE VIEW %s AS SELECT a, b FROM %s", vw, tb));
    q = cv_arena_printf(&A, "SELECT * FROM %s", vw);
    t = table_from(c, q, &cols);
    CHECK_STR(cols[0].origin_table, vw);
    sql(c, cv_arena_printf(&A, "DROP VIEW %s; DROP TABLE %s", vw, tb));
    PG.disconnect(c);
    cv_arena_free(&A);
}

TEST(pg_table_keys)
{
    setup();
    jdbc_conn *c = connect_pg();
    const char *t = uniq("keys"), *s = uniq("schema"), *v = uniq("keysview");
    sql(c, cv_arena_printf(&A, "CREATE TABLE %s (a int, b text, c int, PRIMARY KEY (c, a))", t));
    sql(c, cv_arena_printf(&A, "CREATE SCHEMA %s; CREATE TABLE %s.%s (x int)", s, s, t));
    sql(c, cv_arena_printf(&A, "CREATE VIEW %s AS SELECT * FROM %s", v, t));
    jdbc_table_keys k;
    REQUIRE_INT(PG.table_keys(c, &A, NULL, t, &k, &E), 0);
    CHECK(k.exists);
    REQUIRE_UINT(k.npk, 2);
    CHECK_STR(k.pk[0], "c");
    CHECK_STR(k.pk[1], "a");
    REQUIRE_INT(PG.table_keys(c, &A, s, t, &k, &E), 0);
    CHECK(k.exists && k.npk == 0);
    REQUIRE_INT(PG.table_keys(c, &A, NULL, v, &k, &E), 0);
    CHECK(k.exists && k.npk == 0);
    REQUIRE_INT(PG.table_keys(c, &A, "public", "no_such_table", &k, &E), 0);
    CHECK(!k.exists);
    REQUIRE_INT(PG.table_keys(c, &A, "no_such_schema", t, &k, &E), 0);
    CHECK(!k.exists);
    /* schema NULL follows search_path */
    sql(c, cv_arena_printf(&A, "SET search_path = %s, public", s));
    REQUIRE_INT(PG.table_keys(c, &A, NULL, t, &k, &E), 0);
    CHECK(k.exists && k.npk == 0);
    sql(c, "SET search_path = public");
    sql(c, cv_arena_printf(&A, "DROP VIEW %s; DROP TABLE %s; DROP SCHEMA %s CASCADE", v, t, s));
    PG.disconnect(c);
    cv_arena_free(&A);
}

/* ---- writing --------------------------------------------------------------------------------------- */

static const char *const WNAMES[] = {"id", "b",  "i1", "i2", "i4", "i8", "f4",  "f8",   "d38", "d10", "s",  "sv",
                                     "by", "dt", "tm", "ts", "tz", "ai", "as_", "adec", "af",  "mp",  "rw", "nl"};
static const char *const WTYPES[] = {"bigint",
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
                                     "array<string>",
                                     "array<decimal(10,2)>",
                                     "array<double>",
                                     "map<string, int>",
                                     "row<x int, y string>",
                                     "null"};
#define NW 24

/* Rows of every culvert type: typical, extremes, NULLs, odd text. */
static cv_batch *write_rows(const cv_table *t)
{
    static const char *scal[4][17] = {
        {"1", "true", "1", "2", "3", "4", "1.5", "2.25", "12345678901234567890.1234567891", "12.30", "hello", "vc",
         "AAEC/w==", "2024-02-29", "12:34:56.789", "2024-02-29T12:34:56.123456", "2024-02-29T12:34:56.123456+02:00"},
        {"2", "false", "-128", "-32768", "-2147483648", "-9223372036854775808", "3.4028235E38",
         "1.7976931348623157E308", "-9999999999999999999999999999.9999999999", "-99999999.99", "Grüße, 世界 🌍", "", "",
         "0001-01-01", "23:59:59.999999", "0001-01-01T00:00:00", "9999-12-31T23:59:59.999999Z"},
        {"3", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
        {"4", "true", "127", "32767", "2147483647", "9223372036854775807", "-Infinity", "NaN", "0.0000000001", "0.00",
         "it's \"quoted\"\nline\ttab \\ {}", "x", "AA==", "9999-12-31", "00:00:00", "1969-12-31T23:59:59.999999",
         "1969-12-31T23:59:59.999999-00:30"},
    };
    cv_batch *b = cv_batch_new(t, 8);
    REQUIRE(b != NULL);
    for (int r = 0; r < 4; r++) {
        for (int k = 0; k < 17; k++) {
            cv_col *c = &b->cols[k];
            if (!scal[r][k]) {
                cv_col_append_null(c);
                continue;
            }
            if (c->type->id == CV_T_BYTES) {
                cv_buf raw;
                cv_buf_init(&raw);
                REQUIRE_INT(cv_base64_decode(scal[r][k], strlen(scal[r][k]), &raw), 0);
                cv_col_append_str(c, raw.data ? raw.data : "", raw.len);
                cv_buf_free(&raw);
                continue;
            }
            if (cv_value_parse(c, scal[r][k], strlen(scal[r][k]), &E) < 0) {
                unit__fail(__FILE__, __LINE__, "row %d col %d: %s", r, k, E.msg);
                unit__abort();
            }
        }
        cv_col *ai = &b->cols[17], *as = &b->cols[18], *ad = &b->cols[19], *af = &b->cols[20];
        cv_col *mp = &b->cols[21], *rw = &b->cols[22], *nl = &b->cols[23];
        if (r == 2) {
            cv_col_append_null(ai);
            cv_col_append_null(as);
            cv_col_append_null(ad);
            cv_col_append_null(af);
            cv_col_append_null(mp);
            cv_col_append_null(rw);
        } else if (r == 1) {
            cv_col_append_list(ai, 0);
            cv_col_append_list(as, 0);
            cv_col_append_list(ad, 0);
            cv_col_append_list(af, 0);
            cv_col_append_list(mp, 0);
            cv_col_append_null(&rw->child[0]);
            cv_col_append_str(&rw->child[1], "", 0);
            cv_col_append_struct(rw);
        } else {
            cv_col_append_i32(&ai->child[0], 1);
            cv_col_append_null(&ai->child[0]);
            cv_col_append_i32(&ai->child[0], -7);
            cv_col_append_list(ai, 3);
            cv_col_append_str(&as->child[0], "a\"b", 3);
            cv_col_append_null(&as->child[0]);
            cv_col_append_str(&as->child[0], "", 0);
            cv_col_append_str(&as->child[0], "NULL", 4);
            cv_col_append_list(as, 4);
            REQUIRE_INT(cv_value_parse(&ad->child[0], "-1.25", 5, &E), 0);
            cv_col_append_null(&ad->child[0]);
            cv_col_append_list(ad, 2);
            cv_col_append_f64(&af->child[0], 0.1);
            cv_col_append_f64(&af->child[0], INFINITY);
            cv_col_append_list(af, 2);
            cv_col_append_str(&mp->child[0], "k", 1);
            cv_col_append_i32(&mp->child[1], r);
            cv_col_append_list(mp, 1);
            cv_col_append_i32(&rw->child[0], 7);
            cv_col_append_str(&rw->child[1], "seven", 5);
            cv_col_append_struct(rw);
        }
        cv_col_append_null(nl);
        cv_batch_end_row(b, CV_ROW_INSERT);
    }
    REQUIRE_INT(cv_batch_check(b, &E), 0);
    return b;
}

/* Read table name back and compare with what was written: types that
 * round-trip compare value for value; tinyint comes back as smallint,
 * composites as their jsonb text, the null type as NULL text. */
static void check_written(jdbc_conn *c, const char *name, const cv_batch *in)
{
    const char *q = cv_arena_printf(&A, "SELECT * FROM \"%s\" ORDER BY id", name);
    cv_table *t = table_from(c, q, NULL);
    REQUIRE_UINT(t->ncols, NW);
    static const char *back[NW] = {
        "bigint",        "boolean",      "smallint",   "smallint",       "int",
        "bigint",        "float",        "double",     "decimal(38,10)", "decimal(10,2)",
        "string",        "string",       "bytes",      "date",           "time",
        "timestamp",     "timestamp_tz", "array<int>", "array<string>",  "array<decimal(10,2)>",
        "array<double>", "string",       "string",     "string"};
    for (uint32_t k = 0; k < NW; k++) {
        unit_context("column %s", WNAMES[k]);
        CHECK_STR(tstr(t->cols[k].type), back[k]);
    }
    unit_context_clear();
    cv_batch *b = read_all(c, q, t);
    if (!b) unit__fail(__FILE__, __LINE__, "read %s: %s", name, E.msg);
    REQUIRE(b != NULL);
    REQUIRE_UINT(b->nrows, in->nrows);
    for (uint32_t r = 0; r < b->nrows; r++)
        for (uint32_t k = 0; k < NW; k++) {
            unit_context("%s row %u column %s", name, r + 1, WNAMES[k]);
            const cv_col *o = &b->cols[k], *i = &in->cols[k];
            CHECK_INT(cv_col_is_null(o, r), cv_col_is_null(i, r) || i->type->id == CV_T_NULL);
            if (cv_col_is_null(o, r)) continue;
            if (k == 2)
                CHECK_INT(cv_col_get_int(o, r), cv_col_get_int(i, r));
            else if (k < 21)
                CHECK_INT(cv_value_compare(i, r, o, r), 0);
        }
    unit_context_clear();
    CHECK_STR(val(b, 21, 0), "{\"k\": 0}");
    CHECK_STR(val(b, 22, 0), "{\"x\": 7, \"y\": \"seven\"}");
    CHECK_STR(val(b, 22, 1), "{\"x\": null, \"y\": \"\"}");
    CHECK_STR(val(b, 18, 0), "[a\"b, null, , NULL]");
    cv_batch_free(b);
}

TEST(pg_write_every_type)
{
    setup();
    jdbc_conn *c = connect_pg();
    cv_table *t = table_of(&A, "w", WNAMES, WTYPES, NW);
    t->cols[11].length = 5;
    cv_batch *b = write_rows(t);
    uint32_t rows[8];
    all_rows(b, rows);
    const char *n1 = uniq("bulk"), *n2 = uniq("stmt");
    jdbc_target *bulk = target_of(t, n1, 1), *st = target_of(t, n2, 1);
    create_target(c, bulk);
    create_target(c, st);
    /* DDL for every culvert type */
    const char *q = cv_arena_printf(&A,
                                    "SELECT string_agg(format_type(atttypid, atttypmod), ', ' ORDER BY attnum) "
                                    "FROM pg_attribute WHERE attrelid = '%s'::regclass AND attnum > 0",
                                    n1);
    cv_table *dt = table_from(c, q, NULL);
    cv_batch *ddl = read_all(c, q, dt);
    REQUIRE(ddl != NULL);
    CHECK_STR(val(ddl, 0, 0), "bigint, boolean, smallint, smallint, integer, bigint, real, double precision, "
                              "numeric(38,10), numeric(10,2), text, character varying(5), bytea, date, "
                              "time without time zone, timestamp without time zone, timestamp with time zone, "
                              "integer[], text[], numeric(10,2)[], double precision[], jsonb, jsonb, text");
    cv_batch_free(ddl);
    /* by COPY */
    REQUIRE_INT(jdbc_bulk1(&PG, c, bulk, JDBC_BULK_INSERT, b, rows, b->nrows, &E), 0);
    CHECK_INT(jdbc_bulk1(&PG, c, bulk, JDBC_BULK_UPSERT, b, rows, b->nrows, &E), JDBC_BULK_DECLINED);
    check_written(c, n1, b);
    /* by statements, in one pipeline */
    jdbc_stmt *s;
    REQUIRE_INT(PG.prepare(c, st->insert, t, st->all, NW, &s, &E), 0);
    CHECK_INT(PG.param_count(s), NW);
    REQUIRE_INT(PG.exec_rows(s, b, rows, b->nrows, &E), 0);
    PG.finalize(s);
    check_written(c, n2, b);
    cv_batch_free(b);
    sql(c, cv_arena_printf(&A, "DROP TABLE %s; DROP TABLE %s", n1, n2));
    PG.disconnect(c);
    cv_arena_free(&A);
}

/* Arrays of every scalar type: the DDL makes elem[], COPY and statements
 * write them, and they read back as the same array type (tinyint as
 * smallint), NULL elements and empty arrays included. */
TEST(pg_write_arrays)
{
    setup();
    jdbc_conn *c = connect_pg();
    static const char *names[] = {"id", "ab", "ai1", "ai2", "ai8", "af4", "aby", "ad", "atm", "ats", "atz", "adec"};
    static const char *types[] = {"bigint",        "array<boolean>",   "array<tinyint>",      "array<smallint>",
                                  "array<bigint>", "array<float>",     "array<bytes>",        "array<date>",
                                  "array<time>",   "array<timestamp>", "array<timestamp_tz>", "array<decimal(5,1)>"};
    static const char *back[] = {"bigint",        "array<boolean>",   "array<smallint>",     "array<smallint>",
                                 "array<bigint>", "array<float>",     "array<bytes>",        "array<date>",
                                 "array<time>",   "array<timestamp>", "array<timestamp_tz>", "array<decimal(5,1)>"};
    static const char *elems[] = {NULL,
                                  "true",
                                  "-128",
                                  "32767",
                                  "-9223372036854775808",
                                  "1.5",
                                  "AAEC",
                                  "2024-02-29",
                                  "23:59:59.999999",
                                  "0001-01-01T00:00:00",
                                  "9999-12-31T23:59:59.999999Z",
                                  "-9999.9"};
    enum { NC = 12 };
    cv_table *t = table_of(&A, "arr", names, types, NC);
    cv_batch *b = cv_batch_new(t, 4);
    for (int r = 0; r < 3; r++) {
        cv_col_append_i64(&b->cols[0], r);
        for (int k = 1; k < NC; k++) {
            cv_col *col = &b->cols[k], *ch = &col->child[0];
            if (r == 2) {
                cv_col_append_list(col, 0);
                continue;
            }
            if (k == 6) {
                cv_col_append_str(ch, "\0\1\2", 3);
            } else {
                REQUIRE_INT(cv_value_parse(ch, elems[k], strlen(elems[k]), &E), 0);
            }
            if (r == 0) cv_col_append_null(ch); /* row 0: the element and a NULL; row 1: the element */
            cv_col_append_list(col, r == 0 ? 2 : 1);
        }
        cv_batch_end_row(b, CV_ROW_INSERT);
    }
    REQUIRE_INT(cv_batch_check(b, &E), 0);
    uint32_t rows[] = {0, 1, 2};
    for (int how = 0; how < 2; how++) {
        const char *name = uniq(how ? "arrstmt" : "arrbulk");
        jdbc_target *tg = target_of(t, name, 1);
        create_target(c, tg);
        if (how == 0) {
            REQUIRE_INT(jdbc_bulk1(&PG, c, tg, JDBC_BULK_INSERT, b, rows, 3, &E), 0);
        } else {
            jdbc_stmt *s;
            REQUIRE_INT(PG.prepare(c, tg->insert, t, tg->all, NC, &s, &E), 0);
            REQUIRE_INT(PG.exec_rows(s, b, rows, 3, &E), 0);
            PG.finalize(s);
        }
        const char *q = cv_arena_printf(&A, "SELECT * FROM %s ORDER BY id", name);
        cv_table *rt = table_from(c, q, NULL);
        cv_batch *o = read_all(c, q, rt);
        if (!o) unit__fail(__FILE__, __LINE__, "read: %s", E.msg);
        REQUIRE(o != NULL);
        REQUIRE_UINT(o->nrows, 3);
        for (int k = 0; k < NC; k++) {
            unit_context("%s column %s", name, names[k]);
            CHECK_STR(tstr(rt->cols[k].type), back[k]);
            for (uint32_t r = 0; r < 3; r++) {
                cv_buf x, y;
                cv_buf_init(&x);
                cv_buf_init(&y);
                cv_value_format(&b->cols[k], r, CV_FMT_JSON, &x);
                cv_value_format(&o->cols[k], r, CV_FMT_JSON, &y);
                CHECK_STR(y.data, x.data);
                cv_buf_free(&x);
                cv_buf_free(&y);
            }
        }
        unit_context_clear();
        cv_batch_free(o);
        sqlf(c, "DROP TABLE %s", name);
    }
    cv_batch_free(b);
    PG.disconnect(c);
    cv_arena_free(&A);
}

/* A culvert string goes into json, jsonb, uuid, enum and xml columns by
 * COPY; inet and interval columns decline COPY and take text by statement. */
TEST(pg_write_into_typed_columns)
{
    setup();
    jdbc_conn *c = connect_pg();
    const char *tb = uniq("typed"), *mood = uniq("wmood"), *tb2 = uniq("typed2");
    sqlf(c, "CREATE TYPE %s AS ENUM ('sad', 'happy')", mood);
    sql(c, cv_arena_printf(&A, "CREATE TABLE %s (id bigint, j json, jb jsonb, u uuid, e %s, x xml, v varchar(4))", tb,
                           mood));
    static const char *names[] = {"id", "j", "jb", "u", "e", "x", "v"};
    static const char *types[] = {"bigint", "string", "string", "string", "string", "string", "string"};
    cv_table *t = table_of(&A, "typed", names, types, 7);
    cv_batch *b = cv_batch_new(t, 4);
    static const char *vals[2][7] = {
        {"1", "{\"a\":1}", "{\"b\": [true]}", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "happy", "<a/>", "düfe"},
        {"2", "[]", "null", "{a0eebc999c0b4ef8bb6d6bb9bd380a11}", "sad", "text", ""},
    };
    for (int r = 0; r < 2; r++) {
        for (int k = 0; k < 7; k++) REQUIRE_INT(cv_value_parse(&b->cols[k], vals[r][k], strlen(vals[r][k]), &E), 0);
        cv_batch_end_row(b, CV_ROW_INSERT);
    }
    uint32_t rows[] = {0, 1};
    jdbc_target *tg = target_of(t, tb, 0);
    REQUIRE_INT(jdbc_bulk1(&PG, c, tg, JDBC_BULK_INSERT, b, rows, 2, &E), 0);
    const char *q =
        cv_arena_printf(&A, "SELECT j::text, jb::text, u::text, e::text, x::text, v FROM %s ORDER BY id", tb);
    cv_table *rt = table_from(c, q, NULL);
    cv_batch *back = read_all(c, q, rt);
    REQUIRE(back != NULL);
    CHECK_STR(val(back, 0, 0), "{\"a\":1}");
    CHECK_STR(val(back, 1, 0), "{\"b\": [true]}");
    CHECK_STR(val(back, 2, 0), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    CHECK_STR(val(back, 2, 1), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    CHECK_STR(val(back, 3, 0), "happy");
    CHECK_STR(val(back, 5, 0), "düfe");
    cv_batch_free(back);
    /* values the column refuses: the server's message, or culvert's */
    cv_col *e = &b->cols[4];
    (void)e;
    cv_batch *bad = cv_batch_new(t, 1);
    static const char *badv[7] = {"3", "{", "[]", "not-a-uuid", "sad", "", "x"};
    for (int k = 0; k < 7; k++) REQUIRE_INT(cv_value_parse(&bad->cols[k], badv[k], strlen(badv[k]), &E), 0);
    cv_batch_end_row(bad, CV_ROW_INSERT);
    CHECK_INT(jdbc_bulk1(&PG, c, tg, JDBC_BULK_INSERT, bad, rows, 1, &E), CV_EDATA);
    CHECK_CONTAINS(E.msg, cv_arena_printf(&A, "table %s, column u, row 1: \"not-a-uuid\" is not a uuid", tb));
    CHECK_INT(query(c, "SELECT 1"), 1); /* the aborted COPY left the connection usable */
    /* inet and interval: COPY declines, statements send text */
    sql(c, cv_arena_printf(&A, "CREATE TABLE %s (id bigint, ip inet, iv interval)", tb2));
    static const char *n2[] = {"id", "ip", "iv"};
    static const char *t2[] = {"bigint", "string", "string"};
    cv_table *tt = table_of(&A, "typed2", n2, t2, 3);
    cv_batch *b2 = cv_batch_new(tt, 1);
    REQUIRE_INT(cv_value_parse(&b2->cols[0], "1", 1, &E), 0);
    REQUIRE_INT(cv_value_parse(&b2->cols[1], "10.1.2.3/16", 11, &E), 0);
    REQUIRE_INT(cv_value_parse(&b2->cols[2], "P1DT2H", 6, &E), 0);
    cv_batch_end_row(b2, CV_ROW_INSERT);
    jdbc_target *tg2 = target_of(tt, tb2, 0);
    CHECK_INT(jdbc_bulk1(&PG, c, tg2, JDBC_BULK_INSERT, b2, rows, 1, &E), JDBC_BULK_DECLINED);
    jdbc_stmt *s;
    REQUIRE_INT(PG.prepare(c, tg2->insert, tt, tg2->all, 3, &s, &E), 0);
    REQUIRE_INT(PG.exec_rows(s, b2, rows, 1, &E), 0);
    PG.finalize(s);
    q = cv_arena_printf(&A, "SELECT ip, iv FROM %s", tb2);
    rt = table_from(c, q, NULL);
    back = read_all(c, q, rt);
    REQUIRE(back != NULL);
    CHECK_STR(val(back, 0, 0), "10.1.2.3/16");
    CHECK_STR(val(back, 1, 0), "P1DT2H");
    cv_batch_free(back);
    cv_batch_free(b);
    cv_batch_free(bad);
    cv_batch_free(b2);
    sql(c, cv_arena_printf(&A, "DROP TABLE %s; DROP TABLE %s; DROP TYPE %s", tb, tb2, mood));
    PG.disconnect(c);
    cv_arena_free(&A);
}

/* The server would round to the column's typmod: culvert refuses. */
TEST(pg_write_refuses_rounding)
{
    setup();
    jdbc_conn *c = connect_pg();
    const char *tb = uniq("round");
    sql(c, cv_arena_printf(&A,
                           "CREATE TABLE %s (d numeric(6,2), ts timestamp(0), tm time(3), v varchar(3), i int, "
                           "r real, big numeric(4,0))",
                           tb));
    static const char *names[] = {"d", "ts", "tm", "v", "i", "r", "big"};
    static const char *types[] = {"decimal(10,4)", "timestamp", "time", "string", "bigint", "double", "int"};
    cv_table *t = table_of(&A, "round", names, types, 7);
    jdbc_target *tg = target_of(t, tb, 0);
    static const struct {
        int col;
        const char *bad, *ok, *msg;
    } cases[] = {
        {0, "1.2345", "1.2300", "column d, row 1: the column keeps 2 decimal places: the value would be rounded"},
        {0, "12345.1", "1234.5", "column d, row 1: the value does not fit the column's numeric(6,2)"},
        {1, "2024-01-01T00:00:00.5", "2024-01-01T00:00:01", "column ts, row 1: the column keeps 0 fractional digits"},
        {2, "12:00:00.0001", "12:00:00.001", "column tm, row 1: the column keeps 3 fractional digits"},
        {2, "12:00:00.000000001", "12:00:00", "column tm, row 1: the time has nanoseconds"},
        {3, "abcd", "äöü", "column v, row 1: the text is longer than the column's 3 characters"},
        {3, "ab  ", "ab ", "column v, row 1: the text is longer than the column's 3 characters"},
        {4, "2147483648", "-2147483648", "column i, row 1: 2147483648 does not fit the column's integer"},
        {5, "0.1", "0.5", "column r, row 1: 0.10000000000000001 is not exact as the column's real"},
        {6, "10000", "-9999", "column big, row 1: the value does not fit the column's numeric(4,0)"},
    };
    uint32_t row = 0;
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        unit_context("%s", cases[i].bad);
        for (int good = 0; good < 2; good++) {
            cv_batch *b = cv_batch_new(t, 1);
            for (uint32_t k = 0; k < 7; k++) {
                const char *v = (int)k != cases[i].col ? NULL : good ? cases[i].ok : cases[i].bad;
                if (v)
                    REQUIRE_INT(cv_value_parse(&b->cols[k], v, strlen(v), &E), 0);
                else
                    cv_col_append_null(&b->cols[k]);
            }
            cv_batch_end_row(b, CV_ROW_INSERT);
            cv_err_clear(&E);
            int rc = jdbc_bulk1(&PG, c, tg, JDBC_BULK_INSERT, b, &row, 1, &E);
            CHECK_INT(rc, good ? 0 : CV_EDATA);
            if (!good) CHECK_CONTAINS(E.msg, cases[i].msg);
            /* statements check the same (the statement names the column) */
            jdbc_stmt *s;
            cv_err_clear(&E);
            REQUIRE_INT(PG.prepare(c, tg->insert, t, tg->all, 7, &s, &E), 0);
            rc = PG.exec_rows(s, b, &row, 1, &E);
            CHECK_INT(rc, good ? 0 : CV_EDATA);
            if (!good) CHECK_CONTAINS(E.msg, cases[i].msg);
            PG.finalize(s);
            cv_batch_free(b);
        }
    }
    unit_context_clear();
    CHECK_INT(query(c, cv_arena_printf(&A, "SELECT count(*) FROM %s", tb)), 2 * CV_ARRAY_LEN(cases));
    sqlf(c, "DROP TABLE %s", tb);
    PG.disconnect(c);
    cv_arena_free(&A);
}

/* A value the server would read as another one — a timestamp into a
 * date or time column, a number as a date, an integer or decimal a real
 * cannot hold, a real a numeric's typmod would round, a NUL cutting a
 * text parameter, a date that would be -infinity — is refused by COPY and
 * by statements alike, with its column and row; what the column keeps is
 * stored as written on both paths. */
TEST(pg_refuses_reinterpretation)
{
    setup();
    jdbc_conn *c = connect_pg();
    const char *tb = uniq("reint");
    static const struct {
        const char *ddl, *type, *value;
        const char *stored; /* x::text afterwards, or NULL: refused */
        const char *why;
    } cases[] = {
        {"real", "bigint", "16777216", "1.6777216e+07", NULL},
        {"real", "bigint", "16777217", NULL, "16777217 is not exact as the column's real (float4)"},
        {"double precision", "bigint", "9007199254740993", NULL,
         "9007199254740993 is not exact as the column's double precision"},
        {"double precision", "decimal(10,2)", "0.10", "0.1", NULL},
        {"double precision", "decimal(30,20)", "0.10000000000000000001", NULL,
         "0.10000000000000000001 is not exact as the column's double precision"},
        {"double precision", "double", "-0.0", "-0", NULL},
        {"numeric(10,2)", "double", "1.5", "1.50", NULL},
        {"numeric(10,2)", "double", "-1234.25", "-1234.25", NULL},
        {"numeric(10,2)", "double", "1.005", NULL, "the column keeps 2 decimal places: 1.0049999999999999 would be"},
        {"numeric(10,2)", "double", "1.0E9", NULL, "does not fit the column's numeric(10,2)"},
        {"numeric(10,2)", "double", "Infinity", NULL, "Infinity does not fit the column's numeric(10,2)"},
        {"numeric", "double", "1.0E30", "1000000000000000000000000000000", NULL},
        {"numeric", "double", "1.2345678901234567E-20", "0.000000000000000000012345678901234567", NULL},
        {"numeric", "float", "0.1", "0.1", NULL},
        {"numeric", "double", "NaN", "NaN", NULL},
        {"numeric", "double", "-Infinity", "-Infinity", NULL},
        {"date", "timestamp", "2024-01-02T00:00:00", "2024-01-02", NULL},
        {"date", "timestamp", "1969-12-31T00:00:00", "1969-12-31", NULL},
        {"date", "timestamp", "2024-01-02T03:04:05", NULL,
         "the timestamp has a time of day, which date column x would drop"},
        {"time", "timestamp", "2024-01-02T03:04:05", NULL, "a value of type timestamp cannot be written to column x"},
        {"date", "int", "20240102", NULL, "a value of type int cannot be written to column x"},
        {"timestamp", "bigint", "20240102", NULL, "a value of type bigint cannot be written to column x"},
    };
    static const char *names[] = {"id", "x"};
    for (size_t k = 0; k < CV_ARRAY_LEN(cases) + 3; k++) {
        /* then: a NUL in a text parameter, the dates that are infinities there */
        bool special = k >= CV_ARRAY_LEN(cases);
        const char *ddl =
            special ? (const char *[]){"integer", "date", "timestamp"}[k - CV_ARRAY_LEN(cases)] : cases[k].ddl;
        const char *type =
            special ? (const char *[]){"string", "date", "timestamp"}[k - CV_ARRAY_LEN(cases)] : cases[k].type;
        const char *why = special
                              ? (const char *[]){"the text holds a NUL byte", "the date is beyond PostgreSQL's range",
                                                 "the timestamp is beyond PostgreSQL's range"}[k - CV_ARRAY_LEN(cases)]
                              : cases[k].why;
        const char *types[] = {"int", type};
        cv_table *t = table_of(&A, "reint", names, types, 2);
        jdbc_target *tg = target_of(t, tb, 0);
        sql(c, cv_arena_printf(&A, "DROP TABLE IF EXISTS %s; CREATE TABLE %s (id int, x %s)", tb, tb, ddl));
        cv_batch *b = cv_batch_new(t, 1);
        cv_col_append_i32(&b->cols[0], 1);
        if (!special)
            REQUIRE_INT(cv_value_parse(&b->cols[1], cases[k].value, strlen(cases[k].value), &E), 0);
        else if (k == CV_ARRAY_LEN(cases))
            cv_col_append_str(&b->cols[1],
                              "12\0"
                              "3",
                              4);
        else if (k == CV_ARRAY_LEN(cases) + 1)
            cv_col_append_i32(&b->cols[1], INT32_MIN + 10957); /* PostgreSQL's -infinity */
        else
            cv_col_append_i64(&b->cols[1], INT64_MIN + 946684800000000LL);
        cv_batch_end_row(b, CV_ROW_INSERT);
        unit_context("%s into %s", special ? "special" : cases[k].value, ddl);
        uint32_t row = 0;
        for (int how = 0; how < 2; how++) {
            sql(c, cv_arena_printf(&A, "DELETE FROM %s", tb));
            cv_err_clear(&E);
            int rc;
            if (how == 0) {
                rc = jdbc_bulk1(&PG, c, tg, JDBC_BULK_INSERT, b, &row, 1, &E);
                if (rc == JDBC_BULK_DECLINED) continue; /* no binary form: statements write it */
            } else {
                jdbc_stmt *s;
                REQUIRE_INT(PG.prepare(c, tg->insert, t, tg->all, 2, &s, &E), 0);
                rc = PG.exec_rows(s, b, &row, 1, &E);
                PG.finalize(s);
            }
            unit_context("%s into %s, %s", special ? "special" : cases[k].value, ddl, how ? "statement" : "COPY");
            if (special || !cases[k].stored) {
                CHECK_INT(rc, CV_EDATA);
                CHECK_CONTAINS(E.msg, "column x, row 1: ");
                CHECK_CONTAINS(E.msg, why);
                CHECK_INT(query(c, cv_arena_printf(&A, "SELECT count(*) FROM %s", tb)), 0);
                continue;
            }
            CHECK_INT(rc, 0);
            const char *q = cv_arena_printf(&A, "SELECT x::text FROM %s", tb);
            cv_batch *got = read_all(c, q, table_from(c, q, NULL));
            REQUIRE(got != NULL);
            CHECK_INT(got->nrows, 1);
            if (got->nrows == 1) CHECK_STR(val(got, 0, 0), cases[k].stored);
            cv_batch_free(got);
        }
        unit_context_clear();
        cv_batch_free(b);
    }
    sqlf(c, "DROP TABLE %s", tb);
    PG.disconnect(c);
    cv_arena_free(&A);
}

static cv_batch *keyed_rows(const cv_table *t, const char *const (*v)[2], uint32_t n, const cv_row_kind *kinds)
{
    cv_batch *b = cv_batch_new(t, n);
    for (uint32_t r = 0; r < n; r++) {
        REQUIRE_INT(cv_value_parse(&b->cols[0], v[r][0], strlen(v[r][0]), &E), 0);
        if (v[r][1])
            REQUIRE_INT(cv_value_parse(&b->cols[1], v[r][1], strlen(v[r][1]), &E), 0);
        else
            cv_col_append_null(&b->cols[1]);
        cv_batch_end_row(b, kinds ? kinds[r] : CV_ROW_INSERT);
    }
    return b;
}

static const char *dump(jdbc_conn *c, const char *tb)
{
    const char *q =
        cv_arena_printf(&A, "SELECT string_agg(id || '=' || coalesce(v, 'NULL'), ',' ORDER BY id) FROM %s", tb);
    cv_table *t = table_from(c, q, NULL);
    cv_batch *b = read_all(c, q, t);
    REQUIRE(b != NULL);
    const char *s = cv_arena_strdup(&A, val(b, 0, 0));
    cv_batch_free(b);
    return s;
}

/* A unique key refuses the COPY: bulk declines, the savepoint undoes it,
 * and the batch goes again by statement (upsert) in the same transaction. */
TEST(pg_bulk_conflict_and_savepoint)
{
    setup();
    const char *tb = uniq("conflict");
    jdbc_connect_opts o = {.url = &U, .user = USER, .password = PASSWORD, .timeout_ms = 5000, .ctx = &CTX};
    jdbc_db *db;
    REQUIRE_INT(jdbc_db_open(&o, true, &db, &E), 0);
    jdbc_conn *c = jdbc_db_conn(db);
    static const char *names[] = {"id", "v"};
    static const char *types[] = {"bigint", "string"};
    cv_table *t = table_of(&A, "conflict", names, types, 2);
    jdbc_target *tg = target_of(t, tb, 1);
    create_target(c, tg);
    sqlf(c, "INSERT INTO %s VALUES (2, 'old')", tb);
    static const char *const v[][2] = {{"1", "a"}, {"2", "b"}, {"3", NULL}};
    cv_batch *b = keyed_rows(t, v, 3, NULL);
    uint32_t rows[] = {0, 1, 2};
    jdbc_db_lock(db);
    REQUIRE_INT(jdbc_db_batch_begin(db, &E), 0);
    CHECK_INT(jdbc_bulk1(&PG, c, tg, JDBC_BULK_UPSERT, b, rows, 3, &E), JDBC_BULK_DECLINED);
    CHECK_INT(jdbc_bulk1(&PG, c, tg, JDBC_BULK_INSERT, b, rows, 3, &E), JDBC_BULK_CONFLICT);
    CHECK(strstr(E.msg, "Key (id)=(2) already exists") != NULL); /* the message names the key */
    CHECK_INT(PG.bulk_bad_row(c), 2);                            /* and the COPY says which row */
    CHECK_INT(PG.take_acked(c), 0);                              /* a failed COPY acknowledges nothing */
    REQUIRE_INT(jdbc_db_batch_end(db, false, &E), 0);
    REQUIRE_INT(jdbc_db_batch_begin(db, &E), 0);
    jdbc_stmt *s;
    REQUIRE_INT(PG.prepare(c, tg->upsert, t, tg->all, 2, &s, &E), 0);
    REQUIRE_INT(PG.exec_rows(s, b, rows, 3, &E), 0);
    PG.finalize(s);
    REQUIRE_INT(jdbc_db_batch_end(db, true, &E), 0);
    /* a batch that fails for another reason is undone, the rest stays */
    REQUIRE_INT(jdbc_db_batch_begin(db, &E), 0);
    static const char *const v2[][2] = {{"4", "d"}};
    cv_batch *b2 = keyed_rows(t, v2, 1, NULL);
    REQUIRE_INT(jdbc_bulk1(&PG, c, tg, JDBC_BULK_INSERT, b2, rows, 1, &E), 0);
    REQUIRE_INT(jdbc_db_batch_end(db, false, &E), 0);
    REQUIRE_INT(jdbc_db_commit(db, &E), 0);
    jdbc_db_unlock(db);
    CHECK_STR(dump(c, tb), "1=a,2=b,3=NULL");
    cv_batch_free(b);
    cv_batch_free(b2);
    sqlf(c, "DROP TABLE %s", tb);
    jdbc_db_close(db);
    cv_arena_free(&A);
}

/* Upserts and deletes by key through one pipeline; a failing row names
 * itself and the rows after it are not run. */
TEST(pg_upsert_and_delete_statements)
{
    setup();
    jdbc_conn *c = connect_pg();
    const char *tb = uniq("upsert");
    static const char *names[] = {"id", "v"};
    static const char *types[] = {"bigint", "string"};
    cv_table *t = table_of(&A, "upsert", names, types, 2);
    jdbc_target *tg = target_of(t, tb, 1);
    create_target(c, tg);
    enum { N = 3000 };
    cv_batch *b = cv_batch_new(t, N);
    uint32_t *rows = cv_malloc(N * sizeof *rows);
    REQUIRE(b && rows);
    for (uint32_t r = 0; r < N; r++) {
        cv_col_append_i64(&b->cols[0], r % 1000); /* each key three times: the last wins */
        char v[16];
        snprintf(v, sizeof v, "v%u", r);
        cv_col_append_str(&b->cols[1], v, strlen(v));
        cv_batch_end_row(b, CV_ROW_INSERT);
        rows[r] = r;
    }
    jdbc_stmt *up, *del;
    REQUIRE_INT(PG.prepare(c, tg->upsert, t, tg->all, 2, &up, &E), 0);
    REQUIRE_INT(PG.exec_rows(up, b, rows, N, &E), 0);
    CHECK_INT(query(c, cv_arena_printf(&A, "SELECT count(*) FROM %s", tb)), 1000);
    CHECK_INT(query(c, cv_arena_printf(&A, "SELECT count(*) FROM %s WHERE v = 'v' || (id + 2000)", tb)), 1000);
    REQUIRE_INT(PG.prepare(c, tg->del, t, tg->key, 1, &del, &E), 0);
    CHECK_INT(PG.param_count(del), 1);
    REQUIRE_INT(PG.exec_rows(del, b, rows, 500, &E), 0);
    CHECK_INT(query(c, cv_arena_printf(&A, "SELECT count(*) FROM %s", tb)), 500);
    /* a row the table refuses: NOT NULL on v */
    sqlf(c, "ALTER TABLE %s ALTER COLUMN v SET NOT NULL", tb);
    static const char *const v[][2] = {{"5000", "x"}, {"5001", NULL}, {"5002", "z"}};
    static const cv_row_kind kinds[] = {CV_ROW_INSERT, CV_ROW_UPDATE_AFTER, CV_ROW_INSERT};
    cv_batch *bad = keyed_rows(t, v, 3, kinds);
    PG.finalize(up);
    REQUIRE_INT(PG.prepare(c, tg->upsert, t, tg->all, 2, &up, &E), 0);
    CHECK_INT(PG.exec_rows(up, bad, rows, 3, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, cv_arena_printf(&A,
                                          "writing row 2 of a batch of upsert (+U): null value in column \"v\" "
                                          "of relation \"%s\" violates not-null constraint (SQLSTATE 23502)",
                                          tb));
    CHECK_INT(query(c, cv_arena_printf(&A, "SELECT count(*) FROM %s WHERE id >= 5000", tb)), 0);
    /* exists_row */
    jdbc_stmt *ex;
    REQUIRE_INT(PG.prepare(c, tg->exists, t, tg->key, 1, &ex, &E), 0);
    bool found = true;
    REQUIRE_INT(PG.exists_row(ex, b, 0, &found, &E), 0);
    CHECK(!found);
    REQUIRE_INT(PG.exists_row(ex, b, 999, &found, &E), 0);
    CHECK(found);
    PG.finalize(ex);
    PG.finalize(up);
    PG.finalize(del);
    cv_batch_free(b);
    cv_batch_free(bad);
    cv_free(rows);
    sqlf(c, "DROP TABLE %s", tb);
    PG.disconnect(c);
    cv_arena_free(&A);
}

/* `?` becomes $n outside quotes, identifiers, comments and dollar quotes;
 * `??` is a literal `?`. */
TEST(pg_statement_placeholders)
{
    setup();
    jdbc_conn *c = connect_pg();
    static const char *names[] = {"a", "b"};
    static const char *types[] = {"int", "string"};
    cv_table *t = table_of(&A, "ph", names, types, 2);
    cv_batch *b = cv_batch_new(t, 1);
    cv_col_append_i32(&b->cols[0], 5);
    cv_col_append_str(&b->cols[1], "k", 1);
    cv_batch_end_row(b, CV_ROW_INSERT);
    uint32_t cols[] = {0, 1};
    jdbc_stmt *s;
    const char *q =
        "SELECT 1 FROM (SELECT NULL AS \"?col\") s WHERE ? = 5 AND '?' = '?' AND \"?col\" IS NULL /* ? /* ? */ */ "
        "-- ?\n AND $x$ ? $x$ = ' ? ' AND E'\\'?' = E'\\'?' AND '{\"k\":1}'::jsonb ?? ?";
    REQUIRE_INT(PG.prepare(c, q, t, cols, 2, &s, &E), 0);
    CHECK_INT(PG.param_count(s), 2);
    bool found = false;
    REQUIRE_INT(PG.exists_row(s, b, 0, &found, &E), 0);
    CHECK(found);
    PG.finalize(s);
    /* a parameter the server cannot type from its place takes the column's */
    REQUIRE_INT(PG.prepare(c, "SELECT ? , ?", t, cols, 2, &s, &E), 0);
    REQUIRE_INT(PG.exists_row(s, b, 0, &found, &E), 0);
    CHECK(found);
    PG.finalize(s);
    cv_err_clear(&E);
    CHECK_INT(PG.prepare(c, "INSERT INTO no_such_table VALUES (?, ?)", t, cols, 2, &s, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "relation \"no_such_table\" does not exist (SQLSTATE 42P01)");
    cv_batch_free(b);
    PG.disconnect(c);
    cv_arena_free(&A);
}

/* ---- transactions ------------------------------------------------------------------------------------ */

TEST(pg_commit_of_failed_transaction)
{
    setup();
    jdbc_conn *c = connect_pg();
    sql(c, "BEGIN");
    CHECK_INT(PG.exec(c, "SELECT 1/0", &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "PostgreSQL: SELECT 1/0: division by zero (SQLSTATE 22012)");
    cv_err_clear(&E);
    CHECK_INT(PG.commit(c, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "the transaction had failed; the server rolled it back");
    PG.disconnect(c);
    cv_arena_free(&A);
}

/* A lock held elsewhere longer than the connection's timeout: transient. */
TEST(pg_lock_timeout_is_transient)
{
    setup();
    const char *tb = uniq("locked");
    jdbc_conn *a = connect_pg();
    jdbc_connect_opts o = {.url = &U, .user = USER, .password = PASSWORD, .timeout_ms = 200, .ctx = &CTX};
    jdbc_conn *b = NULL;
    REQUIRE_INT(PG.connect(&o, &b, &E), 0);
    sqlf(a, "CREATE TABLE %s (x int)", tb);
    sql(a, cv_arena_printf(&A, "BEGIN; LOCK TABLE %s IN ACCESS EXCLUSIVE MODE", tb));
    int64_t t0 = cv_mono_ns();
    CHECK_INT(PG.exec(b, cv_arena_printf(&A, "INSERT INTO %s VALUES (1)", tb), &E), CV_ERETRY);
    CHECK_CONTAINS(E.msg, "(SQLSTATE 55P03)");
    CHECK((cv_mono_ns() - t0) / 1000000 < 3000);
    sql(a, "ROLLBACK");
    sqlf(a, "DROP TABLE %s", tb);
    PG.disconnect(a);
    PG.disconnect(b);
    cv_arena_free(&A);
}

TEST(pg_two_phase_commit)
{
    setup();
    const char *tb = uniq("xa");
    char g1[64], g2[64], g3[64], prefix[48];
    snprintf(prefix, sizeof prefix, "cvtest_%d_", (int)getpid());
    snprintf(g1, sizeof g1, "%s1", prefix);
    snprintf(g2, sizeof g2, "%s2", prefix);
    snprintf(g3, sizeof g3, "%s3", prefix);
    jdbc_conn *c = connect_pg();
    sqlf(c, "CREATE TABLE %s (x int)", tb);
    REQUIRE_INT(PG.xa_begin(c, g1, &E), 0);
    sqlf(c, "INSERT INTO %s VALUES (1)", tb);
    REQUIRE_INT(PG.xa_prepare(c, g1, &E), 0);
    REQUIRE_INT(PG.xa_begin(c, g2, &E), 0);
    sqlf(c, "INSERT INTO %s VALUES (2)", tb);
    REQUIRE_INT(PG.xa_prepare(c, g2, &E), 0);
    /* a failed transaction prepares nothing */
    REQUIRE_INT(PG.xa_begin(c, g3, &E), 0);
    CHECK_INT(PG.exec(c, "SELECT 1/0", &E), CV_EIO);
    cv_err_clear(&E);
    CHECK_INT(PG.xa_prepare(c, g3, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "the transaction had failed or was not open; nothing is prepared");
    cv_err_clear(&E);
    CHECK_INT(PG.xa_begin(c, "bad gid'", &E), CV_EINVAL);
    cv_err_clear(&E);
    /* the prepared transactions survive their connection */
    PG.disconnect(c);
    c = connect_pg();
    CHECK_INT(query(c, cv_arena_printf(&A, "SELECT count(*) FROM %s", tb)), 0);
    const char **gids;
    uint32_t n;
    REQUIRE_INT(PG.xa_pending(c, prefix, &A, &gids, &n, &E), 0);
    REQUIRE_UINT(n, 2);
    CHECK_STR(gids[0], g1);
    CHECK_STR(gids[1], g2);
    REQUIRE_INT(PG.xa_pending(c, "cvtest_no_such_prefix_", &A, &gids, &n, &E), 0);
    CHECK_UINT(n, 0);
    REQUIRE_INT(PG.xa_commit(c, g1, &E), 0);
    REQUIRE_INT(PG.xa_commit(c, g1, &E), 0); /* again: harmless */
    REQUIRE_INT(PG.xa_rollback(c, g2, &E), 0);
    REQUIRE_INT(PG.xa_rollback(c, g2, &E), 0);
    CHECK_INT(query(c, cv_arena_printf(&A, "SELECT sum(x) FROM %s", tb)), 1);
    REQUIRE_INT(PG.xa_pending(c, prefix, &A, &gids, &n, &E), 0);
    CHECK_UINT(n, 0);
    sqlf(c, "DROP TABLE %s", tb);
    PG.disconnect(c);
    cv_arena_free(&A);
}

/* ---- COPY stopped midway ------------------------------------------------------------------------------ */

static const char *BIG = "SELECT g AS id, repeat('x', 100) AS pad FROM generate_series(1, 300000) g";

TEST(pg_cursor_closed_midway)
{
    setup();
    jdbc_conn *c = connect_pg();
    cv_table *t = table_from(c, BIG, NULL);
    jdbc_cursor *cur;
    REQUIRE_INT(PG.cursor_open(c, BIG, t, "0", &cur, &E), 0);
    cv_batch *b = cv_batch_new(t, 1000);
    bool done = false;
    REQUIRE_INT(PG.cursor_fetch(cur, b, &done, &E), 0);
    CHECK(!done);
    CHECK_UINT(b->nrows, 1000);
    CHECK_INT(cv_col_i32(&b->cols[0], 999), 1000);
    int64_t t0 = cv_mono_ns();
    PG.cursor_close(cur);
    CHECK((cv_mono_ns() - t0) / 1000000 < 5000);
    CHECK_INT(query(c, "SELECT 7"), 7);
    cv_batch_free(b);
    PG.disconnect(c);
    cv_arena_free(&A);
}

/* Every row of a result larger than a batch, in order, and an error the
 * server raises midway with the count of rows read before it. */
TEST(pg_cursor_reads_everything)
{
    setup();
    jdbc_conn *c = connect_pg();
    cv_table *t = table_from(c, BIG, NULL);
    jdbc_cursor *cur;
    REQUIRE_INT(PG.cursor_open(c, BIG, t, "0", &cur, &E), 0);
    cv_batch *b = cv_batch_new(t, CV_BATCH_ROWS);
    bool done = false;
    int64_t rows = 0, sum = 0, batches = 0, expect = 1;
    while (!done) {
        cv_batch_clear(b);
        REQUIRE_INT(PG.cursor_fetch(cur, b, &done, &E), 0);
        batches++;
        for (uint32_t r = 0; r < b->nrows; r++) {
            int32_t id = cv_col_i32(&b->cols[0], r);
            if (id != expect) CHECK_INT(id, expect);
            expect = id + 1;
            sum += id;
        }
        rows += b->nrows;
    }
    PG.cursor_close(cur);
    CHECK_INT(rows, 300000);
    CHECK_INT(sum, 300000LL * 300001 / 2);
    CHECK(batches > 10); /* batches are full before the end */
    const char *q = "SELECT 10 / (g - 5000) AS x FROM generate_series(1, 10000) g";
    t = table_from(c, q, NULL);
    cv_batch_free(b);
    b = read_all(c, q, t);
    CHECK(b == NULL);
    CHECK_INT(E.code, CV_EIO);
    CHECK_CONTAINS(E.msg, "PostgreSQL: reading q (split 0) after 4999 rows: division by zero (SQLSTATE 22012)");
    CHECK_INT(query(c, "SELECT 3"), 3);
    PG.disconnect(c);
    cv_arena_free(&A);
}

TEST(pg_backend_killed_mid_copy)
{
    setup();
    jdbc_conn *c = connect_pg(), *killer = connect_pg();
    cv_table *t = table_from(c, BIG, NULL);
    int64_t pid = query(c, "SELECT pg_backend_pid()");
    jdbc_cursor *cur;
    REQUIRE_INT(PG.cursor_open(c, BIG, t, "0", &cur, &E), 0);
    cv_batch *b = cv_batch_new(t, 1000);
    bool done = false;
    REQUIRE_INT(PG.cursor_fetch(cur, b, &done, &E), 0);
    CHECK_INT(query(killer, cv_arena_printf(&A, "SELECT pg_terminate_backend(%lld)::int", (long long)pid)), 1);
    int rc = 0;
    while (rc == 0 && !done) {
        cv_batch_clear(b);
        rc = PG.cursor_fetch(cur, b, &done, &E);
    }
    CHECK_INT(rc, CV_EIO);
    CHECK_CONTAINS(E.msg, "PostgreSQL: reading q (split 0) after");
    CHECK_CONTAINS(E.msg, "the connection to the server was lost");
    PG.cursor_close(cur);
    cv_err_clear(&E);
    int64_t v;
    bool isnull;
    CHECK_INT(PG.query_i64(c, "SELECT 1", &v, &isnull, &E), CV_EIO);
    CHECK_CONTAINS(E.msg, "the connection to the server was lost");
    cv_batch_free(b);
    PG.disconnect(c);
    PG.disconnect(killer);
    cv_arena_free(&A);
}

TEST(pg_ddl_types)
{
    cv_arena_init(&A, 0);
    cv_err_clear(&E);
    if (jdbc_url_parse(&A, "jdbc:postgresql://localhost/x", NULL, &U, &E) < 0) {
        cv_arena_free(&A);
        unit_skip("%s", E.msg);
    }
    static const struct {
        const char *type;
        int64_t length, scale;
        const char *ddl;
    } cases[] = {
        {"boolean", 0, 0, "boolean"},
        {"tinyint", 0, 0, "smallint"},
        {"smallint", 0, 0, "smallint"},
        {"int", 0, 0, "integer"},
        {"bigint", 0, 0, "bigint"},
        {"float", 0, 0, "real"},
        {"double", 0, 0, "double precision"},
        {"decimal(20, 3)", 0, 0, "numeric(20,3)"},
        {"string", 0, 0, "text"},
        {"string", 40, 0, "varchar(40)"},
        {"string", 20000000, 0, "text"},
        {"bytes", 0, 0, "bytea"},
        {"date", 0, 0, "date"},
        {"time", 0, 0, "time"},
        {"time", 3, 3, "time(3)"},
        {"timestamp", 0, 0, "timestamp"},
        {"timestamp", 0, 3, "timestamp(3)"},
        {"timestamp", 0, 9, "timestamp"},
        {"timestamp_tz", 0, 0, "timestamptz"},
        {"timestamp_tz", 0, 1, "timestamptz(1)"},
        {"array<int>", 0, 0, "integer[]"},
        {"array<decimal(10, 2)>", 0, 0, "numeric(10,2)[]"},
        {"array<string>", 0, 0, "text[]"},
        {"array<array<int>>", 0, 0, "jsonb"},
        {"map<string, int>", 0, 0, "jsonb"},
        {"row<a int>", 0, 0, "jsonb"},
        {"null", 0, 0, "text"},
    };
    cv_arena a;
    cv_arena_init(&a, 0);
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        cv_err e;
        cv_err_clear(&e);
        cv_column col = {.name = "c", .length = cases[i].length, .scale = cases[i].scale};
        REQUIRE_INT(cv_type_parse(&a, cases[i].type, &col.type, &e), 0);
        cv_buf out;
        cv_buf_init(&out);
        unit_context("%s", cases[i].type);
        REQUIRE_INT(PG.ddl_type(&col, &out, &e), 0);
        CHECK_STR(out.data, cases[i].ddl);
        cv_buf_free(&out);
    }
    cv_buf up;
    cv_buf_init(&up);
    const char *keys[] = {"\"a\""}, *others[] = {"\"b\"", "\"c\""};
    PG.upsert_clause(&up, keys, 1, others, 2);
    CHECK_STR(up.data, " ON CONFLICT (\"a\") DO UPDATE SET \"b\" = EXCLUDED.\"b\", \"c\" = EXCLUDED.\"c\"");
    cv_buf_reset(&up);
    PG.upsert_clause(&up, keys, 1, others, 0);
    CHECK_STR(up.data, " ON CONFLICT (\"a\") DO NOTHING");
    cv_buf_free(&up);
    cv_arena_free(&a);
    cv_arena_free(&A);
}
