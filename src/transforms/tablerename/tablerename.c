/* tablerename.c — TableRename: give every input table a new identity, as
 * later SeaTunnel (2.3.9+) does; a culvert extension over 2.3.8. The names
 * are computed once, at plan time; rows do not change, only the table they
 * belong to.
 *
 * The rules follow SeaTunnel's TableRenameTransform:
 *  - replacements_with_regex: every rule is searched (Matcher.find) in the
 *    ORIGINAL table name; the last rule that matches anywhere decides, and
 *    each of its matches is replaced by its replace_to, trimmed and taken
 *    literally (no $1 groups);
 *  - convert_case turns the database and schema names and the rest of the
 *    table name to upper or lower case (the replace_to text keeps its case);
 *  - prefix and suffix (trimmed, ignored when blank) go around the table
 *    name as they are written.
 * A table whose path does not change is passed on as is; a renamed one gets
 * a copy of its batches under the new table (columns copied in bulk). Two
 * inputs that end up with one name are a plan-time error. */
#include "plugin/plugin.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unicase.h>

enum { CASE_UPPER, CASE_LOWER };

typedef struct {
    int convert_case; /* -1 when unset */
    const char *prefix, *suffix;
    const cv_node *replacements;
} tr_cfg;

static const cv_option options[] = {
    {"convert_case", CV_OPT_ENUM, NULL,
     "UPPER or LOWER: the case of the database, schema and table names (not of replace_to, prefix, suffix)",
     offsetof(tr_cfg, convert_case), 0, CV_ENUMS("UPPER", "LOWER")},
    {"prefix", CV_OPT_STRING, NULL, "put before the table name (trimmed; ignored when blank)",
     offsetof(tr_cfg, prefix)},
    {"suffix", CV_OPT_STRING, NULL, "put after the table name (trimmed; ignored when blank)", offsetof(tr_cfg, suffix)},
    {"replacements_with_regex", CV_OPT_LIST, NULL,
     "[{replace_from = Java regex, replace_to = text}]: the last rule that matches the table name replaces each "
     "of its matches",
     offsetof(tr_cfg, replacements)},
    {NULL},
};

typedef struct {
    const char *from, *to;
} rule_cfg;

static const cv_option rule_options[] = {
    {"replace_from", CV_OPT_STRING, NULL, "Java regex searched in the table name", offsetof(rule_cfg, from),
     CV_OPT_REQUIRED},
    {"replace_to", CV_OPT_STRING, NULL, "literal text for each match (trimmed)", offsetof(rule_cfg, to),
     CV_OPT_REQUIRED},
    {NULL},
};

typedef struct {
    cv_regex *re; /* NULL: an empty replace_from, which SeaTunnel skips */
    const char *to;
    size_t to_len;
} rule;

/* Java's String.trim: drop characters up to U+0020 at both ends. */
static const char *java_trim(const char *s, size_t *n)
{
    size_t len = strlen(s);
    while (len && (unsigned char)*s <= ' ') s++, len--;
    while (len && (unsigned char)s[len - 1] <= ' ') len--;
    *n = len;
    return s;
}

/* Append s[0..n) to b in the asked case (Unicode, like Java's
 * toUpperCase; invalid UTF-8 maps its ASCII letters only). */
static int put_case(cv_buf *b, const char *s, size_t n, int kase)
{
    if (kase < 0 || n == 0) {
        cv_buf_put(b, s, n);
        return b->oom ? CV_ENOMEM : 0;
    }
    cv_buf tmp;
    cv_buf_init(&tmp);
    /* room for the longest expansion, so libunistring writes into tmp */
    if (cv_buf_reserve(&tmp, n * 3 + 16) < 0) {
        cv_buf_free(&tmp);
        return CV_ENOMEM;
    }
    size_t len = tmp.cap - 1;
    uint8_t *buf = (uint8_t *)tmp.data;
    uint8_t *res = kase == CASE_UPPER ? u8_toupper((const uint8_t *)s, n, NULL, NULL, buf, &len)
                                      : u8_tolower((const uint8_t *)s, n, NULL, NULL, buf, &len);
    int rc = 0;
    if (res) {
        cv_buf_put(b, res, len);
        if (res != buf) cv_free(res);
    } else if (errno == ENOMEM) {
        rc = CV_ENOMEM;
    } else {
        for (size_t i = 0; i < n; i++) {
            char ch = s[i];
            if (kase == CASE_UPPER && ch >= 'a' && ch <= 'z') ch = (char)(ch - 32);
            if (kase == CASE_LOWER && ch >= 'A' && ch <= 'Z') ch = (char)(ch + 32);
            cv_buf_putc(b, ch);
        }
    }
    cv_buf_free(&tmp);
    return rc == 0 && b->oom ? CV_ENOMEM : rc;
}

static int compile_rules(cv_transform *t, rule **out, uint32_t *nout, cv_err *err)
{
    const tr_cfg *cfg = t->settings;
    cv_arena *a = t->ctx->arena;
    const cv_node *list = cfg->replacements;
    *out = NULL;
    *nout = 0;
    if (!list) return 0;
    uint32_t n = list->u.arr.n;
    rule *rules = cv_arena_zalloc(a, (n ? n : 1) * sizeof *rules);
    if (!rules) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        const cv_node *e = list->u.arr.v[i];
        cv_pos ep = cv_node_pos(e);
        if (e->kind != CV_NODE_OBJECT)
            return cv_err_at(err, CV_ECONFIG, &ep,
                             "replacements_with_regex[%u] must be an object {replace_from, replace_to}", i);
        char what[64];
        snprintf(what, sizeof what, "TableRename replacements_with_regex[%u]", i);
        rule_cfg rc = {0};
        cv_optset set = {rule_options, &rc};
        cv_optvals given;
        CV_TRY(cv_options_apply(a, e, &set, 1, what, &given, err));
        cv_pos fp = cv_node_pos(cv_optvals_given(&given, "replace_from"));
        cv_optvals_free(&given);
        rules[i].to = java_trim(rc.to, &rules[i].to_len);
        if (!rc.from[0]) {
            cv_warn("%s:%u:%u: %s: replace_from is empty; the rule is skipped, as in SeaTunnel", fp.file ? fp.file : "",
                    fp.line, fp.col, what);
            continue;
        }
        char why[256];
        int r = cv_regex_compile_n(rc.from, strlen(rc.from), 0, a, &rules[i].re, why, sizeof why);
        if (r == CV_ENOMEM) return cv_err_set(err, CV_ENOMEM, "out of memory");
        if (r < 0) return cv_err_at(err, CV_ECONFIG, &fp, "bad regular expression \"%s\": %s", rc.from, why);
    }
    *out = rules;
    *nout = n;
    return 0;
}

/* The new table name of `name` into b. */
static int rename_table(const tr_cfg *cfg, const rule *rules, uint32_t nrules, const char *name, cv_buf *b, cv_err *err)
{
    size_t n = strlen(name);
    /* SeaTunnel keeps the matches of the last rule that matches */
    const rule *use = NULL;
    for (uint32_t i = 0; i < nrules; i++) {
        if (!rules[i].re) continue;
        cv_rematch *m = cv_rematch_new(rules[i].re);
        if (!m) return cv_err_set(err, CV_ENOMEM, "out of memory");
        size_t from = 0;
        int r = cv_regex_find(rules[i].re, m, name, n, &from);
        cv_rematch_free(m);
        if (r == CV_ENOMEM) return cv_err_set(err, r, "out of memory matching the table name %s", name);
        if (r < 0) return cv_err_set(err, r, "TableRename: matching the name %s failed", name);
        if (r > 0) use = &rules[i];
    }
    size_t prefix_n = 0, suffix_n = 0;
    const char *prefix = cfg->prefix ? java_trim(cfg->prefix, &prefix_n) : "";
    const char *suffix = cfg->suffix ? java_trim(cfg->suffix, &suffix_n) : "";
    cv_buf_put(b, prefix, prefix_n);
    size_t done = 0;
    if (use) {
        cv_rematch *m = cv_rematch_new(use->re);
        if (!m) return cv_err_set(err, CV_ENOMEM, "out of memory");
        size_t from = 0;
        int r;
        while ((r = cv_regex_find(use->re, m, name, n, &from)) > 0) {
            size_t s = 0, e = 0;
            cv_rematch_group(m, 0, &s, &e);
            if (s >= done && put_case(b, name + done, s - done, cfg->convert_case) < 0) {
                r = CV_ENOMEM;
                break;
            }
            cv_buf_put(b, use->to, use->to_len);
            done = CV_MAX(done, e);
        }
        cv_rematch_free(m);
        if (r == CV_ENOMEM) return cv_err_set(err, r, "out of memory renaming the table %s", name);
        if (r < 0) return cv_err_set(err, r, "TableRename: renaming %s failed", name);
    }
    if (put_case(b, name + done, n - done, cfg->convert_case) < 0) return cv_err_set(err, CV_ENOMEM, "out of memory");
    cv_buf_put(b, suffix, suffix_n);
    return b->oom ? cv_err_set(err, CV_ENOMEM, "out of memory") : 0;
}

/* A database or schema name in the asked case (NULL stays NULL). */
static int case_part(cv_arena *a, const char *part, int kase, const char **out, cv_err *err)
{
    *out = part;
    if (!part || kase < 0) return 0;
    cv_buf b;
    cv_buf_init(&b);
    int rc = put_case(&b, part, strlen(part), kase);
    if (rc == 0 && !(*out = cv_arena_strdup(a, b.data ? b.data : ""))) rc = CV_ENOMEM;
    cv_buf_free(&b);
    return rc < 0 ? cv_err_set(err, CV_ENOMEM, "out of memory") : 0;
}

static bool same(const char *x, const char *y) { return x == y || (x && y && strcmp(x, y) == 0); }

static int tr_open(cv_transform *t, cv_err *err)
{
    const tr_cfg *cfg = t->settings;
    cv_arena *a = t->ctx->arena;
    rule *rules;
    uint32_t nrules;
    CV_TRY(compile_rules(t, &rules, &nrules, err));
    t->out = cv_arena_alloc(a, (t->nin ? t->nin : 1) * sizeof *t->out);
    if (!t->out) return cv_err_set(err, CV_ENOMEM, "out of memory");
    cv_buf b;
    cv_buf_init(&b);
    int rc = 0;
    for (uint32_t ti = 0; rc == 0 && ti < t->nin; ti++) {
        const cv_table *in = t->in[ti];
        cv_buf_reset(&b);
        rc = rename_table(cfg, rules, nrules, in->name ? in->name : "", &b, err);
        if (rc < 0) break;
        if (b.len == 0) {
            cv_pos p = cv_node_pos(t->config);
            rc = cv_err_at(err, CV_ECONFIG, &p, "%s would be renamed to an empty table name", in->full_name);
            break;
        }
        const char *db, *schema;
        if ((rc = case_part(a, in->database, cfg->convert_case, &db, err)) < 0 ||
            (rc = case_part(a, in->schema, cfg->convert_case, &schema, err)) < 0)
            break;
        if (same(db, in->database) && same(schema, in->schema) && same(b.data, in->name)) {
            t->out[ti] = in; /* unchanged: batches pass through */
        } else {
            cv_table *o = cv_arena_memdup(a, in, sizeof *in);
            const char *name = cv_arena_strdup(a, b.data);
            if (!o || !name) {
                rc = cv_err_set(err, CV_ENOMEM, "out of memory");
                break;
            }
            o->database = db;
            o->schema = schema;
            o->name = name;
            if ((rc = cv_table_finish(a, o, err)) < 0) break;
            t->out[ti] = o;
            cv_info("%s: %s is renamed to %s", t->label, in->full_name, o->full_name);
        }
        for (uint32_t k = 0; k < ti; k++)
            if (strcmp(t->out[k]->full_name, t->out[ti]->full_name) == 0) {
                cv_pos p = cv_node_pos(t->config);
                rc = cv_err_at(err, CV_ECONFIG, &p, "%s and %s would both be renamed to %s", t->in[k]->full_name,
                               in->full_name, t->out[ti]->full_name);
                break;
            }
    }
    cv_buf_free(&b);
    if (rc < 0) return rc;
    t->nout = t->nin;
    return 0;
}

static int tr_process(cv_transform *t, void *inst, cv_batch *in, cv_emit *out, cv_err *err)
{
    (void)inst;
    const cv_table *o = cv_transform_out(t, in->table);
    if (!o) return cv_err_set(err, CV_EINTERNAL, "TableRename got a batch of unknown table %s", in->table->full_name);
    if (o == in->table) return cv_emit_forward(out, in) < 0 ? cv_err_set(err, CV_ENOMEM, "out of memory") : 0;
    /* a batch belongs to one table: the renamed one gets a copy */
    cv_batch *b = cv_emit_batch(out, o);
    if (!b) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < in->ncols; i++) cv_col_append_range(&b->cols[i], &in->cols[i], 0, in->nrows);
    for (uint32_t r = 0; r < in->nrows; r++) cv_batch_end_row(b, (cv_row_kind)in->kinds[r]);
    return 0;
}

static const cv_plugin tablerename = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_TRANSFORM,
    .name = "TableRename",
    .summary = "rename tables: regex replacements, case, prefix and suffix (SeaTunnel 2.3.9+)",
    .options = options,
    .settings_size = sizeof(tr_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_MULTI_TABLE | CV_CAP_CDC,
    .example = "    convert_case = UPPER\n    prefix = \"ODS_\"\n"
               "    replacements_with_regex = [ { replace_from = \"^tmp_\", replace_to = \"\" } ]\n",
    .tr_open = tr_open,
    .tr_process = tr_process,
};

const cv_plugin *const cv_plugins_transforms_tablerename[] = {&tablerename, NULL};
