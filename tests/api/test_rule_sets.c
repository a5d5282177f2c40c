/*
 * Rule sets (R-6, R-8, R-9, R-9c) over HTTP: API.md "rule sets: read /
 * create", the stored shape of JXJY_RULE_SET_JSON, effective dating (never
 * before today, a later set closes the open one, overlaps are 409), the
 * validation of api_rules_from_json + core_rules_validate, and core's
 * selection of a new industry set (api_rules_decide).
 *
 * Tests share one database: every test works in industries of its own
 * (fresh codes inserted as the superuser), and sets that do not test "next
 * year" start far in the future, so that no other suite's decisions change.
 * The one test that creates a city default removes it again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "http/fields.h"
#include "domain/rules.h"
#include "testlib.h"

#define CITY_2013 "00000000-0000-4000-8000-000000002013"

/* A fresh industry (code and name unique); malloc'd code. */
static char *fresh_industry(void)
{
	unsigned char b[5];
	randombytes_buf(b, sizeof b);
	char *code = malloc(24);
	snprintf(code, 24, "t%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4]);
	PGconn *db = t_db();
	const char *p[] = { code };
	PQclear(t_sql(db, "INSERT INTO jxjy.industries (code, name) VALUES ($1, '测试行业 ' || $1)", 1, p));
	PQfinish(db);
	return code;
}

/* A valid new set: intermediate and senior 30 + 60 h, junior 14 + 28 h. */
static json_t *rs_new(const char *industry, const char *from)
{
	json_t *req = json_object();
	static const char *const levels[] = { "senior_full", "senior_deputy", "intermediate",
	                                      "junior_assistant", "junior_member" };
	for (int i = 0; i < 5; i++)
		json_object_set_new(req, levels[i], json_pack("{s:f, s:f}", "public", i < 3 ? 30.0 : 14.0,
		                                              "professional", i < 3 ? 60.0 : 28.0));
	return json_pack("{s:s, s:o, s:s, s:i, s:o}", "name", "测试规则", "industry",
	                 industry ? json_string(industry) : json_null(), "effective_from", from,
	                 "cycle_years", 5, "requirements", req);
}

static t_resp post_rs(const char *token, json_t *body, const char *idem_key)
{
	char *s = json_dumps(body, JSON_COMPACT);
	char hdr[300];
	snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", idem_key ? idem_key : "");
	const char *h[] = { "Content-Type: application/json", idem_key ? hdr : NULL, NULL };
	t_resp r = t_http("POST", "/v1/rule-sets", token, h, s, strlen(s));
	free(s);
	return r;
}

static char *date_of(int y, int m, int d)
{
	char *s = malloc(48);
	snprintf(s, 48, "%04d-%02d-%02d", y, m, d);
	return s;
}

/* ---- A1: the permission matrix, from one table ------------------------- */

enum { ACT_LIST, ACT_GET, ACT_CREATE };
enum { OWN, OTHER };

Test(rule_sets, A1_permission_matrix_every_role_action_and_scope)
{
	static const struct {
		const char *role;
		int action, scope, status;
	} matrix[] = {
		/* read: every role reads every rule set (own industry or not) */
		{ "city_bureau", ACT_LIST, OWN, 200 },        { "city_bureau", ACT_GET, OWN, 200 },
		{ "city_bureau", ACT_GET, OTHER, 200 },
		{ "district_bureau", ACT_LIST, OWN, 200 },    { "district_bureau", ACT_GET, OWN, 200 },
		{ "district_bureau", ACT_GET, OTHER, 200 },
		{ "industry_authority", ACT_LIST, OWN, 200 }, { "industry_authority", ACT_GET, OWN, 200 },
		{ "industry_authority", ACT_GET, OTHER, 200 },
		{ "unit", ACT_LIST, OWN, 200 },               { "unit", ACT_GET, OWN, 200 },
		{ "unit", ACT_GET, OTHER, 200 },
		{ "base", ACT_LIST, OWN, 200 },               { "base", ACT_GET, OWN, 200 },
		{ "base", ACT_GET, OTHER, 200 },
		{ "person", ACT_LIST, OWN, 200 },             { "person", ACT_GET, OWN, 200 },
		{ "person", ACT_GET, OTHER, 200 },
		/* create: city any scope; industry authority its own industry only */
		{ "city_bureau", ACT_CREATE, OWN, 201 },      { "city_bureau", ACT_CREATE, OTHER, 201 },
		{ "industry_authority", ACT_CREATE, OWN, 201 },
		{ "industry_authority", ACT_CREATE, OTHER, 403 },
		{ "district_bureau", ACT_CREATE, OWN, 403 },  { "district_bureau", ACT_CREATE, OTHER, 403 },
		{ "unit", ACT_CREATE, OWN, 403 },             { "unit", ACT_CREATE, OTHER, 403 },
		{ "base", ACT_CREATE, OWN, 403 },             { "base", ACT_CREATE, OTHER, 403 },
		{ "person", ACT_CREATE, OWN, 403 },           { "person", ACT_CREATE, OTHER, 403 },
	};
	/* a set of an industry that is not the caller's, to read */
	char *other_ind = fresh_industry();
	char *city = t_token("city_bureau", NULL);
	char *from = date_of(t_this_year() + 80, 1, 1);
	json_t *b = rs_new(other_ind, from);
	t_resp r = post_rs(city, b, NULL);
	cr_assert_eq(r.status, 201, "%s", r.body);
	char other_set[40];
	snprintf(other_set, sizeof other_set, "%s", t_str(&r, "id"));
	t_resp_free(&r);
	json_decref(b);

	for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
		/* each creating cell has its own industries: creations never overlap */
		bool creates = matrix[i].action == ACT_CREATE;
		char *own = creates ? fresh_industry() : strdup("education");
		char *other = creates ? fresh_industry() : strdup("health");
		const char *role = matrix[i].role;
		const char *jur = !strcmp(role, "district_bureau") ? "320508"
		                  : !strcmp(role, "industry_authority") ? own
		                  : !strcmp(role, "city_bureau") ? NULL
		                                                 : "11111111-2222-4333-8444-555555555555";
		char *tok = t_token(role, jur);
		switch (matrix[i].action) {
		case ACT_LIST:
			r = t_get("/v1/rule-sets?limit=5", tok);
			break;
		case ACT_GET: {
			char path[80];
			snprintf(path, sizeof path, "/v1/rule-sets/%s", matrix[i].scope == OWN ? CITY_2013 : other_set);
			r = t_get(path, tok);
			break;
		}
		default:
			b = rs_new(matrix[i].scope == OWN ? own : other, from);
			r = post_rs(tok, b, NULL);
			json_decref(b);
		}
		cr_expect_eq(r.status, matrix[i].status, "%s action %d scope %d: %d %s", role,
		             matrix[i].action, matrix[i].scope, r.status, r.body);
		if (matrix[i].status >= 400)
			cr_expect(t_is_problem(&r, matrix[i].status), "%s: a problem document", role);
		t_resp_free(&r);
		free(tok);
		free(own);
		free(other);
	}
	free(from);
	free(city);
	free(other_ind);
}

/* ---- create ------------------------------------------------------------- */

Test(rule_sets, R6_create_answers_201_location_and_the_stored_set_audited)
{
	char *ind = fresh_industry();
	char *tok = t_token("industry_authority", ind);
	char *from = date_of(t_this_year() + 81, 1, 1);
	json_t *b = rs_new(ind, from);
	json_object_set_new(b, "cycle_years", json_integer(4));
	json_object_set_new(b, "auto_verify_base_completions", json_false());
	t_resp r = post_rs(tok, b, NULL);
	cr_assert_eq(r.status, 201, "%s", r.body);
	const char *id = t_str(&r, "id");
	char loc[96];
	snprintf(loc, sizeof loc, "/v1/rule-sets/%s", id);
	cr_expect_str_eq(t_header(&r, "Location"), loc);
	cr_expect_str_eq(t_str(&r, "industry"), ind);
	cr_expect_str_eq(t_str(&r, "name"), "测试规则");
	cr_expect_str_eq(t_str(&r, "effective_from"), from);
	cr_expect(json_is_null(json_object_get(r.json, "effective_to")));
	cr_expect_eq(json_integer_value(json_object_get(r.json, "cycle_years")), 4);
	cr_expect(json_is_false(json_object_get(r.json, "auto_verify_base_completions")));
	json_t *inter = json_object_get(json_object_get(r.json, "requirements"), "intermediate");
	cr_expect_eq(json_number_value(json_object_get(inter, "public")), 30.0);
	cr_expect_eq(json_number_value(json_object_get(inter, "professional")), 60.0);
	json_t *jm = json_object_get(json_object_get(r.json, "requirements"), "junior_member");
	cr_expect_eq(json_number_value(json_object_get(jm, "professional")), 28.0);
	/* conversion kinds not given: the five R-9 defaults */
	json_t *kinds = json_object_get(r.json, "conversion_kinds");
	cr_expect_eq(json_array_size(kinds), 5);
	json_t *city_t = json_object_get(json_object_get(r.json, "base_thresholds"), "city");
	cr_expect_eq(json_number_value(json_object_get(city_t, "senior_faculty_share")), 60.0);
	cr_expect_eq(json_number_value(json_object_get(city_t, "certified_manager_share")), 80.0);
	cr_expect(t_str(&r, "created_at") != NULL);

	/* the Location reads the same set back */
	t_resp g = t_get(loc, tok);
	cr_expect_eq(g.status, 200);
	cr_expect(json_equal(g.json, r.json), "GET %s equals the 201 body", loc);
	t_resp_free(&g);

	/* one audit row, in the same transaction */
	const char *p[] = { id };
	char *n = t_sql1("SELECT count(*) FROM jxjy.audit_log WHERE entity = 'rule_set' AND action = 'create'"
	                 " AND entity_id = $1 AND after ->> 'id' = $1", 1, p);
	cr_expect_str_eq(n, "1");
	free(n);
	t_resp_free(&r);
	json_decref(b);
	free(from);
	free(tok);
	free(ind);
}

/* an industry's rules from next year decide its persons' next year,
 * and only theirs; this year keeps the rules in force on 1 January. */
static char *sets_of(const char *token, const char *scope)
{
	/* the stored sets of one scope, all pages, as one JSON array */
	json_t *all = json_array();
	char path[512];
	snprintf(path, sizeof path, "/v1/rule-sets?limit=2&industry=%s", scope);
	for (int guard = 0; guard < 100; guard++) {
		t_resp r = t_get(path, token);
		cr_assert_eq(r.status, 200, "%s", r.body);
		json_array_extend(all, json_object_get(r.json, "items"));
		const char *next = t_str(&r, "next_cursor");
		if (!next) {
			t_resp_free(&r);
			break;
		}
		snprintf(path, sizeof path, "/v1/rule-sets?limit=2&industry=%s&cursor=%s", scope, next);
		t_resp_free(&r);
	}
	char *s = json_dumps(all, JSON_COMPACT);
	json_decref(all);
	return s;
}

static char *concat_arrays(const char *a, const char *b)
{
	json_t *x = json_loads(a, 0, NULL), *y = json_loads(b, 0, NULL);
	json_array_extend(x, y);
	char *s = json_dumps(x, JSON_COMPACT);
	json_decref(x);
	json_decref(y);
	return s;
}

Test(rule_sets, R6_a_new_industry_set_from_next_year_is_selected_by_core_for_that_year)
{
	char *ind = fresh_industry();
	char *tok = t_token("industry_authority", ind);
	int next = t_this_year() + 1;
	char *from = date_of(next, 1, 1);
	json_t *b = rs_new(ind, from);
	t_resp r = post_rs(tok, b, NULL);
	cr_assert_eq(r.status, 201, "%s", r.body);
	char id[40];
	snprintf(id, sizeof id, "%s", t_str(&r, "id"));
	t_resp_free(&r);

	/* exactly what core needs: the industry's sets and the city defaults */
	char *mine = sets_of(tok, ind), *city = sets_of(tok, "city");
	char *json = concat_arrays(mine, city);
	core_year_verdict v;
	core_year_input in = { .year = next, .level = CORE_LEVEL_INTERMEDIATE,
	                       .verified_public = 300, .verified_professional = 599 };
	cr_assert_eq(api_rules_decide(&v, json, ind, &in), 0);
	cr_expect_str_eq(v.rule_set, id, "next year is decided by the new set");
	cr_expect_eq(v.required_public, 300);
	cr_expect_eq(v.required_professional, 600);
	cr_expect(!v.compliant, "30 + 59.9 misses the new 60 h professional minimum");
	cr_expect_eq(v.shortfall_professional, 1);

	/* this year: the city default in force on 1 January, as before */
	in.year = t_this_year();
	cr_assert_eq(api_rules_decide(&v, json, ind, &in), 0);
	cr_expect_str_neq(v.rule_set, id, "this year keeps the rules in force then");
	cr_expect_eq(v.required_professional, 480);
	/* another industry's persons next year: not this set */
	in.year = next;
	cr_assert_eq(api_rules_decide(&v, city, "education", &in), 0);
	cr_expect_str_neq(v.rule_set, id);
	free(mine);
	free(city);
	free(json);
	json_decref(b);
	free(from);
	free(tok);
	free(ind);
}

Test(rule_sets, R6_a_later_set_closes_the_open_one_and_the_closure_is_audited)
{
	char *ind = fresh_industry();
	char *tok = t_token("industry_authority", ind);
	char *a_from = date_of(t_this_year() + 82, 1, 1), *b_from = date_of(t_this_year() + 84, 7, 1);
	json_t *a = rs_new(ind, a_from), *b = rs_new(ind, b_from);
	t_resp ra = post_rs(tok, a, NULL);
	cr_assert_eq(ra.status, 201, "%s", ra.body);
	t_resp rb = post_rs(tok, b, NULL);
	cr_assert_eq(rb.status, 201, "%s", rb.body);
	cr_expect(json_is_null(json_object_get(rb.json, "effective_to")), "the new set is open-ended");
	char path[96];
	snprintf(path, sizeof path, "/v1/rule-sets/%s", t_str(&ra, "id"));
	t_resp g = t_get(path, tok);
	cr_expect_str_eq(t_str(&g, "effective_to"), b_from, "the open set ends where the new one starts");
	const char *p[] = { t_str(&ra, "id"), t_str(&rb, "id") };
	char *n = t_sql1("SELECT count(*) FROM jxjy.audit_log WHERE entity = 'rule_set' AND action = 'update'"
	                 " AND entity_id = $1 AND after ->> 'closed_by' = $2", 2, p);
	cr_expect_str_eq(n, "1", "the closure is in the audit log");
	free(n);
	t_resp_free(&g);
	t_resp_free(&ra);
	t_resp_free(&rb);
	json_decref(a);
	json_decref(b);
	free(a_from);
	free(b_from);
	free(tok);
	free(ind);
}

Test(rule_sets, R6_an_overlapping_set_is_409_naming_the_set_and_nothing_is_stored)
{
	char *ind = fresh_industry();
	char *city = t_token("city_bureau", NULL);
	int y = t_this_year() + 85;
	char *d1 = date_of(y, 1, 1), *d2 = date_of(y + 2, 1, 1), *inside = date_of(y + 1, 6, 1);
	json_t *a = rs_new(ind, d1), *b = rs_new(ind, d2);
	t_resp ra = post_rs(city, a, NULL), rb = post_rs(city, b, NULL);
	cr_assert_eq(ra.status, 201, "%s", ra.body);
	cr_assert_eq(rb.status, 201, "%s", rb.body);
	/* inside the first set, which the second one closed */
	json_t *c = rs_new(ind, inside);
	json_object_set_new(c, "effective_to", json_string(d2));
	t_resp rc = post_rs(city, c, NULL);
	cr_expect(t_is_problem(&rc, 409), "%d %s", rc.status, rc.body);
	cr_expect(strstr(t_str(&rc, "detail"), t_str(&ra, "id")) != NULL, "the detail names the set: %s",
	          t_str(&rc, "detail"));
	/* on the open set's first day */
	json_t *d = rs_new(ind, d2);
	t_resp rd = post_rs(city, d, NULL);
	cr_expect(t_is_problem(&rd, 409), "%d %s", rd.status, rd.body);
	cr_expect(strstr(t_str(&rd, "detail"), t_str(&rb, "id")) != NULL, "%s", t_str(&rd, "detail"));
	const char *p[] = { ind };
	char *n = t_sql1("SELECT count(*) FROM jxjy.rule_sets WHERE industry = $1", 1, p);
	cr_expect_str_eq(n, "2", "nothing stored by the refused requests");
	free(n);
	t_resp_free(&ra);
	t_resp_free(&rb);
	t_resp_free(&rc);
	t_resp_free(&rd);
	json_decref(a);
	json_decref(b);
	json_decref(c);
	json_decref(d);
	free(d1);
	free(d2);
	free(inside);
	free(city);
	free(ind);
}

Test(rule_sets, R6_effective_from_today_is_accepted_and_yesterday_is_422)
{
	char *ind = fresh_industry();
	char *tok = t_token("industry_authority", ind);
	core_date t = api_today();
	core_date y = core_date_from_days(core_date_to_days(t) - 1);
	char *today = date_of(t.y, t.m, t.d), *yesterday = date_of(y.y, y.m, y.d);
	json_t *b = rs_new(ind, yesterday);
	t_resp r = post_rs(tok, b, NULL);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "effective_from", NULL), "%s", r.body);
	t_resp_free(&r);
	json_decref(b);
	/* today (CST) is the earliest start; with an end a year later, so that
	 * the set does not decide anything beyond its own industry's year */
	b = rs_new(ind, today);
	char *end = date_of(t.y + 1, 1, 1);
	json_object_set_new(b, "effective_to", json_string(end));
	r = post_rs(tok, b, NULL);
	cr_expect_eq(r.status, 201, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "effective_to"), end);
	t_resp_free(&r);
	json_decref(b);
	free(end);
	free(today);
	free(yesterday);
	free(tok);
	free(ind);
}

Test(rule_sets, R8_cycle_years_6_and_min_over_max_are_one_422_naming_both_fields)
{
	char *ind = fresh_industry();
	char *tok = t_token("industry_authority", ind);
	char *from = date_of(t_this_year() + 86, 1, 1);
	json_t *b = rs_new(ind, from);
	json_object_set_new(b, "cycle_years", json_integer(6));
	json_object_set_new(b, "conversion_kinds",
	                    json_pack("[{s:s, s:i, s:i}]", "code", "monograph", "min", 25, "max", 20));
	t_resp r = post_rs(tok, b, NULL);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "cycle_years", NULL), "%s", r.body);
	cr_expect(t_has_error(&r, "conversion_kinds[0]", NULL), "%s", r.body);
	t_resp_free(&r);
	/* the boundaries: 4 and min = max are fine */
	json_object_set_new(b, "cycle_years", json_integer(4));
	json_object_set_new(b, "conversion_kinds",
	                    json_pack("[{s:s, s:f, s:f}]", "code", "monograph", "min", 22.5, "max", 22.5));
	r = post_rs(tok, b, NULL);
	cr_expect_eq(r.status, 201, "%s", r.body);
	json_t *k = json_array_get(json_object_get(r.json, "conversion_kinds"), 0);
	cr_expect_eq(json_number_value(json_object_get(k, "min")), 22.5);
	t_resp_free(&r);
	json_decref(b);
	free(from);
	free(tok);
	free(ind);
}

Test(rule_sets, validation_names_every_failing_field_in_one_422)
{
	char *ind = fresh_industry();
	char *city = t_token("city_bureau", NULL);
	char *from = date_of(t_this_year() + 87, 1, 1);
	json_t *b = rs_new(ind, from);
	json_object_del(b, "name");
	json_object_del(json_object_get(b, "requirements"), "junior_member");
	json_object_set_new(json_object_get(json_object_get(b, "requirements"), "intermediate"), "public",
	                    json_real(12.25));
	json_object_set_new(json_object_get(json_object_get(b, "requirements"), "intermediate"), "extra",
	                    json_integer(1));
	json_object_set_new(b, "colour", json_string("red"));
	json_object_set_new(b, "base_thresholds",
	                    json_pack("{s:{s:i, s:i}, s:{s:i, s:i}}", "city", "senior_faculty_share", 101,
	                              "certified_manager_share", 80, "district", "senior_faculty_share", 60,
	                              "certified_manager_share", 80));
	json_object_set_new(b, "conversion_kinds",
	                    json_pack("[{s:s, s:i, s:i}, {s:s, s:i, s:i}, {s:s, s:i, s:i}]",
	                              "code", "monograph", "min", 20, "max", 25,
	                              "code", "monograph", "min", 20, "max", 25,
	                              "code", "Bad-Code", "min", 1, "max", 2));
	t_resp r = post_rs(city, b, NULL);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	static const char *const fields[] = { "name", "requirements.junior_member",
	                                      "requirements.intermediate.public",
	                                      "requirements.intermediate.extra", "colour",
	                                      "base_thresholds.city.senior_faculty_share",
	                                      "conversion_kinds[1].code", "conversion_kinds[2]" };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		cr_expect(t_has_error(&r, fields[i], NULL), "%s missing in %s", fields[i], r.body);
	const char *p[] = { ind };
	char *n = t_sql1("SELECT count(*) FROM jxjy.rule_sets WHERE industry = $1", 1, p);
	cr_expect_str_eq(n, "0");
	free(n);
	t_resp_free(&r);
	json_decref(b);
	free(from);
	free(city);
	free(ind);
}

Test(rule_sets, an_industry_authority_creating_for_another_industry_or_the_city_is_403)
{
	char *mine = fresh_industry(), *other = fresh_industry();
	char *tok = t_token("industry_authority", mine);
	char *from = date_of(t_this_year() + 88, 1, 1);
	json_t *b = rs_new(other, from);
	t_resp r = post_rs(tok, b, NULL);
	cr_expect(t_is_problem(&r, 403), "another industry: %d %s", r.status, r.body);
	t_resp_free(&r);
	json_decref(b);
	b = rs_new(NULL, from);
	r = post_rs(tok, b, NULL);
	cr_expect(t_is_problem(&r, 403), "the city default (null): %d %s", r.status, r.body);
	t_resp_free(&r);
	json_object_del(b, "industry");
	r = post_rs(tok, b, NULL);
	cr_expect(t_is_problem(&r, 403), "the city default (absent): %d %s", r.status, r.body);
	t_resp_free(&r);
	json_decref(b);
	const char *p[] = { other };
	char *n = t_sql1("SELECT count(*) FROM jxjy.rule_sets WHERE industry = $1", 1, p);
	cr_expect_str_eq(n, "0");
	free(n);
	free(from);
	free(tok);
	free(mine);
	free(other);
}

Test(rule_sets, R9c_the_city_bureau_introduces_a_new_achievement_kind_with_its_name)
{
	char *ind = fresh_industry();
	char *city = t_token("city_bureau", NULL);
	char *from = date_of(t_this_year() + 89, 1, 1);
	unsigned char rb[4];
	randombytes_buf(rb, sizeof rb);
	char code[40];
	snprintf(code, sizeof code, "textbook_%02x%02x%02x%02x", rb[0], rb[1], rb[2], rb[3]);
	json_t *b = rs_new(ind, from);
	json_object_set_new(b, "conversion_kinds",
	                    json_pack("[{s:s, s:i, s:i}, {s:s, s:i, s:i, s:s}]", "code", "monograph", "min",
	                              20, "max", 25, "code", code, "min", 10, "max", 20, "name", "编写教材"));
	t_resp r = post_rs(city, b, NULL);
	cr_assert_eq(r.status, 201, "%s", r.body);
	json_t *kinds = json_object_get(r.json, "conversion_kinds");
	cr_expect_eq(json_array_size(kinds), 2);
	const char *p[] = { code };
	char *row = t_sql1("SELECT name || '/' || is_achievement FROM jxjy.forms WHERE code = $1", 1, p);
	cr_expect(row && !strcmp(row, "编写教材/true"), "forms row: %s", row ? row : "(none)");
	free(row);
	char *n = t_sql1("SELECT count(*) FROM jxjy.audit_log WHERE entity = 'form' AND action = 'create'"
	                 " AND entity_id = $1", 1, p);
	cr_expect_str_eq(n, "1", "the new kind is audited");
	free(n);
	t_resp_free(&r);
	json_decref(b);

	/* an industry authority may then use it, but may not invent one (R-9c) */
	char *ind2 = fresh_industry();
	char *auth = t_token("industry_authority", ind2);
	b = rs_new(ind2, from);
	json_object_set_new(b, "conversion_kinds",
	                    json_pack("[{s:s, s:i, s:i}, {s:s, s:i, s:i}]", "code", code, "min", 12, "max",
	                              18, "code", "lecturing_invented", "min", 5, "max", 10));
	r = post_rs(auth, b, NULL);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "conversion_kinds[1].code", NULL), "%s", r.body);
	cr_expect(!t_has_error(&r, "conversion_kinds[0].code", NULL), "the city's kind is known: %s", r.body);
	t_resp_free(&r);
	const char *q[] = { "lecturing_invented" };
	n = t_sql1("SELECT count(*) FROM jxjy.forms WHERE code = $1", 1, q);
	cr_expect_str_eq(n, "0");
	free(n);
	json_array_remove(json_object_get(b, "conversion_kinds"), 1);
	r = post_rs(auth, b, NULL);
	cr_expect_eq(r.status, 201, "existing kinds only: %s", r.body);
	t_resp_free(&r);
	json_decref(b);
	free(auth);
	free(ind2);
	free(from);
	free(city);
	free(ind);
}

Test(rule_sets, R10_a_form_of_education_is_not_an_achievement_kind_422)
{
	char *ind = fresh_industry();
	char *city = t_token("city_bureau", NULL);
	char *from = date_of(t_this_year() + 90, 1, 1);
	json_t *b = rs_new(ind, from);
	json_object_set_new(b, "conversion_kinds",
	                    json_pack("[{s:s, s:i, s:i}]", "code", "training_class", "min", 1, "max", 2));
	t_resp r = post_rs(city, b, NULL);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "conversion_kinds[0].code", NULL), "%s", r.body);
	t_resp_free(&r);
	json_decref(b);
	free(from);
	free(city);
	free(ind);
}

Test(rule_sets, an_unknown_industry_is_422)
{
	char *city = t_token("city_bureau", NULL);
	char *from = date_of(t_this_year() + 91, 1, 1);
	json_t *b = rs_new("no_such_industry_zz", from);
	t_resp r = post_rs(city, b, NULL);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "industry", NULL), "%s", r.body);
	t_resp_free(&r);
	json_decref(b);
	free(from);
	free(city);
}

Test(rule_sets, R6_a_city_default_closes_the_open_city_set_and_takes_no_end)
{
	char *city = t_token("city_bureau", NULL);
	json_t *b = rs_new(NULL, "9000-01-01");
	json_object_set_new(b, "effective_to", json_string("9001-01-01"));
	t_resp r = post_rs(city, b, NULL);
	cr_expect(t_is_problem(&r, 422), "an end on the city default: %d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "effective_to", NULL), "%s", r.body);
	t_resp_free(&r);
	json_object_del(b, "effective_to");
	PGconn *db = t_db();
	char *open = t_sql_value(db, "SELECT id FROM jxjy.rule_sets WHERE industry IS NULL"
	                             " AND effective_to IS NULL", 0, NULL);
	cr_assert(open, "the city has an open default");
	r = post_rs(city, b, NULL);
	cr_expect_eq(r.status, 201, "%s", r.body);
	cr_expect(json_is_null(json_object_get(r.json, "industry")));
	const char *p[] = { open };
	char *to = t_sql_value(db, "SELECT effective_to::text FROM jxjy.rule_sets WHERE id = $1", 1, p);
	cr_expect(to && !strcmp(to, "9000-01-01"), "the open default closes: %s", to ? to : "(open)");
	free(to);
	/* leave the city's rules as they were for the other suites */
	if (r.status == 201) {
		const char *q[] = { t_str(&r, "id"), open };
		PQclear(t_sql(db, "DELETE FROM jxjy.rule_sets WHERE id = $1", 1, q));
		PQclear(t_sql(db, "UPDATE jxjy.rule_sets SET effective_to = NULL WHERE id = $1", 1, q + 1));
	}
	PQfinish(db);
	t_resp_free(&r);
	json_decref(b);
	free(open);
	free(city);
}

Test(rule_sets, D3_an_idempotent_creation_replays_and_stores_one_set)
{
	char *ind = fresh_industry();
	char *tok = t_token("industry_authority", ind);
	char *from = date_of(t_this_year() + 92, 1, 1);
	char key[64];
	unsigned char rb[8];
	randombytes_buf(rb, sizeof rb);
	snprintf(key, sizeof key, "rs-%02x%02x%02x%02x%02x%02x%02x%02x", rb[0], rb[1], rb[2], rb[3], rb[4],
	         rb[5], rb[6], rb[7]);
	json_t *b = rs_new(ind, from);
	t_resp a = post_rs(tok, b, key), again = post_rs(tok, b, key);
	cr_assert_eq(a.status, 201, "%s", a.body);
	cr_expect_eq(again.status, 201, "%s", again.body);
	cr_expect_str_eq(t_str(&again, "id"), t_str(&a, "id"), "the replay is the first answer");
	char loc[128];
	snprintf(loc, sizeof loc, "%s", t_header(&a, "Location") ? t_header(&a, "Location") : "");
	cr_expect_str_eq(t_header(&again, "Location") ? t_header(&again, "Location") : "(none)", loc);
	cr_expect(t_header(&again, "Idempotent-Replayed") != NULL, "marked as a replay");
	json_object_set_new(b, "name", json_string("另一个名称"));
	t_resp other = post_rs(tok, b, key);
	cr_expect(t_is_problem(&other, 422), "same key, other body: %d", other.status);
	const char *p[] = { ind };
	char *n = t_sql1("SELECT count(*) FROM jxjy.rule_sets WHERE industry = $1", 1, p);
	cr_expect_str_eq(n, "1");
	free(n);
	t_resp_free(&a);
	t_resp_free(&again);
	t_resp_free(&other);
	json_decref(b);
	free(from);
	free(tok);
	free(ind);
}

/* ---- reads -------------------------------------------------------------- */

Test(rule_sets, list_pages_by_keyset_in_effective_order_with_scope_filters)
{
	char *ind = fresh_industry();
	char *tok = t_token("industry_authority", ind);
	int y = t_this_year() + 93;
	char ids[3][40];
	for (int i = 0; i < 3; i++) {
		char *from = date_of(y + i, 1, 1);
		json_t *b = rs_new(ind, from);
		t_resp r = post_rs(tok, b, NULL);
		cr_assert_eq(r.status, 201, "%s", r.body);
		snprintf(ids[i], sizeof ids[i], "%s", t_str(&r, "id"));
		t_resp_free(&r);
		json_decref(b);
		free(from);
	}
	char path[256];
	snprintf(path, sizeof path, "/v1/rule-sets?industry=%s&limit=2", ind);
	t_resp p1 = t_get(path, tok);
	cr_assert_eq(p1.status, 200, "%s", p1.body);
	json_t *items = json_object_get(p1.json, "items");
	cr_expect_eq(json_array_size(items), 2);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "id")), ids[0]);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(items, 1), "id")), ids[1]);
	const char *next = t_str(&p1, "next_cursor");
	cr_assert(next, "a next page");
	cr_expect(t_header(&p1, "Link") && strstr(t_header(&p1, "Link"), "rel=\"next\""));
	snprintf(path, sizeof path, "/v1/rule-sets?industry=%s&limit=2&cursor=%s", ind, next);
	t_resp p2 = t_get(path, tok);
	cr_assert_eq(p2.status, 200, "%s", p2.body);
	items = json_object_get(p2.json, "items");
	cr_expect_eq(json_array_size(items), 1);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "id")), ids[2]);
	cr_expect(json_is_null(json_object_get(p2.json, "next_cursor")));

	/* the city default filter: only sets without industry, 2013 first */
	t_resp c = t_get("/v1/rule-sets?industry=city&limit=500", tok);
	cr_assert_eq(c.status, 200);
	size_t i;
	json_t *it;
	bool seen2013 = false;
	json_array_foreach(json_object_get(c.json, "items"), i, it) {
		cr_expect(json_is_null(json_object_get(it, "industry")));
		if (!strcmp(json_string_value(json_object_get(it, "id")), CITY_2013))
			seen2013 = true;
	}
	cr_expect(seen2013);

	static const char *const bad[] = { "/v1/rule-sets?industry=Bad%20Code", "/v1/rule-sets?colour=red",
	                                   "/v1/rule-sets?cursor=bm90LWEtY3Vyc29y", "/v1/rule-sets?limit=0" };
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		t_resp r = t_get(bad[k], tok);
		cr_expect(t_is_problem(&r, 400), "%s: %d", bad[k], r.status);
		t_resp_free(&r);
	}
	t_resp_free(&p1);
	t_resp_free(&p2);
	t_resp_free(&c);
	free(tok);
	free(ind);
}

Test(rule_sets, an_unknown_or_malformed_id_is_404)
{
	char *tok = t_token("person", "11111111-2222-4333-8444-555555555555");
	t_resp r = t_get("/v1/rule-sets/11111111-2222-4333-8444-555555555555", tok);
	cr_expect(t_is_problem(&r, 404), "%d", r.status);
	t_resp_free(&r);
	r = t_get("/v1/rule-sets/not-a-uuid", tok);
	cr_expect(t_is_problem(&r, 404), "%d", r.status);
	t_resp_free(&r);
	r = t_get("/v1/rule-sets/" CITY_2013, tok);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(json_integer_value(json_object_get(r.json, "cycle_years")), 5);
	t_resp_free(&r);
	free(tok);
}
