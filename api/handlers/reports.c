/* reports: handlers */
#include "handlers.h"
