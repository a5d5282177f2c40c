/* Keyset pagination: ?limit= and opaque ?cursor= in, next_cursor and a Link
 * header out (API.md Conventions). */
#ifndef JXJY_API_PAGING_H
#define JXJY_API_PAGING_H

#include "request.h"

typedef struct api_page {
	int limit;          /* 1..500 */
	const char *after;  /* decoded cursor key, NULL for the first page */
	char limit_plus_one[16]; /* for the SQL LIMIT: one more row tells if there is a next page */
} api_page;

/* Reads limit and cursor; on bad input replies 400 and returns false. */
bool api_page_read(api_req *r, api_page *out);
/* Replies 200 with {"items": rows' JSON (column col), "next_cursor"} where
 * the key of the last row is in column key_col; adds the Link header. */
void api_page_reply(api_req *r, const api_page *pg, const db_result *res, int key_col,
                    int json_col);
/* The usual key of a time-ordered list: "<µs since epoch>,<uuid>". */
bool api_cursor_is_time_id(const char *key);
#endif
