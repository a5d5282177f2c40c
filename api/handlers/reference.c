/* Reference data every role reads: districts and industries. */
#include <string.h>

#include "handlers.h"

/* The database builds the array; wrap it as {"items":[…]}. */
static void items_done(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *arr = db_result_value(res[0], 0, 0);
	char *body = api_arena_printf(r->mem, "{\"items\":%s}", arr ? arr : "[]");
	if (!body) {
		api_reply_problem(r, 503, "Service unavailable", "out of memory");
		return;
	}
	api_reply_raw(r, 200, "application/json", body, strlen(body));
}

void h_districts_list(api_req *r)
{
	static const db_call calls[] = { { DB_STMT_DISTRICTS_LIST, NULL } };
	static const char *const allowed[] = { NULL };
	if (!api_query_only(r, allowed))
		return;
	api_db_run(r, calls, 1, items_done);
}

void h_industries_list(api_req *r)
{
	static const db_call calls[] = { { DB_STMT_INDUSTRIES_LIST, NULL } };
	static const char *const allowed[] = { NULL };
	if (!api_query_only(r, allowed))
		return;
	api_db_run(r, calls, 1, items_done);
}

/* ---- operations of the route table (http/op.h) -------------------------- */

const api_op op_districts_list = { .handler = h_districts_list, .flags = API_OP_ANY_QUERY };
const api_op op_industries_list = { .handler = h_industries_list, .flags = API_OP_ANY_QUERY };
