/* evaluations: unit evaluations and commendations */
#ifndef JXJY_HANDLERS_EVALUATIONS_H
#define JXJY_HANDLERS_EVALUATIONS_H

#include "http/request.h"

void h_evaluations_list(api_req *r);
void h_evaluations_create(api_req *r);
void h_commendations_list(api_req *r);
void h_commendations_create(api_req *r);
extern const api_op op_commendations_create;
extern const api_op op_commendations_list;
extern const api_op op_evaluations_create;
extern const api_op op_evaluations_list;
#endif
