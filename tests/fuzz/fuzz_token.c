/* J6: token verification — the Authorization header as a client sends it
 * (cap before decoding, charset, libjwt decode, pinned alg, typed claims). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static api_auth *auth;
	static const char secret[] = "fuzzing-secret-0123456789abcdef0123456789";
	if (!auth && api_auth_new(&auth, secret, sizeof secret - 1, 64) != 0)
		abort();
	char *h = malloc(size + 8);
	memcpy(h, "Bearer ", 7);
	memcpy(h + 7, data, size);
	h[size + 7] = '\0';
	api_claims c;
	const char *why;
	/* raw header too: the scheme itself is client input */
	(void)api_auth_verify(auth, &c, h, (time_t)1800000000, &why);
	(void)api_auth_verify(auth, &c, h + 7, (time_t)1800000000, &why);
	free(h);
	return 0;
}
