/*
 * The audit log over HTTP and the chain check of jxjyctl (issue 6,
 * SECURITY.md): every mutation leaves an entry; a district bureau reads its
 * district's entries only; a row altered behind the application's back is
 * found by `jxjyctl audit verify`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "testlib.h"

static char *commend_unit(const char *district)
{
	char *unit = t_new_unit(NULL, district, "it");
	char *city = t_token("city_bureau", NULL);
	char body[256];
	snprintf(body, sizeof body, "{\"year\":2024,\"target_type\":\"unit\",\"target_id\":\"%s\","
	                            "\"title\":\"审计\"}", unit);
	t_resp r = t_post_json("/v1/commendations", city, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	char *id = strdup(json_string_value(json_object_get(r.json, "id")));
	t_resp_free(&r);
	free(city);
	free(unit);
	return id;
}

Test(audit, a_mutation_leaves_an_entry_the_city_can_read)
{
	char *id = commend_unit("320582");
	char *city = t_token("city_bureau", NULL);
	char path[160];
	snprintf(path, sizeof path, "/v1/audit?entity=commendation&entity_id=%s", id);
	t_resp r = t_get(path, city);
	cr_assert_eq(r.status, 200, "%s", r.body);
	json_t *items = json_object_get(r.json, "items");
	cr_assert_eq(json_array_size(items), 1, "%s", r.body);
	json_t *e = json_array_get(items, 0);
	cr_expect_str_eq(json_string_value(json_object_get(e, "action")), "create");
	cr_expect_str_eq(json_string_value(json_object_get(e, "role")), "city_bureau");
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(e, "after"), "title")), "审计");
	t_resp_free(&r);
	free(city);
	free(id);
}

Test(audit, a_district_bureau_reads_its_district_only)
{
	char *near = commend_unit("320582");
	char *far = commend_unit("320583");
	char *zjg = t_token("district_bureau", "320582");
	char path[160];
	snprintf(path, sizeof path, "/v1/audit?entity=commendation&entity_id=%s", near);
	t_resp r = t_get(path, zjg);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 1, "its own: %s", r.body);
	t_resp_free(&r);
	snprintf(path, sizeof path, "/v1/audit?entity=commendation&entity_id=%s", far);
	r = t_get(path, zjg);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 0, "another district's: %s", r.body);
	t_resp_free(&r);
	/* and without filters, nothing of another district */
	r = t_get("/v1/audit?limit=500", zjg);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(r.json, "items"), i, e)
		cr_expect_str_eq(json_string_value(json_object_get(e, "district")), "320582");
	t_resp_free(&r);
	free(zjg);
	free(near);
	free(far);
}

Test(audit, other_roles_and_bad_queries)
{
	const char *roles[][2] = { { "industry_authority", "it" },
	                           { "unit", "11111111-2222-4333-8444-555555555555" },
	                           { "base", "11111111-2222-4333-8444-555555555555" },
	                           { "person", "11111111-2222-4333-8444-555555555555" } };
	for (int i = 0; i < 4; i++) {
		char *tok = t_token(roles[i][0], roles[i][1]);
		t_resp r = t_get("/v1/audit", tok);
		cr_expect(t_is_problem(&r, 403), "%s: %d", roles[i][0], r.status);
		t_resp_free(&r);
		free(tok);
	}
	char *city = t_token("city_bureau", NULL);
	t_resp r = t_get("/v1/audit?from=2026-13-01", city);
	cr_expect(t_is_problem(&r, 400), "bad date: %d", r.status);
	t_resp_free(&r);
	r = t_get("/v1/audit?cursor=eHl6", city);
	cr_expect(t_is_problem(&r, 400), "bad cursor: %d", r.status);
	t_resp_free(&r);
	free(city);
}

Test(audit, paging_is_newest_first_and_complete)
{
	for (int i = 0; i < 3; i++)
		free(commend_unit("320585"));
	char *city = t_token("city_bureau", NULL);
	t_resp r = t_get("/v1/audit?limit=2", city);
	cr_assert_eq(r.status, 200);
	json_t *items = json_object_get(r.json, "items");
	cr_assert_eq(json_array_size(items), 2);
	long a = atol(json_string_value(json_object_get(json_array_get(items, 0), "id")));
	long b = atol(json_string_value(json_object_get(json_array_get(items, 1), "id")));
	cr_expect(a > b, "newest first");
	const char *next = json_string_value(json_object_get(r.json, "next_cursor"));
	cr_assert(next);
	char path[256];
	snprintf(path, sizeof path, "/v1/audit?limit=2&cursor=%s", next);
	t_resp r2 = t_get(path, city);
	long c = atol(json_string_value(json_object_get(json_array_get(json_object_get(r2.json, "items"), 0), "id")));
	cr_expect_eq(c, b - 1 < c ? c : b - 1, "the next page continues below");
	cr_expect(c < b);
	t_resp_free(&r);
	t_resp_free(&r2);
	free(city);
}

Test(audit, the_chain_verifies_and_a_tampered_row_is_found)
{
	free(commend_unit("320506"));
	char *out = NULL;
	cr_assert_eq(t_jxjyctl("audit verify", NULL, &out), 0, "%s", out);
	cr_expect(strstr(out, "audit chain verified") != NULL, "%s", out);
	free(out);
	/* a superuser edits a row behind the triggers' back */
	PGconn *db = t_db();
	char *victim = t_sql_value(db, "SELECT min(id) FROM jxjy.audit_log", 0, NULL);
	const char *p[] = { victim };
	char *actor = t_sql_value(db, "SELECT actor FROM jxjy.audit_log WHERE id = $1::bigint", 1, p);
	PQclear(t_sql(db, "SET session_replication_role = replica", 0, NULL));
	PQclear(t_sql(db, "UPDATE jxjy.audit_log SET actor = 'mallory' WHERE id = $1::bigint", 1, p));
	cr_expect_neq(t_jxjyctl("audit verify", NULL, &out), 0, "tampering detected: %s", out);
	char want[64];
	snprintf(want, sizeof want, "first bad link at id %s", victim);
	cr_expect(strstr(out, want) != NULL, "%s", out);
	free(out);
	/* put it back: the chain verifies again */
	const char *q[] = { actor, victim };
	PQclear(t_sql(db, "UPDATE jxjy.audit_log SET actor = $1 WHERE id = $2::bigint", 2, q));
	PQclear(t_sql(db, "SET session_replication_role = origin", 0, NULL));
	cr_expect_eq(t_jxjyctl("audit verify", NULL, &out), 0, "%s", out);
	free(out);
	free(actor);
	free(victim);
	PQfinish(db);
}

/* Issue 11: the audit row's request_id was the client's X-Request-Id, so a
 * client could give its writes the id of another request.  The audit now
 * carries "<gateway id>:<client id>": the gateway's own id first (a client's
 * id cannot hold ':'), the client's kept for correlation; the response still
 * echoes the client's id (API.md conventions). */
Test(audit, the_request_id_in_the_audit_is_the_gateways_with_the_clients_after_it)
{
	char rid[40];
	snprintf(rid, sizeof rid, "forged-%08x", randombytes_random());
	char hdr[80];
	snprintf(hdr, sizeof hdr, "X-Request-Id: %s", rid);
	const char *const extra[] = { "Content-Type: application/json", hdr, NULL };
	char *city = t_token("city_bureau", NULL);
	for (int i = 0; i < 2; i++) {
		char *unit = t_new_unit(NULL, "320582", "it");
		char body[256];
		snprintf(body, sizeof body, "{\"year\":2024,\"target_type\":\"unit\",\"target_id\":\"%s\","
		                            "\"title\":\"请求号\"}", unit);
		t_resp r = t_http("POST", "/v1/commendations", city, extra, body, strlen(body));
		cr_assert_eq(r.status, 201, "%s", r.body);
		const char *echo = t_header(&r, "X-Request-Id");
		cr_expect(echo && strcmp(echo, rid) == 0, "the client's id is echoed: %s", echo ? echo : "(none)");
		t_resp_free(&r);
		free(unit);
	}
	free(city);
	char like[64];
	snprintf(like, sizeof like, "%%:%s", rid);
	const char *p[] = { rid, like };
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.audit_log WHERE request_id = $1", 1, p), 0,
	             "no audit row carries the client's id alone");
	cr_expect_eq(t_sql_count(NULL, "SELECT count(DISTINCT request_id) FROM jxjy.audit_log"
	                               " WHERE request_id LIKE $2 AND request_id ~ '^[0-9a-f]+-[0-9a-f]+:'"
	                               " AND $1 <> ''", 2, p), 2,
	             "each request's own gateway id, then the client's");
}
