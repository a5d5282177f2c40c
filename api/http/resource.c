#include "http/resource.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "render/json.h"

/* ---- single resources -------------------------------------------------- */

/* The columns of a single-resource statement: (version, json), or (json). */
enum { GET_COL_VERSION = 0, GET_COL_JSON = 1, GET_JSON_COL_JSON = 0 };

typedef struct get_ctx {
	const char *not_found;
	bool versioned;
	db_call call;
} get_ctx;

static void get_done(api_req *r, db_result *const *res, int n)
{
	get_ctx *c = r->ctx;
	const char *json = db_result_value(res[0], 0, c->versioned ? GET_COL_JSON : GET_JSON_COL_JSON);
	if (!json) {
		api_reply_not_found(r, c->not_found);
		return;
	}
	api_reply_doc(r, 200, c->versioned ? db_result_value(res[0], 0, GET_COL_VERSION) : NULL, json);
}

static void get(api_req *r, db_stmt_id stmt, const char *not_found, bool versioned)
{
	static const char *const none[] = { NULL };
	if (!api_query_only(r, none))
		return;
	for (int i = 0; i < r->npath_params; i++)
		if (!api_path_uuid(r, i, not_found))
			return;
	get_ctx *c = api_arena_alloc(r->mem, sizeof *c);
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

/* ---- keyset lists ------------------------------------------------------ */

/* The columns of a list statement (api_list_run). */
enum { LIST_COL_KEY = 0, LIST_COL_JSON = 1 };

typedef struct list_ctx {
	api_page *pg;
	const char *not_found; /* of the parent, with two calls */
	int ncalls;
	db_call calls[2];
} list_ctx;

api_page *api_list_begin(api_req *r, const char *const *allowed, api_page_key_fn key_ok)
{
	if (!api_query_only(r, allowed))
		return NULL;
	return api_list_page(r, key_ok);
}

api_page *api_list_page(api_req *r, api_page_key_fn key_ok)
{
	api_page *pg = api_arena_alloc(r->mem, sizeof *pg);
	if (!api_page_read_with(r, pg, 500, 50, key_ok))
		return NULL;
	return pg;
}

static void list_done(api_req *r, db_result *const *res, int n)
{
	list_ctx *c = r->ctx;
	if (c->ncalls == 2 && db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, c->not_found);
		return;
	}
	api_page_reply(r, c->pg, res[c->ncalls - 1], LIST_COL_KEY, LIST_COL_JSON);
}

static void list_run(api_req *r, api_page *pg, db_stmt_id parent, const char *not_found,
                     db_stmt_id stmt, const char *const *values, int n)
{
	list_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	const char **v = api_arena_alloc(r->mem, (size_t)n * sizeof *v);
	memcpy(v, values, (size_t)n * sizeof *v);
	c->pg = pg;
	c->not_found = not_found;
	if (not_found)
		c->calls[c->ncalls++] = (db_call){ parent, v };
	c->calls[c->ncalls++] = (db_call){ stmt, v };
	r->ctx = c;
	api_db_run(r, c->calls, c->ncalls, list_done);
}

void api_list_run(api_req *r, api_page *pg, db_stmt_id stmt, const char *const *values, int n)
{
	list_run(r, pg, stmt, NULL, stmt, values, n);
}

void api_list_run_in(api_req *r, api_page *pg, db_stmt_id parent, const char *not_found_detail,
                     db_stmt_id stmt, const char *const *values, int n)
{
	list_run(r, pg, parent, not_found_detail, stmt, values, n);
}

/* ---- requests and replies ---------------------------------------------- */

bool api_path_uuid(api_req *r, int i, const char *not_found_detail)
{
	if (api_is_uuid(r->path_params[i]))
		return true;
	api_reply_not_found(r, not_found_detail);
	return false;
}

bool api_query_year(api_req *r, const char **out)
{
	*out = api_query(r, "year");
	if (!*out)
		return true;
	char *end;
	long y = strtol(*out, &end, 10);
	if (!**out || *end || y < API_YEAR_MIN || y > API_YEAR_MAX) {
		api_reply_problem(r, 400, "Bad query",
		                  api_arena_printf(r->mem, "year must be an integer from %d to %d",
		                                   API_YEAR_MIN, API_YEAR_MAX));
		return false;
	}
	return true;
}

bool api_result_ok(api_req *r, int rc)
{
	if (rc == 0)
		return true;
	api_reply_problem(r, 500, "Internal error", "the database answered an unexpected value");
	return false;
}

bool api_body_object(api_req *r)
{
	if (json_is_object(r->body))
		return true;
	api_reply_problem(r, 422, "Validation failed", "the body must be a JSON object");
	return false;
}

json_t *api_body_fields(api_req *r, const char *const *allowed)
{
	if (!api_body_object(r))
		return NULL;
	json_t *errors = json_array();
	api_json_unknown_fields(r->body, allowed, errors);
	return api_errors_reply(r, errors) ? NULL : r->body;
}

bool api_errors_reply(api_req *r, json_t *errors)
{
	if (json_array_size(errors) > 0) {
		api_reply_errors(r, 422, "Validation failed", errors);
		return true;
	}
	json_decref(errors);
	return false;
}

void api_reply_not_found(api_req *r, const char *detail)
{
	api_reply_problem(r, 404, "Not found", detail);
}

void api_reply_field_error(api_req *r, const char *field, const char *code, const char *message)
{
	json_t *errors = json_array();
	api_error_add(errors, field, code, message);
	api_reply_errors(r, 422, "Validation failed", errors);
}

void api_reply_doc(api_req *r, int status, const char *version, const char *json)
{
	if (version)
		api_etag_set(r, version);
	api_reply_raw(r, status, "application/json", json, strlen(json));
}

void api_reply_created(api_req *r, const char *prefix, const char *version, const char *json)
{
	json_t *j = json_loads(json, 0, NULL);
	const char *id = j ? json_string_value(json_object_get(j, "id")) : NULL;
	char *loc = id ? api_arena_printf(r->mem, "%s%s", prefix, id) : NULL;
	json_decref(j);
	if (loc)
		api_reply_header(r, "Location", loc);
	api_reply_doc(r, 201, version, json);
}

void api_uuid_v4(char out[37])
{
	unsigned char b[16];
	randombytes_buf(b, sizeof b);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
}
