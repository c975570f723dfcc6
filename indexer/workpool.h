/* A pool of threads that work through the items 0..n-1 of a job, in the
 * order they claim them, at most a window of items ahead of the one
 * consumer, which takes each item's result in order: the indexer's
 * analysis feeding its single writer. */
#ifndef VG_WORKPOOL_H
#define VG_WORKPOOL_H

#include <stddef.h>

#include "error.h"

typedef struct vg_workpool_job {
	size_t n_items;
	size_t window;  /* items worked ahead of the consumer, at most */
	void *ctx;      /* handed to every callback */
	/* Each thread's own state (NULL is a state too), made and ended by
	 * that thread. */
	void *(*thread_start)(void *ctx);
	void (*thread_end)(void *ctx, void *state);
	/* Works item i; it reports its own failures in the item. */
	void (*work)(void *ctx, void *state, size_t i);
	/* Frees what the consumer hands back (vg_workpool_consumed): in a
	 * worker, where it was allocated, which spares the consumer. */
	void (*release)(void *garbage);
} vg_workpool_job;

typedef struct vg_workpool vg_workpool;

/* Starts up to threads threads (at least one) on job, which must outlive
 * the pool; VG_ENOMEM when none could start. */
int vg_workpool_start(vg_workpool **out, const vg_workpool_job *job, int threads, vg_err *err);

/* Waits until item i is worked. This function can't fail. */
void vg_workpool_wait(vg_workpool *p, size_t i);

/* The consumer is done with items up to i: the workers may go on past
 * the window; garbage (or NULL) is released by a worker, or by
 * vg_workpool_stop. This function can't fail. */
void vg_workpool_consumed(vg_workpool *p, size_t i, void *garbage);

/* Stops the workers once their current items are worked, waits for them,
 * releases what garbage is left and frees the pool. Stopping NULL does
 * nothing. */
void vg_workpool_stop(vg_workpool *p);

#endif
