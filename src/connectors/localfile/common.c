/* common.c — what LocalFile's source and sink share: option checks for
 * formats and codecs, date patterns, delimiters, directory creation. */
#include "localfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int at_option(const cv_optvals *given, const char *key, cv_err *err, int code, const char *fmt, ...)
    CV_PRINTF(5, 6);
static int at_option(const cv_optvals *given, const char *key, cv_err *err, int code, const char *fmt, ...)
{
    if (err->code) return code;
    va_list ap;
    va_start(ap, fmt);
    cv_err_vset(err, code, fmt, ap);
    va_end(ap);
    const cv_node *n = cv_optvals_given(given, key);
    cv_pos p = cv_node_pos(n);
    if (n) cv_err_locate(err, &p);
    return code;
}

int lf_textfmt(const cv_optvals *given, const char *date, const char *datetime, const char *time,
               const char *null_format, cv_textfmt *out, cv_err *err)
{
    cv_textfmt_init(out);
    const char *why;
    struct {
        const char *key, *pattern;
        cv_datefmt *fmt;
        bool *custom;
        const char *iso;
    } pats[] = {{"date_format", date, &out->date, &out->custom_date, "yyyy-MM-dd"},
                {"datetime_format", datetime, &out->datetime, &out->custom_datetime, "yyyy-MM-dd HH:mm:ss"},
                {"time_format", time, &out->time, &out->custom_time, "HH:mm:ss"}};
    for (size_t i = 0; i < CV_ARRAY_LEN(pats); i++) {
        if (!pats[i].pattern) continue;
        if (cv_datefmt_compile(pats[i].pattern, pats[i].fmt, &why) < 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "%s: bad pattern \"%s\": %s", pats[i].key, pats[i].pattern, why);
            return at_option(given, pats[i].key, err, CV_ECONFIG, "%s", msg);
        }
        /* the ISO default is parsed faster without the pattern machinery */
        *pats[i].custom = strcmp(pats[i].pattern, pats[i].iso) != 0;
    }
    if (null_format) {
        out->null_format = null_format;
        out->null_len = strlen(null_format);
    }
    return 0;
}

int lf_check_format(const cv_optvals *given, int format, int codec, const char *what, cv_err *err)
{
    static const char *const names[] = {"text", "csv", "json", "parquet", "orc", "excel", "xml", "binary"};
    if (format > LF_JSON) {
        char msg[200];
        snprintf(msg, sizeof msg, "file_format_type %s is not supported yet by culvert's %s (text, csv and json are)",
                 names[format], what);
        return at_option(given, "file_format_type", err, CV_EUNSUPPORTED, "%s", msg);
    }
    static const char *const codecs[] = {"none", "gzip", "zstd", "lz4", "lzo", "snappy", "zlib", "brotli"};
    if (codec >= LF_CODEC_LZO)
        return at_option(given, "compress_codec", err, CV_EUNSUPPORTED,
                         "compress_codec %s is not supported yet for %s files (gzip, zstd and lz4 are)", codecs[codec],
                         names[format]);
    return 0;
}

int lf_delim(cv_arena *a, const cv_optvals *given, const char *key, const char *value, const char **out, cv_err *err)
{
    *out = NULL;
    if (!value) return 0;
    char buf[16];
    size_t n;
    if (cv_delim_decode(value, buf, sizeof buf, &n) < 0)
        return at_option(given, key, err, CV_ECONFIG, "%s must be 1 to 15 characters (escapes like \\001 work)", key);
    /* delimiters travel as C strings; a NUL would silently cut them short */
    if (memchr(buf, '\0', n)) return at_option(given, key, err, CV_ECONFIG, "%s cannot hold a NUL byte (\\000)", key);
    *out = cv_arena_strndup(a, buf, n);
    return *out ? 0 : cv_err_set(err, CV_ENOMEM, "out of memory");
}

int lf_mkdirs(const char *path, cv_err *err)
{
    char tmp[4096];
    size_t n = strlen(path);
    if (n >= sizeof tmp) return cv_err_set(err, CV_EINVAL, "path too long: %s", path);
    memcpy(tmp, path, n + 1);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return cv_err_set(err, CV_EIO, "cannot create directory %s: %s", tmp, strerror(errno));
        *p = '/';
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
        return cv_err_set(err, CV_EIO, "cannot create directory %s: %s", tmp, strerror(errno));
    return 0;
}
