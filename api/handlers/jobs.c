/*
 * Jobs (API.md "Time", R-32): GET /v1/jobs/{id}, the re-decision of the
 * person-years a new rule set governs, and the worker's job runner.
 *
 * A rule set created in the past (api/handlers/rule_sets.c) re-decides the
 * person-years it governs in its own transaction, or, above
 * JXJY_JOB_THRESHOLD of them, leaves a job row (sql/0013_rules_time.sql
 * jxjy.jobs) committed with the set.  Every gateway worker runs the jobs on
 * its event loop, one batch at a time, each batch one transaction:
 *   1. BEGIN, city claims, the oldest unfinished job whose row is not locked
 *      (FOR UPDATE SKIP LOCKED) and whose lease has expired (or is ours),
 *      leased for JOB_LEASE_S and running;
 *   2. every rule set, and the next JOB_BATCH stored decisions of its years
 *      and scope after the job's cursor;
 *   3. core decides each (api_redecide_rows, as the creating request does);
 *      the decisions of the person-years the set governs are stored from
 *      arrays, and the cursor, the counts and, after the last batch, status
 *      done move in the same statement; COMMIT.
 * So a job resumes exactly after its last committed batch, on whichever
 * gateway gets to it first: a worker that dies mid-batch leaves its
 * transaction rolled back and its lease to expire; two workers never work
 * on one job at once (the row lock during a batch, the lease between).  A
 * batch that fails (not a lost race) fails the job, with the reason.
 */
#include "handlers/jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "core.h"
#include "domain/rules.h"
#include "http/alloc.h"
#include "http/log.h"
#include "http/worker.h"

#define JOB_BATCH 5000
#define JOB_LEASE_S 60

/* ---- GET /v1/jobs/{id} ---------------------------------------------------- */

const api_op op_jobs_get = { .handler = api_op_get_json, .stmt = DB_STMT_JOBS_GET,
                             .not_found = "no such job" };

long api_jobs_threshold(api_req *r)
{
	return api_req_config(r)->job_threshold;
}

/* ---- re-deciding rows ------------------------------------------------------ */

/* column c holds "{a,b,…" (len bytes) followed by "}" */
static void col_add(api_redecide *d, int c, const char *s)
{
	size_t n = strlen(s);
	if (d->len[c] + n + 3 > d->cap[c]) {
		size_t cap = d->cap[c];
		while (cap < d->len[c] + n + 3)
			cap *= 2;
		d->col[c] = api_xrealloc(d->col[c], cap);
		d->cap[c] = cap;
	}
	char *p = d->col[c];
	if (d->len[c] > 1)
		p[d->len[c]++] = ',';
	memcpy(p + d->len[c], s, n);
	d->len[c] += n;
	p[d->len[c]] = '}';
	p[d->len[c] + 1] = '\0';
}

static void hours_add(api_redecide *d, int c, int32_t tenths)
{
	char h[CORE_HOURS_BUFSZ];
	core_hours_format(h, sizeof h, tenths);
	col_add(d, c, h);
}

int api_redecide_rows(api_redecide *d, const db_result *rows, const core_rule_set *sets, size_t n,
                      const char *rule_set)
{
	for (int c = 0; c < API_REDECIDE__COLS; c++) {
		if (!d->col[c]) {
			d->cap[c] = 4096;
			d->col[c] = api_xmalloc(d->cap[c]);
		}
		strcpy(d->col[c], "{}");
		d->len[c] = 1;
	}
	d->examined = d->governed = d->changed = 0;
	d->last_person[0] = d->last_year[0] = '\0';
	for (int i = 0; i < db_result_rows(rows); i++) {
		const char *person, *year_s, *level, *industry;
		long year;
		bool was;
		core_year_input in = { 0 };
		if (db_result_str(rows, i, RULE_SETS_REDECIDE_READ_COL_PERSON, &person) != 0 ||
		    db_result_str(rows, i, RULE_SETS_REDECIDE_READ_COL_YEAR, &year_s) != 0 ||
		    db_result_int(rows, i, RULE_SETS_REDECIDE_READ_COL_YEAR, &year) != 0 ||
		    db_result_str(rows, i, RULE_SETS_REDECIDE_READ_COL_TITLE_LEVEL, &level) != 0 ||
		    db_result_hours(rows, i, RULE_SETS_REDECIDE_READ_COL_PUBLIC_VERIFIED,
		                    &in.verified_public) != 0 ||
		    db_result_hours(rows, i, RULE_SETS_REDECIDE_READ_COL_PROFESSIONAL_VERIFIED,
		                    &in.verified_professional) != 0 ||
		    db_result_hours(rows, i, RULE_SETS_REDECIDE_READ_COL_PUBLIC_PENDING,
		                    &in.pending_public) != 0 ||
		    db_result_hours(rows, i, RULE_SETS_REDECIDE_READ_COL_PROFESSIONAL_PENDING,
		                    &in.pending_professional) != 0 ||
		    db_result_str(rows, i, RULE_SETS_REDECIDE_READ_COL_JUDGED_INDUSTRY, &industry) != 0 ||
		    db_result_bool(rows, i, RULE_SETS_REDECIDE_READ_COL_COMPLIANT, &was) != 0)
			return -1;
		d->examined++;
		snprintf(d->last_person, sizeof d->last_person, "%s", person);
		snprintf(d->last_year, sizeof d->last_year, "%s", year_s);
		in.year = (int)year;
		if (core_level_parse(&in.level, level) != 0) {
			log_error(NULL, "person %s, %ld: stored title level %s unknown", person, year, level);
			return -1;
		}
		/* R-6 by core over the new list of sets: does the new set govern it? */
		const core_rule_set *rs = NULL;
		int rc = core_rules_select(&rs, sets, n, industry, in.year);
		if (rc == CORE_ENOTFOUND || (rc == 0 && strcmp(rs->id, rule_set) != 0))
			continue;
		core_year_verdict v;
		if (rc == 0)
			rc = core_year_evaluate(&v, rs, &in);
		if (rc != 0) {
			log_error(NULL, "person %s, %ld: %s", person, year, core_error_message(rc));
			return -1;
		}
		col_add(d, API_REDECIDE_PERSON, person);
		col_add(d, API_REDECIDE_YEAR, year_s);
		col_add(d, API_REDECIDE_RULE_SET, v.rule_set);
		hours_add(d, API_REDECIDE_RPUB, v.required_public);
		hours_add(d, API_REDECIDE_RPRO, v.required_professional);
		col_add(d, API_REDECIDE_COMPLIANT, v.compliant ? "t" : "f");
		d->governed++;
		if (v.compliant != was)
			d->changed++;
	}
	return 0;
}

void api_redecide_free(api_redecide *d)
{
	for (int c = 0; c < API_REDECIDE__COLS; c++)
		free(d->col[c]);
	memset(d, 0, sizeof *d);
}

/* ---- the runner -------------------------------------------------------------- */

static const char *const runner_claims[] = {
	"{\"role\":\"city_bureau\",\"sub\":\"jxjy-jobs\",\"jti\":\"jxjy-jobs\","
	"\"request_id\":\"jxjy-jobs\"}"
};

static struct {
	api_worker *w;
	bool busy;
	db_conn *conn;
	char owner[96];
	char lease[12], batch[12];
	/* the job of the batch (copied out of the claim's result) */
	char id[40], rule_set[40], industry[64], first[12], last[12];
	char cursor_person[40], cursor_year[12];
	bool has_industry, has_cursor;
	api_redecide d;
	char examined[24], governed[24], changed[24];
	const char *v_claim[2], *v_read[6], *v_save[14], *v_fail[2];
	char error[300];
	db_call calls[6];
} job;

static void on_tick(evutil_socket_t fd, short what, void *arg);

/* at once (a job has more), or at the worker's next tick */
static void again(bool now)
{
	static const struct timeval zero = { 0, 0 };
	if (now && event_base_once(job.w->base, -1, EV_TIMEOUT, on_tick, NULL, &zero) != 0)
		log_warn(NULL, "job %s: could not schedule the next batch", job.id);
}

static void batch_end(db_conn *conn, bool more)
{
	job.busy = false;
	job.conn = NULL;
	db_conn_release(conn); /* rolls back a transaction left open */
	again(more);
}

static void on_failed(db_conn *conn, db_result *const *res, int n, const db_error *err, void *arg)
{
	if (err->code != DB_OK)
		log_error(NULL, "job %s could not be marked failed: %s", job.id, err->message);
	batch_end(conn, false);
}

/* The job cannot go on: rolls the batch back and records why. */
static void fail(db_conn *conn, const char *why)
{
	log_error(NULL, "job %s failed: %s", job.id, why);
	snprintf(job.error, sizeof job.error, "%s", why);
	job.v_fail[0] = job.id;
	job.v_fail[1] = job.error;
	job.calls[0] = (db_call){ DB_STMT_ROLLBACK, NULL };
	job.calls[1] = (db_call){ DB_STMT_BEGIN, NULL };
	job.calls[2] = (db_call){ DB_STMT_SET_CLAIMS, runner_claims };
	job.calls[3] = (db_call){ DB_STMT_JOBS_FAIL, job.v_fail };
	job.calls[4] = (db_call){ DB_STMT_COMMIT, NULL };
	if (db_conn_run(conn, job.calls, 5, on_failed, NULL) != DB_OK)
		batch_end(conn, false);
}

/* A database error in a batch: a lost race is retried by the next tick,
 * an outage too; anything else fails the job. */
static void batch_error(db_conn *conn, const db_error *err)
{
	if (db_error_is_retryable(err) || db_error_is_unavailable(err) || err->code != DB_ESQL) {
		log_warn(NULL, "job %s: batch not done (%s), retried", job.id[0] ? job.id : "-",
		         err->message);
		batch_end(conn, false);
		return;
	}
	fail(conn, err->message);
}

static void on_saved(db_conn *conn, db_result *const *res, int n, const db_error *err, void *arg)
{
	if (err->code != DB_OK) {
		batch_error(conn, err);
		return;
	}
	bool more = job.d.examined >= JOB_BATCH;
	if (!more)
		log_info(NULL, "job %s done", job.id);
	batch_end(conn, more);
}

static void on_read(db_conn *conn, db_result *const *res, int n, const db_error *err, void *arg)
{
	if (err->code != DB_OK) {
		batch_error(conn, err);
		return;
	}
	const core_rule_set *sets;
	int ns = api_rules_cached(&sets, db_result_value(res[0], 0, RULE_SETS_ALL_COL_RULE_SETS));
	if (ns < 0) {
		fail(conn, "the rule sets could not be read");
		return;
	}
	if (api_redecide_rows(&job.d, res[1], sets, (size_t)ns, job.rule_set) != 0) {
		fail(conn, "a stored decision could not be re-decided (see the gateway's log)");
		return;
	}
	snprintf(job.examined, sizeof job.examined, "%ld", job.d.examined);
	snprintf(job.governed, sizeof job.governed, "%ld", job.d.governed);
	snprintf(job.changed, sizeof job.changed, "%ld", job.d.changed);
	const char **v = job.v_save;
	for (int c = 0; c < API_REDECIDE__COLS; c++)
		v[c] = job.d.col[c];
	v[6] = job.examined;
	v[7] = job.governed;
	v[8] = job.changed;
	v[9] = job.d.last_person[0] ? job.d.last_person : NULL;
	v[10] = job.d.last_year[0] ? job.d.last_year : NULL;
	v[11] = job.d.examined < JOB_BATCH ? "true" : "false";
	v[12] = job.id;
	v[13] = job.lease;
	job.calls[0] = (db_call){ DB_STMT_JOBS_BATCH_SAVE, job.v_save };
	job.calls[1] = (db_call){ DB_STMT_COMMIT, NULL };
	if (db_conn_run(conn, job.calls, 2, on_saved, NULL) != DB_OK)
		batch_end(conn, false);
}

static void copy_opt(char *dst, size_t n, const char *s, bool *has)
{
	snprintf(dst, n, "%s", s ? s : "");
	if (has)
		*has = s != NULL;
}

static void on_claimed(db_conn *conn, db_result *const *res, int n, const db_error *err, void *arg)
{
	if (err->code != DB_OK) {
		batch_error(conn, err);
		return;
	}
	const db_result *claim = res[2];
	if (db_result_rows(claim) == 0) {
		job.id[0] = '\0';
		batch_end(conn, false); /* nothing to do */
		return;
	}
	const char *id, *rs, *first, *last;
	if (db_result_str(claim, 0, JOBS_CLAIM_COL_ID, &id) != 0 ||
	    db_result_str(claim, 0, JOBS_CLAIM_COL_RULE_SET, &rs) != 0 ||
	    db_result_str(claim, 0, JOBS_CLAIM_COL_FIRST_YEAR, &first) != 0 ||
	    db_result_str(claim, 0, JOBS_CLAIM_COL_LAST_YEAR, &last) != 0) {
		batch_end(conn, false);
		return;
	}
	snprintf(job.id, sizeof job.id, "%s", id);
	snprintf(job.rule_set, sizeof job.rule_set, "%s", rs);
	snprintf(job.first, sizeof job.first, "%s", first);
	snprintf(job.last, sizeof job.last, "%s", last);
	copy_opt(job.industry, sizeof job.industry,
	         db_result_value(claim, 0, JOBS_CLAIM_COL_INDUSTRY), &job.has_industry);
	copy_opt(job.cursor_person, sizeof job.cursor_person,
	         db_result_value(claim, 0, JOBS_CLAIM_COL_CURSOR_PERSON), &job.has_cursor);
	copy_opt(job.cursor_year, sizeof job.cursor_year,
	         db_result_value(claim, 0, JOBS_CLAIM_COL_CURSOR_YEAR), NULL);
	const char **v = job.v_read;
	v[0] = job.has_industry ? job.industry : NULL;
	v[1] = job.first;
	v[2] = job.last;
	v[3] = job.has_cursor ? job.cursor_person : NULL;
	v[4] = job.has_cursor ? job.cursor_year : NULL;
	v[5] = job.batch;
	job.calls[0] = (db_call){ DB_STMT_RULE_SETS_ALL, NULL };
	job.calls[1] = (db_call){ DB_STMT_RULE_SETS_REDECIDE_READ, job.v_read };
	if (db_conn_run(conn, job.calls, 2, on_read, NULL) != DB_OK)
		batch_end(conn, false);
}

static void on_conn(db_conn *conn, const db_error *err, void *arg)
{
	if (!conn) {
		job.busy = false;
		return;
	}
	job.conn = conn;
	job.v_claim[0] = job.owner;
	job.v_claim[1] = job.lease;
	job.calls[0] = (db_call){ DB_STMT_BEGIN, NULL };
	job.calls[1] = (db_call){ DB_STMT_SET_CLAIMS, runner_claims };
	job.calls[2] = (db_call){ DB_STMT_JOBS_CLAIM, job.v_claim };
	if (db_conn_run(conn, job.calls, 3, on_claimed, NULL) != DB_OK)
		batch_end(conn, false);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	if (job.busy || !db_pool_is_up(job.w->pool))
		return;
	job.busy = true;
	db_pool_acquire(job.w->pool, on_conn, NULL);
}

void api_jobs_tick(api_worker *w)
{
	if (!job.w) {
		job.w = w;
		char host[64] = "";
		if (gethostname(host, sizeof host - 1) != 0)
			snprintf(host, sizeof host, "?");
		snprintf(job.owner, sizeof job.owner, "%s/%ld/%d", host, (long)getpid(), w->index);
		snprintf(job.lease, sizeof job.lease, "%d", JOB_LEASE_S);
		snprintf(job.batch, sizeof job.batch, "%d", JOB_BATCH);
	}
	on_tick(-1, 0, NULL);
}
