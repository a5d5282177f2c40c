/*
 * GET /v1/reports/annual?year=Y[&district=&industry=&unit=][&group_by=…]
 * (R-25 统计): headcount, compliance, hours by category, form and class
 * type, trainees per base and funding by payer, for the caller's scope
 * (api/scope.h), as JSON, CSV (Accept: text/csv) or a spreadsheet (Accept:
 * application/vnd.openxmlformats-officedocument.spreadsheetml.sheet).
 *
 * Where the figures come from (sql/0003_reports.sql), in one round trip:
 *   headcount, by_title_level   report_headcount: in-service persons now in
 *                               the scope, by their current title level
 *   compliant                   report_compliance: those of them whose
 *                               person-year is compliant, as core decided it
 *                               (person_year_summary); the rate is core's
 *                               core_stats_rate
 *   hours, by_form, by_class    report_hours: verified records of the year
 *                               whose person is now in the scope (also
 *                               persons who have left since: the training
 *                               happened); achievements have no class type
 *   trainees_by_base, funding   report_trainees: completed enrolments of the
 *                               year's projects of persons now in the scope
 * Title-level groups: records carry no title level, so a title-level group's
 * hours are its in-service persons' verified hours from their summaries, and
 * its by_form / by_class_type are null.
 * A base's report covers its own projects: headcount = its in-service
 * trainees of the year, hours = verified records of its projects, its
 * trainees and funding; compliance is not a base's to read (permission
 * matrix: compliance —), so compliant and compliance_rate are null.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "render/csv_out.h"
#include "domain/scope.h"
#include "render/xlsx.h"
#include "core.h"
#include "handlers.h"

enum { NLEVEL = 5, NCLASS = 4, NFUND = 3 };
static const char *const level_code[NLEVEL] = { "senior_full", "senior_deputy", "intermediate",
	                                        "junior_assistant", "junior_member" };
static const char *const level_name[NLEVEL] = { "正高级", "副高级", "中级", "助理级", "员级" };
static const char *const class_code[NCLASS] = { "full_time", "part_time", "spare_time", "online" };
static const char *const class_name[NCLASS] = { "脱产", "半脱产", "业余", "网络" };
static const char *const fund_code[NFUND] = { "government", "unit", "individual" };
static const char *const fund_name[NFUND] = { "政府经费", "单位经费", "个人经费" };

typedef struct rep_base {
	const char *id;
	int64_t trainees;
	struct rep_base *next;
} rep_base;

/* The figures of the scope or of one group.  Hours in tenths, money in
 * ten-thousandths of a yuan: exact, as DOMAIN.md asks of hours; money is
 * rounded to the fen when written. */
typedef struct rep_fig {
	const char *key, *name;
	int64_t head[NLEVEL], comp[NLEVEL];
	int64_t pub, prof;
	int64_t *form;
	int64_t cls[NCLASS];
	rep_base *bases;
	int64_t trainees;
	int64_t fund[NFUND]; /* 1/10000 yuan (fee x percent / 100 is exact there) */
} rep_fig;

enum { OUT_JSON, OUT_CSV, OUT_XLSX };
enum { C_SCOPE, C_FORMS, C_NAMES, C_HEAD, C_COMP, C_HOURS, C_TRAIN, C__COUNT };

typedef struct rep {
	api_req *r;
	api_scope scope;
	long year;
	char year_s[8];
	const char *group_by;
	int out;
	bool base_caller;  /* no compliance figures */
	bool level_groups; /* group_by=title_level */
	int nforms;
	const char **form_code, **form_name;
	rep_fig total;
	rep_fig **slots;
	size_t nslots;
	rep_fig **groups;
	size_t ngroups;
	const char *v_group[4], *v_base[6], *v_comp[5], *v_hours[6], *v_train[6], *v_names[3];
	db_call calls[C__COUNT];
} rep;

/* ---- numbers ------------------------------------------------------------ */

/* "123.45" with `scale` decimals as an integer (123.45, 2 → 12345). */
static int64_t fixed(const char *s, int scale)
{
	if (!s)
		return 0;
	bool neg = *s == '-';
	if (neg)
		s++;
	int64_t v = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	int got = 0;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9' && got < scale; s++, got++)
			v = v * 10 + (*s - '0');
	for (; got < scale; got++)
		v *= 10;
	return neg ? -v : v;
}

static int level_index(const char *s)
{
	for (int i = 0; s && i < NLEVEL; i++)
		if (strcmp(s, level_code[i]) == 0)
			return i;
	return -1;
}

static int class_index(const char *s)
{
	for (int i = 0; s && i < NCLASS; i++)
		if (strcmp(s, class_code[i]) == 0)
			return i;
	return -1;
}

static int form_index(const rep *p, const char *s)
{
	for (int i = 0; s && i < p->nforms; i++)
		if (strcmp(s, p->form_code[i]) == 0)
			return i;
	return -1;
}

static int64_t sum_of(const int64_t *a, int n)
{
	int64_t s = 0;
	for (int i = 0; i < n; i++)
		s += a[i];
	return s;
}

/* ---- groups: an open-addressing table sized for the rows received -------- */

static uint64_t hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static bool fig_init(rep *p, rep_fig *f)
{
	f->form = api_arena_alloc(p->r->mem, (size_t)(p->nforms > 0 ? p->nforms : 1) * sizeof *f->form);
	return f->form != NULL;
}

/* The group of key (created when create), NULL when absent or out of memory. */
static rep_fig *group(rep *p, const char *key, bool create)
{
	if (!key || !p->slots)
		return NULL;
	size_t i = (size_t)hash_key(key) & (p->nslots - 1);
	for (; p->slots[i]; i = (i + 1) & (p->nslots - 1))
		if (strcmp(p->slots[i]->key, key) == 0)
			return p->slots[i];
	if (!create || p->ngroups * 2 >= p->nslots)
		return NULL;
	rep_fig *f = api_arena_alloc(p->r->mem, sizeof *f);
	if (!f || !fig_init(p, f))
		return NULL;
	f->key = api_arena_strdup(p->r->mem, key);
	p->slots[i] = f;
	p->groups[p->ngroups++] = f;
	return f;
}

static void add_base(rep *p, rep_fig *f, const char *base, int64_t n)
{
	for (rep_base *b = f->bases; b; b = b->next)
		if (strcmp(b->id, base) == 0) {
			b->trainees += n;
			return;
		}
	rep_base *b = api_arena_alloc(p->r->mem, sizeof *b);
	if (!b)
		return;
	b->id = api_arena_strdup(p->r->mem, base);
	b->trainees = n;
	/* keep them sorted by id, so answers are stable */
	rep_base **at = &f->bases;
	while (*at && strcmp((*at)->id, b->id) < 0)
		at = &(*at)->next;
	b->next = *at;
	*at = b;
}

static int group_cmp_level(const void *a, const void *b)
{
	return level_index((*(rep_fig *const *)a)->key) - level_index((*(rep_fig *const *)b)->key);
}

static int group_cmp_key(const void *a, const void *b)
{
	return strcmp((*(rep_fig *const *)a)->key, (*(rep_fig *const *)b)->key);
}

/* ---- the model from the result sets -------------------------------------- */

static bool build(rep *p, db_result *const *res)
{
	api_req *r = p->r;
	const db_result *forms = res[C_FORMS];
	p->nforms = db_result_rows(forms);
	p->form_code = api_arena_alloc(r->mem, (size_t)(p->nforms + 1) * sizeof *p->form_code);
	p->form_name = api_arena_alloc(r->mem, (size_t)(p->nforms + 1) * sizeof *p->form_name);
	if (!p->form_code || !p->form_name || !fig_init(p, &p->total))
		return false;
	for (int i = 0; i < p->nforms; i++) {
		p->form_code[i] = api_arena_strdup(r->mem, db_result_value(forms, i, 0));
		p->form_name[i] = api_arena_strdup(r->mem, db_result_value(forms, i, 1));
	}
	const db_result *head = res[C_HEAD], *comp = p->base_caller ? NULL : res[C_COMP];
	const db_result *hours = res[C_HOURS], *train = res[C_TRAIN];
	if (p->group_by) {
		size_t rows = (size_t)db_result_rows(head) + (size_t)db_result_rows(hours) +
		              (size_t)db_result_rows(train) + (comp ? (size_t)db_result_rows(comp) : 0);
		p->nslots = 16;
		while (p->nslots < 2 * rows + 2)
			p->nslots *= 2;
		p->slots = api_arena_alloc(r->mem, p->nslots * sizeof *p->slots);
		p->groups = api_arena_alloc(r->mem, p->nslots * sizeof *p->groups);
		if (!p->slots || !p->groups)
			return false;
	}
	for (int i = 0; i < db_result_rows(head); i++) {
		int l = level_index(db_result_value(head, i, 1));
		int64_t n = fixed(db_result_value(head, i, 2), 0);
		rep_fig *g = group(p, db_result_value(head, i, 0), true);
		if (l < 0)
			continue;
		p->total.head[l] += n;
		if (g)
			g->head[l] += n;
	}
	for (int i = 0; comp && i < db_result_rows(comp); i++) {
		int l = level_index(db_result_value(comp, i, 1));
		int64_t n = fixed(db_result_value(comp, i, 2), 0);
		rep_fig *g = group(p, db_result_value(comp, i, 0), true);
		if (l < 0)
			continue;
		p->total.comp[l] += n;
		if (g) {
			g->comp[l] += n;
			if (p->level_groups) {
				g->pub += fixed(db_result_value(comp, i, 3), 1);
				g->prof += fixed(db_result_value(comp, i, 4), 1);
			}
		}
	}
	for (int i = 0; i < db_result_rows(hours); i++) {
		const char *cat = db_result_value(hours, i, 1);
		int f = form_index(p, db_result_value(hours, i, 2));
		int c = class_index(db_result_value(hours, i, 3));
		int64_t t = fixed(db_result_value(hours, i, 4), 1);
		bool pub = cat && strcmp(cat, "public") == 0;
		rep_fig *figs[2] = { &p->total, group(p, db_result_value(hours, i, 0), true) };
		for (int k = 0; k < 2; k++) {
			rep_fig *g = figs[k];
			if (!g)
				continue;
			*(pub ? &g->pub : &g->prof) += t;
			if (f >= 0)
				g->form[f] += t;
			if (c >= 0)
				g->cls[c] += t;
		}
	}
	for (int i = 0; i < db_result_rows(train); i++) {
		const char *base = db_result_value(train, i, 1);
		int64_t n = fixed(db_result_value(train, i, 2), 0);
		rep_fig *figs[2] = { &p->total, group(p, db_result_value(train, i, 0), true) };
		for (int k = 0; k < 2; k++) {
			rep_fig *g = figs[k];
			if (!g)
				continue;
			if (base)
				add_base(p, g, base, n);
			g->trainees += n;
			for (int m = 0; m < NFUND; m++)
				g->fund[m] += fixed(db_result_value(train, i, 4 + m), 4);
		}
	}
	const db_result *names = res[C_NAMES];
	for (int i = 0; i < db_result_rows(names); i++) {
		rep_fig *g = group(p, db_result_value(names, i, 0), false);
		if (g)
			g->name = api_arena_strdup(r->mem, db_result_value(names, i, 1));
	}
	for (size_t i = 0; p->level_groups && i < p->ngroups; i++)
		p->groups[i]->name = level_name[level_index(p->groups[i]->key) >= 0 ?
		                                level_index(p->groups[i]->key) : 0];
	if (p->ngroups > 1)
		qsort(p->groups, p->ngroups, sizeof *p->groups,
		      p->level_groups ? group_cmp_level : group_cmp_key);
	return true;
}

/* What a figure carries: compliance (not for bases), hours (title-level
 * groups: from summaries, so not for bases either), the breakdown by form
 * and class type (not for title-level groups). */
typedef struct fig_shape {
	bool comp, hours, breakdown;
} fig_shape;

static fig_shape shape_of(const rep *p, const rep_fig *f)
{
	bool level_group = f != &p->total && p->level_groups;
	return (fig_shape){ .comp = !p->base_caller,
		            .hours = !(level_group && p->base_caller),
		            .breakdown = !level_group };
}

/* ---- JSON ----------------------------------------------------------------- */

static void jw_str(struct evbuffer *b, const char *s)
{
	evbuffer_add(b, "\"", 1);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			evbuffer_add_printf(b, "\\%c", c);
		else if (c < 0x20)
			evbuffer_add_printf(b, "\\u%04x", c);
		else
			evbuffer_add(b, s, 1);
	}
	evbuffer_add(b, "\"", 1);
}

static void fmt_fixed(char *out, size_t n, int64_t v, int scale)
{
	int64_t div = scale == 1 ? 10 : 100;
	uint64_t a = v < 0 ? (uint64_t)(-v) : (uint64_t)v;
	snprintf(out, n, "%s%" PRIu64 ".%0*" PRIu64, v < 0 ? "-" : "", a / (uint64_t)div, scale,
	         a % (uint64_t)div);
}

/* 1/10000 yuan → fen, half away from zero */
static int64_t to_cents(int64_t v)
{
	return v >= 0 ? (v + 50) / 100 : -((-v + 50) / 100);
}

static void fmt_rate(char *out, size_t n, double x)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, n, "%.*g", prec, x);
		if (strtod(out, NULL) == x)
			return;
	}
}

static void jw_fixed(struct evbuffer *b, int64_t v, int scale)
{
	char s[32];
	fmt_fixed(s, sizeof s, v, scale);
	evbuffer_add(b, s, strlen(s));
}

static double rate_of(const rep_fig *f)
{
	return core_stats_rate(sum_of(f->comp, NLEVEL), sum_of(f->head, NLEVEL));
}

static void jw_figures(struct evbuffer *b, const rep *p, const rep_fig *f)
{
	fig_shape sh = shape_of(p, f);
	char s[40];
	evbuffer_add_printf(b, "\"headcount\":%" PRId64, sum_of(f->head, NLEVEL));
	if (sh.comp) {
		fmt_rate(s, sizeof s, rate_of(f));
		evbuffer_add_printf(b, ",\"compliant\":%" PRId64 ",\"compliance_rate\":%s",
		                    sum_of(f->comp, NLEVEL), s);
	} else {
		evbuffer_add_printf(b, ",\"compliant\":null,\"compliance_rate\":null");
	}
	evbuffer_add_printf(b, ",\"by_title_level\":{");
	for (int l = 0; l < NLEVEL; l++) {
		evbuffer_add_printf(b, "%s\"%s\":{\"headcount\":%" PRId64 ",\"compliant\":", l ? "," : "",
		                    level_code[l], f->head[l]);
		if (sh.comp)
			evbuffer_add_printf(b, "%" PRId64 "}", f->comp[l]);
		else
			evbuffer_add_printf(b, "null}");
	}
	evbuffer_add_printf(b, "},\"hours\":");
	if (sh.hours) {
		evbuffer_add_printf(b, "{\"total\":");
		jw_fixed(b, f->pub + f->prof, 1);
		evbuffer_add_printf(b, ",\"public\":");
		jw_fixed(b, f->pub, 1);
		evbuffer_add_printf(b, ",\"professional\":");
		jw_fixed(b, f->prof, 1);
		evbuffer_add_printf(b, "}");
	} else {
		evbuffer_add_printf(b, "null");
	}
	evbuffer_add_printf(b, ",\"by_form\":");
	if (sh.breakdown) {
		evbuffer_add_printf(b, "{");
		for (int i = 0; i < p->nforms; i++) {
			evbuffer_add_printf(b, "%s", i ? "," : "");
			jw_str(b, p->form_code[i]);
			evbuffer_add_printf(b, ":");
			jw_fixed(b, f->form[i], 1);
		}
		evbuffer_add_printf(b, "},\"by_class_type\":{");
		for (int c = 0; c < NCLASS; c++) {
			evbuffer_add_printf(b, "%s\"%s\":", c ? "," : "", class_code[c]);
			jw_fixed(b, f->cls[c], 1);
		}
		evbuffer_add_printf(b, "}");
	} else {
		evbuffer_add_printf(b, "null,\"by_class_type\":null");
	}
	evbuffer_add_printf(b, ",\"trainees_by_base\":{");
	for (rep_base *x = f->bases; x; x = x->next) {
		evbuffer_add_printf(b, "%s", x != f->bases ? "," : "");
		jw_str(b, x->id);
		evbuffer_add_printf(b, ":%" PRId64, x->trainees);
	}
	evbuffer_add_printf(b, "},\"funding\":{");
	for (int m = 0; m < NFUND; m++) {
		evbuffer_add_printf(b, "%s\"%s\":", m ? "," : "", fund_code[m]);
		jw_fixed(b, to_cents(f->fund[m]), 2);
	}
	evbuffer_add_printf(b, "}");
}

static void reply_json(rep *p)
{
	struct evbuffer *b = evbuffer_new();
	if (!b) {
		api_reply_problem(p->r, 503, "Service unavailable", "out of memory");
		return;
	}
	json_t *scope = api_scope_json(&p->scope);
	char *scope_s = json_dumps(scope, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(scope);
	evbuffer_add_printf(b, "{\"year\":%ld,\"scope\":%s,\"group_by\":", p->year,
	                    scope_s ? scope_s : "{}");
	free(scope_s);
	if (p->group_by)
		jw_str(b, p->group_by);
	else
		evbuffer_add_printf(b, "null");
	evbuffer_add_printf(b, ",");
	jw_figures(b, p, &p->total);
	evbuffer_add_printf(b, ",\"groups\":[");
	for (size_t i = 0; i < p->ngroups; i++) {
		const rep_fig *g = p->groups[i];
		evbuffer_add_printf(b, "%s{\"key\":", i ? "," : "");
		jw_str(b, g->key);
		evbuffer_add_printf(b, ",\"name\":");
		if (g->name)
			jw_str(b, g->name);
		else
			evbuffer_add_printf(b, "null");
		evbuffer_add_printf(b, ",");
		jw_figures(b, p, g);
		evbuffer_add_printf(b, "}");
	}
	evbuffer_add_printf(b, "]}");
	size_t len = evbuffer_get_length(b);
	api_reply_raw(p->r, 200, "application/json", (const char *)evbuffer_pullup(b, -1), len);
	evbuffer_free(b);
}

/* ---- CSV and spreadsheet: one row per group (and the scope's total) ------ */

/* A row's cells, in the order of row_header(): strings for the CSV, and a
 * typed value for the spreadsheet. */
typedef struct cell {
	const char *text; /* NULL: unknown (null in JSON) */
	double num;
	api_xlsx_fmt fmt;
	bool is_text;
} cell;

static const char *const fixed_header[] = { "分组", "名称", "人数", "达标人数", "达标率", "总学时",
	                                    "公共知识学时", "专业知识学时", NULL };

static const char **row_header(rep *p, int *ncols)
{
	int n = 8 + 2 * NLEVEL + p->nforms + NCLASS + 1 + NFUND;
	const char **h = api_arena_alloc(p->r->mem, (size_t)(n + 1) * sizeof *h);
	if (!h)
		return NULL;
	int k = 0;
	for (; fixed_header[k]; k++)
		h[k] = fixed_header[k];
	for (int l = 0; l < NLEVEL; l++) {
		h[k++] = api_arena_printf(p->r->mem, "%s人数", level_name[l]);
		h[k++] = api_arena_printf(p->r->mem, "%s达标人数", level_name[l]);
	}
	for (int i = 0; i < p->nforms; i++)
		h[k++] = api_arena_printf(p->r->mem, "%s学时", p->form_name[i]);
	for (int c = 0; c < NCLASS; c++)
		h[k++] = api_arena_printf(p->r->mem, "%s学时", class_name[c]);
	h[k++] = "参训人数";
	for (int m = 0; m < NFUND; m++)
		h[k++] = fund_name[m];
	h[k] = NULL;
	*ncols = k;
	return h;
}

static cell c_text(const char *s)
{
	return (cell){ .text = s ? s : "", .is_text = true };
}

static cell c_num(rep *p, int64_t v, api_xlsx_fmt fmt)
{
	char s[40];
	if (fmt == API_XLSX_TENTHS || fmt == API_XLSX_MONEY)
		fmt_fixed(s, sizeof s, v, fmt == API_XLSX_TENTHS ? 1 : 2);
	else
		snprintf(s, sizeof s, "%" PRId64, v);
	double d = fmt == API_XLSX_TENTHS ? (double)v / 10.0 : fmt == API_XLSX_MONEY ? (double)v / 100.0 : (double)v;
	return (cell){ .text = api_arena_strdup(p->r->mem, s), .num = d, .fmt = fmt };
}

static cell c_null(void)
{
	return (cell){ .text = NULL };
}

static void row_cells(rep *p, const rep_fig *f, const char *key, const char *name, cell *out)
{
	fig_shape sh = shape_of(p, f);
	int k = 0;
	out[k++] = c_text(key);
	out[k++] = c_text(name);
	out[k++] = c_num(p, sum_of(f->head, NLEVEL), API_XLSX_INT);
	if (sh.comp) {
		out[k++] = c_num(p, sum_of(f->comp, NLEVEL), API_XLSX_INT);
		char s[40];
		double rate = rate_of(f);
		fmt_rate(s, sizeof s, rate);
		out[k++] = (cell){ .text = api_arena_strdup(p->r->mem, s), .num = rate,
		                   .fmt = API_XLSX_PERCENT };
	} else {
		out[k++] = c_null();
		out[k++] = c_null();
	}
	if (sh.hours) {
		out[k++] = c_num(p, f->pub + f->prof, API_XLSX_TENTHS);
		out[k++] = c_num(p, f->pub, API_XLSX_TENTHS);
		out[k++] = c_num(p, f->prof, API_XLSX_TENTHS);
	} else {
		for (int i = 0; i < 3; i++)
			out[k++] = c_null();
	}
	for (int l = 0; l < NLEVEL; l++) {
		out[k++] = c_num(p, f->head[l], API_XLSX_INT);
		out[k++] = sh.comp ? c_num(p, f->comp[l], API_XLSX_INT) : c_null();
	}
	for (int i = 0; i < p->nforms; i++)
		out[k++] = sh.breakdown ? c_num(p, f->form[i], API_XLSX_TENTHS) : c_null();
	for (int c = 0; c < NCLASS; c++)
		out[k++] = sh.breakdown ? c_num(p, f->cls[c], API_XLSX_TENTHS) : c_null();
	out[k++] = c_num(p, f->trainees, API_XLSX_INT);
	for (int m = 0; m < NFUND; m++)
		out[k++] = c_num(p, to_cents(f->fund[m]), API_XLSX_MONEY);
}

static const char *file_name(rep *p, const char *ext)
{
	return api_arena_printf(p->r->mem, "继续教育年度统计-%ld.%s", p->year, ext);
}

static void reply_csv(rep *p)
{
	int ncols = 0;
	const char **header = row_header(p, &ncols);
	cell *cells = api_arena_alloc(p->r->mem, (size_t)(ncols + 1) * sizeof *cells);
	api_csv c;
	if (!header || !cells || api_csv_init(&c) != 0) {
		api_reply_problem(p->r, 503, "Service unavailable", "out of memory");
		return;
	}
	api_csv_row(&c, header);
	for (size_t i = 0; i <= p->ngroups; i++) {
		bool total = i == p->ngroups;
		const rep_fig *f = total ? &p->total : p->groups[i];
		row_cells(p, f, total ? "合计" : f->key, total ? NULL : f->name, cells);
		for (int k = 0; k < ncols; k++)
			api_csv_cell(&c, cells[k].text);
		api_csv_end_row(&c);
	}
	api_csv_reply(p->r, &c, file_name(p, "csv"));
}

static void x_cell(api_xlsx *x, const cell *c)
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

static void reply_xlsx(rep *p)
{
	const rep_fig *t = &p->total;
	fig_shape sh = shape_of(p, t);
	int ncols = 0;
	const char **header = row_header(p, &ncols);
	cell *cells = api_arena_alloc(p->r->mem, (size_t)(ncols + 1) * sizeof *cells);
	api_xlsx *x = header && cells ? api_xlsx_new() : NULL;
	if (!x) {
		api_reply_problem(p->r, 503, "Service unavailable", "could not write the spreadsheet");
		return;
	}
	/* 1: the scope's totals, one figure per row */
	static const char *const h_total[] = { "项目", "数值", NULL };
	api_xlsx_sheet(x, "总计", h_total);
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
	x_label_number(x, "人数", (double)sum_of(t->head, NLEVEL), API_XLSX_INT);
	if (sh.comp) {
		x_label_number(x, "达标人数", (double)sum_of(t->comp, NLEVEL), API_XLSX_INT);
		x_label_number(x, "达标率", rate_of(t), API_XLSX_PERCENT);
	}
	x_label_number(x, "总学时", (double)(t->pub + t->prof) / 10.0, API_XLSX_TENTHS);
	x_label_number(x, "公共知识学时", (double)t->pub / 10.0, API_XLSX_TENTHS);
	x_label_number(x, "专业知识学时", (double)t->prof / 10.0, API_XLSX_TENTHS);
	x_label_number(x, "参训人数", (double)t->trainees, API_XLSX_INT);
	for (int m = 0; m < NFUND; m++)
		x_label_number(x, fund_name[m], (double)to_cents(t->fund[m]) / 100.0, API_XLSX_MONEY);

	/* 2: by title level */
	static const char *const h_level[] = { "职称", "代码", "人数", "达标人数", "达标率", NULL };
	api_xlsx_sheet(x, "按职称", h_level);
	for (int l = 0; l < NLEVEL; l++) {
		api_xlsx_string(x, level_name[l]);
		api_xlsx_string(x, level_code[l]);
		api_xlsx_number(x, (double)t->head[l], API_XLSX_INT);
		if (sh.comp) {
			api_xlsx_number(x, (double)t->comp[l], API_XLSX_INT);
			api_xlsx_number(x, core_stats_rate(t->comp[l], t->head[l]), API_XLSX_PERCENT);
		}
		api_xlsx_end_row(x);
	}
	/* 3, 4: hours by form and by class type */
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
	for (int c = 0; c < NCLASS; c++) {
		api_xlsx_string(x, class_name[c]);
		api_xlsx_string(x, class_code[c]);
		api_xlsx_number(x, (double)t->cls[c] / 10.0, API_XLSX_TENTHS);
		api_xlsx_end_row(x);
	}
	/* 5: trainees by base */
	static const char *const h_base[] = { "基地", "参训人数", NULL };
	api_xlsx_sheet(x, "按基地", h_base);
	for (rep_base *b = t->bases; b; b = b->next) {
		api_xlsx_string(x, b->id);
		api_xlsx_number(x, (double)b->trainees, API_XLSX_INT);
		api_xlsx_end_row(x);
	}
	/* 6: the groups, one row each, as in the CSV */
	if (p->group_by) {
		api_xlsx_sheet(x, "分组", header);
		for (size_t i = 0; i < p->ngroups; i++) {
			row_cells(p, p->groups[i], p->groups[i]->key, p->groups[i]->name, cells);
			for (int k = 0; k < ncols; k++)
				x_cell(x, &cells[k]);
			api_xlsx_end_row(x);
		}
	}
	api_xlsx_reply(p->r, x, file_name(p, "xlsx"));
}

/* ---- the request ---------------------------------------------------------- */

static void report_done(api_req *r, db_result *const *res, int n)
{
	rep *p = r->ctx;
	(void)n;
	if (!api_scope_verify(r, &p->scope, res[C_SCOPE]))
		return;
	if (!build(p, res)) {
		api_reply_problem(r, 503, "Service unavailable", "out of memory");
		return;
	}
	switch (p->out) {
	case OUT_CSV: reply_csv(p); break;
	case OUT_XLSX: reply_xlsx(p); break;
	default: reply_json(p); break;
	}
}

static int wanted_output(api_req *r)
{
	const char *a = r->ev ? evhttp_find_header(evhttp_request_get_input_headers(r->ev), "Accept") : NULL;
	if (a && strstr(a, "spreadsheetml.sheet"))
		return OUT_XLSX;
	if (api_wants_csv(r))
		return OUT_CSV;
	return OUT_JSON;
}

static bool bad_query(api_req *r, const char *detail)
{
	api_reply_problem(r, 400, "Bad query", detail);
	return false;
}

static bool read_query(api_req *r, rep *p, const char **d, const char **i, const char **u)
{
	const char *year = api_query(r, "year");
	char *end = NULL;
	if (!year || strlen(year) != 4 || (p->year = strtol(year, &end, 10), *end) ||
	    p->year < 1990 || p->year > 2100)
		return bad_query(r, "year is required: a year from 1990 to 2100");
	*d = api_query(r, "district");
	*i = api_query(r, "industry");
	*u = api_query(r, "unit");
	if (*d && !api_scope_district_ok(*d))
		return bad_query(r, "district must be a six-digit district code");
	if (*i && !api_scope_industry_ok(*i))
		return bad_query(r, "industry must be an industry code");
	if (*u && !api_is_uuid(*u))
		return bad_query(r, "unit must be a unit id");
	const char *g = api_query(r, "group_by");
	if (g && strcmp(g, "district") && strcmp(g, "industry") && strcmp(g, "unit") &&
	    strcmp(g, "title_level"))
		return bad_query(r, "group_by must be district, industry, unit or title_level");
	p->group_by = g;
	return true;
}

void h_reports_annual(api_req *r)
{
	static const char *const allowed[] = { "year", "district", "industry", "unit", "group_by",
		                               NULL };
	if (!api_query_only(r, allowed))
		return;
	rep *p = api_arena_alloc(r->mem, sizeof *p);
	if (!p) {
		api_reply_problem(r, 503, "Service unavailable", "out of memory");
		return;
	}
	p->r = r;
	const char *d, *i, *u;
	if (!read_query(r, p, &d, &i, &u) || !api_scope_clamp(r, &p->scope, d, i, u))
		return;
	p->out = wanted_output(r);
	p->base_caller = r->claims.role == API_ROLE_BASE;
	p->level_groups = p->group_by && strcmp(p->group_by, "title_level") == 0;
	snprintf(p->year_s, sizeof p->year_s, "%ld", p->year);
	const api_scope *s = &p->scope;
	const char *g = p->group_by;

	const char *vg[] = { g, s->district, s->industry, s->unit, s->base, p->year_s };
	memcpy(p->v_group, vg, sizeof p->v_group);                /* $1..$4 */
	memcpy(p->v_base, vg, sizeof p->v_base);                  /* $1..$6 */
	const char *vc[] = { g, s->district, s->industry, s->unit, p->year_s };
	memcpy(p->v_comp, vc, sizeof p->v_comp);
	memcpy(p->v_hours, vg, sizeof p->v_hours);
	memcpy(p->v_train, vg, sizeof p->v_train);
	const char *vn[] = { g, s->district, s->unit };
	memcpy(p->v_names, vn, sizeof p->v_names);

	const char **check = api_scope_check_values(r, s);
	if (!check) {
		api_reply_problem(r, 503, "Service unavailable", "out of memory");
		return;
	}
	p->calls[C_SCOPE] = (db_call){ DB_STMT_REPORTS_SCOPE, check };
	p->calls[C_FORMS] = (db_call){ DB_STMT_REPORTS_FORMS, NULL };
	p->calls[C_NAMES] = (db_call){ DB_STMT_REPORTS_NAMES, p->v_names };
	p->calls[C_HEAD] = p->base_caller ? (db_call){ DB_STMT_REPORTS_BASE_HEADCOUNT, p->v_base }
	                                  : (db_call){ DB_STMT_REPORTS_HEADCOUNT, p->v_group };
	/* a base reads no compliance: the call is kept (the layout of the batch
	 * is fixed) but its result ignored — report_compliance shows it nothing */
	p->calls[C_COMP] = (db_call){ DB_STMT_REPORTS_COMPLIANCE, p->v_comp };
	p->calls[C_HOURS] = (db_call){ DB_STMT_REPORTS_HOURS, p->v_hours };
	p->calls[C_TRAIN] = (db_call){ DB_STMT_REPORTS_TRAINING, p->v_train };
	r->ctx = p;
	api_db_run(r, p->calls, C__COUNT, report_done);
}

/* ---- operations of the route table (http/op.h) -------------------------- */

const api_op op_reports_annual = { .handler = h_reports_annual, .flags = API_OP_ANY_QUERY };
