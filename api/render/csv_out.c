#include "render/csv_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "render/messages.h"

void api_csv_init(api_csv *c)
{
	c->row_open = false;
	c->buf = evbuffer_new();
	if (!c->buf)
		abort(); /* libevent allocates through api_xmalloc (http/alloc.h) */
	evbuffer_add(c->buf, "\xEF\xBB\xBF", 3);
}

void api_csv_dispose(api_csv *c)
{
	if (c->buf)
		evbuffer_free(c->buf);
	c->buf = NULL;
}

void api_csv_cell(api_csv *c, const char *v)
{
	if (c->row_open)
		evbuffer_add(c->buf, ",", 1);
	c->row_open = true;
	if (!v || !*v)
		return;
	/* a leading formula character makes Excel evaluate the cell: prefix a quote */
	bool formula = strchr("=+-@\t\r", v[0]) != NULL;
	bool quote = formula || strpbrk(v, ",\"\r\n") != NULL;
	if (quote)
		evbuffer_add(c->buf, "\"", 1);
	if (formula)
		evbuffer_add(c->buf, "'", 1);
	for (const char *p = v; *p; p++) {
		if (*p == '"')
			evbuffer_add(c->buf, "\"\"", 2);
		else
			evbuffer_add(c->buf, p, 1);
	}
	if (quote)
		evbuffer_add(c->buf, "\"", 1);
}

void api_csv_json(api_csv *c, const json_t *v)
{
	char num[32];
	if (json_is_integer(v)) {
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		api_csv_cell(c, num);
	} else {
		api_csv_cell(c, json_string_value(v));
	}
}

void api_csv_end_row(api_csv *c)
{
	evbuffer_add(c->buf, "\r\n", 2);
	c->row_open = false;
}

void api_csv_row(api_csv *c, const char *const *cells)
{
	for (const char *const *p = cells; *p; p++)
		api_csv_cell(c, *p);
	api_csv_end_row(c);
}

void api_csv_header(api_csv *c, const char *const *cols, api_lang lang)
{
	for (const char *const *p = cols; *p; p++) {
		const char *zh = lang == API_LANG_ZH ? api_msg_header(*p) : NULL;
		api_csv_cell(c, zh ? zh : *p);
	}
	api_csv_end_row(c);
}

/* the columns whose values are codes of an enumeration (API.md "Chinese
 * CSV": written as their Chinese labels) */
static bool coded(const char *col)
{
	static const char *const cols[] = { "title_level", "status", "category", "form",
	                                    "class_type", "source", NULL };
	for (const char *const *p = cols; *p; p++)
		if (strcmp(*p, col) == 0)
			return true;
	return false;
}

void api_csv_value(api_csv *c, const char *col, const json_t *v, api_lang lang)
{
	const char *label = lang == API_LANG_ZH && coded(col) && json_is_string(v)
	                        ? api_msg_label(json_string_value(v)) : NULL;
	if (label)
		api_csv_cell(c, label);
	else
		api_csv_json(c, v);
}

void api_csv_reply(api_req *r, api_csv *c, const char *filename)
{
	/* RFC 6266: an ASCII fallback and the UTF-8 name, percent-encoded */
	char *enc = evhttp_uriencode(filename, -1, 0);
	char *disp = api_arena_printf(r->mem, "attachment; filename=\"export.csv\"; filename*=UTF-8''%s",
	                              enc ? enc : "export.csv");
	free(enc);
	if (disp)
		api_reply_header(r, "Content-Disposition", disp);
	size_t len = evbuffer_get_length(c->buf);
	const char *data = (const char *)evbuffer_pullup(c->buf, -1);
	api_reply_raw(r, 200, "text/csv; charset=utf-8", data, len);
	api_csv_dispose(c);
}
