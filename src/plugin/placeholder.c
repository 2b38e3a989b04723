/* placeholder.c — SeaTunnel's sink option placeholders, filled from one
 * upstream table: ${database_name}, ${schema_name} and ${table_name} take
 * the path's parts (or the ":default" written after the name, or
 * nothing); ${schema_full_name} and ${table_full_name} join the parts
 * present with '.'; ${primary_key}, ${unique_key} and ${field_names} join
 * column names with ','. A placeholder the table cannot fill stays as
 * written, so the error that follows names it. Shared by every sink. */
#include "plugin.h"

#include <stdio.h>
#include <string.h>

/* The first unique key's columns joined with ','; *out NULL when there is
 * none. False when out of memory. */
static bool unique_key(cv_arena *a, const cv_table *t, const char **out)
{
    *out = NULL;
    for (uint32_t k = 0; k < t->nkeys; k++) {
        const cv_constraint *c = &t->keys[k];
        if (!c->kind || strcmp(c->kind, "UNIQUE_KEY") != 0 || c->ncols == 0) continue;
        cv_buf b;
        cv_buf_init(&b);
        for (uint32_t i = 0; i < c->ncols; i++) cv_buf_printf(&b, "%s%s", i ? "," : "", c->cols[i].name);
        *out = b.oom ? NULL : cv_arena_strdup(a, b.data);
        cv_buf_free(&b);
        return *out != NULL;
    }
    return true;
}

static const char *joined(cv_arena *a, const char *const *parts, uint32_t n)
{
    cv_buf b;
    cv_buf_init(&b);
    for (uint32_t i = 0; i < n; i++) cv_buf_printf(&b, "%s%s", i ? "," : "", parts[i]);
    const char *s = b.oom ? NULL : cv_arena_strdup(a, b.data ? b.data : "");
    cv_buf_free(&b);
    return s;
}

static const char *path_of(cv_arena *a, const char *db, const char *schema, const char *table)
{
    const char *parts[3] = {db, schema, table};
    cv_buf b;
    cv_buf_init(&b);
    for (int i = 0; i < 3; i++)
        if (parts[i]) cv_buf_printf(&b, "%s%s", b.len ? "." : "", parts[i]);
    const char *s = b.len == 0 ? "" : b.oom ? NULL : cv_arena_strdup(a, b.data);
    cv_buf_free(&b);
    return s;
}

/* The value for one placeholder name; *keep when it stays as written.
 * Returns false on out of memory. */
static bool lookup(cv_arena *a, const cv_table *t, const char *name, size_t n, const char *def, bool has_def,
                   const char **val, bool *keep)
{
#define IS(s) (n == sizeof(s) - 1 && memcmp(name, s, n) == 0)
    *keep = false;
    *val = NULL;
    const char *v = NULL;
    if (IS("database_name") || IS("schema_name") || IS("table_name")) {
        v = IS("database_name") ? t->database : IS("schema_name") ? t->schema : t->name;
        *val = v && v[0] ? v : has_def ? def : "";
        return true;
    }
    if (IS("schema_full_name")) {
        v = t->database || t->schema ? path_of(a, t->database, t->schema, NULL) : NULL;
        if (!v && (t->database || t->schema)) return false;
    } else if (IS("table_full_name")) {
        if (!(v = path_of(a, t->database, t->schema, t->name))) return false;
    } else if (IS("primary_key")) {
        if (t->npk && !(v = joined(a, t->pk_cols, t->npk))) return false;
    } else if (IS("unique_key")) {
        if (!unique_key(a, t, &v)) return false;
    } else if (IS("field_names")) {
        const char **names = cv_arena_alloc(a, (t->ncols + 1) * sizeof *names);
        if (!names) return false;
        for (uint32_t i = 0; i < t->ncols; i++) names[i] = t->cols[i].name;
        if (!(v = joined(a, names, t->ncols))) return false;
    } else {
        *keep = true; /* not ours: a literal ${…} */
        return true;
    }
#undef IS
    if (v && v[0])
        *val = v;
    else if (has_def)
        *val = def;
    else
        *keep = true;
    return true;
}

int cv_placeholder_expand(cv_arena *a, const char *text, const cv_table *t, const char **out)
{
    *out = text;
    if (!text || !strstr(text, "${")) return 0;
    cv_buf b;
    cv_buf_init(&b);
    const char *p = text;
    while (*p) {
        const char *open = strstr(p, "${");
        const char *close = open ? strchr(open + 2, '}') : NULL;
        if (!open || !close) {
            cv_buf_puts(&b, p);
            break;
        }
        cv_buf_put(&b, p, (size_t)(open - p));
        const char *name = open + 2;
        const char *colon = memchr(name, ':', (size_t)(close - name));
        size_t nlen = colon ? (size_t)(colon - name) : (size_t)(close - name);
        char def[256] = "";
        if (colon) {
            const char *d0 = colon + 1, *d1 = close;
            while (d0 < d1 && *d0 == ' ') d0++;
            while (d1 > d0 && d1[-1] == ' ') d1--;
            snprintf(def, sizeof def, "%.*s", (int)(d1 - d0), d0);
        }
        const char *val;
        bool keep;
        if (!lookup(a, t, name, nlen, def, colon != NULL, &val, &keep)) {
            cv_buf_free(&b);
            return CV_ENOMEM;
        }
        if (keep)
            cv_buf_put(&b, open, (size_t)(close + 1 - open));
        else
            cv_buf_puts(&b, val);
        p = close + 1;
    }
    int rc = 0;
    if (b.oom)
        rc = CV_ENOMEM;
    else if (!(*out = cv_arena_strdup(a, b.data ? b.data : "")))
        rc = CV_ENOMEM;
    cv_buf_free(&b);
    return rc;
}

int cv_placeholder_expand_list(cv_arena *a, const cv_strlist *in, const cv_table *t, cv_strlist *out)
{
    out->v = NULL;
    out->n = 0;
    if (in->n == 1 && (strcmp(in->v[0], "${primary_key}") == 0 || strcmp(in->v[0], "${unique_key}") == 0 ||
                       strcmp(in->v[0], "${field_names}") == 0)) {
        const char *s;
        CV_TRY(cv_placeholder_expand(a, in->v[0], t, &s));
        if (strcmp(s, in->v[0]) != 0) return cv_strlist_from_text(a, s, out);
    }
    if (in->n == 0) return 0;
    out->v = cv_arena_alloc(a, in->n * sizeof *out->v);
    if (!out->v) return CV_ENOMEM;
    for (size_t i = 0; i < in->n; i++) CV_TRY(cv_placeholder_expand(a, in->v[i], t, &out->v[i]));
    out->n = in->n;
    return 0;
}
