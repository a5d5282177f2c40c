/* core_base.c — base accreditation, status, funding,
 * submission window */
#include "core_base.h"

#include "core_internal.h"

#include <stdio.h>
#include <string.h>

const char *core_criterion_name(core_criterion c)
{
	switch (c) {
	case CORE_CRIT_SENIOR_FACULTY_SHARE: return "senior_faculty_share";
	case CORE_CRIT_CERTIFIED_MANAGER_SHARE: return "certified_manager_share";
	case CORE_CRIT_MANAGEMENT_SYSTEMS: return "management_systems";
	default: return NULL;
	}
}

/* part/total >= bp / 10000, exactly, in integers; an empty total never
 * meets it */
static bool share_meets(int part, int total, int bp)
{
	if (total <= 0)
		return false;
	return (int64_t)part * 10000 >= (int64_t)bp * total;
}

/* Basis points as a percentage without trailing zeros: 6000 -> "60",
 * 6250 -> "62.5", 6225 -> "62.25". */
static void format_pct(char *buf, size_t n, int bp)
{
	if (bp % 100 == 0)
		snprintf(buf, n, "%d", bp / 100);
	else if (bp % 10 == 0)
		snprintf(buf, n, "%d.%d", bp / 100, (bp % 100) / 10);
	else
		snprintf(buf, n, "%d.%02d", bp / 100, bp % 100);
}

/* The actual share, rounded down to a whole percent, for messages. */
static int share_pct(int part, int total)
{
	return total > 0 ? (int)((int64_t)part * 100 / total) : 0;
}

int core_base_accreditation_check(core_accreditation *out, const core_rule_set *rs,
                                  const core_base_input *in)
{
	const core_base_thresholds *t = core_rules_base_thresholds(rs, in->level);
	const core_base_systems *s = &in->systems;
	char missing[CORE_MSG_MAX];
	char need_senior[16], need_cert[16];
	size_t len = 0;

	if (t == NULL)
		return CORE_EINVAL;
	if (in->faculty_total < 0 || in->faculty_senior < 0 ||
	    in->faculty_senior > in->faculty_total || in->managers_total < 0 ||
	    in->managers_certified < 0 || in->managers_certified > in->managers_total)
		return CORE_EINVAL;

	memset(out, 0, sizeof *out);
	core__copy_id(out->rule_set, rs->id);
	out->level = in->level;
	out->senior_faculty_bp_required = t->senior_faculty_bp;
	out->certified_manager_bp_required = t->certified_manager_bp;
	core_error_list_init(&out->errors);
	format_pct(need_senior, sizeof need_senior, t->senior_faculty_bp);
	format_pct(need_cert, sizeof need_cert, t->certified_manager_bp);

	if (!share_meets(in->faculty_senior, in->faculty_total, t->senior_faculty_bp)) {
		out->failing |= CORE_CRIT_SENIOR_FACULTY_SHARE;
		if (in->faculty_total == 0)
			core_error_list_add(&out->errors, "senior_faculty_share", CORE_FE_BELOW,
			                    "no faculty on the roster, at least %s%% must hold a senior title",
			                    need_senior);
		else
			core_error_list_add(&out->errors, "senior_faculty_share", CORE_FE_BELOW,
			                    "%d of %d faculty (%d%%) hold a senior title, at least %s%% required",
			                    in->faculty_senior, in->faculty_total,
			                    share_pct(in->faculty_senior, in->faculty_total),
			                    need_senior);
	}
	if (!share_meets(in->managers_certified, in->managers_total, t->certified_manager_bp)) {
		out->failing |= CORE_CRIT_CERTIFIED_MANAGER_SHARE;
		if (in->managers_total == 0)
			core_error_list_add(&out->errors, "certified_manager_share", CORE_FE_BELOW,
			                    "no training managers on the roster, at least %s%% must be certified",
			                    need_cert);
		else
			core_error_list_add(&out->errors, "certified_manager_share", CORE_FE_BELOW,
			                    "%d of %d training managers (%d%%) are certified, at least %s%% required",
			                    in->managers_certified, in->managers_total,
			                    share_pct(in->managers_certified, in->managers_total),
			                    need_cert);
	}

	missing[0] = '\0';
#define CORE_SYSTEM(FIELD)                                                     \
	if (!s->FIELD && len < sizeof missing)                                 \
		len += (size_t)snprintf(missing + len, sizeof missing - len,   \
		                        "%s" #FIELD, len > 0 ? ", " : "");
	CORE_SYSTEM(teaching_management)
	CORE_SYSTEM(trainee_assessment)
	CORE_SYSTEM(certificate_registration)
	CORE_SYSTEM(fee_management)
	CORE_SYSTEM(effect_tracking)
#undef CORE_SYSTEM
	if (len > 0) {
		out->failing |= CORE_CRIT_MANAGEMENT_SYSTEMS;
		core_error_list_add(&out->errors, "management_systems", CORE_FE_MISSING,
		                    "management systems not in place: %s", missing);
	}
	out->accreditable = out->failing == 0;
	return 0;
}

bool core_base_may_operate(core_base_status status)
{
	return status == CORE_BASE_ACCREDITED;
}

int core_funding_check(core_error_list *out, int government, int unit, int individual)
{
	const struct { const char *field; int v; } parts[] = {
		{ "funding.government", government },
		{ "funding.unit", unit },
		{ "funding.individual", individual },
	};
	bool bad = false;

	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		if (parts[i].v < 0 || parts[i].v > 100) {
			core_error_list_add(out, parts[i].field, CORE_FE_OUT_OF_RANGE,
			                    "share must be a percentage from 0 to 100, got %d",
			                    parts[i].v);
			bad = true;
		}
	}
	if (!bad && government + unit + individual != 100) {
		core_error_list_add(out, "funding", CORE_FE_SUM,
		                    "government, unit and individual shares must sum to 100, got %d",
		                    government + unit + individual);
		bad = true;
	}
	return bad ? CORE_ERANGE : 0;
}

static const char *const window_names[] = {
	"next_year", "late_window", "year_begun", "too_early"
};
_Static_assert(sizeof window_names / sizeof window_names[0] == CORE_WINDOW_REASON_COUNT,
               "window reason names out of step");

int core_window_reason_parse(core_window_reason *out, const char *s)
{
	if (s == NULL)
		return CORE_EINVAL;
	for (int i = 0; i < CORE_WINDOW_REASON_COUNT; i++) {
		if (strcmp(window_names[i], s) == 0) {
			*out = (core_window_reason)i;
			return 0;
		}
	}
	return CORE_EINVAL;
}

const char *core_window_reason_name(core_window_reason r)
{
	if ((unsigned)r >= (unsigned)CORE_WINDOW_REASON_COUNT)
		return NULL;
	return window_names[r];
}

int core_project_window_check(core_window *out, int project_year, core_date on,
                              const core_date *late_until)
{
	char until[CORE_DATE_BUFSZ];

	if (project_year < 2 || project_year > 9999 || !core_date_valid(on))
		return CORE_EINVAL;
	if (late_until != NULL && !core_date_valid(*late_until))
		return CORE_EINVAL;

	memset(out, 0, sizeof *out);
	if (on.y == project_year - 1) {
		out->allowed = true;
		out->reason = CORE_WINDOW_NEXT_YEAR;
		snprintf(out->message, sizeof out->message,
		         "projects for %d are submitted during %d", project_year, on.y);
	} else if (on.y < project_year - 1) {
		out->allowed = false;
		out->reason = CORE_WINDOW_TOO_EARLY;
		snprintf(out->message, sizeof out->message,
		         "projects for %d can be submitted from %d-01-01", project_year,
		         project_year - 1);
	} else if (late_until != NULL && core_date_compare(on, *late_until) <= 0) {
		core_date_format(until, sizeof until, *late_until);
		out->allowed = true;
		out->reason = CORE_WINDOW_LATE;
		snprintf(out->message, sizeof out->message,
		         "%d has begun; late window open until %s", project_year, until);
	} else {
		out->allowed = false;
		out->reason = CORE_WINDOW_YEAR_BEGUN;
		if (late_until != NULL) {
			core_date_format(until, sizeof until, *late_until);
			snprintf(out->message, sizeof out->message,
			         "%d has begun and its late window closed on %s",
			         project_year, until);
		} else {
			snprintf(out->message, sizeof out->message,
			         "%d has begun and no late window is open", project_year);
		}
	}
	return 0;
}
