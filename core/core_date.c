/* core_date.c — civil date arithmetic (Howard Hinnant's days-from-civil) */
#include "core_date.h"

#include <stdio.h>

core_date core_date_make(int y, int m, int d)
{
	core_date r = { y, m, d };
	return r;
}

core_date core_date_jan1(int year)
{
	return core_date_make(year, 1, 1);
}

bool core_date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int core_date_month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && core_date_is_leap(y))
		return 29;
	return days[m - 1];
}

bool core_date_valid(core_date d)
{
	return d.y >= 1 && d.y <= 9999 && d.m >= 1 && d.m <= 12 &&
	       d.d >= 1 && d.d <= core_date_month_days(d.y, d.m);
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int core_date_parse(core_date *out, const char *s)
{
	core_date d;
	int i;

	if (s == NULL)
		return CORE_EINVAL;
	for (i = 0; i < 10; i++)
		if (s[i] == '\0')
			return CORE_EINVAL;
	if (s[10] != '\0' || s[4] != '-' || s[7] != '-')
		return CORE_EINVAL;
	d.y = digits(s, 4);
	d.m = digits(s + 5, 2);
	d.d = digits(s + 8, 2);
	if (d.y < 0 || d.m < 0 || d.d < 0)
		return CORE_EINVAL;
	if (!core_date_valid(d))
		return CORE_EDATE;
	*out = d;
	return 0;
}

int core_date_format(char *buf, size_t n, core_date d)
{
	if (buf == NULL || n == 0)
		return CORE_ENOSPC;
	buf[0] = '\0';
	if (!core_date_valid(d))
		return CORE_EDATE;
	if (n < CORE_DATE_BUFSZ)
		return CORE_ENOSPC;
	snprintf(buf, n, "%04d-%02d-%02d", d.y, d.m, d.d);
	return 0;
}

int core_date_compare(core_date a, core_date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

int64_t core_date_to_days(core_date d)
{
	int64_t y = d.y - (d.m <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (d.m + 9) % 12;            /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d.d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

core_date core_date_from_days(int64_t z)
{
	int64_t era, doe, yoe, doy, mp, y;
	core_date r;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.y = (int)(y + (r.m <= 2));
	return r;
}

int64_t core_date_days_between(core_date a, core_date b)
{
	return core_date_to_days(b) - core_date_to_days(a);
}

int64_t core_date_range_days(core_date start, core_date end)
{
	return core_date_days_between(start, end) + 1;
}
