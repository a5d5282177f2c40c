/* test_base.c — accreditation, funding, submission
 * window */
#include <criterion/criterion.h>

#include "test_util.h"

static const core_base_systems all_systems = { true, true, true, true, true };

static core_base_input base_in(core_base_level level, int ft, int fs, int mt, int mc)
{
	core_base_input in = { level, ft, fs, mt, mc, all_systems };
	return in;
}

/* 6/10 senior faculty passes, 5/10 fails; 4/5 certified managers
 * pass, 3/5 fail; zero faculty fails */
Test(core, R17_share_boundaries_table)
{
	const struct { int ft, fs, mt, mc; unsigned failing; } t[] = {
		{ 10, 6, 5, 4, 0 },
		{ 10, 5, 5, 4, CORE_CRIT_SENIOR_FACULTY_SHARE },
		{ 10, 6, 5, 3, CORE_CRIT_CERTIFIED_MANAGER_SHARE },
		{ 10, 5, 5, 3, CORE_CRIT_SENIOR_FACULTY_SHARE | CORE_CRIT_CERTIFIED_MANAGER_SHARE },
		{ 0, 0, 5, 5, CORE_CRIT_SENIOR_FACULTY_SHARE },
		{ 10, 10, 0, 0, CORE_CRIT_CERTIFIED_MANAGER_SHARE },
		{ 3, 2, 1, 1, 0 },                     /* 66 % */
		{ 5, 3, 10, 8, 0 },                    /* exactly 60 % and 80 % */
		{ 1000, 599, 1000, 800, CORE_CRIT_SENIOR_FACULTY_SHARE },   /* 59.9 % */
		{ 1000, 600, 1000, 799, CORE_CRIT_CERTIFIED_MANAGER_SHARE }, /* 79.9 % */
	};
	core_rule_set rs;

	core_rules_city_2013(&rs);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		core_base_input in = base_in(CORE_BASE_LEVEL_CITY, t[i].ft, t[i].fs, t[i].mt, t[i].mc);
		core_accreditation a;

		cr_assert_eq(core_base_accreditation_check(&a, &rs, &in), 0, "case %zu", i);
		cr_expect_eq(a.failing, t[i].failing, "R-17 case %zu: %u/%u faculty %d/%d managers %d/%d",
		             i, a.failing, t[i].failing, t[i].fs, t[i].ft, t[i].mc, t[i].mt);
		cr_expect_eq(a.accreditable, t[i].failing == 0, "case %zu", i);
		cr_expect_str_eq(a.rule_set, CORE_RULES_CITY_2013_ID);
		cr_expect_eq(a.errors.n, (size_t)__builtin_popcount(t[i].failing), "case %zu", i);
	}
}

/* every failing criterion is listed by its API name */
Test(core, R17_all_failing_criteria_named)
{
	core_rule_set rs;
	core_base_input in = base_in(CORE_BASE_LEVEL_CITY, 10, 5, 5, 3);
	core_accreditation a;

	core_rules_city_2013(&rs);
	in.systems.fee_management = false;
	in.systems.effect_tracking = false;
	cr_assert_eq(core_base_accreditation_check(&a, &rs, &in), 0);
	cr_expect_not(a.accreditable);
	cr_assert_eq(a.errors.n, 3u);
	cr_expect_str_eq(a.errors.e[0].field, "senior_faculty_share");
	cr_expect_str_eq(a.errors.e[1].field, "certified_manager_share");
	cr_expect_str_eq(a.errors.e[2].field, "management_systems");
	cr_expect_str_eq(a.errors.e[0].message,
	                 "5 of 10 faculty (50%) hold a senior title, at least 60% required");
	cr_expect_str_eq(a.errors.e[1].message,
	                 "3 of 5 training managers (60%) are certified, at least 80% required");
	cr_expect_str_eq(a.errors.e[2].message,
	                 "management systems not in place: fee_management, effect_tracking");
	cr_expect_str_eq(core_criterion_name(CORE_CRIT_SENIOR_FACULTY_SHARE), "senior_faculty_share");
	cr_expect_str_eq(core_criterion_name(CORE_CRIT_CERTIFIED_MANAGER_SHARE), "certified_manager_share");
	cr_expect_str_eq(core_criterion_name(CORE_CRIT_MANAGEMENT_SYSTEMS), "management_systems");
	cr_expect_null(core_criterion_name((core_criterion)8));
}

/* each of the five systems is required on its own */
Test(core, R17_each_system_required)
{
	core_rule_set rs;

	core_rules_city_2013(&rs);
	for (int i = 0; i < 5; i++) {
		core_base_input in = base_in(CORE_BASE_LEVEL_CITY, 10, 6, 5, 4);
		bool *sys[5] = { &in.systems.teaching_management, &in.systems.trainee_assessment,
		                 &in.systems.certificate_registration, &in.systems.fee_management,
		                 &in.systems.effect_tracking };
		core_accreditation a;

		*sys[i] = false;
		cr_assert_eq(core_base_accreditation_check(&a, &rs, &in), 0);
		cr_expect_eq(a.failing, (unsigned)CORE_CRIT_MANAGEMENT_SYSTEMS, "system %d", i);
	}
}

/* district thresholds are rule-set data */
Test(core, R17_district_thresholds_from_rule_set)
{
	core_rule_set rs;
	core_base_input in = base_in(CORE_BASE_LEVEL_DISTRICT, 10, 5, 5, 3);
	core_accreditation a;

	core_rules_city_2013(&rs);
	cr_assert_eq(core_base_accreditation_check(&a, &rs, &in), 0);
	cr_expect_not(a.accreditable);       /* default: same as city */
	rs.base_district.senior_faculty_bp = 5000;
	rs.base_district.certified_manager_bp = 6000;
	cr_assert_eq(core_base_accreditation_check(&a, &rs, &in), 0);
	cr_expect(a.accreditable);
	cr_expect_eq(a.senior_faculty_bp_required, 5000);
	in.level = CORE_BASE_LEVEL_CITY;
	cr_assert_eq(core_base_accreditation_check(&a, &rs, &in), 0);
	cr_expect_not(a.accreditable);
	/* zero faculty fails even at a 0 % threshold */
	rs.base_district.senior_faculty_bp = 0;
	in = base_in(CORE_BASE_LEVEL_DISTRICT, 0, 0, 5, 5);
	cr_assert_eq(core_base_accreditation_check(&a, &rs, &in), 0);
	cr_expect_eq(a.failing, (unsigned)CORE_CRIT_SENIOR_FACULTY_SHARE);
	/* bad counts */
	in = base_in(CORE_BASE_LEVEL_CITY, 5, 6, 5, 5);
	cr_expect_eq(core_base_accreditation_check(&a, &rs, &in), CORE_EINVAL);
	in = base_in(CORE_BASE_LEVEL_CITY, 5, 5, -1, 0);
	cr_expect_eq(core_base_accreditation_check(&a, &rs, &in), CORE_EINVAL);
	in = base_in(CORE_BASE_LEVEL_COUNT, 5, 5, 5, 5);
	cr_expect_eq(core_base_accreditation_check(&a, &rs, &in), CORE_EINVAL);
}

/* thresholds with decimals (NUMERIC(5,2) percent) are exact */
Test(core, R17_fractional_threshold_exact)
{
	core_rule_set rs;
	core_accreditation a;
	core_base_input in = base_in(CORE_BASE_LEVEL_DISTRICT, 8, 5, 3, 2);

	core_rules_city_2013(&rs);
	rs.base_district.senior_faculty_bp = 6250;     /* 62.5 % */
	rs.base_district.certified_manager_bp = 6667;  /* 66.67 %: 2/3 is 66.66.. % */
	cr_assert_eq(core_base_accreditation_check(&a, &rs, &in), 0);
	cr_expect_eq(a.failing, (unsigned)CORE_CRIT_CERTIFIED_MANAGER_SHARE);   /* 5/8 = 62.5 % meets */
	cr_expect_str_eq(a.errors.e[0].message,
	                 "2 of 3 training managers (66%) are certified, at least 66.67% required");
	rs.base_district.certified_manager_bp = 6666;
	in.faculty_senior = 4;
	cr_assert_eq(core_base_accreditation_check(&a, &rs, &in), 0);
	cr_expect_eq(a.failing, (unsigned)CORE_CRIT_SENIOR_FACULTY_SHARE);
	cr_expect_str_eq(a.errors.e[0].message,
	                 "4 of 8 faculty (50%) hold a senior title, at least 62.5% required");
}

/* only an accredited base operates */
Test(core, R16_only_accredited_base_operates)
{
	cr_expect_not(core_base_may_operate(CORE_BASE_APPLIED));
	cr_expect(core_base_may_operate(CORE_BASE_ACCREDITED));
	cr_expect_not(core_base_may_operate(CORE_BASE_SUSPENDED));
	cr_expect_not(core_base_may_operate(CORE_BASE_REVOKED));
}

/* 50/30/20 ok, 50/30/10 refused */
Test(core, R18_funding_split_table)
{
	const struct { int g, u, i; int rc; const char *field; } t[] = {
		{ 50, 30, 20, 0, NULL },
		{ 100, 0, 0, 0, NULL },
		{ 0, 0, 100, 0, NULL },
		{ 34, 33, 33, 0, NULL },
		{ 50, 30, 10, CORE_ERANGE, "funding" },
		{ 50, 30, 21, CORE_ERANGE, "funding" },
		{ 0, 0, 0, CORE_ERANGE, "funding" },
		{ 101, 0, -1, CORE_ERANGE, "funding.government" },
		{ 120, -10, -10, CORE_ERANGE, "funding.government" },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		core_error_list l;

		core_error_list_init(&l);
		cr_expect_eq(core_funding_check(&l, t[i].g, t[i].u, t[i].i), t[i].rc,
		             "R-18 %d/%d/%d", t[i].g, t[i].u, t[i].i);
		if (t[i].field != NULL) {
			cr_assert_geq(l.n, 1u);
			cr_expect_str_eq(l.e[0].field, t[i].field, "R-18 %d/%d/%d", t[i].g, t[i].u, t[i].i);
		} else {
			cr_expect_eq(l.n, 0u);
		}
	}
	core_error_list l;
	core_error_list_init(&l);
	cr_assert_eq(core_funding_check(&l, 120, -10, -10), CORE_ERANGE);
	cr_expect_eq(l.n, 3u);
	cr_expect_str_eq(l.e[1].field, "funding.unit");
	cr_expect_str_eq(l.e[2].field, "funding.individual");
	core_error_list_init(&l);
	cr_assert_eq(core_funding_check(&l, 50, 30, 10), CORE_ERANGE);
	cr_expect_str_eq(l.e[0].code, CORE_FE_SUM);
	cr_expect_str_eq(l.e[0].message, "government, unit and individual shares must sum to 100, got 90");
	cr_expect_eq(core_funding_check(NULL, 50, 30, 20), 0);
}

/* projects for Y are submitted during Y-1; a begun year needs the
 * city's late window */
Test(core, R19_submission_window_table)
{
	const core_date late = { 2025, 1, 31 };
	const struct {
		int year; core_date on; const core_date *late;
		bool allowed; core_window_reason why;
	} t[] = {
		{ 2025, { 2024, 1, 1 }, NULL, true, CORE_WINDOW_NEXT_YEAR },
		{ 2025, { 2024, 12, 31 }, NULL, true, CORE_WINDOW_NEXT_YEAR },
		{ 2025, { 2025, 1, 1 }, NULL, false, CORE_WINDOW_YEAR_BEGUN },
		{ 2025, { 2023, 12, 31 }, NULL, false, CORE_WINDOW_TOO_EARLY },
		{ 2025, { 2025, 1, 1 }, &late, true, CORE_WINDOW_LATE },
		{ 2025, { 2025, 1, 31 }, &late, true, CORE_WINDOW_LATE },
		{ 2025, { 2025, 2, 1 }, &late, false, CORE_WINDOW_YEAR_BEGUN },
		{ 2025, { 2024, 12, 1 }, &late, true, CORE_WINDOW_NEXT_YEAR },
		{ 2024, { 2025, 1, 10 }, &late, true, CORE_WINDOW_LATE },
		{ 2025, { 2026, 3, 1 }, NULL, false, CORE_WINDOW_YEAR_BEGUN },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		core_window w;

		cr_assert_eq(core_project_window_check(&w, t[i].year, t[i].on, t[i].late), 0, "case %zu", i);
		cr_expect_eq(w.allowed, t[i].allowed, "R-19 case %zu", i);
		cr_expect_eq(w.reason, t[i].why, "R-19 case %zu: %s", i, core_window_reason_name(w.reason));
		cr_expect_neq(w.message[0], '\0');
	}
	core_window w;
	cr_assert_eq(core_project_window_check(&w, 2025, core_date_make(2025, 2, 1), &late), 0);
	cr_expect_str_eq(w.message, "2025 has begun and its late window closed on 2025-01-31");
	cr_assert_eq(core_project_window_check(&w, 2025, core_date_make(2025, 1, 2), NULL), 0);
	cr_expect_str_eq(w.message, "2025 has begun and no late window is open");
	cr_expect_eq(core_project_window_check(&w, 2025, core_date_make(2025, 2, 30), NULL), CORE_EINVAL);
	const core_date bad = { 2025, 13, 1 };
	cr_expect_eq(core_project_window_check(&w, 2025, core_date_make(2025, 2, 1), &bad), CORE_EINVAL);
	cr_expect_eq(core_project_window_check(&w, 0, core_date_make(2025, 2, 1), NULL), CORE_EINVAL);
}
