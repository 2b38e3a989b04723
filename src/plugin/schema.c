/* schema.c — config → data: catalog tables from `schema { … }` blocks, and
 * config values appended to columns (FakeSource rows, Assert expectations).
 * Kept in the plugin layer because it is the one place that knows both the
 * config tree and the data model. */
#include "plugin.h"

#include <string.h>

static int nomem(cv_err *err) { return cv_err_set(err, CV_ENOMEM, "out of memory"); }

int cv_type_from_node(cv_arena *a, const cv_node *n, const cv_type **out, cv_err *err)
{
    cv_pos p = cv_node_pos(n);
    if (n->kind == CV_NODE_OBJECT) {
        if (n->u.obj.n == 0) return cv_err_at(err, CV_ECONFIG, &p, "a row type needs at least one field%s", "");
        cv_field *fs = cv_arena_alloc(a, n->u.obj.n * sizeof *fs);
        if (!fs) return nomem(err);
        for (uint32_t i = 0; i < n->u.obj.n; i++) {
            fs[i].name = n->u.obj.m[i].key;
            for (uint32_t k = 0; k < i; k++)
                if (strcmp(fs[k].name, fs[i].name) == 0) {
                    cv_pos mp = cv_member_pos(n, &n->u.obj.m[i]);
                    return cv_err_at(err, CV_ECONFIG, &mp, "duplicate field \"%s\"", fs[i].name);
                }
            CV_TRY(cv_type_from_node(a, n->u.obj.m[i].val, &fs[i].type, err));
        }
        *out = cv_type_row(a, fs, n->u.obj.n);
        return *out ? 0 : nomem(err);
    }
    if (n->kind != CV_NODE_STRING && n->kind != CV_NODE_NULL)
        return cv_err_at(err, CV_ECONFIG, &p, "expected a type name such as \"int\" or \"decimal(10, 2)\", got %s",
                         cv_node_kind_name(n->kind));
    const char *text = n->kind == CV_NODE_NULL ? "null" : n->text;
    int rc = cv_type_parse(a, text, out, err);
    if (rc < 0) cv_err_locate(err, &p);
    return rc;
}

static const cv_option schema_opts[] = {
    {"fields", CV_OPT_OBJECT, NULL, "columns as name = type (nested objects are rows)", CV_NO_FIELD},
    {"columns", CV_OPT_LIST, NULL, "columns as [{name, type, nullable, …}]", CV_NO_FIELD},
    {"table", CV_OPT_STRING, NULL, "table path: table, db.table or db.schema.table", CV_NO_FIELD},
    {"schema_first", CV_OPT_BOOL, "false", "a two-part table path is schema.table", CV_NO_FIELD},
    {"comment", CV_OPT_STRING, NULL, "table comment", CV_NO_FIELD},
    {"primaryKey", CV_OPT_OBJECT, NULL, "{name, columnNames = [...]}", CV_NO_FIELD},
    {"constraintKeys", CV_OPT_LIST, NULL, "[{constraintName, constraintType, constraintColumns}]", CV_NO_FIELD},
    {NULL},
};

static const cv_option column_opts[] = {
    {"name", CV_OPT_STRING, NULL, "column name", CV_NO_FIELD, CV_OPT_REQUIRED},
    {"type", CV_OPT_ANY, NULL, "column type", CV_NO_FIELD, CV_OPT_REQUIRED},
    {"nullable", CV_OPT_BOOL, "true", "whether NULL is allowed", CV_NO_FIELD},
    {"columnLength", CV_OPT_INT, NULL, "length", CV_NO_FIELD},
    {"columnScale", CV_OPT_INT, NULL, "scale", CV_NO_FIELD},
    {"defaultValue", CV_OPT_ANY, NULL, "default value", CV_NO_FIELD},
    {"comment", CV_OPT_STRING, NULL, "comment", CV_NO_FIELD},
    {NULL},
};

static const char *str_of(const cv_node *obj, const char *k) { return cv_node_str(cv_node_get(obj, k)); }

static int columns_from_list(cv_arena *a, const cv_node *list, cv_table *t, cv_err *err)
{
    t->ncols = list->u.arr.n;
    t->cols = cv_arena_zalloc(a, (t->ncols ? t->ncols : 1) * sizeof *t->cols);
    if (!t->cols) return nomem(err);
    for (uint32_t i = 0; i < list->u.arr.n; i++) {
        const cv_node *c = list->u.arr.v[i];
        cv_optset set = {column_opts, NULL};
        CV_TRY(cv_options_apply(a, c, &set, 1, "schema column", NULL, err));
        cv_column *col = &t->cols[i];
        col->name = str_of(c, "name");
        CV_TRY(cv_type_from_node(a, cv_node_get(c, "type"), &col->type, err));
        bool nullable = true;
        cv_node_bool(cv_node_get(c, "nullable"), &nullable);
        col->nullable = nullable;
        const cv_node *dv = cv_node_get(c, "defaultValue");
        col->default_value = dv ? cv_node_str(dv) : NULL;
        col->comment = str_of(c, "comment");
        int64_t v;
        if (cv_node_i64(cv_node_get(c, "columnLength"), &v)) col->length = v;
        if (cv_node_i64(cv_node_get(c, "columnScale"), &v)) col->scale = v;
    }
    return 0;
}

static int columns_from_fields(cv_arena *a, const cv_node *fields, cv_table *t, cv_err *err)
{
    t->ncols = fields->u.obj.n;
    t->cols = cv_arena_zalloc(a, (t->ncols ? t->ncols : 1) * sizeof *t->cols);
    if (!t->cols) return nomem(err);
    for (uint32_t i = 0; i < fields->u.obj.n; i++) {
        const cv_member *m = &fields->u.obj.m[i];
        t->cols[i].name = m->key;
        t->cols[i].nullable = true;
        CV_TRY(cv_type_from_node(a, m->val, &t->cols[i].type, err));
    }
    return 0;
}

static int keys_from_config(cv_arena *a, const cv_node *schema, cv_table *t, cv_err *err)
{
    const cv_node *pk = cv_node_get(schema, "primaryKey");
    if (pk) {
        t->pk_name = str_of(pk, "name");
        const cv_node *cols = cv_node_get(pk, "columnNames");
        if (!cols || cols->kind != CV_NODE_ARRAY) {
            cv_pos p = cv_node_pos(pk);
            return cv_err_at(err, CV_ECONFIG, &p, "primaryKey needs columnNames = [ … ]%s", "");
        }
        t->npk = cols->u.arr.n;
        t->pk_cols = cv_arena_alloc(a, (t->npk ? t->npk : 1) * sizeof *t->pk_cols);
        if (!t->pk_cols) return nomem(err);
        for (uint32_t i = 0; i < t->npk; i++) {
            const cv_node *cn = cols->u.arr.v[i];
            if (!(t->pk_cols[i] = cv_node_str(cn))) {
                cv_pos p = cv_node_pos(cn);
                return cv_err_at(err, CV_ECONFIG, &p, "primaryKey columnNames must be column names, not %s",
                                 cv_node_kind_name(cn->kind));
            }
        }
    }
    const cv_node *ck = cv_node_get(schema, "constraintKeys");
    if (ck) {
        t->nkeys = ck->u.arr.n;
        t->keys = cv_arena_zalloc(a, (t->nkeys ? t->nkeys : 1) * sizeof *t->keys);
        if (!t->keys) return nomem(err);
        for (uint32_t i = 0; i < t->nkeys; i++) {
            const cv_node *k = ck->u.arr.v[i];
            cv_constraint *c = &t->keys[i];
            c->name = str_of(k, "constraintName");
            c->kind = str_of(k, "constraintType");
            const cv_node *cc = cv_node_get(k, "constraintColumns");
            if (!cc || cc->kind != CV_NODE_ARRAY) continue;
            c->ncols = cc->u.arr.n;
            c->cols = cv_arena_zalloc(a, (c->ncols ? c->ncols : 1) * sizeof *c->cols);
            if (!c->cols) return nomem(err);
            for (uint32_t j = 0; j < c->ncols; j++) {
                const cv_node *col = cc->u.arr.v[j];
                c->cols[j].name = col->kind == CV_NODE_OBJECT ? str_of(col, "columnName") : cv_node_str(col);
                if (!c->cols[j].name) {
                    cv_pos p = cv_node_pos(col);
                    return cv_err_at(err, CV_ECONFIG, &p,
                                     "constraintColumns items need a column name (a string or {columnName = …})%s", "");
                }
                const char *sort = col->kind == CV_NODE_OBJECT ? str_of(col, "sortType") : NULL;
                c->cols[j].desc = sort && cv_streq_nocase(sort, "DESC");
            }
        }
    }
    return 0;
}

int cv_schema_from_config(cv_arena *a, const cv_node *schema, const char *default_path, cv_table **out, cv_err *err)
{
    cv_optset set = {schema_opts, NULL};
    CV_TRY(cv_options_apply(a, schema, &set, 1, "schema", NULL, err));
    const cv_node *fields = cv_node_get(schema, "fields");
    const cv_node *columns = cv_node_get(schema, "columns");
    cv_pos p = cv_node_pos(schema);
    if (fields && columns) return cv_err_at(err, CV_ECONFIG, &p, "schema has both fields and columns; use one%s", "");
    /* neither: an empty schema, which SeaTunnel accepts (e.g. for a source
     * over an empty directory) */
    cv_table *t = cv_arena_zalloc(a, sizeof *t);
    if (!t) return nomem(err);
    if (fields || columns)
        CV_TRY(fields ? columns_from_fields(a, fields, t, err) : columns_from_list(a, columns, t, err));
    const char *path = str_of(schema, "table");
    bool schema_first = false;
    cv_node_bool(cv_node_get(schema, "schema_first"), &schema_first);
    if (path) {
        int rc = cv_table_set_path(a, t, path, schema_first, err);
        if (rc < 0) {
            cv_pos tp = cv_node_pos(cv_node_get(schema, "table"));
            cv_err_locate(err, &tp);
            return rc;
        }
    } else if (default_path) {
        CV_TRY(cv_table_set_path(a, t, default_path, false, err));
    } else {
        CV_TRY(cv_table_set_path(a, t, "default.default.default", false, err));
    }
    t->comment = str_of(schema, "comment");
    CV_TRY(keys_from_config(a, schema, t, err));
    int rc = cv_table_finish(a, t, err);
    if (rc < 0) cv_err_locate(err, &p);
    *out = t;
    return rc;
}

/* ---- values ------------------------------------------------------------------------ */

static int located(cv_err *err, const cv_node *n, int rc)
{
    cv_pos p = cv_node_pos(n);
    cv_err_locate(err, &p);
    return rc;
}

int cv_append_node(cv_col *c, const cv_node *n, cv_err *err)
{
    const cv_type *t = c->type;
    cv_pos p = cv_node_pos(n);
    char tn[96];
    if (n->kind == CV_NODE_NULL) {
        cv_col_append_null(c);
        return 0;
    }
    switch (t->id) {
    case CV_T_ARRAY: {
        if (n->kind != CV_NODE_ARRAY)
            return cv_err_at(err, CV_ECONFIG, &p, "expected a list [ … ] for %s", cv_type_str(t, tn, sizeof tn));
        for (uint32_t i = 0; i < n->u.arr.n; i++) CV_TRY(cv_append_node(&c->child[0], n->u.arr.v[i], err));
        cv_col_append_list(c, n->u.arr.n);
        return 0;
    }
    case CV_T_MAP: {
        if (n->kind != CV_NODE_OBJECT)
            return cv_err_at(err, CV_ECONFIG, &p, "expected an object { key = value } for %s",
                             cv_type_str(t, tn, sizeof tn));
        for (uint32_t i = 0; i < n->u.obj.n; i++) {
            const cv_member *m = &n->u.obj.m[i];
            int rc = cv_value_parse(&c->child[0], m->key, strlen(m->key), err);
            if (rc < 0) {
                cv_pos mp = cv_member_pos(n, m);
                cv_err_locate(err, &mp);
                return rc;
            }
            CV_TRY(cv_append_node(&c->child[1], m->val, err));
        }
        cv_col_append_list(c, n->u.obj.n);
        return 0;
    }
    case CV_T_ROW: {
        if (n->kind == CV_NODE_ARRAY) {
            if (n->u.arr.n != t->nfields)
                return cv_err_at(err, CV_ECONFIG, &p, "a %s value needs %u fields, got %u",
                                 cv_type_str(t, tn, sizeof tn), t->nfields, n->u.arr.n);
            for (uint32_t i = 0; i < t->nfields; i++) CV_TRY(cv_append_node(&c->child[i], n->u.arr.v[i], err));
        } else if (n->kind == CV_NODE_OBJECT) {
            for (uint32_t i = 0; i < n->u.obj.n; i++) {
                bool known = false;
                for (uint32_t k = 0; k < t->nfields; k++) known |= strcmp(t->fields[k].name, n->u.obj.m[i].key) == 0;
                if (!known) {
                    cv_pos mp = cv_member_pos(n, &n->u.obj.m[i]);
                    return cv_err_at(err, CV_ECONFIG, &mp, "\"%s\" is not a field of %s", n->u.obj.m[i].key,
                                     cv_type_str(t, tn, sizeof tn));
                }
            }
            for (uint32_t i = 0; i < t->nfields; i++) {
                const cv_node *v = cv_node_get(n, t->fields[i].name);
                if (v)
                    CV_TRY(cv_append_node(&c->child[i], v, err));
                else
                    cv_col_append_null(&c->child[i]);
            }
        } else {
            return cv_err_at(err, CV_ECONFIG, &p, "expected a list or object for %s", cv_type_str(t, tn, sizeof tn));
        }
        cv_col_append_struct(c);
        return 0;
    }
    case CV_T_BYTES: {
        if (!cv_node_is_scalar(n))
            return cv_err_at(err, CV_ECONFIG, &p, "expected a base64 string for bytes, got %s",
                             cv_node_kind_name(n->kind));
        cv_buf b;
        cv_buf_init(&b);
        int rc = cv_base64_decode(n->text, n->len, &b);
        if (rc == 0) cv_col_append_str(c, b.data ? b.data : "", b.len);
        cv_buf_free(&b);
        if (rc == CV_ENOMEM) return cv_err_set(err, rc, "out of memory");
        if (rc < 0) return cv_err_at(err, CV_ECONFIG, &p, "\"%s\" is not valid base64 for a bytes value", n->text);
        return 0;
    }
    default:
        if (!cv_node_is_scalar(n))
            return cv_err_at(err, CV_ECONFIG, &p, "expected a %s value, got %s", cv_type_str(t, tn, sizeof tn),
                             cv_node_kind_name(n->kind));
        {
            int rc = cv_value_parse(c, n->text, n->len, err);
            return rc < 0 ? located(err, n, rc) : 0;
        }
    }
}
