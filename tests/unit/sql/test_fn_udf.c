/* test_fn_udf.c — DES_ENCRYPT / DES_DECRYPT against values Java's
 * DES/CBC/PKCS5Padding (SeaTunnel's DESUtil) produced for the same input. */
#include "sqlt.h"
#include "unit.h"

TEST(des_encrypt_matches_java)
{
    CHECK_STR(sqlt_eval("DES_ENCRYPT('1234567890', s)"), "sxqYZRqwq+Q=");
    CHECK_STR(sqlt_eval("DES_ENCRYPT('1234567890', '')"), "RDHMAmeVSGY=");
    CHECK_STR(sqlt_eval("DES_ENCRYPT('1234567890', 'Ünïcødé ✓ twelve bytes+')"),
              "kH+3um+MlACagNBk0/y+/+EFkwYe04N3J92tRs5amcQ=");
    CHECK_STR(sqlt_eval_at("DES_ENCRYPT('1234567890', s)", 2), "NULL");
    CHECK_STR(sqlt_eval("DES_ENCRYPT(n, s)"), "NULL");
    CHECK_STR(sqlt_type("DES_ENCRYPT('1234567890', s)"), "string");
    CHECK_CONTAINS(sqlt_eval("DES_ENCRYPT('short', s)"), "the password must be at least 8 characters long");
}

TEST(des_decrypt_round_trips)
{
    CHECK_STR(sqlt_eval("DES_DECRYPT('1234567890', 'sxqYZRqwq+Q=')"), "hello");
    CHECK_STR(sqlt_eval("DES_DECRYPT('1234567890', 'kH+3um+MlACagNBk0/y+/+EFkwYe04N3J92tRs5amcQ=')"),
              "Ünïcødé ✓ twelve bytes+");
    CHECK_STR(sqlt_eval_at("DES_DECRYPT('1234567890', DES_ENCRYPT('1234567890', s))", 1), "Ünïcødé ✓");
    CHECK_STR(sqlt_eval_at("DES_DECRYPT('1234567890', n)", 0), "NULL");
    CHECK_CONTAINS(sqlt_eval("DES_DECRYPT('1234567890', 'not base64!')"), "is not DES ciphertext");
    CHECK_CONTAINS(sqlt_eval("DES_DECRYPT('0987654321', 'sxqYZRqwq+Q=')"), "is not DES ciphertext");
}
