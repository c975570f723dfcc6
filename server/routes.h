/* The route table: which handler answers which method and path. */
#ifndef VG_SERVER_ROUTES_H
#define VG_SERVER_ROUTES_H

#include "http.h"

typedef enum MHD_Result (*vg_handler)(vg_request *r);

typedef enum {
	VG_ACCESS_READ,    /* anyone when anonymous reading is on, else any user */
	VG_ACCESS_ACCOUNT, /* any user: anonymous readers are asked to log in */
	VG_ACCESS_ADMIN    /* admins only */
} vg_access;

typedef struct vg_route {
	const char *method;
	const char *path;   /* exact path, or a prefix when it ends with '/' */
	const char *name;   /* for logs and metrics */
	int api;            /* answers JSON */
	int body;           /* the handler takes the request body, chunk by chunk */
	vg_access access;
	vg_handler handler;
} vg_route;

/* The route for method and path, or NULL; *method_ok tells whether the
 * path exists with another method (405 rather than 404). */
const vg_route *vg_route_find(const char *method, const char *path, int *method_ok);

/* Reads the search parameters shared by the API and the feeds (q, as_of,
 * sort, offset, limit, one parameter per facet); *filters is freed with
 * vg_api_free_filters(*filters, req->n_filters). */
int vg_api_search_request(vg_request *r, vg_search_req *req, char ***filters, vg_err *err);
void vg_api_free_filters(char **filters, size_t n);

/* Borrows a reader of the repositories the request's user may read
 * (narrowed: only those its `repo` parameters name, if any), or answers
 * (401, 403, 404 for a repository not readable, 503 when an index cannot
 * be opened) and returns NULL. Give it back with vg_readers_put. */
vg_reader *vg_borrow_reader(vg_request *r, int narrowed, enum MHD_Result *ret);

/* Sets obj[key] to the subject of the commit hex of rr (a version's
 * amending text); leaves obj as it is when rr, hex or the commit is
 * unknown. */
void vg_set_commit_subject(vg_reader_repo *rr, const char *hex, json_t *obj, const char *key);
/* The subject of the commit hex of rr, malloc'd; NULL when rr, hex or the
 * commit is unknown, or memory runs out. */
char *vg_commit_subject(vg_reader_repo *rr, const char *hex);

/* Handlers (api.c, feed.c, files.c). */
enum MHD_Result vg_api_search(vg_request *r);
enum MHD_Result vg_api_suggest(vg_request *r);
enum MHD_Result vg_api_doc(vg_request *r);
enum MHD_Result vg_api_raw(vg_request *r);
enum MHD_Result vg_api_history(vg_request *r);
enum MHD_Result vg_api_diff(vg_request *r);
enum MHD_Result vg_api_healthz(vg_request *r);
enum MHD_Result vg_api_fields(vg_request *r);
enum MHD_Result vg_api_metrics(vg_request *r);
enum MHD_Result vg_feed_atom(vg_request *r);
enum MHD_Result vg_feed_opensearch(vg_request *r);
enum MHD_Result vg_feed_csv(vg_request *r);
enum MHD_Result vg_files_serve(vg_request *r);
enum MHD_Result vg_api_reindex(vg_request *r);
enum MHD_Result vg_api_login(vg_request *r);
enum MHD_Result vg_api_veille(vg_request *r);
enum MHD_Result vg_feed_veille(vg_request *r);
/* The legal watch's review list for the request's repo, since, du, au,
 * domaine and academie parameters, handed to use with the reader that
 * holds its repositories (for the commits' subjects), ctx passed on; use
 * returns 0, or -1 when memory ran out. Answers the error itself and
 * returns -1 otherwise. */
struct vg_veille_list;
struct vg_reader;
typedef int (*vg_veille_use)(struct vg_reader *rd, const struct vg_veille_list *l, void *ctx);
int vg_api_veille_review(vg_request *r, vg_veille_use use, void *ctx, enum MHD_Result *ret);
enum MHD_Result vg_git_serve(vg_request *r);
/* Before any body: is this a request git may serve, and may this user
 * clone or push? Answers itself and returns -1 when not. */
int vg_git_precheck(vg_request *r, enum MHD_Result *ret);

/* ---- the git bridge's decision ------------------------------------------ */

typedef enum vg_git_service {
	VG_GIT_FETCH = 1, /* git-upload-pack: clone, fetch, ls-remote */
	VG_GIT_PUSH       /* git-receive-pack */
} vg_git_service;

/* What git http-backend will run for a request, written back as the only
 * PATH_INFO and QUERY_STRING it is given. */
typedef struct vg_git_target {
	vg_git_service service;
	int pack;            /* the POST of a pack exchange, not the ref advertisement */
	char path_info[320];
	char query[32];
} vg_git_target;

/* Classifies a /git/ request into *out from its method, its decoded path
 * (url), the value of its `service` query parameter (NULL when absent)
 * and how many times that parameter was given, for the repository the
 * URL names repo_name ("/git/NAME/...") whose bare folder is called
 * folder. Only "/git/NAME/info/refs" (GET or HEAD,
 * with service git-upload-pack or git-receive-pack), "/git/NAME/git-upload-pack"
 * and "/git/NAME/git-receive-pack" (POST) are served: the dumb protocol and
 * every other form are VG_ENOTFOUND; a repeated service is VG_EINVAL.
 * This function does not allocate. */
int vg_git_classify(vg_git_target *out, const char *method, const char *url, const char *service,
                    size_t n_service, const char *repo_name, const char *folder);

#endif
