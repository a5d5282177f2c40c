/*
 * Unit evaluations and commendations over HTTP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "testlib.h"

static char *new_person(PGconn *db, const char *unit, const char *status)
{
	char nid[19];
	t_make_resident_id(nid, randombytes_random());
	const char *p[] = { nid, unit, status };
	return t_sql_value(db, "INSERT INTO jxjy.persons (national_id, name, unit, district, industry,"
	                       " title_level, cycle_start_year, status) SELECT $1, '王芳', u.id, u.district,"
	                       " u.industry, 'intermediate', 2020, $3::jxjy.person_status"
	                       " FROM jxjy.units u WHERE u.id = $2 RETURNING id", 3, p);
}

/* a decided person-year, as core would have stored it */
static void summary(PGconn *db, const char *person, int year, bool compliant)
{
	char y[8];
	snprintf(y, sizeof y, "%d", year);
	const char *p[] = { person, y, compliant ? "true" : "false" };
	PQclear(t_sql(db, "INSERT INTO jxjy.person_year_summary (person, year, rule_set, title_level,"
	                  " district, industry, unit, public_verified, professional_verified,"
	                  " required_public, required_professional, compliant)"
	                  " SELECT p.id, $2::int, '00000000-0000-4000-8000-000000002013', p.title_level,"
	                  " p.district, p.industry, p.unit, 24, CASE WHEN $3::bool THEN 48 ELSE 10 END,"
	                  " 24, 48, $3::bool FROM jxjy.persons p WHERE p.id = $1", 3, p));
}

Test(evaluations, R26_compliance_rate_is_attached_from_in_service_staff)
{
	PGconn *db = t_db();
	char *unit = t_new_unit(db, "320507", "health");
	for (int i = 0; i < 4; i++) {
		char *p = new_person(db, unit, "in_service");
		summary(db, p, 2025, i < 3);
		free(p);
	}
	/* someone who left does not count, even if compliant */
	char *gone = new_person(db, unit, "left");
	summary(db, gone, 2025, true);
	PQfinish(db);
	char *tok = t_token("district_bureau", "320507");
	char path[128];
	snprintf(path, sizeof path, "/v1/units/%s/evaluations", unit);
	t_resp r = t_post_json(path, tok, "{\"year\":2025,\"grade\":\"良好\",\"notes\":\"继续教育组织有序\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_float_eq(json_number_value(json_object_get(r.json, "compliance_rate")), 0.75, 1e-9,
	                   "3 of 4 in-service staff compliant: %s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "grade")), "良好");
	t_resp_free(&r);
	/* one per unit and year */
	r = t_post_json(path, tok, "{\"year\":2025,\"grade\":\"优秀\"}");
	cr_expect(t_is_problem(&r, 409), "second evaluation: %d", r.status);
	t_resp_free(&r);
	/* the unit reads its own evaluations */
	char *unit_tok = t_token("unit", unit);
	r = t_get(path, unit_tok);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 1);
	t_resp_free(&r);
	free(unit_tok);
	free(tok);
	free(gone);
	free(unit);
}

Test(evaluations, a_unit_with_no_staff_has_rate_zero)
{
	PGconn *db = t_db();
	char *unit = t_new_unit(db, "320507", "health");
	PQfinish(db);
	char *tok = t_token("city_bureau", NULL);
	char path[128];
	snprintf(path, sizeof path, "/v1/units/%s/evaluations", unit);
	t_resp r = t_post_json(path, tok, "{\"year\":2024,\"grade\":\"合格\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_float_eq(json_number_value(json_object_get(r.json, "compliance_rate")), 0.0, 1e-9);
	t_resp_free(&r);
	free(tok);
	free(unit);
}

Test(evaluations, permission_matrix)
{
	PGconn *db = t_db();
	char *unit = t_new_unit(db, "320507", "health");
	char *other = t_new_unit(db, "320582", "health");
	PQfinish(db);
	struct { const char *role, *jur; const char *target; int get, post; } cells[] = {
		{ "city_bureau", NULL, "own", 200, 201 },
		{ "district_bureau", "320507", "own", 200, 201 },
		{ "district_bureau", "320507", "other", 404, 404 },
		{ "industry_authority", "health", "own", 403, 403 },
		{ "unit", NULL, "own", 200, 403 },
		{ "unit", NULL, "other", 404, 403 },
		{ "base", "11111111-2222-4333-8444-555555555555", "own", 403, 403 },
		{ "person", "11111111-2222-4333-8444-555555555555", "own", 403, 403 },
	};
	int year = 2010;
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
		const char *target = strcmp(cells[i].target, "own") == 0 ? unit : other;
		char *tok = t_token(cells[i].role, strcmp(cells[i].role, "unit") == 0 ? unit : cells[i].jur);
		char path[128], body[64];
		snprintf(path, sizeof path, "/v1/units/%s/evaluations", target);
		t_resp r = t_get(path, tok);
		cr_expect_eq(r.status, cells[i].get, "GET as %s (%s): %d", cells[i].role, cells[i].target, r.status);
		t_resp_free(&r);
		snprintf(body, sizeof body, "{\"year\":%d,\"grade\":\"合格\"}", year++);
		r = t_post_json(path, tok, body);
		cr_expect_eq(r.status, cells[i].post, "POST as %s (%s): %d %s", cells[i].role, cells[i].target,
		             r.status, r.body);
		t_resp_free(&r);
		free(tok);
	}
	free(unit);
	free(other);
}

Test(evaluations, validation)
{
	char *tok = t_token("city_bureau", NULL);
	t_resp r = t_post_json("/v1/units/11111111-2222-4333-8444-555555555555/evaluations", tok,
	                       "{\"year\":1800,\"grade\":\"\",\"colour\":\"red\"}");
	cr_assert(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "errors")), 3, "year, grade, colour: %s", r.body);
	t_resp_free(&r);
	free(tok);
}

Test(commendations, R27_commend_within_the_jurisdiction)
{
	PGconn *db = t_db();
	char *unit = t_new_unit(db, "320509", "health");
	char *person = new_person(db, unit, "in_service");
	char *far_unit = t_new_unit(db, "320585", "health");
	PQfinish(db);
	char *wujiang = t_token("district_bureau", "320509");
	char body[256];
	snprintf(body, sizeof body, "{\"year\":2025,\"target_type\":\"person\",\"target_id\":\"%s\","
	                            "\"title\":\"继续教育先进个人\"}", person);
	t_resp r = t_post_json("/v1/commendations", wujiang, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "district")), "320509");
	t_resp_free(&r);
	snprintf(body, sizeof body, "{\"year\":2025,\"target_type\":\"unit\",\"target_id\":\"%s\","
	                            "\"title\":\"先进单位\"}", far_unit);
	r = t_post_json("/v1/commendations", wujiang, body);
	cr_expect(t_is_problem(&r, 404), "another district's unit: %d", r.status);
	t_resp_free(&r);
	/* the person sees their commendation; an industry authority sees none */
	char *me = t_token("person", person);
	r = t_get("/v1/commendations?year=2025&target_type=person", me);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 1);
	t_resp_free(&r);
	char *ind = t_token("industry_authority", "health");
	r = t_get("/v1/commendations", ind);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 0);
	t_resp_free(&r);
	char *unit_tok = t_token("unit", unit);
	r = t_post_json("/v1/commendations", unit_tok, body);
	cr_expect(t_is_problem(&r, 403), "a unit may not commend: %d", r.status);
	t_resp_free(&r);
	free(unit_tok);
	free(ind);
	free(me);
	free(wujiang);
	free(unit);
	free(person);
	free(far_unit);
}
