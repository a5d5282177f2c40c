/* test_stats.c — rates and reproducible samples */
#include <criterion/criterion.h>

#include "test_util.h"

/* R-26/API: rates are fractions in [0, 1] */
Test(core, R26_compliance_rate_fraction)
{
	cr_expect(core_stats_rate(3, 4) == 0.75);
	cr_expect(core_stats_rate(0, 4) == 0.0);
	cr_expect(core_stats_rate(4, 4) == 1.0);
	cr_expect(core_stats_rate(0, 0) == 0.0);
	cr_expect(core_stats_rate(5, 4) == 1.0);
	cr_expect(core_stats_rate(-1, 4) == 0.0);
}

/* the same size, population and seed give the same sample; samples
 * are distinct, ascending, and of the asked size */
Test(core, R25_sample_reproducible_distinct_sorted)
{
	size_t a[100], b[100], na, nb;

	cr_assert_eq(core_stats_sample(a, &na, 100, 100000, 12345), 0);
	cr_assert_eq(core_stats_sample(b, &nb, 100, 100000, 12345), 0);
	cr_assert_eq(na, 100u);
	cr_assert_eq(nb, 100u);
	cr_assert_arr_eq(a, b, sizeof a);
	for (size_t i = 1; i < na; i++)
		cr_assert_lt(a[i - 1], a[i]);
	cr_assert_lt(a[na - 1], 100000u);
	cr_assert_eq(core_stats_sample(b, &nb, 100, 100000, 12346), 0);
	cr_expect_neq(memcmp(a, b, sizeof a), 0, "another seed, another sample");
	/* k >= n takes everyone; k = 0 takes no one */
	cr_assert_eq(core_stats_sample(a, &na, 100, 7, 1), 0);
	cr_assert_eq(na, 7u);
	for (size_t i = 0; i < 7; i++)
		cr_assert_eq(a[i], i);
	cr_assert_eq(core_stats_sample(NULL, &na, 0, 7, 1), 0);
	cr_assert_eq(na, 0u);
	cr_assert_eq(core_stats_sample(NULL, &na, 3, 7, 1), CORE_EINVAL);
	cr_assert_eq(core_stats_sample(a, NULL, 3, 7, 1), CORE_EINVAL);
	/* a fixed vector pins the algorithm across versions */
	const size_t pinned[5] = { 0, 12, 15, 16, 17 };   /* splitmix64 + Algorithm S */
	cr_assert_eq(core_stats_sample(a, &na, 5, 20, 2024), 0);
	cr_assert_eq(na, 5u);
	cr_assert_arr_eq(a, pinned, sizeof pinned);
}

/* every item is about equally likely (each of 10 positions drawn in a
 * 3-of-10 sample about 30 % of the time over 30 000 seeds) */
Test(core, R25_sample_is_uniform)
{
	unsigned hits[10] = { 0 };

	for (uint64_t seed = 0; seed < 30000; seed++) {
		size_t idx[3], n;

		cr_assert_eq(core_stats_sample(idx, &n, 3, 10, seed), 0);
		cr_assert_eq(n, 3u);
		for (size_t i = 0; i < n; i++)
			hits[idx[i]]++;
	}
	for (int i = 0; i < 10; i++)
		cr_expect(hits[i] > 8500 && hits[i] < 9500, "position %d drawn %u times", i, hits[i]);
}
