/*
 * A worker's table of string keys with a 64-bit value each (issues 10 and
 * 11): the revoked jtis with their expiry and the accounts' token cut-offs,
 * filled from the database by http/revocations.c and asked on every
 * authenticated request instead of the database.
 */
#ifndef JXJY_API_KEYTAB_H
#define JXJY_API_KEYTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* the longest key: a jti (api_claims.jti holds 63 bytes) or an account id */
#define API_KEYTAB_KEY_MAX 63

typedef struct api_keytab api_keytab;

api_keytab *api_keytab_new(void);
void api_keytab_free(api_keytab *t);
/* Gives key the value (not 0).  keep: a known key keeps its value instead.
 * When the table grows, the entries whose value is below drop_below are
 * dropped (INT64_MIN: none).  A key longer than API_KEYTAB_KEY_MAX or empty
 * is ignored. */
void api_keytab_put(api_keytab *t, const char *key, int64_t value, bool keep, int64_t drop_below);
/* The key's value; 0 when the table does not hold it. */
int64_t api_keytab_get(const api_keytab *t, const char *key);
/* entries held (those not yet dropped included) */
size_t api_keytab_count(const api_keytab *t);

#endif
