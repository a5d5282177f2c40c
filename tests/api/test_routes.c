/*
 * The route table and the OpenAPI document agree: every route is documented
 * with its method, every documented operation is routed, and the roles a
 * route allows are the document's x-roles.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "http/router.h"
#include "testlib.h"

static const char *method_key(int m)
{
	switch (m) {
	case API_GET: return "get";
	case API_POST: return "post";
	case API_PUT: return "put";
	case API_PATCH: return "patch";
	case API_DELETE: return "delete";
	default: return "?";
	}
}

static json_t *openapi(void)
{
	t_resp r = t_get("/v1/openapi.json", NULL);
	cr_assert_eq(r.status, 200);
	json_t *doc = json_incref(r.json);
	t_resp_free(&r);
	return doc;
}

Test(routes, every_route_is_documented_with_its_roles)
{
	json_t *doc = openapi();
	json_t *paths = json_object_get(doc, "paths");
	for (int i = 0; i < api_routes_count; i++) {
		const api_route *rt = &api_routes[i];
		json_t *op = json_object_get(json_object_get(paths, rt->pattern), method_key(rt->method));
		cr_expect(op != NULL, "%s %s is not in the OpenAPI document", method_key(rt->method), rt->pattern);
		if (!op || (rt->flags & API_ROUTE_PUBLIC))
			continue;
		json_t *roles = json_object_get(op, "x-roles");
		unsigned documented = 0;
		size_t k;
		json_t *v;
		json_array_foreach(roles, k, v) {
			int role = api_role_parse(json_string_value(v));
			cr_expect(role >= 0, "unknown role in x-roles of %s", rt->pattern);
			if (role >= 0)
				documented |= API_ROLE_BIT(role);
		}
		cr_expect_eq(documented, rt->roles, "x-roles of %s %s differ from the route table",
		             method_key(rt->method), rt->pattern);
	}
	json_decref(doc);
}

Test(routes, every_documented_operation_is_routed)
{
	json_t *doc = openapi();
	const char *path;
	json_t *item;
	json_object_foreach(json_object_get(doc, "paths"), path, item) {
		const char *method;
		json_t *op;
		json_object_foreach(item, method, op) {
			if (strcmp(method, "parameters") == 0)
				continue;
			bool found = false;
			for (int i = 0; i < api_routes_count; i++)
				if (!strcmp(api_routes[i].pattern, path) &&
				    !strcmp(method_key(api_routes[i].method), method))
					found = true;
			cr_expect(found, "%s %s is documented but not routed", method, path);
		}
	}
	json_decref(doc);
}

Test(routes, a_role_outside_a_routes_mask_gets_403)
{
	/* A1 for the foundation's routes, generated from the table itself */
	static const char *const jur[] = { NULL, "320508", "education",
	                                   "11111111-2222-4333-8444-555555555555",
	                                   "11111111-2222-4333-8444-555555555555",
	                                   "11111111-2222-4333-8444-555555555555" };
	for (int i = 0; i < api_routes_count; i++) {
		const api_route *rt = &api_routes[i];
		if (rt->flags & API_ROUTE_PUBLIC || rt->method != API_GET)
			continue;
		for (int role = 0; role < API_ROLE__COUNT; role++) {
			if (rt->roles & API_ROLE_BIT(role))
				continue;
			char *tok = t_token(api_role_name((api_role)role), jur[role]);
			/* every {param} becomes an id */
			char path[256] = "";
			for (const char *p = rt->pattern; *p;) {
				if (*p == '{') {
					strcat(path, "11111111-2222-4333-8444-555555555555");
					p = strchr(p, '}') + 1;
				} else {
					strncat(path, p++, 1);
				}
			}
			t_resp r = t_get(path, tok);
			cr_expect(t_is_problem(&r, 403), "%s as %s: %d", path, api_role_name((api_role)role), r.status);
			t_resp_free(&r);
			free(tok);
		}
	}
}
