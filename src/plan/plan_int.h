/* plan_int.h — internal cross-file functions of the plan module. */
#ifndef CV_PLAN_INT_H
#define CV_PLAN_INT_H

#include "plan.h"

#include <stdio.h>

int cv__plan_collect(cv_plan *p, cv_err *err);
int cv__plan_wire(cv_plan *p, cv_err *err);
int cv__plan_open(cv_plan *p, cv_err *err);

#endif
