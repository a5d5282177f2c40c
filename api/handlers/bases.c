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
 *   faculty roster  city any base, a district bureau the district-level
 *                   bases of its district (a city-level one: 403, its roster
 *                   is an R-17 input of the city's accreditation), a base
 *                   itself (matrix row "faculty roster: edit")
 * Core decides every rule: the transitions (core_base_transition, illegal:
 * 409) and accreditation (core_base_accreditation_check with the thresholds
 * of the city rule set in force today for the base's level: 422 with one
 * error per failing criterion, the base unchanged).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/fields.h"
#include "render/json.h"
#include "http/paging.h"
#include "http/resource.h"
#include "http/transition.h"
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

typedef struct list_ctx {
	const char *v[5]; /* BASES_LIST's: $2..$4 the filters (list_params) */
} list_ctx;

static void bases_list(api_req *r)
{
	list_ctx *c = r->ctx;
	c->v[0] = r->page->after;
	c->v[4] = r->page->limit_plus_one;
	api_list_run(r, r->page, DB_STMT_BASES_LIST, c->v, 5);
}

static const api_param list_params[] = {
	API_PARAM_ENUM_OF(list_ctx, v[1], "level", base_level, "level must be city or district"),
	API_PARAM_ENUM_OF(list_ctx, v[2], "status", base_status,
	                  "status must be applied, accredited, suspended or revoked"),
	API_PARAM(list_ctx, v[3], "district", API_PARAM_DISTRICT, NULL),
	API_PARAMS_END,
};
const api_op op_bases_list = { .handler = bases_list, .params = list_params,
                               .ctx_size = sizeof(list_ctx), .flags = API_OP_PAGED };

/* ---- GET /v1/bases/{id} ------------------------------------------------- */

const api_op op_bases_get = { .handler = api_op_get, .stmt = DB_STMT_BASES_GET,
                              .not_found = NOT_FOUND_DETAIL };

/* ---- POST /v1/bases ----------------------------------------------------- */

typedef struct create_ctx {
	/* the body (create_fields): v[] in the statement's order */
	core_base_level level;
	json_t *district_v;
	const char *v[6];
	db_call call;
} create_ctx;

static void create_done(api_req *r, db_result *const *res, int n)
{
	const char *a = db_result_value(res[0], 0, BASES_INSERT_COL_BASE);
	if (!a) {
		api_reply_field_error(r, "district", "unknown", "no such district");
		return;
	}
	api_reply_created(r, "/v1/bases/", db_result_value(res[0], 0, BASES_INSERT_COL_VERSION), a);
}

static void create_check(api_req *r, json_t *errors)
{
	create_ctx *c = r->ctx;
	const char *district = api_field_token(r->body, "district");
	if (!c->district_v)
		api_error_add(errors, "district", "required", "this field is required");
	else if (!api_district_code_ok(district))
		api_error_add(errors, "district", "invalid", "must be a six-digit division code");
	c->v[2] = district;
}

static void bases_create(api_req *r)
{
	create_ctx *c = r->ctx;
	c->v[1] = core_base_level_name(c->level);
	if (r->claims.role == API_ROLE_DISTRICT &&
	    (c->level != CORE_BASE_LEVEL_DISTRICT || strcmp(c->v[2], r->claims.jur) != 0)) {
		api_reply_problem(r, 403, "Forbidden",
		                  c->level != CORE_BASE_LEVEL_DISTRICT
		                      ? "city-level bases are created by the city bureau (R-16)"
		                      : "a district bureau creates bases of its own district only");
		return;
	}
	c->call = (db_call){ DB_STMT_BASES_INSERT, c->v };
	api_db_run(r, &c->call, 1, create_done);
}

static const api_field create_fields[] = {
	API_FIELD_STR(create_ctx, v[0], "name", API_REQUIRED, NAME_MAX_BYTES),
	API_FIELD_ENUM_OF(create_ctx, level, "level", API_REQUIRED, base_level,
	                  "must be city or district"),
	API_FIELD_JSON(create_ctx, district_v, "district", 0),
	API_FIELD_STR(create_ctx, v[3], "contact_name", 0, NAME_MAX_BYTES),
	API_FIELD_STR(create_ctx, v[4], "contact_phone", 0, 40),
	API_FIELD_STR(create_ctx, v[5], "address", 0, TEXT_MAX_BYTES),
	API_FIELDS_END,
};
const api_op op_bases_create = { .handler = bases_create, .fields = create_fields,
                                 .check = create_check, .ctx_size = sizeof(create_ctx) };

/* ---- PUT /v1/bases/{id}/faculty ----------------------------------------- */

static const char *const system_names[] = { "teaching_management", "trainee_assessment",
                                            "certificate_registration", "fee_management",
                                            "effect_tracking", NULL };

static void roster_done(api_req *r, db_result *const *res, int n)
{
	const char *a = db_result_value(res[0], 0, BASES_ROSTER_PUT_COL_ROSTER);
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

typedef struct roster_ctx {
	json_t *faculty, *managers, *systems; /* read by roster_check */
	const char *lock[1];
	const char *v[4];
	db_call calls[2];
} roster_ctx;

static void roster_check(api_req *r, json_t *errors)
{
	json_t *body = r->body;
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
}

/* The base, read after its advisory lock: invisible 404; a district bureau
 * on a city-level base of its district 403 (issue 11: the roster is an
 * R-17 input, and city-level bases are the city bureau's), the roster
 * unchanged; a base sees only itself (row-level security). */
static void roster_base_loaded(api_req *r, db_result *const *res, int n)
{
	roster_ctx *c = r->ctx;
	if (db_result_rows(res[1]) == 0) {
		api_reply_not_found(r, NOT_FOUND_DETAIL);
		return;
	}
	if (r->claims.role == API_ROLE_DISTRICT &&
	    !may_manage(r, db_result_value(res[1], 0, BASE_VISIBLE_COL_LEVEL),
	                db_result_value(res[1], 0, BASE_VISIBLE_COL_DISTRICT))) {
		api_reply_problem(r, 403, "Forbidden",
		                  "a district bureau edits the rosters of the district-level bases of its "
		                  "district only; city-level bases are the city bureau's (R-16)");
		return;
	}
	c->calls[0] = (db_call){ DB_STMT_BASES_ROSTER_PUT, c->v };
	api_db_run(r, c->calls, 1, roster_done);
}

/* Not a transition: no state, no version; the advisory lock, the base's
 * level and the replacement are one transaction (API_OP_TX). */
static void bases_faculty_put(api_req *r)
{
	roster_ctx *c = r->ctx;
	c->v[0] = r->path_params[0];
	c->v[1] = api_json_dump_arena(r->mem, c->faculty, JSON_COMPACT);
	c->v[2] = api_json_dump_arena(r->mem, c->managers, JSON_COMPACT);
	c->v[3] = api_json_dump_arena(r->mem, c->systems, JSON_COMPACT);
	c->lock[0] = r->path_params[0];
	c->calls[0] = (db_call){ DB_STMT_BASES_LOCK, c->lock };
	c->calls[1] = (db_call){ DB_STMT_BASE_VISIBLE, c->lock };
	api_db_run(r, c->calls, 2, roster_base_loaded);
}

static const api_field roster_fields[] = {
	API_FIELD_JSON(roster_ctx, faculty, "faculty", 0),
	API_FIELD_JSON(roster_ctx, managers, "managers", 0),
	API_FIELD_JSON(roster_ctx, systems, "systems", 0),
	API_FIELDS_END,
};
const api_op op_bases_faculty_put = { .handler = bases_faculty_put, .fields = roster_fields,
                                      .check = roster_check, .ctx_size = sizeof(roster_ctx),
                                      .not_found = NOT_FOUND_DETAIL, .flags = API_OP_TX };

/* ---- POST /v1/bases/{id}/accredit | suspend | reinstate | revoke -------- */

typedef struct action_ctx {
	const char *reason; /* the body's (reason_fields) */
	core_base_action action;
	const char *id[1];
	const char *v[5];
	db_call calls[2];
} action_ctx;

/* R-17 inputs from BASES_LOAD's row; core decides who counts as senior. */
static int accreditation_input(core_base_input *in, const db_result *row, core_base_level level)
{
	memset(in, 0, sizeof *in);
	in->level = level;
	json_t *counts = json_loads(db_result_value(row, 0, BASES_LOAD_COL_FACULTY_BY_LEVEL), 0, NULL);
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
	long managers, certified;
	if (db_result_int(row, 0, BASES_LOAD_COL_MANAGERS, &managers) != 0 ||
	    db_result_int(row, 0, BASES_LOAD_COL_CERTIFIED_MANAGERS, &certified) != 0)
		return -1;
	in->managers_total = (int)managers;
	in->managers_certified = (int)certified;
	bool *flags[] = { &in->systems.teaching_management, &in->systems.trainee_assessment,
	                  &in->systems.certificate_registration, &in->systems.fee_management,
	                  &in->systems.effect_tracking };
	/* a system never set is NULL: not in place */
	for (int i = 0; i < 5; i++)
		if (!db_result_is_null(row, 0, BASES_LOAD_COL_TEACHING_MANAGEMENT + i) &&
		    db_result_bool(row, 0, BASES_LOAD_COL_TEACHING_MANAGEMENT + i, flags[i]) != 0)
			return -1;
	return 0;
}

static void action_done(api_req *r, db_result *const *res, int n)
{
	const char *a = db_result_value(res[0], 0, BASES_SET_STATUS_COL_BASE);
	if (!a) {
		api_reply_problem(r, 409, "Conflict", "the base changed meanwhile; retry");
		return;
	}
	api_reply_doc(r, 200, db_result_value(res[0], 0, BASES_SET_STATUS_COL_VERSION), a);
}

static bool action_allowed(api_req *r, const db_result *row)
{
	if (may_manage(r, db_result_value(row, 0, BASES_LOAD_COL_LEVEL),
	               db_result_value(row, 0, BASES_LOAD_COL_DISTRICT)))
		return true;
	api_reply_problem(r, 403, "Forbidden",
	                  "a district bureau manages only the district-level bases of its "
	                  "district; city-level bases are the city bureau's (R-16)");
	return false;
}

static int action_decide(api_req *r, const char *status, const char **to_s, const char **detail)
{
	action_ctx *c = r->ctx;
	core_base_status from, to;
	if (core_base_status_parse(&from, status) != 0 ||
	    core_base_transition(&to, from, c->action) != 0) {
		*detail = api_arena_printf(r->mem, "a base that is \"%s\" cannot be \"%s\"", status,
		                           c->action == CORE_BASE_ACT_ACCREDIT ? "accredited"
		                           : c->action == CORE_BASE_ACT_SUSPEND ? "suspended"
		                           : c->action == CORE_BASE_ACT_REINSTATE ? "reinstated"
		                                                                  : "revoked");
		return -1;
	}
	*to_s = core_base_status_name(to);
	return 0;
}

/* accreditation with the thresholds of the city rule set in force
 * today; false after replying (422 with one error per failing criterion). */
static bool accreditable(api_req *r, action_ctx *c, const db_result *row, core_base_level lv)
{
	const core_rule_set *sets, *rs = NULL;
	int ns = api_rules_cached(&sets, api_transition_rule_sets(r));
	if (ns < 0 || core_rules_select_on(&rs, sets, (size_t)ns, NULL, api_today()) != 0) {
		api_reply_problem(r, 500, "Internal error", "no city rule set is in force today");
		return false;
	}
	core_base_input in;
	core_accreditation acc;
	if (!api_result_ok(r, accreditation_input(&in, row, lv)))
		return false;
	if (core_base_accreditation_check(&acc, rs, &in) != 0) {
		api_reply_problem(r, 500, "Internal error", "the roster could not be judged");
		return false;
	}
	if (!acc.accreditable) {
		json_t *errors = json_array();
		api_errors_from_core(errors, &acc.errors);
		api_reply_errors(r, 422, "Accreditation refused (R-17)", errors);
		return false;
	}
	return true;
}

static void action_locked(api_req *r, const db_result *row, const char *to)
{
	action_ctx *c = r->ctx;
	core_base_level lv;
	if (core_base_level_parse(&lv, db_result_value(row, 0, BASES_LOAD_COL_LEVEL)) != 0) {
		api_reply_problem(r, 500, "Internal error", "the stored base does not parse");
		return;
	}
	if (c->action == CORE_BASE_ACT_ACCREDIT && !accreditable(r, c, row, lv))
		return;
	c->v[0] = c->id[0];
	c->v[1] = to;
	c->v[2] = c->reason;
	c->v[3] = api_arena_strdup(r->mem, db_result_value(row, 0, BASES_LOAD_COL_STATUS));
	c->v[4] = core_base_action_name(c->action);
	c->calls[0] = (db_call){ DB_STMT_BASES_SET_STATUS, c->v };
	api_db_run(r, c->calls, 1, action_done);
}

/* The base's advisory lock (BASES_LOCK: it also serializes the base's
 * projects) comes first; the base is read after it. */
static const api_transition action_transition = {
	.has_first = true,
	.first = DB_STMT_BASES_LOCK,
	.lock = DB_STMT_BASES_LOAD,
	.status_col = BASES_LOAD_COL_STATUS,
	.version_col = BASES_LOAD_COL_VERSION,
	.noun = "base",
	.stale = "the base has changed since that ETag",
	.allowed = action_allowed,
	.decide = action_decide,
	.locked = action_locked,
};

static void base_action(api_req *r)
{
	action_ctx *c = r->ctx;
	c->action = (core_base_action)api_op_arg(r);
	c->id[0] = r->path_params[0];
	/* accreditation is decided by the rule sets' thresholds */
	api_transition_start(r, &action_transition, c->id, 1, c->action == CORE_BASE_ACT_ACCREDIT);
}

/* suspending or revoking says why; the others may */
static const api_field reason_fields[] = {
	API_FIELD_STR(action_ctx, reason, "reason", 0, TEXT_MAX_BYTES),
	API_FIELDS_END,
};
static const api_field reason_required_fields[] = {
	API_FIELD_STR(action_ctx, reason, "reason", API_REQUIRED, TEXT_MAX_BYTES),
	API_FIELDS_END,
};

#define ACTION_OP(action, fields_) { .handler = base_action, .arg = (action), \
	.not_found = NOT_FOUND_DETAIL, .fields = (fields_), .ctx_size = sizeof(action_ctx), \
	.flags = API_OP_TX | API_OP_IF_MATCH }
const api_op op_bases_accredit = ACTION_OP(CORE_BASE_ACT_ACCREDIT, reason_fields);
const api_op op_bases_suspend = ACTION_OP(CORE_BASE_ACT_SUSPEND, reason_required_fields);
const api_op op_bases_reinstate = ACTION_OP(CORE_BASE_ACT_REINSTATE, reason_fields);
const api_op op_bases_revoke = ACTION_OP(CORE_BASE_ACT_REVOKE, reason_required_fields);

/* ---- inspections -------------------------------------------------------- */

static void bases_inspections_list(api_req *r)
{
	const char *v[] = { r->path_params[0], r->page->after, r->page->limit_plus_one };
	api_list_run_in(r, r->page, DB_STMT_BASE_VISIBLE, NOT_FOUND_DETAIL,
	                DB_STMT_BASES_INSPECTIONS_LIST, v, 3);
}

const api_op op_bases_inspections_list = { .handler = bases_inspections_list,
                                           .not_found = NOT_FOUND_DETAIL, .flags = API_OP_PAGED };

const api_op op_bases_inspection_get = { .handler = api_op_get_json,
                                         .stmt = DB_STMT_BASES_INSPECTION_GET,
                                         .not_found = "no such inspection in the caller's "
                                                      "jurisdiction" };

typedef struct inspect_ctx {
	/* the body (inspect_fields); result and score are read by inspect_check */
	core_date on;
	json_t *result_v, *score_v;
	const char *findings;
	const char *v[5];
	char score[16];
	db_call call;
} inspect_ctx;

static void inspection_created(api_req *r, db_result *const *res, int n)
{
	const char *a = db_result_value(res[0], 0, BASES_INSPECTION_INSERT_COL_INSPECTION);
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
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, NOT_FOUND_DETAIL);
		return;
	}
	if (!may_manage(r, db_result_value(res[0], 0, BASE_VISIBLE_COL_LEVEL), db_result_value(res[0], 0, BASE_VISIBLE_COL_DISTRICT))) {
		api_reply_problem(r, 403, "Forbidden",
		                  "a district bureau inspects only the district-level bases of its district");
		return;
	}
	c->call = (db_call){ DB_STMT_BASES_INSPECTION_INSERT, c->v };
	api_db_run(r, &c->call, 1, inspection_created);
}

static void inspect_check(api_req *r, json_t *errors)
{
	inspect_ctx *c = r->ctx;
	json_t *body = r->body;
	if (!api_errors_have(errors, "inspected_on") && c->on.y &&
	    core_date_compare(c->on, api_today()) > 0)
		api_error_add(errors, "inspected_on", "in_future", "an inspection cannot be in the future");
	const char *result = api_field_token(body, "result");
	if (!c->result_v)
		api_error_add(errors, "result", "required", "passed or failed");
	else if (!result || (strcmp(result, "passed") != 0 && strcmp(result, "failed") != 0))
		api_error_add(errors, "result", "invalid", "must be passed or failed");
	json_t *score = c->score_v;
	if (score) {
		int32_t tenths;
		if (!json_is_number(score) || core_hours_from_double(&tenths, json_number_value(score)) != 0 ||
		    tenths < 0 || tenths > 1000)
			api_error_add(errors, "score", "invalid", "a number from 0 to 100 with at most one decimal");
		else
			snprintf(c->score, sizeof c->score, "%d.%d", tenths / 10, tenths % 10);
	}
}

static void bases_inspections_create(api_req *r)
{
	inspect_ctx *c = r->ctx;
	c->v[0] = r->path_params[0];
	c->v[1] = api_field_token(r->body, "inspected_on");
	c->v[2] = api_field_token(r->body, "result");
	c->v[3] = c->score[0] ? c->score : NULL;
	c->v[4] = c->findings;
	c->call = (db_call){ DB_STMT_BASE_VISIBLE, c->v };
	api_db_run(r, &c->call, 1, inspection_base_loaded);
}

static const api_field inspect_fields[] = {
	API_FIELD_DAY(inspect_ctx, on, "inspected_on", API_REQUIRED),
	API_FIELD_JSON(inspect_ctx, result_v, "result", 0),
	API_FIELD_JSON(inspect_ctx, score_v, "score", 0),
	API_FIELD_STR(inspect_ctx, findings, "findings", 0, TEXT_MAX_BYTES * 5),
	API_FIELDS_END,
};
const api_op op_bases_inspections_create = { .handler = bases_inspections_create,
                                             .fields = inspect_fields, .check = inspect_check,
                                             .ctx_size = sizeof(inspect_ctx),
                                             .not_found = NOT_FOUND_DETAIL, .flags = API_OP_TX };
