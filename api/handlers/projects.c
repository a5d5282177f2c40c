/*
 * Projects: GET|POST /v1/bases/{id}/projects,
 * GET /v1/projects/{id}, POST /v1/projects/{id}/submit | /approve | /reject;
 * and the city bureau's late windows: POST|GET /v1/late-windows,
 * GET /v1/late-windows/{id}.
 *
 * Who may do what (API.md permission matrix):
 *   read              city, industry, unit all; a district bureau the
 *                     projects of its district's bases; a base its own; a
 *                     person approved ones only (row-level security; else 404)
 *   create, submit    the base itself, accredited only: an applied,
 *                     suspended or revoked base gets 409 (R-16: its state
 *                     forbids it, not its role)
 *   approve, reject   the bureau of the base's level: city-level bases the
 *                     city bureau, district-level bases their district's
 *                     bureau; the other bureau 403 (or 404 when it cannot
 *                     see the project)
 * Decisions by core: the funding split (core_funding_check, R-18), the
 * transitions (core_project_transition, illegal: 409), the submission window
 * (core_project_window_check with today and the late window of the
 * project's year, R-19: refused is 422 on field "year", code too_early or
 * year_begun).  R-19 names full-time and part-time (脱产/半脱产) projects:
 * other class types are refused when the project is drafted (422,
 * class_type), since such a project could never be submitted.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/fields.h"
#include "render/json.h"
#include "http/paging.h"
#include "http/resource.h"
#include "handlers.h"

#define TITLE_MAX_BYTES 200
#define TEXT_MAX_BYTES 2000
#define CAPACITY_MAX 100000
#define FEE_MAX_CENTS 9999999999LL /* NUMERIC(10,2) */
#define PROJECT_NOT_FOUND "no such project in the caller's jurisdiction"
#define BASE_NOT_FOUND "no such base in the caller's jurisdiction"

/* ---- GET /v1/bases/{id}/projects ---------------------------------------- */

void h_projects_list(api_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", "year", "status", NULL };
	if (!api_query_only(r, allowed))
		return;
	if (!api_path_uuid(r, 0, BASE_NOT_FOUND))
		return;
	api_page *pg = api_list_page(r, api_cursor_is_time_id);
	if (!pg)
		return;
	const char *year, *status = api_query(r, "status");
	if (!api_query_year(r, &year))
		return;
	core_project_status st;
	if (status && core_project_status_parse(&st, status) != 0) {
		api_reply_problem(r, 400, "Bad query",
		                  "status must be draft, submitted, approved or rejected");
		return;
	}
	const char *v[] = { r->path_params[0], pg->after, year, status, pg->limit_plus_one };
	api_list_run_in(r, pg, DB_STMT_BASE_VISIBLE, BASE_NOT_FOUND, DB_STMT_PROJECTS_LIST, v, 5);
}

/* ---- GET /v1/projects/{id} ---------------------------------------------- */

void h_projects_get(api_req *r)
{
	api_get_one(r, DB_STMT_PROJECTS_GET, PROJECT_NOT_FOUND);
}

/* ---- POST /v1/bases/{id}/projects --------------------------------------- */

enum { P_BASE, P_YEAR, P_TITLE, P_CATEGORY, P_SUBJECT_PUBLIC, P_SUBJECT_GUIDE, P_HOURS,
       P_CLASS_TYPE, P_CAPACITY, P_FEE, P_GOV, P_UNIT, P_IND, P__COUNT };

typedef struct create_ctx {
	const char *v[P__COUNT];
	const char *lock[1];
	const char *check[2];
	char year[12], hours[CORE_HOURS_BUFSZ], capacity[12], fee[24], share[3][8];
	db_call calls[3];
} create_ctx;

static void created(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *a = db_result_value(res[0], 0, 1);
	if (!a) {
		api_reply_problem(r, 500, "Internal error", "the project was not stored");
		return;
	}
	api_reply_created(r, "/v1/projects/", db_result_value(res[0], 0, 0), a);
}

static void create_checked(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	(void)n;
	const db_result *base = res[1];
	if (db_result_rows(base) == 0) {
		api_reply_not_found(r, BASE_NOT_FOUND);
		return;
	}
	core_base_status st;
	const char *status = db_result_value(base, 0, 0);
	if (core_base_status_parse(&st, status) != 0 || !core_base_may_operate(st)) {
		char *d = api_arena_printf(r->mem, "the base is %s: only an accredited base drafts and "
		                                   "submits projects (R-16)", status ? status : "unknown");
		api_reply_problem(r, 409, "Conflict", d);
		return;
	}
	const char *found = db_result_value(res[2], 0, 0);
	if (!found || found[0] != 't') {
		api_reply_field_error(r, "subject", "unknown",
		                      c->v[P_SUBJECT_PUBLIC] ? "no such public subject"
		                                             : "no such subject in a published guide");
		return;
	}
	c->calls[0] = (db_call){ DB_STMT_PROJECTS_INSERT, c->v };
	api_db_run(r, c->calls, 1, created);
}

/* A fee per trainee in yuan: a number >= 0 with at most two decimals. */
static bool read_fee(json_t *body, char *out, size_t n, json_t *errors)
{
	json_t *v = json_object_get(body, "fee");
	if (!v || json_is_null(v)) {
		api_error_add(errors, "fee", "required", "the fee per trainee in yuan");
		return false;
	}
	double d = json_is_number(v) ? json_number_value(v) : -1.0;
	/* no libm: the range check keeps the conversion defined */
	bool ok = json_is_number(v) && d >= 0 && d <= (double)FEE_MAX_CENTS / 100.0;
	double scaled = ok ? d * 100.0 : 0;
	long long cents = (long long)(scaled + 0.5);
	double diff = scaled - (double)cents;
	if (!ok || diff > 1e-6 * (scaled > 1 ? scaled : 1) || -diff > 1e-6 * (scaled > 1 ? scaled : 1)) {
		api_error_add(errors, "fee", "invalid",
		              "a number of yuan from 0 with at most two decimals");
		return false;
	}
	snprintf(out, n, "%lld.%02lld", cents / 100, cents % 100);
	return true;
}

/* the split, checked by core; every failing part named. */
static void read_funding(json_t *body, create_ctx *c, json_t *errors)
{
	static const char *const parts[] = { "government", "unit", "individual", NULL };
	json_t *f = json_object_get(body, "funding");
	if (!f || json_is_null(f)) {
		api_error_add(errors, "funding", "required",
		              "the split in percent: government, unit, individual (sum 100)");
		return;
	}
	if (!json_is_object(f)) {
		api_error_add(errors, "funding", "invalid", "must be an object");
		return;
	}
	bool ok = true;
	const char *k;
	json_t *kv;
	json_object_foreach(f, k, kv) {
		bool known = false;
		for (int i = 0; parts[i]; i++)
			known |= strcmp(k, parts[i]) == 0;
		if (!known) {
			char field[64];
			snprintf(field, sizeof field, "funding.%.40s", k);
			api_error_add(errors, field, "unknown_field", "unknown field");
			ok = false;
		}
	}
	int share[3] = { 0, 0, 0 };
	for (int i = 0; parts[i]; i++) {
		char field[32];
		snprintf(field, sizeof field, "funding.%s", parts[i]);
		json_t *v = json_object_get(f, parts[i]);
		if (!json_is_integer(v)) {
			api_error_add(errors, field, v ? "invalid" : "required",
			              "a whole percentage from 0 to 100");
			ok = false;
			continue;
		}
		json_int_t x = json_integer_value(v);
		share[i] = x < -1000 ? -1000 : x > 1000 ? 1000 : (int)x;
	}
	if (!ok)
		return;
	core_error_list list;
	core_error_list_init(&list);
	if (core_funding_check(&list, share[0], share[1], share[2]) != 0) {
		api_errors_from_core(errors, &list);
		return;
	}
	for (int i = 0; i < 3; i++)
		snprintf(c->share[i], sizeof c->share[i], "%d", share[i]);
	c->v[P_GOV] = c->share[0];
	c->v[P_UNIT] = c->share[1];
	c->v[P_IND] = c->share[2];
}

void h_projects_create(api_req *r)
{
	static const char *const allowed[] = { "year", "title", "category", "subject", "hours",
	                                       "class_type", "capacity", "fee", "funding", NULL };
	if (!api_path_uuid(r, 0, BASE_NOT_FOUND))
		return;
	json_t *body = api_body_fields(r, allowed);
	if (!body)
		return;
	create_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	json_t *errors = json_array();
	long year = 0, capacity = 0;
	if (api_field_int(body, "year", true, 1990, 2100, &year, errors))
		snprintf(c->year, sizeof c->year, "%ld", year);
	api_field_string(body, "title", true, TITLE_MAX_BYTES, &c->v[P_TITLE], errors);
	core_category cat = CORE_CAT_PUBLIC;
	bool cat_ok = API_FIELD_ENUM(body, "category", true, category, &cat,
	                             "must be public or professional", errors);
	const char *subject = NULL;
	api_field_uuid(body, "subject", true, &subject, errors);
	int32_t hours = 0;
	if (api_field_hours(body, "hours", true, false, &hours, errors))
		core_hours_format(c->hours, sizeof c->hours, hours);
	core_class_type ct = CORE_CLASS_FULL_TIME;
	if (API_FIELD_ENUM(body, "class_type", true, class_type, &ct,
	                   "must be full_time, part_time, spare_time or online", errors) &&
	    ct != CORE_CLASS_FULL_TIME && ct != CORE_CLASS_PART_TIME)
		api_error_add(errors, "class_type", "not_allowed",
		              "base projects are full_time or part_time (R-19)");
	if (api_field_int(body, "capacity", true, 1, CAPACITY_MAX, &capacity, errors))
		snprintf(c->capacity, sizeof c->capacity, "%ld", capacity);
	read_fee(body, c->fee, sizeof c->fee, errors);
	read_funding(body, c, errors);
	if (api_errors_reply(r, errors))
		return;
	(void)cat_ok;
	c->v[P_BASE] = r->path_params[0];
	c->v[P_YEAR] = c->year;
	c->v[P_CATEGORY] = core_category_name(cat);
	c->v[P_SUBJECT_PUBLIC] = cat == CORE_CAT_PUBLIC ? subject : NULL;
	c->v[P_SUBJECT_GUIDE] = cat == CORE_CAT_PUBLIC ? NULL : subject;
	c->v[P_HOURS] = c->hours;
	c->v[P_CLASS_TYPE] = core_class_type_name(ct);
	c->v[P_CAPACITY] = c->capacity;
	c->v[P_FEE] = c->fee;
	c->lock[0] = r->path_params[0];
	c->check[0] = c->v[P_CATEGORY];
	c->check[1] = subject;
	c->calls[0] = (db_call){ DB_STMT_BASES_LOCK, c->lock };
	c->calls[1] = (db_call){ DB_STMT_PROJECTS_BASE_STATE, c->lock };
	c->calls[2] = (db_call){ DB_STMT_PROJECTS_SUBJECT_CHECK, c->check };
	r->ctx = c;
	api_db_tx(r);
	api_db_run(r, c->calls, 3, create_checked);
}

/* ---- POST /v1/projects/{id}/submit | approve | reject -------------------- */

typedef struct action_ctx {
	core_project_action action;
	long if_match;
	const char *reason;
	const char *id[1];
	const char *v[5];
	db_call calls[2];
} action_ctx;

static const char *action_past(core_project_action a)
{
	switch (a) {
	case CORE_PROJECT_ACT_SUBMIT: return "submitted";
	case CORE_PROJECT_ACT_APPROVE: return "approved";
	default: return "rejected";
	}
}

static void action_done(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *a = db_result_value(res[0], 0, 1);
	if (!a) {
		api_reply_problem(r, 409, "Conflict", "the project changed meanwhile; retry");
		return;
	}
	api_reply_doc(r, 200, db_result_value(res[0], 0, 0), a);
}

/* approve/reject: the bureau of the base's level (API.md, R-19) */
static bool may_decide(const api_req *r, const char *level, const char *district)
{
	if (r->claims.role == API_ROLE_CITY)
		return level && strcmp(level, "city") == 0;
	return r->claims.role == API_ROLE_DISTRICT && level && district &&
	       strcmp(level, "district") == 0 && strcmp(district, r->claims.jur) == 0;
}

static void action_loaded(api_req *r, db_result *const *res, int n)
{
	action_ctx *c = r->ctx;
	(void)n;
	const db_result *row = res[1];
	if (db_result_rows(row) == 0) {
		api_reply_not_found(r, PROJECT_NOT_FOUND);
		return;
	}
	const char *status = db_result_value(row, 0, 0);
	const char *year = db_result_value(row, 0, 1);
	const char *version = db_result_value(row, 0, 2);
	const char *base_status = db_result_value(row, 0, 3);
	const char *level = db_result_value(row, 0, 4);
	const char *district = db_result_value(row, 0, 5);
	const char *late = db_result_value(row, 0, 6);
	if (c->action != CORE_PROJECT_ACT_SUBMIT && !may_decide(r, level, district)) {
		api_reply_problem(r, 403, "Forbidden",
		                  "projects are approved by the bureau of the base's level: city-level "
		                  "bases by the city bureau, district-level bases by their district's");
		return;
	}
	if (c->if_match >= 0 && c->if_match != atol(version)) {
		api_reply_problem(r, 412, "Precondition failed", "the project has changed since that ETag");
		return;
	}
	core_base_status bst;
	if (c->action != CORE_PROJECT_ACT_REJECT &&
	    (core_base_status_parse(&bst, base_status) != 0 || !core_base_may_operate(bst))) {
		char *d = api_arena_printf(r->mem, "the base is %s: its projects cannot be %s (R-16)",
		                           base_status ? base_status : "unknown", action_past(c->action));
		api_reply_problem(r, 409, "Conflict", d);
		return;
	}
	core_project_status from, to;
	if (core_project_status_parse(&from, status) != 0 ||
	    core_project_transition(&to, from, c->action) != 0) {
		char *d = api_arena_printf(r->mem, "a %s project cannot be %s", status ? status : "?",
		                           action_past(c->action));
		api_reply_problem(r, 409, "Conflict", d);
		return;
	}
	if (c->action == CORE_PROJECT_ACT_SUBMIT) {
		core_date until;
		bool has_late = late && core_date_parse(&until, late) == 0;
		core_window w;
		if (core_project_window_check(&w, atoi(year), api_today(), has_late ? &until : NULL) != 0) {
			api_reply_problem(r, 500, "Internal error", "the submission window could not be decided");
			return;
		}
		if (!w.allowed) {
			json_t *errors = json_array();
			api_error_add(errors, "year", core_window_reason_name(w.reason), w.message);
			api_reply_errors(r, 422, "Outside the submission window (R-19)", errors);
			return;
		}
	}
	c->v[0] = c->id[0];
	c->v[1] = core_project_status_name(to);
	c->v[2] = core_project_status_name(from);
	c->v[3] = c->reason;
	c->v[4] = core_project_action_name(c->action);
	c->calls[0] = (db_call){ DB_STMT_PROJECTS_SET_STATUS, c->v };
	api_db_run(r, c->calls, 1, action_done);
}

static void project_action(api_req *r, core_project_action action)
{
	static const char *const with_reason[] = { "reason", NULL };
	static const char *const none[] = { NULL };
	if (!api_path_uuid(r, 0, PROJECT_NOT_FOUND))
		return;
	action_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	c->action = action;
	c->id[0] = r->path_params[0];
	if (!api_if_match(r, &c->if_match))
		return;
	json_t *body = api_body_fields(r, action == CORE_PROJECT_ACT_REJECT ? with_reason : none);
	if (!body)
		return;
	if (action == CORE_PROJECT_ACT_REJECT) {
		json_t *errors = json_array();
		api_field_string(body, "reason", false, TEXT_MAX_BYTES, &c->reason, errors);
		if (api_errors_reply(r, errors))
			return;
	}
	r->ctx = c;
	c->calls[0] = (db_call){ DB_STMT_PROJECTS_LOCK_BASE, c->id };
	c->calls[1] = (db_call){ DB_STMT_PROJECTS_LOAD, c->id };
	api_db_tx(r);
	api_db_run(r, c->calls, 2, action_loaded);
}

void h_projects_submit(api_req *r)
{
	project_action(r, CORE_PROJECT_ACT_SUBMIT);
}

void h_projects_approve(api_req *r)
{
	project_action(r, CORE_PROJECT_ACT_APPROVE);
}

void h_projects_reject(api_req *r)
{
	project_action(r, CORE_PROJECT_ACT_REJECT);
}

/* ---- late windows (R-19) ------------------------------------------------ */

static void window_created(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *a = db_result_value(res[0], 0, 0);
	if (!a) {
		api_reply_problem(r, 500, "Internal error", "the late window was not stored");
		return;
	}
	api_reply_created(r, "/v1/late-windows/", NULL, a);
}

void h_late_windows_create(api_req *r)
{
	static const char *const allowed[] = { "year", "until", "reason", NULL };
	json_t *body = api_body_fields(r, allowed);
	if (!body)
		return;
	json_t *errors = json_array();
	long year = 0;
	core_date until;
	const char **v = api_arena_alloc(r->mem, 3 * sizeof *v);
	bool year_ok = api_field_int(body, "year", true, 1990, 2100, &year, errors);
	if (api_field_date(body, "until", true, &until, errors) && year_ok &&
	    core_date_compare(until, core_date_jan1((int)year)) < 0)
		api_error_add(errors, "until", "before_start",
		              "a late window lasts from 1 January of its year until this date");
	api_field_string(body, "reason", true, TEXT_MAX_BYTES, &v[2], errors);
	if (api_errors_reply(r, errors))
		return;
	v[0] = api_arena_printf(r->mem, "%ld", year);
	v[1] = api_field_token(body, "until");
	db_call *c = api_arena_alloc(r->mem, sizeof *c);
	*c = (db_call){ DB_STMT_LATE_WINDOWS_INSERT, v };
	api_db_run(r, c, 1, window_created);
}

void h_late_windows_get(api_req *r)
{
	api_get_json(r, DB_STMT_LATE_WINDOWS_GET, "no such late window");
}

void h_late_windows_list(api_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", "year", NULL };
	api_page *pg = api_list_begin(r, allowed, api_cursor_is_time_id);
	if (!pg)
		return;
	const char *year;
	if (!api_query_year(r, &year))
		return;
	const char *v[] = { pg->after, year, pg->limit_plus_one };
	api_list_run(r, pg, DB_STMT_LATE_WINDOWS_LIST, v, 3);
}

/* ---- operations of the route table (http/op.h) -------------------------- */

const api_op op_late_windows_create = { .handler = h_late_windows_create, .flags = API_OP_ANY_QUERY };
const api_op op_late_windows_get = { .handler = h_late_windows_get, .flags = API_OP_ANY_QUERY };
const api_op op_late_windows_list = { .handler = h_late_windows_list, .flags = API_OP_ANY_QUERY };
const api_op op_projects_approve = { .handler = h_projects_approve, .flags = API_OP_ANY_QUERY };
const api_op op_projects_create = { .handler = h_projects_create, .flags = API_OP_ANY_QUERY };
const api_op op_projects_get = { .handler = h_projects_get, .flags = API_OP_ANY_QUERY };
const api_op op_projects_list = { .handler = h_projects_list, .flags = API_OP_ANY_QUERY };
const api_op op_projects_reject = { .handler = h_projects_reject, .flags = API_OP_ANY_QUERY };
const api_op op_projects_submit = { .handler = h_projects_submit, .flags = API_OP_ANY_QUERY };
