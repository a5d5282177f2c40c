#include "testlib.h"
#include "procs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "idents.h"

const char *t_env(const char *name)
{
	const char *v = getenv(name);
	cr_assert(v && *v, "environment variable %s is not set (run through deploy/test)", name);
	return v;
}

int t_connect(void)
{
	const char *addr = t_env("JXJY_TEST_ADDR");
	char host[128];
	const char *colon = strrchr(addr, ':');
	cr_assert(colon);
	snprintf(host, sizeof host, "%.*s", (int)(colon - addr), addr);
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *ai = NULL;
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
		return -1;
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

static void send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			return; /* the server may close early (413, 431): read what it said */
		}
		p += w;
		n -= (size_t)w;
	}
}

static char *read_all(int fd, size_t *len, int timeout_ms, bool *closed)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	*closed = false;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int pr = poll(&p, 1, timeout_ms);
		if (pr <= 0)
			break;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
		}
		ssize_t r = recv(fd, buf + n, cap - n, 0);
		if (r <= 0) {
			*closed = true;
			break;
		}
		n += (size_t)r;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

int t_send(const char *bytes, size_t n)
{
	int fd = t_connect();
	cr_assert(fd >= 0, "cannot connect to the gateway");
	send_all(fd, bytes, n);
	return fd;
}

char *t_recv(int fd, size_t *len, int timeout_ms, bool *closed)
{
	size_t ignored;
	return read_all(fd, len ? len : &ignored, timeout_ms, closed);
}

char *t_raw(const char *bytes, size_t n, int timeout_ms, bool *closed)
{
	int fd = t_send(bytes, n);
	char *out = t_recv(fd, NULL, timeout_ms, closed);
	close(fd);
	return out;
}

const char *t_accept_language = "en";

t_resp t_http(const char *method, const char *path, const char *token, const char *const *extra,
              const char *body, size_t body_len)
{
	size_t cap = 1024 + 32 + (token ? strlen(token) : 0);
	for (const char *const *h = extra; h && *h; h++)
		cap += strlen(*h) + 2;
	char *req = malloc(cap + body_len);
	int n = snprintf(req, cap, "%s %s HTTP/1.1\r\nHost: test\r\nConnection: close\r\n", method, path);
	if (token)
		n += snprintf(req + n, cap - (size_t)n, "Authorization: Bearer %s\r\n", token);
	bool lang = false;
	for (const char *const *h = extra; h && *h; h++) {
		n += snprintf(req + n, cap - (size_t)n, "%s\r\n", *h);
		lang = lang || strncasecmp(*h, "Accept-Language:", 16) == 0;
	}
	if (!lang && t_accept_language)
		n += snprintf(req + n, cap - (size_t)n, "Accept-Language: %s\r\n", t_accept_language);
	if (body)
		n += snprintf(req + n, cap - (size_t)n, "Content-Length: %zu\r\n", body_len);
	n += snprintf(req + n, cap - (size_t)n, "\r\n");
	if (body)
		memcpy(req + n, body, body_len);
	int fd = t_send(req, (size_t)n + (body ? body_len : 0));
	free(req);
	size_t len;
	bool closed;
	char *all = read_all(fd, &len, 30000, &closed);
	close(fd);
	return t_parse(all, len);
}

t_resp t_parse(char *all, size_t len)
{
	t_resp r = { 0 };
	char *sep = strstr(all, "\r\n\r\n");
	if (strncmp(all, "HTTP/1.", 7) != 0 || !sep) {
		r.head = all;
		r.body = strdup("");
		return r;
	}
	r.status = atoi(all + 9);
	*sep = '\0';
	r.head = all;
	r.body_len = len - (size_t)(sep + 4 - all);
	r.body = malloc(r.body_len + 1);
	memcpy(r.body, sep + 4, r.body_len);
	r.body[r.body_len] = '\0';
	const char *ct = t_header(&r, "Content-Type");
	if (ct && strstr(ct, "json"))
		r.json = json_loadb(r.body, r.body_len, 0, NULL);
	return r;
}

t_resp t_get(const char *path, const char *token)
{
	return t_http("GET", path, token, NULL, NULL, 0);
}

t_resp t_post_json(const char *path, const char *token, const char *json)
{
	static const char *const ct[] = { "Content-Type: application/json", NULL };
	return t_http("POST", path, token, ct, json, strlen(json));
}

void t_resp_free(t_resp *r)
{
	free(r->head);
	free(r->body);
	json_decref(r->json);
	memset(r, 0, sizeof *r);
}

const char *t_header(const t_resp *r, const char *name)
{
	static char value[16384];
	size_t nl = strlen(name);
	for (const char *p = r->head ? strstr(r->head, "\r\n") : NULL; p; p = strstr(p + 2, "\r\n")) {
		const char *line = p + 2;
		if (strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
			const char *v = line + nl + 1;
			while (*v == ' ')
				v++;
			const char *end = strstr(v, "\r\n");
			size_t len = end ? (size_t)(end - v) : strlen(v);
			if (len >= sizeof value)
				len = sizeof value - 1;
			memcpy(value, v, len);
			value[len] = '\0';
			return value;
		}
	}
	return NULL;
}

long t_worker_of(const t_resp *r)
{
	const char *id = t_header(r, "X-Request-Id");
	return id ? strtol(id, NULL, 16) : -1;
}

bool t_is_problem(const t_resp *r, int status)
{
	const char *ct = t_header(r, "Content-Type");
	if (r->status != status || !ct || strcmp(ct, "application/problem+json") != 0 || !r->json)
		return false;
	json_t *s = json_object_get(r->json, "status");
	return json_is_integer(s) && json_integer_value(s) == status &&
	       json_is_string(json_object_get(r->json, "type")) &&
	       json_is_string(json_object_get(r->json, "title")) &&
	       json_is_string(json_object_get(r->json, "request_id"));
}

static char *b64url(const void *data, size_t n)
{
	size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = malloc(cap);
	sodium_bin2base64(out, cap, data, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

char *t_forge(const char *header_json, const char *claims_json, const char *key)
{
	cr_assert(sodium_init() >= 0);
	char *h = b64url(header_json, strlen(header_json));
	char *c = b64url(claims_json, strlen(claims_json));
	size_t n = strlen(h) + strlen(c) + 2;
	char *signing = malloc(n);
	snprintf(signing, n, "%s.%s", h, c);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)signing, strlen(signing));
	crypto_auth_hmacsha256_final(&st, mac);
	char *sig = b64url(mac, sizeof mac);
	size_t total = strlen(signing) + strlen(sig) + 2;
	char *tok = malloc(total);
	snprintf(tok, total, "%s.%s", signing, sig);
	free(h);
	free(c);
	free(signing);
	free(sig);
	return tok;
}

char *t_token(const char *role, const char *jur)
{
	static const char *const claim_of[][2] = { { "district_bureau", "district" },
	                                           { "industry_authority", "industry" },
	                                           { "unit", "unit" },
	                                           { "base", "base" },
	                                           { "person", "person" } };
	const char *claim = NULL;
	for (int i = 0; i < 5; i++)
		if (strcmp(role, claim_of[i][0]) == 0)
			claim = claim_of[i][1];
	long now = (long)time(NULL);
	char claims[1024];
	unsigned char rnd[8];
	randombytes_buf(rnd, sizeof rnd);
	int n = snprintf(claims, sizeof claims,
	                 "{\"iss\":\"jxjy\",\"aud\":\"jxjy-api\",\"sub\":\"test-%s\",\"role\":\"%s\","
	                 "\"iat\":%ld,\"exp\":%ld,\"jti\":\"t-%02x%02x%02x%02x%02x%02x%02x%02x\"",
	                 role, role, now, now + 600, rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5],
	                 rnd[6], rnd[7]);
	if (claim && jur)
		n += snprintf(claims + n, sizeof claims - (size_t)n, ",\"%s\":\"%s\"", claim, jur);
	snprintf(claims + n, sizeof claims - (size_t)n, "}");
	return t_forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, t_env("JXJY_JWT_SECRET"));
}

PGconn *t_db(void)
{
	PGconn *c = PQconnectdb(t_env("JXJY_TEST_DB"));
	cr_assert(PQstatus(c) == CONNECTION_OK, "cannot connect to the test database: %s",
	          PQerrorMessage(c));
	return c;
}

PGresult *t_sql(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
	cr_assert(st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK, "SQL failed: %s\n%s",
	          PQresultErrorMessage(r), sql);
	return r;
}

char *t_sql_value(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *r = t_sql(c, sql, n, params);
	char *v = (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) ? strdup(PQgetvalue(r, 0, 0)) : NULL;
	PQclear(r);
	return v;
}

void t_make_credit_code(char out[19], unsigned seed)
{
	cr_assert(t_ident_credit_code(out, seed) == 0);
}

void t_make_resident_id(char out[19], unsigned seed)
{
	cr_assert(t_ident_resident_id(out, seed) == 0);
}

int t_jxjyctl(const char *args, const char *input, char **out)
{
	char cmd[4096];
	char inpath[] = "/tmp/jxjyctl-in-XXXXXX";
	int infd = -1;
	if (input) {
		infd = mkstemp(inpath);
		cr_assert(infd >= 0);
		cr_assert(write(infd, input, strlen(input)) == (ssize_t)strlen(input));
		close(infd);
	}
	snprintf(cmd, sizeof cmd, "%s %s <%s 2>/dev/null", t_env("JXJYCTL"), args,
	         input ? inpath : "/dev/null");
	FILE *p = popen(cmd, "r");
	cr_assert(p);
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t r;
	while ((r = fread(buf + n, 1, cap - n - 1, p)) > 0) {
		n += r;
		if (n + 1 >= cap)
			buf = realloc(buf, cap *= 2);
	}
	buf[n] = '\0';
	int st = pclose(p);
	if (input)
		unlink(inpath);
	if (out)
		*out = buf;
	else
		free(buf);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ---- fixtures ------------------------------------------------------------ */

/* c, or a connection of its own (*own set) when c is NULL */
static PGconn *conn_or_own(PGconn *c, PGconn **own)
{
	*own = c ? NULL : t_db();
	return c ? c : *own;
}

char *t_sql1(const char *sql, int n, const char *const *params)
{
	PGconn *db = t_db();
	char *v = t_sql_value(db, sql, n, params);
	PQfinish(db);
	return v;
}

long t_sql_count(PGconn *c, const char *sql, int n, const char *const *params)
{
	char *v = c ? t_sql_value(c, sql, n, params) : t_sql1(sql, n, params);
	long count = v ? atol(v) : -1;
	free(v);
	return count;
}

void t_take_id(char out[40], char *id)
{
	cr_assert(id != NULL, "a fixture insert returned nothing");
	snprintf(out, 40, "%s", id);
	free(id);
}

/* An INSERT … ON CONFLICT DO NOTHING RETURNING id whose $1 is a fresh random
 * identifier made by make; a clash (no row) is retried. */
static char *insert_fresh(PGconn *c, void (*make)(char out[19], unsigned seed), const char *sql,
                          const char *p2, const char *p3, const char *what)
{
	PGconn *own, *db = conn_or_own(c, &own);
	char *id = NULL;
	for (int i = 0; i < 20 && !id; i++) {
		char ident[19];
		make(ident, randombytes_random());
		const char *p[] = { ident, p2, p3 };
		id = t_sql_value(db, sql, 3, p);
	}
	if (own)
		PQfinish(own);
	cr_assert(id != NULL, "could not create %s", what);
	return id;
}

char *t_new_unit(PGconn *c, const char *district, const char *industry)
{
	return insert_fresh(c, t_make_credit_code,
	                    "INSERT INTO jxjy.units (credit_code, name, kind, district, industry)"
	                    " VALUES ($1, '测试单位', 'enterprise', $2, COALESCE($3,"
	                    " (SELECT code FROM jxjy.industries ORDER BY code LIMIT 1)))"
	                    " ON CONFLICT (credit_code) DO NOTHING RETURNING id",
	                    district, industry, "a unit");
}

char *t_new_person(PGconn *c, const char *unit, const char *level)
{
	return insert_fresh(c, t_make_resident_id,
	                    "INSERT INTO jxjy.persons (national_id, name, unit, district, industry,"
	                    " title_level, cycle_start_year) SELECT $1, '李娜', u.id, u.district,"
	                    " u.industry, $3::jxjy.title_level, 2020 FROM jxjy.units u WHERE u.id = $2"
	                    " ON CONFLICT (national_id) DO NOTHING RETURNING id",
	                    unit, level, "a person");
}

char *t_new_base(PGconn *c, const char *level, const char *district, const char *status)
{
	PGconn *own, *db = conn_or_own(c, &own);
	char name[64];
	snprintf(name, sizeof name, "测试基地-%08x", randombytes_random());
	const char *p[] = { name, level, district, status };
	char *id = t_sql_value(db, "INSERT INTO jxjy.bases (name, level, district, status)"
	                           " VALUES ($1, $2::jxjy.base_level, $3, $4::jxjy.base_status)"
	                           " RETURNING id", 4, p);
	if (own)
		PQfinish(own);
	cr_assert(id != NULL, "could not create a base");
	return id;
}

/* ---- requests and responses --------------------------------------------- */

t_resp t_post_path(const char *token, const char *json, const char *fmt, const char *id)
{
	/* fmt holds one "%s" for the id (spliced, not a printf format) */
	char path[256];
	const char *mark = strstr(fmt, "%s");
	cr_assert(mark != NULL);
	snprintf(path, sizeof path, "%.*s%s%s", (int)(mark - fmt), fmt, id, mark + 2);
	return t_post_json(path, token, json);
}

t_resp t_post_idem(const char *path, const char *token, const char *json, const char *idem)
{
	char h[300];
	const char *hdr[] = { "Content-Type: application/json", idem ? h : NULL, NULL };
	if (idem)
		snprintf(h, sizeof h, "Idempotency-Key: %s", idem);
	return t_http("POST", path, token, json ? hdr : hdr + 1, json ? json : "",
	              json ? strlen(json) : 0);
}

static void read_until_closed(int fd, char *out, size_t cap)
{
	size_t n = 0;
	ssize_t k;
	while (n + 1 < cap && (k = read(fd, out + n, cap - 1 - n)) > 0)
		n += (size_t)k;
	out[n] = '\0';
	close(fd);
}

void t_race(const char *req1, size_t n1, const char *req2, size_t n2, char *out1, char *out2,
            size_t cap)
{
	int s1 = t_connect(), s2 = t_connect();
	cr_assert(s1 >= 0 && s2 >= 0);
	cr_assert_eq(write(s1, req1, n1), (ssize_t)n1);
	cr_assert_eq(write(s2, req2, n2), (ssize_t)n2);
	read_until_closed(s1, out1, cap);
	read_until_closed(s2, out2, cap);
}


const char *t_str(const t_resp *r, const char *key)
{
	return json_string_value(json_object_get(r->json, key));
}

bool t_has_error(const t_resp *r, const char *field, const char *code)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(r->json, "errors"), i, e) {
		const char *f = json_string_value(json_object_get(e, "field"));
		const char *c = json_string_value(json_object_get(e, "code"));
		if (f && !strcmp(f, field) && (!code || (c && !strcmp(c, code))))
			return true;
	}
	return false;
}

/* ---- time ---------------------------------------------------------------- */

int t_this_year(void)
{
	time_t t = time(NULL) + 8 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

/* read from /proc (tests/support/procs.c) */
char *t_worker_pids(long parent)
{
	long pids[64];
	int n = t_proc_children(parent, pids, 64);
	char *buf = calloc(1, 64 * 21 + 1);
	for (int i = 0; i < n; i++)
		sprintf(buf + strlen(buf), "%s%ld", i ? " " : "", pids[i]);
	return buf;
}

double t_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
