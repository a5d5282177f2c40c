/* achievements: handler declarations (rows in achievements.routes) */
#ifndef JXJY_HANDLERS_ACHIEVEMENTS_H
#define JXJY_HANDLERS_ACHIEVEMENTS_H

#include "http/request.h"

extern const api_op op_achievements_approve;
extern const api_op op_achievements_create;
extern const api_op op_achievements_get;
extern const api_op op_achievements_list;
extern const api_op op_achievements_reject;
#endif
