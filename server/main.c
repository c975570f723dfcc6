/* vigie-server: serves searches, documents, feeds and the front end. */
#include "http.h"
#include "install.h"
#include "repo.h"

#include <errno.h>
#include <limits.h>
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

/* Whether two configurations serve the same repositories from the same
 * folders (their rules may differ). */
static int same_places(const vg_config *a, const vg_config *b)
{
	if (a->n_repos != b->n_repos)
		return 0;
	for (size_t i = 0; i < a->n_repos; i++)
		if (strcmp(a->repos[i].name, b->repos[i].name) || strcmp(a->repos[i].path, b->repos[i].path) ||
		    strcmp(a->repos[i].index, b->repos[i].index))
			return 0;
	return 1;
}

/* Rereads the configuration file on SIGHUP; what can change while serving
 * (who may read and push each repository, titles, mirrors, web folder,
 * public address, accounts) takes effect at once; new, removed or moved
 * repositories, listening and limits at the next start. */
static void reload(vg_server *srv)
{
	vg_config fresh;
	vg_err err;
	vg_config_init(&fresh);
	pthread_rwlock_rdlock(&srv->lock);
	int rc = srv->config.config_file ? vg_config_load(&fresh, srv->config.config_file, &err)
	                                 : vg_err_set(&err, VG_EINVAL, "aucun fichier de configuration (--config)");
	pthread_rwlock_unlock(&srv->lock);
	if (rc == 0)
		rc = vg_config_check(&fresh, &err);
	if (rc < 0) {
		fprintf(stderr, "%s : configuration non rechargée : %s\n", prog, err.msg);
		vg_config_clear(&fresh);
		return;
	}
	pthread_rwlock_wrlock(&srv->lock);
	int same = same_places(&srv->config, &fresh);
	char **mine[] = {&srv->config.web, &srv->config.base_url, &srv->config.users, &srv->config.groups};
	char **theirs[] = {&fresh.web, &fresh.base_url, &fresh.users, &fresh.groups};
	for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]); i++) {
		char *t = *mine[i];
		*mine[i] = *theirs[i];
		*theirs[i] = t;
	}
	if (same) {
		vg_repo_conf *t = srv->config.repos;
		srv->config.repos = fresh.repos;
		fresh.repos = t;
	}
	srv->config.anonymous = fresh.anonymous;
	srv->config.other_refs = fresh.other_refs;
	rc = load_auth(srv, &err);
	for (size_t i = 0; rc == 0 && same && i < srv->n_watches; i++)
		if (srv->watches[i])
			rc = vg_watch_retarget(srv->watches[i], &srv->config.repos[i], &err);
	pthread_rwlock_unlock(&srv->lock);
	vg_config_clear(&fresh);
	fprintf(stderr, "%s : configuration rechargée%s%s%s\n", prog,
	        same ? "" : " (dépôts ajoutés, retirés ou déplacés : pris en compte au prochain démarrage)",
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
		    (c->watch_ms && (rc = vg_watch_start(&srv->watches[i], &c->repos[i], c->watch_ms, &e)) < 0))
			return vg_err_set(err, rc, "dépôt « %s » : %s", c->repos[i].name, e.msg);
	}
	return 0;
}

int main(int argc, char **argv)
{
	vg_server srv;
	vg_err err;
	int help = 0;
	memset(&srv, 0, sizeof(srv));
	vg_config_init(&srv.config);
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
	/* Signals are taken by this thread only (sigwait below). */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	pthread_rwlock_init(&srv.lock, NULL);
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
