/* enrolments: handler declarations (rows in enrolments.routes) */
#ifndef JXJY_HANDLERS_ENROLMENTS_H
#define JXJY_HANDLERS_ENROLMENTS_H

#include "http/request.h"

extern const api_op op_enrolments_complete;
extern const api_op op_enrolments_create;
extern const api_op op_enrolments_get;
extern const api_op op_enrolments_list;
extern const api_op op_enrolments_update;
#endif
