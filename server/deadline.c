#include "deadline.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

typedef struct watched {
	const void *conn;  /* NULL: free slot */
	int fd;
	double start;      /* when the request started */
	int headers;       /* headers read */
	int reading;       /* still reading the request */
} watched;

struct vg_deadlines {
	pthread_mutex_t mu;
	pthread_cond_t wake;
	pthread_t thread;
	int stop;
	unsigned header_s, request_s;
	watched *slots;
	size_t n;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *watch(void *arg)
{
	vg_deadlines *d = arg;
	pthread_mutex_lock(&d->mu);
	while (!d->stop) {
		double t = now();
		for (size_t i = 0; i < d->n; i++) {
			watched *w = &d->slots[i];
			if (!w->conn || !w->reading)
				continue;
			int late = (!w->headers && d->header_s && t - w->start > d->header_s) ||
			           (d->request_s && t - w->start > d->request_s);
			if (late) {
				/* libmicrohttpd's thread sees the socket end and closes
				 * the connection itself. */
				shutdown(w->fd, SHUT_RDWR);
				w->reading = 0;
			}
		}
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000 * 1000;
		if (until.tv_nsec >= 1000 * 1000 * 1000) {
			until.tv_sec++;
			until.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&d->wake, &d->mu, &until);
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

int vg_deadlines_start(vg_deadlines **out, unsigned max, unsigned header_s, unsigned request_s, vg_err *err)
{
	vg_deadlines *d = calloc(1, sizeof(*d));
	*out = NULL;
	if (!d || !(d->slots = calloc(max ? max : 1, sizeof(*d->slots)))) {
		free(d);
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	d->n = max ? max : 1;
	d->header_s = header_s;
	d->request_s = request_s;
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->wake, NULL);
	if (pthread_create(&d->thread, NULL, watch, d) != 0) {
		pthread_cond_destroy(&d->wake);
		pthread_mutex_destroy(&d->mu);
		free(d->slots);
		free(d);
		return vg_err_set(err, VG_EIO, "impossible de lancer la surveillance des délais");
	}
	*out = d;
	return 0;
}

void vg_deadlines_stop(vg_deadlines *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = 1;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->thread, NULL);
	pthread_cond_destroy(&d->wake);
	pthread_mutex_destroy(&d->mu);
	free(d->slots);
	free(d);
}

/* The slot of conn, or with create a free one; NULL. Lock held. */
static watched *slot_of(vg_deadlines *d, const void *conn, int create)
{
	watched *free_slot = NULL;
	for (size_t i = 0; i < d->n; i++) {
		if (d->slots[i].conn == conn)
			return &d->slots[i];
		if (!free_slot && !d->slots[i].conn)
			free_slot = &d->slots[i];
	}
	return create ? free_slot : NULL;
}

void vg_deadlines_request(vg_deadlines *d, const void *conn, int fd)
{
	pthread_mutex_lock(&d->mu);
	/* Only a new connection brings its socket; the next request of a
	 * kept-alive one reuses the slot. */
	watched *w = slot_of(d, conn, fd >= 0);
	if (w) {
		w->conn = conn;
		if (fd >= 0)
			w->fd = fd;
		w->start = now();
		w->headers = 0;
		w->reading = 1;
	}
	pthread_mutex_unlock(&d->mu);
}

enum mark { HEADERS_READ, REQUEST_READ, CLOSED };

static void mark(vg_deadlines *d, const void *conn, enum mark what)
{
	pthread_mutex_lock(&d->mu);
	watched *w = slot_of(d, conn, 0);
	if (w && what == HEADERS_READ)
		w->headers = 1;
	else if (w && what == REQUEST_READ)
		w->reading = 0;
	else if (w)
		w->conn = NULL;
	pthread_mutex_unlock(&d->mu);
}

void vg_deadlines_headers(vg_deadlines *d, const void *conn)
{
	mark(d, conn, HEADERS_READ);
}

void vg_deadlines_read(vg_deadlines *d, const void *conn)
{
	mark(d, conn, REQUEST_READ);
}

void vg_deadlines_close(vg_deadlines *d, const void *conn)
{
	mark(d, conn, CLOSED);
}
