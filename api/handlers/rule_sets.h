/* rule_sets: handler declarations (rows in rule_sets.routes) */
#ifndef JXJY_HANDLERS_RULE_SETS_H
#define JXJY_HANDLERS_RULE_SETS_H

#include "../request.h"

#endif
