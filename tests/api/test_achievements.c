/*
 * Achievements over HTTP against the real database: the permission matrix
 * rows "achievements: submit / approve / reject" (one table), R-9a ranges,
 * R-9b's same-project top-up across years (also under concurrency), R-9c
 * kinds of an industry's rule set, the credited record and the
 * person-year summary, transitions, validation, audit and replay.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "testlib.h"

#define DISTRICT_A "320508"
#define DISTRICT_B "320583"
#define INDUSTRY_A "education"
#define INDUSTRY_B "engineering"

typedef struct world {
	char unit_a[40], unit_b[40], person_a[40], person_b[40];
} world;

static void world_new(world *w)
{
	PGconn *db = t_db();
	t_take_id(w->unit_a, t_new_unit(db, DISTRICT_A, INDUSTRY_A));
	t_take_id(w->unit_b, t_new_unit(db, DISTRICT_B, INDUSTRY_B));
	t_take_id(w->person_a, t_new_person(db, w->unit_a, "senior_deputy"));
	t_take_id(w->person_b, t_new_person(db, w->unit_b, "senior_deputy"));
	PQfinish(db);
}

/* a submitted achievement, as the database's owner */
static char *achievement_new(const char *person, const char *kind, int year, const char *project_key)
{
	PGconn *db = t_db();
	char y[8];
	snprintf(y, sizeof y, "%d", year);
	const char *p[] = { person, kind, y, project_key };
	char *id = t_sql_value(db, "INSERT INTO jxjy.achievements (person, kind, year, title, venue, project_key)"
	                           " VALUES ($1, $2, $3::int, '高性能混凝土耐久性研究', '建筑材料学报', $4)"
	                           " RETURNING id", 4, p);
	PQfinish(db);
	return id;
}

static t_resp review(const char *id, const char *verb, const char *token, const char *body)
{
	char path[128];
	snprintf(path, sizeof path, "/v1/achievements/%s/%s", id, verb);
	return t_post_json(path, token, body);
}

static char *sql1(const char *sql, const char *a, const char *b)
{
	PGconn *db = t_db();
	const char *p[] = { a, b };
	char *v = t_sql_value(db, sql, b ? 2 : 1, p);
	PQfinish(db);
	return v;
}

static double num(const t_resp *r, const char *field)
{
	return json_number_value(json_object_get(r->json, field));
}

/* ---- the permission matrix ---------------------------------------------- */

enum { ROLE_CITY, ROLE_DISTRICT, ROLE_INDUSTRY, ROLE_UNIT, ROLE_BASE, ROLE_PERSON, ROLE__N };
enum { ACT_READ, ACT_SUBMIT, ACT_APPROVE, ACT_REJECT, ACT__N };
/* person A: own district, industry, unit, self; person B: the other */
enum { TGT_A, TGT_B, TGT__N };

static const char *const role_names[] = { "city_bureau", "district_bureau", "industry_authority",
                                          "unit", "base", "person" };
static const char *const act_names[] = { "read", "submit", "approve", "reject" };

/* API.md: achievements submit | approve (set hours) / reject; reads as records' */
static const int matrix[ROLE__N][ACT__N][TGT__N] = {
	/*                  read        submit      approve     reject */
	[ROLE_CITY] = { { 200, 200 }, { 403, 403 }, { 200, 200 }, { 200, 200 } },
	[ROLE_DISTRICT] = { { 200, 404 }, { 403, 403 }, { 200, 404 }, { 200, 404 } },
	[ROLE_INDUSTRY] = { { 200, 404 }, { 403, 403 }, { 200, 404 }, { 200, 404 } },
	[ROLE_UNIT] = { { 200, 404 }, { 201, 404 }, { 403, 403 }, { 403, 403 } },
	[ROLE_BASE] = { { 403, 403 }, { 403, 403 }, { 403, 403 }, { 403, 403 } },
	[ROLE_PERSON] = { { 200, 404 }, { 201, 404 }, { 403, 403 }, { 403, 403 } },
};

Test(achievements, permission_matrix_every_role_action_and_scope, .timeout = 120)
{
	world w;
	world_new(&w);
	const char *jur[ROLE__N] = { NULL, DISTRICT_A, INDUSTRY_A, w.unit_a,
	                             "11111111-2222-4333-8444-555555555555", w.person_a };
	for (int role = 0; role < ROLE__N; role++) {
		char *tok = t_token(role_names[role], jur[role]);
		for (int act = 0; act < ACT__N; act++) {
			for (int tgt = 0; tgt < TGT__N; tgt++) {
				const char *person = tgt == TGT_A ? w.person_a : w.person_b;
				char *id = NULL;
				t_resp r;
				if (act == ACT_SUBMIT) {
					char body[512];
					snprintf(body, sizeof body, "{\"person\":\"%s\",\"kind\":\"paper_provincial\","
					                            "\"year\":2024,\"title\":\"论文\",\"venue\":\"江苏教育\"}", person);
					r = t_post_json("/v1/achievements", tok, body);
				} else {
					id = achievement_new(person, "paper_provincial", 2024, NULL);
					if (act == ACT_READ) {
						char path[96];
						snprintf(path, sizeof path, "/v1/achievements/%s", id);
						r = t_get(path, tok);
					} else if (act == ACT_APPROVE) {
						r = review(id, "approve", tok, "{\"hours\":12}");
					} else {
						r = review(id, "reject", tok, "{\"reason\":\"与本专业无关\"}");
					}
				}
				int want = matrix[role][act][tgt];
				if (want >= 400)
					cr_expect(t_is_problem(&r, want), "%s %s %c: want %d, got %d %s", role_names[role],
					          act_names[act], 'A' + tgt, want, r.status, r.body);
				else
					cr_expect_eq(r.status, want, "%s %s %c: want %d, got %d %s", role_names[role],
					             act_names[act], 'A' + tgt, want, r.status, r.body);
				if (id && want >= 400 && act != ACT_READ) {
					char *st = sql1("SELECT status FROM jxjy.achievements WHERE id = $1", id, NULL);
					cr_expect_str_eq(st, "submitted", "a refused review changes nothing");
					free(st);
				}
				free(id);
				t_resp_free(&r);
			}
		}
		free(tok);
	}
}

Test(achievements, list_and_filters_follow_the_jurisdiction)
{
	world w;
	world_new(&w);
	char *a1 = achievement_new(w.person_a, "monograph", 2023, NULL);
	char *a2 = achievement_new(w.person_a, "paper_national", 2024, NULL);
	char *b1 = achievement_new(w.person_b, "monograph", 2023, NULL);
	char *city = t_token("city_bureau", NULL);
	t_resp r = review(a2, "reject", city, "{\"reason\":\"重复提交\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	struct { const char *role, *jur, *query; const char *want[3]; } cases[] = {
		{ "person", w.person_a, "", { a1, a2, NULL } },
		{ "unit", w.unit_a, "&status=submitted", { a1, NULL, NULL } },
		{ "district_bureau", DISTRICT_A, "&year=2024", { a2, NULL, NULL } },
		{ "industry_authority", INDUSTRY_B, "", { b1, NULL, NULL } },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *tok = t_token(cases[i].role, cases[i].jur);
		char path[256];
		snprintf(path, sizeof path, "/v1/achievements?person=%s%s", i == 3 ? w.person_b : w.person_a,
		         cases[i].query);
		r = t_get(path, tok);
		cr_assert_eq(r.status, 200, "%s", r.body);
		json_t *items = json_object_get(r.json, "items");
		size_t want = 0;
		while (want < 3 && cases[i].want[want])
			want++;
		cr_expect_eq(json_array_size(items), want, "%s%s: %s", cases[i].role, cases[i].query, r.body);
		for (size_t k = 0; k < want && k < json_array_size(items); k++)
			cr_expect_str_eq(json_string_value(json_object_get(json_array_get(items, k), "id")),
			                 cases[i].want[k]);
		t_resp_free(&r);
		/* another person's achievements are simply not listed */
		snprintf(path, sizeof path, "/v1/achievements?person=%s", i == 3 ? w.person_a : w.person_b);
		r = t_get(path, tok);
		cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 0, "%s sees no others", cases[i].role);
		t_resp_free(&r);
		free(tok);
	}
	r = t_get("/v1/achievements?status=done", city);
	cr_expect(t_is_problem(&r, 400));
	t_resp_free(&r);
	free(a1);
	free(a2);
	free(b1);
	free(city);
}

/* ---- R-9a ---------------------------------------------------------------- */

Test(achievements, R9a_a_national_paper_at_21_is_refused_and_at_18_credited)
{
	world w;
	world_new(&w);
	char *me = t_token("person", w.person_a);
	/* the person submits for self: "person" may be left out */
	t_resp r = t_post_json("/v1/achievements", me, "{\"kind\":\"paper_national\",\"year\":2024,"
	                                                "\"title\":\"基于深度学习的课堂评价\",\"venue\":\"中国电化教育\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	char id[40];
	snprintf(id, sizeof id, "%s", json_string_value(json_object_get(r.json, "id")));
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "person")), w.person_a);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "status")), "submitted");
	cr_expect(json_is_null(json_object_get(r.json, "hours")));
	const char *loc = t_header(&r, "Location");
	cr_expect(loc && strstr(loc, id), "Location %s", loc ? loc : "(none)");
	t_resp_free(&r);

	char *ind = t_token("industry_authority", INDUSTRY_A);
	r = review(id, "approve", ind, "{\"hours\":21}");
	cr_expect(t_is_problem(&r, 422), "21 h for a national paper: %d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "hours", "out_of_range"), "%s", r.body);
	cr_expect(strstr(r.body, "15.0") && strstr(r.body, "20.0"), "names the range: %s", r.body);
	t_resp_free(&r);
	char *st = sql1("SELECT status FROM jxjy.achievements WHERE id = $1", id, NULL);
	cr_expect_str_eq(st, "submitted", "refused: unchanged");
	free(st);
	r = review(id, "approve", ind, "{\"hours\":14.9}");
	cr_expect(t_has_error(&r, "hours", "out_of_range"), "below the range: %s", r.body);
	t_resp_free(&r);

	r = review(id, "approve", ind, "{\"hours\":18}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "status")), "approved");
	cr_expect_eq(num(&r, "hours"), 18.0);
	cr_expect_eq(num(&r, "credited_hours"), 18.0);
	const char *named = json_string_value(json_object_get(r.json, "record"));
	cr_assert(named, "the credited record is named: %s", r.body);
	char rec[40];
	snprintf(rec, sizeof rec, "%s", named);
	char path[96];
	snprintf(path, sizeof path, "/v1/records/%s", rec);
	t_resp_free(&r);
	r = t_get(path, me);
	cr_assert_eq(r.status, 200, "%s", r.body);
	const char *want[][2] = { { "source", "achievement" }, { "category", "professional" },
	                          { "form", "paper_national" }, { "status", "verified" },
	                          { "start_date", "2024-01-01" }, { "end_date", "2024-12-31" },
	                          { "achievement", id } };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_expect_str_eq(json_string_value(json_object_get(r.json, want[i][0])), want[i][1], "%s", want[i][0]);
	cr_expect_eq(num(&r, "hours"), 18.0);
	cr_expect_eq(json_integer_value(json_object_get(r.json, "year")), 2024);
	cr_expect(json_is_null(json_object_get(r.json, "class_type")));
	t_resp_free(&r);
	char *v = sql1("SELECT professional_verified::text FROM jxjy.person_year_summary"
	               " WHERE person = $1 AND year = 2024", w.person_a, NULL);
	cr_expect(v && !strcmp(v, "18.0"), "the summary counts it: %s", v ? v : "(none)");
	free(v);
	/* the audit: approve (achievement) and create (record) */
	v = sql1("SELECT string_agg(action || ':' || entity, ',' ORDER BY id) FROM jxjy.audit_log"
	         " WHERE (entity = 'achievement' AND entity_id = $1 AND action <> 'create')"
	         " OR (entity = 'record' AND entity_id = $2)", id, rec);
	cr_expect(v && !strcmp(v, "approve:achievement,create:record"), "audit %s", v ? v : "(none)");
	free(v);
	free(ind);
	free(me);
}

/* ---- R-9b ---------------------------------------------------------------- */

Test(achievements, R9b_one_project_18_then_national_22_credits_4_then_15_credits_0)
{
	world w;
	world_new(&w);
	char key[32];
	snprintf(key, sizeof key, "P-%08x", randombytes_random());
	char *bureau = t_token("district_bureau", DISTRICT_A);
	char *a = achievement_new(w.person_a, "award_provincial", 2022, key);
	char *b = achievement_new(w.person_a, "award_national", 2023, key);
	char *c = achievement_new(w.person_a, "award_provincial", 2024, key);
	char *d = achievement_new(w.person_a, "paper_provincial", 2024, NULL);

	t_resp r = review(a, "approve", bureau, "{\"hours\":18}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(num(&r, "credited_hours"), 18.0, "first award of the project: in full");
	t_resp_free(&r);
	r = review(b, "approve", bureau, "{\"hours\":22}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(num(&r, "hours"), 22.0);
	cr_expect_eq(num(&r, "credited_hours"), 4.0, "a higher award tops up the difference");
	t_resp_free(&r);
	r = review(c, "approve", bureau, "{\"hours\":15}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(num(&r, "credited_hours"), 0.0, "a lower award credits nothing");
	cr_expect(json_is_null(json_object_get(r.json, "record")), "and creates no record");
	t_resp_free(&r);
	r = review(d, "approve", bureau, "{\"hours\":10}");
	cr_expect_eq(num(&r, "credited_hours"), 10.0, "no project key: in full");
	t_resp_free(&r);

	char *v = sql1("SELECT string_agg(year || ':' || hours, ',' ORDER BY year, hours) FROM jxjy.records"
	               " WHERE person = $1", w.person_a, NULL);
	cr_expect(v && !strcmp(v, "2022:18.0,2023:4.0,2024:10.0"), "credited per year: %s", v ? v : "(none)");
	free(v);
	v = sql1("SELECT string_agg(year || ':' || professional_verified, ',' ORDER BY year)"
	         " FROM jxjy.person_year_summary WHERE person = $1", w.person_a, NULL);
	cr_expect(v && !strcmp(v, "2022:18.0,2023:4.0,2024:10.0"), "past years never rewritten: %s", v ? v : "(none)");
	free(v);
	free(a);
	free(b);
	free(c);
	free(d);
	free(bureau);
}

Test(achievements, R9b_two_approvals_of_one_project_at_once_never_credit_more_than_its_best)
{
	world w;
	world_new(&w);
	char key[32];
	snprintf(key, sizeof key, "C-%08x", randombytes_random());
	char *a = achievement_new(w.person_a, "award_provincial", 2023, key);
	char *b = achievement_new(w.person_a, "award_provincial", 2024, key);
	char *t1 = t_token("city_bureau", NULL), *t2 = t_token("district_bureau", DISTRICT_A);
	char req1[2048], req2[2048];
	int n1 = snprintf(req1, sizeof req1, "POST /v1/achievements/%s/approve HTTP/1.1\r\nHost: t\r\n"
	                                     "Connection: close\r\nAuthorization: Bearer %s\r\n"
	                                     "Content-Type: application/json\r\nContent-Length: 12\r\n\r\n"
	                                     "{\"hours\":18}", a, t1);
	int n2 = snprintf(req2, sizeof req2, "POST /v1/achievements/%s/approve HTTP/1.1\r\nHost: t\r\n"
	                                     "Connection: close\r\nAuthorization: Bearer %s\r\n"
	                                     "Content-Type: application/json\r\nContent-Length: 12\r\n\r\n"
	                                     "{\"hours\":16}", b, t2);
	char r1[8192], r2[8192];
	t_race(req1, (size_t)n1, req2, (size_t)n2, r1, r2, sizeof r1);
	cr_expect(!strncmp(r1, "HTTP/1.1 200", 12) && !strncmp(r2, "HTTP/1.1 200", 12), "%.40s / %.40s", r1, r2);
	char *v = sql1("SELECT sum(credited_hours)::text FROM jxjy.achievements WHERE project_key = $1", key, NULL);
	cr_expect(v && !strcmp(v, "18.0"), "the project holds its best award only: %s", v ? v : "(none)");
	free(v);
	free(a);
	free(b);
	free(t1);
	free(t2);
}

/* ---- R-9c / R-6: kinds are rule-set data --------------------------------- */

Test(achievements, R9c_kinds_come_from_the_rule_set_of_the_persons_industry)
{
	world w;
	world_new(&w);
	PGconn *db = t_db();
	char ind[24], kind[32];
	unsigned rnd = randombytes_random();
	snprintf(ind, sizeof ind, "t%08x", rnd);
	snprintf(kind, sizeof kind, "translation_%08x", rnd);
	const char *p[] = { ind, kind };
	PQclear(t_sql(db, "INSERT INTO jxjy.industries (code, name) VALUES ($1, '测试行业 ' || $1)", 1, p));
	PQclear(t_sql(db, "INSERT INTO jxjy.forms (code, name, is_achievement) VALUES ($1, '译著', true)", 1, p + 1));
	char *rs = t_sql_value(db, "INSERT INTO jxjy.rule_sets (industry, name, effective_from, cycle_years,"
	                           " city_senior_faculty_pct, city_certified_manager_pct,"
	                           " district_senior_faculty_pct, district_certified_manager_pct)"
	                           " VALUES ($1, '测试行业规则', '2013-01-01', 5, 60, 80, 60, 80) RETURNING id", 1, p);
	const char *q[] = { rs, kind };
	PQclear(t_sql(db, "INSERT INTO jxjy.rule_set_minimums (rule_set, title_level, public_hours,"
	                  " professional_hours) SELECT $1, l, 24, 48 FROM unnest(enum_range(NULL::jxjy.title_level)) l",
	              1, q));
	PQclear(t_sql(db, "INSERT INTO jxjy.rule_set_conversions (rule_set, kind, min_hours, max_hours)"
	              " VALUES ($1, $2, 8, 12)", 2, q));
	char *unit_c = t_new_unit(db, DISTRICT_A, ind);
	char *person_c = t_new_person(db, unit_c, "senior_deputy");
	PQfinish(db);

	char *unit = t_token("unit", unit_c);
	char body[512];
	snprintf(body, sizeof body, "{\"person\":\"%s\",\"kind\":\"%s\",\"year\":2024,\"title\":\"译著\"}",
	         person_c, kind);
	t_resp r = t_post_json("/v1/achievements", unit, body);
	cr_assert_eq(r.status, 201, "the industry's own kind: %s", r.body);
	char id[40];
	snprintf(id, sizeof id, "%s", json_string_value(json_object_get(r.json, "id")));
	t_resp_free(&r);
	char *auth = t_token("industry_authority", ind);
	r = review(id, "approve", auth, "{\"hours\":12.5}");
	cr_expect(t_has_error(&r, "hours", "out_of_range"), "its own range 8-12: %d %s", r.status, r.body);
	t_resp_free(&r);
	r = review(id, "approve", auth, "{\"hours\":12}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(num(&r, "credited_hours"), 12.0);
	t_resp_free(&r);
	/* the city's default kinds are not that industry's */
	snprintf(body, sizeof body, "{\"person\":\"%s\",\"kind\":\"paper_national\",\"year\":2024,\"title\":\"论文\"}",
	         person_c);
	r = t_post_json("/v1/achievements", unit, body);
	cr_expect(t_has_error(&r, "kind", "invalid"), "not in the industry's set: %d %s", r.status, r.body);
	t_resp_free(&r);
	/* a person of another industry cannot use it */
	char *me = t_token("person", w.person_a);
	snprintf(body, sizeof body, "{\"kind\":\"%s\",\"year\":2024,\"title\":\"译著\"}", kind);
	r = t_post_json("/v1/achievements", me, body);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "kind", NULL), "%d %s", r.status, r.body);
	t_resp_free(&r);
	/* and it is not a form a unit can register as a record */
	snprintf(body, sizeof body, "{\"person\":\"%s\",\"year\":2024,\"start_date\":\"2024-05-01\","
	                            "\"end_date\":\"2024-05-02\",\"category\":\"professional\",\"form\":\"%s\","
	                            "\"class_type\":\"spare_time\",\"hours\":10}", person_c, kind);
	r = t_post_json("/v1/records", unit, body);
	cr_expect(t_has_error(&r, "form", "invalid"), "%d %s", r.status, r.body);
	t_resp_free(&r);
	free(me);
	free(auth);
	free(unit);
	free(unit_c);
	free(person_c);
	free(rs);
}

/* ---- transitions, validation, replay ------------------------------------- */

Test(achievements, transitions_approve_once_and_reject_with_reason)
{
	world w;
	world_new(&w);
	char *city = t_token("city_bureau", NULL);
	char *a = achievement_new(w.person_a, "monograph", 2025, NULL);
	t_resp r = review(a, "approve", city, "{\"hours\":25}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(num(&r, "credited_hours"), 25.0, "25 h in a year of 365 days");
	t_resp_free(&r);
	r = review(a, "approve", city, "{\"hours\":25}");
	cr_expect(t_is_problem(&r, 409), "approve twice: %d", r.status);
	t_resp_free(&r);
	r = review(a, "reject", city, "{\"reason\":\"晚了\"}");
	cr_expect(t_is_problem(&r, 409), "reject an approved one: %d", r.status);
	t_resp_free(&r);

	char *b = achievement_new(w.person_a, "monograph", 2025, NULL);
	r = review(b, "reject", city, "{}");
	cr_expect(t_has_error(&r, "reason", "required"), "%d %s", r.status, r.body);
	t_resp_free(&r);
	r = review(b, "reject", city, "{\"reason\":\"非本人成果\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "status")), "rejected");
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "reason")), "非本人成果");
	t_resp_free(&r);
	r = review(b, "approve", city, "{\"hours\":20}");
	cr_expect(t_is_problem(&r, 409), "approve a rejected one: %d", r.status);
	t_resp_free(&r);
	r = review(b, "approve", city, "{\"hours\":20.55}");
	cr_expect(t_has_error(&r, "hours", NULL), "two decimals: %d", r.status);
	t_resp_free(&r);
	r = review(b, "approve", city, "{\"credited_hours\":20}");
	cr_expect(t_has_error(&r, "hours", "required") && t_has_error(&r, "credited_hours", NULL), "%s", r.body);
	t_resp_free(&r);
	r = review("11111111-2222-4333-8444-555555555555", "approve", city, "{\"hours\":20}");
	cr_expect(t_is_problem(&r, 404), "unknown: %d", r.status);
	t_resp_free(&r);
	char *v = sql1("SELECT count(*) FROM jxjy.records WHERE achievement = $1", b, NULL);
	cr_expect_str_eq(v, "0", "a rejected achievement credits nothing");
	free(v);
	free(a);
	free(b);
	free(city);
}

Test(achievements, two_equal_papers_in_one_year_are_both_credited)
{
	world w;
	world_new(&w);
	char *tok = t_token("district_bureau", DISTRICT_A);
	char *a = achievement_new(w.person_a, "paper_national", 2024, NULL);
	char *b = achievement_new(w.person_a, "paper_national", 2024, NULL);
	t_resp r = review(a, "approve", tok, "{\"hours\":16}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	r = review(b, "approve", tok, "{\"hours\":16}");
	cr_expect_eq(r.status, 200, "the second paper is not a duplicate record: %s", r.body);
	t_resp_free(&r);
	char *v = sql1("SELECT professional_verified::text FROM jxjy.person_year_summary"
	               " WHERE person = $1 AND year = 2024", w.person_a, NULL);
	cr_expect(v && !strcmp(v, "32.0"), "%s", v ? v : "(none)");
	free(v);
	free(a);
	free(b);
	free(tok);
}

Test(achievements, submit_validation)
{
	world w;
	world_new(&w);
	char *unit = t_token("unit", w.unit_a);
	t_resp r = t_post_json("/v1/achievements", unit, "{\"kind\":\"paper_national\",\"year\":2099,"
	                                                  "\"title\":\"\",\"colour\":\"red\"}");
	cr_assert(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "person", "required"), "a unit names the person: %s", r.body);
	cr_expect(t_has_error(&r, "year", "in_future"), "%s", r.body);
	cr_expect(t_has_error(&r, "title", NULL), "%s", r.body);
	cr_expect(t_has_error(&r, "colour", NULL), "%s", r.body);
	t_resp_free(&r);
	char body[512];
	snprintf(body, sizeof body, "{\"person\":\"%s\",\"kind\":\"lecturing\",\"year\":2024,\"title\":\"讲座\"}",
	         w.person_a);
	r = t_post_json("/v1/achievements", unit, body);
	cr_expect(t_has_error(&r, "kind", "invalid"), "not a conversion kind: %s", r.body);
	cr_expect(strstr(r.body, "paper_national") != NULL, "lists the kinds: %s", r.body);
	t_resp_free(&r);
	snprintf(body, sizeof body, "{\"person\":\"%s\",\"kind\":\"paper_national\",\"year\":2024,\"title\":\"论文\"}",
	         w.person_b);
	r = t_post_json("/v1/achievements", unit, body);
	cr_expect(t_is_problem(&r, 404), "another unit's person: %d", r.status);
	t_resp_free(&r);
	char *v = sql1("SELECT count(*) FROM jxjy.achievements WHERE person = $1", w.person_a, NULL);
	cr_expect_str_eq(v, "0", "nothing stored");
	free(v);
	free(unit);
}

Test(achievements, approve_replays_with_the_same_idempotency_key)
{
	world w;
	world_new(&w);
	char *tok = t_token("city_bureau", NULL);
	char *a = achievement_new(w.person_a, "paper_provincial", 2024, NULL);
	char path[128], key[64];
	snprintf(path, sizeof path, "/v1/achievements/%s/approve", a);
	snprintf(key, sizeof key, "Idempotency-Key: appr-%08x", randombytes_random());
	const char *const h[] = { "Content-Type: application/json", key, NULL };
	t_resp x = t_http("POST", path, tok, h, "{\"hours\":11}", 12);
	cr_assert_eq(x.status, 200, "%s", x.body);
	t_resp y = t_http("POST", path, tok, h, "{\"hours\":11}", 12);
	cr_expect_eq(y.status, 200, "replayed, not 409: %d %s", y.status, y.body);
	cr_expect_str_eq(y.body, x.body);
	cr_expect(t_header(&y, "Idempotent-Replayed") != NULL);
	t_resp z = t_http("POST", path, tok, h, "{\"hours\":12}", 12);
	cr_expect(t_is_problem(&z, 422), "same key, other body: %d", z.status);
	char *v = sql1("SELECT count(*) FROM jxjy.records WHERE achievement = $1", a, NULL);
	cr_expect_str_eq(v, "1", "credited once");
	free(v);
	t_resp_free(&x);
	t_resp_free(&y);
	t_resp_free(&z);
	free(a);
	free(tok);
}
