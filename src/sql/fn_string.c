/* fn_string.c — SeaTunnel's string functions for the Sql transform (see func.h). */
#include "func.h"

const sql_func cv__sql_fn_string[] = {
    {NULL},
};
