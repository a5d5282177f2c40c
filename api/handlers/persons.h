/* persons: handler declarations (rows in persons.routes) */
#ifndef JXJY_HANDLERS_PERSONS_H
#define JXJY_HANDLERS_PERSONS_H

#include "http/request.h"

extern const api_op op_persons_import;
extern const api_op op_persons_create;
extern const api_op op_persons_get;
extern const api_op op_persons_history;
extern const api_op op_persons_list;
extern const api_op op_persons_patch;
extern const api_op op_persons_transfer_create;
extern const api_op op_transfers_accept;
extern const api_op op_transfers_get;
#endif
