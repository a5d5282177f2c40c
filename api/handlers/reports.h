/* reports: handler declarations (rows in reports.routes) */
#ifndef JXJY_HANDLERS_REPORTS_H
#define JXJY_HANDLERS_REPORTS_H

#include "../request.h"

#endif
