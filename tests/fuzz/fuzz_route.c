/* H7: routing — any method and path against the route table, and the
 * pagination cursor decoder's inputs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/paging.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const int methods[] = { API_GET, API_POST, API_PUT, API_PATCH, API_DELETE, API_HEAD };
	int method = methods[data[0] % 6];
	char *path = malloc(size);
	memcpy(path, data + 1, size - 1);
	path[size - 1] = '\0';
	api_arena *mem = api_arena_new();
	const api_route *rt;
	const char *params[API_PATH_PARAMS_MAX];
	int n = 0, allowed = 0;
	api_match_result m = api_route_match(&rt, mem, method, path, params, &n, &allowed);
	if (m == API_MATCH_OK && (n < 0 || n > API_PATH_PARAMS_MAX || !rt))
		abort();
	(void)api_cursor_is_time_id(path);
	(void)api_is_uuid(path);
	api_arena_free(mem);
	free(path);
	return 0;
}
