#include "routes.h"

#include <string.h>

static const vg_route routes[] = {
	{"GET", "/api/search", "/api/search", 1, 0, VG_ACCESS_READ, vg_api_search},
	{"GET", "/api/suggest", "/api/suggest", 1, 0, VG_ACCESS_READ, vg_api_suggest},
	{"GET", "/api/doc", "/api/doc", 1, 0, VG_ACCESS_READ, vg_api_doc},
	{"GET", "/api/raw", "/api/raw", 1, 0, VG_ACCESS_READ, vg_api_raw},
	{"GET", "/api/history", "/api/history", 1, 0, VG_ACCESS_READ, vg_api_history},
	{"GET", "/api/diff", "/api/diff", 1, 0, VG_ACCESS_READ, vg_api_diff},
	{"GET", "/api/veille", "/api/veille", 1, 0, VG_ACCESS_READ, vg_api_veille},
	{"POST", "/api/reindex", "/api/reindex", 1, 0, VG_ACCESS_ADMIN, vg_api_reindex},
	{"GET", "/api/fields", "/api/fields", 1, 0, VG_ACCESS_READ, vg_api_fields},
	/* Where the page sends a reader to log in while anonymous reading is on. */
	{"GET", "/connexion", "/connexion", 0, 0, VG_ACCESS_ACCOUNT, vg_api_login},
	{"GET", "/healthz", "/healthz", 1, 0, VG_ACCESS_READ, vg_api_healthz},
	{"GET", "/metrics", "/metrics", 1, 0, VG_ACCESS_READ, vg_api_metrics},
	{"GET", "/feed.atom", "/feed.atom", 0, 0, VG_ACCESS_READ, vg_feed_atom},
	{"GET", "/veille.atom", "/veille.atom", 0, 0, VG_ACCESS_READ, vg_feed_veille},
	{"GET", "/export.csv", "/export.csv", 0, 0, VG_ACCESS_READ, vg_feed_csv},
	{"GET", "/opensearch.xml", "/opensearch.xml", 0, 0, VG_ACCESS_READ, vg_feed_opensearch},
	/* git smart HTTP: who may push is decided by the bridge. */
	{"GET", "/git/", "/git", 0, 1, VG_ACCESS_READ, vg_git_serve},
	{"POST", "/git/", "/git", 0, 1, VG_ACCESS_READ, vg_git_serve},
	{"GET", "/", "/static", 0, 0, VG_ACCESS_READ, vg_files_serve},
};

static int path_matches(const char *pattern, const char *path)
{
	size_t n = strlen(pattern);
	if (strcmp(pattern, "/") == 0)
		return strncmp(path, "/api/", 5) != 0 && strncmp(path, "/git/", 5) != 0;
	if (pattern[n - 1] == '/')
		return strncmp(pattern, path, n) == 0;
	return strcmp(pattern, path) == 0;
}

const vg_route *vg_route_find(const char *method, const char *path, int *method_ok)
{
	*method_ok = 0;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!path_matches(routes[i].path, path))
			continue;
		if (strcmp(routes[i].method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
			return &routes[i];
		*method_ok = 1;
	}
	return NULL;
}
