/* localfile.h — LocalFile internals shared by its source and sink: the
 * file formats it knows, format-independent options, and the helpers that
 * turn options into a cv_textfmt. */
#ifndef CV_LOCALFILE_H
#define CV_LOCALFILE_H

#include "formats/formats.h"
#include "plugin/plugin.h"

/* file_format_type values, in SeaTunnel's order; the last five are
 * recognised and refused with a clear message. */
enum { LF_TEXT, LF_CSV, LF_JSON, LF_PARQUET, LF_ORC, LF_EXCEL, LF_XML, LF_BINARY };
#define LF_FORMATS CV_ENUMS("text", "csv", "json", "parquet", "orc", "excel", "xml", "binary")
/* SeaTunnel's compress_codec values; culvert reads and writes the first
 * four for text, csv and json (the rest belong to orc and parquet). */
#define LF_CODECS CV_ENUMS("none", "gzip", "zstd", "lz4", "lzo", "snappy", "zlib", "brotli")
enum { LF_CODEC_LZO = 4 };

/* date_format, datetime_format, time_format, null_format → a textfmt;
 * errors point at the offending option. */
int lf_textfmt(const cv_optvals *given, const char *date, const char *datetime, const char *time,
               const char *null_format, cv_textfmt *out, cv_err *err);
/* Refuse formats and codecs culvert does not read or write yet. */
int lf_check_format(const cv_optvals *given, int format, int codec, const char *what, cv_err *err);
/* A delimiter option with escapes decoded; NULL when not given. */
int lf_delim(cv_arena *a, const cv_optvals *given, const char *key, const char *value, const char **out, cv_err *err);
/* mkdir -p */
int lf_mkdirs(const char *path, cv_err *err);

/* ---- staging and commit (commit.c) ---- */

/* A sink's staging directory in one run, <tmp_path>/seatunnel/<jobId>/<uuid>,
 * marked as culvert's and locked while the run lives. */
typedef struct lf_stage {
    char dir[4096];
    int lock_fd; /* -1 when the run holds none */
} lf_stage;

/* Clear what dead runs of the same sink (key: its path option) left under
 * tmp_path — rolling back a commit they were killed in — with a log line;
 * then, with transactions, claim this run's directory. */
int lf_stage_open(lf_stage *st, const char *label, const char *tmp_path, const char *job, const char *uuid,
                  const char *key, bool transaction, cv_err *err);
/* Release and remove this run's directory (kept when a rollback is unfinished). */
void lf_stage_close(lf_stage *st);

/* Commit infos hold "tmp\tfinal\trows\ttable\n" lines (tmp empty: written in
 * place). lf_commit publishes the staged ones all or nothing and calls ack
 * with the rows of every file it published; lf_discard drops them. */
typedef void (*lf_ack_fn)(void *user, int writer, uint32_t table, uint64_t rows);
int lf_commit(lf_stage *st, const char *label, const cv_commit_info *infos, size_t n, lf_ack_fn ack, void *user,
              cv_err *err);
void lf_discard(const cv_commit_info *infos, size_t n);
/* rm -r (keep_root: only the contents); counts what it removed when files is set. */
int lf_remove_tree(const char *path, bool keep_root, uint64_t *files, uint64_t *bytes, cv_err *err);

extern const cv_plugin cv__localfile_source;
extern const cv_plugin cv__localfile_sink;

#endif
