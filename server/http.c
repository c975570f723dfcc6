#include "http.h"
#include "escape.h"
#include "deadline.h"
#include "routes.h"
#include "store.h"
#include "text.h"

#include <strings.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Requests being answered; SIGTERM waits for them. */
static atomic_int in_flight;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- responses ------------------------------------------------------------ */

/* Scripts and styles only from this server; nothing else runs. */
static const char *const security_headers[] = {
	"X-Content-Type-Options", "nosniff",
	"Content-Security-Policy",
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	"connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
	"form-action 'self'; frame-ancestors 'none'",
	"Referrer-Policy", "same-origin",
	"X-Frame-Options", "DENY",
	NULL};

enum MHD_Result vg_respond(vg_request *r, unsigned status, const char *type, const char *body,
                           size_t len, const char *const *extra)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	for (const char *const *h = security_headers; *h; h += 2)
		MHD_add_response_header(resp, h[0], h[1]);
	int cache_set = 0;
	for (const char *const *h = extra; h && *h; h += 2) {
		MHD_add_response_header(resp, h[0], h[1]);
		cache_set |= strcmp(h[0], MHD_HTTP_HEADER_CACHE_CONTROL) == 0;
	}
	if (!cache_set)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	r->status = status;
	r->bytes = len;
	enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

enum MHD_Result vg_respond_json(vg_request *r, unsigned status, json_t *value)
{
	char *s = value ? json_dumps(value, JSON_COMPACT) : NULL;
	json_decref(value);
	if (!s)
		return vg_respond_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "mémoire insuffisante");
	enum MHD_Result ret = vg_respond(r, status, "application/json; charset=utf-8", s, strlen(s), NULL);
	free(s);
	return ret;
}

enum MHD_Result vg_respond_error(vg_request *r, unsigned status, const char *code, const char *message)
{
	if (r->api) {
		json_t *e = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message);
		char *s = e ? json_dumps(e, JSON_COMPACT) : NULL;
		json_decref(e);
		enum MHD_Result ret = vg_respond(r, status, "application/json; charset=utf-8",
		                                 s ? s : "{}", s ? strlen(s) : 2, NULL);
		free(s);
		return ret;
	}
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_puts(&b, "<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
	                   "<title>Vigie : erreur</title></head><body><main><h1>");
	vg_strbuf_printf(&b, "Erreur %u</h1><p>", status);
	vg_escape_html(&b, message, strlen(message));
	vg_strbuf_puts(&b, "</p><p><a href=\"/\">Retour à la recherche</a></p></main></body></html>\n");
	enum MHD_Result ret = vg_respond(r, status, "text/html; charset=utf-8", b.ptr ? b.ptr : "",
	                                 b.len, NULL);
	vg_strbuf_free(&b);
	return ret;
}

unsigned vg_http_status_of(int rc, const char **code)
{
	*code = vg_err_api_code(rc);
	return vg_err_http_status(rc);
}

/* ---- parameters ---------------------------------------------------------- */

static int check_value(const char *name, const char *value, size_t size, vg_err *err)
{
	if (strlen(value) != size)
		return vg_err_set(err, VG_EINVAL, "paramètre « %s » : octet nul interdit", name);
	for (size_t i = 0; i < size; i++)
		if ((unsigned char)value[i] < 0x20 && value[i] != '\t' && value[i] != '\n' && value[i] != '\r')
			return vg_err_set(err, VG_EINVAL, "paramètre « %s » : caractère de contrôle interdit", name);
	if (!vg_utf8_valid(value, size))
		return vg_err_set(err, VG_EINVAL, "paramètre « %s » : UTF-8 mal formé", name);
	return 0;
}

/* The query argument name (its size too: it may hold a NUL), or NULL. */
static const char *argument(vg_request *r, const char *name, size_t *size)
{
	const char *v = NULL;
	*size = 0;
	if (MHD_lookup_connection_value_n(r->conn, MHD_GET_ARGUMENT_KIND, name, strlen(name), &v, size) != MHD_YES)
		return NULL;
	return v;
}

int vg_param(vg_request *r, const char *name, const char **value, vg_err *err)
{
	size_t size;
	const char *v = argument(r, name, &size);
	*value = NULL;
	if (!v)
		return 0;
	int rc = check_value(name, v, size, err);
	if (rc == 0)
		*value = v;
	return rc;
}

int vg_param_uint(vg_request *r, const char *name, unsigned def, unsigned max, unsigned *value,
                  vg_err *err)
{
	const char *v;
	int rc = vg_param(r, name, &v, err);
	*value = def;
	if (rc < 0 || !v || !*v)
		return rc;
	char *end;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (*end || errno || v[0] == '-' || n > max)
		return vg_err_set(err, VG_EINVAL, "paramètre « %s » : entier de 0 à %u attendu", name, max);
	*value = (unsigned)n;
	return 0;
}

int vg_path_valid(const char *p, size_t len)
{
	if (len == 0 || len > 4096 || p[0] == '/' || strlen(p) != len || !vg_utf8_valid(p, len))
		return 0;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && ((unsigned char)p[i] < 0x20 || p[i] == '\\' || p[i] == 0x7f))
			return 0;
		if (i == len || p[i] == '/') {
			size_t n = i - start;
			if (n == 0 || (n == 1 && p[start] == '.') || (n == 2 && p[start] == '.' && p[start + 1] == '.'))
				return 0;
			start = i + 1;
		}
	}
	return 1;
}

int vg_param_path(vg_request *r, const char *name, const char **value, vg_err *err)
{
	size_t size;
	const char *v = argument(r, name, &size);
	*value = NULL;
	if (!v || size == 0)
		return vg_err_set(err, VG_EINVAL, "paramètre « %s » manquant", name);
	if (!vg_path_valid(v, size))
		return vg_err_set(err, VG_EINVAL, "chemin invalide : un chemin relatif au dépôt, sans « .. », est attendu");
	*value = v;
	return 0;
}

typedef struct all_ctx {
	const char *name;
	const char **values;
	size_t n, cap;
	int rc;
	vg_err *err;
} all_ctx;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                               const char *value, size_t value_size)
{
	all_ctx *c = cls;
	(void)kind;
	(void)key_size;
	if (!key || strcmp(key, c->name) != 0 || !value || c->rc < 0)
		return MHD_YES;
	if ((c->rc = check_value(c->name, value, value_size, c->err)) < 0)
		return MHD_NO;
	if (c->n + 1 >= c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		const char **v = realloc(c->values, cap * sizeof(*v));
		if (!v) {
			c->rc = vg_err_set(c->err, VG_ENOMEM, "mémoire insuffisante");
			return MHD_NO;
		}
		c->values = v;
		c->cap = cap;
	}
	c->values[c->n++] = value;
	c->values[c->n] = NULL;
	return MHD_YES;
}

int vg_param_all(vg_request *r, const char *name, const char ***values, size_t *n, vg_err *err)
{
	all_ctx c = {name, NULL, 0, 0, 0, err};
	MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, collect, &c);
	if (c.rc < 0) {
		free(c.values);
		return c.rc;
	}
	*values = c.values;
	*n = c.n;
	return 0;
}

/* Each part of a cache key is percent-encoded (vg_escape_url): no value
 * can imitate another part. */
static enum MHD_Result key_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	vg_strbuf *b = cls;
	(void)kind;
	vg_strbuf_putc(b, '&');
	vg_escape_url(b, key);
	vg_strbuf_putc(b, '=');
	vg_escape_url(b, value);
	return MHD_YES;
}

char *vg_cache_key(vg_request *r)
{
	if (!r->server->cache)
		return NULL;
	/* What is read decides the answer: each readable repository and its
	 * index revision, whoever reads them. */
	vg_strbuf b = VG_STRBUF_INIT;
	int stale = 0;
	pthread_rwlock_rdlock(&r->server->lock);
	for (size_t i = 0; i < r->server->config.n_repos; i++) {
		if (!((r->readable >> i) & 1))
			continue;
		char stamp[512];
		vg_store_stamp(r->server->config.repos[i].index, stamp, sizeof(stamp));
		stale |= !stamp[0];
		vg_escape_url(&b, r->server->config.repos[i].name);
		vg_strbuf_putc(&b, ':');
		vg_escape_url(&b, stamp);
		vg_strbuf_putc(&b, ',');
	}
	pthread_rwlock_unlock(&r->server->lock);
	if (stale || !b.len) {
		vg_strbuf_free(&b);
		return NULL;
	}
	vg_strbuf_putc(&b, ' ');
	vg_escape_url(&b, r->url);
	vg_strbuf_putc(&b, ' ');
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, key_arg, &b);
	/* Feeds hold the server's address, which may come from Host. */
	char *base = vg_base_url(r);
	vg_strbuf_putc(&b, ' ');
	vg_escape_url(&b, base);
	free(base);
	return vg_strbuf_detach(&b);
}

int vg_respond_cached(vg_request *r, const char *key, const char *type, enum MHD_Result *ret)
{
	char *body = NULL;
	size_t len = 0;
	if (!key || !vg_cache_get(r->server->cache, key, &body, &len))
		return 0;
	*ret = vg_respond(r, MHD_HTTP_OK, type, body, len, NULL);
	free(body);
	return 1;
}

enum MHD_Result vg_respond_and_cache(vg_request *r, const char *key, const char *type, const char *body,
                                     size_t len)
{
	if (key)
		vg_cache_put(r->server->cache, key, body, len);
	return vg_respond(r, MHD_HTTP_OK, type, body, len, NULL);
}

char *vg_base_url(vg_request *r)
{
	vg_strbuf b = VG_STRBUF_INIT;
	pthread_rwlock_rdlock(&r->server->lock);
	const char *configured = r->server->config.base_url;
	int tls = r->server->config.tls_cert != NULL;
	if (configured && *configured)
		vg_strbuf_puts(&b, configured);
	pthread_rwlock_unlock(&r->server->lock);
	if (b.len == 0) {
		const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
		/* Only a plausible host name or address goes into feeds. */
		if (!host || !*host || strlen(host) > 255 || strspn(host, "abcdefghijklmnopqrstuvwxyz"
		                                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != strlen(host))
			host = "localhost";
		vg_strbuf_printf(&b, "%s://%s", tls ? "https" : "http", host);
	}
	while (b.len > 0 && b.ptr[b.len - 1] == '/')
		b.ptr[--b.len] = '\0';
	return vg_strbuf_detach(&b);
}

/* ---- the daemon --------------------------------------------------------------- */

enum MHD_Result vg_respond_login(vg_request *r, const char *message)
{
	const char *extra[] = {MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Basic realm=\"Vigie\", charset=\"UTF-8\"", NULL};
	if (r->api) {
		json_t *e = json_pack("{s:{s:s, s:s}}", "error", "code", "unauthorized", "message", message);
		char *s = e ? json_dumps(e, JSON_COMPACT) : NULL;
		json_decref(e);
		enum MHD_Result ret = vg_respond(r, MHD_HTTP_UNAUTHORIZED, "application/json; charset=utf-8",
		                                 s ? s : "{}", s ? strlen(s) : 2, extra);
		free(s);
		return ret;
	}
	return vg_respond(r, MHD_HTTP_UNAUTHORIZED, "text/plain; charset=utf-8", message, strlen(message), extra);
}

void vg_client_address(vg_request *r, char *out, size_t size)
{
	snprintf(out, size, "-");
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)size);
}

/* Identifies the client from its Basic credentials; answers 401 itself and
 * returns -1 for wrong credentials or a login the route requires. */
static int authenticate(vg_request *r, const vg_route *route, enum MHD_Result *ret)
{
	char *password = NULL;
	char *user = MHD_basic_auth_get_username_password(r->conn, &password);
	char client[INET6_ADDRSTRLEN];
	vg_client_address(r, client, sizeof(client));
	/* The slow part (bcrypt, the delay after failures) runs outside the
	 * lock, on a reference that a reload cannot free meanwhile. */
	pthread_rwlock_rdlock(&r->server->lock);
	vg_auth *auth = vg_auth_ref(r->server->auth);
	pthread_rwlock_unlock(&r->server->lock);
	vg_auth_result res = vg_auth_check(auth, r->server->throttle, user, password, client, &r->user);
	vg_auth_free(auth);
	pthread_rwlock_rdlock(&r->server->lock);
	r->readable = vg_user_readable(&r->user, r->server->config.repos, r->server->config.n_repos,
	                               r->server->config.anonymous);
	pthread_rwlock_unlock(&r->server->lock);
	if (user)
		MHD_free(user);
	if (password) {
		explicit_bzero(password, strlen(password));
		MHD_free(password);
	}
	if (res == VG_AUTH_BAD) {
		*ret = vg_respond_login(r, "identifiant ou mot de passe incorrect");
		return -1;
	}
	if (route->access == VG_ACCESS_ACCOUNT && res != VG_AUTH_OK) {
		*ret = vg_respond_login(r, "identifiez-vous avec votre compte Vigie");
		return -1;
	}
	if (route->access == VG_ACCESS_ADMIN && r->user.role != VG_ROLE_ADMIN) {
		*ret = res == VG_AUTH_OK ? vg_respond_error(r, MHD_HTTP_FORBIDDEN, "forbidden", "réservé aux administrateurs")
		                         : vg_respond_login(r, "identification requise");
		return -1;
	}
	/* Nothing is open to anonymous readers: log in. The git bridge
	 * decides per repository itself. */
	if (res == VG_AUTH_ANONYMOUS && !r->readable && strcmp(route->name, "/git") != 0) {
		*ret = vg_respond_login(r, "identification requise");
		return -1;
	}
	return 0;
}

static enum MHD_Result add_length(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	size_t *n = cls;
	(void)kind;
	*n += strlen(key) + (value ? strlen(value) : 0) + 2;
	return MHD_YES;
}

static enum MHD_Result find_nul_name(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                     const char *value, size_t value_size)
{
	int *found = cls;
	(void)kind;
	(void)value;
	(void)value_size;
	if (key && strlen(key) != key_size)
		*found = 1;
	return *found ? MHD_NO : MHD_YES;
}

/* Whether a parameter's name holds a NUL byte: the handlers would not see
 * it, while the cache key would, cut short, as another parameter. */
static int nul_in_names(vg_request *r)
{
	int found = 0;
	MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, find_nul_name, &found);
	return found;
}

/* Path and query parameters, decoded: what the request asks for. */
static size_t request_target_length(vg_request *r)
{
	size_t n = strlen(r->url);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_length, &n);
	return n;
}

/* A POST from a browser page of another site (CSRF) is refused: browsers
 * say where a request comes from in Origin (and Sec-Fetch-Site); other
 * clients (git, curl) send neither. */
static int same_origin(vg_request *r)
{
	const char *site = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return 0;
	const char *origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Origin");
	if (!origin)
		return 1;
	char *own = vg_base_url(r);
	int same = own && strcmp(origin, own) == 0;
	free(own);
	return same;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
	vg_server *srv = cls;
	vg_request *r = *con_cls;
	(void)version;
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		r->server = srv;
		r->conn = conn;
		r->method = method;
		r->url = url;
		r->route = "other";
		r->start = now();
		*con_cls = r;
		atomic_fetch_add(&in_flight, 1);
		vg_deadlines_headers(srv->deadlines, conn);
		/* Route and identify now: an answer queued before any body is
		 * read reaches the client (a refused push is not cut off). */
		int method_ok;
		const vg_route *route = vg_route_find(method, url, &method_ok);
		r->api = strncmp(url, "/api/", 5) == 0;
		if (!route) {
			if (method_ok) {
				/* The other method of this path (GET or POST). */
				r->status = MHD_HTTP_METHOD_NOT_ALLOWED;
				const char *extra[] = {MHD_HTTP_HEADER_ALLOW, strcmp(method, "GET") == 0 ? "POST" : "GET, HEAD", NULL};
				const char *body = "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"méthode non autorisée\"}}";
				return vg_respond(r, MHD_HTTP_METHOD_NOT_ALLOWED, "application/json; charset=utf-8", body,
				                  strlen(body), extra);
			}
			return vg_respond_error(r, MHD_HTTP_NOT_FOUND, "not_found", "page introuvable");
		}
		r->route = route->name;
		r->api = route->api;
		if (request_target_length(r) > srv->config.max_url)
			return vg_respond_error(r, MHD_HTTP_URI_TOO_LONG, "uri_too_long", "requête trop longue");
		if (nul_in_names(r))
			return vg_respond_error(r, MHD_HTTP_BAD_REQUEST, "bad_request", "nom de paramètre invalide (octet nul)");
		if (strcmp(method, "POST") == 0 && !same_origin(r))
			return vg_respond_error(r, MHD_HTTP_FORBIDDEN, "cross_site",
			                        "requête venue d'une page d'un autre site : refusée");
		enum MHD_Result ret;
		if (authenticate(r, route, &ret) < 0 || (route->handler == vg_git_serve && vg_git_precheck(r, &ret) < 0))
			return ret;
		r->route_entry = route;
		return MHD_YES;
	}
	const vg_route *route = r->route_entry;
	if (*upload_size == 0)
		vg_deadlines_read(srv->deadlines, conn); /* the whole request is in */
	if (r->status || !route) {
		/* Answered already: drop the rest of the body. */
		*upload_size = 0;
		return MHD_YES;
	}
	if (route->body) {
		r->upload = upload_data;
		r->upload_size = upload_size;
		r->upload_done = *upload_size == 0;
		return route->handler(r);
	}
	if (*upload_size) {
		*upload_size = 0;
		return MHD_YES;
	}
	return route->handler(r);
}

/* Connections are watched for requests that arrive too slowly. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	vg_server *srv = cls;
	(void)socket_context;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		vg_deadlines_request(srv->deadlines, conn, info ? info->connect_fd : -1);
	} else {
		vg_deadlines_close(srv->deadlines, conn);
	}
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	vg_server *srv = cls;
	vg_request *r = *con_cls;
	if (!r)
		return;
	double seconds = now() - r->start;
	char addr[INET6_ADDRSTRLEN];
	vg_client_address(r, addr, sizeof(addr));
	time_t t = time(NULL);
	struct tm tm;
	char stamp[32];
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	unsigned status = r->status ? r->status : 499;
	/* One write per line, without stdio's lock: 64 threads logging at once
	 * would otherwise queue on it. */
	char line[1024];
	vg_strbuf url = VG_STRBUF_INIT, user = VG_STRBUF_INIT, method = VG_STRBUF_INIT;
	vg_escape_log(&url, r->url);
	vg_escape_log(&user, r->user.name[0] ? r->user.name : "-");
	vg_escape_log(&method, r->method);
	int n = snprintf(line, sizeof(line), "%s %s %s %s %.600s %u %zu %.3fms%s\n", stamp, addr, user.ptr ? user.ptr : "-",
	                 method.ptr ? method.ptr : "-", url.ptr ? url.ptr : "-", status, r->bytes, seconds * 1000,
	                 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " interrompu");
	vg_strbuf_free(&url);
	vg_strbuf_free(&user);
	vg_strbuf_free(&method);
	if (n > 0) {
		size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
		line[len - 1] = '\n';
		ssize_t w = write(STDERR_FILENO, line, len);
		(void)w; /* a log that cannot be written is not worth failing a request */
	}
	vg_metrics_record(srv->metrics, r->route, status, seconds);
	vg_deadlines_request(srv->deadlines, conn, -1); /* the next one, if kept alive */
	if (r->free_state)
		r->free_state(r->state);
	vg_user_clear(&r->user);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&in_flight, 1);
}

static char *read_file(const char *path, vg_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		vg_err_set(err, VG_ENOTFOUND, "%s : %s", path, strerror(errno));
		return NULL;
	}
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_add_stream(&b, f);
	fclose(f);
	char *s = vg_strbuf_detach(&b);
	if (!s)
		vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	return s;
}

/* libmicrohttpd's own messages (English, with the system's reason) go to
 * the log as one line each, marked as its. */
__attribute__((format(printf, 2, 0))) static void log_mhd(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	int n = snprintf(line, sizeof(line), "vigie-server : libmicrohttpd : ");
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	while (len > 0 && line[len - 1] == '\n')
		len--;
	line[len++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, len);
	(void)w;
}

int vg_http_start(vg_server *srv, vg_err *err)
{
	const vg_config *c = &srv->config;
	struct sockaddr_storage addr;
	memset(&addr, 0, sizeof(addr));
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
	                 MHD_USE_ITC;
	struct addrinfo hints, *ai = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	char port[16];
	snprintf(port, sizeof(port), "%u", c->port);
	if (getaddrinfo(c->listen, port, &hints, &ai) != 0 || !ai)
		return vg_err_set(err, VG_EINVAL, "adresse d'écoute invalide : %s (une adresse IP est attendue)",
		                  c->listen);
	memcpy(&addr, ai->ai_addr, ai->ai_addrlen);
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	freeaddrinfo(ai);

	char *cert = NULL, *key = NULL;
	struct MHD_OptionItem tls[3] = {{MHD_OPTION_END, 0, NULL}, {MHD_OPTION_END, 0, NULL},
	                                {MHD_OPTION_END, 0, NULL}};
	if (c->tls_cert) {
		if (!(cert = read_file(c->tls_cert, err)) || !(key = read_file(c->tls_key, err))) {
			free(cert);
			return err->code;
		}
		flags |= MHD_USE_TLS;
		tls[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, cert};
		tls[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, key};
	}
	if (vg_deadlines_start(&srv->deadlines, c->max_connections + 16, c->header_timeout, c->request_timeout, err) < 0)
		return err->code;
	srv->daemon = MHD_start_daemon(
		flags, (uint16_t)c->port, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
		MHD_OPTION_SOCK_ADDR, &addr,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)c->max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)c->max_per_ip, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)c->timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)c->memory_limit, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv, MHD_OPTION_ARRAY, tls,
		MHD_OPTION_END);
	/* libmicrohttpd copies the PEM data at start. */
	free(cert);
	free(key);
	if (!srv->daemon) {
		vg_deadlines_stop(srv->deadlines);
		srv->deadlines = NULL;
		return vg_err_set(err, VG_EIO, "impossible d'écouter sur %s:%u (port occupé ou droits insuffisants)",
		                  c->listen, c->port);
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : c->port;
	return 0;
}

void vg_http_stop(vg_server *srv)
{
	if (!srv->daemon)
		return;
	MHD_socket s = MHD_quiesce_daemon(srv->daemon);
	if (s != MHD_INVALID_SOCKET)
		close(s);
	/* Let answers in progress finish (at most 10 s). */
	for (int i = 0; i < 1000 && atomic_load(&in_flight) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(srv->daemon);
	srv->daemon = NULL;
	vg_deadlines_stop(srv->deadlines);
	srv->deadlines = NULL;
}
