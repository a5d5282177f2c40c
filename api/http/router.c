#include "http/router.h"

#include <string.h>

/* Compares one pattern against a path segment by segment; "{x}" matches any
 * non-empty segment.  Literal parts such as "persons:import" match exactly. */
static bool match_one(const char *pattern, const char *path, api_arena *mem, const char **params,
                      int *nparams)
{
	int n = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return false;
		p++;
		s++;
		const char *pe = strchr(p, '/');
		const char *se = strchr(s, '/');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p);
		size_t sl = se ? (size_t)(se - s) : strlen(s);
		if (pl >= 2 && p[0] == '{' && p[pl - 1] == '}') {
			if (sl == 0 || n >= API_PATH_PARAMS_MAX)
				return false;
			if (params) {
				char *v = api_arena_alloc(mem, sl + 1);
				memcpy(v, s, sl);
				params[n] = v;
			}
			n++;
		} else if (pl != sl || memcmp(p, s, pl) != 0) {
			return false;
		}
		p += pl;
		s += sl;
	}
	if (*p || *s)
		return false;
	if (nparams)
		*nparams = n;
	return true;
}

api_match_result api_route_match(const api_route **out, api_arena *mem, int method,
                                 const char *path, const char **params, int *nparams,
                                 int *allowed)
{
	*out = NULL;
	*allowed = 0;
	for (int i = 0; i < api_routes_count; i++) {
		const api_route *rt = &api_routes[i];
		if (!match_one(rt->pattern, path, mem, NULL, NULL))
			continue;
		*allowed |= rt->method;
		if (rt->method == method || (method == API_HEAD && rt->method == API_GET)) {
			if (!match_one(rt->pattern, path, mem, params, nparams))
				return API_MATCH_NO_PATH;
			*out = rt;
			return API_MATCH_OK;
		}
	}
	return *allowed ? API_MATCH_NO_METHOD : API_MATCH_NO_PATH;
}

int api_route_index(const api_route *route)
{
	return route ? (int)(route - api_routes) : -1;
}

size_t api_route_body_max(const api_route *route, const char **text)
{
	unsigned flags = route ? route->flags : API_ROUTE_PUBLIC;
	if (flags & API_ROUTE_PUBLIC) {
		*text = "the body exceeds 16 KiB";
		return API_PUBLIC_BODY_MAX;
	}
	if (flags & API_ROUTE_BULK) {
		*text = "the body exceeds 16 MiB";
		return API_BULK_BODY_MAX;
	}
	*text = "the body exceeds 1 MiB";
	return API_BODY_MAX;
}
