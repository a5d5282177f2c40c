/* units: handler declarations (rows in units.routes) */
#ifndef JXJY_HANDLERS_UNITS_H
#define JXJY_HANDLERS_UNITS_H

#include "http/request.h"


extern const api_op op_units_create;
extern const api_op op_units_get;
extern const api_op op_units_list;
extern const api_op op_units_update;
#endif
