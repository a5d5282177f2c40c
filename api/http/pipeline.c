/*
 * The part of the request pipeline that reads what an operation declares
 * (http/op.h): query names, path ids, If-Match, the body's fields into the
 * handler's ctx, and the transaction flag.
 */
#include "http/op.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/keyvalq_struct.h>

#include "http/fields.h"
#include "http/request.h"
#include "http/resource.h"
#include "render/json.h"

#define API_ENUM_PARSER_DEFINE(what) \
	int api_parse_##what(void *out, const char *s) { return core_##what##_parse(out, s); }
API_ENUM_PARSERS(API_ENUM_PARSER_DEFINE)
#undef API_ENUM_PARSER_DEFINE

/* One field of the table into ctx; its errors go to errors. */
static void read_field(json_t *body, const api_field *f, char *ctx, json_t *errors)
{
	bool required = f->flags & API_REQUIRED;
	void *out = ctx + f->offset;
	switch (f->kind) {
	case API_FIELD_STRING:
		api_field_string(body, f->name, required, (size_t)f->max, out, errors);
		break;
	case API_FIELD_UUID:
		api_field_uuid(body, f->name, required, out, errors);
		break;
	case API_FIELD_INT:
		api_field_int(body, f->name, required, f->min, f->max, out, errors);
		break;
	case API_FIELD_YEAR: {
		long y;
		if (api_field_int(body, f->name, required, API_YEAR_MIN, API_YEAR_MAX, &y, errors))
			*(int *)out = (int)y;
		break;
	}
	case API_FIELD_YEAR_PAST: {
		long y;
		if (api_field_int(body, f->name, required, API_YEAR_MIN, api_today().y, &y, errors))
			*(int *)out = (int)y;
		break;
	}
	case API_FIELD_BOOL:
		api_field_bool(body, f->name, required, out, errors);
		break;
	case API_FIELD_HOURS:
		api_field_hours(body, f->name, required, f->min == 0, out, errors);
		break;
	case API_FIELD_DATE:
		api_field_date(body, f->name, required, out, errors);
		break;
	case API_FIELD_ENUM: {
		const char *s = api_field_token(body, f->name);
		api_field_enum_result(body, f->name, required, f->invalid, errors,
		                      s && f->parse(out, s) == 0);
		break;
	}
	case API_FIELD_ANY: {
		json_t *v = json_object_get(body, f->name);
		if (v && !json_is_null(v))
			*(json_t **)out = v;
		else if (required)
			api_error_add(errors, f->name, "required", "this field is required");
		break;
	}
	}
}

/* The body against the field table: unknown names refused, every field
 * read, then the op's own check; false after a 422. */
void api_fields_read(json_t *obj, const api_field *fields, void *ctx, json_t *errors)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		const api_field *f = fields;
		while (f->name && strcmp(f->name, key) != 0)
			f++;
		if (!f->name)
			api_json_unknown_field(errors, key);
	}
	for (const api_field *f = fields; f->name; f++)
		read_field(obj, f, ctx, errors);
}

static bool read_body(api_req *r, const api_op *op)
{
	if (!api_body_object(r))
		return false;
	json_t *errors = json_array();
	api_fields_read(r->body, op->fields, r->ctx, errors);
	if (op->check)
		op->check(r, errors);
	if (r->refused.status) {
		json_decref(errors);
		api_reply_problem(r, r->refused.status, r->refused.title, r->refused.detail);
		return false;
	}
	return !api_errors_reply(r, errors);
}

void api_check_refuse(api_req *r, int status, const char *title, const char *detail)
{
	if (r->refused.status)
		return;
	r->refused.status = status;
	r->refused.title = title;
	r->refused.detail = detail;
}

int api_op_arg(const api_req *r)
{
	return r->route->op->arg;
}

/* ---- the query --------------------------------------------------------- */

static bool in_list(const char *const *list, const char *key)
{
	for (; list && *list; list++)
		if (strcmp(*list, key) == 0)
			return true;
	return false;
}

/* 400 for a name the op does not read. */
static bool query_names_known(api_req *r, const api_op *op)
{
	static const char *const paging[] = { "limit", "cursor", NULL };
	struct evkeyval *kv;
	TAILQ_FOREACH(kv, r->query, next) {
		/* ?lang=en|zh-CN: the language of the answer, on any route (API.md
		 * "Language"; api_req_lang) */
		if (strcmp(kv->key, "lang") == 0) {
			if (api_lang_parse(kv->value) < 0) {
				api_reply_problem(r, 400, "Bad query", "lang must be zh-CN or en");
				return false;
			}
			continue;
		}
		bool known = in_list(op->query, kv->key) ||
		             ((op->flags & API_OP_PAGED) && in_list(paging, kv->key));
		for (const api_param *p = op->params; !known && p && p->name; p++)
			known = strcmp(p->name, kv->key) == 0;
		if (!known) {
			api_reply_problem(r, 400, "Bad query",
			                  api_arena_printf(r->mem, "unknown query parameter \"%.80s\"",
			                                   kv->key));
			return false;
		}
	}
	return true;
}

static bool param_ok(const api_param *p, const char *v)
{
	long scratch; /* an enum of core */
	char *end;
	switch (p->kind) {
	case API_PARAM_TEXT: return true;
	case API_PARAM_UUID: return api_is_uuid(v);
	case API_PARAM_YEAR: {
		/* four digits, nothing else: no sign, blank or leading zero slips in */
		if (strspn(v, "0123456789") != 4 || v[4])
			return false;
		long y = strtol(v, &end, 10);
		return y >= API_YEAR_MIN && y <= API_YEAR_MAX;
	}
	case API_PARAM_ENUM: return p->parse(&scratch, v) == 0;
	case API_PARAM_DISTRICT: return api_district_code_ok(v);
	case API_PARAM_INDUSTRY: return api_industry_code_ok(v);
	}
	return false;
}

static const char *param_message(api_req *r, const api_param *p)
{
	if (p->invalid)
		return p->invalid;
	switch (p->kind) {
	case API_PARAM_UUID: return api_arena_printf(r->mem, "%s must be an id (UUID)", p->name);
	case API_PARAM_YEAR:
		return api_arena_printf(r->mem, "%s must be an integer from %d to %d", p->name,
		                        API_YEAR_MIN, API_YEAR_MAX);
	case API_PARAM_DISTRICT: return "district must be a six-digit division code";
	case API_PARAM_INDUSTRY: return "industry must be an industry code";
	default: return api_arena_printf(r->mem, "%s is not a value this query takes", p->name);
	}
}

static bool read_params(api_req *r, const api_op *op)
{
	for (const api_param *p = op->params; p && p->name; p++) {
		const char *v = api_query(r, p->name);
		if (v && !param_ok(p, v)) {
			api_reply_problem(r, 400, "Bad query", param_message(r, p));
			return false;
		}
		*(const char **)((char *)r->ctx + p->offset) = v;
	}
	if (!(op->flags & API_OP_PAGED))
		return true;
	api_page *pg = api_list_page(r, api_cursor_is_time_id); /* NULL: replied, r is gone */
	if (!pg)
		return false;
	r->page = pg;
	return true;
}

/* An op without fields: no body, or an object without members (API.md,
 * second wave: actions accept {}); a member is 422 unknown_field. */
static bool read_no_fields(api_req *r)
{
	static const api_field none[] = { API_FIELDS_END };
	if (!api_body_object(r))
		return false;
	json_t *errors = json_array();
	api_fields_read(r->body, none, NULL, errors);
	return !api_errors_reply(r, errors);
}

bool api_op_prepare(api_req *r, const api_op *op)
{
	if (!(op->flags & API_OP_ANY_QUERY) && !query_names_known(r, op))
		return false;
	if (op->not_found)
		for (int i = 0; i < r->npath_params; i++)
			if (!api_path_uuid(r, i, op->not_found))
				return false;
	assert(!op->params || op->ctx_size); /* params land in the ctx */
	r->ctx = op->ctx_size ? api_arena_alloc(r->mem, op->ctx_size) : NULL;
	r->refused.status = 0;
	r->nafter_rollback = 0; /* a restarted request starts without a trace */
	if (!read_params(r, op))
		return false;
	r->if_match = -1;
	if ((op->flags & API_OP_IF_MATCH) && !api_if_match(r, &r->if_match))
		return false;
	if (op->fields && !read_body(r, op))
		return false;
	if (!op->fields && !(op->flags & API_OP_BODY_OWN) && r->body && !read_no_fields(r))
		return false;
	if (op->flags & API_OP_TX)
		api_db_tx(r);
	return true;
}

bool api_body_has(const api_req *r, const char *name)
{
	return json_object_get(r->body, name) != NULL;
}

/* ---- reading one resource ---------------------------------------------- */

/* the columns of a statement that api_op_get reads, and of one that
 * api_op_get_json reads */
enum { GET_COL_VERSION, GET_COL_JSON };
enum { GET_JSON_COL_JSON };

static void get_done(api_req *r, db_result *const *res, int n)
{
	bool versioned = r->route->op->handler == api_op_get;
	const char *json = db_result_value(res[0], 0, versioned ? GET_COL_JSON : GET_JSON_COL_JSON);
	if (!json) {
		api_reply_not_found(r, r->route->op->not_found);
		return;
	}
	api_reply_doc(r, 200, versioned ? db_result_value(res[0], 0, GET_COL_VERSION) : NULL, json);
}

static void get(api_req *r)
{
	db_call *call = api_arena_alloc(r->mem, sizeof *call);
	*call = (db_call){ r->route->op->stmt, r->path_params };
	api_db_run(r, call, 1, get_done);
}

void api_op_get(api_req *r)
{
	get(r);
}

void api_op_get_json(api_req *r)
{
	get(r);
}
