/* The poll of jxjy.revocations_since: a timer, one statement in flight at
 * most, the highest seq seen as the next call's argument. */
#include "http/revocations.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <event2/event.h>

#include "auth/revoked.h"
#include "http/alloc.h"
#include "http/log.h"
#include "http/worker.h"

struct api_revocations {
	api_worker *w;
	api_revoked *set;
	struct event *timer;
	long long seq;          /* the highest seq seen */
	char seq_s[24];         /* its text, the statement's parameter */
	const char *values[1];
	db_call call;
	bool ready, busy;
};

static void on_batch(db_conn *conn, db_result *const *res, int n, const db_error *err, void *arg)
{
	api_revocations *r = arg;
	r->busy = false;
	if (err->code != DB_OK) {
		db_conn_release(conn);
		log_warn(NULL, "worker %d: revocations not refreshed: %s", r->w->index, err->message);
		return;
	}
	int64_t now = (int64_t)time(NULL);
	const db_result *q = res[0];
	for (int i = 0; i < db_result_rows(q); i++) {
		long seq, exp;
		const char *jti;
		if (db_result_int(q, i, REVOCATIONS_SINCE_COL_SEQ, &seq) != 0 ||
		    db_result_str(q, i, REVOCATIONS_SINCE_COL_JTI, &jti) != 0 ||
		    db_result_int(q, i, REVOCATIONS_SINCE_COL_EXPIRES_AT, &exp) != 0)
			continue; /* logged by the accessor */
		api_revoked_add(r->set, jti, exp, now);
		if (seq > r->seq)
			r->seq = seq;
	}
	db_conn_release(conn);
	if (!r->ready)
		log_info(NULL, "worker %d: %zu revoked tokens loaded", r->w->index,
		         api_revoked_count(r->set));
	r->ready = true;
}

static void on_acquire(db_conn *conn, const db_error *err, void *arg)
{
	api_revocations *r = arg;
	if (!conn) {
		r->busy = false;
		return; /* the pool says why to the requests; the next tick retries */
	}
	snprintf(r->seq_s, sizeof r->seq_s, "%lld", r->seq);
	r->values[0] = r->seq_s;
	r->call = (db_call){ DB_STMT_REVOCATIONS_SINCE, r->values };
	if (db_conn_run(conn, &r->call, 1, on_batch, r) != DB_OK) {
		r->busy = false;
		db_conn_release(conn);
	}
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	api_revocations *r = arg;
	if (r->busy)
		return;
	r->busy = true;
	db_pool_acquire(r->w->pool, on_acquire, r);
}

api_revocations *api_revocations_start(api_worker *w)
{
	api_revocations *r = api_xcalloc(1, sizeof *r);
	r->w = w;
	r->set = api_revoked_new();
	r->timer = event_new(w->base, -1, EV_PERSIST, on_timer, r);
	struct timeval every = { 0, API_REVOCATIONS_POLL_MS * 1000 };
	if (!r->timer || event_add(r->timer, &every) != 0) {
		api_revocations_free(r);
		return NULL;
	}
	on_timer(-1, 0, r); /* the first load now */
	return r;
}

void api_revocations_free(api_revocations *r)
{
	if (!r)
		return;
	if (r->timer)
		event_free(r->timer);
	api_revoked_free(r->set);
	free(r);
}

bool api_revocations_ready(const api_revocations *r)
{
	return r && r->ready;
}

bool api_revocations_has(const api_revocations *r, const char *jti)
{
	return api_revoked_has(r->set, jti);
}
