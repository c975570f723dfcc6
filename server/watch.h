/* Keeping the index in step with the branch: a thread notices that the
 * branch moved (a push through Vigie, over SSH or on disk) and runs an
 * incremental update; a push or an admin can ask for one at once. One
 * watcher per repository; a mirror's also fetches its upstream. */
#ifndef VG_SERVER_WATCH_H
#define VG_SERVER_WATCH_H

#include <jansson.h>

#include "config.h"
#include "error.h"

typedef struct vg_watch vg_watch;

/* Keeps conf's index in step with its repository (copied), polling
 * every interval_ms (0: only when kicked); a mirror is first fetched
 * from its upstream, every conf->fetch_every seconds. *out:
 * vg_watch_stop. */
int vg_watch_start(vg_watch **out, const vg_repo_conf *conf, unsigned interval_ms, vg_err *err);
void vg_watch_stop(vg_watch *w);
/* Wakes the thread now (after a push). */
void vg_watch_kick(vg_watch *w);
/* Runs an update now, after any under way, and returns its outcome:
 * {"commit", "commits", "added", "closed", "problems", "seconds"}. */
int vg_watch_update_now(vg_watch *w, json_t **out, vg_err *err);
/* How the updates went, for /healthz and /metrics. */
typedef struct vg_watch_health {
	unsigned long runs, failures;  /* updates run, and failed */
	double last_seconds;           /* duration of the last one */
	long long last_ok;             /* time (s) of the last success; 0: none yet */
	long long last_failure;        /* time (s) of the last failure; 0: none */
	char last_error[512];          /* its message, in French */
	long long behind_since;        /* since when the branch is ahead of the
	                                  index (0: it is not) */
	char head[41], indexed[41];    /* the branch's head, the indexed commit */
	unsigned long behind_commits;  /* first-parent commits of the branch not indexed yet */
	unsigned long problem_files;   /* files reported by updates (unreadable, too big...) */
	int mirror;                    /* the repository follows an upstream */
	unsigned long fetches, fetch_failures; /* of the upstream */
	long long last_fetch_ok;       /* time (s) of the last fetch that worked; 0: none */
	int failing;                   /* the last update failed */
	int damaged;                   /* the index was found damaged: a rebuild from
	                                  git is under way or will be retried */
	unsigned long rebuilds;        /* rebuilds after damage */
} vg_watch_health;
/* A copy of the watcher's record into *out. This function can't fail. */
void vg_watch_health_get(vg_watch *w, vg_watch_health *out);

/* A read of the index failed (why: French): the watcher checks its tables
 * and rebuilds it from git only when they are damaged. This function
 * can't fail. */
void vg_watch_suspect(vg_watch *w, const char *why);
/* The index is damaged (why: French): rebuild it from git into a new
 * generation, at once and until it works; requests meanwhile answer from
 * the old generation where they can. This function can't fail. */
void vg_watch_report_damage(vg_watch *w, const char *why);

/* Points the watcher at another repository (configuration reloaded). */
int vg_watch_retarget(vg_watch *w, const vg_repo_conf *conf, vg_err *err);

#endif
