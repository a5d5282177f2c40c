/*
 * Units over HTTP (R-1; API.md "units: read / create / update"): the
 * permission matrix generated from one table, GB 32100 credit codes and the
 * bureau's audited checksum override (SECURITY.md vectors), duplicates,
 * ETag/If-Match, the unit's contact-only updates, district moves, lists with
 * filters and keyset paging, idempotent creation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "testlib.h"

#define NOBODY "11111111-2222-4333-8444-555555555555"

static char *tag(const char *prefix)
{
	unsigned char b[6];
	randombytes_buf(b, sizeof b);
	char *s = malloc(64);
	snprintf(s, 64, "%s%02x%02x%02x%02x%02x%02x", prefix, b[0], b[1], b[2], b[3], b[4], b[5]);
	return s;
}

static char *fresh_code(void)
{
	char *c = malloc(19);
	t_make_credit_code(c, randombytes_random());
	return c;
}

/* a unit inserted as the superuser; malloc'd id */
static char *insert_unit(const char *district, const char *name)
{
	char *code = fresh_code();
	const char *p[] = { code, district, name };
	PGconn *db = t_db();
	char *id = t_sql_value(db, "INSERT INTO jxjy.units (credit_code, name, kind, district, industry)"
	                           " VALUES ($1, $3, 'enterprise', $2, 'engineering') RETURNING id", 3, p);
	PQfinish(db);
	free(code);
	return id;
}

/* SECURITY.md's vectors are fixed codes: a run may meet them already
 * registered by another suite; give that unit a fresh code first. */
static void free_code(const char *code)
{
	char *fresh = fresh_code();
	const char *p[] = { code, fresh };
	PGconn *db = t_db();
	PQclear(t_sql(db, "UPDATE jxjy.units SET credit_code = $2 WHERE credit_code = $1", 2, p));
	PQfinish(db);
	free(fresh);
}

static char *unit_body(const char *code, const char *district, const char *name, const char *extra)
{
	char *s = malloc(1024);
	snprintf(s, 1024,
	         "{\"credit_code\":\"%s\",\"name\":\"%s\",\"kind\":\"institution\",\"district\":\"%s\","
	         "\"industry\":\"health\"%s%s}",
	         code, name, district, extra ? "," : "", extra ? extra : "");
	return s;
}

static t_resp create_unit(const char *token, const char *body)
{
	return t_post_json("/v1/units", token, body);
}

static t_resp patch(const char *id, const char *token, const char *if_match, const char *body)
{
	char path[96], im[96];
	snprintf(path, sizeof path, "/v1/units/%s", id);
	snprintf(im, sizeof im, "If-Match: %s", if_match ? if_match : "");
	const char *h[] = { "Content-Type: application/json", if_match ? im : NULL, NULL };
	return t_http("PATCH", path, token, h, body, strlen(body));
}

static t_resp get_unit(const char *id, const char *token)
{
	char path[96];
	snprintf(path, sizeof path, "/v1/units/%s", id);
	return t_get(path, token);
}

static bool lists(const t_resp *r, const char *id)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(r->json, "items"), i, it)
		if (!strcmp(json_string_value(json_object_get(it, "id")), id))
			return true;
	return false;
}

/* ---- A1: the permission matrix, from one table ------------------------- */

enum { ACT_LIST, ACT_GET, ACT_CREATE, ACT_PATCH_CONTACT, ACT_PATCH_NAME };
enum { OWN, OTHER };

Test(units, A1_permission_matrix_every_role_action_and_district)
{
	/* own: the caller's district (320508) or its own unit; other: 320505 */
	static const struct {
		const char *role;
		int action, scope, status;
		bool listed;
	} matrix[] = {
		{ "city_bureau", ACT_LIST, OWN, 200, true },
		{ "city_bureau", ACT_LIST, OTHER, 200, true },
		{ "city_bureau", ACT_GET, OWN, 200, false },
		{ "city_bureau", ACT_GET, OTHER, 200, false },
		{ "city_bureau", ACT_CREATE, OWN, 201, false },
		{ "city_bureau", ACT_CREATE, OTHER, 201, false },
		{ "city_bureau", ACT_PATCH_CONTACT, OWN, 200, false },
		{ "city_bureau", ACT_PATCH_CONTACT, OTHER, 200, false },
		{ "city_bureau", ACT_PATCH_NAME, OWN, 200, false },
		{ "city_bureau", ACT_PATCH_NAME, OTHER, 200, false },

		{ "district_bureau", ACT_LIST, OWN, 200, true },
		{ "district_bureau", ACT_LIST, OTHER, 200, false },
		{ "district_bureau", ACT_GET, OWN, 200, false },
		{ "district_bureau", ACT_GET, OTHER, 404, false },
		{ "district_bureau", ACT_CREATE, OWN, 201, false },
		{ "district_bureau", ACT_CREATE, OTHER, 403, false },
		{ "district_bureau", ACT_PATCH_CONTACT, OWN, 200, false },
		{ "district_bureau", ACT_PATCH_CONTACT, OTHER, 404, false },
		{ "district_bureau", ACT_PATCH_NAME, OWN, 200, false },
		{ "district_bureau", ACT_PATCH_NAME, OTHER, 404, false },

		{ "unit", ACT_LIST, OWN, 200, true },
		{ "unit", ACT_LIST, OTHER, 200, false },
		{ "unit", ACT_GET, OWN, 200, false },
		{ "unit", ACT_GET, OTHER, 404, false },
		{ "unit", ACT_CREATE, OWN, 403, false },
		{ "unit", ACT_CREATE, OTHER, 403, false },
		{ "unit", ACT_PATCH_CONTACT, OWN, 200, false },
		{ "unit", ACT_PATCH_CONTACT, OTHER, 404, false },
		{ "unit", ACT_PATCH_NAME, OWN, 403, false },
		{ "unit", ACT_PATCH_NAME, OTHER, 403, false },

		/* industry authorities, bases and persons have no unit rights */
		{ "industry_authority", ACT_LIST, OWN, 403, false },
		{ "industry_authority", ACT_LIST, OTHER, 403, false },
		{ "industry_authority", ACT_GET, OWN, 403, false },
		{ "industry_authority", ACT_GET, OTHER, 403, false },
		{ "industry_authority", ACT_CREATE, OWN, 403, false },
		{ "industry_authority", ACT_CREATE, OTHER, 403, false },
		{ "industry_authority", ACT_PATCH_CONTACT, OWN, 403, false },
		{ "industry_authority", ACT_PATCH_CONTACT, OTHER, 403, false },
		{ "industry_authority", ACT_PATCH_NAME, OWN, 403, false },
		{ "industry_authority", ACT_PATCH_NAME, OTHER, 403, false },
		{ "base", ACT_LIST, OWN, 403, false },
		{ "base", ACT_LIST, OTHER, 403, false },
		{ "base", ACT_GET, OWN, 403, false },
		{ "base", ACT_GET, OTHER, 403, false },
		{ "base", ACT_CREATE, OWN, 403, false },
		{ "base", ACT_CREATE, OTHER, 403, false },
		{ "base", ACT_PATCH_CONTACT, OWN, 403, false },
		{ "base", ACT_PATCH_CONTACT, OTHER, 403, false },
		{ "base", ACT_PATCH_NAME, OWN, 403, false },
		{ "base", ACT_PATCH_NAME, OTHER, 403, false },
		{ "person", ACT_LIST, OWN, 403, false },
		{ "person", ACT_LIST, OTHER, 403, false },
		{ "person", ACT_GET, OWN, 403, false },
		{ "person", ACT_GET, OTHER, 403, false },
		{ "person", ACT_CREATE, OWN, 403, false },
		{ "person", ACT_CREATE, OTHER, 403, false },
		{ "person", ACT_PATCH_CONTACT, OWN, 403, false },
		{ "person", ACT_PATCH_CONTACT, OTHER, 403, false },
		{ "person", ACT_PATCH_NAME, OWN, 403, false },
		{ "person", ACT_PATCH_NAME, OTHER, 403, false },
	};
	char *t = tag("矩阵");
	char name_own[96], name_other[96];
	snprintf(name_own, sizeof name_own, "%s-本区单位", t);
	snprintf(name_other, sizeof name_other, "%s-外区单位", t);
	char *own = insert_unit("320508", name_own), *other = insert_unit("320505", name_other);
	for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
		const char *role = matrix[i].role;
		const char *jur = !strcmp(role, "city_bureau") ? NULL
		                  : !strcmp(role, "district_bureau") ? "320508"
		                  : !strcmp(role, "industry_authority") ? "engineering"
		                  : !strcmp(role, "unit") ? own
		                                          : NOBODY;
		char *tok = t_token(role, jur);
		const char *target = matrix[i].scope == OWN ? own : other;
		t_resp r;
		switch (matrix[i].action) {
		case ACT_LIST: {
			char path[160];
			snprintf(path, sizeof path, "/v1/units?q=%s&limit=500", t);
			r = t_get(path, tok);
			break;
		}
		case ACT_GET:
			r = get_unit(target, tok);
			break;
		case ACT_CREATE: {
			char *code = fresh_code();
			char *body = unit_body(code, matrix[i].scope == OWN ? "320508" : "320505", "矩阵新单位", NULL);
			r = create_unit(tok, body);
			free(body);
			free(code);
			break;
		}
		case ACT_PATCH_CONTACT:
			r = patch(target, tok, NULL, "{\"contact_phone\":\"0512-65000000\"}");
			break;
		default: {
			/* the new name keeps the tag: later list cells still find it */
			char body[160];
			snprintf(body, sizeof body, "{\"name\":\"%s-改名单位\"}", t);
			r = patch(target, tok, NULL, body);
		}
		}
		cr_expect_eq(r.status, matrix[i].status, "%s action %d scope %d: %d %s", role,
		             matrix[i].action, matrix[i].scope, r.status, r.body);
		if (matrix[i].status >= 400)
			cr_expect(t_is_problem(&r, matrix[i].status), "%s: a problem document", role);
		if (matrix[i].action == ACT_LIST && r.status == 200)
			cr_expect_eq(lists(&r, target), matrix[i].listed, "%s list, scope %d", role,
			             matrix[i].scope);
		t_resp_free(&r);
		free(tok);
	}
	free(own);
	free(other);
	free(t);
}

/* ---- create ------------------------------------------------------------- */

Test(units, create_answers_201_location_etag_and_an_audit_row_with_the_district)
{
	char *tok = t_token("district_bureau", "320506");
	char *code = fresh_code();
	char *body = unit_body(code, "320506", "吴中测试医院",
	                       "\"contact_name\":\"王芳\",\"contact_email\":\"hr@example.com\"");
	t_resp r = create_unit(tok, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	const char *id = t_str(&r, "id");
	char loc[96];
	snprintf(loc, sizeof loc, "/v1/units/%s", id);
	cr_expect_str_eq(t_header(&r, "Location"), loc);
	cr_expect_str_eq(t_header(&r, "ETag"), "\"v1\"");
	cr_expect_str_eq(t_str(&r, "credit_code"), code);
	cr_expect_str_eq(t_str(&r, "kind"), "institution");
	cr_expect_str_eq(t_str(&r, "district"), "320506");
	cr_expect_str_eq(t_str(&r, "industry"), "health");
	cr_expect_str_eq(t_str(&r, "contact_name"), "王芳");
	cr_expect(json_is_false(json_object_get(r.json, "checksum_override")));
	cr_expect(json_is_null(json_object_get(r.json, "address")));
	t_resp g = t_get(loc, tok);
	cr_expect_eq(g.status, 200);
	cr_expect(json_equal(g.json, r.json));
	cr_expect_str_eq(t_header(&g, "ETag"), "\"v1\"");
	t_resp_free(&g);
	const char *p[] = { id };
	char *n = t_sql1("SELECT count(*) FROM jxjy.audit_log WHERE entity = 'unit' AND action = 'create'"
	                 " AND entity_id = $1 AND district = '320506' AND before IS NULL"
	                 " AND after ->> 'credit_code' IS NOT NULL", 1, p);
	cr_expect_str_eq(n, "1");
	free(n);
	t_resp_free(&r);
	free(body);
	free(code);
	free(tok);
}

Test(units, GB32100_the_security_vectors_and_the_bureaus_audited_override)
{
	free_code("91350100M000100Y43");
	free_code("91350100M0001TGQXM");
	char *city = t_token("city_bureau", NULL);
	char *gusu = t_token("district_bureau", "320508");

	char *body = unit_body("91350100M000100Y43", "320508", "校验正确单位", NULL);
	t_resp r = create_unit(city, body);
	cr_expect_eq(r.status, 201, "a valid code: %s", r.body);
	t_resp_free(&r);
	free(body);

	/* a wrong check character: 422 naming credit_code */
	body = unit_body("91350100M0001TGQXM", "320508", "早期代码单位", NULL);
	r = create_unit(gusu, body);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "credit_code", NULL), "%s", r.body);
	t_resp_free(&r);
	free(body);

	/* an override without its reason, an override on a code that passes */
	body = unit_body("91350100M0001TGQXM", "320508", "早期代码单位", "\"checksum_override\":true");
	r = create_unit(gusu, body);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "override_reason", NULL), "%s", r.body);
	t_resp_free(&r);
	free(body);
	char *valid = fresh_code();
	body = unit_body(valid, "320508", "无需覆盖单位",
	                 "\"checksum_override\":true,\"override_reason\":\"无\"");
	r = create_unit(gusu, body);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "checksum_override", NULL), "%s", r.body);
	t_resp_free(&r);
	free(body);
	free(valid);

	/* a district bureau's override with a reason: stored and audited */
	body = unit_body("91350100M0001TGQXM", "320508", "早期代码单位",
	                 "\"checksum_override\":true,\"override_reason\":\"1998年登记的早期代码，经核实有效\"");
	r = create_unit(gusu, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect(json_is_true(json_object_get(r.json, "checksum_override")));
	cr_expect_str_eq(t_str(&r, "override_reason"), "1998年登记的早期代码，经核实有效");
	const char *p[] = { t_str(&r, "id") };
	char *n = t_sql1("SELECT count(*) FROM jxjy.audit_log WHERE entity = 'unit' AND action = 'create'"
	                 " AND entity_id = $1 AND (after ->> 'checksum_override')::boolean"
	                 " AND after ->> 'override_reason' <> ''", 1, p);
	cr_expect_str_eq(n, "1", "the override is in the audit log");
	free(n);
	/* the unit itself keeps its override while updating its contacts */
	char *self = t_token("unit", t_str(&r, "id"));
	t_resp c = patch(t_str(&r, "id"), self, NULL, "{\"contact_name\":\"赵敏\"}");
	cr_expect_eq(c.status, 200, "%s", c.body);
	cr_expect(json_is_true(json_object_get(c.json, "checksum_override")));
	t_resp_free(&c);
	free(self);
	t_resp_free(&r);
	free(body);

	/* malformed codes: wrong length, lower case, a letter outside the alphabet */
	static const char *const bad[] = { "91350100M000100Y4", "91350100m000100Y43", "91350100M00010IY43",
	                                   "91350100M000100Y433" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		body = unit_body(bad[i], "320508", "格式错误单位", NULL);
		r = create_unit(city, body);
		cr_expect(t_is_problem(&r, 422), "%s: %d", bad[i], r.status);
		cr_expect(t_has_error(&r, "credit_code", NULL), "%s: %s", bad[i], r.body);
		t_resp_free(&r);
		free(body);
	}
	free(city);
	free(gusu);
}

Test(units, a_duplicate_credit_code_is_409_even_from_another_district)
{
	char *code = fresh_code();
	char *gusu = t_token("district_bureau", "320508"), *huqiu = t_token("district_bureau", "320505");
	char *body = unit_body(code, "320508", "重复代码单位", NULL);
	t_resp r = create_unit(gusu, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	t_resp_free(&r);
	r = create_unit(gusu, body);
	cr_expect(t_is_problem(&r, 409), "%d %s", r.status, r.body);
	t_resp_free(&r);
	free(body);
	body = unit_body(code, "320505", "重复代码单位二", NULL);
	r = create_unit(huqiu, body);
	cr_expect(t_is_problem(&r, 409), "%d %s", r.status, r.body);
	t_resp_free(&r);
	const char *p[] = { code };
	char *n = t_sql1("SELECT count(*) FROM jxjy.units WHERE credit_code = $1", 1, p);
	cr_expect_str_eq(n, "1");
	free(n);
	free(body);
	free(code);
	free(gusu);
	free(huqiu);
}

Test(units, create_validation_names_every_failing_field)
{
	char *city = t_token("city_bureau", NULL);
	t_resp r = create_unit(city, "{\"kind\":\"company\",\"district\":\"32050\",\"industry\":\"Health\","
	                             "\"contact_email\":\"not an email\",\"contact_phone\":\"call me\","
	                             "\"colour\":\"red\"}");
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	static const char *const fields[] = { "credit_code", "name", "kind", "district", "industry",
	                                      "contact_email", "contact_phone", "colour" };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		cr_expect(t_has_error(&r, fields[i], NULL), "%s missing: %s", fields[i], r.body);
	t_resp_free(&r);
	/* well-formed but unknown codes */
	char *code = fresh_code();
	char body[512];
	snprintf(body, sizeof body, "{\"credit_code\":\"%s\",\"name\":\"未知代码单位\",\"kind\":\"enterprise\","
	                            "\"district\":\"999999\",\"industry\":\"no_such_industry\"}", code);
	r = create_unit(city, body);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "district", NULL) && t_has_error(&r, "industry", NULL), "%s", r.body);
	t_resp_free(&r);
	const char *p[] = { code };
	char *n = t_sql1("SELECT count(*) FROM jxjy.units WHERE credit_code = $1", 1, p);
	cr_expect_str_eq(n, "0", "nothing stored");
	free(n);
	free(code);
	free(city);
}

Test(units, a_district_bureau_registering_in_another_district_is_403_with_a_clear_detail)
{
	char *gusu = t_token("district_bureau", "320508");
	char *code = fresh_code();
	char *body = unit_body(code, "320583", "昆山测试单位", NULL);
	t_resp r = create_unit(gusu, body);
	cr_expect(t_is_problem(&r, 403), "%d %s", r.status, r.body);
	cr_expect(strstr(t_str(&r, "detail"), "district") != NULL, "%s", t_str(&r, "detail"));
	t_resp_free(&r);
	free(body);
	free(code);
	free(gusu);
}

Test(units, D3_an_idempotent_creation_replays_and_stores_one_unit)
{
	char *city = t_token("city_bureau", NULL);
	char *code = fresh_code(), *key = tag("unit-key-");
	char *body = unit_body(code, "320507", "幂等单位", NULL);
	char hdr[128];
	snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", key);
	const char *h[] = { "Content-Type: application/json", hdr, NULL };
	t_resp a = t_http("POST", "/v1/units", city, h, body, strlen(body));
	t_resp b = t_http("POST", "/v1/units", city, h, body, strlen(body));
	cr_assert_eq(a.status, 201, "%s", a.body);
	cr_expect_eq(b.status, 201, "%s", b.body);
	cr_expect_str_eq(t_str(&b, "id"), t_str(&a, "id"));
	cr_expect(t_header(&b, "Idempotent-Replayed") != NULL);
	char *other = unit_body(code, "320507", "幂等单位改名", NULL);
	t_resp c = t_http("POST", "/v1/units", city, h, other, strlen(other));
	cr_expect(t_is_problem(&c, 422), "%d", c.status);
	const char *p[] = { code };
	char *n = t_sql1("SELECT count(*) FROM jxjy.units WHERE credit_code = $1", 1, p);
	cr_expect_str_eq(n, "1");
	free(n);
	t_resp_free(&a);
	t_resp_free(&b);
	t_resp_free(&c);
	free(other);
	free(body);
	free(key);
	free(code);
	free(city);
}

/* ---- update ------------------------------------------------------------- */

Test(units, if_match_with_a_stale_version_is_412_and_the_current_one_applies)
{
	char *id = insert_unit("320508", "版本测试单位");
	char *gusu = t_token("district_bureau", "320508");
	t_resp g = get_unit(id, gusu);
	cr_assert_eq(g.status, 200);
	cr_expect_str_eq(t_header(&g, "ETag"), "\"v1\"");
	t_resp r = patch(id, gusu, "\"v1\"", "{\"address\":\"苏州市姑苏区人民路1号\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_header(&r, "ETag"), "\"v2\"");
	cr_expect_eq(json_integer_value(json_object_get(r.json, "version")), 2);
	cr_expect_str_eq(t_str(&r, "address"), "苏州市姑苏区人民路1号");
	t_resp_free(&r);
	/* the same If-Match again: the unit has moved on */
	r = patch(id, gusu, "\"v1\"", "{\"address\":\"另一个地址\"}");
	cr_expect(t_is_problem(&r, 412), "%d %s", r.status, r.body);
	cr_expect_str_eq(t_header(&r, "ETag"), "\"v2\"", "the current ETag comes with the 412");
	t_resp_free(&r);
	r = patch(id, gusu, "not-an-etag", "{\"address\":\"另一个地址\"}");
	cr_expect(t_is_problem(&r, 412), "%d", r.status);
	t_resp_free(&r);
	const char *p[] = { id };
	char *a = t_sql1("SELECT address || '/' || version FROM jxjy.units WHERE id = $1", 1, p);
	cr_expect_str_eq(a, "苏州市姑苏区人民路1号/2", "the refused PATCHes changed nothing");
	free(a);
	t_resp_free(&g);
	free(gusu);
	free(id);
}

Test(units, a_unit_updates_only_its_contact_details_and_the_change_is_audited)
{
	char *id = insert_unit("320509", "吴江测试单位");
	char *other = insert_unit("320509", "吴江另一单位");
	char *tok = t_token("unit", id);
	t_resp r = patch(id, tok, NULL, "{\"contact_name\":\"李雷\",\"contact_phone\":\"+86 512 6500 0000\","
	                                "\"contact_email\":\"li@example.com\",\"address\":\"吴江区\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "contact_name"), "李雷");
	t_resp_free(&r);
	/* null clears a contact field */
	r = patch(id, tok, NULL, "{\"address\":null}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect(json_is_null(json_object_get(r.json, "address")));
	t_resp_free(&r);
	static const char *const forbidden[] = { "{\"name\":\"改名\"}", "{\"kind\":\"institution\"}",
	                                         "{\"district\":\"320509\"}", "{\"industry\":\"health\"}",
	                                         "{\"checksum_override\":true,\"override_reason\":\"x\"}",
	                                         "{\"credit_code\":\"91350100M000100Y43\"}",
	                                         "{\"contact_name\":\"韩梅梅\",\"name\":\"改名\"}" };
	for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++) {
		r = patch(id, tok, NULL, forbidden[i]);
		cr_expect(t_is_problem(&r, 403), "%s: %d %s", forbidden[i], r.status, r.body);
		t_resp_free(&r);
	}
	r = patch(other, tok, NULL, "{\"contact_name\":\"李雷\"}");
	cr_expect(t_is_problem(&r, 404), "another unit: %d", r.status);
	t_resp_free(&r);
	const char *p[] = { id };
	char *row = t_sql1("SELECT name || '/' || contact_name || '/' || version FROM jxjy.units WHERE id = $1",
	                   1, p);
	cr_expect_str_eq(row, "吴江测试单位/李雷/3", "only the two contact updates applied");
	free(row);
	char *n = t_sql1("SELECT count(*) FROM jxjy.audit_log WHERE entity = 'unit' AND action = 'update'"
	                 " AND entity_id = $1 AND district = '320509' AND role = 'unit'"
	                 " AND before ->> 'address' = '吴江区' AND after -> 'address' = 'null'::jsonb", 1, p);
	cr_expect_str_eq(n, "1", "the update is audited with before and after");
	free(n);
	free(tok);
	free(id);
	free(other);
}

Test(units, only_the_city_bureau_moves_a_unit_and_its_persons_follow)
{
	char *id = insert_unit("320508", "搬迁测试单位");
	char nid[19];
	t_make_resident_id(nid, randombytes_random());
	const char *pp[] = { nid, id };
	char *person = t_sql1("INSERT INTO jxjy.persons (national_id, name, unit, district, industry,"
	                      " title_level, cycle_start_year) SELECT $1, '张伟', u.id, u.district, u.industry,"
	                      " 'intermediate', 2024 FROM jxjy.units u WHERE u.id = $2 RETURNING id", 2, pp);
	char *gusu = t_token("district_bureau", "320508"), *city = t_token("city_bureau", NULL);
	t_resp r = patch(id, gusu, NULL, "{\"district\":\"320583\"}");
	cr_expect(t_is_problem(&r, 403), "a district bureau moving a unit: %d %s", r.status, r.body);
	t_resp_free(&r);
	/* its own district again is no move */
	r = patch(id, gusu, NULL, "{\"district\":\"320508\",\"kind\":\"institution\",\"industry\":\"health\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "kind"), "institution");
	t_resp_free(&r);
	r = patch(id, city, NULL, "{\"district\":\"320583\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "district"), "320583");
	t_resp_free(&r);
	const char *p[] = { person };
	char *d = t_sql1("SELECT district FROM jxjy.persons WHERE id = $1", 1, p);
	cr_expect_str_eq(d, "320583", "the unit's persons follow it");
	free(d);
	/* the old district's bureau no longer sees it */
	r = get_unit(id, gusu);
	cr_expect(t_is_problem(&r, 404), "%d", r.status);
	t_resp_free(&r);
	free(person);
	free(gusu);
	free(city);
	free(id);
}

Test(units, patch_validation_read_only_unknown_and_malformed_fields_are_422)
{
	char *id = insert_unit("320585", "太仓测试单位");
	char *city = t_token("city_bureau", NULL);
	static const struct {
		const char *body, *field;
	} cases[] = {
		{ "{\"credit_code\":\"91350100M000100Y43\"}", "credit_code" },
		{ "{\"checksum_override\":true}", "checksum_override" },
		{ "{\"version\":7}", "version" },
		{ "{\"colour\":\"red\"}", "colour" },
		{ "{\"name\":null}", "name" },
		{ "{\"name\":\"\"}", "name" },
		{ "{\"kind\":\"company\"}", "kind" },
		{ "{\"contact_email\":\"nobody\"}", "contact_email" },
		{ "{\"district\":\"999999\"}", "district" },
		{ "{\"industry\":\"no_such_industry\"}", "industry" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t_resp r = patch(id, city, NULL, cases[i].body);
		cr_expect(t_is_problem(&r, 422), "%s: %d %s", cases[i].body, r.status, r.body);
		cr_expect(t_has_error(&r, cases[i].field, NULL), "%s: %s", cases[i].body, r.body);
		t_resp_free(&r);
	}
	/* an empty PATCH changes nothing */
	t_resp r = patch(id, city, "\"v1\"", "{}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_header(&r, "ETag"), "\"v1\"");
	t_resp_free(&r);
	const char *p[] = { id };
	char *v = t_sql1("SELECT version FROM jxjy.units WHERE id = $1", 1, p);
	cr_expect_str_eq(v, "1", "refused PATCHes changed nothing");
	free(v);
	r = patch("11111111-2222-4333-8444-555555555555", city, NULL, "{\"name\":\"无此单位\"}");
	cr_expect(t_is_problem(&r, 404), "%d", r.status);
	t_resp_free(&r);
	free(city);
	free(id);
}

/* ---- reads -------------------------------------------------------------- */

Test(units, list_filters_and_keyset_pages)
{
	char *t = tag("列表");
	char n1[96], n2[96], n3[96];
	snprintf(n1, sizeof n1, "%s-甲", t);
	snprintf(n2, sizeof n2, "%s-乙", t);
	snprintf(n3, sizeof n3, "%s-丙", t);
	char *a = insert_unit("320506", n1), *b = insert_unit("320506", n2), *c = insert_unit("320507", n3);
	char *city = t_token("city_bureau", NULL);
	char path[256];
	snprintf(path, sizeof path, "/v1/units?q=%s&limit=2", t);
	t_resp p1 = t_get(path, city);
	cr_assert_eq(p1.status, 200, "%s", p1.body);
	cr_expect_eq(json_array_size(json_object_get(p1.json, "items")), 2);
	const char *next = t_str(&p1, "next_cursor");
	cr_assert(next);
	cr_expect(t_header(&p1, "Link") != NULL);
	snprintf(path, sizeof path, "/v1/units?q=%s&limit=2&cursor=%s", t, next);
	t_resp p2 = t_get(path, city);
	cr_assert_eq(p2.status, 200, "%s", p2.body);
	cr_expect_eq(json_array_size(json_object_get(p2.json, "items")), 1);
	cr_expect(json_is_null(json_object_get(p2.json, "next_cursor")));
	cr_expect(lists(&p1, a) && lists(&p1, b) && lists(&p2, c), "oldest first, each once");

	snprintf(path, sizeof path, "/v1/units?q=%s&district=320507", t);
	t_resp d = t_get(path, city);
	cr_expect(d.status == 200 && lists(&d, c) && !lists(&d, a) && !lists(&d, b), "%s", d.body);
	snprintf(path, sizeof path, "/v1/units?q=%s&industry=health", t);
	t_resp ind = t_get(path, city);
	cr_expect(ind.status == 200 && json_array_size(json_object_get(ind.json, "items")) == 0, "%s", ind.body);
	/* a district bureau filtering on another district sees nothing */
	char *wz = t_token("district_bureau", "320506");
	snprintf(path, sizeof path, "/v1/units?q=%s&district=320507", t);
	t_resp x = t_get(path, wz);
	cr_expect(x.status == 200 && json_array_size(json_object_get(x.json, "items")) == 0, "%s", x.body);

	static const char *const bad[] = { "/v1/units?district=3205", "/v1/units?industry=Health",
	                                   "/v1/units?colour=red", "/v1/units?cursor=bm9wZQ",
	                                   "/v1/units?limit=501" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t_resp r = t_get(bad[i], city);
		cr_expect(t_is_problem(&r, 400), "%s: %d", bad[i], r.status);
		t_resp_free(&r);
	}
	t_resp_free(&p1);
	t_resp_free(&p2);
	t_resp_free(&d);
	t_resp_free(&ind);
	t_resp_free(&x);
	free(wz);
	free(city);
	free(a);
	free(b);
	free(c);
	free(t);
}

Test(units, get_carries_the_version_etag_and_hides_other_jurisdictions)
{
	char *id = insert_unit("320581", "常熟测试单位");
	char *cs = t_token("district_bureau", "320581"), *zjg = t_token("district_bureau", "320582");
	t_resp r = get_unit(id, cs);
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(t_header(&r, "ETag"), "\"v1\"");
	cr_expect_eq(json_integer_value(json_object_get(r.json, "version")), 1);
	t_resp_free(&r);
	r = get_unit(id, zjg);
	cr_expect(t_is_problem(&r, 404), "%d", r.status);
	t_resp_free(&r);
	r = get_unit("not-a-uuid", cs);
	cr_expect(t_is_problem(&r, 404), "%d", r.status);
	t_resp_free(&r);
	free(cs);
	free(zjg);
	free(id);
}
