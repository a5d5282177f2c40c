/* compliance: handler declarations (rows in compliance.routes) */
#ifndef JXJY_HANDLERS_COMPLIANCE_H
#define JXJY_HANDLERS_COMPLIANCE_H

#include "../request.h"

#endif
