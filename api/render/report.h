/*
 * The annual report's answers: the model of handlers/report_model.h
 * as JSON, as CSV (Accept: text/csv) or as a spreadsheet (Accept:
 * application/vnd.openxmlformats-officedocument.spreadsheetml.sheet).  Each
 * ends the request.
 */
#ifndef JXJY_API_RENDER_REPORT_H
#define JXJY_API_RENDER_REPORT_H

#include <stdbool.h>

#include "handlers/report_model.h"
#include "render/xlsx.h"

void api_report_reply_json(const api_report *p);
/* one row per group, then the scope's total */
void api_report_reply_csv(const api_report *p);
/* sheets: the total, by title level, by form, by class type, by base and,
 * with group_by, the groups as rows of the CSV */
void api_report_reply_xlsx(const api_report *p);

/* ---- the rows that the CSV and the spreadsheet's groups sheet share ---- */

/* A row's cells, in the order of api_report_row_header(): strings for the
 * CSV, and a typed value for the spreadsheet. */
typedef struct api_report_cell {
	const char *text; /* NULL: unknown (null in JSON) */
	double num;
	api_xlsx_fmt fmt;
	bool is_text;
} api_report_cell;

/* The header (NULL-terminated, in the arena) and its number of columns. */
const char **api_report_row_header(const api_report *p, int *ncols);
/* The cells of f's row (out: as many as the header has columns). */
void api_report_row_cells(const api_report *p, const api_report_fig *f, const char *key,
                          const char *name, api_report_cell *out);
/* "继续教育年度统计-<year>.<ext>" */
const char *api_report_file_name(const api_report *p, const char *ext);
#endif
