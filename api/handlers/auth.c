/*
 * POST /v1/auth/token: passwords (people) and client credentials (HR
 * systems) against accounts.  Argon2id runs on the hasher thread.
 *
 * Throttling (API.md "Accounts and abuse (second wave)"): jxjy.auth_begin
 * counts the attempt per login and per client address in one statement
 * BEFORE the password is checked, so a concurrent burst counts every
 * attempt; after JXJY_AUTH_MAX_FAILURES failures of a login (or
 * JXJY_AUTH_ADDR_FAILURES of an address) each failure makes the next attempt
 * wait 1 s, 2 s, 4 s, … up to JXJY_AUTH_LOCK_S (≤ 15 min); an attempt that
 * comes too early is 429 with Retry-After and checks nothing.  All of it is
 * the same for unknown logins (same statement, same answers, and a hash
 * against a dummy so that the time is the same).  jxjy.auth_finish settles
 * the count and writes the audit row (login / login_failed) in one
 * transaction.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/http.h>
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
	char addr[INET6_ADDRSTRLEN];
	char n_free[12], n_addr_free[12], n_lock[12];
	const char *params[6];
	db_call calls[1];
} token_ctx;

static void scrub(token_ctx *t)
{
	if (t->password)
		sodium_memzero(t->password, strlen(t->password));
}

/* True when s is a numeric IPv4 or IPv6 address. */
static bool is_address(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];
	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* True when addr is one of the comma-separated list. */
static bool in_list(const char *list, const char *addr)
{
	size_t n = strlen(addr);
	for (const char *p = list; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ", ");
		if (len == n && len > 0 && strncmp(p, addr, n) == 0)
			return true;
		p += len;
	}
	return false;
}

/* The client's address: evhttp's peer, or, when the peer is one of
 * JXJY_TRUSTED_PROXIES, the last X-Forwarded-For entry (the address that
 * proxy saw; deploy/haproxy.cfg.in sets the header, never appends, so it is
 * the one entry).  "unknown" when neither can be read. */
static void client_address(api_req *r, char *out, size_t n)
{
	char *peer = NULL;
	ev_uint16_t port = 0;
	snprintf(out, n, "unknown");
	if (!r->ev)
		return;
	evhttp_connection_get_peer(evhttp_request_get_connection(r->ev), &peer, &port);
	if (!peer)
		return;
	snprintf(out, n, "%s", peer);
	const char *proxies = api_req_config(r)->trusted_proxies;
	if (!proxies || !*proxies || !in_list(proxies, peer))
		return;
	const char *xff = evhttp_find_header(evhttp_request_get_input_headers(r->ev), "X-Forwarded-For");
	if (!xff)
		return;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	char hop[INET6_ADDRSTRLEN];
	size_t len = strcspn(last, " ");
	if (len == 0 || len >= sizeof hop)
		return;
	memcpy(hop, last, len);
	hop[len] = '\0';
	if (is_address(hop))
		snprintf(out, n, "%s", hop);
}

static void finish_done(api_req *r, db_result *const *res, int n)
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
	t->params[1] = t->kind;
	t->params[2] = t->addr;
	t->params[3] = t->ok ? "true" : "false";
	t->params[4] = t->n_addr_free;
	t->params[5] = r->request_id;
	t->calls[0] = (db_call){ DB_STMT_AUTH_FINISH, t->params };
	api_db_run(r, t->calls, 1, finish_done);
}

static void begin_done(api_req *r, db_result *const *res, int n)
{
	token_ctx *t = r->ctx;
	const db_result *a = res[0];
	const char *hash = NULL;
	long wait = 0;
	if (db_result_rows(a) != 1 || db_result_int(a, 0, AUTH_BEGIN_COL_RETRY_AFTER, &wait) != 0) {
		scrub(t);
		api_reply_problem(r, 500, "Internal error", "the login could not be counted");
		return;
	}
	if (wait > 0) {
		/* the same answer for every login, known or not, and nothing checked */
		scrub(t);
		api_reply_header(r, "Retry-After", api_arena_printf(r->mem, "%ld", wait));
		api_reply_problem(r, 429, "Too many failed attempts",
		                  "too many failed logins; try again later");
		return;
	}
	if (!db_result_is_null(a, 0, AUTH_BEGIN_COL_ACCOUNT_ID)) {
		bool disabled = false;
		const char *id, *role;
		if (db_result_str(a, 0, AUTH_BEGIN_COL_ACCOUNT_ID, &id) != 0 ||
		    db_result_str(a, 0, AUTH_BEGIN_COL_ROLE, &role) != 0 ||
		    (!db_result_is_null(a, 0, AUTH_BEGIN_COL_DISABLED) &&
		     db_result_bool(a, 0, AUTH_BEGIN_COL_DISABLED, &disabled) != 0)) {
			scrub(t);
			api_reply_problem(r, 500, "Internal error", "the account could not be read");
			return;
		}
		hash = db_result_value(a, 0, AUTH_BEGIN_COL_PASSWORD_HASH);
		snprintf(t->account_id, sizeof t->account_id, "%s", id);
		t->role = api_role_parse(role);
		/* the role's one jurisdiction column, district … person */
		for (int col = AUTH_BEGIN_COL_DISTRICT; col <= AUTH_BEGIN_COL_PERSON; col++) {
			const char *v = db_result_value(a, 0, col);
			if (v)
				snprintf(t->jur, sizeof t->jur, "%s", v);
		}
		t->usable = t->role >= 0 && !disabled;
	}
	/* the hash is copied by the hasher before this result goes away; no
	 * hash (unknown login) costs the same against a dummy */
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
	const api_config *cfg = api_req_config(r);
	client_address(r, t->addr, sizeof t->addr);
	snprintf(t->n_free, sizeof t->n_free, "%d", cfg->auth_max_failures);
	snprintf(t->n_addr_free, sizeof t->n_addr_free, "%d", cfg->auth_addr_failures);
	snprintf(t->n_lock, sizeof t->n_lock, "%d", cfg->auth_lock_s);
	t->params[0] = t->login;
	t->params[1] = t->kind;
	t->params[2] = t->addr;
	t->params[3] = t->n_free;
	t->params[4] = t->n_addr_free;
	t->params[5] = t->n_lock;
	t->calls[0] = (db_call){ DB_STMT_AUTH_BEGIN, t->params };
	api_db_run(r, t->calls, 1, begin_done);
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
