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

/* 64-bit FNV-1a hash of s, continuing from h (start with VG_HASH_INIT). */
#define VG_HASH_INIT 1469598103934665603ULL
unsigned long long vg_hash(const char *s, unsigned long long h);

/* The entry for key, or NULL. */
vg_strmap_entry *vg_strmap_get(vg_strmap *m, const char *key);
/* The entry for key, created empty if missing; NULL when out of memory. */
vg_strmap_entry *vg_strmap_put(vg_strmap *m, const char *key);
void vg_strmap_remove(vg_strmap *m, const char *key);
void vg_strmap_free(vg_strmap *m);

#endif
