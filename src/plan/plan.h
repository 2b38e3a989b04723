/*
 * plan — from a parsed job file to a validated graph of plugin instances.
 *
 * Contract:
 *  - cv_plan_build reads `env`, finds every plugin block (HOCON `Name { … }`
 *    entries or JSON arrays with plugin_name), validates each against the
 *    common options and the plugin's option table, wires the DAG from
 *    plugin_input/plugin_output (SeaTunnel's rules, see wire.c), checks it
 *    (dangling inputs, unused streams, cycles), opens the plugins in
 *    topological order to derive every stream's catalog tables, and checks
 *    the schemas of merged streams. Every error carries file:line:col.
 *  - The plan owns an arena holding everything it built (settings, tables,
 *    labels); cv_plan_close closes the opened plugins (in reverse order) and
 *    frees it. The parsed document must outlive the plan.
 *  - A plan is built and closed on one thread; the engine reads it from
 *    many threads while a job runs but never changes it.
 */
#ifndef CV_PLAN_H
#define CV_PLAN_H

#include "../plugin/plugin.h"

typedef struct cv_env {
    cv_job_mode mode;
    const char *job_name;
    int64_t parallelism;
    bool parallelism_set;        /* the job set it (else multi-table sources read tables at once) */
    int64_t checkpoint_interval; /* ms, 0 = none */
    int64_t checkpoint_timeout;
    int64_t min_pause;
    int64_t read_limit_rows; /* per reader, 0 = unlimited */
    int64_t read_limit_bytes;
    int64_t retry_times;
    int64_t retry_interval_s;
    int savemode_location;
    const char *shade_identifier;
    const cv_node *custom_parameters;
} cv_env;

typedef struct cv_pnode cv_pnode;

/* Options every plugin block may carry (handled by the framework). */
typedef struct cv_common_opts {
    const char *output;  /* plugin_output / result_table_name */
    cv_strlist inputs;   /* plugin_input / source_table_name */
    int64_t parallelism; /* 0 = inherit */
    const char *plugin_name;
} cv_common_opts;

struct cv_pnode {
    cv_plugin_kind kind;
    int id;  /* index in plan->nodes */
    int seq; /* 1-based within its section */
    const cv_plugin *plugin;
    const char *label;  /* "Assert (sink #2)" */
    const cv_node *cfg; /* the block */
    cv_pos pos;         /* where the block's name is */
    cv_common_opts common;
    void *settings;
    cv_optvals vals;
    cv_pnode **ups;
    uint32_t nups;
    cv_pnode **downs;
    uint32_t ndowns;
    bool opened;
    int parallelism; /* effective */
    /* tables flowing out of a source/transform, or into a sink */
    const cv_table **tables;
    uint32_t ntables;
    union {
        cv_source src;
        cv_transform tr;
        cv_sink sink;
    } u;
};

typedef struct cv_plan {
    cv_arena arena;
    const cv_doc *doc;
    cv_env env;
    cv_ctx ctx;
    int cancelled;    /* atomic; ctx.cancelled points here */
    bool simple;      /* SeaTunnel's "simple graph": names are optional */
    cv_pnode **nodes; /* sources, then transforms, then sinks, in file order */
    uint32_t nnodes;
    uint32_t nsources, ntransforms, nsinks;
    cv_pnode **order; /* topological order */
} cv_plan;

typedef struct cv_plan_opts {
    const char *job_name; /* -n; NULL keeps env.job.name */
    bool check_only;
    const cv_map *props;
} cv_plan_opts;

CV_API int cv_plan_build(cv_plan *p, const cv_doc *doc, const cv_plan_opts *o, cv_err *err);
CV_API void cv_plan_close(cv_plan *p);
/* ASCII picture of the DAG, one tree per source. */
CV_API void cv_plan_render_text(const cv_plan *p, cv_buf *out);
CV_API void cv_plan_render_json(const cv_plan *p, cv_buf *out);
/* The env option table (for docs and `connectors --json`). */
CV_API const cv_option *cv_plan_env_options(void);
CV_API const cv_option *cv_plan_common_options(cv_plugin_kind k);

#endif
