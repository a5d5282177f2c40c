/* core_year.c — year compliance; the hot path of the benchmark */
#include "core_year.h"

#include "core_hours.h"

#include <string.h>

int core_year_requirement(core_requirement *out, const core_rule_set *rs,
                          core_level level)
{
	return core_rules_requirement(out, rs, level);
}

static inline bool hours_ok(int32_t h)
{
	return h >= 0 && h <= CORE_HOURS_MAX;
}

int core_year_evaluate(core_year_verdict *out, const core_rule_set *rs,
                       const core_year_input *in)
{
	int32_t rp, rq;

	if ((unsigned)in->level >= (unsigned)CORE_LEVEL_COUNT)
		return CORE_EINVAL;
	if (!hours_ok(in->verified_public) || !hours_ok(in->verified_professional) ||
	    !hours_ok(in->pending_public) || !hours_ok(in->pending_professional))
		return CORE_EINVAL;
	if (!core_rules_covers_year(rs, in->year))
		return CORE_ERANGE;

	rp = rs->min_public[in->level];
	rq = rs->min_professional[in->level];
	memcpy(out->rule_set, rs->id, sizeof out->rule_set);
	out->rule_set[CORE_ID_MAX - 1] = '\0';
	out->year = in->year;
	out->level = in->level;
	out->required_public = rp;
	out->required_professional = rq;
	out->required_total = rp + rq;
	out->earned_public = in->verified_public;
	out->earned_professional = in->verified_professional;
	out->earned_total = in->verified_public + in->verified_professional;
	out->pending_public = in->pending_public;
	out->pending_professional = in->pending_professional;
	/* each category on its own; a surplus never moves across */
	out->shortfall_public = in->verified_public >= rp ? 0 : rp - in->verified_public;
	out->shortfall_professional =
		in->verified_professional >= rq ? 0 : rq - in->verified_professional;
	out->compliant = out->shortfall_public == 0 && out->shortfall_professional == 0;
	return 0;
}

static core_reason year_reason(const core_year_verdict *v, core_reason_code code,
                               int32_t required, int32_t earned, int32_t shortfall)
{
	core_reason r;

	memset(&r, 0, sizeof r);
	r.code = code;
	r.rule = "R-5";
	r.year = v->year;
	r.first_year = r.last_year = v->year;
	r.level = v->level;
	r.required = required;
	r.earned = earned;
	r.shortfall = shortfall;
	return r;
}

size_t core_year_reasons(const core_year_verdict *v, core_reason *out, size_t max)
{
	size_t n = 0;

	if (v->shortfall_public > 0 && n < max)
		out[n++] = year_reason(v, CORE_REASON_PUBLIC_SHORT, v->required_public,
		                       v->earned_public, v->shortfall_public);
	if (v->shortfall_professional > 0 && n < max)
		out[n++] = year_reason(v, CORE_REASON_PROFESSIONAL_SHORT, v->required_professional,
		                       v->earned_professional, v->shortfall_professional);
	return n;
}
