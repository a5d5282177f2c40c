/* samples: handler declarations (rows in samples.routes) */
#ifndef JXJY_HANDLERS_SAMPLES_H
#define JXJY_HANDLERS_SAMPLES_H

#include "../request.h"

#endif
