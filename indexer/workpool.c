#include "workpool.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#define MAX_THREADS 16

struct vg_workpool {
	const vg_workpool_job *job;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned char *worked; /* per item, under mu */
	size_t next;           /* next item to claim */
	size_t consumed;       /* items the consumer is done with */
	size_t waited;         /* the item the consumer sleeps on, or SIZE_MAX */
	int sleeping;          /* workers asleep on the window */
	int stop;
	void **garbage;        /* handed back, not yet released */
	size_t n_garbage, cap_garbage;
	pthread_t threads[MAX_THREADS];
	int n_threads;
};

static void release_all(const vg_workpool_job *job, void **garbage, size_t n)
{
	for (size_t i = 0; i < n; i++)
		job->release(garbage[i]);
	free(garbage);
}

static void *worker(void *arg)
{
	vg_workpool *p = arg;
	const vg_workpool_job *job = p->job;
	void *state = job->thread_start ? job->thread_start(job->ctx) : NULL;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->stop && p->next < job->n_items && p->next >= p->consumed + job->window) {
			p->sleeping++;
			pthread_cond_wait(&p->cv, &p->mu);
			p->sleeping--;
		}
		if (p->stop || p->next >= job->n_items) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		size_t i = p->next++;
		void **garbage = p->garbage;
		size_t n_garbage = p->n_garbage;
		p->garbage = NULL;
		p->n_garbage = p->cap_garbage = 0;
		pthread_mutex_unlock(&p->mu);
		release_all(job, garbage, n_garbage);
		job->work(job->ctx, state, i);
		pthread_mutex_lock(&p->mu);
		p->worked[i] = 1;
		/* Wake the consumer only when it sleeps on this very item: fewer
		 * context switches. */
		if (p->waited == i)
			pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	if (job->thread_end)
		job->thread_end(job->ctx, state);
	return NULL;
}

int vg_workpool_start(vg_workpool **out, const vg_workpool_job *job, int threads, vg_err *err)
{
	vg_workpool *p = calloc(1, sizeof(*p));
	*out = NULL;
	if (p)
		p->worked = calloc(job->n_items ? job->n_items : 1, 1);
	if (!p || !p->worked) {
		if (p)
			free(p->worked);
		free(p);
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	p->job = job;
	p->waited = SIZE_MAX;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (threads < 1)
		threads = 1;
	for (int t = 0; t < threads && t < MAX_THREADS; t++)
		if (pthread_create(&p->threads[p->n_threads], NULL, worker, p) == 0)
			p->n_threads++;
	if (p->n_threads == 0) {
		vg_workpool_stop(p);
		return vg_err_set(err, VG_ENOMEM, "impossible de lancer les fils d'analyse");
	}
	*out = p;
	return 0;
}

void vg_workpool_wait(vg_workpool *p, size_t i)
{
	pthread_mutex_lock(&p->mu);
	p->waited = i;
	while (!p->worked[i])
		pthread_cond_wait(&p->cv, &p->mu);
	p->waited = SIZE_MAX;
	pthread_mutex_unlock(&p->mu);
}

void vg_workpool_consumed(vg_workpool *p, size_t i, void *garbage)
{
	pthread_mutex_lock(&p->mu);
	if (garbage && p->n_garbage == p->cap_garbage) {
		size_t cap = p->cap_garbage ? p->cap_garbage * 2 : 64;
		void **g = realloc(p->garbage, cap * sizeof(*g));
		if (g) {
			p->garbage = g;
			p->cap_garbage = cap;
		}
	}
	if (garbage && p->n_garbage < p->cap_garbage)
		p->garbage[p->n_garbage++] = garbage;
	else if (garbage)
		p->job->release(garbage); /* no room: here, then */
	p->consumed = i + 1;
	if (p->sleeping)
		pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void vg_workpool_stop(vg_workpool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (int t = 0; t < p->n_threads; t++)
		pthread_join(p->threads[t], NULL);
	release_all(p->job, p->garbage, p->n_garbage);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->worked);
	free(p);
}
