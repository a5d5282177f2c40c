/*
 * Compliance and eligibility of a person (API.md; DOMAIN.md,
 * R-15), and the verdicts of person-years the certificate shares:
 *
 *   GET  /v1/persons/{id}/compliance?year=Y | ?from=Y1&to=Y2
 *   GET  /v1/persons/{id}/eligibility?purpose=…&as_of=D[&year=Y]
 *
 * (the certificate is certificate.c's, cycle assessments
 * cycle_assessments.c's).
 *
 * Every decision is core's.  A person-year with records was decided at write
 * time (jxjy.person_year_summary, kept by api_summary_refresh and `jxjyctl
 * recompute`): the stored verdict is answered as it is.  A year without a
 * row has no records: core decides it here with zero hours under the rule
 * set R-6 selects.  Visibility is row-level security's: a person outside the
 * caller's jurisdiction has no row, hence 404.  The compliance and
 * eligibility reads are the hot path: one round trip when every year is
 * stored, a second (the rule sets) only for a year that is not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/fields.h"
#include "http/log.h"
#include "http/resource.h"
#include "render/json.h"
#include "render/jw.h"
#include "domain/rules.h"
#include "domain/reasons.h"
#include "handlers.h"

#define NOT_FOUND_DETAIL COMPLIANCE_PERSON_NOT_FOUND
#define RANGE_YEARS_MAX 20 /* ?from&to: at most this many years in one answer */

static const api_compliance_cols year_cols = API_COMPLIANCE_COLS_OF(COMPLIANCE_YEAR);
static const api_compliance_cols eligibility_cols =
	API_COMPLIANCE_COLS_OF(COMPLIANCE_ELIGIBILITY_YEARS);

/* one reading of all three: ?year= (stored or not) and ?from&to answer the
 * same columns */
#define SAME_COL(name) ((int)COMPLIANCE_YEAR_COL_##name == (int)COMPLIANCE_YEARS_COL_##name && \
                        (int)COMPLIANCE_YEAR_COL_##name == (int)COMPLIANCE_YEAR_STORED_COL_##name)
_Static_assert(SAME_COL(YEAR) && SAME_COL(RULE_SET) && SAME_COL(SUMMARY_TITLE_LEVEL) &&
               SAME_COL(PUBLIC_VERIFIED) && SAME_COL(PROFESSIONAL_VERIFIED) &&
               SAME_COL(PUBLIC_PENDING) && SAME_COL(PROFESSIONAL_PENDING) &&
               SAME_COL(REQUIRED_PUBLIC) && SAME_COL(REQUIRED_PROFESSIONAL) &&
               SAME_COL(COMPLIANT) && SAME_COL(DECIDED_AT) && SAME_COL(AS_OF) &&
               SAME_COL(BASIS_LEVEL) && SAME_COL(BASIS_INDUSTRY) && SAME_COL(BASIS_RULE_SET) &&
               (int)COMPLIANCE_YEAR_COL__COUNT == (int)COMPLIANCE_YEARS_COL__COUNT &&
               (int)COMPLIANCE_YEAR_COL__COUNT == (int)COMPLIANCE_YEAR_STORED_COL__COUNT,
               "COMPLIANCE_YEAR, _STORED and COMPLIANCE_YEARS answer the same columns");
#undef SAME_COL

/* the eligibility reads share their leading columns */
#define SAME_ECOL(name) \
	((int)COMPLIANCE_ELIGIBILITY_YEARS_COL_##name == (int)COMPLIANCE_ELIGIBILITY_STORED_COL_##name)
_Static_assert(SAME_ECOL(CYCLE_START_YEAR) && SAME_ECOL(FIRST_YEAR) && SAME_ECOL(TITLE_LEVEL) &&
               SAME_ECOL(INDUSTRY) && SAME_ECOL(YEAR) && SAME_ECOL(RULE_SET) &&
               SAME_ECOL(SUMMARY_TITLE_LEVEL) && SAME_ECOL(PUBLIC_VERIFIED) &&
               SAME_ECOL(PROFESSIONAL_VERIFIED) && SAME_ECOL(PUBLIC_PENDING) &&
               SAME_ECOL(PROFESSIONAL_PENDING) && SAME_ECOL(REQUIRED_PUBLIC) &&
               SAME_ECOL(REQUIRED_PROFESSIONAL) && SAME_ECOL(COMPLIANT) && SAME_ECOL(DECIDED_AT) &&
               SAME_ECOL(AS_OF) && SAME_ECOL(BASIS_LEVEL) && SAME_ECOL(BASIS_INDUSTRY) &&
               SAME_ECOL(BASIS_RULE_SET) &&
               (int)COMPLIANCE_ELIGIBILITY_STORED_COL_CHANGED ==
                   (int)COMPLIANCE_ELIGIBILITY_YEARS_COL__COUNT,
               "COMPLIANCE_ELIGIBILITY_STORED answers the columns of _YEARS, then its own");
#undef SAME_ECOL

/* An integer column that holds a year (or a cycle's first year). */
static int result_year(const db_result *res, int row, int col, int *out)
{
	long y;
	int rc = db_result_int(res, row, col, &y);
	if (rc == 0)
		*out = (int)y;
	return rc;
}

int api_compliance_level_read(const db_result *res, int row, int col, core_level *out)
{
	const char *s;
	if (db_result_str(res, row, col, &s) != 0 || core_level_parse(out, s) != 0)
		return CORE_EINVAL;
	return 0;
}

/* 400 "Bad query": false, for the query readers to return */
static bool bad_query(api_req *r, const char *detail)
{
	api_reply_problem(r, 400, "Bad query", detail);
	return false;
}

/* A year the pipeline checked (api_param): API_YEAR_MIN..API_YEAR_MAX. */
static int year_of(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

bool api_compliance_person_found(api_req *r, const db_result *q)
{
	if (db_result_rows(q) > 0)
		return true;
	api_reply_not_found(r, NOT_FOUND_DETAIL);
	return false;
}

void api_compliance_core_failure(api_req *r, int rc)
{
	log_error(r->request_id, "core refused stored data: %s", core_error_message(rc));
	api_reply_problem(r, 500, "Internal error", "the request failed; quote the request id");
}

/* ---- verdicts ---------------------------------------------------------- */

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

int api_compliance_verdict_read(core_year_verdict *v, const db_result *res, int row,
                                const api_compliance_cols *k, int year)
{
	*v = (core_year_verdict){ .year = year };
	const char *rs;
	if (db_result_str(res, row, k->rule_set, &rs) != 0 ||
	    api_compliance_level_read(res, row, k->level, &v->level) != 0 ||
	    db_result_hours(res, row, k->earned_public, &v->earned_public) != 0 ||
	    db_result_hours(res, row, k->earned_professional, &v->earned_professional) != 0 ||
	    db_result_hours(res, row, k->pending_public, &v->pending_public) != 0 ||
	    db_result_hours(res, row, k->pending_professional, &v->pending_professional) != 0 ||
	    db_result_hours(res, row, k->required_public, &v->required_public) != 0 ||
	    db_result_hours(res, row, k->required_professional, &v->required_professional) != 0 ||
	    db_result_bool(res, row, k->compliant, &v->compliant) != 0)
		return CORE_EINVAL;
	snprintf(v->rule_set, sizeof v->rule_set, "%s", rs);
	v->required_total = v->required_public + v->required_professional;
	v->earned_total = v->earned_public + v->earned_professional;
	v->shortfall_public = v->required_public > v->earned_public
	                          ? v->required_public - v->earned_public : 0;
	v->shortfall_professional = v->required_professional > v->earned_professional
	                                ? v->required_professional - v->earned_professional : 0;
	return 0;
}

/* The answers are written with render/jw.h (the compliance read is the hot
 * path: no jansson tree per request); the jansson values the other answers
 * embed are parsed from the same writers, so each shape is defined once. */

/* jansson's value of a writer's text (a fragment this file wrote) */
static json_t *jw_value(api_jw *w)
{
	json_t *j = json_loads(w->buf, JSON_DECODE_ANY, NULL);
	api_jw_free(w);
	return j;
}

/* {"public","professional"[,"total"]} as key's value */
static void pair_write(api_jw *w, const char *key, int32_t pub, int32_t pro, const int32_t *total)
{
	api_jw_key(w, key);
	api_jw_obj(w);
	api_jw_key(w, "public");
	api_jw_hours(w, pub);
	api_jw_key(w, "professional");
	api_jw_hours(w, pro);
	if (total) {
		api_jw_key(w, "total");
		api_jw_hours(w, *total);
	}
	api_jw_obj_end(w);
}

/* the members of a verdict (API.md "compliance"), inside an open object */
static void verdict_write(api_jw *w, const char *person, const core_year_verdict *v,
                          const char *decided_at)
{
	api_jw_key(w, "person");
	api_jw_str(w, person);
	api_jw_key(w, "year");
	api_jw_int(w, v->year);
	api_jw_key(w, "rule_set");
	api_jw_str(w, v->rule_set);
	api_jw_key(w, "title_level");
	api_jw_str(w, core_level_name(v->level));
	pair_write(w, "required", v->required_public, v->required_professional, &v->required_total);
	pair_write(w, "earned", v->earned_public, v->earned_professional, &v->earned_total);
	pair_write(w, "pending", v->pending_public, v->pending_professional, NULL);
	api_jw_key(w, "compliant");
	api_jw_bool(w, v->compliant);
	pair_write(w, "shortfall", v->shortfall_public, v->shortfall_professional, NULL);
	api_jw_key(w, "decided_at");
	api_jw_str(w, decided_at);
}

json_t *api_compliance_verdict_json(const char *person, const core_year_verdict *v,
                                    const char *decided_at)
{
	api_jw w;
	api_jw_init(&w);
	api_jw_obj(&w);
	verdict_write(&w, person, v, decided_at);
	api_jw_obj_end(&w);
	return jw_value(&w);
}

/* ---- explanations (DOMAIN.md "Every decision says why") ------------------ */

/* The language of the answer (Accept-Language; zh-CN by default), said in
 * Content-Language; the answer varies with it. */
static api_lang answer_lang(api_req *r)
{
	api_lang lang = api_lang_negotiate(api_req_header(r, "Accept-Language"));
	api_reply_header(r, "Content-Language", api_lang_tag(lang));
	api_reply_header(r, "Vary", "Accept-Language");
	return lang;
}

/* One reason as the API shows it: code, rule, the figures it has, message. */
static void reason_write(api_jw *w, const core_reason *x, api_lang lang)
{
	char msg[API_REASON_MSG_MAX];
	if (api_reason_message(msg, sizeof msg, lang, x) != API_REASON_OK)
		msg[0] = '\0';
	api_jw_obj(w);
	api_jw_key(w, "code");
	api_jw_str(w, core_reason_code_name(x->code));
	api_jw_key(w, "rule");
	api_jw_str(w, x->rule);
	if (x->year) {
		api_jw_key(w, "year");
		api_jw_int(w, x->year);
	}
	if (x->first_year && x->last_year) {
		api_jw_key(w, "first_year");
		api_jw_int(w, x->first_year);
		api_jw_key(w, "last_year");
		api_jw_int(w, x->last_year);
	}
	if (x->code == CORE_REASON_PUBLIC_SHORT || x->code == CORE_REASON_PROFESSIONAL_SHORT) {
		api_jw_key(w, "title_level");
		api_jw_str(w, core_level_name(x->level));
		api_jw_key(w, "required");
		api_jw_hours(w, x->required);
		api_jw_key(w, "earned");
		api_jw_hours(w, x->earned);
		api_jw_key(w, "shortfall");
		api_jw_hours(w, x->shortfall);
	}
	if (x->count) {
		api_jw_key(w, "count");
		api_jw_int(w, x->count);
	}
	api_jw_key(w, "message");
	api_jw_str(w, msg);
	api_jw_obj_end(w);
}

/* The basis of a year's decision: read from a row's basis columns. */
typedef struct basis {
	const char *as_of;        /* YYYY-MM-DD, in the arena */
	core_level level;
	const char *industry;     /* NULL: none */
	const char *rule_set;     /* JSON of the stored deciding set, or NULL */
} basis;

static int basis_read(api_req *r, basis *b, const db_result *q, int row, int c_as_of,
                      int c_level, int c_industry, int c_rule_set)
{
	const char *as_of, *industry, *rs;
	if (db_result_str(q, row, c_as_of, &as_of) != 0 ||
	    api_compliance_level_read(q, row, c_level, &b->level) != 0 ||
	    db_result_str_opt(q, row, c_industry, &industry) != 0 ||
	    db_result_str_opt(q, row, c_rule_set, &rs) != 0)
		return CORE_EINVAL;
	b->as_of = api_arena_strdup(r->mem, as_of);
	b->industry = industry ? api_arena_strdup(r->mem, industry) : NULL;
	b->rule_set = rs ? api_arena_strdup(r->mem, rs) : NULL;
	return 0;
}

/* The basis: the stored set's JSON, else the set found in rule_sets_json. */
static void basis_write(api_jw *w, const basis *b, const core_year_verdict *v,
                        const char *rule_sets_json)
{
	api_jw_obj(w);
	api_jw_key(w, "title_level");
	api_jw_str(w, core_level_name(b->level));
	api_jw_key(w, "industry");
	api_jw_str(w, b->industry);
	api_jw_key(w, "as_of");
	api_jw_str(w, b->as_of);
	api_jw_key(w, "rule_set");
	/* null when the set is in neither */
	api_jw_json(w, b->rule_set ? b->rule_set : api_rules_basis_json(rule_sets_json, v->rule_set));
	api_jw_obj_end(w);
}

/* A decided year's reasons: empty when compliant. */
static void year_reasons_write(api_jw *w, const core_year_verdict *v, api_lang lang)
{
	core_reason rs[4];
	size_t n = core_year_reasons(v, rs, sizeof rs / sizeof rs[0]);
	api_jw_arr(w);
	for (size_t i = 0; i < n; i++)
		reason_write(w, &rs[i], lang);
	api_jw_arr_end(w);
}

/* A decision's failure: no rule set for year (422 naming field) or data
 * core refused (500). */
static void reply_decide_failure(api_req *r, int rc, const char *field, int year)
{
	if (rc != CORE_ENOTFOUND) {
		api_compliance_core_failure(r, rc);
		return;
	}
	json_t *errors = json_array();
	api_error_add(errors, field, "no_rule_set",
	              api_arena_printf(r->mem, "no rule set applies to %d", year));
	api_reply_errors(r, 422, "Validation failed", errors);
}

/* ---- GET /v1/persons/{id}/compliance ----------------------------------- */

typedef struct year_entry {
	int year;
	bool stored;                 /* a decision is stored for the year */
	core_year_verdict v;
	basis b;
	const char *decided_at;      /* in the arena; NULL: decided now */
} year_entry;

typedef struct compliance_ctx {
	const char *year_q, *from_q, *to_q; /* the query (compliance_params) */
	int from, to;
	bool range;
	char from_s[8], to_s[8];
	const char *v[3];
	db_call call;
	const char *rule_sets;       /* the rule sets' JSON when a year was decided now */
	int n;
	year_entry *years;           /* to - from + 1, in the arena */
} compliance_ctx;

static void compliance_reply(api_req *r, compliance_ctx *c)
{
	api_lang lang = answer_lang(r);
	api_jw w;
	api_jw_init(&w);
	if (c->range) {
		api_jw_obj(&w);
		api_jw_key(&w, "items");
		api_jw_arr(&w);
	}
	for (int i = 0; i < c->n && (c->range || i == 0); i++) {
		year_entry *e = &c->years[i];
		api_jw_obj(&w);
		verdict_write(&w, r->path_params[0], &e->v, e->decided_at);
		api_jw_key(&w, "basis");
		basis_write(&w, &e->b, &e->v, c->rule_sets);
		api_jw_key(&w, "reasons");
		year_reasons_write(&w, &e->v, lang);
		api_jw_obj_end(&w);
	}
	if (c->range) {
		api_jw_arr_end(&w);
		api_jw_obj_end(&w);
	}
	api_reply_raw(r, 200, "application/json", w.buf, w.len);
	api_jw_free(&w);
}

/* Years without a stored decision have no records: core decides them with
 * zero hours under the rule set R-6 selects for the industry and level of
 * the judging date. */
static void compliance_rules(api_req *r, db_result *const *res, int n)
{
	compliance_ctx *c = r->ctx;
	const core_rule_set *sets;
	c->rule_sets = db_result_value(res[0], 0, RULE_SETS_ALL_COL_RULE_SETS);
	int ns = api_rules_cached(&sets, c->rule_sets);
	if (ns < 0) {
		api_compliance_core_failure(r, CORE_EINVAL);
		return;
	}
	for (int i = 0; i < c->n; i++) {
		year_entry *e = &c->years[i];
		if (e->stored)
			continue;
		int rc = decide_zero(&e->v, sets, ns, e->b.industry, e->b.level, e->year);
		if (rc != 0) {
			reply_decide_failure(r, rc, c->range ? "from" : "year", e->year);
			return;
		}
	}
	compliance_reply(r, c);
}

/* The rows into c->years; false after replying. */
static bool compliance_stored(api_req *r, compliance_ctx *c, const db_result *q, bool *missing)
{
	int rows = db_result_rows(q);
	for (int i = 0; i < rows && c->n < c->to - c->from + 1; i++) {
		year_entry *e = &c->years[c->n++];
		const char *at;
		if (result_year(q, i, COMPLIANCE_YEAR_COL_YEAR, &e->year) != 0 ||
		    basis_read(r, &e->b, q, i, COMPLIANCE_YEAR_COL_AS_OF, COMPLIANCE_YEAR_COL_BASIS_LEVEL,
		               COMPLIANCE_YEAR_COL_BASIS_INDUSTRY, COMPLIANCE_YEAR_COL_BASIS_RULE_SET) != 0) {
			api_compliance_core_failure(r, CORE_EINVAL);
			return false;
		}
		e->stored = !db_result_is_null(q, i, year_cols.rule_set);
		if (!e->stored) {
			*missing = true;
			continue;
		}
		if (api_compliance_verdict_read(&e->v, q, i, &year_cols, e->year) != 0 ||
		    db_result_str(q, i, year_cols.decided_at, &at) != 0) {
			api_compliance_core_failure(r, CORE_EINVAL);
			return false;
		}
		e->decided_at = api_arena_strdup(r->mem, at);
	}
	return true;
}

static void compliance_done(api_req *r, db_result *const *res, int n)
{
	compliance_ctx *c = r->ctx;
	const db_result *q = res[0];
	if (!api_compliance_person_found(r, q))
		return;
	bool missing = false;
	if (!compliance_stored(r, c, q, &missing))
		return;
	if (!missing) {
		compliance_reply(r, c);
		return;
	}
	/* the results are gone after this callback: what is needed was copied */
	c->call = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	api_db_run(r, &c->call, 1, compliance_rules);
}

/* ?year=: the stored decision answers at once (the hot path: one statement
 * on the summary row); without one, the person and the history are read. */
static void compliance_stored_done(api_req *r, db_result *const *res, int n)
{
	compliance_ctx *c = r->ctx;
	if (db_result_rows(res[0]) == 0) {
		c->call = (db_call){ DB_STMT_COMPLIANCE_YEAR, c->v };
		api_db_run(r, &c->call, 1, compliance_done);
		return;
	}
	compliance_done(r, res, n);
}

/* The years of ?year= or ?from=&to= (each checked by compliance_params)
 * into c; false after a 400. */
static bool compliance_years(api_req *r, compliance_ctx *c)
{
	if (c->year_q && (c->from_q || c->to_q))
		return bad_query(r, "give either year or from and to");
	if (c->year_q) {
		c->from = c->to = year_of(c->year_q);
		return true;
	}
	if (!c->from_q || !c->to_q)
		return bad_query(r, "year (or from and to) is required");
	c->from = year_of(c->from_q);
	c->to = year_of(c->to_q);
	if (c->to < c->from || c->to - c->from + 1 > RANGE_YEARS_MAX)
		return bad_query(r, "to must not be before from, and a range covers at most 20 years");
	c->range = true;
	return true;
}

static void compliance_get(api_req *r)
{
	compliance_ctx *c = r->ctx;
	if (!compliance_years(r, c))
		return;
	c->years = api_arena_alloc(r->mem, (size_t)(c->to - c->from + 1) * sizeof *c->years);
	snprintf(c->from_s, sizeof c->from_s, "%d", c->from);
	snprintf(c->to_s, sizeof c->to_s, "%d", c->to);
	c->v[0] = r->path_params[0];
	c->v[1] = c->from_s;
	c->v[2] = c->to_s;
	c->call = (db_call){ c->range ? DB_STMT_COMPLIANCE_YEARS : DB_STMT_COMPLIANCE_YEAR_STORED, c->v };
	api_db_run(r, &c->call, 1, c->range ? compliance_done : compliance_stored_done);
}

#define RANGE_INVALID "from and to must be years from " COMPLIANCE_YEARS
static const api_param compliance_params[] = {
	API_PARAM(compliance_ctx, year_q, "year", API_PARAM_YEAR,
	          "year must be a year from " COMPLIANCE_YEARS),
	API_PARAM(compliance_ctx, from_q, "from", API_PARAM_YEAR, RANGE_INVALID),
	API_PARAM(compliance_ctx, to_q, "to", API_PARAM_YEAR, RANGE_INVALID),
	API_PARAMS_END,
};
const api_op op_compliance_get = { .handler = compliance_get, .params = compliance_params,
                                   .not_found = NOT_FOUND_DETAIL,
                                   .ctx_size = sizeof(compliance_ctx) };

/* ---- GET /v1/persons/{id}/eligibility ---------------------------------- */

/* R-15 revised: annual_assessment reads year Y; hiring and renewal the
 * cycle_years years before D's year; promotion the years judged at the
 * level held on D, at most CORE_ELIGIBILITY_YEARS_MAX back. */
#define HIRING_WINDOW 5  /* cycle_years is 4 or 5 (sql rule_sets check) */

typedef struct eligibility_ctx {
	const char *purpose_q, *as_of_q, *year_q; /* the query (eligibility_params) */
	core_purpose purpose;
	bool annual;       /* annual_assessment: judged on year, else on as_of */
	int year;
	core_date as_of;
	char lo[8], hi[8], d[CORE_DATE_BUFSZ];
	const char *v[4];
	db_call calls[3];
	bool stored_only;  /* calls[0] is COMPLIANCE_ELIGIBILITY_STORED */
	core_year_verdict years[CORE_ELIGIBILITY_YEARS_MAX];
	basis bases[CORE_ELIGIBILITY_YEARS_MAX];
	const char *rule_sets;
} eligibility_ctx;

/* What core_eligibility_decide reads besides the years: the rule sets and
 * the person's situation on D. */
typedef struct eligibility_person {
	const core_rule_set *sets;
	int nsets;
	const char *industry;      /* held on D */
	core_level level;          /* held on D */
	int cycle_start, first_year;
	core_date since;           /* the first day (the _STORED read only) */
} eligibility_person;

/* The row of the latest assessment of the cycle recorded on or before
 * as_of, -1 when none; false when a row cannot be read. */
static bool cycle_assessment(const db_result *a, int start_year, core_date as_of, int *row)
{
	*row = -1;
	for (int i = 0; i < db_result_rows(a); i++) {
		int start;
		const char *result, *on_s;
		core_date on;
		if (result_year(a, i, COMPLIANCE_ASSESSMENTS_OF_COL_CYCLE_START_YEAR, &start) != 0 ||
		    db_result_str(a, i, COMPLIANCE_ASSESSMENTS_OF_COL_RESULT, &result) != 0 ||
		    db_result_str(a, i, COMPLIANCE_ASSESSMENTS_OF_COL_ASSESSED_ON, &on_s) != 0)
			return false;
		if (start != start_year || core_date_parse(&on, on_s) != 0 ||
		    core_date_compare(on, as_of) > 0)
			continue;
		*row = i;
	}
	return true;
}

/* Every year of the window into in (c->years, c->bases): the stored verdict,
 * or core's with zero hours at the judging date's level and industry; a
 * year no rule set covers carries no requirement and is left out
 * (core skips the years before the first rule set).  The rows are
 * COMPLIANCE_ELIGIBILITY_YEARS' (one per year, the basis read by
 * PostgreSQL) or _STORED's (the stored years only: a person without a
 * change, whose other years' basis is the persons row on the judging date,
 * false after replying. */
static bool eligibility_years(api_req *r, core_eligibility_input *in, const db_result *q,
                              const eligibility_person *p)
{
	eligibility_ctx *c = r->ctx;
	size_t ny = 0;
	int lo = (int)strtol(c->lo, NULL, 10), hi = (int)strtol(c->hi, NULL, 10);
	if (lo < p->first_year)
		lo = p->first_year;
	int i = 0, rows = db_result_rows(q), ry = 0;
	for (int y = lo; y <= hi && ny < CORE_ELIGIBILITY_YEARS_MAX; y++) {
		/* the row of y, if any (rows in year order, a NULL year last) */
		for (; i < rows && !db_result_is_null(q, i, COMPLIANCE_ELIGIBILITY_YEARS_COL_YEAR); i++) {
			if (result_year(q, i, COMPLIANCE_ELIGIBILITY_YEARS_COL_YEAR, &ry) != 0) {
				api_compliance_core_failure(r, CORE_EINVAL);
				return false;
			}
			if (ry >= y)
				break;
		}
		bool row = i < rows && !db_result_is_null(q, i, COMPLIANCE_ELIGIBILITY_YEARS_COL_YEAR) &&
		           ry == y;
		core_year_verdict *v = &c->years[ny];
		basis *b = &c->bases[ny];
		int rc;
		if (row) {
			if (basis_read(r, b, q, i, COMPLIANCE_ELIGIBILITY_YEARS_COL_AS_OF,
			               COMPLIANCE_ELIGIBILITY_YEARS_COL_BASIS_LEVEL,
			               COMPLIANCE_ELIGIBILITY_YEARS_COL_BASIS_INDUSTRY,
			               COMPLIANCE_ELIGIBILITY_YEARS_COL_BASIS_RULE_SET) != 0) {
				api_compliance_core_failure(r, CORE_EINVAL);
				return false;
			}
			rc = !db_result_is_null(q, i, eligibility_cols.rule_set)
			         ? api_compliance_verdict_read(v, q, i, &eligibility_cols, y)
			         : decide_zero(v, p->sets, p->nsets, b->industry, b->level, y);
		} else {
			char d[CORE_DATE_BUFSZ];
			(void)core_date_format(d, sizeof d, core_judging_date(p->since, y));
			*b = (basis){ .as_of = api_arena_strdup(r->mem, d), .level = p->level,
			              .industry = p->industry };
			rc = decide_zero(v, p->sets, p->nsets, b->industry, b->level, y);
		}
		if (rc == CORE_ENOTFOUND)
			continue;
		if (rc != 0) {
			api_compliance_core_failure(r, rc);
			return false;
		}
		ny++;
	}
	in->years = c->years;
	in->n_years = ny;
	return true;
}

/* the basis of year y among the window's (NULL when not read) */
static const basis *basis_of(const eligibility_ctx *c, size_t n, int y)
{
	for (size_t i = 0; i < n; i++)
		if (c->years[i].year == y)
			return &c->bases[i];
	return NULL;
}

/* The answer (API.md "eligibility"); the assessment is row arow of a (-1:
 * none). */
static void eligibility_write(api_jw *w, api_req *r, const core_eligibility *e, size_t ny,
                              const db_result *a, int arow)
{
	eligibility_ctx *c = r->ctx;
	api_lang lang = answer_lang(r);
	char as_of[CORE_DATE_BUFSZ];
	(void)core_date_format(as_of, sizeof as_of, c->as_of);
	api_jw_obj(w);
	api_jw_key(w, "person");
	api_jw_str(w, r->path_params[0]);
	api_jw_key(w, "purpose");
	api_jw_str(w, core_purpose_name(c->purpose));
	api_jw_key(w, "as_of");
	api_jw_str(w, as_of);
	api_jw_key(w, "eligible");
	api_jw_bool(w, e->eligible);
	api_jw_key(w, "cycle");
	api_jw_obj(w);
	api_jw_key(w, "start_year");
	api_jw_int(w, e->cycle_start);
	api_jw_key(w, "end_year");
	api_jw_int(w, e->cycle_end);
	api_jw_key(w, "rule_set");
	api_jw_str(w, e->rule_set);
	api_jw_key(w, "assessment");
	if (arow < 0) {
		api_jw_null(w);
	} else {
		api_jw_obj(w);
		api_jw_key(w, "result");
		api_jw_str(w, db_result_value(a, arow, COMPLIANCE_ASSESSMENTS_OF_COL_RESULT));
		api_jw_key(w, "assessed_on");
		api_jw_str(w, db_result_value(a, arow, COMPLIANCE_ASSESSMENTS_OF_COL_ASSESSED_ON));
		api_jw_obj_end(w);
	}
	api_jw_obj_end(w);
	api_jw_key(w, "failing_years");
	api_jw_arr(w);
	for (size_t i = 0; i < e->n_failing; i++) {
		const core_year_shortfall *s = &e->failing[i];
		api_jw_obj(w);
		api_jw_key(w, "year");
		api_jw_int(w, s->year);
		api_jw_key(w, "rule_set");
		api_jw_str(w, s->rule_set);
		api_jw_key(w, "title_level");
		api_jw_str(w, core_level_name(s->level));
		pair_write(w, "shortfall", s->shortfall_public, s->shortfall_professional, NULL);
		pair_write(w, "required", s->required_public, s->required_professional, NULL);
		pair_write(w, "earned", s->earned_public, s->earned_professional, NULL);
		const basis *b = basis_of(c, ny, s->year);
		for (size_t k = 0; b && k < ny; k++)
			if (c->years[k].year == s->year) {
				api_jw_key(w, "basis");
				basis_write(w, b, &c->years[k], c->rule_sets);
			}
		api_jw_obj_end(w);
	}
	api_jw_arr_end(w);
	api_jw_key(w, "reasons");
	api_jw_arr(w);
	for (size_t i = 0; i < e->n_reasons; i++)
		reason_write(w, &e->reasons[i], lang);
	api_jw_arr_end(w);
	api_jw_key(w, "title_level");
	api_jw_str(w, core_level_name(e->level));
	if (e->n_failing_total > e->n_failing) {
		api_jw_key(w, "failing_years_omitted");
		api_jw_int(w, (long long)(e->n_failing_total - e->n_failing));
	}
	if (e->first_year <= e->last_year) {
		api_jw_key(w, "examined");
		api_jw_obj(w);
		api_jw_key(w, "from");
		api_jw_int(w, e->first_year);
		api_jw_key(w, "to");
		api_jw_int(w, e->last_year);
		api_jw_obj_end(w);
	}
	if (c->annual) {
		api_jw_key(w, "year");
		api_jw_int(w, c->year);
	}
	api_jw_obj_end(w);
}

/* The person's data on D from the window's first row; false after replying. */
static bool eligibility_person_read(api_req *r, eligibility_person *p, const db_result *q,
                                    const char *rule_sets)
{
	p->nsets = api_rules_cached(&p->sets, rule_sets);
	const char *industry;
	if (p->nsets < 0 ||
	    result_year(q, 0, COMPLIANCE_ELIGIBILITY_YEARS_COL_CYCLE_START_YEAR, &p->cycle_start) != 0 ||
	    result_year(q, 0, COMPLIANCE_ELIGIBILITY_YEARS_COL_FIRST_YEAR, &p->first_year) != 0 ||
	    api_compliance_level_read(q, 0, COMPLIANCE_ELIGIBILITY_YEARS_COL_TITLE_LEVEL, &p->level) != 0 ||
	    db_result_str_opt(q, 0, COMPLIANCE_ELIGIBILITY_YEARS_COL_INDUSTRY, &industry) != 0) {
		api_compliance_core_failure(r, CORE_EINVAL);
		return false;
	}
	p->industry = industry ? api_arena_strdup(r->mem, industry) : NULL;
	return true;
}

static void eligibility_done(api_req *r, db_result *const *res, int n)
{
	eligibility_ctx *c = r->ctx;
	const db_result *q = res[0];
	if (!api_compliance_person_found(r, q))
		return;
	eligibility_person p = { 0 };
	if (c->stored_only) {
		bool changed;
		const char *since;
		if (db_result_bool(q, 0, COMPLIANCE_ELIGIBILITY_STORED_COL_CHANGED, &changed) != 0 ||
		    db_result_str(q, 0, COMPLIANCE_ELIGIBILITY_STORED_COL_SINCE, &since) != 0 ||
		    core_date_parse(&p.since, since) != 0) {
			api_compliance_core_failure(r, CORE_EINVAL);
			return;
		}
		if (changed) {
			/* a history to read: the full read (the results are gone after
			 * this callback; calls and values live in c) */
			c->stored_only = false;
			c->calls[0] = (db_call){ DB_STMT_COMPLIANCE_ELIGIBILITY_YEARS, c->v };
			api_db_run(r, c->calls, 3, eligibility_done);
			return;
		}
	}
	c->rule_sets = db_result_value(res[2], 0, RULE_SETS_ALL_COL_RULE_SETS);
	if (!eligibility_person_read(r, &p, q, c->rule_sets))
		return;
	int dy = c->annual ? c->year : c->as_of.y;
	core_eligibility_input in = { .purpose = c->purpose, .year = c->year, .as_of = c->as_of,
	                              .current_level = p.level, .first_year = p.first_year };
	/* years before the first rule set carry no requirement */
	if (core_rules_first_year(&in.first_rule_year, p.sets, (size_t)p.nsets, p.industry) != 0)
		in.first_rule_year = dy + 1;
	const core_rule_set *rs = NULL;
	if (core_rules_select(&rs, p.sets, (size_t)p.nsets, p.industry, dy) == 0)
		in.cycle_years = rs->cycle_years;
	else
		in.cycle_years = HIRING_WINDOW;
	int rc = core_cycle_locate(&in.cycle, p.sets, (size_t)p.nsets, p.industry, p.cycle_start, dy);
	if (rc != 0) {
		reply_decide_failure(r, rc, c->annual ? "year" : "as_of", p.cycle_start);
		return;
	}
	if (!eligibility_years(r, &in, q, &p))
		return;
	core_eligibility e;
	rc = core_eligibility_decide(&e, &in);
	if (rc != 0) {
		api_compliance_core_failure(r, rc);
		return;
	}
	int arow;
	if (!cycle_assessment(res[1], e.cycle_start, c->as_of, &arow)) {
		api_compliance_core_failure(r, CORE_EINVAL);
		return;
	}
	api_jw w;
	api_jw_init(&w);
	eligibility_write(&w, r, &e, in.n_years, res[1], arow);
	api_reply_raw(r, 200, "application/json", w.buf, w.len);
	api_jw_free(&w);
}

#define YEAR_INVALID "annual_assessment needs year, a year from " COMPLIANCE_YEARS
#define PURPOSE_INVALID "purpose must be annual_assessment, hiring, renewal or promotion"

/* ?purpose= (required), ?as_of= (a date: no api_param kind) and ?year=
 * (only for annual_assessment) into c; false after a 400. */
static bool eligibility_query(api_req *r, eligibility_ctx *c)
{
	if (!c->purpose_q || core_purpose_parse(&c->purpose, c->purpose_q) != 0)
		return bad_query(r, PURPOSE_INVALID);
	c->as_of = api_today();
	if (c->as_of_q && (core_date_parse(&c->as_of, c->as_of_q) != 0 ||
	                   c->as_of.y < API_YEAR_MIN || c->as_of.y > API_YEAR_MAX))
		return bad_query(r, "as_of must be a real date YYYY-MM-DD from " COMPLIANCE_YEARS);
	c->annual = c->purpose == CORE_PURPOSE_ANNUAL_ASSESSMENT;
	if (c->annual != (c->year_q != NULL))
		return bad_query(r, c->annual ? YEAR_INVALID
		                              : "year is only for annual_assessment; the others use as_of");
	c->year = c->annual ? year_of(c->year_q) : 0;
	return true;
}

static void eligibility(api_req *r)
{
	eligibility_ctx *c = r->ctx;
	if (!eligibility_query(r, c))
		return;
	/* the window of years core may examine (R-15 revised) */
	int hi = c->annual ? c->year : c->as_of.y - 1;
	int lo = c->annual ? c->year
	         : c->purpose == CORE_PURPOSE_PROMOTION ? c->as_of.y - CORE_ELIGIBILITY_YEARS_MAX
	                                                : c->as_of.y - HIRING_WINDOW;
	snprintf(c->lo, sizeof c->lo, "%d", lo);
	snprintf(c->hi, sizeof c->hi, "%d", hi);
	core_date d = c->as_of;
	if (c->annual) /* the level held on 31 December of Y, or today */
		d = core_holding_date(c->year, api_today());
	(void)core_date_format(c->d, sizeof c->d, d);
	c->v[0] = r->path_params[0];
	c->v[1] = c->lo;
	c->v[2] = c->hi;
	c->v[3] = c->d;
	/* the stored decisions first; the full read only for a person with a
	 * change after registration (eligibility_done) */
	c->stored_only = true;
	c->calls[0] = (db_call){ DB_STMT_COMPLIANCE_ELIGIBILITY_STORED, c->v };
	c->calls[1] = (db_call){ DB_STMT_COMPLIANCE_ASSESSMENTS_OF, r->path_params };
	c->calls[2] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	api_db_run(r, c->calls, 3, eligibility_done);
}

static const api_param eligibility_params[] = {
	API_PARAM_ENUM_OF(eligibility_ctx, purpose_q, "purpose", purpose, PURPOSE_INVALID),
	API_PARAM(eligibility_ctx, as_of_q, "as_of", API_PARAM_TEXT, NULL),
	API_PARAM(eligibility_ctx, year_q, "year", API_PARAM_YEAR, YEAR_INVALID),
	API_PARAMS_END,
};
const api_op op_compliance_eligibility = { .handler = eligibility,
                                           .params = eligibility_params,
                                           .not_found = NOT_FOUND_DETAIL,
                                           .ctx_size = sizeof(eligibility_ctx) };
