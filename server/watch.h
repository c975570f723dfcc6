/* Keeping the index in step with the branch: a thread notices that the
 * branch moved (a push through Vigie, over SSH or on disk) and runs an
 * incremental update; a push or an admin can ask for one at once. */
#ifndef VG_SERVER_WATCH_H
#define VG_SERVER_WATCH_H

#include <jansson.h>

#include "error.h"

typedef struct vg_watch vg_watch;

/* Polls every interval_ms (0: only when kicked). *out: vg_watch_stop. */
int vg_watch_start(vg_watch **out, const char *repo, const char *index, unsigned interval_ms, vg_err *err);
void vg_watch_stop(vg_watch *w);
/* Wakes the thread now (after a push). */
void vg_watch_kick(vg_watch *w);
/* Runs an update now, after any under way, and returns its outcome:
 * {"commit", "commits", "added", "closed", "problems", "seconds"}. */
int vg_watch_update_now(vg_watch *w, json_t **out, vg_err *err);
/* Points the watcher at other folders (configuration reloaded). */
int vg_watch_retarget(vg_watch *w, const char *repo, const char *index, vg_err *err);

#endif
