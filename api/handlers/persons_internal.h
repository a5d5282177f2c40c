/*
 * What the files of the persons resource share (persons.c: list, read,
 * create, update; persons_import.c: the bulk import; persons_transfers.c:
 * transfers; persons_read.c: these): reading one person object of a request
 * body, the national id mask, the caller's view of a person, PostgreSQL
 * array parameters.
 */
#ifndef JXJY_HANDLERS_PERSONS_INTERNAL_H
#define JXJY_HANDLERS_PERSONS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "http/op.h"
#include "http/request.h"

/* Row limit of one import (API.md). */
#define PERSONS_IMPORT_MAX 10000
/* Bytes of a name or a speciality. */
#define PERSONS_TEXT_MAX 200
/* The 404 of a person the caller cannot see. */
#define PERSONS_NOT_FOUND "no such person in the caller's jurisdiction"

/* One person as a request gives it; every member NULL when absent.  Values
 * point into the arena (they live as long as the request). */
typedef struct persons_in {
	/* read by the field table (persons_create_fields, persons_patch_fields) */
	json_t *national_id_j;
	const char *name;
	const char *unit;
	const char *industry;
	core_level level;
	const char *speciality;
	int year;
	core_person_status st;
	core_date since_d;            /* create: the first day */
	core_date effective_d;        /* PATCH: when the change takes effect */
	/* decided by persons_check */
	const char *national_id;      /* normalised by core: upper-case X */
	const char *title_level;
	bool speciality_set;          /* present, possibly null (PATCH clears it) */
	const char *cycle_start_year; /* decimal */
	const char *status;
	const char *since;            /* YYYY-MM-DD or NULL (create: the default) */
	const char *effective_date;   /* YYYY-MM-DD (PATCH: default today) */
} persons_in;

typedef enum persons_mode {
	PERSONS_CREATE, /* national_id, name, title_level required; unit required unless the
	                   caller is a unit (then its own); defaults for cycle_start_year
	                   (this year, R-8) and status (in_service) */
	PERSONS_PATCH,  /* everything optional; null refused where a value is required */
} persons_mode;

/* The fields of one person, into a persons_in (offsets from its start). */
extern const api_field persons_create_fields[];
extern const api_field persons_patch_fields[];

/* After the field table, with the same errors: the national id (core), the
 * nulls a PATCH refuses, the unit of a unit caller, the industry code, the
 * defaults; copies what it keeps into the arena. */
void persons_check(api_req *r, json_t *obj, persons_mode mode, persons_in *in, json_t *errors);

/* The table and persons_check for obj (PATCH's body, an import's row), the
 * errors' field names prefixed by prefix ("" or "rows[17]."). */
void persons_read(api_req *r, json_t *obj, persons_mode mode, const char *prefix,
                  persons_in *out, json_t *errors);

/* The base role's view: the basic fields (NULL-terminated). */
extern const char *const persons_basic_fields[];

/* The masked national id (core: first 6 and last 4 kept), in the arena;
 * NULL when the stored value is not 18 characters. */
const char *persons_mask(api_req *r, const char *national_id);

/* p's "national_id" masked (null when it cannot be). */
void persons_mask_json(api_req *r, json_t *p);

/* The caller's view of a person from the database's JSON text: the
 * national id masked unless reveal, and for the base role only the basic
 * fields (id, national_id masked, name, unit, title_level, status).  A new
 * reference, or NULL when json is not an object. */
json_t *persons_view(api_req *r, const char *json, bool reveal);

/* True when the caller is a unit and unit (a UUID) is not its own. */
bool persons_other_unit(const api_req *r, const char *unit);

/* A PostgreSQL array literal of n values (NULL elements allowed), every
 * element quoted, in the arena. */
char *persons_pg_array(api_req *r, const char *const *values, size_t n);

/* Existence probes (persons_conflicts.c, sql/0017).  At most this many row
 * numbers and masked ids in an import's "conflict" audit row. */
#define PERSONS_CONFLICT_LISTED 100

/* The statement telling whether the caller is over JXJY_CONFLICTS_PER_DAY
 * refusals in 24 h: a check of the create's and the import's round trip. */
db_call persons_conflicts_call(api_req *r);

/* True after replying 429 (Retry-After: when the excess refusal leaves the
 * window) when res, that statement's result, names a wait. */
bool persons_conflicts_refuse(api_req *r, const db_result *res);

/* Records, once the refusal the handler is about to answer has been rolled
 * back, its "conflict" audit row: person (PATCH) or NULL, after (stolen: masked
 * ids only), units a uuid[] literal of the units registered into. */
void persons_conflict_trace(api_req *r, const char *person, json_t *after, const char *units);

/* The same for one person: {"operation", "national_id": masked}. */
void persons_conflict_trace_one(api_req *r, const char *operation, const char *person,
                                const char *national_id, const char *unit);

/* The uuid-typed empty array, for a check that has nothing to look up. */
#define PERSONS_EMPTY_ARRAY "{}"
#endif
