#include "cache.h"
#include "hash.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
	char *key;
	char *body;
	size_t len;
	unsigned long long hash;
	struct entry *prev, *next;  /* LRU list, most recent first */
	struct entry *chain;        /* hash bucket */
} entry;

struct vg_cache {
	pthread_mutex_t mu;
	entry **buckets;
	size_t n_buckets;
	entry *head, *tail;
	size_t entries, bytes, max_entries, max_bytes;
	unsigned long long hits, misses;
};

vg_cache *vg_cache_new(size_t max_entries, size_t max_bytes)
{
	if (!max_entries)
		return NULL;
	vg_cache *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->n_buckets = 1;
	while (c->n_buckets < max_entries * 2)
		c->n_buckets *= 2;
	c->buckets = calloc(c->n_buckets, sizeof(*c->buckets));
	if (!c->buckets) {
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->mu, NULL);
	c->max_entries = max_entries;
	c->max_bytes = max_bytes;
	return c;
}

static void unlink_lru(vg_cache *c, entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void push_front(vg_cache *c, entry *e)
{
	e->next = c->head;
	e->prev = NULL;
	if (c->head)
		c->head->prev = e;
	c->head = e;
	if (!c->tail)
		c->tail = e;
}

static void drop(vg_cache *c, entry *e)
{
	entry **p = &c->buckets[e->hash & (c->n_buckets - 1)];
	while (*p && *p != e)
		p = &(*p)->chain;
	if (*p)
		*p = e->chain;
	unlink_lru(c, e);
	c->entries--;
	c->bytes -= e->len;
	free(e->key);
	free(e->body);
	free(e);
}

void vg_cache_free(vg_cache *c)
{
	if (!c)
		return;
	while (c->head)
		drop(c, c->head);
	free(c->buckets);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static entry *find(vg_cache *c, const char *key, unsigned long long h)
{
	for (entry *e = c->buckets[h & (c->n_buckets - 1)]; e; e = e->chain)
		if (e->hash == h && strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

int vg_cache_get(vg_cache *c, const char *key, char **body, size_t *len)
{
	if (!c)
		return 0;
	unsigned long long h = vg_hash(key, VG_HASH_INIT);
	int found = 0;
	pthread_mutex_lock(&c->mu);
	entry *e = find(c, key, h);
	if (e && (*body = malloc(e->len + 1)) != NULL) {
		memcpy(*body, e->body, e->len);
		(*body)[e->len] = '\0';
		*len = e->len;
		unlink_lru(c, e);
		push_front(c, e);
		found = 1;
	}
	if (found)
		c->hits++;
	else
		c->misses++;
	pthread_mutex_unlock(&c->mu);
	return found;
}

void vg_cache_put(vg_cache *c, const char *key, const char *body, size_t len)
{
	if (!c || len > c->max_bytes / 4)
		return;
	entry *e = calloc(1, sizeof(*e));
	if (!e || !(e->key = strdup(key)) || !(e->body = malloc(len ? len : 1))) {
		if (e)
			free(e->key);
		free(e);
		return;
	}
	memcpy(e->body, body, len);
	e->len = len;
	e->hash = vg_hash(key, VG_HASH_INIT);
	pthread_mutex_lock(&c->mu);
	entry *old = find(c, key, e->hash);
	if (old)
		drop(c, old);
	entry **bucket = &c->buckets[e->hash & (c->n_buckets - 1)];
	e->chain = *bucket;
	*bucket = e;
	push_front(c, e);
	c->entries++;
	c->bytes += len;
	while (c->tail && (c->entries > c->max_entries || c->bytes > c->max_bytes))
		drop(c, c->tail);
	pthread_mutex_unlock(&c->mu);
}

void vg_cache_stats(vg_cache *c, unsigned long long *hits, unsigned long long *misses)
{
	*hits = *misses = 0;
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	*hits = c->hits;
	*misses = c->misses;
	pthread_mutex_unlock(&c->mu);
}
