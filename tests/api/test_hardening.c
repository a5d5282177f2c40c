/*
 * What evhttp 2.1 does not do for us (SECURITY.md H1–H4, header checks,
 * connection cap), checked with raw sockets against the running gateway.
 * deploy/test runs the gateway with JXJY_IDLE_TIMEOUT=3,
 * JXJY_REQUEST_DEADLINE=5 and JXJY_MAX_CONNECTIONS=64 per worker.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "testlib.h"

/* Seconds until the server closes fd (reads and discards), or -1 after limit. */
static double wait_closed(int fd, double limit)
{
	double t0 = t_now_s();
	char buf[4096];
	while (t_now_s() - t0 < limit) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 200) > 0) {
			ssize_t r = recv(fd, buf, sizeof buf, 0);
			if (r <= 0)
				return t_now_s() - t0;
		}
	}
	return -1;
}

static long gateway_rss_kb(void)
{
	/* the supervisor and its workers */
	char cmd[128];
	snprintf(cmd, sizeof cmd, "ps -o rss= --ppid %s; ps -o rss= -p %s", t_env("JXJY_TEST_GATEWAY_PID"),
	         t_env("JXJY_TEST_GATEWAY_PID"));
	FILE *p = popen(cmd, "r");
	long total = 0, v;
	while (p && fscanf(p, "%ld", &v) == 1)
		total += v;
	if (p)
		pclose(p);
	return total;
}

static void alive(void)
{
	t_resp r = t_get("/livez", NULL);
	cr_expect_eq(r.status, 200, "the gateway still answers");
	t_resp_free(&r);
}

Test(hardening, H1_huge_header_is_refused_without_growth, .timeout = 60)
{
	long before = gateway_rss_kb();
	size_t n = 32u << 20;
	char *req = malloc(n + 256);
	int k = snprintf(req, 256, "GET /livez HTTP/1.1\r\nHost: t\r\nX-Big: ");
	memset(req + k, 'x', n);
	memcpy(req + k + n, "\r\n\r\n", 4);
	bool closed;
	char *out = t_raw(req, (size_t)k + n + 4, 5000, &closed);
	cr_expect(closed || strstr(out, " 413 ") || strstr(out, " 431 ") || strstr(out, " 400 "),
	          "refused: %.80s", out);
	cr_expect(!strstr(out, " 200 "), "never accepted");
	free(out);
	free(req);
	alive();
	long after = gateway_rss_kb();
	cr_expect(after - before < 4096, "RSS grew by %ld KiB", after - before);
}

Test(hardening, H2_huge_body_is_refused_without_growth, .timeout = 60)
{
	long before = gateway_rss_kb();
	size_t n = 32u << 20;
	char head[256];
	int k = snprintf(head, sizeof head, "POST /v1/auth/token HTTP/1.1\r\nHost: t\r\n"
	                                    "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n", n);
	char *req = malloc((size_t)k + n);
	memcpy(req, head, (size_t)k);
	memset(req + k, ' ', n);
	bool closed;
	char *out = t_raw(req, (size_t)k + n, 5000, &closed);
	cr_expect(closed || strstr(out, " 413 "), "refused: %.80s", out);
	cr_expect(!strstr(out, " 200 "));
	free(out);
	free(req);
	alive();
	long after = gateway_rss_kb();
	cr_expect(after - before < 4096, "RSS grew by %ld KiB", after - before);
}

Test(hardening, L2_two_mib_json_body_is_413_problem)
{
	size_t n = 2u << 20;
	char *b = malloc(n + 1);
	memset(b, ' ', n);
	b[0] = '[';
	b[n - 1] = ']';
	b[n] = '\0';
	t_resp r = t_post_json("/v1/auth/token", NULL, b);
	cr_expect(t_is_problem(&r, 413), "got %d", r.status);
	t_resp_free(&r);
	free(b);
}

Test(hardening, H3_idle_socket_is_closed_after_the_timeout, .timeout = 30)
{
	int fd = t_connect();
	cr_assert(fd >= 0);
	double t = wait_closed(fd, 12);
	close(fd);
	/* JXJY_IDLE_TIMEOUT=3 in the test gateway: closed ≤ timeout + 1 s (the
	 * request deadline of 5 s is the other bound on a silent socket) */
	cr_expect(t >= 0 && t <= 4.5, "closed after %.2f s", t);
}

Test(hardening, H4_slowloris_head_is_closed_by_the_deadline, .timeout = 40)
{
	int fd = t_connect();
	cr_assert(fd >= 0);
	const char *start = "GET /livez HTTP/1.1\r\nHost: t\r\n";
	cr_assert(send(fd, start, strlen(start), MSG_NOSIGNAL) > 0);
	double t0 = t_now_s(), closed_at = -1;
	/* one header line every 2 s: never idle for the 3 s inactivity timeout */
	for (int i = 0; i < 15 && closed_at < 0; i++) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 2000) > 0) {
			char buf[512];
			if (recv(fd, buf, sizeof buf, 0) <= 0) {
				closed_at = t_now_s() - t0;
				break;
			}
		}
		char line[64];
		int k = snprintf(line, sizeof line, "X-Slow-%d: y\r\n", i);
		if (send(fd, line, (size_t)k, MSG_NOSIGNAL) < 0) {
			closed_at = t_now_s() - t0;
			break;
		}
	}
	close(fd);
	cr_expect(closed_at > 0 && closed_at <= 15.0, "slow head closed after %.2f s (deadline 5 s)",
	          closed_at);
	alive();
}

Test(hardening, repeated_watched_header_is_400)
{
	char *tok = t_token("city_bureau", NULL);
	char h1[4096], h2[64];
	snprintf(h1, sizeof h1, "Authorization: Bearer %s", tok);
	snprintf(h2, sizeof h2, "Authorization: Bearer x.y.z");
	const char *const h[] = { h1, h2, NULL };
	t_resp r = t_http("GET", "/v1/me", NULL, h, NULL, 0);
	cr_expect(t_is_problem(&r, 400), "got %d", r.status);
	t_resp_free(&r);
	free(tok);
}

Test(hardening, nul_and_folding_in_headers_never_pass)
{
	char *tok = t_token("city_bureau", NULL);
	char req[4096];
	/* a NUL inside the Authorization value, then a folded continuation */
	int k = snprintf(req, sizeof req, "GET /v1/me HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s", tok);
	req[k++] = '\0';
	k += snprintf(req + k, sizeof req - (size_t)k, "garbage\r\nConnection: close\r\n\r\n");
	bool closed;
	char *out = t_raw(req, (size_t)k, 3000, &closed);
	cr_expect(!strstr(out, " 500 "), "no internal error: %.80s", out);
	free(out);
	k = snprintf(req, sizeof req, "GET /v1/me HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer\r\n %s\r\n"
	                              "Connection: close\r\n\r\n", tok);
	out = t_raw(req, (size_t)k, 3000, &closed);
	cr_expect(closed || strstr(out, " 401 ") || strstr(out, " 400 "), "folded header: %.80s", out);
	free(out);
	k = snprintf(req, sizeof req, "GET /v1/me HTTP/1.1\r\nHost: t\r\n: empty-name\r\nConnection: close\r\n\r\n");
	out = t_raw(req, (size_t)k, 3000, &closed);
	cr_expect(!strstr(out, " 200 ") && !strstr(out, " 500 "), "empty header name: %.80s", out);
	free(out);
	free(tok);
	alive();
}

Test(hardening, connection_cap_refuses_the_excess, .timeout = 60)
{
	enum { N = 300 };
	int fds[N];
	for (int i = 0; i < N; i++)
		fds[i] = t_connect();
	/* 2 workers × 64: the rest are closed at once */
	int closed = 0;
	double t0 = t_now_s();
	while (t_now_s() - t0 < 2.0) {
		for (int i = 0; i < N; i++) {
			if (fds[i] < 0)
				continue;
			struct pollfd p = { fds[i], POLLIN, 0 };
			if (poll(&p, 1, 0) > 0) {
				char b[64];
				if (recv(fds[i], b, sizeof b, MSG_DONTWAIT) <= 0) {
					close(fds[i]);
					fds[i] = -1;
					closed++;
				}
			}
		}
		usleep(20000);
	}
	for (int i = 0; i < N; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	cr_expect(closed >= N - 2 * 64 - 8, "closed %d of %d at once", closed, N);
	usleep(200000);
	alive();
}
