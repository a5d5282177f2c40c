/* guides: handler declarations (rows in guides.routes) */
#ifndef JXJY_HANDLERS_GUIDES_H
#define JXJY_HANDLERS_GUIDES_H

#include "http/request.h"

extern const api_op op_guides_create;
extern const api_op op_guides_get;
extern const api_op op_guides_list;
extern const api_op op_guides_publish;
#endif
