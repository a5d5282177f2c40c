/* rule_sets: handler declarations (rows in rule_sets.routes) */
#ifndef JXJY_HANDLERS_RULE_SETS_H
#define JXJY_HANDLERS_RULE_SETS_H

#include "http/request.h"

void h_rule_sets_list(api_req *r);
void h_rule_sets_get(api_req *r);
void h_rule_sets_create(api_req *r);

extern const api_op op_rule_sets_create;
extern const api_op op_rule_sets_get;
extern const api_op op_rule_sets_list;
#endif
