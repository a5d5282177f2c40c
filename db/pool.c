/*
 * The connection pool: nonblocking libpq on the caller's event loop.
 *
 * Each connection is a small state machine driven by events on its socket:
 *
 *   DOWN --timer--> CONNECTING --ok--> IDLE <--release-- BUSY <--> RUNNING
 *     ^                 |                 \--acquire--> BUSY
 *     +----failed-------+        BUSY --release in tx--> CLEANING --> IDLE
 *
 * Connections stay in pipeline mode for their whole life; a batch is sent as
 * one pipeline closed by a sync, so its statements cost one round trip.
 */
#include "db.h"
#include "result.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <libpq-fe.h>

typedef enum conn_state {
	CONN_DOWN,
	CONN_CONNECTING,
	CONN_IDLE,
	CONN_BUSY,
	CONN_RUNNING,
	CONN_CLEANING,
} conn_state;

/* What the connection expects back from the server, in order. */
typedef struct expect {
	int call;        /* index into the batch, -1 for internal statements */
	int stmt;        /* statement id, for a prepare */
	bool is_prepare;
} expect;

struct db_conn {
	db_pool *pool;
	PGconn *pg;
	conn_state state;
	int fd;
	struct event *ev_read;
	struct event *ev_write;
	struct event *ev_timer; /* reconnect backoff and connect deadline */
	int backoff_ms;
	bool broken;             /* lost while checked out: reconnect on release */
	bool prepared[DB_STMT__COUNT];

	/* the batch in flight */
	expect exp[DB_BATCH_MAX * 2 + 1];
	int nexp, cur;
	bool cur_has_result;
	int ncalls;
	db_result results[DB_BATCH_MAX];
	db_result *result_ptrs[DB_BATCH_MAX];
	db_error err;
	db_batch_cb cb;
	void *cb_arg;
};

typedef struct waiter {
	db_acquire_cb cb;
	void *arg;
	struct timeval deadline;
} waiter;

struct db_pool {
	struct event_base *base;
	char *conninfo, *user, *app_name;
	int size, max_waiting, wait_timeout_ms;
	bool use_prepared;
	db_conn *conns;
	waiter *queue; /* ring buffer */
	int q_head, q_len;
	struct event *ev_queue_timer;
	struct event *ev_dispatch;
	bool down; /* the last connection attempt failed and none is up */
	bool up_said; /* what on_state was last told */
	bool stopping; /* db_pool_cancel: refuse everything, reconnect nothing */
	void (*on_state)(bool up, void *arg);
	void *on_state_arg;
	struct timeval last_try; /* of the last attempt a request started (pool_try_now) */
	uint64_t errors, reconnects;
};

#define BACKOFF_MIN_MS 50
#define BACKOFF_MAX_MS 2000
#define CONNECT_TIMEOUT_MS 5000

static void conn_start_connect(db_conn *c);
static void conn_schedule_reconnect(db_conn *c);
static void conn_on_io(evutil_socket_t fd, short what, void *arg);
static void pool_dispatch(db_pool *pool);

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void ms_to_tv(struct timeval *tv, int ms)
{
	tv->tv_sec = ms / 1000;
	tv->tv_usec = (ms % 1000) * 1000;
}

static void conn_clear_results(db_conn *c)
{
	for (int i = 0; i < DB_BATCH_MAX; i++) {
		if (c->results[i].res) {
			PQclear(c->results[i].res);
			c->results[i].res = NULL;
		}
	}
}

static void conn_drop_events(db_conn *c)
{
	if (c->ev_read) {
		event_free(c->ev_read);
		c->ev_read = NULL;
	}
	if (c->ev_write) {
		event_free(c->ev_write);
		c->ev_write = NULL;
	}
	c->fd = -1;
}

/* (Re)binds the read/write events to the connection's current socket. */
static int conn_bind_socket(db_conn *c)
{
	int fd = PQsocket(c->pg);
	if (fd < 0)
		return -1;
	if (fd == c->fd && c->ev_read)
		return 0;
	conn_drop_events(c);
	c->fd = fd;
	c->ev_read = event_new(c->pool->base, fd, EV_READ | EV_PERSIST, conn_on_io, c);
	c->ev_write = event_new(c->pool->base, fd, EV_WRITE, conn_on_io, c);
	return (c->ev_read && c->ev_write) ? 0 : -1;
}

static void conn_close(db_conn *c)
{
	conn_drop_events(c);
	if (c->pg) {
		PQfinish(c->pg);
		c->pg = NULL;
	}
	conn_clear_results(c);
	memset(c->prepared, 0, sizeof c->prepared);
}

static int pool_connected(const db_pool *pool)
{
	int n = 0;
	for (int i = 0; i < pool->size; i++) {
		conn_state s = pool->conns[i].state;
		if (s != CONN_DOWN && s != CONN_CONNECTING && !pool->conns[i].broken)
			n++;
	}
	return n;
}

static bool pool_connecting(const db_pool *pool)
{
	for (int i = 0; i < pool->size; i++)
		if (pool->conns[i].state == CONN_CONNECTING)
			return true;
	return false;
}

/* Tells on_state when the pool went from no connection up to one, or back
 * (/readyz of every worker reads it: issue 11).  Called after every change
 * of a connection's state that pool_connected counts. */
static void pool_publish(db_pool *pool)
{
	bool up = pool_connected(pool) > 0;
	if (up == pool->up_said)
		return;
	pool->up_said = up;
	if (pool->on_state)
		pool->on_state(up, pool->on_state_arg);
}

/* A request found every connection down: rather than refuse it until a
 * backoff timer fires (up to BACKOFF_MAX_MS after the database is back),
 * start one connection now and let the request wait for it.  At most one
 * attempt at a time, and one every BACKOFF_MIN_MS at the most, so a
 * stream of requests against a dead database is no reconnect storm.
 * True when an attempt is under way. */
static bool pool_try_now(db_pool *pool)
{
	if (pool_connecting(pool))
		return true;
	struct timeval now, since;
	event_base_gettimeofday_cached(pool->base, &now);
	timersub(&now, &pool->last_try, &since);
	if (since.tv_sec == 0 && since.tv_usec < BACKOFF_MIN_MS * 1000)
		return false;
	pool->last_try = now;
	for (int i = 0; i < pool->size; i++) {
		db_conn *c = &pool->conns[i];
		if (c->state != CONN_DOWN)
			continue;
		evtimer_del(c->ev_timer); /* its backoff: this attempt replaces it */
		conn_start_connect(c);    /* a refusal at once schedules the backoff again */
		return c->state == CONN_CONNECTING;
	}
	return false;
}

static void set_error(db_error *e, int code, const char *msg)
{
	memset(e, 0, sizeof *e);
	e->code = code;
	e->failed_index = -1;
	if (msg)
		snprintf(e->message, sizeof e->message, "%s", msg);
}

/* The connection was lost mid-use or failed to connect. */
static void conn_fail(db_conn *c, const char *why)
{
	db_pool *pool = c->pool;
	pool->errors++;
	conn_state was = c->state;
	if (was == CONN_RUNNING) {
		/* the owner learns of it through its batch callback */
		db_batch_cb cb = c->cb;
		void *arg = c->cb_arg;
		db_error err;
		set_error(&err, DB_EUNAVAIL, why);
		conn_close(c);
		c->broken = true;
		c->state = CONN_BUSY;
		pool_publish(pool);
		db_result *none[DB_BATCH_MAX] = { 0 };
		cb(c, none, c->ncalls, &err, arg);
		return;
	}
	if (was == CONN_BUSY) {
		conn_close(c);
		c->broken = true;
		pool_publish(pool);
		return;
	}
	/* idle, connecting or cleaning: nobody owns it */
	conn_close(c);
	conn_schedule_reconnect(c);
}

static void conn_on_timer(evutil_socket_t fd, short what, void *arg)
{
	db_conn *c = arg;
	(void)fd;
	(void)what;
	if (c->state == CONN_DOWN) {
		conn_start_connect(c);
	} else if (c->state == CONN_CONNECTING) {
		/* connect deadline passed */
		conn_close(c);
		conn_schedule_reconnect(c);
	}
}

static void conn_schedule_reconnect(db_conn *c)
{
	db_pool *pool = c->pool;
	c->state = CONN_DOWN;
	c->broken = false;
	pool_publish(pool);
	if (pool_connected(pool) == 0) {
		pool->down = true;
		/* nobody can be served now: fail the waiters fast */
		pool_dispatch(pool);
	}
	if (pool->stopping)
		return;
	struct timeval tv;
	ms_to_tv(&tv, c->backoff_ms);
	c->backoff_ms = c->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : c->backoff_ms * 2;
	evtimer_add(c->ev_timer, &tv);
}

static void conn_became_idle(db_conn *c)
{
	c->state = CONN_IDLE;
	event_add(c->ev_read, NULL); /* notice a server-side close while idle */
	pool_dispatch(c->pool);
}

static void conn_poll_connect(db_conn *c)
{
	PostgresPollingStatusType st = PQconnectPoll(c->pg);
	if (st == PGRES_POLLING_FAILED) {
		c->pool->errors++;
		conn_close(c);
		conn_schedule_reconnect(c);
		return;
	}
	if (conn_bind_socket(c) < 0) {
		conn_close(c);
		conn_schedule_reconnect(c);
		return;
	}
	if (st == PGRES_POLLING_OK) {
		evtimer_del(c->ev_timer);
		if (PQsetnonblocking(c->pg, 1) != 0 || PQenterPipelineMode(c->pg) != 1) {
			conn_close(c);
			conn_schedule_reconnect(c);
			return;
		}
		c->backoff_ms = BACKOFF_MIN_MS;
		c->pool->down = false;
		c->pool->reconnects++;
		c->state = CONN_IDLE;
		pool_publish(c->pool); /* before any waiter is served */
		conn_became_idle(c);
		return;
	}
	if (st == PGRES_POLLING_READING) {
		event_del(c->ev_write);
		event_add(c->ev_read, NULL);
	} else {
		event_del(c->ev_read);
		event_add(c->ev_write, NULL);
	}
}

static void conn_start_connect(db_conn *c)
{
	db_pool *pool = c->pool;
	const char *keys[5], *vals[5];
	int k = 0;
	keys[k] = "dbname";
	vals[k++] = pool->conninfo;
	if (pool->user) {
		keys[k] = "user";
		vals[k++] = pool->user;
	}
	keys[k] = "application_name";
	vals[k++] = pool->app_name ? pool->app_name : "jxjy";
	keys[k] = NULL;
	vals[k] = NULL;

	c->pg = PQconnectStartParams(keys, vals, 1);
	if (!c->pg || PQstatus(c->pg) == CONNECTION_BAD || conn_bind_socket(c) < 0) {
		pool->errors++;
		conn_close(c);
		conn_schedule_reconnect(c);
		return;
	}
	c->state = CONN_CONNECTING;
	struct timeval tv;
	ms_to_tv(&tv, CONNECT_TIMEOUT_MS);
	evtimer_add(c->ev_timer, &tv);
	/* libpq wants a write-ready socket first */
	event_add(c->ev_write, NULL);
}

static void conn_flush(db_conn *c)
{
	int r = PQflush(c->pg);
	if (r < 0) {
		conn_fail(c, PQerrorMessage(c->pg));
		return;
	}
	if (r == 1)
		event_add(c->ev_write, NULL);
}

static void fill_sql_error(db_error *e, const PGresult *res, int call)
{
	const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *k = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
	const char *col = PQresultErrorField(res, PG_DIAG_COLUMN_NAME);
	e->code = DB_ESQL;
	e->failed_index = call;
	snprintf(e->sqlstate, sizeof e->sqlstate, "%s", s ? s : "XX000");
	snprintf(e->message, sizeof e->message, "%s", m ? m : "unknown server error");
	snprintf(e->constraint, sizeof e->constraint, "%s", k ? k : "");
	snprintf(e->column, sizeof e->column, "%s", col ? col : "");
}

static void conn_batch_done(db_conn *c)
{
	db_batch_cb cb = c->cb;
	void *arg = c->cb_arg;
	int n = c->ncalls;
	c->state = CONN_BUSY;
	c->cb = NULL;
	for (int i = 0; i < n; i++)
		c->result_ptrs[i] = c->results[i].res ? &c->results[i] : NULL;
	if (c->err.code != DB_OK)
		c->pool->errors++;
	db_error err = c->err;
	if (cb) {
		cb(c, c->result_ptrs, n, &err, arg);
	}
}

/* Keeps the result of a call, unless its width disagrees with the
 * statement's column list: then the batch fails (a programming error, the
 * edge answers 500) and no later result of it is kept.  The statements
 * after it have run all the same: a sent pipeline cannot be recalled. */
static void conn_take_result(db_conn *c, const expect *e, PGresult *res)
{
	char why[sizeof c->err.message];
	if (db_result_check_width(res, e->stmt, why, sizeof why) < 0) {
		PQclear(res);
		set_error(&c->err, DB_EINVAL, why);
		c->err.failed_index = e->call;
		return;
	}
	if (c->results[e->call].res)
		PQclear(c->results[e->call].res);
	c->results[e->call].res = res;
	c->results[e->call].stmt = e->stmt;
}

/* Reads what the server sent for the batch in flight. */
static void conn_read_results(db_conn *c)
{
	while (!PQisBusy(c->pg)) {
		PGresult *res = PQgetResult(c->pg);
		if (!res) {
			if (!c->cur_has_result)
				return; /* nothing more for now */
			c->cur++;
			c->cur_has_result = false;
			continue;
		}
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			if (c->state == CONN_CLEANING) {
				conn_clear_results(c);
				if (PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
					conn_close(c);
					conn_schedule_reconnect(c);
				} else {
					conn_became_idle(c);
				}
			} else {
				conn_batch_done(c);
			}
			return;
		}
		c->cur_has_result = true;
		if (c->cur >= c->nexp) {
			PQclear(res); /* more results than expected: should not happen */
			continue;
		}
		const expect *e = &c->exp[c->cur];
		bool failed = (st == PGRES_FATAL_ERROR || st == PGRES_BAD_RESPONSE);
		if (failed && c->err.code == DB_OK)
			fill_sql_error(&c->err, res, e->call);
		if (e->is_prepare) {
			if (st != PGRES_COMMAND_OK)
				c->prepared[e->stmt] = false;
			PQclear(res);
		} else if (e->call >= 0 && !failed && st != PGRES_PIPELINE_ABORTED &&
		           c->err.code == DB_OK) {
			conn_take_result(c, e, res);
		} else {
			PQclear(res);
		}
	}
}

static void conn_on_io(evutil_socket_t fd, short what, void *arg)
{
	db_conn *c = arg;
	(void)fd;
	switch (c->state) {
	case CONN_CONNECTING:
		conn_poll_connect(c);
		return;
	case CONN_RUNNING:
	case CONN_CLEANING:
		if (what & EV_WRITE) {
			conn_flush(c);
			if (c->state != CONN_RUNNING && c->state != CONN_CLEANING)
				return;
		}
		if (what & EV_READ) {
			if (!PQconsumeInput(c->pg)) {
				conn_fail(c, PQerrorMessage(c->pg));
				return;
			}
			conn_read_results(c);
		}
		return;
	case CONN_IDLE:
	case CONN_BUSY:
		/* unexpected input while nothing is in flight: a notice, or the
		 * server closing the connection (shutdown, admin kill) */
		if (!PQconsumeInput(c->pg) || PQstatus(c->pg) != CONNECTION_OK) {
			conn_fail(c, "connection closed by the server");
			return;
		}
		while (!PQisBusy(c->pg)) {
			PGresult *res = PQgetResult(c->pg);
			if (!res)
				break;
			PQclear(res);
		}
		return;
	case CONN_DOWN:
		return;
	}
}

/* Sends the statements of a batch; returns 0 or -1 when the connection failed. */
static int conn_send(db_conn *c, const db_call *calls, int n, bool internal_rollback)
{
	db_pool *pool = c->pool;
	c->nexp = 0;
	c->cur = 0;
	c->cur_has_result = false;
	set_error(&c->err, DB_OK, NULL);
	if (internal_rollback) {
		if (!PQsendQueryParams(c->pg, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0))
			return -1;
		c->exp[c->nexp++] = (expect){ .call = -1, .stmt = -1 };
	}
	for (int i = 0; i < n; i++) {
		const db_stmt_def *d = db_stmt_get(calls[i].stmt);
		if (pool->use_prepared) {
			if (!c->prepared[calls[i].stmt]) {
				if (!PQsendPrepare(c->pg, d->name, d->sql, d->nparams, NULL))
					return -1;
				c->prepared[calls[i].stmt] = true;
				c->exp[c->nexp++] = (expect){ .call = i, .stmt = calls[i].stmt, .is_prepare = true };
			}
			if (!PQsendQueryPrepared(c->pg, d->name, d->nparams, calls[i].values, NULL, NULL, 0))
				return -1;
		} else {
			if (!PQsendQueryParams(c->pg, d->sql, d->nparams, NULL, calls[i].values, NULL, NULL, 0))
				return -1;
		}
		c->exp[c->nexp++] = (expect){ .call = i, .stmt = calls[i].stmt };
	}
	if (!PQpipelineSync(c->pg))
		return -1;
	return 0;
}

int db_conn_run(db_conn *c, const db_call *calls, int n, db_batch_cb cb, void *arg)
{
	if (n < 0 || n > DB_BATCH_MAX || c->state != CONN_BUSY)
		return DB_EINVAL;
	if (c->broken || c->pool->stopping)
		return DB_EUNAVAIL;
	conn_clear_results(c);
	c->ncalls = n;
	c->cb = cb;
	c->cb_arg = arg;
	if (conn_send(c, calls, n, false) < 0) {
		c->pool->errors++;
		conn_close(c);
		c->broken = true;
		return DB_EUNAVAIL;
	}
	c->state = CONN_RUNNING;
	conn_flush(c);
	return 0;
}

bool db_conn_in_transaction(const db_conn *c)
{
	if (!c->pg)
		return false;
	PGTransactionStatusType t = PQtransactionStatus(c->pg);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

void db_conn_release(db_conn *c)
{
	assert(c->state == CONN_BUSY);
	conn_clear_results(c);
	if (c->broken || !c->pg || PQstatus(c->pg) != CONNECTION_OK) {
		conn_close(c);
		conn_schedule_reconnect(c);
		return;
	}
	if (db_conn_in_transaction(c)) {
		c->ncalls = 0;
		c->cb = NULL;
		if (conn_send(c, NULL, 0, true) < 0) {
			conn_close(c);
			conn_schedule_reconnect(c);
			return;
		}
		c->state = CONN_CLEANING;
		conn_flush(c);
		return;
	}
	c->state = CONN_IDLE;
	/* hand it to a waiter from the loop, not from inside the caller */
	if (c->pool->q_len > 0)
		event_active(c->pool->ev_dispatch, 0, 0);
}

static db_conn *pool_take_idle(db_pool *pool)
{
	for (int i = 0; i < pool->size; i++) {
		db_conn *c = &pool->conns[i];
		if (c->state == CONN_IDLE) {
			c->state = CONN_BUSY;
			return c;
		}
	}
	return NULL;
}

static void queue_arm_timer(db_pool *pool)
{
	if (pool->q_len == 0) {
		evtimer_del(pool->ev_queue_timer);
		return;
	}
	struct timeval now, left;
	event_base_gettimeofday_cached(pool->base, &now);
	const waiter *w = &pool->queue[pool->q_head];
	if (timercmp(&w->deadline, &now, <)) {
		left.tv_sec = 0;
		left.tv_usec = 0;
	} else {
		timersub(&w->deadline, &now, &left);
	}
	evtimer_add(pool->ev_queue_timer, &left);
}

static waiter queue_pop(db_pool *pool)
{
	waiter w = pool->queue[pool->q_head];
	pool->q_head = (pool->q_head + 1) % pool->max_waiting;
	pool->q_len--;
	return w;
}

/* Serves waiters in FIFO order; fails them when the database is down or
 * their wait has expired. */
static void pool_dispatch(db_pool *pool)
{
	struct timeval now;
	event_base_gettimeofday_cached(pool->base, &now);
	while (pool->q_len > 0) {
		waiter *head = &pool->queue[pool->q_head];
		db_error err;
		if (pool->stopping || (pool->down && pool_connected(pool) == 0 && !pool_connecting(pool))) {
			waiter w = queue_pop(pool);
			set_error(&err, DB_EUNAVAIL, "database unavailable");
			w.cb(NULL, &err, w.arg);
			continue;
		}
		if (timercmp(&head->deadline, &now, <=)) {
			waiter w = queue_pop(pool);
			set_error(&err, DB_EBUSY, "timed out waiting for a database connection");
			w.cb(NULL, &err, w.arg);
			continue;
		}
		db_conn *c = pool_take_idle(pool);
		if (!c)
			break;
		waiter w = queue_pop(pool);
		set_error(&err, DB_OK, NULL);
		w.cb(c, &err, w.arg);
	}
	queue_arm_timer(pool);
}

static void pool_on_event(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pool_dispatch(arg);
}

void db_pool_acquire(db_pool *pool, db_acquire_cb cb, void *arg)
{
	db_error err;
	if (pool->stopping) {
		set_error(&err, DB_EUNAVAIL, "the gateway is stopping");
		cb(NULL, &err, arg);
		return;
	}
	if (pool->q_len == 0) {
		db_conn *c = pool_take_idle(pool);
		if (c) {
			set_error(&err, DB_OK, NULL);
			cb(c, &err, arg);
			return;
		}
	}
	if (pool->down && pool_connected(pool) == 0 && !pool_try_now(pool)) {
		set_error(&err, DB_EUNAVAIL, "database unavailable");
		cb(NULL, &err, arg);
		return;
	}
	if (pool->q_len >= pool->max_waiting) {
		set_error(&err, DB_EBUSY, "could not acquire database connection: wait queue full");
		cb(NULL, &err, arg);
		return;
	}
	struct timeval now, d;
	event_base_gettimeofday_cached(pool->base, &now);
	ms_to_tv(&d, pool->wait_timeout_ms);
	waiter *w = &pool->queue[(pool->q_head + pool->q_len) % pool->max_waiting];
	w->cb = cb;
	w->arg = arg;
	timeradd(&now, &d, &w->deadline);
	pool->q_len++;
	if (pool->q_len == 1)
		queue_arm_timer(pool);
}

int db_pool_new(db_pool **out, struct event_base *base, const db_config *cfg)
{
	*out = NULL;
	if (!cfg->conninfo || cfg->size < 1 || cfg->size > 1024 || cfg->max_waiting < 1)
		return DB_EINVAL;
	db_pool *pool = calloc(1, sizeof *pool);
	if (!pool)
		return DB_EINVAL;
	pool->base = base;
	pool->conninfo = strdup(cfg->conninfo);
	pool->user = dup_or_null(cfg->user);
	pool->app_name = dup_or_null(cfg->app_name);
	pool->size = cfg->size;
	pool->max_waiting = cfg->max_waiting;
	pool->wait_timeout_ms = cfg->wait_timeout_ms > 0 ? cfg->wait_timeout_ms : 2000;
	pool->use_prepared = cfg->prepared;
	pool->on_state = cfg->on_state;
	pool->on_state_arg = cfg->on_state_arg;
	pool->conns = calloc((size_t)cfg->size, sizeof *pool->conns);
	pool->queue = calloc((size_t)cfg->max_waiting, sizeof *pool->queue);
	pool->ev_queue_timer = evtimer_new(base, pool_on_event, pool);
	pool->ev_dispatch = event_new(base, -1, 0, pool_on_event, pool);
	if (!pool->conninfo || !pool->conns || !pool->queue || !pool->ev_queue_timer ||
	    !pool->ev_dispatch) {
		db_pool_free(pool);
		return DB_EINVAL;
	}
	for (int i = 0; i < pool->size; i++) {
		db_conn *c = &pool->conns[i];
		c->pool = pool;
		c->fd = -1;
		c->backoff_ms = BACKOFF_MIN_MS;
		c->state = CONN_DOWN;
		c->ev_timer = evtimer_new(base, conn_on_timer, c);
		if (!c->ev_timer) {
			db_pool_free(pool);
			return DB_EINVAL;
		}
	}
	for (int i = 0; i < pool->size; i++)
		conn_start_connect(&pool->conns[i]);
	*out = pool;
	return DB_OK;
}

void db_pool_free(db_pool *pool)
{
	if (!pool)
		return;
	if (pool->conns) {
		for (int i = 0; i < pool->size; i++) {
			conn_close(&pool->conns[i]);
			if (pool->conns[i].ev_timer)
				event_free(pool->conns[i].ev_timer);
		}
	}
	if (pool->ev_queue_timer)
		event_free(pool->ev_queue_timer);
	if (pool->ev_dispatch)
		event_free(pool->ev_dispatch);
	free(pool->conns);
	free(pool->queue);
	free(pool->conninfo);
	free(pool->user);
	free(pool->app_name);
	free(pool);
}

void db_pool_cancel(db_pool *pool)
{
	pool->stopping = true;
	for (int i = 0; i < pool->size; i++) {
		db_conn *c = &pool->conns[i];
		evtimer_del(c->ev_timer);
		switch (c->state) {
		case CONN_RUNNING:
			/* its owner hears DB_EUNAVAIL and releases it (closed, no reconnect) */
			conn_fail(c, "the gateway is stopping");
			break;
		case CONN_IDLE:
		case CONN_CONNECTING:
		case CONN_CLEANING:
			conn_close(c);
			c->state = CONN_DOWN;
			break;
		case CONN_BUSY: /* its owner's until released */
		case CONN_DOWN:
			break;
		}
	}
	pool_publish(pool);
	pool_dispatch(pool); /* refuses every waiter */
}

void db_pool_get_stats(const db_pool *pool, db_pool_stats *out)
{
	memset(out, 0, sizeof *out);
	out->size = pool->size;
	for (int i = 0; i < pool->size; i++) {
		conn_state s = pool->conns[i].state;
		if (s == CONN_BUSY || s == CONN_RUNNING)
			out->in_use++;
	}
	out->connected = pool_connected(pool);
	out->waiting = pool->q_len;
	out->errors = pool->errors;
	out->reconnects = pool->reconnects;
}

bool db_pool_is_up(const db_pool *pool)
{
	return pool_connected(pool) > 0;
}

bool db_error_is_unavailable(const db_error *err)
{
	if (err->code == DB_EUNAVAIL || err->code == DB_EBUSY)
		return true;
	if (err->code != DB_ESQL)
		return false;
	/* connection exceptions, operator intervention, insufficient resources */
	return strncmp(err->sqlstate, "08", 2) == 0 || strncmp(err->sqlstate, "57P", 3) == 0 ||
	       strncmp(err->sqlstate, "53", 2) == 0;
}

bool db_error_is_retryable(const db_error *err)
{
	return err->code == DB_ESQL &&
	       (strcmp(err->sqlstate, "40001") == 0 || strcmp(err->sqlstate, "40P01") == 0);
}
