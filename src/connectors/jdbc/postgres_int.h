/* postgres_int.h — what the PostgreSQL dialect's files share (postgres.c:
 * connections, types, writing, two-phase commit; postgres_read.c: reading
 * results and COPY … TO STDOUT): type OIDs, the connection, statement and
 * cursor structs, binary helpers, and the functions both sides call.
 * Internal to the Jdbc connector. */
#ifndef CV_JDBC_POSTGRES_INT_H
#define CV_JDBC_POSTGRES_INT_H

#include "jdbc.h"

#include <libpq-fe.h>

#include <string.h>

/* Type OIDs fixed by PostgreSQL's catalog (pg_type.dat); stable across
 * versions, so built-in types need no catalog lookup. */
enum {
    OID_BOOL = 16,
    OID_BYTEA = 17,
    OID_CHAR = 18,
    OID_NAME = 19,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_TEXT = 25,
    OID_OID = 26,
    OID_JSON = 114,
    OID_XML = 142,
    OID_CIDR = 650,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_UNKNOWN = 705,
    OID_INET = 869,
    OID_BPCHAR = 1042,
    OID_VARCHAR = 1043,
    OID_DATE = 1082,
    OID_TIME = 1083,
    OID_TIMESTAMP = 1114,
    OID_TIMESTAMPTZ = 1184,
    OID_NUMERIC = 1700,
    OID_UUID = 2950,
    OID_JSONB = 3802,
};

#define PG_EPOCH_DAYS 10957           /* 2000-01-01, PostgreSQL's epoch, in days since 1970 */
#define PG_EPOCH_US 946684800000000LL /* … in microseconds */
#define COPY_CHUNK (256 * 1024)       /* bytes per PQputCopyData */
#define PIPELINE_ROWS 1024            /* statements per pipeline sync: bounds unread results */
#define NUMERIC_POS 0x0000
#define NUMERIC_NEG 0x4000
#define VARHDRSZ 4

static const char COPY_SIGNATURE[11] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', '\377', '\r', '\n', '\0'};

/* ---- caches ---------------------------------------------------------------------- */

/* What the catalog says about a type that is not built in. */
typedef struct pg_typinfo {
    Oid oid;
    char typtype;  /* b base, d domain, e enum, c composite, r range, … */
    char category; /* A for arrays */
    Oid elem;      /* array element type */
    Oid base;      /* domain base type */
    int32_t basemod;
} pg_typinfo;

/* A table's columns, for encoding values in the form each column takes. */
typedef struct pg_rel {
    char *qualified; /* quoted [schema.]table, as written in the SQL */
    uint32_t n;
    char **names;
    Oid *oids;
    int32_t *mods;
} pg_rel;

/* How one culvert column becomes one PostgreSQL value (see enc_choose). */
typedef struct enc_col {
    uint8_t kind, ekind; /* EN_*; ekind for array elements */
    bool check;          /* per-value typmod check (precision, scale, length) */
    Oid elem;            /* array element type, for the array header */
    int32_t prec, limit; /* numeric precision and scale; varchar length; time precision */
} enc_col;

/* The COPY a bulk write of one target runs, with its encoders. */
typedef struct pg_bulkplan {
    char *key; /* qualified name and columns */
    bool declined;
    char *copy_sql;
    enc_col *enc;
    uint32_t n;
} pg_bulkplan;

struct jdbc_conn {
    PGconn *pg;
    cv_arena arena; /* types made while mapping cursors' columns */
    CV_VEC(pg_typinfo) types;
    CV_VEC(pg_rel) rels;
    CV_VEC(pg_bulkplan) plans;
    cv_buf out;         /* COPY data being encoded */
    uint64_t next_stmt; /* prepared statement names */
    /* the COPY open between bulk_start and bulk_end, or NULL */
    const struct jdbc_target *copy_t;
    const struct pg_bulkplan *copy_plan;
    uint64_t bad_row; /* the row of the last failed COPY, 0: unknown */
    uint64_t acked;   /* rows the server acknowledged writing (take_acked) */
};

struct jdbc_stmt {
    jdbc_conn *c;
    char name[32];
    const cv_table *t;
    uint32_t *cols, ncols;
    int nparams;
    enc_col *enc;
    cv_buf scratch; /* one row's parameter values */
    const char **vals;
    int *lens, *fmts;
    size_t *offs;
};

/* Read decoders: the binary form of the type the server sends. */
enum {
    RD_BOOL,
    RD_INT2,
    RD_INT4,
    RD_INT8,
    RD_OID,
    RD_FLOAT4,
    RD_FLOAT8,
    RD_NUMERIC,
    RD_TEXT,
    RD_JSONB,
    RD_UUID,
    RD_BYTEA,
    RD_DATE,
    RD_TIME,
    RD_TIMESTAMP,
    RD_ARRAY,
};
enum { CAST_NONE, CAST_TEXT, CAST_TEXT_ARRAY, CAST_INET, CAST_INET_ARRAY };

typedef struct rd_col {
    uint8_t dk, edk, cast;
} rd_col;

struct jdbc_cursor {
    jdbc_conn *c;
    const cv_table *t;
    rd_col *rd;
    char where[200]; /* "<table> (split <id>)" for messages */
    uint64_t row;
    bool copying;  /* the COPY is running: close must stop it */
    bool header;   /* the file header has been read */
    char *msg;     /* libpq's buffer being parsed, or NULL */
    const char *p; /* unread bytes: of msg, or of carry */
    size_t n;
    cv_buf carry; /* a tuple split across messages */
};

static inline uint16_t get16(const char *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return __builtin_bswap16(v);
}
static inline uint32_t get32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return __builtin_bswap32(v);
}
static inline uint64_t get64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return __builtin_bswap64(v);
}

static inline bool jdbc__pg_is_array(const pg_typinfo *t) { return t && t->category == 'A' && t->elem != 0; }

extern cv_i128 jdbc__pg_p10[39]; /* 10^0 … 10^38, set when the first connection opens */

int jdbc__pg_res_fail(jdbc_conn *c, const PGresult *res, const char *what, bool context, cv_err *err);
int jdbc__pg_run_params(jdbc_conn *c, const char *sql, int n, const char *const *vals, ExecStatusType want,
                        PGresult **out, cv_err *err);
int jdbc__pg_typ_base(jdbc_conn *c, Oid *oid, int32_t *mod, const pg_typinfo **info, cv_err *err);
int jdbc__pg_typ_load(jdbc_conn *c, const Oid *oids, uint32_t n, cv_err *err);
void jdbc__pg_copy_sql(const char *sql, const rd_col *rd, uint32_t n, cv_buf *out);
bool jdbc__pg_numeric_fit(int32_t mod, unsigned *p, unsigned *s);
void jdbc__pg_cursor_close(jdbc_cursor *cur);
int jdbc__pg_cursor_fetch(jdbc_cursor *cur, cv_batch *b, bool *done, cv_err *err);
int jdbc__pg_cursor_open(jdbc_conn *c, const char *sql, const cv_table *t, const char *label, jdbc_cursor **out,
                         cv_err *err);
int jdbc__pg_describe(jdbc_conn *c, const char *sql, cv_arena *a, jdbc_result_col **cols, uint32_t *ncols, cv_err *err);
/* Token kinds of jdbc__pg_sql_token. */
enum { TOK_CHAR, TOK_SPACE, TOK_QUOTED, TOK_COMMENT };
const char *jdbc__pg_sql_token(const char *sql, const char *p, int *kind);

#endif
