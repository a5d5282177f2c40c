/*
 * The per-connection bookkeeping evhttp 2.1 lacks: a cap on open
 * connections and a deadline for receiving a request (SECURITY.md).  One
 * table per worker, keyed by the evhttp connection.
 */
#ifndef JXJY_API_CONN_H
#define JXJY_API_CONN_H

struct bufferevent;
struct event_base;
struct evhttp_connection;
typedef struct api_conn api_conn;
typedef struct api_conns api_conns;
typedef struct api_req api_req;

/* A table for up to max_connections open connections, each given
 * deadline_s seconds to send a request.  Never NULL (out of memory, the
 * worker aborts). */
api_conns *api_conns_new(int max_connections, int deadline_s);
/* Frees the table; the connections must be gone (evhttp_free closes them). */
void api_conns_free(api_conns *t);

/* evhttp's bufferevent callback (evhttp_set_bevcb, arg: the table): counts
 * the connection, refuses it past the cap and arms its deadline. */
struct bufferevent *api_conns_accept(struct event_base *base, void *arg);

/* The connection a request arrived on (NULL when unknown); from now on it
 * serves r: its deadline is off until api_conn_request_done. */
api_conn *api_conns_begin_request(api_conns *t, const struct evhttp_connection *evcon, api_req *r);
/* The reply has been sent: the connection may take its next request. */
void api_conn_request_done(api_conn *c);

/* The worker is draining (SIGTERM): every connection not serving a
 * request (idle keep-alive, or one still sending its request) is closed
 * now, the others once their answer is sent (the reply carries
 * Connection: close); one set up from now on is closed at once.
 * on_empty(arg) runs when no connection is left open (at once when none
 * is). */
void api_conns_drain(api_conns *t, void (*on_empty)(void *arg), void *arg);
/* Connections serving a request now. */
int api_conns_inflight(const api_conns *t);
#endif
