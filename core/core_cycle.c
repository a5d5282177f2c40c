/* core_cycle.c — cycles and their completion */
#include "core_cycle.h"

#include "core_hours.h"
#include "core_internal.h"

#include <stdio.h>
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

void core_cycle_shortfall_reason(char *buf, size_t n, const core_year_shortfall *s)
{
	char a[CORE_HOURS_BUFSZ], b[CORE_HOURS_BUFSZ];
	int len;

	if (buf == NULL || n == 0)
		return;
	len = snprintf(buf, n, "%d:", s->year);
	if (s->shortfall_public > 0 && len >= 0 && (size_t)len < n) {
		core_hours_format(a, sizeof a, s->shortfall_public);
		core_hours_format(b, sizeof b, s->required_public);
		len += snprintf(buf + len, n - (size_t)len,
		                " public hours short by %s of %s", a, b);
	}
	if (s->shortfall_professional > 0 && len >= 0 && (size_t)len < n) {
		core_hours_format(a, sizeof a, s->shortfall_professional);
		core_hours_format(b, sizeof b, s->required_professional);
		snprintf(buf + len, n - (size_t)len,
		         "%s professional hours short by %s of %s",
		         s->shortfall_public > 0 ? ";" : "", a, b);
	}
}

int core_cycle_evaluate(core_cycle_verdict *out, const core_cycle *cycle,
                        const core_year_verdict *years, size_t n_years,
                        bool assessment_passed)
{
	if (!year_ok(cycle->start_year) || cycle->end_year < cycle->start_year ||
	    cycle->end_year - cycle->start_year + 1 > CORE_CYCLE_YEARS_MAX ||
	    !year_ok(cycle->end_year))
		return CORE_EINVAL;

	memset(out, 0, sizeof *out);
	core__copy_id(out->rule_set, cycle->rule_set);
	out->start_year = cycle->start_year;
	out->end_year = cycle->end_year;
	out->assessment_passed = assessment_passed;
	if (core__collect_failing(years, n_years, cycle->start_year, cycle->end_year, out->failing,
	                          &out->n_failing, out->reasons, &out->n_reasons) < 0)
		return CORE_EINVAL;
	out->years_compliant = out->n_failing == 0;
	out->complete = out->years_compliant && assessment_passed;
	if (!assessment_passed)
		snprintf(out->reasons[out->n_reasons++], CORE_REASON_MAX,
		         "no passed cycle assessment recorded for the cycle %d-%d",
		         out->start_year, out->end_year);
	if (out->complete)
		snprintf(out->reasons[out->n_reasons++], CORE_REASON_MAX,
		         "every year of the cycle %d-%d is compliant and the cycle assessment passed",
		         out->start_year, out->end_year);
	return 0;
}
