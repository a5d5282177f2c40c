/*
 * The parsed sets of the last JSON text this worker saw: the text changes
 * only when a rule set is added or closed, and parsing it costs more than
 * the rest of a request.  One worker, one thread: the cache is the
 * process's.
 *
 * The key is the text itself (its length, then its bytes: the cheapest
 * stamp that cannot collide, and every caller has the text anyway).  The
 * sets live in an array that grows to however many the text holds: there
 * is no limit on the number of rule sets (dated sets × industries add up).
 */
#include "domain/rules.h"

#include <stdlib.h>
#include <string.h>

#include "http/alloc.h"

static struct {
	char *json;           /* the key: the text parsed last, NULL: none */
	size_t len;
	int n;                /* sets parsed from it */
	core_rule_set *sets;  /* cap of them allocated */
	size_t cap;
	/* the basis texts of the sets (api_rules_basis_json), made on first
	 * use for this text: nbasis pairs of id and JSON */
	bool basis_made;
	size_t nbasis;
	char **basis_ids, **basis_texts;
} cache;

static void basis_clear(void)
{
	for (size_t i = 0; i < cache.nbasis; i++) {
		free(cache.basis_ids[i]);
		free(cache.basis_texts[i]);
	}
	free(cache.basis_ids);
	free(cache.basis_texts);
	cache.basis_ids = cache.basis_texts = NULL;
	cache.nbasis = 0;
	cache.basis_made = false;
}

/* Parses json into the cache's array, growing it until every set fits.
 * Returns how many, or -1. */
static int parse_all(const char *json)
{
	if (cache.cap == 0) {
		cache.cap = 64;
		cache.sets = api_xmalloc(cache.cap * sizeof *cache.sets);
	}
	for (;;) {
		int n = api_rules_parse_array(cache.sets, cache.cap, json);
		if (n < 0 || (size_t)n < cache.cap)
			return n;
		/* full: there may be more (sets that do not parse are skipped, so
		 * n == cap may also mean exactly cap; a second pass tells) */
		cache.cap *= 2;
		cache.sets = api_xrealloc(cache.sets, cache.cap * sizeof *cache.sets);
	}
}

int api_rules_cached(const core_rule_set **out, const char *json)
{
	size_t len = json ? strlen(json) : 0;
	if (cache.json && cache.len == len && memcmp(cache.json, json ? json : "", len) == 0) {
		*out = cache.sets;
		return cache.n;
	}
	free(cache.json);
	cache.json = NULL;
	basis_clear();
	int n = parse_all(json);
	*out = cache.sets;
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

/* The basis member of each set of the cached text. */
static void basis_make(const char *json)
{
	json_t *all = json ? json_loads(json, 0, NULL) : NULL;
	size_t n = json_array_size(all), i;
	cache.basis_ids = api_xcalloc(n + 1, sizeof *cache.basis_ids);
	cache.basis_texts = api_xcalloc(n + 1, sizeof *cache.basis_texts);
	json_t *o;
	json_array_foreach(all, i, o) {
		const char *id = json_string_value(json_object_get(o, "id"));
		if (!id)
			continue;
		json_t *b = json_pack("{s:O, s:O, s:O, s:O, s:O}", "id", json_object_get(o, "id"), "name",
		                      json_object_get(o, "name"), "industry",
		                      json_object_get(o, "industry"), "effective_from",
		                      json_object_get(o, "effective_from"), "effective_to",
		                      json_object_get(o, "effective_to"));
		if (!b)
			continue;
		cache.basis_ids[cache.nbasis] = api_xstrdup(id);
		cache.basis_texts[cache.nbasis] = json_dumps(b, JSON_COMPACT);
		cache.nbasis++;
		json_decref(b);
	}
	json_decref(all);
	cache.basis_made = true;
}

const char *api_rules_basis_json(const char *rule_sets_json, const char *id)
{
	const core_rule_set *sets;
	if (api_rules_cached(&sets, rule_sets_json) < 0)
		return NULL;
	if (!cache.basis_made)
		basis_make(rule_sets_json);
	for (size_t i = 0; i < cache.nbasis; i++)
		if (strcmp(cache.basis_ids[i], id) == 0)
			return cache.basis_texts[i];
	return NULL;
}
