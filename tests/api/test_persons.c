/*
 * Persons, the bulk import and transfers over HTTP against the real
 * database (API.md permission matrix rows "persons: read", "persons: create
 * / update / import", "transfers"; R-1 transfers, R-8 cycle start; the
 * GB 11643 vectors of SECURITY.md; masking and audited reveal).
 *
 * Fixtures are inserted as the superuser with fresh random identifiers: the
 * suites share one database and run one after another.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "core.h"
#include "testlib.h"

/* ---- fixtures ----------------------------------------------------------- */

#define DISTRICT_A "320508"
#define DISTRICT_B "320505"

static unsigned rnd(void)
{
	return randombytes_random();
}

/* A valid resident id, fresh with high probability: a random 6-digit area
 * (core does not check it against today's divisions), birth date, sequence. */
static void make_nid(char out[19])
{
	snprintf(out, 19, "%06u%04u%02u%02u%03u", 100000 + rnd() % 900000, 1960 + rnd() % 40,
	         1 + rnd() % 12, 1 + rnd() % 28, rnd() % 1000);
	char c;
	cr_assert(core_ident_resident_id_check_char(&c, out) == 0);
	out[17] = c;
	out[18] = '\0';
}

static void mask_of(char out[19], const char *nid)
{
	cr_assert(core_ident_resident_id_mask(out, nid) == 0);
}

typedef struct world {
	PGconn *db;
	char a1[40], a2[40], b1[40]; /* units: A1 (education) and A2 (health) in A, B1 (education) in B */
	char base[40], project[40];
} world;

static void world_make(world *w)
{
	w->db = t_db();
	t_take_id(w->a1, t_new_unit(w->db, DISTRICT_A, "education"));
	t_take_id(w->a2, t_new_unit(w->db, DISTRICT_A, "health"));
	t_take_id(w->b1, t_new_unit(w->db, DISTRICT_B, "education"));
	t_take_id(w->base, t_new_base(w->db, "city", DISTRICT_A, "accredited"));
	char code[32];
	snprintf(code, sizeof code, "P-%08x", rnd());
	const char *p[] = { code };
	char *subject = t_sql_value(w->db, "INSERT INTO jxjy.public_subjects (year, code, title, hours)"
	                                   " VALUES (2024, $1, '公需科目', 12) RETURNING id", 1, p);
	const char *q[] = { w->base, subject };
	t_take_id(w->project, t_sql_value(w->db,
		"INSERT INTO jxjy.projects (base, year, title, category, subject_public, hours, class_type,"
		" capacity, fee, funding_government, funding_unit, funding_individual, status)"
		" VALUES ($1, 2024, '公需科目培训班', 'public', $2, 12, 'full_time', 50, 0, 100, 0, 0,"
		" 'approved') RETURNING id", 2, q));
	free(subject);
}

static void world_free(world *w)
{
	PQfinish(w->db);
}

/* A person in unit, inserted as the superuser; nid (may be NULL) gets the id. */
static char *insert_person_named(world *w, const char *unit, const char *name, char *nid_out)
{
	char nid[19];
	make_nid(nid);
	if (nid_out)
		memcpy(nid_out, nid, 19);
	const char *p[] = { nid, unit, name };
	return t_sql_value(w->db, "INSERT INTO jxjy.persons (national_id, name, unit, title_level,"
	                          " cycle_start_year) VALUES ($1, $3, $2, 'intermediate', 2024) RETURNING id",
	                   3, p);
}

static char *insert_person(world *w, const char *unit)
{
	return insert_person_named(w, unit, "赵敏", NULL);
}

static void enrol(world *w, const char *person)
{
	const char *p[] = { w->project, person };
	PQclear(t_sql(w->db, "INSERT INTO jxjy.enrolments (project, person) VALUES ($1, $2)", 2, p));
}

static char *insert_transfer(world *w, const char *person, const char *to_unit)
{
	const char *p[] = { person, to_unit };
	return t_sql_value(w->db, "INSERT INTO jxjy.transfers (person, to_unit) VALUES ($1, $2) RETURNING id",
	                   2, p);
}

static t_resp send_json(const char *method, const char *path, const char *token, const char *json,
                        const char *extra)
{
	const char *h[] = { "Content-Type: application/json", extra, NULL };
	return t_http(method, path, token, h, json, strlen(json));
}

static char *person_body(const char *nid, const char *unit, const char *name)
{
	char *b = malloc(512);
	if (unit)
		snprintf(b, 512, "{\"national_id\":\"%s\",\"name\":\"%s\",\"unit\":\"%s\","
		                 "\"title_level\":\"intermediate\"}", nid, name, unit);
	else
		snprintf(b, 512, "{\"national_id\":\"%s\",\"name\":\"%s\",\"title_level\":\"intermediate\"}",
		         nid, name);
	return b;
}

/* ---- A1: the permission matrix, from one table ------------------------- */

/*
 * role × action × target → status.  Targets: OWN = inside the caller's
 * jurisdiction (a person of unit A1, enrolled in the base's project, the
 * person themself; the unit A1; for accept, a transfer received by A1),
 * OTHER_UNIT = unit A2 of the same district A (health), OTHER_DIST = unit B1
 * of district B (education).  The district bureau is A's, the industry
 * authority education's, the unit A1, the person the OWN person.
 * read/list/reveal/update/transfer act on a person of the target;
 * create/import register a person into the target unit; transfer sends
 * OWN and OTHER_UNIT persons to B1 and the OTHER_DIST person to A1; accept
 * acts on a transfer B1 → A1 (OWN), B1 → A2 (OTHER_UNIT), A1 → B1
 * (OTHER_DIST: the caller is the releasing side).  For list, 200 means
 * listed and 404 not listed.
 */
enum { OWN, OTHER_UNIT, OTHER_DIST, TARGETS };

typedef struct cell {
	const char *role;
	const char *action;
	int expect[TARGETS];
} cell;

static const cell matrix[] = {
	{ "city", "read", { 200, 200, 200 } },
	{ "district", "read", { 200, 200, 404 } },
	{ "industry", "read", { 200, 404, 200 } },
	{ "unit", "read", { 200, 404, 404 } },
	{ "base", "read", { 200, 404, 404 } },
	{ "person", "read", { 200, 404, 404 } },

	{ "city", "list", { 200, 200, 200 } },
	{ "district", "list", { 200, 200, 404 } },
	{ "industry", "list", { 200, 404, 200 } },
	{ "unit", "list", { 200, 404, 404 } },
	{ "base", "list", { 200, 404, 404 } },
	{ "person", "list", { 200, 404, 404 } },

	{ "city", "reveal", { 200, 200, 200 } },
	{ "district", "reveal", { 200, 200, 404 } },
	{ "industry", "reveal", { 200, 404, 200 } },
	{ "unit", "reveal", { 200, 404, 404 } },
	{ "base", "reveal", { 403, 403, 403 } }, /* basic fields only */
	{ "person", "reveal", { 200, 404, 404 } },

	{ "city", "create", { 201, 201, 201 } },
	{ "district", "create", { 201, 201, 404 } },
	{ "industry", "create", { 403, 403, 403 } },
	{ "unit", "create", { 201, 403, 403 } },
	{ "base", "create", { 403, 403, 403 } },
	{ "person", "create", { 403, 403, 403 } },

	{ "city", "update", { 200, 200, 200 } },
	{ "district", "update", { 200, 200, 404 } },
	{ "industry", "update", { 403, 403, 403 } },
	{ "unit", "update", { 200, 404, 404 } },
	{ "base", "update", { 403, 403, 403 } },
	{ "person", "update", { 403, 403, 403 } },

	{ "city", "import", { 201, 201, 201 } },
	{ "district", "import", { 201, 201, 422 } }, /* rows[0].unit unknown */
	{ "industry", "import", { 403, 403, 403 } },
	{ "unit", "import", { 201, 403, 403 } },
	{ "base", "import", { 403, 403, 403 } },
	{ "person", "import", { 403, 403, 403 } },

	{ "city", "transfer", { 201, 201, 201 } },
	{ "district", "transfer", { 201, 201, 404 } },
	{ "industry", "transfer", { 403, 403, 403 } },
	{ "unit", "transfer", { 201, 404, 404 } },
	{ "base", "transfer", { 403, 403, 403 } },
	{ "person", "transfer", { 403, 403, 403 } },

	{ "city", "accept", { 200, 200, 200 } },
	{ "district", "accept", { 200, 200, 403 } },
	{ "industry", "accept", { 403, 403, 403 } },
	{ "unit", "accept", { 200, 404, 403 } },
	{ "base", "accept", { 403, 403, 403 } },
	{ "person", "accept", { 403, 403, 403 } },
};

static char *token_for(const world *w, const char *role, const char *person)
{
	if (!strcmp(role, "city"))
		return t_token("city_bureau", NULL);
	if (!strcmp(role, "district"))
		return t_token("district_bureau", DISTRICT_A);
	if (!strcmp(role, "industry"))
		return t_token("industry_authority", "education");
	if (!strcmp(role, "unit"))
		return t_token("unit", w->a1);
	if (!strcmp(role, "base"))
		return t_token("base", w->base);
	return t_token("person", person);
}

static bool listed(const char *token, const char *unit, const char *id)
{
	char path[160];
	snprintf(path, sizeof path, "/v1/persons?limit=500&unit=%s", unit);
	t_resp r = t_get(path, token);
	cr_expect_eq(r.status, 200, "list: %d %s", r.status, r.body);
	bool found = false;
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(r.json, "items"), i, p)
		if (!strcmp(json_string_value(json_object_get(p, "id")), id))
			found = true;
	t_resp_free(&r);
	return found;
}

/* Runs one cell; returns the status (for list: 200 listed, 404 not). */
static int run_cell(world *w, const char *role, const char *action, int target)
{
	const char *units[TARGETS] = { w->a1, w->a2, w->b1 };
	const char *unit = units[target];
	char *own = insert_person(w, w->a1); /* the OWN person: enrolled, the person token */
	enrol(w, own);
	char *subject = target == OWN ? strdup(own) : insert_person(w, unit);
	char *tok = token_for(w, role, own);
	char path[256], body[1024], nid[19];
	t_resp r = { 0 };
	int status;
	if (!strcmp(action, "read") || !strcmp(action, "reveal")) {
		snprintf(path, sizeof path, "/v1/persons/%s%s", subject,
		         !strcmp(action, "reveal") ? "?reveal=national_id" : "");
		r = t_get(path, tok);
	} else if (!strcmp(action, "list")) {
		status = listed(tok, unit, subject) ? 200 : 404;
		goto done;
	} else if (!strcmp(action, "create")) {
		make_nid(nid);
		char *b = person_body(nid, unit, "新员工");
		r = send_json("POST", "/v1/persons", tok, b, NULL);
		free(b);
	} else if (!strcmp(action, "import")) {
		make_nid(nid);
		char *b = person_body(nid, unit, "导入员工");
		snprintf(body, sizeof body, "[%s]", b);
		free(b);
		r = send_json("POST", "/v1/persons:import", tok, body, NULL);
	} else if (!strcmp(action, "update")) {
		snprintf(path, sizeof path, "/v1/persons/%s", subject);
		r = send_json("PATCH", path, tok, "{\"speciality\":\"矩阵\"}", NULL);
	} else if (!strcmp(action, "transfer")) {
		snprintf(path, sizeof path, "/v1/persons/%s/transfers", subject);
		snprintf(body, sizeof body, "{\"to_unit\":\"%s\"}", target == OTHER_DIST ? w->a1 : w->b1);
		r = send_json("POST", path, tok, body, NULL);
	} else {
		/* accept: B1 → A1, B1 → A2, A1 → B1 */
		char *mover = target == OTHER_DIST ? insert_person(w, w->a1) : insert_person(w, w->b1);
		const char *to[TARGETS] = { w->a1, w->a2, w->b1 };
		char *t = insert_transfer(w, mover, to[target]);
		snprintf(path, sizeof path, "/v1/transfers/%s/accept", t);
		r = t_http("POST", path, tok, NULL, NULL, 0);
		free(t);
		free(mover);
	}
	status = r.status;
	if (status >= 400)
		cr_expect(t_is_problem(&r, status), "%s %s: a problem+json", role, action);
	t_resp_free(&r);
done:
	free(tok);
	free(subject);
	free(own);
	return status;
}

static void run_matrix(const char *action)
{
	static const char *const names[TARGETS] = { "own", "other unit", "other district" };
	world w;
	world_make(&w);
	int cells = 0;
	for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
		if (strcmp(matrix[i].action, action) != 0)
			continue;
		for (int t = 0; t < TARGETS; t++) {
			int got = run_cell(&w, matrix[i].role, action, t);
			cr_expect_eq(got, matrix[i].expect[t], "%s %s %s: expected %d, got %d", matrix[i].role,
			             action, names[t], matrix[i].expect[t], got);
			cells++;
		}
	}
	cr_expect_eq(cells, 6 * TARGETS, "every role has its row for %s", action);
	world_free(&w);
}

Test(persons_matrix, A1_read) { run_matrix("read"); }
Test(persons_matrix, A1_list) { run_matrix("list"); }
Test(persons_matrix, A1_reveal) { run_matrix("reveal"); }
Test(persons_matrix, A1_create) { run_matrix("create"); }
Test(persons_matrix, A1_update) { run_matrix("update"); }
Test(persons_matrix, A1_import) { run_matrix("import"); }
Test(persons_matrix, A1_transfer_request_by_the_releasing_side) { run_matrix("transfer"); }
Test(persons_matrix, A1_transfer_accept_by_the_receiving_side) { run_matrix("accept"); }

/* ---- identifiers (GB 11643, SECURITY.md vectors) ----------------------- */

/* Registers input, then the same id again: the second answer is 409 (the
 * city already has it) whatever the first was.  A fixed vector may already be
 * registered by another suite or an earlier run on the same database: then
 * the first answer is 409 too.  An id that is new must be accepted (201),
 * stored as stored, answered masked and revealed in full as stored. */
static void create_vector(const char *input, const char *stored, bool fixed)
{
	world w;
	world_make(&w);
	const char *p[] = { stored };
	long before = t_sql_count(w.db, "SELECT count(*) FROM jxjy.persons WHERE national_id = $1", 1, p);
	cr_assert(fixed || before == 0, "%s is fresh", stored);
	char *tok = t_token("city_bureau", NULL);
	char *b = person_body(input, w.a1, "向量");
	t_resp r = send_json("POST", "/v1/persons", tok, b, NULL);
	if (before == 0) {
		cr_assert_eq(r.status, 201, "%s: %d %s", input, r.status, r.body);
		const char *id = t_str(&r, "id");
		cr_assert(id, "the answer names the person: %s", r.body);
		const char *q[] = { id };
		char *v = t_sql_value(w.db, "SELECT national_id FROM jxjy.persons WHERE id = $1", 1, q);
		cr_expect(v && !strcmp(v, stored), "%s is stored as %s, not %s", input, stored, v ? v : "(none)");
		free(v);
		char m[19];
		mask_of(m, stored);
		cr_expect_str_eq(t_str(&r, "national_id"), m, "the answer masks it");
		char path[128];
		snprintf(path, sizeof path, "/v1/persons/%s?reveal=national_id", id);
		t_resp g = t_get(path, tok);
		cr_expect_eq(g.status, 200, "reveal: %d %s", g.status, g.body);
		cr_expect(t_str(&g, "national_id") && !strcmp(t_str(&g, "national_id"), stored),
		          "revealed as %s: %s", stored, g.body);
		t_resp_free(&g);
	} else {
		cr_expect(t_is_problem(&r, 409), "%s: already registered: %d", input, r.status);
	}
	t_resp_free(&r);
	r = send_json("POST", "/v1/persons", tok, b, NULL);
	cr_expect(t_is_problem(&r, 409), "%s registered again: %d %s", input, r.status, r.body);
	t_resp_free(&r);
	free(b);
	free(tok);
	world_free(&w);
}

Test(persons_ident, valid_vector_360426199101010071)
{
	create_vector("360426199101010071", "360426199101010071", true);
}

/* SECURITY.md's vector 44011320141005001x may be registered already, which
 * would leave acceptance unchecked: a fresh id with the check character X */
Test(persons_ident, lower_case_x_accepted_and_stored_upper_case)
{
	char stored[19], input[19];
	do
		make_nid(stored);
	while (stored[17] != 'X');
	memcpy(input, stored, sizeof input);
	input[17] = 'x';
	create_vector(input, stored, false);
}

Test(persons_ident, bad_check_character_month_13_and_future_birth_are_422)
{
	world w;
	world_make(&w);
	char future[19];
	snprintf(future, sizeof future, "32050820990101001");
	char c;
	cr_assert(core_ident_resident_id_check_char(&c, future) == 0);
	future[17] = c;
	future[18] = '\0';
	struct { const char *nid, *code; } cases[] = {
		{ "36042619910102009X", "invalid" },   /* check character */
		{ "360426199113010079", "invalid" },   /* month 13 */
		{ future, "in_future" },               /* born in 2099 */
		{ "36042619910101007", "invalid" },    /* 17 characters */
		{ "3604261991010100AB", "invalid" },
	};
	char *tok = t_token("city_bureau", NULL);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *b = person_body(cases[i].nid, w.a1, "坏号码");
		t_resp r = send_json("POST", "/v1/persons", tok, b, NULL);
		cr_expect(t_is_problem(&r, 422), "%s: %d", cases[i].nid, r.status);
		cr_expect(t_has_error(&r, "national_id", NULL), "%s: errors name national_id: %s", cases[i].nid, r.body);
		json_t *e = json_array_get(json_object_get(r.json, "errors"), 0);
		cr_expect_str_eq(json_string_value(json_object_get(e, "code")), cases[i].code, "%s", cases[i].nid);
		cr_expect(!strstr(r.body, cases[i].nid), "the problem does not echo the id");
		t_resp_free(&r);
		free(b);
	}
	const char *p[] = { w.a1 };
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.persons WHERE unit = $1", 1, p), 0,
	             "nothing stored");
	free(tok);
	world_free(&w);
}

Test(persons_ident, a_national_id_is_unique_across_the_city_409)
{
	world w;
	world_make(&w);
	char nid[19];
	char *id = insert_person_named(&w, w.b1, "钱进", nid);
	/* district A cannot see the person of district B, still 409 */
	char *tok = t_token("district_bureau", DISTRICT_A);
	char *b = person_body(nid, w.a1, "钱进");
	t_resp r = send_json("POST", "/v1/persons", tok, b, NULL);
	cr_expect(t_is_problem(&r, 409), "%d %s", r.status, r.body);
	const char *d = t_str(&r, "detail");
	cr_expect(d && strstr(d, "transfers"), "the problem points to transfers: %s", d);
	cr_expect(!strstr(r.body, id), "nor reveals the person");
	t_resp_free(&r);
	/* the lower-case spelling of the same id is the same id */
	free(b);
	free(tok);
	free(id);
	world_free(&w);
}

/* ---- create, read, masking, reveal -------------------------------------- */

Test(persons, create_defaults_R8_cycle_start_this_year_industry_of_the_unit_in_service)
{
	world w;
	world_make(&w);
	char nid[19];
	make_nid(nid);
	char *tok = t_token("unit", w.a2);
	char *b = person_body(nid, NULL, "孙丽"); /* a unit registers into itself */
	t_resp r = send_json("POST", "/v1/persons", tok, b, NULL);
	cr_assert_eq(r.status, 201, "%s", r.body);
	time_t now = time(NULL) + 8 * 3600;
	struct tm tm;
	gmtime_r(&now, &tm);
	cr_expect_eq(json_integer_value(json_object_get(r.json, "cycle_start_year")), tm.tm_year + 1900);
	cr_expect_str_eq(t_str(&r, "industry"), "health", "the unit's industry");
	cr_expect_str_eq(t_str(&r, "unit"), w.a2);
	cr_expect_str_eq(t_str(&r, "district"), DISTRICT_A, "district from the unit");
	cr_expect_str_eq(t_str(&r, "status"), "in_service");
	cr_expect(json_is_null(json_object_get(r.json, "speciality")));
	char loc[128];
	snprintf(loc, sizeof loc, "/v1/persons/%s", t_str(&r, "id"));
	cr_expect_str_eq(t_header(&r, "Location"), loc);
	cr_expect_str_eq(t_header(&r, "ETag"), "\"v1\"");
	/* an explicit industry (the person's own series) wins */
	char nid2[19];
	make_nid(nid2);
	char body[512];
	snprintf(body, sizeof body, "{\"national_id\":\"%s\",\"name\":\"周杰\",\"title_level\":\"senior_full\","
	                            "\"industry\":\"engineering\",\"cycle_start_year\":2021,"
	                            "\"speciality\":\"桥梁\",\"status\":\"left\"}", nid2);
	t_resp r2 = send_json("POST", "/v1/persons", tok, body, NULL);
	cr_expect_eq(r2.status, 201, "%s", r2.body);
	cr_expect_str_eq(t_str(&r2, "industry"), "engineering");
	cr_expect_eq(json_integer_value(json_object_get(r2.json, "cycle_start_year")), 2021);
	cr_expect_str_eq(t_str(&r2, "status"), "left");
	t_resp_free(&r2);
	t_resp_free(&r);
	free(b);
	free(tok);
	world_free(&w);
}

Test(persons, create_validation_names_every_bad_field)
{
	world w;
	world_make(&w);
	char *tok = t_token("city_bureau", NULL);
	char body[512];
	snprintf(body, sizeof body, "{\"name\":\"\",\"unit\":\"not-a-uuid\",\"title_level\":\"professor\","
	                            "\"cycle_start_year\":1800,\"status\":\"retired\",\"industry\":\"BAD CODE\","
	                            "\"district\":\"320508\",\"speciality\":7}");
	t_resp r = send_json("POST", "/v1/persons", tok, body, NULL);
	cr_expect(t_is_problem(&r, 422), "%d", r.status);
	const char *fields[] = { "national_id", "name", "unit", "title_level", "cycle_start_year", "status",
	                         "industry", "district", "speciality" };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		cr_expect(t_has_error(&r, fields[i], NULL), "errors name %s: %s", fields[i], r.body);
	t_resp_free(&r);
	/* an unknown industry code and a body that is not an object */
	char nid[19];
	make_nid(nid);
	snprintf(body, sizeof body, "{\"national_id\":\"%s\",\"name\":\"吴\",\"unit\":\"%s\","
	                            "\"title_level\":\"intermediate\",\"industry\":\"astrology\"}", nid, w.a1);
	r = send_json("POST", "/v1/persons", tok, body, NULL);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "industry", NULL), "%d %s", r.status, r.body);
	t_resp_free(&r);
	r = send_json("POST", "/v1/persons", tok, "[1,2]", NULL);
	cr_expect(t_is_problem(&r, 422), "%d", r.status);
	t_resp_free(&r);
	const char *p[] = { nid };
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.persons WHERE national_id = $1", 1, p), 0);
	free(tok);
	world_free(&w);
}

Test(persons, national_id_masked_everywhere_and_never_in_the_audit_log)
{
	world w;
	world_make(&w);
	char nid[19], m[19];
	make_nid(nid);
	mask_of(m, nid);
	cr_expect_eq(strlen(m), 18);
	cr_expect(strncmp(m, nid, 6) == 0 && strcmp(m + 14, nid + 14) == 0 && !strncmp(m + 6, "********", 8),
	          "first 6 and last 4 kept: %s", m);
	char *tok = t_token("city_bureau", NULL);
	char *b = person_body(nid, w.a1, "郑爽");
	t_resp r = send_json("POST", "/v1/persons", tok, b, NULL);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "national_id"), m);
	cr_expect(!strstr(r.body, nid), "create answer masked");
	char path[128];
	snprintf(path, sizeof path, "/v1/persons/%s", t_str(&r, "id"));
	char *id = strdup(t_str(&r, "id"));
	t_resp g = t_get(path, tok);
	cr_expect_eq(g.status, 200);
	cr_expect_str_eq(t_str(&g, "national_id"), m, "read masked");
	t_resp_free(&g);
	snprintf(path, sizeof path, "/v1/persons?unit=%s", w.a1);
	g = t_get(path, tok);
	cr_expect(g.status == 200 && !strstr(g.body, nid) && strstr(g.body, m), "list masked");
	t_resp_free(&g);
	/* a base reads the basic fields only */
	enrol(&w, id);
	char *btok = t_token("base", w.base);
	snprintf(path, sizeof path, "/v1/persons/%s", id);
	g = t_get(path, btok);
	cr_expect_eq(g.status, 200);
	cr_expect_str_eq(t_str(&g, "national_id"), m);
	cr_expect_str_eq(t_str(&g, "name"), "郑爽");
	cr_expect(!json_object_get(g.json, "speciality") && !json_object_get(g.json, "district") &&
	          !json_object_get(g.json, "cycle_start_year"), "basic fields only: %s", g.body);
	t_resp_free(&g);
	const char *p[] = { id, nid };
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.audit_log WHERE entity = 'person'"
	                               " AND entity_id = $1 AND action = 'create'", 1, p), 1, "a create audit row");
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.audit_log WHERE entity_id = $1"
	                               " AND (coalesce(after::text, '') || coalesce(before::text, '')) LIKE '%' || $2 || '%'",
	                         2, p), 0, "the audit log never holds the full national id");
	t_resp_free(&r);
	free(btok);
	free(id);
	free(b);
	free(tok);
	world_free(&w);
}

Test(persons, reveal_shows_the_full_id_and_writes_a_reveal_audit_row)
{
	world w;
	world_make(&w);
	char nid[19];
	char *id = insert_person_named(&w, w.a1, "冯远", nid);
	char *tok = t_token("district_bureau", DISTRICT_A);
	const char *p[] = { id };
	const char *count_sql = "SELECT count(*) FROM jxjy.audit_log WHERE action = 'reveal'"
	                        " AND entity = 'person' AND entity_id = $1";
	char path[160];
	snprintf(path, sizeof path, "/v1/persons/%s", id);
	t_resp r = t_get(path, tok);
	cr_expect_eq(r.status, 200);
	cr_expect_neq(strcmp(t_str(&r, "national_id"), nid), 0, "masked without reveal");
	t_resp_free(&r);
	cr_expect_eq(t_sql_count(w.db, count_sql, 1, p), 0, "a plain read is not audited as a reveal");

	snprintf(path, sizeof path, "/v1/persons/%s?reveal=national_id", id);
	r = t_get(path, tok);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_str(&r, "national_id"), nid, "revealed");
	t_resp_free(&r);
	cr_expect_eq(t_sql_count(w.db, count_sql, 1, p), 1, "one reveal audit row");
	char *district = t_sql_value(w.db, "SELECT district FROM jxjy.audit_log WHERE action = 'reveal'"
	                                   " AND entity_id = $1", 1, p);
	cr_expect_str_eq(district, DISTRICT_A, "readable by the person's district bureau");
	free(district);

	/* on a list: one row per person shown */
	snprintf(path, sizeof path, "/v1/persons?unit=%s&reveal=national_id", w.a1);
	r = t_get(path, tok);
	cr_expect(r.status == 200 && strstr(r.body, nid), "%d", r.status);
	t_resp_free(&r);
	cr_expect_eq(t_sql_count(w.db, count_sql, 1, p), 2, "the list reveal is audited too");

	snprintf(path, sizeof path, "/v1/persons/%s?reveal=everything", id);
	r = t_get(path, tok);
	cr_expect(t_is_problem(&r, 400), "reveal takes national_id only: %d", r.status);
	t_resp_free(&r);
	cr_expect_eq(t_sql_count(w.db, count_sql, 1, p), 2);
	free(tok);
	free(id);
	world_free(&w);
}

/* ---- update (If-Match), R-4 summary refresh ----------------------------- */

Test(persons, patch_honours_if_match_412_and_answers_the_new_etag)
{
	world w;
	world_make(&w);
	char *id = insert_person(&w, w.a1);
	char *tok = t_token("unit", w.a1);
	char path[128];
	snprintf(path, sizeof path, "/v1/persons/%s", id);
	t_resp g = t_get(path, tok);
	cr_assert_eq(g.status, 200);
	cr_expect_str_eq(t_header(&g, "ETag"), "\"v1\"");
	t_resp_free(&g);
	t_resp r = send_json("PATCH", path, tok, "{\"name\":\"新名字\",\"speciality\":\"化学\"}", "If-Match: \"v1\"");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(t_header(&r, "ETag"), "\"v2\"");
	cr_expect_str_eq(t_str(&r, "name"), "新名字");
	cr_expect_str_eq(t_str(&r, "speciality"), "化学");
	t_resp_free(&r);
	r = send_json("PATCH", path, tok, "{\"name\":\"过期\"}", "If-Match: \"v1\"");
	cr_expect(t_is_problem(&r, 412), "stale If-Match: %d", r.status);
	t_resp_free(&r);
	r = send_json("PATCH", path, tok, "{\"name\":\"过期\"}", "If-Match: garbage");
	cr_expect(t_is_problem(&r, 412), "malformed If-Match: %d", r.status);
	t_resp_free(&r);
	const char *p[] = { id };
	char *name = t_sql_value(w.db, "SELECT name FROM jxjy.persons WHERE id = $1", 1, p);
	cr_expect_str_eq(name, "新名字", "a refused PATCH changes nothing");
	free(name);
	/* speciality cleared by null; name may not be */
	r = send_json("PATCH", path, tok, "{\"speciality\":null}", "If-Match: \"v2\"");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect(json_is_null(json_object_get(r.json, "speciality")));
	t_resp_free(&r);
	r = send_json("PATCH", path, tok, "{\"name\":null,\"version\":9}", NULL);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "name", NULL) && t_has_error(&r, "version", NULL), "%s", r.body);
	t_resp_free(&r);
	r = send_json("PATCH", path, tok, "{}", NULL);
	cr_expect(t_is_problem(&r, 422), "an empty PATCH: %d", r.status);
	t_resp_free(&r);
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.audit_log WHERE action = 'update'"
	                               " AND entity = 'person' AND entity_id = $1", 1, p), 2, "two updates audited");
	free(tok);
	free(id);
	world_free(&w);
}

Test(persons, patch_refuses_a_unit_change_R1_and_a_taken_national_id)
{
	world w;
	world_make(&w);
	char nid_other[19];
	char *id = insert_person(&w, w.a1);
	char *other = insert_person_named(&w, w.b1, "他人", nid_other);
	char *tok = t_token("city_bureau", NULL);
	char path[128], body[256];
	snprintf(path, sizeof path, "/v1/persons/%s", id);
	snprintf(body, sizeof body, "{\"unit\":\"%s\"}", w.b1);
	t_resp r = send_json("PATCH", path, tok, body, NULL);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "unit", NULL), "R-1: units change by transfer: %s", r.body);
	t_resp_free(&r);
	snprintf(body, sizeof body, "{\"national_id\":\"%s\"}", nid_other);
	r = send_json("PATCH", path, tok, body, NULL);
	cr_expect(t_is_problem(&r, 409), "a taken national id: %d", r.status);
	t_resp_free(&r);
	/* the same unit and the own id are no change, no conflict */
	const char *p[] = { id };
	char *mine = t_sql_value(w.db, "SELECT national_id FROM jxjy.persons WHERE id = $1", 1, p);
	snprintf(body, sizeof body, "{\"unit\":\"%s\",\"national_id\":\"%s\"}", w.a1, mine);
	r = send_json("PATCH", path, tok, body, NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	snprintf(path, sizeof path, "/v1/persons/%s", "11111111-2222-4333-8444-555555555555");
	r = send_json("PATCH", path, tok, "{\"name\":\"无人\"}", NULL);
	cr_expect(t_is_problem(&r, 404), "%d", r.status);
	t_resp_free(&r);
	free(mine);
	free(tok);
	free(other);
	free(id);
	world_free(&w);
}

Test(persons, R29_a_new_title_level_re_decides_this_year_only_when_dated_from_its_1_january)
{
	world w;
	world_make(&w);
	char *id = insert_person(&w, w.a1); /* intermediate: 24 + 48 h */
	time_t now = time(NULL) + 8 * 3600;
	struct tm tm;
	gmtime_r(&now, &tm);
	char year[16];
	snprintf(year, sizeof year, "%d", tm.tm_year + 1900);
	const char *p[] = { id, year };
	PQclear(t_sql(w.db, "INSERT INTO jxjy.person_year_summary (person, year, rule_set, title_level, district,"
	                    " industry, unit, required_public, required_professional, compliant)"
	                    " SELECT p.id, $2::int, '00000000-0000-4000-8000-000000002013', p.title_level,"
	                    " p.district, p.industry, p.unit, 24, 48, false FROM jxjy.persons p WHERE p.id = $1",
	              2, p));
	char *tok = t_token("district_bureau", DISTRICT_A);
	char path[128];
	snprintf(path, sizeof path, "/v1/persons/%s", id);
	/* effective today: this year was entered at the old level */
	t_resp r = send_json("PATCH", path, tok, "{\"title_level\":\"junior_member\"}", NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	char *lv = t_sql_value(w.db, "SELECT title_level || ' ' || required_public || ' ' || required_professional"
	                             " FROM jxjy.person_year_summary WHERE person = $1 AND year = $2::int", 2, p);
	cr_expect_str_eq(lv, "intermediate 24.0 48.0", "judged at the level of 1 January (R-29)");
	free(lv);
	/* dated from 1 January: the year is re-decided at the new level */
	char body[128];
	snprintf(body, sizeof body, "{\"title_level\":\"junior_assistant\",\"effective_date\":\"%s-01-01\"}",
	         year);
	r = send_json("PATCH", path, tok, body, NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	lv = t_sql_value(w.db, "SELECT title_level || ' ' || required_public || ' ' || required_professional"
	                       " FROM jxjy.person_year_summary WHERE person = $1 AND year = $2::int", 2, p);
	cr_expect_str_eq(lv, "junior_assistant 14.0 28.0", "junior: 14 + 28 h (R-4, R-5)");
	free(lv);
	free(tok);
	free(id);
	world_free(&w);
}

/* ---- lists: filters, keyset paging, CSV -------------------------------- */

Test(persons, list_filters_and_keyset_pages_with_link)
{
	world w;
	world_make(&w);
	char *ids[3];
	const char *names[3] = { "欧阳甲", "欧阳乙", "司马丙" };
	for (int i = 0; i < 3; i++)
		ids[i] = insert_person_named(&w, w.a2, names[i], NULL);
	const char *p[] = { ids[2] };
	PQclear(t_sql(w.db, "UPDATE jxjy.persons SET title_level = 'senior_full', status = 'left' WHERE id = $1",
	              1, p));
	char *tok = t_token("city_bureau", NULL);
	char path[256];
	snprintf(path, sizeof path, "/v1/persons?unit=%s&limit=2", w.a2);
	t_resp r = t_get(path, tok);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 2);
	const char *next = t_str(&r, "next_cursor");
	cr_assert(next, "a next page");
	const char *link = t_header(&r, "Link");
	cr_expect(link && strstr(link, "rel=\"next\"") && strstr(link, w.a2), "Link: %s", link);
	snprintf(path, sizeof path, "/v1/persons?unit=%s&limit=2&cursor=%s", w.a2, next);
	t_resp r2 = t_get(path, tok);
	cr_expect_eq(r2.status, 200);
	cr_expect_eq(json_array_size(json_object_get(r2.json, "items")), 1);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r2.json, "items"), 0),
	                                                   "id")), ids[2], "oldest first, keyset");
	cr_expect(json_is_null(json_object_get(r2.json, "next_cursor")));
	t_resp_free(&r2);
	t_resp_free(&r);

	struct { const char *query; size_t n; } f[] = {
		{ "q=%E6%AC%A7%E9%98%B3", 2 },       /* 欧阳 */
		{ "title_level=senior_full", 1 },
		{ "status=left", 1 },
		{ "status=in_service&title_level=intermediate", 2 },
		{ "industry=health", 3 },
		{ "district=" DISTRICT_B, 0 },
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		snprintf(path, sizeof path, "/v1/persons?unit=%s&%s", w.a2, f[i].query);
		r = t_get(path, tok);
		cr_expect_eq(r.status, 200, "%s", f[i].query);
		cr_expect_eq(json_array_size(json_object_get(r.json, "items")), f[i].n, "%s", f[i].query);
		t_resp_free(&r);
	}
	const char *bad[] = { "title_level=boss", "status=dead", "unit=x", "district=32", "limit=501",
	                      "cursor=abc", "sort=name", "q=" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(path, sizeof path, "/v1/persons?%s", bad[i]);
		r = t_get(path, tok);
		cr_expect(t_is_problem(&r, 400), "%s: %d", bad[i], r.status);
		t_resp_free(&r);
	}
	for (int i = 0; i < 3; i++)
		free(ids[i]);
	free(tok);
	world_free(&w);
}

Test(persons, csv_list_has_bom_crlf_masked_ids_and_neutralised_formulas)
{
	world w;
	world_make(&w);
	char nid[19], m[19];
	char *id = insert_person_named(&w, w.a1, "=HYPERLINK(\"http://x\")", nid);
	mask_of(m, nid);
	char *tok = t_token("unit", w.a1);
	const char *h[] = { "Accept: text/csv", NULL };
	t_resp r = t_http("GET", "/v1/persons", tok, h, NULL, 0);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect(strncmp(t_header(&r, "Content-Type"), "text/csv", 8) == 0);
	const char *cd = t_header(&r, "Content-Disposition");
	cr_expect(cd && strncmp(cd, "attachment", 10) == 0, "%s", cd);
	cr_expect(r.body_len > 3 && memcmp(r.body, "\xEF\xBB\xBF", 3) == 0, "UTF-8 BOM");
	cr_expect(strncmp(r.body + 3, "id,national_id,name,unit,district,industry,title_level,", 55) == 0,
	          "header row: %.80s", r.body + 3);
	cr_expect(strstr(r.body, "\r\n") != NULL, "CRLF");
	cr_expect(strstr(r.body, id) && strstr(r.body, m), "the person, masked");
	cr_expect(!strstr(r.body, nid), "never the full id");
	cr_expect(strstr(r.body, "\"'=HYPERLINK(\"\"http://x\"\")\"") != NULL, "formula neutralised: %s", r.body);
	t_resp_free(&r);
	/* the same filters as JSON: another unit's filter gives the header only */
	char path[160];
	snprintf(path, sizeof path, "/v1/persons?unit=%s", w.b1);
	r = t_http("GET", path, tok, h, NULL, 0);
	cr_expect_eq(r.status, 200);
	cr_expect(!strstr(r.body, id), "filtered");
	t_resp_free(&r);
	free(tok);
	free(id);
	world_free(&w);
}

/* ---- the import ---------------------------------------------------------- */

static long persons_in_unit(world *w, const char *unit)
{
	const char *p[] = { unit };
	return t_sql_count(w->db, "SELECT count(*) FROM jxjy.persons WHERE unit = $1", 1, p);
}

Test(persons_import, a_good_json_import_is_one_statement_with_one_audit_row)
{
	world w;
	world_make(&w);
	char nid[3][19];
	for (int i = 0; i < 3; i++)
		make_nid(nid[i]);
	char body[2048];
	snprintf(body, sizeof body,
	         "[{\"national_id\":\"%s\",\"name\":\"甲\",\"unit\":\"%s\",\"title_level\":\"intermediate\"},"
	         "{\"national_id\":\"%s\",\"name\":\"乙\",\"unit\":\"%s\",\"title_level\":\"junior_member\","
	         "\"industry\":\"law\",\"cycle_start_year\":2019,\"speciality\":\"公证\"},"
	         "{\"national_id\":\"%s\",\"name\":\"丙\",\"unit\":\"%s\",\"title_level\":\"senior_deputy\","
	         "\"status\":\"left\"}]",
	         nid[0], w.a1, nid[1], w.a2, nid[2], w.a1);
	char *tok = t_token("district_bureau", DISTRICT_A);
	const char *count_sql = "SELECT count(*) FROM jxjy.audit_log WHERE action = 'import'";
	long audits = t_sql_count(w.db, count_sql, 0, NULL);
	t_resp r = send_json("POST", "/v1/persons:import", tok, body, NULL);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_eq(json_integer_value(json_object_get(r.json, "imported")), 3);
	json_t *ids = json_object_get(r.json, "ids");
	cr_assert_eq(json_array_size(ids), 3);
	for (int i = 0; i < 3; i++) {
		const char *p[] = { json_string_value(json_array_get(ids, i)) };
		char *got = t_sql_value(w.db, "SELECT national_id FROM jxjy.persons WHERE id = $1", 1, p);
		cr_expect_str_eq(got, nid[i], "ids in row order");
		free(got);
	}
	const char *p1[] = { json_string_value(json_array_get(ids, 1)) };
	char *row = t_sql_value(w.db, "SELECT district || ' ' || industry || ' ' || cycle_start_year || ' '"
	                              " || speciality FROM jxjy.persons WHERE id = $1", 1, p1);
	cr_expect_str_eq(row, DISTRICT_A " law 2019 公证", "district by the trigger, fields stored");
	free(row);
	cr_expect_eq(t_sql_count(w.db, count_sql, 0, NULL), audits + 1, "ONE import audit row");
	char *after = t_sql_value(w.db, "SELECT (after->>'count') || ' ' || jsonb_array_length(after->'ids') || ' '"
	                                " || district FROM jxjy.audit_log WHERE action = 'import'"
	                                " ORDER BY id DESC LIMIT 1", 0, NULL);
	cr_expect_str_eq(after, "3 3 " DISTRICT_A, "count and ids, the district's");
	free(after);
	t_resp_free(&r);
	free(tok);
	world_free(&w);
}

Test(persons_import, a_good_csv_import_with_bom_quotes_and_crlf)
{
	world w;
	world_make(&w);
	char nid[2][19];
	make_nid(nid[0]);
	make_nid(nid[1]);
	char body[2048];
	/* any column order, an empty cell is an absent field, a lower-case x */
	nid[1][17] = nid[1][17] == 'X' ? 'x' : nid[1][17];
	snprintf(body, sizeof body,
	         "\xEF\xBB\xBFname,title_level,national_id,speciality,cycle_start_year\r\n"
	         "\"李,四\",intermediate,%s,\"说\"\"文\"\"解字\",2022\r\n"
	         "王五,junior_assistant,%s,,\r\n",
	         nid[0], nid[1]);
	char *tok = t_token("unit", w.a2);
	const char *h[] = { "Content-Type: text/csv; charset=utf-8", NULL };
	t_resp r = t_http("POST", "/v1/persons:import", tok, h, body, strlen(body));
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_eq(json_integer_value(json_object_get(r.json, "imported")), 2);
	const char *p[] = { json_string_value(json_array_get(json_object_get(r.json, "ids"), 0)) };
	char *row = t_sql_value(w.db, "SELECT name || '|' || speciality || '|' || cycle_start_year || '|' || unit"
	                              " FROM jxjy.persons WHERE id = $1", 1, p);
	char want[256];
	snprintf(want, sizeof want, "李,四|说\"文\"解字|2022|%s", w.a2);
	cr_expect_str_eq(row, want, "RFC 4180 quoting read back, the unit's own unit by default");
	free(row);
	cr_expect_eq(persons_in_unit(&w, w.a2), 2);
	t_resp_free(&r);
	free(tok);
	world_free(&w);
}

Test(persons_import, a_bad_row_in_the_middle_is_422_listing_it_and_nothing_is_stored)
{
	world w;
	world_make(&w);
	char good[3][19];
	for (int i = 0; i < 3; i++)
		make_nid(good[i]);
	char body[2048];
	snprintf(body, sizeof body,
	         "[{\"national_id\":\"%s\",\"name\":\"一\",\"unit\":\"%s\",\"title_level\":\"intermediate\"},"
	         "{\"national_id\":\"%s\",\"name\":\"二\",\"unit\":\"%s\",\"title_level\":\"intermediate\"},"
	         "{\"national_id\":\"360426199113010079\",\"name\":\"三\",\"unit\":\"%s\",\"title_level\":\"chief\"},"
	         "{\"national_id\":\"%s\",\"name\":\"四\",\"unit\":\"%s\",\"title_level\":\"intermediate\"},"
	         "{\"national_id\":\"%s\",\"name\":\"五\",\"unit\":\"%s\",\"title_level\":\"intermediate\"}]",
	         good[0], w.a1, good[1], w.a1, w.a1, good[2], w.a1, good[0], w.a1);
	char *tok = t_token("city_bureau", NULL);
	t_resp r = send_json("POST", "/v1/persons:import", tok, body, NULL);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "rows[2].national_id", NULL), "the bad id: %s", r.body);
	cr_expect(t_has_error(&r, "rows[2].title_level", NULL), "the bad level");
	cr_expect(t_has_error(&r, "rows[4].national_id", NULL), "a duplicate within the file");
	cr_expect(!t_has_error(&r, "rows[0].national_id", NULL) && !t_has_error(&r, "rows[3].national_id", NULL), "good rows not named");
	t_resp_free(&r);
	cr_expect_eq(persons_in_unit(&w, w.a1), 0, "NOTHING stored");

	/* a row taken in the database (elsewhere in the city), an unseen unit */
	char taken[19];
	char *other = insert_person_named(&w, w.b1, "已有", taken);
	char *dtok = t_token("district_bureau", DISTRICT_A);
	snprintf(body, sizeof body,
	         "[{\"national_id\":\"%s\",\"name\":\"一\",\"unit\":\"%s\",\"title_level\":\"intermediate\"},"
	         "{\"national_id\":\"%s\",\"name\":\"二\",\"unit\":\"%s\",\"title_level\":\"intermediate\"},"
	         "{\"national_id\":\"%s\",\"name\":\"三\",\"unit\":\"%s\",\"title_level\":\"intermediate\"}]",
	         good[0], w.a1, taken, w.a1, good[1], w.b1);
	r = send_json("POST", "/v1/persons:import", dtok, body, NULL);
	cr_expect(t_is_problem(&r, 422), "%d %s", r.status, r.body);
	cr_expect(t_has_error(&r, "rows[1].national_id", NULL), "taken in the city: %s", r.body);
	cr_expect(t_has_error(&r, "rows[2].unit", NULL), "another district's unit");
	cr_expect(!t_has_error(&r, "rows[0].national_id", NULL));
	t_resp_free(&r);
	cr_expect_eq(persons_in_unit(&w, w.a1), 0, "still nothing stored");
	free(other);
	free(dtok);
	free(tok);
	world_free(&w);
}

Test(persons_import, malformed_bodies_are_refused)
{
	world w;
	world_make(&w);
	char *tok = t_token("city_bureau", NULL);
	const char *h[] = { "Content-Type: text/csv", NULL };
	struct { const char *csv, *field; } bad[] = {
		{ "national_id,name,unit,title_level\r\n\"unterminated,x,y,z\r\n", "body" },
		{ "national_id,name,colour\r\n1,2,3\r\n", "header" },
		{ "national_id,name,name\r\n1,2,3\r\n", "header" },
		{ "", "header" },
		{ "national_id,name,title_level\r\n360426199101010071,a\r\n", "rows[0]" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t_resp r = t_http("POST", "/v1/persons:import", tok, h, bad[i].csv, strlen(bad[i].csv));
		cr_expect(t_is_problem(&r, 422), "case %zu: %d %s", i, r.status, r.body);
		cr_expect(t_has_error(&r, bad[i].field, NULL), "case %zu names %s: %s", i, bad[i].field, r.body);
		t_resp_free(&r);
	}
	t_resp r = send_json("POST", "/v1/persons:import", tok, "[]", NULL);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "rows", NULL), "empty: %s", r.body);
	t_resp_free(&r);
	r = send_json("POST", "/v1/persons:import", tok, "{\"rows\":[]}", NULL);
	cr_expect(t_is_problem(&r, 422), "not an array: %d", r.status);
	t_resp_free(&r);
	r = send_json("POST", "/v1/persons:import", tok, "[1,\"x\"]", NULL);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "rows[0]", NULL) && t_has_error(&r, "rows[1]", NULL), "%s", r.body);
	t_resp_free(&r);
	const char *xml[] = { "Content-Type: application/xml", NULL };
	r = t_http("POST", "/v1/persons:import", tok, xml, "<a/>", 4);
	cr_expect(t_is_problem(&r, 415), "%d", r.status);
	t_resp_free(&r);
	free(tok);
	world_free(&w);
}

Test(persons_import, ten_thousand_rows_in_seconds, .timeout = 120)
{
	world w;
	world_make(&w);
	enum { N = 10000 };
	/* fresh ids: a random area code, distinct birth dates and sequences */
	unsigned area = 100000 + rnd() % 900000;
	size_t cap = (size_t)N * 200 + 64;
	char *body = malloc(cap);
	size_t len = (size_t)snprintf(body, cap, "national_id,name,title_level\r\n");
	for (int i = 0; i < N; i++) {
		char nid[19];
		core_date d = core_date_make(1970 + i / 336, 1 + (i / 28) % 12, 1 + i % 28);
		snprintf(nid, sizeof nid, "%06u%04d%02d%02d%03d", area, d.y, d.m, d.d, (int)(rnd() % 1000));
		char c;
		cr_assert(core_ident_resident_id_check_char(&c, nid) == 0);
		nid[17] = c;
		nid[18] = '\0';
		len += (size_t)snprintf(body + len, cap - len, "%s,批量%05d,%s\r\n", nid, i,
		                        i % 2 ? "intermediate" : "junior_member");
	}
	char *tok = t_token("unit", w.b1);
	const char *h[] = { "Content-Type: text/csv", NULL };
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	t_resp r = t_http("POST", "/v1/persons:import", tok, h, body, len);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "persons_import: %d rows (%zu bytes of CSV) imported in %.2f s\n", N, len, secs);
	cr_assert_eq(r.status, 201, "%.300s", r.body);
	cr_expect_eq(json_integer_value(json_object_get(r.json, "imported")), N);
	cr_expect_eq(json_array_size(json_object_get(r.json, "ids")), N);
	cr_expect_eq(persons_in_unit(&w, w.b1), N);
	const char *p[] = { w.b1 };
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.person_employments e JOIN jxjy.persons p"
	                               " ON p.id = e.person WHERE p.unit = $1 AND e.to_date IS NULL", 1, p), N,
	             "every person starts an employment");
	/* far below a round trip per row; generous for the sanitized gateway */
	cr_expect(secs < 30.0, "%.2f s", secs);
	t_resp_free(&r);
	free(tok);
	free(body);
	world_free(&w);
}

/* ---- transfers (R-1) ----------------------------------------------------- */

static long app_count(world *w, const char *claims, const char *sql, const char *person)
{
	/* as the gateway's role under the given claims (row-level security) */
	PQclear(t_sql(w->db, "BEGIN", 0, NULL));
	PQclear(t_sql(w->db, "SET LOCAL ROLE jxjy_app", 0, NULL));
	const char *c[] = { claims };
	PQclear(t_sql(w->db, "SELECT jxjy.set_claims($1::jsonb)", 1, c));
	const char *p[] = { person };
	long n = t_sql_count(w->db, sql, 1, p);
	PQclear(t_sql(w->db, "ROLLBACK", 0, NULL));
	return n;
}

Test(transfers, R1_across_districts_end_to_end_history_follows_the_person)
{
	world w;
	world_make(&w);
	char *id = insert_person(&w, w.a1);
	const char *p[] = { id };
	/* a verified record of the past, registered while in A1 */
	PQclear(t_sql(w.db, "INSERT INTO jxjy.records (person, year, start_date, end_date, category, form,"
	                    " class_type, hours, source, status, registered_by, verified_by, verified_at)"
	                    " VALUES ($1, 2024, '2024-05-06', '2024-05-07', 'professional', 'training_class',"
	                    " 'full_time', 12, 'unit', 'verified', 'test', 'test', now())", 1, p));
	char *a1 = t_token("unit", w.a1), *b1 = t_token("unit", w.b1);
	char *dist_b = t_token("district_bureau", DISTRICT_B);
	char path[160], body[160];
	snprintf(path, sizeof path, "/v1/persons/%s/transfers", id);
	snprintf(body, sizeof body, "{\"to_unit\":\"%s\",\"reason\":\"调动\"}", w.b1);
	t_resp r = send_json("POST", path, a1, body, NULL);
	cr_assert_eq(r.status, 201, "requested by the releasing unit: %s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "requested");
	cr_expect_str_eq(t_str(&r, "person"), id);
	cr_expect_str_eq(t_str(&r, "from_unit"), w.a1);
	cr_expect_str_eq(t_str(&r, "to_unit"), w.b1);
	cr_expect_str_eq(t_str(&r, "from_district"), DISTRICT_A);
	cr_expect_str_eq(t_str(&r, "to_district"), DISTRICT_B);
	char *tid = strdup(t_str(&r, "id"));
	char loc[128];
	snprintf(loc, sizeof loc, "/v1/transfers/%s", tid);
	cr_expect_str_eq(t_header(&r, "Location"), loc);
	t_resp_free(&r);
	/* both sides read it; the receiving side does not see the person yet */
	r = t_get(loc, b1);
	cr_expect_eq(r.status, 200, "%s", r.body);
	t_resp_free(&r);
	char *self = t_token("person", id), *a2 = t_token("unit", w.a2);
	r = t_get(loc, self);
	cr_expect_eq(r.status, 200, "the person reads their transfer: %d", r.status);
	t_resp_free(&r);
	r = t_get(loc, a2);
	cr_expect(t_is_problem(&r, 404), "a unit on neither side: %d", r.status);
	t_resp_free(&r);
	free(self);
	free(a2);
	snprintf(path, sizeof path, "/v1/persons/%s", id);
	r = t_get(path, b1);
	cr_expect(t_is_problem(&r, 404), "not yet B1's: %d", r.status);
	t_resp_free(&r);

	snprintf(path, sizeof path, "/v1/transfers/%s/accept", tid);
	r = t_http("POST", path, a1, NULL, NULL, 0);
	cr_expect(t_is_problem(&r, 403), "the releasing unit cannot accept: %d", r.status);
	t_resp_free(&r);
	r = t_http("POST", path, dist_b, NULL, NULL, 0);
	cr_assert_eq(r.status, 200, "the receiving district accepts: %s", r.body);
	cr_expect_str_eq(t_str(&r, "status"), "accepted");
	cr_expect(t_str(&r, "accepted_at") != NULL);
	t_resp_free(&r);
	r = t_http("POST", path, dist_b, NULL, NULL, 0);
	cr_expect(t_is_problem(&r, 409), "accepted once: %d", r.status);
	t_resp_free(&r);

	snprintf(path, sizeof path, "/v1/persons/%s", id);
	r = t_get(path, a1);
	cr_expect(t_is_problem(&r, 404), "the old unit no longer sees the person: %d", r.status);
	t_resp_free(&r);
	r = t_get(path, b1);
	cr_expect_eq(r.status, 200, "the new unit does: %s", r.body);
	cr_expect_str_eq(t_str(&r, "unit"), w.b1);
	cr_expect_str_eq(t_str(&r, "district"), DISTRICT_B);
	t_resp_free(&r);

	/* the whole history moved with the person, attribution did not */
	char *rec = t_sql_value(w.db, "SELECT cur_unit || ' ' || cur_district || ' ' || reg_unit || ' ' || reg_district"
	                              " FROM jxjy.records WHERE person = $1", 1, p);
	char want[200];
	snprintf(want, sizeof want, "%s %s %s %s", w.b1, DISTRICT_B, w.a1, DISTRICT_A);
	cr_expect_str_eq(rec, want, "records: current B1, registered A1");
	free(rec);
	char claims_old[256], claims_new[256];
	snprintf(claims_old, sizeof claims_old, "{\"sub\":\"t\",\"role\":\"unit\",\"unit\":\"%s\"}", w.a1);
	snprintf(claims_new, sizeof claims_new, "{\"sub\":\"t\",\"role\":\"unit\",\"unit\":\"%s\"}", w.b1);
	const char *rec_sql = "SELECT count(*) FROM jxjy.records WHERE person = $1";
	cr_expect_eq(app_count(&w, claims_old, rec_sql, id), 0, "the old unit sees none of the records");
	cr_expect_eq(app_count(&w, claims_new, rec_sql, id), 1, "the new unit sees the whole history");
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.person_employments WHERE person = $1", 1, p), 2,
	             "employment history extended");
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.person_employments WHERE person = $1"
	                               " AND to_date IS NULL AND transfer IS NOT NULL", 1, p), 1);
	const char *t[] = { tid };
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.audit_log WHERE action = 'transfer'"
	                               " AND entity = 'transfer' AND entity_id = $1", 1, t), 2,
	             "request and acceptance audited");
	free(tid);
	free(a1);
	free(b1);
	free(dist_b);
	free(id);
	world_free(&w);
}

Test(transfers, request_validation_and_one_open_request_per_person)
{
	world w;
	world_make(&w);
	char *id = insert_person(&w, w.a1);
	char *tok = t_token("district_bureau", DISTRICT_A);
	char path[160], body[160];
	snprintf(path, sizeof path, "/v1/persons/%s/transfers", id);
	t_resp r = send_json("POST", path, tok, "{}", NULL);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "to_unit", NULL), "to_unit required: %s", r.body);
	t_resp_free(&r);
	r = send_json("POST", path, tok, "{\"to_unit\":\"11111111-2222-4333-8444-555555555555\"}", NULL);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "to_unit", NULL), "no such unit: %s", r.body);
	t_resp_free(&r);
	snprintf(body, sizeof body, "{\"to_unit\":\"%s\"}", w.a1);
	r = send_json("POST", path, tok, body, NULL);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "to_unit", NULL), "already there: %s", r.body);
	t_resp_free(&r);
	snprintf(body, sizeof body, "{\"to_unit\":\"%s\",\"when\":\"now\"}", w.a2);
	r = send_json("POST", path, tok, body, NULL);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "when", NULL), "unknown field: %s", r.body);
	t_resp_free(&r);
	snprintf(body, sizeof body, "{\"to_unit\":\"%s\"}", w.a2);
	r = send_json("POST", path, tok, body, NULL);
	cr_expect_eq(r.status, 201, "within the district: %s", r.body);
	t_resp_free(&r);
	snprintf(body, sizeof body, "{\"to_unit\":\"%s\"}", w.b1);
	r = send_json("POST", path, tok, body, NULL);
	cr_expect(t_is_problem(&r, 409), "one open request per person: %d", r.status);
	t_resp_free(&r);
	r = send_json("POST", "/v1/persons/11111111-2222-4333-8444-555555555555/transfers", tok, body, NULL);
	cr_expect(t_is_problem(&r, 404), "%d", r.status);
	t_resp_free(&r);
	r = t_http("POST", "/v1/transfers/11111111-2222-4333-8444-555555555555/accept", tok, NULL, NULL, 0);
	cr_expect(t_is_problem(&r, 404), "%d", r.status);
	t_resp_free(&r);
	const char *p[] = { id };
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.transfers WHERE person = $1", 1, p), 1);
	free(tok);
	free(id);
	world_free(&w);
}

/* ---- idempotent replay (D3) -------------------------------------------- */

Test(persons, idempotent_replay_of_a_create_and_of_an_import)
{
	world w;
	world_make(&w);
	char nid[19];
	make_nid(nid);
	char *tok = t_token("city_bureau", NULL);
	char *b = person_body(nid, w.a1, "幂等");
	char key[80];
	snprintf(key, sizeof key, "Idempotency-Key: persons-%08x", rnd());
	t_resp r1 = send_json("POST", "/v1/persons", tok, b, key);
	cr_assert_eq(r1.status, 201, "%s", r1.body);
	t_resp r2 = send_json("POST", "/v1/persons", tok, b, key);
	cr_expect_eq(r2.status, 201, "replayed, not 409: %s", r2.body);
	cr_expect_str_eq(r2.body, r1.body, "the first response");
	cr_expect_str_eq(t_header(&r2, "Idempotent-Replayed"), "true");
	t_resp_free(&r2);
	const char *p[] = { nid };
	cr_expect_eq(t_sql_count(w.db, "SELECT count(*) FROM jxjy.persons WHERE national_id = $1", 1, p), 1);
	/* the same key with another body */
	char nid2[19];
	make_nid(nid2);
	char *b2 = person_body(nid2, w.a1, "幂等");
	r2 = send_json("POST", "/v1/persons", tok, b2, key);
	cr_expect(t_is_problem(&r2, 422), "%d", r2.status);
	t_resp_free(&r2);
	t_resp_free(&r1);

	char body[512], nid3[19];
	make_nid(nid3);
	snprintf(body, sizeof body, "[{\"national_id\":\"%s\",\"name\":\"批\",\"unit\":\"%s\","
	                            "\"title_level\":\"intermediate\"}]", nid3, w.a2);
	snprintf(key, sizeof key, "Idempotency-Key: import-%08x", rnd());
	r1 = send_json("POST", "/v1/persons:import", tok, body, key);
	cr_expect_eq(r1.status, 201, "%s", r1.body);
	r2 = send_json("POST", "/v1/persons:import", tok, body, key);
	cr_expect(r2.status == 201 && !strcmp(r1.body, r2.body), "import replayed: %d", r2.status);
	cr_expect_eq(persons_in_unit(&w, w.a2), 1, "imported once");
	t_resp_free(&r1);
	t_resp_free(&r2);
	free(b);
	free(b2);
	free(tok);
	world_free(&w);
}

/* API.md, second wave: ?reveal=national_id covers at most 50 persons a
 * request (more: 422, field limit, and nothing revealed or audited); with
 * reveal a page defaults to 50, CSV too (without it a CSV page holds up to
 * an import's worth). */
Test(persons, reveal_covers_at_most_50_persons_a_request, .timeout = 60)
{
	PGconn *db = t_db();
	char *unit = t_new_unit(db, DISTRICT_A, NULL);
	for (int i = 0; i < 51; i++)
		free(t_new_person(db, unit, "intermediate"));
	char *tok = t_token("city_bureau", NULL);
	const char *p[] = { unit };
	const char *audited = "SELECT count(*) FROM jxjy.audit_log a JOIN jxjy.persons s"
	                      " ON s.id::text = a.entity_id WHERE a.action = 'reveal' AND s.unit = $1::uuid";
	char path[160];
	snprintf(path, sizeof path, "/v1/persons?unit=%s&reveal=national_id&limit=51", unit);
	t_resp r = t_get(path, tok);
	cr_expect(t_is_problem(&r, 422) && t_has_error(&r, "limit", "out_of_range"), "%d %s",
	          r.status, r.body);
	t_resp_free(&r);
	cr_expect_eq(t_sql_count(db, audited, 1, p), 0, "a refused reveal reveals nothing");

	snprintf(path, sizeof path, "/v1/persons?unit=%s&reveal=national_id", unit);
	r = t_get(path, tok);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(json_array_size(json_object_get(r.json, "items")), 50);
	cr_expect(json_is_string(json_object_get(r.json, "next_cursor")), "a next page");
	t_resp_free(&r);
	cr_expect_eq(t_sql_count(db, audited, 1, p), 50, "one audit row per person shown");

	const char *csv[] = { "Accept: text/csv", NULL };
	for (int reveal = 0; reveal < 2; reveal++) {
		snprintf(path, sizeof path, "/v1/persons?unit=%s%s", unit,
		         reveal ? "&reveal=national_id" : "");
		r = t_http("GET", path, tok, csv, NULL, 0);
		cr_assert_eq(r.status, 200, "%s", r.body);
		int lines = 0;
		for (const char *s = r.body; (s = strchr(s, '\n')); s++)
			lines++;
		/* the header line and one line a person */
		cr_expect_eq(lines - 1, reveal ? 50 : 51, "CSV rows with%s reveal", reveal ? "" : "out");
		t_resp_free(&r);
	}
	free(tok);
	free(unit);
	PQfinish(db);
}
