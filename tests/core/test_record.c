/* test_record.c — record validation */
#include <criterion/criterion.h>

#include "test_util.h"

static core_record_input record(int year, core_date s, core_date e, int32_t hours)
{
	core_record_input in;

	memset(&in, 0, sizeof in);
	in.year = year;
	in.start_date = s;
	in.end_date = e;
	in.hours = hours;
	in.today = core_date_make(2024, 6, 15);
	return in;
}

static bool has(const core_error_list *l, const char *field, const char *code)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->e[i].field, field) == 0 && strcmp(l->e[i].code, code) == 0)
			return true;
	return false;
}

/* dates not in the future, year = end's year, 0 < hours <= 24 x days */
Test(core, R12_record_validation_table)
{
	const struct {
		const char *why; int year; core_date s, e; int32_t hours;
		const char *field, *code;
	} t[] = {
		{ "one day, 8 h", 2024, { 2024, 6, 1 }, { 2024, 6, 1 }, 80, NULL, NULL },
		{ "today is fine", 2024, { 2024, 6, 15 }, { 2024, 6, 15 }, 240, NULL, NULL },
		{ "24 h in one day", 2024, { 2024, 6, 1 }, { 2024, 6, 1 }, 240, NULL, NULL },
		{ "24.1 h in one day", 2024, { 2024, 6, 1 }, { 2024, 6, 1 }, 241, "hours", CORE_FE_TOO_MANY },
		{ "48 h over two days", 2024, { 2024, 5, 31 }, { 2024, 6, 1 }, 480, NULL, NULL },
		{ "48.1 h over two days", 2024, { 2024, 5, 31 }, { 2024, 6, 1 }, 481, "hours", CORE_FE_TOO_MANY },
		{ "0 h", 2024, { 2024, 6, 1 }, { 2024, 6, 1 }, 0, "hours", CORE_FE_OUT_OF_RANGE },
		{ "0.1 h", 2024, { 2024, 6, 1 }, { 2024, 6, 1 }, 1, NULL, NULL },
		{ "negative h", 2024, { 2024, 6, 1 }, { 2024, 6, 1 }, -5, "hours", CORE_FE_OUT_OF_RANGE },
		{ "end tomorrow", 2024, { 2024, 6, 1 }, { 2024, 6, 16 }, 80, "end_date", CORE_FE_IN_FUTURE },
		{ "year mismatch", 2023, { 2023, 12, 30 }, { 2024, 1, 2 }, 80, "year", CORE_FE_MISMATCH },
		{ "spanning years, end's year", 2024, { 2023, 12, 30 }, { 2024, 1, 2 }, 80, NULL, NULL },
		{ "end before start", 2024, { 2024, 6, 2 }, { 2024, 6, 1 }, 80, "end_date", CORE_FE_BEFORE_START },
		{ "unreal start", 2024, { 2023, 2, 29 }, { 2024, 6, 1 }, 80, "start_date", CORE_FE_INVALID },
		{ "unreal end", 2024, { 2024, 6, 1 }, { 2024, 6, 31 }, 80, "end_date", CORE_FE_INVALID },
		{ "over NUMERIC(6,1)", 2024, { 2000, 1, 1 }, { 2024, 6, 1 }, CORE_HOURS_MAX + 1, "hours", CORE_FE_OUT_OF_RANGE },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		core_record_input in = record(t[i].year, t[i].s, t[i].e, t[i].hours);
		core_error_list l;
		int rc;

		core_error_list_init(&l);
		rc = core_record_validate(&l, &in);
		if (t[i].field == NULL) {
			cr_expect_eq(rc, 0, "R-12 %s: %s", t[i].why, l.n ? l.e[0].message : "");
			cr_expect_eq(l.n, 0u, "R-12 %s", t[i].why);
		} else {
			cr_expect_eq(rc, CORE_EINVAL, "R-12 %s", t[i].why);
			cr_expect(has(&l, t[i].field, t[i].code), "R-12 %s: %s/%s", t[i].why,
			          l.n ? l.e[0].field : "-", l.n ? l.e[0].code : "-");
			cr_expect_eq(l.n, 1u, "R-12 %s: %zu errors", t[i].why, l.n);
		}
	}
}

/* The API lists every failing field at once */
Test(core, R12_record_collects_every_error)
{
	core_record_input in = record(2023, core_date_make(2024, 7, 2), core_date_make(2024, 7, 1), 0);
	core_error_list l;

	in.category = "private";
	in.form = "seminar";
	in.class_type = "evening";
	core_error_list_init(&l);
	cr_assert_eq(core_record_validate(&l, &in), CORE_EINVAL);
	cr_expect(has(&l, "start_date", CORE_FE_IN_FUTURE));
	cr_expect(has(&l, "end_date", CORE_FE_BEFORE_START));
	cr_expect(has(&l, "end_date", CORE_FE_IN_FUTURE));
	cr_expect(has(&l, "year", CORE_FE_MISMATCH));
	cr_expect(has(&l, "hours", CORE_FE_OUT_OF_RANGE));
	cr_expect(has(&l, "category", CORE_FE_INVALID));
	cr_expect(has(&l, "form", CORE_FE_INVALID));
	cr_expect(has(&l, "class_type", CORE_FE_INVALID));
	cr_expect_eq(l.n, 8u);
	cr_expect_eq(core_record_validate(NULL, &in), CORE_EINVAL);
	in.today = core_date_make(2024, 2, 30);
	core_error_list_init(&l);
	cr_expect_eq(core_record_validate(&l, &in), CORE_EINVAL);
	cr_expect(has(&l, "today", CORE_FE_INVALID));
}

/* R-10/R-11/R-9c: enumerated fields, incl. a conversion kind the city added */
Test(core, R10_R11_record_form_and_class_type)
{
	core_rule_set rs;
	core_record_input in = record(2024, core_date_make(2024, 3, 1), core_date_make(2024, 3, 3), 180);
	core_error_list l;

	core_rules_city_2013(&rs);
	cr_assert_eq(core_rules_kind_put(&rs, "translation", 50, 100, CORE_CAT_PROFESSIONAL), 0);
	in.category = "professional";
	in.class_type = "part_time";
	const char *ok_forms[] = { "training_class", "overseas_training", "academic_exchange",
	                           "degree_education", "remote_education", "online_education",
	                           "paper_provincial", "award_national" };
	for (size_t i = 0; i < sizeof ok_forms / sizeof ok_forms[0]; i++) {
		in.form = ok_forms[i];
		cr_expect_eq(core_record_validate(NULL, &in), 0, "%s", ok_forms[i]);
	}
	in.form = "translation";
	cr_expect_eq(core_record_validate(NULL, &in), CORE_EINVAL);   /* no rule set given */
	in.rules = &rs;
	cr_expect_eq(core_record_validate(NULL, &in), 0);
	in.class_type = "Online";
	core_error_list_init(&l);
	cr_expect_eq(core_record_validate(&l, &in), CORE_EINVAL);
	cr_expect(has(&l, "class_type", CORE_FE_INVALID));
}

/* base completions start verified when the rule set says so; unit
 * registrations and achievements always need a reviewer */
Test(core, R14_initial_status_by_source)
{
	core_rule_set rs;
	core_record_status s;

	core_rules_city_2013(&rs);
	cr_assert_eq(core_record_initial_status(&s, &rs, CORE_SOURCE_BASE), 0);
	cr_expect_eq(s, CORE_RECORD_VERIFIED);
	cr_assert_eq(core_record_initial_status(&s, &rs, CORE_SOURCE_UNIT), 0);
	cr_expect_eq(s, CORE_RECORD_REGISTERED);
	cr_assert_eq(core_record_initial_status(&s, &rs, CORE_SOURCE_ACHIEVEMENT), 0);
	cr_expect_eq(s, CORE_RECORD_REGISTERED);
	rs.auto_verify_base_completions = false;
	cr_assert_eq(core_record_initial_status(&s, &rs, CORE_SOURCE_BASE), 0);
	cr_expect_eq(s, CORE_RECORD_REGISTERED);
	cr_expect_eq(core_record_initial_status(&s, &rs, CORE_SOURCE_COUNT), CORE_EINVAL);
}
