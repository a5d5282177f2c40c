/* API.md Conventions and Operations, checked over real HTTP. */
#include <string.h>

#include <criterion/criterion.h>

#include "testlib.h"

Test(conventions, unknown_route_is_404_problem)
{
	t_resp r = t_get("/v1/no-such-thing", NULL);
	cr_expect(t_is_problem(&r, 404), "got %d: %s", r.status, r.body);
	t_resp_free(&r);
}

Test(conventions, wrong_method_is_405_with_allow)
{
	t_resp r = t_http("DELETE", "/v1/districts", NULL, NULL, NULL, 0);
	cr_expect(t_is_problem(&r, 405), "got %d", r.status);
	cr_expect_str_eq(t_header(&r, "Allow"), "GET");
	t_resp_free(&r);
}

Test(conventions, every_response_has_a_request_id_and_echoes_the_clients)
{
	t_resp r = t_get("/livez", NULL);
	cr_expect_eq(r.status, 200);
	cr_expect(t_header(&r, "X-Request-Id") != NULL);
	t_resp_free(&r);
	static const char *const h[] = { "X-Request-Id: hr-sync-2026.11.27_0001", NULL };
	r = t_http("GET", "/v1/nothing-here", NULL, h, NULL, 0);
	cr_expect_str_eq(t_header(&r, "X-Request-Id"), "hr-sync-2026.11.27_0001");
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "request_id")),
	                 "hr-sync-2026.11.27_0001");
	t_resp_free(&r);
}

Test(conventions, malformed_request_id_is_400)
{
	static const char *const h[] = { "X-Request-Id: has spaces;and=stuff", NULL };
	t_resp r = t_http("GET", "/livez", NULL, h, NULL, 0);
	cr_expect(t_is_problem(&r, 400), "got %d", r.status);
	t_resp_free(&r);
}

Test(conventions, malformed_json_is_400)
{
	t_resp r = t_post_json("/v1/auth/token", NULL, "{\"username\": \"a\",");
	cr_expect(t_is_problem(&r, 400), "got %d: %s", r.status, r.body);
	t_resp_free(&r);
}

Test(conventions, S1_duplicate_keys_are_400)
{
	t_resp r = t_post_json("/v1/auth/token", NULL,
	                       "{\"username\":\"a\",\"username\":\"b\",\"password\":\"x\"}");
	cr_expect(t_is_problem(&r, 400), "got %d: %s", r.status, r.body);
	t_resp_free(&r);
}

Test(conventions, S1_nul_escape_is_400)
{
	t_resp r = t_post_json("/v1/auth/token", NULL, "{\"username\":\"a\\u0000b\",\"password\":\"x\"}");
	cr_expect(t_is_problem(&r, 400), "got %d: %s", r.status, r.body);
	t_resp_free(&r);
}

Test(conventions, S1_deep_nesting_is_400)
{
	char body[512];
	size_t n = 0;
	for (int i = 0; i < 100; i++)
		body[n++] = '[';
	for (int i = 0; i < 100; i++)
		body[n++] = ']';
	body[n] = '\0';
	t_resp r = t_post_json("/v1/auth/token", NULL, body);
	cr_expect(t_is_problem(&r, 400), "got %d: %s", r.status, r.body);
	t_resp_free(&r);
}

Test(conventions, S1_unknown_field_is_422_naming_it)
{
	t_resp r = t_post_json("/v1/auth/token", NULL,
	                       "{\"username\":\"a\",\"password\":\"b\",\"role\":\"city_bureau\"}");
	cr_assert(t_is_problem(&r, 422), "got %d: %s", r.status, r.body);
	json_t *e = json_array_get(json_object_get(r.json, "errors"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(e, "field")), "role");
	cr_expect_str_eq(json_string_value(json_object_get(e, "code")), "unknown_field");
	t_resp_free(&r);
}

Test(conventions, wrong_content_type_is_415)
{
	static const char *const h[] = { "Content-Type: text/plain", NULL };
	const char *b = "{\"username\":\"a\",\"password\":\"b\"}";
	t_resp r = t_http("POST", "/v1/auth/token", NULL, h, b, strlen(b));
	cr_expect(t_is_problem(&r, 415), "got %d: %s", r.status, r.body);
	t_resp_free(&r);
}

Test(conventions, missing_content_type_is_415)
{
	const char *b = "{\"username\":\"a\",\"password\":\"b\"}";
	t_resp r = t_http("POST", "/v1/auth/token", NULL, NULL, b, strlen(b));
	cr_expect(t_is_problem(&r, 415), "got %d", r.status);
	t_resp_free(&r);
}

Test(conventions, body_over_one_mib_is_413_problem)
{
	size_t n = (1u << 20) + 100;
	char *b = malloc(n + 1);
	memset(b, ' ', n);
	b[0] = '{';
	b[n - 1] = '}';
	b[n] = '\0';
	t_resp r = t_post_json("/v1/auth/token", NULL, b);
	cr_expect(t_is_problem(&r, 413), "got %d", r.status);
	free(b);
	t_resp_free(&r);
}

Test(conventions, bad_query_is_400)
{
	char *tok = t_token("city_bureau", NULL);
	t_resp r = t_get("/v1/accounts?limit=0", tok);
	cr_expect(t_is_problem(&r, 400), "got %d: %s", r.status, r.body);
	t_resp_free(&r);
	r = t_get("/v1/accounts?colour=blue", tok);
	cr_expect(t_is_problem(&r, 400), "got %d", r.status);
	t_resp_free(&r);
	r = t_get("/v1/accounts?cursor=not-a-cursor", tok);
	cr_expect(t_is_problem(&r, 400), "got %d", r.status);
	t_resp_free(&r);
	free(tok);
}

Test(operations, livez_and_healthz)
{
	const char *paths[] = { "/livez", "/healthz" };
	for (int i = 0; i < 2; i++) {
		t_resp r = t_get(paths[i], NULL);
		cr_expect_eq(r.status, 200, "%s", paths[i]);
		cr_expect_str_eq(json_string_value(json_object_get(r.json, "status")), "ok");
		t_resp_free(&r);
	}
}

Test(operations, readyz_reports_schema_version)
{
	t_resp r = t_get("/readyz", NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect(json_integer_value(json_object_get(r.json, "schema_version")) >= 1);
	t_resp_free(&r);
}

Test(operations, metrics_are_prometheus_text)
{
	t_resp warm = t_get("/livez", NULL);
	t_resp_free(&warm);
	t_resp r = t_get("/metrics", NULL);
	cr_expect_eq(r.status, 200);
	cr_expect(strncmp(t_header(&r, "Content-Type"), "text/plain; version=0.0.4", 25) == 0);
	cr_expect(strstr(r.body, "# TYPE jxjy_http_requests_total counter") != NULL);
	cr_expect(strstr(r.body, "jxjy_http_requests_total{route=\"/livez\",status=\"200\"}") != NULL);
	cr_expect(strstr(r.body, "jxjy_http_request_duration_seconds_bucket{route=\"/livez\"") != NULL);
	cr_expect(strstr(r.body, "jxjy_db_pool_in_use{worker=\"0\"}") != NULL);
	cr_expect(strstr(r.body, "jxjy_db_pool_waiting{worker=\"1\"}") != NULL);
	t_resp_free(&r);
}

Test(operations, openapi_document_is_served)
{
	t_resp r = t_get("/v1/openapi.json", NULL);
	cr_assert_eq(r.status, 200);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "openapi")), "3.1.0");
	cr_expect(json_object_get(json_object_get(r.json, "paths"), "/v1/me") != NULL);
	t_resp_free(&r);
}

Test(reference, districts_are_the_city_divisions)
{
	char *tok = t_token("person", "11111111-2222-4333-8444-555555555555");
	t_resp r = t_get("/v1/districts", tok);
	cr_assert_eq(r.status, 200, "%s", r.body);
	json_t *items = json_object_get(r.json, "items");
	cr_expect_eq(json_array_size(items), 10);
	bool gusu = false, sip = false;
	size_t i;
	json_t *d;
	json_array_foreach(items, i, d) {
		const char *code = json_string_value(json_object_get(d, "code"));
		if (!strcmp(code, "320508"))
			gusu = !strcmp(json_string_value(json_object_get(d, "name")), "姑苏区");
		if (!strcmp(code, "320571"))
			sip = json_is_true(json_object_get(d, "functional_zone"));
	}
	cr_expect(gusu, "姑苏区 320508 is listed");
	cr_expect(sip, "苏州工业园区 320571 is a functional zone");
	t_resp_free(&r);
	free(tok);
}

Test(reference, industries_list_at_least_eight)
{
	char *tok = t_token("unit", "11111111-2222-4333-8444-555555555555");
	t_resp r = t_get("/v1/industries", tok);
	cr_assert_eq(r.status, 200);
	cr_expect(json_array_size(json_object_get(r.json, "items")) >= 8);
	t_resp_free(&r);
	free(tok);
}
