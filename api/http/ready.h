/*
 * Readiness shared by all workers (issue 11): an anonymous shared mapping
 * made by the supervisor before fork, as the metrics are.  Each worker
 * publishes in its slot whether its database pool has a connection up; the
 * supervisor says when the gateway is draining.  GET /readyz, whichever
 * worker serves it, is ready only when no live worker's slot says down and
 * the gateway is not draining.
 */
#ifndef JXJY_API_READY_H
#define JXJY_API_READY_H

#include <stdbool.h>

typedef struct api_ready api_ready;

#define API_READY_WORKERS 64

/* NULL when the mapping cannot be made.  Freed (unmapped) by
 * api_ready_free in the supervisor. */
api_ready *api_ready_new(int workers);
void api_ready_free(api_ready *s);

/* Supervisor, before forking worker i: its slot says "starting" (not
 * ready) until the worker registers, so a restarted worker never inherits
 * its predecessor's "up". */
void api_ready_starting(api_ready *s, int worker);
/* Supervisor, once worker i is reaped (or could not be forked); the
 * worker itself as it exits: the slot counts no more. */
void api_ready_gone(api_ready *s, int worker);
/* Worker i, first thing: its slot is pid's, down until its pool says up. */
void api_ready_register(api_ready *s, int worker, long pid);
/* Worker i's pool went up or down (db_config.on_state). */
void api_ready_set_db(api_ready *s, int worker, long pid, bool up);

/* Supervisor: the gateway is draining (SIGTERM); /readyz is 503 from now. */
void api_ready_drain(api_ready *s);
bool api_ready_draining(const api_ready *s);

/* -1 when every live worker has a database connection, else the index of
 * one that has not (or is still starting).  A slot whose process is gone
 * (not yet reaped by the supervisor) counts no more. */
int api_ready_worker_down(const api_ready *s);
#endif
