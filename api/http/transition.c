#include "http/transition.h"

#include <stdlib.h>
#include <string.h>

#include "http/resource.h"

typedef struct transition_run {
	const api_transition *t;
	db_call call;
} transition_run;

static void locked(api_req *r, db_result *const *res, int n)
{
	transition_run *run = r->ctx_step;
	const api_transition *t = run->t;
	if (db_result_rows(res[0]) == 0) {
		if (t->missing)
			t->missing(r);
		else
			api_reply_not_found(r, r->route->op->not_found);
		return;
	}
	if (t->allowed && !t->allowed(r, res[0]))
		return;
	if (r->if_match >= 0 && t->version_col >= 0) {
		long version;
		if (!api_result_ok(r, db_result_int(res[0], 0, t->version_col, &version)))
			return;
		if (version != r->if_match) {
			api_reply_problem(r, 412, "Precondition failed",
			                  t->stale ? t->stale
			                           : api_arena_printf(r->mem,
			                                              "the %s has changed since it was read",
			                                              t->noun));
			return;
		}
	}
	const char *from, *to = NULL, *detail = NULL;
	if (!api_result_ok(r, db_result_str(res[0], 0, t->status_col, &from)))
		return;
	if (t->decide(r, from, &to, &detail) != 0) {
		api_reply_problem(r, 409, "Conflict", detail);
		return;
	}
	t->locked(r, res[0], to);
}

void api_transition_start(api_req *r, const api_transition *t, const char *const *values, int n)
{
	transition_run *run = api_arena_alloc(r->mem, sizeof *run);
	const char **v = api_arena_alloc(r->mem, (size_t)n * sizeof *v);
	memcpy(v, values, (size_t)n * sizeof *v);
	run->t = t;
	run->call = (db_call){ t->lock, v };
	r->ctx_step = run;
	api_db_run(r, &run->call, 1, locked);
}

/* ---- the audit row, then the answer ------------------------------------ */

typedef struct audit_run {
	int status;
	const char *location_prefix, *version, *json;
	db_call call;
} audit_run;

static void audited(api_req *r, db_result *const *res, int n)
{
	audit_run *a = r->ctx_step;
	if (a->location_prefix)
		api_reply_created(r, a->location_prefix, a->version, a->json);
	else
		api_reply_doc(r, a->status, a->version, a->json);
}

void api_audit_reply(api_req *r, db_stmt_id stmt, const char *const *values, int n, int status,
                     const char *location_prefix, const char *version, const char *json)
{
	audit_run *a = api_arena_alloc(r->mem, sizeof *a);
	const char **v = api_arena_alloc(r->mem, (size_t)n * sizeof *v);
	memcpy(v, values, (size_t)n * sizeof *v);
	a->status = status;
	a->location_prefix = location_prefix;
	a->version = version;
	a->json = json;
	a->call = (db_call){ stmt, v };
	r->ctx_step = a;
	api_db_run(r, &a->call, 1, audited);
}
