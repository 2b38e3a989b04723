/* fn_datetime.c — SeaTunnel's datetime functions for the Sql transform (see func.h). */
#include "func.h"

const sql_func cv__sql_fn_datetime[] = {
    {NULL},
};
