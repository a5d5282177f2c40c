/*
 * GET /v1/reports/annual (R-25 统计) over HTTP: exact figures of the
 * hand-built world of stats_fixtures.h for every grouping and every role's
 * clamped scope, the aggregates against a recount, CSV and XLSX parsed back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "stats_fixtures.h"

#define EPS 1e-9
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static t_resp report(const char *token, const char *query)
{
	char path[512];
	snprintf(path, sizeof path, "/v1/reports/annual?%s", query);
	return t_get(path, token);
}

static json_t *group_of(json_t *rep, const char *key)
{
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(rep, "groups"), i, g)
		if (!strcmp(json_string_value(json_object_get(g, "key")), key))
			return g;
	return NULL;
}

/* The figures of district d (persons now there: p1 p2 p3 p5 p6 in service,
 * p4 left), as stats_fixtures.h describes them. */
static void expect_district_d(json_t *j, const world *w)
{
	cr_expect_float_eq(j_num(j, "headcount"), 5, EPS, "p1 p2 p3 p5 p6 (p4 left)");
	cr_expect_float_eq(j_num(j, "compliant"), 3, EPS, "p1 p3 p5");
	cr_expect_float_eq(j_num(j, "compliance_rate"), 0.6, EPS);
	cr_expect_float_eq(j_num(j, "by_title_level.senior_full.headcount"), 1, EPS);
	cr_expect_float_eq(j_num(j, "by_title_level.senior_full.compliant"), 1, EPS);
	cr_expect_float_eq(j_num(j, "by_title_level.intermediate.headcount"), 3, EPS);
	cr_expect_float_eq(j_num(j, "by_title_level.intermediate.compliant"), 1, EPS);
	cr_expect_float_eq(j_num(j, "by_title_level.junior_assistant.headcount"), 1, EPS);
	cr_expect_float_eq(j_num(j, "by_title_level.junior_member.headcount"), 0, EPS);
	/* only verified records of the year count; p4 left but trained that year */
	cr_expect_float_eq(j_num(j, "hours.total"), 257.5, EPS);
	cr_expect_float_eq(j_num(j, "hours.public"), 98, EPS);
	cr_expect_float_eq(j_num(j, "hours.professional"), 159.5, EPS);
	cr_expect_float_eq(j_num(j, "by_form.training_class"), 98, EPS);
	cr_expect_float_eq(j_num(j, "by_form.online_education"), 48, EPS);
	cr_expect_float_eq(j_num(j, "by_form.academic_exchange"), 30, EPS, "the rejected 20 h never count");
	cr_expect_float_eq(j_num(j, "by_form.degree_education"), 48, EPS);
	cr_expect_float_eq(j_num(j, "by_form.remote_education"), 33.5, EPS);
	cr_expect_float_eq(j_num(j, "by_form.overseas_training"), 0, EPS);
	cr_expect_float_eq(j_num(j, "by_class_type.full_time"), 74, EPS);
	cr_expect_float_eq(j_num(j, "by_class_type.part_time"), 24, EPS);
	cr_expect_float_eq(j_num(j, "by_class_type.spare_time"), 83.5, EPS);
	cr_expect_float_eq(j_num(j, "by_class_type.online"), 76, EPS);
	json_t *tb = json_object_get(j, "trainees_by_base");
	cr_expect_eq(json_object_size(tb), 1, "only base b trained persons of d");
	cr_expect_eq(json_integer_value(json_object_get(tb, w->b)), 1, "p5 (p7 is in d2)");
	cr_expect_float_eq(j_num(j, "funding.government"), 200, EPS, "1000 x 20 %%");
	cr_expect_float_eq(j_num(j, "funding.unit"), 500, EPS);
	cr_expect_float_eq(j_num(j, "funding.individual"), 300, EPS);
}

Test(reports, R25_district_report_has_the_exact_figures)
{
	world w;
	w_build(&w);
	char *tok = t_token("city_bureau", NULL);
	char q[128];
	snprintf(q, sizeof q, "year=%d&district=%s", W_YEAR, w.d);
	t_resp r = report(tok, q);
	cr_assert_eq(r.status, 200, "%s", r.body);
	expect_district_d(r.json, &w);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(r.json, "scope"), "district")), w.d);
	cr_expect(json_is_null(json_object_get(r.json, "group_by")));
	cr_expect_eq(json_array_size(json_object_get(r.json, "groups")), 0);
	/* counts are integers, hours carry one decimal in the text */
	cr_expect(json_is_integer(json_object_get(r.json, "headcount")));
	cr_expect(strstr(r.body, "\"total\":257.5") != NULL, "%s", r.body);
	cr_expect(strstr(r.body, "\"government\":200.00") != NULL, "money with two decimals");
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}

Test(reports, R25_district_bureau_without_a_filter_gets_its_district)
{
	world w;
	w_build(&w);
	char *tok = w_token(&w, "district_bureau", "d");
	char q[64];
	snprintf(q, sizeof q, "year=%d", W_YEAR);
	t_resp r = report(tok, q);
	cr_assert_eq(r.status, 200, "%s", r.body);
	expect_district_d(r.json, &w);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(r.json, "scope"), "district")), w.d);
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}

Test(reports, R25_group_by_unit_and_industry)
{
	world w;
	w_build(&w);
	char *tok = w_token(&w, "district_bureau", "d");
	char q[128];
	snprintf(q, sizeof q, "year=%d&group_by=unit", W_YEAR);
	t_resp r = report(tok, q);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "groups")), 2);
	json_t *g1 = group_of(r.json, w.u1), *g2 = group_of(r.json, w.u2);
	cr_assert(g1 && g2, "%s", r.body);
	const char *name = json_string_value(json_object_get(g1, "name"));
	cr_expect(name && strstr(name, "统计测试单位"), "the unit's name: %s", name ? name : "null");
	cr_expect_float_eq(j_num(g1, "headcount"), 3, EPS);
	cr_expect_float_eq(j_num(g1, "compliant"), 2, EPS);
	cr_expect_float_eq(j_num(g1, "compliance_rate"), 2.0 / 3.0, EPS);
	cr_expect_float_eq(j_num(g1, "hours.total"), 210, EPS, "72 + 54 + 72 + 12 (p4 left)");
	cr_expect_float_eq(j_num(g2, "headcount"), 2, EPS);
	cr_expect_float_eq(j_num(g2, "compliant"), 1, EPS);
	cr_expect_float_eq(j_num(g2, "hours.total"), 47.5, EPS);
	cr_expect_float_eq(j_num(g2, "by_form.remote_education"), 33.5, EPS);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(g2, "trainees_by_base"), w.b)), 1);
	cr_expect_float_eq(j_num(g2, "funding.unit"), 500, EPS);
	/* the scope's figures are the sum of its groups' */
	expect_district_d(r.json, &w);
	t_resp_free(&r);

	snprintf(q, sizeof q, "year=%d&group_by=industry", W_YEAR);
	r = report(tok, q);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "groups")), 2);
	json_t *gi = group_of(r.json, w.i), *gi2 = group_of(r.json, w.i2);
	cr_assert(gi && gi2, "%s", r.body);
	cr_expect_float_eq(j_num(gi, "headcount"), 3, EPS);
	cr_expect_float_eq(j_num(gi, "hours.professional"), 126, EPS, "48 + 30 + 48");
	cr_expect_float_eq(j_num(gi2, "hours.public"), 14, EPS);
	cr_expect(json_string_value(json_object_get(gi, "name")) &&
	          strstr(json_string_value(json_object_get(gi, "name")), "统计测试行业"), "industry names");
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}

Test(reports, R25_group_by_title_level_takes_hours_from_the_summaries)
{
	world w;
	w_build(&w);
	char *tok = w_token(&w, "district_bureau", "d");
	char q[128];
	snprintf(q, sizeof q, "year=%d&group_by=title_level", W_YEAR);
	t_resp r = report(tok, q);
	cr_assert_eq(r.status, 200, "%s", r.body);
	json_t *groups = json_object_get(r.json, "groups");
	cr_expect_eq(json_array_size(groups), 3, "senior_full, intermediate, junior_assistant");
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(groups, 0), "key")), "senior_full",
	                 "levels in R-2 order");
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(groups, 0), "name")), "正高级");
	json_t *mid = group_of(r.json, "intermediate");
	cr_assert(mid);
	cr_expect_float_eq(j_num(mid, "headcount"), 3, EPS);
	cr_expect_float_eq(j_num(mid, "compliant"), 1, EPS);
	cr_expect_float_eq(j_num(mid, "hours.public"), 48, EPS, "p1 24 + p2 24 + p6 0");
	cr_expect_float_eq(j_num(mid, "hours.professional"), 83.5, EPS, "48 + 30 + 5.5");
	cr_expect(json_is_null(json_object_get(mid, "by_form")), "records carry no title level");
	cr_expect(json_is_null(json_object_get(mid, "by_class_type")));
	json_t *jr = group_of(r.json, "junior_assistant");
	cr_assert(jr);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(jr, "trainees_by_base"), w.b)), 1);
	cr_expect_float_eq(j_num(jr, "compliance_rate"), 1.0, EPS);
	expect_district_d(r.json, &w);
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}

Test(reports, R25_city_group_by_district_within_an_industry)
{
	world w;
	w_build(&w);
	char *tok = t_token("city_bureau", NULL);
	char q[128];
	snprintf(q, sizeof q, "year=%d&industry=%s&group_by=district", W_YEAR, w.i);
	t_resp r = report(tok, q);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "groups")), 2);
	json_t *gd = group_of(r.json, w.d), *gd2 = group_of(r.json, w.d2);
	cr_assert(gd && gd2, "%s", r.body);
	cr_expect_float_eq(j_num(gd, "headcount"), 3, EPS);
	cr_expect_float_eq(j_num(gd2, "headcount"), 1, EPS);
	cr_expect_float_eq(j_num(gd2, "hours.total"), 72, EPS);
	cr_expect(json_string_value(json_object_get(gd, "name")) &&
	          strstr(json_string_value(json_object_get(gd, "name")), w.d), "district names");
	cr_expect_float_eq(j_num(r.json, "headcount"), 4, EPS);
	cr_expect_float_eq(j_num(r.json, "compliance_rate"), 0.75, EPS);
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}

Test(reports, R25_each_roles_scope_is_clamped_to_its_jurisdiction)
{
	world w;
	w_build(&w);
	char q[256];
	/* industry authority i: p1 p2 p3 (u1, d) and p7 (u3, d2) */
	char *tok = w_token(&w, "industry_authority", "i");
	snprintf(q, sizeof q, "year=%d", W_YEAR);
	t_resp r = report(tok, q);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_float_eq(j_num(r.json, "headcount"), 4, EPS);
	cr_expect_float_eq(j_num(r.json, "compliant"), 3, EPS);
	cr_expect_float_eq(j_num(r.json, "hours.total"), 282, EPS, "u1's 210 + p7's 72");
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(r.json, "trainees_by_base"), w.b)), 1);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(r.json, "scope"), "industry")), w.i);
	t_resp_free(&r);
	free(tok);

	/* unit u1: its staff */
	tok = w_token(&w, "unit", "u1");
	r = report(tok, q);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_float_eq(j_num(r.json, "headcount"), 3, EPS);
	cr_expect_float_eq(j_num(r.json, "compliant"), 2, EPS);
	cr_expect_float_eq(j_num(r.json, "hours.total"), 210, EPS);
	cr_expect_eq(json_object_size(json_object_get(r.json, "trainees_by_base")), 0);
	cr_expect_float_eq(j_num(r.json, "funding.government"), 0, EPS);
	t_resp_free(&r);
	free(tok);

	/* district bureau d2: p7 */
	tok = w_token(&w, "district_bureau", "d2");
	r = report(tok, q);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_float_eq(j_num(r.json, "headcount"), 1, EPS);
	cr_expect_float_eq(j_num(r.json, "compliance_rate"), 1, EPS);
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}

Test(reports, R25_a_base_reports_on_its_own_projects_without_compliance)
{
	world w;
	w_build(&w);
	char *tok = w_token(&w, "base", "b");
	char q[128];
	snprintf(q, sizeof q, "year=%d", W_YEAR);
	t_resp r = report(tok, q);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_float_eq(j_num(r.json, "headcount"), 2, EPS, "its trainees p5 and p7");
	cr_expect(json_is_null(json_object_get(r.json, "compliant")), "not a base's to read");
	cr_expect(json_is_null(json_object_get(r.json, "compliance_rate")));
	cr_expect_float_eq(j_num(r.json, "by_title_level.junior_assistant.headcount"), 1, EPS);
	cr_expect_float_eq(j_num(r.json, "by_title_level.intermediate.headcount"), 1, EPS);
	cr_expect_float_eq(j_num(r.json, "hours.total"), 38, EPS, "its projects' records: 14 + 24");
	cr_expect_float_eq(j_num(r.json, "hours.professional"), 0, EPS);
	cr_expect_float_eq(j_num(r.json, "by_class_type.full_time"), 38, EPS);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(r.json, "trainees_by_base"), w.b)), 2);
	cr_expect_float_eq(j_num(r.json, "funding.government"), 400, EPS);
	cr_expect_float_eq(j_num(r.json, "funding.unit"), 1000, EPS);
	cr_expect_float_eq(j_num(r.json, "funding.individual"), 600, EPS);
	t_resp_free(&r);
	/* narrowed to its trainees in district d */
	snprintf(q, sizeof q, "year=%d&district=%s&group_by=district", W_YEAR, w.d);
	r = report(tok, q);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_float_eq(j_num(r.json, "headcount"), 1, EPS);
	cr_expect_float_eq(j_num(r.json, "hours.total"), 14, EPS);
	cr_expect_eq(json_array_size(json_object_get(r.json, "groups")), 1);
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}

/* A filter outside the jurisdiction is 404 (never an empty report);
 * within it, it narrows.  One row per cell: role, its jurisdiction, the
 * filter, the status. */
Test(reports, R25_scope_filters_outside_the_jurisdiction_are_404)
{
	world w;
	w_build(&w);
	struct { const char *role, *jur, *param, *value; int status; double headcount; } cells[] = {
		{ "city_bureau", NULL, "district", "d2", 200, 1 },
		{ "city_bureau", NULL, "unit", "u2", 200, 2 },
		{ "city_bureau", NULL, "district", "999999", 404, 0 },
		{ "city_bureau", NULL, "industry", "no_such_industry", 404, 0 },
		{ "district_bureau", "d", "district", "d", 200, 5 },
		{ "district_bureau", "d", "district", "d2", 404, 0 },
		{ "district_bureau", "d", "unit", "u1", 200, 3 },
		{ "district_bureau", "d", "unit", "u3", 404, 0 },
		{ "district_bureau", "d", "industry", "i2", 200, 2 },
		{ "industry_authority", "i", "industry", "i2", 404, 0 },
		{ "industry_authority", "i", "district", "d", 200, 3 },
		{ "industry_authority", "i", "unit", "u1", 404, 0 },
		{ "unit", "u1", "unit", "u2", 404, 0 },
		{ "unit", "u1", "district", "d", 200, 3 },
		{ "unit", "u1", "district", "d2", 404, 0 },
		{ "base", "b", "unit", "u2", 404, 0 },
		{ "base", "b", "district", "d2", 200, 1 },
	};
	for (size_t k = 0; k < sizeof cells / sizeof cells[0]; k++) {
		char *tok = w_token(&w, cells[k].role, cells[k].jur);
		const char *v = cells[k].value;
		const char *val = !strcmp(v, "d") ? w.d : !strcmp(v, "d2") ? w.d2 : !strcmp(v, "i2") ? w.i2
		                : !strcmp(v, "u1") ? w.u1 : !strcmp(v, "u2") ? w.u2 : !strcmp(v, "u3") ? w.u3 : v;
		char q[256];
		snprintf(q, sizeof q, "year=%d&%s=%s", W_YEAR, cells[k].param, val);
		t_resp r = report(tok, q);
		cr_expect_eq(r.status, cells[k].status, "%s %s: %s=%s → %d %s", cells[k].role,
		             cells[k].jur ? cells[k].jur : "", cells[k].param, v, r.status, r.body);
		if (r.status == 200 && cells[k].status == 200)
			cr_expect_float_eq(j_num(r.json, "headcount"), cells[k].headcount, EPS, "%s %s=%s",
			                   cells[k].role, cells[k].param, v);
		if (cells[k].status == 404)
			cr_expect(t_is_problem(&r, 404));
		t_resp_free(&r);
		free(tok);
	}
	w_free(&w);
}

Test(reports, permission_matrix)
{
	world w;
	w_build(&w);
	/* role × {own scope, another's} → status; "—" cells of the matrix are 403 */
	struct { const char *role, *jur, *other_param, *other; int own, foreign; } cells[] = {
		{ "city_bureau", NULL, "district", "d2", 200, 200 },
		{ "district_bureau", "d", "district", "d2", 200, 404 },
		{ "industry_authority", "i", "industry", "i2", 200, 404 },
		{ "unit", "u1", "unit", "u3", 200, 404 },
		{ "base", "b", "unit", "u1", 200, 404 },
		{ "person", NULL, "district", "d", 403, 403 },
	};
	for (size_t k = 0; k < sizeof cells / sizeof cells[0]; k++) {
		char *tok = !strcmp(cells[k].role, "person") ? t_token("person", w.p[1])
		                                             : w_token(&w, cells[k].role, cells[k].jur);
		char q[256];
		snprintf(q, sizeof q, "year=%d", W_YEAR);
		t_resp r = report(tok, q);
		cr_expect_eq(r.status, cells[k].own, "%s own: %d", cells[k].role, r.status);
		t_resp_free(&r);
		const char *o = cells[k].other;
		const char *val = !strcmp(o, "d") ? w.d : !strcmp(o, "d2") ? w.d2 : !strcmp(o, "i2") ? w.i2
		                : !strcmp(o, "u1") ? w.u1 : w.u3;
		snprintf(q, sizeof q, "year=%d&%s=%s", W_YEAR, cells[k].other_param, val);
		r = report(tok, q);
		cr_expect_eq(r.status, cells[k].foreign, "%s other: %d", cells[k].role, r.status);
		t_resp_free(&r);
		free(tok);
	}
	t_resp r = report(NULL, "year=2023");
	cr_expect(t_is_problem(&r, 401), "no token: %d", r.status);
	t_resp_free(&r);
	w_free(&w);
}

Test(reports, malformed_queries_are_400)
{
	char *tok = t_token("city_bureau", NULL);
	const char *bad[] = { "", "year=1800", "year=20x4", "year=2023&district=12",
		              "year=2023&industry=Not-A-Code", "year=2023&unit=xyz",
		              "year=2023&group_by=person", "year=2023&colour=red" };
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		t_resp r = report(tok, bad[k]);
		cr_expect(t_is_problem(&r, 400), "%s → %d", bad[k], r.status);
		t_resp_free(&r);
	}
	free(tok);
}

Test(reports, R25_a_year_without_records_has_headcount_and_rate_zero)
{
	world w;
	w_build(&w);
	char *tok = w_token(&w, "district_bureau", "d");
	t_resp r = report(tok, "year=1995");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_float_eq(j_num(r.json, "headcount"), 0, EPS,
	                   "R-30: in service on 31 December 1995 — nobody, their first day is in 2020");
	cr_expect_float_eq(j_num(r.json, "compliant"), 0, EPS);
	cr_expect_float_eq(j_num(r.json, "compliance_rate"), 0, EPS);
	cr_expect_float_eq(j_num(r.json, "hours.total"), 0, EPS);
	t_resp_free(&r);
	/* the year before: p1's 6 public hours only, a decided but failed year */
	char q[64];
	snprintf(q, sizeof q, "year=%d", W_YEAR - 1);
	r = report(tok, q);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_float_eq(j_num(r.json, "hours.total"), 6, EPS);
	cr_expect_float_eq(j_num(r.json, "compliant"), 0, EPS);
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}

Test(reports, R30_R13_a_transfer_today_leaves_an_ended_year_verification_and_revocation_move_it)
{
	world w;
	w_build(&w);
	PGconn *db = t_db();
	/* today p2 moves to u3 (district d2): an ended year stays where it
	 * ended; the move is a dated change of the history */
	const char *mv[] = { w.p[2], w.u3 };
	PQclear(t_sql(db, "INSERT INTO jxjy.person_changes (person, effective_date, kind, unit)"
	                  " VALUES ($1, jxjy.today(), 'transfer', $2)", 2, mv));
	/* p1's registered 10 h are verified and p3's professional 48 revoked */
	const char *p1[] = { w.p[1] };
	PQclear(t_sql(db, "UPDATE jxjy.records SET status = 'verified' WHERE person = $1 AND status = 'registered'", 1, p1));
	const char *p3[] = { w.p[3] };
	PQclear(t_sql(db, "UPDATE jxjy.records SET status = 'revoked', reason = '证书伪造'"
	                  " WHERE person = $1 AND category = 'professional'", 1, p3));
	/* p6 leaves today: W_YEAR ended with p6 in service */
	const char *p6[] = { w.p[6] };
	PQclear(t_sql(db, "INSERT INTO jxjy.person_changes (person, effective_date, kind, status)"
	                  " VALUES ($1, jxjy.today(), 'change', 'left')", 1, p6));
	PQfinish(db);
	char *tok = t_token("city_bureau", NULL);
	char q[128];
	snprintf(q, sizeof q, "year=%d&district=%s", W_YEAR, w.d);
	t_resp r = report(tok, q);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_float_eq(j_num(r.json, "headcount"), 5, EPS, "p1 p2 p3 p5 p6 (p4 left in W_YEAR)");
	cr_expect_float_eq(j_num(r.json, "compliant"), 3, EPS, "summaries unchanged here");
	cr_expect_float_eq(j_num(r.json, "hours.total"), 257.5 + 10 - 48, EPS, "p2's hours stay");
	cr_expect_float_eq(j_num(r.json, "by_form.degree_education"), 0, EPS);
	t_resp_free(&r);
	snprintf(q, sizeof q, "year=%d&district=%s", W_YEAR, w.d2);
	r = report(tok, q);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_float_eq(j_num(r.json, "headcount"), 1, EPS, "p7 only: p2 came after W_YEAR");
	cr_expect_float_eq(j_num(r.json, "compliant"), 1, EPS);
	cr_expect_float_eq(j_num(r.json, "hours.total"), 72, EPS);
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}

/* The aggregates are exact: they equal a recount from records, persons,
 * summaries and enrolments, over the whole shared test database (every
 * suite's writes), after moves, title changes, a unit's re-division and a
 * project's fee change. */
Test(reports, aggregates_equal_a_recount_from_the_rows)
{
	world w;
	w_build(&w);
	PGconn *db = t_db();
	const char *mv[] = { w.p[5], w.u1 };
	PQclear(t_sql(db, "INSERT INTO jxjy.person_changes (person, effective_date, kind, unit, title_level)"
	                  " VALUES ($1, jxjy.today(), 'change', $2, 'intermediate')", 2, mv));
	/* and a move dated back into W_YEAR: that year's aggregates follow it */
	const char *back[] = { w.p[1], w.u2 };
	PQclear(t_sql(db, "INSERT INTO jxjy.person_changes (person, effective_date, kind, unit)"
	                  " VALUES ($1, make_date(" W_YEAR_S ", 6, 1), 'change', $2)", 2, back));
	PQclear(t_sql(db, "UPDATE jxjy.units SET district = $2 WHERE id = $1", 2,
	              (const char *[]){ w.u3, w.d }));
	/* a fee changed after completions moves the funding; the year cannot move */
	PQclear(t_sql(db, "UPDATE jxjy.projects SET fee = 1200.50, funding_government = 35,"
	                  " funding_unit = 35 WHERE id = $1", 1, (const char *[]){ w.bp }));
	PGresult *bad = PQexecParams(db, "UPDATE jxjy.projects SET year = year + 1 WHERE id = $1", 1, NULL,
	                             (const char *[]){ w.bp }, NULL, NULL, 0);
	const char *state = PQresultErrorField(bad, PG_DIAG_SQLSTATE);
	cr_expect(state && !strcmp(state, "JX409"), "a completed project keeps its year: %s",
	          PQresultErrorMessage(bad));
	PQclear(bad);
	/* p7 completes a second project of the same base: one more enrolment, no new trainee */
	char y[8];
	snprintf(y, sizeof y, "%d", W_YEAR);
	char *subject = t_sql_value(db, "SELECT subject_public FROM jxjy.projects WHERE id = $1", 1,
	                            (const char *[]){ w.bp });
	char *bp2 = t_sql_value(db, "INSERT INTO jxjy.projects (base, year, title, category, subject_public,"
	                            " hours, class_type, capacity, fee, funding_government, funding_unit,"
	                            " funding_individual, status) VALUES ($1, $2::int, '第二期', 'public', $3,"
	                            " 24, 'part_time', 50, 333.33, 33, 33, 34, 'approved') RETURNING id",
	                        3, (const char *[]){ w.b, y, subject });
	PQclear(t_sql(db, "INSERT INTO jxjy.person_changes (person, effective_date, kind, title_level)"
	                  " VALUES ($1, make_date(" W_YEAR_S ", 3, 1), 'change', 'senior_deputy')", 1,
	              (const char *[]){ w.p[7] }));
	w_complete(db, bp2, w.p[7], "20");
	free(subject);
	char *tok = t_token("city_bureau", NULL);
	char q[160];
	snprintf(q, sizeof q, "/v1/reports/annual?year=%d&unit=%s", W_YEAR, w.u3);
	t_resp r = t_get(q, tok);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(r.json, "trainees_by_base"), w.b)), 1,
	             "two completions at one base are one trainee");
	/* 1200.50 x 35 % + 333.33 x 33 % = 420.175 + 109.9989 = 530.1739: rounded once (not 420.18 + 110.00) */
	cr_expect(strstr(r.body, "\"government\":530.17") != NULL, "%s", r.body);
	cr_expect(strstr(r.body, "\"individual\":473.48") != NULL, "360.15 + 113.3322");
	cr_expect(strstr(r.body, "\"unit\":530.17") != NULL);
	t_resp_free(&r);
	free(tok);
	free(bp2);
	char *diff = t_sql_value(db,
		/* every aggregate keyed by the holding of its year (the year_*
		 * columns, the history's situation on 31 December or today) */
		"WITH want AS (SELECT year, year_district, year_industry, year_unit, base, category, form,"
		"  class_type, sum(hours) h, count(*)::int n FROM jxjy.records WHERE status = 'verified'"
		"  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8),"
		" have AS (SELECT year, district, industry, unit, base, category, form, class_type, hours,"
		"  records FROM jxjy.report_hours WHERE records <> 0 OR hours <> 0),"
		" ys AS (SELECT DISTINCT y FROM (VALUES (" W_YEAR_S "), (extract(year FROM jxjy.today())::int)) v(y)),"
		" hc AS (SELECT ys.y, h.district, h.industry, h.unit, h.title_level, count(*)::int n"
		"  FROM jxjy.persons p CROSS JOIN ys CROSS JOIN LATERAL jxjy._person_holding(p.id, ys.y) h"
		"  WHERE h.in_service GROUP BY 1, 2, 3, 4, 5),"
		" hch AS (SELECT ys.y, h.district, h.industry, h.unit, h.title_level, sum(h.headcount)::int"
		"  FROM jxjy.report_headcount h JOIN ys ON h.year_from <= ys.y GROUP BY 1, 2, 3, 4, 5"
		"  HAVING sum(h.headcount) <> 0),"
		" cc AS (SELECT s.year, s.year_district, s.year_industry, s.year_unit, s.year_title_level,"
		"  count(*)::int, (count(*) FILTER (WHERE s.compliant))::int, sum(s.public_verified),"
		"  sum(s.professional_verified) FROM jxjy.person_year_summary s"
		"  WHERE s.year_in_service GROUP BY 1, 2, 3, 4, 5),"
		" cch AS (SELECT year, district, industry, unit, title_level, decided, compliant, public_hours,"
		"  professional_hours FROM jxjy.report_compliance WHERE decided <> 0),"
		" tt AS (SELECT pr.year, h.district, h.industry, h.unit, h.title_level, e.base,"
		"  count(DISTINCT e.person)::int, count(*)::int, sum(pr.fee * pr.funding_government / 100),"
		"  sum(pr.fee * pr.funding_unit / 100), sum(pr.fee * pr.funding_individual / 100)"
		"  FROM jxjy.enrolments e JOIN jxjy.projects pr ON pr.id = e.project"
		"  CROSS JOIN LATERAL jxjy._person_holding(e.person, pr.year) h"
		"  WHERE e.status = 'completed' GROUP BY 1, 2, 3, 4, 5, 6),"
		" tth AS (SELECT year, district, industry, unit, title_level, base, trainees, enrolments,"
		"  government, unit_share, individual FROM jxjy.report_trainees WHERE enrolments <> 0)"
		" SELECT (SELECT count(*) FROM ((TABLE want EXCEPT TABLE have) UNION ALL (TABLE have EXCEPT TABLE want)) a)"
		" + (SELECT count(*) FROM ((TABLE tt EXCEPT TABLE tth) UNION ALL (TABLE tth EXCEPT TABLE tt)) d)"
		" + (SELECT count(*) FROM ((TABLE hc EXCEPT TABLE hch) UNION ALL (TABLE hch EXCEPT TABLE hc)) b)"
		" + (SELECT count(*) FROM ((TABLE cc EXCEPT TABLE cch) UNION ALL (TABLE cch EXCEPT TABLE cc)) c)",
		0, NULL);
	cr_expect_str_eq(diff, "0", "rows where an aggregate differs from the recount");
	free(diff);
	PQfinish(db);
	w_free(&w);
}

/* ---- CSV ------------------------------------------------------------------ */

/* Splits a CSV document (RFC 4180) into rows of cells; returns the row count. */
static int csv_parse(const char *s, size_t n, char ***rows_out, int *ncols_out)
{
	char **cells = calloc(4096, sizeof *cells);
	int nrows = 0, ncell = 0, ncols = 0;
	const char *end = s + n;
	while (s < end) {
		char buf[1024];
		size_t k = 0;
		if (*s == '"') {
			for (s++; s < end; s++) {
				if (*s == '"' && s + 1 < end && s[1] == '"')
					buf[k++] = *s++;
				else if (*s == '"') {
					s++;
					break;
				} else
					buf[k++] = *s;
			}
		} else {
			while (s < end && *s != ',' && *s != '\r')
				buf[k++] = *s++;
		}
		buf[k] = '\0';
		cells[ncell++] = strdup(buf);
		if (s < end && *s == ',') {
			s++;
			continue;
		}
		if (s < end && *s == '\r')
			s += 2;
		if (!ncols)
			ncols = ncell;
		nrows++;
	}
	*rows_out = cells;
	*ncols_out = ncols;
	return nrows;
}

static int col_of(char **cells, int ncols, const char *name)
{
	for (int c = 0; c < ncols; c++)
		if (!strcmp(cells[c], name))
			return c;
	cr_assert_fail("no CSV column %s", name);
	return -1;
}

Test(reports, csv_parses_back_to_the_same_numbers)
{
	world w;
	w_build(&w);
	char *tok = w_token(&w, "district_bureau", "d");
	char path[128], auth[600];
	snprintf(path, sizeof path, "/v1/reports/annual?year=%d&group_by=unit", W_YEAR);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
	t_resp js = t_get(path, tok);
	cr_assert_eq(js.status, 200);
	const char *hdr[] = { auth, "Accept: text/csv", NULL };
	t_resp r = t_http("GET", path, NULL, hdr, NULL, 0);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect(strstr(t_header(&r, "Content-Type"), "text/csv") != NULL);
	const char *disp = t_header(&r, "Content-Disposition");
	cr_expect(disp && strstr(disp, "attachment") && strstr(disp, "filename*=UTF-8''"), "%s", disp);
	cr_assert(r.body_len > 3 && !memcmp(r.body, "\xEF\xBB\xBF", 3), "UTF-8 BOM");
	char **cells;
	int ncols;
	int nrows = csv_parse(r.body + 3, r.body_len - 3, &cells, &ncols);
	cr_expect_eq(nrows, 4, "header, u1, u2, 合计");
	int c_key = col_of(cells, ncols, "分组"), c_head = col_of(cells, ncols, "人数"),
	    c_comp = col_of(cells, ncols, "达标人数"), c_rate = col_of(cells, ncols, "达标率"),
	    c_total = col_of(cells, ncols, "总学时"), c_pub = col_of(cells, ncols, "公共知识学时"),
	    c_prof = col_of(cells, ncols, "专业知识学时"), c_gov = col_of(cells, ncols, "政府经费"),
	    c_ft = col_of(cells, ncols, "脱产学时");
	for (int row = 1; row < nrows; row++) {
		char **cell = cells + row * ncols;
		json_t *g = !strcmp(cell[c_key], "合计") ? js.json : group_of(js.json, cell[c_key]);
		cr_assert(g, "row %s is a group of the JSON answer", cell[c_key]);
		cr_expect_float_eq(atof(cell[c_head]), j_num(g, "headcount"), EPS, "%s", cell[c_key]);
		cr_expect_float_eq(atof(cell[c_comp]), j_num(g, "compliant"), EPS);
		cr_expect_float_eq(atof(cell[c_rate]), j_num(g, "compliance_rate"), 1e-12);
		cr_expect_float_eq(atof(cell[c_total]), j_num(g, "hours.total"), EPS);
		cr_expect_float_eq(atof(cell[c_pub]), j_num(g, "hours.public"), EPS);
		cr_expect_float_eq(atof(cell[c_prof]), j_num(g, "hours.professional"), EPS);
		cr_expect_float_eq(atof(cell[c_gov]), j_num(g, "funding.government"), EPS);
		cr_expect_float_eq(atof(cell[c_ft]), j_num(g, "by_class_type.full_time"), EPS);
	}
	cr_expect_str_eq(cells[3 * ncols + c_total], "257.5");
	for (int k = 0; k < nrows * ncols; k++)
		free(cells[k]);
	free(cells);
	t_resp_free(&r);
	t_resp_free(&js);
	free(tok);
	w_free(&w);
}

/* ---- XLSX ----------------------------------------------------------------- */

/* The XML of one worksheet of an .xlsx body (unzip -p), malloc'd. */
static char *xlsx_sheet(const t_resp *r, int sheet)
{
	cr_assert_eq(system("command -v unzip >/dev/null 2>&1"), 0, "unzip is needed (deploy/test installs it)");
	char file[] = "/tmp/jxjy-test-xlsx-XXXXXX";
	int fd = mkstemp(file);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, r->body, r->body_len), (ssize_t)r->body_len);
	close(fd);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "unzip -p %s xl/worksheets/sheet%d.xml", file, sheet);
	FILE *p = popen(cmd, "r");
	cr_assert(p);
	size_t cap = 1 << 20, n = 0;
	char *xml = malloc(cap);
	size_t got;
	while ((got = fread(xml + n, 1, cap - n - 1, p)) > 0)
		n += got;
	xml[n] = '\0';
	pclose(p);
	unlink(file);
	cr_assert(n > 0, "sheet%d.xml in the archive", sheet);
	return xml;
}

/* The value (<v> number or inline string) of cell ref, malloc'd or NULL. */
static char *x_cell(const char *xml, const char *ref)
{
	char pat[32];
	snprintf(pat, sizeof pat, "<c r=\"%s\"", ref);
	const char *c = strstr(xml, pat);
	if (!c)
		return NULL;
	const char *end = strstr(c, "</c>");
	const char *v = strstr(c, "<v>");
	const char *t = strstr(c, "<t>");
	const char *open = v && v < end ? v + 3 : t && t < end ? t + 3 : NULL;
	if (!open)
		return NULL;
	const char *close = strchr(open, '<');
	return strndup(open, (size_t)(close - open));
}

/* The row whose column-A cell holds text. */
static int x_row(const char *xml, const char *text)
{
	char pat[256];
	snprintf(pat, sizeof pat, "<t>%s</t>", text);
	const char *hit = strstr(xml, pat);
	if (!hit)
		return -1;
	const char *c = hit;
	while (c > xml && strncmp(c, "<c r=\"A", 7) != 0)
		c--;
	return atoi(c + 7);
}

static double x_number(const char *xml, const char *col, int row)
{
	char ref[16];
	snprintf(ref, sizeof ref, "%s%d", col, row);
	char *v = x_cell(xml, ref);
	cr_assert(v, "cell %s", ref);
	double d = atof(v);
	free(v);
	return d;
}

Test(reports, xlsx_parses_back_to_the_same_numbers)
{
	world w;
	w_build(&w);
	char *tok = w_token(&w, "district_bureau", "d");
	char path[128], auth[600];
	snprintf(path, sizeof path, "/v1/reports/annual?year=%d&group_by=unit", W_YEAR);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
	const char *hdr[] = { auth, "Accept: " XLSX_TYPE, NULL };
	t_resp r = t_http("GET", path, NULL, hdr, NULL, 0);
	cr_assert_eq(r.status, 200, "%d", r.status);
	cr_expect_str_eq(t_header(&r, "Content-Type"), XLSX_TYPE);
	cr_assert(r.body_len > 4 && !memcmp(r.body, "PK\x03\x04", 4), "a zip archive");
	const char *disp = t_header(&r, "Content-Disposition");
	cr_expect(disp && strstr(disp, ".xlsx") && strstr(disp, "filename*=UTF-8''"), "%s", disp);

	/* sheet 1 (总计): label / value rows */
	char *s1 = xlsx_sheet(&r, 1);
	cr_expect(strstr(s1, "<t>项目</t>") != NULL, "Chinese headers");
	cr_expect_float_eq(x_number(s1, "B", x_row(s1, "人数")), 5, EPS);
	cr_expect_float_eq(x_number(s1, "B", x_row(s1, "达标人数")), 3, EPS);
	cr_expect_float_eq(x_number(s1, "B", x_row(s1, "达标率")), 0.6, EPS);
	cr_expect_float_eq(x_number(s1, "B", x_row(s1, "总学时")), 257.5, EPS);
	cr_expect_float_eq(x_number(s1, "B", x_row(s1, "公共知识学时")), 98, EPS);
	cr_expect_float_eq(x_number(s1, "B", x_row(s1, "专业知识学时")), 159.5, EPS);
	cr_expect_float_eq(x_number(s1, "B", x_row(s1, "个人经费")), 300, EPS);
	/* numbers are numbers: a <v> cell without t="inlineStr" */
	char ref[16];
	snprintf(ref, sizeof ref, "<c r=\"B%d\" s=", x_row(s1, "人数"));
	cr_expect(strstr(s1, ref) != NULL && !strstr(strstr(s1, ref), "t=\"inlineStr\"><v>"), "numeric cell");
	free(s1);
	/* sheet 2 (按职称) */
	char *s2 = xlsx_sheet(&r, 2);
	int mid = x_row(s2, "中级");
	cr_expect_float_eq(x_number(s2, "C", mid), 3, EPS);
	cr_expect_float_eq(x_number(s2, "D", mid), 1, EPS);
	free(s2);
	/* sheet 3 (按形式) and 4 (按办班种类) */
	char *s3 = xlsx_sheet(&r, 3);
	cr_expect_float_eq(x_number(s3, "C", x_row(s3, "远程教育")), 33.5, EPS);
	free(s3);
	char *s4 = xlsx_sheet(&r, 4);
	cr_expect_float_eq(x_number(s4, "C", x_row(s4, "业余")), 83.5, EPS);
	free(s4);
	/* sheet 6 (分组): one row per unit, the CSV's columns */
	char *s6 = xlsx_sheet(&r, 6);
	int u1 = x_row(s6, w.u1), u2 = x_row(s6, w.u2);
	cr_assert(u1 > 1 && u2 > 1, "a row per unit");
	cr_expect_float_eq(x_number(s6, "C", u1), 3, EPS, "人数");
	cr_expect_float_eq(x_number(s6, "D", u1), 2, EPS, "达标人数");
	cr_expect_float_eq(x_number(s6, "F", u1), 210, EPS, "总学时");
	cr_expect_float_eq(x_number(s6, "F", u2), 47.5, EPS);
	free(s6);
	t_resp_free(&r);
	free(tok);
	w_free(&w);
}
