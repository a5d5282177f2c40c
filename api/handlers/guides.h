/* guides: handler declarations (rows in guides.routes) */
#ifndef JXJY_HANDLERS_GUIDES_H
#define JXJY_HANDLERS_GUIDES_H

#include "http/request.h"

void h_guides_list(api_req *r);
void h_guides_create(api_req *r);
void h_guides_get(api_req *r);
void h_guides_publish(api_req *r);

extern const api_op op_guides_create;
extern const api_op op_guides_get;
extern const api_op op_guides_list;
extern const api_op op_guides_publish;
#endif
