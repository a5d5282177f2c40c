/* units: handlers of this resource (see units.routes) */
#include "handlers.h"
