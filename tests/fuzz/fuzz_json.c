/* S2: JSON bodies — parsing (duplicates, depth, NUL), unknown fields, every
 * field reader, and the rule-set parser that feeds core. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/fields.h"
#include "render/json.h"
#include "domain/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char detail[160];
	json_t *j = api_json_parse((const char *)data, size, detail, sizeof detail);
	if (!j)
		return 0;
	json_t *errors = json_array();
	static const char *const allowed[] = { "name", "hours", "year", NULL };
	if (json_is_object(j)) {
		const char *s;
		long l;
		bool b;
		int32_t t;
		core_date d;
		core_level lvl;
		api_json_unknown_fields(j, allowed, errors);
		api_field_string(j, "name", false, 200, &s, errors);
		api_field_uuid(j, "id", false, &s, errors);
		api_field_int(j, "year", false, 1990, 2100, &l, errors);
		api_field_bool(j, "flag", false, &b, errors);
		api_field_hours(j, "hours", false, false, &t, errors);
		api_field_date(j, "start_date", false, &d, errors);
		API_FIELD_ENUM(j, "title_level", false, level, &lvl, "a title level", errors);
		core_rule_set rs;
		if (api_rules_from_json(&rs, j, errors) == 0) {
			core_error_list list;
			core_error_list_init(&list);
			(void)core_rules_validate(&list, &rs);
		}
	}
	json_decref(errors);
	json_decref(j);
	return 0;
}
