/*
 * core_year.h — the yearly requirement and the year verdict (R-2, R-4, R-5,
 *
 *
 * Only verified hours count; registered (pending) hours are shown separately
 * and never make a year compliant. A year is compliant iff public >= the
 * public minimum AND professional >= the professional minimum: surplus in one
 * category never covers the other.
 */
#ifndef CORE_YEAR_H
#define CORE_YEAR_H

#include "core_common.h"
#include "core_enum.h"
#include "core_reason.h"
#include "core_rules.h"

typedef struct core_year_input {
	int year;                       /* the calendar year judged */
	core_level level;               /* the person's title level that year */
	int32_t verified_public;        /* tenths, verified records only */
	int32_t verified_professional;
	int32_t pending_public;         /* tenths, registered (not yet verified) */
	int32_t pending_professional;
} core_year_input;

typedef struct core_year_verdict {
	char rule_set[CORE_ID_MAX];     /* id of the rule set that decided */
	int year;
	core_level level;
	int32_t required_public;
	int32_t required_professional;
	int32_t required_total;
	int32_t earned_public;
	int32_t earned_professional;
	int32_t earned_total;
	int32_t pending_public;
	int32_t pending_professional;
	bool compliant;
	int32_t shortfall_public;       /* max(0, required - earned) */
	int32_t shortfall_professional;
} core_year_verdict;

/* the yearly requirement for `level` under `rs` (same as
 * core_rules_requirement). 0 or CORE_EINVAL. */
CORE_MUSTCHECK int core_year_requirement(core_requirement *out,
                                         const core_rule_set *rs,
                                         core_level level);

/* judge one person-year under `rs`, which must be the set R-6
 * selects for the year (core_rules_select). 0; CORE_EINVAL for a level out
 * of range or negative/over-range hours; CORE_ERANGE when R-6 could not have
 * selected `rs` for in->year (core_rules_covers_year: the caller picked the
 * wrong set). `out` is fully written on success. */
CORE_MUSTCHECK int core_year_evaluate(core_year_verdict *out,
                                      const core_rule_set *rs,
                                      const core_year_input *in);

/* why a verdict is not compliant, as data: public_short, then
 * professional_short, each with the verdict's year and level, the rule
 * "R-5" and required / earned / shortfall of its category (tenths); nothing
 * for a compliant year. Writes at most `max` reasons to `out` (may be NULL
 * when max is 0) and returns how many it wrote; 2 is always enough. */
size_t core_year_reasons(const core_year_verdict *v, core_reason *out, size_t max);

#endif /* CORE_YEAR_H */
