/*
 * Metrics shared by all workers (an anonymous shared mapping made before
 * fork; counters are updated with atomic adds) and rendered in Prometheus
 * text format by whichever worker serves GET /metrics.
 */
#ifndef JXJY_API_METRICS_H
#define JXJY_API_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

typedef struct api_metrics api_metrics;
typedef struct api_route api_route;
struct evbuffer;

#define API_METRICS_ROUTES 128
#define API_METRICS_WORKERS 64

/* routes: the route table (labels of the per-route series), borrowed for
 * the life of the metrics (it is static). */
api_metrics *api_metrics_new(int workers, const api_route *routes, int nroutes);
void api_metrics_free(api_metrics *m);

/* route: index in the table, or -1 for requests that matched none. */
void api_metrics_request(api_metrics *m, int route, int status, uint64_t duration_ns);
void api_metrics_pool(api_metrics *m, int worker, const db_pool_stats *s);
void api_metrics_render(api_metrics *m, struct evbuffer *out);
#endif
