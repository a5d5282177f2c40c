/*
 * CSV answers (API.md: Accept: text/csv): UTF-8 with a BOM so Excel reads
 * Chinese, RFC 4180 quoting, CRLF, and cells that start with = + - @ tab or
 * CR neutralised against formula injection (CWE-1236).
 */
#ifndef JXJY_API_CSV_OUT_H
#define JXJY_API_CSV_OUT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "http/request.h"
#include "render/lang.h"

struct evbuffer;

typedef struct api_csv {
	struct evbuffer *buf;
	bool row_open;
} api_csv;

/* Starts a CSV document (writes the BOM). */
void api_csv_init(api_csv *c);
void api_csv_dispose(api_csv *c);
/* Appends one cell (NULL: empty) to the current row. */
void api_csv_cell(api_csv *c, const char *value);
void api_csv_end_row(api_csv *c);
/* A cell from a JSON value: a string as it is, an integer in decimal,
 * anything else empty. */
void api_csv_json(api_csv *c, const json_t *v);
/* A header row from a NULL-terminated list. */
void api_csv_row(api_csv *c, const char *const *cells);
/* A header row of column names: their Chinese headers in Chinese (API.md
 * "Chinese CSV"), the names themselves in English. */
void api_csv_header(api_csv *c, const char *const *cols, api_lang lang);
/* The cell of column col: a code of an enumeration (title_level, status,
 * category, form, class_type, source) as its Chinese label in Chinese,
 * anything else as api_csv_json writes it. */
void api_csv_value(api_csv *c, const char *col, const json_t *v, api_lang lang);
/* Sends it as an attachment named filename (UTF-8 allowed); ends the request. */
void api_csv_reply(api_req *r, api_csv *c, const char *filename);
#endif
