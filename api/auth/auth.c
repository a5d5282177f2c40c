#include "auth/auth.h"
#include "http/hash.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <jwt.h>
#include <sodium.h>

static const struct {
	const char *name, *claim;
} roles[API_ROLE__COUNT] = {
	[API_ROLE_CITY] = { "city_bureau", NULL },
	[API_ROLE_DISTRICT] = { "district_bureau", "district" },
	[API_ROLE_INDUSTRY] = { "industry_authority", "industry" },
	[API_ROLE_UNIT] = { "unit", "unit" },
	[API_ROLE_BASE] = { "base", "base" },
	[API_ROLE_PERSON] = { "person", "person" },
};

typedef struct cache_entry {
	uint64_t hash;
	char *token;
	api_claims claims;
} cache_entry;

struct api_auth {
	unsigned char *key;
	size_t key_len;
	cache_entry *cache;
	size_t cache_size;
};

const char *api_role_name(api_role r)
{
	return (unsigned)r < API_ROLE__COUNT ? roles[r].name : "unknown";
}

const char *api_role_claim(api_role r)
{
	return (unsigned)r < API_ROLE__COUNT ? roles[r].claim : NULL;
}

int api_role_parse(const char *s)
{
	for (int i = 0; i < API_ROLE__COUNT; i++)
		if (s && strcmp(s, roles[i].name) == 0)
			return i;
	return -1;
}

bool api_is_uuid(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

bool api_role_jur_valid(api_role r, const char *v)
{
	if (r == API_ROLE_CITY)
		return true;
	if (!v || !*v)
		return false;
	size_t n = strlen(v);
	switch (r) {
	case API_ROLE_DISTRICT:
		if (n != 6)
			return false;
		for (size_t i = 0; i < n; i++)
			if (!isdigit((unsigned char)v[i]))
				return false;
		return true;
	case API_ROLE_INDUSTRY:
		if (n > 32)
			return false;
		for (size_t i = 0; i < n; i++)
			if (!islower((unsigned char)v[i]) && !isdigit((unsigned char)v[i]) && v[i] != '_')
				return false;
		return true;
	default:
		return api_is_uuid(v);
	}
}

int api_auth_new(api_auth **out, const char *secret, size_t secret_len, size_t cache_size)
{
	*out = NULL;
	if (!secret || secret_len < 32 || cache_size == 0)
		return -1;
	api_auth *a = calloc(1, sizeof *a);
	if (!a)
		return -1;
	a->key = malloc(secret_len);
	a->cache = calloc(cache_size, sizeof *a->cache);
	if (!a->key || !a->cache) {
		api_auth_free(a);
		return -1;
	}
	memcpy(a->key, secret, secret_len);
	a->key_len = secret_len;
	a->cache_size = cache_size;
	*out = a;
	return 0;
}

void api_auth_free(api_auth *a)
{
	if (!a)
		return;
	if (a->cache)
		for (size_t i = 0; i < a->cache_size; i++)
			free(a->cache[i].token);
	if (a->key)
		sodium_memzero(a->key, a->key_len);
	free(a->key);
	free(a->cache);
	free(a);
}

/* A JSON integer (not a string, not a float) claim. */
static int int_claim(const json_t *g, const char *name, bool required, int64_t *out)
{
	json_t *v = json_object_get(g, name);
	if (!v)
		return required ? -1 : 1;
	if (!json_is_integer(v))
		return -1;
	*out = json_integer_value(v);
	return 0;
}

static int str_claim(const json_t *g, const char *name, char *out, size_t n)
{
	json_t *v = json_object_get(g, name);
	if (!json_is_string(v))
		return -1;
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (len == 0 || len >= n || strlen(s) != len)
		return -1;
	memcpy(out, s, len + 1);
	return 0;
}

static bool aud_ok(const json_t *g)
{
	json_t *v = json_object_get(g, "aud");
	if (json_is_string(v))
		return strcmp(json_string_value(v), "jxjy-api") == 0;
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
			if (json_is_string(e) && strcmp(json_string_value(e), "jxjy-api") == 0)
				return true;
	}
	return false;
}

static int check_claims(api_claims *out, const char *grants, time_t now, const char **why)
{
	json_error_t jerr;
	json_t *g = json_loads(grants, JSON_REJECT_DUPLICATES, &jerr);
	int rc = -1;
	memset(out, 0, sizeof *out);
	if (!json_is_object(g)) {
		*why = "malformed claims";
		goto done;
	}
	int64_t nbf = 0;
	if (int_claim(g, "exp", true, &out->exp) != 0) {
		*why = "exp missing or not an integer";
		goto done;
	}
	if (int_claim(g, "iat", true, &out->iat) != 0) {
		*why = "iat missing or not an integer";
		goto done;
	}
	int nb = int_claim(g, "nbf", false, &nbf);
	if (nb < 0) {
		*why = "nbf not an integer";
		goto done;
	}
	if (out->exp <= (int64_t)now - API_AUTH_SKEW) {
		*why = "token expired";
		goto done;
	}
	if ((nb == 0 && nbf > (int64_t)now + API_AUTH_SKEW) || out->iat > (int64_t)now + API_AUTH_SKEW) {
		*why = "token not yet valid";
		goto done;
	}
	json_t *iss = json_object_get(g, "iss");
	if (!json_is_string(iss) || strcmp(json_string_value(iss), "jxjy") != 0) {
		*why = "wrong issuer";
		goto done;
	}
	if (!aud_ok(g)) {
		*why = "wrong audience";
		goto done;
	}
	char role[32];
	int r;
	if (str_claim(g, "role", role, sizeof role) != 0 || (r = api_role_parse(role)) < 0) {
		*why = "unknown role";
		goto done;
	}
	out->role = (api_role)r;
	if (str_claim(g, "sub", out->sub, sizeof out->sub) != 0) {
		*why = "sub missing";
		goto done;
	}
	if (str_claim(g, "jti", out->jti, sizeof out->jti) != 0) {
		*why = "jti missing";
		goto done;
	}
	const char *claim = roles[r].claim;
	if (claim) {
		if (str_claim(g, claim, out->jur, sizeof out->jur) != 0 ||
		    !api_role_jur_valid(out->role, out->jur)) {
			*why = "jurisdiction claim missing or malformed";
			goto done;
		}
	}
	rc = 0;
done:
	json_decref(g);
	return rc;
}

static bool token_charset_ok(const char *t, size_t n)
{
	int dots = 0;
	for (size_t i = 0; i < n; i++) {
		char c = t[i];
		if (c == '.')
			dots++;
		else if (!isalnum((unsigned char)c) && c != '-' && c != '_')
			return false;
	}
	return dots == 2;
}

int api_auth_verify(api_auth *a, api_claims *out, const char *header, time_t now,
                    const char **why)
{
	*why = "missing bearer token";
	if (!header)
		return -1;
	/* cap before anything looks inside: libjwt's decoder uses alloca */
	size_t hlen = strnlen(header, API_AUTH_HEADER_MAX + 1);
	if (hlen > API_AUTH_HEADER_MAX) {
		*why = "authorization header too large";
		return -1;
	}
	if (hlen < 8 || strncasecmp(header, "Bearer ", 7) != 0)
		return -1;
	const char *tok = header + 7;
	size_t tlen = hlen - 7;
	if (!token_charset_ok(tok, tlen)) {
		*why = "malformed token";
		return -1;
	}

	uint64_t h = api_hash_bytes(tok, tlen);
	cache_entry *e = &a->cache[h % a->cache_size];
	if (e->token && e->hash == h && strcmp(e->token, tok) == 0) {
		if (e->claims.exp <= (int64_t)now - API_AUTH_SKEW) {
			*why = "token expired";
			return -1;
		}
		*out = e->claims;
		return 0;
	}

	jwt_t *jwt = NULL;
	char *grants = NULL;
	int rc = -1;
	if (jwt_decode(&jwt, tok, a->key, (int)a->key_len) != 0 || !jwt) {
		*why = "bad signature or malformed token";
		goto done;
	}
	/* libjwt trusts the header's alg: pin it */
	if (jwt_get_alg(jwt) != JWT_ALG_HS256) {
		*why = "algorithm not allowed";
		goto done;
	}
	grants = jwt_get_grants_json(jwt, NULL);
	if (!grants) {
		*why = "malformed claims";
		goto done;
	}
	if (check_claims(out, grants, now, why) != 0)
		goto done;
	free(e->token);
	e->token = strndup(tok, tlen);
	e->hash = h;
	e->claims = *out;
	rc = 0;
done:
	free(grants);
	jwt_free(jwt);
	return rc;
}

char *api_auth_mint(const char *secret, size_t secret_len, api_role role, const char *sub,
                    const char *jur, int ttl, time_t now, char jti_out[64])
{
	jwt_t *jwt = NULL;
	char *out = NULL;
	unsigned char rnd[16];
	randombytes_buf(rnd, sizeof rnd);
	/* a version-4 UUID */
	rnd[6] = (unsigned char)((rnd[6] & 0x0f) | 0x40);
	rnd[8] = (unsigned char)((rnd[8] & 0x3f) | 0x80);
	snprintf(jti_out, 64,
	         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", rnd[0],
	         rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7], rnd[8], rnd[9], rnd[10],
	         rnd[11], rnd[12], rnd[13], rnd[14], rnd[15]);
	if (jwt_new(&jwt) != 0)
		return NULL;
	if (jwt_add_grant(jwt, "iss", "jxjy") || jwt_add_grant(jwt, "aud", "jxjy-api") ||
	    jwt_add_grant(jwt, "sub", sub) || jwt_add_grant(jwt, "role", api_role_name(role)) ||
	    jwt_add_grant(jwt, "jti", jti_out) || jwt_add_grant_int(jwt, "iat", (long)now) ||
	    jwt_add_grant_int(jwt, "exp", (long)now + ttl))
		goto done;
	if (roles[role].claim && jwt_add_grant(jwt, roles[role].claim, jur))
		goto done;
	if (jwt_set_alg(jwt, JWT_ALG_HS256, (const unsigned char *)secret, (int)secret_len))
		goto done;
	out = jwt_encode_str(jwt);
done:
	jwt_free(jwt);
	return out;
}
