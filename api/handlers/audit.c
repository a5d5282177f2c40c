/*
 * GET /v1/audit: who did what, when, to which object (SECURITY.md; issue 6).
 * The city bureau reads everything, a district bureau the entries about its
 * district (row-level security; the handler adds the same filter so the
 * index is used).  Newest first, keyset paging by id.
 */
#include <stdlib.h>
#include <string.h>

#include "http/fields.h"
#include "http/paging.h"
#include "http/resource.h"
#include "handlers.h"

/* the key of AUDIT_LIST: the entry's id, at most 19 digits */
static bool key_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 19)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static void audit_list(api_req *r)
{
	api_page *pg = api_list_page(r, key_ok);
	if (!pg)
		return;
	const char *dates[2] = { api_query(r, "from"), api_query(r, "to") };
	for (int i = 0; i < 2; i++) {
		core_date d;
		if (dates[i] && core_date_parse(&d, dates[i]) != 0) {
			api_reply_problem(r, 400, "Bad query", "from and to must be dates YYYY-MM-DD");
			return;
		}
	}
	const char *own_district = r->claims.role == API_ROLE_DISTRICT ? r->claims.jur : NULL;
	const char *v[] = { pg->after, api_query(r, "entity"), api_query(r, "entity_id"),
	                    api_query(r, "actor"), dates[0], dates[1], own_district,
	                    pg->limit_plus_one };
	api_list_run(r, pg, DB_STMT_AUDIT_LIST, v, 8);
}

static const char *const list_query[] = { "limit", "cursor", "entity", "entity_id", "actor",
                                          "from", "to", NULL };
const api_op op_audit_list = { .handler = audit_list, .query = list_query };
