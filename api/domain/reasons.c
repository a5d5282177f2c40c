/* reasons.c — the message catalogue of core's reasons, Chinese and English */
#include "reasons.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core_hours.h"

/* ---- Accept-Language ---- */

/* A qvalue (RFC 9110 §12.4.2): 0[.ddd] or 1[.000], in thousandths; -1 when
 * malformed. */
static int qvalue(const char *s, size_t len)
{
	int v, digits = 0;

	if (len == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	v = (s[0] - '0') * 1000;
	if (len == 1)
		return v;
	if (s[1] != '.' || len > 5)
		return -1;
	for (size_t i = 2; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v += (s[i] - '0') * (digits == 0 ? 100 : digits == 1 ? 10 : 1);
		digits++;
	}
	return v <= 1000 ? v : -1;
}

static bool ows(char c)
{
	return c == ' ' || c == '\t';
}

/* One element "range[;q=v]" of [s, end): which language (API_LANG_COUNT for
 * "*", -1 unknown or malformed) and its weight. */
static int lang_element(const char *s, const char *end, int *weight)
{
	const char *t, *p, *dash;
	size_t primary;
	int lang;

	while (s < end && ows(*s))
		s++;
	for (t = s; t < end && (isalnum((unsigned char)*t) || *t == '-' || *t == '*'); t++)
		;
	if (t == s)
		return -1;
	dash = memchr(s, '-', (size_t)(t - s));
	primary = (size_t)((dash != NULL ? dash : t) - s);
	if (t - s == 1 && *s == '*')
		lang = API_LANG_COUNT;
	else if (primary == 2 && strncasecmp(s, "zh", 2) == 0)
		lang = API_LANG_ZH;
	else if (primary == 2 && strncasecmp(s, "en", 2) == 0)
		lang = API_LANG_EN;
	else
		lang = -1;
	*weight = 1000;
	/* parameters: ";" OWS name "=" value; only q matters */
	for (p = t; p < end;) {
		const char *name, *val, *next;

		while (p < end && ows(*p))
			p++;
		if (p == end)
			break;
		if (*p != ';')
			return -1;
		p++;
		while (p < end && ows(*p))
			p++;
		name = p;
		next = memchr(p, ';', (size_t)(end - p));
		if (next == NULL)
			next = end;
		val = memchr(p, '=', (size_t)(next - p));
		if (val == NULL)
			return -1;
		if (val - name == 1 && (*name == 'q' || *name == 'Q')) {
			const char *ve = next;

			while (ve > val + 1 && ows(ve[-1]))
				ve--;
			*weight = qvalue(val + 1, (size_t)(ve - val - 1));
			if (*weight < 0)
				return -1;
		}
		p = next;
	}
	return lang;
}

api_lang api_lang_negotiate(const char *h)
{
	int q[API_LANG_COUNT + 1], pos[API_LANG_COUNT + 1];
	int index = 0;

	for (int i = 0; i <= API_LANG_COUNT; i++)
		q[i] = -1, pos[i] = 0;
	if (h == NULL)
		return API_LANG_ZH;
	for (const char *p = h; *p != '\0'; index++) {
		const char *end = strchr(p, ',');
		int w, lang;

		if (end == NULL)
			end = p + strlen(p);
		lang = lang_element(p, end, &w);
		if (lang >= 0 && w > q[lang]) {
			q[lang] = w;
			pos[lang] = index;
		}
		p = *end != '\0' ? end + 1 : end;
	}
	/* a language not named takes the wildcard's weight */
	for (int i = 0; i < API_LANG_COUNT; i++) {
		if (q[i] < 0 && q[API_LANG_COUNT] >= 0) {
			q[i] = q[API_LANG_COUNT];
			pos[i] = pos[API_LANG_COUNT];
		}
	}
	if (q[API_LANG_ZH] <= 0 && q[API_LANG_EN] <= 0)
		return q[API_LANG_ZH] == 0 && q[API_LANG_EN] < 0 ? API_LANG_EN : API_LANG_ZH;
	if (q[API_LANG_EN] != q[API_LANG_ZH])
		return q[API_LANG_EN] > q[API_LANG_ZH] ? API_LANG_EN : API_LANG_ZH;
	return pos[API_LANG_EN] < pos[API_LANG_ZH] ? API_LANG_EN : API_LANG_ZH;
}

const char *api_lang_tag(api_lang lang)
{
	return lang == API_LANG_EN ? "en" : "zh-CN";
}

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
