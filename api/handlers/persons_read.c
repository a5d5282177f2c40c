/*
 * What the persons files share: the field table of one person (POST
 * /v1/persons through the pipeline, PATCH and every import row through
 * persons_read), the national id mask, the caller's view of a person and
 * PostgreSQL array parameters.
 *
 * national_id (SECURITY.md, PIPL): checked by core, unique in the city,
 * masked by core in every answer.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/fields.h"
#include "render/json.h"
#include "http/resource.h"
#include "handlers.h"
#include "persons_internal.h"

/* the base role's view: what a training provider needs to run a class */
const char *const persons_basic_fields[] = { "id", "national_id", "name", "unit", "title_level",
                                             "status", NULL };

const char *persons_mask(api_req *r, const char *national_id)
{
	char m[CORE_IDENT_BUFSZ];
	if (!national_id || core_ident_resident_id_mask(m, national_id) != 0)
		return NULL;
	return api_arena_strdup(r->mem, m);
}

void persons_mask_json(api_req *r, json_t *p)
{
	const char *m = persons_mask(r, json_string_value(json_object_get(p, "national_id")));
	json_object_set_new(p, "national_id", m ? json_string(m) : json_null());
}

json_t *persons_view(api_req *r, const char *json, bool reveal)
{
	json_t *p = json ? json_loads(json, 0, NULL) : NULL;
	if (!json_is_object(p)) {
		json_decref(p);
		return NULL;
	}
	if (!reveal)
		persons_mask_json(r, p);
	if (r->claims.role != API_ROLE_BASE)
		return p;
	json_t *b = json_object();
	for (const char *const *f = persons_basic_fields; *f; f++) {
		json_t *v = json_object_get(p, *f);
		json_object_set(b, *f, v ? v : json_null());
	}
	json_decref(p);
	return b;
}

bool persons_other_unit(const api_req *r, const char *unit)
{
	return r->claims.role == API_ROLE_UNIT && unit && strcasecmp(unit, r->claims.jur) != 0;
}

char *persons_pg_array(api_req *r, const char *const *values, size_t n)
{
	size_t cap = 3;
	for (size_t i = 0; i < n; i++)
		cap += values[i] ? 2 * strlen(values[i]) + 3 : 5;
	char *out = api_arena_alloc(r->mem, cap);
	char *p = out;
	*p++ = '{';
	for (size_t i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		if (!values[i]) {
			memcpy(p, "NULL", 4);
			p += 4;
			continue;
		}
		*p++ = '"';
		for (const char *s = values[i]; *s; s++) {
			if (*s == '"' || *s == '\\')
				*p++ = '\\';
			*p++ = *s;
		}
		*p++ = '"';
	}
	*p++ = '}';
	*p = '\0';
	return out;
}

/* ---- one person of a request ------------------------------------------- */

/* national_id is read by persons_check (its messages are its own); a PATCH
 * requires nothing */
#define PERSON_FIELDS(req)                                                                       \
	API_FIELD_JSON(persons_in, national_id_j, "national_id", 0),                             \
	API_FIELD_STR(persons_in, name, "name", req, PERSONS_TEXT_MAX),                           \
	API_FIELD_ID(persons_in, unit, "unit", 0),                                                \
	API_FIELD_STR(persons_in, industry, "industry", 0, 32),                                   \
	API_FIELD_ENUM_OF(persons_in, level, "title_level", req, level,                           \
	                  "must be one of senior_full, senior_deputy, intermediate, "             \
	                  "junior_assistant, junior_member"),                                     \
	API_FIELD_STR(persons_in, speciality, "speciality", 0, PERSONS_TEXT_MAX),                 \
	API_FIELD_YEAR_OF(persons_in, year, "cycle_start_year", 0),                               \
	API_FIELD_ENUM_OF(persons_in, st, "status", 0, person_status, "must be in_service or left"), \
	API_FIELD_DAY(persons_in, since_d, "since", 0),                                           \
	API_FIELD_DAY(persons_in, effective_d, "effective_date", 0),                              \
	API_FIELDS_END

const api_field persons_create_fields[] = { PERSON_FIELDS(API_REQUIRED) };
const api_field persons_patch_fields[] = { PERSON_FIELDS(0) };

static void read_national_id(api_req *r, json_t *v, bool required, persons_in *out, json_t *e)
{
	if (!v || json_is_null(v)) {
		if (required || v)
			api_error_add(e, "national_id", "required", "an 18-character resident id is required");
		return;
	}
	if (!json_is_string(v)) {
		api_error_add(e, "national_id", "invalid", "must be a string of 18 characters");
		return;
	}
	char norm[CORE_IDENT_BUFSZ];
	switch (core_ident_resident_id_check(norm, json_string_value(v), api_today())) {
	case 0:
		out->national_id = api_arena_strdup(r->mem, norm);
		return;
	case CORE_ECHECKSUM:
		api_error_add(e, "national_id", "invalid", "the check character is wrong (GB 11643)");
		return;
	case CORE_EDATE:
		api_error_add(e, "national_id", "invalid", "the birth date is not a real date");
		return;
	case CORE_EFUTURE:
		api_error_add(e, "national_id", "in_future", "the birth date is in the future");
		return;
	default:
		api_error_add(e, "national_id", "invalid",
		              "must be 17 digits and a check character (0-9 or X)");
		return;
	}
}

/* The field has a value and the table read it without an error. */
static bool given(json_t *obj, json_t *errors, const char *name)
{
	json_t *v = json_object_get(obj, name);
	return v && !json_is_null(v) && !api_errors_have(errors, name);
}

static bool absent(json_t *obj, const char *name)
{
	json_t *v = json_object_get(obj, name);
	return !v || json_is_null(v);
}

/* the value outlives obj (an import's CSV rows are freed after reading) */
static const char *kept(api_req *r, const char *s, bool lower)
{
	if (!s)
		return NULL;
	char *c = api_arena_strdup(r->mem, s);
	for (char *p = c; lower && *p; p++)
		*p = (char)tolower((unsigned char)*p); /* UUIDs compare as PostgreSQL prints them */
	return c;
}

/* `since` (create) is the first day of the first period and
 * `effective_date` (PATCH) the day a change of title_level, industry or
 * status takes effect; neither in the future.  Not before the first period
 * is the database's check (it knows the first day). */
static void dates_check(api_req *r, json_t *obj, bool create, persons_in *in, json_t *errors)
{
	const char *own = create ? "since" : "effective_date";
	const char *other = create ? "effective_date" : "since";
	if (!absent(obj, other))
		api_error_add(errors, other, "invalid",
		              create ? "effective_date dates a change: PATCH /v1/persons/{id}"
		                     : "since is the first day of the history: it cannot change (R-28)");
	core_date d = create ? in->since_d : in->effective_d;
	char buf[CORE_DATE_BUFSZ];
	if (!given(obj, errors, own)) {
		if (!create && json_is_null(json_object_get(obj, own)))
			api_error_add(errors, own, "invalid", "must not be null");
		if (!create) /* default: today (CST) */
			in->effective_date = core_date_format(buf, sizeof buf, api_today()) == 0
			                         ? api_arena_strdup(r->mem, buf) : NULL;
		return;
	}
	if (core_date_compare(d, api_today()) > 0) {
		api_error_add(errors, own, "in_future", "the date must not be in the future (R-28)");
		return;
	}
	if (d.y < API_YEAR_MIN) {
		api_error_add(errors, own, "invalid", "the date must be from 1990 on");
		return;
	}
	if (!create && absent(obj, "title_level") && absent(obj, "industry") && absent(obj, "status"))
		api_error_add(errors, own, "invalid",
		              "effective_date dates a change of title_level, industry or status");
	if (core_date_format(buf, sizeof buf, d) != 0)
		return;
	if (create)
		in->since = api_arena_strdup(r->mem, buf);
	else
		in->effective_date = api_arena_strdup(r->mem, buf);
}

void persons_check(api_req *r, json_t *obj, persons_mode mode, persons_in *in, json_t *errors)
{
	static const char *const no_null[] = { "name", "unit", "industry", "title_level",
	                                       "cycle_start_year", "status", NULL };
	bool create = mode == PERSONS_CREATE;
	read_national_id(r, in->national_id_j, create, in, errors);
	/* PATCH: a field that has a value may change it, not drop it */
	for (const char *const *f = no_null; !create && *f; f++)
		if (json_is_null(json_object_get(obj, *f)))
			api_error_add(errors, *f, "invalid", "must not be null");
	bool unit_absent = absent(obj, "unit");
	if (create && unit_absent && r->claims.role != API_ROLE_UNIT)
		api_error_add(errors, "unit", "required", "this field is required");
	if (create && unit_absent && r->claims.role == API_ROLE_UNIT)
		in->unit = r->claims.jur; /* a unit registers its own staff */
	if (given(obj, errors, "industry") && !api_role_jur_valid(API_ROLE_INDUSTRY, in->industry)) {
		api_error_add(errors, "industry", "invalid", "must be an industry code");
		in->industry = NULL;
	}
	if (given(obj, errors, "title_level"))
		in->title_level = core_level_name(in->level);
	in->speciality_set = json_object_get(obj, "speciality") != NULL;
	if (given(obj, errors, "cycle_start_year"))
		in->cycle_start_year = api_arena_printf(r->mem, "%d", in->year);
	else if (create && absent(obj, "cycle_start_year"))
		/* the cycle starts in the year the person enters the system */
		in->cycle_start_year = api_arena_printf(r->mem, "%d", api_today().y);
	if (given(obj, errors, "status"))
		in->status = core_person_status_name(in->st);
	else if (create)
		in->status = "in_service";
	dates_check(r, obj, create, in, errors);
	in->name = kept(r, in->name, false);
	in->unit = kept(r, in->unit, true);
	in->industry = kept(r, in->industry, false);
	in->speciality = kept(r, in->speciality, false);
}

void persons_read(api_req *r, json_t *obj, persons_mode mode, const char *prefix, persons_in *out,
                  json_t *errors)
{
	json_t *e = json_array();
	api_fields_read(obj, mode == PERSONS_CREATE ? persons_create_fields : persons_patch_fields,
	                out, e);
	persons_check(r, obj, mode, out, e);
	out->national_id_j = NULL; /* obj may go before out */
	size_t i;
	json_t *err;
	json_array_foreach(e, i, err) {
		const char *f = json_string_value(json_object_get(err, "field"));
		json_object_set_new(err, "field",
		                    json_string(api_arena_printf(r->mem, "%s%s", prefix, f ? f : "")));
		json_array_append(errors, err);
	}
	json_decref(e);
}
