/* sql.c — the Sql transform: SeaTunnel's `query = "SELECT … FROM … WHERE …"`
 * compiled by src/sql against each input table at plan time and run over
 * whole batches. Errors in the query point at the character in the job
 * file (through the quoted string) as well as at "query line:col". */
#include "plugin/plugin.h"
#include "sql/sql.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    const char *query;
} sql_cfg;

static const cv_option options[] = {
    {"query", CV_OPT_STRING, NULL,
     "SELECT <expressions> FROM <input table> [WHERE <condition>]: SeaTunnel's SQL dialect and functions (docs/sql.md)",
     offsetof(sql_cfg, query), CV_OPT_REQUIRED},
    {NULL},
};

typedef struct {
    cv_sql_query **q; /* per input table */
} sql_priv;

/* The file position of line:col of the query text inside the option's
 * string, following the quoting ("…" with escapes, """…""" raw). */
static cv_pos query_pos(const cv_node *opt, uint32_t qline, uint32_t qcol)
{
    cv_pos p = cv_node_pos(opt);
    if (!p.text || p.line == 0) return p;
    const char *s = p.text;
    for (uint32_t l = 1; l < p.line && s; l++) {
        s = strchr(s, '\n');
        if (s) s++;
    }
    if (!s) return p;
    for (uint32_t c = 1; c < p.col && *s && *s != '\n'; c++) {
        s++;
        while (((unsigned char)*s & 0xC0) == 0x80) s++;
    }
    bool raw = strncmp(s, "\"\"\"", 3) == 0, quoted = !raw && *s == '"';
    cv_pos out = p;
    if (raw) {
        s += 3;
        out.col += 3;
    } else if (quoted) {
        s++;
        out.col++;
    }
    uint32_t ql = 1, qc = 1;
    while (*s && (ql < qline || (ql == qline && qc < qcol))) {
        if (quoted && *s == '"') break;
        if (quoted && *s == '\\' && s[1]) {
            /* one query character, two in the file */
            bool nl = s[1] == 'n';
            s += 2;
            out.col += 2;
            if (nl) {
                ql++;
                qc = 1;
            } else {
                qc++;
            }
            continue;
        }
        if (*s == '\n') {
            out.line++;
            out.col = 1;
            ql++;
            qc = 1;
            s++;
            continue;
        }
        s++;
        while (((unsigned char)*s & 0xC0) == 0x80) s++;
        out.col++;
        qc++;
    }
    return out;
}

/* Point a query error at its place in the file. */
static int locate(const cv_transform *t, int rc, cv_err *err)
{
    const cv_node *opt = cv_optvals_given(t->given, "query");
    if (!opt) return rc;
    unsigned ql = 0, qc = 0;
    const char *m = strstr(err->msg, "query ");
    if (m) {
        char *end;
        ql = (unsigned)strtoul(m + 6, &end, 10);
        qc = *end == ':' ? (unsigned)strtoul(end + 1, NULL, 10) : 0;
    }
    if (!ql || !qc) {
        cv_pos p = cv_node_pos(opt);
        cv_err_locate(err, &p);
        return rc;
    }
    cv_pos p = query_pos(opt, ql, qc);
    cv_err_locate(err, &p);
    return rc;
}

/* Does `from` name the input: its plugin_input (or source_table_name), or
 * the table itself? SeaTunnel only warns otherwise, and so do we. */
static bool names_input(const cv_transform *t, const cv_table *in, const char *from)
{
    if ((in->name && strcasecmp(from, in->name) == 0) || strcasecmp(from, in->full_name) == 0) return true;
    static const char *const keys[] = {"plugin_input", "source_table_name"};
    for (size_t k = 0; k < 2; k++) {
        const cv_node *n = t->config ? cv_node_get(t->config, keys[k]) : NULL;
        if (!n) continue;
        const char *s = cv_node_str(n);
        if (s && strcasecmp(s, from) == 0) return true;
        if (n->kind == CV_NODE_ARRAY)
            for (uint32_t i = 0; i < n->u.arr.n; i++) {
                const char *e = cv_node_str(n->u.arr.v[i]);
                if (e && strcasecmp(e, from) == 0) return true;
            }
    }
    return false;
}

static int tr_open(cv_transform *t, cv_err *err)
{
    const sql_cfg *cfg = t->settings;
    cv_arena *a = t->ctx->arena;
    sql_priv *pv = cv_arena_zalloc(a, sizeof *pv);
    t->out = cv_arena_zalloc(a, (t->nin ? t->nin : 1) * sizeof *t->out);
    if (!pv || !t->out || !(pv->q = cv_arena_zalloc(a, (t->nin ? t->nin : 1) * sizeof *pv->q)))
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    t->priv = pv;
    for (uint32_t i = 0; i < t->nin; i++) {
        int rc = cv_sql_compile(a, cfg->query, t->in[i], &pv->q[i], err);
        if (rc < 0) return locate(t, rc, err);
        const char *from = cv_sql_from(pv->q[i]);
        if (from && !names_input(t, t->in[i], from))
            cv_log(CV_LOG_WARN,
                   "%s: the query reads FROM %s, which is not the name of its input (%s); it reads the input", t->label,
                   from, t->in[i]->full_name);
        t->out[i] = cv_sql_output(pv->q[i]);
    }
    t->nout = t->nin;
    return 0;
}

static int tr_inst_open(cv_transform *t, void **inst, cv_err *err)
{
    sql_priv *pv = t->priv;
    cv_sql_exec **x = cv_calloc(t->nin ? t->nin : 1, sizeof *x);
    if (!x) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < t->nin; i++) {
        int rc = cv_sql_exec_new(pv->q[i], &x[i], err);
        if (rc < 0) {
            for (uint32_t k = 0; k < i; k++) cv_sql_exec_free(x[k]);
            cv_free(x);
            return rc;
        }
    }
    *inst = x;
    return 0;
}

static int tr_process(cv_transform *t, void *inst, cv_batch *in, cv_emit *out, cv_err *err)
{
    cv_sql_exec **x = inst;
    uint32_t ti = 0;
    while (ti < t->nin && t->in[ti] != in->table) ti++;
    if (ti == t->nin) return cv_err_set(err, CV_EINTERNAL, "Sql got a batch of unknown table %s", in->table->full_name);
    cv_batch *b = cv_emit_batch(out, t->out[ti]);
    if (!b) return cv_err_set(err, CV_ENOMEM, "out of memory");
    int rc = cv_sql_exec_run(x[ti], in, b, err);
    return rc < 0 ? locate(t, rc, err) : 0;
}

static void tr_inst_close(cv_transform *t, void *inst)
{
    cv_sql_exec **x = inst;
    if (!x) return;
    for (uint32_t i = 0; i < t->nin; i++) cv_sql_exec_free(x[i]);
    cv_free(x);
}

static void tr_close(cv_transform *t)
{
    sql_priv *pv = t->priv;
    if (!pv || !pv->q) return;
    for (uint32_t i = 0; i < t->nin; i++) cv_sql_free(pv->q[i]);
}

static const cv_plugin sql = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_TRANSFORM,
    .name = "Sql",
    .summary = "SELECT expressions FROM the input WHERE a condition: SeaTunnel's SQL functions, vectorised",
    .options = options,
    .settings_size = sizeof(sql_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_MULTI_TABLE | CV_CAP_CDC,
    .example = "    query = \"select id, upper(name) as name from fake where id > 0\"\n",
    .tr_open = tr_open,
    .tr_inst_open = tr_inst_open,
    .tr_process = tr_process,
    .tr_inst_close = tr_inst_close,
    .tr_close = tr_close,
};

const cv_plugin *const cv_plugins_transforms_sql[] = {&sql, NULL};
