/*
 * The database goes away under the running gateway and comes back
 * (issue 2, SECURITY.md D1–D2): 503 with Retry-After while it is down,
 * never a hang or a crash, and service again without restarting anything.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "procs.h"
#include "testlib.h"

static int pg_ctl(const char *action)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s %s/pg_ctl -D %s/data -l %s/postgresql.log -m fast -w -t 60 %s >/dev/null",
	         getuid() == 0 ? "runuser -u postgres --" : "", t_env("JXJY_TEST_PGBIN"),
	         t_env("JXJY_TEST_PGDIR"), t_env("JXJY_TEST_PGDIR"), action);
	return system(cmd);
}

/* The shared gateway's workers, "pid pid …" in ascending order. */
static char *worker_pids(void)
{
	return t_worker_pids(atol(t_env("JXJY_TEST_GATEWAY_PID")));
}

/* Polls /readyz every poll_us until it is 200: when (t_now_s), or -1
 * after limit_s. */
static double wait_ready(double limit_s, useconds_t poll_us)
{
	double t0 = t_now_s();
	while (t_now_s() - t0 < limit_s) {
		t_resp r = t_get("/readyz", NULL);
		int st = r.status;
		t_resp_free(&r);
		if (st == 200)
			return t_now_s();
		usleep(poll_us);
	}
	return -1;
}

Test(outage, database_down_then_back, .timeout = 180)
{
	char *tok = t_token("city_bureau", NULL);
	char *workers = worker_pids();
	cr_assert(strlen(workers) > 0);
	t_resp r = t_get("/readyz", NULL);
	cr_assert_eq(r.status, 200);
	t_resp_free(&r);

	cr_assert_eq(pg_ctl("stop"), 0, "could not stop PostgreSQL");
	/* every answer while it is down: 503 + Retry-After, quickly */
	int n503 = 0;
	for (int i = 0; i < 20; i++) {
		double t0 = t_now_s();
		r = t_get(i % 2 ? "/v1/districts" : "/readyz", i % 2 ? tok : NULL);
		double took = t_now_s() - t0;
		cr_expect(t_is_problem(&r, 503), "while down: %d %s", r.status, r.body);
		cr_expect(t_header(&r, "Retry-After") != NULL);
		cr_expect(took < 3.0, "answered in %.2f s", took);
		if (r.status == 503)
			n503++;
		t_resp_free(&r);
		usleep(100000);
	}
	cr_expect_eq(n503, 20);
	/* J7: an invalid token never waits for the database: 401, fast */
	for (int i = 0; i < 10; i++) {
		double t0 = t_now_s();
		r = t_get("/v1/districts", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
		double took = t_now_s() - t0;
		cr_expect(t_is_problem(&r, 401), "invalid token while down: %d", r.status);
		cr_expect(took < 0.1, "answered in %.3f s", took);
		t_resp_free(&r);
	}
	/* liveness does not depend on the database */
	r = t_get("/livez", NULL);
	cr_expect_eq(r.status, 200);
	t_resp_free(&r);

	cr_assert_eq(pg_ctl("start"), 0, "could not start PostgreSQL");
	double t0 = t_now_s(), ready = wait_ready(30, 100000);
	double ready_after = ready < 0 ? -1 : ready - t0;
	cr_expect(ready_after >= 0 && ready_after <= 5.0, "ready again after %.2f s", ready_after);
	/* both workers serve data again (several requests reach both) */
	for (int i = 0; i < 10; i++) {
		r = t_get("/v1/districts", tok);
		cr_expect_eq(r.status, 200, "after recovery: %d %s", r.status, r.body);
		t_resp_free(&r);
	}
	char *after = worker_pids();
	cr_expect_str_eq(after, workers, "no worker was restarted");
	cr_expect(kill(atoi(t_env("JXJY_TEST_GATEWAY_PID")), 0) == 0, "the gateway still runs");
	free(after);
	free(workers);
	free(tok);
}

Test(outage, readyz_is_503_while_the_schema_is_behind)
{
	PGconn *db = t_db();
	char *latest = t_sql_value(db, "SELECT max(version) FROM public.schema_migrations", 0, NULL);
	cr_assert(latest);
	const char *p[] = { latest };
	PGresult *saved = t_sql(db, "DELETE FROM public.schema_migrations WHERE version = $1::int"
	                            " RETURNING version, name, checksum", 1, p);
	cr_assert_eq(PQntuples(saved), 1);
	t_resp r = t_get("/readyz", NULL);
	cr_expect(t_is_problem(&r, 503), "schema behind: %d %s", r.status, r.body);
	t_resp_free(&r);
	const char *back[] = { PQgetvalue(saved, 0, 0), PQgetvalue(saved, 0, 1), PQgetvalue(saved, 0, 2) };
	PQclear(t_sql(db, "INSERT INTO public.schema_migrations (version, name, checksum)"
	                  " VALUES ($1::int, $2, $3)", 3, back));
	PQclear(saved);
	r = t_get("/readyz", NULL);
	cr_expect_eq(r.status, 200, "schema current again: %s", r.body);
	t_resp_free(&r);
	free(latest);
	PQfinish(db);
}

/* Issue 11 ("Recovery without a gap"): /readyz is 200 only once EVERY
 * worker reaches the database again, not just the one that took the probe,
 * so a balancer that sends traffic at the first 200 finds no worker still
 * down.  Within 1 s of that 200, requests on fresh connections (so that
 * both workers take some: the accept distribution decides, the request ids
 * say who answered) are all served. */
Test(outage, every_worker_serves_within_1s_of_readyz_200, .timeout = 120)
{
	char *tok = t_token("city_bureau", NULL);
	char *workers = worker_pids();
	long pids[2];
	cr_assert_eq(sscanf(workers, "%ld %ld", &pids[0], &pids[1]), 2, "two workers: %s", workers);
	cr_assert(wait_ready(30, 100000) >= 0, "not ready before the outage");

	cr_assert_eq(pg_ctl("stop"), 0, "could not stop PostgreSQL");
	t_resp r;
	/* down long enough for the pools' backoff to grow */
	for (int i = 0; i < 10; i++) {
		r = t_get("/v1/districts", tok);
		cr_expect(t_is_problem(&r, 503), "while down: %d", r.status);
		t_resp_free(&r);
		usleep(200000);
	}
	cr_assert_eq(pg_ctl("start"), 0, "could not start PostgreSQL");
	double ready = wait_ready(30, 20000);
	cr_assert(ready >= 0, "/readyz never turned 200 after the database came back");
	int sent = 0, served = 0, by[2] = { 0, 0 };
	char first_bad[256] = "";
	while (t_now_s() - ready < 1.0 && (sent < 16 || !by[0] || !by[1])) {
		r = t_get("/v1/districts", tok);
		long pid = t_worker_of(&r);
		sent++;
		if (r.status == 200)
			served++;
		else if (!first_bad[0])
			snprintf(first_bad, sizeof first_bad, "%d from worker %ld %.150s", r.status, pid, r.body);
		for (int w = 0; w < 2; w++)
			by[w] += pid == pids[w];
		t_resp_free(&r);
	}
	cr_expect_eq(served, sent, "%d of %d served within 1 s of /readyz 200; first refusal: %s", served,
	             sent, first_bad);
	cr_expect(sent >= 16, "only %d requests within the second", sent);
	cr_expect(by[0] > 0 && by[1] > 0, "both workers answered: %d and %d of %d", by[0], by[1], sent);
	free(workers);
	free(tok);
}
