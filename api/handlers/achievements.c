/* achievements: handlers of this resource (see achievements.routes) */
#include "handlers.h"
