/*
 * Existence probes (issue 11; API.md "Accounts and abuse"; sql/0017): a
 * registration refused because its national_id is already registered —
 * create, PATCH, import rows — leaves ONE "conflict" audit row per request
 * (masked ids only) though the refusal is rolled back, and an account with
 * more than JXJY_CONFLICTS_PER_DAY of them in 24 h gets 429 with
 * Retry-After on creates and imports of persons, never on PATCH, while
 * other accounts go on.
 *
 * Every test acts as an account of its own (a token with a fresh sub), so
 * that the counts of the other suites' accounts do not meet these.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "core.h"
#include "testlib.h"

#define DISTRICT_A "320508"
#define DISTRICT_B "320505"

typedef struct world {
	PGconn *db;
	char a1[40], b1[40]; /* units: A1 in district A, B1 in district B */
	char sub[64];        /* the account of the test */
	char *tok;           /* district bureau A as that account */
} world;

/* A token of role (jurisdiction claim name and value) for account sub. */
static char *token_as(const char *sub, const char *role, const char *claim, const char *jur)
{
	long now = (long)time(NULL);
	unsigned char rnd[8];
	randombytes_buf(rnd, sizeof rnd);
	char claims[512];
	int n = snprintf(claims, sizeof claims,
	                 "{\"iss\":\"jxjy\",\"aud\":\"jxjy-api\",\"sub\":\"%s\",\"role\":\"%s\","
	                 "\"iat\":%ld,\"exp\":%ld,\"jti\":\"c-%02x%02x%02x%02x%02x%02x%02x%02x\"",
	                 sub, role, now, now + 600, rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5],
	                 rnd[6], rnd[7]);
	if (claim)
		n += snprintf(claims + n, sizeof claims - (size_t)n, ",\"%s\":\"%s\"", claim, jur);
	snprintf(claims + n, sizeof claims - (size_t)n, "}");
	return t_forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, t_env("JXJY_JWT_SECRET"));
}

static void fresh_sub(char out[64])
{
	snprintf(out, 64, "test-prober-%08x%08x", randombytes_random(), randombytes_random());
}

static void world_make(world *w)
{
	w->db = t_db();
	t_take_id(w->a1, t_new_unit(w->db, DISTRICT_A, "education"));
	t_take_id(w->b1, t_new_unit(w->db, DISTRICT_B, "education"));
	fresh_sub(w->sub);
	w->tok = token_as(w->sub, "district_bureau", "district", DISTRICT_A);
}

static void world_free(world *w)
{
	free(w->tok);
	PQfinish(w->db);
}

static void make_nid(char out[19])
{
	unsigned x = randombytes_random();
	snprintf(out, 19, "%06u%04u%02u%02u%03u", 100000 + x % 900000, 1960 + randombytes_random() % 40,
	         1 + randombytes_random() % 12, 1 + randombytes_random() % 28,
	         randombytes_random() % 1000);
	char c;
	cr_assert(core_ident_resident_id_check_char(&c, out) == 0);
	out[17] = c;
	out[18] = '\0';
}

/* A person of unit registered as the superuser (out of the API's sight);
 * nid gets the national id. */
static char *registered(world *w, const char *unit, const char *name, char nid[19])
{
	make_nid(nid);
	const char *p[] = { nid, unit, name };
	return t_sql_value(w->db, "INSERT INTO jxjy.persons (national_id, name, unit, title_level,"
	                          " cycle_start_year) VALUES ($1, $3, $2, 'intermediate', 2024) RETURNING id",
	                   3, p);
}

static t_resp send_json(const char *method, const char *path, const char *token, const char *json)
{
	const char *h[] = { "Content-Type: application/json", NULL };
	return t_http(method, path, token, h, json, strlen(json));
}

static t_resp create(const char *token, const char *nid, const char *unit)
{
	char b[512];
	snprintf(b, sizeof b, "{\"national_id\":\"%s\",\"name\":\"试探\",\"unit\":\"%s\","
	                      "\"title_level\":\"intermediate\"}", nid, unit);
	return send_json("POST", "/v1/persons", token, b);
}

/* The "conflict" audit rows of account sub as the city bureau reads them. */
static json_t *conflicts_of(const char *sub)
{
	char *city = t_token("city_bureau", NULL);
	char path[160];
	snprintf(path, sizeof path, "/v1/audit?entity=person&actor=%s&limit=500", sub);
	t_resp r = t_get(path, city);
	cr_assert_eq(r.status, 200, "%s", r.body);
	json_t *out = json_array();
	json_t *e;
	size_t i;
	json_array_foreach(json_object_get(r.json, "items"), i, e)
		if (!strcmp(json_string_value(json_object_get(e, "action")), "conflict"))
			json_array_append(out, e);
	t_resp_free(&r);
	free(city);
	return out;
}

static long conflicts_limit(void)
{
	const char *v = getenv("JXJY_CONFLICTS_PER_DAY"); /* unset: the gateway's default */
	return v && *v ? atol(v) : 50;
}

/* The problem without its request_id, as text: what the answer says. */
static char *said(const t_resp *r)
{
	json_t *p = json_deep_copy(r->json);
	json_object_del(p, "request_id");
	char *s = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(p);
	return s;
}

/* ---- the audit rows ----------------------------------------------------- */

Test(conflicts, a_create_with_a_taken_id_is_409_and_one_conflict_row_the_city_reads)
{
	world w;
	world_make(&w);
	char nid[19], masked[19];
	char *other = registered(&w, w.b1, "钱塘", nid);
	cr_assert(core_ident_resident_id_mask(masked, nid) == 0);
	t_resp r = create(w.tok, nid, w.a1);
	cr_assert(t_is_problem(&r, 409), "%d %s", r.status, r.body);
	char *rid = strdup(t_header(&r, "X-Request-Id"));
	t_resp_free(&r);
	const char *p[] = { w.a1 };
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.persons WHERE unit = $1", 1, p), 0,
	             "nothing stored");
	json_t *rows = conflicts_of(w.sub);
	cr_assert_eq(json_array_size(rows), 1, "one conflict row");
	json_t *e = json_array_get(rows, 0);
	json_t *after = json_object_get(e, "after");
	cr_expect_str_eq(json_string_value(json_object_get(e, "role")), "district_bureau");
	cr_expect_str_eq(json_string_value(json_object_get(e, "district")), DISTRICT_A,
	                 "filed under the district registered into");
	cr_expect(json_is_null(json_object_get(e, "entity_id")), "no person was created");
	cr_expect_str_eq(json_string_value(json_object_get(after, "operation")), "create");
	cr_expect_str_eq(json_string_value(json_object_get(after, "national_id")), masked);
	const char *arid = json_string_value(json_object_get(e, "request_id"));
	cr_expect(arid && !strncmp(arid, rid, strlen(rid)), "the refused request's id: %s / %s", arid, rid);
	char *text = json_dumps(e, JSON_COMPACT);
	cr_expect(!strstr(text, nid), "never the full national id: %s", text);
	cr_expect(!strstr(text, other), "nor the person who holds it: %s", text);
	free(text);
	/* the district bureau of the district registered into reads it too */
	char *dist = t_token("district_bureau", DISTRICT_A);
	char path[160];
	snprintf(path, sizeof path, "/v1/audit?actor=%s", w.sub);
	r = t_get(path, dist);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 1, "%s", r.body);
	t_resp_free(&r);
	free(dist);
	json_decref(rows);
	free(rid);
	free(other);
	world_free(&w);
}

Test(conflicts, a_conflict_in_another_jurisdiction_says_only_already_registered)
{
	world w;
	world_make(&w);
	char far_nid[19], near_nid[19];
	char *far = registered(&w, w.b1, "远方", far_nid);   /* district B: invisible to A */
	char *near = registered(&w, w.a1, "近邻", near_nid); /* district A: visible */
	t_resp rf = create(w.tok, far_nid, w.a1);
	t_resp rn = create(w.tok, near_nid, w.a1);
	cr_assert(t_is_problem(&rf, 409), "%d %s", rf.status, rf.body);
	cr_assert(t_is_problem(&rn, 409), "%d %s", rn.status, rn.body);
	char *sf = said(&rf), *sn = said(&rn);
	cr_expect_str_eq(sf, sn, "the same words whether the holder is visible or not");
	cr_expect(!strstr(rf.body, far) && !strstr(rf.body, "远方") && !strstr(rf.body, w.b1) &&
	          !strstr(rf.body, DISTRICT_B), "nothing of the holder: %s", rf.body);
	cr_expect(!t_header(&rf, "Location"), "no pointer to the person");
	free(sf);
	free(sn);
	t_resp_free(&rf);
	t_resp_free(&rn);
	json_t *rows = conflicts_of(w.sub);
	cr_expect_eq(json_array_size(rows), 2, "both refusals audited");
	json_decref(rows);
	free(far);
	free(near);
	world_free(&w);
}

Test(conflicts, an_import_of_three_taken_ids_is_refused_with_exactly_one_audit_row)
{
	world w;
	world_make(&w);
	char nid[4][19], masked[3][19];
	char *held[3];
	for (int i = 0; i < 3; i++) {
		held[i] = registered(&w, i == 1 ? w.a1 : w.b1, "已在", nid[i]);
		cr_assert(core_ident_resident_id_mask(masked[i], nid[i]) == 0);
	}
	make_nid(nid[3]);
	/* rows 0, 2, 3 taken; row 1 new */
	char body[2048];
	snprintf(body, sizeof body,
	         "[{\"national_id\":\"%s\",\"name\":\"甲\",\"unit\":\"%s\",\"title_level\":\"intermediate\"},"
	         "{\"national_id\":\"%s\",\"name\":\"乙\",\"unit\":\"%s\",\"title_level\":\"intermediate\"},"
	         "{\"national_id\":\"%s\",\"name\":\"丙\",\"unit\":\"%s\",\"title_level\":\"intermediate\"},"
	         "{\"national_id\":\"%s\",\"name\":\"丁\",\"unit\":\"%s\",\"title_level\":\"intermediate\"}]",
	         nid[0], w.a1, nid[3], w.a1, nid[1], w.a1, nid[2], w.a1);
	long before = t_sql_count(w.db, "SELECT count(*) FROM jxjy.audit_log", 0, NULL);
	t_resp r = send_json("POST", "/v1/persons:import", w.tok, body);
	cr_assert(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "rows[0].national_id", "duplicate"));
	cr_expect(t_has_error(&r, "rows[2].national_id", "duplicate"));
	cr_expect(t_has_error(&r, "rows[3].national_id", "duplicate"));
	cr_expect(!t_has_error(&r, "rows[1].national_id", NULL));
	t_resp_free(&r);
	const char *p[] = { nid[3] };
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.persons WHERE national_id = $1", 1, p), 0,
	             "nothing stored");
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.audit_log", 0, NULL), before + 1,
	             "ONE audit row for the request, not one per row");
	json_t *rows = conflicts_of(w.sub);
	cr_assert_eq(json_array_size(rows), 1);
	json_t *after = json_object_get(json_array_get(rows, 0), "after");
	cr_expect_str_eq(json_string_value(json_object_get(after, "operation")), "import");
	cr_expect_eq(json_integer_value(json_object_get(after, "count")), 3);
	json_t *listed = json_object_get(after, "rows"), *ids = json_object_get(after, "national_ids");
	cr_assert_eq(json_array_size(listed), 3);
	cr_assert_eq(json_array_size(ids), 3);
	const long want_rows[] = { 0, 2, 3 };
	for (int i = 0; i < 3; i++) {
		cr_expect_eq(json_integer_value(json_array_get(listed, (size_t)i)), want_rows[i]);
		cr_expect_str_eq(json_string_value(json_array_get(ids, (size_t)i)), masked[i]);
	}
	char *text = json_dumps(json_array_get(rows, 0), JSON_COMPACT);
	for (int i = 0; i < 4; i++)
		cr_expect(!strstr(text, nid[i]), "no full national id: %s", text);
	free(text);
	json_decref(rows);
	for (int i = 0; i < 3; i++)
		free(held[i]);
	world_free(&w);
}

Test(conflicts, a_patch_to_a_taken_id_is_409_and_audited_on_the_person)
{
	world w;
	world_make(&w);
	char mine_nid[19], other_nid[19], masked[19];
	char *mine = registered(&w, w.a1, "本人", mine_nid);
	char *other = registered(&w, w.b1, "他人", other_nid);
	cr_assert(core_ident_resident_id_mask(masked, other_nid) == 0);
	char path[128], body[128];
	snprintf(path, sizeof path, "/v1/persons/%s", mine);
	snprintf(body, sizeof body, "{\"national_id\":\"%s\"}", other_nid);
	t_resp r = send_json("PATCH", path, w.tok, body);
	cr_expect(t_is_problem(&r, 409), "%d %s", r.status, r.body);
	t_resp_free(&r);
	json_t *rows = conflicts_of(w.sub);
	cr_assert_eq(json_array_size(rows), 1);
	json_t *e = json_array_get(rows, 0);
	cr_expect_str_eq(json_string_value(json_object_get(e, "entity_id")), mine);
	cr_expect_str_eq(json_string_value(json_object_get(e, "district")), DISTRICT_A);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(e, "after"), "operation")),
	                 "update");
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(e, "after"), "national_id")),
	                 masked);
	const char *p[] = { mine };
	char *now = t_sql_value(w.db, "SELECT national_id FROM jxjy.persons WHERE id = $1", 1, p);
	cr_expect_str_eq(now, mine_nid, "unchanged");
	free(now);
	json_decref(rows);
	free(mine);
	free(other);
	world_free(&w);
}

/* ---- the limit ---------------------------------------------------------- */

Test(conflicts, over_the_limit_creates_and_imports_are_429_patch_answers_others_go_on, .timeout = 120)
{
	world w;
	world_make(&w);
	long limit = conflicts_limit();
	cr_assert(limit <= 200, "a small JXJY_CONFLICTS_PER_DAY (default 50)");
	char nid[19], mine_nid[19];
	char *held = registered(&w, w.b1, "被探", nid);
	char *mine = registered(&w, w.a1, "本人", mine_nid);
	/* "more than N": the N+1-th refusal is still answered */
	for (long i = 0; i <= limit; i++) {
		t_resp r = create(w.tok, nid, w.a1);
		cr_assert(t_is_problem(&r, 409), "refusal %ld: %d %s", i + 1, r.status, r.body);
		t_resp_free(&r);
	}
	char fresh[19];
	make_nid(fresh);
	t_resp r = create(w.tok, fresh, w.a1);
	cr_assert(t_is_problem(&r, 429), "over the limit, even a good create: %d %s", r.status, r.body);
	const char *ra = t_header(&r, "Retry-After");
	cr_assert(ra, "Retry-After");
	long wait = atol(ra);
	cr_expect(wait > 86400 - 300 && wait <= 86400, "until the oldest leaves the 24 h window: %ld", wait);
	t_resp_free(&r);
	const char *p[] = { fresh };
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.persons WHERE national_id = $1", 1, p), 0);
	char body[512];
	snprintf(body, sizeof body, "[{\"national_id\":\"%s\",\"name\":\"甲\",\"unit\":\"%s\","
	                            "\"title_level\":\"intermediate\"}]", fresh, w.a1);
	r = send_json("POST", "/v1/persons:import", w.tok, body);
	cr_expect(t_is_problem(&r, 429) && t_header(&r, "Retry-After"), "the import too: %d %s", r.status,
	          r.body);
	t_resp_free(&r);
	/* PATCH keeps answering, and is audited */
	char path[128];
	snprintf(path, sizeof path, "/v1/persons/%s", mine);
	snprintf(body, sizeof body, "{\"national_id\":\"%s\"}", nid);
	r = send_json("PATCH", path, w.tok, body);
	cr_expect(t_is_problem(&r, 409), "PATCH still answers: %d %s", r.status, r.body);
	t_resp_free(&r);
	r = send_json("PATCH", path, w.tok, "{\"name\":\"改名\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	json_t *rows = conflicts_of(w.sub);
	cr_expect_eq((long)json_array_size(rows), limit + 2, "every refusal audited, the 429s not");
	json_decref(rows);
	const char *s[] = { w.sub };
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.conflict_refusals WHERE account = $1",
	                         1, s), limit + 2, "and counted");
	/* another account of the same role and district is unaffected */
	char other_sub[64];
	fresh_sub(other_sub);
	char *other = token_as(other_sub, "district_bureau", "district", DISTRICT_A);
	r = create(other, nid, w.a1);
	cr_expect(t_is_problem(&r, 409), "%d %s", r.status, r.body);
	t_resp_free(&r);
	r = create(other, fresh, w.a1);
	cr_expect_eq(r.status, 201, "%s", r.body);
	t_resp_free(&r);
	free(other);
	free(held);
	free(mine);
	world_free(&w);
}

/* Refusals placed in the past (count rows written as the superuser): the
 * wait is until the refusal that makes the excess leaves the window, and
 * older ones do not count. */
Test(conflicts, retry_after_is_when_the_excess_refusal_leaves_the_window)
{
	world w;
	world_make(&w);
	long limit = conflicts_limit();
	char n[16];
	snprintf(n, sizeof n, "%ld", limit);
	/* limit + 2 refusals: the oldest 24 h − 100 s ago, the next 24 h − 200 s
	 * ago, the rest an hour ago; and many of more than a day ago */
	const char *p[] = { w.sub, n };
	PQclear(t_sql(w.db,
		"INSERT INTO jxjy.conflict_refusals (account, at)"
		" SELECT $1, now() - CASE i"
		"   WHEN 0 THEN interval '24 hours' - interval '100 seconds'"
		"   WHEN 1 THEN interval '24 hours' - interval '200 seconds'"
		"   ELSE interval '1 hour' END"
		" FROM generate_series(0, $2::int + 1) i", 2, p));
	char fresh[19];
	make_nid(fresh);
	t_resp r = create(w.tok, fresh, w.a1);
	cr_assert(t_is_problem(&r, 429), "%d %s", r.status, r.body);
	long wait = atol(t_header(&r, "Retry-After") ? t_header(&r, "Retry-After") : "0");
	cr_expect(wait > 180 && wait <= 200, "two over: the second oldest decides (~200 s): %ld", wait);
	t_resp_free(&r);
	/* an account whose refusals are all older than a day */
	char old_sub[64];
	fresh_sub(old_sub);
	const char *q[] = { old_sub, n };
	PQclear(t_sql(w.db,
		"INSERT INTO jxjy.conflict_refusals (account, at)"
		" SELECT $1, now() - interval '25 hours' FROM generate_series(0, 3 * $2::int) i", 2, q));
	char *old = token_as(old_sub, "district_bureau", "district", DISTRICT_A);
	r = create(old, fresh, w.a1);
	cr_expect_eq(r.status, 201, "the window has passed: %s", r.body);
	t_resp_free(&r);
	free(old);
	world_free(&w);
}
