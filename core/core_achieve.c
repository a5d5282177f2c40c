/* core_achieve.c — achievement conversion */
#include "core_achieve.h"

#include "core_hours.h"

#include <stdio.h>
#include <string.h>

static const char *const reason_names[] = { "full", "top_up", "not_higher" };
_Static_assert(sizeof reason_names / sizeof reason_names[0] == CORE_CREDIT_REASON_COUNT,
               "credit reason names out of step");

int core_credit_reason_parse(core_credit_reason *out, const char *s)
{
	if (s == NULL)
		return CORE_EINVAL;
	for (int i = 0; i < CORE_CREDIT_REASON_COUNT; i++) {
		if (strcmp(reason_names[i], s) == 0) {
			*out = (core_credit_reason)i;
			return 0;
		}
	}
	return CORE_EINVAL;
}

const char *core_credit_reason_name(core_credit_reason r)
{
	if ((unsigned)r >= (unsigned)CORE_CREDIT_REASON_COUNT)
		return NULL;
	return reason_names[r];
}

int core_achieve_range_check(const core_conversion_kind **out,
                             const core_rule_set *rs, const char *kind,
                             int32_t hours)
{
	const core_conversion_kind *k;
	int rc = core_rules_kind(&k, rs, kind);

	if (out != NULL)
		*out = k;
	if (rc < 0)
		return rc;
	if (hours < k->min || hours > k->max)
		return CORE_ERANGE;
	return 0;
}

int core_achieve_convert(core_achieve_verdict *out, const core_rule_set *rs,
                         const core_achieve_input *in)
{
	const core_conversion_kind *k;
	char h[CORE_HOURS_BUFSZ], lo[CORE_HOURS_BUFSZ], hi[CORE_HOURS_BUFSZ];
	char best[CORE_HOURS_BUFSZ], cr[CORE_HOURS_BUFSZ];
	int32_t base;
	int rc;

	if (in->prior_best < 0 || in->prior_credited < 0 ||
	    in->prior_best > CORE_HOURS_MAX || in->prior_credited > CORE_HOURS_MAX)
		return CORE_EINVAL;
	rc = core_achieve_range_check(&k, rs, in->kind, in->hours);
	if (rc == CORE_ENOTFOUND)
		return rc;

	memset(out, 0, sizeof *out);
	memcpy(out->rule_set, rs->id, sizeof out->rule_set);
	out->rule_set[CORE_ID_MAX - 1] = '\0';
	memcpy(out->kind, k->code, sizeof out->kind);
	out->kind[CORE_KIND_MAX - 1] = '\0';
	out->category = k->category;
	out->range_min = k->min;
	out->range_max = k->max;
	out->hours = in->hours;
	core_hours_format(h, sizeof h, in->hours);
	core_hours_format(lo, sizeof lo, k->min);
	core_hours_format(hi, sizeof hi, k->max);
	if (rc == CORE_ERANGE) {
		snprintf(out->message, sizeof out->message,
		         "%s hours must be from %s to %s, got %s", out->kind, lo, hi, h);
		return rc;
	}

	if (!in->has_project) {
		out->credited = in->hours;
		out->project_best = in->hours;
		out->project_credited = in->hours;
		out->reason = CORE_CREDIT_FULL;
		snprintf(out->message, sizeof out->message,
		         "%s %s h credited in full", out->kind, h);
		return 0;
	}

	/* R-9b: the project may hold at most its best award; what it already
	 * holds is the larger of the best earlier award and what was credited
	 * (equal when every earlier approval went through here). */
	base = in->prior_best > in->prior_credited ? in->prior_best : in->prior_credited;
	out->project_best = in->hours > in->prior_best ? in->hours : in->prior_best;
	if (in->prior_best == 0 && in->prior_credited == 0) {
		out->credited = in->hours;
		out->reason = CORE_CREDIT_FULL;
		snprintf(out->message, sizeof out->message,
		         "%s %s h credited in full, first award of its project",
		         out->kind, h);
	} else if (in->hours > base) {
		out->credited = in->hours - base;
		out->reason = CORE_CREDIT_TOP_UP;
		core_hours_format(best, sizeof best, base);
		core_hours_format(cr, sizeof cr, out->credited);
		snprintf(out->message, sizeof out->message,
		         "%s %s h tops up the %s h already credited to its project: %s h credited",
		         out->kind, h, best, cr);
	} else {
		out->credited = 0;
		out->reason = CORE_CREDIT_NOT_HIGHER;
		core_hours_format(best, sizeof best, base);
		snprintf(out->message, sizeof out->message,
		         "%s %s h does not exceed the %s h already credited to its project: 0.0 h credited",
		         out->kind, h, best);
	}
	out->project_credited = in->prior_credited + out->credited;
	return 0;
}
