/* replace.c — Replace: rewrite one string field in place. A literal
 * pattern replaces every occurrence (Java's String.replace); with
 * is_regex the pattern is a Java regex and the replacement may refer to
 * groups ($1, ${name}), replacing all matches or, with replace_first, the
 * first (replaceAll / replaceFirst). NULL stays NULL. The other columns
 * are copied in bulk; the rewritten one is built in a per-thread buffer. */
#include "plugin/plugin.h"

#include <stddef.h>
#include <string.h>

typedef struct {
    const char *field, *pattern, *replacement;
    bool is_regex, replace_first;
} rep_cfg;

static const cv_option options[] = {
    {"replace_field", CV_OPT_STRING, NULL, "the string field to rewrite", offsetof(rep_cfg, field), CV_OPT_REQUIRED},
    {"pattern", CV_OPT_STRING, NULL, "the text (or, with is_regex, the Java regex) to replace",
     offsetof(rep_cfg, pattern), CV_OPT_REQUIRED},
    {"replacement", CV_OPT_STRING, NULL, "what replaces it; with is_regex, $1 / ${name} insert groups",
     offsetof(rep_cfg, replacement), CV_OPT_REQUIRED},
    {"is_regex", CV_OPT_BOOL, "false", "pattern is a Java regular expression", offsetof(rep_cfg, is_regex)},
    {"replace_first", CV_OPT_BOOL, "false", "with is_regex: replace only the first match",
     offsetof(rep_cfg, replace_first)},
    {NULL},
};

typedef struct {
    int32_t *col; /* per input table: the rewritten column */
    cv_regex *re; /* is_regex */
} rep_priv;

typedef struct {
    cv_rematch *m;
    cv_buf buf;
    cv_col out; /* the rewritten values of one batch */
} rep_inst;

static int tr_open(cv_transform *t, cv_err *err)
{
    const rep_cfg *cfg = t->settings;
    cv_arena *a = t->ctx->arena;
    rep_priv *pv = cv_arena_zalloc(a, sizeof *pv);
    if (!pv || !(pv->col = cv_arena_alloc(a, t->nin * sizeof *pv->col)))
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    t->priv = pv;
    cv_pos fp = cv_node_pos(cv_optvals_given(t->given, "replace_field"));
    for (uint32_t ti = 0; ti < t->nin; ti++) {
        const cv_table *in = t->in[ti];
        int c = cv_table_col_at(in, cfg->field, &fp, "replace_field", err);
        if (c < 0) return c;
        if (in->cols[c].type->id != CV_T_STRING) {
            char tb[64];
            return cv_err_at(err, CV_ECONFIG, &fp, "replace_field: \"%s\" of %s is %s, not a string", cfg->field,
                             in->full_name, cv_type_str(in->cols[c].type, tb, sizeof tb));
        }
        pv->col[ti] = c;
    }
    if (cfg->replace_first && !cfg->is_regex) {
        cv_pos p = cv_node_pos(cv_optvals_given(t->given, "replace_first"));
        cv_warn("%s:%u:%u: replace_first only applies with is_regex = true; every occurrence is replaced",
                p.file ? p.file : "", p.line, p.col);
    }
    if (cfg->is_regex) {
        cv_pos pp = cv_node_pos(cv_optvals_given(t->given, "pattern"));
        cv_pos rp = cv_node_pos(cv_optvals_given(t->given, "replacement"));
        int rc = cv_regex_compile(cfg->pattern, &pv->re, err);
        if (rc < 0) {
            cv_err_locate(err, &pp);
            return rc;
        }
        rc = cv_regex_check_replacement(pv->re, cfg->replacement, err);
        if (rc < 0) {
            cv_err_locate(err, &rp);
            return rc;
        }
    }
    t->out = t->in; /* same columns, same types */
    t->nout = t->nin;
    return 0;
}

static void tr_inst_close(cv_transform *t, void *inst)
{
    (void)t;
    rep_inst *in = inst;
    if (!in) return;
    cv_rematch_free(in->m);
    cv_buf_free(&in->buf);
    if (in->out.owner) cv_col_destroy(&in->out);
    cv_free(in);
}

static int tr_inst_open(cv_transform *t, void **inst, cv_err *err)
{
    const rep_priv *pv = t->priv;
    rep_inst *in = cv_calloc(1, sizeof *in);
    *inst = NULL;
    if (!in) return cv_err_set(err, CV_ENOMEM, "out of memory");
    cv_buf_init(&in->buf);
    if ((pv->re && !(in->m = cv_rematch_new(pv->re))) || cv_col_init(&in->out, cv_type_prim(CV_T_STRING)) < 0) {
        tr_inst_close(t, in);
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    }
    *inst = in;
    return 0;
}

/* Java's String.replace: every occurrence of a literal; an empty target
 * goes before every character and at the end. */
static void replace_literal(const char *s, size_t n, const char *pat, size_t pn, const char *rep, cv_buf *out)
{
    size_t rn = strlen(rep);
    if (pn == 0) {
        for (size_t i = 0; i < n;) {
            cv_buf_put(out, rep, rn);
            size_t k = 1;
            while (i + k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80) k++;
            cv_buf_put(out, s + i, k);
            i += k;
        }
        cv_buf_put(out, rep, rn);
        return;
    }
    size_t i = 0;
    const char *hit;
    while (i + pn <= n && (hit = memmem(s + i, n - i, pat, pn))) {
        cv_buf_put(out, s + i, (size_t)(hit - (s + i)));
        cv_buf_put(out, rep, rn);
        i = (size_t)(hit - s) + pn;
    }
    cv_buf_put(out, s + i, n - i);
}

static int tr_process(cv_transform *t, void *inst, cv_batch *in, cv_emit *out, cv_err *err)
{
    const rep_cfg *cfg = t->settings;
    const rep_priv *pv = t->priv;
    rep_inst *st = inst;
    uint32_t ti = 0;
    while (ti < t->nin && t->in[ti] != in->table) ti++;
    if (ti == t->nin)
        return cv_err_set(err, CV_EINTERNAL, "Replace got a batch of unknown table %s", in->table->full_name);
    const cv_col *src = &in->cols[pv->col[ti]];
    size_t pn = strlen(cfg->pattern);
    cv_col_reset(&st->out);
    for (uint32_t r = 0; r < in->nrows; r++) {
        if (cv_col_is_null(src, r)) {
            cv_col_append_null(&st->out);
            continue;
        }
        uint32_t n;
        const char *s = cv_col_str(src, r, &n);
        cv_buf_reset(&st->buf);
        if (pv->re) {
            char why[200];
            int rc = cv_regex_replace(pv->re, st->m, s, n, cfg->replacement, strlen(cfg->replacement),
                                      cfg->replace_first, &st->buf, why, sizeof why);
            if (rc < 0) return cv_err_set(err, rc, "Replace: matching \"%s\" failed on row %u", cfg->pattern, r + 1);
        } else {
            replace_literal(s, n, cfg->pattern, pn, cfg->replacement, &st->buf);
        }
        if (st->buf.oom) return cv_err_set(err, CV_ENOMEM, "out of memory");
        cv_col_append_str(&st->out, st->buf.data ? st->buf.data : "", st->buf.len);
    }
    if (st->out.owner->err) return cv_err_set(err, CV_ENOMEM, "out of memory");
    cv_batch *b = cv_emit_batch(out, in->table);
    if (!b) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < in->ncols; i++)
        cv_col_append_range(&b->cols[i], (int32_t)i == pv->col[ti] ? &st->out : &in->cols[i], 0, in->nrows);
    for (uint32_t r = 0; r < in->nrows; r++) cv_batch_end_row(b, (cv_row_kind)in->kinds[r]);
    return 0;
}

static void tr_close(cv_transform *t)
{
    rep_priv *pv = t->priv;
    if (pv) cv_regex_free(pv->re);
}

static const cv_plugin replace = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_TRANSFORM,
    .name = "Replace",
    .summary = "replace text or regex matches in a string field",
    .options = options,
    .settings_size = sizeof(rep_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_MULTI_TABLE | CV_CAP_CDC,
    .example = "    replace_field = \"name\"\n    pattern = \"([a-z]+)\"\n    replacement = \"<$1>\"\n"
               "    is_regex = true\n",
    .tr_open = tr_open,
    .tr_inst_open = tr_inst_open,
    .tr_process = tr_process,
    .tr_inst_close = tr_inst_close,
    .tr_close = tr_close,
};

const cv_plugin *const cv_plugins_transforms_replace[] = {&replace, NULL};
