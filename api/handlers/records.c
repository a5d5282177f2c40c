/* records: handlers of this resource (see records.routes) */
#include "handlers.h"
