/* console.c — the Console sink: logs every row the way SeaTunnel's Console
 * does ("subtaskIndex=0  rowIndex=1:  SeaTunnelRow#tableId=… kind=… : v1,
 * v2"), values rendered like Java's toString. Rows go through the logger
 * (stderr), as SeaTunnel logs them; stdout stays free for summaries. */
#include "plugin/plugin.h"

#include <stddef.h>
#include <string.h>

typedef struct {
    bool print;
    int64_t delay_ms;
    int64_t replica;
} console_cfg;

#define O(f) offsetof(console_cfg, f)
static const cv_option options[] = {
    {"log.print.data", CV_OPT_BOOL, "true", "print each row (false: count only)", O(print)},
    {"log.print.delay.ms", CV_OPT_INT, "0", "sleep this many ms after each row", O(delay_ms), 0, NULL, NULL, 0,
     INT32_MAX},
    {"multi_table_sink_replica", CV_OPT_INT, "1", "writers per table (accepted; one writer serves all tables)",
     O(replica), 0, NULL, NULL, 1, 1024},
    {NULL},
};

typedef struct {
    const cv_table *table;
    uint64_t rows;
} table_count;

typedef struct {
    table_count *counts;
    uint32_t n;
    cv_buf line;
} console_writer;

static void log_row_type(const cv_table *t)
{
    cv_buf b;
    cv_buf_init(&b);
    for (uint32_t i = 0; i < t->ncols; i++) {
        if (i) cv_buf_puts(&b, ", ");
        cv_buf_printf(&b, "%s<", t->cols[i].name);
        cv_type_format(t->cols[i].type, &b);
        cv_buf_putc(&b, '>');
    }
    cv_info("output rowType of %s: %s", t->full_name, b.data ? b.data : "");
    cv_buf_free(&b);
}

static int writer_open(cv_writer *w, cv_err *err)
{
    console_writer *cw = cv_calloc(1, sizeof *cw);
    if (cw) cw->counts = cv_calloc(w->sink->ntables ? w->sink->ntables : 1, sizeof *cw->counts);
    if (!cw || !cw->counts) {
        if (cw) cv_free(cw);
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    }
    cw->n = w->sink->ntables;
    for (uint32_t i = 0; i < cw->n; i++) {
        cw->counts[i].table = w->sink->tables[i];
        if (w->index == 0) log_row_type(w->sink->tables[i]);
    }
    cv_buf_init(&cw->line);
    w->priv = cw;
    return 0;
}

static int writer_write(cv_writer *w, cv_batch *b, cv_err *err)
{
    console_writer *cw = w->priv;
    const console_cfg *cfg = w->sink->settings;
    table_count *tc = NULL;
    for (uint32_t i = 0; i < cw->n; i++)
        if (cw->counts[i].table == b->table) tc = &cw->counts[i];
    if (!tc) return cv_err_set(err, CV_EINTERNAL, "a batch of unknown table %s reached Console", b->table->full_name);
    for (uint32_t r = 0; r < b->nrows; r++) {
        tc->rows++;
        if (cfg->print) {
            cv_buf_reset(&cw->line);
            cv_buf_printf(
                &cw->line, "subtaskIndex=%d  rowIndex=%llu:  SeaTunnelRow#tableId=%s SeaTunnelRow#kind=%s : ", w->index,
                (unsigned long long)tc->rows, b->table->full_name, cv_row_kind_name((cv_row_kind)b->kinds[r]));
            for (uint32_t c = 0; c < b->ncols; c++) {
                if (c) cv_buf_puts(&cw->line, ", ");
                cv_value_format(&b->cols[c], r, CV_FMT_JAVA, &cw->line);
            }
            if (cw->line.oom) return cv_err_set(err, CV_ENOMEM, "out of memory formatting a row");
            cv_log_data(CV_LOG_INFO, "%s", cw->line.data); /* rows print as they are */
        }
        if (cfg->delay_ms > 0) {
            for (int64_t s = 0; s < cfg->delay_ms && !cv_ctx_cancelled(w->sink->ctx); s += 100)
                cv_sleep_ms(CV_MIN(100, cfg->delay_ms - s));
            if (cv_ctx_cancelled(w->sink->ctx)) return CV_ECANCELLED;
        }
    }
    return 0;
}

static void writer_close(cv_writer *w)
{
    console_writer *cw = w->priv;
    if (!cw) return;
    cv_buf_free(&cw->line);
    cv_free(cw->counts);
    cv_free(cw);
    w->priv = NULL;
}

static const cv_plugin console_sink = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_SINK,
    .name = "Console",
    .summary = "print every row to the log, as SeaTunnel's Console does",
    .options = options,
    .settings_size = sizeof(console_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_PARALLEL | CV_CAP_MULTI_TABLE | CV_CAP_CDC,
    .example = "    log.print.data = true\n",
    .writer_open = writer_open,
    .writer_write = writer_write,
    .writer_close = writer_close,
};

const cv_plugin *const cv_plugins_connectors_console[] = {&console_sink, NULL};
