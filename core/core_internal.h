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

#endif /* CORE_INTERNAL_H */
