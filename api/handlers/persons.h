/* persons: handler declarations (rows in persons.routes) */
#ifndef JXJY_HANDLERS_PERSONS_H
#define JXJY_HANDLERS_PERSONS_H

#include "../request.h"

#endif
