/* sql.c — the SQL the Jdbc sink generates, once for every dialect:
 * identifiers (field_ide, quoting), CREATE TABLE and its indexes, INSERT,
 * the dialect's upsert, DELETE by key, and the UPDATE / key lookup pair
 * used when upserts go by query. Column names come from the target
 * (already cased); parameters are always `?`, in the order the statement's
 * column list says. */
#include "jdbc.h"

#include <stdio.h>
#include <string.h>

const char *jdbc_ident_case(cv_arena *a, const char *name, int field_ide)
{
    if (field_ide == JDBC_IDE_ORIGINAL || !name) return name;
    char *s = cv_arena_strdup(a, name);
    if (!s) return NULL;
    for (char *p = s; *p; p++) {
        if (field_ide == JDBC_IDE_LOWERCASE && *p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
        if (field_ide == JDBC_IDE_UPPERCASE && *p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
    }
    return s;
}

void jdbc_quote(const jdbc_dialect *d, const char *name, cv_buf *sql)
{
    char q = d->quote[0];
    cv_buf_putc(sql, q);
    for (const char *p = name; *p; p++) {
        if (*p == q) cv_buf_putc(sql, q);
        cv_buf_putc(sql, *p);
    }
    cv_buf_putc(sql, q);
}

void jdbc_quote_path(const jdbc_dialect *d, const char *schema, const char *table, cv_buf *sql)
{
    if (schema) {
        jdbc_quote(d, schema, sql);
        cv_buf_putc(sql, '.');
    }
    jdbc_quote(d, table, sql);
}

int jdbc_sql_create_table(const jdbc_dialect *d, const jdbc_target *t, cv_buf *sql, cv_err *err)
{
    const cv_table *in = t->in;
    cv_buf_printf(sql, "CREATE TABLE %s (", t->qualified);
    for (uint32_t i = 0; i < in->ncols; i++) {
        bool key = false;
        for (uint32_t k = 0; k < t->nkey; k++) key |= t->key[k] == i;
        cv_buf_puts(sql, i ? ",\n  " : "\n  ");
        jdbc_quote(d, t->cols[i], sql);
        cv_buf_putc(sql, ' ');
        cv_column col = in->cols[i];
        if (key && d->key_string_length && col.length <= 0 && cv_type_is_var(col.type))
            col.length = d->key_string_length; /* an index needs a bounded type */
        CV_TRY(d->ddl_type(&col, sql, err));
        /* SQLite lets key columns hold NULL unless told otherwise */
        if (!in->cols[i].nullable || key) cv_buf_puts(sql, " NOT NULL");
    }
    if (t->nkey) {
        cv_buf_puts(sql, ",\n  PRIMARY KEY (");
        for (uint32_t k = 0; k < t->nkey; k++) {
            if (k) cv_buf_puts(sql, ", ");
            jdbc_quote(d, t->cols[t->key[k]], sql);
        }
        cv_buf_putc(sql, ')');
    }
    cv_buf_puts(sql, "\n)");
    return sql->oom ? jdbc_nomem(err) : 0;
}

void jdbc_sql_create_indexes(const jdbc_dialect *d, const jdbc_target *t, cv_buf *sql)
{
    const cv_table *in = t->in;
    for (uint32_t k = 0; k < in->nkeys; k++) {
        const cv_constraint *c = &in->keys[k];
        bool unique = c->kind && strcmp(c->kind, "UNIQUE_KEY") == 0;
        bool index = c->kind && strcmp(c->kind, "INDEX_KEY") == 0;
        if ((!unique && !index) || c->ncols == 0) continue;
        bool all = true;
        for (uint32_t i = 0; i < c->ncols; i++) all &= cv_table_find_col(in, c->cols[i].name) >= 0;
        if (!all) continue;
        char name[200];
        if (c->name && c->name[0])
            snprintf(name, sizeof name, "%s", c->name);
        else
            snprintf(name, sizeof name, "%s_%s_%u", t->name, unique ? "uk" : "idx", k + 1);
        if (sql->len) cv_buf_puts(sql, ";\n");
        cv_buf_printf(sql, "CREATE %sINDEX IF NOT EXISTS ", unique ? "UNIQUE " : "");
        if (d->index_in_schema) {
            jdbc_quote_path(d, t->schema, name, sql);
            cv_buf_puts(sql, " ON ");
            jdbc_quote(d, t->name, sql);
        } else {
            jdbc_quote(d, name, sql);
            cv_buf_printf(sql, " ON %s", t->qualified);
        }
        cv_buf_puts(sql, " (");
        for (uint32_t i = 0; i < c->ncols; i++) {
            if (i) cv_buf_puts(sql, ", ");
            jdbc_quote(d, t->cols[cv_table_find_col(in, c->cols[i].name)], sql);
            if (c->cols[i].desc) cv_buf_puts(sql, " DESC");
        }
        cv_buf_putc(sql, ')');
    }
}

static void col_list(const jdbc_dialect *d, const jdbc_target *t, const uint32_t *cols, uint32_t n, const char *sep,
                     const char *suffix, cv_buf *sql)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i) cv_buf_puts(sql, sep);
        jdbc_quote(d, t->cols[cols[i]], sql);
        cv_buf_puts(sql, suffix);
    }
}

static const char *keep(cv_arena *a, cv_buf *sql)
{
    const char *s = sql->oom ? NULL : cv_arena_strdup(a, sql->data ? sql->data : "");
    cv_buf_reset(sql);
    return s;
}

int jdbc_sql_build(cv_arena *a, const jdbc_dialect *d, jdbc_target *t, bool pk_updated, cv_err *err)
{
    uint32_t n = t->in->ncols;
    cv_buf sql;
    cv_buf_init(&sql);
    cv_buf_printf(&sql, "INSERT INTO %s (", t->qualified);
    col_list(d, t, t->all, n, ", ", "", &sql);
    cv_buf_puts(&sql, ") VALUES (");
    for (uint32_t i = 0; i < n; i++) cv_buf_puts(&sql, i ? ", ?" : "?");
    cv_buf_putc(&sql, ')');
    const char *insert = sql.oom ? NULL : cv_arena_strdup(a, sql.data);
    int rc = insert ? 0 : jdbc_nomem(err);
    t->insert = insert;
    if (rc == 0 && t->nkey) {
        /* upsert: the insert plus the dialect's conflict clause */
        const char **keys = cv_arena_alloc(a, t->nkey * sizeof *keys);
        const char **others = cv_arena_alloc(a, (t->nother + 1) * sizeof *others);
        cv_buf q;
        cv_buf_init(&q);
        for (uint32_t k = 0; keys && k < t->nkey; k++) {
            cv_buf_reset(&q);
            jdbc_quote(d, t->cols[t->key[k]], &q);
            keys[k] = q.oom ? NULL : cv_arena_strdup(a, q.data);
            if (!keys[k]) rc = CV_ENOMEM;
        }
        for (uint32_t k = 0; others && k < t->nother; k++) {
            cv_buf_reset(&q);
            jdbc_quote(d, t->cols[t->other[k]], &q);
            others[k] = q.oom ? NULL : cv_arena_strdup(a, q.data);
            if (!others[k]) rc = CV_ENOMEM;
        }
        cv_buf_free(&q);
        if (!keys || !others || rc < 0) {
            cv_buf_free(&sql);
            return jdbc_nomem(err);
        }
        d->upsert_clause(&sql, keys, t->nkey, others, t->nother);
        t->upsert = keep(a, &sql);

        cv_buf_printf(&sql, "DELETE FROM %s WHERE ", t->qualified);
        col_list(d, t, t->key, t->nkey, " AND ", " = ?", &sql);
        t->del = keep(a, &sql);

        cv_buf_printf(&sql, "SELECT 1 FROM %s WHERE ", t->qualified);
        col_list(d, t, t->key, t->nkey, " AND ", " = ?", &sql);
        t->exists = keep(a, &sql);

        /* UPDATE … SET (every column, or the non-key ones) WHERE key */
        const uint32_t *set = pk_updated ? t->all : t->other;
        uint32_t nset = pk_updated ? n : t->nother;
        t->upd = cv_arena_alloc(a, (nset + t->nkey) * sizeof *t->upd);
        if (t->upd) {
            memcpy(t->upd, set, nset * sizeof *set);
            memcpy(t->upd + nset, t->key, t->nkey * sizeof *t->key);
            t->nupd = nset + t->nkey;
        }
        if (nset) {
            cv_buf_printf(&sql, "UPDATE %s SET ", t->qualified);
            col_list(d, t, set, nset, ", ", " = ?", &sql);
            cv_buf_puts(&sql, " WHERE ");
            col_list(d, t, t->key, t->nkey, " AND ", " = ?", &sql);
            t->update = keep(a, &sql);
        }
        if (!t->upsert || !t->del || !t->exists || !t->upd || (nset && !t->update)) rc = jdbc_nomem(err);
    }
    cv_buf_free(&sql);
    return rc;
}
