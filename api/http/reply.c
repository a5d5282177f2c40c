/*
 * Answers and the end of a request: headers every response carries,
 * RFC 9457 problems, the request log line and metrics, and the database
 * round trip with its error mapping (the api edge is where SQLSTATEs become
 * HTTP statuses).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "http/conn.h"
#include "http/log.h"
#include "http/request.h"
#include "http/worker.h"
#include "render/messages.h"

static const char *status_slug(int status)
{
	switch (status) {
	case 400: return "bad-request";
	case 401: return "unauthorized";
	case 403: return "forbidden";
	case 404: return "not-found";
	case 405: return "method-not-allowed";
	case 409: return "conflict";
	case 412: return "precondition-failed";
	case 413: return "content-too-large";
	case 415: return "unsupported-media-type";
	case 422: return "validation";
	case 429: return "rate-limited";
	case 503: return "unavailable";
	default: return "internal";
	}
}

static const char *reason_phrase(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

/* Logs, counts and frees the request; the reply (if any) is already sent. */
static void finish(api_req *r)
{
	uint64_t ns = api_now_ns() - r->start_ns;
	const char *route = r->route ? r->route->pattern : "unmatched";
	api_log_request(r->request_id, r->method_name, route, r->status, (double)ns / 1e6,
	                r->authed ? api_role_name(r->claims.role) : NULL,
	                r->authed ? r->claims.sub : NULL);
	api_metrics_request(r->w->metrics, r->route_index, r->status, ns);
	if (r->conn)
		api_conn_request_done(r->conn);
	json_decref(r->body);
	evhttp_clear_headers(r->query);
	api_arena_free(r->mem); /* r lives in the arena */
}

void api_reply_header(api_req *r, const char *name, const char *value)
{
	if (r->ev)
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), name, value);
}

static void send_now(api_req *r, int status, const char *content_type, const char *data, size_t len)
{
	r->status = status;
	if (r->ev) {
		struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
		evhttp_add_header(h, "Content-Type", content_type);
		evhttp_add_header(h, "X-Request-Id", r->request_id);
		evhttp_add_header(h, "Cache-Control", "no-store");
		evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
		if (r->w->draining)
			evhttp_add_header(h, "Connection", "close"); /* the drain closes it after this answer */
		struct evbuffer *out = evbuffer_new();
		if (len)
			evbuffer_add(out, data, len);
		evhttp_send_reply(r->ev, status, reason_phrase(status), out);
		evbuffer_free(out);
	} else {
		r->status = 499; /* the client went away first */
	}
	finish(r);
}

static void reply_db_error(api_req *r, const db_error *err);
static db_call claims_call(api_req *r);

/* A reply waiting for its transaction to commit. */
typedef struct pending_reply {
	bool commit;
	int status;
	const char *content_type;
	char *data;
	size_t len;
	bool traced;         /* api_after_rollback's statements follow the ROLLBACK */
	const char *values[5];
	db_call calls[7];
} pending_reply;

static void drop_output_headers(api_req *r)
{
	if (r->ev)
		evhttp_clear_headers(evhttp_request_get_output_headers(r->ev));
}

static void on_commit(db_conn *conn, db_result *const *res, int n, const db_error *err, void *arg)
{
	api_req *r = arg;
	pending_reply *p = r->ctx_reply;
	r->db = NULL;
	r->tx_open = false;
	db_conn_release(conn);
	if (err->code != DB_OK && p->traced) {
		/* the refusal's trace is not written: its answer is not given */
		log_error(r->request_id, "could not record a refusal: %s", err->message);
		drop_output_headers(r);
		api_reply_problem(r, 503, "Service unavailable",
		                  "the database is unavailable; retry shortly");
		return;
	}
	if (err->code != DB_OK && p->commit) {
		drop_output_headers(r);
		if (db_error_is_retryable(err) && r->db_retries < 3) {
			r->db_retries++;
			r->restart(r);
			return;
		}
		reply_db_error(r, err);
		return;
	}
	send_now(r, p->status, p->content_type, p->data, p->len);
}

/* The headers a replayed response must carry again. */
static char *replay_headers(api_req *r)
{
	json_t *h = json_object();
	if (r->ev) {
		struct evkeyvalq *out = evhttp_request_get_output_headers(r->ev);
		static const char *const keep[] = { "Location", "ETag", "Link", "Content-Disposition" };
		for (int i = 0; i < 4; i++) {
			const char *v = evhttp_find_header(out, keep[i]);
			if (v)
				json_object_set_new(h, keep[i], json_string(v));
		}
	}
	char *s = json_dumps(h, JSON_COMPACT);
	json_decref(h);
	char *a = api_arena_strdup(r->mem, s);
	free(s);
	return a;
}

void api_reply_raw(api_req *r, int status, const char *content_type, const char *data, size_t len)
{
	if (r->db && r->tx_open) {
		/* end the transaction before answering: a client's next request
		 * must find its locks (e.g. the Idempotency-Key's) released */
		bool commit = status < 400 && !r->rollback_only;
		pending_reply *p = api_arena_alloc(r->mem, sizeof *p);
		char *copy = api_arena_alloc(r->mem, len + 1);
		memcpy(copy, data, len);
		p->commit = commit;
		p->status = status;
		p->content_type = api_arena_strdup(r->mem, content_type);
		p->data = copy;
		p->len = len;
		int n = 0;
		if (commit && r->idem_hash) {
			p->values[0] = r->idempotency_key;
			p->values[1] = r->idem_hash;
			p->values[2] = api_arena_printf(r->mem, "%d", status);
			p->values[3] = replay_headers(r);
			p->values[4] = copy;
			p->calls[n++] = (db_call){ DB_STMT_IDEM_FINISH, p->values };
		}
		p->calls[n++] = (db_call){ commit ? DB_STMT_COMMIT : DB_STMT_ROLLBACK, NULL };
		if (!commit && r->nafter_rollback > 0) {
			/* a transaction of their own, in the same round trip */
			p->traced = true;
			p->calls[n++] = (db_call){ DB_STMT_BEGIN, NULL };
			p->calls[n++] = claims_call(r);
			for (int i = 0; i < r->nafter_rollback; i++)
				p->calls[n++] = r->after_rollback[i];
			p->calls[n++] = (db_call){ DB_STMT_COMMIT, NULL };
		}
		r->ctx_reply = p;
		if (db_conn_run(r->db, p->calls, n, on_commit, r) == DB_OK)
			return;
		db_conn *c = r->db;
		r->db = NULL;
		r->tx_open = false;
		db_conn_release(c);
		drop_output_headers(r);
		api_reply_problem(r, 503, "Service unavailable", "the database connection was lost");
		return;
	}
	if (r->db) {
		/* no transaction open: nothing to keep */
		db_conn *c = r->db;
		r->db = NULL;
		r->tx_open = false;
		db_conn_release(c);
	}
	send_now(r, status, content_type, data, len);
}

void api_reply_json(api_req *r, int status, json_t *body)
{
	/* 15 significant digits: hours (tenths) print as 47.9, not 47.899999999999999 */
	char *s = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(body);
	api_reply_raw(r, status, "application/json", s, strlen(s));
	free(s);
}

/* ---- the language of problems (issue 12; render/messages.h) ---------- */

/* The keys this process found no entry for, each logged once (a small set:
 * the catalogue is meant to be complete; deploy/test fails on the log line). */
#define UNTRANSLATED_MAX 256
static char *untranslated[UNTRANSLATED_MAX];
static size_t n_untranslated;

static void note_untranslated(api_req *r, const char *key)
{
	for (size_t i = 0; i < n_untranslated; i++)
		if (strcmp(untranslated[i], key) == 0)
			return;
	if (n_untranslated == UNTRANSLATED_MAX)
		return;
	untranslated[n_untranslated++] = strdup(key);
	log_warn(r->request_id, "untranslated message: %s", key);
}

api_lang api_req_lang(api_req *r)
{
	int chosen = api_lang_parse(api_query(r, "lang"));
	api_lang lang = chosen >= 0 ? (api_lang)chosen
	                            : api_lang_negotiate(api_req_header(r, "Accept-Language"));
	if (r->ev) {
		struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
		evhttp_remove_header(h, "Content-Language");
		evhttp_add_header(h, "Content-Language", api_lang_tag(lang));
		if (!evhttp_find_header(h, "Vary"))
			evhttp_add_header(h, "Vary", "Accept-Language");
	}
	return lang;
}

/* en in lang, in the arena.  The key is looked up in both languages, so a
 * text missing from the catalogue is noticed whichever a client asked for. */
static const char *say(api_req *r, api_lang lang, const char *en)
{
	char buf[API_MSG_MAX], key[API_MSG_MAX];
	if (!api_msg_translate(API_LANG_ZH, en, buf, sizeof buf, key, sizeof key) && key[0])
		note_untranslated(r, key);
	return lang == API_LANG_ZH ? api_arena_strdup(r->mem, buf) : en;
}

static json_t *problem(api_req *r, api_lang lang, int status, const char *title,
                       const char *detail)
{
	char type[64];
	snprintf(type, sizeof type, "urn:jxjy:problem:%s", status_slug(status));
	return json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", type, "title", say(r, lang, title),
	                 "status", status, "detail", say(r, lang, detail ? detail : title),
	                 "request_id", r->request_id);
}

static void send_problem(api_req *r, int status, json_t *p)
{
	char *s = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	if (status == 503)
		api_reply_header(r, "Retry-After", "1");
	api_reply_raw(r, status, "application/problem+json", s, strlen(s));
	free(s);
}

void api_reply_problem(api_req *r, int status, const char *title, const char *detail)
{
	send_problem(r, status, problem(r, api_req_lang(r), status, title, detail));
}

/* At most this many errors in a reply (API.md, second wave): a 1 MiB body
 * of unknown fields must not become a 10 MB answer. */
#define ERRORS_MAX 100

void api_reply_errors(api_req *r, int status, const char *title, json_t *errors)
{
	size_t n = json_array_size(errors);
	api_lang lang = api_req_lang(r);
	json_t *p;
	if (n > ERRORS_MAX) {
		char detail[128];
		snprintf(detail, sizeof detail,
		         "the request has invalid fields: see errors (the first %d; %zu more not listed)",
		         ERRORS_MAX, n - ERRORS_MAX);
		p = problem(r, lang, status, title, detail);
		while (json_array_size(errors) > ERRORS_MAX)
			json_array_remove(errors, json_array_size(errors) - 1);
		json_object_set_new(p, "errors_omitted", json_integer((json_int_t)(n - ERRORS_MAX)));
	} else {
		p = problem(r, lang, status, title, "the request has invalid fields: see errors");
	}
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e) {
		json_t *m = json_object_get(e, "message");
		if (json_is_string(m))
			json_object_set_new(e, "message", json_string(say(r, lang, json_string_value(m))));
	}
	json_object_set_new(p, "errors", errors);
	send_problem(r, status, p);
}

const char *api_query(api_req *r, const char *name)
{
	return evhttp_find_header(r->query, name);
}

bool api_query_only(api_req *r, const char *const *allowed)
{
	struct evkeyval *kv;
	TAILQ_FOREACH(kv, r->query, next) {
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(kv->key, *a) == 0)
				ok = true;
		if (!ok) {
			char detail[160];
			snprintf(detail, sizeof detail, "unknown query parameter \"%.80s\"", kv->key);
			api_reply_problem(r, 400, "Bad query", detail);
			return false;
		}
	}
	return true;
}

/* ---- the database round trip ------------------------------------------ */

#define DB_RETRIES_MAX 3

static void db_start(api_req *r);

/* Maps a failed batch to a reply: the edge of SECURITY.md's SQLSTATE table. */
/* The texts of the refusals sql/ raises with SQLSTATE JX422 and a
 * CONSTRAINT code (the code is the API's errors[].code). */
static const char *refusal_message(const char *code)
{
	static const struct { const char *code, *message; } known[] = {
		{ "after_leaving", "the person had left service on that date (R-31)" },
		{ "in_future", "the date must not be in the future (R-28)" },
		{ "before_first_period", "the date is before the person's first period (R-28)" },
	};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (!strcmp(code, known[i].code))
			return known[i].message;
	return "the value was refused";
}

static void reply_db_error(api_req *r, const db_error *err)
{
	if (db_error_is_unavailable(err)) {
		log_warn(r->request_id, "database unavailable: %s", err->message);
		api_reply_problem(r, 503, "Service unavailable",
		                  "the database is unavailable; retry shortly");
		return;
	}
	const char *s = err->sqlstate;
	if (!strcmp(s, "JX401")) {
		api_reply_revoked(r);
	} else if (!strcmp(s, "JX403") || !strcmp(s, "42501")) {
		api_reply_problem(r, 403, "Forbidden", "this action is outside the caller's rights");
	} else if (!strcmp(s, "JX404") || !strcmp(s, "P0002")) {
		api_reply_problem(r, 404, "Not found", "no such resource in the caller's jurisdiction");
	} else if (!strcmp(s, "JX409") || !strcmp(s, "23505") || !strcmp(s, "23P01")) {
		api_reply_problem(r, 409, "Conflict", err->constraint[0]
			? "the resource conflicts with an existing one" : "the resource is in a conflicting state");
	} else if (!strcmp(s, "JX422") && err->column[0]) {
		/* a refusal the schema names (RAISE … COLUMN, CONSTRAINT = code):
		 * the message is ours, never the server's */
		json_t *errors = json_array();
		api_error_add(errors, err->column, err->constraint[0] ? err->constraint : "invalid",
		              refusal_message(err->constraint));
		api_reply_errors(r, 422, "Validation failed", errors);
	} else if (!strcmp(s, "JX422") || !strncmp(s, "23", 2) || !strncmp(s, "22", 2)) {
		api_reply_problem(r, 422, "Validation failed", "a value was refused by a constraint");
	} else if (db_error_is_retryable(err)) {
		api_reply_problem(r, 409, "Conflict", "a concurrent change won; retry the request");
	} else if (!strcmp(s, "57014")) {
		api_reply_problem(r, 503, "Service unavailable", "the request took too long; retry shortly");
	} else {
		log_error(r->request_id, "database error %s: %s", s, err->message);
		api_reply_problem(r, 500, "Internal error", "the request failed; quote the request id");
	}
}

static void db_on_batch(db_conn *conn, db_result *const *res, int n, const db_error *err, void *arg)
{
	api_req *r = arg;
	if (err->code != DB_OK) {
		bool retry = db_error_is_retryable(err) && r->db_retries < DB_RETRIES_MAX;
		r->db = NULL;
		r->tx_open = false;
		db_conn_release(conn);
		if (retry) {
			r->db_retries++;
			if (r->tx) {
				/* the transaction is gone: run the request again from the start */
				drop_output_headers(r);
				r->restart(r);
			} else {
				db_start(r);
			}
			return;
		}
		reply_db_error(r, err);
		return;
	}
	int skip = r->prefix;
	if (r->tx) {
		/* the connection stays with the request until its reply */
		r->tx_open = true;
		r->db = conn;
		r->db_done(r, res + skip, n - skip);
		return;
	}
	r->db = NULL;
	r->db_done(r, res + skip, n - skip);
	/* done has replied (r may be freed): release after */
	db_conn_release(conn);
}

void api_reply_revoked(api_req *r)
{
	api_reply_header(r, "WWW-Authenticate",
	                 "Bearer realm=\"jxjy\", error=\"invalid_token\", error_description=\"token revoked\"");
	api_reply_problem(r, 401, "Unauthorized", "token revoked");
}

/* The statement that sets the caller's claims (transaction-local): four
 * plain settings once the worker holds the revoked jtis (the token was
 * checked against them at intake), jxjy.set_claims — which asks the
 * database — before. */
static db_call claims_call(api_req *r)
{
	if (!api_revocations_ready(r->w->revocations)) {
		const char **v = api_arena_alloc(r->mem, sizeof *v);
		v[0] = r->claims_json;
		return (db_call){ DB_STMT_SET_CLAIMS, v };
	}
	const char **v = api_arena_alloc(r->mem, 4 * sizeof *v);
	v[0] = r->claims_json;
	v[1] = api_role_name(r->claims.role);
	v[2] = r->claims.sub;
	v[3] = r->claims.jur;
	return (db_call){ DB_STMT_CLAIMS, v };
}

static void start_batch(api_req *r, db_conn *conn)
{
	db_call *all = api_arena_alloc(r->mem, sizeof *all * (size_t)(r->ncalls + 2));
	int n = 0;
	if (!r->tx_open) {
		if (r->tx)
			all[n++] = (db_call){ DB_STMT_BEGIN, NULL };
		if (r->authed)
			all[n++] = claims_call(r);
	}
	r->prefix = n;
	for (int i = 0; i < r->ncalls; i++)
		all[n++] = r->calls[i];
	r->db = conn;
	int rc = db_conn_run(conn, all, n, db_on_batch, r);
	if (rc != DB_OK) {
		db_error e = { .code = rc, .failed_index = -1 };
		r->db = NULL;
		r->tx_open = false;
		db_conn_release(conn);
		reply_db_error(r, &e);
	}
}

static void db_on_acquire(db_conn *conn, const db_error *err, void *arg)
{
	api_req *r = arg;
	if (!conn) {
		log_warn(r->request_id, "no database connection: %s", err->message);
		api_reply_problem(r, 503, "Service unavailable",
		                  err->code == DB_EBUSY ? "the service is busy; retry shortly"
		                                        : "the database is unavailable; retry shortly");
		return;
	}
	start_batch(r, conn);
}

static void db_start(api_req *r)
{
	db_pool_acquire(r->w->pool, db_on_acquire, r);
}

void api_db_run(api_req *r, const db_call *calls, int n,
                void (*done)(api_req *r, db_result *const *res, int n))
{
	if (n + 2 > DB_BATCH_MAX) {
		api_reply_problem(r, 500, "Internal error", "too many statements for one round trip");
		return;
	}
	r->calls = calls;
	r->ncalls = n;
	r->db_done = done;
	if (r->db)
		start_batch(r, r->db);
	else
		db_start(r);
}

void api_db_tx(api_req *r)
{
	r->tx = true;
}

void api_after_rollback(api_req *r, const db_call *calls, int n)
{
	assert(r->tx && n > 0 && n <= 2);
	r->after_rollback = calls;
	r->nafter_rollback = n;
}

/* ---- versions, content negotiation ------------------------------------- */

void api_etag_set(api_req *r, const char *version)
{
	api_reply_header(r, "ETag", api_arena_printf(r->mem, "\"v%s\"", version));
}

bool api_if_match(api_req *r, long *expected)
{
	*expected = -1;
	const char *h = r->ev ? evhttp_find_header(evhttp_request_get_input_headers(r->ev), "If-Match") : NULL;
	if (!h || strcmp(h, "*") == 0)
		return true;
	const char *p = h;
	if (strncmp(p, "W/", 2) == 0)
		p += 2;
	char *end = NULL;
	long v = -1;
	if (p[0] == '"' && p[1] == 'v')
		v = strtol(p + 2, &end, 10);
	if (v < 0 || !end || strcmp(end, "\"") != 0) {
		api_reply_problem(r, 412, "Precondition failed", "If-Match must be an ETag this service issued");
		return false;
	}
	*expected = v;
	return true;
}

const char *api_req_header(api_req *r, const char *name)
{
	return r->ev ? evhttp_find_header(evhttp_request_get_input_headers(r->ev), name) : NULL;
}

bool api_wants_csv(api_req *r)
{
	const char *a = r->ev ? evhttp_find_header(evhttp_request_get_input_headers(r->ev), "Accept") : NULL;
	return a && strstr(a, "text/csv") != NULL;
}
