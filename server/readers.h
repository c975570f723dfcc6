/* A pool of open index and repository handles, one borrowed per request:
 * opening Xapian and libgit2 for every request would cost more than the
 * search. Each handle moves to the newest index revision when borrowed. */
#ifndef VG_SERVER_READERS_H
#define VG_SERVER_READERS_H

#include "error.h"
#include "repo.h"
#include "search.h"

typedef struct vg_reader {
	vg_searcher *searcher;
	vg_repo *repo;
	unsigned generation;
} vg_reader;

typedef struct vg_readers vg_readers;

/* At most max_idle handles are open; a request finding none free waits.
 * *out: vg_readers_free. */
int vg_readers_new(vg_readers **out, const char *index, const char *repo, unsigned max_idle, vg_err *err);
/* Frees the pool; no handle may still be borrowed. */
void vg_readers_free(vg_readers *p);
/* Borrows a handle, refreshed to the index's newest revision; waits while
 * all are borrowed. */
int vg_readers_get(vg_readers *p, vg_reader **out, vg_err *err);
void vg_readers_put(vg_readers *p, vg_reader *r);
/* Points the pool at other folders (configuration reloaded); handles on the
 * old ones are closed as they come back. */
int vg_readers_retarget(vg_readers *p, const char *index, const char *repo, vg_err *err);

#endif
