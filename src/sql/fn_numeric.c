/* fn_numeric.c — SeaTunnel's numeric functions for the Sql transform (see func.h). */
#include "func.h"

const sql_func cv__sql_fn_numeric[] = {
    {NULL},
};
