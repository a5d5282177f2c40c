/*
 * Rule sets between JSON (the API's and the database's shape, one shape)
 * and core_rule_set, and the person-year decision that keeps
 * jxjy.person_year_summary current (R-5, R-6: core decides, SQL stores).
 *
 * JSON: {"id","name","industry"|null,"effective_from","effective_to"|null,
 *        "cycle_years","auto_verify_base_completions",
 *        "requirements":{"<title_level>":{"public","professional"}},
 *        "conversion_kinds":[{"code","min","max"}],
 *        "base_thresholds":{"city"|"district":{"senior_faculty_share",
 *                                              "certified_manager_share"}}}
 * (shares in percent, hours with one decimal).
 */
#ifndef JXJY_API_RULES_H
#define JXJY_API_RULES_H

#include <jansson.h>

#include "core.h"

typedef struct api_req api_req;

/* The size of a caller's own fixed array for api_rules_parse_array (the
 * tests' bridge check); the process's cache (below), which the workers and
 * jxjyctl recompute use, has no such limit. */
#define API_RULE_SETS_MAX 256

/* ---- JSON (domain/rules_json.c) ---------------------------------------- */

/* Fills out from a rule set object; field errors (JSON paths) go to errors
 * (may be NULL).  id may be absent (a new set).  Returns 0 or -1. */
int api_rules_from_json(core_rule_set *out, json_t *j, json_t *errors);

/* Parses the database's JSON array of rule sets; returns how many, or -1. */
int api_rules_parse_array(core_rule_set *out, size_t max, const char *json);

/* ---- the parsed-rule-set cache (domain/rules_cache.c) -------------------- */

/* Every set of the text, through the worker's cache of the last text
 * parsed (keyed by the text; the array grows as needed, no limit on the
 * number of sets): *out is borrowed until the next call with another text.
 * Returns how many, or -1. */
int api_rules_cached(const core_rule_set **out, const char *json);

/* The rule set `id` as a decision's basis shows it (API.md: {id, name,
 * industry, effective_from, effective_to}), compact JSON text made once
 * per text of the sets (the cache's); NULL when the text has no such set.
 * Borrowed like api_rules_cached's. */
const char *api_rules_basis_json(const char *rule_sets_json, const char *id);

/* the rule set in force for industry (NULL: the city default) in year,
 * from the database's JSON array of rule sets; NULL when none applies.
 * Borrowed: valid until the next call in this worker (one thread each). */
const core_rule_set *api_rules_select(const char *rule_sets_json, const char *industry, int year);

/* Decides a person-year (R-6 selection, then R-5) from the JSON array of
 * rule sets.  Returns 0, or a CORE_* error (CORE_ENOTFOUND: no rule set). */
int api_rules_decide(core_year_verdict *out, const char *rule_sets_json, const char *industry,
                     const core_year_input *in);

/* ---- the person-year summary (domain/summary.c) ------------------------- */

/* Re-decides person's year inside the request's transaction (r->tx must be
 * set): locks the person-year, sums its records, lets core decide and stores
 * the decision.  Calls done with the verdict (NULL when it failed: done must
 * then reply 500); database errors are answered by the db layer. */
typedef void (*api_summary_done)(api_req *r, const core_year_verdict *v);
void api_summary_refresh(api_req *r, const char *person, int year, api_summary_done done);
#endif
