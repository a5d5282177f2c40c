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

static void districts_list(api_req *r)
{
	static const db_call calls[] = { { DB_STMT_DISTRICTS_LIST, NULL } };
	api_db_run(r, calls, 1, items_done);
}

static void industries_list(api_req *r)
{
	static const db_call calls[] = { { DB_STMT_INDUSTRIES_LIST, NULL } };
	api_db_run(r, calls, 1, items_done);
}

/* whole lists: no query parameters */
const api_op op_districts_list = { .handler = districts_list };
const api_op op_industries_list = { .handler = industries_list };
