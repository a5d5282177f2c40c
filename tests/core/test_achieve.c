/* test_achieve.c — achievement conversion (R-9, R-9a, R-9b, R-9c) */
#include <criterion/criterion.h>

#include "test_util.h"

/* R-9a: a national paper (15-20 h) at 21 h is refused, at 18 h credited */
Test(core, R9a_national_paper_range)
{
	const struct { int32_t hours; int rc; } t[] = {
		{ 210, CORE_ERANGE }, { 201, CORE_ERANGE }, { 200, 0 }, { 180, 0 },
		{ 150, 0 }, { 149, CORE_ERANGE }, { 0, CORE_ERANGE },
	};
	core_rule_set rs;

	core_rules_city_2013(&rs);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		core_achieve_input in = { "paper_national", t[i].hours, false, 0, 0 };
		core_achieve_verdict v;
		int rc = core_achieve_convert(&v, &rs, &in);

		cr_expect_eq(rc, t[i].rc, "R-9a paper_national %d tenths", t[i].hours);
		cr_expect_eq(v.range_min, 150);
		cr_expect_eq(v.range_max, 200);
		cr_expect_str_eq(v.rule_set, CORE_RULES_CITY_2013_ID);
		if (rc == 0) {
			cr_expect_eq(v.credited, t[i].hours);
			cr_expect_eq(v.reason, CORE_CREDIT_FULL);
			cr_expect_eq(v.category, CORE_CAT_PROFESSIONAL);
		} else {
			cr_expect_eq(v.credited, 0);
		}
	}
	core_achieve_input in = { "paper_national", 210, false, 0, 0 };
	core_achieve_verdict v;
	cr_assert_eq(core_achieve_convert(&v, &rs, &in), CORE_ERANGE);
	cr_expect_str_eq(v.message, "paper_national hours must be from 15.0 to 20.0, got 21.0");
	in.hours = 180;
	cr_assert_eq(core_achieve_convert(&v, &rs, &in), 0);
	cr_expect_str_eq(v.message, "paper_national 18.0 h credited in full");
}

/* R-9a: every default kind, both ends of its range and one step outside */
Test(core, R9a_every_default_kind_both_sides)
{
	core_rule_set rs;

	core_rules_city_2013(&rs);
	for (size_t i = 0; i < rs.n_kinds; i++) {
		const core_conversion_kind *k = &rs.kinds[i];
		const core_conversion_kind *got;

		cr_expect_eq(core_achieve_range_check(&got, &rs, k->code, k->min), 0, "%s", k->code);
		cr_expect_eq(got, k);
		cr_expect_eq(core_achieve_range_check(NULL, &rs, k->code, k->max), 0, "%s", k->code);
		cr_expect_eq(core_achieve_range_check(NULL, &rs, k->code, k->min - 1), CORE_ERANGE, "%s", k->code);
		cr_expect_eq(core_achieve_range_check(NULL, &rs, k->code, k->max + 1), CORE_ERANGE, "%s", k->code);
	}
	cr_expect_eq(core_achieve_range_check(NULL, &rs, "translation", 100), CORE_ENOTFOUND);
}

/* R-9b: one project, award sequence 18 -> national 22 credits 4 ->
 * provincial 15 credits 0 */
Test(core, R9b_award_sequence_on_one_project)
{
	const struct { const char *kind; int32_t hours, credited; core_credit_reason why; } seq[] = {
		{ "award_provincial", 180, 180, CORE_CREDIT_FULL },
		{ "award_national", 220, 40, CORE_CREDIT_TOP_UP },
		{ "award_provincial", 150, 0, CORE_CREDIT_NOT_HIGHER },
		{ "award_national", 220, 0, CORE_CREDIT_NOT_HIGHER },     /* equal: 0 */
		{ "award_national", 250, 30, CORE_CREDIT_TOP_UP },
	};
	core_rule_set rs;
	int32_t best = 0, credited = 0;

	core_rules_city_2013(&rs);
	for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
		core_achieve_input in = { seq[i].kind, seq[i].hours, true, best, credited };
		core_achieve_verdict v;

		cr_assert_eq(core_achieve_convert(&v, &rs, &in), 0, "step %zu", i);
		cr_expect_eq(v.credited, seq[i].credited, "R-9b step %zu: %d want %d", i,
		             v.credited, seq[i].credited);
		cr_expect_eq(v.reason, seq[i].why, "step %zu", i);
		best = v.project_best;
		credited = v.project_credited;
		cr_expect_leq(credited, best, "step %zu", i);
	}
	cr_expect_eq(best, 250);
	cr_expect_eq(credited, 250);

	core_achieve_input in = { "award_national", 220, true, 180, 180 };
	core_achieve_verdict v;
	cr_assert_eq(core_achieve_convert(&v, &rs, &in), 0);
	cr_expect_str_eq(v.message,
	                 "award_national 22.0 h tops up the 18.0 h already credited to its project: 4.0 h credited");
	cr_expect_str_eq(core_credit_reason_name(v.reason), "top_up");
}

/* R-9b: an out-of-range award on a project is refused and credits nothing;
 * inconsistent history never lets the project exceed its best award */
Test(core, R9b_refusals_and_inconsistent_history)
{
	core_rule_set rs;
	core_achieve_verdict v;

	core_rules_city_2013(&rs);
	core_achieve_input in = { "award_national", 260, true, 180, 180 };
	cr_expect_eq(core_achieve_convert(&v, &rs, &in), CORE_ERANGE);
	in.hours = 220;
	in.prior_best = -1;
	cr_expect_eq(core_achieve_convert(&v, &rs, &in), CORE_EINVAL);
	in.prior_best = 150;
	in.prior_credited = 200;      /* more credited than the best award */
	cr_assert_eq(core_achieve_convert(&v, &rs, &in), 0);
	cr_expect_eq(v.credited, 20);
	cr_expect_eq(v.project_credited, 220);
	in.kind = "nonexistent";
	cr_expect_eq(core_achieve_convert(&v, &rs, &in), CORE_ENOTFOUND);
	in.kind = NULL;
	cr_expect_eq(core_achieve_convert(&v, &rs, &in), CORE_ENOTFOUND);
}

/* R-9c: a kind the city added converts like the defaults, in its category */
Test(core, R9c_city_kind_converts)
{
	core_rule_set rs;
	core_achieve_verdict v;

	core_rules_city_2013(&rs);
	cr_assert_eq(core_rules_kind_put(&rs, "textbook", 100, 300, CORE_CAT_PROFESSIONAL), 0);
	cr_assert_eq(core_rules_kind_put(&rs, "lecture_public", 20, 40, CORE_CAT_PUBLIC), 0);
	core_achieve_input in = { "textbook", 300, false, 0, 0 };
	cr_assert_eq(core_achieve_convert(&v, &rs, &in), 0);
	cr_expect_eq(v.credited, 300);
	cr_expect_str_eq(v.kind, "textbook");
	in.kind = "lecture_public";
	in.hours = 30;
	cr_assert_eq(core_achieve_convert(&v, &rs, &in), 0);
	cr_expect_eq(v.category, CORE_CAT_PUBLIC);
	in.hours = 41;
	cr_expect_eq(core_achieve_convert(&v, &rs, &in), CORE_ERANGE);
}
