/* reasons.c — the message catalogue of core's reasons, Chinese and English */
#include "reasons.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core_hours.h"

/* ---- messages ---- */

/* The years a reason is about: "2021" or "2019-2023" (zh: "2019—2023"). */
static void span(char *buf, size_t n, api_lang lang, const core_reason *r)
{
	if (r->first_year != 0 && r->last_year != 0 && r->first_year != r->last_year)
		snprintf(buf, n, lang == API_LANG_ZH ? "%d—%d" : "%d-%d", r->first_year,
		         r->last_year);
	else
		snprintf(buf, n, "%d", r->year != 0 ? r->year : r->first_year);
}

static bool is_range(const core_reason *r)
{
	return r->first_year != 0 && r->last_year != 0 && r->first_year != r->last_year;
}

/* The R-5 shortfall messages, with the year first when there is one. */
static int shortfall(char *buf, size_t n, api_lang lang, const core_reason *r, const char *rule)
{
	char req[CORE_HOURS_BUFSZ], got[CORE_HOURS_BUFSZ], miss[CORE_HOURS_BUFSZ], year[16] = "";
	bool pub = r->code == CORE_REASON_PUBLIC_SHORT;

	(void)core_hours_format(req, sizeof req, r->required);
	(void)core_hours_format(got, sizeof got, r->earned);
	(void)core_hours_format(miss, sizeof miss, r->shortfall);
	if (lang == API_LANG_ZH) {
		if (r->year != 0)
			snprintf(year, sizeof year, "%d年", r->year);
		return snprintf(buf, n, "%s%s学时不足：要求 %s 学时，已完成 %s 学时，差 %s 学时%s",
		                year, pub ? "公共科目" : "专业科目", req, got, miss, rule);
	}
	if (r->year != 0)
		snprintf(year, sizeof year, "%d: ", r->year);
	return snprintf(buf, n, "%s%s hours short: %s required, %s earned, %s missing%s", year,
	                pub ? "public" : "professional", req, got, miss, rule);
}

static int message_zh(char *buf, size_t n, const core_reason *r, const char *y, const char *rule)
{
	switch (r->code) {
	case CORE_REASON_PUBLIC_SHORT:
	case CORE_REASON_PROFESSIONAL_SHORT:
		return shortfall(buf, n, API_LANG_ZH, r, rule);
	case CORE_REASON_YEAR_NOT_COMPLIANT:
		return snprintf(buf, n, "%s年学时未达标%s", y, rule);
	case CORE_REASON_YEARS_NOT_COMPLIANT:
		return snprintf(buf, n, "%s年中有 %d 个年度学时未达标%s", y, r->count, rule);
	case CORE_REASON_NO_YEAR_TO_EXAMINE:
		return snprintf(buf, n, "尚无需审查的年度%s", rule);
	case CORE_REASON_YEARS_COMPLIANT:
		return snprintf(buf, n, "%s年各年度学时均已达标%s", y, rule);
	case CORE_REASON_YEAR_COMPLIANT:
		return snprintf(buf, n, "%s年学时已达标%s", y, rule);
	case CORE_REASON_NO_REQUIREMENT:
		return snprintf(buf, n, "%s年无学时要求%s", y, rule);
	case CORE_REASON_ASSESSMENT_MISSING:
		return snprintf(buf, n, "%s年周期未记录合格的周期考核%s", y, rule);
	case CORE_REASON_CYCLE_COMPLETE:
		return snprintf(buf, n, "%s年周期各年度学时均已达标且周期考核合格%s", y, rule);
	case CORE_REASON_COUNT:
		break;
	}
	return -1;
}

static int message_en(char *buf, size_t n, const core_reason *r, const char *y, const char *rule)
{
	switch (r->code) {
	case CORE_REASON_PUBLIC_SHORT:
	case CORE_REASON_PROFESSIONAL_SHORT:
		return shortfall(buf, n, API_LANG_EN, r, rule);
	case CORE_REASON_YEAR_NOT_COMPLIANT:
		return snprintf(buf, n, "%s is not compliant%s", y, rule);
	case CORE_REASON_YEARS_NOT_COMPLIANT:
		return snprintf(buf, n, "%d of the years %s %s not compliant%s", r->count, y,
		                r->count == 1 ? "is" : "are", rule);
	case CORE_REASON_NO_YEAR_TO_EXAMINE:
		return snprintf(buf, n, "no year to examine yet%s", rule);
	case CORE_REASON_YEARS_COMPLIANT:
		return snprintf(buf, n, "every year from %d to %d is compliant%s", r->first_year,
		                r->last_year, rule);
	case CORE_REASON_YEAR_COMPLIANT:
		return snprintf(buf, n, "%s is compliant%s", y, rule);
	case CORE_REASON_NO_REQUIREMENT:
		return is_range(r) ? snprintf(buf, n, "the years %s carry no requirement%s", y, rule)
		                   : snprintf(buf, n, "%s carries no requirement%s", y, rule);
	case CORE_REASON_ASSESSMENT_MISSING:
		return snprintf(buf, n, "no passed cycle assessment recorded for the cycle %s%s", y,
		                rule);
	case CORE_REASON_CYCLE_COMPLETE:
		return snprintf(buf, n,
		                "every year of the cycle %s is compliant and the cycle assessment passed%s",
		                y, rule);
	case CORE_REASON_COUNT:
		break;
	}
	return -1;
}

int api_reason_message(char *buf, size_t n, api_lang lang, const core_reason *r)
{
	char y[32], rule[32] = "";
	int len;

	if (buf == NULL || r == NULL || (unsigned)lang >= (unsigned)API_LANG_COUNT ||
	    (unsigned)r->code >= (unsigned)CORE_REASON_COUNT)
		return API_REASON_EINVAL;
	span(y, sizeof y, lang, r);
	if (r->rule != NULL && r->rule[0] != '\0')
		snprintf(rule, sizeof rule, lang == API_LANG_ZH ? "（%s）" : " (%s)", r->rule);
	len = lang == API_LANG_ZH ? message_zh(buf, n, r, y, rule) : message_en(buf, n, r, y, rule);
	if (len < 0)
		return API_REASON_EINVAL;
	if ((size_t)len >= n) {
		if (n > 0)
			buf[0] = '\0';
		return API_REASON_ENOSPC;
	}
	return API_REASON_OK;
}
