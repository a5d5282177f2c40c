/*
 * Connections: an open-addressing table from evhttp connection to our
 * record of it, the cap on open connections and the request deadline.
 */
#include "http/conn.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

#include "http/alloc.h"
#include "http/log.h"
#include "http/request.h"

struct api_conn {
	api_conns *t;
	struct bufferevent *bev;
	struct evhttp_connection *evcon;
	struct event *deadline;
	struct event *setup;
	api_req *inflight;
	bool over_cap;
};

struct api_conns {
	api_conn **slots;
	size_t cap; /* power of two */
	int open;
	int max_connections;
	int deadline_s;
	bool draining;               /* api_conns_drain */
	void (*on_empty)(void *arg); /* draining: the last connection closed */
	void *on_empty_arg;
};

static size_t ptr_hash(const void *p, size_t cap)
{
	uintptr_t x = (uintptr_t)p;
	x ^= x >> 17;
	x *= 0x9E3779B97F4A7C15ULL;
	return (size_t)(x >> 7) & (cap - 1);
}

static void table_put(api_conns *t, api_conn *c)
{
	size_t i = ptr_hash(c->evcon, t->cap);
	while (t->slots[i])
		i = (i + 1) & (t->cap - 1);
	t->slots[i] = c;
}

static api_conn *table_get(api_conns *t, const struct evhttp_connection *evcon)
{
	size_t i = ptr_hash(evcon, t->cap);
	while (t->slots[i]) {
		if (t->slots[i]->evcon == evcon)
			return t->slots[i];
		i = (i + 1) & (t->cap - 1);
	}
	return NULL;
}

/* Linear probing delete with backward shift. */
static void table_del(api_conns *t, const api_conn *c)
{
	size_t i = ptr_hash(c->evcon, t->cap);
	while (t->slots[i] && t->slots[i] != c)
		i = (i + 1) & (t->cap - 1);
	if (!t->slots[i])
		return;
	t->slots[i] = NULL;
	size_t j = i;
	for (;;) {
		j = (j + 1) & (t->cap - 1);
		if (!t->slots[j])
			break;
		size_t k = ptr_hash(t->slots[j]->evcon, t->cap);
		if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
			t->slots[i] = t->slots[j];
			t->slots[j] = NULL;
			i = j;
		}
	}
}

api_conns *api_conns_new(int max_connections, int deadline_s)
{
	api_conns *t = api_xcalloc(1, sizeof *t);
	size_t cap = 64;
	while (cap < (size_t)max_connections * 2 + 64)
		cap <<= 1;
	t->cap = cap;
	t->slots = api_xcalloc(cap, sizeof *t->slots);
	t->max_connections = max_connections;
	t->deadline_s = deadline_s;
	return t;
}

void api_conns_free(api_conns *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t);
}

static void conn_free(api_conn *c)
{
	if (c->deadline)
		event_free(c->deadline);
	if (c->setup)
		event_free(c->setup);
	free(c);
}

/* One connection fewer: while draining, the last one ends the drain. */
static void conns_closed_one(api_conns *t)
{
	t->open--;
	if (t->draining && t->open == 0 && t->on_empty)
		t->on_empty(t->on_empty_arg);
}

static void conn_on_close(struct evhttp_connection *evcon, void *arg)
{
	api_conn *c = arg;
	api_conns *t = c->t;
	if (c->inflight) {
		/* the handler finishes its work; its reply goes nowhere */
		c->inflight->ev = NULL;
		c->inflight->conn = NULL;
	}
	table_del(t, c);
	conn_free(c);
	conns_closed_one(t);
}

static void conn_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	api_conn *c = arg;
	if (c->inflight)
		return; /* a request is being served: its own timeouts apply */
	log_debug(NULL, "closing a connection that did not send a request in time");
	evhttp_connection_free(c->evcon); /* runs conn_on_close */
}

static void conn_arm_deadline(api_conn *c)
{
	struct timeval tv = { c->t->deadline_s, 0 };
	evtimer_add(c->deadline, &tv);
}

/* Runs right after evhttp has set up the connection around our bufferevent. */
static void conn_on_setup(evutil_socket_t fd, short what, void *arg)
{
	api_conn *c = arg;
	api_conns *t = c->t;
	bufferevent_data_cb rd, wr;
	bufferevent_event_cb ev;
	void *cbarg = NULL;
	bufferevent_getcb(c->bev, &rd, &wr, &ev, &cbarg);
	bufferevent_decref(c->bev);
	c->bev = NULL;
	if (!cbarg) {
		/* evhttp already closed it (the client went away at once) */
		conn_free(c);
		conns_closed_one(t);
		return;
	}
	c->evcon = cbarg;
	table_put(t, c);
	evhttp_connection_set_closecb(c->evcon, conn_on_close, c);
	if (c->over_cap) {
		log_warn(NULL, "refusing a connection: %d open, limit %d", t->open, t->max_connections);
		evhttp_connection_free(c->evcon);
		return;
	}
	if (t->draining) {
		/* accepted just before the drain began */
		evhttp_connection_free(c->evcon);
		return;
	}
	conn_arm_deadline(c);
}

struct bufferevent *api_conns_accept(struct event_base *base, void *arg)
{
	api_conns *t = arg;
	struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (!bev)
		return NULL;
	api_conn *c = api_xcalloc(1, sizeof *c);
	c->t = t;
	c->bev = bev;
	c->deadline = evtimer_new(base, conn_on_deadline, c);
	c->setup = event_new(base, -1, 0, conn_on_setup, c);
	if (!c->deadline || !c->setup) {
		conn_free(c);
		return bev;
	}
	/* keep the bufferevent alive until conn_on_setup has looked at it */
	bufferevent_incref(bev);
	t->open++;
	c->over_cap = t->open > t->max_connections;
	event_active(c->setup, 0, 0);
	return bev;
}

api_conn *api_conns_begin_request(api_conns *t, const struct evhttp_connection *evcon, api_req *r)
{
	api_conn *c = evcon ? table_get(t, evcon) : NULL;
	if (c) {
		c->inflight = r;
		evtimer_del(c->deadline);
	}
	return c;
}

void api_conn_request_done(api_conn *c)
{
	c->inflight = NULL;
	conn_arm_deadline(c);
}

void api_conns_drain(api_conns *t, void (*on_empty)(void *arg), void *arg)
{
	t->draining = true;
	t->on_empty = on_empty;
	t->on_empty_arg = arg;
	/* closing changes the table: pick the idle ones first */
	struct evhttp_connection **idle = api_xcalloc((size_t)t->open + 1, sizeof *idle);
	int n = 0;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i] && !t->slots[i]->inflight && n < t->open)
			idle[n++] = t->slots[i]->evcon;
	for (int i = 0; i < n; i++)
		evhttp_connection_free(idle[i]); /* runs conn_on_close */
	free(idle);
	if (t->open == 0 && on_empty)
		on_empty(arg);
}

int api_conns_inflight(const api_conns *t)
{
	int n = 0;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i] && t->slots[i]->inflight)
			n++;
	return n;
}
