/* records: handler declarations (rows in records.routes) */
#ifndef JXJY_HANDLERS_RECORDS_H
#define JXJY_HANDLERS_RECORDS_H

#include "http/request.h"

void h_records_list(api_req *r);
void h_records_get(api_req *r);
void h_records_create(api_req *r);
void h_records_verify(api_req *r);
void h_records_reject(api_req *r);
void h_records_revoke(api_req *r);

#endif
