#include "render/json.h"

#include "http/arena.h"

#include <stdio.h>
#include <string.h>

/* Depth of arrays/objects, skipping strings; jansson itself allows 2048. */
static bool depth_ok(const char *s, size_t n)
{
	int depth = 0;
	bool in_str = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"')
			in_str = true;
		else if (c == '{' || c == '[') {
			if (++depth > API_JSON_MAX_DEPTH)
				return false;
		} else if (c == '}' || c == ']')
			depth--;
	}
	return true;
}

json_t *api_json_parse(const char *data, size_t len, char *detail, size_t detail_len)
{
	if (len == 0) {
		snprintf(detail, detail_len, "the body is empty");
		return NULL;
	}
	if (!depth_ok(data, len)) {
		snprintf(detail, detail_len, "the body nests deeper than %d levels", API_JSON_MAX_DEPTH);
		return NULL;
	}
	json_error_t err;
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		/* jansson's text names the problem and position, never our internals */
		snprintf(detail, detail_len, "%s at line %d column %d", err.text, err.line, err.column);
		return NULL;
	}
	return j;
}

void api_error_add(json_t *errors, const char *field, const char *code, const char *message)
{
	json_array_append_new(errors, json_pack("{s:s, s:s, s:s}", "field", field, "code", code,
	                                        "message", message));
}

char *api_json_dump_arena(api_arena *a, const json_t *v, size_t flags)
{
	char *s = json_dumps(v, flags);
	char *out = api_arena_strdup(a, s ? s : "null");
	free(s);
	return out;
}

void api_json_unknown_field(json_t *errors, const char *key)
{
	char msg[160];
	snprintf(msg, sizeof msg, "unknown field \"%.100s\"", key);
	api_error_add(errors, key, "unknown_field", msg);
}

int api_json_unknown_fields(const json_t *obj, const char *const *allowed, json_t *errors)
{
	int unknown = 0;
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(key, *a) == 0) {
				ok = true;
				break;
			}
		if (!ok) {
			api_json_unknown_field(errors, key);
			unknown++;
		}
	}
	return unknown;
}
