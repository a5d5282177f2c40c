/*
 * reasons.h — the message catalogue: core's reasons (core_reason.h) as
 * messages in Chinese or English (the language: render/lang.h).
 *
 * Plain C, no JSON: the caller puts the code (core_reason_code_name), the
 * figures and the message into its answer. Every code has a message in every
 * language.
 */
#ifndef JXJY_API_REASONS_H
#define JXJY_API_REASONS_H

#include <stddef.h>

#include "core_reason.h"
#include "render/lang.h"

/* api_reason_message results */
enum {
	API_REASON_OK = 0,
	API_REASON_EINVAL = -1,   /* NULL argument, unknown code or language */
	API_REASON_ENOSPC = -2,   /* buffer too small */
};

/* Always enough for api_reason_message. */
#define API_REASON_MSG_MAX 256

/* Render one reason in `lang` into buf, with its figures (hours with one
 * decimal) and its rule, e.g. "2021年公共科目学时不足：要求 24.0 学时，已完成
 * 20.0 学时，差 4.0 学时（R-5）" or "2021: public hours short: 24.0 required,
 * 20.0 earned, 4.0 missing (R-5)" (no year prefix when the reason's year is
 * 0). API_REASON_OK; API_REASON_EINVAL; API_REASON_ENOSPC (buf then holds ""
 * when n > 0: never a cut character). */
int api_reason_message(char *buf, size_t n, api_lang lang, const core_reason *r);

#endif /* JXJY_API_REASONS_H */
