/* test_scan.c — record readers (scan.c): RFC 4180 CSV, SeaTunnel's text
 * and plain lines. Small inputs pin the grammar (quotes, "" escapes,
 * \r\n, empty and trailing fields, multi-byte delimiters, malformed
 * records and their line numbers); large ones put every interesting byte
 * on the 1 MiB chunk boundary and grow records past the buffer and past
 * CV_REC_MAX_BYTES. */
#include "helpers.h"

#define CSV CV_REC_CSV
#define TXT CV_REC_TEXT
#define LINES CV_REC_LINES

TEST(scan_csv_basic_fields)
{
    CHECK_RECORDS("a,b,c\n1,2,3\n", CSV, NULL, NULL, "L1:[a][b][c]\nL2:[1][2][3]\n");
    /* the last line without a newline is still a record */
    CHECK_RECORDS("a,b\nc,d", CSV, NULL, NULL, "L1:[a][b]\nL2:[c][d]\n");
    /* empty fields, a trailing delimiter, a line of delimiters */
    CHECK_RECORDS("a,,c\na,\n,,\n", CSV, NULL, NULL, "L1:[a][][c]\nL2:[a][]\nL3:[][][]\n");
    CHECK_RECORDS("a,", CSV, NULL, NULL, "L1:[a][]\n");
    /* a blank line is a record with one empty field (the source skips it) */
    CHECK_RECORDS("a\n\nb\n", CSV, NULL, NULL, "L1:[a]\nL2:[]\nL3:[b]\n");
    CHECK_RECORDS("", CSV, NULL, NULL, "");
    CHECK_RECORDS("\n", CSV, NULL, NULL, "L1:[]\n");
}

TEST(scan_csv_quotes)
{
    CHECK_RECORDS("\"a,b\",c\n", CSV, NULL, NULL, "L1:[\"a,b\"][c]\n");
    CHECK_RECORDS("\"say \"\"hi\"\"\",x\n", CSV, NULL, NULL, "L1:[\"say \"hi\"\"][x]\n");
    CHECK_RECORDS("\"\"\"\"\n", CSV, NULL, NULL, "L1:[\"\"\"]\n");
    /* "" is a quoted empty field, distinct from an empty one */
    CHECK_RECORDS("\"\",,\"\"\n", CSV, NULL, NULL, "L1:[\"\"][][\"\"]\n");
    /* a stray quote inside an unquoted field is text */
    CHECK_RECORDS("ab\"c,d\n", CSV, NULL, NULL, "L1:[ab\"c][d]\n");
    /* quoted fields may hold row delimiters; the line count follows them */
    CHECK_RECORDS("1,\"x\ny\nz\"\n2,w\n", CSV, NULL, NULL, "L1:[1][\"x\\x0ay\\x0az\"]\nL4:[2][w]\n");
    CHECK_RECORDS("1,\"a\"\"\n\"\"b\"\n2\n", CSV, NULL, NULL, "L1:[1][\"a\"\\x0a\"b\"]\nL3:[2]\n");
    /* the last field quoted, at the end of the file */
    CHECK_RECORDS("a,\"b\"", CSV, NULL, NULL, "L1:[a][\"b\"]\n");
}

TEST(scan_csv_crlf)
{
    CHECK_RECORDS("a,b\r\nc,d\r\n", CSV, NULL, NULL, "L1:[a][b]\nL2:[c][d]\n");
    CHECK_RECORDS("\"a\",\"b\"\r\n\"c\"\r\n", CSV, NULL, NULL, "L1:[\"a\"][\"b\"]\nL2:[\"c\"]\n");
    CHECK_RECORDS("a,\r\n,\r\n", CSV, NULL, NULL, "L1:[a][]\nL2:[][]\n");
    /* \r\n inside quotes is data */
    CHECK_RECORDS("\"x\r\ny\",z\r\nq\r\n", CSV, NULL, NULL, "L1:[\"x\\x0d\\x0ay\"][z]\nL3:[q]\n");
    /* a \r inside an unquoted field stays */
    CHECK_RECORDS("a\rb,c\n", CSV, NULL, NULL, "L1:[a\\x0db][c]\n");
    CHECK_RECORDS("\"a\"\r", CSV, NULL, NULL, "L1:[\"a\"]\n");
}

TEST(scan_csv_malformed)
{
    /* never closed: the rest of the file is one bad record */
    CHECK_RECORDS("ok,1\n\"open,2\nmore\n", CSV, NULL, NULL,
                  "L1:[ok][1]\nL2: BAD a quoted field is never closed {\"open,2\\x0amore\\x0a}\n");
    /* text after a closing quote: bad, and reading resumes on the next line */
    CHECK_RECORDS("\"a\"b,c\nx,y\n", CSV, NULL, NULL,
                  "L1: BAD text after the closing quote of a field {\"a\"b,c}\nL2:[x][y]\n");
    CHECK_RECORDS("1,\"a\" ,2\n3\n", CSV, NULL, NULL,
                  "L1: BAD text after the closing quote of a field {1,\"a\" ,2}\nL2:[3]\n");
    /* a bad record that spans lines keeps the line count right */
    CHECK_RECORDS("\"a\nb\"x\nz\n", CSV, NULL, NULL,
                  "L1: BAD text after the closing quote of a field {\"a\\x0ab\"x}\nL3:[z]\n");
    CHECK_RECORDS("\"a\"x", CSV, NULL, NULL, "L1: BAD text after the closing quote of a field {\"a\"x}\n");
}

TEST(scan_csv_custom_delimiters)
{
    CHECK_RECORDS("a|b|\n", CSV, "|", NULL, "L1:[a][b][]\n");
    CHECK_RECORDS("a\tb\n", CSV, "\t", NULL, "L1:[a][b]\n");
    /* multi-byte field delimiter: a lone '|' is data */
    CHECK_RECORDS("a||b|c||\"d||e\"\n", CSV, "||", NULL, "L1:[a][b|c][\"d||e\"]\n");
    CHECK_RECORDS("a|", CSV, "||", NULL, "L1:[a|]\n");
    /* multi-byte row delimiter, also inside quotes */
    CHECK_RECORDS("a,b##\"c##\",d##e", CSV, NULL, "##", "L1:[a][b]\nL2:[\"c##\"][d]\nL3:[e]\n");
    CHECK_RECORDS("a#b##", CSV, NULL, "##", "L1:[a#b]\n");
    /* a one-byte row delimiter that is not \n: \n is data */
    CHECK_RECORDS("a\nb;c;", CSV, NULL, ";", "L1:[a\\x0ab]\nL2:[c]\n");
    CHECK_RECORDS("\"a\";\"b\"x;c", CSV, NULL, ";",
                  "L1:[\"a\"]\nL2: BAD text after the closing quote of a field {\"b\"x}\nL3:[c]\n");
}

TEST(scan_text_and_lines)
{
    CHECK_RECORDS("a\001b\001\nc\n", TXT, NULL, NULL, "L1:[a][b][]\nL2:[c]\n");
    /* no quoting in text: quotes are data */
    CHECK_RECORDS("\"a\001b\"\n", TXT, NULL, NULL, "L1:[\"a][b\"]\n");
    CHECK_RECORDS("a,b\r\nc", TXT, ",", NULL, "L1:[a][b]\nL2:[c]\n");
    CHECK_RECORDS("a::b:c::\n", TXT, "::", NULL, "L1:[a][b:c][]\n");
    CHECK_RECORDS("x1y2zz3", TXT, "1", "zz", "L1:[x][y2]\nL2:[3]\n");
    CHECK_RECORDS("{\"a\":1}\r\n\n{\"b\":2}", LINES, NULL, NULL, "L1:[{\"a\":1}]\nL2:[]\nL3:[{\"b\":2}]\n");
    CHECK_RECORDS("one\ntwo", LINES, NULL, NULL, "L1:[one]\nL2:[two]\n");
}

TEST(scan_open_rejects_bad_delimiters)
{
    cv_err e;
    cv_err_clear(&e);
    cv_recreader r;
    CHECK_INT(cv_rec_open(&r, NULL, CSV, "", NULL, &e), CV_ECONFIG);
    CHECK_CONTAINS(e.msg, "delimiters must be 1 to 15 bytes");
    cv_err_clear(&e);
    CHECK_INT(cv_rec_open(&r, NULL, CSV, NULL, "0123456789abcdef", &e), CV_ECONFIG);
}

TEST(scan_delim_decode)
{
    char out[16];
    size_t n;
    REQUIRE_INT(cv_delim_decode("\\t", out, sizeof out, &n), 0);
    CHECK_MEM(out, "\t", 2);
    REQUIRE_INT(cv_delim_decode("\\001", out, sizeof out, &n), 0);
    CHECK_UINT(n, 1);
    CHECK_INT(out[0], 1);
    REQUIRE_INT(cv_delim_decode("\\u0002|", out, sizeof out, &n), 0);
    CHECK_UINT(n, 2);
    CHECK_MEM(out, "\002|", 2);
    REQUIRE_INT(cv_delim_decode("\\r\\n", out, sizeof out, &n), 0);
    CHECK_STR(out, "\r\n");
    REQUIRE_INT(cv_delim_decode("||", out, sizeof out, &n), 0);
    CHECK_STR(out, "||");
    REQUIRE_INT(cv_delim_decode("a\\", out, sizeof out, &n), 0); /* a trailing backslash is itself */
    CHECK_STR(out, "a\\");
    CHECK_INT(cv_delim_decode("", out, sizeof out, &n), CV_EINVAL);
    CHECK_INT(cv_delim_decode("\\u00e9", out, sizeof out, &n), CV_EINVAL); /* not one byte */
    CHECK_INT(cv_delim_decode("\\u12", out, sizeof out, &n), CV_EINVAL);
    CHECK_INT(cv_delim_decode("0123456789abcdef", out, sizeof out, &n), CV_EINVAL);
}

/* ---- chunk boundaries ------------------------------------------------------------ */

#define MIB (1u << 20)

/* A filler record "x…x" plus the row delimiter, exactly len bytes. */
static void filler(cv_buf *b, size_t len, const char *rd)
{
    size_t dl = strlen(rd);
    REQUIRE_INT(cv_buf_reserve(b, len), 0);
    memset(b->data + b->len, 'x', len - dl);
    b->len += len - dl;
    cv_buf_puts(b, rd);
}

static char *expect_after_filler(size_t len, const char *rd, const char *rest)
{
    cv_buf o;
    cv_buf_init(&o);
    cv_buf_puts(&o, "L1:[");
    size_t nx = len - strlen(rd);
    REQUIRE_INT(cv_buf_reserve(&o, nx), 0);
    memset(o.data + o.len, 'x', nx);
    o.len += nx;
    cv_buf_puts(&o, "]\n");
    cv_buf_puts(&o, rest);
    return cv_buf_steal(&o);
}

/* Put `pattern` so that its byte `at` lands on file offset MIB + shift,
 * for shifts around the first chunk boundary, and compare every parse
 * with the expected records after the filler. */
static void across_boundary(const char *pattern, size_t at, cv_rec_mode mode, const char *fd, const char *rd,
                            const char *expected)
{
    for (int shift = -6; shift <= 6; shift++) {
        size_t len = MIB + (size_t)(ptrdiff_t)shift - at;
        cv_buf b;
        cv_buf_init(&b);
        filler(&b, len, rd ? rd : "\n");
        cv_buf_puts(&b, pattern);
        REQUIRE(!b.oom);
        write_file(scratch("boundary"), b.data, b.len);
        cv_buf_free(&b);
        char *got = dump_path(scratch("boundary"), CV_CODEC_NONE, mode, fd, rd, NULL);
        char *want = expect_after_filler(len, rd ? rd : "\n", expected);
        unit_context("pattern %s, shift %d", pattern, shift);
        CHECK_STR(got, want);
        cv_free(got);
        cv_free(want);
    }
    unit_context_clear();
}

TEST(scan_csv_quotes_at_chunk_boundary)
{
    /* the closing quote of a field that has "" escapes */
    across_boundary("\"a\"\"b\",c\nd\n", 3, CSV, NULL, NULL, "L2:[\"a\"b\"][c]\nL3:[d]\n");
    across_boundary("\"a\"\"b\",c\nd\n", 5, CSV, NULL, NULL, "L2:[\"a\"b\"][c]\nL3:[d]\n");
    /* "" as a whole field, at the end of a line */
    across_boundary("a,\"\"\nb\n", 3, CSV, NULL, NULL, "L2:[a][\"\"]\nL3:[b]\n");
    /* a quoted field followed by \r\n */
    across_boundary("\"q\"\r\nz\n", 3, CSV, NULL, NULL, "L2:[\"q\"]\nL3:[z]\n");
    /* newlines inside quotes */
    across_boundary("\"m\nn\",o\np\n", 2, CSV, NULL, NULL, "L2:[\"m\\x0an\"][o]\nL4:[p]\n");
    /* text after a closing quote, with the row end beyond the boundary */
    across_boundary("\"a\"zz\nok\n", 3, CSV, NULL, NULL,
                    "L2: BAD text after the closing quote of a field {\"a\"zz}\nL3:[ok]\n");
}

TEST(scan_delimiters_at_chunk_boundary)
{
    across_boundary("a,b\r\nc\n", 3, CSV, NULL, NULL, "L2:[a][b]\nL3:[c]\n");
    across_boundary("a||b||c\nd\n", 2, CSV, "||", NULL, "L2:[a][b][c]\nL3:[d]\n");
    across_boundary("\"a\"||b\nd\n", 3, CSV, "||", NULL, "L2:[\"a\"][b]\nL3:[d]\n");
    across_boundary("a,b##c##", 3, CSV, NULL, "##", "L2:[a][b]\nL3:[c]\n");
    across_boundary("a::b\r\nc\n", 1, TXT, "::", NULL, "L2:[a][b]\nL3:[c]\n");
    across_boundary("ab@@cd@@", 2, LINES, NULL, "@@", "L2:[ab]\nL3:[cd]\n");
}

TEST(scan_record_longer_than_the_buffer)
{
    /* a 3 MiB quoted field with escapes and newlines, between two rows */
    cv_buf b, want;
    cv_buf_init(&b);
    cv_buf_init(&want);
    cv_buf_puts(&b, "first,1\n\"");
    size_t lines = 0;
    for (size_t i = 0; i < 3 * MIB / 8; i++) {
        const char *piece = i % 1000 == 999 ? "ab\"\"\ncd" : "abcdefgh";
        cv_buf_puts(&b, piece);
        cv_buf_puts(&want, i % 1000 == 999 ? "ab\"\ncd" : "abcdefgh");
        lines += i % 1000 == 999;
    }
    cv_buf_puts(&b, "\",2\nlast,3");
    REQUIRE(!b.oom && !want.oom);
    write_file(scratch("long"), b.data, b.len);
    cv_err e;
    cv_err_clear(&e);
    cv_instream *in;
    REQUIRE_INT(cv_instream_open(scratch("long"), CV_CODEC_NONE, &in, &e), 0);
    cv_recreader r;
    REQUIRE_INT(cv_rec_open(&r, in, CSV, NULL, NULL, &e), 0);
    REQUIRE_INT(cv_rec_next(&r, &e), 1);
    CHECK_UINT(r.nf, 2);
    REQUIRE_INT(cv_rec_next(&r, &e), 1);
    CHECK_UINT(r.line, 2);
    REQUIRE_UINT(r.nf, 2);
    CHECK_UINT(r.f[0].n, want.len);
    CHECK(r.f[0].n == want.len && memcmp(r.f[0].p, want.data, want.len) == 0);
    CHECK(r.f[0].quoted);
    CHECK(r.f[1].n == 1 && r.f[1].p[0] == '2');
    REQUIRE_INT(cv_rec_next(&r, &e), 1);
    CHECK_UINT(r.line, 2 + lines + 1);
    CHECK(r.nf == 2 && r.f[0].n == 4 && memcmp(r.f[0].p, "last", 4) == 0);
    CHECK_INT(cv_rec_next(&r, &e), 0);
    CHECK_INT(cv_rec_next(&r, &e), 0); /* and stays at the end */
    /* memory stays bounded by the longest record */
    CHECK(r.cap <= 8 * MIB);
    cv_rec_close(&r);
    cv_instream_close(in);
    cv_buf_free(&b);
    cv_buf_free(&want);
}

/* A file of one record without a row delimiter: n bytes repeating the
 * two-byte unit (GBK "中" grows by half in UTF-8, so the decoded buffer
 * never lands exactly on a power of two). */
static void huge_line(const char *path, size_t n, const char unit[2])
{
    FILE *f = fopen(path, "wb");
    REQUIRE(f != NULL);
    char *chunk = cv_malloc(MIB);
    REQUIRE(chunk != NULL);
    for (size_t i = 0; i < MIB; i++) chunk[i] = unit[i & 1];
    for (size_t done = 0; done < n;) {
        size_t k = n - done < MIB ? n - done : MIB;
        REQUIRE(fwrite(chunk, 1, k, f) == k);
        done += k;
    }
    cv_free(chunk);
    fclose(f);
}

static void check_too_long(const char *encoding, cv_rec_mode mode, const char unit[2])
{
    const char *path = scratch("huge");
    huge_line(path, CV_REC_MAX_BYTES + MIB, unit);
    cv_err e;
    cv_err_clear(&e);
    cv_instream *in;
    REQUIRE_INT(cv_instream_open(path, CV_CODEC_NONE, &in, &e), 0);
    cv_recreader r;
    REQUIRE_INT(cv_rec_open(&r, in, mode, NULL, NULL, &e), 0);
    REQUIRE_INT(cv_rec_set_encoding(&r, encoding, &e), 0);
    CHECK_INT(cv_rec_next(&r, &e), CV_EDATA);
    CHECK_CONTAINS(e.msg, "a record starting at line 1 is longer than 64 MiB");
    CHECK(r.cap <= CV_REC_MAX_BYTES);
    cv_rec_close(&r);
    cv_instream_close(in);
    unlink(path);
}

TEST(scan_record_over_the_limit_is_an_error)
{
    check_too_long(NULL, TXT, "ab");
    check_too_long(NULL, CSV, "ab");
}

TEST(scan_record_over_the_limit_is_an_error_when_transcoding) { check_too_long("GBK", LINES, "\xd6\xd0"); }

/* Every byte of each input on the chunk boundary in turn: the records
 * must be those of the input read on its own (after the filler). */
static void every_split(const char *input, cv_rec_mode mode, const char *fd, const char *rd)
{
    const char *rdl = rd ? rd : "\n";
    size_t n = strlen(input);
    /* the input alone, after a one-line filler, as the reference */
    cv_buf ref;
    cv_buf_init(&ref);
    filler(&ref, 2 + strlen(rdl), rdl);
    cv_buf_puts(&ref, input);
    write_file(scratch("ref"), ref.data, ref.len);
    char *want = dump_path(scratch("ref"), CV_CODEC_NONE, mode, fd, rd, NULL);
    cv_buf_free(&ref);
    /* the reference's first record is the short filler: swap its dump line */
    const char *rest = strchr(want, '\n');
    REQUIRE(rest != NULL);
    for (size_t at = 0; at <= n; at++) {
        size_t len = MIB - at;
        cv_buf b;
        cv_buf_init(&b);
        filler(&b, len, rdl);
        cv_buf_puts(&b, input);
        write_file(scratch("split"), b.data, b.len);
        cv_buf_free(&b);
        char *got = dump_path(scratch("split"), CV_CODEC_NONE, mode, fd, rd, NULL);
        const char *got_rest = strchr(got, '\n');
        unit_context("input %zu bytes, byte %zu on the boundary", n, at);
        if (CHECK(got_rest != NULL)) CHECK_STR(got_rest, rest);
        cv_free(got);
    }
    unit_context_clear();
    cv_free(want);
}

TEST(scan_every_split_point)
{
    every_split("a,\"b\"\"c\",\"\"\r\n\"x\ny\",\r\n,,\n\"q\"\"\"\n\"open\"x,1\nz", CSV, NULL, NULL);
    every_split("\"a||b\"||c||||\"\"\n\"d\"\"\"||e", CSV, "||", NULL);
    every_split("a,b##\"c##d\"##e##\"f\"##", CSV, NULL, "##");
    every_split("a::b:c::\r\nd::::e\n", TXT, "::", NULL);
    every_split("one@@two@three@@@@", LINES, NULL, "@@");
}
