/*
 * Records over HTTP against the real database: the permission matrix rows
 * "records: read / register / verify / reject / revoke" (one table), R-12
 * validation, R-13 transitions and the concurrent double verification,
 * R-14's initial status, duplicates, the person-year summary, CSV,
 * keyset pages, ETag/If-Match, the audit rows and idempotent replay.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "testlib.h"

#define DISTRICT_A "320508"
#define DISTRICT_B "320505"
#define INDUSTRY_A "education"
#define INDUSTRY_B "health"

typedef struct world {
	char unit_a[40], unit_b[40], person_a[40], person_b[40], base[40];
} world;

static void world_new(world *w)
{
	PGconn *db = t_db();
	t_take_id(w->unit_a, t_new_unit(db, DISTRICT_A, INDUSTRY_A));
	t_take_id(w->unit_b, t_new_unit(db, DISTRICT_B, INDUSTRY_B));
	t_take_id(w->person_a, t_new_person(db, w->unit_a, "intermediate"));
	t_take_id(w->person_b, t_new_person(db, w->unit_b, "intermediate"));
	unsigned char r[16];
	randombytes_buf(r, sizeof r);
	snprintf(w->base, 40, "%02x%02x%02x%02x-%02x%02x-4%x%02x-8%x%02x-%02x%02x%02x%02x%02x%02x", r[0],
	         r[1], r[2], r[3], r[4], r[5], r[6] & 15, r[7], r[8] & 15, r[9], r[10], r[11], r[12],
	         r[13], r[14], r[15]);
	PQfinish(db);
}

/* distinct hours per record, so that fixtures never look like duplicates */
static int seq;

static char *record_new(const char *person, const char *category, const char *status)
{
	PGconn *db = t_db();
	char hours[16];
	snprintf(hours, sizeof hours, "%d.%d", 1 + (seq / 10) % 200, seq % 10);
	seq++;
	const char *p[] = { person, category, status, hours };
	char *id = t_sql_value(db, "INSERT INTO jxjy.records (person, year, start_date, end_date, category,"
	                           " form, class_type, hours, source, status, reason)"
	                           " VALUES ($1, 2024, '2024-03-01', '2024-03-10', $2::jxjy.category,"
	                           " 'training_class', 'full_time', $4::numeric, 'unit', $3::jxjy.record_status,"
	                           " CASE WHEN $3 IN ('rejected', 'revoked') THEN 'fixture' END) RETURNING id",
	                       4, p);
	PQfinish(db);
	return id;
}

static char *status_of(const char *record)
{
	PGconn *db = t_db();
	const char *p[] = { record };
	char *s = t_sql_value(db, "SELECT status FROM jxjy.records WHERE id = $1", 1, p);
	PQfinish(db);
	return s;
}

static char *registration(const char *person, const char *category, const char *start,
                          const char *end, int year, const char *hours, const char *extra)
{
	char *b = malloc(1024);
	snprintf(b, 1024, "{\"person\":\"%s\",\"year\":%d,\"start_date\":\"%s\",\"end_date\":\"%s\","
	                  "\"category\":\"%s\",\"form\":\"training_class\",\"class_type\":\"part_time\","
	                  "\"hours\":%s%s}", person, year, start, end, category, hours, extra ? extra : "");
	return b;
}

static t_resp post_action(const char *record, const char *verb, const char *token, const char *reason)
{
	char path[128], body[256];
	snprintf(path, sizeof path, "/v1/records/%s/%s", record, verb);
	if (!strcmp(verb, "verify"))
		return t_http("POST", path, token, NULL, "", 0);
	snprintf(body, sizeof body, "{\"reason\":\"%s\"}", reason ? reason : "材料不全");
	return t_post_json(path, token, body);
}

static char *summary(const char *person, int year, const char *col)
{
	PGconn *db = t_db();
	char y[8], sql[256];
	snprintf(y, sizeof y, "%d", year);
	snprintf(sql, sizeof sql, "SELECT %s::text FROM jxjy.person_year_summary WHERE person = $1 AND year = $2::int", col);
	const char *p[] = { person, y };
	char *v = t_sql_value(db, sql, 2, p);
	PQfinish(db);
	return v;
}

/* ---- the permission matrix ---------------------------------------------- */

enum { ROLE_CITY, ROLE_DISTRICT, ROLE_INDUSTRY, ROLE_UNIT, ROLE_BASE, ROLE_PERSON, ROLE__N };
enum { ACT_READ, ACT_REGISTER, ACT_VERIFY, ACT_REJECT, ACT_REVOKE, ACT__N };
/* targets: a professional record of person A (own district, own industry,
 * own unit, self), one of person B (other district, industry, unit,
 * person), a public record of person A (the industry authority's cell) */
enum { TGT_A, TGT_B, TGT_A_PUBLIC, TGT__N };

static const char *const role_names[] = { "city_bureau", "district_bureau", "industry_authority",
                                          "unit", "base", "person" };
static const char *const act_names[] = { "read", "register", "verify", "reject", "revoke" };
static const char *const tgt_names[] = { "A professional", "B", "A public" };

/* API.md: records read | register | verify / reject / revoke */
static const int matrix[ROLE__N][ACT__N][TGT__N] = {
	/*                read            register        verify          reject          revoke */
	[ROLE_CITY] = { { 200, 200, 200 }, { 201, 201, 201 }, { 200, 200, 200 }, { 200, 200, 200 }, { 200, 200, 200 } },
	[ROLE_DISTRICT] = { { 200, 404, 200 }, { 201, 404, 201 }, { 200, 404, 200 }, { 200, 404, 200 }, { 200, 404, 200 } },
	[ROLE_INDUSTRY] = { { 200, 404, 404 }, { 403, 403, 403 }, { 200, 404, 403 }, { 200, 404, 403 }, { 200, 404, 403 } },
	[ROLE_UNIT] = { { 200, 404, 200 }, { 201, 404, 201 }, { 403, 403, 403 }, { 403, 403, 403 }, { 403, 403, 403 } },
	[ROLE_BASE] = { { 404, 404, 404 }, { 403, 403, 403 }, { 403, 403, 403 }, { 403, 403, 403 }, { 403, 403, 403 } },
	[ROLE_PERSON] = { { 200, 404, 200 }, { 403, 403, 403 }, { 403, 403, 403 }, { 403, 403, 403 }, { 403, 403, 403 } },
};

Test(records, permission_matrix_every_role_action_and_scope, .timeout = 120)
{
	world w;
	world_new(&w);
	const char *jur[ROLE__N] = { NULL, DISTRICT_A, INDUSTRY_A, w.unit_a, w.base, w.person_a };
	for (int role = 0; role < ROLE__N; role++) {
		char *tok = t_token(role_names[role], jur[role]);
		for (int act = 0; act < ACT__N; act++) {
			for (int tgt = 0; tgt < TGT__N; tgt++) {
				const char *person = tgt == TGT_B ? w.person_b : w.person_a;
				const char *cat = tgt == TGT_A_PUBLIC ? "public" : "professional";
				t_resp r;
				char *rec = NULL;
				if (act == ACT_REGISTER) {
					char hours[16];
					snprintf(hours, sizeof hours, "%d.%d", 1 + (seq / 10) % 200, seq % 10);
					seq++;
					char *body = registration(person, cat, "2024-06-01", "2024-06-05", 2024, hours, NULL);
					r = t_post_json("/v1/records", tok, body);
					free(body);
				} else {
					rec = record_new(person, cat, act == ACT_REVOKE ? "verified" : "registered");
					if (act == ACT_READ) {
						char path[96];
						snprintf(path, sizeof path, "/v1/records/%s", rec);
						r = t_get(path, tok);
					} else {
						r = post_action(rec, act_names[act], tok, NULL);
					}
				}
				int want = matrix[role][act][tgt];
				if (want >= 400)
					cr_expect(t_is_problem(&r, want), "%s %s %s: want %d, got %d %s", role_names[role],
					          act_names[act], tgt_names[tgt], want, r.status, r.body);
				else
					cr_expect_eq(r.status, want, "%s %s %s: want %d, got %d %s", role_names[role],
					             act_names[act], tgt_names[tgt], want, r.status, r.body);
				/* a refused action changes nothing */
				if (rec && want >= 400 && act != ACT_READ) {
					char *st = status_of(rec);
					cr_expect_str_eq(st, act == ACT_REVOKE ? "verified" : "registered",
					                 "%s %s %s left the record alone", role_names[role],
					                 act_names[act], tgt_names[tgt]);
					free(st);
				}
				free(rec);
				t_resp_free(&r);
			}
		}
		free(tok);
	}
}

Test(records, list_shows_each_role_only_its_jurisdiction)
{
	world w;
	world_new(&w);
	char *a_prof = record_new(w.person_a, "professional", "registered");
	char *a_pub = record_new(w.person_a, "public", "registered");
	char *b_prof = record_new(w.person_b, "professional", "registered");
	const char *jur[ROLE__N] = { NULL, DISTRICT_A, INDUSTRY_A, w.unit_a, w.base, w.person_a };
	/* which of a_prof, a_pub, b_prof each role lists */
	static const bool sees[ROLE__N][3] = {
		{ true, true, true }, { true, true, false }, { true, false, false },
		{ true, true, false }, { false, false, false }, { true, true, false },
	};
	const char *ids[3] = { a_prof, a_pub, b_prof };
	for (int role = 0; role < ROLE__N; role++) {
		char *tok = t_token(role_names[role], jur[role]);
		for (int k = 0; k < 3; k++) {
			char path[160];
			snprintf(path, sizeof path, "/v1/records?person=%s&limit=500", k == 2 ? w.person_b : w.person_a);
			t_resp r = t_get(path, tok);
			cr_assert_eq(r.status, 200, "%s: %d %s", role_names[role], r.status, r.body);
			bool found = false;
			size_t i;
			json_t *it;
			json_array_foreach(json_object_get(r.json, "items"), i, it)
				found |= !strcmp(json_string_value(json_object_get(it, "id")), ids[k]);
			cr_expect_eq(found, sees[role][k], "%s lists record %d: %d", role_names[role], k, found);
			t_resp_free(&r);
		}
		free(tok);
	}
	free(a_prof);
	free(a_pub);
	free(b_prof);
}

/* ---- registration ------------------------------------------ */

Test(records, R14_a_unit_registration_starts_registered_with_location_and_etag)
{
	world w;
	world_new(&w);
	char *unit = t_token("unit", w.unit_a);
	char *body = registration(w.person_a, "public", "2024-09-02", "2024-09-04", 2024, "18.5",
	                          ",\"evidence\":\"结业证书 2024-117\",\"source\":\"unit\"");
	t_resp r = t_post_json("/v1/records", unit, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	json_t *j = r.json;
	cr_expect_str_eq(json_string_value(json_object_get(j, "status")), "registered");
	cr_expect_str_eq(json_string_value(json_object_get(j, "source")), "unit");
	cr_expect_str_eq(json_string_value(json_object_get(j, "registered_by")), "test-unit");
	cr_expect(json_is_null(json_object_get(j, "verified_by")));
	cr_expect_eq(json_real_value(json_object_get(j, "hours")), 18.5);
	cr_expect_eq(json_integer_value(json_object_get(j, "year")), 2024);
	const char *loc = t_header(&r, "Location");
	char path[128];
	snprintf(path, sizeof path, "/v1/records/%s", json_string_value(json_object_get(j, "id")));
	cr_expect(loc && !strcmp(loc, path), "Location %s", loc ? loc : "(none)");
	cr_expect(t_header(&r, "ETag") != NULL);
	/* pending hours are in the person-year summary at once */
	char *pending = summary(w.person_a, 2024, "public_pending");
	cr_expect(pending && !strcmp(pending, "18.5"), "public_pending %s", pending ? pending : "(none)");
	free(pending);
	t_resp_free(&r);
	free(body);
	free(unit);
}

Test(records, validation_hours_fit_24_a_day_exactly)
{
	world w;
	world_new(&w);
	char *tok = t_token("district_bureau", DISTRICT_A);
	char *body = registration(w.person_a, "professional", "2024-02-29", "2024-02-29", 2024, "24", NULL);
	t_resp r = t_post_json("/v1/records", tok, body);
	cr_expect_eq(r.status, 201, "24 h on one day: %s", r.body);
	t_resp_free(&r);
	free(body);
	body = registration(w.person_a, "public", "2024-02-29", "2024-02-29", 2024, "24.1", NULL);
	r = t_post_json("/v1/records", tok, body);
	cr_expect(t_is_problem(&r, 422), "24.1 h on one day: %d", r.status);
	cr_expect(t_has_error(&r, "hours", "too_many_hours"), "%s", r.body);
	t_resp_free(&r);
	free(body);
	body = registration(w.person_a, "public", "2023-12-30", "2024-01-01", 2024, "72", NULL);
	r = t_post_json("/v1/records", tok, body);
	cr_expect_eq(r.status, 201, "72 h over 3 days across the new year: %s", r.body);
	t_resp_free(&r);
	free(body);
	body = registration(w.person_a, "professional", "2023-12-30", "2024-01-01", 2024, "72.1", NULL);
	r = t_post_json("/v1/records", tok, body);
	cr_expect(t_has_error(&r, "hours", "too_many_hours"), "72.1 h over 3 days: %d %s", r.status, r.body);
	t_resp_free(&r);
	free(body);
	free(tok);
}

Test(records, validation_end_date_tomorrow_year_mismatch_and_two_decimals)
{
	world w;
	world_new(&w);
	char *tok = t_token("city_bureau", NULL);
	time_t t = time(NULL) + 8 * 3600 + 86400; /* tomorrow in China Standard Time */
	struct tm tm;
	gmtime_r(&t, &tm);
	char tomorrow[16];
	strftime(tomorrow, sizeof tomorrow, "%Y-%m-%d", &tm);
	char *body = registration(w.person_a, "public", "2024-01-02", tomorrow, tm.tm_year + 1900, "6", NULL);
	t_resp r = t_post_json("/v1/records", tok, body);
	cr_expect(t_is_problem(&r, 422), "ends tomorrow: %d", r.status);
	cr_expect(t_has_error(&r, "end_date", "in_future"), "%s", r.body);
	t_resp_free(&r);
	free(body);

	body = registration(w.person_a, "public", "2024-01-02", "2024-01-03", 2023, "6", NULL);
	r = t_post_json("/v1/records", tok, body);
	cr_expect(t_has_error(&r, "year", "mismatch"), "year 2023 for a 2024 end date: %d %s", r.status, r.body);
	t_resp_free(&r);
	free(body);

	body = registration(w.person_a, "public", "2024-01-02", "2024-01-03", 2024, "12.55", NULL);
	r = t_post_json("/v1/records", tok, body);
	cr_expect(t_is_problem(&r, 422), "12.55 h: %d", r.status);
	cr_expect(t_has_error(&r, "hours", NULL), "%s", r.body);
	t_resp_free(&r);
	free(body);

	body = registration(w.person_a, "public", "2024-01-03", "2024-01-02", 2024, "6", NULL);
	r = t_post_json("/v1/records", tok, body);
	cr_expect(t_has_error(&r, "end_date", "before_start"), "end before start: %s", r.body);
	t_resp_free(&r);
	free(body);

	PGconn *db = t_db();
	const char *p[] = { w.person_a };
	char *n = t_sql_value(db, "SELECT count(*) FROM jxjy.records WHERE person = $1", 1, p);
	cr_expect_str_eq(n, "0", "nothing refused was stored");
	free(n);
	PQfinish(db);
	free(tok);
}

Test(records, validation_reports_every_failing_field_at_once)
{
	char *tok = t_token("city_bureau", NULL);
	t_resp r = t_post_json("/v1/records", tok,
	                       "{\"person\":\"nobody\",\"year\":2024,\"start_date\":\"2024-02-30\","
	                       "\"end_date\":\"2024-03-01\",\"category\":\"secret\",\"form\":\"chat\","
	                       "\"class_type\":\"sometimes\",\"hours\":-3,\"bogus\":1}");
	cr_assert(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	const char *fields[] = { "person", "start_date", "category", "form", "class_type", "hours", "bogus" };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		cr_expect(t_has_error(&r, fields[i], NULL), "error for %s in %s", fields[i], r.body);
	t_resp_free(&r);
	r = t_post_json("/v1/records", tok, "{}");
	cr_expect(t_is_problem(&r, 422));
	cr_expect_geq(json_array_size(json_object_get(r.json, "errors")), 8, "every required field: %s", r.body);
	t_resp_free(&r);
	r = t_post_json("/v1/records", tok, "[1,2]");
	cr_expect(t_is_problem(&r, 422), "not an object: %d", r.status);
	t_resp_free(&r);
	free(tok);
}

Test(records, R10_an_achievement_kind_is_not_a_registrable_form)
{
	world w;
	world_new(&w);
	char *tok = t_token("unit", w.unit_a);
	t_resp r;
	char body[512];
	snprintf(body, sizeof body, "{\"person\":\"%s\",\"year\":2024,\"start_date\":\"2024-05-01\","
	                            "\"end_date\":\"2024-05-01\",\"category\":\"professional\","
	                            "\"form\":\"paper_national\",\"class_type\":\"spare_time\",\"hours\":18}",
	         w.person_a);
	r = t_post_json("/v1/records", tok, body);
	cr_expect(t_is_problem(&r, 422), "paper_national as a form: %d", r.status);
	cr_expect(t_has_error(&r, "form", "invalid"), "%s", r.body);
	cr_expect(strstr(r.body, "/v1/achievements") != NULL, "points to achievements: %s", r.body);
	t_resp_free(&r);
	/* nor source achievement/base, nor a project */
	snprintf(body, sizeof body, "{\"person\":\"%s\",\"year\":2024,\"start_date\":\"2024-05-01\","
	                            "\"end_date\":\"2024-05-01\",\"category\":\"professional\","
	                            "\"form\":\"training_class\",\"class_type\":\"spare_time\",\"hours\":6,"
	                            "\"source\":\"base\",\"project\":\"%s\"}", w.person_a, w.unit_a);
	r = t_post_json("/v1/records", tok, body);
	cr_expect(t_has_error(&r, "source", NULL) && t_has_error(&r, "project", NULL), "%d %s", r.status, r.body);
	t_resp_free(&r);
	free(tok);
}

Test(records, a_person_outside_the_jurisdiction_is_not_found)
{
	world w;
	world_new(&w);
	char *tok = t_token("district_bureau", DISTRICT_A);
	char *body = registration("11111111-2222-4333-8444-555555555555", "public", "2024-05-01",
	                          "2024-05-01", 2024, "6", NULL);
	t_resp r = t_post_json("/v1/records", tok, body);
	cr_expect(t_is_problem(&r, 404), "no such person: %d", r.status);
	t_resp_free(&r);
	free(body);
	r = t_get("/v1/records/not-a-uuid", tok);
	cr_expect(t_is_problem(&r, 404), "malformed id: %d", r.status);
	t_resp_free(&r);
	r = t_get("/v1/records/11111111-2222-4333-8444-555555555555", tok);
	cr_expect(t_is_problem(&r, 404), "unknown id: %d", r.status);
	t_resp_free(&r);
	r = t_http("POST", "/v1/records/11111111-2222-4333-8444-555555555555/verify", tok, NULL, "", 0);
	cr_expect(t_is_problem(&r, 404), "verify unknown: %d", r.status);
	t_resp_free(&r);
	free(tok);
}

Test(records, duplicate_is_409_unless_the_first_was_rejected)
{
	world w;
	world_new(&w);
	char *unit = t_token("unit", w.unit_a);
	char *bureau = t_token("district_bureau", DISTRICT_A);
	char *body = registration(w.person_a, "professional", "2024-07-01", "2024-07-02", 2024, "12", NULL);
	t_resp a = t_post_json("/v1/records", unit, body);
	cr_assert_eq(a.status, 201, "%s", a.body);
	t_resp b = t_post_json("/v1/records", unit, body);
	cr_expect(t_is_problem(&b, 409), "the same record again: %d %s", b.status, b.body);
	t_resp_free(&b);
	t_resp rj = post_action(json_string_value(json_object_get(a.json, "id")), "reject", bureau, "重复登记");
	cr_expect_eq(rj.status, 200, "%s", rj.body);
	t_resp_free(&rj);
	b = t_post_json("/v1/records", unit, body);
	cr_expect_eq(b.status, 201, "after the first was rejected: %d %s", b.status, b.body);
	t_resp_free(&b);
	t_resp_free(&a);
	free(body);
	free(unit);
	free(bureau);
}

Test(records, idempotent_replay_registers_once)
{
	world w;
	world_new(&w);
	char *unit = t_token("unit", w.unit_a);
	char key[64];
	snprintf(key, sizeof key, "Idempotency-Key: rec-%08x", randombytes_random());
	const char *const h[] = { "Content-Type: application/json", key, NULL };
	char *body = registration(w.person_a, "public", "2024-08-01", "2024-08-01", 2024, "3", NULL);
	t_resp a = t_http("POST", "/v1/records", unit, h, body, strlen(body));
	cr_assert_eq(a.status, 201, "%s", a.body);
	t_resp b = t_http("POST", "/v1/records", unit, h, body, strlen(body));
	cr_expect_eq(b.status, 201, "replayed, not a duplicate: %d %s", b.status, b.body);
	cr_expect_str_eq(b.body, a.body);
	cr_expect(t_header(&b, "Idempotent-Replayed") != NULL);
	PGconn *db = t_db();
	const char *p[] = { w.person_a };
	char *n = t_sql_value(db, "SELECT count(*) FROM jxjy.records WHERE person = $1", 1, p);
	cr_expect_str_eq(n, "1");
	free(n);
	PQfinish(db);
	t_resp_free(&a);
	t_resp_free(&b);
	free(body);
	free(unit);
}

/* ---- R-13 -------------------------------------------------------------- */

Test(records, R13_verify_a_rejected_record_is_409)
{
	world w;
	world_new(&w);
	char *tok = t_token("district_bureau", DISTRICT_A);
	char *rec = record_new(w.person_a, "professional", "registered");
	t_resp r = post_action(rec, "reject", tok, "与本专业无关");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "status")), "rejected");
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "reason")), "与本专业无关");
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "verified_by")), "test-district_bureau");
	t_resp_free(&r);
	r = post_action(rec, "verify", tok, NULL);
	cr_expect(t_is_problem(&r, 409), "verify a rejected record: %d %s", r.status, r.body);
	t_resp_free(&r);
	r = post_action(rec, "revoke", tok, "x");
	cr_expect(t_is_problem(&r, 409), "revoke a rejected record: %d", r.status);
	t_resp_free(&r);
	char *st = status_of(rec);
	cr_expect_str_eq(st, "rejected");
	free(st);
	free(rec);
	free(tok);
}

Test(records, R13_revoke_a_registered_record_is_409)
{
	world w;
	world_new(&w);
	char *tok = t_token("city_bureau", NULL);
	char *rec = record_new(w.person_a, "public", "registered");
	t_resp r = post_action(rec, "revoke", tok, "错误");
	cr_expect(t_is_problem(&r, 409), "revoke a registered record: %d %s", r.status, r.body);
	t_resp_free(&r);
	r = post_action(rec, "verify", tok, NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	r = post_action(rec, "verify", tok, NULL);
	cr_expect(t_is_problem(&r, 409), "verify twice: %d", r.status);
	t_resp_free(&r);
	r = post_action(rec, "reject", tok, "晚了");
	cr_expect(t_is_problem(&r, 409), "reject a verified record: %d", r.status);
	t_resp_free(&r);
	free(rec);
	free(tok);
}

Test(records, R13_revoke_keeps_the_record_visible_as_revoked)
{
	world w;
	world_new(&w);
	char *tok = t_token("industry_authority", INDUSTRY_A);
	char *rec = record_new(w.person_a, "professional", "verified");
	t_resp r = post_action(rec, "revoke", tok, "证书造假");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "status")), "revoked");
	t_resp_free(&r);
	char path[96];
	snprintf(path, sizeof path, "/v1/records/%s", rec);
	char *person = t_token("person", w.person_a);
	r = t_get(path, person);
	cr_assert_eq(r.status, 200, "the person still sees it: %s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "status")), "revoked");
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "reason")), "证书造假");
	t_resp_free(&r);
	r = post_action(rec, "revoke", tok, "again");
	cr_expect(t_is_problem(&r, 409), "revoked is final: %d", r.status);
	t_resp_free(&r);
	free(person);
	free(rec);
	free(tok);
}

Test(records, R13_reject_and_revoke_need_a_reason)
{
	world w;
	world_new(&w);
	char *tok = t_token("city_bureau", NULL);
	char *rec = record_new(w.person_a, "public", "registered");
	char path[128];
	snprintf(path, sizeof path, "/v1/records/%s/reject", rec);
	t_resp r = t_post_json(path, tok, "{}");
	cr_expect(t_is_problem(&r, 422), "%d", r.status);
	cr_expect(t_has_error(&r, "reason", "required"), "%s", r.body);
	t_resp_free(&r);
	r = t_post_json(path, tok, "{\"reason\":\"\"}");
	cr_expect(t_has_error(&r, "reason", NULL), "empty reason: %s", r.body);
	t_resp_free(&r);
	r = t_post_json(path, tok, "{\"reason\":\"ok\",\"status\":\"verified\"}");
	cr_expect(t_has_error(&r, "status", NULL), "unknown field: %s", r.body);
	t_resp_free(&r);
	/* verify takes no fields: a field in its body is unknown (API.md, second
	 * wave); {} itself is accepted (records/verify_accepts_an_empty_object) */
	snprintf(path, sizeof path, "/v1/records/%s/verify", rec);
	r = t_post_json(path, tok, "{\"reason\":\"ok\"}");
	cr_expect(t_is_problem(&r, 422), "verify takes no fields: %d", r.status);
	cr_expect(t_has_error(&r, "reason", "unknown_field"), "%s", r.body);
	t_resp_free(&r);
	r = t_post_json(path, tok, "[]");
	cr_expect(t_is_problem(&r, 422), "verify's body is an object or nothing: %d", r.status);
	t_resp_free(&r);
	char *st = status_of(rec);
	cr_expect_str_eq(st, "registered");
	free(st);
	free(rec);
	free(tok);
}

Test(records, etag_and_if_match_on_actions)
{
	world w;
	world_new(&w);
	char *tok = t_token("district_bureau", DISTRICT_A);
	char *rec = record_new(w.person_a, "public", "registered");
	char path[128];
	snprintf(path, sizeof path, "/v1/records/%s", rec);
	t_resp g = t_get(path, tok);
	cr_assert_eq(g.status, 200);
	char etag[32];
	snprintf(etag, sizeof etag, "%s", t_header(&g, "ETag"));
	cr_expect_str_eq(etag, "\"v1\"");
	t_resp_free(&g);
	snprintf(path, sizeof path, "/v1/records/%s/verify", rec);
	const char *const stale[] = { "If-Match: \"v7\"", NULL };
	t_resp r = t_http("POST", path, tok, stale, "", 0);
	cr_expect(t_is_problem(&r, 412), "stale If-Match: %d", r.status);
	t_resp_free(&r);
	char hdr[64];
	snprintf(hdr, sizeof hdr, "If-Match: %s", etag);
	const char *const fresh[] = { hdr, NULL };
	r = t_http("POST", path, tok, fresh, "", 0);
	cr_expect_eq(r.status, 200, "%s", r.body);
	const char *e2 = t_header(&r, "ETag");
	cr_expect(e2 && !strcmp(e2, "\"v2\""), "new version %s", e2 ? e2 : "(none)");
	t_resp_free(&r);
	free(rec);
	free(tok);
}

static int status_of_raw(const char *resp)
{
	return strncmp(resp, "HTTP/1.", 7) == 0 ? atoi(resp + 9) : 0;
}

Test(records, R13_two_verifications_at_once_one_wins_the_other_409)
{
	world w;
	world_new(&w);
	char *a = t_token("city_bureau", NULL);
	char *b = t_token("district_bureau", DISTRICT_A);
	char *rec = record_new(w.person_a, "professional", "registered");
	char req1[2048], req2[2048];
	int n1 = snprintf(req1, sizeof req1, "POST /v1/records/%s/verify HTTP/1.1\r\nHost: t\r\n"
	                                     "Connection: close\r\nAuthorization: Bearer %s\r\n"
	                                     "Content-Length: 0\r\n\r\n", rec, a);
	int n2 = snprintf(req2, sizeof req2, "POST /v1/records/%s/verify HTTP/1.1\r\nHost: t\r\n"
	                                     "Connection: close\r\nAuthorization: Bearer %s\r\n"
	                                     "Content-Length: 0\r\n\r\n", rec, b);
	char r1[8192], r2[8192];
	t_race(req1, (size_t)n1, req2, (size_t)n2, r1, r2, sizeof r1);
	int st1 = status_of_raw(r1), st2 = status_of_raw(r2);
	cr_expect((st1 == 200 && st2 == 409) || (st1 == 409 && st2 == 200), "statuses %d and %d", st1, st2);
	PGconn *db = t_db();
	const char *p[] = { rec };
	char *n = t_sql_value(db, "SELECT count(*) FROM jxjy.audit_log WHERE entity = 'record'"
	                          " AND entity_id = $1 AND action = 'verify'", 1, p);
	cr_expect_str_eq(n, "1", "verified once, audited once");
	free(n);
	PQfinish(db);
	free(rec);
	free(a);
	free(b);
}

Test(records, audit_rows_carry_before_after_and_district)
{
	world w;
	world_new(&w);
	char *unit = t_token("unit", w.unit_a);
	char *tok = t_token("district_bureau", DISTRICT_A);
	char *body = registration(w.person_a, "public", "2024-10-08", "2024-10-09", 2024, "9", NULL);
	t_resp r = t_post_json("/v1/records", unit, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	char id[40];
	snprintf(id, sizeof id, "%s", json_string_value(json_object_get(r.json, "id")));
	t_resp_free(&r);
	r = post_action(id, "verify", tok, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	r = post_action(id, "revoke", tok, "撤销");
	cr_assert_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	PGconn *db = t_db();
	const char *p[] = { id };
	PGresult *res = t_sql(db, "SELECT action, before->>'status', after->>'status', district, actor"
	                          " FROM jxjy.audit_log WHERE entity = 'record' AND entity_id = $1 ORDER BY id",
	                      1, p);
	cr_assert_eq(PQntuples(res), 3, "create, verify, revoke");
	const char *want[3][5] = { { "create", "", "registered", DISTRICT_A, "test-unit" },
	                           { "verify", "registered", "verified", DISTRICT_A, "test-district_bureau" },
	                           { "revoke", "verified", "revoked", DISTRICT_A, "test-district_bureau" } };
	for (int i = 0; i < 3; i++)
		for (int c = 0; c < 5; c++)
			cr_expect_str_eq(PQgetvalue(res, i, c), want[i][c], "row %d column %d", i, c);
	PQclear(res);
	PQfinish(db);
	free(body);
	free(unit);
	free(tok);
}

/* ---- the person-year summary follows every change ------------------ */

static void register_and_verify(const char *person, const char *unit_tok, const char *bureau_tok,
                                const char *category, const char *start, const char *end,
                                const char *hours, char *id_out)
{
	char *body = registration(person, category, start, end, 2025, hours, NULL);
	t_resp r = t_post_json("/v1/records", unit_tok, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	snprintf(id_out, 40, "%s", json_string_value(json_object_get(r.json, "id")));
	t_resp_free(&r);
	free(body);
	r = post_action(id_out, "verify", bureau_tok, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
}

Test(records, R5_summary_24_plus_48_is_compliant_and_47_9_is_not)
{
	world w;
	world_new(&w);
	PGconn *db = t_db();
	char other[40];
	t_take_id(other, t_new_person(db, w.unit_a, "senior_deputy"));
	PQfinish(db);
	char *unit = t_token("unit", w.unit_a);
	char *bureau = t_token("district_bureau", DISTRICT_A);
	char pub[40], prof[40], id[40];

	/* registered only: pending, not compliant */
	char *body = registration(w.person_a, "public", "2025-03-03", "2025-03-03", 2025, "24", NULL);
	t_resp r = t_post_json("/v1/records", unit, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	snprintf(pub, sizeof pub, "%s", json_string_value(json_object_get(r.json, "id")));
	t_resp_free(&r);
	free(body);
	char *v = summary(w.person_a, 2025, "public_pending");
	cr_expect(v && !strcmp(v, "24.0"), "pending %s", v ? v : "(none)");
	free(v);
	v = summary(w.person_a, 2025, "compliant");
	cr_expect(v && !strcmp(v, "false"));
	free(v);
	r = post_action(pub, "verify", bureau, NULL);
	cr_assert_eq(r.status, 200);
	t_resp_free(&r);
	register_and_verify(w.person_a, unit, bureau, "professional", "2025-03-04", "2025-03-05", "48", prof);
	v = summary(w.person_a, 2025, "compliant");
	cr_expect(v && !strcmp(v, "true"), "24 + 48 is compliant: %s", v ? v : "(none)");
	free(v);
	v = summary(w.person_a, 2025, "public_verified || '+' || professional_verified || '/' || public_pending");
	cr_expect(v && !strcmp(v, "24.0+48.0/0.0"), "hours %s", v ? v : "(none)");
	free(v);

	/* 24 + 47.9 is not */
	register_and_verify(other, unit, bureau, "public", "2025-03-03", "2025-03-03", "24", id);
	register_and_verify(other, unit, bureau, "professional", "2025-03-04", "2025-03-05", "47.9", id);
	v = summary(other, 2025, "compliant");
	cr_expect(v && !strcmp(v, "false"), "24 + 47.9 is not compliant: %s", v ? v : "(none)");
	free(v);

	/* revoking the public record takes its hours away again */
	r = post_action(pub, "revoke", bureau, "重复");
	cr_assert_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	v = summary(w.person_a, 2025, "public_verified || ' ' || compliant");
	cr_expect(v && !strcmp(v, "0.0 false"), "after revoke: %s", v ? v : "(none)");
	free(v);
	free(unit);
	free(bureau);
}

/* ---- lists: keyset pages, filters, CSV --------------------------------- */

Test(records, keyset_pages_filters_and_bad_queries)
{
	world w;
	world_new(&w);
	char *ids[3];
	for (int i = 0; i < 3; i++)
		ids[i] = record_new(w.person_a, i == 1 ? "public" : "professional", i == 2 ? "verified" : "registered");
	char *tok = t_token("district_bureau", DISTRICT_A);
	char path[512];
	snprintf(path, sizeof path, "/v1/records?person=%s&limit=1", w.person_a);
	int seen = 0, pages = 0;
	for (; pages < 10; pages++) {
		t_resp r = t_get(path, tok);
		cr_assert_eq(r.status, 200, "%s", r.body);
		json_t *items = json_object_get(r.json, "items");
		cr_expect_leq(json_array_size(items), 1);
		if (json_array_size(items) == 1) {
			const char *id = json_string_value(json_object_get(json_array_get(items, 0), "id"));
			cr_expect_str_eq(id, ids[seen], "oldest first, page %d", pages);
			seen++;
		}
		json_t *next = json_object_get(r.json, "next_cursor");
		if (!json_is_string(next)) {
			t_resp_free(&r);
			break;
		}
		cr_expect(t_header(&r, "Link") != NULL);
		snprintf(path, sizeof path, "/v1/records?person=%s&limit=1&cursor=%s", w.person_a,
		         json_string_value(next));
		t_resp_free(&r);
	}
	cr_expect_eq(seen, 3);
	struct { const char *q; int n; } filters[] = {
		{ "category=public", 1 }, { "status=verified", 1 }, { "year=2024", 3 }, { "year=2023", 0 },
	};
	for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
		snprintf(path, sizeof path, "/v1/records?person=%s&%s", w.person_a, filters[i].q);
		t_resp r = t_get(path, tok);
		cr_expect_eq(json_array_size(json_object_get(r.json, "items")), (size_t)filters[i].n, "%s", filters[i].q);
		t_resp_free(&r);
	}
	snprintf(path, sizeof path, "/v1/records?unit=%s", w.unit_a);
	t_resp r = t_get(path, tok);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 3, "unit filter");
	t_resp_free(&r);
	const char *bad[] = { "/v1/records?year=abc", "/v1/records?status=done", "/v1/records?category=x",
	                      "/v1/records?person=1", "/v1/records?bogus=1", "/v1/records?limit=501",
	                      "/v1/records?cursor=zzz" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = t_get(bad[i], tok);
		cr_expect(t_is_problem(&r, 400), "%s: %d", bad[i], r.status);
		t_resp_free(&r);
	}
	for (int i = 0; i < 3; i++)
		free(ids[i]);
	free(tok);
}

Test(records, csv_list_with_bom_quoting_and_formula_neutralised)
{
	world w;
	world_new(&w);
	char *unit = t_token("unit", w.unit_a);
	char *body = registration(w.person_a, "public", "2024-11-04", "2024-11-05", 2024, "7.5",
	                          ",\"evidence\":\"=HYPERLINK(\\\"http://x\\\",\\\"证书, 第1号\\\")\"");
	t_resp r = t_post_json("/v1/records", unit, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	char id[40];
	snprintf(id, sizeof id, "%s", json_string_value(json_object_get(r.json, "id")));
	t_resp_free(&r);
	free(body);
	char *second = record_new(w.person_a, "professional", "registered");
	char path[160];
	snprintf(path, sizeof path, "/v1/records?person=%s", w.person_a);
	const char *const csv[] = { "Accept: text/csv", NULL };
	r = t_http("GET", path, unit, csv, NULL, 0);
	cr_assert_eq(r.status, 200, "%s", r.body);
	const char *ct = t_header(&r, "Content-Type");
	cr_expect(ct && !strncmp(ct, "text/csv", 8), "%s", ct ? ct : "(none)");
	const char *cd = t_header(&r, "Content-Disposition");
	cr_expect(cd && strstr(cd, "attachment"), "%s", cd ? cd : "(none)");
	cr_expect(!memcmp(r.body, "\xEF\xBB\xBF", 3), "UTF-8 BOM");
	static const char header[] = "id,person,year,start_date,end_date,category,form,class_type,hours,";
	cr_expect(!strncmp(r.body + 3, header, sizeof header - 1), "header row: %.120s", r.body + 3);
	cr_expect(strstr(r.body, id) != NULL, "the record is listed");
	cr_expect(strstr(r.body, ",7.5,") != NULL, "hours with one decimal");
	cr_expect(strstr(r.body, "\"'=HYPERLINK(\"\"http://x\"\",\"\"证书, 第1号\"\")\"") != NULL,
	          "formula neutralised and quoted: %s", r.body);
	cr_expect(strstr(r.body, "\r\n") != NULL, "CRLF");
	t_resp_free(&r);
	/* a page of one: the next page in the Link header */
	snprintf(path, sizeof path, "/v1/records?person=%s&limit=1", w.person_a);
	r = t_http("GET", path, unit, csv, NULL, 0);
	cr_assert_eq(r.status, 200);
	const char *link = t_header(&r, "Link");
	cr_assert(link && strstr(link, "rel=\"next\""), "Link: %s", link ? link : "(none)");
	char next[512];
	const char *lt = strchr(link, '<'), *gt = strchr(link, '>');
	cr_assert(lt && gt);
	snprintf(next, sizeof next, "%.*s", (int)(gt - lt - 1), lt + 1);
	t_resp_free(&r);
	r = t_http("GET", next, unit, csv, NULL, 0);
	cr_expect_eq(r.status, 200, "%s: %s", next, r.body);
	cr_expect(strstr(r.body, second) != NULL, "the second page has the second record");
	t_resp_free(&r);
	free(second);
	free(unit);
}

/* API.md, second wave: an action that takes no fields accepts no body, an
 * empty one, or {} (what HTTP client libraries send by default); R-13 then
 * verifies as usual. */
Test(records, verify_accepts_an_empty_object_or_no_body)
{
	world w;
	world_new(&w);
	char *tok = t_token("city_bureau", NULL);
	const char *bodies[] = { "{}", " { } ", NULL };
	for (int i = 0; i < 3; i++) {
		char *rec = record_new(w.person_a, "public", "registered");
		char path[128];
		snprintf(path, sizeof path, "/v1/records/%s/verify", rec);
		t_resp r = bodies[i] ? t_post_json(path, tok, bodies[i])
		                     : t_http("POST", path, tok, NULL, "", 0);
		cr_expect_eq(r.status, 200, "verify with %s: %d %s", bodies[i] ? bodies[i] : "no body",
		             r.status, r.body);
		t_resp_free(&r);
		char *st = status_of(rec);
		cr_expect_str_eq(st, "verified");
		free(st);
		free(rec);
	}
	free(tok);
}
