/*
 * The registry of named statements: every SQL text the program runs lives in
 * db/statements.c, one entry per id.  Values always travel as $n parameters.
 */
#ifndef JXJY_DB_STATEMENTS_H
#define JXJY_DB_STATEMENTS_H

typedef enum db_stmt_id {
#define DB_STMT(id, nparams, sql) DB_STMT_##id,
#include "statements.def"
#undef DB_STMT
	DB_STMT__COUNT
} db_stmt_id;

typedef struct db_stmt_def {
	const char *name;  /* prepared statement name */
	const char *sql;
	int nparams;
} db_stmt_def;

/* The definition of a statement (borrowed, static). */
const db_stmt_def *db_stmt_get(db_stmt_id id);

#endif
