/* rule_sets: operations (rows in rule_sets.routes) */
#ifndef JXJY_HANDLERS_RULE_SETS_H
#define JXJY_HANDLERS_RULE_SETS_H

#include "http/request.h"
#include "jobs.h"

extern const api_op op_rule_sets_create;
extern const api_op op_rule_sets_get;
extern const api_op op_rule_sets_list;
#endif
