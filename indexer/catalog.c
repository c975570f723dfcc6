#include "catalog.h"
#include "fields.h"
#include "legalref.h"
#include "strbuf.h"
#include "text.h"
#include "timeline.h"
#include "xapian_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef struct version {
	double from, to;
	json_t *meta;
} version;

static int by_from_desc(const void *a, const void *b)
{
	double fa = ((const version *)a)->from, fb = ((const version *)b)->from;
	return fa < fb ? 1 : fa > fb ? -1 : 0;
}

static json_t *commit_at(const vg_timeline *tl, double pos)
{
	const char *id = vg_timeline_commit_at(tl, pos);
	return id ? json_string(id) : json_null();
}

static json_t *date_at(const vg_timeline *tl, double pos)
{
	char day[11];
	return vg_timeline_day_at(tl, pos, day) == 0 ? json_string(day) : json_null();
}

int vg_catalog_history(vg_history *out, vg_searcher *s, const char *path, vg_err *err)
{
	unsigned *ids = NULL;
	size_t n = 0;
	version *v = NULL;
	size_t nv = 0;
	char *lineage = NULL;
	int rc;
	vg_xdb *db = vg_searcher_db(s);
	const vg_timeline *tl = vg_searcher_timeline(s);
	memset(out, 0, sizeof(*out));
	char *pterm = vg_fields_path_term(path);
	if (!pterm)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	/* The newest version at this path gives the document's lineage. */
	rc = vg_xdb_postings(db, pterm, &ids, &n, err);
	free(pterm);
	double best = -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		vg_xdoc *d = NULL;
		if ((rc = vg_xdb_get(db, ids[i], &d, err)) < 0)
			break;
		double from = vg_xdoc_get_number(d, VG_SLOT_FROM, 0);
		if (from > best) {
			free(lineage);
			lineage = NULL;
			rc = vg_xdoc_get_value(d, VG_SLOT_LINEAGE, &lineage, NULL, err);
			best = from;
		}
		vg_xdoc_free(d);
	}
	free(ids);
	ids = NULL;
	if (rc == 0 && !lineage)
		rc = vg_err_set(err, VG_ENOTFOUND, "document introuvable : %s", path);
	if (rc < 0)
		goto done;
	char term[64];
	snprintf(term, sizeof(term), VG_P_LINEAGE "%s", lineage);
	if ((rc = vg_xdb_postings(db, term, &ids, &n, err)) < 0)
		goto done;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		vg_xdoc *d = NULL;
		if ((rc = vg_fields_load_meta(db, ids[i], &d, &v[nv].meta, err)) == 0) {
			v[nv].from = vg_xdoc_get_number(d, VG_SLOT_FROM, 0);
			v[nv].to = vg_xdoc_get_number(d, VG_SLOT_TO, VG_SEQ_OPEN);
			nv++;
		}
		vg_xdoc_free(d);
		if (rc < 0)
			goto done;
	}
	qsort(v, nv, sizeof(*v), by_from_desc);
	if (nv && !(out->versions = calloc(nv, sizeof(*out->versions)))) {
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
		goto done;
	}
	for (size_t i = 0; i < nv; i++) {
		vg_history_version *hv = &out->versions[out->n++];
		const char *commit = json_string_value(json_object_get(v[i].meta, "commit"));
		const char *vpath = json_string_value(json_object_get(v[i].meta, "path"));
		const char *title = json_string_value(json_object_get(v[i].meta, "title"));
		const char *blob = json_string_value(json_object_get(v[i].meta, "blob"));
		hv->commit = strdup(commit ? commit : "");
		hv->path = strdup(vpath ? vpath : "");
		hv->title = title ? strdup(title) : NULL;
		hv->blob = strdup(blob ? blob : "");
		if (!hv->commit || !hv->path || (title && !hv->title) || !hv->blob) {
			rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
			goto done;
		}
		if (vg_timeline_day_at(tl, v[i].from, hv->date) < 0)
			hv->date[0] = '\0';
		hv->current = v[i].to >= VG_SEQ_OPEN;
		const char *by = hv->current ? NULL : vg_timeline_commit_at(tl, v[i].to);
		snprintf(hv->replaced_by, sizeof(hv->replaced_by), "%s", by ? by : "");
		if (hv->current || vg_timeline_day_at(tl, v[i].to, hv->until) < 0)
			hv->until[0] = '\0';
	}
	if (out->n == 0)
		rc = vg_err_set(err, VG_ENOTFOUND, "document introuvable : %s", path);
done:
	if (rc < 0)
		vg_history_clear(out);
	for (size_t i = 0; i < nv; i++)
		json_decref(v[i].meta);
	free(v);
	free(ids);
	free(lineage);
	return rc;
}

void vg_history_clear(vg_history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->versions[i].commit);
		free(h->versions[i].path);
		free(h->versions[i].title);
		free(h->versions[i].blob);
	}
	free(h->versions);
	memset(h, 0, sizeof(*h));
}

/* Repository, path and title of the hits, but for the document at path
 * except of repository except_repo (any of its versions: a version never
 * lists itself), at most limit; empty when the search fails. */
static json_t *hit_list(vg_searcher *s, vg_xsearch *spec, const char *except_repo, const char *except,
                        unsigned limit, vg_err *err)
{
	vg_xmset *m = NULL;
	json_t *list = json_array();
	spec->n_shards = vg_searcher_shard_count(s);
	if (vg_xdb_search(vg_searcher_db(s), spec, &m, err) < 0)
		return list;
	for (unsigned i = 0; list && i < vg_xmset_size(m) && json_array_size(list) < limit; i++) {
		unsigned docid;
		json_t *meta = NULL;
		const char *repo = vg_searcher_repo_name(s, vg_xmset_hit_shard(m, i));
		if (vg_fields_hit_meta(m, i, &docid, &meta, err) == 0 &&
		    !(except && strcmp(json_string_value(json_object_get(meta, "path")) ?: "", except) == 0 &&
		      (!repo || !except_repo || strcmp(repo, except_repo) == 0)))
			json_array_append_new(list, json_pack("{s:s?, s:O, s:O, s:O*, s:O*, s:b}", "repo", repo, "path",
			                                      json_object_get(meta, "path"), "title",
			                                      json_object_get(meta, "title"), "date",
			                                      json_object_get(meta, "date"), "revu", json_object_get(meta, "revu"),
			                                      "note", json_is_true(json_object_get(meta, "watched"))));
		json_decref(meta);
	}
	vg_xmset_free(m);
	return list;
}

/* Documents holding term, as of position pos (< 0: current). */
static json_t *documents_with(vg_searcher *s, const char *term, double pos, const char *except_repo,
                              const char *except, unsigned limit, vg_err *err)
{
	vg_xfilter f = {"t", term};
	vg_xsearch spec;
	char guide[32];
	const char *exclude[] = {guide};
	memset(&spec, 0, sizeof(spec));
	/* The repositories' own guides cite articles as examples. */
	vg_fields_guide_term(guide);
	spec.exclude = exclude;
	spec.n_exclude = 1;
	spec.filters = &f;
	spec.n_filters = 1;
	spec.as_of = pos;
	spec.limit = limit + 1;
	return hit_list(s, &spec, except_repo, except, limit, err);
}

/* Documents like docid (the document at path), as of pos. */
static json_t *related(vg_searcher *s, unsigned docid, const char *path, double pos, vg_err *err)
{
	vg_xsearch spec;
	memset(&spec, 0, sizeof(spec));
	spec.as_of = pos;
	spec.like = docid;
	spec.limit = 6;
	return hit_list(s, &spec, NULL, path, 5, err);
}

/* Each cited reference with the document that is that article as of pos,
 * if any. */
static json_t *references(vg_searcher *s, json_t *refs, double pos, vg_err *err)
{
	json_t *list = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(refs, i, r) {
		char form[VG_REF_MAX], term[VG_REF_MAX + 8];
		vg_legalref_term(json_string_value(r), form);
		snprintf(term, sizeof(term), VG_P_IS "%s", form);
		json_t *docs = documents_with(s, term, pos, NULL, NULL, 1, err);
		json_t *first = json_array_get(docs, 0);
		char label[VG_REF_LABEL_MAX];
		vg_legalref_label(json_string_value(r), label);
		json_array_append_new(list, json_pack("{s:O, s:s, s:O*, s:o, s:o}", "ref", r, "label", label, "repo",
		                                      json_object_get(first, "repo"), "path",
		                                      first ? json_incref(json_object_get(first, "path")) : json_null(),
		                                      "title",
		                                      first ? json_incref(json_object_get(first, "title")) : json_null()));
		json_decref(docs);
	}
	return list;
}

/* The version of path at rev: its position *pos, docid, document (*d,
 * vg_xdoc_free it) and stored data (*data, free it). */
static int open_version(vg_searcher *s, const char *path, const char *rev, double *pos, unsigned *docid, vg_xdoc **d,
                        char **data, size_t *len, vg_err *err)
{
	int rc;
	*docid = 0;
	*d = NULL;
	*data = NULL;
	if ((rc = vg_searcher_position(s, rev, pos, err)) < 0 ||
	    (rc = vg_searcher_find_version(s, path, *pos, docid, err)) < 0)
		return rc;
	if (!*docid)
		return vg_err_set(err, VG_ENOTFOUND, "document introuvable : %s%s%s", path,
		                  rev && *rev ? " au " : "", rev && *rev ? rev : "");
	if ((rc = vg_xdb_get(vg_searcher_db(s), *docid, d, err)) == 0)
		rc = vg_xdoc_get_data(*d, data, len, err);
	return rc;
}

int vg_catalog_text(vg_searcher *s, const char *path, const char *rev, char **text, vg_err *err)
{
	double pos;
	unsigned docid;
	vg_xdoc *d = NULL;
	char *data = NULL;
	size_t len = 0, blen;
	json_t *meta = NULL;
	const char *body;
	*text = NULL;
	int rc = open_version(s, path, rev, &pos, &docid, &d, &data, &len, err);
	if (rc == 0 && (rc = vg_fields_parse_data(data, len, &meta, &body, &blen, err)) == 0 &&
	    !(*text = strndup(body, blen)))
		rc = vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	json_decref(meta);
	free(data);
	vg_xdoc_free(d);
	return rc;
}

/* The version of path at rev: its metadata with its "version" line and
 * its "text" into *out, its position and docid. */
static int version_of(vg_searcher *s, const char *path, const char *rev, double *pos, unsigned *docid, json_t **out,
                      vg_err *err)
{
	const vg_timeline *tl = vg_searcher_timeline(s);
	vg_xdoc *d = NULL;
	char *data = NULL;
	size_t len = 0, blen;
	json_t *meta = NULL;
	const char *body;
	int rc;
	*out = NULL;
	if ((rc = open_version(s, path, rev, pos, docid, &d, &data, &len, err)) == 0 &&
	    (rc = vg_fields_parse_data(data, len, &meta, &body, &blen, err)) == 0) {
		double from = vg_xdoc_get_number(d, VG_SLOT_FROM, 0), to = vg_xdoc_get_number(d, VG_SLOT_TO, VG_SEQ_OPEN);
		/* In force from the day its commit landed until the day the next
		 * one replaced it (the corpora's commits are dated as the law
		 * came into force). */
		json_object_set_new(meta, "version",
		                    json_pack("{s:O, s:o, s:b, s:o, s:o}", "commit", json_object_get(meta, "commit"),
		                              "date", date_at(tl, from), "current", to >= VG_SEQ_OPEN,
		                              "replaced_by", to >= VG_SEQ_OPEN ? json_null() : commit_at(tl, to),
		                              "until", to >= VG_SEQ_OPEN ? json_null() : date_at(tl, to)));
		json_object_set_new(meta, "text", json_stringn(body, blen));
		*out = meta;
	}
	free(data);
	vg_xdoc_free(d);
	return rc;
}

int vg_catalog_version(vg_searcher *s, const char *path, const char *rev, json_t **out, vg_err *err)
{
	double pos;
	unsigned docid = 0;
	return version_of(s, path, rev, &pos, &docid, out, err);
}

int vg_catalog_document(vg_searcher *s, vg_searcher *around, const char *path, const char *rev, json_t **out,
                        vg_err *err)
{
	double pos;
	unsigned docid = 0;
	json_t *meta = NULL;
	int rc = version_of(s, path, rev, &pos, &docid, &meta, err);
	*out = NULL;
	if (rc < 0)
		return rc;
	/* What it cites, what cites it and what is like it, as of the same
	 * position: time travel holds from one link to the next. Today's
	 * version looks in every repository read; a past one in its own,
	 * whose positions it shares. */
	vg_searcher *links = around && pos < 0 ? around : s;
	const char *self = vg_searcher_repo_name(s, 0);
	json_object_set_new(meta, "references", references(links, json_object_get(meta, "references"), pos, err));
	json_t *is_ref = json_object_get(meta, "is_ref");
	if (json_is_string(is_ref)) {
		char form[VG_REF_MAX], term[VG_REF_MAX + 8];
		vg_legalref_term(json_string_value(is_ref), form);
		snprintf(term, sizeof(term), VG_P_REF "%s", form);
		json_t *cited = documents_with(links, term, pos, self, path, 50, err);
		json_object_set_new(meta, "cited_by", cited ? cited : json_array());
	} else {
		json_object_set_new(meta, "cited_by", json_array());
	}
	json_object_set_new(meta, "related", related(s, docid, path, pos, err));
	*out = meta;
	return 0;
}

int vg_catalog_suggest(vg_searcher *s, const char *prefix, unsigned limit, json_t **out, vg_err *err)
{
	char **words = NULL;
	size_t n = 0;
	*out = NULL;
	char *folded = vg_text_fold_str(prefix, 0);
	if (!folded)
		return vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
	/* Complete the last word typed. */
	char *last = strrchr(folded, ' ');
	last = last ? last + 1 : folded;
	int rc = 0;
	if (strlen(last) >= 2)
		rc = vg_xdb_complete(vg_searcher_db(s), last, limit, &words, &n, err);
	json_t *list = json_array();
	for (size_t i = 0; rc == 0 && i < n; i++) {
		json_array_append_new(list, json_string(words[i]));
	}
	for (size_t i = 0; i < n; i++)
		free(words[i]);
	free(words);
	free(folded);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{s:s, s:o}", "query", prefix, "completions", list);
	return *out ? 0 : vg_err_set(err, VG_ENOMEM, "mémoire insuffisante");
}
