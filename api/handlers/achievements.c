/*
 * Achievements converted into hours (R-9, R-9a, R-9b, R-9c):
 * GET /v1/achievements, GET /v1/achievements/{id}, POST /v1/achievements
 * (submit), POST /v1/achievements/{id}/approve ({"hours"}) | /reject
 * ({"reason"}).
 *
 * Who (API.md): a unit submits for its own persons, a person for self; the
 * city, a district bureau (its district) and the industry authority (its
 * industry) approve or reject; reads follow records' scopes (bases have no
 * achievements).  Core decides which kinds exist in the rule set of the
 * person's industry and year (core_rules_select, core_rules_kind), the
 * reviewer's range (core_achieve_range_check), the hours a project may still
 * credit (core_achieve_convert) and the transitions
 * (core_achieve_transition).
 *
 * The credited record: an approval with credited hours > 0 creates one
 * record, source "achievement", category professional, form = kind, year =
 * the achievement's year, status verified (the reviewer's approval is the
 * verification).  Achievements carry no date, so the record covers the
 * achievement's year: 1 January to 31 December, or to today while that year
 * is still running (records are never dated in the future).
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

#define NOT_FOUND_DETAIL "no such achievement in the caller's jurisdiction"

/* ---- list and one ------------------------------------------------------ */

typedef struct list_ctx {
	const char *v[6]; /* the list statements': $3 person, $4 status, $5 year (list_params) */
} list_ctx;

static void achievements_list(api_req *r)
{
	list_ctx *c = r->ctx;
	db_stmt_id s;
	switch (r->claims.role) {
	case API_ROLE_DISTRICT: s = DB_STMT_ACHIEVEMENTS_LIST_DISTRICT; break;
	case API_ROLE_INDUSTRY: s = DB_STMT_ACHIEVEMENTS_LIST_INDUSTRY; break;
	case API_ROLE_UNIT: s = DB_STMT_ACHIEVEMENTS_LIST_UNIT; break;
	case API_ROLE_PERSON: s = DB_STMT_ACHIEVEMENTS_LIST_PERSON; break;
	default: s = DB_STMT_ACHIEVEMENTS_LIST_CITY; break;
	}
	c->v[0] = r->page->after;
	c->v[1] = r->page->limit_plus_one;
	c->v[5] = r->claims.jur;
	api_list_run(r, r->page, s, c->v, 6);
}

static const api_param list_params[] = {
	API_PARAM(list_ctx, v[2], "person", API_PARAM_UUID, NULL),
	API_PARAM_ENUM_OF(list_ctx, v[3], "status", achieve_status,
	                  "status must be submitted, approved or rejected"),
	API_PARAM(list_ctx, v[4], "year", API_PARAM_YEAR, NULL),
	API_PARAMS_END,
};
const api_op op_achievements_list = { .handler = achievements_list, .params = list_params,
                                      .ctx_size = sizeof(list_ctx), .flags = API_OP_PAGED };

const api_op op_achievements_get = { .handler = api_op_get, .stmt = DB_STMT_ACHIEVEMENTS_GET,
                                     .not_found = NOT_FOUND_DETAIL };

/* ---- submit ------------------------------------------------------------ */

enum { S_PERSON, S_KIND, S_YEAR, S_TITLE, S_VENUE, S_PROJECT_KEY, S_EVIDENCE, S_DISTRICT,
       S__COUNT };

typedef struct submit_ctx {
	int year;
	char year_s[12];
	const char *v[S__COUNT]; /* the body's strings are read into it (submit_fields) */
	db_call calls[2];
} submit_ctx;

static void submit_done(api_req *r, db_result *const *res, int n)
{
	const char *id = db_result_value(res[0], 0, ACHIEVEMENTS_INSERT_COL_ID);
	const char *a = db_result_value(res[0], 0, ACHIEVEMENTS_INSERT_COL_ACHIEVEMENT);
	api_reply_header(r, "Location", api_arena_printf(r->mem, "/v1/achievements/%s", id));
	api_reply_doc(r, 201, db_result_value(res[0], 0, ACHIEVEMENTS_INSERT_COL_VERSION), a);
}

static void submit_checked(api_req *r, db_result *const *res, int n)
{
	submit_ctx *c = r->ctx;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, "no such person in the caller's jurisdiction");
		return;
	}
	const core_rule_set *rs = api_rules_select(db_result_value(res[1], 0, RULE_SETS_ALL_COL_RULE_SETS),
	                                           db_result_value(res[0], 0, ACHIEVEMENTS_PERSON_COL_INDUSTRY), c->year);
	if (!rs) {
		api_reply_field_error(r, "year", "out_of_range", "no rule set is in force for this year");
		return;
	}
	/* R-9, R-9c: only the conversion kinds of the rule set that judges the
	 * person's industry and year */
	const core_conversion_kind *k;
	if (core_rules_kind(&k, rs, c->v[S_KIND]) != 0) {
		char msg[CORE_MSG_MAX * 2];
		size_t off = (size_t)snprintf(msg, sizeof msg,
		                              "not a conversion kind of the rules for %d; one of:", c->year);
		for (size_t i = 0; i < rs->n_kinds && off < sizeof msg; i++)
			off += (size_t)snprintf(msg + off, sizeof msg - off, "%s %s", i ? "," : "",
			                        rs->kinds[i].code);
		api_reply_field_error(r, "kind", "invalid", msg);
		return;
	}
	c->v[S_DISTRICT] = api_arena_strdup(r->mem, db_result_value(res[0], 0, ACHIEVEMENTS_PERSON_COL_DISTRICT));
	c->calls[0] = (db_call){ DB_STMT_ACHIEVEMENTS_INSERT, c->v };
	api_db_run(r, c->calls, 1, submit_done);
}

/* A person submits for self: the field may be left out; an achievement of
 * a year that has not begun does not exist yet. */
static void submit_check(api_req *r, json_t *errors)
{
	submit_ctx *c = r->ctx;
	if (!c->v[S_PERSON] && !api_errors_have(errors, "person")) {
		if (r->claims.role == API_ROLE_PERSON)
			c->v[S_PERSON] = r->claims.jur;
		else
			api_error_add(errors, "person", "required", "this field is required");
	}
	if (c->year > api_today().y)
		api_error_add(errors, "year", "in_future", "the year has not begun");
}

static void achievements_create(api_req *r)
{
	submit_ctx *c = r->ctx;
	snprintf(c->year_s, sizeof c->year_s, "%d", c->year);
	c->v[S_YEAR] = c->year_s;
	c->calls[0] = (db_call){ DB_STMT_ACHIEVEMENTS_PERSON, &c->v[S_PERSON] };
	c->calls[1] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	api_db_run(r, c->calls, 2, submit_checked);
}

static const api_field submit_fields[] = {
	API_FIELD_ID(submit_ctx, v[S_PERSON], "person", 0),
	API_FIELD_STR(submit_ctx, v[S_KIND], "kind", API_REQUIRED, CORE_KIND_MAX - 1),
	API_FIELD_YEAR_OF(submit_ctx, year, "year", API_REQUIRED),
	API_FIELD_STR(submit_ctx, v[S_TITLE], "title", API_REQUIRED, 500),
	API_FIELD_STR(submit_ctx, v[S_VENUE], "venue", 0, 500),
	API_FIELD_STR(submit_ctx, v[S_PROJECT_KEY], "project_key", 0, 200),
	API_FIELD_STR(submit_ctx, v[S_EVIDENCE], "evidence", 0, 2000),
	API_FIELDS_END,
};
const api_op op_achievements_create = { .handler = achievements_create, .fields = submit_fields,
                                        .check = submit_check, .ctx_size = sizeof(submit_ctx),
                                        .flags = API_OP_TX };

/* ---- approve / reject -------------------------------------------------- */

typedef struct review_ctx {
	core_achieve_action action;
	int32_t hours;
	const char *id, *reason;
	char *person, *before, *after, *record, *record_id, *district;
	int year;
	char hours_s[CORE_HOURS_BUFSZ], credited_s[CORE_HOURS_BUFSZ], year_s[12];
	char start_s[CORE_DATE_BUFSZ], end_s[CORE_DATE_BUFSZ];
	const char *v[3], *rv[8];
	const char *audit[5], *raudit[5];
	db_call calls[3];
} review_ctx;

static void review_audited(api_req *r, db_result *const *res, int n)
{
	review_ctx *c = r->ctx;
	api_reply_raw(r, 200, "application/json", c->after, strlen(c->after));
}

/* the audit rows go last: they hold the chain lock until commit */
static void review_audit(api_req *r)
{
	review_ctx *c = r->ctx;
	int k = 0;
	c->audit[0] = core_achieve_action_name(c->action);
	c->audit[1] = c->id;
	c->audit[2] = c->before;
	c->audit[3] = c->after;
	c->audit[4] = c->district;
	c->calls[k++] = (db_call){ DB_STMT_ACHIEVEMENTS_AUDIT, c->audit };
	if (c->record) {
		c->raudit[0] = "create";
		c->raudit[1] = c->record_id;
		c->raudit[2] = NULL;
		c->raudit[3] = c->record;
		c->raudit[4] = c->district;
		c->calls[k++] = (db_call){ DB_STMT_RECORDS_AUDIT, c->raudit };
	}
	api_db_run(r, c->calls, k, review_audited);
}

static void review_refreshed(api_req *r, const core_year_verdict *v)
{
	if (!v) {
		api_reply_problem(r, 500, "Internal error", "the person-year could not be decided");
		return;
	}
	review_audit(r);
}

static void review_updated(api_req *r, db_result *const *res, int n)
{
	review_ctx *c = r->ctx;
	const db_result *upd = res[n - 1];
	c->after = api_arena_strdup(r->mem, db_result_value(upd, 0, ACHIEVEMENTS_APPROVE_COL_ACHIEVEMENT));
	if (n == 2) {
		c->record_id = api_arena_strdup(r->mem, db_result_value(res[0], 0, ACHIEVEMENTS_RECORD_INSERT_COL_ID));
		c->record = api_arena_strdup(r->mem, db_result_value(res[0], 0, ACHIEVEMENTS_RECORD_INSERT_COL_RECORD));
		/* the credited hours count in the achievement's year */
		api_summary_refresh(r, c->person, c->year, review_refreshed);
		return;
	}
	review_audit(r);
}

/* R-9a / R-9b: the reviewer's hours in range, then what the project may
 * still credit; the record of the credit, if any, and the approval. */
static void approve(api_req *r, review_ctx *c, const db_result *row, const core_rule_set *rs)
{
	/* copied: the row goes away when the next batch starts */
	const char *kind = api_arena_strdup(r->mem, db_result_value(row, 0, ACHIEVEMENTS_REVIEW_COL_KIND));
	const core_conversion_kind *k;
	int rc = core_achieve_range_check(&k, rs, kind, c->hours);
	if (rc == CORE_ENOTFOUND) {
		api_reply_field_error(r, "kind", "invalid",
		                      "not a conversion kind of the rules for its year");
		return;
	}
	if (rc == CORE_ERANGE) {
		char lo[CORE_HOURS_BUFSZ], hi[CORE_HOURS_BUFSZ], h[CORE_HOURS_BUFSZ];
		core_hours_format(lo, sizeof lo, k->min);
		core_hours_format(hi, sizeof hi, k->max);
		core_hours_format(h, sizeof h, c->hours);
		char *msg = api_arena_printf(r->mem, "%s hours must be from %s to %s, got %s", kind, lo,
		                             hi, h);
		api_reply_field_error(r, "hours", CORE_FE_OUT_OF_RANGE, msg);
		return;
	}
	core_achieve_input in = { .kind = kind, .hours = c->hours };
	if (db_result_bool(row, 0, ACHIEVEMENTS_REVIEW_COL_HAS_PROJECT_KEY, &in.has_project) != 0 ||
	    db_result_hours(row, 0, ACHIEVEMENTS_REVIEW_COL_PROJECT_BEST_HOURS, &in.prior_best) != 0 ||
	    db_result_hours(row, 0, ACHIEVEMENTS_REVIEW_COL_PROJECT_CREDITED_HOURS,
	                    &in.prior_credited) != 0) {
		api_reply_problem(r, 500, "Internal error", "the project's earlier hours do not parse");
		return;
	}
	core_achieve_verdict v;
	if (core_achieve_convert(&v, rs, &in) != 0) {
		api_reply_problem(r, 500, "Internal error", "the conversion could not be decided");
		return;
	}
	core_hours_format(c->hours_s, sizeof c->hours_s, v.hours);
	core_hours_format(c->credited_s, sizeof c->credited_s, v.credited);
	c->v[0] = c->id;
	c->v[1] = c->hours_s;
	c->v[2] = c->credited_s;
	int ncalls = 0;
	if (v.credited > 0) {
		core_date today = api_today();
		core_date end = c->year < today.y ? core_date_make(c->year, 12, 31) : today;
		core_record_input rec = { .year = c->year, .start_date = core_date_make(c->year, 1, 1),
		                          .end_date = end, .hours = v.credited, .today = today,
		                          .category = core_category_name(v.category), .form = kind,
		                          .rules = rs };
		core_error_list list;
		core_error_list_init(&list);
		if (core_record_validate(&list, &rec) != 0) {
			json_t *errors = json_array();
			api_errors_from_core(errors, &list);
			api_reply_errors(r, 422, "Validation failed", errors);
			return;
		}
		snprintf(c->year_s, sizeof c->year_s, "%d", c->year);
		(void)core_date_format(c->start_s, sizeof c->start_s, rec.start_date);
		(void)core_date_format(c->end_s, sizeof c->end_s, rec.end_date);
		c->rv[0] = c->person;
		c->rv[1] = c->year_s;
		c->rv[2] = c->start_s;
		c->rv[3] = c->end_s;
		c->rv[4] = kind;
		c->rv[5] = c->credited_s;
		c->rv[6] = c->id;
		c->rv[7] = api_arena_strdup(r->mem, db_result_value(row, 0, ACHIEVEMENTS_REVIEW_COL_TITLE)); /* title as evidence */
		c->calls[ncalls++] = (db_call){ DB_STMT_ACHIEVEMENTS_RECORD_INSERT, c->rv };
	}
	c->calls[ncalls++] = (db_call){ DB_STMT_ACHIEVEMENTS_APPROVE, c->v };
	api_db_run(r, c->calls, ncalls, review_updated);
}

/* The companion's row is ACHIEVEMENTS_REVIEW's, read after the project's
 * achievements are locked: a status core cannot name is a broken row. */
static bool review_allowed(api_req *r, const db_result *row)
{
	core_achieve_status from;
	if (core_achieve_status_parse(&from, db_result_value(row, 0, ACHIEVEMENTS_REVIEW_COL_STATUS)) != 0) {
		api_reply_problem(r, 500, "Internal error", "the achievement has an unknown status");
		return false;
	}
	return true;
}

static int review_decide(api_req *r, const char *from_s, const char **to_s, const char **detail)
{
	review_ctx *c = r->ctx;
	core_achieve_status from, to;
	if (core_achieve_status_parse(&from, from_s) != 0 ||
	    core_achieve_transition(&to, from, c->action) != 0) {
		*detail = api_arena_printf(r->mem, "the achievement is \"%s\": it cannot be \"%s\"", from_s,
		                           c->action == CORE_ACHIEVE_ACT_APPROVE ? "approved"
		                                                                 : "rejected");
		return -1;
	}
	*to_s = core_achieve_status_name(to);
	return 0;
}

static void review_locked(api_req *r, const db_result *row, const char *to)
{
	review_ctx *c = r->ctx;
	long year;
	if (!api_result_ok(r, db_result_int(row, 0, ACHIEVEMENTS_REVIEW_COL_YEAR, &year)))
		return;
	c->year = (int)year;
	c->person = api_arena_strdup(r->mem, db_result_value(row, 0, ACHIEVEMENTS_REVIEW_COL_PERSON));
	c->district = api_arena_strdup(r->mem, db_result_value(row, 0, ACHIEVEMENTS_REVIEW_COL_DISTRICT));
	c->before = api_arena_strdup(r->mem, db_result_value(row, 0, ACHIEVEMENTS_REVIEW_COL_ACHIEVEMENT));
	if (c->action == CORE_ACHIEVE_ACT_REJECT) {
		c->v[0] = c->id;
		c->v[1] = c->reason;
		c->calls[0] = (db_call){ DB_STMT_ACHIEVEMENTS_REJECT, c->v };
		api_db_run(r, c->calls, 1, review_updated);
		return;
	}
	const core_rule_set *rs = api_rules_select(api_transition_rule_sets(r), db_result_value(row, 0, ACHIEVEMENTS_REVIEW_COL_INDUSTRY), c->year);
	if (!rs) {
		api_reply_field_error(r, "year", "out_of_range",
		                      "no rule set is in force for the achievement's year");
		return;
	}
	approve(r, c, row, rs);
}

/* R-9b: the achievements of one project are locked together (two reviews
 * of the same project must not both credit it); the achievement is read
 * after that lock, by the next statement of the same round trip. */
static const api_transition review_transition = {
	.has_first = true,
	.first = DB_STMT_ACHIEVEMENTS_LOCK,
	.lock = DB_STMT_ACHIEVEMENTS_REVIEW,
	.status_col = ACHIEVEMENTS_REVIEW_COL_STATUS,
	.version_col = -1, /* approve and reject take no If-Match */
	.noun = "achievement",
	.allowed = review_allowed,
	.decide = review_decide,
	.locked = review_locked,
};

static void review(api_req *r)
{
	review_ctx *c = r->ctx;
	c->action = (core_achieve_action)api_op_arg(r);
	c->id = r->path_params[0];
	/* an approval converts hours by the rule set of its year */
	api_transition_start(r, &review_transition, &c->id, 1, c->action == CORE_ACHIEVE_ACT_APPROVE);
}

static const api_field approve_fields[] = {
	API_FIELD_TENTHS(review_ctx, hours, "hours", API_REQUIRED, 1),
	API_FIELDS_END,
};
static const api_field reject_fields[] = {
	API_FIELD_STR(review_ctx, reason, "reason", API_REQUIRED, 1000),
	API_FIELDS_END,
};

#define REVIEW_OP(action, fields_) { .handler = review, .arg = (action), \
	.not_found = NOT_FOUND_DETAIL, .fields = (fields_), .ctx_size = sizeof(review_ctx), \
	.flags = API_OP_TX }
const api_op op_achievements_approve = REVIEW_OP(CORE_ACHIEVE_ACT_APPROVE, approve_fields);
const api_op op_achievements_reject = REVIEW_OP(CORE_ACHIEVE_ACT_REJECT, reject_fields);
