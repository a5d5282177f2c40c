/*
 * The scope of a statistic (R-25: reports and samples): optional district,
 * industry and unit filters combined with the caller's jurisdiction.  The
 * permission matrix row "reports, samples": city all, district bureau its
 * district, industry authority its industry, unit its own staff, base its
 * own projects; a person nothing (the route table's 403).
 *
 * Clamping: the caller's jurisdiction is always part of the scope (a
 * district bureau without a district filter gets its district).  A filter
 * naming another district, industry, unit or base — or anything the caller
 * cannot see, or that does not exist — is answered 404, as for any object
 * outside the jurisdiction (never an empty report, which would look like a
 * real answer).
 */
#ifndef JXJY_API_SCOPE_H
#define JXJY_API_SCOPE_H

#include <stdbool.h>

#include <jansson.h>

#include "db.h"

typedef struct api_req api_req;

typedef struct api_scope {
	const char *district, *industry, *unit, *base; /* effective filters, NULL: none */
	const char *want_district; /* a unit's district filter, checked against its unit */
} api_scope;

/* Combines the requested filters (NULL: absent; already well-formed) with
 * the caller's claims into s.  Returns false after replying 404 when a
 * filter contradicts the jurisdiction. */
bool api_scope_clamp(api_req *r, api_scope *s, const char *district, const char *industry,
                     const char *unit);

/* Values for DB_STMT_REPORTS_SCOPE (3 strings, in the arena). */
const char **api_scope_check_values(api_req *r, const api_scope *s);

/* After DB_STMT_REPORTS_SCOPE: false after replying 404 when a filter names
 * nothing the caller may see. */
bool api_scope_verify(api_req *r, const api_scope *s, const db_result *res);

/* The scope as a JSON object {"district":…,"industry":…,"unit":…,"base":…}
 * with the present keys (new reference). */
json_t *api_scope_json(const api_scope *s);

#endif
