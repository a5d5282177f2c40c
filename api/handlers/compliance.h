/* compliance: operations (rows in compliance.routes) and what its two files
 * share (compliance.c: compliance, eligibility, certificate;
 * cycle_assessments.c: the person's cycle assessments) */
#ifndef JXJY_HANDLERS_COMPLIANCE_H
#define JXJY_HANDLERS_COMPLIANCE_H

#include "http/request.h"

#define COMPLIANCE_PERSON_NOT_FOUND "no such person in the caller's jurisdiction"

/* 500 for stored data core refused (rc, logged with the request id). */
void api_compliance_core_failure(api_req *r, int rc);

/* GET /v1/persons/{id}/compliance?year=Y | ?from=Y1&to=Y2 */
extern const api_op op_compliance_get;
/* GET /v1/persons/{id}/eligibility?purpose=…&as_of=D[&year=Y] */
extern const api_op op_compliance_eligibility;
/* GET /v1/persons/{id}/certificate: records by year + yearly summary */
extern const api_op op_compliance_certificate;
/* GET|POST /v1/persons/{id}/cycle-assessments, GET …/{aid} */
extern const api_op op_compliance_assessment_create;
extern const api_op op_compliance_assessment_get;
extern const api_op op_compliance_assessment_list;
#endif
