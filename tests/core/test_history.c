/* test_history.c — a person's situation through time */
#include <criterion/criterion.h>

#include "test_util.h"

static core_change change_level(int y, int m, int d, core_level level)
{
	core_change c;

	memset(&c, 0, sizeof c);
	c.from = core_date_make(y, m, d);
	c.has_level = true;
	c.level = level;
	return c;
}

static core_change change_industry(int y, int m, int d, const char *industry)
{
	core_change c;

	memset(&c, 0, sizeof c);
	c.from = core_date_make(y, m, d);
	c.has_industry = true;
	snprintf(c.industry, sizeof c.industry, "%s", industry);
	return c;
}

/* each attribute holds from its change until the next change of it;
 * a change sets only its own attributes */
Test(core, R28_history_attributes_hold_until_changed)
{
	core_change h[4];
	core_situation s;

	memset(&h[0], 0, sizeof h[0]);
	h[0].from = core_date_make(2015, 3, 1);           /* registration */
	h[0].has_level = h[0].has_industry = h[0].has_unit = h[0].has_status = true;
	h[0].level = CORE_LEVEL_JUNIOR_ASSISTANT;
	snprintf(h[0].unit, sizeof h[0].unit, "u1");
	h[0].in_service = true;
	h[1] = change_level(2018, 7, 1, CORE_LEVEL_INTERMEDIATE);
	h[2] = change_industry(2020, 1, 1, "health");
	memset(&h[3], 0, sizeof h[3]);
	h[3].from = core_date_make(2022, 5, 5);
	h[3].has_unit = h[3].has_status = true;
	snprintf(h[3].unit, sizeof h[3].unit, "u2");
	h[3].in_service = false;

	cr_assert_eq(core_history_at(&s, h, 4, core_date_make(2018, 6, 30)), 0);
	cr_expect_eq(s.level, CORE_LEVEL_JUNIOR_ASSISTANT);
	cr_expect_str_eq(s.industry, "");
	cr_expect_str_eq(s.unit, "u1");
	cr_expect(s.in_service);
	cr_assert_eq(core_history_at(&s, h, 4, core_date_make(2018, 7, 1)), 0);
	cr_expect_eq(s.level, CORE_LEVEL_INTERMEDIATE);
	cr_assert_eq(core_history_at(&s, h, 4, core_date_make(2021, 1, 1)), 0);
	cr_expect_eq(s.level, CORE_LEVEL_INTERMEDIATE);
	cr_expect_str_eq(s.industry, "health");
	cr_expect_str_eq(s.unit, "u1");
	cr_assert_eq(core_history_at(&s, h, 4, core_date_make(2030, 1, 1)), 0);
	cr_expect_str_eq(s.unit, "u2");
	cr_expect_not(s.in_service);
	cr_expect(s.has_level && s.has_industry && s.has_unit && s.has_status);
	cr_expect_eq(core_date_compare(s.on, core_date_make(2030, 1, 1)), 0);

	/* before every change: the first one */
	cr_assert_eq(core_history_at(&s, h, 4, core_date_make(2001, 1, 1)), 0);
	cr_expect_eq(s.level, CORE_LEVEL_JUNIOR_ASSISTANT);
	cr_expect_str_eq(s.unit, "u1");
	/* nothing recorded: nothing known */
	cr_assert_eq(core_history_at(&s, NULL, 0, core_date_make(2001, 1, 1)), 0);
	cr_expect_not(s.has_level || s.has_industry || s.has_unit || s.has_status);

	cr_expect_eq(core_history_at(&s, h, 4, core_date_make(2021, 2, 29)), CORE_EINVAL);
	h[1].level = CORE_LEVEL_COUNT;
	cr_expect_eq(core_history_at(&s, h, 4, core_date_make(2021, 1, 1)), CORE_EINVAL);
	cr_expect_eq(core_history_at(&s, NULL, 1, core_date_make(2021, 1, 1)), CORE_EINVAL);
}

/* history is corrected by recording: a backdated change counts from
 * its date, and on the same date the later-recorded change wins */
Test(core, R28_history_backdated_and_same_date_corrections)
{
	core_change h[4];
	core_situation s;

	h[0] = change_level(2015, 1, 1, CORE_LEVEL_JUNIOR_MEMBER);
	h[1] = change_level(2020, 9, 1, CORE_LEVEL_INTERMEDIATE);
	h[2] = change_level(2019, 3, 1, CORE_LEVEL_JUNIOR_ASSISTANT);   /* recorded later */
	h[3] = change_level(2020, 9, 1, CORE_LEVEL_SENIOR_DEPUTY);      /* corrects h[1] */

	cr_assert_eq(core_history_at(&s, h, 2, core_date_make(2019, 6, 1)), 0);
	cr_expect_eq(s.level, CORE_LEVEL_JUNIOR_MEMBER);
	cr_assert_eq(core_history_at(&s, h, 3, core_date_make(2019, 6, 1)), 0);
	cr_expect_eq(s.level, CORE_LEVEL_JUNIOR_ASSISTANT);
	cr_assert_eq(core_history_at(&s, h, 3, core_date_make(2021, 1, 1)), 0);
	cr_expect_eq(s.level, CORE_LEVEL_INTERMEDIATE);
	cr_assert_eq(core_history_at(&s, h, 4, core_date_make(2021, 1, 1)), 0);
	cr_expect_eq(s.level, CORE_LEVEL_SENIOR_DEPUTY);
	/* the order of recording, not of the array's dates, breaks the tie */
	core_change g[2] = { h[3], h[1] };
	cr_assert_eq(core_history_at(&s, g, 2, core_date_make(2021, 1, 1)), 0);
	cr_expect_eq(s.level, CORE_LEVEL_INTERMEDIATE);
	/* before everything: the earliest, the later-recorded on a tie */
	cr_assert_eq(core_history_at(&s, g, 2, core_date_make(2010, 1, 1)), 0);
	cr_expect_eq(s.level, CORE_LEVEL_INTERMEDIATE);
}

/* a year is judged on 1 January, or on the first day when the first
 * period starts later that year; R-30: owned on 31 December, or today */
Test(core, R29_R30_judging_and_holding_dates)
{
	core_date first = core_date_make(2019, 6, 15);
	core_date today = core_date_make(2024, 8, 1);

	cr_expect_eq(core_date_compare(core_judging_date(first, 2019), first), 0);
	cr_expect_eq(core_date_compare(core_judging_date(first, 2020), core_date_jan1(2020)), 0);
	cr_expect_eq(core_date_compare(core_judging_date(core_date_jan1(2019), 2019),
	                               core_date_jan1(2019)), 0);
	cr_expect_eq(core_date_compare(core_holding_date(2023, today), core_date_make(2023, 12, 31)),
	             0);
	cr_expect_eq(core_date_compare(core_holding_date(2024, today), today), 0);
	cr_expect_eq(core_date_compare(core_holding_date(2024, core_date_make(2025, 1, 1)),
	                               core_date_make(2024, 12, 31)), 0);
}

/* a promotion during Y raises the minimum from Y+1 on */
Test(core, R29_promotion_mid_year_counts_from_next_year)
{
	core_change h[2];
	core_situation s;
	core_date first = core_date_make(2016, 1, 1);

	h[0] = change_level(2016, 1, 1, CORE_LEVEL_JUNIOR_ASSISTANT);
	h[1] = change_level(2021, 7, 1, CORE_LEVEL_INTERMEDIATE);
	cr_assert_eq(core_history_at(&s, h, 2, core_judging_date(first, 2021)), 0);
	cr_expect_eq(s.level, CORE_LEVEL_JUNIOR_ASSISTANT);
	cr_assert_eq(core_history_at(&s, h, 2, core_judging_date(first, 2022)), 0);
	cr_expect_eq(s.level, CORE_LEVEL_INTERMEDIATE);
}

/* R-28..R-30: which years a change can touch */
Test(core, R29_years_touched_by_a_change)
{
	core_date first_day = core_date_make(2018, 4, 1);
	int a, b;

	cr_assert_eq(core_history_years_touched(core_date_make(2020, 7, 1), 2024, &a, &b), 0);
	cr_expect(a == 2020 && b == 2024);
	cr_assert_eq(core_history_judging_years_touched(core_date_make(2020, 7, 1), first_day, 2024,
	                                                &a, &b), 0);
	cr_expect(a == 2021 && b == 2024);
	cr_assert_eq(core_history_judging_years_touched(core_date_make(2020, 1, 1), first_day, 2024,
	                                                &a, &b), 0);
	cr_expect(a == 2020 && b == 2024);
	cr_assert_eq(core_history_judging_years_touched(first_day, first_day, 2024, &a, &b), 0);
	cr_expect(a == 2018 && b == 2024);
	cr_assert_eq(core_history_judging_years_touched(core_date_make(2018, 5, 1), first_day, 2024,
	                                                &a, &b), 0);
	cr_expect(a == 2019);
	cr_assert_eq(core_history_judging_years_touched(core_date_make(2024, 5, 1), first_day, 2024,
	                                                &a, &b), 0);
	cr_expect_lt(b, a);                                  /* nothing judged yet */
	cr_expect_eq(core_history_years_touched(core_date_make(2025, 1, 1), 2024, &a, &b),
	             CORE_EINVAL);
	cr_expect_eq(core_history_years_touched(core_date_make(2023, 2, 30), 2024, &a, &b),
	             CORE_EINVAL);
}
