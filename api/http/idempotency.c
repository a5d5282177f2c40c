#include "http/idempotency.h"

#include <string.h>

#include <sodium.h>

#include "http/request.h"

/* The answer of DB_STMT_IDEM_BEGIN: run the handler (a new key), refuse, or
 * replay the stored response. */
static void reply_internal(api_req *r)
{
	api_reply_problem(r, 500, "Internal error", "the request failed; quote the request id");
}

/* The first response, as it was sent. */
static void replay(api_req *r, const db_result *res)
{
	long status;
	const char *headers, *stored;
	if (db_result_int(res, 0, IDEM_BEGIN_COL_STATUS_CODE, &status) != 0 ||
	    db_result_str(res, 0, IDEM_BEGIN_COL_RESPONSE_HEADERS, &headers) != 0 ||
	    db_result_str_opt(res, 0, IDEM_BEGIN_COL_RESPONSE_BODY, &stored) != 0) {
		reply_internal(r);
		return;
	}
	json_t *h = json_loads(headers, 0, NULL);
	const char *key;
	json_t *v;
	json_object_foreach(h, key, v)
		api_reply_header(r, key, json_string_value(v));
	json_decref(h);
	api_reply_header(r, "Idempotent-Replayed", "true");
	/* the result goes away with the next batch: keep the body */
	const char *body = stored ? api_arena_strdup(r->mem, stored) : NULL;
	/* no commit: the replay changes nothing (and stores nothing again) */
	r->rollback_only = true;
	api_reply_raw(r, (int)status, status >= 400 ? "application/problem+json" : "application/json",
	              body ? body : "", body ? strlen(body) : 0);
}

static void idem_begun(api_req *r, db_result *const *res, int n)
{
	const char *state;
	if (db_result_str_opt(res[0], 0, IDEM_BEGIN_COL_STATE, &state) != 0) {
		reply_internal(r);
		return;
	}
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
	replay(r, res[0]);
}

/* Hex SHA-256 of the route, the path parameters and the body, in the arena. */
static char *request_hash(api_req *r)
{
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
	sodium_bin2hex(hex, sizeof h * 2 + 1, h, sizeof h);
	return hex;
}

void api_req_dispatch(api_req *r)
{
	if (!api_op_prepare(r, r->route->op))
		return;
	if (r->method != API_POST || !r->idempotency_key || !r->authed ||
	    (r->route->op->flags & API_OP_NO_REPLAY)) {
		r->route->op->handler(r);
		return;
	}
	/* the key is scoped to the caller and bound to what was asked */
	r->idem_hash = request_hash(r);
	const char **v = api_arena_alloc(r->mem, 2 * sizeof *v);
	db_call *c = api_arena_alloc(r->mem, sizeof *c);
	v[0] = r->idempotency_key;
	v[1] = r->idem_hash;
	*c = (db_call){ DB_STMT_IDEM_BEGIN, v };
	r->tx = true;
	api_db_run(r, c, 1, idem_begun);
}
