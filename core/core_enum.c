/* core_enum.c — enum <-> API spelling tables */
#include "core_enum.h"

#include <string.h>

static int lookup(int *out, const char *const *names, int n, const char *s)
{
	if (s == NULL)
		return CORE_EINVAL;
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i], s) == 0) {
			*out = i;
			return 0;
		}
	}
	return CORE_EINVAL;
}

#define CORE_ENUM_DEFINE(T, COUNT, ...)                                      \
	static const char *const T##_names[] = { __VA_ARGS__ };              \
	_Static_assert(sizeof T##_names / sizeof T##_names[0] == (COUNT),    \
	               #T " name table out of step with its enum");          \
	int core_##T##_parse(core_##T *out, const char *s)                   \
	{                                                                    \
		int v = 0;                                                   \
		int rc = lookup(&v, T##_names, (int)(COUNT), s);             \
		if (rc == 0)                                                 \
			*out = (core_##T)v;                                  \
		return rc;                                                   \
	}                                                                    \
	const char *core_##T##_name(core_##T v)                              \
	{                                                                    \
		if ((int)v < 0 || (int)v >= (int)(COUNT))                    \
			return NULL;                                         \
		return T##_names[v];                                         \
	}

CORE_ENUM_DEFINE(level, CORE_LEVEL_COUNT,
	"senior_full", "senior_deputy", "intermediate", "junior_assistant",
	"junior_member")
CORE_ENUM_DEFINE(category, CORE_CAT_COUNT, "public", "professional")
CORE_ENUM_DEFINE(form, CORE_FORM_COUNT,
	"training_class", "overseas_training", "academic_exchange",
	"degree_education", "remote_education", "online_education",
	"paper_provincial", "paper_national", "monograph", "award_provincial",
	"award_national")
CORE_ENUM_DEFINE(class_type, CORE_CLASS_COUNT,
	"full_time", "part_time", "spare_time", "online")
CORE_ENUM_DEFINE(source, CORE_SOURCE_COUNT, "unit", "base", "achievement")
CORE_ENUM_DEFINE(record_status, CORE_RECORD_STATUS_COUNT,
	"registered", "verified", "rejected", "revoked")
CORE_ENUM_DEFINE(record_action, CORE_RECORD_ACT_COUNT,
	"verify", "reject", "revoke")
CORE_ENUM_DEFINE(achieve_status, CORE_ACHIEVE_STATUS_COUNT,
	"submitted", "approved", "rejected")
CORE_ENUM_DEFINE(achieve_action, CORE_ACHIEVE_ACT_COUNT, "approve", "reject")
CORE_ENUM_DEFINE(base_status, CORE_BASE_STATUS_COUNT,
	"applied", "accredited", "suspended", "revoked")
CORE_ENUM_DEFINE(base_action, CORE_BASE_ACT_COUNT,
	"accredit", "suspend", "reinstate", "revoke")
CORE_ENUM_DEFINE(base_level, CORE_BASE_LEVEL_COUNT, "city", "district")
CORE_ENUM_DEFINE(project_status, CORE_PROJECT_STATUS_COUNT,
	"draft", "submitted", "approved", "rejected")
CORE_ENUM_DEFINE(project_action, CORE_PROJECT_ACT_COUNT,
	"submit", "approve", "reject")
CORE_ENUM_DEFINE(guide_status, CORE_GUIDE_STATUS_COUNT, "draft", "published")
CORE_ENUM_DEFINE(guide_action, CORE_GUIDE_ACT_COUNT, "publish")
CORE_ENUM_DEFINE(exam_result, CORE_EXAM_COUNT, "pending", "passed", "failed")
CORE_ENUM_DEFINE(enrolment_status, CORE_ENROLMENT_STATUS_COUNT,
	"enrolled", "completed")
CORE_ENUM_DEFINE(enrolment_action, CORE_ENROLMENT_ACT_COUNT, "complete")
CORE_ENUM_DEFINE(purpose, CORE_PURPOSE_COUNT,
	"annual_assessment", "hiring", "renewal", "promotion")
CORE_ENUM_DEFINE(unit_kind, CORE_UNIT_KIND_COUNT, "enterprise", "institution")
CORE_ENUM_DEFINE(person_status, CORE_PERSON_STATUS_COUNT, "in_service", "left")

bool core_level_is_senior(core_level l)
{
	return l == CORE_LEVEL_SENIOR_FULL || l == CORE_LEVEL_SENIOR_DEPUTY;
}

bool core_level_is_junior(core_level l)
{
	return l == CORE_LEVEL_JUNIOR_ASSISTANT || l == CORE_LEVEL_JUNIOR_MEMBER;
}

bool core_form_is_achievement(core_form f)
{
	return f >= CORE_FORM_PAPER_PROVINCIAL && f < CORE_FORM_COUNT;
}
