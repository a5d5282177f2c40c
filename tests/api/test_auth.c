/*
 * Authentication (API.md "Authentication", SECURITY.md J1–J5, R1): every
 * refusal is a 401 problem with WWW-Authenticate; a good token passes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "testlib.h"

#define HS256 "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

static void expect_401(const char *token, const char *what)
{
	t_resp r = t_get("/v1/me", token);
	cr_expect(t_is_problem(&r, 401), "%s: got %d %s", what, r.status, r.body);
	const char *www = t_header(&r, "WWW-Authenticate");
	cr_expect(www && strncmp(www, "Bearer", 6) == 0, "%s: WWW-Authenticate missing", what);
	t_resp_free(&r);
}

/* Claims with the given extra JSON members replacing the defaults. */
static char *claims(const char *body)
{
	char *out = malloc(9000);
	snprintf(out, 9000, "{%.8190s}", body);
	return out;
}

static char *forge(const char *header, const char *members, const char *key)
{
	char *c = claims(members);
	char *t = t_forge(header, c, key);
	free(c);
	return t;
}

#define NOW ((long)time(NULL))

Test(auth, good_token_is_accepted)
{
	char *tok = t_token("city_bureau", NULL);
	t_resp r = t_get("/v1/me", tok);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(r.json, "claims"), "role")),
	                 "city_bureau");
	t_resp_free(&r);
	free(tok);
}

Test(auth, missing_or_non_bearer_header)
{
	expect_401(NULL, "no header");
	static const char *const basic[] = { "Authorization: Basic dXNlcjpwYXNz", NULL };
	t_resp r = t_http("GET", "/v1/me", NULL, basic, NULL, 0);
	cr_expect(t_is_problem(&r, 401));
	t_resp_free(&r);
}

Test(auth, J1_alg_none_in_any_case_is_refused)
{
	const char *headers[] = { "{\"alg\":\"none\"}", "{\"alg\":\"None\"}", "{\"alg\":\"NONE\"}",
	                          "{\"alg\":\"nOnE\",\"typ\":\"JWT\"}" };
	char m[512];
	snprintf(m, sizeof m, "\"iss\":\"jxjy\",\"aud\":\"jxjy-api\",\"sub\":\"x\",\"role\":\"city_bureau\","
	                      "\"iat\":%ld,\"exp\":%ld,\"jti\":\"j1\"", NOW, NOW + 600);
	for (int i = 0; i < 4; i++) {
		char *signed_tok = forge(headers[i], m, t_env("JXJY_JWT_SECRET"));
		expect_401(signed_tok, headers[i]);
		/* and the unsigned form "header.claims." */
		char *dot = strrchr(signed_tok, '.');
		dot[1] = '\0';
		expect_401(signed_tok, "unsigned");
		free(signed_tok);
	}
}

Test(auth, J2_wrong_or_short_key_is_refused)
{
	char m[512];
	snprintf(m, sizeof m, "\"iss\":\"jxjy\",\"aud\":\"jxjy-api\",\"sub\":\"x\",\"role\":\"city_bureau\","
	                      "\"iat\":%ld,\"exp\":%ld,\"jti\":\"j2\"", NOW, NOW + 600);
	const char *keys[] = { "", "short", "another-secret-that-is-long-enough-0123456789" };
	for (int i = 0; i < 3; i++) {
		char *tok = forge(HS256, m, keys[i]);
		expect_401(tok, keys[i]);
		free(tok);
	}
}

Test(auth, J3_other_algorithms_are_refused)
{
	char m[512];
	snprintf(m, sizeof m, "\"iss\":\"jxjy\",\"aud\":\"jxjy-api\",\"sub\":\"x\",\"role\":\"city_bureau\","
	                      "\"iat\":%ld,\"exp\":%ld,\"jti\":\"j3\"", NOW, NOW + 600);
	const char *headers[] = { "{\"alg\":\"HS384\"}", "{\"alg\":\"HS512\"}", "{\"alg\":\"RS256\"}",
	                          "{\"alg\":\"ES256\"}", "{\"typ\":\"JWT\"}" };
	for (int i = 0; i < 5; i++) {
		char *tok = forge(headers[i], m, t_env("JXJY_JWT_SECRET"));
		expect_401(tok, headers[i]);
		free(tok);
	}
}

Test(auth, J4_claim_matrix_is_refused)
{
	long now = NOW;
	char cases[16][512];
	const char *names[16];
	int n = 0;
#define CASE(name, ...) (snprintf(cases[n], sizeof cases[n], __VA_ARGS__), names[n++] = name)
	const char *base = "\"iss\":\"jxjy\",\"aud\":\"jxjy-api\",\"sub\":\"x\",\"jti\":\"j4\"";
	CASE("expired", "%s,\"role\":\"city_bureau\",\"iat\":%ld,\"exp\":%ld", base, now - 7200, now - 3600);
	CASE("expired beyond skew", "%s,\"role\":\"city_bureau\",\"iat\":%ld,\"exp\":%ld", base, now - 600, now - 31);
	CASE("exp missing", "%s,\"role\":\"city_bureau\",\"iat\":%ld", base, now);
	CASE("exp as string", "%s,\"role\":\"city_bureau\",\"iat\":%ld,\"exp\":\"2000000000\"", base, now);
	CASE("exp as float", "%s,\"role\":\"city_bureau\",\"iat\":%ld,\"exp\":1.9e9", base, now);
	CASE("nbf in the future", "%s,\"role\":\"city_bureau\",\"iat\":%ld,\"nbf\":%ld,\"exp\":%ld", base, now, now + 3600, now + 7200);
	CASE("iat in the future", "%s,\"role\":\"city_bureau\",\"iat\":%ld,\"exp\":%ld", base, now + 3600, now + 7200);
	CASE("wrong iss", "\"iss\":\"other\",\"aud\":\"jxjy-api\",\"sub\":\"x\",\"jti\":\"j\",\"role\":\"city_bureau\",\"iat\":%ld,\"exp\":%ld", now, now + 600);
	CASE("wrong aud", "\"iss\":\"jxjy\",\"aud\":\"other\",\"sub\":\"x\",\"jti\":\"j\",\"role\":\"city_bureau\",\"iat\":%ld,\"exp\":%ld", now, now + 600);
	CASE("unknown role", "%s,\"role\":\"admin\",\"iat\":%ld,\"exp\":%ld", base, now, now + 600);
	CASE("district role without district", "%s,\"role\":\"district_bureau\",\"iat\":%ld,\"exp\":%ld", base, now, now + 600);
	CASE("unit role with malformed unit", "%s,\"role\":\"unit\",\"unit\":\"12; drop\",\"iat\":%ld,\"exp\":%ld", base, now, now + 600);
	CASE("person role with another role's claim", "%s,\"role\":\"person\",\"district\":\"320508\",\"iat\":%ld,\"exp\":%ld", base, now, now + 600);
	CASE("jti missing", "\"iss\":\"jxjy\",\"aud\":\"jxjy-api\",\"sub\":\"x\",\"role\":\"city_bureau\",\"iat\":%ld,\"exp\":%ld", now, now + 600);
	CASE("sub missing", "\"iss\":\"jxjy\",\"aud\":\"jxjy-api\",\"jti\":\"j\",\"role\":\"city_bureau\",\"iat\":%ld,\"exp\":%ld", now, now + 600);
#undef CASE
	for (int i = 0; i < n; i++) {
		char *tok = forge(HS256, cases[i], t_env("JXJY_JWT_SECRET"));
		expect_401(tok, names[i]);
		free(tok);
	}
}

Test(auth, J4_skew_tolerance_is_at_most_30s)
{
	long now = NOW;
	char m[512];
	/* expired 10 s ago: within the 30 s skew, accepted */
	snprintf(m, sizeof m, "\"iss\":\"jxjy\",\"aud\":\"jxjy-api\",\"sub\":\"x\",\"jti\":\"skew\","
	                      "\"role\":\"city_bureau\",\"iat\":%ld,\"exp\":%ld", now - 600, now - 10);
	char *tok = forge(HS256, m, t_env("JXJY_JWT_SECRET"));
	t_resp r = t_get("/v1/me", tok);
	cr_expect_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	free(tok);
}

Test(auth, revoked_jti_is_refused)
{
	long now = NOW;
	char jti[64], m[512];
	unsigned char rnd[8];
	randombytes_buf(rnd, sizeof rnd);
	snprintf(jti, sizeof jti, "revoke-%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
	snprintf(m, sizeof m, "\"iss\":\"jxjy\",\"aud\":\"jxjy-api\",\"sub\":\"x\",\"jti\":\"%s\","
	                      "\"role\":\"district_bureau\",\"district\":\"320508\",\"iat\":%ld,\"exp\":%ld",
	         jti, now, now + 600);
	char *tok = forge(HS256, m, t_env("JXJY_JWT_SECRET"));
	t_resp r = t_get("/v1/me", tok);
	cr_assert_eq(r.status, 200, "before revocation: %s", r.body);
	t_resp_free(&r);
	char args[128];
	snprintf(args, sizeof args, "revoke %s", jti);
	cr_assert_eq(t_jxjyctl(args, NULL, NULL), 0);
	expect_401(tok, "revoked");
	/* the token cache does not bypass revocation on other routes either */
	r = t_get("/v1/districts", tok);
	cr_expect(t_is_problem(&r, 401), "districts after revocation: %d", r.status);
	t_resp_free(&r);
	free(tok);
}

/* The sub of a token jxjyctl minted, read back through /v1/me. */
static char *jxjyctl_token_sub(const char *args)
{
	char *out = NULL;
	cr_assert_eq(t_jxjyctl(args, NULL, &out), 0, "jxjyctl %s: %s", args, out);
	out[strcspn(out, "\n")] = '\0';
	t_resp r = t_get("/v1/me", out);
	cr_assert_eq(r.status, 200, "%s: %s", args, r.body);
	const char *v = json_string_value(json_object_get(json_object_get(r.json, "claims"), "sub"));
	cr_assert(v, "%s", r.body);
	char *sub = strdup(v);
	t_resp_free(&r);
	free(out);
	return sub;
}

/* Issue 11: tokens minted by `jxjyctl token` for different jurisdictions
 * shared one sub ("jxjyctl:<role>"), so their idempotency keys (scoped by
 * sub) and audit actors mixed; the default sub is "jxjyctl:<role>:<jur>". */
Test(auth, jxjyctl_tokens_of_different_jurisdictions_have_different_subs)
{
	char *gusu = jxjyctl_token_sub("token --role district_bureau --district 320508");
	char *huqiu = jxjyctl_token_sub("token --role district_bureau --district 320505");
	char *city = jxjyctl_token_sub("token --role city_bureau");
	cr_expect_str_eq(gusu, "jxjyctl:district_bureau:320508");
	cr_expect_str_eq(huqiu, "jxjyctl:district_bureau:320505");
	cr_expect_str_neq(gusu, huqiu);
	cr_expect_str_eq(city, "jxjyctl:city_bureau", "the city has no jurisdiction value");
	char *named = jxjyctl_token_sub("token --role district_bureau --district 320508 --sub ops-alice");
	cr_expect_str_eq(named, "ops-alice", "--sub still wins");
	free(named);
	free(city);
	free(huqiu);
	free(gusu);
}

Test(auth, J5_oversized_authorization_headers)
{
	/* 9 KiB: over our 8 KiB cap, under evhttp's 16 KiB header limit */
	size_t sizes[] = { 9 * 1024, 1 << 20, 16 << 20 };
	for (int i = 0; i < 3; i++) {
		size_t n = sizes[i];
		char *tok = malloc(n + 1);
		memset(tok, 'a', n);
		tok[10] = '.';
		tok[20] = '.';
		tok[n] = '\0';
		t_resp r = t_get("/v1/me", tok);
		if (i == 0) {
			cr_expect(t_is_problem(&r, 401), "9 KiB: got %d", r.status);
		} else {
			/* refused before decoding: 413/431 from evhttp, or the connection closed */
			cr_expect(r.status == 0 || r.status == 413 || r.status == 431 || r.status == 400,
			          "size %zu: got %d", n, r.status);
		}
		t_resp_free(&r);
		free(tok);
	}
	t_resp alive = t_get("/livez", NULL);
	cr_expect_eq(alive.status, 200, "the gateway survived");
	t_resp_free(&alive);
}

/* ---- logins ------------------------------------------------------------- */

static void make_login(char *login, size_t n, const char *prefix)
{
	unsigned char rnd[6];
	randombytes_buf(rnd, sizeof rnd);
	snprintf(login, n, "%s-%02x%02x%02x%02x%02x%02x", prefix, rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
}

Test(auth, login_with_password_gives_a_working_token)
{
	char login[64], args[256], body[256];
	make_login(login, sizeof login, "city");
	snprintf(args, sizeof args, "account add --login %s --role city_bureau", login);
	cr_assert_eq(t_jxjyctl(args, "correct horse battery staple\n", NULL), 0);
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"correct horse battery staple\"}", login);
	t_resp r = t_post_json("/v1/auth/token", NULL, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(json_string_value(json_object_get(r.json, "token_type")), "Bearer");
	cr_expect(json_integer_value(json_object_get(r.json, "expires_in")) > 0);
	char *tok = strdup(json_string_value(json_object_get(r.json, "access_token")));
	t_resp_free(&r);
	r = t_get("/v1/me", tok);
	cr_assert_eq(r.status, 200, "%s", r.body);
	json_t *acct = json_object_get(r.json, "account");
	cr_expect_str_eq(json_string_value(json_object_get(acct, "login")), login);
	cr_expect_str_eq(json_string_value(json_object_get(acct, "role")), "city_bureau");
	cr_expect(!strstr(r.body, "argon2"), "never the password hash");
	t_resp_free(&r);
	free(tok);
}

Test(auth, wrong_password_and_unknown_login_look_the_same)
{
	char login[64], args[256], body[256];
	make_login(login, sizeof login, "wrong");
	snprintf(args, sizeof args, "account add --login %s --role city_bureau", login);
	cr_assert_eq(t_jxjyctl(args, "the real password 123\n", NULL), 0);
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"not the password\"}", login);
	t_resp a = t_post_json("/v1/auth/token", NULL, body);
	t_resp b = t_post_json("/v1/auth/token", NULL,
	                       "{\"username\":\"nobody-at-all\",\"password\":\"whatever it is\"}");
	cr_expect(t_is_problem(&a, 401));
	cr_expect(t_is_problem(&b, 401));
	cr_expect_str_eq(json_string_value(json_object_get(a.json, "detail")),
	                 json_string_value(json_object_get(b.json, "detail")));
	t_resp_free(&a);
	t_resp_free(&b);
}

Test(auth, client_credentials_for_an_hr_system)
{
	char *unit = t_new_unit(NULL, "320508", NULL);
	char login[64], args[256], body[256];
	make_login(login, sizeof login, "hr");
	snprintf(args, sizeof args, "account add --login %s --role unit --unit %s --kind client", login, unit);
	cr_assert_eq(t_jxjyctl(args, "s3cret-for-the-hr-system\n", NULL), 0);
	snprintf(body, sizeof body, "{\"grant_type\":\"client_credentials\",\"client_id\":\"%s\","
	                            "\"client_secret\":\"s3cret-for-the-hr-system\"}", login);
	t_resp r = t_post_json("/v1/auth/token", NULL, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	char *tok = strdup(json_string_value(json_object_get(r.json, "access_token")));
	t_resp_free(&r);
	r = t_get("/v1/me", tok);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(r.json, "claims"), "unit")), unit);
	t_resp_free(&r);
	/* a client's secret is no password login */
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"s3cret-for-the-hr-system\"}", login);
	r = t_post_json("/v1/auth/token", NULL, body);
	cr_expect(t_is_problem(&r, 401));
	t_resp_free(&r);
	free(tok);
	free(unit);
}

Test(auth, R1_repeated_failures_are_throttled, .timeout = 120)
{
	char login[64], args[256], body[256];
	make_login(login, sizeof login, "throttle");
	snprintf(args, sizeof args, "account add --login %s --role city_bureau", login);
	cr_assert_eq(t_jxjyctl(args, "the right password!\n", NULL), 0);
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"a wrong guess\"}", login);
	int processed = 0, throttled = 0;
	for (int i = 0; i < 110; i++) {
		t_resp r = t_post_json("/v1/auth/token", NULL, body);
		if (r.status == 401)
			processed++;
		else if (t_is_problem(&r, 429)) {
			throttled++;
			cr_expect(t_header(&r, "Retry-After") != NULL);
		}
		t_resp_free(&r);
	}
	cr_expect_eq(processed, 100, "at most 100 failures are processed, got %d", processed);
	cr_expect_eq(throttled, 10);
	/* even the right password waits now */
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"the right password!\"}", login);
	t_resp r = t_post_json("/v1/auth/token", NULL, body);
	cr_expect(t_is_problem(&r, 429), "got %d", r.status);
	t_resp_free(&r);
}
