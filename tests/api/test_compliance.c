/*
 * Compliance, eligibility, certificate and cycle assessments over HTTP
 * (API.md; DOMAIN.md ), and `jxjyctl recompute`.
 *
 * Every test makes its own industry (a fresh code), units and persons, so
 * that rule sets other suites add for real industries never judge these
 * persons, and `jxjyctl recompute --industry <code>` re-decides exactly this
 * test's person-years.  Records are inserted as the superuser; their
 * person-years are then decided by core through `jxjyctl recompute`.  Years
 * 2019–2023 are judged by the city's 2013 rules (24 + 48, junior 14 + 28,
 * 5-year cycles) unless a test adds an industry rule set.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "testlib.h"

#define CITY_2013 "00000000-0000-4000-8000-000000002013"

typedef struct fx {
	PGconn *db;
	char industry[40], industry2[40];
	char unit1[40], unit2[40], unit3[40];
} fx;

static void copy(char *dst, size_t n, char *s)
{
	cr_assert(s, "fixture insert returned nothing");
	snprintf(dst, n, "%s", s);
	free(s);
}

static void make_industry(PGconn *db, char out[40])
{
	char code[40], name[64];
	unsigned r = randombytes_random();
	snprintf(code, sizeof code, "cx%08x", r);
	snprintf(name, sizeof name, "合规测试行业 %08x", r);
	const char *p[] = { code, name };
	copy(out, 40, t_sql_value(db, "INSERT INTO jxjy.industries (code, name) VALUES ($1, $2)"
	                              " RETURNING code", 2, p));
}

static void make_unit(PGconn *db, char out[40], const char *district, const char *industry)
{
	char code[19];
	t_make_credit_code(code, randombytes_random());
	const char *p[] = { code, district, industry };
	copy(out, 40, t_sql_value(db, "INSERT INTO jxjy.units (credit_code, name, kind, district, industry)"
	                              " VALUES ($1, '合规测试单位', 'enterprise', $2, $3) RETURNING id",
	                          3, p));
}

/* A person of unit with a title level and the first year of their cycle. */
static void make_person(PGconn *db, char out[40], const char *unit, const char *level, int cycle_start)
{
	char nid[19], start[16];
	t_make_resident_id(nid, randombytes_random());
	snprintf(start, sizeof start, "%d", cycle_start);
	const char *p[] = { nid, unit, level, start };
	copy(out, 40, t_sql_value(db, "INSERT INTO jxjy.persons (national_id, name, unit, district,"
	                              " industry, title_level, cycle_start_year)"
	                              " SELECT $1, '测试人员', u.id, u.district, u.industry,"
	                              " $3::jxjy.title_level, $4::int FROM jxjy.units u WHERE u.id = $2"
	                              " RETURNING id", 4, p));
}

/* fx: industry (own) with unit1 and unit3 in 320508, industry2 with unit2
 * in 320505 */
static void setup(fx *f)
{
	f->db = t_db();
	make_industry(f->db, f->industry);
	make_industry(f->db, f->industry2);
	make_unit(f->db, f->unit1, "320508", f->industry);
	make_unit(f->db, f->unit3, "320508", f->industry);
	make_unit(f->db, f->unit2, "320505", f->industry2);
}

static void teardown(fx *f)
{
	PQfinish(f->db);
}

/* A record of `hours` in `year`, the k-th of the person-year (distinct,
 * ten-day date ranges so no two collide), with a status. */
static void record(fx *f, const char *person, int year, const char *category, const char *hours,
                   const char *status, int k)
{
	char start[32], end[32];
	snprintf(start, sizeof start, "%d-%02d-01", year, k + 1);
	snprintf(end, sizeof end, "%d-%02d-10", year, k + 1);
	const char *p[] = { person, start, end, category, hours, status };
	PQclear(t_sql(f->db, "INSERT INTO jxjy.records (person, year, start_date, end_date, category,"
	                     " form, class_type, hours, source, status, reason)"
	                     " VALUES ($1, extract(year FROM $3::date)::int, $2::date, $3::date,"
	                     " $4::jxjy.category, 'training_class', 'full_time', $5::numeric, 'unit',"
	                     " $6::jxjy.record_status,"
	                     " CASE WHEN $6 IN ('rejected', 'revoked') THEN '测试' END)", 6, p));
}

/* core decides this test's person-years (R-5 at write time) */
static void recompute(fx *f)
{
	char args[96], *out = NULL;
	snprintf(args, sizeof args, "recompute --industry %s", f->industry);
	int rc = t_jxjyctl(args, NULL, &out);
	cr_assert_eq(rc, 0, "jxjyctl %s: %d %s", args, rc, out);
	free(out);
}

/* GET /v1/persons/<person><suffix>[?query] */
static t_resp get(const char *token, const char *suffix, const char *person, const char *query)
{
	char path[256];
	snprintf(path, sizeof path, "/v1/persons/%s%s", person, suffix);
	if (query) {
		size_t n = strlen(path);
		snprintf(path + n, sizeof path - n, "?%s", query);
	}
	return t_get(path, token);
}

static t_resp compliance(const char *token, const char *person, const char *query)
{
	return get(token, "/compliance", person, query);
}

static t_resp eligibility(const char *token, const char *person, const char *query)
{
	return get(token, "/eligibility", person, query);
}

static double num(json_t *j, const char *a, const char *b)
{
	json_t *v = json_object_get(j, a);
	if (b)
		v = json_object_get(v, b);
	cr_assert(json_is_number(v), "%s.%s is not a number", a, b ? b : "");
	return json_number_value(v);
}

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static t_resp assess(const char *token, const char *person, const char *body)
{
	char path[128];
	snprintf(path, sizeof path, "/v1/persons/%s/cycle-assessments", person);
	return t_post_json(path, token, body);
}

/* ---- permission matrix (API.md rows "compliance, eligibility, certificate"
 * and "cycle assessments: record"), from one table ----------------------- */

enum { A_COMPLIANCE, A_ELIGIBILITY, A_CERTIFICATE, A_ASSESS_LIST, A_ASSESS_RECORD, A__N };
enum { T_P1, T_P2, T_P3 }; /* targets, see matrix_fx */
enum { J_NONE, J_DISTRICT, J_INDUSTRY, J_UNIT1, J_P1, J_BASE };

typedef struct cell {
	const char *role;
	int jur;
	int target;
	const char *relation;
	int expect[A__N];
} cell;

/* P1: 320508, unit1, own industry.  P2: 320505, unit2, industry2.
 * P3: 320508, unit3 (another unit of the same district and industry). */
static const cell matrix[] = {
	{ "city_bureau", J_NONE, T_P1, "any person", { 200, 200, 200, 200, 201 } },
	{ "city_bureau", J_NONE, T_P2, "any person", { 200, 200, 200, 200, 201 } },
	{ "district_bureau", J_DISTRICT, T_P1, "own district", { 200, 200, 200, 200, 201 } },
	{ "district_bureau", J_DISTRICT, T_P3, "own district, other unit", { 200, 200, 200, 200, 201 } },
	{ "district_bureau", J_DISTRICT, T_P2, "other district", { 404, 404, 404, 404, 404 } },
	{ "industry_authority", J_INDUSTRY, T_P1, "own industry", { 200, 200, 200, 200, 403 } },
	{ "industry_authority", J_INDUSTRY, T_P2, "other industry", { 404, 404, 404, 404, 403 } },
	{ "unit", J_UNIT1, T_P1, "own unit", { 200, 200, 200, 200, 201 } },
	{ "unit", J_UNIT1, T_P3, "other unit, same district", { 404, 404, 404, 404, 404 } },
	{ "unit", J_UNIT1, T_P2, "other unit", { 404, 404, 404, 404, 404 } },
	{ "person", J_P1, T_P1, "self", { 200, 200, 200, 200, 403 } },
	{ "person", J_P1, T_P3, "other person", { 404, 404, 404, 404, 403 } },
	{ "base", J_BASE, T_P1, "any person", { 403, 403, 403, 403, 403 } },
	{ "base", J_BASE, T_P2, "any person", { 403, 403, 403, 403, 403 } },
};

static void run_matrix(const char *role)
{
	fx f;
	setup(&f);
	char p[3][40];
	make_person(f.db, p[T_P1], f.unit1, "intermediate", 2020);
	make_person(f.db, p[T_P2], f.unit2, "intermediate", 2020);
	make_person(f.db, p[T_P3], f.unit3, "intermediate", 2020);
	record(&f, p[T_P1], 2022, "public", "24", "verified", 0);
	record(&f, p[T_P2], 2022, "public", "24", "verified", 0);
	const char *jur[] = { NULL, "320508", f.industry, f.unit1, p[T_P1],
	                      "11111111-2222-4333-8444-555555555555" };
	int cells = 0;
	for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
		const cell *c = &matrix[i];
		if (strcmp(c->role, role) != 0)
			continue;
		cells++;
		char *tok = t_token(c->role, jur[c->jur]);
		const char *person = p[c->target];
		t_resp r[A__N];
		r[A_COMPLIANCE] = compliance(tok, person, "year=2022");
		r[A_ELIGIBILITY] = eligibility(tok, person, "purpose=promotion&as_of=2024-03-01");
		r[A_CERTIFICATE] = get(tok, "/certificate", person, NULL);
		r[A_ASSESS_LIST] = get(tok, "/cycle-assessments", person, NULL);
		r[A_ASSESS_RECORD] = assess(tok, person, "{\"cycle_start_year\":2020,\"result\":\"passed\","
		                                         "\"assessed_on\":\"2024-12-01\"}");
		static const char *const names[] = { "compliance", "eligibility", "certificate",
		                                     "cycle-assessments list", "cycle-assessment record" };
		for (int a = 0; a < A__N; a++) {
			cr_expect_eq(r[a].status, c->expect[a], "%s (%s) %s: %d %s", c->role, c->relation,
			             names[a], r[a].status, r[a].body);
			if (c->expect[a] >= 400)
				cr_expect(t_is_problem(&r[a], c->expect[a]), "%s %s: a problem", c->role, names[a]);
			t_resp_free(&r[a]);
		}
		free(tok);
	}
	cr_expect(cells >= 2, "the matrix has rows for %s", role);
	teardown(&f);
}

Test(compliance_matrix, city_bureau_reads_and_records_for_everybody) { run_matrix("city_bureau"); }
Test(compliance_matrix, district_bureau_only_its_district) { run_matrix("district_bureau"); }
Test(compliance_matrix, industry_authority_reads_its_industry_never_records) { run_matrix("industry_authority"); }
Test(compliance_matrix, unit_only_its_own_staff) { run_matrix("unit"); }
Test(compliance_matrix, person_reads_self_only_never_records) { run_matrix("person"); }
Test(compliance_matrix, base_may_never) { run_matrix("base"); }

/* ---- R-5 boundaries, decided by core through jxjyctl recompute ---------- */

/* One person-year with the given verified hours; returns the compliance
 * answer of that year (city bureau). */
static t_resp one_year(fx *f, const char *level, const char *pub, const char *pro, char person[40])
{
	make_person(f->db, person, f->unit1, level, 2020);
	record(f, person, 2022, "public", pub, "verified", 0);
	record(f, person, 2022, "professional", pro, "verified", 1);
	recompute(f);
	char *city = t_token("city_bureau", NULL);
	t_resp r = compliance(city, person, "year=2022");
	free(city);
	cr_assert_eq(r.status, 200, "%s", r.body);
	return r;
}

Test(compliance, R5_24_public_48_professional_is_compliant)
{
	fx f;
	setup(&f);
	char p[40];
	t_resp r = one_year(&f, "intermediate", "24", "48", p);
	cr_expect(json_is_true(json_object_get(r.json, "compliant")), "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "person")), p);
	cr_expect_eq(json_integer_value(json_object_get(r.json, "year")), 2022);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "rule_set")), CITY_2013);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "title_level")), "intermediate");
	cr_expect(near(num(r.json, "required", "public"), 24) && near(num(r.json, "required", "professional"), 48) &&
	          near(num(r.json, "required", "total"), 72), "%s", r.body);
	cr_expect(near(num(r.json, "earned", "total"), 72), "%s", r.body);
	cr_expect(near(num(r.json, "shortfall", "public"), 0) && near(num(r.json, "shortfall", "professional"), 0));
	cr_expect(json_is_string(json_object_get(r.json, "decided_at")), "a stored decision: %s", r.body);
	t_resp_free(&r);
	teardown(&f);
}

Test(compliance, R5_24_public_47_9_professional_is_not)
{
	fx f;
	setup(&f);
	char p[40];
	t_resp r = one_year(&f, "senior_deputy", "24", "47.9", p);
	cr_expect(json_is_false(json_object_get(r.json, "compliant")), "%s", r.body);
	cr_expect(near(num(r.json, "shortfall", "professional"), 0.1), "%s", r.body);
	cr_expect(near(num(r.json, "shortfall", "public"), 0), "%s", r.body);
	/* hours carry one decimal on the wire, never 47.899999… */
	cr_expect(strstr(r.body, "\"professional\":47.9") != NULL, "%s", r.body);
	cr_expect(strstr(r.body, "\"total\":71.9") != NULL, "%s", r.body);
	t_resp_free(&r);
	teardown(&f);
}

Test(compliance, R5_surplus_professional_never_covers_public_10_plus_70)
{
	fx f;
	setup(&f);
	char p[40];
	t_resp r = one_year(&f, "intermediate", "10", "70", p);
	cr_expect(json_is_false(json_object_get(r.json, "compliant")), "80 h in total is still short: %s", r.body);
	cr_expect(near(num(r.json, "earned", "total"), 80), "%s", r.body);
	cr_expect(near(num(r.json, "shortfall", "public"), 14), "%s", r.body);
	cr_expect(near(num(r.json, "shortfall", "professional"), 0), "%s", r.body);
	t_resp_free(&r);
	teardown(&f);
}

Test(compliance, R4_R5_junior_14_plus_28_is_compliant)
{
	fx f;
	setup(&f);
	char p[40];
	t_resp r = one_year(&f, "junior_assistant", "14", "28", p);
	cr_expect(json_is_true(json_object_get(r.json, "compliant")), "%s", r.body);
	cr_expect(near(num(r.json, "required", "total"), 42), "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "title_level")), "junior_assistant");
	t_resp_free(&r);
	teardown(&f);
}

Test(compliance, R13_pending_hours_are_shown_apart_and_never_count)
{
	fx f;
	setup(&f);
	char p[40];
	make_person(f.db, p, f.unit1, "intermediate", 2020);
	record(&f, p, 2022, "public", "20", "verified", 0);
	record(&f, p, 2022, "public", "6", "registered", 1);
	record(&f, p, 2022, "professional", "48", "verified", 2);
	record(&f, p, 2022, "professional", "12.5", "registered", 3);
	record(&f, p, 2022, "public", "30", "rejected", 4);
	recompute(&f);
	char *city = t_token("city_bureau", NULL);
	t_resp r = compliance(city, p, "year=2022");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect(json_is_false(json_object_get(r.json, "compliant")), "pending hours do not count: %s", r.body);
	cr_expect(near(num(r.json, "earned", "public"), 20), "%s", r.body);
	cr_expect(near(num(r.json, "pending", "public"), 6), "%s", r.body);
	cr_expect(near(num(r.json, "pending", "professional"), 12.5), "%s", r.body);
	cr_expect(near(num(r.json, "shortfall", "public"), 4), "%s", r.body);
	t_resp_free(&r);
	free(city);
	teardown(&f);
}

Test(compliance, a_year_without_records_is_decided_by_core_with_zero_hours)
{
	fx f;
	setup(&f);
	char p[40];
	make_person(f.db, p, f.unit1, "senior_full", 2020);
	char *unit = t_token("unit", f.unit1);
	t_resp r = compliance(unit, p, "year=2021");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect(json_is_false(json_object_get(r.json, "compliant")), "%s", r.body);
	cr_expect(near(num(r.json, "required", "public"), 24) && near(num(r.json, "required", "professional"), 48),
	          "%s", r.body);
	cr_expect(near(num(r.json, "earned", "total"), 0), "%s", r.body);
	cr_expect(near(num(r.json, "shortfall", "professional"), 48), "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "rule_set")), CITY_2013);
	cr_expect(json_is_null(json_object_get(r.json, "decided_at")), "decided now: %s", r.body);
	t_resp_free(&r);
	free(unit);
	teardown(&f);
}

Test(compliance, a_range_answers_one_item_per_year_stored_or_not)
{
	fx f;
	setup(&f);
	char p[40];
	make_person(f.db, p, f.unit1, "intermediate", 2020);
	record(&f, p, 2021, "public", "24", "verified", 0);
	record(&f, p, 2021, "professional", "48", "verified", 1);
	recompute(&f);
	char *city = t_token("city_bureau", NULL);
	t_resp r = compliance(city, p, "from=2020&to=2022");
	cr_assert_eq(r.status, 200, "%s", r.body);
	json_t *items = json_object_get(r.json, "items");
	cr_assert_eq(json_array_size(items), 3, "%s", r.body);
	for (int i = 0; i < 3; i++) {
		json_t *it = json_array_get(items, (size_t)i);
		cr_expect_eq(json_integer_value(json_object_get(it, "year")), 2020 + i);
		cr_expect_eq(json_is_true(json_object_get(it, "compliant")), i == 1, "year %d", 2020 + i);
	}
	t_resp_free(&r);
	free(city);
	teardown(&f);
}

/* an industry's own rule set beats the city default */
static void industry_rule_set(fx *f, char id[40], int cycle_years, const char *pub, const char *pro)
{
	char cy[4];
	snprintf(cy, sizeof cy, "%d", cycle_years);
	const char *p[] = { f->industry, cy };
	copy(id, 40, t_sql_value(f->db, "INSERT INTO jxjy.rule_sets (industry, name, effective_from,"
	                                " cycle_years, city_senior_faculty_pct, city_certified_manager_pct,"
	                                " district_senior_faculty_pct, district_certified_manager_pct)"
	                                " VALUES ($1, '行业继续教育规定（测试）', '2015-01-01', $2::smallint,"
	                                " 60, 80, 60, 80) RETURNING id", 2, p));
	const char *m[] = { id, pub, pro };
	PQclear(t_sql(f->db, "INSERT INTO jxjy.rule_set_minimums (rule_set, title_level, public_hours,"
	                     " professional_hours) SELECT $1::uuid, l, $2::numeric, $3::numeric"
	                     " FROM unnest(enum_range(NULL::jxjy.title_level)) l", 3, m));
}

Test(compliance, R6_an_industry_rule_set_beats_the_city_default)
{
	fx f;
	setup(&f);
	char rs[40], p[40], other[40];
	industry_rule_set(&f, rs, 4, "30", "60");
	make_person(f.db, p, f.unit1, "intermediate", 2020);
	make_person(f.db, other, f.unit2, "intermediate", 2020);
	record(&f, p, 2022, "public", "24", "verified", 0);
	record(&f, p, 2022, "professional", "48", "verified", 1);
	recompute(&f);
	char *city = t_token("city_bureau", NULL);
	t_resp r = compliance(city, p, "year=2022");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "rule_set")), rs);
	cr_expect(near(num(r.json, "required", "total"), 90), "%s", r.body);
	cr_expect(json_is_false(json_object_get(r.json, "compliant")), "24 + 48 is short under 30 + 60: %s", r.body);
	t_resp_free(&r);
	/* a year without records too, and a person of another industry keeps the city's */
	r = compliance(city, p, "year=2021");
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "rule_set")), rs, "%s", r.body);
	t_resp_free(&r);
	r = compliance(city, other, "year=2021");
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "rule_set")), CITY_2013, "%s", r.body);
	t_resp_free(&r);
	free(city);
	teardown(&f);
}

/* ---- R-15 eligibility --------------------------------------------------- */

/* cycle 2020-2024 (city 2013 rules: 5 years); 2021 short by 8 professional */
static void cycle_with_failing_2021(fx *f, char p[40])
{
	make_person(f->db, p, f->unit1, "intermediate", 2020);
	for (int y = 2020; y <= 2023; y++) {
		record(f, p, y, "public", "24", "verified", 0);
		record(f, p, y, "professional", y == 2021 ? "40" : "48", "verified", 1);
	}
	recompute(f);
}

Test(eligibility, R15_a_failing_middle_year_blocks_promotion_and_is_listed)
{
	fx f;
	setup(&f);
	char p[40];
	cycle_with_failing_2021(&f, p);
	char *city = t_token("city_bureau", NULL);
	const char *purposes[] = { "promotion", "hiring", "renewal" };
	for (int i = 0; i < 3; i++) {
		char q[96];
		snprintf(q, sizeof q, "purpose=%s&as_of=2024-03-01", purposes[i]);
		t_resp r = eligibility(city, p, q);
		cr_assert_eq(r.status, 200, "%s", r.body);
		cr_expect_str_eq(json_string_value(json_object_get(r.json, "purpose")), purposes[i]);
		cr_expect_str_eq(json_string_value(json_object_get(r.json, "as_of")), "2024-03-01");
		cr_expect(json_is_false(json_object_get(r.json, "eligible")), "%s", r.body);
		cr_expect_eq(json_integer_value(json_object_get(json_object_get(r.json, "cycle"), "start_year")), 2020);
		cr_expect_eq(json_integer_value(json_object_get(json_object_get(r.json, "cycle"), "end_year")), 2024);
		json_t *failing = json_object_get(r.json, "failing_years");
		cr_assert_eq(json_array_size(failing), 1, "only 2021 fails: %s", r.body);
		json_t *y = json_array_get(failing, 0);
		cr_expect_eq(json_integer_value(json_object_get(y, "year")), 2021);
		cr_expect(near(num(y, "shortfall", "professional"), 8), "%s", r.body);
		cr_expect(near(num(y, "shortfall", "public"), 0), "%s", r.body);
		json_t *reasons = json_object_get(r.json, "reasons");
		/* the conclusion first (codes, R-15), then the year's shortfall */
		json_t *r0 = json_array_get(reasons, 0), *r1 = json_array_get(reasons, 1);
		cr_expect(!strcmp(json_string_value(json_object_get(r0, "code")) ?: "", "years_not_compliant") &&
		          json_integer_value(json_object_get(r0, "count")) == 1, "%s", r.body);
		cr_expect(json_integer_value(json_object_get(r1, "year")) == 2021 &&
		          !strcmp(json_string_value(json_object_get(r1, "code")) ?: "", "professional_short"),
		          "%s", r.body);
		t_resp_free(&r);
	}
	/* as of 2021 only 2020 is examined: eligible */
	t_resp r = eligibility(city, p, "purpose=promotion&as_of=2021-06-30");
	cr_expect(json_is_true(json_object_get(r.json, "eligible")), "%s", r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "failing_years")), 0);
	t_resp_free(&r);
	free(city);
	teardown(&f);
}

Test(eligibility, R15_annual_assessment_of_a_compliant_and_a_failing_year)
{
	fx f;
	setup(&f);
	char p[40];
	cycle_with_failing_2021(&f, p);
	char *person = t_token("person", p);
	t_resp r = eligibility(person, p, "purpose=annual_assessment&year=2022");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect(json_is_true(json_object_get(r.json, "eligible")), "%s", r.body);
	cr_expect_eq(json_integer_value(json_object_get(r.json, "year")), 2022);
	t_resp_free(&r);
	r = eligibility(person, p, "purpose=annual_assessment&year=2021");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect(json_is_false(json_object_get(r.json, "eligible")), "%s", r.body);
	json_t *failing = json_object_get(r.json, "failing_years");
	cr_expect_eq(json_array_size(failing), 1);
	cr_expect(near(num(json_array_get(failing, 0), "shortfall", "professional"), 8), "%s", r.body);
	t_resp_free(&r);
	/* a year without any record fails with the full requirement short */
	r = eligibility(person, p, "purpose=annual_assessment&year=2024");
	cr_expect(json_is_false(json_object_get(r.json, "eligible")), "%s", r.body);
	cr_expect(near(num(json_array_get(json_object_get(r.json, "failing_years"), 0), "shortfall", "public"), 24),
	          "%s", r.body);
	t_resp_free(&r);
	/* R-15 revised, R-28: a year before the person's first period carries no requirement */
	r = eligibility(person, p, "purpose=annual_assessment&year=2019");
	cr_expect(json_is_true(json_object_get(r.json, "eligible")), "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r.json, "reasons"), 0),
	                                                   "code")), "no_requirement", "%s", r.body);
	t_resp_free(&r);
	free(person);
	teardown(&f);
}

Test(eligibility, R15_a_person_registered_this_year_is_eligible)
{
	fx f;
	setup(&f);
	time_t now = time(NULL) + 8 * 3600; /* CST */
	struct tm tm;
	gmtime_r(&now, &tm);
	char p[40];
	make_person(f.db, p, f.unit1, "junior_member", tm.tm_year + 1900);
	char *unit = t_token("unit", f.unit1);
	t_resp r = eligibility(unit, p, "purpose=hiring");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect(json_is_true(json_object_get(r.json, "eligible")), "%s", r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "failing_years")), 0);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(r.json, "cycle"), "start_year")),
	             tm.tm_year + 1900, "%s", r.body);
	char today[16];
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "as_of")), today, "as_of defaults to today (CST)");
	cr_expect(json_array_size(json_object_get(r.json, "reasons")) == 1, "%s", r.body);
	t_resp_free(&r);
	free(unit);
	teardown(&f);
}

Test(eligibility, R6_R8_an_industry_cycle_of_four_years)
{
	fx f;
	setup(&f);
	char rs[40], p[40];
	industry_rule_set(&f, rs, 4, "24", "48");
	make_person(f.db, p, f.unit1, "intermediate", 2016);
	char *city = t_token("city_bureau", NULL);
	t_resp r = eligibility(city, p, "purpose=renewal&as_of=2021-05-01");
	cr_assert_eq(r.status, 200, "%s", r.body);
	json_t *cycle = json_object_get(r.json, "cycle");
	cr_expect_eq(json_integer_value(json_object_get(cycle, "start_year")), 2020, "%s", r.body);
	cr_expect_eq(json_integer_value(json_object_get(cycle, "end_year")), 2023, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(cycle, "rule_set")), rs);
	cr_expect(json_is_false(json_object_get(r.json, "eligible")), "2020 has no records: %s", r.body);
	t_resp_free(&r);
	free(city);
	teardown(&f);
}

/* ---- validation and visibility ---------------------------------------- */

Test(compliance, bad_queries_are_400)
{
	fx f;
	setup(&f);
	char p[40];
	make_person(f.db, p, f.unit1, "intermediate", 2020);
	char *city = t_token("city_bureau", NULL);
	const char *bad[] = { NULL, "year=", "year=abc", "year=20x2", "year=1989", "year=2101",
	                      "year=2022&from=2020&to=2021", "from=2020", "from=2022&to=2020",
	                      "from=2000&to=2020", "year=2022&color=red" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t_resp r = compliance(city, p, bad[i]);
		cr_expect(t_is_problem(&r, 400), "?%s: %d %s", bad[i] ? bad[i] : "", r.status, r.body);
		t_resp_free(&r);
	}
	t_resp r = compliance(city, p, "from=2013&to=2032");
	cr_expect_eq(r.status, 200, "20 years are allowed: %s", r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 20);
	t_resp_free(&r);
	r = compliance(city, p, "year=2012");
	cr_expect(t_is_problem(&r, 422), "no rule set before 2013: %d %s", r.status, r.body);
	t_resp_free(&r);
	free(city);
	teardown(&f);
}

Test(eligibility, bad_queries_are_400)
{
	fx f;
	setup(&f);
	char p[40];
	make_person(f.db, p, f.unit1, "intermediate", 2020);
	char *city = t_token("city_bureau", NULL);
	const char *bad[] = { NULL, "purpose=retirement", "purpose=annual_assessment",
	                      "purpose=annual_assessment&year=abc", "purpose=hiring&year=2022",
	                      "purpose=promotion&as_of=2024-02-30", "purpose=promotion&as_of=yesterday",
	                      "purpose=promotion&unit=x" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t_resp r = eligibility(city, p, bad[i]);
		cr_expect(t_is_problem(&r, 400), "?%s: %d %s", bad[i] ? bad[i] : "", r.status, r.body);
		t_resp_free(&r);
	}
	free(city);
	teardown(&f);
}

Test(compliance, an_invisible_or_unknown_person_is_404)
{
	fx f;
	setup(&f);
	char p[40];
	make_person(f.db, p, f.unit2, "intermediate", 2020); /* 320505 */
	char *gusu = t_token("district_bureau", "320508");
	char *city = t_token("city_bureau", NULL);
	const char *paths[] = { "/compliance?year=2022",
	                        "/eligibility?purpose=promotion",
	                        "/certificate", "/cycle-assessments" };
	for (int i = 0; i < 4; i++) {
		t_resp r = get(gusu, paths[i], p, NULL);
		cr_expect(t_is_problem(&r, 404), "%s other district: %d", paths[i], r.status);
		t_resp_free(&r);
		r = get(city, paths[i], "8f1d3c2a-0000-4000-8000-00000000dead", NULL);
		cr_expect(t_is_problem(&r, 404), "%s unknown id: %d", paths[i], r.status);
		t_resp_free(&r);
		r = get(city, paths[i], "not-a-uuid", NULL);
		cr_expect(t_is_problem(&r, 404), "%s malformed id: %d", paths[i], r.status);
		t_resp_free(&r);
	}
	free(gusu);
	free(city);
	teardown(&f);
}

/* ---- the certificate (R-12, R-13) ---------------------------------------- */

Test(certificate, lists_every_record_by_year_with_its_status_and_the_yearly_summary)
{
	fx f;
	setup(&f);
	char p[40];
	make_person(f.db, p, f.unit1, "intermediate", 2020);
	record(&f, p, 2021, "public", "24", "verified", 0);
	record(&f, p, 2021, "professional", "48", "verified", 1);
	record(&f, p, 2021, "professional", "6", "rejected", 2);
	record(&f, p, 2022, "public", "12", "registered", 0);
	record(&f, p, 2022, "professional", "30", "revoked", 1);
	recompute(&f);
	char *district = t_token("district_bureau", "320508");
	t_resp r = get(district, "/certificate", p, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(r.json, "person"), "id")), p);
	json_t *years = json_object_get(r.json, "years");
	cr_assert_eq(json_array_size(years), 2, "%s", r.body);
	json_t *y21 = json_array_get(years, 0), *y22 = json_array_get(years, 1);
	cr_expect_eq(json_integer_value(json_object_get(y21, "year")), 2021);
	cr_expect_eq(json_array_size(json_object_get(y21, "records")), 3, "rejected ones are listed too");
	cr_expect(json_is_true(json_object_get(json_object_get(y21, "summary"), "compliant")), "%s", r.body);
	cr_expect_eq(json_array_size(json_object_get(y22, "records")), 2);
	json_t *s22 = json_object_get(y22, "summary");
	cr_expect(json_is_false(json_object_get(s22, "compliant")), "%s", r.body);
	cr_expect(near(num(s22, "earned", "professional"), 0), "revoked hours never count: %s", r.body);
	cr_expect(near(num(s22, "pending", "public"), 12), "%s", r.body);
	const char *statuses[2][3] = { { "verified", "verified", "rejected" }, { "registered", "revoked", NULL } };
	for (int y = 0; y < 2; y++) {
		json_t *recs = json_object_get(json_array_get(years, (size_t)y), "records");
		size_t i;
		json_t *rec;
		json_array_foreach(recs, i, rec) {
			bool found = false;
			for (int k = 0; k < 3; k++)
				if (statuses[y][k] && !strcmp(statuses[y][k], json_string_value(json_object_get(rec, "status"))))
					found = true;
			cr_expect(found, "status marked: %s", json_string_value(json_object_get(rec, "status")));
		}
	}
	t_resp_free(&r);
	free(district);
	teardown(&f);
}

Test(certificate, an_industry_authority_sees_the_professional_records_only)
{
	fx f;
	setup(&f);
	char p[40];
	make_person(f.db, p, f.unit1, "intermediate", 2020);
	record(&f, p, 2021, "public", "24", "verified", 0);
	record(&f, p, 2021, "professional", "48", "verified", 1);
	recompute(&f);
	char *ind = t_token("industry_authority", f.industry);
	t_resp r = get(ind, "/certificate", p, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	json_t *y = json_array_get(json_object_get(r.json, "years"), 0);
	json_t *recs = json_object_get(y, "records");
	cr_expect_eq(json_array_size(recs), 1, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(recs, 0), "category")), "professional");
	cr_expect(json_is_true(json_object_get(json_object_get(y, "summary"), "compliant")),
	          "the year's decision still counts both categories: %s", r.body);
	t_resp_free(&r);
	free(ind);
	teardown(&f);
}

/* ---- cycle assessments (R-8) ------------------------------------------- */

Test(cycle_assessments, record_with_location_audit_list_and_get)
{
	fx f;
	setup(&f);
	char p[40];
	make_person(f.db, p, f.unit1, "intermediate", 2020);
	char *unit = t_token("unit", f.unit1);
	t_resp r = assess(unit, p, "{\"cycle_start_year\":2020,\"result\":\"passed\","
	                           "\"assessed_on\":\"2024-12-20\",\"notes\":\"考核合格\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	const char *id = json_string_value(json_object_get(r.json, "id"));
	cr_assert(id);
	cr_expect_eq(json_integer_value(json_object_get(r.json, "cycle_end_year")), 2024,
	             "core: 5-year cycles under the 2013 rules");
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "result")), "passed");
	char loc[256];
	snprintf(loc, sizeof loc, "/v1/persons/%s/cycle-assessments/%s", p, id);
	cr_expect_str_eq(t_header(&r, "Location"), loc);
	PGconn *db = f.db;
	const char *q[] = { id };
	char *n = t_sql_value(db, "SELECT count(*) FROM jxjy.audit_log WHERE entity = 'cycle_assessment'"
	                          " AND entity_id = $1 AND action = 'create'", 1, q);
	cr_expect_str_eq(n, "1", "audited");
	free(n);
	t_resp g = t_get(loc, unit);
	cr_expect_eq(g.status, 200, "%s", g.body);
	cr_expect_str_eq(json_string_value(json_object_get(g.json, "id")), id);
	t_resp_free(&g);
	g = get(unit, "/cycle-assessments", p, NULL);
	cr_expect_eq(g.status, 200, "%s", g.body);
	cr_expect_eq(json_array_size(json_object_get(g.json, "items")), 1, "%s", g.body);
	cr_expect(json_is_null(json_object_get(g.json, "next_cursor")));
	t_resp_free(&g);
	/* the eligibility answer names the cycle's assessment once recorded */
	g = eligibility(unit, p, "purpose=promotion&as_of=2024-12-31");
	cr_expect_eq(g.status, 200, "%s", g.body);
	json_t *a = json_object_get(json_object_get(g.json, "cycle"), "assessment");
	cr_expect_str_eq(json_string_value(json_object_get(a, "result")), "passed", "%s", g.body);
	cr_expect_str_eq(json_string_value(json_object_get(a, "assessed_on")), "2024-12-20");
	t_resp_free(&g);
	g = eligibility(unit, p, "purpose=promotion&as_of=2024-12-01");
	a = json_object_get(json_object_get(g.json, "cycle"), "assessment");
	cr_expect(json_is_null(a), "not yet assessed on 2024-12-01: %s", g.body);
	t_resp_free(&g);
	g = eligibility(unit, p, "purpose=promotion&as_of=2025-03-01");
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(g.json, "cycle"), "start_year")), 2025);
	a = json_object_get(json_object_get(g.json, "cycle"), "assessment");
	cr_expect(json_is_null(a), "2025 starts the next cycle: %s", g.body);
	t_resp_free(&g);
	t_resp_free(&r);
	free(unit);
	teardown(&f);
}

Test(cycle_assessments, validation_is_422_with_fields)
{
	fx f;
	setup(&f);
	char p[40];
	make_person(f.db, p, f.unit1, "intermediate", 2020);
	char *city = t_token("city_bureau", NULL);
	struct { const char *body, *field; } cases[] = {
		{ "{\"cycle_start_year\":2022,\"result\":\"passed\",\"assessed_on\":\"2025-01-15\"}", "cycle_start_year" },
		{ "{\"cycle_start_year\":2015,\"result\":\"passed\",\"assessed_on\":\"2025-01-15\"}", "cycle_start_year" },
		{ "{\"cycle_start_year\":\"2020\",\"result\":\"passed\",\"assessed_on\":\"2025-01-15\"}", "cycle_start_year" },
		{ "{\"cycle_start_year\":2020,\"result\":\"excellent\",\"assessed_on\":\"2025-01-15\"}", "result" },
		{ "{\"cycle_start_year\":2020,\"result\":\"passed\",\"assessed_on\":\"2099-01-15\"}", "assessed_on" },
		{ "{\"cycle_start_year\":2020,\"result\":\"passed\",\"assessed_on\":\"2019-12-31\"}", "assessed_on" },
		{ "{\"cycle_start_year\":2020,\"result\":\"passed\",\"assessed_on\":\"2025-02-30\"}", "assessed_on" },
		{ "{\"cycle_start_year\":2020,\"result\":\"passed\"}", "assessed_on" },
		{ "{\"cycle_start_year\":2020,\"result\":\"passed\",\"assessed_on\":\"2025-01-15\",\"cycle_end_year\":2030}",
		  "cycle_end_year" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t_resp r = assess(city, p, cases[i].body);
		cr_expect(t_is_problem(&r, 422), "%s: %d %s", cases[i].body, r.status, r.body);
		bool named = false;
		size_t k;
		json_t *e;
		json_array_foreach(json_object_get(r.json, "errors"), k, e)
			if (!strcmp(json_string_value(json_object_get(e, "field")), cases[i].field))
				named = true;
		cr_expect(named, "errors name %s: %s", cases[i].field, r.body);
		t_resp_free(&r);
	}
	const char *q[] = { p };
	char *n = t_sql_value(f.db, "SELECT count(*) FROM jxjy.cycle_assessments WHERE person = $1", 1, q);
	cr_expect_str_eq(n, "0", "bad input never changes data");
	free(n);
	free(city);
	teardown(&f);
}

Test(cycle_assessments, R8_the_end_year_follows_the_industry_cycle_length)
{
	fx f;
	setup(&f);
	char rs[40], p[40];
	industry_rule_set(&f, rs, 4, "24", "48");
	make_person(f.db, p, f.unit1, "intermediate", 2016);
	char *district = t_token("district_bureau", "320508");
	t_resp r = assess(district, p, "{\"cycle_start_year\":2020,\"result\":\"failed\",\"assessed_on\":\"2024-01-05\"}");
	cr_expect_eq(r.status, 201, "%s", r.body);
	cr_expect_eq(json_integer_value(json_object_get(r.json, "cycle_end_year")), 2023, "%s", r.body);
	t_resp_free(&r);
	free(district);
	teardown(&f);
}

Test(cycle_assessments, an_idempotency_key_replays_the_first_answer)
{
	fx f;
	setup(&f);
	char p[40];
	make_person(f.db, p, f.unit1, "intermediate", 2020);
	char *city = t_token("city_bureau", NULL);
	char path[128], key[64];
	snprintf(path, sizeof path, "/v1/persons/%s/cycle-assessments", p);
	snprintf(key, sizeof key, "Idempotency-Key: ca-%08x", randombytes_random());
	const char *hdr[] = { key, "Content-Type: application/json", NULL };
	const char *body = "{\"cycle_start_year\":2020,\"result\":\"passed\",\"assessed_on\":\"2025-01-15\"}";
	t_resp a = t_http("POST", path, city, hdr, body, strlen(body));
	t_resp b = t_http("POST", path, city, hdr, body, strlen(body));
	cr_expect_eq(a.status, 201, "%s", a.body);
	cr_expect_eq(b.status, 201, "%s", b.body);
	cr_expect_str_eq(json_string_value(json_object_get(a.json, "id")),
	                 json_string_value(json_object_get(b.json, "id")));
	const char *q[] = { p };
	char *n = t_sql_value(f.db, "SELECT count(*) FROM jxjy.cycle_assessments WHERE person = $1", 1, q);
	cr_expect_str_eq(n, "1");
	free(n);
	t_resp_free(&a);
	t_resp_free(&b);
	free(city);
	teardown(&f);
}

/* ---- jxjyctl recompute ------------------------------------------------- */

Test(recompute, R5_resumes_after_its_cursor_and_restarts_on_demand)
{
	fx f;
	setup(&f);
	char a[40], b[40];
	make_person(f.db, a, f.unit1, "intermediate", 2020);
	make_person(f.db, b, f.unit1, "intermediate", 2020);
	if (strcmp(a, b) > 0) {
		char t[40];
		memcpy(t, a, 40);
		memcpy(a, b, 40);
		memcpy(b, t, 40);
	}
	record(&f, a, 2022, "public", "24", "verified", 0);
	record(&f, b, 2022, "public", "24", "verified", 0);
	/* an interrupted run whose last committed batch ended with person a */
	const char *r1[] = { f.industry, a };
	PQclear(t_sql(f.db, "INSERT INTO jxjy.recompute_runs (industry, cursor, persons) VALUES ($1, $2::uuid, 1)",
	              2, r1));
	recompute(&f);
	const char *qa[] = { a }, *qb[] = { b };
	const char *sql = "SELECT count(*) FROM jxjy.person_year_summary WHERE person = $1 AND year = 2022";
	char *na = t_sql_value(f.db, sql, 1, qa), *nb = t_sql_value(f.db, sql, 1, qb);
	cr_expect_str_eq(na, "0", "the run resumed after a");
	cr_expect_str_eq(nb, "1", "and decided b");
	free(na);
	free(nb);
	char *runs = t_sql_value(f.db, "SELECT count(*) FROM jxjy.recompute_runs WHERE industry = $1"
	                               " AND finished_at IS NOT NULL AND persons = 2", 1, r1);
	cr_expect_str_eq(runs, "1", "the resumed run finished with both persons counted");
	free(runs);
	char *audit = t_sql_value(f.db, "SELECT count(*) FROM jxjy.audit_log WHERE action = 'recompute'"
	                                " AND after ->> 'industry' = $1", 1, r1);
	cr_expect_str_eq(audit, "1", "a finished run is audited");
	free(audit);
	/* --restart starts over: a is decided too */
	PQclear(t_sql(f.db, "INSERT INTO jxjy.recompute_runs (industry, cursor) VALUES ($1, $2::uuid)", 2, r1));
	char args[96], *out = NULL;
	snprintf(args, sizeof args, "recompute --industry %s --restart --batch 1", f.industry);
	cr_assert_eq(t_jxjyctl(args, NULL, &out), 0, "%s", out);
	cr_expect(strstr(out, "recomputed 2 person-years of 2 persons") != NULL, "%s", out);
	free(out);
	na = t_sql_value(f.db, sql, 1, qa);
	cr_expect_str_eq(na, "1");
	free(na);
	/* bad options are refused */
	cr_expect_eq(t_jxjyctl("recompute --year 12", NULL, NULL), 2);
	cr_expect_eq(t_jxjyctl("recompute --batch 0", NULL, NULL), 2);
	teardown(&f);
}

Test(recompute, a_year_filter_touches_only_that_year)
{
	fx f;
	setup(&f);
	char p[40];
	make_person(f.db, p, f.unit1, "intermediate", 2020);
	record(&f, p, 2021, "public", "24", "verified", 0);
	record(&f, p, 2022, "public", "24", "verified", 0);
	char args[96], *out = NULL;
	snprintf(args, sizeof args, "recompute --industry %s --year 2022", f.industry);
	cr_assert_eq(t_jxjyctl(args, NULL, &out), 0, "%s", out);
	free(out);
	const char *q[] = { p };
	char *years = t_sql_value(f.db, "SELECT string_agg(year::text, ',' ORDER BY year)"
	                                " FROM jxjy.person_year_summary WHERE person = $1", 1, q);
	cr_expect_str_eq(years, "2022");
	free(years);
	teardown(&f);
}
