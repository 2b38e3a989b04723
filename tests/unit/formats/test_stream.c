/* test_stream.c — byte streams (stream.c): every codec round-trips data
 * larger than the write and read buffers, read back through buffers of
 * awkward sizes; concatenated gzip members and zstd/lz4 frames read as one
 * stream; truncated and corrupt files are errors that name the file; codec
 * names, extensions and magic bytes. */
#include "helpers.h"

static const cv_codec codecs[] = {CV_CODEC_NONE, CV_CODEC_GZIP, CV_CODEC_ZSTD, CV_CODEC_LZ4};

/* n bytes of text-like data that compresses, but not to nothing */
static char *sample(size_t n)
{
    char *p = cv_malloc(n ? n : 1);
    REQUIRE(p != NULL);
    uint64_t x = 88172645463325252ULL;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        p[i] = (x % 7 == 0) ? '\n' : (char)('a' + x % 26);
    }
    return p;
}

static void write_stream(const char *path, cv_codec c, const char *data, size_t n, size_t piece)
{
    cv_err e;
    cv_err_clear(&e);
    cv_outstream *os;
    REQUIRE_INT(cv_outstream_open(path, c, 0, &os, &e), 0);
    for (size_t off = 0; off < n; off += piece) {
        size_t k = n - off < piece ? n - off : piece;
        REQUIRE_INT(cv_outstream_write(os, data + off, k, &e), 0);
    }
    CHECK(n == 0 || cv_outstream_bytes(os) > 0);
    REQUIRE_INT(cv_outstream_close(os, true, &e), 0);
}

/* Read a whole stream with reads of `cap` bytes. */
static char *read_stream(const char *path, cv_codec c, size_t cap, size_t *n, cv_err *e)
{
    cv_instream *in;
    cv_err_clear(e);
    if (cv_instream_open(path, c, &in, e) < 0) return NULL;
    cv_buf out;
    cv_buf_init(&out);
    char *tmp = cv_malloc(cap);
    REQUIRE(tmp != NULL);
    ssize_t got;
    while ((got = cv_instream_read(in, tmp, cap, e)) > 0) cv_buf_put(&out, tmp, (size_t)got);
    cv_free(tmp);
    size_t flen = 0;
    char *f = read_file(path, &flen);
    if (got == 0) CHECK_UINT(cv_instream_raw_bytes(in), flen);
    free(f);
    cv_instream_close(in);
    if (got < 0) {
        cv_buf_free(&out);
        return NULL;
    }
    *n = out.len;
    char *s = cv_buf_steal(&out);
    return s ? s : cv_strdup("");
}

TEST(stream_every_codec_round_trips)
{
    const size_t sizes[] = {0, 1, 4095, (256u << 10) + 17, (3u << 20) + 5};
    const size_t pieces[] = {1, 1000, 1u << 20};
    const size_t caps[] = {1, 7, 65536, 1u << 20};
    for (size_t ci = 0; ci < CV_ARRAY_LEN(codecs); ci++)
        for (size_t si = 0; si < CV_ARRAY_LEN(sizes); si++) {
            size_t n = sizes[si];
            char *data = sample(n);
            size_t piece = pieces[(ci + si) % CV_ARRAY_LEN(pieces)];
            if (piece == 1 && n > 100000) piece = 4096; /* keep it quick */
            const char *path = scratch("rt");
            write_stream(path, codecs[ci], data, n, piece);
            for (size_t k = 0; k < CV_ARRAY_LEN(caps); k++) {
                if (caps[k] < 64 && n > 100000) continue;
                unit_context("%s, %zu bytes written in %zu-byte pieces, read %zu at a time", cv_codec_name(codecs[ci]),
                             n, piece, caps[k]);
                cv_err e;
                size_t got_n = 0;
                char *got = read_stream(path, codecs[ci], caps[k], &got_n, &e);
                if (!CHECK(got != NULL)) {
                    unit__fail(__FILE__, __LINE__, "read failed: %s", e.msg);
                    continue;
                }
                CHECK_UINT(got_n, n);
                CHECK(got_n == n && memcmp(got, data, n) == 0);
                cv_free(got);
            }
            /* compressed files start with their codec's magic */
            size_t flen = 0;
            char *f = read_file(path, &flen);
            REQUIRE(f != NULL);
            if (codecs[ci] != CV_CODEC_NONE) CHECK_INT(cv_codec_sniff(f, flen), codecs[ci]);
            free(f);
            cv_free(data);
        }
    unit_context_clear();
}

/* Concatenate files a and b into out. */
static void concat(const char *a, const char *b, const char *out)
{
    size_t na, nb;
    char *pa = read_file(a, &na), *pb = read_file(b, &nb);
    REQUIRE(pa && pb);
    char *both = cv_malloc(na + nb);
    REQUIRE(both != NULL);
    memcpy(both, pa, na);
    memcpy(both + na, pb, nb);
    write_file(out, both, na + nb);
    cv_free(both);
    free(pa);
    free(pb);
}

TEST(stream_concatenated_members_and_frames)
{
    for (size_t ci = 1; ci < CV_ARRAY_LEN(codecs); ci++) {
        unit_context("%s", cv_codec_name(codecs[ci]));
        write_stream(scratch("m1"), codecs[ci], "first part\n", 11, 100);
        write_stream(scratch("m2"), codecs[ci], "second part\n", 12, 100);
        concat(scratch("m1"), scratch("m2"), scratch("both"));
        cv_err e;
        size_t n = 0;
        char *got = read_stream(scratch("both"), codecs[ci], 5, &n, &e);
        if (!CHECK(got != NULL)) {
            unit__fail(__FILE__, __LINE__, "read failed: %s", e.msg);
            continue;
        }
        CHECK_STR(got, "first part\nsecond part\n");
        cv_free(got);
    }
    unit_context_clear();
}

TEST(stream_multi_member_gzip_through_a_reader)
{
    /* records that span the member boundary */
    write_stream(scratch("g1"), CV_CODEC_GZIP, "a,1\nb,", 6, 100);
    write_stream(scratch("g2"), CV_CODEC_GZIP, "2\nc,3\n", 6, 100);
    concat(scratch("g1"), scratch("g2"), scratch("g"));
    char *got = dump_path(scratch("g"), CV_CODEC_GZIP, CV_REC_CSV, NULL, NULL, NULL);
    CHECK_STR(got, "L1:[a][1]\nL2:[b][2]\nL3:[c][3]\n");
    cv_free(got);
}

TEST(stream_truncated_file_is_an_error)
{
    size_t n = 200000;
    char *data = sample(n);
    for (size_t ci = 1; ci < CV_ARRAY_LEN(codecs); ci++) {
        const char *path = scratch("trunc");
        write_stream(path, codecs[ci], data, n, 65536);
        size_t flen = 0;
        char *f = read_file(path, &flen);
        REQUIRE(f != NULL);
        /* cut at several points, including inside the header */
        const size_t cuts[] = {3, flen / 2, flen - 1};
        for (size_t k = 0; k < CV_ARRAY_LEN(cuts); k++) {
            unit_context("%s cut to %zu of %zu bytes", cv_codec_name(codecs[ci]), cuts[k], flen);
            write_file(scratch("cut"), f, cuts[k]);
            cv_err e;
            size_t got_n;
            char *got = read_stream(scratch("cut"), codecs[ci], 65536, &got_n, &e);
            CHECK(got == NULL);
            cv_free(got);
            CHECK_INT(e.code, CV_EDATA);
            CHECK_CONTAINS(e.msg, "/cut");
            CHECK(strstr(e.msg, "truncated") || strstr(e.msg, "not valid"));
        }
        free(f);
    }
    unit_context_clear();
    cv_free(data);
}

TEST(stream_corrupt_data_is_an_error)
{
    for (size_t ci = 1; ci < CV_ARRAY_LEN(codecs); ci++) {
        unit_context("%s", cv_codec_name(codecs[ci]));
        write_file(scratch("junk"), "this is plain text, not compressed\n", 35);
        cv_err e;
        size_t n;
        char *got = read_stream(scratch("junk"), codecs[ci], 4096, &n, &e);
        CHECK(got == NULL);
        cv_free(got);
        CHECK_INT(e.code, CV_EDATA);
        char want[64];
        snprintf(want, sizeof want, "is not valid %s data", cv_codec_name(codecs[ci]));
        CHECK_CONTAINS(e.msg, want);
        /* a valid stream with a flipped byte in its body */
        size_t len = 100000;
        char *data = sample(len);
        write_stream(scratch("flip"), codecs[ci], data, len, len);
        size_t flen = 0;
        char *f = read_file(scratch("flip"), &flen);
        REQUIRE(f != NULL);
        for (size_t i = flen / 3; i < flen / 3 + 64; i++) f[i] ^= 0x5a;
        write_file(scratch("flip"), f, flen);
        free(f);
        got = read_stream(scratch("flip"), codecs[ci], 4096, &n, &e);
        /* lz4 frames carry no content checksum by default: corruption may
         * decode to wrong bytes, but must never crash or overrun */
        if (codecs[ci] != CV_CODEC_LZ4) {
            CHECK(got == NULL || n != len || memcmp(got, data, len) != 0);
            if (got == NULL) CHECK_INT(e.code, CV_EDATA);
        }
        cv_free(got);
        cv_free(data);
    }
    unit_context_clear();
}

TEST(stream_open_errors_name_the_file)
{
    cv_err e;
    cv_err_clear(&e);
    cv_instream *in;
    CHECK_INT(cv_instream_open("/nonexistent/culvert/x.csv", CV_CODEC_NONE, &in, &e), CV_EIO);
    CHECK_CONTAINS(e.msg, "cannot open /nonexistent/culvert/x.csv: No such file or directory");
    CHECK(in == NULL);
    cv_err_clear(&e);
    cv_outstream *os;
    CHECK_INT(cv_outstream_open("/nonexistent/culvert/y.csv", CV_CODEC_GZIP, 0, &os, &e), CV_EIO);
    CHECK_CONTAINS(e.msg, "cannot create /nonexistent/culvert/y.csv");
    CHECK(os == NULL);
}

TEST(stream_abort_leaves_no_frame_end)
{
    /* an aborted gzip stream is not a complete gzip file */
    cv_err e;
    cv_err_clear(&e);
    cv_outstream *os;
    REQUIRE_INT(cv_outstream_open(scratch("ab"), CV_CODEC_GZIP, 0, &os, &e), 0);
    char *data = sample(600000);
    REQUIRE_INT(cv_outstream_write(os, data, 600000, &e), 0);
    cv_outstream_abort(os);
    size_t n;
    char *got = read_stream(scratch("ab"), CV_CODEC_GZIP, 65536, &n, &e);
    CHECK(got == NULL);
    CHECK_CONTAINS(e.msg, "truncated");
    cv_free(got);
    cv_free(data);
}

TEST(stream_codec_names)
{
    cv_codec c;
    CHECK_INT(cv_codec_parse("GZIP", &c), 0);
    CHECK_INT(c, CV_CODEC_GZIP);
    CHECK_INT(cv_codec_parse("gz", &c), 0);
    CHECK_INT(c, CV_CODEC_GZIP);
    CHECK_INT(cv_codec_parse("Zstd", &c), 0);
    CHECK_INT(c, CV_CODEC_ZSTD);
    CHECK_INT(cv_codec_parse("lz4", &c), 0);
    CHECK_INT(c, CV_CODEC_LZ4);
    CHECK_INT(cv_codec_parse("none", &c), 0);
    CHECK_INT(c, CV_CODEC_NONE);
    CHECK_INT(cv_codec_parse("lzo", &c), CV_EINVAL);
    CHECK_INT(cv_codec_parse("", &c), CV_EINVAL);
    CHECK_STR(cv_codec_name(CV_CODEC_ZSTD), "zstd");
    CHECK_STR(cv_codec_name((cv_codec)9), "?");
    CHECK_STR(cv_codec_ext(CV_CODEC_NONE), "");
    CHECK_STR(cv_codec_ext(CV_CODEC_GZIP), ".gz");
    CHECK_STR(cv_codec_ext(CV_CODEC_ZSTD), ".zst");
    CHECK_STR(cv_codec_ext(CV_CODEC_LZ4), ".lz4");
    CHECK_INT(cv_codec_sniff("\x1f\x8b", 2), CV_CODEC_GZIP);
    CHECK_INT(cv_codec_sniff("\x1f", 1), CV_CODEC_NONE);
    CHECK_INT(cv_codec_sniff("\x28\xb5\x2f\xfd", 4), CV_CODEC_ZSTD);
    CHECK_INT(cv_codec_sniff("\x04\x22\x4d\x18", 4), CV_CODEC_LZ4);
    CHECK_INT(cv_codec_sniff("\x04\x22\x4d", 3), CV_CODEC_NONE);
    CHECK_INT(cv_codec_sniff("id,name", 7), CV_CODEC_NONE);
    CHECK_INT(cv_codec_sniff(NULL, 0), CV_CODEC_NONE);
}
