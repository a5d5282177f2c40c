/*
 * What a db_result is inside db/ (pool.c, sync.c, result.c): a PGresult
 * and the statement it answers, so that a bad value can be reported by the
 * statement's name.  Not for api/: it reads results through db.h.
 */
#ifndef JXJY_DB_RESULT_H
#define JXJY_DB_RESULT_H

#include <libpq-fe.h>

#include "db.h"

struct db_result {
	PGresult *res;
	int stmt; /* db_stmt_id, -1 when unknown */
};

/* Wraps res (ownership passes to *out, also on failure) as the answer of
 * stmt (-1: unknown) — for the blocking path and for tests that build a
 * result without a server.  Returns 0 or DB_EINVAL (out of memory).  Freed
 * with db_result_free. */
DB_MUSTCHECK int db_result_new(db_result **out, PGresult *res, int stmt);
void db_result_free(db_result *r);

/* The column count the registry declares for stmt: 0 when PQnfields agrees
 * (or the result carries no rows), else DB_EINVAL after logging one line;
 * msg (n bytes) gets the reason.  A mismatch is a programming error: a .def
 * column list that is out of date. */
DB_MUSTCHECK int db_result_check_width(const PGresult *res, int stmt, char *msg, size_t n);

#endif
