/* test_state.c — every legal and illegal transition of every state machine
 * (R-13, R-9, R-16, R-19, R-22, R-20) */
#include <criterion/criterion.h>

#include "test_util.h"

typedef struct legal { int from, action, to; } legal;

/* The expected target of (from, action), or -1 when it must be refused. */
static int expected(const legal *l, size_t n, int from, int action)
{
	for (size_t i = 0; i < n; i++)
		if (l[i].from == from && l[i].action == action)
			return l[i].to;
	return -1;
}

#define CHECK_MACHINE(NAME, STATUS, ACTION, NS, NA, LEGAL, NAMEFN, ACTFN)                 \
	do {                                                                              \
		size_t n_legal = sizeof LEGAL / sizeof LEGAL[0], seen = 0;                \
		for (int f = 0; f < (NS); f++) {                                          \
			for (int a = 0; a < (NA); a++) {                                  \
				STATUS out = (STATUS)99;                                  \
				int want = expected(LEGAL, n_legal, f, a);                \
				int rc = core_##NAME##_transition(&out, (STATUS)f, (ACTION)a); \
				if (want >= 0) {                                          \
					seen++;                                           \
					cr_expect_eq(rc, 0, #NAME ": %s -%s-> must be legal", \
					             NAMEFN((STATUS)f), ACTFN((ACTION)a)); \
					cr_expect_eq((int)out, want, #NAME ": %s -%s-> %s", \
					             NAMEFN((STATUS)f), ACTFN((ACTION)a), \
					             NAMEFN(out));                        \
				} else {                                                  \
					cr_expect_eq(rc, CORE_ESTATE, #NAME ": %s -%s-> must be refused", \
					             NAMEFN((STATUS)f), ACTFN((ACTION)a)); \
					cr_expect_eq((int)out, 99, #NAME ": out written on refusal"); \
				}                                                         \
			}                                                                 \
		}                                                                         \
		cr_expect_eq(seen, n_legal, #NAME ": legal table names unknown states");  \
		STATUS o;                                                                 \
		cr_expect_eq(core_##NAME##_transition(&o, (STATUS)(NS), (ACTION)0), CORE_EINVAL); \
		cr_expect_eq(core_##NAME##_transition(&o, (STATUS)0, (ACTION)(NA)), CORE_EINVAL); \
		cr_expect_eq(core_##NAME##_transition(&o, (STATUS)-1, (ACTION)0), CORE_EINVAL); \
	} while (0)

/* registered -> verified | rejected; verified -> revoked */
Test(core, R13_record_transitions_exhaustive)
{
	static const legal l[] = {
		{ CORE_RECORD_REGISTERED, CORE_RECORD_ACT_VERIFY, CORE_RECORD_VERIFIED },
		{ CORE_RECORD_REGISTERED, CORE_RECORD_ACT_REJECT, CORE_RECORD_REJECTED },
		{ CORE_RECORD_VERIFIED, CORE_RECORD_ACT_REVOKE, CORE_RECORD_REVOKED },
	};
	CHECK_MACHINE(record, core_record_status, core_record_action,
	              CORE_RECORD_STATUS_COUNT, CORE_RECORD_ACT_COUNT, l,
	              core_record_status_name, core_record_action_name);
}

/* R-13 named cases the API maps to 409 */
Test(core, R13_verifying_rejected_record_is_a_state_error)
{
	core_record_status s;

	cr_expect_eq(core_record_transition(&s, CORE_RECORD_REJECTED, CORE_RECORD_ACT_VERIFY), CORE_ESTATE);
	cr_expect_eq(core_record_transition(&s, CORE_RECORD_REGISTERED, CORE_RECORD_ACT_REVOKE), CORE_ESTATE);
	cr_expect_eq(core_record_transition(&s, CORE_RECORD_REVOKED, CORE_RECORD_ACT_VERIFY), CORE_ESTATE);
	cr_expect_eq(core_record_transition(&s, CORE_RECORD_VERIFIED, CORE_RECORD_ACT_VERIFY), CORE_ESTATE);
}

/* submitted -> approved | rejected */
Test(core, R9_achievement_transitions_exhaustive)
{
	static const legal l[] = {
		{ CORE_ACHIEVE_SUBMITTED, CORE_ACHIEVE_ACT_APPROVE, CORE_ACHIEVE_APPROVED },
		{ CORE_ACHIEVE_SUBMITTED, CORE_ACHIEVE_ACT_REJECT, CORE_ACHIEVE_REJECTED },
	};
	CHECK_MACHINE(achieve, core_achieve_status, core_achieve_action,
	              CORE_ACHIEVE_STATUS_COUNT, CORE_ACHIEVE_ACT_COUNT, l,
	              core_achieve_status_name, core_achieve_action_name);
}

/* applied -> accredited -> suspended <-> accredited, -> revoked */
Test(core, R16_base_transitions_exhaustive)
{
	static const legal l[] = {
		{ CORE_BASE_APPLIED, CORE_BASE_ACT_ACCREDIT, CORE_BASE_ACCREDITED },
		{ CORE_BASE_ACCREDITED, CORE_BASE_ACT_SUSPEND, CORE_BASE_SUSPENDED },
		{ CORE_BASE_SUSPENDED, CORE_BASE_ACT_REINSTATE, CORE_BASE_ACCREDITED },
		{ CORE_BASE_ACCREDITED, CORE_BASE_ACT_REVOKE, CORE_BASE_REVOKED },
		{ CORE_BASE_SUSPENDED, CORE_BASE_ACT_REVOKE, CORE_BASE_REVOKED },
	};
	CHECK_MACHINE(base, core_base_status, core_base_action,
	              CORE_BASE_STATUS_COUNT, CORE_BASE_ACT_COUNT, l,
	              core_base_status_name, core_base_action_name);
}

/* draft -> submitted -> approved | rejected */
Test(core, R19_project_transitions_exhaustive)
{
	static const legal l[] = {
		{ CORE_PROJECT_DRAFT, CORE_PROJECT_ACT_SUBMIT, CORE_PROJECT_SUBMITTED },
		{ CORE_PROJECT_SUBMITTED, CORE_PROJECT_ACT_APPROVE, CORE_PROJECT_APPROVED },
		{ CORE_PROJECT_SUBMITTED, CORE_PROJECT_ACT_REJECT, CORE_PROJECT_REJECTED },
	};
	CHECK_MACHINE(project, core_project_status, core_project_action,
	              CORE_PROJECT_STATUS_COUNT, CORE_PROJECT_ACT_COUNT, l,
	              core_project_status_name, core_project_action_name);
}

/* draft -> published */
Test(core, R22_guide_transitions_exhaustive)
{
	static const legal l[] = {
		{ CORE_GUIDE_DRAFT, CORE_GUIDE_ACT_PUBLISH, CORE_GUIDE_PUBLISHED },
	};
	CHECK_MACHINE(guide, core_guide_status, core_guide_action,
	              CORE_GUIDE_STATUS_COUNT, CORE_GUIDE_ACT_COUNT, l,
	              core_guide_status_name, core_guide_action_name);
}

/* completing an enrolment needs a passed exam */
Test(core, R20_enrolment_complete_needs_passed_exam)
{
	core_enrolment_status s = CORE_ENROLMENT_ENROLLED;

	cr_expect_eq(core_enrolment_transition(&s, CORE_ENROLMENT_ENROLLED,
	                                       CORE_ENROLMENT_ACT_COMPLETE, CORE_EXAM_PENDING),
	             CORE_EPRECOND);
	cr_expect_eq(core_enrolment_transition(&s, CORE_ENROLMENT_ENROLLED,
	                                       CORE_ENROLMENT_ACT_COMPLETE, CORE_EXAM_FAILED),
	             CORE_EPRECOND);
	cr_expect_eq(s, CORE_ENROLMENT_ENROLLED);
	cr_expect_eq(core_enrolment_transition(&s, CORE_ENROLMENT_ENROLLED,
	                                       CORE_ENROLMENT_ACT_COMPLETE, CORE_EXAM_PASSED), 0);
	cr_expect_eq(s, CORE_ENROLMENT_COMPLETED);
	cr_expect_eq(core_enrolment_transition(&s, CORE_ENROLMENT_COMPLETED,
	                                       CORE_ENROLMENT_ACT_COMPLETE, CORE_EXAM_PASSED),
	             CORE_ESTATE);   /* a second completion */
	cr_expect_eq(core_enrolment_transition(&s, CORE_ENROLMENT_ENROLLED,
	                                       CORE_ENROLMENT_ACT_COMPLETE, CORE_EXAM_COUNT),
	             CORE_EINVAL);
	cr_expect_eq(core_enrolment_transition(&s, CORE_ENROLMENT_STATUS_COUNT,
	                                       CORE_ENROLMENT_ACT_COMPLETE, CORE_EXAM_PASSED),
	             CORE_EINVAL);
}

/* reject and revoke carry a reason */
Test(core, R13_reject_and_revoke_need_reason)
{
	cr_expect_not(core_record_action_needs_reason(CORE_RECORD_ACT_VERIFY));
	cr_expect(core_record_action_needs_reason(CORE_RECORD_ACT_REJECT));
	cr_expect(core_record_action_needs_reason(CORE_RECORD_ACT_REVOKE));
}
