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

#endif
