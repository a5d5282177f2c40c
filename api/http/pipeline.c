/*
 * The part of the request pipeline that reads what an operation declares
 * (http/op.h): query names, path ids, If-Match, the body's fields into the
 * handler's ctx, and the transaction flag.
 */
#include "http/op.h"

#include <string.h>

#include "http/fields.h"
#include "http/request.h"
#include "http/resource.h"
#include "render/json.h"

#define API_ENUM_PARSER(what) \
	int api_parse_##what(void *out, const char *s) { return core_##what##_parse(out, s); }
API_ENUM_PARSER(level)
API_ENUM_PARSER(category)
API_ENUM_PARSER(form)
API_ENUM_PARSER(class_type)
API_ENUM_PARSER(source)
API_ENUM_PARSER(record_status)
API_ENUM_PARSER(base_level)
API_ENUM_PARSER(exam_result)
API_ENUM_PARSER(enrolment_status)
API_ENUM_PARSER(purpose)
API_ENUM_PARSER(unit_kind)
API_ENUM_PARSER(person_status)
#undef API_ENUM_PARSER

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
static bool read_body(api_req *r, const api_op *op)
{
	if (!api_body_object(r))
		return false;
	json_t *errors = json_array();
	const char *key;
	json_t *v;
	json_object_foreach(r->body, key, v) {
		const api_field *f = op->fields;
		while (f->name && strcmp(f->name, key) != 0)
			f++;
		if (!f->name)
			api_json_unknown_field(errors, key);
	}
	for (const api_field *f = op->fields; f->name; f++)
		read_field(r->body, f, r->ctx, errors);
	if (op->check)
		op->check(r, errors);
	return !api_errors_reply(r, errors);
}

bool api_op_prepare(api_req *r, const api_op *op)
{
	static const char *const none[] = { NULL };
	if (!(op->flags & API_OP_ANY_QUERY) && !api_query_only(r, op->query ? op->query : none))
		return false;
	if (op->not_found)
		for (int i = 0; i < r->npath_params; i++)
			if (!api_path_uuid(r, i, op->not_found))
				return false;
	r->ctx = op->ctx_size ? api_arena_alloc(r->mem, op->ctx_size) : NULL;
	r->if_match = -1;
	if ((op->flags & API_OP_IF_MATCH) && !api_if_match(r, &r->if_match))
		return false;
	if (op->fields && !read_body(r, op))
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

/* the columns of a statement that api_op_get reads; api_op_get_json's
 * answers the json alone */
enum { GET_COL_VERSION, GET_COL_JSON };

static void get_done(api_req *r, db_result *const *res, int n)
{
	bool versioned = r->route->op->handler == api_op_get;
	const char *json = db_result_value(res[0], 0, versioned ? GET_COL_JSON : 0);
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
