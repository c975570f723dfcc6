/* The HTTP side of vigie-server: the libmicrohttpd daemon (a thread per
 * connection, with limits), one request context per request, responses
 * with the headers every answer carries, and the request log. */
#ifndef VG_SERVER_HTTP_H
#define VG_SERVER_HTTP_H

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "cache.h"
#include "config.h"
#include "metrics.h"
#include "readers.h"
#include "strbuf.h"
#include "watch.h"

typedef struct vg_server {
	vg_config config;           /* guarded by lock (reloaded on SIGHUP) */
	pthread_rwlock_t lock;
	vg_readers *readers;
	vg_metrics *metrics;
	struct MHD_Daemon *daemon;
	unsigned port;              /* the port actually bound */
	vg_auth *auth;              /* accounts and groups (reloaded on SIGHUP) */
	vg_throttle *throttle;      /* failed logins, kept across reloads */
	struct vg_deadlines *deadlines; /* how long a request may take to arrive */
	vg_watch **watches;         /* one per repository of the configuration, in
	                               its order (NULL entries: not watched) */
	size_t n_watches;
	char *index_tool;           /* vigie-index, for the repository's hook */
	vg_cache *cache;            /* answers of searches, suggestions, feeds */
	int argc;                   /* the command line, read again on SIGHUP */
	char **argv;
} vg_server;

typedef struct vg_request {
	vg_server *server;
	struct MHD_Connection *conn;
	const char *method;
	const char *url;            /* path, without the query string */
	const char *route;          /* route name for logs and metrics */
	double start;
	unsigned status;
	size_t bytes;
	int api;                    /* errors as JSON rather than HTML */
	vg_user user;               /* who is asking ("" name: anonymous) */
	uint64_t readable;          /* the repositories user may read (bit i:
	                               the configuration's repository i) */
	/* The request body, chunk by chunk, for routes that take one. */
	const char *upload;
	size_t *upload_size;
	int upload_done;            /* the whole body has been passed */
	void *state;                /* a handler's own, freed with free_state */
	void (*free_state)(void *state);
	const void *route_entry;    /* the vg_route, once found */
} vg_request;

/* Starts serving; *srv must hold a checked configuration. */
int vg_http_start(vg_server *srv, vg_err *err);
/* Stops accepting, lets requests in flight finish, then stops. */
void vg_http_stop(vg_server *srv);

/* ---- responses (each returns the MHD_queue_response result) ----------- */

/* Queues body (copied) with status and content type ("…; charset=utf-8"
 * for text) and the common headers; extra is a NULL-terminated list of
 * header name, value pairs, or NULL. */
enum MHD_Result vg_respond(vg_request *r, unsigned status, const char *type, const char *body,
                           size_t len, const char *const *extra);
/* Queues a JSON value (consumed). */
enum MHD_Result vg_respond_json(vg_request *r, unsigned status, json_t *value);
/* 401 with a Basic challenge (realm "Vigie"). */
enum MHD_Result vg_respond_login(vg_request *r, const char *message);
/* An error: {"error": {"code", "message"}} for the API, a short French
 * HTML page otherwise. */
enum MHD_Result vg_respond_error(vg_request *r, unsigned status, const char *code, const char *message);
/* The HTTP status and error code for a libvigie failure. */
unsigned vg_http_status_of(int rc, const char **code);

/* ---- parameters ------------------------------------------------------- */

/* Query parameter name, or NULL when absent. VG_EINVAL (with message) when
 * it holds a NUL byte or invalid UTF-8. */
int vg_param(vg_request *r, const char *name, const char **value, vg_err *err);
/* Unsigned parameter in [0, max], def when absent. */
int vg_param_uint(vg_request *r, const char *name, unsigned def, unsigned max, unsigned *value,
                  vg_err *err);
/* A document path parameter: required, relative, inside the repository. */
int vg_param_path(vg_request *r, const char *name, const char **value, vg_err *err);
/* Every value of a repeated parameter, in order, into a NULL-terminated
 * array (malloc'd; the strings belong to the connection). */
int vg_param_all(vg_request *r, const char *name, const char ***values, size_t *n, vg_err *err);

/* 1 when p is a path a document may have: relative, no "." or ".."
 * component, no empty component, no backslash or control character, valid
 * UTF-8. */
int vg_path_valid(const char *p, size_t len);

/* The client's address as text. */
void vg_client_address(vg_request *r, char *out, size_t size);

/* The cache key of this GET request for the repositories it reads and
 * their index revisions (malloc'd), or NULL. */
char *vg_cache_key(vg_request *r);
/* Answers from the cache when it holds key; returns 0 (nothing queued)
 * otherwise. */
int vg_respond_cached(vg_request *r, const char *key, const char *type, enum MHD_Result *ret);
/* Queues body and keeps it in the cache under key. */
enum MHD_Result vg_respond_and_cache(vg_request *r, const char *key, const char *type, const char *body,
                                     size_t len);

/* The server's public address ("http://host:port"), without a final slash;
 * malloc'd. */
char *vg_base_url(vg_request *r);

#endif
