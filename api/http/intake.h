/*
 * A request's way in, before its operation runs: the headers we rely on,
 * the route, the token and the role, the body; then api_req_dispatch
 * (http/idempotency.h).  Each refusal is answered here (400, 401, 403, 404,
 * 405, 413, 415).
 */
#ifndef JXJY_API_INTAKE_H
#define JXJY_API_INTAKE_H

struct evhttp_request;

/* evhttp's request callback (evhttp_set_gencb); arg is the api_worker. */
void api_intake_request(struct evhttp_request *ev, void *arg);
#endif
