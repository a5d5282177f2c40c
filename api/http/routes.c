/*
 * The route table: method, path pattern, handler, roles allowed.  A role
 * missing from a route's mask gets 403 before the handler runs; jurisdiction
 * (404 outside it) is the handler's and row-level security's business.
 */
#include "handlers/handlers.h"
#include "http/router.h"

#define R(role) API_ROLE_BIT(API_ROLE_##role)
#define ALL API_ROLES_ALL
#define BUREAUS (R(CITY) | R(DISTRICT))

const api_route api_routes[] = {
	/* operations */
	{ API_GET, "/livez", &op_livez, 0, API_ROUTE_PUBLIC },
	{ API_GET, "/healthz", &op_livez, 0, API_ROUTE_PUBLIC },
	{ API_GET, "/readyz", &op_readyz, 0, API_ROUTE_PUBLIC },
	{ API_GET, "/metrics", &op_metrics, 0, API_ROUTE_PUBLIC },
	{ API_GET, "/v1/openapi.json", &op_openapi, 0, API_ROUTE_PUBLIC },

	/* authentication */
	{ API_POST, "/v1/auth/token", &op_auth_token, 0, API_ROUTE_PUBLIC | API_ROUTE_BODY },
	{ API_GET, "/v1/me", &op_me, ALL, 0 },

	/* accounts */
	{ API_GET, "/v1/accounts", &op_accounts_list, BUREAUS, 0 },
	{ API_POST, "/v1/accounts", &op_accounts_create, BUREAUS, API_ROUTE_BODY },
	{ API_GET, "/v1/accounts/{id}", &op_accounts_get, ALL, 0 },
	/* issue 11: by whoever may create the account (row-level security);
	 * one's own password by the account itself, with the old one */
	{ API_POST, "/v1/accounts/{id}/disable", &op_accounts_disable, BUREAUS, 0 },
	{ API_POST, "/v1/accounts/{id}/enable", &op_accounts_enable, BUREAUS, 0 },
	{ API_POST, "/v1/accounts/{id}/password", &op_accounts_password, ALL, API_ROUTE_BODY },
	{ API_POST, "/v1/accounts/{id}/rotate-secret", &op_accounts_rotate_secret, BUREAUS, 0 },

	/* reference data */
	{ API_GET, "/v1/districts", &op_districts_list, ALL, 0 },
	{ API_GET, "/v1/industries", &op_industries_list, ALL, 0 },

	/* one file of rows per resource */
#include "handlers/rule_sets.routes"
#include "handlers/units.routes"
#include "handlers/persons.routes"
#include "handlers/records.routes"
#include "handlers/achievements.routes"
#include "handlers/compliance.routes"
#include "handlers/bases.routes"
#include "handlers/projects.routes"
#include "handlers/enrolments.routes"
#include "handlers/subjects.routes"
#include "handlers/guides.routes"
#include "handlers/audit.routes"
#include "handlers/evaluations.routes"
#include "handlers/reports.routes"
#include "handlers/samples.routes"
#include "handlers/simulate.routes"
#include "handlers/jobs.routes"
};

const int api_routes_count = (int)(sizeof api_routes / sizeof api_routes[0]);
