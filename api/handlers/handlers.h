/* Every handler of the route table, one file per resource. */
#ifndef JXJY_API_HANDLERS_H
#define JXJY_API_HANDLERS_H

#include "http/request.h"

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
#include "simulate.h"
extern const api_op op_livez;
extern const api_op op_metrics;
extern const api_op op_openapi;
extern const api_op op_readyz;
extern const api_op op_districts_list;
extern const api_op op_industries_list;
extern const api_op op_me;
extern const api_op op_accounts_create;
extern const api_op op_accounts_disable;
extern const api_op op_accounts_enable;
extern const api_op op_accounts_get;
extern const api_op op_accounts_list;
extern const api_op op_accounts_password;
extern const api_op op_accounts_rotate_secret;
extern const api_op op_auth_token;
#endif
