#include "http/alloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <jansson.h>

static _Noreturn void out_of_memory(size_t n)
{
	/* no stdio: it may allocate */
	static const char msg[] = "{\"level\":\"error\",\"msg\":\"out of memory: worker aborts\"}\n";
	ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
	(void)w;
	abort();
}

void *api_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory(n);
	return p;
}

void *api_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory(count * size);
	return p;
}

void *api_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		out_of_memory(n);
	return q;
}

char *api_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(api_xmalloc(n), s, n);
}

void api_alloc_install(void)
{
	json_set_alloc_funcs(api_xmalloc, free);
	/* before libevent allocates anything: evbuffers and events cannot fail */
	event_set_mem_functions(api_xmalloc, api_xrealloc, free);
}
