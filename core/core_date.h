/*
 * core_date.h — calendar dates (proleptic Gregorian, years 1..9999).
 *
 * Dates are civil dates in China Standard Time; the core never reads the
 * clock: every "not in the future" check takes `today` from the caller.
 */
#ifndef CORE_DATE_H
#define CORE_DATE_H

#include "core_common.h"

typedef struct core_date {
	int y;   /* 1..9999 */
	int m;   /* 1..12 */
	int d;   /* 1..days of the month */
} core_date;

#define CORE_DATE_BUFSZ 11   /* "YYYY-MM-DD" + NUL */

/* A date value; not validated (use core_date_valid). */
core_date core_date_make(int y, int m, int d);

/* 1 January of `year` — the day R-6 selects rule sets on. */
core_date core_date_jan1(int year);

/* True for a leap year of the Gregorian calendar. */
bool core_date_is_leap(int y);

/* Days in month `m` of year `y`; 0 when `m` is not 1..12. */
int core_date_month_days(int y, int m);

/* True iff `d` is a real calendar date with 1 <= y <= 9999. */
bool core_date_valid(core_date d);

/* Parse strict "YYYY-MM-DD" (exactly 10 characters, digits and dashes, no
 * sign or space). 0, CORE_EINVAL for bad syntax (or NULL), CORE_EDATE for a
 * well-formed string that is not a real date ("2023-02-29"). */
CORE_MUSTCHECK int core_date_parse(core_date *out, const char *s);

/* Write "YYYY-MM-DD" into buf (n >= CORE_DATE_BUFSZ). 0, CORE_ENOSPC,
 * CORE_EDATE when `d` is not valid (buf then holds "" when n > 0). */
int core_date_format(char *buf, size_t n, core_date d);

/* -1, 0 or 1 as a is before, equal to or after b (field-wise; works on
 * invalid dates too). */
int core_date_compare(core_date a, core_date b);

/* Day number of a valid date, days since 1970-01-01 (negative before). */
int64_t core_date_to_days(core_date d);

/* Inverse of core_date_to_days. */
core_date core_date_from_days(int64_t days);

/* b - a in days (positive when b is later). Both must be valid. */
int64_t core_date_days_between(core_date a, core_date b);

/* Number of days of the inclusive range [start, end] (1 for a one-day
 * range); 0 or negative when end is before start. Both must be valid. */
int64_t core_date_range_days(core_date start, core_date end);

#endif /* CORE_DATE_H */
