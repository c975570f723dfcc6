/* The indexer's map from a path to its live version (docid and lineage):
 * an open-addressing hash table keyed by path. */
#ifndef VG_LIVEMAP_H
#define VG_LIVEMAP_H

#include <stddef.h>

#include "hash.h"

typedef struct vg_live_entry {
	char *key;          /* owned; NULL: empty slot */
	unsigned docid;
	char lineage[17];
	long ends_at;       /* the step that replaces it when it was written
	                       closed already (a first build), else 0 */
	int removed;        /* tombstone */
} vg_live_entry;

typedef struct vg_livemap {
	vg_live_entry *slots;
	size_t cap, used;
} vg_livemap;


/* The entry for key, or NULL. */
vg_live_entry *vg_livemap_get(vg_livemap *m, const char *key);
/* The entry for key, created empty if missing; NULL when out of memory. */
vg_live_entry *vg_livemap_put(vg_livemap *m, const char *key);
void vg_livemap_remove(vg_livemap *m, const char *key);
void vg_livemap_free(vg_livemap *m);

#endif
