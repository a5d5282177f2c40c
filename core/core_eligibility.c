/* core_eligibility.c — the eligibility decision (R-15 revised, R-29, R-31) */
#include "core_eligibility.h"

#include "core_internal.h"

#include <string.h>

static int max3(int a, int b, int c)
{
	int m = a > b ? a : b;

	return m > c ? m : c;
}

/* Promotion (R-15, R-29 任现职以来): the first year of the run of years
 * ending at `last` judged at `level`, not below `lower`; last + 1 when the
 * run is empty. CORE_EINVAL when a year of the run has no verdict. */
static int promotion_first(int *first, const core_eligibility_input *in, int lower, int last)
{
	*first = last + 1;
	for (int y = last; y >= lower && last - y < CORE_ELIGIBILITY_YEARS_MAX; y--) {
		const core_year_verdict *v;

		if (core_cycle_find_year(&v, in->years, in->n_years, y) < 0)
			return CORE_EINVAL;
		if (v->level != in->current_level)
			break;
		*first = y;
	}
	return 0;
}

/* The years to examine into *first..*last; *skip_first..*skip_last the
 * years of the purpose's window before the first rule set (empty when
 * skip_last < skip_first). */
static int window(const core_eligibility_input *in, int *first, int *last,
                  int *skip_first, int *skip_last)
{
	const core_cycle *c = &in->cycle;
	int lower = max3(1, in->first_year, in->first_rule_year);
	int dy;

	*skip_first = 0;
	*skip_last = -1;
	if (in->purpose == CORE_PURPOSE_ANNUAL_ASSESSMENT) {
		if (in->year < 1 || in->year > 9999)
			return CORE_EINVAL;
		*first = in->year;
		*last = in->year < lower ? in->year - 1 : in->year;
		return 0;
	}
	if (!core_date_valid(in->as_of))
		return CORE_EINVAL;
	dy = in->as_of.y;
	if (dy > c->end_year)
		return CORE_EINVAL;
	*last = dy - 1;
	if (in->purpose == CORE_PURPOSE_PROMOTION) {
		if ((unsigned)in->current_level >= (unsigned)CORE_LEVEL_COUNT)
			return CORE_EINVAL;
		return promotion_first(first, in, lower, *last);
	}
	if (in->cycle_years < 1 || in->cycle_years > CORE_CYCLE_YEARS_MAX)
		return CORE_EINVAL;
	*first = dy - in->cycle_years > lower ? dy - in->cycle_years : lower;
	*skip_first = max3(1, dy - in->cycle_years, in->first_year);
	*skip_last = in->first_rule_year - 1 < *last ? in->first_rule_year - 1 : *last;
	return 0;
}

static void add(core_eligibility *out, core_reason r)
{
	if (out->n_reasons < CORE_REASONS_MAX)
		out->reasons[out->n_reasons++] = r;
}

/* annual_assessment of a year with no requirement: why */
static core_reason no_requirement_year(const core_eligibility_input *in)
{
	core_reason r = core__range_reason(CORE_REASON_NO_REQUIREMENT,
	                                   in->year < in->first_year ? "R-28" : "R-31",
	                                   in->year, in->year, in->current_level);

	r.year = in->year;
	return r;
}

int core_eligibility_decide(core_eligibility *out, const core_eligibility_input *in)
{
	const core_cycle *c = &in->cycle;
	core_level lv = in->current_level;
	int first, last, skip_first, skip_last;
	core__failing f;

	if ((unsigned)in->purpose >= (unsigned)CORE_PURPOSE_COUNT)
		return CORE_EINVAL;
	if (c->start_year < 1 || c->end_year < c->start_year || c->end_year > 9999 ||
	    c->end_year - c->start_year + 1 > CORE_CYCLE_YEARS_MAX)
		return CORE_EINVAL;
	if (window(in, &first, &last, &skip_first, &skip_last) < 0)
		return CORE_EINVAL;

	memset(out, 0, sizeof *out);
	core__copy_id(out->rule_set, c->rule_set);
	out->purpose = in->purpose;
	out->cycle_start = c->start_year;
	out->cycle_end = c->end_year;
	out->level = lv;
	out->first_year = first;
	out->last_year = last;
	/* reasons[0] is kept for the conclusion */
	f = (core__failing){ .list = out->failing, .reasons = out->reasons + 1,
	                     .reasons_max = CORE_REASONS_MAX - 2 };
	if (core__collect_failing(&f, in->years, in->n_years, first, last) < 0)
		return CORE_EINVAL;
	out->n_failing = f.n_listed;
	out->n_failing_total = f.n_total;
	out->eligible = f.n_total == 0;
	out->n_reasons = 1 + f.n_reasons;

	if (in->purpose == CORE_PURPOSE_ANNUAL_ASSESSMENT && last < first) {
		out->reasons[0] = no_requirement_year(in);
		return 0;
	}
	if (last < first) {
		out->reasons[0] = core__range_reason(CORE_REASON_NO_YEAR_TO_EXAMINE, "R-15",
		                                     first, last, lv);
	} else if (first == last) {
		out->reasons[0] = core__range_reason(out->eligible ? CORE_REASON_YEAR_COMPLIANT
		                                                   : CORE_REASON_YEAR_NOT_COMPLIANT,
		                                     "R-15", first, last, lv);
		out->reasons[0].year = first;
	} else {
		out->reasons[0] = core__range_reason(out->eligible ? CORE_REASON_YEARS_COMPLIANT
		                                                   : CORE_REASON_YEARS_NOT_COMPLIANT,
		                                     "R-15", first, last, lv);
		out->reasons[0].count = (int)f.n_total;
	}
	if (skip_last >= skip_first)
		add(out, core__range_reason(CORE_REASON_NO_REQUIREMENT, "R-31", skip_first,
		                            skip_last, lv));
	return 0;
}
