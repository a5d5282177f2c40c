/*
 * core_common.h — error codes and field-level error objects shared by every
 * module of the rules library.
 *
 * The core is pure: no I/O, no clock, no allocation. Fallible functions
 * return 0 on success or one of the negative CORE_E* codes below; results
 * travel through caller-owned output structs named `out`.
 */
#ifndef CORE_COMMON_H
#define CORE_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Result-carrying functions must not have their result ignored. */
#if defined(__GNUC__) || defined(__clang__)
#define CORE_MUSTCHECK __attribute__((warn_unused_result))
#else
#define CORE_MUSTCHECK
#endif

/* Error codes (negative; 0 is success). */
enum {
	CORE_OK = 0,
	CORE_EINVAL = -1,     /* malformed input (syntax, unknown enum, bad argument) */
	CORE_ERANGE = -2,     /* well-formed value outside its allowed range */
	CORE_ESTATE = -3,     /* illegal state transition (the API answers 409) */
	CORE_ENOTFOUND = -4,  /* no applicable rule set / unknown conversion kind */
	CORE_ECHECKSUM = -5,  /* identifier check character is wrong */
	CORE_EDATE = -6,      /* not a real calendar date */
	CORE_EFUTURE = -7,    /* date after `today` */
	CORE_ENOSPC = -8,     /* caller's buffer too small */
	CORE_EPRECOND = -9,   /* transition legal in shape but its precondition fails */
};

/* Symbolic name of an error code ("CORE_EINVAL"); "CORE_OK" for 0 and
 * "CORE_EUNKNOWN" for anything else. Never NULL, static storage. */
const char *core_error_name(int rc);

/* Human-readable, lower-case, one-line description of an error code. Never
 * NULL, static storage. */
const char *core_error_message(int rc);

/* Field-level error codes (the `code` member of core_error), spelled as the
 * API reports them in problem+json `errors[].code`. */
#define CORE_FE_REQUIRED      "required"
#define CORE_FE_INVALID       "invalid"
#define CORE_FE_OUT_OF_RANGE  "out_of_range"
#define CORE_FE_IN_FUTURE     "in_future"
#define CORE_FE_MISMATCH      "mismatch"
#define CORE_FE_BEFORE_START  "before_start"
#define CORE_FE_TOO_MANY      "too_many_hours"
#define CORE_FE_DUPLICATE     "duplicate"
#define CORE_FE_BELOW         "below_threshold"
#define CORE_FE_MISSING       "missing"
#define CORE_FE_SUM           "sum_not_100"

#define CORE_FIELD_MAX   64
#define CORE_FCODE_MAX   24
#define CORE_MSG_MAX     192
#define CORE_ERRORS_MAX  12

/* One failing field: what the API puts in problem+json `errors[]`. */
typedef struct core_error {
	char field[CORE_FIELD_MAX];    /* JSON field name / path, e.g. "end_date" */
	char code[CORE_FCODE_MAX];     /* one of CORE_FE_* */
	char message[CORE_MSG_MAX];    /* lower-case, one line, no trailing period */
} core_error;

/* A small caller-owned list of field errors; validators collect every failing
 * field, up to CORE_ERRORS_MAX (further ones are counted in `dropped`). */
typedef struct core_error_list {
	size_t n;
	size_t dropped;
	core_error e[CORE_ERRORS_MAX];
} core_error_list;

/* Empty the list. `list` must not be NULL. */
void core_error_list_init(core_error_list *list);

/* Append one error (printf-style message, truncated to fit). NULL `list` is
 * accepted and ignored so validators can run without collecting. Returns the
 * number of errors held after the call. */
size_t core_error_list_add(core_error_list *list, const char *field,
                           const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* CORE_COMMON_H */
