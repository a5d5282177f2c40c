/* projects: handler declarations (rows in projects.routes) */
#ifndef JXJY_HANDLERS_PROJECTS_H
#define JXJY_HANDLERS_PROJECTS_H

#include "http/request.h"

void h_projects_list(api_req *r);
void h_projects_create(api_req *r);
void h_projects_get(api_req *r);
void h_projects_submit(api_req *r);
void h_projects_approve(api_req *r);
void h_projects_reject(api_req *r);
void h_late_windows_create(api_req *r);
void h_late_windows_list(api_req *r);
void h_late_windows_get(api_req *r);

extern const api_op op_late_windows_create;
extern const api_op op_late_windows_get;
extern const api_op op_late_windows_list;
extern const api_op op_projects_approve;
extern const api_op op_projects_create;
extern const api_op op_projects_get;
extern const api_op op_projects_list;
extern const api_op op_projects_reject;
extern const api_op op_projects_submit;
#endif
