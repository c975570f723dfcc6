#include "readers.h"
#include "lexicon.h"
#include "store.h"
#include "veille.h"
#include <stdio.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Where a repository and its index are, as the pool was last told. */
typedef struct place {
	char *name, *path, *index;
} place;

struct vg_readers {
	pthread_mutex_t mu;
	pthread_cond_t freed;
	size_t open;         /* handles in existence, idle or borrowed */
	place *places;
	size_t n_places;
	vg_reader **idle;
	size_t n_idle, max_idle;
	vg_lexicon *lexicon; /* one for every handle */
};

static void places_free(place *pl, size_t n)
{
	if (!pl)
		return;
	for (size_t i = 0; i < n; i++) {
		free(pl[i].name);
		free(pl[i].path);
		free(pl[i].index);
	}
	free(pl);
}

/* The places of a configuration's repositories, copied; they do not
 * change while the pool lives (moving a repository needs a restart). */
static int places_copy(place **out, const vg_repo_conf *repos, size_t n, vg_err *err)
{
	place *pl = calloc(n ? n : 1, sizeof(*pl));
	*out = NULL;
	for (size_t i = 0; pl && i < n; i++) {
		if (!(pl[i].name = strdup(repos[i].name)) || !(pl[i].path = strdup(repos[i].path)) ||
		    !(pl[i].index = strdup(repos[i].index))) {
			places_free(pl, n);
			pl = NULL;
		}
	}
	if (!pl)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	*out = pl;
	return 0;
}

static void reader_free(vg_reader *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_repos; i++) {
		if (r->repos[i].searcher != r->searcher)
			vg_searcher_free(r->repos[i].searcher);
		vg_repo_free(r->repos[i].git);
		free(r->repos[i].name);
	}
	vg_searcher_free(r->searcher);
	vg_strlist_clear(&r->unreachable);
	if (r->review)
		vg_veille_list_clear(r->review);
	free(r->review);
	free(r->review_stamp);
	vg_veille_cache_free(r->veille);
	free(r->repos);
	free(r);
}

/* Whether a local index is built at all (a remote one is tried by opening
 * it: reader_open). */
static int index_built(const char *index)
{
	char *current = NULL;
	vg_err e;
	if (strncmp(index, "tcp://", 6) == 0)
		return 1;
	int rc = vg_store_current(index, &current, &e);
	free(current);
	return rc != VG_ENOTFOUND;
}

/* Opens a handle over the places of set: each repository's own searcher
 * first (a remote index that does not answer is left out there: no
 * connection of its own to try it), then, with several, their union. */
static int reader_open(vg_reader **out, const place *pl, size_t n_pl, uint64_t set, vg_lexicon *lexicon,
                       vg_err *err)
{
	uint64_t asked = set;
	size_t n = 0;
	int rc = 0;
	*out = NULL;
	for (size_t i = 0; i < n_pl; i++)
		if (((set >> i) & 1) && !index_built(pl[i].index))
			set &= ~((uint64_t)1 << i);
	for (size_t i = 0; i < n_pl; i++)
		n += (set >> i) & 1;
	vg_reader *r = calloc(1, sizeof(*r));
	const char **dirs = calloc(n ? n : 1, sizeof(*dirs)), **names = calloc(n ? n : 1, sizeof(*names));
	if (!r || !dirs || !names || !(r->repos = calloc(n ? n : 1, sizeof(*r->repos))))
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	size_t k = 0;
	for (size_t i = 0; rc == 0 && i < n_pl; i++) {
		if (!((set >> i) & 1))
			continue;
		vg_reader_repo *rr = &r->repos[r->n_repos];
		vg_err e;
		int one = vg_searcher_open_many(&rr->searcher, (const char *const *)&pl[i].index,
		                                (const char *const *)&pl[i].name, 1, &e);
		if (one == VG_EUNREACHABLE || (one < 0 && strncmp(pl[i].index, "tcp://", 6) == 0)) {
			fprintf(stderr, "vigie-server : %s\n", e.msg);
			vg_searcher_free(rr->searcher);
			rr->searcher = NULL;
			set &= ~((uint64_t)1 << i);
			if (vg_strlist_add_unique(&r->unreachable, pl[i].name) < 0)
				rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
			continue;
		}
		if (one < 0) {
			rc = vg_err_set(err, e.code, "%s", e.msg);
			break;
		}
		r->n_repos++;
		rr->pos = i;
		dirs[k] = pl[i].index;
		names[k++] = pl[i].name;
		if (rr->searcher)
			vg_searcher_use_lexicon(rr->searcher, lexicon);
		if (!(rr->name = strdup(pl[i].name)))
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		else
			rc = vg_repo_open(&rr->git, pl[i].path, err);
	}
	if (rc == 0 && k == 0) {
		int down = r->unreachable.count > 0;
		rc = !asked ? vg_err_set(err, VG_EFORBIDDEN, "aucun dépôt à lire")
		     : down ? vg_err_set(err, VG_EUNREACHABLE, "index distant injoignable, réessayez dans un instant")
		            : vg_err_set(err, VG_ENOTFOUND, "index en cours de construction, réessayez dans un instant");
	}
	/* With one repository, its searcher is the handle's. */
	if (rc == 0 && k == 1)
		r->searcher = r->repos[0].searcher;
	else if (rc == 0 && (rc = vg_searcher_open_many(&r->searcher, dirs, names, k, err)) == 0)
		vg_searcher_use_lexicon(r->searcher, lexicon);
	free(dirs);
	free(names);
	if (rc < 0) {
		reader_free(r);
		return rc;
	}
	r->set = asked;
	r->partial = set != asked;
	*out = r;
	return 0;
}

int vg_readers_new(vg_readers **out, const vg_repo_conf *repos, size_t n, unsigned max_idle, vg_err *err)
{
	vg_readers *p = calloc(1, sizeof(*p));
	*out = NULL;
	int rc = 0;
	if (!p || !(p->idle = calloc(max_idle ? max_idle : 1, sizeof(*p->idle))))
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	else if ((rc = places_copy(&p->places, repos, n, err)) == 0)
		rc = vg_lexicon_new(&p->lexicon, NULL, NULL, err); /* keeps its own error */
	if (rc < 0) {
		if (p) {
			places_free(p->places, n);
			free(p->idle);
			free(p);
		}
		return rc;
	}
	p->n_places = n;
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
	places_free(p->places, p->n_places);
	vg_lexicon_free(p->lexicon);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

int vg_readers_get(vg_readers *p, uint64_t set, vg_reader **out, vg_err *err)
{
	vg_reader *r = NULL, *evicted = NULL;
	int rc = 0;
	*out = NULL;
	/* At most max_idle handles: beyond, requests wait for one rather than
	 * open more. Searching is CPU-bound; more at once only adds
	 * contention and memory. An idle handle of another set is closed to
	 * make room. */
	pthread_mutex_lock(&p->mu);
	for (;;) {
		for (size_t i = 0; i < p->n_idle && !r; i++) {
			if (p->idle[i]->set == set) {
				r = p->idle[i];
				p->idle[i] = p->idle[--p->n_idle];
			}
		}
		if (r || p->open < p->max_idle)
			break;
		if (p->n_idle) {
			evicted = p->idle[--p->n_idle];
			p->open--;
			break;
		}
		pthread_cond_wait(&p->freed, &p->mu);
	}
	if (!r)
		p->open++;
	pthread_mutex_unlock(&p->mu);
	reader_free(evicted);
	if (r)
		rc = vg_searcher_refresh(r->searcher, err);
	for (size_t i = 0; r && rc == 0 && r->n_repos > 1 && i < r->n_repos; i++)
		rc = vg_searcher_refresh(r->repos[i].searcher, err);
	if (rc == VG_EUNREACHABLE) {
		/* A remote index went away: a new handle does without it. */
		reader_free(r);
		r = NULL;
		rc = 0;
	}
	if (!r)
		rc = reader_open(&r, p->places, p->n_places, set, p->lexicon, err);
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
	if (p->n_idle < p->max_idle && !r->partial) {
		p->idle[p->n_idle++] = r;
		r = NULL;
	} else {
		p->open--;
	}
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->mu);
	reader_free(r);
}

vg_reader_repo *vg_reader_find(vg_reader *r, const char *name)
{
	for (size_t i = 0; name && i < r->n_repos; i++)
		if (strcmp(r->repos[i].name, name) == 0)
			return &r->repos[i];
	return NULL;
}
