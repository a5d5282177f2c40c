/* test_reasons.c — the gateway's message catalogue (api/domain/reasons.c):
 * every reason code in both languages, and Accept-Language. Pure: no
 * database, no gateway. */
#include <criterion/criterion.h>

#include <string.h>

#include "reasons.h"

static core_reason reason(core_reason_code code, const char *rule, int year, int first,
                          int last)
{
	core_reason r;

	memset(&r, 0, sizeof r);
	r.code = code;
	r.rule = rule;
	r.year = year;
	r.first_year = first;
	r.last_year = last;
	return r;
}

static const char *msg(char buf[API_REASON_MSG_MAX], api_lang lang, core_reason r)
{
	cr_assert_eq(api_reason_message(buf, API_REASON_MSG_MAX, lang, &r), API_REASON_OK);
	return buf;
}

/* R-5 shortfalls with their figures, hours with one decimal */
Test(reasons, R5_shortfall_messages_with_figures)
{
	char b[API_REASON_MSG_MAX];
	core_reason r = reason(CORE_REASON_PUBLIC_SHORT, "R-5", 0, 0, 0);

	r.required = 240;
	r.earned = 200;
	r.shortfall = 40;
	cr_expect_str_eq(msg(b, API_LANG_ZH, r),
	                 "公共科目学时不足：要求 24.0 学时，已完成 20.0 学时，差 4.0 学时（R-5）");
	cr_expect_str_eq(msg(b, API_LANG_EN, r),
	                 "public hours short: 24.0 required, 20.0 earned, 4.0 missing (R-5)");
	r.year = 2021;
	cr_expect_str_eq(msg(b, API_LANG_ZH, r),
	                 "2021年公共科目学时不足：要求 24.0 学时，已完成 20.0 学时，差 4.0 学时（R-5）");
	cr_expect_str_eq(msg(b, API_LANG_EN, r),
	                 "2021: public hours short: 24.0 required, 20.0 earned, 4.0 missing (R-5)");
	r.code = CORE_REASON_PROFESSIONAL_SHORT;
	r.required = 480;
	r.earned = 375;
	r.shortfall = 105;
	cr_expect_str_eq(msg(b, API_LANG_ZH, r),
	                 "2021年专业科目学时不足：要求 48.0 学时，已完成 37.5 学时，差 10.5 学时（R-5）");
	cr_expect_str_eq(msg(b, API_LANG_EN, r),
	                 "2021: professional hours short: 48.0 required, 37.5 earned, 10.5 missing (R-5)");
}

/* the decisions' own reasons */
Test(reasons, R15_decision_messages)
{
	char b[API_REASON_MSG_MAX];
	core_reason r = reason(CORE_REASON_YEARS_NOT_COMPLIANT, "R-15", 0, 2019, 2023);

	r.count = 2;
	cr_expect_str_eq(msg(b, API_LANG_ZH, r), "2019—2023年中有 2 个年度学时未达标（R-15）");
	cr_expect_str_eq(msg(b, API_LANG_EN, r), "2 of the years 2019-2023 are not compliant (R-15)");
	r.count = 1;
	cr_expect_str_eq(msg(b, API_LANG_EN, r), "1 of the years 2019-2023 is not compliant (R-15)");
	cr_expect_str_eq(msg(b, API_LANG_EN, reason(CORE_REASON_YEAR_COMPLIANT, "R-15", 2022, 2022,
	                                            2022)),
	                 "2022 is compliant (R-15)");
	cr_expect_str_eq(msg(b, API_LANG_ZH, reason(CORE_REASON_YEARS_COMPLIANT, "R-15", 0, 2020,
	                                            2022)),
	                 "2020—2022年各年度学时均已达标（R-15）");
	cr_expect_str_eq(msg(b, API_LANG_EN, reason(CORE_REASON_YEARS_COMPLIANT, "R-15", 0, 2020,
	                                            2022)),
	                 "every year from 2020 to 2022 is compliant (R-15)");
	cr_expect_str_eq(msg(b, API_LANG_EN, reason(CORE_REASON_NO_REQUIREMENT, "R-31", 2011, 2011,
	                                            2011)),
	                 "2011 carries no requirement (R-31)");
	cr_expect_str_eq(msg(b, API_LANG_EN, reason(CORE_REASON_NO_REQUIREMENT, "R-31", 0, 2010,
	                                            2012)),
	                 "the years 2010-2012 carry no requirement (R-31)");
	cr_expect_str_eq(msg(b, API_LANG_ZH, reason(CORE_REASON_NO_REQUIREMENT, "R-31", 0, 2010,
	                                            2012)),
	                 "2010—2012年无学时要求（R-31）");
	cr_expect_str_eq(msg(b, API_LANG_EN, reason(CORE_REASON_ASSESSMENT_MISSING, "R-8", 0, 2016,
	                                            2020)),
	                 "no passed cycle assessment recorded for the cycle 2016-2020 (R-8)");
	cr_expect_str_eq(msg(b, API_LANG_ZH, reason(CORE_REASON_NO_YEAR_TO_EXAMINE, "R-15", 0, 2024,
	                                            2023)),
	                 "尚无需审查的年度（R-15）");
	/* no rule: no parenthesis */
	cr_expect_str_eq(msg(b, API_LANG_EN, reason(CORE_REASON_YEAR_NOT_COMPLIANT, NULL, 2021, 2021,
	                                            2021)),
	                 "2021 is not compliant");
}

/* Every code has a message in both languages, each distinct, with the rule */
Test(reasons, every_code_in_both_languages)
{
	for (int c = 0; c < CORE_REASON_COUNT; c++) {
		char zh[API_REASON_MSG_MAX], en[API_REASON_MSG_MAX];
		core_reason r = reason((core_reason_code)c, "R-99", 2020, 2016, 2020);

		r.required = 999999;         /* the largest figures fit */
		r.earned = 999999;
		r.shortfall = 999999;
		r.count = 99;
		cr_assert_eq(api_reason_message(zh, sizeof zh, API_LANG_ZH, &r), API_REASON_OK,
		             "%s", core_reason_code_name(r.code));
		cr_assert_eq(api_reason_message(en, sizeof en, API_LANG_EN, &r), API_REASON_OK,
		             "%s", core_reason_code_name(r.code));
		cr_expect_neq(strlen(zh), 0u);
		cr_expect_neq(strlen(en), 0u);
		cr_expect_str_neq(zh, en);
		cr_expect_not_null(strstr(zh, "（R-99）"), "%s", zh);
		cr_expect_not_null(strstr(en, " (R-99)"), "%s", en);
		for (int d = 0; d < c; d++) {
			char other[API_REASON_MSG_MAX];
			core_reason o = r;

			o.code = (core_reason_code)d;
			cr_assert_eq(api_reason_message(other, sizeof other, API_LANG_EN, &o), 0);
			cr_expect_str_neq(other, en, "codes %d and %d read alike", c, d);
		}
	}
}

Test(reasons, refuses_bad_arguments_and_small_buffers)
{
	char b[API_REASON_MSG_MAX];
	core_reason r = reason(CORE_REASON_COUNT, "R-15", 2020, 2020, 2020);

	cr_expect_eq(api_reason_message(b, sizeof b, API_LANG_ZH, &r), API_REASON_EINVAL);
	r.code = CORE_REASON_YEAR_COMPLIANT;
	cr_expect_eq(api_reason_message(b, sizeof b, API_LANG_COUNT, &r), API_REASON_EINVAL);
	cr_expect_eq(api_reason_message(NULL, 10, API_LANG_ZH, &r), API_REASON_EINVAL);
	cr_expect_eq(api_reason_message(b, sizeof b, API_LANG_ZH, NULL), API_REASON_EINVAL);
	/* never a cut UTF-8 character: empty on ENOSPC */
	cr_expect_eq(api_reason_message(b, 8, API_LANG_ZH, &r), API_REASON_ENOSPC);
	cr_expect_str_eq(b, "");
	cr_expect_eq(api_reason_message(b, 0, API_LANG_ZH, &r), API_REASON_ENOSPC);
}

/* RFC 9110 Accept-Language: q-values, zh* and en* ranges, default zh */
Test(reasons, accept_language_negotiation)
{
	const struct { const char *h; api_lang want; } t[] = {
		{ NULL, API_LANG_ZH }, { "", API_LANG_ZH }, { "*", API_LANG_ZH },
		{ "fr", API_LANG_ZH }, { "de-DE, fr;q=0.5", API_LANG_ZH },
		{ "zh", API_LANG_ZH }, { "zh-CN", API_LANG_ZH }, { "zh-Hans", API_LANG_ZH },
		{ "zh-Hans-CN", API_LANG_ZH }, { "ZH-cn", API_LANG_ZH }, { "zh-TW", API_LANG_ZH },
		{ "en", API_LANG_EN }, { "en-US", API_LANG_EN }, { "EN-gb", API_LANG_EN },
		{ "en-US,en;q=0.9,zh-CN;q=0.8", API_LANG_EN },
		{ "zh-CN,zh;q=0.9,en;q=0.8", API_LANG_ZH },
		{ "fr;q=1, en;q=0.5", API_LANG_EN },
		{ "zh;q=0, en;q=0.1", API_LANG_EN },
		{ "zh;q=0", API_LANG_EN },                 /* Chinese refused */
		{ "en;q=0", API_LANG_ZH },
		{ "en;q=0, *", API_LANG_ZH },
		{ "zh;q=0, *;q=0.5", API_LANG_EN },
		{ "*;q=0.5, en;q=0.4", API_LANG_ZH },      /* zh takes the wildcard's 0.5 */
		{ "*;q=0", API_LANG_ZH },                  /* nothing acceptable: default */
		{ "en;q=0.8, zh;q=0.8", API_LANG_EN },     /* tie: the first listed */
		{ "zh;q=0.8, en;q=0.8", API_LANG_ZH },
		{ " en ; q=0.5 ", API_LANG_EN },           /* optional whitespace */
		{ "en;q=1.000", API_LANG_EN }, { "en;Q=0.001", API_LANG_EN },
		{ "en;q=2", API_LANG_ZH }, { "en;q=1.001", API_LANG_ZH },   /* malformed q: ignored */
		{ "en;q=0.5555", API_LANG_ZH }, { "en;q=", API_LANG_ZH }, { "en;q", API_LANG_ZH },
		{ "en;q=.5", API_LANG_ZH }, { "zh;q=0.1, en;q=x", API_LANG_ZH },
		{ "eng", API_LANG_ZH }, { "e", API_LANG_ZH }, { ",,en,,", API_LANG_EN },
		{ "zh-*", API_LANG_ZH }, { "en;q=0.2;level=1", API_LANG_EN },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		cr_expect_eq(api_lang_negotiate(t[i].h), t[i].want, "case %zu: \"%s\"", i,
		             t[i].h ? t[i].h : "(null)");
	cr_expect_str_eq(api_lang_tag(API_LANG_ZH), "zh-CN");
	cr_expect_str_eq(api_lang_tag(API_LANG_EN), "en");
}
