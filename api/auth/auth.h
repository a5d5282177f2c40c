/*
 * Tokens: HS256 JWTs as API.md "Authentication" defines them.  Verification
 * does every check libjwt 1.10 leaves to its caller (SECURITY.md): header
 * cap before decoding, pinned algorithm, typed claims with bounded skew,
 * role allow-list and the role's jurisdiction claim.  It never touches the
 * database; revoked jtis are refused by jxjy.set_claims in the request's
 * first statement.
 */
#ifndef JXJY_API_AUTH_H
#define JXJY_API_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef enum api_role {
	API_ROLE_CITY,
	API_ROLE_DISTRICT,
	API_ROLE_INDUSTRY,
	API_ROLE_UNIT,
	API_ROLE_BASE,
	API_ROLE_PERSON,
	API_ROLE__COUNT
} api_role;

#define API_ROLE_BIT(r) (1u << (r))
#define API_ROLES_ALL ((1u << API_ROLE__COUNT) - 1)

#define API_AUTH_HEADER_MAX 8192
#define API_AUTH_SKEW 30

typedef struct api_claims {
	api_role role;
	char sub[64];
	char jti[64];
	char jur[64];  /* the role's jurisdiction value ("" for the city bureau) */
	int64_t iat, exp;
} api_claims;

typedef struct api_auth api_auth;

/* Returns the role's token name ("city_bureau", …) and its jurisdiction
 * claim name ("district", …, NULL for the city bureau). */
const char *api_role_name(api_role r);
const char *api_role_claim(api_role r);
int api_role_parse(const char *s); /* -1 when unknown */
/* A canonical 8-4-4-4-12 hex UUID. */
bool api_is_uuid(const char *s);
/* Checks the shape of a jurisdiction value for a role. */
bool api_role_jur_valid(api_role r, const char *v);

/* secret must be ≥ 32 bytes (the caller has checked).  cache_size entries of
 * verified tokens are kept until they expire. */
int api_auth_new(api_auth **out, const char *secret, size_t secret_len, size_t cache_size);
void api_auth_free(api_auth *a);

/* Verifies an Authorization header value.  Returns 0 and fills out, or -1
 * with a short reason for the WWW-Authenticate header and the log. */
int api_auth_verify(api_auth *a, api_claims *out, const char *header, time_t now,
                    const char **why);

/* Signs a token for the claims (iat = now, exp = now + ttl, fresh jti).
 * Returns a malloc'd string or NULL. */
char *api_auth_mint(const char *secret, size_t secret_len, api_role role, const char *sub,
                    const char *jur, int ttl, time_t now, char jti_out[64]);
#endif
