/*
 * Unit evaluations: a bureau records a grade and notes for a unit and
 * year; the unit's compliance rate is attached automatically — the share of
 * its in-service staff whose year is compliant, computed by core
 * (core_stats_rate) from the person-year summary.  Commendations of
 * units and persons, per year.  Both audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/fields.h"
#include "render/json.h"
#include "http/paging.h"
#include "http/resource.h"
#include "handlers.h"

#define UNIT_NOT_FOUND "no such unit in the caller's jurisdiction"

/* 201 with the created row (its JSON in column col of res); these
 * resources are read through their collections, which the Location names.
 * 404 when nothing was created (the target is not visible to the caller). */
static void reply_created(api_req *r, const db_result *res, int col, const char *collection)
{
	const char *j = db_result_value(res, 0, col);
	if (!j) {
		api_reply_not_found(r, "no such target in the caller's jurisdiction");
		return;
	}
	api_reply_header(r, "Location", collection);
	api_reply_doc(r, 201, NULL, j);
}

/* ---- unit evaluations --------------------------------------------------- */

typedef struct eval_ctx {
	/* the body (eval_fields) */
	int year;
	const char *grade, *notes;
	char year_s[12], rate_s[16];
	const char *v[5];
	db_call call;
} eval_ctx;

static void eval_inserted(api_req *r, db_result *const *res, int n)
{
	reply_created(r, res[0], EVALUATIONS_INSERT_COL_EVALUATION,
	              api_arena_printf(r->mem, "/v1/units/%s/evaluations", r->path_params[0]));
}

static void eval_counted(api_req *r, db_result *const *res, int n)
{
	eval_ctx *e = r->ctx;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, UNIT_NOT_FOUND);
		return;
	}
	long headcount, compliant;
	if (db_result_int(res[0], 0, EVALUATIONS_UNIT_COUNTS_COL_IN_SERVICE, &headcount) != 0 ||
	    db_result_int(res[0], 0, EVALUATIONS_UNIT_COUNTS_COL_COMPLIANT, &compliant) != 0) {
		api_reply_problem(r, 500, "Internal error", "the unit's staff could not be counted");
		return;
	}
	double rate = core_stats_rate(compliant, headcount);
	snprintf(e->rate_s, sizeof e->rate_s, "%.4f", rate);
	e->v[0] = r->path_params[0];
	e->v[1] = e->year_s;
	e->v[2] = e->grade;
	e->v[3] = e->notes;
	e->v[4] = e->rate_s;
	e->call = (db_call){ DB_STMT_EVALUATIONS_INSERT, e->v };
	api_db_run(r, &e->call, 1, eval_inserted);
}

static void evaluations_create(api_req *r)
{
	eval_ctx *e = r->ctx;
	snprintf(e->year_s, sizeof e->year_s, "%d", e->year);
	e->v[0] = r->path_params[0];
	e->v[1] = e->year_s;
	e->call = (db_call){ DB_STMT_EVALUATIONS_UNIT_COUNTS, e->v };
	api_db_run(r, &e->call, 1, eval_counted);
}

/* a bureau evaluates and commends what has happened: a year up to this one
 * (read after the others, as it was) */
static const api_field eval_fields[] = {
	API_FIELD_STR(eval_ctx, grade, "grade", API_REQUIRED, 64),
	API_FIELD_STR(eval_ctx, notes, "notes", 0, 4000),
	API_FIELD_PAST_YEAR_OF(eval_ctx, year, "year", API_REQUIRED),
	API_FIELDS_END,
};
const api_op op_evaluations_create = { .handler = evaluations_create, .not_found = UNIT_NOT_FOUND,
                                       .fields = eval_fields,
                                       .ctx_size = sizeof(eval_ctx), .flags = API_OP_TX };

static void evals_listed(api_req *r, db_result *const *res, int n)
{
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, UNIT_NOT_FOUND);
		return;
	}
	const char *arr = db_result_value(res[1], 0, EVALUATIONS_LIST_COL_EVALUATIONS);
	char *body = api_arena_printf(r->mem, "{\"items\":%s,\"next_cursor\":null}", arr ? arr : "[]");
	api_reply_doc(r, 200, NULL, body);
}

static void evaluations_list(api_req *r)
{
	db_call *c = api_arena_alloc(r->mem, 2 * sizeof *c);
	c[0] = (db_call){ DB_STMT_EVALUATIONS_UNIT_VISIBLE, r->path_params };
	c[1] = (db_call){ DB_STMT_EVALUATIONS_LIST, r->path_params };
	api_db_run(r, c, 2, evals_listed);
}

const api_op op_evaluations_list = { .handler = evaluations_list, .not_found = UNIT_NOT_FOUND };

/* ---- commendations ------------------------------------------------------ */

typedef struct commendation_ctx {
	/* the body (commendation_fields) */
	int year;
	const char *type, *target, *title;
	const char *year_q, *type_q; /* the list's query (commendations_params) */
	const char *v[4];
	db_call call;
} commendation_ctx;

static void commendation_inserted(api_req *r, db_result *const *res, int n)
{
	reply_created(r, res[0], COMMENDATIONS_INSERT_COL_COMMENDATION, "/v1/commendations");
}

/* target_type: unit or person (the signature api_param's enums take) */
static int api_parse_target_type(void *out, const char *s)
{
	return strcmp(s, "unit") == 0 || strcmp(s, "person") == 0 ? 0 : -1;
}

static void commendation_check(api_req *r, json_t *errors)
{
	commendation_ctx *c = r->ctx;
	if (c->type && api_parse_target_type(NULL, c->type) != 0)
		api_error_add(errors, "target_type", "invalid", "must be unit or person");
}

static void commendations_create(api_req *r)
{
	commendation_ctx *c = r->ctx;
	c->v[0] = api_arena_printf(r->mem, "%d", c->year);
	c->v[1] = c->type;
	c->v[2] = c->target;
	c->v[3] = c->title;
	c->call = (db_call){ DB_STMT_COMMENDATIONS_INSERT, c->v };
	api_db_run(r, &c->call, 1, commendation_inserted);
}

static const api_field commendation_fields[] = {
	API_FIELD_STR(commendation_ctx, type, "target_type", API_REQUIRED, 16),
	API_FIELD_ID(commendation_ctx, target, "target_id", API_REQUIRED),
	API_FIELD_STR(commendation_ctx, title, "title", API_REQUIRED, 500),
	API_FIELD_PAST_YEAR_OF(commendation_ctx, year, "year", API_REQUIRED),
	API_FIELDS_END,
};
const api_op op_commendations_create = { .handler = commendations_create,
                                         .fields = commendation_fields,
                                         .check = commendation_check,
                                         .ctx_size = sizeof(commendation_ctx) };

static void commendations_list(api_req *r)
{
	commendation_ctx *c = r->ctx;
	const char *v[] = { r->page->after, c->year_q, c->type_q, r->page->limit_plus_one };
	api_list_run(r, r->page, DB_STMT_COMMENDATIONS_LIST, v, 4);
}

static const api_param commendations_params[] = {
	API_PARAM(commendation_ctx, year_q, "year", API_PARAM_YEAR, "year must be a year"),
	API_PARAM_ENUM_OF(commendation_ctx, type_q, "target_type", target_type,
	                  "target_type must be unit or person"),
	API_PARAMS_END,
};
const api_op op_commendations_list = { .handler = commendations_list,
                                       .params = commendations_params,
                                       .ctx_size = sizeof(commendation_ctx),
                                       .flags = API_OP_PAGED };
