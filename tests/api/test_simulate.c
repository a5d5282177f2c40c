/*
 * POST /v1/rule-sets:simulate (R-32, API.md "Time") over HTTP: exact counts
 * on a hand-built world, the jurisdiction (404) and the right to simulate
 * (403), that nothing is stored, and that the answer is what core decides
 * for the same person-years.
 *
 * The world lives in a FRESH industry (no industry rule set: the 2013 city
 * default, 24 + 48 h senior/intermediate, 14 + 28 h junior, judges it), in
 * year 2022.  Units and persons are inserted as the superuser and their
 * records too, then `jxjyctl recompute --industry` lets core decide and
 * store every person-year (as test_compliance.c does).  The draft: 30 + 60
 * h senior/intermediate, 10 + 28 h junior, from 2022-01-01.
 *   unit u1 (320508): a intermediate 24 + 48  compliant → not
 *                     b intermediate 30 + 60  compliant → compliant
 *                     c senior_full  20 + 48  not       → not
 *                     d junior_member 14 + 28 compliant → compliant
 *   unit u2 (320505): e intermediate 24 + 60  compliant → not
 *                     f junior_assistant 10 + 28  not   → compliant
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "core.h"
#include "domain/rules.h"
#include "testlib.h"

#define YEAR 2022
#define NP 6

typedef struct world {
	PGconn *db;
	char industry[40];
	char u1[40], u2[40];
	char p[NP][40]; /* a … f */
} world;

static const struct {
	int unit; /* 1 or 2 */
	const char *level, *pub, *pro;
	bool before, after;
} people[NP] = {
	{ 1, "intermediate", "24", "48", true, false },
	{ 1, "intermediate", "30", "60", true, true },
	{ 1, "senior_full", "20", "48", false, false },
	{ 1, "junior_member", "14", "28", true, true },
	{ 2, "intermediate", "24", "60", true, false },
	{ 2, "junior_assistant", "10", "28", false, true },
};

static void copy(char *dst, size_t n, char *s)
{
	cr_assert(s, "fixture insert returned nothing");
	snprintf(dst, n, "%s", s);
	free(s);
}

static void make_unit(PGconn *db, char out[40], const char *district, const char *industry)
{
	char code[19];
	t_make_credit_code(code, randombytes_random());
	const char *p[] = { code, district, industry };
	copy(out, 40, t_sql_value(db, "INSERT INTO jxjy.units (credit_code, name, kind, district, industry)"
	                              " VALUES ($1, '模拟测试单位', 'enterprise', $2, $3) RETURNING id",
	                          3, p));
}

static void make_person(PGconn *db, char out[40], const char *unit, const char *level)
{
	char nid[19];
	t_make_resident_id(nid, randombytes_random());
	const char *p[] = { nid, unit, level };
	copy(out, 40, t_sql_value(db, "INSERT INTO jxjy.persons (national_id, name, unit, district,"
	                              " industry, title_level, cycle_start_year)"
	                              " SELECT $1, '模拟测试人员', u.id, u.district, u.industry,"
	                              " $3::jxjy.title_level, 2020 FROM jxjy.units u WHERE u.id = $2"
	                              " RETURNING id", 3, p));
}

static void record(PGconn *db, const char *person, const char *category, const char *hours, int k)
{
	char start[32], end[32];
	snprintf(start, sizeof start, "%d-%02d-01", YEAR, k + 1);
	snprintf(end, sizeof end, "%d-%02d-10", YEAR, k + 1);
	const char *p[] = { person, start, end, category, hours };
	PQclear(t_sql(db, "INSERT INTO jxjy.records (person, year, start_date, end_date, category,"
	                  " form, class_type, hours, source, status)"
	                  " VALUES ($1, extract(year FROM $3::date)::int, $2::date, $3::date,"
	                  " $4::jxjy.category, 'training_class', 'full_time', $5::numeric, 'unit',"
	                  " 'verified')", 5, p));
}

static void setup(world *w)
{
	memset(w, 0, sizeof *w);
	w->db = t_db();
	char name[64];
	unsigned r = randombytes_random();
	snprintf(w->industry, sizeof w->industry, "sim%08x", r);
	snprintf(name, sizeof name, "模拟测试行业 %08x", r);
	const char *p[] = { w->industry, name };
	PQclear(t_sql(w->db, "INSERT INTO jxjy.industries (code, name) VALUES ($1, $2)", 2, p));
	make_unit(w->db, w->u1, "320508", w->industry);
	make_unit(w->db, w->u2, "320505", w->industry);
	for (int i = 0; i < NP; i++) {
		make_person(w->db, w->p[i], people[i].unit == 1 ? w->u1 : w->u2, people[i].level);
		record(w->db, w->p[i], "public", people[i].pub, 0);
		record(w->db, w->p[i], "professional", people[i].pro, 1);
	}
	/* core decides and stores the person-years (R-5 under the 2013 set) */
	char args[96], *out = NULL;
	snprintf(args, sizeof args, "recompute --industry %s", w->industry);
	int rc = t_jxjyctl(args, NULL, &out);
	cr_assert_eq(rc, 0, "jxjyctl %s: %d %s", args, rc, out);
	free(out);
}

static void teardown(world *w)
{
	PQfinish(w->db);
}

/* the draft: industry (NULL: city), 30 + 60 h senior/intermediate, 10 + 28 h
 * junior, from 2022-01-01 */
static json_t *draft(const char *industry)
{
	json_t *req = json_object();
	static const char *const levels[] = { "senior_full", "senior_deputy", "intermediate",
	                                      "junior_assistant", "junior_member" };
	for (int i = 0; i < 5; i++)
		json_object_set_new(req, levels[i], json_pack("{s:f, s:f}", "public", i < 3 ? 30.0 : 10.0,
		                                              "professional", i < 3 ? 60.0 : 28.0));
	return json_pack("{s:s, s:o, s:s, s:i, s:o}", "name", "模拟草案", "industry",
	                 industry ? json_string(industry) : json_null(), "effective_from", "2022-01-01",
	                 "cycle_years", 5, "requirements", req);
}

/* POST /v1/rule-sets:simulate {year, scope, rule_set} (all stolen) */
static t_resp simulate(const char *token, int year, json_t *scope, json_t *rs)
{
	json_t *b = json_pack("{s:i, s:o, s:o}", "year", year, "scope", scope ? scope : json_object(),
	                      "rule_set", rs);
	char *s = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	t_resp r = t_post_json("/v1/rule-sets:simulate", token, s);
	free(s);
	return r;
}

static long num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	cr_assert(json_is_integer(v), "%s is not an integer", k);
	return (long)json_integer_value(v);
}

/* breakdown entry i is {key, person_years, to_non_compliant, to_compliant} */
static void expect_entry(json_t *arr, size_t i, const char *key, long py, long to_non, long to_comp)
{
	json_t *e = json_array_get(arr, i);
	cr_assert(e, "no entry %zu (%s)", i, key);
	cr_expect_str_eq(json_string_value(json_object_get(e, "key")), key);
	cr_expect_eq(num(e, "person_years"), py, "%s person_years", key);
	cr_expect_eq(num(e, "to_non_compliant"), to_non, "%s to_non_compliant", key);
	cr_expect_eq(num(e, "to_compliant"), to_comp, "%s to_compliant", key);
}

/* the changed persons of the world in id order, as the examples list them */
static void expect_examples(const world *w, json_t *ex, int unit_only)
{
	char ids[NP][40];
	int n = 0;
	for (int i = 0; i < NP; i++)
		if (people[i].before != people[i].after && (!unit_only || people[i].unit == unit_only))
			snprintf(ids[n++], 40, "%s", w->p[i]);
	qsort(ids, (size_t)n, 40, (int (*)(const void *, const void *))strcmp);
	cr_assert_eq(json_array_size(ex), (size_t)n, "examples: %zu, changed %d", json_array_size(ex), n);
	for (int k = 0; k < n; k++) {
		json_t *e = json_array_get(ex, (size_t)k);
		const char *person = json_string_value(json_object_get(e, "person"));
		cr_expect_str_eq(person, ids[k], "example %d in person id order", k);
		for (int i = 0; i < NP; i++)
			if (person && !strcmp(person, w->p[i])) {
				cr_expect_eq(json_is_true(json_object_get(e, "before")), people[i].before);
				cr_expect_eq(json_is_true(json_object_get(e, "after")), people[i].after);
			}
	}
}

Test(simulate, R32_counts_every_changed_decision_by_district_industry_and_title_level)
{
	world w;
	setup(&w);
	char *city = t_token("city_bureau", NULL);
	t_resp r = simulate(city, YEAR, NULL, draft(w.industry));
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(num(r.json, "year"), YEAR);
	cr_expect_eq(num(r.json, "person_years"), 6, "%s", r.body);
	cr_expect_eq(num(r.json, "compliant_before"), 4, "%s", r.body);
	cr_expect_eq(num(r.json, "compliant_after"), 3, "%s", r.body);
	cr_expect_eq(num(r.json, "to_non_compliant"), 2, "%s", r.body);
	cr_expect_eq(num(r.json, "to_compliant"), 1, "%s", r.body);
	json_t *d = json_object_get(r.json, "by_district");
	cr_expect_eq(json_array_size(d), 2, "%s", r.body);
	expect_entry(d, 0, "320505", 2, 1, 1);
	expect_entry(d, 1, "320508", 4, 1, 0);
	json_t *ind = json_object_get(r.json, "by_industry");
	cr_expect_eq(json_array_size(ind), 1, "%s", r.body);
	expect_entry(ind, 0, w.industry, 6, 2, 1);
	json_t *lv = json_object_get(r.json, "by_title_level");
	cr_expect_eq(json_array_size(lv), 4, "%s", r.body);
	expect_entry(lv, 0, "intermediate", 3, 2, 0);
	expect_entry(lv, 1, "junior_assistant", 1, 0, 1);
	expect_entry(lv, 2, "junior_member", 1, 0, 0);
	expect_entry(lv, 3, "senior_full", 1, 0, 0);
	expect_examples(&w, json_object_get(r.json, "examples"), 0);
	t_resp_free(&r);

	/* a city draft governs the industry too (it has no set of its own);
	 * scoped to unit u1: a, b, c, d */
	r = simulate(city, YEAR, json_pack("{s:s}", "unit", w.u1), draft(NULL));
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(r.json, "scope"), "unit")), w.u1);
	cr_expect_eq(num(r.json, "person_years"), 4, "%s", r.body);
	cr_expect_eq(num(r.json, "compliant_before"), 3, "%s", r.body);
	cr_expect_eq(num(r.json, "compliant_after"), 2, "%s", r.body);
	cr_expect_eq(num(r.json, "to_non_compliant"), 1, "%s", r.body);
	cr_expect_eq(num(r.json, "to_compliant"), 0, "%s", r.body);
	expect_examples(&w, json_object_get(r.json, "examples"), 1);
	t_resp_free(&r);

	/* the industry authority of the industry: its own draft, its industry */
	char *ia = t_token("industry_authority", w.industry);
	r = simulate(ia, YEAR, NULL, draft(w.industry));
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(num(r.json, "person_years"), 6, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(r.json, "scope"), "industry")),
	                 w.industry);
	t_resp_free(&r);
	/* a district bureau sees its district only: u1's four */
	char *db = t_token("district_bureau", "320508");
	r = simulate(db, YEAR, NULL, draft(w.industry));
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(num(r.json, "person_years"), 4, "%s", r.body);
	cr_expect_eq(num(r.json, "to_non_compliant"), 1, "%s", r.body);
	t_resp_free(&r);
	free(db);
	free(ia);
	free(city);
	teardown(&w);
}

Test(simulate, R32_a_scope_outside_the_jurisdiction_is_404)
{
	world w;
	setup(&w);
	char *db = t_token("district_bureau", "320508");
	t_resp r = simulate(db, YEAR, json_pack("{s:s}", "district", "320505"), draft(w.industry));
	cr_expect(t_is_problem(&r, 404), "%d %s", r.status, r.body);
	t_resp_free(&r);
	/* a unit of another district */
	r = simulate(db, YEAR, json_pack("{s:s}", "unit", w.u2), draft(w.industry));
	cr_expect(t_is_problem(&r, 404), "%d %s", r.status, r.body);
	t_resp_free(&r);
	char *city = t_token("city_bureau", NULL);
	r = simulate(city, YEAR, json_pack("{s:s}", "unit", "11111111-2222-4333-8444-555555555555"),
	             draft(w.industry));
	cr_expect(t_is_problem(&r, 404), "unknown unit: %d %s", r.status, r.body);
	t_resp_free(&r);
	r = simulate(city, YEAR, json_pack("{s:s}", "industry", "no_such_industry"), draft(w.industry));
	cr_expect(t_is_problem(&r, 404), "unknown industry: %d %s", r.status, r.body);
	t_resp_free(&r);
	/* an industry authority naming another industry */
	char *ia = t_token("industry_authority", w.industry);
	r = simulate(ia, YEAR, json_pack("{s:s}", "industry", "health"), draft(w.industry));
	cr_expect(t_is_problem(&r, 404), "%d %s", r.status, r.body);
	t_resp_free(&r);
	free(ia);
	free(city);
	free(db);
	teardown(&w);
}

Test(simulate, R32_industry_authority_simulates_only_drafts_of_its_own_industry)
{
	world w;
	setup(&w);
	char *ia = t_token("industry_authority", w.industry);
	t_resp r = simulate(ia, YEAR, NULL, draft(NULL));
	cr_expect(t_is_problem(&r, 403), "city draft: %d %s", r.status, r.body);
	t_resp_free(&r);
	r = simulate(ia, YEAR, NULL, draft("health"));
	cr_expect(t_is_problem(&r, 403), "another industry: %d %s", r.status, r.body);
	t_resp_free(&r);
	/* units, bases and persons never simulate */
	char *unit = t_token("unit", w.u1);
	r = simulate(unit, YEAR, NULL, draft(w.industry));
	cr_expect(t_is_problem(&r, 403), "unit: %d %s", r.status, r.body);
	t_resp_free(&r);
	free(unit);
	free(ia);
	teardown(&w);
}

Test(simulate, R32_a_bad_draft_is_422_listing_every_field)
{
	char *city = t_token("city_bureau", NULL);
	json_t *rs = draft(NULL);
	json_object_set_new(rs, "cycle_years", json_integer(7));
	json_object_set_new(json_object_get(json_object_get(rs, "requirements"), "intermediate"), "public",
	                    json_string("x"));
	json_object_set_new(rs, "id", json_string("11111111-2222-4333-8444-555555555555"));
	t_resp r = simulate(city, YEAR, json_pack("{s:s}", "district", "12"), rs);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "rule_set.cycle_years", NULL), "%s", r.body);
	cr_expect(t_has_error(&r, "rule_set.requirements.intermediate.public", NULL), "%s", r.body);
	cr_expect(t_has_error(&r, "rule_set.id", "unknown_field"), "%s", r.body);
	cr_expect(t_has_error(&r, "scope.district", NULL), "%s", r.body);
	t_resp_free(&r);
	/* the draft must be in force on 1 January of the year */
	rs = draft(NULL);
	json_object_set_new(rs, "effective_from", json_string("2022-03-01"));
	r = simulate(city, YEAR, NULL, rs);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "rule_set.effective_from", "not_in_force"), "%s", r.body);
	t_resp_free(&r);
	/* an unknown industry */
	r = simulate(city, YEAR, NULL, draft("no_such_industry"));
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "rule_set.industry", "unknown"), "%s", r.body);
	t_resp_free(&r);
	free(city);
}

Test(simulate, R32_a_simulation_stores_nothing)
{
	world w;
	setup(&w);
	static const char *const counts[] = {
		"SELECT count(*) FROM jxjy.rule_sets",
		"SELECT count(*) FROM jxjy.audit_log",
		"SELECT count(*) FROM jxjy.idempotency_keys",
		"SELECT count(*) FROM jxjy.person_year_summary",
	};
	long before[4];
	for (int i = 0; i < 4; i++)
		before[i] = t_sql_count(w.db, counts[i], 0, NULL);
	const char *p[] = { w.industry };
	char *sums = t_sql_value(w.db, "SELECT string_agg(person || compliant::text || decided_at::text, ','"
	                               " ORDER BY person) FROM jxjy.person_year_summary"
	                               " WHERE judged_industry = $1", 1, p);
	char *city = t_token("city_bureau", NULL);
	json_t *b = json_pack("{s:i, s:o}", "year", YEAR, "rule_set", draft(w.industry));
	char *s = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	t_resp r = t_post_idem("/v1/rule-sets:simulate", city, s, "sim-stores-nothing");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(num(r.json, "to_non_compliant"), 2);
	t_resp_free(&r);
	free(s);
	for (int i = 0; i < 4; i++)
		cr_expect_eq(t_sql_count(w.db, counts[i], 0, NULL), before[i], "%s changed", counts[i]);
	char *after = t_sql_value(w.db, "SELECT string_agg(person || compliant::text || decided_at::text, ','"
	                                " ORDER BY person) FROM jxjy.person_year_summary"
	                                " WHERE judged_industry = $1", 1, p);
	cr_expect_str_eq(after, sums, "the stored decisions are untouched");
	free(after);
	free(sums);
	free(city);
	teardown(&w);
}

/* "The result equals what adopting it then produces."  Adopting the draft
 * (effective 2022-01-01) through POST /v1/rule-sets is a past-dated
 * adoption, which re-decides the person-years it governs: the decisions read
 * back after it are compared, person by person, with the simulation's (and
 * with core deciding, here, the same person-years as
 * GET /v1/persons/{id}/compliance served them before, under the draft). */
Test(simulate, R32_the_answer_equals_what_adopting_the_draft_then_produces_person_by_person)
{
	world w;
	setup(&w);
	char *city = t_token("city_bureau", NULL);
	t_resp sim = simulate(city, YEAR, NULL, draft(w.industry));
	cr_assert_eq(sim.status, 200, "%s", sim.body);

	json_t *rs_body = draft(w.industry);
	core_rule_set rs;
	cr_assert_eq(api_rules_from_json(&rs, rs_body, NULL), 0);
	snprintf(rs.id, sizeof rs.id, "draft");

	/* the decisions before, as stored (and served) */
	bool before[NP];
	long to_non = 0, to_comp = 0, after_n = 0;
	bool expect_after[NP];
	for (int i = 0; i < NP; i++) {
		char path[128];
		snprintf(path, sizeof path, "/v1/persons/%s/compliance?year=%d", w.p[i], YEAR);
		t_resp c = t_get(path, city);
		cr_assert_eq(c.status, 200, "%s", c.body);
		before[i] = json_is_true(json_object_get(c.json, "compliant"));
		core_level level;
		cr_assert_eq(core_level_parse(&level, json_string_value(json_object_get(c.json, "title_level"))), 0);
		json_t *earned = json_object_get(c.json, "earned");
		core_year_input in = {
			.year = YEAR,
			.level = level,
			.verified_public = (int32_t)(json_number_value(json_object_get(earned, "public")) * 10 + 0.5),
			.verified_professional =
				(int32_t)(json_number_value(json_object_get(earned, "professional")) * 10 + 0.5),
		};
		core_year_verdict v;
		cr_assert_eq(core_year_evaluate(&v, &rs, &in), 0);
		expect_after[i] = v.compliant;
		after_n += v.compliant;
		to_non += before[i] && !v.compliant;
		to_comp += !before[i] && v.compliant;
		t_resp_free(&c);
	}
	cr_expect_eq(num(sim.json, "person_years"), NP);
	cr_expect_eq(num(sim.json, "compliant_after"), after_n, "%s", sim.body);
	cr_expect_eq(num(sim.json, "to_non_compliant"), to_non, "%s", sim.body);
	cr_expect_eq(num(sim.json, "to_compliant"), to_comp, "%s", sim.body);

	/* adopt it (a past-dated adoption by the city bureau re-decides, R-32):
	 * person by person, the decisions then stored are the simulation's */
	char *s = json_dumps(rs_body, JSON_COMPACT);
	t_resp a = t_post_json("/v1/rule-sets", city, s);
	free(s);
	cr_assert_eq(a.status, 201, "%s", a.body);
	json_t *redecided = json_object_get(a.json, "redecided");
	cr_assert(json_is_object(redecided), "re-decided in the request: %s", a.body);
	cr_expect_eq(json_integer_value(json_object_get(redecided, "person_years")), NP, "%s", a.body);
	cr_expect_eq(json_integer_value(json_object_get(redecided, "changed")),
	             num(sim.json, "to_non_compliant") + num(sim.json, "to_compliant"), "%s", a.body);
	json_t *examples = json_object_get(sim.json, "examples");
	long after_adopted = 0;
	for (int i = 0; i < NP; i++) {
		char path[128];
		snprintf(path, sizeof path, "/v1/persons/%s/compliance?year=%d", w.p[i], YEAR);
		t_resp c = t_get(path, city);
		bool now = json_is_true(json_object_get(c.json, "compliant"));
		after_adopted += now;
		cr_expect_eq(now, expect_after[i], "person %d after adoption: %s", i, c.body);
		/* a changed person is among the simulation's examples (all of them:
		 * fewer than 20), with the same before and after */
		bool listed = false;
		size_t k;
		json_t *e;
		json_array_foreach(examples, k, e)
			if (!strcmp(json_string_value(json_object_get(e, "person")) ?: "", w.p[i])) {
				listed = true;
				cr_expect_eq(json_is_true(json_object_get(e, "before")), before[i]);
				cr_expect_eq(json_is_true(json_object_get(e, "after")), now);
			}
		cr_expect_eq(listed, now != before[i], "person %d: listed iff changed: %s", i, sim.body);
		t_resp_free(&c);
	}
	cr_expect_eq(num(sim.json, "compliant_after"), after_adopted, "%s", sim.body);
	t_resp_free(&a);
	json_decref(rs_body);
	t_resp_free(&sim);
	free(city);
	teardown(&w);
}
