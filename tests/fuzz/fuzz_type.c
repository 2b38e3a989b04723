/* fuzz_type.c — SeaTunnel type strings ("decimal(10, 2)", "map<string,
 * {a = int}>", "row<a int>"). A parsed type must print, and the printed
 * form must parse back to an equal type (when its field names are plain
 * identifiers, the only names the printed form can carry). */
#include "data/data.h"
#include "fuzz.h"

#include <string.h>

static bool plain_names(const cv_type *t)
{
    switch (t->id) {
    case CV_T_ARRAY: return plain_names(t->elem);
    case CV_T_MAP: return plain_names(t->elem) && plain_names(t->value);
    case CV_T_ROW:
        for (uint32_t i = 0; i < t->nfields; i++) {
            const char *n = t->fields[i].name;
            if (!*n) return false;
            for (const char *p = n; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
                      *p == '$' || *p == '-'))
                    return false;
            if (!plain_names(t->fields[i].type)) return false;
        }
        return true;
    default: return true;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    char *s = cv_strndup((const char *)data, size);
    if (!s) return 0;
    cv_arena a;
    cv_arena_init(&a, 0);
    cv_err err;
    cv_err_clear(&err);
    const cv_type *t = NULL;
    int rc = cv_type_parse(&a, s, &t, &err);
    if (rc < 0) {
        FUZZ_ASSERT(err.code == rc && err.msg[0], "error %d without a message", rc);
    } else {
        FUZZ_ASSERT(t != NULL, "success without a type");
        cv_buf b;
        cv_buf_init(&b);
        cv_type_format(t, &b);
        FUZZ_ASSERT(b.data && !b.oom, "type did not print");
        char small[32];
        cv_type_str(t, small, sizeof small);
        if (plain_names(t)) {
            const cv_type *t2 = NULL;
            cv_err e2;
            cv_err_clear(&e2);
            int rc2 = cv_type_parse(&a, b.data, &t2, &e2);
            FUZZ_ASSERT(rc2 == 0, "printed type \"%s\" (from \"%s\") does not parse: %s", b.data, s, e2.msg);
            FUZZ_ASSERT(cv_type_equal(t, t2), "\"%s\" reads back as a different type", b.data);
            cv_buf b2;
            cv_buf_init(&b2);
            cv_type_format(t2, &b2);
            FUZZ_ASSERT(strcmp(b.data, b2.data) == 0, "printing is not stable: %s vs %s", b.data, b2.data);
            cv_buf_free(&b2);
        }
        cv_buf_free(&b);
        /* a column of the type can be created, filled with NULLs and freed */
        cv_col c;
        if (cv_col_init(&c, t) == 0) {
            cv_col_append_null(&c);
            cv_col_append_null(&c);
            cv_col_destroy(&c);
        }
    }
    cv_arena_free(&a);
    cv_free(s);
    return 0;
}
