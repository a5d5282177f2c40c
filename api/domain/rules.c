#include "domain/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/fields.h"
#include "http/log.h"

static void err(json_t *errors, const char *field, const char *msg)
{
	if (errors)
		api_error_add(errors, field, "invalid", msg);
}

static int share_bp(json_t *t, const char *scope, const char *name, int *out, json_t *errors)
{
	char field[96];
	snprintf(field, sizeof field, "base_thresholds.%s.%s", scope, name);
	json_t *v = json_object_get(json_object_get(t, scope), name);
	if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 100) {
		err(errors, field, "must be a percentage from 0 to 100");
		return -1;
	}
	double bp = json_number_value(v) * 100.0;
	*out = (int)(bp + 0.5);
	if ((double)*out - bp > 1e-6 || bp - (double)*out > 1e-6) {
		err(errors, field, "at most two decimals");
		return -1;
	}
	return 0;
}

int api_rules_from_json(core_rule_set *out, json_t *j, json_t *errors)
{
	int rc = 0;
	memset(out, 0, sizeof *out);
	const char *s;
	if ((s = json_string_value(json_object_get(j, "id"))))
		snprintf(out->id, sizeof out->id, "%s", s);
	json_t *ind = json_object_get(j, "industry");
	if (ind && !json_is_null(ind)) {
		if (!json_is_string(ind) || json_string_length(ind) >= sizeof out->industry) {
			err(errors, "industry", "must be an industry code or null");
			rc = -1;
		} else {
			snprintf(out->industry, sizeof out->industry, "%s", json_string_value(ind));
		}
	}
	if (!api_field_date(j, "effective_from", true, &out->effective_from, errors))
		rc = -1;
	json_t *to = json_object_get(j, "effective_to");
	if (to && !json_is_null(to)) {
		if (!api_field_date(j, "effective_to", false, &out->effective_to, errors))
			rc = -1;
		else
			out->has_effective_to = true;
	}
	long cy = 0;
	if (!api_field_int(j, "cycle_years", true, 4, 5, &cy, errors))
		rc = -1;
	out->cycle_years = (int)cy;
	bool av = true;
	json_t *avj = json_object_get(j, "auto_verify_base_completions");
	if (avj && !api_field_bool(j, "auto_verify_base_completions", false, &av, errors))
		rc = -1;
	out->auto_verify_base_completions = av;

	json_t *req = json_object_get(j, "requirements");
	if (!json_is_object(req)) {
		if (errors)
			api_error_add(errors, "requirements", "required", "minimums for every title level");
		rc = -1;
	} else {
		for (int l = 0; l < CORE_LEVEL_COUNT; l++) {
			const char *name = core_level_name((core_level)l);
			json_t *lv = json_object_get(req, name);
			char field[96];
			snprintf(field, sizeof field, "requirements.%s", name);
			if (!json_is_object(lv)) {
				if (errors)
					api_error_add(errors, field, "required", "public and professional hours");
				rc = -1;
				continue;
			}
			snprintf(field, sizeof field, "requirements.%s.public", name);
			if (!api_field_hours(lv, "public", true, true, &out->min_public[l], NULL)) {
				err(errors, field, "hours with at most one decimal, 0 or more");
				rc = -1;
			}
			snprintf(field, sizeof field, "requirements.%s.professional", name);
			if (!api_field_hours(lv, "professional", true, true, &out->min_professional[l], NULL)) {
				err(errors, field, "hours with at most one decimal, 0 or more");
				rc = -1;
			}
		}
		const char *key;
		json_t *v;
		json_object_foreach(req, key, v) {
			core_level l;
			if (core_level_parse(&l, key) != 0) {
				char field[96];
				snprintf(field, sizeof field, "requirements.%.40s", key);
				err(errors, field, "not a title level");
				rc = -1;
			}
		}
	}
	json_t *kinds = json_object_get(j, "conversion_kinds");
	if (kinds && !json_is_array(kinds)) {
		err(errors, "conversion_kinds", "must be an array");
		rc = -1;
	} else if (kinds) {
		size_t i;
		json_t *k;
		json_array_foreach(kinds, i, k) {
			char field[64];
			int32_t mn = 0, mx = 0;
			const char *code = json_string_value(json_object_get(k, "code"));
			bool ok = code != NULL;
			if (!code) {
				snprintf(field, sizeof field, "conversion_kinds[%zu].code", i);
				err(errors, field, "a kind code is required");
			}
			if (!api_field_hours(k, "min", true, false, &mn, NULL)) {
				snprintf(field, sizeof field, "conversion_kinds[%zu].min", i);
				err(errors, field, "hours more than 0 with at most one decimal");
				ok = false;
			}
			if (!api_field_hours(k, "max", true, false, &mx, NULL)) {
				snprintf(field, sizeof field, "conversion_kinds[%zu].max", i);
				err(errors, field, "hours more than 0 with at most one decimal");
				ok = false;
			}
			if (!ok) {
				rc = -1;
				continue;
			}
			int krc = core_rules_kind_put(out, code, mn, mx, CORE_CAT_PROFESSIONAL);
			if (krc != 0) {
				snprintf(field, sizeof field, "conversion_kinds[%zu]", i);
				err(errors, field, krc == CORE_ERANGE ? "min must not exceed max"
				                   : krc == CORE_ENOSPC ? "too many conversion kinds"
				                                        : "the code must match [a-z][a-z0-9_]{1,39}");
				rc = -1;
			}
		}
	}
	json_t *t = json_object_get(j, "base_thresholds");
	if (!json_is_object(t)) {
		/* the city's 2013 defaults when a new set does not say */
		core_rule_set d;
		core_rules_city_2013(&d);
		out->base_city = d.base_city;
		out->base_district = d.base_district;
	} else if (share_bp(t, "city", "senior_faculty_share", &out->base_city.senior_faculty_bp, errors) ||
	           share_bp(t, "city", "certified_manager_share", &out->base_city.certified_manager_bp, errors) ||
	           share_bp(t, "district", "senior_faculty_share", &out->base_district.senior_faculty_bp, errors) ||
	           share_bp(t, "district", "certified_manager_share", &out->base_district.certified_manager_bp, errors)) {
		rc = -1;
	}
	return rc;
}

int api_rules_parse_array(core_rule_set *out, size_t max, const char *json)
{
	json_t *a = json_loads(json ? json : "[]", 0, NULL);
	if (!json_is_array(a)) {
		json_decref(a);
		return -1;
	}
	size_t i, n = 0;
	json_t *j;
	json_array_foreach(a, i, j) {
		if (n >= max)
			break;
		if (api_rules_from_json(&out[n], j, NULL) != 0) {
			api_log_write(API_LOG_ERROR, NULL, "stored rule set %zu does not parse", i);
			continue;
		}
		n++;
	}
	json_decref(a);
	return (int)n;
}

/* The parsed sets of the last JSON text this worker saw: the text changes
 * only when a rule set is added or closed, and parsing it costs more than
 * the rest of a request.  One worker, one thread. */
static struct {
	char *json;
	size_t len;
	int n;
	core_rule_set sets[API_RULE_SETS_MAX];
} cache;

int api_rules_cached(const core_rule_set **out, const char *json)
{
	size_t len = json ? strlen(json) : 0;
	*out = cache.sets;
	if (cache.json && cache.len == len && memcmp(cache.json, json, len) == 0)
		return cache.n;
	free(cache.json);
	cache.json = NULL;
	int n = api_rules_parse_array(cache.sets, API_RULE_SETS_MAX, json);
	if (n < 0)
		return -1;
	cache.json = malloc(len + 1);
	if (cache.json) {
		memcpy(cache.json, json ? json : "", len + 1);
		cache.len = len;
		cache.n = n;
	}
	return n;
}

const core_rule_set *api_rules_select(const char *rule_sets_json, const char *industry, int year)
{
	const core_rule_set *sets, *rs = NULL;
	int n = api_rules_cached(&sets, rule_sets_json);
	if (n < 0 || core_rules_select(&rs, sets, (size_t)n, industry, year) != 0)
		return NULL;
	return rs;
}

int api_rules_decide(core_year_verdict *out, const char *rule_sets_json, const char *industry,
                     const core_year_input *in)
{
	const core_rule_set *sets, *rs = NULL;
	int n = api_rules_cached(&sets, rule_sets_json);
	if (n < 0)
		return CORE_EINVAL;
	int rc = core_rules_select(&rs, sets, (size_t)n, industry, in->year);
	if (rc != 0)
		return rc;
	return core_year_evaluate(out, rs, in);
}

/* ---- the person-year summary ------------------------------------------ */

typedef struct refresh {
	const char *person;
	char year[12];
	api_summary_done done;
	core_year_verdict v;
	const char *values[11];
	char num[6][24];
	db_call calls[2];
	const char *p2[2];
} refresh;

static int32_t tenths_of(const char *numeric)
{
	int32_t t = 0;
	if (!numeric || core_hours_parse(&t, numeric) != 0)
		return 0;
	return t;
}

static void saved(api_req *r, db_result *const *res, int n)
{
	refresh *f = r->ctx_summary;
	(void)res;
	(void)n;
	f->done(r, &f->v);
}

static void summed(api_req *r, db_result *const *res, int n)
{
	refresh *f = r->ctx_summary;
	(void)n;
	const db_result *h = res[0];
	core_year_input in = { .year = atoi(f->year) };
	in.verified_public = tenths_of(db_result_value(h, 0, 0));
	in.verified_professional = tenths_of(db_result_value(h, 0, 1));
	in.pending_public = tenths_of(db_result_value(h, 0, 2));
	in.pending_professional = tenths_of(db_result_value(h, 0, 3));
	const char *level = db_result_value(h, 0, 4);
	const char *industry = db_result_value(h, 0, 5);
	if (!level || core_level_parse(&in.level, level) != 0) {
		api_log_write(API_LOG_ERROR, r->request_id, "person-year without a title level");
		f->done(r, NULL);
		return;
	}
	int rc = api_rules_decide(&f->v, db_result_value(res[1], 0, 0), industry, &in);
	if (rc != 0) {
		api_log_write(API_LOG_ERROR, r->request_id, "no rule set decides %s (%s)", f->year,
		              core_error_message(rc));
		f->done(r, NULL);
		return;
	}
	const core_year_verdict *v = &f->v;
	int32_t hours[6] = { v->earned_public, v->earned_professional, v->pending_public,
	                     v->pending_professional, v->required_public, v->required_professional };
	for (int i = 0; i < 6; i++)
		core_hours_format(f->num[i], sizeof f->num[i], hours[i]);
	f->values[0] = f->person;
	f->values[1] = f->year;
	f->values[2] = v->rule_set;
	f->values[3] = core_level_name(v->level);
	for (int i = 0; i < 6; i++)
		f->values[4 + i] = f->num[i];
	f->values[10] = v->compliant ? "true" : "false";
	f->calls[0] = (db_call){ DB_STMT_PERSON_YEAR_SAVE, f->values };
	api_db_run(r, f->calls, 1, saved);
}

void api_summary_refresh(api_req *r, const char *person, int year, api_summary_done done)
{
	refresh *f = api_arena_alloc(r->mem, sizeof *f);
	if (!f) {
		done(r, NULL);
		return;
	}
	f->person = person;
	snprintf(f->year, sizeof f->year, "%d", year);
	f->done = done;
	f->p2[0] = person;
	f->p2[1] = f->year;
	f->calls[0] = (db_call){ DB_STMT_PERSON_YEAR_HOURS, f->p2 };
	f->calls[1] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	r->ctx_summary = f;
	api_db_tx(r);
	api_db_run(r, f->calls, 2, summed);
}
