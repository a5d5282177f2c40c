/*
 * Fixtures of the statistics suites (test_reports.c, test_samples.c): a
 * small hand-built world in FRESH districts and industries (codes made up
 * per test), so that its figures are exact although the suites share one
 * database.  Inserted as the superuser; the aggregates of
 * sql/0006_reports.sql follow by their triggers.
 *
 * The world (year W_YEAR; rule set 2013: senior/intermediate 24 + 48 h,
 * junior 14 + 28 h):
 *   district d: unit u1 (industry i), unit u2 (industry i2)
 *   district d2: unit u3 (industry i)
 *   u1: p1 intermediate, compliant   public 24 (training_class, full_time)
 *                                    professional 48 (online_education, online)
 *                                    + professional 10 registered (not counted)
 *                                    + public 6 verified in W_YEAR - 1
 *       p2 intermediate, not         public 24 (training_class, part_time)
 *                                    professional 30 (academic_exchange, spare_time)
 *                                    + professional 20 rejected
 *       p3 senior_full, compliant    public 24 (training_class, full_time)
 *                                    professional 48 (degree_education, spare_time)
 *       p4 intermediate, LEFT        public 12 (training_class, full_time)
 *   u2: p5 junior_assistant, compl.  public 14 from base project bp (training_class,
 *                                    full_time), professional 28 (remote_education, online)
 *       p6 intermediate, not         professional 5.5 (remote_education, spare_time);
 *                                    enrolled in bp, not completed
 *   u3: p7 intermediate, compliant   public 24 from bp, professional 48 (online_education, online)
 *   base b (district d2): project bp of W_YEAR, fee 1000.00, split 20/50/30,
 *   completed by p5 and p7.
 * Person-year summaries as core would have stored them.
 */
#ifndef JXJY_TEST_STATS_FIXTURES_H
#define JXJY_TEST_STATS_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "core.h"
#include "testlib.h"

#define W_YEAR 2023
#define W_YEAR_S "2023"
#define W_RULE_SET "00000000-0000-4000-8000-000000002013"

typedef struct world {
	char d[8], d2[8], i[40], i2[40];
	char *u1, *u2, *u3;
	char *p[8]; /* p[1] … p[7] */
	char *b, *bp;
} world;

/* a district code nobody else uses: 9 followed by five digits */
static inline void w_new_district(PGconn *db, char out[8])
{
	for (;;) {
		snprintf(out, 8, "9%05u", randombytes_uniform(100000));
		char name[64];
		snprintf(name, sizeof name, "统计测试区%s", out);
		const char *p[] = { out, name };
		char *got = t_sql_value(db, "INSERT INTO jxjy.districts (code, name) VALUES ($1, $2)"
		                            " ON CONFLICT DO NOTHING RETURNING code", 2, p);
		if (got) {
			free(got);
			return;
		}
	}
}

static inline void w_new_industry(PGconn *db, char out[40])
{
	snprintf(out, 40, "tst_%08x", randombytes_random());
	char name[64];
	snprintf(name, sizeof name, "统计测试行业%s", out);
	const char *p[] = { out, name };
	PQclear(t_sql(db, "INSERT INTO jxjy.industries (code, name) VALUES ($1, $2)", 2, p));
}

static inline char *w_unit(PGconn *db, const char *district, const char *industry)
{
	char code[19];
	t_make_credit_code(code, randombytes_random());
	const char *p[] = { code, district, industry };
	return t_sql_value(db, "INSERT INTO jxjy.units (credit_code, name, kind, district, industry)"
	                       " VALUES ($1, '统计测试单位' || $2, 'enterprise', $2, $3) RETURNING id",
	                   3, p);
}

/* A valid resident id from a space of ~15 million (birth day from 1960 on,
 * sequence number): the suites insert hundreds of persons. */
static inline void w_resident_id(char out[19])
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = 1960 + (int)randombytes_uniform(40);
	int m = 1 + (int)randombytes_uniform(12);
	int d = 1 + (int)randombytes_uniform((uint32_t)mdays[m - 1]);
	char tmp[64];
	snprintf(tmp, sizeof tmp, "320506%04d%02d%02d%03u", y, m, d, randombytes_uniform(1000));
	memcpy(out, tmp, 17);
	out[17] = '\0';
	char check;
	cr_assert(core_ident_resident_id_check_char(&check, out) == 0);
	out[17] = check;
	out[18] = '\0';
}

static inline char *w_person(PGconn *db, const char *unit, const char *level, const char *status)
{
	char nid[19];
	w_resident_id(nid);
	/* a person who left did so by a dated change (w_build) */
	const char *p[] = { nid, unit, level, strcmp(status, "left") == 0 ? "in_service" : status };
	return t_sql_value(db, "INSERT INTO jxjy.persons (national_id, name, unit, district, industry,"
	                       " title_level, cycle_start_year, status) SELECT $1, '统计对象', u.id,"
	                       " u.district, u.industry, $3::jxjy.title_level, 2020,"
	                       " $4::jxjy.person_status FROM jxjy.units u WHERE u.id = $2 RETURNING id",
	                   4, p);
}

/* A unit-registered record; status verified | registered | rejected. */
static inline char *w_record(PGconn *db, const char *person, int year, const char *category,
                             const char *form, const char *class_type, const char *hours,
                             const char *status)
{
	static unsigned day;
	char y[8], start[16];
	snprintf(y, sizeof y, "%d", year);
	/* distinct dates, so that the no-duplicate index never bites */
	day = (day + 1) % 300;
	snprintf(start, sizeof start, "%d-01-01", year);
	char off[8];
	snprintf(off, sizeof off, "%u", day);
	const char *p[] = { person, y, category, form, class_type, hours, status, start, off };
	return t_sql_value(db, "INSERT INTO jxjy.records (person, year, start_date, end_date, category,"
	                       " form, class_type, hours, source, status, reason)"
	                       " VALUES ($1, $2::int, $8::date + $9::int, $8::date + $9::int + 3,"
	                       " $3::jxjy.category, $4, $5::jxjy.class_type, $6::numeric, 'unit',"
	                       " $7::jxjy.record_status,"
	                       " CASE WHEN $7 = 'rejected' THEN '证明材料不符' END) RETURNING id",
	                   9, p);
}

/* A person-year as core would have decided it. */
static inline void w_summary(PGconn *db, const char *person, int year, const char *pub,
                             const char *prof, bool compliant)
{
	char y[8];
	snprintf(y, sizeof y, "%d", year);
	const char *p[] = { person, y, pub, prof, compliant ? "true" : "false" };
	PQclear(t_sql(db, "INSERT INTO jxjy.person_year_summary (person, year, rule_set, title_level,"
	                  " district, industry, unit, public_verified, professional_verified,"
	                  " required_public, required_professional, compliant)"
	                  " SELECT p.id, $2::int, '" W_RULE_SET "', p.title_level, p.district,"
	                  " p.industry, p.unit, $3::numeric, $4::numeric,"
	                  " CASE WHEN p.title_level IN ('junior_assistant', 'junior_member') THEN 14 ELSE 24 END,"
	                  " CASE WHEN p.title_level IN ('junior_assistant', 'junior_member') THEN 28 ELSE 48 END,"
	                  " $5::bool FROM jxjy.persons p WHERE p.id = $1"
	                  " ON CONFLICT (person, year) DO UPDATE SET public_verified = EXCLUDED.public_verified,"
	                  " professional_verified = EXCLUDED.professional_verified,"
	                  " compliant = EXCLUDED.compliant", 5, p));
}

/* A completed enrolment of the project with its (verified) record. */
static inline void w_complete(PGconn *db, const char *project, const char *person, const char *hours)
{
	const char *p[] = { project, person };
	char *en = t_sql_value(db, "INSERT INTO jxjy.enrolments (project, person, attended_hours, exam_result)"
	                           " VALUES ($1, $2, 24, 'passed') RETURNING id", 2, p);
	const char *q[] = { project, person, en, hours };
	char *rec = t_sql_value(db, "INSERT INTO jxjy.records (person, year, start_date, end_date, category,"
	                            " form, class_type, hours, source, project, enrolment, status)"
	                            " SELECT $2, pr.year, make_date(pr.year, 6, 1), make_date(pr.year, 6, 3),"
	                            " 'public', 'training_class', pr.class_type, $4::numeric, 'base', $1, $3,"
	                            " 'verified' FROM jxjy.projects pr WHERE pr.id = $1 RETURNING id", 4, q);
	const char *u[] = { en, rec };
	PQclear(t_sql(db, "UPDATE jxjy.enrolments SET status = 'completed', record = $2,"
	                  " completed_at = now() WHERE id = $1", 2, u));
	free(en);
	free(rec);
}

static inline void w_build(world *w)
{
	PGconn *db = t_db();
	memset(w, 0, sizeof *w);
	w_new_district(db, w->d);
	w_new_district(db, w->d2);
	w_new_industry(db, w->i);
	w_new_industry(db, w->i2);
	w->u1 = w_unit(db, w->d, w->i);
	w->u2 = w_unit(db, w->d, w->i2);
	w->u3 = w_unit(db, w->d2, w->i);
	w->p[1] = w_person(db, w->u1, "intermediate", "in_service");
	w->p[2] = w_person(db, w->u1, "intermediate", "in_service");
	w->p[3] = w_person(db, w->u1, "senior_full", "in_service");
	w->p[4] = w_person(db, w->u1, "intermediate", "left");
	w->p[5] = w_person(db, w->u2, "junior_assistant", "in_service");
	w->p[6] = w_person(db, w->u2, "intermediate", "in_service");
	w->p[7] = w_person(db, w->u3, "intermediate", "in_service");

	/* a base in d2 with an approved public project of the year */
	const char *bq[] = { w->d2 };
	w->b = t_sql_value(db, "INSERT INTO jxjy.bases (name, level, district, status)"
	                       " VALUES ('统计测试基地', 'district', $1, 'accredited') RETURNING id", 1, bq);
	char code[32], y[8];
	snprintf(code, sizeof code, "TST-%08x", randombytes_random());
	snprintf(y, sizeof y, "%d", W_YEAR);
	const char *sq[] = { y, code };
	char *subject = t_sql_value(db, "INSERT INTO jxjy.public_subjects (year, code, title, hours)"
	                                " VALUES ($1::int, $2, '公共科目', 24) RETURNING id", 2, sq);
	const char *pq[] = { w->b, y, subject };
	w->bp = t_sql_value(db, "INSERT INTO jxjy.projects (base, year, title, category, subject_public,"
	                        " hours, class_type, capacity, fee, funding_government, funding_unit,"
	                        " funding_individual, status) VALUES ($1, $2::int, '公需科目培训班',"
	                        " 'public', $3, 24, 'full_time', 50, 1000.00, 20, 50, 30, 'approved')"
	                        " RETURNING id", 3, pq);
	free(subject);

	int Y = W_YEAR;
	free(w_record(db, w->p[1], Y, "public", "training_class", "full_time", "24", "verified"));
	free(w_record(db, w->p[1], Y, "professional", "online_education", "online", "48", "verified"));
	free(w_record(db, w->p[1], Y, "professional", "academic_exchange", "spare_time", "10", "registered"));
	free(w_record(db, w->p[1], Y - 1, "public", "training_class", "full_time", "6", "verified"));
	free(w_record(db, w->p[2], Y, "public", "training_class", "part_time", "24", "verified"));
	free(w_record(db, w->p[2], Y, "professional", "academic_exchange", "spare_time", "30", "verified"));
	free(w_record(db, w->p[2], Y, "professional", "academic_exchange", "spare_time", "20", "rejected"));
	free(w_record(db, w->p[3], Y, "public", "training_class", "full_time", "24", "verified"));
	free(w_record(db, w->p[3], Y, "professional", "degree_education", "spare_time", "48", "verified"));
	free(w_record(db, w->p[4], Y, "public", "training_class", "full_time", "12", "verified"));
	w_complete(db, w->bp, w->p[5], "14");
	free(w_record(db, w->p[5], Y, "professional", "remote_education", "online", "28", "verified"));
	free(w_record(db, w->p[6], Y, "professional", "remote_education", "spare_time", "5.5", "verified"));
	const char *eq[] = { w->bp, w->p[6] };
	PQclear(t_sql(db, "INSERT INTO jxjy.enrolments (project, person) VALUES ($1, $2)", 2, eq));
	w_complete(db, w->bp, w->p[7], "24");
	free(w_record(db, w->p[7], Y, "professional", "online_education", "online", "48", "verified"));

	w_summary(db, w->p[1], Y, "24", "48", true);
	w_summary(db, w->p[1], Y - 1, "6", "0", false);
	w_summary(db, w->p[2], Y, "24", "30", false);
	w_summary(db, w->p[3], Y, "24", "48", true);
	w_summary(db, w->p[4], Y, "12", "0", false);
	w_summary(db, w->p[5], Y, "14", "28", true);
	w_summary(db, w->p[6], Y, "0", "5.5", false);
	w_summary(db, w->p[7], Y, "24", "48", true);
	/* p4 left service before the end of W_YEAR (R-28, R-30: not in its headcount) */
	const char *lq[] = { w->p[4] };
	PQclear(t_sql(db, "INSERT INTO jxjy.person_changes (person, effective_date, kind, status)"
	                  " VALUES ($1, make_date(" W_YEAR_S ", 12, 1), 'change', 'left')", 1, lq));
	PQfinish(db);
}

static inline void w_free(world *w)
{
	free(w->u1);
	free(w->u2);
	free(w->u3);
	for (int k = 0; k < 8; k++)
		free(w->p[k]);
	free(w->b);
	free(w->bp);
}

/* A token for role with the world's jurisdiction named by which
 * ("d", "d2", "i", "i2", "u1", "u2", "u3", "b"; NULL for the city). */
static inline char *w_token(const world *w, const char *role, const char *which)
{
	if (!which)
		return t_token(role, NULL);
	const char *jur = !strcmp(which, "d") ? w->d : !strcmp(which, "d2") ? w->d2
	                : !strcmp(which, "i") ? w->i : !strcmp(which, "i2") ? w->i2
	                : !strcmp(which, "u1") ? w->u1 : !strcmp(which, "u2") ? w->u2
	                : !strcmp(which, "u3") ? w->u3 : !strcmp(which, "b") ? w->b : which;
	return t_token(role, jur);
}

/* number helpers for JSON answers */
static inline double j_num(json_t *o, const char *path)
{
	/* "a.b.c" */
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	json_t *cur = o;
	for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && cur; k = strtok_r(NULL, ".", &save))
		cur = json_object_get(cur, k);
	cr_assert(cur && json_is_number(cur), "no number at %s", path);
	return json_number_value(cur);
}
#endif
