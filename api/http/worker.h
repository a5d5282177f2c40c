/* A worker process: one event loop, one evhttp, one database pool. */
#ifndef JXJY_API_WORKER_H
#define JXJY_API_WORKER_H

#include <stdint.h>

#include "auth/auth.h"
#include "auth/hasher.h"
#include "db.h"
#include "http/config.h"
#include "http/metrics.h"
#include "http/ready.h"
#include "http/revocations.h"

struct event;
struct event_base;
struct evhttp;
struct evhttp_bound_socket;
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
	api_ready *ready; /* every worker's readiness (http/ready.h) */
	struct evhttp_bound_socket *bound; /* the listening socket, until the drain */
	bool draining;    /* SIGTERM: no new connections, answers close theirs */
	bool drain_cut;   /* the drain's time is up: the database work was cancelled */
	struct event *drain_timer;
	api_conns *conns; /* open connections (http/conn.h) */
	api_revocations *revocations; /* the revoked jtis (http/revocations.h) */
	uint64_t seq;     /* request id counter */
};

/* Runs a worker on the listening socket until SIGTERM (a drain: requests
 * in flight get up to cfg->drain_s seconds) or SIGINT (a drain of no
 * time).  Returns the process exit code. */
int api_worker_run(int index, int listen_fd, const api_config *cfg, api_metrics *metrics,
                   api_ready *ready);

/* This worker or the whole gateway (the supervisor's SIGTERM) is draining. */
bool api_worker_draining(const api_worker *w);
#endif
