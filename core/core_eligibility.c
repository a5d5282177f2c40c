/* core_eligibility.c — the eligibility decision */
#include "core_eligibility.h"

#include "core_internal.h"

#include <stdio.h>
#include <string.h>

int core_eligibility_decide(core_eligibility *out, const core_eligibility_input *in)
{
	const core_cycle *c = &in->cycle;
	int first, last;

	if ((unsigned)in->purpose >= (unsigned)CORE_PURPOSE_COUNT)
		return CORE_EINVAL;
	if (c->start_year < 1 || c->end_year < c->start_year || c->end_year > 9999 ||
	    c->end_year - c->start_year + 1 > CORE_CYCLE_YEARS_MAX)
		return CORE_EINVAL;

	if (in->purpose == CORE_PURPOSE_ANNUAL_ASSESSMENT) {
		if (in->year < 1 || in->year > 9999)
			return CORE_EINVAL;
		first = last = in->year;
	} else {
		int dy;

		if (!core_date_valid(in->as_of))
			return CORE_EINVAL;
		dy = in->as_of.y;
		if (dy > c->end_year)
			return CORE_EINVAL;
		/* The current cycle's years before D's year; none when D falls in
		 * the cycle's first year or before the first cycle. */
		first = c->start_year;
		last = dy - 1;
	}

	memset(out, 0, sizeof *out);
	core__copy_id(out->rule_set, c->rule_set);
	out->purpose = in->purpose;
	out->cycle_start = c->start_year;
	out->cycle_end = c->end_year;
	out->first_year = first;
	out->last_year = last;
	if (core__collect_failing(in->years, in->n_years, first, last, out->failing, &out->n_failing,
	                          out->reasons, &out->n_reasons) < 0)
		return CORE_EINVAL;
	out->eligible = out->n_failing == 0;
	if (!out->eligible)
		return 0;
	if (last < first)
		snprintf(out->reasons[out->n_reasons++], CORE_REASON_MAX,
		         "no completed year of the cycle %d-%d to examine yet",
		         c->start_year, c->end_year);
	else if (first == last)
		snprintf(out->reasons[out->n_reasons++], CORE_REASON_MAX,
		         "%d is compliant", first);
	else
		snprintf(out->reasons[out->n_reasons++], CORE_REASON_MAX,
		         "every year from %d to %d of the cycle %d-%d is compliant",
		         first, last, c->start_year, c->end_year);
	return 0;
}
