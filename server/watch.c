#include "watch.h"
#include "child.h"
#include "indexer.h"
#include "repo.h"
#include "install.h"

#include <pthread.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct vg_watch {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *repo;
	char *index;
	char *upstream;      /* a mirror's source, or NULL */
	unsigned fetch_every; /* seconds between two fetches of it */
	time_t fetched;      /* last fetch; 0: none yet */
	unsigned interval_ms;
	int stop;
	int kicked;
	char seen[41];       /* head of the last update; "": none yet */
	pthread_mutex_t run; /* one update at a time, from the thread or a request */
	vg_watch_health health; /* guarded by mu */
	int rebuild;            /* a rebuild is wanted (damage) */
	int fetch_failing;      /* a mirror's last fetch failed */
	int suspect;            /* a read failed: check the index before rebuilding */
	char suspicion[512];    /* why, in French */
	time_t swept;           /* last sweep of stale push quarantines (watch thread) */
};

#define QUARANTINE_SWEEP_S 60     /* how often stale quarantines are looked for */
#define QUARANTINE_MAX_AGE_S 3600 /* an hour without change: the push is over */

void vg_watch_health_get(vg_watch *w, vg_watch_health *out)
{
	pthread_mutex_lock(&w->mu);
	*out = w->health;
	/* A mirror that cannot fetch its upstream does not keep up either. */
	out->failing |= w->fetch_failing;
	pthread_mutex_unlock(&w->mu);
}

static void quiet_report(void *ctx, const char *commit_hex, const char *message)
{
	(void)ctx;
	fprintf(stderr, "vigie-server : indexation : %s%s%.10s\n", message, *commit_hex ? " (commit " : "",
	        commit_hex);
}

/* One update of the current folders (a rebuild from scratch when full);
 * fills *out when asked. */
static int run_update(vg_watch *w, int full, json_t **out, vg_err *err)
{
	pthread_mutex_lock(&w->mu);
	char *repo = strdup(w->repo), *index = strdup(w->index);
	pthread_mutex_unlock(&w->mu);
	int rc = 0;
	if (!repo || !index) {
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		goto done;
	}
	vg_index_opts o;
	vg_index_stats st;
	memset(&o, 0, sizeof(o));
	o.repo = repo;
	o.index = index;
	o.wait = 1;
	o.report = quiet_report;
	struct timespec t0, t1;
	pthread_mutex_lock(&w->run);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = full ? vg_index_rebuild(&o, &st, err) : vg_index_update(&o, &st, err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_mutex_unlock(&w->run);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	pthread_mutex_lock(&w->mu);
	w->health.runs++;
	w->health.last_seconds = secs;
	w->health.failing = rc < 0;
	if (rc == 0 && full) {
		w->health.damaged = 0;
		w->health.rebuilds++;
		w->rebuild = 0;
	}
	if (rc == 0) {
		w->health.last_ok = (long long)time(NULL);
		w->health.problem_files += st.problems;
		snprintf(w->health.indexed, sizeof(w->health.indexed), "%s", st.head);
		/* Caught up with the head the watcher saw, unless it moved since. */
		if (strcmp(w->health.head, st.head) == 0 || !w->health.head[0]) {
			snprintf(w->health.head, sizeof(w->health.head), "%s", st.head);
			w->health.behind_since = 0;
			w->health.behind_commits = 0;
		}
	} else {
		w->health.failures++;
		w->health.last_failure = (long long)time(NULL);
		snprintf(w->health.last_error, sizeof(w->health.last_error), "%s", err->msg);
	}
	pthread_mutex_unlock(&w->mu);
	if (rc == 0) {
		pthread_mutex_lock(&w->mu);
		snprintf(w->seen, sizeof(w->seen), "%s", st.head);
		pthread_mutex_unlock(&w->mu);
		if (!st.up_to_date)
			fprintf(stderr, "vigie-server : index mis à jour au commit %.10s (%zu commit(s), %zu version(s)) en %.3f s\n",
			        st.head, st.commits, st.added, secs);
		if (out)
			*out = json_pack("{s:s, s:I, s:I, s:I, s:I, s:b, s:f}", "commit", st.head, "commits",
			                 (json_int_t)st.commits, "added", (json_int_t)st.added, "closed",
			                 (json_int_t)st.closed, "problems", (json_int_t)st.problems, "rebuilt",
			                 st.rewritten || st.reformatted || (st.full && st.commits > 0), "seconds", secs);
	} else {
		fprintf(stderr, "vigie-server : indexation impossible : %s\n", err->msg);
	}
done:
	free(repo);
	free(index);
	return rc;
}

/* Whether the branch head differs from the last indexed one. */
static int moved(vg_watch *w)
{
	pthread_mutex_lock(&w->mu);
	char *repo = strdup(w->repo);
	char seen[41], head[41];
	memcpy(seen, w->seen, sizeof(seen));
	/* After a failure, try again at each poll: what failed may be fixed. */
	int failed = w->health.failing;
	pthread_mutex_unlock(&w->mu);
	vg_repo *r = NULL;
	vg_err err;
	int result = 1;
	if (repo && vg_repo_open(&r, repo, &err) == 0 && time(NULL) - w->swept > QUARANTINE_SWEEP_S) {
		/* What interrupted pushes left behind; no push lasts that long. */
		size_t n = 0;
		vg_repo_remove_stale_quarantines(r, QUARANTINE_MAX_AGE_S, &n);
		if (n)
			fprintf(stderr, "vigie-server : %zu dossier(s) de quarantaine d'envois interrompus supprimé(s)\n", n);
		w->swept = time(NULL);
	}
	if (r && vg_repo_head_hex(r, head, &err) == 0) {
		result = strcmp(head, seen) != 0;
		/* How far behind: the branch's first-parent commits since the
		 * indexed one (all of them when that one is gone). */
		size_t behind = 0;
		if (result && seen[0] && vg_repo_count_since_hex(r, head, seen, &behind, &err) < 0)
			behind = 0;
		pthread_mutex_lock(&w->mu);
		w->health.behind_commits = behind;
		snprintf(w->health.head, sizeof(w->health.head), "%s", head);
		if (result && !w->health.behind_since)
			w->health.behind_since = (long long)time(NULL);
		pthread_mutex_unlock(&w->mu);
	}
	vg_repo_free(r);
	free(repo);
	return result || failed;
}

#define FETCH_TIMEOUT_MS (10 * 60 * 1000)

/* An upstream as readers may see it: without the user and password an
 * URL may carry ("https://bot:token@host/..."). */
static void without_credentials(const char *url, char *out, size_t size)
{
	const char *scheme = strstr(url, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *slash = scheme ? strchr(scheme + 3, '/') : NULL;
	if (at && (!slash || at < slash))
		snprintf(out, size, "%.*s%s", (int)(scheme + 3 - url), url, at + 1);
	else
		snprintf(out, size, "%s", url);
}

/* A mirror takes its upstream's branches as they are (forced, pruned):
 * nobody pushes to it, so nothing of its own can be lost. */
static void fetch_upstream(vg_watch *w)
{
	pthread_mutex_lock(&w->mu);
	char *repo = w->upstream ? strdup(w->repo) : NULL, *upstream = w->upstream ? strdup(w->upstream) : NULL;
	time_t now = time(NULL);
	int due = !w->fetched || now - w->fetched >= (time_t)w->fetch_every;
	if (due)
		w->fetched = now;
	pthread_mutex_unlock(&w->mu);
	if (!repo || !upstream || !due) {
		free(repo);
		free(upstream);
		return;
	}
	char *argv[] = {"git", "--git-dir", repo, "fetch", "--quiet", "--prune", "--no-tags", "--update-head-ok",
	                upstream, "+refs/heads/*:refs/heads/*", NULL};
	vg_strbuf errout = VG_STRBUF_INIT;
	int status = 0, timed_out = 0;
	vg_err err;
	int rc = vg_child_run(argv, "", 0, FETCH_TIMEOUT_MS, NULL, &errout, &status, &timed_out, &err);
	char shown[512];
	without_credentials(upstream, shown, sizeof(shown));
	if (rc == 0 && (timed_out || !WIFEXITED(status) || WEXITSTATUS(status) != 0))
		rc = vg_err_set(&err, VG_EIO, "miroir : git fetch %s a échoué%s", shown, timed_out ? " (délai dépassé)" : "");
	/* git's own words may repeat the URL, credentials included: they go
	 * to the operator's log only. */
	if (rc < 0 && errout.len)
		fprintf(stderr, "vigie-server : git fetch : %.*s\n", (int)errout.len, errout.ptr);
	pthread_mutex_lock(&w->mu);
	w->health.fetches++;
	w->fetch_failing = rc < 0;
	if (rc < 0) {
		w->health.fetch_failures++;
		w->health.failures++;
		w->health.last_failure = (long long)time(NULL);
		snprintf(w->health.last_error, sizeof(w->health.last_error), "%s", err.msg);
	} else {
		w->health.last_fetch_ok = (long long)time(NULL);
	}
	pthread_mutex_unlock(&w->mu);
	if (rc < 0)
		fprintf(stderr, "vigie-server : %s\n", err.msg);
	vg_strbuf_free(&errout);
	free(repo);
	free(upstream);
}

#define VERIFY_TIMEOUT_MS (10 * 60 * 1000)

/* A read of the index failed: damage only when its tables say so (a
 * concurrent write can fail a read too); then it is rebuilt from git.
 * The tables are checked by `vigie-index verify`, in a process of its
 * own: Xapian's check of a damaged table is no code to run inside the
 * server. */
static void check_suspicion(vg_watch *w, const char *why)
{
	pthread_mutex_lock(&w->mu);
	char *index = strdup(w->index);
	pthread_mutex_unlock(&w->mu);
	char *tool = vg_install_program("vigie-index");
	int status = 0, timed_out = 0;
	vg_err err;
	int rc = VG_ENOMEM;
	if (index && tool) {
		char *argv[] = {tool, "verify", "--db", index, NULL};
		rc = vg_child_run(argv, "", 0, VERIFY_TIMEOUT_MS, NULL, NULL, &status, &timed_out, &err);
	}
	/* verify exits 1 when the index is damaged or cannot be read, 0 when
	 * it is sound. */
	if (rc == 0 && !timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 1)
		vg_watch_report_damage(w, why);
	else if (rc == 0 && !timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		fprintf(stderr, "vigie-server : index %s vérifié après une erreur de lecture (%s) : sain\n", index, why);
	else
		fprintf(stderr, "vigie-server : index %s : vérification impossible après « %s », à nouveau à la prochaine erreur\n",
		        index ? index : "", why);
	free(tool);
	free(index);
}

static void *watch_main(void *arg)
{
	vg_watch *w = arg;
	for (;;) {
		pthread_mutex_lock(&w->mu);
		if (!w->stop && !w->kicked) {
			if (w->interval_ms) {
				struct timespec until;
				clock_gettime(CLOCK_REALTIME, &until);
				until.tv_sec += w->interval_ms / 1000;
				until.tv_nsec += (long)(w->interval_ms % 1000) * 1000000L;
				if (until.tv_nsec >= 1000000000L) {
					until.tv_sec++;
					until.tv_nsec -= 1000000000L;
				}
				pthread_cond_timedwait(&w->cv, &w->mu, &until);
			} else {
				pthread_cond_wait(&w->cv, &w->mu);
			}
		}
		int stop = w->stop, kicked = w->kicked;
		w->kicked = 0;
		pthread_mutex_unlock(&w->mu);
		if (stop)
			break;
		vg_err err;
		pthread_mutex_lock(&w->mu);
		int suspect = w->suspect;
		char why[512];
		memcpy(why, w->suspicion, sizeof(why));
		w->suspect = 0;
		pthread_mutex_unlock(&w->mu);
		if (suspect)
			check_suspicion(w, why);
		pthread_mutex_lock(&w->mu);
		int rebuild = w->rebuild;
		pthread_mutex_unlock(&w->mu);
		fetch_upstream(w);
		if (rebuild)
			run_update(w, 1, NULL, &err);
		else if (kicked || moved(w))
			run_update(w, 0, NULL, &err);
	}
	return NULL;
}

int vg_watch_start(vg_watch **out, const vg_repo_conf *conf, unsigned interval_ms, vg_err *err)
{
	vg_watch *w = calloc(1, sizeof(*w));
	*out = NULL;
	if (!w || !(w->repo = strdup(conf->path)) || !(w->index = strdup(conf->index)) ||
	    (conf->upstream && !(w->upstream = strdup(conf->upstream)))) {
		if (w) {
			free(w->repo);
			free(w->index);
			free(w);
		}
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	w->fetch_every = conf->fetch_every;
	w->health.mirror = conf->upstream != NULL;
	pthread_mutex_init(&w->mu, NULL);
	pthread_mutex_init(&w->run, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->interval_ms = interval_ms;
	w->kicked = 1; /* catch up at start */
	if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
		w->thread = 0;
		vg_watch_stop(w);
		return vg_err_set(err, VG_ENOMEM, "fil de surveillance impossible");
	}
	*out = w;
	return 0;
}

void vg_watch_stop(vg_watch *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	if (w->thread)
		pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	pthread_mutex_destroy(&w->run);
	free(w->repo);
	free(w->index);
	free(w->upstream);
	free(w);
}

void vg_watch_kick(vg_watch *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->kicked = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

int vg_watch_update_now(vg_watch *w, json_t **out, vg_err *err)
{
	*out = NULL;
	return run_update(w, 0, out, err);
}

void vg_watch_suspect(vg_watch *w, const char *why)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	if (!w->rebuild && !w->suspect) {
		w->suspect = 1;
		snprintf(w->suspicion, sizeof(w->suspicion), "%s", why);
		w->kicked = 1;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
}

void vg_watch_report_damage(vg_watch *w, const char *why)
{
	pthread_mutex_lock(&w->mu);
	if (!w->rebuild) {
		w->rebuild = 1;
		w->health.damaged = 1;
		w->health.last_failure = (long long)time(NULL);
		snprintf(w->health.last_error, sizeof(w->health.last_error), "%s", why);
		w->kicked = 1;
		pthread_cond_broadcast(&w->cv);
		fprintf(stderr, "vigie-server : index endommagé (%s) : reconstruction depuis git\n", why);
	}
	pthread_mutex_unlock(&w->mu);
}

int vg_watch_retarget(vg_watch *w, const vg_repo_conf *conf, vg_err *err)
{
	char *r = strdup(conf->path), *i = strdup(conf->index), *u = conf->upstream ? strdup(conf->upstream) : NULL;
	if (!r || !i || (conf->upstream && !u)) {
		free(r);
		free(i);
		free(u);
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	}
	pthread_mutex_lock(&w->mu);
	/* Fetched and indexed again only when the place or the source moved. */
	int moved = strcmp(r, w->repo) != 0 || strcmp(i, w->index) != 0 || (u == NULL) != (w->upstream == NULL) ||
	            (u && strcmp(u, w->upstream) != 0);
	free(w->repo);
	free(w->index);
	free(w->upstream);
	w->repo = r;
	w->index = i;
	w->upstream = u;
	w->fetch_every = conf->fetch_every;
	w->health.mirror = u != NULL;
	if (moved)
		w->fetched = 0;
	if (!u)
		w->fetch_failing = 0;
	if (moved) {
		memset(&w->seen, 0, sizeof(w->seen));
		w->kicked = 1;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return 0;
}
