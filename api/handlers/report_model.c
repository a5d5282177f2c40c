/*
 * The annual report's model (handlers/report_model.h): the figures from the
 * result sets (sql/0003_reports.sql, db/stmts/reports.def).  Title-level
 * groups: records carry no title level, so a title-level group's hours are
 * its in-service persons' verified hours from their summaries, and its
 * by_form / by_class_type are null.
 */
#include "handlers/report_model.h"
#include "http/hash.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

const char *const api_report_level_code[API_REPORT_NLEVEL] = {
	"senior_full", "senior_deputy", "intermediate", "junior_assistant", "junior_member"
};
const char *const api_report_level_name[API_REPORT_NLEVEL] = { "正高级", "副高级", "中级",
	                                                       "助理级", "员级" };
const char *const api_report_class_code[API_REPORT_NCLASS] = { "full_time", "part_time",
	                                                       "spare_time", "online" };
const char *const api_report_class_name[API_REPORT_NCLASS] = { "脱产", "半脱产", "业余", "网络" };
const char *const api_report_fund_code[API_REPORT_NFUND] = { "government", "unit", "individual" };
const char *const api_report_fund_name[API_REPORT_NFUND] = { "政府经费", "单位经费", "个人经费" };

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

static int index_of(const char *const *codes, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(s, codes[i]) == 0)
			return i;
	return -1;
}

static int level_index(const char *s)
{
	return index_of(api_report_level_code, API_REPORT_NLEVEL, s);
}

int64_t api_report_sum(const int64_t *a, int n)
{
	int64_t s = 0;
	for (int i = 0; i < n; i++)
		s += a[i];
	return s;
}

double api_report_rate(const api_report_fig *f)
{
	return core_stats_rate(api_report_sum(f->comp, API_REPORT_NLEVEL),
	                       api_report_sum(f->head, API_REPORT_NLEVEL));
}

int64_t api_report_cents(int64_t v)
{
	return v >= 0 ? (v + 50) / 100 : -((-v + 50) / 100);
}

void api_report_fixed_format(char *out, size_t n, int64_t v, int scale)
{
	int64_t div = scale == 1 ? 10 : 100;
	uint64_t a = v < 0 ? (uint64_t)(-v) : (uint64_t)v;
	snprintf(out, n, "%s%" PRIu64 ".%0*" PRIu64, v < 0 ? "-" : "", a / (uint64_t)div, scale,
	         a % (uint64_t)div);
}

void api_report_rate_format(char *out, size_t n, double x)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, n, "%.*g", prec, x);
		if (strtod(out, NULL) == x)
			return;
	}
}

api_report_shape api_report_shape_of(const api_report *p, const api_report_fig *f)
{
	bool level_group = f != &p->total && p->level_groups;
	return (api_report_shape){ .comp = !p->base_caller,
		                   .hours = !(level_group && p->base_caller),
		                   .breakdown = !level_group };
}

/* ---- groups: an open-addressing table sized for the rows received -------- */

static void fig_init(api_report *p, api_report_fig *f)
{
	f->form = api_arena_alloc(p->r->mem, (size_t)(p->nforms > 0 ? p->nforms : 1) * sizeof *f->form);
}

/* The group of key (created when create), NULL when absent or without
 * grouping. */
static api_report_fig *group(api_report *p, const char *key, bool create)
{
	if (!key || !p->slots)
		return NULL;
	size_t i = (size_t)api_hash_str(key) & (p->nslots - 1);
	for (; p->slots[i]; i = (i + 1) & (p->nslots - 1))
		if (strcmp(p->slots[i]->key, key) == 0)
			return p->slots[i];
	if (!create || p->ngroups * 2 >= p->nslots)
		return NULL;
	api_report_fig *f = api_arena_alloc(p->r->mem, sizeof *f);
	fig_init(p, f);
	f->key = api_arena_strdup(p->r->mem, key);
	p->slots[i] = f;
	p->groups[p->ngroups++] = f;
	return f;
}

static void add_base(api_report *p, api_report_fig *f, const char *base, int64_t n)
{
	for (api_report_base *b = f->bases; b; b = b->next)
		if (strcmp(b->id, base) == 0) {
			b->trainees += n;
			return;
		}
	api_report_base *b = api_arena_alloc(p->r->mem, sizeof *b);
	b->id = api_arena_strdup(p->r->mem, base);
	b->trainees = n;
	/* keep them sorted by id, so answers are stable */
	api_report_base **at = &f->bases;
	while (*at && strcmp((*at)->id, b->id) < 0)
		at = &(*at)->next;
	b->next = *at;
	*at = b;
}

static int group_cmp_level(const void *a, const void *b)
{
	return level_index((*(api_report_fig *const *)a)->key) -
	       level_index((*(api_report_fig *const *)b)->key);
}

static int group_cmp_key(const void *a, const void *b)
{
	return strcmp((*(api_report_fig *const *)a)->key, (*(api_report_fig *const *)b)->key);
}

/* ---- the model from the result sets -------------------------------------- */

/* Each reader returns 0, or DB_EVALUE when a value does not read (logged by
 * the accessor). */
#define READ(call) \
	do { \
		if ((call) != 0) \
			return DB_EVALUE; \
	} while (0)

static int read_forms(api_report *p, const db_result *forms)
{
	api_arena *mem = p->r->mem;
	p->nforms = db_result_rows(forms);
	p->form_code = api_arena_alloc(mem, (size_t)(p->nforms + 1) * sizeof *p->form_code);
	p->form_name = api_arena_alloc(mem, (size_t)(p->nforms + 1) * sizeof *p->form_name);
	for (int i = 0; i < p->nforms; i++) {
		const char *code, *name;
		READ(db_result_str(forms, i, REPORTS_FORMS_COL_CODE, &code));
		READ(db_result_str(forms, i, REPORTS_FORMS_COL_NAME, &name));
		p->form_code[i] = api_arena_strdup(mem, code);
		p->form_name[i] = api_arena_strdup(mem, name);
	}
	return 0;
}

static void make_table(api_report *p, db_result *const *res, const db_result *comp)
{
	size_t rows = (size_t)db_result_rows(res[API_REPORT_HEAD]) +
	              (size_t)db_result_rows(res[API_REPORT_HOURS]) +
	              (size_t)db_result_rows(res[API_REPORT_TRAIN]) +
	              (comp ? (size_t)db_result_rows(comp) : 0);
	p->nslots = 16;
	while (p->nslots < 2 * rows + 2)
		p->nslots *= 2;
	p->slots = api_arena_alloc(p->r->mem, p->nslots * sizeof *p->slots);
	p->groups = api_arena_alloc(p->r->mem, p->nslots * sizeof *p->groups);
}

/* The base headcount's columns are the headcount's: one reader for both. */
_Static_assert((int)REPORTS_BASE_HEADCOUNT_COL_GROUP_KEY == (int)REPORTS_HEADCOUNT_COL_GROUP_KEY &&
               (int)REPORTS_BASE_HEADCOUNT_COL_TITLE_LEVEL == (int)REPORTS_HEADCOUNT_COL_TITLE_LEVEL &&
               (int)REPORTS_BASE_HEADCOUNT_COL_HEADCOUNT == (int)REPORTS_HEADCOUNT_COL_HEADCOUNT,
               "REPORTS_BASE_HEADCOUNT answers as REPORTS_HEADCOUNT");

/* n persons of level into the headcount (comp: compliant) of the total and
 * key's group: the group (NULL: none, or an unknown level) */
static api_report_fig *add_persons(api_report *p, const char *key, const char *level, long n,
                                   bool comp)
{
	int l = level_index(level);
	api_report_fig *g = group(p, key, true);
	if (l < 0)
		return NULL;
	(comp ? p->total.comp : p->total.head)[l] += n;
	if (g)
		(comp ? g->comp : g->head)[l] += n;
	return g;
}

static int read_headcount(api_report *p, const db_result *head)
{
	for (int i = 0; i < db_result_rows(head); i++) {
		const char *key, *level;
		long n;
		READ(db_result_str_opt(head, i, REPORTS_HEADCOUNT_COL_GROUP_KEY, &key));
		READ(db_result_str_opt(head, i, REPORTS_HEADCOUNT_COL_TITLE_LEVEL, &level));
		READ(db_result_int(head, i, REPORTS_HEADCOUNT_COL_HEADCOUNT, &n));
		add_persons(p, key, level, n, false);
	}
	return 0;
}

static int read_compliance(api_report *p, const db_result *comp)
{
	for (int i = 0; comp && i < db_result_rows(comp); i++) {
		const char *key, *level;
		long n;
		int32_t pub, prof;
		READ(db_result_str_opt(comp, i, REPORTS_COMPLIANCE_COL_GROUP_KEY, &key));
		READ(db_result_str_opt(comp, i, REPORTS_COMPLIANCE_COL_TITLE_LEVEL, &level));
		READ(db_result_int(comp, i, REPORTS_COMPLIANCE_COL_COMPLIANT, &n));
		READ(db_result_hours(comp, i, REPORTS_COMPLIANCE_COL_PUBLIC_HOURS, &pub));
		READ(db_result_hours(comp, i, REPORTS_COMPLIANCE_COL_PROFESSIONAL_HOURS, &prof));
		api_report_fig *g = add_persons(p, key, level, n, true);
		if (g && p->level_groups) {
			g->pub += pub;
			g->prof += prof;
		}
	}
	return 0;
}

static int read_hours(api_report *p, const db_result *hours)
{
	for (int i = 0; i < db_result_rows(hours); i++) {
		const char *key, *cat, *form, *cls;
		int32_t t;
		READ(db_result_str_opt(hours, i, REPORTS_HOURS_COL_GROUP_KEY, &key));
		READ(db_result_str(hours, i, REPORTS_HOURS_COL_CATEGORY, &cat));
		READ(db_result_str(hours, i, REPORTS_HOURS_COL_FORM, &form));
		READ(db_result_str_opt(hours, i, REPORTS_HOURS_COL_CLASS_TYPE, &cls)); /* achievements: none */
		READ(db_result_hours(hours, i, REPORTS_HOURS_COL_HOURS, &t));
		int f = index_of(p->form_code, p->nforms, form);
		int c = index_of(api_report_class_code, API_REPORT_NCLASS, cls);
		bool pub = strcmp(cat, "public") == 0;
		api_report_fig *figs[2] = { &p->total, group(p, key, true) };
		for (int k = 0; k < 2; k++) {
			api_report_fig *g = figs[k];
			if (!g)
				continue;
			*(pub ? &g->pub : &g->prof) += t;
			if (f >= 0)
				g->form[f] += t;
			if (c >= 0)
				g->cls[c] += t;
		}
	}
	return 0;
}

/* money: numeric(16,4) sums, 1/10000 yuan (db.h has no accessor of that) */
static int read_money(const db_result *train, int row, int64_t out[API_REPORT_NFUND])
{
	static const int cols[API_REPORT_NFUND] = { REPORTS_TRAINING_COL_GOVERNMENT,
		                                    REPORTS_TRAINING_COL_UNIT_SHARE,
		                                    REPORTS_TRAINING_COL_INDIVIDUAL };
	for (int m = 0; m < API_REPORT_NFUND; m++) {
		const char *s;
		READ(db_result_str(train, row, cols[m], &s));
		out[m] = fixed(s, 4);
	}
	return 0;
}

static int read_training(api_report *p, const db_result *train)
{
	for (int i = 0; i < db_result_rows(train); i++) {
		const char *key, *base;
		long n;
		int64_t fund[API_REPORT_NFUND];
		READ(db_result_str_opt(train, i, REPORTS_TRAINING_COL_GROUP_KEY, &key));
		READ(db_result_str_opt(train, i, REPORTS_TRAINING_COL_BASE, &base));
		READ(db_result_int(train, i, REPORTS_TRAINING_COL_TRAINEES, &n));
		READ(read_money(train, i, fund));
		api_report_fig *figs[2] = { &p->total, group(p, key, true) };
		for (int k = 0; k < 2; k++) {
			api_report_fig *g = figs[k];
			if (!g)
				continue;
			if (base)
				add_base(p, g, base, n);
			g->trainees += n;
			for (int m = 0; m < API_REPORT_NFUND; m++)
				g->fund[m] += fund[m];
		}
	}
	return 0;
}

/* The groups' names (title levels: their own), then their order. */
static int name_groups(api_report *p, const db_result *names)
{
	for (int i = 0; i < db_result_rows(names); i++) {
		const char *key, *name;
		READ(db_result_str(names, i, REPORTS_NAMES_COL_CODE, &key));
		READ(db_result_str(names, i, REPORTS_NAMES_COL_NAME, &name));
		api_report_fig *g = group(p, key, false);
		if (g)
			g->name = api_arena_strdup(p->r->mem, name);
	}
	for (size_t i = 0; p->level_groups && i < p->ngroups; i++) {
		int l = level_index(p->groups[i]->key);
		p->groups[i]->name = api_report_level_name[l >= 0 ? l : 0];
	}
	if (p->ngroups > 1)
		qsort(p->groups, p->ngroups, sizeof *p->groups,
		      p->level_groups ? group_cmp_level : group_cmp_key);
	return 0;
}

int api_report_build(api_report *p, db_result *const *res)
{
	/* a base reads no compliance: its result set is there but ignored */
	const db_result *comp = p->base_caller ? NULL : res[API_REPORT_COMP];
	READ(read_forms(p, res[API_REPORT_FORMS]));
	fig_init(p, &p->total);
	if (p->group_by)
		make_table(p, res, comp);
	READ(read_headcount(p, res[API_REPORT_HEAD]));
	READ(read_compliance(p, comp));
	READ(read_hours(p, res[API_REPORT_HOURS]));
	READ(read_training(p, res[API_REPORT_TRAIN]));
	return name_groups(p, res[API_REPORT_NAMES]);
}
