/* db.c — connections as the sink and source hold them.
 *
 * A jdbc_db is a connection plus the mutex that serialises its use; every
 * call that takes the connection runs under that mutex, and the mutex is
 * never held across engine calls, so it cannot deadlock with the engine's
 * queues.
 *
 * Databases that take one writer at a time (SQLite: one write lock per
 * file) share one jdbc_db per database within a job: every writer of
 * every Jdbc sink that writes there goes through it. Per-writer
 * connections would each hold the file's write lock from their first
 * write until their checkpoint, so a second writer would wait that long —
 * and wait forever when the first one's producers feed it too (two sinks
 * on one file). Sharing also makes `jdbc:sqlite::memory:` work across
 * writers. The shares of a job are found in a small registry keyed by the
 * job's context and the dialect's share key (the file's real path).
 *
 * Transactions: the first batch opens one (the dialect's begin_sql, or
 * xa_begin with the name set by jdbc_db_set_xa) and every batch runs
 * inside a savepoint, so a failed batch leaves nothing behind and can be
 * redelivered; a writer's checkpoint commits, or with two-phase commit
 * prepares and the sink's commit finishes. With a shared connection a
 * commit also makes the other writers' finished batches durable, which is
 * what a checkpoint promises for them too.
 *
 * Counts: the rows a batch wrote are reported to the engine
 * (cv_writer_acked) when its savepoint is released, and listed with the
 * open transaction; a commit clears the list, a rollback takes them back,
 * and a two-phase prepare hands them to the sink, whose commit or abort
 * settles them. So the job's Write Count is what the database kept. */
#include "jdbc.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct jdbc_db {
    const jdbc_dialect *d;
    jdbc_conn *conn;
    pthread_mutex_t mu; /* guards conn, in_tx and xa */
    bool in_tx;
    char xa[72];           /* the name of the next or open two-phase transaction, "" for none */
    int refs;              /* shared: guarded by reg_mu */
    char *key;             /* share key, NULL when not shared */
    const cv_ctx *ctx;     /* the job a share belongs to */
    CV_VEC(jdbc_ack) acks; /* rows of the open transaction, already reported */
    jdbc_db *next;
};

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static jdbc_db *reg_head; /* shared connections of all jobs in this process */

void jdbc_connect_opts_init(jdbc_connect_opts *o, const jdbc_url *u, const jdbc_common_cfg *c, const cv_ctx *ctx,
                            bool read_only)
{
    memset(o, 0, sizeof *o);
    o->url = u;
    o->user = c->user;
    o->password = c->password;
    o->properties = c->properties;
    o->timeout_ms = c->conn_timeout * 1000;
    o->read_only = read_only;
    o->ctx = ctx;
}

/* The open transaction is gone: its rows were never kept. */
static void unack(jdbc_db *db)
{
    for (size_t i = 0; i < db->acks.n; i++) cv_writer_acked(db->acks.v[i].w, db->acks.v[i].t, -db->acks.v[i].n);
    db->acks.n = 0;
}

static void destroy(jdbc_db *db)
{
    if (db->conn) {
        if (db->in_tx) {
            cv_err e;
            cv_err_clear(&e);
            db->d->exec(db->conn, "ROLLBACK", &e);
            unack(db);
        }
        db->d->disconnect(db->conn);
    }
    cv_vec_free(&db->acks);
    pthread_mutex_destroy(&db->mu);
    cv_free(db->key);
    cv_free(db);
}

int jdbc_db_open(const jdbc_connect_opts *o, bool shared, jdbc_db **out, cv_err *err)
{
    const jdbc_dialect *d = o->url->dialect;
    *out = NULL;
    char *key = NULL;
    if (shared && d->one_writer && !o->read_only) {
        cv_buf kb;
        cv_buf_init(&kb);
        if (d->share_key(o->url, &kb) < 0 || kb.oom) {
            cv_buf_free(&kb);
            return jdbc_nomem(err);
        }
        key = cv_buf_steal(&kb);
        if (!key) return jdbc_nomem(err);
    }
    int rc = 0;
    bool locked = key != NULL;
    if (locked) {
        pthread_mutex_lock(&reg_mu);
        for (jdbc_db *db = reg_head; db; db = db->next)
            if (db->ctx == o->ctx && db->d == d && strcmp(db->key, key) == 0) {
                db->refs++;
                *out = db;
                break;
            }
        if (*out) {
            pthread_mutex_unlock(&reg_mu);
            cv_free(key);
            return 0;
        }
    }
    /* a new connection; for a share the registry stays locked meanwhile,
     * so two writers opening at once get the same one */
    jdbc_db *db = cv_calloc(1, sizeof *db);
    if (!db) {
        rc = jdbc_nomem(err);
    } else {
        db->d = d;
        db->refs = 1;
        db->key = key;
        db->ctx = o->ctx;
        pthread_mutex_init(&db->mu, NULL);
        key = NULL;
        rc = d->connect(o, &db->conn, err);
        if (rc < 0) {
            destroy(db);
            db = NULL;
        }
    }
    if (db && db->key) {
        db->next = reg_head;
        reg_head = db;
    }
    if (locked) pthread_mutex_unlock(&reg_mu);
    cv_free(key);
    *out = db;
    return rc;
}

void jdbc_db_close(jdbc_db *db)
{
    if (!db) return;
    if (db->key) {
        pthread_mutex_lock(&reg_mu);
        bool last = --db->refs == 0;
        if (last)
            for (jdbc_db **p = &reg_head; *p; p = &(*p)->next)
                if (*p == db) {
                    *p = db->next;
                    break;
                }
        pthread_mutex_unlock(&reg_mu);
        if (!last) return;
    }
    destroy(db);
}

jdbc_conn *jdbc_db_conn(jdbc_db *db) { return db->conn; }
const jdbc_dialect *jdbc_db_dialect(const jdbc_db *db) { return db->d; }
void jdbc_db_lock(jdbc_db *db) { pthread_mutex_lock(&db->mu); }
void jdbc_db_unlock(jdbc_db *db) { pthread_mutex_unlock(&db->mu); }

int jdbc_db_batch_begin(jdbc_db *db, cv_err *err)
{
    if (!db->in_tx) {
        CV_TRY(db->xa[0] ? db->d->xa_begin(db->conn, db->xa, err) : db->d->exec(db->conn, db->d->begin_sql, err));
        db->in_tx = true;
    }
    return db->d->exec(db->conn, "SAVEPOINT cv_batch", err);
}

int jdbc_db_batch_end(jdbc_db *db, bool ok, cv_err *err)
{
    if (ok) return db->d->exec(db->conn, "RELEASE SAVEPOINT cv_batch", err);
    cv_err e;
    cv_err_clear(&e);
    /* undo this batch only; if the database already rolled the whole
     * transaction back (some errors do), the savepoint is gone and so are
     * the other uncommitted batches: that cannot be redelivered */
    if (db->d->exec(db->conn, "ROLLBACK TO SAVEPOINT cv_batch", &e) < 0 ||
        db->d->exec(db->conn, "RELEASE SAVEPOINT cv_batch", &e) < 0) {
        db->in_tx = false;
        db->d->exec(db->conn, "ROLLBACK", &e);
        unack(db);
        return cv_err_set(err, CV_EIO, "the database rolled the transaction back");
    }
    return 0;
}

int jdbc_db_acked(jdbc_db *db, cv_writer *w, const cv_table *t, int64_t n, cv_err *err)
{
    if (n == 0) return 0;
    for (size_t i = 0; i < db->acks.n; i++)
        if (db->acks.v[i].w == w && db->acks.v[i].t == t) {
            db->acks.v[i].n += n;
            cv_writer_acked(w, t, n);
            return 0;
        }
    if (cv_vec_push(&db->acks, ((jdbc_ack){w, t, n})) < 0) return jdbc_nomem(err);
    cv_writer_acked(w, t, n);
    return 0;
}

int jdbc_db_batch_undo(jdbc_db *db, cv_err *err)
{
    /* the savepoint stays, so the batch can go on from its start */
    return db->d->exec(db->conn, "ROLLBACK TO SAVEPOINT cv_batch", err);
}

int jdbc_db_commit(jdbc_db *db, cv_err *err)
{
    if (!db->in_tx) return 0;
    CV_TRY(db->d->commit(db->conn, err));
    db->in_tx = false;
    db->acks.n = 0;
    return 0;
}

void jdbc_db_set_xa(jdbc_db *db, const char *gid) { snprintf(db->xa, sizeof db->xa, "%s", gid ? gid : ""); }

int jdbc_db_prepare(jdbc_db *db, cv_buf *gid, jdbc_acks *acks, cv_err *err)
{
    acks->v = NULL;
    acks->n = 0;
    if (!db->in_tx) return 0;
    CV_TRY(db->d->xa_prepare(db->conn, db->xa, err));
    db->in_tx = false;
    cv_buf_puts(gid, db->xa);
    /* the transaction's rows go with its name */
    acks->v = db->acks.v;
    acks->n = db->acks.n;
    memset(&db->acks, 0, sizeof db->acks);
    return gid->oom ? jdbc_nomem(err) : 0;
}

void jdbc_db_rollback(jdbc_db *db)
{
    if (!db->in_tx) return;
    cv_err e;
    cv_err_clear(&e);
    db->d->exec(db->conn, "ROLLBACK", &e);
    db->in_tx = false;
    unack(db);
}
