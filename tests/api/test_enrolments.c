/*
 * Enrolments and the completion that registers a base's record
 * over HTTP against the real database.
 *
 * Fixtures are inserted as the superuser: two private industries with their
 * own rule sets (effective 2000-01-01, 24 + 48 h for intermediate titles;
 * one verifies base completions at once, the other does not), so that rule
 * sets other suites add to the city default cannot change what these tests
 * expect; accredited bases; approved projects; persons.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "testlib.h"

#define IND_AUTO "enrol_auto"     /* auto_verify_base_completions = true */
#define IND_MANUAL "enrol_manual" /* auto_verify_base_completions = false */
#define GUSU "320508"
#define WUZHONG "320506"

typedef char id_t36[40];

/* ---- fixtures ----------------------------------------------------------- */

static void ensure_rule_sets(PGconn *db)
{
	static const char *const sql =
		"INSERT INTO jxjy.industries (code, name) VALUES ('" IND_AUTO "', '测试行业（自动验证）'),"
		" ('" IND_MANUAL "', '测试行业（人工验证）') ON CONFLICT DO NOTHING;"
		"INSERT INTO jxjy.rule_sets (industry, name, effective_from, cycle_years,"
		" auto_verify_base_completions, city_senior_faculty_pct, city_certified_manager_pct,"
		" district_senior_faculty_pct, district_certified_manager_pct)"
		" SELECT i.code, 'enrolment tests ' || i.code, DATE '2000-01-01', 5, i.code = '" IND_AUTO "',"
		" 60, 80, 60, 80 FROM jxjy.industries i WHERE i.code IN ('" IND_AUTO "', '" IND_MANUAL "')"
		" AND NOT EXISTS (SELECT 1 FROM jxjy.rule_sets r WHERE r.industry = i.code);"
		"INSERT INTO jxjy.rule_set_minimums (rule_set, title_level, public_hours, professional_hours)"
		" SELECT r.id, l.level, l.pub, l.pro FROM jxjy.rule_sets r,"
		" (VALUES ('senior_full'::jxjy.title_level, 24, 48), ('senior_deputy', 24, 48),"
		"  ('intermediate', 24, 48), ('junior_assistant', 14, 28), ('junior_member', 14, 28))"
		"  AS l(level, pub, pro)"
		" WHERE r.industry IN ('" IND_AUTO "', '" IND_MANUAL "') ON CONFLICT DO NOTHING";
	PGresult *res = PQexec(db, sql);
	cr_assert(PQresultStatus(res) == PGRES_COMMAND_OK, "rule sets: %s", PQresultErrorMessage(res));
	PQclear(res);
}

/* an approved public project of this year with its own public subject */
static void make_project(PGconn *db, id_t36 out, const char *base, const char *status,
                         const char *capacity, const char *hours, const char *class_type)
{
	char code[40];
	snprintf(code, sizeof code, "ENR-%08x", randombytes_random());
	const char *ps[] = { code };
	id_t36 subject;
	t_take_id(subject, t_sql_value(db, "INSERT INTO jxjy.public_subjects (year, code, title, hours)"
	                                   " VALUES (extract(year FROM jxjy.today())::int, $1, '公需测试科目', 12)"
	                                   " RETURNING id", 1, ps));
	const char *p[] = { base, subject, hours, class_type, capacity, status };
	t_take_id(out, t_sql_value(db, "INSERT INTO jxjy.projects (base, year, title, category, subject_public,"
	                               " hours, class_type, capacity, fee, funding_government, funding_unit,"
	                               " funding_individual, status) VALUES ($1, extract(year FROM jxjy.today())::int,"
	                               " '测试培训班', 'public', $2, $3::numeric, $4::jxjy.class_type, $5::int, 300,"
	                               " 50, 30, 20, $6::jxjy.project_status) RETURNING id", 6, p));
}

typedef struct world {
	id_t36 unit, base, project, person[4];
	char *base_tok;
} world;

/* an accredited base in 吴中, its approved project (capacity 2, 12.0 h,
 * part-time), four persons of a 姑苏 unit of the given industry */
static void setup_world(world *w, const char *industry)
{
	PGconn *db = t_db();
	ensure_rule_sets(db);
	t_take_id(w->unit, t_new_unit(db, GUSU, industry));
	t_take_id(w->base, t_new_base(db, "district", WUZHONG, "accredited"));
	make_project(db, w->project, w->base, "approved", "2", "12.0", "part_time");
	for (int i = 0; i < 4; i++)
		t_take_id(w->person[i], t_new_person(db, w->unit, "intermediate"));
	PQfinish(db);
	w->base_tok = t_token("base", w->base);
}

/* ---- HTTP helpers ------------------------------------------------------- */

static t_resp call(const char *method, const char *path, const char *tok, const char *body,
                   const char *header)
{
	const char *h[3] = { NULL, NULL, NULL };
	int n = 0;
	if (body)
		h[n++] = "Content-Type: application/json";
	if (header)
		h[n++] = header;
	return t_http(method, path, tok, n ? h : NULL, body ? body : "", body ? strlen(body) : 0);
}

static t_resp enrol(const char *tok, const char *project, const char *person)
{
	char path[128], body[128];
	snprintf(path, sizeof path, "/v1/projects/%s/enrolments", project);
	snprintf(body, sizeof body, "{\"person\":\"%s\"}", person);
	return call("POST", path, tok, body, NULL);
}

static t_resp patch(const char *tok, const char *enrolment, const char *body, const char *if_match)
{
	char path[128], hdr[128];
	snprintf(path, sizeof path, "/v1/enrolments/%s", enrolment);
	if (if_match)
		snprintf(hdr, sizeof hdr, "If-Match: %s", if_match);
	return call("PATCH", path, tok, body, if_match ? hdr : NULL);
}

static t_resp complete(const char *tok, const char *enrolment, const char *idem)
{
	char path[128], hdr[300];
	snprintf(path, sizeof path, "/v1/enrolments/%s/complete", enrolment);
	if (idem)
		snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", idem);
	return call("POST", path, tok, NULL, idem ? hdr : NULL);
}

/* enrols, returns the enrolment id */
static void enrolled(id_t36 out, const char *tok, const char *project, const char *person)
{
	t_resp r = enrol(tok, project, person);
	cr_assert_eq(r.status, 201, "enrol: %d %s", r.status, r.body);
	snprintf(out, sizeof(id_t36), "%s", t_str(&r, "id"));
	t_resp_free(&r);
}

/* enrolled, attended `hours`, exam `exam` */
static void prepared(id_t36 out, const char *tok, const char *project, const char *person,
                     const char *hours, const char *exam)
{
	enrolled(out, tok, project, person);
	char body[128];
	snprintf(body, sizeof body, "{\"attended_hours\":%s,\"exam_result\":\"%s\"}", hours, exam);
	t_resp r = patch(tok, out, body, NULL);
	cr_assert_eq(r.status, 200, "patch: %d %s", r.status, r.body);
	t_resp_free(&r);
}

static char *db_value(const char *sql, const char *a, const char *b)
{
	PGconn *db = t_db();
	const char *p[] = { a, b };
	char *v = t_sql_value(db, sql, b ? 2 : (a ? 1 : 0), p);
	PQfinish(db);
	return v;
}

/* ---- the full path ------------------------------------------------------ */

Test(enrolments, R20_enrol_attend_pass_complete_creates_a_verified_record_and_the_summary)
{
	world w;
	setup_world(&w, IND_AUTO);
	t_resp r = enrol(w.base_tok, w.project, w.person[0]);
	cr_assert_eq(r.status, 201, "%s", r.body);
	char loc[128];
	snprintf(loc, sizeof loc, "%s", t_header(&r, "Location") ? t_header(&r, "Location") : "");
	cr_expect(strncmp(loc, "/v1/enrolments/", 15) == 0, "Location: %s", loc);
	cr_expect(t_header(&r, "ETag") != NULL, "ETag on creation");
	cr_expect_str_eq(t_str(&r, "status"), "enrolled");
	cr_expect_str_eq(t_str(&r, "exam_result"), "pending");
	cr_expect_str_eq(t_str(&r, "project"), w.project);
	cr_expect_str_eq(t_str(&r, "person"), w.person[0]);
	cr_expect(json_is_null(json_object_get(r.json, "record")));
	cr_expect_eq(json_number_value(json_object_get(r.json, "attended_hours")), 0.0);
	id_t36 e;
	snprintf(e, sizeof e, "%s", t_str(&r, "id"));
	t_resp_free(&r);

	r = patch(w.base_tok, e, "{\"attended_hours\":12.0}", NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(json_number_value(json_object_get(r.json, "attended_hours")), 12.0);
	t_resp_free(&r);
	r = patch(w.base_tok, e, "{\"exam_result\":\"passed\",\"evaluation\":{\"satisfaction\":\"good\"}}", NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "exam_result"), "passed");
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(r.json, "evaluation"), "satisfaction")), "good");
	t_resp_free(&r);

	r = complete(w.base_tok, e, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "completed");
	cr_expect(json_is_string(json_object_get(r.json, "record")), "the record id: %s", r.body);
	cr_expect(json_is_string(json_object_get(r.json, "completed_at")));
	id_t36 rec;
	snprintf(rec, sizeof rec, "%s", t_str(&r, "record") ? t_str(&r, "record") : "");
	t_resp_free(&r);

	/* the record: R-12 fields from the project, R-14 verified at once */
	char *row = db_value("SELECT concat_ws('|', person, year, start_date = jxjy.today(),"
	                     " end_date = jxjy.today(), year = extract(year FROM jxjy.today()), category, form,"
	                     " class_type, hours, source, project, enrolment, status, verified_by IS NOT NULL)"
	                     " FROM jxjy.records WHERE id = $1::uuid", rec, NULL);
	cr_assert(row != NULL, "the record exists");
	char want[512];
	char *year = db_value("SELECT extract(year FROM jxjy.today())::int", NULL, NULL);
	snprintf(want, sizeof want, "%s|%s|t|t|t|public|training_class|part_time|12.0|base|%s|%s|verified|t",
	         w.person[0], year, w.project, e);
	cr_expect_str_eq(row, want);
	free(row);
	/* the summary reflects the hours, not yet compliant */
	row = db_value("SELECT concat_ws('|', public_verified, professional_verified, public_pending,"
	               " required_public, required_professional, compliant)"
	               " FROM jxjy.person_year_summary WHERE person = $1::uuid AND year = $2::int",
	               w.person[0], year);
	cr_expect(row && !strcmp(row, "12.0|0.0|0.0|24.0|48.0|f"), "summary: %s", row ? row : "(none)");
	free(row);
	/* audited: create, update, complete on the enrolment, create on the record */
	row = db_value("SELECT string_agg(action, ',' ORDER BY id) FROM jxjy.audit_log"
	               " WHERE entity = 'enrolment' AND entity_id = $1", e, NULL);
	cr_expect(row && !strcmp(row, "create,update,update,complete"), "audit: %s", row ? row : "");
	free(row);
	row = db_value("SELECT count(*) FROM jxjy.audit_log WHERE entity = 'record' AND action = 'create'"
	               " AND entity_id = $1", rec, NULL);
	cr_expect_str_eq(row, "1");
	free(row);
	free(year);

	/* the base, the district bureau of the base and the person read it */
	char path[128];
	snprintf(path, sizeof path, "/v1/enrolments/%s", e);
	r = t_get(path, w.base_tok);
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(t_str(&r, "status"), "completed");
	t_resp_free(&r);
	free(w.base_tok);
}

Test(enrolments, R5_completion_that_completes_24_plus_48_makes_the_year_compliant)
{
	world w;
	setup_world(&w, IND_AUTO);
	/* already verified this year: 12 h public, 48 h professional */
	PGconn *db = t_db();
	const char *p[] = { w.person[1] };
	PQclear(t_sql(db, "INSERT INTO jxjy.records (person, year, start_date, end_date, category, form,"
	                  " class_type, hours, source, status) VALUES"
	                  " ($1::uuid, extract(year FROM jxjy.today())::int, jxjy.today(), jxjy.today(), 'public',"
	                  " 'academic_exchange', 'full_time', 12, 'unit', 'verified'),"
	                  " ($1::uuid, extract(year FROM jxjy.today())::int, jxjy.today() - 1, jxjy.today(),"
	                  " 'professional', 'academic_exchange', 'full_time', 48, 'unit', 'verified')", 1, p));
	PQfinish(db);
	id_t36 e;
	prepared(e, w.base_tok, w.project, w.person[1], "12", "passed");
	t_resp r = complete(w.base_tok, e, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	char *row = db_value("SELECT concat_ws('|', public_verified, professional_verified, compliant)"
	                     " FROM jxjy.person_year_summary WHERE person = $1::uuid"
	                     " AND year = extract(year FROM jxjy.today())::int", w.person[1], NULL);
	cr_expect(row && !strcmp(row, "24.0|48.0|t"), "summary: %s", row ? row : "(none)");
	free(row);
	free(w.base_tok);
}

Test(enrolments, R14_without_auto_verification_the_record_waits_for_a_reviewer)
{
	world w;
	setup_world(&w, IND_MANUAL);
	id_t36 e;
	prepared(e, w.base_tok, w.project, w.person[0], "12.0", "passed");
	t_resp r = complete(w.base_tok, e, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	char *row = db_value("SELECT r.status || '|' || s.public_verified || '|' || s.public_pending"
	                     " FROM jxjy.records r JOIN jxjy.person_year_summary s"
	                     " ON s.person = r.person AND s.year = r.year WHERE r.enrolment = $1::uuid", e, NULL);
	cr_expect(row && !strcmp(row, "registered|0.0|12.0"), "record and summary: %s", row ? row : "");
	free(row);
	free(w.base_tok);
}

/* ---- capacity and duplicates -------------------------------------------- */

Test(enrolments, R20_a_full_project_is_409)
{
	world w;
	setup_world(&w, IND_AUTO);
	id_t36 e;
	enrolled(e, w.base_tok, w.project, w.person[0]);
	enrolled(e, w.base_tok, w.project, w.person[1]);
	t_resp r = enrol(w.base_tok, w.project, w.person[2]);
	cr_expect(t_is_problem(&r, 409), "third of capacity 2: %d %s", r.status, r.body);
	t_resp_free(&r);
	char *n = db_value("SELECT count(*) FROM jxjy.enrolments WHERE project = $1::uuid", w.project, NULL);
	cr_expect_str_eq(n, "2");
	free(n);
	free(w.base_tok);
}

Test(enrolments, R20_concurrent_enrolments_never_overfill, .timeout = 60)
{
	world w;
	setup_world(&w, IND_AUTO);
	enum { N = 6 };
	id_t36 extra[N];
	PGconn *db = t_db();
	for (int i = 0; i < N; i++)
		t_take_id(extra[i], t_new_person(db, w.unit, "intermediate"));
	PQfinish(db);
	int go[2];
	cr_assert(pipe(go) == 0);
	pid_t pids[N];
	for (int i = 0; i < N; i++) {
		pids[i] = fork();
		cr_assert(pids[i] >= 0);
		if (pids[i] == 0) {
			char c;
			close(go[1]);
			if (read(go[0], &c, 1) < 0)
				_exit(9);
			t_resp r = enrol(w.base_tok, w.project, extra[i]);
			_exit(r.status == 201 ? 1 : r.status == 409 ? 2 : 3);
		}
	}
	close(go[0]);
	close(go[1]); /* every child's read returns: they start together */
	int created = 0, full = 0, other = 0;
	for (int i = 0; i < N; i++) {
		int st = 0;
		waitpid(pids[i], &st, 0);
		int code = WIFEXITED(st) ? WEXITSTATUS(st) : 3;
		created += code == 1;
		full += code == 2;
		other += code == 3 || code == 9;
	}
	cr_expect_eq(created, 2, "exactly the capacity is enrolled (%d created, %d full, %d other)",
	             created, full, other);
	cr_expect_eq(full, N - 2);
	char *n = db_value("SELECT count(*) FROM jxjy.enrolments WHERE project = $1::uuid", w.project, NULL);
	cr_expect_str_eq(n, "2");
	free(n);
	free(w.base_tok);
}

Test(enrolments, R20_the_same_person_twice_is_409)
{
	world w;
	setup_world(&w, IND_AUTO);
	id_t36 e;
	enrolled(e, w.base_tok, w.project, w.person[0]);
	t_resp r = enrol(w.base_tok, w.project, w.person[0]);
	cr_expect(t_is_problem(&r, 409), "%d %s", r.status, r.body);
	t_resp_free(&r);
	free(w.base_tok);
}

/* ---- completion rules ----------------------------------------------------- */

Test(enrolments, R20_completion_without_a_passed_exam_is_422_and_creates_nothing)
{
	world w;
	setup_world(&w, IND_AUTO);
	const char *exams[] = { "pending", "failed" };
	for (int i = 0; i < 2; i++) {
		id_t36 e;
		prepared(e, w.base_tok, w.project, w.person[i], "12", exams[i]);
		t_resp r = complete(w.base_tok, e, NULL);
		cr_expect(t_is_problem(&r, 422), "%s: %d %s", exams[i], r.status, r.body);
		cr_expect(t_has_error(&r, "exam_result", NULL), "%s: field exam_result", exams[i]);
		t_resp_free(&r);
		char *n = db_value("SELECT count(*) || '|' || (SELECT status FROM jxjy.enrolments WHERE id = $1::uuid)"
		                   " FROM jxjy.records WHERE enrolment = $1::uuid", e, NULL);
		cr_expect_str_eq(n, "0|enrolled");
		free(n);
	}
	free(w.base_tok);
}

Test(enrolments, R20_a_second_completion_is_409)
{
	world w;
	setup_world(&w, IND_AUTO);
	id_t36 e;
	prepared(e, w.base_tok, w.project, w.person[0], "12", "passed");
	t_resp r = complete(w.base_tok, e, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	r = complete(w.base_tok, e, NULL);
	cr_expect(t_is_problem(&r, 409), "%d %s", r.status, r.body);
	t_resp_free(&r);
	char *n = db_value("SELECT count(*) FROM jxjy.records WHERE enrolment = $1::uuid", e, NULL);
	cr_expect_str_eq(n, "1");
	free(n);
	/* a completed enrolment is final */
	r = patch(w.base_tok, e, "{\"exam_result\":\"failed\"}", NULL);
	cr_expect(t_is_problem(&r, 409), "patch after completion: %d %s", r.status, r.body);
	t_resp_free(&r);
	free(w.base_tok);
}

Test(enrolments, R20_attended_hours_are_capped_at_the_project_hours)
{
	world w;
	setup_world(&w, IND_AUTO);
	struct { const char *attended, *credited; } cases[] = { { "15.5", "12.0" }, { "8.5", "8.5" },
	                                                          { "12", "12.0" } };
	for (int i = 0; i < 3; i++) {
		/* capacity 2: a new project each time */
		if (i == 2) {
			PGconn *db = t_db();
			make_project(db, w.project, w.base, "approved", "2", "12.0", "part_time");
			PQfinish(db);
		}
		id_t36 e;
		prepared(e, w.base_tok, w.project, w.person[i], cases[i].attended, "passed");
		t_resp r = complete(w.base_tok, e, NULL);
		cr_assert_eq(r.status, 200, "%s", r.body);
		cr_expect_eq(json_number_value(json_object_get(r.json, "attended_hours")), atof(cases[i].attended),
		             "attendance is kept as given");
		t_resp_free(&r);
		char *h = db_value("SELECT hours FROM jxjy.records WHERE enrolment = $1::uuid", e, NULL);
		cr_expect(h && !strcmp(h, cases[i].credited), "attended %s: credited %s, want %s",
		          cases[i].attended, h ? h : "(none)", cases[i].credited);
		free(h);
	}
	free(w.base_tok);
}

Test(enrolments, R12_no_hours_attended_is_422_and_creates_nothing)
{
	world w;
	setup_world(&w, IND_AUTO);
	id_t36 e;
	prepared(e, w.base_tok, w.project, w.person[0], "0", "passed");
	t_resp r = complete(w.base_tok, e, NULL);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "attended_hours", NULL));
	t_resp_free(&r);
	char *n = db_value("SELECT count(*) FROM jxjy.records WHERE person = $1::uuid", w.person[0], NULL);
	cr_expect_str_eq(n, "0");
	free(n);
	free(w.base_tok);
}

Test(enrolments, R12_hours_over_24_start_earlier_so_that_they_fit_the_days)
{
	world w;
	setup_world(&w, IND_AUTO);
	PGconn *db = t_db();
	make_project(db, w.project, w.base, "approved", "2", "30.0", "full_time");
	PQfinish(db);
	id_t36 e;
	prepared(e, w.base_tok, w.project, w.person[0], "30", "passed");
	t_resp r = complete(w.base_tok, e, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	char *row = db_value("SELECT concat_ws('|', end_date = jxjy.today(), end_date - start_date, hours,"
	                     " class_type, year = extract(year FROM end_date))"
	                     " FROM jxjy.records WHERE enrolment = $1::uuid", e, NULL);
	cr_expect(row && !strcmp(row, "t|1|30.0|full_time|t"), "two days: %s", row ? row : "");
	free(row);
	free(w.base_tok);
}

/* ---- who may enrol into what -------------------------------- */

Test(enrolments, R16_a_base_that_is_not_accredited_cannot_enrol)
{
	const char *statuses[] = { "revoked", "suspended", "applied" };
	for (int i = 0; i < 3; i++) {
		world w;
		setup_world(&w, IND_AUTO);
		PGconn *db = t_db();
		const char *p[] = { statuses[i], w.base };
		PQclear(t_sql(db, "UPDATE jxjy.bases SET status = $1::jxjy.base_status WHERE id = $2::uuid", 2, p));
		PQfinish(db);
		t_resp r = enrol(w.base_tok, w.project, w.person[0]);
		cr_expect(t_is_problem(&r, 403), "%s base: %d %s", statuses[i], r.status, r.body);
		t_resp_free(&r);
		char *n = db_value("SELECT count(*) FROM jxjy.enrolments WHERE project = $1::uuid", w.project, NULL);
		cr_expect_str_eq(n, "0");
		free(n);
		free(w.base_tok);
	}
}

Test(enrolments, R16_a_base_revoked_after_enrolment_cannot_complete)
{
	world w;
	setup_world(&w, IND_AUTO);
	id_t36 e;
	prepared(e, w.base_tok, w.project, w.person[0], "12", "passed");
	PGconn *db = t_db();
	const char *p[] = { w.base };
	PQclear(t_sql(db, "UPDATE jxjy.bases SET status = 'revoked' WHERE id = $1::uuid", 1, p));
	PQfinish(db);
	t_resp r = complete(w.base_tok, e, NULL);
	cr_expect(t_is_problem(&r, 403), "%d %s", r.status, r.body);
	t_resp_free(&r);
	char *n = db_value("SELECT count(*) FROM jxjy.records WHERE enrolment = $1::uuid", e, NULL);
	cr_expect_str_eq(n, "0");
	free(n);
	/* its files on past sessions may still be kept */
	r = patch(w.base_tok, e, "{\"evaluation\":{\"note\":\"kept\"}}", NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	free(w.base_tok);
}

Test(enrolments, R19_only_an_approved_project_takes_trainees)
{
	world w;
	setup_world(&w, IND_AUTO);
	const char *statuses[] = { "draft", "submitted", "rejected" };
	PGconn *db = t_db();
	for (int i = 0; i < 3; i++) {
		id_t36 pr;
		make_project(db, pr, w.base, statuses[i], "5", "12.0", "part_time");
		t_resp r = enrol(w.base_tok, pr, w.person[0]);
		cr_expect(t_is_problem(&r, 409), "%s project: %d %s", statuses[i], r.status, r.body);
		t_resp_free(&r);
	}
	PQfinish(db);
	free(w.base_tok);
}

Test(enrolments, another_bases_project_and_enrolments_are_404)
{
	world a, b;
	setup_world(&a, IND_AUTO);
	setup_world(&b, IND_AUTO);
	id_t36 e;
	enrolled(e, a.base_tok, a.project, a.person[0]);
	t_resp r = enrol(b.base_tok, a.project, a.person[1]);
	cr_expect(t_is_problem(&r, 404), "enrol: %d", r.status);
	t_resp_free(&r);
	r = patch(b.base_tok, e, "{\"attended_hours\":1}", NULL);
	cr_expect(t_is_problem(&r, 404), "patch: %d", r.status);
	t_resp_free(&r);
	r = complete(b.base_tok, e, NULL);
	cr_expect(t_is_problem(&r, 404), "complete: %d", r.status);
	t_resp_free(&r);
	r = enrol(a.base_tok, "11111111-2222-4333-8444-555555555555", a.person[1]);
	cr_expect(t_is_problem(&r, 404), "no such project: %d", r.status);
	t_resp_free(&r);
	r = t_get("/v1/enrolments/not-a-uuid", a.base_tok);
	cr_expect(t_is_problem(&r, 404), "malformed id: %d", r.status);
	t_resp_free(&r);
	free(a.base_tok);
	free(b.base_tok);
}

/* ---- validation, ETag, idempotency, lists --------------------------------- */

Test(enrolments, validation_names_the_fields)
{
	world w;
	setup_world(&w, IND_AUTO);
	char path[128];
	snprintf(path, sizeof path, "/v1/projects/%s/enrolments", w.project);
	t_resp r = call("POST", path, w.base_tok, "{\"person\":\"nobody\",\"seat\":3}", NULL);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "person", NULL) && t_has_error(&r, "seat", NULL), "%s", r.body);
	t_resp_free(&r);
	r = enrol(w.base_tok, w.project, "11111111-2222-4333-8444-555555555555");
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "person", NULL), "unknown person: %d %s", r.status, r.body);
	t_resp_free(&r);

	id_t36 e;
	enrolled(e, w.base_tok, w.project, w.person[0]);
	struct { const char *body, *field; } bad[] = {
		{ "{\"attended_hours\":-1}", "attended_hours" },
		{ "{\"attended_hours\":12.55}", "attended_hours" },
		{ "{\"attended_hours\":\"12\"}", "attended_hours" },
		{ "{\"exam_result\":\"excellent\"}", "exam_result" },
		{ "{\"evaluation\":[1,2]}", "evaluation" },
		{ "{\"status\":\"completed\"}", "status" },
		{ "{}", "attended_hours" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = patch(w.base_tok, e, bad[i].body, NULL);
		cr_expect(t_is_problem(&r, 422), "%s: %d", bad[i].body, r.status);
		cr_expect(t_has_error(&r, bad[i].field, NULL), "%s: field %s in %s", bad[i].body, bad[i].field, r.body);
		t_resp_free(&r);
	}
	char *v = db_value("SELECT attended_hours || exam_result::text || version FROM jxjy.enrolments"
	                   " WHERE id = $1::uuid", e, NULL);
	cr_expect_str_eq(v, "0.0pending1", "bad input changed nothing");
	free(v);
	free(w.base_tok);
}

Test(enrolments, patch_honours_if_match)
{
	world w;
	setup_world(&w, IND_AUTO);
	id_t36 e;
	enrolled(e, w.base_tok, w.project, w.person[0]);
	char path[128];
	snprintf(path, sizeof path, "/v1/enrolments/%s", e);
	t_resp g = t_get(path, w.base_tok);
	cr_assert_eq(g.status, 200);
	char etag[64];
	snprintf(etag, sizeof etag, "%s", t_header(&g, "ETag") ? t_header(&g, "ETag") : "");
	t_resp_free(&g);
	cr_assert(etag[0] == '"', "ETag: %s", etag);
	t_resp r = patch(w.base_tok, e, "{\"attended_hours\":3}", etag);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect(t_header(&r, "ETag") && strcmp(t_header(&r, "ETag"), etag) != 0, "a new ETag");
	t_resp_free(&r);
	r = patch(w.base_tok, e, "{\"attended_hours\":6}", etag);
	cr_expect(t_is_problem(&r, 412), "stale If-Match: %d", r.status);
	t_resp_free(&r);
	char *v = db_value("SELECT attended_hours FROM jxjy.enrolments WHERE id = $1::uuid", e, NULL);
	cr_expect_str_eq(v, "3.0");
	free(v);
	free(w.base_tok);
}

Test(enrolments, D3_enrol_and_complete_replay_with_the_same_idempotency_key)
{
	world w;
	setup_world(&w, IND_AUTO);
	char path[128], body[128], key[96];
	snprintf(path, sizeof path, "/v1/projects/%s/enrolments", w.project);
	snprintf(body, sizeof body, "{\"person\":\"%s\"}", w.person[0]);
	snprintf(key, sizeof key, "Idempotency-Key: enrol-%08x", randombytes_random());
	t_resp a = call("POST", path, w.base_tok, body, key);
	t_resp b = call("POST", path, w.base_tok, body, key);
	cr_assert_eq(a.status, 201, "%s", a.body);
	cr_expect_eq(b.status, 201, "replayed: %d %s", b.status, b.body);
	cr_expect_str_eq(b.body, a.body);
	cr_expect(t_header(&b, "Idempotent-Replayed") != NULL);
	id_t36 e;
	snprintf(e, sizeof e, "%s", t_str(&a, "id"));
	t_resp_free(&a);
	t_resp_free(&b);
	/* another key (a refused or replayed request's lock lingers until its
	 * connection's asynchronous rollback: see the report) */
	snprintf(key, sizeof key, "Idempotency-Key: enrol-%08x", randombytes_random());
	snprintf(body, sizeof body, "{\"person\":\"%s\"}", w.person[1]);
	a = call("POST", path, w.base_tok, body, key);
	cr_assert_eq(a.status, 201, "%s", a.body);
	t_resp_free(&a);
	snprintf(body, sizeof body, "{\"person\":\"%s\"}", w.person[2]);
	t_resp c = call("POST", path, w.base_tok, body, key);
	cr_expect(t_is_problem(&c, 422), "same key, other body: %d", c.status);
	t_resp_free(&c);
	char *n = db_value("SELECT count(*) FROM jxjy.enrolments WHERE project = $1::uuid", w.project, NULL);
	cr_expect_str_eq(n, "2");
	free(n);

	t_resp p = patch(w.base_tok, e, "{\"attended_hours\":12,\"exam_result\":\"passed\"}", NULL);
	cr_assert_eq(p.status, 200);
	t_resp_free(&p);
	char ckey[64];
	snprintf(ckey, sizeof ckey, "complete-%08x", randombytes_random());
	a = complete(w.base_tok, e, ckey);
	b = complete(w.base_tok, e, ckey);
	cr_assert_eq(a.status, 200, "%s", a.body);
	cr_expect_eq(b.status, 200, "replayed, not 409: %d %s", b.status, b.body);
	cr_expect_str_eq(b.body, a.body);
	t_resp_free(&a);
	t_resp_free(&b);
	n = db_value("SELECT count(*) FROM jxjy.records WHERE enrolment = $1::uuid", e, NULL);
	cr_expect_str_eq(n, "1");
	free(n);
	free(w.base_tok);
}

Test(enrolments, list_pages_a_projects_enrolments)
{
	world w;
	setup_world(&w, IND_AUTO);
	id_t36 e0, e1;
	enrolled(e0, w.base_tok, w.project, w.person[0]);
	enrolled(e1, w.base_tok, w.project, w.person[1]);
	char path[256];
	snprintf(path, sizeof path, "/v1/projects/%s/enrolments?limit=1", w.project);
	t_resp r = t_get(path, w.base_tok);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 1);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "id")), e0);
	const char *next = json_string_value(json_object_get(r.json, "next_cursor"));
	cr_assert(next != NULL);
	cr_expect(t_header(&r, "Link") != NULL);
	snprintf(path, sizeof path, "/v1/projects/%s/enrolments?limit=1&cursor=%s", w.project, next);
	t_resp_free(&r);
	r = t_get(path, w.base_tok);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "id")), e1);
	cr_expect(json_is_null(json_object_get(r.json, "next_cursor")));
	t_resp_free(&r);
	snprintf(path, sizeof path, "/v1/projects/%s/enrolments?status=x", w.project);
	r = t_get(path, w.base_tok);
	cr_expect(t_is_problem(&r, 400), "unknown parameter: %d", r.status);
	t_resp_free(&r);
	snprintf(path, sizeof path, "/v1/projects/%s/enrolments?cursor=bogus", w.project);
	r = t_get(path, w.base_tok);
	cr_expect(t_is_problem(&r, 400), "bad cursor: %d", r.status);
	t_resp_free(&r);
	free(w.base_tok);
}

/* ---- the permission matrix (API.md "enrolments: create / update / complete"),
 * generated from one table: role x action x {own, other} ------------------- */

enum { A_LIST, A_GET, A_CREATE, A_PATCH, A_COMPLETE, A__N };
static const char *const action_names[] = { "list", "get", "create", "patch", "complete" };

Test(enrolments, A1_permission_matrix)
{
	world w, other;
	setup_world(&w, IND_AUTO);
	setup_world(&other, IND_AUTO);
	/* a roomy project for the creations the matrix makes */
	PGconn *db = t_db();
	make_project(db, w.project, w.base, "approved", "50", "12.0", "part_time");
	PQfinish(db);
	id_t36 e;
	enrolled(e, w.base_tok, w.project, w.person[0]); /* exam pending: complete → 422 */

	char *tok_person_self = t_token("person", w.person[0]);
	char *tok_person_other = t_token("person", w.person[1]);
	struct row {
		const char *who;
		char *tok;
		int expect[A__N];
	} rows[] = {
		/*                                  list  get  create patch complete */
		{ "city", t_token("city_bureau", NULL), { 200, 200, 403, 403, 403 } },
		{ "district of the base", t_token("district_bureau", WUZHONG), { 200, 200, 403, 403, 403 } },
		{ "other district", t_token("district_bureau", GUSU), { 404, 404, 403, 403, 403 } },
		{ "industry", t_token("industry_authority", IND_AUTO), { 403, 403, 403, 403, 403 } },
		{ "unit of the person", t_token("unit", w.unit), { 403, 403, 403, 403, 403 } },
		{ "own base", w.base_tok, { 200, 200, 201, 200, 422 } },
		{ "other base", other.base_tok, { 404, 404, 404, 404, 404 } },
		{ "person enrolled", tok_person_self, { 403, 200, 403, 403, 403 } },
		{ "other person", tok_person_other, { 403, 404, 403, 403, 403 } },
	};
	PGconn *pdb = t_db();
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		for (int a = 0; a < A__N; a++) {
			char path[160];
			t_resp r;
			switch (a) {
			case A_LIST:
				snprintf(path, sizeof path, "/v1/projects/%s/enrolments", w.project);
				r = t_get(path, rows[i].tok);
				break;
			case A_GET:
				snprintf(path, sizeof path, "/v1/enrolments/%s", e);
				r = t_get(path, rows[i].tok);
				break;
			case A_CREATE: {
				id_t36 p;
				t_take_id(p, t_new_person(pdb, w.unit, "intermediate"));
				r = enrol(rows[i].tok, w.project, p);
				break;
			}
			case A_PATCH:
				r = patch(rows[i].tok, e, "{\"attended_hours\":2}", NULL);
				break;
			default:
				r = complete(rows[i].tok, e, NULL);
				break;
			}
			int want = rows[i].expect[a];
			if (want >= 400)
				cr_expect(t_is_problem(&r, want), "%s %s: %d, want %d: %s", rows[i].who,
				          action_names[a], r.status, want, r.body);
			else
				cr_expect_eq(r.status, want, "%s %s: %d, want %d: %s", rows[i].who,
				             action_names[a], r.status, want, r.body);
			t_resp_free(&r);
		}
	}
	PQfinish(pdb);
	char *n = db_value("SELECT count(*) FROM jxjy.enrolments WHERE project = $1::uuid", w.project, NULL);
	cr_expect_str_eq(n, "2", "only the own base enrolled");
	free(n);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		free(rows[i].tok);
}
