/*
 * The annual report as JSON (render/report.h).  Written by hand rather than
 * through jansson: hours and money are exact decimals ("12.5", "300.00"
 * printed from tenths and fen), which a json_real would round-trip through a
 * double; the rate is the shortest decimal that reads back as core's double.
 */
#include "render/report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "domain/scope.h"

#define NLEVEL API_REPORT_NLEVEL

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

static void jw_fixed(struct evbuffer *b, int64_t v, int scale)
{
	char s[32];
	api_report_fixed_format(s, sizeof s, v, scale);
	evbuffer_add(b, s, strlen(s));
}

/* headcount, compliant, compliance_rate, by_title_level */
static void jw_persons(struct evbuffer *b, const api_report_fig *f, api_report_shape sh)
{
	char s[40];
	evbuffer_add_printf(b, "\"headcount\":%" PRId64, api_report_sum(f->head, NLEVEL));
	if (sh.comp) {
		api_report_rate_format(s, sizeof s, api_report_rate(f));
		evbuffer_add_printf(b, ",\"compliant\":%" PRId64 ",\"compliance_rate\":%s",
		                    api_report_sum(f->comp, NLEVEL), s);
	} else {
		evbuffer_add_printf(b, ",\"compliant\":null,\"compliance_rate\":null");
	}
	evbuffer_add_printf(b, ",\"by_title_level\":{");
	for (int l = 0; l < NLEVEL; l++) {
		evbuffer_add_printf(b, "%s\"%s\":{\"headcount\":%" PRId64 ",\"compliant\":", l ? "," : "",
		                    api_report_level_code[l], f->head[l]);
		if (sh.comp)
			evbuffer_add_printf(b, "%" PRId64 "}", f->comp[l]);
		else
			evbuffer_add_printf(b, "null}");
	}
	evbuffer_add_printf(b, "}");
}

/* hours, by_form, by_class_type */
static void jw_hours(struct evbuffer *b, const api_report *p, const api_report_fig *f,
                     api_report_shape sh)
{
	evbuffer_add_printf(b, ",\"hours\":");
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
	if (!sh.breakdown) {
		evbuffer_add_printf(b, "null,\"by_class_type\":null");
		return;
	}
	evbuffer_add_printf(b, "{");
	for (int i = 0; i < p->nforms; i++) {
		evbuffer_add_printf(b, "%s", i ? "," : "");
		jw_str(b, p->form_code[i]);
		evbuffer_add_printf(b, ":");
		jw_fixed(b, f->form[i], 1);
	}
	evbuffer_add_printf(b, "},\"by_class_type\":{");
	for (int c = 0; c < API_REPORT_NCLASS; c++) {
		evbuffer_add_printf(b, "%s\"%s\":", c ? "," : "", api_report_class_code[c]);
		jw_fixed(b, f->cls[c], 1);
	}
	evbuffer_add_printf(b, "}");
}

static void jw_figures(struct evbuffer *b, const api_report *p, const api_report_fig *f)
{
	api_report_shape sh = api_report_shape_of(p, f);
	jw_persons(b, f, sh);
	jw_hours(b, p, f, sh);
	evbuffer_add_printf(b, ",\"trainees_by_base\":{");
	for (api_report_base *x = f->bases; x; x = x->next) {
		evbuffer_add_printf(b, "%s", x != f->bases ? "," : "");
		jw_str(b, x->id);
		evbuffer_add_printf(b, ":%" PRId64, x->trainees);
	}
	evbuffer_add_printf(b, "},\"funding\":{");
	for (int m = 0; m < API_REPORT_NFUND; m++) {
		evbuffer_add_printf(b, "%s\"%s\":", m ? "," : "", api_report_fund_code[m]);
		jw_fixed(b, api_report_cents(f->fund[m]), 2);
	}
	evbuffer_add_printf(b, "}");
}

void api_report_reply_json(const api_report *p)
{
	struct evbuffer *b = evbuffer_new();
	json_t *scope = api_scope_json(&p->scope);
	char *scope_s = json_dumps(scope, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(scope);
	evbuffer_add_printf(b, "{\"year\":%ld,\"scope\":%s,\"group_by\":", p->year, scope_s);
	free(scope_s);
	if (p->group_by)
		jw_str(b, p->group_by);
	else
		evbuffer_add_printf(b, "null");
	evbuffer_add_printf(b, ",");
	jw_figures(b, p, &p->total);
	evbuffer_add_printf(b, ",\"groups\":[");
	for (size_t i = 0; i < p->ngroups; i++) {
		const api_report_fig *g = p->groups[i];
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
