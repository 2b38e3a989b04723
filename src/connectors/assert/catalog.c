/* catalog.c — catalog_table_rule: checks on a table's schema rather than
 * its rows (primary key, constraint keys, columns, table identifier). The
 * rule is validated when the rules are parsed and checked in sink_open,
 * so `culvert check` reports a schema that does not match. Keys and
 * columns compare as sets, ignoring order, as SeaTunnel does; column
 * attributes that the rule does not set are not compared. */
#include "assert_int.h"

#include <stddef.h>
#include <string.h>

typedef struct {
    const cv_node *pk, *keys, *cols, *ident;
} catalog_cfg;

static const cv_option catalog_opts[] = {
    {"primary_key_rule", CV_OPT_OBJECT, NULL, "{primary_key_name, primary_key_columns}", offsetof(catalog_cfg, pk)},
    {"constraint_key_rule", CV_OPT_LIST, NULL, "[{constraint_key_name, constraint_key_type, constraint_key_columns}]",
     offsetof(catalog_cfg, keys)},
    {"column_rule", CV_OPT_LIST, NULL, "[{name, type, column_length, nullable, default_value, comment}]",
     offsetof(catalog_cfg, cols)},
    {"table_identifier_rule", CV_OPT_OBJECT, NULL, "{catalog_name, table}", offsetof(catalog_cfg, ident)},
    {NULL},
};

typedef struct {
    const char *name;
    cv_strlist cols;
} pk_cfg;

static const cv_option pk_opts[] = {
    {"primary_key_name", CV_OPT_STRING, NULL, "the primary key's name", offsetof(pk_cfg, name)},
    {"primary_key_columns", CV_OPT_STRLIST, NULL, "its columns, in any order", offsetof(pk_cfg, cols)},
    {NULL},
};

static const char *const key_types[] = {"INDEX_KEY", "UNIQUE_KEY", "FOREIGN_KEY", "VECTOR_INDEX_KEY", NULL};
static const char *const sort_types[] = {"ASC", "DESC", NULL};

typedef struct {
    const char *name;
    int type;
    const cv_node *cols;
} key_cfg;

static const cv_option key_opts[] = {
    {"constraint_key_name", CV_OPT_STRING, NULL, "the key's name", offsetof(key_cfg, name), CV_OPT_REQUIRED},
    {"constraint_key_type", CV_OPT_ENUM, NULL, "INDEX_KEY, UNIQUE_KEY, FOREIGN_KEY or VECTOR_INDEX_KEY",
     offsetof(key_cfg, type), CV_OPT_REQUIRED, key_types},
    {"constraint_key_columns", CV_OPT_LIST, NULL, "[{constraint_key_column_name, constraint_key_sort_type}]",
     offsetof(key_cfg, cols), CV_OPT_REQUIRED},
    {NULL},
};

typedef struct {
    const char *name;
    int sort;
} key_col_cfg;

static const cv_option key_col_opts[] = {
    {"constraint_key_column_name", CV_OPT_STRING, NULL, "the column", offsetof(key_col_cfg, name), CV_OPT_REQUIRED},
    {"constraint_key_sort_type", CV_OPT_ENUM, "ASC", "ASC or DESC", offsetof(key_col_cfg, sort), 0, sort_types},
    {NULL},
};

typedef struct {
    const char *name, *comment;
    const cv_node *type, *default_value;
    int64_t length;
    bool nullable;
} col_cfg;

static const cv_option col_opts[] = {
    {"name", CV_OPT_STRING, NULL, "column name", offsetof(col_cfg, name), CV_OPT_REQUIRED},
    {"type", CV_OPT_ANY, NULL, "column type: a type string, or an object for a row", offsetof(col_cfg, type),
     CV_OPT_REQUIRED},
    {"column_length", CV_OPT_INT, NULL, "columnLength (compared only when given)", offsetof(col_cfg, length)},
    {"nullable", CV_OPT_BOOL, NULL, "whether NULL is allowed (compared only when given)", offsetof(col_cfg, nullable)},
    {"default_value", CV_OPT_ANY, NULL, "default value (compared only when given)", offsetof(col_cfg, default_value)},
    {"comment", CV_OPT_STRING, NULL, "comment (compared only when given)", offsetof(col_cfg, comment)},
    {NULL},
};

typedef struct {
    const char *table;
} ident_cfg;

static const cv_option ident_opts[] = {
    {"catalog_name", CV_OPT_STRING, NULL, "catalog name (accepted, not compared: culvert tables carry none)",
     CV_NO_FIELD},
    {"table", CV_OPT_STRING, NULL, "table path: table, db.table or db.schema.table", offsetof(ident_cfg, table),
     CV_OPT_REQUIRED},
    {NULL},
};

static int nomem(cv_err *err) { return cv_err_set(err, CV_ENOMEM, "out of memory"); }

static int parse_keys(cv_arena *a, const cv_node *list, assert_catalog_rule *r, cv_err *err)
{
    r->has_keys = true;
    r->nkeys = list->u.arr.n;
    r->keys = cv_arena_zalloc(a, (r->nkeys ? r->nkeys : 1) * sizeof *r->keys);
    if (!r->keys) return nomem(err);
    for (uint32_t i = 0; i < r->nkeys; i++) {
        key_cfg kc = {0};
        cv_optset os = {key_opts, &kc};
        CV_TRY(cv_options_apply(a, list->u.arr.v[i], &os, 1, "Assert constraint_key_rule item", NULL, err));
        assert_key_rule *k = &r->keys[i];
        k->name = kc.name;
        k->kind = key_types[kc.type];
        k->ncols = kc.cols->u.arr.n;
        k->cols = cv_arena_zalloc(a, (k->ncols ? k->ncols : 1) * sizeof *k->cols);
        if (!k->cols) return nomem(err);
        for (uint32_t j = 0; j < k->ncols; j++) {
            key_col_cfg cc = {0};
            cv_optset cs = {key_col_opts, &cc};
            CV_TRY(cv_options_apply(a, kc.cols->u.arr.v[j], &cs, 1, "Assert constraint_key_columns item", NULL, err));
            k->cols[j].name = cc.name;
            k->cols[j].desc = cc.sort == 1;
        }
    }
    return 0;
}

static int parse_cols(cv_arena *a, const cv_node *list, assert_catalog_rule *r, cv_err *err)
{
    r->has_cols = true;
    r->ncols = list->u.arr.n;
    r->cols = cv_arena_zalloc(a, (r->ncols ? r->ncols : 1) * sizeof *r->cols);
    if (!r->cols) return nomem(err);
    for (uint32_t i = 0; i < r->ncols; i++) {
        const cv_node *item = list->u.arr.v[i];
        col_cfg cc = {0};
        cv_optset os = {col_opts, &cc};
        CV_TRY(cv_options_apply(a, item, &os, 1, "Assert column_rule item", NULL, err));
        assert_col_rule *c = &r->cols[i];
        c->name = cc.name;
        c->node = item;
        CV_TRY(cv_type_from_node(a, cc.type, &c->type, err));
        c->has_length = cv_node_get(item, "column_length") != NULL;
        c->length = cc.length;
        c->has_nullable = cv_node_get(item, "nullable") != NULL;
        c->nullable = cc.nullable;
        c->default_value = cc.default_value ? cv_node_str(cc.default_value) : NULL;
        if (cc.default_value && !c->default_value && cc.default_value->kind != CV_NODE_NULL) {
            cv_pos p = cv_node_pos(cc.default_value);
            return cv_err_at(err, CV_ECONFIG, &p, "column_rule: default_value must be a plain value%s", "");
        }
        c->comment = cc.comment;
        for (uint32_t k = 0; k < i; k++)
            if (strcmp(r->cols[k].name, c->name) == 0) {
                cv_pos p = cv_node_pos(item);
                return cv_err_at(err, CV_ECONFIG, &p, "column_rule lists column \"%s\" twice", c->name);
            }
    }
    return 0;
}

int assert_catalog_parse(cv_arena *a, const cv_node *n, assert_catalog_rule **out, cv_err *err)
{
    catalog_cfg cc = {0};
    cv_optset os = {catalog_opts, &cc};
    CV_TRY(cv_options_apply(a, n, &os, 1, "Assert catalog_table_rule", NULL, err));
    assert_catalog_rule *r = cv_arena_zalloc(a, sizeof *r);
    if (!r) return nomem(err);
    r->node = n;
    if (cc.pk) {
        pk_cfg pc = {0};
        cv_optset ps = {pk_opts, &pc};
        CV_TRY(cv_options_apply(a, cc.pk, &ps, 1, "Assert primary_key_rule", NULL, err));
        r->pk = cc.pk;
        r->pk_name = pc.name;
        r->pk_cols = pc.cols;
    }
    if (cc.keys) CV_TRY(parse_keys(a, cc.keys, r, err));
    if (cc.cols) CV_TRY(parse_cols(a, cc.cols, r, err));
    if (cc.ident) {
        ident_cfg ic = {0};
        cv_optset is = {ident_opts, &ic};
        CV_TRY(cv_options_apply(a, cc.ident, &is, 1, "Assert table_identifier_rule", NULL, err));
        r->ident = cc.ident;
        r->ident_table = ic.table;
    }
    *out = r;
    return 0;
}

/* ---- checks ----------------------------------------------------------------------- */

static int fail(const cv_node *at, const cv_table *t, const char *what, cv_err *err)
{
    cv_pos p = cv_node_pos(at);
    return cv_err_at(err, CV_EASSERT, &p, "catalog_table_rule failed for table %s: %s", t->full_name,
                     what ? what : "out of memory describing the difference");
}

static void strs(cv_buf *b, const char *const *v, size_t n)
{
    cv_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) cv_buf_printf(b, "%s%s", i ? ", " : "", v[i]);
    cv_buf_putc(b, ']');
}

/* Same multiset of strings. */
static bool same_names(const char *const *a, size_t na, const char *const *b, size_t nb)
{
    if (na != nb) return false;
    for (size_t i = 0; i < na; i++) {
        size_t ca = 0, cb = 0;
        for (size_t k = 0; k < na; k++) ca += strcmp(a[k], a[i]) == 0;
        for (size_t k = 0; k < nb; k++) cb += strcmp(b[k], a[i]) == 0;
        if (ca != cb) return false;
    }
    return true;
}

static int check_pk(const assert_catalog_rule *r, const cv_table *t, cv_err *err)
{
    if (!t->npk) return fail(r->pk, t, "the table has no primary key", err);
    cv_buf b;
    cv_buf_init(&b);
    int rc = 0;
    if (r->pk_name && (!t->pk_name || strcmp(r->pk_name, t->pk_name) != 0)) {
        if (t->pk_name)
            cv_buf_printf(&b, "primary key name is \"%s\", expected \"%s\"", t->pk_name, r->pk_name);
        else
            cv_buf_printf(&b, "the primary key has no name, expected \"%s\"", r->pk_name);
    } else if (r->pk_cols.n && !same_names(r->pk_cols.v, r->pk_cols.n, t->pk_cols, t->npk)) {
        cv_buf_puts(&b, "primary key columns are ");
        strs(&b, t->pk_cols, t->npk);
        cv_buf_puts(&b, ", expected ");
        strs(&b, r->pk_cols.v, r->pk_cols.n);
    }
    if (b.len) rc = fail(r->pk, t, b.data, err);
    cv_buf_free(&b);
    return rc;
}

static bool key_equal(const assert_key_rule *k, const cv_constraint *c)
{
    if (!c->name || strcmp(k->name, c->name) != 0) return false;
    if (!c->kind || !cv_streq_nocase(k->kind, c->kind)) return false;
    if (k->ncols != c->ncols) return false;
    for (uint32_t i = 0; i < k->ncols; i++)
        if (!c->cols[i].name || strcmp(k->cols[i].name, c->cols[i].name) != 0 || k->cols[i].desc != c->cols[i].desc)
            return false;
    return true;
}

static void fmt_key_col(cv_buf *b, uint32_t i, const char *name, bool desc)
{
    cv_buf_printf(b, "%s%s %s", i ? ", " : "", name ? name : "?", desc ? "DESC" : "ASC");
}

static void fmt_table_keys(cv_buf *b, const cv_table *t)
{
    cv_buf_putc(b, '[');
    for (uint32_t i = 0; i < t->nkeys; i++) {
        const cv_constraint *c = &t->keys[i];
        cv_buf_printf(b, "%s%s %s(", i ? ", " : "", c->kind ? c->kind : "?", c->name ? c->name : "?");
        for (uint32_t j = 0; j < c->ncols; j++) fmt_key_col(b, j, c->cols[j].name, c->cols[j].desc);
        cv_buf_putc(b, ')');
    }
    cv_buf_putc(b, ']');
}

static void fmt_rule_keys(cv_buf *b, const assert_catalog_rule *r)
{
    cv_buf_putc(b, '[');
    for (uint32_t i = 0; i < r->nkeys; i++) {
        const assert_key_rule *k = &r->keys[i];
        cv_buf_printf(b, "%s%s %s(", i ? ", " : "", k->kind, k->name);
        for (uint32_t j = 0; j < k->ncols; j++) fmt_key_col(b, j, k->cols[j].name, k->cols[j].desc);
        cv_buf_putc(b, ')');
    }
    cv_buf_putc(b, ']');
}

static int check_keys(const assert_catalog_rule *r, const cv_table *t, cv_err *err)
{
    const cv_node *at = cv_node_get(r->node, "constraint_key_rule");
    if (!t->nkeys) return fail(at, t, "the table has no constraint keys", err);
    if (!r->nkeys) return 0;
    bool ok = r->nkeys == t->nkeys;
    bool *used = cv_calloc(t->nkeys, sizeof *used);
    if (!used) return nomem(err);
    for (uint32_t i = 0; ok && i < r->nkeys; i++) {
        bool found = false;
        for (uint32_t j = 0; j < t->nkeys && !found; j++)
            if (!used[j] && key_equal(&r->keys[i], &t->keys[j])) used[j] = found = true;
        ok = found;
    }
    cv_free(used);
    if (ok) return 0;
    cv_buf b;
    cv_buf_init(&b);
    cv_buf_puts(&b, "constraint keys are ");
    fmt_table_keys(&b, t);
    cv_buf_puts(&b, ", expected ");
    fmt_rule_keys(&b, r);
    int rc = fail(at, t, b.oom ? NULL : b.data, err);
    cv_buf_free(&b);
    return rc;
}

static bool opt_str_equal(const char *a, const char *b) { return a && b ? strcmp(a, b) == 0 : a == b; }

static int check_cols(const assert_catalog_rule *r, const cv_table *t, cv_err *err)
{
    const cv_node *at = cv_node_get(r->node, "column_rule");
    if (!t->ncols) return fail(at, t, "the table has no columns", err);
    if (!r->ncols) return 0;
    cv_buf b;
    cv_buf_init(&b);
    char ta[256], tb[256];
    for (uint32_t i = 0; i < r->ncols && !b.len; i++) {
        const assert_col_rule *c = &r->cols[i];
        int k = cv_table_find_col(t, c->name);
        if (k < 0) {
            cv_buf_printf(&b, "column %s is missing", c->name);
            at = c->node;
            break;
        }
        const cv_column *tc = &t->cols[k];
        if (!cv_type_equal(c->type, tc->type))
            cv_buf_printf(&b, "column %s is %s, expected %s", c->name, cv_type_str(tc->type, ta, sizeof ta),
                          cv_type_str(c->type, tb, sizeof tb));
        else if (c->has_nullable && c->nullable != tc->nullable)
            cv_buf_printf(&b, "column %s is %s, expected %s", c->name, tc->nullable ? "nullable" : "not nullable",
                          c->nullable ? "nullable" : "not nullable");
        else if (c->has_length && c->length != tc->length)
            cv_buf_printf(&b, "column %s has column_length %lld, expected %lld", c->name, (long long)tc->length,
                          (long long)c->length);
        else if (c->default_value && !opt_str_equal(c->default_value, tc->default_value))
            cv_buf_printf(&b, "column %s has default_value %s, expected %s", c->name,
                          tc->default_value ? tc->default_value : "(none)", c->default_value);
        else if (c->comment && !opt_str_equal(c->comment, tc->comment))
            cv_buf_printf(&b, "column %s has comment \"%s\", expected \"%s\"", c->name, tc->comment ? tc->comment : "",
                          c->comment);
        if (b.len) at = c->node;
    }
    for (uint32_t k = 0; k < t->ncols && !b.len; k++) {
        bool listed = false;
        for (uint32_t i = 0; i < r->ncols && !listed; i++) listed = strcmp(r->cols[i].name, t->cols[k].name) == 0;
        if (!listed) cv_buf_printf(&b, "column %s is not listed in column_rule", t->cols[k].name);
    }
    int rc = b.len ? fail(at, t, b.oom ? NULL : b.data, err) : 0;
    cv_buf_free(&b);
    return rc;
}

int assert_catalog_check(const assert_catalog_rule *r, const cv_table *t, cv_err *err)
{
    if (r->pk) CV_TRY(check_pk(r, t, err));
    if (r->has_keys) CV_TRY(check_keys(r, t, err));
    if (r->has_cols) CV_TRY(check_cols(r, t, err));
    if (r->ident && strcmp(r->ident_table, t->full_name) != 0) {
        cv_buf b;
        cv_buf_init(&b);
        cv_buf_printf(&b, "table identifier is \"%s\", expected \"%s\"", t->full_name, r->ident_table);
        int rc = fail(r->ident, t, b.oom ? NULL : b.data, err);
        cv_buf_free(&b);
        return rc;
    }
    return 0;
}
