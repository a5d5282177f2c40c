/* Request-scoped memory: everything allocated here is released at once when
 * the response has been sent. */
#ifndef JXJY_API_ARENA_H
#define JXJY_API_ARENA_H

#include <stddef.h>

typedef struct api_arena api_arena;

api_arena *api_arena_new(void);
void api_arena_free(api_arena *a);
/* Returns zeroed memory, or NULL when out of memory. */
void *api_arena_alloc(api_arena *a, size_t n);
char *api_arena_strdup(api_arena *a, const char *s);
char *api_arena_printf(api_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#endif
