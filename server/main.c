/* vigie-server: serves searches, documents, feeds and the front end. */
#include "http.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *prog = "vigie-server";

/* Rereads the configuration file on SIGHUP; what can change while serving
 * (repository, index, web folder, public address) takes effect at once,
 * listening and limits at the next start. */
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
	char *swap[] = {srv->config.repo, srv->config.index, srv->config.web, srv->config.base_url};
	srv->config.repo = fresh.repo;
	srv->config.index = fresh.index;
	srv->config.web = fresh.web;
	srv->config.base_url = fresh.base_url;
	fresh.repo = swap[0];
	fresh.index = swap[1];
	fresh.web = swap[2];
	fresh.base_url = swap[3];
	rc = vg_readers_retarget(srv->readers, srv->config.index, srv->config.repo, &err);
	pthread_rwlock_unlock(&srv->lock);
	vg_config_clear(&fresh);
	fprintf(stderr, "%s : configuration rechargée%s%s\n", prog, rc < 0 ? " ; " : "", rc < 0 ? err.msg : "");
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
	if (!(srv.metrics = vg_metrics_new()) ||
	    vg_readers_new(&srv.readers, srv.config.index, srv.config.repo, srv.config.readers, &err) < 0 ||
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
	vg_readers_free(srv.readers);
	vg_metrics_free(srv.metrics);
	pthread_rwlock_destroy(&srv.lock);
	vg_config_clear(&srv.config);
	return rc;
}
