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

#include "statements.h"
#include "stats_fixtures.h"
#include "testlib.h"

static char *conninfo_for(const char *db, const char *user)
{
	char *s = malloc(512);
	snprintf(s, 512, "host=%s dbname=%s user=%s", t_env("JXJY_TEST_SOCKDIR"), db, user);
	return s;
}

Test(migrations, apply_on_an_empty_database_and_are_idempotent, .timeout = 120)
{
	char name[64];
	snprintf(name, sizeof name, "jxjy_mig_%d", (int)getpid());
	PGconn *su = t_db();
	char sql[128];
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	PQclear(t_sql(su, sql, 0, NULL));
	char *url = conninfo_for(name, "postgres");
	setenv("DATABASE_URL", url, 1);
	char *out = NULL;
	cr_assert_eq(t_jxjyctl("migrate", NULL, &out), 0, "first run: %s", out);
	cr_expect(strstr(out, "applied 0001_init.sql") != NULL, "%s", out);
	free(out);
	cr_assert_eq(t_jxjyctl("migrate", NULL, &out), 0);
	cr_expect(strstr(out, "applied") == NULL || strstr(out, "(0 applied now)") != NULL,
	          "second run applies nothing: %s", out);
	free(out);

	PGconn *c = PQconnectdb(url);
	cr_assert(PQstatus(c) == CONNECTION_OK);
	char *n = t_sql_value(c, "SELECT count(*) FROM public.schema_migrations", 0, NULL);
	char *files = t_sql_value(c, "SELECT max(version) FROM public.schema_migrations", 0, NULL);
	cr_expect_str_eq(n, files, "one row per migration, no duplicates");
	char *rules = t_sql_value(c, "SELECT count(*) FROM jxjy.rule_sets WHERE effective_from = '2013-03-12'", 0, NULL);
	cr_expect_str_eq(rules, "1", "the 2013 city rule set is seeded once");
	free(n);
	free(files);
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
	                         "audit_log", "achievements", "enrolments" };
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
	snprintf(name, sizeof name, "jxjy_agg_%d", (int)getpid());
	PGconn *su = t_db();
	snprintf(sql0, sizeof sql0, "CREATE DATABASE %s", name);
	PQclear(t_sql(su, sql0, 0, NULL));
	char *url = conninfo_for(name, "postgres");
	setenv("DATABASE_URL", url, 1);
	char *out = NULL;
	cr_assert_eq(t_jxjyctl("migrate", NULL, &out), 0, "migrate: %s", out);
	free(out);
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
