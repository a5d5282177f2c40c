#include "resource.h"

#include <string.h>

/* ---- single resources -------------------------------------------------- */

typedef struct get_ctx {
	const char *not_found;
	bool versioned;
	db_call call;
} get_ctx;

static void get_done(api_req *r, db_result *const *res, int n)
{
	get_ctx *c = r->ctx;
	(void)n;
	const char *json = db_result_value(res[0], 0, c->versioned ? 1 : 0);
	if (!json) {
		api_reply_problem(r, 404, "Not found", c->not_found);
		return;
	}
	api_reply_doc(r, 200, c->versioned ? db_result_value(res[0], 0, 0) : NULL, json);
}

static void get(api_req *r, db_stmt_id stmt, const char *not_found, bool versioned)
{
	static const char *const none[] = { NULL };
	if (!api_query_only(r, none))
		return;
	for (int i = 0; i < r->npath_params; i++)
		if (!api_is_uuid(r->path_params[i])) {
			api_reply_problem(r, 404, "Not found", not_found);
			return;
		}
	get_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	if (!api_alloc_ok(r, c))
		return;
	c->not_found = not_found;
	c->versioned = versioned;
	c->call = (db_call){ stmt, r->path_params };
	r->ctx = c;
	api_db_run(r, &c->call, 1, get_done);
}

void api_get_one(api_req *r, db_stmt_id stmt, const char *not_found_detail)
{
	get(r, stmt, not_found_detail, true);
}

void api_get_json(api_req *r, db_stmt_id stmt, const char *not_found_detail)
{
	get(r, stmt, not_found_detail, false);
}

/* ---- requests and replies ---------------------------------------------- */

bool api_alloc_ok(api_req *r, const void *p)
{
	if (!p)
		api_reply_problem(r, 503, "Service unavailable", "out of memory");
	return p != NULL;
}

void api_reply_doc(api_req *r, int status, const char *version, const char *json)
{
	if (version)
		api_etag_set(r, version);
	api_reply_raw(r, status, "application/json", json, strlen(json));
}
