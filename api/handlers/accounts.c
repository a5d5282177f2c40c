/*
 * Accounts: GET /v1/accounts, GET /v1/accounts/{id}, POST /v1/accounts.
 * Who may create what (API.md): the city bureau any account; a district
 * bureau only unit accounts of units in its district and base accounts of
 * district-level bases in its district.  Row-level security backs both.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "render/json.h"
#include "http/paging.h"
#include "http/resource.h"
#include "http/worker.h"
#include "handlers.h"

typedef struct list_ctx {
	const char *role;
} list_ctx;

static void accounts_list(api_req *r)
{
	list_ctx *c = r->ctx;
	api_page *pg = r->page;
	const char *v[] = { pg->after, c->role, pg->limit_plus_one };
	api_list_run(r, pg, DB_STMT_ACCOUNT_LIST, v, 3);
}

/* a role of auth/ (no core enumeration: API_PARAM_ENUM_OF names core's parsers) */
static int role_parse(void *out, const char *s)
{
	int role = api_role_parse(s);
	*(long *)out = role;
	return role < 0 ? -1 : 0;
}

static const api_param list_params[] = {
	{ "role", API_PARAM_ENUM, role_parse, "role is not a known role", offsetof(list_ctx, role) },
	API_PARAMS_END,
};
const api_op op_accounts_list = { .handler = accounts_list, .params = list_params,
                                  .ctx_size = sizeof(list_ctx), .flags = API_OP_PAGED };

const api_op op_accounts_get = { .handler = api_op_get_json, .stmt = DB_STMT_ACCOUNT_GET,
                                 .not_found = "no such account in the caller's jurisdiction" };

/* ---- create ------------------------------------------------------------ */

enum { F_LOGIN, F_KIND, F_PASSWORD_HASH, F_ROLE, F_NAME, F_DISTRICT, F_INDUSTRY, F_UNIT, F_BASE,
       F_PERSON, F__COUNT };

enum { J_DISTRICT, J_INDUSTRY, J_UNIT, J_BASE, J_PERSON, J__COUNT };

typedef struct create_ctx {
	/* the body as sent (create_fields); create_check reads the values */
	json_t *login_j, *password_j, *kind_j, *role_j, *name_j, *jur_j[J__COUNT];
	const char *login, *password_s, *kind, *role_s, *name;
	int role;
	const char *jur_field;
	char *password;
	const char *v[F__COUNT];
	const char *check[1];
	db_call calls[1];
} create_ctx;

static const char *const jur_fields[J__COUNT] = { "district", "industry", "unit", "base",
                                                   "person" };

static void insert_done(api_req *r, db_result *const *res, int n)
{
	const char *a = db_result_value(res[0], 0, ACCOUNT_INSERT_COL_ACCOUNT);
	if (!a) {
		/* row-level security hid the new row from its creator */
		api_reply_problem(r, 403, "Forbidden", "this account is outside the caller's jurisdiction");
		return;
	}
	api_reply_created(r, "/v1/accounts/", NULL, a);
}

static void on_hashed(bool ok, const char *encoded, void *arg)
{
	api_req *r = arg;
	create_ctx *c = r->ctx;
	sodium_memzero(c->password, strlen(c->password));
	if (!ok) {
		api_reply_problem(r, 503, "Service unavailable", "could not hash the password");
		return;
	}
	c->v[F_PASSWORD_HASH] = api_arena_strdup(r->mem, encoded);
	c->calls[0] = (db_call){ DB_STMT_ACCOUNT_INSERT, c->v };
	api_db_run(r, c->calls, 1, insert_done);
}

static void hash_password(api_req *r)
{
	create_ctx *c = r->ctx;
	if (api_hasher_hash(r->w->hasher, c->password, on_hashed, r) != 0) {
		sodium_memzero(c->password, strlen(c->password));
		api_reply_problem(r, 503, "Service unavailable", "too many requests in progress; retry shortly");
	}
}

/* The jurisdiction object must exist and be visible to the caller. */
static void check_done(api_req *r, db_result *const *res, int n)
{
	create_ctx *c = r->ctx;
	if (db_result_rows(res[0]) == 0) {
		sodium_memzero(c->password, strlen(c->password));
		if (c->role == API_ROLE_DISTRICT || c->role == API_ROLE_INDUSTRY) {
			json_t *errors = json_array();
			api_error_add(errors, c->jur_field, "unknown", "no such code");
			api_reply_errors(r, 422, "Validation failed", errors);
		} else {
			api_reply_problem(r, 404, "Not found", "the account's unit, base or person does not "
			                                       "exist in the caller's jurisdiction");
		}
		return;
	}
	if (c->role == API_ROLE_BASE && r->claims.role == API_ROLE_DISTRICT) {
		const char *level = db_result_value(res[0], 0, BASE_VISIBLE_COL_LEVEL);
		if (!level || strcmp(level, "district") != 0) {
			sodium_memzero(c->password, strlen(c->password));
			api_reply_problem(r, 403, "Forbidden",
			                  "a district bureau creates accounts only for district-level bases");
			return;
		}
	}
	hash_password(r);
}

static bool login_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._@-", s[i]))
			return false;
	return true;
}

/* An optional string: absent is NULL, anything else but a string (null
 * too) invalid. */
static const char *opt_string(api_req *r, json_t *v, const char *name, json_t *errors)
{
	if (!api_body_has(r, name))
		return NULL;
	if (!json_is_string(v)) {
		api_error_add(errors, name, "invalid", "must be a string");
		return NULL;
	}
	return json_string_value(v);
}

static void create_check(api_req *r, json_t *errors)
{
	create_ctx *c = r->ctx;
	const char *login = opt_string(r, c->login_j, "login", errors);
	if (!login)
		api_error_add(errors, "login", "required", "3 to 64 of letters, digits and ._@-");
	else if (!login_ok(login))
		api_error_add(errors, "login", "invalid", "3 to 64 of letters, digits and ._@-");
	const char *password = opt_string(r, c->password_j, "password", errors);
	if (!password || strlen(password) < 12 || strlen(password) > 256)
		api_error_add(errors, "password", "invalid", "a password of 12 to 256 characters is required");
	const char *kind = opt_string(r, c->kind_j, "kind", errors);
	if (!kind)
		kind = "user";
	else if (strcmp(kind, "user") != 0 && strcmp(kind, "client") != 0)
		api_error_add(errors, "kind", "invalid", "must be user or client");
	const char *role = opt_string(r, c->role_j, "role", errors);
	c->role = role ? api_role_parse(role) : -1;
	if (c->role < 0)
		api_error_add(errors, "role", role ? "invalid" : "required", "must be one of the six roles");
	const char *name = opt_string(r, c->name_j, "display_name", errors);
	if (name && (strlen(name) == 0 || strlen(name) > 200))
		api_error_add(errors, "display_name", "invalid", "1 to 200 bytes");

	/* exactly the role's own jurisdiction field */
	const char *jur_claim = c->role >= 0 ? api_role_claim((api_role)c->role) : NULL;
	for (int i = 0; i < J__COUNT; i++) {
		const char *f = jur_fields[i];
		const char *val = opt_string(r, c->jur_j[i], f, errors);
		bool own = jur_claim && strcmp(jur_claim, f) == 0;
		if (own) {
			c->jur_field = f;
			if (!val)
				api_error_add(errors, f, "required", "the role needs this jurisdiction");
			else if (!api_role_jur_valid((api_role)c->role, val))
				api_error_add(errors, f, "invalid", "malformed value");
			else
				c->v[F_DISTRICT + i] = val;
		} else if (api_body_has(r, f) && c->role >= 0) {
			api_error_add(errors, f, "not_allowed", "this role takes no such jurisdiction");
		}
	}
	c->login = login;
	c->password_s = password;
	c->kind = kind;
	c->role_s = role;
	c->name = name;
}

static void accounts_create(api_req *r)
{
	create_ctx *c = r->ctx;
	if (r->claims.role == API_ROLE_DISTRICT && c->role != API_ROLE_UNIT && c->role != API_ROLE_BASE) {
		api_reply_problem(r, 403, "Forbidden",
		                  "a district bureau creates only unit and base accounts");
		return;
	}
	c->v[F_LOGIN] = c->login;
	c->v[F_KIND] = c->kind;
	c->v[F_ROLE] = c->role_s;
	c->v[F_NAME] = c->name ? c->name : c->login;
	c->password = api_arena_strdup(r->mem, c->password_s);
	sodium_memzero((char *)c->password_s, strlen(c->password_s));
	sodium_memzero((char *)r->raw_body, r->raw_body_len);

	db_stmt_id check;
	switch (c->role) {
	case API_ROLE_DISTRICT: check = DB_STMT_DISTRICT_EXISTS; break;
	case API_ROLE_INDUSTRY: check = DB_STMT_INDUSTRY_EXISTS; break;
	case API_ROLE_UNIT: check = DB_STMT_UNIT_VISIBLE; break;
	case API_ROLE_BASE: check = DB_STMT_BASE_VISIBLE; break;
	case API_ROLE_PERSON: check = DB_STMT_PERSON_VISIBLE; break;
	default:
		hash_password(r);
		return;
	}
	c->check[0] = c->v[F_DISTRICT + (int)(c->role - API_ROLE_DISTRICT)];
	c->calls[0] = (db_call){ check, c->check };
	api_db_run(r, c->calls, 1, check_done);
}

static const api_field create_fields[] = {
	API_FIELD_JSON(create_ctx, login_j, "login", 0),
	API_FIELD_JSON(create_ctx, password_j, "password", 0),
	API_FIELD_JSON(create_ctx, kind_j, "kind", 0),
	API_FIELD_JSON(create_ctx, role_j, "role", 0),
	API_FIELD_JSON(create_ctx, name_j, "display_name", 0),
	API_FIELD_JSON(create_ctx, jur_j[J_DISTRICT], "district", 0),
	API_FIELD_JSON(create_ctx, jur_j[J_INDUSTRY], "industry", 0),
	API_FIELD_JSON(create_ctx, jur_j[J_UNIT], "unit", 0),
	API_FIELD_JSON(create_ctx, jur_j[J_BASE], "base", 0),
	API_FIELD_JSON(create_ctx, jur_j[J_PERSON], "person", 0),
	API_FIELDS_END,
};
/* query parameters have always been ignored here (API_OP_ANY_QUERY keeps it) */
const api_op op_accounts_create = { .handler = accounts_create, .fields = create_fields,
                                    .check = create_check, .ctx_size = sizeof(create_ctx),
                                    .flags = API_OP_ANY_QUERY };

/* ---- disable, enable, password, rotate-secret (API.md "Accounts and
 * abuse"): by whoever may create the account (the policy accounts_update);
 * the account's tokens are refused on every worker within a second after
 * (sql/0016_accounts.sql, http/revocations.c) ------------------------------ */

/* An account change found no row: 404 when the caller does not see the
 * account, 409 when it is of the other kind (want: the kind the action is
 * for, NULL: any), else 403. */
static void refused_change(api_req *r, const db_result *visible, const char *want)
{
	const char *kind;
	if (db_result_rows(visible) == 0) {
		api_reply_not_found(r, "no such account in the caller's jurisdiction");
	} else if (want && db_result_str(visible, 0, ACCOUNT_VISIBLE_COL_KIND, &kind) == 0 &&
	           strcmp(kind, want) != 0) {
		api_reply_problem(r, 409, "Conflict",
		                  strcmp(want, "client") == 0
		                      ? "only a client account has a secret to rotate"
		                      : "a client account's secret is rotated, not set");
	} else {
		api_reply_problem(r, 403, "Forbidden", "this account is not the caller's to change");
	}
}

/* The account changed (column col of the change's row), as GET
 * /v1/accounts/{id} shows it; or the refusal. */
static void reply_change(api_req *r, db_result *const *res, int col, const char *want)
{
	const char *account = db_result_value(res[0], 0, col);
	if (!account) {
		refused_change(r, res[1], want);
		return;
	}
	api_reply_doc(r, 200, NULL, account);
}

static void disabled_done(api_req *r, db_result *const *res, int n)
{
	reply_change(r, res, ACCOUNT_SET_DISABLED_COL_ACCOUNT, NULL);
}

static void password_done(api_req *r, db_result *const *res, int n)
{
	reply_change(r, res, ACCOUNT_SET_SECRET_COL_ACCOUNT, "user");
}

/* the account named by the path, unless it is the caller's own */
static bool not_self(api_req *r)
{
	if (strcmp(r->path_params[0], r->claims.sub) != 0)
		return true;
	api_reply_problem(r, 403, "Forbidden", "an account cannot disable itself");
	return false;
}

typedef struct change_ctx {
	const char *v[4];
	const char *visible[1];
	db_call calls[2];
	/* password: the body's; rotate-secret: the new secret */
	const char *password, *old_password;
	char *secret;
	char old_hash[160];
} change_ctx;

/* the change's statement (c->v from $2 on filled), then the visibility
 * probe for a refusal */
static void run_change(api_req *r, db_stmt_id stmt,
                       void (*done)(api_req *r, db_result *const *res, int n))
{
	change_ctx *c = r->ctx;
	c->v[0] = r->path_params[0];
	c->visible[0] = r->path_params[0];
	c->calls[0] = (db_call){ stmt, c->v };
	c->calls[1] = (db_call){ DB_STMT_ACCOUNT_VISIBLE, c->visible };
	api_db_run(r, c->calls, 2, done);
}

static void set_disabled(api_req *r)
{
	change_ctx *c = r->ctx;
	bool disable = r->route->op->arg;
	if (disable && !not_self(r))
		return;
	c->v[1] = disable ? "true" : "false";
	run_change(r, DB_STMT_ACCOUNT_SET_DISABLED, disabled_done);
}

const api_op op_accounts_disable = { .handler = set_disabled, .ctx_size = sizeof(change_ctx),
                                     .not_found = "no such account in the caller's jurisdiction",
                                     .arg = 1 };
const api_op op_accounts_enable = { .handler = set_disabled, .ctx_size = sizeof(change_ctx),
                                    .not_found = "no such account in the caller's jurisdiction" };

/* ---- a new password or secret, hashed on the hasher thread -------------- */

static void scrub_change(change_ctx *c)
{
	if (c->secret)
		sodium_memzero(c->secret, strlen(c->secret));
	if (c->password)
		sodium_memzero((char *)c->password, strlen(c->password));
	if (c->old_password)
		sodium_memzero((char *)c->old_password, strlen(c->old_password));
}

/* the answer of rotate-secret: the account and, this once, its secret */
static void rotated_done(api_req *r, db_result *const *res, int n)
{
	change_ctx *c = r->ctx;
	const char *account = db_result_value(res[0], 0, ACCOUNT_SET_SECRET_COL_ACCOUNT);
	json_t *doc = account ? json_loads(account, 0, NULL) : NULL;
	if (!doc) {
		scrub_change(c);
		refused_change(r, res[1], "client");
		return;
	}
	json_object_set_new(doc, "client_secret", json_string(c->secret));
	scrub_change(c);
	api_reply_json(r, 200, doc);
}

static void secret_hashed(bool ok, const char *encoded, void *arg)
{
	api_req *r = arg;
	change_ctx *c = r->ctx;
	if (!ok) {
		scrub_change(c);
		api_reply_problem(r, 503, "Service unavailable", "could not hash the password");
		return;
	}
	bool rotate = r->route->op->arg;
	c->v[1] = api_arena_strdup(r->mem, encoded);
	c->v[2] = rotate ? "client" : "user";
	c->v[3] = rotate ? "rotate_secret" : "password";
	if (!rotate)
		scrub_change(c);
	run_change(r, DB_STMT_ACCOUNT_SET_SECRET, rotate ? rotated_done : password_done);
}

static void hash_secret(api_req *r, const char *secret, api_hasher_cb cb)
{
	if (api_hasher_hash(r->w->hasher, secret, cb, r) != 0) {
		scrub_change(r->ctx);
		api_reply_problem(r, 503, "Service unavailable", "too many requests in progress; retry shortly");
	}
}

/* ---- POST /v1/accounts/{id}/password ------------------------------------ */

/* one's own: the old password verified against the stored hash, then a
 * compare-and-set on that hash (a concurrent change makes it fail) */
static void own_set_done(api_req *r, db_result *const *res, int n)
{
	bool changed = false;
	if (db_result_bool(res[0], 0, ACCOUNT_SET_OWN_PASSWORD_COL_CHANGED, &changed) != 0 || !changed) {
		api_reply_problem(r, 409, "Conflict", "the password changed meanwhile; retry the request");
		return;
	}
	api_reply_doc(r, 200, NULL, db_result_value(res[1], 0, ACCOUNT_GET_COL_ACCOUNT));
}

static void own_hashed(bool ok, const char *encoded, void *arg)
{
	api_req *r = arg;
	change_ctx *c = r->ctx;
	scrub_change(c);
	if (!ok) {
		api_reply_problem(r, 503, "Service unavailable", "could not hash the password");
		return;
	}
	c->v[0] = c->old_hash;
	c->v[1] = api_arena_strdup(r->mem, encoded);
	c->visible[0] = r->path_params[0];
	c->calls[0] = (db_call){ DB_STMT_ACCOUNT_SET_OWN_PASSWORD, c->v };
	c->calls[1] = (db_call){ DB_STMT_ACCOUNT_GET, c->visible };
	api_db_run(r, c->calls, 2, own_set_done);
}

static void own_verified(bool ok, const char *encoded, void *arg)
{
	api_req *r = arg;
	change_ctx *c = r->ctx;
	if (!ok) {
		scrub_change(c);
		api_reply_problem(r, 403, "Forbidden", "old_password is not the account's password");
		return;
	}
	hash_secret(r, c->password, own_hashed);
}

static void own_hash_done(api_req *r, db_result *const *res, int n)
{
	change_ctx *c = r->ctx;
	const char *hash = db_result_value(res[0], 0, ACCOUNT_OWN_HASH_COL_HASH);
	if (!hash || strlen(hash) >= sizeof c->old_hash) {
		scrub_change(c);
		api_reply_problem(r, 403, "Forbidden", "this account cannot change its own password");
		return;
	}
	strcpy(c->old_hash, hash);
	if (api_hasher_verify(r->w->hasher, c->old_hash, c->old_password, own_verified, r) != 0) {
		scrub_change(c);
		api_reply_problem(r, 503, "Service unavailable", "too many requests in progress; retry shortly");
	}
}

static void password_check(api_req *r, json_t *errors)
{
	change_ctx *c = r->ctx;
	if (c->password && (strlen(c->password) < 12 || strlen(c->password) > 256))
		api_error_add(errors, "password", "invalid", "a password of 12 to 256 characters is required");
	/* one's own password only with the old one; another's without */
	bool self = strcmp(r->path_params[0], r->claims.sub) == 0;
	if (self && !c->old_password)
		api_error_add(errors, "old_password", "required", "changing one's own password needs the old one");
	else if (!self && c->old_password)
		api_error_add(errors, "old_password", "not_allowed", "only for one's own password");
	if (json_array_size(errors) > 0)
		scrub_change(c);
}

static void set_password(api_req *r)
{
	change_ctx *c = r->ctx;
	sodium_memzero((char *)r->raw_body, r->raw_body_len);
	if (strcmp(r->path_params[0], r->claims.sub) == 0) {
		c->calls[0] = (db_call){ DB_STMT_ACCOUNT_OWN_HASH, NULL };
		api_db_run(r, c->calls, 1, own_hash_done);
		return;
	}
	if (r->claims.role != API_ROLE_CITY && r->claims.role != API_ROLE_DISTRICT) {
		scrub_change(c);
		api_reply_problem(r, 403, "Forbidden", "only the account itself or a bureau may set its password");
		return;
	}
	hash_secret(r, c->password, secret_hashed);
}

static const api_field password_fields[] = {
	API_FIELD_STR(change_ctx, password, "password", API_REQUIRED, 256),
	API_FIELD_STR(change_ctx, old_password, "old_password", 0, 256),
	API_FIELDS_END,
};
const api_op op_accounts_password = { .handler = set_password, .fields = password_fields,
                                      .check = password_check, .ctx_size = sizeof(change_ctx),
                                      .not_found = "no such account in the caller's jurisdiction",
                                      .flags = API_OP_NO_REPLAY };

/* ---- POST /v1/accounts/{id}/rotate-secret ------------------------------- */

static void rotate_secret(api_req *r)
{
	change_ctx *c = r->ctx;
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	size_t len = sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	c->secret = api_arena_alloc(r->mem, len);
	sodium_bin2base64(c->secret, len, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	hash_secret(r, c->secret, secret_hashed);
}

const api_op op_accounts_rotate_secret = { .handler = rotate_secret, .ctx_size = sizeof(change_ctx),
                                           .not_found = "no such account in the caller's jurisdiction",
                                           .flags = API_OP_NO_REPLAY, .arg = 1 };
