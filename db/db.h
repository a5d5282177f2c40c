/*
 * db — the only code that talks to PostgreSQL.
 *
 * A bounded pool of nonblocking libpq connections driven by the caller's
 * libevent loop.  A request checks a connection out, runs one or more
 * batches of named statements on it (each batch travels in one round trip
 * in pipeline mode) and gives it back.  SQL text lives in the statement
 * registry (db/statements.def, one db/stmts/<resource>.def per resource),
 * each entry naming its result columns; values always travel as parameters.
 */
#ifndef JXJY_DB_H
#define JXJY_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "statements.h"

struct event_base;

#define DB_MUSTCHECK __attribute__((warn_unused_result))

typedef struct db_pool db_pool;
typedef struct db_conn db_conn;
typedef struct db_result db_result;

/* Expected failures; everything else is a programming error. */
enum {
	DB_OK = 0,
	DB_EUNAVAIL = -1, /* no connection to the database (down, lost, refused) */
	DB_EBUSY = -2,    /* pool exhausted and the wait queue full or timed out */
	DB_ESQL = -3,     /* the server refused a statement: see sqlstate */
	DB_EINVAL = -4,   /* bad use: too many statements in one batch, … */
	DB_EVALUE = -5,   /* a result value is NULL, malformed or out of range */
};

typedef struct db_error {
	int code;          /* DB_* */
	char sqlstate[6];  /* for DB_ESQL, else "" */
	int failed_index;  /* which call of the batch failed, -1 if none */
	char message[256]; /* server message: for logs only, never to clients */
	char constraint[64]; /* violated constraint name, if any */
	char column[64];     /* the column a JX422 refusal names (RAISE … COLUMN =) */
} db_error;

typedef struct db_config {
	const char *conninfo;   /* libpq connection string or URI */
	const char *user;       /* role to log in as (overrides conninfo), NULL: keep */
	const char *app_name;   /* application_name */
	int size;               /* connections in the pool */
	int max_waiting;        /* bounded FIFO of requests waiting for one */
	int wait_timeout_ms;    /* a waiter gives up after this */
	bool prepared;          /* named prepared statements (off behind PgBouncer) */
	/* Called (may be NULL) each time the pool goes from no connection up to
	 * at least one (up) and back (!up), from the loop, right as it happens;
	 * a new pool starts down and says nothing until its first connect. */
	void (*on_state)(bool up, void *arg);
	void *on_state_arg;
} db_config;

typedef struct db_pool_stats {
	int size, connected, in_use, waiting;
	uint64_t errors;       /* statements that failed, connections lost */
	uint64_t reconnects;
} db_pool_stats;

/* One statement of a batch.  values[i] NULL means SQL NULL. */
typedef struct db_call {
	db_stmt_id stmt;
	const char *const *values;
} db_call;

#define DB_BATCH_MAX 16

/* Called when a connection is available (err->code == DB_OK, conn set) or
 * not (conn NULL, err says why).  The callee owns the connection and must
 * release it with db_conn_release(). */
typedef void (*db_acquire_cb)(db_conn *conn, const db_error *err, void *arg);

/* Called when a batch has finished: results[i] belongs to calls[i] (borrowed:
 * valid until the callback returns or the next db_conn_run on this
 * connection); on error err->code != DB_OK and results of the calls after
 * the failed one are NULL. */
typedef void (*db_batch_cb)(db_conn *conn, db_result *const *results, int n,
                            const db_error *err, void *arg);

/* Creates a pool on base and starts connecting; *out is owned by the caller
 * and freed with db_pool_free.  Returns 0 or DB_EINVAL. */
DB_MUSTCHECK int db_pool_new(db_pool **out, struct event_base *base,
                             const db_config *cfg);
void db_pool_free(db_pool *pool);

/* The worker is stopping: every batch in flight ends now with DB_EUNAVAIL
 * (its callback runs before this returns), every waiter is refused, the
 * connections are closed and nothing reconnects; from now on
 * db_pool_acquire and db_conn_run refuse with DB_EUNAVAIL.  A connection
 * checked out between batches stays its owner's until released.
 * db_pool_free still frees the pool. */
void db_pool_cancel(db_pool *pool);

/* Asks for a connection.  The callback may run before this returns (a free
 * connection, or an immediate refusal).  Never blocks. */
void db_pool_acquire(db_pool *pool, db_acquire_cb cb, void *arg);

/* Gives a connection back.  A connection left inside a transaction is rolled
 * back asynchronously before it is reused; a broken one is reconnected. */
void db_conn_release(db_conn *conn);

/* Sends n calls in one pipeline followed by a sync (one implicit
 * transaction unless the batch opens one with DB_STMT_BEGIN).  Returns 0 and
 * later calls cb exactly once, or returns a DB_* error without calling cb. */
DB_MUSTCHECK int db_conn_run(db_conn *conn, const db_call *calls, int n,
                             db_batch_cb cb, void *arg);

/* True when the connection is inside an open (or failed) transaction. */
bool db_conn_in_transaction(const db_conn *conn);

void db_pool_get_stats(const db_pool *pool, db_pool_stats *out);

/* Whether at least one connection of the pool is up (/readyz asks the
 * schema version itself). */
bool db_pool_is_up(const db_pool *pool);

/* Result accessors (borrowed pointers into the result). */
int db_result_rows(const db_result *r);
int db_result_cols(const db_result *r);
const char *db_result_value(const db_result *r, int row, int col); /* NULL for SQL NULL */
int db_result_length(const db_result *r, int row, int col);
bool db_result_is_null(const db_result *r, int row, int col);
const char *db_result_column_name(const db_result *r, int col);
/* Rows changed by an INSERT/UPDATE/DELETE, -1 when unknown. */
long db_result_affected(const db_result *r);

/* Typed accessors: col is a column number of the statement, <ID>_COL_<NAME>
 * (statements.h).  Each returns 0 and sets *out, or DB_EVALUE — a NULL where
 * a value is required, a malformed value, row or col out of range, no result
 * — after logging one line to stderr that names the statement, row, column
 * and why; *out is then left untouched.  Strings are borrowed from the
 * result. */
/* text; SQL NULL is an error */
DB_MUSTCHECK int db_result_str(const db_result *res, int row, int col, const char **out);
/* text or NULL: SQL NULL sets *out = NULL and returns 0 */
DB_MUSTCHECK int db_result_str_opt(const db_result *res, int row, int col, const char **out);
/* a base-10 integer, the whole value, within the range of long */
DB_MUSTCHECK int db_result_int(const db_result *res, int row, int col, long *out);
/* PostgreSQL's boolean "t" or "f" */
DB_MUSTCHECK int db_result_bool(const db_result *res, int row, int col, bool *out);
/* hours as tenths (12.5 h -> 125): a numeric as PostgreSQL prints it
 * ("12", "12.5", "12.50", "-4.0") with at most one significant decimal;
 * more precision, junk or more than INT32_MAX tenths is an error */
DB_MUSTCHECK int db_result_hours(const db_result *res, int row, int col, int32_t *out);

/* Maps a pool error to a hint for the edge; true for transient errors that a
 * client should retry (503). */
bool db_error_is_unavailable(const db_error *err);
/* True for serialization failures and deadlocks: rerun the transaction. */
bool db_error_is_retryable(const db_error *err);

#endif
