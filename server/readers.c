#include "readers.h"
#include "lexicon.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct vg_readers {
	pthread_mutex_t mu;
	pthread_cond_t freed;
	size_t open;         /* handles in existence, idle or borrowed */
	char *index;
	char *repo;
	unsigned generation; /* bumped when the folders change */
	vg_reader **idle;
	size_t n_idle, max_idle;
	vg_lexicon *lexicon; /* one for every handle */
};

static void reader_free(vg_reader *r)
{
	if (!r)
		return;
	vg_searcher_free(r->searcher);
	vg_repo_free(r->repo);
	free(r);
}

int vg_readers_new(vg_readers **out, const char *index, const char *repo, unsigned max_idle, vg_err *err)
{
	vg_readers *p = calloc(1, sizeof(*p));
	*out = NULL;
	int rc = 0;
	if (!p || !(p->index = strdup(index)) || !(p->repo = strdup(repo)) ||
	    !(p->idle = calloc(max_idle ? max_idle : 1, sizeof(*p->idle))))
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	else
		rc = vg_lexicon_new(&p->lexicon, NULL, NULL, err); /* keeps its own error */
	if (rc < 0) {
		if (p) {
			free(p->index);
			free(p->repo);
			free(p->idle);
			free(p);
		}
		return rc;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->max_idle = max_idle ? max_idle : 1;
	*out = p;
	return 0;
}

void vg_readers_free(vg_readers *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_idle; i++)
		reader_free(p->idle[i]);
	free(p->idle);
	free(p->index);
	free(p->repo);
	vg_lexicon_free(p->lexicon);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

int vg_readers_get(vg_readers *p, vg_reader **out, vg_err *err)
{
	vg_reader *r = NULL;
	char *index = NULL, *repo = NULL;
	unsigned generation;
	*out = NULL;
	/* At most max_idle handles: beyond, requests wait for one rather than
	 * open more. Searching is CPU-bound; more at once only adds
	 * contention and memory. */
	pthread_mutex_lock(&p->mu);
	while (!p->n_idle && p->open >= p->max_idle)
		pthread_cond_wait(&p->freed, &p->mu);
	if (p->n_idle) {
		r = p->idle[--p->n_idle];
	} else {
		p->open++;
		index = strdup(p->index);
		repo = strdup(p->repo);
	}
	generation = p->generation;
	pthread_mutex_unlock(&p->mu);
	int rc = 0;
	if (r) {
		rc = vg_searcher_refresh(r->searcher, err);
	} else if (!index || !repo) {
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	} else if (!(r = calloc(1, sizeof(*r)))) {
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	} else {
		r->generation = generation;
		if ((rc = vg_searcher_open(&r->searcher, index, err)) == 0) {
			vg_searcher_use_lexicon(r->searcher, p->lexicon);
			rc = vg_repo_open(&r->repo, repo, err);
		}
	}
	free(index);
	free(repo);
	if (rc < 0) {
		reader_free(r);
		pthread_mutex_lock(&p->mu);
		p->open--;
		pthread_cond_signal(&p->freed);
		pthread_mutex_unlock(&p->mu);
		return rc;
	}
	*out = r;
	return 0;
}

void vg_readers_put(vg_readers *p, vg_reader *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&p->mu);
	if (r->generation == p->generation && p->n_idle < p->max_idle) {
		p->idle[p->n_idle++] = r;
		r = NULL;
	} else {
		p->open--;
	}
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->mu);
	reader_free(r);
}

int vg_readers_retarget(vg_readers *p, const char *index, const char *repo, vg_err *err)
{
	char *i = strdup(index), *r = strdup(repo);
	if (!i || !r) {
		free(i);
		free(r);
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	pthread_mutex_lock(&p->mu);
	int changed = strcmp(i, p->index) != 0 || strcmp(r, p->repo) != 0;
	free(p->index);
	free(p->repo);
	p->index = i;
	p->repo = r;
	vg_reader **old = NULL;
	size_t n_old = 0;
	if (changed) {
		p->generation++;
		n_old = p->n_idle;
		old = malloc((n_old ? n_old : 1) * sizeof(*old));
		if (old)
			memcpy(old, p->idle, n_old * sizeof(*old));
		else
			n_old = 0;
		p->n_idle = old ? 0 : p->n_idle;
		p->open -= n_old;
		pthread_cond_broadcast(&p->freed);
	}
	pthread_mutex_unlock(&p->mu);
	for (size_t k = 0; k < n_old; k++)
		reader_free(old[k]);
	free(old);
	return 0;
}
