/*
 * Samples (R-25 随机统计、抽样统计): POST /v1/samples draws a reproducible
 * random sample of persons or records of a scope and stores it with its
 * seed; GET /v1/samples/{id} shows it with each item's current state.
 *
 * The method (also in the OpenAPI description):
 *   population  persons: the in-service persons now in the scope (a base's:
 *               its in-service trainees of the year, completed enrolments of
 *               its projects); records: the verified records of the year
 *               whose person is now in the scope (an industry's: its
 *               professional records; a base's: its own registrations)
 *   order       by id within each stratum (a stable key: inserting items
 *               outside the scope never changes a sample; inserting or
 *               removing items inside the scope does)
 *   draw        core_stats_sample(k, N, seed): Knuth's selection sampling
 *               driven by splitmix64, positions 1…N in that order
 *   strata      stratify=district|industry splits the population by the
 *               items' current district or industry; the size is allocated
 *               in proportion to the strata (largest remainder: floor(k·N_s/N)
 *               each, the rest one by one to the largest remainders, ties to
 *               the smaller stratum key) and each stratum is drawn with its
 *               own seed: splitmix64-finaliser(seed XOR FNV-1a-64(stratum key))
 *   seed        given (0 … 2^53 − 1), or generated and returned
 * Same scope, of, year, size, stratify and seed over the same population →
 * the same items.  The positions are computed here; only the chosen rows
 * travel back (db/stmts/samples.def; partial indexes give the population in
 * (stratum, id) order without a sort).  Count and draw run in one
 * transaction; if the population changed in between, the draw is redone.
 *
 * Scope: as reports (domain/scope.h) — clamped to the caller's jurisdiction; a
 * district bureau naming another district (or one of its units) gets 404.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/fields.h"
#include "http/hash.h"
#include "http/resource.h"
#include "domain/scope.h"
#include "core.h"
#include "handlers.h"

#define SAMPLE_SIZE_MAX 10000
#define SAMPLE_SEED_MAX 9007199254740991L /* 2^53 - 1: exact in every JSON reader */
#define SAMPLE_TRIES 3

typedef struct stratum {
	const char *key;
	int64_t n;     /* population */
	int64_t k;     /* allocated size */
	int64_t rem;   /* k·n mod N, for the largest remainder */
	size_t *pos;   /* chosen positions, 0-based, ascending */
	size_t npos;
} stratum;

typedef struct smp {
	/* the body (create_fields, the year last as before; stratify and scope: create_check) */
	int year;
	long size, seed;
	const char *of, *stratify;
	json_t *stratify_v, *scope_v;
	const char *district, *industry, *unit; /* the scope's filters */
	api_scope scope;
	bool persons;
	int tries;
	stratum *strata;
	int nstrata;
	int64_t population;
	char year_s[8], seed_s[24], size_s[16], pop_s[24], id[40];
	const char *v_draw[7], *v_ins[9], *v_items[3], *v_id[1];
	db_call calls[4];
} smp;

/* ---- deterministic pieces ------------------------------------------------- */

static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t stratum_seed(const smp *s, const char *key)
{
	return s->stratify ? mix64((uint64_t)s->seed ^ api_hash_str(key)) : (uint64_t)s->seed;
}

/* Largest remainder: k_s = floor(k·N_s/N), then +1 for the largest
 * remainders (ties: smaller key first — strata arrive in key order). */
static void allocate(smp *s, int64_t k)
{
	int64_t given = 0;
	for (int i = 0; i < s->nstrata; i++) {
		stratum *t = &s->strata[i];
		t->k = s->population ? k * t->n / s->population : 0;
		t->rem = s->population ? k * t->n % s->population : 0;
		given += t->k;
	}
	while (given < k) {
		int best = -1;
		for (int i = 0; i < s->nstrata; i++) {
			stratum *t = &s->strata[i];
			if (t->rem > 0 && t->k < t->n && (best < 0 || t->rem > s->strata[best].rem))
				best = i;
		}
		if (best < 0)
			break;
		s->strata[best].k++;
		s->strata[best].rem = 0;
		given++;
	}
}

/* ---- phases ----------------------------------------------------------------- */

/* The statement for the population (persons or records), its stratification
 * and the phase (count or draw): db/stmts/samples.def. */
static db_stmt_id population_stmt(const smp *s, bool draw_phase)
{
	static const db_stmt_id ids[2][3][2] = {
		{ { DB_STMT_SAMPLES_COUNT_PERSONS, DB_STMT_SAMPLES_DRAW_PERSONS },
		  { DB_STMT_SAMPLES_COUNT_PERSONS_DISTRICT, DB_STMT_SAMPLES_DRAW_PERSONS_DISTRICT },
		  { DB_STMT_SAMPLES_COUNT_PERSONS_INDUSTRY, DB_STMT_SAMPLES_DRAW_PERSONS_INDUSTRY } },
		{ { DB_STMT_SAMPLES_COUNT_RECORDS, DB_STMT_SAMPLES_DRAW_RECORDS },
		  { DB_STMT_SAMPLES_COUNT_RECORDS_DISTRICT, DB_STMT_SAMPLES_DRAW_RECORDS_DISTRICT },
		  { DB_STMT_SAMPLES_COUNT_RECORDS_INDUSTRY, DB_STMT_SAMPLES_DRAW_RECORDS_INDUSTRY } },
	};
	int st = !s->stratify ? 0 : strcmp(s->stratify, "district") == 0 ? 1 : 2;
	return ids[s->persons ? 0 : 1][st][draw_phase ? 1 : 0];
}

static void count(api_req *r, bool with_scope);

/* Every count and draw statement answers in the layout of the persons' one:
 * one reader for all six of each. */
#define SAME_COL(a, b) ((int)(a) == (int)(b))
#define SAME_COUNT(id) \
	_Static_assert(SAME_COL(id##_COL_STRATUM, SAMPLES_COUNT_PERSONS_COL_STRATUM) && \
	               SAME_COL(id##_COL_POPULATION, SAMPLES_COUNT_PERSONS_COL_POPULATION), #id)
#define SAME_DRAW(id) \
	_Static_assert(SAME_COL(id##_COL_STRATUM, SAMPLES_DRAW_PERSONS_COL_STRATUM) && \
	               SAME_COL(id##_COL_POPULATION, SAMPLES_DRAW_PERSONS_COL_POPULATION) && \
	               SAME_COL(id##_COL_IDS, SAMPLES_DRAW_PERSONS_COL_IDS), #id)
SAME_COUNT(SAMPLES_COUNT_PERSONS_DISTRICT);
SAME_COUNT(SAMPLES_COUNT_PERSONS_INDUSTRY);
SAME_COUNT(SAMPLES_COUNT_RECORDS);
SAME_COUNT(SAMPLES_COUNT_RECORDS_DISTRICT);
SAME_COUNT(SAMPLES_COUNT_RECORDS_INDUSTRY);
SAME_DRAW(SAMPLES_DRAW_PERSONS_DISTRICT);
SAME_DRAW(SAMPLES_DRAW_PERSONS_INDUSTRY);
SAME_DRAW(SAMPLES_DRAW_RECORDS);
SAME_DRAW(SAMPLES_DRAW_RECORDS_DISTRICT);
SAME_DRAW(SAMPLES_DRAW_RECORDS_INDUSTRY);
#undef SAME_DRAW
#undef SAME_COUNT
#undef SAME_COL
#define COUNT_COL(name) SAMPLES_COUNT_PERSONS_COL_##name
#define DRAW_COL(name) SAMPLES_DRAW_PERSONS_COL_##name

static void reply_unreadable(api_req *r)
{
	api_reply_problem(r, 500, "Internal error", "the population could not be read");
}

static void parse_uuid_array(const char *a, const char **out, size_t n, api_arena *mem)
{
	/* "{u1,u2,…}": uuids never need quoting */
	size_t i = 0;
	const char *p = a && *a == '{' ? a + 1 : "";
	while (*p && *p != '}' && i < n) {
		const char *e = p + strcspn(p, ",}");
		char *v = api_arena_alloc(mem, (size_t)(e - p) + 1);
		memcpy(v, p, (size_t)(e - p));
		out[i++] = v;
		p = *e == ',' ? e + 1 : e;
	}
}

static void inserted(api_req *r, db_result *const *res, int n)
{
	smp *s = r->ctx;
	const char *j;
	if (db_result_rows(res[3]) == 0) {
		api_reply_not_found(r, "the sample is outside the caller's jurisdiction");
		return;
	}
	if (db_result_str(res[3], 0, SAMPLES_GET_COL_SAMPLE, &j) != 0) {
		api_reply_problem(r, 500, "Internal error", "the sample could not be read back");
		return;
	}
	api_reply_header(r, "Location", api_arena_printf(r->mem, "/v1/samples/%s", s->id));
	api_reply_doc(r, 201, NULL, j);
}

/* Whether the draw saw the strata that were counted: 1 or 0, or
 * DB_EVALUE when the draw does not read. */
static int same_strata(const smp *s, const db_result *res)
{
	if (db_result_rows(res) != s->nstrata)
		return 0;
	for (int i = 0; i < s->nstrata; i++) {
		const char *key;
		long n;
		if (db_result_str(res, i, DRAW_COL(STRATUM), &key) != 0 ||
		    db_result_int(res, i, DRAW_COL(POPULATION), &n) != 0)
			return DB_EVALUE;
		if (strcmp(key, s->strata[i].key) != 0 || n != s->strata[i].n)
			return 0;
	}
	return 1;
}

static void store(api_req *r, const char **items, const char **item_strata, size_t nitems)
{
	smp *s = r->ctx;
	json_t *scope = api_scope_json(&s->scope);
	json_t *strata = NULL;
	if (s->stratify) {
		strata = json_object();
		for (int i = 0; i < s->nstrata; i++)
			json_object_set_new(strata, s->strata[i].key,
			                    json_pack("{sIsI}", "population", (json_int_t)s->strata[i].n,
			                              "size", (json_int_t)s->strata[i].k));
	}
	char *scope_s = json_dumps(scope, JSON_COMPACT | JSON_SORT_KEYS);
	char *strata_s = strata ? json_dumps(strata, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(scope);
	json_decref(strata);
	/* arrays of uuids and strata keys: codes and uuids need no escaping */
	size_t cap = nitems * 48 + 8;
	char *a_items = api_arena_alloc(r->mem, cap), *a_strata = api_arena_alloc(r->mem, cap);
	const char *scope_a = api_arena_strdup(r->mem, scope_s);
	const char *strata_a = strata_s ? api_arena_strdup(r->mem, strata_s) : NULL;
	free(scope_s);
	free(strata_s);
	size_t li = 0, ls = 0;
	li += (size_t)snprintf(a_items + li, cap - li, "{");
	ls += (size_t)snprintf(a_strata + ls, cap - ls, "{");
	for (size_t i = 0; i < nitems; i++) {
		li += (size_t)snprintf(a_items + li, cap - li, "%s%s", i ? "," : "", items[i]);
		ls += (size_t)snprintf(a_strata + ls, cap - ls, "%s\"%s\"", i ? "," : "", item_strata[i]);
	}
	snprintf(a_items + li, cap - li, "}");
	snprintf(a_strata + ls, cap - ls, "}");

	snprintf(s->pop_s, sizeof s->pop_s, "%" PRId64, s->population);
	const char *vi[] = { s->id, s->year_s, scope_a, s->of, s->size_s, s->seed_s, s->stratify,
		             s->pop_s, strata_a };
	memcpy(s->v_ins, vi, sizeof s->v_ins);
	s->v_items[0] = s->id;
	s->v_items[1] = a_items;
	s->v_items[2] = a_strata;
	s->v_id[0] = s->id;
	s->calls[0] = (db_call){ DB_STMT_SAMPLES_INSERT, s->v_ins };
	s->calls[1] = (db_call){ DB_STMT_SAMPLES_INSERT_ITEMS, s->v_items };
	s->calls[2] = (db_call){ DB_STMT_SAMPLES_AUDIT, s->v_id };
	s->calls[3] = (db_call){ DB_STMT_SAMPLES_GET, s->v_id };
	api_db_run(r, s->calls, 4, inserted);
}

static void drawn(api_req *r, db_result *const *res, int n)
{
	smp *s = r->ctx;
	const db_result *draw = res[n - 1];
	int same = same_strata(s, draw);
	if (same < 0) {
		reply_unreadable(r);
		return;
	}
	if (!same) {
		/* the population changed between counting and drawing */
		if (++s->tries < SAMPLE_TRIES) {
			count(r, false);
			return;
		}
		api_reply_problem(r, 409, "Conflict",
		                  "the population changed while the sample was drawn; retry");
		return;
	}
	size_t total = 0;
	for (int i = 0; i < s->nstrata; i++)
		total += s->strata[i].npos;
	const char **items = api_arena_alloc(r->mem, (total + 1) * sizeof *items);
	const char **item_strata = api_arena_alloc(r->mem, (total + 1) * sizeof *item_strata);
	size_t at = 0;
	for (int i = 0; i < s->nstrata; i++) {
		stratum *t = &s->strata[i];
		if (t->npos == 0)
			continue;
		const char *ids;
		if (db_result_str_opt(draw, i, DRAW_COL(IDS), &ids) != 0) {
			reply_unreadable(r);
			return;
		}
		parse_uuid_array(ids, items + at, t->npos, r->mem);
		for (size_t j = 0; j < t->npos; j++) {
			if (!items[at + j]) {
				api_reply_problem(r, 409, "Conflict",
				                  "the population changed while the sample was drawn; retry");
				return;
			}
			item_strata[at + j] = t->key;
		}
		at += t->npos;
	}
	store(r, items, item_strata, total);
}

/* Positions of every stratum as the two parallel arrays of the draw; false
 * when core refuses a stratum's draw (a size beyond its population). */
static bool draw_arrays(api_req *r, smp *s, const char **keys_out, const char **pos_out)
{
	size_t total = 0;
	for (int i = 0; i < s->nstrata; i++)
		total += (size_t)s->strata[i].k;
	size_t cap = total * 48 + 8;
	char *keys = api_arena_alloc(r->mem, cap), *pos = api_arena_alloc(r->mem, cap);
	size_t lk = (size_t)snprintf(keys, cap, "{"), lp = (size_t)snprintf(pos, cap, "{");
	bool first = true;
	for (int i = 0; i < s->nstrata; i++) {
		stratum *t = &s->strata[i];
		t->pos = api_arena_alloc(r->mem, (size_t)(t->k > 0 ? t->k : 1) * sizeof *t->pos);
		if (core_stats_sample(t->pos, &t->npos, (size_t)t->k, (size_t)t->n,
		                                 stratum_seed(s, t->key)) != 0)
			return false;
		for (size_t j = 0; j < t->npos; j++, first = false) {
			lk += (size_t)snprintf(keys + lk, cap - lk, "%s\"%s\"", first ? "" : ",", t->key);
			lp += (size_t)snprintf(pos + lp, cap - lp, "%s%zu", first ? "" : ",", t->pos[j] + 1);
		}
	}
	snprintf(keys + lk, cap - lk, "}");
	snprintf(pos + lp, cap - lp, "}");
	*keys_out = keys;
	*pos_out = pos;
	return true;
}

static void counted(api_req *r, db_result *const *res, int n)
{
	smp *s = r->ctx;
	const db_result *pop = res[n - 1];
	if (n == 2 && !api_scope_verify(r, &s->scope, res[0]))
		return;
	s->nstrata = db_result_rows(pop);
	s->strata = api_arena_alloc(r->mem, (size_t)(s->nstrata + 1) * sizeof *s->strata);
	s->population = 0;
	for (int i = 0; i < s->nstrata; i++) {
		const char *key;
		long pop_n;
		if (db_result_str(pop, i, COUNT_COL(STRATUM), &key) != 0 ||
		    db_result_int(pop, i, COUNT_COL(POPULATION), &pop_n) != 0) {
			reply_unreadable(r);
			return;
		}
		s->strata[i].key = api_arena_strdup(r->mem, key);
		s->strata[i].n = pop_n;
		s->population += s->strata[i].n;
	}
	int64_t k = s->size < s->population ? s->size : s->population;
	allocate(s, k);
	if (k == 0) {
		store(r, NULL, NULL, 0);
		return;
	}
	const char *keys = NULL, *pos = NULL;
	if (!draw_arrays(r, s, &keys, &pos)) {
		api_reply_problem(r, 500, "Internal error", "the sample could not be drawn");
		return;
	}
	s->v_draw[5] = keys;
	s->v_draw[6] = pos;
	s->calls[0] = (db_call){ DB_STMT_SAMPLES_WORK_MEM, NULL };
	s->calls[1] = (db_call){ population_stmt(s, true), s->v_draw };
	api_db_run(r, s->calls, 2, drawn);
}

/* Counts the population per stratum, after checking the scope on the first
 * pass. */
static void count(api_req *r, bool with_scope)
{
	smp *s = r->ctx;
	const api_scope *sc = &s->scope;
	const char *v[] = { sc->district, sc->industry, sc->unit, sc->base, s->year_s, NULL, NULL };
	memcpy(s->v_draw, v, sizeof s->v_draw);
	int n = 0;
	if (with_scope)
		s->calls[n++] = (db_call){ DB_STMT_REPORTS_SCOPE, api_scope_check_values(r, sc) };
	s->calls[n++] = (db_call){ population_stmt(s, false), s->v_draw };
	api_db_run(r, s->calls, n, counted);
}


/* ---- POST /v1/samples -------------------------------------------------------- */

/* The scope object's district, industry and unit into s; every bad key an
 * error of its own ("scope.<key>"). */
static void read_scope(smp *s, json_t *errors)
{
	static const char *const keys[] = { "district", "industry", "unit", NULL };
	json_t *sc = s->scope_v;
	if (!sc)
		return;
	if (!json_is_object(sc)) {
		api_error_add(errors, "scope", "invalid", "an object with district, industry and/or unit");
		return;
	}
	const char *k;
	json_t *val;
	json_object_foreach(sc, k, val) {
		bool known = false;
		for (int j = 0; keys[j]; j++)
			known |= strcmp(k, keys[j]) == 0;
		if (!known) {
			char f[80];
			snprintf(f, sizeof f, "scope.%.60s", k);
			api_error_add(errors, f, "unknown", "not a scope key (district, industry, unit)");
			continue;
		}
		bool district = strcmp(k, "district") == 0, industry = strcmp(k, "industry") == 0;
		const char *v = json_string_value(val);
		bool ok = v && (district   ? api_district_code_ok(v)
		                : industry ? api_industry_code_ok(v)
		                           : api_is_uuid(v));
		if (!ok) {
			char f[80];
			snprintf(f, sizeof f, "scope.%s", k);
			api_error_add(errors, f, "invalid",
			              district ? "a six-digit district code"
			              : industry ? "an industry code" : "a unit id");
			continue;
		}
		*(district ? &s->district : industry ? &s->industry : &s->unit) = v;
	}
}

/* What the field table cannot say: of's two values, stratify's (a string
 * or null) and the scope object. */
static void create_check(api_req *r, json_t *errors)
{
	smp *s = r->ctx;
	if (s->of && strcmp(s->of, "persons") != 0 && strcmp(s->of, "records") != 0)
		api_error_add(errors, "of", "invalid", "persons or records");
	if (s->stratify_v) {
		s->stratify = json_string_value(s->stratify_v);
		if (!s->stratify || (strcmp(s->stratify, "district") != 0 &&
		                     strcmp(s->stratify, "industry") != 0))
			api_error_add(errors, "stratify", "invalid", "district, industry or null");
	}
	read_scope(s, errors);
}

static void samples_create(api_req *r)
{
	smp *s = r->ctx;
	if (!api_scope_clamp(r, &s->scope, s->district, s->industry, s->unit))
		return;
	json_t *seed = json_object_get(r->body, "seed");
	if (!seed || json_is_null(seed)) {
		uint64_t x;
		randombytes_buf(&x, sizeof x);
		s->seed = (long)(x & (uint64_t)SAMPLE_SEED_MAX);
	}
	s->persons = strcmp(s->of, "persons") == 0;
	snprintf(s->year_s, sizeof s->year_s, "%d", s->year);
	snprintf(s->size_s, sizeof s->size_s, "%ld", s->size);
	snprintf(s->seed_s, sizeof s->seed_s, "%ld", s->seed);
	api_uuid_v4(s->id);
	count(r, true);
}

static const api_field create_fields[] = {
	API_FIELD_STR(smp, of, "of", API_REQUIRED, 16),
	API_FIELD_LONG(smp, size, "size", API_REQUIRED, 1, SAMPLE_SIZE_MAX),
	API_FIELD_LONG(smp, seed, "seed", 0, 0, SAMPLE_SEED_MAX),
	API_FIELD_JSON(smp, stratify_v, "stratify", 0),
	API_FIELD_JSON(smp, scope_v, "scope", 0),
	API_FIELD_PAST_YEAR_OF(smp, year, "year", API_REQUIRED),
	API_FIELDS_END,
};
const api_op op_samples_create = { .handler = samples_create, .fields = create_fields,
	                           .check = create_check, .ctx_size = sizeof(smp),
	                           .flags = API_OP_TX };

/* ---- GET /v1/samples/{id} --------------------------------------------------- */

const api_op op_samples_get = { .handler = api_op_get_json, .stmt = DB_STMT_SAMPLES_GET,
	                        .not_found = "no such sample in the caller's jurisdiction" };
