/* units: handler declarations (rows in units.routes) */
#ifndef JXJY_HANDLERS_UNITS_H
#define JXJY_HANDLERS_UNITS_H

#include "../request.h"

#endif
