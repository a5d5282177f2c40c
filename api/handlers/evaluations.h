/* evaluations: unit evaluations and commendations; operations
 * (rows in evaluations.routes) */
#ifndef JXJY_HANDLERS_EVALUATIONS_H
#define JXJY_HANDLERS_EVALUATIONS_H

#include "http/request.h"

extern const api_op op_commendations_create;
extern const api_op op_commendations_list;
extern const api_op op_evaluations_create;
extern const api_op op_evaluations_list;
#endif
