/*
 * Records: GET /v1/records (also text/csv),
 * GET /v1/records/{id}, POST /v1/records (register),
 * POST /v1/records/{id}/verify | /reject | /revoke.
 *
 * Who (API.md permission matrix): reads follow the caller's jurisdiction
 * (city all, district bureau cur_district, industry authority professional
 * records of cur_industry, unit cur_unit, base its own registrations,
 * person self); registration by the city, a district bureau (its
 * district's persons) or a unit (its own persons, source "unit"); a base
 * registers only by completing an enrolment (enrolments.c), so the route
 * refuses it.  Verify / reject / revoke: city, district bureau (its
 * district), industry authority for professional records of its industry
 * only (a public record: 403).  Core decides validity (core_record_validate),
 * the initial status (core_record_initial_status) and every transition
 * (core_record_transition); each change re-decides the person-year summary
 * (api_summary_refresh) and writes its audit row last, in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/csv_out.h"
#include "http/fields.h"
#include "render/json.h"
#include "http/paging.h"
#include "http/resource.h"
#include "domain/rules.h"
#include "handlers.h"

#define NOT_FOUND_DETAIL "no such record in the caller's jurisdiction"

/* ---- list -------------------------------------------------------------- */

typedef struct list_ctx {
	api_page *pg;
	bool csv;
	const char *v[8];
	db_call call;
} list_ctx;

static void csv_hours(char *buf, size_t n, json_t *v)
{
	int32_t t = 0;
	buf[0] = '\0';
	if (json_is_number(v) && core_hours_from_double(&t, json_number_value(v)) == 0)
		core_hours_format(buf, n, t);
}

static void reply_csv(api_req *r, list_ctx *c, const db_result *res)
{
	static const char *const cols[] = { "id", "person", "year", "start_date", "end_date",
	                                    "category", "form", "class_type", "hours", "source",
	                                    "project", "status", "evidence", "registered_by",
	                                    "verified_by", "reason", "created_at", NULL };
	api_csv csv;
	if (api_csv_init(&csv) != 0) {
		api_reply_problem(r, 503, "Service unavailable", "out of memory");
		return;
	}
	api_csv_row(&csv, cols);
	int rows;
	char *next = api_page_next(r, c->pg, res, 0, &rows);
	for (int i = 0; i < rows; i++) {
		json_t *j = json_loads(db_result_value(res, i, 1), 0, NULL);
		for (const char *const *col = cols; *col; col++) {
			json_t *v = json_object_get(j, *col);
			char num[CORE_HOURS_BUFSZ];
			if (!strcmp(*col, "hours")) {
				csv_hours(num, sizeof num, v);
				api_csv_cell(&csv, num);
			} else {
				api_csv_json(&csv, v);
			}
		}
		api_csv_end_row(&csv);
		json_decref(j);
	}
	/* the cursor of the JSON list: the CSV answer carries it in its Link header only */
	api_page_link(r, c->pg, next);
	api_csv_reply(r, &csv, "继续教育记录.csv");
}

static void list_done(api_req *r, db_result *const *res, int n)
{
	list_ctx *c = r->ctx;
	(void)n;
	if (c->csv)
		reply_csv(r, c, res[0]);
	else
		api_page_reply(r, c->pg, res[0], 0, 1);
}

static bool bad_query(api_req *r, const char *detail)
{
	api_reply_problem(r, 400, "Bad query", detail);
	return false;
}

/* Reads the filters into v[2..6]; false after a 400. */
static bool list_filters(api_req *r, list_ctx *c)
{
	const char *person = api_query(r, "person"), *unit = api_query(r, "unit");
	const char *year, *status = api_query(r, "status");
	const char *category = api_query(r, "category");
	if (person && !api_is_uuid(person))
		return bad_query(r, "person must be an id (UUID)");
	if (unit && !api_is_uuid(unit))
		return bad_query(r, "unit must be an id (UUID)");
	if (!api_query_year(r, &year))
		return false;
	core_record_status st;
	if (status && core_record_status_parse(&st, status) != 0)
		return bad_query(r, "status must be registered, verified, rejected or revoked");
	core_category cat;
	if (category && core_category_parse(&cat, category) != 0)
		return bad_query(r, "category must be public or professional");
	c->v[2] = person;
	c->v[3] = year;
	c->v[4] = status;
	c->v[5] = category;
	c->v[6] = unit;
	return true;
}

void h_records_list(api_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", "person", "year", "status",
	                                       "category", "unit", NULL };
	api_page *pg = api_list_begin(r, allowed, api_cursor_is_time_id);
	list_ctx *c = pg ? api_arena_alloc(r->mem, sizeof *c) : NULL;
	if (!pg || !api_alloc_ok(r, c) || !list_filters(r, c))
		return;
	c->pg = pg;
	c->csv = api_wants_csv(r);
	c->v[0] = pg->after;
	c->v[1] = pg->limit_plus_one;
	c->v[7] = r->claims.jur;
	db_stmt_id s;
	switch (r->claims.role) {
	case API_ROLE_DISTRICT: s = DB_STMT_RECORDS_LIST_DISTRICT; break;
	case API_ROLE_INDUSTRY: s = DB_STMT_RECORDS_LIST_INDUSTRY; break;
	case API_ROLE_UNIT: s = DB_STMT_RECORDS_LIST_UNIT; break;
	case API_ROLE_BASE: s = DB_STMT_RECORDS_LIST_BASE; break;
	case API_ROLE_PERSON: s = DB_STMT_RECORDS_LIST_PERSON; break;
	default: s = DB_STMT_RECORDS_LIST_CITY; break;
	}
	c->call = (db_call){ s, c->v };
	r->ctx = c;
	api_db_run(r, &c->call, 1, list_done);
}

/* ---- one record -------------------------------------------------------- */

void h_records_get(api_req *r)
{
	api_get_one(r, DB_STMT_RECORDS_GET, NOT_FOUND_DETAIL);
}

/* ---- register ---------------------------------------------------------- */

enum { V_PERSON, V_YEAR, V_START, V_END, V_CATEGORY, V_FORM, V_CLASS, V_HOURS, V_SOURCE,
       V_STATUS, V_EVIDENCE, V__COUNT };

typedef struct create_ctx {
	int year;
	const char *v[V__COUNT];
	char year_s[12], start_s[CORE_DATE_BUFSZ], end_s[CORE_DATE_BUFSZ], hours_s[CORE_HOURS_BUFSZ];
	const char *audit[5];
	db_call calls[2];
	char *version, *record;
} create_ctx;

/* A date field for core: absent → required, not a string → invalid; a
 * string that is not a real date is left for core_record_validate. */
static void read_date(json_t *body, const char *name, core_date *out, json_t *errors)
{
	json_t *v = json_object_get(body, name);
	if (!v || json_is_null(v)) {
		api_error_add(errors, name, "required", "this field is required");
		return;
	}
	if (!json_is_string(v)) {
		api_error_add(errors, name, "invalid", "must be a real date YYYY-MM-DD");
		return;
	}
	if (core_date_parse(out, json_string_value(v)) != 0)
		*out = (core_date){ 0, 0, 0 };
}

static const char *read_token(json_t *body, const char *name, json_t *errors)
{
	const char *s = NULL;
	if (api_field_string(body, name, true, 64, &s, errors))
		return s;
	return NULL;
}

static void create_audited(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	(void)res;
	(void)n;
	api_reply_created(r, "/v1/records/", c->version, c->record);
}

static void create_refreshed(api_req *r, const core_year_verdict *v)
{
	create_ctx *c = r->ctx;
	if (!v) {
		api_reply_problem(r, 500, "Internal error", "the person-year could not be decided");
		return;
	}
	c->calls[0] = (db_call){ DB_STMT_RECORDS_AUDIT, c->audit };
	api_db_run(r, c->calls, 1, create_audited);
}

static void create_inserted(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	(void)n;
	c->version = api_arena_strdup(r->mem, db_result_value(res[0], 0, 0));
	c->record = api_arena_strdup(r->mem, db_result_value(res[0], 0, 2));
	json_t *j = json_loads(c->record, 0, NULL);
	c->audit[0] = "create";
	c->audit[1] = api_arena_strdup(r->mem, json_string_value(json_object_get(j, "id")));
	c->audit[2] = NULL;
	c->audit[3] = c->record;
	c->audit[4] = api_arena_strdup(r->mem, db_result_value(res[0], 0, 1));
	json_decref(j);
	/* registered hours are pending hours of the person-year */
	api_summary_refresh(r, c->v[V_PERSON], c->year, create_refreshed);
}

static void create_checked(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, "no such person in the caller's jurisdiction");
		return;
	}
	const core_rule_set *rs = api_rules_select(db_result_value(res[1], 0, 0),
	                                           db_result_value(res[0], 0, 0), c->year);
	if (!rs) {
		api_reply_field_error(r, "year", "out_of_range", "no rule set is in force for this year");
		return;
	}
	/* a unit's (or a bureau's) registration waits for a reviewer */
	core_record_status st;
	if (core_record_initial_status(&st, rs, CORE_SOURCE_UNIT) != 0) {
		api_reply_problem(r, 500, "Internal error", "the initial status could not be decided");
		return;
	}
	c->v[V_STATUS] = core_record_status_name(st);
	c->calls[0] = (db_call){ DB_STMT_RECORDS_INSERT, c->v };
	api_db_run(r, c->calls, 1, create_inserted);
}

/* The body of a registration; false after a 422. */
static bool create_read(api_req *r, create_ctx *c)
{
	static const char *const allowed[] = { "person", "year", "start_date", "end_date", "category",
	                                       "form", "class_type", "hours", "source", "project",
	                                       "evidence", NULL };
	json_t *body = r->body;
	json_t *errors = json_array();
	api_json_unknown_fields(body, allowed, errors);
	core_record_input in = { .today = api_today() };
	long year = 0;
	api_field_uuid(body, "person", true, &c->v[V_PERSON], errors);
	api_field_int(body, "year", true, 1990, 2100, &year, errors);
	in.year = (int)year;
	read_date(body, "start_date", &in.start_date, errors);
	read_date(body, "end_date", &in.end_date, errors);
	api_field_hours(body, "hours", true, false, &in.hours, errors);
	in.category = read_token(body, "category", errors);
	in.class_type = read_token(body, "class_type", errors);
	in.form = read_token(body, "form", errors);
	const char *source = NULL;
	if (api_field_string(body, "source", false, 16, &source, errors) && strcmp(source, "unit") != 0)
		api_error_add(errors, "source", "invalid",
		              "registrations are source unit: base records come from completing an "
		              "enrolment, achievement records from approving an achievement");
	json_t *project = json_object_get(body, "project");
	if (project && !json_is_null(project))
		api_error_add(errors, "project", "not_allowed",
		              "records of base projects are registered by completing the enrolment");
	const char *evidence = NULL;
	api_field_string(body, "evidence", false, 2000, &evidence, errors);

	/* only the forms of study; an achievement kind (R-9, R-9c) is
	 * converted through /v1/achievements, never registered as a form */
	core_form f;
	bool form_ok = in.form && core_form_parse(&f, in.form) == 0 && !core_form_is_achievement(f);
	core_error_list list;
	core_error_list_init(&list);
	const char *form = in.form;
	in.form = NULL;
	int vrc = core_record_validate(&list, &in);
	in.form = form;
	if (vrc != 0 && list.n == 0)
		api_error_add(errors, "record", "invalid", core_error_message(vrc));
	if (in.form && !form_ok)
		api_error_add(errors, "form", "invalid",
		              "form must be training_class, overseas_training, academic_exchange, "
		              "degree_education, remote_education or online_education; achievements "
		              "are converted into hours through /v1/achievements");
	api_errors_from_core_once(errors, &list);
	if (api_errors_reply(r, errors))
		return false;
	c->year = in.year;
	snprintf(c->year_s, sizeof c->year_s, "%d", in.year);
	(void)core_date_format(c->start_s, sizeof c->start_s, in.start_date);
	(void)core_date_format(c->end_s, sizeof c->end_s, in.end_date);
	core_hours_format(c->hours_s, sizeof c->hours_s, in.hours);
	c->v[V_YEAR] = c->year_s;
	c->v[V_START] = c->start_s;
	c->v[V_END] = c->end_s;
	c->v[V_CATEGORY] = in.category;
	c->v[V_FORM] = in.form;
	c->v[V_CLASS] = in.class_type;
	c->v[V_HOURS] = c->hours_s;
	c->v[V_SOURCE] = core_source_name(CORE_SOURCE_UNIT);
	c->v[V_EVIDENCE] = evidence;
	return true;
}

void h_records_create(api_req *r)
{
	if (!api_body_object(r))
		return;
	create_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	if (!api_alloc_ok(r, c))
		return;
	r->ctx = c;
	if (!create_read(r, c))
		return;
	api_db_tx(r);
	c->calls[0] = (db_call){ DB_STMT_RECORDS_PERSON, &c->v[V_PERSON] };
	c->calls[1] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	api_db_run(r, c->calls, 2, create_checked);
}

/* ---- verify / reject / revoke ------------------------------------------ */

typedef struct act_ctx {
	core_record_action action;
	long if_match;
	const char *id;
	const char *reason;
	char *person;
	int year;
	const char *v[3];
	const char *audit[5];
	db_call calls[1];
	char *version, *record;
} act_ctx;

static void act_audited(api_req *r, db_result *const *res, int n)
{
	act_ctx *c = r->ctx;
	(void)res;
	(void)n;
	api_reply_doc(r, 200, c->version, c->record);
}

static void act_refreshed(api_req *r, const core_year_verdict *v)
{
	act_ctx *c = r->ctx;
	if (!v) {
		api_reply_problem(r, 500, "Internal error", "the person-year could not be decided");
		return;
	}
	c->calls[0] = (db_call){ DB_STMT_RECORDS_AUDIT, c->audit };
	api_db_run(r, c->calls, 1, act_audited);
}

static void act_updated(api_req *r, db_result *const *res, int n)
{
	act_ctx *c = r->ctx;
	(void)n;
	c->version = api_arena_strdup(r->mem, db_result_value(res[0], 0, 0));
	c->record = api_arena_strdup(r->mem, db_result_value(res[0], 0, 1));
	c->audit[3] = c->record;
	/* every transition moves hours: pending → verified, pending → gone,
	 * verified → gone (R-13: only verified records count) */
	api_summary_refresh(r, c->person, c->year, act_refreshed);
}

static void act_scoped(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *cat = db_result_value(res[0], 0, 0);
	if (cat && !strcmp(cat, "public")) {
		api_reply_problem(r, 403, "Forbidden",
		                  "an industry authority verifies professional records only");
		return;
	}
	api_reply_not_found(r, NOT_FOUND_DETAIL);
}

static void act_locked(api_req *r, db_result *const *res, int n)
{
	act_ctx *c = r->ctx;
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		if (r->claims.role == API_ROLE_INDUSTRY) {
			/* invisible: a public record of a person of its industry is a
			 * right it never has (403), anything else is not there (404) */
			c->v[0] = c->id;
			c->calls[0] = (db_call){ DB_STMT_RECORDS_SCOPE, c->v };
			api_db_run(r, c->calls, 1, act_scoped);
			return;
		}
		api_reply_not_found(r, NOT_FOUND_DETAIL);
		return;
	}
	const db_result *row = res[0];
	core_record_status from, to;
	if (core_record_status_parse(&from, db_result_value(row, 0, 0)) != 0) {
		api_reply_problem(r, 500, "Internal error", "the record has an unknown status");
		return;
	}
	if (c->if_match >= 0 && atol(db_result_value(row, 0, 1)) != c->if_match) {
		api_reply_problem(r, 412, "Precondition failed", "the record has changed since it was read");
		return;
	}
	if (core_record_transition(&to, from, c->action) != 0) {
		char *detail = api_arena_printf(r->mem, "the record is %s: it cannot be %s",
		                                core_record_status_name(from),
		                                c->action == CORE_RECORD_ACT_VERIFY ? "verified"
		                                : c->action == CORE_RECORD_ACT_REJECT ? "rejected"
		                                                                      : "revoked");
		api_reply_problem(r, 409, "Conflict", detail);
		return;
	}
	c->person = api_arena_strdup(r->mem, db_result_value(row, 0, 2));
	c->year = atoi(db_result_value(row, 0, 3));
	c->audit[0] = core_record_action_name(c->action);
	c->audit[1] = c->id;
	c->audit[2] = api_arena_strdup(r->mem, db_result_value(row, 0, 5));
	c->audit[4] = api_arena_strdup(r->mem, db_result_value(row, 0, 4));
	c->v[0] = c->id;
	c->v[1] = core_record_status_name(to);
	c->v[2] = c->reason;
	c->calls[0] = (db_call){ DB_STMT_RECORDS_SET_STATUS, c->v };
	api_db_run(r, c->calls, 1, act_updated);
}

static void act(api_req *r, core_record_action action)
{
	static const char *const allowed_q[] = { NULL };
	if (!api_query_only(r, allowed_q))
		return;
	act_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	if (!api_alloc_ok(r, c))
		return;
	r->ctx = c;
	c->action = action;
	c->id = r->path_params[0];
	if (!api_path_uuid(r, 0, NOT_FOUND_DETAIL))
		return;
	if (core_record_action_needs_reason(action)) {
		/* rejecting or revoking says why; the record keeps it */
		static const char *const allowed[] = { "reason", NULL };
		if (!api_body_object(r))
			return;
		json_t *errors = json_array();
		api_json_unknown_fields(r->body, allowed, errors);
		api_field_string(r->body, "reason", true, 1000, &c->reason, errors);
		if (api_errors_reply(r, errors))
			return;
	}
	if (!api_if_match(r, &c->if_match))
		return;
	api_db_tx(r);
	c->v[0] = c->id;
	c->calls[0] = (db_call){ DB_STMT_RECORDS_LOCK, c->v };
	api_db_run(r, c->calls, 1, act_locked);
}

void h_records_verify(api_req *r)
{
	act(r, CORE_RECORD_ACT_VERIFY);
}

void h_records_reject(api_req *r)
{
	act(r, CORE_RECORD_ACT_REJECT);
}

void h_records_revoke(api_req *r)
{
	act(r, CORE_RECORD_ACT_REVOKE);
}
