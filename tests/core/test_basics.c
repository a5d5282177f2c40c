/* test_basics.c — enums, dates, hours (R-2, R-3, R-4, R-10, R-11, API
 * spellings) */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "test_util.h"

/* Every enumeration parses its exact API spellings and names them back. */
#define CHECK_ENUM(T, COUNT, ...)                                              \
	do {                                                                   \
		const char *names[] = { __VA_ARGS__ };                         \
		cr_assert_eq(sizeof names / sizeof names[0], (size_t)(COUNT),  \
		             #T ": spelling list and enum differ in size");    \
		for (int i = 0; i < (int)(COUNT); i++) {                       \
			core_##T v;                                            \
			cr_assert_eq(core_##T##_parse(&v, names[i]), 0,         \
			             #T ": %s must parse", names[i]);          \
			cr_assert_eq((int)v, i, #T ": %s parsed to %d", names[i], (int)v); \
			cr_assert_str_eq(core_##T##_name(v), names[i]);        \
		}                                                              \
		core_##T w;                                                    \
		cr_assert_eq(core_##T##_parse(&w, "bogus"), CORE_EINVAL);      \
		cr_assert_eq(core_##T##_parse(&w, ""), CORE_EINVAL);           \
		cr_assert_eq(core_##T##_parse(&w, NULL), CORE_EINVAL);         \
		cr_assert_null(core_##T##_name((core_##T)(COUNT)));            \
		cr_assert_null(core_##T##_name((core_##T)-1));                 \
	} while (0)

/* API.md / DOMAIN.md spellings, 1:1 with the enums */
Test(core, API_enum_spellings_round_trip)
{
	CHECK_ENUM(level, CORE_LEVEL_COUNT, "senior_full", "senior_deputy",
	           "intermediate", "junior_assistant", "junior_member");
	CHECK_ENUM(category, CORE_CAT_COUNT, "public", "professional");
	CHECK_ENUM(form, CORE_FORM_COUNT, "training_class", "overseas_training",
	           "academic_exchange", "degree_education", "remote_education",
	           "online_education", "paper_provincial", "paper_national",
	           "monograph", "award_provincial", "award_national");
	CHECK_ENUM(class_type, CORE_CLASS_COUNT, "full_time", "part_time",
	           "spare_time", "online");
	CHECK_ENUM(source, CORE_SOURCE_COUNT, "unit", "base", "achievement");
	CHECK_ENUM(record_status, CORE_RECORD_STATUS_COUNT, "registered",
	           "verified", "rejected", "revoked");
	CHECK_ENUM(record_action, CORE_RECORD_ACT_COUNT, "verify", "reject", "revoke");
	CHECK_ENUM(achieve_status, CORE_ACHIEVE_STATUS_COUNT, "submitted",
	           "approved", "rejected");
	CHECK_ENUM(achieve_action, CORE_ACHIEVE_ACT_COUNT, "approve", "reject");
	CHECK_ENUM(base_status, CORE_BASE_STATUS_COUNT, "applied", "accredited",
	           "suspended", "revoked");
	CHECK_ENUM(base_action, CORE_BASE_ACT_COUNT, "accredit", "suspend",
	           "reinstate", "revoke");
	CHECK_ENUM(base_level, CORE_BASE_LEVEL_COUNT, "city", "district");
	CHECK_ENUM(project_status, CORE_PROJECT_STATUS_COUNT, "draft", "submitted",
	           "approved", "rejected");
	CHECK_ENUM(project_action, CORE_PROJECT_ACT_COUNT, "submit", "approve", "reject");
	CHECK_ENUM(guide_status, CORE_GUIDE_STATUS_COUNT, "draft", "published");
	CHECK_ENUM(guide_action, CORE_GUIDE_ACT_COUNT, "publish");
	CHECK_ENUM(exam_result, CORE_EXAM_COUNT, "pending", "passed", "failed");
	CHECK_ENUM(enrolment_status, CORE_ENROLMENT_STATUS_COUNT, "enrolled", "completed");
	CHECK_ENUM(enrolment_action, CORE_ENROLMENT_ACT_COUNT, "complete");
	CHECK_ENUM(purpose, CORE_PURPOSE_COUNT, "annual_assessment", "hiring",
	           "renewal", "promotion");
	CHECK_ENUM(unit_kind, CORE_UNIT_KIND_COUNT, "enterprise", "institution");
	CHECK_ENUM(person_status, CORE_PERSON_STATUS_COUNT, "in_service", "left");
	CHECK_ENUM(credit_reason, CORE_CREDIT_REASON_COUNT, "full", "top_up", "not_higher");
	CHECK_ENUM(window_reason, CORE_WINDOW_REASON_COUNT, "next_year",
	           "late_window", "year_begun", "too_early");
}

/* parsing is exact: no case folding, no surrounding space */
Test(core, API_enum_parse_is_exact)
{
	core_level l;

	cr_assert_eq(core_level_parse(&l, "Senior_Full"), CORE_EINVAL);
	cr_assert_eq(core_level_parse(&l, " intermediate"), CORE_EINVAL);
	cr_assert_eq(core_level_parse(&l, "intermediate "), CORE_EINVAL);
}

/* 高中级 = first three, 初级 = last two; senior title = 正高 + 副高 */
Test(core, R2_level_groups)
{
	const struct { core_level l; bool senior, junior; } t[] = {
		{ CORE_LEVEL_SENIOR_FULL, true, false },
		{ CORE_LEVEL_SENIOR_DEPUTY, true, false },
		{ CORE_LEVEL_INTERMEDIATE, false, false },
		{ CORE_LEVEL_JUNIOR_ASSISTANT, false, true },
		{ CORE_LEVEL_JUNIOR_MEMBER, false, true },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		cr_expect_eq(core_level_is_senior(t[i].l), t[i].senior, "level %zu", i);
		cr_expect_eq(core_level_is_junior(t[i].l), t[i].junior, "level %zu", i);
	}
}

/* the five achievement kinds are forms too */
Test(core, R10_achievement_forms)
{
	for (int f = 0; f < CORE_FORM_COUNT; f++)
		cr_expect_eq(core_form_is_achievement((core_form)f), f >= CORE_FORM_PAPER_PROVINCIAL,
		             "form %s", core_form_name((core_form)f));
}

Test(core, error_names_and_messages)
{
	const int codes[] = { CORE_OK, CORE_EINVAL, CORE_ERANGE, CORE_ESTATE,
	                      CORE_ENOTFOUND, CORE_ECHECKSUM, CORE_EDATE,
	                      CORE_EFUTURE, CORE_ENOSPC, CORE_EPRECOND };

	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		cr_expect_neq(strcmp(core_error_name(codes[i]), "CORE_EUNKNOWN"), 0);
		cr_expect_neq(strcmp(core_error_message(codes[i]), "unknown error"), 0);
	}
	cr_expect_str_eq(core_error_name(CORE_ESTATE), "CORE_ESTATE");
	cr_expect_str_eq(core_error_name(-1000), "CORE_EUNKNOWN");
}

Test(core, error_list_caps_and_counts_dropped)
{
	core_error_list l;

	core_error_list_init(&l);
	for (int i = 0; i < CORE_ERRORS_MAX + 3; i++)
		core_error_list_add(&l, "f", CORE_FE_INVALID, "error %d", i);
	cr_assert_eq(l.n, (size_t)CORE_ERRORS_MAX);
	cr_assert_eq(l.dropped, 3u);
	cr_assert_str_eq(l.e[1].message, "error 1");
	cr_assert_eq(core_error_list_add(NULL, "f", "c", "x"), 0u);
}

/* Dates: strict YYYY-MM-DD, real calendar dates only */
Test(core, date_parse_table)
{
	const struct { const char *s; int rc; int y, m, d; } t[] = {
		{ "2024-02-29", 0, 2024, 2, 29 },
		{ "2000-02-29", 0, 2000, 2, 29 },
		{ "2023-12-31", 0, 2023, 12, 31 },
		{ "0001-01-01", 0, 1, 1, 1 },
		{ "9999-12-31", 0, 9999, 12, 31 },
		{ "2023-02-29", CORE_EDATE, 0, 0, 0 },
		{ "1900-02-29", CORE_EDATE, 0, 0, 0 },
		{ "2023-13-01", CORE_EDATE, 0, 0, 0 },
		{ "2023-00-10", CORE_EDATE, 0, 0, 0 },
		{ "2023-04-31", CORE_EDATE, 0, 0, 0 },
		{ "2023-04-00", CORE_EDATE, 0, 0, 0 },
		{ "0000-01-01", CORE_EDATE, 0, 0, 0 },
		{ "2023-1-01", CORE_EINVAL, 0, 0, 0 },
		{ "2023-01-011", CORE_EINVAL, 0, 0, 0 },
		{ "2023/01/01", CORE_EINVAL, 0, 0, 0 },
		{ "+023-01-01", CORE_EINVAL, 0, 0, 0 },
		{ "2023-01-0a", CORE_EINVAL, 0, 0, 0 },
		{ " 2023-01-01", CORE_EINVAL, 0, 0, 0 },
		{ "", CORE_EINVAL, 0, 0, 0 },
		{ NULL, CORE_EINVAL, 0, 0, 0 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		core_date d = { 0, 0, 0 };
		int rc = core_date_parse(&d, t[i].s);

		cr_expect_eq(rc, t[i].rc, "%s: rc %d, want %d", t[i].s ? t[i].s : "NULL", rc, t[i].rc);
		if (t[i].rc == 0)
			cr_expect(d.y == t[i].y && d.m == t[i].m && d.d == t[i].d, "%s", t[i].s);
	}
}

Test(core, date_format_and_compare)
{
	char buf[CORE_DATE_BUFSZ];

	cr_assert_eq(core_date_format(buf, sizeof buf, core_date_make(2013, 3, 12)), 0);
	cr_assert_str_eq(buf, "2013-03-12");
	cr_assert_eq(core_date_format(buf, 10, core_date_make(2013, 3, 12)), CORE_ENOSPC);
	cr_assert_eq(core_date_format(buf, sizeof buf, core_date_make(2013, 2, 30)), CORE_EDATE);
	cr_assert_str_eq(buf, "");
	cr_assert_eq(core_date_compare(core_date_make(2020, 1, 1), core_date_make(2019, 12, 31)), 1);
	cr_assert_eq(core_date_compare(core_date_make(2020, 1, 1), core_date_make(2020, 1, 2)), -1);
	cr_assert_eq(core_date_compare(core_date_make(2020, 5, 1), core_date_make(2020, 5, 1)), 0);
}

/* Day arithmetic: inclusive ranges, leap years, round trips */
Test(core, date_days_between_and_range)
{
	cr_assert_eq(core_date_to_days(core_date_make(1970, 1, 1)), 0);
	cr_assert_eq(core_date_to_days(core_date_make(2000, 3, 1)), 11017);
	cr_assert_eq(core_date_range_days(core_date_make(2024, 1, 1), core_date_make(2024, 1, 1)), 1);
	cr_assert_eq(core_date_range_days(core_date_make(2023, 12, 31), core_date_make(2024, 1, 1)), 2);
	cr_assert_eq(core_date_range_days(core_date_make(2024, 1, 1), core_date_make(2024, 12, 31)), 366);
	cr_assert_eq(core_date_range_days(core_date_make(2023, 1, 1), core_date_make(2023, 12, 31)), 365);
	cr_assert_eq(core_date_days_between(core_date_make(2024, 3, 1), core_date_make(2024, 2, 28)), -2);
	cr_assert_eq(core_date_range_days(core_date_make(2024, 1, 2), core_date_make(2024, 1, 1)), 0);

	/* every day from 1600 to 2400 round-trips and steps by one */
	core_date prev = core_date_from_days(core_date_to_days(core_date_make(1600, 1, 1)) - 1);
	for (int64_t z = core_date_to_days(core_date_make(1600, 1, 1));
	     z <= core_date_to_days(core_date_make(2400, 12, 31)); z++) {
		core_date d = core_date_from_days(z);

		if (!core_date_valid(d) || core_date_to_days(d) != z ||
		    core_date_compare(prev, d) >= 0)
			cr_assert_fail("day %lld -> %04d-%02d-%02d", (long long)z, d.y, d.m, d.d);
		prev = d;
	}
}

/* Hours: integer tenths; more than one decimal is an error */
Test(core, hours_parse_table)
{
	const struct { const char *s; int rc; int32_t v; } t[] = {
		{ "12", 0, 120 }, { "12.5", 0, 125 }, { "0.5", 0, 5 }, { "0", 0, 0 },
		{ "72.0", 0, 720 }, { "072", 0, 720 }, { "99999.9", 0, 999999 },
		{ "12.55", CORE_EINVAL, 0 }, { "", CORE_EINVAL, 0 }, { "-1", CORE_EINVAL, 0 },
		{ "1e3", CORE_EINVAL, 0 }, { "12.", CORE_EINVAL, 0 }, { ".5", CORE_EINVAL, 0 },
		{ " 1", CORE_EINVAL, 0 }, { "1 ", CORE_EINVAL, 0 }, { "abc", CORE_EINVAL, 0 },
		{ "1,5", CORE_EINVAL, 0 }, { "+1", CORE_EINVAL, 0 }, { "0x10", CORE_EINVAL, 0 },
		{ NULL, CORE_EINVAL, 0 },
		{ "100000", CORE_ERANGE, 0 },
		{ "99999999999999999999999", CORE_ERANGE, 0 },
		{ "99999999999999999999999.55", CORE_EINVAL, 0 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int32_t v = -7;
		int rc = core_hours_parse(&v, t[i].s);

		cr_expect_eq(rc, t[i].rc, "\"%s\": rc %d want %d", t[i].s ? t[i].s : "NULL", rc, t[i].rc);
		if (t[i].rc == 0)
			cr_expect_eq(v, t[i].v, "\"%s\": %d want %d", t[i].s, v, t[i].v);
		else
			cr_expect_eq(v, -7, "\"%s\": out written on error", t[i].s ? t[i].s : "NULL");
	}
}

/* JSON numbers arrive as doubles */
Test(core, hours_from_double_table)
{
	const struct { double v; int rc; int32_t t; } t[] = {
		{ 12.5, 0, 125 }, { 0.1, 0, 1 }, { 0.3, 0, 3 }, { 72, 0, 720 },
		{ 0.0, 0, 0 }, { -0.0, 0, 0 }, { 99999.9, 0, 999999 }, { 4.7, 0, 47 },
		{ 12.55, CORE_EINVAL, 0 }, { 0.05, CORE_EINVAL, 0 }, { 1.25, CORE_EINVAL, 0 },
		{ -1.0, CORE_ERANGE, 0 }, { -0.5, CORE_ERANGE, 0 }, { 100000.0, CORE_ERANGE, 0 },
		{ 1e300, CORE_ERANGE, 0 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int32_t v = -7;
		int rc = core_hours_from_double(&v, t[i].v);

		cr_expect_eq(rc, t[i].rc, "%g: rc %d want %d", t[i].v, rc, t[i].rc);
		if (t[i].rc == 0)
			cr_expect_eq(v, t[i].t, "%g: %d want %d", t[i].v, v, t[i].t);
	}
	int32_t v;
	cr_expect_eq(core_hours_from_double(&v, NAN), CORE_EINVAL);
	cr_expect_eq(core_hours_from_double(&v, INFINITY), CORE_EINVAL);
	cr_expect_eq(core_hours_from_double(&v, -INFINITY), CORE_EINVAL);
	/* every one-decimal value up to 1000 h survives the double path */
	for (int32_t t10 = 0; t10 <= 10000; t10++) {
		double d = t10 / 10.0;

		if (core_hours_from_double(&v, d) != 0 || v != t10)
			cr_assert_fail("%d tenths via %.17g", t10, d);
	}
}

Test(core, hours_format_always_one_decimal)
{
	char buf[CORE_HOURS_BUFSZ];
	const struct { int32_t t; const char *s; } t[] = {
		{ 125, "12.5" }, { 720, "72.0" }, { 0, "0.0" }, { 5, "0.5" },
		{ -40, "-4.0" }, { 999999, "99999.9" }, { 10, "1.0" },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		cr_assert_eq(core_hours_format(buf, sizeof buf, t[i].t), 0);
		cr_expect_str_eq(buf, t[i].s);
	}
	cr_expect_eq(core_hours_format(buf, 4, 725), CORE_ENOSPC);
	cr_expect_str_eq(buf, "");
	cr_expect_eq(core_hours_format(buf, 5, 725), 0);
	cr_expect_str_eq(buf, "72.5");
	cr_expect(core_hours_to_double(125) == 12.5);
	/* parse(format(x)) == x */
	for (int32_t x = 0; x <= 20000; x += 7) {
		int32_t y;

		cr_assert_eq(core_hours_format(buf, sizeof buf, x), 0);
		cr_assert_eq(core_hours_parse(&y, buf), 0);
		cr_assert_eq(y, x);
	}
}

/* one day = 6 hours; 12 days = 72 h, 7 days = 42 h */
Test(core, R4_days_to_hours_at_six)
{
	int32_t v;

	cr_assert_eq(core_hours_from_days(&v, 12), 0);
	cr_assert_eq(v, 720);
	cr_assert_eq(core_hours_from_days(&v, 7), 0);
	cr_assert_eq(v, 420);
	cr_assert_eq(core_hours_from_days(&v, 0), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(core_hours_from_days(&v, -1), CORE_ERANGE);
	cr_assert_eq(core_hours_from_days(&v, 16667), CORE_ERANGE);
	cr_assert_eq(core_hours_from_days(&v, 16666), 0);
}
