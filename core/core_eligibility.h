/*
 * core_eligibility.h — the eligibility decision of R-15 (revised, with R-29
 * and R-31).
 *
 * Completing the required hours is a precondition for annual assessment,
 * hiring, renewal and promotion:
 *  - annual_assessment of year Y: year Y is compliant;
 *  - promotion as of date D: every year judged at the person's current title
 *    level (任现职以来), up to D's previous year, is compliant: the
 *    contiguous run of years ending at D.y - 1 whose verdict level is the
 *    level held on D;
 *  - hiring and renewal as of D: every one of the cycle_years years before
 *    D's year (D.y - cycle_years .. D.y - 1) is compliant.
 * Years before the person's first period or before the first rule set
 * applicable to them carry no requirement: they are skipped, never a
 * reason to refuse an answer; with no year left the person is eligible. The
 * answer lists the failing years with their shortfalls and says why, as
 * reasons (core_reason.h).
 */
#ifndef CORE_ELIGIBILITY_H
#define CORE_ELIGIBILITY_H

#include "core_common.h"
#include "core_cycle.h"
#include "core_date.h"
#include "core_enum.h"
#include "core_reason.h"
#include "core_year.h"

/* The most years one decision examines: a title level can be held for
 * decades, the promotion window looks back at most this far. */
#define CORE_ELIGIBILITY_YEARS_MAX  40

typedef struct core_eligibility_input {
	core_purpose purpose;
	int year;                       /* annual_assessment: the year Y */
	core_date as_of;                /* hiring/renewal/promotion: the date D */
	core_cycle cycle;               /* the person's cycle containing Y or
	                                   D's year (core_cycle_locate); reported,
	                                   not examined */
	core_level current_level;       /* promotion: the title level held on D */
	int cycle_years;                /* hiring/renewal: cycle_years of the
	                                   rule set in force for D's year */
	int first_year;                 /* year of the person's first period
	                                   0: no bound */
	int first_rule_year;            /* first year any rule set applicable to
	                                   the person covers (R-31,
	                                   core_rules_first_year); 0: no bound.
	                                   With no applicable set at all pass a
	                                   year after every year examined. */
	const core_year_verdict *years; /* verdicts of the years to examine, each
	                                   with the level it was judged at (more
	                                   are ignored; at most
	                                   CORE_ELIGIBILITY_YEARS_MAX are read) */
	size_t n_years;
} core_eligibility_input;

typedef struct core_eligibility {
	char rule_set[CORE_ID_MAX];     /* the cycle's rule set (each failing year
	                                   names its own) */
	core_purpose purpose;
	bool eligible;
	int cycle_start;
	int cycle_end;
	core_level level;               /* the input's current_level */
	int first_year;                 /* years examined: first..last; */
	int last_year;                  /* last < first when none */
	size_t n_failing;               /* failing years listed, the latest
	                                   CORE_CYCLE_YEARS_MAX in year order */
	size_t n_failing_total;         /* failing years examined, all of them */
	core_year_shortfall failing[CORE_CYCLE_YEARS_MAX];
	size_t n_reasons;               /* >= 1 */
	core_reason reasons[CORE_REASONS_MAX];
} core_eligibility;

/* decide eligibility. Reasons, in order (rule "R-15" unless said):
 *  - eligible: no_year_to_examine, or year_compliant (one year examined), or
 *    years_compliant (first..last); annual_assessment of a year before the
 *    first period or the first rule set: no_requirement alone ("R-28" or
 *    "R-31");
 *  - not eligible: year_not_compliant (one year examined) or
 *    years_not_compliant (first..last, count = n_failing_total), then the
 *    R-5 reasons of each listed failing year (core_year_reasons);
 *  - hiring/renewal whose window reaches before the first rule set: last, a
 *    no_requirement ("R-31") for those years.
 * Summary reasons carry the input's current_level.
 * 0 whenever a decision was made (eligible or not); CORE_EINVAL for an
 * unknown purpose, an invalid as_of or year, a malformed cycle or one ending
 * before D's year (D's year before the first cycle is allowed), promotion
 * with a level out of range, hiring/renewal with cycle_years outside
 * 1..CORE_CYCLE_YEARS_MAX, or a missing/duplicated verdict for a year to
 * examine (the caller supplies every year; for promotion every year back to
 * the first one judged at another level, or to the bounds). */
CORE_MUSTCHECK int core_eligibility_decide(core_eligibility *out,
                                           const core_eligibility_input *in);

#endif /* CORE_ELIGIBILITY_H */
