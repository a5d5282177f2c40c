/*
 * The request context every handler receives, the route table's types, and
 * the ways to answer: JSON, raw JSON from the database, RFC 9457 problems.
 * Exactly one reply per request; after it the context is gone.
 */
#ifndef JXJY_API_REQUEST_H
#define JXJY_API_REQUEST_H

#include <stdbool.h>

#include "render/lang.h"
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "auth/auth.h"
#include "db.h"
#include "http/arena.h"
#include "http/op.h"
#include "render/json.h" /* api_error_add, for the handlers' errors arrays */

struct evhttp_request;
struct evkeyvalq;
typedef struct api_worker api_worker;
typedef struct api_req api_req;
typedef struct api_conn api_conn;

typedef void (*api_handler)(api_req *r);

enum {
	API_GET = 1 << 0,
	API_POST = 1 << 1,
	API_PUT = 1 << 2,
	API_PATCH = 1 << 3,
	API_DELETE = 1 << 4,
	API_HEAD = 1 << 5,
};

enum {
	API_ROUTE_PUBLIC = 1 << 0, /* no token needed */
	API_ROUTE_BODY = 1 << 1,   /* takes a JSON body */
	API_ROUTE_BULK = 1 << 2,   /* body limit 16 MiB instead of 1 MiB */
	API_ROUTE_CSV = 1 << 3,    /* also accepts text/csv bodies */
};

typedef struct api_route {
	int method;
	const char *pattern; /* "/v1/units/{id}"; also the metrics label */
	const api_op *op;    /* the handler and what it takes (http/op.h) */
	unsigned roles;      /* API_ROLE_BIT mask; ignored for public routes */
	unsigned flags;
} api_route;

#define API_PATH_PARAMS_MAX 4
#define API_BODY_MAX (1u << 20)
#define API_BULK_BODY_MAX (16u << 20)
#define API_PUBLIC_BODY_MAX (16u << 10) /* unauthenticated routes (API.md) */
/* A JSON body outside bulk routes holds at most this many array elements
 * in all (API.md, second wave); more is 413 like a body over its limit. */
#define API_BODY_ELEMENTS_MAX 10000
/* Bulk routes: ten times the 10 000 rows an import takes, so that its own
 * row count refusal (422) stays the answer below that. */
#define API_BULK_ELEMENTS_MAX 100000

struct api_req {
	struct evhttp_request *ev; /* NULL once the client has gone */
	api_worker *w;
	api_conn *conn;
	api_arena *mem;
	const api_route *route;
	int route_index;          /* route's index in the table (metrics), -1: none */
	int method;
	const char *method_name;
	char request_id[72];      /* the client's X-Request-Id, or own_id */
	char own_id[32];          /* the gateway's id of this request, never the client's */
	const char *path_params[API_PATH_PARAMS_MAX];
	int npath_params;
	struct evkeyvalq *query;  /* decoded query (never NULL once routed) */
	bool authed;
	api_claims claims;
	const char *claims_json;  /* for jxjy.set_claims, in the arena */
	json_t *body;             /* parsed JSON body for API_ROUTE_BODY routes */
	const char *idempotency_key;
	const char *raw_body;     /* body bytes (NUL-terminated copy in the arena) */
	size_t raw_body_len;
	uint64_t start_ns;
	int status;
	int db_retries;
	/* the database work in flight (see reply.c) */
	db_conn *db;              /* held between batches of a transaction */
	bool tx;                  /* the request's batches form one transaction */
	bool tx_open;             /* BEGIN and the claims have been sent */
	bool rollback_only;       /* the reply must not commit (a replay) */
	int prefix;               /* statements put before the handler's in a batch */
	const char *idem_hash;    /* hex SHA-256 of the request, with Idempotency-Key */
	const db_call *calls;
	int ncalls;
	void (*db_done)(api_req *r, db_result *const *res, int n);
	long if_match;            /* If-Match version for API_OP_IF_MATCH ops, -1: none */
	struct api_page *page;    /* ?limit and ?cursor of API_OP_PAGED ops */
	struct { int status; const char *title, *detail; } refused; /* api_check_refuse */
	void *ctx; /* handler-private state, in the arena (op->ctx_size, zeroed) */
	void *ctx_step;  /* a shared step in flight (http/transition.c's audit) */
	void *ctx_transition; /* the transition in flight (http/transition.c) */
	void *ctx_reply; /* a reply waiting for its commit (reply.c) */
	const db_call *after_rollback; /* api_after_rollback */
	int nafter_rollback;
	void *ctx_summary; /* a person-year refresh in flight (domain/summary.c) */
	/* runs the request again from its operation: a transaction that lost a
	 * serialization race (reply.c); api_req_dispatch (http/idempotency.h) */
	api_handler restart;
};

/* Replies (each ends the request). */
void api_reply_json(api_req *r, int status, json_t *body);            /* steals body */
void api_reply_raw(api_req *r, int status, const char *content_type, const char *data,
                   size_t len);
void api_reply_problem(api_req *r, int status, const char *title, const char *detail);
/* 422 (or another status) with field errors: errors is a JSON array of
 * {"field","code","message"}; stolen. */
void api_reply_errors(api_req *r, int status, const char *title, json_t *errors);
/* 401 "token revoked" with its WWW-Authenticate header. */
void api_reply_revoked(api_req *r);
/* Adds a response header before the reply. */
void api_reply_header(api_req *r, const char *name, const char *value);

/* The language of the answer (API.md "Language"): ?lang= when given, else
 * Accept-Language, Chinese by default; says it in Content-Language (and
 * Vary: Accept-Language). */
api_lang api_req_lang(api_req *r);

/* Query parameter (decoded) or NULL. */
const char *api_query(api_req *r, const char *name);
/* 400 unless every query parameter's name is in the NULL-terminated list. */
bool api_query_only(api_req *r, const char *const *allowed);

/* The worker's auth context and configuration. */
const struct api_config *api_req_config(const api_req *r);
api_auth *api_req_auth(const api_req *r);

/* Runs calls (after the claims statement for authenticated requests: CLAIMS
 * once the worker holds the revoked jtis, jxjy.set_claims before) in one
 * round trip, one implicit transaction, and calls done with the results of
 * calls (not of the claims'); database and SQL errors are answered here (503, 409,
 * 422, …) and done is not called; serialization failures are retried.
 * calls and their values must stay valid until done (use the arena).  The
 * connection is released after done returns. */
void api_db_run(api_req *r, const db_call *calls, int n,
                void (*done)(api_req *r, db_result *const *res, int n));

/* Makes every following api_db_run of this request part of one transaction,
 * held until the reply: committed when the reply's status is below 400 (and
 * the Idempotency-Key's response stored in it), rolled back otherwise. */
void api_db_tx(api_req *r);

/* Statements (at most 2; they and their values in the arena) run when the
 * request's transaction is rolled back by its reply (a status of 400 or
 * more), in a short transaction of their own with the caller's claims, in
 * the round trip of the ROLLBACK: the trace of a refusal that must survive
 * it (an audit row, sql/0017) while the request changes nothing.  The
 * refusal is answered only once they have committed; when they fail, the
 * answer is 503 instead (a refusal without its trace is never given).
 * Requests of API_OP_TX ops, after a batch has opened the transaction. */
void api_after_rollback(api_req *r, const db_call *calls, int n);

/* ETag of a versioned resource ("v<version>"), and the If-Match check:
 * returns false after replying 412 when If-Match names another version;
 * *expected is -1 when the header is absent or "*". */
void api_etag_set(api_req *r, const char *version);
bool api_if_match(api_req *r, long *expected);

/* True when the client asks for text/csv (Accept). */
/* A request header's value (the intake refused duplicates), NULL when absent. */
const char *api_req_header(api_req *r, const char *name);
bool api_wants_csv(api_req *r);

/* Monotonic clock in nanoseconds (request durations). */
uint64_t api_now_ns(void);
#endif
