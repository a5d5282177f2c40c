/* compliance: operations (rows in compliance.routes) and what its files
 * share (compliance.c: compliance, eligibility and the verdicts of
 * person-years; certificate.c; cycle_assessments.c) */
#ifndef JXJY_HANDLERS_COMPLIANCE_H
#define JXJY_HANDLERS_COMPLIANCE_H

#include "http/request.h"

#define COMPLIANCE_PERSON_NOT_FOUND "no such person in the caller's jurisdiction"
/* "1990 to 2100", spelled from API_YEAR_MIN and API_YEAR_MAX: the wording
 * of the query 400s that name the years */
#define COMPLIANCE_STR_(x) #x
#define COMPLIANCE_STR(x) COMPLIANCE_STR_(x)
#define COMPLIANCE_YEARS COMPLIANCE_STR(API_YEAR_MIN) " to " COMPLIANCE_STR(API_YEAR_MAX)

/* Where a statement answers a stored summary (JXJY_COMPLIANCE_SUMMARY_COLS
 * in db/stmts/compliance.def): its <STMT>_COL_* numbers. */
typedef struct api_compliance_cols {
	int rule_set, level, earned_public, earned_professional, pending_public,
	    pending_professional, required_public, required_professional, compliant, decided_at;
} api_compliance_cols;
#define API_COMPLIANCE_COLS_OF(S) { S##_COL_RULE_SET, S##_COL_SUMMARY_TITLE_LEVEL, \
	S##_COL_PUBLIC_VERIFIED, S##_COL_PROFESSIONAL_VERIFIED, S##_COL_PUBLIC_PENDING, \
	S##_COL_PROFESSIONAL_PENDING, S##_COL_REQUIRED_PUBLIC, S##_COL_REQUIRED_PROFESSIONAL, \
	S##_COL_COMPLIANT, S##_COL_DECIDED_AT }

/* The stored verdict of a person-year from row of res (columns k): 0, or
 * CORE_EINVAL for a value that cannot be read (logged).  The shortfall is
 * the stored requirement less the stored earned hours, as
 * core_year_evaluate computed it. */
int api_compliance_verdict_read(core_year_verdict *v, const db_result *res, int row,
                                const api_compliance_cols *k, int year);
/* A title level column as core names it: 0, else CORE_EINVAL. */
int api_compliance_level_read(const db_result *res, int row, int col, core_level *out);
/* The compliance object (API.md "compliance"), new; decided_at NULL when
 * core decided the year just now (no records, no stored row). */
json_t *api_compliance_verdict_json(const char *person, const core_year_verdict *v,
                                    const char *decided_at);
/* True when q (the person's read) has a row; else 404 and false. */
bool api_compliance_person_found(api_req *r, const db_result *q);
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
