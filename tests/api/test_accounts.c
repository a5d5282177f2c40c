/*
 * Accounts and /v1/me (API.md permission matrix, row "accounts: create",
 * and the reads the bureaus need), over HTTP against the real database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "testlib.h"

typedef struct fixture {
	char unit_gusu[40], unit_huqiu[40], base_city[40], base_gusu[40], person_gusu[40];
} fixture;

static void setup(fixture *f)
{
	PGconn *db = t_db();
	t_take_id(f->unit_gusu, t_new_unit(db, "320508", NULL));
	t_take_id(f->unit_huqiu, t_new_unit(db, "320505", NULL));
	t_take_id(f->base_city, t_new_base(db, "city", "320508", "accredited"));
	t_take_id(f->base_gusu, t_new_base(db, "district", "320508", "accredited"));
	t_take_id(f->person_gusu, t_new_person(db, f->unit_gusu, "intermediate"));
	PQfinish(db);
}

static char *login_name(const char *prefix)
{
	char *s = malloc(64);
	unsigned char r[5];
	randombytes_buf(r, sizeof r);
	snprintf(s, 64, "%s-%02x%02x%02x%02x%02x", prefix, r[0], r[1], r[2], r[3], r[4]);
	return s;
}

static t_resp create(const char *token, const char *role, const char *jur_field, const char *jur,
                     const char *login)
{
	char body[512];
	if (jur_field)
		snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"a long enough password\","
		                            "\"role\":\"%s\",\"%s\":\"%s\"}", login, role, jur_field, jur);
	else
		snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"a long enough password\","
		                            "\"role\":\"%s\"}", login, role);
	return t_post_json("/v1/accounts", token, body);
}

Test(accounts, city_creates_any_account_with_location)
{
	fixture f;
	setup(&f);
	char *city = t_token("city_bureau", NULL);
	struct { const char *role, *field, *value; } cases[] = {
		{ "city_bureau", NULL, NULL },
		{ "district_bureau", "district", "320506" },
		{ "industry_authority", "industry", NULL },
		{ "unit", "unit", f.unit_huqiu },
		{ "base", "base", f.base_city },
		{ "person", "person", f.person_gusu },
	};
	PGconn *db = t_db();
	char *industry = t_sql_value(db, "SELECT code FROM jxjy.industries ORDER BY code LIMIT 1", 0, NULL);
	PQfinish(db);
	cases[2].value = industry;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *login = login_name("acct");
		t_resp r = create(city, cases[i].role, cases[i].field, cases[i].value, login);
		cr_expect_eq(r.status, 201, "%s: %s", cases[i].role, r.body);
		const char *loc = t_header(&r, "Location");
		cr_expect(loc && strncmp(loc, "/v1/accounts/", 13) == 0, "%s: Location", cases[i].role);
		cr_expect_str_eq(json_string_value(json_object_get(r.json, "login")), login);
		cr_expect(!strstr(r.body, "password"), "no password or hash in the answer");
		if (loc) {
			char path[128];
			snprintf(path, sizeof path, "%s", loc);
			t_resp g = t_get(path, city);
			cr_expect_eq(g.status, 200, "GET %s", path);
			t_resp_free(&g);
		}
		t_resp_free(&r);
		free(login);
	}
	/* the audit log recorded the creations */
	db = t_db();
	char *n = t_sql_value(db, "SELECT count(*) FROM jxjy.audit_log WHERE entity = 'account' AND action = 'create'", 0, NULL);
	cr_expect(atoi(n) >= 6, "audit rows: %s", n);
	free(n);
	PQfinish(db);
	free(industry);
	free(city);
}

Test(accounts, district_bureau_creates_only_unit_and_base_accounts_in_its_district)
{
	fixture f;
	setup(&f);
	char *gusu = t_token("district_bureau", "320508");
	char *login;
	t_resp r;

	login = login_name("unit");
	r = create(gusu, "unit", "unit", f.unit_gusu, login);
	cr_expect_eq(r.status, 201, "own district's unit: %s", r.body);
	t_resp_free(&r);
	free(login);

	login = login_name("base");
	r = create(gusu, "base", "base", f.base_gusu, login);
	cr_expect_eq(r.status, 201, "own district-level base: %s", r.body);
	t_resp_free(&r);
	free(login);

	login = login_name("other");
	r = create(gusu, "unit", "unit", f.unit_huqiu, login);
	cr_expect(t_is_problem(&r, 404), "another district's unit is not found: %d %s", r.status, r.body);
	t_resp_free(&r);
	free(login);

	login = login_name("citybase");
	r = create(gusu, "base", "base", f.base_city, login);
	cr_expect(t_is_problem(&r, 403), "a city-level base: %d %s", r.status, r.body);
	t_resp_free(&r);
	free(login);

	login = login_name("bureau");
	r = create(gusu, "district_bureau", "district", "320508", login);
	cr_expect(t_is_problem(&r, 403), "another bureau account: %d", r.status);
	t_resp_free(&r);
	free(login);

	login = login_name("person");
	r = create(gusu, "person", "person", f.person_gusu, login);
	cr_expect(t_is_problem(&r, 403), "a person account: %d", r.status);
	t_resp_free(&r);
	free(login);
	free(gusu);
}

Test(accounts, other_roles_may_not_list_or_create)
{
	const char *roles[][2] = { { "industry_authority", "education" },
	                           { "unit", "11111111-2222-4333-8444-555555555555" },
	                           { "base", "11111111-2222-4333-8444-555555555555" },
	                           { "person", "11111111-2222-4333-8444-555555555555" } };
	for (int i = 0; i < 4; i++) {
		char *tok = t_token(roles[i][0], roles[i][1]);
		t_resp r = t_get("/v1/accounts", tok);
		cr_expect(t_is_problem(&r, 403), "%s list: %d", roles[i][0], r.status);
		t_resp_free(&r);
		char *login = login_name("x");
		r = create(tok, "city_bureau", NULL, NULL, login);
		cr_expect(t_is_problem(&r, 403), "%s create: %d", roles[i][0], r.status);
		t_resp_free(&r);
		free(login);
		free(tok);
	}
}

Test(accounts, district_list_shows_only_its_jurisdiction)
{
	fixture f;
	setup(&f);
	char *city = t_token("city_bureau", NULL);
	char *huqiu_login = login_name("huqiu");
	t_resp r = create(city, "unit", "unit", f.unit_huqiu, huqiu_login);
	cr_assert_eq(r.status, 201, "%s", r.body);
	t_resp_free(&r);
	char *gusu_login = login_name("gusu");
	r = create(city, "unit", "unit", f.unit_gusu, gusu_login);
	cr_assert_eq(r.status, 201);
	t_resp_free(&r);

	char *gusu = t_token("district_bureau", "320508");
	bool seen_gusu = false, seen_huqiu = false;
	char path[512] = "/v1/accounts?limit=2&role=unit";
	for (int pages = 0; pages < 1000; pages++) {
		r = t_get(path, gusu);
		cr_assert_eq(r.status, 200, "%s", r.body);
		size_t i;
		json_t *a;
		json_array_foreach(json_object_get(r.json, "items"), i, a) {
			const char *l = json_string_value(json_object_get(a, "login"));
			seen_gusu |= !strcmp(l, gusu_login);
			seen_huqiu |= !strcmp(l, huqiu_login);
			cr_expect_str_eq(json_string_value(json_object_get(a, "role")), "unit");
		}
		json_t *next = json_object_get(r.json, "next_cursor");
		if (!json_is_string(next)) {
			cr_expect(t_header(&r, "Link") == NULL);
			t_resp_free(&r);
			break;
		}
		const char *link = t_header(&r, "Link");
		cr_expect(link && strstr(link, "rel=\"next\""), "Link header with rel=next");
		snprintf(path, sizeof path, "/v1/accounts?limit=2&role=unit&cursor=%s", json_string_value(next));
		t_resp_free(&r);
	}
	cr_expect(seen_gusu, "its own unit's account is listed");
	cr_expect(!seen_huqiu, "another district's unit account is not");
	free(gusu);
	free(city);
	free(gusu_login);
	free(huqiu_login);
}

Test(accounts, validation_and_conflicts)
{
	char *city = t_token("city_bureau", NULL);
	t_resp r = t_post_json("/v1/accounts", city, "{\"login\":\"a b\",\"password\":\"short\",\"role\":\"mayor\"}");
	cr_assert(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	json_t *errors = json_object_get(r.json, "errors");
	cr_expect_eq(json_array_size(errors), 3, "login, password and role: %s", r.body);
	t_resp_free(&r);

	r = t_post_json("/v1/accounts", city, "{\"login\":\"abc-district\",\"password\":\"a long enough password\","
	                                      "\"role\":\"district_bureau\",\"unit\":\"11111111-2222-4333-8444-555555555555\"}");
	cr_expect(t_is_problem(&r, 422), "wrong jurisdiction field: %d", r.status);
	t_resp_free(&r);

	r = t_post_json("/v1/accounts", city, "{\"login\":\"abc-district\",\"password\":\"a long enough password\","
	                                      "\"role\":\"district_bureau\",\"district\":\"999999\"}");
	cr_expect(t_is_problem(&r, 422), "unknown district: %d %s", r.status, r.body);
	t_resp_free(&r);

	char *login = login_name("dup");
	r = create(city, "district_bureau", "district", "320508", login);
	cr_expect_eq(r.status, 201, "%s", r.body);
	t_resp_free(&r);
	r = create(city, "district_bureau", "district", "320508", login);
	cr_expect(t_is_problem(&r, 409), "a taken login: %d", r.status);
	t_resp_free(&r);
	free(login);
	free(city);
}

Test(me, a_person_reads_its_own_account_only)
{
	fixture f;
	setup(&f);
	char *city = t_token("city_bureau", NULL);
	char *login = login_name("me");
	t_resp r = create(city, "person", "person", f.person_gusu, login);
	cr_assert_eq(r.status, 201, "%s", r.body);
	char id[64];
	snprintf(id, sizeof id, "%s", json_string_value(json_object_get(r.json, "id")));
	t_resp_free(&r);
	char body[256];
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"a long enough password\"}", login);
	r = t_post_json("/v1/auth/token", NULL, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	char *tok = strdup(json_string_value(json_object_get(r.json, "access_token")));
	t_resp_free(&r);

	r = t_get("/v1/me", tok);
	cr_assert_eq(r.status, 200);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(r.json, "claims"), "person")),
	                 f.person_gusu);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(r.json, "account"), "id")), id);
	t_resp_free(&r);

	char path[128];
	snprintf(path, sizeof path, "/v1/accounts/%s", id);
	r = t_get(path, tok);
	cr_expect_eq(r.status, 200, "own account");
	t_resp_free(&r);
	/* any other account is simply not there for a person */
	char *other_login = login_name("other");
	r = create(city, "district_bureau", "district", "320505", other_login);
	snprintf(path, sizeof path, "/v1/accounts/%s", json_string_value(json_object_get(r.json, "id")));
	t_resp_free(&r);
	r = t_get(path, tok);
	cr_expect(t_is_problem(&r, 404), "another's account: %d", r.status);
	t_resp_free(&r);
	free(other_login);
	free(tok);
	free(login);
	free(city);
}

/* D3: Idempotency-Key — replay, other body, concurrent same key */
Test(idempotency, replay_other_body_and_concurrent_use)
{
	char *city = t_token("city_bureau", NULL);
	char *login = login_name("idem");
	char key[64], hdr[128], body[512], body2[512];
	snprintf(key, sizeof key, "key-%s", login);
	snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", key);
	const char *const h[] = { "Content-Type: application/json", hdr, NULL };
	snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"a long enough password\","
	                            "\"role\":\"district_bureau\",\"district\":\"320506\"}", login);
	t_resp a = t_http("POST", "/v1/accounts", city, h, body, strlen(body));
	cr_assert_eq(a.status, 201, "%s", a.body);
	t_resp b = t_http("POST", "/v1/accounts", city, h, body, strlen(body));
	cr_expect_eq(b.status, 201, "replayed: %s", b.body);
	cr_expect_str_eq(b.body, a.body, "the first response, byte for byte");
	cr_expect(t_header(&b, "Idempotent-Replayed") != NULL);
	cr_expect(t_header(&b, "Location") != NULL, "headers replayed too");
	PGconn *db = t_db();
	const char *p[] = { login };
	char *n = t_sql_value(db, "SELECT count(*) FROM jxjy.accounts WHERE login = $1", 1, p);
	cr_expect_str_eq(n, "1", "one row");
	free(n);
	PQfinish(db);
	/* the same key with another body */
	snprintf(body2, sizeof body2, "{\"login\":\"%s-2\",\"password\":\"a long enough password\","
	                              "\"role\":\"district_bureau\",\"district\":\"320506\"}", login);
	t_resp c = t_http("POST", "/v1/accounts", city, h, body2, strlen(body2));
	cr_expect(t_is_problem(&c, 422), "other body: %d %s", c.status, c.body);
	t_resp_free(&a);
	t_resp_free(&b);
	t_resp_free(&c);

	/* two at once with a fresh key: one creates, the other is told it runs */
	snprintf(hdr, sizeof hdr, "Idempotency-Key: %s-concurrent", key);
	snprintf(body, sizeof body, "{\"login\":\"%s-c\",\"password\":\"a long enough password\","
	                            "\"role\":\"district_bureau\",\"district\":\"320506\"}", login);
	char req[2048];
	int len = snprintf(req, sizeof req, "POST /v1/accounts HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
	                                    "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
	                                    "%s\r\nContent-Length: %zu\r\n\r\n%s", city, hdr, strlen(body), body);
	char r1[4096], r2[4096];
	t_race(req, (size_t)len, req, (size_t)len, r1, r2, sizeof r1);
	int st1 = atoi(r1 + 9), st2 = atoi(r2 + 9);
	cr_expect((st1 == 201 && (st2 == 409 || st2 == 201)) || (st2 == 201 && (st1 == 409 || st1 == 201)),
	          "statuses %d and %d", st1, st2);
	db = t_db();
	char lc[96];
	snprintf(lc, sizeof lc, "%s-c", login);
	const char *q[] = { lc };
	n = t_sql_value(db, "SELECT count(*) FROM jxjy.accounts WHERE login = $1", 1, q);
	cr_expect_str_eq(n, "1", "created once");
	free(n);
	PQfinish(db);
	free(login);
	free(city);
}
