/* A string-keyed hash map of small fixed records (open addressing). */
#ifndef VG_STRMAP_H
#define VG_STRMAP_H

#include <stddef.h>

typedef struct vg_strmap_entry {
	char *key;          /* owned; NULL: empty slot */
	unsigned docid;
	char lineage[17];
	int removed;        /* tombstone */
} vg_strmap_entry;

typedef struct vg_strmap {
	vg_strmap_entry *slots;
	size_t cap, used;
} vg_strmap;

/* The entry for key, or NULL. */
vg_strmap_entry *vg_strmap_get(vg_strmap *m, const char *key);
/* The entry for key, created empty if missing; NULL when out of memory. */
vg_strmap_entry *vg_strmap_put(vg_strmap *m, const char *key);
void vg_strmap_remove(vg_strmap *m, const char *key);
void vg_strmap_free(vg_strmap *m);

#endif
