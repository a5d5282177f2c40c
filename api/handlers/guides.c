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
#include "http/transition.h"
#include "handlers.h"

#define SUBJECTS_MAX 200
#define NOT_FOUND_DETAIL "no such guide in the caller's jurisdiction"

static void reply_versioned(api_req *r, int status, const db_result *x, const char *location)
{
	if (db_result_rows(x) == 0) {
		api_reply_problem(r, 500, "Internal error", "the guide could not be read back");
		return;
	}
	if (location)
		api_reply_header(r, "Location", location);
	api_reply_doc(r, status, db_result_value(x, 0, GUIDE_CREATED_COL_VERSION),
	              db_result_value(x, 0, GUIDE_CREATED_COL_GUIDE));
}
/* reply_versioned answers GUIDE_CREATED's and GUIDE_PUBLISH's rows alike */
_Static_assert((int)GUIDE_CREATED_COL_VERSION == (int)GUIDE_PUBLISH_COL_VERSION &&
                   (int)GUIDE_CREATED_COL_GUIDE == (int)GUIDE_PUBLISH_COL_GUIDE,
               "GUIDE_CREATED and GUIDE_PUBLISH answer (version, guide)");

/* ---- reads -------------------------------------------------------------- */

typedef struct list_ctx {
	const char *v[5]; /* GUIDE_LIST's: $2 year, $3 industry, $4 status (list_params) */
} list_ctx;

static void guides_list(api_req *r)
{
	list_ctx *c = r->ctx;
	c->v[0] = r->page->after;
	c->v[4] = r->page->limit_plus_one;
	api_list_run(r, r->page, DB_STMT_GUIDE_LIST, c->v, 5);
}

static const api_param list_params[] = {
	API_PARAM(list_ctx, v[1], "year", API_PARAM_YEAR, NULL),
	API_PARAM(list_ctx, v[2], "industry", API_PARAM_INDUSTRY, "industry is not an industry code"),
	API_PARAM_ENUM_OF(list_ctx, v[3], "status", guide_status,
	                  "status must be draft or published"),
	API_PARAMS_END,
};
const api_op op_guides_list = { .handler = guides_list, .params = list_params,
                                .ctx_size = sizeof(list_ctx), .flags = API_OP_PAGED };

const api_op op_guides_get = { .handler = api_op_get, .stmt = DB_STMT_GUIDE_GET,
                               .not_found = NOT_FOUND_DETAIL };

/* ---- create ------------------------------------------------------------- */

typedef struct create_ctx {
	/* the body (create_fields) */
	json_t *industry, *subjects_v;
	int year;
	const char *title;
	char *subjects;        /* the JSON array the statement reads (create_check) */
	char id[37], year_s[12];
	const char *v[4];
	const char *sv[2];
	db_call calls[3];
} create_ctx;

static void created(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	reply_versioned(r, 201, res[2], api_arena_printf(r->mem, "/v1/guides/%s", c->id));
}

/* The subjects, validated, as the JSON array the statement reads; NULL when
 * some are invalid (errors appended). */
static char *read_subjects(api_req *r, json_t *list, json_t *errors)
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
	char *dump = ok ? api_json_dump_arena(r->mem, out, JSON_COMPACT) : NULL;
	json_decref(out);
	return dump;
}

/* an industry authority writes its own industry's guide (403 whatever
 * else the body holds); then the industry's type and the subjects. */
static void create_check(api_req *r, json_t *errors)
{
	create_ctx *c = r->ctx;
	json_t *ind = c->industry;
	if (json_is_string(ind) && strcmp(json_string_value(ind), r->claims.jur) != 0) {
		api_check_refuse(r, 403, "Forbidden",
		                 "an industry authority writes only its own industry's guides");
		return;
	}
	if (ind && !json_is_string(ind))
		api_error_add(errors, "industry", "invalid", "must be an industry code");
	/* the field table reads year and title first: subjects' errors follow theirs */
	c->subjects = read_subjects(r, json_object_get(r->body, "subjects"), errors);
}

static void guides_create(api_req *r)
{
	create_ctx *c = r->ctx;
	api_uuid_v4(c->id);
	snprintf(c->year_s, sizeof c->year_s, "%d", c->year);
	c->v[0] = c->id;
	c->v[1] = r->claims.jur;
	c->v[2] = c->year_s;
	c->v[3] = c->title;
	c->sv[0] = c->id;
	c->sv[1] = c->subjects;
	c->calls[0] = (db_call){ DB_STMT_GUIDE_INSERT, c->v };
	c->calls[1] = (db_call){ DB_STMT_GUIDE_SUBJECTS_INSERT, c->sv };
	c->calls[2] = (db_call){ DB_STMT_GUIDE_CREATED, c->v };
	api_db_run(r, c->calls, 3, created);
}

static const api_field create_fields[] = {
	API_FIELD_JSON(create_ctx, industry, "industry", 0),
	API_FIELD_YEAR_OF(create_ctx, year, "year", API_REQUIRED),
	API_FIELD_STR(create_ctx, title, "title", API_REQUIRED, 200),
	API_FIELD_JSON(create_ctx, subjects_v, "subjects", 0),
	API_FIELDS_END,
};
const api_op op_guides_create = { .handler = guides_create, .fields = create_fields,
                                  .check = create_check, .ctx_size = sizeof(create_ctx),
                                  .flags = API_OP_TX };

/* ---- publish (R-22) ----------------------------------------------------- */

static void published(api_req *r, db_result *const *res, int n)
{
	reply_versioned(r, 200, res[0], NULL);
}

static void publish_scoped(api_req *r, db_result *const *res, int n)
{
	if (db_result_rows(res[0]) == 0) {
		api_reply_not_found(r, NOT_FOUND_DETAIL);
		return;
	}
	api_reply_problem(r, 403, "Forbidden",
	                  "an industry authority publishes only its own industry's guides");
}

/* The lock applies the UPDATE policy (own industry only): a guide the
 * caller sees but may not lock is another industry's (403), else none (404). */
static void publish_missing(api_req *r)
{
	db_call *call = api_arena_alloc(r->mem, sizeof *call);
	*call = (db_call){ DB_STMT_GUIDE_VISIBLE, r->path_params };
	api_db_run(r, call, 1, publish_scoped);
}

static int publish_decide(api_req *r, const char *from_s, const char **to_s, const char **detail)
{
	core_guide_status from, to;
	if (core_guide_status_parse(&from, from_s) != 0 ||
	    core_guide_transition(&to, from, CORE_GUIDE_ACT_PUBLISH) != 0) {
		*detail = "the guide is already published";
		return -1;
	}
	*to_s = core_guide_status_name(to);
	return 0;
}

/* GUIDE_PUBLISH writes the audit row in the same statement */
static void publish_locked(api_req *r, const db_result *row, const char *to)
{
	db_call *call = api_arena_alloc(r->mem, sizeof *call);
	*call = (db_call){ DB_STMT_GUIDE_PUBLISH, r->path_params };
	api_db_run(r, call, 1, published);
}

static const api_transition publish_transition = {
	.lock = DB_STMT_GUIDE_LOCK,
	.status_col = GUIDE_LOCK_COL_STATUS,
	.version_col = -1, /* GUIDE_LOCK reads no version: publish takes no If-Match */
	.noun = "guide",
	.missing = publish_missing,
	.decide = publish_decide,
	.locked = publish_locked,
};

static void guides_publish(api_req *r)
{
	api_transition_start(r, &publish_transition, r->path_params, 1, false);
}

const api_op op_guides_publish = { .handler = guides_publish, .not_found = NOT_FOUND_DETAIL,
                                   .flags = API_OP_TX };
