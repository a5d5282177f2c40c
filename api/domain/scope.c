#include "domain/scope.h"

#include <string.h>
#include <strings.h>

#include "http/request.h"

static bool differs(const char *filter, const char *mine)
{
	return filter && strcmp(filter, mine) != 0;
}

bool api_scope_clamp(api_req *r, api_scope *s, const char *district, const char *industry,
                     const char *unit)
{
	const char *jur = r->claims.jur;
	bool foreign = false;
	memset(s, 0, sizeof *s);
	s->district = district;
	s->industry = industry;
	s->unit = unit;
	switch (r->claims.role) {
	case API_ROLE_CITY:
		break;
	case API_ROLE_DISTRICT:
		foreign = differs(district, jur);
		s->district = jur;
		break;
	case API_ROLE_INDUSTRY:
		foreign = differs(industry, jur);
		s->industry = jur;
		break;
	case API_ROLE_UNIT:
		foreign = unit && strcasecmp(unit, jur) != 0;
		s->unit = jur;
		/* the unit's district is known to the database only */
		s->want_district = district;
		s->district = NULL;
		break;
	case API_ROLE_BASE:
		s->base = jur;
		break;
	default:
		foreign = true;
		break;
	}
	if (foreign) {
		api_reply_problem(r, 404, "Not found",
		                  "the scope names a jurisdiction outside the caller's");
		return false;
	}
	return true;
}

const char **api_scope_check_values(api_req *r, const api_scope *s)
{
	const char **v = api_arena_alloc(r->mem, 3 * sizeof *v);
	v[0] = s->district ? s->district : s->want_district;
	v[1] = s->industry;
	v[2] = s->unit;
	return v;
}

static bool is_true(const db_result *res, int col)
{
	bool v = false;
	return db_result_bool(res, 0, col, &v) == 0 && v;
}

bool api_scope_verify(api_req *r, const api_scope *s, const db_result *res)
{
	bool ok = db_result_rows(res) == 1 && is_true(res, REPORTS_SCOPE_COL_DISTRICT_EXISTS) &&
	          is_true(res, REPORTS_SCOPE_COL_INDUSTRY_EXISTS) &&
	          is_true(res, REPORTS_SCOPE_COL_UNIT_VISIBLE);
	if (ok && s->want_district) {
		const char *mine = NULL;
		ok = db_result_str_opt(res, 0, REPORTS_SCOPE_COL_OWN_DISTRICT, &mine) == 0 && mine &&
		     strcmp(mine, s->want_district) == 0;
	}
	if (!ok)
		api_reply_problem(r, 404, "Not found",
		                  "the scope names a district, industry or unit that does not exist "
		                  "in the caller's jurisdiction");
	return ok;
}

json_t *api_scope_json(const api_scope *s)
{
	json_t *o = json_object();
	const char *d = s->district ? s->district : s->want_district;
	if (d)
		json_object_set_new(o, "district", json_string(d));
	if (s->industry)
		json_object_set_new(o, "industry", json_string(s->industry));
	if (s->unit)
		json_object_set_new(o, "unit", json_string(s->unit));
	if (s->base)
		json_object_set_new(o, "base", json_string(s->base));
	return o;
}
