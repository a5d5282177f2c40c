/*
 * POST /v1/persons:import — up to 10 000 persons at once, all or nothing.
 *
 * The body is a JSON array of person objects (the fields of POST
 * /v1/persons), or text/csv: UTF-8 with or without a BOM, RFC 4180, a header
 * row naming the columns with those field names (any order; an empty cell is
 * an absent field), parsed by libcsv.  Blank lines are skipped.
 *
 * Every row is validated first (core decides identifiers, levels and
 * statuses), then duplicates within the body, then in ONE round trip the
 * database says which national ids are taken city-wide, which units the
 * caller sees and which industry codes exist.  Any failure answers 422 with
 * every failing row and field in errors[].field as "rows[i].<field>" —
 * i counts from 0 over the array elements, or over the CSV records after
 * the header — and nothing is stored.  Otherwise ONE statement inserts
 * every row (arrays unnested) with ONE "import" audit row, in one
 * transaction, and the answer is 201 {"imported": n, "ids": [...]} with the
 * ids in row order.  A unit imports only into itself (403 otherwise).
 * Rows refused because their national id is taken leave ONE "conflict"
 * audit row for the request, and an account over JXJY_CONFLICTS_PER_DAY of
 * such refusals is 429 at the checks' round trip (persons_conflicts.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h> /* libcsv (Debian libcsv-dev); the CSV writer is api/csv_out.h */

#include "http/resource.h"
#include "http/hash.h"
#include "handlers.h"
#include "persons_internal.h"

/* ---- a set of short strings (national ids, unit ids, codes) ------------ */

typedef struct strset {
	const char **keys;
	int *vals;
	size_t cap; /* a power of two, at least twice the entries */
} strset;

static void strset_init(api_req *r, strset *s, size_t n)
{
	s->cap = 16;
	while (s->cap < 2 * n)
		s->cap *= 2;
	s->keys = api_arena_alloc(r->mem, s->cap * sizeof *s->keys);
	s->vals = api_arena_alloc(r->mem, s->cap * sizeof *s->vals);
}

static size_t strset_slot(const strset *s, const char *k)
{
	size_t i = (size_t)api_hash_str(k) & (s->cap - 1);
	while (s->keys[i] && strcmp(s->keys[i], k) != 0)
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* The value stored with k, or -1. */
static int strset_get(const strset *s, const char *k)
{
	size_t i = strset_slot(s, k);
	return s->keys[i] ? s->vals[i] : -1;
}

static void strset_put(strset *s, const char *k, int v)
{
	size_t i = strset_slot(s, k);
	if (!s->keys[i]) {
		s->keys[i] = k;
		s->vals[i] = v;
	}
}

/* ---- text/csv → an array of person objects ----------------------------- */

#define CSV_COLUMNS_MAX 16

typedef struct csv_in {
	api_req *r;
	json_t *rows;
	json_t *errors;
	const char *header[CSV_COLUMNS_MAX];
	int ncols;
	bool in_header;
	int col;
	json_t *cur;
	size_t nrows;
	bool too_many;
} csv_in;

static const char *const import_columns[] = { "national_id", "name", "unit", "industry",
                                              "title_level", "speciality", "cycle_start_year",
                                              "status", "since", NULL };

static void row_error(json_t *errors, size_t row, const char *field, const char *code,
                      const char *msg)
{
	char f[96];
	if (field)
		snprintf(f, sizeof f, "rows[%zu].%s", row, field);
	else
		snprintf(f, sizeof f, "rows[%zu]", row);
	api_error_add(errors, f, code, msg);
}

static void header_cell(csv_in *p, const char *s, size_t len)
{
	int col = p->col;
	char msg[160];
	if (col >= CSV_COLUMNS_MAX) {
		if (col == CSV_COLUMNS_MAX)
			api_error_add(p->errors, "header", "invalid", "too many columns");
		return;
	}
	char *name = api_arena_alloc(p->r->mem, len + 1);
	memcpy(name, s, len);
	const char *known = NULL;
	for (const char *const *c = import_columns; *c; c++)
		if (strlen(*c) == len && memcmp(*c, s, len) == 0)
			known = *c;
	if (!known) {
		json_t *utf8 = json_stringn(name, len);
		if (utf8 && len <= 60)
			snprintf(msg, sizeof msg, "unknown column \"%s\"", name);
		else
			snprintf(msg, sizeof msg, "unknown column %d", col + 1);
		json_decref(utf8);
		api_error_add(p->errors, "header", "unknown_field", msg);
	}
	for (int i = 0; i < p->ncols; i++)
		if (known && p->header[i] == known) {
			snprintf(msg, sizeof msg, "column \"%s\" appears twice", known);
			api_error_add(p->errors, "header", "invalid", msg);
			known = NULL;
		}
	p->header[col] = known; /* NULL: a column whose cells are ignored (reported above) */
	p->ncols = col + 1;
}

static bool all_digits(const char *s, size_t len)
{
	if (len == 0 || len > 9)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static void on_cell(void *data, size_t len, void *arg)
{
	csv_in *p = arg;
	const char *s = data ? data : "";
	if (p->in_header) {
		header_cell(p, s, len);
		p->col++;
		return;
	}
	int col = p->col++;
	if (p->too_many)
		return;
	if (!p->cur)
		p->cur = json_object();
	if (col >= p->ncols || !p->header[col] || len == 0)
		return; /* an extra cell is counted at the end of the record; empty = absent */
	const char *name = p->header[col];
	json_t *v;
	if (strcmp(name, "cycle_start_year") == 0 && all_digits(s, len)) {
		char num[12];
		memcpy(num, s, len);
		num[len] = '\0';
		v = json_integer(atol(num));
	} else {
		v = json_stringn(s, len); /* NULL unless valid UTF-8 */
	}
	if (!v) {
		row_error(p->errors, p->nrows, name, "invalid", "is not UTF-8 text");
		return;
	}
	json_object_set_new(p->cur, name, v);
}

static void on_record(int c, void *arg)
{
	csv_in *p = arg;
	int cells = p->col;
	p->col = 0;
	if (p->in_header) {
		p->in_header = false;
		return;
	}
	if (p->too_many)
		return;
	if (p->nrows >= PERSONS_IMPORT_MAX) {
		p->too_many = true;
		json_decref(p->cur);
		p->cur = NULL;
		return;
	}
	if (cells != p->ncols) {
		char msg[96];
		snprintf(msg, sizeof msg, "has %d cells where the header has %d", cells, p->ncols);
		row_error(p->errors, p->nrows, NULL, "invalid", msg);
	}
	json_array_append_new(p->rows, p->cur ? p->cur : json_object());
	p->cur = NULL;
	p->nrows++;
}

/* Parses the CSV body into p->rows; problems of the document itself go to
 * p->errors (field "body" or "header"), of a record to "rows[i]". */
static void csv_read(api_req *r, csv_in *p)
{
	const char *data = r->raw_body;
	size_t len = r->raw_body_len;
	p->r = r;
	p->in_header = true;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (memchr(data, 0, len)) {
		api_error_add(p->errors, "body", "invalid", "the CSV document contains a NUL byte");
		return;
	}
	struct csv_parser parser;
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		api_error_add(p->errors, "body", "invalid", "the CSV document could not be read");
		return;
	}
	size_t used = csv_parse(&parser, data, len, on_cell, on_record, p);
	bool bad = used != len || csv_fini(&parser, on_cell, on_record, p) != 0;
	csv_free(&parser);
	json_decref(p->cur);
	p->cur = NULL;
	if (bad) {
		char msg[128];
		snprintf(msg, sizeof msg, "malformed CSV (RFC 4180: quotes) after %zu records", p->nrows);
		api_error_add(p->errors, "body", "invalid", msg);
	}
	if (p->ncols == 0)
		api_error_add(p->errors, "header", "required", "a header row naming the columns is required");
}

/* ---- the import -------------------------------------------------------- */

enum { COL_NID, COL_NAME, COL_UNIT, COL_INDUSTRY, COL_LEVEL, COL_SPECIALITY, COL_CYCLE,
       COL_STATUS, COL_SINCE, COL__COUNT };

typedef struct import_ctx {
	size_t n;
	persons_in *rows;
	const char *chk[3];
	const char *arr[COL__COUNT];
	db_call calls[4];
} import_ctx;

static void imported(api_req *r, db_result *const *res, int n)
{
	const char *a = n == 2 ? db_result_value(res[1], 0, PERSONS_IMPORT_COL_IMPORT) : NULL;
	json_t *summary = a ? json_loads(a, 0, NULL) : NULL;
	if (!summary) {
		api_reply_problem(r, 500, "Internal error", "the import gave no answer");
		return;
	}
	api_reply_json(r, 201, summary);
}

static void import_insert(api_req *r)
{
	import_ctx *c = r->ctx;
	const char **col[COL__COUNT];
	for (int k = 0; k < COL__COUNT; k++)
		col[k] = api_arena_alloc(r->mem, c->n * sizeof *col[k]);
	for (size_t i = 0; i < c->n; i++) {
		const persons_in *in = &c->rows[i];
		col[COL_NID][i] = in->national_id;
		col[COL_NAME][i] = in->name;
		col[COL_UNIT][i] = in->unit;
		col[COL_INDUSTRY][i] = in->industry;
		col[COL_LEVEL][i] = in->title_level;
		col[COL_SPECIALITY][i] = in->speciality;
		col[COL_CYCLE][i] = in->cycle_start_year;
		col[COL_STATUS][i] = in->status;
		col[COL_SINCE][i] = in->since;
	}
	for (int k = 0; k < COL__COUNT; k++)
		c->arr[k] = persons_pg_array(r, col[k], c->n);
	c->calls[0] = (db_call){ DB_STMT_PERSONS_IMPORT_TIMEOUT, NULL };
	c->calls[1] = (db_call){ DB_STMT_PERSONS_IMPORT, c->arr };
	api_db_run(r, c->calls, 2, imported);
}

/* The values of column col (the checks' first: a national id, a unit id, an
 * industry code). */
static void set_of_column(api_req *r, strset *s, const db_result *res, int col)
{
	int rows = db_result_rows(res);
	strset_init(r, s, (size_t)rows);
	for (int i = 0; i < rows; i++)
		strset_put(s, api_arena_strdup(r->mem, db_result_value(res, i, col)), i);
}

static void import_checked(api_req *r, db_result *const *res, int n)
{
	import_ctx *c = r->ctx;
	if (persons_conflicts_refuse(r, res[3]))
		return;
	strset taken, units, industries;
	set_of_column(r, &taken, res[0], PERSONS_IDS_TAKEN_COL_NATIONAL_ID);
	set_of_column(r, &units, res[1], PERSONS_UNITS_SEEN_COL_UNIT);
	set_of_column(r, &industries, res[2], PERSONS_INDUSTRIES_KNOWN_COL_CODE);
	json_t *errors = json_array();
	json_t *rows = json_array(), *masked = json_array();
	size_t ntaken = 0;
	for (size_t i = 0; i < c->n; i++) {
		const persons_in *in = &c->rows[i];
		if (strset_get(&taken, in->national_id) >= 0) {
			row_error(errors, i, "national_id", "duplicate",
			          "already registered in the city: move the person with "
			          "POST /v1/persons/{id}/transfers");
			if (ntaken++ < PERSONS_CONFLICT_LISTED) {
				const char *m = persons_mask(r, in->national_id);
				json_array_append_new(rows, json_integer((json_int_t)i));
				json_array_append_new(masked, m ? json_string(m) : json_null());
			}
		}
		if (strset_get(&units, in->unit) < 0)
			row_error(errors, i, "unit", "unknown", "no such unit in the caller's jurisdiction");
		if (in->industry && strset_get(&industries, in->industry) < 0)
			row_error(errors, i, "industry", "unknown", "no such industry code");
	}
	if (ntaken > 0) {
		/* ONE audit row for the request, however many rows are taken */
		json_t *after = json_pack("{s:s, s:I, s:o, s:o}", "operation", "import", "count",
		                          (json_int_t)ntaken, "rows", rows, "national_ids", masked);
		if (ntaken > PERSONS_CONFLICT_LISTED)
			json_object_set_new(after, "omitted",
			                    json_integer((json_int_t)(ntaken - PERSONS_CONFLICT_LISTED)));
		persons_conflict_trace(r, NULL, after, c->chk[1]);
	} else {
		json_decref(rows);
		json_decref(masked);
	}
	if (json_array_size(errors) > 0) {
		api_reply_errors(r, 422, "Import refused: nothing was stored", errors);
		return;
	}
	json_decref(errors);
	import_insert(r);
}

/* Validates every row; false after replying. */
static bool import_validate(api_req *r, import_ctx *c, json_t *rows, json_t *errors)
{
	strset seen;
	c->rows = api_arena_alloc(r->mem, c->n * sizeof *c->rows);
	strset_init(r, &seen, c->n);
	long other_unit = -1;
	for (size_t i = 0; i < c->n; i++) {
		json_t *o = json_array_get(rows, i);
		if (!json_is_object(o)) {
			row_error(errors, i, NULL, "invalid", "must be a person object");
			continue;
		}
		char prefix[32];
		snprintf(prefix, sizeof prefix, "rows[%zu].", i);
		persons_in *in = &c->rows[i];
		persons_read(r, o, PERSONS_CREATE, prefix, in, errors);
		if (other_unit < 0 && persons_other_unit(r, in->unit))
			other_unit = (long)i;
		if (!in->national_id)
			continue;
		int first = strset_get(&seen, in->national_id);
		if (first >= 0) {
			char msg[96];
			snprintf(msg, sizeof msg, "the same national_id as rows[%d]", first);
			row_error(errors, i, "national_id", "duplicate", msg);
		} else {
			strset_put(&seen, in->national_id, (int)i);
		}
	}
	if (other_unit >= 0) {
		json_decref(errors);
		api_reply_problem(r, 403, "Forbidden",
		                  api_arena_printf(r->mem, "rows[%ld] names another unit: a unit "
		                                           "imports persons only into itself",
		                                   other_unit));
		return false;
	}
	if (json_array_size(errors) > 0) {
		api_reply_errors(r, 422, "Import refused: nothing was stored", errors);
		return false;
	}
	json_decref(errors);
	return true;
}

static void persons_import(api_req *r)
{
	import_ctx *c = r->ctx;
	json_t *errors = json_array();
	json_t *rows;
	csv_in p = { .errors = errors };
	if (r->body) {
		if (!json_is_array(r->body)) {
			json_decref(errors);
			api_reply_problem(r, 422, "Validation failed",
			                  "the body must be a JSON array of persons or a text/csv document");
			return;
		}
		rows = json_incref(r->body);
	} else {
		p.rows = json_array();
		csv_read(r, &p);
		rows = p.rows;
		if (p.too_many)
			api_error_add(errors, "rows", "too_many", "at most 10000 rows per import");
		if (json_array_size(errors) > 0) {
			json_decref(rows);
			api_reply_errors(r, 422, "Import refused: nothing was stored", errors);
			return;
		}
	}
	c->n = json_array_size(rows);
	if (c->n == 0 || c->n > PERSONS_IMPORT_MAX) {
		json_decref(rows);
		api_error_add(errors, "rows", c->n ? "too_many" : "required",
		              c->n ? "at most 10000 rows per import" : "at least one row is required");
		api_reply_errors(r, 422, "Import refused: nothing was stored", errors);
		return;
	}
	bool ok = import_validate(r, c, rows, errors);
	json_decref(rows); /* persons_read copied what it kept into the arena */
	if (!ok)
		return;
	const char **nids = api_arena_alloc(r->mem, c->n * sizeof *nids);
	const char **units = api_arena_alloc(r->mem, c->n * sizeof *units);
	const char **inds = api_arena_alloc(r->mem, c->n * sizeof *inds);
	size_t ni = 0;
	for (size_t i = 0; i < c->n; i++) {
		nids[i] = c->rows[i].national_id;
		units[i] = c->rows[i].unit;
		if (c->rows[i].industry)
			inds[ni++] = c->rows[i].industry;
	}
	c->chk[0] = persons_pg_array(r, nids, c->n);
	c->chk[1] = persons_pg_array(r, units, c->n);
	c->chk[2] = persons_pg_array(r, inds, ni);
	c->calls[0] = (db_call){ DB_STMT_PERSONS_IDS_TAKEN, &c->chk[0] };
	c->calls[1] = (db_call){ DB_STMT_PERSONS_UNITS_SEEN, &c->chk[1] };
	c->calls[2] = (db_call){ DB_STMT_PERSONS_INDUSTRIES_KNOWN, &c->chk[2] };
	c->calls[3] = persons_conflicts_call(r);
	api_db_run(r, c->calls, 4, import_checked);
}

/* ---- operations of the route table (http/op.h) -------------------------- */

/* The body is a JSON array or a CSV document, read above (no field table);
 * the checks, the insert and its audit row are one transaction. */
const api_op op_persons_import = { .handler = persons_import, .ctx_size = sizeof(import_ctx),
                                   .flags = API_OP_BODY_OWN | API_OP_TX };
