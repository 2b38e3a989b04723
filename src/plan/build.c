/* build.c — reading a job document into plan nodes: the env block, the
 * plugin blocks of source/transform/sink (HOCON or JSON form), plugin
 * lookup with "did you mean", and option validation per block. Wiring and
 * opening follow in wire.c and open.c. */
#include "plan_int.h"

#include <stddef.h>
#include <string.h>

#define ENV(f) offsetof(cv_env, f)

static const cv_option env_options[] = {
    {"job.mode", CV_OPT_ENUM, "BATCH", "BATCH ends when all data is read; STREAMING runs until stopped", ENV(mode), 0,
     CV_ENUMS("BATCH", "STREAMING")},
    {"job.name", CV_OPT_STRING, "SeaTunnel_Job", "job name (the -n flag wins)", ENV(job_name)},
    {"parallelism", CV_OPT_INT, "1", "default number of parallel readers per source", ENV(parallelism), 0, NULL,
     "execution.parallelism", 1, 4096},
    {"checkpoint.interval", CV_OPT_INT, NULL, "ms between checkpoints (BATCH: only the final one when unset)",
     ENV(checkpoint_interval), 0, NULL, "execution.checkpoint.interval", 0, INT64_MAX},
    {"checkpoint.timeout", CV_OPT_INT, NULL, "ms before a checkpoint is declared failed", ENV(checkpoint_timeout), 0,
     NULL, "execution.checkpoint.timeout", 0, INT64_MAX},
    {"min-pause", CV_OPT_INT, NULL, "minimum ms between two checkpoints", ENV(min_pause), 0, NULL,
     "checkpoint.min-pause,execution.checkpoint.min-pause", -1, INT64_MAX},
    {"read_limit.rows_per_second", CV_OPT_INT, NULL, "row rate cap per reader", ENV(read_limit_rows), 0, NULL, NULL, 0,
     INT64_MAX},
    {"read_limit.bytes_per_second", CV_OPT_INT, NULL, "byte rate cap per reader", ENV(read_limit_bytes), 0, NULL, NULL,
     0, INT64_MAX},
    {"job.retry.times", CV_OPT_INT, "3", "restarts from the last checkpoint after a failure", ENV(retry_times), 0, NULL,
     NULL, 0, 1000},
    {"job.retry.interval.seconds", CV_OPT_INT, "3", "seconds between restarts", ENV(retry_interval_s), 0, NULL, NULL, 0,
     86400},
    {"savemode.execute.location", CV_OPT_ENUM, "CLUSTER", "where sink save modes run (both mean: before writing)",
     ENV(savemode_location), 0, CV_ENUMS("CLUSTER", "CLIENT")},
    {"shade.identifier", CV_OPT_STRING, NULL, "config encryption (base64 is built in)", ENV(shade_identifier)},
    {"custom_parameters", CV_OPT_OBJECT, NULL, "free-form parameters", ENV(custom_parameters)},
    {"jars", CV_OPT_STRING, NULL, "extra jars", CV_NO_FIELD, CV_OPT_IGNORED, NULL, NULL, 0, 0,
     "culvert has no JVM; plugins are built in"},
    {"tag_filter", CV_OPT_ANY, NULL, "worker tags", CV_NO_FIELD, CV_OPT_IGNORED, NULL, NULL, 0, 0,
     "culvert runs the job in this process"},
    {"pipeline_concurrency", CV_OPT_INT, NULL, "pipelines run concurrently", CV_NO_FIELD, CV_OPT_IGNORED, NULL, NULL, 0,
     0, "all pipelines run concurrently"},
    {"spark.", CV_OPT_ANY, NULL, "Spark engine settings", CV_NO_FIELD, CV_OPT_IGNORED | CV_OPT_PREFIX, NULL, NULL, 0, 0,
     "only the Spark engine reads them"},
    {"flink.", CV_OPT_ANY, NULL, "Flink engine settings", CV_NO_FIELD, CV_OPT_IGNORED | CV_OPT_PREFIX, NULL, NULL, 0, 0,
     "only the Flink engine reads them"},
    {"execution.", CV_OPT_ANY, NULL, "legacy Flink engine settings", CV_NO_FIELD, CV_OPT_IGNORED | CV_OPT_PREFIX, NULL,
     NULL, 0, 0, "only the Flink engine reads them"},
    {NULL},
};

#define COM(f) offsetof(cv_common_opts, f)

static const cv_option source_common[] = {
    {"plugin_output", CV_OPT_STRING, NULL, "name of the stream this source produces", COM(output), 0, NULL,
     "result_table_name"},
    {"parallelism", CV_OPT_INT, NULL, "parallel readers (default: env.parallelism)", COM(parallelism), 0, NULL, NULL, 1,
     4096},
    {"plugin_name", CV_OPT_STRING, NULL, "plugin name (JSON job files)", COM(plugin_name)},
    {NULL},
};

static const cv_option transform_common[] = {
    {"plugin_input", CV_OPT_STRLIST, NULL, "stream(s) this transform reads", COM(inputs), 0, NULL, "source_table_name"},
    {"plugin_output", CV_OPT_STRING, NULL, "name of the stream this transform produces", COM(output), 0, NULL,
     "result_table_name"},
    {"parallelism", CV_OPT_INT, NULL, "ignored: transforms run in their upstream's threads", COM(parallelism), 0, NULL,
     NULL, 1, 4096},
    {"plugin_name", CV_OPT_STRING, NULL, "plugin name (JSON job files)", COM(plugin_name)},
    {NULL},
};

static const cv_option sink_common[] = {
    {"plugin_input", CV_OPT_STRLIST, NULL, "stream(s) this sink writes", COM(inputs), 0, NULL, "source_table_name"},
    {"parallelism", CV_OPT_INT, NULL, "parallel writers (default: the upstream's parallelism)", COM(parallelism), 0,
     NULL, NULL, 1, 4096},
    {"plugin_name", CV_OPT_STRING, NULL, "plugin name (JSON job files)", COM(plugin_name)},
    {NULL},
};

const cv_option *cv_plan_env_options(void) { return env_options; }

const cv_option *cv_plan_common_options(cv_plugin_kind k)
{
    return k == CV_PLUGIN_SOURCE ? source_common : k == CV_PLUGIN_TRANSFORM ? transform_common : sink_common;
}

static const char *const sections[] = {"source", "transform", "sink"};

static int check_root(const cv_doc *doc, cv_err *err)
{
    const cv_node *root = doc->root;
    for (uint32_t i = 0; i < root->u.obj.n; i++) {
        const cv_member *m = &root->u.obj.m[i];
        if (strcmp(m->key, "env") == 0 || strcmp(m->key, "source") == 0 || strcmp(m->key, "transform") == 0 ||
            strcmp(m->key, "sink") == 0)
            continue;
        const char *cands[] = {"env", "source", "transform", "sink"};
        const char *dym = cv_did_you_mean(m->key, cands, 4);
        cv_pos p = cv_member_pos(root, m);
        return cv_err_at(err, CV_ECONFIG, &p, "unknown section \"%s\"%s%s%s; a job has env, source, transform and sink",
                         m->key, dym ? " (did you mean \"" : "", dym ? dym : "", dym ? "\"?)" : "");
    }
    return 0;
}

typedef CV_VEC(cv_pnode *) pnode_vec;

static int add_node(cv_plan *p, pnode_vec *v, cv_plugin_kind kind, int seq, const char *name, const cv_node *cfg,
                    cv_pos pos, cv_err *err)
{
    const cv_plugin *pl = cv_plugin_find(kind, name);
    if (!pl) {
        const char *dym = cv_plugin_suggest(kind, name);
        /* maybe it is a plugin of another kind in the wrong section */
        const char *other = NULL;
        for (int k = 0; k < 3 && !other; k++)
            if ((cv_plugin_kind)k != kind && cv_plugin_find((cv_plugin_kind)k, name))
                other = cv_plugin_kind_name((cv_plugin_kind)k);
        if (other)
            return cv_err_at(err, CV_ECONFIG, &pos, "%s is a %s, not a %s; move it to the %s section", name, other,
                             cv_plugin_kind_name(kind), other);
        return cv_err_at(
            err, CV_ECONFIG, &pos, "unknown %s plugin \"%s\"%s%s%s (run `culvert connectors` for the list)",
            cv_plugin_kind_name(kind), name, dym ? " (did you mean \"" : "", dym ? dym : "", dym ? "\"?)" : "");
    }
    if (cfg->kind != CV_NODE_OBJECT)
        return cv_err_at(err, CV_ECONFIG, &pos, "%s must be followed by an object { … }", name);
    cv_pnode *n = cv_arena_zalloc(&p->arena, sizeof *n);
    if (!n) return cv_err_set(err, CV_ENOMEM, "out of memory");
    n->kind = kind;
    n->seq = seq;
    n->plugin = pl;
    n->cfg = cfg;
    n->pos = pos;
    n->label = cv_arena_printf(&p->arena, "%s (%s #%d)", pl->name, cv_plugin_kind_name(kind), seq);
    if (!n->label || cv_vec_push(v, n) < 0) return cv_err_set(err, CV_ENOMEM, "out of memory");
    return 0;
}

/* A section is `source { A {…} B {…} }` or, in JSON, `"source": [ {"plugin_name": "A", …} ]`. */
static int collect_section(cv_plan *p, const cv_node *root, cv_plugin_kind kind, pnode_vec *vec, cv_err *err)
{
    const char *sec = sections[kind];
    const cv_node *s = cv_node_get(root, sec);
    if (!s) return 0;
    int seq = 0;
    if (s->kind == CV_NODE_OBJECT) {
        for (uint32_t i = 0; i < s->u.obj.n; i++) {
            const cv_member *m = &s->u.obj.m[i];
            CV_TRY(add_node(p, vec, kind, ++seq, m->key, m->val, cv_member_pos(s, m), err));
        }
    } else if (s->kind == CV_NODE_ARRAY) {
        for (uint32_t i = 0; i < s->u.arr.n; i++) {
            const cv_node *b = s->u.arr.v[i];
            cv_pos bp = cv_node_pos(b);
            const char *name = b->kind == CV_NODE_OBJECT ? cv_node_str(cv_node_get(b, "plugin_name")) : NULL;
            if (!name) return cv_err_at(err, CV_ECONFIG, &bp, "each %s entry needs \"plugin_name\"", sec);
            CV_TRY(add_node(p, vec, kind, ++seq, name, b, bp, err));
        }
    } else {
        cv_pos sp = cv_node_pos(s);
        return cv_err_at(err, CV_ECONFIG, &sp, "%s must be an object { Plugin { … } }", sec);
    }
    return 0;
}

static int apply_options(cv_plan *p, cv_pnode *n, cv_err *err)
{
    if (n->plugin->settings_size) {
        n->settings = cv_arena_zalloc(&p->arena, n->plugin->settings_size);
        if (!n->settings) return cv_err_set(err, CV_ENOMEM, "out of memory");
    }
    cv_optset sets[2] = {{cv_plan_common_options(n->kind), &n->common},
                         {n->plugin->options ? n->plugin->options : (const cv_option[]){{NULL}}, n->settings}};
    return cv_options_apply(&p->arena, n->cfg, sets, 2, n->label, &n->vals, err);
}

int cv__plan_collect(cv_plan *p, cv_err *err)
{
    const cv_node *root = p->doc->root;
    CV_TRY(check_root(p->doc, err));
    const cv_node *env = cv_node_get(root, "env");
    cv_optset es = {env_options, &p->env};
    if (env) {
        CV_TRY(cv_options_apply(&p->arena, env, &es, 1, "env", NULL, err));
        p->env.parallelism_set = cv_node_get(env, "parallelism") || cv_node_path(env, "execution.parallelism");
    } else {
        cv_node empty = {.kind = CV_NODE_OBJECT};
        CV_TRY(cv_options_apply(&p->arena, &empty, &es, 1, "env", NULL, err));
    }
    pnode_vec srcs = {0}, trs = {0}, sinks = {0};
    int rc = collect_section(p, root, CV_PLUGIN_SOURCE, &srcs, err);
    if (rc == 0) rc = collect_section(p, root, CV_PLUGIN_TRANSFORM, &trs, err);
    if (rc == 0) rc = collect_section(p, root, CV_PLUGIN_SINK, &sinks, err);
    if (rc == 0 && (srcs.n == 0 || sinks.n == 0)) {
        cv_pos rp = cv_node_pos(root);
        rp.line = rp.line ? rp.line : 1;
        rc = cv_err_at(err, CV_ECONFIG, &rp, "a job needs at least one source and one sink (found %zu and %zu)", srcs.n,
                       sinks.n);
    }
    if (rc == 0) {
        p->nnodes = (uint32_t)(srcs.n + trs.n + sinks.n);
        p->nodes = cv_arena_alloc(&p->arena, p->nnodes * sizeof *p->nodes);
        if (!p->nodes) rc = cv_err_set(err, CV_ENOMEM, "out of memory");
    }
    if (rc == 0) {
        uint32_t k = 0;
        for (size_t i = 0; i < srcs.n; i++) p->nodes[k++] = srcs.v[i];
        for (size_t i = 0; i < trs.n; i++) p->nodes[k++] = trs.v[i];
        for (size_t i = 0; i < sinks.n; i++) p->nodes[k++] = sinks.v[i];
        p->nsources = (uint32_t)srcs.n;
        p->ntransforms = (uint32_t)trs.n;
        p->nsinks = (uint32_t)sinks.n;
        for (uint32_t i = 0; i < p->nnodes && rc == 0; i++) {
            p->nodes[i]->id = (int)i;
            rc = apply_options(p, p->nodes[i], err);
        }
    }
    cv_vec_free(&srcs);
    cv_vec_free(&trs);
    cv_vec_free(&sinks);
    return rc;
}
