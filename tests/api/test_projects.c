/*
 * Projects and late windows over HTTP (API.md rows "projects: create /
 * submit", "projects: approve / reject", "projects: read"; DOMAIN.md R-16,
 * Fixture bases, public subjects and guides are inserted as
 * the superuser with fresh ids.  Years are relative to today (CST), so the
 * window tests hold in any year: Y+1 is submittable during Y, Y itself has
 * begun, Y+2 is too early; late windows are opened only for years well in
 * the past, which no other test submits for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "testlib.h"

#define GUSU "320508"
#define HUQIU "320505"
#define NO_SUCH_ID "11111111-2222-4333-8444-555555555555"

static void today_plus(char out[11], int days)
{
	time_t t = time(NULL) + 8 * 3600 + (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static void set_base_status(const char *base, const char *status)
{
	const char *p[] = { base, status };
	char *v = t_sql1("UPDATE jxjy.bases SET status = $2::jxjy.base_status WHERE id = $1 RETURNING id", 2, p);
	free(v);
}

static char *public_subject(void)
{
	char code[32];
	snprintf(code, sizeof code, "PUB-%08x", randombytes_random());
	const char *p[] = { code };
	return t_sql1("INSERT INTO jxjy.public_subjects (year, code, title, hours)"
	              " VALUES (2024, $1, '专业技术人员职业道德', 12) RETURNING id", 1, p);
}

/* a subject of a guide that is published or a draft */
static char *guide_subject(bool published)
{
	char code[32];
	snprintf(code, sizeof code, "G-%08x", randombytes_random());
	const char *p[] = { published ? "published" : "draft", code };
	return t_sql1("WITH g AS (INSERT INTO jxjy.guides (industry, year, title, status, published_at)"
	              " SELECT (SELECT code FROM jxjy.industries ORDER BY code LIMIT 1), 2025, '科目指南',"
	              " $1::jxjy.guide_status, CASE WHEN $1 = 'published' THEN now() END RETURNING id)"
	              " INSERT INTO jxjy.guide_subjects (guide, code, title, hours)"
	              " SELECT g.id, $2, '新技术应用', 24 FROM g RETURNING id", 2, p);
}

static char *project_body(int year, const char *category, const char *subject, const char *class_type,
                          const char *funding)
{
	char *s = malloc(1024);
	snprintf(s, 1024, "{\"year\":%d,\"title\":\"数字化转型研修班\",\"category\":\"%s\",\"subject\":\"%s\","
	                  "\"hours\":24.5,\"class_type\":\"%s\",\"capacity\":60,\"fee\":1200.5,"
	                  "\"funding\":%s}", year, category, subject, class_type, funding);
	return s;
}

#define SPLIT_OK "{\"government\":50,\"unit\":30,\"individual\":20}"

static t_resp create(const char *tok, const char *base, const char *body)
{
	return t_post_path(tok, body, "/v1/bases/%s/projects", base);
}

/* Drafts a public project for year as the base; returns its id. */
static char *draft(const char *base, int year)
{
	char *subject = public_subject();
	char *tok = t_token("base", base);
	char *body = project_body(year, "public", subject, "full_time", SPLIT_OK);
	t_resp r = create(tok, base, body);
	cr_assert_eq(r.status, 201, "draft: %s", r.body);
	char *id = strdup(t_str(&r, "id"));
	t_resp_free(&r);
	free(body);
	free(tok);
	free(subject);
	return id;
}

/* Drafts and submits a project for next year; returns its id. */
static char *submitted(const char *base)
{
	char *id = draft(base, t_this_year() + 1);
	char *tok = t_token("base", base);
	t_resp r = t_post_path(tok, "{}", "/v1/projects/%s/submit", id);
	cr_assert_eq(r.status, 200, "submit: %s", r.body);
	t_resp_free(&r);
	free(tok);
	return id;
}

static char *project_status(const char *id)
{
	const char *p[] = { id };
	return t_sql1("SELECT status FROM jxjy.projects WHERE id = $1", 1, p);
}

static long projects_of(const char *base)
{
	const char *p[] = { base };
	return t_sql_count(NULL, "SELECT count(*) FROM jxjy.projects WHERE base = $1", 1, p);
}

/* ---- drafting (R-18, R-19) ---------------------------------------------- */

Test(projects, accredited_base_drafts_a_project_with_location_and_etag)
{
	char *b = t_new_base(NULL, "city", GUSU, "accredited");
	char *subject = public_subject();
	char *tok = t_token("base", b);
	char *body = project_body(t_this_year() + 1, "public", subject, "part_time", SPLIT_OK);
	t_resp r = create(tok, b, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "draft");
	cr_expect_str_eq(t_str(&r, "base"), b);
	cr_expect_str_eq(t_str(&r, "subject"), subject);
	cr_expect_str_eq(t_str(&r, "class_type"), "part_time");
	cr_expect(json_number_value(json_object_get(r.json, "hours")) == 24.5);
	cr_expect(json_number_value(json_object_get(r.json, "fee")) == 1200.5);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(r.json, "funding"), "unit")), 30);
	char loc[128] = "";
	if (t_header(&r, "Location"))
		snprintf(loc, sizeof loc, "%s", t_header(&r, "Location"));
	cr_expect(!strncmp(loc, "/v1/projects/", 13), "Location %s", loc);
	char *id = strdup(t_str(&r, "id"));
	t_resp_free(&r);
	r = t_get(loc, tok);
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(t_header(&r, "ETag"), "\"v1\"");
	t_resp_free(&r);
	const char *p[] = { id };
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.audit_log WHERE action = 'create'"
	                               " AND entity = 'project' AND entity_id = $1 AND district = '" GUSU "'", 1, p), 1);
	free(id);
	free(body);
	free(tok);
	free(subject);
	free(b);
}

Test(projects, R18_funding_50_30_20_is_accepted_and_50_30_10_refused)
{
	char *b = t_new_base(NULL, "district", GUSU, "accredited");
	char *subject = public_subject();
	char *tok = t_token("base", b);
	int y = t_this_year() + 1;
	char *body = project_body(y, "public", subject, "full_time", SPLIT_OK);
	t_resp r = create(tok, b, body);
	cr_expect_eq(r.status, 201, "50/30/20: %s", r.body);
	t_resp_free(&r);
	free(body);
	body = project_body(y, "public", subject, "full_time", "{\"government\":50,\"unit\":30,\"individual\":10}");
	r = create(tok, b, body);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "funding", "sum_not_100"), "50/30/10: %s", r.body);
	t_resp_free(&r);
	free(body);
	body = project_body(y, "public", subject, "full_time", "{\"government\":120,\"unit\":-10,\"individual\":-10}");
	r = create(tok, b, body);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "funding.government", "out_of_range") &&
	          t_has_error(&r, "funding.unit", NULL) && t_has_error(&r, "funding.individual", NULL), "%s", r.body);
	t_resp_free(&r);
	free(body);
	body = project_body(y, "public", subject, "full_time", "{\"government\":50.5,\"unit\":49.5,\"taxpayer\":0}");
	r = create(tok, b, body);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "funding.government", "invalid") &&
	          t_has_error(&r, "funding.individual", "required") && t_has_error(&r, "funding.taxpayer", NULL),
	          "%s", r.body);
	t_resp_free(&r);
	free(body);
	cr_expect_eq(projects_of(b), 1, "refusals store nothing");
	free(tok);
	free(subject);
	free(b);
}

Test(projects, R19_only_full_time_and_part_time_projects_are_drafted)
{
	char *b = t_new_base(NULL, "district", GUSU, "accredited");
	char *subject = public_subject();
	char *tok = t_token("base", b);
	static const char *const types[] = { "full_time", "part_time", "spare_time", "online", "evening" };
	static const int expect[] = { 201, 201, 422, 422, 422 };
	for (int i = 0; i < 5; i++) {
		char *body = project_body(t_this_year() + 1, "public", subject, types[i], SPLIT_OK);
		t_resp r = create(tok, b, body);
		cr_expect_eq(r.status, expect[i], "%s: %d %s", types[i], r.status, r.body);
		if (expect[i] == 422)
			cr_expect(t_has_error(&r, "class_type", NULL), "%s", r.body);
		t_resp_free(&r);
		free(body);
	}
	free(tok);
	free(subject);
	free(b);
}

Test(projects, R19_subject_is_a_public_subject_or_one_of_a_published_guide)
{
	char *b = t_new_base(NULL, "district", GUSU, "accredited");
	char *pub = public_subject();
	char *published = guide_subject(true);
	char *unpublished = guide_subject(false);
	char *tok = t_token("base", b);
	int y = t_this_year() + 1;
	struct { const char *category, *subject; int status; const char *what; } cases[] = {
		{ "professional", published, 201, "a subject of a published guide" },
		{ "professional", unpublished, 422, "a subject of an unpublished guide" },
		{ "public", published, 422, "a guide subject as a public one" },
		{ "professional", pub, 422, "a public subject as a professional one" },
		{ "public", NO_SUCH_ID, 422, "no such subject" },
		{ "public", pub, 201, "a public subject" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *body = project_body(y, cases[i].category, cases[i].subject, "full_time", SPLIT_OK);
		t_resp r = create(tok, b, body);
		cr_expect_eq(r.status, cases[i].status, "%s: %d %s", cases[i].what, r.status, r.body);
		if (cases[i].status == 422)
			cr_expect(t_has_error(&r, "subject", "unknown"), "%s: %s", cases[i].what, r.body);
		t_resp_free(&r);
		free(body);
	}
	cr_expect_eq(projects_of(b), 2);
	free(tok);
	free(unpublished);
	free(published);
	free(pub);
	free(b);
}

Test(projects, validation_names_every_bad_field)
{
	char *b = t_new_base(NULL, "district", GUSU, "accredited");
	char *tok = t_token("base", b);
	t_resp r = create(tok, b, "{\"year\":1800,\"title\":\"\",\"category\":\"secret\",\"subject\":\"x\","
	                          "\"hours\":1.25,\"class_type\":\"full_time\",\"capacity\":0,\"fee\":10.005,"
	                          "\"funding\":" SPLIT_OK "}");
	cr_assert(t_is_problem(&r, 422), "%d", r.status);
	static const char *const fields[] = { "year", "title", "category", "subject", "hours", "capacity", "fee" };
	for (int i = 0; i < 7; i++)
		cr_expect(t_has_error(&r, fields[i], NULL), "%s in %s", fields[i], r.body);
	t_resp_free(&r);
	r = create(tok, b, "{}");
	cr_expect(t_is_problem(&r, 422) && json_array_size(json_object_get(r.json, "errors")) == 9,
	          "nine required fields: %s", r.body);
	t_resp_free(&r);
	r = create(tok, b, "{\"status\":\"approved\"}");
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "status", "unknown_field"), "%s", r.body);
	t_resp_free(&r);
	cr_expect_eq(projects_of(b), 0);
	free(tok);
	free(b);
}

/* ---- only an accredited base ------------------------------------- */

Test(projects, R16_an_applied_suspended_or_revoked_base_cannot_draft_or_submit)
{
	static const char *const states[] = { "applied", "suspended", "revoked" };
	char *subject = public_subject();
	for (int i = 0; i < 3; i++) {
		char *b = t_new_base(NULL, "district", GUSU, states[i]);
		char *tok = t_token("base", b);
		char *body = project_body(t_this_year() + 1, "public", subject, "full_time", SPLIT_OK);
		t_resp r = create(tok, b, body);
		cr_expect(t_is_problem(&r, 409), "%s base drafts: %d", states[i], r.status);
		cr_expect(r.body && strstr(r.body, states[i]), "the detail says why: %s", r.body);
		t_resp_free(&r);
		cr_expect_eq(projects_of(b), 0);
		free(body);
		free(tok);
		free(b);
	}
	/* a draft made while accredited cannot be submitted once revoked (via the API) */
	char *b = t_new_base(NULL, "district", GUSU, "accredited");
	char *id = draft(b, t_this_year() + 1);
	char *city = t_token("city_bureau", NULL);
	t_resp r = t_post_path(city, "{\"reason\":\"质量不达标\"}", "/v1/bases/%s/revoke", b);
	cr_expect_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	char *tok = t_token("base", b);
	r = t_post_path(tok, "{}", "/v1/projects/%s/submit", id);
	cr_expect(t_is_problem(&r, 409), "a revoked base submits: %d", r.status);
	t_resp_free(&r);
	char *body = project_body(t_this_year() + 1, "public", subject, "full_time", SPLIT_OK);
	r = create(tok, b, body);
	cr_expect(t_is_problem(&r, 409), "a revoked base drafts: %d", r.status);
	t_resp_free(&r);
	char *s = project_status(id);
	cr_expect_str_eq(s, "draft");
	free(s);
	free(body);
	free(tok);
	free(city);
	free(id);
	free(b);
	free(subject);
}

/* ---- the submission window (R-19) --------------------------------------- */

Test(projects, R19_submission_during_the_previous_year_is_allowed)
{
	char *b = t_new_base(NULL, "city", GUSU, "accredited");
	char *id = draft(b, t_this_year() + 1);
	char *tok = t_token("base", b);
	t_resp r = t_post_path(tok, "{}", "/v1/projects/%s/submit", id);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "submitted");
	cr_expect(t_str(&r, "submitted_at") != NULL);
	cr_expect_str_eq(t_header(&r, "ETag"), "\"v2\"");
	t_resp_free(&r);
	r = t_post_path(tok, "{}", "/v1/projects/%s/submit", id);
	cr_expect(t_is_problem(&r, 409), "submitting twice: %d", r.status);
	t_resp_free(&r);
	const char *p[] = { id };
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.audit_log WHERE action = 'submit' AND entity_id = $1",
	                               1, p), 1);
	free(tok);
	free(id);
	free(b);
}

Test(projects, R19_submission_for_a_begun_year_or_too_early_is_refused)
{
	char *b = t_new_base(NULL, "city", GUSU, "accredited");
	char *tok = t_token("base", b);
	char *begun = draft(b, t_this_year());
	t_resp r = t_post_path(tok, "{}", "/v1/projects/%s/submit", begun);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "year", "year_begun"), "%d %s", r.status, r.body);
	t_resp_free(&r);
	char *early = draft(b, t_this_year() + 2);
	r = t_post_path(tok, "{}", "/v1/projects/%s/submit", early);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "year", "too_early"), "%d %s", r.status, r.body);
	t_resp_free(&r);
	char *s = project_status(begun);
	cr_expect_str_eq(s, "draft");
	free(s);
	s = project_status(early);
	cr_expect_str_eq(s, "draft");
	free(s);
	free(early);
	free(begun);
	free(tok);
	free(b);
}

Test(projects, R19_a_late_window_of_the_city_reopens_a_begun_year_until_its_date)
{
	/* a year of its own, well in the past: no other test opens a window for it */
	int year = 1995 + (int)(randombytes_random() % 20);
	char ys[12];
	snprintf(ys, sizeof ys, "%d", year);
	const char *p[] = { ys };
	PGconn *db = t_db();
	PQclear(t_sql(db, "DELETE FROM jxjy.late_windows WHERE year = $1::int", 1, p));
	PQfinish(db);

	char *b = t_new_base(NULL, "district", GUSU, "accredited");
	char *id = draft(b, year);
	char *tok = t_token("base", b);
	t_resp r = t_post_path(tok, "{}", "/v1/projects/%s/submit", id);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "year", "year_begun"), "no window yet: %s", r.body);
	t_resp_free(&r);

	char body[256], yesterday[11], later[11];
	today_plus(yesterday, -1);
	today_plus(later, 10);
	char *gusu = t_token("district_bureau", GUSU);
	snprintf(body, sizeof body, "{\"year\":%d,\"until\":\"%s\",\"reason\":\"延期申报\"}", year, later);
	r = t_post_json("/v1/late-windows", gusu, body);
	cr_expect(t_is_problem(&r, 403), "only the city bureau opens windows: %d", r.status);
	t_resp_free(&r);

	char *city = t_token("city_bureau", NULL);
	snprintf(body, sizeof body, "{\"year\":%d,\"until\":\"%s\",\"reason\":\"已截止的窗口\"}", year, yesterday);
	r = t_post_json("/v1/late-windows", city, body);
	cr_expect_eq(r.status, 201, "%s", r.body);
	t_resp_free(&r);
	r = t_post_path(tok, "{}", "/v1/projects/%s/submit", id);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "year", "year_begun"), "a closed window: %s", r.body);
	t_resp_free(&r);

	snprintf(body, sizeof body, "{\"year\":%d,\"until\":\"%s\",\"reason\":\"延期申报\"}", year, later);
	r = t_post_json("/v1/late-windows", city, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_eq(json_integer_value(json_object_get(r.json, "year")), year);
	cr_expect_str_eq(t_str(&r, "until"), later);
	char loc[128] = "";
	if (t_header(&r, "Location"))
		snprintf(loc, sizeof loc, "%s", t_header(&r, "Location"));
	t_resp_free(&r);
	r = t_get(loc, tok);
	cr_expect_eq(r.status, 200, "the window at %s", loc);
	t_resp_free(&r);
	char list[96];
	snprintf(list, sizeof list, "/v1/late-windows?year=%d", year);
	r = t_get(list, tok);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 2, "%s", r.body);
	t_resp_free(&r);

	r = t_post_path(tok, "{}", "/v1/projects/%s/submit", id);
	cr_expect_eq(r.status, 200, "inside the late window: %s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "submitted");
	t_resp_free(&r);
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.audit_log WHERE action = 'create'"
	                               " AND entity = 'late_window' AND (after ->> 'year')::int = $1::int", 1, p), 2);

	/* validation */
	snprintf(body, sizeof body, "{\"year\":%d,\"until\":\"%d-12-31\",\"reason\":\"\"}", year, year - 1);
	r = t_post_json("/v1/late-windows", city, body);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "until", "before_start") && t_has_error(&r, "reason", NULL),
	          "%s", r.body);
	t_resp_free(&r);
	r = t_post_json("/v1/late-windows", city, "{\"year\":\"next\",\"until\":\"2025-02-30\"}");
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "year", NULL) && t_has_error(&r, "until", NULL) &&
	          t_has_error(&r, "reason", "required"), "%s", r.body);
	t_resp_free(&r);
	free(city);
	free(gusu);
	free(tok);
	free(id);
	free(b);
}

/* ---- approve / reject (R-19) -------------------------------------------- */

Test(projects, R19_approval_by_the_bureau_of_the_bases_level)
{
	char *city_base = t_new_base(NULL, "city", GUSU, "accredited");
	char *dist_base = t_new_base(NULL, "district", GUSU, "accredited");
	char *p1 = submitted(city_base);
	char *p2 = submitted(dist_base);
	char *city = t_token("city_bureau", NULL);
	char *gusu = t_token("district_bureau", GUSU);
	char *huqiu = t_token("district_bureau", HUQIU);
	t_resp r;

	r = t_post_path(gusu, "{}", "/v1/projects/%s/approve", p1);
	cr_expect(t_is_problem(&r, 403), "district bureau, city-level base: %d", r.status);
	t_resp_free(&r);
	r = t_post_path(city, "{}", "/v1/projects/%s/approve", p1);
	cr_expect_eq(r.status, 200, "city bureau, city-level base: %s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "approved");
	cr_expect(t_str(&r, "decided_at") != NULL);
	t_resp_free(&r);

	r = t_post_path(city, "{}", "/v1/projects/%s/approve", p2);
	cr_expect(t_is_problem(&r, 403), "city bureau, district-level base: %d", r.status);
	t_resp_free(&r);
	r = t_post_path(huqiu, "{}", "/v1/projects/%s/approve", p2);
	cr_expect(t_is_problem(&r, 404), "another district's bureau: %d", r.status);
	t_resp_free(&r);
	r = t_post_path(gusu, "{}", "/v1/projects/%s/approve", p2);
	cr_expect_eq(r.status, 200, "its district's bureau: %s", r.body);
	t_resp_free(&r);
	r = t_post_path(gusu, "{}", "/v1/projects/%s/approve", p2);
	cr_expect(t_is_problem(&r, 409), "approving twice: %d", r.status);
	t_resp_free(&r);
	const char *p[] = { p2 };
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.audit_log WHERE action = 'approve' AND entity_id = $1",
	                               1, p), 1);
	free(huqiu);
	free(gusu);
	free(city);
	free(p2);
	free(p1);
	free(dist_base);
	free(city_base);
}

Test(projects, R19_reject_records_the_reason_and_transitions_conflict)
{
	char *b = t_new_base(NULL, "district", GUSU, "accredited");
	char *gusu = t_token("district_bureau", GUSU);
	char *d = draft(b, t_this_year() + 1);
	t_resp r = t_post_path(gusu, "{}", "/v1/projects/%s/approve", d);
	cr_expect(t_is_problem(&r, 409), "approving a draft: %d", r.status);
	t_resp_free(&r);
	r = t_post_path(gusu, "{\"reason\":\"x\"}", "/v1/projects/%s/reject", d);
	cr_expect(t_is_problem(&r, 409), "rejecting a draft: %d", r.status);
	t_resp_free(&r);
	char *s = submitted(b);
	r = t_post_path(gusu, "{\"reason\":\"经费分担不合理\"}", "/v1/projects/%s/reject", s);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "rejected");
	cr_expect_str_eq(t_str(&r, "reason"), "经费分担不合理");
	t_resp_free(&r);
	r = t_post_path(gusu, "{}", "/v1/projects/%s/approve", s);
	cr_expect(t_is_problem(&r, 409), "approving a rejected project: %d", r.status);
	t_resp_free(&r);
	r = t_post_path(gusu, "{\"grade\":1}", "/v1/projects/%s/approve", s);
	cr_expect(t_is_problem(&r, 422), "unknown field: %d", r.status);
	t_resp_free(&r);
	free(s);
	free(d);
	free(gusu);
	free(b);
}

Test(projects, R16_projects_of_a_suspended_base_are_not_approved)
{
	char *b = t_new_base(NULL, "city", GUSU, "accredited");
	char *s1 = submitted(b);
	char *s2 = submitted(b);
	set_base_status(b, "suspended");
	char *city = t_token("city_bureau", NULL);
	t_resp r = t_post_path(city, "{}", "/v1/projects/%s/approve", s1);
	cr_expect(t_is_problem(&r, 409), "approve for a suspended base: %d", r.status);
	t_resp_free(&r);
	r = t_post_path(city, "{}", "/v1/projects/%s/reject", s2);
	cr_expect_eq(r.status, 200, "rejecting stays possible: %s", r.body);
	t_resp_free(&r);
	free(city);
	free(s2);
	free(s1);
	free(b);
}

/* ---- the permission matrix, generated from one table -------------------- */

enum who { W_CITY, W_GUSU, W_HUQIU, W_INDUSTRY, W_UNIT, W_BASE_SELF, W_BASE_OTHER, W_PERSON, W__COUNT };
static const char *const who_name[] = { "city", "gusu bureau", "huqiu bureau", "industry", "unit",
                                        "base self", "other base", "person" };

static char *token_for(enum who w, const char *base)
{
	switch (w) {
	case W_CITY: return t_token("city_bureau", NULL);
	case W_GUSU: return t_token("district_bureau", GUSU);
	case W_HUQIU: return t_token("district_bureau", HUQIU);
	case W_INDUSTRY: return t_token("industry_authority", "education");
	case W_UNIT: return t_token("unit", NO_SUCH_ID);
	case W_BASE_SELF: return t_token("base", base);
	case W_BASE_OTHER: return t_token("base", NO_SUCH_ID);
	default: return t_token("person", NO_SUCH_ID);
	}
}

Test(projects, A1_read_matrix_generated_from_one_table)
{
	/* projects: read — all | dist | all | all | self | all (approved only);
	 * the project's base is district-level in gusu */
	enum { DRAFT, APPROVED, N };
	static const int expect[W__COUNT][N] = {
		[W_CITY] = { 200, 200 }, [W_GUSU] = { 200, 200 }, [W_HUQIU] = { 404, 404 },
		[W_INDUSTRY] = { 200, 200 }, [W_UNIT] = { 200, 200 }, [W_BASE_SELF] = { 200, 200 },
		[W_BASE_OTHER] = { 404, 404 }, [W_PERSON] = { 404, 200 },
	};
	char *b = t_new_base(NULL, "district", GUSU, "accredited");
	char *ids[N];
	ids[DRAFT] = draft(b, t_this_year() + 1);
	ids[APPROVED] = submitted(b);
	char *gusu = t_token("district_bureau", GUSU);
	t_resp r = t_post_path(gusu, "{}", "/v1/projects/%s/approve", ids[APPROVED]);
	cr_assert_eq(r.status, 200);
	t_resp_free(&r);
	for (int w = 0; w < W__COUNT; w++) {
		char *tok = token_for((enum who)w, b);
		for (int k = 0; k < N; k++) {
			char path[128];
			snprintf(path, sizeof path, "/v1/projects/%s", ids[k]);
			r = t_get(path, tok);
			cr_expect_eq(r.status, expect[w][k], "%s reads a %s project: %d", who_name[w],
			             k == DRAFT ? "draft" : "approved", r.status);
			t_resp_free(&r);
		}
		free(tok);
	}
	free(gusu);
	free(ids[DRAFT]);
	free(ids[APPROVED]);
	free(b);
}

Test(projects, A1_write_matrix_generated_from_one_table)
{
	/* projects: create / submit — self (accredited only); approve / reject —
	 * city-level bases | district-level bases in dist.  Targets: a city-level
	 * and a district-level base, both in gusu. */
	enum act { A_CREATE, A_SUBMIT, A_APPROVE, A_REJECT, A__COUNT };
	enum { T_CITY_LEVEL, T_DISTRICT_LEVEL, T__COUNT };
	static const char *const act_name[] = { "create", "submit", "approve", "reject" };
	static const int expect[A__COUNT][W__COUNT][T__COUNT] = {
		[A_CREATE] = { [W_CITY] = { 403, 403 }, [W_GUSU] = { 403, 403 }, [W_HUQIU] = { 403, 403 },
		               [W_INDUSTRY] = { 403, 403 }, [W_UNIT] = { 403, 403 },
		               [W_BASE_SELF] = { 201, 201 }, [W_BASE_OTHER] = { 404, 404 },
		               [W_PERSON] = { 403, 403 } },
		[A_SUBMIT] = { [W_CITY] = { 403, 403 }, [W_GUSU] = { 403, 403 }, [W_HUQIU] = { 403, 403 },
		               [W_INDUSTRY] = { 403, 403 }, [W_UNIT] = { 403, 403 },
		               [W_BASE_SELF] = { 200, 200 }, [W_BASE_OTHER] = { 404, 404 },
		               [W_PERSON] = { 403, 403 } },
		[A_APPROVE] = { [W_CITY] = { 200, 403 }, [W_GUSU] = { 403, 200 }, [W_HUQIU] = { 404, 404 },
		                [W_INDUSTRY] = { 403, 403 }, [W_UNIT] = { 403, 403 },
		                [W_BASE_SELF] = { 403, 403 }, [W_BASE_OTHER] = { 403, 403 },
		                [W_PERSON] = { 403, 403 } },
		[A_REJECT] = { [W_CITY] = { 200, 403 }, [W_GUSU] = { 403, 200 }, [W_HUQIU] = { 404, 404 },
		               [W_INDUSTRY] = { 403, 403 }, [W_UNIT] = { 403, 403 },
		               [W_BASE_SELF] = { 403, 403 }, [W_BASE_OTHER] = { 403, 403 },
		               [W_PERSON] = { 403, 403 } },
	};
	static const char *const level[] = { "city", "district" };
	char *subject = public_subject();
	for (int t = 0; t < T__COUNT; t++) {
		char *b = t_new_base(NULL, level[t], GUSU, "accredited");
		for (int a = 0; a < A__COUNT; a++) {
			for (int w = 0; w < W__COUNT; w++) {
				char *tok = token_for((enum who)w, b);
				t_resp r;
				char *id = NULL;
				if (a == A_CREATE) {
					char *body = project_body(t_this_year() + 1, "public", subject, "full_time", SPLIT_OK);
					r = create(tok, b, body);
					free(body);
				} else {
					id = a == A_SUBMIT ? draft(b, t_this_year() + 1) : submitted(b);
					const char *fmt = a == A_SUBMIT ? "/v1/projects/%s/submit"
					                  : a == A_APPROVE ? "/v1/projects/%s/approve"
					                                   : "/v1/projects/%s/reject";
					r = t_post_path(tok, "{}", fmt, id);
				}
				cr_expect_eq(r.status, expect[a][w][t], "%s on a %s-level base's project as %s: %d %s",
				             act_name[a], level[t], who_name[w], r.status,
				             r.status >= 400 ? r.body : "");
				t_resp_free(&r);
				if (id && expect[a][w][t] >= 400) {
					char *s = project_status(id);
					cr_expect_str_eq(s, a == A_SUBMIT ? "draft" : "submitted", "a refusal changes nothing");
					free(s);
				}
				free(id);
				free(tok);
			}
		}
		free(b);
	}
	free(subject);
}

/* ---- lists, versions, replays ------------------------------------------- */

Test(projects, list_of_a_base_filters_and_shows_persons_approved_ones_only)
{
	char *b = t_new_base(NULL, "district", GUSU, "accredited");
	char *d = draft(b, t_this_year() + 1);
	char *a = submitted(b);
	char *gusu = t_token("district_bureau", GUSU);
	t_resp r = t_post_path(gusu, "{}", "/v1/projects/%s/approve", a);
	cr_assert_eq(r.status, 200);
	t_resp_free(&r);
	char path[160];
	snprintf(path, sizeof path, "/v1/bases/%s/projects?limit=1", b);
	char *self = t_token("base", b);
	r = t_get(path, self);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 1);
	cr_expect(json_is_string(json_object_get(r.json, "next_cursor")), "a second page");
	cr_expect(t_header(&r, "Link") != NULL);
	t_resp_free(&r);
	snprintf(path, sizeof path, "/v1/bases/%s/projects?status=draft", b);
	r = t_get(path, gusu);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 1);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "id")), d);
	t_resp_free(&r);
	char *person = t_token("person", NO_SUCH_ID);
	snprintf(path, sizeof path, "/v1/bases/%s/projects", b);
	r = t_get(path, person);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 1, "approved only: %s", r.body);
	t_resp_free(&r);
	char *huqiu = t_token("district_bureau", HUQIU);
	r = t_get(path, huqiu);
	cr_expect(t_is_problem(&r, 404), "another district's base: %d", r.status);
	t_resp_free(&r);
	snprintf(path, sizeof path, "/v1/bases/%s/projects?status=done", b);
	r = t_get(path, gusu);
	cr_expect(t_is_problem(&r, 400), "bad status: %d", r.status);
	t_resp_free(&r);
	snprintf(path, sizeof path, "/v1/bases/%s/projects?year=abc", b);
	r = t_get(path, gusu);
	cr_expect(t_is_problem(&r, 400), "bad year: %d", r.status);
	t_resp_free(&r);
	free(huqiu);
	free(person);
	free(self);
	free(gusu);
	free(a);
	free(d);
	free(b);
}

Test(projects, if_match_guards_the_actions)
{
	char *b = t_new_base(NULL, "district", GUSU, "accredited");
	char *id = draft(b, t_this_year() + 1);
	char *tok = t_token("base", b);
	char path[128];
	snprintf(path, sizeof path, "/v1/projects/%s/submit", id);
	const char *stale[] = { "Content-Type: application/json", "If-Match: \"v5\"", NULL };
	t_resp r = t_http("POST", path, tok, stale, "{}", 2);
	cr_expect(t_is_problem(&r, 412), "stale: %d", r.status);
	t_resp_free(&r);
	const char *fresh[] = { "Content-Type: application/json", "If-Match: \"v1\"", NULL };
	r = t_http("POST", path, tok, fresh, "{}", 2);
	cr_expect_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	free(tok);
	free(id);
	free(b);
}

Test(projects, D3_idempotent_create_replays_the_first_response)
{
	char *b = t_new_base(NULL, "district", GUSU, "accredited");
	char *subject = public_subject();
	char *tok = t_token("base", b);
	char *body = project_body(t_this_year() + 1, "public", subject, "full_time", SPLIT_OK);
	char hdr[120];
	snprintf(hdr, sizeof hdr, "Idempotency-Key: proj-%08x%08x", randombytes_random(), randombytes_random());
	const char *h[] = { "Content-Type: application/json", hdr, NULL };
	char path[128];
	snprintf(path, sizeof path, "/v1/bases/%s/projects", b);
	t_resp r1 = t_http("POST", path, tok, h, body, strlen(body));
	cr_assert_eq(r1.status, 201, "%s", r1.body);
	char loc[128] = "";
	if (t_header(&r1, "Location"))
		snprintf(loc, sizeof loc, "%s", t_header(&r1, "Location"));
	t_resp r2 = t_http("POST", path, tok, h, body, strlen(body));
	cr_expect_eq(r2.status, 201);
	cr_expect_str_eq(t_str(&r2, "id"), t_str(&r1, "id"));
	cr_expect(t_header(&r2, "Idempotent-Replayed") != NULL);
	cr_expect_str_eq(t_header(&r2, "Location") ? t_header(&r2, "Location") : "", loc, "Location replayed");
	cr_expect_eq(projects_of(b), 1, "one row");
	t_resp_free(&r1);
	t_resp_free(&r2);
	free(body);
	free(tok);
	free(subject);
	free(b);
}
