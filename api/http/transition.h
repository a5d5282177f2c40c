/*
 * The companion of state transitions (R-13 records, R-9 achievements, R-16
 * bases, R-19 projects, R-20 enrolments, R-22 guides): one shape for
 *
 *   lock the row by the path id → none: 404 (row-level security hides what
 *   the caller may not see) → the caller's right on it (403) → If-Match
 *   (412) → core decides the transition (409 when it refuses) → the
 *   handler's update → … → the audit row, last in the transaction.
 *
 * The op declares API_OP_TX | API_OP_IF_MATCH and a not_found text; its
 * handler fills the lock call's values and calls api_transition_start.
 */
#ifndef JXJY_API_TRANSITION_H
#define JXJY_API_TRANSITION_H

#include "http/request.h"

typedef struct api_transition {
	/* a lock taken first in the same round trip with the same values (the
	 * parent's: a base for its projects, a project for its achievements),
	 * so that the row is read after it; has_first false: none */
	bool has_first;
	db_stmt_id first;
	db_stmt_id lock;   /* $1 the id (more values when the handler gives them) */
	int status_col;    /* the row's status, as core names it */
	int version_col;   /* the row's version (ETag), -1: not versioned */
	const char *noun;  /* "record": "the record has changed since it was read" */
	const char *stale; /* the 412's detail when not that one */
	/* no row: NULL answers 404 with the op's not_found; else it replies */
	void (*missing)(api_req *r);
	/* the caller's right on this row (NULL: the route's roles suffice):
	 * false after it replied (403, 404) */
	bool (*allowed)(api_req *r, const db_result *row);
	/* core's transition from the row's status: 0 and the new status' name in
	 * *to; otherwise the conflict's detail in *detail (409) */
	int (*decide)(api_req *r, const char *from, const char **to, const char **detail);
	/* everything checked: the handler's update */
	void (*locked)(api_req *r, const db_result *row, const char *to);
} api_transition;

/* Runs the lock statement with values (kept until the reply) and the
 * steps above, in one round trip with the first lock and, when rule_sets,
 * the rule sets (api_transition_rule_sets).  r->if_match must have been
 * read (API_OP_IF_MATCH). */
void api_transition_start(api_req *r, const api_transition *t, const char *const *values, int n,
                          bool rule_sets);

/* The rule sets read with the lock (JSON array, DB_STMT_RULE_SETS_ALL), for
 * the hooks; NULL when not asked for. */
const char *api_transition_rule_sets(const api_req *r);

/* The audit row, written last: runs stmt with values, then replies status
 * with json and the ETag of version (NULL: none); 201 answers with the
 * Location prefix followed by the json's id. */
void api_audit_reply(api_req *r, db_stmt_id stmt, const char *const *values, int n, int status,
                     const char *location_prefix, const char *version, const char *json);
#endif
