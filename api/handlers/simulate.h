/* simulate: operations (rows in simulate.routes) */
#ifndef JXJY_HANDLERS_SIMULATE_H
#define JXJY_HANDLERS_SIMULATE_H

#include "http/request.h"

extern const api_op op_rule_sets_simulate;
#endif
