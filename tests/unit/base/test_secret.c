/* test_secret.c — secrets never reach output: registered values, url
 * credentials, key=value pairs and job-file syntax are masked; carets follow. */
#include "base/base.h"
#include "unit.h"

#include <string.h>

static const char *mask(const char *in, bool job_file)
{
    static char out[512];
    cv_secret_mask(in, strlen(in), job_file, out, sizeof out, NULL);
    return out;
}

TEST(secret_keys)
{
    CHECK(cv_secret_key("password", 8));
    CHECK(cv_secret_key("PASSWORD", 8));
    CHECK(cv_secret_key("sslpassword", 11));
    CHECK(cv_secret_key("pasword", 7)); /* misspelt still hides */
    CHECK(cv_secret_key("PGPASSWORD", 10));
    CHECK(cv_secret_key("sasl.jaas.config", 16));
    CHECK(cv_secret_key("access_token", 12));
    CHECK(cv_secret_key("auth", 4));
    CHECK(cv_secret_key("redis.auth", 10));
    CHECK(cv_secret_key("client_secret", 13));
    CHECK(!cv_secret_key("user", 4));
    CHECK(!cv_secret_key("author", 6));
    CHECK(!cv_secret_key("url", 3));
    CHECK(!cv_secret_key("table", 5));
    CHECK(!cv_secret_key("bypass_cache", 12));
}

TEST(secret_masks_url_credentials_and_pairs)
{
    cv_secret_clear();
    CHECK_STR(mask("jdbc:postgresql://h:5432/db?user=u&password=s3cr%40t&ssl=true", false),
              "jdbc:postgresql://h:5432/db?user=u&password=******&ssl=true");
    CHECK_STR(mask("mysql://root:hunter2@10.0.0.1:3306/x", false), "mysql://root:******@10.0.0.1:3306/x");
    CHECK_STR(mask("host=h password='a b' dbname=x", false), "host=h password='******' dbname=x");
    /* a host:port without credentials is left alone */
    CHECK_STR(mask("http://host:8080/path?a=1", false), "http://host:8080/path?a=1");
    /* messages mentioning an option by name are not mangled */
    CHECK_STR(mask("option password: expected a string", false), "option password: expected a string");
}

TEST(secret_masks_registered_values_everywhere)
{
    cv_secret_clear();
    CHECK_INT(cv_secret_add("TopSecret77", 11), 0);
    CHECK_INT(cv_secret_add("TopSecret77", 11), 0); /* once */
    CHECK_INT(cv_secret_add("ab", 2), 0);           /* too short to mask by value */
    CHECK_STR(mask("auth failed for TopSecret77 (TopSecret77)", false), "auth failed for ****** (******)");
    CHECK_STR(mask("a cab and a crab", false), "a cab and a crab");
    char msg[64] = "login TopSecret77 refused";
    cv_secret_redact(msg, sizeof msg);
    CHECK_STR(msg, "login ****** refused");
    cv_secret_clear();
    CHECK_STR(mask("TopSecret77", false), "TopSecret77");
}

TEST(secret_masks_job_file_syntax)
{
    cv_secret_clear();
    CHECK_STR(mask("sink { Jdbc { user = \"u\", password = \"x y\", table = t } }", true),
              "sink { Jdbc { user = \"u\", password = \"******\", table = t } }");
    CHECK_STR(mask("  \"password\": \"p\\\"q\",", true), "  \"password\": \"******\",");
    CHECK_STR(mask("  token: abc123", true), "  token: ******");
    CHECK_STR(mask("  password = ${PGPASS}", true), "  password = ******");
    /* an unterminated string hides the rest of the line */
    CHECK_STR(mask("password = \"abc", true), "password = \"******");
    CHECK_STR(mask("url = \"jdbc:mysql://h:3306/db\"", true), "url = \"jdbc:mysql://h:3306/db\"");
}

TEST(secret_caret_follows_the_mask)
{
    cv_secret_clear();
    const char *line = "Jdbc { password = \"longsecretvalue\", bogus = 1 }";
    char out[256];
    uint32_t col = (uint32_t)(strstr(line, "bogus") - line) + 1;
    cv_secret_mask(line, strlen(line), true, out, sizeof out, &col);
    CHECK_STR(out, "Jdbc { password = \"******\", bogus = 1 }");
    CHECK(strncmp(out + col - 1, "bogus", 5) == 0);
    /* a caret inside a secret points at its mask */
    col = (uint32_t)(strstr(line, "secretv") - line) + 1;
    cv_secret_mask(line, strlen(line), true, out, sizeof out, &col);
    CHECK(strncmp(out + col - 1, "******", 6) == 0);
}

TEST(secret_cut_output_never_leaks)
{
    cv_secret_clear();
    CHECK_INT(cv_secret_add("abcdefgh", 8), 0);
    char out[12], small[6];
    cv_secret_mask("xx abcdefgh yy", 14, false, out, sizeof out, NULL);
    CHECK_STR(out, "xx ****** y"); /* cut at the end */
    /* too small for the whole mask: cut before it, never part of the secret */
    cv_secret_mask("xx abcdefgh yy", 14, false, small, sizeof small, NULL);
    CHECK_STR(small, "xx ");
    cv_secret_clear();
}

TEST(secret_error_excerpt_and_message)
{
    cv_secret_clear();
    cv_err e;
    cv_err_clear(&e);
    const char *text = "sink { Jdbc { url = \"jdbc:postgresql://h/db?password=UrlPw\", password = \"Pw12345\" } }\n";
    cv_pos p = {"job.conf", text, 1, (uint32_t)(strstr(text, "password = ") - text) + 1};
    CHECK_INT(cv_secret_add("Pw12345", 7), 0);
    cv_err_at(&e, CV_EIO, &p, "cannot connect with Pw12345 to %s", "jdbc:postgresql://h/db?password=UrlPw");
    CHECK(strstr(e.msg, "Pw12345") == NULL);
    CHECK(strstr(e.msg, "UrlPw") == NULL);
    CHECK(strstr(e.srcline, "Pw12345") == NULL);
    CHECK(strstr(e.srcline, "UrlPw") == NULL);
    CHECK_CONTAINS(e.srcline, "password = \"******\"");
    CHECK(strncmp(e.srcline + e.srccol - 1, "password = ", 11) == 0); /* after the url's mask */
    cv_secret_clear();
}
