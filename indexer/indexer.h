/* Indexing: the whole first-parent history of a branch, or only its head,
 * then incrementally what each new commit changed. One Xapian transaction
 * per batch, with the indexed commit stored in the same transaction, so an
 * interrupted run leaves the index at its previous commit. */
#ifndef VG_INDEXER_H
#define VG_INDEXER_H

#include <stddef.h>

#include "error.h"

/* Called for each file that could not be indexed, or only partly. */
typedef void (*vg_report_fn)(void *ctx, const char *commit_hex, const char *message);

typedef struct vg_index_opts {
	const char *repo;    /* bare or non-bare repository */
	const char *ref;     /* branch; NULL: HEAD */
	const char *index;   /* index folder */
	int head_only;       /* first run: index the head tree, not the history */
	int wait;            /* wait for another writer instead of failing */
	size_t max_size;     /* files larger than this are skipped (bytes) */
	int threads;         /* analysis threads; 0: one per core */
	size_t batch;        /* document versions per transaction; 0: default */
	vg_report_fn report;
	void *report_ctx;
} vg_index_opts;

typedef struct vg_index_stats {
	int up_to_date;      /* nothing to do */
	int full;            /* indexed from scratch */
	int rewritten;       /* history was rewritten: rebuilt */
	int reformatted;     /* the index was of an older format: rebuilt */
	size_t commits;      /* commits processed */
	size_t added;        /* versions added */
	size_t closed;       /* versions replaced or deleted */
	size_t problems;     /* files reported */
	char head[41];       /* indexed commit */
} vg_index_stats;

#define VG_DEFAULT_MAX_SIZE (10u * 1024 * 1024)

/* What an index holds and how (terms, values, data): an index of another
 * format is rebuilt. Raise it whenever indexing changes what it stores. */
#define VG_INDEX_FORMAT 10

/* Brings the index up to the branch head; a first run indexes from
 * scratch, a rewritten history or an index of an older format (an
 * upgrade) triggers a rebuild into a new generation, searched only once
 * complete. */
int vg_index_update(const vg_index_opts *opts, vg_index_stats *stats, vg_err *err);

/* Indexes from scratch into a new generation and swaps it in; searches
 * keep using the old one until then. */
int vg_index_rebuild(const vg_index_opts *opts, vg_index_stats *stats, vg_err *err);

#endif
