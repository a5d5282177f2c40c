/* achievements: handler declarations (rows in achievements.routes) */
#ifndef JXJY_HANDLERS_ACHIEVEMENTS_H
#define JXJY_HANDLERS_ACHIEVEMENTS_H

#include "http/request.h"

void h_achievements_list(api_req *r);
void h_achievements_get(api_req *r);
void h_achievements_create(api_req *r);
void h_achievements_approve(api_req *r);
void h_achievements_reject(api_req *r);

extern const api_op op_achievements_approve;
extern const api_op op_achievements_create;
extern const api_op op_achievements_get;
extern const api_op op_achievements_list;
extern const api_op op_achievements_reject;
#endif
