/* Request counters and a latency histogram, shared by every connection
 * thread behind one lock, written out in the Prometheus text format. */
#ifndef VG_SERVER_METRICS_H
#define VG_SERVER_METRICS_H

#include "strbuf.h"

typedef struct vg_metrics vg_metrics;

vg_metrics *vg_metrics_new(void);
void vg_metrics_free(vg_metrics *m);
/* Records one request: its route (a static string), status, and duration. */
void vg_metrics_record(vg_metrics *m, const char *route, unsigned status, double seconds);
/* Appends the counters and histogram in the Prometheus text format. */
void vg_metrics_write(vg_metrics *m, vg_strbuf *out);

#endif
