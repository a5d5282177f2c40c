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
	s->level = v->level;
	s->required_public = v->required_public;
	s->required_professional = v->required_professional;
	s->earned_public = v->earned_public;
	s->earned_professional = v->earned_professional;
	s->shortfall_public = v->shortfall_public;
	s->shortfall_professional = v->shortfall_professional;
}

/* A reason about the range first..last (year 0: the range is the subject). */
static inline core_reason core__range_reason(core_reason_code code, const char *rule,
                                             int first, int last, core_level level)
{
	core_reason r;

	memset(&r, 0, sizeof r);
	r.code = code;
	r.rule = rule;
	r.first_year = first;
	r.last_year = last;
	r.level = level;
	return r;
}

/* What core__collect_failing found. */
typedef struct core__failing {
	core_year_shortfall *list;   /* caller's array of CORE_CYCLE_YEARS_MAX */
	size_t n_listed;
	size_t n_total;
	core_reason *reasons;        /* the R-5 reasons of the listed years */
	size_t n_reasons;
	size_t reasons_max;
} core__failing;

/* The failing years of [first, last] (R-8 and R-15 list them alike): all
 * counted in n_total, the latest CORE_CYCLE_YEARS_MAX of them listed in
 * year order with their shortfall and their R-5 reasons (core_year_reasons),
 * appended to f. CORE_EINVAL when a year of the range has no verdict or more
 * than one. */
static inline int core__collect_failing(core__failing *f, const core_year_verdict *years,
                                        size_t n_years, int first, int last)
{
	size_t total = 0, skip, seen = 0;

	for (int y = first; y <= last; y++) {
		const core_year_verdict *v;

		if (core_cycle_find_year(&v, years, n_years, y) < 0)
			return CORE_EINVAL;
		total += !v->compliant;
	}
	/* the latest years matter most when a long window fails often */
	skip = total > CORE_CYCLE_YEARS_MAX ? total - CORE_CYCLE_YEARS_MAX : 0;
	for (int y = first; y <= last; y++) {
		const core_year_verdict *v;

		if (core_cycle_find_year(&v, years, n_years, y) < 0 || v->compliant || seen++ < skip)
			continue;
		core__shortfall_fill(&f->list[f->n_listed++], v);
		f->n_reasons += core_year_reasons(v, f->reasons + f->n_reasons,
		                                  f->reasons_max - f->n_reasons);
	}
	f->n_total += total;
	return 0;
}

#endif /* CORE_INTERNAL_H */
