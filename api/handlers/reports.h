/* reports: the operations of reports.routes (GET /v1/reports/annual, R-25) */
#ifndef JXJY_HANDLERS_REPORTS_H
#define JXJY_HANDLERS_REPORTS_H

#include "http/request.h"

extern const api_op op_reports_annual;
#endif
