/* test_props.c — property checks over generated inputs (R-5, R-6, R-9b,
 * identifiers) */
#include <criterion/criterion.h>

#include "test_util.h"

static const char *const award_kinds[] = {
	"paper_provincial", "paper_national", "monograph", "award_provincial", "award_national",
};

/* R-9b: whatever the sequence of awards on one project, the hours credited
 * never exceed its best award, never go negative, and reach exactly the best */
Test(core, R9b_property_project_never_exceeds_best_award)
{
	core_rule_set rs;
	test_rng rng = { 0x9e3779b97f4a7c15ULL };

	core_rules_city_2013(&rs);
	for (int run = 0; run < 20000; run++) {
		int steps = test_rng_range(&rng, 1, 8);
		int32_t best = 0, credited = 0, max_seen = 0;

		for (int s = 0; s < steps; s++) {
			const core_conversion_kind *k;
			const char *kind = award_kinds[test_rng_range(&rng, 0, 4)];
			core_achieve_verdict v;
			int rc;

			cr_assert_eq(core_rules_kind(&k, &rs, kind), 0);
			core_achieve_input in = { kind, test_rng_range(&rng, k->min - 20, k->max + 20),
			                          true, best, credited };
			rc = core_achieve_convert(&v, &rs, &in);
			if (in.hours < k->min || in.hours > k->max) {
				cr_assert_eq(rc, CORE_ERANGE);
				continue;   /* refused: the project is unchanged */
			}
			cr_assert_eq(rc, 0);
			if (in.hours > max_seen)
				max_seen = in.hours;
			cr_assert_geq(v.credited, 0);
			credited += v.credited;
			best = v.project_best;
			cr_assert_eq(credited, v.project_credited);
			if (credited > max_seen)
				cr_assert_fail("run %d step %d: credited %d > best award %d",
				               run, s, credited, max_seen);
			cr_assert_eq(credited, max_seen, "run %d step %d", run, s);
			cr_assert_eq(best, max_seen);
		}
	}
}

/* adding verified hours never turns a compliant year non-compliant,
 * and compliance is exactly "each category meets its minimum" */
Test(core, R5_property_more_verified_hours_never_hurt)
{
	core_rule_set sets[2];
	test_rng rng = { 42 };

	core_rules_city_2013(&sets[0]);
	sets[1] = test_rules("ind", "x", 2016, 1, 1);
	for (int l = 0; l < CORE_LEVEL_COUNT; l++) {
		sets[1].min_public[l] = 100 * (l + 1);
		sets[1].min_professional[l] = 50 * (7 - l);
	}
	for (int i = 0; i < 200000; i++) {
		const core_rule_set *rs = &sets[i & 1];
		core_year_input in = {
			2020, (core_level)test_rng_range(&rng, 0, CORE_LEVEL_COUNT - 1),
			test_rng_range(&rng, 0, 900), test_rng_range(&rng, 0, 900),
			test_rng_range(&rng, 0, 300), test_rng_range(&rng, 0, 300),
		};
		core_year_verdict a, b;

		cr_assert_eq(core_year_evaluate(&a, rs, &in), 0);
		cr_assert_eq(a.compliant,
		             in.verified_public >= rs->min_public[in.level] &&
		             in.verified_professional >= rs->min_professional[in.level]);
		cr_assert_eq(a.shortfall_public + in.verified_public >= a.required_public, true);
		if (test_rng_next(&rng) & 1)
			in.verified_public += test_rng_range(&rng, 0, 300);
		else
			in.verified_professional += test_rng_range(&rng, 0, 300);
		in.pending_public = test_rng_range(&rng, 0, 300);   /* pending changes are irrelevant */
		cr_assert_eq(core_year_evaluate(&b, rs, &in), 0);
		if (a.compliant && !b.compliant)
			cr_assert_fail("case %d: more hours made the year non-compliant", i);
		cr_assert_leq(b.shortfall_public, a.shortfall_public);
		cr_assert_leq(b.shortfall_professional, a.shortfall_professional);
	}
}

/* selection always returns the latest set in force on the date, the
 * person's industry first; checked against a brute force over random sets */
Test(core, R6_property_selection_is_latest_in_force)
{
	static const char *const industries[] = { "", "", "health", "edu", "bank" };
	test_rng rng = { 7 };

	for (int run = 0; run < 3000; run++) {
		core_rule_set sets[12];
		size_t n = (size_t)test_rng_range(&rng, 0, 12);

		for (size_t i = 0; i < n; i++) {
			char id[CORE_ID_MAX];

			snprintf(id, sizeof id, "r%d-%zu", run, i);
			sets[i] = test_rules(id, industries[test_rng_range(&rng, 0, 4)],
			                     test_rng_range(&rng, 2010, 2030),
			                     test_rng_range(&rng, 1, 12), test_rng_range(&rng, 1, 28));
			sets[i].has_effective_to = test_rng_range(&rng, 0, 3) == 0;
			if (sets[i].has_effective_to) {
				core_date to = core_date_from_days(core_date_to_days(sets[i].effective_from) +
				                                   test_rng_range(&rng, 1, 3000));
				sets[i].effective_to = to;
			}
		}
		for (int q = 0; q < 20; q++) {
			const char *ind = industries[test_rng_range(&rng, 0, 4)];
			core_date on = core_date_make(test_rng_range(&rng, 2008, 2035),
			                              test_rng_range(&rng, 1, 12), test_rng_range(&rng, 1, 28));
			const core_rule_set *got, *want = NULL;
			int rc = core_rules_select_on(&got, sets, n, ind, on);

			/* brute force: best of the person's industry, else best city */
			for (int pass = 0; pass < 2 && want == NULL; pass++) {
				const char *scope = pass == 0 ? ind : "";

				if (pass == 0 && ind[0] == '\0')
					continue;
				for (size_t i = 0; i < n; i++) {
					const core_rule_set *s = &sets[i];
					bool in_force = core_date_compare(s->effective_from, on) <= 0 &&
					                (!s->has_effective_to ||
					                 core_date_compare(on, s->effective_to) < 0);

					if (!in_force || strcmp(s->industry, scope) != 0)
						continue;
					if (want == NULL ||
					    core_date_compare(s->effective_from, want->effective_from) > 0 ||
					    (core_date_compare(s->effective_from, want->effective_from) == 0 &&
					     strcmp(s->id, want->id) > 0))
						want = s;
				}
			}
			if (want == NULL) {
				cr_assert_eq(rc, CORE_ENOTFOUND, "run %d q %d", run, q);
				cr_assert_null(got);
			} else {
				cr_assert_eq(rc, 0, "run %d q %d", run, q);
				cr_assert_eq(got, want, "run %d q %d: got %s want %s", run, q, got->id, want->id);
			}
		}
	}
}

/* Identifiers: generated valid IDs pass; any single substituted character
 * is caught by the check (both schemes detect every single substitution) */
Test(core, ID_property_single_substitution_detected)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	test_rng rng = { 2024 };
	const core_date today = { 2030, 1, 1 };

	for (int run = 0; run < 5000; run++) {
		char rid[CORE_IDENT_BUFSZ], ucc[CORE_IDENT_BUFSZ];
		core_date birth = core_date_from_days(test_rng_range(&rng, -20000, 20000));
		char c;

		snprintf(rid, sizeof rid, "%06d%04d%02d%02d%03d", test_rng_range(&rng, 110000, 659999),
		         birth.y, birth.m, birth.d, test_rng_range(&rng, 0, 999));
		cr_assert_eq(core_ident_resident_id_check_char(&c, rid), 0);
		rid[17] = c;
		rid[18] = '\0';
		cr_assert_eq(core_ident_resident_id_check(NULL, rid, today), 0, "%s", rid);
		for (int i = 0; i < 18; i++) {
			char saved = rid[i];
			char repl = i < 17 ? (char)('0' + (saved - '0' + test_rng_range(&rng, 1, 9)) % 10)
			                   : (saved == 'X' ? '0' : 'X');

			rid[i] = repl;
			cr_assert_neq(core_ident_resident_id_check(NULL, rid, today), 0, "%s", rid);
			rid[i] = saved;
		}

		for (int i = 0; i < 17; i++)
			ucc[i] = alphabet[test_rng_range(&rng, 0, 30)];
		ucc[17] = '\0';
		cr_assert_eq(core_ident_credit_code_check_char(&c, ucc), 0);
		ucc[17] = c;
		ucc[18] = '\0';
		cr_assert_eq(core_ident_credit_code_check(ucc), 0, "%s", ucc);
		for (int i = 0; i < 18; i++) {
			char saved = ucc[i];
			const char *p = strchr(alphabet, saved);

			ucc[i] = alphabet[((p - alphabet) + test_rng_range(&rng, 1, 30)) % 31];
			cr_assert_eq(core_ident_credit_code_check(ucc), CORE_ECHECKSUM, "%s", ucc);
			ucc[i] = saved;
		}
	}
}

/* ---- decisions kept up to date incrementally equal decisions
 * made from scratch ---- */

#define HP_FIRST_YEAR  2012
#define HP_RUNNING     2024
#define HP_YEARS       (HP_RUNNING - HP_FIRST_YEAR + 1)
#define HP_CHANGES_MAX 12
#define HP_RECORDS_MAX 40

static const char *const hp_industries[] = { "", "health", "edu", "bank" };

/* A verdict of one year, or none (before the first period, or no rule set). */
typedef struct hp_year {
	bool decided;
	core_year_verdict v;
} hp_year;

typedef struct hp_record {
	int year;
	bool professional;
	int32_t hours;
} hp_record;

/* An event: a change (index into the changes) or a record verified or
 * revoked (index into the records). */
typedef struct hp_event {
	enum { HP_CHANGE, HP_VERIFY, HP_REVOKE } kind;
	int i;
} hp_event;

static void hp_rule_sets(core_rule_set sets[4])
{
	core_rules_city_2013(&sets[0]);                        /* from 2013-03-12 */
	sets[1] = test_rules("city-2019", "", 2019, 1, 1);     /* 30 + 60 for all */
	test_rules_minimums(&sets[1], 300, 600);
	sets[2] = test_rules("health-2016", "health", 2016, 7, 1);   /* from 2017 on */
	for (int l = 0; l < CORE_LEVEL_COUNT; l++) {
		sets[2].min_public[l] = 100 + 30 * l;
		sets[2].min_professional[l] = 500 - 40 * l;
	}
	sets[3] = test_rules("edu-2015", "edu", 2015, 1, 1);
	sets[3].has_effective_to = true;
	sets[3].effective_to = core_date_make(2021, 1, 1);
	test_rules_minimums(&sets[3], 0, 200);
}

/* Decide year y as of the changes known so far. */
static void hp_decide(hp_year *out, const core_rule_set *sets, size_t nsets,
                      const core_change *changes, size_t nchanges, core_date first_day,
                      int y, int32_t pub, int32_t pro)
{
	core_situation s;
	const core_rule_set *rs;

	memset(out, 0, sizeof *out);
	if (y < first_day.y)
		return;
	cr_assert_eq(core_history_at(&s, changes, nchanges, core_judging_date(first_day, y)), 0);
	cr_assert(s.has_level && s.has_industry);
	if (core_rules_select(&rs, sets, nsets, s.industry, y) != 0)
		return;                                         /* no requirement */
	core_year_input in = { y, s.level, pub, pro, 0, 0 };
	cr_assert_eq(core_year_evaluate(&out->v, rs, &in), 0);
	out->decided = true;
}

static core_date hp_random_date(test_rng *rng, core_date lo, core_date hi, core_date first_day)
{
	int k = test_rng_range(rng, 0, 9);
	int64_t a = core_date_to_days(lo), b = core_date_to_days(hi);
	core_date d = core_date_from_days(a + test_rng_range(rng, 0, (int)(b - a)));

	/* the edges the years-touched rule is about, often */
	if (k < 2)
		return core_date_jan1(test_rng_range(rng, first_day.y + 1, hi.y));
	if (k == 2)
		return first_day;
	return d;
}

/* Path B's recomputation range for a change: the rule under test. */
static void hp_touched(bool judging_only, core_date e, core_date first_day, int *a, int *b)
{
	if (judging_only)
		cr_assert_eq(core_history_judging_years_touched(e, first_day, HP_RUNNING, a, b), 0);
	else
		cr_assert_eq(core_history_years_touched(e, HP_RUNNING, a, b), 0);
}

Test(core, R29_property_incremental_redecisions_equal_from_scratch)
{
	core_rule_set sets[4];
	test_rng rng = { 0x2829 };
	const core_date today = { HP_RUNNING, 8, 15 };

	hp_rule_sets(sets);
	for (int run = 0; run < 3000; run++) {
		core_change changes[HP_CHANGES_MAX];
		hp_record records[HP_RECORDS_MAX];
		hp_event events[HP_CHANGES_MAX + 2 * HP_RECORDS_MAX];
		size_t nchanges = (size_t)test_rng_range(&rng, 1, HP_CHANGES_MAX);
		size_t nrecords = (size_t)test_rng_range(&rng, 0, HP_RECORDS_MAX);
		size_t nevents = 0;
		core_date first_day = core_date_from_days(
			core_date_to_days(core_date_make(HP_FIRST_YEAR, 1, 1)) +
			test_rng_range(&rng, 0, 365 * 5));

		if (test_rng_range(&rng, 0, 3) == 0)
			first_day = core_date_jan1(first_day.y);
		/* the registration change sets everything; the others set
		 * some attributes, backdated anywhere in the person's history */
		for (size_t i = 0; i < nchanges; i++) {
			core_change *c = &changes[i];
			bool all = i == 0;

			memset(c, 0, sizeof *c);
			c->from = all ? first_day : hp_random_date(&rng, first_day, today, first_day);
			c->has_level = all || test_rng_range(&rng, 0, 1);
			c->has_industry = all || !c->has_level || test_rng_range(&rng, 0, 2) == 0;
			c->has_unit = all || test_rng_range(&rng, 0, 2) == 0;
			c->has_status = all;
			c->in_service = true;
			c->level = (core_level)test_rng_range(&rng, 0, CORE_LEVEL_COUNT - 1);
			snprintf(c->industry, sizeof c->industry, "%s", hp_industries[test_rng_range(&rng, 0, 3)]);
			snprintf(c->unit, sizeof c->unit, "u%d", test_rng_range(&rng, 1, 3));
		}
		for (size_t i = 0; i < nrecords; i++) {
			records[i].year = test_rng_range(&rng, first_day.y, HP_RUNNING);
			records[i].professional = test_rng_range(&rng, 0, 1);
			records[i].hours = test_rng_range(&rng, 1, 300);
		}
		/* events: the registration first, then changes, verifications and
		 * some revocations (after their verification) in random order */
		events[nevents++] = (hp_event){ HP_CHANGE, 0 };
		{
			size_t pending_changes = 1, verified = 0;
			bool revoke[HP_RECORDS_MAX];

			for (size_t i = 0; i < nrecords; i++)
				revoke[i] = test_rng_range(&rng, 0, 4) == 0;
			while (pending_changes < nchanges || verified < nrecords) {
				bool pick_change = verified >= nrecords ||
				                   (pending_changes < nchanges && test_rng_range(&rng, 0, 2) == 0);

				if (pick_change) {
					events[nevents++] = (hp_event){ HP_CHANGE, (int)pending_changes++ };
					continue;
				}
				events[nevents++] = (hp_event){ HP_VERIFY, (int)verified };
				if (revoke[verified] && test_rng_range(&rng, 0, 1))
					events[nevents++] = (hp_event){ HP_REVOKE, (int)verified };
				verified++;
			}
		}

		/* path B, twice: re-decide the years core says a change touches
		 * (both rules), or the record's year */
		hp_year b[2][HP_YEARS];
		int32_t pub[HP_YEARS] = { 0 }, pro[HP_YEARS] = { 0 };

		memset(b, 0, sizeof b);
		for (size_t k = 0; k < nevents; k++) {
			const hp_event *ev = &events[k];

			if (ev->kind == HP_CHANGE) {
				size_t known = (size_t)ev->i + 1;
				int a0, b0, a1, b1;

				hp_touched(false, changes[ev->i].from, first_day, &a0, &b0);
				hp_touched(true, changes[ev->i].from, first_day, &a1, &b1);
				cr_assert(b1 < a1 || (a1 >= a0 && b1 <= b0), "judging range not a subset");
				for (int p = 0; p < 2; p++) {
					int lo = p == 0 ? a0 : a1, hi = p == 0 ? b0 : b1;

					for (int y = lo < HP_FIRST_YEAR ? HP_FIRST_YEAR : lo; y <= hi; y++)
						hp_decide(&b[p][y - HP_FIRST_YEAR], sets, 4, changes, known,
						          first_day, y, pub[y - HP_FIRST_YEAR],
						          pro[y - HP_FIRST_YEAR]);
				}
				continue;
			}

			const hp_record *r = &records[ev->i];
			int yi = r->year - HP_FIRST_YEAR;
			int32_t delta = ev->kind == HP_VERIFY ? r->hours : -r->hours;
			size_t known = 0;

			/* the changes recorded before this event */
			for (size_t j = 0; j < k; j++)
				if (events[j].kind == HP_CHANGE)
					known++;
			if (r->professional)
				pro[yi] += delta;
			else
				pub[yi] += delta;
			for (int p = 0; p < 2; p++)
				hp_decide(&b[p][yi], sets, 4, changes, known, first_day, r->year,
				          pub[yi], pro[yi]);
		}

		/* path A: every year from scratch with the whole history */
		for (int y = HP_FIRST_YEAR; y <= HP_RUNNING; y++) {
			hp_year a;
			int yi = y - HP_FIRST_YEAR;

			hp_decide(&a, sets, 4, changes, nchanges, first_day, y, pub[yi], pro[yi]);
			for (int p = 0; p < 2; p++) {
				const hp_year *x = &b[p][yi];

				cr_assert_eq(x->decided, a.decided, "run %d year %d path %d", run, y, p);
				if (!a.decided)
					continue;
				cr_assert_str_eq(x->v.rule_set, a.v.rule_set, "run %d year %d", run, y);
				cr_assert_eq(x->v.level, a.v.level, "run %d year %d path %d", run, y, p);
				cr_assert_eq(x->v.compliant, a.v.compliant, "run %d year %d", run, y);
				cr_assert_eq(x->v.required_public, a.v.required_public);
				cr_assert_eq(x->v.required_professional, a.v.required_professional);
				cr_assert_eq(x->v.earned_public, a.v.earned_public);
				cr_assert_eq(x->v.earned_professional, a.v.earned_professional);
			}
		}
	}
}
