/* test_props.c — property checks over generated inputs (R-5, R-6, R-9b,
 * identifiers) */
#include <criterion/criterion.h>

#include "test_util.h"

static const char *const award_kinds[] = {
	"paper_provincial", "paper_national", "monograph", "award_provincial", "award_national",
};

/* R-9b: whatever the sequence of awards on one project, the hours credited
 * never exceed its best award, never go negative, and reach exactly the best */
Test(core, R9b_property_project_never_exceeds_best_award)
{
	core_rule_set rs;
	test_rng rng = { 0x9e3779b97f4a7c15ULL };

	core_rules_city_2013(&rs);
	for (int run = 0; run < 20000; run++) {
		int steps = test_rng_range(&rng, 1, 8);
		int32_t best = 0, credited = 0, max_seen = 0;

		for (int s = 0; s < steps; s++) {
			const core_conversion_kind *k;
			const char *kind = award_kinds[test_rng_range(&rng, 0, 4)];
			core_achieve_verdict v;
			int rc;

			cr_assert_eq(core_rules_kind(&k, &rs, kind), 0);
			core_achieve_input in = { kind, test_rng_range(&rng, k->min - 20, k->max + 20),
			                          true, best, credited };
			rc = core_achieve_convert(&v, &rs, &in);
			if (in.hours < k->min || in.hours > k->max) {
				cr_assert_eq(rc, CORE_ERANGE);
				continue;   /* refused: the project is unchanged */
			}
			cr_assert_eq(rc, 0);
			if (in.hours > max_seen)
				max_seen = in.hours;
			cr_assert_geq(v.credited, 0);
			credited += v.credited;
			best = v.project_best;
			cr_assert_eq(credited, v.project_credited);
			if (credited > max_seen)
				cr_assert_fail("run %d step %d: credited %d > best award %d",
				               run, s, credited, max_seen);
			cr_assert_eq(credited, max_seen, "run %d step %d", run, s);
			cr_assert_eq(best, max_seen);
		}
	}
}

/* adding verified hours never turns a compliant year non-compliant,
 * and compliance is exactly "each category meets its minimum" */
Test(core, R5_property_more_verified_hours_never_hurt)
{
	core_rule_set sets[2];
	test_rng rng = { 42 };

	core_rules_city_2013(&sets[0]);
	sets[1] = test_rules("ind", "x", 2016, 1, 1);
	for (int l = 0; l < CORE_LEVEL_COUNT; l++) {
		sets[1].min_public[l] = 100 * (l + 1);
		sets[1].min_professional[l] = 50 * (7 - l);
	}
	for (int i = 0; i < 200000; i++) {
		const core_rule_set *rs = &sets[i & 1];
		core_year_input in = {
			2020, (core_level)test_rng_range(&rng, 0, CORE_LEVEL_COUNT - 1),
			test_rng_range(&rng, 0, 900), test_rng_range(&rng, 0, 900),
			test_rng_range(&rng, 0, 300), test_rng_range(&rng, 0, 300),
		};
		core_year_verdict a, b;

		cr_assert_eq(core_year_evaluate(&a, rs, &in), 0);
		cr_assert_eq(a.compliant,
		             in.verified_public >= rs->min_public[in.level] &&
		             in.verified_professional >= rs->min_professional[in.level]);
		cr_assert_eq(a.shortfall_public + in.verified_public >= a.required_public, true);
		if (test_rng_next(&rng) & 1)
			in.verified_public += test_rng_range(&rng, 0, 300);
		else
			in.verified_professional += test_rng_range(&rng, 0, 300);
		in.pending_public = test_rng_range(&rng, 0, 300);   /* pending changes are irrelevant */
		cr_assert_eq(core_year_evaluate(&b, rs, &in), 0);
		if (a.compliant && !b.compliant)
			cr_assert_fail("case %d: more hours made the year non-compliant", i);
		cr_assert_leq(b.shortfall_public, a.shortfall_public);
		cr_assert_leq(b.shortfall_professional, a.shortfall_professional);
	}
}

/* selection always returns the latest set in force on the date, the
 * person's industry first; checked against a brute force over random sets */
Test(core, R6_property_selection_is_latest_in_force)
{
	static const char *const industries[] = { "", "", "health", "edu", "bank" };
	test_rng rng = { 7 };

	for (int run = 0; run < 3000; run++) {
		core_rule_set sets[12];
		size_t n = (size_t)test_rng_range(&rng, 0, 12);

		for (size_t i = 0; i < n; i++) {
			char id[CORE_ID_MAX];

			snprintf(id, sizeof id, "r%d-%zu", run, i);
			sets[i] = test_rules(id, industries[test_rng_range(&rng, 0, 4)],
			                     test_rng_range(&rng, 2010, 2030),
			                     test_rng_range(&rng, 1, 12), test_rng_range(&rng, 1, 28));
			sets[i].has_effective_to = test_rng_range(&rng, 0, 3) == 0;
			if (sets[i].has_effective_to) {
				core_date to = core_date_from_days(core_date_to_days(sets[i].effective_from) +
				                                   test_rng_range(&rng, 1, 3000));
				sets[i].effective_to = to;
			}
		}
		for (int q = 0; q < 20; q++) {
			const char *ind = industries[test_rng_range(&rng, 0, 4)];
			core_date on = core_date_make(test_rng_range(&rng, 2008, 2035),
			                              test_rng_range(&rng, 1, 12), test_rng_range(&rng, 1, 28));
			const core_rule_set *got, *want = NULL;
			int rc = core_rules_select_on(&got, sets, n, ind, on);

			/* brute force: best of the person's industry, else best city */
			for (int pass = 0; pass < 2 && want == NULL; pass++) {
				const char *scope = pass == 0 ? ind : "";

				if (pass == 0 && ind[0] == '\0')
					continue;
				for (size_t i = 0; i < n; i++) {
					const core_rule_set *s = &sets[i];
					bool in_force = core_date_compare(s->effective_from, on) <= 0 &&
					                (!s->has_effective_to ||
					                 core_date_compare(on, s->effective_to) < 0);

					if (!in_force || strcmp(s->industry, scope) != 0)
						continue;
					if (want == NULL ||
					    core_date_compare(s->effective_from, want->effective_from) > 0 ||
					    (core_date_compare(s->effective_from, want->effective_from) == 0 &&
					     strcmp(s->id, want->id) > 0))
						want = s;
				}
			}
			if (want == NULL) {
				cr_assert_eq(rc, CORE_ENOTFOUND, "run %d q %d", run, q);
				cr_assert_null(got);
			} else {
				cr_assert_eq(rc, 0, "run %d q %d", run, q);
				cr_assert_eq(got, want, "run %d q %d: got %s want %s", run, q, got->id, want->id);
			}
		}
	}
}

/* Identifiers: generated valid IDs pass; any single substituted character
 * is caught by the check (both schemes detect every single substitution) */
Test(core, ID_property_single_substitution_detected)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	test_rng rng = { 2024 };
	const core_date today = { 2030, 1, 1 };

	for (int run = 0; run < 5000; run++) {
		char rid[CORE_IDENT_BUFSZ], ucc[CORE_IDENT_BUFSZ];
		core_date birth = core_date_from_days(test_rng_range(&rng, -20000, 20000));
		char c;

		snprintf(rid, sizeof rid, "%06d%04d%02d%02d%03d", test_rng_range(&rng, 110000, 659999),
		         birth.y, birth.m, birth.d, test_rng_range(&rng, 0, 999));
		cr_assert_eq(core_ident_resident_id_check_char(&c, rid), 0);
		rid[17] = c;
		rid[18] = '\0';
		cr_assert_eq(core_ident_resident_id_check(NULL, rid, today), 0, "%s", rid);
		for (int i = 0; i < 18; i++) {
			char saved = rid[i];
			char repl = i < 17 ? (char)('0' + (saved - '0' + test_rng_range(&rng, 1, 9)) % 10)
			                   : (saved == 'X' ? '0' : 'X');

			rid[i] = repl;
			cr_assert_neq(core_ident_resident_id_check(NULL, rid, today), 0, "%s", rid);
			rid[i] = saved;
		}

		for (int i = 0; i < 17; i++)
			ucc[i] = alphabet[test_rng_range(&rng, 0, 30)];
		ucc[17] = '\0';
		cr_assert_eq(core_ident_credit_code_check_char(&c, ucc), 0);
		ucc[17] = c;
		ucc[18] = '\0';
		cr_assert_eq(core_ident_credit_code_check(ucc), 0, "%s", ucc);
		for (int i = 0; i < 18; i++) {
			char saved = ucc[i];
			const char *p = strchr(alphabet, saved);

			ucc[i] = alphabet[((p - alphabet) + test_rng_range(&rng, 1, 30)) % 31];
			cr_assert_eq(core_ident_credit_code_check(ucc), CORE_ECHECKSUM, "%s", ucc);
			ucc[i] = saved;
		}
	}
}
