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

enum { V_AFTER, V_ENTITY, V_ENTITY_ID, V_ACTOR, V_FROM, V_TO, V_DISTRICT, V_LIMIT, V__COUNT };

typedef struct list_ctx {
	const char *v[V__COUNT]; /* AUDIT_LIST's values; the filters from list_params */
} list_ctx;

static void audit_list(api_req *r)
{
	list_ctx *c = r->ctx;
	/* not API_OP_PAGED: the cursor is an id, not a time-id */
	api_page *pg = api_list_page(r, key_ok);
	if (!pg)
		return;
	/* from, to: no date kind of param */
	for (int i = V_FROM; i <= V_TO; i++) {
		core_date d;
		if (c->v[i] && core_date_parse(&d, c->v[i]) != 0) {
			api_reply_problem(r, 400, "Bad query", "from and to must be dates YYYY-MM-DD");
			return;
		}
	}
	c->v[V_AFTER] = pg->after;
	c->v[V_DISTRICT] = r->claims.role == API_ROLE_DISTRICT ? r->claims.jur : NULL;
	c->v[V_LIMIT] = pg->limit_plus_one;
	api_list_run(r, pg, DB_STMT_AUDIT_LIST, c->v, V__COUNT);
}

static const api_param list_params[] = {
	API_PARAM(list_ctx, v[V_ENTITY], "entity", API_PARAM_TEXT, NULL),
	API_PARAM(list_ctx, v[V_ENTITY_ID], "entity_id", API_PARAM_TEXT, NULL),
	API_PARAM(list_ctx, v[V_ACTOR], "actor", API_PARAM_TEXT, NULL),
	API_PARAM(list_ctx, v[V_FROM], "from", API_PARAM_TEXT, NULL),
	API_PARAM(list_ctx, v[V_TO], "to", API_PARAM_TEXT, NULL),
	API_PARAMS_END,
};
static const char *const list_query[] = { "limit", "cursor", NULL };
const api_op op_audit_list = { .handler = audit_list, .query = list_query, .params = list_params,
                               .ctx_size = sizeof(list_ctx) };
