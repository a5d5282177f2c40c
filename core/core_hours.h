/*
 * core_hours.h — hours (学时) as exact integer tenths of an hour.
 *
 * 12.5 h is 125. SQL stores NUMERIC(6,1), so the largest value is 99999.9 h
 * (CORE_HOURS_MAX tenths). One day counts 6 hours (R-4: 72/12 = 42/7).
 */
#ifndef CORE_HOURS_H
#define CORE_HOURS_H

#include "core_common.h"

#define CORE_HOURS_MAX        999999   /* 99999.9 h, NUMERIC(6,1) */
#define CORE_HOURS_PER_DAY    6
#define CORE_HOURS_BUFSZ      16

/* Parse a decimal with at most one decimal digit: "12", "12.5", "0.5",
 * "072.0". 0; CORE_EINVAL for anything else ("", "12.", ".5", "12.55",
 * "-1", "1e3", " 1", NULL); CORE_ERANGE above CORE_HOURS_MAX. */
CORE_MUSTCHECK int core_hours_parse(int32_t *out, const char *s);

/* Convert a JSON number. The value times ten must be within 1e-6 of an
 * integer (so 12.5 and 0.1 pass, 12.55 does not). 0; CORE_EINVAL for NaN,
 * infinities and more than one decimal; CORE_ERANGE for negative values and
 * values above CORE_HOURS_MAX. -0.0 is 0. */
CORE_MUSTCHECK int core_hours_from_double(int32_t *out, double v);

/* tenths / 10.0, for JSON output. */
double core_hours_to_double(int32_t tenths);

/* Format with exactly one decimal: 725 -> "72.5", 720 -> "72.0",
 * -40 -> "-4.0". 0 or CORE_ENOSPC (buffer too small; CORE_HOURS_BUFSZ is
 * always enough). `buf` is always NUL-terminated when n > 0 (empty on
 * CORE_ENOSPC), so ignoring the result is safe with a CORE_HOURS_BUFSZ
 * buffer. */
int core_hours_format(char *buf, size_t n, int32_t tenths);

/* Days to hours at 6 h a day: 12 days -> 720 tenths. 0, CORE_ERANGE
 * for negative days or a result above CORE_HOURS_MAX. */
CORE_MUSTCHECK int core_hours_from_days(int32_t *out, int32_t days);

#endif /* CORE_HOURS_H */
