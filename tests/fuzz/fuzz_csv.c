/* fuzz_csv.c — the record readers (scan.c) over fuzzed files, and the
 * text → value converters on the fields they cut.
 *
 * Byte 0 picks the mode (csv, text, lines), the field and row delimiters;
 * byte 1 the codec the bytes are stored with, an encoding (GBK) and the
 * date patterns — fixed ones, or (bit 5) a fuzzed pattern: the input's
 * first line, used as date, datetime and time format; the rest is the file. The file lives in a memfd, read
 * through its /proc path like any file. Checks:
 *  - records come with increasing line numbers, fields inside the record,
 *    the reader ends (0) and stays ended;
 *  - csv: writing the records back (RFC 4180, quoting what needs it) and
 *    reading that gives the same fields;
 *  - every field converts into a fixed mixed schema (cv_text_to_col), a
 *    failed row is cut off the batch leaving it consistent, and every
 *    stored value prints and parses back equal (default patterns). */
#include "data/data.h"
#include "formats/formats.h"
#include "fuzz.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *const fdelims[] = {",", "|", "||", "\001", "\t", ";;;"};
static const char *const rdelims[] = {"\n", "\n", "##", ";"};
static const cv_codec codecs[] = {CV_CODEC_NONE, CV_CODEC_NONE, CV_CODEC_NONE, CV_CODEC_NONE,
                                  CV_CODEC_GZIP, CV_CODEC_ZSTD, CV_CODEC_LZ4,  CV_CODEC_NONE};

static const char *const col_types[] = {
    "int",       "string",     "double",           "decimal(10, 2)",       "date",
    "timestamp", "array<int>", "map<string, int>", "row<a int, b string>", "boolean",
    "time",      "bytes",      "tinyint",          "timestamp_tz",         "array<array<bigint>>",
};
#define NTYPES (sizeof col_types / sizeof col_types[0])

static int memfd = -1;
static char mempath[64];
static cv_arena arena;
static cv_table *table;

static void setup(void)
{
    if (memfd >= 0) return;
    memfd = memfd_create("fuzz_csv", 0);
    FUZZ_ASSERT(memfd >= 0, "memfd_create failed");
    snprintf(mempath, sizeof mempath, "/proc/self/fd/%d", memfd);
    cv_arena_init(&arena, 0);
    table = cv_arena_zalloc(&arena, sizeof *table);
    table->cols = cv_arena_zalloc(&arena, NTYPES * sizeof *table->cols);
    table->ncols = NTYPES;
    for (uint32_t i = 0; i < NTYPES; i++) {
        cv_err e;
        cv_err_clear(&e);
        table->cols[i].name = cv_arena_printf(&arena, "c%u", i);
        FUZZ_ASSERT(cv_type_parse(&arena, col_types[i], &table->cols[i].type, &e) == 0, "type %s", col_types[i]);
        table->cols[i].nullable = true;
    }
    cv_err e;
    cv_err_clear(&e);
    FUZZ_ASSERT(cv_table_set_path(&arena, table, "fuzz.csv", false, &e) == 0, "path");
    FUZZ_ASSERT(cv_table_finish(&arena, table, &e) == 0, "finish");
}

/* Store the file bytes, compressed with codec when asked. */
static bool store(const uint8_t *p, size_t n, cv_codec codec)
{
    if (ftruncate(memfd, 0) != 0) return false;
    if (codec == CV_CODEC_NONE) return pwrite(memfd, p, n, 0) == (ssize_t)n;
    cv_err e;
    cv_err_clear(&e);
    cv_outstream *os;
    if (cv_outstream_open(mempath, codec, 1, &os, &e) < 0) return false;
    if (cv_outstream_write(os, p, n, &e) < 0) {
        cv_outstream_abort(os);
        return false;
    }
    return cv_outstream_close(os, false, &e) == 0;
}

typedef struct {
    char *text; /* fields copied out, each NUL-terminated */
    size_t len, cap;
    uint32_t *nfields;
    size_t nrec, reccap;
    bool any_bad;
} recs;

static void recs_free(recs *r)
{
    free(r->text);
    free(r->nfields);
    memset(r, 0, sizeof *r);
}

static void recs_add_bytes(recs *r, const void *p, size_t n)
{
    if (r->len + n + 1 > r->cap) {
        size_t nc = (r->len + n + 1) * 2;
        char *t = realloc(r->text, nc);
        FUZZ_ASSERT(t != NULL, "oom");
        r->text = t;
        r->cap = nc;
    }
    if (n) memcpy(r->text + r->len, p, n);
    r->len += n;
}

/* A field as: quoted flag, 4-byte length, bytes. */
static void recs_add_field(recs *r, const cv_field_slice *f)
{
    uint8_t q = f->quoted && f->n == 0; /* only "" vs empty matters */
    recs_add_bytes(r, &q, 1);
    recs_add_bytes(r, &f->n, sizeof f->n);
    recs_add_bytes(r, f->p, f->n);
}

static void recs_end(recs *r, uint32_t nf)
{
    if (r->nrec == r->reccap) {
        size_t nc = r->reccap ? r->reccap * 2 : 16;
        uint32_t *t = realloc(r->nfields, nc * sizeof *t);
        FUZZ_ASSERT(t != NULL, "oom");
        r->nfields = t;
        r->reccap = nc;
    }
    r->nfields[r->nrec++] = nf;
}

static void convert_row(cv_batch *b, const cv_textfmt *fmt, const cv_recreader *rr)
{
    uint32_t start = b->nrows;
    for (uint32_t k = 0; k < NTYPES; k++) {
        cv_col *c = &b->cols[k];
        const char *why = NULL;
        if (k >= rr->nf) {
            cv_col_append_null(c);
            continue;
        }
        const cv_field_slice *f = &rr->f[k];
        int rc = cv_text_to_col(fmt, c, f->p, f->n, 1, &why);
        if (rc < 0) {
            FUZZ_ASSERT(rc == CV_EDATA && why && why[0], "conversion failed without a reason");
            cv_batch_truncate(b, start);
            cv_err e;
            cv_err_clear(&e);
            FUZZ_ASSERT(cv_batch_check(b, &e) == 0, "truncate left the batch inconsistent: %s", e.msg);
            FUZZ_ASSERT(b->nrows == start, "truncate");
            return;
        }
    }
    cv_batch_end_row(b, CV_ROW_INSERT);
}

/* Print every value and parse it back; with the default (ISO) patterns
 * the text must parse and give the same value. Custom patterns cannot
 * spell every year, so there printing and parsing only must not crash. */
static void values_round_trip(const cv_batch *b, const cv_textfmt *fmt, bool strict)
{
    cv_batch *back = cv_batch_new(b->table, 0);
    FUZZ_ASSERT(back != NULL, "oom");
    cv_buf t;
    cv_buf_init(&t);
    for (uint32_t r = 0; r < b->nrows; r++) {
        bool ok = true;
        for (uint32_t k = 0; k < NTYPES && ok; k++) {
            cv_buf_reset(&t);
            cv_col_to_text(fmt, &b->cols[k], r, 1, &t);
            FUZZ_ASSERT(!t.oom, "oom");
            const char *s = t.data ? t.data : "";
            const char *why = NULL;
            int rc = cv_text_to_col(fmt, &back->cols[k], s, t.len, 1, &why);
            if (!strict) {
                ok = rc == 0;
                continue;
            }
            FUZZ_ASSERT(rc == 0, "%s value printed as \"%s\" does not parse back: %s", col_types[k], s, why);
            /* a string that spells the null marker reads back as NULL */
            bool marker = t.len == fmt->null_len && memcmp(s, fmt->null_format, t.len) == 0;
            bool nested = k == 6 || k == 7 || k == 8 || k == 14;
            if (!(marker && !cv_col_is_null(&b->cols[k], r)) && !nested)
                FUZZ_ASSERT(cv_value_compare(&b->cols[k], r, &back->cols[k], r) == 0,
                            "%s value printed as \"%s\" reads back different", col_types[k], s);
        }
        if (ok)
            cv_batch_end_row(back, CV_ROW_INSERT);
        else
            cv_batch_truncate(back, back->nrows);
    }
    cv_buf_free(&t);
    cv_batch_free(back);
}

/* Read the stored file; collect csv records when rec is non-NULL. */
static void read_all(cv_codec codec, cv_rec_mode mode, const char *fd, const char *rd, const char *enc, recs *rec,
                     const cv_textfmt *fmt, bool strict)
{
    cv_err e;
    cv_err_clear(&e);
    cv_instream *in;
    if (cv_instream_open(mempath, codec, &in, &e) < 0) return;
    cv_recreader rr;
    if (cv_rec_open(&rr, in, mode, fd, rd, &e) < 0) {
        cv_instream_close(in);
        return;
    }
    if (cv_rec_set_encoding(&rr, enc, &e) < 0) {
        cv_rec_close(&rr);
        cv_instream_close(in);
        return;
    }
    cv_batch *b = fmt ? cv_batch_new(table, 0) : NULL;
    uint64_t last_line = 0;
    int got;
    while ((got = cv_rec_next(&rr, &e)) > 0) {
        FUZZ_ASSERT(rr.line > last_line, "line %llu after %llu", (unsigned long long)rr.line,
                    (unsigned long long)last_line);
        FUZZ_ASSERT(rr.next_line > rr.line, "next line");
        last_line = rr.line;
        FUZZ_ASSERT(rr.rec_len <= rr.len, "record longer than the buffer");
        if (mode != CV_REC_LINES && !rr.bad) FUZZ_ASSERT(rr.nf >= 1, "a record without fields");
        if (mode == CV_REC_LINES) FUZZ_ASSERT(rr.nf == 0, "lines have no fields");
        if (rr.bad) {
            if (rec) rec->any_bad = true;
            continue;
        }
        uint64_t total = 0;
        for (uint32_t i = 0; i < rr.nf; i++) total += rr.f[i].n;
        FUZZ_ASSERT(total <= rr.rec_len, "fields longer than their record");
        if (rec) {
            for (uint32_t i = 0; i < rr.nf; i++) recs_add_field(rec, &rr.f[i]);
            recs_end(rec, rr.nf);
        }
        if (fmt && fmt->custom_date) {
            int64_t us;
            for (uint32_t i = 0; i < rr.nf; i++) (void)cv_datefmt_parse(&fmt->date, rr.f[i].p, rr.f[i].n, &us);
        }
        if (b && !cv_utf8_valid(rr.rec, rr.rec_len)) continue;
        if (b) {
            convert_row(b, fmt, &rr);
            if (cv_batch_full(b)) {
                values_round_trip(b, fmt, strict);
                cv_batch_clear(b);
            }
        }
    }
    if (got == 0) {
        FUZZ_ASSERT(cv_rec_next(&rr, &e) == 0, "the reader did not stay at its end");
    } else {
        FUZZ_ASSERT(e.code == got && e.msg[0], "reader error %d without a message", got);
    }
    if (b) {
        cv_err be;
        cv_err_clear(&be);
        FUZZ_ASSERT(cv_batch_check(b, &be) == 0, "batch: %s", be.msg);
        values_round_trip(b, fmt, strict);
        cv_batch_free(b);
    }
    cv_rec_close(&rr);
    cv_instream_close(in);
}

/* Write records as csv with fdelim and "\n", quoting what needs it. */
static void write_csv(const recs *r, char fd, cv_buf *out)
{
    size_t off = 0;
    for (size_t i = 0; i < r->nrec; i++) {
        for (uint32_t k = 0; k < r->nfields[i]; k++) {
            uint8_t q = (uint8_t)r->text[off];
            uint32_t n;
            memcpy(&n, r->text + off + 1, sizeof n);
            const char *p = r->text + off + 1 + sizeof n;
            off += 1 + sizeof n + n;
            if (k) cv_buf_putc(out, fd);
            bool quote = q || (n > 0 && p[0] == '"');
            for (uint32_t j = 0; j < n && !quote; j++) quote = p[j] == fd || p[j] == '\n' || p[j] == '\r';
            if (!quote) {
                cv_buf_put(out, p, n);
                continue;
            }
            cv_buf_putc(out, '"');
            for (uint32_t j = 0; j < n; j++) {
                if (p[j] == '"') cv_buf_putc(out, '"');
                cv_buf_putc(out, p[j]);
            }
            cv_buf_putc(out, '"');
        }
        cv_buf_putc(out, '\n');
    }
}

static bool recs_equal(const recs *a, const recs *b)
{
    if (a->nrec != b->nrec || a->len != b->len) return false;
    for (size_t i = 0; i < a->nrec; i++)
        if (a->nfields[i] != b->nfields[i]) return false;
    return a->len == 0 || memcmp(a->text, b->text, a->len) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > (1u << 16)) return 0;
    setup();
    uint8_t m = data[0], o = data[1];
    cv_rec_mode mode = (cv_rec_mode)(m % 3);
    const char *fd = fdelims[(m / 3) % 6];
    const char *rd = rdelims[(m / 18) % 4];
    cv_codec codec = codecs[o & 7];
    const char *enc = (o & 8) ? "GBK" : NULL;
    bool custom = (o & 16) != 0, fuzzed_pattern = (o & 32) != 0;
    data += 2;
    size -= 2;
    char pattern[64] = "";
    if (fuzzed_pattern) {
        const uint8_t *nl = memchr(data, '\n', size);
        size_t n = nl ? (size_t)(nl - data) : size;
        if (n >= sizeof pattern) return 0;
        memcpy(pattern, data, n);
        if (memchr(pattern, '\0', n)) return 0;
        data += n + (nl != NULL);
        size -= n + (nl != NULL);
    }
    if (!store(data, size, codec)) return 0;

    cv_textfmt fmt;
    cv_textfmt_init(&fmt);
    fmt.null_format = "\\N";
    fmt.null_len = 2;
    if (fuzzed_pattern) {
        const char *why = NULL;
        int rc = cv_datefmt_compile(pattern, &fmt.date, &why);
        FUZZ_ASSERT(rc == 0 || (rc == CV_EINVAL && why && why[0]), "pattern refused without a reason");
        if (rc < 0) return 0;
        fmt.datetime = fmt.time = fmt.date;
        fmt.custom_date = fmt.custom_datetime = fmt.custom_time = true;
        custom = true;
        /* the pattern on its own: print instants from far past to far
         * future and parse what it printed (a lossy pattern may not give
         * the instant back, but must not misbehave) */
        static const int64_t probes[] = {0,
                                         -1,
                                         86399999999LL,
                                         951782400123456LL,
                                         INT64_MAX / 2,
                                         -(INT64_MAX / 2),
                                         253402300799999999LL,
                                         -62135596800000000LL};
        cv_buf t;
        cv_buf_init(&t);
        for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
            cv_buf_reset(&t);
            cv_datefmt_format(&fmt.date, probes[i], &t);
            FUZZ_ASSERT(!t.oom, "oom");
            int64_t us;
            (void)cv_datefmt_parse(&fmt.date, t.data ? t.data : "", t.len, &us);
        }
        cv_buf_free(&t);
    } else if (custom) {
        const char *why;
        fmt.custom_date = cv_datefmt_compile("dd/MM/yyyy", &fmt.date, &why) == 0;
        fmt.custom_datetime = cv_datefmt_compile("yyyyMMddHHmmss.SSSSSS", &fmt.datetime, &why) == 0;
        fmt.custom_time = cv_datefmt_compile("hh:mm:ss a", &fmt.time, &why) == 0;
    }
    bool csv_rt = mode == CV_REC_CSV && strlen(fd) == 1 && strcmp(rd, "\n") == 0;
    recs first = {0};
    read_all(codec, mode, fd, rd, enc, csv_rt ? &first : NULL, &fmt, !custom);
    if (csv_rt && !first.any_bad) {
        /* parse(write(parse(x))) == parse(x) */
        cv_buf w;
        cv_buf_init(&w);
        write_csv(&first, fd[0], &w);
        FUZZ_ASSERT(!w.oom, "oom");
        if (store((const uint8_t *)(w.data ? w.data : ""), w.len, CV_CODEC_NONE)) {
            recs second = {0};
            read_all(CV_CODEC_NONE, mode, fd, rd, NULL, &second, NULL, false);
            FUZZ_ASSERT(!second.any_bad, "rewritten csv has bad records:\n%s", w.data);
            FUZZ_ASSERT(recs_equal(&first, &second), "csv does not survive a rewrite:\n%s", w.data);
            recs_free(&second);
        }
        cv_buf_free(&w);
    }
    recs_free(&first);
    return 0;
}
