/*
 * config — job files: a HOCON parser (JSON is read by the same parser),
 * variable substitution, and option tables that validate plugin settings.
 *
 * Contract:
 *  - cv_config_parse builds a tree of cv_node in the document's arena; every
 *    node keeps its file, line and column. cv_doc_free releases everything.
 *    A document is read-only after parsing and may be shared by threads.
 *  - HOCON rules: objects merge on duplicate keys, later scalars win, dotted
 *    keys nest — except directly inside the root `source`, `transform` and
 *    `sink` objects, where every `Name { … }` block is its own entry in file
 *    order (SeaTunnel's rule, so one plugin may appear twice).
 *  - Variables: `${name}` / `${name:default}` (quoted or not) are resolved
 *    from cv_vars, then the environment, then (unquoted only) from config
 *    paths. An unresolved variable is an error at its position, except the
 *    placeholders that sinks resolve per table (cv_config_is_placeholder).
 *  - Option tables describe a plugin's settings (key, type, default, doc,
 *    flags); cv_options_apply validates a config object against one or more
 *    tables and fills settings structs through field offsets.
 */
#ifndef CV_CONFIG_H
#define CV_CONFIG_H

#include "../base/base.h"

typedef enum {
    CV_NODE_NULL,
    CV_NODE_BOOL,
    CV_NODE_NUMBER,
    CV_NODE_STRING,
    CV_NODE_ARRAY,
    CV_NODE_OBJECT,
    CV__NODE_SUBST,  /* internal: unresolved ${…} */
    CV__NODE_CONCAT, /* internal: value concatenation */
} cv_node_kind;

typedef struct cv_src {
    const char *file;
    const char *text;
} cv_src;

typedef struct cv_node cv_node;
typedef struct cv_member {
    const char *key;
    uint32_t line, col; /* position of the key */
    cv_node *val;
} cv_member;

struct cv_node {
    cv_node_kind kind;
    bool quoted;    /* strings: written in quotes */
    bool keep_dups; /* objects: duplicate keys are separate entries */
    bool dotted;    /* objects: created by a dotted key (a.b = 1) */
    uint32_t line, col;
    const cv_src *src;
    const char *text; /* scalars: the text (numbers verbatim, bools "true") */
    size_t len;
    union {
        struct {
            cv_member *m;
            uint32_t n, cap;
        } obj;
        struct {
            cv_node **v;
            uint32_t n, cap;
        } arr;
    } u;
};

typedef struct cv_doc {
    cv_arena arena;
    cv_node *root;
    cv_src src;
    char *text; /* owned copy of the source text */
} cv_doc;

/* -i name=value pairs. */
typedef struct cv_vars {
    const char **names;
    const char **values;
    size_t n;
    bool no_env; /* do not consult the environment */
} cv_vars;

/* Parse text (not necessarily NUL-terminated) named `file`. On failure the
 * document is still valid for cv_doc_free. */
CV_API int cv_config_parse(cv_doc *doc, const char *file, const char *text, size_t len, const cv_vars *vars,
                           cv_err *err);
CV_API int cv_config_load(cv_doc *doc, const char *path, const cv_vars *vars, cv_err *err);
CV_API void cv_doc_free(cv_doc *doc);
/* True for names that sinks or writers fill in at run time (table_name,
 * transactionId, now, k0 …); they are left verbatim by substitution. */
CV_API bool cv_config_is_placeholder(const char *name, size_t n);
/* Names that `-i` may not set (SeaTunnel's "system placeholders"). */
CV_API bool cv_config_is_reserved_var(const char *name);

/* ---- reading the tree ------------------------------------------------------ */

CV_API cv_pos cv_node_pos(const cv_node *n);
CV_API cv_pos cv_member_pos(const cv_node *obj, const cv_member *m);
/* Member by exact key (the last one when duplicates are kept). */
CV_API const cv_node *cv_node_get(const cv_node *obj, const char *key);
/* Member by dotted path: "a.b" finds a { b } and also a literal "a.b" key. */
CV_API const cv_node *cv_node_path(const cv_node *obj, const char *path);
CV_API const char *cv_node_kind_name(cv_node_kind k);
/* Scalar conversions. Strings convert too ("10" is an integer, "yes" a
 * boolean), as in HOCON. Return false when the node does not convert. */
CV_API bool cv_node_i64(const cv_node *n, int64_t *out);
CV_API bool cv_node_f64(const cv_node *n, double *out);
CV_API bool cv_node_bool(const cv_node *n, bool *out);
/* Text of a scalar (NULL for objects/arrays/null). */
CV_API const char *cv_node_str(const cv_node *n);
static inline bool cv_node_is_scalar(const cv_node *n)
{
    return n->kind == CV_NODE_BOOL || n->kind == CV_NODE_NUMBER || n->kind == CV_NODE_STRING;
}
/* Render a node as JSON (for --json outputs and REST later). */
CV_API void cv_node_to_json(const cv_node *n, cv_buf *out);

/* ---- option tables ------------------------------------------------------------ */

typedef enum {
    CV_OPT_BOOL,    /* bool */
    CV_OPT_INT,     /* int64_t */
    CV_OPT_DOUBLE,  /* double */
    CV_OPT_STRING,  /* const char * (NULL when unset without default) */
    CV_OPT_ENUM,    /* int: index into enums; -1 when unset without default */
    CV_OPT_STRLIST, /* cv_strlist: a list, or a comma-separated string */
    CV_OPT_OBJECT,  /* const cv_node *: an object */
    CV_OPT_LIST,    /* const cv_node *: an array */
    CV_OPT_ANY,     /* const cv_node *: anything */
} cv_opt_type;

enum {
    CV_OPT_REQUIRED = 1u << 0,
    CV_OPT_SECRET = 1u << 1,     /* masked in logs and dumps */
    CV_OPT_DEPRECATED = 1u << 2, /* accepted with a warning naming the replacement */
    CV_OPT_IGNORED = 1u << 3,    /* accepted and ignored, with a note (e.g. spark.*) */
    CV_OPT_PREFIX = 1u << 4,     /* key is a prefix: "spark." matches spark.anything */
};

typedef struct cv_strlist {
    const char **v;
    size_t n;
} cv_strlist;

#define CV_NO_FIELD ((size_t)-1)

typedef struct cv_option {
    const char *key;
    cv_opt_type type;
    const char *def; /* default as config text, NULL = none */
    const char *doc; /* one line */
    size_t offset;   /* into the settings struct, or CV_NO_FIELD */
    uint32_t flags;
    const char *const *enums; /* NULL-terminated, for CV_OPT_ENUM */
    const char *aliases;      /* comma-separated other keys, e.g. old names */
    int64_t min, max;         /* CV_OPT_INT bounds when min < max */
    const char *note;         /* deprecated: the replacement; ignored: why */
} cv_option;

#define CV_ENUMS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* One table and the struct it fills. */
typedef struct cv_optset {
    const cv_option *opts; /* terminated by an entry with key == NULL */
    void *settings;        /* may be NULL to only validate */
} cv_optset;

/* What was given for each option, for plugins that need to know. */
typedef struct cv_optvals {
    const cv_optset *sets;
    size_t nsets;
    const cv_node **given; /* per set, per option: the node given, or NULL */
    size_t *offsets;       /* start index of each set in `given` */
} cv_optvals;

/* Validate `obj` against the tables: unknown keys (with "did you mean" and
 * the valid list), wrong types, bad enum values, out-of-range numbers and
 * missing required options are errors at the offending position. Fills the
 * settings structs, defaults first. `what` names the block in messages
 * ("FakeSource"). vals may be NULL; otherwise free it with cv_optvals_free. */
CV_API int cv_options_apply(cv_arena *a, const cv_node *obj, const cv_optset *sets, size_t nsets, const char *what,
                            cv_optvals *vals, cv_err *err);
CV_API void cv_optvals_free(cv_optvals *v);
/* Process-wide: unknown options become warnings instead of errors (the
 * CLI's --lenient, for migrating job files with typos SeaTunnel ignored). */
CV_API void cv_options_set_lenient(bool on);
CV_API const cv_node *cv_optvals_given(const cv_optvals *v, const char *key);
CV_API const cv_option *cv_option_find(const cv_option *opts, const char *key);
CV_API const char *cv_opt_type_name(cv_opt_type t);
/* Convert one node to an option's type into dst (used for defaults too). */
CV_API int cv_option_convert(cv_arena *a, const cv_option *o, const cv_node *n, void *dst, cv_err *err);
/* Parse a list given as a string: "[a, b]" or "a,b". */
CV_API int cv_strlist_from_text(cv_arena *a, const char *s, cv_strlist *out);

#endif
