/*
 * core_achieve.h — converting achievements into hours (R-9, R-9a, R-9b,
 * R-9c).
 *
 * R-9a: the reviewer fixes the hours within the kind's range of the rule set
 * in force in the achievement's year; outside it the value is refused.
 * R-9b: across all years the hours credited to one project (project_key)
 * never exceed the highest single award's hours: a later, higher award
 * credits only the difference, in its own year; an equal or lower one credits
 * 0; past years are never rewritten. Achievements without a project key are
 * credited in full.
 */
#ifndef CORE_ACHIEVE_H
#define CORE_ACHIEVE_H

#include "core_common.h"
#include "core_rules.h"

/* Why the credited hours are what they are. */
typedef enum core_credit_reason {
	CORE_CREDIT_FULL = 0,       /* full: first achievement of its project, or none */
	CORE_CREDIT_TOP_UP,         /* top_up: higher than the project's best: the difference */
	CORE_CREDIT_NOT_HIGHER,     /* not_higher: not above the project's best: 0 */
	CORE_CREDIT_REASON_COUNT
} core_credit_reason;

CORE_MUSTCHECK int core_credit_reason_parse(core_credit_reason *out, const char *s);
const char *core_credit_reason_name(core_credit_reason r);

typedef struct core_achieve_input {
	const char *kind;           /* conversion kind code (R-9 default or R-9c) */
	int32_t hours;              /* tenths fixed by the reviewer */
	bool has_project;           /* carries a project_key */
	int32_t prior_best;         /* highest hours fixed for an earlier approved
	                               achievement with the same project_key (0) */
	int32_t prior_credited;     /* hours already credited to that project in
	                               earlier approvals, all years (0) */
} core_achieve_input;

typedef struct core_achieve_verdict {
	char rule_set[CORE_ID_MAX];
	char kind[CORE_KIND_MAX];
	core_category category;     /* category the hours count in (professional) */
	int32_t range_min;          /* the kind's range, tenths */
	int32_t range_max;
	int32_t hours;              /* reviewer's value */
	int32_t credited;           /* what counts in the achievement's year */
	int32_t project_best;       /* best award of the project after this one */
	int32_t project_credited;   /* credited to the project after this one */
	core_credit_reason reason;
	char message[CORE_MSG_MAX]; /* e.g. "award_national 22.0 h tops up the
	                               project's 18.0 h: 4.0 h credited" */
} core_achieve_verdict;

/* R-9a: is `hours` within the range of `kind` in `rs`? *out (may be NULL)
 * receives the kind. 0; CORE_ENOTFOUND for an unknown kind; CORE_ERANGE for
 * hours outside [min, max]. */
CORE_MUSTCHECK int core_achieve_range_check(const core_conversion_kind **out,
                                            const core_rule_set *rs,
                                            const char *kind, int32_t hours);

/* R-9a + R-9b: decide the hours credited for one approval, under the rule
 * set in force in the achievement's year. On CORE_ERANGE `out` still carries
 * kind, range, hours and a message naming the range (for the 422). A
 * prior_credited above prior_best (history written by other means) is
 * tolerated: the project's holding is taken as the larger of the two, so
 * the project total never grows past its best award. 0; CORE_ENOTFOUND
 * unknown kind; CORE_ERANGE hours outside the range; CORE_EINVAL negative or
 * over-range prior values. */
CORE_MUSTCHECK int core_achieve_convert(core_achieve_verdict *out,
                                        const core_rule_set *rs,
                                        const core_achieve_input *in);

#endif /* CORE_ACHIEVE_H */
