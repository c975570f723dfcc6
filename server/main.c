/* vigie-server: serves searches, documents, feeds and the front end. */
#include "digest.h"
#include "http.h"
#include "install.h"
#include "repo.h"

#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *prog = "vigie-server";

/* Installs the pre-receive hook that checks pushed notes, unless the
 * repository already has a hook of its own. */
static int install_hook(const char *repo_path, const char *tool, vg_err *err)
{
	vg_repo *repo = NULL;
	int rc = vg_repo_open(&repo, repo_path, err);
	if (rc < 0)
		return rc;
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%shooks", vg_repo_gitdir(repo));
	vg_repo_free(repo);
	mkdir(path, 0755);
	strncat(path, "/pre-receive", sizeof(path) - strlen(path) - 1);
	FILE *f = fopen(path, "r");
	if (f) {
		char head[512] = "";
		size_t n = fread(head, 1, sizeof(head) - 1, f);
		head[n] = '\0';
		fclose(f);
		if (!strstr(head, "vigie-server"))
			return 0; /* the operator's own hook */
	}
	char tmp[PATH_MAX + 8];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return vg_err_set(err, VG_EIO, "%s : %s", tmp, strerror(errno));
	fprintf(f, "#!/bin/sh\n# Installed by vigie-server: refuses a push whose notes break .vigie/schema.yml.\n"
	           "exec '%s' check --pre-receive\n", tool);
	if (fclose(f) != 0 || chmod(tmp, 0755) < 0 || rename(tmp, path) < 0)
		return vg_err_set(err, VG_EIO, "%s : %s", path, strerror(errno));
	return 0;
}

static int load_auth(vg_server *srv, vg_err *err)
{
	vg_auth *a = NULL;
	int rc = vg_auth_load(&a, srv->config.users, srv->config.groups, err);
	if (rc < 0)
		return rc;
	vg_auth *old = srv->auth;
	srv->auth = a;
	vg_auth_free(old);
	return 0;
}

/* Takes the rules of fresh (who reads and pushes, title, mirror) for each
 * served repository it still has at the same place; one it no longer has
 * there is closed to everyone until the restart that serves the new list.
 * Returns how many repositories changed place, appeared or disappeared. */
static size_t apply_rules(vg_config *c, vg_config *fresh)
{
	size_t moved = 0;
	for (size_t i = 0; i < c->n_repos; i++) {
		vg_repo_conf *mine = &c->repos[i];
		const vg_repo_conf *theirs = vg_config_repo(fresh, mine->name, NULL);
		if (!theirs || strcmp(theirs->path, mine->path) != 0 || strcmp(theirs->index, mine->index) != 0) {
			mine->closed = 1;
			moved++;
			continue;
		}
		vg_repo_conf *t = (vg_repo_conf *)theirs;
		char **a[] = {&mine->title, &mine->read, &mine->push, &mine->upstream};
		char **b[] = {&t->title, &t->read, &t->push, &t->upstream};
		for (size_t k = 0; k < sizeof(a) / sizeof(a[0]); k++) {
			char *x = *a[k];
			*a[k] = *b[k];
			*b[k] = x;
		}
		mine->fetch_every = t->fetch_every;
		mine->other_refs = t->other_refs;
		mine->closed = 0;
	}
	for (size_t j = 0; j < fresh->n_repos; j++)
		moved += !vg_config_repo(c, fresh->repos[j].name, NULL);
	return moved;
}

/* Rereads the configuration file and the command line on SIGHUP, the
 * options still winning over the file: who may read and push each
 * repository, titles, mirrors, accounts, the web folder and the public
 * address take effect at once (a repository that is no longer where it
 * was is closed); new or moved repositories, listening and limits at the
 * next start. */
static void reload(vg_server *srv)
{
	vg_config fresh;
	vg_err err;
	int help = 0;
	vg_config_init(&fresh);
	int rc = vg_config_args(&fresh, srv->argc, srv->argv, &help, &err);
	if (rc == 0 && !fresh.config_file)
		rc = vg_err_set(&err, VG_EINVAL, "aucun fichier de configuration (--config)");
	if (rc == 0)
		rc = vg_config_check(&fresh, &err);
	if (rc < 0) {
		fprintf(stderr, "%s : configuration non rechargée : %s\n", prog, err.msg);
		vg_config_clear(&fresh);
		return;
	}
	pthread_rwlock_wrlock(&srv->lock);
	size_t moved = apply_rules(&srv->config, &fresh);
	char **mine[] = {&srv->config.web, &srv->config.base_url, &srv->config.users, &srv->config.groups};
	char **theirs[] = {&fresh.web, &fresh.base_url, &fresh.users, &fresh.groups};
	for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]); i++) {
		char *t = *mine[i];
		*mine[i] = *theirs[i];
		*theirs[i] = t;
	}
	srv->config.anonymous = fresh.anonymous;
	srv->config.other_refs = fresh.other_refs;
	rc = load_auth(srv, &err);
	for (size_t i = 0; i < srv->n_watches; i++) {
		const vg_repo_conf *r = &srv->config.repos[i];
		vg_err e;
		int one = 0;
		/* A repository that stopped being a mirror is pushed to: it checks
		 * pushes as any other. Each repository on its own: one that fails
		 * does not hold the others back. */
		if (!r->closed && !r->upstream)
			one = install_hook(r->path, srv->index_tool, &e);
		if (one == 0 && srv->watches[i] && !r->closed)
			one = vg_watch_retarget(srv->watches[i], r, &e);
		if (one < 0) {
			fprintf(stderr, "%s : dépôt « %s » : %s\n", prog, r->name, e.msg);
			if (rc == 0)
				rc = vg_err_set(&err, one, "dépôt « %s » : %s", r->name, e.msg);
		}
	}
	pthread_rwlock_unlock(&srv->lock);
	vg_config_clear(&fresh);
	fprintf(stderr, "%s : configuration rechargée%s%s%s\n", prog,
	        moved ? " (dépôts ajoutés, retirés ou déplacés : fermés ou servis au prochain démarrage)" : "",
	        rc < 0 ? " ; " : "", rc < 0 ? err.msg : "");
}

/* Each repository's hook and watcher. */
static int start_repositories(vg_server *srv, vg_err *err)
{
	const vg_config *c = &srv->config;
	if (!(srv->watches = calloc(c->n_repos ? c->n_repos : 1, sizeof(*srv->watches))))
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	srv->n_watches = c->n_repos;
	for (size_t i = 0; i < c->n_repos; i++) {
		int rc;
		vg_err e;
		if ((!c->repos[i].upstream && (rc = install_hook(c->repos[i].path, srv->index_tool, &e)) < 0) ||
		    /* A remote index is updated where it lives, not from here. */
		    (c->watch_ms && strncmp(c->repos[i].index, "tcp://", 6) != 0 &&
		     (rc = vg_watch_start(&srv->watches[i], &c->repos[i], c->watch_ms, &e)) < 0))
			return vg_err_set(err, rc, "dépôt « %s » : %s", c->repos[i].name, e.msg);
	}
	return 0;
}

/* Takes --send-veille and --sendmail PROG out of argv (the others are the
 * configuration's); 1 when the digest is asked. */
static int digest_asked(int *argc, char **argv, const char **sendmail)
{
	int asked = 0, kept = 1;
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--send-veille") == 0)
			asked = 1;
		else if (strcmp(argv[i], "--sendmail") == 0 && i + 1 < *argc)
			*sendmail = argv[++i];
		else if (strncmp(argv[i], "--sendmail=", 11) == 0)
			*sendmail = argv[i] + 11;
		else
			argv[kept++] = argv[i];
	}
	argv[kept] = NULL;
	*argc = kept;
	return asked;
}

int main(int argc, char **argv)
{
	vg_server srv;
	vg_err err;
	int help = 0;
	const char *sendmail = "/usr/sbin/sendmail";
	int digest = digest_asked(&argc, argv, &sendmail);
	memset(&srv, 0, sizeof(srv));
	vg_config_init(&srv.config);
	srv.argc = argc;
	srv.argv = argv;
	if (vg_config_args(&srv.config, argc, argv, &help, &err) < 0) {
		fprintf(stderr, "%s : %s\n", prog, err.msg);
		vg_config_clear(&srv.config);
		return 2;
	}
	if (help) {
		vg_config_usage(prog);
		vg_config_clear(&srv.config);
		return 0;
	}
	if (vg_config_check(&srv.config, &err) < 0) {
		fprintf(stderr, "%s : %s\n", prog, err.msg);
		vg_config_clear(&srv.config);
		return 2;
	}
	if (digest) {
		/* The weekly digest of the legal watch, then nothing more. */
		int sent = vg_digest_send(&srv.config, sendmail);
		vg_config_clear(&srv.config);
		return sent < 0 ? 1 : 0;
	}
	/* Signals are taken by this thread only (sigwait below). */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	pthread_rwlock_init(&srv.lock, NULL);
	if (srv.config.malloc_arenas)
		mallopt(M_ARENA_MAX, (int)srv.config.malloc_arenas);
	int rc = 1;
	srv.index_tool = vg_install_program("vigie-index");
	srv.cache = vg_cache_new(srv.config.cache, 32u * 1024 * 1024);
	if (!(srv.metrics = vg_metrics_new()) || !srv.index_tool || vg_throttle_new(&srv.throttle, &err) < 0 ||
	    load_auth(&srv, &err) < 0 || start_repositories(&srv, &err) < 0 ||
	    vg_readers_new(&srv.readers, srv.config.repos, srv.config.n_repos, srv.config.readers, &err) < 0 ||
	    vg_http_start(&srv, &err) < 0) {
		fprintf(stderr, "%s : %s\n", prog, err.msg);
		goto done;
	}
	const char *host = srv.config.listen;
	int v6 = strchr(host, ':') != NULL;
	printf("Vigie écoute sur %s://%s%s%s:%u/\n", srv.config.tls_cert ? "https" : "http", v6 ? "[" : "", host,
	       v6 ? "]" : "", srv.port);
	fflush(stdout);
	for (;;) {
		int sig = 0;
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			reload(&srv);
			continue;
		}
		fprintf(stderr, "%s : arrêt demandé, fin des requêtes en cours\n", prog);
		break;
	}
	vg_http_stop(&srv);
	rc = 0;
done:
	for (size_t i = 0; i < srv.n_watches; i++)
		vg_watch_stop(srv.watches[i]);
	free(srv.watches);
	vg_readers_free(srv.readers);
	vg_auth_free(srv.auth);
	vg_throttle_free(srv.throttle);
	vg_cache_free(srv.cache);
	free(srv.index_tool);
	vg_metrics_free(srv.metrics);
	pthread_rwlock_destroy(&srv.lock);
	vg_config_clear(&srv.config);
	return rc;
}
