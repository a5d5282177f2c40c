/* subjects: handlers of this resource (see subjects.routes) */
#include "handlers.h"
