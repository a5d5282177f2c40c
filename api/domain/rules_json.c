/*
 * Rule sets from JSON (rules.h gives the shape): every bad field named by
 * its JSON path, all at once.
 */
#include "domain/rules.h"

#include <stdio.h>
#include <string.h>

#include "http/fields.h"
#include "http/log.h"
#include "render/json.h"

static void err(json_t *errors, const char *field, const char *msg)
{
	if (errors)
		api_error_add(errors, field, "invalid", msg);
}

static void required(json_t *errors, const char *field, const char *msg)
{
	if (errors)
		api_error_add(errors, field, "required", msg);
}

/* id, industry, effective_from/to, cycle_years, auto_verify_base_completions. */
static int read_header(core_rule_set *out, json_t *j, json_t *errors)
{
	int rc = 0;
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
	return rc;
}

/* requirements.<level>: {"public","professional"} hours. */
static int read_level(core_rule_set *out, json_t *req, core_level l, json_t *errors)
{
	int rc = 0;
	const char *name = core_level_name(l);
	json_t *lv = json_object_get(req, name);
	char field[96];
	snprintf(field, sizeof field, "requirements.%s", name);
	if (!json_is_object(lv)) {
		required(errors, field, "public and professional hours");
		return -1;
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
	return rc;
}

/* Minimums for every title level, and no key that is not one. */
static int read_requirements(core_rule_set *out, json_t *j, json_t *errors)
{
	json_t *req = json_object_get(j, "requirements");
	if (!json_is_object(req)) {
		required(errors, "requirements", "minimums for every title level");
		return -1;
	}
	int rc = 0;
	for (int l = 0; l < CORE_LEVEL_COUNT; l++)
		if (read_level(out, req, (core_level)l, errors) != 0)
			rc = -1;
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
	return rc;
}

/* conversion_kinds[i]: {"code","min","max"}. */
static int read_kind(core_rule_set *out, json_t *k, size_t i, json_t *errors)
{
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
	if (!ok)
		return -1;
	int krc = core_rules_kind_put(out, code, mn, mx, CORE_CAT_PROFESSIONAL);
	if (krc != 0) {
		snprintf(field, sizeof field, "conversion_kinds[%zu]", i);
		err(errors, field, krc == CORE_ERANGE ? "min must not exceed max"
		                   : krc == CORE_ENOSPC ? "too many conversion kinds"
		                                        : "the code must match [a-z][a-z0-9_]{1,39}");
		return -1;
	}
	return 0;
}

static int read_kinds(core_rule_set *out, json_t *j, json_t *errors)
{
	json_t *kinds = json_object_get(j, "conversion_kinds");
	if (!kinds)
		return 0;
	if (!json_is_array(kinds)) {
		err(errors, "conversion_kinds", "must be an array");
		return -1;
	}
	int rc = 0;
	size_t i;
	json_t *k;
	json_array_foreach(kinds, i, k)
		if (read_kind(out, k, i, errors) != 0)
			rc = -1;
	return rc;
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

/* base_thresholds: shares in percent; the first bad one stops. */
static int read_thresholds(core_rule_set *out, json_t *j, json_t *errors)
{
	json_t *t = json_object_get(j, "base_thresholds");
	if (!json_is_object(t)) {
		/* the city's 2013 defaults when a new set does not say */
		core_rule_set d;
		core_rules_city_2013(&d);
		out->base_city = d.base_city;
		out->base_district = d.base_district;
		return 0;
	}
	if (share_bp(t, "city", "senior_faculty_share", &out->base_city.senior_faculty_bp, errors) ||
	    share_bp(t, "city", "certified_manager_share", &out->base_city.certified_manager_bp, errors) ||
	    share_bp(t, "district", "senior_faculty_share", &out->base_district.senior_faculty_bp, errors) ||
	    share_bp(t, "district", "certified_manager_share", &out->base_district.certified_manager_bp, errors))
		return -1;
	return 0;
}

int api_rules_from_json(core_rule_set *out, json_t *j, json_t *errors)
{
	memset(out, 0, sizeof *out);
	int rc = 0;
	if (read_header(out, j, errors) != 0)
		rc = -1;
	if (read_requirements(out, j, errors) != 0)
		rc = -1;
	if (read_kinds(out, j, errors) != 0)
		rc = -1;
	if (read_thresholds(out, j, errors) != 0)
		rc = -1;
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
