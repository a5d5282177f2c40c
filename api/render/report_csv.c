/*
 * The annual report as CSV (render/report.h): one row per group and the
 * scope's total ("合计") last.  The rows are also the spreadsheet's groups
 * sheet (report_xlsx.c), hence their cells carry a typed value besides the
 * text.
 */
#include "render/report.h"

#include <inttypes.h>
#include <stdio.h>

#include "render/csv_out.h"

#define NLEVEL API_REPORT_NLEVEL

static const char *const fixed_header[] = { "分组", "名称", "人数", "达标人数", "达标率", "总学时",
	                                    "公共知识学时", "专业知识学时", NULL };

const char **api_report_row_header(const api_report *p, int *ncols)
{
	api_arena *mem = p->r->mem;
	int n = 8 + 2 * NLEVEL + p->nforms + API_REPORT_NCLASS + 1 + API_REPORT_NFUND;
	const char **h = api_arena_alloc(mem, (size_t)(n + 1) * sizeof *h);
	int k = 0;
	for (; fixed_header[k]; k++)
		h[k] = fixed_header[k];
	for (int l = 0; l < NLEVEL; l++) {
		h[k++] = api_arena_printf(mem, "%s人数", api_report_level_name[l]);
		h[k++] = api_arena_printf(mem, "%s达标人数", api_report_level_name[l]);
	}
	for (int i = 0; i < p->nforms; i++)
		h[k++] = api_arena_printf(mem, "%s学时", p->form_name[i]);
	for (int c = 0; c < API_REPORT_NCLASS; c++)
		h[k++] = api_arena_printf(mem, "%s学时", api_report_class_name[c]);
	h[k++] = "参训人数";
	for (int m = 0; m < API_REPORT_NFUND; m++)
		h[k++] = api_report_fund_name[m];
	h[k] = NULL;
	*ncols = k;
	return h;
}

static api_report_cell c_text(const char *s)
{
	return (api_report_cell){ .text = s ? s : "", .is_text = true };
}

static api_report_cell c_num(const api_report *p, int64_t v, api_xlsx_fmt fmt)
{
	char s[40];
	double d = (double)v;
	if (fmt == API_XLSX_TENTHS || fmt == API_XLSX_MONEY) {
		api_report_fixed_format(s, sizeof s, v, fmt == API_XLSX_TENTHS ? 1 : 2);
		d = fmt == API_XLSX_TENTHS ? (double)v / 10.0 : (double)v / 100.0;
	} else {
		snprintf(s, sizeof s, "%" PRId64, v);
	}
	return (api_report_cell){ .text = api_arena_strdup(p->r->mem, s), .num = d, .fmt = fmt };
}

static api_report_cell c_rate(const api_report *p, const api_report_fig *f)
{
	char s[40];
	double rate = api_report_rate(f);
	api_report_rate_format(s, sizeof s, rate);
	return (api_report_cell){ .text = api_arena_strdup(p->r->mem, s), .num = rate,
		                  .fmt = API_XLSX_PERCENT };
}

static api_report_cell c_null(void)
{
	return (api_report_cell){ .text = NULL };
}

void api_report_row_cells(const api_report *p, const api_report_fig *f, const char *key,
                          const char *name, api_report_cell *out)
{
	api_report_shape sh = api_report_shape_of(p, f);
	int k = 0;
	out[k++] = c_text(key);
	out[k++] = c_text(name);
	out[k++] = c_num(p, api_report_sum(f->head, NLEVEL), API_XLSX_INT);
	out[k++] = sh.comp ? c_num(p, api_report_sum(f->comp, NLEVEL), API_XLSX_INT) : c_null();
	out[k++] = sh.comp ? c_rate(p, f) : c_null();
	out[k++] = sh.hours ? c_num(p, f->pub + f->prof, API_XLSX_TENTHS) : c_null();
	out[k++] = sh.hours ? c_num(p, f->pub, API_XLSX_TENTHS) : c_null();
	out[k++] = sh.hours ? c_num(p, f->prof, API_XLSX_TENTHS) : c_null();
	for (int l = 0; l < NLEVEL; l++) {
		out[k++] = c_num(p, f->head[l], API_XLSX_INT);
		out[k++] = sh.comp ? c_num(p, f->comp[l], API_XLSX_INT) : c_null();
	}
	for (int i = 0; i < p->nforms; i++)
		out[k++] = sh.breakdown ? c_num(p, f->form[i], API_XLSX_TENTHS) : c_null();
	for (int c = 0; c < API_REPORT_NCLASS; c++)
		out[k++] = sh.breakdown ? c_num(p, f->cls[c], API_XLSX_TENTHS) : c_null();
	out[k++] = c_num(p, f->trainees, API_XLSX_INT);
	for (int m = 0; m < API_REPORT_NFUND; m++)
		out[k++] = c_num(p, api_report_cents(f->fund[m]), API_XLSX_MONEY);
}

const char *api_report_file_name(const api_report *p, const char *ext)
{
	return api_arena_printf(p->r->mem, "继续教育年度统计-%ld.%s", p->year, ext);
}

void api_report_reply_csv(const api_report *p)
{
	int ncols = 0;
	const char **header = api_report_row_header(p, &ncols);
	api_report_cell *cells = api_arena_alloc(p->r->mem, (size_t)(ncols + 1) * sizeof *cells);
	api_csv c;
	api_csv_init(&c);
	api_csv_row(&c, header);
	for (size_t i = 0; i <= p->ngroups; i++) {
		bool total = i == p->ngroups;
		const api_report_fig *f = total ? &p->total : p->groups[i];
		api_report_row_cells(p, f, total ? "合计" : f->key, total ? NULL : f->name, cells);
		for (int k = 0; k < ncols; k++)
			api_csv_cell(&c, cells[k].text);
		api_csv_end_row(&c);
	}
	api_csv_reply(p->r, &c, api_report_file_name(p, "csv"));
}
