/*
 * Spreadsheet answers (Accept: application/vnd.openxmlformats-officedocument
 * .spreadsheetml.sheet): a real .xlsx written by libxlsxwriter, sheets of
 * rows with a header row, numbers stored as numbers.
 *
 * libxlsxwriter writes to a file: the workbook goes to a private temporary
 * file (mkstemp under /tmp), is read back into memory and unlinked.  That
 * is blocking work on the worker's event loop; it is meant for small
 * documents (a report: a few sheets, at most one row per group), where it
 * costs milliseconds.
 */
#ifndef JXJY_API_XLSX_H
#define JXJY_API_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"

#define API_XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

typedef struct api_xlsx api_xlsx;

/* Number formats of a cell. */
typedef enum api_xlsx_fmt {
	API_XLSX_INT,     /* 0 */
	API_XLSX_TENTHS,  /* 0.0 (hours) */
	API_XLSX_MONEY,   /* 0.00 */
	API_XLSX_PERCENT, /* 0.00% (a fraction stored as such) */
} api_xlsx_fmt;

/* A new workbook in a temporary file; NULL when it cannot be created. */
api_xlsx *api_xlsx_new(void);
/* Starts a sheet (name ≤ 31 characters) with a bold header row from a
 * NULL-terminated list. */
bool api_xlsx_sheet(api_xlsx *x, const char *name, const char *const *header);
/* Cells of the current row, left to right; NULL strings leave a blank. */
void api_xlsx_string(api_xlsx *x, const char *s);
void api_xlsx_number(api_xlsx *x, double v, api_xlsx_fmt fmt);
void api_xlsx_blank(api_xlsx *x);
void api_xlsx_end_row(api_xlsx *x);
/* Closes the workbook and answers it as an attachment named filename
 * (UTF-8 allowed, RFC 6266); ends the request and frees x (also on error:
 * 503). */
void api_xlsx_reply(api_req *r, api_xlsx *x, const char *filename);
/* Frees x without answering. */
void api_xlsx_free(api_xlsx *x);

/* Content-Disposition: attachment with an ASCII fallback and the UTF-8
 * name (RFC 6266 / RFC 8187). */
void api_reply_attachment(api_req *r, const char *fallback, const char *filename);
#endif
