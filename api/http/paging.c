#include "http/paging.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sodium.h>

#define CURSOR_PREFIX "k1:"

bool api_page_read(api_req *r, api_page *out)
{
	return api_page_read_with(r, out, 500, 50, NULL);
}

bool api_page_read_with(api_req *r, api_page *out, int max, int dflt, api_page_key_fn key_ok)
{
	memset(out, 0, sizeof *out);
	out->limit = dflt;
	const char *l = api_query(r, "limit");
	if (l) {
		char *end;
		long v = strtol(l, &end, 10);
		if (!*l || *end || v < 1 || v > max) {
			char *d = api_arena_printf(r->mem, "limit must be an integer from 1 to %d", max);
			api_reply_problem(r, 400, "Bad query", d ? d : "limit is out of range");
			return false;
		}
		out->limit = (int)v;
	}
	snprintf(out->limit_plus_one, sizeof out->limit_plus_one, "%d", out->limit + 1);
	const char *c = api_query(r, "cursor");
	if (c) {
		unsigned char bin[192];
		size_t n = 0;
		if (strlen(c) > 250 ||
		    sodium_base642bin(bin, sizeof bin - 1, c, strlen(c), NULL, &n, NULL,
		                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
		    n <= strlen(CURSOR_PREFIX) || memcmp(bin, CURSOR_PREFIX, strlen(CURSOR_PREFIX)) != 0 ||
		    memchr(bin, 0, n)) {
			api_reply_problem(r, 400, "Bad query", "cursor is not one this service issued");
			return false;
		}
		bin[n] = 0;
		out->after = api_arena_strdup(r->mem, (const char *)bin + strlen(CURSOR_PREFIX));
		if (key_ok && out->after && !key_ok(out->after)) {
			api_reply_problem(r, 400, "Bad query", "cursor is not one this service issued");
			return false;
		}
	}
	return true;
}

char *api_page_cursor(api_req *r, const char *key)
{
	char raw[160];
	if (!key)
		return NULL;
	int n = snprintf(raw, sizeof raw, CURSOR_PREFIX "%s", key);
	if (n < 0 || (size_t)n >= sizeof raw)
		return NULL;
	size_t cap = sodium_base64_ENCODED_LEN((size_t)n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = api_arena_alloc(r->mem, cap);
	sodium_bin2base64(out, cap, (const unsigned char *)raw, (size_t)n,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

char *api_page_next(api_req *r, const api_page *pg, const db_result *res, int key_col, int *rows)
{
	int n = db_result_rows(res);
	bool more = n > pg->limit;
	if (more)
		n = pg->limit;
	*rows = n;
	return more ? api_page_cursor(r, db_result_value(res, n - 1, key_col)) : NULL;
}

void api_page_link(api_req *r, const api_page *pg, const char *next)
{
	if (!next || !r->ev)
		return;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(r->ev);
	struct evbuffer *q = evbuffer_new();
	struct evkeyval *kv;
	TAILQ_FOREACH(kv, r->query, next) {
		if (!strcmp(kv->key, "cursor") || !strcmp(kv->key, "limit"))
			continue;
		char *k = evhttp_encode_uri(kv->key), *v = evhttp_encode_uri(kv->value);
		if (k && v)
			evbuffer_add_printf(q, "%s=%s&", k, v);
		free(k);
		free(v);
	}
	evbuffer_add(q, "", 1);
	char *link = api_arena_printf(r->mem, "<%s?%slimit=%d&cursor=%s>; rel=\"next\"",
	                              evhttp_uri_get_path(uri), (const char *)evbuffer_pullup(q, -1),
	                              pg->limit, next);
	evbuffer_free(q);
	api_reply_header(r, "Link", link);
}

void api_page_reply(api_req *r, const api_page *pg, const db_result *res, int key_col, int json_col)
{
	api_page_reply_rows(r, pg, res, key_col, json_col, NULL, NULL);
}

void api_page_reply_rows(api_req *r, const api_page *pg, const db_result *res, int key_col,
                         int json_col, api_page_row_fn row, void *arg)
{
	int rows;
	char *next = api_page_next(r, pg, res, key_col, &rows);
	struct evbuffer *b = evbuffer_new();
	evbuffer_add_printf(b, "{\"items\":[");
	for (int i = 0; i < rows; i++) {
		if (i)
			evbuffer_add(b, ",", 1);
		const char *v = db_result_value(res, i, json_col);
		if (row && !(v = row(r, v, arg))) {
			evbuffer_free(b);
			api_reply_problem(r, 500, "Internal error", "an item could not be rendered");
			return;
		}
		evbuffer_add(b, v, strlen(v));
	}
	if (next) {
		evbuffer_add_printf(b, "],\"next_cursor\":\"%s\"}", next);
		api_page_link(r, pg, next);
	} else {
		evbuffer_add_printf(b, "],\"next_cursor\":null}");
	}
	size_t len = evbuffer_get_length(b);
	api_reply_raw(r, 200, "application/json", (const char *)evbuffer_pullup(b, -1), len);
	evbuffer_free(b);
}

bool api_cursor_is_time_id(const char *s)
{
	const char *comma = strchr(s, ',');
	if (!comma || comma == s || comma - s > 19)
		return false;
	for (const char *p = s; p < comma; p++)
		if (*p < '0' || *p > '9')
			return false;
	return api_is_uuid(comma + 1);
}
