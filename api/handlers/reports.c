/*
 * GET /v1/reports/annual?year=Y[&district=&industry=&unit=][&group_by=…]
 * (R-25 统计): headcount, compliance, hours by category, form and class
 * type, trainees per base and funding by payer, for the caller's scope
 * (domain/scope.h), as JSON, CSV (Accept: text/csv) or a spreadsheet (Accept:
 * application/vnd.openxmlformats-officedocument.spreadsheetml.sheet).
 *
 * Where the figures come from (sql/0003_reports.sql), in one round trip:
 *   headcount, by_title_level   report_headcount: in-service persons now in
 *                               the scope, by their current title level
 *   compliant                   report_compliance: those of them whose
 *                               person-year is compliant, as core decided it
 *                               (person_year_summary); the rate is core's
 *                               core_stats_rate
 *   hours, by_form, by_class    report_hours: verified records of the year
 *                               whose person is now in the scope (also
 *                               persons who have left since: the training
 *                               happened); achievements have no class type
 *   trainees_by_base, funding   report_trainees: completed enrolments of the
 *                               year's projects of persons now in the scope
 * The model is handlers/report_model.c, the answers render/report_*.c.
 * A base's report covers its own projects: headcount = its in-service
 * trainees of the year, hours = verified records of its projects, its
 * trainees and funding; compliance is not a base's to read (permission
 * matrix: compliance —), so compliant and compliance_rate are null.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "domain/scope.h"
#include "handlers/report_model.h"
#include "render/report.h"
#include "handlers.h"

enum { OUT_JSON, OUT_CSV, OUT_XLSX };

#define YEAR_INVALID "year is required: a year from " COMPLIANCE_YEARS

/* group_by: district, industry, unit or title_level (api_param's signature) */
static int api_parse_group_by(void *out, const char *s)
{
	return strcmp(s, "district") && strcmp(s, "industry") && strcmp(s, "unit") &&
	       strcmp(s, "title_level") ? -1 : 0;
}

typedef struct annual_ctx {
	/* the query (annual_params) */
	const char *year_q, *district, *industry, *unit, *group_by;
	api_report p;
	int out;
	char year_s[8];
	const char *v_group[4], *v_base[6], *v_comp[5], *v_hours[6], *v_train[6], *v_names[3];
	db_call calls[API_REPORT__CALLS];
} annual_ctx;

static void annual_done(api_req *r, db_result *const *res, int n)
{
	annual_ctx *c = r->ctx;
	if (!api_scope_verify(r, &c->p.scope, res[API_REPORT_SCOPE]))
		return;
	if (api_report_build(&c->p, res) != 0) {
		api_reply_problem(r, 500, "Internal error", "a figure of the report could not be read");
		return;
	}
	switch (c->out) {
	case OUT_CSV: api_report_reply_csv(&c->p); break;
	case OUT_XLSX: api_report_reply_xlsx(&c->p); break;
	default: api_report_reply_json(&c->p); break;
	}
}

static int wanted_output(api_req *r)
{
	const char *a = r->ev ? evhttp_find_header(evhttp_request_get_input_headers(r->ev), "Accept") : NULL;
	if (a && strstr(a, "spreadsheetml.sheet"))
		return OUT_XLSX;
	if (api_wants_csv(r))
		return OUT_CSV;
	return OUT_JSON;
}

/* The batch: the scope check, the forms, the group names and the figures. */
static void annual_calls(api_req *r, annual_ctx *c)
{
	const api_scope *s = &c->p.scope;
	const char *g = c->p.group_by;
	const char *vg[] = { g, s->district, s->industry, s->unit, s->base, c->year_s };
	memcpy(c->v_group, vg, sizeof c->v_group); /* $1..$4 */
	memcpy(c->v_base, vg, sizeof c->v_base);   /* $1..$6 */
	const char *vc[] = { g, s->district, s->industry, s->unit, c->year_s };
	memcpy(c->v_comp, vc, sizeof c->v_comp);
	memcpy(c->v_hours, vg, sizeof c->v_hours);
	memcpy(c->v_train, vg, sizeof c->v_train);
	const char *vn[] = { g, s->district, s->unit };
	memcpy(c->v_names, vn, sizeof c->v_names);
	db_call *k = c->calls;
	k[API_REPORT_SCOPE] = (db_call){ DB_STMT_REPORTS_SCOPE, api_scope_check_values(r, s) };
	k[API_REPORT_FORMS] = (db_call){ DB_STMT_REPORTS_FORMS, NULL };
	k[API_REPORT_NAMES] = (db_call){ DB_STMT_REPORTS_NAMES, c->v_names };
	k[API_REPORT_HEAD] = c->p.base_caller
	                             ? (db_call){ DB_STMT_REPORTS_BASE_HEADCOUNT, c->v_base }
	                             : (db_call){ DB_STMT_REPORTS_HEADCOUNT, c->v_comp };
	/* a base reads no compliance: the call is kept (the layout of the batch
	 * is fixed) but its result ignored — report_compliance shows it nothing */
	k[API_REPORT_COMP] = (db_call){ DB_STMT_REPORTS_COMPLIANCE, c->v_comp };
	k[API_REPORT_HOURS] = (db_call){ DB_STMT_REPORTS_HOURS, c->v_hours };
	k[API_REPORT_TRAIN] = (db_call){ DB_STMT_REPORTS_TRAINING, c->v_train };
}

static void reports_annual(api_req *r)
{
	annual_ctx *c = r->ctx;
	api_report *p = &c->p;
	p->r = r;
	/* required here, unlike a list's ?year= */
	if (!c->year_q) {
		api_reply_problem(r, 400, "Bad query", YEAR_INVALID);
		return;
	}
	p->year = strtol(c->year_q, NULL, 10);
	p->group_by = c->group_by;
	if (!api_scope_clamp(r, &p->scope, c->district, c->industry, c->unit))
		return;
	c->out = wanted_output(r);
	p->base_caller = r->claims.role == API_ROLE_BASE;
	p->level_groups = p->group_by && strcmp(p->group_by, "title_level") == 0;
	snprintf(c->year_s, sizeof c->year_s, "%ld", p->year);
	annual_calls(r, c);
	api_db_run(r, c->calls, API_REPORT__CALLS, annual_done);
}

static const api_param annual_params[] = {
	API_PARAM(annual_ctx, year_q, "year", API_PARAM_YEAR, YEAR_INVALID),
	API_PARAM(annual_ctx, district, "district", API_PARAM_DISTRICT,
	          "district must be a six-digit district code"),
	API_PARAM(annual_ctx, industry, "industry", API_PARAM_INDUSTRY, NULL),
	API_PARAM(annual_ctx, unit, "unit", API_PARAM_UUID, "unit must be a unit id"),
	API_PARAM_ENUM_OF(annual_ctx, group_by, "group_by", group_by,
	                  "group_by must be district, industry, unit or title_level"),
	API_PARAMS_END,
};
const api_op op_reports_annual = { .handler = reports_annual, .params = annual_params,
	                           .ctx_size = sizeof(annual_ctx) };
