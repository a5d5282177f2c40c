/* persons: handler declarations (rows in persons.routes) */
#ifndef JXJY_HANDLERS_PERSONS_H
#define JXJY_HANDLERS_PERSONS_H

#include "http/request.h"

/* persons.c */
void h_persons_list(api_req *r);
void h_persons_get(api_req *r);
void h_persons_create(api_req *r);
void h_persons_patch(api_req *r);
/* persons_import.c */
void h_persons_import(api_req *r);
/* persons_transfers.c */
void h_persons_transfer_create(api_req *r);
void h_transfers_get(api_req *r);
void h_transfers_accept(api_req *r);

extern const api_op op_persons_import;
extern const api_op op_persons_create;
extern const api_op op_persons_get;
extern const api_op op_persons_list;
extern const api_op op_persons_patch;
extern const api_op op_persons_transfer_create;
extern const api_op op_transfers_accept;
extern const api_op op_transfers_get;
#endif
