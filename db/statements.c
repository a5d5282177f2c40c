#include "statements.h"

#include <assert.h>
#include <stddef.h>

/* the column names of each statement, NULL-terminated (never an empty array) */
#define DB_STMT_NAME_(unused, name) #name,
#define DB_STMT(id, nparams, cols, sql) \
	static const char *const cols_##id[] = { DB_PP_FOR_EACH(DB_STMT_NAME_, ~, cols) NULL };
#include "statements.def"
#undef DB_STMT
#undef DB_STMT_NAME_

static const db_stmt_def stmts[DB_STMT__COUNT] = {
#define DB_STMT(id, nparams, cols, sql) \
	[DB_STMT_##id] = { "jx_" #id, sql, nparams, id##_COL__COUNT, cols_##id },
#include "statements.def"
#undef DB_STMT
};

const db_stmt_def *db_stmt_get(db_stmt_id id)
{
	assert(id >= 0 && id < DB_STMT__COUNT);
	return &stmts[id];
}
