/* git smart HTTP: clone, fetch and push through git's own CGI program,
 * `git http-backend`, run as a child process. The request body streams to
 * its standard input as it arrives and its output streams back to the
 * client: a pack is never held in memory. */
#include "routes.h"
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>


/* Silence from git longer than this ends the exchange. */
#define GIT_TIMEOUT_MS (300 * 1000)

typedef struct cgi {
	vg_git_target target; /* what git http-backend will serve */
	char *root;           /* GIT_PROJECT_ROOT */
	vg_child git;         /* pid 0 until git is started; its input and output */
	vg_strbuf early;  /* output read before the body was all sent */
	size_t early_pos;
	int out_eof;      /* git closed its output */
	size_t fed;       /* body bytes received */
	size_t max_body;  /* of a push; 0: no limit */
	int refused;      /* the body went over max_body: the rest is dropped */
	int broken;       /* git stopped reading: the rest is dropped */
	vg_server *server;
	size_t *bytes;    /* the request's byte count, for the log */
	size_t repo;      /* the repository's place in the configuration */
	int may_read, may_push, mirror; /* what this user may do there */
} cgi;

static void cgi_free(void *p)
{
	cgi *c = p;
	if (!c)
		return;
	int pushed = c->git.pid > 0 && c->target.service == VG_GIT_PUSH && c->target.pack;
	/* git usually ends with its output; give it a moment, then stop it
	 * (the client may have gone away). */
	vg_child_finish(&c->git, 2000, NULL);
	if (pushed && c->repo < c->server->n_watches && c->server->watches[c->repo])
		vg_watch_kick(c->server->watches[c->repo]);
	vg_strbuf_free(&c->early);
	free(c->root);
	free(c);
}

int vg_git_classify(vg_git_target *out, const char *method, const char *url, const char *service,
                    size_t n_service, const char *repo_name, const char *folder)
{
	memset(out, 0, sizeof(*out));
	size_t nl = strlen(repo_name);
	if (strncmp(url, "/git/", 5) != 0 || nl == 0 || strchr(repo_name, '/') || strncmp(url + 5, repo_name, nl) != 0 ||
	    url[5 + nl] != '/')
		return VG_ENOTFOUND;
	const char *rest = url + 5 + nl + 1;
	int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	if (strcmp(rest, "info/refs") == 0 && get) {
		/* git http-backend keeps the last of repeated parameters: refuse
		 * them rather than guess which one it will act on. */
		if (n_service > 1)
			return VG_EINVAL;
		if (service && strcmp(service, "git-upload-pack") == 0)
			out->service = VG_GIT_FETCH;
		else if (service && strcmp(service, "git-receive-pack") == 0)
			out->service = VG_GIT_PUSH;
		else
			return VG_ENOTFOUND; /* no service: the dumb protocol, which is off */
	} else if (strcmp(rest, "git-upload-pack") == 0 && strcmp(method, "POST") == 0) {
		out->service = VG_GIT_FETCH;
		out->pack = 1;
	} else if (strcmp(rest, "git-receive-pack") == 0 && strcmp(method, "POST") == 0) {
		out->service = VG_GIT_PUSH;
		out->pack = 1;
	} else {
		return VG_ENOTFOUND;
	}
	/* PATH_INFO and QUERY_STRING are written from the classification, so
	 * git serves exactly what was decided. */
	snprintf(out->path_info, sizeof(out->path_info), "/%s/%s", folder, rest);
	snprintf(out->query, sizeof(out->query), "%s",
	         out->pack ? "" : out->service == VG_GIT_PUSH ? "service=git-receive-pack" : "service=git-upload-pack");
	return strlen(folder) + strlen(rest) + 2 < sizeof(out->path_info) && !strchr(folder, '/') ? 0 : VG_ENOTFOUND;
}

/* The served repository's folder name and its parent folder (malloc'd). */
static int repo_location(const char *repo, char **name, char **root)
{
	char *copy1 = strdup(repo), *copy2 = strdup(repo);
	int rc = VG_ENOMEM;
	*name = *root = NULL;
	if (copy1 && copy2) {
		size_t n = strlen(copy1);
		while (n > 1 && copy1[n - 1] == '/')
			copy1[--n] = '\0', copy2[n] = '\0';
		*name = strdup(basename(copy1));
		*root = strdup(dirname(copy2));
		rc = *name && *root ? 0 : VG_ENOMEM;
	}
	if (rc < 0) {
		free(*name);
		free(*root);
		*name = *root = NULL;
	}
	free(copy1);
	free(copy2);
	return rc;
}

typedef struct env_builder {
	char **v;
	size_t n;
} env_builder;

static void env_add(env_builder *e, const char *key, const char *value)
{
	if (!value)
		return;
	size_t len = strlen(key) + strlen(value) + 2;
	char *s = malloc(len);
	char **grown = realloc(e->v, (e->n + 2) * sizeof(*grown));
	if (!s || !grown) {
		free(s);
		if (grown)
			e->v = grown;
		return;
	}
	e->v = grown;
	snprintf(s, len, "%s=%s", key, value);
	e->v[e->n++] = s;
	e->v[e->n] = NULL;
}

static void env_free(env_builder *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
}

static const char *header(vg_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* Starts git http-backend for c's target with the CGI environment of this
 * request. */
static int spawn_backend(vg_request *r, cgi *c)
{
	char client[64];
	vg_client_address(r, client, sizeof(client));
	env_builder e = {NULL, 0};
	env_add(&e, "PATH", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	env_add(&e, "GATEWAY_INTERFACE", "CGI/1.1");
	env_add(&e, "GIT_PROJECT_ROOT", c->root);
	env_add(&e, "GIT_HTTP_EXPORT_ALL", "1");
	env_add(&e, "PATH_INFO", c->target.path_info);
	env_add(&e, "REQUEST_METHOD", r->method);
	env_add(&e, "QUERY_STRING", c->target.query);
	env_add(&e, "CONTENT_TYPE", header(r, MHD_HTTP_HEADER_CONTENT_TYPE));
	env_add(&e, "CONTENT_LENGTH", header(r, MHD_HTTP_HEADER_CONTENT_LENGTH));
	env_add(&e, "HTTP_CONTENT_ENCODING", header(r, MHD_HTTP_HEADER_CONTENT_ENCODING));
	env_add(&e, "GIT_PROTOCOL", header(r, "Git-Protocol"));
	env_add(&e, "REMOTE_ADDR", client);
	/* git enables receive-pack only for an authenticated user; the
	 * pre-receive hook is told the pusher's role and the repository's
	 * rules, and git itself bounds the size of a push. */
	if (r->user.name[0])
		env_add(&e, "REMOTE_USER", r->user.name);
	env_add(&e, "VIGIE_ROLE", r->user.role == VG_ROLE_ADMIN ? "admin" : r->user.role >= VG_ROLE_CONTRIBUTOR ? "contributor" : "reader");
	/* The bound the bridge enforces on this very body (0: not a push's pack). */
	char max_push[32];
	snprintf(max_push, sizeof(max_push), "%zu", c->max_body);
	pthread_rwlock_rdlock(&r->server->lock);
	int other_refs = c->repo < r->server->config.n_repos && r->server->config.repos[c->repo].other_refs >= 0
	                         ? r->server->config.repos[c->repo].other_refs
	                         : r->server->config.other_refs;
	pthread_rwlock_unlock(&r->server->lock);
	env_add(&e, "VIGIE_OTHER_REFS", other_refs ? "1" : "0");
	env_add(&e, "GIT_CONFIG_COUNT", "1");
	env_add(&e, "GIT_CONFIG_KEY_0", "receive.maxInputSize");
	env_add(&e, "GIT_CONFIG_VALUE_0", max_push);

	char *argv[] = {"git", "http-backend", NULL};
	vg_err err;
	int rc = e.v ? vg_child_spawn(&c->git, argv, e.v, VG_CHILD_IN | VG_CHILD_OUT, &err) : VG_ENOMEM;
	env_free(&e);
	return rc;
}

/* Writes a body chunk to git, reading its output meanwhile so that neither
 * side waits on a full pipe. */
static int feed(cgi *c, const char *data, size_t len)
{
	while (len > 0) {
		struct pollfd p[2] = {{c->git.in, POLLOUT, 0}, {c->out_eof ? -1 : c->git.out, POLLIN, 0}};
		if (poll(p, 2, GIT_TIMEOUT_MS) <= 0)
			return VG_EIO;
		if (p[1].revents & (POLLIN | POLLHUP)) {
			char buf[16384];
			ssize_t n = read(c->git.out, buf, sizeof(buf));
			if (n > 0)
				vg_strbuf_add(&c->early, buf, (size_t)n);
			else if (n == 0)
				c->out_eof = 1;
		}
		if (p[0].revents & (POLLERR | POLLHUP))
			return VG_EIO;
		if (p[0].revents & POLLOUT) {
			ssize_t n = write(c->git.in, data, len);
			if (n < 0 && errno != EINTR && errno != EAGAIN)
				return VG_EIO;
			if (n > 0) {
				data += n;
				len -= (size_t)n;
			}
		}
	}
	return 0;
}

/* Waits for git's output; 0 when there is some (or its end), -1 after
 * GIT_TIMEOUT_MS of silence (a stuck hook must not hold the thread). */
static int wait_output(cgi *c)
{
	if (c->out_eof)
		return 0;
	struct pollfd p = {c->git.out, POLLIN, 0};
	int n;
	while ((n = poll(&p, 1, GIT_TIMEOUT_MS)) < 0 && errno == EINTR)
		;
	return n > 0 ? 0 : -1;
}

/* Streams git's output after its CGI headers. */
static ssize_t read_output(void *cls, uint64_t pos, char *buf, size_t max)
{
	cgi *c = cls;
	(void)pos;
	if (c->early_pos < c->early.len) {
		size_t n = c->early.len - c->early_pos;
		if (n > max)
			n = max;
		memcpy(buf, c->early.ptr + c->early_pos, n);
		c->early_pos += n;
		*c->bytes += n;
		return (ssize_t)n;
	}
	for (;;) {
		if (wait_output(c) < 0)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		ssize_t n = c->out_eof ? 0 : read(c->git.out, buf, max);
		if (n > 0) {
			*c->bytes += (size_t)n;
			return n;
		}
		if (n == 0)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (errno != EINTR)
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
}

/* Reads the CGI header block ("Status: ...", "Content-Type: ..." then an
 * empty line) and answers with the rest of the output streamed. */
static enum MHD_Result respond_from_cgi(vg_request *r, cgi *c)
{
	char *end = NULL;
	size_t skip = 0;
	for (;;) {
		if (c->early.ptr) {
			if ((end = strstr(c->early.ptr, "\r\n\r\n")) != NULL) {
				skip = 4;
				break;
			}
			if ((end = strstr(c->early.ptr, "\n\n")) != NULL) {
				skip = 2;
				break;
			}
		}
		char buf[4096];
		ssize_t n = wait_output(c) < 0 || c->out_eof ? -1 : read(c->git.out, buf, sizeof(buf));
		if (n <= 0 || c->early.len > 65536)
			return vg_respond_error(r, MHD_HTTP_BAD_GATEWAY, "git_failed", "git http-backend n'a pas répondu");
		vg_strbuf_add(&c->early, buf, (size_t)n);
	}
	unsigned status = MHD_HTTP_OK;
	c->early_pos = (size_t)(end - c->early.ptr) + skip;
	*end = '\0';
	struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, read_output, c, NULL);
	if (!resp)
		return MHD_NO;
	char *save = NULL;
	for (char *line = strtok_r(c->early.ptr, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		const char *value = colon + 1;
		while (*value == ' ')
			value++;
		if (strcasecmp(line, "Status") == 0)
			status = (unsigned)atoi(value);
		else
			MHD_add_response_header(resp, line, value);
	}
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	r->status = status ? status : MHD_HTTP_OK;
	enum MHD_Result ret = MHD_queue_response(r->conn, r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result count_service(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	size_t *n = cls;
	(void)kind;
	(void)value;
	if (strcmp(key, "service") == 0)
		(*n)++;
	return MHD_YES;
}

/* The bridge's state for this request, its target classified from the
 * path and query exactly as git http-backend reads them; answers 400/404
 * itself and returns NULL when the request is not one git may serve. */
static cgi *classify_request(vg_request *r, enum MHD_Result *ret)
{
	size_t n_service = 0;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, count_service, &n_service);
	const char *service = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "service");
	cgi *c = calloc(1, sizeof(*c));
	char *folder = NULL;
	/* /git/NAME.git/... or /git/NAME/...: the configuration's NAME. */
	char segment[80] = "", name[80];
	size_t seg = strncmp(r->url, "/git/", 5) == 0 ? strcspn(r->url + 5, "/") : 0;
	if (seg > 0 && seg < sizeof(segment))
		memcpy(segment, r->url + 5, seg), segment[seg] = '\0';
	snprintf(name, sizeof(name), "%s", segment);
	if (strlen(name) > 4 && strcmp(name + strlen(name) - 4, ".git") == 0)
		name[strlen(name) - 4] = '\0';
	int rc = c ? 0 : VG_ENOMEM;
	int known = 0;
	if (rc == 0) {
		c->git.in = c->git.out = c->git.err = -1;
		c->server = r->server;
		c->bytes = &r->bytes;
		pthread_rwlock_rdlock(&r->server->lock);
		const vg_repo_conf *conf = segment[0] ? vg_config_repo(&r->server->config, name, &c->repo) : NULL;
		if (conf) {
			known = 1;
			c->may_read = vg_user_may_read(&r->user, conf, r->server->config.anonymous);
			c->may_push = vg_user_may_push(&r->user, conf, r->server->config.anonymous);
			c->mirror = conf->upstream != NULL;
			rc = repo_location(conf->path, &folder, &c->root);
		}
		pthread_rwlock_unlock(&r->server->lock);
	}
	/* A repository this user may not read is as unknown as one that does
	 * not exist; anonymous users are asked to log in for both, as git
	 * clients expect before they offer credentials. */
	int hidden = rc == 0 && (!known || !c->may_read);
	if (rc == 0 && !hidden)
		rc = vg_git_classify(&c->target, r->method, r->url, service, n_service, segment, folder);
	free(folder);
	if (rc == 0 && !hidden)
		return c;
	cgi_free(c);
	*ret = rc == VG_EINVAL   ? vg_respond_error(r, MHD_HTTP_BAD_REQUEST, "bad_request", "paramètre « service » répété")
	       : rc == VG_ENOMEM ? vg_respond_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "mémoire insuffisante")
	       : hidden && !r->user.name[0] ? vg_respond_login(r, "dépôt inconnu, ou réservé : identifiez-vous")
	                                    : vg_respond_error(r, MHD_HTTP_NOT_FOUND, "not_found", "dépôt ou adresse git inconnus");
	return NULL;
}

int vg_git_precheck(vg_request *r, enum MHD_Result *ret)
{
	cgi *c = classify_request(r, ret);
	if (!c)
		return -1;
	r->state = c;
	r->free_state = cgi_free;
	if (c->target.service == VG_GIT_PUSH) {
		const char *length = c->target.pack ? header(r, MHD_HTTP_HEADER_CONTENT_LENGTH) : NULL;
		pthread_rwlock_rdlock(&r->server->lock);
		size_t max_push = r->server->config.max_push;
		pthread_rwlock_unlock(&r->server->lock);
		if (c->target.pack)
			c->max_body = max_push;
		if (length && strtoull(length, NULL, 10) > max_push) {
			char msg[160];
			snprintf(msg, sizeof(msg), "envoi trop volumineux (%s octets, au plus %zu) : rien n'a été enregistré",
			         length, max_push);
			*ret = vg_respond_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "too_large", msg);
			return -1;
		}
		if (c->may_push)
			return 0;
		*ret = c->mirror ? vg_respond_error(r, MHD_HTTP_FORBIDDEN, "forbidden",
		                                    "dépôt miroir en lecture seule : il suit sa source, personne n'y envoie")
		       : !r->user.name[0] ? vg_respond_login(r, "l'envoi (git push) demande un compte de contributeur")
		                          : vg_respond_error(r, MHD_HTTP_FORBIDDEN, "forbidden",
		                                             "votre compte ne permet pas d'envoyer des modifications dans ce dépôt");
		return -1;
	}
	/* A repository is read whole or not at all: who may read it may clone it. */
	return 0;
}

enum MHD_Result vg_git_serve(vg_request *r)
{
	cgi *c = r->state; /* classified and allowed by vg_git_precheck */
	if (!c)
		return vg_respond_error(r, MHD_HTTP_NOT_FOUND, "not_found", "dépôt ou adresse git inconnus");
	if (c->git.pid == 0 && spawn_backend(r, c) < 0) {
		*r->upload_size = 0;
		return vg_respond_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "git_failed", "impossible de lancer git http-backend");
	}
	if (!r->upload_done) {
		/* A client is answered only once it has sent its whole body: a
		 * refusal queued before would not reach it. */
		c->fed += *r->upload_size;
		if (c->max_body && c->fed > c->max_body && !c->refused) {
			c->refused = 1;
			close(c->git.in); /* git gives up on a pack cut short: nothing lands */
			c->git.in = -1;
		}
		if (!c->refused && !c->broken && feed(c, r->upload, *r->upload_size) < 0)
			c->broken = 1;
		*r->upload_size = 0;
		return MHD_YES;
	}
	/* The whole body is in: git may answer. */
	if (c->git.in >= 0) {
		close(c->git.in);
		c->git.in = -1;
	}
	if (c->refused) {
		char msg[160];
		snprintf(msg, sizeof(msg), "envoi trop volumineux (plus de %zu octets) : rien n'a été enregistré", c->max_body);
		return vg_respond_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "too_large", msg);
	}
	return respond_from_cgi(r, c);
}
