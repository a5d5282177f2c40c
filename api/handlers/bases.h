/* bases: handler declarations (rows in bases.routes) */
#ifndef JXJY_HANDLERS_BASES_H
#define JXJY_HANDLERS_BASES_H

#include "http/request.h"

void h_bases_list(api_req *r);
void h_bases_create(api_req *r);
void h_bases_get(api_req *r);
void h_bases_faculty_put(api_req *r);
void h_bases_accredit(api_req *r);
void h_bases_suspend(api_req *r);
void h_bases_reinstate(api_req *r);
void h_bases_revoke(api_req *r);
void h_bases_inspections_list(api_req *r);
void h_bases_inspections_create(api_req *r);
void h_bases_inspection_get(api_req *r);

extern const api_op op_bases_accredit;
extern const api_op op_bases_create;
extern const api_op op_bases_faculty_put;
extern const api_op op_bases_get;
extern const api_op op_bases_inspection_get;
extern const api_op op_bases_inspections_create;
extern const api_op op_bases_inspections_list;
extern const api_op op_bases_list;
extern const api_op op_bases_reinstate;
extern const api_op op_bases_revoke;
extern const api_op op_bases_suspend;
#endif
