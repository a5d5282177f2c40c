#include "fault.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "idents.h"

const char *fault_env(const char *name)
{
	const char *v = getenv(name);
	if (!v || !*v) {
		fprintf(stderr, "environment variable %s is not set (run through tests/fault/run)\n", name);
		exit(2);
	}
	return v;
}

double fault_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *fault_request_new(const char *method, const char *path, const char *token,
                        const char *extra, const char *body, size_t *len)
{
	size_t blen = body ? strlen(body) : 0;
	size_t cap = strlen(path) + (token ? strlen(token) : 0) + (extra ? strlen(extra) : 0) + blen + 256;
	char *s = malloc(cap);
	int n = snprintf(s, cap,
	                 "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s%s%s%s"
	                 "Content-Length: %zu\r\n\r\n%s",
	                 method, path, token ? "Authorization: Bearer " : "", token ? token : "",
	                 token ? "\r\n" : "", extra ? extra : "", blen, body ? body : "");
	*len = (size_t)n;
	return s;
}

void fault_req_dispose(fault_req *r)
{
	free(r->request);
	free(r->in);
	r->request = r->in = NULL;
	r->in_len = r->in_cap = 0;
}

static int addr_parse(struct sockaddr_in *sa, const char *addr)
{
	char host[64];
	const char *colon = strrchr(addr, ':');
	if (!colon || (size_t)(colon - addr) >= sizeof host)
		return -1;
	snprintf(host, sizeof host, "%.*s", (int)(colon - addr), addr);
	*sa = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1)) };
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

/* Status, Idempotent-Replayed and the JSON "id" of what came back. */
static void parse(fault_req *r)
{
	r->status = 0;
	r->replayed = false;
	r->id[0] = '\0';
	if (!r->in || r->in_len < 12 || strncmp(r->in, "HTTP/1.", 7) != 0)
		return;
	r->in[r->in_len] = '\0';
	r->status = atoi(r->in + 9);
	char *body = strstr(r->in, "\r\n\r\n");
	if (!body)
		return;
	*body = '\0';
	r->replayed = strcasestr(r->in, "\r\nIdempotent-Replayed: true") != NULL;
	*body = '\r';
	/* the member "id" of the answer's object (blanks around the colon) */
	const char *id = strstr(body, "\"id\"");
	if (id) {
		id += 4 + strspn(id + 4, " \t\r\n");
		if (*id++ != ':')
			return;
		id += strspn(id, " \t\r\n");
		if (*id++ != '"')
			return;
		size_t k = strcspn(id, "\"");
		if (k < sizeof r->id)
			snprintf(r->id, sizeof r->id, "%.*s", (int)k, id);
	}
}

static void finish(fault_req *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	parse(r);
}

/* Reads what is there; true when the exchange is over (EOF or an error). */
static bool pull(fault_req *r)
{
	for (;;) {
		if (r->in_cap - r->in_len < 4096) {
			r->in_cap = r->in_cap ? r->in_cap * 2 : 8192;
			r->in = realloc(r->in, r->in_cap + 1);
		}
		ssize_t k = read(r->fd, r->in + r->in_len, r->in_cap - r->in_len);
		if (k > 0) {
			r->in_len += (size_t)k;
			continue;
		}
		if (k < 0 && (errno == EAGAIN || errno == EINTR))
			return false;
		return true;
	}
}

/* Writes what is left of the request; true when the exchange is over. */
static bool push(fault_req *r)
{
	while (r->sent < r->request_len) {
		ssize_t k = send(r->fd, r->request + r->sent, r->request_len - r->sent, MSG_NOSIGNAL);
		if (k < 0 && (errno == EAGAIN || errno == EINTR))
			return false;
		if (k < 0) {
			/* refused or reset: an answer may still be there to read */
			r->sent = r->request_len;
			return pull(r);
		}
		r->sent += (size_t)k;
	}
	return false;
}

size_t fault_batch_run(fault_req *reqs, size_t n, const char *addr, double timeout_s,
                       fault_progress progress, void *arg)
{
	struct sockaddr_in sa;
	struct pollfd *pfd = calloc(n, sizeof *pfd);
	size_t open = 0, answered = 0;
	if (addr_parse(&sa, addr) != 0) {
		fprintf(stderr, "bad address %s\n", addr);
		exit(2);
	}
	for (size_t i = 0; i < n; i++) {
		fault_req *r = &reqs[i];
		r->sent = r->in_len = 0;
		r->status = 0;
		r->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (r->fd >= 0 && connect(r->fd, (struct sockaddr *)&sa, sizeof sa) != 0 &&
		    errno != EINPROGRESS) {
			close(r->fd);
			r->fd = -1;
		}
		if (r->fd >= 0)
			open++;
	}
	double deadline = fault_now_s() + timeout_s;
	while (open > 0) {
		int ms = (int)((deadline - fault_now_s()) * 1000);
		if (ms <= 0)
			break;
		size_t m = 0;
		for (size_t i = 0; i < n; i++) {
			if (reqs[i].fd < 0)
				continue;
			pfd[m].fd = reqs[i].fd;
			pfd[m].events = reqs[i].sent < reqs[i].request_len ? POLLOUT | POLLIN : POLLIN;
			pfd[m].revents = 0;
			m++;
		}
		int k = poll(pfd, (nfds_t)m, ms > 200 ? 200 : ms);
		if (k < 0 && errno != EINTR)
			break;
		m = 0;
		for (size_t i = 0; i < n && k > 0; i++) {
			fault_req *r = &reqs[i];
			if (r->fd < 0)
				continue;
			short ev = pfd[m++].revents;
			if (!ev)
				continue;
			bool over = false;
			if (ev & POLLOUT)
				over = push(r);
			if (!over && (ev & (POLLIN | POLLHUP | POLLERR)))
				over = pull(r);
			if (over) {
				finish(r);
				open--;
				if (r->status)
					answered++;
				if (progress)
					progress(answered, n, arg);
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		if (reqs[i].fd >= 0)
			finish(&reqs[i]);
	free(pfd);
	return answered;
}

void fault_one(fault_req *r, const char *addr, double timeout_s)
{
	fault_batch_run(r, 1, addr, timeout_s, NULL, NULL);
}

bool fault_wait_ready(const char *addr, double timeout_s)
{
	double until = fault_now_s() + timeout_s;
	fault_req r = { 0 };
	r.request = fault_request_new("GET", "/readyz", NULL, NULL, NULL, &r.request_len);
	bool ok = false;
	while (!ok && fault_now_s() < until) {
		fault_one(&r, addr, 2.0);
		ok = r.status == 200;
		if (!ok)
			usleep(100000);
	}
	fault_req_dispose(&r);
	return ok;
}

typedef void (*body_fn)(char *out, size_t n, const char *ident, const char *arg);

static void unit_body(char *out, size_t n, const char *ident, const char *arg)
{
	snprintf(out, n, "{\"credit_code\":\"%s\",\"name\":\"故障测试单位\",\"kind\":\"enterprise\","
	                 "\"district\":\"320508\",\"industry\":\"education\"}", ident);
}

static void person_body(char *out, size_t n, const char *ident, const char *unit)
{
	snprintf(out, n, "{\"national_id\":\"%s\",\"name\":\"王芳\",\"unit\":\"%s\","
	                 "\"title_level\":\"intermediate\"}", ident, unit);
}

/* POST to path of the body made with a fresh random identifier, again while
 * it is a 409 (the identifier clashed); the new id into out. */
static bool create(const char *addr, const char *token, const char *path, const char *what,
                   int (*make)(char out[19], unsigned seed), body_fn body_of, const char *arg,
                   char out[40])
{
	fault_req r = { 0 };
	for (int attempt = 0; attempt < 10; attempt++) {
		unsigned seed;
		char ident[19], body[512];
		if (getrandom(&seed, sizeof seed, 0) != sizeof seed || make(ident, seed) != 0)
			return false;
		body_of(body, sizeof body, ident, arg);
		r.request = fault_request_new("POST", path, token, "Content-Type: application/json\r\n",
		                              body, &r.request_len);
		fault_one(&r, addr, 10.0);
		bool again = r.status == 409;
		if (r.status == 201 && r.id[0]) {
			memcpy(out, r.id, 40);
			fault_req_dispose(&r);
			return true;
		}
		if (!again)
			fprintf(stderr, "could not create %s: %d %s\n", what, r.status, r.in ? r.in : "");
		fault_req_dispose(&r);
		if (!again)
			return false;
	}
	return false;
}

bool fault_fixtures(const char *addr, const char *token, char unit[40], char (*persons)[40], int n)
{
	if (!create(addr, token, "/v1/units", "a unit", t_ident_credit_code, unit_body, NULL, unit))
		return false;
	for (int i = 0; i < n; i++)
		if (!create(addr, token, "/v1/persons", "a person", t_ident_resident_id, person_body, unit,
		            persons[i]))
			return false;
	return true;
}
