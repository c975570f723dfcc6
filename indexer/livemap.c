#include "livemap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>


static vg_live_entry *find(vg_livemap *m, const char *key, int for_insert)
{
	if (!m->cap)
		return NULL;
	size_t i = (size_t)vg_hash(key, VG_HASH_INIT) & (m->cap - 1);
	vg_live_entry *tomb = NULL;
	for (size_t n = 0; n < m->cap; n++, i = (i + 1) & (m->cap - 1)) {
		vg_live_entry *e = &m->slots[i];
		if (!e->key)
			return for_insert ? (tomb ? tomb : e) : NULL;
		if (e->removed) {
			if (!tomb)
				tomb = e;
			continue;
		}
		if (strcmp(e->key, key) == 0)
			return e;
	}
	return for_insert ? tomb : NULL;
}

static int grow(vg_livemap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	vg_live_entry *old = m->slots;
	size_t old_cap = m->cap;
	m->slots = calloc(cap, sizeof(*m->slots));
	if (!m->slots) {
		m->slots = old;
		return -1;
	}
	m->cap = cap;
	m->used = 0;
	for (size_t i = 0; i < old_cap; i++) {
		if (!old[i].key)
			continue;
		if (old[i].removed) {
			free(old[i].key);
			continue;
		}
		vg_live_entry *e = find(m, old[i].key, 1);
		*e = old[i];
		m->used++;
	}
	free(old);
	return 0;
}

vg_live_entry *vg_livemap_get(vg_livemap *m, const char *key)
{
	return find(m, key, 0);
}

vg_live_entry *vg_livemap_put(vg_livemap *m, const char *key)
{
	vg_live_entry *e = find(m, key, 0);
	if (e)
		return e;
	if ((m->used + 1) * 4 >= m->cap * 3 && grow(m) < 0)
		return NULL;
	e = find(m, key, 1);
	char *k = strdup(key);
	if (!e || !k) {
		free(k);
		return NULL;
	}
	if (e->key)
		free(e->key); /* reusing a tombstone */
	else
		m->used++;
	memset(e, 0, sizeof(*e));
	e->key = k;
	return e;
}

void vg_livemap_remove(vg_livemap *m, const char *key)
{
	vg_live_entry *e = find(m, key, 0);
	if (e)
		e->removed = 1;
}

void vg_livemap_free(vg_livemap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
