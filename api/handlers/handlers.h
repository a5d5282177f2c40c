/* Every handler of the route table, one file per resource. */
#ifndef JXJY_API_HANDLERS_H
#define JXJY_API_HANDLERS_H

#include "http/request.h"

/* ops.c */
void h_livez(api_req *r);
void h_readyz(api_req *r);
void h_metrics(api_req *r);
void h_openapi(api_req *r);
/* reference.c */
void h_districts_list(api_req *r);
void h_industries_list(api_req *r);
/* auth.c */
void h_auth_token(api_req *r);
/* me.c */
void h_me(api_req *r);
/* accounts.c */
void h_accounts_list(api_req *r);
void h_accounts_create(api_req *r);
void h_accounts_get(api_req *r);

/* one header per resource */
#include "rule_sets.h"
#include "units.h"
#include "persons.h"
#include "records.h"
#include "achievements.h"
#include "compliance.h"
#include "bases.h"
#include "projects.h"
#include "enrolments.h"
#include "subjects.h"
#include "guides.h"
#include "audit.h"
#include "evaluations.h"
#include "reports.h"
#include "samples.h"
extern const api_op op_livez;
extern const api_op op_metrics;
extern const api_op op_openapi;
extern const api_op op_readyz;
extern const api_op op_districts_list;
extern const api_op op_industries_list;
extern const api_op op_me;
extern const api_op op_accounts_create;
extern const api_op op_accounts_get;
extern const api_op op_accounts_list;
extern const api_op op_auth_token;
#endif
