/*
 * The shapes handlers share: a resource read by its id, and the replies
 * that go with it.
 */
#ifndef JXJY_API_RESOURCE_H
#define JXJY_API_RESOURCE_H

#include <stdbool.h>

#include "request.h"

/* ---- single resources -------------------------------------------------- */

/* GET of one resource: no query parameters (else 400), every path parameter
 * a UUID (else 404 with not_found_detail), then stmt with the path
 * parameters as $1, $2, … answering one row (version, json): 404 when there
 * is none, else 200 with the JSON and the ETag of version. */
void api_get_one(api_req *r, db_stmt_id stmt, const char *not_found_detail);
/* The same for a statement answering (json) only: no ETag. */
void api_get_json(api_req *r, db_stmt_id stmt, const char *not_found_detail);

/* ---- requests and replies ---------------------------------------------- */

/* True when p is set; else replies 503 (the arena is exhausted) and false. */
bool api_alloc_ok(api_req *r, const void *p);

/* Replies status with json (JSON text from the database) and, when version
 * is given, its ETag. */
void api_reply_doc(api_req *r, int status, const char *version, const char *json);
#endif
