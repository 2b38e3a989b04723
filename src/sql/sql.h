/*
 * sql — SeaTunnel's SQL transform dialect: a lexer, parser, binder and a
 * vectorised evaluator of `SELECT <items> FROM <table> [WHERE <cond>]`
 * over culvert batches, with SeaTunnel's function library.
 *
 * Contract:
 *  - cv_sql_compile parses and binds a query against one input table at
 *    plan time: every column, function and type is resolved there, the
 *    output table (names, types, nullability) is derived, and errors name
 *    the line:column inside the query text. The compiled query lives in
 *    the arena given and is immutable afterwards, so several threads may
 *    share it.
 *  - Evaluation runs whole batches: each expression node is computed for
 *    every row of a batch into a column, bottom-up (never a per-row walk of
 *    the tree). An executor (cv_sql_exec) holds the scratch columns of one
 *    thread; it is not thread-safe, make one per producer thread.
 *  - cv_sql_exec_run appends the selected rows of `in` to `out` (a batch of
 *    the output table), keeping each row's kind. A run-time error (division
 *    by zero, overflow, a value that cannot be cast) fails the batch with
 *    the query position and the offending row's values in the message.
 */
#ifndef CV_SQL_H
#define CV_SQL_H

#include "../base/base.h"
#include "../data/data.h"

typedef struct cv_sql_query cv_sql_query;
typedef struct cv_sql_exec cv_sql_exec;

/* Compile `text` against input table `in`. The output table keeps in's
 * path. Errors: CV_ESYNTAX / CV_ECONFIG with "line:col" of the query. */
CV_API int cv_sql_compile(cv_arena *a, const char *text, const cv_table *in, cv_sql_query **out, cv_err *err);
/* Release what a compiled query holds outside its arena. NULL is ignored. */
CV_API void cv_sql_free(cv_sql_query *q);
CV_API const cv_table *cv_sql_output(const cv_sql_query *q);
/* The table name written after FROM (for the "FROM names another table" note). */
CV_API const char *cv_sql_from(const cv_sql_query *q);

CV_API int cv_sql_exec_new(const cv_sql_query *q, cv_sql_exec **out, cv_err *err);
CV_API int cv_sql_exec_run(cv_sql_exec *x, const cv_batch *in, cv_batch *out, cv_err *err);
CV_API void cv_sql_exec_free(cv_sql_exec *x);

/* Names of every built-in function, upper case, NULL-terminated (docs, did-you-mean). */
CV_API const char *const *cv_sql_function_names(size_t *n);

#endif
