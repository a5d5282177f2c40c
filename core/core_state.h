/*
 * core_state.h — the state machines as pure transition functions.
 *
 *   record      registered -verify-> verified, registered -reject-> rejected,
 *               verified -revoke-> revoked                          
 *   achievement submitted -approve-> approved | -reject-> rejected  
 *   base        applied -accredit-> accredited -suspend-> suspended
 *               -reinstate-> accredited; accredited|suspended -revoke->
 *               revoked                                             
 *   project     draft -submit-> submitted -approve-> approved
 *               | -reject-> rejected                                
 *   guide       draft -publish-> published                          
 *   enrolment   enrolled -complete-> completed, only with a passed exam
 *                                                                    (R-20)
 *
 * Each function writes the new status to *out and returns 0, or returns
 * CORE_ESTATE (the API answers 409) leaving *out untouched; CORE_EINVAL for
 * a status or action out of range.
 */
#ifndef CORE_STATE_H
#define CORE_STATE_H

#include "core_common.h"
#include "core_enum.h"

CORE_MUSTCHECK int core_record_transition(core_record_status *out,
                                          core_record_status from,
                                          core_record_action action);

CORE_MUSTCHECK int core_achieve_transition(core_achieve_status *out,
                                           core_achieve_status from,
                                           core_achieve_action action);

CORE_MUSTCHECK int core_base_transition(core_base_status *out,
                                        core_base_status from,
                                        core_base_action action);

CORE_MUSTCHECK int core_project_transition(core_project_status *out,
                                           core_project_status from,
                                           core_project_action action);

CORE_MUSTCHECK int core_guide_transition(core_guide_status *out,
                                         core_guide_status from,
                                         core_guide_action action);

/* rejecting or revoking a record must carry a reason (the record
 * stays visible with it); verifying needs none. */
bool core_record_action_needs_reason(core_record_action action);

/* As the others; `complete` from `enrolled` with an exam other than passed
 * returns CORE_EPRECOND (a validation failure, 422, rather than a state
 * conflict). */
CORE_MUSTCHECK int core_enrolment_transition(core_enrolment_status *out,
                                             core_enrolment_status from,
                                             core_enrolment_action action,
                                             core_exam_result exam);

#endif /* CORE_STATE_H */
