/* core_stats.c — rates and reproducible samples */
#include "core_stats.h"

double core_stats_rate(int64_t compliant, int64_t headcount)
{
	if (headcount <= 0 || compliant <= 0)
		return 0.0;
	if (compliant >= headcount)
		return 1.0;
	return (double)compliant / (double)headcount;
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [0, bound), bound > 0, without modulo bias */
static uint64_t bounded(uint64_t *s, uint64_t bound)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
	uint64_t r;

	do
		r = splitmix64(s);
	while (r >= limit);
	return r % bound;
}

int core_stats_sample(size_t *out_idx, size_t *out_n, size_t k, size_t n,
                      uint64_t seed)
{
	uint64_t state = seed;
	size_t chosen = 0;

	if (k > n)
		k = n;
	if (out_n == NULL || (k > 0 && out_idx == NULL))
		return CORE_EINVAL;
	/* Algorithm S: item i is taken with probability (k - chosen) / (n - i) */
	for (size_t i = 0; i < n && chosen < k; i++) {
		if (bounded(&state, (uint64_t)(n - i)) < (uint64_t)(k - chosen))
			out_idx[chosen++] = i;
	}
	*out_n = chosen;
	return 0;
}
