/*
 * Schema migrations (sql/NNNN_*.sql, embedded at build time) and the other
 * SQL files the operator tool runs.  Used by jxjyctl, which may block: these
 * functions use synchronous libpq and must never run on the gateway's loop.
 */
#ifndef JXJY_DB_MIGRATE_H
#define JXJY_DB_MIGRATE_H

#include <stddef.h>
#include <stdio.h>

typedef struct db_migration {
	int version;
	const char *name;
	const char *sql;
} db_migration;

typedef struct db_sql_file {
	const char *name;
	const char *sql;
} db_sql_file;

extern const db_migration db_migrations[];
extern const int db_migrations_count;
extern const db_sql_file db_sql_files[];
extern const int db_sql_files_count;

/* The version of the newest embedded migration. */
int db_migrate_latest(void);

/* Applies every pending migration, each in its own transaction, under an
 * advisory lock, recording it in public.schema_migrations.  Prints one line
 * per applied migration to log.  Returns the number applied, or -1 with a
 * message in err. */
int db_migrate_run(const char *conninfo, FILE *log, char *err, size_t errlen);

/* db_migrate_run, granting SELECT on public.schema_migrations (the version
 * /readyz reads) to app_role, the role the gateway logs in as (JXJY_DB_USER);
 * NULL means "jxjy_app".  A role that does not exist is skipped with a
 * warning in log.  db_migrate_run is this with NULL. */
int db_migrate_run_for(const char *conninfo, const char *app_role, FILE *log, char *err,
                       size_t errlen);

/* Runs an embedded SQL file (by base name) in one transaction.  Returns 0 or
 * -1 with a message in err. */
int db_sql_file_run(const char *conninfo, const char *name, char *err, size_t errlen);
#endif
