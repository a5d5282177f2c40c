/* bases: handlers of this resource (see bases.routes) */
#include "handlers.h"
