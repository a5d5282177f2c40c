/*
 * GET /v1/audit: who did what, when, to which object (SECURITY.md; issue 6).
 * The city bureau reads everything, a district bureau the entries about its
 * district (row-level security; the handler adds the same filter so the
 * index is used).  Newest first, keyset paging by id.
 */
#include <stdlib.h>
#include <string.h>

#include "../fields.h"
#include "../paging.h"
#include "handlers.h"

typedef struct audit_ctx {
	api_page pg;
	const char *v[8];
	db_call call;
} audit_ctx;

static void list_done(api_req *r, db_result *const *res, int n)
{
	audit_ctx *a = r->ctx;
	(void)n;
	api_page_reply(r, &a->pg, res[0], 0, 1);
}

static bool digits(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

void h_audit_list(api_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", "entity", "entity_id", "actor",
	                                       "from", "to", NULL };
	if (!api_query_only(r, allowed))
		return;
	audit_ctx *a = api_arena_alloc(r->mem, sizeof *a);
	if (!api_page_read(r, &a->pg))
		return;
	if (a->pg.after && !digits(a->pg.after, 19)) {
		api_reply_problem(r, 400, "Bad query", "cursor is not one this service issued");
		return;
	}
	const char *dates[2] = { api_query(r, "from"), api_query(r, "to") };
	for (int i = 0; i < 2; i++) {
		core_date d;
		if (dates[i] && core_date_parse(&d, dates[i]) != 0) {
			api_reply_problem(r, 400, "Bad query", "from and to must be dates YYYY-MM-DD");
			return;
		}
	}
	a->v[0] = a->pg.after;
	a->v[1] = api_query(r, "entity");
	a->v[2] = api_query(r, "entity_id");
	a->v[3] = api_query(r, "actor");
	a->v[4] = dates[0];
	a->v[5] = dates[1];
	a->v[6] = r->claims.role == API_ROLE_DISTRICT ? r->claims.jur : NULL;
	a->v[7] = a->pg.limit_plus_one;
	a->call = (db_call){ DB_STMT_AUDIT_LIST, a->v };
	r->ctx = a;
	api_db_run(r, &a->call, 1, list_done);
}
