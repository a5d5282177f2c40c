/*
 * Compliance, eligibility, the certificate and cycle assessments of a person
 * (API.md; DOMAIN.md ):
 *
 *   GET  /v1/persons/{id}/compliance?year=Y | ?from=Y1&to=Y2
 *   GET  /v1/persons/{id}/eligibility?purpose=…&as_of=D[&year=Y]
 *   GET  /v1/persons/{id}/certificate
 *   GET|POST /v1/persons/{id}/cycle-assessments
 *   GET  /v1/persons/{id}/cycle-assessments/{aid}
 *
 * Every decision is core's.  A person-year with records was decided at write
 * time (jxjy.person_year_summary, kept by api_summary_refresh and `jxjyctl
 * recompute`): the stored verdict is answered as it is.  A year without a
 * row has no records: core decides it here with zero hours under the rule
 * set R-6 selects.  Visibility is row-level security's: a person outside the
 * caller's jurisdiction has no row, hence 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/fields.h"
#include "render/json.h"
#include "http/log.h"
#include "http/paging.h"
#include "domain/rules.h"
#include "handlers.h"

#define RANGE_YEARS_MAX 20 /* ?from&to: at most this many years in one answer */
#define YEAR_MIN 1990      /* the schema's range of years */
#define YEAR_MAX 2100
#define SUMMARY_COLS 10    /* JXJY_COMPLIANCE_SUMMARY_COLS */

static void not_found(api_req *r)
{
	api_reply_problem(r, 404, "Not found", "no such person in the caller's jurisdiction");
}

static void bad_query(api_req *r, const char *detail)
{
	api_reply_problem(r, 400, "Bad query", detail);
}

/* A year in the query: decimal digits only, YEAR_MIN..YEAR_MAX. */
static bool parse_year(const char *s, int *out)
{
	if (!s || !*s || strlen(s) > 4)
		return false;
	int y = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		y = y * 10 + (*p - '0');
	}
	if (y < YEAR_MIN || y > YEAR_MAX)
		return false;
	*out = y;
	return true;
}

static int32_t tenths(const char *numeric)
{
	int32_t t = 0;
	if (!numeric || core_hours_parse(&t, numeric) != 0)
		return 0;
	return t;
}

/* ---- rule sets --------------------------------------------------------- */

/* core decides a year without records (zero hours). */
static int decide_zero(core_year_verdict *out, const core_rule_set *sets, int n,
                       const char *industry, core_level level, int year)
{
	const core_rule_set *rs = NULL;
	int rc = core_rules_select(&rs, sets, (size_t)n, industry, year);
	if (rc != 0)
		return rc;
	core_year_input in = { .year = year, .level = level };
	return core_year_evaluate(out, rs, &in);
}

/* The stored verdict of a person-year (columns from c on, in the order of
 * JXJY_COMPLIANCE_SUMMARY_COLS).  The shortfall is the stored requirement
 * less the stored earned hours, as core_year_evaluate computed it. */
static int verdict_from_row(core_year_verdict *v, const db_result *res, int row, int c, int year)
{
	memset(v, 0, sizeof *v);
	const char *rs = db_result_value(res, row, c);
	const char *level = db_result_value(res, row, c + 1);
	if (!rs || !level || core_level_parse(&v->level, level) != 0)
		return CORE_EINVAL;
	snprintf(v->rule_set, sizeof v->rule_set, "%s", rs);
	v->year = year;
	v->earned_public = tenths(db_result_value(res, row, c + 2));
	v->earned_professional = tenths(db_result_value(res, row, c + 3));
	v->pending_public = tenths(db_result_value(res, row, c + 4));
	v->pending_professional = tenths(db_result_value(res, row, c + 5));
	v->required_public = tenths(db_result_value(res, row, c + 6));
	v->required_professional = tenths(db_result_value(res, row, c + 7));
	const char *ok = db_result_value(res, row, c + 8);
	v->compliant = ok && ok[0] == 't';
	v->required_total = v->required_public + v->required_professional;
	v->earned_total = v->earned_public + v->earned_professional;
	v->shortfall_public = v->required_public > v->earned_public
	                          ? v->required_public - v->earned_public : 0;
	v->shortfall_professional = v->required_professional > v->earned_professional
	                                ? v->required_professional - v->earned_professional : 0;
	return 0;
}

static json_t *pair(int32_t pub, int32_t pro)
{
	return json_pack("{s:o, s:o}", "public", api_json_hours(pub), "professional",
	                 api_json_hours(pro));
}

/* The compliance object (API.md "compliance"); decided_at NULL when core
 * decided the year just now (no records, no stored row). */
static json_t *verdict_json(const char *person, const core_year_verdict *v, const char *decided_at)
{
	json_t *j = json_object();
	json_object_set_new(j, "person", json_string(person));
	json_object_set_new(j, "year", json_integer(v->year));
	json_object_set_new(j, "rule_set", json_string(v->rule_set));
	json_object_set_new(j, "title_level", json_string(core_level_name(v->level)));
	json_t *req = pair(v->required_public, v->required_professional);
	json_object_set_new(req, "total", api_json_hours(v->required_total));
	json_object_set_new(j, "required", req);
	json_t *earned = pair(v->earned_public, v->earned_professional);
	json_object_set_new(earned, "total", api_json_hours(v->earned_total));
	json_object_set_new(j, "earned", earned);
	json_object_set_new(j, "pending", pair(v->pending_public, v->pending_professional));
	json_object_set_new(j, "compliant", json_boolean(v->compliant));
	json_object_set_new(j, "shortfall", pair(v->shortfall_public, v->shortfall_professional));
	json_object_set_new(j, "decided_at", decided_at ? json_string(decided_at) : json_null());
	return j;
}

static void reply_no_rule_set(api_req *r, const char *field, int year)
{
	json_t *errors = json_array();
	char msg[96];
	snprintf(msg, sizeof msg, "no rule set applies to %d", year);
	api_error_add(errors, field, "no_rule_set", msg);
	api_reply_errors(r, 422, "Validation failed", errors);
}

static void reply_core_failure(api_req *r, int rc)
{
	log_error(r->request_id, "core refused stored data: %s", core_error_message(rc));
	api_reply_problem(r, 500, "Internal error", "the request failed; quote the request id");
}

/* ---- GET /v1/persons/{id}/compliance ----------------------------------- */

typedef struct year_entry {
	int year;
	bool stored;                 /* a decision is stored for the year */
	core_year_verdict v;
	const char *decided_at;      /* in the arena; NULL: decided now */
} year_entry;

typedef struct compliance_ctx {
	int from, to;
	bool range;
	char from_s[8], to_s[8];
	const char *v[3];
	db_call calls[1];
	const char *industry;        /* the person's, in the arena */
	core_level level;
	int n;
	year_entry years[]; /* to - from + 1 */
} compliance_ctx;

static void compliance_reply(api_req *r, compliance_ctx *c)
{
	json_t *items = json_array();
	for (int i = 0; i < c->n; i++)
		json_array_append_new(items, verdict_json(r->path_params[0], &c->years[i].v,
		                                          c->years[i].decided_at));
	if (c->range) {
		api_reply_json(r, 200, json_pack("{s:o}", "items", items));
	} else {
		json_t *one = json_incref(json_array_get(items, 0));
		json_decref(items);
		api_reply_json(r, 200, one);
	}
}

/* Years without a stored decision have no records: core decides them with
 * zero hours under the rule set R-6 selects. */
static void compliance_rules(api_req *r, db_result *const *res, int n)
{
	compliance_ctx *c = r->ctx;
	(void)n;
	const core_rule_set *sets;
	int ns = api_rules_cached(&sets, db_result_value(res[0], 0, 0));
	if (ns < 0) {
		reply_core_failure(r, CORE_EINVAL);
		return;
	}
	for (int i = 0; i < c->n; i++) {
		year_entry *e = &c->years[i];
		if (e->stored)
			continue;
		int rc = decide_zero(&e->v, sets, ns, c->industry, c->level, e->year);
		if (rc == CORE_ENOTFOUND) {
			reply_no_rule_set(r, c->range ? "from" : "year", e->year);
			return;
		}
		if (rc != 0) {
			reply_core_failure(r, rc);
			return;
		}
	}
	compliance_reply(r, c);
}

static void compliance_done(api_req *r, db_result *const *res, int n)
{
	compliance_ctx *c = r->ctx;
	const db_result *q = res[0];
	(void)n;
	int rows = db_result_rows(q);
	if (rows == 0) {
		not_found(r);
		return;
	}
	const char *lv = db_result_value(q, 0, 1);
	const char *industry = db_result_value(q, 0, 2);
	c->industry = industry ? api_arena_strdup(r->mem, industry) : NULL;
	if (!lv || core_level_parse(&c->level, lv) != 0) {
		reply_core_failure(r, CORE_EINVAL);
		return;
	}
	bool missing = false;
	for (int i = 0; i < rows && c->n < c->to - c->from + 1; i++) {
		year_entry *e = &c->years[c->n++];
		e->year = atoi(db_result_value(q, i, 0));
		e->stored = !db_result_is_null(q, i, 3);
		if (!e->stored) {
			missing = true;
			continue;
		}
		if (verdict_from_row(&e->v, q, i, 3, e->year) != 0) {
			reply_core_failure(r, CORE_EINVAL);
			return;
		}
		const char *at = db_result_value(q, i, 3 + SUMMARY_COLS - 1);
		e->decided_at = at ? api_arena_strdup(r->mem, at) : NULL;
	}
	if (!missing) {
		compliance_reply(r, c);
		return;
	}
	/* the results are gone after this callback: what is needed was copied */
	c->calls[0] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	api_db_run(r, c->calls, 1, compliance_rules);
}

void h_compliance_get(api_req *r)
{
	static const char *const allowed[] = { "year", "from", "to", NULL };
	if (!api_query_only(r, allowed))
		return;
	const char *year = api_query(r, "year"), *from = api_query(r, "from"), *to = api_query(r, "to");
	int y0, y1;
	bool range = false;
	if (year && (from || to)) {
		bad_query(r, "give either year or from and to");
		return;
	}
	if (year) {
		if (!parse_year(year, &y0)) {
			bad_query(r, "year must be a year from 1990 to 2100");
			return;
		}
		y1 = y0;
	} else if (from && to) {
		if (!parse_year(from, &y0) || !parse_year(to, &y1)) {
			bad_query(r, "from and to must be years from 1990 to 2100");
			return;
		}
		if (y1 < y0 || y1 - y0 + 1 > RANGE_YEARS_MAX) {
			bad_query(r, "to must not be before from, and a range covers at most 20 years");
			return;
		}
		range = true;
	} else {
		bad_query(r, "year (or from and to) is required");
		return;
	}
	if (!api_is_uuid(r->path_params[0])) {
		not_found(r);
		return;
	}
	compliance_ctx *c = api_arena_alloc(r->mem, sizeof *c + (size_t)(y1 - y0 + 1) * sizeof(year_entry));
	if (!c) {
		api_reply_problem(r, 503, "Service unavailable", "out of memory");
		return;
	}
	c->from = y0;
	c->to = y1;
	c->range = range;
	snprintf(c->from_s, sizeof c->from_s, "%d", c->from);
	snprintf(c->to_s, sizeof c->to_s, "%d", c->to);
	c->v[0] = r->path_params[0];
	c->v[1] = c->from_s;
	c->v[2] = c->to_s;
	c->calls[0] = (db_call){ c->range ? DB_STMT_COMPLIANCE_YEARS : DB_STMT_COMPLIANCE_YEAR, c->v };
	r->ctx = c;
	api_db_run(r, c->calls, 1, compliance_done);
}

/* ---- GET /v1/persons/{id}/eligibility ---------------------------------- */

typedef struct eligibility_ctx {
	core_purpose purpose;
	int year;          /* annual_assessment */
	core_date as_of;
	char lo[8], hi[8];
	const char *v[3];
	const char *v1[1];
	db_call calls[3];
	core_year_verdict years[CORE_CYCLE_YEARS_MAX];
} eligibility_ctx;

/* The latest assessment of the cycle recorded on or before as_of, or null. */
static json_t *cycle_assessment(const db_result *a, int start_year, core_date as_of)
{
	json_t *out = json_null();
	for (int i = 0; i < db_result_rows(a); i++) {
		core_date on;
		if (atoi(db_result_value(a, i, 0)) != start_year ||
		    core_date_parse(&on, db_result_value(a, i, 3)) != 0 ||
		    core_date_compare(on, as_of) > 0)
			continue;
		json_decref(out);
		out = json_pack("{s:s, s:s}", "result", db_result_value(a, i, 2), "assessed_on",
		                db_result_value(a, i, 3));
	}
	return out;
}

static void eligibility_done(api_req *r, db_result *const *res, int n)
{
	eligibility_ctx *c = r->ctx;
	const db_result *q = res[0];
	(void)n;
	if (db_result_rows(q) == 0) {
		not_found(r);
		return;
	}
	const core_rule_set *sets;
	int ns = api_rules_cached(&sets, db_result_value(res[2], 0, 0));
	core_level level;
	const char *lv = db_result_value(q, 0, 1);
	const char *industry = db_result_value(q, 0, 2);
	int start = atoi(db_result_value(q, 0, 0));
	if (ns < 0 || !lv || core_level_parse(&level, lv) != 0) {
		reply_core_failure(r, CORE_EINVAL);
		return;
	}
	bool annual = c->purpose == CORE_PURPOSE_ANNUAL_ASSESSMENT;
	int at = annual ? c->year : c->as_of.y;
	core_eligibility_input in = { .purpose = c->purpose, .year = c->year, .as_of = c->as_of };
	int rc = core_cycle_locate(&in.cycle, sets, (size_t)ns, industry, start, at);
	if (rc == CORE_ENOTFOUND) {
		reply_no_rule_set(r, annual ? "year" : "as_of", start);
		return;
	}
	if (rc != 0) {
		reply_core_failure(r, rc);
		return;
	}
	/* the years core examines: a stored verdict, or core's with zero hours */
	int first = annual ? c->year : in.cycle.start_year;
	int last = annual ? c->year : c->as_of.y - 1;
	size_t ny = 0;
	for (int y = first; y <= last && ny < CORE_CYCLE_YEARS_MAX; y++) {
		core_year_verdict *v = &c->years[ny];
		int row = -1;
		for (int i = 0; i < db_result_rows(q); i++)
			if (!db_result_is_null(q, i, 3) && atoi(db_result_value(q, i, 3)) == y)
				row = i;
		rc = row >= 0 ? verdict_from_row(v, q, row, 4, y)
		              : decide_zero(v, sets, ns, industry, level, y);
		if (rc == CORE_ENOTFOUND) {
			reply_no_rule_set(r, annual ? "year" : "as_of", y);
			return;
		}
		if (rc != 0) {
			reply_core_failure(r, rc);
			return;
		}
		ny++;
	}
	in.years = c->years;
	in.n_years = ny;
	core_eligibility e;
	rc = core_eligibility_decide(&e, &in);
	if (rc != 0) {
		reply_core_failure(r, rc);
		return;
	}
	char as_of[CORE_DATE_BUFSZ];
	(void)core_date_format(as_of, sizeof as_of, c->as_of);
	json_t *failing = json_array();
	for (size_t i = 0; i < e.n_failing; i++) {
		const core_year_shortfall *s = &e.failing[i];
		json_array_append_new(failing,
			json_pack("{s:i, s:s, s:o, s:o, s:o}", "year", s->year, "rule_set", s->rule_set,
			          "shortfall", pair(s->shortfall_public, s->shortfall_professional),
			          "required", pair(s->required_public, s->required_professional),
			          "earned", pair(s->earned_public, s->earned_professional)));
	}
	json_t *reasons = json_array();
	for (size_t i = 0; i < e.n_reasons; i++)
		json_array_append_new(reasons, json_string(e.reasons[i]));
	json_t *cycle = json_pack("{s:i, s:i, s:s, s:o}", "start_year", e.cycle_start, "end_year",
	                          e.cycle_end, "rule_set", e.rule_set, "assessment",
	                          cycle_assessment(res[1], e.cycle_start, c->as_of));
	json_t *body = json_pack("{s:s, s:s, s:s, s:b, s:o, s:o, s:o}", "person", r->path_params[0],
	                         "purpose", core_purpose_name(c->purpose), "as_of", as_of,
	                         "eligible", e.eligible, "cycle", cycle, "failing_years", failing,
	                         "reasons", reasons);
	if (body && annual)
		json_object_set_new(body, "year", json_integer(c->year));
	api_reply_json(r, 200, body);
}

void h_compliance_eligibility(api_req *r)
{
	static const char *const allowed[] = { "purpose", "as_of", "year", NULL };
	if (!api_query_only(r, allowed))
		return;
	eligibility_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	if (!c) {
		api_reply_problem(r, 503, "Service unavailable", "out of memory");
		return;
	}
	const char *purpose = api_query(r, "purpose");
	if (!purpose || core_purpose_parse(&c->purpose, purpose) != 0) {
		bad_query(r, "purpose must be annual_assessment, hiring, renewal or promotion");
		return;
	}
	const char *as_of = api_query(r, "as_of");
	if (as_of) {
		if (core_date_parse(&c->as_of, as_of) != 0 || c->as_of.y < YEAR_MIN ||
		    c->as_of.y > YEAR_MAX) {
			bad_query(r, "as_of must be a real date YYYY-MM-DD from 1990 to 2100");
			return;
		}
	} else {
		c->as_of = api_today();
	}
	const char *year = api_query(r, "year");
	bool annual = c->purpose == CORE_PURPOSE_ANNUAL_ASSESSMENT;
	if (annual && !parse_year(year, &c->year)) {
		bad_query(r, "annual_assessment needs year, a year from 1990 to 2100");
		return;
	}
	if (!annual && year) {
		bad_query(r, "year is only for annual_assessment; the others use as_of");
		return;
	}
	if (!api_is_uuid(r->path_params[0])) {
		not_found(r);
		return;
	}
	/* stored rows of every year the cycle containing the year in question
	 * could cover (a cycle is at most CORE_CYCLE_YEARS_MAX years) */
	int hi = annual ? c->year : c->as_of.y - 1;
	int lo = annual ? c->year : c->as_of.y - CORE_CYCLE_YEARS_MAX;
	snprintf(c->lo, sizeof c->lo, "%d", lo);
	snprintf(c->hi, sizeof c->hi, "%d", hi);
	c->v[0] = r->path_params[0];
	c->v[1] = c->lo;
	c->v[2] = c->hi;
	c->v1[0] = r->path_params[0];
	c->calls[0] = (db_call){ DB_STMT_COMPLIANCE_ELIGIBILITY_YEARS, c->v };
	c->calls[1] = (db_call){ DB_STMT_COMPLIANCE_ASSESSMENTS_OF, c->v1 };
	c->calls[2] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	r->ctx = c;
	api_db_run(r, c->calls, 3, eligibility_done);
}

/* ---- GET /v1/persons/{id}/certificate ---------------------------------- */

typedef struct certificate_ctx {
	const char *v[1];
	db_call calls[2];
} certificate_ctx;

static void certificate_done(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const db_result *p = res[0], *q = res[1];
	if (db_result_rows(p) == 0) {
		not_found(r);
		return;
	}
	json_t *person = json_loads(db_result_value(p, 0, 0), 0, NULL);
	core_level level;
	const char *lv = db_result_value(p, 0, 1);
	const char *industry = db_result_value(p, 0, 2);
	if (!person || !lv || core_level_parse(&level, lv) != 0) {
		json_decref(person);
		reply_core_failure(r, CORE_EINVAL);
		return;
	}
	json_t *years = json_array();
	for (int i = 0; i < db_result_rows(q); i++) {
		int year = atoi(db_result_value(q, i, 0));
		core_year_verdict v;
		int rc = 0;
		const char *decided_at = NULL;
		if (!db_result_is_null(q, i, 6)) {
			rc = verdict_from_row(&v, q, i, 6, year);
			decided_at = db_result_value(q, i, 6 + SUMMARY_COLS - 1);
		} else {
			/* no stored decision yet: core decides from the records shown */
			const core_rule_set *sets, *rs = NULL;
			int ns = api_rules_cached(&sets, db_result_value(q, i, 6 + SUMMARY_COLS));
			rc = ns < 0 ? CORE_EINVAL : core_rules_select(&rs, sets, (size_t)ns, industry, year);
			if (rc == 0) {
				core_year_input in = { .year = year, .level = level,
				                       .verified_public = tenths(db_result_value(q, i, 2)),
				                       .verified_professional = tenths(db_result_value(q, i, 3)),
				                       .pending_public = tenths(db_result_value(q, i, 4)),
				                       .pending_professional = tenths(db_result_value(q, i, 5)) };
				rc = core_year_evaluate(&v, rs, &in);
			}
		}
		json_t *summary = rc == 0 ? verdict_json(r->path_params[0], &v, decided_at) : json_null();
		if (rc != 0 && rc != CORE_ENOTFOUND) {
			json_decref(years);
			json_decref(person);
			reply_core_failure(r, rc);
			return;
		}
		json_t *records = json_loads(db_result_value(q, i, 1), 0, NULL);
		json_array_append_new(years, json_pack("{s:i, s:o, s:o}", "year", year, "summary",
		                                       summary, "records",
		                                       records ? records : json_array()));
	}
	api_reply_json(r, 200, json_pack("{s:o, s:o}", "person", person, "years", years));
}

void h_compliance_certificate(api_req *r)
{
	static const char *const allowed[] = { NULL };
	if (!api_query_only(r, allowed))
		return;
	if (!api_is_uuid(r->path_params[0])) {
		not_found(r);
		return;
	}
	certificate_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	if (!c) {
		api_reply_problem(r, 503, "Service unavailable", "out of memory");
		return;
	}
	c->v[0] = r->path_params[0];
	c->calls[0] = (db_call){ DB_STMT_COMPLIANCE_CERT_PERSON, c->v };
	c->calls[1] = (db_call){ DB_STMT_COMPLIANCE_CERT_YEARS, c->v };
	r->ctx = c;
	api_db_run(r, c->calls, 2, certificate_done);
}

/* ---- cycle assessments (R-8) ------------------------------------------- */

typedef struct assess_ctx {
	long start;
	core_date assessed_on;
	char end_s[8], start_s[8], on_s[CORE_DATE_BUFSZ];
	const char *result, *notes;
	const char *v[6];
	db_call calls[2];
} assess_ctx;

static void assess_inserted(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *a = db_result_value(res[0], 0, 0);
	if (!a) {
		not_found(r);
		return;
	}
	json_t *j = json_loads(a, 0, NULL);
	const char *id = j ? json_string_value(json_object_get(j, "id")) : NULL;
	char *loc = id ? api_arena_printf(r->mem, "/v1/persons/%s/cycle-assessments/%s",
	                                  r->path_params[0], id) : NULL;
	json_decref(j);
	if (loc)
		api_reply_header(r, "Location", loc);
	api_reply_raw(r, 201, "application/json", a, strlen(a));
}

/* core fixes the cycle (R-8 with R-6): cycle_start_year must start one of
 * the person's cycles; its end follows from the rule set's cycle length */
static void assess_person(api_req *r, db_result *const *res, int n)
{
	assess_ctx *c = r->ctx;
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		not_found(r);
		return;
	}
	const core_rule_set *sets;
	int ns = api_rules_cached(&sets, db_result_value(res[1], 0, 0));
	if (ns < 0) {
		reply_core_failure(r, CORE_EINVAL);
		return;
	}
	int first = atoi(db_result_value(res[0], 0, 0));
	core_cycle cyc;
	int rc = core_cycle_locate(&cyc, sets, (size_t)ns, db_result_value(res[0], 0, 1), first,
	                           (int)c->start);
	json_t *errors = json_array();
	if (rc == CORE_ENOTFOUND) {
		api_error_add(errors, "cycle_start_year", "no_rule_set",
		              "no rule set fixes the length of this cycle");
	} else if (rc != 0) {
		json_decref(errors);
		reply_core_failure(r, rc);
		return;
	} else if (cyc.start_year != (int)c->start) {
		char msg[160];
		snprintf(msg, sizeof msg,
		         "not the first year of one of the person's cycles (the first starts in %d; "
		         "the one containing %ld runs %d-%d)", first, c->start, cyc.start_year,
		         cyc.end_year);
		api_error_add(errors, "cycle_start_year", "not_a_cycle_start", msg);
	} else if (core_date_compare(c->assessed_on, core_date_jan1(cyc.start_year)) < 0) {
		api_error_add(errors, "assessed_on", "before_cycle",
		              "the assessment cannot precede the cycle's first day");
	}
	if (json_array_size(errors) > 0) {
		api_reply_errors(r, 422, "Validation failed", errors);
		return;
	}
	json_decref(errors);
	snprintf(c->end_s, sizeof c->end_s, "%d", cyc.end_year);
	snprintf(c->start_s, sizeof c->start_s, "%ld", c->start);
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

void h_compliance_assessment_create(api_req *r)
{
	static const char *const fields[] = { "cycle_start_year", "result", "assessed_on", "notes",
	                                      NULL };
	if (!json_is_object(r->body)) {
		api_reply_problem(r, 422, "Validation failed", "the body must be a JSON object");
		return;
	}
	assess_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	if (!c) {
		api_reply_problem(r, 503, "Service unavailable", "out of memory");
		return;
	}
	json_t *errors = json_array();
	api_json_unknown_fields(r->body, fields, errors);
	(void)api_field_int(r->body, "cycle_start_year", true, YEAR_MIN, YEAR_MAX, &c->start, errors);
	if (api_field_string(r->body, "result", true, 16, &c->result, errors) &&
	    strcmp(c->result, "passed") != 0 && strcmp(c->result, "failed") != 0)
		api_error_add(errors, "result", "invalid", "must be passed or failed");
	if (api_field_date(r->body, "assessed_on", true, &c->assessed_on, errors) &&
	    core_date_compare(c->assessed_on, api_today()) > 0)
		api_error_add(errors, "assessed_on", "future", "must not be in the future");
	(void)api_field_string(r->body, "notes", false, 2000, &c->notes, errors);
	if (json_array_size(errors) > 0) {
		api_reply_errors(r, 422, "Validation failed", errors);
		return;
	}
	json_decref(errors);
	if (!api_is_uuid(r->path_params[0])) {
		not_found(r);
		return;
	}
	c->v[0] = r->path_params[0];
	c->calls[0] = (db_call){ DB_STMT_COMPLIANCE_CA_PERSON, c->v };
	c->calls[1] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	r->ctx = c;
	api_db_tx(r);
	api_db_run(r, c->calls, 2, assess_person);
}

typedef struct assess_list_ctx {
	api_page pg;
	const char *v[3];
	const char *v1[1];
	db_call calls[2];
} assess_list_ctx;

static void assess_list_done(api_req *r, db_result *const *res, int n)
{
	assess_list_ctx *c = r->ctx;
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		not_found(r);
		return;
	}
	api_page_reply(r, &c->pg, res[1], 0, 1);
}

void h_compliance_assessment_list(api_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", NULL };
	if (!api_query_only(r, allowed))
		return;
	assess_list_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	if (!c) {
		api_reply_problem(r, 503, "Service unavailable", "out of memory");
		return;
	}
	if (!api_page_read(r, &c->pg))
		return;
	if (c->pg.after && !api_cursor_is_time_id(c->pg.after)) {
		bad_query(r, "cursor is not one this service issued");
		return;
	}
	if (!api_is_uuid(r->path_params[0])) {
		not_found(r);
		return;
	}
	c->v1[0] = r->path_params[0];
	c->v[0] = r->path_params[0];
	c->v[1] = c->pg.after;
	c->v[2] = c->pg.limit_plus_one;
	c->calls[0] = (db_call){ DB_STMT_PERSON_VISIBLE, c->v1 };
	c->calls[1] = (db_call){ DB_STMT_COMPLIANCE_CA_LIST, c->v };
	r->ctx = c;
	api_db_run(r, c->calls, 2, assess_list_done);
}

static void assess_get_done(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *a = db_result_value(res[0], 0, 0);
	if (!a) {
		api_reply_problem(r, 404, "Not found",
		                  "no such cycle assessment in the caller's jurisdiction");
		return;
	}
	api_reply_raw(r, 200, "application/json", a, strlen(a));
}

void h_compliance_assessment_get(api_req *r)
{
	static const char *const allowed[] = { NULL };
	if (!api_query_only(r, allowed))
		return;
	if (!api_is_uuid(r->path_params[0]) || !api_is_uuid(r->path_params[1])) {
		api_reply_problem(r, 404, "Not found",
		                  "no such cycle assessment in the caller's jurisdiction");
		return;
	}
	const char **v = api_arena_alloc(r->mem, 2 * sizeof *v);
	db_call *call = api_arena_alloc(r->mem, sizeof *call);
	if (!v || !call) {
		api_reply_problem(r, 503, "Service unavailable", "out of memory");
		return;
	}
	v[0] = r->path_params[0];
	v[1] = r->path_params[1];
	*call = (db_call){ DB_STMT_COMPLIANCE_CA_GET, v };
	api_db_run(r, call, 1, assess_get_done);
}

/* ---- operations of the route table (http/op.h) -------------------------- */

const api_op op_compliance_assessment_create = { .handler = h_compliance_assessment_create, .flags = API_OP_ANY_QUERY };
const api_op op_compliance_assessment_get = { .handler = h_compliance_assessment_get, .flags = API_OP_ANY_QUERY };
const api_op op_compliance_assessment_list = { .handler = h_compliance_assessment_list, .flags = API_OP_ANY_QUERY };
const api_op op_compliance_certificate = { .handler = h_compliance_certificate, .flags = API_OP_ANY_QUERY };
const api_op op_compliance_eligibility = { .handler = h_compliance_eligibility, .flags = API_OP_ANY_QUERY };
const api_op op_compliance_get = { .handler = h_compliance_get, .flags = API_OP_ANY_QUERY };
