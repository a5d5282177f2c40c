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
	cr_expect_eq(core_cycle_locate(&c, sets, 1, "", 2010, 2015), CORE_ENOTFOUND);
	cr_expect_eq(core_cycle_locate(&c, sets, 3, "", 0, 2015), CORE_EINVAL);
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
	cr_expect_eq(v.n_reasons, 1u);
	cr_expect_str_eq(v.reasons[0],
	                 "every year of the cycle 2016-2020 is compliant and the cycle assessment passed");

	cr_assert_eq(core_cycle_evaluate(&v, &c, y, 5, false), 0);
	cr_expect_not(v.complete);
	cr_expect(v.years_compliant);
	cr_expect_str_eq(v.reasons[0], "no passed cycle assessment recorded for the cycle 2016-2020");

	five_years(y, 2016, 2018);
	cr_assert_eq(core_cycle_evaluate(&v, &c, y, 5, true), 0);
	cr_expect_not(v.complete);
	cr_expect_not(v.years_compliant);
	cr_expect_eq(v.n_failing, 1u);
	cr_expect_eq(v.failing[0].year, 2018);
	cr_expect_eq(v.failing[0].shortfall_public, 40);
	cr_expect_str_eq(v.reasons[0], "2018: public hours short by 4.0 of 24.0");

	/* a missing or duplicated year is a caller error */
	cr_expect_eq(core_cycle_evaluate(&v, &c, y, 4, true), CORE_EINVAL);
	y[4] = y[3];
	cr_expect_eq(core_cycle_evaluate(&v, &c, y, 5, true), CORE_EINVAL);
}

Test(core, R15_shortfall_reason_text)
{
	core_year_verdict y = test_year(2021, CORE_LEVEL_SENIOR_FULL, 200, 380);
	core_year_shortfall s;
	char buf[CORE_REASON_MAX];

	memset(&s, 0, sizeof s);
	s.year = 2021;
	s.required_public = y.required_public;
	s.required_professional = y.required_professional;
	s.shortfall_public = y.shortfall_public;
	s.shortfall_professional = y.shortfall_professional;
	core_cycle_shortfall_reason(buf, sizeof buf, &s);
	cr_expect_str_eq(buf,
	                 "2021: public hours short by 4.0 of 24.0; professional hours short by 10.0 of 48.0");
	s.shortfall_public = 0;
	core_cycle_shortfall_reason(buf, sizeof buf, &s);
	cr_expect_str_eq(buf, "2021: professional hours short by 10.0 of 48.0");
	core_cycle_shortfall_reason(buf, 8, &s);
	cr_expect_eq(strlen(buf), 7u);
}

/* hiring as of 2023-06-01 in cycle 2020-2024 with 2021 failing */
Test(core, R15_hiring_with_failing_middle_year)
{
	core_year_verdict y[5];
	core_eligibility e;
	core_eligibility_input in;

	five_years(y, 2020, 2021);
	memset(&in, 0, sizeof in);
	in.purpose = CORE_PURPOSE_HIRING;
	in.as_of = core_date_make(2023, 6, 1);
	cr_assert_eq(core_cycle_bounds(&in.cycle, 2020, 5, 2023), 0);
	in.years = y;
	in.n_years = 5;
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect_not(e.eligible);
	cr_expect_eq(e.cycle_start, 2020);
	cr_expect_eq(e.cycle_end, 2024);
	cr_expect_eq(e.first_year, 2020);
	cr_expect_eq(e.last_year, 2022);
	cr_expect_eq(e.n_failing, 1u);
	cr_expect_eq(e.failing[0].year, 2021);
	cr_expect_eq(e.failing[0].shortfall_public, 40);
	cr_expect_eq(e.failing[0].shortfall_professional, 0);
	cr_expect_str_eq(e.failing[0].rule_set, CORE_RULES_CITY_2013_ID);
	cr_expect_eq(e.n_reasons, 1u);
	cr_expect_str_eq(e.reasons[0], "2021: public hours short by 4.0 of 24.0");

	/* the same for renewal and promotion; 2023 itself is not examined */
	y[1] = test_year(2021, CORE_LEVEL_INTERMEDIATE, 240, 480);
	y[3] = test_year(2023, CORE_LEVEL_INTERMEDIATE, 0, 0);
	for (int p = CORE_PURPOSE_HIRING; p <= CORE_PURPOSE_PROMOTION; p++) {
		in.purpose = (core_purpose)p;
		cr_assert_eq(core_eligibility_decide(&e, &in), 0);
		cr_expect(e.eligible, "%s", core_purpose_name((core_purpose)p));
		cr_expect_eq(e.purpose, (core_purpose)p);
		cr_expect_str_eq(e.reasons[0], "every year from 2020 to 2022 of the cycle 2020-2024 is compliant");
	}
}

/* several failing years are all listed, in order */
Test(core, R15_lists_every_failing_year)
{
	core_year_verdict y[4];
	core_eligibility e;
	core_eligibility_input in;

	y[0] = test_year(2022, CORE_LEVEL_JUNIOR_MEMBER, 0, 280);
	y[1] = test_year(2020, CORE_LEVEL_JUNIOR_MEMBER, 140, 200);
	y[2] = test_year(2021, CORE_LEVEL_JUNIOR_MEMBER, 140, 280);
	y[3] = test_year(2019, CORE_LEVEL_JUNIOR_MEMBER, 0, 0);  /* previous cycle */
	memset(&in, 0, sizeof in);
	in.purpose = CORE_PURPOSE_PROMOTION;
	in.as_of = core_date_make(2023, 1, 1);
	cr_assert_eq(core_cycle_bounds(&in.cycle, 2015, 5, 2023), 0);
	in.years = y;
	in.n_years = 4;
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect_not(e.eligible);
	cr_assert_eq(e.n_failing, 2u);
	cr_expect_eq(e.failing[0].year, 2020);
	cr_expect_eq(e.failing[1].year, 2022);
	cr_expect_str_eq(e.reasons[0], "2020: professional hours short by 8.0 of 28.0");
	cr_expect_str_eq(e.reasons[1], "2022: public hours short by 14.0 of 14.0");
}

/* annual assessment of year Y looks at Y only */
Test(core, R15_annual_assessment_year_only)
{
	core_year_verdict y[2];
	core_eligibility e;
	core_eligibility_input in;

	y[0] = test_year(2021, CORE_LEVEL_SENIOR_DEPUTY, 0, 0);
	y[1] = test_year(2022, CORE_LEVEL_SENIOR_DEPUTY, 240, 480);
	memset(&in, 0, sizeof in);
	in.purpose = CORE_PURPOSE_ANNUAL_ASSESSMENT;
	in.year = 2022;
	cr_assert_eq(core_cycle_bounds(&in.cycle, 2020, 5, 2022), 0);
	in.years = y;
	in.n_years = 2;
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect(e.eligible);
	cr_expect_eq(e.first_year, 2022);
	cr_expect_eq(e.last_year, 2022);
	cr_expect_str_eq(e.reasons[0], "2022 is compliant");
	in.year = 2021;
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect_not(e.eligible);
	cr_expect_str_eq(e.reasons[0],
	                 "2021: public hours short by 24.0 of 24.0; professional hours short by 48.0 of 48.0");
	in.year = 2020;     /* no verdict given for the year asked */
	cr_expect_eq(core_eligibility_decide(&e, &in), CORE_EINVAL);
}

/* a person registered this year has no year to examine: eligible */
Test(core, R15_first_year_of_cycle_is_eligible)
{
	core_eligibility e;
	core_eligibility_input in;

	memset(&in, 0, sizeof in);
	in.purpose = CORE_PURPOSE_HIRING;
	in.as_of = core_date_make(2024, 3, 15);
	cr_assert_eq(core_cycle_bounds(&in.cycle, 2024, 5, 2024), 0);
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect(e.eligible);
	cr_expect_eq(e.n_failing, 0u);
	cr_expect_lt(e.last_year, e.first_year);
	cr_expect_str_eq(e.reasons[0], "no completed year of the cycle 2024-2028 to examine yet");

	/* a later cycle's first year: the previous cycle is not examined */
	cr_assert_eq(core_cycle_bounds(&in.cycle, 2014, 5, 2024), 0);
	cr_expect_eq(in.cycle.start_year, 2024);
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect(e.eligible);

	/* the first cycle has not begun yet */
	cr_assert_eq(core_cycle_bounds(&in.cycle, 2026, 5, 2024), 0);
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect(e.eligible);
}

Test(core, R15_refuses_inconsistent_input)
{
	core_eligibility e;
	core_eligibility_input in;
	core_year_verdict y = test_year(2020, CORE_LEVEL_INTERMEDIATE, 240, 480);

	memset(&in, 0, sizeof in);
	in.purpose = CORE_PURPOSE_RENEWAL;
	in.as_of = core_date_make(2026, 1, 1);
	cr_assert_eq(core_cycle_bounds(&in.cycle, 2020, 5, 2020), 0);
	cr_expect_eq(core_eligibility_decide(&e, &in), CORE_EINVAL);   /* D past the cycle */
	in.as_of = core_date_make(2022, 2, 30);
	cr_expect_eq(core_eligibility_decide(&e, &in), CORE_EINVAL);   /* not a date */
	in.as_of = core_date_make(2022, 2, 1);
	in.years = &y;
	in.n_years = 1;
	cr_expect_eq(core_eligibility_decide(&e, &in), CORE_EINVAL);   /* 2021 missing */
	in.purpose = CORE_PURPOSE_COUNT;
	cr_expect_eq(core_eligibility_decide(&e, &in), CORE_EINVAL);
}
