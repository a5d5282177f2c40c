/*
 * The annual report as a spreadsheet (render/report.h): the scope's totals
 * one figure per row, then by title level, by form, by class type, by base
 * and, with group_by, the groups as the CSV's rows (report_csv.c).
 */
#include "render/report.h"

#include "core.h"

#define NLEVEL API_REPORT_NLEVEL

static void x_cell(api_xlsx *x, const api_report_cell *c)
{
	if (!c->text)
		api_xlsx_blank(x);
	else if (c->is_text)
		api_xlsx_string(x, c->text);
	else
		api_xlsx_number(x, c->num, c->fmt);
}

static void x_label_number(api_xlsx *x, const char *label, double v, api_xlsx_fmt fmt)
{
	api_xlsx_string(x, label);
	api_xlsx_number(x, v, fmt);
	api_xlsx_end_row(x);
}

/* 1: the scope's totals, one figure per row */
static void sheet_total(api_xlsx *x, const api_report *p)
{
	static const char *const header[] = { "项目", "数值", NULL };
	const api_report_fig *t = &p->total;
	api_xlsx_sheet(x, "总计", header);
	x_label_number(x, "年度", (double)p->year, API_XLSX_INT);
	const char *scope_lab[] = { "区县", "行业", "单位", "基地" };
	const char *scope_val[] = { p->scope.district ? p->scope.district : p->scope.want_district,
		                    p->scope.industry, p->scope.unit, p->scope.base };
	for (int i = 0; i < 4; i++)
		if (scope_val[i]) {
			api_xlsx_string(x, scope_lab[i]);
			api_xlsx_string(x, scope_val[i]);
			api_xlsx_end_row(x);
		}
	x_label_number(x, "人数", (double)api_report_sum(t->head, NLEVEL), API_XLSX_INT);
	if (api_report_shape_of(p, t).comp) {
		x_label_number(x, "达标人数", (double)api_report_sum(t->comp, NLEVEL), API_XLSX_INT);
		x_label_number(x, "达标率", api_report_rate(t), API_XLSX_PERCENT);
	}
	x_label_number(x, "总学时", (double)(t->pub + t->prof) / 10.0, API_XLSX_TENTHS);
	x_label_number(x, "公共知识学时", (double)t->pub / 10.0, API_XLSX_TENTHS);
	x_label_number(x, "专业知识学时", (double)t->prof / 10.0, API_XLSX_TENTHS);
	x_label_number(x, "参训人数", (double)t->trainees, API_XLSX_INT);
	for (int m = 0; m < API_REPORT_NFUND; m++)
		x_label_number(x, api_report_fund_name[m], (double)api_report_cents(t->fund[m]) / 100.0,
		               API_XLSX_MONEY);
}

/* 2: by title level */
static void sheet_levels(api_xlsx *x, const api_report *p)
{
	static const char *const header[] = { "职称", "代码", "人数", "达标人数", "达标率", NULL };
	const api_report_fig *t = &p->total;
	bool comp = api_report_shape_of(p, t).comp;
	api_xlsx_sheet(x, "按职称", header);
	for (int l = 0; l < NLEVEL; l++) {
		api_xlsx_string(x, api_report_level_name[l]);
		api_xlsx_string(x, api_report_level_code[l]);
		api_xlsx_number(x, (double)t->head[l], API_XLSX_INT);
		if (comp) {
			api_xlsx_number(x, (double)t->comp[l], API_XLSX_INT);
			api_xlsx_number(x, core_stats_rate(t->comp[l], t->head[l]), API_XLSX_PERCENT);
		}
		api_xlsx_end_row(x);
	}
}

/* 3, 4, 5: hours by form and by class type, trainees by base */
static void sheet_breakdowns(api_xlsx *x, const api_report *p)
{
	const api_report_fig *t = &p->total;
	static const char *const h_form[] = { "形式", "代码", "学时", NULL };
	api_xlsx_sheet(x, "按形式", h_form);
	for (int i = 0; i < p->nforms; i++) {
		api_xlsx_string(x, p->form_name[i]);
		api_xlsx_string(x, p->form_code[i]);
		api_xlsx_number(x, (double)t->form[i] / 10.0, API_XLSX_TENTHS);
		api_xlsx_end_row(x);
	}
	static const char *const h_class[] = { "办班种类", "代码", "学时", NULL };
	api_xlsx_sheet(x, "按办班种类", h_class);
	for (int c = 0; c < API_REPORT_NCLASS; c++) {
		api_xlsx_string(x, api_report_class_name[c]);
		api_xlsx_string(x, api_report_class_code[c]);
		api_xlsx_number(x, (double)t->cls[c] / 10.0, API_XLSX_TENTHS);
		api_xlsx_end_row(x);
	}
	static const char *const h_base[] = { "基地", "参训人数", NULL };
	api_xlsx_sheet(x, "按基地", h_base);
	for (api_report_base *b = t->bases; b; b = b->next) {
		api_xlsx_string(x, b->id);
		api_xlsx_number(x, (double)b->trainees, API_XLSX_INT);
		api_xlsx_end_row(x);
	}
}

/* 6: the groups, one row each, as in the CSV */
static void sheet_groups(api_xlsx *x, const api_report *p)
{
	int ncols = 0;
	const char **header = api_report_row_header(p, &ncols);
	api_report_cell *cells = api_arena_alloc(p->r->mem, (size_t)(ncols + 1) * sizeof *cells);
	api_xlsx_sheet(x, "分组", header);
	for (size_t i = 0; i < p->ngroups; i++) {
		api_report_row_cells(p, p->groups[i], p->groups[i]->key, p->groups[i]->name, cells);
		for (int k = 0; k < ncols; k++)
			x_cell(x, &cells[k]);
		api_xlsx_end_row(x);
	}
}

void api_report_reply_xlsx(const api_report *p)
{
	/* not memory: the workbook's temporary file */
	api_xlsx *x = api_xlsx_new();
	if (!x) {
		api_reply_problem(p->r, 503, "Service unavailable", "could not write the spreadsheet");
		return;
	}
	sheet_total(x, p);
	sheet_levels(x, p);
	sheet_breakdowns(x, p);
	if (p->group_by)
		sheet_groups(x, p);
	api_xlsx_reply(p->r, x, api_report_file_name(p, "xlsx"));
}
