/*
 * Accounts that can be disabled, their passwords changed and client
 * secrets rotated, and their live tokens refused on every gateway worker
 * within a second (issue 11; API.md "Accounts and abuse (second wave)";
 * issue 10's constraint on disabled accounts).  Over HTTP against the real
 * gateway (two workers) and database.
 *
 * Tokens are compared with the change by the second (sql/0016_accounts.sql):
 * a token issued in the very second of a change survives it, so each test
 * waits past a second boundary between the login and the change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "testlib.h"

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&t, NULL);
}

/* past the second in which earlier tokens were issued */
static void next_second(void)
{
	sleep_ms(1100);
}

/* a change has reached every worker (polled every 250 ms; API.md: 1 s) */
static void one_second(void)
{
	sleep_ms(1000);
}

static void new_login(char out[64], const char *prefix)
{
	unsigned char r[6];
	randombytes_buf(r, sizeof r);
	snprintf(out, 64, "%s-%02x%02x%02x%02x%02x%02x", prefix, r[0], r[1], r[2], r[3], r[4], r[5]);
}

/* An account made through the API by token; its id into id. */
static void create_account(char id[40], const char *token, const char *login, const char *password,
                           const char *kind, const char *role, const char *jur_field,
                           const char *jur)
{
	char body[512];
	int n = snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"%s\",\"kind\":\"%s\","
	                                    "\"role\":\"%s\"", login, password, kind, role);
	if (jur_field)
		n += snprintf(body + n, sizeof body - (size_t)n, ",\"%s\":\"%s\"", jur_field, jur);
	snprintf(body + n, sizeof body - (size_t)n, "}");
	t_resp r = t_post_json("/v1/accounts", token, body);
	cr_assert_eq(r.status, 201, "create %s: %s", login, r.body);
	snprintf(id, 40, "%s", t_str(&r, "id"));
	t_resp_free(&r);
}

/* POST /v1/auth/token: the access token, or NULL with the status in *status */
static char *login_token(const char *login, const char *secret, bool client, int *status)
{
	char body[512];
	if (client)
		snprintf(body, sizeof body, "{\"grant_type\":\"client_credentials\",\"client_id\":\"%s\","
		                            "\"client_secret\":\"%s\"}", login, secret);
	else
		snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", login, secret);
	t_resp r = t_post_json("/v1/auth/token", NULL, body);
	*status = r.status;
	char *tok = r.status == 200 ? strdup(t_str(&r, "access_token")) : NULL;
	t_resp_free(&r);
	return tok;
}

static char *must_login(const char *login, const char *secret, bool client)
{
	int status;
	char *tok = login_token(login, secret, client, &status);
	cr_assert_not_null(tok, "login %s: %d", login, status);
	return tok;
}

/* every request on fresh connections (spread over both workers) answers status */
static void expect_all(const char *token, int status, const char *what)
{
	for (int i = 0; i < 8; i++) {
		t_resp r = t_get(i % 2 ? "/v1/districts" : "/v1/me", token);
		cr_expect_eq(r.status, status, "%s (request %d): %d %s", what, i, r.status, r.body);
		if (status == 401)
			cr_expect(r.body && strstr(r.body, "revoked"), "%s: says revoked: %s", what, r.body);
		t_resp_free(&r);
	}
}

static t_resp action(const char *token, const char *id, const char *what, const char *body)
{
	char path[160];
	snprintf(path, sizeof path, "/v1/accounts/%s/%s", id, what);
	/* NULL: no body at all, as an action may be sent */
	return body ? t_post_json(path, token, body) : t_http("POST", path, token, NULL, NULL, 0);
}

static long audit_rows(const char *id, const char *act)
{
	const char *p[] = { id, act };
	return t_sql_count(NULL, "SELECT count(*) FROM jxjy.audit_log WHERE entity = 'account'"
	                         " AND entity_id = $1 AND action = $2", 2, p);
}

Test(account_actions, disabled_account_tokens_refused_within_a_second_on_every_worker,
     .timeout = 60)
{
	char *city = t_token("city_bureau", NULL);
	char login[64], id[40];
	new_login(login, "dis");
	create_account(id, city, login, "a long enough password", "user", "district_bureau",
	               "district", "320508");
	char *tok = must_login(login, "a long enough password", false);
	expect_all(tok, 200, "before the disabling");
	next_second();

	t_resp r = action(city, id, "disable", "{}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect(json_is_true(json_object_get(r.json, "disabled")), "%s", r.body);
	cr_expect_str_eq(t_str(&r, "id"), id);
	cr_expect(!strstr(r.body, "argon2"), "never the hash");
	t_resp_free(&r);
	one_second();
	expect_all(tok, 401, "a disabled account's live token");
	int status;
	char *none = login_token(login, "a long enough password", false, &status);
	cr_expect_null(none, "a disabled account logs in");
	cr_expect_eq(status, 401);
	cr_expect_eq(audit_rows(id, "disable"), 1);
	/* the database's own check (jxjy.set_claims, before a worker has loaded
	 * the account states) refuses it too */
	const char *p[] = { id };
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) WHERE jxjy.token_account_refused($1,"
	                               " extract(epoch FROM now())::bigint)", 1, p), 1);

	/* enabled again: the tokens of before stay refused, a new login works */
	r = action(city, id, "enable", NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect(json_is_false(json_object_get(r.json, "disabled")), "%s", r.body);
	t_resp_free(&r);
	one_second();
	expect_all(tok, 401, "a token of before the disabling, after enabling");
	char *fresh = must_login(login, "a long enough password", false);
	expect_all(fresh, 200, "a new login after enabling");
	cr_expect_eq(audit_rows(id, "enable"), 1);
	free(fresh);
	free(tok);
	free(city);
}

Test(account_actions, password_set_by_the_creator_ends_older_tokens, .timeout = 60)
{
	char *unit = t_new_unit(NULL, "320508", NULL);
	char *district = t_token("district_bureau", "320508");
	char *other = t_token("district_bureau", "320505");
	char login[64], id[40];
	new_login(login, "pw");
	create_account(id, district, login, "the first password", "user", "unit", "unit", unit);
	char *tok = must_login(login, "the first password", false);
	expect_all(tok, 200, "before the change");
	next_second();

	/* validation: at least 12 characters, nothing changed */
	t_resp r = action(district, id, "password", "{\"password\":\"short\"}");
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "password", "invalid"), "%d %s", r.status, r.body);
	t_resp_free(&r);
	r = action(district, id, "password", "{}");
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "password", "required"), "%d %s", r.status, r.body);
	t_resp_free(&r);
	/* another district does not see the account; a unit may not set another's */
	r = action(other, id, "password", "{\"password\":\"another district's\"}");
	cr_expect(t_is_problem(&r, 404), "%d %s", r.status, r.body);
	t_resp_free(&r);
	r = action(tok, "00000000-0000-4000-8000-000000000001", "password", "{\"password\":\"not my account at all\"}");
	cr_expect(t_is_problem(&r, 403), "%d %s", r.status, r.body);
	t_resp_free(&r);
	cr_expect_eq(audit_rows(id, "password"), 0);
	expect_all(tok, 200, "after refused changes");

	r = action(district, id, "password", "{\"password\":\"the second password\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "login"), login);
	t_resp_free(&r);
	one_second();
	expect_all(tok, 401, "a token of before the password change");
	int status;
	char *none = login_token(login, "the first password", false, &status);
	cr_expect_null(none, "the old password still logs in");
	char *fresh = must_login(login, "the second password", false);
	expect_all(fresh, 200, "a login with the new password");
	cr_expect_eq(audit_rows(id, "password"), 1);
	free(fresh);
	free(tok);
	free(other);
	free(district);
	free(unit);
}

Test(account_actions, own_password_needs_the_old_one, .timeout = 60)
{
	char *city = t_token("city_bureau", NULL);
	char *unit = t_new_unit(NULL, "320505", NULL);
	char login[64], id[40];
	new_login(login, "self");
	create_account(id, city, login, "my own password 1", "user", "unit", "unit", unit);
	char *tok = must_login(login, "my own password 1", false);
	next_second();

	t_resp r = action(tok, id, "password", "{\"password\":\"my own password 2\"}");
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "old_password", "required"), "%d %s", r.status, r.body);
	t_resp_free(&r);
	r = action(tok, id, "password", "{\"old_password\":\"not my password\",\"password\":\"my own password 2\"}");
	cr_expect(t_is_problem(&r, 403), "a wrong old password: %d %s", r.status, r.body);
	t_resp_free(&r);
	expect_all(tok, 200, "after the refusals");
	r = action(tok, id, "password", "{\"old_password\":\"my own password 1\",\"password\":\"my own password 2\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "id"), id);
	t_resp_free(&r);
	one_second();
	expect_all(tok, 401, "the token that changed its own password");
	char *fresh = must_login(login, "my own password 2", false);
	expect_all(fresh, 200, "the new password");
	int status;
	char *none = login_token(login, "my own password 1", false, &status);
	cr_expect_null(none);
	const char *p[] = { id };
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.audit_log WHERE entity_id = $1"
	                               " AND action = 'password' AND after->>'by' = 'self'", 1, p), 1);
	/* old_password is for one's own password only */
	r = action(city, id, "password", "{\"old_password\":\"my own password 2\",\"password\":\"my own password 3\"}");
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "old_password", "not_allowed"), "%d %s", r.status, r.body);
	t_resp_free(&r);
	free(fresh);
	free(tok);
	free(unit);
	free(city);
}

Test(account_actions, rotated_client_secret_shown_once_and_the_old_one_refused, .timeout = 60)
{
	char *city = t_token("city_bureau", NULL);
	char *unit = t_new_unit(NULL, "320508", NULL);
	char login[64], id[40], user_login[64], user_id[40];
	new_login(login, "hr");
	create_account(id, city, login, "the first client secret", "client", "unit", "unit", unit);
	new_login(user_login, "hruser");
	create_account(user_id, city, user_login, "a user of the unit", "user", "unit", "unit", unit);
	char *tok = must_login(login, "the first client secret", true);
	next_second();

	/* an Idempotency-Key is ignored: the answer holds a secret and is not stored */
	char key[64];
	new_login(key, "rotate");
	char path[160];
	snprintf(path, sizeof path, "/v1/accounts/%s/rotate-secret", id);
	t_resp r = t_post_idem(path, city, "{}", key);
	cr_assert_eq(r.status, 200, "%s", r.body);
	const char *s = t_str(&r, "client_secret");
	cr_assert(s && strlen(s) == 43, "a 256-bit secret in base64url: %s", r.body);
	char *secret = strdup(s);
	cr_expect(!strstr(r.body, "argon2"));
	t_resp_free(&r);
	const char *kp[] = { key };
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.idempotency_keys WHERE key = $1", 1, kp), 0,
	             "a secret's answer kept for a replay");
	one_second();
	expect_all(tok, 401, "a token of the old secret");
	int status;
	char *none = login_token(login, "the first client secret", true, &status);
	cr_expect_null(none, "the old secret still works");
	cr_expect_eq(status, 401);
	char *fresh = must_login(login, secret, true);
	expect_all(fresh, 200, "the new secret");
	cr_expect_eq(audit_rows(id, "rotate_secret"), 1);

	/* a user has no secret to rotate; a client's secret is not set by hand */
	r = action(city, user_id, "rotate-secret", NULL);
	cr_expect(t_is_problem(&r, 409), "%d %s", r.status, r.body);
	t_resp_free(&r);
	r = action(city, id, "password", "{\"password\":\"a chosen client secret\"}");
	cr_expect(t_is_problem(&r, 409), "%d %s", r.status, r.body);
	t_resp_free(&r);
	free(fresh);
	fresh = must_login(login, secret, true); /* unchanged by the refusals */
	free(fresh);
	free(secret);
	free(tok);
	free(unit);
	free(city);
}

Test(account_actions, who_may_disable_whom)
{
	char *city = t_token("city_bureau", NULL);
	char *gusu = t_token("district_bureau", "320508");
	char *unit_huqiu = t_new_unit(NULL, "320505", NULL);
	char login[64], city_acct[40], huqiu_acct[40], own[40];
	new_login(login, "cityacct");
	create_account(city_acct, city, login, "a city password", "user", "city_bureau", NULL, NULL);
	new_login(login, "huqiu");
	create_account(huqiu_acct, city, login, "a huqiu password", "user", "unit", "unit", unit_huqiu);
	new_login(login, "gusu");
	create_account(own, city, login, "the gusu password", "user", "district_bureau", "district", "320508");
	char *own_tok = must_login(login, "the gusu password", false);

	/* outside the district bureau's jurisdiction: not even seen */
	t_resp r = action(gusu, city_acct, "disable", NULL);
	cr_expect(t_is_problem(&r, 404), "a city account: %d %s", r.status, r.body);
	t_resp_free(&r);
	r = action(gusu, huqiu_acct, "disable", "{}");
	cr_expect(t_is_problem(&r, 404), "another district's unit account: %d %s", r.status, r.body);
	t_resp_free(&r);
	r = action(gusu, "00000000-0000-4000-8000-000000000002", "enable", NULL);
	cr_expect(t_is_problem(&r, 404), "%d %s", r.status, r.body);
	t_resp_free(&r);
	/* oneself: never */
	r = action(own_tok, own, "disable", NULL);
	cr_expect(t_is_problem(&r, 403), "itself: %d %s", r.status, r.body);
	t_resp_free(&r);
	/* other roles: not at all; a field: 422 */
	char *unit_tok = t_token("unit", unit_huqiu);
	r = action(unit_tok, huqiu_acct, "disable", NULL);
	cr_expect(t_is_problem(&r, 403), "a unit: %d %s", r.status, r.body);
	t_resp_free(&r);
	r = action(city, huqiu_acct, "disable", "{\"reason\":\"x\"}");
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "reason", "unknown_field"), "%d %s", r.status, r.body);
	t_resp_free(&r);
	const char *p[] = { city_acct, huqiu_acct };
	cr_expect_eq(t_sql_count(NULL, "SELECT count(*) FROM jxjy.accounts WHERE id IN ($1::uuid, $2::uuid)"
	                               " AND disabled", 2, p), 0, "nothing was disabled");
	/* the city bureau may */
	r = action(city, huqiu_acct, "disable", NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	free(unit_tok);
	free(own_tok);
	free(unit_huqiu);
	free(gusu);
	free(city);
}
