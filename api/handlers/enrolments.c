/*
 * Enrolments: a base's files on each trainee of its approved
 * projects — enrolment, attendance, exam result, training-effect
 * evaluation — and the completion that registers the trainee's record
 * verified at once when the rule set says so.
 *
 *   GET  /v1/projects/{id}/enrolments   city, district bureau (its bases), base (own)
 *   POST /v1/projects/{id}/enrolments   base: its own approved projects
 *   GET  /v1/enrolments/{id}            city, district bureau, base, the person
 *   PATCH /v1/enrolments/{id}           base: attendance, exam result, evaluation
 *   POST /v1/enrolments/{id}/complete   base: creates the record
 *
 * Decisions (documented in the OpenAPI fragment too):
 *   - a base that may not operate (R-16: not accredited) gets 403 on enrol
 *     and complete; attendance and exam results of past sessions may still
 *     be kept (PATCH), nothing new is registered;
 *   - attended_hours may exceed the project's hours (make-up sessions are
 *     the base's files); the record credits at most the project's hours;
 *   - the record is dated on the completion day (CST); when its hours do
 *     not fit 24 h a day, it starts as many days earlier as needed
 *     (hours <= 24 x days covered), and its year is the completion day's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/fields.h"
#include "render/json.h"
#include "http/log.h"
#include "http/paging.h"
#include "http/resource.h"
#include "domain/rules.h"
#include "handlers.h"

#define NOT_FOUND_DETAIL "no such enrolment in the caller's jurisdiction"
#define PROJECT_NOT_FOUND "no such project in the caller's jurisdiction"

static void reply_row(api_req *r, int status, const char *version, const char *doc,
                      const char *location)
{
	if (!doc) {
		/* the written row is not readable back: never the case for a base */
		api_reply_problem(r, 500, "Internal error", "the enrolment could not be read back");
		return;
	}
	if (location)
		api_reply_header(r, "Location", location);
	api_reply_doc(r, status, version, doc);
}

static int32_t tenths(const char *numeric)
{
	int32_t t = 0;
	if (!numeric || core_hours_parse(&t, numeric) != 0)
		return -1;
	return t;
}

/* ---- list and read ------------------------------------------------------ */

void h_enrolments_list(api_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", NULL };
	api_page *pg = api_list_begin(r, allowed, api_cursor_is_time_id);
	if (!pg || !api_path_uuid(r, 0, PROJECT_NOT_FOUND))
		return;
	const char *v[] = { r->path_params[0], pg->after, pg->limit_plus_one };
	api_list_run_in(r, pg, DB_STMT_ENROLMENT_PROJECT_VISIBLE, PROJECT_NOT_FOUND,
	                DB_STMT_ENROLMENT_LIST, v, 3);
}

void h_enrolments_get(api_req *r)
{
	api_get_one(r, DB_STMT_ENROLMENT_GET, NOT_FOUND_DETAIL);
}

/* ---- enrol -------------------------------------------------------------- */

typedef struct create_ctx {
	const char *project;
	const char *person;
	const char *v[2];
	db_call calls[3];
} create_ctx;

static void inserted(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *id = db_result_value(res[0], 0, 0);
	reply_row(r, 201, db_result_value(res[0], 0, 1), db_result_value(res[0], 0, 2),
	          id ? api_arena_printf(r->mem, "/v1/enrolments/%s", id) : NULL);
}

/* the project is the caller's, its base may operate, it is
 * approved, the person exists and a seat is free (counted under the lock). */
static void create_checked(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, PROJECT_NOT_FOUND);
		return;
	}
	core_project_status ps;
	core_base_status bs;
	if (core_project_status_parse(&ps, db_result_value(res[0], 0, 0)) != 0 ||
	    core_base_status_parse(&bs, db_result_value(res[0], 0, 2)) != 0) {
		api_reply_problem(r, 500, "Internal error", "the project could not be read");
		return;
	}
	if (!core_base_may_operate(bs)) {
		api_reply_problem(r, 403, "Forbidden",
		                  "the base is not accredited: it may not enrol trainees (R-16)");
		return;
	}
	const char *exists = db_result_value(res[2], 0, 0);
	if (!exists || strcmp(exists, "t") != 0) {
		api_reply_field_error(r, "person", "unknown", "no person with this id");
		return;
	}
	if (ps != CORE_PROJECT_APPROVED) {
		api_reply_problem(r, 409, "Conflict", "only an approved project takes trainees (R-19)");
		return;
	}
	long capacity = atol(db_result_value(res[0], 0, 1));
	long taken = atol(db_result_value(res[1], 0, 0));
	if (taken >= capacity) {
		api_reply_problem(r, 409, "Conflict", "the project is full");
		return;
	}
	c->v[0] = c->project;
	c->v[1] = c->person;
	c->calls[0] = (db_call){ DB_STMT_ENROLMENT_INSERT, c->v };
	api_db_run(r, c->calls, 1, inserted);
}

void h_enrolments_create(api_req *r)
{
	static const char *const allowed[] = { "person", NULL };
	if (!api_body_object(r))
		return;
	if (!api_path_uuid(r, 0, PROJECT_NOT_FOUND))
		return;
	json_t *errors = json_array();
	api_json_unknown_fields(r->body, allowed, errors);
	const char *person = NULL;
	api_field_uuid(r->body, "person", true, &person, errors);
	if (api_errors_reply(r, errors))
		return;
	create_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	c->project = r->path_params[0];
	c->person = api_arena_strdup(r->mem, person);
	r->ctx = c;
	c->calls[0] = (db_call){ DB_STMT_ENROLMENT_PROJECT_LOCK, &c->project };
	c->calls[1] = (db_call){ DB_STMT_ENROLMENT_PROJECT_COUNT, &c->project };
	c->calls[2] = (db_call){ DB_STMT_ENROLMENT_PERSON_EXISTS, &c->person };
	api_db_tx(r);
	api_db_run(r, c->calls, 3, create_checked);
}

/* ---- attendance, exam result, evaluation -------------------------------- */

typedef struct update_ctx {
	long expected;
	char hours[CORE_HOURS_BUFSZ];
	const char *v[4];
	db_call calls[1];
} update_ctx;

static void updated(api_req *r, db_result *const *res, int n)
{
	(void)n;
	reply_row(r, 200, db_result_value(res[0], 0, 0), db_result_value(res[0], 0, 1), NULL);
}

static void update_locked(api_req *r, db_result *const *res, int n)
{
	update_ctx *c = r->ctx;
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, NOT_FOUND_DETAIL);
		return;
	}
	if (c->expected >= 0 && atol(db_result_value(res[0], 0, 0)) != c->expected) {
		api_reply_problem(r, 412, "Precondition failed",
		                  "the enrolment has changed since the ETag given in If-Match");
		return;
	}
	core_enrolment_status st;
	if (core_enrolment_status_parse(&st, db_result_value(res[0], 0, 1)) != 0 ||
	    st != CORE_ENROLMENT_ENROLLED) {
		api_reply_problem(r, 409, "Conflict", "a completed enrolment is final");
		return;
	}
	c->calls[0] = (db_call){ DB_STMT_ENROLMENT_UPDATE, c->v };
	api_db_run(r, c->calls, 1, updated);
}

void h_enrolments_update(api_req *r)
{
	static const char *const allowed[] = { "attended_hours", "exam_result", "evaluation", NULL };
	if (!api_body_object(r))
		return;
	if (!api_path_uuid(r, 0, NOT_FOUND_DETAIL))
		return;
	update_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	r->ctx = c;
	json_t *errors = json_array();
	api_json_unknown_fields(r->body, allowed, errors);
	int32_t hours = 0;
	if (api_field_hours(r->body, "attended_hours", false, true, &hours, errors)) {
		core_hours_format(c->hours, sizeof c->hours, hours);
		c->v[1] = c->hours;
	}
	core_exam_result exam;
	if (API_FIELD_ENUM(r->body, "exam_result", false, exam_result, &exam,
	                   "must be pending, passed or failed", errors))
		c->v[2] = core_exam_result_name(exam);
	json_t *ev = json_object_get(r->body, "evaluation");
	if (ev && !json_is_object(ev)) {
		api_error_add(errors, "evaluation", "invalid", "must be a JSON object");
	} else if (ev) {
		char *s = json_dumps(ev, JSON_COMPACT);
		c->v[3] = s ? api_arena_strdup(r->mem, s) : NULL;
		free(s);
	}
	if (json_array_size(errors) == 0 && !c->v[1] && !c->v[2] && !c->v[3])
		api_error_add(errors, "attended_hours", "required",
		              "give attended_hours, exam_result or evaluation");
	if (api_errors_reply(r, errors))
		return;
	if (!api_if_match(r, &c->expected))
		return;
	c->v[0] = r->path_params[0];
	c->calls[0] = (db_call){ DB_STMT_ENROLMENT_LOCK, c->v };
	api_db_tx(r);
	api_db_run(r, c->calls, 1, update_locked);
}

/* ---- completion --------------------------------------------------------- */

typedef struct complete_ctx {
	const char *id;
	const char *person;
	const char *record;
	const char *before;
	int year;
	char year_s[12], start_s[CORE_DATE_BUFSZ], end_s[CORE_DATE_BUFSZ], hours_s[CORE_HOURS_BUFSZ];
	const char *v[10];
	const char *fin[2];
	db_call calls[2];
} complete_ctx;

static void completed(api_req *r, db_result *const *res, int n)
{
	(void)n;
	reply_row(r, 200, db_result_value(res[1], 0, 0), db_result_value(res[1], 0, 1), NULL);
}

static void summarized(api_req *r, const core_year_verdict *v)
{
	complete_ctx *c = r->ctx;
	if (!v) {
		api_reply_problem(r, 500, "Internal error", "the person's year could not be decided");
		return;
	}
	c->fin[0] = c->id;
	c->fin[1] = c->before;
	c->calls[0] = (db_call){ DB_STMT_ENROLMENT_AUDIT_RECORD, &c->record };
	c->calls[1] = (db_call){ DB_STMT_ENROLMENT_COMPLETE_FINISH, c->fin };
	api_db_run(r, c->calls, 2, completed);
}

static void recorded(api_req *r, db_result *const *res, int n)
{
	complete_ctx *c = r->ctx;
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		api_reply_problem(r, 500, "Internal error", "the record could not be registered");
		return;
	}
	c->record = api_arena_strdup(r->mem, db_result_value(res[0], 0, 0));
	c->before = api_arena_strdup(r->mem, db_result_value(res[0], 0, 1));
	/* the person-year's summary in the same transaction */
	api_summary_refresh(r, c->person, c->year, summarized);
}

static void complete_read(api_req *r, db_result *const *res, int n)
{
	complete_ctx *c = r->ctx;
	(void)n;
	const db_result *e = res[0];
	if (db_result_rows(e) == 0) {
		api_reply_not_found(r, NOT_FOUND_DETAIL);
		return;
	}
	core_enrolment_status from, to;
	core_exam_result exam;
	core_base_status bs;
	core_category cat;
	core_class_type ct;
	int32_t attended = tenths(db_result_value(e, 0, 2));
	int32_t planned = tenths(db_result_value(e, 0, 5));
	if (core_enrolment_status_parse(&from, db_result_value(e, 0, 0)) != 0 ||
	    core_exam_result_parse(&exam, db_result_value(e, 0, 1)) != 0 ||
	    core_base_status_parse(&bs, db_result_value(e, 0, 8)) != 0 ||
	    core_category_parse(&cat, db_result_value(e, 0, 6)) != 0 ||
	    core_class_type_parse(&ct, db_result_value(e, 0, 7)) != 0 || attended < 0 || planned < 0) {
		api_reply_problem(r, 500, "Internal error", "the enrolment could not be read");
		return;
	}
	/* a base that is not accredited registers nothing */
	if (!core_base_may_operate(bs)) {
		api_reply_problem(r, 403, "Forbidden",
		                  "the base is not accredited: it may not register records (R-16)");
		return;
	}
	/* enrolled -> completed, only with a passed exam */
	int rc = core_enrolment_transition(&to, from, CORE_ENROLMENT_ACT_COMPLETE, exam);
	if (rc == CORE_ESTATE) {
		api_reply_problem(r, 409, "Conflict", "the enrolment is already completed");
		return;
	}
	if (rc == CORE_EPRECOND) {
		api_reply_field_error(r, "exam_result", "not_passed", "completion requires a passed exam");
		return;
	}
	if (rc != 0) {
		api_reply_problem(r, 500, "Internal error", "the enrolment could not be decided");
		return;
	}
	/* the record credits what was attended, at most the project's hours */
	int32_t hours = attended < planned ? attended : planned;
	if (hours <= 0) {
		api_reply_field_error(r, "attended_hours", "out_of_range",
		                      "no hours attended: nothing to register");
		return;
	}
	core_date today = api_today();
	int64_t days = (hours + 239) / 240; /* hours <= 24 x days covered */
	core_date start = core_date_from_days(core_date_to_days(today) - (days - 1));
	core_record_input in = {
		.year = today.y,
		.start_date = start,
		.end_date = today,
		.hours = hours,
		.today = today,
		.category = core_category_name(cat),
		.form = core_form_name(CORE_FORM_TRAINING_CLASS),
		.class_type = core_class_type_name(ct),
	};
	core_error_list errs;
	core_error_list_init(&errs);
	if (core_record_validate(&errs, &in) != 0) {
		json_t *errors = json_array();
		api_errors_from_core(errors, &errs);
		api_reply_errors(r, 422, "Validation failed", errors);
		return;
	}
	/* R-6 then R-14: the rule set of the person's industry for the year */
	const core_rule_set *rs = api_rules_select(db_result_value(res[1], 0, 0),
	                                           db_result_value(e, 0, 9), today.y);
	core_record_status status;
	if (!rs || core_record_initial_status(&status, rs, CORE_SOURCE_BASE) != 0) {
		api_log_write(API_LOG_ERROR, r->request_id, "no rule set decides the year %d", today.y);
		api_reply_problem(r, 500, "Internal error", "no rule set applies to this year");
		return;
	}
	c->person = api_arena_strdup(r->mem, db_result_value(e, 0, 3));
	c->year = today.y;
	snprintf(c->year_s, sizeof c->year_s, "%d", today.y);
	core_date_format(c->start_s, sizeof c->start_s, start);
	core_date_format(c->end_s, sizeof c->end_s, today);
	core_hours_format(c->hours_s, sizeof c->hours_s, hours);
	c->v[0] = c->id;
	c->v[1] = c->person;
	c->v[2] = c->year_s;
	c->v[3] = c->start_s;
	c->v[4] = c->end_s;
	c->v[5] = core_category_name(cat);
	c->v[6] = core_class_type_name(ct);
	c->v[7] = c->hours_s;
	c->v[8] = core_record_status_name(status);
	c->v[9] = api_arena_strdup(r->mem, db_result_value(e, 0, 4));
	c->calls[0] = (db_call){ DB_STMT_ENROLMENT_COMPLETE_WRITE, c->v };
	api_db_run(r, c->calls, 1, recorded);
}

void h_enrolments_complete(api_req *r)
{
	if (!api_path_uuid(r, 0, NOT_FOUND_DETAIL))
		return;
	complete_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	r->ctx = c;
	c->id = r->path_params[0];
	c->calls[0] = (db_call){ DB_STMT_ENROLMENT_COMPLETE_READ, &c->id };
	c->calls[1] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	api_db_tx(r);
	api_db_run(r, c->calls, 2, complete_read);
}

/* ---- operations of the route table (http/op.h) -------------------------- */

const api_op op_enrolments_complete = { .handler = h_enrolments_complete, .flags = API_OP_ANY_QUERY };
const api_op op_enrolments_create = { .handler = h_enrolments_create, .flags = API_OP_ANY_QUERY };
const api_op op_enrolments_get = { .handler = h_enrolments_get, .flags = API_OP_ANY_QUERY };
const api_op op_enrolments_list = { .handler = h_enrolments_list, .flags = API_OP_ANY_QUERY };
const api_op op_enrolments_update = { .handler = h_enrolments_update, .flags = API_OP_ANY_QUERY };
