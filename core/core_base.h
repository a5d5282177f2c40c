/*
 * core_base.h — bases and their projects: accreditation criteria,
 * what a base may do in its status, the funding split and the
 * project submission window.
 */
#ifndef CORE_BASE_H
#define CORE_BASE_H

#include "core_common.h"
#include "core_date.h"
#include "core_enum.h"
#include "core_rules.h"

/* R-17 criteria, as bits of core_accreditation.failing. */
typedef enum core_criterion {
	CORE_CRIT_SENIOR_FACULTY_SHARE = 1u << 0,    /* senior_faculty_share */
	CORE_CRIT_CERTIFIED_MANAGER_SHARE = 1u << 1, /* certified_manager_share */
	CORE_CRIT_MANAGEMENT_SYSTEMS = 1u << 2,      /* management_systems */
} core_criterion;

/* API spelling of one criterion bit; NULL for anything else. */
const char *core_criterion_name(core_criterion c);

/* The five management systems of R-17 (API field names). */
typedef struct core_base_systems {
	bool teaching_management;       /* 教学组织管理 */
	bool trainee_assessment;        /* 学员考核管理 */
	bool certificate_registration;  /* 继续教育证书登记 */
	bool fee_management;            /* 培训收费管理 */
	bool effect_tracking;           /* 培训效果跟踪 */
} core_base_systems;

typedef struct core_base_input {
	core_base_level level;
	int faculty_total;              /* faculty on the roster */
	int faculty_senior;             /* of whom senior_full or senior_deputy */
	int managers_total;             /* training managers */
	int managers_certified;         /* of whom holding the certificate */
	core_base_systems systems;
} core_base_input;

typedef struct core_accreditation {
	char rule_set[CORE_ID_MAX];
	core_base_level level;
	bool accreditable;
	unsigned failing;               /* OR of core_criterion */
	int senior_faculty_bp_required;     /* basis points, 6000 = 60 % */
	int certified_manager_bp_required;
	core_error_list errors;         /* one entry per failing criterion, field =
	                                   criterion name, in the order above */
} core_accreditation;

/* check the accreditation criteria of a base of in->level against the
 * thresholds of `rs`: senior share = faculty_senior / faculty_total >= the
 * threshold (exact integer arithmetic: 6/10 meets 60 %, 5/10 does not);
 * certified share likewise; all five systems in place. No faculty (or no
 * managers) fails its share whatever the threshold. 0 whenever a decision
 * was made; CORE_EINVAL for a bad level, negative counts, or a part larger
 * than its total. */
CORE_MUSTCHECK int core_base_accreditation_check(core_accreditation *out,
                                                 const core_rule_set *rs,
                                                 const core_base_input *in);

/* only an accredited base may submit projects, enrol trainees or
 * register records (applied, suspended and revoked bases may not; their
 * past records stay valid). */
bool core_base_may_operate(core_base_status status);

/* a funding split in whole percent, each 0..100, summing to 100.
 * Failing fields ("funding.government", "funding.unit",
 * "funding.individual", or "funding" for the sum) are appended to `out`
 * (may be NULL). 0 or CORE_ERANGE. */
CORE_MUSTCHECK int core_funding_check(core_error_list *out, int government,
                                      int unit, int individual);

/* why a submission is allowed or refused. */
typedef enum core_window_reason {
	CORE_WINDOW_NEXT_YEAR = 0,      /* next_year: submitted during year Y-1 */
	CORE_WINDOW_LATE,               /* late_window: year begun, late window open */
	CORE_WINDOW_YEAR_BEGUN,         /* year_begun: year begun, no open window */
	CORE_WINDOW_TOO_EARLY,          /* too_early: before year Y-1 */
	CORE_WINDOW_REASON_COUNT
} core_window_reason;

CORE_MUSTCHECK int core_window_reason_parse(core_window_reason *out, const char *s);
const char *core_window_reason_name(core_window_reason r);

typedef struct core_window {
	bool allowed;
	core_window_reason reason;
	char message[CORE_MSG_MAX];
} core_window;

/* may a project for `project_year` be submitted on day `on`?
 * Projects for year Y are submitted during year Y-1; a submission for a year
 * that has already begun is refused unless the city bureau opened a late
 * window for that year and `on` is on or before its last day `late_until`
 * (NULL: no window); a submission before year Y-1 is too early. 0 whenever
 * a decision was made; CORE_EINVAL for an invalid date or year. */
CORE_MUSTCHECK int core_project_window_check(core_window *out, int project_year,
                                             core_date on,
                                             const core_date *late_until);

#endif /* CORE_BASE_H */
