/*
 * The shapes handlers share: a resource read by its id, a keyset list run
 * by one statement, a new resource answered 201 with its Location, and the
 * usual refusals (404 for a malformed id, 422 for a body that is not an
 * object or has field errors).
 */
#ifndef JXJY_API_RESOURCE_H
#define JXJY_API_RESOURCE_H

#include <stdbool.h>

#include <jansson.h>

#include "http/paging.h"
#include "http/request.h"

/* ---- single resources -------------------------------------------------- */

/* GET of one resource: no query parameters (else 400), every path parameter
 * a UUID (else 404 with not_found_detail), then stmt with the path
 * parameters as $1, $2, … answering one row (version, json): 404 when there
 * is none, else 200 with the JSON and the ETag of version. */
void api_get_one(api_req *r, db_stmt_id stmt, const char *not_found_detail);
/* The same for a statement answering (json) only: no ETag. */
void api_get_json(api_req *r, db_stmt_id stmt, const char *not_found_detail);

/* ---- keyset lists ------------------------------------------------------ */

/* api_query_only(allowed), then api_list_page: the page, or NULL after
 * replying. */
api_page *api_list_begin(api_req *r, const char *const *allowed, api_page_key_fn key_ok);
/* ?limit and ?cursor, the cursor's key checked by key_ok (usually
 * api_cursor_is_time_id): the page (in the arena), or NULL after replying
 * 400. */
api_page *api_list_page(api_req *r, api_page_key_fn key_ok);
/* Runs stmt with the n values (copied into the arena) and replies with the
 * page of its rows: column 0 the key, column 1 the JSON.  Uses r->ctx. */
void api_list_run(api_req *r, api_page *pg, db_stmt_id stmt, const char *const *values, int n);
/* A list inside a parent: parent runs first with the same values (it reads
 * $1 only); no row is 404 with not_found_detail, else as api_list_run. */
void api_list_run_in(api_req *r, api_page *pg, db_stmt_id parent, const char *not_found_detail,
                     db_stmt_id stmt, const char *const *values, int n);

/* ---- requests and replies ---------------------------------------------- */

/* False after replying 500 when a typed read of a result (db_result_str,
 * _int, _bool, _hours: rc != 0, already logged by db/) failed; combine reads
 * with |. */
bool api_result_ok(api_req *r, int rc);
/* True when path parameter i is a UUID; else replies 404 with detail (an
 * object that cannot exist is not found, never a 400). */
bool api_path_uuid(api_req *r, int i, const char *not_found_detail);
/* ?year= of a list: NULL (absent) or a year from API_YEAR_MIN to API_YEAR_MAX in *out; false
 * after replying 400. */
bool api_query_year(api_req *r, const char **out);
/* True when the body is a JSON object; else replies 422. */
bool api_body_object(api_req *r);
/* The body when it is a JSON object without fields outside allowed; else
 * NULL after replying 422 (the unknown fields named). */
json_t *api_body_fields(api_req *r, const char *const *allowed);
/* With field errors: replies 422 "Validation failed" with them (stolen) and
 * returns true; without: frees errors and returns false. */
bool api_errors_reply(api_req *r, json_t *errors);

/* 404 "Not found" with detail. */
void api_reply_not_found(api_req *r, const char *detail);
/* 422 with one field error. */
void api_reply_field_error(api_req *r, const char *field, const char *code, const char *message);
/* Replies status with json (JSON text from the database) and, when version
 * is given, its ETag. */
void api_reply_doc(api_req *r, int status, const char *version, const char *json);
/* 201 with json as api_reply_doc does, and Location: prefix followed by the
 * json's "id". */
void api_reply_created(api_req *r, const char *prefix, const char *version, const char *json);

/* A random (version 4) UUID: an id known before the round trip that inserts
 * the row (and rows referring to it). */
void api_uuid_v4(char out[37]);
#endif
