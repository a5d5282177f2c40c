/*
 * Bases: GET|POST /v1/bases, GET /v1/bases/{id},
 * PUT /v1/bases/{id}/faculty, POST /v1/bases/{id}/accredit | /suspend |
 * /reinstate | /revoke, GET|POST /v1/bases/{id}/inspections,
 * GET /v1/bases/{id}/inspections/{inspection_id}.
 *
 * Who may do what (API.md permission matrix):
 *   read            everybody; a district bureau its district's bases, a base
 *                   itself (row-level security; outside: 404)
 *   create, accredit, inspect, suspend, reinstate, revoke
 *                   the city bureau any base; a district bureau the
 *                   district-level bases of its district.  A district bureau
 *                   sees the city-level bases located in its district: acting
 *                   on one is 403, on another district's base 404.
 *   faculty roster  city any base, a district bureau the bases of its
 *                   district, a base itself (matrix row "faculty roster: edit")
 * Core decides every rule: the transitions (core_base_transition, illegal:
 * 409) and accreditation (core_base_accreditation_check with the thresholds
 * of the city rule set in force today for the base's level: 422 with one
 * error per failing criterion, the base unchanged).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/fields.h"
#include "render/json.h"
#include "http/paging.h"
#include "http/resource.h"
#include "domain/rules.h"
#include "handlers.h"

#define NAME_MAX_BYTES 200
#define TEXT_MAX_BYTES 2000
#define ROSTER_MAX 1000
#define NOT_FOUND_DETAIL "no such base in the caller's jurisdiction"

/* API.md: the city bureau manages every base; a district bureau only the
 * district-level bases of its own district. */
static bool may_manage(const api_req *r, const char *level, const char *district)
{
	if (r->claims.role == API_ROLE_CITY)
		return true;
	return r->claims.role == API_ROLE_DISTRICT && level && district &&
	       strcmp(level, "district") == 0 && strcmp(district, r->claims.jur) == 0;
}

/* ---- GET /v1/bases ------------------------------------------------------ */

void h_bases_list(api_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", "level", "status", "district", NULL };
	api_page *pg = api_list_begin(r, allowed, api_cursor_is_time_id);
	if (!pg)
		return;
	const char *level = api_query(r, "level");
	const char *status = api_query(r, "status");
	const char *district = api_query(r, "district");
	core_base_level lv;
	core_base_status st;
	if (level && core_base_level_parse(&lv, level) != 0) {
		api_reply_problem(r, 400, "Bad query", "level must be city or district");
		return;
	}
	if (status && core_base_status_parse(&st, status) != 0) {
		api_reply_problem(r, 400, "Bad query",
		                  "status must be applied, accredited, suspended or revoked");
		return;
	}
	if (district && !api_district_code_ok(district)) {
		api_reply_problem(r, 400, "Bad query", "district must be a six-digit division code");
		return;
	}
	const char *v[] = { pg->after, level, status, district, pg->limit_plus_one };
	api_list_run(r, pg, DB_STMT_BASES_LIST, v, 5);
}

/* ---- GET /v1/bases/{id} ------------------------------------------------- */

void h_bases_get(api_req *r)
{
	api_get_one(r, DB_STMT_BASES_GET, NOT_FOUND_DETAIL);
}

/* ---- POST /v1/bases ----------------------------------------------------- */

static void create_done(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *a = db_result_value(res[0], 0, 1);
	if (!a) {
		api_reply_field_error(r, "district", "unknown", "no such district");
		return;
	}
	api_reply_created(r, "/v1/bases/", db_result_value(res[0], 0, 0), a);
}

static bool optional_text(json_t *body, const char *name, size_t max, const char **out,
                          json_t *errors)
{
	*out = NULL;
	json_t *v = json_object_get(body, name);
	if (!v || json_is_null(v))
		return true;
	return api_field_string(body, name, false, max, out, errors);
}

void h_bases_create(api_req *r)
{
	static const char *const allowed[] = { "name", "level", "district", "contact_name",
	                                       "contact_phone", "address", NULL };
	json_t *body = api_body_fields(r, allowed);
	if (!body)
		return;
	json_t *errors = json_array();
	const char **v = api_arena_alloc(r->mem, 6 * sizeof *v);
	core_base_level level;
	api_field_string(body, "name", true, NAME_MAX_BYTES, &v[0], errors);
	bool level_ok = API_FIELD_ENUM(body, "level", true, base_level, &level,
	                               "must be city or district", errors);
	const char *district = api_field_token(body, "district");
	if (!json_object_get(body, "district") || json_is_null(json_object_get(body, "district")))
		api_error_add(errors, "district", "required", "this field is required");
	else if (!api_district_code_ok(district))
		api_error_add(errors, "district", "invalid", "must be a six-digit division code");
	optional_text(body, "contact_name", NAME_MAX_BYTES, &v[3], errors);
	optional_text(body, "contact_phone", 40, &v[4], errors);
	optional_text(body, "address", TEXT_MAX_BYTES, &v[5], errors);
	if (api_errors_reply(r, errors))
		return;
	(void)level_ok;
	v[1] = core_base_level_name(level);
	v[2] = district;
	if (r->claims.role == API_ROLE_DISTRICT &&
	    (level != CORE_BASE_LEVEL_DISTRICT || strcmp(district, r->claims.jur) != 0)) {
		api_reply_problem(r, 403, "Forbidden",
		                  level != CORE_BASE_LEVEL_DISTRICT
		                      ? "city-level bases are created by the city bureau (R-16)"
		                      : "a district bureau creates bases of its own district only");
		return;
	}
	db_call *c = api_arena_alloc(r->mem, sizeof *c);
	*c = (db_call){ DB_STMT_BASES_INSERT, v };
	api_db_run(r, c, 1, create_done);
}

/* ---- PUT /v1/bases/{id}/faculty ----------------------------------------- */

static const char *const system_names[] = { "teaching_management", "trainee_assessment",
                                            "certificate_registration", "fee_management",
                                            "effect_tracking", NULL };

static void roster_done(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *a = db_result_value(res[1], 0, 0);
	if (!a) {
		api_reply_not_found(r, NOT_FOUND_DETAIL);
		return;
	}
	api_reply_raw(r, 200, "application/json", a, strlen(a));
}

/* One roster array: objects with "name" and the field `flag` (title_level
 * or certified), every failure appended as "<array>[i].<field>". */
static void check_roster(json_t *body, const char *array, const char *flag, json_t *errors)
{
	json_t *a = json_object_get(body, array);
	if (!a || json_is_null(a)) {
		api_error_add(errors, array, "required", "this field is required (an array, may be empty)");
		return;
	}
	if (!json_is_array(a)) {
		api_error_add(errors, array, "invalid", "must be an array");
		return;
	}
	if (json_array_size(a) > ROSTER_MAX) {
		api_error_add(errors, array, "too_many", "at most 1000 entries");
		return;
	}
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e) {
		char field[64];
		if (!json_is_object(e)) {
			snprintf(field, sizeof field, "%s[%zu]", array, i);
			api_error_add(errors, field, "invalid", "must be an object");
			continue;
		}
		const char *k;
		json_t *kv;
		json_object_foreach(e, k, kv) {
			if (strcmp(k, "name") != 0 && strcmp(k, flag) != 0) {
				snprintf(field, sizeof field, "%s[%zu].%.24s", array, i, k);
				api_error_add(errors, field, "unknown_field", "unknown field");
			}
		}
		json_t *name = json_object_get(e, "name");
		if (!json_is_string(name) || json_string_length(name) == 0 ||
		    json_string_length(name) > NAME_MAX_BYTES) {
			snprintf(field, sizeof field, "%s[%zu].name", array, i);
			api_error_add(errors, field, name ? "invalid" : "required",
			              "a name of 1 to 200 bytes is required");
		}
		json_t *f = json_object_get(e, flag);
		snprintf(field, sizeof field, "%s[%zu].%s", array, i, flag);
		if (strcmp(flag, "title_level") == 0) {
			core_level l;
			if (!json_is_string(f) || core_level_parse(&l, json_string_value(f)) != 0)
				api_error_add(errors, field, f ? "invalid" : "required",
				              "must be senior_full, senior_deputy, intermediate, "
				              "junior_assistant or junior_member");
		} else if (!json_is_boolean(f)) {
			api_error_add(errors, field, f ? "invalid" : "required", "must be true or false");
		}
	}
}

void h_bases_faculty_put(api_req *r)
{
	static const char *const allowed[] = { "faculty", "managers", "systems", NULL };
	if (!api_path_uuid(r, 0, NOT_FOUND_DETAIL))
		return;
	json_t *body = api_body_fields(r, allowed);
	if (!body)
		return;
	json_t *errors = json_array();
	check_roster(body, "faculty", "title_level", errors);
	check_roster(body, "managers", "certified", errors);
	json_t *sys = json_object_get(body, "systems");
	if (!sys || json_is_null(sys)) {
		api_error_add(errors, "systems", "required", "the five management systems (R-17)");
	} else if (!json_is_object(sys)) {
		api_error_add(errors, "systems", "invalid", "must be an object of five booleans");
	} else {
		json_t *unknown = json_array();
		if (api_json_unknown_fields(sys, system_names, unknown) > 0) {
			size_t i;
			json_t *e;
			json_array_foreach(unknown, i, e) {
				char field[96];
				snprintf(field, sizeof field, "systems.%.60s",
				         json_string_value(json_object_get(e, "field")));
				api_error_add(errors, field, "unknown_field", "not one of the five management systems");
			}
		}
		json_decref(unknown);
		for (int i = 0; system_names[i]; i++) {
			json_t *b = json_object_get(sys, system_names[i]);
			if (!json_is_boolean(b)) {
				char field[64];
				snprintf(field, sizeof field, "systems.%s", system_names[i]);
				api_error_add(errors, field, b ? "invalid" : "required", "must be true or false");
			}
		}
	}
	if (api_errors_reply(r, errors))
		return;
	const char **lock = api_arena_alloc(r->mem, sizeof *lock);
	const char **v = api_arena_alloc(r->mem, 4 * sizeof *v);
	db_call *c = api_arena_alloc(r->mem, 2 * sizeof *c);
	char *f = json_dumps(json_object_get(body, "faculty"), JSON_COMPACT);
	char *m = json_dumps(json_object_get(body, "managers"), JSON_COMPACT);
	char *s = json_dumps(sys, JSON_COMPACT);
	v[0] = r->path_params[0];
	v[1] = f ? api_arena_strdup(r->mem, f) : NULL;
	v[2] = m ? api_arena_strdup(r->mem, m) : NULL;
	v[3] = s ? api_arena_strdup(r->mem, s) : NULL;
	free(f);
	free(m);
	free(s);
	if (!api_alloc_ok(r, v[1]) || !api_alloc_ok(r, v[2]) || !api_alloc_ok(r, v[3]))
		return;
	lock[0] = r->path_params[0];
	c[0] = (db_call){ DB_STMT_BASES_LOCK, lock };
	c[1] = (db_call){ DB_STMT_BASES_ROSTER_PUT, v };
	/* visible = allowed: row-level security shows a district bureau its
	 * district's bases and a base itself; the lock and the replacement
	 * travel as one implicit transaction */
	api_db_run(r, c, 2, roster_done);
}

/* ---- POST /v1/bases/{id}/accredit | suspend | reinstate | revoke -------- */

typedef struct action_ctx {
	core_base_action action;
	long if_match;
	const char *reason;
	const char *id;
	const char *lock[1];
	const char *v[5];
	db_call calls[3];
} action_ctx;

/* R-17 inputs from BASES_LOAD's row; core decides who counts as senior. */
static int accreditation_input(core_base_input *in, const db_result *row, core_base_level level)
{
	memset(in, 0, sizeof *in);
	in->level = level;
	json_t *counts = json_loads(db_result_value(row, 0, 4), 0, NULL);
	const char *key;
	json_t *n;
	json_object_foreach(counts, key, n) {
		core_level l;
		if (core_level_parse(&l, key) != 0 || !json_is_integer(n))
			continue;
		in->faculty_total += (int)json_integer_value(n);
		if (core_level_is_senior(l))
			in->faculty_senior += (int)json_integer_value(n);
	}
	json_decref(counts);
	in->managers_total = atoi(db_result_value(row, 0, 5));
	in->managers_certified = atoi(db_result_value(row, 0, 6));
	bool *flags[] = { &in->systems.teaching_management, &in->systems.trainee_assessment,
	                  &in->systems.certificate_registration, &in->systems.fee_management,
	                  &in->systems.effect_tracking };
	for (int i = 0; i < 5; i++) {
		const char *b = db_result_value(row, 0, 7 + i);
		*flags[i] = b && b[0] == 't';
	}
	return 0;
}

static void action_done(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *a = db_result_value(res[0], 0, 1);
	if (!a) {
		api_reply_problem(r, 409, "Conflict", "the base changed meanwhile; retry");
		return;
	}
	api_reply_doc(r, 200, db_result_value(res[0], 0, 0), a);
}

static void action_loaded(api_req *r, db_result *const *res, int n)
{
	action_ctx *c = r->ctx;
	(void)n;
	const db_result *row = res[1];
	if (db_result_rows(row) == 0) {
		api_reply_not_found(r, NOT_FOUND_DETAIL);
		return;
	}
	const char *level = db_result_value(row, 0, 0);
	const char *district = db_result_value(row, 0, 1);
	const char *status = db_result_value(row, 0, 2);
	const char *version = db_result_value(row, 0, 3);
	if (!may_manage(r, level, district)) {
		api_reply_problem(r, 403, "Forbidden",
		                  "a district bureau manages only the district-level bases of its "
		                  "district; city-level bases are the city bureau's (R-16)");
		return;
	}
	if (c->if_match >= 0 && c->if_match != atol(version)) {
		api_reply_problem(r, 412, "Precondition failed", "the base has changed since that ETag");
		return;
	}
	core_base_status from, to;
	core_base_level lv;
	if (core_base_status_parse(&from, status) != 0 || core_base_level_parse(&lv, level) != 0) {
		api_reply_problem(r, 500, "Internal error", "the stored base does not parse");
		return;
	}
	if (core_base_transition(&to, from, c->action) != 0) {
		char *d = api_arena_printf(r->mem, "a base that is %s cannot be %s", status,
		                           c->action == CORE_BASE_ACT_ACCREDIT ? "accredited"
		                           : c->action == CORE_BASE_ACT_SUSPEND ? "suspended"
		                           : c->action == CORE_BASE_ACT_REINSTATE ? "reinstated"
		                                                                  : "revoked");
		api_reply_problem(r, 409, "Conflict", d);
		return;
	}
	if (c->action == CORE_BASE_ACT_ACCREDIT) {
		const core_rule_set *sets, *rs = NULL;
		int ns = api_rules_cached(&sets, db_result_value(res[2], 0, 0));
		if (ns < 0 || core_rules_select_on(&rs, sets, (size_t)ns, NULL, api_today()) != 0) {
			api_reply_problem(r, 500, "Internal error", "no city rule set is in force today");
			return;
		}
		core_base_input in;
		core_accreditation acc;
		accreditation_input(&in, row, lv);
		if (core_base_accreditation_check(&acc, rs, &in) != 0) {
			api_reply_problem(r, 500, "Internal error", "the roster could not be judged");
			return;
		}
		if (!acc.accreditable) {
			json_t *errors = json_array();
			api_errors_from_core(errors, &acc.errors);
			api_reply_errors(r, 422, "Accreditation refused (R-17)", errors);
			return;
		}
	}
	c->v[0] = c->id;
	c->v[1] = core_base_status_name(to);
	c->v[2] = c->reason;
	c->v[3] = core_base_status_name(from);
	c->v[4] = core_base_action_name(c->action);
	c->calls[0] = (db_call){ DB_STMT_BASES_SET_STATUS, c->v };
	api_db_run(r, c->calls, 1, action_done);
}

static void base_action(api_req *r, core_base_action action)
{
	static const char *const allowed[] = { "reason", NULL };
	if (!api_path_uuid(r, 0, NOT_FOUND_DETAIL))
		return;
	action_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	c->action = action;
	c->id = r->path_params[0];
	if (!api_if_match(r, &c->if_match))
		return;
	json_t *body = api_body_fields(r, allowed);
	if (!body)
		return;
	/* suspending or revoking says why; the others may */
	bool needs_reason = action == CORE_BASE_ACT_SUSPEND || action == CORE_BASE_ACT_REVOKE;
	json_t *errors = json_array();
	api_field_string(body, "reason", needs_reason, TEXT_MAX_BYTES, &c->reason, errors);
	if (api_errors_reply(r, errors))
		return;
	r->ctx = c;
	c->lock[0] = c->id;
	int n = 0;
	c->calls[n++] = (db_call){ DB_STMT_BASES_LOCK, c->lock };
	c->calls[n++] = (db_call){ DB_STMT_BASES_LOAD, c->lock };
	if (action == CORE_BASE_ACT_ACCREDIT)
		c->calls[n++] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	api_db_tx(r);
	api_db_run(r, c->calls, n, action_loaded);
}

void h_bases_accredit(api_req *r)
{
	base_action(r, CORE_BASE_ACT_ACCREDIT);
}

void h_bases_suspend(api_req *r)
{
	base_action(r, CORE_BASE_ACT_SUSPEND);
}

void h_bases_reinstate(api_req *r)
{
	base_action(r, CORE_BASE_ACT_REINSTATE);
}

void h_bases_revoke(api_req *r)
{
	base_action(r, CORE_BASE_ACT_REVOKE);
}

/* ---- inspections -------------------------------------------------------- */

void h_bases_inspections_list(api_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", NULL };
	if (!api_query_only(r, allowed))
		return;
	if (!api_path_uuid(r, 0, NOT_FOUND_DETAIL))
		return;
	api_page *pg = api_list_page(r, api_cursor_is_time_id);
	if (!pg)
		return;
	const char *v[] = { r->path_params[0], pg->after, pg->limit_plus_one };
	api_list_run_in(r, pg, DB_STMT_BASE_VISIBLE, NOT_FOUND_DETAIL, DB_STMT_BASES_INSPECTIONS_LIST,
	                v, 3);
}

void h_bases_inspection_get(api_req *r)
{
	api_get_json(r, DB_STMT_BASES_INSPECTION_GET,
	             "no such inspection in the caller's jurisdiction");
}

typedef struct inspect_ctx {
	const char *v[5];
	char score[16];
	db_call calls[1];
} inspect_ctx;

static void inspection_created(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *a = db_result_value(res[0], 0, 0);
	if (!a) {
		api_reply_problem(r, 500, "Internal error", "the inspection was not stored");
		return;
	}
	char *prefix = api_arena_printf(r->mem, "/v1/bases/%s/inspections/", r->path_params[0]);
	api_reply_created(r, prefix, NULL, a);
}

static void inspection_base_loaded(api_req *r, db_result *const *res, int n)
{
	inspect_ctx *c = r->ctx;
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, NOT_FOUND_DETAIL);
		return;
	}
	if (!may_manage(r, db_result_value(res[0], 0, 0), db_result_value(res[0], 0, 1))) {
		api_reply_problem(r, 403, "Forbidden",
		                  "a district bureau inspects only the district-level bases of its district");
		return;
	}
	c->calls[0] = (db_call){ DB_STMT_BASES_INSPECTION_INSERT, c->v };
	api_db_run(r, c->calls, 1, inspection_created);
}

void h_bases_inspections_create(api_req *r)
{
	static const char *const allowed[] = { "inspected_on", "result", "score", "findings", NULL };
	if (!api_path_uuid(r, 0, NOT_FOUND_DETAIL))
		return;
	json_t *body = api_body_fields(r, allowed);
	if (!body)
		return;
	inspect_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	json_t *errors = json_array();
	core_date on;
	if (api_field_date(body, "inspected_on", true, &on, errors) &&
	    core_date_compare(on, api_today()) > 0)
		api_error_add(errors, "inspected_on", "in_future", "an inspection cannot be in the future");
	const char *result = api_field_token(body, "result");
	if (!json_object_get(body, "result") || json_is_null(json_object_get(body, "result")))
		api_error_add(errors, "result", "required", "passed or failed");
	else if (!result || (strcmp(result, "passed") != 0 && strcmp(result, "failed") != 0))
		api_error_add(errors, "result", "invalid", "must be passed or failed");
	json_t *score = json_object_get(body, "score");
	if (score && !json_is_null(score)) {
		int32_t tenths;
		if (!json_is_number(score) || core_hours_from_double(&tenths, json_number_value(score)) != 0 ||
		    tenths < 0 || tenths > 1000)
			api_error_add(errors, "score", "invalid", "a number from 0 to 100 with at most one decimal");
		else
			snprintf(c->score, sizeof c->score, "%d.%d", tenths / 10, tenths % 10);
	}
	const char *findings = NULL;
	optional_text(body, "findings", TEXT_MAX_BYTES * 5, &findings, errors);
	if (api_errors_reply(r, errors))
		return;
	c->v[0] = r->path_params[0];
	c->v[1] = api_field_token(body, "inspected_on");
	c->v[2] = result;
	c->v[3] = c->score[0] ? c->score : NULL;
	c->v[4] = findings;
	r->ctx = c;
	c->calls[0] = (db_call){ DB_STMT_BASE_VISIBLE, c->v };
	api_db_tx(r);
	api_db_run(r, c->calls, 1, inspection_base_loaded);
}

/* ---- operations of the route table (http/op.h) -------------------------- */

const api_op op_bases_accredit = { .handler = h_bases_accredit, .flags = API_OP_ANY_QUERY };
const api_op op_bases_create = { .handler = h_bases_create, .flags = API_OP_ANY_QUERY };
const api_op op_bases_faculty_put = { .handler = h_bases_faculty_put, .flags = API_OP_ANY_QUERY };
const api_op op_bases_get = { .handler = h_bases_get, .flags = API_OP_ANY_QUERY };
const api_op op_bases_inspection_get = { .handler = h_bases_inspection_get, .flags = API_OP_ANY_QUERY };
const api_op op_bases_inspections_create = { .handler = h_bases_inspections_create, .flags = API_OP_ANY_QUERY };
const api_op op_bases_inspections_list = { .handler = h_bases_inspections_list, .flags = API_OP_ANY_QUERY };
const api_op op_bases_list = { .handler = h_bases_list, .flags = API_OP_ANY_QUERY };
const api_op op_bases_reinstate = { .handler = h_bases_reinstate, .flags = API_OP_ANY_QUERY };
const api_op op_bases_revoke = { .handler = h_bases_revoke, .flags = API_OP_ANY_QUERY };
const api_op op_bases_suspend = { .handler = h_bases_suspend, .flags = API_OP_ANY_QUERY };
