/* encoding.c — character sets other than UTF-8, through glibc's iconv:
 * readers convert to UTF-8 as bytes arrive (keeping a partial multi-byte
 * sequence for the next chunk); writers convert from UTF-8 on the way out.
 * Culvert works in UTF-8 inside. */
#include "formats.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

struct cv_transcoder {
    iconv_t cd;
    char name[32];
    char pending[16]; /* an incomplete sequence from the last chunk */
    size_t npending;
};

bool cv_encoding_is_utf8(const char *name)
{
    return !name || !*name || cv_streq_nocase(name, "UTF-8") || cv_streq_nocase(name, "UTF8");
}

int cv_transcoder_open(const char *from, const char *to, cv_transcoder **out, cv_err *err)
{
    cv_transcoder *t = cv_calloc(1, sizeof *t);
    if (!t) return cv_err_set(err, CV_ENOMEM, "out of memory");
    t->cd = iconv_open(to, from);
    if (t->cd == (iconv_t)-1) {
        cv_free(t);
        return cv_err_set(err, CV_ECONFIG, "encoding \"%s\" is not known to this system's iconv",
                          cv_encoding_is_utf8(from) ? to : from);
    }
    snprintf(t->name, sizeof t->name, "%s", cv_encoding_is_utf8(from) ? to : from);
    *out = t;
    return 0;
}

void cv_transcoder_close(cv_transcoder *t)
{
    if (!t) return;
    iconv_close(t->cd);
    cv_free(t);
}

ssize_t cv_transcode(cv_transcoder *t, const char *in, size_t n, bool last, cv_buf *out, cv_err *err)
{
    /* join what was left over with the new bytes */
    char stackbuf[4096];
    char *src = (char *)in;
    size_t left = n;
    char *joined = NULL;
    if (t->npending) {
        size_t total = t->npending + n;
        joined = total <= sizeof stackbuf ? stackbuf : cv_malloc(total);
        if (!joined) return cv_err_set(err, CV_ENOMEM, "out of memory");
        memcpy(joined, t->pending, t->npending);
        memcpy(joined + t->npending, in, n);
        src = joined;
        left = total;
        t->npending = 0;
    }
    size_t before = out->len;
    int rc = 0;
    while (left > 0) {
        if (cv_buf_reserve(out, left * 4 + 16) < 0) {
            rc = cv_err_set(err, CV_ENOMEM, "out of memory");
            break;
        }
        char *dst = out->data + out->len;
        size_t room = out->cap - out->len - 1;
        size_t r = iconv(t->cd, &src, &left, &dst, &room);
        out->len = (size_t)(dst - out->data);
        if (r != (size_t)-1) break;
        if (errno == E2BIG) continue;
        if (errno == EINVAL && !last && left < sizeof t->pending) { /* incomplete: keep for later */
            memcpy(t->pending, src, left);
            t->npending = left;
            left = 0;
            break;
        }
        rc = cv_err_set(err, CV_EDATA, "bytes that are not valid %s", t->name);
        break;
    }
    if (out->data) out->data[out->len] = '\0'; /* nothing converted yet: no buffer */
    if (joined && joined != stackbuf) cv_free(joined);
    return rc < 0 ? rc : (ssize_t)(out->len - before);
}
