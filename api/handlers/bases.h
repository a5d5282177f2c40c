/* bases: handler declarations (rows in bases.routes) */
#ifndef JXJY_HANDLERS_BASES_H
#define JXJY_HANDLERS_BASES_H

#include "../request.h"

#endif
