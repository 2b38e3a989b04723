/* options.c — the Jdbc option tables: SeaTunnel's names, types and defaults
 * (JdbcOptions, JdbcSourceOptions, JdbcSourceTableConfig). Options that
 * only mean something to other databases are accepted and say so in their
 * doc line, which is what docs/connectors/Jdbc.md shows. */
#include "jdbc.h"

#include <stddef.h>

/* The options both plugins share, for a settings struct S whose first
 * member is a jdbc_common_cfg named c. */
#define COMMON_OPTIONS(S)                                                                                              \
    {"url",                                                                                                            \
     CV_OPT_STRING,                                                                                                    \
     NULL,                                                                                                             \
     "jdbc:postgresql://HOST[:PORT]/DB, jdbc:mysql://HOST[:PORT]/DB or jdbc:sqlite:PATH",                              \
     offsetof(S, c.url),                                                                                               \
     CV_OPT_REQUIRED},                                                                                                 \
        {"driver", CV_OPT_STRING, NULL, "JDBC driver class: accepted and ignored (the url's scheme picks the client)", \
         offsetof(S, c.driver)},                                                                                       \
        {"user",                                                                                                       \
         CV_OPT_STRING,                                                                                                \
         NULL,                                                                                                         \
         "user name (wins over the url's user parameter; no effect on SQLite)",                                        \
         offsetof(S, c.user),                                                                                          \
         0,                                                                                                            \
         NULL,                                                                                                         \
         "username"},                                                                                                  \
        {"password", CV_OPT_STRING, NULL, "password (no effect on SQLite)", offsetof(S, c.password), CV_OPT_SECRET},   \
        {"compatible_mode", CV_OPT_STRING, NULL, "database compatibility mode (accepted; the url's scheme decides)",   \
         offsetof(S, c.compatible_mode)},                                                                              \
        {"connection_check_timeout_sec",                                                                               \
         CV_OPT_INT,                                                                                                   \
         "30",                                                                                                         \
         "seconds to wait for the server to answer a connection (SQLite: for a lock held elsewhere)",                  \
         offsetof(S, c.conn_timeout),                                                                                  \
         0,                                                                                                            \
         NULL,                                                                                                         \
         NULL,                                                                                                         \
         0,                                                                                                            \
         86400},                                                                                                       \
    {                                                                                                                  \
        "properties", CV_OPT_OBJECT, NULL,                                                                             \
            "connection properties: session settings (PostgreSQL, MySQL) or pragmas (SQLite); see docs/jdbc/",         \
            offsetof(S, c.properties)                                                                                  \
    }

#define SO(f) offsetof(jdbc_src_cfg, f)
const cv_option jdbc_source_options[] = {
    COMMON_OPTIONS(jdbc_src_cfg),
    {"query", CV_OPT_STRING, NULL, "the query to read (or table_path / table_list)", SO(t.query)},
    {"table_path", CV_OPT_STRING, NULL,
     "table to read: database.schema.table (PostgreSQL), database.table (MySQL), [attached.]table (SQLite)",
     SO(t.table_path)},
    {"table_list", CV_OPT_LIST, NULL, "several tables: [{table_path, query, partition_column, …}]", SO(table_list)},
    {"where_condition", CV_OPT_STRING, NULL, "filter for every table, starting with `where`", SO(where)},
    {"partition_column", CV_OPT_STRING, NULL, "integer column to split the read on", SO(t.partition_column)},
    {"partition_lower_bound", CV_OPT_STRING, NULL, "smallest partition_column value to read (default: MIN)",
     SO(t.lower)},
    {"partition_upper_bound", CV_OPT_STRING, NULL, "largest partition_column value to read (default: MAX)",
     SO(t.upper)},
    {"partition_num", CV_OPT_INT, NULL, "number of splits (default: rows / split.size)", SO(t.partition_num), 0, NULL,
     NULL, 1, 100000},
    {"split.size", CV_OPT_INT, "8096", "rows per split when a table is split", SO(split_size), 0, NULL, NULL, 1,
     INT64_MAX},
    {"fetch_size", CV_OPT_INT, "0", "rows per round trip (accepted: PostgreSQL COPY and MySQL unbuffered reads stream)",
     SO(fetch_size), 0, NULL, NULL, 0, INT32_MAX},
    {"split.even-distribution.factor.lower-bound", CV_OPT_DOUBLE, "0.05",
     "sampling splitter tuning (no effect: splits are even ranges)", SO(factor_lower)},
    {"split.even-distribution.factor.upper-bound", CV_OPT_DOUBLE, "100",
     "sampling splitter tuning (no effect: splits are even ranges)", SO(factor_upper)},
    {"split.sample-sharding.threshold", CV_OPT_INT, "1000", "sampling splitter tuning (no effect)",
     SO(sample_threshold)},
    {"split.inverse-sampling.rate", CV_OPT_INT, "1000", "sampling splitter tuning (no effect)", SO(inverse_rate)},
    {"decimal_type_narrowing", CV_OPT_BOOL, "true", "Oracle NUMBER(p,0) as integers (no effect on these databases)",
     SO(decimal_narrowing)},
    {"use_select_count", CV_OPT_BOOL, "false", "count rows with SELECT COUNT(*) (culvert always does)",
     SO(t.use_select_count)},
    {"skip_analyze", CV_OPT_BOOL, "false", "skip table statistics (no effect: splits use MIN/MAX and COUNT)",
     SO(t.skip_analyze)},
    {NULL},
};

#define TO(f) offsetof(jdbc_table_cfg, f)
const cv_option jdbc_table_list_options[] = {
    {"table_path", CV_OPT_STRING, NULL, "table to read", TO(table_path)},
    {"query", CV_OPT_STRING, NULL, "query to read", TO(query)},
    {"partition_column", CV_OPT_STRING, NULL, "integer column to split on", TO(partition_column)},
    {"partition_lower_bound", CV_OPT_STRING, NULL, "smallest value to read", TO(lower)},
    {"partition_upper_bound", CV_OPT_STRING, NULL, "largest value to read", TO(upper)},
    {"partition_num", CV_OPT_INT, NULL, "number of splits", TO(partition_num), 0, NULL, NULL, 1, 100000},
    {"use_select_count", CV_OPT_BOOL, "false", "count rows with SELECT COUNT(*)", TO(use_select_count)},
    {"skip_analyze", CV_OPT_BOOL, "false", "skip table statistics", TO(skip_analyze)},
    {NULL},
};

#define KO(f) offsetof(jdbc_sink_cfg, f)
const cv_option jdbc_sink_options[] = {
    COMMON_OPTIONS(jdbc_sink_cfg),
    {"query", CV_OPT_STRING, NULL, "custom statement with ? parameters taking the columns in order", KO(query)},
    {"generate_sink_sql", CV_OPT_BOOL, "false", "generate INSERT/upsert/DELETE from `table` and the upstream schema",
     KO(generate_sink_sql)},
    {"database", CV_OPT_STRING, NULL,
     "target database: PostgreSQL connects to it; MySQL writes tables without a schema there; SQLite ignores it",
     KO(database)},
    {"table", CV_OPT_STRING, "${table_name}", "target table, [schema.]table; placeholders like ${table_name} work",
     KO(table)},
    {"primary_keys", CV_OPT_STRLIST, NULL, "key columns: upsert +I/+U, delete -D (default: the upstream key)",
     KO(primary_keys)},
    {"enable_upsert", CV_OPT_BOOL, "true", "upsert with the dialect's clause (ON CONFLICT / ON DUPLICATE KEY UPDATE)",
     KO(enable_upsert)},
    {"support_upsert_by_query_primary_key_exist", CV_OPT_BOOL, "false",
     "upsert by looking the key up, then UPDATE or INSERT", KO(upsert_by_query)},
    {"is_primary_key_updated", CV_OPT_BOOL, "true", "updates also set the key columns", KO(pk_updated)},
    {"support_upsert_by_insert_only", CV_OPT_BOOL, "false", "write +I/+U with plain INSERT", KO(insert_only)},
    {"batch_size", CV_OPT_INT, "1000", "rows per statement batch (bulk paths send whole batches)", KO(batch_size), 0,
     NULL, NULL, 1, INT32_MAX},
    {"max_retries", CV_OPT_INT, NULL,
     "retries of a batch after a transient failure (lock timeout, deadlock, a connection lost before rows were let "
     "go), by the engine with backoff; default 8 (SeaTunnel: 0)",
     KO(max_retries), 0, NULL, NULL, 0, 1000},
    {"is_exactly_once", CV_OPT_BOOL, "false",
     "two-phase commit bound to checkpoints: PostgreSQL PREPARE TRANSACTION, MySQL XA (not SQLite)", KO(exactly_once)},
    {"xa_data_source_class_name", CV_OPT_STRING, NULL, "XA data source class (with is_exactly_once)", KO(xa_class)},
    {"max_commit_attempts", CV_OPT_INT, "3", "XA commit attempts (with is_exactly_once)", KO(max_commit_attempts)},
    {"transaction_timeout_sec", CV_OPT_INT, "-1", "XA transaction timeout (with is_exactly_once)", KO(tx_timeout)},
    {"auto_commit", CV_OPT_BOOL, "true", "accepted; culvert commits once per checkpoint", KO(auto_commit)},
    {"field_ide", CV_OPT_ENUM, "ORIGINAL", "case of the table name (not its schema) and column names in generated SQL",
     KO(field_ide), 0, CV_ENUMS("ORIGINAL", "LOWERCASE", "UPPERCASE")},
    {"schema_save_mode", CV_OPT_ENUM, "CREATE_SCHEMA_WHEN_NOT_EXIST", "what to do with the target table first",
     KO(schema_mode), 0,
     CV_ENUMS("RECREATE_SCHEMA", "CREATE_SCHEMA_WHEN_NOT_EXIST", "ERROR_WHEN_SCHEMA_NOT_EXIST", "IGNORE")},
    {"data_save_mode", CV_OPT_ENUM, "APPEND_DATA", "what to do with rows already there", KO(data_mode), 0,
     CV_ENUMS("DROP_DATA", "APPEND_DATA", "CUSTOM_PROCESSING", "ERROR_WHEN_DATA_EXISTS")},
    {"custom_sql", CV_OPT_STRING, NULL, "SQL run before writing when data_save_mode = CUSTOM_PROCESSING",
     KO(custom_sql)},
    {"create_index", CV_OPT_BOOL, "true", "create the upstream unique/index keys with the table", KO(create_index)},
    {"use_copy_statement", CV_OPT_BOOL, "false",
     "PostgreSQL COPY (accepted: inserts into PostgreSQL always use COPY; not SQLite)", KO(use_copy)},
    {"multi_table_sink_replica", CV_OPT_INT, "1", "writers per table (accepted; writers serve every table)",
     KO(replica), 0, NULL, NULL, 1, 1024},
    {NULL},
};

cv_pos jdbc_opt_pos(const cv_optvals *given, const cv_node *block, const char *key)
{
    const cv_node *n = given ? cv_optvals_given(given, key) : NULL;
    return cv_node_pos(n ? n : block);
}
