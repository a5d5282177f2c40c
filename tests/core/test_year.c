/* test_year.c — year requirement and verdict */
#include <criterion/criterion.h>

#include "test_util.h"

/* compliance per category, boundaries on both sides */
Test(core, R5_year_table_boundaries)
{
	const struct {
		const char *why;
		core_level level;
		int32_t pub, pro;
		bool compliant;
		int32_t short_pub, short_pro;
	} t[] = {
		{ "R-5 24 + 48 compliant", CORE_LEVEL_SENIOR_FULL, 240, 480, true, 0, 0 },
		{ "R-5 24 + 47.9 not", CORE_LEVEL_SENIOR_FULL, 240, 479, false, 0, 1 },
		{ "R-5 23.9 + 48 not", CORE_LEVEL_SENIOR_DEPUTY, 239, 480, false, 1, 0 },
		{ "R-5 10 + 70 not: surplus never covers", CORE_LEVEL_INTERMEDIATE, 100, 700, false, 140, 0 },
		{ "R-5 30 + 42 not: surplus never covers", CORE_LEVEL_INTERMEDIATE, 300, 420, false, 0, 60 },
		{ "R-5 over both", CORE_LEVEL_SENIOR_FULL, 500, 900, true, 0, 0 },
		{ "R-4 junior 14 + 28 compliant", CORE_LEVEL_JUNIOR_ASSISTANT, 140, 280, true, 0, 0 },
		{ "R-4 junior 13.9 + 28 not", CORE_LEVEL_JUNIOR_MEMBER, 139, 280, false, 1, 0 },
		{ "R-4 junior 14 + 27.9 not", CORE_LEVEL_JUNIOR_MEMBER, 140, 279, false, 0, 1 },
		{ "R-4 junior 24 + 48 compliant", CORE_LEVEL_JUNIOR_MEMBER, 240, 480, true, 0, 0 },
		{ "R-4 intermediate 14 + 28 not", CORE_LEVEL_INTERMEDIATE, 140, 280, false, 100, 200 },
		{ "nothing", CORE_LEVEL_INTERMEDIATE, 0, 0, false, 240, 480 },
	};
	core_rule_set rs;

	core_rules_city_2013(&rs);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		core_year_input in = { 2021, t[i].level, t[i].pub, t[i].pro, 0, 0 };
		core_year_verdict v;

		cr_assert_eq(core_year_evaluate(&v, &rs, &in), 0, "%s", t[i].why);
		cr_expect_eq(v.compliant, t[i].compliant, "%s", t[i].why);
		cr_expect_eq(v.shortfall_public, t[i].short_pub, "%s", t[i].why);
		cr_expect_eq(v.shortfall_professional, t[i].short_pro, "%s", t[i].why);
		cr_expect_eq(v.earned_total, t[i].pub + t[i].pro, "%s", t[i].why);
		cr_expect_eq(v.required_total, v.required_public + v.required_professional);
		cr_expect_str_eq(v.rule_set, CORE_RULES_CITY_2013_ID, "%s", t[i].why);
		cr_expect_eq(v.year, 2021);
		cr_expect_eq(v.level, t[i].level);
	}
}

/* only verified hours count; pending (registered) shown apart */
Test(core, R13_pending_never_counts)
{
	core_rule_set rs;
	core_year_input in = { 2022, CORE_LEVEL_INTERMEDIATE, 200, 480, 400, 100 };
	core_year_verdict v;

	core_rules_city_2013(&rs);
	cr_assert_eq(core_year_evaluate(&v, &rs, &in), 0);
	cr_expect_not(v.compliant);
	cr_expect_eq(v.shortfall_public, 40);
	cr_expect_eq(v.pending_public, 400);
	cr_expect_eq(v.pending_professional, 100);
	cr_expect_eq(v.earned_public, 200);
	cr_expect_eq(v.earned_total, 680);
}

/* R-6 + R-5: the verdict is decided by, and names, the selected set */
Test(core, R6_verdict_uses_and_names_selected_rule_set)
{
	core_rule_set sets[2];
	const core_rule_set *rs;
	core_year_input in = { 2019, CORE_LEVEL_SENIOR_FULL, 240, 480, 0, 0 };
	core_year_verdict v;

	core_rules_city_2013(&sets[0]);
	sets[1] = test_rules("bank-90h", "bank", 2018, 1, 1);
	test_rules_minimums(&sets[1], 300, 600);

	cr_assert_eq(core_rules_select(&rs, sets, 2, "bank", in.year), 0);
	cr_assert_eq(core_year_evaluate(&v, rs, &in), 0);
	cr_expect_str_eq(v.rule_set, "bank-90h");
	cr_expect_not(v.compliant);
	cr_expect_eq(v.required_total, 900);
	cr_expect_eq(v.shortfall_public, 60);
	cr_expect_eq(v.shortfall_professional, 120);

	in.year = 2017;   /* old years keep the old rules */
	cr_assert_eq(core_rules_select(&rs, sets, 2, "bank", in.year), 0);
	cr_assert_eq(core_year_evaluate(&v, rs, &in), 0);
	cr_expect_str_eq(v.rule_set, CORE_RULES_CITY_2013_ID);
	cr_expect(v.compliant);
}

Test(core, R5_year_evaluate_refuses_bad_input)
{
	core_rule_set rs;
	core_year_verdict v;
	core_year_input in = { 2021, CORE_LEVEL_SENIOR_FULL, 240, 480, 0, 0 };
	core_requirement req;

	core_rules_city_2013(&rs);
	in.level = CORE_LEVEL_COUNT;
	cr_expect_eq(core_year_evaluate(&v, &rs, &in), CORE_EINVAL);
	in.level = (core_level)-1;
	cr_expect_eq(core_year_evaluate(&v, &rs, &in), CORE_EINVAL);
	in.level = CORE_LEVEL_SENIOR_FULL;
	in.verified_public = -1;
	cr_expect_eq(core_year_evaluate(&v, &rs, &in), CORE_EINVAL);
	in.verified_public = 240;
	in.pending_professional = CORE_HOURS_MAX + 1;
	cr_expect_eq(core_year_evaluate(&v, &rs, &in), CORE_EINVAL);
	in.pending_professional = 0;
	in.year = 2012;     /* the 2013 set was not in force */
	cr_expect_eq(core_year_evaluate(&v, &rs, &in), CORE_ERANGE);
	in.year = 2013;     /* the year it took effect: R-6 fallback */
	cr_expect_eq(core_year_evaluate(&v, &rs, &in), 0);
	cr_expect_eq(core_year_requirement(&req, &rs, CORE_LEVEL_JUNIOR_MEMBER), 0);
	cr_expect_eq(req.total, 420);
}
