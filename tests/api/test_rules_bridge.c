/*
 * The bridge between stored rule sets and core (api/rules.c): what the
 * database holds parses into core_rule_set and decides a person-year
 * exactly as core's own 2013 defaults do.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "db.h"
#include "domain/rules.h"
#include "testlib.h"

/* The same projection the gateway reads (db/statements.def RULE_SETS_ALL). */
static char *stored_rule_sets(void)
{
	PGconn *db = t_db();
	char *json = t_sql_value(db, db_stmt_get(DB_STMT_RULE_SETS_ALL)->sql, 0, NULL);
	PQfinish(db);
	return json;
}

Test(rules_bridge, R6_the_stored_2013_city_rule_set_parses_as_cores_defaults)
{
	char *json = stored_rule_sets();
	static core_rule_set sets[API_RULE_SETS_MAX];
	int n = api_rules_parse_array(sets, API_RULE_SETS_MAX, json);
	cr_assert(n >= 1, "parsed %d from %s", n, json);
	core_rule_set want;
	core_rules_city_2013(&want);
	const core_rule_set *got = NULL;
	for (int i = 0; i < n; i++)
		if (!strcmp(sets[i].id, want.id))
			got = &sets[i];
	cr_assert(got, "the 2013 set is stored under core's id");
	cr_expect_eq(got->cycle_years, want.cycle_years);
	cr_expect_eq(core_date_compare(got->effective_from, want.effective_from), 0);
	for (int l = 0; l < CORE_LEVEL_COUNT; l++) {
		cr_expect_eq(got->min_public[l], want.min_public[l], "level %d public", l);
		cr_expect_eq(got->min_professional[l], want.min_professional[l], "level %d professional", l);
	}
	cr_expect_eq(got->n_kinds, want.n_kinds);
	cr_expect_eq(got->base_city.senior_faculty_bp, 6000);
	cr_expect_eq(got->base_city.certified_manager_bp, 8000);
	cr_expect_eq(got->auto_verify_base_completions, true);
	free(json);
}

Test(rules_bridge, R5_a_year_is_decided_from_the_stored_rules)
{
	char *json = stored_rule_sets();
	core_year_verdict v;
	core_year_input in = { .year = 2020, .level = CORE_LEVEL_INTERMEDIATE,
	                       .verified_public = 240, .verified_professional = 480 };
	cr_assert_eq(api_rules_decide(&v, json, "education", &in), 0);
	cr_expect(v.compliant, "24 + 48 is compliant");
	cr_expect_str_eq(v.rule_set, "00000000-0000-4000-8000-000000002013");
	in.verified_professional = 479;
	cr_assert_eq(api_rules_decide(&v, json, "education", &in), 0);
	cr_expect(!v.compliant, "24 + 47.9 is not");
	cr_expect_eq(v.shortfall_professional, 1);
	free(json);
}
