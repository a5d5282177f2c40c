/* core_reason.c — reason codes and their API names */
#include "core_reason.h"

#include <string.h>

static const char *const reason_names[CORE_REASON_COUNT] = {
	[CORE_REASON_PUBLIC_SHORT] = "public_short",
	[CORE_REASON_PROFESSIONAL_SHORT] = "professional_short",
	[CORE_REASON_YEAR_NOT_COMPLIANT] = "year_not_compliant",
	[CORE_REASON_YEARS_NOT_COMPLIANT] = "years_not_compliant",
	[CORE_REASON_NO_YEAR_TO_EXAMINE] = "no_year_to_examine",
	[CORE_REASON_YEARS_COMPLIANT] = "years_compliant",
	[CORE_REASON_YEAR_COMPLIANT] = "year_compliant",
	[CORE_REASON_NO_REQUIREMENT] = "no_requirement",
	[CORE_REASON_ASSESSMENT_MISSING] = "assessment_missing",
	[CORE_REASON_CYCLE_COMPLETE] = "cycle_complete",
};

const char *core_reason_code_name(core_reason_code code)
{
	if ((unsigned)code >= (unsigned)CORE_REASON_COUNT)
		return NULL;
	return reason_names[code];
}

int core_reason_code_parse(core_reason_code *out, const char *s)
{
	if (s == NULL)
		return CORE_EINVAL;
	for (int i = 0; i < CORE_REASON_COUNT; i++) {
		if (strcmp(reason_names[i], s) == 0) {
			*out = (core_reason_code)i;
			return 0;
		}
	}
	return CORE_EINVAL;
}
