/*
 * Cycle assessments of a person (API.md; DOMAIN.md R-8):
 *
 *   GET|POST /v1/persons/{id}/cycle-assessments
 *   GET  /v1/persons/{id}/cycle-assessments/{aid}
 *
 * core fixes the cycle an assessment closes (R-8 with R-6): the body's
 * cycle_start_year must start one of the person's cycles, whose end follows
 * from the rule set's cycle length.  Visibility is row-level security's: a
 * person outside the caller's jurisdiction has no row, hence 404.
 */
#include <stdio.h>
#include <string.h>

#include "http/fields.h"
#include "http/resource.h"
#include "domain/rules.h"
#include "handlers.h"

#define NOT_FOUND_DETAIL COMPLIANCE_PERSON_NOT_FOUND

/* ---- POST /v1/persons/{id}/cycle-assessments ---------------------------- */

typedef struct assess_ctx {
	/* the body (assess_fields) */
	int start;
	const char *result, *notes;
	core_date assessed_on;
	char end_s[8], start_s[8], on_s[CORE_DATE_BUFSZ];
	const char *v[6];
	db_call calls[2];
} assess_ctx;

static void assess_inserted(api_req *r, db_result *const *res, int n)
{
	const char *a = db_result_value(res[0], 0, COMPLIANCE_CA_INSERT_COL_ASSESSMENT);
	if (!a) {
		api_reply_not_found(r, NOT_FOUND_DETAIL);
		return;
	}
	api_reply_created(r, api_arena_printf(r->mem, "/v1/persons/%s/cycle-assessments/",
	                                      r->path_params[0]), NULL, a);
}

/* R-8 with R-6: the cycle core locates for the body's start year must start
 * there, and the assessment cannot precede its first day (422 otherwise). */
static bool assess_cycle_ok(api_req *r, const core_cycle *cyc, int rc, int first)
{
	assess_ctx *c = r->ctx;
	json_t *errors = json_array();
	if (rc == CORE_ENOTFOUND) {
		api_error_add(errors, "cycle_start_year", "no_rule_set",
		              "no rule set fixes the length of this cycle");
	} else if (cyc->start_year != c->start) {
		char msg[160];
		snprintf(msg, sizeof msg,
		         "not the first year of one of the person's cycles (the first starts in %d; "
		         "the one containing %d runs %d-%d)", first, c->start, cyc->start_year,
		         cyc->end_year);
		api_error_add(errors, "cycle_start_year", "not_a_cycle_start", msg);
	} else if (core_date_compare(c->assessed_on, core_date_jan1(cyc->start_year)) < 0) {
		api_error_add(errors, "assessed_on", "before_cycle",
		              "the assessment cannot precede the cycle's first day");
	}
	return !api_errors_reply(r, errors);
}

static void assess_person(api_req *r, db_result *const *res, int n)
{
	assess_ctx *c = r->ctx;
	if (!api_compliance_person_found(r, res[0]))
		return;
	const core_rule_set *sets;
	int ns = api_rules_cached(&sets, db_result_value(res[1], 0, RULE_SETS_ALL_COL_RULE_SETS));
	long first;
	const char *industry;
	if (ns < 0 || db_result_int(res[0], 0, COMPLIANCE_CA_PERSON_COL_CYCLE_START_YEAR, &first) != 0 ||
	    db_result_str_opt(res[0], 0, COMPLIANCE_CA_PERSON_COL_INDUSTRY, &industry) != 0) {
		api_compliance_core_failure(r, CORE_EINVAL);
		return;
	}
	core_cycle cyc;
	int rc = core_cycle_locate(&cyc, sets, (size_t)ns, industry, (int)first, c->start);
	if (rc != 0 && rc != CORE_ENOTFOUND) {
		api_compliance_core_failure(r, rc);
		return;
	}
	if (!assess_cycle_ok(r, &cyc, rc, (int)first))
		return;
	snprintf(c->end_s, sizeof c->end_s, "%d", cyc.end_year);
	snprintf(c->start_s, sizeof c->start_s, "%d", c->start);
	(void)core_date_format(c->on_s, sizeof c->on_s, c->assessed_on);
	c->v[0] = r->path_params[0];
	c->v[1] = c->start_s;
	c->v[2] = c->end_s;
	c->v[3] = c->result;
	c->v[4] = c->on_s;
	c->v[5] = c->notes;
	c->calls[0] = (db_call){ DB_STMT_COMPLIANCE_CA_INSERT, c->v };
	api_db_run(r, c->calls, 1, assess_inserted);
}

static void assess_check(api_req *r, json_t *errors)
{
	assess_ctx *c = r->ctx;
	if (c->result && strcmp(c->result, "passed") != 0 && strcmp(c->result, "failed") != 0)
		api_error_add(errors, "result", "invalid", "must be passed or failed");
	/* an invalid date was left zero: never in the future */
	if (core_date_compare(c->assessed_on, api_today()) > 0)
		api_error_add(errors, "assessed_on", "future", "must not be in the future");
}

static void assessment_create(api_req *r)
{
	assess_ctx *c = r->ctx;
	c->calls[0] = (db_call){ DB_STMT_COMPLIANCE_CA_PERSON, r->path_params };
	c->calls[1] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	api_db_run(r, c->calls, 2, assess_person);
}

static const api_field assess_fields[] = {
	API_FIELD_YEAR_OF(assess_ctx, start, "cycle_start_year", API_REQUIRED),
	API_FIELD_STR(assess_ctx, result, "result", API_REQUIRED, 16),
	API_FIELD_DAY(assess_ctx, assessed_on, "assessed_on", API_REQUIRED),
	API_FIELD_STR(assess_ctx, notes, "notes", 0, 2000),
	API_FIELDS_END,
};
const api_op op_compliance_assessment_create = {
	.handler = assessment_create, .not_found = NOT_FOUND_DETAIL, .fields = assess_fields,
	.check = assess_check, .ctx_size = sizeof(assess_ctx), .flags = API_OP_TX,
};

/* ---- GET /v1/persons/{id}/cycle-assessments ----------------------------- */

static void assessment_list(api_req *r)
{
	const char *v[] = { r->path_params[0], r->page->after, r->page->limit_plus_one };
	api_list_run_in(r, r->page, DB_STMT_PERSON_VISIBLE, NOT_FOUND_DETAIL,
	                DB_STMT_COMPLIANCE_CA_LIST, v, 3);
}

const api_op op_compliance_assessment_list = { .handler = assessment_list,
                                               .not_found = NOT_FOUND_DETAIL,
                                               .flags = API_OP_PAGED };

/* ---- GET /v1/persons/{id}/cycle-assessments/{aid} ------------------------ */

const api_op op_compliance_assessment_get = {
	.handler = api_op_get_json, .stmt = DB_STMT_COMPLIANCE_CA_GET,
	.not_found = "no such cycle assessment in the caller's jurisdiction",
};
