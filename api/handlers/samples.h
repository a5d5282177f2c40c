/* samples: the operations of samples.routes (POST /v1/samples, GET /v1/samples/{id}, R-25) */
#ifndef JXJY_HANDLERS_SAMPLES_H
#define JXJY_HANDLERS_SAMPLES_H

#include "http/request.h"

extern const api_op op_samples_create;
extern const api_op op_samples_get;
#endif
