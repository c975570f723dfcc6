/* The front end's static files, only from the web folder. */
#include "routes.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *type_of(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {{".html", "text/html; charset=utf-8"},     {".js", "text/javascript; charset=utf-8"},
	             {".css", "text/css; charset=utf-8"},       {".svg", "image/svg+xml"},
	             {".png", "image/png"},                     {".ico", "image/x-icon"},
	             {".json", "application/json; charset=utf-8"}, {".txt", "text/plain; charset=utf-8"}};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

enum MHD_Result vg_files_serve(vg_request *r)
{
	const char *rel;
	if (strcmp(r->url, "/") == 0 || strcmp(r->url, "/index.html") == 0)
		rel = "index.html";
	else if (strncmp(r->url, "/static/", 8) == 0)
		rel = r->url + 8;
	else
		return vg_respond_error(r, MHD_HTTP_NOT_FOUND, "not_found", "page introuvable");
	if (!vg_path_valid(rel, strlen(rel)))
		return vg_respond_error(r, MHD_HTTP_BAD_REQUEST, "bad_request", "chemin invalide");

	pthread_rwlock_rdlock(&r->server->lock);
	char *root = realpath(r->server->config.web, NULL);
	pthread_rwlock_unlock(&r->server->lock);
	char full[PATH_MAX];
	char *real = NULL;
	if (root && (size_t)snprintf(full, sizeof(full), "%s/%s", root, rel) < sizeof(full))
		real = realpath(full, NULL);
	size_t rlen = root ? strlen(root) : 0;
	struct stat st;
	/* Resolved links must still lead inside the web folder. */
	int ok = real && strncmp(real, root, rlen) == 0 && real[rlen] == '/' && stat(real, &st) == 0 &&
	         S_ISREG(st.st_mode) && st.st_size < 16 * 1024 * 1024;
	FILE *f = ok ? fopen(real, "rb") : NULL;
	free(root);
	if (!f) {
		free(real);
		return vg_respond_error(r, MHD_HTTP_NOT_FOUND, "not_found", "page introuvable");
	}
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_add_stream(&b, f);
	fclose(f);
	const char *extra[] = {MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache", NULL};
	enum MHD_Result ret = vg_respond(r, MHD_HTTP_OK, type_of(real), b.ptr ? b.ptr : "", b.len, extra);
	free(real);
	vg_strbuf_free(&b);
	return ret;
}
