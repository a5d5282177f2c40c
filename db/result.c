/*
 * Reading results: the raw accessors and the typed ones that fail loudly.
 *
 * A value that is NULL where the caller needs one, or that does not parse,
 * is a disagreement between the SQL and the C that reads it; it is logged
 * with the statement's and the column's names so that it is found at the
 * first occurrence, not guessed at from a 500 later.  Values themselves
 * are never logged: a column may hold a national id or a password hash.
 */
#include "result.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int db_result_new(db_result **out, PGresult *res, int stmt)
{
	*out = NULL;
	db_result *r = malloc(sizeof *r);
	if (!r) {
		PQclear(res);
		return DB_EINVAL;
	}
	r->res = res;
	r->stmt = stmt;
	*out = r;
	return DB_OK;
}

void db_result_free(db_result *r)
{
	if (!r)
		return;
	PQclear(r->res);
	free(r);
}

/* "RECORDS_LOCK" for jx_RECORDS_LOCK, NULL when the statement is unknown */
static const char *stmt_label(int stmt)
{
	if (stmt < 0 || stmt >= DB_STMT__COUNT)
		return NULL;
	const char *name = db_stmt_get((db_stmt_id)stmt)->name;
	return strncmp(name, "jx_", 3) == 0 ? name + 3 : name;
}

int db_result_check_width(const PGresult *res, int stmt, char *msg, size_t n)
{
	if (PQresultStatus(res) != PGRES_TUPLES_OK || !stmt_label(stmt))
		return DB_OK;
	const db_stmt_def *d = db_stmt_get((db_stmt_id)stmt);
	int got = PQnfields(res);
	if (got == d->ncols)
		return DB_OK;
	snprintf(msg, n, "statement %s answered %d columns but its definition names %d",
	         stmt_label(stmt), got, d->ncols);
	fprintf(stderr, "db: %s\n", msg);
	return DB_EINVAL;
}

/* Logs why a value cannot be read; always DB_EVALUE. */
static int value_error(const db_result *r, int row, int col, const char *why)
{
	const char *stmt = r ? stmt_label(r->stmt) : NULL;
	const char *name = "?";
	if (stmt && col >= 0 && col < db_stmt_get((db_stmt_id)r->stmt)->ncols)
		name = db_stmt_get((db_stmt_id)r->stmt)->cols[col];
	else if (r && col >= 0 && col < PQnfields(r->res))
		name = PQfname(r->res, col);
	fprintf(stderr, "db: statement %s row %d column %d (%s): %s\n", stmt ? stmt : "(unknown)",
	        row, col, name, why);
	return DB_EVALUE;
}

/* The text of a cell, NULL for SQL NULL; DB_EVALUE outside the result. */
static int cell(const db_result *r, int row, int col, const char **v)
{
	if (!r || !r->res)
		return value_error(r, row, col, "no result");
	if (row < 0 || row >= PQntuples(r->res))
		return value_error(r, row, col, "row out of range");
	if (col < 0 || col >= PQnfields(r->res))
		return value_error(r, row, col, "column out of range");
	*v = PQgetisnull(r->res, row, col) ? NULL : PQgetvalue(r->res, row, col);
	return DB_OK;
}

static int required(const db_result *r, int row, int col, const char **v)
{
	int rc = cell(r, row, col, v);
	if (rc == DB_OK && !*v)
		return value_error(r, row, col, "null where a value is required");
	return rc;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

int db_result_str(const db_result *res, int row, int col, const char **out)
{
	const char *v;
	int rc = required(res, row, col, &v);
	if (rc == DB_OK)
		*out = v;
	return rc;
}

int db_result_str_opt(const db_result *res, int row, int col, const char **out)
{
	const char *v;
	int rc = cell(res, row, col, &v);
	if (rc == DB_OK)
		*out = v;
	return rc;
}

int db_result_int(const db_result *res, int row, int col, long *out)
{
	const char *v;
	int rc = required(res, row, col, &v);
	if (rc < 0)
		return rc;
	/* strtol alone would also take leading blanks, a '+' and "0x" */
	if (!is_digit(v[v[0] == '-']))
		return value_error(res, row, col, "not an integer");
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (*end != '\0')
		return value_error(res, row, col, "not an integer");
	if (errno == ERANGE)
		return value_error(res, row, col, "integer out of range");
	*out = x;
	return DB_OK;
}

int db_result_bool(const db_result *res, int row, int col, bool *out)
{
	const char *v;
	int rc = required(res, row, col, &v);
	if (rc < 0)
		return rc;
	if (strcmp(v, "t") != 0 && strcmp(v, "f") != 0)
		return value_error(res, row, col, "not a boolean");
	*out = v[0] == 't';
	return DB_OK;
}

/* Not core_hours_parse: that one is bounded by one stored value (99999.9 h),
 * and sums of the reports go far beyond; and PostgreSQL prints the scale of
 * the numeric ("12.50" for a numeric(6,2)), so trailing zeros are fine. */
int db_result_hours(const db_result *res, int row, int col, int32_t *out)
{
	const char *v;
	int rc = required(res, row, col, &v);
	if (rc < 0)
		return rc;
	const char *p = v;
	bool neg = *p == '-';
	if (neg)
		p++;
	if (!is_digit(*p))
		return value_error(res, row, col, "not a number of hours");
	int64_t t = 0;
	bool big = false;
	for (; is_digit(*p); p++) {
		t = t * 10 + (*p - '0');
		if (t > INT32_MAX) {
			big = true; /* keep reading: junk still says junk */
			t = INT32_MAX;
		}
	}
	t *= 10;
	if (*p == '.') {
		p++;
		if (!is_digit(*p))
			return value_error(res, row, col, "not a number of hours");
		t += *p++ - '0';
		while (*p == '0')
			p++;
		if (is_digit(*p))
			return value_error(res, row, col, "hours more precise than a tenth");
	}
	if (*p != '\0')
		return value_error(res, row, col, "not a number of hours");
	if (big || t > INT32_MAX)
		return value_error(res, row, col, "hours out of range");
	*out = (int32_t)(neg ? -t : t);
	return DB_OK;
}

/* ---- raw accessors (api/ still reads with these) ----------------------- */

int db_result_rows(const db_result *r)
{
	return r ? PQntuples(r->res) : 0;
}

int db_result_cols(const db_result *r)
{
	return r ? PQnfields(r->res) : 0;
}

const char *db_result_value(const db_result *r, int row, int col)
{
	if (!r || row >= PQntuples(r->res) || col >= PQnfields(r->res) ||
	    PQgetisnull(r->res, row, col))
		return NULL;
	return PQgetvalue(r->res, row, col);
}

int db_result_length(const db_result *r, int row, int col)
{
	return r ? PQgetlength(r->res, row, col) : 0;
}

bool db_result_is_null(const db_result *r, int row, int col)
{
	return !r || PQgetisnull(r->res, row, col);
}

const char *db_result_column_name(const db_result *r, int col)
{
	return r ? PQfname(r->res, col) : NULL;
}

long db_result_affected(const db_result *r)
{
	if (!r)
		return -1;
	const char *s = PQcmdTuples(r->res);
	if (!s || !*s)
		return -1;
	return strtol(s, NULL, 10);
}
