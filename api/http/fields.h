/*
 * Reading fields of a JSON body, every failure appended to a problem's
 * errors[] (so a 422 names all bad fields at once).  Values that are rules
 * (hours, dates, identifiers, enumerations) are parsed by core/.
 */
#ifndef JXJY_API_FIELDS_H
#define JXJY_API_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core.h"

/* Each returns true when the field is present and valid; false when absent
 * (an error is added only if required) or invalid (an error is added). */
bool api_field_string(json_t *obj, const char *name, bool required, size_t max_len,
                      const char **out, json_t *errors);
bool api_field_uuid(json_t *obj, const char *name, bool required, const char **out,
                    json_t *errors);
bool api_field_bool(json_t *obj, const char *name, bool required, bool *out, json_t *errors);
bool api_field_int(json_t *obj, const char *name, bool required, long min, long max, long *out,
                   json_t *errors);
/* Hours: a JSON number with at most one decimal, > 0 unless allow_zero. */
bool api_field_hours(json_t *obj, const char *name, bool required, bool allow_zero, int32_t *out,
                     json_t *errors);
bool api_field_date(json_t *obj, const char *name, bool required, core_date *out, json_t *errors);
/* An enumeration parsed by core: API_FIELD_ENUM(body, "title_level", true,
 * level, &lvl, "must be one of …", errors) calls core_level_parse. */
#define API_FIELD_ENUM(obj, name, required, T, out, allowed_msg, errors)                     \
	api_field_enum_result((obj), (name), (required), (allowed_msg), (errors),                 \
	                      api_field_token((obj), (name)) &&                                    \
	                          core_##T##_parse((out), api_field_token((obj), (name))) == 0)
/* The field's string value, or NULL (no error added). */
const char *api_field_token(json_t *obj, const char *name);
bool api_field_enum_result(json_t *obj, const char *name, bool required, const char *allowed_msg,
                           json_t *errors, bool parsed);

/* Appends a core validator's field errors. */
void api_errors_from_core(json_t *errors, const core_error_list *list);

/* True when errors holds an error of field. */
bool api_errors_have(json_t *errors, const char *field);
/* api_errors_from_core, but only for fields errors does not name yet (a malformed value
 * is reported once, by the reader). */
void api_errors_from_core_once(json_t *errors, const core_error_list *list);

/* A district code (six digits) as paths, queries and bodies carry it. */
bool api_district_code_ok(const char *s);
/* An industry code as the industries table has them: ^[a-z][a-z0-9_]{1,31}$. */
bool api_industry_code_ok(const char *s);

/* "12.5" for tenths, as a JSON real with one decimal. */
json_t *api_json_hours(int32_t tenths);

/* Today in China Standard Time (DOMAIN.md: dates are CST calendar dates). */
core_date api_today(void);
#endif
