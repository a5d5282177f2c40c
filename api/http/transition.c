#include "http/transition.h"

#include <stdlib.h>
#include <string.h>

#include "http/resource.h"

typedef struct transition_run {
	const api_transition *t;
	const char *rule_sets;
	db_call calls[3];
} transition_run;

/* the lock's row (res[0] below), after the first lock's result */
static void locked(api_req *r, db_result *const *all, int n)
{
	transition_run *run = r->ctx_transition;
	const api_transition *t = run->t;
	db_result *const *res = all + (t->has_first ? 1 : 0);
	if (n > (t->has_first ? 2 : 1))
		run->rule_sets = api_arena_strdup(r->mem, db_result_value(res[1], 0,
		                                                          RULE_SETS_ALL_COL_RULE_SETS));
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
			                                              "the \"%s\" has changed since it was read",
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

void api_transition_start(api_req *r, const api_transition *t, const char *const *values, int n,
                          bool rule_sets)
{
	transition_run *run = api_arena_alloc(r->mem, sizeof *run);
	const char **v = api_arena_alloc(r->mem, (size_t)n * sizeof *v);
	memcpy(v, values, (size_t)n * sizeof *v);
	run->t = t;
	int k = 0;
	if (t->has_first)
		run->calls[k++] = (db_call){ t->first, v };
	run->calls[k++] = (db_call){ t->lock, v };
	if (rule_sets)
		run->calls[k++] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	r->ctx_transition = run;
	api_db_run(r, run->calls, k, locked);
}

const char *api_transition_rule_sets(const api_req *r)
{
	const transition_run *run = r->ctx_transition;
	return run ? run->rule_sets : NULL;
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
