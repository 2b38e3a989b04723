/* fuzz_datefmt.c — java.time patterns (formats/datefmt.c: date_format,
 * datetime_format, time_format, filename_time_format, FORMATDATETIME …).
 * Input: the pattern, a newline, then text to parse with it. A pattern
 * compiles or says why; the text parses or not, without reading past it;
 * and where the pattern names each field at most once, separated by
 * literals, formatting is a fixed point: format(parse(format(t))) ==
 * format(t), for times across the supported range and for whatever the
 * text parsed to. */
#include "formats/formats.h"
#include "fuzz.h"

/* Each field at most once, every number followed by a non-digit literal
 * or the end (next to other digits a field needs its exact width, which a
 * wider value — year 12345, month 11 for M — breaks: ambiguous in Java
 * too), and no h/a/yy, which drop information on purpose. */
static bool round_trips(const cv_datefmt *f)
{
    unsigned seen = 0;
    for (uint8_t k = 0; k < f->n; k++) {
        uint8_t op = f->op[k];
        if (op == 0) continue; /* a literal */
        if (seen & (1u << op)) return false;
        seen |= 1u << op;
        if (k + 1 < f->n && (f->op[k + 1] != 0 || (f->lit[k + 1] >= '0' && f->lit[k + 1] <= '9'))) return false;
    }
    /* datefmt.c's op codes (its enum): 0 literal, 2 yy, 6 h, 10 a */
    return !(seen & (1u << 2 | 1u << 6 | 1u << 10));
}

static void fixed_point(const cv_datefmt *f, int64_t t)
{
    cv_buf s1, s2;
    cv_buf_init(&s1);
    cv_buf_init(&s2);
    cv_datefmt_format(f, t, &s1);
    if (s1.oom) goto out;
    FUZZ_ASSERT(s1.len <= (size_t)f->n * 24, "pattern \"%s\" formatted %zu bytes", f->pattern, s1.len);
    int64_t back = 0;
    if (round_trips(f) && cv_datefmt_parse(f, s1.data ? s1.data : "", s1.len, &back)) {
        cv_datefmt_format(f, back, &s2);
        if (s2.oom) goto out;
        FUZZ_ASSERT(s1.len == s2.len && (!s1.len || memcmp(s1.data, s2.data, s1.len) == 0),
                    "pattern \"%s\": %lld formats as \"%s\", which parses to %lld, formatted \"%s\"", f->pattern,
                    (long long)t, s1.data ? s1.data : "", (long long)back, s2.data ? s2.data : "");
    }
out:
    cv_buf_free(&s1);
    cv_buf_free(&s2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    const char *nl = memchr(data, '\n', size);
    size_t plen = nl ? (size_t)(nl - (const char *)data) : size;
    char *pattern = cv_strndup((const char *)data, plen);
    size_t tlen = nl ? size - plen - 1 : 0;
    char *text = cv_malloc(tlen ? tlen : 1); /* exact size: reads past it are caught */
    if (!pattern || !text) goto out;
    if (tlen) memcpy(text, nl + 1, tlen);

    cv_datefmt f;
    const char *why = NULL;
    if (cv_datefmt_compile(pattern, &f, &why) < 0) {
        FUZZ_ASSERT(why && why[0], "pattern \"%s\" rejected without a reason", pattern);
        goto out;
    }
    FUZZ_ASSERT(f.n <= CV_DATEFMT_MAX_OPS, "too many ops");
    static const int64_t times[] = {
        0,                    /* 1970-01-01 00:00:00 */
        1700000000123456LL,   /* 2023-11-14 22:13:20.123456 */
        -1LL,                 /* the last microsecond of 1969 */
        951782400000000LL,    /* 2000-02-29 */
        253402300799999999LL, /* 9999-12-31 23:59:59.999999 */
        -62135596800000000LL, /* 0001-01-01 */
        43200000000LL,        /* noon */
    };
    for (size_t i = 0; i < sizeof times / sizeof *times; i++) fixed_point(&f, times[i]);
    int64_t t = 0;
    if (cv_datefmt_parse(&f, text, tlen, &t)) fixed_point(&f, t);
out:
    cv_free(text);
    cv_free(pattern);
    return 0;
}
