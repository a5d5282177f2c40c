/*
 * Test support: a small HTTP/1.1 client over a loopback socket (real HTTP to
 * the real gateway), tokens signed like the gateway's, the test database.
 * The environment comes from deploy/test:
 *   JXJY_TEST_ADDR   host:port of the running gateway
 *   JXJY_TEST_DB     superuser connection string of the throwaway database
 *   JXJY_TEST_PGDIR  the throwaway cluster (for the outage suite)
 *   JXJY_JWT_SECRET  the gateway's secret
 *   JXJYCTL          path of the jxjyctl binary
 */
#ifndef JXJY_TESTLIB_H
#define JXJY_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

typedef struct t_resp {
	int status;        /* 0 when the connection closed without an answer */
	char *head;        /* status line and headers */
	char *body;
	size_t body_len;
	json_t *json;      /* parsed body when it is JSON, else NULL */
} t_resp;

/* Sends one request (Connection: close).  extra: NULL-terminated list of
 * "Name: value" header lines.  token: bearer token or NULL. */
/* The Accept-Language t_http sends when extra names none: "en" (the suites
 * read the English texts); NULL sends none (the API's default, Chinese).
 * Criterion runs each test in its own process: a test may change it. */
extern const char *t_accept_language;
t_resp t_http(const char *method, const char *path, const char *token, const char *const *extra,
              const char *body, size_t body_len);
t_resp t_get(const char *path, const char *token);
t_resp t_post_json(const char *path, const char *token, const char *json);
void t_resp_free(t_resp *r);

/* A response header's value (static buffer, overwritten by the next call). */
const char *t_header(const t_resp *r, const char *name);

/* The pid of the worker that answered (it leads the gateway's own request
 * ids, "%x-%llx": api/http/intake.c), -1 when there is no id. */
long t_worker_of(const t_resp *r);

/* True when r is an RFC 9457 problem with this status. */
bool t_is_problem(const t_resp *r, int status);

/* Sends raw bytes and returns what came back (malloc'd) within timeout_ms;
 * *closed tells whether the server closed the connection. */
char *t_raw(const char *bytes, size_t n, int timeout_ms, bool *closed);
/* Opens a connection to the gateway (blocking socket) or -1. */
int t_connect(void);
/* Sends bytes on a new connection and returns it (the caller closes it). */
int t_send(const char *bytes, size_t n);
/* What came back on fd within timeout_ms (malloc'd; its length in *len
 * unless NULL); *closed tells whether the server closed the connection. */
char *t_recv(int fd, size_t *len, int timeout_ms, bool *closed);
/* A response read whole (all: malloc'd, taken over) as a t_resp. */
t_resp t_parse(char *all, size_t len);

/* A token signed with the gateway's secret; jur NULL for the city bureau.
 * Returned string is malloc'd. */
char *t_token(const char *role, const char *jur);

/* Signs an arbitrary header and claims JSON with HMAC-SHA256 (or any alg
 * name in the header, still HMAC-SHA256 signed) for refusal tests. */
char *t_forge(const char *header_json, const char *claims_json, const char *key);

/* The test database (superuser) — for fixtures and direct checks. */
PGconn *t_db(void);
/* Runs SQL with parameters, fails the test on error, returns the result. */
PGresult *t_sql(PGconn *c, const char *sql, int n, const char *const *params);
/* The first value of a one-row result, malloc'd, NULL for no row/NULL. */
char *t_sql_value(PGconn *c, const char *sql, int n, const char *const *params);

/* t_sql_value on a connection of its own. */
char *t_sql1(const char *sql, int n, const char *const *params);
/* The first value as a count, -1 for no row; c NULL: a connection of its own. */
long t_sql_count(PGconn *c, const char *sql, int n, const char *const *params);

/* Fixtures inserted as the superuser with fresh random identifiers (a rare
 * clash retried), out of the API's sight; c NULL: a connection of their
 * own.  Each returns the new id (malloc'd) and fails the test when it
 * cannot. */
/* A unit (enterprise) of district and industry (NULL: the first industry). */
char *t_new_unit(PGconn *c, const char *district, const char *industry);
/* An in-service person of unit (its district and industry), title level
 * level, in a cycle that started in 2020. */
char *t_new_person(PGconn *c, const char *unit, const char *level);
/* A base of level (city, district) in district, in status. */
char *t_new_base(PGconn *c, const char *level, const char *district, const char *status);
/* Copies an id into out (it fits 40 bytes) and frees it; fails the test when
 * id is NULL. */
void t_take_id(char out[40], char *id);

/* POST of JSON to fmt with its one "%s" replaced by id (spliced as text). */
t_resp t_post_path(const char *token, const char *json, const char *fmt, const char *id);
/* POST of JSON (NULL: no body) with an Idempotency-Key header when idem is
 * given. */
t_resp t_post_idem(const char *path, const char *token, const char *json, const char *idem);
/* Writes two raw requests on two connections before reading either answer
 * (a race on the server), then reads both answers until the server closes:
 * out1 and out2 (cap bytes each, NUL-terminated). */
void t_race(const char *req1, size_t n1, const char *req2, size_t n2, char *out1, char *out2,
            size_t cap);

/* A string member of the response's JSON object, or NULL. */
const char *t_str(const t_resp *r, const char *key);
/* True when the problem's errors[] has field (with code, unless NULL). */
bool t_has_error(const t_resp *r, const char *field, const char *code);

/* The current year in China Standard Time; a monotonic clock in seconds. */
int t_this_year(void);
double t_now_s(void);

/* Valid identifiers, distinct per seed (check characters computed by core). */
void t_make_credit_code(char out[19], unsigned seed);
void t_make_resident_id(char out[19], unsigned seed);

/* Runs jxjyctl with arguments (stdin from input if not NULL); returns the
 * exit status and stdout in *out (malloc'd) if out is not NULL. */
int t_jxjyctl(const char *args, const char *input, char **out);

/* The processes whose parent is parent (a gateway's workers), "pid pid …"
 * in ascending order (malloc'd). */
char *t_worker_pids(long parent);

const char *t_env(const char *name);
#endif
