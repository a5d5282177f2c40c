/*
 * POST /v1/auth/token: passwords (people) and client credentials (HR
 * systems) against accounts.  Argon2id runs on the hasher thread; failures
 * are counted per login and throttled (SECURITY.md: at most
 * JXJY_AUTH_MAX_FAILURES an hour, then 429).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http/config.h"
#include "render/json.h"
#include "http/resource.h"
#include "http/worker.h"
#include "handlers.h"

typedef struct token_ctx {
	/* the body as sent (token_fields); token_check reads the values */
	json_t *username, *password_j, *grant_type, *client_id, *client_secret;
	const char *login, *secret;
	char *password;
	const char *kind;
	bool ok;
	/* the account as looked up */
	char account_id[40];
	int role;
	char jur[64];
	bool usable;
	const char *params[2];
	db_call calls[1];
} token_ctx;

static void scrub(token_ctx *t)
{
	if (t->password)
		sodium_memzero(t->password, strlen(t->password));
}

static void note_done(api_req *r, db_result *const *res, int n)
{
	token_ctx *t = r->ctx;
	if (!t->ok) {
		api_reply_header(r, "WWW-Authenticate", "Bearer realm=\"jxjy\"");
		api_reply_problem(r, 401, "Unauthorized", "invalid credentials");
		return;
	}
	const api_config *cfg = api_req_config(r);
	char jti[64];
	char *tok = api_auth_mint(cfg->jwt_secret, cfg->jwt_secret_len, (api_role)t->role,
	                          t->account_id, t->jur, cfg->token_ttl, time(NULL), jti);
	if (!tok) {
		api_reply_problem(r, 503, "Service unavailable", "could not sign a token");
		return;
	}
	api_reply_json(r, 200, json_pack("{s:s, s:s, s:i}", "access_token", tok, "token_type",
	                                 "Bearer", "expires_in", cfg->token_ttl));
	free(tok);
}

static void on_verified(bool match, const char *encoded, void *arg)
{
	api_req *r = arg;
	token_ctx *t = r->ctx;
	scrub(t);
	t->ok = match && t->usable;
	t->params[0] = t->login;
	t->params[1] = t->ok ? "true" : "false";
	t->calls[0] = (db_call){ DB_STMT_AUTH_NOTE, t->params };
	api_db_run(r, t->calls, 1, note_done);
}

static void lookup_done(api_req *r, db_result *const *res, int n)
{
	token_ctx *t = r->ctx;
	const db_result *a = res[0];
	const char *hash = NULL;
	if (db_result_rows(a) > 0) {
		long failures = 0;
		bool disabled = false, locked = false;
		const char *id, *role;
		if (db_result_str(a, 0, AUTH_LOOKUP_COL_ACCOUNT_ID, &id) != 0 ||
		    db_result_str(a, 0, AUTH_LOOKUP_COL_ROLE, &role) != 0 ||
		    (!db_result_is_null(a, 0, AUTH_LOOKUP_COL_FAILURES_LAST_HOUR) &&
		     db_result_int(a, 0, AUTH_LOOKUP_COL_FAILURES_LAST_HOUR, &failures) != 0) ||
		    (!db_result_is_null(a, 0, AUTH_LOOKUP_COL_DISABLED) &&
		     db_result_bool(a, 0, AUTH_LOOKUP_COL_DISABLED, &disabled) != 0) ||
		    (!db_result_is_null(a, 0, AUTH_LOOKUP_COL_LOCKED) &&
		     db_result_bool(a, 0, AUTH_LOOKUP_COL_LOCKED, &locked) != 0)) {
			scrub(t);
			api_reply_problem(r, 500, "Internal error", "the account could not be read");
			return;
		}
		if (failures >= api_req_config(r)->auth_max_failures) {
			scrub(t);
			api_reply_header(r, "Retry-After", "3600");
			api_reply_problem(r, 429, "Too many failed attempts",
			                  "this account has too many failed logins; try again later");
			return;
		}
		hash = db_result_value(a, 0, AUTH_LOOKUP_COL_PASSWORD_HASH);
		snprintf(t->account_id, sizeof t->account_id, "%s", id);
		t->role = api_role_parse(role);
		/* the role's one jurisdiction column, district … person */
		for (int col = AUTH_LOOKUP_COL_DISTRICT; col <= AUTH_LOOKUP_COL_PERSON; col++) {
			const char *v = db_result_value(a, 0, col);
			if (v)
				snprintf(t->jur, sizeof t->jur, "%s", v);
		}
		t->usable = t->role >= 0 && !disabled && !locked;
	}
	/* the hash is copied by the hasher before this result goes away */
	if (api_hasher_verify(r->w->hasher, hash, t->password, on_verified, r) != 0) {
		scrub(t);
		api_reply_problem(r, 503, "Service unavailable", "too many logins in progress; retry shortly");
	}
}

/* A credential: absent is required, anything but a string (null too) invalid. */
static const char *string_field(api_req *r, json_t *v, const char *name, size_t max,
                                json_t *errors)
{
	if (!api_body_has(r, name)) {
		api_error_add(errors, name, "required", "this field is required");
		return NULL;
	}
	if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max) {
		char msg[96];
		snprintf(msg, sizeof msg, "must be a string of 1 to %zu characters", max);
		api_error_add(errors, name, "invalid", msg);
		return NULL;
	}
	return json_string_value(v);
}

/* The grant decides which credentials are required. */
static void token_check(api_req *r, json_t *errors)
{
	token_ctx *t = r->ctx;
	const char *grant = "password";
	json_t *g = t->grant_type;
	if (api_body_has(r, "grant_type")) {
		if (!json_is_string(g) || (strcmp(json_string_value(g), "password") != 0 &&
		                           strcmp(json_string_value(g), "client_credentials") != 0))
			api_error_add(errors, "grant_type", "unsupported",
			              "grant_type must be password or client_credentials");
		else
			grant = json_string_value(g);
	}
	if (strcmp(grant, "client_credentials") == 0) {
		t->kind = "client";
		t->login = string_field(r, t->client_id, "client_id", 64, errors);
		t->secret = string_field(r, t->client_secret, "client_secret", 256, errors);
	} else {
		t->kind = "user";
		t->login = string_field(r, t->username, "username", 64, errors);
		t->secret = string_field(r, t->password_j, "password", 256, errors);
	}
}

static void auth_token(api_req *r)
{
	token_ctx *t = r->ctx;
	t->login = api_arena_strdup(r->mem, t->login);
	t->password = api_arena_strdup(r->mem, t->secret);
	json_t *pw = strcmp(t->kind, "client") == 0 ? t->client_secret : t->password_j;
	sodium_memzero((char *)json_string_value(pw), json_string_length(pw));
	sodium_memzero((char *)r->raw_body, r->raw_body_len);
	t->params[0] = t->login;
	t->params[1] = t->kind;
	t->calls[0] = (db_call){ DB_STMT_AUTH_LOOKUP, t->params };
	api_db_run(r, t->calls, 1, lookup_done);
}

static const api_field token_fields[] = {
	API_FIELD_JSON(token_ctx, username, "username", 0),
	API_FIELD_JSON(token_ctx, password_j, "password", 0),
	API_FIELD_JSON(token_ctx, grant_type, "grant_type", 0),
	API_FIELD_JSON(token_ctx, client_id, "client_id", 0),
	API_FIELD_JSON(token_ctx, client_secret, "client_secret", 0),
	API_FIELDS_END,
};
/* public; query parameters have always been ignored here */
const api_op op_auth_token = { .handler = auth_token, .fields = token_fields,
                               .check = token_check, .ctx_size = sizeof(token_ctx),
                               .flags = API_OP_ANY_QUERY };
