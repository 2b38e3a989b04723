/* base64.c — RFC 4648 base64: how bytes travel in JSON and configs. The
 * decoder also takes the URL-safe alphabet and missing padding. */
#include "base.h"

void cv_base64_encode(const void *data, size_t n, cv_buf *out)
{
    const uint8_t *p = data;
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n) v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n) v |= p[i + 2];
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], i + 1 < n ? tab[(v >> 6) & 63] : '=',
                     i + 2 < n ? tab[v & 63] : '='};
        cv_buf_put(out, q, 4);
    }
}

int cv_base64_decode(const char *s, size_t n, cv_buf *out)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t pad = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+' || c == '-')
            v = 62;
        else if (c == '/' || c == '_')
            v = 63;
        else if (c == '=') {
            pad++;
            continue;
        } else
            return CV_EINVAL;
        if (pad) return CV_EINVAL;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            cv_buf_putc(out, (char)((acc >> bits) & 0xFF));
        }
    }
    if (pad > 2 || bits >= 6) return CV_EINVAL;
    return out->oom ? CV_ENOMEM : 0;
}
