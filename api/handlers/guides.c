/*
 * Subject guides (科目指南, R-22): an industry authority's subjects with
 * recommended hours, draft -> published; publishing files the guide with
 * the HR bureau (备案), recorded as filed_at.
 *
 *   GET  /v1/guides[?year=&industry=&status=]  every role
 *   GET  /v1/guides/{id}                       every role
 *   POST /v1/guides                            industry authority, own industry
 *   POST /v1/guides/{id}/publish               industry authority, own industry
 *
 * Visibility (row-level security): published guides are readable by every
 * role; a draft only by its own industry authority — not by the city
 * bureau either, since nothing is filed before publication.  A draft of
 * another industry is therefore 404 to an industry authority (existence is
 * never revealed); a published guide of another industry, which it can
 * read, is 403 to write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/fields.h"
#include "render/json.h"
#include "http/paging.h"
#include "http/resource.h"
#include "handlers.h"

#define SUBJECTS_MAX 200
#define NOT_FOUND_DETAIL "no such guide in the caller's jurisdiction"

static void reply_versioned(api_req *r, int status, db_result *const *res, int row_of,
                            const char *location)
{
	const db_result *x = res[row_of];
	if (db_result_rows(x) == 0) {
		api_reply_problem(r, 500, "Internal error", "the guide could not be read back");
		return;
	}
	if (location)
		api_reply_header(r, "Location", location);
	api_reply_doc(r, status, db_result_value(x, 0, 0), db_result_value(x, 0, 1));
}

/* ---- reads -------------------------------------------------------------- */

void h_guides_list(api_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", "year", "industry", "status", NULL };
	api_page *pg = api_list_begin(r, allowed, api_cursor_is_time_id);
	if (!pg)
		return;
	const char *year;
	if (!api_query_year(r, &year))
		return;
	const char *industry = api_query(r, "industry");
	if (industry && !api_role_jur_valid(API_ROLE_INDUSTRY, industry)) {
		api_reply_problem(r, 400, "Bad query", "industry is not an industry code");
		return;
	}
	const char *status = api_query(r, "status");
	core_guide_status gs;
	if (status && core_guide_status_parse(&gs, status) != 0) {
		api_reply_problem(r, 400, "Bad query", "status must be draft or published");
		return;
	}
	const char *v[] = { pg->after, year, industry, status, pg->limit_plus_one };
	api_list_run(r, pg, DB_STMT_GUIDE_LIST, v, 5);
}

void h_guides_get(api_req *r)
{
	api_get_one(r, DB_STMT_GUIDE_GET, NOT_FOUND_DETAIL);
}

/* ---- create ------------------------------------------------------------- */

typedef struct create_ctx {
	char id[37], year[12];
	const char *v[4];
	const char *sv[2];
	db_call calls[3];
} create_ctx;

static void created(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	(void)n;
	reply_versioned(r, 201, res, 2, api_arena_printf(r->mem, "/v1/guides/%s", c->id));
}

/* The subjects, validated, as the JSON array the statement reads; NULL when
 * some are invalid (errors appended). */
static char *read_subjects(json_t *list, json_t *errors)
{
	if (!json_is_array(list) || json_array_size(list) == 0 ||
	    json_array_size(list) > SUBJECTS_MAX) {
		api_error_add(errors, "subjects", list ? "invalid" : "required",
		              "an array of 1 to 200 subjects {\"code\",\"title\",\"hours\"}");
		return NULL;
	}
	json_t *out = json_array();
	bool ok = true;
	size_t i;
	json_t *s;
	json_array_foreach(list, i, s) {
		char prefix[32];
		snprintf(prefix, sizeof prefix, "subjects[%zu].", i);
		if (!json_is_object(s)) {
			char field[32];
			snprintf(field, sizeof field, "subjects[%zu]", i);
			api_error_add(errors, field, "invalid", "must be an object");
			ok = false;
			continue;
		}
		const char *code = NULL, *title = NULL;
		int32_t hours = 0;
		if (!api_subject_fields(s, prefix, &code, &title, &hours, errors)) {
			ok = false;
			continue;
		}
		for (size_t k = 0; k < json_array_size(out); k++) {
			if (strcmp(json_string_value(json_object_get(json_array_get(out, k), "code")),
			           code) == 0) {
				char field[40];
				snprintf(field, sizeof field, "subjects[%zu].code", i);
				api_error_add(errors, field, "duplicate", "two subjects have this code");
				ok = false;
			}
		}
		char h[CORE_HOURS_BUFSZ];
		core_hours_format(h, sizeof h, hours);
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "code", code, "title", title,
		                                     "hours", h));
	}
	char *dump = ok ? json_dumps(out, JSON_COMPACT) : NULL;
	json_decref(out);
	return dump;
}

void h_guides_create(api_req *r)
{
	static const char *const allowed[] = { "industry", "year", "title", "subjects", NULL };
	if (!api_body_object(r))
		return;
	/* an industry authority writes its own industry's guide */
	json_t *ind = json_object_get(r->body, "industry");
	if (json_is_string(ind) && strcmp(json_string_value(ind), r->claims.jur) != 0) {
		api_reply_problem(r, 403, "Forbidden",
		                  "an industry authority writes only its own industry's guides");
		return;
	}
	json_t *errors = json_array();
	api_json_unknown_fields(r->body, allowed, errors);
	if (ind && !json_is_null(ind) && !json_is_string(ind))
		api_error_add(errors, "industry", "invalid", "must be an industry code");
	long year = 0;
	api_field_int(r->body, "year", true, 1990, 2100, &year, errors);
	const char *title = NULL;
	api_field_string(r->body, "title", true, 200, &title, errors);
	char *subjects = read_subjects(json_object_get(r->body, "subjects"), errors);
	if (api_errors_reply(r, errors)) {
		free(subjects);
		return;
	}
	create_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	r->ctx = c;
	api_uuid_v4(c->id);
	snprintf(c->year, sizeof c->year, "%ld", year);
	c->v[0] = c->id;
	c->v[1] = api_arena_strdup(r->mem, r->claims.jur);
	c->v[2] = c->year;
	c->v[3] = api_arena_strdup(r->mem, title);
	c->sv[0] = c->id;
	c->sv[1] = api_arena_strdup(r->mem, subjects ? subjects : "[]");
	free(subjects);
	c->calls[0] = (db_call){ DB_STMT_GUIDE_INSERT, c->v };
	c->calls[1] = (db_call){ DB_STMT_GUIDE_SUBJECTS_INSERT, c->sv };
	c->calls[2] = (db_call){ DB_STMT_GUIDE_CREATED, c->v };
	api_db_tx(r);
	api_db_run(r, c->calls, 3, created);
}

/* ---- publish (R-22) ----------------------------------------------------- */

static void published(api_req *r, db_result *const *res, int n)
{
	(void)n;
	reply_versioned(r, 200, res, 0, NULL);
}

static void publish_checked(api_req *r, db_result *const *res, int n)
{
	(void)n;
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, NOT_FOUND_DETAIL);
		return;
	}
	if (strcmp(db_result_value(res[0], 0, 0), r->claims.jur) != 0 || db_result_rows(res[1]) == 0) {
		api_reply_problem(r, 403, "Forbidden",
		                  "an industry authority publishes only its own industry's guides");
		return;
	}
	core_guide_status from, to;
	if (core_guide_status_parse(&from, db_result_value(res[1], 0, 0)) != 0) {
		api_reply_problem(r, 500, "Internal error", "the guide could not be read");
		return;
	}
	if (core_guide_transition(&to, from, CORE_GUIDE_ACT_PUBLISH) != 0) {
		api_reply_problem(r, 409, "Conflict", "the guide is already published");
		return;
	}
	db_call *c = r->ctx;
	c[0] = (db_call){ DB_STMT_GUIDE_PUBLISH, &r->path_params[0] };
	api_db_run(r, c, 1, published);
}

void h_guides_publish(api_req *r)
{
	if (!api_path_uuid(r, 0, NOT_FOUND_DETAIL))
		return;
	db_call *c = api_arena_alloc(r->mem, 2 * sizeof *c);
	c[0] = (db_call){ DB_STMT_GUIDE_VISIBLE, &r->path_params[0] };
	c[1] = (db_call){ DB_STMT_GUIDE_LOCK, &r->path_params[0] };
	r->ctx = c;
	api_db_tx(r);
	api_db_run(r, c, 2, publish_checked);
}

/* ---- operations of the route table (http/op.h) -------------------------- */

const api_op op_guides_create = { .handler = h_guides_create, .flags = API_OP_ANY_QUERY };
const api_op op_guides_get = { .handler = h_guides_get, .flags = API_OP_ANY_QUERY };
const api_op op_guides_list = { .handler = h_guides_list, .flags = API_OP_ANY_QUERY };
const api_op op_guides_publish = { .handler = h_guides_publish, .flags = API_OP_ANY_QUERY };
