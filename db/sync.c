/*
 * Blocking access for the operator tool (jxjyctl): the same statement
 * registry, one statement per call.  Never used by the gateway.
 */
#include "sync.h"
#include "result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

struct db_sync {
	PGconn *pg;
};

int db_sync_open(db_sync **out, const char *conninfo, char *err, size_t n)
{
	*out = NULL;
	const char *keys[] = { "dbname", "application_name", NULL };
	const char *vals[] = { conninfo, "jxjyctl", NULL };
	PGconn *pg = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(pg) != CONNECTION_OK) {
		snprintf(err, n, "could not connect to the database: %s", PQerrorMessage(pg));
		char *nl = strchr(err, '\n');
		if (nl)
			*nl = '\0';
		PQfinish(pg);
		return DB_EUNAVAIL;
	}
	PQsetClientEncoding(pg, "UTF8");
	db_sync *s = calloc(1, sizeof *s);
	if (!s) {
		PQfinish(pg);
		return DB_EINVAL;
	}
	s->pg = pg;
	*out = s;
	return DB_OK;
}

void db_sync_close(db_sync *s)
{
	if (!s)
		return;
	PQfinish(s->pg);
	free(s);
}

int db_sync_run(db_sync *s, db_stmt_id id, const char *const *values, db_result **out,
                db_error *err)
{
	const db_stmt_def *d = db_stmt_get(id);
	memset(err, 0, sizeof *err);
	err->failed_index = -1;
	if (out)
		*out = NULL;
	PGresult *res = PQexecParams(s->pg, d->sql, d->nparams, NULL, values, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		err->code = PQstatus(s->pg) == CONNECTION_OK ? DB_ESQL : DB_EUNAVAIL;
		err->failed_index = 0;
		snprintf(err->sqlstate, sizeof err->sqlstate, "%s", state ? state : "");
		snprintf(err->message, sizeof err->message, "%s",
		         msg ? msg : PQerrorMessage(s->pg));
		PQclear(res);
		return err->code;
	}
	if (db_result_check_width(res, (int)id, err->message, sizeof err->message) < 0) {
		PQclear(res);
		err->code = DB_EINVAL;
		err->failed_index = 0;
		return DB_EINVAL;
	}
	if (!out) {
		PQclear(res);
		return DB_OK;
	}
	if (db_result_new(out, res, (int)id) < 0) {
		err->code = DB_EINVAL;
		snprintf(err->message, sizeof err->message, "out of memory");
		return DB_EINVAL;
	}
	return DB_OK;
}
