/* compliance: handler declarations (rows in compliance.routes) */
#ifndef JXJY_HANDLERS_COMPLIANCE_H
#define JXJY_HANDLERS_COMPLIANCE_H

#include "http/request.h"

/* GET /v1/persons/{id}/compliance?year=Y | ?from=Y1&to=Y2 */
void h_compliance_get(api_req *r);
/* GET /v1/persons/{id}/eligibility?purpose=…&as_of=D[&year=Y] */
void h_compliance_eligibility(api_req *r);
/* GET /v1/persons/{id}/certificate: records by year + yearly summary */
void h_compliance_certificate(api_req *r);
/* GET|POST /v1/persons/{id}/cycle-assessments, GET …/{aid} */
void h_compliance_assessment_list(api_req *r);
void h_compliance_assessment_create(api_req *r);
void h_compliance_assessment_get(api_req *r);

extern const api_op op_compliance_assessment_create;
extern const api_op op_compliance_assessment_get;
extern const api_op op_compliance_assessment_list;
extern const api_op op_compliance_certificate;
extern const api_op op_compliance_eligibility;
extern const api_op op_compliance_get;
#endif
