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
#include <unistd.h>

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

Test(rule_sets, R32_effective_from_today_is_accepted_and_yesterday_is_403_for_an_industry_authority)
{
	char *ind = fresh_industry();
	char *tok = t_token("industry_authority", ind);
	core_date t = api_today();
	core_date y = core_date_from_days(core_date_to_days(t) - 1);
	char *today = date_of(t.y, t.m, t.d), *yesterday = date_of(y.y, y.m, y.d);
	json_t *b = rs_new(ind, yesterday);
	t_resp r = post_rs(tok, b, NULL);
	cr_expect(t_is_problem(&r, 403), "only the city bureau backdates (R-32): %d %s", r.status, r.body);
	t_resp_free(&r);
	const char *p[] = { ind };
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.rule_sets WHERE industry = $1", 1, p), 0);
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

/* ---- rule sets in the past ------------------------------------------ */

/* A stored decision of person's year as the gateway stores it
 * (jxjy._person_year_store: the judging and holding of the year), under the
 * 2013 city set: intermediate 24 + 48 h. */
static void stored_year(PGconn *db, const char *person, int year, const char *pub, const char *pro)
{
	char y[8];
	snprintf(y, sizeof y, "%d", year);
	const char *p[] = { person, y, pub, pro };
	PQclear(t_sql(db, "SELECT jxjy._person_year_store($1::uuid, $2::int, '" CITY_2013 "',"
	                  " 'intermediate', $3::numeric, $4::numeric, 0, 0, 24, 48,"
	                  " $3::numeric >= 24 AND $4::numeric >= 48)", 4, p));
}

static t_resp compliance_of(const char *token, const char *person, int year)
{
	char path[160];
	snprintf(path, sizeof path, "/v1/persons/%s/compliance?year=%d", person, year);
	return t_get(path, token);
}

static double member(json_t *j, const char *a, const char *b)
{
	json_t *v = json_object_get(json_object_get(j, a), b);
	cr_assert(json_is_number(v), "%s.%s is not a number", a, b);
	return json_number_value(v);
}

/* A person of a unit of a fresh industry, with the unit and industry. */
static char *person_in(PGconn *db, const char *industry)
{
	char unit[40];
	t_take_id(unit, t_new_unit(db, "320508", industry));
	return t_new_person(db, unit, "intermediate");
}

Test(rule_sets, R32_a_past_industry_set_by_the_city_bureau_re_decides_what_it_governs)
{
	PGconn *db = t_db();
	char *ind = fresh_industry(), *other = fresh_industry();
	char p[40], q[40];
	t_take_id(p, person_in(db, ind));
	t_take_id(q, person_in(db, other));
	/* 2021: 30 + 50 h, compliant under 2013's 24 + 48, short of the new 60 h
	 * professional; 2022: 30 + 60 h, compliant under both; 2020: before the
	 * new set; q: another industry, not governed */
	stored_year(db, p, 2020, "30", "50");
	stored_year(db, p, 2021, "30", "50");
	stored_year(db, p, 2022, "30", "60");
	stored_year(db, q, 2021, "30", "50");
	char *city = t_token("city_bureau", NULL);

	t_resp before = compliance_of(city, p, 2021);
	cr_assert_eq(before.status, 200, "%s", before.body);
	cr_expect(json_is_true(json_object_get(before.json, "compliant")), "%s", before.body);
	cr_expect_str_eq(t_str(&before, "rule_set"), CITY_2013);
	t_resp_free(&before);

	json_t *b = rs_new(ind, "2021-01-01");
	t_resp r = post_rs(city, b, NULL);
	cr_assert_eq(r.status, 201, "%s", r.body);
	char id[40];
	snprintf(id, sizeof id, "%s", t_str(&r, "id"));
	json_t *red = json_object_get(r.json, "redecided");
	cr_assert(json_is_object(red), "the answer says what was re-decided: %s", r.body);
	cr_expect_eq(json_integer_value(json_object_get(red, "person_years")), 2, "2021 and 2022: %s", r.body);
	cr_expect_eq(json_integer_value(json_object_get(red, "changed")), 1, "2021 flips: %s", r.body);
	cr_expect(json_object_get(r.json, "job") == NULL, "no job below the threshold: %s", r.body);
	cr_expect(json_is_null(json_object_get(r.json, "effective_to")), "the industry's only set: open");
	t_resp_free(&r);

	t_resp after = compliance_of(city, p, 2021);
	cr_assert_eq(after.status, 200, "%s", after.body);
	cr_expect(json_is_false(json_object_get(after.json, "compliant")), "%s", after.body);
	cr_expect_str_eq(t_str(&after, "rule_set"), id, "decided by the new set: %s", after.body);
	cr_expect(member(after.json, "required", "professional") == 60.0, "%s", after.body);
	cr_expect(member(after.json, "shortfall", "professional") == 10.0, "%s", after.body);
	cr_expect(member(after.json, "shortfall", "public") == 0.0, "%s", after.body);
	t_resp_free(&after);
	t_resp y22 = compliance_of(city, p, 2022);
	cr_expect(json_is_true(json_object_get(y22.json, "compliant")), "%s", y22.body);
	cr_expect_str_eq(t_str(&y22, "rule_set"), id);
	t_resp_free(&y22);
	/* untouched: the year before, and another industry's year */
	const char *pv[] = { p, q };
	char *r20 = t_sql_value(db, "SELECT rule_set::text FROM jxjy.person_year_summary"
	                            " WHERE person = $1 AND year = 2020", 1, pv);
	char *rq = t_sql_value(db, "SELECT rule_set::text || ' ' || compliant FROM jxjy.person_year_summary"
	                           " WHERE person = $1 AND year = 2021", 1, pv + 1);
	cr_expect_str_eq(r20, CITY_2013);
	cr_expect_str_eq(rq, CITY_2013 " true");
	/* the judging and holding columns are those stored before */
	char *basis = t_sql_value(db, "SELECT as_of || ' ' || judged_industry FROM jxjy.person_year_summary"
	                              " WHERE person = $1 AND year = 2021", 1, pv);
	char want[96];
	snprintf(want, sizeof want, "2021-01-01 %s", ind);
	cr_expect_str_eq(basis, want);
	free(basis);
	free(r20);
	free(rq);
	json_decref(b);
	free(city);
	free(ind);
	free(other);
	PQfinish(db);
}

Test(rule_sets, R32_a_past_set_between_two_sets_ends_where_the_next_starts_and_ends_the_earlier)
{
	PGconn *db = t_db();
	char *ind = fresh_industry();
	char p[40];
	t_take_id(p, person_in(db, ind));
	stored_year(db, p, 2020, "30", "50");
	stored_year(db, p, 2021, "30", "50");
	stored_year(db, p, 2022, "30", "50");
	char *city = t_token("city_bureau", NULL);
	/* 2020 [2020-01-01, open), then 2022 closes it; then 2021 in between */
	json_t *a = rs_new(ind, "2020-01-01"), *c = rs_new(ind, "2022-01-01"), *b = rs_new(ind, "2021-01-01");
	json_object_set_new(json_object_get(json_object_get(b, "requirements"), "intermediate"),
	                    "professional", json_real(45.0));
	t_resp ra = post_rs(city, a, NULL), rc = post_rs(city, c, NULL);
	cr_assert_eq(ra.status, 201, "%s", ra.body);
	cr_assert_eq(rc.status, 201, "%s", rc.body);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(ra.json, "redecided"), "person_years")), 3);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(rc.json, "redecided"), "person_years")), 1);
	t_resp rb = post_rs(city, b, NULL);
	cr_assert_eq(rb.status, 201, "%s", rb.body);
	cr_expect_str_eq(t_str(&rb, "effective_to"), "2022-01-01", "ends where the next set starts: %s", rb.body);
	json_t *red = json_object_get(rb.json, "redecided");
	cr_expect_eq(json_integer_value(json_object_get(red, "person_years")), 1, "2021 only: %s", rb.body);
	cr_expect_eq(json_integer_value(json_object_get(red, "changed")), 1, "30 + 50 meets 45 h: %s", rb.body);
	char path[96];
	snprintf(path, sizeof path, "/v1/rule-sets/%s", t_str(&ra, "id"));
	t_resp g = t_get(path, city);
	cr_expect_str_eq(t_str(&g, "effective_to"), "2021-01-01", "the earlier set ends: %s", g.body);
	t_resp_free(&g);
	const char *v[] = { p };
	t_resp y21 = compliance_of(city, p, 2021);
	cr_expect_str_eq(t_str(&y21, "rule_set"), t_str(&rb, "id"));
	cr_expect(json_is_true(json_object_get(y21.json, "compliant")), "%s", y21.body);
	t_resp_free(&y21);
	char *years = t_sql_value(db, "SELECT string_agg(year || ':' || compliant, ',' ORDER BY year)"
	                              " FROM jxjy.person_year_summary WHERE person = $1", 1, v);
	cr_expect_str_eq(years, "2020:false,2021:true,2022:false");
	/* the earlier set's new end is audited with its end before */
	const char *au[] = { t_str(&ra, "id"), t_str(&rb, "id") };
	cr_expect_eq(t_sql_count(db, "SELECT count(*) FROM jxjy.audit_log WHERE entity = 'rule_set'"
	                             " AND action = 'update' AND entity_id = $1 AND after ->> 'closed_by' = $2"
	                             " AND before ->> 'effective_to' = '2022-01-01'", 2, au), 1);
	/* on a set's first day, or past the next set's start: 409 */
	json_t *d = rs_new(ind, "2021-01-01");
	t_resp rd = post_rs(city, d, NULL);
	cr_expect(t_is_problem(&rd, 409), "%d %s", rd.status, rd.body);
	json_t *e = rs_new(ind, "2021-06-01");
	json_object_set_new(e, "effective_to", json_string("2023-01-01"));
	t_resp re = post_rs(city, e, NULL);
	cr_expect(t_is_problem(&re, 409), "%d %s", re.status, re.body);
	free(years);
	t_resp_free(&ra);
	t_resp_free(&rb);
	t_resp_free(&rc);
	t_resp_free(&rd);
	t_resp_free(&re);
	json_decref(a);
	json_decref(b);
	json_decref(c);
	json_decref(d);
	json_decref(e);
	free(city);
	free(ind);
	PQfinish(db);
}

Test(rule_sets, R32_a_district_bureau_backdating_is_403)
{
	char *ind = fresh_industry();
	char *tok = t_token("district_bureau", "320508");
	json_t *b = rs_new(ind, "2021-01-01");
	t_resp r = post_rs(tok, b, NULL);
	cr_expect(t_is_problem(&r, 403), "%d %s", r.status, r.body);
	const char *p[] = { ind };
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.rule_sets WHERE industry = $1", 1, p), 0);
	t_resp_free(&r);
	json_decref(b);
	free(tok);
	free(ind);
}

/* Polls GET /v1/jobs/{id} until the job is done or failed (20 s at most). */
static t_resp job_wait(const char *token, const char *id)
{
	char path[96];
	snprintf(path, sizeof path, "/v1/jobs/%s", id);
	double t0 = t_now_s();
	for (;;) {
		t_resp r = t_get(path, token);
		cr_assert_eq(r.status, 200, "%s", r.body);
		const char *st = t_str(&r, "status");
		if ((st && (!strcmp(st, "done") || !strcmp(st, "failed"))) || t_now_s() - t0 > 20)
			return r;
		t_resp_free(&r);
		usleep(200 * 1000);
	}
}

/* n persons of industry, each with a stored 2021 of 30 + 50 h (compliant
 * under 2013) */
static void persons_with_2021(PGconn *db, const char *industry, int n)
{
	char unit[40];
	t_take_id(unit, t_new_unit(db, "320508", industry));
	for (int i = 0; i < n; i++) {
		char p[40];
		t_take_id(p, t_new_person(db, unit, "intermediate"));
		stored_year(db, p, 2021, "30", "50");
	}
}

Test(rule_sets, R32_above_the_threshold_a_job_re_decides_and_reports_its_progress)
{
	long threshold = t_env("JXJY_JOB_THRESHOLD") ? atol(t_env("JXJY_JOB_THRESHOLD")) : 100000;
	cr_assert(threshold <= 200, "deploy/test starts the gateway with a small JXJY_JOB_THRESHOLD");
	PGconn *db = t_db();
	char *ind = fresh_industry();
	int n = (int)threshold + 7;
	persons_with_2021(db, ind, n);
	char *city = t_token("city_bureau", NULL);
	json_t *b = rs_new(ind, "2021-01-01");
	t_resp r = post_rs(city, b, NULL);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect(json_is_null(json_object_get(r.json, "redecided")), "a job does it: %s", r.body);
	json_t *job = json_object_get(r.json, "job");
	cr_assert(json_is_object(job), "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(job, "status")), "queued");
	char jid[40], rs[40];
	snprintf(jid, sizeof jid, "%s", json_string_value(json_object_get(job, "id")));
	snprintf(rs, sizeof rs, "%s", t_str(&r, "id"));
	t_resp_free(&r);
	/* another industry authority does not see it */
	char path[96];
	snprintf(path, sizeof path, "/v1/jobs/%s", jid);
	char *other = t_token("industry_authority", "education");
	t_resp o = t_get(path, other);
	cr_expect(t_is_problem(&o, 404), "%d %s", o.status, o.body);
	t_resp_free(&o);

	t_resp j = job_wait(city, jid);
	cr_expect_str_eq(t_str(&j, "status"), "done", "%s", j.body);
	cr_expect_str_eq(t_str(&j, "kind"), "rule_set_redecide");
	cr_expect_eq(json_integer_value(json_object_get(j.json, "total")), n, "%s", j.body);
	cr_expect_eq(json_integer_value(json_object_get(j.json, "done")), n, "%s", j.body);
	cr_expect_eq(json_integer_value(json_object_get(j.json, "changed")), n, "%s", j.body);
	cr_expect(t_str(&j, "started_at") && t_str(&j, "finished_at"), "%s", j.body);
	cr_expect(json_is_null(json_object_get(j.json, "error")), "%s", j.body);
	t_resp_free(&j);
	const char *v[] = { ind, rs };
	cr_expect_eq(t_sql_count(db, "SELECT count(*) FROM jxjy.person_year_summary WHERE year = 2021"
	                             " AND judged_industry = $1 AND rule_set = $2::uuid AND NOT compliant"
	                             " AND required_professional = 60", 2, v), n,
	             "every person-year re-decided by the new set");
	json_decref(b);
	free(other);
	free(city);
	free(ind);
	PQfinish(db);
}

/* A set stored behind the gateway's back, and its job: as if a gateway had
 * committed both and died. */
static char *sql_rule_set(PGconn *db, const char *industry, const char *from)
{
	const char *p[] = { industry, from };
	char *id = t_sql_value(db, "INSERT INTO jxjy.rule_sets (id, industry, name, effective_from,"
	                           " cycle_years, auto_verify_base_completions, city_senior_faculty_pct,"
	                           " city_certified_manager_pct, district_senior_faculty_pct,"
	                           " district_certified_manager_pct)"
	                           " VALUES (gen_random_uuid(), $1, '测试规则', $2::date, 5, false, 30, 30, 20, 20)"
	                           " RETURNING id", 2, p);
	cr_assert(id);
	const char *q[] = { id };
	PQclear(t_sql(db, "INSERT INTO jxjy.rule_set_minimums (rule_set, title_level, public_hours,"
	                  " professional_hours) SELECT $1::uuid, l, CASE WHEN l::text LIKE 'junior%' THEN 14"
	                  " ELSE 30 END, CASE WHEN l::text LIKE 'junior%' THEN 28 ELSE 60 END"
	                  " FROM unnest(enum_range(NULL::jxjy.title_level)) AS l", 1, q));
	return id;
}

Test(rule_sets, R32_a_running_job_with_a_stale_lease_is_taken_over_and_a_live_lease_is_not)
{
	PGconn *db = t_db();
	char *ind = fresh_industry(), *ind2 = fresh_industry();
	persons_with_2021(db, ind, 5);
	persons_with_2021(db, ind2, 3);
	char rs[40], rs2[40];
	t_take_id(rs, sql_rule_set(db, ind, "2021-01-01"));
	t_take_id(rs2, sql_rule_set(db, ind2, "2021-01-01"));
	const char *v[] = { rs, ind }, *v2[] = { rs2, ind2 };
	/* a dead gateway's job, half-way: running, its lease expired */
	char *stale = t_sql_value(db, "INSERT INTO jxjy.jobs (id, kind, rule_set, industry, first_year,"
	                              " last_year, status, total, lease_owner, lease_until, started_at)"
	                              " VALUES (gen_random_uuid(), 'rule_set_redecide', $1::uuid, $2, 2021, 2100,"
	                              " 'running', 5, 'dead-gateway', now() - interval '1 minute',"
	                              " now() - interval '2 minutes') RETURNING id", 2, v);
	/* a job another (live) gateway holds */
	char *held = t_sql_value(db, "INSERT INTO jxjy.jobs (id, kind, rule_set, industry, first_year,"
	                             " last_year, status, total, lease_owner, lease_until, started_at)"
	                             " VALUES (gen_random_uuid(), 'rule_set_redecide', $1::uuid, $2, 2021, 2100,"
	                             " 'running', 3, 'live-gateway', now() + interval '1 hour', now())"
	                             " RETURNING id", 2, v2);
	cr_assert(stale && held);
	char *city = t_token("city_bureau", NULL);
	t_resp j = job_wait(city, stale);
	cr_expect_str_eq(t_str(&j, "status"), "done", "%s", j.body);
	cr_expect_eq(json_integer_value(json_object_get(j.json, "done")), 5, "%s", j.body);
	cr_expect_eq(json_integer_value(json_object_get(j.json, "changed")), 5, "%s", j.body);
	t_resp_free(&j);
	cr_expect_eq(t_sql_count(db, "SELECT count(*) FROM jxjy.person_year_summary WHERE year = 2021"
	                             " AND judged_industry = $2 AND rule_set = $1::uuid AND NOT compliant",
	                         2, v), 5);
	/* the held job: untouched while its lease runs */
	const char *h[] = { held };
	char *st = t_sql_value(db, "SELECT status || ' ' || done || ' ' || lease_owner FROM jxjy.jobs"
	                           " WHERE id = $1", 1, h);
	cr_expect_str_eq(st, "running 0 live-gateway");
	cr_expect_eq(t_sql_count(db, "SELECT count(*) FROM jxjy.person_year_summary WHERE year = 2021"
	                             " AND judged_industry = $2 AND rule_set = $1::uuid", 2, v2), 0);
	/* its lease expires: a gateway takes it over */
	PQclear(t_sql(db, "UPDATE jxjy.jobs SET lease_until = now() - interval '1 second' WHERE id = $1", 1, h));
	t_resp k = job_wait(city, held);
	cr_expect_str_eq(t_str(&k, "status"), "done", "%s", k.body);
	cr_expect_eq(json_integer_value(json_object_get(k.json, "changed")), 3, "%s", k.body);
	t_resp_free(&k);
	free(st);
	free(stale);
	free(held);
	free(city);
	free(ind);
	free(ind2);
	PQfinish(db);
}

Test(rule_sets, R6_more_than_256_rule_sets_still_decide_with_the_right_one)
{
	PGconn *db = t_db();
	/* 300 industries with a set each, all sorting before the one that
	 * matters (the old cache kept the first 256 only) */
	char *mark = fresh_industry();
	const char *m[] = { mark };
	PQclear(t_sql(db, "INSERT INTO jxjy.industries (code, name)"
	                  " SELECT $1 || '_' || g, '测试行业 ' || $1 || '_' || g FROM generate_series(1, 300) g",
	                  1, m));
	PQclear(t_sql(db, "WITH s AS (INSERT INTO jxjy.rule_sets (id, industry, name, effective_from,"
	                  " cycle_years, auto_verify_base_completions, city_senior_faculty_pct,"
	                  " city_certified_manager_pct, district_senior_faculty_pct,"
	                  " district_certified_manager_pct)"
	                  " SELECT gen_random_uuid(), $1 || '_' || g, '填充规则', DATE '2013-06-01', 5, false,"
	                  " 30, 30, 20, 20 FROM generate_series(1, 300) g RETURNING id)"
	                  " INSERT INTO jxjy.rule_set_minimums (rule_set, title_level, public_hours,"
	                  " professional_hours) SELECT s.id, l, 24, 48 FROM s,"
	                  " unnest(enum_range(NULL::jxjy.title_level)) AS l", 1, m));
	cr_assert(t_sql_count(db, "SELECT count(*) FROM jxjy.rule_sets", 0, NULL) > 300);
	char *ind = fresh_industry();
	char p[40];
	t_take_id(p, person_in(db, ind));
	char *city = t_token("city_bureau", NULL);
	json_t *b = rs_new(ind, "2021-01-01");
	t_resp r = post_rs(city, b, NULL);
	cr_assert_eq(r.status, 201, "%s", r.body);
	char id[40];
	snprintf(id, sizeof id, "%s", t_str(&r, "id"));
	t_resp_free(&r);
	/* 2023 has no stored decision: decided now, from every rule set */
	t_resp c = compliance_of(city, p, 2023);
	cr_assert_eq(c.status, 200, "%s", c.body);
	cr_expect_str_eq(t_str(&c, "rule_set"), id, "the industry's set, the last of %ld: %s",
	                 t_sql_count(db, "SELECT count(*) FROM jxjy.rule_sets", 0, NULL), c.body);
	cr_expect(member(c.json, "required", "professional") == 60.0, "%s", c.body);
	t_resp_free(&c);
	/* leave the other suites their small table */
	PQclear(t_sql(db, "DELETE FROM jxjy.rule_sets WHERE industry LIKE $1 || '\\_%'", 1, m));
	json_decref(b);
	free(city);
	free(ind);
	free(mark);
	PQfinish(db);
}
