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

/* answers 201 with Location from a row: the id, the version (-1: none) and
 * the JSON at the given columns */
static void created(api_req *r, const char *prefix, db_result *const *res, int id_col,
                    int version_col, int doc_col)
{
	if (db_result_rows(res[0]) == 0) {
		api_reply_problem(r, 500, "Internal error", "the new resource could not be read back");
		return;
	}
	api_reply_header(r, "Location", api_arena_printf(r->mem, "%s/%s", prefix,
	                                                 db_result_value(res[0], 0, id_col)));
	api_reply_doc(r, 201, version_col >= 0 ? db_result_value(res[0], 0, version_col) : NULL,
	              db_result_value(res[0], 0, doc_col));
}

/* ---- public subjects (R-21) --------------------------------------------- */

/* a list of (after, filters…, limit): the filters land in v[1..n-2] (the
 * op's params), the page around them */
typedef struct list_ctx {
	const char *v[5];
} list_ctx;

static void list(api_req *r, db_stmt_id stmt, int n)
{
	list_ctx *c = r->ctx;
	c->v[0] = r->page->after;
	c->v[n - 1] = r->page->limit_plus_one;
	api_list_run(r, r->page, stmt, c->v, n);
}

static void public_subjects_list(api_req *r)
{
	list(r, DB_STMT_PUBLIC_SUBJECT_LIST, 3);
}

static const api_param public_subjects_params[] = {
	API_PARAM(list_ctx, v[1], "year", API_PARAM_YEAR, NULL),
	API_PARAMS_END,
};
const api_op op_public_subjects_list = { .handler = public_subjects_list,
                                         .params = public_subjects_params,
                                         .ctx_size = sizeof(list_ctx), .flags = API_OP_PAGED };

const api_op op_public_subjects_get = { .handler = api_op_get_json,
                                        .stmt = DB_STMT_PUBLIC_SUBJECT_GET,
                                        .not_found = "no such resource" };

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
	int year;
	json_t *code, *title, *hours_v; /* read by subject_check as a guide's subjects are */
	char year_s[12], hours[CORE_HOURS_BUFSZ];
	const char *v[4];
	db_call call;
} subject_ctx;

/* code, title and hours are checked as a guide's subjects are */
static void subject_check(api_req *r, json_t *errors)
{
	subject_ctx *c = r->ctx;
	static const char *const names[] = { "code", "title", "hours", NULL };
	json_t *rest = json_object();
	for (const char *const *k = names; *k; k++) {
		json_t *v = json_object_get(r->body, *k);
		if (v)
			json_object_set(rest, *k, v);
	}
	const char *code = NULL, *title = NULL;
	int32_t hours = 0;
	if (api_subject_fields(rest, "", &code, &title, &hours, errors)) {
		core_hours_format(c->hours, sizeof c->hours, hours);
		c->v[1] = api_arena_strdup(r->mem, code);
		c->v[2] = api_arena_strdup(r->mem, title);
	}
	json_decref(rest);
}

static void subject_created(api_req *r, db_result *const *res, int n)
{
	created(r, "/v1/public-subjects", res, PUBLIC_SUBJECT_INSERT_COL_ID, -1,
	        PUBLIC_SUBJECT_INSERT_COL_SUBJECT);
}

static void public_subjects_create(api_req *r)
{
	subject_ctx *c = r->ctx;
	snprintf(c->year_s, sizeof c->year_s, "%d", c->year);
	c->v[0] = c->year_s;
	c->v[3] = c->hours;
	c->call = (db_call){ DB_STMT_PUBLIC_SUBJECT_INSERT, c->v };
	api_db_run(r, &c->call, 1, subject_created);
}

static const api_field subject_fields[] = {
	API_FIELD_YEAR_OF(subject_ctx, year, "year", API_REQUIRED),
	API_FIELD_JSON(subject_ctx, code, "code", 0),
	API_FIELD_JSON(subject_ctx, title, "title", 0),
	API_FIELD_JSON(subject_ctx, hours_v, "hours", 0),
	API_FIELDS_END,
};
const api_op op_public_subjects_create = { .handler = public_subjects_create,
                                           .fields = subject_fields, .check = subject_check,
                                           .ctx_size = sizeof(subject_ctx) };

/* ---- plans (R-21 public plan, R-22 professional plans) ------------------ */

static void plans_list(api_req *r)
{
	list(r, DB_STMT_PLAN_LIST, 5);
}

static const api_param plans_params[] = {
	API_PARAM(list_ctx, v[1], "year", API_PARAM_YEAR, NULL),
	API_PARAM_ENUM_OF(list_ctx, v[2], "kind", category, "kind must be public or professional"),
	API_PARAM(list_ctx, v[3], "industry", API_PARAM_INDUSTRY, "industry is not an industry code"),
	API_PARAMS_END,
};
const api_op op_plans_list = { .handler = plans_list, .params = plans_params,
                               .ctx_size = sizeof(list_ctx), .flags = API_OP_PAGED };

const api_op op_plans_get = { .handler = api_op_get, .stmt = DB_STMT_PLAN_GET,
                              .not_found = "no such resource" };

typedef struct plan_ctx {
	core_category kind;
	json_t *industry_v, *content;
	const char *title, *industry;
	int year;
	char year_s[12];
	const char *v[5];
	db_call call;
} plan_ctx;

/* Who writes which plan is the permission matrix's: a valid kind the caller
 * may not write is 403 whatever else the body holds. */
static void plan_check(api_req *r, json_t *errors)
{
	plan_ctx *c = r->ctx;
	const char *forbidden = NULL;
	core_category kind;
	const char *k = api_field_token(r->body, "kind");
	if (!k || core_category_parse(&kind, k) != 0)
		return;
	if (kind == CORE_CAT_PUBLIC && r->claims.role != API_ROLE_CITY)
		forbidden = "the public plan is the city bureau's (R-21)";
	else if (kind == CORE_CAT_PROFESSIONAL && r->claims.role != API_ROLE_INDUSTRY)
		forbidden = "a professional plan is its industry authority's (R-22)";
	else if (kind == CORE_CAT_PUBLIC && c->industry_v)
		api_error_add(errors, "industry", "not_allowed", "a public plan has no industry");
	else if (kind == CORE_CAT_PROFESSIONAL && !c->industry_v)
		c->industry = r->claims.jur;
	else if (kind == CORE_CAT_PROFESSIONAL &&
	         api_field_string(r->body, "industry", false, 32, &c->industry, errors) &&
	         strcmp(c->industry, r->claims.jur) != 0)
		forbidden = "an industry authority writes only its own industry's plan";
	if (forbidden) {
		api_check_refuse(r, 403, "Forbidden", forbidden);
		return;
	}
	/* null too: content is an object, an array or a string when it is sent */
	json_t *content = json_object_get(r->body, "content");
	if (content && !json_is_object(content) && !json_is_array(content) && !json_is_string(content))
		api_error_add(errors, "content", "invalid", "must be an object, an array or a string");
}

static void plan_created(api_req *r, db_result *const *res, int n)
{
	created(r, "/v1/plans", res, PLAN_INSERT_COL_ID, PLAN_INSERT_COL_VERSION,
	        PLAN_INSERT_COL_PLAN);
}

static void plans_create(api_req *r)
{
	plan_ctx *c = r->ctx;
	snprintf(c->year_s, sizeof c->year_s, "%d", c->year);
	c->v[0] = core_category_name(c->kind);
	c->v[1] = c->industry;
	c->v[2] = c->year_s;
	c->v[3] = c->title;
	c->v[4] = "{}";
	if (c->content)
		c->v[4] = api_json_dump_arena(r->mem, c->content, JSON_COMPACT | JSON_ENCODE_ANY);
	c->call = (db_call){ DB_STMT_PLAN_INSERT, c->v };
	api_db_run(r, &c->call, 1, plan_created);
}

static const api_field plan_fields[] = {
	API_FIELD_ENUM_OF(plan_ctx, kind, "kind", API_REQUIRED, category,
	                  "must be public or professional"),
	API_FIELD_JSON(plan_ctx, industry_v, "industry", 0),
	API_FIELD_YEAR_OF(plan_ctx, year, "year", API_REQUIRED),
	API_FIELD_STR(plan_ctx, title, "title", API_REQUIRED, TITLE_MAX),
	API_FIELD_JSON(plan_ctx, content, "content", 0),
	API_FIELDS_END,
};
const api_op op_plans_create = { .handler = plans_create, .fields = plan_fields,
                                 .check = plan_check, .ctx_size = sizeof(plan_ctx) };
