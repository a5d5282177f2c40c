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
	/* the body of a request (request_fields) */
	const char *to_unit;
	const char *reason;
	const char *v2[2];
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
	if (db_result_rows(res[0]) == 0) {
		api_reply_problem(r, 403, "Forbidden", "only the releasing side requests a transfer");
		return;
	}
	reply_transfer(r, 201, db_result_value(res[0], 0, PERSONS_TRANSFER_CREATE_COL_TRANSFER), true);
}

static void request_checked(api_req *r, db_result *const *res, int n)
{
	transfer_ctx *c = r->ctx;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, PERSONS_NOT_FOUND);
		return;
	}
	const char *from_unit = db_result_value(res[0], 0, PERSONS_TRANSFER_PERSON_COL_UNIT);
	json_t *errors = json_array();
	if (db_result_rows(res[1]) == 0 || db_result_is_null(res[1], 0, PERSONS_TRANSFER_TARGET_COL_TO_DISTRICT))
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

static void transfer_request(api_req *r)
{
	transfer_ctx *c = r->ctx;
	c->v2[0] = r->path_params[0];
	c->v2[1] = c->to_unit;
	c->calls[0] = (db_call){ DB_STMT_PERSONS_TRANSFER_PERSON, r->path_params };
	c->calls[1] = (db_call){ DB_STMT_PERSONS_TRANSFER_TARGET, c->v2 };
	c->calls[2] = (db_call){ DB_STMT_PERSONS_TRANSFER_OPEN, r->path_params };
	api_db_run(r, c->calls, 3, request_checked);
}

static const api_field request_fields[] = {
	API_FIELD_ID(transfer_ctx, to_unit, "to_unit", API_REQUIRED),
	API_FIELD_STR(transfer_ctx, reason, "reason", 0, 500),
	API_FIELDS_END,
};
const api_op op_persons_transfer_create = {
	.handler = transfer_request, .not_found = PERSONS_NOT_FOUND, .fields = request_fields,
	.ctx_size = sizeof(transfer_ctx), .flags = API_OP_TX,
};

/* ---- GET /v1/transfers/{id} -------------------------------------------- */

static void got(api_req *r, db_result *const *res, int n)
{
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, TRANSFER_NOT_FOUND);
		return;
	}
	reply_transfer(r, 200, db_result_value(res[0], 0, PERSONS_TRANSFER_GET_COL_TRANSFER), false);
}

static void transfers_get(api_req *r)
{
	transfer_ctx *c = r->ctx;
	c->calls[0] = (db_call){ DB_STMT_PERSONS_TRANSFER_GET, r->path_params };
	api_db_run(r, c->calls, 1, got);
}

const api_op op_transfers_get = { .handler = transfers_get, .not_found = TRANSFER_NOT_FOUND,
                                  .ctx_size = sizeof(transfer_ctx) };

/* ---- POST /v1/transfers/{id}/accept ------------------------------------ */

static void accepted(api_req *r, db_result *const *res, int n)
{
	if (db_result_rows(res[0]) == 0) {
		api_reply_problem(r, 409, "Conflict", "the transfer is no longer requested");
		return;
	}
	reply_transfer(r, 200, db_result_value(res[0], 0, PERSONS_TRANSFER_ACCEPT_COL_TRANSFER), false);
}

static void accept_checked(api_req *r, db_result *const *res, int n)
{
	transfer_ctx *c = r->ctx;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, TRANSFER_NOT_FOUND);
		return;
	}
	const char *status = db_result_value(res[0], 0, PERSONS_TRANSFER_GET_COL_STATUS);
	const char *to_unit = db_result_value(res[0], 0, PERSONS_TRANSFER_GET_COL_TO_UNIT);
	const char *to_district = db_result_value(res[0], 0, PERSONS_TRANSFER_GET_COL_TO_DISTRICT);
	bool receiving = r->claims.role == API_ROLE_CITY ||
	                 (r->claims.role == API_ROLE_DISTRICT && !strcmp(to_district, r->claims.jur)) ||
	                 (r->claims.role == API_ROLE_UNIT && !strcasecmp(to_unit, r->claims.jur));
	if (!receiving) {
		api_reply_problem(r, 403, "Forbidden", "only the receiving side accepts a transfer");
		return;
	}
	if (strcmp(status, "requested") != 0) {
		api_reply_problem(r, 409, "Conflict",
		                  api_arena_printf(r->mem, "the transfer is already \"%s\"", status));
		return;
	}
	c->calls[0] = (db_call){ DB_STMT_PERSONS_TRANSFER_ACCEPT, r->path_params };
	api_db_run(r, c->calls, 1, accepted);
}

static void transfers_accept(api_req *r)
{
	transfer_ctx *c = r->ctx;
	c->calls[0] = (db_call){ DB_STMT_PERSONS_TRANSFER_GET, r->path_params };
	api_db_run(r, c->calls, 1, accept_checked);
}

const api_op op_transfers_accept = { .handler = transfers_accept, .not_found = TRANSFER_NOT_FOUND,
                                     .ctx_size = sizeof(transfer_ctx), .flags = API_OP_TX };
