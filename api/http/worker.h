/* A worker process: one event loop, one evhttp, one database pool. */
#ifndef JXJY_API_WORKER_H
#define JXJY_API_WORKER_H

#include <stdint.h>

#include "auth/auth.h"
#include "auth/hasher.h"
#include "db.h"
#include "http/config.h"
#include "http/metrics.h"
#include "http/revocations.h"

struct event_base;
struct evhttp;
typedef struct api_conns api_conns;

struct api_worker {
	int index;
	long pid;         /* this worker's process id (request ids) */
	const api_config *cfg;
	struct event_base *base;
	struct evhttp *http;
	db_pool *pool;
	api_auth *auth;
	api_hasher *hasher;
	api_metrics *metrics;
	api_conns *conns; /* open connections (http/conn.h) */
	api_revocations *revocations; /* the revoked jtis (http/revocations.h) */
	uint64_t seq;     /* request id counter */
};

/* Runs a worker on the listening socket until SIGTERM/SIGINT.  Returns the
 * process exit code. */
int api_worker_run(int index, int listen_fd, const api_config *cfg, api_metrics *metrics);
#endif
