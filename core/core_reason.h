/*
 * core_reason.h — why a decision came out as it did, as data.
 *
 * The core explains every decision (DOMAIN.md, closing paragraph of "Time")
 * with reasons: a stable code, the rule it applies and the figures. The core
 * never writes prose; the gateway renders a message in the caller's language
 * from the code and the figures (api/domain/reasons.h).
 */
#ifndef CORE_REASON_H
#define CORE_REASON_H

#include "core_common.h"
#include "core_enum.h"

/* The codes are API values: never renumber a meaning away, never rename,
 * add new codes before CORE_REASON_COUNT only. */
typedef enum core_reason_code {
	CORE_REASON_PUBLIC_SHORT = 0,       /* public_short: year, level,
	                                       required/earned/shortfall public */
	CORE_REASON_PROFESSIONAL_SHORT,     /* professional_short: likewise */
	CORE_REASON_YEAR_NOT_COMPLIANT,     /* year_not_compliant: `year` */
	CORE_REASON_YEARS_NOT_COMPLIANT,    /* years_not_compliant:
	                                       `count` of first_year..last_year */
	CORE_REASON_NO_YEAR_TO_EXAMINE,     /* no_year_to_examine */
	CORE_REASON_YEARS_COMPLIANT,        /* years_compliant:
	                                       first_year..last_year */
	CORE_REASON_YEAR_COMPLIANT,         /* year_compliant: `year` */
	CORE_REASON_NO_REQUIREMENT,         /* no_requirement:
	                                       first_year..last_year carry none */
	CORE_REASON_ASSESSMENT_MISSING,     /* assessment_missing: cycle
	                                       first_year..last_year */
	CORE_REASON_CYCLE_COMPLETE,         /* cycle_complete: likewise */
	CORE_REASON_COUNT
} core_reason_code;

/* One reason. Fields a code does not use are 0 (level: the level of the
 * decision, see each producer). `rule` is static storage ("R-5", "R-8",
 * "R-15", "R-28", "R-31"). Hours are tenths. */
typedef struct core_reason {
	core_reason_code code;
	const char *rule;
	int year;                  /* the year concerned, 0 when a range */
	int first_year;            /* the range concerned (first..last) */
	int last_year;
	core_level level;          /* title level the year was judged at */
	int32_t required;
	int32_t earned;
	int32_t shortfall;
	int count;                 /* years_not_compliant: how many */
} core_reason;

/* The stable snake_case name of a code ("public_short"); NULL for a value
 * out of range. Static storage. */
const char *core_reason_code_name(core_reason_code code);

/* Parse a name back; 0 or CORE_EINVAL. */
CORE_MUSTCHECK int core_reason_code_parse(core_reason_code *out, const char *s);

#endif /* CORE_REASON_H */
