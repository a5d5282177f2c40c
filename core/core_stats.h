/*
 * core_stats.h — the arithmetic of statistics and evaluation.
 *
 * Reports aggregate in SQL; what needs one exact definition lives here:
 * rates are fractions in [0, 1], and a random sample is reproducible from
 * (population size, sample size, seed) on every platform and version.
 */
#ifndef CORE_STATS_H
#define CORE_STATS_H

#include "core_common.h"

/* compliance rate = compliant / headcount as a fraction in
 * [0, 1] (0.75, not 75); 0 for an empty headcount. Counts are clamped:
 * negative -> 0, compliant above headcount -> 1. */
double core_stats_rate(int64_t compliant, int64_t headcount);

/* a reproducible random sample (随机统计/抽样统计). Selects
 * min(k, n) distinct positions of a population of n items ordered the same
 * way each time (e.g. by id) and writes them to out_idx in ascending order;
 * every k-subset is equally likely (Knuth's selection sampling driven by
 * splitmix64 from `seed`, with unbiased bounded draws). The same n, k and
 * seed always give the same positions. `*out_n` receives the count written;
 * out_idx must hold k entries. 0, or CORE_EINVAL for NULL output with k > 0. */
CORE_MUSTCHECK int core_stats_sample(size_t *out_idx, size_t *out_n, size_t k,
                                     size_t n, uint64_t seed);

#endif /* CORE_STATS_H */
