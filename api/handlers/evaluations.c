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

typedef struct eval_ctx {
	const char *unit;
	long year;
	const char *grade, *notes;
	char year_s[12], rate_s[16];
	const char *v[5];
	db_call call;
} eval_ctx;

/* 201 with the created row (JSON from the database); these resources are
 * read through their collections, which the Location names.  404 when
 * nothing was created (the target is not visible to the caller). */
static void reply_created(api_req *r, db_result *const *res, const char *collection)
{
	const char *j = db_result_value(res[0], 0, 0);
	if (!j) {
		api_reply_not_found(r, "no such target in the caller's jurisdiction");
		return;
	}
	if (collection)
		api_reply_header(r, "Location", collection);
	api_reply_raw(r, 201, "application/json", j, strlen(j));
}

static void eval_inserted(api_req *r, db_result *const *res, int n)
{
	eval_ctx *e = r->ctx;
	(void)n;
	reply_created(r, res, api_arena_printf(r->mem, "/v1/units/%s/evaluations", e->unit));
}

static void eval_counted(api_req *r, db_result *const *res, int n)
{
	eval_ctx *e = r->ctx;
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, UNIT_NOT_FOUND);
		return;
	}
	long headcount = atol(db_result_value(res[0], 0, 1));
	long compliant = atol(db_result_value(res[0], 0, 2));
	double rate = core_stats_rate(compliant, headcount);
	snprintf(e->rate_s, sizeof e->rate_s, "%.4f", rate);
	e->v[0] = e->unit;
	e->v[1] = e->year_s;
	e->v[2] = e->grade;
	e->v[3] = e->notes;
	e->v[4] = e->rate_s;
	e->call = (db_call){ DB_STMT_EVALUATIONS_INSERT, e->v };
	api_db_run(r, &e->call, 1, eval_inserted);
}

void h_evaluations_create(api_req *r)
{
	static const char *const allowed[] = { "year", "grade", "notes", NULL };
	if (!api_path_uuid(r, 0, UNIT_NOT_FOUND))
		return;
	if (!api_body_object(r))
		return;
	json_t *errors = json_array();
	eval_ctx *e = api_arena_alloc(r->mem, sizeof *e);
	api_json_unknown_fields(r->body, allowed, errors);
	api_field_int(r->body, "year", true, 1990, api_today().y, &e->year, errors);
	api_field_string(r->body, "grade", true, 64, &e->grade, errors);
	api_field_string(r->body, "notes", false, 4000, &e->notes, errors);
	if (api_errors_reply(r, errors))
		return;
	e->unit = r->path_params[0];
	snprintf(e->year_s, sizeof e->year_s, "%ld", e->year);
	e->v[0] = e->unit;
	e->v[1] = e->year_s;
	e->call = (db_call){ DB_STMT_EVALUATIONS_UNIT_COUNTS, e->v };
	r->ctx = e;
	api_db_tx(r);
	api_db_run(r, &e->call, 1, eval_counted);
}

static void evals_listed(api_req *r, db_result *const *res, int n)
{
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, UNIT_NOT_FOUND);
		return;
	}
	const char *arr = db_result_value(res[1], 0, 0);
	char *body = api_arena_printf(r->mem, "{\"items\":%s,\"next_cursor\":null}", arr ? arr : "[]");
	api_reply_raw(r, 200, "application/json", body, strlen(body));
}

void h_evaluations_list(api_req *r)
{
	static const char *const allowed[] = { NULL };
	if (!api_query_only(r, allowed))
		return;
	if (!api_path_uuid(r, 0, UNIT_NOT_FOUND))
		return;
	db_call *c = api_arena_alloc(r->mem, 2 * sizeof *c);
	const char **v = api_arena_alloc(r->mem, sizeof *v);
	v[0] = r->path_params[0];
	c[0] = (db_call){ DB_STMT_EVALUATIONS_UNIT_VISIBLE, v };
	c[1] = (db_call){ DB_STMT_EVALUATIONS_LIST, v };
	api_db_run(r, c, 2, evals_listed);
}

/* ---- commendations ------------------------------------------------------ */

static void commendation_inserted(api_req *r, db_result *const *res, int n)
{
	(void)n;
	reply_created(r, res, "/v1/commendations");
}

void h_commendations_create(api_req *r)
{
	static const char *const allowed[] = { "year", "target_type", "target_id", "title", NULL };
	if (!api_body_object(r))
		return;
	json_t *errors = json_array();
	api_json_unknown_fields(r->body, allowed, errors);
	long year = 0;
	const char *type = NULL, *target = NULL, *title = NULL;
	api_field_int(r->body, "year", true, 1990, api_today().y, &year, errors);
	if (api_field_string(r->body, "target_type", true, 16, &type, errors) &&
	    strcmp(type, "unit") != 0 && strcmp(type, "person") != 0)
		api_error_add(errors, "target_type", "invalid", "must be unit or person");
	api_field_uuid(r->body, "target_id", true, &target, errors);
	api_field_string(r->body, "title", true, 500, &title, errors);
	if (api_errors_reply(r, errors))
		return;
	const char **v = api_arena_alloc(r->mem, 4 * sizeof *v);
	db_call *c = api_arena_alloc(r->mem, sizeof *c);
	v[0] = api_arena_printf(r->mem, "%ld", year);
	v[1] = type;
	v[2] = target;
	v[3] = title;
	*c = (db_call){ DB_STMT_COMMENDATIONS_INSERT, v };
	api_db_run(r, c, 1, commendation_inserted);
}

void h_commendations_list(api_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", "year", "target_type", NULL };
	api_page *pg = api_list_begin(r, allowed, api_cursor_is_time_id);
	if (!pg)
		return;
	const char *year = api_query(r, "year"), *type = api_query(r, "target_type");
	if (year && (atoi(year) < 1990 || atoi(year) > 2100 || strspn(year, "0123456789") != strlen(year))) {
		api_reply_problem(r, 400, "Bad query", "year must be a year");
		return;
	}
	if (type && strcmp(type, "unit") != 0 && strcmp(type, "person") != 0) {
		api_reply_problem(r, 400, "Bad query", "target_type must be unit or person");
		return;
	}
	const char *v[] = { pg->after, year, type, pg->limit_plus_one };
	api_list_run(r, pg, DB_STMT_COMMENDATIONS_LIST, v, 4);
}

/* ---- operations of the route table (http/op.h) -------------------------- */

const api_op op_commendations_create = { .handler = h_commendations_create, .flags = API_OP_ANY_QUERY };
const api_op op_commendations_list = { .handler = h_commendations_list, .flags = API_OP_ANY_QUERY };
const api_op op_evaluations_create = { .handler = h_evaluations_create, .flags = API_OP_ANY_QUERY };
const api_op op_evaluations_list = { .handler = h_evaluations_list, .flags = API_OP_ANY_QUERY };
