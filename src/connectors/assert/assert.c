/* assert.c — the Assert sink: SeaTunnel's test sink, which fails the job
 * when the rows it receives break the configured rules. Its lifecycle:
 *   sink_open    parse and validate `rules`, bind them to the tables
 *                (unknown columns, bad literals are config errors) and
 *                check catalog_table_rule — all at plan time, so
 *                `culvert check` catches them;
 *   writer_write count rows per table (atomics shared by all writers) and
 *                check field rules row by row;
 *   sink_finish  after every writer is done: row_rules and table-names
 *                against the totals of all writers.
 * Rules live in rules.c, catalog.c and check.c. */
#include "assert_int.h"

#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

typedef struct {
    const cv_node *rules;
    int64_t replica;
} assert_cfg;

#define O(f) offsetof(assert_cfg, f)
static const cv_option options[] = {
    {"rules", CV_OPT_OBJECT, NULL,
     "what to check: row_rules, field_rules, catalog_table_rule, table-names, tables_configs", O(rules),
     CV_OPT_REQUIRED},
    {"multi_table_sink_replica", CV_OPT_INT, "1", "writers per table (accepted; culvert's writers serve all tables)",
     O(replica), 0, NULL, NULL, 1, 1024},
    {NULL},
};

typedef struct {
    assert_scratch sc;
    uint32_t last; /* index of the last table written, a lookup shortcut */
} assert_writer;

static int sink_open(cv_sink *s, cv_err *err)
{
    const assert_cfg *cfg = s->settings;
    assert_state *st = cv_arena_zalloc(s->ctx->arena, sizeof *st);
    if (!st) return cv_err_set(err, CV_ENOMEM, "out of memory");
    int rc = assert_rules_parse(s->ctx->arena, cfg->rules, &st->rules, err);
    if (rc == 0) rc = assert_bind(s, st, err);
    if (rc < 0) {
        /* sink_close does not run when open fails */
        assert_state_release(st);
        return rc;
    }
    s->priv = st;
    return 0;
}

static int writer_open(cv_writer *w, cv_err *err)
{
    assert_writer *aw = cv_calloc(1, sizeof *aw);
    if (!aw) return cv_err_set(err, CV_ENOMEM, "out of memory");
    cv_buf_init(&aw->sc.text);
    w->priv = aw;
    return 0;
}

static int writer_write(cv_writer *w, cv_batch *b, cv_err *err)
{
    assert_state *st = w->sink->priv;
    assert_writer *aw = w->priv;
    if (aw->last >= st->ntables || st->tables[aw->last].table != b->table) {
        uint32_t i = 0;
        while (i < st->ntables && st->tables[i].table != b->table) i++;
        if (i == st->ntables)
            return cv_err_set(err, CV_EINTERNAL, "a batch of unknown table %s reached Assert", b->table->full_name);
        aw->last = i;
    }
    assert_table *at = &st->tables[aw->last];
    /* numbering rows before checking them gives every row of the table a
     * distinct number across writers; a failing batch still counts */
    uint64_t before = atomic_fetch_add_explicit(&at->rows, b->nrows, memory_order_relaxed);
    if (!at->nbound || !b->nrows) return 0;
    int rc = assert_check_batch(at, b, before + 1, &aw->sc, err);
    if (rc == 0 && aw->sc.text.oom) rc = cv_err_set(err, CV_ENOMEM, "out of memory measuring a value");
    return rc;
}

static void writer_close(cv_writer *w)
{
    assert_writer *aw = w->priv;
    if (!aw) return;
    cv_buf_free(&aw->sc.text);
    cv_free(aw);
    w->priv = NULL;
}

static uint64_t rows_of(const assert_state *st, const char *name)
{
    uint64_t n = 0;
    for (uint32_t i = 0; i < st->ntables; i++)
        if (strcmp(st->tables[i].table->full_name, name) == 0)
            n += atomic_load_explicit(&st->tables[i].rows, memory_order_relaxed);
    return n;
}

/* Row counts are per table NAME, as SeaTunnel keys them by tableId: two
 * streams carrying the same table (a merge, a diamond) count together. */
static int check_rows(const assert_state *st, const assert_table *at, cv_err *err)
{
    uint64_t n = rows_of(st, at->table->full_name);
    const assert_rule_set *set = at->rules;
    for (uint32_t k = 0; k < set->nrows; k++) {
        const assert_row_rule *r = &set->rows[k];
        bool max = r->type == AR_MAX_ROW;
        if (max ? (double)n <= r->limit : (double)n >= r->limit) continue;
        return cv_err_set(err, CV_EASSERT, "table %s: expected %s %s rows (%s), got %llu", at->table->full_name,
                          max ? "at most" : "at least", r->limit_text ? r->limit_text : "?", assert_row_types[r->type],
                          (unsigned long long)n);
    }
    return 0;
}

static bool listed(const cv_strlist *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], name) == 0) return true;
    return false;
}

/* table-names: the tables that received rows are exactly the listed ones. */
static int check_table_names(const assert_state *st, cv_err *err)
{
    const cv_strlist *want = &st->rules.table_names;
    cv_buf expected, seen, detail;
    cv_buf_init(&expected);
    cv_buf_init(&seen);
    cv_buf_init(&detail);
    for (size_t k = 0; k < want->n; k++) {
        cv_buf_printf(&expected, "%s%s", k ? ", " : "", want->v[k]);
        bool dup = false;
        for (size_t j = 0; j < k && !dup; j++) dup = strcmp(want->v[j], want->v[k]) == 0;
        if (!dup && !rows_of(st, want->v[k]))
            cv_buf_printf(&detail, "%s%s", detail.len ? ", " : "missing: ", want->v[k]);
    }
    bool extra = false;
    for (uint32_t i = 0; i < st->ntables; i++) {
        const char *name = st->tables[i].table->full_name;
        if (!atomic_load_explicit(&st->tables[i].rows, memory_order_relaxed)) continue;
        cv_buf_printf(&seen, "%s%s", seen.len ? ", " : "", name);
        if (listed(want, name)) continue;
        cv_buf_printf(&detail, "%s%s", extra ? ", " : detail.len ? "; unexpected: " : "unexpected: ", name);
        extra = true;
    }
    int rc = 0;
    if (detail.len)
        rc = cv_err_set(err, CV_EASSERT, "table-names: expected [%s], but rows arrived for [%s] (%s)",
                        expected.data ? expected.data : "", seen.data ? seen.data : "", detail.data);
    cv_buf_free(&expected);
    cv_buf_free(&seen);
    cv_buf_free(&detail);
    return rc;
}

static int sink_finish(cv_sink *s, cv_err *err)
{
    const assert_state *st = s->priv;
    uint64_t total = 0;
    for (uint32_t i = 0; i < st->ntables; i++) {
        const assert_table *at = &st->tables[i];
        total += atomic_load_explicit(&at->rows, memory_order_relaxed);
        if (at->rules) CV_TRY(check_rows(st, at, err));
    }
    if (st->rules.table_names.n) CV_TRY(check_table_names(st, err));
    cv_info("%s: all rules passed (%u table%s, %llu rows)", s->label, st->ntables, st->ntables == 1 ? "" : "s",
            (unsigned long long)total);
    return 0;
}

static void sink_close(cv_sink *s)
{
    assert_state_release(s->priv);
    s->priv = NULL;
}

static const cv_plugin assert_sink = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_SINK,
    .name = "Assert",
    .summary = "fail the job when rows, fields or the table schema break the given rules (for tests)",
    .options = options,
    .settings_size = sizeof(assert_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_PARALLEL | CV_CAP_MULTI_TABLE | CV_CAP_CDC,
    .example = "    rules {\n"
               "      row_rules = [{rule_type = MIN_ROW, rule_value = 1}]\n"
               "    }\n",
    .sink_open = sink_open,
    .writer_open = writer_open,
    .writer_write = writer_write,
    .writer_close = writer_close,
    .sink_finish = sink_finish,
    .sink_close = sink_close,
};

const cv_plugin *const cv_plugins_connectors_assert[] = {&assert_sink, NULL};
