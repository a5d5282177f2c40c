#include "render/json.h"

#include "http/arena.h"

#include <stdio.h>
#include <string.h>

/* One pass over the text, skipping strings: nesting depth (jansson itself
 * allows 2048) and the array elements in all, before jansson builds any of
 * them.  Exact for valid JSON; jansson refuses the rest. */
static const char *scan(const char *s, size_t n, size_t max_elements, bool *too_many)
{
	bool is_array[API_JSON_MAX_DEPTH + 1] = { false };
	bool first[API_JSON_MAX_DEPTH + 1] = { false }; /* no element seen yet */
	int depth = 0;
	size_t elements = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == '}' || c == ']') {
			if ((c == '}' || c == ']') && depth > 0)
				depth--;
			continue;
		}
		if (c == ',') {
			if (depth > 0 && is_array[depth])
				first[depth] = true;
			continue;
		}
		/* the start of a value (or of a key, in an object) */
		if (depth > 0 && is_array[depth] && first[depth]) {
			first[depth] = false;
			if (max_elements && ++elements > max_elements) {
				*too_many = true;
				return "too many array elements";
			}
		}
		if (c == '"') {
			for (i++; i < n && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
		} else if (c == '{' || c == '[') {
			if (++depth > API_JSON_MAX_DEPTH)
				return "too deep";
			is_array[depth] = c == '[';
			first[depth] = c == '[';
		} else if (depth > 0 && is_array[depth]) {
			/* the rest of a number or literal is not another element */
			while (i + 1 < n && !strchr(" \t\n\r,]}", s[i + 1]))
				i++;
		}
	}
	return NULL;
}

json_t *api_json_parse(const char *data, size_t len, char *detail, size_t detail_len)
{
	bool too_many;
	return api_json_parse_bounded(data, len, 0, &too_many, detail, detail_len);
}

json_t *api_json_parse_bounded(const char *data, size_t len, size_t max_elements, bool *too_many,
                               char *detail, size_t detail_len)
{
	*too_many = false;
	if (len == 0) {
		snprintf(detail, detail_len, "the body is empty");
		return NULL;
	}
	const char *bad = scan(data, len, max_elements, too_many);
	if (bad && *too_many) {
		snprintf(detail, detail_len, "the body holds more than %zu array elements", max_elements);
		return NULL;
	}
	if (bad) {
		snprintf(detail, detail_len, "the body nests deeper than %d levels", API_JSON_MAX_DEPTH);
		return NULL;
	}
	json_error_t err;
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		/* jansson's text names the problem and position, never our internals */
		snprintf(detail, detail_len, "at line %d column %d: %s", err.line, err.column, err.text);
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
