/* projects: handler declarations (rows in projects.routes) */
#ifndef JXJY_HANDLERS_PROJECTS_H
#define JXJY_HANDLERS_PROJECTS_H

#include "http/request.h"

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
