/* enrolments: handler declarations (rows in enrolments.routes) */
#ifndef JXJY_HANDLERS_ENROLMENTS_H
#define JXJY_HANDLERS_ENROLMENTS_H

#include "http/request.h"

void h_enrolments_list(api_req *r);
void h_enrolments_create(api_req *r);
void h_enrolments_get(api_req *r);
void h_enrolments_update(api_req *r);
void h_enrolments_complete(api_req *r);

extern const api_op op_enrolments_complete;
extern const api_op op_enrolments_create;
extern const api_op op_enrolments_get;
extern const api_op op_enrolments_list;
extern const api_op op_enrolments_update;
#endif
