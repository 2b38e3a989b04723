/* jdbc.h — the Jdbc source and sink: internals shared by their files.
 *
 * SeaTunnel's Jdbc connector reaches every database through a JDBC driver
 * named by `url`. culvert has no JVM: the URL's scheme picks a native
 * dialect (dialect.h) and everything else is written once, here:
 *
 *   url.c        scheme → dialect; known-but-unsupported schemes rejected
 *   options.c    the option tables (SeaTunnel's names, types, defaults)
 *   placeholder.c  ${table_name} & co. in sink options, per upstream table
 *   sql.c        identifiers (field_ide, quoting) and generated SQL
 *   value.c      canonical text for values that cross as text
 *   db.c         connections: sharing per database, transactions, savepoints
 *   savemode.c   schema_save_mode / data_save_mode
 *   source.c     the source plugin: tables, splits, readers
 *   sink.c       the sink plugin: targets, writers, commits
 *   sqlite.c     the SQLite dialect
 *
 * Memory: settings, targets and SQL text live in the job arena (ctx->arena)
 * and are read-only once the plugins are open; per-thread objects (readers,
 * writers, their statements and cursors) are cv_malloc'ed and freed in
 * their close callbacks. Threading: see db.c for the one lock there is.
 */
#ifndef CV_JDBC_H
#define CV_JDBC_H

#include "dialect.h"

/* ---- options -------------------------------------------------------------------- */

enum { JDBC_IDE_ORIGINAL, JDBC_IDE_LOWERCASE, JDBC_IDE_UPPERCASE };
enum {
    JDBC_SCHEMA_RECREATE,
    JDBC_SCHEMA_CREATE_WHEN_NOT_EXIST,
    JDBC_SCHEMA_ERROR_WHEN_NOT_EXIST,
    JDBC_SCHEMA_IGNORE,
};
enum { JDBC_DATA_DROP, JDBC_DATA_APPEND, JDBC_DATA_CUSTOM, JDBC_DATA_ERROR_WHEN_EXISTS };

/* Options both plugins have; first in both settings structs. */
typedef struct jdbc_common_cfg {
    const char *url, *driver, *user, *password, *compatible_mode;
    const cv_node *properties;
    int64_t conn_timeout; /* connection_check_timeout_sec */
} jdbc_common_cfg;

/* One table to read: the top-level options or a `table_list` item. */
typedef struct jdbc_table_cfg {
    const char *table_path, *query;
    const char *partition_column, *lower, *upper; /* bounds as text (BigDecimal) */
    int64_t partition_num;                        /* 0: not set */
    bool use_select_count, skip_analyze;
} jdbc_table_cfg;

typedef struct jdbc_src_cfg {
    jdbc_common_cfg c;
    jdbc_table_cfg t;
    const char *where;
    const cv_node *table_list;
    int64_t fetch_size, split_size, sample_threshold, inverse_rate;
    double factor_lower, factor_upper;
    bool decimal_narrowing;
} jdbc_src_cfg;

typedef struct jdbc_sink_cfg {
    jdbc_common_cfg c;
    const char *query, *database, *table, *custom_sql, *xa_class;
    cv_strlist primary_keys;
    bool generate_sink_sql, enable_upsert, upsert_by_query, pk_updated, insert_only;
    bool exactly_once, auto_commit, use_copy, create_index;
    int64_t batch_size, max_retries, max_commit_attempts, tx_timeout, replica;
    int field_ide, schema_mode, data_mode;
} jdbc_sink_cfg;

extern const cv_option jdbc_source_options[];
extern const cv_option jdbc_sink_options[];
extern const cv_option jdbc_table_list_options[];

/* ---- url ------------------------------------------------------------------------- */

typedef struct jdbc_param {
    const char *key, *value;
} jdbc_param;

struct jdbc_url {
    const jdbc_dialect *dialect;
    const char *scheme; /* "sqlite" */
    const char *target; /* after "jdbc:<scheme>:" up to '?' */
    jdbc_param *params; /* "?k=v&k2=v2", values %-decoded for network urls */
    uint32_t nparams;
    /* network urls, jdbc:<scheme>://host[:port][,host[:port]…][/database]:
     * hosts and ports comma-separated in the same order (a port may be
     * empty: the default); NULL when the url has no such part */
    const char *host, *port, *database;
};

/* Parse `url`: a supported scheme gives its dialect; known databases that
 * have no dialect yet, and anything else, are errors at the option's
 * position (`at`). The URL itself is never echoed (it may hold a password). */
int jdbc_url_parse(cv_arena *a, const char *url, const cv_node *at, jdbc_url *out, cv_err *err);
/* The value of url parameter `key` (case-insensitive), or NULL. */
const char *jdbc_url_param(const jdbc_url *u, const char *key);
/* "jdbc:sqlite:, …" — the schemes that work, for messages and docs. */
void jdbc_url_supported(char *buf, size_t cap);

/* ---- identifiers and SQL text --------------------------------------------------- */

/* Apply field_ide (ORIGINAL / LOWERCASE / UPPERCASE) to an identifier. */
const char *jdbc_ident_case(cv_arena *a, const char *name, int field_ide);
/* Append a quoted identifier (quotes inside doubled). */
void jdbc_quote(const jdbc_dialect *d, const char *name, cv_buf *sql);
/* Append [schema.]table, quoted. */
void jdbc_quote_path(const jdbc_dialect *d, const char *schema, const char *table, cv_buf *sql);

/* A table to write, with everything the generated SQL needs. */
typedef struct jdbc_target {
    const cv_table *in;                /* the upstream table */
    const char *schema, *name;         /* target table (schema may be NULL) */
    const char *display;               /* [schema.]name for messages */
    const char *qualified;             /* quoted [schema.]name for SQL */
    const char **cols;                 /* target column names, per upstream column */
    uint32_t *key, nkey;               /* upstream columns of the key */
    uint32_t *other, nother;           /* the rest */
    uint32_t *all;                     /* 0 … ncols-1 */
    const char *custom;                /* the custom `query` for this table, or NULL */
    const char *custom_sql;            /* `custom_sql` for this table (CUSTOM_PROCESSING) */
    const char *insert, *upsert, *del; /* generated statements */
    const char *update, *exists;       /* for upserts without the dialect's clause */
    uint32_t *upd, nupd;               /* parameters of `update`: SET columns, then the key */
    int same_as;                       /* index of an earlier target with this table, or -1 */
} jdbc_target;

int jdbc_sql_create_table(const jdbc_dialect *d, const jdbc_target *t, cv_buf *sql, cv_err *err);
/* CREATE [UNIQUE] INDEX statements for the upstream table's constraint
 * keys, separated by ";\n" (empty when there are none). */
void jdbc_sql_create_indexes(const jdbc_dialect *d, const jdbc_target *t, cv_buf *sql);
/* INSERT / upsert / DELETE / UPDATE / exists statements of a target. */
int jdbc_sql_build(cv_arena *a, const jdbc_dialect *d, jdbc_target *t, bool pk_updated, cv_err *err);

/* ---- values as text -------------------------------------------------------------- */

/* Canonical text of value i of c for values that cross as text: decimals
 * plainly (scale digits kept), dates yyyy-MM-dd, times HH:mm:ss[.fff…],
 * timestamps yyyy-MM-dd HH:mm:ss[.ffffff] (plus "Z" with a zone), and
 * arrays, maps and rows as JSON. Other types print as CV_FMT_TEXT. */
void jdbc_value_text(const cv_col *c, uint32_t i, cv_buf *out);
/* Numeric value i of c (an integer, decimal, float or double) as the
 * double (to_float: the float) a floating-point column would hold, in
 * *out; true when that reads back as the same value — for a decimal, when
 * the real's shortest digits are the decimal's (0.1 is exact, 0.1000000001
 * is not as a float). NaN is exact. */
bool jdbc_real_exact(const cv_col *c, uint32_t i, bool to_float, double *out);
/* A value that does not fit its column: "<table>, column <c>, row <n>:
 * <why>" as a CV_EDATA error. */
int jdbc_value_error(cv_err *err, const char *table, const char *column, uint64_t row, const char *fmt, ...)
    CV_PRINTF(5, 6);
/* Split a declared type "DECIMAL(10, 2)" into its upper-cased name with
 * single spaces ("DECIMAL") and up to two arguments. */
void jdbc_decl_split(const char *decl, char *name, size_t cap, int64_t args[2], int *nargs);

/* ---- connections ----------------------------------------------------------------- */

/* A connection and the lock that serialises its use. Databases that take
 * one writer at a time (SQLite) get one shared jdbc_db per database and
 * job: every writer of every sink writes through it, so writers never
 * wait on each other's file locks. Others get one jdbc_db per opener. */
typedef struct jdbc_db jdbc_db;

/* Rows a writer wrote to a table, reported to the engine (cv_writer_acked)
 * while their transaction is open or prepared. */
typedef struct jdbc_ack {
    cv_writer *w;
    const cv_table *t;
    int64_t n;
} jdbc_ack;
typedef struct jdbc_acks {
    jdbc_ack *v; /* cv_malloc'ed */
    size_t n;
} jdbc_acks;

int jdbc_db_open(const jdbc_connect_opts *o, bool shared, jdbc_db **out, cv_err *err);
/* Drop a reference; the last one rolls back an open transaction and
 * disconnects. NULL is ignored. */
void jdbc_db_close(jdbc_db *db);
jdbc_conn *jdbc_db_conn(jdbc_db *db);
const jdbc_dialect *jdbc_db_dialect(const jdbc_db *db);
void jdbc_db_lock(jdbc_db *db);
void jdbc_db_unlock(jdbc_db *db);
/* Under the lock: open the transaction if none is open, then a savepoint
 * for one batch; end the savepoint (ok) or undo it (after a failure). */
int jdbc_db_batch_begin(jdbc_db *db, cv_err *err);
int jdbc_db_batch_end(jdbc_db *db, bool ok, cv_err *err);
/* Under the lock, once a batch's savepoint is released: n rows the
 * database acknowledged for w and table t; reported to the engine now,
 * taken back if the transaction rolls back. */
int jdbc_db_acked(jdbc_db *db, cv_writer *w, const cv_table *t, int64_t n, cv_err *err);
/* Under the lock: undo what the current batch wrote so far and keep its
 * savepoint, to write it again another way. */
int jdbc_db_batch_undo(jdbc_db *db, cv_err *err);
/* Under the lock: commit / roll back the open transaction, if any. */
int jdbc_db_commit(jdbc_db *db, cv_err *err);
void jdbc_db_rollback(jdbc_db *db);
/* Under the lock: two-phase commit. set_xa names the transaction the next
 * batch opens (NULL: a plain one); prepare ends the open one prepared,
 * appends its name to gid and hands its rows to the caller in *acks (to
 * cv_free; nothing when no transaction is open). */
void jdbc_db_set_xa(jdbc_db *db, const char *gid);
int jdbc_db_prepare(jdbc_db *db, cv_buf *gid, jdbc_acks *acks, cv_err *err);

/* Connection options from the common settings. */
void jdbc_connect_opts_init(jdbc_connect_opts *o, const jdbc_url *u, const jdbc_common_cfg *c, const cv_ctx *ctx,
                            bool read_only);

/* ---- save modes ------------------------------------------------------------------- */

/* Run schema_save_mode then data_save_mode for every distinct target. */
int jdbc_save_modes(jdbc_db *db, cv_arena *a, const jdbc_sink_cfg *cfg, const char *dbname, const jdbc_target *targets,
                    uint32_t n, cv_err *err);

/* ---- small helpers ---------------------------------------------------------------- */

static inline int jdbc_nomem(cv_err *err) { return cv_err_set(err, CV_ENOMEM, "out of memory"); }
/* Position of an option the job set (or of the plugin block). */
cv_pos jdbc_opt_pos(const cv_optvals *given, const cv_node *block, const char *key);

#endif
