/*
 * reasons.h — the message catalogue: core's reasons (core_reason.h) as
 * messages in Chinese or English, and the language of an answer from
 * Accept-Language (RFC 9110 §12.5.4).
 *
 * Plain C, no JSON: the caller puts the code (core_reason_code_name), the
 * figures and the message into its answer. Every code has a message in every
 * language.
 */
#ifndef JXJY_API_REASONS_H
#define JXJY_API_REASONS_H

#include <stddef.h>

#include "core_reason.h"

typedef enum api_lang {
	API_LANG_ZH = 0,   /* zh-CN, the default */
	API_LANG_EN,       /* en */
	API_LANG_COUNT
} api_lang;

/* api_reason_message results */
enum {
	API_REASON_OK = 0,
	API_REASON_EINVAL = -1,   /* NULL argument, unknown code or language */
	API_REASON_ENOSPC = -2,   /* buffer too small */
};

/* Always enough for api_reason_message. */
#define API_REASON_MSG_MAX 256

/* The language to answer in for an Accept-Language header value (NULL:
 * absent). Ranges are weighed by their q-values (default 1; q=0 means not
 * acceptable; a range with a malformed q is ignored); any zh range (zh,
 * zh-CN, zh-Hans, ...) selects Chinese, any en range (en, en-US, ...)
 * English, "*" whatever is not named otherwise. The higher weight wins, on a
 * tie the range listed first. Nothing acceptable or nothing known: Chinese,
 * unless Chinese alone was refused (zh;q=0), then English. */
api_lang api_lang_negotiate(const char *accept_language);

/* The Content-Language tag of `lang`: "zh-CN" or "en" (static storage;
 * "zh-CN" for a value out of range). */
const char *api_lang_tag(api_lang lang);

/* Render one reason in `lang` into buf, with its figures (hours with one
 * decimal) and its rule, e.g. "2021年公共科目学时不足：要求 24.0 学时，已完成
 * 20.0 学时，差 4.0 学时（R-5）" or "2021: public hours short: 24.0 required,
 * 20.0 earned, 4.0 missing (R-5)" (no year prefix when the reason's year is
 * 0). API_REASON_OK; API_REASON_EINVAL; API_REASON_ENOSPC (buf then holds ""
 * when n > 0: never a cut character). */
int api_reason_message(char *buf, size_t n, api_lang lang, const core_reason *r);

#endif /* JXJY_API_REASONS_H */
