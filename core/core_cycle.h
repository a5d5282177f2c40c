/*
 * core_cycle.h — cycles.
 *
 * A person's cycles start on 1 January of `cycle_start_year` (given at
 * registration) and follow each other without gaps. A cycle's length is the
 * `cycle_years` (4 or 5) of the rule set R-6 selects for its first year, so a
 * rule change never cuts a running cycle. A cycle is complete iff every year
 * of it is compliant AND a cycle assessment with result `passed` is
 * recorded.
 */
#ifndef CORE_CYCLE_H
#define CORE_CYCLE_H

#include "core_common.h"
#include "core_reason.h"
#include "core_rules.h"
#include "core_year.h"

#define CORE_CYCLE_YEARS_MAX  16   /* failing years a verdict can list */
/* reasons a verdict can hold: a summary, two per listed year, a closing one
 * and room to spare */
#define CORE_REASONS_MAX      (2 * CORE_CYCLE_YEARS_MAX + 4)

typedef struct core_cycle {
	int start_year;
	int end_year;                 /* start_year + cycle_years - 1 */
	int cycle_years;
	char rule_set[CORE_ID_MAX];   /* set that fixed the length; "" if given */
} core_cycle;

/* One non-compliant year and by how much (tenths). */
typedef struct core_year_shortfall {
	int year;
	char rule_set[CORE_ID_MAX];
	core_level level;             /* the level the year was judged at */
	int32_t required_public;
	int32_t required_professional;
	int32_t earned_public;
	int32_t earned_professional;
	int32_t shortfall_public;
	int32_t shortfall_professional;
} core_year_shortfall;

typedef struct core_cycle_verdict {
	char rule_set[CORE_ID_MAX];   /* the cycle's rule set */
	int start_year;
	int end_year;
	bool years_compliant;         /* every year of the cycle compliant */
	bool assessment_passed;       /* a passed cycle assessment is recorded */
	bool complete;                /* both */
	size_t n_failing;
	core_year_shortfall failing[CORE_CYCLE_YEARS_MAX];
	size_t n_reasons;             /* >= 1 */
	core_reason reasons[CORE_REASONS_MAX];
} core_cycle_verdict;

/* The cycle containing `year` for cycles of a fixed length starting in
 * `first_start_year`. A year before first_start_year gives the first cycle.
 * 0; CORE_EINVAL for cycle_years outside 1..CORE_CYCLE_YEARS_MAX or years
 * outside 1..9999. */
CORE_MUSTCHECK int core_cycle_bounds(core_cycle *out, int first_start_year,
                                     int cycle_years, int year);

/* R-8 with R-6: the cycle containing `year` for a person of `industry`
 * whose first cycle starts in `first_start_year`, each cycle's length taken
 * from the rule set in force on 1 January of its first year (R-6 with its
 * first-year fallback, core_rules_select). A cycle whose first year precedes
 * every rule set applicable to the person (R-31: a cycle starting in 2010
 * under rules from 2013) takes the length of the set R-6 selects for the
 * first year any applicable set covers (core_rules_first_year), and names
 * that set. A year before first_start_year gives the first cycle. 0;
 * CORE_ENOTFOUND when no rule set applies to the person at all, or none to a
 * cycle's first year after the first one (a gap between sets); CORE_EINVAL
 * for bad years or a set with cycle_years outside 1..CORE_CYCLE_YEARS_MAX. */
CORE_MUSTCHECK int core_cycle_locate(core_cycle *out, const core_rule_set *sets,
                                     size_t n, const char *industry,
                                     int first_start_year, int year);

/* is `cycle` complete? `years` holds the year verdicts of the person
 * (any order; years outside the cycle are ignored) and must hold exactly one
 * verdict for every year of the cycle. Reasons, in order: when a year fails,
 * years_not_compliant (R-8, the cycle's years and the count) followed by the
 * public_short / professional_short reasons of each failing year (R-5,
 * core_year_reasons); assessment_missing when no passed assessment is
 * recorded; cycle_complete when complete. 0; CORE_EINVAL when a year
 * of the cycle is missing or given twice, or the cycle is malformed. */
CORE_MUSTCHECK int core_cycle_evaluate(core_cycle_verdict *out,
                                       const core_cycle *cycle,
                                       const core_year_verdict *years,
                                       size_t n_years, bool assessment_passed);

/* Find the verdict of `year` in `years`. 0; CORE_ENOTFOUND (and *out =
 * NULL) when absent; CORE_EINVAL when the year appears more than once. */
CORE_MUSTCHECK int core_cycle_find_year(const core_year_verdict **out,
                                        const core_year_verdict *years,
                                        size_t n_years, int year);

#endif /* CORE_CYCLE_H */
