/*
 * Subject guides (R-22; API.md permission matrix rows "guides, professional
 * plan: write / publish" and "guides (published), public subjects: read"),
 * over HTTP against the real database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "testlib.h"

#define IND_A "guide_ind_a"
#define IND_B "guide_ind_b"
#define ANY_ID "11111111-2222-4333-8444-555555555555"

static void ensure_industries(void)
{
	PGconn *db = t_db();
	PQclear(t_sql(db, "INSERT INTO jxjy.industries (code, name) VALUES ('" IND_A "', '指南测试行业甲'),"
	                  " ('" IND_B "', '指南测试行业乙') ON CONFLICT DO NOTHING", 0, NULL));
	PQfinish(db);
}

static t_resp publish(const char *tok, const char *id, const char *idem)
{
	char path[128];
	snprintf(path, sizeof path, "/v1/guides/%s/publish", id);
	return t_post_idem(path, tok, NULL, idem);
}

static t_resp get_guide(const char *tok, const char *id)
{
	char path[128];
	snprintf(path, sizeof path, "/v1/guides/%s", id);
	return t_get(path, tok);
}

static int fresh_year(void)
{
	return 2030 + (int)(randombytes_random() % 70);
}

/* a draft guide of IND_A, its id in out */
static void draft(char out[40], const char *tok, int year)
{
	char body[400];
	snprintf(body, sizeof body, "{\"year\":%d,\"title\":\"专业科目指南\",\"subjects\":["
	                            "{\"code\":\"S-02\",\"title\":\"医疗质量与安全\",\"hours\":12},"
	                            "{\"code\":\"S-01\",\"title\":\"临床诊疗新进展\",\"hours\":24.5}]}", year);
	t_resp r = t_post_idem("/v1/guides", tok, body, NULL);
	cr_assert_eq(r.status, 201, "%s", r.body);
	snprintf(out, 40, "%s", json_string_value(json_object_get(r.json, "id")));
	t_resp_free(&r);
}

static bool listed(const char *tok, int year, const char *id)
{
	char path[128];
	snprintf(path, sizeof path, "/v1/guides?year=%d&industry=" IND_A, year);
	t_resp r = t_get(path, tok);
	cr_assert_eq(r.status, 200, "%s", r.body);
	bool found = false;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		found |= !strcmp(json_string_value(json_object_get(it, "id")), id);
	t_resp_free(&r);
	return found;
}

Test(guides, R22_an_industry_authority_creates_a_draft_with_its_subjects)
{
	ensure_industries();
	char *ind = t_token("industry_authority", IND_A);
	char body[400];
	snprintf(body, sizeof body, "{\"industry\":\"" IND_A "\",\"year\":%d,\"title\":\"指南\",\"subjects\":["
	                            "{\"code\":\"S-02\",\"title\":\"乙\",\"hours\":12},"
	                            "{\"code\":\"S-01\",\"title\":\"甲\",\"hours\":24.5}]}", fresh_year());
	t_resp r = t_post_idem("/v1/guides", ind, body, NULL);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect(t_header(&r, "Location") && !strncmp(t_header(&r, "Location"), "/v1/guides/", 11));
	cr_expect(t_header(&r, "ETag") != NULL);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "status")), "draft");
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "industry")), IND_A);
	cr_expect(json_is_null(json_object_get(r.json, "filed_at")));
	json_t *subjects = json_object_get(r.json, "subjects");
	cr_assert_eq(json_array_size(subjects), 2, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(subjects, 0), "code")), "S-01");
	cr_expect_eq(json_number_value(json_object_get(json_array_get(subjects, 0), "hours")), 24.5);
	cr_expect(json_is_string(json_object_get(json_array_get(subjects, 1), "id")), "a subject id projects can name");
	const char *id = json_string_value(json_object_get(r.json, "id"));
	PGconn *db = t_db();
	const char *p[] = { id };
	char *n = t_sql_value(db, "SELECT count(*) FROM jxjy.audit_log WHERE entity = 'guide'"
	                          " AND action = 'create' AND entity_id = $1", 1, p);
	cr_expect_str_eq(n, "1");
	free(n);
	PQfinish(db);
	t_resp_free(&r);
	free(ind);
}

Test(guides, R22_a_draft_is_invisible_outside_its_industry_a_published_guide_is_everybodys)
{
	ensure_industries();
	char *ind = t_token("industry_authority", IND_A);
	char *other = t_token("industry_authority", IND_B);
	char *unit = t_token("unit", ANY_ID);
	char *city = t_token("city_bureau", NULL);
	int year = fresh_year();
	char id[40];
	draft(id, ind, year);
	const char *outsiders[] = { unit, city, other };
	for (int i = 0; i < 3; i++) {
		t_resp r = get_guide(outsiders[i], id);
		cr_expect(t_is_problem(&r, 404), "draft read by outsider %d: %d", i, r.status);
		t_resp_free(&r);
		cr_expect(!listed(outsiders[i], year, id), "draft listed to outsider %d", i);
	}
	t_resp r = get_guide(ind, id);
	cr_expect_eq(r.status, 200);
	t_resp_free(&r);
	cr_expect(listed(ind, year, id));
	r = publish(ind, id, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	for (int i = 0; i < 3; i++) {
		r = get_guide(outsiders[i], id);
		cr_expect_eq(r.status, 200, "published read by outsider %d", i);
		t_resp_free(&r);
		cr_expect(listed(outsiders[i], year, id), "published listed to outsider %d", i);
	}
	free(ind);
	free(other);
	free(unit);
	free(city);
}

Test(guides, R22_publish_by_the_wrong_industry_is_refused_by_the_right_one_files_it)
{
	ensure_industries();
	char *ind = t_token("industry_authority", IND_A);
	char *other = t_token("industry_authority", IND_B);
	char id[40];
	draft(id, ind, fresh_year());
	/* the draft is not the other industry's to see: existence is not revealed */
	t_resp r = publish(other, id, NULL);
	cr_expect(t_is_problem(&r, 404), "wrong industry, draft: %d %s", r.status, r.body);
	t_resp_free(&r);
	r = publish(ind, id, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "status")), "published");
	const char *filed = json_string_value(json_object_get(r.json, "filed_at"));
	cr_expect(filed && strlen(filed) == 20 && filed[10] == 'T' && filed[19] == 'Z', "filed_at: %s",
	          filed ? filed : "(null)");
	cr_expect(json_is_string(json_object_get(r.json, "published_at")));
	cr_expect_eq(json_array_size(json_object_get(r.json, "subjects")), 2);
	t_resp_free(&r);
	/* now readable by it, still not its to publish */
	r = publish(other, id, NULL);
	cr_expect(t_is_problem(&r, 403), "wrong industry, published: %d %s", r.status, r.body);
	t_resp_free(&r);
	r = publish(ind, id, NULL);
	cr_expect(t_is_problem(&r, 409), "a second publication: %d", r.status);
	t_resp_free(&r);
	PGconn *db = t_db();
	const char *p[] = { id };
	char *n = t_sql_value(db, "SELECT string_agg(action, ',' ORDER BY id) FROM jxjy.audit_log"
	                          " WHERE entity = 'guide' AND entity_id = $1", 1, p);
	cr_expect_str_eq(n, "create,publish");
	free(n);
	n = t_sql_value(db, "SELECT (filed_at IS NOT NULL AND status = 'published')::text FROM jxjy.guides"
	                    " WHERE id = $1::uuid", 1, p);
	cr_expect_str_eq(n, "true");
	free(n);
	PQfinish(db);
	free(ind);
	free(other);
}

Test(guides, A1_permission_matrix_from_one_table)
{
	ensure_industries();
	char *ind = t_token("industry_authority", IND_A);
	int year = fresh_year();
	char published[40], drafted[40];
	draft(published, ind, year);
	t_resp r = publish(ind, published, NULL);
	cr_assert_eq(r.status, 200);
	t_resp_free(&r);
	draft(drafted, ind, year);
	enum { LIST, GET_PUB, GET_DRAFT, CREATE_OWN, CREATE_OTHER, PUBLISH, N };
	static const char *const act[N] = { "list", "get published", "get draft", "create own industry",
	                                    "create other industry", "publish draft" };
	struct { const char *who; char *tok; int expect[N]; } rows[] = {
		{ "city", t_token("city_bureau", NULL), { 200, 200, 404, 403, 403, 403 } },
		{ "district", t_token("district_bureau", "320508"), { 200, 200, 404, 403, 403, 403 } },
		{ "other industry", t_token("industry_authority", IND_B), { 200, 200, 404, 201, 403, 404 } },
		{ "unit", t_token("unit", ANY_ID), { 200, 200, 404, 403, 403, 403 } },
		{ "base", t_token("base", ANY_ID), { 200, 200, 404, 403, 403, 403 } },
		{ "person", t_token("person", ANY_ID), { 200, 200, 404, 403, 403, 403 } },
		{ "own industry", ind, { 200, 200, 200, 201, 403, 200 } },
	};
	char own_body[300], other_body[300];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		/* "own" is the caller's industry, "other" the one that is not */
		bool is_b = !strcmp(rows[i].who, "other industry");
		snprintf(own_body, sizeof own_body, "{\"industry\":\"%s\",\"year\":%d,\"title\":\"t\","
		         "\"subjects\":[{\"code\":\"X\",\"title\":\"x\",\"hours\":1}]}", is_b ? IND_B : IND_A, year);
		snprintf(other_body, sizeof other_body, "{\"industry\":\"%s\",\"year\":%d,\"title\":\"t\","
		         "\"subjects\":[{\"code\":\"X\",\"title\":\"x\",\"hours\":1}]}", is_b ? IND_A : IND_B, year);
		for (int a = 0; a < N; a++) {
			char path[128];
			switch (a) {
			case LIST:
				snprintf(path, sizeof path, "/v1/guides?year=%d", year);
				r = t_get(path, rows[i].tok);
				break;
			case GET_PUB: r = get_guide(rows[i].tok, published); break;
			case GET_DRAFT: r = get_guide(rows[i].tok, drafted); break;
			case CREATE_OWN: r = t_post_idem("/v1/guides", rows[i].tok, own_body, NULL); break;
			case CREATE_OTHER: r = t_post_idem("/v1/guides", rows[i].tok, other_body, NULL); break;
			default: r = publish(rows[i].tok, drafted, NULL); break;
			}
			int want = rows[i].expect[a];
			if (want >= 400)
				cr_expect(t_is_problem(&r, want), "%s %s: %d, want %d", rows[i].who, act[a], r.status, want);
			else
				cr_expect_eq(r.status, want, "%s %s: %d, want %d: %s", rows[i].who, act[a], r.status,
				             want, r.body);
			t_resp_free(&r);
		}
	}
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		free(rows[i].tok);
}

Test(guides, validation_names_the_fields)
{
	ensure_industries();
	char *ind = t_token("industry_authority", IND_A);
	struct { const char *body, *field; } bad[] = {
		{ "{\"year\":2031,\"title\":\"t\"}", "subjects" },
		{ "{\"year\":2031,\"title\":\"t\",\"subjects\":[]}", "subjects" },
		{ "{\"year\":2031,\"title\":\"t\",\"subjects\":[3]}", "subjects[0]" },
		{ "{\"year\":2031,\"title\":\"t\",\"subjects\":[{\"code\":\"A\",\"title\":\"a\",\"hours\":0}]}", "subjects[0].hours" },
		{ "{\"year\":2031,\"title\":\"t\",\"subjects\":[{\"code\":\"A\",\"title\":\"a\",\"hours\":1},"
		  "{\"code\":\"A\",\"title\":\"b\",\"hours\":2}]}", "subjects[1].code" },
		{ "{\"year\":2031,\"title\":\"t\",\"subjects\":[{\"code\":\"A\",\"hours\":1}]}", "subjects[0].title" },
		{ "{\"year\":2031,\"title\":\"t\",\"subjects\":[{\"code\":\"A\",\"title\":\"a\",\"hours\":1,\"x\":1}]}", "subjects[0].x" },
		{ "{\"title\":\"t\",\"subjects\":[{\"code\":\"A\",\"title\":\"a\",\"hours\":1}]}", "year" },
		{ "{\"year\":2031,\"subjects\":[{\"code\":\"A\",\"title\":\"a\",\"hours\":1}]}", "title" },
		{ "{\"industry\":7,\"year\":2031,\"title\":\"t\",\"subjects\":[{\"code\":\"A\",\"title\":\"a\",\"hours\":1}]}", "industry" },
		{ "{\"year\":2031,\"title\":\"t\",\"status\":\"published\",\"subjects\":[{\"code\":\"A\",\"title\":\"a\",\"hours\":1}]}", "status" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t_resp r = t_post_idem("/v1/guides", ind, bad[i].body, NULL);
		cr_expect(t_is_problem(&r, 422), "%s: %d", bad[i].body, r.status);
		cr_expect(t_has_error(&r, bad[i].field, NULL), "%s: field %s in %s", bad[i].body, bad[i].field, r.body);
		t_resp_free(&r);
	}
	const char *bad_queries[] = { "/v1/guides?status=final", "/v1/guides?industry=A-B", "/v1/guides?year=x",
	                              "/v1/guides?sort=year" };
	for (int i = 0; i < 4; i++) {
		t_resp r = t_get(bad_queries[i], ind);
		cr_expect(t_is_problem(&r, 400), "%s: %d", bad_queries[i], r.status);
		t_resp_free(&r);
	}
	t_resp r = publish(ind, ANY_ID, NULL);
	cr_expect(t_is_problem(&r, 404), "no such guide: %d", r.status);
	t_resp_free(&r);
	r = publish(ind, "not-a-uuid", NULL);
	cr_expect(t_is_problem(&r, 404), "malformed id: %d", r.status);
	t_resp_free(&r);
	free(ind);
}

Test(guides, D3_create_and_publish_replay_with_the_same_idempotency_key)
{
	ensure_industries();
	char *ind = t_token("industry_authority", IND_A);
	char body[300], key[64];
	int year = fresh_year();
	snprintf(body, sizeof body, "{\"year\":%d,\"title\":\"replay\",\"subjects\":[{\"code\":\"R\","
	                            "\"title\":\"r\",\"hours\":3}]}", year);
	snprintf(key, sizeof key, "guide-%08x", randombytes_random());
	t_resp a = t_post_idem("/v1/guides", ind, body, key);
	t_resp b = t_post_idem("/v1/guides", ind, body, key);
	cr_assert_eq(a.status, 201, "%s", a.body);
	cr_expect_eq(b.status, 201);
	cr_expect_str_eq(b.body, a.body);
	char id[40];
	snprintf(id, sizeof id, "%s", json_string_value(json_object_get(a.json, "id")));
	t_resp_free(&a);
	t_resp_free(&b);
	snprintf(key, sizeof key, "publish-%08x", randombytes_random());
	a = publish(ind, id, key);
	b = publish(ind, id, key);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cr_expect_eq(b.status, 200, "replayed, not 409: %d", b.status);
	cr_expect_str_eq(b.body, a.body);
	t_resp_free(&a);
	t_resp_free(&b);
	PGconn *db = t_db();
	char y[12];
	snprintf(y, sizeof y, "%d", year);
	const char *p[] = { y };
	char *n = t_sql_value(db, "SELECT count(*) FROM jxjy.guides WHERE year = $1::int AND title = 'replay'"
	                          " AND industry = '" IND_A "'", 1, p);
	cr_expect_str_eq(n, "1");
	free(n);
	PQfinish(db);
	free(ind);
}
