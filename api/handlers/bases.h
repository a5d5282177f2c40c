/* bases: handler declarations (rows in bases.routes) */
#ifndef JXJY_HANDLERS_BASES_H
#define JXJY_HANDLERS_BASES_H

#include "http/request.h"

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
