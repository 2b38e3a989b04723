/* test_schema.c — catalog tables from `schema { … }` blocks: the fields
 * form with nested rows, the columns form, table paths, keys, errors. */
#include "config/config.h"
#include "plugin/plugin.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>

static cv_doc doc;
static cv_arena A;
static cv_err E;

/* Parse `schema { … }` text and build the table from its schema object. */
static int schema_of(const char *text, const char *default_path, cv_table **out)
{
    cv_doc_free(&doc);
    cv_arena_free(&A);
    cv_arena_init(&A, 0);
    cv_err_clear(&E);
    cv_vars v = {NULL, NULL, 0, true};
    if (cv_config_parse(&doc, "job.conf", text, strlen(text), &v, &E) < 0) {
        unit__fail(__FILE__, __LINE__, "config does not parse: %s", E.msg);
        unit__abort();
    }
    const cv_node *s = cv_node_get(doc.root, "schema");
    REQUIRE(s != NULL);
    *out = NULL;
    return cv_schema_from_config(&A, s, default_path, out, &E);
}

static void done(void)
{
    cv_doc_free(&doc);
    cv_arena_free(&A);
}

static const char *tstr(const cv_type *t)
{
    static char out[256];
    return cv_type_str(t, out, sizeof out);
}

TEST(schema_fields_form)
{
    cv_table *t;
    REQUIRE_INT(schema_of("schema { fields { id = bigint, name = string, price = \"decimal(10, 2)\"\n"
                          "  tags = \"array<string>\", attrs = \"map<string, int>\"\n"
                          "  addr { city = string, geo { lat = double, lon = double } }\n"
                          "  c_null = null } }",
                          NULL, &t),
                0);
    REQUIRE_UINT(t->ncols, 7);
    CHECK_STR(t->cols[0].name, "id");
    CHECK_STR(tstr(t->cols[0].type), "bigint");
    CHECK_STR(tstr(t->cols[2].type), "decimal(10,2)");
    CHECK_STR(tstr(t->cols[3].type), "array<string>");
    CHECK_STR(tstr(t->cols[4].type), "map<string, int>");
    CHECK_STR(tstr(t->cols[5].type), "row<city string, geo row<lat double, lon double>>");
    CHECK_STR(tstr(t->cols[6].type), "null");
    for (uint32_t i = 0; i < t->ncols; i++) CHECK(t->cols[i].nullable);
    CHECK_STR(t->full_name, "default.default.default");
    CHECK_STR(t->database, "default");
    CHECK_STR(t->schema, "default");
    CHECK_STR(t->name, "default");
    REQUIRE(t->row_type != NULL);
    CHECK_UINT(t->row_type->nfields, 7);
    CHECK_INT(cv_table_find_col(t, "price"), 2);
    CHECK_INT(cv_table_find_col(t, "nope"), -1);
    done();
}

TEST(schema_columns_form)
{
    cv_table *t;
    REQUIRE_INT(schema_of("schema {\n table = \"shop.orders\"\n comment = \"all orders\"\n columns = [\n"
                          "  {name = id, type = bigint, nullable = false, comment = \"key\"}\n"
                          "  {name = amount, type = \"decimal(12, 2)\", defaultValue = 0, columnLength = 12,"
                          " columnScale = 2}\n"
                          "  {name = note, type = string, defaultValue = \"n/a\"}\n"
                          "  {name = nested, type = {a = int, b = {c = string}}}\n"
                          " ]\n}",
                          NULL, &t),
                0);
    REQUIRE_UINT(t->ncols, 4);
    CHECK(!t->cols[0].nullable);
    CHECK_STR(t->cols[0].comment, "key");
    CHECK(t->cols[1].nullable);
    CHECK_STR(t->cols[1].default_value, "0");
    CHECK_INT(t->cols[1].length, 12);
    CHECK_INT(t->cols[1].scale, 2);
    CHECK_STR(t->cols[2].default_value, "n/a");
    CHECK(t->cols[0].default_value == NULL);
    CHECK_STR(tstr(t->cols[3].type), "row<a int, b row<c string>>");
    CHECK_STR(t->comment, "all orders");
    CHECK_STR(t->full_name, "shop.orders");
    CHECK_STR(t->database, "shop");
    CHECK(t->schema == NULL);
    done();
}

TEST(schema_table_paths)
{
    static const struct {
        const char *table;
        bool schema_first;
        const char *db, *sch, *name, *full;
    } cases[] = {
        {"t", false, NULL, NULL, "t", "t"},      {"d.t", false, "d", NULL, "t", "d.t"},
        {"s.t", true, NULL, "s", "t", "s.t"},    {"d.s.t", false, "d", "s", "t", "d.s.t"},
        {"d.s.t", true, "d", "s", "t", "d.s.t"},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        char text[256];
        snprintf(text, sizeof text, "schema { table = \"%s\", schema_first = %s, fields { a = int } }", cases[i].table,
                 cases[i].schema_first ? "true" : "false");
        unit_context("%s", text);
        cv_table *t;
        REQUIRE_INT(schema_of(text, NULL, &t), 0);
        CHECK_STR(t->database, cases[i].db);
        CHECK_STR(t->schema, cases[i].sch);
        CHECK_STR(t->name, cases[i].name);
        CHECK_STR(t->full_name, cases[i].full);
    }
    unit_context_clear();
    cv_table *t;
    REQUIRE_INT(schema_of("schema { fields { a = int } }", "fake.table", &t), 0);
    CHECK_STR(t->full_name, "fake.table");
    static const char *bad[] = {"a.b.c.d", "a..b", ".a", "a.", ""};
    for (size_t i = 0; i < CV_ARRAY_LEN(bad); i++) {
        char text[256];
        snprintf(text, sizeof text, "schema {\n  table = \"%s\"\n  fields { a = int } }", bad[i]);
        unit_context("%s", bad[i]);
        CHECK_INT(schema_of(text, NULL, &t), CV_ECONFIG);
        CHECK_CONTAINS(E.msg, "table path");
        CHECK_UINT(E.line, 2);
        CHECK_UINT(E.col, 11);
    }
    unit_context_clear();
    done();
}

TEST(schema_keys)
{
    cv_table *t;
    REQUIRE_INT(schema_of("schema { fields { id = int, a = string, b = string }\n"
                          "  primaryKey { name = pk_id, columnNames = [id] }\n"
                          "  constraintKeys = [\n"
                          "    {constraintName = uk, constraintType = UNIQUE_KEY,\n"
                          "     constraintColumns = [{columnName = a, sortType = DESC}, {columnName = b}]}\n"
                          "    {constraintName = idx, constraintType = INDEX_KEY, constraintColumns = [b]}\n"
                          "    {constraintName = empty}\n"
                          "  ] }",
                          NULL, &t),
                0);
    CHECK_STR(t->pk_name, "pk_id");
    REQUIRE_UINT(t->npk, 1);
    CHECK_STR(t->pk_cols[0], "id");
    REQUIRE_UINT(t->nkeys, 3);
    CHECK_STR(t->keys[0].name, "uk");
    CHECK_STR(t->keys[0].kind, "UNIQUE_KEY");
    REQUIRE_UINT(t->keys[0].ncols, 2);
    CHECK_STR(t->keys[0].cols[0].name, "a");
    CHECK(t->keys[0].cols[0].desc);
    CHECK(!t->keys[0].cols[1].desc);
    REQUIRE_UINT(t->keys[1].ncols, 1);
    CHECK_STR(t->keys[1].cols[0].name, "b");
    CHECK_UINT(t->keys[2].ncols, 0);
    done();
}

TEST(schema_errors)
{
    static const struct {
        const char *text, *msg;
        uint32_t line, col;
    } cases[] = {
        {"schema { fields { a = int }, columns = [] }", "schema has both fields and columns", 1, 8},
        {"schema { fields { a = intt } }", "unknown type \"intt\" (did you mean \"int\"?)", 1, 23},
        {"schema { fields { a = [int] } }", "expected a type name such as \"int\"", 1, 23},
        {"schema { fields { a = int }\n  fileds = 1 }",
         "unknown option \"fileds\" for schema (did you mean \"fields\"?)", 2, 3},
        {"schema { columns = [{type = int}] }", "schema column is missing the required option \"name\"", 1, 21},
        {"schema { columns = [{name = a}] }", "missing the required option \"type\"", 1, 21},
        {"schema { columns = [{name = a, type = int, size = 3}] }", "unknown option \"size\" for schema column", 1, 44},
        {"schema { columns = [{name = a, type = int}, {name = a, type = string}] }", "two columns named \"a\"", 1, 8},
        {"schema { columns = [5] }", "schema column must be configured with an object", 1, 21},
        {"schema { fields { a = int }, primaryKey { name = pk } }", "primaryKey needs columnNames = [ … ]", 1, 41},
        {"schema { fields { a = int }, primaryKey { columnNames = [b] } }",
         "primary key column \"b\" is not a column of default.default.default", 1, 8},
        {"schema { fields { a = int }, primaryKey { columnNames = [null] } }",
         "primaryKey columnNames must be column names, not null", 1, 58},
        {"schema { fields { a = int }, primaryKey { columnNames = [{x = 1}] } }",
         "primaryKey columnNames must be column names, not object", 1, 58},
        {"schema { fields { a = int }, constraintKeys = [{constraintColumns = [[a]]}] }",
         "constraintColumns items need a column name", 1, 70},
        {"schema { fields { a = int }, constraintKeys = {} }", "option constraintKeys expects a list", 1, 47},
        {"schema { fields { a = \"decimal(40,1)\" } }", "decimal precision 40 is outside 1..38", 1, 23},
        {"schema { fields { r { } } }", "a row type needs at least one field", 1, 21},
        {"schema { fields = 5 }", "option fields expects an object", 1, 19},
    };
    for (size_t i = 0; i < CV_ARRAY_LEN(cases); i++) {
        unit_context("%s", cases[i].text);
        cv_table *t;
        CHECK_INT(schema_of(cases[i].text, NULL, &t), CV_ECONFIG);
        CHECK_CONTAINS(E.msg, cases[i].msg);
        CHECK_UINT(E.line, cases[i].line);
        CHECK_UINT(E.col, cases[i].col);
        CHECK_STR(E.file, "job.conf");
    }
    unit_context_clear();
    done();
}

TEST(schema_type_from_node)
{
    cv_doc_free(&doc);
    cv_arena_free(&A);
    cv_arena_init(&A, 0);
    cv_err_clear(&E);
    const char *text = "a = int\nb { x = long, y { z = \"array<int>\" } }\nc = null\nd = 5\ne = [int]\nf { p = 1 }\n"
                       "g { x = int\n x = string }";
    REQUIRE_INT(cv_config_parse(&doc, "t", text, strlen(text), NULL, &E), 0);
    const cv_type *t;
    REQUIRE_INT(cv_type_from_node(&A, cv_node_get(doc.root, "a"), &t, &E), 0);
    CHECK_STR(tstr(t), "int");
    REQUIRE_INT(cv_type_from_node(&A, cv_node_get(doc.root, "b"), &t, &E), 0);
    CHECK_STR(tstr(t), "row<x bigint, y row<z array<int>>>");
    REQUIRE_INT(cv_type_from_node(&A, cv_node_get(doc.root, "c"), &t, &E), 0);
    CHECK_STR(tstr(t), "null");
    CHECK_INT(cv_type_from_node(&A, cv_node_get(doc.root, "d"), &t, &E), CV_ECONFIG);
    CHECK_CONTAINS(E.msg, "got number");
    cv_err_clear(&E);
    CHECK_INT(cv_type_from_node(&A, cv_node_get(doc.root, "e"), &t, &E), CV_ECONFIG);
    cv_err_clear(&E);
    CHECK_INT(cv_type_from_node(&A, cv_node_get(doc.root, "f"), &t, &E), CV_ECONFIG);
    CHECK_CONTAINS(E.msg, "got number");
    CHECK_UINT(E.line, 6);
    /* duplicate keys in an object type merged already: one field */
    cv_err_clear(&E);
    REQUIRE_INT(cv_type_from_node(&A, cv_node_get(doc.root, "g"), &t, &E), 0);
    CHECK_STR(tstr(t), "row<x string>");
    done();
}

/* SeaTunnel accepts an empty schema (a source over an empty directory). */
TEST(schema_empty_is_zero_columns)
{
    const char *texts[] = {"schema {\n}", "schema { fields {} }", "schema { columns = [] }"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        cv_table *t = NULL;
        unit_context("%s", texts[i]);
        CHECK_INT(schema_of(texts[i], NULL, &t), 0);
        if (t) CHECK_UINT(t->ncols, 0);
        unit_context_clear();
    }
}
