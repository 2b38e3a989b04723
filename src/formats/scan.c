/* scan.c — record readers: a chunked buffer over an input stream that cuts
 * records at the row delimiter and fields at the field delimiter. CSV is
 * read per RFC 4180 in a single pass per record (quotes, "" escapes,
 * delimiters and line breaks inside quotes). A malformed record is not an
 * error of the reader: it is returned with `bad` set so that the caller's
 * bad-row policy decides. Buffers grow only to hold the longest record. */
#include "formats.h"

#include <string.h>

#define CHUNK (1u << 20)

int cv_delim_decode(const char *s, char *out, size_t cap, size_t *len)
{
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        if (n + 1 >= cap) return CV_EINVAL;
        if (*p != '\\' || !p[1]) {
            out[n++] = *p;
            continue;
        }
        p++;
        switch (*p) {
        case 't': out[n++] = '\t'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case '\\': out[n++] = '\\'; break;
        case 'u': { /* \u0001 */
            unsigned v = 0;
            for (int k = 1; k <= 4; k++) {
                char c = p[k];
                int d = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
                if (d < 0) return CV_EINVAL;
                v = v * 16 + (unsigned)d;
            }
            if (v > 0x7f) return CV_EINVAL;
            out[n++] = (char)v;
            p += 4;
            break;
        }
        default:
            if (*p >= '0' && *p <= '7') { /* \001 */
                unsigned v = 0;
                int k = 0;
                while (k < 3 && p[k] >= '0' && p[k] <= '7') v = v * 8 + (unsigned)(p[k++] - '0');
                out[n++] = (char)v;
                p += k - 1;
            } else {
                out[n++] = *p;
            }
        }
    }
    out[n] = '\0';
    *len = n;
    return n ? 0 : CV_EINVAL;
}

int cv_rec_open(cv_recreader *r, cv_instream *in, cv_rec_mode mode, const char *fdelim, const char *rdelim, cv_err *err)
{
    memset(r, 0, sizeof *r);
    r->in = in;
    r->mode = mode;
    const char *fd = fdelim ? fdelim : mode == CV_REC_CSV ? "," : "\001";
    const char *rd = rdelim ? rdelim : "\n";
    if (strlen(fd) >= sizeof r->fdelim || strlen(rd) >= sizeof r->rdelim || !*fd || !*rd)
        return cv_err_set(err, CV_ECONFIG, "delimiters must be 1 to %zu bytes", sizeof r->fdelim - 1);
    r->fdelim_len = strlen(fd);
    memcpy(r->fdelim, fd, r->fdelim_len + 1);
    r->rdelim_len = strlen(rd);
    memcpy(r->rdelim, rd, r->rdelim_len + 1);
    r->cap = CHUNK;
    r->buf = cv_malloc(r->cap);
    if (!r->buf) return cv_err_set(err, CV_ENOMEM, "out of memory");
    r->next_line = 1;
    cv_buf_init(&r->unq);
    return 0;
}

int cv_rec_set_encoding(cv_recreader *r, const char *encoding, cv_err *err)
{
    if (cv_encoding_is_utf8(encoding)) return 0;
    return cv_transcoder_open(encoding, "UTF-8", &r->tc, err);
}

void cv_rec_close(cv_recreader *r)
{
    cv_transcoder_close(r->tc);
    r->tc = NULL;
    cv_buf_free(&r->raw);
    cv_free(r->buf);
    cv_free(r->f);
    cv_buf_free(&r->unq);
    r->buf = NULL;
    r->f = NULL;
}

static int too_long(const cv_recreader *r, cv_err *err)
{
    return cv_err_set(err, CV_EDATA, "a record starting at line %llu is longer than %u MiB",
                      (unsigned long long)r->next_line, CV_REC_MAX_BYTES >> 20);
}

/* Decoding readers read raw bytes, convert them to UTF-8 in r->raw's
 * scratch, and copy into the record buffer (growing it when needed, up to
 * the same limit as undecoded reads). */
static int fill_decoded(cv_recreader *r, cv_err *err)
{
    char tmp[64 << 10];
    ssize_t n = cv_instream_read(r->in, tmp, sizeof tmp, err);
    if (n < 0) return (int)n;
    cv_buf_reset(&r->raw);
    if (cv_transcode(r->tc, tmp, (size_t)n, n == 0, &r->raw, err) < 0) return err->code;
    if (n == 0) r->eof = true;
    while (r->len + r->raw.len > r->cap) {
        if (r->cap >= CV_REC_MAX_BYTES) return too_long(r, err);
        char *nb = cv_realloc(r->buf, r->cap * 2);
        if (!nb) return cv_err_set(err, CV_ENOMEM, "out of memory");
        r->buf = nb;
        r->cap *= 2;
    }
    if (r->raw.len) memcpy(r->buf + r->len, r->raw.data, r->raw.len);
    r->len += r->raw.len;
    return n > 0;
}

/* Make room and read more; false at the end of the stream. */
static int fill(cv_recreader *r, cv_err *err)
{
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    if (r->len == r->cap) {
        if (r->cap >= CV_REC_MAX_BYTES) return too_long(r, err);
        size_t nc = r->cap * 2;
        char *nb = cv_realloc(r->buf, nc);
        if (!nb) return cv_err_set(err, CV_ENOMEM, "out of memory");
        r->buf = nb;
        r->cap = nc;
    }
    if (r->tc) return fill_decoded(r, err);
    ssize_t n = cv_instream_read(r->in, r->buf + r->len, r->cap - r->len, err);
    if (n < 0) return (int)n;
    if (n == 0) r->eof = true;
    r->len += (size_t)n;
    return n > 0;
}

/* The first byte equal to a or b in [p, e): eight bytes at a time with
 * the "has zero byte" trick, since unquoted fields are most of any csv. */
static const char *scan2(const char *p, const char *e, char a, char b)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t ma = ones * (uint8_t)a, mb = ones * (uint8_t)b;
    while (e - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        uint64_t xa = w ^ ma, xb = w ^ mb;
        uint64_t hit = ((xa - ones) & ~xa & highs) | ((xb - ones) & ~xb & highs);
        if (hit) return p + (__builtin_ctzll(hit) >> 3);
        p += 8;
    }
    while (p < e && *p != a && *p != b) p++;
    return p;
}

static int add_field(cv_recreader *r, const char *p, size_t n, bool quoted)
{
    if (r->nf == r->fcap) {
        uint32_t nc = r->fcap ? r->fcap * 2 : 32;
        cv_field_slice *nf = cv_realloc(r->f, nc * sizeof *nf);
        if (!nf) return CV_ENOMEM;
        r->f = nf;
        r->fcap = nc;
    }
    r->f[r->nf++] = (cv_field_slice){p, (uint32_t)n, quoted};
    return 0;
}

static bool at_delim(const char *p, const char *e, const char *d, size_t dl)
{
    return (size_t)(e - p) >= dl && p[0] == d[0] && (dl == 1 || memcmp(p, d, dl) == 0);
}

/* Find the end of a plain (unquoted) record starting at pos. */
static const char *find_rdelim(cv_recreader *r, const char *p, const char *e)
{
    if (r->rdelim_len == 1) return memchr(p, r->rdelim[0], (size_t)(e - p));
    const char *q = memmem(p, (size_t)(e - p), r->rdelim, r->rdelim_len);
    return q;
}

static int split_plain(cv_recreader *r, cv_err *err)
{
    const char *p = r->rec, *e = r->rec + r->rec_len;
    if (r->mode == CV_REC_LINES) return 0;
    for (;;) {
        const char *q = r->fdelim_len == 1 ? memchr(p, r->fdelim[0], (size_t)(e - p))
                                           : memmem(p, (size_t)(e - p), r->fdelim, r->fdelim_len);
        const char *end = q ? q : e;
        if (add_field(r, p, (size_t)(end - p), false) < 0) return cv_err_set(err, CV_ENOMEM, "out of memory");
        if (!q) return 0;
        p = q + r->fdelim_len;
    }
}

/* One CSV record starting at buf+pos: 1 = complete (fields set), 0 = needs
 * more input. Unescaped quoted fields go to r->unq, reserved up front so
 * the slices stay valid. */
static int scan_csv(cv_recreader *r, bool at_eof, cv_err *err)
{
    const char *start = r->buf + r->pos, *e = r->buf + r->len, *p = start;
    const char *fd = r->fdelim, *rd = r->rdelim;
    size_t fdl = r->fdelim_len, rdl = r->rdelim_len;
    uint64_t newlines = 0;
    r->nf = 0;
    r->bad = NULL;
    cv_buf_reset(&r->unq);
    if (cv_buf_reserve(&r->unq, (size_t)(e - p)) < 0) return cv_err_set(err, CV_ENOMEM, "out of memory");
    for (;;) {
        /* one field */
        if (p < e && *p == '"') {
            const char *q = p + 1;
            size_t ustart = r->unq.len;
            bool escaped = false;
            for (;;) {
                const char *c = memchr(q, '"', (size_t)(e - q));
                if (!c) {
                    if (!at_eof) return 0;
                    r->bad = "a quoted field is never closed";
                    r->rec = start;
                    r->rec_len = (size_t)(e - start);
                    r->pos = r->len;
                    r->line = r->next_line;
                    for (const char *k = start; k < e; k++) newlines += *k == '\n';
                    r->next_line += newlines + 1;
                    return 1;
                }
                for (const char *k = q; k < c; k++) newlines += *k == '\n';
                if (c + 1 < e && c[1] == '"') { /* "" is one quote */
                    cv_buf_put(&r->unq, q, (size_t)(c + 1 - q));
                    q = c + 2;
                    escaped = true;
                    continue;
                }
                if (c + 1 == e && !at_eof) return 0; /* cannot tell "" from " yet */
                if (escaped) cv_buf_put(&r->unq, q, (size_t)(c - q));
                const char *fp = escaped ? r->unq.data + ustart : p + 1;
                size_t fn = escaped ? r->unq.len - ustart : (size_t)(c - p - 1);
                if (add_field(r, fp, fn, true) < 0) return cv_err_set(err, CV_ENOMEM, "out of memory");
                p = c + 1;
                break;
            }
            if (p < e && !at_delim(p, e, fd, fdl) && !at_delim(p, e, rd, rdl) &&
                !(rdl == 1 && rd[0] == '\n' && *p == '\r')) {
                /* text after a closing quote: malformed; resync at the row end */
                const char *stop = find_rdelim(r, p, e);
                if (!stop && !at_eof) return 0;
                const char *end = stop ? stop : e;
                r->bad = "text after the closing quote of a field";
                r->rec = start;
                r->rec_len = (size_t)(end - start);
                r->pos = (size_t)((stop ? stop + rdl : e) - r->buf);
                r->line = r->next_line;
                r->next_line += newlines + 1;
                return 1;
            }
        } else {
            /* an unquoted field runs to the next delimiter; a stray quote
             * inside it is kept as text, as most CSV writers expect */
            const char *q = p;
            if (fdl == 1 && rdl == 1) {
                q = scan2(q, e, fd[0], rd[0]);
            } else {
                while (q < e && !at_delim(q, e, fd, fdl) && !at_delim(q, e, rd, rdl)) q++;
            }
            if (q == e && !at_eof) return 0;
            size_t n = (size_t)(q - p);
            if (q < e && rdl == 1 && rd[0] == '\n' && at_delim(q, e, rd, rdl) && n && p[n - 1] == '\r') n--;
            if (add_field(r, p, n, false) < 0) return cv_err_set(err, CV_ENOMEM, "out of memory");
            p = q;
        }
        /* after a field: a field delimiter, the row delimiter, or the end */
        if (p < e && at_delim(p, e, fd, fdl)) {
            p += fdl;
            continue;
        }
        if (p < e && *p == '\r' && rdl == 1 && rd[0] == '\n' && p + 1 < e && p[1] == '\n')
            p++;
        else if (p < e && *p == '\r' && rdl == 1 && rd[0] == '\n' && p + 1 == e && !at_eof)
            return 0;
        const char *end = p;
        if (p < e && at_delim(p, e, rd, rdl))
            p += rdl;
        else if (p < e && *p == '\r')
            p++;
        r->rec = start;
        r->rec_len = (size_t)(end - start);
        r->pos = (size_t)(p - r->buf);
        r->line = r->next_line;
        r->next_line += newlines + 1;
        return 1;
    }
}

int cv_rec_next(cv_recreader *r, cv_err *err)
{
    for (;;) {
        if (r->pos >= r->len && r->eof) return 0;
        if (r->mode == CV_REC_CSV) {
            if (r->pos < r->len) {
                int got = scan_csv(r, r->eof, err);
                if (got < 0) return got;
                if (got) return 1;
            }
        } else if (r->pos < r->len) {
            const char *p = r->buf + r->pos, *e = r->buf + r->len;
            const char *q = find_rdelim(r, p, e);
            if (q || r->eof) {
                const char *end = q ? q : e;
                size_t n = (size_t)(end - p);
                if (q && r->rdelim_len == 1 && r->rdelim[0] == '\n' && n && p[n - 1] == '\r') n--;
                r->rec = p;
                r->rec_len = n;
                r->bad = NULL;
                r->pos = (size_t)((q ? q + r->rdelim_len : e) - r->buf);
                r->line = r->next_line++;
                r->nf = 0;
                CV_TRY(split_plain(r, err));
                return 1;
            }
        }
        int more = fill(r, err);
        if (more < 0) return more;
    }
}
