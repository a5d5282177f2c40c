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

void h_accounts_list(api_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", "role", NULL };
	api_page *pg = api_list_begin(r, allowed, api_cursor_is_time_id);
	if (!pg)
		return;
	const char *role = api_query(r, "role");
	if (role && api_role_parse(role) < 0) {
		api_reply_problem(r, 400, "Bad query", "role is not a known role");
		return;
	}
	const char *v[] = { pg->after, role, pg->limit_plus_one };
	api_list_run(r, pg, DB_STMT_ACCOUNT_LIST, v, 3);
}

void h_accounts_get(api_req *r)
{
	api_get_json(r, DB_STMT_ACCOUNT_GET, "no such account in the caller's jurisdiction");
}

/* ---- create ------------------------------------------------------------ */

enum { F_LOGIN, F_KIND, F_PASSWORD_HASH, F_ROLE, F_NAME, F_DISTRICT, F_INDUSTRY, F_UNIT, F_BASE,
       F_PERSON, F__COUNT };

typedef struct create_ctx {
	int role;
	const char *jur_field;
	char *password;
	const char *v[F__COUNT];
	const char *check[1];
	db_call calls[1];
} create_ctx;

static const char *const jur_fields[] = { "district", "industry", "unit", "base", "person" };

static void insert_done(api_req *r, db_result *const *res, int n)
{
	(void)n;
	const char *a = db_result_value(res[0], 0, 0);
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
	(void)n;
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
		const char *level = db_result_value(res[0], 0, 0);
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

static const char *opt_string(json_t *body, const char *name, json_t *errors)
{
	json_t *v = json_object_get(body, name);
	if (!v)
		return NULL;
	if (!json_is_string(v)) {
		api_error_add(errors, name, "invalid", "must be a string");
		return NULL;
	}
	return json_string_value(v);
}

void h_accounts_create(api_req *r)
{
	static const char *const allowed[] = { "login", "password", "kind", "role", "display_name",
	                                       "district", "industry", "unit", "base", "person", NULL };
	if (!api_body_object(r))
		return;
	create_ctx *c = api_arena_alloc(r->mem, sizeof *c);
	if (!api_alloc_ok(r, c))
		return;
	r->ctx = c;
	json_t *errors = json_array();
	api_json_unknown_fields(r->body, allowed, errors);

	const char *login = opt_string(r->body, "login", errors);
	if (!login)
		api_error_add(errors, "login", "required", "3 to 64 of letters, digits and ._@-");
	else if (!login_ok(login))
		api_error_add(errors, "login", "invalid", "3 to 64 of letters, digits and ._@-");
	const char *password = opt_string(r->body, "password", errors);
	if (!password || strlen(password) < 12 || strlen(password) > 256)
		api_error_add(errors, "password", "invalid", "a password of 12 to 256 characters is required");
	const char *kind = opt_string(r->body, "kind", errors);
	if (!kind)
		kind = "user";
	else if (strcmp(kind, "user") != 0 && strcmp(kind, "client") != 0)
		api_error_add(errors, "kind", "invalid", "must be user or client");
	const char *role = opt_string(r->body, "role", errors);
	c->role = role ? api_role_parse(role) : -1;
	if (c->role < 0)
		api_error_add(errors, "role", role ? "invalid" : "required", "must be one of the six roles");
	const char *name = opt_string(r->body, "display_name", errors);
	if (name && (strlen(name) == 0 || strlen(name) > 200))
		api_error_add(errors, "display_name", "invalid", "1 to 200 bytes");

	/* exactly the role's own jurisdiction field */
	const char *jur_claim = c->role >= 0 ? api_role_claim((api_role)c->role) : NULL;
	for (int i = 0; i < 5; i++) {
		const char *f = jur_fields[i];
		const char *val = opt_string(r->body, f, errors);
		bool own = jur_claim && strcmp(jur_claim, f) == 0;
		if (own) {
			c->jur_field = f;
			if (!val)
				api_error_add(errors, f, "required", "the role needs this jurisdiction");
			else if (!api_role_jur_valid((api_role)c->role, val))
				api_error_add(errors, f, "invalid", "malformed value");
			else
				c->v[F_DISTRICT + i] = val;
		} else if (json_object_get(r->body, f) && c->role >= 0) {
			api_error_add(errors, f, "not_allowed", "this role takes no such jurisdiction");
		}
	}
	if (api_errors_reply(r, errors))
		return;
	if (r->claims.role == API_ROLE_DISTRICT && c->role != API_ROLE_UNIT && c->role != API_ROLE_BASE) {
		api_reply_problem(r, 403, "Forbidden",
		                  "a district bureau creates only unit and base accounts");
		return;
	}
	c->v[F_LOGIN] = login;
	c->v[F_KIND] = kind;
	c->v[F_ROLE] = role;
	c->v[F_NAME] = name ? name : login;
	c->password = api_arena_strdup(r->mem, password);
	sodium_memzero((char *)password, strlen(password));
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

/* ---- operations of the route table (http/op.h) -------------------------- */

const api_op op_accounts_create = { .handler = h_accounts_create, .flags = API_OP_ANY_QUERY };
const api_op op_accounts_get = { .handler = h_accounts_get, .flags = API_OP_ANY_QUERY };
const api_op op_accounts_list = { .handler = h_accounts_list, .flags = API_OP_ANY_QUERY };
