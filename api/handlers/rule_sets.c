/* rule_sets: handlers of this resource (see rule_sets.routes) */
#include "handlers.h"
