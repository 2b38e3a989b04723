/*
 * sqlt.h — helpers for SQL unit tests: evaluate one expression through the
 * whole pipeline (parse, bind, vectorised evaluation) over a small input
 * table, and read the result back as text.
 *
 * The input table `t` has these columns, with rows as given:
 *   i int, l bigint, f float, d double, dec decimal(10,2), s string,
 *   b boolean, dt date, tm time, ts timestamp, by bytes, n string (all NULL),
 *   arr array<int>, m map<string,int>, r row<x int, y string>
 *   row 0: 7, 10000000000, 1.5, 2.5, 12.34, 'hello', true, 2024-02-29,
 *          13:45:30, 2024-02-29T13:45:30.123456, 'abc', NULL, [1,2,3], {k=5}, {x=1,y='a'}
 *   row 1: -3, -1, -0.25, -1e300, -0.01, 'Ünïcødé ✓', false, 1970-01-01,
 *          00:00:00, 1969-12-31T23:59:59, '', NULL, [], {}, {x=NULL,y=NULL}
 *   row 2: NULL in every column
 */
#ifndef CV_SQLT_H
#define CV_SQLT_H

#include <stdint.h>

/* The value of `expr` at row `row` ("SELECT <expr> AS v FROM t" over a batch
 * holding only that row, so other rows cannot make it fail), printed as
 * the Console sink prints (Java style); "NULL" for NULL; "ERROR: <message>"
 * when compilation or evaluation fails (plan-time messages start with the
 * query position "1:8: …"). The text lives until the next call. */
const char *sqlt_eval_at(const char *expr, uint32_t row);
#define sqlt_eval(expr) sqlt_eval_at((expr), 0)
/* The result type of `expr` in SeaTunnel's spelling ("int", "decimal(10,2)"),
 * or "ERROR: <message>". */
const char *sqlt_type(const char *expr);
/* Run a whole query over t; returns the rows printed one per line as
 * "kind|v1|v2…" (kind +I…), or "ERROR: <message>". */
const char *sqlt_query(const char *query);

#endif
