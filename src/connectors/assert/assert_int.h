/* assert_int.h — the Assert sink's internals shared by its files: the
 * parsed rules tree (rules.c), the rules bound to the sink's tables with
 * their equals_to expectations (rules.c), the per-row checks (check.c),
 * the catalog checks (catalog.c) and the lifecycle (assert.c).
 *
 * Lifetimes: everything parsed or bound lives in the job arena, except the
 * expectation columns, whose buffers are heap-allocated by cv_col_init and
 * listed in assert_state.expect so that sink_close (or a failing
 * sink_open) destroys them. After sink_open the whole state is read-only,
 * except the per-table row counters, which writers bump atomically. */
#ifndef CV_ASSERT_INT_H
#define CV_ASSERT_INT_H

#include "plugin/plugin.h"

/* field_value rule types, in the order of ASSERT_VALUE_TYPES */
enum { AR_NULL, AR_NOT_NULL, AR_MIN, AR_MAX, AR_MIN_LENGTH, AR_MAX_LENGTH, AR_NONE = -1 };
/* row_rules types, in the order of ASSERT_ROW_TYPES */
enum { AR_MIN_ROW, AR_MAX_ROW };

extern const char *const assert_value_types[];
extern const char *const assert_row_types[];

typedef struct assert_value_rule {
    int type;             /* AR_*, AR_NONE when only equals_to is given */
    const cv_node *node;  /* the entry, for positions */
    const cv_node *limit; /* rule_value as written, NULL when absent */
    double dlimit;
    int64_t ilimit;
    bool integral;         /* rule_value is an exact integer */
    const cv_node *equals; /* equals_to as written, NULL when absent */
} assert_value_rule;

typedef struct assert_field_rule {
    const char *name;
    const cv_node *node;      /* the field rule, for positions */
    const cv_node *name_node; /* field_name */
    const cv_type *type;      /* field_type, NULL when not given */
    assert_value_rule *values;
    uint32_t nvalues;
} assert_field_rule;

typedef struct assert_row_rule {
    int type; /* AR_MIN_ROW or AR_MAX_ROW */
    double limit;
    const char *limit_text;
} assert_row_rule;

/* catalog_table_rule, validated at parse time and checked in sink_open */
typedef struct assert_key_col {
    const char *name;
    bool desc;
} assert_key_col;

typedef struct assert_key_rule {
    const char *name, *kind;
    assert_key_col *cols;
    uint32_t ncols;
} assert_key_rule;

typedef struct assert_col_rule {
    const char *name;
    const cv_type *type;
    const cv_node *node;
    bool has_length, has_nullable;
    int64_t length;
    bool nullable;
    const char *default_value, *comment; /* NULL when not given */
} assert_col_rule;

typedef struct assert_catalog_rule {
    const cv_node *node;
    const cv_node *pk;   /* primary_key_rule, NULL when absent */
    const char *pk_name; /* NULL: any name */
    cv_strlist pk_cols;  /* empty: any columns */
    bool has_keys;
    assert_key_rule *keys;
    uint32_t nkeys;
    bool has_cols;
    assert_col_rule *cols;
    uint32_t ncols;
    const cv_node *ident; /* table_identifier_rule, NULL when absent */
    const char *ident_table;
} assert_catalog_rule;

/* The rules for one table (tables_configs item) or for every table. */
typedef struct assert_rule_set {
    const char *table_path; /* NULL: applies to every table of the sink */
    const cv_node *node;
    assert_row_rule *rows;
    uint32_t nrows;
    assert_field_rule *fields;
    uint32_t nfields;
    assert_catalog_rule *catalog; /* NULL when absent */
    bool used;                    /* bound to some table */
} assert_rule_set;

typedef struct assert_rules {
    assert_rule_set *sets;
    uint32_t nsets;
    bool per_table;       /* tables_configs mode */
    const cv_node *names; /* table-names, NULL when absent or empty */
    cv_strlist table_names;
} assert_rules;

/* A field rule bound to one table's column. */
typedef struct assert_bound {
    const assert_field_rule *rule;
    uint32_t col;
    const cv_type *col_type;
    cv_col **expect; /* per value rule: the equals_to value (row 0), or NULL */
} assert_bound;

typedef struct assert_table {
    const cv_table *table;
    const assert_rule_set *rules; /* NULL when no rules apply */
    assert_bound *bound;
    uint32_t nbound;
    _Atomic uint64_t rows; /* rows received by every writer */
} assert_table;

typedef struct assert_state {
    assert_rules rules;
    assert_table *tables;
    uint32_t ntables;
    CV_VEC(cv_col *) expect; /* every expectation column, for cleanup */
} assert_state;

/* rules.c */
int assert_rules_parse(cv_arena *a, const cv_node *rules, assert_rules *out, cv_err *err);
int assert_bind(cv_sink *s, assert_state *st, cv_err *err);
void assert_state_release(assert_state *st);

/* catalog.c */
int assert_catalog_parse(cv_arena *a, const cv_node *n, assert_catalog_rule **out, cv_err *err);
int assert_catalog_check(const assert_catalog_rule *r, const cv_table *t, cv_err *err);

/* check.c: scratch space of one writer */
typedef struct assert_scratch {
    cv_buf text;
} assert_scratch;

/* Check rows of a batch against the bound field rules; `first_row` is the
 * 1-based number of the batch's first row in its table. */
int assert_check_batch(const assert_table *at, const cv_batch *b, uint64_t first_row, assert_scratch *sc, cv_err *err);
/* Two values of the same type are equal (maps ignore entry order). */
bool assert_value_equal(const cv_col *a, uint32_t i, const cv_col *b, uint32_t j);
/* A value rendered for a message: JSON style, cut after max bytes. */
void assert_value_text(const cv_col *c, uint32_t i, size_t max, cv_buf *out);

#endif
