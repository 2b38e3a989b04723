/* stream.c — byte streams over files with optional compression: gzip
 * (zlib, multi-member), zstd and lz4 frames, all from Debian's libraries.
 * Reads decompress straight into the caller's buffer; writes go through a
 * 256 KiB buffer so small rows do not become small syscalls. */
#include "formats.h"

#include <errno.h>
#include <fcntl.h>
#include <lz4frame.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define RAW_CHUNK (256u << 10)

static const char *const codec_names[] = {"none", "gzip", "zstd", "lz4"};

int cv_codec_parse(const char *name, cv_codec *out)
{
    for (int i = 0; i < 4; i++)
        if (cv_streq_nocase(name, codec_names[i])) {
            *out = (cv_codec)i;
            return 0;
        }
    if (cv_streq_nocase(name, "gz")) {
        *out = CV_CODEC_GZIP;
        return 0;
    }
    return CV_EINVAL;
}

const char *cv_codec_name(cv_codec c) { return (unsigned)c < 4 ? codec_names[c] : "?"; }

const char *cv_codec_ext(cv_codec c)
{
    static const char *const ext[] = {"", ".gz", ".zst", ".lz4"};
    return (unsigned)c < 4 ? ext[c] : "";
}

cv_codec cv_codec_sniff(const void *p, size_t n)
{
    const uint8_t *b = p;
    if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b) return CV_CODEC_GZIP;
    if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd) return CV_CODEC_ZSTD;
    if (n >= 4 && b[0] == 0x04 && b[1] == 0x22 && b[2] == 0x4d && b[3] == 0x18) return CV_CODEC_LZ4;
    return CV_CODEC_NONE;
}

/* ---- input ---------------------------------------------------------------------- */

struct cv_instream {
    int fd;
    cv_codec codec;
    char *path;
    uint8_t *raw;
    size_t raw_len, raw_pos;
    bool raw_eof;
    uint64_t raw_total;
    bool in_frame; /* inside a compressed frame/member */
    z_stream z;
    bool z_ready;
    ZSTD_DStream *zs;
    LZ4F_dctx *lz;
};

static int io_error(cv_err *err, const char *what, const char *path)
{
    return cv_err_set(err, CV_EIO, "cannot %s %s: %s", what, path, strerror(errno));
}

int cv_instream_open(const char *path, cv_codec codec, cv_instream **out, cv_err *err)
{
    *out = NULL;
    cv_instream *s = cv_calloc(1, sizeof *s);
    if (!s) return cv_err_set(err, CV_ENOMEM, "out of memory");
    s->fd = -1;
    s->codec = codec;
    s->path = cv_strdup(path);
    if (!s->path) {
        cv_instream_close(s);
        return cv_err_set(err, CV_ENOMEM, "out of memory");
    }
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0) {
        int rc = io_error(err, "open", path);
        cv_instream_close(s);
        return rc;
    }
    posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    int rc = 0;
    if (codec != CV_CODEC_NONE && !(s->raw = cv_malloc(RAW_CHUNK))) rc = cv_err_set(err, CV_ENOMEM, "out of memory");
    if (rc == 0 && codec == CV_CODEC_GZIP) {
        /* 15 + 32: detect gzip or zlib headers */
        if (inflateInit2(&s->z, 15 + 32) != Z_OK)
            rc = cv_err_set(err, CV_ENOMEM, "cannot start gzip decoding");
        else
            s->z_ready = true;
    } else if (rc == 0 && codec == CV_CODEC_ZSTD) {
        s->zs = ZSTD_createDStream();
        if (!s->zs) rc = cv_err_set(err, CV_ENOMEM, "cannot start zstd decoding");
    } else if (rc == 0 && codec == CV_CODEC_LZ4) {
        if (LZ4F_isError(LZ4F_createDecompressionContext(&s->lz, LZ4F_VERSION)))
            rc = cv_err_set(err, CV_ENOMEM, "cannot start lz4 decoding");
    }
    if (rc < 0) {
        cv_instream_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

static ssize_t read_fd(int fd, void *buf, size_t cap)
{
    for (;;) {
        ssize_t n = read(fd, buf, cap);
        if (n >= 0 || errno != EINTR) return n;
    }
}

/* Refill the compressed-input buffer when it is empty. */
static int refill(cv_instream *s, cv_err *err)
{
    if (s->raw_pos < s->raw_len || s->raw_eof) return 0;
    ssize_t n = read_fd(s->fd, s->raw, RAW_CHUNK);
    if (n < 0) return io_error(err, "read", s->path);
    s->raw_len = (size_t)n;
    s->raw_pos = 0;
    s->raw_total += (uint64_t)n;
    if (n == 0) s->raw_eof = true;
    return 0;
}

static int corrupt(cv_instream *s, cv_err *err, const char *detail)
{
    return cv_err_set(err, CV_EDATA, "%s is not valid %s data: %s", s->path, cv_codec_name(s->codec), detail);
}

ssize_t cv_instream_read(cv_instream *s, void *buf, size_t cap, cv_err *err)
{
    if (s->codec == CV_CODEC_NONE) {
        ssize_t n = read_fd(s->fd, buf, cap);
        if (n < 0) return io_error(err, "read", s->path);
        s->raw_total += (uint64_t)n;
        return n;
    }
    size_t produced = 0;
    while (produced == 0) {
        CV_TRY(refill(s, err));
        bool no_input = s->raw_pos >= s->raw_len;
        if (no_input && s->raw_eof) {
            if (s->in_frame)
                return cv_err_set(err, CV_EDATA, "%s ends in the middle of a %s stream (truncated file?)", s->path,
                                  cv_codec_name(s->codec));
            return 0;
        }
        uint8_t *in = s->raw + s->raw_pos;
        size_t avail = s->raw_len - s->raw_pos;
        switch (s->codec) {
        case CV_CODEC_GZIP: {
            s->z.next_in = in;
            s->z.avail_in = (uInt)avail;
            s->z.next_out = buf;
            s->z.avail_out = (uInt)CV_MIN(cap, (size_t)UINT32_MAX);
            int zr = inflate(&s->z, Z_NO_FLUSH);
            s->raw_pos += avail - s->z.avail_in;
            produced = CV_MIN(cap, (size_t)UINT32_MAX) - s->z.avail_out;
            s->in_frame = true;
            if (zr == Z_STREAM_END) {
                /* a gzip file may hold several members back to back */
                inflateReset(&s->z);
                s->in_frame = false;
            } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
                return corrupt(s, err, s->z.msg ? s->z.msg : "inflate failed");
            }
            break;
        }
        case CV_CODEC_ZSTD: {
            ZSTD_inBuffer ib = {in, avail, 0};
            ZSTD_outBuffer ob = {buf, cap, 0};
            size_t zr = ZSTD_decompressStream(s->zs, &ob, &ib);
            if (ZSTD_isError(zr)) return corrupt(s, err, ZSTD_getErrorName(zr));
            s->raw_pos += ib.pos;
            produced = ob.pos;
            s->in_frame = zr != 0;
            break;
        }
        case CV_CODEC_LZ4: {
            size_t src = avail, dst = cap;
            size_t lr = LZ4F_decompress(s->lz, buf, &dst, in, &src, NULL);
            if (LZ4F_isError(lr)) return corrupt(s, err, LZ4F_getErrorName(lr));
            s->raw_pos += src;
            produced = dst;
            s->in_frame = lr != 0;
            break;
        }
        default: return cv_err_set(err, CV_EINTERNAL, "unknown codec");
        }
    }
    return (ssize_t)produced;
}

uint64_t cv_instream_raw_bytes(const cv_instream *s) { return s->raw_total; }

void cv_instream_close(cv_instream *s)
{
    if (!s) return;
    if (s->fd >= 0) close(s->fd);
    if (s->z_ready) inflateEnd(&s->z);
    if (s->zs) ZSTD_freeDStream(s->zs);
    if (s->lz) LZ4F_freeDecompressionContext(s->lz);
    cv_free(s->raw);
    cv_free(s->path);
    cv_free(s);
}

/* ---- output ------------------------------------------------------------------------ */

#define OUT_BUF (256u << 10)

struct cv_outstream {
    int fd;
    cv_codec codec;
    char *path;
    uint8_t *buf; /* uncompressed bytes waiting */
    size_t len;
    uint8_t *cbuf; /* compressed output */
    size_t ccap;
    uint64_t written;
    z_stream z;
    bool z_ready;
    ZSTD_CStream *zs;
    LZ4F_cctx *lz;
    bool lz_started;
};

static int write_all(cv_outstream *s, const void *p, size_t n, cv_err *err)
{
    const uint8_t *b = p;
    while (n) {
        ssize_t w = write(s->fd, b, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return io_error(err, "write", s->path);
        }
        b += w;
        n -= (size_t)w;
        s->written += (uint64_t)w;
    }
    return 0;
}

int cv_outstream_open(const char *path, cv_codec codec, int level, cv_outstream **out, cv_err *err)
{
    *out = NULL;
    cv_outstream *s = cv_calloc(1, sizeof *s);
    if (!s) return cv_err_set(err, CV_ENOMEM, "out of memory");
    s->fd = -1;
    s->codec = codec;
    s->path = cv_strdup(path);
    s->buf = cv_malloc(OUT_BUF);
    int rc = 0;
    if (!s->path || !s->buf) rc = cv_err_set(err, CV_ENOMEM, "out of memory");
    if (rc == 0) {
        s->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (s->fd < 0) rc = io_error(err, "create", path);
    }
    if (rc == 0 && codec == CV_CODEC_GZIP) {
        if (deflateInit2(&s->z, level ? level : 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            rc = cv_err_set(err, CV_ENOMEM, "cannot start gzip encoding");
        else
            s->z_ready = true;
        s->ccap = OUT_BUF;
    } else if (rc == 0 && codec == CV_CODEC_ZSTD) {
        s->zs = ZSTD_createCStream();
        if (!s->zs || ZSTD_isError(ZSTD_initCStream(s->zs, level ? level : 3)))
            rc = cv_err_set(err, CV_ENOMEM, "cannot start zstd encoding");
        s->ccap = ZSTD_CStreamOutSize();
    } else if (rc == 0 && codec == CV_CODEC_LZ4) {
        if (LZ4F_isError(LZ4F_createCompressionContext(&s->lz, LZ4F_VERSION)))
            rc = cv_err_set(err, CV_ENOMEM, "cannot start lz4 encoding");
        s->ccap = LZ4F_compressBound(OUT_BUF, NULL) + 64;
    }
    if (rc == 0 && codec != CV_CODEC_NONE && !(s->cbuf = cv_malloc(s->ccap)))
        rc = cv_err_set(err, CV_ENOMEM, "out of memory");
    if (rc < 0) {
        cv_outstream_abort(s);
        return rc;
    }
    *out = s;
    return 0;
}

/* Push the pending bytes through the codec to the file. */
static int drain(cv_outstream *s, bool finish, cv_err *err)
{
    switch (s->codec) {
    case CV_CODEC_NONE: {
        int rc = write_all(s, s->buf, s->len, err);
        s->len = 0;
        return rc;
    }
    case CV_CODEC_GZIP: {
        s->z.next_in = s->buf;
        s->z.avail_in = (uInt)s->len;
        int zr;
        do {
            s->z.next_out = s->cbuf;
            s->z.avail_out = (uInt)s->ccap;
            zr = deflate(&s->z, finish ? Z_FINISH : Z_NO_FLUSH);
            if (zr == Z_STREAM_ERROR) return cv_err_set(err, CV_EINTERNAL, "gzip encoding failed");
            CV_TRY(write_all(s, s->cbuf, s->ccap - s->z.avail_out, err));
        } while (s->z.avail_out == 0 || (finish && zr != Z_STREAM_END));
        s->len = 0;
        return 0;
    }
    case CV_CODEC_ZSTD: {
        ZSTD_inBuffer ib = {s->buf, s->len, 0};
        for (;;) {
            ZSTD_outBuffer ob = {s->cbuf, s->ccap, 0};
            size_t zr = finish ? ZSTD_compressStream2(s->zs, &ob, &ib, ZSTD_e_end)
                               : ZSTD_compressStream2(s->zs, &ob, &ib, ZSTD_e_continue);
            if (ZSTD_isError(zr)) return cv_err_set(err, CV_EINTERNAL, "zstd: %s", ZSTD_getErrorName(zr));
            CV_TRY(write_all(s, s->cbuf, ob.pos, err));
            if (finish ? zr == 0 : ib.pos == ib.size) break;
        }
        s->len = 0;
        return 0;
    }
    case CV_CODEC_LZ4: {
        if (!s->lz_started) {
            size_t h = LZ4F_compressBegin(s->lz, s->cbuf, s->ccap, NULL);
            if (LZ4F_isError(h)) return cv_err_set(err, CV_EINTERNAL, "lz4: %s", LZ4F_getErrorName(h));
            CV_TRY(write_all(s, s->cbuf, h, err));
            s->lz_started = true;
        }
        if (s->len) {
            size_t c = LZ4F_compressUpdate(s->lz, s->cbuf, s->ccap, s->buf, s->len, NULL);
            if (LZ4F_isError(c)) return cv_err_set(err, CV_EINTERNAL, "lz4: %s", LZ4F_getErrorName(c));
            CV_TRY(write_all(s, s->cbuf, c, err));
        }
        if (finish) {
            size_t c = LZ4F_compressEnd(s->lz, s->cbuf, s->ccap, NULL);
            if (LZ4F_isError(c)) return cv_err_set(err, CV_EINTERNAL, "lz4: %s", LZ4F_getErrorName(c));
            CV_TRY(write_all(s, s->cbuf, c, err));
        }
        s->len = 0;
        return 0;
    }
    }
    return 0;
}

int cv_outstream_write(cv_outstream *s, const void *p, size_t n, cv_err *err)
{
    const uint8_t *b = p;
    while (n) {
        size_t room = OUT_BUF - s->len;
        size_t k = CV_MIN(room, n);
        memcpy(s->buf + s->len, b, k);
        s->len += k;
        b += k;
        n -= k;
        if (s->len == OUT_BUF) CV_TRY(drain(s, false, err));
    }
    return 0;
}

int cv_outstream_close(cv_outstream *s, bool sync, cv_err *err)
{
    int rc = drain(s, true, err);
    if (rc == 0 && sync && fsync(s->fd) != 0) rc = io_error(err, "sync", s->path);
    if (s->fd >= 0 && close(s->fd) != 0 && rc == 0) rc = io_error(err, "close", s->path);
    s->fd = -1;
    cv_outstream_abort(s);
    return rc;
}

void cv_outstream_abort(cv_outstream *s)
{
    if (!s) return;
    if (s->fd >= 0) close(s->fd);
    if (s->z_ready) deflateEnd(&s->z);
    if (s->zs) ZSTD_freeCStream(s->zs);
    if (s->lz) LZ4F_freeCompressionContext(s->lz);
    cv_free(s->buf);
    cv_free(s->cbuf);
    cv_free(s->path);
    cv_free(s);
}

uint64_t cv_outstream_bytes(const cv_outstream *s) { return s->written + s->len; }
