/*
 * Operation descriptors: what a route's handler takes, declared beside the
 * handler, checked and filled by the pipeline (http/pipeline.c) before the
 * handler runs.  A handler therefore starts at its business logic: the
 * query names are known, the path ids are UUIDs, the body is an object with
 * known fields whose values sit parsed in its ctx, If-Match is read and the
 * transaction is open when it asked for one.
 *
 *   typedef struct verify_ctx { const char *reason; ... } verify_ctx;
 *   static const api_field reject_fields[] = {
 *       API_FIELD_STR(verify_ctx, reason, "reason", API_REQUIRED, 1000),
 *       API_FIELDS_END
 *   };
 *   const api_op op_records_reject = {
 *       .handler = reject, .ctx_size = sizeof(verify_ctx),
 *       .not_found = "no such record in the caller's jurisdiction",
 *       .fields = reject_fields, .flags = API_OP_IF_MATCH | API_OP_TX,
 *   };
 *
 * The order of the checks is fixed: query (400), path ids (404), If-Match
 * syntax (412), body (422: every bad field at once, then the op's check).
 */
#ifndef JXJY_API_OP_H
#define JXJY_API_OP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core.h"
#include "db.h"

typedef struct api_req api_req;

/* The years a request may name (bodies and queries alike). */
#define API_YEAR_MIN 1990
#define API_YEAR_MAX 2100

typedef enum api_field_kind {
	API_FIELD_STRING, /* const char *: 1..max bytes (borrowed from the body) */
	API_FIELD_UUID,   /* const char *: an id */
	API_FIELD_INT,    /* long: min..max */
	API_FIELD_YEAR,   /* int: API_YEAR_MIN..API_YEAR_MAX */
	API_FIELD_YEAR_PAST, /* int: API_YEAR_MIN..this year (China Standard Time) */
	API_FIELD_BOOL,   /* bool */
	API_FIELD_HOURS,  /* int32_t tenths: > 0, or >= 0 with min = 0 */
	API_FIELD_DATE,   /* core_date: a real YYYY-MM-DD */
	API_FIELD_ENUM,   /* the enum parse() fills (a core_*_parse); invalid says the values */
	API_FIELD_ANY,    /* json_t *: any present value, the handler reads it (borrowed) */
} api_field_kind;

enum {
	API_REQUIRED = 1 << 0, /* absent or null: "required" */
};

typedef struct api_field {
	const char *name;
	api_field_kind kind;
	unsigned flags;
	long min, max;
	int (*parse)(void *out, const char *s); /* API_FIELD_ENUM */
	const char *invalid;                    /* message for an invalid enum value */
	size_t offset;                          /* of the value in the ctx */
} api_field;

#define API_FIELD_AT(T, m, n, k, fl, lo, hi, p, msg) \
	{ (n), (k), (fl), (lo), (hi), (p), (msg), offsetof(T, m) }
#define API_FIELD_STR(T, m, n, fl, max) API_FIELD_AT(T, m, n, API_FIELD_STRING, fl, 1, max, NULL, NULL)
#define API_FIELD_ID(T, m, n, fl) API_FIELD_AT(T, m, n, API_FIELD_UUID, fl, 0, 0, NULL, NULL)
#define API_FIELD_LONG(T, m, n, fl, lo, hi) API_FIELD_AT(T, m, n, API_FIELD_INT, fl, lo, hi, NULL, NULL)
#define API_FIELD_YEAR_OF(T, m, n, fl) API_FIELD_AT(T, m, n, API_FIELD_YEAR, fl, 0, 0, NULL, NULL)
#define API_FIELD_PAST_YEAR_OF(T, m, n, fl) \
	API_FIELD_AT(T, m, n, API_FIELD_YEAR_PAST, fl, 0, 0, NULL, NULL)
#define API_FIELD_FLAG(T, m, n, fl) API_FIELD_AT(T, m, n, API_FIELD_BOOL, fl, 0, 0, NULL, NULL)
/* min 1: more than zero hours; min 0: zero allowed */
#define API_FIELD_TENTHS(T, m, n, fl, lo) API_FIELD_AT(T, m, n, API_FIELD_HOURS, fl, lo, 0, NULL, NULL)
#define API_FIELD_DAY(T, m, n, fl) API_FIELD_AT(T, m, n, API_FIELD_DATE, fl, 0, 0, NULL, NULL)
/* an enumeration of core: API_FIELD_ENUM_OF(ctx, level, "title_level", API_REQUIRED,
 * level, "must be …") parses with core_level_parse into a core_level */
#define API_FIELD_ENUM_OF(T, m, n, fl, what, msg) \
	API_FIELD_AT(T, m, n, API_FIELD_ENUM, fl, 0, 0, api_parse_##what, msg)
#define API_FIELD_JSON(T, m, n, fl) API_FIELD_AT(T, m, n, API_FIELD_ANY, fl, 0, 0, NULL, NULL)
#define API_FIELDS_END { NULL, 0, 0, 0, 0, NULL, NULL, 0 }

/* Parsers of core's enumerations with the signature a field table takes:
 * api_parse_level(&out, "intermediate") calls core_level_parse. */
#define API_ENUM_PARSERS(X) \
	X(level) \
	X(category) \
	X(form) \
	X(class_type) \
	X(source) \
	X(record_status) \
	X(base_level) \
	X(exam_result) \
	X(enrolment_status) \
	X(purpose) \
	X(unit_kind) \
	X(person_status) \
	X(base_status) \
	X(project_status) \
	X(achieve_status) \
	X(guide_status)
#define API_ENUM_PARSER_DECLARE(what) int api_parse_##what(void *out, const char *s);
API_ENUM_PARSERS(API_ENUM_PARSER_DECLARE)
#undef API_ENUM_PARSER_DECLARE

/* Query parameters an op reads: each one's text (NULL when absent) lands in
 * the ctx at offset once it has been checked; a bad one is 400 "Bad query"
 * with invalid (or the kind's message). */
typedef enum api_param_kind {
	API_PARAM_TEXT,     /* any text */
	API_PARAM_UUID,     /* an id */
	API_PARAM_YEAR,     /* API_YEAR_MIN..API_YEAR_MAX */
	API_PARAM_ENUM,     /* one of core's spellings (parse) */
	API_PARAM_DISTRICT, /* a six-digit division code */
	API_PARAM_INDUSTRY, /* an industry code */
} api_param_kind;

typedef struct api_param {
	const char *name;
	api_param_kind kind;
	int (*parse)(void *out, const char *s); /* API_PARAM_ENUM */
	const char *invalid;
	size_t offset; /* of a const char * in the ctx */
} api_param;

#define API_PARAM(T, m, n, k, msg) { (n), (k), NULL, (msg), offsetof(T, m) }
#define API_PARAM_ENUM_OF(T, m, n, what, msg) \
	{ (n), API_PARAM_ENUM, api_parse_##what, (msg), offsetof(T, m) }
#define API_PARAMS_END { NULL, 0, NULL, NULL, 0 }

enum {
	API_OP_TX = 1 << 0,        /* every batch of the request is one transaction (api_db_tx) */
	API_OP_IF_MATCH = 1 << 1,  /* If-Match is read into r->if_match (-1: absent or "*") */
	API_OP_ANY_QUERY = 1 << 2, /* query parameters are the handler's business */
	API_OP_BODY_OWN = 1 << 3,  /* the handler reads the body itself (CSV, arrays, nested) */
	API_OP_PAGED = 1 << 4,     /* a keyset list: ?limit and ?cursor read into r->page */
	/* the body or the answer holds a secret (a password, a new client
	 * secret): an Idempotency-Key is ignored, so neither the answer nor a
	 * hash of the body is stored for a replay */
	API_OP_NO_REPLAY = 1 << 5,
};

typedef struct api_op {
	void (*handler)(api_req *r);
	/* query parameters allowed besides params' (NULL-terminated), read by
	 * the handler; NULL: none */
	const char *const *query;
	/* query parameters checked and read into the ctx ({0}-terminated) */
	const api_param *params;
	/* when set, every path parameter must be a UUID, else 404 with this */
	const char *not_found;
	/* the body's fields ({0}-terminated); NULL: the route takes no fields
	 * (no body, an empty one or {}: anything in it is 422 unknown_field) */
	const api_field *fields;
	/* after the fields, with the same errors array: cross-field rules and
	 * what core validates; a 422 follows when errors is not empty */
	void (*check)(api_req *r, json_t *errors);
	size_t ctx_size; /* r->ctx: zeroed arena memory of this size */
	unsigned flags;  /* API_OP_* */
	/* for api_op_get / api_op_get_json: the statement reading the resource
	 * by the path parameters ($1, $2, …) */
	db_stmt_id stmt;
	/* a value the handler reads (r->route->op->arg): the action of one
	 * handler shared by several routes */
	int arg;
} api_op;

/* The op's arg (see api_op.arg). */
int api_op_arg(const api_req *r);

/* From a check hook: answer status (403, 404, …) with detail instead of
 * the 422 that field errors would give; the first refusal wins. */
void api_check_refuse(api_req *r, int status, const char *title, const char *detail);

/* Checks and fills what op declares (r->ctx, r->if_match, the transaction
 * flag); false after replying.  The pipeline calls it before every handler
 * (and again when a transaction is rerun after a serialization failure). */
bool api_op_prepare(api_req *r, const api_op *op);

/* Reads obj against a field table into ctx, as the pipeline does for a body
 * (unknown names refused, every error appended to errors): for objects the
 * pipeline does not read itself, e.g. each row of an import. */
void api_fields_read(json_t *obj, const api_field *fields, void *ctx, json_t *errors);

/* True when the body has the field (even null): PATCH's "only what is sent". */
bool api_body_has(const api_req *r, const char *name);

/* Ready-made handlers for ops that only read one resource with op->stmt:
 * answering (version, json) with an ETag, or (json) alone; no row is 404
 * with op->not_found. */
void api_op_get(api_req *r);
void api_op_get_json(api_req *r);
#endif
