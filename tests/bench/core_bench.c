/*
 * core_bench.c — decide one million person-years from generated inputs and
 * print person-years per second and ns per decision.
 *
 * One decision = R-6 selection of the rule set for (industry, year) among
 * the sets in force + R-5 year evaluation, as `jxjyctl recompute` and the
 * write path do. Inputs are generated before timing; the best of several
 * rounds is reported (the machine is shared). Not a test: no assertion on
 * time.
 */
#include "core.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_DECISIONS 1000000
#define ROUNDS 7

typedef struct bench_case {
	const char *industry;
	core_year_input in;
} bench_case;

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static int rng_range(int lo, int hi)
{
	return lo + (int)(rng_next() % (uint64_t)(hi - lo + 1));
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void make_set(core_rule_set *rs, const char *id, const char *industry,
                     int y, int32_t pub, int32_t pro)
{
	core_rules_city_2013(rs);
	snprintf(rs->id, sizeof rs->id, "%s", id);
	snprintf(rs->industry, sizeof rs->industry, "%s", industry);
	rs->effective_from = core_date_make(y, 1, 1);
	for (int l = 0; l < CORE_LEVEL_COUNT; l++) {
		rs->min_public[l] = core_level_is_junior((core_level)l) ? pub * 7 / 12 : pub;
		rs->min_professional[l] = core_level_is_junior((core_level)l) ? pro * 7 / 12 : pro;
	}
}

int main(void)
{
	static const char *const industries[] = { "", "health", "edu", "bank", "build", "it" };
	core_rule_set sets[6];
	bench_case *cases = malloc(sizeof *cases * N_DECISIONS);
	double best = 0.0;
	long compliant = 0;

	if (cases == NULL) {
		fprintf(stderr, "bench_core: out of memory\n");
		return 1;
	}
	core_rules_city_2013(&sets[0]);
	make_set(&sets[1], "city-2016-90h", "", 2016, 300, 600);
	make_set(&sets[2], "health-2018", "health", 2018, 240, 600);
	make_set(&sets[3], "edu-2015", "edu", 2015, 240, 480);
	make_set(&sets[4], "bank-2020", "bank", 2020, 300, 600);
	make_set(&sets[5], "health-2022", "health", 2022, 300, 700);

	for (long i = 0; i < N_DECISIONS; i++) {
		bench_case *c = &cases[i];

		c->industry = industries[rng_range(0, 5)];
		c->in.year = rng_range(2014, 2025);
		c->in.level = (core_level)rng_range(0, CORE_LEVEL_COUNT - 1);
		c->in.verified_public = rng_range(0, 400);
		c->in.verified_professional = rng_range(0, 900);
		c->in.pending_public = rng_range(0, 100);
		c->in.pending_professional = rng_range(0, 100);
	}

	for (int round = 0; round < ROUNDS; round++) {
		double t0, t1, rate;
		long ok = 0;

		t0 = now_ns();
		for (long i = 0; i < N_DECISIONS; i++) {
			const core_rule_set *rs;
			core_year_verdict v;

			if (core_rules_select(&rs, sets, 6, cases[i].industry, cases[i].in.year) != 0 ||
			    core_year_evaluate(&v, rs, &cases[i].in) != 0) {
				fprintf(stderr, "bench_core: decision %ld failed\n", i);
				free(cases);
				return 1;
			}
			ok += v.compliant;
		}
		t1 = now_ns();
		rate = N_DECISIONS / ((t1 - t0) / 1e9);
		if (rate > best)
			best = rate;
		compliant = ok;
	}

	printf("decided %d person-years (%ld compliant), best of %d rounds\n",
	       N_DECISIONS, compliant, ROUNDS);
	printf("person-years/s: %.0f\n", best);
	printf("ns/decision: %.1f\n", 1e9 / best);
	free(cases);
	return 0;
}
