/*
 * The database layer on its own: migrations, row-level security, the
 * catalog rules of SECURITY.md A2, the append-only audit log, and the
 * statement registry against the migrated schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "core.h"
#include "migrate.h"
#include "statements.h"
#include "stats_fixtures.h"
#include "testlib.h"

static char *conninfo_for(const char *db, const char *user)
{
	char *s = malloc(512);
	snprintf(s, 512, "host=%s dbname=%s user=%s", t_env("JXJY_TEST_SOCKDIR"), db, user);
	return s;
}

/* A new empty database "<prefix>_<pid>" (its name in name) that DATABASE_URL
 * now names, for jxjyctl; its conninfo as the superuser (malloc'd). */
static char *scratch_db(const char *prefix, char name[64])
{
	snprintf(name, 64, "%s_%d", prefix, (int)getpid());
	PGconn *su = t_db();
	char sql[128];
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	PQclear(t_sql(su, sql, 0, NULL));
	PQfinish(su);
	char *url = conninfo_for(name, "postgres");
	setenv("DATABASE_URL", url, 1);
	return url;
}

/* The same, migrated. */
static char *scratch_db_migrated(const char *prefix, char name[64])
{
	char *url = scratch_db(prefix, name), *out = NULL;
	cr_assert_eq(t_jxjyctl("migrate", NULL, &out), 0, "migrate: %s", out);
	free(out);
	return url;
}

Test(migrations, apply_on_an_empty_database_and_are_idempotent, .timeout = 120)
{
	char name[64], sql[128];
	char *url = scratch_db("jxjy_mig", name), *out = NULL;
	PGconn *su = t_db();
	cr_assert_eq(t_jxjyctl("migrate", NULL, &out), 0, "first run: %s", out);
	cr_expect(strstr(out, "applied 0001_init.sql") != NULL, "%s", out);
	free(out);
	cr_assert_eq(t_jxjyctl("migrate", NULL, &out), 0);
	cr_expect(strstr(out, "applied") == NULL || strstr(out, "(0 applied now)") != NULL,
	          "second run applies nothing: %s", out);
	free(out);

	PGconn *c = PQconnectdb(url);
	cr_assert(PQstatus(c) == CONNECTION_OK);
	/* numbers may have gaps (a number another branch holds): one row per
	 * embedded migration, the newest among them */
	char *n = t_sql_value(c, "SELECT count(*) || ' ' || max(version) FROM public.schema_migrations",
	                      0, NULL);
	char files[32];
	snprintf(files, sizeof files, "%d %d", db_migrations_count,
	         db_migrations[db_migrations_count - 1].version);
	cr_expect_str_eq(n, files, "one row per migration, no duplicates");
	char *rules = t_sql_value(c, "SELECT count(*) FROM jxjy.rule_sets WHERE effective_from = '2013-03-12'", 0, NULL);
	cr_expect_str_eq(rules, "1", "the 2013 city rule set is seeded once");
	free(n);
	free(rules);
	PQfinish(c);
	snprintf(sql, sizeof sql, "DROP DATABASE %s", name);
	PQclear(t_sql(su, sql, 0, NULL));
	PQfinish(su);
	free(url);
}

/* persons in two districts, inserted by the superuser */
static void two_districts(void)
{
	PGconn *db = t_db();
	const char *districts[] = { "320508", "320505" };
	for (int d = 0; d < 2; d++) {
		char code[19];
		t_make_credit_code(code, randombytes_random());
		const char *p[] = { code, districts[d] };
		char *unit = t_sql_value(db, "INSERT INTO jxjy.units (credit_code, name, kind, district, industry)"
		                             " VALUES ($1, 'RLS 测试单位', 'enterprise', $2, 'education') RETURNING id", 2, p);
		for (int i = 0; i < 3; i++) {
			char nid[19];
			t_make_resident_id(nid, randombytes_random());
			const char *q[] = { nid, unit };
			PQclear(t_sql(db, "INSERT INTO jxjy.persons (national_id, name, unit, district, industry,"
			                  " title_level, cycle_start_year) SELECT $1, '李娜', u.id, u.district, u.industry,"
			                  " 'junior_assistant', 2023 FROM jxjy.units u WHERE u.id = $2", 2, q));
		}
		free(unit);
	}
	PQfinish(db);
}

static PGconn *app_conn(void)
{
	char *url = conninfo_for("jxjy", "jxjy_app");
	PGconn *c = PQconnectdb(url);
	free(url);
	cr_assert(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
	return c;
}

Test(rls, a_query_without_a_jurisdiction_filter_stays_in_the_district)
{
	two_districts();
	PGconn *c = app_conn();
	PQclear(t_sql(c, "BEGIN", 0, NULL));
	const char *claims[] = { "{\"sub\":\"rls-test\",\"role\":\"district_bureau\",\"district\":\"320508\","
	                         "\"jti\":\"rls\",\"request_id\":\"rls\"}" };
	PQclear(t_sql(c, "SELECT jxjy.set_claims($1::jsonb)", 1, claims));
	/* deliberately no WHERE: the policy must do the filtering */
	PGresult *r = t_sql(c, "SELECT district FROM jxjy.persons", 0, NULL);
	cr_expect(PQntuples(r) >= 3, "its own persons are visible (%d)", PQntuples(r));
	for (int i = 0; i < PQntuples(r); i++)
		cr_expect_str_eq(PQgetvalue(r, i, 0), "320508");
	PQclear(r);
	r = t_sql(c, "SELECT district FROM jxjy.units", 0, NULL);
	for (int i = 0; i < PQntuples(r); i++)
		cr_expect_str_eq(PQgetvalue(r, i, 0), "320508");
	PQclear(r);
	PQclear(t_sql(c, "COMMIT", 0, NULL));
	/* claims are transaction-local: the pooled connection carries nothing on */
	r = t_sql(c, "SELECT count(*) FROM jxjy.persons", 0, NULL);
	cr_expect_str_eq(PQgetvalue(r, 0, 0), "0", "no claims, no rows");
	PQclear(r);
	PQfinish(c);
}

Test(rls, without_claims_every_protected_table_is_empty)
{
	two_districts();
	PGconn *c = app_conn();
	const char *tables[] = { "persons", "units", "records", "accounts", "person_year_summary",
	                         "audit_log", "achievements", "enrolments", "person_changes" };
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM jxjy.%s", tables[i]);
		PGresult *r = t_sql(c, sql, 0, NULL);
		cr_expect_str_eq(PQgetvalue(r, 0, 0), "0", "%s", tables[i]);
		PQclear(r);
	}
	PQfinish(c);
}

Test(rls, a_district_bureau_cannot_write_into_another_district)
{
	two_districts();
	PGconn *c = app_conn();
	PQclear(t_sql(c, "BEGIN", 0, NULL));
	const char *claims[] = { "{\"sub\":\"rls-test\",\"role\":\"district_bureau\",\"district\":\"320508\","
	                         "\"jti\":\"rls2\",\"request_id\":\"rls2\"}" };
	PQclear(t_sql(c, "SELECT jxjy.set_claims($1::jsonb)", 1, claims));
	char code[19];
	t_make_credit_code(code, randombytes_random());
	const char *p[] = { code };
	PGresult *r = PQexecParams(c, "INSERT INTO jxjy.units (credit_code, name, kind, district, industry)"
	                              " VALUES ($1, '越权单位', 'enterprise', '320505', 'education')",
	                           1, NULL, p, NULL, NULL, 0);
	cr_expect(PQresultStatus(r) == PGRES_FATAL_ERROR, "the insert is refused");
	cr_expect_str_eq(PQresultErrorField(r, PG_DIAG_SQLSTATE), "42501");
	PQclear(r);
	PQfinish(c);
}

Test(rls, A2_catalog_rules_hold)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/sql/checks/a2_catalog.sql", JXJY_SOURCE_ROOT);
	FILE *f = fopen(path, "r");
	cr_assert(f, "cannot read %s", path);
	char *sql = calloc(1, 1 << 16);
	size_t n = fread(sql, 1, (1 << 16) - 1, f);
	fclose(f);
	cr_assert(n > 0);
	PGconn *db = t_db();
	PGresult *r = t_sql(db, sql, 0, NULL);
	for (int i = 0; i < PQntuples(r); i++) {
		char line[512] = "";
		for (int k = 0; k < PQnfields(r); k++) {
			strncat(line, PQgetvalue(r, i, k), sizeof line - strlen(line) - 2);
			strncat(line, " ", sizeof line - strlen(line) - 1);
		}
		cr_expect(false, "A2 violation: %s", line);
	}
	PQclear(r);
	PQfinish(db);
	free(sql);
}

Test(audit, the_log_is_append_only_even_for_the_owner)
{
	PGconn *db = t_db();
	PQclear(t_sql(db, "SELECT jxjy.set_claims('{\"sub\":\"t\",\"role\":\"city_bureau\",\"jti\":\"a\",\"request_id\":\"a\"}')", 0, NULL));
	PGconn *c = app_conn();
	PQclear(t_sql(c, "BEGIN", 0, NULL));
	PQclear(t_sql(c, "SELECT jxjy.set_claims('{\"sub\":\"t\",\"role\":\"city_bureau\",\"jti\":\"a\",\"request_id\":\"a\"}')", 0, NULL));
	PQclear(t_sql(c, "SELECT jxjy.audit('create', 'test', 'x', NULL, '{\"a\":1}'::jsonb, NULL)", 0, NULL));
	PQclear(t_sql(c, "COMMIT", 0, NULL));
	PQfinish(c);
	PGresult *r = PQexec(db, "UPDATE jxjy.audit_log SET actor = 'mallory'");
	cr_expect(PQresultStatus(r) == PGRES_FATAL_ERROR, "update refused");
	PQclear(r);
	r = PQexec(db, "DELETE FROM jxjy.audit_log");
	cr_expect(PQresultStatus(r) == PGRES_FATAL_ERROR, "delete refused");
	PQclear(r);
	char *broken = t_sql_value(db,
		"SELECT count(*) FROM (SELECT hash, lag(hash) OVER (ORDER BY id) AS prev, prev_hash"
		" FROM jxjy.audit_log) s WHERE prev IS NOT NULL AND prev_hash IS DISTINCT FROM prev", 0, NULL);
	cr_expect_str_eq(broken, "0", "each row links to the previous row's hash");
	free(broken);
	PQfinish(db);
}

/* jxjy.rebuild_report_aggregates() (sql/0009) refills the report
 * aggregates to exactly what the triggers maintained row by row.  The world
 * of stats_fixtures.h feeds all four (verified records → report_hours,
 * in-service persons → report_headcount, person-year summaries →
 * report_compliance, enrolments of a base's project → report_trainees); each
 * must hold the world's rows first, or an equal comparison proves nothing.
 * The world goes into a database of its own: its two new districts would
 * otherwise show in the shared database's /v1/districts, which the HTTP
 * suite expects to be the city's ten.  setenv reaches only this test's
 * process (Criterion forks one per test). */
Test(aggregates, the_rebuild_equals_the_trigger_maintained_tables, .timeout = 120)
{
	char name[64], sql0[128];
	char *url = scratch_db_migrated("jxjy_agg", name);
	PGconn *su = t_db();
	setenv("JXJY_TEST_DB", url, 1);

	world w;
	w_build(&w);
	PGconn *db = t_db();
	static const char *const tables[] = { "report_hours", "report_headcount", "report_compliance",
	                                      "report_trainees" };
	const char *mine[] = { w.d, w.d2 };
	PQclear(t_sql(db, "BEGIN", 0, NULL));
	for (int i = 0; i < 4; i++) {
		char sql[160];
		snprintf(sql, sizeof sql, "CREATE TEMP TABLE before_%d ON COMMIT DROP AS SELECT * FROM jxjy.%s", i,
		         tables[i]);
		PQclear(t_sql(db, sql, 0, NULL));
		snprintf(sql, sizeof sql, "SELECT count(*) FROM before_%d WHERE district IN ($1, $2)", i);
		cr_assert_gt(t_sql_count(db, sql, 2, mine), 0,
		             "%s has none of the fixture's rows: comparing it proves nothing", tables[i]);
	}
	PQclear(t_sql(db, "SELECT jxjy.rebuild_report_aggregates()", 0, NULL));
	for (int i = 0; i < 4; i++) {
		char sql[320];
		snprintf(sql, sizeof sql,
		         "SELECT count(*) FROM ((SELECT * FROM before_%d EXCEPT ALL SELECT * FROM jxjy.%s)"
		         " UNION ALL (SELECT * FROM jxjy.%s EXCEPT ALL SELECT * FROM before_%d)) d",
		         i, tables[i], tables[i], i);
		char *diff = t_sql_value(db, sql, 0, NULL);
		cr_expect_str_eq(diff, "0", "%s differs after the rebuild", tables[i]);
		free(diff);
	}
	PQclear(t_sql(db, "ROLLBACK", 0, NULL));
	PQfinish(db);
	w_free(&w);
	snprintf(sql0, sizeof sql0, "DROP DATABASE %s", name);
	PQclear(t_sql(su, sql0, 0, NULL));
	PQfinish(su);
	free(url);
}

/* Prepares every registered statement on the migrated database and hands
 * check() PostgreSQL's description of it; fails on a statement that does
 * not prepare. */
static void describe_every_statement(void (*check)(const db_stmt_def *d, const PGresult *desc))
{
	PGconn *db = t_db();
	int described = 0;
	for (int i = 0; i < DB_STMT__COUNT; i++) {
		const db_stmt_def *d = db_stmt_get((db_stmt_id)i);
		PGresult *p = PQprepare(db, d->name, d->sql, d->nparams, NULL);
		cr_expect_eq(PQresultStatus(p), PGRES_COMMAND_OK, "%s does not prepare: %s", d->name,
		             PQerrorMessage(db));
		PQclear(p);
		PGresult *desc = PQdescribePrepared(db, d->name);
		if (PQresultStatus(desc) == PGRES_COMMAND_OK) {
			check(d, desc);
			described++;
		}
		PQclear(desc);
	}
	cr_expect_eq(described, DB_STMT__COUNT, "every statement described");
	PQfinish(db);
}

static void check_columns(const db_stmt_def *d, const PGresult *desc)
{
	cr_expect_eq(PQnfields(desc), d->ncols,
	             "%s answers %d columns but its DB_STMT entry names %d (first: %s)", d->name,
	             PQnfields(desc), d->ncols, PQnfields(desc) ? PQfname(desc, 0) : "none");
}

Test(statements, every_column_list_has_as_many_names_as_postgresql_answers_columns, .timeout = 60)
{
	describe_every_statement(check_columns);
}

static void check_params(const db_stmt_def *d, const PGresult *desc)
{
	cr_expect_eq(PQnparams(desc), d->nparams,
	             "%s takes %d parameters but its DB_STMT entry declares %d", d->name,
	             PQnparams(desc), d->nparams);
}

Test(statements, every_statement_takes_as_many_parameters_as_it_declares, .timeout = 60)
{
	describe_every_statement(check_params);
}

/* ---- issue 11: the last findings of the attacker's review ---------------- */

/* Runs sql on the gateway's role with the claims, in a transaction rolled
 * back or committed; answers the SQLSTATE ("" when it succeeded). */
static char *as_gateway(const char *claims, const char *sql, const char *arg, bool commit)
{
	PGconn *c = app_conn();
	PQclear(t_sql(c, "BEGIN", 0, NULL));
	const char *cp[] = { claims };
	PQclear(t_sql(c, "SELECT jxjy.set_claims($1::jsonb)", 1, cp));
	const char *p[] = { arg };
	PGresult *r = PQexecParams(c, sql, 1, NULL, p, NULL, NULL, 0);
	const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	char *out = strdup(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK
	                       ? "" : st ? st : "?");
	PQclear(r);
	PQclear(t_sql(c, out[0] == '\0' && commit ? "COMMIT" : "ROLLBACK", 0, NULL));
	PQfinish(c);
	return out;
}

static char *project_status(const char *project)
{
	const char *p[] = { project };
	return t_sql1("SELECT status FROM jxjy.projects WHERE id = $1::uuid", 1, p);
}

/* Issue 11: "a base may UPDATE its own project's status directly (no
 * transition trigger on projects)".  Through SQL as jxjy_app with a base's
 * claims — what a handler bug would send — the base can submit its draft but
 * neither approve nor reject it, nor jump out of the transition table of
 * core_project_transition, nor insert a project already approved; the
 * deciding bureau still decides. */
Test(rls, a_base_cannot_set_its_projects_status_outside_core_project_transition)
{
	PGconn *db = t_db();
	char *base = t_new_base(db, "district", "320508", "accredited");
	char code[40];
	snprintf(code, sizeof code, "TRG-%08x", randombytes_random());
	const char *ps[] = { code };
	char *subject = t_sql_value(db, "INSERT INTO jxjy.public_subjects (year, code, title, hours)"
	                                " VALUES (2024, $1, '状态测试科目', 12) RETURNING id", 1, ps);
	char *project[2];
	for (int i = 0; i < 2; i++) {
		const char *p[] = { base, subject, i == 0 ? "submitted" : "draft" };
		project[i] = t_sql_value(db, "INSERT INTO jxjy.projects (base, year, title, category, subject_public,"
		                             " hours, class_type, capacity, fee, funding_government, funding_unit,"
		                             " funding_individual, status) VALUES ($1, 2024, '状态测试班', 'public', $2,"
		                             " 12, 'full_time', 30, 300, 50, 30, 20, $3::jxjy.project_status)"
		                             " RETURNING id", 3, p);
	}
	char base_claims[256];
	snprintf(base_claims, sizeof base_claims, "{\"sub\":\"trg-base\",\"role\":\"base\",\"base\":\"%s\","
	                                          "\"jti\":\"trg1\",\"request_id\":\"trg1\"}", base);
	const char *gusu = "{\"sub\":\"trg-gusu\",\"role\":\"district_bureau\",\"district\":\"320508\","
	                   "\"jti\":\"trg2\",\"request_id\":\"trg2\"}";
	const char *set = "UPDATE jxjy.projects SET status = 'approved' WHERE id = $1::uuid";

	char *st = as_gateway(base_claims, set, project[0], true);
	cr_expect_str_eq(st, "42501", "a base approving its own submitted project is refused");
	free(st);
	st = as_gateway(base_claims, "UPDATE jxjy.projects SET status = 'rejected' WHERE id = $1::uuid",
	                project[0], true);
	cr_expect_str_eq(st, "42501", "nor may it reject it");
	free(st);
	st = as_gateway(base_claims, set, project[1], true);
	cr_expect_str_eq(st, "JX409", "draft → approved is no transition");
	free(st);
	st = as_gateway(base_claims,
	                "INSERT INTO jxjy.projects (base, year, title, category, subject_public, hours,"
	                " class_type, capacity, fee, funding_government, funding_unit, funding_individual,"
	                " status) SELECT base, year, title, category, subject_public, hours, class_type,"
	                " capacity, fee, funding_government, funding_unit, funding_individual, 'approved'"
	                " FROM jxjy.projects WHERE id = $1::uuid", project[1], true);
	cr_expect_str_eq(st, "42501", "a project is inserted as a draft");
	free(st);
	char *s = project_status(project[0]);
	cr_expect_str_eq(s, "submitted", "unchanged");
	free(s);

	/* the legal steps, by whom the matrix names */
	st = as_gateway(base_claims, "UPDATE jxjy.projects SET status = 'submitted' WHERE id = $1::uuid",
	                project[1], true);
	cr_expect_str_eq(st, "", "the base submits its draft");
	free(st);
	st = as_gateway(gusu, set, project[0], true);
	cr_expect_str_eq(st, "", "the district bureau approves");
	free(st);
	s = project_status(project[0]);
	cr_expect_str_eq(s, "approved");
	free(s);
	st = as_gateway(gusu, "UPDATE jxjy.projects SET status = 'draft' WHERE id = $1::uuid", project[0], true);
	cr_expect_str_eq(st, "JX409", "nothing leaves approved");
	free(st);
	for (int i = 0; i < 2; i++)
		free(project[i]);
	free(subject);
	free(base);
	PQfinish(db);
}

/* Issue 11: "audit_verify never compares the last row with the chain head
 * (a deleted tail goes unnoticed)".  In a database of its own (the shared
 * one's chain is verified by other tests while they run): three rows
 * verify; the superuser deletes the newest behind the triggers' back;
 * `jxjyctl audit verify` reports the chain broken at the missing row. */
Test(audit, a_deleted_last_row_breaks_the_chain, .timeout = 120)
{
	char name[64], sql[128];
	char *url = scratch_db_migrated("jxjy_tail", name), *out = NULL;
	PGconn *su = t_db();
	PGconn *c = PQconnectdb(url);
	cr_assert(PQstatus(c) == CONNECTION_OK);
	PQclear(t_sql(c, "BEGIN", 0, NULL));
	PQclear(t_sql(c, "SELECT jxjy.set_claims('{\"sub\":\"t\",\"role\":\"city_bureau\",\"jti\":\"tail\","
	                 "\"request_id\":\"tail\"}')", 0, NULL));
	for (int i = 0; i < 3; i++)
		PQclear(t_sql(c, "SELECT jxjy.audit('create', 'test', 'tail', NULL, '{\"a\":1}'::jsonb, NULL)",
		              0, NULL));
	PQclear(t_sql(c, "COMMIT", 0, NULL));
	cr_expect_eq(t_jxjyctl("audit verify", NULL, &out), 0, "intact: %s", out);
	free(out);
	char *last = t_sql_value(c, "SELECT max(id) FROM jxjy.audit_log", 0, NULL);
	PQclear(t_sql(c, "SET session_replication_role = replica", 0, NULL));
	PQclear(t_sql(c, "DELETE FROM jxjy.audit_log WHERE id = (SELECT max(id) FROM jxjy.audit_log)", 0, NULL));
	PQclear(t_sql(c, "SET session_replication_role = origin", 0, NULL));
	cr_expect_neq(t_jxjyctl("audit verify", NULL, &out), 0, "a deleted tail is found: %s", out);
	char want[64];
	snprintf(want, sizeof want, "first bad link at id %s", last);
	cr_expect(strstr(out, want) != NULL, "%s", out);
	free(out);
	free(last);
	PQfinish(c);
	snprintf(sql, sizeof sql, "DROP DATABASE %s", name);
	PQclear(t_sql(su, sql, 0, NULL));
	PQfinish(su);
	free(url);
}

/* Issue 11: "jxjy.prune_expired() is never called (idempotency replies with
 * names are kept forever)".  `jxjyctl prune` removes an idempotency key older
 * than 24 h, an expired revocation, a login attempt older than a day and
 * an "already registered" refusal out of its 24 h window (sql/0017), keeps
 * the fresh ones, and prints the counts per kind. */
Test(prune, jxjyctl_prune_removes_what_expired_and_keeps_what_is_fresh)
{
	char tag[32];
	snprintf(tag, sizeof tag, "prune-%08x", randombytes_random());
	const char *p[] = { tag };
	PGconn *db = t_db();
	PQclear(t_sql(db, "INSERT INTO jxjy.idempotency_keys (scope, key, request_hash, created_at)"
	                  " VALUES ($1, 'old', '\\x00', now() - interval '25 hours'),"
	                  " ($1, 'fresh', '\\x00', now() - interval '23 hours')", 1, p));
	PQclear(t_sql(db, "INSERT INTO jxjy.revoked_tokens (jti, expires_at)"
	                  " VALUES ($1 || '-old', now() - interval '1 minute'),"
	                  " ($1 || '-fresh', now() + interval '1 hour')", 1, p));
	PQclear(t_sql(db, "INSERT INTO jxjy.auth_attempts (login, at, ok)"
	                  " VALUES ($1, now() - interval '2 days', false), ($1, now(), false)", 1, p));
	PQclear(t_sql(db, "INSERT INTO jxjy.conflict_refusals (account, at)"
	                  " VALUES ($1, now() - interval '25 hours'), ($1, now() - interval '23 hours')", 1, p));
	char *out = NULL;
	cr_assert_eq(t_jxjyctl("prune", NULL, &out), 0, "%s", out);
	cr_expect(strstr(out, "pruned idempotency_keys: ") != NULL, "%s", out);
	cr_expect(strstr(out, "pruned revoked_tokens: ") != NULL, "%s", out);
	cr_expect(strstr(out, "pruned auth_attempts: ") != NULL, "%s", out);
	cr_expect(strstr(out, "pruned conflict_refusals: ") != NULL, "%s", out);
	cr_expect(strstr(out, "pruned conflict_refusals: 0\n") == NULL, "the old refusal counted: %s", out);
	cr_expect(strstr(out, "pruned idempotency_keys: 0\n") == NULL, "the old key counted: %s", out);
	free(out);
	cr_expect_eq(t_sql_count(db, "SELECT count(*) FROM jxjy.idempotency_keys WHERE scope = $1 AND key = 'old'",
	                         1, p), 0, "the expired key is gone");
	cr_expect_eq(t_sql_count(db, "SELECT count(*) FROM jxjy.idempotency_keys WHERE scope = $1 AND key = 'fresh'",
	                         1, p), 1, "the fresh key stays");
	cr_expect_eq(t_sql_count(db, "SELECT count(*) FROM jxjy.revoked_tokens WHERE jti = $1 || '-old'", 1, p), 0);
	cr_expect_eq(t_sql_count(db, "SELECT count(*) FROM jxjy.revoked_tokens WHERE jti = $1 || '-fresh'", 1, p), 1);
	cr_expect_eq(t_sql_count(db, "SELECT count(*) FROM jxjy.auth_attempts WHERE login = $1", 1, p), 1,
	             "the recent attempt stays");
	cr_expect_eq(t_sql_count(db, "SELECT count(*) FROM jxjy.conflict_refusals WHERE account = $1", 1, p), 1,
	             "the refusal inside the window stays");
	PQfinish(db);
}

/* the two dates SQL reads a person-year at are core's
 * (core_judging_date, core_holding_date), over a spread of first days,
 * years and todays. */
Test(time, R29_R30_the_judging_and_holding_dates_of_sql_are_cores)
{
	PGconn *db = t_db();
	const char *firsts[] = { "2010-01-01", "2016-03-15", "2020-12-31", "2021-01-01", "2024-02-29" };
	const char *todays[] = { "2021-06-30", "2024-12-31", "2026-01-01" };
	int checked = 0;
	for (size_t f = 0; f < sizeof firsts / sizeof firsts[0]; f++)
		for (int y = 2009; y <= 2026; y++)
			for (size_t t = 0; t < sizeof todays / sizeof todays[0]; t++) {
				core_date first, today;
				cr_assert(core_date_parse(&first, firsts[f]) == 0);
				cr_assert(core_date_parse(&today, todays[t]) == 0);
				char ys[8], want_j[CORE_DATE_BUFSZ], want_h[CORE_DATE_BUFSZ];
				snprintf(ys, sizeof ys, "%d", y);
				cr_assert(core_date_format(want_j, sizeof want_j, core_judging_date(first, y)) == 0);
				cr_assert(core_date_format(want_h, sizeof want_h, core_holding_date(y, today)) == 0);
				const char *p[] = { firsts[f], ys, todays[t] };
				PGresult *r = t_sql(db, "SELECT jxjy.judging_date($1::date, $2::int)::text,"
				                        " jxjy.holding_date($2::int, $3::date)::text", 3, p);
				cr_expect_str_eq(PQgetvalue(r, 0, 0), want_j, "judging %s %d", firsts[f], y);
				cr_expect_str_eq(PQgetvalue(r, 0, 1), want_h, "holding %d %s", y, todays[t]);
				PQclear(r);
				checked++;
			}
	cr_expect_eq(checked, 5 * 18 * 3);
	PQfinish(db);
}
