/* sink.c — the LocalFile sink: csv, text or JSON-lines files, optionally
 * compressed and partitioned, rolled every batch_size rows. With
 * transactions on (the default) each writer writes into a transaction
 * directory under tmp_path; prepare_commit closes and syncs the files and
 * hands over "tmp → final" pairs with their row counts; commit (commit.c)
 * publishes them crash-safely. The rows the sink acknowledges are the rows
 * of files that were published (or, without transactions, closed in
 * place) — never rows merely handed to a writer. */
#include "localfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct lf_sink_cfg {
    const char *path, *tmp_path;
    bool custom_filename;
    const char *name_expr, *name_time_format;
    int format;
    const char *field_delim, *row_delim;
    bool have_partition;
    cv_strlist partition_by;
    const char *partition_expr;
    bool partition_in_file;
    cv_strlist sink_columns;
    bool transaction;
    int64_t batch_size;
    int codec;
    bool header;
    const char *encoding;
    const char *date_format, *datetime_format, *time_format;
    int schema_mode, data_mode;
    const char *custom_sql;
    int64_t max_rows_in_memory;
    const char *sheet_name, *xml_root_tag, *xml_row_tag;
    bool xml_use_attr, parquet_int96;
    cv_strlist parquet_fixed_int96;
} lf_sink_cfg;

#define SCHEMA_MODES \
    CV_ENUMS("RECREATE_SCHEMA", "CREATE_SCHEMA_WHEN_NOT_EXIST", "ERROR_WHEN_SCHEMA_NOT_EXIST", "IGNORE")
#define DATA_MODES CV_ENUMS("DROP_DATA", "APPEND_DATA", "CUSTOM_PROCESSING", "ERROR_WHEN_DATA_EXISTS")
enum { SM_RECREATE, SM_CREATE, SM_ERROR, SM_IGNORE };
enum { DM_DROP, DM_APPEND, DM_CUSTOM, DM_ERROR };

#define O(f) offsetof(lf_sink_cfg, f)
static const cv_option options[] = {
    {"path", CV_OPT_STRING, NULL, "target directory (may use ${table_name} and the other table placeholders)", O(path),
     CV_OPT_REQUIRED},
    {"tmp_path", CV_OPT_STRING, "/tmp/seatunnel", "where transactions stage their files", O(tmp_path)},
    {"custom_filename", CV_OPT_BOOL, "false", "use file_name_expression for file names", O(custom_filename)},
    {"file_name_expression", CV_OPT_STRING, "${transactionId}", "file name: ${transactionId}, ${now}, ${uuid}",
     O(name_expr)},
    {"filename_time_format", CV_OPT_STRING, "yyyy.MM.dd", "how ${now} is written", O(name_time_format)},
    {"file_format_type", CV_OPT_ENUM, "csv", "text, csv or json", O(format), 0, LF_FORMATS},
    {"field_delimiter", CV_OPT_STRING, NULL, "field separator (text: \\001, csv: ,)", O(field_delim)},
    {"row_delimiter", CV_OPT_STRING, "\\n", "row separator", O(row_delim)},
    {"have_partition", CV_OPT_BOOL, "false", "write rows into partition directories", O(have_partition)},
    {"partition_by", CV_OPT_STRLIST, NULL, "columns that choose the partition directory", O(partition_by)},
    {"partition_dir_expression", CV_OPT_STRING, "${k0}=${v0}", "partition directory: ${kN} names, ${vN} values",
     O(partition_expr)},
    {"is_partition_field_write_in_file", CV_OPT_BOOL, "false", "also write partition columns into the files",
     O(partition_in_file)},
    {"sink_columns", CV_OPT_STRLIST, NULL, "only these columns, in this order", O(sink_columns)},
    {"is_enable_transaction", CV_OPT_BOOL, "true", "stage files and publish them at commit", O(transaction)},
    {"batch_size", CV_OPT_INT, "1000000", "rows per file before a new file starts", O(batch_size), 0, NULL, NULL, 1,
     INT64_MAX},
    {"compress_codec", CV_OPT_ENUM, "none", "none, gzip, zstd or lz4", O(codec), 0, LF_CODECS},
    {"enable_header_write", CV_OPT_BOOL, "false", "text/csv: write the column names first", O(header)},
    {"encoding", CV_OPT_STRING, "UTF-8", "character set of the files (any iconv name)", O(encoding)},
    {"date_format", CV_OPT_STRING, "yyyy-MM-dd", "how dates are written (text/csv)", O(date_format)},
    {"datetime_format", CV_OPT_STRING, "yyyy-MM-dd HH:mm:ss", "how timestamps are written (text/csv)",
     O(datetime_format)},
    {"time_format", CV_OPT_STRING, "HH:mm:ss", "how times are written (text/csv)", O(time_format)},
    {"schema_save_mode", CV_OPT_ENUM, "CREATE_SCHEMA_WHEN_NOT_EXIST", "what to do about the target directory",
     O(schema_mode), 0, SCHEMA_MODES},
    {"data_save_mode", CV_OPT_ENUM, "APPEND_DATA", "what to do about files already there", O(data_mode), 0, DATA_MODES},
    {"custom_sql", CV_OPT_STRING, NULL, "not used by file sinks", O(custom_sql)},
    {"save_mode", CV_OPT_STRING, NULL, "removed in SeaTunnel 2.3", CV_NO_FIELD, CV_OPT_IGNORED | CV_OPT_DEPRECATED,
     NULL, NULL, 0, 0, "schema_save_mode and data_save_mode"},
    {"max_rows_in_memory", CV_OPT_INT, NULL, "excel only (not supported yet)", O(max_rows_in_memory)},
    {"sheet_name", CV_OPT_STRING, NULL, "excel only (not supported yet)", O(sheet_name)},
    {"xml_root_tag", CV_OPT_STRING, NULL, "xml only (not supported yet)", O(xml_root_tag)},
    {"xml_row_tag", CV_OPT_STRING, NULL, "xml only (not supported yet)", O(xml_row_tag)},
    {"xml_use_attr_format", CV_OPT_BOOL, "false", "xml only (not supported yet)", O(xml_use_attr)},
    {"parquet_avro_write_timestamp_as_int96", CV_OPT_BOOL, "false", "parquet only (not supported yet)",
     O(parquet_int96)},
    {"parquet_avro_write_fixed_as_int96", CV_OPT_STRLIST, NULL, "parquet only (not supported yet)",
     O(parquet_fixed_int96)},
    {NULL},
};

typedef struct {
    const cv_table *table;
    char *dir;      /* resolved target directory */
    uint32_t *cols; /* columns written, in order */
    uint32_t ncols;
    uint32_t *part; /* partition_by columns */
    uint32_t npart;
} lf_stable;

typedef struct {
    lf_stable *tables;
    uint32_t ntables;
    char uuid[11];
    cv_textfmt fmt;
    const char *fdelim, *rdelim;
    const char *suffix;
    lf_stage stage;      /* this run's staging directory (commit.c) */
    uint64_t *acked;     /* per table: rows in published files (atomic) */
    uint64_t nacked;     /* their sum (atomic) */
    cv_writer **writers; /* by index, set when each opens: who acknowledges */
    int nwriters;
} lf_sink;

/* Rows that reached their target: in a published file, or in a file closed
 * in place without transactions. They are the job's Write Count
 * (CV_CAP_ACKED_COUNTS), reported through the writer that wrote them.
 * Called from writer threads (prepare) and the coordinating thread
 * (commit), while every writer is still valid. */
static void lf_ack(void *user, int writer, uint32_t table, uint64_t rows)
{
    cv_sink *s = user;
    lf_sink *ls = s->priv;
    if (table < ls->ntables) __atomic_add_fetch(&ls->acked[table], rows, __ATOMIC_RELAXED);
    __atomic_add_fetch(&ls->nacked, rows, __ATOMIC_RELAXED);
    if (writer >= 0 && writer < ls->nwriters && ls->writers[writer] && table < ls->ntables)
        cv_writer_acked(ls->writers[writer], ls->tables[table].table, (int64_t)rows);
}

static int nomem(cv_err *err) { return cv_err_set(err, CV_ENOMEM, "out of memory"); }

static int resolve_cols(const cv_table *t, const cv_strlist *names, const char *what, uint32_t **out, uint32_t *n,
                        cv_arena *a, cv_err *err)
{
    *n = (uint32_t)names->n;
    *out = cv_arena_alloc(a, (*n ? *n : 1) * sizeof **out);
    if (!*out) return nomem(err);
    for (uint32_t i = 0; i < *n; i++) {
        int c = cv_table_find_col(t, names->v[i]);
        if (c < 0)
            return cv_err_set(err, CV_ECONFIG, "%s: table %s has no column \"%s\"", what, t->full_name, names->v[i]);
        (*out)[i] = (uint32_t)c;
    }
    return 0;
}

static void random_hex(char *out, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t x = (uint64_t)cv_wall_us() ^ ((uint64_t)(uintptr_t)out << 17) ^ (uint64_t)cv_mono_ns();
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        out[i] = hex[x & 15];
    }
    out[n] = '\0';
}

static bool has_files(const char *path);

/* What the save modes and the writers will meet on disk, looked at (never
 * changed) when the plan opens, so that `check` and `run` fail alike and
 * before any row moves: a path that is a file or lies under one, a target
 * that ERROR_WHEN_SCHEMA_NOT_EXIST / ERROR_WHEN_DATA_EXISTS refuses. These
 * are the job file's paths not fitting the disk (exit 2); a permission
 * problem is the environment's (exit 1). */
static int check_dir(const cv_sink *s, const char *key, const char *dir, cv_err *err)
{
    const lf_sink_cfg *c = s->settings;
    bool target = strcmp(key, "path") == 0;
    cv_pos p = cv_node_pos(cv_optvals_given(s->given, key));
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode) && !(target && c->schema_mode == SM_RECREATE))
            return cv_err_at(err, CV_ECONFIG, &p, "%s %s is not a directory", key, dir);
        if (target && c->data_mode == DM_ERROR && c->schema_mode != SM_RECREATE && has_files(dir))
            return cv_err_at(err, CV_ECONFIG, &p, "the target directory %s already has files (ERROR_WHEN_DATA_EXISTS)",
                             dir);
        return 0;
    }
    if (errno != ENOENT && errno != ENOTDIR) return cv_err_at(err, CV_EIO, &p, "%s %s: %s", key, dir, strerror(errno));
    if (target && c->schema_mode == SM_ERROR && errno == ENOENT)
        return cv_err_at(err, CV_ECONFIG, &p, "the target directory %s does not exist (ERROR_WHEN_SCHEMA_NOT_EXIST)",
                         dir);
    /* it will be created: the nearest existing ancestor must be a directory */
    char up[4096];
    snprintf(up, sizeof up, "%s", dir);
    for (char *slash; (slash = strrchr(up, '/')) != NULL;) {
        *slash = '\0';
        if (stat(slash == up ? "/" : up, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) return 0;
        return cv_err_at(err, CV_ECONFIG, &p, "%s %s cannot be created: %s is not a directory", key, dir, up);
    }
    return 0;
}

static int sink_open(cv_sink *s, cv_err *err)
{
    const lf_sink_cfg *c = s->settings;
    cv_arena *a = s->ctx->arena;
    CV_TRY(lf_check_format(s->given, c->format, c->codec, "LocalFile sink", err));
    if (c->data_mode == DM_CUSTOM) {
        cv_pos p = cv_node_pos(cv_optvals_given(s->given, "data_save_mode"));
        return cv_err_at(err, CV_ECONFIG, &p, "data_save_mode CUSTOM_PROCESSING runs SQL; files have none%s", "");
    }
    if (c->have_partition && c->partition_by.n == 0) {
        cv_pos p = cv_node_pos(s->config);
        return cv_err_at(err, CV_ECONFIG, &p, "have_partition needs partition_by = [columns]%s", "");
    }
    if (strchr(c->path, '\t') || strchr(c->path, '\n') || strchr(c->tmp_path, '\t') || strchr(c->tmp_path, '\n'))
        return cv_err_set(err, CV_ECONFIG, "path and tmp_path may not contain tabs or newlines");
    lf_sink *ls = cv_arena_zalloc(a, sizeof *ls);
    if (!ls) return nomem(err);
    s->priv = ls;
    random_hex(ls->uuid, 10);
    static const char *const suffix[] = {".txt", ".csv", ".json"};
    ls->suffix = suffix[c->format];
    CV_TRY(lf_delim(a, s->given, "field_delimiter", c->field_delim, &ls->fdelim, err));
    CV_TRY(lf_delim(a, s->given, "row_delimiter", c->row_delim, &ls->rdelim, err));
    if (!ls->fdelim) ls->fdelim = c->format == LF_CSV ? "," : "\001";
    CV_TRY(lf_textfmt(s->given, c->date_format, c->datetime_format, c->time_format, NULL, &ls->fmt, err));
    cv_datefmt name_fmt; /* checked now: start_txn would print ${now} as nothing */
    const char *why;
    if (cv_datefmt_compile(c->name_time_format, &name_fmt, &why) < 0) {
        cv_pos p = cv_node_pos(cv_optvals_given(s->given, "filename_time_format"));
        return cv_err_at(err, CV_ECONFIG, &p, "filename_time_format: bad pattern \"%s\": %s", c->name_time_format, why);
    }
    if (!cv_encoding_is_utf8(c->encoding)) {
        cv_transcoder *tc;
        int rc = cv_transcoder_open("UTF-8", c->encoding, &tc, err);
        if (rc < 0) return rc;
        cv_transcoder_close(tc);
    }
    if (c->transaction) CV_TRY(check_dir(s, "tmp_path", c->tmp_path, err));
    ls->stage.lock_fd = -1;
    ls->ntables = s->ntables;
    ls->tables = cv_arena_zalloc(a, (s->ntables ? s->ntables : 1) * sizeof *ls->tables);
    ls->acked = cv_arena_zalloc(a, (s->ntables ? s->ntables : 1) * sizeof *ls->acked);
    ls->nwriters = s->parallelism > 0 ? s->parallelism : 1;
    ls->writers = cv_arena_zalloc(a, (size_t)ls->nwriters * sizeof *ls->writers);
    if (!ls->tables || !ls->acked || !ls->writers) return nomem(err);
    for (uint32_t i = 0; i < s->ntables; i++) {
        lf_stable *st = &ls->tables[i];
        const cv_table *t = s->tables[i];
        st->table = t;
        const char *dir;
        if (cv_placeholder_expand(a, c->path, t, &dir) < 0) return nomem(err);
        const char *left = strstr(dir, "${");
        if (left) {
            cv_pos p = cv_node_pos(cv_optvals_given(s->given, "path"));
            return cv_err_at(err, CV_ECONFIG, &p, "path: table %s cannot fill %.*s", t->full_name,
                             (int)strcspn(left, "}") + 1, left);
        }
        st->dir = (char *)dir;
        CV_TRY(check_dir(s, "path", dir, err));
        if (c->have_partition) CV_TRY(resolve_cols(t, &c->partition_by, "partition_by", &st->part, &st->npart, a, err));
        if (c->sink_columns.n) {
            CV_TRY(resolve_cols(t, &c->sink_columns, "sink_columns", &st->cols, &st->ncols, a, err));
        } else {
            st->cols = cv_arena_alloc(a, (t->ncols ? t->ncols : 1) * sizeof *st->cols);
            if (!st->cols) return nomem(err);
            for (uint32_t k = 0; k < t->ncols; k++) {
                bool is_part = false;
                for (uint32_t q = 0; q < st->npart; q++) is_part |= st->part[q] == k;
                if (!is_part || c->partition_in_file) st->cols[st->ncols++] = k;
            }
        }
    }
    return 0;
}

/* ---- save modes --------------------------------------------------------------------- */

static bool has_files(const char *path)
{
    DIR *d = opendir(path);
    if (!d) return false;
    bool found = false;
    struct dirent *de;
    while (!found && (de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", path, de->d_name);
        struct stat st;
        if (stat(child, &st) != 0) continue;
        found = S_ISDIR(st.st_mode) ? has_files(child) : true;
    }
    closedir(d);
    return found;
}

static int sink_save_mode(cv_sink *s, cv_err *err)
{
    const lf_sink_cfg *c = s->settings;
    lf_sink *ls = s->priv;
    /* runs once, before any row moves (never for check): clear what a
     * killed run of this sink left, then claim this run's staging dir */
    const char *job = s->ctx->job_id && *s->ctx->job_id ? s->ctx->job_id : "0";
    CV_TRY(lf_stage_open(&ls->stage, s->label, c->tmp_path, job, ls->uuid, c->path, c->transaction, err));
    for (uint32_t i = 0; i < ls->ntables; i++) {
        const char *dir = ls->tables[i].dir;
        struct stat st;
        bool exists = stat(dir, &st) == 0;
        switch (c->schema_mode) {
        case SM_RECREATE:
            CV_TRY(lf_remove_tree(dir, false, NULL, NULL, err));
            CV_TRY(lf_mkdirs(dir, err));
            exists = true;
            break;
        case SM_CREATE:
            CV_TRY(lf_mkdirs(dir, err));
            exists = true;
            break;
        case SM_ERROR:
            if (!exists)
                return cv_err_set(err, CV_EIO, "the target directory %s does not exist (ERROR_WHEN_SCHEMA_NOT_EXIST)",
                                  dir);
            break;
        default: break;
        }
        if (!exists) continue;
        if (c->data_mode == DM_DROP) CV_TRY(lf_remove_tree(dir, true, NULL, NULL, err));
        if (c->data_mode == DM_ERROR && has_files(dir))
            return cv_err_set(err, CV_EIO, "the target directory %s already has files (ERROR_WHEN_DATA_EXISTS)", dir);
    }
    return 0;
}

/* ---- writers ------------------------------------------------------------------------- */

typedef struct {
    uint32_t table;
    char *partdir;     /* "" or "k=v/…/" */
    char *tmp, *final; /* tmp == final without transactions */
    cv_outstream *os;
    uint64_t rows;
} lf_file;

typedef struct {
    char *tmp, *final;
    uint64_t rows;
    uint32_t table;
} lf_done;

typedef struct {
    CV_VEC(lf_file) open;
    CV_VEC(lf_done) done; /* closed files of this transaction */
    uint32_t part_seq;    /* file number within the transaction */
    int64_t ckpt;
    char txn_id[160];
    char txn_dir[4096];
    char now[64];
    cv_buf row, field, enc;
    cv_transcoder *tc;
} lf_writer;

static void start_txn(cv_writer *w, lf_writer *lw)
{
    const lf_sink_cfg *c = w->sink->settings;
    lf_sink *ls = w->sink->priv;
    const char *job = w->sink->ctx->job_id && *w->sink->ctx->job_id ? w->sink->ctx->job_id : "0";
    snprintf(lw->txn_id, sizeof lw->txn_id, "T_%s_%s_%d_%lld", job, ls->uuid, w->index, (long long)lw->ckpt);
    snprintf(lw->txn_dir, sizeof lw->txn_dir, "%s/seatunnel/%s/%s/%s", c->tmp_path, job, ls->uuid, lw->txn_id);
    lw->part_seq = 0;
    cv_datefmt f;
    const char *why;
    cv_buf b;
    cv_buf_init(&b);
    if (cv_datefmt_compile(c->name_time_format, &f, &why) == 0) {
        /* local time, as SeaTunnel's ZonedDateTime.now() */
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        int64_t local_us = ((int64_t)now + tm.tm_gmtoff) * 1000000;
        cv_datefmt_format(&f, local_us, &b);
    }
    snprintf(lw->now, sizeof lw->now, "%s", b.data ? b.data : "");
    cv_buf_free(&b);
}

static int writer_open(cv_writer *w, cv_err *err)
{
    const lf_sink_cfg *c = w->sink->settings;
    lf_writer *lw = cv_calloc(1, sizeof *lw);
    if (!lw) return nomem(err);
    w->priv = lw;
    lf_sink *ls = w->sink->priv;
    if (w->index >= 0 && w->index < ls->nwriters) ls->writers[w->index] = w;
    cv_buf_init(&lw->row);
    cv_buf_init(&lw->field);
    cv_buf_init(&lw->enc);
    if (!cv_encoding_is_utf8(c->encoding)) CV_TRY(cv_transcoder_open("UTF-8", c->encoding, &lw->tc, err));
    lw->ckpt = 1;
    start_txn(w, lw);
    return 0;
}

/* ${transactionId}, ${now}, ${uuid} in the file name expression. */
static void file_name(cv_writer *w, lf_writer *lw, cv_buf *out)
{
    const lf_sink_cfg *c = w->sink->settings;
    lf_sink *ls = w->sink->priv;
    const char *expr = c->custom_filename ? c->name_expr : "${transactionId}";
    for (const char *p = expr; *p;) {
        if (p[0] == '$' && p[1] == '{') {
            const char *close = strchr(p, '}');
            if (close) {
                size_t n = (size_t)(close - p - 2);
                if (n == 13 && !memcmp(p + 2, "transactionId", 13))
                    cv_buf_puts(out, lw->txn_id);
                else if (n == 3 && !memcmp(p + 2, "now", 3))
                    cv_buf_puts(out, lw->now);
                else if (n == 4 && !memcmp(p + 2, "uuid", 4)) {
                    char u[37];
                    random_hex(u, 32);
                    cv_buf_printf(out, "%.8s-%.4s-%.4s-%.4s-%.12s", u, u + 8, u + 12, u + 16, u + 20);
                } else
                    cv_buf_put(out, p, (size_t)(close + 1 - p));
                p = close + 1;
                continue;
            }
        }
        cv_buf_putc(out, *p++);
    }
    /* writers must never pick the same name: without ${transactionId} or
     * ${uuid} in the expression, the writer's index keeps them apart */
    if (w->sink->parallelism > 1 && !strstr(expr, "${transactionId}") && !strstr(expr, "${uuid}"))
        cv_buf_printf(out, "_%d", w->index);
    cv_buf_printf(out, "_%u%s%s", lw->part_seq++, ls->suffix, cv_codec_ext((cv_codec)c->codec));
}

static int write_bytes(lf_writer *lw, lf_file *f, const char *p, size_t n, cv_err *err)
{
    if (!lw->tc) return cv_outstream_write(f->os, p, n, err);
    cv_buf_reset(&lw->enc);
    if (cv_transcode(lw->tc, p, n, true, &lw->enc, err) < 0) return err->code;
    return cv_outstream_write(f->os, lw->enc.data, lw->enc.len, err);
}

/* Quote a field holding a quote, a line break, or the first byte of either
 * delimiter (a custom row delimiter splits rows as \n does). */
static void csv_field(cv_buf *out, const char *s, size_t n, const char *delim, const char *rdelim, bool empty_string)
{
    bool quote = empty_string && n == 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == '"' || s[i] == '\n' || s[i] == '\r' || s[i] == delim[0] || s[i] == rdelim[0];
    if (!quote) {
        cv_buf_put(out, s, n);
        return;
    }
    cv_buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') cv_buf_putc(out, '"');
        cv_buf_putc(out, s[i]);
    }
    cv_buf_putc(out, '"');
}

static int open_file(cv_writer *w, lf_writer *lw, uint32_t ti, const char *partdir, lf_file **out, cv_err *err)
{
    const lf_sink_cfg *c = w->sink->settings;
    lf_sink *ls = w->sink->priv;
    const lf_stable *st = &ls->tables[ti];
    cv_buf name;
    cv_buf_init(&name);
    file_name(w, lw, &name);
    lf_file f = {ti, cv_strdup(partdir), NULL, NULL, NULL, 0};
    char *final = NULL, *tmp = NULL;
    if (name.data && f.partdir) {
        size_t fl = strlen(st->dir) + strlen(partdir) + name.len + 3;
        final = cv_malloc(fl);
        if (final) snprintf(final, fl, "%s/%s%s", st->dir, partdir, name.data);
        if (c->transaction) {
            size_t tl = strlen(lw->txn_dir) + strlen(partdir) + name.len + 16;
            tmp = cv_malloc(tl);
            if (tmp) snprintf(tmp, tl, "%s/%u/%s%s", lw->txn_dir, ti, partdir, name.data);
        } else {
            tmp = final ? cv_strdup(final) : NULL;
        }
    }
    cv_buf_free(&name);
    f.final = final;
    f.tmp = tmp;
    int rc = !f.partdir || !final || !tmp ? nomem(err) : 0;
    if (rc == 0) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", tmp);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = '\0';
        rc = lf_mkdirs(dir, err);
    }
    if (rc == 0) rc = cv_outstream_open(tmp, (cv_codec)c->codec, 0, &f.os, err);
    if (rc == 0 && c->header && c->format != LF_JSON) {
        cv_buf_reset(&lw->row);
        for (uint32_t k = 0; k < st->ncols; k++) {
            if (k) cv_buf_puts(&lw->row, ls->fdelim);
            const char *nm = st->table->cols[st->cols[k]].name;
            if (c->format == LF_CSV)
                csv_field(&lw->row, nm, strlen(nm), ls->fdelim, ls->rdelim ? ls->rdelim : "\n", false);
            else
                cv_buf_puts(&lw->row, nm);
        }
        cv_buf_puts(&lw->row, ls->rdelim ? ls->rdelim : "\n");
        rc = lw->row.oom ? nomem(err) : write_bytes(lw, &f, lw->row.data, lw->row.len, err);
    }
    if (rc == 0 && cv_vec_push(&lw->open, f) < 0) rc = nomem(err);
    if (rc < 0) {
        if (f.os) {
            cv_outstream_abort(f.os);
            unlink(tmp);
        }
        cv_free(f.partdir);
        cv_free(final);
        cv_free(tmp);
        return rc;
    }
    *out = &lw->open.v[lw->open.n - 1];
    return 0;
}

/* Close open file k and remember it for the commit. */
static int close_file(lf_writer *lw, size_t k, cv_err *err)
{
    lf_file f = lw->open.v[k];
    lw->open.v[k] = lw->open.v[--lw->open.n];
    int rc = cv_outstream_close(f.os, true, err);
    cv_free(f.partdir);
    if (rc == 0 && cv_vec_push(&lw->done, ((lf_done){f.tmp, f.final, f.rows, f.table})) < 0) rc = nomem(err);
    if (rc < 0) {
        unlink(f.tmp);
        cv_free(f.tmp);
        cv_free(f.final);
    }
    return rc;
}

static int partition_dir(const lf_sink_cfg *c, const lf_stable *st, const cv_batch *b, uint32_t r, cv_buf *out,
                         cv_buf *tmp, const cv_textfmt *fmt, cv_err *err)
{
    if (!c->have_partition) return 0;
    for (const char *p = c->partition_expr; *p;) {
        if (p[0] == '$' && p[1] == '{' && (p[2] == 'k' || p[2] == 'v')) {
            char *end;
            long idx = strtol(p + 3, &end, 10);
            if (*end == '}' && end > p + 3 && idx >= 0 && (uint32_t)idx < st->npart) {
                uint32_t col = st->part[idx];
                if (p[2] == 'k') {
                    cv_buf_puts(out, st->table->cols[col].name);
                } else {
                    cv_buf_reset(tmp);
                    cv_col_to_text(fmt, &b->cols[col], r, 1, tmp);
                    /* a NUL would cut the path short: the row would land
                     * in another directory under another value */
                    if (tmp->len && memchr(tmp->data, '\0', tmp->len))
                        return cv_err_set(err, CV_EDATA,
                                          "table %s, partition_by column %s: a NUL byte cannot be part of a "
                                          "directory name",
                                          st->table->full_name, st->table->cols[col].name);
                    /* a value must not make a directory or climb out of
                     * path: slashes and a bare "." or ".." become "_" */
                    for (size_t i = 0; i < tmp->len; i++)
                        if (tmp->data[i] == '/') tmp->data[i] = '_';
                    if ((tmp->len == 1 && tmp->data[0] == '.') || (tmp->len == 2 && !memcmp(tmp->data, "..", 2)))
                        memset(tmp->data, '_', tmp->len);
                    cv_buf_put(out, tmp->data ? tmp->data : "", tmp->len);
                }
                p = end + 1;
                continue;
            }
        }
        cv_buf_putc(out, *p++);
    }
    if (out->len && out->data[out->len - 1] != '/') cv_buf_putc(out, '/');
    return 0;
}

/* SeaTunnel's text format has no quoting: a value holding the field or
 * row delimiter would read back as other fields or rows. Such a value is
 * refused with its column rather than written into a file it corrupts. */
static int text_unquotable(const lf_sink *ls, const lf_stable *st, const cv_batch *b, uint32_t k, const char *v,
                           size_t n, cv_err *err)
{
    const char *rd = ls->rdelim ? ls->rdelim : "\n";
    const char *hit = memmem(v, n, ls->fdelim, strlen(ls->fdelim)) ? "field"
                      : memmem(v, n, rd, strlen(rd))               ? "row"
                                                                   : NULL;
    if (!hit) return 0;
    return cv_err_set(err, CV_EDATA,
                      "table %s, column %s: the value holds the %s delimiter, which the text format cannot quote "
                      "(it would read back as other %ss); write csv or json, or choose a delimiter the data lacks",
                      b->table->full_name, b->table->cols[st->cols[k]].name, hit, hit);
}

static int format_row(const lf_sink_cfg *c, lf_sink *ls, const lf_stable *st, lf_writer *lw, const cv_batch *b,
                      uint32_t r, cv_err *err)
{
    if (c->format == LF_JSON) {
        cv_json_write_row(b, r, st->cols, st->ncols, &lw->row);
        cv_buf_putc(&lw->row, '\n');
        return 0;
    }
    for (uint32_t k = 0; k < st->ncols; k++) {
        if (k) cv_buf_puts(&lw->row, ls->fdelim);
        const cv_col *col = &b->cols[st->cols[k]];
        if (c->format == LF_CSV) {
            cv_buf_reset(&lw->field);
            cv_col_to_text(&ls->fmt, col, r, 1, &lw->field);
            bool str = col->type->id == CV_T_STRING && !cv_col_is_null(col, r);
            csv_field(&lw->row, lw->field.data ? lw->field.data : "", lw->field.len, ls->fdelim,
                      ls->rdelim ? ls->rdelim : "\n", str);
        } else {
            size_t at = lw->row.len;
            cv_col_to_text(&ls->fmt, col, r, 1, &lw->row);
            if (!lw->row.oom) CV_TRY(text_unquotable(ls, st, b, k, lw->row.data + at, lw->row.len - at, err));
        }
    }
    cv_buf_puts(&lw->row, ls->rdelim ? ls->rdelim : "\n");
    return 0;
}

static int writer_write(cv_writer *w, cv_batch *b, cv_err *err)
{
    const lf_sink_cfg *c = w->sink->settings;
    lf_sink *ls = w->sink->priv;
    lf_writer *lw = w->priv;
    uint32_t ti = 0;
    while (ti < ls->ntables && ls->tables[ti].table != b->table) ti++;
    if (ti == ls->ntables)
        return cv_err_set(err, CV_EINTERNAL, "LocalFile got rows of unknown table %s", b->table->full_name);
    const lf_stable *st = &ls->tables[ti];
    cv_buf pdir, tmp;
    cv_buf_init(&pdir);
    cv_buf_init(&tmp);
    int rc = 0;
    lf_file *f = NULL;
    for (uint32_t r = 0; r < b->nrows && rc == 0; r++) {
        cv_buf_reset(&pdir);
        if ((rc = partition_dir(c, st, b, r, &pdir, &tmp, &ls->fmt, err)) < 0) break;
        const char *pd = pdir.data ? pdir.data : "";
        if (!f || f->table != ti || strcmp(f->partdir, pd) != 0) {
            f = NULL;
            for (size_t k = 0; k < lw->open.n && !f; k++)
                if (lw->open.v[k].table == ti && strcmp(lw->open.v[k].partdir, pd) == 0) f = &lw->open.v[k];
            if (!f && (rc = open_file(w, lw, ti, pd, &f, err)) < 0) break;
        }
        cv_buf_reset(&lw->row);
        if ((rc = format_row(c, ls, st, lw, b, r, err)) < 0) break;
        if (lw->row.oom) rc = nomem(err);
        if (rc == 0) rc = write_bytes(lw, f, lw->row.data, lw->row.len, err);
        if (rc == 0 && ++f->rows >= (uint64_t)c->batch_size) { /* roll */
            rc = close_file(lw, (size_t)(f - lw->open.v), err);
            f = NULL;
        }
    }
    cv_buf_free(&pdir);
    cv_buf_free(&tmp);
    return rc;
}

static int writer_prepare(cv_writer *w, int64_t ckpt, cv_buf *info, cv_err *err)
{
    const lf_sink_cfg *c = w->sink->settings;
    lf_writer *lw = w->priv;
    (void)ckpt;
    while (lw->open.n) CV_TRY(close_file(lw, lw->open.n - 1, err));
    /* the commit info: one "tmp<TAB>final<TAB>rows<TAB>table" line per
     * file; tmp is empty for a file written in place, which is closed and
     * synced now, so its rows count now */
    for (size_t i = 0; i < lw->done.n; i++) {
        const lf_done *d = &lw->done.v[i];
        cv_buf_printf(info, "%s\t%s\t%llu\t%u\n", c->transaction ? d->tmp : "", d->final, (unsigned long long)d->rows,
                      d->table);
        if (!c->transaction) lf_ack(w->sink, w->index, d->table, d->rows);
        cv_free(d->tmp);
        cv_free(d->final);
    }
    lw->done.n = 0;
    lw->ckpt++;
    start_txn(w, lw);
    return 0;
}

static void writer_close(cv_writer *w)
{
    lf_writer *lw = w->priv;
    if (!lw) return;
    /* files still open here belong to a failed or cancelled job */
    for (size_t i = 0; i < lw->open.n; i++) {
        cv_outstream_abort(lw->open.v[i].os);
        unlink(lw->open.v[i].tmp);
        cv_free(lw->open.v[i].partdir);
        cv_free(lw->open.v[i].tmp);
        cv_free(lw->open.v[i].final);
    }
    for (size_t i = 0; i < lw->done.n; i++) {
        unlink(lw->done.v[i].tmp);
        cv_free(lw->done.v[i].tmp);
        cv_free(lw->done.v[i].final);
    }
    cv_vec_free(&lw->open);
    cv_vec_free(&lw->done);
    cv_buf_free(&lw->row);
    cv_buf_free(&lw->field);
    cv_buf_free(&lw->enc);
    cv_transcoder_close(lw->tc);
    cv_free(lw);
    w->priv = NULL;
}

/* ---- commit ---------------------------------------------------------------------------- */

static int sink_commit(cv_sink *s, const cv_commit_info *infos, size_t n, cv_err *err)
{
    lf_sink *ls = s->priv;
    return lf_commit(&ls->stage, s->label, infos, n, lf_ack, s, err);
}

static void sink_abort(cv_sink *s, const cv_commit_info *infos, size_t n)
{
    (void)s;
    lf_discard(infos, n);
}

static void sink_close(cv_sink *s)
{
    lf_sink *ls = s->priv;
    if (!ls) return;
    if (!s->ctx->check_only)
        cv_debug("%s: %llu rows acknowledged (in published files)", s->label,
                 (unsigned long long)__atomic_load_n(&ls->nacked, __ATOMIC_RELAXED));
    lf_stage_close(&ls->stage);
}

const cv_plugin cv__localfile_sink = {
    .abi = CV_PLUGIN_ABI,
    .kind = CV_PLUGIN_SINK,
    .name = "LocalFile",
    .summary = "write csv, text or JSON-lines files, published atomically when the job commits",
    .options = options,
    .settings_size = sizeof(lf_sink_cfg),
    .caps = CV_CAP_BATCH | CV_CAP_STREAMING | CV_CAP_PARALLEL | CV_CAP_MULTI_TABLE | CV_CAP_EXACTLY_ONCE |
            CV_CAP_ACKED_COUNTS,
    .example = "    path = \"/tmp/culvert-example-out\"\n    file_format_type = \"csv\"\n",
    .sink_open = sink_open,
    .sink_save_mode = sink_save_mode,
    .writer_open = writer_open,
    .writer_write = writer_write,
    .writer_prepare = writer_prepare,
    .writer_close = writer_close,
    .sink_commit = sink_commit,
    .sink_abort = sink_abort,
    .sink_close = sink_close,
};
