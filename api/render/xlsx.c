#include "render/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/http.h>
#include <xlsxwriter.h>

#include "http/alloc.h"

struct api_xlsx {
	char path[64];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *fmt[4];
	lxw_row_t row;
	lxw_col_t col;
	bool failed;
};

api_xlsx *api_xlsx_new(void)
{
	api_xlsx *x = api_xcalloc(1, sizeof *x);
	snprintf(x->path, sizeof x->path, "/tmp/jxjy-xlsx-XXXXXX");
	int fd = mkstemp(x->path);
	if (fd < 0) {
		free(x);
		return NULL;
	}
	close(fd);
	/* constant memory: rows go to disk as written, strings inline */
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = "/tmp" };
	x->wb = workbook_new_opt(x->path, &opt);
	if (!x->wb) {
		unlink(x->path);
		free(x);
		return NULL;
	}
	x->bold = workbook_add_format(x->wb);
	format_set_bold(x->bold);
	static const char *const num_formats[] = { "0", "0.0", "0.00", "0.00%" };
	for (int i = 0; i < 4; i++) {
		x->fmt[i] = workbook_add_format(x->wb);
		format_set_num_format(x->fmt[i], num_formats[i]);
	}
	return x;
}

void api_xlsx_free(api_xlsx *x)
{
	if (!x)
		return;
	if (x->wb) {
		/* closing writes the file; it is removed right after */
		workbook_close(x->wb);
		x->wb = NULL;
	}
	unlink(x->path);
	free(x);
}

bool api_xlsx_sheet(api_xlsx *x, const char *name, const char *const *header)
{
	x->ws = workbook_add_worksheet(x->wb, name);
	if (!x->ws) {
		x->failed = true;
		return false;
	}
	x->row = 0;
	x->col = 0;
	lxw_col_t n = 0;
	for (const char *const *h = header; *h; h++, n++)
		if (worksheet_write_string(x->ws, 0, n, *h, x->bold) != LXW_NO_ERROR)
			x->failed = true;
	if (n > 0)
		worksheet_set_column(x->ws, 0, (lxw_col_t)(n - 1), 14, NULL);
	x->row = 1;
	return !x->failed;
}

void api_xlsx_string(api_xlsx *x, const char *s)
{
	if (x->ws && s && *s && worksheet_write_string(x->ws, x->row, x->col, s, NULL) != LXW_NO_ERROR)
		x->failed = true;
	x->col++;
}

void api_xlsx_number(api_xlsx *x, double v, api_xlsx_fmt fmt)
{
	if (x->ws && worksheet_write_number(x->ws, x->row, x->col, v, x->fmt[fmt]) != LXW_NO_ERROR)
		x->failed = true;
	x->col++;
}

void api_xlsx_blank(api_xlsx *x)
{
	x->col++;
}

void api_xlsx_end_row(api_xlsx *x)
{
	x->row++;
	x->col = 0;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct stat st;
	char *data = NULL;
	if (fstat(fileno(f), &st) == 0 && st.st_size > 0 && st.st_size < (64 << 20)) {
		data = malloc((size_t)st.st_size);
		if (data && fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
			free(data);
			data = NULL;
		}
		*len = (size_t)st.st_size;
	}
	fclose(f);
	return data;
}

void api_reply_attachment(api_req *r, const char *fallback, const char *filename)
{
	char *enc = evhttp_uriencode(filename, -1, 0);
	char *disp = api_arena_printf(r->mem, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
	                              fallback, enc ? enc : fallback);
	free(enc);
	api_reply_header(r, "Content-Disposition", disp);
}

void api_xlsx_reply(api_req *r, api_xlsx *x, const char *filename)
{
	lxw_error err = x->failed ? LXW_ERROR_MEMORY_MALLOC_FAILED : workbook_close(x->wb);
	if (!x->failed)
		x->wb = NULL;
	size_t len = 0;
	char *data = err == LXW_NO_ERROR ? read_all(x->path, &len) : NULL;
	api_xlsx_free(x);
	if (!data) {
		api_reply_problem(r, 503, "Service unavailable", "could not write the spreadsheet");
		return;
	}
	api_reply_attachment(r, "report.xlsx", filename);
	api_reply_raw(r, 200, API_XLSX_TYPE, data, len);
	free(data);
}
