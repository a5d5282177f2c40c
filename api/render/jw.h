/*
 * A JSON writer for the hot answers (issue 10): text appended to one
 * growing buffer, no tree, no allocation per value.  It writes what
 * api_reply_json (jansson, JSON_COMPACT, JSON_REAL_PRECISION(15)) would for
 * the same members in the same order: compact, strings escaped as jansson
 * escapes them, hours as tenths with one decimal ("12.5", "72.0").  Commas
 * are the writer's: a key or a value after another gets one.
 */
#ifndef JXJY_API_JW_H
#define JXJY_API_JW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct api_jw {
	char *buf;   /* NUL-terminated; malloc'ed, api_jw_free releases it */
	size_t len, cap;
	bool comma;  /* the next key or value needs a comma first */
} api_jw;

void api_jw_init(api_jw *w);
void api_jw_free(api_jw *w);

void api_jw_obj(api_jw *w);     /* { */
void api_jw_obj_end(api_jw *w); /* } */
void api_jw_arr(api_jw *w);     /* [ */
void api_jw_arr_end(api_jw *w); /* ] */
void api_jw_key(api_jw *w, const char *key);
void api_jw_str(api_jw *w, const char *s); /* NULL: null */
void api_jw_int(api_jw *w, long long v);
void api_jw_hours(api_jw *w, int32_t tenths);
void api_jw_bool(api_jw *w, bool v);
void api_jw_null(api_jw *w);
/* JSON text as PostgreSQL prints it (json_build_object: "k" : v, …),
 * copied without the whitespace between tokens; NULL: null. */
void api_jw_json(api_jw *w, const char *json);

#endif
