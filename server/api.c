/* The JSON API: search, suggestions, documents, raw files, history, diffs,
 * health and metrics. Handlers parse and check parameters, borrow a reader
 * and call libvigie; they never parse documents or build queries. */
#include "catalog.h"
#include "document.h"
#include "escape.h"
#include "render.h"
#include "routes.h"
#include "text.h"
#include "timeline.h"
#include "veille.h"
#include "wdiff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define RAW_MAX (64u * 1024 * 1024)


/* An index that cannot be read is checked and, when damaged, rebuilt
 * from git; the request is told so rather than given a 500. Which of the
 * repositories read failed is not known here: each watcher checks its
 * own index, and only a damaged one is rebuilt. */
static int report_damage(vg_request *r, int rc, const vg_err *err)
{
	int any = 0;
	if (rc != VG_ECORRUPT && rc != VG_EIO)
		return 0;
	for (size_t i = 0; i < r->server->n_watches; i++) {
		if (((r->readable >> i) & 1) && r->server->watches[i]) {
			vg_watch_suspect(r->server->watches[i], err->msg);
			any = 1;
		}
	}
	return any;
}

static enum MHD_Result fail(vg_request *r, int rc, const vg_err *err)
{
	const char *code;
	if (report_damage(r, rc, err))
		return vg_respond_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "corrupt",
		                        "index illisible ou endommagé : il est vérifié et, s'il le faut, reconstruit "
		                        "depuis le dépôt git ; réessayez dans un instant");
	unsigned status = vg_http_status_of(rc, &code);
	return vg_respond_error(r, status, code, err->msg);
}

/* The readable repositories narrowed to the `repo` parameters, if any.
 * A name the reader may not read is as unknown as one that does not
 * exist: nobody learns what they may not read. */
static int searched_set(vg_request *r, uint64_t *set, vg_err *err)
{
	const char **names = NULL;
	size_t n = 0;
	int rc = vg_param_all(r, "repo", &names, &n, err);
	*set = r->readable;
	if (rc < 0 || n == 0) {
		free(names);
		return rc;
	}
	uint64_t wanted = 0;
	pthread_rwlock_rdlock(&r->server->lock);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		size_t pos = 0;
		if (!*names[i])
			continue;
		if (!vg_config_repo(&r->server->config, names[i], &pos) || !((r->readable >> pos) & 1))
			rc = vg_err_set(err, VG_ENOTFOUND, "dépôt inconnu « %s »", names[i]);
		else
			wanted |= (uint64_t)1 << pos;
	}
	pthread_rwlock_unlock(&r->server->lock);
	free(names);
	if (wanted)
		*set = wanted;
	return rc;
}

vg_reader *vg_borrow_reader(vg_request *r, int narrowed, enum MHD_Result *ret)
{
	vg_reader *rd = NULL;
	vg_err err;
	uint64_t set = r->readable;
	int rc = narrowed ? searched_set(r, &set, &err) : 0;
	if (rc < 0) {
		*ret = fail(r, rc, &err);
		return NULL;
	}
	if (!set) {
		*ret = r->user.name[0] ? vg_respond_error(r, MHD_HTTP_FORBIDDEN, "forbidden",
		                                          "aucun dépôt n'est ouvert à votre compte")
		                       : vg_respond_login(r, "identification requise");
		return NULL;
	}
	if ((rc = vg_readers_get(r->server->readers, set, &rd, &err)) < 0) {
		report_damage(r, rc, &err);
		*ret = vg_respond_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", err.msg);
		return NULL;
	}
	return rd;
}

static vg_reader *borrow(vg_request *r, enum MHD_Result *ret)
{
	return vg_borrow_reader(r, 1, ret);
}

/* The repository of a document: the `repo` parameter, or the first
 * readable repository that holds path at rev. Answers the error itself
 * and returns NULL when there is none. */
static vg_reader_repo *document_repo(vg_request *r, vg_reader *rd, const char *path, const char *rev,
                                     enum MHD_Result *ret)
{
	const char *name = NULL;
	vg_err err;
	int rc = vg_param(r, "repo", &name, &err);
	if (rc < 0) {
		*ret = fail(r, rc, &err);
		return NULL;
	}
	if (name && *name) {
		vg_reader_repo *rr = vg_reader_find(rd, name);
		if (!rr)
			*ret = vg_respond_error(r, MHD_HTTP_NOT_FOUND, "not_found", "dépôt inconnu");
		return rr;
	}
	for (size_t i = 0; i < rd->n_repos; i++) {
		double pos;
		unsigned docid = 0;
		if (vg_searcher_position(rd->repos[i].searcher, rev, &pos, &err) == 0 &&
		    vg_searcher_find_version(rd->repos[i].searcher, path, pos, &docid, &err) == 0 && docid)
			return &rd->repos[i];
	}
	if (rd->n_repos == 1)
		return &rd->repos[0]; /* its own message */
	char msg[300];
	snprintf(msg, sizeof(msg), "document introuvable : %s", path);
	*ret = vg_respond_error(r, MHD_HTTP_NOT_FOUND, "not_found", msg);
	return NULL;
}

static void give_back(vg_request *r, vg_reader *rd)
{
	vg_readers_put(r->server->readers, rd);
}

/* "field=value" strings for every facet parameter given. */
static int collect_filters(vg_request *r, char ***out, size_t *n, vg_err *err)
{
	char **filters = NULL;
	size_t count = 0;
	*out = NULL;
	*n = 0;
	/* One parameter per filter field of fields.def, and ref and dossier. */
	static const char *const more[] = {"ref", "dossier"};
	for (size_t k = 0; k < VG_N_FIELDS + 2; k++) {
		if (k < VG_N_FIELDS && vg_fields[k].kind != VG_FILTER)
			continue;
		const char *f = k < VG_N_FIELDS ? vg_fields[k].name : more[k - VG_N_FIELDS];
		const char **values = NULL;
		size_t nv = 0;
		int rc = vg_param_all(r, f, &values, &nv, err);
		for (size_t i = 0; rc == 0 && i < nv; i++) {
			if (!*values[i])
				continue;
			if (count >= 64) {
				rc = vg_err_set(err, VG_EINVAL, "trop de filtres (64 au plus)");
				break;
			}
			char **grown = realloc(filters, (count + 1) * sizeof(*grown));
			size_t len = strlen(f) + strlen(values[i]) + 2;
			char *s = grown ? malloc(len) : NULL;
			if (grown)
				filters = grown;
			if (!s) {
				rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
				break;
			}
			snprintf(s, len, "%s=%s", f, values[i]);
			filters[count++] = s;
		}
		free(values);
		if (rc < 0) {
			for (size_t i = 0; i < count; i++)
				free(filters[i]);
			free(filters);
			return rc;
		}
	}
	*out = filters;
	*n = count;
	return 0;
}

int vg_api_search_request(vg_request *r, vg_search_req *req, char ***filters, vg_err *err)
{
	const char *sort = NULL, *verbatim = NULL;
	size_t n = 0;
	int rc;
	memset(req, 0, sizeof(*req));
	*filters = NULL;
	if ((rc = vg_param(r, "q", &req->query, err)) < 0 || (rc = vg_param(r, "as_of", &req->as_of, err)) < 0 ||
	    (rc = vg_param(r, "sort", &sort, err)) < 0 || (rc = vg_param(r, "verbatim", &verbatim, err)) < 0 ||
	    (rc = vg_param(r, "du", &req->date_from, err)) < 0 || (rc = vg_param(r, "au", &req->date_to, err)) < 0 ||
	    (rc = vg_param_uint(r, "offset", 0, 100000, &req->offset, err)) < 0 ||
	    (rc = vg_param_uint(r, "limit", 10, 100, &req->limit, err)) < 0)
		return rc;
	if (sort && *sort) {
		if (strcmp(sort, "date") == 0)
			req->sort_by_date = 1;
		else if (strcmp(sort, "recent") == 0)
			req->sort_by_change = 1;
		else if (strcmp(sort, "relevance") != 0 && strcmp(sort, "pertinence") != 0)
			return vg_err_set(err, VG_EINVAL, "tri inconnu « %s » (relevance, date ou recent)", sort);
	}
	req->verbatim = verbatim && strcmp(verbatim, "1") == 0;
	if ((rc = collect_filters(r, filters, &n, err)) < 0)
		return rc;
	req->filters = (const char *const *)*filters;
	req->n_filters = n;
	return 0;
}

void vg_api_free_filters(char **filters, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(filters[i]);
	free(filters);
}

#define JSON_TYPE "application/json; charset=utf-8"

/* Answers a JSON value (consumed) and keeps it in the cache under key. */
static enum MHD_Result respond_cached_json(vg_request *r, const char *key, json_t *value)
{
	char *s = json_dumps(value, JSON_COMPACT);
	json_decref(value);
	if (!s)
		return vg_respond_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "mémoire insuffisante");
	enum MHD_Result ret = vg_respond_and_cache(r, key, JSON_TYPE, s, strlen(s));
	free(s);
	return ret;
}

/* The notes to review in the reader's repositories, as of the indexes
 * read now: computed once per handle and index revision, not per request,
 * and then only for what moved since the handle's last revision.
 * Borrowed from rd; NULL when they cannot be computed. */
static const vg_veille_list *notes_to_review(vg_reader *rd)
{
	char *stamp = vg_searcher_stamp(rd->searcher);
	if (!stamp)
		return NULL;
	if (rd->review && rd->review_stamp && strcmp(stamp, rd->review_stamp) == 0) {
		free(stamp);
		return rd->review;
	}
	vg_veille_list *res = calloc(1, sizeof(*res));
	vg_err err;
	if (!res || (!rd->veille && !(rd->veille = vg_veille_cache_new())) ||
	    vg_veille_review_cached(res, rd->searcher, rd->veille, &err) < 0) {
		free(res);
		free(stamp);
		return NULL;
	}
	if (rd->review)
		vg_veille_list_clear(rd->review);
	free(rd->review);
	free(rd->review_stamp);
	rd->review = res;
	rd->review_stamp = stamp;
	return res;
}

/* The paths of the notes to review that the request's user may read, into
 * *paths; -1 when they cannot be known. */
static int paths_to_review(vg_request *r, vg_strlist *paths)
{
	vg_reader *all = NULL;
	vg_err err;
	if (!r->readable || vg_readers_get(r->server->readers, r->readable, &all, &err) < 0)
		return -1;
	const vg_veille_list *review = notes_to_review(all);
	int rc = review ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < review->n_notes; i++)
		if (review->notes[i].path && vg_strlist_add_unique(paths, review->notes[i].path) < 0)
			rc = -1;
	give_back(r, all);
	return rc;
}

/* The « à revoir » facet: how many of the search's matches are notes to
 * review (a_revoir=oui keeps only those), counted as if that choice were
 * not made. Nothing when none is. */
static int review_facet(vg_reader *rd, const vg_search_req *req, const vg_strlist *paths, vg_results *res,
                        vg_err *err)
{
	unsigned long long n = res->total;
	int rc = 0;
	if (!paths->count)
		return 0;
	if (!req->only_paths_set) {
		vg_search_req count = *req;
		vg_results other;
		count.only_paths_set = 1;
		count.only_paths = (const char *const *)paths->items;
		count.n_only_paths = paths->count;
		count.offset = 0;
		count.limit = 1;
		if ((rc = vg_search_run(&other, rd->searcher, &count, err)) == 0) {
			n = other.total;
			vg_results_clear(&other);
		}
	}
	vg_facet_count oui = {"oui", n};
	if (rc == 0 && (n > 0 || req->only_paths_set) && vg_results_set_facet(res, "a_revoir", &oui, 1) < 0)
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	return rc;
}

/* With repositories chosen (repo=), the repo facet still counts every
 * readable one, as if the choice were not there (as the other facets do
 * for their own filters): ticking one more says what it would add. */
static int repo_facet_of_all(vg_request *r, const vg_search_req *req, vg_results *res, vg_err *err)
{
	uint64_t set = r->readable;
	if (searched_set(r, &set, err) < 0 || set == r->readable)
		return 0;
	vg_reader *all = NULL;
	vg_err unused;
	/* Without it, the counts of the chosen ones stand. */
	if (vg_readers_get(r->server->readers, r->readable, &all, &unused) < 0)
		return 0;
	vg_search_req counts = *req;
	counts.offset = 0;
	counts.limit = 1;
	vg_results other;
	/* What the others cannot count (a remote one as of a date) leaves the
	 * counts of the chosen ones. */
	int rc = vg_search_run(&other, all->searcher, &counts, &unused);
	give_back(r, all);
	if (rc < 0)
		return rc == VG_ENOMEM ? vg_err_set(err, VG_ENOMEM, "mémoire insuffisante") : 0;
	const vg_facet *by_repo = vg_results_facet(&other, "repo");
	if (by_repo && vg_results_set_facet(res, "repo", by_repo->values, by_repo->n) < 0)
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	vg_results_clear(&other);
	return rc;
}

enum MHD_Result vg_api_search(vg_request *r)
{
	vg_search_req req;
	char **filters = NULL;
	vg_err err;
	enum MHD_Result ret = MHD_NO;
	char *key = vg_cache_key(r);
	if (vg_respond_cached(r, key, JSON_TYPE, &ret)) {
		free(key);
		return ret;
	}
	int rc = vg_api_search_request(r, &req, &filters, &err);
	if (rc < 0) {
		free(key);
		return fail(r, rc, &err);
	}
	/* The notes to review, for their facet and a_revoir=oui, found before
	 * the search's own handle is borrowed (one handle at a time). */
	const char *review = NULL;
	vg_strlist paths = {NULL, 0};
	int known = 0;
	if ((rc = vg_param(r, "a_revoir", &review, &err)) == 0 && review && *review && strcmp(review, "oui") != 0)
		rc = vg_err_set(&err, VG_EINVAL, "paramètre « a_revoir » : « oui » attendu");
	if (rc == 0)
		known = paths_to_review(r, &paths) == 0;
	if (rc == 0 && review && *review) {
		if (!known)
			rc = vg_err_set(&err, VG_EUNREACHABLE, "la liste des notes à revoir est momentanément indisponible");
		req.only_paths_set = 1;
		req.only_paths = (const char *const *)paths.items;
		req.n_only_paths = paths.count;
	}
	if (rc < 0) {
		free(key);
		vg_strlist_clear(&paths);
		vg_api_free_filters(filters, req.n_filters);
		return fail(r, rc, &err);
	}
	vg_reader *rd = borrow(r, &ret);
	if (!rd) {
		free(key);
		vg_strlist_clear(&paths);
		vg_api_free_filters(filters, req.n_filters);
		return ret;
	}
	vg_results res;
	json_t *json = NULL;
	if ((rc = vg_search_run(&res, rd->searcher, &req, &err)) == 0 &&
	    (rc = review_facet(rd, &req, &paths, &res, &err)) < 0)
		vg_results_clear(&res);
	/* A remote index that did not answer: the others do, and the page
	 * says which part is missing. */
	json_t *names = NULL;
	if (rc == 0 && rd->unreachable.count) {
		names = json_array();
		for (size_t i = 0; names && i < rd->unreachable.count; i++)
			json_array_append_new(names, json_string(rd->unreachable.items[i]));
	}
	give_back(r, rd);
	if (rc == 0 && (rc = repo_facet_of_all(r, &req, &res, &err)) < 0)
		vg_results_clear(&res);
	if (rc == 0) {
		if (!(json = vg_results_json(&res)))
			rc = vg_err_set(&err, VG_ENOMEM, "mémoire insuffisante");
		else if (names)
			json_object_set(json, "unavailable", names);
		vg_results_clear(&res);
	}
	json_decref(names);
	vg_strlist_clear(&paths);
	vg_api_free_filters(filters, req.n_filters);
	ret = rc < 0 ? fail(r, rc, &err) : respond_cached_json(r, key, json);
	free(key);
	return ret;
}

enum MHD_Result vg_api_suggest(vg_request *r)
{
	const char *q;
	vg_err err;
	int rc = vg_param(r, "q", &q, &err);
	if (rc < 0)
		return fail(r, rc, &err);
	if (!q || !vg_utf8_valid(q, strlen(q)) || vg_utf8_length(q) > VG_QUERY_MAX)
		return vg_respond_error(r, MHD_HTTP_BAD_REQUEST, "bad_query", "paramètre « q » manquant ou trop long");
	enum MHD_Result ret = MHD_NO;
	char *key = vg_cache_key(r);
	if (vg_respond_cached(r, key, JSON_TYPE, &ret)) {
		free(key);
		return ret;
	}
	vg_reader *rd = borrow(r, &ret);
	if (!rd) {
		free(key);
		return ret;
	}
	vg_strlist words;
	size_t keep = 0;
	rc = vg_catalog_suggest(&words, rd->searcher, q, 8, &keep, &err);
	give_back(r, rd);
	if (rc < 0) {
		free(key);
		return fail(r, rc, &err);
	}
	json_t *res;
	const char *format = NULL;
	if (vg_param(r, "format", &format, &err) == 0 && format && strcmp(format, "opensearch") == 0) {
		/* The browser's address bar wants whole queries: ["q", [...]],
		 * the query with its last word completed. */
		json_t *list = json_array();
		for (size_t i = 0; list && i < words.count; i++) {
			vg_strbuf b = VG_STRBUF_INIT;
			vg_strbuf_add(&b, q, keep);
			vg_strbuf_puts(&b, words.items[i]);
			json_array_append_new(list, json_stringn(b.ptr ? b.ptr : "", b.len));
			vg_strbuf_free(&b);
		}
		res = json_pack("[s, o]", q, list);
	} else {
		res = json_pack("{s:s, s:o}", "query", q, "completions", vg_strings_json(&words));
	}
	vg_strlist_clear(&words);
	ret = respond_cached_json(r, key, res);
	free(key);
	return ret;
}

/* The stored blob of a document version. */
static int read_version_blob(vg_reader_repo *rr, const char *blob, char **data, size_t *size, vg_err *err)
{
	if (!blob)
		return vg_err_set(err, VG_ECORRUPT, "version sans contenu enregistré");
	return vg_repo_read_blob_hex(rr->git, blob, RAW_MAX, data, size, err);
}

char *vg_commit_subject(vg_reader_repo *rr, const char *hex)
{
	char *author = NULL, *email = NULL, *subject = NULL;
	int64_t when = 0;
	vg_err err;
	if (!rr || !hex || !*hex || vg_repo_describe_hex(rr->git, hex, &author, &email, &when, &subject, &err) < 0)
		subject = NULL;
	free(author);
	free(email);
	return subject;
}

void vg_set_commit_subject(vg_reader_repo *rr, const char *hex, json_t *obj, const char *key)
{
	char *subject = vg_commit_subject(rr, hex);
	if (subject)
		json_object_set_new(obj, key, json_string(subject));
	free(subject);
}

/* A version named by the repo, path and rev parameters into *doc, with
 * its JSON (its repository in "repo", its commit's subject in
 * "version"."amended_by"), its repository's name (*repo, free it) and its
 * original bytes. Answers the error itself and returns -1 when there is
 * none; *doc is then empty. */
static int load_version(vg_request *r, const char **path, vg_document *doc, json_t **json, char **repo, char **data,
                        size_t *size, enum MHD_Result *ret)
{
	const char *rev;
	vg_err err;
	int rc;
	memset(doc, 0, sizeof(*doc));
	*json = NULL;
	*repo = NULL;
	*data = NULL;
	*size = 0;
	if ((rc = vg_param_path(r, "path", path, &err)) < 0 || (rc = vg_param(r, "rev", &rev, &err)) < 0) {
		*ret = fail(r, rc, &err);
		return -1;
	}
	vg_reader *rd = vg_borrow_reader(r, 0, ret);
	if (!rd)
		return -1;
	vg_reader_repo *rr = document_repo(r, rd, *path, rev, ret);
	if (!rr) {
		give_back(r, rd);
		return -1;
	}
	if ((rc = vg_catalog_document(doc, rr->searcher, rd->searcher, *path, rev, &err)) == 0) {
		if (!(*json = vg_document_json(doc)) || !(*repo = strdup(rr->name))) {
			rc = vg_err_set(&err, VG_ENOMEM, "mémoire insuffisante");
		} else {
			json_object_set_new(*json, "repo", json_string(rr->name));
			vg_set_commit_subject(rr, doc->commit, json_object_get(*json, "version"), "amended_by");
			rc = read_version_blob(rr, doc->blob, data, size, &err);
		}
	}
	give_back(r, rd);
	if (*json && *repo && (rc == VG_ETOOBIG || rc == VG_ECORRUPT)) {
		/* The metadata still stands without the original. */
		vg_err_clear(&err);
		return 0;
	}
	if (rc < 0) {
		json_decref(*json);
		*json = NULL;
		free(*repo);
		*repo = NULL;
		vg_document_clear(doc);
		*ret = fail(r, rc, &err);
		return -1;
	}
	return 0;
}

/* The page of the article a reference names, from the document's own
 * references (resolved by the catalog at the version's date), at the same
 * date: "#/doc?repo=...&path=...&rev=...". A commit names a position in
 * the document's own repository only. */
typedef struct link_ctx {
	const vg_document *doc;
	const char *rev;
	const char *repo;
} link_ctx;

static char *article_link(const char *canon, void *p)
{
	link_ctx *c = p;
	for (size_t i = 0; i < c->doc->n_cites; i++) {
		const vg_doc_ref *ref = &c->doc->cites[i];
		const char *path = ref->article.path, *repo = ref->article.repo;
		if (!path || strcmp(ref->ref, canon) != 0)
			continue;
		vg_strbuf b = VG_STRBUF_INIT;
		vg_strbuf_puts(&b, "#/doc?");
		if (repo) {
			vg_strbuf_puts(&b, "repo=");
			vg_escape_url(&b, repo);
			vg_strbuf_putc(&b, '&');
		}
		vg_strbuf_puts(&b, "path=");
		vg_escape_url(&b, path);
		if (c->rev && *c->rev && (!repo || !c->repo || strcmp(repo, c->repo) == 0 || vg_doc_date_valid(c->rev))) {
			vg_strbuf_puts(&b, "&rev=");
			vg_escape_url(&b, c->rev);
		}
		return vg_strbuf_detach(&b);
	}
	return NULL;
}

/* What the review's JSON adds: each change's amending text (the subject
 * of its commit), and each article the address of the comparison between
 * the version the note was written against and today's. */
static void explain_change(void *ctx, const vg_veille_article *a, const vg_veille_change *c, json_t *obj)
{
	vg_set_commit_subject(vg_reader_find(ctx, a->repo), c->commit, obj, "text");
}

static void explain_article(void *ctx, const vg_veille_article *a, json_t *obj)
{
	vg_reader_repo *rr = vg_reader_find(ctx, a->repo);
	const vg_veille_version *from = &a->written_against, *to = &a->current;
	if (!from->known || !to->known || !rr) {
		json_object_set_new(obj, "diff", json_null());
		return;
	}
	vg_strbuf b = VG_STRBUF_INIT;
	const char *parts[][2] = {{"repo", rr->name},     {"path", to->path},       {"from", from->commit},
	                          {"from_path", from->path}, {"to", to->commit}, {"to_path", to->path}};
	vg_strbuf_puts(&b, "#/comparer?");
	for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
		vg_strbuf_printf(&b, "%s%s=", k ? "&" : "", parts[k][0]);
		vg_escape_url(&b, parts[k][1] ? parts[k][1] : "");
	}
	char *url = vg_strbuf_detach(&b);
	json_object_set_new(obj, "diff", url ? json_string(url) : json_null());
	free(url);
}

/* The articles a note's current version cites that changed since it, as
 * the legal watch finds them in the repositories read (an empty array
 * for an article, a past version, or when nothing changed). */
static json_t *review_of(vg_request *r, const vg_document *doc, const char *repo)
{
	if (doc->is_ref || !doc->current || doc->references.count == 0)
		return json_array();
	/* The page is answered anyway: a failure here leaves the list empty
	 * and queues no answer of its own. */
	vg_reader *rd = NULL;
	vg_err err;
	if (vg_readers_get(r->server->readers, r->readable, &rd, &err) < 0)
		return json_array();
	vg_veille_opts o = {repo, doc->path, NULL, NULL, NULL, NULL};
	const vg_veille_list *all = notes_to_review(rd);
	vg_veille_list mine;
	json_t *articles = NULL;
	if (all && vg_veille_filter(&mine, all, &o) == 0) {
		vg_veille_json_hooks hooks = {explain_article, explain_change, rd};
		if (mine.n_notes)
			articles = vg_veille_articles_json(&mine.notes[0], &hooks);
		vg_veille_list_clear(&mine);
	}
	give_back(r, rd);
	return articles ? articles : json_array();
}

int vg_api_veille_review(vg_request *r, vg_veille_use use, void *ctx, enum MHD_Result *ret)
{
	vg_veille_opts o;
	vg_err err;
	int rc;
	vg_veille_list list;
	const char *du = NULL;
	memset(&o, 0, sizeof(o));
	/* since= and du= both open the period. */
	struct {
		const char *name, **value;
		int date;
	} params[] = {{"repo", &o.repo, 0},   {"since", &o.since, 1},       {"du", &du, 1},
	              {"au", &o.until, 1},    {"domaine", &o.domaine, 0},   {"academie", &o.academie, 0}};
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		if ((rc = vg_param(r, params[i].name, params[i].value, &err)) < 0) {
			*ret = fail(r, rc, &err);
			return -1;
		}
		const char *v = *params[i].value;
		if (v && !*v)
			*params[i].value = NULL;
		else if (v && params[i].date && !vg_doc_date_valid(v)) {
			char msg[80];
			snprintf(msg, sizeof(msg), "paramètre « %s » : date AAAA-MM-JJ attendue", params[i].name);
			*ret = vg_respond_error(r, MHD_HTTP_BAD_REQUEST, "bad_request", msg);
			return -1;
		}
	}
	if (du && (!o.since || strcmp(du, o.since) > 0))
		o.since = du;
	vg_reader *rd = vg_borrow_reader(r, 0, ret);
	if (!rd)
		return -1;
	if (o.repo && !vg_reader_find(rd, o.repo)) {
		give_back(r, rd);
		*ret = vg_respond_error(r, MHD_HTTP_NOT_FOUND, "not_found", "dépôt inconnu");
		return -1;
	}
	/* The review as of these indexes, kept by the handle, narrowed, and
	 * used while the handle (its repositories) is still at hand. */
	const vg_veille_list *all = notes_to_review(rd);
	rc = all ? vg_veille_filter(&list, all, &o) : -1;
	if (rc == 0) {
		rc = use(rd, &list, ctx);
		vg_veille_list_clear(&list);
	}
	give_back(r, rd);
	if (rc < 0) {
		*ret = vg_respond_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable",
		                        "la liste des notes à revoir est momentanément indisponible");
		return -1;
	}
	return 0;
}

/* The review's JSON, amending texts and comparisons from the reader's
 * repositories, into *(json_t **)ctx. */
static int veille_json(vg_reader *rd, const vg_veille_list *l, void *ctx)
{
	vg_veille_json_hooks hooks = {explain_article, explain_change, rd};
	return (*(json_t **)ctx = vg_veille_json(l, &hooks)) ? 0 : -1;
}

/* GET /api/veille?repo=&since=. */
enum MHD_Result vg_api_veille(vg_request *r)
{
	enum MHD_Result ret = MHD_NO;
	char *key = vg_cache_key(r);
	json_t *res = NULL;
	if (!vg_respond_cached(r, key, JSON_TYPE, &ret) && vg_api_veille_review(r, veille_json, &res, &ret) == 0)
		ret = respond_cached_json(r, key, res);
	free(key);
	return ret;
}

enum MHD_Result vg_api_doc(vg_request *r)
{
	const char *path;
	vg_document doc;
	json_t *json;
	char *repo, *data, *html = NULL;
	size_t size;
	enum MHD_Result ret = MHD_NO;
	if (load_version(r, &path, &doc, &json, &repo, &data, &size, &ret) < 0)
		return ret;
	/* The page shows the original file rendered, not the indexed text,
	 * its citations linked to the articles at the same date. */
	vg_err err;
	const char *rev = NULL;
	vg_param(r, "rev", &rev, &err);
	link_ctx links = {&doc, rev, repo};
	if (data && vg_render_html(path, data, size, article_link, &links, &html, &err) == 0)
		json_object_set_new(json, "html", json_string(html));
	else
		json_object_set_new(json, "html", json_null());
	free(data);
	free(html);
	json_object_set_new(json, "to_review", review_of(r, &doc, repo));
	vg_document_clear(&doc);
	free(repo);
	return vg_respond_json(r, MHD_HTTP_OK, json);
}

static const char *content_type_of(const char *path)
{
	const vg_format *f = vg_format_of(path);
	return f ? f->media_type : "application/octet-stream";
}

/* attachment; filename="ascii"; filename*=UTF-8''percent-encoded (RFC 6266). */
static char *disposition(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	vg_strbuf b = VG_STRBUF_INIT;
	vg_strbuf_puts(&b, "attachment; filename=\"");
	for (const char *p = base; *p; p++)
		vg_strbuf_putc(&b, ((unsigned char)*p < 0x80 && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20) ? *p : '_');
	vg_strbuf_puts(&b, "\"; filename*=UTF-8''");
	vg_escape_url(&b, base);
	return vg_strbuf_detach(&b);
}

enum MHD_Result vg_api_raw(vg_request *r)
{
	const char *path;
	vg_document doc;
	json_t *json;
	char *repo, *data;
	size_t size;
	enum MHD_Result ret = MHD_NO;
	if (load_version(r, &path, &doc, &json, &repo, &data, &size, &ret) < 0)
		return ret;
	vg_document_clear(&doc);
	json_decref(json);
	free(repo);
	if (!data)
		return vg_respond_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
		                        "fichier trop volumineux pour être téléchargé ici");
	char *disp = disposition(path);
	const char *extra[] = {"Content-Disposition", disp ? disp : "attachment", MHD_HTTP_HEADER_CACHE_CONTROL,
	                       "private, max-age=60", NULL};
	ret = vg_respond(r, MHD_HTTP_OK, content_type_of(path), data, size, extra);
	free(disp);
	free(data);
	return ret;
}

/* A document's history as GET /api/history shows it, each version with
 * who changed it, when and why, from the commit itself. */
static json_t *history_json(vg_reader_repo *rr, const char *path, const vg_history *h)
{
	json_t *list = json_array();
	for (size_t i = 0; list && i < h->n; i++) {
		const vg_history_version *v = &h->versions[i];
		json_t *o = json_pack("{s:s, s:s?, s:s, s:s?, s:s, s:s?, s:s?}", "commit", v->commit, "date",
		                      v->date[0] ? v->date : NULL, "path", v->path, "title", v->title, "blob", v->blob,
		                      "replaced_by", v->current || !v->replaced_by[0] ? NULL : v->replaced_by, "until",
		                      v->until[0] ? v->until : NULL);
		char *author = NULL, *email = NULL, *subject = NULL;
		int64_t when = 0;
		vg_err err;
		if (o && vg_repo_describe_hex(rr->git, v->commit, &author, &email, &when, &subject, &err) == 0) {
			json_object_set_new(o, "author", json_string(author));
			json_object_set_new(o, "message", json_string(subject));
			json_object_set_new(o, "time", json_integer(when));
		}
		free(author);
		free(email);
		free(subject);
		if (json_array_append_new(list, o) < 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list ? json_pack("{s:s, s:o, s:s}", "path", path, "versions", list, "repo", rr->name) : NULL;
}

enum MHD_Result vg_api_history(vg_request *r)
{
	const char *path;
	vg_err err;
	int rc = vg_param_path(r, "path", &path, &err);
	if (rc < 0)
		return fail(r, rc, &err);
	enum MHD_Result ret = MHD_NO;
	vg_reader *rd = vg_borrow_reader(r, 0, &ret);
	if (!rd)
		return ret;
	vg_reader_repo *rr = document_repo(r, rd, path, NULL, &ret);
	if (!rr) {
		give_back(r, rd);
		return ret;
	}
	vg_history h;
	json_t *res = NULL;
	if ((rc = vg_catalog_history(&h, rr->searcher, path, &err)) == 0 && !(res = history_json(rr, path, &h)))
		rc = vg_err_set(&err, VG_ENOMEM, "mémoire insuffisante");
	vg_history_clear(&h);
	give_back(r, rd);
	return rc < 0 ? fail(r, rc, &err) : vg_respond_json(r, MHD_HTTP_OK, res);
}

/* The version of path (or of the path given in path_param) at rev. */
static int version_at(vg_request *r, vg_reader_repo *rr, const char *path, const char *path_param,
                      const char *rev, vg_document *doc, vg_err *err)
{
	const char *other = NULL;
	memset(doc, 0, sizeof(*doc));
	int rc = vg_param(r, path_param, &other, err);
	if (rc < 0)
		return rc;
	if (other && *other) {
		if (!vg_path_valid(other, strlen(other)))
			return vg_err_set(err, VG_EINVAL, "paramètre « %s » : chemin invalide", path_param);
		path = other;
	}
	return vg_catalog_version(doc, rr->searcher, path, rev, err);
}

/* A version compared: where, its title, its commit, since when, and the
 * commit's subject. */
static json_t *version_summary(vg_reader_repo *rr, const vg_document *doc)
{
	json_t *v = json_pack("{s:s?, s:s?, s:s?, s:s?}", "path", doc->path, "title", doc->title, "commit", doc->commit,
	                      "date", doc->version_date[0] ? doc->version_date : NULL);
	if (v)
		vg_set_commit_subject(rr, doc->commit, v, "amended_by");
	return v;
}

enum MHD_Result vg_api_diff(vg_request *r)
{
	const char *path, *from, *to;
	vg_err err;
	int rc;
	if ((rc = vg_param_path(r, "path", &path, &err)) < 0 || (rc = vg_param(r, "from", &from, &err)) < 0 ||
	    (rc = vg_param(r, "to", &to, &err)) < 0)
		return fail(r, rc, &err);
	if (!from || !*from)
		return vg_respond_error(r, MHD_HTTP_BAD_REQUEST, "bad_request", "paramètre « from » manquant");
	enum MHD_Result ret = MHD_NO;
	vg_reader *rd = vg_borrow_reader(r, 0, &ret);
	if (!rd)
		return ret;
	vg_reader_repo *rr = document_repo(r, rd, path, from, &ret);
	if (!rr) {
		give_back(r, rd);
		return ret;
	}
	vg_document a, b;
	memset(&b, 0, sizeof(b));
	json_t *res = NULL;
	vg_wdiff_result d;
	if ((rc = version_at(r, rr, path, "from_path", from, &a, &err)) == 0 &&
	    (rc = version_at(r, rr, path, "to_path", to, &b, &err)) == 0 && (rc = vg_wdiff(&d, a.text, b.text, &err)) == 0) {
		res = json_pack("{s:s, s:s, s:o, s:o, s:I, s:o}", "repo", rr->name, "path", path, "from",
		                version_summary(rr, &a), "to", version_summary(rr, &b), "changes", (json_int_t)d.changes,
		                "paragraphs", vg_wdiff_json(&d));
		vg_wdiff_clear(&d);
		if (!res)
			rc = vg_err_set(&err, VG_ENOMEM, "mémoire insuffisante");
	}
	give_back(r, rd);
	vg_document_clear(&a);
	vg_document_clear(&b);
	return rc < 0 ? fail(r, rc, &err) : vg_respond_json(r, MHD_HTTP_OK, res);
}

/* The fields of fields.def, for the front end: what it may filter on and
 * count, with their French labels; and the repositories it may name. */
enum MHD_Result vg_api_fields(vg_request *r)
{
	json_t *all = json_array();
	for (size_t i = 0; all && i < VG_N_FIELDS; i++)
		json_array_append_new(all, json_pack("{s:s, s:s, s:b, s:s}", "name", vg_fields[i].name, "kind",
		                                     vg_fields[i].kind == VG_TEXT ? "text" : "filter", "facet",
		                                     vg_fields[i].facet, "label", vg_fields[i].label));
	/* And the legal watch's facet (a_revoir=oui), of the server's own. */
	json_array_append_new(all, json_pack("{s:s, s:s, s:b, s:s}", "name", "a_revoir", "kind", "filter", "facet", 1,
	                                     "label", "Veille"));
	/* And the repositories this reader may read, with their titles. */
	json_t *repos = json_array();
	pthread_rwlock_rdlock(&r->server->lock);
	for (size_t i = 0; repos && i < r->server->config.n_repos; i++) {
		const vg_repo_conf *c = &r->server->config.repos[i];
		if ((r->readable >> i) & 1)
			json_array_append_new(repos, json_pack("{s:s, s:s, s:b}", "name", c->name, "title",
			                                       c->title ? c->title : c->name, "mirror", c->upstream != NULL));
	}
	pthread_rwlock_unlock(&r->server->lock);
	/* And the labels of facet values, from the readable repositories. */
	json_t *labels = NULL;
	vg_reader *rd = NULL;
	vg_err err;
	if (r->readable && vg_readers_get(r->server->readers, r->readable, &rd, &err) == 0) {
		labels = json_deep_copy(vg_searcher_labels(rd->searcher));
		vg_readers_put(r->server->readers, rd);
	}
	if (!labels)
		labels = json_object();
	json_object_set_new(labels, "a_revoir", json_pack("{s:s}", "oui", "Notes à revoir"));
	return all && repos ? vg_respond_json(r, MHD_HTTP_OK, json_pack("{s:o, s:o, s:s?, s:o}", "fields", all, "repositories", repos,
	                                                                "user", r->user.name[0] ? r->user.name : NULL,
	                                                                "labels", labels))
	                    : vg_respond_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "mémoire insuffisante");
}

/* The watcher of a repository of a reader, or NULL. */
static vg_watch *watch_of(vg_request *r, const vg_reader_repo *rr)
{
	return rr->pos < r->server->n_watches ? r->server->watches[rr->pos] : NULL;
}

/* What a repository's health and metrics are read from: its index (from
 * the reader's timeline) and its watcher's record. */
typedef struct repo_state {
	const char *repo;
	const char *commit;     /* the indexed commit, NULL when none; the reader's */
	char commit_date[11];
	long long commit_age;   /* seconds; -1 when no commit */
	unsigned documents;
	int watched;            /* h holds its watcher's record */
	vg_watch_health h;
	long long now;
	const char *status;     /* "ok", or why it does not keep up: "damaged", "failing", "behind" */
	char problem[700];      /* then, what is wrong, in French */
} repo_state;

/* Reads the state of a repository of the borrowed reader. Its index does
 * not keep up when its last update (or fetch) failed, or when the branch
 * has been ahead of it for longer than health_max_lag. */
static void read_state(vg_request *r, vg_reader_repo *rr, repo_state *s)
{
	memset(s, 0, sizeof(*s));
	s->repo = rr->name;
	s->now = (long long)time(NULL);
	s->commit_age = -1;
	s->status = "ok";
	const vg_timeline *tl = vg_searcher_timeline(rr->searcher);
	vg_err err;
	vg_searcher_count_current(rr->searcher, &s->documents, &err);
	if (tl->head >= 0 && (size_t)tl->head < tl->count) {
		const vg_tl_entry *e = &tl->entries[tl->head];
		s->commit = e->id;
		vg_format_date(e->time, s->commit_date);
		s->commit_age = s->now - e->time;
	}
	vg_watch *w = watch_of(r, rr);
	if (!w)
		return;
	s->watched = 1;
	vg_watch_health_get(w, &s->h);
	pthread_rwlock_rdlock(&r->server->lock);
	long long max_lag = r->server->config.health_max_lag;
	pthread_rwlock_unlock(&r->server->lock);
	const vg_watch_health *h = &s->h;
	int failing = h->failing || h->damaged;
	long long behind = h->behind_since ? s->now - h->behind_since : 0;
	if (h->damaged)
		snprintf(s->problem, sizeof(s->problem), "index endommagé, reconstruction depuis git en cours : %s",
		         h->last_error);
	else if (failing)
		snprintf(s->problem, sizeof(s->problem), "la dernière mise à jour de l'index a échoué : %s", h->last_error);
	else if (behind > max_lag)
		snprintf(s->problem, sizeof(s->problem), "l'index a %lld s de retard sur la branche (au plus %lld s)", behind,
		         max_lag);
	if (failing || behind > max_lag)
		s->status = h->damaged ? "damaged" : failing ? "failing" : "behind";
}

/* A repository's state as /healthz shows it. */
static json_t *state_json(const repo_state *s)
{
	json_t *o = json_pack("{s:s, s:s, s:s?, s:s?, s:o, s:I}", "repo", s->repo, "status", s->status, "commit",
	                      s->commit, "commit_date", s->commit ? s->commit_date : NULL, "commit_age_seconds",
	                      s->commit ? json_integer(s->commit_age) : json_null(), "documents", (json_int_t)s->documents);
	const vg_watch_health *h = &s->h;
	if (o && s->watched) {
		json_object_set_new(o, "head", h->head[0] ? json_string(h->head) : json_null());
		json_object_set_new(o, "behind_seconds", json_integer(h->behind_since ? s->now - h->behind_since : 0));
		json_object_set_new(o, "seconds_since_update", h->last_ok ? json_integer(s->now - h->last_ok) : json_null());
		json_object_set_new(o, "updates", json_integer((json_int_t)h->runs));
		json_object_set_new(o, "update_failures", json_integer((json_int_t)h->failures));
		json_object_set_new(o, "last_error", h->last_failure ? json_string(h->last_error) : json_null());
		json_object_set_new(o, "behind_commits", json_integer((json_int_t)h->behind_commits));
		json_object_set_new(o, "problem_files", json_integer((json_int_t)h->problem_files));
		if (h->mirror)
			json_object_set_new(o, "mirror",
			                    json_pack("{s:I, s:I, s:o}", "fetches", (json_int_t)h->fetches, "fetch_failures",
			                              (json_int_t)h->fetch_failures, "seconds_since_fetch",
			                              h->last_fetch_ok ? json_integer(s->now - h->last_fetch_ok) : json_null()));
	}
	if (o && strcmp(s->status, "ok") != 0)
		json_object_set_new(o, "problem", json_string(s->problem));
	return o;
}

/* The state of each readable repository; one that does not keep up makes
 * the whole a 503 that names it. */
enum MHD_Result vg_api_healthz(vg_request *r)
{
	enum MHD_Result ret = MHD_NO;
	vg_reader *rd = vg_borrow_reader(r, 0, &ret);
	if (!rd)
		return ret;
	json_t *all = json_array(), *top = json_pack("{s:s}", "status", "ok");
	json_int_t docs = 0;
	int healthy = all && top;
	for (size_t i = 0; all && top && i < rd->n_repos; i++) {
		repo_state s;
		read_state(r, &rd->repos[i], &s);
		if (strcmp(s.status, "ok") != 0 && healthy) {
			char msg[900];
			healthy = 0;
			snprintf(msg, sizeof(msg), "%s : %s", s.repo, s.problem);
			json_object_set_new(top, "status", json_string(s.status));
			json_object_set_new(top, "problem", json_string(msg));
		}
		docs += s.documents;
		json_t *o = state_json(&s);
		if (!o)
			healthy = 0;
		json_array_append_new(all, o);
	}
	/* A readable repository the handle had to leave out (a remote index
	 * that does not answer, an index not built yet) does not keep up. */
	pthread_rwlock_rdlock(&r->server->lock);
	for (size_t i = 0; all && top && i < r->server->config.n_repos; i++) {
		const char *name = r->server->config.repos[i].name;
		if (!((r->readable >> i) & 1) || vg_reader_find(rd, name))
			continue;
		int down = vg_strlist_has(&rd->unreachable, name);
		const char *why = down ? "index distant injoignable" : "index en cours de construction";
		json_array_append_new(all, json_pack("{s:s, s:s, s:s}", "repo", name, "status", down ? "unreachable" : "building",
		                                     "problem", why));
		if (healthy) {
			char msg[300];
			snprintf(msg, sizeof(msg), "%s : %s", name, why);
			json_object_set_new(top, "status", json_string(down ? "unreachable" : "building"));
			json_object_set_new(top, "problem", json_string(msg));
		}
		healthy = 0;
	}
	pthread_rwlock_unlock(&r->server->lock);
	give_back(r, rd);
	if (!all || !top) {
		json_decref(all);
		json_decref(top);
		return vg_respond_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "out_of_memory", "mémoire insuffisante");
	}
	json_object_set_new(top, "documents", json_integer(docs));
	json_object_set_new(top, "repositories", all);
	return vg_respond_json(r, healthy ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, top);
}

/* One gauge or counter, a line per readable repository. */
typedef struct metric {
	const char *name, *type, *help;
	double (*value)(const repo_state *s);
} metric;

static double commit_age(const repo_state *s) { return (double)s->commit_age; }
static double documents(const repo_state *s) { return (double)s->documents; }
static double update_runs(const repo_state *s) { return (double)s->h.runs; }
static double update_failures(const repo_state *s) { return (double)s->h.failures; }
static double update_seconds(const repo_state *s) { return s->h.last_seconds; }
static double since_update(const repo_state *s) { return s->h.last_ok ? (double)(s->now - s->h.last_ok) : -1; }
static double behind_seconds(const repo_state *s) { return s->h.behind_since ? (double)(s->now - s->h.behind_since) : 0; }
static double behind_commits(const repo_state *s) { return (double)s->h.behind_commits; }
static double problem_files(const repo_state *s) { return (double)s->h.problem_files; }
static double fetches(const repo_state *s) { return (double)s->h.fetches; }
static double fetch_failures(const repo_state *s) { return (double)s->h.fetch_failures; }

static const metric repo_metrics[] = {
	{"vigie_index_commit_age_seconds", "gauge", "Age of the indexed commit.", commit_age},
	{"vigie_index_documents", "gauge", "Current documents in the index.", documents},
	{"vigie_index_updates_total", "counter", "Index updates run.", update_runs},
	{"vigie_index_update_failures_total", "counter", "Index updates (or mirror fetches) that failed.", update_failures},
	{"vigie_index_update_seconds", "gauge", "Duration of the last index update.", update_seconds},
	{"vigie_index_seconds_since_update", "gauge", "Time since the last successful update (-1: none).", since_update},
	{"vigie_index_behind_seconds", "gauge", "How long the branch has been ahead of the index.", behind_seconds},
	{"vigie_index_behind_commits", "gauge", "Commits of the branch not indexed yet.", behind_commits},
	{"vigie_index_problem_files_total", "counter", "Files reported by updates (unreadable, too big, failed extraction).",
	 problem_files},
	{"vigie_mirror_fetches_total", "counter", "Fetches of a mirror's upstream (0 for other repositories).", fetches},
	{"vigie_mirror_fetch_failures_total", "counter", "Fetches of a mirror's upstream that failed.", fetch_failures},
};

enum MHD_Result vg_api_metrics(vg_request *r)
{
	vg_strbuf b = VG_STRBUF_INIT;
	vg_metrics_write(r->server->metrics, &b);
	enum MHD_Result ret = MHD_NO;
	vg_reader *rd = vg_borrow_reader(r, 0, &ret);
	if (!rd) {
		vg_strbuf_free(&b);
		return ret;
	}
	size_t n = rd->n_repos;
	repo_state *st = calloc(n ? n : 1, sizeof(*st));
	for (size_t i = 0; st && i < n; i++)
		read_state(r, &rd->repos[i], &st[i]);
	for (size_t k = 0; st && k < sizeof(repo_metrics) / sizeof(repo_metrics[0]); k++) {
		const metric *m = &repo_metrics[k];
		vg_strbuf_printf(&b, "# HELP %s %s\n# TYPE %s %s\n", m->name, m->help, m->name, m->type);
		for (size_t i = 0; i < n; i++)
			vg_strbuf_printf(&b, "%s{repo=\"%s\"} %.15g\n", m->name, rd->repos[i].name, m->value(&st[i]));
	}
	free(st);
	give_back(r, rd);
	unsigned long long hits, misses;
	vg_cache_stats(r->server->cache, &hits, &misses);
	vg_strbuf_printf(&b,
	                 "# HELP vigie_cache_hits_total Answers served from the cache.\n"
	                 "# TYPE vigie_cache_hits_total counter\n"
	                 "vigie_cache_hits_total %llu\n"
	                 "# HELP vigie_cache_misses_total Answers computed.\n"
	                 "# TYPE vigie_cache_misses_total counter\n"
	                 "vigie_cache_misses_total %llu\n",
	                 hits, misses);
	ret = vg_respond(r, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", b.ptr ? b.ptr : "", b.len, NULL);
	vg_strbuf_free(&b);
	return ret;
}

/* Logged in (the browser keeps the credentials for the site): back to the
 * page. */
enum MHD_Result vg_api_login(vg_request *r)
{
	const char *extra[] = {"Location", "/", NULL};
	static const char body[] = "<!doctype html><meta charset=utf-8><title>Vigie</title><a href=\"/\">Retour à Vigie</a>\n";
	return vg_respond(r, MHD_HTTP_SEE_OTHER, "text/html; charset=utf-8", body, sizeof(body) - 1, extra);
}

/* Updates the index of each repository an admin names (repo=...), or of
 * all. */
enum MHD_Result vg_api_reindex(vg_request *r)
{
	vg_err err;
	uint64_t set = 0;
	int rc = searched_set(r, &set, &err);
	if (rc < 0)
		return fail(r, rc, &err);
	json_t *all = json_object();
	for (size_t i = 0; rc == 0 && all && i < r->server->n_watches; i++) {
		if (!((set >> i) & 1) || !r->server->watches[i])
			continue;
		json_t *res = NULL;
		pthread_rwlock_rdlock(&r->server->lock);
		char *name = strdup(r->server->config.repos[i].name);
		pthread_rwlock_unlock(&r->server->lock);
		if ((rc = vg_watch_update_now(r->server->watches[i], &res, &err)) == 0 && name)
			json_object_set_new(all, name, res);
		else
			json_decref(res);
		free(name);
	}
	if (!all || json_object_size(all) == 0) {
		json_decref(all);
		return rc < 0 ? fail(r, rc, &err)
		              : vg_respond_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", "indexation désactivée");
	}
	if (rc < 0) {
		json_decref(all);
		return fail(r, rc, &err);
	}
	return vg_respond_json(r, MHD_HTTP_OK, json_pack("{s:o}", "repositories", all));
}
