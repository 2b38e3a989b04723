/* helpers.h — what the formats tests share: scratch files, a record reader
 * over a byte string, a one-line rendering of every record (so a whole
 * parse is checked with one CHECK_STR), and tables built from type strings. */
#ifndef CV_UNIT_FORMATS_HELPERS_H
#define CV_UNIT_FORMATS_HELPERS_H

#include "formats/formats.h"
#include "unit.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline int scratch__rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static char scratch__dir[256];

static inline void scratch__cleanup(void)
{
    if (scratch__dir[0]) nftw(scratch__dir, scratch__rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh scratch directory per test process, removed at exit. */
static inline const char *scratch_dir(void)
{
    char *dir = scratch__dir;
    if (!dir[0]) {
        atexit(scratch__cleanup);
        const char *base = getenv("TMPDIR");
        snprintf(dir, sizeof scratch__dir, "%s/cv-formats-XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(dir)) {
            unit__fail(__FILE__, __LINE__, "mkdtemp %s failed", dir);
            unit__abort();
        }
    }
    return dir;
}

/* path of a scratch file called name (static buffer, one per slot) */
static inline const char *scratch(const char *name)
{
    static char paths[4][512];
    static int slot;
    char *p = paths[slot++ & 3];
    snprintf(p, 512, "%s/%s", scratch_dir(), name);
    return p;
}

static inline void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n) {
        unit__fail(__FILE__, __LINE__, "cannot write %s", path);
        unit__abort();
    }
    fclose(f);
}

/* Whole file into a malloc'd buffer (NUL-terminated); *n gets the size. */
static inline char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) b[len] = '\0';
    if (n) *n = (size_t)len;
    return b;
}

/* Every record of a file, one per line: "L<line>: [f1][f2]…", a quoted
 * field as ["f"], a malformed record as "L<line>: BAD <why> {raw}", a
 * reader error as "ERR <message>". Field bytes below 0x20 print as \xNN. */
static inline void dump_field(cv_buf *o, const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && (unsigned char)p[run] >= 0x20) run++;
        cv_buf_put(o, p + i, run - i);
        if (run < n) cv_buf_printf(o, "\\x%02x", (unsigned char)p[run++]);
        i = run;
    }
}

static inline char *dump_reader(cv_recreader *r)
{
    cv_buf o;
    cv_buf_init(&o);
    cv_err e;
    cv_err_clear(&e);
    int got;
    while ((got = cv_rec_next(r, &e)) > 0) {
        cv_buf_printf(&o, "L%llu:", (unsigned long long)r->line);
        if (r->bad) {
            cv_buf_printf(&o, " BAD %s {", r->bad);
            dump_field(&o, r->rec, r->rec_len);
            cv_buf_puts(&o, "}\n");
            continue;
        }
        if (r->mode == CV_REC_LINES) {
            cv_buf_putc(&o, '[');
            dump_field(&o, r->rec, r->rec_len);
            cv_buf_putc(&o, ']');
        }
        for (uint32_t i = 0; i < r->nf; i++) {
            cv_buf_puts(&o, r->f[i].quoted ? "[\"" : "[");
            dump_field(&o, r->f[i].p, r->f[i].n);
            cv_buf_puts(&o, r->f[i].quoted ? "\"]" : "]");
        }
        cv_buf_putc(&o, '\n');
    }
    if (got < 0) cv_buf_printf(&o, "ERR %s\n", e.msg);
    char *s = cv_buf_steal(&o);
    return s ? s : cv_strdup("");
}

/* Parse a file with the given reader settings into dump_reader's form. */
static inline char *dump_path(const char *path, cv_codec codec, cv_rec_mode mode, const char *fdelim,
                              const char *rdelim, const char *encoding)
{
    cv_err e;
    cv_err_clear(&e);
    cv_instream *in;
    if (cv_instream_open(path, codec, &in, &e) < 0) {
        unit__fail(__FILE__, __LINE__, "open %s: %s", path, e.msg);
        unit__abort();
    }
    cv_recreader r;
    char *out;
    if (cv_rec_open(&r, in, mode, fdelim, rdelim, &e) < 0 || cv_rec_set_encoding(&r, encoding, &e) < 0) {
        size_t l = strlen(e.msg) + 8;
        out = cv_malloc(l);
        snprintf(out, l, "OPEN %s", e.msg);
    } else {
        out = dump_reader(&r);
    }
    cv_rec_close(&r);
    cv_instream_close(in);
    return out;
}

static inline char *dump_bytes(const void *data, size_t n, cv_rec_mode mode, const char *fdelim, const char *rdelim)
{
    const char *path = scratch("records");
    write_file(path, data, n);
    return dump_path(path, CV_CODEC_NONE, mode, fdelim, rdelim, NULL);
}

/* CHECK that parsing text gives the expected dump. */
#define CHECK_RECORDS(text, mode, fdelim, rdelim, expected)                             \
    do {                                                                                \
        char *got__ = dump_bytes((text), sizeof(text) - 1, (mode), (fdelim), (rdelim)); \
        CHECK_STR(got__, (expected));                                                   \
        cv_free(got__);                                                                 \
    } while (0)

/* Parse a type or abandon the test. */
static inline const cv_type *ty(cv_arena *a, const char *s)
{
    const cv_type *t = NULL;
    cv_err e;
    cv_err_clear(&e);
    if (cv_type_parse(a, s, &t, &e) < 0) {
        unit__fail(__FILE__, __LINE__, "type \"%s\" does not parse: %s", s, e.msg);
        unit__abort();
    }
    return t;
}

/* A table "db.tbl" with columns named names[i] of types types[i]. */
static inline cv_table *table_of(cv_arena *a, const char *const *names, const char *const *types, uint32_t n)
{
    cv_table *t = cv_arena_zalloc(a, sizeof *t);
    REQUIRE(t != NULL);
    t->cols = cv_arena_zalloc(a, n * sizeof *t->cols);
    t->ncols = n;
    for (uint32_t i = 0; i < n; i++) {
        t->cols[i].name = names[i];
        t->cols[i].type = ty(a, types[i]);
        t->cols[i].nullable = true;
    }
    cv_err e;
    cv_err_clear(&e);
    REQUIRE(cv_table_set_path(a, t, "db.tbl", false, &e) == 0);
    REQUIRE(cv_table_finish(a, t, &e) == 0);
    return t;
}

/* Value i of c as JSON text (static buffer). */
static inline const char *jsonv(const cv_col *c, uint32_t i)
{
    static char out[4096];
    cv_buf b;
    cv_buf_init(&b);
    cv_value_format(c, i, CV_FMT_JSON, &b);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    cv_buf_free(&b);
    return out;
}

#endif
