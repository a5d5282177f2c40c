/* core_record.c — record validation */
#include "core_record.h"

#include "core_hours.h"

int core_record_validate(core_error_list *out, const core_record_input *in)
{
	bool bad = false;
	bool start_ok = core_date_valid(in->start_date);
	bool end_ok = core_date_valid(in->end_date);
	bool today_ok = core_date_valid(in->today);
	bool range_ok = false;
	core_category cat;
	core_class_type ct;

	if (!today_ok) {
		/* a caller bug, but never let it pass a future date */
		core_error_list_add(out, "today", CORE_FE_INVALID,
		                    "the current date given is not a real date");
		bad = true;
	}
	if (!start_ok) {
		core_error_list_add(out, "start_date", CORE_FE_INVALID,
		                    "start_date is not a real date");
		bad = true;
	} else if (today_ok && core_date_compare(in->start_date, in->today) > 0) {
		core_error_list_add(out, "start_date", CORE_FE_IN_FUTURE,
		                    "start_date is in the future");
		bad = true;
	}
	if (!end_ok) {
		core_error_list_add(out, "end_date", CORE_FE_INVALID,
		                    "end_date is not a real date");
		bad = true;
	} else {
		if (start_ok && core_date_compare(in->end_date, in->start_date) < 0) {
			core_error_list_add(out, "end_date", CORE_FE_BEFORE_START,
			                    "end_date is before start_date");
			bad = true;
		} else if (start_ok) {
			range_ok = true;
		}
		if (today_ok && core_date_compare(in->end_date, in->today) > 0) {
			core_error_list_add(out, "end_date", CORE_FE_IN_FUTURE,
			                    "end_date is in the future");
			bad = true;
		}
		if (in->year != in->end_date.y) {
			core_error_list_add(out, "year", CORE_FE_MISMATCH,
			                    "year %d does not match the year of end_date %d",
			                    in->year, in->end_date.y);
			bad = true;
		}
	}
	if (in->hours <= 0) {
		core_error_list_add(out, "hours", CORE_FE_OUT_OF_RANGE,
		                    "hours must be greater than 0");
		bad = true;
	} else if (in->hours > CORE_HOURS_MAX) {
		core_error_list_add(out, "hours", CORE_FE_OUT_OF_RANGE,
		                    "hours must be at most 99999.9");
		bad = true;
	} else if (range_ok) {
		int64_t days = core_date_range_days(in->start_date, in->end_date);
		int64_t cap = days * 24 * 10;

		if (in->hours > cap) {
			char h[CORE_HOURS_BUFSZ];

			core_hours_format(h, sizeof h, in->hours);
			core_error_list_add(out, "hours", CORE_FE_TOO_MANY,
			                    "%s hours exceed 24 hours a day over %lld day%s",
			                    h, (long long)days, days == 1 ? "" : "s");
			bad = true;
		}
	}
	if (in->category != NULL && core_category_parse(&cat, in->category) < 0) {
		core_error_list_add(out, "category", CORE_FE_INVALID,
		                    "category must be public or professional");
		bad = true;
	}
	if (in->form != NULL && !core_rules_form_known(in->rules, in->form)) {
		core_error_list_add(out, "form", CORE_FE_INVALID,
		                    "form is not a known form or conversion kind");
		bad = true;
	}
	if (in->class_type != NULL && core_class_type_parse(&ct, in->class_type) < 0) {
		core_error_list_add(out, "class_type", CORE_FE_INVALID,
		                    "class_type must be full_time, part_time, spare_time or online");
		bad = true;
	}
	return bad ? CORE_EINVAL : 0;
}

int core_record_initial_status(core_record_status *out, const core_rule_set *rs,
                               core_source source)
{
	if ((unsigned)source >= (unsigned)CORE_SOURCE_COUNT)
		return CORE_EINVAL;
	*out = source == CORE_SOURCE_BASE && rs->auto_verify_base_completions
	       ? CORE_RECORD_VERIFIED : CORE_RECORD_REGISTERED;
	return 0;
}
