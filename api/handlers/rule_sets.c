/*
 * Rule sets (R-6, R-9c): GET /v1/rule-sets, GET /v1/rule-sets/{id},
 * POST /v1/rule-sets.
 *
 * Rules are data: a rule set is effective-dated and never edited once
 * stored (there is no PATCH); a change is a new set.  Who may create what
 * (API.md "rule sets: read / create"): the city bureau the city default
 * (industry null) or a set of any industry; an industry authority only a set
 * of its own industry.  New sets start today or later (CST), so past years
 * keep being judged by the rules in force then — except that the city bureau
 * (only) loads the rules that were in force in the past: a set with
 * an effective_from before today, of any scope.  Within one scope sets never
 * overlap: a new set starting after the scope's open-ended set closes it on
 * its first day (jxjy._rule_sets_no_overlap); a set in the past also ends
 * the set in force on its first day and, given no end, ends where the next
 * set of the scope starts (sql/0013_rules_time.sql); any other overlap is
 * 409.
 *
 * a set in the past re-decides, in the same transaction, every
 * person-year it governs: the stored decisions of the years whose 1 January
 * it may cover (of its industry, or of every industry for a city set) are
 * read, core selects among the new list of sets which set governs each
 * (core_rules_select) and decides the ones of the new set with the stored
 * title level and hours (core_year_evaluate); the decisions are stored
 * from arrays in one statement.  The answer adds "redecided":
 * {"person_years", "changed"} (changed: compliant flipped).  Above
 * api_jobs_threshold() person-years a job does it instead (handlers/jobs.c):
 * the answer carries "job": {"id", "status"} and "redecided": null.
 * The city default stays open-ended (an end would leave the city without
 * rules), so it takes no effective_to.  R-9c: conversion kinds not yet known
 * are introduced by the city bureau only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/fields.h"
#include "render/json.h"
#include "http/paging.h"
#include "http/resource.h"
#include "domain/rules.h"
#include "handlers.h"
#include "http/op.h"

/* ---- reads ------------------------------------------------------------- */

/* "<days since 1970-01-01>,<uuid>", the key RULE_SETS_LIST issues */
static bool cursor_ok(const char *s)
{
	const char *comma = strchr(s, ',');
	if (!comma || comma == s || comma - s > 7)
		return false;
	for (const char *p = s; p < comma; p++)
		if (*p < '0' || *p > '9')
			return false;
	return api_is_uuid(comma + 1);
}

/* by hand: the cursor is not a time-id one (API_OP_PAGED), and ?industry
 * also takes "city" (API_PARAM_INDUSTRY does not) */
static void rule_sets_list(api_req *r)
{
	api_page *pg = api_list_page(r, cursor_ok);
	if (!pg)
		return;
	const char *industry = api_query(r, "industry");
	if (industry && strcmp(industry, "city") != 0 && !api_industry_code_ok(industry)) {
		api_reply_problem(r, 400, "Bad query",
		                  "industry must be an industry code, or city for the city default");
		return;
	}
	const char *v[] = { pg->after, industry, pg->limit_plus_one };
	api_list_run(r, pg, DB_STMT_RULE_SETS_LIST, v, 3);
}

static const char *const list_query[] = { "limit", "cursor", "industry", NULL };
const api_op op_rule_sets_list = { .handler = rule_sets_list, .query = list_query };

const api_op op_rule_sets_get = { .handler = api_op_get_json, .stmt = DB_STMT_RULE_SETS_GET,
                                  .not_found = "no such rule set" };

/* ---- create ------------------------------------------------------------ */

typedef struct create_ctx {
	core_rule_set rs;
	char id[40];
	const char *industry;       /* NULL: the city default */
	const char *name;
	char from[CORE_DATE_BUFSZ], to[CORE_DATE_BUFSZ];
	char cycle[4];
	char pct[4][16];
	json_t *industry_v, *to_v, *kinds_v, *any; /* the body (create_fields) */
	json_t *kinds_in;           /* the body's conversion_kinds, or NULL for the defaults */
	const char *codes_json;     /* every kind code, JSON array */
	const char *minimums_json;
	const char *conversions_json;
	const char *new_forms_json; /* R-9c kinds to add to jxjy.forms */
	const char *new_codes_json;
	int n_new;
	const char *v_lock[1], *v_scope[4], *v_kinds[1];
	const char *v_forms[1], *v_insert[11], *v_min[2], *v_conv[2], *v_created[4];
	db_call calls[5];
	/* a set in the past and the person-years it governs */
	bool past;
	const char *doc;            /* the stored set, as CREATED answered it */
	char first[12], last[12];   /* the years it may govern */
	char limit[24];
	char job_id[40];
	long governed, changed;
	const char *v_count[3], *v_read[6], *v_save[6], *v_job[6];
} create_ctx;

/* unknown keys of a nested object, reported with their JSON path */
static void unknown_nested(json_t *obj, const char *prefix, const char *const *allowed,
                           json_t *errors)
{
	if (!json_is_object(obj))
		return;
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(key, *a) == 0)
				ok = true;
		if (!ok) {
			char field[160], msg[160];
			snprintf(field, sizeof field, "%s.%.60s", prefix, key);
			snprintf(msg, sizeof msg, "unknown field \"%.60s\"", key);
			api_error_add(errors, field, "unknown_field", msg);
		}
	}
}

/* The nested objects' keys (the top level is the field table's). */
static void check_shape(json_t *body, json_t *errors)
{
	static const char *const level[] = { "public", "professional", NULL };
	static const char *const kind[] = { "code", "min", "max", "name", NULL };
	static const char *const scopes[] = { "city", "district", NULL };
	static const char *const shares[] = { "senior_faculty_share", "certified_manager_share", NULL };
	const char *key;
	json_t *v;
	json_object_foreach(json_object_get(body, "requirements"), key, v) {
		char prefix[96];
		snprintf(prefix, sizeof prefix, "requirements.%.40s", key);
		unknown_nested(v, prefix, level, errors);
	}
	json_t *kinds = json_object_get(body, "conversion_kinds");
	size_t i;
	json_array_foreach(kinds, i, v) {
		char prefix[64];
		snprintf(prefix, sizeof prefix, "conversion_kinds[%zu]", i);
		if (!json_is_object(v)) {
			api_error_add(errors, prefix, "invalid", "must be an object {code, min, max, name}");
			continue;
		}
		unknown_nested(v, prefix, kind, errors);
		/* the parser merges repeated codes; a repeated code is a mistake */
		const char *code = json_string_value(json_object_get(v, "code"));
		for (size_t j = 0; code && j < i; j++) {
			const char *other = json_string_value(json_object_get(json_array_get(kinds, j), "code"));
			if (other && strcmp(code, other) == 0) {
				char field[80];
				snprintf(field, sizeof field, "conversion_kinds[%zu].code", i);
				api_error_add(errors, field, "duplicate", "this kind appears twice in the set");
				break;
			}
		}
		json_t *name = json_object_get(v, "name");
		if (name && !json_is_null(name) &&
		    (!json_is_string(name) || json_string_length(name) == 0 || json_string_length(name) > 200)) {
			char field[80];
			snprintf(field, sizeof field, "conversion_kinds[%zu].name", i);
			api_error_add(errors, field, "invalid", "must be a string of 1 to 200 bytes");
		}
	}
	json_t *t = json_object_get(body, "base_thresholds");
	if (json_is_object(t)) {
		unknown_nested(t, "base_thresholds", scopes, errors);
		unknown_nested(json_object_get(t, "city"), "base_thresholds.city", shares, errors);
		unknown_nested(json_object_get(t, "district"), "base_thresholds.district", shares, errors);
	} else if (t) {
		api_error_add(errors, "base_thresholds", "invalid", "must be an object {city, district}");
	}
}

/* a JSON value serialised into the arena (j is stolen) */
static const char *dump(api_req *r, json_t *j)
{
	const char *copy = api_json_dump_arena(r->mem, j, JSON_COMPACT);
	json_decref(j);
	return copy;
}

static json_t *hours_string(int32_t tenths)
{
	char buf[24];
	core_hours_format(buf, sizeof buf, tenths);
	return json_string(buf);
}

static bool build_values(api_req *r, create_ctx *c)
{
	const core_rule_set *rs = &c->rs;
	json_t *mins = json_array();
	for (int l = 0; l < CORE_LEVEL_COUNT; l++)
		json_array_append_new(mins, json_pack("{s:s, s:o, s:o}", "level", core_level_name((core_level)l),
		                                      "public", hours_string(rs->min_public[l]),
		                                      "professional", hours_string(rs->min_professional[l])));
	json_t *conv = json_array(), *codes = json_array();
	for (size_t i = 0; i < rs->n_kinds; i++) {
		json_array_append_new(conv, json_pack("{s:s, s:o, s:o}", "code", rs->kinds[i].code,
		                                      "min", hours_string(rs->kinds[i].min),
		                                      "max", hours_string(rs->kinds[i].max)));
		json_array_append_new(codes, json_string(rs->kinds[i].code));
	}
	c->minimums_json = dump(r, mins);
	c->conversions_json = dump(r, conv);
	c->codes_json = dump(r, codes);
	const core_base_thresholds *t[4] = { &rs->base_city, &rs->base_city, &rs->base_district,
	                                     &rs->base_district };
	for (int i = 0; i < 4; i++) {
		int bp = i % 2 == 0 ? t[i]->senior_faculty_bp : t[i]->certified_manager_bp;
		snprintf(c->pct[i], sizeof c->pct[i], "%d.%02d", bp / 100, bp % 100);
	}
	if (core_date_format(c->from, sizeof c->from, rs->effective_from) != 0)
		return false;
	if (rs->has_effective_to && core_date_format(c->to, sizeof c->to, rs->effective_to) != 0)
		return false;
	snprintf(c->cycle, sizeof c->cycle, "%d", rs->cycle_years);
	return true;
}

/* The 201 answer: the stored set, with what R-32 re-decided (redecided
 * NULL: the creation governs no stored year; job: a job does it). */
static void reply_created(api_req *r, bool redecided, const char *job)
{
	create_ctx *c = r->ctx;
	api_reply_header(r, "Location", api_arena_printf(r->mem, "/v1/rule-sets/%s", c->id));
	if (!c->past) {
		api_reply_doc(r, 201, NULL, c->doc);
		return;
	}
	json_t *o = json_loads(c->doc, 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		api_reply_problem(r, 500, "Internal error", "the new rule set could not be read back");
		return;
	}
	json_object_set_new(o, "redecided",
	                    redecided ? json_pack("{s:I, s:I}", "person_years", (json_int_t)c->governed,
	                                          "changed", (json_int_t)c->changed)
	                              : json_null());
	if (job)
		json_object_set_new(o, "job", json_loads(job, 0, NULL));
	api_reply_json(r, 201, o);
}

static void redecided_saved(api_req *r, db_result *const *res, int n)
{
	reply_created(r, true, NULL);
}

/* every rule set (the new list) and the stored decisions: core decides */
static void redecide(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	const core_rule_set *sets;
	/* also puts the new list into this worker's cache at once */
	int ns = api_rules_cached(&sets, db_result_value(res[0], 0, RULE_SETS_ALL_COL_RULE_SETS));
	api_redecide d = { 0 };
	if (ns < 0 || api_redecide_rows(&d, res[1], sets, (size_t)ns, c->id) != 0) {
		api_redecide_free(&d);
		api_reply_problem(r, 500, "Internal error", "the person-years could not be re-decided");
		return;
	}
	c->governed = d.governed;
	c->changed = d.changed;
	for (int i = 0; i < API_REDECIDE__COLS; i++)
		c->v_save[i] = api_arena_strdup(r->mem, d.col[i]);
	api_redecide_free(&d);
	if (c->governed == 0) {
		reply_created(r, true, NULL);
		return;
	}
	c->calls[0] = (db_call){ DB_STMT_RULE_SETS_REDECIDE_SAVE, c->v_save };
	api_db_run(r, c->calls, 1, redecided_saved);
}

static void job_created(api_req *r, db_result *const *res, int n)
{
	const char *job = db_result_value(res[0], 0, JOBS_INSERT_COL_JOB);
	if (!job) {
		api_reply_problem(r, 500, "Internal error", "the job could not be read back");
		return;
	}
	reply_created(r, false, job);
}

/* How many stored decisions the new set may govern: in this transaction,
 * or a job above the threshold. */
static void counted(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	long count;
	if (db_result_int(res[0], 0, RULE_SETS_REDECIDE_COUNT_COL_N, &count) != 0) {
		api_reply_problem(r, 500, "Internal error", "the person-years could not be counted");
		return;
	}
	if (count == 0) {
		reply_created(r, true, NULL);
		return;
	}
	snprintf(c->limit, sizeof c->limit, "%ld", count);
	if (count > api_jobs_threshold(r)) {
		api_uuid_v4(c->job_id);
		const char **v = c->v_job;
		v[0] = c->job_id;
		v[1] = c->id;
		v[2] = c->industry;
		v[3] = c->first;
		v[4] = c->last;
		v[5] = c->limit;
		c->calls[0] = (db_call){ DB_STMT_JOBS_INSERT, c->v_job };
		api_db_run(r, c->calls, 1, job_created);
		return;
	}
	const char **v = c->v_read;
	v[0] = c->industry;
	v[1] = c->first;
	v[2] = c->last;
	v[3] = NULL;
	v[4] = NULL;
	v[5] = c->limit;
	c->calls[0] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	c->calls[1] = (db_call){ DB_STMT_RULE_SETS_REDECIDE_READ, c->v_read };
	api_db_run(r, c->calls, 2, redecide);
}

/* The years whose decisions a set [from, to) may change: from its first
 * year (core's R-6 fallback may let it judge the year it starts in) to the
 * last year whose 1 January is before its end.  False: none. */
static bool governed_years(create_ctx *c, const char *to)
{
	int first = c->rs.effective_from.y, last = API_YEAR_MAX;
	core_date end;
	if (to && core_date_parse(&end, to) == 0)
		last = end.m == 1 && end.d == 1 ? end.y - 1 : end.y;
	if (first < API_YEAR_MIN)
		first = API_YEAR_MIN;
	if (last > API_YEAR_MAX)
		last = API_YEAR_MAX;
	snprintf(c->first, sizeof c->first, "%d", first);
	snprintf(c->last, sizeof c->last, "%d", last);
	return first <= last;
}

static void created(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	const char *doc = db_result_value(res[n - 1], 0, RULE_SETS_CREATED_COL_RULE_SET);
	if (!doc) {
		api_reply_problem(r, 500, "Internal error", "the new rule set could not be read back");
		return;
	}
	c->doc = api_arena_strdup(r->mem, doc);
	if (!c->past) {
		reply_created(r, false, NULL);
		return;
	}
	/* the stored end: the trigger may have set one (the next set's start) */
	json_t *o = json_loads(doc, 0, NULL);
	const char *to = json_string_value(json_object_get(o, "effective_to"));
	bool any = governed_years(c, to);
	json_decref(o);
	if (!any) {
		reply_created(r, true, NULL);
		return;
	}
	c->v_count[0] = c->industry;
	c->v_count[1] = c->first;
	c->v_count[2] = c->last;
	c->calls[0] = (db_call){ DB_STMT_RULE_SETS_REDECIDE_COUNT, c->v_count };
	api_db_run(r, c->calls, 1, counted);
}

/* Is code a known form: 1 (*achievement set), 0 (unknown), or DB_EVALUE. */
static int known_form(bool *achievement, const db_result *kinds, const char *code)
{
	for (int i = 0; i < db_result_rows(kinds); i++) {
		const char *known;
		if (db_result_str(kinds, i, RULE_SETS_KINDS_COL_CODE, &known) != 0)
			return DB_EVALUE;
		if (strcmp(known, code) == 0)
			return db_result_bool(kinds, i, RULE_SETS_KINDS_COL_IS_ACHIEVEMENT, achievement) != 0
			           ? DB_EVALUE : 1;
	}
	return 0;
}

/* R-9c: only the city bureau introduces kinds; forms of education are not
 * achievement kinds.  The kinds it introduces go to c (new_forms_json,
 * new_codes_json); false when kinds cannot be read. */
static bool check_kinds(api_req *r, create_ctx *c, const db_result *kinds, json_t *errors)
{
	json_t *new_forms = json_array(), *new_codes = json_array();
	size_t i;
	json_t *k;
	bool ok = true;
	json_array_foreach(c->kinds_in, i, k) {
		const char *code = json_string_value(json_object_get(k, "code"));
		if (!code)
			continue;
		bool ach = false;
		int known = known_form(&ach, kinds, code);
		char field[64];
		snprintf(field, sizeof field, "conversion_kinds[%zu].code", i);
		if (known < 0) {
			ok = false;
			break;
		} else if (known && !ach) {
			api_error_add(errors, field, "not_achievement",
			              "this code is a form of education, not an achievement kind");
		} else if (!known && r->claims.role != API_ROLE_CITY) {
			api_error_add(errors, field, "unknown",
			              "no such achievement kind; only the city bureau introduces new kinds (R-9c)");
		} else if (!known) {
			const char *name = json_string_value(json_object_get(k, "name"));
			json_array_append_new(new_forms, json_pack("{s:s, s:s}", "code", code, "name",
			                                           name ? name : code));
			json_array_append_new(new_codes, json_string(code));
		}
	}
	c->n_new = (int)json_array_size(new_forms);
	c->new_forms_json = dump(r, new_forms);
	c->new_codes_json = dump(r, new_codes);
	return ok;
}

static void insert(api_req *r)
{
	create_ctx *c = r->ctx;
	int k = 0;
	if (c->n_new > 0) {
		c->v_forms[0] = c->new_forms_json;
		c->calls[k++] = (db_call){ DB_STMT_RULE_SETS_FORMS_INSERT, c->v_forms };
	}
	const char **v = c->v_insert;
	v[0] = c->id;
	v[1] = c->industry;
	v[2] = c->name;
	v[3] = c->from;
	v[4] = c->rs.has_effective_to ? c->to : NULL;
	v[5] = c->cycle;
	v[6] = c->rs.auto_verify_base_completions ? "true" : "false";
	for (int i = 0; i < 4; i++)
		v[7 + i] = c->pct[i];
	c->calls[k++] = (db_call){ DB_STMT_RULE_SETS_INSERT, c->v_insert };
	c->v_min[0] = c->id;
	c->v_min[1] = c->minimums_json;
	c->calls[k++] = (db_call){ DB_STMT_RULE_SETS_MINIMUMS_INSERT, c->v_min };
	c->v_conv[0] = c->id;
	c->v_conv[1] = c->conversions_json;
	c->calls[k++] = (db_call){ DB_STMT_RULE_SETS_CONVERSIONS_INSERT, c->v_conv };
	c->v_created[0] = c->id;
	/* v_created[1] and [3], the set it ends and its end before, are set by
	 * checked() */
	c->v_created[2] = c->new_codes_json;
	c->calls[k++] = (db_call){ DB_STMT_RULE_SETS_CREATED, c->v_created };
	api_db_run(r, c->calls, k, created);
}

/* The scope check and the kinds known: decide, then insert. */
static void checked(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	const db_result *scope = res[1], *kinds = res[2];
	json_t *errors = json_array();
	bool exists = false;
	int rc = db_result_bool(scope, 0, RULE_SETS_SCOPE_CHECK_COL_INDUSTRY_EXISTS, &exists);
	if (rc == 0 && !exists)
		api_error_add(errors, "industry", "unknown", "no such industry code");
	if (rc != 0 || !check_kinds(r, c, kinds, errors)) {
		json_decref(errors);
		api_reply_problem(r, 500, "Internal error", "the scope of the rule set could not be read");
		return;
	}
	if (api_errors_reply(r, errors))
		return;
	const char *overlap = db_result_value(scope, 0, RULE_SETS_SCOPE_CHECK_COL_OVERLAPPING);
	if (overlap) {
		json_t *o = json_loads(overlap, 0, NULL);
		const char *to = json_string_value(json_object_get(o, "effective_to"));
		char *detail = api_arena_printf(
			r->mem,
			"the new rule set would overlap rule set \"%s\" (in force from %s %s%s) of the same scope; "
			"sets of one scope never overlap and a set once stored is never changed: a new set "
			"closes the scope's open-ended set only when it starts after that set's first day "
			"(one in the past ends the set in force on its first day and reaches at most to the "
			"next set's start)",
			json_string_value(json_object_get(o, "id")),
			json_string_value(json_object_get(o, "effective_from")),
			to ? "until " : "with no end", to ? to : "");
		json_decref(o);
		api_reply_problem(r, 409, "Conflict", detail);
		return;
	}
	const char *closed = db_result_value(scope, 0, RULE_SETS_SCOPE_CHECK_COL_CLOSES);
	const char *closed_to = db_result_value(scope, 0, RULE_SETS_SCOPE_CHECK_COL_CLOSES_TO);
	c->v_created[1] = closed ? api_arena_strdup(r->mem, closed) : NULL;
	c->v_created[3] = closed_to ? api_arena_strdup(r->mem, closed_to) : NULL;
	insert(r);
}

/* The caller's right on the scope (403, before any field error), then what
 * the field table cannot say: the nested objects, core's rules of a set
 * (api_rules_from_json, core_rules_validate) and the dates. */
static void create_check(api_req *r, json_t *errors)
{
	create_ctx *c = r->ctx;
	json_t *body = r->body, *ind = c->industry_v;
	if (json_is_string(ind) && json_string_length(ind) == 0)
		api_error_add(errors, "industry", "invalid", "must be an industry code or null");
	c->industry = json_is_string(ind) && json_string_length(ind) > 0 ? json_string_value(ind) : NULL;
	if (r->claims.role == API_ROLE_INDUSTRY && (!ind || json_is_string(ind)) &&
	    (!c->industry || strcmp(c->industry, r->claims.jur) != 0)) {
		api_check_refuse(r, 403, "Forbidden",
		                 c->industry ? "an industry authority creates rule sets only for its own industry"
		                             : "only the city bureau creates the city default rule set");
		return;
	}
	check_shape(body, errors);
	(void)api_rules_from_json(&c->rs, body, errors);
	if (json_is_array(c->kinds_v)) {
		c->kinds_in = c->kinds_v;
	} else if (!c->kinds_v) {
		/* not given: the R-9 defaults, as base_thresholds default to 2013's */
		core_rule_set d;
		core_rules_city_2013(&d);
		c->rs.n_kinds = d.n_kinds;
		memcpy(c->rs.kinds, d.kinds, sizeof d.kinds);
	}
	api_uuid_v4(c->id);
	snprintf(c->rs.id, sizeof c->rs.id, "%s", c->id);
	core_error_list list;
	core_error_list_init(&list);
	if (core_rules_validate(&list, &c->rs) != 0)
		api_errors_from_core_once(errors, &list);
	/* the rules in force in the past are loaded by the city bureau only */
	if (!api_errors_have(errors, "effective_from") && core_date_valid(c->rs.effective_from) &&
	    core_date_compare(c->rs.effective_from, api_today()) < 0) {
		if (r->claims.role != API_ROLE_CITY) {
			api_check_refuse(r, 403, "Forbidden",
			                 "only the city bureau creates a rule set in the past (R-32); a new "
			                 "set starts today or later");
			return;
		}
		c->past = true;
	}
	if (!c->industry && c->to_v && !api_errors_have(errors, "industry"))
		api_error_add(errors, "effective_to", "not_allowed",
		              "the city default is open-ended (a later city default closes it); an end would "
		              "leave years without rules");
}

static void rule_sets_create(api_req *r)
{
	create_ctx *c = r->ctx;
	if (!build_values(r, c)) {
		/* validated dates always format: a broken invariant, not the caller's */
		api_reply_problem(r, 500, "Internal error", "the rule set's dates could not be written");
		return;
	}
	c->v_lock[0] = c->industry;
	c->v_scope[0] = c->industry;
	c->v_scope[1] = c->from;
	c->v_scope[2] = c->rs.has_effective_to ? c->to : NULL;
	c->v_scope[3] = c->past ? "true" : "false";
	c->v_kinds[0] = c->codes_json;
	c->calls[0] = (db_call){ DB_STMT_RULE_SETS_SCOPE_LOCK, c->v_lock };
	c->calls[1] = (db_call){ DB_STMT_RULE_SETS_SCOPE_CHECK, c->v_scope };
	c->calls[2] = (db_call){ DB_STMT_RULE_SETS_KINDS, c->v_kinds };
	api_db_run(r, c->calls, 3, checked);
}

/* the top level; the values are core's to read (api_rules_from_json) */
static const api_field create_fields[] = {
	API_FIELD_STR(create_ctx, name, "name", API_REQUIRED, 200),
	API_FIELD_JSON(create_ctx, industry_v, "industry", 0),
	API_FIELD_JSON(create_ctx, any, "effective_from", 0),
	API_FIELD_JSON(create_ctx, to_v, "effective_to", 0),
	API_FIELD_JSON(create_ctx, any, "cycle_years", 0),
	API_FIELD_JSON(create_ctx, any, "auto_verify_base_completions", 0),
	API_FIELD_JSON(create_ctx, any, "requirements", 0),
	API_FIELD_JSON(create_ctx, kinds_v, "conversion_kinds", 0),
	API_FIELD_JSON(create_ctx, any, "base_thresholds", 0),
	API_FIELDS_END,
};
const api_op op_rule_sets_create = { .handler = rule_sets_create, .fields = create_fields,
                                     .check = create_check, .ctx_size = sizeof(create_ctx),
                                     .flags = API_OP_TX };
