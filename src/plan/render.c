/* render.c — the plan as text (`culvert plan`) and JSON (`--json`). The
 * text form draws one tree per source with plain ASCII so it survives any
 * terminal, log file or CI page; merges are marked where a node has more
 * than one upstream. */
#include "plan_int.h"

#include <string.h>

static const char *stream_name(const cv_pnode *n) { return n->common.output ? n->common.output : "-"; }

static void node_line(const cv_pnode *n, cv_buf *out)
{
    cv_buf_printf(out, "%s", n->label);
    if (n->kind != CV_PLUGIN_SINK) cv_buf_printf(out, " => %s", stream_name(n));
    if (n->kind != CV_PLUGIN_TRANSFORM) cv_buf_printf(out, "  x%d", n->parallelism);
    if (n->nups > 1) {
        cv_buf_puts(out, "  (merges ");
        for (uint32_t i = 0; i < n->nups; i++) cv_buf_printf(out, "%s%s", i ? " + " : "", n->ups[i]->label);
        cv_buf_putc(out, ')');
    }
    cv_buf_putc(out, '\n');
}

static void tree(const cv_pnode *n, cv_buf *prefix, cv_buf *out, int depth)
{
    for (uint32_t i = 0; i < n->ndowns; i++) {
        bool last = i + 1 == n->ndowns;
        cv_buf_put(out, prefix->data ? prefix->data : "", prefix->len);
        cv_buf_puts(out, last ? "`--> " : "+--> ");
        const cv_pnode *d = n->downs[i];
        node_line(d, out);
        if (depth > 64) continue;
        size_t keep = prefix->len;
        cv_buf_puts(prefix, last ? "     " : "|    ");
        /* a merged node is drawn in full only under its first upstream */
        if (d->ups[0] == n) tree(d, prefix, out, depth + 1);
        prefix->len = keep;
        if (prefix->data) prefix->data[keep] = '\0';
    }
}

static void tables_line(const cv_pnode *n, cv_buf *out)
{
    for (uint32_t t = 0; t < n->ntables; t++) {
        const cv_table *tb = n->tables[t];
        cv_buf_printf(out, "      table %s (", tb->full_name);
        for (uint32_t c = 0; c < tb->ncols; c++) {
            if (c) cv_buf_puts(out, ", ");
            cv_buf_printf(out, "%s ", tb->cols[c].name);
            cv_type_format(tb->cols[c].type, out);
        }
        cv_buf_puts(out, ")\n");
    }
}

void cv_plan_render_text(const cv_plan *p, cv_buf *out)
{
    cv_buf_printf(out, "job \"%s\"  mode %s  parallelism %lld%s\n\n", p->env.job_name,
                  p->env.mode == CV_MODE_BATCH ? "BATCH" : "STREAMING", (long long)p->env.parallelism,
                  p->simple ? "  (simple graph: names optional)" : "");
    cv_buf prefix;
    cv_buf_init(&prefix);
    for (uint32_t i = 0; i < p->nsources; i++) {
        const cv_pnode *s = p->nodes[i];
        node_line(s, out);
        tree(s, &prefix, out, 0);
        cv_buf_putc(out, '\n');
    }
    cv_buf_free(&prefix);
    cv_buf_puts(out, "streams:\n");
    for (uint32_t i = 0; i < p->nnodes; i++) {
        const cv_pnode *n = p->nodes[i];
        if (n->kind == CV_PLUGIN_SINK) continue;
        cv_buf_printf(out, "  %s => %s\n", n->label, stream_name(n));
        tables_line(n, out);
    }
}

static void json_str(cv_buf *out, const char *s) { cv_buf_json_str(out, s ? s : "", s ? strlen(s) : 0); }

void cv_plan_render_json(const cv_plan *p, cv_buf *out)
{
    cv_buf_puts(out, "{\"job_name\":");
    json_str(out, p->env.job_name);
    cv_buf_printf(out, ",\"mode\":\"%s\",\"parallelism\":%lld,\"simple_graph\":%s,\"nodes\":[",
                  p->env.mode == CV_MODE_BATCH ? "BATCH" : "STREAMING", (long long)p->env.parallelism,
                  p->simple ? "true" : "false");
    for (uint32_t i = 0; i < p->nnodes; i++) {
        const cv_pnode *n = p->nodes[i];
        if (i) cv_buf_putc(out, ',');
        cv_buf_printf(out, "{\"id\":%d,\"kind\":\"%s\",\"plugin\":", n->id, cv_plugin_kind_name(n->kind));
        json_str(out, n->plugin->name);
        cv_buf_puts(out, ",\"label\":");
        json_str(out, n->label);
        cv_buf_printf(out, ",\"line\":%u,\"col\":%u,\"parallelism\":%d,\"output\":", n->pos.line, n->pos.col,
                      n->parallelism);
        if (n->common.output)
            json_str(out, n->common.output);
        else
            cv_buf_puts(out, "null");
        cv_buf_puts(out, ",\"inputs\":[");
        for (uint32_t k = 0; k < n->nups; k++) cv_buf_printf(out, "%s%d", k ? "," : "", n->ups[k]->id);
        cv_buf_puts(out, "],\"tables\":[");
        for (uint32_t t = 0; t < n->ntables; t++) {
            const cv_table *tb = n->tables[t];
            if (t) cv_buf_putc(out, ',');
            cv_buf_puts(out, "{\"name\":");
            json_str(out, tb->full_name);
            cv_buf_puts(out, ",\"columns\":[");
            for (uint32_t c = 0; c < tb->ncols; c++) {
                if (c) cv_buf_putc(out, ',');
                cv_buf_puts(out, "{\"name\":");
                json_str(out, tb->cols[c].name);
                cv_buf_puts(out, ",\"type\":\"");
                cv_type_format(tb->cols[c].type, out);
                cv_buf_printf(out, "\",\"nullable\":%s}", tb->cols[c].nullable ? "true" : "false");
            }
            cv_buf_puts(out, "]}");
        }
        cv_buf_puts(out, "]}");
    }
    cv_buf_puts(out, "],\"edges\":[");
    bool first = true;
    for (uint32_t i = 0; i < p->nnodes; i++)
        for (uint32_t k = 0; k < p->nodes[i]->ndowns; k++) {
            cv_buf_printf(out, "%s[%d,%d]", first ? "" : ",", p->nodes[i]->id, p->nodes[i]->downs[k]->id);
            first = false;
        }
    cv_buf_puts(out, "]}");
}
