/*
 * Public subjects and training plans (R-21, R-22; API.md permission matrix
 * rows "public subjects, public plan: write" and "guides (published),
 * public subjects: read"), over HTTP against the real database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "testlib.h"

#define IND_A "plan_ind_a"
#define IND_B "plan_ind_b"

static void ensure_industries(void)
{
	PGconn *db = t_db();
	PQclear(t_sql(db, "INSERT INTO jxjy.industries (code, name) VALUES ('" IND_A "', '计划测试行业甲'),"
	                  " ('" IND_B "', '计划测试行业乙') ON CONFLICT DO NOTHING", 0, NULL));
	PQfinish(db);
}

/* a year of its own per test (reference tables are shared by all suites) */
static int fresh_year(void)
{
	return 2030 + (int)(randombytes_random() % 70);
}

static char *fresh_code(void)
{
	char *s = malloc(32);
	snprintf(s, 32, "GK-%08x", randombytes_random());
	return s;
}

static bool list_has(const char *path, const char *tok, const char *id)
{
	t_resp r = t_get(path, tok);
	cr_assert_eq(r.status, 200, "%s: %s", path, r.body);
	bool found = false;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		found |= !strcmp(json_string_value(json_object_get(it, "id")), id);
	t_resp_free(&r);
	return found;
}

static char *six_tokens[6];
static const char *const six_names[6] = { "city_bureau", "district_bureau", "industry_authority",
                                          "unit", "base", "person" };

static void make_tokens(void)
{
	six_tokens[0] = t_token("city_bureau", NULL);
	six_tokens[1] = t_token("district_bureau", "320508");
	six_tokens[2] = t_token("industry_authority", IND_A);
	six_tokens[3] = t_token("unit", "11111111-2222-4333-8444-555555555555");
	six_tokens[4] = t_token("base", "11111111-2222-4333-8444-555555555555");
	six_tokens[5] = t_token("person", "11111111-2222-4333-8444-555555555555");
}

/* ---- public subjects (R-21) ------------------------------------------------ */

Test(public_subjects, R21_the_city_creates_one_and_every_role_reads_it)
{
	make_tokens();
	int year = fresh_year();
	char *code = fresh_code();
	char body[256];
	snprintf(body, sizeof body, "{\"year\":%d,\"code\":\"%s\",\"title\":\"职业道德与诚信建设\",\"hours\":12.5}",
	         year, code);
	t_resp r = t_post_idem("/v1/public-subjects", six_tokens[0], body, NULL);
	cr_assert_eq(r.status, 201, "%s", r.body);
	const char *loc = t_header(&r, "Location");
	cr_expect(loc && !strncmp(loc, "/v1/public-subjects/", 20), "Location");
	cr_expect_eq(json_integer_value(json_object_get(r.json, "year")), year);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "code")), code);
	cr_expect_eq(json_number_value(json_object_get(r.json, "hours")), 12.5);
	char id[40], path[128];
	snprintf(id, sizeof id, "%s", json_string_value(json_object_get(r.json, "id")));
	t_resp_free(&r);
	for (int i = 0; i < 6; i++) {
		snprintf(path, sizeof path, "/v1/public-subjects/%s", id);
		t_resp g = t_get(path, six_tokens[i]);
		cr_expect_eq(g.status, 200, "%s reads it: %d", six_names[i], g.status);
		t_resp_free(&g);
		snprintf(path, sizeof path, "/v1/public-subjects?year=%d", year);
		cr_expect(list_has(path, six_tokens[i], id), "%s lists it", six_names[i]);
	}
	PGconn *db = t_db();
	const char *p[] = { id };
	char *n = t_sql_value(db, "SELECT count(*) FROM jxjy.audit_log WHERE entity = 'public_subject'"
	                          " AND action = 'create' AND entity_id = $1", 1, p);
	cr_expect_str_eq(n, "1");
	free(n);
	PQfinish(db);
	free(code);
}

Test(public_subjects, A1_write_is_the_city_bureaus_only_read_is_everybodys)
{
	make_tokens();
	/* role → { list, create } */
	const int expect[6][2] = { { 200, 201 }, { 200, 403 }, { 200, 403 }, { 200, 403 },
	                           { 200, 403 }, { 200, 403 } };
	int year = fresh_year();
	char title[32];
	snprintf(title, sizeof title, "matrix-%08x", randombytes_random());
	for (int i = 0; i < 6; i++) {
		t_resp r = t_get("/v1/public-subjects?limit=1", six_tokens[i]);
		cr_expect_eq(r.status, expect[i][0], "%s list: %d", six_names[i], r.status);
		t_resp_free(&r);
		char *code = fresh_code();
		char body[200];
		snprintf(body, sizeof body, "{\"year\":%d,\"code\":\"%s\",\"title\":\"%s\",\"hours\":6}",
		         year, code, title);
		r = t_post_idem("/v1/public-subjects", six_tokens[i], body, NULL);
		if (expect[i][1] == 403)
			cr_expect(t_is_problem(&r, 403), "%s create: %d", six_names[i], r.status);
		else
			cr_expect_eq(r.status, expect[i][1], "%s create: %d %s", six_names[i], r.status, r.body);
		t_resp_free(&r);
		free(code);
	}
	PGconn *db = t_db();
	char y[12];
	snprintf(y, sizeof y, "%d", year);
	const char *p[] = { y, title };
	char *n = t_sql_value(db, "SELECT count(*) FROM jxjy.public_subjects WHERE year = $1::int"
	                          " AND title = $2", 2, p);
	cr_expect_str_eq(n, "1", "only the city bureau's was stored");
	free(n);
	PQfinish(db);
}

Test(public_subjects, validation_and_a_duplicate_code)
{
	char *city = t_token("city_bureau", NULL);
	struct { const char *body, *field; } bad[] = {
		{ "{\"year\":1900,\"code\":\"A1\",\"title\":\"t\",\"hours\":6}", "year" },
		{ "{\"year\":2031,\"code\":\"A 1\",\"title\":\"t\",\"hours\":6}", "code" },
		{ "{\"year\":2031,\"code\":\"A1\",\"title\":\"\",\"hours\":6}", "title" },
		{ "{\"year\":2031,\"code\":\"A1\",\"title\":\"t\",\"hours\":0}", "hours" },
		{ "{\"year\":2031,\"code\":\"A1\",\"title\":\"t\",\"hours\":1.25}", "hours" },
		{ "{\"year\":2031,\"code\":\"A1\",\"title\":\"t\"}", "hours" },
		{ "{\"year\":2031,\"code\":\"A1\",\"title\":\"t\",\"hours\":6,\"industry\":\"it\"}", "industry" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t_resp r = t_post_idem("/v1/public-subjects", city, bad[i].body, NULL);
		cr_expect(t_is_problem(&r, 422), "%s: %d", bad[i].body, r.status);
		cr_expect(t_has_error(&r, bad[i].field, NULL), "%s: field %s in %s", bad[i].body, bad[i].field, r.body);
		t_resp_free(&r);
	}
	char *code = fresh_code();
	char body[200];
	snprintf(body, sizeof body, "{\"year\":%d,\"code\":\"%s\",\"title\":\"t\",\"hours\":6}", fresh_year(), code);
	t_resp r = t_post_idem("/v1/public-subjects", city, body, NULL);
	cr_expect_eq(r.status, 201, "%s", r.body);
	t_resp_free(&r);
	r = t_post_idem("/v1/public-subjects", city, body, NULL);
	cr_expect(t_is_problem(&r, 409), "the same code in the same year: %d", r.status);
	t_resp_free(&r);
	r = t_get("/v1/public-subjects?year=abc", city);
	cr_expect(t_is_problem(&r, 400), "bad year: %d", r.status);
	t_resp_free(&r);
	r = t_get("/v1/public-subjects/11111111-2222-4333-8444-555555555555", city);
	cr_expect(t_is_problem(&r, 404), "no such subject: %d", r.status);
	t_resp_free(&r);
	free(code);
	free(city);
}

Test(public_subjects, D3_create_replays_with_the_same_idempotency_key)
{
	char *city = t_token("city_bureau", NULL);
	char *code = fresh_code();
	char body[200], key[64];
	snprintf(body, sizeof body, "{\"year\":%d,\"code\":\"%s\",\"title\":\"t\",\"hours\":6}", fresh_year(), code);
	snprintf(key, sizeof key, "ps-%08x", randombytes_random());
	t_resp a = t_post_idem("/v1/public-subjects", city, body, key);
	t_resp b = t_post_idem("/v1/public-subjects", city, body, key);
	cr_assert_eq(a.status, 201, "%s", a.body);
	cr_expect_eq(b.status, 201, "replay, not a duplicate: %d %s", b.status, b.body);
	cr_expect_str_eq(b.body, a.body);
	cr_expect_str_eq(t_header(&b, "Idempotent-Replayed"), "true");
	t_resp_free(&a);
	t_resp_free(&b);
	free(code);
	free(city);
}

/* ---- plans (R-21 public, R-22 professional) ------------------------------- */

Test(plans, A1_who_writes_which_plan_from_one_table)
{
	ensure_industries();
	make_tokens();
	char *other_industry = t_token("industry_authority", IND_B);
	int year = fresh_year();
	char pub[200], own[200], other[200], implied[200];
	snprintf(pub, sizeof pub, "{\"kind\":\"public\",\"year\":%d,\"title\":\"公需计划\"}", year);
	snprintf(own, sizeof own, "{\"kind\":\"professional\",\"industry\":\"" IND_A "\",\"year\":%d,\"title\":\"专业计划\"}", year);
	snprintf(other, sizeof other, "{\"kind\":\"professional\",\"industry\":\"" IND_B "\",\"year\":%d,\"title\":\"专业计划\"}", year);
	snprintf(implied, sizeof implied, "{\"kind\":\"professional\",\"year\":%d,\"title\":\"专业计划\"}", year);
	const char *bodies[4] = { pub, own, other, implied };
	static const char *const what[4] = { "public plan", "professional plan of IND_A",
	                                     "professional plan of IND_B", "professional, industry implied" };
	/* role (token of IND_A for the industry authority) → expected per body, then list */
	const int expect[6][5] = {
		{ 201, 403, 403, 403, 200 }, /* city */
		{ 403, 403, 403, 403, 200 }, /* district */
		{ 403, 201, 403, 201, 200 }, /* industry IND_A */
		{ 403, 403, 403, 403, 200 }, /* unit */
		{ 403, 403, 403, 403, 200 }, /* base */
		{ 403, 403, 403, 403, 200 }, /* person */
	};
	for (int i = 0; i < 6; i++) {
		for (int b = 0; b < 4; b++) {
			t_resp r = t_post_idem("/v1/plans", six_tokens[i], bodies[b], NULL);
			if (expect[i][b] == 403)
				cr_expect(t_is_problem(&r, 403), "%s %s: %d %s", six_names[i], what[b], r.status, r.body);
			else
				cr_expect_eq(r.status, expect[i][b], "%s %s: %d %s", six_names[i], what[b], r.status, r.body);
			if (r.status == 201 && b == 3)
				cr_expect_str_eq(json_string_value(json_object_get(r.json, "industry")), IND_A);
			t_resp_free(&r);
		}
	}
	for (int i = 0; i < 6; i++) {
		char path[96];
		snprintf(path, sizeof path, "/v1/plans?year=%d", year);
		t_resp r = t_get(path, six_tokens[i]);
		cr_expect_eq(r.status, expect[i][4], "%s list", six_names[i]);
		cr_expect_geq(json_array_size(json_object_get(r.json, "items")), 3, "%s sees the 3 plans", six_names[i]);
		t_resp_free(&r);
	}
	/* IND_B's own authority may write its plan */
	t_resp r = t_post_idem("/v1/plans", other_industry, other, NULL);
	cr_expect_eq(r.status, 201, "%s", r.body);
	t_resp_free(&r);
	free(other_industry);
}

Test(plans, R21_list_filters_get_with_etag_and_content)
{
	ensure_industries();
	char *city = t_token("city_bureau", NULL);
	char *ind = t_token("industry_authority", IND_A);
	int year = fresh_year();
	char body[300];
	snprintf(body, sizeof body, "{\"kind\":\"public\",\"year\":%d,\"title\":\"公需科目培训计划\","
	                            "\"content\":{\"subjects\":[\"GK-01\"],\"sessions\":4}}", year);
	t_resp r = t_post_idem("/v1/plans", city, body, NULL);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect(json_is_null(json_object_get(r.json, "industry")));
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(r.json, "content"), "sessions")), 4);
	char id[40], path[160];
	snprintf(id, sizeof id, "%s", json_string_value(json_object_get(r.json, "id")));
	cr_expect(t_header(&r, "Location") && strstr(t_header(&r, "Location"), id));
	t_resp_free(&r);
	snprintf(body, sizeof body, "{\"kind\":\"professional\",\"year\":%d,\"title\":\"专业\",\"content\":\"文本计划\"}", year);
	r = t_post_idem("/v1/plans", ind, body, NULL);
	cr_assert_eq(r.status, 201, "%s", r.body);
	char pid[40];
	snprintf(pid, sizeof pid, "%s", json_string_value(json_object_get(r.json, "id")));
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "content")), "文本计划");
	t_resp_free(&r);

	snprintf(path, sizeof path, "/v1/plans?year=%d&kind=public", year);
	cr_expect(list_has(path, ind, id) && !list_has(path, ind, pid), "kind filter");
	snprintf(path, sizeof path, "/v1/plans?year=%d&industry=" IND_A, year);
	cr_expect(list_has(path, city, pid) && !list_has(path, city, id), "industry filter");
	snprintf(path, sizeof path, "/v1/plans/%s", id);
	r = t_get(path, ind);
	cr_expect_eq(r.status, 200);
	cr_expect(t_header(&r, "ETag") != NULL, "ETag");
	t_resp_free(&r);
	const char *bad_queries[] = { "/v1/plans?kind=annual", "/v1/plans?year=20x5", "/v1/plans?industry=No!",
	                              "/v1/plans?owner=me" };
	for (int i = 0; i < 4; i++) {
		r = t_get(bad_queries[i], city);
		cr_expect(t_is_problem(&r, 400), "%s: %d", bad_queries[i], r.status);
		t_resp_free(&r);
	}
	free(city);
	free(ind);
}

Test(plans, validation_names_the_fields)
{
	char *city = t_token("city_bureau", NULL);
	char *ind = t_token("industry_authority", IND_A);
	struct { const char *tok, *body, *field; } bad[] = {
		{ city, "{\"year\":2031,\"title\":\"t\"}", "kind" },
		{ city, "{\"kind\":\"annual\",\"year\":2031,\"title\":\"t\"}", "kind" },
		{ city, "{\"kind\":\"public\",\"industry\":\"" IND_A "\",\"year\":2031,\"title\":\"t\"}", "industry" },
		{ city, "{\"kind\":\"public\",\"year\":2031}", "title" },
		{ city, "{\"kind\":\"public\",\"year\":3000,\"title\":\"t\"}", "year" },
		{ city, "{\"kind\":\"public\",\"year\":2031,\"title\":\"t\",\"content\":42}", "content" },
		{ ind, "{\"kind\":\"professional\",\"year\":2031,\"title\":\"t\",\"owner\":1}", "owner" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t_resp r = t_post_idem("/v1/plans", bad[i].tok, bad[i].body, NULL);
		cr_expect(t_is_problem(&r, 422), "%s: %d", bad[i].body, r.status);
		cr_expect(t_has_error(&r, bad[i].field, NULL), "%s: field %s in %s", bad[i].body, bad[i].field, r.body);
		t_resp_free(&r);
	}
	free(city);
	free(ind);
}
