/* Operations: liveness, readiness, metrics, the OpenAPI document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "http/worker.h"
#include "handlers.h"
#include "migrate.h"

extern const char api_openapi_json[];
extern const size_t api_openapi_json_len;

static void livez(api_req *r)
{
	static const char body[] = "{\"status\":\"ok\"}";
	api_reply_raw(r, 200, "application/json", body, sizeof body - 1);
}

/* the public operations routes ignore query parameters (probes add their own) */
const api_op op_livez = { .handler = livez, .flags = API_OP_ANY_QUERY };

/* Ready only when every worker can serve (issue 11): none of them is
 * without a database connection, and the gateway is not draining. */
static bool readyz_refused_by_workers(api_req *r)
{
	if (api_worker_draining(r->w)) {
		api_reply_problem(r, 503, "Not ready", "the gateway is stopping");
		return true;
	}
	int down = api_ready_worker_down(r->w->ready);
	if (down >= 0) {
		char detail[96];
		snprintf(detail, sizeof detail, "worker %d has no database connection", down);
		api_reply_problem(r, 503, "Not ready", detail);
		return true;
	}
	return false;
}

static void readyz_done(api_req *r, db_result *const *res, int n)
{
	long have = 0;
	if (!db_result_is_null(res[0], 0, SCHEMA_VERSION_COL_VERSION) &&
	    db_result_int(res[0], 0, SCHEMA_VERSION_COL_VERSION, &have) != 0) {
		api_reply_problem(r, 500, "Internal error", "the schema version could not be read");
		return;
	}
	int want = db_migrate_latest();
	if (have < want) {
		char detail[96];
		snprintf(detail, sizeof detail, "the schema is at version %ld, the gateway needs %d", have,
		         want);
		api_reply_problem(r, 503, "Not ready", detail);
		return;
	}
	if (readyz_refused_by_workers(r))
		return;
	api_reply_json(r, 200, json_pack("{s:s, s:i}", "status", "ready", "schema_version", (int)have));
}

/* The schema version is asked through this worker's pool even when
 * another worker is down: a pool that is down tries a connection at once
 * for it (db/pool.c pool_try_now), so a probe also brings its own worker
 * back. */
static void readyz(api_req *r)
{
	static const db_call calls[] = { { DB_STMT_SCHEMA_VERSION, NULL } };
	if (api_worker_draining(r->w) && readyz_refused_by_workers(r))
		return; /* at once, no database */
	api_db_run(r, calls, 1, readyz_done);
}

const api_op op_readyz = { .handler = readyz, .flags = API_OP_ANY_QUERY };

static void metrics(api_req *r)
{
	struct evbuffer *b = evbuffer_new(); /* allocates through api_xmalloc: cannot fail */
	api_metrics_render(r->w->metrics, b);
	size_t len = evbuffer_get_length(b);
	const char *data = (const char *)evbuffer_pullup(b, -1);
	api_reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", data ? data : "", data ? len : 0);
	evbuffer_free(b);
}

const api_op op_metrics = { .handler = metrics, .flags = API_OP_ANY_QUERY };

static void openapi(api_req *r)
{
	api_reply_raw(r, 200, "application/json", api_openapi_json, api_openapi_json_len);
}

const api_op op_openapi = { .handler = openapi, .flags = API_OP_ANY_QUERY };
