/* mysql_int.h — what the MySQL dialect's files share (mysql.c: connections,
 * types, writing, XA; mysql_read.c: describing queries and reading rows):
 * the connection, statement and cursor structs, how a MySQL column is read
 * (fmap), and the helpers both sides call. Internal to the Jdbc connector. */
#ifndef CV_JDBC_MYSQL_INT_H
#define CV_JDBC_MYSQL_INT_H

#include "jdbc.h"

#include <mysql.h>

/* Session settings every connection has, after the user's session
 * variables: UTC, strictness added to whatever sql_mode is set, and a
 * paused reader must not be cut off by the server (net_write_timeout): a
 * day is "never" for a job and still frees the server of clients that
 * vanished. */
#define SESSION_SQL                                                                                     \
    "SET SESSION time_zone = '+00:00', "                                                                \
    "sql_mode = CONCAT_WS(',', NULLIF(@@sql_mode, ''), 'STRICT_ALL_TABLES', 'NO_AUTO_VALUE_ON_ZERO'), " \
    "net_write_timeout = GREATEST(@@net_write_timeout, 86400), "                                        \
    "net_read_timeout = GREATEST(@@net_read_timeout, 86400)"

#define MAX_STATEMENT (8u << 20) /* bytes of one multi-row statement, at most */

enum { BULK_LOAD_DATA, BULK_INSERT };
enum { ZD_ERROR, ZD_NULL, ZD_ROUND };                      /* zeroDateTimeBehavior */
enum { TLS_OFF, TLS_PREFERRED, TLS_REQUIRED, TLS_VERIFY }; /* sslMode */

/* How to open a session: from the url, `properties` and the options. Kept
 * with the connection to open a second one (KILL QUERY). */
typedef struct my_params {
    char *host, *socket, *user, *password, *database;
    unsigned port;
    unsigned connect_timeout, rw_timeout; /* seconds; 0: libmariadb's default / none */
    int tls, use_ssl, verify_cert;        /* use_ssl, verify_cert: -1 when not given */
    bool tls_mode_given;
    char *tls_ca, *tls_version;
    bool compress, tiny1_bool;
    int bulk, zero_dates;
    cv_buf session; /* "`name` = value, …" for SET SESSION */
} my_params;

/* A column of a table being written, as the server describes it. */
typedef struct tcol {
    char *name;
    enum enum_field_types type;
    unsigned decimals;
    unsigned flags; /* ENUM_FLAG, SET_FLAG, … */
} tcol;

/* A table being written: its columns, and for bulk writes (target set)
 * the statement text around the rows. */
typedef struct tinfo {
    char *qualified; /* the key: `db`.`t` as the SQL names it */
    tcol *cols;
    uint32_t ncols;
    const jdbc_target *target;
    struct wcheck *chk; /* per upstream column of target */
    char *insert_head, *upsert_tail, *load_sql;
} tinfo;

/* What a value must satisfy to be stored unchanged in its target column. */
typedef struct wcheck {
    uint8_t kind;
    uint8_t arg;      /* scale or fractional-second digits; WC_REAL: 4 (FLOAT) or 8 */
    const char *col;  /* the target column */
    const char *what; /* WC_REFUSE: the column's kind, for the message */
} wcheck;
/* WC_REAL: a FLOAT or DOUBLE column, which keeps only reals exactly;
 * WC_TEXT: a string column, which takes reals as their text; WC_REFUSE:
 * a column MySQL would convert the value into by a rule of its own (a
 * number into a date, an ENUM index, a time into a DATETIME). */
enum { WC_NONE, WC_INTEGRAL, WC_SCALE, WC_FSP, WC_DATE_ONLY, WC_BIT, WC_YEAR, WC_REAL, WC_TEXT, WC_REFUSE };

typedef struct ld_state ld_state;

struct jdbc_conn {
    MYSQL *m;
    my_params p;
    char where[300]; /* "host:port/db", for messages */
    int64_t max_packet;
    bool exact_names; /* lower_case_table_names = 0 */
    bool no_local_infile;
    bool broken; /* the connection was lost */
    CV_VEC(tinfo *) tables;
    CV_VEC(tinfo *) stale; /* forgotten, but statements may point into them */
    int64_t timeout_ms;
    bool read_only;
    ld_state *ld;     /* the LOAD DATA in progress */
    bool ack_upsert;  /* drain: the statements upsert (an updated row counts once) */
    uint64_t drained; /* drain: rows the statements it read acknowledged */
    uint64_t acked;   /* rows written since take_acked */
    cv_buf text;      /* bulk writes: the rows as text */
    cv_buf json;      /* composites as JSON */
};

struct jdbc_stmt {
    jdbc_conn *c;
    const cv_table *t;
    uint32_t *cols, ncols;
    char *sql;
    uint32_t *ph, nph; /* offsets of the ? placeholders */
    /* INSERT … VALUES (…): sql[0..group) is the head, sql[group..group_end)
     * the row, the rest the tail */
    bool multirow;
    bool upsert; /* … ON DUPLICATE KEY UPDATE */
    uint32_t group, group_end;
    wcheck *chk; /* per placeholder */
    cv_buf text;
};

typedef enum {
    RK_NULL,
    RK_BOOL,     /* TINYINT(1): "0" or "1" */
    RK_BIT1,     /* BIT(1): one byte */
    RK_INT,      /* any integer that fits int64 */
    RK_U64,      /* BIGINT UNSIGNED → decimal(20,0) */
    RK_F32,      /* FLOAT: binary protocol only */
    RK_F64,      /* DOUBLE */
    RK_DEC,      /* DECIMAL */
    RK_TEXT,     /* strings, and DECIMAL wider than 38 digits */
    RK_BYTES,    /* binary strings, BIT(n > 1), GEOMETRY */
    RK_DATE,     /* DATE */
    RK_TIME,     /* TIME */
    RK_DATETIME, /* DATETIME, TIMESTAMP */
} rkind;

/* A MySQL column as culvert reads it. */
typedef struct fmap {
    cv_type_id id;
    unsigned precision, scale;
    int64_t length;
    rkind rk;
} fmap;

struct jdbc_cursor {
    jdbc_conn *c;
    const cv_table *t;
    MYSQL_RES *res; /* text protocol */
    MYSQL_STMT *st; /* binary protocol */
    MYSQL_BIND *bind;
    char **buf; /* binary protocol: per column */
    unsigned long *len, *cap;
    my_bool *isnull, *trunc;
    union {
        int64_t i;
        double d;
        float f;
    } * num;
    rkind *rk;
    char where[200]; /* "<table> (split <id>)" */
    uint64_t row;
    bool streaming; /* rows are coming: the query runs on the server */
    bool done;
};

static inline char *room(cv_buf *b, size_t n) { return cv_buf_reserve(b, n + 1) < 0 ? NULL : b->data + b->len; }
static const int64_t P10[7] = {1, 10, 100, 1000, 10000, 100000, 1000000}; /* up to MySQL's microseconds */

/* defined in mysql.c, used by mysql_read.c (and the reverse for the reading entry points) */
MYSQL *jdbc__my_open_session(const my_params *p, const char *db, jdbc_conn *owner, const char *where, cv_err *err);
int jdbc__my_fail(jdbc_conn *c, const char *what, cv_err *err);
int jdbc__my_stmt_fail(jdbc_conn *c, MYSQL_STMT *st, const char *what, cv_err *err);
const char *jdbc__my_sql_what(const char *sql, char *buf, size_t cap);
const char *jdbc__my_field_decl(cv_arena *a, const MYSQL_FIELD *f, const fmap *m);
bool jdbc__my_fmap_matches(const fmap *m, const cv_type *t);
const cv_type *jdbc__my_fmap_type(cv_arena *a, const fmap *m);
int jdbc__my_map_field(const jdbc_conn *c, const MYSQL_FIELD *f, fmap *out, cv_err *err);
bool jdbc__my_parse_i64(const char *p, size_t n, int64_t *out);
bool jdbc__my_parse_u64(const char *p, const char *e, uint64_t *out);
int jdbc__my_session_setup(jdbc_conn *c, const jdbc_connect_opts *o, cv_err *err);
int jdbc__my_describe(jdbc_conn *c, const char *sql, cv_arena *a, jdbc_result_col **cols, uint32_t *ncols, cv_err *err);
int jdbc__my_cursor_open(jdbc_conn *c, const char *sql, const cv_table *t, const char *label, jdbc_cursor **out,
                         cv_err *err);
void jdbc__my_cursor_close(jdbc_cursor *cur);
int jdbc__my_cursor_fetch(jdbc_cursor *cur, cv_batch *b, bool *done, cv_err *err);

#endif
