/*
 * Argon2id off the event loop: password hashing and verification run on one
 * helper thread per worker; results come back through a pipe watched by the
 * loop, so a login never stalls other requests.
 */
#ifndef JXJY_API_HASHER_H
#define JXJY_API_HASHER_H

#include <stdbool.h>

struct event_base;
typedef struct api_hasher api_hasher;

/* ok: the password matched (verify) or the hash was made (hash, then in
 * encoded, borrowed until the callback returns). */
typedef void (*api_hasher_cb)(bool ok, const char *encoded, void *arg);

int api_hasher_new(api_hasher **out, struct event_base *base);
void api_hasher_free(api_hasher *h);

/* Verifies password against an encoded Argon2id hash (NULL hash: burns the
 * same time and answers false, so unknown logins look like wrong ones). */
int api_hasher_verify(api_hasher *h, const char *hash, const char *password, api_hasher_cb cb,
                      void *arg);

/* Hashes a new password on the helper thread. */
int api_hasher_hash(api_hasher *h, const char *password, api_hasher_cb cb, void *arg);

/* Blocking: encodes a new Argon2id hash into out (crypto_pwhash_STRBYTES).
 * For the operator tool and account creation. */
int api_password_hash(char out[128], const char *password);
#endif
