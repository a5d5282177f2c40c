/*
 * Durability through a crash of PostgreSQL (issue 11).  1 000 concurrent
 * POST /v1/records, each with its own Idempotency-Key; the postmaster is
 * killed (SIGKILL) while they are in flight and started again (crash
 * recovery).  Then every 201 must be in the database exactly once, and
 * every key retried with the same body must create nothing twice: API.md
 * says the same key with the same body replays the first response, so an
 * acknowledged key must answer its first 201 again (Idempotent-Replayed, the
 * same id), and a key whose first try was lost must be registered once.
 *
 * Environment (tests/fault/run): JXJY_FAULT_ADDR the gateway under test,
 * JXJY_FAULT_TOKEN a city bureau's token, JXJY_TEST_DB, JXJY_TEST_PGDIR,
 * JXJY_TEST_PGBIN; JXJY_TEST_ADDR (optional) another gateway on the same
 * database that must recover too; JXJY_FAULT_REQUESTS (1000) and
 * JXJY_FAULT_KILL_AFTER (answers before the kill, 200).
 *
 * Prints "durability: acknowledged=N lost=L duplicated=D retried=M" and
 * exits 1 when L or D (or a key left unsettled) is not 0.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "fault.h"
#include "procs.h"

#define PERSONS 25
#define MAX_CHILDREN 512

typedef struct key_state {
	char key[48];
	char acked[40];  /* the id of the first pass's 201, "" when it got none */
	char final[40];  /* the id of the retry's 201, "" when it got none */
	bool replayed;   /* the retry's 201 was a replay */
	int rows;        /* records carrying the key (evidence) afterwards */
} key_state;

typedef struct killer {
	size_t after;        /* answers before the kill */
	pid_t postmaster;
	long children[MAX_CHILDREN];
	int nchildren;
	size_t in_flight;    /* unanswered requests when the kill was sent */
	bool done;
} killer;

static long env_long(const char *name, long dflt)
{
	const char *v = getenv(name);
	return v && *v ? strtol(v, NULL, 10) : dflt;
}

/* The pid on the first line of a PostgreSQL lock file, 0 when none. */
static pid_t lock_pid(const char *path)
{
	FILE *f = fopen(path, "r");
	long pid = 0;
	if (f) {
		if (fscanf(f, "%ld", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	return (pid_t)pid;
}

static pid_t postmaster_pid(void)
{
	char path[512];
	snprintf(path, sizeof path, "%s/data/postmaster.pid", fault_env("JXJY_TEST_PGDIR"));
	return lock_pid(path);
}

/* Removes the lock files (the data directory's, the sockets') that name the
 * dead postmaster: here nobody reaps the orphaned zombie, and kill(pid, 0)
 * answers for a zombie, so PostgreSQL would take it for a live server. */
static void drop_locks(pid_t dead)
{
	const char *dir = fault_env("JXJY_TEST_PGDIR");
	char path[1024];
	snprintf(path, sizeof path, "%s/data/postmaster.pid", dir);
	if (lock_pid(path) == dead)
		unlink(path);
	snprintf(path, sizeof path, "%s/run", dir);
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, ".s.PGSQL.", 9) != 0 || len < 5 || strcmp(e->d_name + len - 5, ".lock"))
			continue;
		snprintf(path, sizeof path, "%s/run/%s", dir, e->d_name);
		if (lock_pid(path) == dead)
			unlink(path);
	}
	if (d)
		closedir(d);
}

/* The batch's progress hook: SIGKILL to the postmaster once enough answers
 * are in, the rest of the batch still in flight. */
static void maybe_kill(size_t answered, size_t total, void *arg)
{
	killer *k = arg;
	if (k->done || answered < k->after)
		return;
	k->done = true;
	k->postmaster = postmaster_pid();
	if (k->postmaster <= 0) {
		fprintf(stderr, "durability: no postmaster.pid to kill\n");
		return;
	}
	/* its children (backends, checkpointer, …) become orphans that go on
	 * until they notice, holding the shared memory a new postmaster refuses
	 * to share: restart() waits for them */
	k->nchildren = t_proc_children(k->postmaster, k->children, MAX_CHILDREN);
	if (kill(k->postmaster, SIGKILL) != 0) {
		fprintf(stderr, "durability: could not kill the postmaster: %s\n", strerror(errno));
		k->postmaster = 0;
		return;
	}
	k->in_flight = total - answered;
}

/* A clean start after the kill: wait for the orphans, drop the locks of the
 * dead postmaster, then pg_ctl start, which replays the WAL. */
static bool restart(const killer *k)
{
	double until = fault_now_s() + 30;
	bool any = true;
	while (any && fault_now_s() < until) {
		any = t_proc_alive(k->postmaster);
		for (int i = 0; i < k->nchildren && !any; i++)
			any = t_proc_alive(k->children[i]);
		if (any)
			usleep(50000);
	}
	if (any) {
		fprintf(stderr, "durability: PostgreSQL's processes outlived the postmaster by 30 s\n");
		return false;
	}
	const char *dir = fault_env("JXJY_TEST_PGDIR");
	char cmd[1536];
	drop_locks(k->postmaster);
	snprintf(cmd, sizeof cmd, "%s %s/pg_ctl -D %s/data -l %s/postgresql.log -w -t 60 start >/dev/null",
	         getuid() == 0 ? "runuser -u postgres --" : "", fault_env("JXJY_TEST_PGBIN"), dir, dir);
	if (system(cmd) == 0)
		return true;
	snprintf(cmd, sizeof cmd, "tail -n 20 %s/postgresql.log >&2", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "durability: no PostgreSQL log to show\n");
	return false;
}

static char *record_request(const key_state *k, const char *person, int j, const char *token)
{
	char body[512], extra[160];
	size_t len;
	/* distinct hours per person: never a duplicate of another key's record */
	snprintf(body, sizeof body,
	         "{\"person\":\"%s\",\"year\":2024,\"start_date\":\"2024-05-06\",\"end_date\":\"2024-05-06\","
	         "\"category\":\"public\",\"form\":\"training_class\",\"class_type\":\"part_time\","
	         "\"hours\":%d.%d,\"evidence\":\"%s\"}",
	         person, 1 + j / 10, j % 10, k->key);
	snprintf(extra, sizeof extra, "Content-Type: application/json\r\nIdempotency-Key: %s\r\n", k->key);
	return fault_request_new("POST", "/v1/records", token, extra, body, &len);
}

/* Retries, in rounds, every key that has no 201 yet (all of them the first
 * time): 5xx, no answer and 409 (still running) are tried again. */
static long retry_all(key_state *keys, fault_req *reqs, size_t n, const char *addr)
{
	long sent = 0;
	fault_req *batch = calloc(n, sizeof *batch);
	size_t *which = calloc(n, sizeof *which);
	bool *settled = calloc(n, sizeof *settled);
	for (int round = 0; round < 5; round++) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++) {
			if (settled[i])
				continue;
			batch[m] = (fault_req){ .request = reqs[i].request, .request_len = reqs[i].request_len };
			which[m++] = i;
		}
		if (m == 0)
			break;
		if (round > 0)
			sleep(1);
		fault_batch_run(batch, m, addr, 60, NULL, NULL);
		sent += (long)m;
		for (size_t b = 0; b < m; b++) {
			key_state *k = &keys[which[b]];
			int st = batch[b].status;
			if (st == 201) {
				memcpy(k->final, batch[b].id, sizeof k->final);
				k->replayed = batch[b].replayed;
			}
			settled[which[b]] = st != 0 && st < 500 && st != 409;
			if (st != 201 && settled[which[b]])
				fprintf(stderr, "durability: retry of %s: %d %s\n", k->key, st,
				        batch[b].in ? batch[b].in : "");
			free(batch[b].in);
		}
	}
	free(batch);
	free(which);
	free(settled);
	return sent;
}

/* Counts, from the database: the 201s whose id is missing (lost), and the
 * records of every key (rows). */
static int check_db(key_state *keys, size_t n, const char *prefix, long *lost)
{
	PGconn *db = PQconnectdb(fault_env("JXJY_TEST_DB"));
	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "durability: %s", PQerrorMessage(db));
		PQfinish(db);
		return -1;
	}
	/* the id a 201 named for each key (the first pass's, else the retry's) */
	size_t cap = n * 100 + 8;
	char *ids = malloc(cap), *ks = malloc(cap);
	size_t a = 0, b = 0;
	ids[a++] = '{';
	ks[b++] = '{';
	for (size_t i = 0; i < n; i++) {
		const char *named = keys[i].acked[0] ? keys[i].acked : keys[i].final;
		if (!named[0])
			continue;
		a += (size_t)snprintf(ids + a, cap - a, "%s%s", a > 1 ? "," : "", named);
		b += (size_t)snprintf(ks + b, cap - b, "%s%s", b > 1 ? "," : "", keys[i].key);
	}
	snprintf(ids + a, cap - a, "}");
	snprintf(ks + b, cap - b, "}");
	const char *p[] = { ids, ks };
	PGresult *r = PQexecParams(db, "SELECT count(*) FROM unnest($1::uuid[], $2::text[]) a(id, key)"
	                               " WHERE NOT EXISTS (SELECT 1 FROM jxjy.records r"
	                               "  WHERE r.id = a.id AND r.evidence = a.key)",
	                           2, NULL, p, NULL, NULL, 0);
	int rc = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : -1;
	if (rc == 0)
		*lost = atol(PQgetvalue(r, 0, 0));
	PQclear(r);
	const char *q[] = { prefix };
	r = PQexecParams(db, "SELECT evidence, count(*) FROM jxjy.records WHERE starts_with(evidence, $1)"
	                     " GROUP BY evidence", 1, NULL, q, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = -1;
	for (int row = 0; rc == 0 && row < PQntuples(r); row++) {
		size_t i = (size_t)atol(PQgetvalue(r, row, 0) + strlen(prefix));
		if (i < n)
			keys[i].rows = atoi(PQgetvalue(r, row, 1));
	}
	if (rc != 0)
		fprintf(stderr, "durability: %s", PQerrorMessage(db));
	PQclear(r);
	PQfinish(db);
	free(ids);
	free(ks);
	return rc;
}

int main(void)
{
	const char *addr = fault_env("JXJY_FAULT_ADDR"), *token = fault_env("JXJY_FAULT_TOKEN");
	setvbuf(stdout, NULL, _IOLBF, 0);
	size_t n = (size_t)env_long("JXJY_FAULT_REQUESTS", 1000);
	killer k = { .after = (size_t)env_long("JXJY_FAULT_KILL_AFTER", 200) };
	if (n < 1 || n > PERSONS * 230 || k.after >= n) {
		fprintf(stderr, "durability: JXJY_FAULT_REQUESTS 1–%d, JXJY_FAULT_KILL_AFTER below it\n",
		        PERSONS * 230);
		return 2;
	}
	char unit[40], persons[PERSONS][40], prefix[32];
	if (!fault_fixtures(addr, token, unit, persons, PERSONS))
		return 1;
	unsigned run;
	if (getrandom(&run, sizeof run, 0) != sizeof run)
		return 1;
	snprintf(prefix, sizeof prefix, "fault-%08x-", run);
	key_state *keys = calloc(n, sizeof *keys);
	fault_req *reqs = calloc(n, sizeof *reqs);
	for (size_t i = 0; i < n; i++) {
		snprintf(keys[i].key, sizeof keys[i].key, "%s%zu", prefix, i);
		reqs[i].request = record_request(&keys[i], persons[i % PERSONS], (int)(i / PERSONS), token);
		reqs[i].request_len = strlen(reqs[i].request);
	}

	double t0 = fault_now_s();
	fault_batch_run(reqs, n, addr, 60, maybe_kill, &k);
	int first[4] = { 0 }; /* 201, 503, no answer, other */
	for (size_t i = 0; i < n; i++) {
		int st = reqs[i].status;
		first[st == 201 ? 0 : st == 503 ? 1 : st == 0 ? 2 : 3]++;
		if (st == 201)
			memcpy(keys[i].acked, reqs[i].id, sizeof keys[i].acked);
		free(reqs[i].in);
		reqs[i].in = NULL;
		reqs[i].in_cap = 0;
	}
	printf("durability: %zu requests in %.1f s: 201=%d 503=%d unanswered=%d other=%d;"
	       " postmaster killed after %zu answers, %zu in flight\n",
	       n, fault_now_s() - t0, first[0], first[1], first[2], first[3], k.after, k.in_flight);
	if (!k.postmaster || k.in_flight == 0 || first[0] == 0) {
		fprintf(stderr, "durability: the kill did not land while requests were in flight\n");
		return 1;
	}
	if (!restart(&k)) {
		fprintf(stderr, "durability: PostgreSQL did not start again\n");
		return 1;
	}
	const char *other = getenv("JXJY_TEST_ADDR");
	if (!fault_wait_ready(addr, 30) || (other && *other && !fault_wait_ready(other, 30))) {
		fprintf(stderr, "durability: a gateway did not become ready after the restart\n");
		return 1;
	}

	long sent = retry_all(keys, reqs, n, addr);
	long lost = 0, duplicated = 0, unsettled = 0, not_replayed = 0, replayed = 0, hidden = 0;
	if (check_db(keys, n, prefix, &lost) != 0)
		return 1;
	for (size_t i = 0; i < n; i++) {
		key_state *s = &keys[i];
		/* a second record, or a retry that named another record than the first 201 */
		if (s->rows > 1 || (s->acked[0] && s->final[0] && strcmp(s->acked, s->final) != 0))
			duplicated++;
		unsettled += !s->final[0];
		not_replayed += s->acked[0] && !(s->final[0] && s->replayed);
		replayed += s->final[0] && s->replayed;
		hidden += !s->acked[0] && s->replayed; /* committed, but the crash took the answer */
	}
	printf("durability: %ld retries: replayed=%ld (committed but unanswered before: %ld)"
	       " created=%ld unsettled=%ld acknowledged-but-not-replayed=%ld\n",
	       sent, replayed, hidden, (long)n - unsettled - replayed, unsettled, not_replayed);
	printf("durability: acknowledged=%d lost=%ld duplicated=%ld retried=%zu\n", first[0], lost,
	       duplicated, n);
	for (size_t i = 0; i < n; i++)
		fault_req_dispose(&reqs[i]);
	free(reqs);
	free(keys);
	return lost || duplicated || unsettled || not_replayed ? 1 : 0;
}
