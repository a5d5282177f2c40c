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

enum { CONTACT_NAME, CONTACT_PHONE, CONTACT_EMAIL, CONTACT_ADDRESS, CONTACT__COUNT };

static const char *const contact_fields[CONTACT__COUNT] = { "contact_name", "contact_phone",
                                                            "contact_email", "address" };

static bool is_bureau(const api_req *r)
{
	return r->claims.role == API_ROLE_CITY || r->claims.role == API_ROLE_DISTRICT;
}

/* ---- list -------------------------------------------------------------- */

typedef struct list_ctx {
	const char *district, *industry, *q;
} list_ctx;

static void units_list(api_req *r)
{
	list_ctx *c = r->ctx;
	api_page *pg = r->page;
	/* q: a length, no param kind */
	if (c->q && (strlen(c->q) == 0 || strlen(c->q) > 200)) {
		api_reply_problem(r, 400, "Bad query", "q must be 1 to 200 bytes of the name");
		return;
	}
	const char *own_district = r->claims.role == API_ROLE_DISTRICT ? r->claims.jur : NULL;
	const char *own_unit = r->claims.role == API_ROLE_UNIT ? r->claims.jur : NULL;
	const char *v[] = { pg->after, c->district, c->industry, c->q, own_district, own_unit,
	                    pg->limit_plus_one };
	api_list_run(r, pg, DB_STMT_UNITS_LIST, v, 7);
}

static const api_param list_params[] = {
	API_PARAM(list_ctx, district, "district", API_PARAM_DISTRICT,
	          "district must be a 6-digit district code"),
	API_PARAM(list_ctx, industry, "industry", API_PARAM_INDUSTRY, NULL),
	API_PARAM(list_ctx, q, "q", API_PARAM_TEXT, NULL),
	API_PARAMS_END,
};
const api_op op_units_list = { .handler = units_list, .params = list_params,
                               .ctx_size = sizeof(list_ctx), .flags = API_OP_PAGED };

/* ---- read -------------------------------------------------------------- */

const api_op op_units_get = { .handler = api_op_get, .stmt = DB_STMT_UNITS_GET,
                              .not_found = NOT_FOUND_DETAIL };

/* ---- what create and update check alike -------------------------------- */

/* A contact field as sent (v, present: null clears it): false when it is
 * not a valid value (an error is added). */
static bool contact_ok(const char *name, json_t *v, json_t *errors)
{
	if (!v)
		return true;
	size_t max = strcmp(name, "address") == 0 ? 500 : strcmp(name, "contact_email") == 0 ? 254 : 200;
	if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max) {
		api_error_add(errors, name, "invalid",
		              max == 500   ? "must be a string of 1 to 500 bytes, or null"
		              : max == 254 ? "must be a string of 1 to 254 bytes, or null"
		                           : "must be a string of 1 to 200 bytes, or null");
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
	return true;
}

/* The codes the field table read as strings: NULL again when malformed. */
static void codes_check(const char **district, const char **industry, json_t *errors)
{
	if (*district && !api_district_code_ok(*district)) {
		api_error_add(errors, "district", "invalid", "must be a 6-digit district code");
		*district = NULL;
	}
	if (*industry && !api_industry_code_ok(*industry)) {
		api_error_add(errors, "industry", "invalid", "must be an industry code");
		*industry = NULL;
	}
}

/* The codes UNITS_REFS did not find, as field errors; DB_EVALUE when its
 * answer is unreadable. */
static int refs_errors(const db_result *refs, json_t *errors)
{
	bool district, industry;
	if (db_result_bool(refs, 0, UNITS_REFS_COL_DISTRICT_EXISTS, &district) != 0 ||
	    db_result_bool(refs, 0, UNITS_REFS_COL_INDUSTRY_EXISTS, &industry) != 0)
		return DB_EVALUE;
	if (!district)
		api_error_add(errors, "district", "unknown", "no such district code");
	if (!industry)
		api_error_add(errors, "industry", "unknown", "no such industry code");
	return 0;
}

static bool refs_reply(api_req *r, const db_result *refs)
{
	json_t *errors = json_array();
	if (refs_errors(refs, errors) != 0) {
		json_decref(errors);
		api_reply_problem(r, 500, "Internal error", "the unit's codes could not be checked");
		return true;
	}
	return api_errors_reply(r, errors);
}

/* ---- create ------------------------------------------------------------ */

enum { C_CODE, C_OVERRIDE, C_REASON, C_NAME, C_KIND, C_DISTRICT, C_INDUSTRY, C_CONTACT_NAME,
       C_CONTACT_PHONE, C_CONTACT_EMAIL, C_ADDRESS, C__COUNT };

typedef struct create_ctx {
	/* the body (create_fields) */
	const char *credit_code, *override_reason, *name, *district, *industry;
	bool checksum_override;
	core_unit_kind kind;
	json_t *contact[CONTACT__COUNT];
	const char *v[C__COUNT];
	const char *refs[2];
	db_call calls[1];
} create_ctx;

static void inserted(api_req *r, db_result *const *res, int n)
{
	const char *a = db_result_value(res[0], 0, UNITS_INSERT_COL_UNIT);
	if (!a) {
		api_reply_problem(r, 409, "Conflict", "a unit with this credit code is already registered");
		return;
	}
	api_reply_created(r, "/v1/units/", db_result_value(res[0], 0, UNITS_INSERT_COL_VERSION), a);
}

static void create_checked(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	if (refs_reply(r, res[0]))
		return;
	c->calls[0] = (db_call){ DB_STMT_UNITS_INSERT, c->v };
	api_db_run(r, c->calls, 1, inserted);
}

/* GB 32100 (core), the override only a bureau may use, the codes and the
 * contact details. */
static void create_check(api_req *r, json_t *errors)
{
	create_ctx *c = r->ctx;
	codes_check(&c->district, &c->industry, errors);
	/* another district's unit is 403 before any field error */
	if (c->district && r->claims.role == API_ROLE_DISTRICT && strcmp(c->district, r->claims.jur) != 0) {
		api_check_refuse(r, 403, "Forbidden",
		                 "a district bureau registers units only in its own district");
		return;
	}
	if (!c->checksum_override && c->override_reason)
		api_error_add(errors, "override_reason", "not_allowed",
		              "only with checksum_override: true");
	if (c->checksum_override && !c->override_reason && !api_errors_have(errors, "override_reason"))
		api_error_add(errors, "override_reason", "required",
		              "a checksum override needs the reason the code is legal");
	if (c->credit_code) {
		int rc = core_ident_credit_code_check(c->credit_code);
		if (rc == CORE_ECHECKSUM && !c->checksum_override) {
			api_error_add(errors, "credit_code", "checksum",
			              "the GB 32100 check character is wrong; a bureau may register a legal "
			              "early code with checksum_override: true and an override_reason");
		} else if (rc == 0 && c->checksum_override) {
			api_error_add(errors, "checksum_override", "not_needed",
			              "the code passes its check; no override is needed");
		} else if (rc != 0 && rc != CORE_ECHECKSUM) {
			api_error_add(errors, "credit_code", "invalid",
			              "must be 18 characters of 0-9 and A-Z without I, O, S, V, Z (GB 32100)");
		}
	}
	for (int i = 0; i < CONTACT__COUNT; i++)
		if (contact_ok(contact_fields[i], c->contact[i], errors) && c->contact[i])
			c->v[C_CONTACT_NAME + i] = json_string_value(c->contact[i]);
}

static void units_create(api_req *r)
{
	create_ctx *c = r->ctx;
	c->v[C_CODE] = c->credit_code;
	c->v[C_OVERRIDE] = c->checksum_override ? "true" : "false";
	c->v[C_REASON] = c->override_reason;
	c->v[C_NAME] = c->name;
	c->v[C_KIND] = core_unit_kind_name(c->kind);
	c->v[C_DISTRICT] = c->district;
	c->v[C_INDUSTRY] = c->industry;
	c->refs[0] = c->district;
	c->refs[1] = c->industry;
	c->calls[0] = (db_call){ DB_STMT_UNITS_REFS, c->refs };
	api_db_run(r, c->calls, 1, create_checked);
}

#define KIND_INVALID "must be enterprise or institution"

static const api_field create_fields[] = {
	API_FIELD_STR(create_ctx, district, "district", API_REQUIRED, 6),
	API_FIELD_STR(create_ctx, credit_code, "credit_code", API_REQUIRED, 18),
	API_FIELD_FLAG(create_ctx, checksum_override, "checksum_override", 0),
	API_FIELD_STR(create_ctx, override_reason, "override_reason", 0, 500),
	API_FIELD_STR(create_ctx, name, "name", API_REQUIRED, 200),
	API_FIELD_ENUM_OF(create_ctx, kind, "kind", API_REQUIRED, unit_kind, KIND_INVALID),
	API_FIELD_STR(create_ctx, industry, "industry", API_REQUIRED, 32),
	API_FIELD_JSON(create_ctx, contact[CONTACT_NAME], "contact_name", 0),
	API_FIELD_JSON(create_ctx, contact[CONTACT_PHONE], "contact_phone", 0),
	API_FIELD_JSON(create_ctx, contact[CONTACT_EMAIL], "contact_email", 0),
	API_FIELD_JSON(create_ctx, contact[CONTACT_ADDRESS], "address", 0),
	API_FIELDS_END,
};
/* the reference check and the insert: one transaction */
const api_op op_units_create = { .handler = units_create, .fields = create_fields,
                                 .check = create_check, .ctx_size = sizeof(create_ctx),
                                 .flags = API_OP_TX };

/* ---- update ------------------------------------------------------------ */

enum { U_ID, U_NAME, U_KIND, U_DISTRICT, U_INDUSTRY, U_CONTACT_NAME, U_CONTACT_PHONE,
       U_CONTACT_EMAIL, U_ADDRESS, U_MASK, U_VERSION, U__COUNT };

/* what PATCH may name but never changes: the credit code is the unit's identity */
enum { RO_ID, RO_CREDIT_CODE, RO_OVERRIDE, RO_REASON, RO_VERSION, RO_CREATED, RO_UPDATED,
       RO__COUNT };

static const char *const read_only[RO__COUNT] = { "id", "credit_code", "checksum_override",
                                                  "override_reason", "version", "created_at",
                                                  "updated_at" };
/* what only a bureau changes */
static const char *const bureau_only[] = { "name", "kind", "district", "industry" };

typedef struct update_ctx {
	/* the body (update_fields): only what is sent changes */
	const char *name, *district, *industry;
	core_unit_kind kind;
	json_t *contact[CONTACT__COUNT];
	json_t *ro[RO__COUNT];
	const char *v[U__COUNT];
	const char *refs[2];
	char mask[160];
	db_call calls[2];
} update_ctx;

static void updated(api_req *r, db_result *const *res, int n)
{
	const char *a = db_result_value(res[0], 0, UNITS_UPDATE_COL_UNIT);
	if (!a) {
		/* the row was locked and its version checked: should not happen */
		api_reply_problem(r, 412, "Precondition failed", "the unit has changed since it was read");
		return;
	}
	api_reply_doc(r, 200, db_result_value(res[0], 0, UNITS_UPDATE_COL_VERSION), a);
}

/* The lock → 404 → 412 → right → update flow stays here rather than in
 * http/transition.h: a unit has no status for core to decide on, and its
 * 412 carries the current ETag and its own detail. */
static void update_locked(api_req *r, db_result *const *res, int n)
{
	update_ctx *c = r->ctx;
	const db_result *row = res[0];
	if (db_result_rows(row) == 0) {
		api_reply_not_found(r, NOT_FOUND_DETAIL);
		return;
	}
	const char *version, *cur_district, *doc;
	long v;
	if (db_result_str(row, 0, UNITS_LOCK_COL_VERSION, &version) != 0 ||
	    db_result_int(row, 0, UNITS_LOCK_COL_VERSION, &v) != 0 ||
	    db_result_str(row, 0, UNITS_LOCK_COL_DISTRICT, &cur_district) != 0 ||
	    db_result_str(row, 0, UNITS_LOCK_COL_UNIT, &doc) != 0) {
		api_reply_problem(r, 500, "Internal error", "the unit could not be read");
		return;
	}
	if (r->if_match >= 0 && r->if_match != v) {
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
	if (refs_reply(r, res[1]))
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

/* A field a bureau may change but not drop: true when it is sent with a
 * valid value; sent as null it is required. */
static bool sent(api_req *r, const char *name, json_t *errors)
{
	if (!api_body_has(r, name) || api_errors_have(errors, name))
		return false;
	if (json_is_null(json_object_get(r->body, name))) {
		api_error_add(errors, name, "required", "this field is required");
		return false;
	}
	return true;
}

/* The read-only fields, the codes, the contact details, and the mask of
 * what is sent. */
static void update_check(api_req *r, json_t *errors)
{
	update_ctx *c = r->ctx;
	/* a unit changes its contact details only, and nobody but a bureau
	 * touches the checksum override: naming anything else is 403 before
	 * any field error */
	bool forbidden = false;
	for (size_t i = 0; !is_bureau(r) && i < sizeof bureau_only / sizeof *bureau_only; i++)
		forbidden = forbidden || api_body_has(r, bureau_only[i]);
	for (int i = 0; !is_bureau(r) && i < RO__COUNT; i++)
		forbidden = forbidden || api_body_has(r, read_only[i]);
	if (forbidden) {
		api_check_refuse(r, 403, "Forbidden",
		                 "a unit may change only its contact details (contact_name, "
		                 "contact_phone, contact_email, address)");
		return;
	}
	for (int i = 0; i < RO__COUNT; i++)
		if (api_body_has(r, read_only[i]))
			api_error_add(errors, read_only[i], "read_only",
			              "cannot be changed; the credit code is the unit's identity");
	codes_check(&c->district, &c->industry, errors);
	if (sent(r, "name", errors)) {
		c->v[U_NAME] = c->name;
		mask_add(c, "name");
	}
	if (sent(r, "kind", errors)) {
		c->v[U_KIND] = core_unit_kind_name(c->kind);
		mask_add(c, "kind");
	}
	if (sent(r, "district", errors)) {
		c->v[U_DISTRICT] = c->district;
		mask_add(c, "district");
	}
	if (sent(r, "industry", errors)) {
		c->v[U_INDUSTRY] = c->industry;
		mask_add(c, "industry");
	}
	for (int i = 0; i < CONTACT__COUNT; i++)
		if (contact_ok(contact_fields[i], c->contact[i], errors) &&
		    api_body_has(r, contact_fields[i])) {
			c->v[U_CONTACT_NAME + i] = json_string_value(c->contact[i]);
			mask_add(c, contact_fields[i]);
		}
}

static void units_update(api_req *r)
{
	update_ctx *c = r->ctx;
	c->v[U_ID] = r->path_params[0];
	c->refs[0] = c->v[U_DISTRICT];
	c->refs[1] = c->v[U_INDUSTRY];
	c->calls[0] = (db_call){ DB_STMT_UNITS_LOCK, r->path_params };
	c->calls[1] = (db_call){ DB_STMT_UNITS_REFS, c->refs };
	api_db_run(r, c->calls, 2, update_locked);
}

static const api_field update_fields[] = {
	API_FIELD_STR(update_ctx, name, "name", 0, 200),
	API_FIELD_ENUM_OF(update_ctx, kind, "kind", 0, unit_kind, KIND_INVALID),
	API_FIELD_STR(update_ctx, district, "district", 0, 6),
	API_FIELD_STR(update_ctx, industry, "industry", 0, 32),
	API_FIELD_JSON(update_ctx, contact[CONTACT_NAME], "contact_name", 0),
	API_FIELD_JSON(update_ctx, contact[CONTACT_PHONE], "contact_phone", 0),
	API_FIELD_JSON(update_ctx, contact[CONTACT_EMAIL], "contact_email", 0),
	API_FIELD_JSON(update_ctx, contact[CONTACT_ADDRESS], "address", 0),
	API_FIELD_JSON(update_ctx, ro[RO_ID], "id", 0),
	API_FIELD_JSON(update_ctx, ro[RO_CREDIT_CODE], "credit_code", 0),
	API_FIELD_JSON(update_ctx, ro[RO_OVERRIDE], "checksum_override", 0),
	API_FIELD_JSON(update_ctx, ro[RO_REASON], "override_reason", 0),
	API_FIELD_JSON(update_ctx, ro[RO_VERSION], "version", 0),
	API_FIELD_JSON(update_ctx, ro[RO_CREATED], "created_at", 0),
	API_FIELD_JSON(update_ctx, ro[RO_UPDATED], "updated_at", 0),
	API_FIELDS_END,
};
const api_op op_units_update = { .handler = units_update, .not_found = NOT_FOUND_DETAIL,
                                 .fields = update_fields, .check = update_check,
                                 .ctx_size = sizeof(update_ctx),
                                 .flags = API_OP_IF_MATCH | API_OP_TX };
