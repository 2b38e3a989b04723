/* placeholder.c — the sink placeholders SeaTunnel resolves per upstream
 * table: ${database_name}, ${schema_name}, ${table_name} (each with an
 * optional :default), ${schema_full_name}, ${table_full_name},
 * ${primary_key}, ${unique_key}, ${field_names}. Other ${…} are left as
 * written for the plugin to fill (e.g. ${transactionId}). */
#include "plugin.h"

#include <string.h>

static void join_keys(const cv_table *t, bool unique, cv_buf *out)
{
    if (!unique) {
        for (uint32_t i = 0; i < t->npk; i++) cv_buf_printf(out, "%s%s", i ? "," : "", t->pk_cols[i]);
        return;
    }
    bool first = true;
    for (uint32_t k = 0; k < t->nkeys; k++) {
        if (!t->keys[k].kind || !cv_streq_nocase(t->keys[k].kind, "UNIQUE_KEY")) continue;
        for (uint32_t c = 0; c < t->keys[k].ncols; c++) {
            cv_buf_printf(out, "%s%s", first ? "" : ",", t->keys[k].cols[c].name);
            first = false;
        }
    }
}

static bool put_part(const char *v, const char *def, size_t deflen, cv_buf *out)
{
    if (v)
        cv_buf_puts(out, v);
    else if (def)
        cv_buf_put(out, def, deflen);
    return v || def;
}

int cv_table_placeholders(const char *tmpl, const cv_table *t, cv_buf *out)
{
    const char *p = tmpl;
    while (*p) {
        const char *d = strstr(p, "${");
        if (!d) {
            cv_buf_puts(out, p);
            break;
        }
        cv_buf_put(out, p, (size_t)(d - p));
        const char *close = strchr(d, '}');
        if (!close) {
            cv_buf_puts(out, d);
            break;
        }
        const char *name = d + 2;
        const char *colon = memchr(name, ':', (size_t)(close - name));
        size_t nlen = colon ? (size_t)(colon - name) : (size_t)(close - name);
        const char *def = colon ? colon + 1 : NULL;
        size_t deflen = colon ? (size_t)(close - colon - 1) : 0;
#define IS(s) (nlen == strlen(s) && memcmp(name, s, nlen) == 0)
        bool done = true;
        if (IS("database_name"))
            done = put_part(t->database, def, deflen, out);
        else if (IS("schema_name"))
            done = put_part(t->schema, def, deflen, out);
        else if (IS("table_name"))
            done = put_part(t->name, def, deflen, out);
        else if (IS("table_full_name"))
            cv_buf_puts(out, t->full_name);
        else if (IS("schema_full_name")) {
            /* database.schema, the parts that exist */
            if (t->database) cv_buf_puts(out, t->database);
            if (t->database && t->schema) cv_buf_putc(out, '.');
            if (t->schema) cv_buf_puts(out, t->schema);
        } else if (IS("primary_key"))
            join_keys(t, false, out);
        else if (IS("unique_key"))
            join_keys(t, true, out);
        else if (IS("field_names"))
            for (uint32_t i = 0; i < t->ncols; i++) cv_buf_printf(out, "%s%s", i ? "," : "", t->cols[i].name);
        else {
            cv_buf_put(out, d, (size_t)(close + 1 - d)); /* not ours: keep it */
        }
#undef IS
        if (!done) return CV_EINVAL; /* e.g. ${schema_name} of a table without a schema, and no default */
        p = close + 1;
    }
    return out->oom ? CV_ENOMEM : 0;
}
