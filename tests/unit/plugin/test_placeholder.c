/* test_placeholder.c — SeaTunnel's sink placeholders filled from one
 * upstream table, with defaults, full names, keys and lists. */
#include "../jdbc/helpers.h"

static cv_arena A;

static cv_table *shop_orders(const char *path)
{
    static const char *names[] = {"id", "sku", "amount"};
    static const char *types[] = {"bigint", "string", "decimal(10,2)"};
    cv_table *t = table_of(&A, path, names, types, 3);
    static const char *pk[] = {"id"};
    t->pk_cols = pk;
    t->npk = 1;
    static cv_key_col uk_cols[] = {{"sku", false}, {"amount", true}};
    static cv_constraint uk[] = {{"idx", "INDEX_KEY", uk_cols, 1}, {"uk", "UNIQUE_KEY", uk_cols, 2}};
    t->keys = uk;
    t->nkeys = 2;
    return t;
}

static const char *ex(const cv_table *t, const char *text)
{
    const char *out = NULL;
    REQUIRE_INT(cv_placeholder_expand(&A, text, t, &out), 0);
    return out;
}

TEST(placeholder_names)
{
    cv_arena_init(&A, 0);
    cv_table *t = shop_orders("shop.sales.orders");
    CHECK_STR(ex(t, "${table_name}"), "orders");
    CHECK_STR(ex(t, "${database_name}_${schema_name}_${table_name}_x"), "shop_sales_orders_x");
    CHECK_STR(ex(t, "${schema_full_name}|${table_full_name}"), "shop.sales|shop.sales.orders");
    CHECK_STR(ex(t, "${primary_key}"), "id");
    CHECK_STR(ex(t, "${unique_key}"), "sku,amount");
    CHECK_STR(ex(t, "${field_names}"), "id,sku,amount");
    CHECK_STR(ex(t, "plain"), "plain");
    CHECK(ex(t, NULL) == NULL);
    cv_arena_free(&A);
}

TEST(placeholder_defaults_and_missing)
{
    cv_arena_init(&A, 0);
    cv_table *t = shop_orders("orders"); /* no database, no schema */
    CHECK_STR(ex(t, "${database_name:dflt}.${table_name:x}"), "dflt.orders");
    CHECK_STR(ex(t, "${database_name: spaced }"), "spaced");
    CHECK_STR(ex(t, "[${schema_name}]"), "[]");
    CHECK_STR(ex(t, "${schema_full_name}"), "${schema_full_name}");
    CHECK_STR(ex(t, "${table_full_name}"), "orders");
    t->npk = 0;
    t->nkeys = 0;
    CHECK_STR(ex(t, "${primary_key}/${unique_key}"), "${primary_key}/${unique_key}");
    CHECK_STR(ex(t, "${primary_key:id}"), "id");
    /* not ours: left alone; unterminated: literal */
    CHECK_STR(ex(t, "${k0}-${now}-${table_name"), "${k0}-${now}-${table_name");
    cv_arena_free(&A);
}

TEST(placeholder_lists)
{
    cv_arena_init(&A, 0);
    cv_table *t = shop_orders("shop.orders");
    const char *one[] = {"${unique_key}"};
    cv_strlist in = {one, 1}, out;
    REQUIRE_INT(cv_placeholder_expand_list(&A, &in, t, &out), 0);
    REQUIRE_UINT(out.n, 2);
    CHECK_STR(out.v[0], "sku");
    CHECK_STR(out.v[1], "amount");
    const char *two[] = {"id", "${table_name}_id"};
    cv_strlist in2 = {two, 2};
    REQUIRE_INT(cv_placeholder_expand_list(&A, &in2, t, &out), 0);
    REQUIRE_UINT(out.n, 2);
    CHECK_STR(out.v[1], "orders_id");
    /* a key the table does not have stays a placeholder (and fails later) */
    t->npk = 0;
    const char *pk[] = {"${primary_key}"};
    cv_strlist in3 = {pk, 1};
    REQUIRE_INT(cv_placeholder_expand_list(&A, &in3, t, &out), 0);
    REQUIRE_UINT(out.n, 1);
    CHECK_STR(out.v[0], "${primary_key}");
    cv_arena_free(&A);
}

TEST(placeholder_out_of_memory)
{
    cv_arena_init(&A, 0);
    cv_table *t = shop_orders("shop.orders");
    int failed = 0;
    for (uint64_t n = 1; n < 40; n++) {
        const char *out;
        cv_alloc_fail_after(n);
        int rc = cv_placeholder_expand(&A, "${database_name}.${field_names}.${unique_key}", t, &out);
        cv_alloc_fail_after(0);
        CHECK(rc == 0 || rc == CV_ENOMEM);
        failed += rc != 0;
        if (rc == 0) CHECK_STR(out, "shop.id,sku,amount.sku,amount");
    }
    CHECK(failed > 0);
    cv_arena_free(&A);
}
