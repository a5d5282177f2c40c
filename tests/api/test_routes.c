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

/* API.md, second wave: every action that takes no fields accepts {} (what
 * HTTP clients send by default) and names any field in it unknown (422
 * unknown_field) — checked for every such route of the table, as the city
 * bureau (or the route's first role), on an id that does not exist. */
Test(routes, actions_without_fields_accept_an_empty_object)
{
	static const char *const roles[] = { "city_bureau", "district_bureau", "industry_authority",
	                                     "unit", "base", "person" };
	int checked = 0;
	for (int i = 0; i < api_routes_count; i++) {
		const api_route *rt = &api_routes[i];
		if (rt->method != API_POST || (rt->flags & (API_ROUTE_BODY | API_ROUTE_PUBLIC)))
			continue;
		int role = 0;
		while (role < 6 && !(rt->roles & API_ROLE_BIT(role)))
			role++;
		cr_assert(role < 6, "%s has no role", rt->pattern);
		const char *jur = role == 1 ? "320505" : role == 2 ? "education" :
		                  role >= 3 ? "00000000-0000-4000-8000-000000000001" : NULL;
		char *tok = t_token(roles[role], jur);
		char path[256];
		const char *brace = strchr(rt->pattern, '{'), *end = brace ? strchr(brace, '}') : NULL;
		cr_assert(end, "%s has no id", rt->pattern);
		snprintf(path, sizeof path, "%.*s00000000-0000-4000-8000-00000000abcd%s",
		         (int)(brace - rt->pattern), rt->pattern, end + 1);
		t_resp r = t_post_json(path, tok, "{}");
		cr_expect(r.status != 400 && r.status != 415 && r.status != 422,
		          "POST %s with {}: %d %s", path, r.status, r.body);
		t_resp_free(&r);
		r = t_post_json(path, tok, "{\"note\":1}");
		cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "note", "unknown_field"),
		          "POST %s with a field: %d %s", path, r.status, r.body);
		t_resp_free(&r);
		free(tok);
		checked++;
	}
	cr_expect_geq(checked, 4, "the no-field actions of the route table (%d)", checked);
}
