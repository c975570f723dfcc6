/* The indexed branch's first-parent history, kept in the index metadata:
 * position n is the n-th first-parent commit from the root. Versions are
 * dated by position, which lets "as of" a date or a commit be one number. */
#ifndef VG_TIMELINE_H
#define VG_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
struct vg_xdb;

typedef struct vg_tl_entry {
	char id[41];     /* commit id, hex */
	int64_t time;    /* committer time (UTC seconds) */
} vg_tl_entry;

typedef struct vg_timeline {
	vg_tl_entry *entries; /* by position */
	size_t count;
	long base;            /* first position whose versions are indexed */
	long head;            /* position of the indexed commit, -1 if none */
} vg_timeline;

/* The commit id at position pos (borrowed), or NULL outside the timeline. */
const char *vg_timeline_commit_at(const vg_timeline *tl, double pos);
/* The UTC day (YYYY-MM-DD) of position pos into day; 0, or -1 (day "")
 * outside the timeline. */
int vg_timeline_day_at(const vg_timeline *tl, double pos, char day[11]);

/* Loads the timeline of db into tl (release with vg_timeline_clear). */
int vg_timeline_load(struct vg_xdb *db, vg_timeline *tl, vg_err *err);
void vg_timeline_clear(vg_timeline *tl);

/* Writes entries[0..n) at positions first..first+n-1 (within the caller's
 * transaction) and sets the base position. */
int vg_timeline_store(struct vg_xdb *db, long first, const vg_tl_entry *entries, size_t n,
                      long base, vg_err *err);

/* Position of the repository as of `when`: a date "YYYY-MM-DD" (the newest
 * first-parent commit made on or before that day, UTC) or a full or
 * abbreviated commit id. French message and VG_ENOTFOUND when nothing was
 * indexed then, VG_EINVAL when `when` is neither a date nor a commit id. */
int vg_timeline_resolve(const vg_timeline *tl, const char *when, long *pos, vg_err *err);

/* "YYYY-MM-DD" (UTC) of a time. */
void vg_format_date(int64_t t, char out[11]);

#endif
