/*
 * The annual report's model: the figures of the scope and of each
 * group, built from the result sets of reports.c's one round trip and read
 * by the renderers (render/report.h: JSON, CSV, spreadsheet).
 *
 * Hours are kept in tenths and money in ten-thousandths of a yuan: exact,
 * as DOMAIN.md asks of hours; money is rounded to the fen when written.
 * Everything lives in the request's arena.
 */
#ifndef JXJY_HANDLERS_REPORT_MODEL_H
#define JXJY_HANDLERS_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/scope.h"
#include "http/request.h"

enum { API_REPORT_NLEVEL = 5, API_REPORT_NCLASS = 4, API_REPORT_NFUND = 3 };

/* Codes (JSON keys) and names (CSV and spreadsheet labels), in report order. */
extern const char *const api_report_level_code[API_REPORT_NLEVEL];
extern const char *const api_report_level_name[API_REPORT_NLEVEL];
extern const char *const api_report_class_code[API_REPORT_NCLASS];
extern const char *const api_report_class_name[API_REPORT_NCLASS];
extern const char *const api_report_fund_code[API_REPORT_NFUND];
extern const char *const api_report_fund_name[API_REPORT_NFUND];

/* Trainees of one base, a list sorted by id (so that answers are stable). */
typedef struct api_report_base {
	const char *id;
	int64_t trainees;
	struct api_report_base *next;
} api_report_base;

/* The figures of the scope or of one group. */
typedef struct api_report_fig {
	const char *key, *name;
	int64_t head[API_REPORT_NLEVEL], comp[API_REPORT_NLEVEL];
	int64_t pub, prof;            /* tenths of hours */
	int64_t *form;                /* tenths, one per form of the report */
	int64_t cls[API_REPORT_NCLASS];
	api_report_base *bases;
	int64_t trainees;
	int64_t fund[API_REPORT_NFUND]; /* 1/10000 yuan (fee x percent / 100 is exact there) */
} api_report_fig;

/* The result sets of the report's batch, in this order. */
enum { API_REPORT_SCOPE, API_REPORT_FORMS, API_REPORT_NAMES, API_REPORT_HEAD, API_REPORT_COMP,
       API_REPORT_HOURS, API_REPORT_TRAIN, API_REPORT__CALLS };

typedef struct api_report {
	api_req *r;
	api_scope scope;
	long year;
	const char *group_by; /* NULL, district, industry, unit or title_level */
	bool base_caller;     /* no compliance figures */
	bool level_groups;    /* group_by=title_level */
	int nforms;
	const char **form_code, **form_name;
	api_report_fig total;
	api_report_fig **slots; /* open addressing by key, nslots a power of two */
	size_t nslots;
	api_report_fig **groups; /* sorted: title levels in report order, else by key */
	size_t ngroups;
} api_report;

/* Fills p's forms, total and groups from res (API_REPORT__CALLS result
 * sets); p->r, scope, year, group_by, base_caller and level_groups are set.
 * Returns 0, or DB_EVALUE when a value does not read (logged). */
DB_MUSTCHECK int api_report_build(api_report *p, db_result *const *res);

/* What a figure carries: compliance (not for bases), hours (title-level
 * groups: from summaries, so not for bases either), the breakdown by form
 * and class type (not for title-level groups). */
typedef struct api_report_shape {
	bool comp, hours, breakdown;
} api_report_shape;

api_report_shape api_report_shape_of(const api_report *p, const api_report_fig *f);

/* ---- numbers the renderers share ---------------------------------------- */

int64_t api_report_sum(const int64_t *a, int n);
/* core_stats_rate of the figure's compliant persons over its headcount */
double api_report_rate(const api_report_fig *f);
/* 1/10000 yuan → fen, half away from zero */
int64_t api_report_cents(int64_t v);
/* v with scale (1 or 2) decimals: 125, 1 → "12.5" */
void api_report_fixed_format(char *out, size_t n, int64_t v, int scale);
/* the shortest decimal that reads back as x */
void api_report_rate_format(char *out, size_t n, double x);
#endif
