/* enrolments: handler declarations (rows in enrolments.routes) */
#ifndef JXJY_HANDLERS_ENROLMENTS_H
#define JXJY_HANDLERS_ENROLMENTS_H

#include "../request.h"

#endif
