/* test_rules.c — rule sets as data and their selection (R-4, R-5, R-6,
 * R-9c, R-14, R-17) */
#include <criterion/criterion.h>

#include "test_util.h"

/* the 2013 city defaults */
Test(core, R4_R5_city_2013_defaults)
{
	core_rule_set rs;
	core_requirement req;
	int32_t days12, days7;

	core_rules_city_2013(&rs);
	cr_assert_eq(core_rules_validate(NULL, &rs), 0);
	cr_assert_str_eq(rs.id, CORE_RULES_CITY_2013_ID);
	cr_assert_str_eq(rs.industry, "");
	cr_assert_eq(core_date_compare(rs.effective_from, core_date_make(2013, 3, 12)), 0);
	cr_assert_not(rs.has_effective_to);
	cr_assert_eq(rs.cycle_years, 5);
	cr_assert(rs.auto_verify_base_completions);
	cr_assert_eq(rs.base_city.senior_faculty_bp, 6000);
	cr_assert_eq(rs.base_city.certified_manager_bp, 8000);
	cr_assert_eq(rs.base_district.senior_faculty_bp, 6000);
	cr_assert_eq(rs.base_district.certified_manager_bp, 8000);

	cr_assert_eq(core_hours_from_days(&days12, 12), 0);
	cr_assert_eq(core_hours_from_days(&days7, 7), 0);
	for (int l = 0; l < CORE_LEVEL_COUNT; l++) {
		bool junior = core_level_is_junior((core_level)l);

		cr_assert_eq(core_rules_requirement(&req, &rs, (core_level)l), 0);
		/* 72 h = 12 days or 42 h = 7 days; R-5: 1/3 public, 2/3 professional */
		cr_expect_eq(req.total, junior ? days7 : days12, "%s", core_level_name((core_level)l));
		cr_expect_eq(req.public_min * 3, req.total);
		cr_expect_eq(req.professional_min * 3, req.total * 2);
		cr_expect_eq(req.public_min, junior ? 140 : 240);
		cr_expect_eq(req.professional_min, junior ? 280 : 480);
	}
	cr_assert_eq(core_rules_requirement(&req, &rs, CORE_LEVEL_COUNT), CORE_EINVAL);
}

/* the default conversion table, professional hours */
Test(core, R9_default_conversion_table)
{
	const struct { const char *code; int32_t min, max; } t[] = {
		{ "paper_provincial", 100, 150 }, { "paper_national", 150, 200 },
		{ "monograph", 200, 250 }, { "award_provincial", 150, 200 },
		{ "award_national", 200, 250 },
	};
	core_rule_set rs;
	const core_conversion_kind *k;

	core_rules_city_2013(&rs);
	cr_assert_eq(rs.n_kinds, 5u);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		cr_assert_eq(core_rules_kind(&k, &rs, t[i].code), 0, "%s", t[i].code);
		cr_expect_eq(k->min, t[i].min, "%s", t[i].code);
		cr_expect_eq(k->max, t[i].max, "%s", t[i].code);
		cr_expect_eq(k->category, CORE_CAT_PROFESSIONAL, "%s", t[i].code);
	}
	cr_assert_eq(core_rules_kind(&k, &rs, "translation"), CORE_ENOTFOUND);
	cr_assert_null(k);
	cr_assert_eq(core_rules_kind(&k, &rs, NULL), CORE_ENOTFOUND);
}

/* R-9c: the city adds kinds with their ranges; they become forms */
Test(core, R9c_city_adds_conversion_kinds)
{
	core_rule_set rs;
	const core_conversion_kind *k;

	core_rules_city_2013(&rs);
	cr_assert_not(core_rules_form_known(&rs, "translation"));
	cr_assert_eq(core_rules_kind_put(&rs, "translation", 50, 100, CORE_CAT_PROFESSIONAL), 0);
	cr_assert_eq(rs.n_kinds, 6u);
	cr_assert(core_rules_form_known(&rs, "translation"));
	cr_assert(core_rules_form_known(NULL, "training_class"));
	cr_assert_not(core_rules_form_known(NULL, "translation"));
	cr_assert_not(core_rules_form_known(&rs, "Translation"));
	/* replacing keeps the count */
	cr_assert_eq(core_rules_kind_put(&rs, "translation", 60, 120, CORE_CAT_PUBLIC), 0);
	cr_assert_eq(rs.n_kinds, 6u);
	cr_assert_eq(core_rules_kind(&k, &rs, "translation"), 0);
	cr_assert_eq(k->min, 60);
	cr_assert_eq(k->category, CORE_CAT_PUBLIC);
	cr_assert_eq(core_rules_validate(NULL, &rs), 0);
	/* refused */
	cr_assert_eq(core_rules_kind_put(&rs, "Bad-Code", 1, 2, CORE_CAT_PUBLIC), CORE_EINVAL);
	cr_assert_eq(core_rules_kind_put(&rs, "", 1, 2, CORE_CAT_PUBLIC), CORE_EINVAL);
	cr_assert_eq(core_rules_kind_put(&rs, "abcdefghijklmnopqrstuvwxyz0123456789abcde", 1, 2,
	                                 CORE_CAT_PUBLIC), CORE_EINVAL); /* 41 chars */
	cr_assert_eq(core_rules_kind_put(&rs, "abcdefghijklmnopqrstuvwxyz0123456789abcd", 1, 2,
	                                 CORE_CAT_PUBLIC), 0);           /* 40 chars */
	cr_assert_eq(core_rules_kind_put(&rs, "1st_prize", 1, 2, CORE_CAT_PUBLIC), CORE_EINVAL);
	cr_assert_eq(core_rules_kind_put(&rs, "_prize", 1, 2, CORE_CAT_PUBLIC), CORE_EINVAL);
	cr_assert_eq(core_rules_kind_put(&rs, "a", 1, 2, CORE_CAT_PUBLIC), CORE_EINVAL);
	cr_assert_eq(core_rules_kind_put(&rs, "ab", 1, 2, CORE_CAT_PUBLIC), 0);
	cr_assert_eq(core_rules_kind_put(&rs, "zero_min", 0, 2, CORE_CAT_PUBLIC), CORE_ERANGE);
	cr_assert_eq(core_rules_kind_put(&rs, "lecture", 30, 20, CORE_CAT_PUBLIC), CORE_ERANGE);
	cr_assert_eq(core_rules_kind_put(&rs, "lecture", -1, 20, CORE_CAT_PUBLIC), CORE_ERANGE);
	cr_assert_eq(core_rules_kind_put(&rs, "lecture", 1, 20, CORE_CAT_COUNT), CORE_EINVAL);
	while (rs.n_kinds < CORE_KINDS_MAX) {
		char code[16];

		snprintf(code, sizeof code, "k%zu", rs.n_kinds);
		cr_assert_eq(core_rules_kind_put(&rs, code, 1, 2, CORE_CAT_PROFESSIONAL), 0);
	}
	cr_assert_eq(core_rules_kind_put(&rs, "one_too_many", 1, 2, CORE_CAT_PROFESSIONAL),
	             CORE_ENOSPC);
}

static bool has_field(const core_error_list *l, const char *field, const char *code)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->e[i].field, field) == 0 && strcmp(l->e[i].code, code) == 0)
			return true;
	return false;
}

/* cycle_years is 4 or 5 */
Test(core, R8_validate_cycle_years_4_or_5)
{
	const struct { int years; bool ok; } t[] = {
		{ 3, false }, { 4, true }, { 5, true }, { 6, false }, { 0, false },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		core_rule_set rs;
		core_error_list l;

		core_rules_city_2013(&rs);
		rs.cycle_years = t[i].years;
		core_error_list_init(&l);
		cr_expect_eq(core_rules_validate(&l, &rs), t[i].ok ? 0 : CORE_EINVAL, "%d", t[i].years);
		cr_expect_eq(l.n, t[i].ok ? 0u : 1u);
		if (!t[i].ok)
			cr_expect(has_field(&l, "cycle_years", CORE_FE_OUT_OF_RANGE));
	}
}

/* R-6 data: every bad field is reported by name, all at once */
Test(core, R6_validate_reports_every_bad_field)
{
	core_rule_set rs;
	core_error_list l;

	core_rules_city_2013(&rs);
	rs.id[0] = '\0';
	rs.effective_from = core_date_make(2020, 5, 1);
	rs.has_effective_to = true;
	rs.effective_to = core_date_make(2020, 4, 30);
	rs.min_public[CORE_LEVEL_SENIOR_FULL] = -10;
	rs.min_professional[CORE_LEVEL_JUNIOR_MEMBER] = CORE_HOURS_MAX + 1;
	rs.kinds[0].max = rs.kinds[0].min - 1;
	strcpy(rs.kinds[2].code, "paper_provincial");
	strcpy(rs.kinds[3].code, "Award");
	rs.kinds[4].category = (core_category)7;
	rs.base_district.senior_faculty_bp = 10001;
	rs.base_city.certified_manager_bp = -1;
	rs.base_district.certified_manager_bp = 18000;
	memset(rs.industry, 'x', sizeof rs.industry);   /* not terminated */

	core_error_list_init(&l);
	cr_assert_eq(core_rules_validate(&l, &rs), CORE_EINVAL);
	cr_expect(has_field(&l, "id", CORE_FE_REQUIRED));
	cr_expect(has_field(&l, "industry", CORE_FE_INVALID));
	cr_expect(has_field(&l, "effective_to", CORE_FE_BEFORE_START));
	cr_expect(has_field(&l, "requirements.senior_full.public", CORE_FE_OUT_OF_RANGE));
	cr_expect(has_field(&l, "requirements.junior_member.professional", CORE_FE_OUT_OF_RANGE));
	cr_expect(has_field(&l, "conversion_kinds[0].max", CORE_FE_OUT_OF_RANGE));
	cr_expect(has_field(&l, "conversion_kinds[2].code", CORE_FE_DUPLICATE));
	cr_expect(has_field(&l, "conversion_kinds[3].code", CORE_FE_INVALID));
	cr_expect(has_field(&l, "conversion_kinds[4].category", CORE_FE_INVALID));
	cr_expect(has_field(&l, "base_thresholds.district.senior_faculty_share", CORE_FE_OUT_OF_RANGE));
	cr_expect(has_field(&l, "base_thresholds.city.certified_manager_share", CORE_FE_OUT_OF_RANGE));
	cr_expect(has_field(&l, "base_thresholds.district.certified_manager_share", CORE_FE_OUT_OF_RANGE));
	cr_expect_eq(l.n, 12u);
	cr_expect_eq(l.dropped, 0u);

	core_rules_city_2013(&rs);
	rs.has_effective_to = true;
	rs.effective_to = rs.effective_from;     /* empty range */
	core_error_list_init(&l);
	cr_assert_eq(core_rules_validate(&l, &rs), CORE_EINVAL);
	cr_expect(has_field(&l, "effective_to", CORE_FE_BEFORE_START));
	rs.effective_to = core_date_make(2013, 3, 13);   /* one day */
	cr_assert_eq(core_rules_validate(NULL, &rs), 0);

	core_rules_city_2013(&rs);
	rs.effective_from = core_date_make(2021, 2, 29);
	core_error_list_init(&l);
	cr_assert_eq(core_rules_validate(&l, &rs), CORE_EINVAL);
	cr_expect(has_field(&l, "effective_from", CORE_FE_INVALID));
	core_rules_city_2013(&rs);
	rs.n_kinds = CORE_KINDS_MAX + 1;
	core_error_list_init(&l);
	cr_assert_eq(core_rules_validate(&l, &rs), CORE_EINVAL);
	cr_expect(has_field(&l, "conversion_kinds", CORE_FE_OUT_OF_RANGE));
}

/* the industry set beats the city default; effective dates decide on
 * 1 January; old years keep their old rules */
Test(core, R6_industry_beats_city_and_1_january_decides)
{
	core_rule_set sets[4];
	const core_rule_set *rs;

	core_rules_city_2013(&sets[0]);
	sets[1] = test_rules("city-2016", "", 2016, 1, 1);       /* national 90 h */
	test_rules_minimums(&sets[1], 300, 600);
	sets[2] = test_rules("health-2018", "health", 2018, 1, 1);
	test_rules_minimums(&sets[2], 200, 700);
	sets[3] = test_rules("health-2020-07", "health", 2020, 7, 1); /* mid-year */

	const struct { const char *industry; int year; const char *want; } t[] = {
		{ NULL, 2014, CORE_RULES_CITY_2013_ID },
		{ "", 2015, CORE_RULES_CITY_2013_ID },
		{ "", 2016, "city-2016" },
		{ "health", 2015, CORE_RULES_CITY_2013_ID },
		{ "health", 2017, "city-2016" },
		{ "health", 2018, "health-2018" },
		{ "health", 2020, "health-2018" },       /* 2020-07-01 set not in force on 1 Jan */
		{ "health", 2021, "health-2020-07" },
		{ "education", 2021, "city-2016" },
		{ "healthcare", 2021, "city-2016" },    /* no prefix match */
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		cr_assert_eq(core_rules_select(&rs, sets, 4, t[i].industry, t[i].year), 0,
		             "%s %d", t[i].industry ? t[i].industry : "NULL", t[i].year);
		cr_expect_str_eq(rs->id, t[i].want, "%s %d", t[i].industry ? t[i].industry : "NULL",
		                 t[i].year);
	}
	/* on a date */
	cr_assert_eq(core_rules_select_on(&rs, sets, 4, "health", core_date_make(2020, 6, 30)), 0);
	cr_expect_str_eq(rs->id, "health-2018");
	cr_assert_eq(core_rules_select_on(&rs, sets, 4, "health", core_date_make(2020, 7, 1)), 0);
	cr_expect_str_eq(rs->id, "health-2020-07");
}

/* effective_to is the first day no longer in force (exclusive, as in
 * sql/); nothing in force -> not found */
Test(core, R6_effective_to_and_not_found)
{
	core_rule_set sets[2];
	const core_rule_set *rs;

	sets[0] = test_rules("old", "", 2010, 1, 1);
	sets[0].has_effective_to = true;
	sets[0].effective_to = core_date_make(2020, 1, 1);
	sets[1] = test_rules("ind", "it", 2021, 1, 1);

	cr_assert_eq(core_rules_select(&rs, sets, 2, "", 2019), 0);
	cr_expect_str_eq(rs->id, "old");
	cr_assert_eq(core_rules_select_on(&rs, sets, 2, "", core_date_make(2019, 12, 31)), 0);
	cr_assert_eq(core_rules_select(&rs, sets, 2, "", 2020), CORE_ENOTFOUND);
	cr_assert_null(rs);
	cr_assert_eq(core_rules_select(&rs, sets, 2, "it", 2020), CORE_ENOTFOUND);
	cr_assert_eq(core_rules_select(&rs, sets, 2, "it", 2021), 0);
	cr_expect_str_eq(rs->id, "ind");
	cr_assert_eq(core_rules_select(&rs, sets, 0, "", 2021), CORE_ENOTFOUND);
	cr_assert_eq(core_rules_select(&rs, sets, 2, "", 2009), CORE_ENOTFOUND);
}

/* among several in force the latest effective_from wins, whatever the
 * array order; equal dates are broken by id */
Test(core, R6_latest_effective_from_wins)
{
	core_rule_set a[3], b[3];
	const core_rule_set *rs;

	a[0] = test_rules("c-2014", "", 2014, 1, 1);
	a[1] = test_rules("c-2017", "", 2017, 6, 1);
	a[2] = test_rules("c-2015", "", 2015, 1, 1);
	b[0] = a[2]; b[1] = a[0]; b[2] = a[1];
	cr_assert_eq(core_rules_select(&rs, a, 3, NULL, 2019), 0);
	cr_expect_str_eq(rs->id, "c-2017");
	cr_assert_eq(core_rules_select(&rs, b, 3, NULL, 2019), 0);
	cr_expect_str_eq(rs->id, "c-2017");
	cr_assert_eq(core_rules_select(&rs, a, 3, NULL, 2017), 0);
	cr_expect_str_eq(rs->id, "c-2015");

	a[1] = test_rules("c-2015-b", "", 2015, 1, 1);
	cr_assert_eq(core_rules_select(&rs, a, 3, NULL, 2016), 0);
	cr_expect_str_eq(rs->id, "c-2015-b");
	b[0] = a[1]; b[1] = a[2];
	cr_assert_eq(core_rules_select(&rs, b, 2, NULL, 2016), 0);
	cr_expect_str_eq(rs->id, "c-2015-b");
}

/* R-6 interpretation: 2013, the year the opinions took effect (2013-03-12),
 * is judged by them although nothing was in force on 2013-01-01 */
Test(core, R6_first_year_of_rules_uses_the_set_taking_effect)
{
	core_rule_set sets[3];
	const core_rule_set *rs;

	core_rules_city_2013(&sets[0]);
	cr_assert_eq(core_rules_select(&rs, sets, 1, NULL, 2013), 0);
	cr_expect_str_eq(rs->id, CORE_RULES_CITY_2013_ID);
	cr_assert_eq(core_rules_select(&rs, sets, 1, NULL, 2012), CORE_ENOTFOUND);
	cr_assert_eq(core_rules_select_on(&rs, sets, 1, NULL, core_date_jan1(2013)), CORE_ENOTFOUND);
	cr_assert(core_rules_covers_year(&sets[0], 2013));
	cr_assert_not(core_rules_covers_year(&sets[0], 2012));
	/* an industry set starting that year beats the city's */
	sets[1] = test_rules("med-2013", "med", 2013, 6, 1);
	sets[2] = test_rules("med-2013-b", "med", 2013, 9, 1);
	cr_assert_eq(core_rules_select(&rs, sets, 3, "med", 2013), 0);
	cr_expect_str_eq(rs->id, "med-2013");
	/* but a set in force on 1 January always beats the fallback */
	cr_assert_eq(core_rules_select(&rs, sets, 3, "med", 2014), 0);
	cr_expect_str_eq(rs->id, "med-2013-b");
}

/* thresholds by base level are data */
Test(core, R17_thresholds_by_level)
{
	core_rule_set rs;

	core_rules_city_2013(&rs);
	rs.base_district.senior_faculty_bp = 4000;
	cr_assert_eq(core_rules_base_thresholds(&rs, CORE_BASE_LEVEL_CITY)->senior_faculty_bp, 6000);
	cr_assert_eq(core_rules_base_thresholds(&rs, CORE_BASE_LEVEL_DISTRICT)->senior_faculty_bp, 4000);
	cr_assert_null(core_rules_base_thresholds(&rs, CORE_BASE_LEVEL_COUNT));
}
