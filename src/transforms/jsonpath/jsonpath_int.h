/* jsonpath_int.h — the pieces of the JsonPath transform: a JSON document
 * tree (jdom.c) and JSONPath expressions over it (jpath.c). Internal to
 * src/transforms/jsonpath/.
 *
 * Contract:
 *  - Trees live in a caller's arena, which the transform resets per row;
 *    strings without escapes point into the parsed text, which must
 *    outlive the tree.
 *  - Parsing is as lenient as SeaTunnel's (Jayway JsonPath on json-smart in
 *    permissive mode): single-quoted strings, unquoted keys and unquoted
 *    string values are accepted.
 *  - A compiled path is read-only and shared by threads. */
#ifndef CV_JSONPATH_INT_H
#define CV_JSONPATH_INT_H

#include "plugin/plugin.h"

typedef enum { CV__J_NULL, CV__J_BOOL, CV__J_NUM, CV__J_STR, CV__J_ARR, CV__J_OBJ } cv__jkind;

typedef struct cv__jnode cv__jnode;
struct cv__jnode {
    cv__jkind kind;
    uint32_t len;     /* scalars: text length; containers: number of children */
    const char *text; /* STR: the unescaped string; NUM: as written; BOOL: "true"/"false" */
    const char *key;  /* member of an object: its key (unescaped) */
    uint32_t keylen;
    cv__jnode *child; /* containers: first child */
    cv__jnode *next;  /* next sibling */
};

/* Parse n bytes of JSON; NULL with *why set on bad input or when out of
 * memory (*why = "out of memory"). */
cv__jnode *cv__jdom_parse(cv_arena *a, const char *s, size_t n, const char **why);
/* Compact JSON text of a node (strings escaped, numbers as written). */
void cv__jdom_write(const cv__jnode *v, cv_buf *out);

typedef struct cv__jpath cv__jpath;
/* Compile a JSONPath: $, .name, ['name'], [n], [-n], [n,m], [a:b], [*], .*,
 * ..name, ..*. Other syntax (filters, functions) is an error with why. */
int cv__jpath_compile(cv_arena *a, const char *path, cv__jpath **out, const char **why, size_t *at);
/* True when the path can yield at most one value (no wildcard, scan,
 * slice or index list): then a missing value is an error, as in Jayway. */
bool cv__jpath_definite(const cv__jpath *p);
/* Evaluate: a definite path returns its node or NULL (not found); an
 * indefinite one returns an array node (maybe empty) of the matches. */
cv__jnode *cv__jpath_eval(cv_arena *a, const cv__jpath *p, cv__jnode *root, const char **why);

#endif
