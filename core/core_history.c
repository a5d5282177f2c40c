/* core_history.c — a person's situation through time (R-28 .. R-30) */
#include "core_history.h"

#include <string.h>

/* Is change i (date a) to be read on `date` rather than the current pick
 * (date b, recorded earlier)? `have` tells whether there is a pick. */
static bool takes_over(core_date a, bool have, core_date b, core_date date)
{
	bool a_on = core_date_compare(a, date) <= 0;
	bool b_on = have && core_date_compare(b, date) <= 0;

	if (!have)
		return true;
	if (a_on != b_on)
		return a_on;
	/* both on or before the date: the latest (ties: recorded later);
	 * both after it: the earliest (ties: recorded later) */
	return a_on ? core_date_compare(a, b) >= 0 : core_date_compare(a, b) <= 0;
}

int core_history_at(core_situation *out, const core_change *changes, size_t n, core_date date)
{
	core_date at_level = { 0, 0, 0 }, at_ind = at_level, at_unit = at_level, at_status = at_level;

	if (!core_date_valid(date) || (changes == NULL && n > 0))
		return CORE_EINVAL;
	memset(out, 0, sizeof *out);
	out->on = date;
	for (size_t i = 0; i < n; i++) {
		const core_change *c = &changes[i];

		if (!core_date_valid(c->from) ||
		    (c->has_level && (unsigned)c->level >= (unsigned)CORE_LEVEL_COUNT))
			return CORE_EINVAL;
		if (c->has_level && takes_over(c->from, out->has_level, at_level, date)) {
			out->has_level = true;
			out->level = c->level;
			at_level = c->from;
		}
		if (c->has_industry && takes_over(c->from, out->has_industry, at_ind, date)) {
			out->has_industry = true;
			memcpy(out->industry, c->industry, sizeof out->industry);
			out->industry[CORE_INDUSTRY_MAX - 1] = '\0';
			at_ind = c->from;
		}
		if (c->has_unit && takes_over(c->from, out->has_unit, at_unit, date)) {
			out->has_unit = true;
			memcpy(out->unit, c->unit, sizeof out->unit);
			out->unit[CORE_UNIT_MAX - 1] = '\0';
			at_unit = c->from;
		}
		if (c->has_status && takes_over(c->from, out->has_status, at_status, date)) {
			out->has_status = true;
			out->in_service = c->in_service;
			at_status = c->from;
		}
	}
	return 0;
}

core_date core_judging_date(core_date first_day, int year)
{
	core_date jan1 = core_date_jan1(year);

	return core_date_compare(first_day, jan1) > 0 ? first_day : jan1;
}

core_date core_holding_date(int year, core_date today)
{
	core_date dec31 = core_date_make(year, 12, 31);

	return core_date_compare(today, dec31) < 0 ? today : dec31;
}

int core_history_years_touched(core_date effective, int running_year, int *first, int *last)
{
	if (!core_date_valid(effective) || running_year < effective.y || running_year > 9999)
		return CORE_EINVAL;
	*first = effective.y;
	*last = running_year;
	return 0;
}

int core_history_judging_years_touched(core_date effective, core_date first_day,
                                       int running_year, int *first, int *last)
{
	int rc = core_history_years_touched(effective, running_year, first, last);

	if (rc < 0)
		return rc;
	if (!core_date_valid(first_day))
		return CORE_EINVAL;
	if (core_date_compare(effective, first_day) <= 0)
		*first = first_day.y;    /* read by the first period's first day */
	else if (effective.m != 1 || effective.d != 1)
		*first = effective.y + 1;  /* the year was judged before the change */
	return 0;
}
