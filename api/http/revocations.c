/* The poll of jxjy.revocations_since and jxjy.account_states_since: a
 * timer, one round trip in flight at most, the highest seq of each seen as
 * the next call's arguments. */
#include "http/revocations.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <event2/event.h>

#include "auth/keytab.h"
#include "http/alloc.h"
#include "http/log.h"
#include "http/worker.h"

/* an account's value in the table: its tokens issued before this second
 * are refused; a disabled account refuses them all */
#define DISABLED_CUTOFF INT64_MAX

struct api_revocations {
	api_worker *w;
	api_keytab *jtis;     /* jti → expiry (Unix seconds) */
	api_keytab *accounts; /* account id → cut-off */
	struct event *timer;
	long long seq, account_seq; /* the highest seqs seen */
	char seq_s[24], account_seq_s[24]; /* their texts, the statements' parameters */
	const char *values[1], *account_values[1];
	db_call calls[2];
	bool ready, busy;
};

static void load_jtis(api_revocations *r, const db_result *q)
{
	int64_t now = (int64_t)time(NULL);
	for (int i = 0; i < db_result_rows(q); i++) {
		long seq, exp;
		const char *jti;
		if (db_result_int(q, i, REVOCATIONS_SINCE_COL_SEQ, &seq) != 0 ||
		    db_result_str(q, i, REVOCATIONS_SINCE_COL_JTI, &jti) != 0 ||
		    db_result_int(q, i, REVOCATIONS_SINCE_COL_EXPIRES_AT, &exp) != 0)
			continue; /* logged by the accessor */
		/* an expired jti goes when the table grows: its token is refused
		 * by verification anyway */
		api_keytab_put(r->jtis, jti, exp, true, now + 1);
		if (seq > r->seq)
			r->seq = seq;
	}
}

static void load_accounts(api_revocations *r, const db_result *q)
{
	for (int i = 0; i < db_result_rows(q); i++) {
		long seq, after;
		const char *id;
		bool disabled;
		if (db_result_int(q, i, ACCOUNT_STATES_SINCE_COL_SEQ, &seq) != 0 ||
		    db_result_str(q, i, ACCOUNT_STATES_SINCE_COL_ACCOUNT, &id) != 0 ||
		    db_result_bool(q, i, ACCOUNT_STATES_SINCE_COL_DISABLED, &disabled) != 0 ||
		    db_result_int(q, i, ACCOUNT_STATES_SINCE_COL_TOKENS_AFTER, &after) != 0)
			continue;
		/* the row is the account's state now: it replaces what was held
		 * (1: nothing refused, 0 is the table's empty) */
		int64_t cutoff = disabled ? DISABLED_CUTOFF : after > 0 ? (int64_t)after : 1;
		api_keytab_put(r->accounts, id, cutoff, false, INT64_MIN);
		if (seq > r->account_seq)
			r->account_seq = seq;
	}
}

static void on_batch(db_conn *conn, db_result *const *res, int n, const db_error *err, void *arg)
{
	api_revocations *r = arg;
	r->busy = false;
	if (err->code != DB_OK) {
		db_conn_release(conn);
		log_warn(NULL, "worker %d: revocations not refreshed: %s", r->w->index, err->message);
		return;
	}
	load_jtis(r, res[0]);
	load_accounts(r, res[1]);
	db_conn_release(conn);
	if (!r->ready)
		log_info(NULL, "worker %d: %zu revoked tokens and %zu account states loaded", r->w->index,
		         api_keytab_count(r->jtis), api_keytab_count(r->accounts));
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
	snprintf(r->account_seq_s, sizeof r->account_seq_s, "%lld", r->account_seq);
	r->values[0] = r->seq_s;
	r->account_values[0] = r->account_seq_s;
	r->calls[0] = (db_call){ DB_STMT_REVOCATIONS_SINCE, r->values };
	r->calls[1] = (db_call){ DB_STMT_ACCOUNT_STATES_SINCE, r->account_values };
	if (db_conn_run(conn, r->calls, 2, on_batch, r) != DB_OK) {
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
	r->jtis = api_keytab_new();
	r->accounts = api_keytab_new();
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
	api_keytab_free(r->jtis);
	api_keytab_free(r->accounts);
	free(r);
}

bool api_revocations_ready(const api_revocations *r)
{
	return r && r->ready;
}

bool api_revocations_refuse(const api_revocations *r, const api_claims *c)
{
	if (api_keytab_get(r->jtis, c->jti) != 0)
		return true;
	int64_t cutoff = api_keytab_get(r->accounts, c->sub);
	return cutoff != 0 && c->iat < cutoff;
}
