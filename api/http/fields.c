#include "http/fields.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "http/request.h"

static void add(json_t *errors, const char *field, const char *code, const char *msg)
{
	if (errors)
		api_error_add(errors, field, code, msg);
}

static json_t *get(json_t *obj, const char *name, bool required, json_t *errors)
{
	json_t *v = json_object_get(obj, name);
	if ((!v || json_is_null(v)) && required)
		add(errors, name, "required", "this field is required");
	return json_is_null(v) ? NULL : v;
}

bool api_field_string(json_t *obj, const char *name, bool required, size_t max_len,
                      const char **out, json_t *errors)
{
	json_t *v = get(obj, name, required, errors);
	if (!v)
		return false;
	size_t n = json_string_length(v);
	if (!json_is_string(v) || n == 0 || n > max_len) {
		char msg[96];
		snprintf(msg, sizeof msg, "must be a string of 1 to %zu bytes", max_len);
		add(errors, name, "invalid", msg);
		return false;
	}
	*out = json_string_value(v);
	return true;
}

bool api_field_uuid(json_t *obj, const char *name, bool required, const char **out, json_t *errors)
{
	json_t *v = get(obj, name, required, errors);
	if (!v)
		return false;
	if (!json_is_string(v) || !api_is_uuid(json_string_value(v))) {
		add(errors, name, "invalid", "must be an id (UUID)");
		return false;
	}
	*out = json_string_value(v);
	return true;
}

bool api_field_bool(json_t *obj, const char *name, bool required, bool *out, json_t *errors)
{
	json_t *v = get(obj, name, required, errors);
	if (!v)
		return false;
	if (!json_is_boolean(v)) {
		add(errors, name, "invalid", "must be true or false");
		return false;
	}
	*out = json_is_true(v);
	return true;
}

bool api_field_int(json_t *obj, const char *name, bool required, long min, long max, long *out,
                   json_t *errors)
{
	json_t *v = get(obj, name, required, errors);
	if (!v)
		return false;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		char msg[96];
		snprintf(msg, sizeof msg, "must be an integer from %ld to %ld", min, max);
		add(errors, name, "invalid", msg);
		return false;
	}
	*out = (long)json_integer_value(v);
	return true;
}

bool api_field_hours(json_t *obj, const char *name, bool required, bool allow_zero, int32_t *out,
                     json_t *errors)
{
	json_t *v = get(obj, name, required, errors);
	if (!v)
		return false;
	int32_t t;
	if (!json_is_number(v) || core_hours_from_double(&t, json_number_value(v)) != 0) {
		add(errors, name, "invalid", "must be a number of hours with at most one decimal");
		return false;
	}
	if (t < 0 || (t == 0 && !allow_zero)) {
		add(errors, name, "out_of_range", allow_zero ? "must not be negative" : "must be more than 0");
		return false;
	}
	*out = t;
	return true;
}

bool api_field_date(json_t *obj, const char *name, bool required, core_date *out, json_t *errors)
{
	json_t *v = get(obj, name, required, errors);
	if (!v)
		return false;
	if (!json_is_string(v) || core_date_parse(out, json_string_value(v)) != 0) {
		add(errors, name, "invalid", "must be a real date YYYY-MM-DD");
		return false;
	}
	return true;
}

const char *api_field_token(json_t *obj, const char *name)
{
	return json_string_value(json_object_get(obj, name));
}

bool api_field_enum_result(json_t *obj, const char *name, bool required, const char *allowed_msg,
                           json_t *errors, bool parsed)
{
	json_t *v = get(obj, name, required, errors);
	if (!v)
		return false;
	if (!parsed)
		add(errors, name, "invalid", allowed_msg);
	return parsed;
}

void api_errors_from_core(json_t *errors, const core_error_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		add(errors, list->e[i].field, list->e[i].code, list->e[i].message);
}

bool api_errors_have(json_t *errors, const char *field)
{
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e) {
		const char *f = json_string_value(json_object_get(e, "field"));
		if (f && strcmp(f, field) == 0)
			return true;
	}
	return false;
}

void api_errors_from_core_once(json_t *errors, const core_error_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		if (!api_errors_have(errors, list->e[i].field))
			add(errors, list->e[i].field, list->e[i].code, list->e[i].message);
}

bool api_district_code_ok(const char *s)
{
	return s && api_role_jur_valid(API_ROLE_DISTRICT, s);
}

bool api_industry_code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 2 || n > 32 || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

json_t *api_json_hours(int32_t tenths)
{
	/* tenths/10.0 prints as the shortest round-trip decimal: 12.5, 72.0 */
	return json_real((double)tenths / 10.0);
}

core_date api_today(void)
{
	time_t t = time(NULL) + 8 * 3600; /* UTC+8, no daylight saving */
	struct tm tm;
	gmtime_r(&t, &tm);
	return core_date_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
