/* test_sql.c — identifiers and the SQL the sink generates: CREATE TABLE
 * with keys and indexes, INSERT, the SQLite upsert, DELETE, the UPDATE and
 * lookup of upserts by query; quoting and field_ide. */
#include "helpers.h"

static cv_arena A;
static cv_err E;

/* A target over t named [schema.]name with the given key columns. */
static jdbc_target target(cv_table *t, const char *schema, const char *name, const uint32_t *key, uint32_t nkey,
                          int ide)
{
    jdbc_target g;
    memset(&g, 0, sizeof g);
    g.in = t;
    g.schema = jdbc_ident_case(&A, schema, ide);
    g.name = jdbc_ident_case(&A, name, ide);
    g.cols = cv_arena_alloc(&A, t->ncols * sizeof *g.cols);
    g.all = cv_arena_alloc(&A, t->ncols * sizeof *g.all);
    g.key = cv_arena_alloc(&A, (nkey + 1) * sizeof *g.key);
    g.other = cv_arena_alloc(&A, t->ncols * sizeof *g.other);
    for (uint32_t i = 0; i < t->ncols; i++) {
        g.cols[i] = jdbc_ident_case(&A, t->cols[i].name, ide);
        g.all[i] = i;
        bool k = false;
        for (uint32_t j = 0; j < nkey; j++) k |= key[j] == i;
        if (!k) g.other[g.nother++] = i;
    }
    if (nkey) memcpy(g.key, key, nkey * sizeof *key);
    g.nkey = nkey;
    cv_buf q;
    cv_buf_init(&q);
    jdbc_quote_path(&jdbc_sqlite, g.schema, g.name, &q);
    g.qualified = cv_arena_strdup(&A, q.data);
    cv_buf_free(&q);
    return g;
}

static cv_table *people(void)
{
    static const char *names[] = {"id", "Name", "we\"ird", "price", "born", "tags"};
    static const char *types[] = {"bigint", "string", "int", "decimal(10,2)", "date", "array<int>"};
    cv_table *t = table_of(&A, "db.people", names, types, 6);
    t->cols[0].nullable = false;
    t->cols[1].length = 20;
    return t;
}

TEST(sql_quote_and_case)
{
    cv_arena_init(&A, 0);
    cv_buf b;
    cv_buf_init(&b);
    jdbc_quote(&jdbc_sqlite, "a\"b", &b);
    CHECK_STR(b.data, "\"a\"\"b\"");
    cv_buf_reset(&b);
    jdbc_quote_path(&jdbc_sqlite, "main", "t", &b);
    CHECK_STR(b.data, "\"main\".\"t\"");
    cv_buf_free(&b);
    CHECK_STR(jdbc_ident_case(&A, "MiXed_1", JDBC_IDE_LOWERCASE), "mixed_1");
    CHECK_STR(jdbc_ident_case(&A, "MiXed_1", JDBC_IDE_UPPERCASE), "MIXED_1");
    CHECK_STR(jdbc_ident_case(&A, "MiXed_1", JDBC_IDE_ORIGINAL), "MiXed_1");
    CHECK(jdbc_ident_case(&A, NULL, JDBC_IDE_UPPERCASE) == NULL);
    cv_arena_free(&A);
}

TEST(sql_create_table)
{
    cv_arena_init(&A, 0);
    cv_err_clear(&E);
    cv_table *t = people();
    uint32_t key[] = {0, 1};
    jdbc_target g = target(t, NULL, "people", key, 2, JDBC_IDE_ORIGINAL);
    cv_buf b;
    cv_buf_init(&b);
    REQUIRE_INT(jdbc_sql_create_table(&jdbc_sqlite, &g, &b, &E), 0);
    CHECK_STR(b.data, "CREATE TABLE \"people\" (\n"
                      "  \"id\" BIGINT NOT NULL,\n"
                      "  \"Name\" VARCHAR(20) NOT NULL,\n"
                      "  \"we\"\"ird\" INT,\n"
                      "  \"price\" DECIMAL_TEXT(10,2),\n"
                      "  \"born\" DATE,\n"
                      "  \"tags\" JSON,\n"
                      "  PRIMARY KEY (\"id\", \"Name\")\n"
                      ")");
    cv_buf_free(&b);
    cv_arena_free(&A);
}

TEST(sql_indexes)
{
    cv_arena_init(&A, 0);
    cv_table *t = people();
    static cv_key_col c1[] = {{"Name", false}, {"born", true}}, c2[] = {{"price", false}}, c3[] = {{"nope", false}};
    static cv_constraint keys[] = {{"uk_name", "UNIQUE_KEY", c1, 2},
                                   {NULL, "INDEX_KEY", c2, 1},
                                   {"bad", "UNIQUE_KEY", c3, 1},
                                   {"fk", "FOREIGN_KEY", c2, 1}};
    t->keys = keys;
    t->nkeys = 4;
    jdbc_target g = target(t, "aux", "p", NULL, 0, JDBC_IDE_LOWERCASE);
    cv_buf b;
    cv_buf_init(&b);
    jdbc_sql_create_indexes(&jdbc_sqlite, &g, &b);
    CHECK_STR(b.data, "CREATE UNIQUE INDEX IF NOT EXISTS \"aux\".\"uk_name\" ON \"p\" (\"name\", \"born\" DESC);\n"
                      "CREATE INDEX IF NOT EXISTS \"aux\".\"p_idx_2\" ON \"p\" (\"price\")");
    cv_buf_free(&b);
    cv_arena_free(&A);
}

TEST(sql_statements)
{
    cv_arena_init(&A, 0);
    cv_err_clear(&E);
    cv_table *t = people();
    uint32_t key[] = {0};
    jdbc_target g = target(t, "main", "P", key, 1, JDBC_IDE_UPPERCASE);
    REQUIRE_INT(jdbc_sql_build(&A, &jdbc_sqlite, &g, false, &E), 0);
    CHECK_STR(g.insert, "INSERT INTO \"MAIN\".\"P\" (\"ID\", \"NAME\", \"WE\"\"IRD\", \"PRICE\", \"BORN\", \"TAGS\") "
                        "VALUES (?, ?, ?, ?, ?, ?)");
    CHECK_STR(g.upsert, "INSERT INTO \"MAIN\".\"P\" (\"ID\", \"NAME\", \"WE\"\"IRD\", \"PRICE\", \"BORN\", \"TAGS\") "
                        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (\"ID\") DO UPDATE SET \"NAME\" = excluded.\"NAME\", "
                        "\"WE\"\"IRD\" = excluded.\"WE\"\"IRD\", \"PRICE\" = excluded.\"PRICE\", "
                        "\"BORN\" = excluded.\"BORN\", \"TAGS\" = excluded.\"TAGS\"");
    CHECK_STR(g.del, "DELETE FROM \"MAIN\".\"P\" WHERE \"ID\" = ?");
    CHECK_STR(g.exists, "SELECT 1 FROM \"MAIN\".\"P\" WHERE \"ID\" = ?");
    CHECK_STR(g.update, "UPDATE \"MAIN\".\"P\" SET \"NAME\" = ?, \"WE\"\"IRD\" = ?, \"PRICE\" = ?, \"BORN\" = ?, "
                        "\"TAGS\" = ? WHERE \"ID\" = ?");
    REQUIRE_UINT(g.nupd, 6);
    CHECK_UINT(g.upd[0], 1);
    CHECK_UINT(g.upd[5], 0);
    /* is_primary_key_updated: the key is set too */
    REQUIRE_INT(jdbc_sql_build(&A, &jdbc_sqlite, &g, true, &E), 0);
    CHECK_STR(g.update, "UPDATE \"MAIN\".\"P\" SET \"ID\" = ?, \"NAME\" = ?, \"WE\"\"IRD\" = ?, \"PRICE\" = ?, "
                        "\"BORN\" = ?, \"TAGS\" = ? WHERE \"ID\" = ?");
    CHECK_UINT(g.nupd, 7);
    cv_arena_free(&A);
}

TEST(sql_all_key_columns)
{
    cv_arena_init(&A, 0);
    cv_err_clear(&E);
    static const char *names[] = {"a", "b"};
    static const char *types[] = {"int", "string"};
    cv_table *t = table_of(&A, "t", names, types, 2);
    uint32_t key[] = {1, 0};
    jdbc_target g = target(t, NULL, "t", key, 2, JDBC_IDE_ORIGINAL);
    REQUIRE_INT(jdbc_sql_build(&A, &jdbc_sqlite, &g, false, &E), 0);
    CHECK_STR(g.upsert, "INSERT INTO \"t\" (\"a\", \"b\") VALUES (?, ?) ON CONFLICT (\"b\", \"a\") DO NOTHING");
    CHECK_STR(g.del, "DELETE FROM \"t\" WHERE \"b\" = ? AND \"a\" = ?");
    CHECK(g.update == NULL); /* nothing to set */
    cv_arena_free(&A);
}

TEST(sql_no_key)
{
    cv_arena_init(&A, 0);
    cv_err_clear(&E);
    cv_table *t = people();
    jdbc_target g = target(t, NULL, "p", NULL, 0, JDBC_IDE_ORIGINAL);
    REQUIRE_INT(jdbc_sql_build(&A, &jdbc_sqlite, &g, true, &E), 0);
    CHECK(g.insert != NULL);
    CHECK(g.upsert == NULL && g.del == NULL && g.update == NULL && g.exists == NULL);
    cv_arena_free(&A);
}
