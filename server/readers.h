/* A pool of open index and repository handles, one borrowed per request:
 * opening Xapian and libgit2 for every request would cost more than the
 * search. A handle reads one set of repositories, those a reader may
 * read, and nothing else; it moves to the newest index revisions when
 * borrowed. */
#ifndef VG_SERVER_READERS_H
#define VG_SERVER_READERS_H

#include <stdint.h>

#include "config.h"
#include "error.h"
#include "strlist.h"
#include "repo.h"
#include "search.h"

/* One repository of a handle. */
typedef struct vg_reader_repo {
	char *name;
	size_t pos;              /* in the configuration's list */
	vg_searcher *searcher;   /* its index alone: documents by path, history */
	vg_repo *git;
} vg_reader_repo;

typedef struct vg_reader {
	uint64_t set;            /* bit i: the configuration's repository i */
	vg_searcher *searcher;   /* every repository of the set, searched as one */
	vg_reader_repo *repos;   /* in configuration order */
	size_t n_repos;
	int partial;             /* some of the set had no index yet, or a remote
	                            one did not answer: left out, and the handle
	                            is not kept for later */
	vg_strlist unreachable;  /* the names of remote ones left out */
	struct vg_veille_list *review; /* the notes to review (vg_veille_review) as of */
	char *review_stamp;      /* these indexes (vg_searcher_stamp), or NULL */
	struct vg_veille_cache *veille; /* what the last review read, or NULL */
} vg_reader;

typedef struct vg_readers vg_readers;

/* Handles over the repositories repos[0..n) (copied). At most max_idle
 * handles are open; a request finding none free waits. *out:
 * vg_readers_free. */
int vg_readers_new(vg_readers **out, const vg_repo_conf *repos, size_t n, unsigned max_idle, vg_err *err);
/* Frees the pool; no handle may still be borrowed. */
void vg_readers_free(vg_readers *p);
/* Borrows a handle over the repositories of set (not 0), refreshed to
 * their newest revisions; waits while all are borrowed. A repository whose
 * index is not built yet (its first update is under way), or whose remote
 * index (tcp://) does not answer, is left out; when none of the set is
 * left, VG_ENOTFOUND or VG_EUNREACHABLE. */
int vg_readers_get(vg_readers *p, uint64_t set, vg_reader **out, vg_err *err);
void vg_readers_put(vg_readers *p, vg_reader *r);

/* The repository called name in r, or NULL (not in its set). */
vg_reader_repo *vg_reader_find(vg_reader *r, const char *name);

#endif
