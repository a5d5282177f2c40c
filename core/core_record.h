/*
 * core_record.h — validation of a record before it is registered (R-12,
 * API "record"): dates real and not in the future, start <= end, year equal
 * to end_date's year, 0 < hours <= 24 x days covered; optionally category,
 * form (R-10, incl. the rule set's conversion kinds) and class type.
 */
#ifndef CORE_RECORD_H
#define CORE_RECORD_H

#include "core_common.h"
#include "core_date.h"
#include "core_rules.h"

typedef struct core_record_input {
	int year;
	core_date start_date;
	core_date end_date;
	int32_t hours;                /* tenths */
	core_date today;              /* the caller's today (CST) */
	const char *category;         /* NULL: not checked */
	const char *form;             /* NULL: not checked */
	const char *class_type;       /* NULL: not checked */
	const core_rule_set *rules;   /* for forms that are conversion kinds;
	                                 NULL: only the fixed forms */
} core_record_input;

/* Validate a record; every failing field is appended to `out` (may be NULL)
 * with API field names: start_date, end_date, year, hours, category, form,
 * class_type (and "today" when the caller's today is not a real date). 0 when valid, CORE_EINVAL otherwise. */
CORE_MUSTCHECK int core_record_validate(core_error_list *out,
                                        const core_record_input *in);

/* the status a new record starts in. A completion of an approved
 * base project (source `base`) is verified on registration when the rule set
 * says so (auto_verify_base_completions); unit registrations and
 * achievements always start `registered` and need a reviewer. 0, or
 * CORE_EINVAL for a source out of range. */
CORE_MUSTCHECK int core_record_initial_status(core_record_status *out,
                                              const core_rule_set *rs,
                                              core_source source);

#endif /* CORE_RECORD_H */
