/* audit: handler declarations (rows in audit.routes) */
#ifndef JXJY_HANDLERS_AUDIT_H
#define JXJY_HANDLERS_AUDIT_H

#include "http/request.h"

extern const api_op op_audit_list;
#endif
