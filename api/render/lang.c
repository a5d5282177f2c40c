/* lang.c — the language of an answer from Accept-Language (RFC 9110 §12.5.4) */
#include "lang.h"

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

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


int api_lang_parse(const char *v)
{
	if (!v)
		return -1;
	if (strcasecmp(v, "zh-CN") == 0 || strcasecmp(v, "zh") == 0)
		return API_LANG_ZH;
	if (strcasecmp(v, "en") == 0)
		return API_LANG_EN;
	return -1;
}
