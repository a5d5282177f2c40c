/* samples: handlers */
#include "handlers.h"
