/*
 * core_enum.h — the enumerations of DOMAIN.md / API.md and their exact API
 * spellings.
 *
 * For every enumeration X there is
 *   int core_X_parse(core_X *out, const char *s);   0, or CORE_EINVAL for an
 *                                                   unknown/NULL string
 *   const char *core_X_name(core_X v);              the API spelling, or NULL
 *                                                   for a value out of range
 * Names are static storage. Parsing is exact and case-sensitive.
 */
#ifndef CORE_ENUM_H
#define CORE_ENUM_H

#include "core_common.h"

/* R-2 title levels (职称). "高中级" = the first three, "初级" = the last two. */
typedef enum core_level {
	CORE_LEVEL_SENIOR_FULL = 0,     /* senior_full 正高级 */
	CORE_LEVEL_SENIOR_DEPUTY,       /* senior_deputy 副高级 */
	CORE_LEVEL_INTERMEDIATE,        /* intermediate 中级 */
	CORE_LEVEL_JUNIOR_ASSISTANT,    /* junior_assistant 助理级 */
	CORE_LEVEL_JUNIOR_MEMBER,       /* junior_member 员级 */
	CORE_LEVEL_COUNT
} core_level;

/* R-3 content categories. */
typedef enum core_category {
	CORE_CAT_PUBLIC = 0,            /* public 公共知识 */
	CORE_CAT_PROFESSIONAL,          /* professional 专业知识 */
	CORE_CAT_COUNT
} core_category;

/* R-10 forms: the six forms of study plus the five default achievement kinds
 * of R-9. Kinds the city adds (R-9c) are data (conversion kind codes of a rule
 * set), see core_rules_form_known(). */
typedef enum core_form {
	CORE_FORM_TRAINING_CLASS = 0,   /* training_class 培训班 */
	CORE_FORM_OVERSEAS_TRAINING,    /* overseas_training 出国培训 */
	CORE_FORM_ACADEMIC_EXCHANGE,    /* academic_exchange 学术交流 */
	CORE_FORM_DEGREE_EDUCATION,     /* degree_education 学历教育 */
	CORE_FORM_REMOTE_EDUCATION,     /* remote_education 远程教育 */
	CORE_FORM_ONLINE_EDUCATION,     /* online_education 网络教育 */
	CORE_FORM_PAPER_PROVINCIAL,     /* paper_provincial */
	CORE_FORM_PAPER_NATIONAL,       /* paper_national */
	CORE_FORM_MONOGRAPH,            /* monograph */
	CORE_FORM_AWARD_PROVINCIAL,     /* award_provincial */
	CORE_FORM_AWARD_NATIONAL,       /* award_national */
	CORE_FORM_COUNT
} core_form;

/* R-11 class types (办班种类). */
typedef enum core_class_type {
	CORE_CLASS_FULL_TIME = 0,       /* full_time 脱产 */
	CORE_CLASS_PART_TIME,           /* part_time 半脱产 */
	CORE_CLASS_SPARE_TIME,          /* spare_time 业余 */
	CORE_CLASS_ONLINE,              /* online 网络 */
	CORE_CLASS_COUNT
} core_class_type;

/* R-12 record source. */
typedef enum core_source {
	CORE_SOURCE_UNIT = 0,           /* unit */
	CORE_SOURCE_BASE,               /* base */
	CORE_SOURCE_ACHIEVEMENT,        /* achievement */
	CORE_SOURCE_COUNT
} core_source;

/* R-13 record statuses and actions. */
typedef enum core_record_status {
	CORE_RECORD_REGISTERED = 0,     /* registered */
	CORE_RECORD_VERIFIED,           /* verified */
	CORE_RECORD_REJECTED,           /* rejected */
	CORE_RECORD_REVOKED,            /* revoked */
	CORE_RECORD_STATUS_COUNT
} core_record_status;

typedef enum core_record_action {
	CORE_RECORD_ACT_VERIFY = 0,     /* verify */
	CORE_RECORD_ACT_REJECT,         /* reject */
	CORE_RECORD_ACT_REVOKE,         /* revoke */
	CORE_RECORD_ACT_COUNT
} core_record_action;

/* R-9 achievement statuses and actions. */
typedef enum core_achieve_status {
	CORE_ACHIEVE_SUBMITTED = 0,     /* submitted */
	CORE_ACHIEVE_APPROVED,          /* approved */
	CORE_ACHIEVE_REJECTED,          /* rejected */
	CORE_ACHIEVE_STATUS_COUNT
} core_achieve_status;

typedef enum core_achieve_action {
	CORE_ACHIEVE_ACT_APPROVE = 0,   /* approve */
	CORE_ACHIEVE_ACT_REJECT,        /* reject */
	CORE_ACHIEVE_ACT_COUNT
} core_achieve_action;

/* R-16 base statuses, actions and levels. */
typedef enum core_base_status {
	CORE_BASE_APPLIED = 0,          /* applied */
	CORE_BASE_ACCREDITED,           /* accredited */
	CORE_BASE_SUSPENDED,            /* suspended */
	CORE_BASE_REVOKED,              /* revoked */
	CORE_BASE_STATUS_COUNT
} core_base_status;

typedef enum core_base_action {
	CORE_BASE_ACT_ACCREDIT = 0,     /* accredit */
	CORE_BASE_ACT_SUSPEND,          /* suspend */
	CORE_BASE_ACT_REINSTATE,        /* reinstate */
	CORE_BASE_ACT_REVOKE,           /* revoke */
	CORE_BASE_ACT_COUNT
} core_base_action;

typedef enum core_base_level {
	CORE_BASE_LEVEL_CITY = 0,       /* city */
	CORE_BASE_LEVEL_DISTRICT,       /* district */
	CORE_BASE_LEVEL_COUNT
} core_base_level;

/* R-19 project statuses and actions. */
typedef enum core_project_status {
	CORE_PROJECT_DRAFT = 0,         /* draft */
	CORE_PROJECT_SUBMITTED,         /* submitted */
	CORE_PROJECT_APPROVED,          /* approved */
	CORE_PROJECT_REJECTED,          /* rejected */
	CORE_PROJECT_STATUS_COUNT
} core_project_status;

typedef enum core_project_action {
	CORE_PROJECT_ACT_SUBMIT = 0,    /* submit */
	CORE_PROJECT_ACT_APPROVE,       /* approve */
	CORE_PROJECT_ACT_REJECT,        /* reject */
	CORE_PROJECT_ACT_COUNT
} core_project_action;

/* R-22 guide statuses and actions. */
typedef enum core_guide_status {
	CORE_GUIDE_DRAFT = 0,           /* draft */
	CORE_GUIDE_PUBLISHED,           /* published */
	CORE_GUIDE_STATUS_COUNT
} core_guide_status;

typedef enum core_guide_action {
	CORE_GUIDE_ACT_PUBLISH = 0,     /* publish */
	CORE_GUIDE_ACT_COUNT
} core_guide_action;

/* R-20 enrolments: exam result and status. */
typedef enum core_exam_result {
	CORE_EXAM_PENDING = 0,          /* pending */
	CORE_EXAM_PASSED,               /* passed */
	CORE_EXAM_FAILED,               /* failed */
	CORE_EXAM_COUNT
} core_exam_result;

typedef enum core_enrolment_status {
	CORE_ENROLMENT_ENROLLED = 0,    /* enrolled */
	CORE_ENROLMENT_COMPLETED,       /* completed */
	CORE_ENROLMENT_STATUS_COUNT
} core_enrolment_status;

typedef enum core_enrolment_action {
	CORE_ENROLMENT_ACT_COMPLETE = 0, /* complete */
	CORE_ENROLMENT_ACT_COUNT
} core_enrolment_action;

/* R-15 eligibility purposes. */
typedef enum core_purpose {
	CORE_PURPOSE_ANNUAL_ASSESSMENT = 0, /* annual_assessment 年度考核 */
	CORE_PURPOSE_HIRING,            /* hiring 聘任 */
	CORE_PURPOSE_RENEWAL,           /* renewal 续聘 */
	CORE_PURPOSE_PROMOTION,         /* promotion 晋升职称 */
	CORE_PURPOSE_COUNT
} core_purpose;

/* Unit kind and person status (API payloads). */
typedef enum core_unit_kind {
	CORE_UNIT_ENTERPRISE = 0,       /* enterprise */
	CORE_UNIT_INSTITUTION,          /* institution */
	CORE_UNIT_KIND_COUNT
} core_unit_kind;

typedef enum core_person_status {
	CORE_PERSON_IN_SERVICE = 0,     /* in_service */
	CORE_PERSON_LEFT,               /* left */
	CORE_PERSON_STATUS_COUNT
} core_person_status;

#define CORE_ENUM_DECLARE(T) \
	CORE_MUSTCHECK int core_##T##_parse(core_##T *out, const char *s); \
	const char *core_##T##_name(core_##T v)

CORE_ENUM_DECLARE(level);
CORE_ENUM_DECLARE(category);
CORE_ENUM_DECLARE(form);
CORE_ENUM_DECLARE(class_type);
CORE_ENUM_DECLARE(source);
CORE_ENUM_DECLARE(record_status);
CORE_ENUM_DECLARE(record_action);
CORE_ENUM_DECLARE(achieve_status);
CORE_ENUM_DECLARE(achieve_action);
CORE_ENUM_DECLARE(base_status);
CORE_ENUM_DECLARE(base_action);
CORE_ENUM_DECLARE(base_level);
CORE_ENUM_DECLARE(project_status);
CORE_ENUM_DECLARE(project_action);
CORE_ENUM_DECLARE(guide_status);
CORE_ENUM_DECLARE(guide_action);
CORE_ENUM_DECLARE(exam_result);
CORE_ENUM_DECLARE(enrolment_status);
CORE_ENUM_DECLARE(enrolment_action);
CORE_ENUM_DECLARE(purpose);
CORE_ENUM_DECLARE(unit_kind);
CORE_ENUM_DECLARE(person_status);

/* true for senior_full and senior_deputy (正高 + 副高; the "senior title"
 * of R-17's faculty share). */
bool core_level_is_senior(core_level l);

/* true for the junior levels (初级: junior_assistant, junior_member),
 * false for senior and intermediate (高中级) and for out-of-range values. */
bool core_level_is_junior(core_level l);

/* true for the five default achievement kinds among the forms. */
bool core_form_is_achievement(core_form f);

#endif /* CORE_ENUM_H */
