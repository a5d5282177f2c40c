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
#include "http/transition.h"
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

/* ---- list and read ------------------------------------------------------ */

static void enrolments_list(api_req *r)
{
	const char *v[] = { r->path_params[0], r->page->after, r->page->limit_plus_one };
	api_list_run_in(r, r->page, DB_STMT_ENROLMENT_PROJECT_VISIBLE, PROJECT_NOT_FOUND,
	                DB_STMT_ENROLMENT_LIST, v, 3);
}

const api_op op_enrolments_list = { .handler = enrolments_list, .not_found = PROJECT_NOT_FOUND,
                                    .flags = API_OP_PAGED };

const api_op op_enrolments_get = { .handler = api_op_get, .stmt = DB_STMT_ENROLMENT_GET,
                                   .not_found = NOT_FOUND_DETAIL };

/* ---- enrol -------------------------------------------------------------- */

typedef struct create_ctx {
	const char *person; /* the body's (create_fields) */
	const char *project;
	const char *v[2];
	db_call calls[3];
} create_ctx;

static void inserted(api_req *r, db_result *const *res, int n)
{
	const char *id = db_result_value(res[0], 0, ENROLMENT_INSERT_COL_ID);
	reply_row(r, 201, db_result_value(res[0], 0, ENROLMENT_INSERT_COL_VERSION), db_result_value(res[0], 0, ENROLMENT_INSERT_COL_ENROLMENT),
	          id ? api_arena_printf(r->mem, "/v1/enrolments/%s", id) : NULL);
}

/* the project is the caller's, its base may operate, it is
 * approved, the person exists and a seat is free (counted under the lock). */
static void create_checked(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, PROJECT_NOT_FOUND);
		return;
	}
	core_project_status ps;
	core_base_status bs;
	if (core_project_status_parse(&ps, db_result_value(res[0], 0, ENROLMENT_PROJECT_LOCK_COL_STATUS)) != 0 ||
	    core_base_status_parse(&bs, db_result_value(res[0], 0, ENROLMENT_PROJECT_LOCK_COL_BASE_STATUS)) != 0) {
		api_reply_problem(r, 500, "Internal error", "the project could not be read");
		return;
	}
	if (!core_base_may_operate(bs)) {
		api_reply_problem(r, 403, "Forbidden",
		                  "the base is not accredited: it may not enrol trainees (R-16)");
		return;
	}
	bool exists = false;
	long capacity, taken;
	if (!api_result_ok(r, db_result_bool(res[2], 0, ENROLMENT_PERSON_EXISTS_COL_PERSON_EXISTS,
	                                     &exists) |
	                          db_result_int(res[0], 0, ENROLMENT_PROJECT_LOCK_COL_CAPACITY,
	                                        &capacity) |
	                          db_result_int(res[1], 0, ENROLMENT_PROJECT_COUNT_COL_ENROLMENTS,
	                                        &taken)))
		return;
	if (!exists) {
		api_reply_field_error(r, "person", "unknown", "no person with this id");
		return;
	}
	if (ps != CORE_PROJECT_APPROVED) {
		api_reply_problem(r, 409, "Conflict", "only an approved project takes trainees (R-19)");
		return;
	}
	if (taken >= capacity) {
		api_reply_problem(r, 409, "Conflict", "the project is full");
		return;
	}
	c->v[0] = c->project;
	c->v[1] = c->person;
	c->calls[0] = (db_call){ DB_STMT_ENROLMENT_INSERT, c->v };
	api_db_run(r, c->calls, 1, inserted);
}

static void enrolments_create(api_req *r)
{
	create_ctx *c = r->ctx;
	c->project = r->path_params[0];
	c->calls[0] = (db_call){ DB_STMT_ENROLMENT_PROJECT_LOCK, &c->project };
	c->calls[1] = (db_call){ DB_STMT_ENROLMENT_PROJECT_COUNT, &c->project };
	c->calls[2] = (db_call){ DB_STMT_ENROLMENT_PERSON_EXISTS, &c->person };
	api_db_run(r, c->calls, 3, create_checked);
}

static const api_field create_fields[] = {
	API_FIELD_ID(create_ctx, person, "person", API_REQUIRED),
	API_FIELDS_END,
};
const api_op op_enrolments_create = { .handler = enrolments_create, .fields = create_fields,
                                      .ctx_size = sizeof(create_ctx),
                                      .not_found = PROJECT_NOT_FOUND, .flags = API_OP_TX };

/* ---- attendance, exam result, evaluation -------------------------------- */

typedef struct update_ctx {
	/* the body (update_fields); evaluation is read by update_check */
	int32_t hours;
	core_exam_result exam;
	json_t *evaluation;
	char hours_s[CORE_HOURS_BUFSZ];
	const char *v[4];
	db_call call;
} update_ctx;

static void updated(api_req *r, db_result *const *res, int n)
{
	reply_row(r, 200, db_result_value(res[0], 0, ENROLMENT_UPDATE_COL_VERSION), db_result_value(res[0], 0, ENROLMENT_UPDATE_COL_ENROLMENT), NULL);
}

static bool sent(const api_req *r, const char *name)
{
	json_t *v = json_object_get(r->body, name);
	return v && !json_is_null(v);
}

/* PATCH changes what is sent: at least one of the three, each valid. */
static void update_check(api_req *r, json_t *errors)
{
	update_ctx *c = r->ctx;
	json_t *ev = json_object_get(r->body, "evaluation");
	if (ev && !json_is_object(ev)) {
		api_error_add(errors, "evaluation", "invalid", "must be a JSON object");
	} else if (ev) {
		c->v[3] = api_json_dump_arena(r->mem, ev, JSON_COMPACT);
	}
	if (json_array_size(errors) > 0)
		return;
	if (sent(r, "attended_hours")) {
		core_hours_format(c->hours_s, sizeof c->hours_s, c->hours);
		c->v[1] = c->hours_s;
	}
	if (sent(r, "exam_result"))
		c->v[2] = core_exam_result_name(c->exam);
	if (!c->v[1] && !c->v[2] && !c->v[3])
		api_error_add(errors, "attended_hours", "required",
		              "give attended_hours, exam_result or evaluation");
}

/* the files of a completed enrolment are final */
static int update_decide(api_req *r, const char *from_s, const char **to_s, const char **detail)
{
	core_enrolment_status st;
	if (core_enrolment_status_parse(&st, from_s) != 0 || st != CORE_ENROLMENT_ENROLLED) {
		*detail = "a completed enrolment is final";
		return -1;
	}
	*to_s = from_s;
	return 0;
}

/* ENROLMENT_UPDATE writes the audit row in the same statement */
static void update_locked(api_req *r, const db_result *row, const char *to)
{
	update_ctx *c = r->ctx;
	c->v[0] = r->path_params[0];
	c->call = (db_call){ DB_STMT_ENROLMENT_UPDATE, c->v };
	api_db_run(r, &c->call, 1, updated);
}

static const api_transition update_transition = {
	.lock = DB_STMT_ENROLMENT_LOCK,
	.status_col = ENROLMENT_LOCK_COL_STATUS,
	.version_col = ENROLMENT_LOCK_COL_VERSION,
	.noun = "enrolment",
	.stale = "the enrolment has changed since the ETag given in If-Match",
	.decide = update_decide,
	.locked = update_locked,
};

static void enrolments_update(api_req *r)
{
	api_transition_start(r, &update_transition, r->path_params, 1, false);
}

static const api_field update_fields[] = {
	API_FIELD_TENTHS(update_ctx, hours, "attended_hours", 0, 0),
	API_FIELD_ENUM_OF(update_ctx, exam, "exam_result", 0, exam_result,
	                  "must be pending, passed or failed"),
	API_FIELD_JSON(update_ctx, evaluation, "evaluation", 0),
	API_FIELDS_END,
};
const api_op op_enrolments_update = { .handler = enrolments_update, .fields = update_fields,
                                      .check = update_check, .ctx_size = sizeof(update_ctx),
                                      .not_found = NOT_FOUND_DETAIL,
                                      .flags = API_OP_TX | API_OP_IF_MATCH };

/* ---- completion --------------------------------------------------------- */

typedef struct complete_ctx {
	const char *id;
	const char *person;
	const char *record;
	const char *before;
	int year;
	/* COMPLETE_READ's row, parsed by complete_allowed */
	core_enrolment_status from;
	core_exam_result exam;
	core_category cat;
	core_class_type ct;
	int32_t attended, planned;
	int transition_rc; /* core_enrolment_transition's, beyond the 409 (complete_decide) */
	char year_s[12], start_s[CORE_DATE_BUFSZ], end_s[CORE_DATE_BUFSZ], hours_s[CORE_HOURS_BUFSZ];
	const char *v[10];
	const char *fin[2];
	db_call calls[2];
} complete_ctx;

static void completed(api_req *r, db_result *const *res, int n)
{
	reply_row(r, 200, db_result_value(res[1], 0, ENROLMENT_COMPLETE_FINISH_COL_VERSION), db_result_value(res[1], 0, ENROLMENT_COMPLETE_FINISH_COL_ENROLMENT), NULL);
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
	if (db_result_rows(res[0]) == 0) {
		api_reply_problem(r, 500, "Internal error", "the record could not be registered");
		return;
	}
	c->record = api_arena_strdup(r->mem, db_result_value(res[0], 0, ENROLMENT_COMPLETE_WRITE_COL_RECORD));
	c->before = api_arena_strdup(r->mem, db_result_value(res[0], 0, ENROLMENT_COMPLETE_WRITE_COL_BEFORE));
	/* the person-year's summary in the same transaction */
	api_summary_refresh(r, c->person, c->year, summarized);
}

/* COMPLETE_READ's row, parsed once.  R-16: a base that is not accredited
 * registers nothing. */
static bool complete_allowed(api_req *r, const db_result *row)
{
	complete_ctx *c = r->ctx;
	core_base_status bs;
	if (core_enrolment_status_parse(&c->from, db_result_value(row, 0, ENROLMENT_COMPLETE_READ_COL_STATUS)) != 0 ||
	    core_exam_result_parse(&c->exam, db_result_value(row, 0, ENROLMENT_COMPLETE_READ_COL_EXAM_RESULT)) != 0 ||
	    core_base_status_parse(&bs, db_result_value(row, 0, ENROLMENT_COMPLETE_READ_COL_BASE_STATUS)) != 0 ||
	    core_category_parse(&c->cat, db_result_value(row, 0, ENROLMENT_COMPLETE_READ_COL_CATEGORY)) != 0 ||
	    core_class_type_parse(&c->ct, db_result_value(row, 0, ENROLMENT_COMPLETE_READ_COL_CLASS_TYPE)) != 0 ||
	    db_result_hours(row, 0, ENROLMENT_COMPLETE_READ_COL_ATTENDED_HOURS, &c->attended) != 0 ||
	    db_result_hours(row, 0, ENROLMENT_COMPLETE_READ_COL_PROJECT_HOURS, &c->planned) != 0) {
		api_reply_problem(r, 500, "Internal error", "the enrolment could not be read");
		return false;
	}
	if (!core_base_may_operate(bs)) {
		api_reply_problem(r, 403, "Forbidden",
		                  "the base is not accredited: it may not register records (R-16)");
		return false;
	}
	return true;
}

/* enrolled -> completed, only with a passed exam; the exam's refusal
 * is a field's (422) and answered by complete_locked, as any other failure */
static int complete_decide(api_req *r, const char *from_s, const char **to_s, const char **detail)
{
	complete_ctx *c = r->ctx;
	core_enrolment_status to;
	c->transition_rc = core_enrolment_transition(&to, c->from, CORE_ENROLMENT_ACT_COMPLETE,
	                                             c->exam);
	if (c->transition_rc == CORE_ESTATE) {
		*detail = "the enrolment is already completed";
		return -1;
	}
	*to_s = c->transition_rc == 0 ? core_enrolment_status_name(to) : from_s;
	return 0;
}

static void complete_locked(api_req *r, const db_result *e, const char *to)
{
	complete_ctx *c = r->ctx;
	core_category cat = c->cat;
	core_class_type ct = c->ct;
	if (c->transition_rc == CORE_EPRECOND) {
		api_reply_field_error(r, "exam_result", "not_passed", "completion requires a passed exam");
		return;
	}
	if (c->transition_rc != 0) {
		api_reply_problem(r, 500, "Internal error", "the enrolment could not be decided");
		return;
	}
	/* the record credits what was attended, at most the project's hours */
	int32_t hours = c->attended < c->planned ? c->attended : c->planned;
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
	const core_rule_set *rs = api_rules_select(api_transition_rule_sets(r),
	                                           db_result_value(e, 0, ENROLMENT_COMPLETE_READ_COL_INDUSTRY), today.y);
	core_record_status status;
	if (!rs || core_record_initial_status(&status, rs, CORE_SOURCE_BASE) != 0) {
		api_log_write(API_LOG_ERROR, r->request_id, "no rule set decides the year %d", today.y);
		api_reply_problem(r, 500, "Internal error", "no rule set applies to this year");
		return;
	}
	c->person = api_arena_strdup(r->mem, db_result_value(e, 0, ENROLMENT_COMPLETE_READ_COL_PERSON));
	c->year = today.y;
	snprintf(c->year_s, sizeof c->year_s, "%d", today.y);
	(void)core_date_format(c->start_s, sizeof c->start_s, start);
	(void)core_date_format(c->end_s, sizeof c->end_s, today);
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
	c->v[9] = api_arena_strdup(r->mem, db_result_value(e, 0, ENROLMENT_COMPLETE_READ_COL_PROJECT));
	c->calls[0] = (db_call){ DB_STMT_ENROLMENT_COMPLETE_WRITE, c->v };
	api_db_run(r, c->calls, 1, recorded);
}

static const api_transition complete_transition = {
	.lock = DB_STMT_ENROLMENT_COMPLETE_READ,
	.status_col = ENROLMENT_COMPLETE_READ_COL_STATUS,
	.version_col = -1, /* completion takes no If-Match */
	.noun = "enrolment",
	.allowed = complete_allowed,
	.decide = complete_decide,
	.locked = complete_locked,
};

/* the record's initial status follows the rule set of its year */
static void enrolments_complete(api_req *r)
{
	complete_ctx *c = r->ctx;
	c->id = r->path_params[0];
	api_transition_start(r, &complete_transition, &c->id, 1, true);
}

const api_op op_enrolments_complete = { .handler = enrolments_complete,
                                        .ctx_size = sizeof(complete_ctx),
                                        .not_found = NOT_FOUND_DETAIL, .flags = API_OP_TX };
