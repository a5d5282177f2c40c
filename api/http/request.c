/* What handlers may ask of their request beyond http/reply.c's answers. */
#include "http/request.h"

#include <time.h>

#include "http/worker.h"

uint64_t api_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

const api_config *api_req_config(const api_req *r)
{
	return r->w->cfg;
}

api_auth *api_req_auth(const api_req *r)
{
	return r->w->auth;
}
