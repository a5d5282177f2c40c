/* guides: handlers of this resource (see guides.routes) */
#include "handlers.h"
