/*
 * lang.h — the languages of the API's texts (API.md "Language": Chinese by
 * default, English on request) and the choice of one from Accept-Language
 * (RFC 9110 §12.5.4).  Plain C.
 */
#ifndef JXJY_API_LANG_H
#define JXJY_API_LANG_H

typedef enum api_lang {
	API_LANG_ZH = 0,   /* zh-CN, the default */
	API_LANG_EN,       /* en */
	API_LANG_COUNT
} api_lang;

/* The language to answer in for an Accept-Language header value (NULL:
 * absent). Ranges are weighed by their q-values (default 1; q=0 means not
 * acceptable; a range with a malformed q is ignored); any zh range (zh,
 * zh-CN, zh-Hans, ...) selects Chinese, any en range (en, en-US, ...)
 * English, "*" whatever is not named otherwise. The higher weight wins, on a
 * tie the range listed first. Nothing acceptable or nothing known: Chinese,
 * unless Chinese alone was refused (zh;q=0), then English. */
api_lang api_lang_negotiate(const char *accept_language);

/* The language a ?lang= value names: "zh-CN" or "zh" Chinese, "en"
 * English (case-insensitive); -1 for anything else. */
int api_lang_parse(const char *value);

/* The Content-Language tag of `lang`: "zh-CN" or "en" (static storage;
 * "zh-CN" for a value out of range). */
const char *api_lang_tag(api_lang lang);

#endif
