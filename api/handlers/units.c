/*
 * Units: GET|POST /v1/units, GET|PATCH /v1/units/{id}.
 *
 * API.md "units: read / create / update": the city bureau every unit; a
 * district bureau the units of its district (creating one elsewhere is 403,
 * another district's unit is 404); a unit reads itself and updates only its
 * contact details (any other field is 403).  Only the city bureau moves a
 * unit to another district.  The credit code's GB 32100 check character is
 * core's decision; a bureau may register a legal early code failing it with
 * "checksum_override": true and an override_reason (audited).  The credit
 * code is the unit's identity and is not changed by PATCH.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/fields.h"
#include "render/json.h"
#include "http/paging.h"
#include "http/resource.h"
#include "handlers.h"

#define NOT_FOUND_DETAIL "no such unit in the caller's jurisdiction"

static const char *const contact_fields[] = { "contact_name", "contact_phone", "contact_email",
                                              "address", NULL };

static bool is_bureau(const api_req *r)
{
	return r->claims.role == API_ROLE_CITY || r->claims.role == API_ROLE_DISTRICT;
}

/* ---- list -------------------------------------------------------------- */

void h_units_list(api_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", "district", "industry", "q", NULL };
	api_page *pg = api_list_begin(r, allowed, api_cursor_is_time_id);
	if (!pg)
		return;
	const char *district = api_query(r, "district");
	const char *industry = api_query(r, "industry");
	const char *q = api_query(r, "q");
	if (district && !api_district_code_ok(district)) {
		api_reply_problem(r, 400, "Bad query", "district must be a 6-digit district code");
		return;
	}
	if (industry && !api_industry_code_ok(industry)) {
		api_reply_problem(r, 400, "Bad query", "industry must be an industry code");
		return;
	}
	if (q && (strlen(q) == 0 || strlen(q) > 200)) {
		api_reply_problem(r, 400, "Bad query", "q must be 1 to 200 bytes of the name");
		return;
	}
	const char *own_district = r->claims.role == API_ROLE_DISTRICT ? r->claims.jur : NULL;
	const char *own_unit = r->claims.role == API_ROLE_UNIT ? r->claims.jur : NULL;
	const char *v[] = { pg->after, district, industry, q, own_district, own_unit,
	                    pg->limit_plus_one };
	api_list_run(r, pg, DB_STMT_UNITS_LIST, v, 7);
}

/* ---- read -------------------------------------------------------------- */

void h_units_get(api_req *r)
{
	api_get_one(r, DB_STMT_UNITS_GET, NOT_FOUND_DETAIL);
}

/* ---- shared field readers ---------------------------------------------- */

/* A contact field: absent (false), null (true, *out NULL: clear it) or a
 * valid string (true). */
static bool contact_field(json_t *body, const char *name, const char **out, bool *present,
                          json_t *errors)
{
	json_t *v = json_object_get(body, name);
	*present = v != NULL;
	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	size_t max = strcmp(name, "address") == 0 ? 500 : strcmp(name, "contact_email") == 0 ? 254 : 200;
	if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max) {
		char msg[96];
		snprintf(msg, sizeof msg, "must be a string of 1 to %zu bytes, or null", max);
		api_error_add(errors, name, "invalid", msg);
		return false;
	}
	const char *s = json_string_value(v);
	if (strcmp(name, "contact_phone") == 0) {
		size_t n = strlen(s);
		bool ok = n >= 3 && n <= 32;
		for (size_t i = 0; ok && i < n; i++)
			ok = strchr("0123456789+-() ", s[i]) != NULL;
		if (!ok) {
			api_error_add(errors, name, "invalid", "3 to 32 of digits, spaces and + - ( )");
			return false;
		}
	} else if (strcmp(name, "contact_email") == 0) {
		const char *at = strchr(s, '@');
		bool ok = at && at != s && at[1] && !strchr(at + 1, '@') && strchr(at + 1, '.');
		for (const char *p = s; ok && *p; p++)
			ok = (unsigned char)*p > ' ';
		if (!ok) {
			api_error_add(errors, name, "invalid", "must be an e-mail address");
			return false;
		}
	}
	*out = s;
	return true;
}

static bool district_field(json_t *body, bool required, const char **out, json_t *errors)
{
	if (!api_field_string(body, "district", required, 6, out, errors))
		return false;
	if (!api_district_code_ok(*out)) {
		api_error_add(errors, "district", "invalid", "must be a 6-digit district code");
		*out = NULL;
		return false;
	}
	return true;
}

static bool industry_field(json_t *body, bool required, const char **out, json_t *errors)
{
	if (!api_field_string(body, "industry", required, 32, out, errors))
		return false;
	if (!api_industry_code_ok(*out)) {
		api_error_add(errors, "industry", "invalid", "must be an industry code");
		*out = NULL;
		return false;
	}
	return true;
}

static void refs_errors(const db_result *refs, json_t *errors)
{
	const char *d = db_result_value(refs, 0, 0), *i = db_result_value(refs, 0, 1);
	if (!d || strcmp(d, "t") != 0)
		api_error_add(errors, "district", "unknown", "no such district code");
	if (!i || strcmp(i, "t") != 0)
		api_error_add(errors, "industry", "unknown", "no such industry code");
}

/* ---- create ------------------------------------------------------------ */

enum { C_CODE, C_OVERRIDE, C_REASON, C_NAME, C_KIND, C_DISTRICT, C_INDUSTRY, C_CONTACT_NAME,
       C_CONTACT_PHONE, C_CONTACT_EMAIL, C_ADDRESS, C__COUNT };

typedef struct create_ctx {
	const char *v[C__COUNT];
	const char *refs[2];
	db_call calls[1];
} create_ctx;

static void inserted(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *a = db_result_value(res[0], 0, 1);
	if (!a) {
		api_reply_problem(r, 409, "Conflict", "a unit with this credit code is already registered");
		return;
	}
	api_reply_created(r, "/v1/units/", db_result_value(res[0], 0, 0), a);
}

static void create_checked(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	(void)n;
	json_t *errors = json_array();
	refs_errors(res[0], errors);
	if (api_errors_reply(r, errors))
		return;
	c->calls[0] = (db_call){ DB_STMT_UNITS_INSERT, c->v };
	api_db_run(r, c->calls, 1, inserted);
}

/* GB 32100 (core) and the override only a bureau may use. */
static void credit_code_field(api_req *r, create_ctx *c, json_t *errors)
{
	json_t *body = r->body;
	const char *code = NULL, *reason = NULL;
	bool override = false;
	bool have_code = api_field_string(body, "credit_code", true, 18, &code, errors);
	json_t *ov = json_object_get(body, "checksum_override");
	if (ov && !json_is_null(ov))
		api_field_bool(body, "checksum_override", false, &override, errors);
	json_t *rj = json_object_get(body, "override_reason");
	if (rj && !json_is_null(rj))
		api_field_string(body, "override_reason", false, 500, &reason, errors);
	if (!override && reason)
		api_error_add(errors, "override_reason", "not_allowed",
		              "only with checksum_override: true");
	if (override && (!rj || json_is_null(rj)))
		api_error_add(errors, "override_reason", "required",
		              "a checksum override needs the reason the code is legal");
	if (!have_code)
		return;
	int rc = core_ident_credit_code_check(code);
	if (rc == CORE_ECHECKSUM && !override) {
		api_error_add(errors, "credit_code", "checksum",
		              "the GB 32100 check character is wrong; a bureau may register a legal early "
		              "code with checksum_override: true and an override_reason");
	} else if (rc == 0 && override) {
		api_error_add(errors, "checksum_override", "not_needed",
		              "the code passes its check; no override is needed");
	} else if (rc != 0 && rc != CORE_ECHECKSUM) {
		api_error_add(errors, "credit_code", "invalid",
		              "must be 18 characters of 0-9 and A-Z without I, O, S, V, Z (GB 32100)");
	}
	c->v[C_CODE] = code;
	c->v[C_OVERRIDE] = override ? "true" : "false";
	c->v[C_REASON] = reason;
}

void h_units_create(api_req *r)
{
	static const char *const allowed[] = { "credit_code", "checksum_override", "override_reason",
	                                       "name", "kind", "district", "industry", "contact_name",
	                                       "contact_phone", "contact_email", "address", NULL };
	json_t *body = r->body;
	if (!api_body_object(r))
		return;
	create_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	if (!api_alloc_ok(r, c))
		return;
	memset(c, 0, sizeof *c);
	r->ctx = c;
	json_t *errors = json_array();
	const char *district = NULL;
	district_field(body, true, &district, errors);
	if (district && r->claims.role == API_ROLE_DISTRICT && strcmp(district, r->claims.jur) != 0) {
		json_decref(errors);
		api_reply_problem(r, 403, "Forbidden",
		                  "a district bureau registers units only in its own district");
		return;
	}
	api_json_unknown_fields(body, allowed, errors);
	credit_code_field(r, c, errors);
	api_field_string(body, "name", true, 200, &c->v[C_NAME], errors);
	core_unit_kind kind;
	if (API_FIELD_ENUM(body, "kind", true, unit_kind, &kind, "must be enterprise or institution",
	                   errors))
		c->v[C_KIND] = core_unit_kind_name(kind);
	industry_field(body, true, &c->v[C_INDUSTRY], errors);
	for (int i = 0; contact_fields[i]; i++) {
		bool present;
		contact_field(body, contact_fields[i], &c->v[C_CONTACT_NAME + i], &present, errors);
	}
	if (api_errors_reply(r, errors))
		return;
	c->v[C_DISTRICT] = district;
	c->refs[0] = district;
	c->refs[1] = c->v[C_INDUSTRY];
	c->calls[0] = (db_call){ DB_STMT_UNITS_REFS, c->refs };
	api_db_tx(r);
	api_db_run(r, c->calls, 1, create_checked);
}

/* ---- update ------------------------------------------------------------ */

enum { U_ID, U_NAME, U_KIND, U_DISTRICT, U_INDUSTRY, U_CONTACT_NAME, U_CONTACT_PHONE,
       U_CONTACT_EMAIL, U_ADDRESS, U_MASK, U_VERSION, U__COUNT };

typedef struct update_ctx {
	long expected;           /* If-Match version, -1 when absent */
	const char *v[U__COUNT];
	const char *lock[1];
	const char *refs[2];
	char mask[160];
	db_call calls[2];
} update_ctx;

static void updated(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *a = db_result_value(res[0], 0, 1);
	if (!a) {
		/* the row was locked and its version checked: should not happen */
		api_reply_problem(r, 412, "Precondition failed", "the unit has changed since it was read");
		return;
	}
	api_reply_doc(r, 200, db_result_value(res[0], 0, 0), a);
}

static void update_locked(api_req *r, db_result *const *res, int n)
{
	update_ctx *c = r->ctx;
	(void)n;
	const db_result *row = res[0];
	if (db_result_rows(row) == 0) {
		api_reply_not_found(r, NOT_FOUND_DETAIL);
		return;
	}
	const char *version = db_result_value(row, 0, 0);
	const char *cur_district = db_result_value(row, 0, 1);
	const char *doc = db_result_value(row, 0, 2);
	if (c->expected >= 0 && c->expected != atol(version)) {
		api_etag_set(r, version);
		api_reply_problem(r, 412, "Precondition failed",
		                  "the unit has changed since it was read (If-Match names another version)");
		return;
	}
	if (c->v[U_DISTRICT] && strcmp(c->v[U_DISTRICT], cur_district) != 0 &&
	    r->claims.role != API_ROLE_CITY) {
		api_reply_problem(r, 403, "Forbidden", "only the city bureau moves a unit to another district");
		return;
	}
	json_t *errors = json_array();
	refs_errors(res[1], errors);
	if (api_errors_reply(r, errors))
		return;
	if (c->mask[0] == '\0') {
		/* nothing to change: the unit as it is */
		api_reply_doc(r, 200, version, doc);
		return;
	}
	c->v[U_MASK] = c->mask;
	c->v[U_VERSION] = api_arena_strdup(r->mem, version);
	c->calls[0] = (db_call){ DB_STMT_UNITS_UPDATE, c->v };
	api_db_run(r, c->calls, 1, updated);
}

static void mask_add(update_ctx *c, const char *name)
{
	size_t len = strlen(c->mask);
	snprintf(c->mask + len, sizeof c->mask - len, "%s%s", len ? "," : "", name);
}

void h_units_update(api_req *r)
{
	static const char *const writable[] = { "name", "kind", "district", "industry", "contact_name",
	                                        "contact_phone", "contact_email", "address", NULL };
	static const char *const read_only[] = { "id", "credit_code", "checksum_override",
	                                         "override_reason", "version", "created_at",
	                                         "updated_at", NULL };
	static const char *const allowed[] = { NULL };
	if (!api_query_only(r, allowed))
		return;
	if (!api_path_uuid(r, 0, NOT_FOUND_DETAIL))
		return;
	json_t *body = r->body;
	if (!api_body_object(r))
		return;
	update_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	if (!api_alloc_ok(r, c))
		return;
	memset(c, 0, sizeof *c);
	r->ctx = c;
	if (!api_if_match(r, &c->expected))
		return;
	/* a unit changes its contact details only; nobody but a bureau touches
	 * the checksum override */
	if (!is_bureau(r)) {
		static const char *const bureau_only[] = { "name", "kind", "district", "industry", NULL };
		for (int i = 0; bureau_only[i]; i++)
			if (json_object_get(body, bureau_only[i])) {
				api_reply_problem(r, 403, "Forbidden",
				                  "a unit may change only its contact details (contact_name, "
				                  "contact_phone, contact_email, address)");
				return;
			}
		for (int i = 0; read_only[i]; i++)
			if (json_object_get(body, read_only[i])) {
				api_reply_problem(r, 403, "Forbidden",
				                  "a unit may change only its contact details (contact_name, "
				                  "contact_phone, contact_email, address)");
				return;
			}
	}
	json_t *errors = json_array();
	for (int i = 0; read_only[i]; i++)
		if (json_object_get(body, read_only[i]))
			api_error_add(errors, read_only[i], "read_only",
			              "cannot be changed; the credit code is the unit's identity");
	const char *known[16];
	int k = 0;
	for (int i = 0; writable[i]; i++)
		known[k++] = writable[i];
	for (int i = 0; read_only[i]; i++)
		known[k++] = read_only[i];
	known[k] = NULL;
	api_json_unknown_fields(body, known, errors);

	if (json_object_get(body, "name") && api_field_string(body, "name", true, 200, &c->v[U_NAME], errors))
		mask_add(c, "name");
	core_unit_kind kind;
	if (json_object_get(body, "kind") &&
	    API_FIELD_ENUM(body, "kind", true, unit_kind, &kind, "must be enterprise or institution", errors)) {
		c->v[U_KIND] = core_unit_kind_name(kind);
		mask_add(c, "kind");
	}
	if (json_object_get(body, "district") && district_field(body, true, &c->v[U_DISTRICT], errors))
		mask_add(c, "district");
	if (json_object_get(body, "industry") && industry_field(body, true, &c->v[U_INDUSTRY], errors))
		mask_add(c, "industry");
	for (int i = 0; contact_fields[i]; i++) {
		bool present;
		if (contact_field(body, contact_fields[i], &c->v[U_CONTACT_NAME + i], &present, errors) &&
		    present)
			mask_add(c, contact_fields[i]);
	}
	if (api_errors_reply(r, errors))
		return;
	c->v[U_ID] = r->path_params[0];
	c->lock[0] = r->path_params[0];
	c->refs[0] = c->v[U_DISTRICT];
	c->refs[1] = c->v[U_INDUSTRY];
	c->calls[0] = (db_call){ DB_STMT_UNITS_LOCK, c->lock };
	c->calls[1] = (db_call){ DB_STMT_UNITS_REFS, c->refs };
	api_db_tx(r);
	api_db_run(r, c->calls, 2, update_locked);
}

/* ---- operations of the route table (http/op.h) -------------------------- */

const api_op op_units_create = { .handler = h_units_create, .flags = API_OP_ANY_QUERY };
const api_op op_units_get = { .handler = h_units_get, .flags = API_OP_ANY_QUERY };
const api_op op_units_list = { .handler = h_units_list, .flags = API_OP_ANY_QUERY };
const api_op op_units_update = { .handler = h_units_update, .flags = API_OP_ANY_QUERY };
