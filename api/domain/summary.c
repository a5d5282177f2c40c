/*
 * The person-year summary (R-5, R-6: core decides, SQL stores): the year's
 * hours and the rule sets in one round trip, core's verdict, then the save,
 * all in the request's transaction.
 */
#include "domain/rules.h"

#include <stdio.h>

#include "http/log.h"
#include "http/request.h"

typedef struct refresh {
	const char *person;
	int year;
	char year_text[12];
	api_summary_done done;
	core_year_verdict v;
	const char *values[11];
	char num[6][24];
	db_call calls[2];
	const char *p2[2];
} refresh;

static void saved(api_req *r, db_result *const *res, int n)
{
	refresh *f = r->ctx_summary;
	f->done(r, &f->v);
}

/* DB_STMT_PERSON_YEAR_SAVE's values from the verdict. */
static void save(api_req *r, refresh *f)
{
	const core_year_verdict *v = &f->v;
	int32_t hours[6] = { v->earned_public, v->earned_professional, v->pending_public,
	                     v->pending_professional, v->required_public, v->required_professional };
	for (int i = 0; i < 6; i++)
		core_hours_format(f->num[i], sizeof f->num[i], hours[i]);
	f->values[0] = f->person;
	f->values[1] = f->year_text;
	f->values[2] = v->rule_set;
	f->values[3] = core_level_name(v->level);
	for (int i = 0; i < 6; i++)
		f->values[4 + i] = f->num[i];
	f->values[10] = v->compliant ? "true" : "false";
	f->calls[0] = (db_call){ DB_STMT_PERSON_YEAR_SAVE, f->values };
	api_db_run(r, f->calls, 1, saved);
}

static void summed(api_req *r, db_result *const *res, int n)
{
	refresh *f = r->ctx_summary;
	const db_result *h = res[0];
	core_year_input in = { .year = f->year };
	const char *level, *industry, *rule_sets;
	if (db_result_hours(h, 0, PERSON_YEAR_HOURS_COL_PUBLIC_VERIFIED, &in.verified_public) != 0 ||
	    db_result_hours(h, 0, PERSON_YEAR_HOURS_COL_PROFESSIONAL_VERIFIED, &in.verified_professional) != 0 ||
	    db_result_hours(h, 0, PERSON_YEAR_HOURS_COL_PUBLIC_PENDING, &in.pending_public) != 0 ||
	    db_result_hours(h, 0, PERSON_YEAR_HOURS_COL_PROFESSIONAL_PENDING, &in.pending_professional) != 0 ||
	    db_result_str_opt(h, 0, PERSON_YEAR_HOURS_COL_INDUSTRY, &industry) != 0 ||
	    db_result_str_opt(res[1], 0, RULE_SETS_ALL_COL_RULE_SETS, &rule_sets) != 0) {
		f->done(r, NULL);
		return;
	}
	if (db_result_str_opt(h, 0, PERSON_YEAR_HOURS_COL_TITLE_LEVEL, &level) != 0 || !level ||
	    core_level_parse(&in.level, level) != 0) {
		api_log_write(API_LOG_ERROR, r->request_id, "person-year without a title level");
		f->done(r, NULL);
		return;
	}
	int rc = api_rules_decide(&f->v, rule_sets, industry, &in);
	if (rc != 0) {
		api_log_write(API_LOG_ERROR, r->request_id, "no rule set decides %s (%s)", f->year_text,
		              core_error_message(rc));
		f->done(r, NULL);
		return;
	}
	save(r, f);
}

void api_summary_refresh(api_req *r, const char *person, int year, api_summary_done done)
{
	refresh *f = api_arena_alloc(r->mem, sizeof *f);
	f->person = person;
	f->year = year;
	snprintf(f->year_text, sizeof f->year_text, "%d", year);
	f->done = done;
	f->p2[0] = person;
	f->p2[1] = f->year_text;
	f->calls[0] = (db_call){ DB_STMT_PERSON_YEAR_HOURS, f->p2 };
	f->calls[1] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	r->ctx_summary = f;
	api_db_tx(r);
	api_db_run(r, f->calls, 2, summed);
}
