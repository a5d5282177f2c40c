/* FNV-1a, 64 bits: the one string hash of the gateway (hash tables, the
 * token cache, the per-stratum seeds of samples — which must never change:
 * a stored sample is reproduced from its seed, R-25). */
#ifndef JXJY_API_HASH_H
#define JXJY_API_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t api_hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	return h;
}

static inline uint64_t api_hash_str(const char *s)
{
	return api_hash_bytes(s, strlen(s));
}
#endif
