/* The ceiling of the search benchmarks: the same searches as
 * vigie-server's GET /api/search (vg_search_run with its default request:
 * ten hits, snippets, facets, typo correction with the French lexicon),
 * done in one process without HTTP, by THREADS threads each with its own
 * searcher, as the server's reader handles are.
 *
 * Usage: bench-search-inproc INDEX[,INDEX...] QUERIES THREADS SECONDS
 * Several indexes are searched as one, as the repositories of a reader
 * handle are, each named by its folder's name.
 * QUERIES has one query per line; each thread takes them in turn from its
 * own starting line, for SECONDS, or once through when SECONDS is 0 (a
 * fixed work, for counting instructions). Prints one line:
 *   INPROC_RESULT searches duration_us p50_us p99_us failures
 */
#include "lexicon.h"
#include "search.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SAMPLES (1u << 22)

typedef struct shared {
	const char *index;
	char **queries;
	size_t n_queries;
	vg_lexicon *lexicon;
	double seconds;
	size_t threads;
} shared;

typedef struct worker {
	const shared *sh;
	size_t first;
	unsigned *samples_us; /* each search's time */
	size_t n_samples;
	size_t failures;
} worker;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A searcher over the comma-separated indexes of list. */
static int open_indexes(vg_searcher **s, const char *list, vg_err *err)
{
	char *copy = strdup(list);
	const char *dirs[64], *names[64];
	size_t n = 0;
	if (!copy)
		return vg_err_set(err, VG_ENOMEM, "out of memory");
	for (char *save = NULL, *d = strtok_r(copy, ",", &save); d; d = strtok_r(NULL, ",", &save)) {
		if (n == 64) {
			free(copy);
			return vg_err_set(err, VG_EINVAL, "at most 64 indexes");
		}
		const char *slash = strrchr(d, '/');
		dirs[n] = d;
		names[n++] = slash && slash[1] ? slash + 1 : d;
	}
	int rc = n == 1 ? vg_searcher_open(s, dirs[0], err) : vg_searcher_open_many(s, dirs, names, n, err);
	free(copy);
	return rc;
}

static void *run(void *arg)
{
	worker *w = arg;
	const shared *sh = w->sh;
	vg_searcher *s = NULL;
	vg_err err;
	if (open_indexes(&s, sh->index, &err) < 0) {
		fprintf(stderr, "bench-search-inproc: %s\n", err.msg);
		w->failures++;
		return NULL;
	}
	vg_searcher_use_lexicon(s, sh->lexicon);
	size_t cap = MAX_SAMPLES / sh->threads;
	double end = now() + sh->seconds;
	for (size_t i = w->first; w->n_samples < cap; i++) {
		double t0 = now();
		if (sh->seconds > 0 ? t0 >= end : i - w->first >= sh->n_queries)
			break;
		vg_search_req req;
		memset(&req, 0, sizeof(req));
		req.query = sh->queries[i % sh->n_queries];
		req.limit = 10;
		vg_results res;
		json_t *json = NULL;
		if (vg_search_run(&res, s, &req, &err) < 0) {
			w->failures++;
		} else {
			/* The server makes its answer of this. */
			json = vg_results_json(&res);
			vg_results_clear(&res);
		}
		char *text = json ? json_dumps(json, JSON_COMPACT) : NULL;
		free(text);
		json_decref(json);
		w->samples_us[w->n_samples++] = (unsigned)((now() - t0) * 1e6);
	}
	vg_searcher_free(s);
	return NULL;
}

static int by_value(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: bench-search-inproc INDEX[,INDEX...] QUERIES THREADS SECONDS\n");
		return 2;
	}
	shared sh = {argv[1], NULL, 0, NULL, atof(argv[4]), (size_t)atoi(argv[3])};
	if (sh.threads < 1 || sh.threads > 256 || sh.seconds < 0) {
		fprintf(stderr, "bench-search-inproc: THREADS 1..256 and SECONDS >= 0\n");
		return 2;
	}
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	char line[4096];
	size_t cap = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		if (sh.n_queries == cap) {
			cap = cap ? cap * 2 : 1024;
			char **q = realloc(sh.queries, cap * sizeof(*q));
			if (!q)
				return 1;
			sh.queries = q;
		}
		if (!(sh.queries[sh.n_queries++] = strdup(line)))
			return 1;
	}
	fclose(f);
	if (sh.n_queries == 0) {
		fprintf(stderr, "bench-search-inproc: no query in %s\n", argv[2]);
		return 1;
	}
	vg_err err;
	if (vg_lexicon_new(&sh.lexicon, NULL, NULL, &err) < 0) {
		fprintf(stderr, "bench-search-inproc: %s\n", err.msg);
		return 1;
	}
	worker *w = calloc(sh.threads, sizeof(*w));
	pthread_t *tids = calloc(sh.threads, sizeof(*tids));
	if (!w || !tids)
		return 1;
	double t0 = now();
	for (size_t t = 0; t < sh.threads; t++) {
		w[t].sh = &sh;
		w[t].first = t * sh.n_queries / sh.threads;
		w[t].samples_us = malloc(MAX_SAMPLES / sh.threads * sizeof(unsigned));
		if (!w[t].samples_us || pthread_create(&tids[t], NULL, run, &w[t]) != 0)
			return 1;
	}
	size_t total = 0, failures = 0;
	for (size_t t = 0; t < sh.threads; t++) {
		pthread_join(tids[t], NULL);
		total += w[t].n_samples;
		failures += w[t].failures;
	}
	double elapsed = now() - t0;
	unsigned *all = malloc((total ? total : 1) * sizeof(*all));
	if (!all)
		return 1;
	size_t k = 0;
	for (size_t t = 0; t < sh.threads; t++) {
		memcpy(all + k, w[t].samples_us, w[t].n_samples * sizeof(*all));
		k += w[t].n_samples;
		free(w[t].samples_us);
	}
	qsort(all, total, sizeof(*all), by_value);
	printf("INPROC_RESULT %zu %.0f %u %u %zu\n", total, elapsed * 1e6, total ? all[total / 2] : 0,
	       total ? all[total * 99 / 100] : 0, failures);
	free(all);
	free(w);
	free(tids);
	for (size_t i = 0; i < sh.n_queries; i++)
		free(sh.queries[i]);
	free(sh.queries);
	vg_lexicon_free(sh.lexicon);
	return failures ? 1 : 0;
}
