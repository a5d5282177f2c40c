/*
 * core_eligibility.h — the eligibility decision of R-15.
 *
 * Completing the required hours is a precondition for annual assessment,
 * hiring, renewal and promotion:
 *  - annual_assessment of year Y: year Y is compliant;
 *  - hiring, renewal, promotion as of date D: every year of the person's
 *    current cycle (the one containing D's year) from its start up to D's
 *    previous year is compliant; with none yet (the cycle starts in D's year,
 *    or the person's first cycle has not begun) the person is eligible.
 * The answer always lists the failing years with their shortfalls.
 */
#ifndef CORE_ELIGIBILITY_H
#define CORE_ELIGIBILITY_H

#include "core_common.h"
#include "core_cycle.h"
#include "core_date.h"
#include "core_enum.h"
#include "core_year.h"

typedef struct core_eligibility_input {
	core_purpose purpose;
	int year;                       /* annual_assessment: the year Y */
	core_date as_of;                /* hiring/renewal/promotion: the date D */
	core_cycle cycle;               /* the person's cycle containing Y or
	                                   D's year (core_cycle_locate) */
	const core_year_verdict *years; /* verdicts of the years to examine (more
	                                   are ignored) */
	size_t n_years;
} core_eligibility_input;

typedef struct core_eligibility {
	char rule_set[CORE_ID_MAX];     /* the cycle's rule set (each failing year
	                                   names its own) */
	core_purpose purpose;
	bool eligible;
	int cycle_start;
	int cycle_end;
	int first_year;                 /* years examined: first..last; */
	int last_year;                  /* last < first when none */
	size_t n_failing;
	core_year_shortfall failing[CORE_CYCLE_YEARS_MAX];
	size_t n_reasons;               /* >= 1 */
	char reasons[CORE_REASONS_MAX][CORE_REASON_MAX];
} core_eligibility;

/* decide eligibility. 0 whenever a decision was made (eligible or
 * not); CORE_EINVAL for an unknown purpose, an invalid as_of, a cycle not
 * containing D's year (D's year before the first cycle is allowed: nothing
 * to examine), or a missing/duplicated verdict for a year to examine. */
CORE_MUSTCHECK int core_eligibility_decide(core_eligibility *out,
                                           const core_eligibility_input *in);

#endif /* CORE_ELIGIBILITY_H */
