/*
 * Time-true decisions over HTTP (DOMAIN.md R-28 … revised; API.md
 * "Additions of the second wave", Time): a person's situation is a history,
 * each year is judged as the person stood in it, a person-year belongs to
 * the jurisdiction it ended in, nothing is registered after leaving, and
 * every decision says why.
 *
 * Every test makes its own units and persons (fresh identifiers) through
 * the API where the API can, and registers and verifies records as a unit
 * and its district bureau would, so that the summaries are the gateway's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "testlib.h"

#define DISTRICT_A "320506"
#define DISTRICT_B "320507"
#define INDUSTRY "education"

typedef struct who {
	char unit[40];
	char *unit_tok, *bureau_tok, *city_tok;
} who;

static void who_new(who *w, const char *district)
{
	t_take_id(w->unit, t_new_unit(NULL, district, INDUSTRY));
	w->unit_tok = t_token("unit", w->unit);
	w->bureau_tok = t_token("district_bureau", district);
	w->city_tok = t_token("city_bureau", NULL);
}

static void who_free(who *w)
{
	free(w->unit_tok);
	free(w->bureau_tok);
	free(w->city_tok);
}

/* POST /v1/persons as the unit: level, cycle start, since (NULL: default) */
static void person_new(char out[40], const who *w, const char *level, int cycle_start,
                       const char *since)
{
	char nid[19], body[512], since_f[64] = "";
	t_make_resident_id(nid, randombytes_random());
	if (since)
		snprintf(since_f, sizeof since_f, ",\"since\":\"%s\"", since);
	snprintf(body, sizeof body,
	         "{\"national_id\":\"%s\",\"name\":\"时间测试\",\"title_level\":\"%s\","
	         "\"cycle_start_year\":%d%s}", nid, level, cycle_start, since_f);
	t_resp r = t_post_json("/v1/persons", w->unit_tok, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	snprintf(out, 40, "%s", t_str(&r, "id"));
	t_resp_free(&r);
}

static int seq;

/* a record of year registered by the unit and verified by its bureau;
 * returns the HTTP status of the registration (201 when it went through) */
static int record(const who *w, const char *person, int year, const char *category,
                  const char *hours, const char *start)
{
	char body[512], day[32];
	if (!start) {
		snprintf(day, sizeof day, "%d-%02d-%02d", year, 1 + (seq % 11), 1 + (seq / 11) % 20);
		start = day;
	}
	seq++;
	/* five days: up to 24 h a day fit any hours used here */
	char end[32];
	int ey, em, ed;
	cr_assert(sscanf(start, "%d-%d-%d", &ey, &em, &ed) == 3 && ed <= 24);
	snprintf(end, sizeof end, "%d-%02d-%02d", ey, em, ed + 4);
	snprintf(body, sizeof body,
	         "{\"person\":\"%s\",\"year\":%d,\"start_date\":\"%s\",\"end_date\":\"%s\","
	         "\"category\":\"%s\",\"form\":\"training_class\",\"class_type\":\"part_time\","
	         "\"hours\":%s}", person, year, start, end, category, hours);
	t_resp r = t_post_json("/v1/records", w->unit_tok, body);
	int status = r.status;
	if (status == 201) {
		char path[128];
		snprintf(path, sizeof path, "/v1/records/%s/verify", t_str(&r, "id"));
		t_resp v = t_http("POST", path, w->bureau_tok, NULL, "", 0);
		cr_assert_eq(v.status, 200, "%s", v.body);
		t_resp_free(&v);
	}
	t_resp_free(&r);
	return status;
}

/* a junior year (14 + 28 h) or an intermediate one (24 + 48 h) */
static void year_of_hours(const who *w, const char *person, int year, bool intermediate)
{
	cr_assert_eq(record(w, person, year, "public", intermediate ? "24" : "14", NULL), 201);
	cr_assert_eq(record(w, person, year, "professional", intermediate ? "48" : "28", NULL), 201);
}

static t_resp compliance(const char *token, const char *person, int year, const char *lang)
{
	char path[160], hdr[64];
	snprintf(path, sizeof path, "/v1/persons/%s/compliance?year=%d", person, year);
	const char *extra[] = { hdr, NULL };
	snprintf(hdr, sizeof hdr, "Accept-Language: %s", lang ? lang : "zh-CN");
	t_resp r = t_http("GET", path, token, extra, NULL, 0);
	cr_assert_eq(r.status, 200, "%s", r.body);
	return r;
}

static t_resp eligibility(const char *token, const char *person, const char *purpose)
{
	char path[200];
	snprintf(path, sizeof path, "/v1/persons/%s/eligibility?purpose=%s", person, purpose);
	t_resp r = t_get(path, token);
	cr_assert_eq(r.status, 200, "%s", r.body);
	return r;
}

static bool compliant_in(const t_resp *r)
{
	return json_is_true(json_object_get(r->json, "compliant"));
}

static const char *basis_str(const t_resp *r, const char *key)
{
	return json_string_value(json_object_get(json_object_get(r->json, "basis"), key));
}

static t_resp patch(const char *token, const char *person, const char *json)
{
	char path[128];
	snprintf(path, sizeof path, "/v1/persons/%s", person);
	return t_http("PATCH", path, token, (const char *const[]){ "Content-Type: application/json", NULL },
	              json, strlen(json));
}

static char *decided_at(const char *person, int year)
{
	char y[16];
	snprintf(y, sizeof y, "%d", year);
	const char *p[] = { person, y };
	return t_sql1("SELECT decided_at::text FROM jxjy.person_year_summary"
	              " WHERE person = $1 AND year = $2::int", 2, p);
}

/* GET /v1/reports/annual for one unit and year: headcount, compliant and
 * hours.total */
static void unit_report(const char *token, const char *unit, int year, double *headcount,
                        double *compliant_n, double *hours)
{
	char path[200];
	snprintf(path, sizeof path, "/v1/reports/annual?year=%d&unit=%s", year, unit);
	t_resp r = t_get(path, token);
	cr_assert_eq(r.status, 200, "%s", r.body);
	*headcount = json_number_value(json_object_get(r.json, "headcount"));
	*compliant_n = json_number_value(json_object_get(r.json, "compliant"));
	*hours = json_number_value(json_object_get(json_object_get(r.json, "hours"), "total"));
	t_resp_free(&r);
}

/* ---- history ------------------------------------------------------- */

Test(time, R28_history_lists_dated_periods_and_refuses_future_or_too_early_dates)
{
	who w;
	who_new(&w, DISTRICT_A);
	int y = t_this_year();
	char p[40], since[32], eff[64], body[512];
	snprintf(since, sizeof since, "%d-03-01", y - 3);
	person_new(p, &w, "junior_assistant", y - 3, since);

	snprintf(eff, sizeof eff, "%d-07-01", y - 1);
	snprintf(body, sizeof body, "{\"title_level\":\"intermediate\",\"effective_date\":\"%s\"}", eff);
	t_resp r = patch(w.unit_tok, p, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "title_level"), "intermediate", "the current level follows the log");
	t_resp_free(&r);

	char path[128];
	snprintf(path, sizeof path, "/v1/persons/%s/history", p);
	r = t_get(path, w.bureau_tok);
	cr_assert_eq(r.status, 200, "%s", r.body);
	json_t *items = json_object_get(r.json, "items");
	cr_assert_eq(json_array_size(items), 2, "%s", r.body);
	json_t *a = json_array_get(items, 0), *b = json_array_get(items, 1);
	cr_expect_str_eq(json_string_value(json_object_get(a, "from")), since);
	cr_expect_str_eq(json_string_value(json_object_get(a, "to")), eff, "to is exclusive");
	cr_expect_str_eq(json_string_value(json_object_get(a, "title_level")), "junior_assistant");
	cr_expect_str_eq(json_string_value(json_object_get(b, "from")), eff);
	cr_expect(json_is_null(json_object_get(b, "to")), "the current period is open");
	cr_expect_str_eq(json_string_value(json_object_get(b, "title_level")), "intermediate");
	cr_expect_str_eq(json_string_value(json_object_get(b, "unit")), w.unit);
	cr_expect_str_eq(json_string_value(json_object_get(b, "district")), DISTRICT_A);
	cr_expect_str_eq(json_string_value(json_object_get(b, "status")), "in_service");
	t_resp_free(&r);

	/* another district sees neither the person nor the history */
	char *other = t_token("district_bureau", DISTRICT_B);
	r = t_get(path, other);
	cr_expect(t_is_problem(&r, 404), "%d %s", r.status, r.body);
	t_resp_free(&r);
	free(other);

	/* never in the future, never before the first period */
	snprintf(body, sizeof body, "{\"title_level\":\"senior_deputy\",\"effective_date\":\"%d-01-01\"}",
	         y + 1);
	r = patch(w.unit_tok, p, body);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "effective_date", "in_future"), "%s", r.body);
	t_resp_free(&r);
	snprintf(body, sizeof body, "{\"title_level\":\"senior_deputy\",\"effective_date\":\"%d-02-28\"}",
	         y - 3);
	r = patch(w.unit_tok, p, body);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "effective_date", "before_first_period"),
	          "%s", r.body);
	t_resp_free(&r);
	/* a refused change changed nothing */
	r = t_get(path, w.bureau_tok);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 2, "%s", r.body);
	t_resp_free(&r);
	who_free(&w);
}

/* ---- which situation judges a year ---------------------------------- */

Test(time, R29_a_promotion_today_keeps_past_years_at_their_level_even_after_a_new_verification)
{
	who w;
	who_new(&w, DISTRICT_A);
	int y = t_this_year();
	char p[40];
	person_new(p, &w, "junior_assistant", y - 3, NULL);
	for (int k = 3; k >= 1; k--)
		year_of_hours(&w, p, y - k, false);
	t_resp r = compliance(w.bureau_tok, p, y - 1, NULL);
	cr_expect(compliant_in(&r), "42 h at junior level: %s", r.body);
	t_resp_free(&r);

	r = patch(w.unit_tok, p, "{\"title_level\":\"intermediate\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	/* one more verified record of last year re-decides it: still at junior */
	cr_assert_eq(record(&w, p, y - 1, "public", "1", NULL), 201);
	r = compliance(w.bureau_tok, p, y - 1, NULL);
	cr_expect(compliant_in(&r), "last year is judged at the level of its 1 January: %s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "title_level")), "junior_assistant");
	cr_expect_str_eq(basis_str(&r, "title_level"), "junior_assistant");
	char as_of[32];
	snprintf(as_of, sizeof as_of, "%d-01-01", y - 1);
	cr_expect_str_eq(basis_str(&r, "as_of"), as_of);
	cr_expect_str_eq(basis_str(&r, "industry"), INDUSTRY);
	json_t *rs = json_object_get(json_object_get(r.json, "basis"), "rule_set");
	cr_expect(json_is_string(json_object_get(rs, "name")) &&
	          !strcmp(json_string_value(json_object_get(rs, "id")), t_str(&r, "rule_set")),
	          "the basis names the deciding rule set: %s", r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "reasons")), 0, "compliant: no reason");
	t_resp_free(&r);
	/* this year too was entered at the junior level: the promotion counts from next year */
	r = compliance(w.bureau_tok, p, y, NULL);
	cr_expect_str_eq(basis_str(&r, "title_level"), "junior_assistant", "%s", r.body);
	t_resp_free(&r);
	who_free(&w);
}

Test(time, R29_a_backdated_promotion_re_decides_exactly_the_years_it_covers)
{
	who w;
	who_new(&w, DISTRICT_A);
	int y = t_this_year();
	char p[40], body[512];
	person_new(p, &w, "junior_assistant", y - 3, NULL);
	for (int k = 3; k >= 1; k--)
		year_of_hours(&w, p, y - k, false);
	char *before3 = decided_at(p, y - 3);
	char *before2 = decided_at(p, y - 2);
	cr_assert(before3 && before2);

	snprintf(body, sizeof body, "{\"title_level\":\"intermediate\",\"effective_date\":\"%d-01-01\"}",
	         y - 2);
	t_resp r = patch(w.unit_tok, p, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);

	r = compliance(w.bureau_tok, p, y - 3, NULL);
	cr_expect(compliant_in(&r), "%d lies before the change: %s", y - 3, r.body);
	t_resp_free(&r);
	char *after3 = decided_at(p, y - 3);
	cr_expect_str_eq(after3, before3, "a year the change does not cover is not re-decided");
	char *after2 = decided_at(p, y - 2);
	cr_expect_str_neq(after2, before2, "a covered year is re-decided");
	for (int k = 2; k >= 1; k--) {
		r = compliance(w.bureau_tok, p, y - k, "en");
		cr_expect(!compliant_in(&r), "%d now needs 24 + 48 h: %s", y - k, r.body);
		cr_expect_str_eq(basis_str(&r, "title_level"), "intermediate");
		json_t *reasons = json_object_get(r.json, "reasons");
		cr_expect_eq(json_array_size(reasons), 2, "public and professional short: %s", r.body);
		json_t *first = json_array_get(reasons, 0);
		cr_expect_str_eq(json_string_value(json_object_get(first, "code")), "public_short");
		cr_expect_str_eq(json_string_value(json_object_get(first, "rule")), "R-5");
		cr_expect_float_eq(json_number_value(json_object_get(first, "required")), 24.0, 1e-9);
		cr_expect_float_eq(json_number_value(json_object_get(first, "earned")), 14.0, 1e-9);
		const char *msg = json_string_value(json_object_get(first, "message"));
		cr_expect(msg && strstr(msg, "public") && strstr(msg, "24.0"), "English: %s", msg);
		cr_expect_str_eq(t_header(&r, "Content-Language"), "en");
		t_resp_free(&r);
	}
	/* promotion examines the years judged at the current level only;
	 * asked without Accept-Language: the reasons in Chinese */
	t_accept_language = NULL;
	r = eligibility(w.bureau_tok, p, "promotion");
	t_accept_language = "en";
	cr_expect(json_is_false(json_object_get(r.json, "eligible")), "%s", r.body);
	json_t *failing = json_object_get(r.json, "failing_years");
	cr_expect_eq(json_array_size(failing), 2, "%s", r.body);
	json_t *f0 = json_array_get(failing, 0);
	cr_expect_eq(json_integer_value(json_object_get(f0, "year")), y - 2);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(f0, "basis"), "title_level")),
	                 "intermediate", "%s", r.body);
	json_t *reason = json_array_get(json_object_get(r.json, "reasons"), 0);
	cr_expect(json_is_string(json_object_get(reason, "code")) &&
	          json_is_string(json_object_get(reason, "rule")) &&
	          json_is_string(json_object_get(reason, "message")), "reasons are objects: %s", r.body);
	const char *zh = json_string_value(json_object_get(reason, "message"));
	bool cjk = false;
	for (const char *c = zh ? zh : ""; *c; c++)
		cjk = cjk || (unsigned char)*c >= 0x80;
	cr_expect(cjk && !strstr(zh, "compliant"), "Chinese by default: %s", zh ? zh : "(null)");
	cr_expect_str_eq(t_header(&r, "Content-Language"), "zh-CN");
	t_resp_free(&r);
	free(before3);
	free(before2);
	free(after3);
	free(after2);
	who_free(&w);
}

/* ---- which jurisdiction owns a person-year -------------------------- */

Test(time, R30_a_transfer_leaves_ended_years_with_the_old_unit_and_moves_the_running_year)
{
	who a, b;
	who_new(&a, DISTRICT_A);
	who_new(&b, DISTRICT_B);
	int y = t_this_year();
	char p[40];
	person_new(p, &a, "intermediate", y - 2, NULL);
	year_of_hours(&a, p, y - 1, true);
	char jan1[32];
	snprintf(jan1, sizeof jan1, "%d-01-01", y); /* never after today */
	cr_assert_eq(record(&a, p, y, "public", "6", jan1), 201);
	double hc, cp, hours;
	unit_report(a.city_tok, a.unit, y - 1, &hc, &cp, &hours);
	cr_expect(hc == 1 && cp == 1 && hours == 72, "before: %g %g %g", hc, cp, hours);

	char body[128], path[128];
	snprintf(body, sizeof body, "{\"to_unit\":\"%s\"}", b.unit);
	snprintf(path, sizeof path, "/v1/persons/%s/transfers", p);
	t_resp r = t_post_json(path, a.unit_tok, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	snprintf(path, sizeof path, "/v1/transfers/%s/accept", t_str(&r, "id"));
	t_resp_free(&r);
	r = t_http("POST", path, b.unit_tok, NULL, "", 0);
	cr_assert_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);

	unit_report(a.city_tok, a.unit, y - 1, &hc, &cp, &hours);
	cr_expect(hc == 1 && cp == 1 && hours == 72, "the ended year stays: %g %g %g", hc, cp, hours);
	unit_report(a.city_tok, b.unit, y - 1, &hc, &cp, &hours);
	cr_expect(hc == 0 && cp == 0 && hours == 0, "the new unit gains nothing of it: %g %g %g", hc, cp,
	          hours);
	unit_report(a.city_tok, a.unit, y, &hc, &cp, &hours);
	cr_expect(hc == 0 && hours == 0, "the running year moved away: %g %g", hc, hours);
	unit_report(a.city_tok, b.unit, y, &hc, &cp, &hours);
	cr_expect(hc == 1 && hours == 6, "the running year moved here: %g %g", hc, hours);
	/* the new unit sees the person's past (R-1: the whole history follows) */
	r = compliance(b.unit_tok, p, y - 1, NULL);
	cr_expect(compliant_in(&r), "%s", r.body);
	t_resp_free(&r);
	who_free(&a);
	who_free(&b);
}

/* ---- nothing after leaving; no requirement before the rules --------- */

Test(time, R31_nothing_is_registered_after_leaving_and_headcount_follows_the_date)
{
	who w;
	who_new(&w, DISTRICT_A);
	int y = t_this_year();
	char p[40], body[512];
	person_new(p, &w, "intermediate", y - 2, NULL);
	year_of_hours(&w, p, y - 1, true);
	double hc, cp, hours;
	unit_report(w.city_tok, w.unit, y, &hc, &cp, &hours);
	cr_expect_eq(hc, 1);

	snprintf(body, sizeof body, "{\"status\":\"left\",\"effective_date\":\"%d-01-01\"}", y);
	t_resp r = patch(w.unit_tok, p, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "left");
	t_resp_free(&r);

	char start[32];
	snprintf(start, sizeof start, "%d-01-02", y);
	cr_expect_eq(record(&w, p, y, "public", "3", start), 422, "a record after leaving (R-31)");
	snprintf(body, sizeof body,
	         "{\"person\":\"%s\",\"year\":%d,\"start_date\":\"%s\",\"end_date\":\"%s\","
	         "\"category\":\"public\",\"form\":\"training_class\",\"class_type\":\"part_time\","
	         "\"hours\":3}", p, y, start, start);
	r = t_post_json("/v1/records", w.unit_tok, body);
	cr_expect(t_has_error(&r, "start_date", "after_leaving"), "%s", r.body);
	t_resp_free(&r);
	/* nor an achievement of a year they spent out of service */
	snprintf(body, sizeof body, "{\"person\":\"%s\",\"kind\":\"paper_provincial\",\"year\":%d,"
	         "\"title\":\"离职后论文\",\"venue\":\"江苏教育\"}", p, y);
	r = t_post_json("/v1/achievements", w.unit_tok, body);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "person", "after_leaving"), "%s", r.body);
	t_resp_free(&r);
	/* before leaving is still fine */
	char before[32];
	snprintf(before, sizeof before, "%d-12-20", y - 1);
	cr_expect_eq(record(&w, p, y - 1, "public", "2", before), 201);

	unit_report(w.city_tok, w.unit, y, &hc, &cp, &hours);
	cr_expect_eq(hc, 0, "the running year: left");
	unit_report(w.city_tok, w.unit, y - 1, &hc, &cp, &hours);
	cr_expect(hc == 1 && cp == 1, "the year they ended in service: %g %g", hc, cp);
	who_free(&w);
}

Test(time, R31_a_cycle_starting_in_2010_gets_an_eligibility_answer)
{
	who w;
	who_new(&w, DISTRICT_A);
	char p[40];
	person_new(p, &w, "intermediate", 2010, "2010-01-01");
	const char *purposes[] = { "promotion", "hiring", "renewal" };
	for (int i = 0; i < 3; i++) {
		t_resp r = eligibility(w.bureau_tok, p, purposes[i]);
		cr_expect(json_is_boolean(json_object_get(r.json, "eligible")), "%s", r.body);
		t_resp_free(&r);
	}
	char path[160];
	snprintf(path, sizeof path, "/v1/persons/%s/eligibility?purpose=annual_assessment&year=2011", p);
	t_resp r = t_get(path, w.bureau_tok);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect(json_is_true(json_object_get(r.json, "eligible")), "no rule set in 2011: %s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r.json, "reasons"),
	                                                                   0), "code")),
	                 "no_requirement");
	t_resp_free(&r);
	who_free(&w);
}

/* ---- R-15 revised ----------------------------------------------------------- */

Test(time, R15_no_record_in_the_five_years_before_this_one_is_not_eligible_though_a_cycle_began)
{
	who w;
	who_new(&w, DISTRICT_A);
	int y = t_this_year();
	char p[40], since[32];
	snprintf(since, sizeof since, "%d-01-01", y - 5);
	/* five-year cycles from y - 5: the current one began on 1 January */
	person_new(p, &w, "intermediate", y - 5, since);
	const char *purposes[] = { "promotion", "hiring", "renewal" };
	for (int i = 0; i < 3; i++) {
		t_resp r = eligibility(w.bureau_tok, p, purposes[i]);
		cr_expect(json_is_false(json_object_get(r.json, "eligible")), "%s: %s", purposes[i], r.body);
		cr_expect_eq(json_array_size(json_object_get(r.json, "failing_years")), 5, "%s: %s",
		             purposes[i], r.body);
		cr_expect_eq(json_integer_value(json_object_get(json_object_get(r.json, "cycle"),
		                                                "start_year")), y, "%s", r.body);
		t_resp_free(&r);
	}
	who_free(&w);
}

Test(time, R15_a_person_promoted_last_year_is_examined_only_from_the_first_year_at_the_new_level)
{
	who w;
	who_new(&w, DISTRICT_A);
	int y = t_this_year();
	char p[40], since[32], body[512];
	snprintf(since, sizeof since, "%d-01-01", y - 5);
	person_new(p, &w, "junior_assistant", y - 5, since);
	/* nothing at the junior level; last year, at the new level, complete */
	snprintf(body, sizeof body, "{\"title_level\":\"intermediate\",\"effective_date\":\"%d-01-01\"}",
	         y - 1);
	t_resp r = patch(w.unit_tok, p, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	year_of_hours(&w, p, y - 1, true);
	r = eligibility(w.bureau_tok, p, "promotion");
	cr_expect(json_is_true(json_object_get(r.json, "eligible")), "%s", r.body);
	json_t *ex = json_object_get(r.json, "examined");
	cr_expect(json_integer_value(json_object_get(ex, "from")) == y - 1 &&
	          json_integer_value(json_object_get(ex, "to")) == y - 1, "%s", r.body);
	t_resp_free(&r);
	r = eligibility(w.bureau_tok, p, "hiring");
	cr_expect(json_is_false(json_object_get(r.json, "eligible")), "hiring looks at five years: %s",
	          r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "failing_years")), 4, "%s", r.body);
	t_resp_free(&r);
	who_free(&w);
}
