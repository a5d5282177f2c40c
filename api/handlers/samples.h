/* samples: handler declarations (rows in samples.routes) */
#ifndef JXJY_HANDLERS_SAMPLES_H
#define JXJY_HANDLERS_SAMPLES_H

#include "http/request.h"

/* POST /v1/samples, GET /v1/samples/{id} */
void h_samples_create(api_req *r);
void h_samples_get(api_req *r);

extern const api_op op_samples_create;
extern const api_op op_samples_get;
#endif
