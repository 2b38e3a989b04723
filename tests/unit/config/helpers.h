/* helpers.h — parse a config from a string and look at it as JSON. */
#ifndef CV_UNIT_CONFIG_HELPERS_H
#define CV_UNIT_CONFIG_HELPERS_H

#include "config/config.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>

/* The last parse, kept for the test to inspect. */
static cv_doc cfg_doc;
static cv_err cfg_err;

/* Parse text with optional -i pairs (name, value, name, value, …, NULL);
 * returns the code. The environment is not consulted unless use_env. */
static inline int cfg_parse_vars(const char *text, bool use_env, const char *const *pairs)
{
    const char *names[16], *values[16];
    size_t n = 0;
    for (; pairs && pairs[2 * n] && n < 16; n++) {
        names[n] = pairs[2 * n];
        values[n] = pairs[2 * n + 1];
    }
    cv_vars v = {names, values, n, !use_env};
    cv_err_clear(&cfg_err);
    cv_doc_free(&cfg_doc);
    return cv_config_parse(&cfg_doc, "job.conf", text, strlen(text), &v, &cfg_err);
}

static inline int cfg_parse(const char *text) { return cfg_parse_vars(text, false, NULL); }

/* The parsed document as compact JSON, or "ERROR line:col: msg". */
static inline const char *cfg_json(const char *text)
{
    static char out[8192];
    if (cfg_parse(text) < 0) {
        snprintf(out, sizeof out, "ERROR %u:%u: %s", cfg_err.line, cfg_err.col, cfg_err.msg);
        return out;
    }
    cv_buf b;
    cv_buf_init(&b);
    cv_node_to_json(cfg_doc.root, &b);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    cv_buf_free(&b);
    return out;
}

static inline const char *node_json(const cv_node *n)
{
    static char out[8192];
    if (!n) return "(absent)";
    cv_buf b;
    cv_buf_init(&b);
    cv_node_to_json(n, &b);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    cv_buf_free(&b);
    return out;
}

/* Release the last document (tests call this at their end). */
static inline void cfg_done(void) { cv_doc_free(&cfg_doc); }

#endif
