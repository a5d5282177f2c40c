/* core_hours.c — exact hours in tenths */
#include "core_hours.h"

#include <stdio.h>

int core_hours_parse(int32_t *out, const char *s)
{
	int64_t v = 0;
	const char *p = s;

	if (s == NULL || *s < '0' || *s > '9')
		return CORE_EINVAL;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p - '0');
		if (v > CORE_HOURS_MAX)    /* stop before overflow; keep syntax checks */
			v = CORE_HOURS_MAX + 1;
		p++;
	}
	v *= 10;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return CORE_EINVAL;
		v += *p - '0';
		p++;
	}
	if (*p != '\0')
		return CORE_EINVAL;
	if (v > CORE_HOURS_MAX)
		return CORE_ERANGE;
	*out = (int32_t)v;
	return 0;
}

int core_hours_from_double(int32_t *out, double v)
{
	double x, diff;
	int64_t r;

	if (v != v || v - v != 0.0)     /* NaN or infinity, without <math.h> */
		return CORE_EINVAL;
	if (v < 0.0)
		return CORE_ERANGE;
	if (v > CORE_HOURS_MAX / 10.0 + 1e-7)
		return CORE_ERANGE;
	x = v * 10.0;
	r = (int64_t)(x + 0.5);
	diff = x - (double)r;
	if (diff < -1e-6 || diff > 1e-6)
		return CORE_EINVAL;
	if (r > CORE_HOURS_MAX)
		return CORE_ERANGE;
	*out = (int32_t)r;
	return 0;
}

double core_hours_to_double(int32_t tenths)
{
	return tenths / 10.0;
}

int core_hours_format(char *buf, size_t n, int32_t tenths)
{
	int64_t t = tenths;
	const char *sign = "";
	int len;

	if (t < 0) {
		sign = "-";
		t = -t;
	}
	if (buf == NULL || n == 0)
		return CORE_ENOSPC;
	len = snprintf(buf, n, "%s%lld.%d", sign, (long long)(t / 10), (int)(t % 10));
	if (len < 0 || (size_t)len >= n) {
		buf[0] = '\0';
		return CORE_ENOSPC;
	}
	return 0;
}

int core_hours_from_days(int32_t *out, int32_t days)
{
	int64_t t = (int64_t)days * CORE_HOURS_PER_DAY * 10;

	if (days < 0 || t > CORE_HOURS_MAX)
		return CORE_ERANGE;
	*out = (int32_t)t;
	return 0;
}
