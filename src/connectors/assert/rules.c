/* rules.c — the Assert sink's `rules` tree: strict parsing into rule sets
 * (every object is validated against a small option table, so a typo is
 * an error with its position and a "did you mean"), then binding the sets
 * to the sink's tables at plan time: field names resolve to columns, and
 * each equals_to literal is converted once, with the column's type, into a
 * one-value expectation column that writers compare against. */
#include "assert_int.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

const char *const assert_value_types[] = {"NULL", "NOT_NULL", "MIN", "MAX", "MIN_LENGTH", "MAX_LENGTH", NULL};
const char *const assert_row_types[] = {"MIN_ROW", "MAX_ROW", NULL};

typedef struct {
    const cv_node *row_rules, *field_rules, *catalog, *tables_configs;
    cv_strlist names;
} rules_cfg;

#define RC(f) offsetof(rules_cfg, f)
static const cv_option rules_opts[] = {
    {"row_rules", CV_OPT_LIST, NULL, "row-count rules [{rule_type = MIN_ROW|MAX_ROW, rule_value = N}]", RC(row_rules)},
    {"field_rules", CV_OPT_LIST, NULL, "per-field rules [{field_name, field_type, field_value = [...]}]",
     RC(field_rules)},
    {"catalog_table_rule", CV_OPT_OBJECT, NULL,
     "schema checks: primary_key_rule, constraint_key_rule, column_rule, table_identifier_rule", RC(catalog)},
    {"table-names", CV_OPT_STRLIST, NULL, "the exact set of tables that must receive rows", RC(names)},
    {"tables_configs", CV_OPT_LIST, NULL, "rules per table [{table_path, row_rules, field_rules, catalog_table_rule}]",
     RC(tables_configs)},
    {NULL},
};

typedef struct {
    const char *table_path;
    const cv_node *row_rules, *field_rules, *catalog;
} table_cfg;

#define TC(f) offsetof(table_cfg, f)
static const cv_option table_opts[] = {
    {"table_path", CV_OPT_STRING, NULL, "the table these rules apply to (db.table, as the upstream names it)",
     TC(table_path), CV_OPT_REQUIRED},
    {"row_rules", CV_OPT_LIST, NULL, "row-count rules", TC(row_rules)},
    {"field_rules", CV_OPT_LIST, NULL, "per-field rules", TC(field_rules)},
    {"catalog_table_rule", CV_OPT_OBJECT, NULL, "schema checks", TC(catalog)},
    {NULL},
};

typedef struct {
    int type;
    double value;
} row_cfg;

static const cv_option row_opts[] = {
    {"rule_type", CV_OPT_ENUM, NULL, "MIN_ROW or MAX_ROW", offsetof(row_cfg, type), CV_OPT_REQUIRED, assert_row_types},
    {"rule_value", CV_OPT_DOUBLE, NULL, "the row count bound (inclusive)", offsetof(row_cfg, value), CV_OPT_REQUIRED},
    {NULL},
};

typedef struct {
    const char *name;
    const cv_node *type, *values;
} field_cfg;

static const cv_option field_opts[] = {
    {"field_name", CV_OPT_STRING, NULL, "the column to check", offsetof(field_cfg, name), CV_OPT_REQUIRED},
    {"field_type", CV_OPT_ANY, NULL, "expected type: a type string, or an object for a row", offsetof(field_cfg, type)},
    {"field_value", CV_OPT_LIST, NULL, "value rules [{rule_type, rule_value, equals_to}]", offsetof(field_cfg, values)},
    {NULL},
};

typedef struct {
    int type;
    double value;
    const cv_node *equals;
} value_cfg;

static const cv_option value_opts[] = {
    {"rule_type", CV_OPT_ENUM, NULL, "NULL, NOT_NULL, MIN, MAX, MIN_LENGTH or MAX_LENGTH", offsetof(value_cfg, type), 0,
     assert_value_types},
    {"rule_value", CV_OPT_DOUBLE, NULL, "the bound for MIN, MAX, MIN_LENGTH and MAX_LENGTH (inclusive)",
     offsetof(value_cfg, value)},
    {"equals_to", CV_OPT_ANY, NULL, "the exact value, written as for the column's type", offsetof(value_cfg, equals)},
    {NULL},
};

static int nomem(cv_err *err) { return cv_err_set(err, CV_ENOMEM, "out of memory"); }

static cv_pos member_pos(const cv_node *obj, const char *key)
{
    for (uint32_t i = 0; i < obj->u.obj.n; i++)
        if (strcmp(obj->u.obj.m[i].key, key) == 0) return cv_member_pos(obj, &obj->u.obj.m[i]);
    return cv_node_pos(obj);
}

static bool is_one_of(const char *s, const char *const *list)
{
    for (size_t i = 0; s && list[i]; i++)
        if (cv_streq_nocase(s, list[i])) return true;
    return false;
}

static int parse_row_rules(cv_arena *a, const cv_node *list, assert_rule_set *set, cv_err *err)
{
    set->nrows = list->u.arr.n;
    set->rows = cv_arena_zalloc(a, (set->nrows ? set->nrows : 1) * sizeof *set->rows);
    if (!set->rows) return nomem(err);
    for (uint32_t i = 0; i < list->u.arr.n; i++) {
        const cv_node *item = list->u.arr.v[i];
        const cv_node *type = item->kind == CV_NODE_OBJECT ? cv_node_get(item, "rule_type") : NULL;
        if (type && is_one_of(cv_node_str(type), assert_value_types)) {
            cv_pos p = cv_node_pos(type);
            return cv_err_at(err, CV_ECONFIG, &p,
                             "%s is a field rule; put it in field_rules[].field_value (row_rules take MIN_ROW "
                             "and MAX_ROW)",
                             type->text);
        }
        row_cfg rc = {0};
        cv_optset os = {row_opts, &rc};
        CV_TRY(cv_options_apply(a, item, &os, 1, "Assert row rule", NULL, err));
        set->rows[i].type = rc.type;
        set->rows[i].limit = rc.value;
        set->rows[i].limit_text = cv_node_str(cv_node_get(item, "rule_value"));
    }
    return 0;
}

static int parse_value_rule(cv_arena *a, const cv_node *item, assert_value_rule *v, cv_err *err)
{
    const cv_node *type = item->kind == CV_NODE_OBJECT ? cv_node_get(item, "rule_type") : NULL;
    if (type && is_one_of(cv_node_str(type), assert_row_types)) {
        cv_pos p = cv_node_pos(type);
        return cv_err_at(err, CV_ECONFIG, &p, "%s counts rows; put it in row_rules, not in field_value", type->text);
    }
    value_cfg vc = {0};
    cv_optset os = {value_opts, &vc};
    CV_TRY(cv_options_apply(a, item, &os, 1, "Assert field_value entry", NULL, err));
    cv_pos p = cv_node_pos(item);
    v->type = vc.type < 0 ? AR_NONE : vc.type;
    v->node = item;
    v->equals = vc.equals;
    v->limit = cv_node_get(item, "rule_value");
    v->dlimit = vc.value;
    v->integral = v->limit && cv_node_i64(v->limit, &v->ilimit);
    if (v->type == AR_NONE && !v->equals)
        return cv_err_at(err, CV_ECONFIG, &p, "a field_value entry needs rule_type or equals_to%s", "");
    bool needs_value = v->type == AR_MIN || v->type == AR_MAX || v->type == AR_MIN_LENGTH || v->type == AR_MAX_LENGTH;
    if (needs_value && !v->limit)
        return cv_err_at(err, CV_ECONFIG, &p, "rule %s needs rule_value", assert_value_types[v->type]);
    return 0;
}

static int parse_field_rules(cv_arena *a, const cv_node *list, assert_rule_set *set, cv_err *err)
{
    set->nfields = list->u.arr.n;
    set->fields = cv_arena_zalloc(a, (set->nfields ? set->nfields : 1) * sizeof *set->fields);
    if (!set->fields) return nomem(err);
    for (uint32_t i = 0; i < list->u.arr.n; i++) {
        const cv_node *item = list->u.arr.v[i];
        assert_field_rule *f = &set->fields[i];
        field_cfg fc = {0};
        cv_optset os = {field_opts, &fc};
        CV_TRY(cv_options_apply(a, item, &os, 1, "Assert field rule", NULL, err));
        f->name = fc.name;
        f->node = item;
        f->name_node = cv_node_get(item, "field_name");
        if (fc.type) CV_TRY(cv_type_from_node(a, fc.type, &f->type, err));
        if (!fc.type && !fc.values) {
            cv_pos p = cv_node_pos(item);
            return cv_err_at(err, CV_ECONFIG, &p, "the field rule for %s checks nothing; add field_type or field_value",
                             f->name);
        }
        if (!fc.values) continue;
        f->nvalues = fc.values->u.arr.n;
        f->values = cv_arena_zalloc(a, (f->nvalues ? f->nvalues : 1) * sizeof *f->values);
        if (!f->values) return nomem(err);
        for (uint32_t k = 0; k < f->nvalues; k++)
            CV_TRY(parse_value_rule(a, fc.values->u.arr.v[k], &f->values[k], err));
    }
    return 0;
}

static int parse_set(cv_arena *a, const cv_node *node, const cv_node *rows, const cv_node *fields,
                     const cv_node *catalog, assert_rule_set *set, cv_err *err)
{
    set->node = node;
    if (rows) CV_TRY(parse_row_rules(a, rows, set, err));
    if (fields) CV_TRY(parse_field_rules(a, fields, set, err));
    if (catalog) CV_TRY(assert_catalog_parse(a, catalog, &set->catalog, err));
    return 0;
}

static uint32_t rule_count(const assert_rule_set *s)
{
    const assert_catalog_rule *c = s->catalog;
    uint32_t n = s->nrows + s->nfields;
    if (c) n += (c->pk != NULL) + c->has_keys + c->has_cols + (c->ident != NULL);
    return n;
}

int assert_rules_parse(cv_arena *a, const cv_node *rules, assert_rules *out, cv_err *err)
{
    memset(out, 0, sizeof *out);
    rules_cfg rc = {0};
    cv_optset os = {rules_opts, &rc};
    CV_TRY(cv_options_apply(a, rules, &os, 1, "Assert rules", NULL, err));
    if (rc.tables_configs) {
        static const char *const top[] = {"row_rules", "field_rules", "catalog_table_rule"};
        const cv_node *given[] = {rc.row_rules, rc.field_rules, rc.catalog};
        for (int i = 0; i < 3; i++)
            if (given[i]) {
                cv_pos p = member_pos(rules, top[i]);
                return cv_err_at(err, CV_ECONFIG, &p,
                                 "%s cannot be combined with tables_configs; move it into the tables_configs items",
                                 top[i]);
            }
        const cv_node *list = rc.tables_configs;
        out->per_table = true;
        out->nsets = list->u.arr.n;
        out->sets = cv_arena_zalloc(a, (out->nsets ? out->nsets : 1) * sizeof *out->sets);
        if (!out->sets) return nomem(err);
        for (uint32_t i = 0; i < list->u.arr.n; i++) {
            const cv_node *item = list->u.arr.v[i];
            table_cfg tc = {0};
            cv_optset ts = {table_opts, &tc};
            CV_TRY(cv_options_apply(a, item, &ts, 1, "Assert tables_configs item", NULL, err));
            for (uint32_t k = 0; k < i; k++)
                if (strcmp(out->sets[k].table_path, tc.table_path) == 0) {
                    cv_pos p = member_pos(item, "table_path");
                    return cv_err_at(err, CV_ECONFIG, &p, "tables_configs names table \"%s\" twice", tc.table_path);
                }
            out->sets[i].table_path = tc.table_path;
            CV_TRY(parse_set(a, item, tc.row_rules, tc.field_rules, tc.catalog, &out->sets[i], err));
        }
    } else if (rc.row_rules || rc.field_rules || rc.catalog) {
        out->nsets = 1;
        out->sets = cv_arena_zalloc(a, sizeof *out->sets);
        if (!out->sets) return nomem(err);
        CV_TRY(parse_set(a, rules, rc.row_rules, rc.field_rules, rc.catalog, &out->sets[0], err));
    }
    if (rc.names.n) {
        out->names = cv_node_get(rules, "table-names");
        out->table_names = rc.names;
    }
    uint32_t total = (uint32_t)out->table_names.n;
    for (uint32_t i = 0; i < out->nsets; i++) total += rule_count(&out->sets[i]);
    if (total == 0) {
        cv_pos p = cv_node_pos(rules);
        return cv_err_at(err, CV_ECONFIG, &p,
                         "rules has nothing to check; add row_rules, field_rules, catalog_table_rule, table-names "
                         "or tables_configs%s",
                         "");
    }
    return 0;
}

/* ---- binding to tables ------------------------------------------------------------ */

/* Rewrite the recorded message as "<prefix>: <message>". */
static void err_prefix(cv_err *err, const char *prefix)
{
    cv_buf b;
    cv_buf_init(&b);
    cv_buf_printf(&b, "%s: %s", prefix, err->msg);
    if (!b.oom && b.data) {
        size_t n = CV_MIN(b.len, sizeof err->msg - 1);
        memcpy(err->msg, b.data, n);
        err->msg[n] = '\0';
    }
    cv_buf_free(&b);
}

static int unknown_field(const assert_field_rule *f, const cv_table *t, cv_err *err)
{
    const char **names = cv_malloc((t->ncols ? t->ncols : 1) * sizeof *names);
    if (!names) return nomem(err);
    cv_buf list;
    cv_buf_init(&list);
    for (uint32_t i = 0; i < t->ncols; i++) {
        names[i] = t->cols[i].name;
        cv_buf_printf(&list, "%s%s", i ? ", " : "", t->cols[i].name);
    }
    const char *dym = cv_did_you_mean(f->name, names, t->ncols);
    cv_pos p = cv_node_pos(f->name_node ? f->name_node : f->node);
    int rc = cv_err_at(err, CV_ECONFIG, &p, "field_rules: \"%s\" is not a column of table %s%s%s%s; columns: %s",
                       f->name, t->full_name, dym ? " (did you mean \"" : "", dym ? dym : "", dym ? "\"?)" : "",
                       list.data ? list.data : "");
    cv_buf_free(&list);
    cv_free(names);
    return rc;
}

/* The declared field_type can match values of the column type: the same
 * structure, row fields by position (names are ignored, as SeaTunnel
 * does), decimals with the same scale (precision is checked per value),
 * and "null" anywhere (it then matches only NULL values). */
static bool type_compatible(const cv_type *decl, const cv_type *col)
{
    if (decl->id == CV_T_NULL) return true;
    if (decl->id != col->id) return false;
    switch (decl->id) {
    case CV_T_DECIMAL: return decl->scale == col->scale;
    case CV_T_ARRAY: return type_compatible(decl->elem, col->elem);
    case CV_T_MAP: return type_compatible(decl->elem, col->elem) && type_compatible(decl->value, col->value);
    case CV_T_ROW:
        if (decl->nfields != col->nfields) return false;
        for (uint32_t i = 0; i < decl->nfields; i++)
            if (!type_compatible(decl->fields[i].type, col->fields[i].type)) return false;
        return true;
    default: return true;
    }
}

static int make_expect(assert_state *st, cv_arena *a, const cv_type *type, const cv_node *lit, cv_col **out,
                       cv_err *err)
{
    cv_col *c = cv_arena_zalloc(a, sizeof *c);
    if (!c || cv_col_init(c, type) < 0) return nomem(err);
    if (cv_vec_push(&st->expect, c) < 0) {
        cv_col_destroy(c);
        return nomem(err);
    }
    int rc = cv_append_node(c, lit, err);
    if (rc == CV_ENOMEM) return rc;
    if (rc < 0) {
        /* a literal that does not convert is a mistake in the job file */
        err->code = CV_ECONFIG;
        return CV_ECONFIG;
    }
    if (c->owner && c->owner->err == CV_ENOMEM) return nomem(err);
    if (c->owner && c->owner->err) {
        cv_pos p = cv_node_pos(lit);
        return cv_err_at(err, CV_ECONFIG, &p, "the value is out of range%s", "");
    }
    *out = c;
    return 0;
}

static int bind_fields(cv_sink *s, assert_state *st, assert_table *at, cv_err *err)
{
    cv_arena *a = s->ctx->arena;
    const assert_rule_set *set = at->rules;
    const cv_table *t = at->table;
    at->nbound = set->nfields;
    at->bound = cv_arena_zalloc(a, (set->nfields ? set->nfields : 1) * sizeof *at->bound);
    if (!at->bound) return nomem(err);
    for (uint32_t i = 0; i < set->nfields; i++) {
        const assert_field_rule *f = &set->fields[i];
        assert_bound *b = &at->bound[i];
        int col = cv_table_find_col(t, f->name);
        if (col < 0) return unknown_field(f, t, err);
        b->rule = f;
        b->col = (uint32_t)col;
        b->col_type = t->cols[col].type;
        char tn[128];
        if (f->type && !type_compatible(f->type, b->col_type)) {
            char dn[128];
            cv_warn("%s: field_type %s of field %s does not match its column type %s in table %s; every row will fail",
                    s->label, cv_type_str(f->type, dn, sizeof dn), f->name, cv_type_str(b->col_type, tn, sizeof tn),
                    t->full_name);
        }
        b->expect = cv_arena_zalloc(a, (f->nvalues ? f->nvalues : 1) * sizeof *b->expect);
        if (!b->expect) return nomem(err);
        for (uint32_t k = 0; k < f->nvalues; k++) {
            const assert_value_rule *v = &f->values[k];
            if ((v->type == AR_MIN || v->type == AR_MAX) && !cv_type_is_numeric(b->col_type)) {
                cv_pos p = cv_node_pos(v->node);
                return cv_err_at(err, CV_ECONFIG, &p, "rule %s needs a numeric column, but %s of table %s is %s",
                                 assert_value_types[v->type], f->name, t->full_name,
                                 cv_type_str(b->col_type, tn, sizeof tn));
            }
            if (!v->equals) continue;
            int rc = make_expect(st, a, b->col_type, v->equals, &b->expect[k], err);
            if (rc < 0) {
                char pre[256];
                snprintf(pre, sizeof pre, "equals_to for field %s (%s) of table %s", f->name,
                         cv_type_str(b->col_type, tn, sizeof tn), t->full_name);
                err_prefix(err, pre);
                return rc;
            }
        }
    }
    return 0;
}

static int unknown_table(const cv_sink *s, const assert_rule_set *set, cv_err *err)
{
    cv_buf list;
    cv_buf_init(&list);
    for (uint32_t i = 0; i < s->ntables; i++) cv_buf_printf(&list, "%s%s", i ? ", " : "", s->tables[i]->full_name);
    cv_pos p = member_pos(set->node, "table_path");
    int rc = cv_err_at(err, CV_ECONFIG, &p, "tables_configs: table_path \"%s\" is not a table of this sink; tables: %s",
                       set->table_path, list.data ? list.data : "(none)");
    cv_buf_free(&list);
    return rc;
}

int assert_bind(cv_sink *s, assert_state *st, cv_err *err)
{
    assert_rules *r = &st->rules;
    st->ntables = s->ntables;
    st->tables = cv_arena_zalloc(s->ctx->arena, (s->ntables ? s->ntables : 1) * sizeof *st->tables);
    if (!st->tables) return nomem(err);
    for (uint32_t i = 0; i < s->ntables; i++) {
        assert_table *at = &st->tables[i];
        at->table = s->tables[i];
        assert_rule_set *set = NULL;
        for (uint32_t k = 0; k < r->nsets && !set; k++)
            if (!r->sets[k].table_path || strcmp(r->sets[k].table_path, at->table->full_name) == 0) set = &r->sets[k];
        if (!set) continue;
        set->used = true;
        at->rules = set;
        CV_TRY(bind_fields(s, st, at, err));
    }
    for (uint32_t k = 0; k < r->nsets; k++)
        if (r->per_table && !r->sets[k].used) return unknown_table(s, &r->sets[k], err);
    /* schema checks last: a broken config is reported before a broken table */
    for (uint32_t i = 0; i < st->ntables; i++) {
        const assert_table *at = &st->tables[i];
        if (at->rules && at->rules->catalog) CV_TRY(assert_catalog_check(at->rules->catalog, at->table, err));
    }
    return 0;
}

void assert_state_release(assert_state *st)
{
    if (!st) return;
    for (size_t i = 0; i < st->expect.n; i++) cv_col_destroy(st->expect.v[i]);
    cv_vec_free(&st->expect);
}
