/* core_internal.h — helpers shared by the core's own .c files; not part of
 * the public API and not included by core.h. */
#ifndef CORE_INTERNAL_H
#define CORE_INTERNAL_H

#include "core_cycle.h"

#include <string.h>

static inline void core__copy_id(char dst[CORE_ID_MAX], const char *src)
{
	const char *nul = memchr(src, '\0', CORE_ID_MAX - 1);
	size_t len = nul != NULL ? (size_t)(nul - src) : CORE_ID_MAX - 1;

	memcpy(dst, src, len);
	dst[len] = '\0';
}

static inline void core__shortfall_fill(core_year_shortfall *s,
                                        const core_year_verdict *v)
{
	s->year = v->year;
	core__copy_id(s->rule_set, v->rule_set);
	s->required_public = v->required_public;
	s->required_professional = v->required_professional;
	s->earned_public = v->earned_public;
	s->earned_professional = v->earned_professional;
	s->shortfall_public = v->shortfall_public;
	s->shortfall_professional = v->shortfall_professional;
}

/* The failing years of [first, last], each with its shortfall and a reason
 * line, appended to the caller's arrays (R-8 and R-15 list them alike).
 * CORE_EINVAL when a year of the range has no verdict. */
static inline int core__collect_failing(const core_year_verdict *years, size_t n_years,
                                        int first, int last,
                                        core_year_shortfall *failing, size_t *n_failing,
                                        char (*reasons)[CORE_REASON_MAX], size_t *n_reasons)
{
	for (int y = first; y <= last; y++) {
		const core_year_verdict *v;

		if (core_cycle_find_year(&v, years, n_years, y) < 0)
			return CORE_EINVAL;
		if (!v->compliant) {
			core_year_shortfall *s = &failing[(*n_failing)++];

			core__shortfall_fill(s, v);
			core_cycle_shortfall_reason(reasons[(*n_reasons)++], CORE_REASON_MAX, s);
		}
	}
	return 0;
}

#endif /* CORE_INTERNAL_H */
