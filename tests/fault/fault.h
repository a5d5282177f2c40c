/*
 * Fault tests (issue 11): many HTTP requests at once over loopback, one
 * connection each (Connection: close), driven by poll(2), and the fixtures
 * those tests write through the API.  No Criterion: the programs print one
 * result line and exit 1 when a check fails (tests/fault/run).
 */
#ifndef JXJY_FAULT_H
#define JXJY_FAULT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct fault_req {
	char *request;     /* the bytes sent (malloc'd, owned) */
	size_t request_len;
	int status;        /* 0: no answer (refused, closed, timed out) */
	bool replayed;     /* the answer carried Idempotent-Replayed: true */
	char id[40];       /* "id" of the JSON answer, "" when none */
	/* private to the batch */
	int fd;
	size_t sent;
	char *in;
	size_t in_len, in_cap;
} fault_req;

/* Called by fault_batch_run after each answer with how many of the batch
 * have been answered so far. */
typedef void (*fault_progress)(size_t answered, size_t total, void *arg);

/* Sends every request of reqs at once, each on its own connection to addr
 * ("host:port"), and reads the answers until all are in or timeout_s has
 * passed (the rest: status 0).  Fills status, replayed and id.  Returns how
 * many were answered. */
size_t fault_batch_run(fault_req *reqs, size_t n, const char *addr, double timeout_s,
                       fault_progress progress, void *arg);

/* One request, answered (or status 0) within timeout_s. */
void fault_one(fault_req *r, const char *addr, double timeout_s);

/* A request's bytes: method, path, bearer token (or NULL), extra header
 * lines ("Name: value\r\n"…, or NULL), JSON body (or NULL).  malloc'd. */
char *fault_request_new(const char *method, const char *path, const char *token,
                        const char *extra, const char *body, size_t *len);
/* Frees what the batch and fault_request_new allocated (not r itself). */
void fault_req_dispose(fault_req *r);

/* Waits until GET /readyz of addr is 200; false after timeout_s. */
bool fault_wait_ready(const char *addr, double timeout_s);

/* A unit (enterprise, district 320508, industry education) and n in-service
 * persons of it created through the API with the city bureau's token; unit
 * and persons[i] receive the ids (40 bytes each).  False (with a message on
 * stderr) when the API refused. */
bool fault_fixtures(const char *addr, const char *token, char unit[40], char (*persons)[40],
                    int n);

/* The environment variable, or exit 2 with a message when it is unset. */
const char *fault_env(const char *name);
double fault_now_s(void);
#endif
