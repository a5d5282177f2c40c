/*
 * API.md: a POST that carries an Idempotency-Key runs once.  The key is
 * scoped to the caller and bound to a hash of what was asked; a repeat gets
 * the first response again (Idempotent-Replayed: true), a key still running
 * 409, a key reused for another request 422.
 */
#ifndef JXJY_API_IDEMPOTENCY_H
#define JXJY_API_IDEMPOTENCY_H

typedef struct api_req api_req;

/* Runs the route's operation (http/op.h: its checks, then its handler),
 * after the Idempotency-Key step for authenticated POSTs that carry one.
 * The request's restart hook: a transaction that lost a serialization race
 * runs again from here. */
void api_req_dispatch(api_req *r);
#endif
