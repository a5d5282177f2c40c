/*
 * messages.h — the message catalogue of the API's own texts (issue 12,
 * API.md "Language"): every problem's title and detail and every
 * errors[].message is written in English in the code and answered in
 * Chinese (zh-CN, the default) or English by Accept-Language.
 *
 * The catalogue (messages.def) is keyed by the English text with its
 * variable parts as "{}": a run of digits (12, 2021, 4.5) and the content
 * of a double-quoted part ("bogus") — so "unknown query parameter \"x\""
 * and "a password of 12 to 256 characters is required" find their entries
 * "unknown query parameter \"{}\"" and "a password of {} to {} characters
 * is required", and the Chinese text gets the same parts in the same order.
 */
#ifndef JXJY_API_MESSAGES_H
#define JXJY_API_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "lang.h"

/* The longest message translated (longer ones stay as they are). */
#define API_MSG_MAX 512

/* Writes en in lang into buf (n bytes, at least API_MSG_MAX): en itself for
 * English; its catalogue text for Chinese.  Returns false, with en copied,
 * when the catalogue has no entry for it (key then holds the catalogue key
 * that was looked for, when key is not NULL: for the log). */
bool api_msg_translate(api_lang lang, const char *en, char *buf, size_t n, char *key, size_t keyn);

/* The catalogue key of en ("{}" for its variable parts) into key; false when
 * it does not fit. */
bool api_msg_key(const char *en, char *key, size_t n);

/* The Chinese label of an enumeration's code ("senior_full" → 正高级,
 * "verified" → 已验证); NULL when there is none. */
const char *api_msg_label(const char *code);
/* The Chinese header of a CSV column ("national_id" → 身份证号); NULL when
 * there is none. */
const char *api_msg_header(const char *column);

/* Every entry, for the catalogue's tests: i from 0 while it returns true. */
bool api_msg_entry(size_t i, const char **en_key, const char **zh);

#endif
