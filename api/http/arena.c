#include "http/arena.h"

#include "http/alloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 4096

typedef struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
} chunk;

struct api_arena {
	chunk *head;
};

api_arena *api_arena_new(void)
{
	return api_xcalloc(1, sizeof(api_arena));
}

void api_arena_free(api_arena *a)
{
	if (!a)
		return;
	for (chunk *c = a->head, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	free(a);
}

void *api_arena_alloc(api_arena *a, size_t n)
{
	size_t align = sizeof(max_align_t);
	n = (n + align - 1) / align * align;
	chunk *c = a->head;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > CHUNK ? n : CHUNK;
		c = api_xmalloc(sizeof *c + cap);
		c->cap = cap;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *api_arena_strdup(api_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(api_arena_alloc(a, n), s, n);
}

char *api_arena_printf(api_arena *a, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0, buf[0] = '\0'; /* an encoding error: an empty string */
	char *p = api_arena_alloc(a, (size_t)n + 1);
	if ((size_t)n < sizeof buf)
		return memcpy(p, buf, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
