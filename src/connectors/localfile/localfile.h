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

extern const cv_plugin cv__localfile_source;
extern const cv_plugin cv__localfile_sink;

#endif
