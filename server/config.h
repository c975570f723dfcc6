/* vigie-server configuration: a `key = value` file (vigie.conf) and the
 * command line, the command line winning. */
#ifndef VG_SERVER_CONFIG_H
#define VG_SERVER_CONFIG_H

#include <stddef.h>

#include "error.h"

/* One repository Vigie serves: who may read and push it, and its index. */
typedef struct vg_repo_conf {
	char *name;            /* in URLs: ?repo=NAME, /git/NAME.git */
	char *path;            /* bare git repository */
	char *index;           /* its own index folder */
	char *title;           /* shown to readers; NULL: the name */
	char *read;            /* "anonymous", "all" (every account) or groups, space separated */
	char *push;            /* groups that may push, space separated; NULL: contributors */
	char *upstream;        /* a read-only mirror of this URL (git fetch); NULL: none */
	char *veille_mail;     /* where vigie-server --send-veille mails its notes to review */
	unsigned fetch_every;  /* seconds between two fetches of the upstream */
	int other_refs;        /* pushes may move refs other than the branch: 1, 0,
	                          or -1 as the configuration's other_refs */
	int closed;            /* no longer in the reloaded configuration there:
	                          nobody reads or pushes it until a restart */
} vg_repo_conf;

#define VG_MAX_REPOS 64        /* a reader's set of repositories is a 64-bit mask */

typedef struct vg_config {
	char *config_file;     /* NULL: none */
	char *listen;          /* address to bind, "127.0.0.1" by default */
	unsigned port;         /* 0: any free port */
	char *repo;            /* one repository without a [repository] section */
	char *index;           /* its index folder */
	vg_repo_conf *repos;   /* what is served: the sections, or repo and index */
	size_t n_repos;
	char *web;             /* static files of the front end */
	char *base_url;        /* public address, for feeds; NULL: from Host */
	char *tls_cert;        /* PEM files: serve HTTPS when both are set */
	char *tls_key;
	unsigned max_connections;
	unsigned max_per_ip;
	unsigned timeout;      /* seconds of inactivity before a connection closes */
	size_t memory_limit;   /* bytes per connection */
	size_t max_url;        /* bytes of request target */
	unsigned readers;      /* index and repository handles kept open */
	unsigned malloc_arenas; /* glibc's malloc arenas for the server's threads; 0: glibc's own count */
	char *users;           /* htpasswd file (bcrypt); NULL: nobody logs in */
	char *groups;          /* "group: user user" lines: contributors, admins, académies */
	int anonymous;         /* reading without logging in (search, documents, clone) */
	unsigned watch_ms;     /* how often the branch is polled for new commits; 0: never */
	unsigned cache;        /* answers kept (searches, suggestions, feeds); 0: none */
	size_t max_push;       /* bytes of one push (git's receive.maxInputSize) */
	unsigned header_timeout;  /* seconds to send a request's headers, however slowly */
	unsigned request_timeout; /* seconds to send a whole request, body included */
	unsigned health_max_lag;  /* seconds the branch may be ahead of the index before /healthz is a 503 */
	int other_refs;        /* pushes may create or move refs other than the indexed branch */
} vg_config;

/* Fills defaults. */
void vg_config_init(vg_config *c);
void vg_config_clear(vg_config *c);

/* Sets key of the repository named name (declared by a first call). */
int vg_config_set_repo(vg_config *c, const char *name, const char *key, const char *value, vg_err *err);

/* Sets key (the file's names: listen, port, repo, index, web, base_url,
 * tls_cert, tls_key, max_connections, max_per_ip, timeout, memory_limit,
 * max_url, readers, malloc_arenas, users, groups, anonymous, watch_ms,
 * cache, max_push, other_refs) to value. VG_EINVAL with a French message. */
int vg_config_set(vg_config *c, const char *key, const char *value, vg_err *err);

/* Reads a configuration file; the message names the file and line.
 * "[repository NAME]" starts a section whose keys (path, index, title,
 * read, push, upstream, fetch_every, other_refs) describe one repository. */
int vg_config_load(vg_config *c, const char *path, vg_err *err);

/* Parses the command line (--config FILE first, then the options, which
 * win). *help is set when --help was asked. */
int vg_config_args(vg_config *c, int argc, char **argv, int *help, vg_err *err);

/* Checks that what is needed is there (repositories with an index, web),
 * and turns repo and index, without sections, into one repository. */
int vg_config_check(vg_config *c, vg_err *err);

/* The repository called name, or NULL. */
const vg_repo_conf *vg_config_repo(const vg_config *c, const char *name, size_t *pos);

void vg_config_usage(const char *prog);

#endif
