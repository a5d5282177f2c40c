/*
 * Transfers: POST /v1/persons/{id}/transfers, GET /v1/transfers/{id},
 * POST /v1/transfers/{id}/accept.
 *
 * The releasing side asks (the person's current unit, the district bureau
 * of the person's district, the city bureau) → 201 with status requested;
 * the receiving side accepts (the receiving unit, the district bureau of its
 * district, the city bureau) → 200 with status accepted.  At most one open
 * request per person.  Accepting moves the person: the schema's triggers
 * rewrite the records' and summaries' current jurisdiction and extend the
 * employment history, so the whole history follows the person to the new
 * jurisdiction and the old unit no longer sees it; attribution at
 * registration (records.reg_*) never moves.  Both steps write a "transfer"
 * audit row (entity transfer) in their transaction.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/fields.h"
#include "render/json.h"
#include "http/resource.h"
#include "handlers.h"
#include "persons_internal.h"

#define TRANSFER_NOT_FOUND "no such transfer in the caller's jurisdiction"

typedef struct transfer_ctx {
	const char *to_unit;
	const char *reason;
	const char *v1[1], *v2[2], *v3[1];
	const char *v[4];
	db_call calls[3];
} transfer_ctx;

static void reply_transfer(api_req *r, int status, const char *json, bool location)
{
	json_t *t = json ? json_loads(json, 0, NULL) : NULL;
	if (!t) {
		api_reply_problem(r, 500, "Internal error", "the transfer could not be read back");
		return;
	}
	const char *id = json_string_value(json_object_get(t, "id"));
	char *loc = location && id ? api_arena_printf(r->mem, "/v1/transfers/%s", id) : NULL;
	if (loc)
		api_reply_header(r, "Location", loc);
	api_reply_json(r, status, t); /* compact, as every other answer */
}

/* ---- POST /v1/persons/{id}/transfers ----------------------------------- */

static void requested(api_req *r, db_result *const *res, int n)
{
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		api_reply_problem(r, 403, "Forbidden", "only the releasing side requests a transfer");
		return;
	}
	reply_transfer(r, 201, db_result_value(res[0], 0, 0), true);
}

static void request_checked(api_req *r, db_result *const *res, int n)
{
	transfer_ctx *c = r->ctx;
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, PERSONS_NOT_FOUND);
		return;
	}
	const char *from_unit = db_result_value(res[0], 0, 0);
	json_t *errors = json_array();
	if (db_result_rows(res[1]) == 0 || db_result_is_null(res[1], 0, 0))
		api_error_add(errors, "to_unit", "unknown", "no such unit");
	else if (strcasecmp(from_unit, c->to_unit) == 0)
		api_error_add(errors, "to_unit", "invalid", "the person is already in this unit");
	if (api_errors_reply(r, errors))
		return;
	if (db_result_rows(res[2]) > 0) {
		api_reply_problem(r, 409, "Conflict",
		                  "the person already has an open transfer request; it must be accepted first");
		return;
	}
	c->v[0] = r->path_params[0];
	c->v[1] = api_arena_strdup(r->mem, from_unit);
	c->v[2] = c->to_unit;
	c->v[3] = c->reason;
	c->calls[0] = (db_call){ DB_STMT_PERSONS_TRANSFER_CREATE, c->v };
	api_db_run(r, c->calls, 1, requested);
}

void h_persons_transfer_create(api_req *r)
{
	static const char *const allowed_q[] = { NULL };
	static const char *const allowed[] = { "to_unit", "reason", NULL };
	if (!api_query_only(r, allowed_q))
		return;
	if (!api_path_uuid(r, 0, PERSONS_NOT_FOUND))
		return;
	if (!api_body_object(r))
		return;
	transfer_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	if (!api_alloc_ok(r, c))
		return;
	r->ctx = c;
	json_t *errors = json_array();
	api_json_unknown_fields(r->body, allowed, errors);
	api_field_uuid(r->body, "to_unit", true, &c->to_unit, errors);
	api_field_string(r->body, "reason", false, 500, &c->reason, errors);
	if (api_errors_reply(r, errors))
		return;
	c->v1[0] = r->path_params[0];
	c->v2[0] = r->path_params[0];
	c->v2[1] = c->to_unit;
	c->v3[0] = r->path_params[0];
	c->calls[0] = (db_call){ DB_STMT_PERSONS_TRANSFER_PERSON, c->v1 };
	c->calls[1] = (db_call){ DB_STMT_PERSONS_TRANSFER_TARGET, c->v2 };
	c->calls[2] = (db_call){ DB_STMT_PERSONS_TRANSFER_OPEN, c->v3 };
	api_db_tx(r);
	api_db_run(r, c->calls, 3, request_checked);
}

/* ---- GET /v1/transfers/{id} -------------------------------------------- */

static void got(api_req *r, db_result *const *res, int n)
{
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, TRANSFER_NOT_FOUND);
		return;
	}
	reply_transfer(r, 200, db_result_value(res[0], 0, 0), false);
}

void h_transfers_get(api_req *r)
{
	static const char *const allowed[] = { NULL };
	if (!api_query_only(r, allowed))
		return;
	if (!api_path_uuid(r, 0, TRANSFER_NOT_FOUND))
		return;
	transfer_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	if (!api_alloc_ok(r, c))
		return;
	c->v1[0] = r->path_params[0];
	c->calls[0] = (db_call){ DB_STMT_PERSONS_TRANSFER_GET, c->v1 };
	api_db_run(r, c->calls, 1, got);
}

/* ---- POST /v1/transfers/{id}/accept ------------------------------------ */

static void accepted(api_req *r, db_result *const *res, int n)
{
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		api_reply_problem(r, 409, "Conflict", "the transfer is no longer requested");
		return;
	}
	reply_transfer(r, 200, db_result_value(res[0], 0, 0), false);
}

static void accept_checked(api_req *r, db_result *const *res, int n)
{
	transfer_ctx *c = r->ctx;
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, TRANSFER_NOT_FOUND);
		return;
	}
	const char *status = db_result_value(res[0], 0, 1);
	const char *to_unit = db_result_value(res[0], 0, 2);
	const char *to_district = db_result_value(res[0], 0, 3);
	bool receiving = r->claims.role == API_ROLE_CITY ||
	                 (r->claims.role == API_ROLE_DISTRICT && !strcmp(to_district, r->claims.jur)) ||
	                 (r->claims.role == API_ROLE_UNIT && !strcasecmp(to_unit, r->claims.jur));
	if (!receiving) {
		api_reply_problem(r, 403, "Forbidden", "only the receiving side accepts a transfer");
		return;
	}
	if (strcmp(status, "requested") != 0) {
		char *d = api_arena_printf(r->mem, "the transfer is already %s", status);
		api_reply_problem(r, 409, "Conflict", d ? d : "the transfer is no longer requested");
		return;
	}
	c->calls[0] = (db_call){ DB_STMT_PERSONS_TRANSFER_ACCEPT, c->v1 };
	api_db_run(r, c->calls, 1, accepted);
}

void h_transfers_accept(api_req *r)
{
	static const char *const allowed[] = { NULL };
	if (!api_query_only(r, allowed))
		return;
	if (!api_path_uuid(r, 0, TRANSFER_NOT_FOUND))
		return;
	transfer_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	if (!api_alloc_ok(r, c))
		return;
	r->ctx = c;
	c->v1[0] = r->path_params[0];
	c->calls[0] = (db_call){ DB_STMT_PERSONS_TRANSFER_GET, c->v1 };
	api_db_tx(r);
	api_db_run(r, c->calls, 1, accept_checked);
}

/* ---- operations of the route table (http/op.h) -------------------------- */

const api_op op_persons_transfer_create = { .handler = h_persons_transfer_create, .flags = API_OP_ANY_QUERY };
const api_op op_transfers_accept = { .handler = h_transfers_accept, .flags = API_OP_ANY_QUERY };
const api_op op_transfers_get = { .handler = h_transfers_get, .flags = API_OP_ANY_QUERY };
