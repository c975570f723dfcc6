/* The route table: which handler answers which method and path. */
#ifndef VG_SERVER_ROUTES_H
#define VG_SERVER_ROUTES_H

#include "http.h"

typedef enum MHD_Result (*vg_handler)(vg_request *r);

typedef enum {
	VG_ACCESS_READ,    /* anyone when anonymous reading is on, else any user */
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

/* Borrows a reader restricted to what the request's user may see, or
 * answers 503 (and returns NULL) when the index cannot be opened. Give it
 * back with vg_readers_put. */
vg_reader *vg_borrow_reader(vg_request *r, enum MHD_Result *ret);

/* Handlers (api.c, feed.c, files.c). */
enum MHD_Result vg_api_search(vg_request *r);
enum MHD_Result vg_api_suggest(vg_request *r);
enum MHD_Result vg_api_doc(vg_request *r);
enum MHD_Result vg_api_raw(vg_request *r);
enum MHD_Result vg_api_history(vg_request *r);
enum MHD_Result vg_api_diff(vg_request *r);
enum MHD_Result vg_api_healthz(vg_request *r);
enum MHD_Result vg_api_metrics(vg_request *r);
enum MHD_Result vg_feed_atom(vg_request *r);
enum MHD_Result vg_feed_opensearch(vg_request *r);
enum MHD_Result vg_files_serve(vg_request *r);
enum MHD_Result vg_api_reindex(vg_request *r);
enum MHD_Result vg_git_serve(vg_request *r);
/* Before any body: may this user clone or push? Answers itself and returns
 * -1 when not. */
int vg_git_precheck(vg_request *r, enum MHD_Result *ret);

#endif
