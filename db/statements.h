/*
 * The registry of named statements: every SQL text the program runs lives in
 * db/statements.def and the files of db/stmts/, one DB_STMT(id, nparams, (columns),
 * sql) entry per statement.  Values always travel as $n parameters.
 *
 * For each entry this header makes the statement id DB_STMT_<id> and the
 * numbers of its result columns, <id>_COL_<name> in result order, with
 * <id>_COL__COUNT their number; read a value with
 *   db_result_int(res, row, RECORDS_LOCK_COL_VERSION, &version)
 * rather than with a bare column number.  The test suite (tests/api/test_db.c)
 * checks every list against what PostgreSQL describes, and the pool refuses
 * a result whose width disagrees with it.
 */
#ifndef JXJY_DB_STATEMENTS_H
#define JXJY_DB_STATEMENTS_H

#include "pp.h"

typedef enum db_stmt_id {
#define DB_STMT(id, nparams, cols, sql) DB_STMT_##id,
#include "statements.def"
#undef DB_STMT
	DB_STMT__COUNT
} db_stmt_id;

/* one anonymous enum per statement: an empty column list still makes
 * <id>_COL__COUNT (C has no empty enum) */
#define DB_STMT_COL_(id, name) id##_COL_##name,
#define DB_STMT(id, nparams, cols, sql) \
	enum { DB_PP_FOR_EACH(DB_STMT_COL_, id, cols) id##_COL__COUNT };
#include "statements.def"
#undef DB_STMT
#undef DB_STMT_COL_

typedef struct db_stmt_def {
	const char *name;  /* prepared statement name */
	const char *sql;
	int nparams;
	int ncols;               /* result columns; 0 for a command without rows */
	const char *const *cols; /* their names (ncols of them, then NULL), for diagnostics */
} db_stmt_def;

/* The definition of a statement (borrowed, static). */
const db_stmt_def *db_stmt_get(db_stmt_id id);

#endif
