/* A worker process: one event loop, one evhttp, one database pool. */
#ifndef JXJY_API_WORKER_H
#define JXJY_API_WORKER_H

#include "auth/auth.h"
#include "http/config.h"
#include "db.h"
#include "auth/hasher.h"
#include "http/metrics.h"

struct event_base;
struct evhttp;

struct api_worker {
	int index;
	const api_config *cfg;
	struct event_base *base;
	struct evhttp *http;
	db_pool *pool;
	api_auth *auth;
	api_hasher *hasher;
	api_metrics *metrics;
	struct api_conn_table *conns;
	int open_conns;
	uint64_t seq; /* request id counter */
};

/* Runs a worker on the listening socket until SIGTERM/SIGINT.  Returns the
 * process exit code. */
int api_worker_run(int index, int listen_fd, const api_config *cfg, api_metrics *metrics);
#endif
