/* wire.c — edges from plugin_input/plugin_output, following SeaTunnel:
 *  - A "simple graph" (one source, at most one transform, one sink) is a
 *    chain whatever its names say (SeaTunnel only warns).
 *  - Otherwise a named input must match an existing output (error with
 *    "did you mean"); a block without plugin_input reads the stream defined
 *    just before it (the previous transform, else the last source), which
 *    is SeaTunnel's default chaining; output names are unique; every stream
 *    must be consumed; cycles are errors naming their members.
 * Produces plan->order, a topological order used to open the plugins. */
#include "plan_int.h"

#include <string.h>

static int add_edge(cv_plan *p, cv_pnode *from, cv_pnode *to, cv_err *err)
{
    for (uint32_t i = 0; i < to->nups; i++)
        if (to->ups[i] == from) return 0;
    cv_pnode **u = cv_arena_alloc(&p->arena, (to->nups + 1) * sizeof *u);
    cv_pnode **d = cv_arena_alloc(&p->arena, (from->ndowns + 1) * sizeof *d);
    if (!u || !d) return cv_err_set(err, CV_ENOMEM, "out of memory");
    if (to->nups) memcpy(u, to->ups, to->nups * sizeof *u);
    if (from->ndowns) memcpy(d, from->downs, from->ndowns * sizeof *d);
    u[to->nups++] = from;
    d[from->ndowns++] = to;
    to->ups = u;
    from->downs = d;
    return 0;
}

static cv_pos opt_pos(const cv_pnode *n, const char *key, const char *alias)
{
    const cv_node *v = cv_optvals_given(&n->vals, key);
    (void)alias;
    return v ? cv_node_pos(v) : n->pos;
}

static int wire_simple(cv_plan *p, cv_err *err)
{
    cv_pnode *prev = p->nodes[0];
    for (uint32_t i = 1; i < p->nnodes; i++) {
        cv_pnode *n = p->nodes[i];
        if (n->common.inputs.n && prev->common.output && strcmp(n->common.inputs.v[0], prev->common.output) != 0)
            cv_warn("%s:%u:%u: %s reads \"%s\" but the stream before it is \"%s\"; a job with one source, "
                    "at most one transform and one sink is chained regardless (as SeaTunnel does)",
                    n->pos.file, n->pos.line, n->pos.col, n->label, n->common.inputs.v[0], prev->common.output);
        CV_TRY(add_edge(p, prev, n, err));
        prev = n;
    }
    return 0;
}

static int wire_complex(cv_plan *p, cv_err *err)
{
    cv_map outputs;
    cv_map_init(&outputs, false);
    int rc = 0;
    /* unique output names */
    for (uint32_t i = 0; i < p->nsources + p->ntransforms && rc == 0; i++) {
        cv_pnode *n = p->nodes[i];
        if (!n->common.output) continue;
        cv_pnode *prev = cv_map_get(&outputs, n->common.output);
        if (prev) {
            cv_pos at = opt_pos(n, "plugin_output", "result_table_name");
            rc = cv_err_at(err, CV_EPLAN, &at,
                           "%s and %s both produce a stream named \"%s\"; stream names must be unique", prev->label,
                           n->label, n->common.output);
        } else if (cv_map_put(&outputs, n->common.output, n) < 0) {
            rc = cv_err_set(err, CV_ENOMEM, "out of memory");
        }
    }
    CV_VEC(const char *) names = {0};
    for (uint32_t i = 0; i < p->nsources + p->ntransforms && rc == 0; i++)
        if (p->nodes[i]->common.output && cv_vec_push(&names, p->nodes[i]->common.output) < 0)
            rc = cv_err_set(err, CV_ENOMEM, "out of memory");
    /* inputs */
    for (uint32_t i = p->nsources; i < p->nnodes && rc == 0; i++) {
        cv_pnode *n = p->nodes[i];
        if (n->common.inputs.n == 0) {
            /* default chaining: the stream defined just before this block */
            cv_pnode *prev;
            if (n->kind == CV_PLUGIN_TRANSFORM)
                prev = p->nodes[i - 1];
            else
                prev = p->nodes[p->nsources + p->ntransforms - 1];
            rc = add_edge(p, prev, n, err);
            continue;
        }
        for (size_t k = 0; k < n->common.inputs.n && rc == 0; k++) {
            const char *in = n->common.inputs.v[k];
            cv_pnode *up = cv_map_get(&outputs, in);
            if (!up) {
                const char *dym = cv_did_you_mean(in, names.v, names.n);
                cv_pos at = opt_pos(n, "plugin_input", "source_table_name");
                rc = cv_err_at(err, CV_EPLAN, &at,
                               "%s reads the stream \"%s\", but no source or transform produces it%s%s%s", n->label, in,
                               dym ? " (did you mean \"" : "", dym ? dym : "", dym ? "\"?)" : "");
                break;
            }
            if (up == n) {
                cv_pos at = opt_pos(n, "plugin_input", "source_table_name");
                rc = cv_err_at(err, CV_EPLAN, &at, "%s reads its own output \"%s\"", n->label, in);
                break;
            }
            rc = add_edge(p, up, n, err);
        }
    }
    cv_vec_free(&names);
    cv_map_free(&outputs);
    return rc;
}

/* Kahn's algorithm; whatever is left over sits on a cycle. */
static int topo(cv_plan *p, cv_err *err)
{
    uint32_t *indeg = cv_calloc(p->nnodes, sizeof *indeg);
    p->order = cv_arena_zalloc(&p->arena, p->nnodes * sizeof *p->order);
    if (!indeg || !p->order) {
        cv_free(indeg);
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    }
    for (uint32_t i = 0; i < p->nnodes; i++) indeg[i] = p->nodes[i]->nups;
    uint32_t head = 0, tail = 0;
    for (uint32_t i = 0; i < p->nnodes; i++)
        if (indeg[i] == 0) p->order[tail++] = p->nodes[i];
    while (head < tail) {
        cv_pnode *n = p->order[head++];
        for (uint32_t k = 0; k < n->ndowns; k++)
            if (--indeg[n->downs[k]->id] == 0) p->order[tail++] = n->downs[k];
    }
    int rc = 0;
    if (tail < p->nnodes) {
        cv_buf members;
        cv_buf_init(&members);
        cv_pnode *first = NULL;
        for (uint32_t i = 0; i < p->nnodes; i++)
            if (indeg[i] && p->nodes[i]->kind == CV_PLUGIN_TRANSFORM) {
                if (!first) first = p->nodes[i];
                cv_buf_printf(&members, "%s%s", members.len ? " -> " : "", p->nodes[i]->label);
            }
        if (!first) first = p->nodes[p->nnodes - 1];
        rc =
            cv_err_at(err, CV_EPLAN, &first->pos, "the transforms form a cycle: %s", members.data ? members.data : "?");
        cv_buf_free(&members);
    }
    cv_free(indeg);
    return rc;
}

static int check_consumed(cv_plan *p, cv_err *err)
{
    for (uint32_t i = 0; i < p->nsources + p->ntransforms; i++) {
        cv_pnode *n = p->nodes[i];
        if (n->ndowns) continue;
        cv_pos at = n->common.output ? opt_pos(n, "plugin_output", "result_table_name") : n->pos;
        if (n->common.output)
            return cv_err_at(err, CV_EPLAN, &at,
                             "the stream \"%s\" of %s is not read by any transform or sink (add it to a plugin_input)",
                             n->common.output, n->label);
        return cv_err_at(err, CV_EPLAN, &at,
                         "the output of %s is not read by any transform or sink (give it a plugin_output and "
                         "name it in a plugin_input)",
                         n->label);
    }
    return 0;
}

int cv__plan_wire(cv_plan *p, cv_err *err)
{
    p->simple = p->nsources == 1 && p->ntransforms <= 1 && p->nsinks == 1;
    CV_TRY(p->simple ? wire_simple(p, err) : wire_complex(p, err));
    CV_TRY(topo(p, err));
    return check_consumed(p, err);
}
