/* test_eligibility.c — eligibility (R-15 revised, R-29 levels, R-31 years
 * without rules) and year reasons */
#include <criterion/criterion.h>

#include "test_util.h"

static void five_years(core_year_verdict y[5], int start, int failing_year)
{
	for (int i = 0; i < 5; i++)
		y[i] = test_year(start + i, CORE_LEVEL_INTERMEDIATE,
		                 start + i == failing_year ? 200 : 240, 480);
}

/* An input for purpose p as of D with 5-year cycles from first_year. */
static core_eligibility_input input(core_purpose p, core_date d, int first_year,
                                    const core_year_verdict *y, size_t n)
{
	core_eligibility_input in;

	memset(&in, 0, sizeof in);
	in.purpose = p;
	in.as_of = d;
	in.year = d.y;
	in.current_level = CORE_LEVEL_INTERMEDIATE;
	in.cycle_years = 5;
	in.first_year = first_year;
	in.first_rule_year = 2013;
	if (core_cycle_bounds(&in.cycle, first_year, 5, d.y) != 0)
		in.cycle.start_year = 0;    /* makes the calling test fail loudly */
	in.years = y;
	in.n_years = n;
	return in;
}

/* a verdict's reasons are data: codes, rule, figures */
Test(core, R5_year_reasons_codes_and_figures)
{
	core_year_verdict v = test_year(2021, CORE_LEVEL_SENIOR_FULL, 200, 380);
	core_reason r[2];

	cr_assert_eq(core_year_reasons(&v, r, 2), 2u);
	cr_expect_eq(r[0].code, CORE_REASON_PUBLIC_SHORT);
	cr_expect_str_eq(r[0].rule, "R-5");
	cr_expect_eq(r[0].year, 2021);
	cr_expect_eq(r[0].level, CORE_LEVEL_SENIOR_FULL);
	cr_expect_eq(r[0].required, 240);
	cr_expect_eq(r[0].earned, 200);
	cr_expect_eq(r[0].shortfall, 40);
	cr_expect_eq(r[1].code, CORE_REASON_PROFESSIONAL_SHORT);
	cr_expect_eq(r[1].required, 480);
	cr_expect_eq(r[1].earned, 380);
	cr_expect_eq(r[1].shortfall, 100);
	cr_expect_eq(core_year_reasons(&v, r, 1), 1u);
	cr_expect_eq(core_year_reasons(&v, NULL, 0), 0u);

	v = test_year(2021, CORE_LEVEL_JUNIOR_MEMBER, 500, 100);   /* surplus never covers */
	cr_assert_eq(core_year_reasons(&v, r, 2), 1u);
	cr_expect_eq(r[0].code, CORE_REASON_PROFESSIONAL_SHORT);
	cr_expect_eq(r[0].shortfall, 180);

	v = test_year(2021, CORE_LEVEL_INTERMEDIATE, 240, 480);
	cr_expect_eq(core_year_reasons(&v, r, 2), 0u);
}

/* The codes are API values: stable snake_case names, each distinct */
Test(core, reason_code_names_are_stable)
{
	cr_expect_str_eq(core_reason_code_name(CORE_REASON_PUBLIC_SHORT), "public_short");
	cr_expect_str_eq(core_reason_code_name(CORE_REASON_PROFESSIONAL_SHORT), "professional_short");
	cr_expect_str_eq(core_reason_code_name(CORE_REASON_NO_YEAR_TO_EXAMINE), "no_year_to_examine");
	cr_expect_str_eq(core_reason_code_name(CORE_REASON_NO_REQUIREMENT), "no_requirement");
	cr_expect_null(core_reason_code_name(CORE_REASON_COUNT));
	for (int i = 0; i < CORE_REASON_COUNT; i++) {
		const char *name = core_reason_code_name((core_reason_code)i);
		core_reason_code back;

		cr_assert_not_null(name, "code %d", i);
		for (const char *p = name; *p; p++)
			cr_expect((*p >= 'a' && *p <= 'z') || *p == '_', "%s", name);
		cr_assert_eq(core_reason_code_parse(&back, name), 0, "%s", name);
		cr_expect_eq(back, (core_reason_code)i);
	}
	core_reason_code c;
	cr_expect_eq(core_reason_code_parse(&c, "Public_short"), CORE_EINVAL);
	cr_expect_eq(core_reason_code_parse(&c, NULL), CORE_EINVAL);
}

/* hiring as of 2023-06-01, first period 2020, with 2021 failing */
Test(core, R15_hiring_with_failing_middle_year)
{
	core_year_verdict y[5];
	core_eligibility e;
	core_eligibility_input in;

	five_years(y, 2020, 2021);
	in = input(CORE_PURPOSE_HIRING, core_date_make(2023, 6, 1), 2020, y, 5);
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect_not(e.eligible);
	cr_expect_eq(e.cycle_start, 2020);
	cr_expect_eq(e.cycle_end, 2024);
	cr_expect_eq(e.first_year, 2020);       /* 2018, 2019: before the first period */
	cr_expect_eq(e.last_year, 2022);
	cr_expect_eq(e.n_failing, 1u);
	cr_expect_eq(e.n_failing_total, 1u);
	cr_expect_eq(e.failing[0].year, 2021);
	cr_expect_eq(e.failing[0].level, CORE_LEVEL_INTERMEDIATE);
	cr_expect_eq(e.failing[0].shortfall_public, 40);
	cr_expect_eq(e.failing[0].shortfall_professional, 0);
	cr_expect_str_eq(e.failing[0].rule_set, CORE_RULES_CITY_2013_ID);
	cr_assert_eq(e.n_reasons, 2u);
	cr_expect_eq(e.reasons[0].code, CORE_REASON_YEARS_NOT_COMPLIANT);
	cr_expect_str_eq(e.reasons[0].rule, "R-15");
	cr_expect_eq(e.reasons[0].first_year, 2020);
	cr_expect_eq(e.reasons[0].last_year, 2022);
	cr_expect_eq(e.reasons[0].count, 1);
	cr_expect_eq(e.reasons[1].code, CORE_REASON_PUBLIC_SHORT);
	cr_expect_eq(e.reasons[1].year, 2021);
	cr_expect_eq(e.reasons[1].shortfall, 40);

	/* the same for renewal and promotion; 2023 itself is not examined */
	y[1] = test_year(2021, CORE_LEVEL_INTERMEDIATE, 240, 480);
	y[3] = test_year(2023, CORE_LEVEL_INTERMEDIATE, 0, 0);
	for (int p = CORE_PURPOSE_HIRING; p <= CORE_PURPOSE_PROMOTION; p++) {
		in.purpose = (core_purpose)p;
		cr_assert_eq(core_eligibility_decide(&e, &in), 0);
		cr_expect(e.eligible, "%s", core_purpose_name((core_purpose)p));
		cr_expect_eq(e.purpose, (core_purpose)p);
		cr_assert_eq(e.n_reasons, 1u);
		cr_expect_eq(e.reasons[0].code, CORE_REASON_YEARS_COMPLIANT);
		cr_expect_eq(e.reasons[0].first_year, 2020);
		cr_expect_eq(e.reasons[0].last_year, 2022);
	}
}

/* hiring and renewal look at the cycle_years years before D's year,
 * across cycles */
Test(core, R15_hiring_window_is_cycle_years_before_D)
{
	core_year_verdict y[10];
	core_eligibility e;
	core_eligibility_input in;

	for (int i = 0; i < 10; i++)
		y[i] = test_year(2014 + i, CORE_LEVEL_INTERMEDIATE, 240, 480);
	y[3] = test_year(2017, CORE_LEVEL_INTERMEDIATE, 0, 480);    /* out of the window */
	in = input(CORE_PURPOSE_RENEWAL, core_date_make(2023, 12, 31), 2014, y, 10);
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect(e.eligible);
	cr_expect_eq(e.first_year, 2018);
	cr_expect_eq(e.last_year, 2022);
	in.cycle_years = 4;
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect_eq(e.first_year, 2019);
	in.cycle_years = 6;
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect_not(e.eligible);
	cr_expect_eq(e.failing[0].year, 2017);
	in.cycle_years = 0;
	cr_expect_eq(core_eligibility_decide(&e, &in), CORE_EINVAL);
	in.cycle_years = CORE_CYCLE_YEARS_MAX + 1;
	cr_expect_eq(core_eligibility_decide(&e, &in), CORE_EINVAL);
}

/* R-15 (revised): no record in the five years before this one: not eligible
 * for promotion, hiring or renewal, though the current cycle began this year */
Test(core, R15_missed_last_cycle_not_eligible_in_new_cycle)
{
	core_year_verdict y[5];
	core_eligibility e;
	core_eligibility_input in;

	for (int i = 0; i < 5; i++)
		y[i] = test_year(2019 + i, CORE_LEVEL_INTERMEDIATE, 0, 0);
	in = input(CORE_PURPOSE_HIRING, core_date_make(2024, 1, 1), 2019, y, 5);
	cr_assert_eq(in.cycle.start_year, 2024);           /* the cycle began this year */
	for (int p = CORE_PURPOSE_HIRING; p <= CORE_PURPOSE_PROMOTION; p++) {
		in.purpose = (core_purpose)p;
		cr_assert_eq(core_eligibility_decide(&e, &in), 0);
		cr_expect_not(e.eligible, "%s", core_purpose_name((core_purpose)p));
		cr_expect_eq(e.cycle_start, 2024);
		cr_expect_eq(e.first_year, 2019);
		cr_expect_eq(e.last_year, 2023);
		cr_expect_eq(e.n_failing, 5u);
		cr_expect_eq(e.n_failing_total, 5u);
		cr_assert_eq(e.n_reasons, 11u);                  /* summary + 2 per year */
		cr_expect_eq(e.reasons[0].code, CORE_REASON_YEARS_NOT_COMPLIANT);
		cr_expect_eq(e.reasons[0].count, 5);
		cr_expect_eq(e.reasons[1].code, CORE_REASON_PUBLIC_SHORT);
		cr_expect_eq(e.reasons[2].code, CORE_REASON_PROFESSIONAL_SHORT);
		cr_expect_eq(e.reasons[10].year, 2023);
	}
}

/* R-15 + R-29: promoted mid-year last year, promotion examines only the
 * years judged at the new level: none yet, then the first full year */
Test(core, R15_promotion_examines_years_at_current_level)
{
	core_year_verdict y[6];
	core_eligibility e;
	core_eligibility_input in;

	/* intermediate until mid-2023 (2023 judged as intermediate, R-29), not
	 * compliant in 2022; senior_deputy from 2024 on */
	for (int i = 0; i < 4; i++)
		y[i] = test_year(2020 + i, CORE_LEVEL_INTERMEDIATE, 240, 480);
	y[2] = test_year(2022, CORE_LEVEL_INTERMEDIATE, 0, 0);
	y[4] = test_year(2024, CORE_LEVEL_SENIOR_DEPUTY, 240, 480);
	y[5] = test_year(2025, CORE_LEVEL_SENIOR_DEPUTY, 0, 0);

	in = input(CORE_PURPOSE_PROMOTION, core_date_make(2024, 3, 1), 2020, y, 6);
	in.current_level = CORE_LEVEL_SENIOR_DEPUTY;
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect(e.eligible);
	cr_expect_lt(e.last_year, e.first_year);
	cr_expect_eq(e.level, CORE_LEVEL_SENIOR_DEPUTY);
	cr_assert_eq(e.n_reasons, 1u);
	cr_expect_eq(e.reasons[0].code, CORE_REASON_NO_YEAR_TO_EXAMINE);
	cr_expect_eq(e.reasons[0].level, CORE_LEVEL_SENIOR_DEPUTY);

	in.as_of = core_date_make(2025, 6, 1);
	in.cycle.end_year = 2029;
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect(e.eligible);
	cr_expect_eq(e.first_year, 2024);
	cr_expect_eq(e.last_year, 2024);
	cr_expect_eq(e.reasons[0].code, CORE_REASON_YEAR_COMPLIANT);
	cr_expect_eq(e.reasons[0].year, 2024);

	/* still intermediate: the run goes back to the first period and finds
	 * 2022; hiring in 2024 sees it as well */
	in.as_of = core_date_make(2024, 3, 1);
	in.current_level = CORE_LEVEL_INTERMEDIATE;
	y[4] = test_year(2024, CORE_LEVEL_INTERMEDIATE, 240, 480);
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect_not(e.eligible);
	cr_expect_eq(e.first_year, 2020);
	cr_expect_eq(e.last_year, 2023);
	cr_expect_eq(e.failing[0].year, 2022);

	/* a level held before, then another, then again: only the last run */
	y[0] = test_year(2020, CORE_LEVEL_INTERMEDIATE, 0, 0);
	y[1] = test_year(2021, CORE_LEVEL_JUNIOR_ASSISTANT, 140, 280);
	y[2] = test_year(2022, CORE_LEVEL_INTERMEDIATE, 240, 480);
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect(e.eligible);
	cr_expect_eq(e.first_year, 2022);

	in.current_level = CORE_LEVEL_COUNT;
	cr_expect_eq(core_eligibility_decide(&e, &in), CORE_EINVAL);
}

/* promotion can look back decades; all failing years are counted,
 * the latest CORE_CYCLE_YEARS_MAX listed */
Test(core, R15_promotion_long_run_lists_latest_failing)
{
	core_year_verdict y[CORE_ELIGIBILITY_YEARS_MAX + 2];
	core_eligibility e;
	core_eligibility_input in;
	size_t n = sizeof y / sizeof y[0];

	for (size_t i = 0; i < n; i++)
		y[i] = test_year(2013 + (int)i, CORE_LEVEL_SENIOR_FULL, 0, 480);
	in = input(CORE_PURPOSE_PROMOTION, core_date_make(2013 + (int)n, 5, 5), 2013, y, n);
	in.current_level = CORE_LEVEL_SENIOR_FULL;
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect_not(e.eligible);
	cr_expect_eq(e.last_year, 2013 + (int)n - 1);
	cr_expect_eq(e.first_year, e.last_year - CORE_ELIGIBILITY_YEARS_MAX + 1);
	cr_expect_eq(e.n_failing_total, (size_t)CORE_ELIGIBILITY_YEARS_MAX);
	cr_assert_eq(e.n_failing, (size_t)CORE_CYCLE_YEARS_MAX);
	cr_expect_eq(e.failing[CORE_CYCLE_YEARS_MAX - 1].year, e.last_year);
	cr_expect_eq(e.failing[0].year, e.last_year - CORE_CYCLE_YEARS_MAX + 1);
	cr_expect_eq(e.reasons[0].count, CORE_ELIGIBILITY_YEARS_MAX);
	cr_expect_eq(e.n_reasons, 1u + CORE_CYCLE_YEARS_MAX);
}

/* R-15 + R-31: a cycle starting in 2010 with the first rule set in 2013
 * gets an answer; the years before 2013 are skipped */
Test(core, R15_R31_years_before_first_rule_set_skipped)
{
	core_rule_set city;
	core_year_verdict y[3];
	core_eligibility e;
	core_eligibility_input in;

	core_rules_city_2013(&city);
	for (int i = 0; i < 3; i++)
		y[i] = test_year(2013 + i, CORE_LEVEL_INTERMEDIATE, 240, 480);
	memset(&in, 0, sizeof in);
	in.purpose = CORE_PURPOSE_HIRING;
	in.as_of = core_date_make(2014, 9, 1);
	in.first_year = 2010;
	cr_assert_eq(core_rules_first_year(&in.first_rule_year, &city, 1, "health"), 0);
	cr_assert_eq(in.first_rule_year, 2013);
	cr_assert_eq(core_cycle_locate(&in.cycle, &city, 1, "health", 2010, 2014), 0);
	cr_expect_eq(in.cycle.start_year, 2010);
	cr_expect_eq(in.cycle.end_year, 2014);
	in.cycle_years = in.cycle.cycle_years;
	in.current_level = CORE_LEVEL_INTERMEDIATE;
	in.years = y;
	in.n_years = 3;
	for (int p = CORE_PURPOSE_HIRING; p <= CORE_PURPOSE_PROMOTION; p++) {
		in.purpose = (core_purpose)p;
		cr_assert_eq(core_eligibility_decide(&e, &in), 0, "%s", core_purpose_name(in.purpose));
		cr_expect(e.eligible);
		cr_expect_eq(e.first_year, 2013);
		cr_expect_eq(e.last_year, 2013);
		cr_expect_eq(e.reasons[0].code, CORE_REASON_YEAR_COMPLIANT);
	}
	/* hiring says which years carried no requirement */
	in.purpose = CORE_PURPOSE_HIRING;
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_assert_eq(e.n_reasons, 2u);
	cr_expect_eq(e.reasons[1].code, CORE_REASON_NO_REQUIREMENT);
	cr_expect_str_eq(e.reasons[1].rule, "R-31");
	cr_expect_eq(e.reasons[1].first_year, 2010);
	cr_expect_eq(e.reasons[1].last_year, 2012);

	/* as of 2013: nothing to examine, still an answer */
	in.as_of = core_date_make(2013, 5, 1);
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect(e.eligible);
	cr_expect_eq(e.reasons[0].code, CORE_REASON_NO_YEAR_TO_EXAMINE);

	/* annual assessment of 2011 and of a year before the first period */
	in.purpose = CORE_PURPOSE_ANNUAL_ASSESSMENT;
	in.year = 2011;
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect(e.eligible);
	cr_expect_lt(e.last_year, e.first_year);
	cr_assert_eq(e.n_reasons, 1u);
	cr_expect_eq(e.reasons[0].code, CORE_REASON_NO_REQUIREMENT);
	cr_expect_str_eq(e.reasons[0].rule, "R-31");
	cr_expect_eq(e.reasons[0].year, 2011);
	in.year = 2009;
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect(e.eligible);
	cr_expect_str_eq(e.reasons[0].rule, "R-28");
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
	y[3] = test_year(2019, CORE_LEVEL_JUNIOR_ASSISTANT, 0, 0);  /* another level */
	in = input(CORE_PURPOSE_PROMOTION, core_date_make(2023, 1, 1), 2015, y, 4);
	in.current_level = CORE_LEVEL_JUNIOR_MEMBER;
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect_not(e.eligible);
	cr_assert_eq(e.n_failing, 2u);
	cr_expect_eq(e.failing[0].year, 2020);
	cr_expect_eq(e.failing[1].year, 2022);
	cr_assert_eq(e.n_reasons, 3u);
	cr_expect_eq(e.reasons[0].count, 2);
	cr_expect_eq(e.reasons[1].code, CORE_REASON_PROFESSIONAL_SHORT);
	cr_expect_eq(e.reasons[1].year, 2020);
	cr_expect_eq(e.reasons[1].shortfall, 80);
	cr_expect_eq(e.reasons[2].code, CORE_REASON_PUBLIC_SHORT);
	cr_expect_eq(e.reasons[2].year, 2022);
	cr_expect_eq(e.reasons[2].required, 140);
}

/* annual assessment of year Y looks at Y only */
Test(core, R15_annual_assessment_year_only)
{
	core_year_verdict y[2];
	core_eligibility e;
	core_eligibility_input in;

	y[0] = test_year(2021, CORE_LEVEL_SENIOR_DEPUTY, 0, 0);
	y[1] = test_year(2022, CORE_LEVEL_SENIOR_DEPUTY, 240, 480);
	in = input(CORE_PURPOSE_ANNUAL_ASSESSMENT, core_date_make(2022, 1, 1), 2020, y, 2);
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect(e.eligible);
	cr_expect_eq(e.first_year, 2022);
	cr_expect_eq(e.last_year, 2022);
	cr_assert_eq(e.n_reasons, 1u);
	cr_expect_eq(e.reasons[0].code, CORE_REASON_YEAR_COMPLIANT);
	cr_expect_eq(e.reasons[0].year, 2022);
	in.year = 2021;
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect_not(e.eligible);
	cr_assert_eq(e.n_reasons, 3u);
	cr_expect_eq(e.reasons[0].code, CORE_REASON_YEAR_NOT_COMPLIANT);
	cr_expect_eq(e.reasons[0].year, 2021);
	cr_expect_eq(e.reasons[1].code, CORE_REASON_PUBLIC_SHORT);
	cr_expect_eq(e.reasons[1].shortfall, 240);
	cr_expect_eq(e.reasons[2].code, CORE_REASON_PROFESSIONAL_SHORT);
	cr_expect_eq(e.reasons[2].shortfall, 480);
	in.year = 2023;     /* no verdict given for the year asked */
	cr_expect_eq(core_eligibility_decide(&e, &in), CORE_EINVAL);
}

/* a person registered this year has no year to examine: eligible */
Test(core, R15_first_year_of_first_period_is_eligible)
{
	core_eligibility e;
	core_eligibility_input in;

	in = input(CORE_PURPOSE_HIRING, core_date_make(2024, 3, 15), 2024, NULL, 0);
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect(e.eligible);
	cr_expect_eq(e.n_failing, 0u);
	cr_expect_lt(e.last_year, e.first_year);
	cr_expect_eq(e.reasons[0].code, CORE_REASON_NO_YEAR_TO_EXAMINE);

	/* the first period has not begun yet */
	in = input(CORE_PURPOSE_RENEWAL, core_date_make(2024, 3, 15), 2026, NULL, 0);
	cr_assert_eq(core_eligibility_decide(&e, &in), 0);
	cr_expect(e.eligible);
}

Test(core, R15_refuses_inconsistent_input)
{
	core_eligibility e;
	core_eligibility_input in;
	core_year_verdict y = test_year(2020, CORE_LEVEL_INTERMEDIATE, 240, 480);

	in = input(CORE_PURPOSE_RENEWAL, core_date_make(2026, 1, 1), 2020, &y, 1);
	cr_assert_eq(core_cycle_bounds(&in.cycle, 2020, 5, 2020), 0);
	cr_expect_eq(core_eligibility_decide(&e, &in), CORE_EINVAL);   /* D past the cycle */
	in.as_of = core_date_make(2022, 2, 30);
	cr_expect_eq(core_eligibility_decide(&e, &in), CORE_EINVAL);   /* not a date */
	in.as_of = core_date_make(2022, 2, 1);
	cr_expect_eq(core_eligibility_decide(&e, &in), CORE_EINVAL);   /* 2021 missing */
	in.first_year = 0;
	in.as_of = core_date_make(2021, 2, 1);
	cr_expect_eq(core_eligibility_decide(&e, &in), CORE_EINVAL);   /* 2016..2019 missing */
	in.first_year = 2020;
	cr_expect_eq(core_eligibility_decide(&e, &in), 0);
	in.purpose = CORE_PURPOSE_COUNT;
	cr_expect_eq(core_eligibility_decide(&e, &in), CORE_EINVAL);
	in.purpose = CORE_PURPOSE_PROMOTION;
	in.cycle.start_year = 0;
	cr_expect_eq(core_eligibility_decide(&e, &in), CORE_EINVAL);   /* malformed cycle */
}
