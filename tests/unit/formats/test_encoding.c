/* test_encoding.c — character sets (encoding.c) and UTF-8 validation:
 * GBK to UTF-8 and back, multi-byte characters cut between calls and
 * between the reader's 64 KiB reads, invalid and truncated input, unknown
 * encodings. */
#include "helpers.h"

/* "中文,数据" in GBK and UTF-8 */
static const char gbk_text[] = "\xd6\xd0\xce\xc4,\xca\xfd\xbe\xdd";
static const char utf8_text[] = "\xe4\xb8\xad\xe6\x96\x87,\xe6\x95\xb0\xe6\x8d\xae";

TEST(encoding_utf8_names)
{
    CHECK(cv_encoding_is_utf8(NULL));
    CHECK(cv_encoding_is_utf8(""));
    CHECK(cv_encoding_is_utf8("utf-8"));
    CHECK(cv_encoding_is_utf8("UTF8"));
    CHECK(!cv_encoding_is_utf8("GBK"));
    CHECK(!cv_encoding_is_utf8("UTF-16"));
}

TEST(encoding_gbk_round_trip)
{
    cv_err e;
    cv_err_clear(&e);
    cv_transcoder *to_utf8, *to_gbk;
    REQUIRE_INT(cv_transcoder_open("GBK", "UTF-8", &to_utf8, &e), 0);
    REQUIRE_INT(cv_transcoder_open("UTF-8", "GBK", &to_gbk, &e), 0);
    cv_buf u, g;
    cv_buf_init(&u);
    cv_buf_init(&g);
    CHECK_INT(cv_transcode(to_utf8, gbk_text, sizeof gbk_text - 1, true, &u, &e), sizeof utf8_text - 1);
    CHECK_STR(u.data, utf8_text);
    CHECK_INT(cv_transcode(to_gbk, u.data, u.len, true, &g, &e), sizeof gbk_text - 1);
    CHECK_STR(g.data, gbk_text);
    cv_buf_free(&u);
    cv_buf_free(&g);
    cv_transcoder_close(to_utf8);
    cv_transcoder_close(to_gbk);
}

TEST(encoding_split_characters_wait_for_the_next_call)
{
    cv_err e;
    cv_err_clear(&e);
    /* every split point, including inside each two-byte character */
    for (size_t cut = 0; cut <= sizeof gbk_text - 1; cut++) {
        cv_transcoder *t;
        REQUIRE_INT(cv_transcoder_open("GBK", "UTF-8", &t, &e), 0);
        cv_buf u;
        cv_buf_init(&u);
        unit_context("cut at %zu", cut);
        CHECK(cv_transcode(t, gbk_text, cut, false, &u, &e) >= 0);
        CHECK(cv_transcode(t, gbk_text + cut, sizeof gbk_text - 1 - cut, true, &u, &e) >= 0);
        CHECK_STR(u.data, utf8_text);
        cv_buf_free(&u);
        cv_transcoder_close(t);
    }
    unit_context_clear();
}

TEST(encoding_invalid_and_truncated_input)
{
    cv_err e;
    cv_err_clear(&e);
    cv_transcoder *t;
    REQUIRE_INT(cv_transcoder_open("UTF-8", "GBK", &t, &e), 0);
    cv_buf o;
    cv_buf_init(&o);
    CHECK_INT(cv_transcode(t, "ok \xff\xfe", 5, true, &o, &e), CV_EDATA);
    CHECK_CONTAINS(e.msg, "bytes that are not valid");
    cv_buf_free(&o);
    cv_transcoder_close(t);

    /* half a character at the very end */
    REQUIRE_INT(cv_transcoder_open("GBK", "UTF-8", &t, &e), 0);
    cv_buf_init(&o);
    cv_err_clear(&e);
    CHECK_INT(cv_transcode(t, "a\xd6", 2, false, &o, &e), 1);
    CHECK_INT(cv_transcode(t, "", 0, true, &o, &e), CV_EDATA);
    CHECK_CONTAINS(e.msg, "GBK");
    cv_buf_free(&o);
    cv_transcoder_close(t);

    /* a character UTF-8 has and GBK does not */
    REQUIRE_INT(cv_transcoder_open("UTF-8", "GBK", &t, &e), 0);
    cv_buf_init(&o);
    cv_err_clear(&e);
    CHECK_INT(cv_transcode(t, "\xf0\x9f\x98\x80", 4, true, &o, &e), CV_EDATA);
    cv_buf_free(&o);
    cv_transcoder_close(t);
}

TEST(encoding_unknown_name)
{
    cv_err e;
    cv_err_clear(&e);
    cv_transcoder *t = NULL;
    CHECK_INT(cv_transcoder_open("NO-SUCH-CHARSET", "UTF-8", &t, &e), CV_ECONFIG);
    CHECK_CONTAINS(e.msg, "encoding \"NO-SUCH-CHARSET\" is not known to this system's iconv");
    cv_err_clear(&e);
    CHECK_INT(cv_transcoder_open("UTF-8", "NO-SUCH-CHARSET", &t, &e), CV_ECONFIG);
    CHECK_CONTAINS(e.msg, "\"NO-SUCH-CHARSET\"");
}

TEST(encoding_reader_decodes_across_read_chunks)
{
    /* "中" repeated so that characters straddle the reader's 64 KiB raw
     * reads (an odd prefix shifts them by one byte), in csv fields */
    cv_buf g, want;
    cv_buf_init(&g);
    cv_buf_init(&want);
    cv_buf_puts(&g, "a,");
    cv_buf_puts(&want, "L1:[a][");
    for (int i = 0; i < 100000; i++) {
        cv_buf_put(&g, "\xd6\xd0", 2);
        cv_buf_put(&want, "\xe4\xb8\xad", 3);
    }
    cv_buf_puts(&g, "\nb,");
    cv_buf_puts(&want, "]\nL2:[b][");
    cv_buf_put(&g, gbk_text, sizeof gbk_text - 1);
    cv_buf_put(&want, utf8_text, 6);
    cv_buf_puts(&want, "][");
    cv_buf_put(&want, utf8_text + 7, 6);
    cv_buf_puts(&want, "]\n");
    REQUIRE(!g.oom && !want.oom);
    write_file(scratch("gbk.csv"), g.data, g.len);
    char *got = dump_path(scratch("gbk.csv"), CV_CODEC_NONE, CV_REC_CSV, NULL, NULL, "GBK");
    CHECK_STR(got, want.data);
    cv_free(got);
    /* the same file compressed */
    cv_err e;
    cv_err_clear(&e);
    cv_outstream *os;
    REQUIRE_INT(cv_outstream_open(scratch("gbk.csv.zst"), CV_CODEC_ZSTD, 0, &os, &e), 0);
    REQUIRE_INT(cv_outstream_write(os, g.data, g.len, &e), 0);
    REQUIRE_INT(cv_outstream_close(os, false, &e), 0);
    got = dump_path(scratch("gbk.csv.zst"), CV_CODEC_ZSTD, CV_REC_CSV, NULL, NULL, "GBK");
    CHECK_STR(got, want.data);
    cv_free(got);
    cv_buf_free(&g);
    cv_buf_free(&want);
}

TEST(encoding_reader_of_an_empty_stream)
{
    /* an empty compressed file is not an empty file: the reader decodes
     * zero bytes at its end */
    cv_err e;
    cv_err_clear(&e);
    cv_outstream *os;
    REQUIRE_INT(cv_outstream_open(scratch("empty.gz"), CV_CODEC_GZIP, 0, &os, &e), 0);
    REQUIRE_INT(cv_outstream_close(os, false, &e), 0);
    char *got = dump_path(scratch("empty.gz"), CV_CODEC_GZIP, CV_REC_CSV, NULL, NULL, "GBK");
    CHECK_STR(got, "");
    cv_free(got);
}

TEST(encoding_reader_reports_invalid_bytes)
{
    /* 0xff is not a GBK lead byte */
    write_file(scratch("bad.csv"), "a,b\n\xff\xff,c\n", 9);
    char *got = dump_path(scratch("bad.csv"), CV_CODEC_NONE, CV_REC_CSV, NULL, NULL, "GBK");
    CHECK_CONTAINS(got, "ERR bytes that are not valid GBK");
    cv_free(got);
}

TEST(encoding_utf8_validation)
{
    CHECK(cv_utf8_valid("", 0));
    CHECK(cv_utf8_valid("plain ascii text, long enough for words", 39));
    CHECK(cv_utf8_valid(utf8_text, sizeof utf8_text - 1));
    CHECK(cv_utf8_valid("\xf0\x9f\x98\x80", 4));
    CHECK(!cv_utf8_valid("abcdefgh\xff", 9));
    CHECK(!cv_utf8_valid("\xe4\xb8", 2));           /* truncated */
    CHECK(!cv_utf8_valid("\xc0\xaf", 2));           /* overlong */
    CHECK(!cv_utf8_valid("\xed\xa0\x80", 3));       /* a surrogate */
    CHECK(!cv_utf8_valid("abcdefghij\x80xyz", 14)); /* stray continuation after the fast path */
    CHECK(!cv_utf8_valid(gbk_text, sizeof gbk_text - 1));
}
