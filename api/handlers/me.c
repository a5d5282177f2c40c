/* GET /v1/me: the caller's claims and, when the subject is an account, the
 * account (read through row-level security: everyone sees their own row). */
#include <string.h>

#include "handlers.h"

typedef struct me_ctx {
	const char *params[1];
	db_call calls[1];
} me_ctx;

static void me_done(api_req *r, db_result *const *res, int n)
{
	const api_claims *c = &r->claims;
	json_t *claims = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "sub", c->sub, "role",
	                           api_role_name(c->role), "iss", "jxjy", "aud", "jxjy-api", "iat",
	                           (json_int_t)c->iat, "exp", (json_int_t)c->exp, "jti", c->jti);
	const char *claim = api_role_claim(c->role);
	if (claim)
		json_object_set_new(claims, claim, json_string(c->jur));
	const char *a = n > 0 ? db_result_value(res[0], 0, ACCOUNT_GET_COL_ACCOUNT) : NULL;
	json_t *account = a ? json_loads(a, 0, NULL) : NULL;
	api_reply_json(r, 200, json_pack("{s:o, s:o}", "claims", claims, "account",
	                                 account ? account : json_null()));
}

static void me(api_req *r)
{
	me_ctx *m = r->ctx;
	int n = 0;
	/* operator-minted tokens may name a subject that is no account */
	if (api_is_uuid(r->claims.sub)) {
		m->params[0] = r->claims.sub;
		m->calls[n++] = (db_call){ DB_STMT_ACCOUNT_GET, m->params };
	}
	/* even with no statement the claims are set: a revoked jti is refused */
	api_db_run(r, m->calls, n, me_done);
}

const api_op op_me = { .handler = me, .ctx_size = sizeof(me_ctx) };
