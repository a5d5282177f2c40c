/*
 * core_rules.h — rule sets as data (R-4, R-5, R-6, R-8, R-9, R-9c, R-14,
 * R-17) and the selection of the set that applies.
 *
 * A core_rule_set is a plain caller-owned struct with fixed-size arrays: the
 * db layer fills it from a row, the core never allocates. Hours are tenths.
 */
#ifndef CORE_RULES_H
#define CORE_RULES_H

#include "core_common.h"
#include "core_date.h"
#include "core_enum.h"

#define CORE_ID_MAX        40   /* rule set id: a UUID string (36) + NUL fits */
#define CORE_INDUSTRY_MAX  33   /* industry code, at most 32 characters (sql/) */
#define CORE_KIND_MAX      41   /* conversion kind code, at most 40 characters */
#define CORE_KINDS_MAX     32   /* conversion kinds per rule set */

/* Id given to the 2013 city default by core_rules_city_2013(); sql/ seeds the
 * same rule set under this id. */
#define CORE_RULES_CITY_2013_ID "00000000-0000-4000-8000-000000002013"

/* R-9 / R-9c: one achievement kind and the range of hours a reviewer may
 * fix for it. */
typedef struct core_conversion_kind {
	char code[CORE_KIND_MAX];  /* [a-z][a-z0-9_]{1,39} (as sql/ forms.code),
	                              unique in the set */
	int32_t min;               /* tenths, inclusive */
	int32_t max;               /* tenths, inclusive */
	core_category category;    /* professional for every default kind */
} core_conversion_kind;

/* R-17 share thresholds in basis points, hundredths of a percent
 * (0..10000: 6000 = 60 %, 6250 = 62.5 %), so that NUMERIC(5,2) percentages
 * are carried exactly. */
typedef struct core_base_thresholds {
	int senior_faculty_bp;      /* senior (正高+副高) share of faculty */
	int certified_manager_bp;   /* certified share of training managers */
} core_base_thresholds;

typedef struct core_rule_set {
	char id[CORE_ID_MAX];
	char industry[CORE_INDUSTRY_MAX]; /* "" = city default, else the industry */
	core_date effective_from;         /* first day in force */
	bool has_effective_to;            /* false: open-ended */
	core_date effective_to;           /* first day NO LONGER in force
	                                     (exclusive, as sql/ rule_sets) */
	int cycle_years;                  /* 4 or 5 */
	int32_t min_public[CORE_LEVEL_COUNT];       /* tenths a year */
	int32_t min_professional[CORE_LEVEL_COUNT]; /* tenths a year */
	size_t n_kinds;
	core_conversion_kind kinds[CORE_KINDS_MAX]; /* R-9, R-9c */
	bool auto_verify_base_completions;          /* */
	core_base_thresholds base_city;             /* R-17 city-level bases */
	core_base_thresholds base_district;         /* R-17 district-level bases */
} core_rule_set;

/* Per-level yearly requirement, in tenths. */
typedef struct core_requirement {
	int32_t public_min;
	int32_t professional_min;
	int32_t total;             /* public_min + professional_min */
} core_requirement;

/* Fill `out` with the city's 2013 rule set (the seed, effective 2013-03-12,
 * no end): senior and intermediate 24 + 48 h, junior 14 + 28 h; cycle 5
 * years (the seed allows 4 to 5); the five default conversion kinds of R-9 as
 * professional hours; auto_verify_base_completions true; city base
 * thresholds 60 % / 80 %; district thresholds, which the seed does not give,
 * default to the city's. Never fails. */
void core_rules_city_2013(core_rule_set *out);

/* Check a rule set before it is stored: id present, industry code length,
 * dates real and ordered (effective_to > effective_from), cycle_years 4 or
 * 5, minimums 0..CORE_HOURS_MAX, kinds (code syntax, unique, 0 < min <= max
 * <= CORE_HOURS_MAX, category), thresholds 0..10000 basis points. Every
 * failing field is appended to `out` (may be NULL) with JSON-style paths:
 * "id", "industry", "effective_from", "effective_to", "cycle_years",
 * "requirements.<level>.public|professional", "conversion_kinds" (too many),
 * "conversion_kinds[i].code|min|max|category",
 * "base_thresholds.city|district.senior_faculty_share|certified_manager_share".
 * 0 when valid, CORE_EINVAL otherwise. */
CORE_MUSTCHECK int core_rules_validate(core_error_list *out, const core_rule_set *rs);

/* True iff `rs` is in force on day `on`. */
bool core_rules_in_force(const core_rule_set *rs, core_date on);

/* True iff R-6 could select `rs` for `year`: in force on 1 January, or
 * taking effect during that year (see core_rules_select). */
bool core_rules_covers_year(const core_rule_set *rs, int year);

/* the rule set for a person of `industry` (NULL or "" for none) on day
 * `on`: among the sets in force that day, an industry set of that industry
 * beats the city default; among several of the same scope the latest
 * effective_from wins (ties: the greater id, so the answer does not depend on
 * array order). `*out` is a borrowed pointer into `sets`. 0, or
 * CORE_ENOTFOUND (and *out = NULL) when no set applies. */
CORE_MUSTCHECK int core_rules_select_on(const core_rule_set **out,
                                        const core_rule_set *sets, size_t n,
                                        const char *industry, core_date on);

/* R-6 for a year: core_rules_select_on() on 1 January of `year`.
 * Interpretation for a year in which rules first appear (the 2013 opinions
 * took effect on 2013-03-12, so nothing was in force on 2013-01-01): when no
 * set of either scope is in force on 1 January, the set of the person's
 * industry, else the city's, that takes effect earliest during that year
 * judges it. Once any set is in force on 1 January this fallback never
 * applies. 0, or CORE_ENOTFOUND (and *out = NULL). */
CORE_MUSTCHECK int core_rules_select(const core_rule_set **out,
                                     const core_rule_set *sets, size_t n,
                                     const char *industry, int year);

/* the first year any rule set applicable to a person of `industry`
 * (NULL or "" for none) covers: the earliest effective_from year among the
 * sets of that industry and the city defaults (R-6 judges that year by its
 * first-year fallback). Earlier years carry no requirement. 0, or
 * CORE_ENOTFOUND (and *out = 0) when no set applies to the person. */
CORE_MUSTCHECK int core_rules_first_year(int *out, const core_rule_set *sets, size_t n,
                                         const char *industry);

/* the yearly minimum for title level `level`. 0, CORE_EINVAL for a
 * level out of range. */
CORE_MUSTCHECK int core_rules_requirement(core_requirement *out,
                                          const core_rule_set *rs,
                                          core_level level);

/* R-9/R-9c: the conversion kind `code` of the set; borrowed pointer. 0, or
 * CORE_ENOTFOUND (and *out = NULL). */
CORE_MUSTCHECK int core_rules_kind(const core_conversion_kind **out,
                                   const core_rule_set *rs, const char *code);

/* true iff `form` is one of the fixed forms or a conversion kind code
 * of `rs` (rs may be NULL: fixed forms only). */
bool core_rules_form_known(const core_rule_set *rs, const char *form);

/* the thresholds for bases of `level`; NULL for a level out of range.
 * Borrowed pointer into `rs`. */
const core_base_thresholds *core_rules_base_thresholds(const core_rule_set *rs,
                                                       core_base_level level);

/* Add (or replace, same code) a conversion kind, R-9c. 0; CORE_EINVAL for a
 * bad code or category; CORE_ERANGE for a bad range; CORE_ENOSPC when the
 * set already holds CORE_KINDS_MAX kinds. */
CORE_MUSTCHECK int core_rules_kind_put(core_rule_set *rs, const char *code,
                                       int32_t min, int32_t max,
                                       core_category category);

#endif /* CORE_RULES_H */
