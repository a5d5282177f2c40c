/* test_cycle.c — cycles and eligibility */
#include <criterion/criterion.h>

#include "test_util.h"

/* cycles repeat every cycle_years from the start year */
Test(core, R8_cycle_bounds_table)
{
	const struct { int start, len, year, want_start, want_end; } t[] = {
		{ 2015, 5, 2015, 2015, 2019 }, { 2015, 5, 2019, 2015, 2019 },
		{ 2015, 5, 2020, 2020, 2024 }, { 2015, 5, 2023, 2020, 2024 },
		{ 2015, 4, 2019, 2019, 2022 }, { 2001, 4, 2024, 2021, 2024 },
		{ 2015, 5, 2010, 2015, 2019 },   /* before the first cycle */
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		core_cycle c;

		cr_assert_eq(core_cycle_bounds(&c, t[i].start, t[i].len, t[i].year), 0);
		cr_expect_eq(c.start_year, t[i].want_start, "case %zu", i);
		cr_expect_eq(c.end_year, t[i].want_end, "case %zu", i);
		cr_expect_eq(c.cycle_years, t[i].len);
	}
	core_cycle c;
	cr_expect_eq(core_cycle_bounds(&c, 2015, 0, 2016), CORE_EINVAL);
	cr_expect_eq(core_cycle_bounds(&c, 0, 5, 2016), CORE_EINVAL);
	cr_expect_eq(core_cycle_bounds(&c, 2015, 5, 10000), CORE_EINVAL);
}

/* R-8 + R-6: each cycle's length is fixed by the set in force when it
 * begins; a rule change never cuts a running cycle */
Test(core, R8_cycle_locate_follows_rule_sets)
{
	core_rule_set sets[3];
	core_cycle c;

	core_rules_city_2013(&sets[0]);                      /* 5-year cycles */
	sets[1] = test_rules("city-2022", "", 2022, 1, 1);
	sets[1].cycle_years = 4;
	sets[2] = test_rules("edu", "edu", 2013, 1, 1);
	sets[2].cycle_years = 4;

	const struct { const char *ind; int start, year, ws, we; const char *id; } t[] = {
		{ "", 2015, 2015, 2015, 2019, CORE_RULES_CITY_2013_ID },
		{ "", 2015, 2021, 2020, 2024, CORE_RULES_CITY_2013_ID }, /* began 2020: 5 y */
		{ "", 2015, 2024, 2020, 2024, CORE_RULES_CITY_2013_ID },
		{ "", 2015, 2025, 2025, 2028, "city-2022" },
		{ "", 2015, 2029, 2029, 2032, "city-2022" },
		{ "edu", 2015, 2023, 2023, 2026, "edu" },
		{ "", 2013, 2013, 2013, 2017, CORE_RULES_CITY_2013_ID }, /* R-6 fallback */
		{ "", 2015, 2011, 2015, 2019, CORE_RULES_CITY_2013_ID }, /* before start */
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		cr_assert_eq(core_cycle_locate(&c, sets, 3, t[i].ind, t[i].start, t[i].year), 0,
		             "case %zu", i);
		cr_expect_eq(c.start_year, t[i].ws, "case %zu: %d", i, c.start_year);
		cr_expect_eq(c.end_year, t[i].we, "case %zu: %d", i, c.end_year);
		cr_expect_str_eq(c.rule_set, t[i].id, "case %zu", i);
	}
	cr_expect_eq(core_cycle_locate(&c, sets, 0, "", 2015, 2015), CORE_ENOTFOUND);
	cr_expect_eq(core_cycle_locate(&c, &sets[2], 1, "", 2015, 2015), CORE_ENOTFOUND);
	cr_expect_eq(core_cycle_locate(&c, sets, 3, "", 0, 2015), CORE_EINVAL);
}

/* R-8 + R-31: a cycle begun before any rule set applied to the person takes
 * the length of the first one that does, instead of failing */
Test(core, R31_cycle_before_first_rule_set_gets_an_answer)
{
	core_rule_set sets[3];
	core_cycle c;
	int fy;

	core_rules_city_2013(&sets[0]);                      /* from 2013-03-12, 5 y */
	sets[1] = test_rules("edu", "edu", 2016, 1, 1);
	sets[1].cycle_years = 4;
	sets[2] = test_rules("bank", "bank", 2011, 7, 1);
	sets[2].cycle_years = 4;

	cr_assert_eq(core_rules_first_year(&fy, sets, 3, ""), 0);
	cr_expect_eq(fy, 2013);
	cr_assert_eq(core_rules_first_year(&fy, sets, 3, "edu"), 0);
	cr_expect_eq(fy, 2013);                              /* the city's comes first */
	cr_assert_eq(core_rules_first_year(&fy, sets, 3, "bank"), 0);
	cr_expect_eq(fy, 2011);
	cr_expect_eq(core_rules_first_year(&fy, &sets[1], 1, "bank"), CORE_ENOTFOUND);
	cr_expect_eq(fy, 0);

	const struct { const char *ind; int start, year, ws, we; const char *id; } t[] = {
		{ "", 2010, 2010, 2010, 2014, CORE_RULES_CITY_2013_ID },
		{ "", 2010, 2014, 2010, 2014, CORE_RULES_CITY_2013_ID },
		{ "", 2010, 2015, 2015, 2019, CORE_RULES_CITY_2013_ID },
		{ "", 2001, 2012, 2011, 2015, CORE_RULES_CITY_2013_ID },
		{ "edu", 2010, 2016, 2015, 2019, CORE_RULES_CITY_2013_ID },
		{ "edu", 2010, 2021, 2020, 2023, "edu" },
		{ "bank", 2010, 2010, 2010, 2013, "bank" },       /* the bank's set, 2011 */
		{ "bank", 2010, 2015, 2014, 2017, "bank" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		cr_assert_eq(core_cycle_locate(&c, sets, 3, t[i].ind, t[i].start, t[i].year), 0,
		             "case %zu", i);
		cr_expect_eq(c.start_year, t[i].ws, "case %zu: %d", i, c.start_year);
		cr_expect_eq(c.end_year, t[i].we, "case %zu: %d", i, c.end_year);
		cr_expect_str_eq(c.rule_set, t[i].id, "case %zu", i);
	}

	/* a gap between sets after the first one is still no answer */
	sets[0].has_effective_to = true;
	sets[0].effective_to = core_date_make(2014, 1, 1);
	cr_expect_eq(core_cycle_locate(&c, sets, 1, "", 2010, 2016), CORE_ENOTFOUND);
}

static void five_years(core_year_verdict y[5], int start, int failing_year)
{
	for (int i = 0; i < 5; i++)
		y[i] = test_year(start + i, CORE_LEVEL_INTERMEDIATE,
		                 start + i == failing_year ? 200 : 240, 480);
}

/* complete iff every year compliant AND a passed assessment */
Test(core, R8_cycle_complete_needs_years_and_assessment)
{
	core_year_verdict y[5];
	core_cycle c;
	core_cycle_verdict v;

	cr_assert_eq(core_cycle_bounds(&c, 2016, 5, 2018), 0);
	five_years(y, 2016, 0);
	cr_assert_eq(core_cycle_evaluate(&v, &c, y, 5, true), 0);
	cr_expect(v.complete);
	cr_expect_eq(v.n_failing, 0u);
	cr_assert_eq(v.n_reasons, 1u);
	cr_expect_eq(v.reasons[0].code, CORE_REASON_CYCLE_COMPLETE);
	cr_expect_str_eq(v.reasons[0].rule, "R-8");
	cr_expect_eq(v.reasons[0].first_year, 2016);
	cr_expect_eq(v.reasons[0].last_year, 2020);

	cr_assert_eq(core_cycle_evaluate(&v, &c, y, 5, false), 0);
	cr_expect_not(v.complete);
	cr_expect(v.years_compliant);
	cr_assert_eq(v.n_reasons, 1u);
	cr_expect_eq(v.reasons[0].code, CORE_REASON_ASSESSMENT_MISSING);
	cr_expect_eq(v.reasons[0].first_year, 2016);
	cr_expect_eq(v.reasons[0].last_year, 2020);

	five_years(y, 2016, 2018);
	cr_assert_eq(core_cycle_evaluate(&v, &c, y, 5, false), 0);
	cr_expect_not(v.complete);
	cr_expect_not(v.years_compliant);
	cr_expect_eq(v.n_failing, 1u);
	cr_expect_eq(v.failing[0].year, 2018);
	cr_expect_eq(v.failing[0].level, CORE_LEVEL_INTERMEDIATE);
	cr_expect_eq(v.failing[0].shortfall_public, 40);
	cr_assert_eq(v.n_reasons, 3u);
	cr_expect_eq(v.reasons[0].code, CORE_REASON_YEARS_NOT_COMPLIANT);
	cr_expect_str_eq(v.reasons[0].rule, "R-8");
	cr_expect_eq(v.reasons[0].count, 1);
	cr_expect_eq(v.reasons[1].code, CORE_REASON_PUBLIC_SHORT);
	cr_expect_eq(v.reasons[1].year, 2018);
	cr_expect_eq(v.reasons[1].required, 240);
	cr_expect_eq(v.reasons[1].earned, 200);
	cr_expect_eq(v.reasons[1].shortfall, 40);
	cr_expect_eq(v.reasons[2].code, CORE_REASON_ASSESSMENT_MISSING);

	/* a missing or duplicated year is a caller error */
	cr_expect_eq(core_cycle_evaluate(&v, &c, y, 4, true), CORE_EINVAL);
	y[4] = y[3];
	cr_expect_eq(core_cycle_evaluate(&v, &c, y, 5, true), CORE_EINVAL);
}

