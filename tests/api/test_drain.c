/*
 * SIGTERM drains the gateway (issue 11, "Recovery without a gap"): the
 * workers stop taking connections and /readyz answers 503 at once, the
 * requests in flight finish (within JXJY_DRAIN_S), idle keep-alive
 * connections are closed, and the gateway exits 0; a drain that would take
 * longer is cut off in time.
 *
 * Each test starts a gateway of its own (JXJY_TEST_GATEWAY_BIN, the ASan
 * build) on another free port, so the shared one keeps running.  A request
 * is held in flight by the database: the test locks the table that
 * GET /v1/districts reads (LOCK TABLE … ACCESS EXCLUSIVE in an open
 * transaction) and lets it go when it chooses, so "slow" is exact and does
 * not depend on the machine's speed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "testlib.h"

typedef struct gateway {
	pid_t pid;
	char addr[64];
	char log[64];
} gateway;

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	cr_assert(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	          getsockname(fd, (struct sockaddr *)&a, &len) == 0);
	close(fd);
	return ntohs(a.sin_port);
}

/* Starts the gateway with JXJY_DRAIN_S=drain_s and 2 workers, points the
 * test client (JXJY_TEST_ADDR) at it and waits until it is ready. */
static void gateway_start(gateway *g, int drain_s)
{
	const char *bin = t_env("JXJY_TEST_GATEWAY_BIN");
	snprintf(g->addr, sizeof g->addr, "127.0.0.1:%d", free_port());
	snprintf(g->log, sizeof g->log, "/tmp/jxjy-drain-XXXXXX");
	int log = mkstemp(g->log);
	cr_assert(log >= 0);
	char drain[16];
	snprintf(drain, sizeof drain, "%d", drain_s);
	g->pid = fork();
	cr_assert(g->pid >= 0);
	if (g->pid == 0) {
		setenv("JXJY_LISTEN", g->addr, 1);
		setenv("JXJY_WORKERS", "2", 1);
		setenv("JXJY_DRAIN_S", drain, 1);
		setenv("JXJY_LOG_LEVEL", "info", 1);
		/* as deploy/test runs the shared gateway: leaks are reported */
		setenv("ASAN_OPTIONS", "detect_leaks=1:halt_on_error=0", 1);
		dup2(log, 2);
		execl(bin, bin, (char *)NULL);
		_exit(127);
	}
	close(log);
	setenv("JXJY_TEST_ADDR", g->addr, 1);
	for (int i = 0; i < 200; i++) {
		int fd = t_connect();
		if (fd >= 0) {
			close(fd);
			t_resp r = t_get("/readyz", NULL);
			int st = r.status;
			t_resp_free(&r);
			if (st == 200)
				return;
		}
		usleep(50000);
	}
	cr_assert_fail("the gateway on %s did not become ready (log %s)", g->addr, g->log);
}

/* Waits up to limit_s for the gateway to exit: its wait status, or -1
 * (then it is killed). */
static int gateway_wait(gateway *g, double limit_s)
{
	double t0 = t_now_s();
	int status;
	while (t_now_s() - t0 < limit_s) {
		if (waitpid(g->pid, &status, WNOHANG) == g->pid)
			return status;
		usleep(20000);
	}
	kill(g->pid, SIGKILL);
	waitpid(g->pid, &status, 0);
	return -1;
}

/* The gateway's log holds no sanitizer report (as deploy/test checks the
 * shared gateway's). */
static void gateway_log_clean(gateway *g)
{
	FILE *f = fopen(g->log, "r");
	cr_assert(f);
	char line[1024];
	while (fgets(line, sizeof line, f))
		cr_expect(!strstr(line, "AddressSanitizer") && !strstr(line, "LeakSanitizer") &&
		              !strstr(line, "runtime error:"),
		          "sanitizer report in %s: %s", g->log, line);
	fclose(f);
	unlink(g->log);
}

/* Holds GET /v1/districts at the database: locks its table in a
 * transaction of its own. */
static PGconn *lock_districts(void)
{
	PGconn *db = t_db();
	PQclear(t_sql(db, "BEGIN", 0, NULL));
	PQclear(t_sql(db, "LOCK TABLE jxjy.districts IN ACCESS EXCLUSIVE MODE", 0, NULL));
	return db;
}

/* Sends GET /v1/districts and waits until the gateway's statement waits
 * for the lock: the request is in flight.  Returns its connection. */
static int send_held_request(const char *tok)
{
	char req[2048];
	int n = snprintf(req, sizeof req,
	                 "GET /v1/districts HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n", tok);
	int fd = t_send(req, (size_t)n);
	for (int i = 0; i < 250; i++) {
		if (t_sql_count(NULL, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
		                      " AND query LIKE '%jxjy.districts%'", 0, NULL) > 0)
			return fd;
		usleep(20000);
	}
	cr_assert_fail("the request never reached the database");
	return -1;
}

/* A keep-alive connection that has had its answer and now idles. */
static int idle_connection(void)
{
	static const char req[] = "GET /livez HTTP/1.1\r\nHost: t\r\n\r\n";
	int fd = t_send(req, sizeof req - 1);
	bool closed;
	char *got = t_recv(fd, NULL, 300, &closed);
	cr_assert(!closed && strncmp(got, "HTTP/1.1 200", 12) == 0, "keep-alive answer: %s", got);
	free(got);
	return fd;
}

/* Issue 11: on SIGTERM the request in flight finishes with 200 (it waits
 * longer than a second at the database after the signal), the idle
 * keep-alive connection is closed, a new connection is refused (or, if a
 * worker still took it, /readyz says 503), and the gateway exits 0 within
 * JXJY_DRAIN_S + 2 s. */
Test(drain, sigterm_finishes_requests_in_flight_then_exits_0, .timeout = 60)
{
	enum { DRAIN_S = 5 };
	gateway g;
	gateway_start(&g, DRAIN_S);
	char *tok = t_token("city_bureau", NULL);
	int idle = idle_connection();
	PGconn *lock = lock_districts();
	int held = send_held_request(tok);

	cr_assert_eq(kill(g.pid, SIGTERM), 0);
	double t0 = t_now_s();
	/* the idle connection is closed at once */
	bool closed;
	char *got = t_recv(idle, NULL, 1000, &closed);
	cr_expect(closed && !*got, "idle keep-alive connection after SIGTERM: closed %d, got %s", closed, got);
	free(got);
	close(idle);
	/* no new request is taken during the drain */
	usleep(200000);
	int fd = t_connect();
	fprintf(stderr, "drain: a new connection during the drain was %s\n", fd >= 0 ? "taken" : "refused");
	if (fd >= 0) {
		close(fd);
		t_resp r = t_get("/readyz", NULL);
		cr_expect(t_is_problem(&r, 503), "/readyz during the drain: %d %s", r.status, r.body);
		cr_expect(t_header(&r, "Retry-After") != NULL);
		t_resp_free(&r);
	} else {
		cr_expect_eq(errno, ECONNREFUSED, "a new connection during the drain: %s", strerror(errno));
	}
	cr_expect(waitpid(g.pid, NULL, WNOHANG) == 0, "the gateway waits for the request in flight");
	sleep(1);
	PQclear(t_sql(lock, "COMMIT", 0, NULL)); /* the request goes on */
	size_t len;
	char *all = t_recv(held, &len, 5000, &closed);
	close(held);
	t_resp r = t_parse(all, len);
	cr_expect_eq(r.status, 200, "the request in flight: %d %s", r.status, r.body);
	cr_expect(json_array_size(json_object_get(r.json, "items")) > 0, "districts: %s", r.body);
	const char *conn = t_header(&r, "Connection");
	cr_expect(conn && !strcmp(conn, "close"), "its answer closes the connection: %s", conn);
	cr_expect(closed, "the connection is closed after the answer");
	t_resp_free(&r);

	int status = gateway_wait(&g, DRAIN_S + 2 - (t_now_s() - t0));
	double took = t_now_s() - t0;
	cr_expect(status != -1, "the gateway still ran %.1f s after SIGTERM", took);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exit status %d", status);
	gateway_log_clean(&g);
	PQfinish(lock);
	free(tok);
}

/* Issue 11: a request that would outlast JXJY_DRAIN_S is cut off: the
 * gateway has waited for it (the whole budget), answers it 503 with
 * Retry-After, and still exits 0 by JXJY_DRAIN_S + 2 s. */
Test(drain, drain_longer_than_budget_is_cut_off, .timeout = 60)
{
	enum { DRAIN_S = 1 };
	gateway g;
	gateway_start(&g, DRAIN_S);
	char *tok = t_token("city_bureau", NULL);
	PGconn *lock = lock_districts();
	int held = send_held_request(tok);

	cr_assert_eq(kill(g.pid, SIGTERM), 0);
	double t0 = t_now_s();
	int status = gateway_wait(&g, DRAIN_S + 2);
	double took = t_now_s() - t0;
	cr_expect(status != -1, "the gateway still ran %.1f s after SIGTERM", took);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exit status %d", status);
	cr_expect(took >= DRAIN_S - 0.1, "it gave the request its %d s: exited after %.2f s", DRAIN_S, took);
	bool closed;
	size_t len;
	char *all = t_recv(held, &len, 1000, &closed);
	close(held);
	t_resp r = t_parse(all, len);
	cr_expect(t_is_problem(&r, 503), "the request cut off: %d %s", r.status, r.body);
	cr_expect(t_header(&r, "Retry-After") != NULL);
	t_resp_free(&r);
	PQclear(t_sql(lock, "ROLLBACK", 0, NULL));
	gateway_log_clean(&g);
	PQfinish(lock);
	free(tok);
}

/* Issue 11: a worker that dies is restarted with its readiness slot reset
 * ("starting", then down until its own pool connects, then up): /readyz
 * is 200 again within a few seconds of the crash and stays so, and the
 * new worker serves.  (A slot left to the dead worker, or one the new worker never
 * updated, would keep /readyz at 503.) */
Test(drain, a_restarted_worker_is_ready_again, .timeout = 60)
{
	gateway g;
	gateway_start(&g, 2);
	char *tok = t_token("city_bureau", NULL);
	char *before = t_worker_pids(g.pid);
	long old[2];
	cr_assert_eq(sscanf(before, "%ld %ld", &old[0], &old[1]), 2, "two workers: %s", before);
	cr_assert_eq(kill((pid_t)old[0], SIGKILL), 0);
	double t0 = t_now_s();
	long fresh = -1;
	int ready = 0;
	while (t_now_s() - t0 < 6 && !ready) {
		char *now = t_worker_pids(g.pid);
		long p[2];
		if (sscanf(now, "%ld %ld", &p[0], &p[1]) == 2 && p[0] != old[0] && p[1] != old[0]) {
			fresh = p[0] == old[1] ? p[1] : p[0];
			t_resp r = t_get("/readyz", NULL);
			ready = r.status == 200;
			t_resp_free(&r);
		}
		free(now);
		usleep(50000);
	}
	cr_assert(fresh > 0, "the killed worker was not restarted");
	cr_assert(ready, "/readyz not 200 within 6 s of a worker's crash");
	/* the new worker answers too (fresh connections until it takes one) */
	int by_fresh = 0, sent = 0;
	while (sent < 200 && !by_fresh) {
		t_resp r = t_get("/v1/districts", tok);
		cr_expect_eq(r.status, 200, "after the restart: %d %s", r.status, r.body);
		by_fresh = t_worker_of(&r) == fresh;
		sent++;
		t_resp_free(&r);
	}
	cr_expect(by_fresh, "the restarted worker took none of %d requests", sent);
	/* and it stays ready: nothing the supervisor or the dead worker left
	 * in the slot turns it back to 503 */
	int not_ready = 0;
	for (int i = 0; i < 30; i++) {
		t_resp r = t_get("/readyz", NULL);
		not_ready += r.status != 200;
		t_resp_free(&r);
		usleep(100000);
	}
	cr_expect_eq(not_ready, 0, "/readyz was not 200 %d times of 30 in the 3 s after", not_ready);
	cr_assert_eq(kill(g.pid, SIGTERM), 0);
	int status = gateway_wait(&g, 2 + 2);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exit status %d", status);
	gateway_log_clean(&g);
	free(before);
	free(tok);
}
