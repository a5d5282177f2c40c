#include "statements.h"

#include <assert.h>

static const db_stmt_def stmts[DB_STMT__COUNT] = {
#define DB_STMT(id, nparams, sql) [DB_STMT_##id] = { "jx_" #id, sql, nparams },
#include "statements.def"
#undef DB_STMT
};

const db_stmt_def *db_stmt_get(db_stmt_id id)
{
	assert(id >= 0 && id < DB_STMT__COUNT);
	return &stmts[id];
}
