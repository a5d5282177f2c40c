/* core_state.c — transition tables; -1 marks an illegal transition */
#include "core_state.h"

static const signed char record_next[CORE_RECORD_STATUS_COUNT][CORE_RECORD_ACT_COUNT] = {
	/*                        verify                  reject                  revoke */
	[CORE_RECORD_REGISTERED] = { CORE_RECORD_VERIFIED, CORE_RECORD_REJECTED, -1 },
	[CORE_RECORD_VERIFIED]   = { -1, -1, CORE_RECORD_REVOKED },
	[CORE_RECORD_REJECTED]   = { -1, -1, -1 },
	[CORE_RECORD_REVOKED]    = { -1, -1, -1 },
};

static const signed char achieve_next[CORE_ACHIEVE_STATUS_COUNT][CORE_ACHIEVE_ACT_COUNT] = {
	/*                         approve                  reject */
	[CORE_ACHIEVE_SUBMITTED] = { CORE_ACHIEVE_APPROVED, CORE_ACHIEVE_REJECTED },
	[CORE_ACHIEVE_APPROVED]  = { -1, -1 },
	[CORE_ACHIEVE_REJECTED]  = { -1, -1 },
};

static const signed char base_next[CORE_BASE_STATUS_COUNT][CORE_BASE_ACT_COUNT] = {
	/*                     accredit              suspend              reinstate             revoke */
	[CORE_BASE_APPLIED]    = { CORE_BASE_ACCREDITED, -1, -1, -1 },
	[CORE_BASE_ACCREDITED] = { -1, CORE_BASE_SUSPENDED, -1, CORE_BASE_REVOKED },
	[CORE_BASE_SUSPENDED]  = { -1, -1, CORE_BASE_ACCREDITED, CORE_BASE_REVOKED },
	[CORE_BASE_REVOKED]    = { -1, -1, -1, -1 },
};

static const signed char project_next[CORE_PROJECT_STATUS_COUNT][CORE_PROJECT_ACT_COUNT] = {
	/*                          submit                   approve                 reject */
	[CORE_PROJECT_DRAFT]     = { CORE_PROJECT_SUBMITTED, -1, -1 },
	[CORE_PROJECT_SUBMITTED] = { -1, CORE_PROJECT_APPROVED, CORE_PROJECT_REJECTED },
	[CORE_PROJECT_APPROVED]  = { -1, -1, -1 },
	[CORE_PROJECT_REJECTED]  = { -1, -1, -1 },
};

static const signed char guide_next[CORE_GUIDE_STATUS_COUNT][CORE_GUIDE_ACT_COUNT] = {
	[CORE_GUIDE_DRAFT]     = { CORE_GUIDE_PUBLISHED },
	[CORE_GUIDE_PUBLISHED] = { -1 },
};

static const signed char enrolment_next[CORE_ENROLMENT_STATUS_COUNT][CORE_ENROLMENT_ACT_COUNT] = {
	[CORE_ENROLMENT_ENROLLED]  = { CORE_ENROLMENT_COMPLETED },
	[CORE_ENROLMENT_COMPLETED] = { -1 },
};

/* Look up (from, action) in a table of `na` actions; writes the next state
 * to *next. */
static int step(int *next, const signed char *table, int ns, int na, int from, int action)
{
	int to;

	if (from < 0 || from >= ns || action < 0 || action >= na)
		return CORE_EINVAL;
	to = table[from * na + action];
	if (to < 0)
		return CORE_ESTATE;
	*next = to;
	return 0;
}

#define CORE_TRANSITION(NAME, STATUS, ACTION, TABLE, NS, NA)                   \
	int core_##NAME##_transition(STATUS *out, STATUS from, ACTION action)  \
	{                                                                      \
		int next = 0;                                                  \
		int rc = step(&next, &TABLE[0][0], NS, NA, (int)from, (int)action); \
		if (rc == 0)                                                   \
			*out = (STATUS)next;                                   \
		return rc;                                                     \
	}

CORE_TRANSITION(record, core_record_status, core_record_action, record_next,
                CORE_RECORD_STATUS_COUNT, CORE_RECORD_ACT_COUNT)
CORE_TRANSITION(achieve, core_achieve_status, core_achieve_action, achieve_next,
                CORE_ACHIEVE_STATUS_COUNT, CORE_ACHIEVE_ACT_COUNT)
CORE_TRANSITION(base, core_base_status, core_base_action, base_next,
                CORE_BASE_STATUS_COUNT, CORE_BASE_ACT_COUNT)
CORE_TRANSITION(project, core_project_status, core_project_action, project_next,
                CORE_PROJECT_STATUS_COUNT, CORE_PROJECT_ACT_COUNT)
CORE_TRANSITION(guide, core_guide_status, core_guide_action, guide_next,
                CORE_GUIDE_STATUS_COUNT, CORE_GUIDE_ACT_COUNT)

int core_enrolment_transition(core_enrolment_status *out, core_enrolment_status from,
                              core_enrolment_action action, core_exam_result exam)
{
	int next = 0;
	int rc;

	if ((unsigned)exam >= (unsigned)CORE_EXAM_COUNT)
		return CORE_EINVAL;
	rc = step(&next, &enrolment_next[0][0], CORE_ENROLMENT_STATUS_COUNT,
	          CORE_ENROLMENT_ACT_COUNT, (int)from, (int)action);
	if (rc < 0)
		return rc;
	if (action == CORE_ENROLMENT_ACT_COMPLETE && exam != CORE_EXAM_PASSED)
		return CORE_EPRECOND;
	*out = (core_enrolment_status)next;
	return 0;
}

bool core_record_action_needs_reason(core_record_action action)
{
	return action == CORE_RECORD_ACT_REJECT || action == CORE_RECORD_ACT_REVOKE;
}
