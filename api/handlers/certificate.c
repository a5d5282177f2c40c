/*
 * The certificate of a person (API.md; DOMAIN.md ):
 *
 *   GET  /v1/persons/{id}/certificate
 *
 * every record by year, with the year's summary: the stored verdict, or
 * core's from the records shown when none is stored yet (the rule sets ride
 * along only then: JXJY_COMPLIANCE_RULES_IF).  Visibility is row-level
 * security's: a person outside the caller's jurisdiction has no row, hence
 * 404.
 */
#include <jansson.h>

#include "domain/rules.h"
#include "http/resource.h"
#include "handlers.h"

#define NOT_FOUND_DETAIL COMPLIANCE_PERSON_NOT_FOUND

static const api_compliance_cols cert_cols = API_COMPLIANCE_COLS_OF(COMPLIANCE_CERT_YEARS);

/* Year row i's summary: the stored verdict, or core's from the records
 * shown when none is stored yet.  0 or core's code (CORE_ENOTFOUND: no
 * rule set, the summary is null). */
static int cert_verdict(core_year_verdict *v, const char **decided_at, const db_result *q, int i,
                        const char *industry, core_level level, int year)
{
	*decided_at = NULL;
	if (!db_result_is_null(q, i, cert_cols.rule_set)) {
		if (db_result_str(q, i, cert_cols.decided_at, decided_at) != 0)
			return CORE_EINVAL;
		return api_compliance_verdict_read(v, q, i, &cert_cols, year);
	}
	core_year_input in = { .year = year, .level = level };
	if (db_result_hours(q, i, COMPLIANCE_CERT_YEARS_COL_VERIFIED_PUBLIC, &in.verified_public) != 0 ||
	    db_result_hours(q, i, COMPLIANCE_CERT_YEARS_COL_VERIFIED_PROFESSIONAL,
	                    &in.verified_professional) != 0 ||
	    db_result_hours(q, i, COMPLIANCE_CERT_YEARS_COL_REGISTERED_PUBLIC, &in.pending_public) != 0 ||
	    db_result_hours(q, i, COMPLIANCE_CERT_YEARS_COL_REGISTERED_PROFESSIONAL,
	                    &in.pending_professional) != 0)
		return CORE_EINVAL;
	const core_rule_set *sets, *rs = NULL;
	int ns = api_rules_cached(&sets, db_result_value(q, i, COMPLIANCE_CERT_YEARS_COL_RULE_SETS));
	int rc = ns < 0 ? CORE_EINVAL : core_rules_select(&rs, sets, (size_t)ns, industry, year);
	if (rc != 0)
		return rc;
	return core_year_evaluate(v, rs, &in);
}

/* Year row i as the certificate shows it into *out: 0, or core's code. */
static int cert_year(json_t **out, api_req *r, const db_result *q, int i, const char *industry,
                     core_level level)
{
	long year;
	core_year_verdict v;
	const char *decided_at;
	if (db_result_int(q, i, COMPLIANCE_CERT_YEARS_COL_YEAR, &year) != 0)
		return CORE_EINVAL;
	int rc = cert_verdict(&v, &decided_at, q, i, industry, level, (int)year);
	if (rc != 0 && rc != CORE_ENOTFOUND)
		return rc;
	json_t *summary = rc == 0 ? api_compliance_verdict_json(r->path_params[0], &v, decided_at)
	                          : json_null();
	json_t *records = json_loads(db_result_value(q, i, COMPLIANCE_CERT_YEARS_COL_RECORDS), 0,
	                             NULL);
	*out = json_pack("{s:I, s:o, s:o}", "year", (json_int_t)year, "summary", summary, "records",
	                 records ? records : json_array());
	return 0;
}

static void certificate_done(api_req *r, db_result *const *res, int n)
{
	const db_result *p = res[0], *q = res[1];
	if (!api_compliance_person_found(r, p))
		return;
	core_level level;
	const char *industry;
	json_t *person = json_loads(db_result_value(p, 0, COMPLIANCE_CERT_PERSON_COL_PERSON), 0, NULL);
	if (!person ||
	    api_compliance_level_read(p, 0, COMPLIANCE_CERT_PERSON_COL_TITLE_LEVEL, &level) != 0 ||
	    db_result_str_opt(p, 0, COMPLIANCE_CERT_PERSON_COL_INDUSTRY, &industry) != 0) {
		json_decref(person);
		api_compliance_core_failure(r, CORE_EINVAL);
		return;
	}
	json_t *years = json_array();
	for (int i = 0; i < db_result_rows(q); i++) {
		json_t *year;
		int rc = cert_year(&year, r, q, i, industry, level);
		if (rc != 0) {
			json_decref(years);
			json_decref(person);
			api_compliance_core_failure(r, rc);
			return;
		}
		json_array_append_new(years, year);
	}
	api_reply_json(r, 200, json_pack("{s:o, s:o}", "person", person, "years", years));
}

static void certificate(api_req *r)
{
	db_call *calls = api_arena_alloc(r->mem, 2 * sizeof *calls);
	calls[0] = (db_call){ DB_STMT_COMPLIANCE_CERT_PERSON, r->path_params };
	calls[1] = (db_call){ DB_STMT_COMPLIANCE_CERT_YEARS, r->path_params };
	api_db_run(r, calls, 2, certificate_done);
}

const api_op op_compliance_certificate = { .handler = certificate,
                                           .not_found = NOT_FOUND_DETAIL };
