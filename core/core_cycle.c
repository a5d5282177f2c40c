/* core_cycle.c — cycles and their completion */
#include "core_cycle.h"

#include "core_internal.h"

#include <string.h>

static bool year_ok(int y)
{
	return y >= 1 && y <= 9999;
}

int core_cycle_bounds(core_cycle *out, int first_start_year, int cycle_years,
                      int year)
{
	int k;

	if (!year_ok(first_start_year) || !year_ok(year) ||
	    cycle_years < 1 || cycle_years > CORE_CYCLE_YEARS_MAX)
		return CORE_EINVAL;
	k = year < first_start_year ? 0 : (year - first_start_year) / cycle_years;
	out->start_year = first_start_year + k * cycle_years;
	out->cycle_years = cycle_years;
	out->end_year = out->start_year + cycle_years - 1;
	out->rule_set[0] = '\0';
	return 0;
}

int core_cycle_locate(core_cycle *out, const core_rule_set *sets, size_t n,
                      const char *industry, int first_start_year, int year)
{
	int start = first_start_year;

	if (!year_ok(first_start_year) || !year_ok(year))
		return CORE_EINVAL;
	for (;;) {
		const core_rule_set *rs;
		int rc = core_rules_select(&rs, sets, n, industry, start);

		if (rc == CORE_ENOTFOUND) {
			/* a cycle begun before any rule applied to the person
			 * takes the length of the first set that does */
			int first_rule_year;

			if (core_rules_first_year(&first_rule_year, sets, n, industry) < 0 ||
			    start >= first_rule_year)
				return CORE_ENOTFOUND;
			rc = core_rules_select(&rs, sets, n, industry, first_rule_year);
		}
		if (rc < 0)
			return rc;
		if (rs->cycle_years < 1 || rs->cycle_years > CORE_CYCLE_YEARS_MAX)
			return CORE_EINVAL;
		if (year < start + rs->cycle_years) {
			out->start_year = start;
			out->cycle_years = rs->cycle_years;
			out->end_year = start + rs->cycle_years - 1;
			core__copy_id(out->rule_set, rs->id);
			return 0;
		}
		start += rs->cycle_years;
	}
}

int core_cycle_find_year(const core_year_verdict **out,
                         const core_year_verdict *years, size_t n_years,
                         int year)
{
	*out = NULL;
	for (size_t i = 0; i < n_years; i++) {
		if (years[i].year != year)
			continue;
		if (*out != NULL) {
			*out = NULL;
			return CORE_EINVAL;
		}
		*out = &years[i];
	}
	return *out != NULL ? 0 : CORE_ENOTFOUND;
}

int core_cycle_evaluate(core_cycle_verdict *out, const core_cycle *cycle,
                        const core_year_verdict *years, size_t n_years,
                        bool assessment_passed)
{
	core__failing f;

	if (!year_ok(cycle->start_year) || cycle->end_year < cycle->start_year ||
	    cycle->end_year - cycle->start_year + 1 > CORE_CYCLE_YEARS_MAX ||
	    !year_ok(cycle->end_year))
		return CORE_EINVAL;

	memset(out, 0, sizeof *out);
	core__copy_id(out->rule_set, cycle->rule_set);
	out->start_year = cycle->start_year;
	out->end_year = cycle->end_year;
	out->assessment_passed = assessment_passed;
	/* reasons[0] is kept for the summary of the failing years */
	f = (core__failing){ .list = out->failing, .reasons = out->reasons + 1,
	                     .reasons_max = CORE_REASONS_MAX - 3 };
	if (core__collect_failing(&f, years, n_years, cycle->start_year, cycle->end_year) < 0)
		return CORE_EINVAL;
	out->n_failing = f.n_listed;
	out->years_compliant = f.n_total == 0;
	out->complete = out->years_compliant && assessment_passed;
	if (!out->years_compliant) {
		out->reasons[0] = core__range_reason(CORE_REASON_YEARS_NOT_COMPLIANT, "R-8",
		                                     cycle->start_year, cycle->end_year, 0);
		out->reasons[0].count = (int)f.n_total;
		out->n_reasons = 1 + f.n_reasons;
	}
	if (!assessment_passed)
		out->reasons[out->n_reasons++] = core__range_reason(
			CORE_REASON_ASSESSMENT_MISSING, "R-8", cycle->start_year, cycle->end_year, 0);
	if (out->complete)
		out->reasons[out->n_reasons++] = core__range_reason(
			CORE_REASON_CYCLE_COMPLETE, "R-8", cycle->start_year, cycle->end_year, 0);
	return 0;
}
