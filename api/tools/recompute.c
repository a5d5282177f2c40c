/*
 * jxjyctl recompute — re-decides with core every person-year that has
 * records (ARCHITECTURE.md "Reports at city scale": after a rule-set change,
 * or to fill jxjy.person_year_summary after a bulk load such as the demo
 * data).  Core decides (R-5 with the rule set R-6 selects); SQL only sums
 * hours and stores the decisions.
 *
 *   jxjyctl recompute [--year Y] [--industry C] [--batch N] [--restart]
 *
 * Work is done persons in id order, in batches of about N person-years
 * (default 5 000), one transaction each:
 *   1. the next persons after the cursor that have records (of Y / of C),
 *      and an advisory lock on each of their person-years — the same lock
 *      jxjy.person_year_hours() takes, so a gateway refreshing one of them
 *      at the same time waits for the batch (or the batch for it) and no
 *      stale decision overwrites a newer one;
 *   2. the hours of those person-years (one statement, arrays in);
 *   3. core decides each;
 *   4. one INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE stores
 *      them and moves the run's cursor (jxjy.recompute_runs) in the same
 *      transaction.
 * So an interrupted run resumes exactly after its last committed batch:
 * the same command (same filters) continues the unfinished run; --restart
 * abandons it and starts again.  A finished run writes one audit row.
 * The title level judged is the one stored with an existing decision (the
 * person's level that year), else the person's current level; the industry
 * that selects the rule set is the person's current one.
 */
#include "tools/recompute.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core.h"
#include "domain/rules.h"
#include "http/alloc.h"
#include "http/op.h"

#define BATCH_DEFAULT 5000
#define BATCH_MAX 50000
#define RETRIES_MAX 5

/* ---- a growing text buffer for array literals --------------------------- */

typedef struct buf {
	char *p;
	size_t len, cap;
} buf;

static void buf_reset(buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

static void buf_add(buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = api_xrealloc(b->p, cap);
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Appends one element of a PostgreSQL array literal "{a,b,…}". */
static void arr_put(buf *b, const char *s)
{
	buf_add(b, b->len == 0 ? "{" : ",", 1);
	buf_add(b, s, strlen(s));
}

static const char *arr_close(buf *b)
{
	if (b->len == 0)
		buf_add(b, "{", 1);
	buf_add(b, "}", 1);
	return b->p;
}

static void buf_free(buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

/* ---- the run ------------------------------------------------------------- */

enum { A_PERSON, A_YEAR, A_RULE_SET, A_LEVEL, A_VPUB, A_VPRO, A_PPUB, A_PPRO, A_RPUB, A_RPRO,
       A_COMPLIANT, A__COUNT };

typedef struct run {
	db_sync *s;
	int (*session)(db_sync *s);
	const char *year, *industry; /* filters, NULL: all */
	long target;                 /* person-years per batch */
	char id[24];
	char cursor[40];
	long persons, person_years, skipped;
	const core_rule_set *sets;   /* the process's rule-set cache (no fixed limit) */
	int nsets;
	buf keys[2];                 /* persons, years of the locked batch */
	buf out[A__COUNT];
	bool tty;
} run;

static int q(run *u, db_stmt_id id, const char *const *v, db_result **out, db_error *e)
{
	db_error local;
	db_error *err = e ? e : &local;
	if (db_sync_run(u->s, id, v, out, err) != DB_OK) {
		if (!e)
			fprintf(stderr, "\njxjyctl: %s%s%s\n", err->message,
			        err->sqlstate[0] ? " SQLSTATE " : "", err->sqlstate);
		return -1;
	}
	return 0;
}

static void rollback(run *u)
{
	db_error e;
	if (db_sync_run(u->s, DB_STMT_RECOMPUTE_ROLLBACK, NULL, NULL, &e) != DB_OK)
		return; /* the connection is gone: nothing to roll back */
}

static int load_rules(run *u)
{
	db_result *res = NULL;
	if (u->session(u->s) < 0 || q(u, DB_STMT_RULE_SETS_ALL, NULL, &res, NULL) < 0) {
		rollback(u);
		return -1;
	}
	const char *json = NULL;
	if (db_result_str(res, 0, RULE_SETS_ALL_COL_RULE_SETS, &json) != 0) {
		db_result_free(res);
		rollback(u);
		return -1;
	}
	u->nsets = api_rules_cached(&u->sets, json);
	db_result_free(res);
	if (q(u, DB_STMT_COMMIT, NULL, NULL, NULL) < 0)
		return -1;
	if (u->nsets <= 0) {
		fprintf(stderr, "jxjyctl: no rule set could be read\n");
		return -1;
	}
	return 0;
}

/* Opens the run: resumes the unfinished one with the same filters, unless
 * restart, else starts one. */
static int open_run(run *u, bool restart)
{
	const char *v[2] = { u->year, u->industry };
	db_result *res = NULL;
	if (u->session(u->s) < 0)
		return -1;
	if ((restart && q(u, DB_STMT_RECOMPUTE_RUN_ABANDON, v, NULL, NULL) < 0) ||
	    q(u, DB_STMT_RECOMPUTE_RUN_OPEN, v, &res, NULL) < 0)
		goto fail;
	bool resumed = db_result_rows(res) > 0;
	if (!resumed) {
		db_result_free(res);
		res = NULL;
		if (q(u, DB_STMT_RECOMPUTE_RUN_NEW, v, &res, NULL) < 0)
			goto fail;
	}
	/* RECOMPUTE_RUN_NEW answers the same columns */
	const char *id, *cursor;
	if (db_result_str(res, 0, RECOMPUTE_RUN_OPEN_COL_ID, &id) != 0 ||
	    db_result_str(res, 0, RECOMPUTE_RUN_OPEN_COL_CURSOR, &cursor) != 0 ||
	    db_result_int(res, 0, RECOMPUTE_RUN_OPEN_COL_PERSON_YEARS, &u->person_years) != 0 ||
	    db_result_int(res, 0, RECOMPUTE_RUN_OPEN_COL_PERSONS, &u->persons) != 0)
		goto fail;
	snprintf(u->id, sizeof u->id, "%s", id);
	snprintf(u->cursor, sizeof u->cursor, "%s", cursor);
	db_result_free(res);
	res = NULL;
	if (q(u, DB_STMT_COMMIT, NULL, NULL, NULL) < 0)
		return -1;
	if (resumed)
		fprintf(stderr, "recompute: resuming run %s after person %s (%ld persons, %ld "
		                "person-years done; --restart starts over)\n",
		        u->id, u->cursor[0] ? u->cursor : "-", u->persons, u->person_years);
	return 0;
fail:
	db_result_free(res);
	rollback(u);
	return -1;
}

static void hours_put(buf *b, int32_t tenths)
{
	char h[CORE_HOURS_BUFSZ];
	core_hours_format(h, sizeof h, tenths);
	arr_put(b, h);
}

/* One row of RECOMPUTE_BATCH_READ as core's input; -1 when a value is
 * malformed (db_result_* has said which). */
static int read_input(const db_result *in, int i, core_year_input *yi, const char **person,
                      const char **level, const char **industry)
{
	long year;
	if (db_result_str(in, i, RECOMPUTE_BATCH_READ_COL_PERSON, person) != 0 ||
	    db_result_int(in, i, RECOMPUTE_BATCH_READ_COL_YEAR, &year) != 0 ||
	    db_result_hours(in, i, RECOMPUTE_BATCH_READ_COL_VERIFIED_PUBLIC, &yi->verified_public) != 0 ||
	    db_result_hours(in, i, RECOMPUTE_BATCH_READ_COL_VERIFIED_PROFESSIONAL,
	                    &yi->verified_professional) != 0 ||
	    db_result_hours(in, i, RECOMPUTE_BATCH_READ_COL_REGISTERED_PUBLIC, &yi->pending_public) != 0 ||
	    db_result_hours(in, i, RECOMPUTE_BATCH_READ_COL_REGISTERED_PROFESSIONAL,
	                    &yi->pending_professional) != 0 ||
	    db_result_str_opt(in, i, RECOMPUTE_BATCH_READ_COL_TITLE_LEVEL, level) != 0 ||
	    db_result_str_opt(in, i, RECOMPUTE_BATCH_READ_COL_INDUSTRY, industry) != 0)
		return -1;
	yi->year = (int)year;
	return 0;
}

/* Core decides each person-year read; decisions go to the output arrays. */
static int decide_batch(run *u, const db_result *in, long *decided, long *skipped)
{
	for (int i = 0; i < A__COUNT; i++)
		buf_reset(&u->out[i]);
	*decided = 0;
	*skipped = 0;
	for (int i = 0; i < db_result_rows(in); i++) {
		const char *person, *level, *industry;
		core_year_input yi = { 0 };
		if (read_input(in, i, &yi, &person, &level, &industry) != 0)
			return -1;
		const core_rule_set *rs = NULL;
		core_year_verdict v;
		int rc = !level || core_level_parse(&yi.level, level) != 0 ? CORE_EINVAL
		         : core_rules_select(&rs, u->sets, (size_t)u->nsets, industry, yi.year);
		if (rc == 0)
			rc = core_year_evaluate(&v, rs, &yi);
		if (rc == CORE_ENOTFOUND) {
			(*skipped)++; /* a year no rule set covers (before 2013) */
			continue;
		}
		if (rc != 0) {
			fprintf(stderr, "\njxjyctl: person %s, %d: %s\n", person, yi.year,
			        core_error_message(rc));
			return -1;
		}
		char year[12];
		snprintf(year, sizeof year, "%d", v.year);
		arr_put(&u->out[A_PERSON], person);
		arr_put(&u->out[A_YEAR], year);
		arr_put(&u->out[A_RULE_SET], v.rule_set);
		arr_put(&u->out[A_LEVEL], core_level_name(v.level));
		hours_put(&u->out[A_VPUB], v.earned_public);
		hours_put(&u->out[A_VPRO], v.earned_professional);
		hours_put(&u->out[A_PPUB], v.pending_public);
		hours_put(&u->out[A_PPRO], v.pending_professional);
		hours_put(&u->out[A_RPUB], v.required_public);
		hours_put(&u->out[A_RPRO], v.required_professional);
		arr_put(&u->out[A_COMPLIANT], v.compliant ? "t" : "f");
		(*decided)++;
	}
	return 0;
}

/* One batch in one transaction.  Returns persons done (0: nothing left),
 * -1 on failure, -2 when the transaction lost a deadlock/serialization
 * race (retry). */
static long batch(run *u, long persons_limit, long *pys)
{
	db_result *keys = NULL, *in = NULL, *saved = NULL;
	db_error e;
	long done = -1;
	char limit[24], npersons[24];
	snprintf(limit, sizeof limit, "%ld", persons_limit);
	const char *lv[4] = { u->cursor[0] ? u->cursor : NULL, u->year, u->industry, limit };
	if (u->session(u->s) < 0)
		return -1;
	if (q(u, DB_STMT_RECOMPUTE_BATCH_LOCK, lv, &keys, &e) < 0)
		goto failed;
	int nk = db_result_rows(keys);
	if (nk == 0) {
		done = 0;
		goto out;
	}
	buf_reset(&u->keys[0]);
	buf_reset(&u->keys[1]);
	long np = 0;
	const char *prev = "";
	for (int i = 0; i < nk; i++) {
		const char *p, *y;
		if (db_result_str(keys, i, RECOMPUTE_BATCH_LOCK_COL_PERSON, &p) != 0 ||
		    db_result_str(keys, i, RECOMPUTE_BATCH_LOCK_COL_YEAR, &y) != 0)
			goto out;
		arr_put(&u->keys[0], p);
		arr_put(&u->keys[1], y);
		if (strcmp(p, prev) != 0)
			np++;
		prev = p;
	}
	const char *rv[2] = { arr_close(&u->keys[0]), arr_close(&u->keys[1]) };
	if (q(u, DB_STMT_RECOMPUTE_BATCH_READ, rv, &in, &e) < 0)
		goto failed;
	long decided, skipped;
	if (decide_batch(u, in, &decided, &skipped) < 0)
		goto out;
	const char *sv[14];
	for (int i = 0; i < A__COUNT; i++)
		sv[i] = arr_close(&u->out[i]);
	char cursor[40];
	const char *last;
	if (db_result_str(keys, nk - 1, RECOMPUTE_BATCH_LOCK_COL_PERSON, &last) != 0)
		goto out;
	snprintf(cursor, sizeof cursor, "%s", last);
	snprintf(npersons, sizeof npersons, "%ld", np);
	sv[11] = u->id;
	sv[12] = cursor;
	sv[13] = npersons;
	if (q(u, DB_STMT_RECOMPUTE_BATCH_SAVE, sv, &saved, &e) < 0)
		goto failed;
	if (q(u, DB_STMT_COMMIT, NULL, NULL, &e) < 0)
		goto failed;
	snprintf(u->cursor, sizeof u->cursor, "%s", cursor);
	u->persons += np;
	u->person_years += decided;
	u->skipped += skipped;
	*pys = decided;
	done = np;
	goto out;
failed:
	if (!strcmp(e.sqlstate, "40P01") || !strcmp(e.sqlstate, "40001"))
		done = -2;
	else
		fprintf(stderr, "\njxjyctl: %s%s%s\n", e.message, e.sqlstate[0] ? " SQLSTATE " : "",
		        e.sqlstate);
out:
	if (done <= 0)
		rollback(u); /* nothing left, or failed: end the batch's transaction */
	db_result_free(keys);
	db_result_free(in);
	db_result_free(saved);
	return done;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void progress(run *u, long pys, double t0, bool final)
{
	double dt = now_s() - t0;
	fprintf(stderr, "%srecompute: %ld persons, %ld person-years (%ld this run, %.0f/s)%s",
	        u->tty ? "\r" : "", u->persons, u->person_years, pys,
	        dt > 0 ? (double)pys / dt : 0.0, u->tty && !final ? "" : "\n");
}

static int finish(run *u)
{
	char skipped[24];
	snprintf(skipped, sizeof skipped, "%ld", u->skipped);
	const char *v[2] = { u->id, skipped };
	if (u->session(u->s) < 0 || q(u, DB_STMT_RECOMPUTE_RUN_FINISH, v, NULL, NULL) < 0 ||
	    q(u, DB_STMT_COMMIT, NULL, NULL, NULL) < 0) {
		rollback(u);
		return -1;
	}
	return 0;
}

static const char *opt(int argc, char **argv, const char *name)
{
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

/* The options into u (and *restart); false after printing the usage or
 * what is wrong. */
static bool read_options(run *u, int argc, char **argv, bool *restart)
{
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--restart")) {
			*restart = true;
		} else if (i + 1 < argc && (!strcmp(argv[i], "--year") || !strcmp(argv[i], "--industry") ||
		                            !strcmp(argv[i], "--batch"))) {
			i++;
		} else {
			fprintf(stderr, "jxjyctl: recompute [--year Y] [--industry C] [--batch N] "
			                "[--restart]\n");
			return false;
		}
	}
	u->year = opt(argc, argv, "--year");
	u->industry = opt(argc, argv, "--industry");
	const char *b = opt(argc, argv, "--batch");
	char *end = NULL;
	long y = u->year ? strtol(u->year, &end, 10) : API_YEAR_MIN;
	if (u->year && (*end || y < API_YEAR_MIN || y > API_YEAR_MAX)) {
		fprintf(stderr, "jxjyctl: --year must be a year from %d to %d\n", API_YEAR_MIN,
		        API_YEAR_MAX);
		return false;
	}
	u->target = BATCH_DEFAULT;
	if (b) {
		u->target = strtol(b, &end, 10);
		if (*end || u->target < 1 || u->target > BATCH_MAX) {
			fprintf(stderr, "jxjyctl: --batch must be 1 to %d person-years\n", BATCH_MAX);
			return false;
		}
	}
	return true;
}

/* Batches until none is left, each aimed at u->target person-years.
 * Returns the person-years decided, or -1. */
static long run_batches(run *u, double t0)
{
	double shown = t0;
	long pys_run = 0;
	long persons_limit = u->target / 3 > 0 ? u->target / 3 : 1; /* ~3 years each at first */
	int retries = 0;
	for (;;) {
		long pys = 0;
		long n = batch(u, persons_limit, &pys);
		if (n == -2 && retries++ < RETRIES_MAX)
			continue; /* lost a lock race with the gateway: redo the batch */
		if (n < 0)
			return -1;
		if (n == 0)
			return pys_run;
		retries = 0;
		pys_run += pys;
		if (pys > 0) {
			long next = (long)((double)u->target * (double)n / (double)pys);
			persons_limit = next < 1 ? 1 : next > BATCH_MAX ? BATCH_MAX : next;
		}
		if (u->tty || now_s() - shown >= 5.0) {
			progress(u, pys_run, t0, false);
			shown = now_s();
		}
	}
}

int jxjyctl_recompute(db_sync *s, int (*session)(db_sync *s), int argc, char **argv)
{
	run *u = api_xcalloc(1, sizeof *u);
	int rc = 1;
	u->s = s;
	u->session = session;
	u->tty = isatty(STDERR_FILENO);
	bool restart = false;
	if (!read_options(u, argc, argv, &restart)) {
		rc = 2;
		goto done;
	}
	if (load_rules(u) < 0 || open_run(u, restart) < 0)
		goto done;
	double t0 = now_s();
	long pys_run = run_batches(u, t0);
	if (pys_run < 0 || finish(u) < 0)
		goto done;
	progress(u, pys_run, t0, true);
	double dt = now_s() - t0;
	printf("recomputed %ld person-years of %ld persons in %.2f s (%.0f person-years/s); "
	       "%ld skipped (no rule set for the year)\n",
	       pys_run, u->persons, dt, dt > 0 ? (double)pys_run / dt : 0.0, u->skipped);
	rc = 0;
done:
	buf_free(&u->keys[0]);
	buf_free(&u->keys[1]);
	for (int i = 0; i < A__COUNT; i++)
		buf_free(&u->out[i]);
	free(u);
	return rc;
}
