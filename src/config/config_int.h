/* config_int.h — internal cross-file helpers of the config module. */
#ifndef CV_CONFIG_INT_H
#define CV_CONFIG_INT_H

#include "config.h"

#include <stdio.h>

int cv__parse_text(cv_doc *doc, size_t len, cv_err *err);
int cv__parse_value_text(cv_doc *doc, const cv_src *src, size_t len, cv_node **out, cv_err *err);
void cv__repoint(cv_node *n, const cv_src *from, const cv_src *to);
int cv__resolve(cv_doc *doc, const cv_vars *vars, cv_err *err);
int cv__obj_append(cv_arena *a, cv_node *obj, const char *key, uint32_t line, uint32_t col, cv_node *val);
int cv__obj_set(cv_arena *a, cv_node *obj, const char *key, uint32_t line, uint32_t col, cv_node *val);

static inline bool cv__looks_numeric(const char *s, size_t n)
{
    if (n == 0) return false;
    size_t i = s[0] == '-' ? 1 : 0;
    if (i < n && s[i] == '.') i++;
    return i < n && s[i] >= '0' && s[i] <= '9';
}

#endif
