/* helpers.h — small conveniences shared by the data-layer tests. */
#ifndef CV_UNIT_DATA_HELPERS_H
#define CV_UNIT_DATA_HELPERS_H

#include "data/data.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>

/* Parse a type or abandon the test. */
static inline const cv_type *ty(cv_arena *a, const char *s)
{
    const cv_type *t = NULL;
    cv_err e;
    cv_err_clear(&e);
    if (cv_type_parse(a, s, &t, &e) < 0) {
        unit__fail(__FILE__, __LINE__, "type \"%s\" does not parse: %s", s, e.msg);
        unit__abort();
    }
    return t;
}

/* Format value i of c into a static buffer (one per style, reused). */
static inline const char *fmtv(const cv_col *c, uint32_t i, cv_fmt_style st)
{
    static char out[3][4096];
    cv_buf b;
    cv_buf_init(&b);
    cv_value_format(c, i, st, &b);
    snprintf(out[st], sizeof out[st], "%s", b.data ? b.data : "");
    cv_buf_free(&b);
    return out[st];
}

static inline int vparse(cv_col *c, const char *s, cv_err *e)
{
    cv_err_clear(e);
    return cv_value_parse(c, s, strlen(s), e);
}

#endif
