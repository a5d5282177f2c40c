/* Reference data every role reads: districts and industries. */
#include <string.h>

#include "handlers.h"

/* The database builds the array; wrap it as {"items":[…]}. */
static void items_done(api_req *r, db_result *const *res, int n)
{
	/* DISTRICTS_LIST and INDUSTRIES_LIST: one column, the array */
	const char *arr = db_result_value(res[0], 0, DISTRICTS_LIST_COL_DISTRICTS);
	char *body = api_arena_printf(r->mem, "{\"items\":%s}", arr ? arr : "[]");
	api_reply_raw(r, 200, "application/json", body, strlen(body));
}

/* the op's arg: the statement of the list */
static void reference_list(api_req *r)
{
	db_call *call = api_arena_alloc(r->mem, sizeof *call);
	*call = (db_call){ (db_stmt_id)api_op_arg(r), NULL };
	api_db_run(r, call, 1, items_done);
}

/* whole lists: no query parameters */
const api_op op_districts_list = { .handler = reference_list, .arg = DB_STMT_DISTRICTS_LIST };
const api_op op_industries_list = { .handler = reference_list, .arg = DB_STMT_INDUSTRIES_LIST };
