/*
 * A worker: the evhttp server with the limits SECURITY.md asks for, the
 * per-connection bookkeeping evhttp 2.1 lacks (a cap on open connections and
 * a deadline for receiving a request), and the request pipeline:
 * route → headers → authenticate → authorize → parse body → handler.
 */
#include "http/worker.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sodium.h>

#include "render/json.h"
#include "http/log.h"
#include "http/reply.h"
#include "http/router.h"

/* ---- connections ------------------------------------------------------ */

struct api_conn {
	api_worker *w;
	struct bufferevent *bev;
	struct evhttp_connection *evcon;
	struct event *deadline;
	struct event *setup;
	api_req *inflight;
	bool over_cap;
};

typedef struct api_conn_table {
	api_conn **slots;
	size_t cap; /* power of two */
} api_conn_table;

static size_t ptr_hash(const void *p, size_t cap)
{
	uintptr_t x = (uintptr_t)p;
	x ^= x >> 17;
	x *= 0x9E3779B97F4A7C15ULL;
	return (size_t)(x >> 7) & (cap - 1);
}

static void table_put(api_conn_table *t, api_conn *c)
{
	size_t i = ptr_hash(c->evcon, t->cap);
	while (t->slots[i])
		i = (i + 1) & (t->cap - 1);
	t->slots[i] = c;
}

static api_conn *table_get(api_conn_table *t, const struct evhttp_connection *evcon)
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
static void table_del(api_conn_table *t, const api_conn *c)
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

static void conn_free(api_conn *c)
{
	if (c->deadline)
		event_free(c->deadline);
	if (c->setup)
		event_free(c->setup);
	free(c);
}

static void conn_on_close(struct evhttp_connection *evcon, void *arg)
{
	api_conn *c = arg;
	(void)evcon;
	api_worker *w = c->w;
	if (c->inflight) {
		/* the handler finishes its work; its reply goes nowhere */
		c->inflight->ev = NULL;
		c->inflight->conn = NULL;
	}
	table_del(w->conns, c);
	w->open_conns--;
	conn_free(c);
}

static void conn_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	api_conn *c = arg;
	(void)fd;
	(void)what;
	if (c->inflight)
		return; /* a request is being served: its own timeouts apply */
	log_debug(NULL, "closing a connection that did not send a request in time");
	evhttp_connection_free(c->evcon); /* runs conn_on_close */
}

static void conn_arm_deadline(api_conn *c)
{
	struct timeval tv = { c->w->cfg->request_deadline, 0 };
	evtimer_add(c->deadline, &tv);
}

/* Runs right after evhttp has set up the connection around our bufferevent. */
static void conn_on_setup(evutil_socket_t fd, short what, void *arg)
{
	api_conn *c = arg;
	api_worker *w = c->w;
	(void)fd;
	(void)what;
	bufferevent_data_cb rd, wr;
	bufferevent_event_cb ev;
	void *cbarg = NULL;
	bufferevent_getcb(c->bev, &rd, &wr, &ev, &cbarg);
	bufferevent_decref(c->bev);
	c->bev = NULL;
	if (!cbarg) {
		/* evhttp already closed it (the client went away at once) */
		w->open_conns--;
		conn_free(c);
		return;
	}
	c->evcon = cbarg;
	table_put(w->conns, c);
	evhttp_connection_set_closecb(c->evcon, conn_on_close, c);
	if (c->over_cap) {
		log_warn(NULL, "refusing a connection: %d open, limit %d", w->open_conns,
		         w->cfg->max_connections);
		evhttp_connection_free(c->evcon);
		return;
	}
	conn_arm_deadline(c);
}

static struct bufferevent *on_new_connection(struct event_base *base, void *arg)
{
	api_worker *w = arg;
	struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (!bev)
		return NULL;
	api_conn *c = calloc(1, sizeof *c);
	if (!c)
		return bev;
	c->w = w;
	c->bev = bev;
	c->deadline = evtimer_new(base, conn_on_deadline, c);
	c->setup = event_new(base, -1, 0, conn_on_setup, c);
	if (!c->deadline || !c->setup) {
		conn_free(c);
		return bev;
	}
	/* keep the bufferevent alive until conn_on_setup has looked at it */
	bufferevent_incref(bev);
	w->open_conns++;
	c->over_cap = w->open_conns > w->cfg->max_connections;
	event_active(c->setup, 0, 0);
	return bev;
}

/* ---- requests --------------------------------------------------------- */

uint64_t api_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int method_of(enum evhttp_cmd_type t, const char **name)
{
	switch (t) {
	case EVHTTP_REQ_GET: *name = "GET"; return API_GET;
	case EVHTTP_REQ_POST: *name = "POST"; return API_POST;
	case EVHTTP_REQ_PUT: *name = "PUT"; return API_PUT;
	case EVHTTP_REQ_PATCH: *name = "PATCH"; return API_PATCH;
	case EVHTTP_REQ_DELETE: *name = "DELETE"; return API_DELETE;
	case EVHTTP_REQ_HEAD: *name = "HEAD"; return API_HEAD;
	default: *name = "OTHER"; return 0;
	}
}

static bool id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

/* The headers we rely on must appear at most once and be well-formed
 * (evhttp 2.1 accepts NUL, empty names and folding).  Returns NULL or what
 * is wrong. */
static const char *check_headers(api_req *r, struct evkeyvalq *h, const char **auth,
                                 const char **ctype)
{
	static const char *const watched[] = { "Authorization", "Idempotency-Key", "X-Request-Id",
	                                       "Content-Type" };
	const char *found[4] = { 0 };
	struct evkeyval *kv;
	TAILQ_FOREACH(kv, h, next) {
		if (!kv->key[0])
			return "empty header name";
		for (int i = 0; i < 4; i++) {
			if (strcasecmp(kv->key, watched[i]) != 0)
				continue;
			if (found[i])
				return "repeated header";
			found[i] = kv->value;
		}
	}
	if (found[2]) {
		size_t n = strlen(found[2]);
		if (n == 0 || n > 64)
			return "X-Request-Id must be 1 to 64 characters";
		for (size_t i = 0; i < n; i++)
			if (!id_char(found[2][i]))
				return "X-Request-Id may hold only letters, digits, '-', '_' and '.'";
		memcpy(r->request_id, found[2], n + 1);
	}
	if (found[1]) {
		size_t n = strlen(found[1]);
		if (n == 0 || n > 255)
			return "Idempotency-Key must be 1 to 255 characters";
		for (size_t i = 0; i < n; i++)
			if (found[1][i] < 0x21 || found[1][i] > 0x7e)
				return "Idempotency-Key may hold only visible ASCII characters";
		r->idempotency_key = found[1];
	}
	*auth = found[0];
	*ctype = found[3];
	return NULL;
}

/* "application/json" with an optional charset=utf-8 parameter. */
static bool media_is(const char *ctype, const char *want)
{
	size_t n = strlen(want);
	if (!ctype || strncasecmp(ctype, want, n) != 0)
		return false;
	const char *p = ctype + n;
	while (*p == ' ')
		p++;
	if (!*p)
		return true;
	if (*p != ';')
		return false;
	p++;
	while (*p == ' ')
		p++;
	return strcasecmp(p, "charset=utf-8") == 0 || strcasecmp(p, "charset=\"utf-8\"") == 0;
}

static void build_claims_json(api_req *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "sub", json_string(r->claims.sub));
	json_object_set_new(o, "role", json_string(api_role_name(r->claims.role)));
	json_object_set_new(o, "jti", json_string(r->claims.jti));
	json_object_set_new(o, "request_id", json_string(r->request_id));
	const char *claim = api_role_claim(r->claims.role);
	if (claim)
		json_object_set_new(o, claim, json_string(r->claims.jur));
	char *s = json_dumps(o, JSON_COMPACT);
	r->claims_json = s ? api_arena_strdup(r->mem, s) : NULL;
	free(s);
	json_decref(o);
}

static void on_request(struct evhttp_request *ev, void *arg)
{
	api_worker *w = arg;
	api_req *r = NULL;
	api_arena *mem = api_arena_new();
	if (mem)
		r = api_arena_alloc(mem, sizeof *r);
	if (!r) {
		api_arena_free(mem);
		evhttp_send_error(ev, 503, "Service Unavailable");
		return;
	}
	r->ev = ev;
	r->w = w;
	r->mem = mem;
	r->start_ns = api_now_ns();
	r->method = method_of(evhttp_request_get_command(ev), &r->method_name);
	snprintf(r->request_id, sizeof r->request_id, "%x-%llx", (unsigned)getpid(),
	         (unsigned long long)++w->seq);
	r->query = api_arena_alloc(mem, sizeof *r->query);
	TAILQ_INIT(r->query);

	struct evhttp_connection *evcon = evhttp_request_get_connection(ev);
	r->conn = evcon ? table_get(w->conns, evcon) : NULL;
	if (r->conn) {
		r->conn->inflight = r;
		evtimer_del(r->conn->deadline);
	}

	const char *auth_header = NULL, *ctype = NULL;
	const char *bad = check_headers(r, evhttp_request_get_input_headers(ev), &auth_header, &ctype);
	if (bad) {
		api_reply_problem(r, 400, "Bad request header", bad);
		return;
	}

	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(ev);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	const char *qs = uri ? evhttp_uri_get_query(uri) : NULL;
	if (!path || !*path) {
		api_reply_problem(r, 400, "Bad request", "the request target is not a valid path");
		return;
	}
	int allowed = 0;
	api_match_result m = api_route_match(&r->route, mem, r->method, path, r->path_params,
	                                     &r->npath_params, &allowed);
	if (m == API_MATCH_NO_PATH) {
		api_reply_problem(r, 404, "Not found", "no resource at this path");
		return;
	}
	if (m == API_MATCH_NO_METHOD) {
		char methods[64] = "";
		static const char *const names[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };
		for (int i = 0; i < 5; i++)
			if (allowed & (1 << i)) {
				if (methods[0])
					strcat(methods, ", ");
				strcat(methods, names[i]);
			}
		api_reply_header(r, "Allow", methods);
		api_reply_problem(r, 405, "Method not allowed", "this resource does not accept the method");
		return;
	}
	if (qs && evhttp_parse_query_str(qs, r->query) != 0) {
		api_reply_problem(r, 400, "Bad query", "the query string is malformed");
		return;
	}

	const api_route *rt = r->route;
	if (!(rt->flags & API_ROUTE_PUBLIC)) {
		const char *why = NULL;
		if (api_auth_verify(w->auth, &r->claims, auth_header, time(NULL), &why) != 0) {
			char hdr[160];
			snprintf(hdr, sizeof hdr, "Bearer realm=\"jxjy\", error=\"invalid_token\", "
			                          "error_description=\"%s\"", why);
			api_reply_header(r, "WWW-Authenticate", auth_header ? hdr : "Bearer realm=\"jxjy\"");
			api_reply_problem(r, 401, "Unauthorized", why);
			return;
		}
		r->authed = true;
		if (!(rt->roles & API_ROLE_BIT(r->claims.role))) {
			api_reply_problem(r, 403, "Forbidden", "this role may not perform this action");
			return;
		}
		build_claims_json(r);
		if (!r->claims_json) {
			api_reply_problem(r, 503, "Service unavailable", "out of memory");
			return;
		}
	}

	struct evbuffer *in = evhttp_request_get_input_buffer(ev);
	size_t len = evbuffer_get_length(in);
	bool csv_empty = len == 0 && (rt->flags & API_ROUTE_CSV) && media_is(ctype, "text/csv");
	if (len == 0 && (rt->flags & API_ROUTE_BODY) && !csv_empty) {
		/* an action sent without a body is an action with no fields */
		r->body = json_object();
	} else if (len > 0 || csv_empty) {
		size_t limit = (rt->flags & API_ROUTE_BULK) ? API_BULK_BODY_MAX : API_BODY_MAX;
		if (len > limit) {
			api_reply_problem(r, 413, "Content too large", (rt->flags & API_ROUTE_BULK)
				? "the body exceeds 16 MiB" : "the body exceeds 1 MiB");
			return;
		}
		if (!(rt->flags & API_ROUTE_BODY)) {
			api_reply_problem(r, 400, "Unexpected body", "this request takes no body");
			return;
		}
		bool csv = (rt->flags & API_ROUTE_CSV) && media_is(ctype, "text/csv");
		if (!csv && !media_is(ctype, "application/json")) {
			api_reply_problem(r, 415, "Unsupported media type",
			                  "send the body as application/json");
			return;
		}
		char *copy = api_arena_alloc(mem, len + 1);
		if (!copy) {
			api_reply_problem(r, 413, "Content too large", "the body could not be held");
			return;
		}
		evbuffer_copyout(in, copy, len);
		r->raw_body = copy;
		r->raw_body_len = len;
		if (!csv) {
			char detail[160];
			r->body = api_json_parse(copy, len, detail, sizeof detail);
			if (!r->body) {
				api_reply_problem(r, 400, "Malformed JSON", detail);
				return;
			}
		}
	}
	api_req_dispatch(r);
}

/* ---- idempotency (API.md: POST honours Idempotency-Key) ---------------- */

static void idem_begun(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *state = db_result_value(res[0], 0, 0);
	if (!state || !strcmp(state, "new")) {
		r->route->op->handler(r);
		return;
	}
	if (!strcmp(state, "busy")) {
		api_reply_problem(r, 409, "Conflict", "a request with this Idempotency-Key is still running");
		return;
	}
	if (!strcmp(state, "mismatch")) {
		api_reply_problem(r, 422, "Idempotency-Key reused",
		                  "this Idempotency-Key was used with a different request");
		return;
	}
	/* replay: the first response, as it was sent */
	int status = atoi(db_result_value(res[0], 0, 1));
	json_t *h = json_loads(db_result_value(res[0], 0, 2), 0, NULL);
	const char *key;
	json_t *v;
	json_object_foreach(h, key, v)
		api_reply_header(r, key, json_string_value(v));
	json_decref(h);
	api_reply_header(r, "Idempotent-Replayed", "true");
	const char *stored = db_result_value(res[0], 0, 3);
	/* the result goes away with the next batch: keep the body */
	const char *body = stored ? api_arena_strdup(r->mem, stored) : NULL;
	/* no commit: the replay changes nothing (and stores nothing again) */
	r->rollback_only = true;
	api_reply_raw(r, status, status >= 400 ? "application/problem+json" : "application/json",
	              body ? body : "", body ? strlen(body) : 0);
}

void api_req_dispatch(api_req *r)
{
	if (!api_op_prepare(r, r->route->op))
		return;
	if (r->method != API_POST || !r->idempotency_key || !r->authed) {
		r->route->op->handler(r);
		return;
	}
	/* the key is scoped to the caller and bound to what was asked */
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)r->route->pattern, strlen(r->route->pattern));
	for (int i = 0; i < r->npath_params; i++)
		crypto_hash_sha256_update(&st, (const unsigned char *)r->path_params[i],
		                          strlen(r->path_params[i]) + 1);
	if (r->raw_body)
		crypto_hash_sha256_update(&st, (const unsigned char *)r->raw_body, r->raw_body_len);
	crypto_hash_sha256_final(&st, h);
	char *hex = api_arena_alloc(r->mem, sizeof h * 2 + 1);
	const char **v = api_arena_alloc(r->mem, 2 * sizeof *v);
	db_call *c = api_arena_alloc(r->mem, sizeof *c);
	if (!hex || !v || !c) {
		api_reply_problem(r, 503, "Service unavailable", "out of memory");
		return;
	}
	sodium_bin2hex(hex, sizeof h * 2 + 1, h, sizeof h);
	r->idem_hash = hex;
	v[0] = r->idempotency_key;
	v[1] = hex;
	*c = (db_call){ DB_STMT_IDEM_BEGIN, v };
	r->tx = true;
	api_db_run(r, c, 1, idem_begun);
}

/* ---- the loop --------------------------------------------------------- */

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	api_worker *w = arg;
	(void)sig;
	(void)what;
	event_base_loopexit(w->base, NULL);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	api_worker *w = arg;
	(void)fd;
	(void)what;
	db_pool_stats s;
	db_pool_get_stats(w->pool, &s);
	api_metrics_pool(w->metrics, w->index, &s);
}

int api_worker_run(int index, int listen_fd, const api_config *cfg, api_metrics *metrics)
{
	api_worker w = { 0 };
	int rc = 1;
	struct event *sigterm = NULL, *sigint = NULL, *tick = NULL;
	w.index = index;
	w.cfg = cfg;
	w.metrics = metrics;
	w.base = event_base_new();
	if (!w.base)
		return 1;
	api_conn_table table = { 0 };
	size_t cap = 64;
	while (cap < (size_t)cfg->max_connections * 2 + 64)
		cap <<= 1;
	table.cap = cap;
	table.slots = calloc(cap, sizeof *table.slots);
	w.conns = &table;

	db_config dbc = {
		.conninfo = cfg->database_url,
		.user = *cfg->db_user ? cfg->db_user : NULL,
		.app_name = "jxjy-gateway",
		.size = cfg->db_pool,
		.max_waiting = 1024,
		.wait_timeout_ms = cfg->db_wait_ms,
		.prepared = cfg->db_prepared,
	};
	if (!table.slots || db_pool_new(&w.pool, w.base, &dbc) != DB_OK ||
	    api_auth_new(&w.auth, cfg->jwt_secret, cfg->jwt_secret_len, 4096) != 0 ||
	    api_hasher_new(&w.hasher, w.base) != 0) {
		log_error(NULL, "worker %d could not start: out of memory or bad configuration", index);
		goto done;
	}
	w.http = evhttp_new(w.base);
	if (!w.http)
		goto done;
	evhttp_set_max_headers_size(w.http, 16 * 1024);
	/* bodies up to the bulk limit reach on_request, which applies each
	 * route's own limit and answers problem+json */
	evhttp_set_max_body_size(w.http, API_BULK_BODY_MAX);
	struct timeval idle = { cfg->idle_timeout, 0 };
	evhttp_set_timeout_tv(w.http, &idle);
	evhttp_set_allowed_methods(w.http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
	                                       EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD);
	evhttp_set_default_content_type(w.http, "application/json");
	evhttp_set_bevcb(w.http, on_new_connection, &w);
	evhttp_set_gencb(w.http, on_request, &w);
	if (evhttp_accept_socket(w.http, listen_fd) != 0) {
		log_error(NULL, "worker %d could not accept on the listening socket", index);
		goto done;
	}
	sigterm = evsignal_new(w.base, SIGTERM, on_signal, &w);
	sigint = evsignal_new(w.base, SIGINT, on_signal, &w);
	tick = event_new(w.base, -1, EV_PERSIST, on_tick, &w);
	struct timeval second = { 1, 0 };
	if (!sigterm || !sigint || !tick)
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
		evhttp_free(w.http); /* closes connections: runs conn_on_close */
	if (tick)
		event_free(tick);
	if (sigterm)
		event_free(sigterm);
	if (sigint)
		event_free(sigint);
	api_hasher_free(w.hasher);
	api_auth_free(w.auth);
	db_pool_free(w.pool);
	free(table.slots);
	event_base_free(w.base);
	return rc;
}

/* ---- accessors used by handlers --------------------------------------- */

const api_config *api_req_config(const api_req *r)
{
	return r->w->cfg;
}

api_auth *api_req_auth(const api_req *r)
{
	return r->w->auth;
}

/* Called by the reply path: the connection may take its next request. */
void api_conn_request_done(api_conn *c)
{
	c->inflight = NULL;
	conn_arm_deadline(c);
}
