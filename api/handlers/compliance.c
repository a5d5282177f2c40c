/* compliance: handlers of this resource (see compliance.routes) */
#include "handlers.h"
