/*
 * The request pipeline up to the operation: a context in a fresh arena,
 * then headers → route → authenticate → authorize → body, each stage
 * answering its own refusal and returning false.
 */
#include "http/intake.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "http/conn.h"
#include "http/idempotency.h"
#include "http/request.h"
#include "http/router.h"
#include "http/worker.h"
#include "render/json.h"
#include "render/jw.h"

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

/* The request's context, in its own arena (freed with the reply). */
static api_req *req_new(struct evhttp_request *ev, api_worker *w)
{
	api_arena *mem = api_arena_new();
	api_req *r = api_arena_alloc(mem, sizeof *r);
	r->ev = ev;
	r->w = w;
	r->mem = mem;
	r->start_ns = api_now_ns();
	r->method = method_of(evhttp_request_get_command(ev), &r->method_name);
	r->route_index = -1;
	r->restart = api_req_dispatch;
	snprintf(r->own_id, sizeof r->own_id, "%x-%llx", (unsigned)w->pid,
	         (unsigned long long)++w->seq);
	memcpy(r->request_id, r->own_id, sizeof r->own_id);
	r->query = api_arena_alloc(mem, sizeof *r->query);
	TAILQ_INIT(r->query);
	r->conn = api_conns_begin_request(w->conns, evhttp_request_get_connection(ev), r);
	return r;
}

/* ---- headers ------------------------------------------------------------ */

static bool id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

static const char *request_id_bad(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || n > 64)
		return "X-Request-Id must be 1 to 64 characters";
	for (size_t i = 0; i < n; i++)
		if (!id_char(v[i]))
			return "X-Request-Id may hold only letters, digits, '-', '_' and '.'";
	return NULL;
}

static const char *idempotency_key_bad(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || n > 255)
		return "Idempotency-Key must be 1 to 255 characters";
	for (size_t i = 0; i < n; i++)
		if (v[i] < 0x21 || v[i] > 0x7e)
			return "Idempotency-Key may hold only visible ASCII characters";
	return NULL;
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
	const char *bad;
	if (found[2]) {
		if ((bad = request_id_bad(found[2])))
			return bad;
		memcpy(r->request_id, found[2], strlen(found[2]) + 1);
	}
	if (found[1]) {
		if ((bad = idempotency_key_bad(found[1])))
			return bad;
		r->idempotency_key = found[1];
	}
	*auth = found[0];
	*ctype = found[3];
	return NULL;
}

static bool read_headers(api_req *r, const char **auth, const char **ctype)
{
	const char *bad = check_headers(r, evhttp_request_get_input_headers(r->ev), auth, ctype);
	if (bad)
		api_reply_problem(r, 400, "Bad request header", bad);
	return !bad;
}

/* ---- route -------------------------------------------------------------- */

static void reply_no_method(api_req *r, int allowed)
{
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
}

/* The route of the request target and its decoded query. */
static bool route(api_req *r)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(r->ev);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	const char *qs = uri ? evhttp_uri_get_query(uri) : NULL;
	if (!path || !*path) {
		api_reply_problem(r, 400, "Bad request", "the request target is not a valid path");
		return false;
	}
	int allowed = 0;
	api_match_result m = api_route_match(&r->route, r->mem, r->method, path, r->path_params,
	                                     &r->npath_params, &allowed);
	r->route_index = api_route_index(r->route);
	if (m == API_MATCH_NO_PATH) {
		api_reply_problem(r, 404, "Not found", "no resource at this path");
		return false;
	}
	if (m == API_MATCH_NO_METHOD) {
		reply_no_method(r, allowed);
		return false;
	}
	if (qs && evhttp_parse_query_str(qs, r->query) != 0) {
		api_reply_problem(r, 400, "Bad query", "the query string is malformed");
		return false;
	}
	return true;
}

/* ---- authenticate, authorize -------------------------------------------- */

/* The claims as jxjy.claims holds them (CLAIMS, jxjy.set_claims), in the
 * arena; written once per request without a jansson tree (render/jw.h). */
static void build_claims_json(api_req *r)
{
	api_jw w;
	api_jw_init(&w);
	api_jw_obj(&w);
	api_jw_key(&w, "sub");
	api_jw_str(&w, r->claims.sub);
	api_jw_key(&w, "role");
	api_jw_str(&w, api_role_name(r->claims.role));
	api_jw_key(&w, "jti");
	api_jw_str(&w, r->claims.jti);
	/* for jxjy.set_claims (before the worker holds the account states):
	 * a token issued before its account's last password change is refused */
	api_jw_key(&w, "iat");
	api_jw_int(&w, r->claims.iat);
	/* the audit's request_id (issue 11): the gateway's own id first, the
	 * client's X-Request-Id after a ':' (a character it cannot hold), so a
	 * client can correlate but never pass for another request */
	api_jw_key(&w, "request_id");
	if (strcmp(r->request_id, r->own_id) != 0) {
		char both[sizeof r->own_id + 1 + sizeof r->request_id];
		snprintf(both, sizeof both, "%s:%s", r->own_id, r->request_id);
		api_jw_str(&w, both);
	} else {
		api_jw_str(&w, r->own_id);
	}
	const char *claim = api_role_claim(r->claims.role);
	if (claim) {
		api_jw_key(&w, claim);
		api_jw_str(&w, r->claims.jur);
	}
	api_jw_obj_end(&w);
	r->claims_json = api_arena_strdup(r->mem, w.buf);
	api_jw_free(&w);
}

static bool authenticate(api_req *r, const char *auth_header)
{
	const api_route *rt = r->route;
	if (rt->flags & API_ROUTE_PUBLIC)
		return true;
	const char *why = NULL;
	if (api_auth_verify(r->w->auth, &r->claims, auth_header, time(NULL), &why) != 0) {
		char hdr[160];
		snprintf(hdr, sizeof hdr, "Bearer realm=\"jxjy\", error=\"invalid_token\", "
		                          "error_description=\"%s\"", why);
		api_reply_header(r, "WWW-Authenticate", auth_header ? hdr : "Bearer realm=\"jxjy\"");
		api_reply_problem(r, 401, "Unauthorized", why);
		return false;
	}
	r->authed = true;
	/* revoked, or its account disabled or its password changed since */
	if (api_revocations_ready(r->w->revocations) &&
	    api_revocations_refuse(r->w->revocations, &r->claims)) {
		api_reply_revoked(r);
		return false;
	}
	if (!(rt->roles & API_ROLE_BIT(r->claims.role))) {
		api_reply_problem(r, 403, "Forbidden", "this role may not perform this action");
		return false;
	}
	build_claims_json(r);
	return true;
}

/* ---- body --------------------------------------------------------------- */

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

/* A body the route takes, within its limit, in a media type it accepts. */
static bool body_acceptable(api_req *r, size_t len, const char *ctype, bool *csv)
{
	unsigned flags = r->route->flags;
	const char *too_large;
	if (len > api_route_body_max(r->route, &too_large)) {
		api_reply_problem(r, 413, "Content too large", too_large);
		return false;
	}
	/* an action that takes no fields (POST …/verify) still accepts {} — what
	 * HTTP clients send by default; the op refuses any field (http/op.h) */
	if (!(flags & API_ROUTE_BODY) && r->method != API_POST) {
		api_reply_problem(r, 400, "Unexpected body", "this request takes no body");
		return false;
	}
	*csv = (flags & API_ROUTE_CSV) && media_is(ctype, "text/csv");
	if (!*csv && !media_is(ctype, "application/json")) {
		api_reply_problem(r, 415, "Unsupported media type", "send the body as application/json");
		return false;
	}
	return true;
}

static bool read_body(api_req *r, const char *ctype)
{
	unsigned flags = r->route->flags;
	struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
	size_t len = evbuffer_get_length(in);
	bool csv_empty = len == 0 && (flags & API_ROUTE_CSV) && media_is(ctype, "text/csv");
	if (len == 0 && (flags & API_ROUTE_BODY) && !csv_empty) {
		/* an action sent without a body is an action with no fields */
		r->body = json_object();
		return true;
	}
	if (len == 0 && !csv_empty)
		return true;
	bool csv = false;
	if (!body_acceptable(r, len, ctype, &csv))
		return false;
	char *copy = api_arena_alloc(r->mem, len + 1);
	evbuffer_copyout(in, copy, len);
	r->raw_body = copy;
	r->raw_body_len = len;
	if (csv)
		return true;
	char detail[160];
	/* counted before jansson builds them: 16 MiB of [{},{},…] would be ~1 GB */
	size_t elements = (flags & API_ROUTE_BULK) ? API_BULK_ELEMENTS_MAX : API_BODY_ELEMENTS_MAX;
	bool too_many = false;
	r->body = api_json_parse_bounded(copy, len, elements, &too_many, detail, sizeof detail);
	if (!r->body && too_many) {
		api_reply_problem(r, 413, "Content too large", detail);
		return false;
	}
	if (!r->body) {
		api_reply_problem(r, 400, "Malformed JSON", detail);
		return false;
	}
	return true;
}

void api_intake_request(struct evhttp_request *ev, void *arg)
{
	api_req *r = req_new(ev, arg);
	const char *auth_header = NULL, *ctype = NULL;
	if (!read_headers(r, &auth_header, &ctype) || !route(r) || !authenticate(r, auth_header) ||
	    !read_body(r, ctype))
		return;
	api_req_dispatch(r);
}
