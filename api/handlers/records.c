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
#include "http/transition.h"
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
	api_lang lang = api_req_lang(r);
	api_csv csv;
	api_csv_init(&csv);
	api_csv_header(&csv, cols, lang);
	int rows;
	char *next = api_page_next(r, c->pg, res, RECORDS_LIST_CITY_COL_KEY, &rows);
	for (int i = 0; i < rows; i++) {
		json_t *j = json_loads(db_result_value(res, i, RECORDS_LIST_CITY_COL_RECORD), 0, NULL);
		for (const char *const *col = cols; *col; col++) {
			json_t *v = json_object_get(j, *col);
			char num[CORE_HOURS_BUFSZ];
			if (!strcmp(*col, "hours")) {
				csv_hours(num, sizeof num, v);
				api_csv_cell(&csv, num);
			} else {
				api_csv_value(&csv, *col, v, lang);
			}
		}
		api_csv_end_row(&csv);
		json_decref(j);
	}
	/* the cursor of the JSON list: the CSV answer carries it in its Link header only */
	api_page_link(r, c->pg, next);
	api_csv_reply(r, &csv, lang == API_LANG_ZH ? "继续教育记录.csv" : "records.csv");
}

static void list_done(api_req *r, db_result *const *res, int n)
{
	list_ctx *c = r->ctx;
	if (c->csv)
		reply_csv(r, c, res[0]);
	else
		api_page_reply(r, c->pg, res[0], RECORDS_LIST_CITY_COL_KEY, RECORDS_LIST_CITY_COL_RECORD);
}

static void records_list(api_req *r)
{
	list_ctx *c = r->ctx;
	api_page *pg = r->page;
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
	api_db_run(r, &c->call, 1, list_done);
}

/* the filters land in the list statement's values $3..$7 */
static const api_param list_params[] = {
	API_PARAM(list_ctx, v[2], "person", API_PARAM_UUID, NULL),
	API_PARAM(list_ctx, v[3], "year", API_PARAM_YEAR, NULL),
	API_PARAM_ENUM_OF(list_ctx, v[4], "status", record_status,
	                  "status must be registered, verified, rejected or revoked"),
	API_PARAM_ENUM_OF(list_ctx, v[5], "category", category,
	                  "category must be public or professional"),
	API_PARAM(list_ctx, v[6], "unit", API_PARAM_UUID, NULL),
	API_PARAMS_END,
};
const api_op op_records_list = { .handler = records_list, .params = list_params,
                                 .ctx_size = sizeof(list_ctx), .flags = API_OP_PAGED };

/* ---- one record -------------------------------------------------------- */

const api_op op_records_get = { .handler = api_op_get, .stmt = DB_STMT_RECORDS_GET,
                                .not_found = NOT_FOUND_DETAIL };

/* ---- register ---------------------------------------------------------- */

enum { V_PERSON, V_YEAR, V_START, V_END, V_CATEGORY, V_FORM, V_CLASS, V_HOURS, V_SOURCE,
       V_STATUS, V_EVIDENCE, V__COUNT };

typedef struct create_ctx {
	/* the body (create_fields) */
	const char *person, *category, *class_type, *form, *source, *evidence;
	int year;
	int32_t hours;
	json_t *project, *start_date, *end_date; /* the dates: read by create_check */
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

static void create_refreshed(api_req *r, const core_year_verdict *v)
{
	create_ctx *c = r->ctx;
	if (!v) {
		api_reply_problem(r, 500, "Internal error", "the person-year could not be decided");
		return;
	}
	api_audit_reply(r, DB_STMT_RECORDS_AUDIT, c->audit, 5, 201, "/v1/records/", c->version,
	                c->record);
}

static void create_inserted(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	const char *version, *record, *district;
	if (!api_result_ok(r, db_result_str(res[0], 0, RECORDS_INSERT_COL_VERSION, &version) |
	                          db_result_str(res[0], 0, RECORDS_INSERT_COL_RECORD, &record) |
	                          db_result_str(res[0], 0, RECORDS_INSERT_COL_CUR_DISTRICT, &district)))
		return;
	c->version = api_arena_strdup(r->mem, version);
	c->record = api_arena_strdup(r->mem, record);
	json_t *j = json_loads(c->record, 0, NULL);
	c->audit[0] = "create";
	c->audit[1] = api_arena_strdup(r->mem, json_string_value(json_object_get(j, "id")));
	c->audit[2] = NULL;
	c->audit[3] = c->record;
	c->audit[4] = api_arena_strdup(r->mem, district);
	json_decref(j);
	/* registered hours are pending hours of the person-year */
	api_summary_refresh(r, c->person, c->year, create_refreshed);
}

static void create_checked(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, "no such person in the caller's jurisdiction");
		return;
	}
	const core_rule_set *rs =
		api_rules_select(db_result_value(res[1], 0, RULE_SETS_ALL_COL_RULE_SETS),
	                         db_result_value(res[0], 0, RECORDS_PERSON_COL_INDUSTRY), c->year);
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

/* What the field table cannot say: the dates, the source and project that
 * registrations may not name, and core's rules of a record. */
static void create_check(api_req *r, json_t *errors)
{
	create_ctx *c = r->ctx;
	core_record_input in = { .today = api_today(), .year = c->year, .hours = c->hours,
	                         .category = c->category, .class_type = c->class_type };
	read_date(r->body, "start_date", &in.start_date, errors);
	read_date(r->body, "end_date", &in.end_date, errors);
	if (c->source && strcmp(c->source, "unit") != 0)
		api_error_add(errors, "source", "invalid",
		              "registrations are source unit: base records come from completing an "
		              "enrolment, achievement records from approving an achievement");
	if (c->project)
		api_error_add(errors, "project", "not_allowed",
		              "records of base projects are registered by completing the enrolment");
	/* only the forms of study; an achievement kind (R-9, R-9c) is
	 * converted through /v1/achievements, never registered as a form */
	core_form f;
	if (c->form && (core_form_parse(&f, c->form) != 0 || core_form_is_achievement(f)))
		api_error_add(errors, "form", "invalid",
		              "form must be training_class, overseas_training, academic_exchange, "
		              "degree_education, remote_education or online_education; achievements "
		              "are converted into hours through /v1/achievements");
	core_error_list list;
	core_error_list_init(&list);
	int vrc = core_record_validate(&list, &in);
	if (vrc != 0 && list.n == 0)
		api_error_add(errors, "record", "invalid", core_error_message(vrc));
	api_errors_from_core_once(errors, &list);
	if (json_array_size(errors) > 0)
		return;
	snprintf(c->year_s, sizeof c->year_s, "%d", c->year);
	(void)core_date_format(c->start_s, sizeof c->start_s, in.start_date);
	(void)core_date_format(c->end_s, sizeof c->end_s, in.end_date);
	core_hours_format(c->hours_s, sizeof c->hours_s, c->hours);
	c->v[V_PERSON] = c->person;
	c->v[V_YEAR] = c->year_s;
	c->v[V_START] = c->start_s;
	c->v[V_END] = c->end_s;
	c->v[V_CATEGORY] = c->category;
	c->v[V_FORM] = c->form;
	c->v[V_CLASS] = c->class_type;
	c->v[V_HOURS] = c->hours_s;
	c->v[V_SOURCE] = core_source_name(CORE_SOURCE_UNIT);
	c->v[V_EVIDENCE] = c->evidence;
}

static void records_create(api_req *r)
{
	create_ctx *c = r->ctx;
	c->calls[0] = (db_call){ DB_STMT_RECORDS_PERSON, &c->v[V_PERSON] };
	c->calls[1] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	api_db_run(r, c->calls, 2, create_checked);
}

static const api_field create_fields[] = {
	API_FIELD_ID(create_ctx, person, "person", API_REQUIRED),
	API_FIELD_YEAR_OF(create_ctx, year, "year", API_REQUIRED),
	API_FIELD_JSON(create_ctx, start_date, "start_date", 0),
	API_FIELD_JSON(create_ctx, end_date, "end_date", 0),
	API_FIELD_TENTHS(create_ctx, hours, "hours", API_REQUIRED, 1),
	API_FIELD_STR(create_ctx, category, "category", API_REQUIRED, 64),
	API_FIELD_STR(create_ctx, class_type, "class_type", API_REQUIRED, 64),
	API_FIELD_STR(create_ctx, form, "form", API_REQUIRED, 64),
	API_FIELD_STR(create_ctx, source, "source", 0, 16),
	API_FIELD_JSON(create_ctx, project, "project", 0),
	API_FIELD_STR(create_ctx, evidence, "evidence", 0, 2000),
	API_FIELDS_END,
};
const api_op op_records_create = { .handler = records_create, .fields = create_fields,
                                   .check = create_check, .ctx_size = sizeof(create_ctx),
                                   .flags = API_OP_TX };

/* ---- verify / reject / revoke ------------------------------------------ */

typedef struct act_ctx {
	const char *reason; /* rejecting or revoking says why; the record keeps it */
	core_record_action action;
	char *person, *version, *record;
	int year;
	const char *audit[5];
} act_ctx;

static void act_refreshed(api_req *r, const core_year_verdict *v)
{
	act_ctx *c = r->ctx;
	if (!v) {
		api_reply_problem(r, 500, "Internal error", "the person-year could not be decided");
		return;
	}
	api_audit_reply(r, DB_STMT_RECORDS_AUDIT, c->audit, 5, 200, NULL, c->version, c->record);
}

static void act_updated(api_req *r, db_result *const *res, int n)
{
	act_ctx *c = r->ctx;
	const char *version, *record;
	if (!api_result_ok(r, db_result_str(res[0], 0, RECORDS_SET_STATUS_COL_VERSION, &version) |
	                          db_result_str(res[0], 0, RECORDS_SET_STATUS_COL_RECORD, &record)))
		return;
	c->version = api_arena_strdup(r->mem, version);
	c->record = api_arena_strdup(r->mem, record);
	c->audit[3] = c->record;
	/* every transition moves hours: pending → verified, pending → gone,
	 * verified → gone (R-13: only verified records count) */
	api_summary_refresh(r, c->person, c->year, act_refreshed);
}

static void act_scoped(api_req *r, db_result *const *res, int n)
{
	const char *cat = db_result_value(res[0], 0, RECORDS_SCOPE_COL_CATEGORY);
	if (cat && !strcmp(cat, "public")) {
		api_reply_problem(r, 403, "Forbidden",
		                  "an industry authority verifies professional records only");
		return;
	}
	api_reply_not_found(r, NOT_FOUND_DETAIL);
}

/* Invisible to an industry authority: a public record of a person of its
 * industry is a right it never has (403), anything else is not there (404). */
static void act_missing(api_req *r)
{
	if (r->claims.role != API_ROLE_INDUSTRY) {
		api_reply_not_found(r, NOT_FOUND_DETAIL);
		return;
	}
	db_call *call = api_arena_alloc(r->mem, sizeof *call);
	*call = (db_call){ DB_STMT_RECORDS_SCOPE, r->path_params };
	api_db_run(r, call, 1, act_scoped);
}

static int act_decide(api_req *r, const char *from_s, const char **to_s, const char **detail)
{
	act_ctx *c = r->ctx;
	core_record_status from, to;
	if (core_record_status_parse(&from, from_s) != 0 ||
	    core_record_transition(&to, from, c->action) != 0) {
		*detail = api_arena_printf(r->mem, "the record is \"%s\": it cannot be \"%s\"", from_s,
		                           c->action == CORE_RECORD_ACT_VERIFY   ? "verified"
		                           : c->action == CORE_RECORD_ACT_REJECT ? "rejected"
		                                                                 : "revoked");
		return -1;
	}
	*to_s = core_record_status_name(to);
	return 0;
}

static void act_locked(api_req *r, const db_result *row, const char *to)
{
	act_ctx *c = r->ctx;
	const char *person, *before, *district;
	long year;
	if (!api_result_ok(r, db_result_str(row, 0, RECORDS_LOCK_COL_PERSON, &person) |
	                          db_result_int(row, 0, RECORDS_LOCK_COL_YEAR, &year) |
	                          db_result_str(row, 0, RECORDS_LOCK_COL_RECORD, &before) |
	                          db_result_str(row, 0, RECORDS_LOCK_COL_CUR_DISTRICT, &district)))
		return;
	c->person = api_arena_strdup(r->mem, person);
	c->year = (int)year;
	c->audit[0] = core_record_action_name(c->action);
	c->audit[1] = r->path_params[0];
	c->audit[2] = api_arena_strdup(r->mem, before);
	c->audit[4] = api_arena_strdup(r->mem, district);
	const char **v = api_arena_alloc(r->mem, 3 * sizeof *v);
	v[0] = r->path_params[0];
	v[1] = to;
	v[2] = c->reason;
	db_call *call = api_arena_alloc(r->mem, sizeof *call);
	*call = (db_call){ DB_STMT_RECORDS_SET_STATUS, v };
	api_db_run(r, call, 1, act_updated);
}

static const api_transition act_transition = {
	.lock = DB_STMT_RECORDS_LOCK,
	.status_col = RECORDS_LOCK_COL_STATUS,
	.version_col = RECORDS_LOCK_COL_VERSION,
	.noun = "record",
	.missing = act_missing,
	.decide = act_decide,
	.locked = act_locked,
};

static void act(api_req *r)
{
	act_ctx *c = r->ctx;
	c->action = (core_record_action)api_op_arg(r);
	api_transition_start(r, &act_transition, r->path_params, 1, false);
}

static const api_field reason_fields[] = {
	API_FIELD_STR(act_ctx, reason, "reason", API_REQUIRED, 1000),
	API_FIELDS_END,
};

#define ACT_OP(action, fields_) { .handler = act, .arg = (action), .fields = (fields_), \
	.not_found = NOT_FOUND_DETAIL, .ctx_size = sizeof(act_ctx), .flags = API_OP_TX | API_OP_IF_MATCH }
const api_op op_records_verify = ACT_OP(CORE_RECORD_ACT_VERIFY, NULL);
const api_op op_records_reject = ACT_OP(CORE_RECORD_ACT_REJECT, reason_fields);
const api_op op_records_revoke = ACT_OP(CORE_RECORD_ACT_REVOKE, reason_fields);
