/* fuzz_value.c — value text for each type. The first byte picks the type
 * (for decimals the next byte picks precision and scale); the rest is the
 * text. A parsed value must print in every style, and the printed text
 * (TEXT style, JAVA for floats) must parse back to an equal value. Two
 * extra modes feed raw bytes to the float printers and to
 * cv_decimal_parse directly. */
#include "data/data.h"
#include "fuzz.h"

#include <math.h>
#include <string.h>

static const cv_type_id ids[] = {
    CV_T_BOOL,   CV_T_I8,    CV_T_I16,  CV_T_I32,  CV_T_I64,       CV_T_F32,          CV_T_F64,
    CV_T_STRING, CV_T_BYTES, CV_T_DATE, CV_T_TIME, CV_T_TIMESTAMP, CV_T_TIMESTAMP_TZ, CV_T_NULL,
};
#define MODE_DECIMAL 14
#define MODE_RAW_DOUBLE 15
#define MODE_RAW_FLOAT 16
#define NMODES 17

static void round_trip(cv_col *c, const char *text, size_t n)
{
    cv_err err;
    cv_err_clear(&err);
    int rc = cv_value_parse(c, text, n, &err);
    if (rc < 0) {
        FUZZ_ASSERT(err.code == rc && err.msg[0], "error %d without a message", rc);
        FUZZ_ASSERT(c->len == 0, "a failed parse appended a value");
        return;
    }
    FUZZ_ASSERT(c->len == 1, "a parse appended %u values", c->len);
    FUZZ_ASSERT(c->owner->err == 0, "append failed: %d", c->owner->err);
    cv_buf out[3];
    for (int st = 0; st < 3; st++) {
        cv_buf_init(&out[st]);
        cv_value_format(c, 0, (cv_fmt_style)st, &out[st]);
        FUZZ_ASSERT(!out[st].oom, "format ran out of memory");
    }
    cv_type_id id = c->type->id;
    if (id != CV_T_STRING && id != CV_T_BYTES) {
        /* JSON style must be a JSON literal */
        FUZZ_ASSERT(out[CV_FMT_JSON].data && fuzz_json_valid(out[CV_FMT_JSON].data), "invalid JSON \"%s\" for \"%.*s\"",
                    out[CV_FMT_JSON].data, (int)n, text);
        const cv_buf *back = (id == CV_T_F32 || id == CV_T_F64) ? &out[CV_FMT_JAVA] : &out[CV_FMT_TEXT];
        cv_err e2;
        cv_err_clear(&e2);
        rc = cv_value_parse(c, back->data, back->len, &e2);
        FUZZ_ASSERT(rc == 0, "printed \"%s\" (from \"%.*s\") does not parse: %s", back->data, (int)n, text, e2.msg);
        FUZZ_ASSERT(cv_value_compare(c, 0, c, 1) == 0, "\"%.*s\" printed as \"%s\" reads back different", (int)n, text,
                    back->data);
    } else {
        FUZZ_ASSERT(out[CV_FMT_JSON].data && fuzz_json_valid(out[CV_FMT_JSON].data), "invalid JSON string for %s",
                    cv_type_name(id));
    }
    for (int st = 0; st < 3; st++) cv_buf_free(&out[st]);
}

static void raw_float(const uint8_t *p, size_t n, bool is_float)
{
    double v;
    if (is_float) {
        if (n < 4) return;
        float f;
        memcpy(&f, p, 4);
        v = f;
    } else {
        if (n < 8) return;
        memcpy(&v, p, 8);
    }
    cv_buf b;
    cv_buf_init(&b);
    cv_f64_format_java(v, is_float, &b);
    FUZZ_ASSERT(b.data, "no output");
    if (!isnan(v) && !isinf(v)) {
        char *end;
        if (is_float) {
            float back = strtof(b.data, &end);
            FUZZ_ASSERT(*end == '\0' && memcmp(&back, &(float){(float)v}, 4) == 0,
                        "float %a printed as %s reads back as %a", v, b.data, (double)back);
        } else {
            double back = strtod(b.data, &end);
            FUZZ_ASSERT(*end == '\0' && memcmp(&back, &v, 8) == 0, "double %a printed as %s reads back as %a", v,
                        b.data, back);
        }
        /* Java's form: a point, and E only for large or small magnitudes */
        FUZZ_ASSERT(strchr(b.data, '.'), "no decimal point in %s", b.data);
        double a = fabs(v);
        bool sci = strchr(b.data, 'E') != NULL;
        FUZZ_ASSERT(sci == (a != 0 && (a < 1e-3 || a >= 1e7)), "notation of %s", b.data);
    }
    cv_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096) return 0;
    unsigned mode = data[0] % NMODES;
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    if (mode == MODE_RAW_DOUBLE || mode == MODE_RAW_FLOAT) {
        raw_float(data + 1, n, mode == MODE_RAW_FLOAT);
        return 0;
    }
    cv_arena a;
    cv_arena_init(&a, 0);
    const cv_type *t;
    if (mode == MODE_DECIMAL) {
        if (n < 1) {
            cv_arena_free(&a);
            return 0;
        }
        unsigned p = 1 + data[1] % CV_DECIMAL_MAX_PRECISION;
        unsigned s = (data[1] / CV_DECIMAL_MAX_PRECISION) % (p + 1);
        t = cv_type_decimal(&a, p, s);
        text++;
        n--;
        /* the raw parser too: it must agree with the column parser */
        cv_i128 v;
        const char *why = NULL;
        int rc = cv_decimal_parse(text, n, p, s, &v, &why);
        if (rc == 0) {
            cv_i128 lim = 1;
            for (unsigned k = 0; k < p; k++) lim *= 10;
            FUZZ_ASSERT(v < lim && v > -lim, "decimal(%u,%u) value out of precision", p, s);
        } else {
            FUZZ_ASSERT(why != NULL, "decimal error without a reason");
        }
    } else {
        t = cv_type_prim(ids[mode]);
    }
    cv_col c;
    if (t && cv_col_init(&c, t) == 0) {
        round_trip(&c, text, n);
        cv_col_destroy(&c);
    }
    cv_arena_free(&a);
    return 0;
}
