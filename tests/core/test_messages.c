/*
 * The catalogue of the API's texts (api/render/messages.c; issue 12, API.md
 * "Language"): every key is its own key, both languages have the same
 * variable parts, lookups by number, quoted part, label and tail.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "messages.h"

/* the variable parts of a text of the catalogue: "{}" and, in Chinese, "{L}" */
static int holes(const char *s)
{
	int n = 0;
	for (const char *p = s; (p = strchr(p, '{')); p++)
		n += p[1] == '}' || (p[1] == 'L' && p[2] == '}');
	return n;
}

static bool has_cjk(const char *s)
{
	/* UTF-8 of U+4E00..U+9FFF starts with 0xE4..0xE9 */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0xE4 && *p <= 0xE9)
			return true;
	return false;
}

Test(messages, every_key_is_its_own_key_with_the_same_parts_in_chinese)
{
	const char *en, *zh, *prev = NULL;
	size_t i = 0;
	char key[API_MSG_MAX];
	for (; api_msg_entry(i, &en, &zh); i++) {
		cr_assert(api_msg_key(en, key, sizeof key), "%s", en);
		cr_expect_str_eq(key, en, "entry %zu: a number or quote outside \"{}\"", i);
		cr_expect_eq(holes(en), holes(zh), "%s | %s", en, zh);
		cr_expect(has_cjk(zh), "not Chinese: %s", zh);
		if (prev)
			cr_expect(strcmp(prev, en) < 0, "twice: %s", en);
		prev = en;
	}
	cr_expect(i > 300, "the catalogue holds %zu entries", i);
}

static void expect_zh(const char *en, const char *want)
{
	char buf[API_MSG_MAX], key[API_MSG_MAX];
	cr_expect(api_msg_translate(API_LANG_ZH, en, buf, sizeof buf, key, sizeof key), "%s (key %s)", en, key);
	cr_expect_str_eq(buf, want);
}

Test(messages, numbers_quotes_labels_and_tails_find_their_entries)
{
	expect_zh("a password of 12 to 256 characters is required", "密码须为 12 至 256 个字符");
	expect_zh("unknown query parameter \"bogus\"", "未知的查询参数“bogus”");
	/* a field's name stays as it is, a status is shown as its label */
	expect_zh("unknown field \"unit\"", "未知字段“unit”");
	expect_zh("the record is \"verified\": it cannot be \"revoked\"",
	          "学时记录状态为“已验证”，不能变为“已撤销”");
	expect_zh("the \"project\" has changed since it was read", "该项目在读取后已被修改");
	/* what follows ": " as one part; the first word as one part */
	expect_zh("management systems not in place: fee_management, effect_tracking",
	          "以下管理制度尚未建立：fee_management, effect_tracking");
	expect_zh("paper_national hours must be from 15.0 to 20.0, got 21.0",
	          "paper_national的学时须在 15.0 至 20.0 之间，实际为 21.0");
	expect_zh("the person had left service on that date (R-31)", "该人员在该日期已离职（R-31）");
	expect_zh("Not found", "未找到");
}

Test(messages, english_stays_and_a_missing_text_is_told)
{
	char buf[API_MSG_MAX], key[API_MSG_MAX];
	cr_expect(api_msg_translate(API_LANG_EN, "unknown field \"x\"", buf, sizeof buf, key, sizeof key));
	cr_expect_str_eq(buf, "unknown field \"x\"");
	cr_expect_not(api_msg_translate(API_LANG_ZH, "no such text in 2026 \"anywhere\"", buf, sizeof buf,
	                                key, sizeof key));
	cr_expect_str_eq(buf, "no such text in 2026 \"anywhere\"", "the English is kept");
	cr_expect_str_eq(key, "no such text in {} \"{}\"");
}
