/* The JSON writer of the hot answers (api/render/jw.h, issue 10): it must
 * write what jansson writes for the same values (api_reply_json's flags),
 * since the compliance answer moved from one to the other. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "render/jw.h"

static char *jansson_text(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY);
	json_decref(v);
	return s;
}

Test(jw, strings_are_escaped_as_jansson_escapes_them)
{
	char s[160];
	size_t n = 0;
	for (int c = 1; c < 128; c++)
		s[n++] = (char)c;
	s[n] = '\0';
	const char *cases[] = { s, "", "plain", "苏州市 \"继续教育\" \\ 规定", "a\nb\tc\r\x01\x1f\x7f/" };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		api_jw w;
		api_jw_init(&w);
		api_jw_str(&w, cases[i]);
		char *want = jansson_text(json_string(cases[i]));
		cr_expect_str_eq(w.buf, want, "case %zu", i);
		free(want);
		api_jw_free(&w);
	}
}

Test(jw, hours_print_as_jansson_prints_tenths)
{
	for (int32_t t = -123; t <= 20000; t++) {
		api_jw w;
		api_jw_init(&w);
		api_jw_hours(&w, t);
		char *want = jansson_text(json_real((double)t / 10.0));
		cr_assert_str_eq(w.buf, want, "%d tenths", t);
		free(want);
		api_jw_free(&w);
	}
}

Test(jw, objects_arrays_and_commas)
{
	api_jw w;
	api_jw_init(&w);
	api_jw_obj(&w);
	api_jw_key(&w, "a");
	api_jw_int(&w, -5);
	api_jw_key(&w, "b");
	api_jw_arr(&w);
	api_jw_bool(&w, true);
	api_jw_null(&w);
	api_jw_obj(&w);
	api_jw_obj_end(&w);
	api_jw_str(&w, NULL);
	api_jw_arr_end(&w);
	api_jw_key(&w, "c");
	api_jw_arr(&w);
	api_jw_arr_end(&w);
	api_jw_obj_end(&w);
	cr_expect_str_eq(w.buf, "{\"a\":-5,\"b\":[true,null,{},null],\"c\":[]}");
	api_jw_free(&w);
}

Test(jw, postgresql_json_is_copied_without_whitespace_between_tokens)
{
	api_jw w;
	api_jw_init(&w);
	api_jw_obj(&w);
	api_jw_key(&w, "rule_set");
	api_jw_json(&w, "{\"id\" : \"x y\", \"name\" : \"a \\\" : b\",\n \"to\" : null, \"n\" : [1, 2]}");
	api_jw_obj_end(&w);
	cr_expect_str_eq(w.buf, "{\"rule_set\":{\"id\":\"x y\",\"name\":\"a \\\" : b\",\"to\":null,\"n\":[1,2]}}");
	api_jw_free(&w);
	/* and the result is the JSON it was */
	json_t *j = json_loads("{\"id\" : \"x y\", \"n\" : [1, 2]}", 0, NULL);
	char *want = jansson_text(j);
	api_jw_init(&w);
	api_jw_json(&w, "{\"id\" : \"x y\", \"n\" : [1, 2]}");
	cr_expect_str_eq(w.buf, want);
	free(want);
	api_jw_free(&w);
}

Test(jw, a_long_text_grows_the_buffer)
{
	api_jw w;
	api_jw_init(&w);
	api_jw_arr(&w);
	for (int i = 0; i < 5000; i++)
		api_jw_str(&w, "0123456789");
	api_jw_arr_end(&w);
	cr_expect_eq(w.len, 2 + 5000 * 12 + 4999); /* brackets, quoted strings, commas */
	cr_expect_eq(strlen(w.buf), w.len);
	api_jw_free(&w);
}
