/* fn_udf.c — the user-defined functions SeaTunnel ships built in:
 * DES_ENCRYPT(password, text) and DES_DECRYPT(password, base64). They are
 * DES in CBC mode with PKCS#5 padding, the IV "12345678" and the first
 * eight bytes of the password as the key, base64 on the wire — SeaTunnel's
 * DESUtil, so values encrypted by either engine decrypt in the other. DES
 * comes from nettle (Debian's nettle-dev). */
#include "sql_int.h"

#include <nettle/cbc.h>
#include <nettle/des.h>
#include <string.h>

static const uint8_t iv_init[DES_BLOCK_SIZE] = {'1', '2', '3', '4', '5', '6', '7', '8'};

static bool key_of(const sql_vec *pw, uint32_t r, struct des_ctx *ctx)
{
    uint32_t n;
    const char *p = sql_str(pw, r, &n);
    if (n < 8) return false;
    des_set_key(ctx, (const uint8_t *)p); /* a weak key still works, as in Java */
    return true;
}

static int fn_des_encrypt(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    uint8_t *buf = NULL;
    size_t cap = 0;
    cv_buf enc;
    cv_buf_init(&enc);
    int rc = 0;
    for (uint32_t r = 0; r < x->n && rc == 0; r++) {
        if (sql_skip(x, args, 2, r)) {
            cv_col_append_null(out);
            continue;
        }
        struct des_ctx ctx;
        if (!key_of(&args[0], r, &ctx)) {
            rc = sql_fail(c, x, r, "the password must be at least 8 characters long");
            break;
        }
        uint32_t n;
        const char *s = sql_str(&args[1], r, &n);
        size_t padded = ((size_t)n / DES_BLOCK_SIZE + 1) * DES_BLOCK_SIZE;
        if (padded > cap) {
            uint8_t *nb = cv_realloc(buf, padded);
            if (!nb) {
                rc = cv_err_set(x->err, CV_ENOMEM, "out of memory");
                break;
            }
            buf = nb;
            cap = padded;
        }
        memcpy(buf, s, n);
        memset(buf + n, (int)(padded - n), padded - n); /* PKCS#5 */
        uint8_t iv[DES_BLOCK_SIZE];
        memcpy(iv, iv_init, sizeof iv);
        cbc_encrypt(&ctx, (nettle_cipher_func *)des_encrypt, DES_BLOCK_SIZE, iv, padded, buf, buf);
        cv_buf_reset(&enc);
        cv_base64_encode(buf, padded, &enc);
        cv_col_append_str(out, enc.data ? enc.data : "", enc.len);
    }
    cv_free(buf);
    cv_buf_free(&enc);
    return rc;
}

static int fn_des_decrypt(const sql_call *c, sql_ctx *x, const sql_vec *args, cv_col *out)
{
    cv_buf raw;
    cv_buf_init(&raw);
    int rc = 0;
    for (uint32_t r = 0; r < x->n && rc == 0; r++) {
        if (sql_skip(x, args, 2, r)) {
            cv_col_append_null(out);
            continue;
        }
        struct des_ctx ctx;
        if (!key_of(&args[0], r, &ctx)) {
            rc = sql_fail(c, x, r, "the password must be at least 8 characters long");
            break;
        }
        uint32_t n;
        const char *s = sql_str(&args[1], r, &n);
        cv_buf_reset(&raw);
        bool ok = cv_base64_decode(s, n, &raw) == 0 && raw.len && raw.len % DES_BLOCK_SIZE == 0;
        if (ok) {
            uint8_t iv[DES_BLOCK_SIZE];
            memcpy(iv, iv_init, sizeof iv);
            uint8_t *p = (uint8_t *)raw.data;
            cbc_decrypt(&ctx, (nettle_cipher_func *)des_decrypt, DES_BLOCK_SIZE, iv, raw.len, p, p);
            unsigned pad = p[raw.len - 1];
            ok = pad >= 1 && pad <= DES_BLOCK_SIZE;
            for (unsigned k = 1; ok && k <= pad; k++) ok = p[raw.len - k] == pad;
            if (ok) raw.len -= pad;
        }
        if (!ok) {
            /* SeaTunnel logs and hands the text back unchanged; we refuse to
             * pass ciphertext on as if it were the plain value */
            rc = sql_fail(c, x, r, "the value is not DES ciphertext for this password (base64 of whole blocks)");
            break;
        }
        cv_col_append_str(out, raw.data, raw.len);
    }
    cv_buf_free(&raw);
    return rc;
}

const sql_func cv__sql_fn_udf[] = {
    {"DES_ENCRYPT", 2, 2, "SS", 'S', 0, NULL, fn_des_encrypt},
    {"DES_DECRYPT", 2, 2, "SS", 'S', 0, NULL, fn_des_decrypt},
    {NULL},
};
