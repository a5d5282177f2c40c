/*
 * A worker's event loop: the evhttp server with the limits SECURITY.md
 * asks for, its connections (http/conn.c) and requests (http/intake.c), the
 * database pool, and the signals that stop it.
 */
#include "http/worker.h"

#include <signal.h>
#include <stddef.h>
#include <sys/time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/http.h>

#include "handlers/jobs.h"
#include "http/conn.h"
#include "http/intake.h"
#include "http/log.h"
#include "http/request.h"
#include "http/revocations.h"

/* The drain is over: no connection is left. */
static void drain_done(void *arg)
{
	api_worker *w = arg;
	event_base_loopexit(w->base, NULL);
}

/* The drain's time is up: the requests still at the database are answered
 * 503 (their batches cancelled), and a moment later the loop ends whatever
 * is left. */
static void on_drain_timer(evutil_socket_t fd, short what, void *arg)
{
	api_worker *w = arg;
	if (w->drain_cut) {
		event_base_loopexit(w->base, NULL);
		return;
	}
	w->drain_cut = true;
	int n = api_conns_inflight(w->conns);
	if (n > 0)
		log_warn(NULL, "worker %d: drain cut off with %d requests in flight", w->index, n);
	db_pool_cancel(w->pool);
	struct timeval flush = { 0, 250 * 1000 }; /* for those answers to leave */
	evtimer_add(w->drain_timer, &flush);
}

/* SIGTERM (budget_s: JXJY_DRAIN_S) or SIGINT (0): stop accepting, close
 * the idle connections, let the requests in flight finish within the
 * budget, then end the loop (issue 11).  A SIGINT during a drain cuts it
 * now. */
static void drain_begin(api_worker *w, int budget_s)
{
	if (w->draining) {
		if (budget_s == 0 && !w->drain_cut)
			event_active(w->drain_timer, EV_TIMEOUT, 0);
		return;
	}
	w->draining = true;
	log_info(NULL, "worker %d draining: %d requests in flight, %d s at most", w->index,
	         api_conns_inflight(w->conns), budget_s);
	if (w->bound) {
		evhttp_del_accept_socket(w->http, w->bound); /* closes this worker's copy */
		w->bound = NULL;
	}
	struct timeval tv = { budget_s, 0 };
	evtimer_add(w->drain_timer, &tv);
	api_conns_drain(w->conns, drain_done, w);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	api_worker *w = arg;
	drain_begin(w, sig == SIGTERM ? w->cfg->drain_s : 0);
}

bool api_worker_draining(const api_worker *w)
{
	return w->draining || api_ready_draining(w->ready);
}

/* The pool's connection count went from none to some or back. */
static void on_pool_state(bool up, void *arg)
{
	api_worker *w = arg;
	api_ready_set_db(w->ready, w->index, w->pid, up);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	api_worker *w = arg;
	db_pool_stats s;
	db_pool_get_stats(w->pool, &s);
	api_metrics_pool(w->metrics, w->index, &s);
	api_jobs_tick(w); /* tracked jobs (R-32 re-decisions) */
}

static struct evhttp *http_new(api_worker *w, int listen_fd)
{
	const api_config *cfg = w->cfg;
	struct evhttp *http = evhttp_new(w->base);
	if (!http)
		return NULL;
	evhttp_set_max_headers_size(http, 16 * 1024);
	/* bodies up to the bulk limit reach the intake, which applies each
	 * route's own limit and answers problem+json */
	evhttp_set_max_body_size(http, API_BULK_BODY_MAX);
	struct timeval idle = { cfg->idle_timeout, 0 };
	evhttp_set_timeout_tv(http, &idle);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
	                                     EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD);
	evhttp_set_default_content_type(http, "application/json");
	evhttp_set_bevcb(http, api_conns_accept, w->conns);
	evhttp_set_gencb(http, api_intake_request, w);
	if (!(w->bound = evhttp_accept_socket_with_handle(http, listen_fd))) {
		log_error(NULL, "worker %d could not accept on the listening socket", w->index);
		evhttp_free(http);
		return NULL;
	}
	return http;
}

/* The pool, the token verifier and the password hasher. */
static bool services_new(api_worker *w)
{
	const api_config *cfg = w->cfg;
	db_config dbc = {
		.conninfo = cfg->database_url,
		.user = *cfg->db_user ? cfg->db_user : NULL,
		.app_name = "jxjy-gateway",
		.size = cfg->db_pool,
		.max_waiting = 1024,
		.wait_timeout_ms = cfg->db_wait_ms,
		.prepared = cfg->db_prepared,
		.on_state = on_pool_state,
		.on_state_arg = w,
	};
	if (db_pool_new(&w->pool, w->base, &dbc) != DB_OK ||
	    api_auth_new(&w->auth, cfg->jwt_secret, cfg->jwt_secret_len, 4096) != 0 ||
	    api_hasher_new(&w->hasher, w->base) != 0 ||
	    !(w->revocations = api_revocations_start(w))) {
		log_error(NULL, "worker %d could not start: out of memory or bad configuration", w->index);
		return false;
	}
	return true;
}

int api_worker_run(int index, int listen_fd, const api_config *cfg, api_metrics *metrics,
                   api_ready *ready)
{
	api_worker w = { .index = index, .cfg = cfg, .metrics = metrics, .ready = ready };
	int rc = 1;
	struct event *sigterm = NULL, *sigint = NULL, *tick = NULL;
	/* epoll's changelist: the enable/disable of a connection's events
	 * within one loop turn become one epoll_ctl (evhttp toggles read and
	 * write around every request); no fd is dup'ed here */
	struct event_config *ec = event_config_new();
	if (!ec)
		return 1;
	event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	w.base = event_base_new_with_config(ec);
	event_config_free(ec);
	if (!w.base)
		return 1;
	w.pid = (long)getpid();
	api_ready_register(ready, index, w.pid); /* down until the pool says up */
	w.conns = api_conns_new(cfg->max_connections, cfg->request_deadline);
	if (!services_new(&w) || !(w.http = http_new(&w, listen_fd)))
		goto done;
	sigterm = evsignal_new(w.base, SIGTERM, on_signal, &w);
	sigint = evsignal_new(w.base, SIGINT, on_signal, &w);
	tick = event_new(w.base, -1, EV_PERSIST, on_tick, &w);
	w.drain_timer = evtimer_new(w.base, on_drain_timer, &w);
	struct timeval second = { 1, 0 };
	if (!sigterm || !sigint || !tick || !w.drain_timer)
		goto done;
	event_add(sigterm, NULL);
	event_add(sigint, NULL);
	event_add(tick, &second);
	log_info(NULL, "worker %d ready", index);
	event_base_dispatch(w.base);
	log_info(NULL, "worker %d stopping", index);
	rc = 0;
done:
	if (w.http)
		evhttp_free(w.http); /* closes connections */
	if (w.pool)
		db_pool_cancel(w.pool); /* work still at the database ends, its memory freed */
	if (w.drain_timer)
		event_free(w.drain_timer);
	if (tick)
		event_free(tick);
	if (sigterm)
		event_free(sigterm);
	if (sigint)
		event_free(sigint);
	api_hasher_free(w.hasher);
	api_auth_free(w.auth);
	db_pool_free(w.pool); /* before the revocations: a poll in flight ends here */
	api_revocations_free(w.revocations);
	api_conns_free(w.conns);
	event_base_free(w.base);
	api_ready_gone(ready, index);
	return rc;
}
