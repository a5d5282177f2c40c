/*
 * core_history.h — a person's situation through time.
 *
 * A person's title level, industry, unit and service status each hold from
 * a date until the next change of that attribute. History is a list of
 * changes in the order they were recorded; a change sets only some of the
 * attributes. History is never edited: a correction is a later-recorded
 * change, possibly backdated, and on the same effective date the
 * later-recorded change wins.
 */
#ifndef CORE_HISTORY_H
#define CORE_HISTORY_H

#include "core_common.h"
#include "core_date.h"
#include "core_enum.h"
#include "core_rules.h"

#define CORE_UNIT_MAX  CORE_ID_MAX   /* unit id: a UUID string + NUL fits */

/* One recorded change: the attributes with has_X set take their value from
 * `from` on. */
typedef struct core_change {
	core_date from;                 /* effective date */
	bool has_level;
	core_level level;
	bool has_industry;
	char industry[CORE_INDUSTRY_MAX];   /* "" = no industry */
	bool has_unit;
	char unit[CORE_UNIT_MAX];
	bool has_status;
	bool in_service;                /* false: left service */
} core_change;

/* The person as they stood on one date. has_X is false only when no change
 * ever set X (the registration change of R-28 sets them all). */
typedef struct core_situation {
	core_date on;
	bool has_level;
	core_level level;
	bool has_industry;
	char industry[CORE_INDUSTRY_MAX];
	bool has_unit;
	char unit[CORE_UNIT_MAX];
	bool has_status;
	bool in_service;
} core_situation;

/* the situation on `date`. Each attribute is the one of the latest
 * change of it with from <= date (the later-recorded, i.e. later in
 * `changes`, on the same date); a date before every change of an attribute
 * reads its earliest change. `changes` may be NULL when n is 0. 0;
 * CORE_EINVAL for an invalid date (asked or in a change) or a level out of
 * range. */
CORE_MUSTCHECK int core_history_at(core_situation *out, const core_change *changes, size_t n,
                                   core_date date);

/* the date whose situation judges year `year`: 1 January of the year,
 * or the first day of the person's first period when that is later. (For a
 * year before the first period this is first_day itself: such a year is not
 * judged at all.) */
core_date core_judging_date(core_date first_day, int year);

/* the date whose situation owns year `year` (unit, district,
 * industry; headcount): 31 December of the year, or `today` for the running
 * year. */
core_date core_holding_date(int year, core_date today);

/* R-28..R-30: the years whose decisions a change effective on `effective`
 * can alter, with `running_year` the current year: the judging situation of
 * every year after effective.y, and of effective.y itself when the change
 * takes effect on 1 January or on the first day; the jurisdiction of every
 * year from effective.y on. Together: *first = effective.y, *last =
 * running_year. Assumes the registration change (at the first day) sets
 * every attribute, as R-28 makes it; a first-ever change of an attribute
 * would read back further. 0; CORE_EINVAL for an invalid date or a
 * running_year before the change's year or out of 1..9999. */
CORE_MUSTCHECK int core_history_years_touched(core_date effective, int running_year,
                                              int *first, int *last);

/* R-29 only: the years whose *verdicts* (judged with the situation at
 * core_judging_date) a change effective on `effective` can alter, for a
 * person whose first period starts on `first_day`: from effective.y when the
 * change takes effect on 1 January or on or before first_day (then from
 * first_day's year), else from effective.y + 1, up to running_year; the
 * range is empty (*last < *first) for a mid-year change in the running
 * year. A subset of core_history_years_touched. 0; CORE_EINVAL as there, or
 * for an invalid first_day. */
CORE_MUSTCHECK int core_history_judging_years_touched(core_date effective, core_date first_day,
                                                      int running_year, int *first, int *last);

#endif /* CORE_HISTORY_H */
