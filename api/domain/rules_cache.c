/*
 * The parsed sets of the last JSON text this worker saw: the text changes
 * only when a rule set is added or closed, and parsing it costs more than
 * the rest of a request.  One worker, one thread: the cache is the
 * process's.
 */
#include "domain/rules.h"

#include <stdlib.h>
#include <string.h>

#include "http/alloc.h"

static struct {
	char *json;
	size_t len;
	int n;
	core_rule_set sets[API_RULE_SETS_MAX];
} cache;

int api_rules_cached(const core_rule_set **out, const char *json)
{
	size_t len = json ? strlen(json) : 0;
	*out = cache.sets;
	if (cache.json && cache.len == len && memcmp(cache.json, json, len) == 0)
		return cache.n;
	free(cache.json);
	cache.json = NULL;
	int n = api_rules_parse_array(cache.sets, API_RULE_SETS_MAX, json);
	if (n < 0)
		return -1;
	cache.json = api_xmalloc(len + 1);
	memcpy(cache.json, json ? json : "", len + 1);
	cache.len = len;
	cache.n = n;
	return n;
}

const core_rule_set *api_rules_select(const char *rule_sets_json, const char *industry, int year)
{
	const core_rule_set *sets, *rs = NULL;
	int n = api_rules_cached(&sets, rule_sets_json);
	if (n < 0 || core_rules_select(&rs, sets, (size_t)n, industry, year) != 0)
		return NULL;
	return rs;
}

int api_rules_decide(core_year_verdict *out, const char *rule_sets_json, const char *industry,
                     const core_year_input *in)
{
	const core_rule_set *sets, *rs = NULL;
	int n = api_rules_cached(&sets, rule_sets_json);
	if (n < 0)
		return CORE_EINVAL;
	int rc = core_rules_select(&rs, sets, (size_t)n, industry, in->year);
	if (rc != 0)
		return rc;
	return core_year_evaluate(out, rs, in);
}
