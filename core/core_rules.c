/* core_rules.c — rule sets as data and their selection */
#include "core_rules.h"

#include "core_hours.h"

#include <stdio.h>
#include <string.h>

static void set_str(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);

	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* ^[a-z][a-z0-9_]{1,39}$, the syntax of sql/ forms.code */
static bool kind_code_ok(const char *code)
{
	size_t i;

	if (!(code[0] >= 'a' && code[0] <= 'z'))
		return false;
	for (i = 1; code[i] != '\0'; i++) {
		char c = code[i];

		if (i >= CORE_KIND_MAX - 1)
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return i >= 2;
}

/* String fields of the struct are char arrays the caller filled: they must
 * hold a NUL. */
static bool terminated(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

int core_rules_kind_put(core_rule_set *rs, const char *code, int32_t min,
                        int32_t max, core_category category)
{
	size_t i;

	if (code == NULL || !kind_code_ok(code))
		return CORE_EINVAL;
	if ((int)category < 0 || category >= CORE_CAT_COUNT)
		return CORE_EINVAL;
	if (min <= 0 || max < min || max > CORE_HOURS_MAX)
		return CORE_ERANGE;
	for (i = 0; i < rs->n_kinds && i < CORE_KINDS_MAX; i++)
		if (strcmp(rs->kinds[i].code, code) == 0)
			break;
	if (i == rs->n_kinds) {
		if (rs->n_kinds >= CORE_KINDS_MAX)
			return CORE_ENOSPC;
		rs->n_kinds++;
	}
	set_str(rs->kinds[i].code, sizeof rs->kinds[i].code, code);
	rs->kinds[i].min = min;
	rs->kinds[i].max = max;
	rs->kinds[i].category = category;
	return 0;
}

void core_rules_city_2013(core_rule_set *out)
{
	static const struct { const char *code; int32_t min, max; } defaults[] = {
		{ "paper_provincial", 100, 150 },
		{ "paper_national", 150, 200 },
		{ "monograph", 200, 250 },
		{ "award_provincial", 150, 200 },
		{ "award_national", 200, 250 },
	};

	memset(out, 0, sizeof *out);
	set_str(out->id, sizeof out->id, CORE_RULES_CITY_2013_ID);
	out->industry[0] = '\0';
	out->effective_from = core_date_make(2013, 3, 12);
	out->has_effective_to = false;
	out->cycle_years = 5;
	for (int l = 0; l < CORE_LEVEL_COUNT; l++) {
		bool junior = core_level_is_junior((core_level)l);

		/* 72 h (12 days) or 42 h (7 days); R-5: 1/3 public, 2/3
		 * professional */
		out->min_public[l] = junior ? 140 : 240;
		out->min_professional[l] = junior ? 280 : 480;
	}
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
		core_conversion_kind *k = &out->kinds[i];

		set_str(k->code, sizeof k->code, defaults[i].code);
		k->min = defaults[i].min;
		k->max = defaults[i].max;
		k->category = CORE_CAT_PROFESSIONAL;
	}
	out->n_kinds = sizeof defaults / sizeof defaults[0];
	out->auto_verify_base_completions = true;
	out->base_city.senior_faculty_bp = 6000;
	out->base_city.certified_manager_bp = 8000;
	out->base_district = out->base_city;
}

static void check_thresholds(core_error_list *out, const char *level,
                             const core_base_thresholds *t, int *bad)
{
	char field[CORE_FIELD_MAX];

	if (t->senior_faculty_bp < 0 || t->senior_faculty_bp > 10000) {
		snprintf(field, sizeof field, "base_thresholds.%s.senior_faculty_share", level);
		core_error_list_add(out, field, CORE_FE_OUT_OF_RANGE,
		                    "share must be a percentage from 0 to 100");
		*bad = 1;
	}
	if (t->certified_manager_bp < 0 || t->certified_manager_bp > 10000) {
		snprintf(field, sizeof field, "base_thresholds.%s.certified_manager_share", level);
		core_error_list_add(out, field, CORE_FE_OUT_OF_RANGE,
		                    "share must be a percentage from 0 to 100");
		*bad = 1;
	}
}

static void check_kinds(core_error_list *out, const core_rule_set *rs, int *bad)
{
	char field[CORE_FIELD_MAX];

	if (rs->n_kinds > CORE_KINDS_MAX) {
		core_error_list_add(out, "conversion_kinds", CORE_FE_OUT_OF_RANGE,
		                    "at most %d conversion kinds", CORE_KINDS_MAX);
		*bad = 1;
		return;
	}
	for (size_t i = 0; i < rs->n_kinds; i++) {
		const core_conversion_kind *k = &rs->kinds[i];
		bool code_ok = terminated(k->code, sizeof k->code) && kind_code_ok(k->code);

		if (!code_ok) {
			snprintf(field, sizeof field, "conversion_kinds[%zu].code", i);
			core_error_list_add(out, field, CORE_FE_INVALID,
			                    "code must be 2 to 40 characters of a-z, 0-9 and _, starting with a letter");
			*bad = 1;
		} else {
			for (size_t j = 0; j < i; j++) {
				if (strcmp(rs->kinds[j].code, k->code) == 0) {
					snprintf(field, sizeof field, "conversion_kinds[%zu].code", i);
					core_error_list_add(out, field, CORE_FE_DUPLICATE,
					                    "code %s appears twice", k->code);
					*bad = 1;
					break;
				}
			}
		}
		if (k->min <= 0 || k->min > CORE_HOURS_MAX) {
			snprintf(field, sizeof field, "conversion_kinds[%zu].min", i);
			core_error_list_add(out, field, CORE_FE_OUT_OF_RANGE,
			                    "minimum hours must be above 0 and at most 99999.9");
			*bad = 1;
		}
		if (k->max < 0 || k->max > CORE_HOURS_MAX || k->max < k->min) {
			snprintf(field, sizeof field, "conversion_kinds[%zu].max", i);
			core_error_list_add(out, field, CORE_FE_OUT_OF_RANGE,
			                    "maximum hours must be at least the minimum and at most 99999.9");
			*bad = 1;
		}
		if ((int)k->category < 0 || k->category >= CORE_CAT_COUNT) {
			snprintf(field, sizeof field, "conversion_kinds[%zu].category", i);
			core_error_list_add(out, field, CORE_FE_INVALID,
			                    "category must be public or professional");
			*bad = 1;
		}
	}
}

int core_rules_validate(core_error_list *out, const core_rule_set *rs)
{
	int bad = 0;
	char field[CORE_FIELD_MAX];

	if (!terminated(rs->id, sizeof rs->id) || rs->id[0] == '\0') {
		core_error_list_add(out, "id", CORE_FE_REQUIRED,
		                    "id must be 1 to %d characters", CORE_ID_MAX - 1);
		bad = 1;
	}
	if (!terminated(rs->industry, sizeof rs->industry)) {
		core_error_list_add(out, "industry", CORE_FE_INVALID,
		                    "industry code must be at most %d characters",
		                    CORE_INDUSTRY_MAX - 1);
		bad = 1;
	}
	if (!core_date_valid(rs->effective_from)) {
		core_error_list_add(out, "effective_from", CORE_FE_INVALID,
		                    "effective_from must be a real date");
		bad = 1;
	}
	if (rs->has_effective_to) {
		if (!core_date_valid(rs->effective_to)) {
			core_error_list_add(out, "effective_to", CORE_FE_INVALID,
			                    "effective_to must be a real date");
			bad = 1;
		} else if (core_date_valid(rs->effective_from) &&
		           core_date_compare(rs->effective_to, rs->effective_from) <= 0) {
			core_error_list_add(out, "effective_to", CORE_FE_BEFORE_START,
			                    "effective_to (the first day no longer in force) must be after effective_from");
			bad = 1;
		}
	}
	if (rs->cycle_years < 4 || rs->cycle_years > 5) {
		core_error_list_add(out, "cycle_years", CORE_FE_OUT_OF_RANGE,
		                    "cycle_years must be 4 or 5, got %d", rs->cycle_years);
		bad = 1;
	}
	for (int l = 0; l < CORE_LEVEL_COUNT; l++) {
		const char *name = core_level_name((core_level)l);

		if (rs->min_public[l] < 0 || rs->min_public[l] > CORE_HOURS_MAX) {
			snprintf(field, sizeof field, "requirements.%s.public", name);
			core_error_list_add(out, field, CORE_FE_OUT_OF_RANGE,
			                    "hours must be from 0 to 99999.9");
			bad = 1;
		}
		if (rs->min_professional[l] < 0 || rs->min_professional[l] > CORE_HOURS_MAX) {
			snprintf(field, sizeof field, "requirements.%s.professional", name);
			core_error_list_add(out, field, CORE_FE_OUT_OF_RANGE,
			                    "hours must be from 0 to 99999.9");
			bad = 1;
		}
	}
	check_kinds(out, rs, &bad);
	check_thresholds(out, "city", &rs->base_city, &bad);
	check_thresholds(out, "district", &rs->base_district, &bad);
	return bad ? CORE_EINVAL : 0;
}

bool core_rules_in_force(const core_rule_set *rs, core_date on)
{
	if (core_date_compare(on, rs->effective_from) < 0)
		return false;
	if (rs->has_effective_to && core_date_compare(on, rs->effective_to) >= 0)
		return false;
	return true;
}

bool core_rules_covers_year(const core_rule_set *rs, int year)
{
	if (core_rules_in_force(rs, core_date_jan1(year)))
		return true;
	return rs->effective_from.y == year &&
	       core_rules_in_force(rs, rs->effective_from);
}

/* Is `a` to be preferred over the current best `b` of the same scope? */
static bool later(const core_rule_set *a, const core_rule_set *b)
{
	int c;

	if (b == NULL)
		return true;
	c = core_date_compare(a->effective_from, b->effective_from);
	if (c != 0)
		return c > 0;
	return strncmp(a->id, b->id, CORE_ID_MAX) > 0;
}

int core_rules_select_on(const core_rule_set **out, const core_rule_set *sets,
                         size_t n, const char *industry, core_date on)
{
	const core_rule_set *best_ind = NULL, *best_city = NULL;
	bool want_ind = industry != NULL && industry[0] != '\0';

	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		const core_rule_set *rs = &sets[i];

		if (!core_rules_in_force(rs, on))
			continue;
		if (rs->industry[0] == '\0') {
			if (later(rs, best_city))
				best_city = rs;
		} else if (want_ind &&
		           strncmp(rs->industry, industry, CORE_INDUSTRY_MAX) == 0) {
			if (later(rs, best_ind))
				best_ind = rs;
		}
	}
	*out = best_ind != NULL ? best_ind : best_city;
	return *out != NULL ? 0 : CORE_ENOTFOUND;
}

/* Is `a` an earlier first-of-its-year set than `b`? (fallback order) */
static bool earlier(const core_rule_set *a, const core_rule_set *b)
{
	int c;

	if (b == NULL)
		return true;
	c = core_date_compare(a->effective_from, b->effective_from);
	if (c != 0)
		return c < 0;
	return strncmp(a->id, b->id, CORE_ID_MAX) > 0;
}

int core_rules_select(const core_rule_set **out, const core_rule_set *sets,
                      size_t n, const char *industry, int year)
{
	const core_rule_set *first_ind = NULL, *first_city = NULL;
	bool want_ind = industry != NULL && industry[0] != '\0';
	int rc = core_rules_select_on(out, sets, n, industry, core_date_jan1(year));

	if (rc != CORE_ENOTFOUND)
		return rc;
	/* Nothing in force on 1 January: the year in which rules first appear. */
	for (size_t i = 0; i < n; i++) {
		const core_rule_set *rs = &sets[i];

		if (rs->effective_from.y != year ||
		    !core_rules_in_force(rs, rs->effective_from))
			continue;
		if (rs->industry[0] == '\0') {
			if (earlier(rs, first_city))
				first_city = rs;
		} else if (want_ind &&
		           strncmp(rs->industry, industry, CORE_INDUSTRY_MAX) == 0) {
			if (earlier(rs, first_ind))
				first_ind = rs;
		}
	}
	*out = first_ind != NULL ? first_ind : first_city;
	return *out != NULL ? 0 : CORE_ENOTFOUND;
}

int core_rules_first_year(int *out, const core_rule_set *sets, size_t n,
                          const char *industry)
{
	bool want_ind = industry != NULL && industry[0] != '\0';

	*out = 0;
	for (size_t i = 0; i < n; i++) {
		const core_rule_set *rs = &sets[i];

		if (rs->industry[0] != '\0' &&
		    (!want_ind || strncmp(rs->industry, industry, CORE_INDUSTRY_MAX) != 0))
			continue;
		/* a set never in force (to <= from) covers nothing, as in select */
		if (!core_rules_in_force(rs, rs->effective_from))
			continue;
		if (*out == 0 || rs->effective_from.y < *out)
			*out = rs->effective_from.y;
	}
	return *out != 0 ? 0 : CORE_ENOTFOUND;
}

int core_rules_requirement(core_requirement *out, const core_rule_set *rs,
                           core_level level)
{
	if ((int)level < 0 || level >= CORE_LEVEL_COUNT)
		return CORE_EINVAL;
	out->public_min = rs->min_public[level];
	out->professional_min = rs->min_professional[level];
	out->total = out->public_min + out->professional_min;
	return 0;
}

int core_rules_kind(const core_conversion_kind **out, const core_rule_set *rs,
                    const char *code)
{
	*out = NULL;
	if (code == NULL)
		return CORE_ENOTFOUND;
	for (size_t i = 0; i < rs->n_kinds && i < CORE_KINDS_MAX; i++) {
		if (strcmp(rs->kinds[i].code, code) == 0) {
			*out = &rs->kinds[i];
			return 0;
		}
	}
	return CORE_ENOTFOUND;
}

bool core_rules_form_known(const core_rule_set *rs, const char *form)
{
	core_form f;
	const core_conversion_kind *k;

	if (core_form_parse(&f, form) == 0)
		return true;
	return rs != NULL && core_rules_kind(&k, rs, form) == 0;
}

const core_base_thresholds *core_rules_base_thresholds(const core_rule_set *rs,
                                                       core_base_level level)
{
	switch (level) {
	case CORE_BASE_LEVEL_CITY: return &rs->base_city;
	case CORE_BASE_LEVEL_DISTRICT: return &rs->base_district;
	default: return NULL;
	}
}
