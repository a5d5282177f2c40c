/* persons: handlers of this resource (see persons.routes) */
#include "handlers.h"
