/* projects: handlers of this resource (see projects.routes) */
#include "handlers.h"
