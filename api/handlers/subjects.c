/*
 * Public-knowledge subjects and the yearly training plans.
 *
 *   GET  /v1/public-subjects[?year=]         every role
 *   POST /v1/public-subjects                 city bureau
 *   GET  /v1/public-subjects/{id}            every role
 *   GET  /v1/plans[?year=&kind=&industry=]   every role
 *   POST /v1/plans                           public plan: city bureau;
 *                                            professional plan: the industry
 *                                            authority of that industry
 *   GET  /v1/plans/{id}                      every role
 *
 * A project names a public subject by id; plans are free JSON
 * content under a title, one or more per kind, industry and year.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/fields.h"
#include "render/json.h"
#include "http/paging.h"
#include "http/resource.h"
#include "handlers.h"

#define CODE_MAX 32
#define TITLE_MAX 200

/* answers 201 with Location from a row (id, [version,] JSON) */
static void created(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *prefix = r->ctx;
	if (db_result_rows(res[0]) == 0) {
		api_reply_problem(r, 500, "Internal error", "the new resource could not be read back");
		return;
	}
	bool versioned = db_result_cols(res[0]) > 2;
	char *loc = api_arena_printf(r->mem, "%s/%s", prefix, db_result_value(res[0], 0, 0));
	if (loc)
		api_reply_header(r, "Location", loc);
	api_reply_doc(r, 201, versioned ? db_result_value(res[0], 0, 1) : NULL,
	              db_result_value(res[0], 0, versioned ? 2 : 1));
}

/* ---- public subjects (R-21) --------------------------------------------- */

void h_public_subjects_list(api_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", "year", NULL };
	api_page *pg = api_list_begin(r, allowed, api_cursor_is_time_id);
	const char *year;
	if (!pg || !api_query_year(r, &year))
		return;
	const char *v[] = { pg->after, year, pg->limit_plus_one };
	api_list_run(r, pg, DB_STMT_PUBLIC_SUBJECT_LIST, v, 3);
}

void h_public_subjects_get(api_req *r)
{
	api_get_json(r, DB_STMT_PUBLIC_SUBJECT_GET, "no such resource");
}

/* a subject code: letters, digits and ._- (e.g. "GK-2025-01") */
static bool code_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

bool api_subject_fields(json_t *obj, const char *prefix, const char **code, const char **title,
                        int32_t *hours, json_t *errors)
{
	json_t *local = json_array();
	bool ok = true;
	if (api_field_string(obj, "code", true, CODE_MAX, code, local) && !code_ok(*code))
		api_error_add(local, "code", "invalid", "letters, digits and . _ - only");
	api_field_string(obj, "title", true, TITLE_MAX, title, local);
	api_field_hours(obj, "hours", true, false, hours, local);
	static const char *const allowed[] = { "code", "title", "hours", NULL };
	api_json_unknown_fields(obj, allowed, local);
	size_t i;
	json_t *e;
	json_array_foreach(local, i, e) {
		ok = false;
		const char *f = json_string_value(json_object_get(e, "field"));
		char name[96];
		snprintf(name, sizeof name, "%s%s", prefix, f ? f : "");
		api_error_add(errors, name, json_string_value(json_object_get(e, "code")),
		              json_string_value(json_object_get(e, "message")));
	}
	json_decref(local);
	return ok;
}

typedef struct subject_ctx {
	char year[12], hours[CORE_HOURS_BUFSZ];
	const char *v[4];
	db_call calls[1];
} subject_ctx;

void h_public_subjects_create(api_req *r)
{
	if (!api_body_object(r))
		return;
	json_t *errors = json_array();
	subject_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	long year = 0;
	api_field_int(r->body, "year", true, 1990, 2100, &year, errors);
	/* code, title and hours are checked as a guide's subjects are */
	json_t *rest = json_deep_copy(r->body);
	json_object_del(rest, "year");
	const char *code = NULL, *title = NULL;
	int32_t hours = 0;
	bool ok = api_subject_fields(rest, "", &code, &title, &hours, errors);
	if (json_array_size(errors) > 0 || !ok) {
		json_decref(rest);
		api_reply_errors(r, 422, "Validation failed", errors);
		return;
	}
	json_decref(errors);
	snprintf(c->year, sizeof c->year, "%ld", year);
	core_hours_format(c->hours, sizeof c->hours, hours);
	c->v[0] = c->year;
	c->v[1] = api_arena_strdup(r->mem, code);
	c->v[2] = api_arena_strdup(r->mem, title);
	c->v[3] = c->hours;
	json_decref(rest);
	c->calls[0] = (db_call){ DB_STMT_PUBLIC_SUBJECT_INSERT, c->v };
	r->ctx = api_arena_strdup(r->mem, "/v1/public-subjects");
	api_db_run(r, c->calls, 1, created);
}

/* ---- plans (R-21 public plan, R-22 professional plans) ------------------ */

void h_plans_list(api_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", "year", "kind", "industry", NULL };
	api_page *pg = api_list_begin(r, allowed, api_cursor_is_time_id);
	const char *year;
	if (!pg || !api_query_year(r, &year))
		return;
	const char *kind = api_query(r, "kind");
	core_category cat;
	if (kind && core_category_parse(&cat, kind) != 0) {
		api_reply_problem(r, 400, "Bad query", "kind must be public or professional");
		return;
	}
	const char *industry = api_query(r, "industry");
	if (industry && !api_role_jur_valid(API_ROLE_INDUSTRY, industry)) {
		api_reply_problem(r, 400, "Bad query", "industry is not an industry code");
		return;
	}
	const char *v[] = { pg->after, year, kind, industry, pg->limit_plus_one };
	api_list_run(r, pg, DB_STMT_PLAN_LIST, v, 5);
}

void h_plans_get(api_req *r)
{
	api_get_one(r, DB_STMT_PLAN_GET, "no such resource");
}

typedef struct plan_ctx {
	char year[12];
	const char *v[5];
	db_call calls[1];
} plan_ctx;

void h_plans_create(api_req *r)
{
	static const char *const allowed[] = { "kind", "industry", "year", "title", "content", NULL };
	if (!api_body_object(r))
		return;
	json_t *errors = json_array();
	plan_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	api_json_unknown_fields(r->body, allowed, errors);
	core_category kind = CORE_CAT_PUBLIC;
	bool kind_ok = API_FIELD_ENUM(r->body, "kind", true, category, &kind,
	                              "must be public or professional", errors);
	json_t *ind = json_object_get(r->body, "industry");
	const char *industry = NULL;
	if (kind_ok) {
		/* who writes which plan is the permission matrix's, before the body's details */
		bool city = r->claims.role == API_ROLE_CITY;
		if (kind == CORE_CAT_PUBLIC && !city) {
			json_decref(errors);
			api_reply_problem(r, 403, "Forbidden", "the public plan is the city bureau's (R-21)");
			return;
		}
		if (kind == CORE_CAT_PROFESSIONAL && r->claims.role != API_ROLE_INDUSTRY) {
			json_decref(errors);
			api_reply_problem(r, 403, "Forbidden",
			                  "a professional plan is its industry authority's (R-22)");
			return;
		}
		if (kind == CORE_CAT_PUBLIC && ind && !json_is_null(ind)) {
			api_error_add(errors, "industry", "not_allowed", "a public plan has no industry");
		} else if (kind == CORE_CAT_PROFESSIONAL) {
			if (!ind || json_is_null(ind))
				industry = r->claims.jur;
			else if (api_field_string(r->body, "industry", false, 32, &industry, errors) &&
			         strcmp(industry, r->claims.jur) != 0) {
				json_decref(errors);
				api_reply_problem(r, 403, "Forbidden",
				                  "an industry authority writes only its own industry's plan");
				return;
			}
		}
	}
	long year = 0;
	api_field_int(r->body, "year", true, 1990, 2100, &year, errors);
	const char *title = NULL;
	api_field_string(r->body, "title", true, TITLE_MAX, &title, errors);
	json_t *content = json_object_get(r->body, "content");
	if (content && !json_is_object(content) && !json_is_array(content) && !json_is_string(content))
		api_error_add(errors, "content", "invalid", "must be an object, an array or a string");
	if (api_errors_reply(r, errors))
		return;
	char *s = content ? json_dumps(content, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	snprintf(c->year, sizeof c->year, "%ld", year);
	c->v[0] = core_category_name(kind);
	c->v[1] = industry ? api_arena_strdup(r->mem, industry) : NULL;
	c->v[2] = c->year;
	c->v[3] = api_arena_strdup(r->mem, title);
	c->v[4] = s ? api_arena_strdup(r->mem, s) : "{}";
	free(s);
	c->calls[0] = (db_call){ DB_STMT_PLAN_INSERT, c->v };
	r->ctx = api_arena_strdup(r->mem, "/v1/plans");
	api_db_run(r, c->calls, 1, created);
}

/* ---- operations of the route table (http/op.h) -------------------------- */

const api_op op_plans_create = { .handler = h_plans_create, .flags = API_OP_ANY_QUERY };
const api_op op_plans_get = { .handler = h_plans_get, .flags = API_OP_ANY_QUERY };
const api_op op_plans_list = { .handler = h_plans_list, .flags = API_OP_ANY_QUERY };
const api_op op_public_subjects_create = { .handler = h_public_subjects_create, .flags = API_OP_ANY_QUERY };
const api_op op_public_subjects_get = { .handler = h_public_subjects_get, .flags = API_OP_ANY_QUERY };
const api_op op_public_subjects_list = { .handler = h_public_subjects_list, .flags = API_OP_ANY_QUERY };
