/* Keyset pagination: ?limit= and opaque ?cursor= in, next_cursor and a Link
 * header out (API.md Conventions). */
#ifndef JXJY_API_PAGING_H
#define JXJY_API_PAGING_H

#include "http/request.h"

typedef struct api_page {
	int limit;          /* 1..500 (or the max given to api_page_read_with) */
	const char *after;  /* decoded cursor key, NULL for the first page */
	char limit_plus_one[16]; /* for the SQL LIMIT: one more row tells if there is a next page */
} api_page;

/* A check of a decoded cursor key (e.g. api_cursor_is_time_id). */
typedef bool (*api_page_key_fn)(const char *key);

/* Reads limit and cursor; on bad input replies 400 and returns false. */
bool api_page_read(api_req *r, api_page *out);
/* The same with ?limit from 1 to max (default dflt), and a cursor whose key
 * fails key_ok (when given) refused as one this service did not issue. */
bool api_page_read_with(api_req *r, api_page *out, int max, int dflt, api_page_key_fn key_ok);

/* The opaque cursor of a key ("k1:" + key, base64url), in the arena; NULL
 * when key is NULL or too long. */
char *api_page_cursor(api_req *r, const char *key);
/* How many rows of res belong to this page (*rows) and the cursor of the
 * next page (the key of the last row, column key_col), NULL on the last. */
char *api_page_next(api_req *r, const api_page *pg, const db_result *res, int key_col, int *rows);
/* Adds the Link header of the next page: the same path and query with the
 * cursor next; nothing when next is NULL. */
void api_page_link(api_req *r, const api_page *pg, const char *next);

/* Replies 200 with {"items": rows' JSON (column col), "next_cursor"} where
 * the key of the last row is in column key_col; adds the Link header. */
void api_page_reply(api_req *r, const api_page *pg, const db_result *res, int key_col,
                    int json_col);
/* A row's JSON as the caller may see it: the text to send in its place
 * (borrowed or in the arena), NULL when it cannot be rendered. */
typedef const char *(*api_page_row_fn)(api_req *r, const char *json, void *arg);
/* api_page_reply with every row passed through row first (a NULL from it
 * answers 500 instead). */
void api_page_reply_rows(api_req *r, const api_page *pg, const db_result *res, int key_col,
                         int json_col, api_page_row_fn row, void *arg);

/* The usual key of a time-ordered list: "<µs since epoch>,<uuid>". */
bool api_cursor_is_time_id(const char *key);
#endif
