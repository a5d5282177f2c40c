/*
 * JSON input as SECURITY.md asks: duplicate keys refused, nesting bounded,
 * \u0000 refused (jansson's default), unknown fields refused on writes.
 */
#ifndef JXJY_API_JSON_H
#define JXJY_API_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define API_JSON_MAX_DEPTH 32

/* Parses a body; NULL with a client-safe detail on failure. */
json_t *api_json_parse(const char *data, size_t len, char *detail, size_t detail_len);
/* The same with at most max_elements array elements in all (0: any);
 * *too_many tells that this was the refusal. */
json_t *api_json_parse_bounded(const char *data, size_t len, size_t max_elements, bool *too_many,
                               char *detail, size_t detail_len);

/* Appends {"field","code","message"} to an errors array (a problem's
 * errors[], API.md). */
void api_error_add(json_t *errors, const char *field, const char *code, const char *message);

/* v as JSON text (flags as json_dumps') in the arena a. */
struct api_arena;
char *api_json_dump_arena(struct api_arena *a, const json_t *v, size_t flags);

/* Adds the "unknown_field" error of key. */
void api_json_unknown_field(json_t *errors, const char *key);
/* Adds an error to errors for every key of obj not in the NULL-terminated
 * allowed list; returns how many were unknown. */
int api_json_unknown_fields(const json_t *obj, const char *const *allowed, json_t *errors);
#endif
