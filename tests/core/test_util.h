/* test_util.h — helpers shared by the core test files */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include "core.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Deterministic generator for property checks (xorshift64*). */
typedef struct test_rng {
	uint64_t s;
} test_rng;

static inline uint64_t test_rng_next(test_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

/* Uniform-ish integer in [lo, hi]. */
static inline int test_rng_range(test_rng *r, int lo, int hi)
{
	return lo + (int)(test_rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* A copy of the 2013 city set with another id, scope and start. */
static inline core_rule_set test_rules(const char *id, const char *industry,
                                       int y, int m, int d)
{
	core_rule_set rs;

	core_rules_city_2013(&rs);
	snprintf(rs.id, sizeof rs.id, "%s", id);
	snprintf(rs.industry, sizeof rs.industry, "%s", industry);
	rs.effective_from = core_date_make(y, m, d);
	return rs;
}

/* Set every level's minimum (tenths). */
static inline void test_rules_minimums(core_rule_set *rs, int32_t pub, int32_t pro)
{
	for (int l = 0; l < CORE_LEVEL_COUNT; l++) {
		rs->min_public[l] = pub;
		rs->min_professional[l] = pro;
	}
}

/* A year verdict under the 2013 city set. */
static inline core_year_verdict test_year(int year, core_level level,
                                          int32_t pub, int32_t pro)
{
	core_rule_set rs;
	core_year_verdict v;
	core_year_input in = { year, level, pub, pro, 0, 0 };

	core_rules_city_2013(&rs);
	memset(&v, 0, sizeof v);
	if (core_year_evaluate(&v, &rs, &in) != 0)
		v.year = -1;   /* makes the calling test fail loudly */
	return v;
}

static inline const char *test_hours_str(char buf[CORE_HOURS_BUFSZ], int32_t t)
{
	if (core_hours_format(buf, CORE_HOURS_BUFSZ, t) != 0)
		buf[0] = '\0';
	return buf;
}

#endif /* TEST_UTIL_H */
