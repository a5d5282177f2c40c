/*
 * POST /v1/rule-sets:simulate: a draft rule set applied to every
 * person-year it would govern in one year and scope, before anyone adopts
 * it.  Nothing is stored: the transaction (which only reads) is rolled back
 * whatever the answer, so neither an audit row nor an Idempotency-Key's
 * replay is kept.
 *
 * Who: the city bureau any scope; a district bureau its district; an
 * industry authority its industry, and only drafts of its own industry
 * (403 otherwise); others are refused by the route table.  The scope is
 * clamped like a report's (domain/scope.h): outside the jurisdiction, or
 * naming what does not exist, is 404.
 *
 * What is governed: the person-years of the year whose judging
 * industry (judged_industry, R-29) is the draft's industry, or for a city
 * draft every judging industry that has no industry set of its own for the
 * year — core decides which, against the stored sets (core_rules_select).
 * The scope filters by the year's holding, and by_district and
 * by_industry break down by it too.  The draft must be in force on
 * 1 January of the year.
 *
 * How (three round trips, all reads): (1) the scope check, the stored rule
 * sets and the industries; (2) the governed person-years grouped by what
 * core's decision and the breakdowns read (db/stmts/simulate.def says why
 * grouped), core deciding each group under the draft in one loop, the
 * counts added up here; (3) only when decisions change, the first 20
 * changed person-years in person id order, decided again by core.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rules.h"
#include "domain/scope.h"
#include "http/fields.h"
#include "http/resource.h"
#include "render/json.h"
#include "handlers.h"

#define EXAMPLES_MAX 20

/* one key of a breakdown */
typedef struct tally {
	const char *key;
	long person_years, to_non_compliant, to_compliant;
} tally;

typedef struct breakdown {
	tally *t;
	int n, cap;
} breakdown;

typedef struct sim_ctx {
	/* the body (sim_fields) */
	int year;
	json_t *scope_v, *rs_v;
	/* read by the check hook */
	const char *district, *industry, *unit; /* the requested scope */
	core_rule_set rs;                       /* the draft */
	const char *draft_industry;             /* NULL: a city draft */
	api_scope scope;
	char year_s[8];
	const char *covered_json; /* industries with a set of their own (city draft) */
	const char *changed_json; /* inputs whose decision changes */
	long person_years, before, after, to_non, to_comp;
	breakdown by_district, by_industry, by_level;
	const char *v_groups[6], *v_examples[7];
	db_call calls[4];
} sim_ctx;

/* ---- the body ------------------------------------------------------------- */

/* the top-level names of a rule set body (POST /v1/rule-sets' field table) */
static const char *const rs_names[] = { "name", "industry", "effective_from", "effective_to",
	                                "cycle_years", "auto_verify_base_completions",
	                                "requirements", "conversion_kinds", "base_thresholds",
	                                NULL };

static bool listed(const char *const *names, const char *key)
{
	for (const char *const *n = names; *n; n++)
		if (strcmp(*n, key) == 0)
			return true;
	return false;
}

/* errors of the draft (JSON paths inside it) under "rule_set." */
static void add_prefixed(json_t *errors, json_t *inner)
{
	size_t i;
	json_t *e;
	json_array_foreach(inner, i, e) {
		const char *f = json_string_value(json_object_get(e, "field"));
		char field[200];
		snprintf(field, sizeof field, "rule_set.%s", f ? f : "");
		api_error_add(errors, field, json_string_value(json_object_get(e, "code")),
		              json_string_value(json_object_get(e, "message")));
	}
}

/* scope: {"district"?, "industry"?, "unit"?}, each well-formed */
static void read_scope(sim_ctx *c, json_t *errors)
{
	json_t *s = c->scope_v;
	if (!s || json_is_null(s))
		return;
	if (!json_is_object(s)) {
		api_error_add(errors, "scope", "invalid", "must be an object {district, industry, unit}");
		return;
	}
	static const char *const names[] = { "district", "industry", "unit", NULL };
	const char *key;
	json_t *v;
	json_object_foreach(s, key, v) {
		char field[96];
		snprintf(field, sizeof field, "scope.%.60s", key);
		if (!listed(names, key)) {
			char msg[96];
			snprintf(msg, sizeof msg, "unknown field \"%.60s\"", key);
			api_error_add(errors, field, "unknown_field", msg);
			continue;
		}
		if (json_is_null(v))
			continue;
		const char *t = json_string_value(v);
		if (!strcmp(key, "district")) {
			if (!api_district_code_ok(t))
				api_error_add(errors, field, "invalid", "must be a six-digit district code");
			else
				c->district = t;
		} else if (!strcmp(key, "industry")) {
			if (!api_industry_code_ok(t))
				api_error_add(errors, field, "invalid", "must be an industry code");
			else
				c->industry = t;
		} else if (!api_is_uuid(t)) {
			api_error_add(errors, field, "invalid", "must be a unit id");
		} else {
			c->unit = t;
		}
	}
}

/* The draft, read and validated as POST /v1/rule-sets reads a new set
 * (api_rules_from_json, core_rules_validate), but it may start in the past
 * (that is what a simulation is for) and must be in force on 1 January of
 * the year simulated.  Errors go to inner, paths relative to the draft. */
static void read_draft(sim_ctx *c, json_t *inner)
{
	json_t *b = c->rs_v;
	const char *key;
	json_t *v;
	json_object_foreach(b, key, v) {
		if (!listed(rs_names, key)) {
			char msg[96];
			snprintf(msg, sizeof msg, "unknown field \"%.60s\"", key);
			api_error_add(inner, key, "unknown_field", msg);
		}
	}
	json_t *name = json_object_get(b, "name");
	if (!name || json_is_null(name))
		api_error_add(inner, "name", "required", "a name is required");
	else if (!json_is_string(name) || json_string_length(name) == 0 || json_string_length(name) > 200)
		api_error_add(inner, "name", "invalid", "must be a string of 1 to 200 bytes");
	json_t *ind = json_object_get(b, "industry");
	if (json_is_string(ind) && json_string_length(ind) == 0)
		api_error_add(inner, "industry", "invalid", "must be an industry code or null");
	c->draft_industry = json_is_string(ind) && json_string_length(ind) > 0 ? json_string_value(ind)
	                                                                       : NULL;
	(void)api_rules_from_json(&c->rs, b, inner);
	if (!json_object_get(b, "conversion_kinds")) {
		/* not given: the R-9 defaults, as for a new set */
		core_rule_set d;
		core_rules_city_2013(&d);
		c->rs.n_kinds = d.n_kinds;
		memcpy(c->rs.kinds, d.kinds, sizeof d.kinds);
	}
	/* a draft has no id; core's checks want one */
	snprintf(c->rs.id, sizeof c->rs.id, "draft");
	core_error_list list;
	core_error_list_init(&list);
	if (core_rules_validate(&list, &c->rs) != 0)
		api_errors_from_core_once(inner, &list);
	json_t *to = json_object_get(b, "effective_to");
	if (!c->draft_industry && to && !json_is_null(to) && !api_errors_have(inner, "industry"))
		api_error_add(inner, "effective_to", "not_allowed",
		              "the city default is open-ended (a later city default closes it); an end "
		              "would leave years without rules");
	if (!api_errors_have(inner, "effective_from") && !api_errors_have(inner, "effective_to") &&
	    !core_rules_in_force(&c->rs, core_date_jan1(c->year))) {
		char msg[160];
		snprintf(msg, sizeof msg, "the draft must be in force on 1 January %d, the year simulated",
		         c->year);
		api_error_add(inner, "effective_from", "not_in_force", msg);
	}
}

/* 403 first (an industry authority simulates drafts of its own industry
 * only), then every bad field of the scope and the draft. */
static void sim_check(api_req *r, json_t *errors)
{
	sim_ctx *c = r->ctx;
	json_t *ind = json_object_get(c->rs_v, "industry");
	if (r->claims.role == API_ROLE_INDUSTRY && json_is_object(c->rs_v) &&
	    (!json_is_string(ind) || strcmp(json_string_value(ind), r->claims.jur) != 0) &&
	    (!ind || json_is_null(ind) || json_is_string(ind))) {
		api_check_refuse(r, 403, "Forbidden",
		                 json_is_string(ind)
		                         ? "an industry authority simulates rule sets of its own industry only"
		                         : "only the city bureau and the district bureaus simulate a city "
		                           "default rule set");
		return;
	}
	read_scope(c, errors);
	if (!c->rs_v || json_is_null(c->rs_v))
		return; /* "required": the field table said so */
	if (!json_is_object(c->rs_v)) {
		api_error_add(errors, "rule_set", "invalid", "must be a rule set object");
		return;
	}
	json_t *inner = json_array();
	read_draft(c, inner);
	add_prefixed(errors, inner);
	json_decref(inner);
}

/* ---- counting ------------------------------------------------------------- */

static tally *tally_of(api_req *r, breakdown *b, const char *key)
{
	for (int i = 0; i < b->n; i++)
		if (strcmp(b->t[i].key, key) == 0)
			return &b->t[i];
	if (b->n == b->cap) {
		int cap = b->cap ? b->cap * 2 : 16;
		tally *t = api_arena_alloc(r->mem, (size_t)cap * sizeof *t);
		if (b->n)
			memcpy(t, b->t, (size_t)b->n * sizeof *t);
		b->t = t;
		b->cap = cap;
	}
	tally *t = &b->t[b->n++];
	*t = (tally){ .key = api_arena_strdup(r->mem, key) };
	return t;
}

static void tally_add(tally *t, long n, bool before, bool after)
{
	t->person_years += n;
	if (before && !after)
		t->to_non_compliant += n;
	if (!before && after)
		t->to_compliant += n;
}

static int tally_cmp(const void *a, const void *b)
{
	return strcmp(((const tally *)a)->key, ((const tally *)b)->key);
}

static json_t *breakdown_json(breakdown *b)
{
	json_t *a = json_array();
	if (b->n)
		qsort(b->t, (size_t)b->n, sizeof *b->t, tally_cmp);
	for (int i = 0; i < b->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:I, s:I}", "key", b->t[i].key,
		                                   "person_years", (json_int_t)b->t[i].person_years,
		                                   "to_non_compliant", (json_int_t)b->t[i].to_non_compliant,
		                                   "to_compliant", (json_int_t)b->t[i].to_compliant));
	return a;
}

/* core's decision of one person-year under the draft: 0, or a CORE_* error */
static int decide(bool *out, const sim_ctx *c, core_level level, int32_t pub, int32_t pro)
{
	core_year_input in = { .year = c->year, .level = level, .verified_public = pub,
		               .verified_professional = pro };
	core_year_verdict v;
	int rc = core_year_evaluate(&v, &c->rs, &in);
	if (rc == 0)
		*out = v.compliant;
	return rc;
}

/* the inputs of row i of a SIMULATE_GROUPS / SIMULATE_EXAMPLES result */
static int read_inputs(core_level *level, int32_t *pub, int32_t *pro, bool *before,
                       const db_result *res, int i, int col_level, int col_pub, int col_pro,
                       int col_compliant)
{
	const char *l;
	if (db_result_str(res, i, col_level, &l) != 0 || core_level_parse(level, l) != 0 ||
	    db_result_hours(res, i, col_pub, pub) != 0 || db_result_hours(res, i, col_pro, pro) != 0 ||
	    db_result_bool(res, i, col_compliant, before) != 0)
		return DB_EVALUE;
	return 0;
}

static json_t *answer(sim_ctx *c, json_t *examples)
{
	json_t *o = json_pack("{s:i, s:o, s:I, s:I, s:I, s:I, s:I}", "year", c->year, "scope",
	                      api_scope_json(&c->scope), "person_years", (json_int_t)c->person_years,
	                      "compliant_before", (json_int_t)c->before, "compliant_after",
	                      (json_int_t)c->after, "to_non_compliant", (json_int_t)c->to_non,
	                      "to_compliant", (json_int_t)c->to_comp);
	json_object_set_new(o, "by_district", breakdown_json(&c->by_district));
	json_object_set_new(o, "by_industry", breakdown_json(&c->by_industry));
	json_object_set_new(o, "by_title_level", breakdown_json(&c->by_level));
	json_object_set_new(o, "examples", examples);
	return o;
}

static void internal(api_req *r, const char *what)
{
	api_reply_problem(r, 500, "Internal error", what);
}

/* ---- round trips 2 and 3 ---------------------------------------------------- */

static void examples_read(api_req *r, db_result *const *res, int n)
{
	sim_ctx *c = r->ctx;
	const db_result *e = res[0];
	json_t *examples = json_array();
	for (int i = 0; i < db_result_rows(e); i++) {
		core_level level;
		int32_t pub, pro;
		bool before, after;
		const char *person;
		if (db_result_str(e, i, SIMULATE_EXAMPLES_COL_PERSON, &person) != 0 ||
		    read_inputs(&level, &pub, &pro, &before, e, i, SIMULATE_EXAMPLES_COL_TITLE_LEVEL,
		                SIMULATE_EXAMPLES_COL_PUBLIC_VERIFIED,
		                SIMULATE_EXAMPLES_COL_PROFESSIONAL_VERIFIED,
		                SIMULATE_EXAMPLES_COL_COMPLIANT) != 0 ||
		    decide(&after, c, level, pub, pro) != 0) {
			json_decref(examples);
			internal(r, "an example person-year could not be decided");
			return;
		}
		if (before != after)
			json_array_append_new(examples, json_pack("{s:s, s:b, s:b}", "person", person,
			                                          "before", before, "after", after));
	}
	api_reply_json(r, 200, answer(c, examples));
}

/* Core decides every group of governed person-years under the draft; the
 * counts follow, and the inputs that change go to the examples' query. */
static void groups_read(api_req *r, db_result *const *res, int n)
{
	sim_ctx *c = r->ctx;
	const db_result *g = res[0];
	json_t *changed = json_array();
	for (int i = 0; i < db_result_rows(g); i++) {
		core_level level;
		int32_t pub, pro;
		bool before, after;
		long count;
		const char *district, *industry;
		if (read_inputs(&level, &pub, &pro, &before, g, i, SIMULATE_GROUPS_COL_TITLE_LEVEL,
		                SIMULATE_GROUPS_COL_PUBLIC_VERIFIED,
		                SIMULATE_GROUPS_COL_PROFESSIONAL_VERIFIED,
		                SIMULATE_GROUPS_COL_COMPLIANT) != 0 ||
		    db_result_str(g, i, SIMULATE_GROUPS_COL_DISTRICT, &district) != 0 ||
		    db_result_str(g, i, SIMULATE_GROUPS_COL_INDUSTRY, &industry) != 0 ||
		    db_result_int(g, i, SIMULATE_GROUPS_COL_PERSON_YEARS, &count) != 0 ||
		    decide(&after, c, level, pub, pro) != 0) {
			json_decref(changed);
			internal(r, "a governed person-year could not be decided");
			return;
		}
		c->person_years += count;
		c->before += before ? count : 0;
		c->after += after ? count : 0;
		c->to_non += before && !after ? count : 0;
		c->to_comp += !before && after ? count : 0;
		tally_add(tally_of(r, &c->by_district, district), count, before, after);
		tally_add(tally_of(r, &c->by_industry, industry), count, before, after);
		tally_add(tally_of(r, &c->by_level, core_level_name(level)), count, before, after);
		if (before != after)
			/* the stored text of the hours: equal to the column, exactly */
			json_array_append_new(
				changed,
				json_pack("{s:s, s:s, s:s, s:b}", "level", core_level_name(level), "public",
				          db_result_value(g, i, SIMULATE_GROUPS_COL_PUBLIC_VERIFIED),
				          "professional",
				          db_result_value(g, i, SIMULATE_GROUPS_COL_PROFESSIONAL_VERIFIED),
				          "compliant", before));
	}
	if (json_array_size(changed) == 0) {
		json_decref(changed);
		api_reply_json(r, 200, answer(c, json_array()));
		return;
	}
	c->changed_json = api_json_dump_arena(r->mem, changed, JSON_COMPACT);
	json_decref(changed);
	memcpy(c->v_examples, c->v_groups, sizeof c->v_groups);
	c->v_examples[6] = c->changed_json;
	c->calls[0] = (db_call){ DB_STMT_SIMULATE_EXAMPLES, c->v_examples };
	api_db_run(r, c->calls, 1, examples_read);
}

/* ---- round trip 1 ------------------------------------------------------------ */

/* R-6 through core: the industries whose person-years an industry set of
 * their own judges in the year, as a JSON array; NULL when the stored sets
 * do not parse.  *draft_known: whether the draft's industry is one. */
static const char *covered_industries(api_req *r, sim_ctx *c, const db_result *sets_res,
                                      const db_result *inds, bool *draft_known)
{
	const char *sets_json;
	const core_rule_set *sets;
	if (db_result_str(sets_res, 0, RULE_SETS_ALL_COL_RULE_SETS, &sets_json) != 0)
		return NULL;
	int ns = api_rules_cached(&sets, sets_json);
	if (ns < 0)
		return NULL;
	json_t *covered = json_array();
	*draft_known = c->draft_industry == NULL;
	for (int i = 0; i < db_result_rows(inds); i++) {
		const char *code;
		const core_rule_set *rs;
		if (db_result_str(inds, i, SIMULATE_INDUSTRIES_COL_CODE, &code) != 0) {
			json_decref(covered);
			return NULL;
		}
		if (c->draft_industry && strcmp(code, c->draft_industry) == 0)
			*draft_known = true;
		if (core_rules_select(&rs, sets, (size_t)ns, code, c->year) == 0 && rs->industry[0])
			json_array_append_new(covered, json_string(code));
	}
	const char *s = api_json_dump_arena(r->mem, covered, JSON_COMPACT);
	json_decref(covered);
	return s;
}

static void reference_read(api_req *r, db_result *const *res, int n)
{
	sim_ctx *c = r->ctx;
	if (!api_scope_verify(r, &c->scope, res[1]))
		return;
	bool draft_known = false;
	c->covered_json = covered_industries(r, c, res[2], res[3], &draft_known);
	if (!c->covered_json) {
		internal(r, "the stored rule sets could not be read");
		return;
	}
	if (!draft_known) {
		api_reply_field_error(r, "rule_set.industry", "unknown", "no such industry code");
		return;
	}
	const char *v[] = { c->year_s, c->scope.district, c->scope.industry, c->scope.unit,
		            c->draft_industry, c->covered_json };
	memcpy(c->v_groups, v, sizeof c->v_groups);
	c->calls[0] = (db_call){ DB_STMT_SIMULATE_GROUPS, c->v_groups };
	api_db_run(r, c->calls, 1, groups_read);
}

static void simulate(api_req *r)
{
	sim_ctx *c = r->ctx;
	/* reads only; whatever the answer, nothing of this transaction stays */
	r->rollback_only = true;
	if (!api_scope_clamp(r, &c->scope, c->district, c->industry, c->unit))
		return;
	snprintf(c->year_s, sizeof c->year_s, "%d", c->year);
	c->calls[0] = (db_call){ DB_STMT_SIMULATE_TIMEOUT, NULL };
	c->calls[1] = (db_call){ DB_STMT_REPORTS_SCOPE, api_scope_check_values(r, &c->scope) };
	c->calls[2] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	c->calls[3] = (db_call){ DB_STMT_SIMULATE_INDUSTRIES, NULL };
	api_db_run(r, c->calls, 4, reference_read);
}

static const api_field sim_fields[] = {
	API_FIELD_YEAR_OF(sim_ctx, year, "year", API_REQUIRED),
	API_FIELD_JSON(sim_ctx, scope_v, "scope", 0),
	API_FIELD_JSON(sim_ctx, rs_v, "rule_set", API_REQUIRED),
	API_FIELDS_END,
};
const api_op op_rule_sets_simulate = { .handler = simulate, .fields = sim_fields,
	                               .check = sim_check, .ctx_size = sizeof(sim_ctx),
	                               .flags = API_OP_TX };
