/* The JSON writer (render/jw.h). */
#include "render/jw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/alloc.h"

void api_jw_init(api_jw *w)
{
	w->cap = 1024;
	w->buf = api_xmalloc(w->cap);
	w->buf[0] = '\0';
	w->len = 0;
	w->comma = false;
}

void api_jw_free(api_jw *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

static void reserve(api_jw *w, size_t n)
{
	if (w->len + n + 1 <= w->cap)
		return;
	while (w->len + n + 1 > w->cap)
		w->cap *= 2;
	w->buf = api_xrealloc(w->buf, w->cap);
}

static void put(api_jw *w, const char *s, size_t n)
{
	reserve(w, n);
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void putc_(api_jw *w, char c)
{
	put(w, &c, 1);
}

/* the comma before a value or a key */
static void sep(api_jw *w)
{
	if (w->comma)
		putc_(w, ',');
	w->comma = true;
}

static void quoted(api_jw *w, const char *s)
{
	putc_(w, '"');
	const char *run = s;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		const char *esc = NULL;
		char u[8];
		switch (*p) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (*p < 0x20) {
				snprintf(u, sizeof u, "\\u%04X", *p);
				esc = u;
			}
		}
		if (!esc)
			continue;
		put(w, run, (size_t)((const char *)p - run));
		put(w, esc, strlen(esc));
		run = (const char *)p + 1;
	}
	put(w, run, strlen(run));
	putc_(w, '"');
}

void api_jw_obj(api_jw *w)
{
	sep(w);
	putc_(w, '{');
	w->comma = false;
}

void api_jw_obj_end(api_jw *w)
{
	putc_(w, '}');
	w->comma = true;
}

void api_jw_arr(api_jw *w)
{
	sep(w);
	putc_(w, '[');
	w->comma = false;
}

void api_jw_arr_end(api_jw *w)
{
	putc_(w, ']');
	w->comma = true;
}

void api_jw_key(api_jw *w, const char *key)
{
	sep(w);
	quoted(w, key);
	putc_(w, ':');
	w->comma = false;
}

void api_jw_str(api_jw *w, const char *s)
{
	if (!s) {
		api_jw_null(w);
		return;
	}
	sep(w);
	quoted(w, s);
}

void api_jw_int(api_jw *w, long long v)
{
	char b[24];
	sep(w);
	put(w, b, (size_t)snprintf(b, sizeof b, "%lld", v));
}

void api_jw_hours(api_jw *w, int32_t tenths)
{
	char b[24];
	long long t = tenths, a = t < 0 ? -t : t;
	sep(w);
	put(w, b, (size_t)snprintf(b, sizeof b, "%s%lld.%lld", t < 0 ? "-" : "", a / 10, a % 10));
}

void api_jw_bool(api_jw *w, bool v)
{
	sep(w);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void api_jw_null(api_jw *w)
{
	sep(w);
	put(w, "null", 4);
}

void api_jw_json(api_jw *w, const char *json)
{
	if (!json) {
		api_jw_null(w);
		return;
	}
	sep(w);
	reserve(w, strlen(json));
	bool in_str = false, esc = false;
	for (const char *p = json; *p; p++) {
		char c = *p;
		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
		} else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			continue;
		} else if (c == '"') {
			in_str = true;
		}
		w->buf[w->len++] = c;
	}
	w->buf[w->len] = '\0';
}
