/*
 * formats — the file encodings shared by every file connector (LocalFile
 * now; S3, HDFS, FTP later): byte streams with compression, record readers
 * for CSV, SeaTunnel's "text" and JSON lines, converters between text and
 * column values, and Java-style date patterns.
 *
 * Contract:
 *  - Streams and readers are single-threaded objects owned by their caller;
 *    open returns 0 or a negative code with err filled, close frees.
 *  - A record reader hands out fields as slices into its own buffer; they
 *    stay valid until the next call. Memory is bounded: one read chunk plus
 *    the longest record (records over CV_REC_MAX_BYTES are an error).
 *  - Converters never allocate per value except inside columns; a value
 *    that does not fit its type is reported with a short reason (`why`),
 *    and the caller adds file, line and column.
 *  - Java regular expressions (regex.c): a compiled cv_regex is read-only
 *    and shared by threads; each thread matches with its own cv_rematch.
 */
#ifndef CV_FORMATS_H
#define CV_FORMATS_H

#include "../data/data.h"

#include <sys/types.h>

typedef struct cv_transcoder cv_transcoder;

/* ---- compression ---------------------------------------------------------- */

typedef enum { CV_CODEC_NONE, CV_CODEC_GZIP, CV_CODEC_ZSTD, CV_CODEC_LZ4 } cv_codec;

/* "none", "gzip" (or "gz"), "zstd", "lz4", case-insensitive. */
CV_API int cv_codec_parse(const char *name, cv_codec *out);
CV_API const char *cv_codec_name(cv_codec c);
CV_API const char *cv_codec_ext(cv_codec c); /* "", ".gz", ".zst", ".lz4" */
/* What the first bytes of a file say it is (CV_CODEC_NONE if nothing). */
CV_API cv_codec cv_codec_sniff(const void *p, size_t n);

/* ---- byte streams ------------------------------------------------------------ */

typedef struct cv_instream cv_instream;
CV_API int cv_instream_open(const char *path, cv_codec codec, cv_instream **out, cv_err *err);
/* Up to cap decompressed bytes; 0 at the end; negative on error. */
CV_API ssize_t cv_instream_read(cv_instream *s, void *buf, size_t cap, cv_err *err);
CV_API uint64_t cv_instream_raw_bytes(const cv_instream *s); /* file bytes consumed */
CV_API void cv_instream_close(cv_instream *s);

typedef struct cv_outstream cv_outstream;
/* Creates (truncates) path. level 0 = the codec's default. */
CV_API int cv_outstream_open(const char *path, cv_codec codec, int level, cv_outstream **out, cv_err *err);
CV_API int cv_outstream_write(cv_outstream *s, const void *p, size_t n, cv_err *err);
/* Finish the codec frame, flush, fsync when asked, close. Frees s. */
CV_API int cv_outstream_close(cv_outstream *s, bool sync, cv_err *err);
/* Close without finishing (the file is being thrown away). Frees s. */
CV_API void cv_outstream_abort(cv_outstream *s);
CV_API uint64_t cv_outstream_bytes(const cv_outstream *s); /* file bytes written */

/* ---- Java-style date patterns ------------------------------------------------- */

#define CV_DATEFMT_MAX_OPS 32

typedef struct cv_datefmt {
    uint8_t op[CV_DATEFMT_MAX_OPS]; /* field codes or LITERAL */
    uint8_t width[CV_DATEFMT_MAX_OPS];
    char lit[CV_DATEFMT_MAX_OPS];
    uint8_t n;
    bool has_date, has_time;
    char pattern[64];
} cv_datefmt;

/* Letters: y (yyyy, yy), M, d, H, h, m, s, S… (fraction), a; 'quoted'
 * text and other characters are literal. */
CV_API int cv_datefmt_compile(const char *pattern, cv_datefmt *out, const char **why);
/* Parse text into microseconds since the epoch (fields the pattern lacks
 * are 1970-01-01 / 00:00:00). */
CV_API bool cv_datefmt_parse(const cv_datefmt *f, const char *s, size_t n, int64_t *micros);
CV_API void cv_datefmt_format(const cv_datefmt *f, int64_t micros, cv_buf *out);

/* ---- text <-> values ------------------------------------------------------------ */

/* How a text-based format spells values (csv and SeaTunnel's text). */
typedef struct cv_textfmt {
    cv_datefmt date, datetime, time;
    bool custom_date, custom_datetime, custom_time; /* else ISO forms */
    const char *null_format;                        /* NULL: no null marker */
    size_t null_len;
    bool quoted_empty_is_string; /* csv: "" vs empty */
} cv_textfmt;

CV_API void cv_textfmt_init(cv_textfmt *f);
/* Append one value parsed from text. level is the separator level of the
 * value (1 for a top-level field: nested elements use \002, \003 …, as
 * SeaTunnel's text format does). Returns 0 or CV_EDATA with *why set. */
CV_API int cv_text_to_col(const cv_textfmt *f, cv_col *c, const char *s, size_t n, int level, const char **why);
/* Append the text of value i (NULL prints as the null marker or nothing). */
CV_API void cv_col_to_text(const cv_textfmt *f, const cv_col *c, uint32_t i, int level, cv_buf *out);

/* ---- record readers ------------------------------------------------------------- */

#define CV_REC_MAX_BYTES (64u << 20)

typedef enum {
    CV_REC_LINES, /* one record per row delimiter, no fields (json lines, text without schema) */
    CV_REC_TEXT,  /* fields split by a delimiter, no quoting */
    CV_REC_CSV,   /* RFC 4180: quotes, "" escapes, delimiters and newlines inside quotes */
} cv_rec_mode;

typedef struct cv_field_slice {
    const char *p;
    uint32_t n;
    bool quoted; /* csv: the field was written in quotes */
} cv_field_slice;

typedef struct cv_recreader {
    cv_instream *in;
    cv_rec_mode mode;
    char fdelim[16];
    size_t fdelim_len;
    char rdelim[16];
    size_t rdelim_len;
    char *buf;
    size_t cap, len, pos;
    bool eof;
    uint64_t line;      /* first physical line of the current record */
    uint64_t next_line; /* line where the next record starts */
    const char *rec;    /* the current record's raw text */
    size_t rec_len;
    const char *bad; /* csv: why the current record is malformed, else NULL */
    cv_field_slice *f;
    uint32_t nf, fcap;
    cv_buf unq;        /* unescaped csv fields */
    cv_transcoder *tc; /* non-UTF-8 input */
    cv_buf raw;        /* bytes before decoding */
} cv_recreader;

/* fdelim/rdelim: NULL for the defaults (csv ",", text "\001"; "\n"). A
 * "\n" row delimiter also accepts "\r\n". */
CV_API int cv_rec_open(cv_recreader *r, cv_instream *in, cv_rec_mode mode, const char *fdelim, const char *rdelim,
                       cv_err *err);
/* Next record: 1, or 0 at the end, or negative on error. */
CV_API int cv_rec_next(cv_recreader *r, cv_err *err);
CV_API void cv_rec_close(cv_recreader *r); /* does not close the stream */
/* Decode backslash escapes in a delimiter option: \001 (octal), \t, \u0001. */
CV_API int cv_delim_decode(const char *s, char *out, size_t cap, size_t *len);

/* ---- JSON lines ---------------------------------------------------------------------- */

/* Parse one JSON object into one row of batch b (columns by name; missing
 * keys are NULL; unknown keys are ignored). On failure nothing is appended
 * and why and column say what and where. */
CV_API int cv_json_row(cv_batch *b, const char *s, size_t n, const cv_textfmt *f, const char **why, int *column);
/* Append row r of b as one JSON object (no newline). cols selects and
 * orders the columns (NULL: all). */
CV_API void cv_json_write_row(const cv_batch *b, uint32_t r, const uint32_t *cols, uint32_t ncols, cv_buf *out);

/* ---- character sets ------------------------------------------------------------------------ */

CV_API bool cv_encoding_is_utf8(const char *name);
CV_API int cv_transcoder_open(const char *from, const char *to, cv_transcoder **out, cv_err *err);
/* Convert n bytes, appending to out; an incomplete trailing sequence waits
 * for the next call unless last. Returns bytes appended or negative. */
CV_API ssize_t cv_transcode(cv_transcoder *t, const char *in, size_t n, bool last, cv_buf *out, cv_err *err);
CV_API void cv_transcoder_close(cv_transcoder *t);
/* Readers decode from this encoding before parsing (call after open). */
CV_API int cv_rec_set_encoding(cv_recreader *r, const char *encoding, cv_err *err);

/* ---- UTF-8 ------------------------------------------------------------------------------ */

/* True when s holds valid UTF-8 (fast path for ASCII). */
CV_API bool cv_utf8_valid(const char *s, size_t n);

/* ---- Java regular expressions (regex.c) ------------------------------------ */

/* SeaTunnel's regexes are java.util.regex patterns; culvert runs them with
 * PCRE2 and drives the matching like Java's Matcher. */
typedef struct cv_regex cv_regex;
typedef struct cv_rematch cv_rematch;

enum { CV_RE_CASELESS = 1u << 0, CV_RE_DOTALL = 1u << 1, CV_RE_MULTILINE = 1u << 2 };

/* Compile n bytes of pattern with CV_RE_* flags: 0, CV_ENOMEM, or CV_ECONFIG
 * with PCRE2's reason and the character position in why. With an arena the
 * pattern lives (and dies) with it; otherwise free it with cv_regex_free. */
CV_API int cv_regex_compile_n(const char *pattern, size_t n, unsigned flags, cv_arena *arena, cv_regex **out, char *why,
                              size_t whyn);
/* The same for a NUL-terminated pattern without flags; a syntax error is
 * CV_ECONFIG naming the pattern (the caller adds the option's position). */
CV_API int cv_regex_compile(const char *pattern, cv_regex **out, cv_err *err);
CV_API void cv_regex_free(cv_regex *re);
CV_API uint32_t cv_regex_groups(const cv_regex *re);   /* capturing groups */
CV_API cv_rematch *cv_rematch_new(const cv_regex *re); /* NULL when out of memory */
CV_API void cv_rematch_free(cv_rematch *m);
/* Java's Matcher.find from byte offset *from: 1 (a match; *from moves on,
 * one character past an empty match), 0 (none left), or a negative code. */
CV_API int cv_regex_find(const cv_regex *re, cv_rematch *m, const char *s, size_t n, size_t *from);
/* Byte range of group g of the last match; false when it did not take part. */
CV_API bool cv_rematch_group(const cv_rematch *m, uint32_t g, size_t *start, size_t *end);
/* The whole of s matches (Java's String.matches). */
CV_API bool cv_regex_full_match(const cv_regex *re, cv_rematch *m, const char *s, size_t n);
/* Append Java's replacement text (`$n`, `${name}`, `\x`) for the last match
 * of s; CV_ECONFIG with why when it names a missing group or is malformed. */
CV_API int cv_regex_expand(const cv_regex *re, const cv_rematch *m, const char *s, const char *rep, size_t len,
                           cv_buf *out, char *why, size_t whyn);
/* Check a replacement against the pattern's groups, so that replacing cannot fail later. */
CV_API int cv_regex_check_replacement(const cv_regex *re, const char *repl, cv_err *err);
/* Java's replaceAll (replaceFirst when first): append the result to out.
 * Returns the number of replacements, or a negative code (why filled for a
 * bad replacement). */
CV_API int cv_regex_replace(const cv_regex *re, cv_rematch *m, const char *s, size_t n, const char *repl, size_t rlen,
                            bool first, cv_buf *out, char *why, size_t whyn);
/* Java's String.split(regex, limit) for limit >= 1: fills start/len (room
 * for limit parts) and returns the number of parts, or a negative code. */
CV_API int cv_regex_split(const cv_regex *re, cv_rematch *m, const char *s, size_t n, uint32_t limit, uint32_t *start,
                          uint32_t *len);

#endif
