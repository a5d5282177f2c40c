/* Request-scoped memory: everything allocated here is released at once when
 * the response has been sent. */
#ifndef JXJY_API_ARENA_H
#define JXJY_API_ARENA_H

#include <stddef.h>

typedef struct api_arena api_arena;

/* None of these fails: out of memory the worker aborts (http/alloc.h). */
api_arena *api_arena_new(void) __attribute__((returns_nonnull));
void api_arena_free(api_arena *a);
/* Zeroed memory, aligned for any type. */
void *api_arena_alloc(api_arena *a, size_t n) __attribute__((returns_nonnull));
char *api_arena_strdup(api_arena *a, const char *s) __attribute__((returns_nonnull));
char *api_arena_printf(api_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), returns_nonnull));
#endif
