/*
 * Chinese first (issue 12, API.md "Language"): problem titles, details and
 * errors[].message are Chinese by default and English for
 * Accept-Language: en; type, code and field never change; Content-Language
 * says which, Vary: Accept-Language that it depends on the header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "testlib.h"

static bool has_cjk(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		if (*p >= 0xE4 && *p <= 0xE9)
			return true;
	return false;
}

static t_resp get_in(const char *lang, const char *path, const char *token)
{
	char h[96];
	const char *extra[] = { h, NULL };
	if (!lang) {
		t_accept_language = NULL;
		t_resp r = t_http("GET", path, token, NULL, NULL, 0);
		t_accept_language = "en";
		return r;
	}
	snprintf(h, sizeof h, "Accept-Language: %s", lang);
	return t_http("GET", path, token, extra, NULL, 0);
}

Test(language, problems_are_chinese_by_default_and_english_on_request)
{
	char *tok = t_token("city_bureau", NULL);
	t_resp zh = get_in(NULL, "/v1/no-such-thing", tok);
	t_resp en = get_in("en", "/v1/no-such-thing", tok);
	t_resp fr = get_in("fr, en;q=0.5", "/v1/no-such-thing", tok);
	cr_assert(t_is_problem(&zh, 404) && t_is_problem(&en, 404) && t_is_problem(&fr, 404));
	cr_expect_str_eq(t_str(&zh, "title"), "未找到");
	cr_expect_str_eq(t_str(&zh, "detail"), "此路径下没有资源");
	cr_expect_str_eq(t_str(&en, "detail"), "no resource at this path");
	cr_expect_str_eq(t_str(&fr, "detail"), "no resource at this path", "English is acceptable, French is not known");
	cr_expect_str_eq(t_str(&zh, "type"), t_str(&en, "type"), "the type never changes");
	cr_expect_str_eq(t_header(&zh, "Content-Language"), "zh-CN");
	cr_expect_str_eq(t_header(&en, "Content-Language"), "en");
	const char *vary = t_header(&zh, "Vary");
	cr_expect(vary && strstr(vary, "Accept-Language"), "Vary: %s", vary ? vary : "(none)");
	t_resp_free(&zh);
	t_resp_free(&en);
	t_resp_free(&fr);
	free(tok);
}

Test(language, field_errors_keep_field_and_code_and_translate_the_message)
{
	char *tok = t_token("city_bureau", NULL);
	const char *body = "{\"login\":\"x\",\"password\":\"short\",\"role\":\"nobody\",\"bogus\":1}";
	const char *zh_h[] = { "Content-Type: application/json", "Accept-Language: zh-CN", NULL };
	t_resp zh = t_http("POST", "/v1/accounts", tok, zh_h, body, strlen(body));
	t_resp en = t_post_json("/v1/accounts", tok, body);
	cr_assert(t_is_problem(&zh, 422) && t_is_problem(&en, 422), "%d %s", zh.status, zh.body);
	json_t *ez = json_object_get(zh.json, "errors"), *ee = json_object_get(en.json, "errors");
	cr_assert_eq(json_array_size(ez), json_array_size(ee));
	cr_assert(json_array_size(ez) > 0);
	size_t i;
	json_t *e;
	json_array_foreach(ez, i, e) {
		json_t *f = json_array_get(ee, i);
		cr_expect_str_eq(json_string_value(json_object_get(e, "field")),
		                 json_string_value(json_object_get(f, "field")));
		cr_expect_str_eq(json_string_value(json_object_get(e, "code")),
		                 json_string_value(json_object_get(f, "code")));
		const char *m = json_string_value(json_object_get(e, "message"));
		cr_expect(has_cjk(m), "errors[%zu].message in Chinese: %s", i, m);
		cr_expect(!has_cjk(json_string_value(json_object_get(f, "message"))));
	}
	/* a quoted part keeps its text: the unknown field's name */
	cr_expect(strstr(zh.body, "“bogus”") || strstr(zh.body, "bogus"), "%s", zh.body);
	cr_expect(has_cjk(t_str(&zh, "detail")) && has_cjk(t_str(&zh, "title")));
	t_resp_free(&zh);
	t_resp_free(&en);
	free(tok);
}

Test(language, an_invalid_token_is_refused_in_the_callers_language)
{
	t_resp zh = get_in("zh-CN,zh;q=0.9", "/v1/me", "not-a-token");
	cr_assert(t_is_problem(&zh, 401), "%d", zh.status);
	cr_expect(has_cjk(t_str(&zh, "detail")), "%s", zh.body);
	cr_expect_str_eq(t_header(&zh, "Content-Language"), "zh-CN");
	t_resp_free(&zh);
}

/* API.md "Chinese CSV": headers and enumerations in Chinese by default,
 * English with ?lang=en (or Accept-Language: en); ?lang=fr is 400 */
Test(language, csv_exports_speak_chinese_unless_asked_for_english)
{
	char *unit = t_new_unit(NULL, "320508", NULL);
	char *person = t_new_person(NULL, unit, "senior_full");
	char *tok = t_token("unit", unit);
	const char *csv_zh[] = { "Accept: text/csv", "Accept-Language: zh-CN", NULL };
	const char *csv_en[] = { "Accept: text/csv", NULL };
	t_resp zh = t_http("GET", "/v1/persons", tok, csv_zh, NULL, 0);
	t_resp en = t_http("GET", "/v1/persons?lang=en", tok, csv_zh, NULL, 0);
	t_resp en2 = t_http("GET", "/v1/persons", tok, csv_en, NULL, 0);
	cr_assert_eq(zh.status, 200, "%s", zh.body);
	cr_assert_eq(en.status, 200, "%s", en.body);
	/* the BOM, then the header row */
	cr_expect(strstr(zh.body, "编号,身份证号,姓名,单位,区,行业,职称级别,专业,周期起始年,状态,创建时间\r\n"),
	          "%s", zh.body);
	cr_expect(strstr(zh.body, ",正高级,") && strstr(zh.body, ",在职,"), "labels: %s", zh.body);
	cr_expect(!strstr(zh.body, "senior_full"), "%s", zh.body);
	cr_expect(strstr(en.body, "id,national_id,name,unit,district,industry,title_level") &&
	          strstr(en.body, ",senior_full,") && strstr(en.body, ",in_service,"), "%s", en.body);
	cr_expect_str_eq(en.body, en2.body, "?lang=en and Accept-Language: en alike");
	cr_expect_str_eq(t_header(&zh, "Content-Language"), "zh-CN");
	cr_expect_str_eq(t_header(&en, "Content-Language"), "en");
	t_resp bad = t_get("/v1/persons?lang=fr", tok);
	cr_expect(t_is_problem(&bad, 400), "%d %s", bad.status, bad.body);
	t_resp_free(&bad);
	t_resp_free(&zh);
	t_resp_free(&en);
	t_resp_free(&en2);
	free(tok);
	free(person);
	free(unit);
}
