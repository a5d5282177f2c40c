#include "migrate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

/* any fixed number, the same for every migrating process */
#define MIGRATE_LOCK_KEY "7254419020184131"

static void set_err(char *err, size_t n, const char *what, PGconn *pg, PGresult *res)
{
	const char *m = res ? PQresultErrorMessage(res) : (pg ? PQerrorMessage(pg) : "");
	snprintf(err, n, "%s: %s", what, m && *m ? m : "unknown error");
	/* libpq messages end in a newline; keep one-line messages */
	char *nl = strchr(err, '\n');
	if (nl)
		*nl = '\0';
}

static int exec_ok(PGconn *pg, const char *sql, char *err, size_t n, const char *what)
{
	PGresult *res = PQexec(pg, sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? 0 : -1;
	if (rc < 0)
		set_err(err, n, what, pg, res);
	PQclear(res);
	return rc;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

int db_migrate_latest(void)
{
	return db_migrations_count > 0 ? db_migrations[db_migrations_count - 1].version : 0;
}

static PGconn *connect_sync(const char *conninfo, char *err, size_t n)
{
	const char *keys[] = { "dbname", "application_name", NULL };
	const char *vals[] = { conninfo, "jxjyctl", NULL };
	PGconn *pg = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(pg) != CONNECTION_OK) {
		set_err(err, n, "could not connect to the database", pg, NULL);
		PQfinish(pg);
		return NULL;
	}
	PQsetClientEncoding(pg, "UTF8");
	return pg;
}

static int applied_checksum(PGconn *pg, int version, char *out, size_t outlen, char *err, size_t n)
{
	char v[16];
	snprintf(v, sizeof v, "%d", version);
	const char *params[] = { v };
	PGresult *res = PQexecParams(pg,
		"SELECT checksum FROM public.schema_migrations WHERE version = $1::int",
		1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		set_err(err, n, "could not read schema_migrations", pg, res);
		PQclear(res);
		return -1;
	}
	int found = PQntuples(res) > 0;
	if (found)
		snprintf(out, outlen, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return found;
}

/* The gateway reads the schema version for /readyz, as whatever role
 * JXJY_DB_USER names.  A role name cannot travel as a parameter in GRANT: it
 * is looked up as one and quoted with PQescapeIdentifier, never pasted raw.
 * The default role exists once 0001 ran; a configured one that does not exist
 * (yet) is skipped, as before, with a warning, since the next run grants it. */
static int grant_versions(PGconn *pg, const char *role, FILE *log, char *err, size_t n)
{
	const char *params[] = { role };
	PGresult *res = PQexecParams(pg, "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1",
	                             1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		set_err(err, n, "could not look up the gateway role", pg, res);
		PQclear(res);
		return -1;
	}
	int exists = PQntuples(res) > 0;
	PQclear(res);
	if (!exists) {
		if (log)
			fprintf(log, "warning: role %s does not exist: schema_migrations not granted to it\n", role);
		return 0;
	}
	char *ident = PQescapeIdentifier(pg, role, strlen(role));
	if (!ident) {
		set_err(err, n, "could not quote the gateway role", pg, NULL);
		return -1;
	}
	static const char grant[] = "GRANT SELECT ON public.schema_migrations TO ";
	size_t len = sizeof grant + strlen(ident);
	char *sql = malloc(len);
	int rc = -1;
	if (!sql) {
		snprintf(err, n, "could not grant on schema_migrations: out of memory");
		goto done;
	}
	snprintf(sql, len, "%s%s", grant, ident);
	rc = exec_ok(pg, sql, err, n, "could not grant on schema_migrations");
done:
	free(sql);
	PQfreemem(ident);
	return rc;
}

int db_migrate_run(const char *conninfo, FILE *log, char *err, size_t n)
{
	return db_migrate_run_for(conninfo, NULL, log, err, n);
}

int db_migrate_run_for(const char *conninfo, const char *app_role, FILE *log, char *err, size_t n)
{
	int applied = 0, rc = -1;
	PGconn *pg = connect_sync(conninfo, err, n);
	if (!pg)
		return -1;
	if (exec_ok(pg, "SET client_min_messages = warning", err, n, "could not configure session") < 0)
		goto done;
	if (exec_ok(pg, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", err, n,
	            "could not take the migration lock") < 0)
		goto done;
	if (exec_ok(pg,
	            "CREATE TABLE IF NOT EXISTS public.schema_migrations ("
	            " version integer PRIMARY KEY,"
	            " name text NOT NULL,"
	            " checksum text NOT NULL,"
	            " applied_at timestamptz NOT NULL DEFAULT now())",
	            err, n, "could not create schema_migrations") < 0)
		goto unlock;

	for (int i = 0; i < db_migrations_count; i++) {
		const db_migration *m = &db_migrations[i];
		char sum[32], have[64];
		snprintf(sum, sizeof sum, "%016llx", (unsigned long long)fnv1a(m->sql));
		int found = applied_checksum(pg, m->version, have, sizeof have, err, n);
		if (found < 0)
			goto unlock;
		if (found) {
			if (strcmp(have, sum) != 0 && log)
				fprintf(log, "warning: migration %s changed after it was applied"
				             " (applied %s, now %s)\n", m->name, have, sum);
			continue;
		}
		if (exec_ok(pg, "BEGIN", err, n, "could not begin") < 0)
			goto unlock;
		PGresult *res = PQexec(pg, m->sql);
		ExecStatusType st = PQresultStatus(res);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
			char what[128];
			snprintf(what, sizeof what, "migration %s failed", m->name);
			set_err(err, n, what, pg, res);
			PQclear(res);
			PQclear(PQexec(pg, "ROLLBACK"));
			goto unlock;
		}
		PQclear(res);
		char v[16];
		snprintf(v, sizeof v, "%d", m->version);
		const char *params[] = { v, m->name, sum };
		res = PQexecParams(pg,
			"INSERT INTO public.schema_migrations (version, name, checksum)"
			" VALUES ($1::int, $2, $3)", 3, NULL, params, NULL, NULL, 0);
		st = PQresultStatus(res);
		PQclear(res);
		if (st != PGRES_COMMAND_OK) {
			set_err(err, n, "could not record the migration", pg, NULL);
			PQclear(PQexec(pg, "ROLLBACK"));
			goto unlock;
		}
		if (exec_ok(pg, "COMMIT", err, n, "could not commit the migration") < 0)
			goto unlock;
		if (log)
			fprintf(log, "applied %s\n", m->name);
		applied++;
	}
	if (grant_versions(pg, app_role ? app_role : "jxjy_app", log, err, n) < 0)
		goto unlock;
	rc = applied;
unlock:
	PQclear(PQexec(pg, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")"));
done:
	PQfinish(pg);
	return rc;
}

int db_sql_file_run(const char *conninfo, const char *name, char *err, size_t n)
{
	const db_sql_file *f = NULL;
	for (int i = 0; i < db_sql_files_count; i++)
		if (strcmp(db_sql_files[i].name, name) == 0)
			f = &db_sql_files[i];
	if (!f) {
		snprintf(err, n, "no embedded SQL file named %s", name);
		return -1;
	}
	PGconn *pg = connect_sync(conninfo, err, n);
	if (!pg)
		return -1;
	int rc = -1;
	if (exec_ok(pg, "SET client_min_messages = warning", err, n, "could not configure session") < 0 ||
	    exec_ok(pg, "BEGIN", err, n, "could not begin") < 0)
		goto done;
	if (exec_ok(pg, f->sql, err, n, name) < 0) {
		PQclear(PQexec(pg, "ROLLBACK"));
		goto done;
	}
	rc = exec_ok(pg, "COMMIT", err, n, "could not commit");
done:
	PQfinish(pg);
	return rc;
}
