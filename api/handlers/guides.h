/* guides: handler declarations (rows in guides.routes) */
#ifndef JXJY_HANDLERS_GUIDES_H
#define JXJY_HANDLERS_GUIDES_H

#include "../request.h"

#endif
