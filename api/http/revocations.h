/*
 * A worker's copy of the revoked jtis (issue 10; sql/0015_hot_path.sql):
 * loaded when the worker starts and refreshed every 250 ms with one
 * statement on a pooled connection, so that a revocation reaches every
 * worker within a second without a query per request.  Until the first
 * load has answered the worker is not "ready" and requests set their claims
 * through jxjy.set_claims, which checks the database itself.
 */
#ifndef JXJY_API_REVOCATIONS_H
#define JXJY_API_REVOCATIONS_H

#include <stdbool.h>

typedef struct api_worker api_worker;
typedef struct api_revocations api_revocations;

#define API_REVOCATIONS_POLL_MS 250

api_revocations *api_revocations_start(api_worker *w);
void api_revocations_free(api_revocations *r);
/* whether the set is loaded: then api_revocations_has answers for the
 * database */
bool api_revocations_ready(const api_revocations *r);
bool api_revocations_has(const api_revocations *r, const char *jti);

#endif
