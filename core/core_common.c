/* core_common.c — error names, messages and the field-error list */
#include "core_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *core_error_name(int rc)
{
	switch (rc) {
	case CORE_OK: return "CORE_OK";
	case CORE_EINVAL: return "CORE_EINVAL";
	case CORE_ERANGE: return "CORE_ERANGE";
	case CORE_ESTATE: return "CORE_ESTATE";
	case CORE_ENOTFOUND: return "CORE_ENOTFOUND";
	case CORE_ECHECKSUM: return "CORE_ECHECKSUM";
	case CORE_EDATE: return "CORE_EDATE";
	case CORE_EFUTURE: return "CORE_EFUTURE";
	case CORE_ENOSPC: return "CORE_ENOSPC";
	case CORE_EPRECOND: return "CORE_EPRECOND";
	default: return "CORE_EUNKNOWN";
	}
}

const char *core_error_message(int rc)
{
	switch (rc) {
	case CORE_OK: return "success";
	case CORE_EINVAL: return "invalid input";
	case CORE_ERANGE: return "value out of range";
	case CORE_ESTATE: return "transition not allowed from the current state";
	case CORE_ENOTFOUND: return "no applicable rule found";
	case CORE_ECHECKSUM: return "check character does not match";
	case CORE_EDATE: return "not a real calendar date";
	case CORE_EFUTURE: return "date is in the future";
	case CORE_ENOSPC: return "output buffer too small";
	case CORE_EPRECOND: return "precondition of the transition not met";
	default: return "unknown error";
	}
}

void core_error_list_init(core_error_list *list)
{
	list->n = 0;
	list->dropped = 0;
}

static void copy_trunc(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);

	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

size_t core_error_list_add(core_error_list *list, const char *field,
                           const char *code, const char *fmt, ...)
{
	core_error *e;
	va_list ap;

	if (list == NULL)
		return 0;
	if (list->n >= CORE_ERRORS_MAX) {
		list->dropped++;
		return list->n;
	}
	e = &list->e[list->n++];
	copy_trunc(e->field, sizeof e->field, field);
	copy_trunc(e->code, sizeof e->code, code);
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
	return list->n;
}
