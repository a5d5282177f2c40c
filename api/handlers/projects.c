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
#include "http/transition.h"
#include "handlers.h"

#define TITLE_MAX_BYTES 200
#define TEXT_MAX_BYTES 2000
#define CAPACITY_MAX 100000
#define FEE_MAX_CENTS 9999999999LL /* NUMERIC(10,2) */
#define PROJECT_NOT_FOUND "no such project in the caller's jurisdiction"
#define BASE_NOT_FOUND "no such base in the caller's jurisdiction"

/* ---- GET /v1/bases/{id}/projects ---------------------------------------- */

typedef struct list_ctx {
	const char *v[5]; /* PROJECTS_LIST's: $3 year, $4 status (list_params) */
} list_ctx;

static void projects_list(api_req *r)
{
	list_ctx *c = r->ctx;
	c->v[0] = r->path_params[0];
	c->v[1] = r->page->after;
	c->v[4] = r->page->limit_plus_one;
	api_list_run_in(r, r->page, DB_STMT_BASE_VISIBLE, BASE_NOT_FOUND, DB_STMT_PROJECTS_LIST,
	                c->v, 5);
}

static const api_param list_params[] = {
	API_PARAM(list_ctx, v[2], "year", API_PARAM_YEAR, NULL),
	API_PARAM_ENUM_OF(list_ctx, v[3], "status", project_status,
	                  "status must be draft, submitted, approved or rejected"),
	API_PARAMS_END,
};
const api_op op_projects_list = { .handler = projects_list, .params = list_params,
                                  .ctx_size = sizeof(list_ctx), .not_found = BASE_NOT_FOUND,
                                  .flags = API_OP_PAGED };

/* ---- GET /v1/projects/{id} ---------------------------------------------- */

const api_op op_projects_get = { .handler = api_op_get, .stmt = DB_STMT_PROJECTS_GET,
                                 .not_found = PROJECT_NOT_FOUND };

/* ---- POST /v1/bases/{id}/projects --------------------------------------- */

enum { P_BASE, P_YEAR, P_TITLE, P_CATEGORY, P_SUBJECT_PUBLIC, P_SUBJECT_GUIDE, P_HOURS,
       P_CLASS_TYPE, P_CAPACITY, P_FEE, P_GOV, P_UNIT, P_IND, P__COUNT };

typedef struct create_ctx {
	/* the body (create_fields); fee and funding are read by create_check */
	int year;
	const char *title, *subject;
	core_category category;
	core_class_type class_type;
	int32_t hours;
	long capacity;
	json_t *fee_v, *funding_v;
	const char *v[P__COUNT];
	const char *lock[1];
	const char *check[2];
	char year_s[12], hours_s[CORE_HOURS_BUFSZ], capacity_s[12], fee[24], share[3][8];
	db_call calls[3];
} create_ctx;

static void created(api_req *r, db_result *const *res, int n)
{
	const char *a = db_result_value(res[0], 0, PROJECTS_INSERT_COL_PROJECT);
	if (!a) {
		api_reply_problem(r, 500, "Internal error", "the project was not stored");
		return;
	}
	api_reply_created(r, "/v1/projects/", db_result_value(res[0], 0, PROJECTS_INSERT_COL_VERSION), a);
}

static void create_checked(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	const db_result *base = res[1];
	if (db_result_rows(base) == 0) {
		api_reply_not_found(r, BASE_NOT_FOUND);
		return;
	}
	core_base_status st;
	const char *status = db_result_value(base, 0, PROJECTS_BASE_STATE_COL_STATUS);
	if (core_base_status_parse(&st, status) != 0 || !core_base_may_operate(st)) {
		char *d = api_arena_printf(r->mem, "the base is \"%s\": only an accredited base drafts and "
		                                   "submits projects (R-16)", status ? status : "unknown");
		api_reply_problem(r, 409, "Conflict", d);
		return;
	}
	const char *found = db_result_value(res[2], 0, PROJECTS_SUBJECT_CHECK_COL_SUBJECT_EXISTS);
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

/* What the field table cannot say: R-19's class types of a base project,
 * the fee's two decimals and R-18's funding split. */
static void create_check(api_req *r, json_t *errors)
{
	create_ctx *c = r->ctx;
	if (!api_errors_have(errors, "class_type") && c->class_type != CORE_CLASS_FULL_TIME &&
	    c->class_type != CORE_CLASS_PART_TIME)
		api_error_add(errors, "class_type", "not_allowed",
		              "base projects are full_time or part_time (R-19)");
	read_fee(r->body, c->fee, sizeof c->fee, errors);
	read_funding(r->body, c, errors);
}

static void projects_create(api_req *r)
{
	create_ctx *c = r->ctx;
	snprintf(c->year_s, sizeof c->year_s, "%d", c->year);
	core_hours_format(c->hours_s, sizeof c->hours_s, c->hours);
	snprintf(c->capacity_s, sizeof c->capacity_s, "%ld", c->capacity);
	c->v[P_BASE] = r->path_params[0];
	c->v[P_YEAR] = c->year_s;
	c->v[P_TITLE] = c->title;
	c->v[P_CATEGORY] = core_category_name(c->category);
	c->v[P_SUBJECT_PUBLIC] = c->category == CORE_CAT_PUBLIC ? c->subject : NULL;
	c->v[P_SUBJECT_GUIDE] = c->category == CORE_CAT_PUBLIC ? NULL : c->subject;
	c->v[P_HOURS] = c->hours_s;
	c->v[P_CLASS_TYPE] = core_class_type_name(c->class_type);
	c->v[P_CAPACITY] = c->capacity_s;
	c->v[P_FEE] = c->fee;
	c->lock[0] = r->path_params[0];
	c->check[0] = c->v[P_CATEGORY];
	c->check[1] = c->subject;
	c->calls[0] = (db_call){ DB_STMT_BASES_LOCK, c->lock };
	c->calls[1] = (db_call){ DB_STMT_PROJECTS_BASE_STATE, c->lock };
	c->calls[2] = (db_call){ DB_STMT_PROJECTS_SUBJECT_CHECK, c->check };
	api_db_run(r, c->calls, 3, create_checked);
}

static const api_field create_fields[] = {
	API_FIELD_YEAR_OF(create_ctx, year, "year", API_REQUIRED),
	API_FIELD_STR(create_ctx, title, "title", API_REQUIRED, TITLE_MAX_BYTES),
	API_FIELD_ENUM_OF(create_ctx, category, "category", API_REQUIRED, category,
	                  "must be public or professional"),
	API_FIELD_ID(create_ctx, subject, "subject", API_REQUIRED),
	API_FIELD_TENTHS(create_ctx, hours, "hours", API_REQUIRED, 1),
	API_FIELD_ENUM_OF(create_ctx, class_type, "class_type", API_REQUIRED, class_type,
	                  "must be full_time, part_time, spare_time or online"),
	API_FIELD_LONG(create_ctx, capacity, "capacity", API_REQUIRED, 1, CAPACITY_MAX),
	API_FIELD_JSON(create_ctx, fee_v, "fee", 0),
	API_FIELD_JSON(create_ctx, funding_v, "funding", 0),
	API_FIELDS_END,
};
const api_op op_projects_create = { .handler = projects_create, .fields = create_fields,
                                    .check = create_check, .ctx_size = sizeof(create_ctx),
                                    .not_found = BASE_NOT_FOUND, .flags = API_OP_TX };

/* ---- POST /v1/projects/{id}/submit | approve | reject -------------------- */

typedef struct action_ctx {
	const char *reason; /* reject: the body's (action_fields) */
	core_project_action action;
	const char *id[1];
	const char *v[5];
	db_call calls[1];
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
	const char *a = db_result_value(res[0], 0, PROJECTS_SET_STATUS_COL_PROJECT);
	if (!a) {
		api_reply_problem(r, 409, "Conflict", "the project changed meanwhile; retry");
		return;
	}
	api_reply_doc(r, 200, db_result_value(res[0], 0, PROJECTS_SET_STATUS_COL_VERSION), a);
}

/* approve/reject: the bureau of the base's level (API.md, R-19) */
static bool may_decide(const api_req *r, const char *level, const char *district)
{
	if (r->claims.role == API_ROLE_CITY)
		return level && strcmp(level, "city") == 0;
	return r->claims.role == API_ROLE_DISTRICT && level && district &&
	       strcmp(level, "district") == 0 && strcmp(district, r->claims.jur) == 0;
}

static bool action_allowed(api_req *r, const db_result *row)
{
	action_ctx *c = r->ctx;
	if (c->action != CORE_PROJECT_ACT_SUBMIT &&
	    !may_decide(r, db_result_value(row, 0, PROJECTS_LOAD_COL_BASE_LEVEL),
	                db_result_value(row, 0, PROJECTS_LOAD_COL_BASE_DISTRICT))) {
		api_reply_problem(r, 403, "Forbidden",
		                  "projects are approved by the bureau of the base's level: city-level "
		                  "bases by the city bureau, district-level bases by their district's");
		return false;
	}
	/* the base's state, read with the row, decides before the project's */
	c->v[3] = db_result_value(row, 0, PROJECTS_LOAD_COL_BASE_STATUS);
	return true;
}

static int action_decide(api_req *r, const char *status, const char **to_s, const char **detail)
{
	action_ctx *c = r->ctx;
	const char *base_status = c->v[3];
	core_base_status bst;
	if (c->action != CORE_PROJECT_ACT_REJECT &&
	    (core_base_status_parse(&bst, base_status) != 0 || !core_base_may_operate(bst))) {
		*detail = api_arena_printf(r->mem, "the base is \"%s\": its projects cannot be \"%s\" (R-16)",
		                           base_status ? base_status : "unknown", action_past(c->action));
		return -1;
	}
	core_project_status from, to;
	if (core_project_status_parse(&from, status) != 0 ||
	    core_project_transition(&to, from, c->action) != 0) {
		*detail = api_arena_printf(r->mem, "a \"%s\" project cannot be \"%s\"", status,
		                           action_past(c->action));
		return -1;
	}
	*to_s = core_project_status_name(to);
	return 0;
}

static void action_locked(api_req *r, const db_result *row, const char *to)
{
	action_ctx *c = r->ctx;
	if (c->action == CORE_PROJECT_ACT_SUBMIT) {
		const char *late = db_result_value(row, 0, PROJECTS_LOAD_COL_LATE_UNTIL);
		core_date until;
		bool has_late = late && core_date_parse(&until, late) == 0;
		core_window w;
		long year;
		if (!api_result_ok(r, db_result_int(row, 0, PROJECTS_LOAD_COL_YEAR, &year)))
			return;
		if (core_project_window_check(&w, (int)year, api_today(),
		                              has_late ? &until : NULL) != 0) {
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
	c->v[1] = to;
	c->v[2] = api_arena_strdup(r->mem, db_result_value(row, 0, PROJECTS_LOAD_COL_STATUS));
	c->v[3] = c->reason;
	c->v[4] = core_project_action_name(c->action);
	c->calls[0] = (db_call){ DB_STMT_PROJECTS_SET_STATUS, c->v };
	api_db_run(r, c->calls, 1, action_done);
}

/* The project's base is locked first (PROJECTS_LOCK_BASE, the advisory lock
 * of BASES_LOCK: a base's state and its projects' change one at a time);
 * the project and its base are read after the lock. */
static const api_transition action_transition = {
	.has_first = true,
	.first = DB_STMT_PROJECTS_LOCK_BASE,
	.lock = DB_STMT_PROJECTS_LOAD,
	.status_col = PROJECTS_LOAD_COL_STATUS,
	.version_col = PROJECTS_LOAD_COL_VERSION,
	.noun = "project",
	.stale = "the project has changed since that ETag",
	.allowed = action_allowed,
	.decide = action_decide,
	.locked = action_locked,
};

static void project_action(api_req *r)
{
	action_ctx *c = r->ctx;
	c->action = (core_project_action)api_op_arg(r);
	c->id[0] = r->path_params[0];
	api_transition_start(r, &action_transition, c->id, 1, false);
}

/* submit and approve take an empty object; reject may say why */
static const api_field no_fields[] = { API_FIELDS_END };
static const api_field reject_fields[] = {
	API_FIELD_STR(action_ctx, reason, "reason", 0, TEXT_MAX_BYTES),
	API_FIELDS_END,
};

#define ACTION_OP(action, fields_) { .handler = project_action, .arg = (action), \
	.not_found = PROJECT_NOT_FOUND, .fields = (fields_), .ctx_size = sizeof(action_ctx), \
	.flags = API_OP_TX | API_OP_IF_MATCH }
const api_op op_projects_submit = ACTION_OP(CORE_PROJECT_ACT_SUBMIT, no_fields);
const api_op op_projects_approve = ACTION_OP(CORE_PROJECT_ACT_APPROVE, no_fields);
const api_op op_projects_reject = ACTION_OP(CORE_PROJECT_ACT_REJECT, reject_fields);

/* ---- late windows (R-19) ------------------------------------------------ */

typedef struct window_ctx {
	int year;
	core_date until;
	const char *reason;
	const char *v[3];
	db_call call;
} window_ctx;

static void window_created(api_req *r, db_result *const *res, int n)
{
	const char *a = db_result_value(res[0], 0, LATE_WINDOWS_INSERT_COL_LATE_WINDOW);
	if (!a) {
		api_reply_problem(r, 500, "Internal error", "the late window was not stored");
		return;
	}
	api_reply_created(r, "/v1/late-windows/", NULL, a);
}

static void window_check(api_req *r, json_t *errors)
{
	window_ctx *c = r->ctx;
	if (!api_errors_have(errors, "year") && !api_errors_have(errors, "until") &&
	    core_date_compare(c->until, core_date_jan1(c->year)) < 0)
		api_error_add(errors, "until", "before_start",
		              "a late window lasts from 1 January of its year until this date");
}

static void late_windows_create(api_req *r)
{
	window_ctx *c = r->ctx;
	c->v[0] = api_arena_printf(r->mem, "%d", c->year);
	c->v[1] = api_field_token(r->body, "until");
	c->v[2] = c->reason;
	c->call = (db_call){ DB_STMT_LATE_WINDOWS_INSERT, c->v };
	api_db_run(r, &c->call, 1, window_created);
}

static const api_field window_fields[] = {
	API_FIELD_YEAR_OF(window_ctx, year, "year", API_REQUIRED),
	API_FIELD_DAY(window_ctx, until, "until", API_REQUIRED),
	API_FIELD_STR(window_ctx, reason, "reason", API_REQUIRED, TEXT_MAX_BYTES),
	API_FIELDS_END,
};
const api_op op_late_windows_create = { .handler = late_windows_create, .fields = window_fields,
                                        .check = window_check, .ctx_size = sizeof(window_ctx) };

const api_op op_late_windows_get = { .handler = api_op_get_json, .stmt = DB_STMT_LATE_WINDOWS_GET,
                                     .not_found = "no such late window" };

typedef struct windows_ctx {
	const char *v[3]; /* LATE_WINDOWS_LIST's: $2 year (windows_params) */
} windows_ctx;

static void late_windows_list(api_req *r)
{
	windows_ctx *c = r->ctx;
	c->v[0] = r->page->after;
	c->v[2] = r->page->limit_plus_one;
	api_list_run(r, r->page, DB_STMT_LATE_WINDOWS_LIST, c->v, 3);
}

static const api_param windows_params[] = {
	API_PARAM(windows_ctx, v[1], "year", API_PARAM_YEAR, NULL),
	API_PARAMS_END,
};
const api_op op_late_windows_list = { .handler = late_windows_list, .params = windows_params,
                                      .ctx_size = sizeof(windows_ctx), .flags = API_OP_PAGED };
