/* The route table (routes.c) and its matcher. */
#ifndef JXJY_API_ROUTER_H
#define JXJY_API_ROUTER_H

#include "http/request.h"

extern const api_route api_routes[];
extern const int api_routes_count;

typedef enum { API_MATCH_OK, API_MATCH_NO_PATH, API_MATCH_NO_METHOD } api_match_result;

/* Finds the route for method and path; fills params (pointers into the
 * arena) and returns API_MATCH_OK, or says whether the path is unknown (404)
 * or only the method (405).  *allowed gets the methods of the path. */
api_match_result api_route_match(const api_route **out, api_arena *mem, int method,
                                 const char *path, const char **params, int *nparams,
                                 int *allowed);

/* The largest body a route takes (API.md, second wave): 16 KiB on
 * unauthenticated routes, 16 MiB on bulk ones, else 1 MiB; route NULL (no
 * such resource): the smallest.  *text says it ("the body exceeds 1 MiB"). */
size_t api_route_body_max(const api_route *route, const char **text);

/* Index of a route in the table (for metrics). */
int api_route_index(const api_route *route);
#endif
