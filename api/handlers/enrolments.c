/* enrolments: handlers of this resource (see enrolments.routes) */
#include "handlers.h"
