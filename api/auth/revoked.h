/*
 * The revoked jtis a worker knows (issue 10): a set of strings, each with
 * its expiry, filled from jxjy.revocations_since (http/revocations.c) and
 * asked on every authenticated request instead of the database.  An
 * expired entry is dropped when the table grows; a token past its expiry is
 * refused by verification anyway.
 */
#ifndef JXJY_API_REVOKED_H
#define JXJY_API_REVOKED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* the longest jti a token may carry (api_claims.jti holds 63 bytes) */
#define API_REVOKED_JTI_MAX 63

typedef struct api_revoked api_revoked;

api_revoked *api_revoked_new(void);
void api_revoked_free(api_revoked *s);
/* Adds jti (expiring at exp, Unix seconds); a known jti is left as it is, a
 * longer one than any token can carry is ignored. */
void api_revoked_add(api_revoked *s, const char *jti, int64_t exp, int64_t now);
bool api_revoked_has(const api_revoked *s, const char *jti);
/* jtis held (expired ones not yet dropped included) */
size_t api_revoked_count(const api_revoked *s);

#endif
