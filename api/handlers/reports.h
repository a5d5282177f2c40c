/* reports: handler declarations (rows in reports.routes) */
#ifndef JXJY_HANDLERS_REPORTS_H
#define JXJY_HANDLERS_REPORTS_H

#include "http/request.h"

/* GET /v1/reports/annual */
void h_reports_annual(api_req *r);

extern const api_op op_reports_annual;
#endif
