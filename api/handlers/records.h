/* records: handler declarations (rows in records.routes) */
#ifndef JXJY_HANDLERS_RECORDS_H
#define JXJY_HANDLERS_RECORDS_H

#include "http/request.h"

extern const api_op op_records_create;
extern const api_op op_records_get;
extern const api_op op_records_list;
extern const api_op op_records_reject;
extern const api_op op_records_revoke;
extern const api_op op_records_verify;
#endif
