/* What an index holds: indexed commit and branch, counts, size, age, and
 * the files of the indexed commit that could not be indexed, and why. */
#ifndef VG_STATUS_H
#define VG_STATUS_H

#include <stddef.h>

#include "error.h"
#include "strlist.h"

/* A file of the indexed commit that could not be indexed, or only in part. */
typedef struct vg_status_problem {
	char *path;
	char *commit;         /* the commit of the version reported */
	vg_strlist messages;  /* what went wrong, in French */
} vg_status_problem;

typedef struct vg_status {
	char *commit;           /* the indexed commit; NULL before the first update */
	char *branch;           /* the branch indexed; NULL when unknown */
	long long updated;      /* when the index was last written (Unix time); 0: unknown */
	int dated;              /* the indexed commit is in the history: the next three are set */
	long long commit_time;  /* the indexed commit's time (Unix time) */
	long long history_from; /* the time of the first commit of the history indexed */
	long long commits;      /* first-parent commits indexed */
	unsigned versions;      /* document versions of the whole history */
	unsigned documents;     /* current documents */
	unsigned long long size_bytes;
	vg_status_problem *problems;
	size_t n_problems;
} vg_status;

/* Reads the state of the index in index_dir into *out, which
 * vg_status_clear releases (on failure there is nothing to release).
 * VG_ENOTFOUND when there is no index there, VG_ECORRUPT or VG_EIO when it
 * cannot be read, VG_ENOMEM. */
int vg_status_read(vg_status *out, const char *index_dir, vg_err *err);

/* Frees what *s holds and zeroes it; clearing a cleared status does
 * nothing. This function can't fail. */
void vg_status_clear(vg_status *s);

#endif
