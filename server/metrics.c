#include "metrics.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERIES 128

static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
#define N_BUCKETS (sizeof(buckets) / sizeof(buckets[0]))

typedef struct series {
	const char *route;
	unsigned status;
	unsigned long long count;
} series;

struct vg_metrics {
	pthread_mutex_t mu;
	series counts[MAX_SERIES];
	size_t n;
	unsigned long long bucket[N_BUCKETS];
	unsigned long long observations;
	double sum;
};

vg_metrics *vg_metrics_new(void)
{
	vg_metrics *m = calloc(1, sizeof(*m));
	if (m)
		pthread_mutex_init(&m->mu, NULL);
	return m;
}

void vg_metrics_free(vg_metrics *m)
{
	if (!m)
		return;
	pthread_mutex_destroy(&m->mu);
	free(m);
}

void vg_metrics_record(vg_metrics *m, const char *route, unsigned status, double seconds)
{
	pthread_mutex_lock(&m->mu);
	size_t i;
	for (i = 0; i < m->n; i++)
		if (m->counts[i].status == status && strcmp(m->counts[i].route, route) == 0)
			break;
	if (i == m->n && m->n < MAX_SERIES) {
		m->counts[i].route = route;
		m->counts[i].status = status;
		m->n++;
	}
	if (i < m->n)
		m->counts[i].count++;
	for (size_t b = 0; b < N_BUCKETS; b++)
		if (seconds <= buckets[b])
			m->bucket[b]++;
	m->observations++;
	m->sum += seconds;
	pthread_mutex_unlock(&m->mu);
}

void vg_metrics_write(vg_metrics *m, vg_strbuf *out)
{
	pthread_mutex_lock(&m->mu);
	vg_strbuf_puts(out, "# HELP vigie_http_requests_total HTTP requests by route and status.\n"
	                    "# TYPE vigie_http_requests_total counter\n");
	for (size_t i = 0; i < m->n; i++)
		vg_strbuf_printf(out, "vigie_http_requests_total{route=\"%s\",status=\"%u\"} %llu\n",
		                 m->counts[i].route, m->counts[i].status, m->counts[i].count);
	vg_strbuf_puts(out, "# HELP vigie_http_request_duration_seconds Time to answer a request.\n"
	                    "# TYPE vigie_http_request_duration_seconds histogram\n");
	for (size_t b = 0; b < N_BUCKETS; b++)
		vg_strbuf_printf(out, "vigie_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", buckets[b],
		                 m->bucket[b]);
	vg_strbuf_printf(out,
	                 "vigie_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
	                 "vigie_http_request_duration_seconds_sum %.6f\n"
	                 "vigie_http_request_duration_seconds_count %llu\n",
	                 m->observations, m->sum, m->observations);
	pthread_mutex_unlock(&m->mu);
}
