/* test_url.c — url → dialect: SQLite targets and parameters, the schemes
 * that are known but have no dialect yet, and everything else. */
#include "helpers.h"

static jdbc_url U;
static cv_arena A;
static cv_err E;

static int parse(const char *url)
{
    cv_arena_free(&A);
    cv_arena_init(&A, 0);
    cv_err_clear(&E);
    return jdbc_url_parse(&A, url, NULL, &U, &E);
}

TEST(url_sqlite_file)
{
    REQUIRE_INT(parse("jdbc:sqlite:/tmp/x.db"), 0);
    CHECK(U.dialect == &jdbc_sqlite);
    CHECK_STR(U.scheme, "sqlite");
    CHECK_STR(U.target, "/tmp/x.db");
    CHECK_UINT(U.nparams, 0);
    REQUIRE_INT(parse("JDBC:SQLite:rel/x.db"), CV_ECONFIG); /* "jdbc:" is lower case in JDBC too */
    REQUIRE_INT(parse("jdbc:SQLite:rel/x.db"), 0);
    CHECK_STR(U.target, "rel/x.db");
    cv_arena_free(&A);
}

TEST(url_sqlite_memory_and_empty)
{
    REQUIRE_INT(parse("jdbc:sqlite::memory:"), 0);
    CHECK_STR(U.target, ":memory:");
    REQUIRE_INT(parse("jdbc:sqlite:"), 0);
    CHECK_STR(U.target, "");
    cv_arena_free(&A);
}

TEST(url_sqlite_params)
{
    REQUIRE_INT(parse("jdbc:sqlite:/d/x.db?journal_mode=WAL&foreign_keys=on&flag"), 0);
    CHECK_STR(U.target, "/d/x.db");
    REQUIRE_UINT(U.nparams, 3);
    CHECK_STR(U.params[0].key, "journal_mode");
    CHECK_STR(U.params[0].value, "WAL");
    CHECK_STR(U.params[1].key, "foreign_keys");
    CHECK_STR(U.params[1].value, "on");
    CHECK_STR(U.params[2].key, "flag");
    CHECK_STR(U.params[2].value, "");
    /* a file: URI keeps its query for SQLite */
    REQUIRE_INT(parse("jdbc:sqlite:file:x.db?mode=ro&cache=shared"), 0);
    CHECK_STR(U.target, "file:x.db?mode=ro&cache=shared");
    CHECK_UINT(U.nparams, 0);
    cv_arena_free(&A);
}

TEST(url_network_dialects)
{
    const char *urls[] = {"jdbc:postgresql://h:5432/db", "jdbc:mysql://h/db",     "jdbc:mariadb://h/db",
                          "jdbc:opengauss://h/db",       "jdbc:kingbase8://h/db", "jdbc:oceanbase://h/db",
                          "jdbc:redshift://h/db"};
    const char *client[] = {"libpq", "libmariadb", "libmariadb", "libpq", "libpq", "libmariadb", "libpq"};
    for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
        unit_context("%s", urls[i]);
        int rc = parse(urls[i]);
        bool pg = strcmp(client[i], "libpq") == 0;
        (void)pg;
#ifdef CV_HAVE_LIBPQ
        if (pg) {
            REQUIRE_INT(rc, 0);
            CHECK(U.dialect == &jdbc_postgres);
            continue;
        }
#endif
#ifdef CV_HAVE_MARIADB
        if (!pg) {
            REQUIRE_INT(rc, 0);
            CHECK(U.dialect == &jdbc_mysql);
            continue;
        }
#endif
        CHECK_INT(rc, CV_EUNSUPPORTED);
        CHECK_CONTAINS(E.msg, "need a culvert built with its client library");
        CHECK_CONTAINS(E.msg, client[i]);
        CHECK_CONTAINS(E.msg, "supported by this build: jdbc:sqlite:");
    }
    cv_arena_free(&A);
}

TEST(url_unknown_and_malformed)
{
    CHECK_INT(parse("jdbc:oracle:thin:scott/tiger@h:1521/x"), CV_EUNSUPPORTED);
    CHECK_CONTAINS(E.msg, "jdbc:oracle: urls are not supported; supported schemes: jdbc:sqlite:");
    CHECK(strstr(E.msg, "tiger") == NULL); /* never echo credentials */
    CHECK_INT(parse("sqlite:/x.db"), CV_ECONFIG);
    CHECK_CONTAINS(E.msg, "starts with jdbc:<scheme>:");
    CHECK_INT(parse("jdbc:sqlite"), CV_ECONFIG);
    CHECK_CONTAINS(E.msg, "needs a ':' after the scheme");
    cv_arena_free(&A);
}

/* Found by fuzz_jdbc_url: a url missing the ':' after its scheme, and
 * user:password@ in a network url (read as host:port), printed the
 * password in the error. */
TEST(url_errors_never_print_credentials)
{
    CHECK_INT(parse("jdbc:mysql//host/db?password=S3cret"), CV_ECONFIG);
    CHECK_CONTAINS(E.msg, "no ':' follows \"jdbc:mysql\"");
    CHECK(strstr(E.msg, "S3cret") == NULL);
    CHECK_INT(parse("jdbc:postgresql://user:S3cret@host:5432/db"), CV_ECONFIG);
    CHECK_CONTAINS(E.msg, "user and password options");
    CHECK(strstr(E.msg, "S3cret") == NULL);
    CHECK_INT(parse("jdbc:postgresql://u:Pw9/x7@host/db"), CV_ECONFIG); /* the "/" ends the authority early */
    CHECK(strstr(E.msg, "Pw9") == NULL);
    CHECK_INT(parse("jdbc:postgresql://host:54x2/db"), CV_ECONFIG);
    CHECK_CONTAINS(E.msg, "a port (after a host and ':') is not a number");
    cv_arena_free(&A);
}

/* Found by fuzz_jdbc_url: an empty host ("[]", or nothing before ':' or
 * ',') was dropped from the host list but not from the port list, so the
 * ports of the following hosts shifted, and a port could go without host. */
TEST(url_empty_host_is_an_error)
{
    static const char *const urls[] = {"jdbc:postgresql://:5432,h2:5433/db", "jdbc:postgresql://[]:5432/db",
                                       "jdbc:postgresql://h1,,h3/db"};
    for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
        unit_context("%s", urls[i]);
        CHECK_INT(parse(urls[i]), CV_ECONFIG);
        CHECK_CONTAINS(E.msg, "empty host");
    }
    unit_context_clear();
    REQUIRE_INT(parse("jdbc:postgresql:///db"), 0); /* no authority at all: the local default */
    CHECK(U.host == NULL);
    CHECK_STR(U.database, "db");
    cv_arena_free(&A);
}

TEST(url_supported_list)
{
    char buf[256];
    jdbc_url_supported(buf, sizeof buf);
    CHECK(strncmp(buf, "jdbc:sqlite:", 12) == 0);
    char tiny[4];
    jdbc_url_supported(tiny, sizeof tiny);
    CHECK_STR(tiny, "");
}
