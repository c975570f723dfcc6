/* A small LRU cache of answers (search, suggestions, feeds), keyed by the
 * request, the reader's visibility and the index revision: a new index
 * revision or a rebuild changes every key, so nothing stale is served. */
#ifndef VG_SERVER_CACHE_H
#define VG_SERVER_CACHE_H

#include <stddef.h>

typedef struct vg_cache vg_cache;

/* At most max_entries answers and max_bytes of them; 0 entries: no cache. */
vg_cache *vg_cache_new(size_t max_entries, size_t max_bytes);
void vg_cache_free(vg_cache *c);
/* A copy of the answer stored under key (malloc'd body), or 0. */
int vg_cache_get(vg_cache *c, const char *key, char **body, size_t *len);
void vg_cache_put(vg_cache *c, const char *key, const char *body, size_t len);
/* Hits and misses so far, for /metrics. */
void vg_cache_stats(vg_cache *c, unsigned long long *hits, unsigned long long *misses);

#endif
