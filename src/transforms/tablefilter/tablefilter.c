/* tablefilter.c — TableFilter: keep or drop whole tables of a multi-table
 * stream by their database, schema and table names, as later SeaTunnel
 * (2.3.9+) does; a culvert extension over 2.3.8.
 *
 * Each pattern is a Java regex matched against the whole of its part
 * (String.matches); an absent pattern matches anything. A table matches
 * when every given pattern does; INCLUDE keeps the matching tables, EXCLUDE
 * the others. A table without a database (or schema) matches a pattern for
 * that part only when the pattern matches "" (SeaTunnel fails on it).
 * Everything is decided at plan time: a dropped table has no output table
 * and its batches go nowhere; a kept one is forwarded untouched. Dropping
 * every table is a plan-time error, since nothing would reach the sink. */
#include "plugin/plugin.h"

#include <stddef.h>
#include <string.h>

enum { MODE_INCLUDE, MODE_EXCLUDE };
enum { PART_DATABASE, PART_SCHEMA, PART_TABLE, NPARTS };

typedef struct {
    const char *pattern[NPARTS];
    int mode;
} tf_cfg;

static const cv_option options[] = {
    {"database_pattern", CV_OPT_STRING, NULL, "Java regex the whole database name must match (absent: any)",
     offsetof(tf_cfg, pattern[PART_DATABASE])},
    {"schema_pattern", CV_OPT_STRING, NULL, "Java regex the whole schema name must match (absent: any)",
     offsetof(tf_cfg, pattern[PART_SCHEMA])},
    {"table_pattern", CV_OPT_STRING, NULL, "Java regex the whole table name must match (absent: any)",
     offsetof(tf_cfg, pattern[PART_TABLE])},
    {"pattern_mode", CV_OPT_ENUM, "INCLUDE", "INCLUDE keeps the tables that match, EXCLUDE drops them",
     offsetof(tf_cfg, mode), 0, CV_ENUMS("INCLUDE", "EXCLUDE")},
    {NULL},
};

static const char *const part_key[NPARTS] = {"database_pattern", "schema_pattern", "table_pattern"};

static bool matches(const cv_regex *const *re, cv_rematch *const *m, const cv_table *t)
{
    const char *part[NPARTS] = {t->database, t->schema, t->name};
    for (int i = 0; i < NPARTS; i++) {
        const char *s = part[i] ? part[i] : "";
        if (re[i] && !cv_regex_full_match(re[i], m[i], s, strlen(s))) return false;
    }
    return true;
}

static int tr_open(cv_transform *t, cv_err *err)
{
    const tf_cfg *cfg = t->settings;
    cv_arena *a = t->ctx->arena;
    cv_regex *re[NPARTS] = {0};
    cv_rematch *m[NPARTS] = {0};
    int rc = 0;
    for (int i = 0; rc == 0 && i < NPARTS; i++) {
        const char *p = cfg->pattern[i];
        if (!p) continue;
        char why[256];
        rc = cv_regex_compile_n(p, strlen(p), 0, a, &re[i], why, sizeof why);
        if (rc == CV_ENOMEM) {
            rc = cv_err_set(err, CV_ENOMEM, "out of memory");
        } else if (rc < 0) {
            cv_pos pp = cv_node_pos(cv_optvals_given(t->given, part_key[i]));
            rc = cv_err_at(err, CV_ECONFIG, &pp, "%s: bad regular expression \"%s\": %s", part_key[i], p, why);
        } else if (!(m[i] = cv_rematch_new(re[i]))) {
            rc = cv_err_set(err, CV_ENOMEM, "out of memory");
        }
    }
    if (rc == 0 && !(t->out = cv_arena_alloc(a, (t->nin ? t->nin : 1) * sizeof *t->out)))
        rc = cv_err_set(err, CV_ENOMEM, "out of memory");
    uint32_t kept = 0;
    for (uint32_t ti = 0; rc == 0 && ti < t->nin; ti++) {
        bool keep = matches((const cv_regex *const *)re, m, t->in[ti]) == (cfg->mode == MODE_INCLUDE);
        t->out[ti] = keep ? t->in[ti] : NULL;
        kept += keep;
        if (!keep) cv_info("%s: table %s is filtered out", t->label, t->in[ti]->full_name);
    }
    for (int i = 0; i < NPARTS; i++) cv_rematch_free(m[i]);
    if (rc < 0) return rc;
    if (kept == 0 && t->nin > 0) {
        cv_buf names;
        cv_buf_init(&names);
        for (uint32_t ti = 0; ti < t->nin && ti < 8; ti++)
            cv_buf_printf(&names, "%s%s", ti ? ", " : "", t->in[ti]->full_name);
        if (t->nin > 8) cv_buf_printf(&names, " and %u more", t->nin - 8);
        cv_pos p = cv_node_pos(t->config);
        rc = cv_err_at(err, CV_ECONFIG, &p, "every input table is filtered out (%s): nothing would reach the sink",
                       names.data ? names.data : "");
        cv_buf_free(&names);
        return rc;
    }
    t->nout = t->nin;
    return 0;
}

static int tr_process(cv_transform *t, void *inst, cv_batch *in, cv_emit *out, cv_err *err)
{
    (void)inst;
    uint32_t ti = 0;
    while (ti < t->nin && t->in[ti] != in->table) ti++;
    if (ti == t->nin)
        return cv_err_set(err, CV_EINTERNAL, "TableFilter got a batch of unknown table %s", in->table->full_name);
    if (!t->out[ti]) return 0; /* filtered out */
    return cv_emit_forward(out, in) < 0 ? cv_err_set(err, CV_ENOMEM, "out of memory") : 0;
}

static const cv_plugin tablefilter = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_TRANSFORM,
    .name = "TableFilter",
    .summary = "keep or drop whole tables by database, schema and table name patterns (SeaTunnel 2.3.9+)",
    .options = options,
    .settings_size = sizeof(tf_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_MULTI_TABLE | CV_CAP_CDC,
    .example = "    table_pattern = \"tmp_.*\"\n    pattern_mode = EXCLUDE\n",
    .tr_open = tr_open,
    .tr_process = tr_process,
};

const cv_plugin *const cv_plugins_transforms_tablefilter[] = {&tablefilter, NULL};
