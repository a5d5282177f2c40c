/*
 * Allocation that cannot fail.  Out of memory, a worker logs one line and
 * aborts; its supervisor (api/main.c) starts a new one.  Answering 503 from
 * a process that cannot allocate is not a state worth keeping (Redis'
 * zmalloc takes the same view), and it lets every caller drop its checks.
 */
#ifndef JXJY_API_ALLOC_H
#define JXJY_API_ALLOC_H

#include <stddef.h>

void *api_xmalloc(size_t n) __attribute__((malloc, returns_nonnull));
void *api_xcalloc(size_t count, size_t size) __attribute__((malloc, returns_nonnull));
void *api_xrealloc(void *p, size_t n) __attribute__((returns_nonnull));
char *api_xstrdup(const char *s) __attribute__((malloc, returns_nonnull));

/* Makes jansson and libevent allocate through api_xmalloc (call once, first
 * thing in main): a JSON value or an evbuffer that cannot be made aborts
 * instead of coming back NULL. */
void api_alloc_install(void);
#endif
