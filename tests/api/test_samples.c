/*
 * POST /v1/samples, GET /v1/samples/{id} (R-25 随机统计、抽样统计) over
 * HTTP: reproducible draws, strata, clamped scopes, the items' current
 * state, validation and the permission matrix.  The world of
 * stats_fixtures.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "stats_fixtures.h"

static t_resp draw(const char *tok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static t_resp draw(const char *tok, const char *fmt, ...)
{
	char body[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(body, sizeof body, fmt, ap);
	va_end(ap);
	return t_post_json("/v1/samples", tok, body);
}

/* The items' ids (person or record) joined by spaces, malloc'd. */
static char *item_ids(json_t *sample)
{
	size_t cap = 64 * 1024, n = 0, i;
	char *out = calloc(1, cap);
	json_t *it;
	json_array_foreach(json_object_get(sample, "items"), i, it) {
		json_t *id = json_object_get(it, "person");
		if (!id)
			id = json_object_get(it, "record");
		n += (size_t)snprintf(out + n, cap - n, "%s ", json_string_value(id));
	}
	return out;
}

/* Adds n in-service persons to a new unit of district (industry ind). */
static void add_persons(const char *district, const char *industry, int n)
{
	PGconn *db = t_db();
	char *u = w_unit(db, district, industry);
	for (int k = 0; k < n; k++)
		free(w_person(db, u, "intermediate", "in_service"));
	free(u);
	PQfinish(db);
}

Test(samples, R25_the_same_seed_draws_the_same_items)
{
	world w;
	w_build(&w);
	add_persons(w.d, w.i, 20);
	char *tok = w_token(&w, "district_bureau", "d");
	t_resp a = draw(tok, "{\"year\":%d,\"of\":\"persons\",\"size\":6,\"seed\":20130101}", W_YEAR);
	cr_assert_eq(a.status, 201, "%s", a.body);
	t_resp b = draw(tok, "{\"year\":%d,\"of\":\"persons\",\"size\":6,\"seed\":20130101}", W_YEAR);
	cr_assert_eq(b.status, 201, "%s", b.body);
	char *ia = item_ids(a.json), *ib = item_ids(b.json);
	cr_expect_str_eq(ia, ib, "same scope, size and seed");
	cr_expect_eq(json_array_size(json_object_get(a.json, "items")), 6);
	cr_expect_eq(json_integer_value(json_object_get(a.json, "population")), 25, "5 + 20 in service in d");
	cr_expect_eq(json_integer_value(json_object_get(a.json, "seed")), 20130101);
	cr_expect_str_neq(json_string_value(json_object_get(a.json, "id")),
	                  json_string_value(json_object_get(b.json, "id")), "two stored samples");
	const char *loc = t_header(&a, "Location");
	cr_expect(loc && strstr(loc, json_string_value(json_object_get(a.json, "id"))), "Location");
	/* items are distinct */
	json_t *items = json_object_get(a.json, "items");
	for (size_t x = 0; x < json_array_size(items); x++)
		for (size_t y = x + 1; y < json_array_size(items); y++)
			cr_expect_str_neq(json_string_value(json_object_get(json_array_get(items, x), "person")),
			                  json_string_value(json_object_get(json_array_get(items, y), "person")));
	/* another seed draws (almost surely) another set of 6 of 25 */
	t_resp c = draw(tok, "{\"year\":%d,\"of\":\"persons\",\"size\":6,\"seed\":20130102}", W_YEAR);
	cr_assert_eq(c.status, 201);
	char *ic = item_ids(c.json);
	cr_expect_str_neq(ia, ic);
	free(ia);
	free(ib);
	free(ic);
	t_resp_free(&a);
	t_resp_free(&b);
	t_resp_free(&c);
	free(tok);
	w_free(&w);
}

Test(samples, R25_a_generated_seed_is_returned_and_reproduces_the_sample)
{
	world w;
	w_build(&w);
	add_persons(w.d, w.i, 10);
	char *tok = t_token("city_bureau", NULL);
	t_resp a = draw(tok, "{\"year\":%d,\"of\":\"persons\",\"size\":4,\"scope\":{\"district\":\"%s\"}}",
	                W_YEAR, w.d);
	cr_assert_eq(a.status, 201, "%s", a.body);
	json_t *seed = json_object_get(a.json, "seed");
	cr_assert(json_is_integer(seed), "the seed is returned");
	cr_expect(json_integer_value(seed) >= 0 && json_integer_value(seed) <= 9007199254740991LL);
	t_resp b = draw(tok, "{\"year\":%d,\"of\":\"persons\",\"size\":4,\"scope\":{\"district\":\"%s\"},"
	                     "\"seed\":%lld}", W_YEAR, w.d, (long long)json_integer_value(seed));
	cr_assert_eq(b.status, 201, "%s", b.body);
	char *ia = item_ids(a.json), *ib = item_ids(b.json);
	cr_expect_str_eq(ia, ib);
	free(ia);
	free(ib);
	t_resp_free(&a);
	t_resp_free(&b);
	free(tok);
	w_free(&w);
}

Test(samples, R25_inserts_outside_the_scope_do_not_change_a_sample)
{
	world w;
	w_build(&w);
	add_persons(w.d, w.i, 12);
	char *tok = w_token(&w, "district_bureau", "d");
#define REQ "{\"year\":%d,\"of\":\"persons\",\"size\":5,\"seed\":77}"
#define RREQ "{\"year\":%d,\"of\":\"records\",\"size\":3,\"seed\":77}"
	t_resp a = draw(tok, REQ, W_YEAR);
	cr_assert_eq(a.status, 201, "%s", a.body);
	t_resp ra = draw(tok, RREQ, W_YEAR);
	cr_assert_eq(ra.status, 201, "%s", ra.body);
	/* unrelated inserts: persons and verified records in district d2 */
	add_persons(w.d2, w.i, 30);
	PGconn *db = t_db();
	for (int k = 0; k < 5; k++)
		free(w_record(db, w.p[7], W_YEAR, "public", "overseas_training", "full_time", "6", "verified"));
	PQfinish(db);
	t_resp b = draw(tok, REQ, W_YEAR);
	t_resp rb = draw(tok, RREQ, W_YEAR);
	cr_assert_eq(b.status, 201);
	cr_assert_eq(rb.status, 201);
	char *ia = item_ids(a.json), *ib = item_ids(b.json), *ra_ids = item_ids(ra.json),
	     *rb_ids = item_ids(rb.json);
	cr_expect_str_eq(ia, ib, "persons sample unchanged by inserts in another district");
	cr_expect_str_eq(ra_ids, rb_ids, "records sample unchanged by inserts in another district");
	t_resp_free(&b);
	free(ib);
	/* an insert inside the scope changes the population (and may change the
	 * items): documented */
	add_persons(w.d, w.i, 1);
	b = draw(tok, REQ, W_YEAR);
	cr_assert_eq(b.status, 201);
	cr_expect_eq(json_integer_value(json_object_get(b.json, "population")),
	             json_integer_value(json_object_get(a.json, "population")) + 1);
	free(ia);
	free(ra_ids);
	free(rb_ids);
	t_resp_free(&a);
	t_resp_free(&b);
	t_resp_free(&ra);
	t_resp_free(&rb);
	free(tok);
	w_free(&w);
}

Test(samples, R25_a_stratified_sample_allocates_by_largest_remainder_and_respects_strata)
{
	world w;
	w_build(&w);
	/* a fresh industry: 8 persons in d, 4 in d2 */
	PGconn *db = t_db();
	char ind[40];
	w_new_industry(db, ind);
	PQfinish(db);
	add_persons(w.d, ind, 8);
	add_persons(w.d2, ind, 4);
	char *tok = t_token("city_bureau", NULL);
	t_resp r = draw(tok, "{\"year\":%d,\"of\":\"persons\",\"size\":6,\"seed\":5,"
	                     "\"scope\":{\"industry\":\"%s\"},\"stratify\":\"district\"}", W_YEAR, ind);
	cr_assert_eq(r.status, 201, "%s", r.body);
	json_t *strata = json_object_get(r.json, "strata");
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(strata, w.d), "size")), 4, "6·8/12");
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(strata, w.d2), "size")), 2, "6·4/12");
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(strata, w.d), "population")), 8);
	size_t i;
	json_t *it;
	int in_d = 0, in_d2 = 0;
	json_array_foreach(json_object_get(r.json, "items"), i, it) {
		const char *st = json_string_value(json_object_get(it, "stratum"));
		cr_expect_str_eq(st, json_string_value(json_object_get(it, "district")),
		                 "an item belongs to its stratum");
		in_d += !strcmp(st, w.d);
		in_d2 += !strcmp(st, w.d2);
	}
	cr_expect_eq(in_d, 4);
	cr_expect_eq(in_d2, 2);
	t_resp_free(&r);
	/* 5 of 12: 5·8/12 = 3 r 4, 5·4/12 = 1 r 8 → the larger remainder (d2) gets the fifth */
	r = draw(tok, "{\"year\":%d,\"of\":\"persons\",\"size\":5,\"seed\":5,"
	              "\"scope\":{\"industry\":\"%s\"},\"stratify\":\"district\"}", W_YEAR, ind);
	cr_assert_eq(r.status, 201, "%s", r.body);
	strata = json_object_get(r.json, "strata");
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(strata, w.d), "size")), 3);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(strata, w.d2), "size")), 2);
	t_resp_free(&r);
	/* more than the population: everybody, once */
	r = draw(tok, "{\"year\":%d,\"of\":\"persons\",\"size\":100,\"seed\":5,"
	              "\"scope\":{\"industry\":\"%s\"},\"stratify\":\"district\"}", W_YEAR, ind);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 12);
	cr_expect_eq(json_integer_value(json_object_get(r.json, "size")), 100);
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}

Test(samples, R25_a_district_bureau_cannot_sample_outside_its_district)
{
	world w;
	w_build(&w);
	char *tok = w_token(&w, "district_bureau", "d");
	t_resp r = draw(tok, "{\"year\":%d,\"of\":\"persons\",\"size\":2,\"scope\":{\"district\":\"%s\"}}",
	                W_YEAR, w.d2);
	cr_expect(t_is_problem(&r, 404), "another district: %d", r.status);
	t_resp_free(&r);
	r = draw(tok, "{\"year\":%d,\"of\":\"records\",\"size\":2,\"scope\":{\"unit\":\"%s\"}}", W_YEAR, w.u3);
	cr_expect(t_is_problem(&r, 404), "another district's unit: %d", r.status);
	t_resp_free(&r);
	/* no scope: its district, stored so */
	r = draw(tok, "{\"year\":%d,\"of\":\"persons\",\"size\":10,\"seed\":1}", W_YEAR);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(r.json, "scope"), "district")), w.d);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 5, "p1 p2 p3 p5 p6");
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		cr_expect_str_eq(json_string_value(json_object_get(it, "district")), w.d);
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}

Test(samples, R25_a_records_sample_shows_status_and_hours)
{
	world w;
	w_build(&w);
	char *tok = w_token(&w, "unit", "u1");
	t_resp r = draw(tok, "{\"year\":%d,\"of\":\"records\",\"size\":50,\"seed\":3}", W_YEAR);
	cr_assert_eq(r.status, 201, "%s", r.body);
	/* verified records of W_YEAR of u1's persons: p1 2, p2 2, p3 2, p4 1 */
	cr_expect_eq(json_integer_value(json_object_get(r.json, "population")), 7);
	json_t *items = json_object_get(r.json, "items");
	cr_expect_eq(json_array_size(items), 7);
	double sum = 0;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		cr_expect_str_eq(json_string_value(json_object_get(it, "status")), "verified");
		cr_expect_eq(json_integer_value(json_object_get(it, "ordinal")), (json_int_t)i);
		sum += json_number_value(json_object_get(it, "hours"));
	}
	cr_expect_float_eq(sum, 210, 1e-9, "every verified hour of u1");
	/* a record revoked afterwards shows as revoked */
	PGconn *db = t_db();
	const char *p[] = { w.p[3] };
	PQclear(t_sql(db, "UPDATE jxjy.records SET status = 'revoked', reason = '重复登记'"
	                  " WHERE person = $1 AND year = 2023", 1, p));
	PQfinish(db);
	char path[96];
	snprintf(path, sizeof path, "/v1/samples/%s", json_string_value(json_object_get(r.json, "id")));
	t_resp g = t_get(path, tok);
	cr_assert_eq(g.status, 200, "%s", g.body);
	int revoked = 0;
	json_array_foreach(json_object_get(g.json, "items"), i, it)
		revoked += !strcmp(json_string_value(json_object_get(it, "status")), "revoked");
	cr_expect_eq(revoked, 2);
	t_resp_free(&g);
	t_resp_free(&r);
	/* an empty population is a sample without items */
	r = draw(tok, "{\"year\":1995,\"of\":\"records\",\"size\":5,\"stratify\":\"industry\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_eq(json_integer_value(json_object_get(r.json, "population")), 0);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 0);
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}

Test(samples, R25_get_shows_each_persons_current_compliance)
{
	world w;
	w_build(&w);
	char *tok = w_token(&w, "district_bureau", "d");
	t_resp r = draw(tok, "{\"year\":%d,\"of\":\"persons\",\"size\":10,\"scope\":{\"unit\":\"%s\"}}",
	                W_YEAR, w.u1);
	cr_assert_eq(r.status, 201, "%s", r.body);
	char path[96];
	snprintf(path, sizeof path, "/v1/samples/%s", json_string_value(json_object_get(r.json, "id")));
	/* p2 completes the year after the draw */
	PGconn *db = t_db();
	w_summary(db, w.p[2], W_YEAR, "24", "48", true);
	PQfinish(db);
	t_resp g = t_get(path, tok);
	cr_assert_eq(g.status, 200, "%s", g.body);
	cr_expect_eq(json_array_size(json_object_get(g.json, "items")), 3, "p1 p2 p3 (p4 left)");
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(g.json, "items"), i, it) {
		const char *id = json_string_value(json_object_get(it, "person"));
		cr_expect(json_is_true(json_object_get(it, "visible")));
		cr_expect(json_is_true(json_object_get(it, "compliant")), "%s: all compliant now", id);
		if (!strcmp(id, w.p[2]))
			cr_expect_float_eq(json_number_value(json_object_get(json_object_get(it, "hours"), "professional")),
			                   48, 1e-9);
	}
	cr_expect_eq(json_integer_value(json_object_get(g.json, "year")), W_YEAR);
	t_resp_free(&g);
	/* another district's bureau does not see it */
	char *other = w_token(&w, "district_bureau", "d2");
	g = t_get(path, other);
	cr_expect(t_is_problem(&g, 404), "%d", g.status);
	t_resp_free(&g);
	free(other);
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}

Test(samples, R25_a_base_samples_its_trainees_without_their_compliance)
{
	world w;
	w_build(&w);
	char *tok = w_token(&w, "base", "b");
	t_resp r = draw(tok, "{\"year\":%d,\"of\":\"persons\",\"size\":5,\"seed\":9}", W_YEAR);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_eq(json_integer_value(json_object_get(r.json, "population")), 2, "p5, p7 completed");
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(r.json, "items"), i, it) {
		cr_expect(json_is_true(json_object_get(it, "visible")));
		cr_expect(json_is_null(json_object_get(it, "compliant")), "compliance is not a base's");
	}
	t_resp_free(&r);
	r = draw(tok, "{\"year\":%d,\"of\":\"records\",\"size\":5,\"seed\":9}", W_YEAR);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_eq(json_integer_value(json_object_get(r.json, "population")), 2, "its two completions");
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}

Test(samples, validation_names_every_bad_field)
{
	char *tok = t_token("city_bureau", NULL);
	t_resp r = t_post_json("/v1/samples", tok,
	                       "{\"year\":1800,\"of\":\"things\",\"size\":0,\"seed\":-1,\"stratify\":\"unit\","
	                       "\"scope\":{\"planet\":\"mars\",\"district\":\"12\"},\"colour\":\"red\"}");
	cr_assert(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	const char *want[] = { "year", "of", "size", "seed", "stratify", "scope.planet", "scope.district",
		               "colour" };
	json_t *errors = json_object_get(r.json, "errors");
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		bool found = false;
		size_t i;
		json_t *e;
		json_array_foreach(errors, i, e)
			found |= !strcmp(json_string_value(json_object_get(e, "field")), want[k]);
		cr_expect(found, "an error for %s: %s", want[k], r.body);
	}
	t_resp_free(&r);
	r = t_post_json("/v1/samples", tok, "{\"of\":\"persons\"}");
	cr_expect(t_is_problem(&r, 422), "year and size required");
	t_resp_free(&r);
	r = t_get("/v1/samples/not-a-uuid", tok);
	cr_expect(t_is_problem(&r, 404));
	t_resp_free(&r);
	r = t_get("/v1/samples/11111111-2222-4333-8444-555555555555", tok);
	cr_expect(t_is_problem(&r, 404));
	t_resp_free(&r);
	free(tok);
}

Test(samples, idempotent_replay_returns_the_first_sample)
{
	world w;
	w_build(&w);
	char *tok = w_token(&w, "district_bureau", "d");
	char auth[600], key[64], body[128];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
	snprintf(key, sizeof key, "Idempotency-Key: sample-%08x", randombytes_random());
	snprintf(body, sizeof body, "{\"year\":%d,\"of\":\"persons\",\"size\":2}", W_YEAR);
	const char *hdr[] = { auth, key, "Content-Type: application/json", NULL };
	t_resp a = t_http("POST", "/v1/samples", NULL, hdr, body, strlen(body));
	t_resp b = t_http("POST", "/v1/samples", NULL, hdr, body, strlen(body));
	cr_assert_eq(a.status, 201, "%s", a.body);
	cr_assert_eq(b.status, 201, "%s", b.body);
	cr_expect_str_eq(json_string_value(json_object_get(a.json, "id")),
	                 json_string_value(json_object_get(b.json, "id")), "replayed, not drawn again");
	t_resp_free(&a);
	t_resp_free(&b);
	free(tok);
	w_free(&w);
}

/* Permission matrix (A1) for samples: role × {own scope, another's} for
 * POST, and GET of a sample drawn by the city bureau and of one drawn by
 * the role itself. */
Test(samples, permission_matrix)
{
	world w;
	w_build(&w);
	char *city = t_token("city_bureau", NULL);
	t_resp cs = draw(city, "{\"year\":%d,\"of\":\"persons\",\"size\":1}", W_YEAR);
	cr_assert_eq(cs.status, 201);
	char city_path[96];
	snprintf(city_path, sizeof city_path, "/v1/samples/%s", json_string_value(json_object_get(cs.json, "id")));
	t_resp_free(&cs);
	free(city);
	struct { const char *role, *jur, *other_key, *other; int post_own, post_other, get_own, get_city; } cells[] = {
		{ "city_bureau", NULL, "district", "d2", 201, 201, 200, 200 },
		{ "district_bureau", "d", "district", "d2", 201, 404, 200, 404 },
		{ "industry_authority", "i", "industry", "i2", 201, 404, 200, 404 },
		{ "unit", "u1", "unit", "u2", 201, 404, 200, 404 },
		{ "base", "b", "unit", "u1", 201, 404, 200, 404 },
		{ "person", NULL, "district", "d", 403, 403, 403, 403 },
	};
	for (size_t k = 0; k < sizeof cells / sizeof cells[0]; k++) {
		char *tok = !strcmp(cells[k].role, "person") ? t_token("person", w.p[1])
		                                             : w_token(&w, cells[k].role, cells[k].jur);
		t_resp r = draw(tok, "{\"year\":%d,\"of\":\"persons\",\"size\":1}", W_YEAR);
		cr_expect_eq(r.status, cells[k].post_own, "%s POST own: %d %s", cells[k].role, r.status, r.body);
		char own_path[96] = "/v1/samples/11111111-2222-4333-8444-555555555555";
		if (r.status == 201)
			snprintf(own_path, sizeof own_path, "/v1/samples/%s",
			         json_string_value(json_object_get(r.json, "id")));
		t_resp_free(&r);
		const char *o = cells[k].other;
		const char *val = !strcmp(o, "d") ? w.d : !strcmp(o, "d2") ? w.d2 : !strcmp(o, "i2") ? w.i2
		                : !strcmp(o, "u1") ? w.u1 : w.u2;
		r = draw(tok, "{\"year\":%d,\"of\":\"persons\",\"size\":1,\"scope\":{\"%s\":\"%s\"}}", W_YEAR,
		         cells[k].other_key, val);
		cr_expect_eq(r.status, cells[k].post_other, "%s POST other: %d %s", cells[k].role, r.status, r.body);
		t_resp_free(&r);
		r = t_get(own_path, tok);
		cr_expect_eq(r.status, cells[k].get_own, "%s GET own: %d", cells[k].role, r.status);
		t_resp_free(&r);
		r = t_get(city_path, tok);
		cr_expect_eq(r.status, cells[k].get_city, "%s GET the city's: %d", cells[k].role, r.status);
		t_resp_free(&r);
		free(tok);
	}
	w_free(&w);
}

/* Every sample is audited, in the same transaction. */
Test(samples, a_sample_is_audited)
{
	world w;
	w_build(&w);
	char *tok = w_token(&w, "district_bureau", "d");
	t_resp r = draw(tok, "{\"year\":%d,\"of\":\"persons\",\"size\":2,\"seed\":4}", W_YEAR);
	cr_assert_eq(r.status, 201, "%s", r.body);
	PGconn *db = t_db();
	const char *p[] = { json_string_value(json_object_get(r.json, "id")) };
	char *n = t_sql_value(db, "SELECT count(*) FROM jxjy.audit_log WHERE entity = 'sample'"
	                          " AND entity_id = $1 AND action = 'create'", 1, p);
	cr_expect_str_eq(n, "1");
	free(n);
	PQfinish(db);
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}
