/* savemode.c — SeaTunnel's save modes for Jdbc targets, run once before
 * any writer starts, schema mode first, then data mode, for each distinct
 * target table (DefaultSaveModeHandler):
 *   schema  RECREATE_SCHEMA              drop if it exists, create
 *           CREATE_SCHEMA_WHEN_NOT_EXIST create when missing
 *           ERROR_WHEN_SCHEMA_NOT_EXIST  fail when missing (API-11)
 *           IGNORE                       nothing
 *   data    DROP_DATA                    empty the table, keep it
 *           APPEND_DATA                  nothing
 *           CUSTOM_PROCESSING            run custom_sql
 *           ERROR_WHEN_DATA_EXISTS       fail when it has rows (API-10)
 * Tables are created from the upstream catalog table with the dialect's
 * types, the target's key as PRIMARY KEY, and (create_index) the
 * upstream unique and index keys; a missing schema (MySQL: database) is
 * created first. */
#include "jdbc.h"

static int create(jdbc_db *db, const jdbc_sink_cfg *cfg, const jdbc_target *t, cv_err *err)
{
    const jdbc_dialect *d = jdbc_db_dialect(db);
    cv_buf sql;
    cv_buf_init(&sql);
    int rc = 0;
    if (t->schema && d->create_schema) {
        /* like SeaTunnel's catalogs, which create a missing database */
        cv_buf_puts(&sql, d->create_schema);
        jdbc_quote(d, t->schema, &sql);
        rc = sql.oom ? jdbc_nomem(err) : d->exec(jdbc_db_conn(db), sql.data, err);
        cv_buf_reset(&sql);
    }
    if (rc == 0) rc = jdbc_sql_create_table(d, t, &sql, err);
    if (rc == 0) {
        cv_info("Jdbc: creating table %s", t->display);
        cv_debug("Jdbc: %s", sql.data);
        rc = d->exec(jdbc_db_conn(db), sql.data, err);
    }
    if (rc == 0 && cfg->create_index) {
        cv_buf_reset(&sql);
        jdbc_sql_create_indexes(d, t, &sql);
        if (sql.oom)
            rc = jdbc_nomem(err);
        else if (sql.len)
            rc = d->exec(jdbc_db_conn(db), sql.data, err);
    }
    cv_buf_free(&sql);
    return rc;
}

static int one(jdbc_db *db, cv_arena *a, const jdbc_sink_cfg *cfg, const char *dbname, const jdbc_target *t,
               cv_err *err)
{
    const jdbc_dialect *d = jdbc_db_dialect(db);
    jdbc_conn *c = jdbc_db_conn(db);
    jdbc_table_keys keys;
    CV_TRY(d->table_keys(c, a, t->schema, t->name, &keys, err));
    bool exists = keys.exists;
    cv_buf sql;
    cv_buf_init(&sql);
    int rc = 0;
    switch (cfg->schema_mode) {
    case JDBC_SCHEMA_RECREATE:
        if (exists) {
            cv_info("Jdbc: dropping table %s", t->display);
            cv_buf_printf(&sql, "DROP TABLE %s", t->qualified);
            rc = sql.oom ? jdbc_nomem(err) : d->exec(c, sql.data, err);
        }
        if (rc == 0) rc = create(db, cfg, t, err);
        exists = rc == 0;
        break;
    case JDBC_SCHEMA_CREATE_WHEN_NOT_EXIST:
        if (!exists) rc = create(db, cfg, t, err);
        exists = rc == 0;
        break;
    case JDBC_SCHEMA_ERROR_WHEN_NOT_EXIST:
        if (!exists)
            rc = cv_err_set(err, CV_EIO,
                            "ErrorCode:[API-11], ErrorDescription:[The sink table not exist] - "
                            "table %s does not exist in %s (schema_save_mode = ERROR_WHEN_SCHEMA_NOT_EXIST)",
                            t->display, dbname);
        break;
    default: break;
    }
    cv_buf_reset(&sql);
    if (rc == 0) switch (cfg->data_mode) {
        case JDBC_DATA_DROP:
            if (!exists) break;
            cv_info("Jdbc: truncating table %s", t->display);
            cv_buf_puts(&sql, d->has_truncate ? "TRUNCATE TABLE " : "DELETE FROM ");
            cv_buf_puts(&sql, t->qualified);
            rc = sql.oom ? jdbc_nomem(err) : d->exec(c, sql.data, err);
            break;
        case JDBC_DATA_CUSTOM:
            cv_info("Jdbc: running custom_sql for table %s", t->display);
            rc = d->exec(c, t->custom_sql, err);
            break;
        case JDBC_DATA_ERROR_WHEN_EXISTS: {
            if (!exists) break;
            cv_buf_printf(&sql, "SELECT 1 FROM %s LIMIT 1", t->qualified);
            int64_t one;
            bool none;
            rc = sql.oom ? jdbc_nomem(err) : d->query_i64(c, sql.data, &one, &none, err);
            if (rc == 0 && !none)
                rc = cv_err_set(err, CV_EIO,
                                "ErrorCode:[API-10], ErrorDescription:[The target data source already has data] - "
                                "table %s in %s has rows (data_save_mode = ERROR_WHEN_DATA_EXISTS)",
                                t->display, dbname);
            break;
        }
        default: break;
        }
    cv_buf_free(&sql);
    return rc;
}

int jdbc_save_modes(jdbc_db *db, cv_arena *a, const jdbc_sink_cfg *cfg, const char *dbname, const jdbc_target *targets,
                    uint32_t n, cv_err *err)
{
    int rc = 0;
    jdbc_db_lock(db);
    for (uint32_t i = 0; rc == 0 && i < n; i++)
        if (targets[i].same_as < 0) rc = one(db, a, cfg, dbname, &targets[i], err);
    jdbc_db_unlock(db);
    return rc;
}
