/*
 * Bounded bodies (API.md, "Accounts and abuse (second wave)", last bullet;
 * issue 11's "Bodies" finding: 16 MiB was taken on every route and buffered
 * before the route or token was checked, a 16 MiB [{},{},…] became ~1 GB of
 * JSON objects, every unknown key an error object).  Real HTTP against the
 * running gateway.  The limits apply once the body is in (evhttp 2.1 reads
 * it whole before the route is known); refusing from Content-Length before
 * reading is not built yet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "testlib.h"

/* API.md: unauthenticated routes accept at most 16 KiB. */
Test(bodies, twenty_kib_to_the_token_route_is_413)
{
	size_t n = 20u << 10;
	char *b = malloc(n + 1);
	memset(b, ' ', n);
	memcpy(b, "{\"username\":\"a\",\"password\":\"b\"", 30);
	b[n - 1] = '}';
	b[n] = '\0';
	t_resp r = t_post_json("/v1/auth/token", NULL, b);
	cr_expect(t_is_problem(&r, 413), "got %d: %.200s", r.status, r.body);
	cr_expect(strstr(r.body, "the body exceeds 16 KiB") != NULL, "%s", r.body);
	t_resp_free(&r);
	free(b);
}

/* The bulk route keeps its 16 MiB: a 1.5 MiB import is taken. */
Test(bodies, one_and_a_half_mib_import_is_taken_on_the_bulk_route)
{
	char unit[40], nid[19];
	t_take_id(unit, t_new_unit(NULL, "320508", "education"));
	t_make_resident_id(nid, (unsigned)time(NULL) * 7919u + (unsigned)getpid());
	char row[512];
	int k = snprintf(row, sizeof row,
	                 "[{\"national_id\":\"%s\",\"name\":\"甲\",\"unit\":\"%s\","
	                 "\"title_level\":\"intermediate\"}",
	                 nid, unit);
	size_t n = (3u << 20) / 2;
	char *b = malloc(n + 1);
	memset(b, ' ', n);
	memcpy(b, row, (size_t)k);
	b[n - 1] = ']';
	b[n] = '\0';
	char *tok = t_token("city_bureau", NULL);
	t_resp r = t_post_json("/v1/persons:import", tok, b);
	cr_expect_eq(r.status, 201, "got %d: %.300s", r.status, r.body);
	t_resp_free(&r);
	free(tok);
	free(b);
}

/* API.md: at most 10 000 array elements in all outside bulk routes, before
 * any handler work; 413 like any body over its limit (API.md: "413 body
 * over the limit"; the count bounds what parsing would build, it is not a
 * field's validation). */
Test(bodies, json_with_more_than_ten_thousand_elements_is_413)
{
	char *tok = t_token("city_bureau", NULL);
	for (int extra = 0; extra <= 1; extra++) {
		/* {"x":[[0,0,…],[0,…]]}: 2 + 9 998 (+1) elements */
		size_t cap = 64 + 2 * 10000;
		char *b = malloc(cap);
		size_t n = (size_t)snprintf(b, cap, "{\"x\":[[0");
		for (int i = 1; i < 9998 + extra; i++)
			n += (size_t)snprintf(b + n, cap - n, ",0");
		n += (size_t)snprintf(b + n, cap - n, "],[]]}");
		t_resp r = t_post_json("/v1/persons", tok, b);
		if (extra)
			cr_expect(t_is_problem(&r, 413), "10 001 elements: got %d: %.200s", r.status, r.body);
		else
			cr_expect(t_is_problem(&r, 422), "10 000 elements reach the handler: got %d: %.200s",
			          r.status, r.body);
		t_resp_free(&r);
		free(b);
	}
	free(tok);
}

/* API.md: a 422 lists at most 100 errors and says how many more there were
 * ("errors_omitted", Problem in the OpenAPI document). */
Test(bodies, unprocessable_lists_100_errors_and_counts_the_rest)
{
	char b[8192];
	size_t n = (size_t)snprintf(b, sizeof b, "{\"username\":\"a\",\"password\":\"b\"");
	for (int i = 0; i < 150; i++)
		n += (size_t)snprintf(b + n, sizeof b - n, ",\"unknown_%03d\":1", i);
	snprintf(b + n, sizeof b - n, "}");
	t_resp r = t_post_json("/v1/auth/token", NULL, b);
	cr_assert(t_is_problem(&r, 422), "got %d: %.200s", r.status, r.body);
	json_t *errors = json_object_get(r.json, "errors");
	cr_expect_eq(json_array_size(errors), 100, "%zu errors", json_array_size(errors));
	cr_expect_eq(json_integer_value(json_object_get(r.json, "errors_omitted")), 50, "%.300s",
	             r.body);
	cr_expect(t_has_error(&r, "unknown_000", "unknown_field"), "the first are kept");
	cr_expect(strstr(t_str(&r, "detail"), "50 more") != NULL, "%s", t_str(&r, "detail"));
	t_resp_free(&r);
	/* a short list has no such member */
	r = t_post_json("/v1/auth/token", NULL, "{\"username\":\"a\",\"password\":\"b\",\"x\":1}");
	cr_expect(t_is_problem(&r, 422) && !json_object_get(r.json, "errors_omitted"), "%s", r.body);
	t_resp_free(&r);
}
