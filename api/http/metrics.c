#include "http/metrics.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <event2/buffer.h>

#include "http/request.h"

static const int statuses[] = { 200, 201, 204, 400, 401, 403, 404, 405, 409, 412,
                                 413, 415, 422, 429, 431, 500, 503 };
#define NSTATUS ((int)(sizeof statuses / sizeof statuses[0]))
#define STATUS_OTHER NSTATUS

/* seconds */
static const double buckets[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 };
#define NBUCKET ((int)(sizeof buckets / sizeof buckets[0]))

typedef struct route_stats {
	uint64_t by_status[NSTATUS + 1];
	uint64_t hist[NBUCKET + 1]; /* last: +Inf */
	uint64_t sum_ns;
} route_stats;

typedef struct pool_slot {
	int64_t size, connected, in_use, waiting;
	uint64_t errors, reconnects;
} pool_slot;

struct api_metrics {
	int workers;
	const api_route *route_table;
	int nroutes;
	route_stats routes[API_METRICS_ROUTES + 1]; /* last: unmatched */
	pool_slot pools[API_METRICS_WORKERS];
};

api_metrics *api_metrics_new(int workers, const api_route *routes, int nroutes)
{
	void *p = mmap(NULL, sizeof(api_metrics), PROT_READ | PROT_WRITE,
	               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	api_metrics *m = p;
	memset(m, 0, sizeof *m);
	m->workers = workers > API_METRICS_WORKERS ? API_METRICS_WORKERS : workers;
	m->route_table = routes;
	m->nroutes = nroutes;
	return m;
}

void api_metrics_free(api_metrics *m)
{
	if (m)
		munmap(m, sizeof *m);
}

static int status_slot(int status)
{
	for (int i = 0; i < NSTATUS; i++)
		if (statuses[i] == status)
			return i;
	return STATUS_OTHER;
}

void api_metrics_request(api_metrics *m, int route, int status, uint64_t ns)
{
	if (!m)
		return;
	if (route < 0 || route >= API_METRICS_ROUTES)
		route = API_METRICS_ROUTES;
	route_stats *rs = &m->routes[route];
	__atomic_add_fetch(&rs->by_status[status_slot(status)], 1, __ATOMIC_RELAXED);
	double s = (double)ns / 1e9;
	int b = 0;
	while (b < NBUCKET && s > buckets[b])
		b++;
	__atomic_add_fetch(&rs->hist[b], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&rs->sum_ns, ns, __ATOMIC_RELAXED);
}

void api_metrics_pool(api_metrics *m, int worker, const db_pool_stats *s)
{
	if (!m || worker < 0 || worker >= API_METRICS_WORKERS)
		return;
	pool_slot *p = &m->pools[worker];
	__atomic_store_n(&p->size, s->size, __ATOMIC_RELAXED);
	__atomic_store_n(&p->connected, s->connected, __ATOMIC_RELAXED);
	__atomic_store_n(&p->in_use, s->in_use, __ATOMIC_RELAXED);
	__atomic_store_n(&p->waiting, s->waiting, __ATOMIC_RELAXED);
	__atomic_store_n(&p->errors, s->errors, __ATOMIC_RELAXED);
	__atomic_store_n(&p->reconnects, s->reconnects, __ATOMIC_RELAXED);
}

static const char *route_label(const api_metrics *m, int i)
{
	return i < m->nroutes ? m->route_table[i].pattern : "unmatched";
}

void api_metrics_render(api_metrics *m, struct evbuffer *out)
{
	evbuffer_add_printf(out, "# HELP jxjy_http_requests_total HTTP requests by route and status.\n"
	                         "# TYPE jxjy_http_requests_total counter\n");
	int nroutes = m->nroutes < API_METRICS_ROUTES ? m->nroutes : API_METRICS_ROUTES;
	for (int i = 0; i <= API_METRICS_ROUTES; i++) {
		if (i >= nroutes && i != API_METRICS_ROUTES)
			continue;
		route_stats *rs = &m->routes[i];
		for (int s = 0; s <= NSTATUS; s++) {
			uint64_t v = __atomic_load_n(&rs->by_status[s], __ATOMIC_RELAXED);
			if (!v)
				continue;
			if (s == STATUS_OTHER)
				evbuffer_add_printf(out, "jxjy_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
				                    route_label(m, i), (unsigned long long)v);
			else
				evbuffer_add_printf(out, "jxjy_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
				                    route_label(m, i), statuses[s], (unsigned long long)v);
		}
	}
	evbuffer_add_printf(out, "# HELP jxjy_http_request_duration_seconds Request latency.\n"
	                         "# TYPE jxjy_http_request_duration_seconds histogram\n");
	for (int i = 0; i <= API_METRICS_ROUTES; i++) {
		if (i >= nroutes && i != API_METRICS_ROUTES)
			continue;
		route_stats *rs = &m->routes[i];
		uint64_t cum = 0;
		for (int b = 0; b <= NBUCKET; b++)
			cum += __atomic_load_n(&rs->hist[b], __ATOMIC_RELAXED);
		if (!cum)
			continue;
		uint64_t acc = 0;
		for (int b = 0; b < NBUCKET; b++) {
			acc += __atomic_load_n(&rs->hist[b], __ATOMIC_RELAXED);
			evbuffer_add_printf(out,
				"jxjy_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
				route_label(m, i), buckets[b], (unsigned long long)acc);
		}
		evbuffer_add_printf(out,
			"jxjy_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
			"jxjy_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
			"jxjy_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
			route_label(m, i), (unsigned long long)cum, route_label(m, i),
			(double)__atomic_load_n(&rs->sum_ns, __ATOMIC_RELAXED) / 1e9, route_label(m, i),
			(unsigned long long)cum);
	}
	static const char *const gauges[] = { "size", "connected", "in_use", "waiting" };
	for (int g = 0; g < 4; g++) {
		evbuffer_add_printf(out, "# HELP jxjy_db_pool_%s Database pool %s per worker.\n"
		                         "# TYPE jxjy_db_pool_%s gauge\n", gauges[g], gauges[g], gauges[g]);
		for (int w = 0; w < m->workers; w++) {
			pool_slot *p = &m->pools[w];
			int64_t v = g == 0 ? p->size : g == 1 ? p->connected : g == 2 ? p->in_use : p->waiting;
			evbuffer_add_printf(out, "jxjy_db_pool_%s{worker=\"%d\"} %lld\n", gauges[g], w,
			                    (long long)__atomic_load_n(&v, __ATOMIC_RELAXED));
		}
	}
	evbuffer_add_printf(out, "# HELP jxjy_db_errors_total Failed statements and lost connections.\n"
	                         "# TYPE jxjy_db_errors_total counter\n");
	for (int w = 0; w < m->workers; w++)
		evbuffer_add_printf(out, "jxjy_db_errors_total{worker=\"%d\"} %llu\n", w,
		                    (unsigned long long)__atomic_load_n(&m->pools[w].errors, __ATOMIC_RELAXED));
	evbuffer_add_printf(out, "# HELP jxjy_db_connects_total Successful database connects.\n"
	                         "# TYPE jxjy_db_connects_total counter\n");
	for (int w = 0; w < m->workers; w++)
		evbuffer_add_printf(out, "jxjy_db_connects_total{worker=\"%d\"} %llu\n", w,
		                    (unsigned long long)__atomic_load_n(&m->pools[w].reconnects, __ATOMIC_RELAXED));
}
