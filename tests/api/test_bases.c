/*
 * Bases over HTTP (API.md rows "bases: create / accredit / inspect /
 * suspend / revoke", "bases: read", "faculty roster: edit"; DOMAIN.md R-16,
 * Fixture bases are inserted as the superuser with fresh ids; the
 * accreditation thresholds are those of the 2013 city rule set (60 % senior
 * faculty, 80 % certified managers, five systems), for both levels.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "testlib.h"

#define GUSU "320508"
#define HUQIU "320505"
#define NO_SUCH_ID "11111111-2222-4333-8444-555555555555"

/* A roster meeting R-17 (1 senior of 1 faculty, 1 certified manager, all
 * five systems), inserted as the superuser. */
static void sql_good_roster(const char *base)
{
	const char *p[] = { base };
	PGconn *db = t_db();
	PQclear(t_sql(db, "INSERT INTO jxjy.base_faculty (base, ordinal, name, title_level)"
	                  " VALUES ($1, 1, '王教授', 'senior_full')", 1, p));
	PQclear(t_sql(db, "INSERT INTO jxjy.base_managers (base, ordinal, name, certified)"
	                  " VALUES ($1, 1, '赵主任', true)", 1, p));
	PQclear(t_sql(db, "INSERT INTO jxjy.base_systems (base, teaching_management, trainee_assessment,"
	                  " certificate_registration, fee_management, effect_tracking)"
	                  " VALUES ($1, true, true, true, true, true)", 1, p));
	PQfinish(db);
}

static char *base_status(const char *base)
{
	const char *p[] = { base };
	return t_sql1("SELECT status FROM jxjy.bases WHERE id = $1", 1, p);
}

static long audit_count(const char *action, const char *entity, const char *id)
{
	const char *p[] = { action, entity, id };
	return t_sql_count(NULL, "SELECT count(*) FROM jxjy.audit_log WHERE action = $1 AND entity = $2"
	                         " AND entity_id = $3", 3, p);
}

static t_resp put_roster(const char *tok, const char *base, const char *json)
{
	static const char *const ct[] = { "Content-Type: application/json", NULL };
	char path[128];
	snprintf(path, sizeof path, "/v1/bases/%s/faculty", base);
	return t_http("PUT", path, tok, ct, json, strlen(json));
}

/* A roster of `seniors` senior (alternately senior_full and senior_deputy:
 * R-17 counts both) among `faculty`, `certified` of `managers` certified,
 * every system true except `missing` (NULL: none). */
static char *roster_json(int seniors, int faculty, int certified, int managers, const char *missing)
{
	size_t cap = 4096;
	char *s = malloc(cap);
	size_t n = (size_t)snprintf(s, cap, "{\"faculty\":[");
	for (int i = 0; i < faculty; i++)
		n += (size_t)snprintf(s + n, cap - n, "%s{\"name\":\"教师%d\",\"title_level\":\"%s\"}",
		                      i ? "," : "", i,
		                      i < seniors ? (i % 2 ? "senior_deputy" : "senior_full")
		                                  : (i % 2 ? "intermediate" : "junior_assistant"));
	n += (size_t)snprintf(s + n, cap - n, "],\"managers\":[");
	for (int i = 0; i < managers; i++)
		n += (size_t)snprintf(s + n, cap - n, "%s{\"name\":\"管理员%d\",\"certified\":%s}",
		                      i ? "," : "", i, i < certified ? "true" : "false");
	n += (size_t)snprintf(s + n, cap - n, "],\"systems\":{");
	static const char *const sys[] = { "teaching_management", "trainee_assessment",
	                                   "certificate_registration", "fee_management",
	                                   "effect_tracking" };
	for (int i = 0; i < 5; i++)
		n += (size_t)snprintf(s + n, cap - n, "%s\"%s\":%s", i ? "," : "", sys[i],
		                      missing && !strcmp(missing, sys[i]) ? "false" : "true");
	snprintf(s + n, cap - n, "}}");
	return s;
}

/* Puts the roster as the city bureau, then asks for accreditation. */
static t_resp accredit_with(const char *base, int seniors, int faculty, int certified, int managers,
                            const char *missing)
{
	char *city = t_token("city_bureau", NULL);
	char *json = roster_json(seniors, faculty, certified, managers, missing);
	t_resp r = put_roster(city, base, json);
	cr_assert_eq(r.status, 200, "roster: %d %s", r.status, r.body);
	t_resp_free(&r);
	free(json);
	r = t_post_path(city, "{}", "/v1/bases/%s/accredit", base);
	free(city);
	return r;
}

/* ---- creation (R-16) ---------------------------------------------------- */

Test(bases, R16_city_bureau_creates_a_base_in_status_applied)
{
	char *city = t_token("city_bureau", NULL);
	t_resp r = t_post_json("/v1/bases", city, "{\"name\":\"苏州市专业技术人员继续教育基地\",\"level\":\"city\","
	                                            "\"district\":\"" GUSU "\",\"contact_phone\":\"0512-1234567\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "applied");
	cr_expect_str_eq(t_str(&r, "level"), "city");
	cr_expect_str_eq(t_str(&r, "district"), GUSU);
	const char *loc = t_header(&r, "Location");
	char path[128] = "";
	if (loc)
		snprintf(path, sizeof path, "%s", loc);
	cr_expect(!strncmp(path, "/v1/bases/", 10), "Location: %s", path);
	cr_expect(t_header(&r, "ETag") != NULL, "ETag on the created base");
	char *id = strdup(t_str(&r, "id"));
	t_resp_free(&r);

	r = t_get(path, city);
	cr_expect_eq(r.status, 200);
	json_t *roster = json_object_get(r.json, "roster");
	cr_expect_eq(json_array_size(json_object_get(roster, "faculty")), 0, "no faculty yet");
	cr_expect(json_is_false(json_object_get(json_object_get(roster, "systems"), "fee_management")));
	t_resp_free(&r);
	cr_expect_eq(audit_count("create", "base", id), 1, "the creation is audited");
	free(id);
	free(city);
}

Test(bases, R16_district_bureau_creates_only_district_level_bases_of_its_district)
{
	char *gusu = t_token("district_bureau", GUSU);
	t_resp r = t_post_json("/v1/bases", gusu, "{\"name\":\"姑苏区继续教育基地\",\"level\":\"district\","
	                                            "\"district\":\"" GUSU "\"}");
	cr_expect_eq(r.status, 201, "own district, district level: %s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "applied");
	t_resp_free(&r);
	r = t_post_json("/v1/bases", gusu, "{\"name\":\"市级基地\",\"level\":\"city\",\"district\":\"" GUSU "\"}");
	cr_expect(t_is_problem(&r, 403), "a city-level base: %d", r.status);
	t_resp_free(&r);
	r = t_post_json("/v1/bases", gusu, "{\"name\":\"虎丘基地\",\"level\":\"district\",\"district\":\"" HUQIU "\"}");
	cr_expect(t_is_problem(&r, 403), "another district: %d", r.status);
	t_resp_free(&r);
	free(gusu);
}

Test(bases, create_validation_names_the_bad_fields_and_stores_nothing)
{
	char *city = t_token("city_bureau", NULL);
	long before = t_sql_count(NULL, "SELECT count(*) FROM jxjy.bases", 0, NULL);
	t_resp r = t_post_json("/v1/bases", city, "{\"name\":\"\",\"level\":\"province\",\"district\":\"32050\"}");
	cr_assert(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "name", NULL) && t_has_error(&r, "level", NULL) && t_has_error(&r, "district", NULL),
	          "%s", r.body);
	t_resp_free(&r);
	r = t_post_json("/v1/bases", city, "{\"name\":\"x\",\"level\":\"city\",\"district\":\"999999\"}");
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "district", "unknown"), "unknown district: %s", r.body);
	t_resp_free(&r);
	r = t_post_json("/v1/bases", city, "{\"name\":\"x\",\"level\":\"city\",\"district\":\"" GUSU "\",\"status\":\"accredited\"}");
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "status", NULL), "mass assignment refused: %s", r.body);
	t_resp_free(&r);
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.bases", 0, NULL), before, "nothing stored");
	free(city);
}

/* ---- accreditation (R-17) ----------------------------------------------- */

Test(bases, R17_six_of_ten_senior_faculty_meets_sixty_percent)
{
	char *b = t_new_base(NULL, "city", GUSU, "applied");
	t_resp r = accredit_with(b, 6, 10, 5, 5, NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "accredited");
	cr_expect(t_str(&r, "accredited_at") != NULL);
	t_resp_free(&r);
	cr_expect_eq(audit_count("accredit", "base", b), 1);
	free(b);
}

Test(bases, R17_five_of_ten_senior_faculty_fails_and_the_base_stays_applied)
{
	char *b = t_new_base(NULL, "city", GUSU, "applied");
	t_resp r = accredit_with(b, 5, 10, 5, 5, NULL);
	cr_assert(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "errors")), 1, "%s", r.body);
	cr_expect(t_has_error(&r, "senior_faculty_share", "below_threshold"), "%s", r.body);
	t_resp_free(&r);
	char *s = base_status(b);
	cr_expect_str_eq(s, "applied");
	cr_expect_eq(audit_count("accredit", "base", b), 0, "a refusal changes nothing");
	free(s);
	free(b);
}

Test(bases, R17_four_of_five_certified_managers_pass_three_of_five_fail)
{
	char *ok = t_new_base(NULL, "city", GUSU, "applied");
	t_resp r = accredit_with(ok, 10, 10, 4, 5, NULL);
	cr_expect_eq(r.status, 200, "4/5 = 80 %%: %s", r.body);
	t_resp_free(&r);
	char *bad = t_new_base(NULL, "city", GUSU, "applied");
	r = accredit_with(bad, 10, 10, 3, 5, NULL);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "certified_manager_share", NULL), "3/5: %s", r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "errors")), 1);
	t_resp_free(&r);
	free(ok);
	free(bad);
}

Test(bases, R17_a_missing_management_system_fails)
{
	char *b = t_new_base(NULL, "city", GUSU, "applied");
	t_resp r = accredit_with(b, 10, 10, 5, 5, "effect_tracking");
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "management_systems", "missing"), "%s", r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "errors")), 1);
	cr_expect(strstr(r.body, "effect_tracking") != NULL, "the message names the system");
	t_resp_free(&r);
	free(b);
}

Test(bases, R17_all_three_criteria_failing_give_three_errors)
{
	char *b = t_new_base(NULL, "city", GUSU, "applied");
	t_resp r = accredit_with(b, 1, 10, 0, 5, "fee_management");
	cr_assert(t_is_problem(&r, 422), "%d", r.status);
	cr_expect_eq(json_array_size(json_object_get(r.json, "errors")), 3, "%s", r.body);
	cr_expect(t_has_error(&r, "senior_faculty_share", NULL));
	cr_expect(t_has_error(&r, "certified_manager_share", NULL));
	cr_expect(t_has_error(&r, "management_systems", NULL));
	t_resp_free(&r);
	/* an empty roster fails every share as well */
	char *empty = t_new_base(NULL, "district", GUSU, "applied");
	char *city = t_token("city_bureau", NULL);
	r = t_post_path(city, "{}", "/v1/bases/%s/accredit", empty);
	cr_expect(t_is_problem(&r, 422) && json_array_size(json_object_get(r.json, "errors")) == 3, "%s", r.body);
	t_resp_free(&r);
	free(city);
	free(empty);
	free(b);
}

Test(bases, R16_district_level_base_is_accredited_by_its_districts_bureau)
{
	char *b = t_new_base(NULL, "district", GUSU, "applied");
	char *gusu = t_token("district_bureau", GUSU);
	char *huqiu = t_token("district_bureau", HUQIU);
	char *json = roster_json(3, 5, 4, 5, NULL);
	t_resp r = put_roster(gusu, b, json);
	cr_expect_eq(r.status, 200, "its bureau edits the roster: %s", r.body);
	t_resp_free(&r);
	r = t_post_path(huqiu, "{}", "/v1/bases/%s/accredit", b);
	cr_expect(t_is_problem(&r, 404), "another district's bureau: %d", r.status);
	t_resp_free(&r);
	r = t_post_path(gusu, "{}", "/v1/bases/%s/accredit", b);
	cr_expect_eq(r.status, 200, "3/5 = 60 %% and 4/5 = 80 %% (district thresholds): %s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "accredited");
	t_resp_free(&r);
	free(json);
	free(huqiu);
	free(gusu);
	free(b);
}

Test(bases, R16_district_bureau_on_a_city_level_base_of_its_district_is_403)
{
	char *b = t_new_base(NULL, "city", GUSU, "applied");
	sql_good_roster(b);
	char *gusu = t_token("district_bureau", GUSU);
	t_resp r;
	char path[128];
	snprintf(path, sizeof path, "/v1/bases/%s", b);
	r = t_get(path, gusu);
	cr_expect_eq(r.status, 200, "it sees the bases of its district");
	t_resp_free(&r);
	static const char *const actions[] = { "accredit", "suspend", "reinstate", "revoke" };
	for (int i = 0; i < 4; i++) {
		char fmt[64];
		snprintf(fmt, sizeof fmt, "/v1/bases/%%s/%s", actions[i]);
		r = t_post_path(gusu, "{\"reason\":\"检查\"}", fmt, b);
		cr_expect(t_is_problem(&r, 403), "%s: %d", actions[i], r.status);
		t_resp_free(&r);
	}
	r = t_post_path(gusu, "{\"inspected_on\":\"2024-05-01\",\"result\":\"passed\"}", "/v1/bases/%s/inspections", b);
	cr_expect(t_is_problem(&r, 403), "inspect: %d", r.status);
	t_resp_free(&r);
	char *s = base_status(b);
	cr_expect_str_eq(s, "applied", "nothing changed");
	free(s);
	free(gusu);
	free(b);
}

/* ---- suspend, reinstate, revoke (R-16) ---------------------------------- */

Test(bases, R16_suspend_reinstate_revoke_and_illegal_transitions)
{
	char *b = t_new_base(NULL, "city", GUSU, "accredited");
	char *city = t_token("city_bureau", NULL);
	t_resp r = t_post_path(city, "{}", "/v1/bases/%s/suspend", b);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "reason", "required"), "suspend needs a reason: %s", r.body);
	t_resp_free(&r);
	r = t_post_path(city, "{\"reason\":\"年检发现问题\"}", "/v1/bases/%s/suspend", b);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "suspended");
	cr_expect_str_eq(t_str(&r, "status_reason"), "年检发现问题");
	t_resp_free(&r);
	r = t_post_path(city, "{\"reason\":\"again\"}", "/v1/bases/%s/suspend", b);
	cr_expect(t_is_problem(&r, 409), "suspending a suspended base: %d", r.status);
	t_resp_free(&r);
	r = t_post_path(city, "{}", "/v1/bases/%s/accredit", b);
	cr_expect(t_is_problem(&r, 409), "accrediting a suspended base: %d", r.status);
	t_resp_free(&r);
	r = t_post_path(city, "{}", "/v1/bases/%s/reinstate", b);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "accredited");
	t_resp_free(&r);
	r = t_post_path(city, "{}", "/v1/bases/%s/revoke", b);
	cr_expect(t_is_problem(&r, 422), "revoke needs a reason");
	t_resp_free(&r);
	r = t_post_path(city, "{\"reason\":\"质量不达标\"}", "/v1/bases/%s/revoke", b);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "revoked");
	t_resp_free(&r);
	static const char *const after[] = { "reinstate", "suspend", "revoke", "accredit" };
	for (int i = 0; i < 4; i++) {
		char fmt[64];
		snprintf(fmt, sizeof fmt, "/v1/bases/%%s/%s", after[i]);
		r = t_post_path(city, "{\"reason\":\"x\"}", fmt, b);
		cr_expect(t_is_problem(&r, 409), "%s of a revoked base: %d", after[i], r.status);
		t_resp_free(&r);
	}
	cr_expect_eq(audit_count("suspend", "base", b), 1);
	cr_expect_eq(audit_count("reinstate", "base", b), 1);
	cr_expect_eq(audit_count("revoke", "base", b), 1);
	/* an applied base cannot be suspended either */
	char *a = t_new_base(NULL, "city", GUSU, "applied");
	r = t_post_path(city, "{\"reason\":\"x\"}", "/v1/bases/%s/suspend", a);
	cr_expect(t_is_problem(&r, 409), "suspending an applied base: %d", r.status);
	t_resp_free(&r);
	free(a);
	free(city);
	free(b);
}

/* ---- faculty roster ----------------------------------------------------- */

Test(bases, faculty_put_replaces_the_roster_and_answers_it)
{
	char *b = t_new_base(NULL, "district", GUSU, "applied");
	char *self = t_token("base", b);
	char *json = roster_json(2, 4, 1, 2, NULL);
	t_resp r = put_roster(self, b, json);
	cr_assert_eq(r.status, 200, "the base edits its own roster: %s", r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "faculty")), 4);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r.json, "faculty"), 1),
	                                                   "title_level")), "senior_deputy");
	t_resp_free(&r);
	free(json);
	json = roster_json(1, 1, 0, 0, "trainee_assessment");
	r = put_roster(self, b, json);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(json_array_size(json_object_get(r.json, "faculty")), 1, "replaced, not appended");
	cr_expect_eq(json_array_size(json_object_get(r.json, "managers")), 0);
	cr_expect(json_is_false(json_object_get(json_object_get(r.json, "systems"), "trainee_assessment")));
	t_resp_free(&r);
	const char *p[] = { b };
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.base_faculty WHERE base = $1", 1, p), 1);
	cr_expect_eq(audit_count("update", "base_faculty", b), 2, "each replacement is audited");

	r = put_roster(self, b, "{\"faculty\":[{\"name\":\"a\",\"title_level\":\"professor\"},{\"title_level\":\"intermediate\"}],"
	                        "\"managers\":[{\"name\":\"m\",\"certified\":\"yes\"}],\"systems\":{\"teaching_management\":true}}");
	cr_expect(t_is_problem(&r, 422), "%d", r.status);
	cr_expect(t_has_error(&r, "faculty[0].title_level", NULL), "%s", r.body);
	cr_expect(t_has_error(&r, "faculty[1].name", "required"), "%s", r.body);
	cr_expect(t_has_error(&r, "managers[0].certified", NULL), "%s", r.body);
	cr_expect(t_has_error(&r, "systems.fee_management", "required"), "%s", r.body);
	t_resp_free(&r);
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.base_faculty WHERE base = $1", 1, p), 1, "unchanged");

	char *other = t_new_base(NULL, "district", GUSU, "applied");
	char *other_tok = t_token("base", other);
	json = roster_json(1, 1, 1, 1, NULL);
	r = put_roster(other_tok, b, json);
	cr_expect(t_is_problem(&r, 404), "another base's roster: %d", r.status);
	t_resp_free(&r);
	free(json);
	free(other_tok);
	free(other);
	free(self);
	free(b);
}

/* Issue 11 ("a district bureau can rewrite the faculty roster of a city-level
 * base in its district"): the roster is an R-17 input of an accreditation
 * that is the city bureau's (API.md matrix, bases: accredit "city level: only
 * city"), so the district bureau is refused as on every other city-level
 * base action (403), and the roster, its systems and the audit are unchanged. */
Test(bases, faculty_put_by_district_on_city_level_base_is_403_and_changes_nothing)
{
	char *b = t_new_base(NULL, "city", GUSU, "applied");
	sql_good_roster(b);
	char *gusu = t_token("district_bureau", GUSU);
	char *json = roster_json(0, 3, 0, 0, "fee_management");
	t_resp r = put_roster(gusu, b, json);
	cr_expect(t_is_problem(&r, 403), "district bureau on a city-level base: %d %s", r.status, r.body);
	t_resp_free(&r);
	const char *p[] = { b };
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.base_faculty WHERE base = $1"
	                               " AND title_level = 'senior_full'", 1, p), 1, "faculty unchanged");
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.base_faculty WHERE base = $1", 1, p), 1);
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.base_managers WHERE base = $1", 1, p), 1);
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.base_systems WHERE base = $1"
	                               " AND fee_management", 1, p), 1, "systems unchanged");
	cr_expect_eq(audit_count("update", "base_faculty", b), 0, "nothing audited");

	/* the city bureau and the base itself still may */
	char *city = t_token("city_bureau", NULL);
	r = put_roster(city, b, json);
	cr_expect_eq(r.status, 200, "city bureau: %d %s", r.status, r.body);
	t_resp_free(&r);
	char *self = t_token("base", b);
	r = put_roster(self, b, json);
	cr_expect_eq(r.status, 200, "the base itself: %d %s", r.status, r.body);
	t_resp_free(&r);
	free(self);
	free(city);
	free(json);
	free(gusu);
	free(b);
}

/* ---- the permission matrix, generated from one table -------------------- */

enum target { T_CITY_GUSU, T_DISTRICT_GUSU, T_DISTRICT_HUQIU, T__COUNT };
enum who { W_CITY, W_GUSU, W_INDUSTRY, W_UNIT, W_BASE_SELF, W_BASE_OTHER, W_PERSON, W__COUNT };

static char *token_for(enum who w, const char *target_base)
{
	switch (w) {
	case W_CITY: return t_token("city_bureau", NULL);
	case W_GUSU: return t_token("district_bureau", GUSU);
	case W_INDUSTRY: return t_token("industry_authority", "education");
	case W_UNIT: return t_token("unit", NO_SUCH_ID);
	case W_BASE_SELF: return t_token("base", target_base);
	case W_BASE_OTHER: return t_token("base", NO_SUCH_ID);
	default: return t_token("person", NO_SUCH_ID);
	}
}

static const char *const who_name[] = { "city", "gusu bureau", "industry", "unit", "base self",
                                        "other base", "person" };
static const char *const target_name[] = { "city-level in gusu", "district-level in gusu",
                                           "district-level in huqiu" };

Test(bases, A1_read_matrix_generated_from_one_table)
{
	/* bases: read — all | dist | all | all | self | all */
	static const int expect[W__COUNT][T__COUNT] = {
		[W_CITY] = { 200, 200, 200 },
		[W_GUSU] = { 200, 200, 404 },
		[W_INDUSTRY] = { 200, 200, 200 },
		[W_UNIT] = { 200, 200, 200 },
		[W_BASE_SELF] = { 200, 200, 200 },
		[W_BASE_OTHER] = { 404, 404, 404 },
		[W_PERSON] = { 200, 200, 200 },
	};
	static const char *const level[] = { "city", "district", "district" };
	static const char *const district[] = { GUSU, GUSU, HUQIU };
	for (int t = 0; t < T__COUNT; t++) {
		char *b = t_new_base(NULL, level[t], district[t], "accredited");
		for (int w = 0; w < W__COUNT; w++) {
			char *tok = token_for((enum who)w, b);
			char path[128];
			snprintf(path, sizeof path, "/v1/bases/%s", b);
			t_resp r = t_get(path, tok);
			cr_expect_eq(r.status, expect[w][t], "GET %s as %s: %d", target_name[t], who_name[w], r.status);
			t_resp_free(&r);
			snprintf(path, sizeof path, "/v1/bases/%s/inspections", b);
			r = t_get(path, tok);
			cr_expect_eq(r.status, expect[w][t], "inspections of %s as %s: %d", target_name[t],
			             who_name[w], r.status);
			t_resp_free(&r);
			free(tok);
		}
		free(b);
	}
}

Test(bases, A1_write_matrix_generated_from_one_table)
{
	/* accredit / suspend / inspect: all (city level: only city) | district-level bases in
	 * dist | — | — | — | —;  faculty roster: edit: all | dist (district-level bases:
	 * the roster is an R-17 input, issue 11) | — | — | self | — */
	enum act { A_ACCREDIT, A_SUSPEND, A_INSPECT, A_FACULTY, A__COUNT };
	static const char *const act_name[] = { "accredit", "suspend", "inspect", "faculty" };
	static const int expect[A__COUNT][W__COUNT][T__COUNT] = {
		[A_ACCREDIT] = {
			[W_CITY] = { 200, 200, 200 }, [W_GUSU] = { 403, 200, 404 },
			[W_INDUSTRY] = { 403, 403, 403 }, [W_UNIT] = { 403, 403, 403 },
			[W_BASE_SELF] = { 403, 403, 403 }, [W_BASE_OTHER] = { 403, 403, 403 },
			[W_PERSON] = { 403, 403, 403 } },
		[A_SUSPEND] = {
			[W_CITY] = { 200, 200, 200 }, [W_GUSU] = { 403, 200, 404 },
			[W_INDUSTRY] = { 403, 403, 403 }, [W_UNIT] = { 403, 403, 403 },
			[W_BASE_SELF] = { 403, 403, 403 }, [W_BASE_OTHER] = { 403, 403, 403 },
			[W_PERSON] = { 403, 403, 403 } },
		[A_INSPECT] = {
			[W_CITY] = { 201, 201, 201 }, [W_GUSU] = { 403, 201, 404 },
			[W_INDUSTRY] = { 403, 403, 403 }, [W_UNIT] = { 403, 403, 403 },
			[W_BASE_SELF] = { 403, 403, 403 }, [W_BASE_OTHER] = { 403, 403, 403 },
			[W_PERSON] = { 403, 403, 403 } },
		[A_FACULTY] = {
			/* issue 11: a district bureau on a city-level base of its district is 403 */
			[W_CITY] = { 200, 200, 200 }, [W_GUSU] = { 403, 200, 404 },
			[W_INDUSTRY] = { 403, 403, 403 }, [W_UNIT] = { 403, 403, 403 },
			[W_BASE_SELF] = { 200, 200, 200 }, [W_BASE_OTHER] = { 404, 404, 404 },
			[W_PERSON] = { 403, 403, 403 } },
	};
	static const char *const level[] = { "city", "district", "district" };
	static const char *const district[] = { GUSU, GUSU, HUQIU };
	char *roster = roster_json(1, 1, 1, 1, NULL);
	for (int a = 0; a < A__COUNT; a++) {
		for (int t = 0; t < T__COUNT; t++) {
			for (int w = 0; w < W__COUNT; w++) {
				/* a fresh base per cell, in the status the action starts from */
				char *b = t_new_base(NULL, level[t], district[t], a == A_ACCREDIT ? "applied" : "accredited");
				sql_good_roster(b);
				char *tok = token_for((enum who)w, b);
				t_resp r;
				switch (a) {
				case A_ACCREDIT: r = t_post_path(tok, "{}", "/v1/bases/%s/accredit", b); break;
				case A_SUSPEND: r = t_post_path(tok, "{\"reason\":\"抽查\"}", "/v1/bases/%s/suspend", b); break;
				case A_INSPECT:
					r = t_post_path(tok, "{\"inspected_on\":\"2024-06-01\",\"result\":\"passed\",\"score\":88.5}",
					                "/v1/bases/%s/inspections", b);
					break;
				default: r = put_roster(tok, b, roster); break;
				}
				cr_expect_eq(r.status, expect[a][w][t], "%s %s as %s: %d %s", act_name[a], target_name[t],
				             who_name[w], r.status, r.status >= 400 ? r.body : "");
				t_resp_free(&r);
				/* a refusal changed nothing */
				if (expect[a][w][t] >= 400 && a != A_INSPECT && a != A_FACULTY) {
					char *s = base_status(b);
					cr_expect_str_eq(s, a == A_ACCREDIT ? "applied" : "accredited");
					free(s);
				}
				free(tok);
				free(b);
			}
		}
	}
	free(roster);
}

/* ---- lists -------------------------------------------------------------- */

/* Walks every page of path; counts how often `id` appears and checks that
 * every item satisfies `key == value` (when key is given). */
static int walk(const char *first, const char *tok, const char *id, const char *key, const char *value)
{
	char path[512];
	snprintf(path, sizeof path, "%s", first);
	int seen = 0;
	for (int pages = 0; pages < 500; pages++) {
		t_resp r = t_get(path, tok);
		cr_assert_eq(r.status, 200, "%s: %s", path, r.body);
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(r.json, "items"), i, it) {
			if (!strcmp(json_string_value(json_object_get(it, "id")), id))
				seen++;
			if (key)
				cr_expect_str_eq(json_string_value(json_object_get(it, key)), value, "%s", path);
		}
		json_t *next = json_object_get(r.json, "next_cursor");
		if (!json_is_string(next)) {
			t_resp_free(&r);
			break;
		}
		const char *link = t_header(&r, "Link");
		cr_expect(link && strstr(link, "rel=\"next\""));
		snprintf(path, sizeof path, "%s%scursor=%s", first, strchr(first, '?') ? "&" : "?",
		         json_string_value(next));
		t_resp_free(&r);
	}
	return seen;
}

Test(bases, lists_are_scoped_to_the_callers_jurisdiction)
{
	char *mine = t_new_base(NULL, "district", GUSU, "revoked");
	char *theirs = t_new_base(NULL, "district", HUQIU, "revoked");
	char *gusu = t_token("district_bureau", GUSU);
	cr_expect_eq(walk("/v1/bases?status=revoked&limit=3", gusu, mine, "district", GUSU), 1);
	cr_expect_eq(walk("/v1/bases?status=revoked&limit=3", gusu, theirs, NULL, NULL), 0,
	             "another district's base is not listed");
	char *city = t_token("city_bureau", NULL);
	cr_expect_eq(walk("/v1/bases?district=" HUQIU "&level=district&limit=5", city, theirs, "district", HUQIU), 1);
	char *self = t_token("base", mine);
	cr_expect_eq(walk("/v1/bases", self, mine, "id", mine), 1, "a base lists itself only");
	t_resp r = t_get("/v1/bases?level=province", city);
	cr_expect(t_is_problem(&r, 400), "bad level: %d", r.status);
	t_resp_free(&r);
	r = t_get("/v1/bases?colour=red", city);
	cr_expect(t_is_problem(&r, 400), "unknown parameter: %d", r.status);
	t_resp_free(&r);
	r = t_get("/v1/bases?cursor=bm9wZQ", city);
	cr_expect(t_is_problem(&r, 400), "forged cursor: %d", r.status);
	t_resp_free(&r);
	free(self);
	free(city);
	free(gusu);
	free(theirs);
	free(mine);
}

/* ---- inspections -------------------------------------------------------- */

Test(bases, inspections_are_recorded_audited_listed_and_validated)
{
	char *b = t_new_base(NULL, "district", GUSU, "accredited");
	char *gusu = t_token("district_bureau", GUSU);
	t_resp r = t_post_path(gusu, "{\"inspected_on\":\"2024-11-20\",\"result\":\"failed\",\"score\":55.5,"
	                             "\"findings\":\"培训档案不全\"}", "/v1/bases/%s/inspections", b);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "result"), "failed");
	cr_expect(json_real_value(json_object_get(r.json, "score")) == 55.5, "%s", r.body);
	char loc[256] = "";
	if (t_header(&r, "Location"))
		snprintf(loc, sizeof loc, "%s", t_header(&r, "Location"));
	char *iid = strdup(t_str(&r, "id"));
	t_resp_free(&r);
	char *self = t_token("base", b);
	r = t_get(loc, self);
	cr_expect_eq(r.status, 200, "the base reads its inspection at %s", loc);
	t_resp_free(&r);
	char path[160];
	snprintf(path, sizeof path, "/v1/bases/%s/inspections", b);
	cr_expect_eq(walk(path, self, iid, "base", b), 1);
	cr_expect_eq(audit_count("inspect", "inspection", iid), 1);
	char *s = base_status(b);
	cr_expect_str_eq(s, "accredited", "a failed inspection alone does not revoke");
	free(s);

	r = t_post_path(gusu, "{\"inspected_on\":\"2999-01-01\",\"result\":\"excellent\",\"score\":101}",
	                "/v1/bases/%s/inspections", b);
	cr_expect(t_is_problem(&r, 422), "%d", r.status);
	cr_expect(t_has_error(&r, "inspected_on", "in_future") && t_has_error(&r, "result", NULL) &&
	          t_has_error(&r, "score", NULL), "%s", r.body);
	t_resp_free(&r);
	r = t_post_path(gusu, "{\"result\":\"passed\"}", "/v1/bases/%s/inspections", b);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "inspected_on", "required"), "%s", r.body);
	t_resp_free(&r);
	char *huqiu = t_token("district_bureau", HUQIU);
	snprintf(path, sizeof path, "%s", loc);
	r = t_get(path, huqiu);
	cr_expect(t_is_problem(&r, 404), "another district: %d", r.status);
	t_resp_free(&r);
	free(huqiu);
	free(self);
	free(iid);
	free(gusu);
	free(b);
}

/* ---- versions, replays, odd ids ----------------------------------------- */

Test(bases, etag_and_if_match_guard_the_actions)
{
	char *b = t_new_base(NULL, "city", GUSU, "applied");
	sql_good_roster(b);
	char *city = t_token("city_bureau", NULL);
	char path[128];
	snprintf(path, sizeof path, "/v1/bases/%s", b);
	t_resp r = t_get(path, city);
	char etag[32] = "";
	if (t_header(&r, "ETag"))
		snprintf(etag, sizeof etag, "%s", t_header(&r, "ETag"));
	cr_expect_str_eq(etag, "\"v1\"");
	t_resp_free(&r);
	snprintf(path, sizeof path, "/v1/bases/%s/accredit", b);
	const char *stale[] = { "Content-Type: application/json", "If-Match: \"v7\"", NULL };
	r = t_http("POST", path, city, stale, "{}", 2);
	cr_expect(t_is_problem(&r, 412), "stale ETag: %d", r.status);
	t_resp_free(&r);
	char *s = base_status(b);
	cr_expect_str_eq(s, "applied");
	free(s);
	char im[64];
	snprintf(im, sizeof im, "If-Match: %s", etag);
	const char *fresh[] = { "Content-Type: application/json", im, NULL };
	r = t_http("POST", path, city, fresh, "{}", 2);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_header(&r, "ETag"), "\"v2\"");
	t_resp_free(&r);
	free(city);
	free(b);
}

Test(bases, D3_idempotent_create_replays_the_first_response)
{
	char *city = t_token("city_bureau", NULL);
	char key[80], hdr[120], name[64], body[256];
	snprintf(key, sizeof key, "bases-%08x%08x", randombytes_random(), randombytes_random());
	snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", key);
	snprintf(name, sizeof name, "幂等基地-%08x", randombytes_random());
	snprintf(body, sizeof body, "{\"name\":\"%s\",\"level\":\"city\",\"district\":\"" GUSU "\"}", name);
	const char *h[] = { "Content-Type: application/json", hdr, NULL };
	t_resp a = t_http("POST", "/v1/bases", city, h, body, strlen(body));
	cr_assert_eq(a.status, 201, "%s", a.body);
	t_resp b = t_http("POST", "/v1/bases", city, h, body, strlen(body));
	cr_expect_eq(b.status, 201);
	cr_expect_str_eq(t_str(&b, "id"), t_str(&a, "id"), "the same base");
	cr_expect(t_header(&b, "Idempotent-Replayed") != NULL);
	const char *p[] = { name };
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.bases WHERE name = $1", 1, p), 1, "one row");
	t_resp c = t_http("POST", "/v1/bases", city, h, "{\"name\":\"other\",\"level\":\"city\",\"district\":\"" GUSU "\"}",
	                  strlen("{\"name\":\"other\",\"level\":\"city\",\"district\":\"" GUSU "\"}"));
	cr_expect(t_is_problem(&c, 422), "same key, other body: %d", c.status);
	t_resp_free(&a);
	t_resp_free(&b);
	t_resp_free(&c);
	free(city);
}

Test(bases, unknown_and_malformed_ids_are_404)
{
	char *city = t_token("city_bureau", NULL);
	static const char *const paths[] = { "/v1/bases/not-a-uuid", "/v1/bases/" NO_SUCH_ID,
	                                     "/v1/bases/" NO_SUCH_ID "/inspections",
	                                     "/v1/bases/" NO_SUCH_ID "/inspections/" NO_SUCH_ID };
	for (int i = 0; i < 4; i++) {
		t_resp r = t_get(paths[i], city);
		cr_expect(t_is_problem(&r, 404), "%s: %d", paths[i], r.status);
		t_resp_free(&r);
	}
	t_resp r = t_post_json("/v1/bases/" NO_SUCH_ID "/accredit", city, "{}");
	cr_expect(t_is_problem(&r, 404), "accredit nothing: %d", r.status);
	t_resp_free(&r);
	r = put_roster(city, NO_SUCH_ID, "{\"faculty\":[],\"managers\":[],\"systems\":{\"teaching_management\":true,"
	                                 "\"trainee_assessment\":true,\"certificate_registration\":true,"
	                                 "\"fee_management\":true,\"effect_tracking\":true}}");
	cr_expect(t_is_problem(&r, 404), "roster of nothing: %d", r.status);
	t_resp_free(&r);
	free(city);
}
