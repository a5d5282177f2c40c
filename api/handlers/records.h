/* records: handler declarations (rows in records.routes) */
#ifndef JXJY_HANDLERS_RECORDS_H
#define JXJY_HANDLERS_RECORDS_H

#include "../request.h"

#endif
