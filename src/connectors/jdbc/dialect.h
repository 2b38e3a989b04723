/* dialect.h — what a database must provide to the Jdbc source and sink.
 *
 * Everything that is the same for every database lives in the shared files
 * of this folder: options, URL dispatch, sink placeholders, SQL text
 * (CREATE TABLE, INSERT, upserts, DELETE, splits), save modes, batching,
 * transactions and connection sharing. A dialect adds only what differs:
 * how to connect, how to quote, how types map, the upsert clause, and how
 * values cross the client library — one file per database: sqlite.c,
 * postgres.c over libpq and mysql.c over libmariadb.
 *
 * Contract:
 *  - Every function returns 0 or a negative CV_E* code with err filled in;
 *    CV_ERETRY marks transient failures (a lock held elsewhere) so that the
 *    engine can back off and redeliver the batch.
 *  - A jdbc_conn is used by one thread at a time; the shared code holds
 *    the owning jdbc_db's mutex around every call that takes a connection
 *    (dialects do no locking of their own).
 *  - Statements and cursors belong to the connection they were made on
 *    and are released before it closes.
 *  - Hot paths take whole batches: exec_rows binds and runs many rows per
 *    call and cursor_fetch fills a batch per call, so there is no function
 *    pointer per row or per value.
 */
#ifndef CV_JDBC_DIALECT_H
#define CV_JDBC_DIALECT_H

#include "plugin/plugin.h"

typedef struct jdbc_conn jdbc_conn;
typedef struct jdbc_stmt jdbc_stmt;
typedef struct jdbc_cursor jdbc_cursor;
typedef struct jdbc_url jdbc_url;
struct jdbc_target;

/* Rows rows[0..n) of batch b: bulk writes take several such parts, so
 * that one COPY can span several engine batches. */
typedef struct jdbc_rows {
    const cv_batch *b;
    const uint32_t *rows;
    uint32_t n;
} jdbc_rows;

/* How to connect: the parsed URL plus the connection options. */
typedef struct jdbc_connect_opts {
    const jdbc_url *url;
    const char *user, *password;
    const cv_node *properties; /* `properties { … }` or NULL */
    int64_t timeout_ms;        /* how long to wait for locks / the server */
    bool read_only;            /* sources, and sinks under `culvert check` */
    const cv_ctx *ctx;         /* cancellation for long waits */
} jdbc_connect_opts;

/* One column of a query result, as the database describes it. */
typedef struct jdbc_result_col {
    const char *name;
    const cv_type *type; /* mapped culvert type */
    int64_t length;      /* VARCHAR(n) and the like; 0 when unknown */
    int64_t scale;       /* fractional digits of TIME(p) / TIMESTAMP(p); 0 when unknown */
    bool nullable;
    const char *decl;         /* declared type, NULL for expressions */
    const char *origin_db;    /* the table the column comes from, or NULL */
    const char *origin_table; /* … */
} jdbc_result_col;

/* A table's key, from the catalog. */
typedef struct jdbc_table_keys {
    bool exists;
    const char **pk; /* primary key columns in key order */
    uint32_t npk;
} jdbc_table_keys;

typedef struct jdbc_dialect {
    const char *name;      /* "SQLite", for messages */
    const char *begin_sql; /* starts a write transaction */
    const char *quote;     /* identifier quote, opening and closing */
    bool one_writer;       /* one writer at a time: writers share one connection per database */
    bool schema_qualifies; /* a table may be written schema.table */
    bool has_truncate;     /* TRUNCATE TABLE exists (else DELETE FROM) */
    bool index_in_schema;  /* CREATE INDEX schema.name ON table (SQLite), not name ON schema.table */
    /* "CREATE SCHEMA IF NOT EXISTS " (PostgreSQL) or "CREATE DATABASE IF
     * NOT EXISTS " (MySQL: a schema is a database): run before creating a
     * table in a schema; NULL when schemas cannot be created (SQLite) */
    const char *create_schema;
    /* a schema is a database (MySQL): the sink's `database` option is the
     * schema of tables written without one; otherwise `database` names
     * the database to connect to (PostgreSQL) */
    bool schema_is_database;
    /* key columns cannot be unbounded text (MySQL): a string or bytes key
     * column of unknown length is created with this length; 0: no limit */
    int64_t key_string_length;

    int (*connect)(const jdbc_connect_opts *o, jdbc_conn **out, cv_err *err);
    void (*disconnect)(jdbc_conn *c);
    /* The identity of the database, so that writers of one database can
     * share a connection (one_writer dialects): e.g. a file's real path. */
    int (*share_key)(const jdbc_url *u, cv_buf *out);
    /* A short human name of the database for messages (the file). */
    const char *(*describe_target)(const jdbc_url *u);
    /* True for databases that live only while connected (in memory,
     * temporary): nothing exists in them to check a statement against. */
    bool (*ephemeral)(const jdbc_url *u);

    /* culvert column → column type text for CREATE TABLE. */
    int (*ddl_type)(const cv_column *c, cv_buf *out, cv_err *err);
    /* Upsert: text appended to "INSERT INTO t (cols) VALUES (?, …)".
     * keys/others are quoted column names; nothers may be 0. */
    void (*upsert_clause)(cv_buf *sql, const char *const *keys, uint32_t nkeys, const char *const *others,
                          uint32_t nothers);

    /* Commit the open transaction (waiting for readers as long as the
     * connection's timeout allows). */
    int (*commit)(jdbc_conn *c, cv_err *err);
    /* Run SQL without results (several statements allowed). */
    int (*exec)(jdbc_conn *c, const char *sql, cv_err *err);
    /* First column of the first row as an integer; *isnull when NULL or
     * when there is no row. */
    int (*query_i64)(jdbc_conn *c, const char *sql, int64_t *out, bool *isnull, cv_err *err);
    /* Whether schema.table exists (schema NULL: the default one) and its
     * primary key. */
    int (*table_keys)(jdbc_conn *c, cv_arena *a, const char *schema, const char *table, jdbc_table_keys *out,
                      cv_err *err);

    /* A statement whose parameters take columns cols[0..ncols) of batches
     * of table t, in that order. */
    int (*prepare)(jdbc_conn *c, const char *sql, const cv_table *t, const uint32_t *cols, uint32_t ncols,
                   jdbc_stmt **out, cv_err *err);
    int (*param_count)(const jdbc_stmt *s);
    /* Optional: the target columns the parameters of a generated
     * statement write (cols[k] for parameter k of schema.table), so the
     * dialect can refuse values the column would store as others. */
    int (*param_columns)(jdbc_stmt *s, const char *schema, const char *table, const char *const *cols, uint32_t n,
                         cv_err *err);
    /* Bind and run the statement once per row rows[0..n) of b. */
    int (*exec_rows)(jdbc_stmt *s, const cv_batch *b, const uint32_t *rows, uint32_t n, cv_err *err);
    /* Rows the server acknowledged writing since the last call, and reset:
     * the sum over exec_rows and bulk writes (bulk_end for streams) of
     * what the server answered — a COPY's row count, a statement's
     * affected rows (an upsert row counts once, inserted or updated),
     * sqlite3_changes. Failed writes add nothing. The sink compares it
     * with the rows it sent and reports it as the rows written. */
    uint64_t (*take_acked)(jdbc_conn *c);
    /* Bind row `row` and tell whether the query returns a row. */
    int (*exists_row)(jdbc_stmt *s, const cv_batch *b, uint32_t row, bool *found, cv_err *err);
    void (*finalize)(jdbc_stmt *s);

    /* The columns a query returns (mapped to culvert types), without
     * reading its rows unless a column's type can only be seen in data. */
    int (*describe)(jdbc_conn *c, const char *sql, cv_arena *a, jdbc_result_col **cols, uint32_t *ncols, cv_err *err);
    int (*cursor_open)(jdbc_conn *c, const char *sql, const cv_table *t, const char *label, jdbc_cursor **out,
                       cv_err *err);
    /* Append rows to b until it is full or the result ends (*done). */
    int (*cursor_fetch)(jdbc_cursor *cur, cv_batch *b, bool *done, cv_err *err);
    void (*cursor_close)(jdbc_cursor *cur);

    /* ---- optional: NULL when the database has no such thing ---- */

    /* Bulk write: the rows of parts[0..nparts) into target t in one go (PostgreSQL
     * COPY FROM STDIN binary; MySQL multi-row INSERT or LOAD DATA). op
     * JDBC_BULK_INSERT adds the rows (t->insert's meaning), op
     * JDBC_BULK_UPSERT adds or replaces them by t's key (t->upsert's).
     * Returns 0, a negative CV_E* code, or:
     *  - JDBC_BULK_DECLINED: the dialect does not write this target (or
     *    this op) in bulk; nothing was done, statements must;
     *  - JDBC_BULK_CONFLICT (JDBC_BULK_INSERT only): a unique key refused
     *    a row; err holds the server's message naming the key. Some rows
     *    may have been written and the transaction may be unusable until
     *    the caller rolls back to its savepoint.
     * The sink upserts by JDBC_BULK_UPSERT, else by an optimistic
     * JDBC_BULK_INSERT in a savepoint that it rolls back on a conflict
     * before upserting the same rows by statement; a conflict of plain
     * inserts fails the job (statements would meet the same key). */
    int (*bulk)(jdbc_conn *c, const struct jdbc_target *t, int op, const jdbc_rows *parts, uint32_t nparts,
                cv_err *err);

    /* Streaming bulk write, where the dialect can keep one open across
     * calls (PostgreSQL COPY): start (0, or JDBC_BULK_DECLINED: not in
     * bulk, nothing done), add parts as they come, end. end returns what
     * bulk returns; end with abort stops the stream and discards it (the
     * caller then rolls back to its savepoint). A failed add has already
     * stopped the stream. Nothing else may use the connection while a
     * stream is open. */
    int (*bulk_start)(jdbc_conn *c, const struct jdbc_target *t, int op, cv_err *err);
    int (*bulk_add)(jdbc_conn *c, const jdbc_rows *part, cv_err *err);
    int (*bulk_end)(jdbc_conn *c, bool abort, cv_err *err);
    /* After a bulk write failed or met a key: which of its rows (from 1,
     * across its parts) the server refused, 0 when the server did not say. */
    uint64_t (*bulk_bad_row)(const jdbc_conn *c);

    /* Two-phase commit (is_exactly_once): xa_begin opens the transaction
     * named gid (instead of begin_sql); xa_prepare ends it prepared, so
     * that it survives the connection and a crash; xa_commit and
     * xa_rollback finish a prepared transaction from any connection and
     * succeed when gid is not pending any more (committing twice is
     * harmless: commit infos are re-committed after a restore). gids are
     * at most 64 bytes of [A-Za-z0-9_-]. */
    int (*xa_begin)(jdbc_conn *c, const char *gid, cv_err *err);
    int (*xa_prepare)(jdbc_conn *c, const char *gid, cv_err *err);
    int (*xa_commit)(jdbc_conn *c, const char *gid, cv_err *err);
    int (*xa_rollback)(jdbc_conn *c, const char *gid, cv_err *err);
    /* The gids of prepared transactions that start with prefix. */
    int (*xa_pending)(jdbc_conn *c, const char *prefix, cv_arena *a, const char ***gids, uint32_t *n, cv_err *err);
    /* Which runs are alive, so that a run rolls back only what dead runs
     * left prepared: run_lock takes the lock `name` (at most 64 bytes) for
     * as long as this connection lives, without waiting (PostgreSQL: an
     * advisory lock, MySQL: GET_LOCK); run_alive tells whether some
     * connection holds it. */
    int (*run_lock)(jdbc_conn *c, const char *name, cv_err *err);
    int (*run_alive)(jdbc_conn *c, const char *name, bool *alive, cv_err *err);
} jdbc_dialect;

enum { JDBC_BULK_INSERT, JDBC_BULK_UPSERT };
enum { JDBC_BULK_DECLINED = 1, JDBC_BULK_CONFLICT = 2 };

extern const jdbc_dialect jdbc_sqlite;
extern const jdbc_dialect jdbc_postgres; /* postgres.c, when built with libpq */
extern const jdbc_dialect jdbc_mysql;    /* mysql.c, when built with libmariadb */

#endif
