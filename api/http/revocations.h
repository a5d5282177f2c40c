/*
 * A worker's copy of what refuses a token besides its signature and expiry
 * (issues 10 and 11; sql/0015_hot_path.sql, sql/0016_accounts.sql): the
 * revoked jtis, and each account's state — disabled, or the second before
 * which its tokens were issued before a password change, secret rotation,
 * role or jurisdiction change.  Loaded when the worker starts and refreshed
 * every 250 ms with two statements in one round trip on a pooled
 * connection, so that a revocation or a disabling reaches every worker
 * within a second without a query per request.  Until the first load has
 * answered the worker is not "ready" and requests set their claims through
 * jxjy.set_claims, which checks the database itself.
 */
#ifndef JXJY_API_REVOCATIONS_H
#define JXJY_API_REVOCATIONS_H

#include <stdbool.h>

#include "auth/auth.h"

typedef struct api_worker api_worker;
typedef struct api_revocations api_revocations;

#define API_REVOCATIONS_POLL_MS 250

api_revocations *api_revocations_start(api_worker *w);
void api_revocations_free(api_revocations *r);
/* whether both are loaded: then api_revocations_refuse answers for the
 * database */
bool api_revocations_ready(const api_revocations *r);
/* whether the token of these claims is refused: its jti revoked, its
 * account disabled or its iat before the account's cut-off */
bool api_revocations_refuse(const api_revocations *r, const api_claims *c);

#endif
