/*
 * Persons: GET /v1/persons (JSON or CSV), GET /v1/persons/{id},
 * POST /v1/persons, PATCH /v1/persons/{id}.  The import and transfers are in
 * persons_import.c and persons_transfers.c.
 *
 * Who (API.md, rows "persons: read" and "persons: create / update /
 * import"): the city bureau everybody; a district bureau the persons whose
 * current unit is in its district; an industry authority reads the persons
 * of its industry; a unit its own staff (and registers persons only into
 * itself); a base reads the basic fields of the persons enrolled in its
 * projects; a person reads themself.  Row-level security backs every one of
 * these; the handlers add the same filter so that an index serves lists.
 *
 * national_id (SECURITY.md, PIPL): checked by core, unique in the city,
 * masked by core in every answer; ?reveal=national_id shows it in full to a
 * caller with read rights (not a base: it reads basic fields only) and
 * writes a "reveal" audit row in the same statement.  It never reaches a log
 * or an audit row in full.  Reading a person (the field table), the mask and
 * the caller's view are in persons_read.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/csv_out.h"
#include "http/fields.h"
#include "render/json.h"
#include "http/log.h"
#include "http/paging.h"
#include "http/resource.h"
#include "domain/rules.h"
#include "handlers.h"
#include "persons_internal.h"


/* ---- GET /v1/persons (JSON or CSV) ------------------------------------- */

enum { L_AFTER, L_UNIT, L_DISTRICT, L_INDUSTRY, L_LEVEL, L_STATUS, L_Q, L_LIMIT, L_BASE, L_PERSON,
       L__COUNT };

typedef struct list_ctx {
	api_page pg;
	bool csv;
	bool reveal;
	const char *v[L__COUNT]; /* the list statement's values; the filters from list_params */
	db_call call;
} list_ctx;

static const char *const csv_columns[] = { "id", "national_id", "name", "unit", "district",
                                           "industry", "title_level", "speciality",
                                           "cycle_start_year", "status", "created_at", NULL };

/* p as compact text in the arena; p is released */
static const char *arena_dumps(api_req *r, json_t *p)
{
	const char *out = api_json_dump_arena(r->mem, p, JSON_COMPACT);
	json_decref(p);
	return out;
}

/* a row of the JSON page: the caller's view of the person */
static const char *list_row(api_req *r, const char *json, void *arg)
{
	const list_ctx *c = arg;
	json_t *p = persons_view(r, json, c->reveal);
	return p ? arena_dumps(r, p) : NULL;
}

static void reply_csv(api_req *r, list_ctx *c, const db_result *res)
{
	int rows;
	char *next = api_page_next(r, &c->pg, res, PERSONS_LIST_COL_KEY, &rows);
	const char *const *cols = r->claims.role == API_ROLE_BASE ? persons_basic_fields : csv_columns;
	api_lang lang = api_req_lang(r);
	api_csv csv;
	api_csv_init(&csv);
	api_csv_header(&csv, cols, lang);
	for (int i = 0; i < rows; i++) {
		json_t *p = persons_view(r, db_result_value(res, i, PERSONS_LIST_COL_PERSON), c->reveal);
		if (!p) {
			api_csv_dispose(&csv);
			api_reply_problem(r, 500, "Internal error", "a person could not be rendered");
			return;
		}
		for (const char *const *col = cols; *col; col++)
			api_csv_value(&csv, *col, json_object_get(p, *col), lang);
		api_csv_end_row(&csv);
		json_decref(p);
	}
	api_page_link(r, &c->pg, next);
	api_csv_reply(r, &csv, lang == API_LANG_ZH ? "专业技术人员.csv" : "persons.csv");
}

static void list_done(api_req *r, db_result *const *res, int n)
{
	list_ctx *c = r->ctx;
	if (c->csv)
		reply_csv(r, c, res[0]);
	else
		api_page_reply_rows(r, &c->pg, res[0], PERSONS_LIST_COL_KEY, PERSONS_LIST_COL_PERSON, list_row,
		                    c); /* PERSONS_LIST_REVEAL: the same columns */
}

/* ?reveal: absent, or exactly "national_id" by a caller with full read
 * rights; false after replying (a value and a right: no param kind). */
static bool reveal_read(api_req *r, bool *out)
{
	const char *rv = api_query(r, "reveal");
	*out = false;
	if (!rv)
		return true;
	if (strcmp(rv, "national_id") != 0) {
		api_reply_problem(r, 400, "Bad query", "reveal takes only the value national_id");
		return false;
	}
	if (r->claims.role == API_ROLE_BASE) {
		api_reply_problem(r, 403, "Forbidden",
		                  "a base reads the basic fields of its trainees only: no national id");
		return false;
	}
	*out = true;
	return true;
}

/* API.md, second wave: ?reveal=national_id covers at most this many persons
 * a request (more: 422, field limit) — so that a list is no bulk export of
 * identities, and its audit rows stay few. */
#define REVEAL_MAX 50

static void persons_list(api_req *r)
{
	list_ctx *c = r->ctx;
	c->csv = api_wants_csv(r);
	if (!reveal_read(r, &c->reveal))
		return;
	/* not API_OP_PAGED: a CSV page may hold a whole import's worth of persons */
	int max = c->csv ? PERSONS_IMPORT_MAX : 500;
	if (!api_page_read_with(r, &c->pg, max, c->reveal ? REVEAL_MAX : c->csv ? max : 50,
	                        api_cursor_is_time_id))
		return;
	if (c->reveal && c->pg.limit > REVEAL_MAX) {
		api_reply_field_error(r, "limit", "out_of_range",
		                      "reveal=national_id covers at most 50 persons a request");
		return;
	}
	/* industry: any lower-case code (api_role_jur_valid), looser than API_PARAM_INDUSTRY;
	 * q: a length */
	const char *industry = c->v[L_INDUSTRY], *q = c->v[L_Q], *bad = NULL;
	if (industry && !api_role_jur_valid(API_ROLE_INDUSTRY, industry))
		bad = "industry must be an industry code";
	else if (q && (!*q || strlen(q) > 100))
		bad = "q must be 1 to 100 bytes of a name";
	if (bad) {
		api_reply_problem(r, 400, "Bad query", bad);
		return;
	}
	/* the caller's jurisdiction as a filter as well (RLS stays the guarantee) */
	const char *jur = r->claims.jur;
	switch (r->claims.role) {
	case API_ROLE_DISTRICT: if (!c->v[L_DISTRICT]) c->v[L_DISTRICT] = jur; break;
	case API_ROLE_INDUSTRY: if (!c->v[L_INDUSTRY]) c->v[L_INDUSTRY] = jur; break;
	case API_ROLE_UNIT: if (!c->v[L_UNIT]) c->v[L_UNIT] = jur; break;
	case API_ROLE_BASE: c->v[L_BASE] = jur; break;
	case API_ROLE_PERSON: c->v[L_PERSON] = jur; break;
	default: break;
	}
	c->v[L_AFTER] = c->pg.after;
	c->v[L_LIMIT] = c->pg.limit_plus_one;
	c->call = (db_call){ c->reveal ? DB_STMT_PERSONS_LIST_REVEAL : DB_STMT_PERSONS_LIST, c->v };
	api_db_run(r, &c->call, 1, list_done);
}

static const api_param list_params[] = {
	API_PARAM(list_ctx, v[L_UNIT], "unit", API_PARAM_UUID, "unit must be a unit id (UUID)"),
	API_PARAM(list_ctx, v[L_DISTRICT], "district", API_PARAM_DISTRICT,
	          "district must be a 6-digit district code"),
	API_PARAM(list_ctx, v[L_INDUSTRY], "industry", API_PARAM_TEXT, NULL),
	API_PARAM_ENUM_OF(list_ctx, v[L_LEVEL], "title_level", level, "title_level is not a title level"),
	API_PARAM_ENUM_OF(list_ctx, v[L_STATUS], "status", person_status,
	                  "status must be in_service or left"),
	API_PARAM(list_ctx, v[L_Q], "q", API_PARAM_TEXT, NULL),
	API_PARAMS_END,
};
static const char *const list_query[] = { "limit", "cursor", "reveal", NULL };
const api_op op_persons_list = { .handler = persons_list, .query = list_query,
                                 .params = list_params, .ctx_size = sizeof(list_ctx) };

/* ---- GET /v1/persons/{id} --------------------------------------------- */

typedef struct get_ctx {
	bool reveal;
	db_call call;
} get_ctx;

static void reply_person(api_req *r, int status, const char *json, const char *version, bool reveal)
{
	json_t *p = persons_view(r, json, reveal);
	if (!p) {
		api_reply_problem(r, 500, "Internal error", "the person could not be rendered");
		return;
	}
	if (version)
		api_etag_set(r, version);
	api_reply_json(r, status, p);
}

static void get_done(api_req *r, db_result *const *res, int n)
{
	get_ctx *c = r->ctx;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, PERSONS_NOT_FOUND);
		return;
	}
	/* PERSONS_GET_REVEAL answers the same columns */
	reply_person(r, 200, db_result_value(res[0], 0, PERSONS_GET_COL_PERSON),
	             db_result_value(res[0], 0, PERSONS_GET_COL_VERSION), c->reveal);
}

static void persons_get(api_req *r)
{
	get_ctx *c = r->ctx;
	if (!reveal_read(r, &c->reveal))
		return;
	/* with reveal the read and its audit row are one statement, one transaction */
	c->call = (db_call){ c->reveal ? DB_STMT_PERSONS_GET_REVEAL : DB_STMT_PERSONS_GET,
	                     r->path_params };
	api_db_run(r, &c->call, 1, get_done);
}

static const char *const get_query[] = { "reveal", NULL };
const api_op op_persons_get = { .handler = persons_get, .query = get_query,
                                .not_found = PERSONS_NOT_FOUND, .ctx_size = sizeof(get_ctx) };

/* ---- GET /v1/persons/{id}/history (R-28) -------------------------------- */

static void history_done(api_req *r, db_result *const *res, int n)
{
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, PERSONS_NOT_FOUND);
		return;
	}
	api_reply_raw(r, 200, "application/json",
	              db_result_value(res[0], 0, PERSONS_HISTORY_COL_HISTORY),
	              strlen(db_result_value(res[0], 0, PERSONS_HISTORY_COL_HISTORY)));
}

static void persons_history(api_req *r)
{
	db_call *call = api_arena_alloc(r->mem, sizeof *call);
	*call = (db_call){ DB_STMT_PERSONS_HISTORY, r->path_params };
	api_db_run(r, call, 1, history_done);
}

/* whoever may read the person may read their history (row-level security) */
const api_op op_persons_history = { .handler = persons_history, .not_found = PERSONS_NOT_FOUND };

/* ---- POST /v1/persons -------------------------------------------------- */

typedef struct create_ctx {
	persons_in in; /* first: persons_create_fields' offsets */
	const char *arr[3];
	const char *v[10];
	db_call calls[4];
} create_ctx;

static void reply_taken(api_req *r)
{
	api_reply_problem(r, 409, "Conflict",
	                  "a person with this national_id is already registered in the city: "
	                  "move them with POST /v1/persons/{id}/transfers");
}

static void create_done(api_req *r, db_result *const *res, int n)
{
	if (db_result_rows(res[0]) == 0) {
		/* row-level security hid the new row from its creator */
		api_reply_problem(r, 403, "Forbidden", "this person is outside the caller's jurisdiction");
		return;
	}
	json_t *p = json_loads(db_result_value(res[0], 0, PERSONS_CREATE_COL_PERSON), 0, NULL);
	const char *id = json_string_value(json_object_get(p, "id"));
	if (id)
		api_reply_header(r, "Location", api_arena_printf(r->mem, "/v1/persons/%s", id));
	json_decref(p);
	reply_person(r, 201, db_result_value(res[0], 0, PERSONS_CREATE_COL_PERSON),
	             db_result_value(res[0], 0, PERSONS_CREATE_COL_VERSION), false);
}

static void create_checked(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	if (persons_conflicts_refuse(r, res[3]))
		return;
	if (db_result_rows(res[1]) == 0) {
		/* as for accounts: a unit outside the jurisdiction is not found */
		api_reply_not_found(r, "no such unit in the caller's jurisdiction");
		return;
	}
	json_t *errors = json_array();
	if (c->in.industry && db_result_rows(res[2]) == 0)
		api_error_add(errors, "industry", "unknown", "no such industry code");
	if (api_errors_reply(r, errors))
		return;
	if (db_result_rows(res[0]) > 0) {
		persons_conflict_trace_one(r, "create", NULL, c->in.national_id, c->in.unit);
		reply_taken(r);
		return;
	}
	const persons_in *in = &c->in;
	const char *v[10] = { in->national_id, in->name, in->unit, in->industry, in->title_level,
	                      in->speciality, in->cycle_start_year, in->status,
	                      persons_mask(r, in->national_id), in->since };
	memcpy(c->v, v, sizeof v);
	c->calls[0] = (db_call){ DB_STMT_PERSONS_CREATE, c->v };
	api_db_run(r, c->calls, 1, create_done);
}

static void create_check(api_req *r, json_t *errors)
{
	create_ctx *c = r->ctx;
	persons_check(r, r->body, PERSONS_CREATE, &c->in, errors);
}

static void persons_create(api_req *r)
{
	create_ctx *c = r->ctx;
	if (persons_other_unit(r, c->in.unit)) {
		api_reply_problem(r, 403, "Forbidden", "a unit registers persons only into itself");
		return;
	}
	c->arr[0] = persons_pg_array(r, &c->in.national_id, 1);
	c->arr[1] = persons_pg_array(r, &c->in.unit, 1);
	c->arr[2] = c->in.industry ? persons_pg_array(r, &c->in.industry, 1) : PERSONS_EMPTY_ARRAY;
	c->calls[0] = (db_call){ DB_STMT_PERSONS_IDS_TAKEN, &c->arr[0] };
	c->calls[1] = (db_call){ DB_STMT_PERSONS_UNITS_SEEN, &c->arr[1] };
	c->calls[2] = (db_call){ DB_STMT_PERSONS_INDUSTRIES_KNOWN, &c->arr[2] };
	c->calls[3] = persons_conflicts_call(r);
	api_db_run(r, c->calls, 4, create_checked);
}

/* The body is one person (the import reads its rows with the same table);
 * read → decide → write, one transaction. */
const api_op op_persons_create = { .handler = persons_create, .fields = persons_create_fields,
                                   .check = create_check, .ctx_size = sizeof(create_ctx),
                                   .flags = API_OP_TX };

/* ---- PATCH /v1/persons/{id} -------------------------------------------- */

/* A change of title_level, industry or status is history: recorded
 * with its effective date through jxjy.person_change, which also moves the
 * person's current columns; the other fields are updated in place.  The
 * years the change may re-decide (from its year on, R-29) are decided again
 * one by one in the same transaction, then the audit row is written last. */
typedef struct patch_ctx {
	persons_in in;
	bool dated;                  /* title_level, industry or status given */
	const char *arr[2];
	const char *change_v[5];
	const char *v[6];
	const char *audit_v[4];
	char from_year[16];
	const char *years_v[2];
	int *years;                  /* stored years to re-decide, in the arena */
	int n_years, next_year;
	char *json, *version;        /* the updated person */
	db_call calls[3];
} patch_ctx;

static void patch_audited(api_req *r, db_result *const *res, int n)
{
	patch_ctx *c = r->ctx;
	reply_person(r, 200, c->json, c->version, false);
}

static void patch_audit(api_req *r)
{
	patch_ctx *c = r->ctx;
	c->calls[0] = (db_call){ DB_STMT_PERSONS_AUDIT_UPDATE, c->audit_v };
	api_db_run(r, c->calls, 1, patch_audited);
}

/* the next stored year the change may re-decide, or the audit. */
static void patch_redecide(api_req *r, const core_year_verdict *v)
{
	patch_ctx *c = r->ctx;
	if (!v && c->next_year > 0) {
		api_reply_problem(r, 500, "Internal error",
		                  "a year's compliance could not be decided again");
		return;
	}
	if (c->next_year >= c->n_years) {
		patch_audit(r);
		return;
	}
	api_summary_refresh(r, r->path_params[0], c->years[c->next_year++], patch_redecide);
}

static void patch_years(api_req *r, db_result *const *res, int n)
{
	patch_ctx *c = r->ctx;
	c->n_years = db_result_rows(res[0]);
	c->years = api_arena_alloc(r->mem, (size_t)(c->n_years + 1) * sizeof *c->years);
	for (int i = 0; i < c->n_years; i++) {
		long y;
		if (db_result_int(res[0], i, PERSONS_SUMMARY_YEARS_COL_YEAR, &y) != 0) {
			api_reply_problem(r, 500, "Internal error", "the person's years could not be read");
			return;
		}
		c->years[i] = (int)y;
	}
	c->next_year = 0;
	patch_redecide(r, NULL);
}

static void patch_updated(api_req *r, db_result *const *res, int n)
{
	patch_ctx *c = r->ctx;
	int first = -1; /* the first year the dated change may re-decide */
	if (c->dated) {
		long y;
		if (!db_result_is_null(res[0], 0, PERSONS_CHANGE_COL_FIRST_YEAR) &&
		    db_result_int(res[0], 0, PERSONS_CHANGE_COL_FIRST_YEAR, &y) == 0)
			first = (int)y;
		res++;
	}
	if (db_result_rows(res[0]) == 0) {
		api_reply_problem(r, 409, "Conflict", "the person changed meanwhile; read it again");
		return;
	}
	c->json = api_arena_strdup(r->mem, db_result_value(res[0], 0, PERSONS_UPDATE_COL_PERSON));
	c->version = api_arena_strdup(r->mem, db_result_value(res[0], 0, PERSONS_UPDATE_COL_VERSION));
	if (first < 0) {
		c->audit_v[3] = NULL; /* nothing dated changed */
		patch_audit(r);
		return;
	}
	snprintf(c->from_year, sizeof c->from_year, "%d", first);
	c->years_v[0] = r->path_params[0];
	c->years_v[1] = c->from_year;
	c->calls[0] = (db_call){ DB_STMT_PERSONS_SUMMARY_YEARS, c->years_v };
	api_db_run(r, c->calls, 1, patch_years);
}

/* The stored person with the national id masked, as the audit's "before". */
static const char *masked_json(api_req *r, json_t *p)
{
	json_t *copy = json_deep_copy(p);
	persons_mask_json(r, copy);
	return arena_dumps(r, copy);
}

static bool differs(json_t *p, const char *field, const char *value)
{
	const char *old = json_string_value(json_object_get(p, field));
	return value && (!old || strcmp(old, value) != 0);
}

static void patch_locked(api_req *r, db_result *const *res, int n)
{
	patch_ctx *c = r->ctx;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, PERSONS_NOT_FOUND);
		return;
	}
	const char *version_s, *unit;
	long version;
	if (db_result_str(res[0], 0, PERSONS_LOCK_COL_VERSION, &version_s) != 0 ||
	    db_result_int(res[0], 0, PERSONS_LOCK_COL_VERSION, &version) != 0 ||
	    db_result_str(res[0], 0, PERSONS_LOCK_COL_UNIT, &unit) != 0) {
		api_reply_problem(r, 500, "Internal error", "the person could not be read");
		return;
	}
	if (r->if_match >= 0 && r->if_match != version) {
		api_reply_problem(r, 412, "Precondition failed",
		                  "If-Match names another version of this person: read it again");
		return;
	}
	json_t *old = json_loads(db_result_value(res[0], 0, PERSONS_LOCK_COL_PERSON), 0, NULL);
	if (!old) {
		api_reply_problem(r, 500, "Internal error", "the person could not be read");
		return;
	}
	persons_in *in = &c->in;
	json_t *errors = json_array();
	if (in->unit && strcasecmp(in->unit, unit) != 0)
		api_error_add(errors, "unit", "invalid",
		              "a person changes unit by a transfer: POST /v1/persons/{id}/transfers (R-1)");
	if (in->industry && db_result_rows(res[2]) == 0)
		api_error_add(errors, "industry", "unknown", "no such industry code");
	if (api_errors_reply(r, errors)) {
		json_decref(old);
		return;
	}
	if (in->national_id && !differs(old, "national_id", in->national_id))
		in->national_id = NULL; /* unchanged: its own registration is no conflict */
	if (in->national_id && db_result_rows(res[1]) > 0) {
		json_decref(old);
		/* audited and counted, never refused for the count (persons_conflicts.c) */
		persons_conflict_trace_one(r, "update", r->path_params[0], in->national_id, unit);
		reply_taken(r);
		return;
	}
	c->audit_v[0] = r->path_params[0];
	c->audit_v[1] = masked_json(r, old);
	c->audit_v[2] = persons_mask(r, in->national_id ? in->national_id
	                                                : json_string_value(json_object_get(old, "national_id")));
	c->audit_v[3] = in->effective_date;
	json_decref(old);
	int k = 0;
	c->dated = in->title_level || in->industry || in->status;
	if (c->dated) {
		const char *cv[5] = { r->path_params[0], in->effective_date, in->title_level,
		                      in->industry, in->status };
		memcpy(c->change_v, cv, sizeof cv);
		c->calls[k++] = (db_call){ DB_STMT_PERSONS_CHANGE, c->change_v };
	}
	const char *v[6] = { r->path_params[0], in->national_id, in->name,
	                     in->speciality_set ? "true" : "false", in->speciality,
	                     in->cycle_start_year };
	memcpy(c->v, v, sizeof v);
	c->calls[k++] = (db_call){ DB_STMT_PERSONS_UPDATE, c->v };
	api_db_run(r, c->calls, k, patch_updated);
}

static void persons_patch(api_req *r)
{
	patch_ctx *c = r->ctx;
	if (!json_is_object(r->body) || json_object_size(r->body) == 0) {
		api_reply_problem(r, 422, "Validation failed",
		                  "the body must be a JSON object naming the fields to change");
		return;
	}
	json_t *errors = json_array();
	persons_read(r, r->body, PERSONS_PATCH, "", &c->in, errors);
	if (api_errors_reply(r, errors))
		return;
	c->arr[0] = c->in.national_id ? persons_pg_array(r, &c->in.national_id, 1) : PERSONS_EMPTY_ARRAY;
	c->arr[1] = c->in.industry ? persons_pg_array(r, &c->in.industry, 1) : PERSONS_EMPTY_ARRAY;
	c->calls[0] = (db_call){ DB_STMT_PERSONS_LOCK, r->path_params };
	c->calls[1] = (db_call){ DB_STMT_PERSONS_IDS_TAKEN, &c->arr[0] };
	c->calls[2] = (db_call){ DB_STMT_PERSONS_INDUSTRIES_KNOWN, &c->arr[1] };
	api_db_run(r, c->calls, 3, patch_locked);
}

/* Only what is sent changes: persons_read (PERSONS_PATCH) reads the body
 * (the handler's: a body that is no object or names nothing has its own 422).
 * The lock → 404 → 412 → update flow stays here: a person has no status for
 * core to decide a transition on (http/transition.h), and its 412 says
 * "read it again". */
const api_op op_persons_patch = { .handler = persons_patch, .not_found = PERSONS_NOT_FOUND,
                                  .ctx_size = sizeof(patch_ctx),
                                  .flags = API_OP_BODY_OWN | API_OP_IF_MATCH | API_OP_TX };
