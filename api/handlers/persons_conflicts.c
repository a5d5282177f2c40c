/*
 * Existence probes (API.md, "Accounts and abuse"; sql/0017_conflicts.sql).
 *
 * A national id is unique in the city, so "already registered" tells the
 * caller that somebody — possibly outside its jurisdiction — holds it.  The
 * answer stays (409 on create and PATCH, the row's 422 error in an import:
 * it says nothing about who or where), but every such refusal leaves ONE
 * "conflict" audit row and ONE jxjy.conflict_refusals row per request,
 * written after the refusal's rollback in a transaction of its own
 * (api_after_rollback), and an account with more than
 * JXJY_CONFLICTS_PER_DAY of them in 24 h gets 429 on creates and imports
 * until the refusal that makes the excess leaves the window.  PATCH is never
 * refused for it (a correction of one's own person must stay possible) but
 * is audited and counted the same.
 *
 * The audit row holds masked national ids only (core's mask, the one every
 * answer shows) and, for an import, the count and the row numbers; at most
 * PERSONS_CONFLICT_LISTED of each — the row's hash is computed under the
 * chain's global lock, so its size is time every other writer waits.
 */
#include <stdio.h>

#include "http/config.h"
#include "handlers.h"
#include "persons_internal.h"

db_call persons_conflicts_call(api_req *r)
{
	const char **v = api_arena_alloc(r->mem, sizeof *v);
	v[0] = api_arena_printf(r->mem, "%d", api_req_config(r)->conflicts_per_day);
	return (db_call){ DB_STMT_PERSONS_CONFLICTS_WAIT, v };
}

bool persons_conflicts_refuse(api_req *r, const db_result *res)
{
	if (db_result_rows(res) == 0)
		return false;
	const char *wait;
	if (db_result_str(res, 0, PERSONS_CONFLICTS_WAIT_COL_RETRY_AFTER, &wait) != 0) {
		api_reply_problem(r, 500, "Internal error", "the refusals could not be counted");
		return true;
	}
	api_reply_header(r, "Retry-After", wait);
	api_reply_problem(r, 429, "Too many requests",
	                  api_arena_printf(r->mem,
	                                   "more than %d registrations of this account were refused in "
	                                   "24 hours because the national_id was already registered: "
	                                   "creates and imports of persons wait until Retry-After",
	                                   api_req_config(r)->conflicts_per_day));
	return true;
}

void persons_conflict_trace(api_req *r, const char *person, json_t *after, const char *units)
{
	const char **v = api_arena_alloc(r->mem, 3 * sizeof *v);
	db_call *call = api_arena_alloc(r->mem, sizeof *call);
	v[0] = person;
	v[1] = api_json_dump_arena(r->mem, after, JSON_COMPACT);
	v[2] = units;
	json_decref(after);
	*call = (db_call){ DB_STMT_PERSONS_AUDIT_CONFLICT, v };
	api_after_rollback(r, call, 1);
}

void persons_conflict_trace_one(api_req *r, const char *operation, const char *person,
                                const char *national_id, const char *unit)
{
	const char *masked = persons_mask(r, national_id);
	json_t *after = json_pack("{s:s, s:o}", "operation", operation, "national_id",
	                          masked ? json_string(masked) : json_null());
	persons_conflict_trace(r, person, after, persons_pg_array(r, &unit, 1));
}
